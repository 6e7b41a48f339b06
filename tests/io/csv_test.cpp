// SPDX-License-Identifier: AGPL-3.0-or-later
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "io/table.hpp"

#include "support/test_support.hpp"

namespace rap::io {
namespace {

using Cells = std::vector<std::string>;

struct RecordedRow {
    long row = 0;
    Cells cells;
};

Cells ToCells(std::span<const std::string_view> cells) {
    return Cells(cells.begin(), cells.end());
}

// Keeps what it is given; fails on request at a given row (0: never).
class RecordingSink : public RowSink {
public:
    Status Header(std::string_view sheet_name, std::span<const std::string_view> cells) override {
        ++headers;
        sheet = sheet_name;
        header = ToCells(cells);
        if (fail_header) {
            return Fail(Errc::kFailedPrecondition, "unknown columns", Location{.file = "sink"});
        }
        return Ok();
    }
    Status Row(long row, std::span<const std::string_view> cells) override {
        rows.push_back(RecordedRow{row, ToCells(cells)});
        if (row == fail_at_row) {
            return Fail(Errc::kInvalidArgument, "not a code of SEX",
                        Location{.file = "victims.csv", .row = row, .field = "sex"});
        }
        return Ok();
    }

    int headers = 0;
    std::string sheet;
    Cells header;
    std::vector<RecordedRow> rows;
    bool fail_header = false;
    long fail_at_row = 0;
};

Status Read(std::string_view bytes, RecordingSink& sink, const CsvOptions& options = {}) {
    return ReadCsvBytes(bytes, "victims.csv", sink, options);
}

std::vector<std::string> FilesIn(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

TEST(ReadCsv, ReadsACommaFileWithBomAndCrlf) {
    RecordingSink sink;
    ASSERT_TRUE(Read("\xEF\xBB\xBFid,name,city\r\n1,Ana,Tirana\r\n2,Marko,Beograd\r\n", sink));
    EXPECT_EQ(sink.sheet, "victims");
    EXPECT_EQ(sink.header, (Cells{"id", "name", "city"}));
    ASSERT_EQ(sink.rows.size(), 2U);
    EXPECT_EQ(sink.rows[0].row, 2);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"1", "Ana", "Tirana"}));
    EXPECT_EQ(sink.rows[1].row, 3);
    EXPECT_EQ(sink.rows[1].cells, (Cells{"2", "Marko", "Beograd"}));
}

TEST(ReadCsv, ReadsASemicolonFileAsExcelWritesItInTheRegion) {
    // No BOM, LF line ends, decimal commas in the data.
    RecordingSink sink;
    ASSERT_TRUE(Read("id;age;share\n1;17;3,5\n2;\"a; b\";0,25\n", sink));
    EXPECT_EQ(sink.header, (Cells{"id", "age", "share"}));
    ASSERT_EQ(sink.rows.size(), 2U);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"1", "17", "3,5"}));
    EXPECT_EQ(sink.rows[1].cells, (Cells{"2", "a; b", "0,25"}));
}

TEST(ReadCsv, DetectionCountsOnlyDelimitersOutsideQuotesInTheHeader) {
    RecordingSink sink;
    ASSERT_TRUE(Read("\"a,b,c\";d\n1,2;3\n", sink));
    EXPECT_EQ(sink.header, (Cells{"a,b,c", "d"}));
    ASSERT_EQ(sink.rows.size(), 1U);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"1,2", "3"}));
}

TEST(ReadCsv, AGivenDelimiterIsUsedAsIs) {
    RecordingSink comma;
    ASSERT_TRUE(Read("a;b;c,d\n1;2,3\n", comma, CsvOptions{.delimiter = ','}));
    EXPECT_EQ(comma.header, (Cells{"a;b;c", "d"}));
    RecordingSink tab;
    ASSERT_TRUE(Read("a\tb,c\n1\t2\n", tab, CsvOptions{.delimiter = '\t'}));
    EXPECT_EQ(tab.header, (Cells{"a", "b,c"}));
    ASSERT_EQ(tab.rows.size(), 1U);
    EXPECT_EQ(tab.rows[0].cells, (Cells{"1", "2"}));
}

TEST(ReadCsv, QuotedCellsHoldDelimitersQuotesAndLineBreaks) {
    RecordingSink sink;
    ASSERT_TRUE(
        Read("id,text,x\r\n"
             "1,\"Tirana, Durrës\",a\r\n"
             "2,\"she said \"\"no\"\"\",b\r\n"
             "3,\"line one\r\nline two\nline three\",c\r\n"
             "4,after,d\r\n",
             sink));
    ASSERT_EQ(sink.rows.size(), 4U);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"1", "Tirana, Durrës", "a"}));
    EXPECT_EQ(sink.rows[1].cells, (Cells{"2", "she said \"no\"", "b"}));
    EXPECT_EQ(sink.rows[2].cells, (Cells{"3", "line one\r\nline two\nline three", "c"}));
    // A record with line breaks is one spreadsheet row: the next record is row 5.
    EXPECT_EQ(sink.rows[2].row, 4);
    EXPECT_EQ(sink.rows[3].row, 5);
    EXPECT_EQ(sink.rows[3].cells, (Cells{"4", "after", "d"}));
}

TEST(ReadCsv, KeepsAlbanianSerbianAndMacedonianText) {
    RecordingSink sink;
    ASSERT_TRUE(
        Read("emri,име,мјесто\n"
             "Gjirokastër,Ђорђе Љубић,Đorđe Čačak\n"
             "çështje,Ѓорѓи Ќосев,Скопје Ѕвездан\n",
             sink));
    EXPECT_EQ(sink.header, (Cells{"emri", "име", "мјесто"}));
    ASSERT_EQ(sink.rows.size(), 2U);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"Gjirokastër", "Ђорђе Љубић", "Đorđe Čačak"}));
    EXPECT_EQ(sink.rows[1].cells, (Cells{"çështje", "Ѓорѓи Ќосев", "Скопје Ѕвездан"}));
}

TEST(ReadCsv, RowsMayHaveFewerOrMoreCellsThanTheHeader) {
    RecordingSink sink;
    ASSERT_TRUE(Read("a,b,c\n1\n1,2,3,4\n1,,\n", sink));
    ASSERT_EQ(sink.rows.size(), 3U);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"1"}));
    EXPECT_EQ(sink.rows[1].cells, (Cells{"1", "2", "3", "4"}));
    EXPECT_EQ(sink.rows[2].cells, (Cells{"1", "", ""}));
}

TEST(ReadCsv, SkipsBlankRowsButCountsThemInRowNumbers) {
    RecordingSink sink;
    ASSERT_TRUE(
        Read("a,b\n"          // 1
             "1,2\n"          // 2
             "\n"             // 3: empty line
             ",\n"            // 4: only empty cells
             "   \n"          // 5: only spaces
             "3,4\r\n"        // 6
             "\r\n"           // 7
             "\"\",\"\"\r\n"  // 8: empty quoted cells
             "5,6",           // 9, no final line break
             sink));
    ASSERT_EQ(sink.rows.size(), 3U);
    EXPECT_EQ(sink.rows[0].row, 2);
    EXPECT_EQ(sink.rows[1].row, 6);
    EXPECT_EQ(sink.rows[1].cells, (Cells{"3", "4"}));
    EXPECT_EQ(sink.rows[2].row, 9);
    EXPECT_EQ(sink.rows[2].cells, (Cells{"5", "6"}));
}

TEST(ReadCsv, AcceptsOldMacLineEnds) {
    RecordingSink sink;
    ASSERT_TRUE(Read("a,b\r1,2\r\r3,4\r", sink));
    ASSERT_EQ(sink.rows.size(), 2U);
    EXPECT_EQ(sink.rows[0].row, 2);
    EXPECT_EQ(sink.rows[1].row, 4);
    EXPECT_EQ(sink.rows[1].cells, (Cells{"3", "4"}));
}

TEST(ReadCsv, BlankLinesBeforeTheHeaderAreSkipped) {
    RecordingSink sink;
    ASSERT_TRUE(Read("\r\n;;\r\nid;name\r\n1;Ana\r\n", sink));
    EXPECT_EQ(sink.headers, 1);
    EXPECT_EQ(sink.header, (Cells{"id", "name"}));
    ASSERT_EQ(sink.rows.size(), 1U);
    EXPECT_EQ(sink.rows[0].row, 4);
}

TEST(ReadCsv, TrimsSpacesAroundUnquotedCellsButNotInsideQuotes) {
    RecordingSink sink;
    ASSERT_TRUE(Read("a, b\n x , \" y \"\n", sink));
    EXPECT_EQ(sink.header, (Cells{"a", "b"}));
    ASSERT_EQ(sink.rows.size(), 1U);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"x", " y "}));
}

TEST(ReadCsv, Windows1250TextNamesRowAndColumn) {
    // "Brčko" saved as Windows-1250: č is the byte 0xE8.
    RecordingSink sink;
    auto status = Read("id,place\n1,Sarajevo\n2,Br\xE8ko\n3,Mostar\n", sink);
    ASSERT_FALSE(status);
    const Error& e = status.error();
    EXPECT_EQ(e.code, Errc::kInvalidArgument);
    EXPECT_EQ(e.where.file, "victims.csv");
    EXPECT_EQ(e.where.row, 3);
    EXPECT_EQ(e.where.field, "place");  // named by its header
    EXPECT_NE(e.message.find("0xE8"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("Windows-1250"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("CSV UTF-8"), std::string::npos) << e.message;
    EXPECT_EQ(e.ToString().rfind("victims.csv, row 3, column place: ", 0), 0U) << e.ToString();
    ASSERT_EQ(sink.rows.size(), 1U);  // the rows before it were delivered, none after
}

TEST(ReadCsv, LegacyEncodingInTheHeaderIsRowOne) {
    // "općina" in ISO-8859-2 / Windows-1250: ć is 0xE6.
    RecordingSink sink;
    auto status = Read("ime;prezime;op\xE6ina\n", sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.row, 1);
    EXPECT_EQ(status.error().where.field, "3");
    EXPECT_EQ(sink.headers, 0);
}

TEST(ReadCsv, Windows1251CyrillicAfterAMultiLineCellNamesTheRecord) {
    // "Београд" in Windows-1251 after a quoted cell spanning three lines.
    RecordingSink sink;
    auto status = Read("id,note,city\n1,\"a\nb\nc\",x\n2,y,\xC1\xE5\xEE\xE3\xF0\xE0\xE4\n", sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.row, 3);
    EXPECT_EQ(status.error().where.field, "city");
}

TEST(ReadCsv, RejectsUtf16WithAnExplanation) {
    for (const std::string bom : {"\xFF\xFE", "\xFE\xFF"}) {
        RecordingSink sink;
        const std::string text = bom + std::string("i\0d\0,\0x\0\r\0\n\0", 12);
        auto status = Read(text, sink);
        ASSERT_FALSE(status);
        EXPECT_EQ(status.error().code, Errc::kInvalidArgument);
        EXPECT_EQ(status.error().where.file, "victims.csv");
        EXPECT_NE(status.error().message.find("UTF-16"), std::string::npos);
        EXPECT_NE(status.error().message.find("CSV UTF-8"), std::string::npos);
        EXPECT_EQ(sink.headers, 0);
    }
}

TEST(ReadCsv, RejectsANulByte) {
    RecordingSink sink;
    auto status = Read(std::string("a,b\n1,x\0y\n", 10), sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(status.error().where.row, 2);
    EXPECT_EQ(status.error().where.field, "b");
    EXPECT_NE(status.error().message.find("NUL"), std::string::npos);
}

TEST(ReadCsv, UnterminatedQuoteNamesTheRowWhereItStarts) {
    RecordingSink sink;
    auto status = Read("a,b\n1,2\n3,\"Tirana\n4,5\n6,7\n", sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(status.error().where.row, 3);
    EXPECT_EQ(status.error().where.field, "b");
    EXPECT_NE(status.error().message.find("closing quote"), std::string::npos);
    ASSERT_EQ(sink.rows.size(), 1U);
}

TEST(ReadCsv, AnOverlongCellIsTakenForAMissingQuote) {
    std::string text = "a,b\n1,2\n3,\"";
    text.append(size_t{3} << 20U, 'x');
    RecordingSink sink;
    auto status = Read(text, sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.row, 3);
    EXPECT_EQ(status.error().where.field, "b");
    EXPECT_NE(status.error().message.find("closing quote"), std::string::npos);
}

TEST(ReadCsv, AnOverlongCellWithItsQuotesRightIsOnlyTooLong) {
    // Unquoted, and quoted with its closing quote: the quotes are fine, the cell is too long.
    for (const std::string& quote : {std::string(), std::string("\"")}) {
        std::string text = "a,b\n1,2\n3," + quote;
        text.append((size_t{1} << 20U) + 10, 'x');
        text += quote + "\n4,5\n";
        RecordingSink sink;
        auto status = Read(text, sink);
        ASSERT_FALSE(status);
        EXPECT_EQ(status.error().where.row, 3);
        EXPECT_EQ(status.error().where.field, "b");
        EXPECT_NE(status.error().message.find("longer than"), std::string::npos)
            << status.error().message;
        EXPECT_EQ(status.error().message.find("quote"), std::string::npos)
            << status.error().message;
        EXPECT_EQ(status.error().ToString().rfind("victims.csv, row 3, column b: ", 0), 0U)
            << status.error().ToString();
    }
}

TEST(ReadCsv, AColumnWithoutAHeaderIsNamedByItsNumber) {
    RecordingSink sink;
    auto status = Read("a, ,c\n1,x\xE8,3\n", sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.field, "2");
    RecordingSink beyond;
    status = Read(" a \n1,x\xE8\n", beyond);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.field, "2");
    RecordingSink trimmed;
    status = Read(" a ,b\n\xE8,1\n", trimmed);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.field, "a");
}

TEST(ReadCsv, StrayQuotesAreErrors) {
    RecordingSink inside;
    auto status = Read("a,b\n1,5\" screen\n", inside);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.row, 2);
    EXPECT_EQ(status.error().where.field, "b");
    RecordingSink after;
    status = Read("a,b\n1,2\n\"x\"y,1\n", after);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.row, 3);
    EXPECT_EQ(status.error().where.field, "a");
}

TEST(ReadCsv, AnEmptyFileIsAnError) {
    for (const std::string text : {"", "\xEF\xBB\xBF", " \r\n\n\t\n"}) {
        RecordingSink sink;
        auto status = Read(text, sink);
        ASSERT_FALSE(status) << text;
        EXPECT_EQ(status.error().code, Errc::kInvalidArgument);
        EXPECT_EQ(status.error().where.file, "victims.csv");
        EXPECT_NE(status.error().message.find("file is empty"), std::string::npos);
        EXPECT_EQ(sink.headers, 0);
    }
}

TEST(ReadCsv, AHeaderOnlyFileIsNotAnError) {
    for (const std::string text : {"id,name", "id,name\r\n", "\xEF\xBB\xBFid;name\n\n"}) {
        RecordingSink sink;
        ASSERT_TRUE(Read(text, sink)) << text;
        EXPECT_EQ(sink.headers, 1);
        EXPECT_EQ(sink.header, (Cells{"id", "name"}));
        EXPECT_TRUE(sink.rows.empty());
    }
}

TEST(ReadCsv, ASinkErrorStopsReadingAndIsReturnedUnchanged) {
    std::string text = "id,sex\n";
    for (int i = 0; i < 20000; ++i) {
        text += fmt::format("{},X\n", i);
    }
    RecordingSink sink;
    sink.fail_at_row = 3;
    auto status = Read(text, sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(status.error().message, "not a code of SEX");
    EXPECT_EQ(status.error().where.row, 3);
    EXPECT_EQ(status.error().where.field, "sex");
    EXPECT_EQ(sink.rows.size(), 2U);

    RecordingSink header;
    header.fail_header = true;
    status = Read(text, header);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kFailedPrecondition);
    EXPECT_EQ(status.error().message, "unknown columns");
    EXPECT_EQ(status.error().where.file, "sink");
    EXPECT_TRUE(header.rows.empty());
}

TEST(ReadCsv, BytesAboveTheLimitAreRefused) {
    RecordingSink sink;
    auto status = Read("a,b\n1,2\n", sink, CsvOptions{.max_bytes = 4});
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kResourceExhausted);
}

TEST(ReadCsvFile, TheSheetIsTheFileStem) {
    testing::TempDir dir;
    testing::WriteFile(dir.File("victims-2024.csv"), "a\nb\n");
    RecordingSink sink;
    ASSERT_TRUE(ReadCsvFile(dir.File("victims-2024.csv"), sink));
    EXPECT_EQ(sink.sheet, "victims-2024");
    ASSERT_EQ(sink.rows.size(), 1U);
    EXPECT_EQ(sink.rows[0].cells, (Cells{"b"}));

    RecordingSink bytes;
    ASSERT_TRUE(ReadCsvBytes("a\n", "/uploads/cases.v2.csv", bytes));
    EXPECT_EQ(bytes.sheet, "cases.v2");
}

TEST(ReadCsvFile, ErrorsNameTheFileAsGiven) {
    testing::TempDir dir;
    const std::string path = dir.File("victims.csv");
    testing::WriteFile(path, "a,b\n1,Br\xE8ko\n");
    RecordingSink sink;
    auto status = ReadCsvFile(path, sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().where.file, path);
    EXPECT_EQ(status.error().where.row, 2);
}

TEST(ReadCsvFile, MissingFileIsNotFound) {
    testing::TempDir dir;
    RecordingSink sink;
    auto status = ReadCsvFile(dir.File("nope.csv"), sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kNotFound);
    EXPECT_EQ(status.error().where.file, dir.File("nope.csv"));
    status = ReadCsvFile(dir.path(), sink);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kInvalidArgument);
}

TEST(ReadCsvFile, FileAboveTheLimitIsRefused) {
    testing::TempDir dir;
    testing::WriteFile(dir.File("big.csv"), "a,b\n1,2\n3,4\n");
    RecordingSink sink;
    auto status = ReadCsvFile(dir.File("big.csv"), sink, CsvOptions{.max_bytes = 8});
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kResourceExhausted);
    EXPECT_EQ(sink.headers, 0);
}

// Counts rows without keeping them, as a real importer converts and drops them.
class CountingSink : public RowSink {
public:
    Status Header(std::string_view, std::span<const std::string_view> cells) override {
        columns = cells.size();
        return Ok();
    }
    Status Row(long row, std::span<const std::string_view> cells) override {
        ++rows;
        last_row = row;
        if (cells.size() != columns) {
            return Fail(Errc::kInvalidArgument, "wrong width", Location{.row = row});
        }
        last_cells = ToCells(cells);
        return Ok();
    }
    size_t columns = 0;
    long rows = 0;
    long last_row = 0;
    Cells last_cells;
};

TEST(ReadCsvFile, StreamsALargeFile) {
    testing::TempDir dir;
    const std::string path = dir.File("large.csv");
    constexpr long kRows = 200000;
    {
        std::ofstream out(path, std::ios::binary);
        out << "\xEF\xBB\xBFid;sex;age;region;citizenship;exploitation;note\r\n";
        for (long i = 1; i <= kRows; ++i) {
            out << i << ";F;" << (i % 90) << ";RS-BG;ALB;sexual;\"Ђорђе; " << i << "\"\r\n";
            if (i % 50000 == 0) {
                out << ";;;;;;\r\n";  // blank rows count in row numbers
            }
        }
    }
    CountingSink sink;
    ASSERT_TRUE(ReadCsvFile(path, sink));
    EXPECT_EQ(sink.columns, 7U);
    EXPECT_EQ(sink.rows, kRows);
    EXPECT_EQ(sink.last_row, kRows + 1 + 3);  // header, then 3 blank rows before the last
    EXPECT_EQ(sink.last_cells.back(), "Ђорђе; 200000");
}

// --- Reading a file in parts ----------------------------------------------------------------

// Reads every part of a file cut at about `part_bytes` into one list of rows numbered as in the
// file, as a reader on several threads does.
struct PartsRead {
    Cells header;
    std::vector<RecordedRow> rows;
    std::vector<CsvPart> parts;
    bool every_part_ends_a_record = true;
};

Result<PartsRead> ReadInParts(const std::string& path, uint64_t part_bytes) {
    PartsRead out;
    out.parts = RAP_TRY(CutCsvFile(path, part_bytes));
    const CsvHead head = RAP_TRY(ReadCsvHead(path));
    out.header = head.cells;
    long offset = 0;
    for (const CsvPart& part : out.parts) {
        RecordingSink sink;
        const CsvPartRead read =
            RAP_TRY(ReadCsvPart(path, part, sink, CsvOptions{.delimiter = head.delimiter}));
        EXPECT_EQ(sink.headers, part.first() ? 1 : 0);
        for (auto& row : sink.rows) {
            row.row += part.first() ? 0 : offset;
            out.rows.push_back(std::move(row));
        }
        offset += read.rows;
        out.every_part_ends_a_record = out.every_part_ends_a_record && read.ends_a_record;
    }
    return out;
}

TEST(ReadCsvPart, PartsGiveTheRowsAndRowNumbersOfTheWholeFile) {
    testing::TempDir dir;
    const std::string path = dir.File("victims.csv");
    // BOM, semicolons, CRLF, blank lines above the header and between rows, quoted cells with
    // the delimiter and doubled quotes, Cyrillic, and no line break after the last row.
    std::string text = "\xEF\xBB\xBF\r\n;;\r\ncase_id;sex;note\r\n";
    for (int i = 1; i <= 300; ++i) {
        text += fmt::format("SYN-{};{};\"Ђорђе; \"\"{}\"\"\"\r\n", i, i % 2 == 0 ? "F" : "M",
                            i);
        if (i % 37 == 0) {
            text += "\r\n";
        }
    }
    text += "SYN-LAST;F;end";
    testing::WriteFile(path, text);
    RecordingSink whole;
    ASSERT_TRUE(ReadCsvFile(path, whole));
    ASSERT_EQ(whole.rows.size(), 301U);
    for (const uint64_t part_bytes : {uint64_t{64}, uint64_t{1000}, uint64_t{4096}}) {
        auto parts = ReadInParts(path, part_bytes);
        ASSERT_TRUE(parts) << parts.error().ToString();
        EXPECT_GE(parts->parts.size(), 2U) << part_bytes;
        EXPECT_TRUE(parts->every_part_ends_a_record);
        EXPECT_EQ(parts->header, whole.header);
        ASSERT_EQ(parts->rows.size(), whole.rows.size()) << part_bytes;
        for (size_t r = 0; r < whole.rows.size(); ++r) {
            EXPECT_EQ(parts->rows[r].row, whole.rows[r].row) << part_bytes << " " << r;
            EXPECT_EQ(parts->rows[r].cells, whole.rows[r].cells) << part_bytes << " " << r;
        }
        // The parts cover the file, each after the one before.
        EXPECT_EQ(parts->parts.front().begin, 0U);
        EXPECT_EQ(parts->parts.back().end, text.size());
        for (size_t k = 1; k < parts->parts.size(); ++k) {
            EXPECT_EQ(parts->parts[k].begin, parts->parts[k - 1].end);
        }
    }
    // A small file is one part.
    auto one = CutCsvFile(path, text.size() + 1);
    ASSERT_TRUE(one);
    EXPECT_EQ(one->size(), 1U);
}

TEST(ReadCsvPart, ALaterPartNamesColumnsByTheFileHeader) {
    testing::TempDir dir;
    const std::string path = dir.File("victims.csv");
    std::string text = "case_id,place\n";
    for (int i = 1; i <= 200; ++i) {
        text += fmt::format("SYN-{},{}\n", i, i == 150 ? "Br\xE8ko" : "Mostar");
    }
    testing::WriteFile(path, text);
    auto parts = CutCsvFile(path, 512);
    ASSERT_TRUE(parts);
    ASSERT_GT(parts->size(), 2U);
    int failed = 0;
    for (size_t k = 1; k < parts->size(); ++k) {
        RecordingSink sink;
        auto read = ReadCsvPart(path, (*parts)[k], sink,
                                CsvOptions{.delimiter = ',', .header = {"case_id", " place "}});
        if (!read) {
            ++failed;
            EXPECT_EQ(read.error().where.field, "place");
        }
    }
    EXPECT_EQ(failed, 1);
}

TEST(ReadCsvPart, ACutInsideAQuotedLineBreakIsReported) {
    testing::TempDir dir;
    const std::string path = dir.File("notes.csv");
    std::string note;
    for (int i = 0; i < 200; ++i) {
        note += "line " + std::to_string(i) + "\n";
    }
    testing::WriteFile(path, "id,note\n1,\"" + note + "\"\n2,x\n");
    auto parts = CutCsvFile(path, 256);
    ASSERT_TRUE(parts);
    ASSERT_GT(parts->size(), 2U);
    RecordingSink sink;
    auto first = ReadCsvPart(path, parts->front(), sink, CsvOptions{.delimiter = ','});
    ASSERT_TRUE(first) << first.error().ToString();
    EXPECT_FALSE(first->ends_a_record);  // the reader then reads the file whole
    RecordingSink whole;
    ASSERT_TRUE(ReadCsvFile(path, whole));
    ASSERT_EQ(whole.rows.size(), 2U);
    EXPECT_EQ(whole.rows[0].cells[1], note);
    EXPECT_EQ(whole.rows[1].row, 3);
}

TEST(ReadCsvPart, TheLastPartStillRefusesAnUnclosedQuote) {
    testing::TempDir dir;
    const std::string path = dir.File("victims.csv");
    std::string text = "id,sex\n";
    for (int i = 0; i < 100; ++i) {
        text += "SYN-" + std::to_string(i) + ",F\n";
    }
    text += "SYN-X,\"F\n";
    testing::WriteFile(path, text);
    auto parts = CutCsvFile(path, 200);
    ASSERT_TRUE(parts);
    ASSERT_GT(parts->size(), 1U);
    RecordingSink sink;
    auto last = ReadCsvPart(path, parts->back(), sink, CsvOptions{.delimiter = ','});
    ASSERT_FALSE(last);
    EXPECT_NE(last.error().message.find("closing quote"), std::string::npos)
        << last.error().message;
    // A continuation part needs the delimiter, and the header is not checked again there.
    auto middle = ReadCsvPart(path, (*parts)[1], sink, CsvOptions{.delimiter = ','});
    ASSERT_TRUE(middle) << middle.error().ToString();
    EXPECT_TRUE(middle->ends_a_record);
    EXPECT_FALSE(ReadCsvHead(dir.File("missing.csv")));
    EXPECT_FALSE(CutCsvFile(dir.File("missing.csv"), 100));
}

TEST(WriteCsv, RoundTripsEveryKindOfCell) {
    testing::TempDir dir;
    const std::string path = dir.File("export.csv");
    SheetData sheet{.name = "victims",
                    .header = {"id", "ime", "note"},
                    .rows = {{"1", "Ђорђе Љубић", "a, b; c"},
                             {"2", "Ëndërr", "she said \"no\""},
                             {"3", "Ѓорѓи", "line one\nline two\r\nline three"},
                             {"4", "", " padded "},
                             {"5", "=1+1", "+38111222"},
                             {"6", "-5", "@SUM(A1)"},
                             {"7", "\tx", "'kept'"},
                             {"8"}}};
    for (const char delimiter : {',', ';'}) {
        ASSERT_TRUE(WriteCsvFile(path, sheet, delimiter));
        RecordingSink sink;
        ASSERT_TRUE(ReadCsvFile(path, sink));
        EXPECT_EQ(sink.header, sheet.header);
        ASSERT_EQ(sink.rows.size(), sheet.rows.size());
        for (size_t i = 0; i < sheet.rows.size(); ++i) {
            EXPECT_EQ(sink.rows[i].row, static_cast<long>(i) + 2);
        }
        EXPECT_EQ(sink.rows[0].cells, sheet.rows[0]);
        EXPECT_EQ(sink.rows[1].cells, sheet.rows[1]);
        EXPECT_EQ(sink.rows[2].cells, sheet.rows[2]);
        EXPECT_EQ(sink.rows[3].cells, sheet.rows[3]);
        // Cells that a spreadsheet would run as formulas come back with the apostrophe.
        EXPECT_EQ(sink.rows[4].cells, (Cells{"5", "'=1+1", "'+38111222"}));
        EXPECT_EQ(sink.rows[5].cells, (Cells{"6", "'-5", "'@SUM(A1)"}));
        EXPECT_EQ(sink.rows[6].cells, (Cells{"7", "'\tx", "'kept'"}));
        EXPECT_EQ(sink.rows[7].cells, (Cells{"8"}));
        EXPECT_EQ(FilesIn(dir.path()), (std::vector<std::string>{"export.csv"}));
    }
}

TEST(WriteCsv, WritesBomCrlfQuotesAndFormulaGuardsExactly) {
    testing::TempDir dir;
    const std::string path = dir.File("out.csv");
    SheetData sheet{.header = {"a", "b"},
                    .rows = {{"=1+1", "x,y"}, {"say \"hi\"", "-"}, {"\rx", ""}},
                    .allowed = {{"ignored"}}};
    ASSERT_TRUE(WriteCsvFile(path, sheet));
    EXPECT_EQ(testing::ReadText(path),
              "\xEF\xBB\xBF"
              "a,b\r\n"
              "\"'=1+1\",\"x,y\"\r\n"
              "\"say \"\"hi\"\"\",\"'-\"\r\n"
              "\"'\rx\",\r\n");
    ASSERT_TRUE(WriteCsvFile(path, sheet, ';', /*excel_bom=*/false));
    EXPECT_EQ(testing::ReadText(path),
              "a;b\r\n"
              "\"'=1+1\";x,y\r\n"
              "\"say \"\"hi\"\"\";\"'-\"\r\n"
              "\"'\rx\";\r\n");
}

TEST(WriteCsv, FailureLeavesTheOldFileAndNoTemporaryFile) {
    testing::TempDir dir;
    const std::string path = dir.File("export.csv");
    testing::WriteFile(path, "old\r\n");
    SheetData bad{.header = {"a", "b"}, .rows = {{"1", "2"}, {"3", "Br\xE8ko"}}};
    auto status = WriteCsvFile(path, bad);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(status.error().where.row, 3);
    EXPECT_EQ(status.error().where.field, "2");
    EXPECT_EQ(testing::ReadText(path), "old\r\n");
    EXPECT_EQ(FilesIn(dir.path()), (std::vector<std::string>{"export.csv"}));

    status = WriteCsvFile(dir.File("missing/export.csv"), SheetData{.header = {"a"}});
    ASSERT_FALSE(status);
    EXPECT_EQ(FilesIn(dir.path()), (std::vector<std::string>{"export.csv"}));
}

TEST(WriteCsv, ReplacesAnExistingFile) {
    testing::TempDir dir;
    const std::string path = dir.File("export.csv");
    testing::WriteFile(path, "a much longer old content that must disappear\r\n");
    ASSERT_TRUE(WriteCsvFile(path, SheetData{.header = {"a"}, .rows = {{"1"}}}, ',', false));
    EXPECT_EQ(testing::ReadText(path), "a\r\n1\r\n");
    EXPECT_EQ(FilesIn(dir.path()), (std::vector<std::string>{"export.csv"}));
}

}  // namespace
}  // namespace rap::io
