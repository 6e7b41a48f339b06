// SPDX-License-Identifier: AGPL-3.0-or-later
// JSON bodies of the monitoring endpoints. Input is read strictly, field by field, so that a typo
// or a wrong type is a 400 naming the field instead of a value silently left out; the first
// problem found is reported.
#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <span>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "core/names.hpp"
#include "core/text.hpp"
#include "server/monitoring_api.hpp"

namespace rap::server::monitoring_json {

namespace {

using nlohmann::json;
namespace mon = ::rap::monitoring;

// Deeper nesting than any body of the API needs; refused before parsing so that a hostile body
// of a million brackets costs nothing.
constexpr int kMaxDepth = 16;

// ----- Reading ---------------------------------------------------------------------------------

// The first problem found in a request body.
class Problems {
public:
    void Add(const std::string& field, const std::string& message) {
        if (error_) {
            return;
        }
        Error e{Errc::kInvalidArgument, field.empty() ? message : field + ": " + message, {}};
        e.where.field = field;
        error_ = std::move(e);
    }
    bool any() const { return error_.has_value(); }
    Status status() const {
        if (error_) {
            return Fail(*error_);
        }
        return Ok();
    }

private:
    std::optional<Error> error_;
};

enum class Need { kOptional, kRequired };

std::string TypeName(const json& j) {
    if (j.is_number_integer()) {
        return "an integer";
    }
    switch (j.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        default:
            return "a number";
    }
}

template <class E, size_t N>
std::string NamesOf(const std::array<E, N>& all) {
    std::string out;
    for (E e : all) {
        out += (out.empty() ? "" : ", ") + std::string(Name(e));
    }
    return out;
}

// The fields of one JSON object of a request body, read one by one. REQUIRES: `j` outlives this.
class Fields {
public:
    Fields(Problems& problems, const json& j, std::string path,
           std::initializer_list<std::string_view> allowed)
        : Fields(problems, j, std::move(path),
                 std::span<const std::string_view>(allowed.begin(), allowed.size())) {}

    Fields(Problems& problems, const json& j, std::string path,
           std::span<const std::string_view> allowed)
        : problems_(problems), j_(j), path_(std::move(path)) {
        if (!j.is_object()) {
            problems_.Add(path_, "expected an object, got " + TypeName(j));
            return;
        }
        valid_ = true;
        for (const auto& [key, value] : j.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                std::string list;
                for (auto a : allowed) {
                    list += (list.empty() ? "" : ", ") + std::string(a);
                }
                problems_.Add(Path(key), "unknown field; this object has: " + list);
            }
        }
    }

    std::string Path(std::string_view name) const {
        return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
    }

    // The member, or null when absent or JSON null (a problem when required).
    const json* Get(std::string_view name, Need need) {
        if (!valid_ || problems_.any()) {
            return nullptr;
        }
        auto it = j_.find(name);
        if (it == j_.end() || it->is_null()) {
            if (need == Need::kRequired) {
                problems_.Add(Path(name), "required");
            }
            return nullptr;
        }
        return &*it;
    }

    const json* Typed(std::string_view name, Need need, bool (json::*is)() const noexcept,
                      const char* expected) {
        const json* v = Get(name, need);
        if (v != nullptr && !((*v).*is)()) {
            problems_.Add(Path(name), fmt::format("expected {}, got {}", expected, TypeName(*v)));
            return nullptr;
        }
        return v;
    }

    std::string String(std::string_view name, Need need = Need::kOptional) {
        const json* v = Typed(name, need, &json::is_string, "a string");
        if (v == nullptr) {
            return {};
        }
        std::string s = v->get<std::string>();
        if (need == Need::kRequired && core::IsBlank(s)) {
            problems_.Add(Path(name), "required; must not be blank");
        }
        return s;
    }

    // An http(s) URL, or empty: anything else could run script where the URL becomes a link.
    std::string Url(std::string_view name) {
        std::string s = String(name);
        if (!s.empty() && !s.starts_with("https://") && !s.starts_with("http://")) {
            problems_.Add(Path(name), "expected an http:// or https:// URL");
        }
        return s;
    }

    std::optional<double> Number(std::string_view name, Need need = Need::kOptional) {
        const json* v = Typed(name, need, &json::is_number, "a number");
        if (v == nullptr) {
            return std::nullopt;
        }
        const double d = v->get<double>();
        if (!std::isfinite(d)) {
            problems_.Add(Path(name), "expected a finite number");
            return std::nullopt;
        }
        return d;
    }

    std::optional<int> Int(std::string_view name, Need need = Need::kOptional) {
        const json* v = Typed(name, need, &json::is_number_integer, "an integer");
        if (v == nullptr) {
            return std::nullopt;
        }
        const bool fits = v->is_number_unsigned()
                              ? v->get<unsigned long long>() <=
                                    static_cast<unsigned long long>(std::numeric_limits<int>::max())
                              : v->get<long long>() >= std::numeric_limits<int>::min() &&
                                    v->get<long long>() <= std::numeric_limits<int>::max();
        if (!fits) {
            problems_.Add(Path(name), "integer out of range");
            return std::nullopt;
        }
        return static_cast<int>(v->get<long long>());
    }

    std::optional<bool> Bool(std::string_view name) {
        const json* v = Typed(name, Need::kOptional, &json::is_boolean, "true or false");
        return v == nullptr ? std::nullopt : std::optional<bool>(v->get<bool>());
    }

    std::optional<core::Date> Date(std::string_view name, Need need = Need::kOptional) {
        const json* v = Typed(name, need, &json::is_string, R"(a date ("YYYY-MM-DD"))");
        if (v == nullptr) {
            return std::nullopt;
        }
        auto d = core::Date::Parse(v->get<std::string>());
        if (!d) {
            problems_.Add(Path(name), fmt::format(R"(expected a date ("YYYY-MM-DD"), got "{}")",
                                                  v->get<std::string>()));
        }
        return d;
    }

    template <class E, size_t N>
    std::optional<E> Code(std::string_view name, const std::array<E, N>& all,
                          Need need = Need::kOptional) {
        const std::string what = "one of " + NamesOf(all);
        const json* v = Typed(name, need, &json::is_string, what.c_str());
        if (v == nullptr) {
            return std::nullopt;
        }
        auto e = core::ParseByName(v->get<std::string>(), all);
        if (!e) {
            problems_.Add(Path(name),
                          fmt::format("expected {}, got \"{}\"", what, v->get<std::string>()));
        }
        return e;
    }

    const json* Array(std::string_view name, Need need = Need::kOptional) {
        return Typed(name, need, &json::is_array, "an array");
    }

    const json* Object(std::string_view name, Need need = Need::kOptional) {
        return Typed(name, need, &json::is_object, "an object");
    }

    std::vector<std::string> Strings(std::string_view name) {
        std::vector<std::string> out;
        const json* a = Array(name);
        if (a == nullptr) {
            return out;
        }
        for (size_t i = 0; i < a->size(); ++i) {
            const json& item = (*a)[i];
            if (!item.is_string() || core::IsBlank(item.get<std::string>())) {
                problems_.Add(fmt::format("{}[{}]", Path(name), i),
                              "expected a non-blank string, got " + TypeName(item));
                return out;
            }
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    Problems& problems() { return problems_; }

private:
    Problems& problems_;
    const json& j_;
    std::string path_;
    bool valid_ = false;
};

int NestingDepth(std::string_view text) {
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

// The body as a JSON object. An empty body is {} when `allow_empty`.
Result<json> ParseObject(std::string_view body, bool allow_empty = false) {
    if (core::IsBlank(body)) {
        if (allow_empty) {
            return json::object();
        }
        return Fail(Errc::kInvalidArgument, "the request body is empty; expected a JSON object");
    }
    if (NestingDepth(body) > kMaxDepth) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("the request body is nested more than {} levels deep", kMaxDepth));
    }
    json j;
    try {
        j = json::parse(body);
    } catch (const json::exception& e) {
        // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." without the
        // library's prefix.
        std::string what = e.what();
        if (auto pos = what.find("] "); pos != std::string::npos) {
            what = what.substr(pos + 2);
        }
        return Fail(Errc::kInvalidArgument, "the request body is not valid JSON: " + what);
    }
    if (!j.is_object()) {
        return Fail(Errc::kInvalidArgument,
                    "the request body must be a JSON object, not " + TypeName(j));
    }
    return j;
}

constexpr std::array kEnteredTracks{mon::Track::kOfficial, mon::Track::kCso};

// "by": {"SEX": "F", "AGE": "child"} -> the disaggregation (dimensions upper-cased, sorted).
mon::Disaggregation ReadBy(Fields& f) {
    const json* by = f.Object("by");
    if (by == nullptr) {
        return {};
    }
    std::string text;
    for (const auto& [dim, code] : by->items()) {
        const std::string path = f.Path("by") + "." + dim;
        if (!code.is_string()) {
            f.problems().Add(path, "expected a code (a string), got " + TypeName(code));
            return {};
        }
        const std::string c = code.get<std::string>();
        auto malformed = [](std::string_view s) {
            return s.empty() || s.find_first_of("=;") != std::string_view::npos;
        };
        if (malformed(dim) || malformed(c)) {
            f.problems().Add(path, "dimensions and codes must be non-empty, without '=' or ';'");
            return {};
        }
        text += fmt::format("{}{}={}", text.empty() ? "" : ";", dim, c);
    }
    auto d = mon::ParseDisaggregation(text);
    if (!d) {
        f.problems().Add(f.Path("by"), d.error().message);
        return {};
    }
    return *d;
}

template <size_t N>
mon::ValueKey ReadKey(Fields& f, const std::array<mon::Track, N>& tracks) {
    mon::ValueKey key;
    key.indicator = f.String("indicator", Need::kRequired);
    if (std::string m = f.String("measure"); !m.empty()) {
        key.measure = m;
    }
    key.disaggregation = ReadBy(f);
    key.track = f.Code("track", tracks, Need::kRequired).value_or(mon::Track::kOfficial);
    return key;
}

app::ValueInput ReadValue(Problems& problems, const json& j, const std::string& path) {
    Fields f(
        problems, j, path,
        {"indicator", "measure", "by", "track", "status", "answer", "score", "justification",
         "value", "numerator", "denominator", "n", "p90", "amount", "currency", "source", "note"});
    app::ValueInput in;
    in.key = ReadKey(f, kEnteredTracks);
    in.status = f.Code("status", mon::kAllValueStatuses, Need::kRequired).value_or(in.status);
    mon::Figure fig;
    fig.answer = f.Code("answer", mon::kAllAnswers);
    fig.score = f.Int("score");
    fig.justification = f.String("justification");
    fig.number = f.Number("value");
    fig.numerator = f.Number("numerator");
    fig.denominator = f.Number("denominator");
    fig.n = f.Number("n");
    fig.p90 = f.Number("p90");
    fig.amount = f.Number("amount");
    fig.currency = f.String("currency");
    const bool any_figure = fig.answer || fig.score || !fig.justification.empty() || fig.number ||
                            fig.numerator || fig.denominator || fig.n || fig.p90 || fig.amount ||
                            !fig.currency.empty();
    if (any_figure) {
        in.figure = std::move(fig);
    }
    if (const json* source = f.Object("source")) {
        Fields s(problems, *source, f.Path("source"), {"type", "ref"});
        in.source.type =
            s.Code("type", mon::kAllSourceTypes, Need::kRequired).value_or(in.source.type);
        in.source.ref = s.String("ref");
    }
    in.note = f.String("note");
    return in;
}

mon::RequestItem ReadItem(Problems& problems, const json& j, const std::string& path) {
    Fields f(problems, j, path, {"indicator", "disaggregation", "period", "outcome"});
    mon::RequestItem item;
    item.indicator = f.String("indicator", Need::kRequired);
    item.disaggregation = f.String("disaggregation");
    item.period = f.String("period");
    item.outcome = f.Code("outcome", mon::kAllItemOutcomes).value_or(item.outcome);
    return item;
}

mon::Complaint ReadComplaint(Problems& problems, const json& j, const std::string& path) {
    Fields f(problems, j, path, {"filed", "outcome", "decided", "note"});
    mon::Complaint c;
    c.filed = f.Date("filed", Need::kRequired).value_or(core::Date());
    c.outcome = f.Code("outcome", mon::kAllComplaintOutcomes).value_or(c.outcome);
    c.decided = f.Date("decided");
    c.note = f.String("note");
    return c;
}

template <class T, class ReadOne>
std::vector<T> ReadArray(Fields& f, std::string_view name, Need need, ReadOne read_one) {
    std::vector<T> out;
    const json* a = f.Array(name, need);
    if (a == nullptr) {
        return out;
    }
    for (size_t i = 0; i < a->size() && !f.problems().any(); ++i) {
        out.push_back(read_one(f.problems(), (*a)[i], fmt::format("{}[{}]", f.Path(name), i)));
    }
    return out;
}

// ----- Writing ---------------------------------------------------------------------------------

std::string Dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json Num(std::optional<double> v) {
    return v && std::isfinite(*v) ? json(*v) : json(nullptr);
}

json OrNull(const std::string& s) {
    return s.empty() ? json(nullptr) : json(s);
}

json DateOrNull(const std::optional<core::Date>& d) {
    return d ? json(d->ToString()) : json(nullptr);
}

template <class E>
json NameOrNull(const std::optional<E>& e) {
    return e ? json(Name(*e)) : json(nullptr);
}

json By(const mon::Disaggregation& d) {
    json out = json::object();
    for (const auto& [dim, code] : d) {
        out[dim] = code;
    }
    return out;
}

json Key(const mon::ValueKey& k) {
    return {{"indicator", k.indicator},
            {"measure", k.measure},
            {"by", By(k.disaggregation)},
            {"track", Name(k.track)}};
}

json Version(const mon::ValueVersion& v) {
    json out = Key(v.key);
    const std::optional<mon::Figure>& fig = v.figure;
    out.update({{"version", v.version},
                {"status", Name(v.status)},
                {"kind", fig ? json(framework::Name(fig->kind)) : json(nullptr)},
                {"answer", fig ? NameOrNull(fig->answer) : json(nullptr)},
                {"score", fig && fig->score ? json(*fig->score) : json(nullptr)},
                {"justification", fig ? OrNull(fig->justification) : json(nullptr)},
                {"value", fig ? Num(fig->number) : json(nullptr)},
                {"numerator", fig ? Num(fig->numerator) : json(nullptr)},
                {"denominator", fig ? Num(fig->denominator) : json(nullptr)},
                {"n", fig ? Num(fig->n) : json(nullptr)},
                {"p90", fig ? Num(fig->p90) : json(nullptr)},
                {"amount", fig ? Num(fig->amount) : json(nullptr)},
                {"currency", fig ? OrNull(fig->currency) : json(nullptr)},
                {"eur_rate", fig ? Num(fig->eur_rate) : json(nullptr)},
                {"source", {{"type", Name(v.source.type)}, {"ref", OrNull(v.source.ref)}}},
                {"note", v.note},
                {"state", Name(v.state)},
                {"author", v.author},
                {"changed_by", v.changed_by},
                {"changed_at", OrNull(v.changed_at)},
                {"change", v.change}});
    return out;
}

json EvidenceJson(const mon::Evidence& e) {
    return {{"id", e.id},
            {"type", Name(e.type)},
            {"title", e.title},
            {"citation", e.citation},
            {"url", OrNull(e.url)},
            {"file_sha256", OrNull(e.file_sha256)},
            {"file_name", OrNull(e.file_name)},
            {"date", DateOrNull(e.date)},
            {"reliability", Name(e.reliability)},
            {"added_by", e.added_by},
            {"added_at", e.added_at}};
}

json EvidenceList(const std::vector<mon::Evidence>& list) {
    json out = json::array();
    for (const auto& e : list) {
        out.push_back(EvidenceJson(e));
    }
    return out;
}

json CycleJson(const app::CycleSummary& s) {
    const mon::Cycle& c = s.cycle;
    json by_state = json::object();
    for (const auto& [state, n] : s.values_by_state) {
        by_state[state] = n;
    }
    return {{"id", c.id},
            {"country", c.country},
            {"year", c.year},
            {"framework", {{"id", c.framework_id}, {"version", c.framework_version}}},
            {"core", {{"id", c.core_id}, {"version", c.core_version}}},
            {"cloned_from", OrNull(c.cloned_from)},
            {"institutions", c.institutions},
            {"state", Name(c.state)},
            {"opened_by", c.opened_by},
            {"opened_at", c.opened_at},
            {"published_by", OrNull(c.published_by)},
            {"published_at", OrNull(c.published_at)},
            {"publications", c.publications},
            {"counts",
             {{"values", s.values},
              {"values_by_state", by_state},
              {"requests", s.requests},
              {"overdue_requests", s.overdue_requests},
              {"recommendations", s.recommendations}}}};
}

json InstitutionJson(const mon::Institution& i) {
    return {{"id", i.id},
            {"country", i.country},
            {"name", i.name},
            {"type", OrNull(i.type)},
            {"region", OrNull(i.region)},
            {"email", i.email},
            {"note", i.note}};
}

json RequestJson(const mon::InfoRequest& r) {
    json items = json::array();
    for (const auto& i : r.items) {
        items.push_back({{"indicator", i.indicator},
                         {"disaggregation", i.disaggregation},
                         {"period", i.period},
                         {"outcome", Name(i.outcome)}});
    }
    json complaints = json::array();
    for (const auto& c : r.complaints) {
        complaints.push_back({{"filed", c.filed.ToString()},
                              {"outcome", Name(c.outcome)},
                              {"decided", DateOrNull(c.decided)},
                              {"note", c.note}});
    }
    return {{"id", r.id},
            {"version", r.version},
            {"cycle", r.cycle},
            {"institution", r.institution},
            {"channel", Name(r.channel)},
            {"urgent", r.urgent},
            {"sent", DateOrNull(r.sent)},
            {"extension_notified", DateOrNull(r.extension_notified)},
            {"forwarded_on", DateOrNull(r.forwarded_on)},
            {"response_date", DateOrNull(r.response_date)},
            {"response", Name(r.response)},
            {"refusal_ground", NameOrNull(r.refusal_ground)},
            {"items", items},
            {"complaints", complaints},
            {"attachments", r.attachments},
            {"note", r.note},
            {"changed_by", r.changed_by},
            {"changed_at", OrNull(r.changed_at)}};
}

json RecommendationJson(const mon::Recommendation& r) {
    json followups = json::array();
    for (const auto& f : r.followups) {
        followups.push_back({{"cycle", f.cycle},
                             {"status", Name(f.status)},
                             {"evidence", f.evidence},
                             {"url", OrNull(f.url)},
                             {"note", f.note},
                             {"by", f.by},
                             {"at", f.at}});
    }
    return {{"id", r.id},
            {"cycle", r.cycle},
            {"source", Name(r.source)},
            {"body", OrNull(r.body)},
            {"urgency", Name(r.urgency)},
            {"text", r.text},
            {"indicators", r.indicators},
            {"institutions", r.institutions},
            {"issued", DateOrNull(r.issued)},
            {"version", r.version},
            {"by", r.by},
            {"at", r.at},
            {"followups", followups}};
}

}  // namespace

// ----- Request bodies --------------------------------------------------------------------------

Result<OpenCycleBody> ParseOpenCycle(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body));
    Problems problems;
    Fields f(problems, j, "", {"country", "year", "from_year"});
    OpenCycleBody out;
    out.country = f.String("country", Need::kRequired);
    out.year = f.Int("year", Need::kRequired).value_or(0);
    out.from_year = f.Int("from_year");
    RAP_TRY_STATUS(problems.status());
    return out;
}

Status ParseNoFields(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body, /*allow_empty=*/true));
    Problems problems;
    Fields f(problems, j, "", {});
    return problems.status();
}

Result<std::string> ParseReopen(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body, /*allow_empty=*/true));
    Problems problems;
    Fields f(problems, j, "", {"reason"});
    std::string reason = f.String("reason", Need::kRequired);
    RAP_TRY_STATUS(problems.status());
    return reason;
}

Result<std::vector<app::ValueInput>> ParseValues(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body));
    Problems problems;
    Fields f(problems, j, "", {"values"});
    auto values = ReadArray<app::ValueInput>(f, "values", Need::kRequired, ReadValue);
    RAP_TRY_STATUS(problems.status());
    if (values.empty()) {
        return Fail(Errc::kInvalidArgument, "values: give at least one value",
                    Location{.field = "values"});
    }
    return values;
}

Result<TransitionBody> ParseTransition(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body));
    Problems problems;
    Fields f(problems, j, "", {"transition", "keys", "indicator", "track", "comment"});
    TransitionBody out;
    out.transition =
        f.Code("transition", mon::kAllTransitions, Need::kRequired).value_or(out.transition);
    std::vector<int> versions;
    out.selection.keys = ReadArray<mon::ValueKey>(
        f, "keys", Need::kOptional,
        [&versions](Problems& p, const json& k, const std::string& path) {
            Fields kf(p, k, path, {"indicator", "measure", "by", "track", "version"});
            versions.push_back(kf.Int("version").value_or(0));
            return ReadKey(kf, mon::kAllTracks);
        });
    if (std::any_of(versions.begin(), versions.end(), [](int v) { return v != 0; })) {
        out.selection.versions = std::move(versions);
    }
    const bool keys_given = f.Array("keys") != nullptr;
    out.selection.indicator = f.String("indicator");
    out.selection.track = f.Code("track", mon::kAllTracks);
    out.comment = f.String("comment");
    RAP_TRY_STATUS(problems.status());
    if (keys_given && out.selection.keys.empty()) {
        return Fail(Errc::kInvalidArgument,
                    "keys: name at least one value, or leave keys out to select by indicator "
                    "and track",
                    Location{.field = "keys"});
    }
    if (keys_given && (!out.selection.indicator.empty() || out.selection.track)) {
        return Fail(Errc::kInvalidArgument,
                    "keys: give either keys or a filter (indicator, track), not both",
                    Location{.field = "keys"});
    }
    return out;
}

Result<EvidenceBody> ParseEvidence(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body));
    Problems problems;
    Fields f(problems, j, "", {"indicator", "measure", "by", "track", "evidence"});
    EvidenceBody out;
    out.key = ReadKey(f, mon::kAllTracks);
    if (const json* e = f.Object("evidence", Need::kRequired)) {
        Fields ef(problems, *e, "evidence",
                  {"type", "title", "citation", "url", "date", "reliability", "file_sha256"});
        out.evidence.type =
            ef.Code("type", mon::kAllEvidenceTypes, Need::kRequired).value_or(out.evidence.type);
        out.evidence.file_sha256 = ef.String("file_sha256");
        if (!problems.any() && !out.evidence.file_sha256.empty() &&
            !core::IsSha256Hex(out.evidence.file_sha256)) {
            problems.Add("evidence.file_sha256",
                         "expected the SHA-256 of an uploaded file (64 lower-case hex digits, as "
                         "POST /api/v1/attachments answers)");
        }
        if (!problems.any() && out.evidence.type == mon::EvidenceType::kFile &&
            out.evidence.file_sha256.empty()) {
            problems.Add("evidence.file_sha256",
                         "evidence of type file names the uploaded file: upload it with POST "
                         "/api/v1/attachments and give its sha256 here");
        }
        out.evidence.title = ef.String("title", Need::kRequired);
        out.evidence.citation = ef.String("citation");
        out.evidence.url = ef.Url("url");
        out.evidence.date = ef.Date("date");
        out.evidence.reliability =
            ef.Code("reliability", mon::kAllReliabilities).value_or(out.evidence.reliability);
    }
    RAP_TRY_STATUS(problems.status());
    return out;
}

Result<InstitutionBody> ParseInstitution(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body));
    Problems problems;
    Fields f(problems, j, "",
             {"id", "country", "name", "type", "region", "email", "note", "cycle"});
    InstitutionBody out;
    out.institution.id = f.String("id", Need::kRequired);
    out.institution.country = f.String("country", Need::kRequired);
    out.institution.name = f.String("name", Need::kRequired);
    out.institution.type = f.String("type");
    out.institution.region = f.String("region");
    out.institution.email = f.String("email");
    out.institution.note = f.String("note");
    out.cycle = f.String("cycle");
    RAP_TRY_STATUS(problems.status());
    return out;
}

Result<mon::InfoRequest> ParseRequest(std::string_view body, RequestBody kind) {
    const json j = RAP_TRY(ParseObject(body));
    Problems problems;
    const bool new_version = kind == RequestBody::kNewVersion;
    // "version" first: a new request does not have one.
    static constexpr std::array<std::string_view, 13> kFields{
        "version",      "institution",   "channel",      "urgent",   "sent",
        "extension_notified", "forwarded_on", "response_date", "response", "refusal_ground",
        "items",        "complaints",    "note"};
    Fields f(problems, j, "", std::span(kFields).subspan(new_version ? 0 : 1));
    mon::InfoRequest r;
    if (new_version) {
        r.version = f.Int("version", Need::kRequired).value_or(0);
        if (!problems.any() && r.version < 1) {
            problems.Add("version", "expected the version the change was made on (1, 2, ...)");
        }
    }
    r.institution = f.String("institution", Need::kRequired);
    r.channel = f.Code("channel", mon::kAllChannels).value_or(r.channel);
    r.urgent = f.Bool("urgent").value_or(false);
    r.sent = f.Date("sent");
    r.extension_notified = f.Date("extension_notified");
    r.forwarded_on = f.Date("forwarded_on");
    r.response_date = f.Date("response_date");
    r.response = f.Code("response", mon::kAllResponseTypes).value_or(r.response);
    r.refusal_ground = f.Code("refusal_ground", mon::kAllRefusalGrounds);
    r.items = ReadArray<mon::RequestItem>(f, "items", Need::kRequired, ReadItem);
    r.complaints = ReadArray<mon::Complaint>(f, "complaints", Need::kOptional, ReadComplaint);
    r.note = f.String("note");
    RAP_TRY_STATUS(problems.status());
    return r;
}

Result<mon::Recommendation> ParseRecommendation(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body));
    Problems problems;
    Fields f(problems, j, "",
             {"id", "version", "cycle", "source", "body", "urgency", "text", "indicators",
              "institutions", "issued"});
    mon::Recommendation r;
    r.id = f.String("id");
    // A new version names the version it was made on; a new recommendation has none.
    if (!r.id.empty()) {
        r.version = f.Int("version", Need::kRequired).value_or(0);
        if (!problems.any() && r.version < 1) {
            problems.Add("version", "expected the version the change was made on (1, 2, ...)");
        }
    } else if (j.contains("version")) {
        problems.Add("version", "a new recommendation has no version; give its id to change one");
    }
    r.cycle = f.String("cycle", Need::kRequired);
    r.source = f.Code("source", mon::kAllRecommendationSources).value_or(r.source);
    r.body = f.String("body");
    r.urgency = f.Code("urgency", mon::kAllUrgencies).value_or(r.urgency);
    r.text = f.String("text", Need::kRequired);
    r.indicators = f.Strings("indicators");
    r.institutions = f.Strings("institutions");
    r.issued = f.Date("issued");
    RAP_TRY_STATUS(problems.status());
    return r;
}

Result<mon::Followup> ParseFollowup(std::string_view body) {
    const json j = RAP_TRY(ParseObject(body));
    Problems problems;
    Fields f(problems, j, "", {"cycle", "status", "evidence", "url", "note"});
    mon::Followup out;
    out.cycle = f.String("cycle", Need::kRequired);
    out.status = f.Code("status", mon::kAllFollowupStatuses, Need::kRequired).value_or(out.status);
    out.evidence = f.String("evidence");
    out.url = f.Url("url");
    out.note = f.String("note");
    RAP_TRY_STATUS(problems.status());
    return out;
}

// ----- Response bodies -------------------------------------------------------------------------

std::string Cycles(const std::vector<app::CycleSummary>& cycles) {
    json list = json::array();
    for (const auto& c : cycles) {
        list.push_back(CycleJson(c));
    }
    return Dump(json{{"cycles", list}});
}

std::string Cycle(const app::CycleSummary& cycle) {
    return Dump(json{{"cycle", CycleJson(cycle)}});
}

std::string Values(const std::string& cycle, const std::vector<app::CycleValue>& values) {
    json list = json::array();
    for (const auto& v : values) {
        json item = Version(v.current);
        item["evidence"] = EvidenceList(v.evidence);
        item["disagreement"] = OrNull(v.disagreement);
        item["derived_from"] = OrNull(v.derived_from);
        list.push_back(std::move(item));
    }
    return Dump(json{{"cycle", cycle}, {"values", list}});
}

std::string EnteredValues(const std::string& cycle,
                          const std::vector<mon::ValueVersion>& versions) {
    json list = json::array();
    for (const auto& v : versions) {
        list.push_back(Version(v));
    }
    return Dump(json{{"cycle", cycle}, {"values", list}});
}

std::string History(const std::string& cycle, const mon::ValueKey& key,
                    const mon::ValueHistory& history) {
    json versions = json::array();
    for (const auto& v : history.versions) {
        versions.push_back(Version(v));
    }
    return Dump(json{{"cycle", cycle},
                     {"key", Key(key)},
                     {"versions", versions},
                     {"evidence", EvidenceList(history.evidence)}});
}

std::string Moved(const std::string& cycle, mon::Transition transition,
                  const app::MovedValues& moved) {
    return Dump(json{{"cycle", cycle},
                     {"transition", Name(transition)},
                     {"moved", moved.moved},
                     {"left_own", moved.left_own},
                     {"left_returned", moved.left_returned}});
}

std::string AddedEvidence(const std::string& cycle, const mon::ValueKey& key,
                          const mon::Evidence& evidence) {
    return Dump(json{{"cycle", cycle}, {"key", Key(key)}, {"evidence", EvidenceJson(evidence)}});
}

std::string Scores(const std::string& cycle, const mon::CycleScores& scores) {
    json indicators = json::array();
    for (const auto& i : scores.indicators) {
        json used = json::array();
        for (const auto& u : i.used) {
            used.push_back({{"measure", u.measure},
                            {"key", Key(u.key)},
                            {"version", u.version},
                            {"score", Num(u.score)},
                            {"percentage", Num(u.percentage)},
                            {"rule", u.rule}});
        }
        indicators.push_back({{"indicator", i.indicator},
                              {"area", i.area},
                              {"scorable", i.scorable},
                              {"score", Num(i.score)},
                              {"weight", Num(i.weight)},
                              {"used", used},
                              {"missing_reason", OrNull(i.missing_reason)}});
    }
    json areas = json::array();
    for (const auto& a : scores.areas) {
        areas.push_back({{"area", a.area},
                         {"score", Num(a.score)},
                         {"uncapped", Num(a.uncapped)},
                         {"band", OrNull(a.band)},
                         {"scorable", a.scorable},
                         {"with_value", a.with_value},
                         {"coverage", Num(a.coverage)},
                         {"insufficient", a.insufficient},
                         {"law", Num(a.law)},
                         {"practice", Num(a.practice)},
                         {"gap", Num(a.gap)},
                         {"caps_applied", a.caps_applied},
                         {"explanation", a.explanation}});
    }
    return Dump(
        json{{"cycle", cycle},
             {"framework", {{"id", scores.framework_id}, {"version", scores.framework_version}}},
             {"areas", areas},
             {"indicators", indicators}});
}

std::string Comparison(int year, const mon::RegionalFigure& figure) {
    json left_out = json::array();
    for (const auto& [country, why] : figure.left_out) {
        left_out.push_back({{"country", country}, {"reason", why}});
    }
    json unreviewed = json::array();
    for (const auto& [country, state] : figure.unreviewed) {
        unreviewed.push_back({{"country", country}, {"state", state}});
    }
    return Dump(json{{"indicator", figure.indicator},
                     {"measure", figure.measure},
                     {"year", year},
                     {"value", Num(figure.value)},
                     {"method", figure.method},
                     {"included", figure.included},
                     {"unreviewed", unreviewed},
                     {"left_out", left_out}});
}

std::string Institutions(const std::vector<mon::Institution>& institutions) {
    json list = json::array();
    for (const auto& i : institutions) {
        list.push_back(InstitutionJson(i));
    }
    return Dump(json{{"institutions", list}});
}

std::string SavedInstitution(const mon::Institution& institution, const std::string& cycle) {
    return Dump(json{{"institution", InstitutionJson(institution)}, {"cycle", OrNull(cycle)}});
}

std::string Requests(const std::string& cycle, core::Date today,
                     const std::vector<app::RequestRow>& rows) {
    json list = json::array();
    for (const auto& row : rows) {
        json item = RequestJson(row.request);
        item["deadline"] = DateOrNull(row.deadline);
        item["overdue"] = row.overdue;
        list.push_back(std::move(item));
    }
    return Dump(json{{"cycle", cycle}, {"today", today.ToString()}, {"requests", list}});
}

std::string Request(const mon::InfoRequest& request) {
    return Dump(json{{"request", RequestJson(request)}});
}

std::string Request(const mon::InfoRequest& request,
                    const std::optional<mon::ExplainedDeadline>& deadline) {
    json item = RequestJson(request);
    item["deadline"] = deadline ? json(deadline->deadline.ToString()) : json(nullptr);
    item["deadline_steps"] = deadline ? json(deadline->steps) : json::array();
    return Dump(json{{"request", item}});
}

std::string Overdue(const std::string& country, core::Date today,
                    const std::vector<mon::Overdue>& overdue) {
    json list = json::array();
    for (const auto& o : overdue) {
        list.push_back({{"request", o.request_id},
                        {"institution", o.institution},
                        {"deadline", o.deadline.ToString()},
                        {"days_overdue", o.days_overdue}});
    }
    return Dump(json{{"country", OrNull(country)}, {"today", today.ToString()}, {"overdue", list}});
}

std::string Holidays(const app::HolidayYear& h) {
    json days = json::array();
    for (const auto& d : h.days) {
        days.push_back({{"date", d.date.ToString()}, {"name", d.name}});
    }
    return Dump(json{{"country", h.country},
                     {"region", OrNull(h.region)},
                     {"year", h.year},
                     {"known", h.known},
                     {"verify", h.verify},
                     {"source", OrNull(h.source)},
                     {"note", OrNull(h.note.Get())},
                     {"days", days}});
}

std::string Attachments(const std::string& cycle, const std::vector<app::AttachmentRow>& rows) {
    json list = json::array();
    for (const auto& r : rows) {
        list.push_back({{"sha256", r.sha256},
                        {"file_name", r.file_name},
                        {"size", r.size},
                        {"added_by", r.added_by},
                        {"added_at", r.added_at},
                        {"used_by", r.used_by},
                        {"href", "/api/v1/attachments/" + r.sha256}});
    }
    return Dump(json{{"cycle", cycle}, {"attachments", list}});
}

std::string StoredAttachment(const std::string& sha256, const std::string& file_name,
                             size_t size) {
    return Dump(json{{"attachment",
                      {{"sha256", sha256},
                       {"file_name", file_name},
                       {"size", size},
                       {"href", "/api/v1/attachments/" + sha256}}}});
}

std::string Completeness(const app::CycleCompleteness& c) {
    auto part = [](const app::Completeness& p) {
        json j{{"applicable", p.applicable()},
               {"with_figure", p.with_figure},
               {"explained", p.explained},
               {"missing", p.missing},
               {"not_applicable", p.not_applicable}};
        if (!p.area.empty()) {
            j["area"] = p.area;
        }
        return j;
    };
    json areas = json::array();
    for (const auto& a : c.areas) {
        areas.push_back(part(a));
    }
    return Dump(json{{"cycle", c.cycle}, {"total", part(c.total)}, {"areas", areas}});
}

std::string Checks(const app::CycleChecks& c) {
    json list = json::array();
    for (const auto& f : c.flags) {
        json j = Key(f.current.key);
        j.update({{"check", Name(f.check)},
                  {"why", f.why},
                  {"previous", Version(f.previous)},
                  {"current", Version(f.current)}});
        list.push_back(std::move(j));
    }
    return Dump(json{{"cycle", c.cycle},
                     {"previous_cycle", OrNull(c.previous_cycle)},
                     {"checks", list}});
}

std::string RegisterFigures(const std::string& cycle, core::Date as_of,
                            const std::vector<mon::RegisterFigures>& figures) {
    json list = json::array();
    for (const auto& f : figures) {
        list.push_back({{"institution", OrNull(f.institution)},
                        {"dp5_numerator", f.dp5_numerator},
                        {"dp5_denominator", f.dp5_denominator},
                        {"dp6_numerator", f.dp6_numerator},
                        {"dp6_partial", f.dp6_partial},
                        {"dp6_denominator", f.dp6_denominator},
                        {"dp7_n", f.dp7_n},
                        {"dp7_median", Num(f.dp7_median)},
                        {"dp7_p90", Num(f.dp7_p90)},
                        {"dp8_complaints", f.dp8_complaints},
                        {"dp8_decided", f.dp8_decided},
                        {"dp8_favourable", f.dp8_favourable}});
    }
    return Dump(json{{"cycle", cycle}, {"as_of", as_of.ToString()}, {"figures", list}});
}

std::string Recommendations(const std::vector<mon::Recommendation>& recommendations) {
    json list = json::array();
    for (const auto& r : recommendations) {
        list.push_back(RecommendationJson(r));
    }
    return Dump(json{{"recommendations", list}});
}

std::string Recommendation(const mon::Recommendation& recommendation) {
    return Dump(json{{"recommendation", RecommendationJson(recommendation)}});
}

std::string Audit(const std::vector<app::AuditEntry>& entries) {
    json list = json::array();
    for (const auto& e : entries) {
        list.push_back({{"seq", e.seq},
                        {"at", e.at},
                        {"actor", e.actor},
                        {"country", e.country},
                        {"type", e.type},
                        {"summary", e.summary}});
    }
    return Dump(json{{"entries", list}});
}

std::string AuditVerification(const store::AuditReport& report) {
    return Dump(json{{"ok", report.problems.empty()},
                     {"events", report.events},
                     {"head_seq", report.head_seq},
                     {"head_hash", report.head_hash},
                     {"head_intact", report.head_intact},
                     {"problems", report.problems}});
}

}  // namespace rap::server::monitoring_json
