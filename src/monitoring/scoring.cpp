// SPDX-License-Identifier: AGPL-3.0-or-later
#include "monitoring/scoring.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rap::monitoring {

namespace {

using framework::Comparability;
using framework::Comparison;
using framework::DeviationType;
using framework::Direction;
using framework::RedefinitionScope;
using framework::ValueKind;
using framework::ValuePart;

// Numbers in explanations: two decimals at most, no trailing zeros ("66.67", "50", "0.5").
std::string Num(double v) {
    std::string s = fmt::format("{:.2f}", v);
    while (!s.empty() && s.back() == '0') {
        s.pop_back();
    }
    if (!s.empty() && s.back() == '.') {
        s.pop_back();
    }
    if (s == "-0") {
        s = "0";
    }
    return s;
}

bool Holds(double a, Comparison c, double b) {
    switch (c) {
        case Comparison::kGt:
            return a > b;
        case Comparison::kGe:
            return a >= b;
        case Comparison::kLt:
            return a < b;
        case Comparison::kLe:
            return a <= b;
        case Comparison::kEq:
            return a == b;
        case Comparison::kNe:
            return a != b;
    }
    return false;
}

bool IsScorable(const framework::Measure& m) {
    switch (m.kind) {
        case ValueKind::kYN:
        case ValueKind::kYNP:
        case ValueKind::kSC3:
            return true;
        case ValueKind::kPCT:
            return m.direction != Direction::kContextual;
        case ValueKind::kNUM:
        case ValueKind::kRATE:
        case ValueKind::kMED:
        case ValueKind::kAMT:
            return false;
    }
    return false;
}

// A stored number, or 0 for a true zero that was stored without one.
std::optional<double> OrTrueZero(const std::optional<double>& x, ValueStatus status) {
    if (x) {
        return x;
    }
    if (status == ValueStatus::kTrueZero) {
        return 0.0;
    }
    return std::nullopt;
}

// The number a figure stands for, by kind (see the header: cap conditions).
std::optional<double> FigureNumber(const Figure& f, ValueStatus status, ValueKind kind) {
    switch (kind) {
        case ValueKind::kYN:
        case ValueKind::kYNP:
            if (!f.answer) {
                return std::nullopt;
            }
            switch (*f.answer) {
                case Answer::kYes:
                    return 1.0;
                case Answer::kPartial:
                    return 0.5;
                case Answer::kNo:
                    return 0.0;
            }
            return std::nullopt;
        case ValueKind::kSC3:
            if (!f.score) {
                return std::nullopt;
            }
            return static_cast<double>(*f.score);
        case ValueKind::kPCT:
            if (f.number) {
                return f.number;
            }
            if (f.numerator && f.denominator && *f.denominator > 0) {
                return 100.0 * *f.numerator / *f.denominator;
            }
            break;
        case ValueKind::kRATE:
            if (f.number) {
                return f.number;
            }
            if (f.numerator && f.denominator && *f.denominator > 0) {
                return *f.numerator / *f.denominator * 100000.0;
            }
            break;
        case ValueKind::kAMT:
            if (f.number) {
                return f.number;
            }
            if (f.amount && f.eur_rate && *f.eur_rate > 0) {
                return *f.amount / *f.eur_rate;
            }
            break;
        case ValueKind::kNUM:
        case ValueKind::kMED:
            break;
    }
    return OrTrueZero(f.number, status);
}

std::optional<double> PartOf(const Figure& f, ValueStatus status, ValueKind kind, ValuePart part) {
    switch (part) {
        case ValuePart::kValue:
            return FigureNumber(f, status, kind);
        case ValuePart::kNumerator:
            return OrTrueZero(f.numerator, status);
        case ValuePart::kDenominator:
            return f.denominator;
        case ValuePart::kN:
            return OrTrueZero(f.n, status);
    }
    return std::nullopt;
}

struct Normalised {
    double score = 0;
    std::string rule;
    std::optional<double> percentage;
};

std::optional<Normalised> Normalise(const Figure& f, ValueStatus status,
                                    const framework::Measure& m,
                                    const framework::ScoringRules& rules) {
    switch (m.kind) {
        case ValueKind::kYN:
        case ValueKind::kYNP: {
            if (!f.answer) {
                return std::nullopt;
            }
            const auto& map = m.kind == ValueKind::kYN ? rules.yn : rules.ynp;
            std::string_view answer = Name(*f.answer);
            auto it = map.find(answer);
            if (it == map.end()) {
                return std::nullopt;
            }
            return Normalised{it->second,
                              fmt::format("{} {} = {}", Name(m.kind), answer, Num(it->second)),
                              std::nullopt};
        }
        case ValueKind::kSC3: {
            if (!f.score || *f.score < 0 || *f.score > 3) {
                return std::nullopt;
            }
            double s = rules.sc3[static_cast<size_t>(*f.score)];
            return Normalised{s, fmt::format("SC3 {} = {}", *f.score, Num(s)), std::nullopt};
        }
        case ValueKind::kPCT: {
            std::optional<double> v = FigureNumber(f, status, ValueKind::kPCT);
            if (!v) {
                return std::nullopt;
            }
            double x = std::clamp(*v, 0.0, 100.0);
            if (m.direction == Direction::kLower) {
                return Normalised{100.0 - x, "PCT, lower is better: 100 - percentage", v};
            }
            return Normalised{x, "PCT, higher is better: the percentage", v};
        }
        case ValueKind::kNUM:
        case ValueKind::kRATE:
        case ValueKind::kMED:
        case ValueKind::kAMT:
            break;
    }
    return std::nullopt;
}

// The totals of the cycle by (indicator, measure) and track, the highest version of each key.
class ValueIndex {
public:
    explicit ValueIndex(const std::vector<ValueVersion>& values) {
        for (const ValueVersion& v : values) {
            if (!v.key.disaggregation.empty()) {
                continue;
            }
            const ValueVersion*& slot = by_key_[{v.key.indicator, v.key.measure}][v.key.track];
            if (slot == nullptr || slot->version < v.version) {
                slot = &v;
            }
        }
    }

    const ValueVersion* Find(std::string_view indicator, std::string_view measure,
                             Track track) const {
        auto it = by_key_.find({std::string(indicator), std::string(measure)});
        if (it == by_key_.end()) {
            return nullptr;
        }
        auto jt = it->second.find(track);
        return jt == it->second.end() ? nullptr : jt->second;
    }

private:
    std::map<std::pair<std::string, std::string>, std::map<Track, const ValueVersion*>> by_key_;
};

std::vector<Track> ReadTracks(const framework::ScoringRules& rules) {
    std::vector<Track> out;
    for (const std::string& name : rules.tracks) {
        std::optional<Track> t = ParseTrack(name);
        if (t && std::find(out.begin(), out.end(), *t) == out.end()) {
            out.push_back(*t);
        }
    }
    return out;
}

std::string Described(const ValueVersion& v) {
    return fmt::format("{} v{}", ToString(v.key), v.version);
}

const framework::Deviation* FindDeviation(const framework::EffectiveIndicator& ei,
                                          DeviationType type) {
    for (const framework::Deviation& d : ei.deviations) {
        if (d.type == type) {
            return &d;
        }
    }
    return nullptr;
}

IndicatorScore ScoreIndicator(const framework::EffectiveFramework& fw,
                              const framework::EffectiveIndicator& ei, const ValueIndex& index,
                              const std::vector<Track>& tracks) {
    const framework::Indicator& ind = ei.indicator;
    IndicatorScore s;
    s.indicator = ind.code;
    s.area = ind.area;
    if (auto w = fw.scoring.weights.find(ind.code); w != fw.scoring.weights.end()) {
        s.weight = w->second;
    }
    if (ind.status == framework::IndicatorStatus::kRetired) {
        s.missing_reason = "retired";
        return s;
    }
    if (ei.comparability == Comparability::kNotApplicable) {
        s.missing_reason =
            fw.country.empty() ? "not applicable" : fmt::format("not applicable in {}", fw.country);
        return s;
    }
    std::vector<std::string> statuses;  // of values read that gave no usable figure
    std::string not_applicable_track;
    bool any_scorable = false;
    for (const framework::Measure& m : ind.measures) {
        if (!IsScorable(m)) {
            continue;
        }
        any_scorable = true;
        for (Track t : tracks) {
            const ValueVersion* v = index.Find(ind.code, m.id, t);
            if (v == nullptr) {
                continue;
            }
            if (CarriesFigure(v->status) && v->figure) {
                if (std::optional<Normalised> n = Normalise(*v->figure, v->status, m, fw.scoring)) {
                    s.used.push_back(
                        MeasureUse{m.id, v->key, v->version, n->score, n->percentage, n->rule});
                    break;
                }
                statuses.push_back(fmt::format("unusable figure ({})", Name(t)));
                continue;
            }
            if (v->status == ValueStatus::kNotApplicable && not_applicable_track.empty()) {
                not_applicable_track = Name(t);
            }
            statuses.push_back(fmt::format("status {} ({})", Name(v->status), Name(t)));
        }
    }
    if (!any_scorable) {
        s.missing_reason = "not scorable (contextual)";
        return s;
    }
    if (s.used.empty()) {
        if (!not_applicable_track.empty()) {
            s.missing_reason = fmt::format("not applicable this cycle (status not_applicable, {})",
                                           not_applicable_track);
            return s;
        }
        s.scorable = true;
        s.missing_reason =
            statuses.empty() ? "no value" : fmt::format("{}", fmt::join(statuses, ", "));
        return s;
    }
    s.scorable = true;
    double sum = 0;
    for (const MeasureUse& u : s.used) {
        sum += u.score;
    }
    s.score = sum / static_cast<double>(s.used.size());
    return s;
}

// The value a cap condition reads: the first track in order whose figure has the part.
struct ConditionRead {
    const ValueVersion* value = nullptr;
    std::optional<double> number;
};

ConditionRead ReadCondition(const framework::EffectiveFramework& fw,
                            const framework::CapCondition& c, const ValueIndex& index,
                            const std::vector<Track>& tracks) {
    std::optional<ValueKind> kind;
    if (const framework::EffectiveIndicator* ei = fw.Find(c.indicator)) {
        if (const framework::Measure* m = ei->indicator.FindMeasure(c.measure)) {
            kind = m->kind;
        }
    }
    for (Track t : tracks) {
        const ValueVersion* v = index.Find(c.indicator, c.measure, t);
        if (v == nullptr || !CarriesFigure(v->status) || !v->figure) {
            continue;
        }
        std::optional<double> x =
            PartOf(*v->figure, v->status, kind.value_or(v->figure->kind), c.part);
        if (x) {
            return ConditionRead{v, x};
        }
    }
    return {};
}

std::string ConditionSubject(const framework::CapCondition& c) {
    std::string s = c.indicator;
    if (c.measure != "value") {
        s += "/" + c.measure;
    }
    return fmt::format("{} {}", s, framework::Name(c.part));
}

// Weighted mean of the scores of `items`; nullopt when there are none or the weights sum to 0.
std::optional<double> WeightedMean(const std::vector<const IndicatorScore*>& items) {
    double sum = 0;
    double weights = 0;
    for (const IndicatorScore* s : items) {
        sum += *s->score * s->weight;
        weights += s->weight;
    }
    if (items.empty() || weights <= 0) {
        return std::nullopt;
    }
    return sum / weights;
}

std::string BandOf(const std::vector<framework::Band>& bands, double score) {
    const framework::Band* top = nullptr;
    for (const framework::Band& b : bands) {
        if (top == nullptr || b.to > top->to) {
            top = &b;
        }
    }
    for (const framework::Band& b : bands) {
        if (score >= b.from && (score < b.to || (&b == top && score <= b.to))) {
            return b.id;
        }
    }
    return "";
}

bool HasAnyType(const framework::Indicator& ind,
                const std::vector<framework::IndicatorType>& types) {
    return std::any_of(ind.types.begin(), ind.types.end(), [&](framework::IndicatorType t) {
        return std::find(types.begin(), types.end(), t) != types.end();
    });
}

// The text ended by one full stop, whether or not a reason quoted in it ends with one.
std::string Sentence(std::string text) {
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) {
        text.pop_back();
    }
    return text + ".";
}

std::string TypeNames(const std::vector<framework::IndicatorType>& types) {
    std::vector<std::string> names;
    for (framework::IndicatorType t : types) {
        names.emplace_back(framework::Name(t));
    }
    return fmt::format("{}", fmt::join(names, ", "));
}

void ScoreArea(const framework::EffectiveFramework& fw, const framework::Area& area,
               const std::vector<IndicatorScore>& scores, const ValueIndex& index,
               const std::vector<Track>& tracks, AreaScore& out) {
    const framework::ScoringRules& rules = fw.scoring;
    out.area = area.code;
    std::vector<std::string>& lines = out.explanation;
    lines.push_back(fmt::format("Framework {} {}{}; area {}.", fw.id, fw.version,
                                fw.country.empty() ? "" : ", country " + fw.country, area.code));

    std::vector<const IndicatorScore*> scored;
    std::vector<const framework::Indicator*> scored_defs;
    for (size_t i = 0; i < scores.size(); ++i) {
        const IndicatorScore& s = scores[i];
        if (s.area != area.code) {
            continue;
        }
        const framework::EffectiveIndicator& ei = fw.indicators[i];
        if (s.score) {
            ++out.scorable;
            ++out.with_value;
            scored.push_back(&s);
            scored_defs.push_back(&ei.indicator);
            std::vector<std::string> uses;
            for (const MeasureUse& u : s.used) {
                uses.push_back(fmt::format(
                    "{} v{} ({}{})", ToString(u.key), u.version, u.rule,
                    u.percentage ? fmt::format(", {}%", Num(*u.percentage)) : ""));
            }
            lines.push_back(fmt::format(
                "{}: {} (weight {}) from {}.", s.indicator, Num(*s.score), Num(s.weight),
                s.used.size() == 1 ? uses.front()
                                   : fmt::format("the mean of {} measures: {}", s.used.size(),
                                                 fmt::format("{}", fmt::join(uses, "; ")))));
        } else if (s.scorable) {
            ++out.scorable;
            lines.push_back(fmt::format("{}: no score, {}; counts against coverage.", s.indicator,
                                        s.missing_reason));
        } else {
            std::string why = s.missing_reason;
            if (ei.comparability == Comparability::kNotApplicable) {
                const framework::Deviation* d = FindDeviation(ei, DeviationType::kNotApplicable);
                if (d != nullptr && !d->reason.empty()) {
                    why += ": " + d->reason.Get();
                }
            }
            lines.push_back(Sentence(fmt::format("{}: left out, {}", s.indicator, why)));
        }
    }

    out.coverage = out.scorable == 0
                       ? 0.0
                       : static_cast<double>(out.with_value) / static_cast<double>(out.scorable);
    // The tolerance only absorbs rounding of the ratio (7/10 against 0.7); it is far below any
    // step a count of indicators can make.
    constexpr double kTolerance = 1e-9;
    out.insufficient = out.scorable == 0 || out.coverage + kTolerance < rules.min_coverage;
    lines.push_back(fmt::format(
        "Coverage: {} of {} scorable indicators have a value ({}%); a score needs at least {}%.",
        out.with_value, out.scorable, Num(out.coverage * 100), Num(rules.min_coverage * 100)));
    if (!out.insufficient) {
        out.uncapped = WeightedMean(scored);
        if (!out.uncapped) {
            out.insufficient = true;
            lines.push_back(
                "Insufficient data: the weights of the indicators with a value sum "
                "to 0; no score.");
        }
    } else {
        lines.push_back(out.scorable == 0 ? "Insufficient data: no scorable indicator; no score."
                                          : "Insufficient data: coverage below the minimum; no "
                                            "score.");
    }
    if (out.insufficient) {
        return;
    }
    lines.push_back(fmt::format("Score: weighted mean of {} indicators = {}.", scored.size(),
                                Num(*out.uncapped)));
    double score = *out.uncapped;

    for (const framework::Cap& cap : rules.caps) {
        if (cap.area != area.code) {
            continue;
        }
        std::string reason = cap.reason.empty() ? "" : " (" + cap.reason.Get() + ")";
        if (cap.when.empty()) {
            lines.push_back(fmt::format("Cap {} has no condition and does not apply.", cap.id));
            continue;
        }
        std::vector<std::string> held;
        std::string failed;
        for (const framework::CapCondition& c : cap.when) {
            ConditionRead r = ReadCondition(fw, c, index, tracks);
            std::string subject = ConditionSubject(c);
            if (!r.number) {
                failed = fmt::format("{} is missing", subject);
                break;
            }
            std::string text =
                fmt::format("{} {} {} {} ({})", subject, Num(*r.number),
                            framework::Name(c.comparison), Num(c.number), Described(*r.value));
            if (!Holds(*r.number, c.comparison, c.number)) {
                failed = fmt::format("{} {} is not {} {}", subject, Num(*r.number),
                                     framework::Name(c.comparison), Num(c.number));
                break;
            }
            held.push_back(std::move(text));
        }
        if (!failed.empty()) {
            lines.push_back(fmt::format("Cap {} does not apply: {}.", cap.id, failed));
            continue;
        }
        out.caps_applied.push_back(cap.id);
        if (score > cap.max) {
            lines.push_back(fmt::format("Cap {} applies{}: {}; the score {} is capped at {}.",
                                        cap.id, reason, fmt::format("{}", fmt::join(held, " and ")),
                                        Num(score), Num(cap.max)));
            score = cap.max;
        } else {
            lines.push_back(fmt::format("Cap {} applies{}: {}; the score {} is already at most {}.",
                                        cap.id, reason, fmt::format("{}", fmt::join(held, " and ")),
                                        Num(score), Num(cap.max)));
        }
    }
    out.score = score;

    std::vector<const IndicatorScore*> law;
    std::vector<const IndicatorScore*> practice;
    for (size_t i = 0; i < scored.size(); ++i) {
        if (HasAnyType(*scored_defs[i], rules.law_types)) {
            law.push_back(scored[i]);
        }
        if (HasAnyType(*scored_defs[i], rules.practice_types)) {
            practice.push_back(scored[i]);
        }
    }
    out.law = WeightedMean(law);
    out.practice = WeightedMean(practice);
    if (out.law && out.practice) {
        out.gap = *out.law - *out.practice;
    }
    if (out.law || out.practice) {
        lines.push_back(fmt::format(
            "Law ({}): {}; practice ({}): {}; gap: {}.", TypeNames(rules.law_types),
            out.law ? Num(*out.law) : "none", TypeNames(rules.practice_types),
            out.practice ? Num(*out.practice) : "none", out.gap ? Num(*out.gap) : "none"));
    }

    out.band = BandOf(rules.bands, score);
    if (!out.band.empty()) {
        lines.push_back(fmt::format("Band: {}.", out.band));
    }
}

}  // namespace

CycleScores ScoreCycle(const framework::EffectiveFramework& fw,
                       const std::vector<ValueVersion>& current_values) {
    CycleScores out;
    out.framework_id = fw.id;
    out.framework_version = fw.version;
    ValueIndex index(current_values);
    std::vector<Track> tracks = ReadTracks(fw.scoring);
    out.indicators.reserve(fw.indicators.size());
    for (const framework::EffectiveIndicator& ei : fw.indicators) {
        out.indicators.push_back(ScoreIndicator(fw, ei, index, tracks));
    }
    out.areas.resize(fw.areas.size());
    for (size_t i = 0; i < fw.areas.size(); ++i) {
        ScoreArea(fw, fw.areas[i], out.indicators, index, tracks, out.areas[i]);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Regional comparison

namespace {

// Why a country's indicator is not comparable with the core, or nullopt when it is.
std::optional<std::string> NotComparable(const framework::EffectiveIndicator* ei,
                                         std::string_view measure) {
    if (ei == nullptr) {
        return "indicator not in the country's framework";
    }
    switch (ei->comparability) {
        case Comparability::kNotApplicable: {
            const framework::Deviation* d = FindDeviation(*ei, DeviationType::kNotApplicable);
            if (d == nullptr || d->reason.empty()) {
                return "not applicable";
            }
            return "not applicable: " + d->reason.Get();
        }
        case Comparability::kNationalOnly:
            return "national-only indicator";
        case Comparability::kIdentical:
        case Comparability::kAdapted:
            break;
    }
    for (const framework::Deviation& d : ei->deviations) {
        switch (d.type) {
            case DeviationType::kExtraDisaggregation:
                break;
            case DeviationType::kRedefined:
                if (d.scope == RedefinitionScope::kNarrowed) {
                    return "definition narrowed nationally: " + d.reason.Get();
                }
                if (d.scope == RedefinitionScope::kBroadened) {
                    return "definition broadened nationally: " + d.reason.Get();
                }
                break;
            case DeviationType::kNotApplicable:
                return "not applicable: " + d.reason.Get();
            case DeviationType::kNationalIndicator:
                return "national-only indicator";
        }
    }
    if (ei->indicator.FindMeasure(measure) == nullptr) {
        return fmt::format("no measure {}", measure);
    }
    return std::nullopt;
}

}  // namespace

RegionalFigure CompareCountries(std::string_view indicator, std::string_view measure,
                                framework::ValueKind kind,
                                const std::vector<CountryInput>& countries) {
    RegionalFigure out;
    out.indicator = std::string(indicator);
    out.measure = std::string(measure);

    double sum = 0;    // counts, amounts, numerators, scores
    double total = 0;  // denominators, populations
    int yes = 0;
    for (const CountryInput& c : countries) {
        auto leave_out = [&](std::string why) {
            out.left_out.emplace_back(c.country, why);
        };
        if (std::optional<std::string> why = NotComparable(c.indicator, measure)) {
            leave_out(*why);
            continue;
        }
        if (!c.no_cycle.empty()) {
            leave_out(fmt::format("no cycle {}", c.no_cycle));
            continue;
        }
        if (!c.value) {
            leave_out("no value");
            continue;
        }
        const ValueVersion& v = *c.value;
        if (!CarriesFigure(v.status) || !v.figure) {
            leave_out(fmt::format("no value (status {})", Name(v.status)));
            continue;
        }
        const Figure& f = *v.figure;
        switch (kind) {
            case ValueKind::kNUM:
            case ValueKind::kAMT: {
                std::optional<double> x = FigureNumber(f, v.status, kind);
                if (!x) {
                    leave_out(kind == ValueKind::kNUM ? "no number" : "no amount in EUR");
                    continue;
                }
                sum += *x;
                break;
            }
            case ValueKind::kPCT: {
                std::optional<double> num = OrTrueZero(f.numerator, v.status);
                if (!num || !f.denominator) {
                    leave_out("no numerator and denominator");
                    continue;
                }
                sum += *num;
                total += *f.denominator;
                break;
            }
            case ValueKind::kRATE: {
                std::optional<double> num = OrTrueZero(f.numerator, v.status);
                if (!num) {
                    leave_out("no count (numerator)");
                    continue;
                }
                std::optional<double> population;
                if (c.population && *c.population > 0) {
                    population = static_cast<double>(*c.population);
                } else if (f.denominator && *f.denominator > 0) {
                    population = f.denominator;
                }
                if (!population) {
                    leave_out("no population");
                    continue;
                }
                sum += *num;
                total += *population;
                break;
            }
            case ValueKind::kMED:
                if (!f.number) {
                    leave_out("no median");
                    continue;
                }
                break;
            case ValueKind::kYN:
            case ValueKind::kYNP:
                if (!f.answer) {
                    leave_out("no answer");
                    continue;
                }
                yes += *f.answer == Answer::kYes ? 1 : 0;
                break;
            case ValueKind::kSC3:
                if (!f.score || *f.score < 0 || *f.score > 3) {
                    leave_out("no score");
                    continue;
                }
                sum += *f.score;
                break;
        }
        out.included.push_back(c.country);
        if (!IsLocked(v.state)) {
            out.unreviewed.emplace_back(c.country, std::string(Name(v.state)));
        }
    }

    const bool any = !out.included.empty();
    const double n = static_cast<double>(out.included.size());
    switch (kind) {
        case ValueKind::kNUM:
            out.method = "sum of counts";
            if (any) {
                out.value = sum;
            }
            break;
        case ValueKind::kAMT:
            out.method = "sum of amounts in EUR";
            if (any) {
                out.value = sum;
            }
            break;
        case ValueKind::kPCT:
            out.method = "sum of numerators / sum of denominators";
            if (any && total > 0) {
                out.value = 100.0 * sum / total;
            } else if (any) {
                out.method += " (the denominators sum to 0)";
            }
            break;
        case ValueKind::kRATE:
            out.method = "count per 100,000 of the summed population";
            if (any && total > 0) {
                out.value = sum / total * 100000.0;
            }
            break;
        case ValueKind::kMED:
            out.method =
                "not aggregable: medians of different populations cannot be combined into a "
                "regional median";
            break;
        case ValueKind::kYN:
        case ValueKind::kYNP:
            out.method =
                fmt::format("countries answering yes ({} of {})", yes, out.included.size());
            if (any) {
                out.value = yes;
            }
            break;
        case ValueKind::kSC3:
            out.method = "mean of scores";
            if (any) {
                out.value = sum / n;
            }
            break;
    }
    return out;
}

}  // namespace rap::monitoring
