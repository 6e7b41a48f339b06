// SPDX-License-Identifier: AGPL-3.0-or-later
// The HTTP server: JSON API under /api/v1 and a few server-rendered pages. Only http_server.cpp
// includes cpp-httplib.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/catalog.hpp"
#include "core/result.hpp"
#include "server/http.hpp"
#include "store/store.hpp"

namespace rap::server {

struct ServerOptions {
    std::string bind = "127.0.0.1";
    int port = 8080;  // 0 picks a free port
    int threads = 32;
    size_t max_body_bytes = 1U << 20U;  // for routes that do not set their own (Route::max_body)
};

// The routes of the application over one database's catalog.
std::vector<Route> BuildRoutes(std::shared_ptr<const app::Catalog> catalog, store::Store& store);

class Server {
public:
    explicit Server(std::vector<Route> routes);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening socket. kUnavailable when the address is taken or not local.
    Status Bind(const ServerOptions& options);
    // The bound port (useful with port 0). REQUIRES: Bind succeeded.
    int port() const;
    // Serves until Stop() is called from another thread. REQUIRES: Bind succeeded.
    Status Listen();
    // Stops a Listen() in progress; safe to call from any thread, more than once.
    void Stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rap::server
