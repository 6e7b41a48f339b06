// SPDX-License-Identifier: AGPL-3.0-or-later
// The information-request register (freedom of information, framework.md §12.4): requests sent
// to institutions, their legal deadlines, replies item by item, complaints to the appeal body,
// and the transparency indicators DP.5-DP.8 computed from it. Pure domain logic: no storage, no
// I/O, no clock (every function that needs "today" takes it as a parameter).
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "framework/country.hpp"

namespace rap::monitoring {

// ----- Codes. Name() gives the snake_case code of framework.md §12.4; Parse*() the reverse
// (exact, case-sensitive), nullopt for an unknown code.

enum class Channel { kEmail, kPost, kPortal, kInPerson };
std::string_view Name(Channel v);
std::optional<Channel> ParseChannel(std::string_view text);
// Every Channel, in the order lists show them.
inline constexpr std::array kAllChannels{Channel::kEmail, Channel::kPost, Channel::kPortal,
                                         Channel::kInPerson};

enum class ResponseType { kFull, kPartial, kRefused, kNotHeld, kForwarded, kNoResponse };
std::string_view Name(ResponseType v);
std::optional<ResponseType> ParseResponseType(std::string_view text);
// Every ResponseType, in the order lists show them.
inline constexpr std::array kAllResponseTypes{ResponseType::kFull,      ResponseType::kPartial,
                                              ResponseType::kRefused,   ResponseType::kNotHeld,
                                              ResponseType::kForwarded, ResponseType::kNoResponse};
// Whether the response is a reply on the substance: full, partial, refused or not_held. A
// forward to another body is not an answer, nor is no_response.
bool IsAnswer(ResponseType v);

enum class RefusalGround {
    kPersonalData,
    kOngoingProceedings,
    kClassified,
    kNotPublicInformation,
    kOther,
};
std::string_view Name(RefusalGround v);
std::optional<RefusalGround> ParseRefusalGround(std::string_view text);
// Every RefusalGround, in the order lists show them.
inline constexpr std::array kAllRefusalGrounds{
    RefusalGround::kPersonalData, RefusalGround::kOngoingProceedings, RefusalGround::kClassified,
    RefusalGround::kNotPublicInformation, RefusalGround::kOther};

enum class ItemOutcome { kPending, kProvided, kPartial, kRefused, kNotHeld };
std::string_view Name(ItemOutcome v);
std::optional<ItemOutcome> ParseItemOutcome(std::string_view text);
// Every ItemOutcome, in the order lists show them.
inline constexpr std::array kAllItemOutcomes{ItemOutcome::kPending, ItemOutcome::kProvided,
                                             ItemOutcome::kPartial, ItemOutcome::kRefused,
                                             ItemOutcome::kNotHeld};

enum class ComplaintOutcome { kPending, kUpheld, kRejected, kInformationReleased };
std::string_view Name(ComplaintOutcome v);
std::optional<ComplaintOutcome> ParseComplaintOutcome(std::string_view text);
// Every ComplaintOutcome, in the order lists show them.
inline constexpr std::array kAllComplaintOutcomes{
    ComplaintOutcome::kPending, ComplaintOutcome::kUpheld, ComplaintOutcome::kRejected,
    ComplaintOutcome::kInformationReleased};

// ----- Records.

struct Institution {
    std::string id;
    std::string country;  // ISO 3166-1 alpha-2: whose FOI rule applies
    std::string name;
    std::string type;  // a code of the INST codelist (institution type)
    // Where the body is seated: a REG code of its country, whose own days off its deadlines
    // count with (Bosnia and Herzegovina's entities); empty when not said.
    std::string region;
    std::string email;
    std::string note;
};

// One requested data item: an indicator, the breakdown asked for and the reporting period.
struct RequestItem {
    std::string indicator;
    std::string disaggregation;
    std::string period;
    ItemOutcome outcome = ItemOutcome::kPending;
};

// A complaint to the appeal body (information commissioner/agency) about the request.
struct Complaint {
    core::Date filed;
    ComplaintOutcome outcome = ComplaintOutcome::kPending;
    std::optional<core::Date> decided;
    std::string note;
};

struct InfoRequest {
    std::string id;
    // 1, 2, ... as the register numbers the versions of a request. A change names the version it
    // was made on (0 for a new request), so that two people cannot overwrite each other unseen.
    int version = 0;
    std::string cycle;
    std::string institution;  // Institution::id
    Channel channel = Channel::kEmail;
    // The applicant invoked the urgent procedure (information needed to protect a person's life
    // or freedom, e.g. a victim at risk); only countries whose FoiRule has urgent_hours have one.
    bool urgent = false;
    std::optional<core::Date> sent;                // nullopt: drafted, not sent yet
    std::optional<core::Date> extension_notified;  // the body lawfully extended its deadline
    std::optional<core::Date> forwarded_on;        // the body forwarded the request to another body
    // The date of the reply on the substance (full, partial, refused, not_held). Absent for
    // no_response and for forwarded: the date of a forward is `forwarded_on`. When the body that
    // received a forwarded request replies, the reply is recorded here and `forwarded_on` stays.
    std::optional<core::Date> response_date;
    ResponseType response = ResponseType::kNoResponse;
    std::optional<RefusalGround> refusal_ground;
    std::vector<RequestItem> items;
    std::vector<Complaint> complaints;
    std::vector<std::string> attachments;  // sha256 of attached files
    std::string changed_by;                // who made this version (set by the register)
    std::string changed_at;
    std::string note;
};

// ----- Legal deadline.
//
// The deadline is counted from `sent`, in the country's calendar: a working day is a day other
// than Saturday, Sunday or a day off of rule.holidays (a public holiday or a day in lieu).
//   - calendar days: sent + N. If that day is not a working day the deadline moves to the next
//     working day. background.md §10.1 is silent on this; it is the general rule of
//     administrative procedure in the five countries (a time limit whose last day is a
//     non-working day expires at the end of the next working day).
//   - working days: counting starts the day after sending, so a request sent on a Friday with a
//     10-working-day rule is due on the Friday two weeks later when no holiday intervenes; one
//     sent on a Saturday has Monday as its first day. The result is always a working day.
// Holidays of the lunar calendar are known only for the years countries.yaml lists them
// (PublicHolidays::Known); outside those years the deadline counts the other holidays only.
//
// Urgent requests: the rule's urgent_hours run from sending through every day, weekends and
// holidays included (the law counts hours, not days). Dates are days, so the deadline is the day
// on which the hours end: sent + ceil(urgent_hours / 24) days, and an answer on that day is in
// time. Extensions and forwards do not move an urgent deadline (the laws give the urgent
// procedure no longer time). An urgent request under a rule without urgent_hours keeps the
// ordinary deadline (the register refuses to record one; see CountryState::ApplyRequest).
//
// Extension and forwarding: the rule's extended_deadline / forwarded_deadline are totals counted
// from `sent`, each in its own unit. They apply only when the rule has them AND the notice
// (extension_notified) or the forward (forwarded_on) is dated on or before the original
// deadline: a body that extends or forwards after its deadline has passed was already late. When
// both apply, the later of the two deadlines is used.
//
// kFailedPrecondition when the request has not been sent.
Result<core::Date> LegalDeadline(const framework::FoiRule& rule, const InfoRequest& r);

// The deadline `d` counted from `from` in `d.unit` as described above (the building block of
// LegalDeadline). When `passed` is given, the holidays and days in lieu that were not counted
// (working days) or that the deadline moved past (calendar days) are added to it.
core::Date AddDeadline(core::Date from, const framework::Deadline& d,
                       framework::WorkingDays& calendar,
                       std::vector<framework::Holiday>* passed = nullptr);

// LegalDeadline with its reasoning, one sentence per step: the count, the days off skipped or
// moved past, an extension or forward and whether it counts, and a warning for a year whose
// lunar-calendar holidays are not listed. For people who rely on the date (a complaint to the
// commissioner cites the day the deadline passed). Fails as LegalDeadline does.
struct ExplainedDeadline {
    core::Date deadline;
    std::vector<std::string> steps;
};
Result<ExplainedDeadline> ExplainLegalDeadline(const framework::FoiRule& rule,
                                               const InfoRequest& r);

// ----- Consistency.
//
// Checks one request and returns the first problem found, as kInvalidArgument with a message
// "request <id>: <field>: ..." and Error::where.field set to the field. `as_of` is "today": no
// date may be after it. Checked, in this order:
//   id and institution non-empty; at least one item, each naming an indicator;
//   sent not after as_of;
//   a request not sent has no response, response_date, extension_notified, forwarded_on or
//     complaint;
//   extension_notified, forwarded_on and response_date not before sent and not after as_of,
//     extension_notified and forwarded_on not after response_date;
//   a reply (full/partial/refused/not_held) has a response_date; no_response and forwarded have
//     none; forwarded has forwarded_on;
//   refusal_ground only with refused or partial; refused needs one;
//   item outcomes agree with the response:
//     no_response, forwarded  every item pending
//     full                    every item provided
//     partial                 no item pending, at least one provided or partial, not all provided
//     refused                 every item refused or not_held, at least one refused
//     not_held                every item not_held;
//   each complaint: filed not before sent and not after as_of; decided not before filed and not
//     after as_of; a decided date only with an outcome other than pending, and such an outcome
//     only with a decided date.
Status CheckRequest(const InfoRequest& r, core::Date as_of);

// The request as the register stood at the end of `as_of`: whatever is dated after it is
// removed (a request sent later becomes unsent; a later extension, forward or reply is dropped,
// and with a dropped reply the items go back to pending and the refusal ground is cleared;
// complaints filed later are dropped, decisions taken later go back to pending).
InfoRequest AsOf(const InfoRequest& r, core::Date as_of);

// ----- Overdue requests (to escalate to a complaint).

// A request is overdue on `today` when it was sent, has no reply (no_response or forwarded) and
// `today` is after its legal deadline (the deadline day itself is still in time). A request
// answered late is not overdue: it is a late answer, counted by DP.5.
bool IsOverdue(const framework::FoiRule& rule, const InfoRequest& r, core::Date today);
// The same for a request whose legal deadline is known already.
bool IsOverdue(const InfoRequest& r, core::Date deadline, core::Date today);

struct Overdue {
    std::string request_id;
    std::string institution;
    core::Date deadline;
    int days_overdue = 0;  // calendar days from the deadline to today, >= 1
    bool operator==(const Overdue&) const = default;
};

// The rule that applies to a request, or nullptr when none is known.
using FoiRuleLookup = std::function<const framework::FoiRule*(const InfoRequest&)>;

// Looks the rule up through the request's institution: its country's, with the days off of the
// region it is seated in. Both arguments are held
// by reference and must outlive the returned function.
FoiRuleLookup RulesByInstitution(const std::vector<Institution>& institutions,
                                 const framework::CountrySet& countries);

// The overdue requests, most overdue first, ties by request id.
std::vector<Overdue> ListOverdue(const framework::FoiRule& rule,
                                 const std::vector<InfoRequest>& requests, core::Date today);
// As above with a rule per request; kNotFound naming the request when the lookup has no rule
// for a sent request.
Result<std::vector<Overdue>> ListOverdue(const FoiRuleLookup& rules,
                                         const std::vector<InfoRequest>& requests,
                                         core::Date today);

// ----- Register indicators DP.5-DP.8.
//
// Computed on the register as it stood at `as_of` (each request is first passed through
// AsOf(r, as_of)); requests not sent by then are ignored entirely. "Answered" means a reply on
// the substance (IsAnswer) with a response_date. A forward is not an answer: the request stays
// open and its deadline becomes the forwarded deadline (see LegalDeadline). The records are
// expected to pass CheckRequest; on records that do not, the figures are well-defined but
// meaningless.
struct RegisterFigures {
    std::string institution;  // empty: all institutions
    // DP.5 answered within the legal deadline. Numerator: requests answered on or before their
    // deadline. Denominator: requests answered, plus those unanswered whose deadline has passed
    // (as_of after the deadline). Unanswered requests still within their deadline are in neither.
    long long dp5_numerator = 0;
    long long dp5_denominator = 0;
    // DP.6 item completeness over the items of the requests in DP.5's denominator. Numerator:
    // items provided; partially provided items are counted in dp6_partial and not in the
    // numerator; the denominator counts every item (refused, not held, pending alike).
    long long dp6_numerator = 0;
    long long dp6_partial = 0;
    long long dp6_denominator = 0;
    // DP.7 response time in calendar days (sent -> response_date) over answered requests: their
    // number, the median and the 90th percentile, interpolated linearly as SQL percentile_cont
    // does (nullopt when dp7_n is 0).
    long long dp7_n = 0;
    std::optional<double> dp7_median;
    std::optional<double> dp7_p90;
    // DP.8 complaints filed (on any request sent, answered or not); those decided (outcome other
    // than pending); those resolved in the requester's favour (upheld or information_released).
    long long dp8_complaints = 0;
    long long dp8_decided = 0;
    long long dp8_favourable = 0;

    bool operator==(const RegisterFigures&) const = default;
};

// One row for all institutions (institution ""), always present even for an empty register,
// then one row per institution that has at least one request sent by `as_of`, sorted by id.
std::vector<RegisterFigures> ComputeRegisterFigures(const framework::FoiRule& rule,
                                                    const std::vector<InfoRequest>& requests,
                                                    core::Date as_of);
// As above with a rule per request (a regional register); kNotFound naming the request when
// the lookup has no rule for a request sent by `as_of`.
Result<std::vector<RegisterFigures>> ComputeRegisterFigures(
    const FoiRuleLookup& rules, const std::vector<InfoRequest>& requests, core::Date as_of);

// The p-quantile (0 <= p <= 1) of `values` with linear interpolation between the closest ranks,
// as SQL percentile_cont: position p * (n - 1) in the sorted values. nullopt when empty.
std::optional<double> PercentileCont(std::vector<double> values, double p);

}  // namespace rap::monitoring
