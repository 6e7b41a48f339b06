// SPDX-License-Identifier: AGPL-3.0-or-later
// Import of case records (app::ImportCases) through the real path: files on disk, an SQLite store
// initialised with the shipped reference data. Every rejected import must say where (file, sheet,
// row, column), what the value was and what was expected, and must leave the database exactly as
// it was (all or nothing, docs/case-data.md "Import").
//
// The rows are taken from the golden data set (tests/engine/golden/*.csv, ids SYN-GOLD-*) and
// mutated; other ids start with SYN- too. Synthetic test data: describes no real person.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "app/cases.hpp"
#include "app/catalog.hpp"
#include "app/setup.hpp"
#include "io/case_reader.hpp"
#include "io/table.hpp"

#include "support/test_support.hpp"

namespace rap::app {
namespace {

// Import options naming who imports (the audit log needs a name).
ImportOptions Signed() {
    ImportOptions options;
    options.actor = "Analyst (synthetic)";
    return options;
}


std::string GoldenPath(const std::string& file) {
    return std::string(RAP_SOURCE_DIR) + "/tests/engine/golden/" + file;
}

std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

// The header line of a golden file ("victims.csv").
std::string GoldenHeader(const std::string& file) {
    return Lines(testing::ReadText(GoldenPath(file))).at(0);
}

// The line of a golden file whose first cell is `key` (the golden files quote nothing).
std::string GoldenRow(const std::string& file, const std::string& key) {
    for (const auto& line : Lines(testing::ReadText(GoldenPath(file)))) {
        if (line.starts_with(key + ",")) {
            return line;
        }
    }
    ADD_FAILURE() << "no row " << key << " in " << file;
    return {};
}

std::vector<std::string> SplitComma(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    for (char c : line) {
        if (c == ',') {
            cells.push_back(cell);
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells.push_back(cell);
    return cells;
}

std::string JoinComma(const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
        out += (i == 0 ? "" : ",") + cells[i];
    }
    return out;
}

// A golden row with the cell of `column` (by the golden header) replaced by `value`.
std::string GoldenRowWith(const std::string& file, const std::string& key,
                          const std::map<std::string, std::string>& changes) {
    const auto header = SplitComma(GoldenHeader(file));
    auto cells = SplitComma(GoldenRow(file, key));
    for (const auto& [column, value] : changes) {
        auto it = std::find(header.begin(), header.end(), column);
        if (it == header.end()) {
            ADD_FAILURE() << "no column " << column << " in " << file;
            continue;
        }
        cells.at(static_cast<size_t>(it - header.begin())) = value;
    }
    return JoinComma(cells);
}

// Header of a golden file followed by the given lines, LF line ends.
std::string GoldenCsv(const std::string& file, const std::vector<std::string>& rows) {
    std::string out = GoldenHeader(file) + "\n";
    for (const auto& r : rows) {
        out += r + "\n";
    }
    return out;
}

std::string ShellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

bool Contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Reads a CSV file (as written by the exporters) into a header and rows of strings.
class CollectingSink : public io::RowSink {
public:
    Status Header(std::string_view, std::span<const std::string_view> cells) override {
        header.assign(cells.begin(), cells.end());
        return Ok();
    }
    Status Row(long, std::span<const std::string_view> cells) override {
        rows.emplace_back(cells.begin(), cells.end());
        return Ok();
    }
    // The cell of `column` in the row whose first cell is `key`; nullopt when either is missing.
    std::optional<std::string> Cell(const std::string& key, const std::string& column) const {
        auto c = std::find(header.begin(), header.end(), column);
        if (c == header.end()) {
            return std::nullopt;
        }
        const auto at = static_cast<size_t>(c - header.begin());
        for (const auto& row : rows) {
            if (!row.empty() && row[0] == key) {
                return at < row.size() ? row[at] : std::string();
            }
        }
        return std::nullopt;
    }
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

CollectingSink ReadCsv(const std::string& path) {
    CollectingSink sink;
    const Status read = io::ReadCsvFile(path, sink);
    EXPECT_TRUE(read) << path << ": " << read.error().ToString();
    return sink;
}

std::vector<std::string> FieldNames(const cases::RecordDef& record) {
    std::vector<std::string> names;
    for (const auto& f : record.fields) {
        names.push_back(f.name);
    }
    return names;
}

// What the case-record part of a database holds, to show that a failed import changed nothing.
struct CaseState {
    long long data_version = 0;
    long long imports = 0;
    std::vector<std::tuple<std::string, std::string, int, long long, long long, std::string>>
        partitions;  // record, country, year, rows, version, payload
    bool operator==(const CaseState&) const = default;
};

CaseState StateOf(store::Store& store) {
    CaseState s;
    auto version = store.CaseDataVersion();
    EXPECT_TRUE(version) << version.error().ToString();
    s.data_version = version.value_or(-1);
    auto imports = store.CountRows("case_imports");
    EXPECT_TRUE(imports) << imports.error().ToString();
    s.imports = imports.value_or(-1);
    auto parts = store.LoadPartitions();
    EXPECT_TRUE(parts) << parts.error().ToString();
    if (parts) {
        for (const auto& p : *parts) {
            s.partitions.emplace_back(p.id.record, p.id.country, p.id.year, p.rows, p.version,
                                      p.payload);
        }
    }
    return s;
}

// The database holds no case records at all.
void ExpectNothingWritten(store::Store& store) {
    auto version = store.CaseDataVersion();
    ASSERT_TRUE(version) << version.error().ToString();
    EXPECT_EQ(*version, 0);
    auto parts = store.LoadPartitions();
    ASSERT_TRUE(parts) << parts.error().ToString();
    EXPECT_TRUE(parts->empty()) << parts->size() << " partition(s) stored";
    EXPECT_EQ(store.CountRows("case_imports").value_or(-1), 0);
}

// Rows stored for a record type (optionally of one country and year), from the partitions.
long long StoredRows(store::Store& store, const std::string& record, const std::string& country = {},
                     int year = 0) {
    auto parts = store.LoadPartitions(record, country, store::Store::Payload::kWithout);
    EXPECT_TRUE(parts) << parts.error().ToString();
    long long n = 0;
    for (const auto& p : parts.value_or(std::vector<store::StoredPartition>{})) {
        if (year == 0 || p.id.year == year) {
            n += p.rows;
        }
    }
    return n;
}

const ImportReport::PerRecord* PerRecord(const ImportReport& report, const std::string& record) {
    for (const auto& r : report.records) {
        if (r.record == record) {
            return &r;
        }
    }
    return nullptr;
}

std::string Show(const std::vector<engine::Value>& values) {
    std::ostringstream out;
    for (const auto& v : values) {
        out << "\n  " << v.indicator << "/" << v.measure << " " << v.country << " " << v.year
            << " [";
        for (const auto& [d, c] : v.by) {
            out << d << "=" << c << " ";
        }
        out << "] value=" << v.value << " num=" << v.numerator << " den=" << v.denominator
            << " p90=" << v.p90 << " records=" << v.records;
    }
    return out.str();
}

bool SameNumber(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

std::unique_ptr<store::Store> OpenInitialised(const std::string& path,
                                              std::shared_ptr<const Catalog>* catalog) {
    auto opened = store::Store::Open(store::Target::Parse(path));
    EXPECT_TRUE(opened) << opened.error().ToString();
    if (!opened) {
        return nullptr;
    }
    core::Diagnostics diags;
    auto init = InitDatabase(**opened, InitOptions{}, diags);
    EXPECT_TRUE(init) << init.error().ToString() << "\n" << diags.ToString();
    if (!init) {
        return nullptr;
    }
    auto loaded = Catalog::Load(**opened);
    EXPECT_TRUE(loaded) << loaded.error().ToString();
    if (!loaded) {
        return nullptr;
    }
    *catalog = *loaded;
    return std::move(*opened);
}

class CaseImport : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = OpenInitialised(tmp_.File("r.db"), &catalog_);
        ASSERT_NE(store_, nullptr);
        ASSERT_NE(catalog_, nullptr);
        ASSERT_TRUE(catalog_->data().case_schema.has_value());
    }

    // Writes `content` to `name` under the test's directory and returns the path.
    std::string Write(const std::string& name, const std::string& content) {
        const std::string path = tmp_.File(name);
        testing::WriteFile(path, content);
        return path;
    }

    Result<ImportReport> Import(const std::vector<std::string>& files,
                                const ImportOptions& options = Signed()) {
        diags_ = core::Diagnostics();
        return ImportCases(*store_, *catalog_, files, options, diags_);
    }

    // Imports that must succeed.
    ImportReport MustImport(const std::vector<std::string>& files,
                            const ImportOptions& options = Signed()) {
        auto r = Import(files, options);
        EXPECT_TRUE(r) << r.error().ToString() << "\n" << diags_.ToString();
        return r.value_or(ImportReport{});
    }

    // The single error an import must have reported (a test failure listing all when not one).
    Error OnlyError() {
        EXPECT_EQ(diags_.errors().size(), 1U) << diags_.ToString();
        return diags_.errors().empty() ? Error{} : diags_.errors().front();
    }

    std::vector<engine::Value> Query(const std::string& indicator, const std::string& country,
                                     int year, const std::vector<std::string>& by = {}) {
        return QueryValues(*store_, *catalog_, indicator, country, year, by);
    }

    static std::vector<engine::Value> QueryValues(store::Store& store, const Catalog& catalog,
                                                  const std::string& indicator,
                                                  const std::string& country, int year,
                                                  const std::vector<std::string>& by) {
        ValuesQuery q;
        q.indicator = indicator;
        q.country = country;
        q.year = year;
        q.by = by;
        q.protect = false;  // the hand-checked numbers, small counts included
        auto r = app::QueryValues(store, catalog, q);
        EXPECT_TRUE(r) << indicator << " " << country << " " << year << ": "
                       << r.error().ToString();
        return r.value_or(std::vector<engine::Value>{});
    }

    // The value of ID.1-like count indicators for a cell; 0 when the cell is not reported (no
    // record of the base population falls in it).
    double CountOf(const std::string& indicator, const std::string& country, int year,
                   const std::vector<std::pair<std::string, std::string>>& by = {}) {
        std::vector<std::string> dims;
        for (const auto& [d, c] : by) {
            dims.push_back(d);
        }
        const auto values = Query(indicator, country, year, dims);
        for (const auto& v : values) {
            if (v.measure == "value" && v.by == by) {
                return v.value;
            }
        }
        return 0;
    }

    const cases::CaseSchema& schema() const { return *catalog_->data().case_schema; }

    testing::TempDir tmp_;
    std::unique_ptr<store::Store> store_;
    std::shared_ptr<const Catalog> catalog_;
    core::Diagnostics diags_;
};

// --- 1. A wrong code ------------------------------------------------------------------------

TEST_F(CaseImport, WrongCodeNamesFileRowColumnValueAndAllowedCodes) {
    const std::string victims =
        Write("victims.csv", GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                                                     {{"sex", "Z"}})}));
    auto r = Import({victims});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, victims);
    EXPECT_EQ(e.where.row, 2);
    EXPECT_EQ(e.where.field, "sex");
    EXPECT_TRUE(e.where.sheet.empty()) << "a CSV file has no sheet: " << e.where.sheet;
    EXPECT_TRUE(Contains(e.message, "'Z'")) << e.message;
    EXPECT_TRUE(Contains(e.message, "SEX")) << e.message;
    EXPECT_TRUE(Contains(e.message, "F, M, X, U")) << e.message;
    EXPECT_TRUE(Contains(e.ToString(), victims + ", row 2, column sex: ")) << e.ToString();
    EXPECT_TRUE(Contains(r.error().ToString(), victims + ", row 2, column sex: "))
        << r.error().ToString();
    ExpectNothingWritten(*store_);
}

// --- 2. Missing and unknown columns ------------------------------------------------------

TEST_F(CaseImport, MissingRequiredColumnIsNamedOnTheHeaderRow) {
    // The golden victims without the `status` column.
    const auto header = SplitComma(GoldenHeader("victims.csv"));
    const auto status = static_cast<size_t>(
        std::find(header.begin(), header.end(), "status") - header.begin());
    ASSERT_LT(status, header.size());
    std::string csv;
    for (const auto& line : {GoldenHeader("victims.csv"), GoldenRow("victims.csv", "SYN-GOLD-V01"),
                             GoldenRow("victims.csv", "SYN-GOLD-V02")}) {
        auto cells = SplitComma(line);
        cells.erase(cells.begin() + static_cast<std::ptrdiff_t>(status));
        csv += JoinComma(cells) + "\n";
    }
    const std::string victims = Write("victims.csv", csv);
    auto r = Import({victims});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, victims);
    EXPECT_EQ(e.where.row, 1);
    EXPECT_TRUE(Contains(e.message, "missing required column")) << e.message;
    EXPECT_TRUE(Contains(e.message, "status")) << e.message;
    EXPECT_TRUE(Contains(e.message, "victim")) << e.message;
    EXPECT_TRUE(Contains(e.ToString(), victims + ", row 1")) << e.ToString();
    ExpectNothingWritten(*store_);
}

TEST_F(CaseImport, UnknownColumnIsNamedWithTheExpectedColumns) {
    std::string header = GoldenHeader("victims.csv");
    const size_t at = header.find(",status,");
    ASSERT_NE(at, std::string::npos);
    header.replace(at, 8, ",statuss,");
    const std::string victims =
        Write("victims.csv", header + "\n" + GoldenRow("victims.csv", "SYN-GOLD-V01") + "\n");
    auto r = Import({victims});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    ASSERT_FALSE(diags_.empty());
    const Error e = diags_.errors().front();
    EXPECT_EQ(e.where.file, victims);
    EXPECT_EQ(e.where.row, 1);
    EXPECT_EQ(e.where.field, "statuss");
    EXPECT_TRUE(Contains(e.message, "unknown column 'statuss'")) << e.message;
    // The expected list: every column of the victim record, in schema order.
    std::string expected;
    for (const auto& name : FieldNames(*schema().Find("victim"))) {
        expected += (expected.empty() ? "" : ", ") + name;
    }
    EXPECT_TRUE(Contains(e.message, "expected columns: " + expected)) << e.message;
    EXPECT_TRUE(Contains(e.ToString(), victims + ", row 1, column statuss: ")) << e.ToString();
    ExpectNothingWritten(*store_);
}

// --- 3. A legacy encoding -----------------------------------------------------------------

TEST_F(CaseImport, Windows1250ByteNamesRowColumnHeaderAndUtf8) {
    // Row 3, column 4 (sub_national_unit): "Brčko" as Windows-1250 writes it (č = 0xE8). The
    // column is named by its header, as in every other message about a cell.
    const std::string victims = Write(
        "victims.csv",
        GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                  GoldenRowWith("victims.csv", "SYN-GOLD-V02",
                                                {{"sub_national_unit", "Br\xE8ko"}})}));
    ASSERT_EQ(SplitComma(GoldenHeader("victims.csv")).at(3), "sub_national_unit");
    auto r = Import({victims});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, victims);
    EXPECT_EQ(e.where.row, 3);
    EXPECT_EQ(e.where.field, "sub_national_unit");
    EXPECT_TRUE(Contains(e.message, "UTF-8")) << e.message;
    EXPECT_TRUE(Contains(e.message, "0xE8")) << e.message;
    EXPECT_TRUE(Contains(e.ToString(), victims + ", row 3, column sub_national_unit: "))
        << e.ToString();
    ExpectNothingWritten(*store_);
}

// --- 4. Duplicate keys --------------------------------------------------------------------

TEST_F(CaseImport, DuplicateCaseIdInOneFileNamesBothRows) {
    const std::string victims = Write(
        "victims.csv",
        GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                  GoldenRow("victims.csv", "SYN-GOLD-V02"),
                                  GoldenRowWith("victims.csv", "SYN-GOLD-V03",
                                                {{"case_id", "SYN-GOLD-V01"}})}));
    auto r = Import({victims});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, victims);
    EXPECT_EQ(e.where.row, 4);
    EXPECT_EQ(e.where.field, "case_id");
    EXPECT_TRUE(Contains(e.message, "duplicate")) << e.message;
    EXPECT_TRUE(Contains(e.message, "SYN-GOLD-V01")) << e.message;
    EXPECT_TRUE(Contains(e.message, victims + " row 2")) << e.message;
    ExpectNothingWritten(*store_);
}

TEST_F(CaseImport, DuplicateCaseIdAcrossTwoFilesNamesBothFiles) {
    const std::string content =
        GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                  GoldenRow("victims.csv", "SYN-GOLD-V02")});
    const std::string first = Write("2024/victims.csv", content);
    // The same records under another name (the record type then comes from the columns).
    const std::string second = Write("copy/victims-copy.csv", content);
    auto r = Import({first, second});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    ASSERT_EQ(diags_.errors().size(), 2U) << diags_.ToString();
    for (size_t i = 0; i < 2; ++i) {
        const Error& e = diags_.errors()[i];
        const std::string id = i == 0 ? "SYN-GOLD-V01" : "SYN-GOLD-V02";
        SCOPED_TRACE(e.ToString());
        EXPECT_EQ(e.where.file, second);
        EXPECT_EQ(e.where.row, static_cast<long>(i + 2));
        EXPECT_EQ(e.where.field, "case_id");
        EXPECT_TRUE(Contains(e.message, "duplicate victim " + id));
        EXPECT_TRUE(Contains(e.message, first + " row " + std::to_string(i + 2)));
    }
    ExpectNothingWritten(*store_);
}

// --- 5. A defendant without its proceeding ------------------------------------------------

TEST_F(CaseImport, DefendantOfAnUnknownProceedingStopsTheWholeImport) {
    const std::string victims =
        Write("victims.csv", GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01")}));
    const std::string proceedings = Write(
        "proceedings.csv", GoldenCsv("proceedings.csv", {GoldenRow("proceedings.csv", "SYN-GOLD-P1")}));
    const std::string defendants = Write(
        "defendants.csv",
        GoldenCsv("defendants.csv", {GoldenRow("defendants.csv", "SYN-GOLD-D1"),
                                     GoldenRowWith("defendants.csv", "SYN-GOLD-D2",
                                                   {{"proceeding_id", "SYN-GOLD-P9"}})}));
    auto r = Import({victims, proceedings, defendants});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, defendants);
    EXPECT_EQ(e.where.row, 3);
    EXPECT_EQ(e.where.field, "proceeding_id");
    EXPECT_TRUE(Contains(e.message, "'SYN-GOLD-P9'")) << e.message;
    EXPECT_TRUE(Contains(e.message, "neither in this import nor in the database")) << e.message;
    EXPECT_TRUE(Contains(e.ToString(), defendants + ", row 3, column proceeding_id: "))
        << e.ToString();
    // The valid victims and proceedings of the same import are not written either.
    ExpectNothingWritten(*store_);
    EXPECT_EQ(StoredRows(*store_, "victim"), 0);
    EXPECT_EQ(StoredRows(*store_, "proceeding"), 0);
}

// --- 6. Links across countries ------------------------------------------------------------

TEST_F(CaseImport, ClaimForAVictimOfAnotherCountryIsRejected) {
    // In the same import: the claim is RS, its victim BA.
    const std::string victims = Write(
        "victims.csv", GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                                 GoldenRow("victims.csv", "SYN-GOLD-BA1")}));
    const std::string claims = Write(
        "claims.csv", GoldenCsv("claims.csv", {GoldenRowWith("claims.csv", "SYN-GOLD-C2",
                                                             {{"case_id", "SYN-GOLD-BA1"}})}));
    auto r = Import({victims, claims});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, claims);
    EXPECT_EQ(e.where.row, 2);
    EXPECT_EQ(e.where.field, "case_id");
    EXPECT_TRUE(Contains(e.message, "'SYN-GOLD-BA1'")) << e.message;
    EXPECT_TRUE(Contains(e.message, "BA")) << e.message;
    EXPECT_TRUE(Contains(e.message, "RS")) << e.message;
    ExpectNothingWritten(*store_);

    // With the BA victim already in the database.
    MustImport({Write("ba/victims.csv",
                      GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-BA1")}))});
    const CaseState before = StateOf(*store_);
    ASSERT_EQ(before.data_version, 1);
    auto again = Import({claims});
    ASSERT_FALSE(again);
    const Error stored = OnlyError();
    EXPECT_EQ(stored.where.file, claims);
    EXPECT_EQ(stored.where.row, 2);
    EXPECT_EQ(stored.where.field, "case_id");
    EXPECT_TRUE(Contains(stored.message, "a case of BA")) << stored.message;
    EXPECT_TRUE(StateOf(*store_) == before) << "a rejected import changed the database";
}

// --- 7. --country -------------------------------------------------------------------------

TEST_F(CaseImport, CountryOptionRejectsARecordOfAnotherCountry) {
    const std::string victims = Write(
        "victims.csv", GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                                 GoldenRow("victims.csv", "SYN-GOLD-BA1")}));
    ImportOptions options = Signed();
    options.country = "RS";
    auto r = Import({victims}, options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, victims);
    EXPECT_EQ(e.where.row, 3);
    EXPECT_EQ(e.where.field, "country");
    EXPECT_TRUE(Contains(e.message, "BA")) << e.message;
    EXPECT_TRUE(Contains(e.message, "RS")) << e.message;
    EXPECT_TRUE(Contains(e.ToString(), victims + ", row 3, column country: ")) << e.ToString();
    ExpectNothingWritten(*store_);
}

// --- 8. Formula-looking cells --------------------------------------------------------------

TEST_F(CaseImport, FormulaLookingCellsAreRejectedNeverEvaluated) {
    const std::string victims = Write(
        "victims.csv",
        GoldenCsv("victims.csv",
                  {GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                 {{"case_id", "\"=HYPERLINK(\"\"x\"\")\""}}),
                   // "=1+1" in a code cell, and in a number cell where 2 would be accepted.
                   GoldenRowWith("victims.csv", "SYN-GOLD-V02",
                                 {{"sex", "=1+1"}, {"days_to_status", "=1+1"}})}));
    auto r = Import({victims});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    ASSERT_EQ(diags_.errors().size(), 3U) << diags_.ToString();
    const auto find = [&](long row, const std::string& field) -> const Error* {
        for (const auto& e : diags_.errors()) {
            if (e.where.row == row && e.where.field == field) {
                return &e;
            }
        }
        ADD_FAILURE() << "no error at row " << row << ", column " << field << ":\n"
                      << diags_.ToString();
        return nullptr;
    };
    if (const Error* e = find(2, "case_id")) {
        EXPECT_EQ(e->where.file, victims);
        EXPECT_TRUE(Contains(e->message, "'=HYPERLINK(\"x\")' is not a valid identifier"))
            << e->message;
    }
    if (const Error* e = find(3, "sex")) {
        EXPECT_TRUE(Contains(e->message, "'=1+1' is not a code of SEX")) << e->message;
    }
    if (const Error* e = find(3, "days_to_status")) {
        EXPECT_TRUE(Contains(e->message, "'=1+1' is not a whole number")) << e->message;
    }
    ExpectNothingWritten(*store_);
}

// --- 9. Hostile strings --------------------------------------------------------------------

TEST_F(CaseImport, SqlInjectionInAnIdIsAnInvalidIdentifierAndTheDatabaseStillWorks) {
    const std::string hostile = "x'; DROP TABLE case_keys; --";
    const std::string bad = Write(
        "bad/victims.csv",
        GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                                {{"case_id", "\"" + hostile + "\""}})}));
    auto r = Import({bad});
    ASSERT_FALSE(r);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.row, 2);
    EXPECT_EQ(e.where.field, "case_id");
    EXPECT_TRUE(Contains(e.message, "'" + hostile + "' is not a valid identifier")) << e.message;
    ExpectNothingWritten(*store_);

    // The table is still there and a valid import goes through.
    const std::string good = Write(
        "good/victims.csv", GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                                      GoldenRow("victims.csv", "SYN-GOLD-V02")}));
    const ImportReport report = MustImport({good});
    EXPECT_EQ(report.data_version, 1);
    EXPECT_EQ(StoredRows(*store_, "victim"), 2);
    EXPECT_EQ(StoredRows(*store_, "victim", "RS", 2024), 2);
}

// --- 10. Dry run ----------------------------------------------------------------------------

TEST_F(CaseImport, DryRunReportsWhatWouldBeInsertedAndWritesNothing) {
    const std::vector<std::string> files = {
        Write("victims.csv", GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                                       GoldenRow("victims.csv", "SYN-GOLD-V02"),
                                                       GoldenRow("victims.csv", "SYN-GOLD-V15")})),
        Write("proceedings.csv",
              GoldenCsv("proceedings.csv", {GoldenRow("proceedings.csv", "SYN-GOLD-P1")})),
        Write("defendants.csv", GoldenCsv("defendants.csv",
                                          {GoldenRow("defendants.csv", "SYN-GOLD-D1"),
                                           GoldenRow("defendants.csv", "SYN-GOLD-D2")})),
        Write("proceeding_victims.csv",
              GoldenCsv("proceeding_victims.csv",
                        {GoldenRow("proceeding_victims.csv", "SYN-GOLD-P1,SYN-GOLD-V01"),
                         GoldenRow("proceeding_victims.csv", "SYN-GOLD-P1,SYN-GOLD-V02")})),
        Write("claims.csv", GoldenCsv("claims.csv", {GoldenRow("claims.csv", "SYN-GOLD-C1"),
                                                     GoldenRow("claims.csv", "SYN-GOLD-C2")})),
    };
    const std::map<std::string, long long> expected = {{"victim", 3},
                                                       {"proceeding", 1},
                                                       {"defendant", 2},
                                                       {"proceeding_victim", 2},
                                                       {"claim", 2}};
    ImportOptions options = Signed();
    options.dry_run = true;
    const ImportReport dry = MustImport(files, options);
    EXPECT_TRUE(dry.dry_run);
    EXPECT_EQ(dry.data_version, 0);
    EXPECT_EQ(dry.values_computed, 0);
    ASSERT_EQ(dry.records.size(), expected.size());
    for (const auto& [record, rows] : expected) {
        SCOPED_TRACE(record);
        const auto* per = PerRecord(dry, record);
        ASSERT_NE(per, nullptr);
        EXPECT_EQ(per->rows, rows);
        EXPECT_EQ(per->inserted, rows);
        EXPECT_EQ(per->updated, 0);
    }
    // victim RS 2024 and RS 2023, and one RS 2024 partition of each other record type.
    const std::vector<store::PartitionId> partitions = {
        {"claim", "RS", 2024},      {"defendant", "RS", 2024}, {"proceeding", "RS", 2024},
        {"proceeding_victim", "RS", 2024}, {"victim", "RS", 2023}, {"victim", "RS", 2024}};
    auto touched = dry.partitions;
    std::sort(touched.begin(), touched.end());
    EXPECT_EQ(touched, partitions);
    ExpectNothingWritten(*store_);
    auto results = store_->ListResults();
    ASSERT_TRUE(results) << results.error().ToString();
    EXPECT_TRUE(results->empty());

    // The same files for real: everything is still new.
    const ImportReport real = MustImport(files);
    EXPECT_FALSE(real.dry_run);
    EXPECT_EQ(real.data_version, 1);
    for (const auto& [record, rows] : expected) {
        SCOPED_TRACE(record);
        const auto* per = PerRecord(real, record);
        ASSERT_NE(per, nullptr);
        EXPECT_EQ(per->inserted, rows);
        EXPECT_EQ(per->updated, 0);
        EXPECT_EQ(StoredRows(*store_, record), rows);
    }
}

// --- 11. Re-import ---------------------------------------------------------------------------

TEST_F(CaseImport, ReimportUpdatesAndRecomputesBothYears) {
    // RS 2024: V01 (identified, F), V02 (identified, F), V08 (presumed, F);
    // RS 2023: V15 (identified, M), V16 (presumed, F). All five are in ID.1's base population.
    const std::vector<std::string> ids = {"SYN-GOLD-V01", "SYN-GOLD-V02", "SYN-GOLD-V08",
                                          "SYN-GOLD-V15", "SYN-GOLD-V16"};
    std::vector<std::string> rows;
    for (const auto& id : ids) {
        rows.push_back(GoldenRow("victims.csv", id));
    }
    const std::string victims = Write("first/victims.csv", GoldenCsv("victims.csv", rows));
    const ImportReport first = MustImport({victims});
    ASSERT_EQ(first.records.size(), 1U);
    EXPECT_EQ(first.records[0].inserted, 5);
    EXPECT_EQ(StoredRows(*store_, "victim"), 5);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2024), 3);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2023), 2);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2024, {{"SEX", "F"}}), 3);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2023, {{"SEX", "M"}}), 1);

    // The same file again: every row is unchanged, nothing is written.
    const ImportReport second = MustImport({victims});
    ASSERT_EQ(second.records.size(), 1U);
    EXPECT_EQ(second.records[0].rows, 5);
    EXPECT_EQ(second.records[0].unchanged, 5);
    EXPECT_EQ(second.records[0].updated, 0);
    EXPECT_EQ(second.records[0].inserted, 0);
    EXPECT_TRUE(second.nothing_changed);
    EXPECT_EQ(second.data_version, 1);
    EXPECT_EQ(StoredRows(*store_, "victim"), 5);
    EXPECT_EQ(StoredRows(*store_, "victim", "RS", 2024), 3);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2024), 3);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2023), 2);

    // V01 was recorded wrongly: male, and a 2023 case.
    rows[0] = GoldenRowWith("victims.csv", "SYN-GOLD-V01", {{"sex", "M"}, {"year", "2023"}});
    const ImportReport third =
        MustImport({Write("second/victims.csv", GoldenCsv("victims.csv", rows))});
    ASSERT_EQ(third.records.size(), 1U);
    EXPECT_EQ(third.records[0].updated, 1);
    EXPECT_EQ(third.records[0].unchanged, 4);
    EXPECT_EQ(third.records[0].inserted, 0);
    EXPECT_EQ(third.data_version, 2);
    EXPECT_EQ(StoredRows(*store_, "victim"), 5);
    EXPECT_EQ(StoredRows(*store_, "victim", "RS", 2024), 2);
    EXPECT_EQ(StoredRows(*store_, "victim", "RS", 2023), 3);
    // The old year loses the record, the new year gains it, under its new sex.
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2024), 2);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2023), 3);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2024, {{"SEX", "F"}}), 2);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2024, {{"SEX", "M"}}), 0);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2023, {{"SEX", "M"}}), 2);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2023, {{"SEX", "F"}}), 1);
}

// --- 12. CSV as Excel writes it in the region -----------------------------------------------

TEST_F(CaseImport, ExcelRegionalCsvImportsAndExportsInCanonicalForm) {
    const std::string bom = "\xEF\xBB\xBF";
    const std::string victims = Write(
        "victims.csv",
        bom +
            "Case ID;Country;Year;Status;Sex;Date identified;Minor at identification;"
            "Retrafficked;Forms\r\n"
            // A set holds ';', so in a ';'-separated file Excel quotes it.
            "SYN-EXCEL-V1;RS;2024;Identified;f;03/2024;da;ne;\"sexual;labour\"\r\n"
            "SYN-EXCEL-V2;rs;2024;presumed;M;11.2023;NE;DA;\r\n");
    const std::string claims = Write("claims.csv", bom +
                                                       "claim_id;case_id;country;year;"
                                                       "amount_claimed_eur\r\n"
                                                       "SYN-EXCEL-C1;SYN-EXCEL-V1;RS;2024;1234,50\r\n");
    const ImportReport report = MustImport({victims, claims});
    ASSERT_NE(PerRecord(report, "victim"), nullptr);
    EXPECT_EQ(PerRecord(report, "victim")->inserted, 2);
    ASSERT_NE(PerRecord(report, "claim"), nullptr);
    EXPECT_EQ(PerRecord(report, "claim")->inserted, 1);

    auto exported =
        ExportCases(*store_, *catalog_, TableFormat::kCsv, tmp_.File("export"), "", "Analyst A");
    ASSERT_TRUE(exported) << exported.error().ToString();
    const std::string victims_out = tmp_.File("export/victims.csv");
    const std::string claims_out = tmp_.File("export/claims.csv");
    ASSERT_NE(std::find(exported->begin(), exported->end(), victims_out), exported->end());
    const std::string text = testing::ReadText(victims_out);
    EXPECT_TRUE(Contains(text, "2024-03")) << text;
    EXPECT_TRUE(Contains(text, "2023-11")) << text;
    const CollectingSink v = ReadCsv(victims_out);
    EXPECT_EQ(v.header, FieldNames(*schema().Find("victim")));
    EXPECT_EQ(v.rows.size(), 2U);
    EXPECT_EQ(v.Cell("SYN-EXCEL-V1", "sex"), "F");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V1", "status"), "identified");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V1", "date_identified"), "2024-03");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V1", "minor_at_identification"), "yes");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V1", "retrafficked"), "no");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V1", "forms"), "sexual;labour");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V1", "age_band"), "");  // not recorded stays not recorded
    EXPECT_EQ(v.Cell("SYN-EXCEL-V2", "country"), "RS");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V2", "date_identified"), "2023-11");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V2", "minor_at_identification"), "no");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V2", "retrafficked"), "yes");
    EXPECT_EQ(v.Cell("SYN-EXCEL-V2", "forms"), "");
    const CollectingSink c = ReadCsv(claims_out);
    EXPECT_EQ(c.Cell("SYN-EXCEL-C1", "amount_claimed_eur"), "1234.50");
    EXPECT_EQ(c.Cell("SYN-EXCEL-C1", "case_id"), "SYN-EXCEL-V1");
}

// --- 13. XLSX -------------------------------------------------------------------------------

io::SheetData GoldenSheet(const std::string& name, const std::vector<std::string>& keys) {
    io::SheetData sheet;
    sheet.name = name;
    sheet.header = SplitComma(GoldenHeader(name + ".csv"));
    for (const auto& key : keys) {
        sheet.rows.push_back(SplitComma(GoldenRow(name + ".csv", key)));
    }
    return sheet;
}

TEST_F(CaseImport, XlsxWorkbookImports) {
    const std::string path = tmp_.File("cases.xlsx");
    ASSERT_TRUE(io::WriteXlsxFile(
        path, {GoldenSheet("victims", {"SYN-GOLD-V01", "SYN-GOLD-V15"}),
               GoldenSheet("proceedings", {"SYN-GOLD-P1", "SYN-GOLD-P2"})}));
    const ImportReport report = MustImport({path});
    ASSERT_NE(PerRecord(report, "victim"), nullptr);
    ASSERT_NE(PerRecord(report, "proceeding"), nullptr);
    EXPECT_EQ(PerRecord(report, "victim")->inserted, 2);
    EXPECT_EQ(PerRecord(report, "proceeding")->inserted, 2);
    EXPECT_EQ(StoredRows(*store_, "victim", "RS", 2024), 1);
    EXPECT_EQ(StoredRows(*store_, "victim", "RS", 2023), 1);
    EXPECT_EQ(StoredRows(*store_, "proceeding", "RS", 2024), 2);
}

TEST_F(CaseImport, XlsxErrorsNameTheSheet) {
    // A cell error in a sheet: file, sheet, row, column.
    io::SheetData victims = GoldenSheet("victims", {"SYN-GOLD-V01", "SYN-GOLD-V02"});
    victims.rows[1][6] = "Z";
    ASSERT_EQ(victims.header[6], "sex");
    const std::string bad_cell = tmp_.File("bad-cell.xlsx");
    ASSERT_TRUE(io::WriteXlsxFile(bad_cell, {victims}));
    auto r = Import({bad_cell});
    ASSERT_FALSE(r);
    {
        const Error e = OnlyError();
        EXPECT_EQ(e.where.file, bad_cell);
        EXPECT_EQ(e.where.sheet, "victims");
        EXPECT_EQ(e.where.row, 3);
        EXPECT_EQ(e.where.field, "sex");
        EXPECT_TRUE(Contains(e.ToString(), bad_cell + ", sheet victims, row 3, column sex: 'Z'"))
            << e.ToString();
    }
    ExpectNothingWritten(*store_);

    // A sheet that is not a record type.
    io::SheetData notes;
    notes.name = "notes";
    notes.header = {"note"};
    notes.rows = {{"entered by the shelter in March"}};
    const std::string extra = tmp_.File("extra-sheet.xlsx");
    ASSERT_TRUE(io::WriteXlsxFile(
        extra, {GoldenSheet("victims", {"SYN-GOLD-V01"}), GoldenSheet("proceedings", {"SYN-GOLD-P1"}),
                notes}));
    auto x = Import({extra});
    ASSERT_FALSE(x);
    EXPECT_EQ(x.error().code, Errc::kInvalidArgument);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, extra);
    EXPECT_EQ(e.where.sheet, "notes");
    EXPECT_TRUE(Contains(e.message, "'notes'")) << e.message;
    EXPECT_TRUE(Contains(e.message,
                         "expected sheets: victims, proceedings, defendants, proceeding_victims, "
                         "claims"))
        << e.message;
    EXPECT_TRUE(Contains(e.ToString(), extra + ", sheet notes: ")) << e.ToString();
    ExpectNothingWritten(*store_);
}

// The reader takes "Cases.XLSX" (as Windows tools name files) for a workbook, so every error
// about it must name the sheet, also those found after reading (parents, links, duplicates).
TEST_F(CaseImport, XlsxWithUpperCaseExtensionStillNamesTheSheet) {
    io::SheetData defendants = GoldenSheet("defendants", {"SYN-GOLD-D1"});
    ASSERT_EQ(defendants.header[1], "proceeding_id");
    defendants.rows[0][1] = "SYN-GOLD-P9";
    for (const std::string name : {"cases.xlsx", "Cases.XLSX"}) {
        SCOPED_TRACE(name);
        const std::string path = tmp_.File(name);
        ASSERT_TRUE(io::WriteXlsxFile(path, {defendants}));
        auto r = Import({path});
        ASSERT_FALSE(r);
        const Error e = OnlyError();
        EXPECT_EQ(e.where.file, path);
        EXPECT_EQ(e.where.sheet, "defendants");
        EXPECT_EQ(e.where.row, 2);
        EXPECT_EQ(e.where.field, "proceeding_id");
        EXPECT_TRUE(Contains(e.ToString(),
                             path + ", sheet defendants, row 2, column proceeding_id: "))
            << e.ToString();
        ExpectNothingWritten(*store_);
    }
}

TEST_F(CaseImport, XlsxEmptyTemplateImportsZeroRows) {
    auto written = WriteCaseTemplates(catalog_->data(), TableFormat::kXlsx, tmp_.File("template"));
    ASSERT_TRUE(written) << written.error().ToString();
    ASSERT_EQ(written->size(), 1U);
    const ImportReport report = MustImport({written->front()});
    EXPECT_EQ(report.records.size(), schema().records.size());
    for (const auto& per : report.records) {
        EXPECT_EQ(per.rows, 0) << per.record;
        EXPECT_EQ(per.inserted, 0) << per.record;
        EXPECT_EQ(per.updated, 0) << per.record;
    }
    EXPECT_TRUE(report.partitions.empty());
    auto parts = store_->LoadPartitions();
    ASSERT_TRUE(parts);
    EXPECT_TRUE(parts->empty());
}

// --- 14. Templates --------------------------------------------------------------------------

TEST_F(CaseImport, TemplatesListEverySchemaFieldAndXlsxHasValidations) {
    const std::string dir = tmp_.File("csv-template");
    auto csv = WriteCaseTemplates(catalog_->data(), TableFormat::kCsv, dir);
    ASSERT_TRUE(csv) << csv.error().ToString();
    std::vector<std::string> expected_files;
    for (const auto& record : schema().records) {
        expected_files.push_back(dir + "/" + record.sheet + ".csv");
    }
    expected_files.push_back(dir + "/instructions.csv");
    auto files = *csv;
    std::sort(files.begin(), files.end());
    std::sort(expected_files.begin(), expected_files.end());
    EXPECT_EQ(files, expected_files);
    size_t fields = 0;
    for (const auto& record : schema().records) {
        SCOPED_TRACE(record.id);
        const CollectingSink sheet = ReadCsv(dir + "/" + record.sheet + ".csv");
        EXPECT_EQ(sheet.header, FieldNames(record));
        EXPECT_TRUE(sheet.rows.empty());
        fields += record.fields.size();
    }
    const CollectingSink instructions = ReadCsv(dir + "/instructions.csv");
    EXPECT_EQ(instructions.header,
              (std::vector<std::string>{"record", "column", "required", "format", "description"}));
    EXPECT_EQ(instructions.rows.size(), fields);
    // The empty CSV templates import as they are.
    std::vector<std::string> record_files;
    for (const auto& record : schema().records) {
        record_files.push_back(dir + "/" + record.sheet + ".csv");
    }
    const ImportReport empty = MustImport(record_files);
    EXPECT_EQ(empty.records.size(), schema().records.size());
    for (const auto& per : empty.records) {
        EXPECT_EQ(per.rows, 0) << per.record;
    }

    auto xlsx = WriteCaseTemplates(catalog_->data(), TableFormat::kXlsx, tmp_.File("xlsx"));
    ASSERT_TRUE(xlsx) << xlsx.error().ToString();
    ASSERT_EQ(xlsx->size(), 1U);
    const std::string book = xlsx->front();
    const auto tested = testing::RunShell("unzip -t " + ShellQuote(book));
    EXPECT_EQ(tested.exit_code, 0) << tested.out << tested.err;
    EXPECT_TRUE(Contains(tested.out, "No errors detected")) << tested.out;
    const auto sheet1 = testing::RunShell("unzip -p " + ShellQuote(book) + " xl/worksheets/sheet1.xml");
    EXPECT_EQ(sheet1.exit_code, 0) << sheet1.err;
    EXPECT_TRUE(Contains(sheet1.out, "dataValidation")) << sheet1.out.substr(0, 2000);
}

// --- 15. Export round trip --------------------------------------------------------------------

TEST_F(CaseImport, ExportThenImportGivesIdenticalValues) {
    const SyntheticOptions synthetic{.seed = 3, .total_victims = 800, .first_year = 2023,
                                     .last_year = 2024};
    auto tables = GenerateSyntheticCases(catalog_->data(), synthetic);
    ASSERT_GT(tables.at("victim").rows(), 0U);
    core::Diagnostics diags;
    auto stored = StoreCaseTables(*store_, *catalog_, std::move(tables), Signed(), diags,
                                  "synthetic");
    ASSERT_TRUE(stored) << stored.error().ToString() << "\n" << diags.ToString();

    auto exported =
        ExportCases(*store_, *catalog_, TableFormat::kCsv, tmp_.File("export"), "", "Analyst A");
    ASSERT_TRUE(exported) << exported.error().ToString();
    ASSERT_EQ(exported->size(), schema().records.size());

    std::shared_ptr<const Catalog> catalog_b;
    auto store_b = OpenInitialised(tmp_.File("b.db"), &catalog_b);
    ASSERT_NE(store_b, nullptr);
    auto imported = ImportCases(*store_b, *catalog_b, *exported, Signed(), diags);
    ASSERT_TRUE(imported) << imported.error().ToString() << "\n" << diags.ToString();
    for (const auto& per : stored->records) {
        SCOPED_TRACE(per.record);
        const auto* b = PerRecord(*imported, per.record);
        ASSERT_NE(b, nullptr);
        EXPECT_EQ(b->rows, per.rows);
        EXPECT_EQ(b->inserted, per.rows);
        EXPECT_EQ(StoredRows(*store_b, per.record), StoredRows(*store_, per.record));
    }

    struct Ask {
        std::string indicator;
        std::vector<std::string> by;
    };
    const std::vector<Ask> asks = {{"ID.1", {}}, {"ID.1", {"SEX"}}, {"ID.5", {"AGE"}},
                                   {"CO.5", {}}};
    for (const auto& [country, year] :
         std::vector<std::pair<std::string, int>>{{"RS", 2023}, {"BA", 2024}}) {
        for (const auto& ask : asks) {
            SCOPED_TRACE(ask.indicator + " " + country + " " + std::to_string(year) +
                         (ask.by.empty() ? "" : " by " + ask.by[0]));
            const auto a = QueryValues(*store_, *catalog_, ask.indicator, country, year, ask.by);
            const auto b = QueryValues(*store_b, *catalog_b, ask.indicator, country, year, ask.by);
            ASSERT_FALSE(a.empty()) << "no values in A: the comparison would prove nothing";
            ASSERT_EQ(a.size(), b.size()) << "A:" << Show(a) << "\nB:" << Show(b);
            for (size_t i = 0; i < a.size(); ++i) {
                const bool same = a[i].indicator == b[i].indicator &&
                                  a[i].measure == b[i].measure && a[i].by == b[i].by &&
                                  SameNumber(a[i].value, b[i].value) &&
                                  SameNumber(a[i].numerator, b[i].numerator) &&
                                  SameNumber(a[i].denominator, b[i].denominator) &&
                                  SameNumber(a[i].p90, b[i].p90) && a[i].records == b[i].records;
                EXPECT_TRUE(same) << "A:" << Show({a[i]}) << "\nB:" << Show({b[i]});
            }
        }
    }
    // ID.1 in A counts real records (the comparison is not between two empty sets).
    EXPECT_GT(CountOf("ID.1", "RS", 2023), 0);
}

// --- 16. A large file -------------------------------------------------------------------------

TEST_F(CaseImport, ThirtyThousandVictimsImportCompletely) {
    auto all = GenerateSyntheticCases(catalog_->data(), SyntheticOptions{.total_victims = 30000});
    std::map<std::string, cases::CaseTable> only;
    only.emplace("victim", std::move(all.at("victim")));
    all.clear();
    const long long input = static_cast<long long>(only.at("victim").rows());
    ASSERT_GT(input, 25000);
    auto files = WriteCaseTablesCsv(schema(), only, tmp_.File("large"));
    ASSERT_TRUE(files) << files.error().ToString();
    ASSERT_EQ(files->size(), 1U);
    const ImportReport report = MustImport(*files);
    ASSERT_EQ(report.records.size(), 1U);
    EXPECT_EQ(report.records[0].record, "victim");
    EXPECT_EQ(report.records[0].rows, input);
    EXPECT_EQ(report.records[0].inserted, input);
    EXPECT_EQ(StoredRows(*store_, "victim"), input);
    auto parts = store_->LoadPartitions("victim", {}, store::Store::Payload::kWithout);
    ASSERT_TRUE(parts);
    EXPECT_GT(parts->size(), 5U);  // several countries and years
}


// --- Large files, read in parts on two threads ----------------------------------------------

cases::CellContext CellContextOf(const framework::ReferenceData& data) {
    cases::CellContext context;
    for (const auto& c : data.countries->countries) {
        context.countries.push_back(c.code);
    }
    return context;
}

// Victims SYN-P-0, SYN-P-1, ... (file rows 2, 3, ...), with some cells changed: row index ->
// column -> raw cell text.
std::string ManyVictims(int count,
                        const std::map<int, std::map<std::string, std::string>>& changes) {
    std::vector<std::string> rows;
    for (int i = 0; i < count; ++i) {
        std::map<std::string, std::string> cells = {{"case_id", "SYN-P-" + std::to_string(i)}};
        if (auto it = changes.find(i); it != changes.end()) {
            for (const auto& [column, value] : it->second) {
                cells[column] = value;
            }
        }
        rows.push_back(GoldenRowWith("victims.csv", "SYN-GOLD-V01", cells));
    }
    return GoldenCsv("victims.csv", rows);
}

TEST_F(CaseImport, FilesReadInPartsGiveTheSameTablesAsReadWhole) {
    auto all = GenerateSyntheticCases(catalog_->data(), SyntheticOptions{.total_victims = 3000});
    auto files = WriteCaseTablesCsv(schema(), all, tmp_.File("parts"));
    ASSERT_TRUE(files) << files.error().ToString();
    const cases::CellContext context = CellContextOf(catalog_->data());
    core::Diagnostics whole_diags;
    core::Diagnostics parts_diags;
    const auto whole = io::ReadCaseFiles(*files, schema(), catalog_->data().codelists, context,
                                         whole_diags);
    const auto parts = io::ReadCaseFiles(*files, schema(), catalog_->data().codelists, context,
                                         parts_diags, /*csv_part_bytes=*/8192);
    ASSERT_TRUE(whole_diags.empty()) << whole_diags.ToString();
    ASSERT_TRUE(parts_diags.empty()) << parts_diags.ToString();
    ASSERT_EQ(whole.size(), 5U);
    ASSERT_EQ(parts.size(), whole.size());
    for (const auto& [record, w] : whole) {
        SCOPED_TRACE(record);
        const cases::CaseTable& p = parts.at(record);
        ASSERT_EQ(p.rows(), w.rows());
        ASSERT_GT(w.rows(), 200U);
        for (size_t r = 0; r < w.rows(); ++r) {
            ASSERT_EQ(p.SourceFile(r), w.SourceFile(r)) << r;
            ASSERT_EQ(p.SourceRow(r), w.SourceRow(r)) << r;
            ASSERT_EQ(p.SourceRow(r), static_cast<long>(r) + 2) << r;
            for (size_t c = 0; c < w.columns().size(); ++c) {
                ASSERT_EQ(p.column(c).Text(r), w.column(c).Text(r)) << r << " " << c;
            }
        }
    }
}

TEST_F(CaseImport, ErrorsAndDuplicatesInLaterPartsNameTheirRowsInTheFile) {
    const cases::CellContext context = CellContextOf(catalog_->data());
    // Index 348 is file row 350; index 388 (row 390) repeats the id of index 8 (row 10).
    const std::string bad = Write("bad/victims.csv", ManyVictims(400, {{348, {{"sex", "Q"}}}}));
    core::Diagnostics diags;
    auto read = io::ReadCaseFiles({bad}, schema(), catalog_->data().codelists, context, diags,
                                  /*csv_part_bytes=*/2048);
    ASSERT_EQ(diags.errors().size(), 1U) << diags.ToString();
    EXPECT_EQ(diags.errors()[0].where.row, 350);
    EXPECT_EQ(diags.errors()[0].where.field, "sex");

    const std::string twice =
        Write("twice/victims.csv", ManyVictims(400, {{388, {{"case_id", "SYN-P-8"}}}}));
    core::Diagnostics read_diags;
    auto tables = io::ReadCaseFiles({twice}, schema(), catalog_->data().codelists, context,
                                    read_diags, /*csv_part_bytes=*/2048);
    ASSERT_TRUE(read_diags.empty()) << read_diags.ToString();
    auto stored = StoreCaseTables(*store_, *catalog_, std::move(tables), Signed(), diags_,
                                  "test");
    ASSERT_FALSE(stored);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.row, 390);
    EXPECT_TRUE(Contains(e.message, twice + " row 10")) << e.message;
    ExpectNothingWritten(*store_);
}

TEST_F(CaseImport, AQuotedLineBreakAcrossACutIsStillOneRow) {
    const cases::CellContext context = CellContextOf(catalog_->data());
    // A quoted cell of many lines in the record at index 50 (file row 52); a bad code further
    // on, whose row counts that record once however many lines it spans.
    std::string lines;
    for (int i = 0; i < 300; ++i) {
        lines += "line " + std::to_string(i) + "\n";
    }
    const std::string path = Write(
        "victims.csv",
        ManyVictims(200, {{50, {{"sub_national_unit", "\"" + lines + "\""}}},
                          {150, {{"sex", "Q"}}}}));
    core::Diagnostics whole;
    core::Diagnostics parts;
    io::ReadCaseFiles({path}, schema(), catalog_->data().codelists, context, whole);
    io::ReadCaseFiles({path}, schema(), catalog_->data().codelists, context, parts,
                      /*csv_part_bytes=*/1024);
    ASSERT_EQ(whole.errors().size(), 2U) << whole.ToString();
    EXPECT_EQ(whole.errors()[0].where.row, 52);
    EXPECT_EQ(whole.errors()[1].where.row, 152);
    EXPECT_EQ(parts.ToString(), whole.ToString());
    // Some cut did fall inside the quoted cell (so the file was read again in one piece).
    auto cut = io::CutCsvFile(path, 1024);
    ASSERT_TRUE(cut);
    bool inside = false;
    for (const io::CsvPart& part : *cut) {
        if (!part.last) {
            CollectingSink sink;
            auto read = io::ReadCsvPart(path, part, sink, io::CsvOptions{.delimiter = ','});
            inside = inside || (read && !read->ends_a_record);
        }
    }
    EXPECT_TRUE(inside);
}

// An import recomputes only the country-years whose inputs it changed: its own partitions, and
// those of the same country whose claims or victims in proceedings link to its victims.
TEST_F(CaseImport, AProceedingMovedToAnotherYearLeavesNoValuesBehind) {
    // RS 2023: victim V15 and proceeding P5 (not requalified: JS.5's base population is 1).
    MustImport({Write("a/victims.csv",
                      GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V15")})),
                Write("a/proceedings.csv",
                      GoldenCsv("proceedings.csv", {GoldenRow("proceedings.csv", "SYN-GOLD-P5")}))});
    auto denominator = [&](int year) {
        double d = 0;
        for (const auto& v : Query("JS.5", "RS", year)) {
            if (v.by.empty()) {
                d += v.denominator;
            }
        }
        return d;
    };
    EXPECT_DOUBLE_EQ(denominator(2023), 1);
    EXPECT_DOUBLE_EQ(denominator(2024), 0);
    // The proceeding belongs to 2024 after all. RS 2023 keeps its (older) victim, so only the
    // emptied proceeding partition tells that 2023's values are out of date.
    MustImport({Write("b/proceedings.csv",
                      GoldenCsv("proceedings.csv", {GoldenRowWith("proceedings.csv", "SYN-GOLD-P5",
                                                                   {{"year", "2024"}})}))});
    EXPECT_DOUBLE_EQ(denominator(2023), 0);
    EXPECT_DOUBLE_EQ(denominator(2024), 1);
    EXPECT_EQ(StoredRows(*store_, "proceeding", "RS", 2023), 0);
}

TEST_F(CaseImport, AVictimHeardInAStoredProceedingCannotMoveCountry) {
    MustImport(
        {Write("a/victims.csv", GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01")})),
         Write("a/proceedings.csv",
               GoldenCsv("proceedings.csv", {GoldenRow("proceedings.csv", "SYN-GOLD-P1")})),
         Write("a/proceeding_victims.csv",
               GoldenCsv("proceeding_victims.csv",
                         {GoldenRow("proceeding_victims.csv", "SYN-GOLD-P1,SYN-GOLD-V01")}))});
    const CaseState before = StateOf(*store_);
    const std::string moved = Write(
        "b/victims.csv",
        GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                                {{"country", "BA"},
                                                 {"sub_national_unit", "BA-FBIH"}})}));
    auto r = Import({moved});
    ASSERT_FALSE(r);
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, moved);
    EXPECT_EQ(e.where.row, 2);
    EXPECT_EQ(e.where.field, "country");
    EXPECT_TRUE(Contains(e.message, "SYN-GOLD-V01")) << e.message;
    EXPECT_TRUE(Contains(e.message, "SYN-GOLD-P1")) << e.message;
    EXPECT_TRUE(Contains(e.message, "import the proceeding of that proceeding_victim under BA")) << e.message;
    EXPECT_EQ(StateOf(*store_), before);
    // Moving it together with the proceeding it was heard in is fine: the stored link moves
    // with its proceeding.
    const std::string proceeding_too = Write(
        "d/proceedings.csv",
        GoldenCsv("proceedings.csv",
                  {GoldenRowWith("proceedings.csv", "SYN-GOLD-P1", {{"country", "BA"}})}));
    MustImport({moved, proceeding_too});
    EXPECT_EQ(StoredRows(*store_, "proceeding_victim", "BA"), 1);
    EXPECT_EQ(StoredRows(*store_, "proceeding_victim", "RS"), 0);
    // Back to RS, the same way round.
    MustImport({Write("e/victims.csv",
                      GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01")})),
                Write("e/proceedings.csv",
                      GoldenCsv("proceedings.csv", {GoldenRow("proceedings.csv", "SYN-GOLD-P1")}))});
    EXPECT_EQ(StoredRows(*store_, "proceeding_victim", "RS"), 1);
    // Moving within the country (another year) is fine: the proceeding stays where it is.
    MustImport({Write("c/victims.csv",
                      GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                                              {{"year", "2023"}})}))});
}

// A proceeding that moves to another country takes its victims in the proceeding with it; the
// victims they link to must then be of the new country too, or the move is refused (the links
// would point to another country, and an export would not import again).
TEST_F(CaseImport, AProceedingMovesCountryOnlyWithTheVictimsHeardInIt) {
    MustImport(
        {Write("a/victims.csv",
               GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                         GoldenRow("victims.csv", "SYN-GOLD-V02")})),
         Write("a/proceedings.csv",
               GoldenCsv("proceedings.csv", {GoldenRow("proceedings.csv", "SYN-GOLD-P1")})),
         Write("a/proceeding_victims.csv",
               GoldenCsv("proceeding_victims.csv",
                         {GoldenRow("proceeding_victims.csv", "SYN-GOLD-P1,SYN-GOLD-V01"),
                          GoldenRow("proceeding_victims.csv", "SYN-GOLD-P1,SYN-GOLD-V02")}))});
    const CaseState before = StateOf(*store_);
    const std::string moved = Write(
        "b/proceedings.csv",
        GoldenCsv("proceedings.csv",
                  {GoldenRowWith("proceedings.csv", "SYN-GOLD-P1", {{"country", "BA"}})}));
    ASSERT_FALSE(Import({moved}));
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, moved);
    EXPECT_EQ(e.where.row, 2);
    EXPECT_EQ(e.where.field, "country");
    EXPECT_TRUE(Contains(e.message, "proceeding 'SYN-GOLD-P1' moves to BA")) << e.message;
    EXPECT_TRUE(Contains(e.message, "victims of RS (SYN-GOLD-V01, SYN-GOLD-V02)")) << e.message;
    EXPECT_TRUE(Contains(e.message, "import those victims under BA in the same import"))
        << e.message;
    EXPECT_EQ(StateOf(*store_), before);

    // One of the two victims moving with it is not enough.
    const std::string one = Write(
        "c/victims.csv",
        GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                                {{"country", "BA"},
                                                 {"sub_national_unit", "BA-FBIH"}})}));
    ASSERT_FALSE(Import({moved, one}));
    EXPECT_TRUE(Contains(OnlyError().message, "a victim of RS (SYN-GOLD-V02)"))
        << diags_.ToString();
    EXPECT_EQ(StateOf(*store_), before);

    // Both: the proceeding, its links and its victims are of BA, and an export imports again.
    const std::string both = Write(
        "d/victims.csv",
        GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                                {{"country", "BA"},
                                                 {"sub_national_unit", "BA-FBIH"}}),
                                  GoldenRowWith("victims.csv", "SYN-GOLD-V02",
                                                {{"country", "BA"},
                                                 {"sub_national_unit", "BA-SRP"}})}));
    MustImport({moved, both});
    EXPECT_EQ(StoredRows(*store_, "proceeding_victim", "BA"), 2);
    EXPECT_EQ(StoredRows(*store_, "proceeding_victim", "RS"), 0);
    auto files =
        ExportCases(*store_, *catalog_, TableFormat::kCsv, tmp_.File("export"), "", "Analyst");
    ASSERT_TRUE(files) << files.error().ToString();
    MustImport(*files);
}

// A victim's claims have a country of their own (the one where they were lodged), which an
// import does not rewrite: a victim with stored claims moves to another country only with its
// claims imported again under the new one. Another year is no move for its claims.
TEST_F(CaseImport, AVictimMovesCountryOnlyWithItsStoredClaims) {
    MustImport(
        {Write("a/victims.csv",
               GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V02")})),
         Write("a/claims.csv", GoldenCsv("claims.csv", {GoldenRow("claims.csv", "SYN-GOLD-C2")}))});
    const CaseState before = StateOf(*store_);
    const std::string moved = Write(
        "b/victims.csv",
        GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V02",
                                                {{"country", "ME"}, {"sub_national_unit", ""}})}));
    ASSERT_FALSE(Import({moved}));
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, moved);
    EXPECT_EQ(e.where.row, 2);
    EXPECT_EQ(e.where.field, "country");
    EXPECT_TRUE(Contains(e.message, "a stored claim (SYN-GOLD-C2) refers to it there"))
        << e.message;
    EXPECT_TRUE(Contains(e.message, "import that claim under ME in the same import")) << e.message;
    EXPECT_EQ(StateOf(*store_), before);
    MustImport({moved, Write("c/claims.csv",
                             GoldenCsv("claims.csv", {GoldenRowWith("claims.csv", "SYN-GOLD-C2",
                                                                    {{"country", "ME"}})}))});
    EXPECT_EQ(StoredRows(*store_, "claim", "ME"), 1);
    EXPECT_EQ(StoredRows(*store_, "claim", "RS"), 0);
    // Another year: the claim keeps its own.
    MustImport({Write("d/victims.csv",
                      GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V02",
                                                              {{"country", "ME"},
                                                               {"sub_national_unit", ""},
                                                               {"year", "2023"}})}))});
    EXPECT_EQ(StoredRows(*store_, "claim", "ME", 2024), 1);
}

// Codes of one country (regions, legal qualifications) are refused on records of another.
TEST_F(CaseImport, ACodeOfAnotherCountryIsRefusedWithTheCodesOfThisOne) {
    const std::string victims = Write(
        "victims.csv",
        GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                                {{"sub_national_unit", "ba-srp"}})}));
    ASSERT_FALSE(Import({victims}));
    const Error e = OnlyError();
    EXPECT_EQ(e.where.file, victims);
    EXPECT_EQ(e.where.row, 2);
    EXPECT_EQ(e.where.field, "sub_national_unit");
    EXPECT_TRUE(Contains(e.message, "'BA-SRP' is a code of REG for BA only, but this record is "
                                    "of RS; codes of REG for RS: RS-BG, "))
        << e.message;
    EXPECT_FALSE(Contains(e.message, "BA-FBIH")) << e.message;
    ExpectNothingWritten(*store_);

    const std::string proceedings = Write(
        "proceedings.csv",
        "proceeding_id,country,year,legal_qualification_initial,legal_qualification_final\n"
        "SYN-P-1,RS,2024,AL-110a,RS-388\nSYN-P-2,ME,2024,ME-444,other\n");
    ASSERT_FALSE(Import({proceedings}));
    const Error lq = OnlyError();
    EXPECT_EQ(lq.where.row, 2);
    EXPECT_EQ(lq.where.field, "legal_qualification_initial");
    EXPECT_TRUE(Contains(lq.message, "'AL-110a' is a code of LQ for AL only")) << lq.message;
    EXPECT_TRUE(Contains(lq.message, "RS-388, RS-389, RS-390")) << lq.message;
    ExpectNothingWritten(*store_);
}

// Months: not in the future, and a bare number is a date only in a workbook's number cell.
TEST_F(CaseImport, AMonthInTheFutureOrABareNumberInCsvIsRefused) {
    const std::string victims =
        Write("victims.csv",
              "case_id,country,year,status,sex,date_identified\n"
              "SYN-M-1,RS,2024,identified,F,2099-01\nSYN-M-2,RS,2024,identified,F,45000\n");
    ASSERT_FALSE(Import({victims}));
    ASSERT_EQ(diags_.errors().size(), 2U) << diags_.ToString();
    const Error future = diags_.errors()[0];
    EXPECT_EQ(future.where.row, 2);
    EXPECT_EQ(future.where.field, "date_identified");
    EXPECT_TRUE(Contains(future.message, "'2099-01' is in the future; expected a month up to "))
        << future.message;
    const Error serial = diags_.errors()[1];
    EXPECT_EQ(serial.where.row, 3);
    EXPECT_EQ(serial.where.field, "date_identified");
    EXPECT_TRUE(Contains(serial.message, "'45000' is not a month; write it as 2024-03"))
        << serial.message;
    ExpectNothingWritten(*store_);

    // In a workbook, a number cell is a date serial (45000 is 15 March 2023); a text cell is not.
    const cases::RecordDef& record = *schema().Find("victim");
    cases::CellContext context;
    context.countries = {"RS"};
    core::Diagnostics diags;
    io::CaseTableReader reader(record, catalog_->data().codelists, context, "v.xlsx", diags);
    const std::vector<std::string_view> header = {"case_id", "country", "year", "status", "sex",
                                                  "date_identified"};
    ASSERT_TRUE(reader.Header("victims", header));
    using io::CellKind;
    const std::vector<CellKind> kinds = {CellKind::kText, CellKind::kText, CellKind::kNumber,
                                         CellKind::kText, CellKind::kText, CellKind::kNumber};
    std::vector<std::string_view> row = {"SYN-X-1", "RS", "2023", "identified", "F", "45000"};
    ASSERT_TRUE(reader.TypedRow(2, row, kinds));
    EXPECT_TRUE(diags.empty()) << diags.ToString();
    EXPECT_EQ(reader.table().column("date_identified").Text(0), "2023-03");
    std::vector<CellKind> text_kinds = kinds;
    text_kinds.back() = CellKind::kText;
    ASSERT_TRUE(reader.TypedRow(3, row, text_kinds));
    ASSERT_EQ(diags.errors().size(), 1U);
    EXPECT_EQ(diags.errors()[0].where.field, "date_identified");
}

// A claim's proceeding must exist and be of the claim's country.
TEST_F(CaseImport, AClaimsProceedingMustExistAndBeOfItsCountry) {
    const std::string victims =
        Write("victims.csv", GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01")}));
    const std::string claims =
        Write("claims.csv", GoldenCsv("claims.csv", {GoldenRow("claims.csv", "SYN-GOLD-C1")}));
    ASSERT_FALSE(Import({victims, claims}));
    const Error unknown = OnlyError();
    EXPECT_EQ(unknown.where.file, claims);
    EXPECT_EQ(unknown.where.row, 2);
    EXPECT_EQ(unknown.where.field, "proceeding_id");
    EXPECT_TRUE(Contains(unknown.message, "proceeding 'SYN-GOLD-P1' is neither in this import "
                                          "nor in the database"))
        << unknown.message;
    ExpectNothingWritten(*store_);

    const std::string proceedings = Write(
        "proceedings.csv",
        GoldenCsv("proceedings.csv",
                  {GoldenRowWith("proceedings.csv", "SYN-GOLD-P1", {{"country", "ME"}})}));
    ASSERT_FALSE(Import({victims, claims, proceedings}));
    const Error other = OnlyError();
    EXPECT_EQ(other.where.field, "proceeding_id");
    EXPECT_TRUE(Contains(other.message, "proceeding 'SYN-GOLD-P1' is a proceeding of ME, but "
                                        "this record is of RS"))
        << other.message;
    ExpectNothingWritten(*store_);

    // Of the same country: stored; it then cannot move away from its stored claim.
    MustImport({victims, claims, Write("rs/proceedings.csv",
                                       GoldenCsv("proceedings.csv",
                                                 {GoldenRow("proceedings.csv", "SYN-GOLD-P1")}))});
    const CaseState before = StateOf(*store_);
    ASSERT_FALSE(Import({proceedings}));
    EXPECT_TRUE(Contains(OnlyError().message, "a stored claim (SYN-GOLD-C1) refers to it there"))
        << diags_.ToString();
    EXPECT_EQ(StateOf(*store_), before);
}

// Records imported as they are stored change nothing: they are counted as unchanged, and an
// import of nothing but such records writes no data version, audit entry or partition and
// recomputes nothing. A changed record among them writes only its own partition.
TEST_F(CaseImport, UnchangedRecordsWriteNothing) {
    const std::vector<std::string> files = {
        Write("a/victims.csv",
              GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01"),
                                        GoldenRow("victims.csv", "SYN-GOLD-V15")})),
        Write("a/proceedings.csv",
              GoldenCsv("proceedings.csv", {GoldenRow("proceedings.csv", "SYN-GOLD-P1")})),
        Write("a/proceeding_victims.csv",
              GoldenCsv("proceeding_victims.csv",
                        {GoldenRow("proceeding_victims.csv", "SYN-GOLD-P1,SYN-GOLD-V01")}))};
    const ImportReport first = MustImport(files);
    EXPECT_FALSE(first.nothing_changed);
    const CaseState before = StateOf(*store_);
    const long long events = store_->CountRows("monitoring_events").value_or(-1);
    auto results = store_->ListResults();
    ASSERT_TRUE(results);

    const ImportReport again = MustImport(files);
    EXPECT_TRUE(again.nothing_changed);
    EXPECT_EQ(again.data_version, first.data_version);
    EXPECT_TRUE(again.partitions.empty());
    EXPECT_EQ(again.values_computed, 0);
    for (const auto& r : again.records) {
        EXPECT_EQ(r.unchanged, r.rows) << r.record;
        EXPECT_EQ(r.updated, 0) << r.record;
        EXPECT_EQ(r.inserted, 0) << r.record;
    }
    EXPECT_EQ(StateOf(*store_), before);
    EXPECT_EQ(store_->CountRows("monitoring_events").value_or(-1), events);
    auto results_again = store_->ListResults();
    ASSERT_TRUE(results_again);
    ASSERT_EQ(results_again->size(), results->size());
    for (size_t i = 0; i < results->size(); ++i) {
        EXPECT_EQ((*results_again)[i].data_version, (*results)[i].data_version);
    }
    // A dry run says the same.
    ImportOptions dry;
    dry.dry_run = true;
    const ImportReport checked = MustImport(files, dry);
    EXPECT_TRUE(checked.partitions.empty());
    EXPECT_EQ(PerRecord(checked, "victim")->unchanged, 2);

    // One changed victim: only its partition is written, the others are unchanged.
    const ImportReport one = MustImport(
        {Write("b/victims.csv",
               GoldenCsv("victims.csv",
                         {GoldenRowWith("victims.csv", "SYN-GOLD-V01", {{"sex", "M"}}),
                          GoldenRow("victims.csv", "SYN-GOLD-V15")})),
         files[1], files[2]});
    EXPECT_FALSE(one.nothing_changed);
    EXPECT_EQ(one.data_version, first.data_version + 1);
    ASSERT_EQ(one.partitions.size(), 1U);
    EXPECT_EQ(one.partitions[0], (store::PartitionId{"victim", "RS", 2024}));
    EXPECT_EQ(PerRecord(one, "victim")->updated, 1);
    EXPECT_EQ(PerRecord(one, "victim")->unchanged, 1);
    EXPECT_EQ(PerRecord(one, "proceeding")->unchanged, 1);
    EXPECT_EQ(PerRecord(one, "proceeding_victim")->unchanged, 1);
    EXPECT_EQ(StoredRows(*store_, "victim"), 2);
    EXPECT_DOUBLE_EQ(CountOf("ID.1", "RS", 2024, {{"SEX", "M"}}), 1);
}

TEST_F(CaseImport, ACellOfOnlySeparatorsIsNotTheEmptySet) {
    const std::string path = Write(
        "victims.csv",
        GoldenCsv("victims.csv", {GoldenRowWith("victims.csv", "SYN-GOLD-V01", {{"forms", ";"}})}));
    ASSERT_FALSE(Import({path}));
    const Error e = OnlyError();
    EXPECT_EQ(e.where.field, "forms");
    EXPECT_TRUE(Contains(e.message, "lists no codes")) << e.message;
    ExpectNothingWritten(*store_);
}

TEST_F(CaseImport, AFileWithThousandsOfBadRowsStopsAtTheErrorLimit) {
    std::vector<std::string> rows;
    for (int i = 0; i < 5000; ++i) {
        rows.push_back(GoldenRowWith("victims.csv", "SYN-GOLD-V01",
                                     {{"case_id", "SYN-BAD-" + std::to_string(i)}, {"sex", "Q"}}));
    }
    const std::string path = Write("victims.csv", GoldenCsv("victims.csv", rows));
    ASSERT_FALSE(Import({path}));
    ASSERT_FALSE(diags_.errors().empty());
    EXPECT_LE(diags_.errors().size(), diags_.limit());
    bool stopped = false;
    for (const auto& e : diags_.errors()) {
        stopped = stopped || Contains(e.message, "stopped reading after");
    }
    EXPECT_TRUE(stopped) << diags_.ToString().substr(0, 2000);
    ExpectNothingWritten(*store_);
}

TEST_F(CaseImport, AValueBeyondTheHeaderIsShownInTheMessage) {
    const std::string path =
        Write("victims.csv", GoldenCsv("victims.csv", {GoldenRow("victims.csv", "SYN-GOLD-V01") +
                                                       ",stray note"}));
    ASSERT_FALSE(Import({path}));
    const Error e = OnlyError();
    EXPECT_EQ(e.where.row, 2);
    EXPECT_TRUE(Contains(e.message, "'stray note'")) << e.message;
}

TEST(StoredValues, ADamagedCountIsRefusedWithoutAllocatingIt) {
    std::string payload = SerializeValues({});
    ASSERT_GE(payload.size(), 12U);
    const uint64_t huge = uint64_t{1} << 40U;
    std::memcpy(payload.data() + 4, &huge, sizeof huge);
    auto values = DeserializeValues(payload);
    ASSERT_FALSE(values);
    EXPECT_EQ(values.error().code, Errc::kDataLoss);
}

TEST_F(CaseImport, RecomputesOnlyWhatTheImportChanged) {
    testing::TempDir tmp;
    auto store = *store::Store::Open(store::Target::Parse(tmp.File("d.db")));
    core::Diagnostics diags;
    ASSERT_TRUE(InitDatabase(*store, InitOptions{}, diags));
    auto catalog = *Catalog::Load(*store);
    SyntheticOptions synth;
    synth.seed = 11;
    synth.total_victims = 1500;
    synth.first_year = 2022;
    synth.last_year = 2024;
    ImportOptions no_compute = Signed();
    no_compute.compute = false;
    ASSERT_TRUE(StoreCaseTables(*store, *catalog, GenerateSyntheticCases(catalog->data(), synth),
                                no_compute, diags, "synthetic"));
    auto first = ComputeValues(*store, *catalog, ComputeMode::kStale);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->computed.size(), 15U);  // 5 countries x 3 years
    auto none = ComputeValues(*store, *catalog, ComputeMode::kStale);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->computed.empty());

    // One more Montenegrin victim of 2023.
    testing::WriteFile(tmp.File("victims.csv"),
                       "case_id,country,year,status,sex\nSYN-NEW-1,ME,2023,identified,F\n");
    auto imported = ImportCases(*store, *catalog, {tmp.File("victims.csv")}, Signed(),
                                diags);
    ASSERT_TRUE(imported) << diags.ToString();
    auto after = ComputeValues(*store, *catalog, ComputeMode::kStale);
    ASSERT_TRUE(after);
    EXPECT_TRUE(after->computed.empty()) << "the import already recomputed what it changed";
    // What the import recomputed: Montenegro only, 2023 among it.
    auto results = store->ListResults();
    ASSERT_TRUE(results);
    for (const auto& r : *results) {
        if (r.country == "ME" && r.year == 2023) {
            EXPECT_EQ(r.data_version, imported->data_version);
        } else if (r.country != "ME") {
            EXPECT_LT(r.data_version, imported->data_version) << r.country << " " << r.year;
        }
    }
    ValuesQuery q;
    q.indicator = "ID.2";
    q.country = "ME";
    q.year = 2023;
    auto values = app::QueryValues(*store, *catalog, q);
    ASSERT_TRUE(values);
    ASSERT_EQ(values->size(), 1U);
    // The new identified victim is counted.
    EXPECT_GE((*values)[0].value, 1.0);
}

}  // namespace
}  // namespace rap::app
