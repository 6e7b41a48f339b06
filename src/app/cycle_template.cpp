// SPDX-License-Identifier: AGPL-3.0-or-later
// The per-cycle entry template: export the values of a cycle as a sheet people fill in with Excel
// or LibreOffice, and import it back (all or nothing, with a dry run).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "app/monitoring.hpp"
#include "io/case_reader.hpp"
#include "io/table.hpp"

namespace rap::app {

namespace mon = monitoring;

namespace {

// The columns of the template, in order. Read-only ones help the person filling it in and are
// ignored on import.
struct Column {
    const char* name;
    bool required;  // on import
    const char* note;
};
constexpr Column kColumns[] = {
    {"cycle", false, "The cycle (read-only)."},
    {"indicator", true, "Indicator code, e.g. ID.2. Do not change it on an existing row."},
    {"measure", true, "Measure of the indicator ('value' for single-measure indicators)."},
    {"name", false, "Indicator and measure name (read-only)."},
    {"kind", false, "Kind of value (read-only): YN, YNP, SC3, NUM, PCT, RATE, MED, AMT."},
    {"unit", false, "Unit (read-only)."},
    {"track", true, "official (the state's figure) or cso (the civil-society figure)."},
    {"by", true, "Disaggregation, e.g. SEX=F;AGE=child; empty for the total."},
    {"status", true,
     "provided, partial, estimated, refused, no_response, not_collected, not_applicable or "
     "true_zero. Leave the row empty to skip it."},
    {"answer", true, "YN: yes or no. YNP: yes, partial or no."},
    {"score", true, "SC3: 0, 1, 2 or 3 (see the rubric)."},
    {"justification", true, "SC3: what the score rests on (required with a score)."},
    {"value", true,
     "NUM: the count. PCT: the percentage when the counts are not known. MED: the median. "
     "Computed for PCT, RATE and AMT when their parts are given."},
    {"numerator", true, "PCT: the numerator. RATE: the count."},
    {"denominator", true, "PCT: the denominator. RATE: filled in with the population."},
    {"n", true, "MED: the number of cases."},
    {"p90", true, "MED: the 90th percentile (optional)."},
    {"amount", true, "AMT: the amount in the currency below."},
    {"currency", true, "AMT: the national currency or EUR."},
    {"source_type", true, "institution, document or request (optional)."},
    {"source", true, "Institution id, document title or URL, or request id."},
    {"note", true, "A note on the value (optional)."},
    {"state", false, "Review state of the current version (read-only)."},
    {"version", false, "Current version number (read-only)."},
};
constexpr size_t kColumnCount = std::size(kColumns);

size_t ColumnIndex(std::string_view name) {
    for (size_t i = 0; i < kColumnCount; ++i) {
        if (name == kColumns[i].name) {
            return i;
        }
    }
    return kColumnCount;
}

std::string Number(const std::optional<double>& v) {
    if (!v) {
        return {};
    }
    if (mon::IsWhole(*v) && std::abs(*v) < 1e15) {
        return fmt::format("{}", static_cast<long long>(std::llround(*v)));
    }
    return fmt::format("{}", *v);
}

std::vector<std::string> RowOf(const std::string& cycle, const framework::EffectiveIndicator& ind,
                               const framework::Measure& m, const mon::ValueKey& key,
                               const mon::ValueVersion* v) {
    std::vector<std::string> row(kColumnCount);
    auto set = [&](const char* name, std::string value) {
        row[ColumnIndex(name)] = std::move(value);
    };
    set("cycle", cycle);
    set("indicator", key.indicator);
    set("measure", key.measure);
    set("name", ind.indicator.name.Get() + (m.name.Get().empty() ? "" : " - " + m.name.Get()));
    set("kind", std::string(framework::Name(m.kind)));
    set("unit", m.unit);
    set("track", std::string(mon::Name(key.track)));
    set("by", mon::ToString(key.disaggregation));
    if (v == nullptr) {
        return row;
    }
    set("status", std::string(mon::Name(v->status)));
    if (v->figure) {
        const mon::Figure& f = *v->figure;
        if (f.answer)
            set("answer", std::string(mon::Name(*f.answer)));
        if (f.score)
            set("score", std::to_string(*f.score));
        set("justification", f.justification);
        if (f.kind != framework::ValueKind::kAMT)
            set("value", Number(f.number));
        set("numerator", Number(f.numerator));
        if (f.kind == framework::ValueKind::kPCT)
            set("denominator", Number(f.denominator));
        set("n", Number(f.n));
        set("p90", Number(f.p90));
        set("amount", Number(f.amount));
        set("currency", f.currency);
    }
    if (v->source.type != mon::SourceType::kNone) {
        set("source_type", std::string(mon::Name(v->source.type)));
        set("source", v->source.ref);
    }
    set("note", v->note);
    set("state", std::string(mon::Name(v->state)));
    set("version", std::to_string(v->version));
    return row;
}

template <class E, size_t N>
std::vector<std::string> Names(const std::array<E, N>& all) {
    std::vector<std::string> out;
    for (E e : all) {
        out.emplace_back(mon::Name(e));
    }
    return out;
}

// ---- import ----------------------------------------------------------------------------------

struct ReadRow {
    long row = 0;
    std::vector<std::string> cells;  // by kColumns index; empty when absent
};

class TemplateSink : public io::RowSink {
public:
    TemplateSink(std::string file, core::Diagnostics& diags)
        : file_(std::move(file)), diags_(diags) {}

    Status Header(std::string_view sheet, std::span<const std::string_view> cells) override {
        sheet_ = std::string(sheet);
        seen_header_ = true;
        map_.assign(cells.size(), kColumnCount);
        std::set<size_t> present;
        for (size_t i = 0; i < cells.size(); ++i) {
            const std::string name = io::NormalizeHeader(cells[i]);
            if (name.empty()) {
                continue;
            }
            const size_t c = ColumnIndex(name);
            if (c == kColumnCount) {
                std::string known;
                for (const auto& col : kColumns) {
                    known += known.empty() ? col.name : std::string(", ") + col.name;
                }
                diags_.Add(Errc::kInvalidArgument,
                           fmt::format("unknown column \"{}\"; the template's columns are: {}",
                                       cells[i], known),
                           Where(1, std::string(cells[i])));
                continue;
            }
            if (!present.insert(c).second) {
                diags_.Add(Errc::kInvalidArgument,
                           fmt::format("column \"{}\" appears twice", kColumns[c].name),
                           Where(1, kColumns[c].name));
                continue;
            }
            map_[i] = c;
        }
        for (size_t c = 0; c < kColumnCount; ++c) {
            if (kColumns[c].required && !present.contains(c)) {
                diags_.Add(Errc::kInvalidArgument,
                           fmt::format("missing column \"{}\" ({}); export a fresh template with "
                                       "`rapporteur cycle export`",
                                       kColumns[c].name, kColumns[c].note),
                           Where(1, kColumns[c].name));
            }
        }
        return {};
    }

    Status Row(long row, std::span<const std::string_view> cells) override {
        ReadRow r;
        r.row = row;
        r.cells.assign(kColumnCount, std::string());
        for (size_t i = 0; i < cells.size(); ++i) {
            if (i >= map_.size() || map_[i] == kColumnCount) {
                if (!cells[i].empty() && i >= map_.size()) {
                    diags_.Add(Errc::kInvalidArgument,
                               fmt::format("a value \"{}\" beyond the last column", cells[i]),
                               Where(row, std::to_string(i + 1)));
                }
                continue;
            }
            std::string text(cells[i]);
            // A leading apostrophe is how spreadsheets keep text that looks like a formula.
            if (!text.empty() && text.front() == '\'') {
                text.erase(0, 1);
            }
            r.cells[map_[i]] = std::move(text);
        }
        rows_.push_back(std::move(r));
        return {};
    }

    Location Where(long row, std::string field) const {
        return Location{.file = file_, .sheet = sheet_, .row = row, .field = std::move(field)};
    }

    bool seen_header() const { return seen_header_; }
    // Whether the file kept the version column of the export (a hand-made file may not).
    bool has_column(std::string_view name) const {
        const size_t c = ColumnIndex(name);
        return std::find(map_.begin(), map_.end(), c) != map_.end();
    }
    const std::vector<ReadRow>& rows() const { return rows_; }

private:
    std::string file_;
    core::Diagnostics& diags_;
    std::string sheet_;
    bool seen_header_ = false;
    std::vector<size_t> map_;
    std::vector<ReadRow> rows_;
};

// A number as a person types it in a spreadsheet: "12.5" or, with a decimal comma, "12,5"; a
// percentage may end in "%". A lone separator followed by exactly three digits ("1,500",
// "1.500") could be a thousands separator or a decimal one, so it is refused as ambiguous
// `why` gets the message when the text is not a number.
std::optional<double> ParseNumber(std::string text, bool percent_allowed, std::string* why) {
    why->clear();
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    if (percent_allowed && !text.empty() && text.back() == '%') {
        text.pop_back();
    }
    if (text.empty()) {
        return std::nullopt;
    }
    const size_t commas = std::count(text.begin(), text.end(), ',');
    const size_t dots = std::count(text.begin(), text.end(), '.');
    if (commas + dots == 1) {
        const size_t sep = text.find_first_of(",.");
        const std::string_view after = std::string_view(text).substr(sep + 1);
        if (after.size() == 3 &&
            std::all_of(after.begin(), after.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
            sep > 0) {
            *why = fmt::format(
                "\"{}\" is ambiguous: write {} for the whole number or {} for "
                "the decimal one, without a thousands separator",
                text, text.substr(0, sep) + std::string(after),
                text.substr(0, sep) + "." + std::string(after));
            return std::nullopt;
        }
        std::replace(text.begin(), text.end(), ',', '.');
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
        *why = fmt::format("\"{}\" is not a number", text);
        return std::nullopt;
    }
    return v;
}

// Whether an input repeats the current version (so that re-importing an exported template
// stores nothing new). Derived parts (the number of a PCT, the population of a RATE) count only
// when the input gives them.
bool SameAsCurrent(const ValueInput& in, const mon::ValueVersion& cur) {
    if (in.status != cur.status || in.note != cur.note || in.source.type != cur.source.type ||
        in.source.ref != cur.source.ref || in.figure.has_value() != cur.figure.has_value()) {
        return false;
    }
    if (!in.figure) {
        return true;
    }
    const mon::Figure& a = *in.figure;
    const mon::Figure& b = *cur.figure;
    auto same_if_given = [](const std::optional<double>& given, const std::optional<double>& v) {
        return !given || mon::SameNumber(given, v);
    };
    return a.answer == b.answer && a.score == b.score && a.justification == b.justification &&
           same_if_given(a.number, b.number) && mon::SameNumber(a.numerator, b.numerator) &&
           same_if_given(a.denominator, b.denominator) && mon::SameNumber(a.n, b.n) &&
           mon::SameNumber(a.p90, b.p90) && mon::SameNumber(a.amount, b.amount) &&
           (a.currency.empty() || a.currency == b.currency);
}

}  // namespace

Result<std::vector<std::string>> ExportCycleTemplate(store::Store& store, const Catalog& catalog,
                                                     const std::string& cycle, TableFormat format,
                                                     const std::string& dir) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const mon::CycleData* data = loaded.data;
    const framework::EffectiveFramework* fw =
        RAP_TRY(catalog.Effective(data->cycle.framework_id, data->cycle.framework_version));
    io::SheetData sheet;
    sheet.name = "values";
    for (const auto& c : kColumns) {
        sheet.header.emplace_back(c.name);
        sheet.notes.emplace_back(c.note);
    }
    sheet.allowed.assign(kColumnCount, {});
    sheet.allowed[ColumnIndex("track")] = {"official", "cso"};
    sheet.allowed[ColumnIndex("status")] = Names(std::array{
        mon::ValueStatus::kProvided, mon::ValueStatus::kPartial, mon::ValueStatus::kEstimated,
        mon::ValueStatus::kRefused, mon::ValueStatus::kNoResponse, mon::ValueStatus::kNotCollected,
        mon::ValueStatus::kNotApplicable, mon::ValueStatus::kTrueZero});
    sheet.allowed[ColumnIndex("answer")] = {"yes", "partial", "no"};
    sheet.allowed[ColumnIndex("score")] = {"0", "1", "2", "3"};
    sheet.allowed[ColumnIndex("source_type")] = {"institution", "document", "request"};
    for (const auto& ind : fw->indicators) {
        if (ind.comparability == framework::Comparability::kNotApplicable) {
            continue;
        }
        const bool register_derived = !RegisterSourceOf(ind.indicator).empty();
        for (const auto& m : ind.indicator.measures) {
            for (auto track : {mon::Track::kOfficial, mon::Track::kCso}) {
                if (track == mon::Track::kCso && register_derived) {
                    continue;  // derived from rapporteur's own register, never typed
                }
                mon::ValueKey total{ind.indicator.code, m.id, {}, track};
                bool any = false;
                for (auto it = data->values.lower_bound(total); it != data->values.end(); ++it) {
                    const auto& k = it->first;
                    if (k.indicator != total.indicator || k.measure != total.measure) {
                        break;
                    }
                    if (k.track != track) {
                        continue;
                    }
                    sheet.rows.push_back(RowOf(cycle, ind, m, k, &it->second.current()));
                    any |= k.disaggregation.empty();
                }
                if (!any) {
                    sheet.rows.push_back(RowOf(cycle, ind, m, total, nullptr));
                }
            }
        }
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return Fail(Errc::kUnavailable, fmt::format("cannot create {}: {}", dir, ec.message()));
    }
    const std::string path =
        (std::filesystem::path(dir) / (cycle + (format == TableFormat::kXlsx ? ".xlsx" : ".csv")))
            .string();
    if (format == TableFormat::kXlsx) {
        RAP_TRY_STATUS(io::WriteXlsxFile(path, {sheet}));
    } else {
        RAP_TRY_STATUS(io::WriteCsvFile(path, sheet));
    }
    return std::vector<std::string>{path};
}

Result<CycleImportReport> ImportCycleValues(store::Store& store, const Catalog& catalog,
                                            const std::string& actor, const std::string& cycle,
                                            const std::string& file, bool dry_run,
                                            core::Diagnostics& diags) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const mon::CycleData* data = loaded.data;
    const framework::EffectiveFramework* fw =
        RAP_TRY(catalog.Effective(data->cycle.framework_id, data->cycle.framework_version));
    TemplateSink sink(file, diags);
    const bool xlsx = io::IsXlsxPath(file);
    if (!xlsx && !io::IsCsvPath(file)) {
        return Fail(Errc::kInvalidArgument, "a cycle template is a .csv or .xlsx file",
                    Location{.file = file});
    }
    Status read =
        xlsx ? io::ReadXlsxFile(file,
                                [&](std::string_view sheet) -> io::RowSink* {
                                    return io::NormalizeHeader(sheet) == "values" ? &sink : nullptr;
                                })
             : io::ReadCsvFile(file, sink);
    if (!read) {
        diags.Add(read.error());
    } else if (!sink.seen_header()) {
        diags.Add(Errc::kInvalidArgument,
                  xlsx ? "no sheet named \"values\" (export a template with `rapporteur cycle "
                         "export`)"
                       : "the file has no header row",
                  Location{.file = file});
    }
    if (!diags.empty()) {
        return Fail(diags.Summary());
    }
    const mon::Context ctx = MonitoringContext(catalog);
    CycleImportReport report;
    report.dry_run = dry_run;
    std::vector<ValueInput> inputs;
    std::map<mon::ValueKey, long> seen;
    const bool has_version = sink.has_column("version");
    mon::CountryState trial = *loaded.state;
    const std::string at = core::NowUtcTimestamp();
    for (const ReadRow& r : sink.rows()) {
        ++report.rows;
        auto cell = [&](const char* name) -> const std::string& {
            return r.cells[ColumnIndex(name)];
        };
        auto where = [&](const char* name) {
            return sink.Where(r.row, name);
        };
        bool filled = false;
        for (const char* name : {"status", "answer", "score", "justification", "value", "numerator",
                                 "denominator", "n", "p90", "amount", "note"}) {
            filled |= !cell(name).empty();
        }
        if (!filled) {
            ++report.unchanged;
            continue;
        }
        const size_t errors_before = diags.size();
        auto bad = [&](const char* column, const std::string& message) {
            diags.Add(Errc::kInvalidArgument, message, where(column));
        };
        if (!cell("cycle").empty() && cell("cycle") != cycle) {
            bad("cycle",
                fmt::format("\"{}\": this file is being imported into {}", cell("cycle"), cycle));
        }
        ValueInput in;
        in.key.indicator = cell("indicator");
        in.key.measure = cell("measure").empty() ? "value" : cell("measure");
        if (in.key.indicator.empty()) {
            bad("indicator", "the indicator code is missing");
        }
        if (auto t = mon::ParseTrack(cell("track")); t && *t != mon::Track::kDerived) {
            in.key.track = *t;
        } else {
            bad("track", fmt::format("\"{}\": expected official or cso", cell("track")));
        }
        if (auto d = mon::ParseDisaggregation(cell("by")); d) {
            in.key.disaggregation = std::move(*d);
        } else {
            bad("by", d.error().message);
        }
        if (auto s = mon::ParseValueStatus(cell("status")); s) {
            in.status = *s;
        } else {
            bad("status", fmt::format("\"{}\": expected one of provided, partial, estimated, "
                                      "refused, no_response, not_collected, not_applicable, "
                                      "true_zero",
                                      cell("status")));
        }
        mon::Figure f;
        bool any_figure = false;
        if (!cell("answer").empty()) {
            any_figure = true;
            f.answer = mon::ParseAnswer(cell("answer"));
            if (!f.answer) {
                bad("answer", fmt::format("\"{}\": expected yes, partial or no", cell("answer")));
            }
        }
        if (!cell("score").empty()) {
            any_figure = true;
            const std::string& s = cell("score");
            if (s.size() == 1 && s[0] >= '0' && s[0] <= '3') {
                f.score = s[0] - '0';
            } else {
                bad("score", fmt::format("\"{}\": expected 0, 1, 2 or 3", s));
            }
        }
        f.justification = cell("justification");
        any_figure |= !f.justification.empty();
        struct NumberColumn {
            const char* name;
            std::optional<double>* target;
        };
        for (const auto& [name, target] :
             {NumberColumn{"value", &f.number}, NumberColumn{"numerator", &f.numerator},
              NumberColumn{"denominator", &f.denominator}, NumberColumn{"n", &f.n},
              NumberColumn{"p90", &f.p90}, NumberColumn{"amount", &f.amount}}) {
            std::string why;
            *target = ParseNumber(cell(name), std::string_view(name) == "value", &why);
            if (!why.empty()) {
                bad(name, why);
            }
            any_figure |= target->has_value();
        }
        f.currency = cell("currency");
        if (any_figure) {
            in.figure = std::move(f);
        }
        if (!cell("source_type").empty()) {
            auto st = mon::ParseSourceType(cell("source_type"));
            if (!st || *st == mon::SourceType::kCaseRecords || *st == mon::SourceType::kRegister) {
                bad("source_type", fmt::format("\"{}\": expected institution, document or request",
                                               cell("source_type")));
            } else {
                in.source.type = *st;
                in.source.ref = cell("source");
            }
        }
        in.note = cell("note");
        if (diags.size() != errors_before) {
            continue;
        }
        if (auto derived = CheckNotRegisterDerived(*fw, in.key); !derived) {
            bad("track", derived.error().message);
            continue;
        }
        if (auto [it, fresh] = seen.emplace(in.key, r.row); !fresh) {
            bad("indicator",
                fmt::format("{} is already given on row {}", mon::ToString(in.key), it->second));
            continue;
        }
        const auto cur = data->values.find(in.key);
        if (cur != data->values.end() && SameAsCurrent(in, cur->second.current())) {
            ++report.unchanged;
            continue;
        }
        // A row changes the value only when nobody changed it since the file was exported: a
        // stale file must not undo a newer version without anyone noticing.
        if (has_version) {
            const std::string& exported = cell("version");
            int exported_version = 0;
            const auto [end, ec] = std::from_chars(
                exported.data(), exported.data() + exported.size(), exported_version);
            if (!exported.empty() && (ec != std::errc() || exported_version < 1 ||
                                      end != exported.data() + exported.size())) {
                bad("version", fmt::format("\"{}\": expected the version number the file was "
                                           "exported with, or an empty cell",
                                           exported));
                continue;
            }
            const mon::ValueVersion* now =
                cur == data->values.end() ? nullptr : &cur->second.current();
            if ((now == nullptr ? 0 : now->version) != exported_version) {
                // A change made meanwhile: a conflict (exit 1), not bad input.
                diags.Add(
                    Errc::kConflict,
                    now == nullptr
                        ? fmt::format("{} has no value, but the file was exported at version {}",
                                      mon::ToString(in.key), exported_version)
                        : fmt::format("{} is at version {} ({} by {} at {}), but the file was "
                                      "exported {}; export the template again and redo this "
                                      "row, or write {} in its version cell to replace that "
                                      "version",
                                      mon::ToString(in.key), now->version, now->change,
                                      now->changed_by, now->changed_at,
                                      exported_version == 0
                                          ? std::string("before it had a value")
                                          : fmt::format("at version {}", exported_version),
                                      now->version),
                    where("version"));
                continue;
            }
        }
        if (cur != data->values.end()) {
            const mon::ValueVersion& now = cur->second.current();
            // The exported value of a PCT, RATE or AMT is computed from its parts; when only the
            // parts were changed, the old value is left behind and computed again.
            if (now.figure && in.figure && in.figure->number && now.figure->number &&
                mon::SameNumber(in.figure->number, now.figure->number) &&
                (in.figure->numerator || in.figure->amount)) {
                in.figure->number.reset();
            }
        }
        mon::Event e;
        e.at = at;
        e.actor = actor;
        e.country = data->cycle.country;
        e.payload = mon::ValueEntered{cycle, in.key, in.status, in.figure, in.source, in.note};
        if (auto s = trial.Apply(e, ctx, mon::Checks::kNoRules); !s) {
            // Its own code: a locked value is a refusal (exit 1), not bad input (exit 2).
            diags.Add(s.error().code, s.error().message, sink.Where(r.row, ""));
            continue;
        }
        report.changes.push_back({r.row, in.key});
        inputs.push_back(std::move(in));
    }
    if (diags.empty() && !inputs.empty()) {
        std::vector<mon::ValueKey> keys;
        for (const auto& in : inputs) {
            keys.push_back(in.key);
        }
        if (auto s = trial.CheckRules(cycle, keys, ctx); !s) {
            // Each row whose value takes part in a broken rule, with the rule's message, so
            // that the rows to look at are named.
            const size_t before = diags.size();
            for (const auto& change : report.changes) {
                if (auto one = trial.CheckRules(cycle, {change.key}, ctx); !one) {
                    diags.Add(Errc::kInvalidArgument, one.error().message,
                              sink.Where(change.row, ""));
                }
            }
            if (diags.size() == before) {
                diags.Add(Errc::kInvalidArgument, s.error().message, Location{.file = file});
            }
        }
    }
    if (!diags.empty()) {
        return Fail(diags.Summary());
    }
    report.changed = static_cast<int>(inputs.size());
    if (!dry_run && !inputs.empty()) {
        RAP_TRY(EnterValues(store, catalog, actor, cycle, inputs));
    }
    return report;
}

}  // namespace rap::app
