// SPDX-License-Identifier: AGPL-3.0-or-later
// `rapporteur`: the command line. The only translation unit that includes CLI11.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/log.hpp"
#include "core/version.hpp"

int main(int argc, char** argv) {
    using rap::cli::kDefaultDb;
    CLI::App app{
        "rapporteur: monitoring of anti-trafficking policy and the protection of trafficking "
        "victims against a regional indicator framework adapted by each country.",
        "rapporteur"};
    app.set_version_flag("--version", std::string(rap::core::kVersion));
    app.require_subcommand(1);
    std::string log_level = "info";
    app.add_option("--log-level", log_level, "debug, info, warn, error or off")
        ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
    const std::string db_help =
        "SQLite database file, or a postgresql://user@host:port/dbname URL";

    rap::cli::InitArgs init;
    auto* init_cmd = app.add_subcommand(
        "init", "Create or upgrade a database and load the shipped frameworks, codelists and "
                "countries (safe to repeat)");
    init_cmd->add_option("--db", init.db, db_help)->capture_default_str();
    init_cmd->add_flag("--demo", init.demo,
                       "Mark the database as a demonstration holding synthetic data only");
    init_cmd->add_option("--data-dir", init.data_dir,
                         "Load reference data from this directory instead of the built-in data");

    rap::cli::ServeArgs serve;
    auto* serve_cmd =
        app.add_subcommand("serve", "Serve the web pages and the JSON API (/api/v1)");
    serve_cmd->add_option("--db", serve.db, db_help)->capture_default_str();
    serve_cmd->add_option("--port", serve.port, "TCP port (0 picks a free one)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serve_cmd->add_option("--bind", serve.bind,
                          "Address to listen on; 0.0.0.0 exposes the server to the network "
                          "(put a reverse proxy with TLS in front)")
        ->capture_default_str();
    serve_cmd->add_option("--threads", serve.threads, "Worker threads")
        ->check(CLI::Range(2, 256))
        ->capture_default_str();

    auto* fw_cmd = app.add_subcommand("framework", "Check and inspect indicator frameworks");
    fw_cmd->require_subcommand(1);
    rap::cli::ValidateArgs validate;
    auto* validate_cmd = fw_cmd->add_subcommand(
        "validate", "Check framework, codelist and countries files; exit 2 with file:line:column "
                    "for every problem");
    validate_cmd->add_option("files", validate.files, "YAML files")->required();

    rap::cli::ShowArgs show;
    std::string show_format = "text";
    auto* show_cmd = fw_cmd->add_subcommand(
        "show", "Show the effective framework of a country (or the regional core), or one "
                "indicator");
    show_cmd->add_option("--db", show.db, db_help)->capture_default_str();
    show_cmd->add_option("--country", show.country, "ISO code: AL, BA, ME, MK or RS");
    show_cmd->add_option("--framework", show.framework, "Framework id (instead of --country)")
        ->excludes(show_cmd->get_option("--country"));
    show_cmd->add_option("--framework-version", show.version, "Framework version (with --framework; default the highest)");
    show_cmd->add_option("code", show.code, "Indicator code, e.g. ID.2");
    show_cmd->add_option("--format", show_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    rap::log::Level level = rap::log::Level::kInfo;
    rap::log::ParseLevel(log_level, &level);
    rap::log::SetLevel(level);

    if (init_cmd->parsed()) {
        return rap::cli::RunInit(init);
    }
    if (serve_cmd->parsed()) {
        return rap::cli::RunServe(serve);
    }
    if (validate_cmd->parsed()) {
        return rap::cli::RunFrameworkValidate(validate);
    }
    if (show_cmd->parsed()) {
        show.format = show_format == "json" ? rap::cli::OutputFormat::kJson
                                            : rap::cli::OutputFormat::kText;
        return rap::cli::RunFrameworkShow(show);
    }
    return 2;
}
