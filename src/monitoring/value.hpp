// SPDX-License-Identifier: AGPL-3.0-or-later
// Values of a monitoring cycle: one per (indicator, measure, disaggregation, track), typed by the
// measure's kind, with a status, a source, evidence and a place in the review workflow.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "framework/framework.hpp"

namespace rap::monitoring {

// Whose figure a value is. kDerived values are computed by rapporteur itself (from case records,
// the information-request register or the recommendations); nobody enters them.
enum class Track { kOfficial, kCso, kDerived };
std::string_view Name(Track v);
std::optional<Track> ParseTrack(std::string_view text);
// Every Track, in the order lists show them.
inline constexpr std::array kAllTracks{Track::kOfficial, Track::kCso, Track::kDerived};

enum class ValueStatus {
    kProvided,
    kPartial,
    kEstimated,
    kRefused,
    kNoResponse,
    kNotCollected,
    kNotApplicable,
    kTrueZero,
    // A value rapporteur derived from case records and hides by disclosure control (a small
    // count, or one that would reveal it). Never entered: not in kAllValueStatuses.
    kSuppressed,
};
std::string_view Name(ValueStatus v);
std::optional<ValueStatus> ParseValueStatus(std::string_view text);
// Every ValueStatus a value can be entered with, in the order lists show them.
inline constexpr std::array kAllValueStatuses{
    ValueStatus::kProvided,      ValueStatus::kPartial,    ValueStatus::kEstimated,
    ValueStatus::kRefused,       ValueStatus::kNoResponse, ValueStatus::kNotCollected,
    ValueStatus::kNotApplicable, ValueStatus::kTrueZero};
// Whether a value of this status carries a figure (provided, partial, estimated, true_zero).
bool CarriesFigure(ValueStatus v);

enum class Answer { kNo, kPartial, kYes };
std::string_view Name(Answer v);
std::optional<Answer> ParseAnswer(std::string_view text);
// Every Answer, in the order lists show them.
inline constexpr std::array kAllAnswers{Answer::kNo, Answer::kPartial, Answer::kYes};

// A breakdown: (dimension, code) pairs sorted by dimension; empty for the total.
using Disaggregation = std::vector<std::pair<std::string, std::string>>;
// "SEX=F;AGE=child" (sorted by dimension), "" for the total.
std::string ToString(const Disaggregation& d);
// Parses the text form; dimensions are upper-cased, pairs sorted. kInvalidArgument for a
// malformed text or a dimension named twice.
Result<Disaggregation> ParseDisaggregation(std::string_view text);

struct ValueKey {
    std::string indicator;
    std::string measure = "value";
    Disaggregation disaggregation;
    Track track = Track::kOfficial;
    auto operator<=>(const ValueKey&) const = default;
};
std::string ToString(const ValueKey& k);  // "ID.2/value[SEX=F] official"

// The figure of one measure, by its kind:
//   YN, YNP  answer
//   SC3      score 0-3 and a justification (mandatory)
//   NUM      number
//   PCT      numerator and denominator; number = 100 * numerator / denominator
//   RATE     numerator (a count) and denominator (the population of the year, filled in from
//            the countries file); number = numerator / denominator * 100,000
//   MED      n, number (the median) and p90
//   AMT      amount in `currency`; eur_rate (units of currency per euro, the stored reference
//            rate of the year); number = the amount in EUR
struct Figure {
    framework::ValueKind kind = framework::ValueKind::kNUM;
    std::optional<Answer> answer;
    std::optional<int> score;
    std::string justification;
    std::optional<double> number;
    std::optional<double> numerator;
    std::optional<double> denominator;
    std::optional<double> n;
    std::optional<double> p90;
    std::optional<double> amount;
    std::string currency;
    std::optional<double> eur_rate;
};

// Figures are compared and printed with one tolerance: two numbers are the same when they differ
// by at most 1e-9 relative to the first (absolute below 1); a number is whole when it is within
// 1e-9 of an integer.
bool SameNumber(double a, double b);
bool SameNumber(const std::optional<double>& a, const std::optional<double>& b);  // both or none
bool IsWhole(double v);

enum class WorkflowState { kDraft, kSubmitted, kReturned, kValidated, kPublished };
std::string_view Name(WorkflowState v);
// Validated and published values are locked: changing them needs a reopening.
inline bool IsLocked(WorkflowState v) {
    return v == WorkflowState::kValidated || v == WorkflowState::kPublished;
}
std::optional<WorkflowState> ParseWorkflowState(std::string_view text);
// Every WorkflowState, in the order lists show them.
inline constexpr std::array kAllWorkflowStates{WorkflowState::kDraft, WorkflowState::kSubmitted,
                                               WorkflowState::kReturned, WorkflowState::kValidated,
                                               WorkflowState::kPublished};

enum class SourceType { kNone, kInstitution, kDocument, kRequest, kCaseRecords, kRegister };
std::string_view Name(SourceType v);
std::optional<SourceType> ParseSourceType(std::string_view text);
// Every SourceType, in the order lists show them.
inline constexpr std::array kAllSourceTypes{SourceType::kNone,        SourceType::kInstitution,
                                            SourceType::kDocument,    SourceType::kRequest,
                                            SourceType::kCaseRecords, SourceType::kRegister};

struct Source {
    SourceType type = SourceType::kNone;
    std::string ref;  // institution id, document title/URL, request id
};

// One version of a value: what was entered (or derived) and where it stood in the workflow.
struct ValueVersion {
    ValueKey key;
    int version = 0;  // 1, 2, ... per key
    ValueStatus status = ValueStatus::kProvided;
    std::optional<Figure> figure;  // set when CarriesFigure(status)
    Source source;
    std::string note;
    WorkflowState state = WorkflowState::kDraft;
    std::string author;      // who last changed the content (not the workflow state)
    std::string changed_by;  // who made this version
    std::string changed_at;  // UTC, ISO 8601
    std::string change;      // "entered", "submitted", "validated", "returned: <comment>", ...
};

}  // namespace rap::monitoring
