// SPDX-License-Identifier: AGPL-3.0-or-later
// Converting one text cell, as a user writes it in a spreadsheet, into a typed column value.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/case_table.hpp"

namespace rap::cases {

struct CellContext {
    // Country codes a kCountry field accepts (upper case).
    std::vector<std::string> countries;
    // The latest month (MonthIndex) and year a record may name: the current ones, as records
    // describe what has happened. The defaults set no limit.
    int64_t latest_month = std::numeric_limits<int64_t>::max();
    int64_t latest_year = std::numeric_limits<int64_t>::max();
};

// The current month and year (UTC) as CellContext's limits.
void LimitToToday(CellContext& context);

// What a cell was in its file: text (every CSV cell, and XLSX text cells), or a number a
// workbook stores (where a date is a serial number of days).
enum class CellSource { kText, kSpreadsheetNumber };

// Appends the value of `cell` to `column`. On invalid input appends "not recorded" and returns a
// message saying what is wrong and what was expected (without the location, which the caller
// knows). An empty cell is "not recorded" (an error when the field is required). Accepted forms:
//   id       1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit
//   country  one of the configured codes (any letter case)
//   year     2000-2100, not after context.latest_year
//   month    2024-03, 2024-3, 03/2024, 03.2024, or (kSpreadsheetNumber only) a workbook's
//            date serial (the day is dropped); not after context.latest_month
//   integer  digits within the field's range ("12.0" from a spreadsheet is accepted)
//   amount   1234.5, 1234,50 (no thousands separators, at most 2 decimals), not negative
//   bool     yes/no, true/false, 1/0, da/ne, po/jo, да/не
//   code     a code of the field's codelist (letter case is forgiven)
//   codes    codes separated by ';' ',' or '|'; "none" for the empty set; no repeats
std::optional<std::string> AppendCell(Column& column, std::string_view cell,
                                      const CellContext& context,
                                      CellSource source = CellSource::kText);

// Trims ASCII spaces, tabs and non-breaking spaces at both ends.
std::string_view TrimCell(std::string_view cell);

// A cell's text quoted for a message, cut after 60 characters.
std::string ShownCell(std::string_view cell);

}  // namespace rap::cases
