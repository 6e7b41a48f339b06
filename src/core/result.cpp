// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/result.hpp"

#include <fmt/format.h>

namespace rap {

std::string_view ErrcName(Errc code) {
    switch (code) {
        case Errc::kInvalidArgument: return "invalid_argument";
        case Errc::kNotFound: return "not_found";
        case Errc::kAlreadyExists: return "already_exists";
        case Errc::kFailedPrecondition: return "failed_precondition";
        case Errc::kPermissionDenied: return "permission_denied";
        case Errc::kUnauthenticated: return "unauthenticated";
        case Errc::kConflict: return "conflict";
        case Errc::kAborted: return "aborted";
        case Errc::kResourceExhausted: return "resource_exhausted";
        case Errc::kUnavailable: return "unavailable";
        case Errc::kUnimplemented: return "unimplemented";
        case Errc::kDataLoss: return "data_loss";
        case Errc::kInternal: return "internal";
    }
    return "internal";
}

int ExitCode(Errc code) {
    switch (code) {
        case Errc::kInvalidArgument:
        case Errc::kNotFound:
        case Errc::kAlreadyExists:
            return 2;
        default:
            return 1;
    }
}

std::string Error::ToString() const {
    // A field alone (an option or a JSON member, not a cell of a file) is for the API's
    // location.field; the message names it as the person wrote it.
    if (where.file.empty() && where.row == 0 && where.sheet.empty()) {
        return message;
    }
    std::string prefix = where.file;
    if (where.line > 0) {
        prefix += fmt::format(":{}", where.line);
        if (where.column > 0) {
            prefix += fmt::format(":{}", where.column);
        }
        return fmt::format("{}: {}", prefix, message);
    }
    if (!where.sheet.empty()) {
        prefix += fmt::format("{}sheet {}", prefix.empty() ? "" : ", ", where.sheet);
    }
    if (where.row > 0) {
        prefix += fmt::format("{}row {}", prefix.empty() ? "" : ", ", where.row);
    }
    if (!where.field.empty()) {
        prefix += fmt::format("{}column {}", prefix.empty() ? "" : ", ", where.field);
    }
    return fmt::format("{}: {}", prefix, message);
}

}  // namespace rap
