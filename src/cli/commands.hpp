// SPDX-License-Identifier: AGPL-3.0-or-later
// The subcommands of `rapporteur`. main.cpp parses the command line (CLI11 lives only there) and
// calls these; each writes its results to stdout and diagnostics to stderr, and returns what went
// wrong, which Exit turns into the process exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace rap::cli {

// Prints the outcome of a command: nothing and 0 when it succeeded, else "rapporteur: <error>" and
// the error's exit code (1 failure, 2 bad usage or bad input).
int Exit(const Status& done);

inline constexpr const char* kDefaultDb = "./rapporteur.db";

struct InitArgs {
    std::string db = kDefaultDb;
    bool demo = false;
    std::optional<std::string> data_dir;
};
Status RunInit(const InitArgs& args);

struct ServeArgs {
    std::string db = kDefaultDb;
    std::string bind = "127.0.0.1";
    int port = 8080;
    int threads = 32;
};
Status RunServe(const ServeArgs& args);

struct ValidateArgs {
    std::vector<std::string> files;
};
Status RunFrameworkValidate(const ValidateArgs& args);

enum class OutputFormat { kText, kJson };

struct ShowArgs {
    std::string db = kDefaultDb;
    std::string country;    // empty: the regional core
    std::string framework;  // explicit framework id (instead of --country)
    std::string version;
    std::string code;  // empty: list every indicator
    OutputFormat format = OutputFormat::kText;
};
Status RunFrameworkShow(const ShowArgs& args);

struct ImportArgs {
    std::string db = kDefaultDb;
    std::vector<std::string> files;
    std::string country;
    bool dry_run = false;
    bool no_compute = false;
    std::string user;  // --user, for the audit log
};
Status RunImportCases(const ImportArgs& args);

struct ComputeArgs {
    std::string db = kDefaultDb;
    bool all = false;
    bool rebuild = false;
};
Status RunCompute(const ComputeArgs& args);

enum class ValuesFormat { kTable, kCsv, kJson };
struct ValuesArgs {
    std::string db = kDefaultDb;
    std::string indicator;
    std::string country;
    int year = 0;
    std::string by;  // comma-separated dimension codes
    std::string measure;
    ValuesFormat format = ValuesFormat::kTable;
    bool unprotected = false;  // skip disclosure control (internal use; audited)
    std::string user;          // --user, for the audit log of unprotected reads
};
Status RunValues(const ValuesArgs& args);

struct TemplateArgs {
    std::string format = "xlsx";
    std::string out_dir = ".";
};
Status RunTemplateCases(const TemplateArgs& args);

struct ExportArgs {
    std::string db = kDefaultDb;
    std::string format = "csv";
    std::string out_dir = ".";
    std::string country;
    std::string user;  // --user, for the audit log
};
Status RunExportCases(const ExportArgs& args);

struct GenerateArgs {
    long long victims = 0;
    unsigned seed = 20261123;
    std::string out_dir = ".";
};
Status RunGenerateCases(const GenerateArgs& args);

}  // namespace rap::cli
