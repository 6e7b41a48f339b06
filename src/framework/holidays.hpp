// SPDX-License-Identifier: AGPL-3.0-or-later
// A country's public holidays: the days, besides Saturdays and Sundays, on which public bodies
// are closed and a legal time limit in working days does not run. Fixed-date holidays and those
// tied to Easter are computed for any year; holidays of the lunar calendar (Eid al-Fitr, Eid
// al-Adha) are announced each year and listed by date for the years they are known.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/text.hpp"

namespace rap::framework {

// Whether a holiday that falls on a weekend gives a day off in lieu (the first following day
// that is neither a weekend day nor a holiday).
enum class Substitute {
    kNone,
    kSunday,   // when it falls on a Sunday
    kWeekend,  // when it falls on a Saturday or a Sunday
};
std::string_view Name(Substitute v);
std::optional<Substitute> ParseSubstitute(std::string_view text);
inline constexpr std::array kAllSubstitutes{Substitute::kNone, Substitute::kSunday,
                                            Substitute::kWeekend};

enum class Church { kWestern, kOrthodox };
std::string_view Name(Church v);
std::optional<Church> ParseChurch(std::string_view text);
inline constexpr std::array kAllChurches{Church::kWestern, Church::kOrthodox};

struct FixedHoliday {
    int month = 1;
    int day = 1;
    std::string name;
    int first_year = 0;                    // observed from this year on (0: always)
    int last_year = 9999;                  // and up to this year
    std::optional<Substitute> substitute;  // the country's default when empty
};

struct EasterHoliday {
    Church church = Church::kWestern;
    int offset = 0;  // days from Easter Sunday: -2 Good Friday, +1 Easter Monday
    std::string name;
    std::optional<Substitute> substitute;
};

struct DatedHoliday {
    core::Date date;
    std::string name;
    std::optional<Substitute> substitute;
};

struct Holiday {
    core::Date date;
    std::string name;  // "New Year (day in lieu)" for a substitute day
    bool operator==(const Holiday&) const = default;
};

struct PublicHolidays {
    Substitute substitute = Substitute::kNone;  // the default for every holiday
    std::vector<FixedHoliday> fixed;
    std::vector<EasterHoliday> easter;
    std::vector<DatedHoliday> dated;
    // The years for which `dated` is complete; empty when the country has no dated holidays.
    std::optional<std::pair<int, int>> dated_years;
    core::LocalizedText note;
    std::string source;
    bool verify = false;  // the list still needs a primary source

    // The days off of `year` other than weekends, in date order: the holidays of that year and
    // the days in lieu that fall in it (a holiday on 31 December may give 2 January of the next
    // year). Holidays that fall on the same day count once, and give one day in lieu at most.
    std::vector<Holiday> DaysOff(int year) const;
    // False when `year` is outside dated_years, so that dated holidays of that year are unknown.
    bool Known(int year) const;
};

// `base` with the days off of a region added: each keeps its substitute rule (the region's
// default when it has none); the region's note, source and verify flag describe the result.
PublicHolidays WithRegionalDays(const PublicHolidays& base, const PublicHolidays& region);

// Answers "is this a working day?" for one country, computing each year's holidays once.
class WorkingDays {
public:
    explicit WorkingDays(const PublicHolidays& holidays) : holidays_(holidays) {}
    bool IsWorkingDay(core::Date day);
    // The holiday or day in lieu on `day`, or nullptr (also for an ordinary weekend day). The
    // pointer is valid until the next call.
    const Holiday* DayOff(core::Date day);
    // The first working day on or after `day`.
    core::Date OnOrAfter(core::Date day);

private:
    void Load(int year);

    const PublicHolidays& holidays_;
    std::vector<int> years_;     // years whose days off are in days_
    std::vector<Holiday> days_;  // sorted by date
};

}  // namespace rap::framework
