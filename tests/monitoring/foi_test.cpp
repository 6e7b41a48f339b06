// SPDX-License-Identifier: AGPL-3.0-or-later
#include "monitoring/foi.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace rap::monitoring {
namespace {

using framework::DayCount;
using framework::Deadline;
using framework::FoiRule;

core::Date D(std::string_view text) {
    auto d = core::Date::Parse(text);
    EXPECT_TRUE(d) << text;
    return d.value_or(core::Date{});
}

// The rules of data/countries.yaml, built in code.
FoiRule Albania() {
    FoiRule r;
    r.law = core::LocalizedText("Law No. 119/2014 on the Right to Information");
    r.deadline = {10, DayCount::kWorking};
    r.extended_deadline = Deadline{15, DayCount::kWorking};
    r.forwarded_deadline = Deadline{15, DayCount::kWorking};
    return r;
}
FoiRule BosniaAndHerzegovina() {
    FoiRule r;
    r.deadline = {15, DayCount::kCalendar};
    r.verify = true;
    return r;
}
FoiRule Montenegro() {
    FoiRule r;
    r.deadline = {15, DayCount::kWorking};
    r.extended_deadline = Deadline{23, DayCount::kWorking};
    r.urgent_hours = 48;
    return r;
}
FoiRule NorthMacedonia() {
    FoiRule r;
    r.deadline = {20, DayCount::kCalendar};
    r.verify = true;
    return r;
}
FoiRule Serbia() {
    FoiRule r;
    r.deadline = {15, DayCount::kCalendar};
    r.extended_deadline = Deadline{40, DayCount::kCalendar};
    r.urgent_hours = 48;
    return r;
}

InfoRequest Sent(std::string id, std::string_view sent, std::string institution = "moi") {
    InfoRequest r;
    r.id = std::move(id);
    r.cycle = "2024";
    r.institution = std::move(institution);
    r.sent = D(sent);
    r.items = {{"IC.1", "SEX", "2023", ItemOutcome::kPending}};
    return r;
}

std::string DueDate(const FoiRule& rule, const InfoRequest& r) {
    auto d = LegalDeadline(rule, r);
    if (!d) {
        return "error: " + d.error().message;
    }
    return d->ToString();
}

std::string DeadlineFrom(const FoiRule& rule, std::string_view sent) {
    return DueDate(rule, Sent("R", sent));
}

// ----- Codes

TEST(FoiCodes, NamesRoundTrip) {
    EXPECT_EQ(Name(Channel::kInPerson), "in_person");
    EXPECT_EQ(ParseChannel("portal"), Channel::kPortal);
    EXPECT_EQ(Name(ResponseType::kNotHeld), "not_held");
    EXPECT_EQ(Name(ResponseType::kNoResponse), "no_response");
    EXPECT_EQ(ParseResponseType("forwarded"), ResponseType::kForwarded);
    EXPECT_EQ(Name(RefusalGround::kNotPublicInformation), "not_public_information");
    EXPECT_EQ(ParseRefusalGround("ongoing_proceedings"), RefusalGround::kOngoingProceedings);
    EXPECT_EQ(Name(ItemOutcome::kNotHeld), "not_held");
    EXPECT_EQ(ParseItemOutcome("partial"), ItemOutcome::kPartial);
    EXPECT_EQ(Name(ComplaintOutcome::kInformationReleased), "information_released");
    EXPECT_EQ(ParseComplaintOutcome("upheld"), ComplaintOutcome::kUpheld);
    EXPECT_EQ(ParseChannel("In_Person"), std::nullopt);
    EXPECT_EQ(ParseResponseType(""), std::nullopt);
}

TEST(FoiCodes, OnlySubstantiveRepliesAreAnswers) {
    EXPECT_TRUE(IsAnswer(ResponseType::kFull));
    EXPECT_TRUE(IsAnswer(ResponseType::kPartial));
    EXPECT_TRUE(IsAnswer(ResponseType::kRefused));
    EXPECT_TRUE(IsAnswer(ResponseType::kNotHeld));
    EXPECT_FALSE(IsAnswer(ResponseType::kForwarded));
    EXPECT_FALSE(IsAnswer(ResponseType::kNoResponse));
}

// ----- Legal deadline

TEST(FoiDeadline, CalendarDaysOnAWorkingDayStay) {
    EXPECT_EQ(DeadlineFrom(Serbia(), "2024-03-04"), "2024-03-19");  // Mon -> Tue
    EXPECT_EQ(DeadlineFrom(BosniaAndHerzegovina(), "2024-03-04"), "2024-03-19");
}

TEST(FoiDeadline, CalendarDaysOnAWeekendMoveToMonday) {
    EXPECT_EQ(DeadlineFrom(Serbia(), "2024-03-01"), "2024-03-18");  // Sat 16th -> Mon 18th
    EXPECT_EQ(DeadlineFrom(BosniaAndHerzegovina(), "2024-06-01"),
              "2024-06-17");  // Sun 16th -> Mon
}

TEST(FoiDeadline, CalendarDaysAcrossMonthAndYearEnds) {
    // 2024-12-20 + 15 = Saturday 2025-01-04, moved to Monday.
    EXPECT_EQ(DeadlineFrom(Serbia(), "2024-12-20"), "2025-01-06");
    EXPECT_EQ(DeadlineFrom(BosniaAndHerzegovina(), "2025-12-22"), "2026-01-06");
    // Leap year: 10 February + 20 days is 1 March (a Friday).
    EXPECT_EQ(DeadlineFrom(NorthMacedonia(), "2024-02-10"), "2024-03-01");
    EXPECT_EQ(DeadlineFrom(NorthMacedonia(), "2023-02-10"), "2023-03-02");
}

TEST(FoiDeadline, WorkingDaysSkipWeekendsAndStartTheDayAfter) {
    EXPECT_EQ(DeadlineFrom(Albania(), "2024-03-01"), "2024-03-15");  // Fri -> Fri two weeks on
    EXPECT_EQ(DeadlineFrom(Albania(), "2024-03-02"), "2024-03-15");  // sent Saturday
    EXPECT_EQ(DeadlineFrom(Albania(), "2024-03-03"), "2024-03-15");  // sent Sunday
    EXPECT_EQ(DeadlineFrom(Albania(), "2024-03-04"), "2024-03-18");  // Mon -> Mon
    EXPECT_EQ(DeadlineFrom(Montenegro(), "2024-03-04"), "2024-03-25");
}

TEST(FoiDeadline, WorkingDaysAcrossMonthAndYearEnds) {
    // Leap day is a working day (Thursday).
    EXPECT_EQ(DeadlineFrom(Montenegro(), "2024-02-20"), "2024-03-12");
    // Without holidays in the rule only weekends are skipped.
    EXPECT_EQ(DeadlineFrom(Albania(), "2024-12-24"), "2025-01-07");
    EXPECT_EQ(DeadlineFrom(Albania(), "2024-12-27"), "2025-01-10");
}

// Albania's rule with its end-of-year holidays: 25 December, 1 and 2 January.
FoiRule AlbaniaWithHolidays() {
    FoiRule r = Albania();
    r.holidays.substitute = framework::Substitute::kWeekend;
    r.holidays.fixed = {{1, 1, "New Year"}, {1, 2, "New Year"}, {12, 25, "Christmas Day"}};
    return r;
}

TEST(FoiDeadline, WorkingDaysSkipPublicHolidays) {
    // Sent Tuesday 24 December 2024: 26, 27, 30, 31 December, then 3, 6, 7, 8, 9, 10 January.
    EXPECT_EQ(DeadlineFrom(AlbaniaWithHolidays(), "2024-12-24"), "2025-01-10");
    EXPECT_EQ(DeadlineFrom(AlbaniaWithHolidays(), "2024-12-27"), "2025-01-14");
    // 2022: 25 December is a Sunday and 1-2 January 2023 a Sunday and Monday; days in lieu are
    // 26 December and 3 January (2 January is a holiday already).
    EXPECT_EQ(DeadlineFrom(AlbaniaWithHolidays(), "2022-12-23"), "2023-01-11");
    // Far from any holiday nothing changes.
    EXPECT_EQ(DeadlineFrom(AlbaniaWithHolidays(), "2024-03-04"), "2024-03-18");
}

TEST(FoiDeadline, CalendarDaysEndingOnAHolidayMoveToTheNextWorkingDay) {
    FoiRule rs = Serbia();
    rs.holidays.substitute = framework::Substitute::kSunday;
    rs.holidays.fixed = {{1, 1, "New Year"}, {1, 2, "New Year"}, {5, 1, "Labour Day"},
                         {5, 2, "Labour Day"}, {11, 11, "Armistice Day"}};
    rs.holidays.easter = {{framework::Church::kOrthodox, 1, "Easter Monday",
                           framework::Substitute::kNone}};
    // 17 October + 15 = Friday 1 November 2024: a working day.
    EXPECT_EQ(DeadlineFrom(rs, "2024-10-17"), "2024-11-01");
    // 27 October + 15 = Monday 11 November (Armistice Day) -> Tuesday 12 November.
    EXPECT_EQ(DeadlineFrom(rs, "2024-10-27"), "2024-11-12");
    // 16 April 2024 + 15 = Wednesday 1 May; 2 May is a holiday too, 3 May a Friday.
    EXPECT_EQ(DeadlineFrom(rs, "2024-04-16"), "2024-05-03");
    // 21 April 2024 + 15 = Monday 6 May, Orthodox Easter Monday -> Tuesday 7 May.
    EXPECT_EQ(DeadlineFrom(rs, "2024-04-21"), "2024-05-07");
    // 18 December 2022 + 15 = Monday 2 January 2023; 1 January is a Sunday, so 3 January is
    // the day in lieu and the deadline is Wednesday 4 January.
    EXPECT_EQ(DeadlineFrom(rs, "2022-12-18"), "2023-01-04");
}

TEST(FoiDeadline, ZeroDaysIsTheDaySentOrTheNextWorkingDay) {
    const framework::PublicHolidays none;
    framework::WorkingDays calendar(none);
    auto add = [&](std::string_view from, Deadline d) {
        return AddDeadline(D(from), d, calendar).ToString();
    };
    EXPECT_EQ(add("2024-03-02", {0, DayCount::kCalendar}), "2024-03-04");
    EXPECT_EQ(add("2024-03-05", {0, DayCount::kWorking}), "2024-03-05");
    EXPECT_EQ(add("2024-03-05", {1, DayCount::kWorking}), "2024-03-06");
    EXPECT_EQ(add("2024-03-08", {1, DayCount::kWorking}), "2024-03-11");
}

TEST(FoiDeadline, ExtensionGivesTheExtendedTotal) {
    InfoRequest r = Sent("R", "2024-03-04");
    r.extension_notified = D("2024-03-10");
    // 4 March + 40 = Saturday 13 April -> Monday 15 April.
    EXPECT_EQ(DueDate(Serbia(), r), "2024-04-15");
    EXPECT_EQ(DueDate(Montenegro(), r), "2024-04-04");  // 23 working days
    EXPECT_EQ(DueDate(Albania(), r), "2024-03-25");     // 15 working days
    // No extension in the rule: the notice changes nothing.
    EXPECT_EQ(DueDate(BosniaAndHerzegovina(), r), "2024-03-19");
    EXPECT_EQ(DueDate(NorthMacedonia(), r), "2024-03-25");  // 24 March is a Sunday
}

TEST(FoiDeadline, ExtensionCountsOnlyIfNotifiedByTheOriginalDeadline) {
    InfoRequest r = Sent("R", "2024-03-04");
    r.extension_notified = D("2024-03-19");  // the last day: in time
    EXPECT_EQ(DueDate(Serbia(), r), "2024-04-15");
    r.extension_notified = D("2024-03-20");  // already late
    EXPECT_EQ(DueDate(Serbia(), r), "2024-03-19");
}

TEST(FoiDeadline, ForwardingGivesTheForwardedTotal) {
    InfoRequest r = Sent("R", "2024-03-01");
    r.forwarded_on = D("2024-03-05");
    r.response = ResponseType::kForwarded;
    EXPECT_EQ(DueDate(Albania(), r), "2024-03-22");
    // Serbia's rule has no forwarded deadline.
    EXPECT_EQ(DueDate(Serbia(), r), "2024-03-18");
    r.forwarded_on = D("2024-03-18");  // after Albania's original deadline of 15 March
    EXPECT_EQ(DueDate(Albania(), r), "2024-03-15");
}

TEST(FoiDeadline, ExtensionAndForwardTakeTheLater) {
    FoiRule rule;
    rule.deadline = {10, DayCount::kCalendar};
    rule.extended_deadline = Deadline{20, DayCount::kCalendar};
    rule.forwarded_deadline = Deadline{15, DayCount::kWorking};
    InfoRequest r = Sent("R", "2024-03-04");
    r.extension_notified = D("2024-03-05");
    EXPECT_EQ(DueDate(rule, r), "2024-03-25");  // 24 March (Sunday) -> Monday
    r.forwarded_on = D("2024-03-06");
    EXPECT_EQ(DueDate(rule, r), "2024-03-25");  // 15 working days: also 25 March
    rule.forwarded_deadline = Deadline{20, DayCount::kWorking};
    EXPECT_EQ(DueDate(rule, r), "2024-04-01");
    r.extension_notified.reset();
    EXPECT_EQ(DueDate(rule, r), "2024-04-01");
}

TEST(FoiDeadline, ExplainedStepByStep) {
    // Working days skip named holidays.
    InfoRequest r = Sent("R", "2024-12-24");
    auto al = ExplainLegalDeadline(AlbaniaWithHolidays(), r);
    ASSERT_TRUE(al);
    EXPECT_EQ(al->deadline.ToString(), "2025-01-10");
    EXPECT_EQ(al->steps, (std::vector<std::string>{
                             "deadline: 10 working days after 2024-12-24 (Tue), not counting "
                             "Saturdays, Sundays and 2024-12-25 Christmas Day, 2025-01-01 New "
                             "Year, 2025-01-02 New Year: 2025-01-10 (Fri)",
                             "legal deadline: 2025-01-10 (Fri)"}));
    // Calendar days ending on a holiday move, and an extension given in time counts.
    FoiRule rs = Serbia();
    rs.holidays.fixed = {{11, 11, "Armistice Day"}};
    r = Sent("R", "2024-10-27");
    r.extension_notified = D("2024-11-05");
    auto ext = ExplainLegalDeadline(rs, r);
    ASSERT_TRUE(ext);
    EXPECT_EQ(ext->deadline.ToString(), "2024-12-06");
    ASSERT_EQ(ext->steps.size(), 3U);
    EXPECT_EQ(ext->steps[0],
              "deadline: 15 calendar days after 2024-10-27 (Sun) is 2024-11-11 (Mon), passing "
              "days off (2024-11-11 Armistice Day); the deadline moves to the next working day, "
              "2024-11-12 (Tue)");
    EXPECT_EQ(ext->steps[1],
              "extension notified on 2024-11-05 (Tue), within the deadline, so the longer time "
              "applies: 40 calendar days after 2024-10-27 (Sun): 2024-12-06 (Fri)");
    // A late forward and a forward the law has no time for do not move it.
    r.extension_notified.reset();
    r.forwarded_on = D("2024-11-20");
    auto fwd = ExplainLegalDeadline(rs, r);
    ASSERT_TRUE(fwd);
    EXPECT_EQ(fwd->deadline.ToString(), "2024-11-12");
    EXPECT_EQ(fwd->steps[1], "forwarded on 2024-11-20 (Wed): the law gives no longer time for "
                             "this, so the deadline stays");
    FoiRule al_rule = AlbaniaWithHolidays();
    r = Sent("R", "2024-03-01");
    r.forwarded_on = D("2024-03-18");
    auto late = ExplainLegalDeadline(al_rule, r);
    ASSERT_TRUE(late);
    EXPECT_EQ(late->steps[1], "forwarded on 2024-03-18 (Mon): after the deadline of 2024-03-15 "
                              "(Fri), so it does not move it");
    // A year whose lunar-calendar holidays are not listed is said to be so.
    al_rule.holidays.dated_years = std::pair{2015, 2026};
    auto unknown = ExplainLegalDeadline(al_rule, Sent("R", "2027-03-01"));
    ASSERT_TRUE(unknown);
    EXPECT_NE(std::find(unknown->steps.begin(), unknown->steps.end(),
                        "the lunar-calendar holidays of 2027 are not in the countries data, so "
                        "the count does not skip them"),
              unknown->steps.end());
    // The explained deadline is always the deadline.
    for (const char* sent : {"2024-12-24", "2024-12-27", "2022-12-23", "2024-03-04"}) {
        EXPECT_EQ(ExplainLegalDeadline(AlbaniaWithHolidays(), Sent("R", sent))->deadline,
                  *LegalDeadline(AlbaniaWithHolidays(), Sent("R", sent)))
            << sent;
    }
}

TEST(FoiDeadline, UrgentHoursRunThroughWeekendsAndHolidays) {
    FoiRule rs = Serbia();
    rs.holidays.fixed = {{11, 11, "Armistice Day"}};
    InfoRequest r = Sent("R", "2024-03-04");  // Monday
    r.urgent = true;
    EXPECT_EQ(DueDate(rs, r), "2024-03-06");
    // Sent on a Friday: the 48 hours end on Sunday, and Sunday is the deadline.
    r.sent = D("2024-11-08");
    EXPECT_EQ(DueDate(rs, r), "2024-11-10");
    // Across a holiday and a year end.
    r.sent = D("2024-11-10");
    EXPECT_EQ(DueDate(rs, r), "2024-11-12");
    r.sent = D("2024-12-31");
    EXPECT_EQ(DueDate(rs, r), "2025-01-02");
    // Hours that are not whole days end on the day they run out.
    rs.urgent_hours = 36;
    r.sent = D("2024-03-04");
    EXPECT_EQ(DueDate(rs, r), "2024-03-06");
    rs.urgent_hours = 24;
    EXPECT_EQ(DueDate(rs, r), "2024-03-05");
    // The same request, not urgent, has the ordinary 15 days.
    r.urgent = false;
    EXPECT_EQ(DueDate(rs, r), "2024-03-19");
}

TEST(FoiDeadline, UrgentIsNotExtendedOrForwarded) {
    InfoRequest r = Sent("R", "2024-03-04");
    r.urgent = true;
    r.extension_notified = D("2024-03-05");
    EXPECT_EQ(DueDate(Serbia(), r), "2024-03-06");
    EXPECT_EQ(DueDate(Montenegro(), r), "2024-03-06");
    r.extension_notified.reset();
    r.forwarded_on = D("2024-03-05");
    r.response = ResponseType::kForwarded;
    EXPECT_EQ(DueDate(Montenegro(), r), "2024-03-06");
    EXPECT_TRUE(IsOverdue(Montenegro(), r, D("2024-03-07")));
    EXPECT_FALSE(IsOverdue(Montenegro(), r, D("2024-03-06")));
    auto explained = ExplainLegalDeadline(Montenegro(), r);
    ASSERT_TRUE(explained);
    EXPECT_EQ(explained->steps,
              (std::vector<std::string>{
                  "urgent procedure: 48 hours from sending on 2024-03-04 (Mon), weekends and "
                  "holidays included: 2024-03-06 (Wed)",
                  "forwarded on 2024-03-05 (Tue): the urgent procedure has no longer time, so "
                  "the deadline stays",
                  "legal deadline: 2024-03-06 (Wed)"}));
}

TEST(FoiDeadline, UrgentUnderALawWithoutAnUrgentProcedureKeepsTheOrdinaryDeadline) {
    InfoRequest r = Sent("R", "2024-03-04");
    r.urgent = true;
    EXPECT_EQ(DueDate(Albania(), r), "2024-03-18");
    auto explained = ExplainLegalDeadline(Albania(), r);
    ASSERT_TRUE(explained);
    ASSERT_EQ(explained->steps.size(), 3U);
    EXPECT_EQ(explained->steps[0], "marked urgent, but this law has no urgent procedure: the "
                                   "ordinary deadline applies");
    EXPECT_EQ(explained->deadline.ToString(), "2024-03-18");
}

TEST(FoiDeadline, NotSentIsAFailedPrecondition) {
    InfoRequest r = Sent("D-1", "2024-03-04");
    r.sent.reset();
    auto d = LegalDeadline(Serbia(), r);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, Errc::kFailedPrecondition);
    EXPECT_EQ(d.error().message, "request D-1: not sent, so it has no legal deadline");
}

// ----- Consistency

const core::Date kToday = *core::Date::Parse("2024-06-30");

// A full reply with a settled complaint that passes every check.
InfoRequest Valid() {
    InfoRequest r = Sent("RS-7", "2024-03-04");
    r.items = {{"IC.1", "SEX", "2023", ItemOutcome::kProvided},
               {"JS.2", "", "2023", ItemOutcome::kProvided}};
    r.response = ResponseType::kFull;
    r.response_date = D("2024-03-14");
    r.complaints = {{D("2024-03-20"), ComplaintOutcome::kRejected, D("2024-04-02"), ""}};
    return r;
}

// The message of CheckRequest's error, "" when the request passes; the field is checked too.
std::string Problem(const InfoRequest& r, std::string_view field = {}) {
    Status s = CheckRequest(r, kToday);
    if (s) {
        return "";
    }
    EXPECT_EQ(s.error().code, Errc::kInvalidArgument);
    if (!field.empty()) {
        EXPECT_EQ(s.error().where.field, field) << s.error().message;
    }
    return s.error().message;
}

TEST(FoiCheck, ValidRequestsPass) {
    EXPECT_EQ(Problem(Valid()), "");
    InfoRequest draft = Valid();
    draft.sent.reset();
    draft.response = ResponseType::kNoResponse;
    draft.response_date.reset();
    draft.complaints.clear();
    for (auto& i : draft.items) {
        i.outcome = ItemOutcome::kPending;
    }
    EXPECT_EQ(Problem(draft), "");
    InfoRequest forwarded = Sent("AL-1", "2024-03-01");
    forwarded.forwarded_on = D("2024-03-05");
    forwarded.response = ResponseType::kForwarded;
    EXPECT_EQ(Problem(forwarded), "");
    // Later answered by the body it was forwarded to; dates on as_of itself are fine.
    forwarded.response = ResponseType::kNotHeld;
    forwarded.response_date = kToday;
    forwarded.items[0].outcome = ItemOutcome::kNotHeld;
    EXPECT_EQ(Problem(forwarded), "");
}

TEST(FoiCheck, IdentityAndItems) {
    InfoRequest r = Valid();
    r.id.clear();
    EXPECT_EQ(Problem(r, "id"), "request with no id");
    r = Valid();
    r.institution.clear();
    EXPECT_EQ(Problem(r, "institution"), "request RS-7: institution: no institution");
    r = Valid();
    r.items.clear();
    EXPECT_EQ(Problem(r, "items"), "request RS-7: items: no item requested");
    r = Valid();
    r.items[1].indicator.clear();
    EXPECT_EQ(Problem(r, "items"), "request RS-7: items: item 2 names no indicator");
}

TEST(FoiCheck, NotSentButAnswered) {
    InfoRequest r = Valid();
    r.sent.reset();
    EXPECT_EQ(Problem(r, "response"),
              "request RS-7: response: full recorded but the request was not sent");
    r.response = ResponseType::kNoResponse;
    EXPECT_EQ(Problem(r, "response_date"),
              "request RS-7: response_date: set but the request was not sent");
    r.response_date.reset();
    r.extension_notified = D("2024-03-05");
    EXPECT_EQ(Problem(r, "extension_notified"),
              "request RS-7: extension_notified: set but the request was not sent");
    r.extension_notified.reset();
    r.forwarded_on = D("2024-03-05");
    EXPECT_EQ(Problem(r, "forwarded_on"),
              "request RS-7: forwarded_on: set but the request was not sent");
    r.forwarded_on.reset();
    EXPECT_EQ(Problem(r, "complaints"),
              "request RS-7: complaints: a complaint on a request that was not sent");
}

TEST(FoiCheck, DatesBeforeSentOrInTheFuture) {
    InfoRequest r = Valid();
    r.sent = D("2024-07-01");
    EXPECT_EQ(Problem(r, "sent"),
              "request RS-7: sent: 2024-07-01 is in the future (as of 2024-06-30)");
    r = Valid();
    r.response_date = D("2024-03-03");
    EXPECT_EQ(Problem(r, "response_date"),
              "request RS-7: response_date: 2024-03-03 is before the request was sent "
              "(2024-03-04)");
    r.response_date = D("2024-07-01");
    EXPECT_EQ(Problem(r, "response_date"),
              "request RS-7: response_date: 2024-07-01 is in the future (as of 2024-06-30)");
    r = Valid();
    r.extension_notified = D("2024-03-01");
    EXPECT_EQ(Problem(r, "extension_notified"),
              "request RS-7: extension_notified: 2024-03-01 is before the request was sent "
              "(2024-03-04)");
    r.extension_notified = D("2024-03-15");
    EXPECT_EQ(Problem(r, "extension_notified"),
              "request RS-7: extension_notified: 2024-03-15 is after the response (2024-03-14)");
    r = Valid();
    r.forwarded_on = D("2024-08-01");
    EXPECT_EQ(Problem(r, "forwarded_on"),
              "request RS-7: forwarded_on: 2024-08-01 is in the future (as of 2024-06-30)");
    r.forwarded_on = D("2024-03-15");
    EXPECT_EQ(Problem(r, "forwarded_on"),
              "request RS-7: forwarded_on: 2024-03-15 is after the response (2024-03-14)");
}

TEST(FoiCheck, ResponseDateAgreesWithResponse) {
    InfoRequest r = Valid();
    r.response_date.reset();
    EXPECT_EQ(Problem(r, "response_date"),
              "request RS-7: response_date: missing for a full response");
    r = Valid();
    r.response = ResponseType::kNoResponse;
    EXPECT_EQ(Problem(r, "response_date"),
              "request RS-7: response_date: set but the response is no_response");
    r.response = ResponseType::kForwarded;
    EXPECT_EQ(Problem(r, "response_date"),
              "request RS-7: response_date: set for a forwarded request; the date of the "
              "forward is forwarded_on");
    r.response_date.reset();
    EXPECT_EQ(Problem(r, "forwarded_on"),
              "request RS-7: forwarded_on: missing for a forwarded request");
}

TEST(FoiCheck, RefusalGround) {
    InfoRequest r = Valid();
    r.refusal_ground = RefusalGround::kPersonalData;
    EXPECT_EQ(Problem(r, "refusal_ground"),
              "request RS-7: refusal_ground: personal_data given but the response is full "
              "(only refused or partial)");
    r.response = ResponseType::kRefused;
    r.items[0].outcome = ItemOutcome::kRefused;
    r.items[1].outcome = ItemOutcome::kRefused;
    EXPECT_EQ(Problem(r), "");
    r.refusal_ground.reset();
    EXPECT_EQ(Problem(r, "refusal_ground"),
              "request RS-7: refusal_ground: missing for a refused request");
    // A partial reply that refuses an item needs the ground of that refusal; one that refuses
    // nothing may or may not cite one.
    r.response = ResponseType::kPartial;
    r.items[0].outcome = ItemOutcome::kProvided;
    EXPECT_EQ(Problem(r, "refusal_ground"),
              "request RS-7: refusal_ground: missing: an item of this partial reply is refused, "
              "and a refusal needs its ground");
    r.refusal_ground = RefusalGround::kClassified;
    EXPECT_EQ(Problem(r), "");
    r.items[1].outcome = ItemOutcome::kNotHeld;
    EXPECT_EQ(Problem(r), "");
    r.refusal_ground.reset();
    EXPECT_EQ(Problem(r), "");
}

TEST(FoiCheck, ItemOutcomesAgreeWithResponse) {
    InfoRequest r = Valid();
    r.items[1].outcome = ItemOutcome::kRefused;
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: item 2 (JS.2) is refused but the response is full: every "
              "item must be provided");

    r = Valid();
    r.response = ResponseType::kNoResponse;
    r.response_date.reset();
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: item 1 (IC.1) is provided but the response is "
              "no_response: every item must be pending");

    r.response = ResponseType::kForwarded;
    r.forwarded_on = D("2024-03-06");
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: item 1 (IC.1) is provided but the response is forwarded: "
              "every item must be pending");

    r = Valid();
    r.response = ResponseType::kNotHeld;
    r.items[0].outcome = ItemOutcome::kNotHeld;
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: item 2 (JS.2) is provided but the response is not_held: "
              "every item must be not_held");

    r = Valid();
    r.response = ResponseType::kRefused;
    r.refusal_ground = RefusalGround::kOther;
    r.items[0].outcome = ItemOutcome::kRefused;
    r.items[1].outcome = ItemOutcome::kPartial;
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: item 2 (JS.2) is partial but the response is refused: "
              "every item must be refused or not_held");
    r.items[0].outcome = ItemOutcome::kNotHeld;
    r.items[1].outcome = ItemOutcome::kNotHeld;
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: the response is refused but no item is refused (use "
              "not_held)");

    r = Valid();
    r.response = ResponseType::kPartial;
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: the response is partial but every item is provided");
    r.items[0].outcome = ItemOutcome::kPending;
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: item 1 (IC.1) is pending but the response is partial: "
              "every item of a reply needs an outcome");
    r.items[0].outcome = ItemOutcome::kRefused;
    r.items[1].outcome = ItemOutcome::kNotHeld;
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: the response is partial but no item is provided or "
              "partial");
    r.items[1].outcome = ItemOutcome::kPartial;
    r.refusal_ground = RefusalGround::kOngoingProceedings;
    EXPECT_EQ(Problem(r), "");
}

TEST(FoiCheck, ItemsArePeriodsAskedOnce) {
    InfoRequest r = Valid();
    for (const char* period : {"2025", "2023-2025", "2025-06", "2025-12"}) {
        r.items[0].period = period;
        EXPECT_EQ(Problem(r), "") << period;
    }
    for (const char* period : {"20x5", "2025-2023", "2025-13", "2025-00", "25", "1800", "2025/06"}) {
        r.items[0].period = period;
        EXPECT_EQ(Problem(r, "items"),
                  fmt::format("request RS-7: items: item 1 (IC.1): period \"{}\" is not a year "
                              "(2025), a range of years (2023-2025) or a month (2025-06)",
                              period));
    }
    r = Valid();
    r.items.push_back(r.items[0]);
    EXPECT_EQ(Problem(r, "items"),
              "request RS-7: items: item 3 repeats item 1 (IC.1): ask for each piece of data "
              "once");
    r.items[2].period = "2024";  // another period is another piece of data
    EXPECT_EQ(Problem(r), "");
}

TEST(FoiCheck, Complaints) {
    InfoRequest r = Valid();
    r.complaints[0].filed = D("2024-03-01");
    EXPECT_EQ(Problem(r, "complaints[1]"),
              "request RS-7: complaints[1]: filed 2024-03-01 before the request was sent "
              "(2024-03-04)");
    r = Valid();
    r.complaints.push_back({D("2024-07-01"), ComplaintOutcome::kPending, std::nullopt, ""});
    EXPECT_EQ(Problem(r, "complaints[2]"),
              "request RS-7: complaints[2]: filed 2024-07-01 is in the future (as of "
              "2024-06-30)");
    r = Valid();
    r.complaints[0].decided = D("2024-03-19");
    EXPECT_EQ(Problem(r, "complaints[1]"),
              "request RS-7: complaints[1]: decided 2024-03-19 before it was filed "
              "(2024-03-20)");
    r.complaints[0].decided = D("2024-07-02");
    EXPECT_EQ(Problem(r, "complaints[1]"),
              "request RS-7: complaints[1]: decided 2024-07-02 is in the future (as of "
              "2024-06-30)");
    r = Valid();
    r.complaints[0].outcome = ComplaintOutcome::kPending;
    EXPECT_EQ(Problem(r, "complaints[1]"),
              "request RS-7: complaints[1]: decided 2024-04-02 but the outcome is pending");
    r = Valid();
    r.complaints[0].decided.reset();
    EXPECT_EQ(Problem(r, "complaints[1]"),
              "request RS-7: complaints[1]: outcome rejected without a decision date");
    r.complaints[0].outcome = ComplaintOutcome::kPending;
    EXPECT_EQ(Problem(r), "");
}

// ----- AsOf

TEST(FoiAsOf, DropsWhatHappenedLater) {
    InfoRequest r = Valid();
    r.forwarded_on = D("2024-03-06");
    r.extension_notified = D("2024-03-08");
    r.complaints.push_back({D("2024-05-01"), ComplaintOutcome::kUpheld, D("2024-05-20"), ""});

    InfoRequest a = AsOf(r, D("2024-03-13"));  // forwarded and extended, no reply yet
    EXPECT_EQ(a.forwarded_on, D("2024-03-06"));
    EXPECT_EQ(a.extension_notified, D("2024-03-08"));
    EXPECT_EQ(a.response, ResponseType::kForwarded);
    EXPECT_EQ(a.response_date, std::nullopt);
    EXPECT_EQ(a.items[0].outcome, ItemOutcome::kPending);
    EXPECT_TRUE(a.complaints.empty());

    a = AsOf(r, D("2024-03-07"));
    EXPECT_EQ(a.extension_notified, std::nullopt);
    a = AsOf(r, D("2024-03-05"));
    EXPECT_EQ(a.forwarded_on, std::nullopt);
    EXPECT_EQ(a.response, ResponseType::kNoResponse);

    a = AsOf(r, D("2024-05-10"));  // replied; second complaint filed, not decided
    EXPECT_EQ(a.response, ResponseType::kFull);
    EXPECT_EQ(a.items[1].outcome, ItemOutcome::kProvided);
    ASSERT_EQ(a.complaints.size(), 2u);
    EXPECT_EQ(a.complaints[0].outcome, ComplaintOutcome::kRejected);
    EXPECT_EQ(a.complaints[1].outcome, ComplaintOutcome::kPending);
    EXPECT_EQ(a.complaints[1].decided, std::nullopt);

    a = AsOf(r, D("2024-03-03"));  // not sent yet
    EXPECT_EQ(a.sent, std::nullopt);
    EXPECT_EQ(a.response, ResponseType::kNoResponse);
    EXPECT_EQ(a.forwarded_on, std::nullopt);
    EXPECT_TRUE(a.complaints.empty());
    EXPECT_EQ(Problem(a), "");
}

// ----- Overdue

TEST(FoiOverdue, TheDeadlineDayIsStillInTime) {
    InfoRequest r = Sent("RS-1", "2024-03-04");  // due 19 March
    EXPECT_FALSE(IsOverdue(Serbia(), r, D("2024-03-19")));
    EXPECT_TRUE(IsOverdue(Serbia(), r, D("2024-03-20")));
    r.sent.reset();
    EXPECT_FALSE(IsOverdue(Serbia(), r, D("2024-12-31")));
}

TEST(FoiOverdue, AnsweredLateIsNotOverdueButForwardedIs) {
    InfoRequest r = Sent("RS-1", "2024-03-04");
    r.response = ResponseType::kRefused;
    r.response_date = D("2024-03-25");
    EXPECT_FALSE(IsOverdue(Serbia(), r, D("2024-04-01")));
    InfoRequest f = Sent("AL-1", "2024-03-01");
    f.response = ResponseType::kForwarded;
    f.forwarded_on = D("2024-03-05");
    EXPECT_FALSE(IsOverdue(Albania(), f, D("2024-03-20")));  // forwarded deadline 22 March
    EXPECT_TRUE(IsOverdue(Albania(), f, D("2024-03-25")));
    EXPECT_TRUE(IsOverdue(Serbia(), f, D("2024-03-20")));  // no forwarded deadline: 18 March
}

TEST(FoiOverdue, ListMostOverdueFirst) {
    std::vector<InfoRequest> requests = {
        Sent("RS-3", "2024-03-04", "ppo"),  // due 19 March
        Sent("RS-1", "2024-03-01", "moi"),  // due 18 March
        Sent("RS-2", "2024-03-04", "moi"),  // due 19 March
        Sent("RS-4", "2024-03-20", "moi"),  // due 4 April: not yet
        Sent("RS-5", "2024-03-01", "court"),
    };
    requests[4].response = ResponseType::kFull;  // answered late, not overdue
    requests[4].response_date = D("2024-03-21");
    requests[4].items[0].outcome = ItemOutcome::kProvided;
    InfoRequest draft = Sent("RS-6", "2024-01-01");
    draft.sent.reset();
    requests.push_back(draft);

    const std::vector<Overdue> expected = {
        {"RS-1", "moi", D("2024-03-18"), 4},
        {"RS-2", "moi", D("2024-03-19"), 3},
        {"RS-3", "ppo", D("2024-03-19"), 3},
    };
    EXPECT_EQ(ListOverdue(Serbia(), requests, D("2024-03-22")), expected);
    EXPECT_TRUE(ListOverdue(Serbia(), requests, D("2024-03-18")).empty());
    EXPECT_TRUE(ListOverdue(Serbia(), {}, D("2024-03-18")).empty());
}

framework::CountrySet TwoCountries() {
    framework::CountrySet set;
    set.countries.resize(2);
    set.countries[0].code = "AL";
    set.countries[0].foi = Albania();
    set.countries[1].code = "RS";
    set.countries[1].foi = Serbia();
    return set;
}

const std::vector<Institution> kInstitutions = {
    {"al-moi", "AL", "Ministry of Interior", "MoI", "", ""},
    {"rs-moi", "RS", "Ministry of Interior", "MoI", "", ""},
    {"xk-moi", "XK", "Unknown country", "MoI", "", ""},
};

TEST(FoiOverdue, RulePerCountry) {
    const framework::CountrySet countries = TwoCountries();
    const FoiRuleLookup rules = RulesByInstitution(kInstitutions, countries);
    std::vector<InfoRequest> requests = {Sent("AL-1", "2024-03-01", "al-moi"),   // due 15 March
                                         Sent("RS-1", "2024-03-01", "rs-moi")};  // due 18 March
    auto list = ListOverdue(rules, requests, D("2024-03-18"));
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_EQ(*list, (std::vector<Overdue>{{"AL-1", "al-moi", D("2024-03-15"), 3}}));

    InfoRequest draft = Sent("X-1", "2024-03-01", "nowhere");
    draft.sent.reset();
    requests.push_back(draft);  // not sent: no rule needed
    EXPECT_TRUE(ListOverdue(rules, requests, D("2024-03-18")));

    for (std::string institution : {"nowhere", "xk-moi"}) {
        requests.push_back(Sent("X-2", "2024-03-01", institution));
        list = ListOverdue(rules, requests, D("2024-03-18"));
        ASSERT_FALSE(list);
        EXPECT_EQ(list.error().code, Errc::kNotFound);
        EXPECT_EQ(list.error().message,
                  "request X-2: no information-request rule for institution '" + institution + "'");
        requests.pop_back();
    }
}

// ----- Register figures DP.5-DP.8

TEST(FoiPercentile, LikePercentileCont) {
    EXPECT_EQ(PercentileCont({}, 0.5), std::nullopt);
    EXPECT_DOUBLE_EQ(*PercentileCont({7}, 0.5), 7.0);
    EXPECT_DOUBLE_EQ(*PercentileCont({7}, 0.9), 7.0);
    EXPECT_DOUBLE_EQ(*PercentileCont({3, 1, 2}, 0.5), 2.0);  // odd n
    EXPECT_DOUBLE_EQ(*PercentileCont({3, 1, 2}, 0.9), 2.8);
    EXPECT_DOUBLE_EQ(*PercentileCont({4, 1, 3, 2}, 0.5), 2.5);  // even n
    EXPECT_DOUBLE_EQ(*PercentileCont({4, 1, 3, 2}, 0.9), 3.7);
    EXPECT_DOUBLE_EQ(*PercentileCont({10, 20}, 0.0), 10.0);
    EXPECT_DOUBLE_EQ(*PercentileCont({10, 20}, 1.0), 20.0);
}

TEST(FoiRegister, EmptyRegisterHasOnlyAZeroTotal) {
    auto rows = ComputeRegisterFigures(Serbia(), {}, kToday);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0], RegisterFigures{});
    EXPECT_EQ(rows[0].institution, "");
    EXPECT_EQ(rows[0].dp7_median, std::nullopt);
    EXPECT_EQ(rows[0].dp7_p90, std::nullopt);

    InfoRequest draft = Sent("D", "2024-03-01", "lab");
    draft.sent.reset();
    rows = ComputeRegisterFigures(Serbia(), {draft}, kToday);  // only drafts: still empty
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0], RegisterFigures{});
}

InfoRequest Answered(std::string id, std::string_view sent, std::string institution,
                     ResponseType response, std::string_view date,
                     std::vector<ItemOutcome> outcomes) {
    InfoRequest r = Sent(std::move(id), sent, std::move(institution));
    r.response = response;
    r.response_date = D(date);
    r.items.clear();
    for (ItemOutcome o : outcomes) {
        r.items.push_back({"IC.1", "", "2023", o});
    }
    return r;
}

// A small Serbian register (15 calendar days, 40 when extended) on 30 June 2024.
std::vector<InfoRequest> SerbianRegister() {
    using enum ItemOutcome;
    using RT = ResponseType;
    std::vector<InfoRequest> reg;
    // moi: one on time (10 days), one late (25 days), one still within its deadline.
    reg.push_back(
        Answered("R1", "2024-03-04", "moi", RT::kFull, "2024-03-14", {kProvided, kProvided}));
    reg.push_back(Answered("R2", "2024-03-04", "moi", RT::kPartial, "2024-03-29",
                           {kProvided, kPartial, kRefused}));
    reg.back().refusal_ground = RefusalGround::kPersonalData;
    reg.back().complaints = {
        {D("2024-03-25"), ComplaintOutcome::kInformationReleased, D("2024-04-20"), ""}};
    reg.push_back(Sent("R3", "2024-06-24", "moi"));  // due 9 July
    reg.back().items.push_back({"JS.1", "", "2023", kPending});
    // ppo: one never answered, one refused within its extended deadline (35 days).
    reg.push_back(Sent("R4", "2024-04-01", "ppo"));  // due 16 April
    reg.back().items = {{"IC.1", "", "2023", kPending},
                        {"IC.2", "", "2023", kPending},
                        {"IC.3", "", "2023", kPending}};
    reg.back().complaints = {{D("2024-04-20"), ComplaintOutcome::kPending, std::nullopt, ""}};
    reg.push_back(
        Answered("R5", "2024-04-01", "ppo", RT::kRefused, "2024-05-06", {kRefused, kNotHeld}));
    reg.back().extension_notified = D("2024-04-10");  // due 13 May
    reg.back().refusal_ground = RefusalGround::kOngoingProceedings;
    reg.back().complaints = {{D("2024-05-10"), ComplaintOutcome::kRejected, D("2024-06-01"), ""},
                             {D("2024-05-15"), ComplaintOutcome::kUpheld, D("2024-06-10"), ""}};
    // court: not held on the last day (15 days); a draft; a reply dated after as_of; a forward.
    reg.push_back(Answered("R6", "2024-05-06", "court", RT::kNotHeld, "2024-05-21", {kNotHeld}));
    reg.back().complaints = {{D("2024-07-01"), ComplaintOutcome::kPending, std::nullopt, ""}};
    reg.push_back(Sent("R7", "2024-05-06", "court"));
    reg.back().sent.reset();
    reg.push_back(Answered("R8", "2024-05-06", "court", RT::kFull, "2024-07-05", {kProvided}));
    reg.push_back(Sent("R9", "2024-06-03", "court"));  // due 18 June
    reg.back().response = RT::kForwarded;
    reg.back().forwarded_on = D("2024-06-05");
    reg.back().complaints = {{D("2024-06-25"), ComplaintOutcome::kUpheld, D("2024-07-02"), ""}};
    // lab: only a draft, so no row.
    reg.push_back(Sent("R10", "2024-06-01", "lab"));
    reg.back().sent.reset();
    return reg;
}

RegisterFigures Row(std::string institution, long long dp5n, long long dp5d, long long dp6n,
                    long long dp6p, long long dp6d, long long dp7n, std::optional<double> median,
                    std::optional<double> p90, long long dp8c, long long dp8d, long long dp8f) {
    return {
        std::move(institution), dp5n, dp5d, dp6n, dp6p, dp6d, dp7n, median, p90, dp8c, dp8d, dp8f};
}

void ExpectRow(const RegisterFigures& got, const RegisterFigures& want) {
    SCOPED_TRACE("institution '" + want.institution + "'");
    EXPECT_EQ(got.institution, want.institution);
    EXPECT_EQ(got.dp5_numerator, want.dp5_numerator);
    EXPECT_EQ(got.dp5_denominator, want.dp5_denominator);
    EXPECT_EQ(got.dp6_numerator, want.dp6_numerator);
    EXPECT_EQ(got.dp6_partial, want.dp6_partial);
    EXPECT_EQ(got.dp6_denominator, want.dp6_denominator);
    EXPECT_EQ(got.dp7_n, want.dp7_n);
    ASSERT_EQ(got.dp7_median.has_value(), want.dp7_median.has_value());
    ASSERT_EQ(got.dp7_p90.has_value(), want.dp7_p90.has_value());
    if (want.dp7_median) {
        EXPECT_DOUBLE_EQ(*got.dp7_median, *want.dp7_median);
        EXPECT_DOUBLE_EQ(*got.dp7_p90, *want.dp7_p90);
    }
    EXPECT_EQ(got.dp8_complaints, want.dp8_complaints);
    EXPECT_EQ(got.dp8_decided, want.dp8_decided);
    EXPECT_EQ(got.dp8_favourable, want.dp8_favourable);
}

TEST(FoiRegister, HandComputedSerbianRegister) {
    auto rows = ComputeRegisterFigures(Serbia(), SerbianRegister(), kToday);
    ASSERT_EQ(rows.size(), 4u);
    // Response times 10, 25, 35, 15 days, sorted 10 15 25 35: median 20, p90 at position 2.7
    // -> 25 + 0.7 * 10 = 32.
    ExpectRow(rows[0], Row("", 3, 7, 3, 1, 13, 4, 20.0, 32.0, 5, 3, 2));
    ExpectRow(rows[1], Row("court", 1, 3, 0, 0, 3, 1, 15.0, 15.0, 1, 0, 0));
    ExpectRow(rows[2], Row("moi", 1, 2, 3, 1, 5, 2, 17.5, 23.5, 1, 1, 1));
    ExpectRow(rows[3], Row("ppo", 1, 2, 0, 0, 5, 1, 35.0, 35.0, 3, 2, 1));
}

TEST(FoiRegister, LaterAsOfSeesLaterEvents) {
    // On 10 July: R3 is past its deadline (9 July), R8's reply (5 July, late) has arrived, R9's
    // complaint was upheld (2 July) and R6's complaint (1 July) was filed.
    auto rows = ComputeRegisterFigures(Serbia(), SerbianRegister(), D("2024-07-10"));
    ASSERT_EQ(rows.size(), 4u);
    // Response times 10, 25, 35, 15, 60: median 25, p90 at 3.6 -> 35 + 0.6 * 25 = 50.
    ExpectRow(rows[0], Row("", 3, 8, 4, 1, 15, 5, 25.0, 50.0, 6, 4, 3));
    ExpectRow(rows[1], Row("court", 1, 3, 1, 0, 3, 2, 37.5, 55.5, 2, 1, 1));
    ExpectRow(rows[2], Row("moi", 1, 3, 3, 1, 7, 2, 17.5, 23.5, 1, 1, 1));
    ExpectRow(rows[3], Row("ppo", 1, 2, 0, 0, 5, 1, 35.0, 35.0, 3, 2, 1));
}

TEST(FoiRegister, ForwardIsNotAnAnswerButMovesTheDeadline) {
    InfoRequest r = Sent("AL-1", "2024-03-01", "al-moi");  // due 15 March, forwarded: 22 March
    r.forwarded_on = D("2024-03-05");
    r.response = ResponseType::kForwarded;
    // 20 March: past the original deadline but not the forwarded one, no answer: not counted.
    auto rows = ComputeRegisterFigures(Albania(), {r}, D("2024-03-20"));
    ASSERT_EQ(rows.size(), 2u);
    ExpectRow(rows[0], Row("", 0, 0, 0, 0, 0, 0, std::nullopt, std::nullopt, 0, 0, 0));
    // 25 March: the forwarded deadline has passed without an answer.
    rows = ComputeRegisterFigures(Albania(), {r}, D("2024-03-25"));
    ExpectRow(rows[1], Row("al-moi", 0, 1, 0, 0, 1, 0, std::nullopt, std::nullopt, 0, 0, 0));
    // Answered by the receiving body on 21 March: in time, 20 days.
    r.response = ResponseType::kFull;
    r.response_date = D("2024-03-21");
    r.items[0].outcome = ItemOutcome::kProvided;
    rows = ComputeRegisterFigures(Albania(), {r}, D("2024-03-25"));
    ExpectRow(rows[1], Row("al-moi", 1, 1, 1, 0, 1, 1, 20.0, 20.0, 0, 0, 0));
    // Without the forward the same reply would be late.
    r.forwarded_on.reset();
    rows = ComputeRegisterFigures(Albania(), {r}, D("2024-03-25"));
    ExpectRow(rows[1], Row("al-moi", 0, 1, 1, 0, 1, 1, 20.0, 20.0, 0, 0, 0));
}

TEST(FoiRegister, RulePerCountry) {
    const framework::CountrySet countries = TwoCountries();
    const FoiRuleLookup rules = RulesByInstitution(kInstitutions, countries);
    // Both answered on 18 March: in time in Serbia (18 March), late in Albania (15 March).
    std::vector<InfoRequest> requests = {
        Answered("AL-1", "2024-03-01", "al-moi", ResponseType::kFull, "2024-03-18",
                 {ItemOutcome::kProvided}),
        Answered("RS-1", "2024-03-01", "rs-moi", ResponseType::kFull, "2024-03-18",
                 {ItemOutcome::kProvided}),
    };
    auto rows = ComputeRegisterFigures(rules, requests, kToday);
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 3u);
    ExpectRow((*rows)[0], Row("", 1, 2, 2, 0, 2, 2, 17.0, 17.0, 0, 0, 0));
    ExpectRow((*rows)[1], Row("al-moi", 0, 1, 1, 0, 1, 1, 17.0, 17.0, 0, 0, 0));
    ExpectRow((*rows)[2], Row("rs-moi", 1, 1, 1, 0, 1, 1, 17.0, 17.0, 0, 0, 0));

    requests.push_back(Sent("X-1", "2024-03-01", "xk-moi"));
    rows = ComputeRegisterFigures(rules, requests, kToday);
    ASSERT_FALSE(rows);
    EXPECT_EQ(rows.error().code, Errc::kNotFound);
    EXPECT_EQ(rows.error().message,
              "request X-1: no information-request rule for institution 'xk-moi'");
    // Sent after as_of: ignored, so no rule is needed.
    rows = ComputeRegisterFigures(rules, requests, D("2024-02-29"));
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(rows->size(), 1u);
}

}  // namespace
}  // namespace rap::monitoring
