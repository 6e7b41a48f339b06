// SPDX-License-Identifier: AGPL-3.0-or-later
// Cells as users write them, the typed table, and its binary snapshot.
#include "cases/case_table.hpp"

#include <gtest/gtest.h>

#include "cases/cell_parse.hpp"
#include "support/test_support.hpp"

namespace rap::cases {
namespace {

const std::string kSchema = R"(schema: rapporteur/case-records@1
version: "1.0.0"
name: {en: Test records}
records:
  - id: victim
    sheet: victims
    name: {en: Victim}
    key: [case_id]
    fields:
      - {name: case_id, type: id, required: true}
      - {name: country, type: country, required: true}
      - {name: year, type: year, required: true}
      - {name: sex, type: code, codelist: SEX, required: true}
      - {name: ages, type: codes, codelist: AGE}
      - {name: days, type: integer, min: 0, max: 3650}
      - {name: first_contact, type: month}
      - {name: amount, type: amount}
      - {name: assisted, type: bool}
  - id: pair
    sheet: pairs
    name: {en: Pair}
    key: [first, second]
    fields:
      - {name: country, type: country, required: true}
      - {name: year, type: year, required: true}
      - {name: n, type: integer, min: 0, max: 9}
      - {name: second, type: id, required: true}
      - {name: sex, type: code, codelist: SEX}
      - {name: first, type: id, required: true}
)";

class CaseTableTest : public ::testing::Test {
protected:
    void SetUp() override {
        core::Diagnostics diags;
        auto schema = ParseCaseSchema("s.yaml", kSchema, diags);
        ASSERT_TRUE(schema) << diags.ToString();
        schema_ = *std::move(schema);
        lists_.Add(*ParseCodelist("sex.yaml", testing::MiniCodelistSex(), diags), diags);
        lists_.Add(*ParseCodelist("age.yaml", testing::MiniCodelistAge(), diags), diags);
        ASSERT_TRUE(diags.empty()) << diags.ToString();
        context_.countries = {"RS", "BA"};
    }

    // Parses one cell into a fresh column of the field; returns the problem, if any.
    std::optional<std::string> Cell(const std::string& field, const std::string& text,
                                    std::string* shown = nullptr,
                                    CellSource source = CellSource::kText) {
        CaseTable t(*schema_.Find("victim"), lists_);
        Column& c = t.column(static_cast<size_t>(schema_.Find("victim")->FieldIndex(field)));
        auto problem = AppendCell(c, text, context_, source);
        if (shown != nullptr) {
            *shown = c.Text(0);
        }
        return problem;
    }

    CaseSchema schema_;
    CodelistSet lists_;
    CellContext context_;
};

TEST_F(CaseTableTest, CellsAsTheRegionWritesThem) {
    std::string shown;
    EXPECT_FALSE(Cell("country", "rs", &shown));
    EXPECT_EQ(shown, "RS");
    EXPECT_FALSE(Cell("sex", " f ", &shown));
    EXPECT_EQ(shown, "F");
    for (const char* yes : {"yes", "Yes", "true", "1", "da", "po", "да", "ДА"}) {
        EXPECT_FALSE(Cell("assisted", yes, &shown)) << yes;
        EXPECT_EQ(shown, "yes") << yes;
    }
    for (const char* no : {"no", "FALSE", "0", "ne", "jo", "не"}) {
        EXPECT_FALSE(Cell("assisted", no, &shown)) << no;
        EXPECT_EQ(shown, "no") << no;
    }
    for (const char* month : {"2024-03", "2024-3", "03/2024", "3.2024"}) {
        EXPECT_FALSE(Cell("first_contact", month, &shown)) << month;
        EXPECT_EQ(shown, "2024-03") << month;
    }
    // A workbook's date cell: 45352 is 1 March 2024 in Excel's calendar.
    EXPECT_FALSE(Cell("first_contact", "45352", &shown, CellSource::kSpreadsheetNumber));
    EXPECT_EQ(shown, "2024-03");
    EXPECT_FALSE(Cell("amount", "1234,5", &shown));
    EXPECT_EQ(shown, "1234.50");
    EXPECT_FALSE(Cell("amount", "0.07", &shown));
    EXPECT_EQ(shown, "0.07");
    EXPECT_FALSE(Cell("days", "12.0", &shown));
    EXPECT_EQ(shown, "12");
    EXPECT_FALSE(Cell("ages", "0-17; 18+", &shown));
    EXPECT_EQ(shown, "0-17;18+");
    EXPECT_FALSE(Cell("ages", "none", &shown));
    EXPECT_EQ(shown, "none");
    EXPECT_FALSE(Cell("ages", "", &shown));
    EXPECT_EQ(shown, "");  // not recorded
    EXPECT_FALSE(Cell("days", "\xC2\xA0" "7\xC2\xA0", &shown));  // non-breaking spaces trimmed
    EXPECT_EQ(shown, "7");
}

TEST_F(CaseTableTest, MonthsAndYearsInTheFutureAreRefused) {
    context_.latest_month = MonthIndex(2026, 12);
    context_.latest_year = 2026;
    std::string shown;
    EXPECT_FALSE(Cell("first_contact", "2026-12", &shown));
    EXPECT_FALSE(Cell("year", "2026", &shown));
    const auto month = Cell("first_contact", "2099-01");
    ASSERT_TRUE(month);
    EXPECT_NE(month->find("'2099-01' is in the future; expected a month up to 2026-12"),
              std::string::npos)
        << *month;
    const auto serial = Cell("first_contact", "73000", &shown, CellSource::kSpreadsheetNumber);
    ASSERT_TRUE(serial);  // 2099-11-10
    EXPECT_NE(serial->find("in the future"), std::string::npos) << *serial;
    const auto year = Cell("year", "2027");
    ASSERT_TRUE(year);
    EXPECT_NE(year->find("'2027' is in the future; expected a year up to 2026"),
              std::string::npos)
        << *year;
}

TEST_F(CaseTableTest, BadCellsSayWhatWasExpected) {
    EXPECT_NE(Cell("sex", "Z")->find("'Z' is not a code of SEX; allowed: F, M, U"),
              std::string::npos);
    EXPECT_NE(Cell("sex", "")->find("is required"), std::string::npos);
    EXPECT_NE(Cell("country", "XK")->find("expected one of: RS, BA"), std::string::npos);
    EXPECT_NE(Cell("year", "1999")->find("between 2000 and 2100"), std::string::npos);
    EXPECT_NE(Cell("days", "-1")->find("between 0 and 3650"), std::string::npos);
    EXPECT_NE(Cell("days", "12 days")->find("whole number"), std::string::npos);
    EXPECT_NE(Cell("first_contact", "2024-03-15")->find("never record the day"),
              std::string::npos);
    EXPECT_NE(Cell("first_contact", "2024-13")->find("not a month"), std::string::npos);
    // A bare number is a date serial only in a workbook's number cell, never in text (CSV).
    const auto serial = Cell("first_contact", "45000");
    ASSERT_TRUE(serial);
    EXPECT_NE(serial->find("'45000' is not a month; write it as 2024-03"), std::string::npos)
        << *serial;
    EXPECT_NE(serial->find("never from text or CSV"), std::string::npos) << *serial;
    EXPECT_NE(Cell("amount", "1.234,50")->find("no thousands separators"), std::string::npos);
    EXPECT_NE(Cell("amount", "-5")->find("not negative"), std::string::npos);
    EXPECT_NE(Cell("amount", "12.345")->find("not an amount"), std::string::npos);
    EXPECT_NE(Cell("assisted", "maybe")->find("not yes or no"), std::string::npos);
    EXPECT_NE(Cell("ages", "0-17;0-17")->find("listed twice"), std::string::npos);
    EXPECT_NE(Cell("ages", "0-17;old")->find("'old' is not a code of AGE"), std::string::npos);
    EXPECT_NE(Cell("case_id", "Ana Petrović")->find("never a name"), std::string::npos);
    EXPECT_NE(Cell("case_id", "=HYPERLINK(\"x\")")->find("not a valid identifier"),
              std::string::npos);
    EXPECT_NE(Cell("case_id", std::string(65, 'a'))->find("1-64"), std::string::npos);
}

CaseTable Sample(const CaseSchema& schema, const CodelistSet& lists, const CellContext& context) {
    CaseTable t(*schema.Find("victim"), lists);
    const std::vector<std::vector<std::string>> rows = {
        {"SYN-1", "RS", "2024", "F", "0-17;18+", "30", "2024-03", "1250.50", "yes"},
        {"SYN-2", "BA", "2023", "U", "", "", "", "", ""},
        {"SYN-3", "RS", "2024", "M", "none", "3650", "2000-01", "0", "no"},
        {std::string("SYN-") + std::string(300, 'x').substr(0, 60), "RS", "2100", "F", "child",
         "0", "2100-12", "99999999999.99", "yes"},
    };
    for (const auto& row : rows) {
        for (size_t f = 0; f < row.size(); ++f) {
            EXPECT_FALSE(AppendCell(t.column(f), row[f], context).has_value()) << row[f];
        }
        t.CommitRow();
    }
    return t;
}

TEST_F(CaseTableTest, SnapshotsRoundTripEveryTypeAndNull) {
    const CaseTable t = Sample(schema_, lists_, context_);
    const std::string bytes = Serialize(t);
    auto back = Deserialize(bytes, *schema_.Find("victim"), lists_);
    ASSERT_TRUE(back) << back.error().ToString();
    ASSERT_EQ(back->rows(), t.rows());
    for (size_t r = 0; r < t.rows(); ++r) {
        for (size_t c = 0; c < t.columns().size(); ++c) {
            EXPECT_EQ(back->column(c).Text(r), t.column(c).Text(r)) << r << "," << c;
            EXPECT_EQ(back->column(c).IsNull(r), t.column(c).IsNull(r)) << r << "," << c;
        }
    }
    EXPECT_EQ(back->Key(3), t.Key(3));
}

TEST_F(CaseTableTest, CorruptSnapshotsAreDataLossNeverACrash) {
    const std::string bytes = Serialize(Sample(schema_, lists_, context_));
    // Every truncation, and a flipped byte at every position: an error or a table, never UB.
    for (size_t n = 0; n < bytes.size(); ++n) {
        auto r = Deserialize(bytes.substr(0, n), *schema_.Find("victim"), lists_);
        ASSERT_FALSE(r) << "truncated at " << n;
        EXPECT_TRUE(r.error().code == Errc::kDataLoss || r.error().code == Errc::kFailedPrecondition);
    }
    for (size_t i = 0; i < bytes.size(); ++i) {
        std::string flipped = bytes;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
        auto r = Deserialize(flipped, *schema_.Find("victim"), lists_);
        if (!r) {
            EXPECT_TRUE(r.error().code == Errc::kDataLoss ||
                        r.error().code == Errc::kFailedPrecondition);
        }
    }
    EXPECT_FALSE(Deserialize("not a snapshot at all", *schema_.Find("victim"), lists_));
}

TEST_F(CaseTableTest, KeysAreReadWithoutTheRestOfTheSnapshot) {
    const CaseTable t = Sample(schema_, lists_, context_);
    const std::string bytes = Serialize(t);
    auto keys = ReadKeys(bytes, *schema_.Find("victim"));
    ASSERT_TRUE(keys) << keys.error().ToString();
    ASSERT_EQ(keys->size(), t.rows());
    for (size_t r = 0; r < t.rows(); ++r) {
        EXPECT_EQ((*keys)[r], t.Key(r));
    }
    // A composite key, its parts stored apart and in another order than the key names them.
    const RecordDef& pair = *schema_.Find("pair");
    CaseTable p(pair, lists_);
    for (const auto& row : std::vector<std::vector<std::string>>{
             {"RS", "2024", "1", "SYN-B1", "F", "SYN-A1"},
             {"BA", "2023", "", "SYN-B2", "", "SYN-A1"}}) {
        for (size_t f = 0; f < row.size(); ++f) {
            EXPECT_FALSE(AppendCell(p.column(f), row[f], context_).has_value()) << row[f];
        }
        p.CommitRow();
    }
    auto pair_keys = ReadKeys(Serialize(p), pair);
    ASSERT_TRUE(pair_keys) << pair_keys.error().ToString();
    EXPECT_EQ(*pair_keys, (std::vector<std::string>{"SYN-A1\x1fSYN-B1", "SYN-A1\x1fSYN-B2"}));
    EXPECT_EQ((*pair_keys)[1], p.Key(1));
    // Truncated or damaged: an error, never a crash; a snapshot of another record type has no
    // key columns of this one.
    for (size_t n = 0; n < bytes.size(); ++n) {
        auto r = ReadKeys(bytes.substr(0, n), *schema_.Find("victim"));
        ASSERT_FALSE(r) << "truncated at " << n;
        EXPECT_EQ(r.error().code, Errc::kDataLoss);
    }
    for (size_t i = 0; i < bytes.size(); ++i) {
        std::string flipped = bytes;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
        auto r = ReadKeys(flipped, *schema_.Find("victim"));
        if (!r) {
            EXPECT_TRUE(r.error().code == Errc::kDataLoss ||
                        r.error().code == Errc::kFailedPrecondition);
        }
    }
    EXPECT_FALSE(ReadKeys(bytes, pair));
}

TEST_F(CaseTableTest, AReorderedCodelistKeepsTheMeaning) {
    const std::string bytes = Serialize(Sample(schema_, lists_, context_));
    // The same codes in another order: codes are stored by text, not by position.
    std::string reordered = testing::MiniCodelistSex();
    const std::string f = "  - {code: F, name: {en: Female}, htcds: Feminine}\n";
    reordered.erase(reordered.find(f), f.size());
    reordered += f;
    core::Diagnostics diags;
    CodelistSet other;
    other.Add(*ParseCodelist("sex.yaml", reordered, diags), diags);
    other.Add(*ParseCodelist("age.yaml", testing::MiniCodelistAge(), diags), diags);
    auto back = Deserialize(bytes, *schema_.Find("victim"), other);
    ASSERT_TRUE(back) << back.error().ToString();
    EXPECT_EQ(back->column("sex").Text(0), "F");
    EXPECT_EQ(back->column("sex").Text(2), "M");
    // A code that is gone cannot be read back silently.
    std::string fewer = testing::MiniCodelistSex();
    const std::string u = "  - {code: U, name: {en: Unknown}, unknown: true}\n";
    fewer.erase(fewer.find(u), u.size());
    CodelistSet gone;
    gone.Add(*ParseCodelist("sex.yaml", fewer, diags), diags);
    gone.Add(*ParseCodelist("age.yaml", testing::MiniCodelistAge(), diags), diags);
    auto missing = Deserialize(bytes, *schema_.Find("victim"), gone);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::kFailedPrecondition);
}

}  // namespace
}  // namespace rap::cases
