// SPDX-License-Identifier: AGPL-3.0-or-later
// Calendar dates (proleptic Gregorian, no time zone) as the monitoring records use them: the day a
// request was sent, a reply arrived, a decision was taken. Written and read as ISO 8601
// "YYYY-MM-DD".
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace rap::core {

class Date {
public:
    constexpr Date() = default;
    constexpr explicit Date(std::chrono::sys_days days) : days_(days) {}

    // "YYYY-MM-DD" with a real day of a year between 1900 and 2999; nullopt otherwise.
    static std::optional<Date> Parse(std::string_view text);
    // Today in UTC.
    static Date Today();
    // The date of a year (1900-2999), month and day; nullopt when there is no such day.
    static std::optional<Date> FromYmd(int year, int month, int day);

    std::chrono::sys_days days() const { return days_; }
    int year() const;
    int month() const;  // 1-12
    int day() const;    // 1-31
    std::string ToString() const;  // "YYYY-MM-DD"

    Date AddDays(int n) const { return Date(days_ + std::chrono::days(n)); }
    bool IsWeekend() const;  // Saturday or Sunday
    bool IsSunday() const;
    std::string_view WeekdayName() const;  // "Mon" ... "Sun"
    // Days from this date to `later` (negative when `later` is earlier).
    int DaysUntil(Date later) const { return static_cast<int>((later.days_ - days_).count()); }

    auto operator<=>(const Date&) const = default;

private:
    std::chrono::sys_days days_{};
};

// Easter Sunday of `year` (1900-2999) as a Gregorian date: as the Western churches reckon it
// (Gregorian computus), and as the Orthodox churches do (Julian computus, converted to the
// Gregorian calendar).
Date WesternEaster(int year);
Date OrthodoxEaster(int year);

// The current time in UTC as ISO 8601 to the second: "2026-11-23T14:05:00Z".
std::string NowUtcTimestamp();

}  // namespace rap::core
