// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/setup.hpp"

#include <gtest/gtest.h>

#include "app/cases.hpp"
#include "app/catalog.hpp"
#include "support/test_support.hpp"

namespace rap::app {
namespace {

std::unique_ptr<store::Store> OpenSqlite(const std::string& path) {
    auto s = store::Store::Open(store::Target::Parse(path));
    EXPECT_TRUE(s) << s.error().ToString();
    return std::move(*s);
}

TEST(Init, LoadsTheShippedDataAndIsSafeToRepeat) {
    testing::TempDir tmp;
    auto store = OpenSqlite(tmp.File("r.db"));
    core::Diagnostics diags;
    auto first = InitDatabase(*store, InitOptions{}, diags);
    ASSERT_TRUE(first) << first.error().ToString() << diags.ToString();
    EXPECT_GT(first->migrations_applied, 0);
    EXPECT_EQ(first->saved.unchanged(), 0);
    EXPECT_FALSE(first->demo);
    const long long files = *store->CountRows("reference_files");
    const long long effective = *store->CountRows("effective_indicators");

    auto second = InitDatabase(*store, InitOptions{.demo = true}, diags);
    ASSERT_TRUE(second) << second.error().ToString();
    EXPECT_EQ(second->migrations_applied, 0);
    EXPECT_EQ(second->saved.stored(), 0);
    EXPECT_TRUE(second->demo);
    EXPECT_EQ(*store->CountRows("reference_files"), files);
    EXPECT_EQ(*store->CountRows("effective_indicators"), effective);

    auto catalog = Catalog::Load(*store);
    ASSERT_TRUE(catalog) << catalog.error().ToString();
    EXPECT_TRUE((*catalog)->demo_label().has_value());
    auto core = (*catalog)->EffectiveForCountry("");
    ASSERT_TRUE(core);
    EXPECT_EQ((*core)->indicators.size(), 70U);
    for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
        auto eff = (*catalog)->EffectiveForCountry(cc);
        ASSERT_TRUE(eff) << cc << ": " << eff.error().ToString();
        EXPECT_EQ((*eff)->country, cc);
    }
}

TEST(Init, FromADataDirectory) {
    testing::TempDir tmp;
    testing::WriteMiniDataDir(tmp.File("data"));
    auto store = OpenSqlite(tmp.File("r.db"));
    core::Diagnostics diags;
    auto r = InitDatabase(*store, InitOptions{.data_dir = tmp.File("data")}, diags);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->saved.stored(), 6);
    auto catalog = Catalog::Load(*store);
    ASSERT_TRUE(catalog);
    EXPECT_EQ((*catalog)->Frameworks().size(), 2U);
    // Disclosure control follows each country's thresholds in the countries file.
    const privacy::DisclosureRule ba = DisclosureRuleFor(**catalog, "BA");
    EXPECT_EQ(ba.threshold, 8);
    EXPECT_EQ(ba.cross_threshold, 10);
    const privacy::DisclosureRule rs = DisclosureRuleFor(**catalog, "RS");
    EXPECT_EQ(rs.threshold, 5);
    EXPECT_EQ(rs.cross_threshold, 10);
}

TEST(Init, InvalidDataWritesNothingAtAll) {
    testing::TempDir tmp;
    testing::WriteMiniDataDir(tmp.File("data"));
    testing::WriteFile(tmp.File("data/frameworks/test-rs.yaml"),
                       testing::MiniNational() + "  - type: not_applicable\n    indicator: XX.1\n"
                                                 "    reason: {en: Broken.}\n");
    auto store = OpenSqlite(tmp.File("r.db"));
    core::Diagnostics diags;
    auto r = InitDatabase(*store, InitOptions{.data_dir = tmp.File("data")}, diags);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_NE(diags.ToString().find("test-rs.yaml"), std::string::npos);
    // Validation happens before the first write: not even the schema exists.
    EXPECT_EQ(*store->SchemaVersion(), 0);
}

TEST(Catalog, AnEmptyDatabaseAsksForInit) {
    testing::TempDir tmp;
    auto store = OpenSqlite(tmp.File("empty.db"));
    auto catalog = Catalog::Load(*store);
    ASSERT_FALSE(catalog);
    EXPECT_EQ(catalog.error().code, Errc::kFailedPrecondition);
    EXPECT_NE(catalog.error().message.find("rapporteur init"), std::string::npos);
}

TEST(Catalog, RejectsMalformedCountryCodes) {
    core::Diagnostics diags;
    auto data = framework::LoadReferenceData(testing::MiniReferenceFiles(), diags);
    ASSERT_TRUE(data);
    auto catalog = Catalog::FromData(std::move(*data), std::nullopt);
    EXPECT_EQ(catalog->EffectiveForCountry("rs").error().code, Errc::kInvalidArgument);
    EXPECT_EQ(catalog->EffectiveForCountry("<script>").error().code, Errc::kInvalidArgument);
    EXPECT_EQ(catalog->EffectiveForCountry("ME").error().code, Errc::kNotFound);
    EXPECT_TRUE(catalog->EffectiveForCountry("RS"));
}

TEST(Validate, ReportsEachFileAndFindsParentsBesideTheFile) {
    testing::TempDir tmp;
    testing::WriteMiniDataDir(tmp.path());
    core::Diagnostics diags;
    // The national file alone: its core is found beside it; codelists come from the shipped data.
    auto r = ValidateFiles({tmp.File("frameworks/test-rs.yaml")}, diags);
    ASSERT_TRUE(r) << diags.ToString();
    ASSERT_EQ(r->size(), 1U);
    EXPECT_EQ((*r)[0].name, "test-rs");
    EXPECT_NE((*r)[0].detail.find("6 effective indicators"), std::string::npos);
    // A codelist given with the files replaces the shipped one, and is checked with everything
    // that uses it: the mini AGE list lacks the bands the shipped core's derivations name.
    auto clash = ValidateFiles({tmp.File("codelists/age.yaml")}, diags);
    ASSERT_FALSE(clash);
    EXPECT_NE(diags.ToString().find("'0-11' is not a code of AGE"), std::string::npos);
}

TEST(Validate, MissingFilesAreReported) {
    core::Diagnostics diags;
    auto r = ValidateFiles({"/nonexistent/file.yaml"}, diags);
    ASSERT_FALSE(r);
    EXPECT_NE(diags.ToString().find("/nonexistent/file.yaml: no such file"), std::string::npos);
}

}  // namespace
}  // namespace rap::app
