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
    if (!y || !m || !d || *y < 1900 || *y > 2999) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year(*y),
                                          std::chrono::month(static_cast<unsigned>(*m)),
                                          std::chrono::day(static_cast<unsigned>(*d))};
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

std::string Date::ToString() const {
    const std::chrono::year_month_day ymd(days_);
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

bool Date::IsWeekend() const {
    const std::chrono::weekday wd(days_);
    return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

std::string NowUtcTimestamp() {
    return fmt::format(
        "{:%Y-%m-%dT%H:%M:%SZ}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace rap::core
