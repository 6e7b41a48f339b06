// SPDX-License-Identifier: AGPL-3.0-or-later
// What a framework declares about entered values besides the indicators themselves: validation
// rules that run on entry and on import, and the scoring rules (normalisation, area coverage,
// bands, caps, weights, which track a score reads). Both are data in the framework YAML
// (docs/data-formats.md, "Validation rules" and "Scoring"), versioned with the framework.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/text.hpp"

namespace rap::framework {

enum class IndicatorType;

enum class RuleType {
    kAtMost,       // indicator.measure <= than.than_measure (same cycle, track, disaggregation)
    kSumsToTotal,  // the one-way breakdown by each dimension adds up to the total
};
std::string_view Name(RuleType v);

struct ValidationRule {
    std::string id;  // unique within its framework, e.g. "identified-within-detected"
    RuleType type = RuleType::kAtMost;
    // kAtMost
    std::string indicator;
    std::string measure = "value";
    std::string than;
    std::string than_measure = "value";
    // kSumsToTotal: each indicator (its measure "value" unless `measure` is set) and dimension
    std::vector<std::string> indicators;
    std::vector<std::string> dimensions;
    core::LocalizedText reason;  // why the rule holds, shown with every violation
    std::string framework_id;    // the framework that declares it
    Location where;
};

enum class Comparison { kGt, kGe, kLt, kLe, kEq, kNe };
std::string_view Name(Comparison v);  // ">", ">=", "<", "<=", "=", "!="

// Which part of a value a cap condition reads.
enum class ValuePart { kValue, kNumerator, kDenominator, kN };
std::string_view Name(ValuePart v);  // "value", "numerator", "denominator", "n"

struct CapCondition {
    std::string indicator;
    std::string measure = "value";
    ValuePart part = ValuePart::kValue;
    Comparison comparison = Comparison::kGt;
    double number = 0;
};

// An area score is at most `max` when every condition holds.
struct Cap {
    std::string id;
    std::string area;
    double max = 100;
    std::vector<CapCondition> when;
    core::LocalizedText reason;
    Location where;
};

// A display band of scores: from <= score < to (the last band includes 100).
struct Band {
    std::string id;  // "weak", "limited", "moderate", "strong"
    double from = 0;
    double to = 100;
    core::LocalizedText name;
};

struct ScoringRules {
    // Normalised scores of answers: YN "yes"/"no"; YNP "yes"/"partial"/"no".
    std::map<std::string, double, std::less<>> yn{{"yes", 100}, {"no", 0}};
    std::map<std::string, double, std::less<>> ynp{{"yes", 100}, {"partial", 50}, {"no", 0}};
    std::array<double, 4> sc3{0, 33, 67, 100};
    // An area score needs at least this share of its scorable indicators to have a value.
    double min_coverage = 0.6;
    std::vector<Band> bands;
    std::vector<Cap> caps;
    // Indicator code -> weight in its area's mean; absent: 1.
    std::map<std::string, double, std::less<>> weights;
    // The tracks a score reads, first present wins: "cso", "official", "derived".
    std::vector<std::string> tracks{"cso", "derived", "official"};
    // Law vs practice: which indicator types count as law, which as practice.
    std::vector<IndicatorType> law_types;
    std::vector<IndicatorType> practice_types;
    bool declared = false;  // false: the framework has no scoring block (defaults above)
    Location where;
};

}  // namespace rap::framework
