// SPDX-License-Identifier: AGPL-3.0-or-later
// Reads case records from CSV and XLSX: columns matched by header to the fields of a record type,
// every cell converted and checked, every problem reported with file, sheet, row and column.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cases/case_table.hpp"
#include "cases/cell_parse.hpp"
#include "core/diagnostics.hpp"
#include "io/table.hpp"

namespace rap::io {

// Converts the rows of one sheet into a CaseTable of one record type. Structural problems (a
// missing required column, an unknown or repeated column) stop the sheet; cell problems are
// reported and reading goes on so that the user sees them all.
class CaseTableReader : public RowSink {
public:
    CaseTableReader(const cases::RecordDef& record, const cases::CodelistSet& codelists,
                    const cases::CellContext& context, std::string file,
                    core::Diagnostics& diags);

    Status Header(std::string_view sheet, std::span<const std::string_view> cells) override;
    Status Row(long row, std::span<const std::string_view> cells) override;
    // A workbook's row: a number cell may hold a date (a serial number of days).
    Status TypedRow(long row, std::span<const std::string_view> cells,
                    std::span<const CellKind> kinds) override;

    // The rows read. Rows with problems are included (with the bad cells empty); callers check
    // the diagnostics before using the table.
    cases::CaseTable& table() { return table_; }

private:
    Status ReadRow(long row, std::span<const std::string_view> cells,
                   std::span<const CellKind> kinds);

    const cases::RecordDef& record_;
    const cases::CellContext& context_;
    std::string file_;
    std::string sheet_;
    bool xlsx_ = false;
    core::Diagnostics& diags_;
    cases::CaseTable table_;
    std::vector<int> field_of_column_;  // header column -> field index, -1 for none
    std::vector<int> column_of_field_;  // field index -> header column, -1 when absent
    uint32_t file_index_ = 0;
};

// Header text as a field name: trimmed, lower case, spaces and '-' as '_' ("Case ID" -> case_id).
std::string NormalizeHeader(std::string_view header);

// Reads case files: .csv (the record type from the file name, e.g. victims.csv, or else from its
// header) and .xlsx (one sheet per record type, named as in the schema: victims, proceedings,
// defendants, proceeding_victims, claims; the template's "lists" and "instructions" sheets are
// skipped). Tables of the same record type from several files are concatenated in file order.
// Every problem goes into diags. Files, and parts of about `csv_part_bytes` of larger CSV files,
// are read on two threads; rows are numbered as in the files all the same.
inline constexpr uint64_t kCsvPartBytes = uint64_t{16} << 20U;
std::map<std::string, cases::CaseTable> ReadCaseFiles(const std::vector<std::string>& paths,
                                                      const cases::CaseSchema& schema,
                                                      const cases::CodelistSet& codelists,
                                                      const cases::CellContext& context,
                                                      core::Diagnostics& diags,
                                                      uint64_t csv_part_bytes = kCsvPartBytes);

}  // namespace rap::io
