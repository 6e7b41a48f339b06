// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/monitoring_commands.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <limits>
#include <span>

#include <fmt/format.h>

#include "app/monitoring.hpp"
#include "cli/output.hpp"
#include "core/files.hpp"
#include "core/text.hpp"

namespace rap::cli {

namespace {

namespace mon = rap::monitoring;
using A = MonitoringArgs;
using framework::ValueKind;

Status Bad(std::string message) {
    return Fail(Errc::kInvalidArgument, std::move(message));
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep = ", ") {
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : std::string(sep)) + p;
    }
    return out;
}

// ----- Strict parsing of what the user typed: every error names the option and what it accepts.

// `text` as one of `allowed` (by its code, or another spelling `parse` accepts).
template <class E>
Result<E> ParseEnum(std::string_view option, std::string_view text,
                    std::optional<E> (*parse)(std::string_view), std::span<const E> allowed) {
    const std::optional<E> e = parse(text);
    if (e && std::find(allowed.begin(), allowed.end(), *e) != allowed.end()) {
        return *e;
    }
    std::vector<std::string> names;
    for (E a : allowed) {
        names.emplace_back(Name(a));
    }
    return Fail(Errc::kInvalidArgument,
                fmt::format("{}: '{}' is not allowed; use one of: {}", option, text, Join(names)));
}
template <class E>
Result<E> ParseEnum(std::string_view option, std::string_view text,
                    std::optional<E> (*parse)(std::string_view), std::initializer_list<E> allowed) {
    return ParseEnum(option, text, parse, std::span<const E>(allowed.begin(), allowed.size()));
}
template <class E, size_t N>
Result<E> ParseEnum(std::string_view option, std::string_view text,
                    std::optional<E> (*parse)(std::string_view), const std::array<E, N>& allowed) {
    return ParseEnum(option, text, parse, std::span<const E>(allowed));
}

// As ParseEnum, but empty text is "not given".
template <class E, class Allowed>
Result<std::optional<E>> ParseOptEnum(std::string_view option, std::string_view text,
                                      std::optional<E> (*parse)(std::string_view),
                                      const Allowed& allowed) {
    if (text.empty()) {
        return std::optional<E>();
    }
    return std::optional<E>(RAP_TRY(ParseEnum(option, text, parse, allowed)));
}
template <class E>
Result<std::optional<E>> ParseOptEnum(std::string_view option, std::string_view text,
                                      std::optional<E> (*parse)(std::string_view),
                                      std::initializer_list<E> allowed) {
    return ParseOptEnum<E, std::initializer_list<E>>(option, text, parse, allowed);
}

Result<double> ParseNumber(std::string_view option, const std::string& text) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(v)) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("{}: '{}' is not a number; write digits with a decimal point and "
                                "no thousands separator, e.g. 1234.5",
                                option, text));
    }
    return v;
}

Status ParseOptNumber(std::string_view option, const std::string& text,
                      std::optional<double>& out) {
    if (!text.empty()) {
        out = RAP_TRY(ParseNumber(option, text));
    }
    return Ok();
}

Result<long long> ParseInt(std::string_view option, const std::string& text, long long lo,
                           long long hi) {
    long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) {
        return Fail(
            Errc::kInvalidArgument,
            fmt::format("{}: '{}' is not a whole number from {} to {}", option, text, lo, hi));
    }
    return v;
}

Result<int> ParseYear(std::string_view option, const std::string& text) {
    return static_cast<int>(RAP_TRY(ParseInt(option, text, 1990, 2100)));
}

Result<core::Date> ParseDate(std::string_view option, const std::string& text) {
    auto d = core::Date::Parse(text);
    if (!d) {
        return Fail(
            Errc::kInvalidArgument,
            fmt::format("{}: '{}' is not a date; write YYYY-MM-DD, e.g. 2025-03-31", option, text));
    }
    return *d;
}

Result<std::optional<core::Date>> ParseOptDate(std::string_view option, const std::string& text) {
    if (text.empty()) {
        return std::optional<core::Date>();
    }
    return std::optional<core::Date>(RAP_TRY(ParseDate(option, text)));
}

Result<core::Date> DateOrToday(std::string_view option, const std::string& text) {
    return text.empty() ? core::Date::Today() : ParseDate(option, text);
}

Result<std::string> ParseCountry(std::string_view option, const std::string& text,
                                 const app::Catalog& catalog) {
    std::vector<std::string> codes;
    if (const auto& set = catalog.data().countries) {
        for (const auto& c : set->countries) {
            if (c.code == text) {
                return text;
            }
            codes.push_back(c.code);
        }
    }
    return Fail(Errc::kInvalidArgument,
                fmt::format("{}: '{}' is not a country of the database; use one of: {}", option,
                            text, Join(codes)));
}

// `text` as a code of a codelist (one that applies to `country`).
Status ParseCode(std::string_view option, std::string_view dimension, const std::string& text,
                 const std::string& country, const app::Catalog& catalog) {
    const cases::Codelist* list = catalog.data().codelists.Find(dimension);
    if (list == nullptr || list->Allows(text, country)) {
        return Ok();
    }
    std::vector<std::string> codes;
    for (const auto& c : list->codes) {
        if (list->Allows(c.code, country)) {
            codes.push_back(c.code);
        }
    }
    return Bad(fmt::format("{}: '{}' is not a code of {}; use one of: {}", option, text, dimension,
                           Join(codes)));
}

// --region: empty, or a region of `country` (a REG code of its own).
Status ParseRegion(const std::string& region, const std::string& country,
                   const app::Catalog& catalog) {
    if (region.empty()) {
        return Ok();
    }
    if (auto ok = catalog.data().CheckRegion(country, region); !ok) {
        return Bad("--region: " + ok.error().message);
    }
    return Ok();
}

// The person acting: --user, else $RAPPORTEUR_USER, else $USER.
Result<std::string> Actor(const A& a) { return UserName(a.user); }

enum class TrackUse { kEntered, kAny };

// INDICATOR[/MEASURE] with --by and --track.
Result<mon::ValueKey> ParseKey(const std::string& text, const A& a, TrackUse use) {
    mon::ValueKey key;
    const size_t slash = text.find('/');
    key.indicator = text.substr(0, slash);
    if (slash != std::string::npos) {
        key.measure = text.substr(slash + 1);
    }
    std::string area, country;
    if (!framework::ParseIndicatorCode(key.indicator, &area, &country) || key.measure.empty() ||
        key.measure.find('/') != std::string::npos) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("'{}' is not a value key; write INDICATOR or INDICATOR/MEASURE, "
                                "e.g. LF.4 or CO.8/mechanism",
                                text));
    }
    if (!a.by.empty()) {
        auto d = mon::ParseDisaggregation(a.by);
        if (!d) {
            return Fail(Errc::kInvalidArgument, "--by: " + d.error().message);
        }
        key.disaggregation = std::move(*d);
    }
    if (!a.track.empty() && use == TrackUse::kEntered) {
        key.track = RAP_TRY(ParseEnum("--track", a.track, mon::ParseTrack,
                                      {mon::Track::kOfficial, mon::Track::kCso}));
    } else if (!a.track.empty()) {
        key.track =
            RAP_TRY(ParseEnum("--track", a.track, mon::ParseTrack, mon::kAllTracks));
    }
    return key;
}

Result<std::optional<mon::Track>> ParseTrackFilter(const A& a) {
    return ParseOptEnum("--track", a.track, mon::ParseTrack, mon::kAllTracks);
}

Result<ValuesFormat> ListFormat(const A& a) {
    if (a.format == "table") {
        return ValuesFormat::kTable;
    }
    if (a.format == "csv") {
        return ValuesFormat::kCsv;
    }
    if (a.format == "json") {
        return ValuesFormat::kJson;
    }
    return Fail(
        Errc::kInvalidArgument,
        fmt::format("--format: '{}' is not allowed; use one of: table, csv, json", a.format));
}

// ----- Display.

std::string Opt(const std::optional<double>& v) {
    return v ? Number(*v) : "";
}
std::string Fixed(const std::optional<double>& v, int decimals = 1) {
    return v ? fmt::format("{:.{}f}", *v, decimals) : "";
}
std::string DateText(const std::optional<core::Date>& d) {
    return d ? d->ToString() : "";
}
std::string By(const mon::ValueKey& k) {
    return mon::ToString(k.disaggregation);
}

// A figure in words: "yes", "2", "45.0% (9 of 20)", "median 31 days (n 12, p90 60)", ...
// `full` adds an SC3 score's justification.
std::string FigureText(const std::optional<mon::Figure>& f, bool full) {
    if (!f) {
        return "";
    }
    const std::string ratio =
        f->numerator && f->denominator
            ? fmt::format(" ({} of {})", Number(*f->numerator), Number(*f->denominator))
            : "";
    switch (f->kind) {
        case ValueKind::kYN:
        case ValueKind::kYNP:
            return f->answer ? std::string(mon::Name(*f->answer)) : "";
        case ValueKind::kSC3:
            return (f->score ? std::to_string(*f->score) : std::string()) +
                   (full && !f->justification.empty() ? ": " + f->justification : "");
        case ValueKind::kNUM:
            return Opt(f->number);
        case ValueKind::kPCT:
            return (f->number ? fmt::format("{:.1f}%", *f->number) : "") + ratio;
        case ValueKind::kRATE:
            return (f->number ? fmt::format("{:.2f} per 100,000", *f->number) : "") +
                   (f->numerator && f->denominator
                        ? fmt::format(" ({} in a population of {})", Number(*f->numerator),
                                      Number(*f->denominator))
                        : "");
        case ValueKind::kMED:
            return fmt::format("median {} (n {}{})", Opt(f->number), Opt(f->n),
                               f->p90 ? ", p90 " + Number(*f->p90) : "");
        case ValueKind::kAMT:
            return fmt::format(
                "{} {}{}", Opt(f->amount), f->currency,
                f->currency != "EUR" && f->number ? fmt::format(" = {:.2f} EUR", *f->number) : "");
    }
    return "";
}

std::string SourceText(const mon::Source& s) {
    return s.type == mon::SourceType::kNone ? "" : fmt::format("{} {}", mon::Name(s.type), s.ref);
}

void PrintVersion(const mon::ValueVersion& v) {
    fmt::print("{} version {}: {}\n", mon::ToString(v.key), v.version, mon::Name(v.state));
    fmt::print("  status:  {}\n", mon::Name(v.status));
    if (v.figure) {
        fmt::print("  figure:  {}\n", FigureText(v.figure, true));
    }
    if (v.source.type != mon::SourceType::kNone) {
        fmt::print("  source:  {}\n", SourceText(v.source));
    }
    if (!v.note.empty()) {
        fmt::print("  note:    {}\n", v.note);
    }
    fmt::print("  by:      {} at {} ({})\n", v.changed_by, v.changed_at, v.change);
}

// ----- Cycles.

Status CycleOpen(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    const int year = RAP_TRY(ParseYear("YEAR", a.year));
    std::optional<int> from;
    if (!a.from.empty()) {
        from = RAP_TRY(ParseYear("--from", a.from));
    }
    auto s = RAP_TRY(LoadSession(a.db));
    const std::string country = RAP_TRY(ParseCountry("CC", a.country, *s.catalog));
    const mon::Cycle c = RAP_TRY(app::OpenCycle(*s.store, *s.catalog, actor, country, year, from));
    fmt::print("cycle {} opened by {}: framework {} {} (core {} {})\n", c.id, actor, c.framework_id,
               c.framework_version, c.core_id, c.core_version);
    if (!c.cloned_from.empty()) {
        fmt::print(
            "carried over from {}: {} in scope, information requests as unsent drafts, "
            "narrative sections\n",
            c.cloned_from, Plural(static_cast<long long>(c.institutions.size()), "institution"));
    }
    return Ok();
}

Status CycleList(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    auto s = RAP_TRY(LoadSession(a.db));
    if (!a.country.empty()) {
        RAP_TRY_STATUS(ParseCountry("--country", a.country, *s.catalog));
    }
    const auto cycles = RAP_TRY(app::ListCycles(*s.store, *s.catalog, a.country));
    Table t{{"cycle", "state", "framework", "version", "values", "draft", "submitted", "returned",
             "validated", "published", "requests", "overdue", "recommendations"},
            {},
            {false, false, false, false, true, true, true, true, true, true, true, true, true}};
    for (const auto& c : cycles) {
        auto by_state = [&](mon::WorkflowState st) {
            auto it = c.values_by_state.find(std::string(mon::Name(st)));
            return std::to_string(it == c.values_by_state.end() ? 0 : it->second);
        };
        t.rows.push_back(
            {c.cycle.id, std::string(mon::Name(c.cycle.state)), c.cycle.framework_id,
             c.cycle.framework_version, std::to_string(c.values),
             by_state(mon::WorkflowState::kDraft), by_state(mon::WorkflowState::kSubmitted),
             by_state(mon::WorkflowState::kReturned), by_state(mon::WorkflowState::kValidated),
             by_state(mon::WorkflowState::kPublished), std::to_string(c.requests),
             std::to_string(c.overdue_requests), std::to_string(c.recommendations)});
    }
    PrintTable(t, format);
    return Ok();
}

// "48 of 70 indicators have a figure (69%), 5 explained gaps, 17 with nothing".
std::string CompletenessLine(const app::Completeness& c) {
    const size_t of = c.applicable();
    return fmt::format("{} of {} have a figure{}, {} explained gap{}, {} with nothing",
                       c.with_figure.size(), Plural(static_cast<long long>(of), "indicator"),
                       of == 0 ? std::string()
                               : fmt::format(" ({:.0f}%)", 100.0 * static_cast<double>(
                                                               c.with_figure.size()) /
                                                               static_cast<double>(of)),
                       c.explained.size(), c.explained.size() == 1 ? "" : "s",
                       c.missing.size());
}

Status CycleShow(const A& a) {
    auto s = RAP_TRY(LoadSession(a.db));
    const app::CycleSummary sum = RAP_TRY(app::GetCycle(*s.store, *s.catalog, a.cycle));
    const mon::Cycle& c = sum.cycle;
    fmt::print("cycle {}: {}\n", c.id, mon::Name(c.state));
    fmt::print("framework:        {} {} (core {} {})\n", c.framework_id, c.framework_version,
               c.core_id, c.core_version);
    fmt::print("opened:           by {} at {}{}\n", c.opened_by, c.opened_at,
               c.cloned_from.empty() ? "" : ", carried over from " + c.cloned_from);
    if (c.publications > 0) {
        fmt::print("published:        {} time{}, last by {} at {}\n", c.publications,
                   c.publications == 1 ? "" : "s", c.published_by, c.published_at);
    }
    fmt::print("institutions:     {}\n",
               c.institutions.empty() ? "none in scope" : Join(c.institutions));
    std::vector<std::string> states;
    for (const auto& [state, n] : sum.values_by_state) {
        states.push_back(fmt::format("{} {}", n, state));
    }
    fmt::print("values:           {}{}\n", sum.values,
               states.empty() ? "" : " (" + Join(states) + ")");
    fmt::print("requests:         {} ({} overdue)\n", sum.requests, sum.overdue_requests);
    fmt::print("recommendations:  {}\n", sum.recommendations);
    // The summary stands without it (a cycle whose framework version is no longer loaded).
    const auto done = app::CompletenessOf(*s.store, *s.catalog, a.cycle);
    fmt::print("completeness:     {}\n", done ? CompletenessLine(done->total)
                                              : "unknown (" + done.error().message + ")");
    return Ok();
}

Status CycleCompleteness(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    auto s = RAP_TRY(LoadSession(a.db));
    const app::CycleCompleteness done = RAP_TRY(app::CompletenessOf(*s.store, *s.catalog, a.cycle));
    Table t{{"area", "applicable", "with_figure", "explained", "missing", "not_applicable",
             "missing_indicators"},
            {},
            {false, true, true, true, true, true, false}};
    auto row = [&](const app::Completeness& c) {
        t.rows.push_back({c.area.empty() ? "(all)" : c.area, std::to_string(c.applicable()),
                          std::to_string(c.with_figure.size()), std::to_string(c.explained.size()),
                          std::to_string(c.missing.size()),
                          std::to_string(c.not_applicable.size()), Join(c.missing)});
    };
    row(done.total);
    for (const auto& c : done.areas) {
        row(c);
    }
    PrintTable(t, format);
    if (format == ValuesFormat::kTable) {
        fmt::print("{}: {}\n", done.cycle, CompletenessLine(done.total));
    }
    return Ok();
}

Status CycleCheck(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    auto s = RAP_TRY(LoadSession(a.db));
    const app::CycleChecks checks =
        RAP_TRY(app::CheckAgainstPreviousYear(*s.store, *s.catalog, a.cycle));
    Table t{{"indicator", "measure", "by", "track", "check", "previous", "current", "why"},
            {},
            {}};
    for (const auto& f : checks.flags) {
        const mon::ValueKey& k = f.current.key;
        t.rows.push_back({k.indicator, k.measure, By(k), std::string(mon::Name(k.track)),
                          std::string(mon::Name(f.check)),
                          f.previous.figure ? FigureText(f.previous.figure, false)
                                            : std::string(mon::Name(f.previous.status)),
                          f.current.figure ? FigureText(f.current.figure, false)
                                           : std::string(mon::Name(f.current.status)),
                          f.why});
    }
    PrintTable(t, format);
    if (format == ValuesFormat::kTable) {
        if (checks.previous_cycle.empty()) {
            fmt::print("{}: no cycle the year before to compare with\n", checks.cycle);
        } else {
            fmt::print("{}: {} against {}; a check does not block validation, it asks for a "
                       "second look\n",
                       checks.cycle, Plural(static_cast<long long>(checks.flags.size()), "change"),
                       checks.previous_cycle);
        }
    }
    return Ok();
}

Status CyclePublish(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    auto s = RAP_TRY(LoadSession(a.db));
    RAP_TRY_STATUS(app::PublishCycle(*s.store, *s.catalog, actor, a.cycle));
    fmt::print("cycle {} published by {}\n", a.cycle, actor);
    return Ok();
}

Status CycleReopen(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    if (core::IsBlank(a.reason)) {
        return Bad("--reason: say why the published cycle is reopened");
    }
    auto s = RAP_TRY(LoadSession(a.db));
    RAP_TRY_STATUS(app::ReopenCycle(*s.store, *s.catalog, actor, a.cycle, a.reason));
    fmt::print("cycle {} reopened by {}: {}\n", a.cycle, actor, a.reason);
    return Ok();
}

Status CycleExport(const A& a) {
    if (a.format != "xlsx" && a.format != "csv") {
        return Bad(fmt::format("--format: '{}' is not allowed; use one of: xlsx, csv", a.format));
    }
    auto s = RAP_TRY(LoadSession(a.db));
    const auto files = RAP_TRY(app::ExportCycleTemplate(
        *s.store, *s.catalog, a.cycle,
        a.format == "csv" ? app::TableFormat::kCsv : app::TableFormat::kXlsx, a.output));
    for (const auto& f : files) {
        fmt::print("{}\n", f);
    }
    return Ok();
}

Status CycleImport(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    auto s = RAP_TRY(LoadSession(a.db));
    core::Diagnostics diags;
    auto report =
        app::ImportCycleValues(*s.store, *s.catalog, actor, a.cycle, a.file, a.dry_run, diags);
    if (!report) {
        if (diags.empty()) {
            return Fail(report.error());
        }
        const Error summary = Problems(diags, report.error());
        return Fail(summary.code,
                    fmt::format("{} in {}; nothing was stored",
                                Plural(static_cast<long long>(diags.size()), "problem"), a.file));
    }
    fmt::print("{} read: {} changed, {} unchanged or empty\n", Plural(report->rows, "row"),
               report->changed, report->unchanged);
    for (const auto& c : report->changes) {
        fmt::print("  row {}: {}\n", c.row, mon::ToString(c.key));
    }
    if (report->dry_run) {
        fmt::print("dry run: every row is valid; nothing was stored\n");
    }
    return Ok();
}

// ----- Values.

Status ValueSet(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    app::ValueInput in;
    in.key = RAP_TRY(ParseKey(a.keys.at(0), a, TrackUse::kEntered));
    in.status = RAP_TRY(ParseEnum(
        "--status", a.status, mon::ParseValueStatus, mon::kAllValueStatuses));
    mon::Figure f;
    f.answer = RAP_TRY(ParseOptEnum("--answer", a.answer, mon::ParseAnswer, mon::kAllAnswers));
    if (!a.score.empty()) {
        f.score = static_cast<int>(RAP_TRY(ParseInt("--score", a.score, 0, 3)));
    }
    f.justification = a.justification;
    RAP_TRY_STATUS(ParseOptNumber("--value", a.value, f.number));
    RAP_TRY_STATUS(ParseOptNumber("--numerator", a.numerator, f.numerator));
    RAP_TRY_STATUS(ParseOptNumber("--denominator", a.denominator, f.denominator));
    RAP_TRY_STATUS(ParseOptNumber("--n", a.n, f.n));
    RAP_TRY_STATUS(ParseOptNumber("--p90", a.p90, f.p90));
    RAP_TRY_STATUS(ParseOptNumber("--amount", a.amount, f.amount));
    f.currency = a.currency;
    if (f.answer || f.score || !f.justification.empty() || f.number || f.numerator ||
        f.denominator || f.n || f.p90 || f.amount || !f.currency.empty()) {
        in.figure = f;
    }
    if (a.source_type.empty() != a.source.empty()) {
        return Bad(
            "--source-type and --source go together: the kind of source and which one "
            "(an institution id, a document title or URL, a request id)");
    }
    if (!a.source_type.empty()) {
        in.source.type =
            RAP_TRY(ParseEnum("--source-type", a.source_type, mon::ParseSourceType,
                              {mon::SourceType::kInstitution, mon::SourceType::kDocument,
                               mon::SourceType::kRequest}));
        in.source.ref = a.source;
    }
    in.note = a.note;
    auto s = RAP_TRY(LoadSession(a.db));
    const auto versions = RAP_TRY(app::EnterValues(*s.store, *s.catalog, actor, a.cycle, {in}));
    for (const auto& v : versions) {
        PrintVersion(v);
    }
    return Ok();
}

Status ValueList(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    app::ValueFilter filter;
    filter.indicator = a.indicator;
    filter.track = RAP_TRY(ParseTrackFilter(a));
    filter.state = RAP_TRY(ParseOptEnum(
        "--state", a.state, mon::ParseWorkflowState, mon::kAllWorkflowStates));
    filter.derived = !a.no_derived;
    auto s = RAP_TRY(LoadSession(a.db));
    const auto values = RAP_TRY(app::ListValues(*s.store, *s.catalog, a.cycle, filter));
    Table t{{"indicator", "measure", "by", "track", "version", "state", "status", "figure",
             "evidence", "author", "derived_from", "disagreement"},
            {},
            {false, false, false, false, true, false, false, false, true}};
    // For spreadsheets and scripts, the parts of the figure as well.
    const bool parts = format != ValuesFormat::kTable;
    if (parts) {
        t.header.insert(t.header.end(), {"answer", "score", "number", "numerator", "denominator"});
        t.numeric.resize(12, false);
        t.numeric.insert(t.numeric.end(), {false, true, true, true, true});
    }
    for (const auto& cv : values) {
        const mon::ValueVersion& v = cv.current;
        t.rows.push_back({v.key.indicator, v.key.measure, By(v.key),
                          std::string(mon::Name(v.key.track)), std::to_string(v.version),
                          std::string(mon::Name(v.state)), std::string(mon::Name(v.status)),
                          FigureText(v.figure, false), std::to_string(cv.evidence.size()), v.author,
                          cv.derived_from, cv.disagreement});
        if (parts) {
            const mon::Figure f = v.figure.value_or(mon::Figure{});
            t.rows.back().insert(t.rows.back().end(),
                                 {f.answer ? std::string(mon::Name(*f.answer)) : "",
                                  f.score ? std::to_string(*f.score) : "", Opt(f.number),
                                  Opt(f.numerator), Opt(f.denominator)});
        }
    }
    PrintTable(t, format);
    return Ok();
}

Status ValueHistory(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    const mon::ValueKey key = RAP_TRY(ParseKey(a.keys.at(0), a, TrackUse::kAny));
    auto s = RAP_TRY(LoadSession(a.db));
    const auto history = RAP_TRY(app::GetValueHistory(*s.store, *s.catalog, a.cycle, key));
    Table t{{"version", "state", "status", "figure", "source", "note", "changed_by", "changed_at",
             "change"},
            {},
            {true}};
    for (const auto& v : history.versions) {
        t.rows.push_back({std::to_string(v.version), std::string(mon::Name(v.state)),
                          std::string(mon::Name(v.status)), FigureText(v.figure, true),
                          SourceText(v.source), v.note, v.changed_by, v.changed_at, v.change});
    }
    if (format == ValuesFormat::kTable) {
        fmt::print("{} in {}\n", mon::ToString(key), a.cycle);
    }
    PrintTable(t, format);
    if (format == ValuesFormat::kTable) {
        for (const auto& e : history.evidence) {
            std::vector<std::string> about;
            for (const std::string& part : {e.citation, e.url, DateText(e.date), e.file_name}) {
                if (!part.empty()) {
                    about.push_back(part);
                }
            }
            fmt::print("evidence {}: {} \"{}\"{}, reliability {}; added by {} at {}\n", e.id,
                       mon::Name(e.type), e.title, about.empty() ? "" : " (" + Join(about) + ")",
                       mon::Name(e.reliability), e.added_by, e.added_at);
        }
    }
    return Ok();
}

Status ValueMove(const A& a, mon::Transition transition) {
    const std::string actor = RAP_TRY(Actor(a));
    const bool needs_comment =
        transition == mon::Transition::kReturn || transition == mon::Transition::kReopen;
    if (needs_comment && core::IsBlank(a.comment)) {
        return Bad(transition == mon::Transition::kReturn
                       ? "--comment: returning values needs a comment that says what to change"
                       : "--comment: reopening values needs a reason");
    }
    app::ValueSelection selection;
    std::vector<int> versions;
    for (const auto& given : a.keys) {
        // INDICATOR[/MEASURE][@VERSION]: the version the value was looked at in.
        std::string k = given;
        int version = 0;
        if (const size_t at = k.find('@'); at != std::string::npos) {
            const auto parsed = ParseInt(given, k.substr(at + 1), 1, 999999);
            if (!parsed) {
                return Bad(fmt::format("{}: the version after '@' is a number from 1, e.g. "
                                       "ID.1@3",
                                       given));
            }
            version = static_cast<int>(*parsed);
            k.resize(at);
        }
        selection.keys.push_back(RAP_TRY(ParseKey(k, a, TrackUse::kAny)));
        versions.push_back(version);
    }
    if (std::any_of(versions.begin(), versions.end(), [](int v) { return v != 0; })) {
        selection.versions = std::move(versions);
    }
    if (selection.keys.empty()) {
        if (!a.by.empty()) {
            return Bad("--by: applies to the INDICATOR[/MEASURE] keys named; name at least one");
        }
        selection.indicator = a.indicator;
        selection.track = RAP_TRY(ParseTrackFilter(a));
    } else if (!a.indicator.empty()) {
        return Bad("--indicator: name the values either as keys or with --indicator, not both");
    }
    auto s = RAP_TRY(LoadSession(a.db));
    const app::MovedValues moved = RAP_TRY(
        app::MoveValues(*s.store, *s.catalog, actor, a.cycle, transition, selection, a.comment));
    const std::string_view done = transition == mon::Transition::kSubmit     ? "submitted"
                                  : transition == mon::Transition::kValidate ? "validated"
                                  : transition == mon::Transition::kReturn   ? "returned"
                                                                             : "reopened";
    fmt::print("{} {} in {} by {}\n", Plural(moved.moved, "value"), done, a.cycle, actor);
    if (moved.left_own > 0) {
        fmt::print("{} entered by {} left for another reviewer\n",
                   Plural(moved.left_own, "value"), actor);
    }
    if (moved.left_returned > 0) {
        fmt::print("{} returned by a reviewer left out: correct {} (value set), or submit {} by "
                   "name with --comment answering the reviewer\n",
                   Plural(moved.left_returned, "value"), moved.left_returned == 1 ? "it" : "them",
                   moved.left_returned == 1 ? "it" : "each");
    }
    return Ok();
}

Status EvidenceAdd(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    const mon::ValueKey key = RAP_TRY(ParseKey(a.keys.at(0), a, TrackUse::kEntered));
    mon::Evidence e;
    e.type = RAP_TRY(
        ParseEnum("--type", a.type, mon::ParseEvidenceType, mon::kAllEvidenceTypes));
    e.title = a.title;
    e.citation = a.citation;
    e.url = a.url;
    e.date = RAP_TRY(ParseOptDate("--date", a.date));
    if (!a.reliability.empty()) {
        e.reliability = RAP_TRY(ParseEnum(
            "--reliability", a.reliability, mon::ParseReliability, mon::kAllReliabilities));
    }
    auto s = RAP_TRY(LoadSession(a.db));
    const mon::Evidence added =
        RAP_TRY(app::AddEvidence(*s.store, *s.catalog, actor, a.cycle, key, e, a.file));
    fmt::print("evidence {} added to {}: {} \"{}\"{}\n", added.id, mon::ToString(key),
               mon::Name(added.type), added.title,
               added.file_sha256.empty() ? "" : ", file " + added.file_name);
    return Ok();
}

// ----- Scores.

Status Score(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    auto s = RAP_TRY(LoadSession(a.db));
    const mon::CycleScores scores = RAP_TRY(app::ScoreCycle(*s.store, *s.catalog, a.cycle));
    Table t{{"area", "score", "band", "with_value", "scorable", "coverage", "law", "practice",
             "gap", "caps"},
            {},
            {false, true, false, true, true, true, true, true, true, false}};
    const bool explain_in_table = a.explain && format != ValuesFormat::kTable;
    if (explain_in_table) {
        t.header.emplace_back("explanation");
    }
    for (const auto& area : scores.areas) {
        t.rows.push_back({area.area, Fixed(area.score),
                          area.insufficient ? "insufficient data" : area.band,
                          std::to_string(area.with_value), std::to_string(area.scorable),
                          fmt::format("{:.0f}", 100 * area.coverage), Fixed(area.law),
                          Fixed(area.practice), Fixed(area.gap), Join(area.caps_applied)});
        if (explain_in_table) {
            t.rows.back().push_back(Join(area.explanation, "\n"));
        }
    }
    if (format == ValuesFormat::kTable) {
        fmt::print("scores of {} (framework {} {}; coverage in %)\n", a.cycle, scores.framework_id,
                   scores.framework_version);
    }
    PrintTable(t, format);
    if (a.explain && format == ValuesFormat::kTable) {
        for (const auto& area : scores.areas) {
            fmt::print("\n{}:\n", area.area);
            for (const auto& line : area.explanation) {
                fmt::print("  {}\n", line);
            }
        }
    }
    return Ok();
}

Status Compare(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    const std::string& text = a.keys.at(0);
    const size_t slash = text.find('/');
    const std::string indicator = text.substr(0, slash);
    const std::string measure = slash == std::string::npos ? "" : text.substr(slash + 1);
    std::string area, country;
    if (!framework::ParseIndicatorCode(indicator, &area, &country) ||
        (slash != std::string::npos && measure.empty())) {
        return Bad(
            fmt::format("'{}' is not an indicator; write INDICATOR or INDICATOR/MEASURE, "
                        "e.g. JS.3 or CO.8/mechanism",
                        text));
    }
    const int year = RAP_TRY(ParseYear("--year", a.year));
    auto s = RAP_TRY(LoadSession(a.db));
    const mon::RegionalFigure r =
        RAP_TRY(app::CompareIndicator(*s.store, *s.catalog, indicator, measure, year));
    if (format == ValuesFormat::kTable) {
        fmt::print("{}/{} in {}: {}\n", r.indicator, r.measure, year,
                   r.value ? Number(*r.value) : "no regional figure");
        fmt::print("method:   {}\n", r.method);
        fmt::print("included: {}\n", r.included.empty() ? "none" : Join(r.included));
        if (!r.unreviewed.empty()) {
            std::vector<std::string> which;
            for (const auto& [c, state] : r.unreviewed) {
                which.push_back(fmt::format("{} ({})", c, state));
            }
            fmt::print("not yet validated: {}; the figure is a working one until they are\n",
                       Join(which));
        }
        Table t{{"left out", "why"}, {}, {}};
        for (const auto& [c, why] : r.left_out) {
            t.rows.push_back({c, why});
        }
        if (!t.rows.empty()) {
            PrintTable(t, format);
        }
        return Ok();
    }
    Table t{{"indicator", "measure", "year", "value", "method", "country", "included", "state",
             "reason"},
            {},
            {false, false, true, true}};
    auto row = [&](const std::string& c, bool included, const std::string& state,
                   const std::string& why) {
        t.rows.push_back({r.indicator, r.measure, std::to_string(year), Opt(r.value), r.method, c,
                          included ? "yes" : "no", state, why});
    };
    for (const auto& c : r.included) {
        auto u = std::find_if(r.unreviewed.begin(), r.unreviewed.end(),
                              [&](const auto& p) { return p.first == c; });
        row(c, true, u == r.unreviewed.end() ? "validated" : u->second, "");
    }
    for (const auto& [c, why] : r.left_out) {
        row(c, false, "", why);
    }
    PrintTable(t, format);
    return Ok();
}

// ----- Institutions and information requests.

Status InstitutionAdd(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    mon::Institution inst;
    inst.id = a.id;
    inst.name = a.name;
    inst.email = a.email;
    inst.note = a.note;
    inst.type = a.type;
    inst.region = a.region;
    auto s = RAP_TRY(LoadSession(a.db));
    inst.country = RAP_TRY(ParseCountry("CC", a.country, *s.catalog));
    RAP_TRY_STATUS(ParseCode("--type", "INST", a.type, inst.country, *s.catalog));
    RAP_TRY_STATUS(ParseRegion(a.region, inst.country, *s.catalog));
    RAP_TRY_STATUS(app::SaveInstitution(*s.store, *s.catalog, actor, inst, a.cycle));
    fmt::print("institution {} ({}) saved in {}'s register{}\n", inst.id, inst.name, inst.country,
               a.cycle.empty() ? "" : " and in scope of " + a.cycle);
    return Ok();
}

Status InstitutionList(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    auto s = RAP_TRY(LoadSession(a.db));
    const std::string country = RAP_TRY(ParseCountry("CC", a.country, *s.catalog));
    const auto list = RAP_TRY(app::ListInstitutions(*s.store, *s.catalog, country));
    Table t{{"id", "name", "type", "region", "email", "note"}, {}, {}};
    for (const auto& i : list) {
        t.rows.push_back({i.id, i.name, i.type, i.region, i.email, i.note});
    }
    PrintTable(t, format);
    return Ok();
}

Result<mon::Channel> ParseChannel(const std::string& text) {
    return ParseEnum("--channel", text, mon::ParseChannel, mon::kAllChannels);
}

// INDICATOR[:DIMENSIONS[:PERIOD]]
Result<mon::RequestItem> ParseItem(const std::string& text) {
    mon::RequestItem item;
    const size_t first = text.find(':');
    item.indicator = text.substr(0, first);
    if (first != std::string::npos) {
        const size_t second = text.find(':', first + 1);
        item.disaggregation = text.substr(first + 1, second - first - 1);
        if (second != std::string::npos) {
            item.period = text.substr(second + 1);
        }
    }
    std::string area, country;
    if (!framework::ParseIndicatorCode(item.indicator, &area, &country)) {
        return Fail(
            Errc::kInvalidArgument,
            fmt::format("--item: '{}' does not start with an indicator code; write "
                        "INDICATOR[:DIMENSIONS[:PERIOD]], e.g. ID.2:SEX;AGE:2025",
                        text));
    }
    // The breakdown asked for, as dimensions: "SEX;AGE" (a comma works too).
    std::string dims;
    for (char c : item.disaggregation) {
        if (c == ',' || c == ';') {
            c = ';';
        } else if (c == ' ') {
            continue;
        }
        dims += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    item.disaggregation = dims;
    return item;
}

// The legal deadline of a request just stored (nullopt before it is sent, or when it cannot be
// read back: the request is stored all the same).
std::optional<core::Date> DeadlineOf(const Session& s, const mon::InfoRequest& request) {
    const auto got = app::GetExplainedRequest(*s.store, *s.catalog, request.id);
    return got && got->deadline ? std::optional<core::Date>(got->deadline->deadline)
                                : std::nullopt;
}

Status RequestAdd(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    mon::InfoRequest r;
    r.cycle = a.cycle;
    r.institution = a.institution;
    for (const auto& text : a.items) {
        r.items.push_back(RAP_TRY(ParseItem(text)));
    }
    if (!a.channel.empty()) {
        r.channel = RAP_TRY(ParseChannel(a.channel));
    }
    r.sent = RAP_TRY(ParseOptDate("--sent", a.sent));
    r.urgent = a.urgent;
    r.note = a.note;
    auto s = RAP_TRY(LoadSession(a.db));
    const mon::InfoRequest saved = RAP_TRY(app::SaveRequest(*s.store, *s.catalog, actor, r));
    const auto deadline = DeadlineOf(s, saved);
    fmt::print("request {} to {}: {}, {}\n", saved.id, saved.institution,
               Plural(static_cast<long long>(saved.items.size()), "item"),
               saved.sent ? fmt::format("{}sent {} by {}{}", saved.urgent ? "urgent, " : "",
                                        saved.sent->ToString(), mon::Name(saved.channel),
                                        deadline ? ", legal deadline " + deadline->ToString() : "")
                          : std::string("drafted, not sent"));
    return Ok();
}

// The request change commands: get the current version, change it, attach `file` (a path; none
// when empty), store it as a new version.
Status ChangeRequest(const A& a, std::string_view what,
                     const std::function<Status(mon::InfoRequest&)>& change,
                     const std::string& file = "") {
    const std::string actor = RAP_TRY(Actor(a));
    auto s = RAP_TRY(LoadSession(a.db));
    mon::InfoRequest r = RAP_TRY(app::GetRequest(*s.store, *s.catalog, a.id));
    RAP_TRY_STATUS(change(r));
    const mon::InfoRequest saved =
        RAP_TRY(app::SaveRequest(*s.store, *s.catalog, actor, r, file));
    const auto deadline = DeadlineOf(s, saved);
    fmt::print("request {}: {}{}\n", saved.id, what,
               deadline ? "; legal deadline " + deadline->ToString() : "");
    return Ok();
}

Status RequestSend(const A& a) {
    const core::Date date = RAP_TRY(ParseDate("--date", a.date));
    std::optional<mon::Channel> channel;
    if (!a.channel.empty()) {
        channel = RAP_TRY(ParseChannel(a.channel));
    }
    return ChangeRequest(a, "sent on " + date.ToString(), [&](mon::InfoRequest& r) -> Status {
        if (r.sent && *r.sent != date && !a.correct) {
            return Fail(Errc::kFailedPrecondition,
                        fmt::format("request {} was already recorded as sent on {}; to correct "
                                    "the date, add --correct",
                                    r.id, r.sent->ToString()));
        }
        r.sent = date;
        r.channel = channel.value_or(r.channel);
        r.urgent = r.urgent || a.urgent;
        return Ok();
    });
}

Status RequestReply(const A& a) {
    const core::Date date = RAP_TRY(ParseDate("--date", a.date));
    const mon::ResponseType response = RAP_TRY(
        ParseEnum("--response", a.response, mon::ParseResponseType, mon::kAllResponseTypes));
    const auto ground = RAP_TRY(
        ParseOptEnum("--ground", a.ground, mon::ParseRefusalGround, mon::kAllRefusalGrounds));
    std::vector<std::pair<std::string, mon::ItemOutcome>> outcomes;
    for (const auto& text : a.items) {
        const size_t eq = text.find('=');
        if (eq == std::string::npos) {
            return Bad(
                fmt::format("--item: '{}' is not INDICATOR=OUTCOME, e.g. ID.2=provided", text));
        }
        outcomes.emplace_back(
            text.substr(0, eq),
            RAP_TRY(ParseEnum("--item " + text.substr(0, eq), text.substr(eq + 1),
                              mon::ParseItemOutcome,
                              {mon::ItemOutcome::kProvided, mon::ItemOutcome::kPartial,
                               mon::ItemOutcome::kRefused, mon::ItemOutcome::kNotHeld})));
    }
    if (response == mon::ResponseType::kPartial && outcomes.empty()) {
        return Bad(
            "--item: a partial reply says what came back for each item: --item "
            "INDICATOR=provided|partial|refused|not_held");
    }
    return ChangeRequest(
        a, fmt::format("{} on {}", mon::Name(response), date.ToString()),
        [&](mon::InfoRequest& r) -> Status {
            r.response = response;
            r.refusal_ground = ground;
            if (response == mon::ResponseType::kForwarded) {
                r.forwarded_on = date;
                r.response_date.reset();
            } else if (response == mon::ResponseType::kNoResponse) {
                r.response_date.reset();
            } else {
                r.response_date = date;
            }
            // Without --item, every item follows the reply.
            const mon::ItemOutcome all =
                response == mon::ResponseType::kFull      ? mon::ItemOutcome::kProvided
                : response == mon::ResponseType::kRefused ? mon::ItemOutcome::kRefused
                : response == mon::ResponseType::kNotHeld ? mon::ItemOutcome::kNotHeld
                                                          : mon::ItemOutcome::kPending;
            for (auto& item : r.items) {
                item.outcome = all;
            }
            for (const auto& [indicator, outcome] : outcomes) {
                bool found = false;
                for (auto& item : r.items) {
                    if (item.indicator == indicator) {
                        item.outcome = outcome;
                        found = true;
                    }
                }
                if (!found) {
                    std::vector<std::string> asked;
                    for (const auto& item : r.items) {
                        asked.push_back(item.indicator);
                    }
                    return Bad(fmt::format("--item: request {} asks for no {}; its items: {}", r.id,
                                           indicator, Join(asked)));
                }
            }
            return Ok();
        },
        a.file);
}

Status RequestDated(const A& a, MonitoringCommand command) {
    const core::Date date = RAP_TRY(ParseDate("--date", a.date));
    std::optional<mon::ComplaintOutcome> outcome;
    if (command == MonitoringCommand::kRequestDecideComplaint) {
        outcome =
            RAP_TRY(ParseEnum("--outcome", a.outcome, mon::ParseComplaintOutcome,
                              {mon::ComplaintOutcome::kUpheld, mon::ComplaintOutcome::kRejected,
                               mon::ComplaintOutcome::kInformationReleased}));
    }
    const std::string what =
        command == MonitoringCommand::kRequestExtend    ? "deadline extension notified on "
        : command == MonitoringCommand::kRequestForward ? "forwarded to another body on "
        : command == MonitoringCommand::kRequestComplain
            ? "complaint filed on "
            : fmt::format("complaint decided ({}) on ", outcome ? mon::Name(*outcome) : "");
    return ChangeRequest(
        a, what + date.ToString(), [&](mon::InfoRequest& r) -> Status {
            switch (command) {
                case MonitoringCommand::kRequestExtend:
                    r.extension_notified = date;
                    break;
                case MonitoringCommand::kRequestForward:
                    r.forwarded_on = date;
                    if (!mon::IsAnswer(r.response)) {
                        r.response = mon::ResponseType::kForwarded;
                    }
                    break;
                case MonitoringCommand::kRequestComplain:
                    r.complaints.push_back(mon::Complaint{date, {}, {}, a.note});
                    break;
                default: {
                    auto pending = std::find_if(
                        r.complaints.rbegin(), r.complaints.rend(), [](const mon::Complaint& c) {
                            return c.outcome == mon::ComplaintOutcome::kPending;
                        });
                    if (pending == r.complaints.rend()) {
                        return Fail(Errc::kFailedPrecondition,
                                    fmt::format("request {} has no pending complaint (file one "
                                                "with `rapporteur request complain`)",
                                                r.id));
                    }
                    pending->outcome = *outcome;
                    pending->decided = date;
                }
            }
            return Ok();
        });
}

Status RequestList(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    const core::Date today = RAP_TRY(DateOrToday("--today", a.today));
    auto s = RAP_TRY(LoadSession(a.db));
    const auto rows = RAP_TRY(app::ListRequests(*s.store, *s.catalog, a.cycle, today));
    Table t{{"id", "institution", "channel", "sent", "deadline", "response", "replied", "items",
             "provided", "complaints", "overdue"},
            {},
            {false, false, false, false, false, false, false, true, true, true}};
    for (const auto& row : rows) {
        const mon::InfoRequest& r = row.request;
        const auto provided = std::count_if(r.items.begin(), r.items.end(), [](const auto& i) {
            return i.outcome == mon::ItemOutcome::kProvided;
        });
        t.rows.push_back({r.id, r.institution, std::string(mon::Name(r.channel)),
                          r.sent ? r.sent->ToString() : "not sent", DateText(row.deadline),
                          !r.sent ? std::string()
                          : r.response == mon::ResponseType::kNoResponse && !row.overdue
                              ? std::string("awaited")
                              : std::string(mon::Name(r.response)),
                          DateText(r.response_date ? r.response_date : r.forwarded_on),
                          std::to_string(r.items.size()), std::to_string(provided),
                          std::to_string(r.complaints.size()), row.overdue ? "overdue" : ""});
    }
    PrintTable(t, format);
    return Ok();
}

Status RequestOverdue(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    const core::Date today = RAP_TRY(DateOrToday("--today", a.today));
    auto s = RAP_TRY(LoadSession(a.db));
    if (!a.country.empty()) {
        RAP_TRY_STATUS(ParseCountry("--country", a.country, *s.catalog));
    }
    const auto list = RAP_TRY(app::ListOverdueRequests(*s.store, *s.catalog, a.country, today));
    Table t{
        {"request", "institution", "deadline", "days_overdue"}, {}, {false, false, false, true}};
    for (const auto& o : list) {
        t.rows.push_back(
            {o.request_id, o.institution, o.deadline.ToString(), std::to_string(o.days_overdue)});
    }
    PrintTable(t, format);
    if (format == ValuesFormat::kTable) {
        fmt::print("{} overdue on {}\n", Plural(static_cast<long long>(list.size()), "request"),
                   today.ToString());
    }
    return Ok();
}

Status RequestShow(const A& a) {
    auto s = RAP_TRY(LoadSession(a.db));
    const app::ExplainedRequest got = RAP_TRY(app::GetExplainedRequest(*s.store, *s.catalog, a.id));
    const mon::InfoRequest& r = got.request;
    fmt::print("request {} of {}, version {} (by {} at {})\n", r.id, r.cycle, r.version,
               r.changed_by, r.changed_at);
    fmt::print("  institution: {}\n  channel:     {}\n", r.institution, mon::Name(r.channel));
    fmt::print("  sent:        {}\n", r.sent ? r.sent->ToString() : "not sent");
    if (r.urgent) {
        fmt::print("  urgent:      yes (the urgent procedure)\n");
    }
    if (r.extension_notified) {
        fmt::print("  extension:   notified {}\n", r.extension_notified->ToString());
    }
    if (r.forwarded_on) {
        fmt::print("  forwarded:   {}\n", r.forwarded_on->ToString());
    }
    fmt::print("  response:    {}{}{}\n", mon::Name(r.response),
               r.response_date ? " on " + r.response_date->ToString() : "",
               r.refusal_ground ? fmt::format(" (ground: {})", mon::Name(*r.refusal_ground)) : "");
    for (const auto& item : r.items) {
        fmt::print("  item:        {}{}{}: {}\n", item.indicator,
                   item.disaggregation.empty() ? "" : " by " + item.disaggregation,
                   item.period.empty() ? "" : " for " + item.period, mon::Name(item.outcome));
    }
    for (const auto& c : r.complaints) {
        fmt::print("  complaint:   filed {}, {}{}\n", c.filed.ToString(), mon::Name(c.outcome),
                   c.decided ? " on " + c.decided->ToString() : "");
    }
    for (const auto& sha : r.attachments) {
        fmt::print("  attachment:  {}\n", sha);
    }
    if (!r.note.empty()) {
        fmt::print("  note:        {}\n", r.note);
    }
    if (const auto& d = got.deadline) {
        fmt::print("legal deadline {}:\n", d->deadline.ToString());
        for (const auto& step : d->steps) {
            fmt::print("  {}\n", step);
        }
    } else {
        fmt::print("no legal deadline until it is sent\n");
    }
    return Ok();
}

Status RequestHolidays(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    int year = core::Date::Today().year();
    if (!a.year.empty()) {
        year = RAP_TRY(ParseYear("YEAR", a.year));
    }
    auto s = RAP_TRY(LoadSession(a.db));
    const std::string country = RAP_TRY(ParseCountry("CC", a.country, *s.catalog));
    RAP_TRY_STATUS(ParseRegion(a.region, country, *s.catalog));
    const app::HolidayYear h = RAP_TRY(app::HolidaysOf(*s.catalog, country, year, a.region));
    Table t{{"date", "day", "name"}, {}, {false, false, false}};
    for (const auto& d : h.days) {
        t.rows.push_back({d.date.ToString(), std::string(d.date.WeekdayName()), d.name});
    }
    PrintTable(t, format);
    if (format == ValuesFormat::kTable) {
        fmt::print("{} public holidays and days in lieu in {}{} {}; deadlines also skip every "
                   "Saturday and Sunday\n",
                   h.days.size(), country, h.region.empty() ? "" : " (" + h.region + ")", year);
        if (!h.note.empty()) {
            fmt::print("note: {}\n", h.note.Get());
        }
        if (!h.known) {
            fmt::print("warning: the lunar-calendar holidays of {} are not in the countries data; "
                       "deadlines that year count only the holidays above\n",
                       year);
        }
        if (h.verify) {
            fmt::print("note: this list still needs checking against a primary source\n");
        }
        if (!h.source.empty()) {
            fmt::print("source: {}\n", h.source);
        }
    }
    return Ok();
}

Status RequestFigures(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    const core::Date as_of = RAP_TRY(DateOrToday("--as-of", a.as_of));
    auto s = RAP_TRY(LoadSession(a.db));
    const auto figures = RAP_TRY(app::RegisterFiguresOf(*s.store, *s.catalog, a.cycle, as_of));
    auto pct = [](long long num, long long den) {
        return den > 0 ? fmt::format("{:.1f}",
                                     100.0 * static_cast<double>(num) / static_cast<double>(den))
                       : std::string();
    };
    Table t{{"institution", "dp5_in_time", "dp5_of", "dp5_pct", "dp6_provided", "dp6_partial",
             "dp6_items", "dp6_pct", "dp7_n", "dp7_median_days", "dp7_p90_days", "dp8_complaints",
             "dp8_decided", "dp8_favourable"},
            {},
            {false, true, true, true, true, true, true, true, true, true, true, true, true, true}};
    for (const auto& f : figures) {
        t.rows.push_back({f.institution.empty() ? "(all)" : f.institution,
                          std::to_string(f.dp5_numerator), std::to_string(f.dp5_denominator),
                          pct(f.dp5_numerator, f.dp5_denominator), std::to_string(f.dp6_numerator),
                          std::to_string(f.dp6_partial), std::to_string(f.dp6_denominator),
                          pct(f.dp6_numerator, f.dp6_denominator), std::to_string(f.dp7_n),
                          Fixed(f.dp7_median), Fixed(f.dp7_p90), std::to_string(f.dp8_complaints),
                          std::to_string(f.dp8_decided), std::to_string(f.dp8_favourable)});
    }
    if (format == ValuesFormat::kTable) {
        fmt::print(
            "information-request register of {} as of {}: DP.5 answered in time, DP.6 "
            "items provided, DP.7 days to reply, DP.8 complaints\n",
            a.cycle, as_of.ToString());
    }
    PrintTable(t, format);
    return Ok();
}

// ----- Recommendations and narratives.

Status RecommendationAdd(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    mon::Recommendation r;
    r.cycle = a.cycle;
    r.text = a.text;
    r.body = a.body;
    if (!a.source.empty()) {
        r.source = RAP_TRY(ParseEnum(
            "--source", a.source, mon::ParseRecommendationSource, mon::kAllRecommendationSources));
    }
    if (!a.urgency.empty()) {
        r.urgency =
            RAP_TRY(ParseEnum("--urgency", a.urgency, mon::ParseUrgency, mon::kAllUrgencies));
    }
    r.indicators = a.indicators;
    r.institutions = a.institutions;
    r.issued = RAP_TRY(ParseOptDate("--issued", a.issued));
    auto s = RAP_TRY(LoadSession(a.db));
    const mon::Recommendation saved =
        RAP_TRY(app::SaveRecommendation(*s.store, *s.catalog, actor, r));
    fmt::print("recommendation {} saved ({}, {})\n", saved.id, mon::Name(saved.source),
               mon::Name(saved.urgency));
    return Ok();
}

Status RecommendationFollowUp(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    mon::Followup f;
    f.cycle = a.cycle;
    f.status = RAP_TRY(
        ParseEnum("--status", a.status, mon::ParseFollowupStatus, mon::kAllFollowupStatuses));
    f.evidence = a.evidence;
    f.url = a.url;
    f.note = a.note;
    auto s = RAP_TRY(LoadSession(a.db));
    RAP_TRY_STATUS(app::RecordFollowup(*s.store, *s.catalog, actor, a.id, f));
    fmt::print("recommendation {}: {} in {}\n", a.id, mon::Name(f.status), f.cycle);
    return Ok();
}

Status RecommendationList(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    auto s = RAP_TRY(LoadSession(a.db));
    const std::string country = RAP_TRY(ParseCountry("CC", a.country, *s.catalog));
    const auto list = RAP_TRY(app::ListRecommendations(*s.store, *s.catalog, country));
    Table t{{"id", "cycle", "source", "urgency", "issued", "indicators", "institutions",
             "follow_up", "text"},
            {},
            {}};
    for (const auto& r : list) {
        const std::string source = r.source == mon::RecommendationSource::kOther && !r.body.empty()
                                       ? r.body
                                       : std::string(mon::Name(r.source));
        const std::string followup = r.followups.empty()
                                         ? ""
                                         : fmt::format("{} {}", r.followups.back().cycle,
                                                       mon::Name(r.followups.back().status));
        t.rows.push_back({r.id, r.cycle, source, std::string(mon::Name(r.urgency)),
                          DateText(r.issued), Join(r.indicators), Join(r.institutions), followup,
                          r.text});
    }
    PrintTable(t, format);
    return Ok();
}

Status NarrativeSet(const A& a) {
    const std::string actor = RAP_TRY(Actor(a));
    if (a.text.empty() == a.file.empty()) {
        return Bad("narrative set takes the text either with --text TEXT or from --file PATH");
    }
    const std::string text = a.file.empty() ? a.text : RAP_TRY(core::ReadFile(a.file));
    auto s = RAP_TRY(LoadSession(a.db));
    RAP_TRY_STATUS(app::SaveNarrative(*s.store, *s.catalog, actor, a.cycle, a.section, text));
    fmt::print("narrative section {} of {} saved ({} bytes)\n", a.section, a.cycle, text.size());
    return Ok();
}

// ----- Attached files.

Status AttachmentList(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    auto s = RAP_TRY(LoadSession(a.db));
    const auto rows = RAP_TRY(app::ListAttachments(*s.store, *s.catalog, a.cycle));
    Table t{{"sha256", "file", "bytes", "added_by", "added_at", "used_by"},
            {},
            {false, false, true, false, false, false}};
    for (const auto& r : rows) {
        t.rows.push_back({r.sha256, r.file_name, std::to_string(r.size), r.added_by, r.added_at,
                          Join(r.used_by, "; ")});
    }
    PrintTable(t, format);
    if (format == ValuesFormat::kTable) {
        fmt::print("{} attached to {}; `rapporteur attachment get SHA256` writes one out\n",
                   Plural(static_cast<long long>(rows.size()), "file"), a.cycle);
    }
    return Ok();
}

// Where `attachment get` writes: -o as a file path, or its stored name inside -o when -o is a
// directory (the current one by default). A stored name is only ever a plain file name.
std::string AttachmentPath(const std::string& output, const store::Attachment& file) {
    std::error_code ec;
    if (!std::filesystem::is_directory(output, ec)) {
        return output;
    }
    std::string name = std::filesystem::path(file.file_name).filename().string();
    if (name.empty() || name == "." || name == ".." || name[0] == '.') {
        name = "attachment-" + file.sha256.substr(0, 12);
    }
    return (std::filesystem::path(output) / name).string();
}

Status AttachmentGet(const A& a) {
    auto store = RAP_TRY(OpenStore(a.db));
    const store::Attachment file = RAP_TRY(app::GetAttachment(*store, a.id));
    const std::string path = AttachmentPath(a.output, file);
    auto written = core::WriteNewFile(path, file.content);
    if (!written && written.error().code == Errc::kAlreadyExists) {
        return Bad(fmt::format("{} already exists; nothing was written (choose another name "
                               "with -o)",
                               path));
    }
    RAP_TRY_STATUS(written);
    fmt::print("wrote {} ({} bytes, SHA-256 {}), attached by {} at {}\n", path,
               file.content.size(), file.sha256, file.added_by, file.added_at);
    return Ok();
}

// ----- Audit log.

Status AuditVerify(const A& a) {
    std::optional<app::AuditHead> expected;
    if (!a.expect_head.empty()) {
        auto head = app::ParseAuditHead(a.expect_head);
        if (!head) {
            return Bad("--expect-head: " + head.error().message);
        }
        expected = std::move(*head);
    }
    auto store = RAP_TRY(OpenStore(a.db));
    const store::AuditReport report = RAP_TRY(app::VerifyAudit(*store, expected));
    if (report.head_intact) {
        fmt::print("{} in the audit log; head {}:{}\n", Plural(report.events, "event"),
                   report.head_seq, report.head_hash);
    } else {
        fmt::print("{} in the audit log; the last is {}, but the chain is broken before it: do "
                   "not keep this head\n",
                   Plural(report.events, "event"), report.head_seq);
    }
    if (report.problems.empty()) {
        fmt::print("the chain of hashes is intact{}\n",
                   expected ? fmt::format(" and holds the expected head {}", expected->seq) : "");
        return Ok();
    }
    for (const auto& p : report.problems) {
        fmt::print(stderr, "{}\n", p);
    }
    return Fail(Errc::kDataLoss,
                fmt::format("the audit log is broken: {}",
                            Plural(static_cast<long long>(report.problems.size()), "problem")));
}

Status AuditLog(const A& a) {
    const ValuesFormat format = RAP_TRY(ListFormat(a));
    const int limit =
        a.limit.empty() ? 50 : static_cast<int>(RAP_TRY(ParseInt("--limit", a.limit, 1, 1000000)));
    auto store = RAP_TRY(OpenStore(a.db));
    const auto entries = RAP_TRY(app::ListAudit(*store, a.country, limit));
    Table t{{"seq", "at", "actor", "country", "type", "summary"}, {}, {true}};
    for (const auto& e : entries) {
        t.rows.push_back({std::to_string(e.seq), e.at, e.actor, e.country, e.type, e.summary});
    }
    PrintTable(t, format);
    return Ok();
}

Status Dispatch(MonitoringCommand command, const A& a) {
    using C = MonitoringCommand;
    switch (command) {
        case C::kCycleOpen:
            return CycleOpen(a);
        case C::kCycleList:
            return CycleList(a);
        case C::kCycleShow:
            return CycleShow(a);
        case C::kCycleCompleteness:
            return CycleCompleteness(a);
        case C::kCycleCheck:
            return CycleCheck(a);
        case C::kCyclePublish:
            return CyclePublish(a);
        case C::kCycleReopen:
            return CycleReopen(a);
        case C::kCycleExport:
            return CycleExport(a);
        case C::kCycleImport:
            return CycleImport(a);
        case C::kValueSet:
            return ValueSet(a);
        case C::kValueList:
            return ValueList(a);
        case C::kValueHistory:
            return ValueHistory(a);
        case C::kValueSubmit:
            return ValueMove(a, mon::Transition::kSubmit);
        case C::kValueValidate:
            return ValueMove(a, mon::Transition::kValidate);
        case C::kValueReturn:
            return ValueMove(a, mon::Transition::kReturn);
        case C::kValueReopen:
            return ValueMove(a, mon::Transition::kReopen);
        case C::kEvidenceAdd:
            return EvidenceAdd(a);
        case C::kScore:
            return Score(a);
        case C::kCompare:
            return Compare(a);
        case C::kInstitutionAdd:
            return InstitutionAdd(a);
        case C::kInstitutionList:
            return InstitutionList(a);
        case C::kRequestAdd:
            return RequestAdd(a);
        case C::kRequestSend:
            return RequestSend(a);
        case C::kRequestReply:
            return RequestReply(a);
        case C::kRequestExtend:
        case C::kRequestForward:
        case C::kRequestComplain:
        case C::kRequestDecideComplaint:
            return RequestDated(a, command);
        case C::kRequestList:
            return RequestList(a);
        case C::kRequestOverdue:
            return RequestOverdue(a);
        case C::kRequestFigures:
            return RequestFigures(a);
        case C::kRequestHolidays:
            return RequestHolidays(a);
        case C::kRequestShow:
            return RequestShow(a);
        case C::kRecommendationAdd:
            return RecommendationAdd(a);
        case C::kRecommendationFollowUp:
            return RecommendationFollowUp(a);
        case C::kRecommendationList:
            return RecommendationList(a);
        case C::kNarrativeSet:
            return NarrativeSet(a);
        case C::kAttachmentList:
            return AttachmentList(a);
        case C::kAttachmentGet:
            return AttachmentGet(a);
        case C::kAuditVerify:
            return AuditVerify(a);
        case C::kAuditLog:
            return AuditLog(a);
    }
    return Fail(Errc::kInternal, "unknown monitoring command");
}

}  // namespace

Status RunMonitoring(MonitoringCommand command, const MonitoringArgs& args) {
    return Dispatch(command, args);
}

}  // namespace rap::cli
