// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/date.hpp"

#include <gtest/gtest.h>

namespace rap::core {
namespace {

TEST(Date, FromYmdAcceptsRealDaysOnly) {
    EXPECT_EQ(Date::FromYmd(2024, 2, 29)->ToString(), "2024-02-29");
    EXPECT_FALSE(Date::FromYmd(2023, 2, 29));
    EXPECT_FALSE(Date::FromYmd(2024, 4, 31));
    EXPECT_FALSE(Date::FromYmd(2024, 13, 1));
    EXPECT_FALSE(Date::FromYmd(2024, 0, 1));
    EXPECT_FALSE(Date::FromYmd(2024, 1, 0));
    EXPECT_FALSE(Date::FromYmd(1899, 12, 31));
    EXPECT_FALSE(Date::FromYmd(3000, 1, 1));
    EXPECT_EQ(Date::Parse("2024-02-29"), Date::FromYmd(2024, 2, 29));
    EXPECT_FALSE(Date::Parse("2024-02-30"));
}

TEST(Date, SundayAndWeekend) {
    EXPECT_TRUE(Date::Parse("2024-03-03")->IsSunday());
    EXPECT_TRUE(Date::Parse("2024-03-03")->IsWeekend());
    EXPECT_FALSE(Date::Parse("2024-03-02")->IsSunday());
    EXPECT_TRUE(Date::Parse("2024-03-02")->IsWeekend());
    EXPECT_FALSE(Date::Parse("2024-03-04")->IsWeekend());
}

// Published Easter dates (Western and Orthodox tables of the churches).
TEST(Date, WesternEaster) {
    const std::pair<int, const char*> known[] = {
        {1900, "1900-04-15"}, {1954, "1954-04-18"}, {1981, "1981-04-19"}, {2000, "2000-04-23"},
        {2008, "2008-03-23"}, {2011, "2011-04-24"}, {2019, "2019-04-21"}, {2024, "2024-03-31"},
        {2025, "2025-04-20"}, {2026, "2026-04-05"}, {2038, "2038-04-25"}, {2285, "2285-03-22"}};
    for (const auto& [year, date] : known) {
        EXPECT_EQ(WesternEaster(year).ToString(), date) << year;
        EXPECT_TRUE(WesternEaster(year).IsSunday()) << year;
    }
}

TEST(Date, OrthodoxEaster) {
    const std::pair<int, const char*> known[] = {
        {2000, "2000-04-30"}, {2008, "2008-04-27"}, {2010, "2010-04-04"}, {2011, "2011-04-24"},
        {2016, "2016-05-01"}, {2021, "2021-05-02"}, {2022, "2022-04-24"}, {2023, "2023-04-16"},
        {2024, "2024-05-05"}, {2025, "2025-04-20"}, {2026, "2026-04-12"}, {2027, "2027-05-02"}};
    for (const auto& [year, date] : known) {
        EXPECT_EQ(OrthodoxEaster(year).ToString(), date) << year;
    }
    // In the 20th and 21st centuries the Orthodox Easter is on the Western one or 1, 4 or 5
    // weeks after it.
    for (int year = 1900; year <= 2099; ++year) {
        const Date o = OrthodoxEaster(year);
        const Date w = WesternEaster(year);
        ASSERT_TRUE(o.IsSunday()) << year;
        ASSERT_TRUE(w.IsSunday()) << year;
        const int gap = w.DaysUntil(o);
        ASSERT_TRUE(gap == 0 || gap == 7 || gap == 28 || gap == 35) << year << " " << gap;
    }
}

}  // namespace
}  // namespace rap::core
