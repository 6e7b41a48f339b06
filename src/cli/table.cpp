// SPDX-License-Identifier: AGPL-3.0-or-later
// Printing a table of results as aligned text, CSV or JSON (the one CLI file that includes
// nlohmann/json).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/output.hpp"
#include "io/table.hpp"

namespace rap::cli {

namespace {

using Json = nlohmann::ordered_json;  // keys in the order of the header

bool IsNumeric(const Table& t, size_t column) {
    return column < t.numeric.size() && t.numeric[column];
}

// The cell as a finite number, when it is one and nothing else.
std::optional<double> AsNumber(const std::string& cell) {
    double parsed = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), parsed);
    if (cell.empty() || ec != std::errc() || end != cell.data() + cell.size() ||
        !std::isfinite(parsed)) {
        return std::nullopt;
    }
    return parsed;
}

// A cell of a numeric column: the number, null when empty, else the text as it is.
Json NumericCell(const std::string& cell) {
    if (cell.empty()) {
        return nullptr;
    }
    if (const auto parsed = AsNumber(cell)) {
        return *parsed == std::floor(*parsed) && std::fabs(*parsed) < 1e15
                   ? Json(static_cast<long long>(*parsed))
                   : Json(*parsed);
    }
    return cell;
}

// One object per line, so that the output reads well and greps by row.
void PrintJson(const Table& t) {
    std::string out = "[";
    for (size_t r = 0; r < t.rows.size(); ++r) {
        Json row = Json::object();
        for (size_t i = 0; i < t.header.size() && i < t.rows[r].size(); ++i) {
            row[t.header[i]] = IsNumeric(t, i) ? NumericCell(t.rows[r][i]) : Json(t.rows[r][i]);
        }
        // Text that is not UTF-8 is shown with U+FFFD rather than stopping the output.
        out += (r == 0 ? "\n " : ",\n ") +
               row.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    fmt::print("{}\n", out + (t.rows.empty() ? "]" : "\n]"));
}

// A number of a numeric column is written as it is (a negative one needs no formula guard);
// everything else as io writes CSV files.
void PrintCsv(const Table& t) {
    auto line = [&](const std::vector<std::string>& cells, bool header) {
        std::string out;
        for (size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) {
                out += ',';
            }
            if (!header && IsNumeric(t, i) && AsNumber(cells[i])) {
                out += cells[i];
            } else {
                io::AppendCsvCell(cells[i], ',', out);
            }
        }
        fmt::print("{}\n", out);
    };
    line(t.header, true);
    for (const auto& r : t.rows) {
        line(r, false);
    }
}

}  // namespace

void PrintTable(const Table& t, ValuesFormat format) {
    if (format == ValuesFormat::kJson) {
        PrintJson(t);
        return;
    }
    if (format == ValuesFormat::kCsv) {
        PrintCsv(t);
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
