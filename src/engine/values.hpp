// SPDX-License-Identifier: AGPL-3.0-or-later
// Indicator values computed from case records: one per indicator, measure, country, year and
// combination of disaggregation codes (none for the total, one or two for the margins).
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace rap::engine {

// What disclosure control (privacy::Protect) decided about a value; the engine leaves kShown.
enum class Suppression : uint8_t {
    kShown,
    kPrimary,    // it reveals a count below the threshold
    kSecondary,  // hidden so that a suppressed value cannot be worked out from the others
};

struct Value {
    std::string indicator;  // "ID.5"
    std::string measure;    // "value"
    std::string country;
    int year = 0;
    // (dimension, code) pairs, in the indicator's dimension order; an empty code is the group of
    // records where the dimension is not recorded. Empty for the total.
    std::vector<std::pair<std::string, std::string>> by;
    // The value: a count, a percentage, a rate, a median, an amount in EUR. NaN when undefined
    // (a share whose denominator is 0, a median of no values).
    double value = std::nan("");
    double numerator = std::nan("");    // count, share numerator, sum, rate count
    double denominator = std::nan("");  // share denominator, ratio denominator, population
    double p90 = std::nan("");          // medians: the 90th percentile
    int64_t records = 0;                // records in the cell's base population (for disclosure)
    // Set by disclosure control; a suppressed value has every number above cleared (NaN, 0).
    Suppression suppression = Suppression::kShown;
};

// Values in a fixed order (indicator, measure, country, year, by) for lookups and comparison.
class ValueSet {
public:
    void Add(Value v) { values_.push_back(std::move(v)); }
    void Append(ValueSet other);
    void Sort();
    const std::vector<Value>& values() const { return values_; }
    size_t size() const { return values_.size(); }

    struct Query {
        std::string indicator;
        std::string measure;  // empty: all measures
        std::string country;  // empty: all
        int year = 0;         // 0: all
        // Dimensions to break down by; the values returned are those whose `by` dimensions are
        // exactly these (empty: totals only).
        std::vector<std::string> by;
    };
    std::vector<const Value*> Select(const Query& query) const;

private:
    std::vector<Value> values_;
};

// Percentile with linear interpolation between closest ranks, as SQL percentile_cont:
// position p * (n - 1) in the sorted values. REQUIRES: sorted non-empty, 0 <= p <= 1.
double PercentileCont(const std::vector<int64_t>& sorted, double p);

}  // namespace rap::engine
