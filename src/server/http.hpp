// SPDX-License-Identifier: AGPL-3.0-or-later
// The server's own request and response types, so that handlers never see cpp-httplib.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace rap::server {

struct HttpRequest {
    std::string method;
    std::string path;
    std::multimap<std::string, std::string> query;
    std::vector<std::string> path_params;  // regex captures of the route, in order
    std::string body;
    std::string request_id;

    // The first value of a query parameter, or empty.
    std::string Query(std::string_view name) const;
    bool HasQuery(std::string_view name) const;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct Route {
    std::string method;   // GET, POST, ...
    std::string pattern;  // ECMAScript regex over the path, anchored by the server
    Handler handler;
};

// The one mapping from error codes to HTTP statuses.
int HttpStatus(Errc code);

}  // namespace rap::server
