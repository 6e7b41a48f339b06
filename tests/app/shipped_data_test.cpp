// SPDX-License-Identifier: AGPL-3.0-or-later
// The data shipped in data/ (and built into the binary) is valid and complete.
#include "app/shipped_data.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "support/test_support.hpp"

namespace rap::app {
namespace {

using framework::Comparability;
using framework::IndicatorType;

TEST(ShippedData, LoadsWithoutProblems) {
    auto data = ShippedReferenceData();
    ASSERT_TRUE(data) << data.error().message;
}

TEST(ShippedData, TheBuiltInCopyMatchesTheDataDirectory) {
    auto dir = ReadYamlDirectory(std::string(RAP_SOURCE_DIR) + "/data");
    ASSERT_TRUE(dir) << dir.error().ToString();
    const auto built_in = ShippedFiles();
    ASSERT_EQ(dir->size(), built_in.size());
    for (size_t i = 0; i < built_in.size(); ++i) {
        EXPECT_EQ(dir->at(i).bytes, built_in[i].bytes) << built_in[i].name;
    }
}

TEST(ShippedData, TheRegionalCoreHasNineAreasAndSeventyIndicators) {
    const framework::ReferenceData& data = **ShippedReferenceData();
    const framework::Framework* core = data.Core();
    ASSERT_NE(core, nullptr);
    EXPECT_EQ(core->id, "regional-core");
    ASSERT_EQ(core->areas.size(), 9U);
    ASSERT_EQ(core->indicators.size(), 70U);
    const std::map<std::string, int> expected = {{"LF", 8}, {"IC", 8}, {"ID", 8},
                                                 {"PR", 7}, {"AS", 8}, {"JS", 10},
                                                 {"CO", 8}, {"DP", 8}, {"PV", 5}};
    std::map<std::string, int> per_area;
    int structural = 0;
    int process = 0;
    int outcome = 0;
    int combined = 0;
    for (const auto& ind : core->indicators) {
        ++per_area[ind.area];
        EXPECT_FALSE(ind.description.Get().empty()) << ind.code;
        if (ind.types.size() > 1) {
            ++combined;
        } else if (ind.types[0] == IndicatorType::kStructural) {
            ++structural;
        } else if (ind.types[0] == IndicatorType::kProcess) {
            ++process;
        } else {
            ++outcome;
        }
        if (ind.HasKind(framework::ValueKind::kSC3)) {
            EXPECT_TRUE(ind.rubric.has_value()) << ind.code << " has no rubric of its own";
        }
    }
    EXPECT_EQ(per_area, expected);
    EXPECT_EQ(structural, 20);
    EXPECT_EQ(process, 29);
    EXPECT_EQ(outcome, 19);
    EXPECT_EQ(combined, 2);
}

TEST(ShippedData, EveryCountryHasAnAdaptationUsingEveryDeviationType) {
    const framework::ReferenceData& data = **ShippedReferenceData();
    for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
        auto fw = data.NationalFrameworkOf(cc);
        ASSERT_TRUE(fw) << cc;
        EXPECT_TRUE((*fw)->example) << cc << " deviations are examples and must say so";
        std::set<framework::DeviationType> types;
        for (const auto& d : (*fw)->deviations) {
            types.insert(d.type);
            EXPECT_EQ(d.reason.Get().rfind("Example deviation", 0), 0U) << cc << " " << d.indicator;
        }
        EXPECT_EQ(types.size(), 4U) << cc;
        auto eff = data.ResolveForCountry(cc);
        ASSERT_TRUE(eff) << cc;
        std::set<Comparability> classes;
        for (const auto& e : eff->indicators) {
            classes.insert(e.comparability);
        }
        EXPECT_EQ(classes.size(), 4U) << cc;
    }
}

TEST(ShippedData, BosniaAndHerzegovinaBreaksJusticeFiguresDownByEntity) {
    const framework::ReferenceData& data = **ShippedReferenceData();
    auto eff = data.ResolveForCountry("BA");
    ASSERT_TRUE(eff);
    for (const char* code : {"JS.1", "JS.2", "JS.3"}) {
        const auto* e = eff->Find(code);
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->national_dimensions, std::vector<std::string>{"REG"}) << code;
    }
    const cases::Codelist* reg = data.codelists.Find("REG");
    ASSERT_NE(reg, nullptr);
    for (const char* code : {"BA-FBIH", "BA-SRP", "BA-BD"}) {
        EXPECT_TRUE(reg->Allows(code, "BA")) << code;
    }
}

TEST(ShippedData, CountriesHavePopulationForEveryYear) {
    const framework::ReferenceData& data = **ShippedReferenceData();
    ASSERT_TRUE(data.countries);
    ASSERT_EQ(data.countries->countries.size(), 5U);
    for (const auto& c : data.countries->countries) {
        for (int y = framework::kFirstPopulationYear; y <= framework::kLastPopulationYear; ++y) {
            ASSERT_TRUE(c.population.by_year.contains(y)) << c.code << " " << y;
            EXPECT_GT(c.population.by_year.at(y), 100000) << c.code << " " << y;
        }
        EXPECT_TRUE(c.population.estimated.contains(2025)) << c.code;
        EXPECT_FALSE(c.population.source.Get().empty()) << c.code;
        EXPECT_GT(c.foi.deadline.days, 0) << c.code;
    }
}

}  // namespace
}  // namespace rap::app
