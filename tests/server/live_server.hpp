// SPDX-License-Identifier: AGPL-3.0-or-later
// The real server over a fresh demonstration database on a free port, for the server tests.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>
#include <httplib.h>

#include "app/setup.hpp"
#include "server/server.hpp"

#include "support/test_support.hpp"

namespace rap::server::testing {

// A database initialised with demonstration data, served on a free port of `bind` until
// destroyed. With `mini_data` the reference data is the small test set instead of the shipped
// one. Clients reach it at 127.0.0.1 (also when it listens on every address, 0.0.0.0).
class LiveServer {
public:
    explicit LiveServer(bool mini_data, std::string bind = "127.0.0.1") {
        core::Diagnostics diags;
        app::InitOptions options{.demo = true};
        if (mini_data) {
            rap::testing::WriteMiniDataDir(tmp_.File("data"));
            options.data_dir = tmp_.File("data");
        }
        auto store = store::Store::Open(store::Target::Parse(tmp_.File("s.db")));
        if (!store) {
            ADD_FAILURE() << store.error().ToString();
            return;
        }
        store_ = std::move(*store);
        auto init = app::InitDatabase(*store_, options, diags);
        if (!init) {
            ADD_FAILURE() << init.error().ToString() << diags.ToString();
            return;
        }
        demo_victims_ = init->demo_victims;
        auto catalog = app::Catalog::Load(*store_);
        if (!catalog) {
            ADD_FAILURE() << catalog.error().ToString();
            return;
        }
        server_ = std::make_unique<Server>(BuildRoutes(*catalog, *store_));
        ServerOptions server_options{.bind = std::move(bind), .port = 0, .threads = 4};
        if (auto bound = server_->Bind(server_options); !bound) {
            ADD_FAILURE() << bound.error().ToString();
            return;
        }
        thread_ = std::thread([this] { static_cast<void>(server_->Listen()); });
        httplib::Client probe("127.0.0.1", server_->port());
        for (int i = 0; i < 200; ++i) {  // wait until the server answers
            if (auto r = probe.Get("/healthz"); r && r->status == 200) {
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    ~LiveServer() {
        if (thread_.joinable()) {
            server_->Stop();
            thread_.join();
        }
    }
    LiveServer(const LiveServer&) = delete;
    LiveServer& operator=(const LiveServer&) = delete;

    int port() const { return server_ ? server_->port() : 0; }
    int64_t demo_victims() const { return demo_victims_; }
    store::Store& store() { return *store_; }
    std::string TempFile(const std::string& name) const { return tmp_.File(name); }

private:
    rap::testing::TempDir tmp_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<Server> server_;
    std::thread thread_;
    int64_t demo_victims_ = 0;
};

}  // namespace rap::server::testing
