// SPDX-License-Identifier: AGPL-3.0-or-later
// Disclosure control on hand-built tables (synthetic numbers).
#include "privacy/disclosure.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace rap::privacy {
namespace {

using framework::Aggregate;
using engine::Suppression;
using By = std::vector<std::pair<std::string, std::string>>;

engine::Value Count(By by, double n, int64_t records = -1) {
    engine::Value v;
    v.indicator = "ID.1";
    v.measure = "value";
    v.country = "RS";
    v.year = 2024;
    v.by = std::move(by);
    v.value = v.numerator = n;
    v.records = records < 0 ? static_cast<int64_t>(n) : records;
    return v;
}

engine::Value Share(By by, double numerator, double denominator) {
    engine::Value v = Count(std::move(by), numerator, static_cast<int64_t>(denominator));
    v.indicator = "PR.2";
    v.denominator = denominator;
    v.value = 100 * numerator / denominator;
    return v;
}

AggregateOf Known() {
    return [](std::string_view indicator, std::string_view) -> std::optional<Aggregate> {
        if (indicator == "ID.1") {
            return Aggregate::kCount;
        }
        if (indicator == "PR.2") {
            return Aggregate::kShare;
        }
        return std::nullopt;
    };
}

// The suppression of the value with `by` (as built).
Suppression Of(const std::vector<engine::Value>& values, const By& by) {
    for (const auto& v : values) {
        if (v.by == by) {
            return v.suppression;
        }
    }
    ADD_FAILURE() << "no such cell";
    return Suppression::kShown;
}

TEST(Disclosure, ASmallCellAndItsComplementAreHiddenTheTotalStays) {
    // 12 victims: 10 women, 2 men. Showing 12 and 10 would give away the 2.
    std::vector<engine::Value> v = {Count({}, 12), Count({{"SEX", "F"}}, 10),
                                    Count({{"SEX", "M"}}, 2)};
    EXPECT_EQ(Protect(v, Known()), 2U);
    EXPECT_EQ(Of(v, {}), Suppression::kShown);
    EXPECT_EQ(Of(v, {{"SEX", "M"}}), Suppression::kPrimary);
    EXPECT_EQ(Of(v, {{"SEX", "F"}}), Suppression::kSecondary);
    EXPECT_DOUBLE_EQ(v[0].value, 12);
    for (size_t i : {1U, 2U}) {
        EXPECT_TRUE(std::isnan(v[i].value));
        EXPECT_TRUE(std::isnan(v[i].numerator));
        EXPECT_EQ(v[i].records, 0);
    }
}

TEST(Disclosure, ZeroAndLargeCountsAreShown) {
    std::vector<engine::Value> v = {Count({}, 30), Count({{"SEX", "F"}}, 25),
                                    Count({{"SEX", "M"}}, 5)};
    EXPECT_EQ(Protect(v, Known()), 0U);
    // A count of zero in a large base population is not disclosive.
    std::vector<engine::Value> z = {Count({}, 0, 40)};
    EXPECT_EQ(Protect(z, Known()), 0U);
    EXPECT_DOUBLE_EQ(z[0].value, 0);
}

TEST(Disclosure, AStricterCountryRuleHidesMore) {
    // 30 victims: 23 women, 7 men. The regional minimum shows all three; a country that hides
    // counts below 8 hides the 7 and, so that it cannot be recovered, the 23.
    auto table = [] {
        return std::vector<engine::Value>{Count({}, 30), Count({{"SEX", "F"}}, 23),
                                          Count({{"SEX", "M"}}, 7)};
    };
    std::vector<engine::Value> regional = table();
    EXPECT_EQ(Protect(regional, Known()), 0U);
    std::vector<engine::Value> strict = table();
    EXPECT_EQ(Protect(strict, Known(), DisclosureRule{8, 16}), 2U);
    EXPECT_EQ(Of(strict, {}), Suppression::kShown);
    EXPECT_EQ(Of(strict, {{"SEX", "M"}}), Suppression::kPrimary);
    EXPECT_EQ(Of(strict, {{"SEX", "F"}}), Suppression::kSecondary);
    // Across two dimensions the cross threshold applies: 12 passes 10, not 16.
    auto two_way = [] {
        return std::vector<engine::Value>{Count({{"AGE", "adult"}, {"SEX", "F"}}, 12),
                                          Count({{"AGE", "adult"}, {"SEX", "M"}}, 12)};
    };
    std::vector<engine::Value> cross = two_way();
    EXPECT_EQ(Protect(cross, Known()), 0U);
    cross = two_way();
    EXPECT_EQ(Protect(cross, Known(), DisclosureRule{8, 16}), 2U);
}

TEST(Disclosure, TheNotRecordedCellCountsAsACell) {
    // 20 = 16 F + 4 with sex not recorded: the 4 is small, the 16 would give it away.
    std::vector<engine::Value> v = {Count({}, 20), Count({{"SEX", "F"}}, 16),
                                    Count({{"SEX", ""}}, 4)};
    Protect(v, Known());
    EXPECT_EQ(Of(v, {{"SEX", ""}}), Suppression::kPrimary);
    EXPECT_EQ(Of(v, {{"SEX", "F"}}), Suppression::kSecondary);
}

TEST(Disclosure, ASingleCellUnderItsMarginHidesTheMarginToo) {
    // Only women: the total equals the one cell.
    std::vector<engine::Value> v = {Count({}, 8), Count({{"SEX", "F"}}, 8),
                                    Count({{"AGE", "18_24"}}, 6), Count({{"AGE", "0_13"}}, 2)};
    Protect(v, Known());
    EXPECT_EQ(Of(v, {{"AGE", "0_13"}}), Suppression::kPrimary);
    EXPECT_EQ(Of(v, {{"AGE", "18_24"}}), Suppression::kSecondary);
    // Age's cells are hidden, so the total may stay, and with it the single sex cell.
    EXPECT_EQ(Of(v, {}), Suppression::kShown);
    EXPECT_EQ(Of(v, {{"SEX", "F"}}), Suppression::kShown);

    std::vector<engine::Value> w = {Count({}, 3), Count({{"SEX", "F"}}, 3)};
    Protect(w, Known());
    EXPECT_EQ(Of(w, {}), Suppression::kPrimary);
    EXPECT_EQ(Of(w, {{"SEX", "F"}}), Suppression::kPrimary);
}

TEST(Disclosure, TwoWayTablesUseTheHigherThresholdAndProtectTheirMargins) {
    std::vector<engine::Value> v = {
        Count({}, 40),
        Count({{"SEX", "F"}}, 20),
        Count({{"SEX", "M"}}, 20),
        Count({{"AGE", "A"}}, 20),
        Count({{"AGE", "B"}}, 20),
        Count({{"SEX", "F"}, {"AGE", "A"}}, 12),
        Count({{"SEX", "F"}, {"AGE", "B"}}, 8),
        Count({{"SEX", "M"}, {"AGE", "A"}}, 8),
        Count({{"SEX", "M"}, {"AGE", "B"}}, 12),
    };
    Protect(v, Known());
    // 8 is shown in a one-way table but not in a two-way one.
    EXPECT_EQ(Of(v, {{"SEX", "F"}, {"AGE", "B"}}), Suppression::kPrimary);
    EXPECT_EQ(Of(v, {{"SEX", "M"}, {"AGE", "A"}}), Suppression::kPrimary);
    // 12 = 20 - 8 in each row: hidden as well.
    EXPECT_EQ(Of(v, {{"SEX", "F"}, {"AGE", "A"}}), Suppression::kSecondary);
    EXPECT_EQ(Of(v, {{"SEX", "M"}, {"AGE", "B"}}), Suppression::kSecondary);
    // The margins are safe: every row and column of the two-way table has two hidden cells.
    EXPECT_EQ(Of(v, {}), Suppression::kShown);
    EXPECT_EQ(Of(v, {{"SEX", "F"}}), Suppression::kShown);
    EXPECT_EQ(Of(v, {{"AGE", "A"}}), Suppression::kShown);
}

TEST(Disclosure, EveryGroupEndsWithNoneOrAtLeastTwoHidden) {
    // A larger table with scattered small cells; whatever is chosen, no row or column of it may
    // have exactly one hidden cell.
    std::vector<engine::Value> v = {Count({}, 100)};
    const std::vector<std::string> sex = {"F", "M", ""};
    const std::vector<std::string> age = {"A", "B", "C", "D"};
    const double cells[3][4] = {{30, 3, 12, 11}, {20, 11, 2, 6}, {1, 2, 1, 1}};
    for (size_t s = 0; s < sex.size(); ++s) {
        double row = 0;
        for (size_t a = 0; a < age.size(); ++a) {
            v.push_back(Count({{"SEX", sex[s]}, {"AGE", age[a]}}, cells[s][a]));
            row += cells[s][a];
        }
        v.push_back(Count({{"SEX", sex[s]}}, row));
    }
    for (size_t a = 0; a < age.size(); ++a) {
        double col = 0;
        for (size_t s = 0; s < sex.size(); ++s) {
            col += cells[s][a];
        }
        v.push_back(Count({{"AGE", age[a]}}, col));
    }
    Protect(v, Known());
    auto hidden = [&](const By& by) { return Of(v, by) != Suppression::kShown; };
    for (const auto& s : sex) {
        int n = hidden({{"SEX", s}}) ? 1 : 0;
        for (const auto& a : age) {
            n += hidden({{"SEX", s}, {"AGE", a}}) ? 1 : 0;
        }
        EXPECT_NE(n, 1) << "row " << s;
    }
    for (const auto& a : age) {
        int n = hidden({{"AGE", a}}) ? 1 : 0;
        for (const auto& s : sex) {
            n += hidden({{"SEX", s}, {"AGE", a}}) ? 1 : 0;
        }
        EXPECT_NE(n, 1) << "column " << a;
    }
    int n = hidden({}) ? 1 : 0;
    for (const auto& s : sex) {
        n += hidden({{"SEX", s}}) ? 1 : 0;
    }
    EXPECT_NE(n, 1) << "sex margin";
}

TEST(Disclosure, SharesHideSmallNumeratorsAndSmallComplements) {
    // 48 of 50 received the service: the 2 who did not are as visible as 2 who did.
    std::vector<engine::Value> v = {Share({}, 48, 50), Share({{"SEX", "F"}}, 20, 20),
                                    Share({{"SEX", "M"}}, 28, 30)};
    Protect(v, Known());
    EXPECT_EQ(Of(v, {}), Suppression::kPrimary);
    EXPECT_EQ(Of(v, {{"SEX", "M"}}), Suppression::kPrimary);
    // 100% of 20 women tells nothing about anyone that "20 women" does not; with the total and
    // the men both hidden, the men's figure cannot be worked out from it.
    EXPECT_EQ(Of(v, {{"SEX", "F"}}), Suppression::kShown);

    std::vector<engine::Value> ok = {Share({}, 25, 50)};
    EXPECT_EQ(Protect(ok, Known()), 0U);
    EXPECT_DOUBLE_EQ(ok[0].value, 50);
}

TEST(Disclosure, AMeasureOfUnknownKindIsNeverShown) {
    std::vector<engine::Value> v = {Count({}, 500)};
    v[0].indicator = "XX.1";
    EXPECT_EQ(Protect(v, Known()), 1U);
    EXPECT_TRUE(std::isnan(v[0].value));
}

TEST(Disclosure, TablesOfDifferentMeasuresCountriesAndYearsAreSeparate) {
    std::vector<engine::Value> v = {Count({}, 12), Count({{"SEX", "F"}}, 10),
                                    Count({{"SEX", "M"}}, 2)};
    engine::Value other = Count({{"SEX", "F"}}, 10);
    other.year = 2023;
    v.push_back(other);
    Protect(v, Known());
    EXPECT_EQ(v[3].suppression, Suppression::kShown);
}

}  // namespace
}  // namespace rap::privacy
