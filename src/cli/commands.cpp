// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/commands.hpp"

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <thread>

#include <fmt/format.h>

#include "app/cases.hpp"
#include "app/catalog.hpp"
#include "app/monitoring.hpp"
#include "app/setup.hpp"
#include "app/shipped_data.hpp"
#include "cli/output.hpp"
#include "core/diagnostics.hpp"
#include "core/log.hpp"
#include "server/json_codec.hpp"
#include "server/server.hpp"
#include "store/store.hpp"

namespace rap::cli {

Status RunInit(const InitArgs& args) {
    auto store = RAP_TRY(OpenStore(args.db, CreateDb::kYes));
    core::Diagnostics diags;
    app::InitOptions options;
    options.demo = args.demo;
    options.data_dir = args.data_dir;
    auto report = app::InitDatabase(*store, options, diags);
    if (!report) {
        return Fail(Problems(diags, report.error()));
    }
    fmt::print("database {} ({}): schema version {}, {} migration{} applied\n",
               store->target().ToDisplayString(), store::Name(store->backend()),
               report->schema_version, report->migrations_applied,
               report->migrations_applied == 1 ? "" : "s");
    for (const auto& item : report->saved.items) {
        fmt::print("  {:<9} {:<14} {:<8} {}\n", framework::Name(item.type), item.name, item.version,
                   item.stored ? "stored" : "already stored, unchanged");
    }
    fmt::print("{} file{} stored, {} unchanged\n", report->saved.stored(),
               report->saved.stored() == 1 ? "" : "s", report->saved.unchanged());
    if (report->demo_victims > 0) {
        fmt::print(
            "{} synthetic victim records generated and imported, with proceedings and "
            "claims\n",
            report->demo_victims);
    }
    if (report->demo_cycles > 0) {
        fmt::print(
            "{} synthetic monitoring cycles generated (2022-2024 published, 2025 open), "
            "with institutions, requests, evidence, reviews and recommendations\n",
            report->demo_cycles);
    }
    if (report->demo) {
        fmt::print("{}\n", app::kDemoLabel);
    }
    return Ok();
}

Status RunFrameworkValidate(const ValidateArgs& args) {
    core::Diagnostics diags;
    auto result = app::ValidateFiles(args.files, diags);
    if (!result) {
        // A file that does not pass is bad input (exit code 2), whatever its problems are.
        return Fail(Problems(
            diags, result.error(),
            Error{Errc::kInvalidArgument,
                  fmt::format("{} in {}", Plural(static_cast<long long>(diags.size()), "problem"),
                              Plural(static_cast<long long>(args.files.size()), "file")),
                  {}}));
    }
    for (const auto& f : *result) {
        fmt::print("ok  {}  {} {} {}: {}\n", f.file, framework::Name(f.type), f.name, f.version,
                   f.detail);
    }
    return Ok();
}

Status RunFrameworkShow(const ShowArgs& args) {
    auto session = RAP_TRY(LoadSession(args.db));
    auto eff =
        RAP_TRY(args.framework.empty() ? session.catalog->EffectiveForCountry(args.country)
                                       : session.catalog->Effective(args.framework, args.version));
    const framework::EffectiveFramework& fw = *eff;
    if (!args.code.empty()) {
        const framework::EffectiveIndicator* ind = fw.Find(args.code);
        if (ind == nullptr) {
            return Fail(Errc::kNotFound,
                        fmt::format("no indicator '{}' in {} {}", args.code, fw.id, fw.version));
        }
        if (args.format == OutputFormat::kJson) {
            fmt::print("{}\n", server::json::Indicator(*session.catalog, fw, *ind));
            return Ok();
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
                       framework::Name(m.direction), m.name.empty() ? "" : " - " + m.name.Get());
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
        return Ok();
    }
    if (args.format == OutputFormat::kJson) {
        fmt::print("{}\n", server::json::Indicators(*session.catalog, fw));
        return Ok();
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
    return Ok();
}

Status RunServe(const ServeArgs& args) {
    auto session = RAP_TRY(LoadSession(args.db));
    // Block the stop signals in every thread; the main thread waits for them below.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    server::Server server(server::BuildRoutes(session.catalog, *session.store));
    server::ServerOptions options;
    options.bind = args.bind;
    options.port = args.port;
    options.threads = args.threads;
    RAP_TRY_STATUS(server.Bind(options));
    if (session.catalog->demo_label()) {
        log::Warn("{}", *session.catalog->demo_label());
    }
    log::Info("rapporteur serving {} on http://{}:{}/", session.store->target().ToDisplayString(),
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
    return listened;
}

Status RunImportCases(const ImportArgs& args) {
    auto session = RAP_TRY(LoadSession(args.db));
    app::ImportOptions options;
    options.dry_run = args.dry_run;
    options.compute = !args.no_compute;
    if (!args.dry_run) {
        options.actor = RAP_TRY(UserName(args.user));
    }
    if (!args.country.empty()) {
        options.country = args.country;
    }
    core::Diagnostics diags;
    auto report = app::ImportCases(*session.store, *session.catalog, args.files, options, diags);
    if (!report) {
        return Fail(Problems(diags, report.error()));
    }
    for (const auto& r : report->records) {
        fmt::print("  {:<18} {:>9} rows: {:>9} new, {:>9} updated, {:>9} unchanged\n", r.record,
                   r.rows, r.inserted, r.updated, r.unchanged);
    }
    if (report->dry_run) {
        fmt::print(
            "dry run: every row is valid; {} partitions would change; nothing was "
            "written\n",
            report->partitions.size());
        return Ok();
    }
    if (report->nothing_changed) {
        fmt::print("nothing changed: every record is stored as it is (data version {}); nothing "
                   "was written\n",
                   report->data_version);
        return Ok();
    }
    fmt::print("imported as data version {}; {} partitions changed; {} values recomputed\n",
               report->data_version, report->partitions.size(), report->values_computed);
    return Ok();
}

Status RunCompute(const ComputeArgs& args) {
    auto session = RAP_TRY(LoadSession(args.db));
    if (args.rebuild) {
        const auto& data = session.catalog->data();
        if (!data.case_schema) {
            return Fail(Errc::kFailedPrecondition, "no case-record schema is loaded");
        }
        RAP_TRY_STATUS(session.store->RebuildPartitions(*data.case_schema, data.codelists));
        fmt::print("case snapshots re-encoded under the current schema and codelists\n");
    }
    const app::ComputeReport report = RAP_TRY(app::ComputeValues(
        *session.store, *session.catalog,
        args.all || args.rebuild ? app::ComputeMode::kAll : app::ComputeMode::kStale));
    if (report.computed.empty()) {
        fmt::print("values are up to date (data version {})\n", report.data_version);
        return Ok();
    }
    fmt::print("computed {} values for {} country-years (data version {})\n", report.values,
               report.computed.size(), report.data_version);
    return Ok();
}

Status RunValues(const ValuesArgs& args) {
    auto session = RAP_TRY(LoadSession(args.db));
    app::ValuesQuery q;
    q.indicator = args.indicator;
    q.country = args.country;
    q.year = args.year;
    q.measure = args.measure;
    q.protect = !args.unprotected;
    for (size_t start = 0; start < args.by.size();) {
        size_t end = args.by.find(',', start);
        if (end == std::string::npos) {
            end = args.by.size();
        }
        if (end > start) {
            q.by.push_back(args.by.substr(start, end - start));
        }
        start = end + 1;
    }
    const std::string user = q.protect ? "" : RAP_TRY(UserName(args.user));
    auto values = RAP_TRY(app::QueryValues(*session.store, *session.catalog, q));
    // The breakdowns asked for, as dimension codes.
    std::vector<std::string> dims;
    for (const auto& b : q.by) {
        std::string d;
        for (char c : b) {
            d += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        dims.push_back(d);
    }
    if (!q.protect) {
        // Small counts are about to be shown: audited (see monitoring::CaseDataAccessed).
        std::string what = fmt::format("{} {}", q.indicator, q.year);
        for (size_t i = 0; i < dims.size(); ++i) {
            what += (i == 0 ? " by " : ",") + dims[i];
        }
        if (!q.measure.empty()) {
            what += ", measure " + q.measure;
        }
        RAP_TRY_STATUS(app::RecordCaseAccess(
            *session.store, *session.catalog, user, q.country,
            monitoring::CaseDataAccessed{monitoring::CaseAccess::kUnprotectedValues, what,
                                         static_cast<long long>(values.size())}));
    }
    if (args.format == ValuesFormat::kJson) {
        fmt::print("{}\n", server::json::Values(*session.catalog, q, values));
        return Ok();
    }
    // Columns in the order asked for, then any breakdown the values always carry (AS.2's
    // services).
    for (const auto& v : values) {
        for (const auto& [d, c] : v.by) {
            if (std::find(dims.begin(), dims.end(), d) == dims.end()) {
                dims.push_back(d);
            }
        }
    }
    std::vector<std::string> header = {"measure"};
    header.insert(header.end(), dims.begin(), dims.end());
    for (const char* h : {"value", "numerator", "denominator", "p90", "records"}) {
        header.emplace_back(h);
    }
    const privacy::DisclosureRule rule = app::DisclosureRuleFor(*session.catalog, q.country);
    auto threshold = [&](const engine::Value& v) {
        return std::to_string(v.by.size() >= 2 ? rule.cross_threshold : rule.threshold);
    };
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : values) {
        std::vector<std::string> row = {v.measure};
        for (const auto& d : dims) {
            std::string cell;
            for (const auto& [dim, c] : v.by) {
                if (dim == d) {
                    cell = c.empty() ? "(not recorded)" : c;
                }
            }
            row.push_back(cell);
        }
        if (v.suppression == engine::Suppression::kShown) {
            row.push_back(Number(v.value));
            row.push_back(Number(v.numerator));
            row.push_back(Number(v.denominator));
            row.push_back(Number(v.p90));
            row.push_back(std::to_string(v.records));
        } else {
            // A small count is shown as such; a value hidden to protect one shows nothing.
            const std::string shown =
                v.suppression == engine::Suppression::kPrimary ? "<" + threshold(v) : "x";
            row.insert(row.end(), {shown, "", "", "", ""});
        }
        rows.push_back(std::move(row));
    }
    const Table table{std::move(header), std::move(rows), {}};
    if (args.format == ValuesFormat::kTable) {
        fmt::print("{} {} {}{}\n", q.indicator, q.country, q.year,
                   session.catalog->demo_label() ? "  (SYNTHETIC DEMO DATA)" : "");
    }
    PrintTable(table, args.format);
    if (args.format == ValuesFormat::kCsv) {
        return Ok();
    }
    if (table.rows.empty()) {
        fmt::print("(no case records for {} in {})\n", q.country, q.year);
    } else if (q.protect) {
        fmt::print(
            "Disclosure control: <{} a count below {} (<{} in two-way breakdowns); x hidden "
            "so that such a count cannot be worked out from the others.\n",
            rule.threshold, rule.threshold, rule.cross_threshold);
    } else {
        fmt::print(
            "UNPROTECTED: small counts are shown. For internal use only; never publish "
            "these figures.\n");
    }
    return Ok();
}

Status RunTemplateCases(const TemplateArgs& args) {
    auto data = RAP_TRY(app::ShippedReferenceData());
    auto files = RAP_TRY(app::WriteCaseTemplates(
        *data, args.format == "csv" ? app::TableFormat::kCsv : app::TableFormat::kXlsx,
        args.out_dir));
    for (const auto& f : files) {
        fmt::print("{}\n", f);
    }
    return Ok();
}

Status RunExportCases(const ExportArgs& args) {
    auto session = RAP_TRY(LoadSession(args.db));
    auto user = RAP_TRY(UserName(args.user));
    auto files = RAP_TRY(
        app::ExportCases(*session.store, *session.catalog,
                         args.format == "xlsx" ? app::TableFormat::kXlsx : app::TableFormat::kCsv,
                         args.out_dir, args.country, user));
    for (const auto& f : files) {
        fmt::print("{}\n", f);
    }
    fmt::print(stderr,
               "These files hold case records: keep them inside your organisation; public outputs "
               "go through disclosure control.\n");
    return Ok();
}

Status RunGenerateCases(const GenerateArgs& args) {
    auto data = RAP_TRY(app::ShippedReferenceData());
    app::SyntheticOptions options;
    options.seed = args.seed;
    options.total_victims = args.victims;
    auto files = RAP_TRY(app::WriteSyntheticCaseFiles(*data, options, args.out_dir));
    for (const auto& f : files) {
        fmt::print("{}\n", f);
    }
    return Ok();
}

int Exit(const Status& done) {
    return done ? 0 : Report(done.error());
}

}  // namespace rap::cli
