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

}  // namespace rap::cli
