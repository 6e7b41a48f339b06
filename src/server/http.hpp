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

// Whether the server listens only on a loopback address (127.0.0.0/8, ::1), so that only
// programs on this machine can reach it. Until sign-in exists, writes are accepted only then.
enum class Listener { kLoopback, kNetwork };

struct HttpRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;  // parsed by ParseQuery: each name once
    std::vector<std::string> path_params;  // regex captures of the route, in order
    std::string body;
    std::string request_id;
    Listener listener = Listener::kNetwork;
    // The request headers handlers use; no other header is copied.
    std::string host;          // Host
    std::string content_type;  // Content-Type
    // Whether a header that proxies add (Forwarded, X-Forwarded-For, X-Forwarded-Host,
    // X-Real-IP) is present: the request may come from elsewhere through a local proxy.
    bool via_proxy = false;
    // X-Rapporteur-User: who acts (no sign-in yet); empty when absent, several values joined
    // by '\n' when the header was sent more than once.
    std::string rapporteur_user;

    // The value of a query parameter, or empty.
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
    size_t max_body = 0;  // the largest request body it takes; 0: ServerOptions::max_body_bytes
};

// The one mapping from error codes to HTTP statuses.
int HttpStatus(Errc code);

// The `code` of the error body for an HTTP status that no Errc maps to ("length_required" for
// 411, "method_not_allowed" for 405, ...), or the name of the Errc that maps to it.
std::string_view HttpErrorCode(int status);

// The parameters of a query string (the part of the target after '?'), percent-decoded, '+' as a
// space. A value is everything after the first '=' ("by=SEX=F;AGE=child"); empty pieces ("a=1&")
// are skipped. kInvalidArgument, with the parameter in location.field, for a parameter without a
// name, given twice, with an empty value, or with a control character in its name or value.
Result<std::map<std::string, std::string>> ParseQuery(std::string_view query);

// `text` with control characters and backslashes escaped ("\n", "\x00", "\\"), for a line of
// the log that quotes what a client sent: it cannot then add lines of its own.
std::string EscapeControl(std::string_view text);

// Whether a Host header names this machine: "localhost", "127.x.x.x" or "[::1]", with or
// without a port. The name is never resolved (a page that rebinds its DNS name to 127.0.0.1
// still sends that name).
bool IsLoopbackHost(std::string_view host);

}  // namespace rap::server
