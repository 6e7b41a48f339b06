// SPDX-License-Identifier: AGPL-3.0-or-later
#include "framework/framework.hpp"

#include <algorithm>
#include <charconv>

namespace rap::framework {

std::string_view Name(IndicatorType v) {
    switch (v) {
        case IndicatorType::kStructural: return "structural";
        case IndicatorType::kProcess: return "process";
        case IndicatorType::kOutcome: return "outcome";
    }
    return "";
}

std::string_view Name(ValueKind v) {
    switch (v) {
        case ValueKind::kYN: return "YN";
        case ValueKind::kYNP: return "YNP";
        case ValueKind::kSC3: return "SC3";
        case ValueKind::kNUM: return "NUM";
        case ValueKind::kPCT: return "PCT";
        case ValueKind::kRATE: return "RATE";
        case ValueKind::kMED: return "MED";
        case ValueKind::kAMT: return "AMT";
    }
    return "";
}

std::string_view Name(Direction v) {
    switch (v) {
        case Direction::kHigher: return "higher";
        case Direction::kLower: return "lower";
        case Direction::kContextual: return "contextual";
    }
    return "";
}

std::string_view Name(IndicatorStatus v) {
    return v == IndicatorStatus::kActive ? "active" : "retired";
}

std::string_view Name(FrameworkKind v) { return v == FrameworkKind::kCore ? "core" : "national"; }

std::string_view Name(DeviationType v) {
    switch (v) {
        case DeviationType::kNotApplicable: return "not_applicable";
        case DeviationType::kRedefined: return "redefined";
        case DeviationType::kExtraDisaggregation: return "extra_disaggregation";
        case DeviationType::kNationalIndicator: return "national_indicator";
    }
    return "";
}

std::string_view Name(RedefinitionScope v) {
    switch (v) {
        case RedefinitionScope::kRenamed: return "renamed";
        case RedefinitionScope::kNarrowed: return "narrowed";
        case RedefinitionScope::kBroadened: return "broadened";
    }
    return "";
}

std::string_view Name(Comparability v) {
    switch (v) {
        case Comparability::kIdentical: return "identical";
        case Comparability::kAdapted: return "adapted";
        case Comparability::kNationalOnly: return "national_only";
        case Comparability::kNotApplicable: return "not_applicable";
    }
    return "";
}

std::string_view Name(Aggregate a) {
    switch (a) {
        case Aggregate::kCount: return "count";
        case Aggregate::kDistinct: return "distinct";
        case Aggregate::kShare: return "share";
        case Aggregate::kSum: return "sum";
        case Aggregate::kMedian: return "median";
        case Aggregate::kRatio: return "ratio";
        case Aggregate::kRate: return "rate";
        case Aggregate::kSetShare: return "set_share";
    }
    return "";
}

std::string_view Name(RuleType v) {
    switch (v) {
        case RuleType::kAtMost: return "at_most";
        case RuleType::kSumsToTotal: return "sums_to_total";
    }
    return "";
}

std::string_view Name(Comparison v) {
    switch (v) {
        case Comparison::kGt: return ">";
        case Comparison::kGe: return ">=";
        case Comparison::kLt: return "<";
        case Comparison::kLe: return "<=";
        case Comparison::kEq: return "=";
        case Comparison::kNe: return "!=";
    }
    return "";
}

std::string_view Name(ValuePart v) {
    switch (v) {
        case ValuePart::kValue: return "value";
        case ValuePart::kNumerator: return "numerator";
        case ValuePart::kDenominator: return "denominator";
        case ValuePart::kN: return "n";
    }
    return "";
}

std::optional<ValueKind> ParseValueKind(std::string_view text) {
    for (auto k : {ValueKind::kYN, ValueKind::kYNP, ValueKind::kSC3, ValueKind::kNUM,
                   ValueKind::kPCT, ValueKind::kRATE, ValueKind::kMED, ValueKind::kAMT}) {
        if (Name(k) == text) {
            return k;
        }
    }
    return std::nullopt;
}

const Measure* Indicator::FindMeasure(std::string_view id) const {
    auto it = std::find_if(measures.begin(), measures.end(),
                           [&](const Measure& m) { return m.id == id; });
    return it == measures.end() ? nullptr : &*it;
}

std::vector<std::string> Indicator::MeasureIds() const {
    std::vector<std::string> out;
    for (const Measure& m : measures) {
        out.push_back(m.id);
    }
    return out;
}

bool Indicator::HasKind(ValueKind kind) const {
    return std::any_of(measures.begin(), measures.end(),
                       [&](const Measure& m) { return m.kind == kind; });
}

const Indicator* Framework::FindIndicator(std::string_view code) const {
    auto it = std::find_if(indicators.begin(), indicators.end(),
                           [&](const Indicator& i) { return i.code == code; });
    return it == indicators.end() ? nullptr : &*it;
}

const Area* Framework::FindArea(std::string_view code) const {
    auto it = std::find_if(areas.begin(), areas.end(), [&](const Area& a) { return a.code == code; });
    return it == areas.end() ? nullptr : &*it;
}

const EffectiveIndicator* EffectiveFramework::Find(std::string_view code) const {
    auto it = std::find_if(indicators.begin(), indicators.end(),
                           [&](const EffectiveIndicator& i) { return i.indicator.code == code; });
    return it == indicators.end() ? nullptr : &*it;
}

namespace {

bool ParseVersionParts(std::string_view text, std::array<long, 3>* parts) {
    size_t start = 0;
    for (size_t i = 0; i < 3; ++i) {
        const size_t end = i < 2 ? text.find('.', start) : text.size();
        if (end == std::string_view::npos || end == start) {
            return false;
        }
        const std::string_view part = text.substr(start, end - start);
        if (part.size() > 1 && part[0] == '0') {
            return false;
        }
        auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), (*parts)[i]);
        if (ec != std::errc() || ptr != part.data() + part.size()) {
            return false;
        }
        start = end + 1;
    }
    return true;
}

}  // namespace

bool IsVersion(std::string_view text) {
    std::array<long, 3> parts{};
    return text.size() <= 32 && ParseVersionParts(text, &parts);
}

int CompareVersions(std::string_view a, std::string_view b) {
    std::array<long, 3> pa{};
    std::array<long, 3> pb{};
    if (!ParseVersionParts(a, &pa) || !ParseVersionParts(b, &pb)) {
        return a.compare(b);
    }
    for (size_t i = 0; i < 3; ++i) {
        if (pa[i] != pb[i]) {
            return pa[i] < pb[i] ? -1 : 1;
        }
    }
    return 0;
}

}  // namespace rap::framework
