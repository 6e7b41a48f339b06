// SPDX-License-Identifier: AGPL-3.0-or-later
// What the subcommands share: opening the store and its catalog, reporting errors with their exit
// code, and printing a table as aligned text, CSV or JSON.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/catalog.hpp"
#include "cli/commands.hpp"
#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "core/text.hpp"
#include "store/store.hpp"

namespace rap::cli {

// Who runs the command, for the audit log: `given` (--user), else $RAPPORTEUR_USER, else $USER.
inline Result<std::string> UserName(const std::string& given) {
    std::string user = given;
    for (const char* var : {"RAPPORTEUR_USER", "USER"}) {
        const char* env = std::getenv(var);
        if (user.empty() && env != nullptr) {
            user = env;
        }
    }
    if (core::IsBlank(user)) {
        return Fail(Errc::kInvalidArgument,
                    "--user: say who you are (--user NAME, or set RAPPORTEUR_USER); the name is "
                    "recorded in the audit log");
    }
    return user;
}

// Prints "rapporteur: <error>" to stderr and returns the error's exit code.
inline int Report(const Error& error) {
    fmt::print(stderr, "rapporteur: {}\n", error.ToString());
    return ExitCode(error.code);
}

// "1 problem", "3 problems".
inline std::string Plural(long long n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// Prints every diagnostic (one per line) and returns `summary` (by default: how many there were,
// with the code of the first that is bad input, else of the first, and that nothing was
// written); `fallback` when there are none.
inline Error Problems(const core::Diagnostics& diags, Error fallback,
                      std::optional<Error> summary = std::nullopt) {
    if (diags.empty()) {
        return fallback;
    }
    fmt::print(stderr, "{}", diags.ToString());
    if (summary) {
        return std::move(*summary);
    }
    // Bad input (exit code 2) wherever it is among the problems; otherwise the first's code
    // (a locked or changed value: 1), so that the exit code does not depend on row order.
    Errc code = diags.errors().front().code;
    for (const auto& e : diags.errors()) {
        if (ExitCode(e.code) == 2) {
            code = e.code;
            break;
        }
    }
    return Error{
        code, Plural(static_cast<long long>(diags.size()), "problem") + " found; nothing was written",
        {}};
}

// Opens the database of --db. Only `init` creates an SQLite file: any other command given a path
// where there is none (a typing mistake, another directory) says so instead of leaving an empty
// file behind.
enum class CreateDb { kNo, kYes };
inline Result<std::unique_ptr<store::Store>> OpenStore(const std::string& db,
                                                       CreateDb create = CreateDb::kNo) {
    const store::Target target = store::Target::Parse(db);
    std::error_code ec;
    if (create == CreateDb::kNo && target.backend == store::Backend::kSqlite &&
        !std::filesystem::exists(target.location, ec)) {
        return Fail(Errc::kNotFound,
                    fmt::format("there is no database at {}; give --db the path of one, or "
                                "create it with `rapporteur init --db {}`",
                                target.location, target.location));
    }
    return store::Store::Open(target);
}

// A store and the catalog loaded from it.
struct Session {
    std::unique_ptr<store::Store> store;
    std::shared_ptr<const app::Catalog> catalog;
};

inline Result<Session> LoadSession(const std::string& db) {
    auto store = RAP_TRY(OpenStore(db));
    auto catalog = RAP_TRY(app::Catalog::Load(*store));
    return Session{std::move(store), std::move(catalog)};
}

// A number for display: whole numbers without decimals, others with at most four (91.5, not
// 91.5000); NaN as "".
inline std::string Number(double v) {
    if (std::isnan(v)) {
        return "";
    }
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        return fmt::format("{:.0f}", v);
    }
    std::string text = fmt::format("{:.4f}", v);
    while (text.back() == '0') {
        text.pop_back();
    }
    if (text.back() == '.') {
        text.pop_back();
    }
    return text == "-0" ? "0" : text;
}

// Rows of text cells under a header. Columns marked numeric are JSON numbers (an empty cell is
// null); every other cell is a JSON string.
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<bool> numeric;  // per column; missing entries: text
};

// Table: columns padded to their widest cell, two spaces apart, no trailing spaces.
// CSV: header line, then one line per row, quoted as the CSV files rapporteur writes (a cell that
// starts like a formula is guarded, so that a spreadsheet opening the output never runs it).
// JSON: an array of objects keyed by the header.
void PrintTable(const Table& t, ValuesFormat format);

}  // namespace rap::cli
