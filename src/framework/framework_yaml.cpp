// SPDX-License-Identifier: AGPL-3.0-or-later
// Loader for framework files (core and national adaptations). See docs/data-formats.md.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "cases/codelist.hpp"
#include "core/files.hpp"
#include "core/yaml_reader.hpp"
#include "framework/framework.hpp"

namespace rap::framework {

namespace {

constexpr std::string_view kSchema = "rapporteur/framework@1";

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerWord(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '_';
    });
}

bool IsAreaCode(std::string_view s) { return s.size() == 2 && IsUpper(s[0]) && IsUpper(s[1]); }

bool IsPositiveNumber(std::string_view s) {
    return !s.empty() && s.size() <= 4 && s[0] != '0' && std::all_of(s.begin(), s.end(), IsDigit);
}

}  // namespace

// "ID.3" (core) or "ID.RS.1" (national) with the area and, for national codes, the country.
bool ParseIndicatorCode(std::string_view code, std::string* area, std::string* country) {
    const size_t first = code.find('.');
    if (first == std::string_view::npos || !IsAreaCode(code.substr(0, first))) {
        return false;
    }
    *area = std::string(code.substr(0, first));
    const std::string_view rest = code.substr(first + 1);
    const size_t second = rest.find('.');
    if (second == std::string_view::npos) {
        country->clear();
        return IsPositiveNumber(rest);
    }
    const std::string_view cc = rest.substr(0, second);
    if (!IsAreaCode(cc)) {
        return false;
    }
    *country = std::string(cc);
    return IsPositiveNumber(rest.substr(second + 1));
}

namespace {

template <class E, size_t N>
std::optional<E> ParseEnum(core::YamlReader& r, const YAML::Node& node, std::string_view what,
                           const std::array<E, N>& values) {
    auto text = r.Scalar(node, what);
    if (!text) {
        return std::nullopt;
    }
    std::string allowed;
    for (E v : values) {
        if (Name(v) == *text) {
            return v;
        }
        allowed += allowed.empty() ? "" : ", ";
        allowed += Name(v);
    }
    r.Report(node, fmt::format("{} {} is not known; expected one of: {}", what,
                               core::Quoted(*text), allowed));
    return std::nullopt;
}

constexpr std::array kTypes = {IndicatorType::kStructural, IndicatorType::kProcess,
                               IndicatorType::kOutcome};
constexpr std::array kDirections = {Direction::kHigher, Direction::kLower, Direction::kContextual};
constexpr std::array kStatuses = {IndicatorStatus::kActive, IndicatorStatus::kRetired};
constexpr std::array kKinds = {FrameworkKind::kCore, FrameworkKind::kNational};
constexpr std::array kDeviationTypes = {DeviationType::kNotApplicable, DeviationType::kRedefined,
                                        DeviationType::kExtraDisaggregation,
                                        DeviationType::kNationalIndicator};
constexpr std::array kScopes = {RedefinitionScope::kRenamed, RedefinitionScope::kNarrowed,
                                RedefinitionScope::kBroadened};

constexpr std::array kRuleTypes = {RuleType::kAtMost, RuleType::kSumsToTotal};
constexpr std::array kComparisons = {Comparison::kGt, Comparison::kGe, Comparison::kLt,
                                     Comparison::kLe, Comparison::kEq, Comparison::kNe};
constexpr std::array kValueParts = {ValuePart::kValue, ValuePart::kNumerator,
                                    ValuePart::kDenominator, ValuePart::kN};
// The tracks a score can read (monitoring::Track spells them the same way).
constexpr std::array<std::string_view, 3> kTracks = {"official", "cso", "derived"};

// The key node of `key` in a mapping (messages about the key itself point at it), or the map.
YAML::Node KeyNode(const YAML::Node& map, std::string_view key) {
    for (const auto& entry : map) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key) {
            return entry.first;
        }
    }
    return map;
}

// Rule, cap and band ids: lower-case words joined by '-', as framework ids.
bool IsRuleId(std::string_view s) {
    return !s.empty() && s.size() <= 64 && s.front() != '-' && s.back() != '-' &&
           std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-'; });
}

bool IsCurrencyCode(std::string_view s) {
    return s.size() == 3 && std::all_of(s.begin(), s.end(), IsUpper);
}


// A filter: a mapping of field -> condition. Conditions: a list of codes (in), true / false
// (bool), {not: [codes]}, {ge|gt|le|lt: number}, {recorded: true|false}.
std::optional<Filter> ParseFilter(core::YamlReader& r, const YAML::Node& node,
                                  std::string_view what) {
    if (!node.IsMap()) {
        r.CheckMap(node, what, {}, {});
        return std::nullopt;
    }
    Filter filter;
    bool ok = true;
    std::set<std::string, std::less<>> fields;
    for (const auto& entry : node) {
        Condition c;
        c.where = r.At(entry.first);
        c.field = entry.first.IsScalar() ? entry.first.Scalar() : "";
        if (c.field.empty() || !fields.insert(c.field).second) {
            r.Report(entry.first, fmt::format("{}: field {} is empty or repeated", what,
                                              core::Quoted(c.field)));
            ok = false;
            continue;
        }
        const YAML::Node& v = entry.second;
        if (v.IsSequence()) {
            c.op = Op::kIn;
            for (const auto& item : v) {
                if (auto code = r.Scalar(item, "code")) {
                    c.codes.push_back(*code);
                }
            }
            if (c.codes.empty()) {
                r.Report(v, fmt::format("{}: {} lists no codes", what, c.field));
                ok = false;
                continue;
            }
        } else if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) {
            c.op = v.Scalar() == "true" ? Op::kIsTrue : Op::kIsFalse;
        } else if (v.IsMap() && v.size() == 1) {
            const std::string key = v.begin()->first.Scalar();
            const YAML::Node arg = v.begin()->second;
            if (key == "not") {
                c.op = Op::kNotIn;
                if (!r.CheckSeq(arg, fmt::format("{}: {} not", what, c.field))) {
                    ok = false;
                    continue;
                }
                for (const auto& item : arg) {
                    if (auto code = r.Scalar(item, "code")) {
                        c.codes.push_back(*code);
                    }
                }
            } else if (key == "ge" || key == "gt" || key == "le" || key == "lt") {
                c.op = key == "ge" ? Op::kGe : key == "gt" ? Op::kGt : key == "le" ? Op::kLe
                                                                               : Op::kLt;
                auto n = r.IntegerScalar(arg, fmt::format("{}: {} {}", what, c.field, key),
                                         -1'000'000'000'000LL, 1'000'000'000'000LL);
                if (!n) {
                    ok = false;
                    continue;
                }
                c.number = *n;
            } else if (key == "recorded" && arg.IsScalar() &&
                       (arg.Scalar() == "true" || arg.Scalar() == "false")) {
                c.op = arg.Scalar() == "true" ? Op::kRecorded : Op::kNotRecorded;
            } else {
                r.Report(v, fmt::format("{}: unknown condition {} on {}; expected a list of "
                                        "codes, true, false, {{not: [...]}}, {{ge|gt|le|lt: n}} "
                                        "or {{recorded: true|false}}",
                                        what, core::Quoted(key), c.field));
                ok = false;
                continue;
            }
        } else {
            r.Report(v, fmt::format("{}: condition on {} must be a list of codes, true, false or "
                                    "a one-key mapping",
                                    what, c.field));
            ok = false;
            continue;
        }
        filter.push_back(std::move(c));
    }
    if (!ok) {
        return std::nullopt;
    }
    return filter;
}

constexpr std::array<std::pair<std::string_view, Aggregate>, 8> kAggregates = {{
    {"count", Aggregate::kCount},
    {"distinct", Aggregate::kDistinct},
    {"share", Aggregate::kShare},
    {"sum", Aggregate::kSum},
    {"median", Aggregate::kMedian},
    {"ratio", Aggregate::kRatio},
    {"rate", Aggregate::kRate},
    {"set_share", Aggregate::kSetShare},
}};

std::optional<MeasureDerivation> ParseMeasureDerivation(core::YamlReader& r,
                                                        const YAML::Node& node,
                                                        const Measure& measure,
                                                        std::string_view what) {
    if (!r.CheckMap(node, what, {},
                    {"count", "distinct", "share", "sum", "median", "ratio", "rate", "set_share",
                     "where", "per"})) {
        return std::nullopt;
    }
    MeasureDerivation m;
    m.measure = measure.id;
    m.where_defined = r.At(node);
    int found = 0;
    for (const auto& [name, aggregate] : kAggregates) {
        if (core::YamlReader::Has(node, name)) {
            ++found;
            m.aggregate = aggregate;
        }
    }
    if (found != 1) {
        r.Report(node, fmt::format("{}: give exactly one of count, distinct, share, sum, median, "
                                   "ratio, rate, set_share",
                                   what));
        return std::nullopt;
    }
    const std::string key(Name(m.aggregate));
    const YAML::Node arg = node[key];
    switch (m.aggregate) {
        case Aggregate::kCount:
        case Aggregate::kRate:
            if (!arg.IsScalar() || arg.Scalar() != "rows") {
                r.Report(arg, fmt::format("{}: write {}: rows", what, key));
                return std::nullopt;
            }
            break;
        case Aggregate::kDistinct:
        case Aggregate::kSum:
        case Aggregate::kMedian:
        case Aggregate::kSetShare:
            m.field = r.Scalar(arg, fmt::format("{}: {}", what, key)).value_or("");
            break;
        case Aggregate::kShare: {
            if (!r.CheckMap(arg, fmt::format("{}: share", what), {"numerator"}, {"denominator"})) {
                return std::nullopt;
            }
            auto num = ParseFilter(r, arg["numerator"], fmt::format("{}: share numerator", what));
            if (!num) {
                return std::nullopt;
            }
            m.where = *num;
            if (core::YamlReader::Has(arg, "denominator")) {
                auto den = ParseFilter(r, arg["denominator"],
                                       fmt::format("{}: share denominator", what));
                if (!den) {
                    return std::nullopt;
                }
                m.denominator_where = *den;
            }
            break;
        }
        case Aggregate::kRatio: {
            if (!r.CheckMap(arg, fmt::format("{}: ratio", what), {"numerator", "denominator"},
                            {})) {
                return std::nullopt;
            }
            m.field = r.String(arg, "numerator").value_or("");
            m.denominator_field = r.String(arg, "denominator").value_or("");
            break;
        }
    }
    if (core::YamlReader::Has(node, "where")) {
        if (m.aggregate == Aggregate::kShare) {
            r.Report(node["where"], fmt::format("{}: a share takes its filters under numerator "
                                                "and denominator",
                                                what));
            return std::nullopt;
        }
        auto f = ParseFilter(r, node["where"], fmt::format("{}: where", what));
        if (!f) {
            return std::nullopt;
        }
        m.where = *f;
    }
    if (core::YamlReader::Has(node, "per")) {
        if (m.aggregate != Aggregate::kRate) {
            r.Report(node["per"], fmt::format("{}: only a rate takes 'per'", what));
            return std::nullopt;
        }
        m.per = static_cast<double>(r.Integer(node, "per", 1, 1'000'000'000).value_or(100000));
    }
    // The aggregate must produce the measure's kind of value.
    bool fits = false;
    switch (m.aggregate) {
        case Aggregate::kCount:
        case Aggregate::kDistinct: fits = measure.kind == ValueKind::kNUM; break;
        case Aggregate::kShare:
        case Aggregate::kRatio:
        case Aggregate::kSetShare: fits = measure.kind == ValueKind::kPCT; break;
        case Aggregate::kSum:
            fits = measure.kind == ValueKind::kAMT || measure.kind == ValueKind::kNUM;
            break;
        case Aggregate::kMedian:
            fits = measure.kind == ValueKind::kMED || measure.kind == ValueKind::kAMT;
            break;
        case Aggregate::kRate: fits = measure.kind == ValueKind::kRATE; break;
    }
    if (!fits) {
        r.Report(node, fmt::format("{}: {} does not produce a {} value", what, key,
                                   Name(measure.kind)));
        return std::nullopt;
    }
    return m;
}

std::optional<Derivation> ParseDerivation(core::YamlReader& r, const YAML::Node& node,
                                          const Indicator& ind) {
    const std::string what = fmt::format("indicator {} derivation", ind.code);
    if (!r.CheckMap(node, what, {"record", "measures"}, {"where", "dimensions"})) {
        return std::nullopt;
    }
    Derivation d;
    d.where_defined = r.At(node);
    d.record = r.String(node, "record").value_or("");
    bool ok = true;
    if (core::YamlReader::Has(node, "where")) {
        auto f = ParseFilter(r, node["where"], what + " where");
        ok = ok && f.has_value();
        d.where = f.value_or(Filter());
    }
    if (core::YamlReader::Has(node, "dimensions")) {
        const YAML::Node dims = node["dimensions"];
        if (!dims.IsMap()) {
            r.CheckMap(dims, what + " dimensions", {}, {});
            ok = false;
        } else {
            for (const auto& e : dims) {
                const std::string dim = e.first.Scalar();
                if (std::find(ind.disaggregations.begin(), ind.disaggregations.end(), dim) ==
                    ind.disaggregations.end()) {
                    r.Report(e.first, fmt::format("{}: {} is not a disaggregation of the "
                                                  "indicator",
                                                  what, dim));
                    ok = false;
                    continue;
                }
                d.dimensions[dim] = r.Scalar(e.second, dim).value_or("");
            }
        }
    }
    const YAML::Node measures = node["measures"];
    if (measures.IsDefined() && measures.IsMap()) {
        for (const auto& e : measures) {
            const std::string id = e.first.Scalar();
            auto it = std::find_if(ind.measures.begin(), ind.measures.end(),
                                   [&](const Measure& m) { return m.id == id; });
            if (it == ind.measures.end()) {
                r.Report(e.first, fmt::format("{}: {} is not a measure of the indicator", what,
                                              core::Quoted(id)));
                ok = false;
                continue;
            }
            auto m = ParseMeasureDerivation(r, e.second, *it,
                                            fmt::format("{} measure {}", what, id));
            if (!m) {
                ok = false;
                continue;
            }
            d.measures.push_back(std::move(*m));
        }
        for (const auto& m : ind.measures) {
            if (std::none_of(d.measures.begin(), d.measures.end(),
                             [&](const MeasureDerivation& md) { return md.measure == m.id; }) &&
                ok) {
                r.Report(measures, fmt::format("{}: measure {} is not derived; derive every "
                                               "measure or none",
                                               what, m.id));
                ok = false;
            }
        }
    } else {
        r.Report(node, fmt::format("{}: 'measures' must map measure ids to how each is computed",
                                   what));
        ok = false;
    }
    if (!ok) {
        return std::nullopt;
    }
    return d;
}

class FrameworkParser {
public:
    FrameworkParser(core::YamlReader& r, Framework& fw) : r_(r), fw_(fw) {}

    void ParseRoot(const YAML::Node& root) {
        if (!r_.CheckMap(root, "framework file", {"schema", "id", "version", "kind", "name"},
                         {"description", "rubrics", "sources", "legal_instruments", "areas",
                          "indicators", "country", "extends", "extends_version", "example",
                          "deviations", "validation_rules", "scoring"})) {
            return;
        }
        if (!r_.CheckSchema(root, kSchema, "a framework file")) {
            return;
        }
        if (auto id = r_.String(root, "id")) {
            fw_.id = *id;
            const bool ok = id->size() >= 2 && id->size() <= 64 &&
                            std::all_of(id->begin(), id->end(), [](char c) {
                                return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-';
                            });
            if (!ok) {
                r_.Report(root["id"], fmt::format("id {} must be 2-64 lower-case letters, digits "
                                                  "or '-'",
                                                  core::Quoted(*id)));
            }
        }
        if (auto v = r_.String(root, "version")) {
            fw_.version = *v;
            if (!IsVersion(*v)) {
                r_.Report(root["version"], fmt::format("version {} must look like 1.0.0 "
                                                       "(major.minor.patch)",
                                                       core::Quoted(*v)));
            }
        }
        if (core::YamlReader::Has(root, "kind")) {
            if (auto k = ParseEnum(r_, root["kind"], "kind", kKinds)) {
                fw_.kind = *k;
            } else {
                return;
            }
        }
        if (auto t = r_.Text(root, "name")) {
            fw_.name = *t;
        }
        if (core::YamlReader::Has(root, "description")) {
            if (auto t = r_.Text(root, "description")) {
                fw_.description = *t;
            }
        }
        if (core::YamlReader::Has(root, "example")) {
            fw_.example = r_.Bool(root, "example").value_or(false);
        }
        if (core::YamlReader::Has(root, "rubrics")) {
            ParseRubrics(root["rubrics"]);
        }

        if (fw_.kind == FrameworkKind::kCore) {
            for (auto key : {"country", "extends", "extends_version", "deviations"}) {
                if (core::YamlReader::Has(root, key)) {
                    r_.Report(root[key], fmt::format("{} belongs to a national adaptation "
                                                     "(kind: national), not to a core framework",
                                                     core::Quoted(key)));
                }
            }
            for (auto key : {"areas", "indicators"}) {
                if (!core::YamlReader::Has(root, key)) {
                    r_.Report(root, fmt::format("a core framework needs {}", core::Quoted(key)));
                }
            }
        } else {
            for (auto key : {"areas", "indicators"}) {
                if (core::YamlReader::Has(root, key)) {
                    r_.Report(root[key], fmt::format("a national adaptation cannot define {}; "
                                                     "record national indicators as deviations "
                                                     "of type national_indicator",
                                                     core::Quoted(key)));
                }
            }
            for (auto key : {"country", "extends", "deviations"}) {
                if (!core::YamlReader::Has(root, key)) {
                    r_.Report(root, fmt::format("a national adaptation needs {}",
                                                core::Quoted(key)));
                }
            }
            ParseNationalHeader(root);
        }
        if (core::YamlReader::Has(root, "areas")) {
            ParseAreas(root["areas"]);
        }
        if (core::YamlReader::Has(root, "indicators")) {
            ParseIndicators(root["indicators"]);
        }
        if (core::YamlReader::Has(root, "deviations")) {
            ParseDeviations(root["deviations"]);
        }
        if (core::YamlReader::Has(root, "validation_rules")) {
            ParseValidationRules(root["validation_rules"]);
        }
        if (core::YamlReader::Has(root, "scoring")) {
            if (fw_.kind == FrameworkKind::kNational) {
                r_.Report(KeyNode(root, "scoring"),
                          "a national adaptation cannot declare 'scoring'; scores follow the core "
                          "framework's rules so that countries stay comparable");
            } else {
                ParseScoring(root["scoring"]);
            }
        }
    }

private:
    void ParseNationalHeader(const YAML::Node& root) {
        if (auto c = r_.String(root, "country")) {
            fw_.country = *c;
            if (!IsAreaCode(*c)) {
                r_.Report(root["country"], fmt::format("country {} must be an ISO 3166-1 alpha-2 "
                                                       "code in upper case, e.g. RS",
                                                       core::Quoted(*c)));
            }
        }
        if (auto e = r_.String(root, "extends")) {
            fw_.extends = *e;
            fw_.extends_where = r_.At(root["extends"]);
        }
        if (core::YamlReader::Has(root, "extends_version")) {
            if (auto v = r_.String(root, "extends_version")) {
                fw_.extends_version = *v;
                if (!IsVersion(*v)) {
                    r_.Report(root["extends_version"],
                              fmt::format("extends_version {} must look like 1.0.0",
                                          core::Quoted(*v)));
                }
            }
        }
    }

    std::optional<Rubric> ParseRubric(const YAML::Node& node, std::string_view what) {
        if (!r_.CheckMap(node, what, {"0", "1", "2", "3"}, {})) {
            return std::nullopt;
        }
        Rubric rubric;
        bool ok = true;
        for (size_t level = 0; level < 4; ++level) {
            const std::string key = std::to_string(level);
            if (!core::YamlReader::Has(node, key)) {
                ok = false;
                continue;
            }
            if (auto t = r_.Text(node, key)) {
                rubric[level] = *t;
            } else {
                ok = false;
            }
        }
        return ok ? std::optional<Rubric>(rubric) : std::nullopt;
    }

    void ParseRubrics(const YAML::Node& node) {
        if (!r_.CheckMap(node, "'rubrics'", {}, {"SC3"})) {
            return;
        }
        if (core::YamlReader::Has(node, "SC3")) {
            fw_.default_rubric = ParseRubric(node["SC3"], "rubric SC3");
        }
    }

    void ParseAreas(const YAML::Node& node) {
        if (!r_.CheckSeq(node, "'areas'")) {
            return;
        }
        for (const auto& item : node) {
            if (!r_.CheckMap(item, "area", {"code", "name"}, {"description"})) {
                continue;
            }
            Area area;
            if (auto c = r_.String(item, "code")) {
                area.code = *c;
                if (!IsAreaCode(*c)) {
                    r_.Report(item["code"], fmt::format("area code {} must be two upper-case "
                                                        "letters, e.g. ID",
                                                        core::Quoted(*c)));
                } else if (fw_.FindArea(*c) != nullptr) {
                    r_.Report(item["code"], fmt::format("duplicate area code {}",
                                                        core::Quoted(*c)));
                    continue;
                }
            }
            if (auto t = r_.Text(item, "name")) {
                area.name = *t;
            }
            if (core::YamlReader::Has(item, "description")) {
                if (auto t = r_.Text(item, "description")) {
                    area.description = *t;
                }
            }
            fw_.areas.push_back(std::move(area));
        }
    }

    void ParseIndicators(const YAML::Node& node) {
        if (!r_.CheckSeq(node, "'indicators'")) {
            return;
        }
        std::map<std::string, int, std::less<>> lines;
        for (const auto& item : node) {
            auto ind = ParseIndicator(item, /*national_country=*/"");
            if (!ind) {
                continue;
            }
            if (auto it = lines.find(ind->code); it != lines.end()) {
                r_.Report(item["code"], fmt::format("duplicate indicator code {} (first defined "
                                                    "at line {})",
                                                    core::Quoted(ind->code), it->second));
                continue;
            }
            lines.emplace(ind->code, ind->where.line);
            fw_.indicators.push_back(std::move(*ind));
        }
    }

    void ParseMeasureFields(const YAML::Node& item, Measure* m, std::string_view what) {
        if (auto k = r_.Scalar(item["kind"], "kind")) {
            if (auto kind = ParseValueKind(*k)) {
                m->kind = *kind;
            } else {
                r_.Report(item["kind"], fmt::format("{}: unknown value kind {}; expected one of: "
                                                    "YN, YNP, SC3, NUM, PCT, RATE, MED, AMT",
                                                    what, core::Quoted(*k)));
                return;
            }
        } else {
            return;
        }
        const bool unitless = m->kind == ValueKind::kYN || m->kind == ValueKind::kYNP ||
                              m->kind == ValueKind::kSC3;
        if (core::YamlReader::Has(item, "unit")) {
            m->unit = r_.String(item, "unit").value_or("");
        } else if (unitless) {
            m->unit = "none";
        } else {
            r_.Report(item, fmt::format("{}: a {} value needs a 'unit'", what, Name(m->kind)));
        }
        if (!m->unit.empty()) {
            CheckUnit(item["unit"].IsDefined() ? item["unit"] : item, *m, what);
        }
        if (auto d = ParseEnum(r_, item["direction"], "direction", kDirections)) {
            m->direction = *d;
        }
        if (unitless && m->kind != ValueKind::kSC3 && m->direction == Direction::kContextual) {
            // Yes/no answers are always scored; contextual makes no sense for them.
            r_.Report(item["direction"], fmt::format("{}: a {} value must have direction higher "
                                                     "or lower",
                                                     what, Name(m->kind)));
        }
    }

    void CheckUnit(const YAML::Node& where, const Measure& m, std::string_view what) {
        std::string expected;
        bool ok = true;
        switch (m.kind) {
            case ValueKind::kYN:
            case ValueKind::kYNP:
            case ValueKind::kSC3:
                ok = m.unit == "none";
                expected = "none";
                break;
            case ValueKind::kPCT:
                ok = m.unit == "percent";
                expected = "percent";
                break;
            case ValueKind::kRATE:
                ok = m.unit == "per_100k";
                expected = "per_100k";
                break;
            case ValueKind::kMED:
                ok = m.unit == "days" || m.unit == "months";
                expected = "days or months";
                break;
            case ValueKind::kAMT:
                ok = IsCurrencyCode(m.unit);
                expected = "an ISO 4217 currency code such as EUR";
                break;
            case ValueKind::kNUM:
                ok = IsLowerWord(m.unit) && m.unit != "none";
                expected = "a lower-case word such as persons or cases";
                break;
        }
        if (!ok) {
            r_.Report(where, fmt::format("{}: unit {} does not fit a {} value; expected {}", what,
                                         core::Quoted(m.unit), Name(m.kind), expected));
        }
    }

public:
    std::optional<Indicator> ParseIndicator(const YAML::Node& item, std::string_view country) {
        if (!r_.CheckMap(item, "indicator", {"code", "area", "name", "description", "type"},
                         {"kind", "unit", "direction", "measures", "disaggregations", "sources",
                          "legal_refs", "rubric", "status", "derivation"})) {
            return std::nullopt;
        }
        Indicator ind;
        ind.where = r_.At(item);
        auto code = r_.String(item, "code");
        if (!code) {
            return std::nullopt;
        }
        ind.code = *code;
        const std::string what = fmt::format("indicator {}", ind.code);
        std::string code_area;
        std::string code_country;
        if (!ParseIndicatorCode(ind.code, &code_area, &code_country)) {
            r_.Report(item["code"], fmt::format("indicator code {} must look like ID.3 (core) or "
                                                "ID.RS.1 (national)",
                                                core::Quoted(ind.code)));
        } else if (country.empty() && !code_country.empty()) {
            r_.Report(item["code"], fmt::format("{}: a core indicator code has no country part "
                                                "(AREA.n)",
                                                what));
        } else if (!country.empty() && code_country != country) {
            r_.Report(item["code"], fmt::format("{}: a national indicator of {} must be coded "
                                                "{}.{}.n",
                                                what, country, code_area, country));
        }
        if (auto a = r_.String(item, "area")) {
            ind.area = *a;
            if (!code_area.empty() && code_area != *a) {
                r_.Report(item["area"], fmt::format("{}: area {} does not match the code's "
                                                    "prefix {}",
                                                    what, core::Quoted(*a), code_area));
            } else if (country.empty() && fw_.FindArea(*a) == nullptr) {
                r_.Report(item["area"], fmt::format("{}: area {} is not defined in 'areas'", what,
                                                    core::Quoted(*a)));
            }
        }
        if (auto t = r_.Text(item, "name")) {
            ind.name = *t;
        }
        if (auto t = r_.Text(item, "description")) {
            ind.description = *t;
        }
        ParseTypes(item["type"], &ind, what);

        const bool has_measures = core::YamlReader::Has(item, "measures");
        const bool has_kind = core::YamlReader::Has(item, "kind");
        if (has_measures && has_kind) {
            r_.Report(item["measures"], fmt::format("{}: give either kind/unit/direction or "
                                                    "'measures', not both",
                                                    what));
        } else if (has_measures) {
            ParseMeasures(item["measures"], &ind, what);
        } else if (has_kind) {
            if (!core::YamlReader::Has(item, "direction")) {
                r_.Report(item, fmt::format("{}: missing required key 'direction'", what));
            }
            Measure m;
            m.id = "value";
            ParseMeasureFields(item, &m, what);
            ind.measures.push_back(std::move(m));
        } else {
            r_.Report(item, fmt::format("{}: missing 'kind' (or a 'measures' list)", what));
        }

        if (core::YamlReader::Has(item, "disaggregations")) {
            if (auto list = r_.StringList(item, "disaggregations")) {
                std::set<std::string, std::less<>> seen;
                for (auto& [dim, node] : *list) {
                    if (!cases::IsDimensionCode(dim)) {
                        r_.Report(node, fmt::format("{}: {} is not a dimension code (upper case, "
                                                    "e.g. SEX)",
                                                    what, core::Quoted(dim)));
                    } else if (!seen.insert(dim).second) {
                        r_.Report(node, fmt::format("{}: dimension {} listed twice", what, dim));
                    } else {
                        ind.disaggregations.push_back(dim);
                        ind.disaggregation_where.push_back(r_.At(node));
                    }
                }
            }
        }
        if (core::YamlReader::Has(item, "sources")) {
            if (auto list = r_.StringList(item, "sources")) {
                for (auto& [src, node] : *list) {
                    ind.sources.push_back(src);
                }
            }
        }
        if (core::YamlReader::Has(item, "legal_refs")) {
            ParseLegalRefs(item["legal_refs"], &ind, what);
        }
        if (core::YamlReader::Has(item, "rubric")) {
            if (!ind.HasKind(ValueKind::kSC3)) {
                r_.Report(item["rubric"], fmt::format("{}: only SC3 values have a rubric", what));
            } else {
                ind.rubric = ParseRubric(item["rubric"], what + " rubric");
            }
        }
        if (core::YamlReader::Has(item, "status")) {
            if (auto s = ParseEnum(r_, item["status"], "status", kStatuses)) {
                ind.status = *s;
            }
        }
        if (core::YamlReader::Has(item, "derivation")) {
            ind.derivation = ParseDerivation(r_, item["derivation"], ind);
        }
        return ind;
    }

private:
    void ParseTypes(const YAML::Node& node, Indicator* ind, std::string_view what) {
        if (!node.IsDefined()) {
            return;
        }
        if (node.IsSequence()) {
            for (const auto& item : node) {
                if (auto t = ParseEnum(r_, item, "type", kTypes)) {
                    if (std::find(ind->types.begin(), ind->types.end(), *t) != ind->types.end()) {
                        r_.Report(item, fmt::format("{}: type {} listed twice", what, Name(*t)));
                    } else {
                        ind->types.push_back(*t);
                    }
                }
            }
            if (ind->types.empty()) {
                r_.Report(node, fmt::format("{}: 'type' is an empty list", what));
            }
            return;
        }
        if (auto t = ParseEnum(r_, node, "type", kTypes)) {
            ind->types.push_back(*t);
        }
    }

    void ParseMeasures(const YAML::Node& node, Indicator* ind, std::string_view what) {
        if (!r_.CheckSeq(node, fmt::format("{}: 'measures'", what))) {
            return;
        }
        if (node.size() < 2) {
            r_.Report(node, fmt::format("{}: 'measures' needs at least two entries; a single value "
                                        "uses kind/unit/direction",
                                        what));
        }
        for (const auto& item : node) {
            if (!r_.CheckMap(item, fmt::format("{} measure", what),
                             {"id", "kind", "direction", "name"}, {"unit"})) {
                continue;
            }
            Measure m;
            if (auto id = r_.String(item, "id")) {
                m.id = *id;
                if (!IsLowerWord(*id)) {
                    r_.Report(item["id"], fmt::format("{}: measure id {} must be lower-case "
                                                      "letters, digits or '_'",
                                                      what, core::Quoted(*id)));
                } else if (std::any_of(ind->measures.begin(), ind->measures.end(),
                                       [&](const Measure& o) { return o.id == *id; })) {
                    r_.Report(item["id"], fmt::format("{}: duplicate measure id {}", what,
                                                      core::Quoted(*id)));
                    continue;
                }
            }
            if (auto t = r_.Text(item, "name")) {
                m.name = *t;
            }
            if (!core::YamlReader::Has(item, "kind")) {
                continue;
            }
            ParseMeasureFields(item, &m, fmt::format("{} measure {}", what, m.id));
            ind->measures.push_back(std::move(m));
        }
    }

    void ParseLegalRefs(const YAML::Node& node, Indicator* ind, std::string_view what) {
        if (!r_.CheckSeq(node, fmt::format("{}: 'legal_refs'", what))) {
            return;
        }
        for (const auto& item : node) {
            if (!r_.CheckMap(item, fmt::format("{} legal reference", what),
                             {"instrument", "articles"}, {})) {
                continue;
            }
            LegalRef ref;
            ref.instrument = r_.String(item, "instrument").value_or("");
            ref.articles = r_.String(item, "articles").value_or("");
            ind->legal_refs.push_back(std::move(ref));
        }
    }

    void ParseDeviations(const YAML::Node& node) {
        if (!r_.CheckSeq(node, "'deviations'")) {
            return;
        }
        for (const auto& item : node) {
            if (!item.IsMap()) {
                r_.CheckMap(item, "deviation", {}, {});
                continue;
            }
            if (!core::YamlReader::Has(item, "type")) {
                r_.Report(item, "deviation: missing required key 'type'; expected one of: "
                                "not_applicable, redefined, extra_disaggregation, "
                                "national_indicator");
                continue;
            }
            auto type = ParseEnum(r_, item["type"], "deviation type", kDeviationTypes);
            if (!type) {
                continue;
            }
            Deviation dev;
            dev.type = *type;
            dev.framework_id = fw_.id;
            dev.where = r_.At(item);
            switch (*type) {
                case DeviationType::kNotApplicable:
                    r_.CheckMap(item, "not_applicable deviation", {"type", "indicator", "reason"},
                                {});
                    break;
                case DeviationType::kRedefined:
                    r_.CheckMap(item, "redefined deviation",
                                {"type", "indicator", "reason", "scope"}, {"name", "description"});
                    break;
                case DeviationType::kExtraDisaggregation:
                    r_.CheckMap(item, "extra_disaggregation deviation",
                                {"type", "indicator", "reason", "dimensions"}, {});
                    break;
                case DeviationType::kNationalIndicator:
                    r_.CheckMap(item, "national_indicator deviation",
                                {"type", "indicator", "reason"}, {});
                    break;
            }
            if (auto t = r_.Text(item, "reason")) {
                dev.reason = *t;
            }
            if (*type == DeviationType::kNationalIndicator) {
                if (core::YamlReader::Has(item, "indicator")) {
                    dev.national = ParseIndicator(item["indicator"], fw_.country);
                    if (dev.national) {
                        dev.indicator = dev.national->code;
                        dev.where = dev.national->where;
                    }
                }
            } else if (auto code = r_.String(item, "indicator")) {
                dev.indicator = *code;
                dev.where = r_.At(item["indicator"]);
            }
            if (*type == DeviationType::kRedefined) {
                if (auto s = core::YamlReader::Has(item, "scope")
                                 ? ParseEnum(r_, item["scope"], "scope", kScopes)
                                 : std::nullopt) {
                    dev.scope = *s;
                }
                if (core::YamlReader::Has(item, "name")) {
                    dev.name = r_.Text(item, "name");
                }
                if (core::YamlReader::Has(item, "description")) {
                    dev.description = r_.Text(item, "description");
                }
                if (!core::YamlReader::Has(item, "name") &&
                    !core::YamlReader::Has(item, "description")) {
                    r_.Report(item, fmt::format("redefined deviation of {} needs a national "
                                                "'name' or 'description'",
                                                dev.indicator));
                }
            }
            if (*type == DeviationType::kExtraDisaggregation) {
                if (auto list = r_.StringList(item, "dimensions")) {
                    if (list->empty()) {
                        r_.Report(item["dimensions"], "'dimensions' is empty");
                    }
                    for (auto& [dim, dnode] : *list) {
                        if (!cases::IsDimensionCode(dim)) {
                            r_.Report(dnode, fmt::format("{} is not a dimension code (upper "
                                                         "case, e.g. REG)",
                                                         core::Quoted(dim)));
                            continue;
                        }
                        dev.dimensions.push_back(dim);
                        dev.dimension_where.push_back(r_.At(dnode));
                    }
                }
            }
            CheckConflicts(dev);
            fw_.deviations.push_back(std::move(dev));
        }
    }

    // One deviation of each type per indicator; not_applicable excludes every other kind.
    void CheckConflicts(const Deviation& dev) {
        for (const Deviation& other : fw_.deviations) {
            if (other.indicator != dev.indicator || dev.indicator.empty()) {
                continue;
            }
            if (other.type == dev.type) {
                diags().Add(Errc::kInvalidArgument,
                            fmt::format("{} already has a {} deviation at line {}", dev.indicator,
                                        Name(dev.type), other.where.line),
                            dev.where);
            } else if (other.type == DeviationType::kNotApplicable ||
                       dev.type == DeviationType::kNotApplicable) {
                diags().Add(Errc::kInvalidArgument,
                            fmt::format("{} is marked not_applicable and {} at the same time "
                                        "(line {})",
                                        dev.indicator,
                                        Name(dev.type == DeviationType::kNotApplicable
                                                 ? other.type
                                                 : dev.type),
                                        other.where.line),
                            dev.where);
            }
        }
    }

    // validation_rules: at_most and sums_to_total rules. Whether the indicators, measures and
    // dimensions they name exist is checked against the effective framework (ReferenceData).
    void ParseValidationRules(const YAML::Node& node) {
        if (!r_.CheckSeq(node, "'validation_rules'")) {
            return;
        }
        std::map<std::string, int, std::less<>> lines;
        for (const auto& item : node) {
            if (!item.IsMap()) {
                r_.CheckMap(item, "validation rule", {}, {});
                continue;
            }
            if (!core::YamlReader::Has(item, "type")) {
                r_.Report(item, "validation rule: missing required key 'type'; expected one of: "
                                "at_most, sums_to_total");
                continue;
            }
            auto type = ParseEnum(r_, item["type"], "rule type", kRuleTypes);
            if (!type) {
                continue;
            }
            ValidationRule rule;
            rule.type = *type;
            rule.framework_id = fw_.id;
            rule.where = r_.At(item);
            if (*type == RuleType::kAtMost) {
                r_.CheckMap(item, "at_most rule", {"id", "type", "indicator", "than", "reason"},
                            {"measure", "than_measure"});
            } else {
                r_.CheckMap(item, "sums_to_total rule",
                            {"id", "type", "indicators", "dimensions", "reason"}, {"measure"});
            }
            bool duplicate = false;
            if (auto id = r_.String(item, "id")) {
                rule.id = *id;
                if (!IsRuleId(*id)) {
                    r_.Report(item["id"], fmt::format("rule id {} must be lower-case letters, "
                                                      "digits or '-'",
                                                      core::Quoted(*id)));
                } else if (auto it = lines.find(*id); it != lines.end()) {
                    r_.Report(item["id"], fmt::format("duplicate rule id {} (first defined at "
                                                      "line {})",
                                                      core::Quoted(*id), it->second));
                    duplicate = true;
                } else {
                    lines.emplace(*id, rule.where.line);
                }
            }
            const std::string what = fmt::format("rule {}", rule.id);
            if (auto t = r_.Text(item, "reason")) {
                rule.reason = *t;
            }
            auto measure_id = [&](std::string_view key, std::string* out) {
                if (auto m = r_.String(item, key)) {
                    *out = *m;
                    if (!IsLowerWord(*m)) {
                        r_.Report(item[std::string(key)],
                                  fmt::format("{}: {} {} is not a measure id (lower-case letters, "
                                              "digits or '_')",
                                              what, key, core::Quoted(*m)));
                    }
                }
            };
            measure_id("measure", &rule.measure);
            if (*type == RuleType::kAtMost) {
                rule.indicator = r_.String(item, "indicator").value_or("");
                rule.than = r_.String(item, "than").value_or("");
                measure_id("than_measure", &rule.than_measure);
                if (!rule.indicator.empty() && rule.indicator == rule.than &&
                    rule.measure == rule.than_measure) {
                    r_.Report(item["than"], fmt::format("{}: compares {} with itself", what,
                                                        rule.indicator));
                }
            } else {
                ParseRuleList(item, "indicators", what, &rule.indicators, /*dimensions=*/false);
                ParseRuleList(item, "dimensions", what, &rule.dimensions, /*dimensions=*/true);
            }
            if (!duplicate) {
                fw_.rules.push_back(std::move(rule));
            }
        }
    }

    // A non-empty list without repeats: indicator codes, or dimension codes when `dimensions`.
    void ParseRuleList(const YAML::Node& item, std::string_view key, std::string_view what,
                       std::vector<std::string>* out, bool dimensions) {
        auto list = r_.StringList(item, key);
        if (!list) {
            return;
        }
        if (list->empty()) {
            r_.Report(item[std::string(key)], fmt::format("{}: {} is empty", what,
                                                          core::Quoted(key)));
        }
        for (auto& [code, code_node] : *list) {
            if (dimensions && !cases::IsDimensionCode(code)) {
                r_.Report(code_node, fmt::format("{}: {} is not a dimension code (upper case, "
                                                 "e.g. SEX)",
                                                 what, core::Quoted(code)));
            } else if (std::find(out->begin(), out->end(), code) != out->end()) {
                r_.Report(code_node, fmt::format("{}: {} listed twice", what, code));
            } else {
                out->push_back(code);
            }
        }
    }

    // scoring: normalisation, coverage, tracks, law/practice types, weights, bands and caps.
    void ParseScoring(const YAML::Node& node) {
        if (!r_.CheckMap(node, "'scoring'", {"bands"},
                         {"normalise", "min_coverage", "tracks", "law", "practice", "weights",
                          "caps"})) {
            return;
        }
        ScoringRules& sc = fw_.scoring;
        sc.declared = true;
        sc.where = r_.At(node);
        if (core::YamlReader::Has(node, "normalise")) {
            ParseNormalise(node["normalise"]);
        }
        if (core::YamlReader::Has(node, "min_coverage")) {
            const YAML::Node v = node["min_coverage"];
            if (auto x = r_.NumberScalar(v, "scoring 'min_coverage'", -1e9, 1e9)) {
                if (*x <= 0 || *x > 1) {
                    r_.Report(v, fmt::format("scoring 'min_coverage' is the share of an area's "
                                             "scorable indicators that must have a value; it "
                                             "must be more than 0 and at most 1, found {}",
                                             *x));
                } else {
                    sc.min_coverage = *x;
                }
            }
        }
        if (core::YamlReader::Has(node, "tracks")) {
            ParseTracks(node["tracks"]);
        }
        // Framework.md §11.2: law = structural, practice = process and outcome.
        sc.law_types = {IndicatorType::kStructural};
        sc.practice_types = {IndicatorType::kProcess, IndicatorType::kOutcome};
        if (core::YamlReader::Has(node, "law")) {
            sc.law_types = ParseTypeList(node["law"], "scoring 'law'");
        }
        if (core::YamlReader::Has(node, "practice")) {
            sc.practice_types = ParseTypeList(node["practice"], "scoring 'practice'");
        }
        for (IndicatorType t : sc.law_types) {
            if (std::find(sc.practice_types.begin(), sc.practice_types.end(), t) !=
                sc.practice_types.end()) {
                r_.Report(core::YamlReader::Has(node, "practice") ? node["practice"] : node,
                          fmt::format("scoring: indicator type {} counts both as law and as "
                                      "practice",
                                      Name(t)));
            }
        }
        if (core::YamlReader::Has(node, "weights")) {
            ParseWeights(node["weights"]);
        }
        if (core::YamlReader::Has(node, "bands")) {
            ParseBands(node["bands"]);
        }
        if (core::YamlReader::Has(node, "caps")) {
            ParseCaps(node["caps"]);
        }
    }

    void ParseNormalise(const YAML::Node& node) {
        if (!r_.CheckMap(node, "scoring 'normalise'", {}, {"YN", "YNP", "SC3"})) {
            return;
        }
        auto answers = [&](const char* kind, std::initializer_list<std::string_view> keys,
                           std::map<std::string, double, std::less<>>* out) {
            if (!core::YamlReader::Has(node, kind)) {
                return;
            }
            const YAML::Node map = node[kind];
            const std::string what = fmt::format("scoring normalise {}", kind);
            if (!r_.CheckMap(map, what, keys, {})) {
                return;
            }
            std::map<std::string, double, std::less<>> scores;
            for (std::string_view key : keys) {
                if (!core::YamlReader::Has(map, key)) {
                    return;  // reported by CheckMap
                }
                auto v = r_.NumberScalar(map[std::string(key)],
                                      fmt::format("{} {}", what, key), 0, 100);
                if (!v) {
                    return;
                }
                scores.emplace(std::string(key), *v);
            }
            *out = std::move(scores);
        };
        answers("YN", {"yes", "no"}, &fw_.scoring.yn);
        answers("YNP", {"yes", "partial", "no"}, &fw_.scoring.ynp);
        if (core::YamlReader::Has(node, "SC3")) {
            const YAML::Node list = node["SC3"];
            if (!r_.CheckSeq(list, "scoring normalise SC3")) {
                return;
            }
            if (list.size() != 4) {
                r_.Report(list, fmt::format("scoring normalise SC3 must list exactly 4 scores, "
                                            "for levels 0, 1, 2 and 3; found {}",
                                            list.size()));
                return;
            }
            for (size_t level = 0; level < 4; ++level) {
                if (auto v = r_.NumberScalar(list[level],
                                          fmt::format("scoring normalise SC3 level {}", level), 0,
                                          100)) {
                    fw_.scoring.sc3[level] = *v;
                }
            }
        }
    }

    void ParseTracks(const YAML::Node& node) {
        if (!r_.CheckSeq(node, "scoring 'tracks'")) {
            return;
        }
        std::vector<std::string> tracks;
        for (const auto& item : node) {
            auto t = r_.Scalar(item, "track");
            if (!t) {
                continue;
            }
            if (std::find(kTracks.begin(), kTracks.end(), *t) == kTracks.end()) {
                r_.Report(item, fmt::format("track {} is not known; expected one of: official, "
                                            "cso, derived",
                                            core::Quoted(*t)));
            } else if (std::find(tracks.begin(), tracks.end(), *t) != tracks.end()) {
                r_.Report(item, fmt::format("scoring 'tracks': {} listed twice", *t));
            } else {
                tracks.push_back(*t);
            }
        }
        if (node.size() == 0) {
            r_.Report(node, "scoring 'tracks' is empty; list the tracks a score reads, first "
                            "present wins");
        }
        fw_.scoring.tracks = std::move(tracks);
    }

    std::vector<IndicatorType> ParseTypeList(const YAML::Node& node, std::string_view what) {
        std::vector<IndicatorType> types;
        if (!r_.CheckSeq(node, what)) {
            return types;
        }
        for (const auto& item : node) {
            if (auto t = ParseEnum(r_, item, "indicator type", kTypes)) {
                if (std::find(types.begin(), types.end(), *t) != types.end()) {
                    r_.Report(item, fmt::format("{}: {} listed twice", what, Name(*t)));
                } else {
                    types.push_back(*t);
                }
            }
        }
        if (node.size() == 0) {
            r_.Report(node, fmt::format("{} is empty", what));
        }
        return types;
    }

    void ParseWeights(const YAML::Node& node) {
        if (!node.IsMap()) {
            r_.CheckMap(node, "scoring 'weights'", {}, {});
            return;
        }
        for (const auto& entry : node) {
            auto code = r_.Scalar(entry.first, "scoring 'weights' key");
            if (!code) {
                continue;
            }
            const std::string what = fmt::format("scoring weight of {}", *code);
            auto w = r_.NumberScalar(entry.second, what, -1e9, 1e9);
            if (!w) {
                continue;
            }
            if (*w <= 0) {
                r_.Report(entry.second, fmt::format("{} must be more than 0, found {}; leave an "
                                                    "indicator out of the score with a deviation "
                                                    "instead",
                                                    what, *w));
                continue;
            }
            if (!fw_.scoring.weights.emplace(*code, *w).second) {
                r_.Report(entry.first, fmt::format("scoring 'weights': {} given twice", *code));
            }
        }
    }

    // Bands are listed in order and must tile 0..100: the first starts at 0, each starts where
    // the previous one ends, the last ends at 100.
    void ParseBands(const YAML::Node& node) {
        if (!r_.CheckSeq(node, "scoring 'bands'")) {
            return;
        }
        if (node.size() == 0) {
            r_.Report(node, "scoring 'bands' is empty; bands must cover 0-100");
            return;
        }
        std::vector<Band>& bands = fw_.scoring.bands;
        bool tiling = true;  // false after a band that could not be read: skip the tiling checks
        for (const auto& item : node) {
            if (!r_.CheckMap(item, "band", {"id", "from", "to", "name"}, {})) {
                tiling = false;
                continue;
            }
            Band band;
            if (auto id = r_.String(item, "id")) {
                band.id = *id;
                if (!IsRuleId(*id)) {
                    r_.Report(item["id"], fmt::format("band id {} must be lower-case letters, "
                                                      "digits or '-'",
                                                      core::Quoted(*id)));
                } else if (std::any_of(bands.begin(), bands.end(),
                                       [&](const Band& b) { return b.id == *id; })) {
                    r_.Report(item["id"], fmt::format("duplicate band id {}", core::Quoted(*id)));
                }
            }
            if (auto t = r_.Text(item, "name")) {
                band.name = *t;
            }
            const std::string what = fmt::format("band {}", band.id);
            auto from = core::YamlReader::Has(item, "from")
                            ? r_.NumberScalar(item["from"], what + " 'from'", 0, 100)
                            : std::nullopt;
            auto to = core::YamlReader::Has(item, "to")
                          ? r_.NumberScalar(item["to"], what + " 'to'", 0, 100)
                          : std::nullopt;
            if (!from || !to) {
                tiling = false;
                continue;
            }
            band.from = *from;
            band.to = *to;
            if (band.to <= band.from) {
                r_.Report(item["to"], fmt::format("{}: 'to' ({}) must be greater than 'from' ({})",
                                                  what, band.to, band.from));
                tiling = false;
                continue;
            }
            if (tiling) {
                const double expected = bands.empty() ? 0 : bands.back().to;
                if (band.from != expected) {
                    std::string problem;
                    if (bands.empty()) {
                        problem = "the first band must start at 0";
                    } else {
                        problem = fmt::format("{} band {}, which ends at {}",
                                              band.from > expected ? "leaving a gap after"
                                                                   : "overlapping",
                                              bands.back().id, expected);
                    }
                    r_.Report(item["from"], fmt::format("{} starts at {}: {}; bands must cover "
                                                        "0-100 in order without gaps or overlaps",
                                                        what, band.from, problem));
                    tiling = false;
                }
            }
            bands.push_back(std::move(band));
        }
        if (tiling && !bands.empty() && bands.back().to != 100) {
            r_.Report(node[node.size() - 1]["to"],
                      fmt::format("band {} ends at {}: the last band must end at 100; bands must "
                                  "cover 0-100 in order without gaps or overlaps",
                                  bands.back().id, bands.back().to));
        }
    }

    void ParseCaps(const YAML::Node& node) {
        if (!r_.CheckSeq(node, "scoring 'caps'")) {
            return;
        }
        std::map<std::string, int, std::less<>> lines;
        for (const auto& item : node) {
            if (!r_.CheckMap(item, "cap", {"id", "area", "max", "when", "reason"}, {})) {
                continue;
            }
            Cap cap;
            cap.where = r_.At(item);
            bool duplicate = false;
            if (auto id = r_.String(item, "id")) {
                cap.id = *id;
                if (!IsRuleId(*id)) {
                    r_.Report(item["id"], fmt::format("cap id {} must be lower-case letters, "
                                                      "digits or '-'",
                                                      core::Quoted(*id)));
                } else if (auto it = lines.find(*id); it != lines.end()) {
                    r_.Report(item["id"], fmt::format("duplicate cap id {} (first defined at "
                                                      "line {})",
                                                      core::Quoted(*id), it->second));
                    duplicate = true;
                } else {
                    lines.emplace(*id, cap.where.line);
                }
            }
            const std::string what = fmt::format("cap {}", cap.id);
            if (auto a = r_.String(item, "area")) {
                cap.area = *a;
                if (fw_.FindArea(*a) == nullptr) {
                    r_.Report(item["area"], fmt::format("{}: area {} is not defined in 'areas'",
                                                        what, core::Quoted(*a)));
                }
            }
            if (core::YamlReader::Has(item, "max")) {
                cap.max = r_.NumberScalar(item["max"], what + " 'max'", 0, 100).value_or(100);
            }
            if (auto t = r_.Text(item, "reason")) {
                cap.reason = *t;
            }
            const YAML::Node when = item["when"];
            if (when.IsDefined() && r_.CheckSeq(when, what + " 'when'")) {
                if (when.size() == 0) {
                    r_.Report(when, fmt::format("{}: 'when' lists no condition", what));
                }
                for (const auto& c : when) {
                    if (auto cond = ParseCapCondition(c, what)) {
                        cap.when.push_back(std::move(*cond));
                    }
                }
            }
            if (!duplicate) {
                fw_.scoring.caps.push_back(std::move(cap));
            }
        }
    }

    std::optional<CapCondition> ParseCapCondition(const YAML::Node& node, std::string_view what) {
        const std::string cwhat = fmt::format("{} condition", what);
        if (!r_.CheckMap(node, cwhat, {"indicator", "op", "number"}, {"measure", "part"})) {
            return std::nullopt;
        }
        CapCondition c;
        bool ok = true;
        if (auto i = r_.String(node, "indicator")) {
            c.indicator = *i;
        } else {
            ok = false;
        }
        if (core::YamlReader::Has(node, "measure")) {
            c.measure = r_.String(node, "measure").value_or("");
            if (!IsLowerWord(c.measure)) {
                r_.Report(node["measure"], fmt::format("{}: {} is not a measure id (lower-case "
                                                       "letters, digits or '_')",
                                                       cwhat, core::Quoted(c.measure)));
                ok = false;
            }
        }
        if (core::YamlReader::Has(node, "part")) {
            if (auto p = ParseEnum(r_, node["part"], "part", kValueParts)) {
                c.part = *p;
            } else {
                ok = false;
            }
        }
        if (core::YamlReader::Has(node, "op")) {
            if (auto op = ParseEnum(r_, node["op"], "op", kComparisons)) {
                c.comparison = *op;
            } else {
                ok = false;
            }
        }
        if (core::YamlReader::Has(node, "number")) {
            if (auto n = r_.NumberScalar(node["number"], cwhat + " 'number'", -1e15, 1e15)) {
                c.number = *n;
            } else {
                ok = false;
            }
        }
        if (!ok) {
            return std::nullopt;
        }
        return c;
    }

    core::Diagnostics& diags() { return r_.diagnostics(); }

    core::YamlReader& r_;
    Framework& fw_;

public:
    // Parses `sources:` / `legal_instruments:` whose keys are free abbreviations.
    void ParseAbbreviations(const YAML::Node& root, std::string_view key,
                            std::map<std::string, core::LocalizedText, std::less<>>* out) {
        if (!core::YamlReader::Has(root, key)) {
            return;
        }
        const YAML::Node node = root[std::string(key)];
        if (!node.IsMap()) {
            r_.CheckMap(node, core::Quoted(key), {}, {});
            return;
        }
        for (const auto& entry : node) {
            if (!entry.first.IsScalar()) {
                r_.Report(entry.first, fmt::format("{}: keys must be abbreviations",
                                                   core::Quoted(key)));
                continue;
            }
            const std::string& abbr = entry.first.Scalar();
            if (out->contains(abbr)) {
                r_.Report(entry.first, fmt::format("{}: duplicate abbreviation {}",
                                                   core::Quoted(key), core::Quoted(abbr)));
                continue;
            }
            if (auto t = r_.Text(node, abbr)) {
                out->emplace(abbr, *t);
            }
        }
    }
};

}  // namespace

std::optional<Framework> ParseFramework(const std::string& file, std::string_view bytes,
                                        core::Diagnostics& diags) {
    const size_t errors_before = diags.size();
    core::YamlReader r(file, diags);
    auto root = r.Parse(bytes);
    if (!root) {
        return std::nullopt;
    }
    Framework fw;
    fw.source_file = file;
    fw.source_text = std::string(core::StripBom(bytes));
    fw.sha256 = core::Sha256Hex(fw.source_text);
    FrameworkParser parser(r, fw);
    if (root->IsMap()) {
        parser.ParseAbbreviations(*root, "sources", &fw.sources);
        parser.ParseAbbreviations(*root, "legal_instruments", &fw.legal_instruments);
    }
    parser.ParseRoot(*root);
    if (diags.size() != errors_before) {
        return std::nullopt;
    }
    return fw;
}

}  // namespace rap::framework
