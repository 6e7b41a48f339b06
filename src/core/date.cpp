// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/date.hpp"

#include <charconv>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace rap::core {

namespace {

std::optional<int> Digits(std::string_view text) {
    int v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::optional<Date> Date::Parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    auto y = Digits(text.substr(0, 4));
    auto m = Digits(text.substr(5, 2));
    auto d = Digits(text.substr(8, 2));
    if (!y || !m || !d) {
        return std::nullopt;
    }
    return FromYmd(*y, *m, *d);
}

std::optional<Date> Date::FromYmd(int year, int month, int day) {
    if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > 31) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year(year),
                                          std::chrono::month(static_cast<unsigned>(month)),
                                          std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return Date(std::chrono::sys_days(ymd));
}

Date Date::Today() {
    return Date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

int Date::year() const {
    return static_cast<int>(std::chrono::year_month_day(days_).year());
}

int Date::month() const {
    return static_cast<int>(static_cast<unsigned>(std::chrono::year_month_day(days_).month()));
}

int Date::day() const {
    return static_cast<int>(static_cast<unsigned>(std::chrono::year_month_day(days_).day()));
}

std::string Date::ToString() const {
    const std::chrono::year_month_day ymd(days_);
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

bool Date::IsWeekend() const {
    const std::chrono::weekday wd(days_);
    return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

std::string_view Date::WeekdayName() const {
    static constexpr std::string_view kNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    return kNames[std::chrono::weekday(days_).c_encoding()];
}

bool Date::IsSunday() const { return std::chrono::weekday(days_) == std::chrono::Sunday; }

// Both computations are the classic table-free algorithms (Gauss's method in the form given by
// Meeus, "Astronomical Algorithms", ch. 8).
Date WesternEaster(int year) {
    const int a = year % 19;
    const int b = year / 100;
    const int c = year % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = (h + l - 7 * m + 114) % 31 + 1;
    return *Date::FromYmd(year, month, day);
}

Date OrthodoxEaster(int year) {
    const int a = year % 4;
    const int b = year % 7;
    const int c = year % 19;
    const int d = (19 * c + 15) % 30;
    const int e = (2 * a + 4 * b - d + 34) % 7;
    const int month = (d + e + 114) / 31;  // in the Julian calendar
    const int day = (d + e + 114) % 31 + 1;
    // Julian to Gregorian: the gap grows by a day each century year not divisible by 400
    // (13 days from March 1900 to February 2100). Easter is always after February.
    const int gap = year / 100 - year / 400 - 2;
    return Date::FromYmd(year, month, day)->AddDays(gap);
}

std::string NowUtcTimestamp() {
    return fmt::format(
        "{:%Y-%m-%dT%H:%M:%SZ}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace rap::core
