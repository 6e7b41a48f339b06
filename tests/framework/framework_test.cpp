// SPDX-License-Identifier: AGPL-3.0-or-later
// Parsing of single framework files: what a file can get wrong on its own.
#include "framework/framework.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace rap::framework {
namespace {

using rap::testing::Replace;

// Parses and returns every message, one per line.
std::string Problems(const std::string& text, const std::string& file = "fw.yaml") {
    core::Diagnostics diags;
    auto fw = ParseFramework(file, text, diags);
    EXPECT_EQ(fw.has_value(), diags.empty());
    return diags.ToString();
}

TEST(Framework, ParsesTheMiniCore) {
    core::Diagnostics diags;
    auto fw = ParseFramework("core.yaml", testing::MiniCore(), diags);
    ASSERT_TRUE(fw) << diags.ToString();
    EXPECT_EQ(fw->id, "test-core");
    EXPECT_EQ(fw->kind, FrameworkKind::kCore);
    ASSERT_EQ(fw->indicators.size(), 5U);
    const Indicator* lf1 = fw->FindIndicator("LF.1");
    ASSERT_NE(lf1, nullptr);
    ASSERT_EQ(lf1->measures.size(), 1U);
    EXPECT_EQ(lf1->measures[0].kind, ValueKind::kYNP);
    EXPECT_EQ(lf1->measures[0].unit, "none");
    EXPECT_EQ(lf1->measures[0].direction, Direction::kHigher);
    const Indicator* id3 = fw->FindIndicator("ID.3");
    ASSERT_EQ(id3->measures.size(), 2U);
    EXPECT_EQ(id3->measures[1].kind, ValueKind::kMED);
    EXPECT_EQ(id3->types.size(), 2U);
    EXPECT_EQ(fw->name.Get("sr-Latn"), "Testni okvir");
    EXPECT_TRUE(fw->default_rubric.has_value());
    EXPECT_EQ((*fw->default_rubric)[3].Get(), "Applied consistently.");
    EXPECT_EQ(fw->sha256.size(), 64U);
}

TEST(Framework, ParsesTheMiniNational) {
    core::Diagnostics diags;
    auto fw = ParseFramework("rs.yaml", testing::MiniNational(), diags);
    ASSERT_TRUE(fw) << diags.ToString();
    EXPECT_EQ(fw->kind, FrameworkKind::kNational);
    EXPECT_EQ(fw->country, "RS");
    EXPECT_EQ(fw->extends, "test-core");
    ASSERT_EQ(fw->deviations.size(), 4U);
    EXPECT_EQ(fw->deviations[1].scope, RedefinitionScope::kNarrowed);
    ASSERT_TRUE(fw->deviations[3].national);
    EXPECT_EQ(fw->deviations[3].indicator, "ID.RS.1");
}

TEST(FrameworkBadInput, BrokenYamlGivesLineAndColumn) {
    const std::string text = Replace(testing::MiniCore(), "    kind: NUM\n    unit: persons\n",
                                     "    kind: [NUM\n    unit: persons\n");
    const std::string p = Problems(text);
    EXPECT_NE(p.find("fw.yaml:"), std::string::npos);
    EXPECT_NE(p.find("YAML syntax error"), std::string::npos) << p;
}

TEST(FrameworkBadInput, DuplicateIndicatorCode) {
    const std::string text = Replace(testing::MiniCore(), "  - code: ID.2\n", "  - code: ID.1\n");
    // ID.1 starts at line 37 in the mini core; the duplicate is the next indicator, at line 47.
    EXPECT_NE(Problems(text).find("fw.yaml:47:11: duplicate indicator code 'ID.1' (first "
                                  "defined at line 37)"),
              std::string::npos)
        << Problems(text);
}

TEST(FrameworkBadInput, UnknownValueKind) {
    const std::string text = Replace(testing::MiniCore(), "kind: YNP", "kind: YESNO");
    EXPECT_NE(Problems(text).find("fw.yaml:26:11: indicator LF.1: unknown value kind 'YESNO'; "
                                  "expected one of: YN, YNP, SC3, NUM, PCT, RATE, MED, AMT"),
              std::string::npos)
        << Problems(text);
}

TEST(FrameworkBadInput, UnitMustFitTheKind) {
    const std::string text = Replace(testing::MiniCore(), "unit: percent", "unit: persons");
    EXPECT_NE(Problems(text).find("unit 'persons' does not fit a PCT value; expected percent"),
              std::string::npos)
        << Problems(text);
}

TEST(FrameworkBadInput, MalformedCodesAndKeys) {
    std::string text = Replace(testing::MiniCore(), "  - code: LF.2\n", "  - code: LF-2\n");
    text = Replace(text, "    direction: contextual\n    disaggregations: [SEX, AGE]",
                   "    direction: contextual\n    disagregations: [SEX, AGE]");
    text = Replace(text, "type: outcome", "type: result");
    const std::string p = Problems(text);
    EXPECT_NE(p.find("indicator code 'LF-2' must look like ID.3"), std::string::npos) << p;
    EXPECT_NE(p.find("unknown key 'disagregations'"), std::string::npos) << p;
    EXPECT_NE(p.find("type 'result' is not known; expected one of: structural, process, outcome"),
              std::string::npos)
        << p;
}

TEST(FrameworkBadInput, AreaMustExistAndMatchTheCode) {
    std::string text = Replace(testing::MiniCore(), "    area: ID\n    name: {en: Presumed",
                               "    area: LF\n    name: {en: Presumed");
    EXPECT_NE(Problems(text).find("indicator ID.1: area 'LF' does not match the code's prefix ID"),
              std::string::npos)
        << Problems(text);
}

TEST(FrameworkBadInput, CoreAndNationalKeysDoNotMix) {
    std::string text = Replace(testing::MiniNational(), "kind: national\n",
                               "kind: national\nindicators: []\n");
    EXPECT_NE(Problems(text).find("a national adaptation cannot define 'indicators'"),
              std::string::npos);
    text = Replace(testing::MiniCore(), "kind: core\n", "kind: core\nextends: x\n");
    EXPECT_NE(Problems(text).find("'extends' belongs to a national adaptation"),
              std::string::npos);
}

TEST(FrameworkBadInput, ContradictoryDeviations) {
    const std::string text = Replace(testing::MiniNational(), "    indicator: ID.2\n    scope",
                                     "    indicator: LF.2\n    scope");
    EXPECT_NE(Problems(text).find("LF.2 is marked not_applicable and redefined at the same time"),
              std::string::npos)
        << Problems(text);
}

TEST(FrameworkBadInput, NationalIndicatorNeedsTheCountryInItsCode) {
    const std::string text = Replace(testing::MiniNational(), "code: ID.RS.1", "code: ID.BA.1");
    EXPECT_NE(Problems(text).find("a national indicator of RS must be coded ID.RS.n"),
              std::string::npos)
        << Problems(text);
}

TEST(FrameworkBadInput, WrongEncoding) {
    // "Brčko" saved as Windows-1250 (č = 0xE8) in the name on line 8.
    const std::string text = Replace(testing::MiniNational(), "name: {en: Test adaptation",
                                     "name: {en: Br\xE8ko adaptation");
    const std::string p = Problems(text);
    EXPECT_NE(p.find("fw.yaml:8:14: text is not valid UTF-8 (byte 0xE8)"), std::string::npos)
        << p;
}

TEST(FrameworkBadInput, RedefinedNeedsANameOrDescription) {
    const std::string text =
        Replace(testing::MiniNational(), "    name: {en: Victims identified by the Centre}\n", "");
    EXPECT_NE(Problems(text).find("redefined deviation of ID.2 needs a national 'name' or "
                                  "'description'"),
              std::string::npos);
}

TEST(FrameworkBadInput, HostileStringsAreDataNotMarkup) {
    const std::string text =
        Replace(testing::MiniCore(), "name: {en: Offence defined}",
                "name: {en: \"<script>alert(1)</script> '; DROP TABLE frameworks; --\"}");
    core::Diagnostics diags;
    auto fw = ParseFramework("fw.yaml", text, diags);
    ASSERT_TRUE(fw) << diags.ToString();
    EXPECT_EQ(fw->FindIndicator("LF.1")->name.Get(),
              "<script>alert(1)</script> '; DROP TABLE frameworks; --");
}

TEST(Versions, CompareNumerically) {
    EXPECT_LT(CompareVersions("1.2.0", "1.10.0"), 0);
    EXPECT_EQ(CompareVersions("2.0.0", "2.0.0"), 0);
    EXPECT_GT(CompareVersions("2.0.1", "2.0.0"), 0);
    EXPECT_TRUE(IsVersion("1.0.0"));
    EXPECT_FALSE(IsVersion("1.0"));
    EXPECT_FALSE(IsVersion("01.0.0"));
    EXPECT_FALSE(IsVersion("1.0.0-beta"));
}

TEST(IndicatorCode, Shapes) {
    std::string area;
    std::string country;
    EXPECT_TRUE(ParseIndicatorCode("ID.12", &area, &country));
    EXPECT_EQ(area, "ID");
    EXPECT_TRUE(country.empty());
    EXPECT_TRUE(ParseIndicatorCode("JS.BA.3", &area, &country));
    EXPECT_EQ(country, "BA");
    EXPECT_FALSE(ParseIndicatorCode("ID.0", &area, &country));
    EXPECT_FALSE(ParseIndicatorCode("id.1", &area, &country));
    EXPECT_FALSE(ParseIndicatorCode("ID.RS", &area, &country));
    EXPECT_FALSE(ParseIndicatorCode("ID.R1.2", &area, &country));
}

}  // namespace
}  // namespace rap::framework
