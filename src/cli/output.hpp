// SPDX-License-Identifier: AGPL-3.0-or-later
// What the subcommands share: opening the store and its catalog, reporting errors with their exit
// code, and printing a table as aligned text, CSV or JSON.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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
// with the first one's code, and that nothing was written); `fallback` when there are none.
inline Error Problems(const core::Diagnostics& diags, Error fallback,
                      std::optional<Error> summary = std::nullopt) {
    if (diags.empty()) {
        return fallback;
    }
    fmt::print(stderr, "{}", diags.ToString());
    if (summary) {
        return std::move(*summary);
    }
    return Error{
        diags.errors().front().code,
        Plural(static_cast<long long>(diags.size()), "problem") + " found; nothing was written",
        {}};
}

inline Result<std::unique_ptr<store::Store>> OpenStore(const std::string& db) {
    return store::Store::Open(store::Target::Parse(db));
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

inline std::string CsvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (char c : s) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

inline std::string JsonString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

// A number for display: whole numbers without decimals, others with four; NaN as "".
inline std::string Number(double v) {
    if (std::isnan(v)) {
        return "";
    }
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        return fmt::format("{:.0f}", v);
    }
    return fmt::format("{:.4f}", v);
}

// Rows of text cells under a header. Columns marked numeric are JSON numbers (an empty cell is
// null); every other cell is a JSON string.
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<bool> numeric;  // per column; missing entries: text
};

// Table: columns padded to their widest cell, two spaces apart, no trailing spaces.
// CSV: header line, then one line per row. JSON: an array of objects keyed by the header.
inline void PrintTable(const Table& t, ValuesFormat format) {
    auto is_numeric = [&](size_t column) {
        return column < t.numeric.size() && t.numeric[column];
    };
    if (format == ValuesFormat::kJson) {
        std::string out = "[";
        for (size_t r = 0; r < t.rows.size(); ++r) {
            out += r ? ",\n {" : "\n {";
            for (size_t i = 0; i < t.header.size() && i < t.rows[r].size(); ++i) {
                const std::string& cell = t.rows[r][i];
                double parsed = 0;
                const auto [end, ec] =
                    std::from_chars(cell.data(), cell.data() + cell.size(), parsed);
                const bool number = is_numeric(i) && !cell.empty() && ec == std::errc() &&
                                    end == cell.data() + cell.size() && std::isfinite(parsed);
                out += fmt::format("{}{}: {}", i ? ", " : "", JsonString(t.header[i]),
                                   number                          ? cell
                                   : is_numeric(i) && cell.empty() ? std::string("null")
                                                                   : JsonString(cell));
            }
            out += "}";
        }
        fmt::print("{}\n", out + (t.rows.empty() ? "]" : "\n]"));
        return;
    }
    if (format == ValuesFormat::kCsv) {
        auto line = [](const std::vector<std::string>& cells) {
            std::string out;
            for (size_t i = 0; i < cells.size(); ++i) {
                out += (i ? "," : "") + CsvField(cells[i]);
            }
            return out;
        };
        fmt::print("{}\n", line(t.header));
        for (const auto& r : t.rows) {
            fmt::print("{}\n", line(r));
        }
        return;
    }
    // Widths in code points, so that names in Cyrillic or with diacritics line up.
    auto chars = [](const std::string& s) {
        return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
            return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
        }));
    };
    std::vector<size_t> width(t.header.size());
    for (size_t i = 0; i < t.header.size(); ++i) {
        width[i] = chars(t.header[i]);
        for (const auto& r : t.rows) {
            width[i] = std::max(width[i], i < r.size() ? chars(r[i]) : 0);
        }
    }
    auto print = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (size_t i = 0; i < cells.size() && i < width.size(); ++i) {
            out += cells[i] + std::string(width[i] - chars(cells[i]) + 2, ' ');
        }
        while (!out.empty() && out.back() == ' ') {
            out.pop_back();
        }
        fmt::print("{}\n", out);
    };
    print(t.header);
    for (const auto& r : t.rows) {
        print(r);
    }
}

}  // namespace rap::cli
