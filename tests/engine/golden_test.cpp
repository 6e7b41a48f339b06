// SPDX-License-Identifier: AGPL-3.0-or-later
// Golden test of the indicator engine: a small synthetic data set (tests/engine/golden/*.csv) is
// imported through the real import path (app::ImportCases into an SQLite store initialised with
// the shipped reference data), and the values of all 30 case-derived indicators of the regional
// core are compared with numbers computed BY HAND from docs/case-data.md. The expected numbers
// were never copied from the engine's output; every one carries the computation behind it.
//
// Synthetic test data: describes no real person.
//
// The data set (ids SYN-GOLD-*):
//   victims.csv     RS 2024: V01-V07 identified, V08-V12 presumed, V13 not_victim,
//                   V14 undetermined (in no base population at all);
//                   RS 2023: V15 identified, V16 presumed (years are separate partitions);
//                   BA 2024: BA1 presumed (countries are separate).
//   proceedings.csv RS 2024: P1-P4; RS 2023: P5.
//   defendants.csv  D1-D7 in P1-P4 (2024), D8 in P5 (2023).
//   proceeding_victims.csv  six victims in P1-P4.
//   claims.csv      C1-C5, RS 2024; C4 is for V15, a 2023 victim (the link crosses years).
//
// What it exercises: "not recorded" (empty) cells in dimensions (V04 has no age, citizenship,
// region or identifying body; V10 no forms; D7 no sex; P4 no forms; C5 no route) and in fields
// used by conditions (reflection days, guardian, risk assessment, services, support days,
// requalified, confiscation, legal representation, payer...); a victim with two forms (V02:
// sexual;labour) and a proceeding with two (P2); an empty service set (V04: "none") next to an
// unrecorded one (V07); children with a guardian (V02, V05), without (V08) and not recorded (V10,
// age band "child"); amounts with cents; medians over an odd (AS.5, JS.6, JS.7, CO.7) and an even
// (ID.5, PR.5, CO.5) number of values with interpolated 90th percentiles; undefined (0/0) shares
// and empty medians in breakdown cells; records of the base population that differ from the
// counted value; filters that must exclude rows (not_victim/undetermined victims, a confiscation
// amount without an order, days to verdict without a final verdict, a rejected claim with an
// amount, a conviction of a person not indicted); the RS-only breakdown of ID.5 by IDB
// (data/frameworks/rs.yaml); the rate ID.3 against the RS population of 2024 (data/countries.yaml).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "app/cases.hpp"
#include "app/catalog.hpp"
#include "app/setup.hpp"

#include "support/test_support.hpp"

namespace rap {
namespace {

using By = std::vector<std::pair<std::string, std::string>>;

constexpr double kEps = 1e-9;
// data/countries.yaml, RS, population 2024 (World Bank SP.POP.TOTL).
constexpr double kPopulationRs2024 = 6586476;

std::string GoldenFile(const std::string& file) {
    return std::string(RAP_SOURCE_DIR) + "/tests/engine/golden/" + file;
}

std::string Describe(const std::string& country, int year, const std::string& indicator,
                     const std::string& measure, const By& by) {
    std::ostringstream out;
    out << country << " " << year << " " << indicator << "/" << measure << " [";
    for (size_t i = 0; i < by.size(); ++i) {
        out << (i == 0 ? "" : ", ") << by[i].first << "=" << by[i].second;
    }
    out << (by.empty() ? "total]" : "]");
    return out.str();
}

std::string Describe(const engine::Value& v) {
    std::ostringstream out;
    out << "  " << v.measure << " [";
    for (size_t i = 0; i < v.by.size(); ++i) {
        out << (i == 0 ? "" : ", ") << v.by[i].first << "=" << v.by[i].second;
    }
    out << "] value=" << v.value << " numerator=" << v.numerator << " denominator=" << v.denominator
        << " p90=" << v.p90 << " records=" << v.records;
    return out.str();
}

By Sorted(By by) {
    std::sort(by.begin(), by.end());
    return by;
}

// The value of `measure` whose `by` holds exactly the pairs of `by` (in any order); nullopt, with
// a test failure listing what there was instead, when it is missing.
std::optional<engine::Value> FindValue(const std::vector<engine::Value>& values,
                                       const std::string& measure, const By& by,
                                       const std::string& what) {
    const By want = Sorted(by);
    for (const auto& v : values) {
        if (v.measure == measure && Sorted(v.by) == want) {
            return v;
        }
    }
    std::ostringstream have;
    for (const auto& v : values) {
        have << "\n" << Describe(v);
    }
    ADD_FAILURE() << "no value for " << what << "; the query returned " << values.size()
                  << " value(s):" << have.str();
    return std::nullopt;
}

class Golden : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = std::make_unique<testing::TempDir>();
        auto opened = store::Store::Open(store::Target::Parse(tmp_->File("golden.db")));
        if (!opened) {
            setup_error_ = "open: " + opened.error().ToString();
            return;
        }
        store_ = std::move(*opened);
        core::Diagnostics diags;
        auto init = app::InitDatabase(*store_, app::InitOptions{}, diags);
        if (!init) {
            setup_error_ = "init: " + init.error().ToString() + "\n" + diags.ToString();
            return;
        }
        auto catalog = app::Catalog::Load(*store_);
        if (!catalog) {
            setup_error_ = "catalog: " + catalog.error().ToString();
            return;
        }
        catalog_ = *catalog;
        auto imported = app::ImportCases(
            *store_, *catalog_,
            {GoldenFile("victims.csv"), GoldenFile("proceedings.csv"), GoldenFile("defendants.csv"),
             GoldenFile("proceeding_victims.csv"), GoldenFile("claims.csv")},
            [] {
                app::ImportOptions o;
                o.actor = "Analyst (synthetic)";
                return o;
            }(), diags);
        if (!imported) {
            setup_error_ = "import: " + imported.error().ToString() + "\n" + diags.ToString();
            return;
        }
        import_report_ = *imported;
        ready_ = true;
    }

    static void TearDownTestSuite() {
        catalog_.reset();
        store_.reset();
        tmp_.reset();
    }

    void SetUp() override { ASSERT_TRUE(ready_) << setup_error_; }

    static std::vector<engine::Value> Query(const std::string& country, int year,
                                            const std::string& indicator,
                                            const std::vector<std::string>& dims,
                                            const std::string& measure = "") {
        app::ValuesQuery q;
        q.indicator = indicator;
        q.country = country;
        q.year = year;
        q.by = dims;
        q.measure = measure;
        q.protect = false;  // the hand-checked numbers, small counts included
        auto r = app::QueryValues(*store_, *catalog_, q);
        if (!r) {
            ADD_FAILURE() << country << " " << year << " " << indicator
                          << ": query failed: " << r.error().ToString();
            return {};
        }
        return *r;
    }

    static std::optional<engine::Value> Get(const std::string& country, int year,
                                            const std::string& indicator,
                                            const std::string& measure, const By& by) {
        std::vector<std::string> dims;
        for (const auto& p : by) {
            dims.push_back(p.first);
        }
        return FindValue(Query(country, year, indicator, dims, measure), measure, by,
                         Describe(country, year, indicator, measure, by));
    }

    // RS 2024 unless said otherwise. Each check looks the value up and compares every field that
    // the measure defines (docs/case-data.md, "Measures").

    // count / distinct: value = numerator = the count.
    static void ExpectCount(const std::string& ind, const std::string& measure, const By& by,
                            double count, int64_t records, const std::string& country = "RS",
                            int year = 2024) {
        SCOPED_TRACE(Describe(country, year, ind, measure, by));
        auto v = Get(country, year, ind, measure, by);
        if (!v) {
            return;
        }
        EXPECT_DOUBLE_EQ(v->value, count);
        EXPECT_DOUBLE_EQ(v->numerator, count);
        EXPECT_EQ(v->records, records);
    }

    // share (and set_share): value = 100 * numerator / denominator.
    static void ExpectShare(const std::string& ind, const std::string& measure, const By& by,
                            double value, double numerator, double denominator, int64_t records) {
        SCOPED_TRACE(Describe("RS", 2024, ind, measure, by));
        auto v = Get("RS", 2024, ind, measure, by);
        if (!v) {
            return;
        }
        EXPECT_NEAR(v->value, value, kEps);
        EXPECT_DOUBLE_EQ(v->numerator, numerator);
        EXPECT_DOUBLE_EQ(v->denominator, denominator);
        EXPECT_EQ(v->records, records);
    }

    // A share whose denominator is 0 in a cell that has records of the base population.
    static void ExpectUndefinedShare(const std::string& ind, const std::string& measure,
                                     const By& by, int64_t records) {
        SCOPED_TRACE(Describe("RS", 2024, ind, measure, by));
        auto v = Get("RS", 2024, ind, measure, by);
        if (!v) {
            return;
        }
        EXPECT_TRUE(std::isnan(v->value)) << v->value;
        EXPECT_DOUBLE_EQ(v->numerator, 0);
        EXPECT_DOUBLE_EQ(v->denominator, 0);
        EXPECT_EQ(v->records, records);
    }

    // median: value = median, p90 = 90th percentile, numerator = number of values.
    static void ExpectMedian(const std::string& ind, const std::string& measure, const By& by,
                             double median, double p90, double n, int64_t records) {
        SCOPED_TRACE(Describe("RS", 2024, ind, measure, by));
        auto v = Get("RS", 2024, ind, measure, by);
        if (!v) {
            return;
        }
        EXPECT_NEAR(v->value, median, kEps);
        EXPECT_NEAR(v->p90, p90, kEps);
        EXPECT_DOUBLE_EQ(v->numerator, n);
        EXPECT_EQ(v->records, records);
    }

    // A median of no values in a cell that has records of the base population.
    static void ExpectEmptyMedian(const std::string& ind, const std::string& measure, const By& by,
                                  int64_t records) {
        SCOPED_TRACE(Describe("RS", 2024, ind, measure, by));
        auto v = Get("RS", 2024, ind, measure, by);
        if (!v) {
            return;
        }
        EXPECT_TRUE(std::isnan(v->value)) << v->value;
        EXPECT_TRUE(std::isnan(v->p90)) << v->p90;
        EXPECT_DOUBLE_EQ(v->numerator, 0);
        EXPECT_EQ(v->records, records);
    }

    // sum: value = numerator = the sum (EUR), denominator = rows with a value.
    static void ExpectSum(const std::string& ind, const std::string& measure, const By& by,
                          double sum, double with_value, int64_t records) {
        SCOPED_TRACE(Describe("RS", 2024, ind, measure, by));
        auto v = Get("RS", 2024, ind, measure, by);
        if (!v) {
            return;
        }
        EXPECT_NEAR(v->value, sum, kEps);
        EXPECT_NEAR(v->numerator, sum, kEps);
        EXPECT_DOUBLE_EQ(v->denominator, with_value);
        EXPECT_EQ(v->records, records);
    }

    // ratio: value = 100 * sum(f) / sum(g), numerator = sum(f), denominator = sum(g).
    static void ExpectRatio(const std::string& ind, const std::string& measure, const By& by,
                            double value, double numerator, double denominator, int64_t records) {
        SCOPED_TRACE(Describe("RS", 2024, ind, measure, by));
        auto v = Get("RS", 2024, ind, measure, by);
        if (!v) {
            return;
        }
        EXPECT_NEAR(v->value, value, kEps);
        EXPECT_NEAR(v->numerator, numerator, kEps);
        EXPECT_NEAR(v->denominator, denominator, kEps);
        EXPECT_EQ(v->records, records);
    }

    // rate: value = per * rows / population, numerator = rows, denominator = population.
    static void ExpectRate(const std::string& ind, const std::string& measure, const By& by,
                           double value, double count, double population, int64_t records) {
        SCOPED_TRACE(Describe("RS", 2024, ind, measure, by));
        auto v = Get("RS", 2024, ind, measure, by);
        if (!v) {
            return;
        }
        EXPECT_NEAR(v->value, value, kEps);
        EXPECT_DOUBLE_EQ(v->numerator, count);
        EXPECT_DOUBLE_EQ(v->denominator, population);
        EXPECT_EQ(v->records, records);
    }

    static std::unique_ptr<testing::TempDir> tmp_;
    static std::unique_ptr<store::Store> store_;
    static std::shared_ptr<const app::Catalog> catalog_;
    static app::ImportReport import_report_;
    static bool ready_;
    static std::string setup_error_;
};

std::unique_ptr<testing::TempDir> Golden::tmp_;
std::unique_ptr<store::Store> Golden::store_;
std::shared_ptr<const app::Catalog> Golden::catalog_;
app::ImportReport Golden::import_report_;
bool Golden::ready_ = false;
std::string Golden::setup_error_;

// ---------------------------------------------------------------------------------------------
// The import itself

TEST_F(Golden, ImportsEveryRow) {
    std::map<std::string, long long> rows;
    for (const auto& r : import_report_.records) {
        rows[r.record] = r.rows;
    }
    EXPECT_EQ(rows["victim"], 17);     // 14 RS 2024 + 2 RS 2023 + 1 BA 2024
    EXPECT_EQ(rows["proceeding"], 5);  // P1-P4 (2024), P5 (2023)
    EXPECT_EQ(rows["defendant"], 8);   // D1-D7 (2024), D8 (2023)
    EXPECT_EQ(rows["proceeding_victim"], 6);
    EXPECT_EQ(rows["claim"], 5);
    EXPECT_FALSE(import_report_.dry_run);
}

// Every derived indicator of the core yields its totals, one per measure (AS.2: one per service).
TEST_F(Golden, EveryDerivedIndicatorHasItsTotals) {
    const std::vector<std::pair<std::string, size_t>> expected = {
        {"ID.1", 1}, {"ID.2", 1},  {"ID.3", 1}, {"ID.4", 1}, {"ID.5", 1}, {"ID.6", 1},
        {"PR.2", 1}, {"PR.3", 2},  {"PR.4", 1}, {"PR.5", 2}, {"PR.6", 1}, {"PR.7", 2},
        {"AS.2", 8}, {"AS.3", 1},  {"AS.5", 2}, {"AS.6", 2}, {"JS.1", 2}, {"JS.2", 1},
        {"JS.3", 1}, {"JS.4", 1},  {"JS.5", 1}, {"JS.6", 3}, {"JS.7", 1}, {"JS.8", 1},
        {"JS.9", 1}, {"JS.10", 3}, {"CO.4", 1}, {"CO.5", 3}, {"CO.6", 1}, {"CO.7", 1},
    };
    ASSERT_EQ(expected.size(), 30U);
    for (const auto& [indicator, measures] : expected) {
        EXPECT_EQ(Query("RS", 2024, indicator, {}).size(), measures) << indicator;
    }
}

// ---------------------------------------------------------------------------------------------
// Identification (victims; base population of ID.1-4, ID.6: status presumed or identified =
// V01-V12, 12 records. V13 not_victim and V14 undetermined are in none of them.)

TEST_F(Golden, IdentificationTotals) {
    // ID.1: presumed or identified: V01-V12 → 12 (not V13 not_victim, V14 undetermined, 2023, BA).
    ExpectCount("ID.1", "value", {}, 12, 12);
    // ID.2: identified among them: V01-V07 → 7; records = the base population, 12.
    ExpectCount("ID.2", "value", {}, 7, 12);
    // ID.3: 100000 * 12 / 6586476 = 0.18219150878...
    ExpectRate("ID.3", "value", {}, 100000.0 * 12 / kPopulationRs2024, 12, kPopulationRs2024, 12);
    // ID.4: denominator = identified_by recorded and not unknown: V01 police, V02 cso, V03
    // labour_insp, V05 social, V06 border_police, V08 police, V09 cso, V10 health, V11 police,
    // V12 self → 10 (V04 not recorded, V07 unknown); numerator = not police/border_police:
    // V02, V03, V05, V09, V10, V12 → 6; 100 * 6 / 10 = 60.
    ExpectShare("ID.4", "value", {}, 60.0, 6, 10, 12);
    // ID.5: base identified or not_victim: V01-V07, V13 → 8 records, all with days_to_status:
    // sorted 20 30 45 60 75 90 120 200 (n = 8, even).
    // median h = 0.5 * 7 = 3.5 → 60 + 0.5 * (75 - 60) = 67.5;
    // p90    h = 0.9 * 7 = 6.3 → 120 + 0.3 * (200 - 120) = 144.
    ExpectMedian("ID.5", "value", {}, 67.5, 144.0, 8, 8);
    // ID.6: identified / base: 7 of 12 = 58.333...
    ExpectShare("ID.6", "value", {}, 700.0 / 12, 7, 12, 12);
}

TEST_F(Golden, IdentificationBreakdowns) {
    // ID.1 by SEX: F = V01 V02 V04 V06 V07 V08 V11 → 7; M = V03 V05 V09 V10 → 4; X = V12 → 1.
    ExpectCount("ID.1", "value", {{"SEX", "F"}}, 7, 7);
    ExpectCount("ID.1", "value", {{"SEX", "M"}}, 4, 4);
    ExpectCount("ID.1", "value", {{"SEX", "X"}}, 1, 1);
    // No record has sex U: no cell for it (and no not-recorded cell: sex is required).
    EXPECT_EQ(Query("RS", 2024, "ID.1", {"SEX"}).size(), 3U);
    // ID.1 by AGE, not recorded: V04 → 1. By REG, not recorded: V04, V11 → 2.
    ExpectCount("ID.1", "value", {{"AGE", ""}}, 1, 1);
    ExpectCount("ID.1", "value", {{"REG", ""}}, 2, 2);
    ExpectCount("ID.1", "value", {{"AGE", "child"}}, 1, 1);  // V10's band is the parent code
    // ID.1 by FORM (a set): sexual = V01 V02 V07 V08 → 4; labour = V02 V03 V09 V12 → 4 (V02 is
    // under both); begging = V04 V05 → 2; domestic_servitude = V06; criminal = V11; not
    // recorded = V10. Six cells adding up to 13 > 12.
    ExpectCount("ID.1", "value", {{"FORM", "sexual"}}, 4, 4);
    ExpectCount("ID.1", "value", {{"FORM", "labour"}}, 4, 4);
    ExpectCount("ID.1", "value", {{"FORM", "begging"}}, 2, 2);
    ExpectCount("ID.1", "value", {{"FORM", "domestic_servitude"}}, 1, 1);
    ExpectCount("ID.1", "value", {{"FORM", "criminal"}}, 1, 1);
    ExpectCount("ID.1", "value", {{"FORM", ""}}, 1, 1);
    EXPECT_EQ(Query("RS", 2024, "ID.1", {"FORM"}).size(), 6U);
    // ID.1 by SEX x FORM: F x sexual = V01 V02 V07 V08 → 4; M x labour = V03 V09 → 2;
    // F x labour = V02 → 1.
    ExpectCount("ID.1", "value", {{"SEX", "F"}, {"FORM", "sexual"}}, 4, 4);
    ExpectCount("ID.1", "value", {{"SEX", "M"}, {"FORM", "labour"}}, 2, 2);
    ExpectCount("ID.1", "value", {{"SEX", "F"}, {"FORM", "labour"}}, 1, 1);

    // ID.2 by SEX x AGE (value = identified, records = presumed or identified in the cell):
    // F x 18-24: identified V01 V07 → 2, records V01 V07 → 2;
    // F x 12-17: identified V02 → 1, records V02 V08 → 2;
    // F x not recorded: V04 → 1, records 1;
    // M x child: V10 presumed → 0, records 1 (a cell with base records but nothing counted).
    ExpectCount("ID.2", "value", {{"SEX", "F"}, {"AGE", "18-24"}}, 2, 2);
    ExpectCount("ID.2", "value", {{"SEX", "F"}, {"AGE", "12-17"}}, 1, 2);
    ExpectCount("ID.2", "value", {{"SEX", "F"}, {"AGE", ""}}, 1, 1);
    ExpectCount("ID.2", "value", {{"SEX", "M"}, {"AGE", "child"}}, 0, 1);

    // ID.3: the population of the whole country is the denominator of every cell.
    // F: 7 → 100000 * 7 / 6586476; FORM sexual: 4; AGE 12-17: V02 V08 → 2.
    ExpectRate("ID.3", "value", {{"SEX", "F"}}, 100000.0 * 7 / kPopulationRs2024, 7,
               kPopulationRs2024, 7);
    ExpectRate("ID.3", "value", {{"FORM", "sexual"}}, 100000.0 * 4 / kPopulationRs2024, 4,
               kPopulationRs2024, 4);
    ExpectRate("ID.3", "value", {{"AGE", "12-17"}}, 100000.0 * 2 / kPopulationRs2024, 2,
               kPopulationRs2024, 2);

    // ID.4 by IDB: police = V01 V08 V11, all in the denominator, none in the numerator → 0 of 3;
    // unknown = V07 and not recorded = V04: outside the denominator → 0/0, undefined.
    ExpectShare("ID.4", "value", {{"IDB", "police"}}, 0.0, 0, 3, 3);
    ExpectUndefinedShare("ID.4", "value", {{"IDB", "unknown"}}, 1);
    ExpectUndefinedShare("ID.4", "value", {{"IDB", ""}}, 1);
    // ID.4 by FORM sexual: V01 police, V02 cso, V07 unknown, V08 police → den V01 V02 V08 = 3,
    // num V02 = 1 → 33.33..., records 4.
    ExpectShare("ID.4", "value", {{"FORM", "sexual"}}, 100.0 / 3, 1, 3, 4);

    // ID.5 by AGE 18-24: V01 30, V07 75, V13 200 (n = 3, odd): median 75;
    // p90 h = 0.9 * 2 = 1.8 → 75 + 0.8 * (200 - 75) = 175.
    ExpectMedian("ID.5", "value", {{"AGE", "18-24"}}, 75.0, 175.0, 3, 3);
    // ID.5 by AGE not recorded: V04 90 alone.
    ExpectMedian("ID.5", "value", {{"AGE", ""}}, 90.0, 90.0, 1, 1);
    // ID.5 by IDB, the RS extra disaggregation (rs.yaml): police = V01 30, V13 200:
    // median h = 0.5 → 30 + 0.5 * 170 = 115; p90 h = 0.9 → 30 + 0.9 * 170 = 183.
    ExpectMedian("ID.5", "value", {{"IDB", "police"}}, 115.0, 183.0, 2, 2);
    // ... and two-way with a core dimension: AGE 18-24 x IDB police = V01, V13, the same.
    ExpectMedian("ID.5", "value", {{"AGE", "18-24"}, {"IDB", "police"}}, 115.0, 183.0, 2, 2);

    // ID.6 by CIT national: V01 V02 V05 V07 V09 V11 → identified V01 V02 V05 V07 = 4 of 6.
    ExpectShare("ID.6", "value", {{"CIT", "national"}}, 400.0 / 6, 4, 6, 6);
    // ID.6 by FORM sexual: V01 V02 V07 identified, V08 presumed → 3 of 4 = 75.
    ExpectShare("ID.6", "value", {{"FORM", "sexual"}}, 75.0, 3, 4, 4);
}

// ---------------------------------------------------------------------------------------------
// Protection (victims)

TEST_F(Golden, ProtectionTotals) {
    // PR.2: reflection_days recorded among V01-V12: V01 30, V02 90, V03 30, V05 15, V06 60,
    // V07 0, V08 45, V10 10, V11 30 → 9 (V04, V09, V12 empty; V13 40 and V14 60 not in base);
    // >= 30: V01 V02 V03 V06 V08 V11 → 6; 100 * 6 / 9 = 66.66...
    ExpectShare("PR.2", "value", {}, 600.0 / 9, 6, 9, 12);
    // PR.3 granted: granted_temporary V03, granted_humanitarian V08 → 2 (V14 is undetermined).
    ExpectCount("PR.3", "granted", {}, 2, 12);
    // PR.3 grant_rate: decided = granted or refused: V03, V06 refused, V08, V12 refused → 4
    // (V10 only applied); granted 2 → 50.
    ExpectShare("PR.3", "grant_rate", {}, 50.0, 2, 4, 12);
    // PR.4: investigated/prosecuted/convicted/fined/detained: V03 fined, V06 prosecuted, V08
    // convicted, V09 investigated, V12 detained → 5 (V13 not_victim, V14 undetermined excluded).
    ExpectCount("PR.4", "value", {}, 5, 12);
    // PR.5 base: children = age band 0-11, 12-17 or child: V02, V05, V08, V10 → 4 records.
    // guardian_share: guardian recorded V02 yes, V05 yes, V08 no (V10 empty) → 2 of 3.
    ExpectShare("PR.5", "guardian_share", {}, 200.0 / 3, 2, 3, 4);
    // days_to_guardian, where a guardian was appointed: V02 3, V05 10 (n = 2, even):
    // median h = 0.5 → 3 + 0.5 * 7 = 6.5; p90 h = 0.9 → 3 + 0.9 * 7 = 9.3.
    ExpectMedian("PR.5", "days_to_guardian", {}, 6.5, 9.3, 2, 4);
    // PR.6 base identified V01-V07 (7); risk_assessment_done recorded: all but V04 → 6; yes:
    // V01 V02 V05 V06 V07 → 5 (V03 no); 100 * 5 / 6 = 83.33...
    ExpectShare("PR.6", "value", {}, 500.0 / 6, 5, 6, 7);
    // PR.7 risk_assessed_share: returns (assisted_voluntary or forced) with the assessment
    // recorded: V03 av yes, V06 forced no, V08 av yes → 3 (V10 forced, not recorded; V11
    // planned); assessed: V03 V08 → 2 of 3.
    ExpectShare("PR.7", "risk_assessed_share", {}, 200.0 / 3, 2, 3, 12);
    // PR.7 retrafficked: returned (av or forced) and retrafficked: V06, V08 → 2 (V11 is planned).
    ExpectCount("PR.7", "retrafficked", {}, 2, 12);
}

TEST_F(Golden, ProtectionBreakdowns) {
    // PR.2 by AGE 18-24: V01 30, V07 0 → 1 of 2.
    ExpectShare("PR.2", "value", {{"AGE", "18-24"}}, 50.0, 1, 2, 2);
    // PR.3 by SEX M: V03 V05 V09 V10 (4 records); granted V03 → 1; decided V03 → 1 of 1.
    ExpectCount("PR.3", "granted", {{"SEX", "M"}}, 1, 4);
    ExpectShare("PR.3", "grant_rate", {{"SEX", "M"}}, 100.0, 1, 1, 4);
    // PR.4 by OFF not recorded: V01 V02 V04 V05 V07 V09 V10 V11 → 8 records; penalised: V09.
    ExpectCount("PR.4", "value", {{"OFF", ""}}, 1, 8);
    ExpectCount("PR.4", "value", {{"OFF", "immigration_offence"}}, 1, 1);  // V03
    // PR.5 by CIT national: V02, V05 → both with a guardian, 2 of 2; days 3, 10 as above.
    ExpectShare("PR.5", "guardian_share", {{"CIT", "national"}}, 100.0, 2, 2, 2);
    ExpectMedian("PR.5", "days_to_guardian", {{"CIT", "national"}}, 6.5, 9.3, 2, 2);
    // PR.5 by CIT other: V10 alone, guardian not recorded → 0/0, and no days.
    ExpectUndefinedShare("PR.5", "guardian_share", {{"CIT", "other"}}, 1);
    ExpectEmptyMedian("PR.5", "days_to_guardian", {{"CIT", "other"}}, 1);
    // PR.5 by CIT other_wb: V08, guardian no → 0 of 1.
    ExpectShare("PR.5", "guardian_share", {{"CIT", "other_wb"}}, 0.0, 0, 1, 1);
    // PR.6 by SEX M: V03 no, V05 yes → 1 of 2.
    ExpectShare("PR.6", "value", {{"SEX", "M"}}, 50.0, 1, 2, 2);
    // PR.7 by CIT other_wb: V03 (av, assessed, not retrafficked), V08 (av, assessed,
    // retrafficked) → share 2 of 2, retrafficked 1.
    ExpectShare("PR.7", "risk_assessed_share", {{"CIT", "other_wb"}}, 100.0, 2, 2, 2);
    ExpectCount("PR.7", "retrafficked", {{"CIT", "other_wb"}}, 1, 2);
}

// ---------------------------------------------------------------------------------------------
// Assistance (victims; base population identified = V01-V07, 7 records)

TEST_F(Golden, AssistanceTotals) {
    // AS.2: services recorded for V01-V06 (V04's set is recorded and empty: "none"), not for V07
    // → denominator 6 for every service.
    // accommodation V01 V02 V05 → 3; medical V01 V03 → 2; psychological V01 V06 → 2;
    // legal V02 V03 → 2; interpretation V03 → 1; education V05 → 1; employment, financial → 0.
    ExpectShare("AS.2", "value", {{"SVC", "accommodation"}}, 50.0, 3, 6, 7);
    ExpectShare("AS.2", "value", {{"SVC", "medical"}}, 100.0 / 3, 2, 6, 7);
    ExpectShare("AS.2", "value", {{"SVC", "psychological"}}, 100.0 / 3, 2, 6, 7);
    ExpectShare("AS.2", "value", {{"SVC", "legal"}}, 100.0 / 3, 2, 6, 7);
    ExpectShare("AS.2", "value", {{"SVC", "interpretation"}}, 100.0 / 6, 1, 6, 7);
    ExpectShare("AS.2", "value", {{"SVC", "education"}}, 100.0 / 6, 1, 6, 7);
    ExpectShare("AS.2", "value", {{"SVC", "employment"}}, 0.0, 0, 6, 7);
    ExpectShare("AS.2", "value", {{"SVC", "financial"}}, 0.0, 0, 6, 7);
    // AS.3: assistance_plan recorded for all but V04 → 6; yes: V01 V02 V05 → 3 of 6.
    ExpectShare("AS.3", "value", {}, 50.0, 3, 6, 7);
    // AS.5 median_support: support_days V05 100, V02 200, V03 365, V01 400, V07 500 (V04, V06
    // empty; n = 5, odd): median = 365; p90 h = 0.9 * 4 = 3.6 → 400 + 0.6 * 100 = 460.
    ExpectMedian("AS.5", "median_support", {}, 365.0, 460.0, 5, 7);
    // AS.5 supported_12m_share: >= 365 days: V03 (365 exactly), V01, V07 → 3 of 5.
    ExpectShare("AS.5", "supported_12m_share", {}, 60.0, 3, 5, 7);
    // AS.6 entered: yes V01 V03 V05 → 3; entered_share: recorded V01 V02 V03 V05 → 3 of 4.
    ExpectCount("AS.6", "entered", {}, 3, 7);
    ExpectShare("AS.6", "entered_share", {}, 75.0, 3, 4, 7);
}

TEST_F(Golden, AssistanceBreakdowns) {
    // AS.2 without another dimension: one value per service (8 codes in SVC), even those
    // nobody received.
    EXPECT_EQ(Query("RS", 2024, "AS.2", {}).size(), 8U);
    // AS.2 by SEX F: identified F = V01 V02 V04 V06 V07 (5 records); services recorded V01 V02
    // V04 V06 → 4. accommodation V01 V02 → 2; psychological V01 V06 → 2; medical V01 → 1;
    // employment → 0.
    ExpectShare("AS.2", "value", {{"SVC", "accommodation"}, {"SEX", "F"}}, 50.0, 2, 4, 5);
    ExpectShare("AS.2", "value", {{"SVC", "psychological"}, {"SEX", "F"}}, 50.0, 2, 4, 5);
    ExpectShare("AS.2", "value", {{"SVC", "medical"}, {"SEX", "F"}}, 25.0, 1, 4, 5);
    ExpectShare("AS.2", "value", {{"SVC", "employment"}, {"SEX", "F"}}, 0.0, 0, 4, 5);
    // AS.2 by AGE 18-24: V01, V07 (2 records); services recorded only for V01 → 1 of 1.
    ExpectShare("AS.2", "value", {{"SVC", "accommodation"}, {"AGE", "18-24"}}, 100.0, 1, 1, 2);
    ExpectShare("AS.2", "value", {{"SVC", "legal"}, {"AGE", "18-24"}}, 0.0, 0, 1, 2);
    // AS.2 by AGE not recorded: V04, whose empty set counts in the denominator → 0 of 1.
    ExpectShare("AS.2", "value", {{"SVC", "accommodation"}, {"AGE", ""}}, 0.0, 0, 1, 1);
    // The query by AGE gives 8 values per age cell: 18-24, 12-17, 25-34, 0-11, 35-44, "" → 48.
    EXPECT_EQ(Query("RS", 2024, "AS.2", {"AGE"}).size(), 48U);
    // AS.3 by AGE 12-17: V02 yes → 1 of 1.
    ExpectShare("AS.3", "value", {{"AGE", "12-17"}}, 100.0, 1, 1, 1);
    // AS.5 by FORM sexual: V01 400, V02 200, V07 500 → sorted 200 400 500: median 400;
    // p90 h = 1.8 → 400 + 0.8 * 100 = 480; >= 365: V01 V07 → 2 of 3.
    ExpectMedian("AS.5", "median_support", {{"FORM", "sexual"}}, 400.0, 480.0, 3, 3);
    ExpectShare("AS.5", "supported_12m_share", {{"FORM", "sexual"}}, 200.0 / 3, 2, 3, 3);
    // AS.5 by FORM labour: V02 200, V03 365: median 200 + 0.5 * 165 = 282.5;
    // p90 200 + 0.9 * 165 = 348.5; >= 365: V03 → 1 of 2.
    ExpectMedian("AS.5", "median_support", {{"FORM", "labour"}}, 282.5, 348.5, 2, 2);
    ExpectShare("AS.5", "supported_12m_share", {{"FORM", "labour"}}, 50.0, 1, 2, 2);
    // AS.5 by FORM domestic_servitude: V06, support_days empty → no values, 0/0.
    ExpectEmptyMedian("AS.5", "median_support", {{"FORM", "domestic_servitude"}}, 1);
    ExpectUndefinedShare("AS.5", "supported_12m_share", {{"FORM", "domestic_servitude"}}, 1);
    // AS.6 by SEX F: V01 yes, V02 no, V04 V06 V07 empty → entered 1, share 1 of 2.
    ExpectCount("AS.6", "entered", {{"SEX", "F"}}, 1, 5);
    ExpectShare("AS.6", "entered_share", {{"SEX", "F"}}, 50.0, 1, 2, 5);
}

// ---------------------------------------------------------------------------------------------
// Criminal justice (proceedings P1-P4, their defendants D1-D7 and victims; all RS 2024)

TEST_F(Golden, JusticeTotals) {
    // JS.1 base: defendants of proceedings with an investigation opened: P1 (D1 D2), P3 (D5),
    // P4 (D6 D7) → 5 records (P2 has investigation_opened = no).
    // investigations = distinct proceedings P1 P3 P4 → 3; suspects = 5.
    ExpectCount("JS.1", "investigations", {}, 3, 5);
    ExpectCount("JS.1", "suspects", {}, 5, 5);
    // JS.2: indicted = yes: D1 D2 D3 D4 D6 → 5 of 7 (D5, D7 not recorded).
    ExpectCount("JS.2", "value", {}, 5, 7);
    // JS.3: convicted or convicted_plea_agreement: D1 D2 D3 D6 D7 → 5.
    ExpectCount("JS.3", "value", {}, 5, 7);
    // JS.4: denominator indicted: D1 D2 D3 D4 D6 → 5; numerator also convicted at the final
    // stage: D1 D2 D6 → 3 (D3 is first_instance, D4 acquitted, D7 final but not indicted).
    ExpectShare("JS.4", "value", {}, 60.0, 3, 5, 7);
    // JS.5 (proceedings, 4 records): requalified recorded P1 no, P2 yes, P4 no (P3 empty)
    // → 1 of 3.
    ExpectShare("JS.5", "value", {}, 100.0 / 3, 1, 3, 4);
    // JS.6 base: convicted D1 D2 D3 D6 D7 → 5 records; sentence recorded D1 prison, D2 prison,
    // D3 suspended, D6 prison (D7 empty) → 4.
    // custodial 3 of 4 = 75; suspended 1 of 4 = 25.
    ExpectShare("JS.6", "custodial_share", {}, 75.0, 3, 4, 5);
    ExpectShare("JS.6", "suspended_share", {}, 25.0, 1, 4, 5);
    // median_term over prison sentences: D2 24, D1 36, D6 60 (D3's 12 months are suspended):
    // median 36; p90 h = 1.8 → 36 + 0.8 * 24 = 55.2.
    ExpectMedian("JS.6", "median_term", {}, 36.0, 55.2, 3, 5);
    // JS.7 base: final verdict month recorded: P1 300, P2 450, P4 180 → 3 records (P3's 50 days
    // have no final verdict): sorted 180 300 450: median 300; p90 h = 1.8 → 300 + 0.8 * 150 = 420.
    ExpectMedian("JS.7", "value", {}, 300.0, 420.0, 3, 3);
    // JS.8 base: testified = yes: (P1,V01) (P1,V02) (P2,V03) (P3,V06) → 4 records; protective
    // measures recorded: V01 video_link;closed_hearing, V02 none, V06 support_person_present
    // → 3 (V03 empty); with a measure: V01 V06 → 2 of 3.
    ExpectShare("JS.8", "value", {}, 200.0 / 3, 2, 3, 4);
    // JS.9 (6 records): representation recorded and not unknown: V01 state_legal_aid, V02
    // cso_lawyer, V03 none, V07 private → 4 (V08 unknown, V06 empty); free: V01 V02 → 2 of 4.
    ExpectShare("JS.9", "value", {}, 50.0, 2, 4, 6);
    // JS.10 (4 records): confiscation ordered P1, P2 → 2 (P3 no, P4 empty);
    // ordered 10000.50 + 5000 = 15000.50 over 2 rows (P3's 999.99 has no order);
    // realised 2500.25 (P2 empty) over 1 row.
    ExpectCount("JS.10", "orders", {}, 2, 4);
    ExpectSum("JS.10", "amount_ordered", {}, 15000.50, 2, 4);
    ExpectSum("JS.10", "amount_realised", {}, 2500.25, 1, 4);
}

TEST_F(Golden, JusticeBreakdowns) {
    // JS.1 by FORM (the proceeding's forms, through the parent): sexual = P1 → D1 D2: 2 suspects,
    // 1 investigation; labour = P3 → D5; not recorded = P4 → D6 D7, 1 investigation.
    ExpectCount("JS.1", "suspects", {{"FORM", "sexual"}}, 2, 2);
    ExpectCount("JS.1", "investigations", {{"FORM", "sexual"}}, 1, 2);
    ExpectCount("JS.1", "suspects", {{"FORM", "labour"}}, 1, 1);
    ExpectCount("JS.1", "suspects", {{"FORM", ""}}, 2, 2);
    ExpectCount("JS.1", "investigations", {{"FORM", ""}}, 1, 2);
    // JS.1 by SEX F: D1 (P1), D6 (P4) → 2 suspects in 2 investigations; not recorded: D7.
    ExpectCount("JS.1", "suspects", {{"SEX", "F"}}, 2, 2);
    ExpectCount("JS.1", "investigations", {{"SEX", "F"}}, 2, 2);
    ExpectCount("JS.1", "suspects", {{"SEX", ""}}, 1, 1);
    // JS.2 by FORM sexual: P1 and P2 (labour;sexual) → D1 D2 D3 D4, all indicted → 4;
    // labour: P2, P3 → D3 D4 D5, indicted D3 D4 → 2 of 3 records.
    ExpectCount("JS.2", "value", {{"FORM", "sexual"}}, 4, 4);
    ExpectCount("JS.2", "value", {{"FORM", "labour"}}, 2, 3);
    // JS.3 by STG (verdict_stage): final = D1 D2 D4 D6 D7 (5 records), convicted D1 D2 D6 D7
    // → 4; first_instance = D3 → 1; not recorded = D5 → 0 of 1 record.
    ExpectCount("JS.3", "value", {{"STG", "final"}}, 4, 5);
    ExpectCount("JS.3", "value", {{"STG", "first_instance"}}, 1, 1);
    ExpectCount("JS.3", "value", {{"STG", ""}}, 0, 1);
    // JS.3 by SEX x STG: F x final = D1 D6 → 2.
    ExpectCount("JS.3", "value", {{"SEX", "F"}, {"STG", "final"}}, 2, 2);
    // JS.4 by FORM sexual: D1 D2 D3 D4 indicted → 4; final convictions D1 D2 → 2 of 4.
    ExpectShare("JS.4", "value", {{"FORM", "sexual"}}, 50.0, 2, 4, 4);
    // labour: D3 D4 D5 (3 records), indicted D3 D4 → 0 of 2.
    ExpectShare("JS.4", "value", {{"FORM", "labour"}}, 0.0, 0, 2, 3);
    // not recorded (P4): D6 D7, indicted D6 (final conviction) → 1 of 1.
    ExpectShare("JS.4", "value", {{"FORM", ""}}, 100.0, 1, 1, 2);
    // JS.5 by FORM: sexual P1 no, P2 yes → 1 of 2; labour P2 yes, P3 empty → 1 of 1 (2
    // records); not recorded P4 no → 0 of 1.
    ExpectShare("JS.5", "value", {{"FORM", "sexual"}}, 50.0, 1, 2, 2);
    ExpectShare("JS.5", "value", {{"FORM", "labour"}}, 100.0, 1, 1, 2);
    ExpectShare("JS.5", "value", {{"FORM", ""}}, 0.0, 0, 1, 1);
    // JS.6 by FORM sexual: convicted D1 D2 (P1), D3 (P2) → 3 records; prison D1 D2 → 2 of 3;
    // suspended D3 → 1 of 3; terms 24, 36: median 30, p90 24 + 0.9 * 12 = 34.8.
    ExpectShare("JS.6", "custodial_share", {{"FORM", "sexual"}}, 200.0 / 3, 2, 3, 3);
    ExpectShare("JS.6", "suspended_share", {{"FORM", "sexual"}}, 100.0 / 3, 1, 3, 3);
    ExpectMedian("JS.6", "median_term", {{"FORM", "sexual"}}, 30.0, 34.8, 2, 3);
    // JS.7 by STG (the proceeding's stage): appeal = P2 450, P4 180: median 315,
    // p90 180 + 0.9 * 270 = 423; first_instance = P1 300.
    ExpectMedian("JS.7", "value", {{"STG", "appeal"}}, 315.0, 423.0, 2, 2);
    ExpectMedian("JS.7", "value", {{"STG", "first_instance"}}, 300.0, 300.0, 1, 1);
    // JS.8 by SEX, through the linked victim: F = V01 V02 V06 → 2 of 3; M = V03, measures not
    // recorded → 0/0.
    ExpectShare("JS.8", "value", {{"SEX", "F"}}, 200.0 / 3, 2, 3, 3);
    ExpectUndefinedShare("JS.8", "value", {{"SEX", "M"}}, 1);
    // JS.8 by AGE 12-17: V02, "none" → 0 of 1.
    ExpectShare("JS.8", "value", {{"AGE", "12-17"}}, 0.0, 0, 1, 1);
    // JS.9 by AGE (linked victim): 18-24 = V01 state_legal_aid, V07 private → 1 of 2;
    // 12-17 = V02 cso_lawyer, V08 unknown → 1 of 1 (2 records); 35-44 = V06 empty → 0/0.
    ExpectShare("JS.9", "value", {{"AGE", "18-24"}}, 50.0, 1, 2, 2);
    ExpectShare("JS.9", "value", {{"AGE", "12-17"}}, 100.0, 1, 1, 2);
    ExpectUndefinedShare("JS.9", "value", {{"AGE", "35-44"}}, 1);
}

// ---------------------------------------------------------------------------------------------
// Compensation (claims C1-C5, RS 2024; 5 records)

TEST_F(Golden, CompensationTotals) {
    // CO.4: every claim → 5.
    ExpectCount("CO.4", "value", {}, 5, 5);
    // CO.5 awarded: distinct victims with an award: C1 V01, C3 V03, C4 V15, C5 V03 → 3
    // (C2 rejected).
    ExpectCount("CO.5", "awarded", {}, 3, 5);
    // total_awarded: 1500.50 + 2000.00 + 450.75 + 300.00 = 4251.25 over 4 rows (C2's 0.00 is a
    // rejection).
    ExpectSum("CO.5", "total_awarded", {}, 4251.25, 4, 5);
    // median_awarded: sorted 300.00 450.75 1500.50 2000.00 (n = 4, even):
    // median h = 1.5 → 450.75 + 0.5 * 1049.75 = 975.625;
    // p90 h = 2.7 → 1500.50 + 0.7 * 499.50 = 1850.15.
    ExpectMedian("CO.5", "median_awarded", {}, 975.625, 1850.15, 4, 5);
    // CO.6 base: awarded claims C1 C3 C4 C5 → 4 records. paid 1500.50 + 1000.10 + 450.75 + 0.00
    // = 2951.35; awarded 4251.25; 100 * 2951.35 / 4251.25 = 69.4231108...
    ExpectRatio("CO.6", "value", {}, 100.0 * 2951.35 / 4251.25, 2951.35, 4251.25, 4);
    // CO.7: days_to_payment C4 60, C1 120, C3 200 (C2, C5 no payment; n = 3): median 120;
    // p90 h = 1.8 → 120 + 0.8 * 80 = 184.
    ExpectMedian("CO.7", "value", {}, 120.0, 184.0, 3, 5);
}

TEST_F(Golden, CompensationBreakdowns) {
    // CO.4 by ROUTE: criminal_adhesion C1 C4 → 2; not recorded C5 → 1.
    ExpectCount("CO.4", "value", {{"ROUTE", "criminal_adhesion"}}, 2, 2);
    ExpectCount("CO.4", "value", {{"ROUTE", ""}}, 1, 1);
    // CO.4 by SEX of the linked victim: F = C1 (V01), C2 (V02) → 2; M = C3 C5 (V03), C4 (V15,
    // a 2023 victim) → 3.
    ExpectCount("CO.4", "value", {{"SEX", "F"}}, 2, 2);
    ExpectCount("CO.4", "value", {{"SEX", "M"}}, 3, 3);
    // CO.4 by FORM of the linked victim (a set): sexual = C1 (V01), C2 (V02) → 2; labour = C2
    // (V02), C3 C5 (V03), C4 (V15) → 4. 2 + 4 > 5: C2 is under both.
    ExpectCount("CO.4", "value", {{"FORM", "sexual"}}, 2, 2);
    ExpectCount("CO.4", "value", {{"FORM", "labour"}}, 4, 4);
    // CO.4 by AGE 25-34: V03 (C3, C5), V15 (C4) → 3.
    ExpectCount("CO.4", "value", {{"AGE", "25-34"}}, 3, 3);
    // CO.5 by ROUTE criminal_adhesion: C1 1500.50 (V01), C4 450.75 (V15): 2 victims, total
    // 1951.25, median 975.625, p90 450.75 + 0.9 * 1049.75 = 1395.525.
    ExpectCount("CO.5", "awarded", {{"ROUTE", "criminal_adhesion"}}, 2, 2);
    ExpectSum("CO.5", "total_awarded", {{"ROUTE", "criminal_adhesion"}}, 1951.25, 2, 2);
    ExpectMedian("CO.5", "median_awarded", {{"ROUTE", "criminal_adhesion"}}, 975.625, 1395.525, 2,
                 2);
    // CO.5 by ROUTE labour_court: C3 2000.00 alone.
    ExpectMedian("CO.5", "median_awarded", {{"ROUTE", "labour_court"}}, 2000.0, 2000.0, 1, 1);
    // CO.6 by PAYER: offender = C1, C4: 1951.25 of 1951.25 → 100; employer = C3: 1000.10 of
    // 2000.00 → 50.005; not recorded = C5: 0.00 of 300.00 → 0.
    ExpectRatio("CO.6", "value", {{"PAYER", "offender"}}, 100.0, 1951.25, 1951.25, 2);
    ExpectRatio("CO.6", "value", {{"PAYER", "employer"}}, 50.005, 1000.10, 2000.0, 1);
    ExpectRatio("CO.6", "value", {{"PAYER", ""}}, 0.0, 0.0, 300.0, 1);
    // CO.7 by ROUTE criminal_adhesion: C4 60, C1 120: median 90, p90 60 + 0.9 * 60 = 114.
    ExpectMedian("CO.7", "value", {{"ROUTE", "criminal_adhesion"}}, 90.0, 114.0, 2, 2);
}

// ---------------------------------------------------------------------------------------------
// Years and countries are separate

TEST_F(Golden, YearsAndCountriesAreSeparate) {
    // RS 2023: V15 identified, V16 presumed → ID.1 = 2, ID.2 = 1 (2024: 12 and 7).
    ExpectCount("ID.1", "value", {}, 2, 2, "RS", 2023);
    ExpectCount("ID.2", "value", {}, 1, 2, "RS", 2023);
    // RS 2023 proceedings: P5 with D8, indicted → JS.2 = 1 (2024: 5).
    ExpectCount("JS.2", "value", {}, 1, 1, "RS", 2023);
    // No claim was lodged in 2023 (C4 is a 2024 claim for a 2023 victim): no CO.4 value.
    EXPECT_TRUE(Query("RS", 2023, "CO.4", {}).empty());
    // BA 2024: only BA1 (and none of the RS victims) → 1.
    ExpectCount("ID.1", "value", {}, 1, 1, "BA", 2024);
    ExpectCount("ID.1", "value", {{"SEX", "F"}}, 1, 1, "BA", 2024);
    // No BA record in 2023.
    EXPECT_TRUE(Query("BA", 2023, "ID.1", {}).empty());
}

}  // namespace
}  // namespace rap
