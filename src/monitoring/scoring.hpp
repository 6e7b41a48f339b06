// SPDX-License-Identifier: AGPL-3.0-or-later
// Scores of a monitoring cycle and regional figures across countries, as pure functions of a
// framework and values (no database, no I/O). The rules are the framework's (ScoringRules,
// domain/framework.md §11.2); everything a score is made of is recorded so that it can be shown
// and checked. Both functions are pure: no shared state, safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "framework/framework.hpp"
#include "monitoring/value.hpp"

namespace rap::monitoring {

// ---------------------------------------------------------------------------------------------
// Cycle scores
//
// Scorable measure: kind YN, YNP, SC3, or PCT with direction higher or lower. Contextual PCT and
// every NUM, RATE, MED and AMT measure are never scored (they are context and trend).
//
// Scorable indicator: active (not retired), comparability not kNotApplicable, at least one
// scorable measure, and not declared not applicable for the cycle (below). Only scorable
// indicators count in an area's coverage.
//
// Values read: the total only (empty disaggregation); when a key appears more than once in the
// input, its highest version. For each measure the tracks of `scoring.tracks` are tried in order
// (names that are not tracks are ignored, tracks not listed are never read); the first whose
// value carries a figure (CarriesFigure) and a usable one wins.
//
// Not applicable in the cycle: when no scorable measure of an indicator has a usable figure and
// a total value of one of them, in a track that is read, has status not_applicable, the
// indicator is not scorable for this cycle. A figure in another track wins over not_applicable.
//
// Normalisation to 0-100:
//   YN, YNP  scoring.yn / scoring.ynp keyed by the answer's name ("yes", "partial", "no"); an
//            answer missing from the map is not usable (a "partial" YN answer, for instance)
//   SC3      scoring.sc3[score] (score 0-3; another score is not usable)
//   PCT      the figure's number, else 100 * numerator / denominator (denominator > 0), clamped
//            to 0..100; higher: that value; lower: 100 - that value
// Indicator score: the unweighted mean of its scorable measures that have a usable figure.
//
// Area score: the weighted mean (scoring.weights, default 1) of the scores of its indicators
// that have one; computed only when with_value / scorable >= scoring.min_coverage, otherwise the
// area has insufficient data (also when it has no scorable indicator, or its weights sum to 0).
//
// Law vs practice (only for an area with a score): law = weighted mean of the scored indicators
// with a type in scoring.law_types, practice = the same over scoring.practice_types (an
// indicator with both, such as S/P, counts in both); gap = law - practice when both exist. Caps
// do not touch them.
//
// Caps (only for an area with a score): after the mean, every cap of the area with at least one
// condition, all of which hold, applies: score = min(score, cap.max). A condition reads the
// value chosen as above (any kind, scorable or not; the first track whose figure has the part)
// and its part: value = the figure's number (YN/YNP answer yes 1, partial 0.5, no 0; SC3 its
// score; PCT/RATE/AMT computed from their parts when no number is stored), numerator,
// denominator or n. A true_zero value without a number reads 0. A condition whose value or part
// is missing does not hold. A cap whose conditions hold is listed in caps_applied even when the
// score was already below its max (the explanation says so).
//
// Band: the band of scoring.bands whose [from, to) holds the score; the band with the highest
// `to` also holds its `to` (so 100 is "strong").
//
// Explanations round numbers to two decimals for display; stored numbers are exact.
// ---------------------------------------------------------------------------------------------

// One scorable measure read for an indicator score.
struct MeasureUse {
    std::string measure;
    ValueKey key;                      // the value read (its track is the one chosen)
    int version = 0;                   // its version
    double score = 0;                  // the figure normalised to 0-100
    std::optional<double> percentage;  // PCT only: the percentage read, before clamping
    std::string rule;  // "YN yes = 100", "YNP partial = 50", "SC3 2 = 67",
                       // "PCT, higher is better: the percentage",
                       // "PCT, lower is better: 100 - percentage"
};

struct IndicatorScore {
    std::string indicator;
    std::string area;
    bool scorable = false;        // counts in its area's coverage
    std::optional<double> score;  // 0-100; nullopt when no usable value or not scorable
    std::vector<MeasureUse> used;
    // Why there is no score: "no value", "status refused (cso), status no_response (official)",
    // "unusable figure (official)" (a YN answer "partial", say),
    // "not applicable in RS", "not applicable this cycle (status not_applicable, official)",
    // "not scorable (contextual)", "retired". Empty when scored.
    std::string missing_reason;
    double weight = 1;  // its weight in the area mean
};

struct AreaScore {
    std::string area;
    std::optional<double> score;     // after caps; nullopt = insufficient data
    std::optional<double> uncapped;  // the weighted mean before caps
    int scorable = 0;
    int with_value = 0;
    double coverage = 0;  // with_value / scorable, 0 when nothing is scorable
    bool insufficient = false;
    std::optional<double> law, practice, gap;
    std::string band;                       // band id of `score`, empty when none
    std::vector<std::string> caps_applied;  // ids of the caps whose conditions hold
    // Human-readable lines: the framework id and version, every indicator used or left out and
    // why, the coverage rule, the mean, caps and why, law/practice, the band.
    std::vector<std::string> explanation;
};

struct CycleScores {
    std::string framework_id;
    std::string framework_version;
    std::vector<IndicatorScore> indicators;  // every indicator of the framework, in its order
    std::vector<AreaScore> areas;            // every area of the framework, in its order
};

// Scores one country's cycle. `current_values` are the values of the cycle (the current version
// of each key; other disaggregations and other indicators may be present and are ignored).
CycleScores ScoreCycle(const framework::EffectiveFramework& fw,
                       const std::vector<ValueVersion>& current_values);

// ---------------------------------------------------------------------------------------------
// Regional comparison
//
// A country's value is comparable when its indicator has comparability kIdentical or kAdapted
// and every deviation that touched it is a kRedefined with scope kRenamed or a
// kExtraDisaggregation. A narrowed or broadened definition, a national-only indicator and a
// not applicable one are left out, with the reason.
//
// Aggregation by kind (of the comparable countries whose value carries a usable figure):
//   NUM   sum of the numbers                              "sum of counts"
//   AMT   sum of the amounts in EUR (number, else amount / eur_rate)  "sum of amounts in EUR"
//   PCT   100 * sum of numerators / sum of denominators   "sum of numerators / sum of
//         (a country without both is left out)             denominators"
//   RATE  100,000 * sum of numerators (the counts) / sum  "count per 100,000 of the summed
//         of populations (CountryInput::population, else   population"
//         the figure's denominator)
//   MED   not aggregable: value nullopt; `included` lists the comparable countries with a median
//   YN, YNP  the number of countries answering yes        "countries answering yes (k of n)"
//   SC3   mean of the 0-3 scores                          "mean of scores"
// No comparable country with a value: value nullopt (a zero sum of denominators or populations
// too). The value of each country is used as given: pass totals or the same breakdown for all.
// ---------------------------------------------------------------------------------------------

struct CountryInput {
    std::string country;
    const framework::EffectiveIndicator* indicator = nullptr;  // null: no such indicator there
    std::optional<ValueVersion> value;
    std::optional<long long> population;
    std::string no_cycle;  // the cycle id when the country has no cycle of the year
};

struct RegionalFigure {
    std::string indicator;
    std::string measure;
    std::optional<double> value;        // the regional figure
    std::string method;                 // how `value` was made (see above)
    std::vector<std::string> included;  // country codes, in input order
    // (country, why): "not applicable: <deviation reason>", "definition narrowed nationally:
    // <reason>", "definition broadened nationally: <reason>", "national-only indicator",
    // "indicator not in the country's framework", "no measure <m>", "no value",
    // "no value (status no_response)", "no numerator and denominator", "no population", ...
    std::vector<std::pair<std::string, std::string>> left_out;
    // (country, workflow state) of the included values not yet validated: the figure is a
    // working one until they are.
    std::vector<std::pair<std::string, std::string>> unreviewed;
};

RegionalFigure CompareCountries(std::string_view indicator, std::string_view measure,
                                framework::ValueKind kind,
                                const std::vector<CountryInput>& countries);

}  // namespace rap::monitoring
