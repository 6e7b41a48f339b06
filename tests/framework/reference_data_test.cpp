// SPDX-License-Identifier: AGPL-3.0-or-later
// Cross-file checks and the effective national framework.
#include "framework/reference_data.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace rap::framework {
namespace {

using rap::testing::Replace;

std::vector<SourceFile> WithFile(const std::string& name, const std::string& bytes) {
    auto files = testing::MiniReferenceFiles();
    for (auto& f : files) {
        if (f.name == name) {
            f.bytes = bytes;
            return files;
        }
    }
    files.push_back({name, bytes});
    return files;
}

std::string Problems(const std::vector<SourceFile>& files) {
    core::Diagnostics diags;
    auto data = LoadReferenceData(files, diags);
    EXPECT_EQ(data.has_value(), diags.empty());
    return diags.ToString();
}

TEST(ReferenceData, LoadsTheMiniSet) {
    core::Diagnostics diags;
    auto data = LoadReferenceData(testing::MiniReferenceFiles(), diags);
    ASSERT_TRUE(data) << diags.ToString();
    EXPECT_EQ(data->codelists.all().size(), 3U);
    ASSERT_TRUE(data->countries);
    EXPECT_EQ(data->countries->countries.size(), 2U);
    EXPECT_EQ(data->frameworks.size(), 2U);
    EXPECT_EQ(data->Core()->id, "test-core");
}

TEST(ReferenceData, ResolvesTheNationalFrameworkWithComparabilityClasses) {
    core::Diagnostics diags;
    auto data = LoadReferenceData(testing::MiniReferenceFiles(), diags);
    ASSERT_TRUE(data) << diags.ToString();
    auto eff = data->ResolveForCountry("RS");
    ASSERT_TRUE(eff) << eff.error().ToString();
    EXPECT_EQ(eff->id, "test-rs");
    ASSERT_EQ(eff->chain.size(), 2U);
    EXPECT_EQ(eff->chain[0].first, "test-core");
    ASSERT_EQ(eff->indicators.size(), 6U);

    EXPECT_EQ(eff->Find("LF.1")->comparability, Comparability::kIdentical);
    EXPECT_EQ(eff->Find("LF.2")->comparability, Comparability::kNotApplicable);
    // The not-applicable SC3 indicator still carries the framework's default rubric.
    EXPECT_TRUE(eff->Find("LF.2")->indicator.rubric.has_value());

    const EffectiveIndicator* id2 = eff->Find("ID.2");
    EXPECT_EQ(id2->comparability, Comparability::kAdapted);
    EXPECT_EQ(id2->indicator.name.Get(), "Victims identified by the Centre");
    EXPECT_EQ(id2->indicator.description.Get(), "Persons formally identified.");
    ASSERT_EQ(id2->deviations.size(), 1U);
    EXPECT_EQ(id2->deviations[0].framework_id, "test-rs");

    const EffectiveIndicator* id1 = eff->Find("ID.1");
    EXPECT_EQ(id1->comparability, Comparability::kIdentical);
    EXPECT_EQ(id1->indicator.disaggregations,
              (std::vector<std::string>{"SEX", "AGE", "REG"}));
    EXPECT_EQ(id1->national_dimensions, std::vector<std::string>{"REG"});

    const EffectiveIndicator* national = eff->Find("ID.RS.1");
    ASSERT_NE(national, nullptr);
    EXPECT_EQ(national->comparability, Comparability::kNationalOnly);

    // The core resolves to itself, all identical.
    auto core = data->ResolveForCountry("");
    ASSERT_TRUE(core);
    EXPECT_EQ(core->indicators.size(), 5U);
    for (const auto& e : core->indicators) {
        EXPECT_EQ(e.comparability, Comparability::kIdentical);
    }
    EXPECT_FALSE(data->ResolveForCountry("BA"));
    EXPECT_EQ(data->ResolveForCountry("BA").error().code, Errc::kNotFound);
}

TEST(ReferenceDataBadInput, UnknownDimension) {
    const auto files = WithFile("frameworks/test-core.yaml",
                                Replace(testing::MiniCore(), "[SEX, AGE]", "[SEX, AGES]"));
    EXPECT_NE(Problems(files).find("frameworks/test-core.yaml:45:28: indicator ID.1: unknown "
                                   "dimension 'AGES'; known dimensions: AGE, REG, SEX, AREA"),
              std::string::npos)
        << Problems(files);
}

TEST(ReferenceDataBadInput, AdaptationChangesAnIndicatorTheCoreDoesNotHave) {
    const auto files = WithFile(
        "frameworks/test-rs.yaml",
        Replace(testing::MiniNational(), "    indicator: ID.2\n", "    indicator: ID.9\n"));
    EXPECT_NE(Problems(files).find("frameworks/test-rs.yaml:15:16: redefined deviation names "
                                   "indicator 'ID.9', which test-core does not have"),
              std::string::npos)
        << Problems(files);
}

TEST(ReferenceDataBadInput, CycleOfExtends) {
    // a extends b, b extends a, and neither reaches the core.
    auto national = [](const std::string& id, const std::string& parent) {
        return "schema: rapporteur/framework@1\nid: " + id +
               "\nversion: \"1.0.0\"\nkind: national\ncountry: RS\nextends: " + parent +
               "\nname: {en: Cycle}\ndeviations: []\n";
    };
    auto files = testing::MiniReferenceFiles();
    files.push_back({"frameworks/a.yaml", national("cycle-a", "cycle-b")});
    files.push_back({"frameworks/b.yaml", national("cycle-b", "cycle-a")});
    const std::string p = Problems(files);
    EXPECT_NE(p.find("frameworks/a.yaml:6:10: extends forms a cycle: cycle-a -> cycle-b -> "
                     "cycle-a"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("frameworks/b.yaml:6:10: extends forms a cycle: cycle-b -> cycle-a -> "
                     "cycle-b"),
              std::string::npos)
        << p;
}

TEST(ReferenceDataBadInput, ExtendsAFrameworkThatIsNotThere) {
    const auto files = WithFile("frameworks/test-rs.yaml",
                                Replace(testing::MiniNational(), "extends: test-core",
                                        "extends: regional-kore"));
    EXPECT_NE(Problems(files).find("frameworks/test-rs.yaml:6:10: extends 'regional-kore' version "
                                   "1.0.0, but no such framework was loaded"),
              std::string::npos)
        << Problems(files);
}

TEST(ReferenceDataBadInput, NationalIndicatorCollidesOrUsesUnknownArea) {
    auto files = WithFile("frameworks/test-rs.yaml",
                          Replace(testing::MiniNational(), "      area: ID\n", "      area: JS\n"));
    // The code prefix and the area disagree first.
    EXPECT_NE(Problems(files).find("area 'JS' does not match the code's prefix ID"),
              std::string::npos);
    files = WithFile("frameworks/test-rs.yaml",
                     Replace(Replace(testing::MiniNational(), "code: ID.RS.1", "code: JS.RS.1"),
                             "      area: ID\n", "      area: JS\n"));
    EXPECT_NE(Problems(files).find("area 'JS' is not an area of the core framework"),
              std::string::npos)
        << Problems(files);
}

TEST(ReferenceDataBadInput, UndefinedSourceOrInstrument) {
    const auto files = WithFile("frameworks/test-core.yaml",
                                Replace(testing::MiniCore(), "sources: [LEG]", "sources: [LAW]"));
    EXPECT_NE(Problems(files).find("indicator LF.1: source 'LAW' is not defined under 'sources'"),
              std::string::npos)
        << Problems(files);
}

TEST(ReferenceDataBadInput, UnknownCountry) {
    const auto files = WithFile(
        "frameworks/test-rs.yaml",
        Replace(Replace(testing::MiniNational(), "country: RS", "country: XK"), "ID.RS.1",
                "ID.XK.1"));
    const std::string p = Problems(files);
    EXPECT_NE(p.find("country XK is not in the countries file"), std::string::npos) << p;
}

TEST(ReferenceDataBadInput, UnknownSchemaAndMissingSchema) {
    auto files = testing::MiniReferenceFiles();
    files.push_back({"x.yaml", "schema: rapporteur/other@1\n"});
    files.push_back({"y.yaml", "id: nothing\n"});
    const std::string p = Problems(files);
    EXPECT_NE(p.find("x.yaml:1:9: unknown schema 'rapporteur/other@1'"), std::string::npos) << p;
    EXPECT_NE(p.find("y.yaml:1:1: missing 'schema:' line"), std::string::npos) << p;
}

TEST(ReferenceDataBadInput, TheSameFrameworkVersionTwice) {
    auto files = testing::MiniReferenceFiles();
    files.push_back({"frameworks/copy.yaml", testing::MiniNational()});
    EXPECT_NE(Problems(files).find("framework test-rs 1.0.0 is also defined in "
                                   "frameworks/test-rs.yaml"),
              std::string::npos);
}

// A case-record schema with one record type, so that derivations get checked (synthetic).
constexpr const char* kVictimSchema = R"(schema: rapporteur/case-records@1
version: "1.0.0"
name: {en: Test case records (synthetic)}
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
)";

// The mini set with the schema and ID.2 derived as `measure` (a derivation measure's YAML).
std::string DerivationProblems(const std::string& measure) {
    auto files = WithFile("frameworks/test-core.yaml",
                          Replace(testing::MiniCore(), "    disaggregations: [SEX]\n",
                                  "    disaggregations: [SEX]\n    derivation:\n"
                                  "      record: victim\n      measures:\n        value: " +
                                      measure + "\n"));
    files.push_back({"schemas/case-records.yaml", kVictimSchema});
    return Problems(files);
}

TEST(ReferenceDataBadInput, DistinctCountsOnlyIdOrCountryFields) {
    // The engine counts distinct values of text columns; a coded or numeric field has none.
    EXPECT_EQ(DerivationProblems("{distinct: case_id}"), "");
    EXPECT_EQ(DerivationProblems("{distinct: country}"), "");
    std::string p = DerivationProblems("{distinct: sex}");
    EXPECT_NE(p.find("frameworks/test-core.yaml:59:16: indicator ID.2 derivation: distinct cannot "
                     "take the code field sex"),
              std::string::npos)
        << p;
    p = DerivationProblems("{distinct: support_days}");
    EXPECT_NE(p.find("indicator ID.2 derivation: distinct cannot take the integer field "
                     "support_days"),
              std::string::npos)
        << p;
}

TEST(ReferenceData, FilesOverrideTheBaseAndLookupFindsMissingParents) {
    core::Diagnostics diags;
    auto base = LoadReferenceData(testing::MiniReferenceFiles(), diags);
    ASSERT_TRUE(base);
    // Only the adaptation, changed: the core comes from the base.
    const std::string changed =
        Replace(testing::MiniNational(), "Example deviation - regions.", "Changed reason.");
    auto data = LoadReferenceData({{"rs.yaml", changed}}, diags, &*base);
    ASSERT_TRUE(data) << diags.ToString();
    EXPECT_EQ(data->frameworks.size(), 2U);
    auto eff = data->Resolve("test-rs");
    ASSERT_TRUE(eff);
    EXPECT_EQ(eff->Find("ID.1")->deviations[0].reason.Get(), "Changed reason.");

    // Without a base, the lookup supplies the core.
    int asked = 0;
    auto codelists_and_countries = testing::MiniReferenceFiles();
    codelists_and_countries.erase(codelists_and_countries.begin() + 4,
                                  codelists_and_countries.end());
    codelists_and_countries.push_back({"rs.yaml", testing::MiniNational()});
    auto looked = LoadReferenceData(codelists_and_countries, diags, nullptr,
                                    [&](std::string_view id, const std::string& from) {
                                        ++asked;
                                        EXPECT_EQ(id, "test-core");
                                        EXPECT_EQ(from, "rs.yaml");
                                        return std::optional<SourceFile>(
                                            SourceFile{"core.yaml", testing::MiniCore()});
                                    });
    ASSERT_TRUE(looked) << diags.ToString();
    EXPECT_EQ(asked, 1);
}

}  // namespace
}  // namespace rap::framework
