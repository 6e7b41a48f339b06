// SPDX-License-Identifier: AGPL-3.0-or-later
// How a case-derived indicator is computed from case records: a small declarative spec in the
// framework YAML (docs/data-formats.md, "Derivations"). No indicator logic lives in C++; the
// engine compiles these specs into one plan.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace rap::framework {

enum class Op {
    kIn,           // code (or any code of a set) among `codes`
    kNotIn,        // recorded and not among `codes` (for a set: none of `codes`)
    kIsTrue,       // bool is yes
    kIsFalse,      // bool is no
    kGe, kGt, kLe, kLt,  // number compared with `number`
    kRecorded,     // not empty
    kNotRecorded,  // empty
};

// One condition on a field. A field is named as in the case-record schema: its own field
// ("sex"), or a field of its parent or linked record ("proceeding.forms", "victim.sex").
struct Condition {
    std::string field;
    Op op = Op::kIn;
    std::vector<std::string> codes;
    long long number = 0;
    Location where;
};

// Conditions that must all hold.
using Filter = std::vector<Condition>;

enum class Aggregate {
    kCount,     // rows
    kDistinct,  // distinct values of `field`
    kShare,     // 100 * rows(where numerator) / rows(where denominator)
    kSum,       // sum of `field`
    kMedian,    // median and 90th percentile of `field` (linear interpolation)
    kRatio,     // 100 * sum(field) / sum(denominator_field)
    kRate,      // rows per `per` population of the country and year
    kSetShare,  // for each code of set `field`: 100 * rows having it / rows
};
std::string_view Name(Aggregate a);

struct MeasureDerivation {
    std::string measure;  // the indicator's measure id
    Aggregate aggregate = Aggregate::kCount;
    Filter where;              // rows counted (kShare: the numerator)
    Filter denominator_where;  // kShare: the denominator, on top of the base population
    std::string field;         // kDistinct, kSum, kMedian, kRatio (numerator), kSetShare
    std::string denominator_field;  // kRatio
    double per = 100000;            // kRate
    Location where_defined;
};

struct Derivation {
    std::string record;  // record type id
    Filter where;        // the base population; a cell is reported when it has one row of it
    // Dimension code -> field, where the field cannot be found from its codelist.
    std::map<std::string, std::string> dimensions;
    std::vector<MeasureDerivation> measures;
    Location where_defined;
};

}  // namespace rap::framework
