// SPDX-License-Identifier: AGPL-3.0-or-later
// XLSX reading: libzip opens the container, pugixml parses the parts.
//
// Memory: each worksheet's XML is decompressed and loaded into one pugixml document at a time, so
// memory grows with the largest sheet (the XML plus pugixml's nodes, roughly 100-150 bytes per
// cell) but never with cells x sizeof(std::string): rows are handed to the sink one at a time and
// shared strings live in one arena. That is why XLSX imports are meant for up to about 100,000
// rows; bigger imports use CSV, which streams.
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>
#include <zip.h>

#include "core/text.hpp"
#include "io/table.hpp"

namespace rap::io {

namespace {

constexpr size_t kMaxColumns = 16384;  // XFD, the last column of a spreadsheet
constexpr long kMaxRows = 1048576;

constexpr std::string_view kSaveAsXlsx =
    "in Excel or LibreOffice use Save As > \"Excel Workbook (.xlsx)\"";

// pugixml's defaults plus whitespace-only text, so that a cell holding " " keeps it.
constexpr unsigned kParseOptions = pugi::parse_default | pugi::parse_ws_pcdata_single;

bool IsValidText(std::string_view text) {
    unsigned char any_high = 0;
    for (const char ch : text) {
        any_high |= static_cast<unsigned char>(ch);
    }
    return (any_high & 0x80U) == 0 || !core::FindInvalidUtf8(text);
}

// "A" for 0, "XFD" for 16383.
std::string ColumnName(size_t column) {
    std::string name;
    for (size_t n = column + 1; n > 0; n = (n - 1) / 26) {
        name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
    }
    return name;
}

// The 0-based column of a cell reference such as "B3", or nullopt when it has no valid column.
std::optional<size_t> ColumnOf(std::string_view ref) {
    size_t column = 0;
    size_t letters = 0;
    for (const char ch : ref) {
        char upper = ch;
        if (ch >= 'a' && ch <= 'z') {
            upper = static_cast<char>(ch - 'a' + 'A');
        }
        if (upper < 'A' || upper > 'Z') {
            break;
        }
        if (++letters > 3) {
            return std::nullopt;
        }
        column = column * 26 + static_cast<size_t>(upper - 'A' + 1);
    }
    if (letters == 0) {
        return std::nullopt;
    }
    return column - 1;
}

std::string_view LocalName(const char* name) {
    const std::string_view full(name);
    const size_t colon = full.rfind(':');
    return colon == std::string_view::npos ? full : full.substr(colon + 1);
}

// The first child element with the local name (writers differ in namespace prefixes).
pugi::xml_node Child(pugi::xml_node node, std::string_view local) {
    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
        if (child.type() == pugi::node_element && LocalName(child.name()) == local) {
            return child;
        }
    }
    return {};
}

// Calls f on each child element with the local name.
template <class F>
void ForEachChild(pugi::xml_node node, std::string_view local, F&& f) {
    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
        if (child.type() == pugi::node_element && LocalName(child.name()) == local) {
            f(child);
        }
    }
}

int HexValue(char ch) {
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    return -1;
}

void AppendUtf8(uint32_t code, std::string& out) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6U));
        out += static_cast<char>(0x80 | (code & 0x3FU));
    } else {
        out += static_cast<char>(0xE0 | (code >> 12U));
        out += static_cast<char>(0x80 | ((code >> 6U) & 0x3FU));
        out += static_cast<char>(0x80 | (code & 0x3FU));
    }
}

// Appends text, decoding the _xHHHH_ escapes with which Excel stores characters that XML cannot
// hold (a carriage return is "_x000D_", a literal "_x" is "_x005F_x").
void AppendDecoded(std::string_view text, std::string& out) {
    size_t i = 0;
    while (i < text.size()) {
        const size_t escape = text.find("_x", i);
        if (escape == std::string_view::npos) {
            break;
        }
        out.append(text.substr(i, escape - i));
        uint32_t code = 0;
        bool ok = escape + 7 <= text.size() && text[escape + 6] == '_';
        for (size_t k = escape + 2; ok && k < escape + 6; ++k) {
            const int digit = HexValue(text[k]);
            ok = digit >= 0;
            code = code * 16 + static_cast<uint32_t>(digit);
        }
        if (ok && code != 0 && (code < 0xD800 || code > 0xDFFF)) {
            AppendUtf8(code, out);
            i = escape + 7;
        } else {
            out += text[escape];
            i = escape + 1;
        }
    }
    out.append(text.substr(std::min(i, text.size())));
}

// The text of a <t> element (its text and CDATA children), decoded.
void AppendText(pugi::xml_node t, std::string& out) {
    for (pugi::xml_node piece = t.first_child(); piece; piece = piece.next_sibling()) {
        if (piece.type() == pugi::node_pcdata || piece.type() == pugi::node_cdata) {
            AppendDecoded(piece.value(), out);
        }
    }
}

// The text of a shared string <si> or inline string <is>: a plain <t>, or rich-text runs
// <r><t>. Phonetic runs <rPh> (furigana) are not part of the text.
void AppendRichText(pugi::xml_node string_item, std::string& out) {
    for (pugi::xml_node child = string_item.first_child(); child; child = child.next_sibling()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        const std::string_view name = LocalName(child.name());
        if (name == "t") {
            AppendText(child, out);
        } else if (name == "r") {
            ForEachChild(child, "t", [&](pugi::xml_node t) { AppendText(t, out); });
        }
    }
}

// A number as the shortest text that reads back as the same double ("2024", "0.1", "1e-07").
void AppendNumber(std::string_view text, std::string& out) {
    double value = 0;
    const char* end = text.data() + text.size();
    const auto parsed = std::from_chars(text.data(), end, value);
    if (parsed.ec != std::errc() || parsed.ptr != end || !std::isfinite(value)) {
        out.append(text);  // not a number after all: keep what the file says
        return;
    }
    if (value == 0) {
        out += '0';  // also for -0
        return;
    }
    std::array<char, 32> buffer{};
    const auto written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out.append(buffer.data(), written.ptr);
}

// A decompressed part and, once parsed, its document. The document points into `bytes`.
struct XmlPart {
    std::string bytes;
    pugi::xml_document doc;
};

class Workbook {
public:
    Workbook(std::string path, const XlsxLimits& limits)
        : path_(std::move(path)), limits_(limits) {}
    ~Workbook() {
        if (zip_ != nullptr) {
            zip_discard(zip_);
        }
    }
    Workbook(const Workbook&) = delete;
    Workbook& operator=(const Workbook&) = delete;

    Status Read(const std::function<RowSink*(std::string_view sheet)>& sink_for) {
        RAP_TRY_STATUS(Open());
        RAP_TRY_STATUS(CheckSizes());
        RAP_TRY_STATUS(ReadSheetList());
        for (const auto& sheet : sheets_) {
            RowSink* sink = sink_for(sheet.name);
            if (sink == nullptr) {
                continue;
            }
            if (!shared_strings_loaded_) {
                RAP_TRY_STATUS(LoadSharedStrings());
            }
            RAP_TRY_STATUS(ReadSheet(sheet, *sink));
        }
        return Ok();
    }

private:
    struct SheetRef {
        std::string name;
        std::string part;
    };

    // A cell's text: a view into the document or the shared strings, or a range of the row arena
    // (resolved to a view once the row is complete, as the arena may move while it grows).
    struct CellText {
        std::string_view view;
        bool in_arena = false;
        size_t offset = 0;
        size_t size = 0;
        CellKind kind = CellKind::kText;
    };

    Location Where(std::string_view sheet = {}) const {
        return Location{.file = path_, .sheet = std::string(sheet)};
    }

    Status Open() {
        std::error_code ec;
        const auto status = std::filesystem::status(path_, ec);
        if (ec || !std::filesystem::exists(status)) {
            return Fail(Errc::kNotFound, "no such file", Where());
        }
        if (!std::filesystem::is_regular_file(status)) {
            return Fail(Errc::kInvalidArgument, "not a regular file", Where());
        }
        const auto size = std::filesystem::file_size(path_, ec);
        if (ec) {
            return Fail(Errc::kInvalidArgument, fmt::format("cannot read: {}", ec.message()),
                        Where());
        }
        if (size > limits_.max_file_bytes) {
            return Fail(Errc::kResourceExhausted,
                        fmt::format("file is {} bytes; the limit is {} bytes", size,
                                    limits_.max_file_bytes),
                        Where());
        }
        if (size == 0) {
            return Fail(Errc::kInvalidArgument, "file is empty", Where());
        }
        std::array<char, 4> magic{};
        {
            std::ifstream in(path_, std::ios::binary);
            in.read(magic.data(), magic.size());
        }
        const std::string_view head(magic.data(), magic.size());
        if (head == std::string_view("\xD0\xCF\x11\xE0", 4)) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("file is a password-protected workbook or an old Excel 97-2003 "
                                    "(.xls) file; remove the password if it has one, then {}",
                                    kSaveAsXlsx),
                        Where());
        }
        if (head.substr(0, 2) != "PK") {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("file is not an XLSX workbook (it is not a ZIP archive; is it "
                                    "a CSV or text file with the wrong extension?); {}",
                                    kSaveAsXlsx),
                        Where());
        }
        int error_code = 0;
        zip_ = zip_open(path_.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error_code);
        if (zip_ == nullptr) {
            zip_error_t error;
            zip_error_init_with_code(&error, error_code);
            std::string message;
            if (error_code == ZIP_ER_NOZIP) {
                message = fmt::format("file is not an XLSX workbook (not a ZIP archive); {}",
                                      kSaveAsXlsx);
            } else {
                message = fmt::format(
                    "file is damaged or truncated ({}); copy or download it "
                    "again",
                    zip_error_strerror(&error));
            }
            zip_error_fini(&error);
            return Fail(Errc::kInvalidArgument, std::move(message), Where());
        }
        return Ok();
    }

    // The zip-bomb guard: the sizes the directory declares, before anything is decompressed.
    // Reading never takes more than the declared size (ReadPart), so a lying directory cannot
    // get past this either.
    Status CheckSizes() {
        const zip_int64_t entries = zip_get_num_entries(zip_, 0);
        size_t total = 0;
        for (zip_int64_t i = 0; i < entries; ++i) {
            zip_stat_t st;
            zip_stat_init(&st);
            if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
                (st.valid & ZIP_STAT_SIZE) == 0) {
                return Fail(Errc::kInvalidArgument,
                            "file is damaged: its ZIP directory cannot be read", Where());
            }
            const std::string_view name =
                (st.valid & ZIP_STAT_NAME) != 0 ? st.name : std::string_view("?");
            const auto size = static_cast<size_t>(st.size);
            if (st.size > limits_.max_uncompressed_bytes) {
                return Fail(Errc::kResourceExhausted,
                            fmt::format("part {} would unpack to {} bytes; the limit is {} bytes",
                                        name, st.size, limits_.max_uncompressed_bytes),
                            Where());
            }
            total += size;
            if (total > limits_.max_uncompressed_bytes) {
                return Fail(Errc::kResourceExhausted,
                            fmt::format("workbook would unpack to more than {} bytes (the limit)",
                                        limits_.max_uncompressed_bytes),
                            Where());
            }
        }
        return Ok();
    }

    std::optional<zip_uint64_t> FindPart(const std::string& name) const {
        // Part names in a package are case-insensitive.
        const zip_int64_t index = zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE);
        if (index < 0) {
            return std::nullopt;
        }
        return static_cast<zip_uint64_t>(index);
    }

    Status ReadPart(zip_uint64_t index, const std::string& name, std::string_view sheet,
                    std::string& out) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_, index, 0, &st) != 0) {
            return Fail(Errc::kInvalidArgument, fmt::format("part {} cannot be read", name),
                        Where(sheet));
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("part {} is encrypted; remove the password, then {}", name,
                                    kSaveAsXlsx),
                        Where(sheet));
        }
        // Counts every part read, so that a workbook naming one part for many sheets cannot
        // unpack more than the limit either.
        unpacked_ += static_cast<size_t>(st.size);
        if (unpacked_ > limits_.max_uncompressed_bytes) {
            return Fail(Errc::kResourceExhausted,
                        fmt::format("workbook would unpack to more than {} bytes (the limit)",
                                    limits_.max_uncompressed_bytes),
                        Where(sheet));
        }
        const std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> owned(
            zip_fopen_index(zip_, index, 0), &zip_fclose);
        zip_file_t* file = owned.get();
        if (file == nullptr) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("part {} cannot be read: {}", name,
                                    zip_error_strerror(zip_get_error(zip_))),
                        Where(sheet));
        }
        out.assign(static_cast<size_t>(st.size), '\0');
        size_t got = 0;
        std::string problem;
        while (got < out.size()) {
            const zip_int64_t n = zip_fread(file, out.data() + got, out.size() - got);
            if (n <= 0) {
                problem = n < 0 ? zip_error_strerror(zip_file_get_error(file))
                                : "it is shorter than the ZIP directory says";
                break;
            }
            got += static_cast<size_t>(n);
        }
        if (problem.empty()) {
            char extra = 0;
            const zip_int64_t n = zip_fread(file, &extra, 1);
            if (n < 0) {
                problem = zip_error_strerror(zip_file_get_error(file));
            } else if (n > 0) {
                problem = "it is longer than the ZIP directory says";
            }
        }
        if (!problem.empty()) {
            out.clear();
            return Fail(
                Errc::kInvalidArgument,
                fmt::format("file is damaged: part {} cannot be unpacked ({})", name, problem),
                Where(sheet));
        }
        return Ok();
    }

    // Reads and parses a part; returns its root element, checked to have the expected name.
    Status LoadXml(const std::string& name, std::string_view root, std::string_view sheet,
                   XmlPart& part) {
        const auto index = FindPart(name);
        if (!index) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("file is not an XLSX workbook: part {} is missing; {}", name,
                                    kSaveAsXlsx),
                        Where(sheet));
        }
        RAP_TRY_STATUS(ReadPart(*index, name, sheet, part.bytes));
        // No parse_doctype: a DOCTYPE is skipped, and pugixml never loads external entities.
        const pugi::xml_parse_result parsed = part.doc.load_buffer_inplace(
            part.bytes.data(), part.bytes.size(), kParseOptions, pugi::encoding_auto);
        if (!parsed) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("file is damaged: part {} is not well-formed XML ({} at byte "
                                    "{})",
                                    name, parsed.description(), parsed.offset),
                        Where(sheet));
        }
        if (LocalName(part.doc.document_element().name()) != root) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("file is not an XLSX workbook: part {} has no <{}> element",
                                    name, root),
                        Where(sheet));
        }
        return Ok();
    }

    // Resolves a relationship target against the directory of the part that holds it.
    static std::string ResolveTarget(std::string_view base_dir, std::string_view target) {
        std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                                     : std::string(base_dir) + std::string(target);
        std::vector<std::string_view> segments;
        std::string_view rest = joined;
        while (!rest.empty()) {
            const size_t slash = rest.find('/');
            const std::string_view segment = rest.substr(0, slash);
            rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
            if (segment == "..") {
                if (!segments.empty()) {
                    segments.pop_back();
                }
            } else if (!segment.empty() && segment != ".") {
                segments.push_back(segment);
            }
        }
        std::string path;
        for (const auto segment : segments) {
            if (!path.empty()) {
                path += '/';
            }
            path += segment;
        }
        return path;
    }

    static bool EndsWith(std::string_view text, std::string_view suffix) {
        return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
    }

    // The relationship id of a <sheet>: r:id, whatever prefix the writer bound to the
    // relationships namespace.
    static std::string_view RelationshipId(pugi::xml_node sheet) {
        for (pugi::xml_attribute a = sheet.first_attribute(); a; a = a.next_attribute()) {
            const std::string_view name = a.name();
            if (name.find(':') != std::string_view::npos && LocalName(a.name()) == "id") {
                return a.value();
            }
        }
        return {};
    }

    Status ReadSheetList() {
        XmlPart workbook;
        RAP_TRY_STATUS(LoadXml("xl/workbook.xml", "workbook", {}, workbook));
        XmlPart rels;
        RAP_TRY_STATUS(LoadXml("xl/_rels/workbook.xml.rels", "Relationships", {}, rels));

        struct Target {
            std::string type;
            std::string part;
        };
        std::map<std::string, Target, std::less<>> targets;
        ForEachChild(rels.doc.document_element(), "Relationship", [&](pugi::xml_node rel) {
            const std::string type = rel.attribute("Type").value();
            std::string part = ResolveTarget("xl/", rel.attribute("Target").value());
            if (EndsWith(type, "/sharedStrings")) {
                shared_strings_part_ = part;
            }
            targets[rel.attribute("Id").value()] = Target{type, std::move(part)};
        });

        const pugi::xml_node list = Child(workbook.doc.document_element(), "sheets");
        Status status = Ok();
        ForEachChild(list, "sheet", [&](pugi::xml_node sheet) {
            if (!status) {
                return;
            }
            std::string name = sheet.attribute("name").value();
            if (!IsValidText(name)) {
                status = Fail(Errc::kInvalidArgument,
                              "file is damaged: a sheet name is not valid UTF-8", Where());
                return;
            }
            const auto target = targets.find(RelationshipId(sheet));
            if (target == targets.end()) {
                status = Fail(Errc::kInvalidArgument,
                              "file is damaged: the workbook names a sheet whose part is missing",
                              Where(name));
                return;
            }
            // Chart sheets, dialog sheets and macro sheets have no cells.
            if (EndsWith(target->second.type, "/worksheet")) {
                sheets_.push_back(SheetRef{std::move(name), target->second.part});
            }
        });
        return status;
    }

    Status LoadSharedStrings() {
        shared_strings_loaded_ = true;
        if (shared_strings_part_.empty()) {
            shared_strings_part_ = "xl/sharedStrings.xml";
        }
        if (!FindPart(shared_strings_part_)) {
            return Ok();  // a workbook without text has no shared strings
        }
        XmlPart part;
        RAP_TRY_STATUS(LoadXml(shared_strings_part_, "sst", {}, part));
        ForEachChild(part.doc.document_element(), "si", [&](pugi::xml_node si) {
            AppendRichText(si, strings_);
            string_ends_.push_back(strings_.size());
        });
        for (size_t i = 0; i < string_ends_.size(); ++i) {
            if (!IsValidText(SharedString(i))) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("file is damaged: shared string {} is not valid UTF-8", i),
                            Where());
            }
        }
        return Ok();
    }

    std::string_view SharedString(size_t index) const {
        const size_t begin = index == 0 ? 0 : string_ends_[index - 1];
        return std::string_view(strings_).substr(begin, string_ends_[index] - begin);
    }

    Location CellAt(const SheetRef& sheet, long row, size_t column) const {
        return Location{
            .file = path_, .sheet = sheet.name, .row = row, .field = ColumnName(column)};
    }

    // Appends the result of `append` to the arena and describes it as a CellText.
    template <class F>
    CellText InArena(F&& append) {
        const size_t offset = arena_.size();
        append(arena_);
        return CellText{.in_arena = true, .offset = offset, .size = arena_.size() - offset};
    }

    Result<CellText> CellValue(pugi::xml_node cell, const SheetRef& sheet, long row,
                               size_t column) {
        const std::string_view type = cell.attribute("t").value();
        if (type == "inlineStr") {
            return InArena([&](std::string& out) { AppendRichText(Child(cell, "is"), out); });
        }
        const pugi::xml_node v = Child(cell, "v");
        const std::string_view value = v.child_value();
        if (value.empty()) {
            return CellText{};
        }
        if (type == "s") {
            size_t index = 0;
            const auto parsed = std::from_chars(value.data(), value.data() + value.size(), index);
            if (parsed.ec != std::errc() || parsed.ptr != value.data() + value.size() ||
                index >= string_ends_.size()) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("file is damaged: the cell refers to shared string '{}', "
                                        "which does not exist",
                                        value.substr(0, 20)),
                            CellAt(sheet, row, column));
            }
            return CellText{.view = SharedString(index)};
        }
        if (type == "b") {
            return CellText{.view = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value};
        }
        if (type.empty() || type == "n") {
            CellText number = InArena([&](std::string& out) { AppendNumber(value, out); });
            number.kind = CellKind::kNumber;
            return number;
        }
        // "str" (a formula's cached text), "e" (an error such as #N/A), "d" (an ISO 8601 date)
        // and anything unknown: the text as stored. Formulas are never evaluated.
        if (value.find("_x") != std::string_view::npos) {
            return InArena([&](std::string& out) { AppendDecoded(value, out); });
        }
        return CellText{.view = value};
    }

    Status ReadSheet(const SheetRef& sheet, RowSink& sink) {
        XmlPart part;
        RAP_TRY_STATUS(LoadXml(sheet.part, "worksheet", sheet.name, part));
        const pugi::xml_node data = Child(part.doc.document_element(), "sheetData");
        bool header_seen = false;
        long row_number = 0;
        std::vector<CellText> cells;
        std::vector<std::string_view> views;
        std::vector<CellKind> kinds;
        for (pugi::xml_node row = data.first_child(); row; row = row.next_sibling()) {
            if (row.type() != pugi::node_element || LocalName(row.name()) != "row") {
                continue;
            }
            if (const pugi::xml_attribute r = row.attribute("r")) {
                const std::string_view text = r.value();
                long number = 0;
                const auto parsed = std::from_chars(text.data(), text.data() + text.size(), number);
                if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() ||
                    number < 1 || number > kMaxRows) {
                    return Fail(Errc::kInvalidArgument,
                                fmt::format("file is damaged: row number '{}' is not valid",
                                            text.substr(0, 20)),
                                Where(sheet.name));
                }
                row_number = number;
            } else if (++row_number > kMaxRows) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("sheet has more than {} rows", kMaxRows),
                            Where(sheet.name));
            }
            cells.clear();
            arena_.clear();
            size_t next_column = 0;
            for (pugi::xml_node cell = row.first_child(); cell; cell = cell.next_sibling()) {
                if (cell.type() != pugi::node_element || LocalName(cell.name()) != "c") {
                    continue;
                }
                size_t column = next_column;
                if (const pugi::xml_attribute r = cell.attribute("r")) {
                    const auto parsed = ColumnOf(r.value());
                    if (!parsed || *parsed >= kMaxColumns) {
                        return Fail(
                            Errc::kInvalidArgument,
                            fmt::format("file is damaged: cell reference '{}' is not "
                                        "valid",
                                        std::string_view(r.value()).substr(0, 20)),
                            Location{.file = path_, .sheet = sheet.name, .row = row_number});
                    }
                    column = *parsed;
                } else if (column >= kMaxColumns) {
                    return Fail(Errc::kInvalidArgument,
                                fmt::format("row has more than {} cells", kMaxColumns),
                                Location{.file = path_, .sheet = sheet.name, .row = row_number});
                }
                next_column = column + 1;
                const CellText text = RAP_TRY(CellValue(cell, sheet, row_number, column));
                const std::string_view current =
                    text.in_arena ? std::string_view(arena_).substr(text.offset, text.size)
                                  : text.view;
                if (current.empty()) {
                    continue;  // missing and empty cells read the same; neither widens the row
                }
                if (!IsValidText(current)) {
                    return Fail(Errc::kInvalidArgument, "cell text is not valid UTF-8",
                                CellAt(sheet, row_number, column));
                }
                if (cells.size() <= column) {
                    cells.resize(column + 1);
                }
                cells[column] = text;
            }
            if (cells.empty()) {
                continue;  // rows whose cells are all empty are skipped
            }
            views.clear();
            kinds.clear();
            for (const CellText& text : cells) {
                views.push_back(text.in_arena
                                    ? std::string_view(arena_).substr(text.offset, text.size)
                                    : text.view);
                kinds.push_back(text.kind);
            }
            if (header_seen) {
                RAP_TRY_STATUS(sink.TypedRow(row_number, views, kinds));
            } else {
                header_seen = true;
                RAP_TRY_STATUS(sink.Header(sheet.name, views));
            }
        }
        return Ok();
    }

    std::string path_;
    XlsxLimits limits_;
    zip_t* zip_ = nullptr;
    size_t unpacked_ = 0;  // bytes of all parts read so far
    std::vector<SheetRef> sheets_;
    std::string shared_strings_part_;
    bool shared_strings_loaded_ = false;
    std::string strings_;              // all shared strings, one after another
    std::vector<size_t> string_ends_;  // where each ends in strings_
    std::string arena_;                // the current row's decoded and formatted texts
};

}  // namespace

Status ReadXlsxFile(const std::string& path,
                    const std::function<RowSink*(std::string_view sheet)>& sink_for,
                    const XlsxLimits& limits) {
    try {
        Workbook workbook(path, limits);
        return workbook.Read(sink_for);
    } catch (const std::bad_alloc&) {
        return Fail(Errc::kResourceExhausted, "not enough memory to read the workbook",
                    Location{.file = path});
    }
}

}  // namespace rap::io
