// SPDX-License-Identifier: AGPL-3.0-or-later
// XLSX writing with libxlsxwriter. The library writes only to a file name, so the workbook goes
// to a temporary file beside the destination that is renamed into place when complete.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/text.hpp"
#include "io/table.hpp"

namespace rap::io {

namespace {

// The creation time stored in every workbook (2000-01-01T00:00:00Z). libxlsxwriter would take
// the current time; a fixed one makes the same sheets give the same bytes (it is also the time
// stamp of the ZIP entries), so exports can be compared and cached.
constexpr time_t kCreated = 946684800;

constexpr std::string_view kListsSheet = "lists";
constexpr size_t kMaxSheetNameUnits = 31;       // UTF-16 code units, as Excel counts them
constexpr lxw_row_t kLastValidatedRow = 10000;  // 0-based: validations cover rows 2..10001
constexpr double kMinColumnWidth = 8.43;        // Excel's default width
constexpr double kMaxColumnWidth = 60;
constexpr uint32_t kHeaderFill = 0xDDEBF7;  // light blue

struct WorkbookFree {
    void operator()(lxw_workbook* workbook) const { lxw_workbook_free(workbook); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookFree>;

// A temporary path beside the destination, removed unless committed by renaming it into place.
class TempPath {
public:
    explicit TempPath(const std::string& destination)
        : destination_(destination), path_(destination + ".tmp-XXXXXX") {}
    ~TempPath() {
        if (created_ && !committed_) {
            ::unlink(path_.c_str());
        }
    }
    TempPath(const TempPath&) = delete;
    TempPath& operator=(const TempPath&) = delete;

    const std::string& path() const { return path_; }

    Status Create() {
        const int fd = ::mkstemp(path_.data());
        if (fd < 0) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("cannot create a file in the destination directory: {}",
                                    std::strerror(errno)),
                        Location{.file = destination_});
        }
        created_ = true;
        ::close(fd);
        return Ok();
    }

    // Flushes the finished file to disk and renames it over the destination.
    Status Commit() {
        const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        const bool synced = fd >= 0 && ::fsync(fd) == 0;
        if (fd >= 0) {
            ::close(fd);
        }
        if (!synced || ::rename(path_.c_str(), destination_.c_str()) != 0) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("cannot write: {}", std::strerror(errno)),
                        Location{.file = destination_});
        }
        committed_ = true;
        return Ok();
    }

private:
    std::string destination_;
    std::string path_;
    bool created_ = false;
    bool committed_ = false;
};

size_t Utf8SequenceLength(unsigned char lead) {
    if (lead < 0x80) {
        return 1;
    }
    if (lead < 0xE0) {
        return 2;
    }
    return lead < 0xF0 ? 3 : 4;
}

// Display width of text in characters: code points of its longest line.
size_t DisplayWidth(std::string_view text) {
    size_t longest = 0;
    size_t current = 0;
    for (const char ch : text) {
        if (ch == '\n') {
            longest = std::max(longest, current);
            current = 0;
        } else if ((static_cast<unsigned char>(ch) & 0xC0U) != 0x80U) {
            ++current;
        }
    }
    return std::max(longest, current);
}

std::string AsciiLower(std::string_view text) {
    std::string lower(text);
    for (char& ch : lower) {
        if (ch >= 'A' && ch <= 'Z') {
            ch = static_cast<char>(ch - 'A' + 'a');
        }
    }
    return lower;
}

// Cuts valid UTF-8 to at most `units` UTF-16 code units, at a character boundary.
std::string TruncateUnits(std::string_view text, size_t units) {
    size_t used = 0;
    size_t i = 0;
    while (i < text.size()) {
        const size_t length = Utf8SequenceLength(static_cast<unsigned char>(text[i]));
        const size_t cost = length == 4 ? 2 : 1;
        if (used + cost > units) {
            break;
        }
        used += cost;
        i += length;
    }
    return std::string(text.substr(0, i));
}

// A sheet name Excel accepts: no []:*?/\ or control characters, no apostrophe at either end,
// at most 31 characters, not empty, unique regardless of (ASCII) case. REQUIRES: valid UTF-8.
class SheetNames {
public:
    std::string Add(std::string_view wanted, size_t index) {
        std::string name;
        for (const char ch : wanted) {
            const bool bad = std::string_view("[]:*?/\\").find(ch) != std::string_view::npos ||
                             static_cast<unsigned char>(ch) < 0x20;
            name += bad ? '_' : ch;
        }
        const size_t first = name.find_first_not_of('\'');
        name = first == std::string::npos ? std::string() : name.substr(first);
        name = TruncateUnits(name, kMaxSheetNameUnits);
        while (!name.empty() && name.back() == '\'') {
            name.pop_back();
        }
        if (name.empty()) {
            name = fmt::format("Sheet{}", index + 1);
        }
        std::string unique = name;
        for (int n = 2; used_.count(AsciiLower(unique)) != 0; ++n) {
            const std::string suffix = fmt::format(" ({})", n);
            unique = TruncateUnits(name, kMaxSheetNameUnits - suffix.size()) + suffix;
        }
        used_.insert(AsciiLower(unique));
        return unique;
    }

private:
    std::set<std::string> used_;
};

// The sheet name as it must appear in a formula.
std::string FormulaSheetName(std::string_view name) {
    const bool plain = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) != 0) &&
                       std::all_of(name.begin(), name.end(), [](char ch) {
                           return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_';
                       });
    if (plain) {
        return std::string(name);
    }
    std::string quoted = "'";
    for (const char ch : name) {
        quoted += ch;
        if (ch == '\'') {
            quoted += '\'';
        }
    }
    return quoted + "'";
}

std::string ColumnName(size_t column) {
    std::string name;
    for (size_t n = column + 1; n > 0; n = (n - 1) / 26) {
        name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
    }
    return name;
}

bool IsHex(char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f');
}

// Text as OOXML stores it: control characters other than tab and line feed as _xHHHH_, and
// an underscore that would start such an escape as _x005F_, so that Excel (and our reader)
// shows exactly the original text.
const char* EscapeText(std::string_view text, std::string& out) {
    out.clear();
    for (size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7F) {
            out += fmt::format("_x{:04X}_", byte);
        } else if (byte == '_' && i + 6 < text.size() && text[i + 1] == 'x' && IsHex(text[i + 2]) &&
                   IsHex(text[i + 3]) && IsHex(text[i + 4]) && IsHex(text[i + 5]) &&
                   text[i + 6] == '_') {
            out += "_x005F_";
        } else {
            out += static_cast<char>(byte);
        }
    }
    return out.c_str();
}

// One column's list validation: where on the lists sheet its values are.
struct ListRef {
    size_t sheet = 0;
    size_t column = 0;
    size_t list_column = 0;  // column on the lists sheet
    size_t count = 0;        // values, from row 2 down
};

class XlsxWriter {
public:
    explicit XlsxWriter(const std::string& path) : path_(path) {}

    Status Write(const std::vector<SheetData>& sheets) {
        if (sheets.empty()) {
            return Fail(Errc::kInvalidArgument, "no sheets to write", Location{.file = path_});
        }
        RAP_TRY_STATUS(Check(sheets));
        SheetNames names;
        std::vector<std::string> sheet_names;
        for (size_t i = 0; i < sheets.size(); ++i) {
            sheet_names.push_back(names.Add(sheets[i].name, i));
        }
        std::vector<ListRef> lists;
        for (size_t i = 0; i < sheets.size(); ++i) {
            for (size_t c = 0; c < sheets[i].allowed.size(); ++c) {
                const auto& values = sheets[i].allowed[c];
                const auto count = static_cast<size_t>(std::count_if(
                    values.begin(), values.end(), [](const auto& v) { return !v.empty(); }));
                if (count > 0) {
                    lists.push_back(ListRef{i, c, lists.size(), count});
                }
            }
        }
        const std::string lists_name = lists.empty() ? std::string() : names.Add(kListsSheet, 0);

        TempPath temp(path_);
        RAP_TRY_STATUS(temp.Create());
        lxw_workbook_options options{};
        // Rows go to a temporary file as they are written (inline strings instead of a shared
        // string table), so memory does not grow with the sheet a second time.
        options.constant_memory = LXW_TRUE;
        WorkbookPtr workbook(workbook_new_opt(temp.path().c_str(), &options));
        if (!workbook) {
            return Fail(Errc::kInternal, "cannot start the workbook", Location{.file = path_});
        }
        lxw_doc_properties properties{};
        properties.created = kCreated;
        RAP_TRY_STATUS(Check(workbook_set_properties(workbook.get(), &properties), {}));
        header_format_ = workbook_add_format(workbook.get());
        format_set_bold(header_format_);
        format_set_bg_color(header_format_, kHeaderFill);

        for (size_t i = 0; i < sheets.size(); ++i) {
            RAP_TRY_STATUS(
                WriteSheet(workbook.get(), sheets[i], sheet_names[i], i, lists, lists_name));
        }
        if (!lists.empty()) {
            RAP_TRY_STATUS(WriteLists(workbook.get(), sheets, sheet_names, lists, lists_name));
        }
        const lxw_error closed = workbook_close(workbook.release());  // frees the workbook
        if (closed != LXW_NO_ERROR) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("cannot write the workbook: {}", lxw_strerror(closed)),
                        Location{.file = path_});
        }
        return temp.Commit();
    }

private:
    Location Cell(std::string_view sheet, long row, size_t column) const {
        return Location{
            .file = path_, .sheet = std::string(sheet), .row = row, .field = ColumnName(column)};
    }

    static bool IsPlainAscii(std::string_view text) {
        return std::all_of(text.begin(), text.end(), [](char ch) {
            return ch != '\0' && (static_cast<unsigned char>(ch) & 0x80U) == 0;
        });
    }

    Status CheckText(std::string_view text, const Location& where) const {
        if (IsPlainAscii(text)) {
            return Ok();
        }
        if (core::FindInvalidUtf8(text)) {
            return Fail(Errc::kInvalidArgument, "text is not valid UTF-8", where);
        }
        if (text.find('\0') != std::string_view::npos) {
            return Fail(Errc::kInvalidArgument, "text contains a NUL character", where);
        }
        return Ok();
    }

    // Everything that would make the library fail half-way, checked before a byte is written.
    Status Check(const std::vector<SheetData>& sheets) const {
        for (const SheetData& sheet : sheets) {
            RAP_TRY_STATUS(CheckText(sheet.name, Location{.file = path_}));
            if (sheet.rows.size() + 1 > LXW_ROW_MAX) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("sheet has {} rows; an XLSX sheet holds at most {} rows "
                                        "below the header; export as CSV instead",
                                        sheet.rows.size(), LXW_ROW_MAX - 1),
                            Location{.file = path_, .sheet = sheet.name});
            }
            const auto check_row = [&](const std::vector<std::string>& cells, long row) -> Status {
                if (cells.size() > LXW_COL_MAX) {
                    return Fail(Errc::kInvalidArgument,
                                fmt::format("row has {} cells; a sheet holds at most {}",
                                            cells.size(), LXW_COL_MAX),
                                Location{.file = path_, .sheet = sheet.name, .row = row});
                }
                for (size_t c = 0; c < cells.size(); ++c) {
                    RAP_TRY_STATUS(CheckText(cells[c], Cell(sheet.name, row, c)));
                }
                return Ok();
            };
            RAP_TRY_STATUS(check_row(sheet.header, 1));
            for (size_t r = 0; r < sheet.rows.size(); ++r) {
                RAP_TRY_STATUS(check_row(sheet.rows[r], static_cast<long>(r) + 2));
            }
            for (size_t c = 0; c < sheet.notes.size(); ++c) {
                RAP_TRY_STATUS(CheckText(sheet.notes[c], Cell(sheet.name, 1, c)));
            }
            if (sheet.allowed.size() > LXW_COL_MAX) {
                return Fail(Errc::kInvalidArgument, "more allowed-value lists than columns",
                            Location{.file = path_, .sheet = sheet.name});
            }
            for (size_t c = 0; c < sheet.allowed.size(); ++c) {
                if (sheet.allowed[c].size() + 1 > LXW_ROW_MAX) {
                    return Fail(Errc::kInvalidArgument, "too many allowed values",
                                Cell(sheet.name, 1, c));
                }
                for (const auto& value : sheet.allowed[c]) {
                    RAP_TRY_STATUS(CheckText(value, Cell(sheet.name, 1, c)));
                }
            }
        }
        return Ok();
    }

    Status Check(lxw_error error, const Location& where) const {
        if (error == LXW_NO_ERROR) {
            return Ok();
        }
        Location at = where;
        if (at.file.empty()) {
            at.file = path_;
        }
        if (error == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
            return Fail(Errc::kInvalidArgument,
                        "text is longer than 32,767 characters, the most a spreadsheet cell holds",
                        at);
        }
        return Fail(Errc::kInvalidArgument,
                    fmt::format("cannot write the workbook: {}", lxw_strerror(error)), at);
    }

    Status WriteString(lxw_worksheet* worksheet, std::string_view sheet, long row, size_t column,
                       std::string_view text, lxw_format* format) {
        if (text.empty() && format == nullptr) {
            return Ok();
        }
        return Check(worksheet_write_string(worksheet, static_cast<lxw_row_t>(row - 1),
                                            static_cast<lxw_col_t>(column),
                                            EscapeText(text, escaped_), format),
                     Cell(sheet, row, column));
    }

    Status WriteSheet(lxw_workbook* workbook, const SheetData& sheet, const std::string& name,
                      size_t index, const std::vector<ListRef>& lists,
                      const std::string& lists_name) {
        lxw_worksheet* worksheet = workbook_add_worksheet(workbook, name.c_str());
        if (worksheet == nullptr) {
            return Fail(Errc::kInvalidArgument, fmt::format("cannot add a sheet named '{}'", name),
                        Location{.file = path_, .sheet = sheet.name});
        }
        // Column widths from the longest text, header included.
        std::vector<size_t> widths(sheet.header.size());
        const auto measure = [&](const std::vector<std::string>& cells) {
            if (widths.size() < cells.size()) {
                widths.resize(cells.size());
            }
            for (size_t c = 0; c < cells.size(); ++c) {
                widths[c] = std::max(widths[c], DisplayWidth(cells[c]));
            }
        };
        measure(sheet.header);
        for (const auto& cells : sheet.rows) {
            measure(cells);
        }
        for (size_t c = 0; c < widths.size(); ++c) {
            const double width =
                std::clamp(static_cast<double>(widths[c]) + 2, kMinColumnWidth, kMaxColumnWidth);
            RAP_TRY_STATUS(Check(worksheet_set_column(worksheet, static_cast<lxw_col_t>(c),
                                                      static_cast<lxw_col_t>(c), width, nullptr),
                                 Location{.file = path_, .sheet = name}));
        }
        worksheet_freeze_panes(worksheet, 1, 0);

        for (size_t c = 0; c < sheet.header.size(); ++c) {
            RAP_TRY_STATUS(WriteString(worksheet, name, 1, c, sheet.header[c], header_format_));
        }
        for (size_t c = 0; c < sheet.notes.size(); ++c) {
            if (!sheet.notes[c].empty()) {
                RAP_TRY_STATUS(
                    Check(worksheet_write_comment(worksheet, 0, static_cast<lxw_col_t>(c),
                                                  EscapeText(sheet.notes[c], escaped_)),
                          Cell(name, 1, c)));
            }
        }
        // Strings only, never formulas: "=1+1" is stored as the text "=1+1".
        for (size_t r = 0; r < sheet.rows.size(); ++r) {
            const auto& cells = sheet.rows[r];
            for (size_t c = 0; c < cells.size(); ++c) {
                RAP_TRY_STATUS(
                    WriteString(worksheet, name, static_cast<long>(r) + 2, c, cells[c], nullptr));
            }
        }

        const auto last_row =
            std::max(kLastValidatedRow, static_cast<lxw_row_t>(sheet.rows.size()));
        for (const ListRef& list : lists) {
            if (list.sheet != index) {
                continue;
            }
            const std::string letters = ColumnName(list.list_column);
            std::string formula = fmt::format("={}!${}$2:${}${}", FormulaSheetName(lists_name),
                                              letters, letters, list.count + 1);
            lxw_data_validation validation{};
            validation.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
            validation.value_formula = formula.data();
            // A warning, not a stop: a value outside the list can still be kept when it is
            // really needed, and the import reports it.
            validation.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
            // libxlsxwriter 1.1.4 leaks one copy of the formula here (it copies it twice for
            // LIST_FORMULA): a few bytes per validation, fixed in later releases. The ASan test
            // run suppresses it (tests/io/xlsx_test.cpp).
            const auto column = static_cast<lxw_col_t>(list.column);
            RAP_TRY_STATUS(Check(worksheet_data_validation_range(worksheet, 1, column, last_row,
                                                                 column, &validation),
                                 Cell(name, 2, list.column)));
        }
        return Ok();
    }

    // The hidden sheet with one column per list: a label in row 1, the values below.
    Status WriteLists(lxw_workbook* workbook, const std::vector<SheetData>& sheets,
                      const std::vector<std::string>& sheet_names,
                      const std::vector<ListRef>& lists, const std::string& lists_name) {
        lxw_worksheet* worksheet = workbook_add_worksheet(workbook, lists_name.c_str());
        if (worksheet == nullptr) {
            return Fail(Errc::kInternal, "cannot add the lists sheet", Location{.file = path_});
        }
        // Constant-memory mode writes row by row, so the columns are filled across.
        size_t longest = 0;
        for (const ListRef& list : lists) {
            longest = std::max(longest, list.count);
        }
        std::vector<size_t> next(lists.size(), 0);  // next value index per list
        for (const ListRef& list : lists) {
            const SheetData& sheet = sheets[list.sheet];
            const std::string label =
                fmt::format("{}: {}", sheet_names[list.sheet],
                            list.column < sheet.header.size() ? sheet.header[list.column]
                                                              : ColumnName(list.column));
            RAP_TRY_STATUS(
                WriteString(worksheet, lists_name, 1, list.list_column, label, header_format_));
        }
        for (size_t row = 0; row < longest; ++row) {
            for (const ListRef& list : lists) {
                const auto& values = sheets[list.sheet].allowed[list.column];
                size_t& k = next[list.list_column];
                while (k < values.size() && values[k].empty()) {
                    ++k;
                }
                if (k < values.size()) {
                    RAP_TRY_STATUS(WriteString(worksheet, lists_name, static_cast<long>(row) + 2,
                                               list.list_column, values[k], nullptr));
                    ++k;
                }
            }
        }
        worksheet_hide(worksheet);
        return Ok();
    }

    std::string path_;
    lxw_format* header_format_ = nullptr;
    std::string escaped_;
};

}  // namespace

Status WriteXlsxFile(const std::string& path, const std::vector<SheetData>& sheets) {
    XlsxWriter writer(path);
    return writer.Write(sheets);
}

}  // namespace rap::io
