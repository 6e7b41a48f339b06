// SPDX-License-Identifier: AGPL-3.0-or-later
// Tabular files (CSV and XLSX) as streams of rows of text cells. Readers never hold a whole file
// of cells in memory: they hand each row to a RowSink, which converts and keeps what it needs.
// Writers take rows of text and write files that Excel and LibreOffice open as expected.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace rap::io {

// What a cell of a workbook holds: text (shared or inline strings, booleans, a formula's text
// or error), or a number (where a date is a serial number of days). Every CSV cell is text.
enum class CellKind : uint8_t { kText, kNumber };

// Receives the rows of one sheet (a CSV file is one sheet). Cell texts are UTF-8 (NFC is not
// applied here), with surrounding quotes removed; they are valid only during the call.
class RowSink {
public:
    virtual ~RowSink() = default;
    // The first row. `sheet` is the XLSX sheet name or the CSV file's stem. Returning an error
    // stops reading and the reader returns that error.
    virtual Status Header(std::string_view sheet, std::span<const std::string_view> cells) = 0;
    // Every following row. `row` is the 1-based row number in the file as a user sees it in a
    // spreadsheet (the header is row 1), so messages can point at it. Rows whose cells are all
    // empty are skipped. A row may have fewer or more cells than the header.
    virtual Status Row(long row, std::span<const std::string_view> cells) = 0;
    // The XLSX reader delivers rows here instead, with the kind of each cell (`kinds` has one
    // per cell); the default ignores the kinds and calls Row.
    virtual Status TypedRow(long row, std::span<const std::string_view> cells,
                            std::span<const CellKind> kinds) {
        static_cast<void>(kinds);
        return Row(row, cells);
    }
    // Notes on what the readers deliver:
    // - The header is the first row that is not all empty; blank rows above it are skipped but
    //   still counted, so `row` always matches the spreadsheet. An XLSX sheet without such a row
    //   gets no Header call; a CSV file without one is an error ("file is empty").
    // - CSV: a record with line breaks inside quotes is one row; spaces and tabs around an
    //   unquoted cell are trimmed (quoted cells are kept as they are). XLSX: trailing empty
    //   cells are not delivered (a missing cell and an empty one read the same).
    // - Reader errors put the column in Location::field. CSV: its header ("case_id"), or its
    //   number ("3") in the header row itself and for a column the header does not name; XLSX:
    //   its letters ("C"). Error::ToString() then says "column case_id", "column 3", "column C".
};

struct CsvOptions {
    // 0: detect from the header line (';' when it has more semicolons than commas, as Excel
    // writes CSV in the region's locales); otherwise the delimiter to use.
    char delimiter = 0;
    size_t max_bytes = size_t{4} << 30U;  // larger files are refused (kResourceExhausted)
    // For a later part of a file (ReadCsvPart), which has no header row of its own: the file's
    // header, so that messages name columns by it.
    std::vector<std::string> header;
};

// Reads a CSV file: UTF-8 with or without BOM, comma or semicolon, CRLF or LF, fields quoted with
// '"' (doubled quotes inside), line breaks inside quoted fields. A UTF-16 file, invalid UTF-8
// (a legacy encoding such as Windows-1250), a NUL byte, an unterminated quote or an empty file
// is an error whose location names the file, row and (for encoding errors) the column number.
// `display_name` is the file name used in messages and as the sheet name's source.
Status ReadCsvFile(const std::string& path, RowSink& sink, const CsvOptions& options = {});
Status ReadCsvBytes(std::string_view bytes, std::string_view display_name, RowSink& sink,
                    const CsvOptions& options = {});

// The header row of a CSV file and the delimiter it uses, as ReadCsvFile finds them (with the same
// checks of the file and its encoding up to there).
struct CsvHead {
    char delimiter = ',';
    std::vector<std::string> cells;
};
Result<CsvHead> ReadCsvHead(const std::string& path, const CsvOptions& options = {});

// Reading one large CSV file on several threads: CutCsvFile cuts it after line breaks into parts
// of about `part_bytes`, and each part is read by ReadCsvPart into its own sink.
struct CsvPart {
    uint64_t begin = 0;
    uint64_t end = 0;
    bool last = true;
    bool first() const { return begin == 0; }  // the part the file begins with, header and all
};
Result<std::vector<CsvPart>> CutCsvFile(const std::string& path, uint64_t part_bytes,
                                        const CsvOptions& options = {});

struct CsvPartRead {
    long rows = 0;  // rows (records, blank lines, the header) the part holds
    // False when the part ended inside a quoted cell with a line break in it: the part after it
    // then does not begin a record, and the file must be read in one piece.
    bool ends_a_record = true;
};
// The first part is read as ReadCsvFile reads a file, but stops at the part's end. Every other
// part needs options.delimiter (ReadCsvHead's); its sink gets no Header call (the caller gives it
// the header), and its rows are numbered from 1: the row in the file is that number plus the rows
// of the parts before it.
Result<CsvPartRead> ReadCsvPart(const std::string& path, const CsvPart& part, RowSink& sink,
                                const CsvOptions& options);

struct XlsxLimits {
    size_t max_file_bytes = size_t{512} << 20U;
    size_t max_uncompressed_bytes = size_t{2} << 30U;  // zip-bomb guard, from the zip directory
};

// Whether a path names a workbook or a CSV file, by its extension in any case ("R.XLSX" too, as
// Windows tools may write it).
bool IsXlsxPath(std::string_view path);
bool IsCsvPath(std::string_view path);

// Reads every worksheet of an .xlsx file in workbook order. `sink_for` is asked once per sheet
// name and returns the sink for it, or nullptr to skip the sheet. Cells: shared strings, inline
// strings, numbers (written as the shortest text that round-trips, integers without ".0"),
// booleans (TRUE/FALSE), and the cached value of formula cells (the formula itself is never
// evaluated); missing cells are empty. Dates stay as their serial numbers. Errors name the file
// and sheet (and row where it applies): not a zip, not an xlsx, a part too large, broken XML.
// Hidden sheets are offered too; chart sheets (which have no cells) are not.
Status ReadXlsxFile(const std::string& path,
                    const std::function<RowSink*(std::string_view sheet)>& sink_for,
                    const XlsxLimits& limits = {});

// A sheet to write: a header row, then data rows. `allowed` (optional, per column, may be shorter
// than the header) lists the allowed values of a column: the XLSX writer adds them as a list
// validation on the column and on a hidden sheet "lists"; the CSV writer ignores it.
struct SheetData {
    std::string name;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::vector<std::string>> allowed;
    std::vector<std::string> notes;  // optional per-column comment shown on the header cell
};

// Writes UTF-8 CSV (with BOM when `excel_bom`, so that Excel detects UTF-8), the given delimiter,
// CRLF line ends, quoting cells that contain the delimiter, quotes, line breaks, or that begin
// with '=', '+', '-', '@', tab or CR (those are also prefixed with an apostrophe so that a
// spreadsheet never runs them as formulas). Writes to a temporary file and renames it.
// Cells with a space or tab at either end are quoted too, as readers (ReadCsv included) trim
// those around unquoted cells.
Status WriteCsvFile(const std::string& path, const SheetData& sheet, char delimiter = ',',
                    bool excel_bom = true);

// Appends one CSV cell as WriteCsvFile writes it (quoted when needed, with the formula guard), for
// CSV written elsewhere (a terminal or a pipe).
void AppendCsvCell(std::string_view cell, char delimiter, std::string& out);

// Writes a CSV file row by row, for outputs too large to hold in memory. The same format as
// WriteCsvFile; the file appears under `path` only when Close succeeds.
class CsvWriter {
public:
    static Result<std::unique_ptr<CsvWriter>> Open(const std::string& path, char delimiter = ',',
                                                   bool excel_bom = true);
    ~CsvWriter();
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    Status Write(std::span<const std::string> cells);
    Status Close();

private:
    CsvWriter() = default;
    std::string path_;
    std::string temp_;
    char delimiter_ = ',';
    std::FILE* file_ = nullptr;
    std::string line_;
    long row_ = 0;
};

// Writes an .xlsx workbook with one worksheet per SheetData (cells as strings, the header row
// bold and frozen, column widths from content), via a temporary file renamed into place.
// Sheet names are made valid for Excel (at most 31 characters, no []:*?/\, unique); the hidden
// sheet is "lists" unless a sheet already has that name. The same sheets give the same bytes.
Status WriteXlsxFile(const std::string& path, const std::vector<SheetData>& sheets);

}  // namespace rap::io
