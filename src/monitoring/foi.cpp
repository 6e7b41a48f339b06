// SPDX-License-Identifier: AGPL-3.0-or-later
#include "monitoring/foi.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/names.hpp"

namespace rap::monitoring {

// ----- Codes

std::string_view Name(Channel v) {
    switch (v) {
        case Channel::kEmail:
            return "email";
        case Channel::kPost:
            return "post";
        case Channel::kPortal:
            return "portal";
        case Channel::kInPerson:
            return "in_person";
    }
    return "";
}
std::optional<Channel> ParseChannel(std::string_view text) {
    return core::ParseByName(text, kAllChannels);
}

std::string_view Name(ResponseType v) {
    switch (v) {
        case ResponseType::kFull:
            return "full";
        case ResponseType::kPartial:
            return "partial";
        case ResponseType::kRefused:
            return "refused";
        case ResponseType::kNotHeld:
            return "not_held";
        case ResponseType::kForwarded:
            return "forwarded";
        case ResponseType::kNoResponse:
            return "no_response";
    }
    return "";
}
std::optional<ResponseType> ParseResponseType(std::string_view text) {
    return core::ParseByName(text, kAllResponseTypes);
}
bool IsAnswer(ResponseType v) {
    return v == ResponseType::kFull || v == ResponseType::kPartial || v == ResponseType::kRefused ||
           v == ResponseType::kNotHeld;
}

std::string_view Name(RefusalGround v) {
    switch (v) {
        case RefusalGround::kPersonalData:
            return "personal_data";
        case RefusalGround::kOngoingProceedings:
            return "ongoing_proceedings";
        case RefusalGround::kClassified:
            return "classified";
        case RefusalGround::kNotPublicInformation:
            return "not_public_information";
        case RefusalGround::kOther:
            return "other";
    }
    return "";
}
std::optional<RefusalGround> ParseRefusalGround(std::string_view text) {
    return core::ParseByName(text, kAllRefusalGrounds);
}

std::string_view Name(ItemOutcome v) {
    switch (v) {
        case ItemOutcome::kPending:
            return "pending";
        case ItemOutcome::kProvided:
            return "provided";
        case ItemOutcome::kPartial:
            return "partial";
        case ItemOutcome::kRefused:
            return "refused";
        case ItemOutcome::kNotHeld:
            return "not_held";
    }
    return "";
}
std::optional<ItemOutcome> ParseItemOutcome(std::string_view text) {
    return core::ParseByName(text, kAllItemOutcomes);
}

std::string_view Name(ComplaintOutcome v) {
    switch (v) {
        case ComplaintOutcome::kPending:
            return "pending";
        case ComplaintOutcome::kUpheld:
            return "upheld";
        case ComplaintOutcome::kRejected:
            return "rejected";
        case ComplaintOutcome::kInformationReleased:
            return "information_released";
    }
    return "";
}
std::optional<ComplaintOutcome> ParseComplaintOutcome(std::string_view text) {
    return core::ParseByName(text, kAllComplaintOutcomes);
}

// ----- Legal deadline

core::Date AddDeadline(core::Date from, const framework::Deadline& d,
                       framework::WorkingDays& calendar, std::vector<framework::Holiday>* passed) {
    auto note = [&](core::Date day) {
        if (passed == nullptr) {
            return;
        }
        if (const framework::Holiday* h = calendar.DayOff(day)) {
            passed->push_back(*h);
        }
    };
    core::Date day = from;
    if (d.unit == framework::DayCount::kWorking) {
        for (int counted = 0; counted < d.days;) {
            day = day.AddDays(1);
            if (calendar.IsWorkingDay(day)) {
                ++counted;
            } else {
                note(day);
            }
        }
        return day;
    }
    day = from.AddDays(d.days);
    while (!calendar.IsWorkingDay(day)) {
        note(day);
        day = day.AddDays(1);
    }
    return day;
}

namespace {

std::string Day(core::Date d) { return fmt::format("{} ({})", d.ToString(), d.WeekdayName()); }

std::string Count(const framework::Deadline& d) {
    return fmt::format("{} {} day{}", d.days, framework::Name(d.unit), d.days == 1 ? "" : "s");
}

// One step of the explanation: `d` counted from `sent` to `due`, and the days off it passed.
std::string CountStep(std::string_view what, core::Date sent, const framework::Deadline& d,
                      core::Date due, const std::vector<framework::Holiday>& passed) {
    std::vector<std::string> names;
    for (const auto& h : passed) {
        names.push_back(fmt::format("{} {}", h.date.ToString(), h.name));
    }
    if (d.unit == framework::DayCount::kWorking) {
        return fmt::format("{}: {} after {}, not counting Saturdays, Sundays{}: {}", what,
                           Count(d), Day(sent),
                           names.empty() ? std::string(" or holidays (none fell in between)")
                                         : fmt::format(" and {}", fmt::join(names, ", ")),
                           Day(due));
    }
    const core::Date end = sent.AddDays(d.days);
    if (end == due) {
        return fmt::format("{}: {} after {}: {}", what, Count(d), Day(sent), Day(due));
    }
    return fmt::format("{}: {} after {} is {}, {}; the deadline moves to the next working day, {}",
                       what, Count(d), Day(sent), Day(end),
                       names.empty() ? std::string("not a working day")
                                     : fmt::format("passing days off ({})", fmt::join(names, ", ")),
                       Day(due));
}

Result<ExplainedDeadline> ComputeDeadline(const framework::FoiRule& rule, const InfoRequest& r,
                                          bool explain) {
    if (!r.sent) {
        return Fail(Errc::kFailedPrecondition,
                    fmt::format("request {}: not sent, so it has no legal deadline", r.id),
                    Location{.field = "sent"});
    }
    ExplainedDeadline out;
    const core::Date sent = *r.sent;
    if (r.urgent && rule.urgent_hours) {
        // Hours run through every day; see the header.
        out.deadline = sent.AddDays((*rule.urgent_hours + 23) / 24);
        if (explain) {
            out.steps.push_back(fmt::format(
                "urgent procedure: {} hours from sending on {}, weekends and holidays included: "
                "{}",
                *rule.urgent_hours, Day(sent), Day(out.deadline)));
            for (const auto& [what, on] : {std::pair{"extension notified", r.extension_notified},
                                           std::pair{"forwarded", r.forwarded_on}}) {
                if (on) {
                    out.steps.push_back(fmt::format("{} on {}: the urgent procedure has no longer "
                                                    "time, so the deadline stays",
                                                    what, Day(*on)));
                }
            }
            out.steps.push_back(fmt::format("legal deadline: {}", Day(out.deadline)));
        }
        return out;
    }
    if (r.urgent && explain) {
        out.steps.push_back("marked urgent, but this law has no urgent procedure: the ordinary "
                            "deadline applies");
    }
    framework::WorkingDays calendar(rule.holidays);
    std::vector<framework::Holiday> passed;
    std::vector<framework::Holiday>* record = explain ? &passed : nullptr;
    const core::Date original = AddDeadline(sent, rule.deadline, calendar, record);
    if (explain) {
        out.steps.push_back(CountStep("deadline", sent, rule.deadline, original, passed));
    }
    out.deadline = original;
    // Only a notice given in time moves the deadline; see the header.
    struct Later {
        std::string_view what;
        const std::optional<framework::Deadline>* total;
        const std::optional<core::Date>* on;
    };
    for (const Later& later : {Later{"extension notified", &rule.extended_deadline,
                                     &r.extension_notified},
                               Later{"forwarded", &rule.forwarded_deadline, &r.forwarded_on}}) {
        if (!*later.on) {
            continue;
        }
        const core::Date on = **later.on;
        if (!*later.total) {
            if (explain) {
                out.steps.push_back(fmt::format("{} on {}: the law gives no longer time for this, "
                                                "so the deadline stays",
                                                later.what, Day(on)));
            }
            continue;
        }
        if (on > original) {
            if (explain) {
                out.steps.push_back(fmt::format("{} on {}: after the deadline of {}, so it does "
                                                "not move it",
                                                later.what, Day(on), Day(original)));
            }
            continue;
        }
        passed.clear();
        const core::Date longer = AddDeadline(sent, **later.total, calendar, record);
        out.deadline = std::max(out.deadline, longer);
        if (explain) {
            out.steps.push_back(CountStep(
                fmt::format("{} on {}, within the deadline, so the longer time applies",
                            later.what, Day(on)),
                sent, **later.total, longer, passed));
        }
    }
    if (explain) {
        for (int year = sent.year(); year <= out.deadline.year(); ++year) {
            if (!rule.holidays.Known(year)) {
                out.steps.push_back(fmt::format(
                    "the lunar-calendar holidays of {} are not in the countries data, so the "
                    "count does not skip them",
                    year));
            }
        }
        out.steps.push_back(fmt::format("legal deadline: {}", Day(out.deadline)));
    }
    return out;
}

}  // namespace

Result<core::Date> LegalDeadline(const framework::FoiRule& rule, const InfoRequest& r) {
    return RAP_TRY(ComputeDeadline(rule, r, false)).deadline;
}

Result<ExplainedDeadline> ExplainLegalDeadline(const framework::FoiRule& rule,
                                               const InfoRequest& r) {
    return ComputeDeadline(rule, r, true);
}

// ----- Consistency

namespace {

tl::unexpected<Error> Bad(const InfoRequest& r, std::string_view field, std::string message) {
    return Fail(Errc::kInvalidArgument, fmt::format("request {}: {}: {}", r.id, field, message),
                Location{.field = std::string(field)});
}

Status CheckDate(const InfoRequest& r, std::string_view field, const std::optional<core::Date>& d,
                 core::Date as_of) {
    if (!d) {
        return Ok();
    }
    if (*d < *r.sent) {
        return Bad(r, field,
                   fmt::format("{} is before the request was sent ({})", d->ToString(),
                               r.sent->ToString()));
    }
    if (*d > as_of) {
        return Bad(r, field,
                   fmt::format("{} is in the future (as of {})", d->ToString(), as_of.ToString()));
    }
    return Ok();
}

// "2025", "2023-2025" (ascending) or "2025-06", with years from 1990 to 2100.
bool IsPeriod(std::string_view text) {
    auto year = [](std::string_view y, int* out) {
        if (y.size() != 4 || !std::all_of(y.begin(), y.end(), [](char c) {
                return c >= '0' && c <= '9';
            })) {
            return false;
        }
        *out = std::stoi(std::string(y));
        return *out >= 1990 && *out <= 2100;
    };
    int first = 0;
    if (!year(text.substr(0, 4), &first)) {
        return false;
    }
    if (text.size() == 4) {
        return true;
    }
    if (text.size() == 9 && text[4] == '-') {
        int last = 0;
        return year(text.substr(5), &last) && last > first;
    }
    if (text.size() == 7 && text[4] == '-' && text[5] >= '0' && text[5] <= '1' &&
        text[6] >= '0' && text[6] <= '9') {
        const int month = (text[5] - '0') * 10 + (text[6] - '0');
        return month >= 1 && month <= 12;
    }
    return false;
}

// Whether the item outcomes agree with the response; the message says what was expected.
Status CheckItems(const InfoRequest& r) {
    auto count = [&](auto pred) {
        return std::count_if(r.items.begin(), r.items.end(),
                             [&](const RequestItem& i) { return pred(i.outcome); });
    };
    const auto n = static_cast<long>(r.items.size());
    // The first item whose outcome is not in `allowed`, reported with `expected`.
    auto first_not = [&](auto allowed, std::string_view expected) -> Status {
        for (size_t i = 0; i < r.items.size(); ++i) {
            if (!allowed(r.items[i].outcome)) {
                return Bad(r, "items",
                           fmt::format("item {} ({}) is {} but the response is {}: {}", i + 1,
                                       r.items[i].indicator, Name(r.items[i].outcome),
                                       Name(r.response), expected));
            }
        }
        return Ok();
    };
    using enum ItemOutcome;
    switch (r.response) {
        case ResponseType::kNoResponse:
        case ResponseType::kForwarded:
            return first_not([](ItemOutcome o) { return o == kPending; },
                             "every item must be pending");
        case ResponseType::kFull:
            return first_not([](ItemOutcome o) { return o == kProvided; },
                             "every item must be provided");
        case ResponseType::kNotHeld:
            return first_not([](ItemOutcome o) { return o == kNotHeld; },
                             "every item must be not_held");
        case ResponseType::kRefused: {
            RAP_TRY_STATUS(first_not([](ItemOutcome o) { return o == kRefused || o == kNotHeld; },
                                     "every item must be refused or not_held"));
            if (count([](ItemOutcome o) { return o == kRefused; }) == 0) {
                return Bad(r, "items",
                           "the response is refused but no item is refused (use not_held)");
            }
            return Ok();
        }
        case ResponseType::kPartial: {
            RAP_TRY_STATUS(first_not([](ItemOutcome o) { return o != kPending; },
                                     "every item of a reply needs an outcome"));
            if (count([](ItemOutcome o) { return o == kProvided || o == kPartial; }) == 0) {
                return Bad(r, "items",
                           "the response is partial but no item is provided or partial");
            }
            if (count([](ItemOutcome o) { return o == kProvided; }) == n) {
                return Bad(r, "items", "the response is partial but every item is provided");
            }
            if (!r.refusal_ground && count([](ItemOutcome o) { return o == kRefused; }) > 0) {
                return Bad(r, "refusal_ground",
                           "missing: an item of this partial reply is refused, and a refusal "
                           "needs its ground");
            }
            return Ok();
        }
    }
    return Ok();
}

}  // namespace

Status CheckRequest(const InfoRequest& r, core::Date as_of) {
    if (r.id.empty()) {
        return Fail(Errc::kInvalidArgument, "request with no id", Location{.field = "id"});
    }
    if (r.institution.empty()) {
        return Bad(r, "institution", "no institution");
    }
    if (r.items.empty()) {
        return Bad(r, "items", "no item requested");
    }
    for (size_t i = 0; i < r.items.size(); ++i) {
        const RequestItem& item = r.items[i];
        if (item.indicator.empty()) {
            return Bad(r, "items", fmt::format("item {} names no indicator", i + 1));
        }
        if (!item.period.empty() && !IsPeriod(item.period)) {
            return Bad(r, "items",
                       fmt::format("item {} ({}): period \"{}\" is not a year (2025), a range of "
                                   "years (2023-2025) or a month (2025-06)",
                                   i + 1, item.indicator, item.period));
        }
        for (size_t j = 0; j < i; ++j) {
            const RequestItem& earlier = r.items[j];
            if (earlier.indicator == item.indicator &&
                earlier.disaggregation == item.disaggregation && earlier.period == item.period) {
                return Bad(r, "items",
                           fmt::format("item {} repeats item {} ({}): ask for each piece of "
                                       "data once",
                                       i + 1, j + 1, item.indicator));
            }
        }
    }

    if (!r.sent) {
        if (r.response != ResponseType::kNoResponse) {
            return Bad(r, "response",
                       fmt::format("{} recorded but the request was not sent", Name(r.response)));
        }
        if (r.response_date) {
            return Bad(r, "response_date", "set but the request was not sent");
        }
        if (r.extension_notified) {
            return Bad(r, "extension_notified", "set but the request was not sent");
        }
        if (r.forwarded_on) {
            return Bad(r, "forwarded_on", "set but the request was not sent");
        }
        if (!r.complaints.empty()) {
            return Bad(r, "complaints", "a complaint on a request that was not sent");
        }
    } else {
        if (*r.sent > as_of) {
            return Bad(r, "sent",
                       fmt::format("{} is in the future (as of {})", r.sent->ToString(),
                                   as_of.ToString()));
        }
        RAP_TRY_STATUS(CheckDate(r, "extension_notified", r.extension_notified, as_of));
        RAP_TRY_STATUS(CheckDate(r, "forwarded_on", r.forwarded_on, as_of));
        RAP_TRY_STATUS(CheckDate(r, "response_date", r.response_date, as_of));
        if (r.response_date && r.extension_notified && *r.extension_notified > *r.response_date) {
            return Bad(r, "extension_notified",
                       fmt::format("{} is after the response ({})",
                                   r.extension_notified->ToString(), r.response_date->ToString()));
        }
        if (r.response_date && r.forwarded_on && *r.forwarded_on > *r.response_date) {
            return Bad(r, "forwarded_on",
                       fmt::format("{} is after the response ({})", r.forwarded_on->ToString(),
                                   r.response_date->ToString()));
        }
    }

    if (IsAnswer(r.response) && !r.response_date) {
        return Bad(r, "response_date", fmt::format("missing for a {} response", Name(r.response)));
    }
    if (r.response == ResponseType::kNoResponse && r.response_date) {
        return Bad(r, "response_date", "set but the response is no_response");
    }
    if (r.response == ResponseType::kForwarded) {
        if (r.response_date) {
            return Bad(r, "response_date",
                       "set for a forwarded request; the date of the forward is forwarded_on");
        }
        if (!r.forwarded_on) {
            return Bad(r, "forwarded_on", "missing for a forwarded request");
        }
    }

    if (r.refusal_ground && r.response != ResponseType::kRefused &&
        r.response != ResponseType::kPartial) {
        return Bad(r, "refusal_ground",
                   fmt::format("{} given but the response is {} (only refused or partial)",
                               Name(*r.refusal_ground), Name(r.response)));
    }
    if (r.response == ResponseType::kRefused && !r.refusal_ground) {
        return Bad(r, "refusal_ground", "missing for a refused request");
    }

    RAP_TRY_STATUS(CheckItems(r));

    for (size_t i = 0; i < r.complaints.size(); ++i) {
        const Complaint& c = r.complaints[i];
        const std::string field = fmt::format("complaints[{}]", i + 1);
        // r.sent is set here: complaints on an unsent request were rejected above.
        if (c.filed < *r.sent) {
            return Bad(r, field,
                       fmt::format("filed {} before the request was sent ({})", c.filed.ToString(),
                                   r.sent->ToString()));
        }
        if (c.filed > as_of) {
            return Bad(r, field,
                       fmt::format("filed {} is in the future (as of {})", c.filed.ToString(),
                                   as_of.ToString()));
        }
        if (c.decided && *c.decided < c.filed) {
            return Bad(r, field,
                       fmt::format("decided {} before it was filed ({})", c.decided->ToString(),
                                   c.filed.ToString()));
        }
        if (c.decided && *c.decided > as_of) {
            return Bad(r, field,
                       fmt::format("decided {} is in the future (as of {})", c.decided->ToString(),
                                   as_of.ToString()));
        }
        if (c.decided && c.outcome == ComplaintOutcome::kPending) {
            return Bad(r, field,
                       fmt::format("decided {} but the outcome is pending", c.decided->ToString()));
        }
        if (!c.decided && c.outcome != ComplaintOutcome::kPending) {
            return Bad(r, field,
                       fmt::format("outcome {} without a decision date", Name(c.outcome)));
        }
    }
    return Ok();
}

InfoRequest AsOf(const InfoRequest& r, core::Date as_of) {
    InfoRequest out = r;
    auto later = [&](const std::optional<core::Date>& d) {
        return d && *d > as_of;
    };
    if (later(out.sent)) {
        out.sent.reset();
        out.extension_notified.reset();
        out.forwarded_on.reset();
        out.response_date.reset();
        out.response = ResponseType::kNoResponse;
        out.refusal_ground.reset();
        out.complaints.clear();
        for (RequestItem& i : out.items) {
            i.outcome = ItemOutcome::kPending;
        }
        return out;
    }
    if (later(out.extension_notified)) {
        out.extension_notified.reset();
    }
    if (later(out.forwarded_on)) {
        out.forwarded_on.reset();
        if (out.response == ResponseType::kForwarded) {
            out.response = ResponseType::kNoResponse;
        }
    }
    if (later(out.response_date)) {
        out.response_date.reset();
        // The reply had not arrived yet; the forward (if any) was the latest news.
        out.response = out.forwarded_on ? ResponseType::kForwarded : ResponseType::kNoResponse;
        out.refusal_ground.reset();
        for (RequestItem& i : out.items) {
            i.outcome = ItemOutcome::kPending;
        }
    }
    std::erase_if(out.complaints, [&](const Complaint& c) { return c.filed > as_of; });
    for (Complaint& c : out.complaints) {
        if (later(c.decided)) {
            c.decided.reset();
            c.outcome = ComplaintOutcome::kPending;
        }
    }
    return out;
}

// ----- Overdue

namespace {

bool IsAnswered(const InfoRequest& r) {
    return IsAnswer(r.response) && r.response_date;
}

std::optional<Overdue> OverdueOf(const framework::FoiRule& rule, const InfoRequest& r,
                                 core::Date today) {
    if (!r.sent || IsAnswered(r)) {
        return std::nullopt;
    }
    auto deadline = LegalDeadline(rule, r);
    if (!deadline || !IsOverdue(r, *deadline, today)) {
        return std::nullopt;
    }
    return Overdue{r.id, r.institution, *deadline, deadline->DaysUntil(today)};
}

void SortOverdue(std::vector<Overdue>& list) {
    std::sort(list.begin(), list.end(), [](const Overdue& a, const Overdue& b) {
        if (a.days_overdue != b.days_overdue) {
            return a.days_overdue > b.days_overdue;
        }
        return a.request_id < b.request_id;
    });
}

tl::unexpected<Error> NoRule(const InfoRequest& r) {
    return Fail(Errc::kNotFound,
                fmt::format("request {}: no information-request rule for institution '{}'", r.id,
                            r.institution),
                Location{.field = "institution"});
}

}  // namespace

bool IsOverdue(const InfoRequest& r, core::Date deadline, core::Date today) {
    return r.sent && !IsAnswered(r) && today > deadline;
}

bool IsOverdue(const framework::FoiRule& rule, const InfoRequest& r, core::Date today) {
    return OverdueOf(rule, r, today).has_value();
}

FoiRuleLookup RulesByInstitution(const std::vector<Institution>& institutions,
                                 const framework::CountrySet& countries) {
    return [&institutions, &countries](const InfoRequest& r) -> const framework::FoiRule* {
        for (const Institution& i : institutions) {
            if (i.id == r.institution) {
                const framework::Country* c = countries.Find(i.country);
                return c ? &c->FoiAt(i.region) : nullptr;
            }
        }
        return nullptr;
    };
}

std::vector<Overdue> ListOverdue(const framework::FoiRule& rule,
                                 const std::vector<InfoRequest>& requests, core::Date today) {
    std::vector<Overdue> out;
    for (const InfoRequest& r : requests) {
        if (auto o = OverdueOf(rule, r, today)) {
            out.push_back(std::move(*o));
        }
    }
    SortOverdue(out);
    return out;
}

Result<std::vector<Overdue>> ListOverdue(const FoiRuleLookup& rules,
                                         const std::vector<InfoRequest>& requests,
                                         core::Date today) {
    std::vector<Overdue> out;
    for (const InfoRequest& r : requests) {
        if (!r.sent) {
            continue;
        }
        const framework::FoiRule* rule = rules(r);
        if (rule == nullptr) {
            return NoRule(r);
        }
        if (auto o = OverdueOf(*rule, r, today)) {
            out.push_back(std::move(*o));
        }
    }
    SortOverdue(out);
    return out;
}

// ----- Register indicators

std::optional<double> PercentileCont(std::vector<double> values, double p) {
    if (values.empty()) {
        return std::nullopt;
    }
    std::sort(values.begin(), values.end());
    const double pos = p * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const auto hi = static_cast<size_t>(std::ceil(pos));
    return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

namespace {

// Running totals of one row; response times are kept until the end for the quantiles.
struct Accumulator {
    RegisterFigures figures;
    std::vector<double> days;

    void Add(const InfoRequest& r, core::Date deadline, core::Date as_of) {
        RegisterFigures& f = figures;
        const bool answered = IsAnswered(r);
        if (answered || as_of > deadline) {
            ++f.dp5_denominator;
            if (answered && *r.response_date <= deadline) {
                ++f.dp5_numerator;
            }
            for (const RequestItem& i : r.items) {
                ++f.dp6_denominator;
                f.dp6_numerator += i.outcome == ItemOutcome::kProvided ? 1 : 0;
                f.dp6_partial += i.outcome == ItemOutcome::kPartial ? 1 : 0;
            }
        }
        if (answered) {
            days.push_back(r.sent->DaysUntil(*r.response_date));
        }
        for (const Complaint& c : r.complaints) {
            ++f.dp8_complaints;
            if (c.outcome != ComplaintOutcome::kPending) {
                ++f.dp8_decided;
                if (c.outcome == ComplaintOutcome::kUpheld ||
                    c.outcome == ComplaintOutcome::kInformationReleased) {
                    ++f.dp8_favourable;
                }
            }
        }
    }

    RegisterFigures Finish() && {
        figures.dp7_n = static_cast<long long>(days.size());
        figures.dp7_median = PercentileCont(days, 0.5);
        figures.dp7_p90 = PercentileCont(std::move(days), 0.9);
        return std::move(figures);
    }
};

template <class RuleFor>
Result<std::vector<RegisterFigures>> Compute(const RuleFor& rule_for,
                                             const std::vector<InfoRequest>& requests,
                                             core::Date as_of) {
    Accumulator total;
    std::map<std::string, Accumulator> by_institution;
    for (const InfoRequest& original : requests) {
        const InfoRequest r = AsOf(original, as_of);
        if (!r.sent) {
            continue;
        }
        const framework::FoiRule* rule = rule_for(r);
        if (rule == nullptr) {
            return NoRule(r);
        }
        const core::Date deadline = RAP_TRY(LegalDeadline(*rule, r));
        total.Add(r, deadline, as_of);
        Accumulator& row = by_institution[r.institution];
        row.figures.institution = r.institution;
        row.Add(r, deadline, as_of);
    }
    std::vector<RegisterFigures> out;
    out.reserve(by_institution.size() + 1);
    out.push_back(std::move(total).Finish());
    for (auto& [id, row] : by_institution) {
        out.push_back(std::move(row).Finish());
    }
    return out;
}

}  // namespace

std::vector<RegisterFigures> ComputeRegisterFigures(const framework::FoiRule& rule,
                                                    const std::vector<InfoRequest>& requests,
                                                    core::Date as_of) {
    // Cannot fail: there is always a rule and only sent requests reach LegalDeadline.
    return *Compute([&rule](const InfoRequest&) { return &rule; }, requests, as_of);
}

Result<std::vector<RegisterFigures>> ComputeRegisterFigures(
    const FoiRuleLookup& rules, const std::vector<InfoRequest>& requests, core::Date as_of) {
    return Compute(rules, requests, as_of);
}

}  // namespace rap::monitoring
