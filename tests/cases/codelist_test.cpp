// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cases/codelist.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace rap::cases {
namespace {

std::optional<Codelist> Parse(const std::string& text, core::Diagnostics& diags) {
    return ParseCodelist("list.yaml", text, diags);
}

TEST(Codelist, ParsesCodesMappingsParentsAndCountries) {
    core::Diagnostics diags;
    auto sex = Parse(testing::MiniCodelistSex(), diags);
    ASSERT_TRUE(sex) << diags.ToString();
    EXPECT_EQ(sex->dimension, "SEX");
    ASSERT_EQ(sex->codes.size(), 3U);
    EXPECT_EQ(sex->Find("F")->mappings.at("htcds"), "Feminine");
    EXPECT_TRUE(sex->Find("U")->unknown);
    EXPECT_EQ(sex->Find("Q"), nullptr);

    auto age = Parse(testing::MiniCodelistAge(), diags);
    ASSERT_TRUE(age) << diags.ToString();
    EXPECT_EQ(age->Find("0-17")->parent, "child");

    auto reg = Parse(testing::MiniCodelistReg(), diags);
    ASSERT_TRUE(reg) << diags.ToString();
    EXPECT_TRUE(reg->Allows("RS-BG", "RS"));
    EXPECT_FALSE(reg->Allows("RS-BG", "BA"));
    EXPECT_FALSE(reg->Allows("XX-1", "RS"));
}

TEST(Codelist, ReportsEveryProblemWithItsPosition) {
    const std::string text = R"(schema: rapporteur/codelist@1
dimension: sex
version: "1.0.0"
name: {en: Sex}
mappings: [htcds]
codes:
  - {code: F, name: {en: Female}}
  - {code: F, name: {en: Again}}
  - {code: M, name: {en: Male}, ctdc: Male}
  - {code: "a b", name: {en: Space}}
  - {code: X, name: {en: X}, parent: nowhere}
  - {code: U, name: {en: Unknown}, unknown: true}
  - {code: N, name: {en: Not known}, unknown: true}
  - {code: Z}
)";
    core::Diagnostics diags;
    EXPECT_FALSE(Parse(text, diags));
    const std::string all = diags.ToString();
    EXPECT_NE(all.find("list.yaml:2:12: dimension 'sex' must be"), std::string::npos) << all;
    EXPECT_NE(all.find("list.yaml:8:12: duplicate code 'F' (first defined at line 7)"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("list.yaml:9:33: code 'M': unknown key 'ctdc'"), std::string::npos) << all;
    EXPECT_NE(all.find("code 'a b' may only contain"), std::string::npos) << all;
    EXPECT_NE(all.find("parent 'nowhere' is not a code of this list"), std::string::npos) << all;
    EXPECT_NE(all.find("only one code may be marked unknown"), std::string::npos) << all;
    EXPECT_NE(all.find("code 'Z': missing required key 'name'"), std::string::npos) << all;
}

TEST(Codelist, DetectsParentCycles) {
    const std::string text = R"(schema: rapporteur/codelist@1
dimension: AGE
version: "1.0.0"
name: {en: Age}
codes:
  - {code: a, name: {en: A}, parent: b}
  - {code: b, name: {en: B}, parent: a}
)";
    core::Diagnostics diags;
    EXPECT_FALSE(Parse(text, diags));
    EXPECT_NE(diags.ToString().find("parents form a cycle"), std::string::npos);
}

TEST(Codelist, RejectsAFileOfAnotherKind) {
    core::Diagnostics diags;
    EXPECT_FALSE(Parse(testing::MiniCore(), diags));
    EXPECT_NE(diags.ToString().find("this is not a codelist file"), std::string::npos);
}

TEST(CodelistSet, RejectsTheSameDimensionTwice) {
    core::Diagnostics diags;
    CodelistSet set;
    set.Add(*Parse(testing::MiniCodelistSex(), diags), diags);
    auto again = ParseCodelist("other.yaml", testing::MiniCodelistSex(), diags);
    set.Add(*again, diags);
    EXPECT_NE(diags.ToString().find("dimension SEX is already defined by list.yaml"),
              std::string::npos);
}

TEST(DimensionCode, Shape) {
    EXPECT_TRUE(IsDimensionCode("SEX"));
    EXPECT_TRUE(IsDimensionCode("ISIC"));
    EXPECT_FALSE(IsDimensionCode("sex"));
    EXPECT_FALSE(IsDimensionCode("S"));
    EXPECT_FALSE(IsDimensionCode("1AB"));
}

}  // namespace
}  // namespace rap::cases
