// SPDX-License-Identifier: AGPL-3.0-or-later
// Result<T>, Status and Error: how every layer reports failure.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace rap {

// A small set of error codes, after absl::StatusCode. Each maps to one HTTP status
// (server/http_errors.cpp) and one process exit code (ExitCode below).
enum class Errc {
    kInvalidArgument,     // bad input: a file, a row, a request parameter
    kNotFound,            // the named thing does not exist
    kAlreadyExists,       // a create that would duplicate
    kFailedPrecondition,  // the system is not in the state the operation needs
    kPermissionDenied,    // authenticated but not allowed
    kUnauthenticated,     // no valid credentials
    kConflict,            // concurrent modification, locked value
    kAborted,             // an operation stopped on purpose (a reader told to stop early)
    kResourceExhausted,   // a size or rate limit
    kUnavailable,         // a dependency (database server) cannot be reached
    kUnimplemented,       // not supported by this build or this backend
    kDataLoss,            // stored data is corrupt or was tampered with
    kInternal,            // a bug
};

// Stable lower-case name of a code, used in JSON error bodies ("invalid_argument").
std::string_view ErrcName(Errc code);

// Process exit code for an error: 2 for bad usage or bad input, 1 for every other failure.
int ExitCode(Errc code);

// Where an error happened. Files have line/column (1-based, 0 = unknown); tabular inputs have
// sheet, row and column name. Any part may be empty.
struct Location {
    std::string file;
    int line = 0;
    int column = 0;
    std::string sheet;
    long row = 0;
    std::string field;

    bool empty() const { return file.empty() && line == 0 && row == 0 && field.empty(); }
};

struct Error {
    Errc code = Errc::kInternal;
    std::string message;  // for the user: what is wrong and what was expected
    Location where;

    // "file:line:column: message", "file, sheet S, row R, column C: message" or just the message
    // (also when only a field is known: the message names it).
    std::string ToString() const;
};

// A value or an Error. [[nodiscard]] so that a failure cannot be dropped silently.
template <class T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
public:
    using tl::expected<T, Error>::expected;
    Result(tl::expected<T, Error> e)  // NOLINT(google-explicit-constructor): for and_then/map
        : tl::expected<T, Error>(std::move(e)) {}
};

using Status = Result<void>;

inline tl::unexpected<Error> Fail(Errc code, std::string message, Location where = {}) {
    return tl::unexpected(Error{code, std::move(message), std::move(where)});
}

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected(std::move(error)); }

inline Status Ok() { return {}; }

}  // namespace rap

// Evaluates a Result expression; on error returns it from the enclosing function, otherwise
// yields the value. GCC/Clang statement expression.
#define RAP_TRY(expr)                                                     \
    __extension__({                                                       \
        auto&& rap_try_result_ = (expr);                                  \
        if (!rap_try_result_) [[unlikely]] {                              \
            return ::tl::unexpected(std::move(rap_try_result_).error());  \
        }                                                                 \
        std::move(rap_try_result_).value();                               \
    })

// As RAP_TRY for a Status (no value).
#define RAP_TRY_STATUS(expr)                                              \
    do {                                                                  \
        auto&& rap_try_status_ = (expr);                                  \
        if (!rap_try_status_) [[unlikely]] {                              \
            return ::tl::unexpected(std::move(rap_try_status_).error());  \
        }                                                                 \
    } while (false)
