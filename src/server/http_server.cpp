// SPDX-License-Identifier: AGPL-3.0-or-later
// cpp-httplib behind the Server facade, configured as docs/architecture.md explains: Nagle off,
// a fixed worker pool, bounded keep-alive, and a pre-routing guard that answers unknown addresses
// and methods before a body is read and refuses request bodies whose size payload_max_length
// cannot bound (chunked or compressed). The API ignores Range headers, and reads query strings
// itself.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <random>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <httplib.h>

#include "core/log.hpp"
#include "server/json_codec.hpp"
#include "server/server.hpp"

namespace rap::server {

std::string HttpRequest::Query(std::string_view name) const {
    auto it = query.find(std::string(name));
    return it == query.end() ? std::string() : it->second;
}

bool HttpRequest::HasQuery(std::string_view name) const {
    return query.find(std::string(name)) != query.end();
}

std::string EscapeControl(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20U || c == 0x7fU) {
                    out += fmt::format("\\x{:02x}", c);
                } else {
                    out += ch;
                }
        }
    }
    return out;
}

namespace {

bool HasControl(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c < 0x20U || c == 0x7fU;
    });
}

}  // namespace

// cpp-httplib's own reading of the query string keeps what follows the last '=' of a piece
// ("by=SEX=F" becomes "F"), merges repeated pieces and trims spaces; this one keeps the value as
// sent, so that what a handler reads is what the client wrote.
Result<std::map<std::string, std::string>> ParseQuery(std::string_view query) {
    std::map<std::string, std::string> out;
    for (size_t start = 0; start < query.size();) {
        size_t end = query.find('&', start);
        if (end == std::string_view::npos) {
            end = query.size();
        }
        const std::string_view piece = query.substr(start, end - start);
        start = end + 1;
        if (piece.empty()) {
            continue;
        }
        const size_t eq = piece.find('=');
        std::string name = httplib::detail::decode_url(std::string(piece.substr(0, eq)), true);
        std::string value =
            eq == std::string_view::npos
                ? std::string()
                : httplib::detail::decode_url(std::string(piece.substr(eq + 1)), true);
        const std::string shown = EscapeControl(name);
        if (name.empty()) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("query parameter without a name ('{}'); write name=value",
                                    EscapeControl(piece)));
        }
        if (HasControl(name) || HasControl(value)) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("query parameter {}: control characters (such as a line "
                                    "break) are not allowed",
                                    shown),
                        Location{.field = shown});
        }
        if (value.empty()) {
            return Fail(
                Errc::kInvalidArgument,
                fmt::format("query parameter {} is empty; give a value or leave it out", shown),
                Location{.field = shown});
        }
        if (!out.emplace(std::move(name), std::move(value)).second) {
            return Fail(
                Errc::kInvalidArgument,
                fmt::format("query parameter {} is given more than once; give it once", shown),
                Location{.field = shown});
        }
    }
    return out;
}

int HttpStatus(Errc code) {
    switch (code) {
        case Errc::kInvalidArgument: return 400;
        case Errc::kUnauthenticated: return 401;
        case Errc::kPermissionDenied: return 403;
        case Errc::kNotFound: return 404;
        case Errc::kAlreadyExists: return 409;
        case Errc::kConflict: return 409;
        case Errc::kAborted: return 409;
        case Errc::kFailedPrecondition: return 409;
        case Errc::kResourceExhausted: return 429;
        case Errc::kUnimplemented: return 501;
        case Errc::kUnavailable: return 503;
        case Errc::kDataLoss:
        case Errc::kInternal: return 500;
    }
    return 500;
}

std::string_view HttpErrorCode(int status) {
    switch (status) {
        case 405: return "method_not_allowed";
        case 411: return "length_required";
        case 413: return "payload_too_large";
        case 414: return "uri_too_long";
        case 415: return "unsupported_media_type";
        case 416: return "range_not_satisfiable";
        case 431: return "request_header_fields_too_large";
        case 401: return ErrcName(Errc::kUnauthenticated);
        case 403: return ErrcName(Errc::kPermissionDenied);
        case 404: return ErrcName(Errc::kNotFound);
        case 409: return ErrcName(Errc::kConflict);
        case 429: return ErrcName(Errc::kResourceExhausted);
        case 501: return ErrcName(Errc::kUnimplemented);
        case 503: return ErrcName(Errc::kUnavailable);
        default: break;
    }
    return ErrcName(status >= 500 ? Errc::kInternal : Errc::kInvalidArgument);
}

namespace {

// 127.0.0.0/8.
bool IsLoopbackV4(const in_addr& a) {
    return (ntohl(a.s_addr) >> 24U) == 127U;
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
    std::string name;
    if (host.starts_with('[')) {
        const size_t end = host.find(']');
        if (end == std::string_view::npos) {
            return false;
        }
        name = std::string(host.substr(1, end - 1));
        const std::string_view rest = host.substr(end + 1);
        if (!rest.empty() && !rest.starts_with(':')) {
            return false;
        }
        in6_addr a{};
        return inet_pton(AF_INET6, name.c_str(), &a) == 1 && IN6_IS_ADDR_LOOPBACK(&a);
    }
    name = std::string(host.substr(0, host.find(':')));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "localhost") {
        return true;
    }
    in_addr a{};
    return inet_pton(AF_INET, name.c_str(), &a) == 1 && IsLoopbackV4(a);
}

namespace {

constexpr const char* kRequestIdHeader = "X-Request-Id";

std::string NewRequestId() {
    static std::atomic<unsigned long long> counter{0};
    static const unsigned long long prefix = std::random_device{}();
    return fmt::format("{:08x}-{:06x}", prefix & 0xFFFFFFFFULL, ++counter);
}

// The request id of the request being answered, set by the pre-routing handler.
const std::string& RequestIdOf(const httplib::Response& res) {
    static const std::string none = "-";
    auto it = res.headers.find(kRequestIdHeader);
    return it == res.headers.end() ? none : it->second;
}

// Whether every address `bind` resolves to is a loopback address (127.0.0.0/8, ::1, or
// ::ffff:127.x.x.x), resolved as cpp-httplib resolves it. A name that does not resolve is not.
bool IsLoopbackBind(const std::string& bind) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* list = nullptr;
    if (getaddrinfo(bind.c_str(), "0", &hints, &list) != 0 || list == nullptr) {
        return false;
    }
    bool all_loopback = true;
    for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
            all_loopback = all_loopback && IsLoopbackV4(in->sin_addr);
        } else if (ai->ai_family == AF_INET6) {
            const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr;
            const bool mapped_loopback = IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127U;
            all_loopback = all_loopback && (IN6_IS_ADDR_LOOPBACK(&a) || mapped_loopback);
        } else {
            all_loopback = false;
        }
    }
    freeaddrinfo(list);
    return all_loopback;
}

constexpr const char* kJsonType = "application/json; charset=utf-8";

// Answers with the error body of docs/api.md: its `code` is the one the table there gives for
// `status`.
void SendError(httplib::Response& res, int status, std::string message) {
    res.status = status;
    res.set_content(json::ErrorBody(HttpErrorCode(status),
                                    Error{Errc::kInvalidArgument, std::move(message), {}},
                                    RequestIdOf(res)),
                    kJsonType);
}

// The API always answers with whole bodies. cpp-httplib applies a Range header to whatever a
// handler answers, so a JSON document would come back cut (200 with `{"framework`), or wrapped in
// multipart/byteranges. Handlers only get the request as const, but it is a non-const object of
// cpp-httplib's that lives until the response is written, and the ranges are read only when the
// response is written: clearing them here is well defined and makes cpp-httplib send the whole
// body with the status the handler chose.
void IgnoreRanges(const httplib::Request& req) {
    const_cast<httplib::Request&>(req).ranges.clear();
}

// Whether the request comes with a body that the server has not read (it answers before): the
// connection cannot then carry another request.
bool HasUnreadBody(const httplib::Request& req) {
    return req.has_header("Transfer-Encoding") ||
           (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

}  // namespace

struct Server::Impl {
    httplib::Server http;
    std::vector<Route> routes;
    int port = 0;
    bool bound = false;
};

Server::Server(std::vector<Route> routes) : impl_(std::make_unique<Impl>()) {
    impl_->routes = std::move(routes);
}

Server::~Server() { Stop(); }

Status Server::Bind(const ServerOptions& options) {
    auto& http = impl_->http;
    const int threads = options.threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_tcp_nodelay(true);
    // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, which would let a second
    // server bind the same port and silently share its connections.
    http.set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_keep_alive_max_count(10);
    http.set_keep_alive_timeout(5);
    http.set_read_timeout(15, 0);
    http.set_write_timeout(15, 0);
    // The addresses of the routes, for the pre-routing guard: it answers an unknown address (404)
    // or method (405) and applies each route's own body limit (cpp-httplib has one limit for
    // every route) before the body is read.
    struct RoutePath {
        std::string method;
        std::regex path;
        size_t max_body = 0;
    };
    std::vector<RoutePath> paths;
    size_t largest = options.max_body_bytes;
    for (const Route& route : impl_->routes) {
        paths.push_back({route.method, std::regex(route.pattern),
                         route.max_body > 0 ? route.max_body : options.max_body_bytes});
        largest = std::max(largest, route.max_body);
    }
    http.set_payload_max_length(largest);
    http.set_default_headers({
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
    });

    http.set_pre_routing_handler([paths = std::move(paths)](const httplib::Request& req,
                                                            httplib::Response& res) {
        res.set_header(kRequestIdHeader, NewRequestId());
        IgnoreRanges(req);
        const auto refuse = [&req, &res](int status, std::string message) {
            SendError(res, status, std::move(message));
            if (HasUnreadBody(req)) {
                res.set_header("Connection", "close");
            }
            return httplib::Server::HandlerResponse::Handled;
        };
        // Two Host headers could pass the loopback check on one and name another site in the
        // other; two Content-Length headers could frame the body differently for a proxy.
        for (const char* name : {"Host", "Content-Length"}) {
            if (req.get_header_value_count(name) > 1) {
                return refuse(400, fmt::format("the {} header was sent more than once; send it "
                                               "once",
                                               name));
            }
        }
        // The route cpp-httplib will dispatch to: the first of the method whose pattern matches
        // (HEAD is answered by GET routes).
        const std::string method = req.method == "HEAD" ? "GET" : req.method;
        // Only the routes of the method are tried on the way; all of them only when none fits.
        const RoutePath* route = nullptr;
        for (const RoutePath& path : paths) {
            if (path.method == method && std::regex_match(req.path, path.path)) {
                route = &path;
                break;
            }
        }
        if (route == nullptr) {
            std::set<std::string> allowed;
            for (const RoutePath& path : paths) {
                if (path.method != method && std::regex_match(req.path, path.path)) {
                    allowed.insert(path.method);
                }
            }
            if (allowed.empty()) {
                return refuse(404, fmt::format("no such resource: {}", req.path));
            }
            if (allowed.contains("GET")) {
                allowed.insert("HEAD");
            }
            const std::string allow = fmt::format("{}", fmt::join(allowed, ", "));
            res.set_header("Allow", allow);
            return refuse(405, fmt::format("method {} is not allowed on {}; allowed: {}",
                                           req.method, req.path, allow));
        }
        if (req.has_header("Content-Encoding")) {
            return refuse(415, "compressed request bodies are not accepted");
        }
        if (req.has_header("Transfer-Encoding")) {
            return refuse(411, "chunked request bodies are not accepted; send Content-Length");
        }
        const bool has_body_method =
            req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
        if (has_body_method && !req.has_header("Content-Length")) {
            return refuse(411, "a request body needs Content-Length");
        }
        if (has_body_method) {
            const std::string text = req.get_header_value("Content-Length");
            unsigned long long length = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
            if (ec != std::errc() || end != text.data() + text.size()) {
                return refuse(400, fmt::format("Content-Length '{}' is not a number of bytes",
                                               EscapeControl(text)));
            }
            if (length > route->max_body) {
                return refuse(413, fmt::format("request body too large: Content-Length {}; this "
                                               "address takes at most {} bytes",
                                               text, route->max_body));
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    // Never let e.what() reach the client (cpp-httplib's default puts it into a header).
    http.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown exception";
            try {
                if (ep) {
                    std::rethrow_exception(ep);
                }
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {  // NOLINT(bugprone-empty-catch): reported below
            }
            log::Error("request {} {} {} failed: {}", RequestIdOf(res), EscapeControl(req.method),
                       EscapeControl(req.path), EscapeControl(what));
            SendError(res, 500, "internal error; the server log has details under this request id");
        });

    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        // cpp-httplib refuses some requests before the pre-routing handler runs (a request line
        // it cannot read, a target too long, a malformed Range header): they get an id here.
        if (!res.has_header(kRequestIdHeader)) {
            res.set_header(kRequestIdHeader, NewRequestId());
        }
        IgnoreRanges(req);
        if (!res.body.empty()) {
            return;
        }
        const int status = res.status;
        std::string message;
        switch (status) {
            case 400:
                message = "the request cannot be read: a malformed request line (an unknown "
                          "method, a target that is not a path) or malformed headers";
                break;
            case 404: message = fmt::format("no such resource: {}", req.path); break;
            case 413: message = "request body too large"; break;
            case 414: message = "the request target (path and query string) is too long"; break;
            case 416:
                message = "malformed Range header; this server answers with whole bodies, so "
                          "leave Range out";
                break;
            default: message = fmt::format("request failed with HTTP status {}", status);
        }
        SendError(res, status, std::move(message));
    });

    // What the client sent is escaped: a path with an encoded line break must not write a line
    // of its own into the log.
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        log::Info("{} {} {} -> {}", RequestIdOf(res), EscapeControl(req.method),
                  EscapeControl(req.path), res.status);
    });

    const Listener listener =
        IsLoopbackBind(options.bind) ? Listener::kLoopback : Listener::kNetwork;
    for (const Route& route : impl_->routes) {
        auto handler = route.handler;
        auto adapter = [handler, listener](const httplib::Request& req, httplib::Response& res) {
            HttpRequest request;
            request.method = req.method;
            request.path = req.path;
            request.body = req.body;
            request.request_id = RequestIdOf(res);
            request.listener = listener;
            request.host = req.get_header_value("Host");
            request.content_type = req.get_header_value("Content-Type");
            request.via_proxy = req.has_header("Forwarded") || req.has_header("X-Forwarded-For") ||
                                req.has_header("X-Forwarded-Host") || req.has_header("X-Real-IP");
            // A header sent twice keeps both values (newline-separated) so that the handler
            // can refuse the ambiguity instead of picking one.
            const size_t users = req.get_header_value_count("X-Rapporteur-User");
            for (size_t i = 0; i < users; ++i) {
                request.rapporteur_user += (i == 0 ? "" : "\n");
                request.rapporteur_user += req.get_header_value("X-Rapporteur-User", i);
            }
            const size_t mark = req.target.find('?');
            auto query = ParseQuery(mark == std::string::npos
                                        ? std::string_view()
                                        : std::string_view(req.target).substr(mark + 1));
            if (!query) {
                res.status = HttpStatus(query.error().code);
                res.set_content(json::ErrorBody(query.error(), request.request_id), kJsonType);
                return;
            }
            request.query = std::move(*query);
            for (size_t i = 1; i < req.matches.size(); ++i) {
                request.path_params.push_back(req.matches[i].str());
            }
            HttpResponse response = handler(request);
            res.status = response.status;
            for (const auto& [k, v] : response.headers) {
                res.set_header(k, v);
            }
            res.set_content(std::move(response.body), response.content_type.c_str());
        };
        const std::string pattern = route.pattern;
        if (route.method == "GET") {
            http.Get(pattern, adapter);
        } else if (route.method == "POST") {
            http.Post(pattern, adapter);
        } else if (route.method == "PUT") {
            http.Put(pattern, adapter);
        } else if (route.method == "DELETE") {
            http.Delete(pattern, adapter);
        } else if (route.method == "PATCH") {
            http.Patch(pattern, adapter);
        }
    }

    if (options.port == 0) {
        impl_->port = http.bind_to_any_port(options.bind);
        impl_->bound = impl_->port > 0;
    } else {
        impl_->bound = http.bind_to_port(options.bind, options.port);
        impl_->port = options.port;
    }
    if (!impl_->bound) {
        return Fail(Errc::kUnavailable,
                    fmt::format("cannot listen on {}:{} (address in use, or not an address of "
                                "this machine)",
                                options.bind, options.port));
    }
    return Ok();
}

int Server::port() const { return impl_->port; }

Status Server::Listen() {
    if (!impl_->bound) {
        return Fail(Errc::kFailedPrecondition, "the server is not bound");
    }
    if (!impl_->http.listen_after_bind()) {
        return Fail(Errc::kUnavailable, "the server stopped with an error");
    }
    return Ok();
}

void Server::Stop() {
    if (impl_ && impl_->bound) {
        impl_->http.stop();
    }
}

}  // namespace rap::server
