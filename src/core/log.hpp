// SPDX-License-Identifier: AGPL-3.0-or-later
// Logging facade. Only log.cpp includes spdlog, so that a call site costs a fmt/core include.
#pragma once

#include <string>
#include <string_view>

#include <fmt/core.h>

namespace rap::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

// Sets the minimum level written to stderr. Thread-safe.
void SetLevel(Level level);

// Parses "debug", "info", "warn", "error", "off"; returns false for anything else.
bool ParseLevel(std::string_view name, Level* level);

void Write(Level level, std::string_view message);

// Whether debug messages are written (to skip work that only feeds them).
bool DebugEnabled();

// The process's resident memory now and at its peak so far, as "412 MiB (peak 530 MiB)", for
// debug messages about heavy work; "" where the system does not tell.
std::string MemoryUse();

template <class... Args>
void Debug(fmt::format_string<Args...> f, Args&&... args) {
    Write(Level::kDebug, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void Info(fmt::format_string<Args...> f, Args&&... args) {
    Write(Level::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void Warn(fmt::format_string<Args...> f, Args&&... args) {
    Write(Level::kWarn, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void Error(fmt::format_string<Args...> f, Args&&... args) {
    Write(Level::kError, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace rap::log
