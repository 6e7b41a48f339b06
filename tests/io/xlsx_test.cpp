// SPDX-License-Identifier: AGPL-3.0-or-later
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zip.h>

#include "io/table.hpp"

#include "support/test_support.hpp"

// libxlsxwriter 1.1.4 (Debian 12) copies the formula of a LIST_FORMULA data validation twice in
// worksheet_data_validation_range and frees only the second copy: a few bytes per validation.
// The frames of the Debian build have no frame pointers, so LeakSanitizer's fast unwinder sees
// only lxw_strdup.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:lxw_strdup\n";
}

namespace rap::io {
namespace {

using Cells = std::vector<std::string>;

struct RecordedRow {
    long row = 0;
    Cells cells;
    bool operator==(const RecordedRow&) const = default;
};

class RecordingSink : public RowSink {
public:
    Status Header(std::string_view sheet_name, std::span<const std::string_view> cells) override {
        ++headers;
        sheet = sheet_name;
        header.assign(cells.begin(), cells.end());
        return Ok();
    }
    Status Row(long row, std::span<const std::string_view> cells) override {
        rows.push_back(RecordedRow{row, Cells(cells.begin(), cells.end())});
        if (row == fail_at_row) {
            return Fail(Errc::kInvalidArgument, "not a code",
                        Location{.file = "x.xlsx", .sheet = sheet, .row = row, .field = "sex"});
        }
        return Ok();
    }

    int headers = 0;
    std::string sheet;
    Cells header;
    std::vector<RecordedRow> rows;
    long fail_at_row = 0;
};

// One RecordingSink per sheet, in the order the reader asks for them.
struct Workbook {
    std::vector<std::string> asked;
    std::map<std::string, RecordingSink> sheets;
    std::vector<std::string> skip;

    std::function<RowSink*(std::string_view)> SinkFor() {
        return [this](std::string_view name) -> RowSink* {
            asked.emplace_back(name);
            if (std::find(skip.begin(), skip.end(), name) != skip.end()) {
                return nullptr;
            }
            return &sheets[std::string(name)];
        };
    }
};

using Parts = std::vector<std::pair<std::string, std::string>>;

void WriteZip(const std::string& path, const Parts& parts) {
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    ASSERT_NE(zip, nullptr);
    for (const auto& [name, content] : parts) {
        zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
        ASSERT_NE(source, nullptr);
        ASSERT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0);
    }
    ASSERT_EQ(zip_close(zip), 0);
}

constexpr std::string_view kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// workbook.xml and its relationships for sheets named `names`, parts sheet1.xml, sheet2.xml...
Parts WorkbookParts(const std::vector<std::string>& names) {
    std::string sheets;
    std::string rels;
    for (size_t i = 0; i < names.size(); ++i) {
        sheets +=
            fmt::format(R"(<sheet name="{}" sheetId="{}" r:id="rId{}"/>)", names[i], i + 1, i + 1);
        rels += fmt::format(
            R"(<Relationship Id="rId{}" Type="{}/worksheet" Target="worksheets/sheet{}.xml"/>)",
            i + 1, kRel, i + 1);
    }
    rels += fmt::format(
        R"(<Relationship Id="rId99" Type="{}/sharedStrings" Target="sharedStrings.xml"/>)", kRel);
    return {
        {"xl/workbook.xml",
         fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                     R"(<workbook xmlns="{}" xmlns:r="{}"><sheets>{}</sheets></workbook>)",
                     kMain, kRel, sheets)},
        {"xl/_rels/workbook.xml.rels",
         fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?><Relationships )"
                     R"(xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
                     R"({}</Relationships>)",
                     rels)},
    };
}

std::string SheetXml(std::string_view rows) {
    return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{}" )"
                       R"(xmlns:r="{}"><sheetData>{}</sheetData></worksheet>)",
                       kMain, kRel, rows);
}

std::string SharedStringsXml(std::string_view items) {
    return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{}">{}</sst>)", kMain,
                       items);
}

// A workbook with one sheet "data" and the given shared strings.
std::string WriteOneSheet(const testing::TempDir& dir, std::string_view rows,
                          std::string_view shared_strings = "") {
    const std::string path = dir.File("book.xlsx");
    Parts parts = WorkbookParts({"data"});
    parts.emplace_back("xl/worksheets/sheet1.xml", SheetXml(rows));
    parts.emplace_back("xl/sharedStrings.xml", SharedStringsXml(shared_strings));
    WriteZip(path, parts);
    return path;
}

std::vector<std::string> FilesIn(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<SheetData> TwoSheets() {
    return {
        SheetData{.name = "victims",
                  .header = {"id", "име", "sex", "note"},
                  .rows = {{"1", "Ђорђе Љубић", "F", "=1+1"},
                           {"2", "Ëndërr Çela", "M", ""},
                           {"3", "Ѓорѓи", "", "line one\nline two"},
                           {"4", "_x0041_ stays", "X", " padded "}},
                  .allowed = {{}, {}, {"F", "M", "U"}},
                  .notes = {"Case number", "", "Sex code (SEX codelist)"}},
        SheetData{.name = "proceedings",
                  .header = {"case", "stage"},
                  .rows = {{"1", "indictment"}, {"2", "verdict"}},
                  .allowed = {{}, {"investigation", "indictment", "verdict"}}},
    };
}

TEST(FileKinds, ByExtensionInAnyCase) {
    EXPECT_TRUE(IsXlsxPath("cases.xlsx"));
    EXPECT_TRUE(IsXlsxPath("dir.v2/CASES.XLSX"));
    EXPECT_TRUE(IsXlsxPath("Obrazac.Xlsx"));
    EXPECT_FALSE(IsXlsxPath(".xlsx"));
    EXPECT_FALSE(IsXlsxPath("cases.xlsx.csv"));
    EXPECT_FALSE(IsXlsxPath("cases.xls"));
    EXPECT_TRUE(IsCsvPath("victims.CSV"));
    EXPECT_TRUE(IsCsvPath("victims.csv"));
    EXPECT_FALSE(IsCsvPath("victims.csv.xlsx"));
    EXPECT_FALSE(IsCsvPath("csv"));
}

TEST(Xlsx, WrittenWorkbookReadsBack) {
    testing::TempDir dir;
    const std::string path = dir.File("export.xlsx");
    ASSERT_TRUE(WriteXlsxFile(path, TwoSheets()));
    EXPECT_EQ(FilesIn(dir.path()), (std::vector<std::string>{"export.xlsx"}));

    Workbook book;
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    EXPECT_EQ(book.asked, (std::vector<std::string>{"victims", "proceedings", "lists"}));

    const RecordingSink& victims = book.sheets["victims"];
    EXPECT_EQ(victims.sheet, "victims");
    EXPECT_EQ(victims.header, (Cells{"id", "име", "sex", "note"}));
    // Every cell comes back as written; an empty last cell is a missing cell.
    EXPECT_EQ(victims.rows,
              (std::vector<RecordedRow>{{2, {"1", "Ђорђе Љубић", "F", "=1+1"}},
                                        {3, {"2", "Ëndërr Çela", "M"}},
                                        {4, {"3", "Ѓорѓи", "", "line one\nline two"}},
                                        {5, {"4", "_x0041_ stays", "X", " padded "}}}));

    const RecordingSink& proceedings = book.sheets["proceedings"];
    EXPECT_EQ(proceedings.header, (Cells{"case", "stage"}));
    EXPECT_EQ(proceedings.rows,
              (std::vector<RecordedRow>{{2, {"1", "indictment"}}, {3, {"2", "verdict"}}}));

    const RecordingSink& lists = book.sheets["lists"];
    EXPECT_EQ(lists.header, (Cells{"victims: sex", "proceedings: stage"}));
    EXPECT_EQ(lists.rows,
              (std::vector<RecordedRow>{
                  {2, {"F", "investigation"}}, {3, {"M", "indictment"}}, {4, {"U", "verdict"}}}));
}

TEST(Xlsx, TheSinkChoosesTheSheets) {
    testing::TempDir dir;
    const std::string path = dir.File("export.xlsx");
    ASSERT_TRUE(WriteXlsxFile(path, TwoSheets()));
    Workbook book;
    book.skip = {"lists", "proceedings"};
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    EXPECT_EQ(book.asked, (std::vector<std::string>{"victims", "proceedings", "lists"}));
    EXPECT_EQ(book.sheets.size(), 1U);
    EXPECT_EQ(book.sheets["victims"].rows.size(), 4U);
}

TEST(Xlsx, ASinkErrorStopsReadingAndIsReturnedUnchanged) {
    testing::TempDir dir;
    const std::string path = dir.File("export.xlsx");
    ASSERT_TRUE(WriteXlsxFile(path, TwoSheets()));
    Workbook book;
    book.sheets["victims"].fail_at_row = 3;
    auto status = ReadXlsxFile(path, book.SinkFor());
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().message, "not a code");
    EXPECT_EQ(status.error().where.sheet, "victims");
    EXPECT_EQ(status.error().where.row, 3);
    EXPECT_EQ(status.error().where.field, "sex");
    EXPECT_EQ(book.sheets["victims"].rows.size(), 2U);
    EXPECT_EQ(book.asked, (std::vector<std::string>{"victims"}));
}

TEST(Xlsx, ArchiveIsValidAndHoldsTextValidationsAndComments) {
    testing::TempDir dir;
    const std::string path = dir.File("export.xlsx");
    ASSERT_TRUE(WriteXlsxFile(path, TwoSheets()));
    const auto test = testing::RunShell("unzip -t " + path);
    EXPECT_EQ(test.exit_code, 0) << test.out << test.err;

    const std::string sheet =
        testing::RunShell("unzip -p " + path + " xl/worksheets/sheet1.xml").out;
    // "=1+1" is stored as text; there is no formula anywhere.
    EXPECT_NE(sheet.find("<t>=1+1</t>"), std::string::npos) << sheet;
    EXPECT_EQ(sheet.find("<f>"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find(R"(<dataValidation type="list" errorStyle="warning")"), std::string::npos)
        << sheet;
    EXPECT_NE(sheet.find(R"(sqref="C2:C10001")"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find("<formula1>lists!$A$2:$A$4</formula1>"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find(R"(state="frozen")"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find(R"(<pane ySplit="1")"), std::string::npos) << sheet;

    const std::string second =
        testing::RunShell("unzip -p " + path + " xl/worksheets/sheet2.xml").out;
    EXPECT_NE(second.find("<formula1>lists!$B$2:$B$4</formula1>"), std::string::npos) << second;

    const std::string workbook = testing::RunShell("unzip -p " + path + " xl/workbook.xml").out;
    EXPECT_NE(workbook.find(R"(<sheet name="lists" sheetId="3" state="hidden")"), std::string::npos)
        << workbook;

    const std::string comments = testing::RunShell("unzip -p " + path + " xl/comments1.xml").out;
    EXPECT_NE(comments.find("Sex code (SEX codelist)"), std::string::npos) << comments;
    EXPECT_NE(comments.find("Case number"), std::string::npos) << comments;

    const std::string core = testing::RunShell("unzip -p " + path + " docProps/core.xml").out;
    EXPECT_NE(core.find("2000-01-01T00:00:00Z"), std::string::npos) << core;
}

TEST(Xlsx, WriterOutputIsReproducible) {
    testing::TempDir dir;
    ASSERT_TRUE(WriteXlsxFile(dir.File("a.xlsx"), TwoSheets()));
    ASSERT_TRUE(WriteXlsxFile(dir.File("b.xlsx"), TwoSheets()));
    EXPECT_EQ(testing::ReadText(dir.File("a.xlsx")), testing::ReadText(dir.File("b.xlsx")));
}

TEST(Xlsx, WriterMakesSheetNamesExcelAccepts) {
    testing::TempDir dir;
    const std::string path = dir.File("names.xlsx");
    std::vector<SheetData> sheets;
    for (const std::string name : {"a/b:c*?[x]\\", "Жртве трговине људима по регионима и годинама",
                                   "Data", "data", "", "'quoted'", "lists"}) {
        sheets.push_back(SheetData{.name = name, .header = {"h"}, .allowed = {{"v"}}});
    }
    ASSERT_TRUE(WriteXlsxFile(path, sheets));
    Workbook book;
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    EXPECT_EQ(book.asked,
              (std::vector<std::string>{"a_b_c___x__", "Жртве трговине људима по регион", "Data",
                                        "data (2)", "Sheet5", "quoted", "lists", "lists (2)"}));
    // The hidden sheet's own name is used in the validation formula.
    const std::string sheet =
        testing::RunShell("unzip -p " + path + " xl/worksheets/sheet1.xml").out;
    EXPECT_NE(sheet.find("<formula1>'lists (2)'!$A$2:$A$2</formula1>"), std::string::npos) << sheet;
}

TEST(Xlsx, WriterFailsWithoutLeavingFiles) {
    testing::TempDir dir;
    const std::string path = dir.File("export.xlsx");
    std::vector<SheetData> sheets = TwoSheets();
    sheets[1].rows[1][1] = "Br\xE8ko";
    auto status = WriteXlsxFile(path, sheets);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(status.error().where.sheet, "proceedings");
    EXPECT_EQ(status.error().where.row, 3);
    EXPECT_EQ(status.error().where.field, "B");
    EXPECT_TRUE(FilesIn(dir.path()).empty());

    std::vector<SheetData> long_cell = {
        SheetData{.name = "s", .header = {"a"}, .rows = {{std::string(40000, 'x')}}}};
    status = WriteXlsxFile(path, long_cell);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.row, 2);
    EXPECT_TRUE(FilesIn(dir.path()).empty());

    EXPECT_FALSE(WriteXlsxFile(dir.File("missing/export.xlsx"), TwoSheets()));
    EXPECT_FALSE(WriteXlsxFile(path, {}));
    EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(Xlsx, ReaderHandlesEveryKindOfCell) {
    testing::TempDir dir;
    const std::string shared =
        "<si><t>plain</t></si>"
        // Rich text runs; the phonetic run is not part of the text.
        R"(<si><r><t xml:space="preserve">Rich </t></r><r><rPr><b/></rPr><t>text</t></r>)"
        R"(<rPh sb="0" eb="1"><t>フリ</t></rPh></si>)"
        R"(<si><t xml:space="preserve"> </t></si>)"
        "<si><t>a_x000D_b _x005F_x0041_</t></si>"
        "<si><t>Ђорђе</t></si>";
    const std::string rows =
        R"(<row r="1" spans="1:10">)"
        R"(<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>)"
        R"(<c r="C1" t="inlineStr"><is><t>inline</t></is></c>)"
        R"(<c r="D1"><v>2024</v></c><c r="E1" t="n"><v>0.1</v></c>)"
        R"(<c r="F1" t="b"><v>1</v></c>)"
        R"(<c r="G1" t="str"><f>A1&amp;"x"</f><v>plainx</v></c>)"
        R"(<c r="H1" t="e"><f>NA()</f><v>#N/A</v></c>)"
        R"(<c r="I1"><f>1+1</f><v>2</v></c>)"
        R"(<c r="J1" t="s"><v>2</v></c></row>)"
        // A sparse row: A and C.
        R"(<row r="2"><c r="A2" t="s"><v>4</v></c><c r="C2" t="inlineStr"><is><t>z</t></is></c>)"
        "</row>"
        // A gap: rows 3 and 4 are not in the file.
        R"(<row r="5"><c r="A5" t="inlineStr"><is><t>gap</t></is></c></row>)"
        // No r attributes: row 6, columns A and B.
        R"(<row><c t="inlineStr"><is><t>next</t></is></c><c><v>6</v></c></row>)"
        // Only styled empty cells: skipped.
        R"(<row r="7"><c r="A7" s="1"/><c r="B7" t="s"/><c r="C7" t="inlineStr"><is><t/></is></c>)"
        "</row>"
        R"(<row r="8"><c r="B8" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c>)"
        R"(<c r="C8"><v>1E-7</v></c><c r="D8"><v>-0</v></c><c r="E8"><v>123456789012</v></c>)"
        R"(<c r="F8" t="b"><v>0</v></c><c r="G8" t="s"><v>3</v></c>)"
        R"(<c r="H8"><v>45292.5</v></c><c r="I8" t="d"><v>2024-01-05</v></c></row>)";
    const std::string path = WriteOneSheet(dir, rows, shared);
    Workbook book;
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    const RecordingSink& data = book.sheets["data"];
    EXPECT_EQ(data.sheet, "data");
    EXPECT_EQ(data.header, (Cells{"plain", "Rich text", "inline", "2024", "0.1", "TRUE", "plainx",
                                  "#N/A", "2", " "}));
    EXPECT_EQ(data.rows,
              (std::vector<RecordedRow>{{2, {"Ђорђе", "", "z"}},
                                        {5, {"gap"}},
                                        {6, {"next", "6"}},
                                        {8,
                                         {"", "rich", "1e-07", "0", "123456789012", "FALSE",
                                          "a\rb _x0041_", "45292.5", "2024-01-05"}}}));
}

TEST(Xlsx, RowsTellNumberCellsFromText) {
    testing::TempDir dir;
    const std::string path = WriteOneSheet(
        dir,
        R"(<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>)"
        R"(<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>45000</v></c>)"
        R"(<c r="C2" t="n"><v>1.5</v></c><c r="D2" t="b"><v>1</v></c>)"
        R"(<c r="F2" t="inlineStr"><is><t>45000</t></is></c></row>)",
        "<si><t>45000</t></si>");
    struct KindSink : RecordingSink {
        Status TypedRow(long row, std::span<const std::string_view> cells,
                        std::span<const CellKind> cell_kinds) override {
            kinds.assign(cell_kinds.begin(), cell_kinds.end());
            return Row(row, cells);
        }
        std::vector<CellKind> kinds;
    };
    KindSink sink;
    ASSERT_TRUE(ReadXlsxFile(path, [&](std::string_view) -> RowSink* { return &sink; }));
    ASSERT_EQ(sink.rows.size(), 1U);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"45000", "45000", "1.5", "TRUE", "", "45000"}));
    EXPECT_EQ(sink.kinds, (std::vector<CellKind>{CellKind::kText, CellKind::kNumber,
                                                 CellKind::kNumber, CellKind::kText,
                                                 CellKind::kText, CellKind::kText}));
}

TEST(Xlsx, ReaderFollowsRelationshipsWhateverThePrefixes) {
    // A generator that binds the main namespace to "x:", puts the sheet elsewhere with an
    // absolute target, lists sheets in a different order than the relationships, and has a
    // chart sheet (no cells, not offered to the sink).
    testing::TempDir dir;
    const std::string path = dir.File("odd.xlsx");
    WriteZip(
        path,
        {{"xl/workbook.xml", fmt::format(R"(<x:workbook xmlns:x="{}" xmlns:rel="{}"><x:sheets>)"
                                         R"(<x:sheet name="second" sheetId="2" rel:id="b"/>)"
                                         R"(<x:sheet name="chart" sheetId="3" rel:id="c"/>)"
                                         R"(<x:sheet name="first" sheetId="1" rel:id="a"/>)"
                                         R"(</x:sheets></x:workbook>)",
                                         kMain, kRel)},
         {"xl/_rels/workbook.xml.rels",
          fmt::format(R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/)"
                      R"(2006/relationships">)"
                      R"(<Relationship Id="a" Type="{0}/worksheet" Target="/xl/data/one.xml"/>)"
                      R"(<Relationship Id="b" Type="{0}/worksheet" Target="./data/../two.xml"/>)"
                      R"(<Relationship Id="c" Type="{0}/chartsheet" Target="chart.xml"/>)"
                      R"(</Relationships>)",
                      kRel)},
         {"xl/data/one.xml",
          fmt::format(R"(<x:worksheet xmlns:x="{}"><x:sheetData><x:row r="1"><x:c r="A1" )"
                      R"(t="inlineStr"><x:is><x:t>one</x:t></x:is></x:c></x:row>)"
                      R"(</x:sheetData></x:worksheet>)",
                      kMain)},
         {"xl/two.xml", SheetXml(R"(<row r="3"><c r="B3"><v>2</v></c></row>)")}});
    Workbook book;
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    EXPECT_EQ(book.asked, (std::vector<std::string>{"second", "first"}));
    EXPECT_EQ(book.sheets["first"].header, (Cells{"one"}));
    EXPECT_EQ(book.sheets["second"].header, (Cells{"", "2"}));
}

TEST(Xlsx, ADoctypeIsNeitherProcessedNorExpanded) {
    // A "billion laughs" document: without DOCTYPE processing the entity stays literal text.
    testing::TempDir dir;
    const std::string path = dir.File("laughs.xlsx");
    Parts parts = WorkbookParts({"data"});
    std::string doctype = R"(<!DOCTYPE worksheet [<!ENTITY lol "lol">)";
    for (int i = 1; i <= 9; ++i) {
        doctype += fmt::format(R"(<!ENTITY lol{} "{}">)", i,
                               i == 1 ? std::string(10, 'x') : fmt::format("&lol{};", i - 1));
    }
    doctype += "]>";
    parts.emplace_back("xl/worksheets/sheet1.xml",
                       fmt::format(R"(<?xml version="1.0"?>{}<worksheet xmlns="{}"><sheetData>)"
                                   R"(<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>)"
                                   R"(</c></row></sheetData></worksheet>)",
                                   doctype, kMain));
    WriteZip(path, parts);
    Workbook book;
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    EXPECT_EQ(book.sheets["data"].header, (Cells{"&lol9;"}));
}

TEST(Xlsx, DeeplyNestedXmlDoesNotCrash) {
    testing::TempDir dir;
    std::string nested;
    for (int i = 0; i < 200000; ++i) {
        nested += "<x>";
    }
    for (int i = 0; i < 200000; ++i) {
        nested += "</x>";
    }
    const std::string path =
        WriteOneSheet(dir, R"(<row r="1"><c r="A1"><v>1</v>)" + nested + "</c></row>");
    Workbook book;
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    EXPECT_EQ(book.sheets["data"].header, (Cells{"1"}));
}

TEST(Xlsx, AnEmptySheetGetsNoHeader) {
    testing::TempDir dir;
    const std::string path = WriteOneSheet(dir, "");
    Workbook book;
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    EXPECT_EQ(book.asked, (std::vector<std::string>{"data"}));
    EXPECT_EQ(book.sheets["data"].headers, 0);
}

TEST(Xlsx, ReadsALargerSheet) {
    testing::TempDir dir;
    const std::string path = dir.File("big.xlsx");
    SheetData sheet{.name = "cases", .header = {"id", "sex", "age", "region"}};
    for (int i = 1; i <= 20000; ++i) {
        sheet.rows.push_back(
            {std::to_string(i), i % 2 == 0 ? "F" : "M", std::to_string(i % 90), "Скопје"});
    }
    ASSERT_TRUE(WriteXlsxFile(path, {sheet}));
    Workbook book;
    ASSERT_TRUE(ReadXlsxFile(path, book.SinkFor()));
    const RecordingSink& cases = book.sheets["cases"];
    ASSERT_EQ(cases.rows.size(), 20000U);
    EXPECT_EQ(cases.rows.back(), (RecordedRow{20001, {"20000", "F", "20", "Скопје"}}));
}

// Expects ReadXlsxFile(path) to fail with `code` and a message containing `text`.
void ExpectReadError(const std::string& path, Errc code, std::string_view text,
                     const XlsxLimits& limits = {}, std::string_view sheet = {}) {
    Workbook book;
    auto status = ReadXlsxFile(path, book.SinkFor(), limits);
    ASSERT_FALSE(status) << path;
    EXPECT_EQ(status.error().code, code) << status.error().ToString();
    EXPECT_EQ(status.error().where.file, path);
    EXPECT_EQ(status.error().where.sheet, sheet) << status.error().ToString();
    EXPECT_NE(status.error().message.find(text), std::string::npos) << status.error().message;
}

TEST(XlsxBadInput, MissingOrEmptyFile) {
    testing::TempDir dir;
    ExpectReadError(dir.File("missing.xlsx"), Errc::kNotFound, "no such file");
    testing::WriteFile(dir.File("empty.xlsx"), "");
    ExpectReadError(dir.File("empty.xlsx"), Errc::kInvalidArgument, "file is empty");
}

TEST(XlsxBadInput, ATextFileWithTheWrongExtension) {
    testing::TempDir dir;
    testing::WriteFile(dir.File("cases.xlsx"), "id;name\n1;Ana\n");
    ExpectReadError(dir.File("cases.xlsx"), Errc::kInvalidArgument, "not an XLSX workbook");
    // A file that starts like a ZIP but is not one.
    testing::WriteFile(dir.File("broken.xlsx"), std::string("PK\x03\x04garbage", 11));
    ExpectReadError(dir.File("broken.xlsx"), Errc::kInvalidArgument, "");
}

TEST(XlsxBadInput, AnOldOrPasswordProtectedWorkbook) {
    testing::TempDir dir;
    testing::WriteFile(dir.File("old.xlsx"),
                       std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
    ExpectReadError(dir.File("old.xlsx"), Errc::kInvalidArgument, "password");
}

TEST(XlsxBadInput, AZipWithoutWorkbook) {
    testing::TempDir dir;
    const std::string path = dir.File("letter.xlsx");
    WriteZip(path, {{"word/document.xml", "<document/>"}});
    ExpectReadError(path, Errc::kInvalidArgument, "xl/workbook.xml");
}

TEST(XlsxBadInput, BrokenSheetXmlNamesTheSheetAndPart) {
    testing::TempDir dir;
    const std::string path = dir.File("broken.xlsx");
    Parts parts = WorkbookParts({"victims"});
    parts.emplace_back("xl/worksheets/sheet1.xml",
                       SheetXml(R"(<row r="1"><c r="A1"><v>1</v></row>)"));
    WriteZip(path, parts);
    ExpectReadError(path, Errc::kInvalidArgument, "xl/worksheets/sheet1.xml", {}, "victims");
    Workbook book;
    auto status = ReadXlsxFile(path, book.SinkFor());
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message.find("not well-formed XML (Start-end tags mismatch"),
              std::string::npos)
        << status.error().message;
    EXPECT_EQ(status.error().ToString().rfind(path + ", sheet victims: ", 0), 0U);
}

TEST(XlsxBadInput, BrokenWorkbookXml) {
    testing::TempDir dir;
    const std::string path = dir.File("broken.xlsx");
    WriteZip(path, {{"xl/workbook.xml", "<workbook><sheets>"},
                    {"xl/_rels/workbook.xml.rels", "<Relationships/>"}});
    ExpectReadError(path, Errc::kInvalidArgument, "part xl/workbook.xml is not well-formed XML");
}

TEST(XlsxBadInput, APartAboveTheLimitIsNotUnpacked) {
    testing::TempDir dir;
    std::string rows;
    for (int i = 1; i <= 100; ++i) {
        rows += fmt::format(R"(<row r="{0}"><c r="A{0}"><v>{0}</v></c></row>)", i);
    }
    const std::string path = WriteOneSheet(dir, rows);
    ExpectReadError(path, Errc::kResourceExhausted, "xl/worksheets/sheet1.xml",
                    XlsxLimits{.max_uncompressed_bytes = 2000});
    ExpectReadError(path, Errc::kResourceExhausted, "file is", XlsxLimits{.max_file_bytes = 100});
}

TEST(XlsxBadInput, SheetsSharingOnePartCannotUnpackMoreThanTheLimit) {
    // Twenty sheets whose relationships all point at the same 1 KB part.
    testing::TempDir dir;
    const std::string path = dir.File("shared.xlsx");
    std::string sheets;
    for (int i = 1; i <= 20; ++i) {
        sheets += fmt::format(R"(<sheet name="s{0}" sheetId="{0}" r:id="rId1"/>)", i);
    }
    std::string rows;
    for (int i = 1; i <= 20; ++i) {
        rows += fmt::format(R"(<row r="{0}"><c r="A{0}"><v>{0}</v></c></row>)", i);
    }
    WriteZip(path,
             {{"xl/workbook.xml",
               fmt::format(R"(<workbook xmlns="{}" xmlns:r="{}"><sheets>{}</sheets></workbook>)",
                           kMain, kRel, sheets)},
              {"xl/_rels/workbook.xml.rels",
               fmt::format(R"(<Relationships><Relationship Id="rId1" Type="{}/worksheet" )"
                           R"(Target="worksheets/sheet1.xml"/></Relationships>)",
                           kRel)},
              {"xl/worksheets/sheet1.xml", SheetXml(rows)}});
    Workbook book;
    auto status = ReadXlsxFile(path, book.SinkFor(), XlsxLimits{.max_uncompressed_bytes = 8000});
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kResourceExhausted);
    EXPECT_LT(book.asked.size(), 20U);
    EXPECT_GT(book.asked.size(), 2U);
}

TEST(XlsxBadInput, ADirectoryThatClaimsGigabytesIsRefusedBeforeUnpacking) {
    // A zip bomb's directory: the entry claims 3.75 GiB uncompressed.
    testing::TempDir dir;
    const std::string path = dir.File("bomb.xlsx");
    const std::string content(1000, 'a');
    WriteZip(path, {{"xl/worksheets/sheet1.xml", content}});
    std::string bytes = testing::ReadText(path);
    const auto patch = [&](size_t at) {
        ASSERT_LE(at + 4, bytes.size());
        ASSERT_EQ(static_cast<unsigned char>(bytes[at]), 1000 % 256);
        ASSERT_EQ(static_cast<unsigned char>(bytes[at + 1]), 1000 / 256);
        bytes.replace(at, 4, std::string("\x00\x00\x00\xF0", 4));
    };
    ASSERT_EQ(bytes.rfind("PK\x03\x04", 0), 0U);
    patch(22);  // local header: uncompressed size
    const size_t central = bytes.find("PK\x01\x02");
    ASSERT_NE(central, std::string::npos);
    patch(central + 24);  // central directory: uncompressed size
    testing::WriteFile(path, bytes);
    ExpectReadError(path, Errc::kResourceExhausted, "would unpack to");
}

TEST(XlsxBadInput, DamagedCellsNameTheCell) {
    testing::TempDir dir;
    ExpectReadError(WriteOneSheet(dir, R"(<row r="1"><c r="B1" t="s"><v>7</v></c></row>)",
                                  "<si><t>only</t></si>"),
                    Errc::kInvalidArgument, "shared string '7'", {}, "data");
    ExpectReadError(WriteOneSheet(dir, R"(<row r="1"><c r="XFE1"><v>1</v></c></row>)"),
                    Errc::kInvalidArgument, "cell reference 'XFE1'", {}, "data");
    ExpectReadError(WriteOneSheet(dir, R"(<row r="0"><c r="A1"><v>1</v></c></row>)"),
                    Errc::kInvalidArgument, "row number '0'", {}, "data");
    ExpectReadError(WriteOneSheet(dir,
                                  "<row r=\"1\"><c r=\"C1\" t=\"inlineStr\"><is><t>Br\xE8ko"
                                  "</t></is></c></row>"),
                    Errc::kInvalidArgument, "UTF-8", {}, "data");
    Workbook book;
    auto status = ReadXlsxFile(
        WriteOneSheet(dir,
                      R"(<row r="4"><c r="A4"><v>1</v></c><c r="B4" t="s"><v>x</v></c></row>)"),
        book.SinkFor());
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.row, 4);
    EXPECT_EQ(status.error().where.field, "B");
}

}  // namespace
}  // namespace rap::io
