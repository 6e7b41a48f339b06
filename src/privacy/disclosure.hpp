// SPDX-License-Identifier: AGPL-3.0-or-later
// Disclosure control for values derived from case records. Annual victim numbers in the region
// are small (often tens per country), so a published table that shows "2 victims aged 14-17 from
// a neighbouring country" can point at a person. Every value that leaves the system through the
// API, or through the CLI unless its user asks otherwise, passes Protect first.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/values.hpp"
#include "framework/country.hpp"
#include "framework/derivation.hpp"

namespace rap::privacy {

struct DisclosureRule {
    // A value is suppressed when a count it reveals is between 1 and threshold - 1.
    int64_t threshold = framework::kRegionalDisclosureThreshold;
    // The threshold for values broken down by two dimensions or more (CTDC's resolution 10).
    int64_t cross_threshold = framework::kRegionalCrossThreshold;
};

// The aggregate of a measure ("ID.5", "value"); nullopt when the measure is unknown, which makes
// every value of it suppressed.
using AggregateOf =
    std::function<std::optional<framework::Aggregate>(std::string_view indicator,
                                                      std::string_view measure)>;

// Applies the rule to `values` in place; the values of one country and year should be passed
// together (at least every breakdown of each indicator measure, so that margins and the cells
// under them are protected together, whichever of them a query shows).
//
// Primary suppression: a value is suppressed when a count it reveals is at least 1 and below
// the threshold: the records of its base population; for counts, distinct counts and rates the
// count itself; for shares the numerator, the denominator and those in the denominator but not
// in the numerator; for medians the number of values; for sums the number of values summed.
//
// Secondary suppression: cells that add up to a margin (the total, or a one-way cell for a
// two-way table) form a group; wherever exactly one member of a group is suppressed, the smallest
// other cell of the group is suppressed too (or the margin when no cell is left), repeated until
// no group has a single suppressed member. A suppressed value has its numbers cleared.
//
// Returns the number of values suppressed.
size_t Protect(std::vector<engine::Value>& values, const AggregateOf& aggregate_of,
               const DisclosureRule& rule = {});

}  // namespace rap::privacy
