// SPDX-License-Identifier: AGPL-3.0-or-later
// Diagnostics: the errors of one validation run, so that a user sees every problem of a file at
// once rather than one per attempt.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace rap::core {

class Diagnostics {
public:
    // Stops collecting after `limit` errors (a broken file can yield thousands).
    explicit Diagnostics(size_t limit = 200) : limit_(limit) {}

    void Add(Error error);
    void Add(Errc code, std::string message, Location where) {
        Add(Error{code, std::move(message), std::move(where)});
    }

    // Adds every error of `other` (and counts the ones it had to drop).
    void Merge(const Diagnostics& other);
    // Adds `by` to the row of every error that names a row (errors found in a part of a file
    // that numbered its rows from 1).
    void OffsetRows(long by);

    bool empty() const { return errors_.empty(); }
    size_t limit() const { return limit_; }
    size_t size() const { return errors_.size() + dropped_; }
    const std::vector<Error>& errors() const { return errors_; }

    // One Error standing for all: the first error's code and location, its message, and
    // "(and N more errors)" when there are more. REQUIRES: !empty().
    Error Summary() const;

    // Every error, one "file:line:column: message" per line.
    std::string ToString() const;

private:
    size_t limit_;
    size_t dropped_ = 0;
    std::vector<Error> errors_;
};

}  // namespace rap::core
