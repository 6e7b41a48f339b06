// SPDX-License-Identifier: AGPL-3.0-or-later
// The subcommands of `rapporteur`. main.cpp parses the command line (CLI11 lives only there) and
// calls these; each returns the process exit code (0 ok, 1 failure, 2 bad usage or bad input)
// and writes results to stdout, problems to stderr.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rap::cli {

inline constexpr const char* kDefaultDb = "./rapporteur.db";

struct InitArgs {
    std::string db = kDefaultDb;
    bool demo = false;
    std::optional<std::string> data_dir;
};
int RunInit(const InitArgs& args);

struct ServeArgs {
    std::string db = kDefaultDb;
    std::string bind = "127.0.0.1";
    int port = 8080;
    int threads = 32;
};
int RunServe(const ServeArgs& args);

struct ValidateArgs {
    std::vector<std::string> files;
};
int RunFrameworkValidate(const ValidateArgs& args);

enum class OutputFormat { kText, kJson };

struct ShowArgs {
    std::string db = kDefaultDb;
    std::string country;    // empty: the regional core
    std::string framework;  // explicit framework id (instead of --country)
    std::string version;
    std::string code;  // empty: list every indicator
    OutputFormat format = OutputFormat::kText;
};
int RunFrameworkShow(const ShowArgs& args);

struct ImportArgs {
    std::string db = kDefaultDb;
    std::vector<std::string> files;
    std::string country;
    bool dry_run = false;
    bool no_compute = false;
    std::string user;  // --user, for the audit log
};
int RunImportCases(const ImportArgs& args);

struct ComputeArgs {
    std::string db = kDefaultDb;
    bool all = false;
    bool rebuild = false;
};
int RunCompute(const ComputeArgs& args);

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
int RunValues(const ValuesArgs& args);

struct TemplateArgs {
    std::string format = "xlsx";
    std::string out_dir = ".";
};
int RunTemplateCases(const TemplateArgs& args);

struct ExportArgs {
    std::string db = kDefaultDb;
    std::string format = "csv";
    std::string out_dir = ".";
    std::string country;
    std::string user;  // --user, for the audit log
};
int RunExportCases(const ExportArgs& args);

struct GenerateArgs {
    long long victims = 0;
    unsigned seed = 20261123;
    std::string out_dir = ".";
};
int RunGenerateCases(const GenerateArgs& args);

}  // namespace rap::cli
