// SPDX-License-Identifier: AGPL-3.0-or-later
// `rapporteur`: the command line. The only translation unit that includes CLI11.
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/monitoring_commands.hpp"
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
    import_cases_cmd->add_option("--user", import_args.user,
                                 "Your name, recorded in the audit log with the import (default: "
                                 "$RAPPORTEUR_USER, else $USER)");

    rap::cli::ComputeArgs compute_args;
    auto* compute_cmd = app.add_subcommand(
        "compute", "Compute the case-derived indicators whose stored values are out of date");
    compute_cmd->add_option("--db", compute_args.db, db_help)->capture_default_str();
    compute_cmd->add_flag("--all", compute_args.all, "Recompute every country and year");
    compute_cmd->add_flag("--rebuild", compute_args.rebuild,
                          "Re-encode the stored case snapshots under the current schema and "
                          "codelists first");

    const std::string read_user_help =
        "Your name, recorded in the audit log with this access to case data (default: "
        "$RAPPORTEUR_USER, else $USER)";
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
    values_cmd->add_option("--user", values_args.user, read_user_help + "; with --unprotected");

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
    export_cases_cmd->add_option("--user", export_args.user, read_user_help);

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

    // --- Monitoring cycles (cli/monitoring_commands.hpp). Every subcommand binds into `mon`;
    // only the one parsed runs.
    using MC = rap::cli::MonitoringCommand;
    rap::cli::MonitoringArgs mon;
    std::vector<std::pair<CLI::App*, MC>> monitoring;
    const std::string user_help =
        "Your name, recorded as the actor of the change in the audit log (default: "
        "$RAPPORTEUR_USER, else $USER). It is not checked: sign-in comes with the web interface";
    // A leaf subcommand; `changes` adds --user.
    enum class Changes { kNo, kYes };
    auto leaf = [&](CLI::App* parent, const char* name, const char* help, MC command,
                    Changes changes) {
        auto* cmd = parent->add_subcommand(name, help);
        cmd->add_option("--db", mon.db, db_help)->capture_default_str();
        if (changes == Changes::kYes) {
            cmd->add_option("--user", mon.user, user_help);
        }
        monitoring.emplace_back(cmd, command);
        return cmd;
    };
    auto group = [&](const char* name, const char* help) {
        auto* cmd = app.add_subcommand(name, help);
        cmd->require_subcommand(1);
        return cmd;
    };
    auto list_format = [&](CLI::App* cmd) {
        cmd->add_option("--format", mon.format, "table, csv or json")->capture_default_str();
    };
    auto cycle_arg = [&](CLI::App* cmd) {
        cmd->add_option("cycle", mon.cycle, "Cycle id: country and year, e.g. RS-2025")
            ->required();
    };
    auto key_args = [&](CLI::App* cmd, bool many) {
        auto* keys = cmd->add_option(many ? "keys" : "key", mon.keys,
                                     "INDICATOR or INDICATOR/MEASURE, e.g. LF.4 or CO.8/mechanism");
        if (many) {
            keys->description("Values named as INDICATOR or INDICATOR/MEASURE, optionally with "
                              "@VERSION, the version you looked at (refused if it changed since); "
                              "default: every value in the right state");
        } else {
            keys->required()->expected(1);
        }
        cmd->add_option("--by", mon.by,
                        "Disaggregation, e.g. 'SEX=F;AGE=child' (default: the total)");
        cmd->add_option("--track", mon.track,
                        many ? "official or cso (default: official for the keys named, both "
                               "tracks without keys)"
                             : "official or cso (default official)");
    };
    auto dated = [&](CLI::App* cmd) {
        cmd->add_option("--date", mon.date, "YYYY-MM-DD")->required();
    };

    auto* cycle_cmd = group("cycle", "Monitoring cycles: one per country and year");
    auto* cycle_open = leaf(cycle_cmd, "open", "Open the cycle of a country and year, pinned to "
                            "the framework versions in force now", MC::kCycleOpen, Changes::kYes);
    cycle_open->add_option("country", mon.country, "AL, BA, ME, MK or RS")->required();
    cycle_open->add_option("year", mon.year, "Reporting year")->required();
    cycle_open->add_option("--from", mon.from, "Carry institutions, requests and narratives over "
                           "from this year's cycle");
    auto* cycle_list = leaf(cycle_cmd, "list", "List cycles with their values by workflow state",
                            MC::kCycleList, Changes::kNo);
    cycle_list->add_option("--country", mon.country, "Only this country");
    list_format(cycle_list);
    cycle_arg(leaf(cycle_cmd, "show", "Show a cycle: state, framework versions, values by "
                   "workflow state, requests, overdue, recommendations", MC::kCycleShow,
                   Changes::kNo));
    auto* cycle_completeness =
        leaf(cycle_cmd, "completeness", "Per area, the indicators with a figure, those whose gap "
             "is explained (refused, no response, not collected) and those with nothing yet",
             MC::kCycleCompleteness, Changes::kNo);
    cycle_arg(cycle_completeness);
    list_format(cycle_completeness);
    auto* cycle_check = leaf(cycle_cmd, "check", "Values that changed sharply from the year "
                             "before (to rule out a typing error before validation)",
                             MC::kCycleCheck, Changes::kNo);
    cycle_arg(cycle_check);
    list_format(cycle_check);
    cycle_arg(leaf(cycle_cmd, "publish", "Publish a cycle whose values are all validated",
                   MC::kCyclePublish, Changes::kYes));
    auto* cycle_reopen = leaf(cycle_cmd, "reopen", "Reopen a published cycle for corrections",
                              MC::kCycleReopen, Changes::kYes);
    cycle_arg(cycle_reopen);
    cycle_reopen->add_option("--reason", mon.reason, "Why it is reopened (recorded)")->required();
    auto* cycle_export = leaf(cycle_cmd, "export", "Write the cycle's entry template, filled with "
                              "its current values", MC::kCycleExport, Changes::kNo);
    cycle_arg(cycle_export);
    cycle_export->add_option("--format", mon.format, "xlsx or csv (default xlsx)");
    cycle_export->add_option("-o,--output", mon.output, "Directory")->capture_default_str();
    auto* cycle_import = leaf(cycle_cmd, "import", "Store the changed values of a filled-in entry "
                              "template (all or nothing)", MC::kCycleImport, Changes::kYes);
    cycle_arg(cycle_import);
    cycle_import->add_option("file", mon.file, "CSV or XLSX file")->required();
    cycle_import->add_flag("--dry-run", mon.dry_run, "Check and report, but store nothing");

    auto* value_cmd = group("value", "Values of a cycle: entry, review, history");
    auto* value_set = leaf(value_cmd, "set", "Enter a value (a new draft version) and print it",
                           MC::kValueSet, Changes::kYes);
    cycle_arg(value_set);
    key_args(value_set, false);
    value_set->add_option("--status", mon.status, "provided, partial, estimated, refused, "
                          "no_response, not_collected, not_applicable or true_zero")->required();
    value_set->add_option("--answer", mon.answer, "YN/YNP: yes, partial or no");
    value_set->add_option("--score", mon.score, "SC3: 0-3, see the indicator's rubric");
    value_set->add_option("--justification", mon.justification, "SC3: what the score rests on");
    value_set->add_option("--value", mon.value, "NUM: the count; PCT: the percentage; MED: the "
                          "median");
    value_set->add_option("--numerator", mon.numerator, "PCT, RATE: the numerator");
    value_set->add_option("--denominator", mon.denominator, "PCT: the denominator");
    value_set->add_option("--n", mon.n, "MED: number of cases");
    value_set->add_option("--p90", mon.p90, "MED: 90th percentile");
    value_set->add_option("--amount", mon.amount, "AMT: the amount");
    value_set->add_option("--currency", mon.currency, "AMT: the national currency or EUR");
    value_set->add_option("--source-type", mon.source_type, "institution, document or request");
    value_set->add_option("--source", mon.source, "Institution id, document title or URL, or "
                          "request id");
    value_set->add_option("--note", mon.note, "A note kept with this version");
    auto* value_list = leaf(value_cmd, "list", "List the current values of a cycle, with "
                            "disagreements between tracks and where derived values come from",
                            MC::kValueList, Changes::kNo);
    cycle_arg(value_list);
    value_list->add_option("--indicator", mon.indicator, "An indicator code or an area code");
    value_list->add_option("--track", mon.track, "official, cso or derived");
    value_list->add_option("--state", mon.state, "draft, submitted, returned, validated or "
                           "published");
    value_list->add_flag("--no-derived", mon.no_derived, "Leave out the values rapporteur derives");
    list_format(value_list);
    auto* value_history = leaf(value_cmd, "history", "Every version of a value, and its evidence",
                               MC::kValueHistory, Changes::kNo);
    cycle_arg(value_history);
    key_args(value_history, false);
    list_format(value_history);
    for (auto [name, help, command] :
         {std::tuple{"submit", "Submit draft or returned values for review", MC::kValueSubmit},
          std::tuple{"validate", "Validate submitted values (not your own)", MC::kValueValidate},
          std::tuple{"return", "Return submitted values to their author, with a comment",
                     MC::kValueReturn},
          std::tuple{"reopen", "Reopen validated or published values, with a reason",
                     MC::kValueReopen}}) {
        auto* cmd = leaf(value_cmd, name, help, command, Changes::kYes);
        cycle_arg(cmd);
        key_args(cmd, true);
        cmd->add_option("--indicator", mon.indicator, "Without keys: every value of this "
                        "indicator or area in the right state (default: of the whole cycle)");
        cmd->add_option("--comment", mon.comment, "What to change (return), why (reopen), or "
                        "the answer to a reviewer's return (submit)");
    }

    auto* evidence_cmd = group("evidence", "Evidence behind values");
    auto* evidence_add = leaf(evidence_cmd, "add", "Add evidence to a value", MC::kEvidenceAdd,
                              Changes::kYes);
    cycle_arg(evidence_add);
    key_args(evidence_add, false);
    evidence_add->add_option("--type", mon.type, "law_article, court_decision, report, url or "
                             "file")->required();
    evidence_add->add_option("--title", mon.title, "What it is, e.g. 'Criminal Code, Art. 388'")
        ->required();
    evidence_add->add_option("--citation", mon.citation, "Article, paragraph, page");
    evidence_add->add_option("--url", mon.url, "Where to find it");
    evidence_add->add_option("--file", mon.file, "A file to attach");
    evidence_add->add_option("--date", mon.date, "Its date, YYYY-MM-DD");
    evidence_add->add_option("--reliability", mon.reliability, "high, medium (default) or low");

    auto* score_cmd = leaf(&app, "score", "Area scores of a cycle: score, band, coverage, law, "
                           "practice, gap, caps", MC::kScore, Changes::kNo);
    cycle_arg(score_cmd);
    score_cmd->add_flag("--explain", mon.explain, "Print how every area's score was made");
    list_format(score_cmd);
    auto* compare_cmd = leaf(&app, "compare", "Regional figure of an indicator across the "
                             "comparable countries, and who is left out and why", MC::kCompare,
                             Changes::kNo);
    compare_cmd->add_option("indicator", mon.keys, "INDICATOR or INDICATOR/MEASURE")
        ->required()
        ->expected(1);
    compare_cmd->add_option("--year", mon.year, "Reporting year")->required();
    list_format(compare_cmd);

    auto* institution_cmd = group("institution", "Register of institutions asked for data");
    auto* institution_add = leaf(institution_cmd, "add", "Register or update an institution",
                                 MC::kInstitutionAdd, Changes::kYes);
    institution_add->add_option("country", mon.country, "AL, BA, ME, MK or RS")->required();
    institution_add->add_option("id", mon.id, "A short id, e.g. MUP")->required();
    institution_add->add_option("--name", mon.name, "Full name")->required();
    institution_add->add_option("--type", mon.type, "A code of the INST codelist, e.g. MoI, PPO, "
                                "court, social_ministry, centre_for_victims, cso")->required();
    institution_add->add_option("--email", mon.email, "Address for requests");
    institution_add->add_option("--region", mon.region,
                                "Where it is seated, a code of the REG codelist (BA-FBIH, BA-SRP, "
                                "BA-BD, BA-STATE): its deadlines count that region's holidays");
    institution_add->add_option("--cycle", mon.cycle, "Also put it in scope of this cycle");
    auto* institution_list = leaf(institution_cmd, "list", "List a country's institutions",
                                  MC::kInstitutionList, Changes::kNo);
    institution_list->add_option("country", mon.country, "AL, BA, ME, MK or RS")->required();
    list_format(institution_list);

    auto* request_cmd = group("request", "Information requests (freedom of information)");
    auto* request_add = leaf(request_cmd, "add", "Draft (or record as sent) a request",
                             MC::kRequestAdd, Changes::kYes);
    cycle_arg(request_add);
    request_add->add_option("--institution", mon.institution, "Institution id")->required();
    request_add->add_option("--item", mon.items, "INDICATOR[:DIMENSIONS[:PERIOD]] (e.g. ID.1:SEX;AGE:2025), "
                            "repeatable")->required();
    request_add->add_option("--channel", mon.channel, "email (default), post, portal or "
                            "in_person");
    request_add->add_option("--sent", mon.sent, "Date sent, YYYY-MM-DD (default: not sent yet)");
    const char* urgent_help =
        "The urgent procedure: the information is needed to protect someone's life or freedom "
        "(RS, ME: answer within 48 hours)";
    request_add->add_flag("--urgent", mon.urgent, urgent_help);
    auto request_leaf = [&](const char* name, const char* help, MC command) {
        auto* cmd = leaf(request_cmd, name, help, command, Changes::kYes);
        cmd->add_option("id", mon.id, "Request id, e.g. RS-2025-R01")->required();
        dated(cmd);
        return cmd;
    };
    auto* request_send = request_leaf("send", "Record that a request was sent", MC::kRequestSend);
    request_send->add_option("--channel", mon.channel, "email, post, portal or in_person");
    request_send->add_flag("--urgent", mon.urgent, urgent_help);
    request_send->add_flag("--correct", mon.correct, "Replace the date sent recorded before (a "
                           "correction; the earlier version stays in the history)");
    auto* request_reply = request_leaf("reply", "Record the reply to a request",
                                       MC::kRequestReply);
    request_reply->add_option("--response", mon.response, "full, partial, refused, not_held, "
                              "forwarded or no_response")->required();
    request_reply->add_option("--ground", mon.ground, "Refusal ground: personal_data, "
                              "ongoing_proceedings, classified, not_public_information or other");
    request_reply->add_option("--item", mon.items, "INDICATOR=provided|partial|refused|not_held, "
                              "repeatable (default: every item follows the response)");
    request_reply->add_option("--file", mon.file, "The reply as a file to attach");
    request_leaf("extend", "Record that the institution extended its deadline",
                 MC::kRequestExtend);
    request_leaf("forward", "Record that the request was forwarded to another body",
                 MC::kRequestForward);
    request_leaf("complain", "Record a complaint to the appeal body", MC::kRequestComplain)
        ->add_option("--note", mon.note, "A note on the complaint");
    request_leaf("decide-complaint", "Record the decision on the pending complaint",
                 MC::kRequestDecideComplaint)
        ->add_option("--outcome", mon.outcome, "upheld, rejected or information_released")
        ->required();
    auto* request_list = leaf(request_cmd, "list", "List a cycle's requests with their legal "
                              "deadlines", MC::kRequestList, Changes::kNo);
    cycle_arg(request_list);
    request_list->add_option("--today", mon.today, "Count overdue as of this date (default today)");
    list_format(request_list);
    auto* request_overdue = leaf(request_cmd, "overdue", "Requests past their legal deadline "
                                 "without a reply", MC::kRequestOverdue, Changes::kNo);
    request_overdue->add_option("--country", mon.country, "Only this country");
    request_overdue->add_option("--today", mon.today, "As of this date (default today)");
    list_format(request_overdue);
    auto* request_figures = leaf(request_cmd, "figures", "DP.5-DP.8 from a cycle's register, in "
                                 "total and per institution", MC::kRequestFigures, Changes::kNo);
    cycle_arg(request_figures);
    request_figures->add_option("--as-of", mon.as_of, "The register as of this date (default "
                                "today)");
    list_format(request_figures);

    leaf(request_cmd, "show", "Show a request, its legal deadline and how the deadline is "
         "counted", MC::kRequestShow, Changes::kNo)
        ->add_option("id", mon.id, "Request id, e.g. RS-2025-R01")
        ->required();
    auto* request_holidays = leaf(request_cmd, "holidays", "The public holidays and days in "
                                  "lieu a country's legal deadlines skip", MC::kRequestHolidays,
                                  Changes::kNo);
    request_holidays->add_option("country", mon.country, "AL, BA, ME, MK or RS")->required();
    request_holidays->add_option("year", mon.year, "Year (default this year)");
    request_holidays->add_option("--region", mon.region,
                                 "Add the days off of bodies seated in this region (a REG code, "
                                 "e.g. BA-SRP)");
    list_format(request_holidays);

    auto* rec_cmd = group("recommendation", "Recommendations and their follow-up");
    auto* rec_add = leaf(rec_cmd, "add", "Record a recommendation", MC::kRecommendationAdd,
                         Changes::kYes);
    cycle_arg(rec_add);
    rec_add->add_option("--text", mon.text, "The recommendation")->required();
    rec_add->add_option("--source", mon.source, "own (default), greta, committee_of_the_parties "
                        "or other");
    rec_add->add_option("--body", mon.body, "Who issued it, for --source other");
    rec_add->add_option("--urgency", mon.urgency, "urge, consider, invite or unknown (default)");
    rec_add->add_option("--indicator", mon.indicators, "Indicator it concerns, repeatable");
    rec_add->add_option("--institution", mon.institutions, "Institution it is addressed to, "
                        "repeatable");
    rec_add->add_option("--issued", mon.issued, "Date issued, YYYY-MM-DD");
    auto* rec_follow = leaf(rec_cmd, "follow-up", "Record how far a recommendation was "
                            "implemented", MC::kRecommendationFollowUp, Changes::kYes);
    rec_follow->add_option("id", mon.id, "Recommendation id, e.g. RS-2025-REC01")->required();
    rec_follow->add_option("--cycle", mon.cycle, "The cycle that looked at it")->required();
    rec_follow->add_option("--status", mon.status, "implemented, partly, not_implemented or "
                           "no_information")->required();
    rec_follow->add_option("--evidence", mon.evidence, "What shows it");
    rec_follow->add_option("--url", mon.url, "Where to find that");
    rec_follow->add_option("--note", mon.note, "A note");
    auto* rec_list = leaf(rec_cmd, "list", "List a country's recommendations",
                          MC::kRecommendationList, Changes::kNo);
    rec_list->add_option("country", mon.country, "AL, BA, ME, MK or RS")->required();
    list_format(rec_list);

    auto* narrative_cmd = group("narrative", "Narrative sections of a cycle's report");
    auto* narrative_set = leaf(narrative_cmd, "set", "Save a narrative section (Markdown)",
                               MC::kNarrativeSet, Changes::kYes);
    cycle_arg(narrative_set);
    narrative_set->add_option("section", mon.section, "e.g. summary, or an area code")
        ->required();
    auto* narrative_text = narrative_set->add_option("--text", mon.text, "The text");
    narrative_set->add_option("--file", mon.file, "Read the text from this file")
        ->excludes(narrative_text);

    auto* attachment_cmd = group("attachment", "Files attached to evidence and information "
                                 "requests");
    auto* attachment_list = leaf(attachment_cmd, "list", "The files attached in a cycle, with "
                                 "what refers to each", MC::kAttachmentList, Changes::kNo);
    cycle_arg(attachment_list);
    list_format(attachment_list);
    auto* attachment_get = leaf(attachment_cmd, "get", "Write a stored file out (never over an "
                                "existing one)", MC::kAttachmentGet, Changes::kNo);
    attachment_get->add_option("sha256", mon.id, "The file's SHA-256, as `attachment list` shows "
                               "it")->required();
    attachment_get->add_option("-o,--output", mon.output, "File to write, or a directory to "
                               "write it into under its own name")->capture_default_str();

    auto* audit_cmd = group("audit", "The audit log of every monitoring change");
    leaf(audit_cmd, "verify", "Check the chain of hashes of the audit log; exit 1 naming every "
         "broken event", MC::kAuditVerify, Changes::kNo)
        ->add_option("--expect-head", mon.expect_head, "SEQ:HASH printed by an earlier verify: "
                     "also check the log still holds it");
    auto* audit_log = leaf(audit_cmd, "log", "The newest entries of the audit log",
                           MC::kAuditLog, Changes::kNo);
    audit_log->add_option("--country", mon.country, "Only this country");
    audit_log->add_option("--limit", mon.limit, "How many (default 50)");
    list_format(audit_log);

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
        return rap::cli::Exit(rap::cli::RunInit(init));
    }
    if (serve_cmd->parsed()) {
        return rap::cli::Exit(rap::cli::RunServe(serve));
    }
    if (validate_cmd->parsed()) {
        return rap::cli::Exit(rap::cli::RunFrameworkValidate(validate));
    }
    if (import_cases_cmd->parsed()) {
        return rap::cli::Exit(rap::cli::RunImportCases(import_args));
    }
    if (compute_cmd->parsed()) {
        return rap::cli::Exit(rap::cli::RunCompute(compute_args));
    }
    if (values_cmd->parsed()) {
        values_args.format = values_format == "json"  ? rap::cli::ValuesFormat::kJson
                             : values_format == "csv" ? rap::cli::ValuesFormat::kCsv
                                                      : rap::cli::ValuesFormat::kTable;
        return rap::cli::Exit(rap::cli::RunValues(values_args));
    }
    if (template_cases_cmd->parsed()) {
        return rap::cli::Exit(rap::cli::RunTemplateCases(template_args));
    }
    if (export_cases_cmd->parsed()) {
        return rap::cli::Exit(rap::cli::RunExportCases(export_args));
    }
    if (generate_cases_cmd->parsed()) {
        return rap::cli::Exit(rap::cli::RunGenerateCases(generate_args));
    }
    for (const auto& [cmd, command] : monitoring) {
        if (cmd->parsed()) {
            if (command == MC::kCycleExport && mon.format == "table") {
                mon.format = "xlsx";
            }
            return rap::cli::Exit(rap::cli::RunMonitoring(command, mon));
        }
    }
    if (show_cmd->parsed()) {
        show.format = show_format == "json" ? rap::cli::OutputFormat::kJson
                                            : rap::cli::OutputFormat::kText;
        return rap::cli::Exit(rap::cli::RunFrameworkShow(show));
    }
    return 2;
}
