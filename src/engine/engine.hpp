// SPDX-License-Identifier: AGPL-3.0-or-later
// The indicator engine: compiles the derivations of an effective framework into one plan per
// record type and runs it in a single pass over each partition (record type, country, year),
// producing every case-derived indicator with its total and one- and two-way margins.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>

#include "core/result.hpp"
#include "engine/snapshot.hpp"
#include "engine/values.hpp"
#include "framework/reference_data.hpp"

namespace rap::engine {

struct ComputeRequest {
    const framework::ReferenceData* data = nullptr;  // schema, codelists, population
    // The effective framework of each country to compute (its national adaptation).
    std::map<std::string, const framework::EffectiveFramework*> frameworks;
    const Snapshot* snapshot = nullptr;
    // (country, year) pairs to compute; empty: every pair that has records.
    std::set<std::pair<std::string, int>> only;
    int threads = 2;
};

// Computes the values. kInvalidArgument when a derivation cannot be compiled against the loaded
// schema (LoadReferenceData has normally caught that already); kInternal when computing a
// partition failed (an exception such as running out of memory), with no values.
Result<ValueSet> Compute(const ComputeRequest& request);

// What the plan for one country holds, for tests and diagnostics.
struct PlanStats {
    int indicators = 0;      // derived indicators
    int grouping_sets = 0;   // distinct grouping sets over all record types
    int counters = 0;        // distinct (grouping set, filter) counters
    int predicates = 0;      // distinct conditions evaluated per row
};
Result<PlanStats> DescribePlan(const framework::ReferenceData& data,
                               const framework::EffectiveFramework& framework);

}  // namespace rap::engine
