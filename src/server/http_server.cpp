// SPDX-License-Identifier: AGPL-3.0-or-later
// cpp-httplib behind the Server facade, configured as docs/architecture.md explains: Nagle off,
// a fixed worker pool, bounded keep-alive, and a pre-routing guard for request bodies whose size
// payload_max_length cannot bound (chunked or compressed) and for multi-range requests.
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

#include <fmt/format.h>
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

void SendError(httplib::Response& res, Errc code, std::string message) {
    res.status = HttpStatus(code);
    res.set_content(json::ErrorBody(Error{code, std::move(message), {}}, RequestIdOf(res)),
                    "application/json; charset=utf-8");
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
    // cpp-httplib has one limit for every route; the pre-routing guard below applies each
    // route's own before the body is read.
    struct BodyLimit {
        std::string method;
        std::regex path;
        size_t max = 0;
    };
    std::vector<BodyLimit> limits;
    size_t largest = options.max_body_bytes;
    for (const Route& route : impl_->routes) {
        if (route.max_body > 0) {
            limits.push_back({route.method, std::regex(route.pattern), route.max_body});
            largest = std::max(largest, route.max_body);
        }
    }
    http.set_payload_max_length(largest);
    http.set_default_headers({
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
    });

    http.set_pre_routing_handler([limits = std::move(limits), default_max = options.max_body_bytes](
                                     const httplib::Request& req, httplib::Response& res) {
        res.set_header(kRequestIdHeader, NewRequestId());
        if (req.has_header("Content-Encoding")) {
            SendError(res, Errc::kInvalidArgument, "compressed request bodies are not accepted");
            res.status = 415;
            return httplib::Server::HandlerResponse::Handled;
        }
        if (req.has_header("Transfer-Encoding")) {
            SendError(res, Errc::kInvalidArgument,
                      "chunked request bodies are not accepted; send Content-Length");
            res.status = 411;
            return httplib::Server::HandlerResponse::Handled;
        }
        const bool has_body_method =
            req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
        if (has_body_method && !req.has_header("Content-Length")) {
            SendError(res, Errc::kInvalidArgument, "a request body needs Content-Length");
            res.status = 411;
            return httplib::Server::HandlerResponse::Handled;
        }
        if (has_body_method) {
            const std::string text = req.get_header_value("Content-Length");
            unsigned long long length = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
            size_t max = default_max;
            for (const auto& limit : limits) {
                if (limit.method == req.method && std::regex_match(req.path, limit.path)) {
                    max = limit.max;
                }
            }
            if (ec != std::errc() || end != text.data() + text.size()) {
                SendError(res, Errc::kInvalidArgument,
                          fmt::format("Content-Length '{}' is not a number of bytes", text));
                res.set_header("Connection", "close");
                return httplib::Server::HandlerResponse::Handled;
            }
            if (length > max) {
                SendError(res, Errc::kInvalidArgument,
                          fmt::format("request body too large: Content-Length {}; this address "
                                      "takes at most {} bytes",
                                      text, max));
                res.status = 413;
                // The body is not read: the connection cannot carry another request.
                res.set_header("Connection", "close");
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        if (req.ranges.size() > 1) {
            SendError(res, Errc::kInvalidArgument, "multiple byte ranges are not supported");
            res.status = 416;
            return httplib::Server::HandlerResponse::Handled;
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
            log::Error("request {} {} {} failed: {}", RequestIdOf(res), req.method, req.path,
                       what);
            SendError(res, Errc::kInternal,
                      "internal error; the server log has details under this request id");
        });

    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
            return;
        }
        const Errc code = res.status == 404 ? Errc::kNotFound : Errc::kInvalidArgument;
        const int status = res.status;
        SendError(res, code,
                  status == 404 ? fmt::format("no such resource: {}", req.path)
                  : status == 413
                      ? std::string("request body too large")
                      : fmt::format("request failed with HTTP status {}", status));
        res.status = status;
    });

    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        log::Info("{} {} {} -> {}", RequestIdOf(res), req.method, req.path, res.status);
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
            for (const auto& [k, v] : req.params) {
                request.query.emplace(k, v);
            }
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
