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

    rap::cli::ImportArgs import_args;
    auto* import_cmd = app.add_subcommand("import", "Import data files");
    import_cmd->require_subcommand(1);
    auto* import_cases_cmd = import_cmd->add_subcommand(
        "cases", "Import anonymised case records from CSV or XLSX (all files or nothing; records "
                 "already stored are updated)");
    import_cases_cmd->add_option("files", import_args.files, "CSV or XLSX files")->required();
    import_cases_cmd->add_option("--db", import_args.db, db_help)->capture_default_str();
    import_cases_cmd->add_option("--country", import_args.country,
                                 "Refuse records of any other country (AL, BA, ME, MK, RS)");
    import_cases_cmd->add_flag("--dry-run", import_args.dry_run,
                               "Check everything and report, but write nothing");
    import_cases_cmd->add_flag("--no-compute", import_args.no_compute,
                               "Do not recompute values now (`rapporteur compute` later)");

    rap::cli::ComputeArgs compute_args;
    auto* compute_cmd = app.add_subcommand(
        "compute", "Compute the case-derived indicators whose stored values are out of date");
    compute_cmd->add_option("--db", compute_args.db, db_help)->capture_default_str();
    compute_cmd->add_flag("--all", compute_args.all, "Recompute every country and year");
    compute_cmd->add_flag("--rebuild", compute_args.rebuild,
                          "Re-encode the stored case snapshots under the current schema and "
                          "codelists first");

    rap::cli::ValuesArgs values_args;
    std::string values_format = "table";
    auto* values_cmd = app.add_subcommand(
        "values", "Show computed values of a case-derived indicator, with its breakdowns");
    values_cmd->add_option("--db", values_args.db, db_help)->capture_default_str();
    values_cmd->add_option("--indicator", values_args.indicator, "Indicator code, e.g. ID.5")
        ->required();
    values_cmd->add_option("--country", values_args.country, "AL, BA, ME, MK or RS")->required();
    values_cmd->add_option("--year", values_args.year, "Reporting year")->required();
    values_cmd->add_option("--by", values_args.by,
                           "Up to two dimensions, comma-separated (e.g. sex,age); none: totals");
    values_cmd->add_option("--measure", values_args.measure,
                           "One measure of a combined indicator (default: all)");
    values_cmd->add_option("--format", values_format, "table, csv or json")
        ->check(CLI::IsMember({"table", "csv", "json"}))
        ->capture_default_str();
    values_cmd->add_flag("--unprotected", values_args.unprotected,
                         "Show small counts too (no disclosure control): for internal use by "
                         "those entitled to see the case records, never for publication");

    rap::cli::TemplateArgs template_args;
    auto* template_cmd = app.add_subcommand("template", "Write empty import templates");
    template_cmd->require_subcommand(1);
    auto* template_cases_cmd = template_cmd->add_subcommand(
        "cases", "Case-record templates with the allowed values of every coded column");
    template_cases_cmd->add_option("--format", template_args.format, "xlsx or csv")
        ->check(CLI::IsMember({"xlsx", "csv"}))
        ->capture_default_str();
    template_cases_cmd->add_option("-o,--output", template_args.out_dir, "Directory")
        ->capture_default_str();

    rap::cli::ExportArgs export_args;
    auto* export_cmd = app.add_subcommand("export", "Export stored data");
    export_cmd->require_subcommand(1);
    auto* export_cases_cmd = export_cmd->add_subcommand(
        "cases", "Case records in the import format, for internal use only");
    export_cases_cmd->add_option("--db", export_args.db, db_help)->capture_default_str();
    export_cases_cmd->add_option("--format", export_args.format, "csv or xlsx")
        ->check(CLI::IsMember({"xlsx", "csv"}))
        ->capture_default_str();
    export_cases_cmd->add_option("-o,--output", export_args.out_dir, "Directory")
        ->capture_default_str();
    export_cases_cmd->add_option("--country", export_args.country, "Only this country");

    rap::cli::GenerateArgs generate_args;
    auto* generate_cmd = app.add_subcommand("generate", "Generate synthetic data");
    generate_cmd->require_subcommand(1);
    auto* generate_cases_cmd = generate_cmd->add_subcommand(
        "cases", "Write synthetic case records (identifiers start with SYN-) as import files, "
                 "for training and benchmarks");
    generate_cases_cmd->add_option("--victims", generate_args.victims,
                                   "About this many victims in all (default: realistic volumes)")
        ->check(CLI::Range(0LL, 50'000'000LL));
    generate_cases_cmd->add_option("--seed", generate_args.seed, "Random seed")
        ->capture_default_str();
    generate_cases_cmd->add_option("-o,--output", generate_args.out_dir, "Directory")
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
    if (import_cases_cmd->parsed()) {
        return rap::cli::RunImportCases(import_args);
    }
    if (compute_cmd->parsed()) {
        return rap::cli::RunCompute(compute_args);
    }
    if (values_cmd->parsed()) {
        values_args.format = values_format == "json"  ? rap::cli::ValuesFormat::kJson
                             : values_format == "csv" ? rap::cli::ValuesFormat::kCsv
                                                      : rap::cli::ValuesFormat::kTable;
        return rap::cli::RunValues(values_args);
    }
    if (template_cases_cmd->parsed()) {
        return rap::cli::RunTemplateCases(template_args);
    }
    if (export_cases_cmd->parsed()) {
        return rap::cli::RunExportCases(export_args);
    }
    if (generate_cases_cmd->parsed()) {
        return rap::cli::RunGenerateCases(generate_args);
    }
    if (show_cmd->parsed()) {
        show.format = show_format == "json" ? rap::cli::OutputFormat::kJson
                                            : rap::cli::OutputFormat::kText;
        return rap::cli::RunFrameworkShow(show);
    }
    return 2;
}
