// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/commands.hpp"

#include <csignal>
#include <cstdio>
#include <ctime>
#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "app/catalog.hpp"
#include "app/setup.hpp"
#include "core/diagnostics.hpp"
#include "core/log.hpp"
#include "server/json_codec.hpp"
#include "server/server.hpp"
#include "store/store.hpp"

namespace rap::cli {

namespace {

int Report(const Error& error) {
    fmt::print(stderr, "rapporteur: {}\n", error.ToString());
    return ExitCode(error.code);
}

int ReportAll(const core::Diagnostics& diags, const Error& fallback) {
    if (diags.empty()) {
        return Report(fallback);
    }
    fmt::print(stderr, "{}", diags.ToString());
    fmt::print(stderr, "rapporteur: {} problem{} found; nothing was written\n", diags.size(),
               diags.size() == 1 ? "" : "s");
    return ExitCode(diags.errors().front().code);
}

Result<std::unique_ptr<store::Store>> OpenStore(const std::string& db) {
    return store::Store::Open(store::Target::Parse(db));
}

}  // namespace

int RunInit(const InitArgs& args) {
    auto store = OpenStore(args.db);
    if (!store) {
        return Report(store.error());
    }
    core::Diagnostics diags;
    app::InitOptions options;
    options.demo = args.demo;
    options.data_dir = args.data_dir;
    auto report = app::InitDatabase(**store, options, diags);
    if (!report) {
        return ReportAll(diags, report.error());
    }
    fmt::print("database {} ({}): schema version {}, {} migration{} applied\n",
               (*store)->target().ToDisplayString(), store::Name((*store)->backend()),
               report->schema_version, report->migrations_applied,
               report->migrations_applied == 1 ? "" : "s");
    for (const auto& item : report->saved.items) {
        fmt::print("  {:<9} {:<14} {:<8} {}\n", framework::Name(item.type), item.name,
                   item.version, item.stored ? "stored" : "already stored, unchanged");
    }
    fmt::print("{} file{} stored, {} unchanged\n", report->saved.stored(),
               report->saved.stored() == 1 ? "" : "s", report->saved.unchanged());
    if (report->demo) {
        fmt::print("{}\n", app::kDemoLabel);
    }
    return 0;
}

int RunFrameworkValidate(const ValidateArgs& args) {
    core::Diagnostics diags;
    auto result = app::ValidateFiles(args.files, diags);
    if (!result) {
        if (diags.empty()) {
            return Report(result.error());
        }
        fmt::print(stderr, "{}", diags.ToString());
        fmt::print(stderr, "rapporteur: {} problem{} in {} file{}\n", diags.size(),
                   diags.size() == 1 ? "" : "s", args.files.size(),
                   args.files.size() == 1 ? "" : "s");
        return 2;
    }
    for (const auto& f : *result) {
        fmt::print("ok  {}  {} {} {}: {}\n", f.file, framework::Name(f.type), f.name, f.version,
                   f.detail);
    }
    return 0;
}

int RunFrameworkShow(const ShowArgs& args) {
    auto store = OpenStore(args.db);
    if (!store) {
        return Report(store.error());
    }
    auto catalog = app::Catalog::Load(**store);
    if (!catalog) {
        return Report(catalog.error());
    }
    auto eff = args.framework.empty()
                   ? (*catalog)->EffectiveForCountry(args.country)
                   : (*catalog)->Effective(args.framework, args.version);
    if (!eff) {
        return Report(eff.error());
    }
    const framework::EffectiveFramework& fw = **eff;
    if (!args.code.empty()) {
        const framework::EffectiveIndicator* ind = fw.Find(args.code);
        if (ind == nullptr) {
            return Report(Error{Errc::kNotFound,
                                fmt::format("no indicator '{}' in {} {}", args.code, fw.id,
                                            fw.version),
                                {}});
        }
        if (args.format == OutputFormat::kJson) {
            fmt::print("{}\n", server::json::Indicator(**catalog, fw, *ind));
            return 0;
        }
        const framework::Indicator& i = ind->indicator;
        fmt::print("{}  {}\n", i.code, i.name.Get());
        fmt::print("framework:      {} {}{}\n", fw.id, fw.version,
                   fw.country.empty() ? "" : " (" + fw.country + ")");
        fmt::print("comparability:  {}\n", framework::Name(ind->comparability));
        std::string types;
        for (auto t : i.types) {
            types += (types.empty() ? "" : ", ") + std::string(framework::Name(t));
        }
        fmt::print("type:           {}\n", types);
        for (const auto& m : i.measures) {
            fmt::print("measure:        {} {} ({}, {}){}\n", m.id, framework::Name(m.kind), m.unit,
                       framework::Name(m.direction),
                       m.name.empty() ? "" : " - " + m.name.Get());
        }
        std::string dims;
        for (const auto& d : i.disaggregations) {
            dims += (dims.empty() ? "" : ", ") + d;
        }
        fmt::print("disaggregation: {}\n", dims.empty() ? "none" : dims);
        fmt::print("definition:     {}\n", i.description.Get());
        if (i.rubric) {
            for (size_t level = 0; level < i.rubric->size(); ++level) {
                fmt::print("rubric {}:       {}\n", level, (*i.rubric)[level].Get());
            }
        }
        for (const auto& d : ind->deviations) {
            fmt::print("deviation:      {} ({}): {}\n", framework::Name(d.type), d.framework_id,
                       d.reason.Get());
        }
        return 0;
    }
    if (args.format == OutputFormat::kJson) {
        fmt::print("{}\n", server::json::Indicators(**catalog, fw));
        return 0;
    }
    fmt::print("{} {}{}: {} indicators\n", fw.id, fw.version,
               fw.country.empty() ? "" : " (" + fw.country + ")", fw.indicators.size());
    for (const auto& e : fw.indicators) {
        std::string kinds;
        for (const auto& m : e.indicator.measures) {
            kinds += (kinds.empty() ? "" : "+") + std::string(framework::Name(m.kind));
        }
        fmt::print("{:<9} {:<14} {:<8} {}\n", e.indicator.code, framework::Name(e.comparability),
                   kinds, e.indicator.name.Get());
    }
    return 0;
}

int RunServe(const ServeArgs& args) {
    auto store = OpenStore(args.db);
    if (!store) {
        return Report(store.error());
    }
    auto catalog = app::Catalog::Load(**store);
    if (!catalog) {
        return Report(catalog.error());
    }
    // Block the stop signals in every thread; the main thread waits for them below.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    server::Server server(server::BuildRoutes(*catalog, **store));
    server::ServerOptions options;
    options.bind = args.bind;
    options.port = args.port;
    options.threads = args.threads;
    if (auto bound = server.Bind(options); !bound) {
        return Report(bound.error());
    }
    if ((*catalog)->demo_label()) {
        log::Warn("{}", *(*catalog)->demo_label());
    }
    log::Info("rapporteur serving {} on http://{}:{}/", (*store)->target().ToDisplayString(),
              args.bind, server.port());
    std::atomic<bool> done{false};
    Status listened = Ok();
    std::thread listener([&] {
        listened = server.Listen();
        done = true;
    });
    while (!done) {
        timespec timeout{1, 0};
        const int sig = sigtimedwait(&signals, nullptr, &timeout);
        if (sig == SIGINT || sig == SIGTERM) {
            log::Info("stopping (signal {})", sig);
            server.Stop();
            break;
        }
    }
    listener.join();
    if (!listened) {
        return Report(listened.error());
    }
    return 0;
}

}  // namespace rap::cli
