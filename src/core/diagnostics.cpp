// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/diagnostics.hpp"

#include <fmt/format.h>

namespace rap::core {

void Diagnostics::Add(Error error) {
    if (errors_.size() >= limit_) {
        ++dropped_;
        return;
    }
    errors_.push_back(std::move(error));
}

void Diagnostics::Merge(const Diagnostics& other) {
    for (const auto& e : other.errors_) {
        Add(e);
    }
    dropped_ += other.dropped_;
}

void Diagnostics::OffsetRows(long by) {
    for (auto& e : errors_) {
        if (e.where.row > 0) {
            e.where.row += by;
        }
    }
}

Error Diagnostics::Summary() const {
    Error first = errors_.front();
    if (size() > 1) {
        first.message += fmt::format(" (and {} more error{})", size() - 1, size() > 2 ? "s" : "");
    }
    return first;
}

std::string Diagnostics::ToString() const {
    std::string out;
    for (const auto& e : errors_) {
        out += e.ToString();
        out += '\n';
    }
    if (dropped_ > 0) {
        out += fmt::format("... {} more errors not shown\n", dropped_);
    }
    return out;
}

}  // namespace rap::core
