// SPDX-License-Identifier: AGPL-3.0-or-later
#include "framework/country.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace rap::framework {
namespace {

using rap::testing::Replace;

TEST(Countries, ParsesRulesAndPopulation) {
    core::Diagnostics diags;
    auto set = ParseCountries("countries.yaml", testing::MiniCountries(), diags);
    ASSERT_TRUE(set) << diags.ToString();
    const Country* rs = set->Find("RS");
    ASSERT_NE(rs, nullptr);
    EXPECT_EQ(rs->foi.deadline.days, 15);
    EXPECT_EQ(rs->foi.deadline.unit, DayCount::kCalendar);
    ASSERT_TRUE(rs->foi.extended_deadline);
    EXPECT_EQ(rs->foi.extended_deadline->days, 40);
    EXPECT_EQ(rs->foi.urgent_hours, 48);
    EXPECT_EQ(rs->population.by_year.at(2010), 7000000);
    EXPECT_TRUE(rs->population.estimated.contains(2025));
    EXPECT_EQ(rs->name.Get("sr-Cyrl"), "Србија");
    EXPECT_TRUE(set->Find("BA")->foi.verify);
    // The regional minimum unless the country is stricter.
    EXPECT_EQ(rs->disclosure.threshold, kRegionalDisclosureThreshold);
    EXPECT_EQ(rs->disclosure.cross_threshold, kRegionalCrossThreshold);
    EXPECT_EQ(set->Find("BA")->disclosure.threshold, 8);
    EXPECT_EQ(set->Find("BA")->disclosure.cross_threshold, 10);
    EXPECT_EQ(set->Find("BA")->disclosure.reason.Get(),
              "Synthetic test of a stricter national rule");
}

TEST(Countries, AStricterThresholdRaisesTheCrossThresholdWithIt) {
    const std::string text =
        Replace(testing::MiniCountries(), "      threshold: 8\n", "      threshold: 15\n");
    core::Diagnostics diags;
    auto set = ParseCountries("countries.yaml", text, diags);
    ASSERT_TRUE(set) << diags.ToString();
    EXPECT_EQ(set->Find("BA")->disclosure.threshold, 15);
    EXPECT_EQ(set->Find("BA")->disclosure.cross_threshold, 15);
}

TEST(CountriesBadInput, DisclosureMayBeStricterNeverLooser) {
    struct Case {
        std::string to;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"      threshold: 3\n",
         "BA disclosure threshold is 3, below 5: a country may be stricter than the regional "
         "minimum, not looser"},
        {"      threshold: 8\n      cross_threshold: 9\n",
         "BA disclosure cross_threshold is 9, below 10"},
        {"      threshold: 12\n      cross_threshold: 11\n",
         "BA disclosure cross_threshold is 11, below 12"},
        {"      threshold: five\n", "must be a whole number, found 'five'"},
        {"      threshold: 5000\n", "must be between 1 and 1000, found 5000"},
        {"      threshold: 8\n      rounding: 5\n", "rounding"},
    };
    for (const Case& c : cases) {
        const std::string text =
            Replace(testing::MiniCountries(), "      threshold: 8\n", c.to);
        core::Diagnostics diags;
        EXPECT_FALSE(ParseCountries("countries.yaml", text, diags)) << c.to;
        EXPECT_NE(diags.ToString().find(c.expected), std::string::npos)
            << c.to << "\n" << diags.ToString();
        // Every problem names the line it is on.
        EXPECT_NE(diags.ToString().find("countries.yaml:"), std::string::npos);
    }
    // A stricter rule says why.
    const std::string no_reason = Replace(
        testing::MiniCountries(), "      reason: {en: Synthetic test of a stricter national rule}\n",
        "");
    core::Diagnostics diags;
    EXPECT_FALSE(ParseCountries("countries.yaml", no_reason, diags));
    EXPECT_NE(diags.ToString().find("reason"), std::string::npos) << diags.ToString();
}

TEST(CountriesBadInput, MissingYearBadUnitAndBadCodes) {
    std::string text = Replace(testing::MiniCountries(), "        2013: 6910000\n", "");
    text = Replace(text, "{days: 40, unit: calendar}", "{days: 40, unit: business}");
    text = Replace(text, "currency: BAM", "currency: KM");
    core::Diagnostics diags;
    EXPECT_FALSE(ParseCountries("countries.yaml", text, diags));
    const std::string p = diags.ToString();
    EXPECT_NE(p.find("RS population: no figure for 2013"), std::string::npos) << p;
    EXPECT_NE(p.find("unit 'business' is not known; expected calendar or working"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("BA: currency 'KM' must be an ISO 4217 code"), std::string::npos) << p;
}

TEST(CountriesBadInput, NegativeOrTextPopulation) {
    std::string text = Replace(testing::MiniCountries(), "2011: 6970000", "2011: -5");
    text = Replace(text, "2012: 6940000", "2012: many");
    core::Diagnostics diags;
    EXPECT_FALSE(ParseCountries("countries.yaml", text, diags));
    const std::string p = diags.ToString();
    EXPECT_NE(p.find("must be between 1 and 2000000000, found -5"), std::string::npos) << p;
    EXPECT_NE(p.find("must be a whole number, found 'many'"), std::string::npos) << p;
}

TEST(CountriesBadInput, ExtendedDeadlineShorterThanTheDeadline) {
    const std::string text = Replace(testing::MiniCountries(), "{days: 40, unit: calendar}",
                                     "{days: 10, unit: calendar}");
    core::Diagnostics diags;
    EXPECT_FALSE(ParseCountries("countries.yaml", text, diags));
    EXPECT_NE(diags.ToString().find("cannot be shorter than the deadline"), std::string::npos);
}

}  // namespace
}  // namespace rap::framework
