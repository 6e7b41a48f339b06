// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/log.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace rap::log {

namespace {

spdlog::logger& Logger() {
    static const std::shared_ptr<spdlog::logger> logger = [] {
        auto l = spdlog::stderr_color_mt("rapporteur");
        l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
        l->set_level(spdlog::level::info);
        return l;
    }();
    return *logger;
}

spdlog::level::level_enum ToSpd(Level level) {
    switch (level) {
        case Level::kDebug: return spdlog::level::debug;
        case Level::kInfo: return spdlog::level::info;
        case Level::kWarn: return spdlog::level::warn;
        case Level::kError: return spdlog::level::err;
        case Level::kOff: return spdlog::level::off;
    }
    return spdlog::level::info;
}

}  // namespace

void SetLevel(Level level) { Logger().set_level(ToSpd(level)); }

bool ParseLevel(std::string_view name, Level* level) {
    static constexpr std::pair<std::string_view, Level> kNames[] = {
        {"debug", Level::kDebug}, {"info", Level::kInfo}, {"warn", Level::kWarn},
        {"error", Level::kError}, {"off", Level::kOff}};
    for (const auto& [n, l] : kNames) {
        if (n == name) {
            *level = l;
            return true;
        }
    }
    return false;
}

void Write(Level level, std::string_view message) { Logger().log(ToSpd(level), message); }

bool DebugEnabled() { return Logger().should_log(spdlog::level::debug); }

std::string MemoryUse() {
    std::ifstream status("/proc/self/status");
    long rss = -1;
    long peak = -1;
    for (std::string line; std::getline(status, line);) {
        // "VmRSS:    421716 kB"
        const auto number = [&line] { return std::atol(line.c_str() + line.find(':') + 1); };
        if (line.starts_with("VmRSS:")) {
            rss = number();
        } else if (line.starts_with("VmHWM:")) {
            peak = number();
        }
    }
    if (rss < 0 || peak < 0) {
        return {};
    }
    return fmt::format("{} MiB (peak {} MiB)", rss / 1024, peak / 1024);
}

}  // namespace rap::log
