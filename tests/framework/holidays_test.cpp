// SPDX-License-Identifier: AGPL-3.0-or-later
#include "framework/holidays.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "framework/country.hpp"

#include "support/test_support.hpp"

namespace rap::framework {
namespace {

using rap::testing::Replace;

core::Date D(std::string_view text) {
    return *core::Date::Parse(text);
}

std::vector<std::string> Listed(const PublicHolidays& h, int year) {
    std::vector<std::string> out;
    for (const Holiday& d : h.DaysOff(year)) {
        out.push_back(d.date.ToString() + " " + d.name);
    }
    return out;
}

// Serbia's holidays as data/countries.yaml lists them.
PublicHolidays Serbia() {
    PublicHolidays h;
    h.substitute = Substitute::kSunday;
    h.fixed = {{1, 1, "New Year"},
               {1, 2, "New Year"},
               {1, 7, "Christmas", 0, 9999, Substitute::kNone},
               {2, 15, "Statehood Day"},
               {2, 16, "Statehood Day"},
               {5, 1, "Labour Day"},
               {5, 2, "Labour Day"},
               {11, 11, "Armistice Day"}};
    for (int offset : {-2, -1, 0, 1}) {
        h.easter.push_back(
            {Church::kOrthodox, offset, fmt::format("Easter {:+}", offset), Substitute::kNone});
    }
    return h;
}

TEST(Holidays, SerbiaDaysInLieuOnlyForStateHolidaysOnASunday) {
    // 2023: 1 January is a Sunday, 2 January already a holiday, so 3 January is the day in
    // lieu; 7 January (Saturday) gives none; 16 February is a Thursday.
    EXPECT_EQ(Listed(Serbia(), 2023),
              (std::vector<std::string>{
                  "2023-01-01 New Year", "2023-01-02 New Year", "2023-01-03 New Year (day in lieu)",
                  "2023-01-07 Christmas", "2023-02-15 Statehood Day", "2023-02-16 Statehood Day",
                  "2023-04-14 Easter -2", "2023-04-15 Easter -1", "2023-04-16 Easter +0",
                  "2023-04-17 Easter +1", "2023-05-01 Labour Day", "2023-05-02 Labour Day",
                  "2023-11-11 Armistice Day"}));
}

TEST(Holidays, CoincidingHolidaysGiveOneDayInLieuAfterTheOthers) {
    // 2021: Orthodox Easter on Sunday 2 May, Labour Day 1-2 May. Easter Monday is 3 May, so the
    // Labour Day Sunday gives Tuesday 4 May.
    const auto days = Listed(Serbia(), 2021);
    EXPECT_NE(std::find(days.begin(), days.end(), "2021-05-04 Labour Day (day in lieu)"),
              days.end());
    EXPECT_EQ(std::count_if(days.begin(), days.end(),
                            [](const std::string& d) { return d.starts_with("2021-05-02"); }),
              1);
    // Albania 2025: both Easters on 20 April give one Monday off, not two.
    PublicHolidays al;
    al.substitute = Substitute::kWeekend;
    al.easter = {{Church::kWestern, 0, "Catholic Easter"},
                 {Church::kOrthodox, 0, "Orthodox Easter"}};
    EXPECT_EQ(Listed(al, 2025),
              (std::vector<std::string>{"2025-04-20 Catholic Easter",
                                        "2025-04-21 Catholic Easter (day in lieu)"}));
    EXPECT_EQ(Listed(al, 2024),
              (std::vector<std::string>{
                  "2024-03-31 Catholic Easter", "2024-04-01 Catholic Easter (day in lieu)",
                  "2024-05-05 Orthodox Easter", "2024-05-06 Orthodox Easter (day in lieu)"}));
}

TEST(Holidays, SaturdayCountsOnlyUnderTheWeekendRule) {
    PublicHolidays h;
    h.fixed = {{11, 28, "Independence Day"}, {11, 29, "Liberation Day"}};
    h.substitute = Substitute::kSunday;
    // 2026: 28 November is a Saturday, 29 a Sunday.
    EXPECT_EQ(Listed(h, 2026),
              (std::vector<std::string>{"2026-11-28 Independence Day", "2026-11-29 Liberation Day",
                                        "2026-11-30 Liberation Day (day in lieu)"}));
    h.substitute = Substitute::kWeekend;
    EXPECT_EQ(Listed(h, 2026),
              (std::vector<std::string>{"2026-11-28 Independence Day", "2026-11-29 Liberation Day",
                                        "2026-11-30 Independence Day (day in lieu)",
                                        "2026-12-01 Liberation Day (day in lieu)"}));
    h.substitute = Substitute::kNone;
    EXPECT_EQ(Listed(h, 2026).size(), 2u);
}

TEST(Holidays, DaysInLieuCrossTheTurnOfTheYear) {
    PublicHolidays h;
    h.substitute = Substitute::kSunday;
    h.fixed = {{12, 31, "Year end"}, {1, 1, "New Year"}};
    // 31 December 2023 is a Sunday; 1 January 2024 is a holiday, so the day in lieu is 2 January
    // 2024 and belongs to 2024's list.
    EXPECT_EQ(Listed(h, 2023).back(), "2023-12-31 Year end");
    EXPECT_EQ(Listed(h, 2024),
              (std::vector<std::string>{"2024-01-01 New Year", "2024-01-02 Year end (day in lieu)",
                                        "2024-12-31 Year end"}));
}

TEST(Holidays, FixedHolidaysHaveYearsAndDatedOnesAreKnownForTheirYears) {
    PublicHolidays h;
    h.fixed = {{10, 19, "Old date", 0, 2016}, {9, 5, "New date", 2017}};
    h.dated = {{D("2025-03-30"), "Eid", Substitute::kSunday}};
    h.dated_years = std::pair{2024, 2025};
    EXPECT_EQ(Listed(h, 2016), (std::vector<std::string>{"2016-10-19 Old date"}));
    EXPECT_EQ(Listed(h, 2025),
              (std::vector<std::string>{"2025-03-30 Eid", "2025-03-31 Eid (day in lieu)",
                                        "2025-09-05 New date"}));
    EXPECT_FALSE(h.Known(2023));
    EXPECT_TRUE(h.Known(2024));
    EXPECT_TRUE(h.Known(2025));
    EXPECT_FALSE(h.Known(2026));
    EXPECT_TRUE(PublicHolidays{}.Known(2026));  // nothing dated: every year is known
}

TEST(Holidays, WorkingDays) {
    const PublicHolidays h = Serbia();
    WorkingDays days(h);
    EXPECT_FALSE(days.IsWorkingDay(D("2023-01-03")));  // day in lieu
    EXPECT_TRUE(days.IsWorkingDay(D("2023-01-04")));
    EXPECT_FALSE(days.IsWorkingDay(D("2023-01-07")));  // Saturday and holiday
    EXPECT_EQ(days.OnOrAfter(D("2023-04-14")).ToString(), "2023-04-18");
    EXPECT_EQ(days.OnOrAfter(D("2023-12-30")).ToString(), "2024-01-03");
    EXPECT_EQ(days.OnOrAfter(D("2024-01-03")).ToString(), "2024-01-03");
}

TEST(Holidays, ParsedFromTheCountriesFile) {
    core::Diagnostics diags;
    auto set = ParseCountries("countries.yaml", testing::MiniCountries(), diags);
    ASSERT_TRUE(set) << diags.ToString();
    const PublicHolidays& h = set->Find("RS")->foi.holidays;
    EXPECT_EQ(h.substitute, Substitute::kSunday);
    EXPECT_EQ(h.fixed.size(), 6u);
    EXPECT_EQ(h.fixed[2].substitute, Substitute::kNone);
    EXPECT_EQ(h.fixed[5].first_year, 2002);
    EXPECT_EQ(h.easter.size(), 2u);
    EXPECT_EQ(h.easter[1].offset, 1);
    ASSERT_EQ(h.dated.size(), 1u);
    EXPECT_EQ(h.dated[0].date.ToString(), "2024-04-10");
    EXPECT_EQ(h.dated_years, (std::pair{2024, 2025}));
    EXPECT_EQ(h.source, "https://example.org/holidays");
    // A country without the block has weekends only.
    EXPECT_TRUE(set->Find("BA")->foi.holidays.DaysOff(2024).empty());
}

// Each bad value is reported with its line and column, and nothing loads.
TEST(HolidaysBadInput, EachProblemIsReportedWhereItIs) {
    struct Case {
        std::string from, to, message;
    };
    const Case cases[] = {
        {R"("01-02")", R"("02-29")", "date '02-29' must be a day of every year as MM-DD"},
        {R"("01-02")", R"("13-01")", "date '13-01' must be a day of every year as MM-DD"},
        {R"("01-02")", R"("1-2")", "date '1-2' must be a day of every year as MM-DD"},
        {R"("01-02")", R"("01-01")", "RS public_holidays fixed holiday: 01-01 is listed twice"},
        {"substitute: sunday", "substitute: monday",
         "substitute 'monday' is not known; expected none, sunday or weekend"},
        {"church: orthodox, offset: 1", "church: coptic, offset: 1",
         "church 'coptic' is not known; expected western or orthodox"},
        {"offset: 1", "offset: 100", "must be between -60 and 60, found 100"},
        {"offset: 1", "offset: -2", "orthodox Easter -2 is listed twice"},
        {"date: 2024-04-10", "date: 2023-04-21", "2023-04-21 is outside the years [2024, 2025]"},
        {"date: 2024-04-10", "date: 2024-04-31", "date '2024-04-31' must be YYYY-MM-DD"},
        {"years: [2024, 2025]", "years: [2025, 2024]", "years [2025, 2024] run backwards"},
        {"years: [2024, 2025]", "years: 2024", "years must be [first, last]"},
        {"name: Armistice Day, from: 2002", "name: Armistice Day, from: 2002, until: 2001",
         "until 2001 is before from 2002"},
        {"      source: https://example.org/holidays\n", "",
         "RS public_holidays: missing required key 'source'"},
        {"substitute: sunday", "substitute: sunday\n      weekdays: 5", "unknown key 'weekdays'"},
    };
    for (const Case& c : cases) {
        const std::string text = Replace(testing::MiniCountries(), c.from, c.to);
        core::Diagnostics diags;
        EXPECT_FALSE(ParseCountries("countries.yaml", text, diags)) << c.to;
        const std::string p = diags.ToString();
        EXPECT_NE(p.find(c.message), std::string::npos) << c.to << "\n" << p;
        EXPECT_NE(p.find("countries.yaml:"), std::string::npos) << p;
    }
}

// The mini countries file with `block` added to Serbia's public_holidays.
std::string WithRegional(const std::string& block) {
    return Replace(testing::MiniCountries(), "      source: https://example.org/holidays\n",
                   "      source: https://example.org/holidays\n      regional:\n" + block);
}

TEST(Holidays, ARegionAddsItsOwnDaysToTheCountrys) {
    core::Diagnostics diags;
    auto set = ParseCountries("countries.yaml",
                              WithRegional("        RS-BG:\n"
                                           "          fixed:\n"
                                           "            - {date: \"10-20\", name: City Day}\n"
                                           "            - {date: \"11-11\", name: Armistice Day}\n"
                                           "          note: {en: Synthetic regional days}\n"
                                           "          source: https://example.org/city\n"),
                              diags);
    ASSERT_TRUE(set) << diags.ToString();
    const Country& rs = *set->Find("RS");
    const PublicHolidays& city = rs.FoiAt("RS-BG").holidays;
    auto days = Listed(city, 2025);
    EXPECT_NE(std::find(days.begin(), days.end(), "2025-10-20 City Day"), days.end());
    // The country's days stay, and a day both list is one day off.
    EXPECT_EQ(days.size(), Listed(rs.foi.holidays, 2025).size() + 1);
    EXPECT_EQ(city.source, "https://example.org/city");
    EXPECT_EQ(city.note.Get(), "Synthetic regional days");
    EXPECT_EQ(city.dated_years, rs.foi.holidays.dated_years);
    // The rest of the rule is the country's; other regions and bodies not placed count with the
    // country's days.
    EXPECT_EQ(rs.FoiAt("RS-BG").deadline.days, rs.foi.deadline.days);
    EXPECT_EQ(&rs.FoiAt(""), &rs.foi);
    EXPECT_EQ(&rs.FoiAt("RS-VO"), &rs.foi);
    // 2025-10-20 is a Monday: a 15-day deadline from 5 October moves to Tuesday in the region.
    WorkingDays in_city(city);
    WorkingDays elsewhere(rs.foi.holidays);
    EXPECT_FALSE(in_city.IsWorkingDay(D("2025-10-20")));
    EXPECT_TRUE(elsewhere.IsWorkingDay(D("2025-10-20")));
    EXPECT_EQ(in_city.OnOrAfter(D("2025-10-20")), D("2025-10-21"));
}

TEST(HolidaysBadInput, RegionalDaysAreCheckedLikeTheCountrys) {
    struct Case {
        std::string block, message;
    };
    const Case cases[] = {
        {"        - RS-BG\n", "regional must map region codes"},
        {"        BA-FBIH:\n          fixed: []\n          source: https://example.org/x\n",
         "'BA-FBIH' must be a region of RS (a REG code starting with RS-)"},
        {"        RS-BG:\n          fixed:\n            - {date: \"02-30\", name: X}\n"
         "          source: https://example.org/x\n",
         "RS public_holidays regional RS-BG fixed holiday: date '02-30'"},
        {"        RS-BG:\n          fixed: []\n          dated: {years: [2025, 2025], days: []}\n"
         "          source: https://example.org/x\n",
         "a region adds fixed and Easter days only"},
        {"        RS-BG:\n          fixed: []\n          source: https://example.org/x\n"
         "          regional: {}\n",
         "unknown key 'regional'"},
        {"        RS-BG:\n          fixed: []\n", "missing required key 'source'"},
    };
    for (const Case& c : cases) {
        core::Diagnostics diags;
        EXPECT_FALSE(ParseCountries("countries.yaml", WithRegional(c.block), diags)) << c.block;
        const std::string p = diags.ToString();
        EXPECT_NE(p.find(c.message), std::string::npos) << c.block << "\n" << p;
        EXPECT_NE(p.find("countries.yaml:"), std::string::npos) << p;
    }
}

}  // namespace
}  // namespace rap::framework
