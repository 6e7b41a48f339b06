// SPDX-License-Identifier: AGPL-3.0-or-later
// Internal to server/: the responses and query check that the route files (routes.cpp,
// monitoring_routes.cpp) share.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/result.hpp"
#include "server/http.hpp"
#include "server/json_codec.hpp"

namespace rap::server {

// The error as JSON, with the HTTP status of its code.
inline HttpResponse ErrorResponse(const Error& error, const HttpRequest& req) {
    HttpResponse res;
    res.status = HttpStatus(error.code);
    res.body = json::ErrorBody(error, req.request_id);
    return res;
}

// An error that only HTTP has (415, ...), with the code docs/api.md gives for its status.
inline HttpResponse HttpErrorResponse(int status, std::string message, const HttpRequest& req) {
    HttpResponse res;
    res.status = status;
    res.body = json::ErrorBody(HttpErrorCode(status),
                               Error{Errc::kInvalidArgument, std::move(message), {}},
                               req.request_id);
    return res;
}

inline HttpResponse JsonResponse(std::string body, int status = 200) {
    HttpResponse res;
    res.status = status;
    res.body = std::move(body);
    return res;
}

// Rejects query parameters the endpoint does not know, so that a typo ("contry=RS") is not
// silently ignored. (ParseQuery has already refused repeated and empty parameters.)
inline Status CheckQuery(const HttpRequest& req, const std::vector<std::string_view>& allowed) {
    for (const auto& [key, value] : req.query) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("unknown query parameter '{}'; this endpoint accepts: {}", key,
                                    allowed.empty() ? std::string("none")
                                                    : fmt::format("{}", fmt::join(allowed, ", "))),
                        Location{.field = key});
        }
    }
    return Ok();
}

}  // namespace rap::server
