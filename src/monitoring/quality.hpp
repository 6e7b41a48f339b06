// SPDX-License-Identifier: AGPL-3.0-or-later
// Year-on-year checks for reviewers: changes from the previous cycle large enough that a typing
// error, a changed definition or a real change in practice should be ruled out before the value is
// validated. They never block anything; each says why it was raised.
#pragma once

#include <string>
#include <vector>

#include "monitoring/value.hpp"

namespace rap::monitoring {

// The thresholds, in one place (docs/monitoring.md states them).
inline constexpr double kJumpFactor = 3.0;        // counts, rates, medians, amounts: x3 or /3 ...
inline constexpr double kJumpMinimum = 10.0;      // ... with the larger figure at least this
inline constexpr double kShareJumpPoints = 25.0;  // percentages: a move of this many points ...
inline constexpr double kJumpBase = 10.0;  // ... each year of at least this many (denominators,
                                           // the n of a median)
inline constexpr int kScoreJump = 2;       // SC3: a move of two levels or more

enum class ChangeCheck {
    kJump,           // a figure rose or fell sharply
    kAnswerChanged,  // a yes/no/partial answer changed
    kScoreMoved,     // an SC3 score moved by kScoreJump or more
    kFigureLost,     // last year had a figure, this year says why there is none
};
std::string_view Name(ChangeCheck v);

struct ChangeFlag {
    ChangeCheck check = ChangeCheck::kJump;
    ValueVersion previous;
    ValueVersion current;
    std::string why;  // "rose from 40 to 400 (x10.0)"
};

// Compares each current value with the value of the same key (indicator, measure, breakdown and
// track) the year before; values without a counterpart are not compared. For rates the counts
// (numerators) are compared, for amounts the euro figures; shares and medians only when both years
// rest on at least kJumpBase records. Values rapporteur derives are compared as totals only (a
// breakdown of case records moves with few cases, and a small cell hidden by disclosure control
// is no lost figure). In the order of `current`.
std::vector<ChangeFlag> CompareWithPreviousYear(const std::vector<ValueVersion>& previous,
                                                const std::vector<ValueVersion>& current);

}  // namespace rap::monitoring
