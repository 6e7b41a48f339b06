// SPDX-License-Identifier: AGPL-3.0-or-later
// The engine's sums by field type and its failure paths, on a small reference set of their own
// (synthetic): one victim record with an integer and an amount field and one indicator over them.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "engine/engine.hpp"
#include "framework/reference_data.hpp"
#include "io/case_reader.hpp"

#include "support/test_support.hpp"

namespace rap {
namespace {

using By = std::vector<std::pair<std::string, std::string>>;

// The value of `measure` broken down exactly by `by`; a test failure when there is none.
std::optional<engine::Value> FindValue(const std::vector<engine::Value>& values,
                                       const std::string& measure, const By& by) {
    for (const auto& v : values) {
        if (v.measure == measure && v.by == by) {
            return v;
        }
    }
    ADD_FAILURE() << "no value of " << measure << " with " << by.size() << " breakdown(s)";
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Sums by field type, on a reference set of their own: the shipped core sums only amounts, so
// these tests define one victim record with an integer and an amount field and one indicator
// over them (synthetic), and feed the engine rows read from hand-written cells.

constexpr const char* kSumsSchema = R"(schema: rapporteur/case-records@1
version: "1.0.0"
name: {en: Sums test records (synthetic)}
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
      - {name: support_days, type: integer, min: 0, max: 7300}
      - {name: cost_eur, type: amount}
)";

constexpr const char* kSumsCore = R"(schema: rapporteur/framework@1
id: sums-core
version: "1.0.0"
kind: core
name: {en: Sums test core (synthetic)}
sources:
  SW: {en: Social welfare}
areas:
  - {code: AS, name: {en: Assistance}}
indicators:
  - code: AS.1
    area: AS
    name: {en: Support}
    description: {en: Days of support and what they cost.}
    type: outcome
    measures:
      - {id: days, kind: NUM, unit: days, direction: contextual, name: {en: Days}}
      - {id: cost, kind: AMT, unit: EUR, direction: contextual, name: {en: Cost}}
      - {id: cost_per_day, kind: PCT, unit: percent, direction: contextual, name: {en: Per day}}
      - {id: victims, kind: NUM, unit: persons, direction: contextual, name: {en: Victims}}
    disaggregations: [SEX]
    derivation:
      record: victim
      measures:
        days: {sum: support_days}
        cost: {sum: cost_eur}
        cost_per_day: {ratio: {numerator: cost_eur, denominator: support_days}}
        victims: {distinct: case_id}
)";

class Sums : public ::testing::Test {
protected:
    void SetUp() override {
        core::Diagnostics diags;
        data_ = framework::LoadReferenceData({{"sex.yaml", testing::MiniCodelistSex()},
                                              {"countries.yaml", testing::MiniCountries()},
                                              {"case-records.yaml", kSumsSchema},
                                              {"sums-core.yaml", kSumsCore}},
                                             diags);
        ASSERT_TRUE(data_) << diags.ToString();
        auto eff = data_->Resolve("sums-core");
        ASSERT_TRUE(eff) << eff.error().ToString();
        eff_ = std::move(*eff);
    }

    // Victim rows (case_id, sex, support_days, cost_eur) of RS `year`.
    void Put(int year, const std::vector<std::array<std::string, 4>>& rows) {
        core::Diagnostics diags;
        const cases::CellContext context{.countries = {"RS", "BA"}};
        io::CaseTableReader reader(*data_->case_schema->Find("victim"), data_->codelists, context,
                                   "victims.csv", diags);
        const std::vector<std::string_view> header = {"case_id", "country",      "year",
                                                      "sex",     "support_days", "cost_eur"};
        ASSERT_TRUE(reader.Header("", header));
        const std::string y = std::to_string(year);
        long line = 1;
        for (const auto& r : rows) {
            const std::vector<std::string_view> cells = {r[0], "RS", y, r[1], r[2], r[3]};
            ASSERT_TRUE(reader.Row(++line, cells));
        }
        ASSERT_TRUE(diags.empty()) << diags.ToString();
        snapshot_.Put({"victim", "RS", year}, std::move(reader.table()));
    }

    Result<engine::ValueSet> Compute(const framework::EffectiveFramework& eff) const {
        engine::ComputeRequest request;
        request.data = &*data_;
        request.frameworks = {{"RS", &eff}};
        request.snapshot = &snapshot_;
        request.threads = 2;
        return engine::Compute(request);
    }

    static engine::Value Find(const engine::ValueSet& values, const std::string& measure,
                              const By& by) {
        auto v = FindValue(values.values(), measure, by);
        return v.value_or(engine::Value());
    }

    std::optional<framework::ReferenceData> data_;
    framework::EffectiveFramework eff_;
    engine::Snapshot snapshot_;
};

TEST_F(Sums, IntegerFieldsAreNotScaledLikeAmounts) {
    Put(2024, {{"V1", "F", "10", "100.50"},
               {"V2", "M", "20", "49.50"},
               {"V3", "F", "", "25"},
               {"V4", "M", "5", ""}});
    auto values = Compute(eff_);
    ASSERT_TRUE(values) << values.error().ToString();
    // days (integer): 10 + 20 + 5 = 35 days over 3 rows with a value; F: 10 (1); M: 25 (2).
    engine::Value v = Find(*values, "days", {});
    EXPECT_DOUBLE_EQ(v.value, 35);
    EXPECT_DOUBLE_EQ(v.numerator, 35);
    EXPECT_DOUBLE_EQ(v.denominator, 3);
    EXPECT_EQ(v.records, 4);
    EXPECT_DOUBLE_EQ(Find(*values, "days", {{"SEX", "F"}}).value, 10);
    EXPECT_DOUBLE_EQ(Find(*values, "days", {{"SEX", "M"}}).value, 25);
    // cost (amount, kept in cents): 100.50 + 49.50 + 25 = 175 EUR over 3 rows.
    v = Find(*values, "cost", {});
    EXPECT_DOUBLE_EQ(v.value, 175);
    EXPECT_DOUBLE_EQ(v.denominator, 3);
    // cost_per_day mixes the two: 100 * 175 EUR / 35 days = 500; F: 100 * 125.50 / 10 = 1255;
    // M: 100 * 49.50 / 25 = 198.
    v = Find(*values, "cost_per_day", {});
    EXPECT_DOUBLE_EQ(v.numerator, 175);
    EXPECT_DOUBLE_EQ(v.denominator, 35);
    EXPECT_DOUBLE_EQ(v.value, 500);
    v = Find(*values, "cost_per_day", {{"SEX", "F"}});
    EXPECT_DOUBLE_EQ(v.numerator, 125.5);
    EXPECT_DOUBLE_EQ(v.denominator, 10);
    EXPECT_DOUBLE_EQ(v.value, 1255);
    EXPECT_DOUBLE_EQ(Find(*values, "cost_per_day", {{"SEX", "M"}}).value, 198);
}

TEST_F(Sums, HugeAmountsDoNotOverflow) {
    // 10,000 rows of the largest amount the import accepts (13 digits and cents): the sum,
    // 99,999,999,999,999,900 EUR, is about 1e19 cents, beyond a 64-bit integer.
    std::vector<std::array<std::string, 4>> rows;
    for (int i = 0; i < 10000; ++i) {
        rows.push_back({"V" + std::to_string(i), i % 2 == 0 ? "F" : "M", "1", "9999999999999.99"});
    }
    Put(2024, rows);
    auto values = Compute(eff_);
    ASSERT_TRUE(values) << values.error().ToString();
    engine::Value v = Find(*values, "cost", {});
    EXPECT_DOUBLE_EQ(v.value, 99'999'999'999'999'900.0);
    EXPECT_DOUBLE_EQ(v.denominator, 10000);
    EXPECT_DOUBLE_EQ(Find(*values, "cost", {{"SEX", "F"}}).value, 49'999'999'999'999'950.0);
    // 100 * 99,999,999,999,999,900 EUR / 10,000 days.
    EXPECT_DOUBLE_EQ(Find(*values, "cost_per_day", {}).value, 999'999'999'999'999.0);
}

TEST_F(Sums, DistinctOfANonTextFieldIsAnErrorNotACrash) {
    // LoadReferenceData rejects this derivation; the engine must not trust that it ran.
    Put(2024, {{"V1", "F", "10", "1"}, {"V2", "M", "20", "2"}});
    framework::EffectiveFramework eff = eff_;
    for (auto& m : eff.indicators[0].indicator.derivation->measures) {
        if (m.measure == "victims") {
            m.field = "support_days";
        }
    }
    auto values = Compute(eff);
    ASSERT_FALSE(values);
    EXPECT_EQ(values.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(values.error().message, "AS.1: distinct cannot take the integer field support_days");
}

}  // namespace
}  // namespace rap
