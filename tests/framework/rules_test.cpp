// SPDX-License-Identifier: AGPL-3.0-or-later
// Validation rules, scoring rules and euro reference rates: parsing, the checks within one file,
// the checks against the effective framework, and the shipped data.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "framework/country.hpp"
#include "framework/framework.hpp"
#include "framework/reference_data.hpp"

#include "support/test_support.hpp"

namespace rap::framework {
namespace {

using rap::testing::Replace;

// Rules and a scoring block for the mini core (synthetic).
constexpr const char* kCoreRules = R"(validation_rules:
  - id: identified-within-detected
    type: at_most
    indicator: ID.2
    than: ID.1
    reason: {en: Identified victims are among the presumed victims.}
  - id: breakdowns-add-up
    type: sums_to_total
    indicators: [ID.1, ID.2]
    dimensions: [SEX]
    reason: {en: One sex per person.}
scoring:
  normalise:
    YN: {yes: 100, no: 0}
    YNP: {yes: 100, partial: 40, no: 0}
    SC3: [0, 30, 70, 100]
  min_coverage: 0.5
  tracks: [official, cso]
  law: [structural]
  practice: [process, outcome]
  weights: {LF.1: 2, ID.3: 0.5}
  bands:
    - {id: low, from: 0, to: 50, name: {en: Low}}
    - {id: high, from: 50, to: 100, name: {en: High}}
  caps:
    - id: few-identified
      area: ID
      max: 60
      when:
        - {indicator: ID.3, measure: share, part: numerator, op: "<", number: 1}
        - {indicator: ID.1, op: ">", number: 10}
      reason: {en: Synthetic cap.}
)";

std::string Core() {
    return testing::MiniCore() + kCoreRules;
}

// "file:line:column" of the first `needle` in `text`: of the '^' in it, else of its start.
std::string Pos(const std::string& text, const std::string& needle,
                const std::string& file = "fw.yaml") {
    const size_t caret = needle.find('^');
    std::string plain = needle;
    if (caret != std::string::npos) {
        plain.erase(caret, 1);
    }
    const size_t found = text.find(plain);
    EXPECT_NE(found, std::string::npos) << plain;
    if (found == std::string::npos) {
        return "(not found: " + plain + ")";
    }
    const size_t at = found + (caret == std::string::npos ? 0 : caret);
    const size_t line_start = text.rfind('\n', at);
    const long line = std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1;
    const size_t column = line_start == std::string::npos ? at + 1 : at - line_start;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Problems(const std::string& text, const std::string& file = "fw.yaml") {
    core::Diagnostics diags;
    auto fw = ParseFramework(file, text, diags);
    EXPECT_EQ(fw.has_value(), diags.empty());
    return diags.ToString();
}

// Expects `message` at the place where `needle` starts in `text`.
void ExpectProblem(const std::string& text, const std::string& needle, const std::string& message) {
    const std::string p = Problems(text);
    EXPECT_NE(p.find(Pos(text, needle) + ": " + message), std::string::npos)
        << "expected at " << Pos(text, needle) << ": " << message << "\ngot:\n"
        << p;
}

TEST(Rules, NamesOfRuleTypesComparisonsAndParts) {
    EXPECT_EQ(Name(RuleType::kAtMost), "at_most");
    EXPECT_EQ(Name(RuleType::kSumsToTotal), "sums_to_total");
    EXPECT_EQ(Name(Comparison::kGt), ">");
    EXPECT_EQ(Name(Comparison::kGe), ">=");
    EXPECT_EQ(Name(Comparison::kLt), "<");
    EXPECT_EQ(Name(Comparison::kLe), "<=");
    EXPECT_EQ(Name(Comparison::kEq), "=");
    EXPECT_EQ(Name(Comparison::kNe), "!=");
    EXPECT_EQ(Name(ValuePart::kValue), "value");
    EXPECT_EQ(Name(ValuePart::kNumerator), "numerator");
    EXPECT_EQ(Name(ValuePart::kDenominator), "denominator");
    EXPECT_EQ(Name(ValuePart::kN), "n");
}

TEST(Rules, ParsesRulesAndScoring) {
    core::Diagnostics diags;
    const std::string text = Core();
    auto fw = ParseFramework("fw.yaml", text, diags);
    ASSERT_TRUE(fw) << diags.ToString();
    ASSERT_EQ(fw->rules.size(), 2U);
    const ValidationRule& at_most = fw->rules[0];
    EXPECT_EQ(at_most.id, "identified-within-detected");
    EXPECT_EQ(at_most.type, RuleType::kAtMost);
    EXPECT_EQ(at_most.indicator, "ID.2");
    EXPECT_EQ(at_most.measure, "value");
    EXPECT_EQ(at_most.than, "ID.1");
    EXPECT_EQ(at_most.than_measure, "value");
    EXPECT_EQ(at_most.framework_id, "test-core");
    EXPECT_EQ(at_most.reason.Get(), "Identified victims are among the presumed victims.");
    EXPECT_EQ(fmt::format("fw.yaml:{}:{}", at_most.where.line, at_most.where.column),
              Pos(text, "^id: identified-within-detected"));
    const ValidationRule& sums = fw->rules[1];
    EXPECT_EQ(sums.type, RuleType::kSumsToTotal);
    EXPECT_EQ(sums.indicators, (std::vector<std::string>{"ID.1", "ID.2"}));
    EXPECT_EQ(sums.dimensions, std::vector<std::string>{"SEX"});

    const ScoringRules& sc = fw->scoring;
    EXPECT_TRUE(sc.declared);
    EXPECT_EQ(fmt::format("fw.yaml:{}:{}", sc.where.line, sc.where.column),
              Pos(text, "scoring:\n  ^normalise:"));
    EXPECT_EQ(sc.yn.at("yes"), 100);
    EXPECT_EQ(sc.ynp.at("partial"), 40);
    EXPECT_EQ(sc.sc3, (std::array<double, 4>{0, 30, 70, 100}));
    EXPECT_DOUBLE_EQ(sc.min_coverage, 0.5);
    EXPECT_EQ(sc.tracks, (std::vector<std::string>{"official", "cso"}));
    EXPECT_EQ(sc.law_types, std::vector<IndicatorType>{IndicatorType::kStructural});
    EXPECT_EQ(sc.practice_types,
              (std::vector<IndicatorType>{IndicatorType::kProcess, IndicatorType::kOutcome}));
    EXPECT_EQ(sc.weights.at("LF.1"), 2);
    EXPECT_DOUBLE_EQ(sc.weights.at("ID.3"), 0.5);
    ASSERT_EQ(sc.bands.size(), 2U);
    EXPECT_EQ(sc.bands[1].id, "high");
    EXPECT_EQ(sc.bands[1].from, 50);
    EXPECT_EQ(sc.bands[1].to, 100);
    EXPECT_EQ(sc.bands[1].name.Get(), "High");
    ASSERT_EQ(sc.caps.size(), 1U);
    const Cap& cap = sc.caps[0];
    EXPECT_EQ(cap.id, "few-identified");
    EXPECT_EQ(cap.area, "ID");
    EXPECT_EQ(cap.max, 60);
    ASSERT_EQ(cap.when.size(), 2U);
    EXPECT_EQ(cap.when[0].measure, "share");
    EXPECT_EQ(cap.when[0].part, ValuePart::kNumerator);
    EXPECT_EQ(cap.when[0].comparison, Comparison::kLt);
    EXPECT_EQ(cap.when[0].number, 1);
    EXPECT_EQ(cap.when[1].measure, "value");
    EXPECT_EQ(cap.when[1].part, ValuePart::kValue);
    EXPECT_EQ(cap.when[1].comparison, Comparison::kGt);
}

TEST(Rules, WithoutAScoringBlockTheDefaultsStand) {
    core::Diagnostics diags;
    auto fw = ParseFramework("fw.yaml", testing::MiniCore(), diags);
    ASSERT_TRUE(fw) << diags.ToString();
    EXPECT_FALSE(fw->scoring.declared);
    EXPECT_TRUE(fw->rules.empty());
    EXPECT_DOUBLE_EQ(fw->scoring.min_coverage, 0.6);
}

TEST(Rules, ANationalAdaptationDeclaresRules) {
    const std::string text = testing::MiniNational() + R"(validation_rules:
  - id: rs-regions-add-up
    type: sums_to_total
    indicators: [ID.1]
    dimensions: [REG]
    reason: {en: Example rule - one region per person.}
)";
    core::Diagnostics diags;
    auto fw = ParseFramework("rs.yaml", text, diags);
    ASSERT_TRUE(fw) << diags.ToString();
    ASSERT_EQ(fw->rules.size(), 1U);
    EXPECT_EQ(fw->rules[0].framework_id, "test-rs");
    EXPECT_FALSE(fw->scoring.declared);
}

TEST(RulesBadInput, UnknownKey) {
    const std::string text = Replace(Core(), "    than: ID.1\n", "    thann: ID.1\n");
    ExpectProblem(text, "^thann", "at_most rule: unknown key 'thann'");
    const std::string text2 = Replace(Core(), "  min_coverage: 0.5\n", "  min_cover: 0.5\n");
    ExpectProblem(text2, "^min_cover", "'scoring': unknown key 'min_cover'");
}

TEST(RulesBadInput, DuplicateRuleId) {
    const std::string original = Core();
    const std::string where = Pos(original, "- id: ^breakdowns-add-up");
    const std::string first = Pos(original, "- ^id: identified-within-detected");
    const std::string first_line = first.substr(8, first.rfind(':') - 8);  // after "fw.yaml:"
    const std::string text =
        Replace(original, "  - id: breakdowns-add-up", "  - id: identified-within-detected");
    const std::string p = Problems(text);
    EXPECT_NE(p.find(where +
                     ": duplicate rule id 'identified-within-detected' (first defined "
                     "at line " +
                     first_line + ")"),
              std::string::npos)
        << where << " line " << first_line << "\n"
        << p;
}

TEST(RulesBadInput, UnknownRuleType) {
    const std::string text = Replace(Core(), "type: sums_to_total", "type: sums_to");
    ExpectProblem(text, "type: ^sums_to\n",
                  "rule type 'sums_to' is not known; expected one of: at_most, sums_to_total");
}

TEST(RulesBadInput, UnknownOpAndPart) {
    std::string text = Replace(Core(), R"(op: "<")", R"(op: "=<")");
    ExpectProblem(text, "op: ^\"=<\"",
                  "op '=<' is not known; expected one of: >, >=, <, <=, =, !=");
    text = Replace(Core(), "part: numerator", "part: numer");
    ExpectProblem(text, "part: ^numer,",
                  "part 'numer' is not known; expected one of: value, numerator, denominator, n");
}

TEST(RulesBadInput, UnknownTrackAndIndicatorType) {
    std::string text = Replace(Core(), "tracks: [official, cso]", "tracks: [official, ngo]");
    ExpectProblem(text, "[official, ^ngo]",
                  "track 'ngo' is not known; expected one of: official, cso, derived");
    text = Replace(Core(), "law: [structural]", "law: [structure]");
    ExpectProblem(text, "law: [^structure]",
                  "indicator type 'structure' is not known; expected one of: structural, "
                  "process, outcome");
    text = Replace(Core(), "law: [structural]", "law: [structural, process]");
    EXPECT_NE(Problems(text).find("indicator type process counts both as law and as practice"),
              std::string::npos)
        << Problems(text);
}

TEST(RulesBadInput, MinCoverageOutsideZeroToOne) {
    for (const char* bad : {"0", "1.5", "-0.2"}) {
        const std::string text =
            Replace(Core(), "min_coverage: 0.5", std::string("min_coverage: ") + bad);
        const std::string p = Problems(text);
        const std::string at = Pos(text, std::string("min_coverage: ^") + bad);
        EXPECT_NE(p.find(at + ": scoring 'min_coverage' is the share"), std::string::npos)
            << bad << "\n"
            << p;
        EXPECT_NE(p.find("must be more than 0 and at most 1"), std::string::npos) << p;
    }
    const std::string one = Replace(Core(), "min_coverage: 0.5", "min_coverage: 1");
    EXPECT_EQ(Problems(one), "");
    const std::string text = Replace(Core(), "min_coverage: 0.5", "min_coverage: most");
    ExpectProblem(text, "min_coverage: ^most",
                  "scoring 'min_coverage' must be a number, found 'most'");
}

TEST(RulesBadInput, BandsMustTileZeroToHundred) {
    // A gap.
    std::string text = Replace(Core(), "from: 50, to: 100", "from: 55, to: 100");
    ExpectProblem(text, "from: ^55",
                  "band high starts at 55: leaving a gap after band low, which ends at 50; bands "
                  "must cover 0-100 in order without gaps or overlaps");
    // An overlap.
    text = Replace(Core(), "from: 50, to: 100", "from: 45, to: 100");
    ExpectProblem(text, "from: ^45",
                  "band high starts at 45: overlapping band low, which ends at 50");
    // Not from 0.
    text = Replace(Core(), "from: 0, to: 50", "from: 5, to: 50");
    ExpectProblem(text, "from: ^5, to: 50", "band low starts at 5: the first band must start at 0");
    // Not up to 100.
    text = Replace(Core(), "to: 100, name: {en: High}", "to: 90, name: {en: High}");
    ExpectProblem(text, "to: ^90", "band high ends at 90: the last band must end at 100");
    // Empty or reversed.
    text = Replace(Core(), "from: 50, to: 100", "from: 50, to: 50");
    ExpectProblem(text, "from: 50, to: ^50",
                  "band high: 'to' (50) must be greater than 'from' (50)");
    text = Replace(Core(), "from: 50, to: 100", "from: 50, to: 120");
    ExpectProblem(text, "to: ^120", "band high 'to' must be between 0 and 100, found 120");
}

TEST(RulesBadInput, WeightsMustBePositive) {
    for (const char* bad : {"0", "-1"}) {
        const std::string text = Replace(Core(), "ID.3: 0.5", std::string("ID.3: ") + bad);
        ExpectProblem(text, std::string("ID.3: ^") + bad + "}",
                      std::string("scoring weight of ID.3 must be more than 0, found ") + bad);
    }
}

TEST(RulesBadInput, Sc3NeedsExactlyFourNumbers) {
    std::string text = Replace(Core(), "SC3: [0, 30, 70, 100]", "SC3: [0, 50, 100]");
    ExpectProblem(text, "SC3: ^[0, 50, 100]",
                  "scoring normalise SC3 must list exactly 4 scores, for levels 0, 1, 2 and 3; "
                  "found 3");
    text = Replace(Core(), "SC3: [0, 30, 70, 100]", "SC3: [0, 30, 70, 100, 100]");
    ExpectProblem(text, "SC3: ^[0, 30, 70, 100, 100]",
                  "scoring normalise SC3 must list exactly 4 scores, for levels 0, 1, 2 and 3; "
                  "found 5");
    text = Replace(Core(), "SC3: [0, 30, 70, 100]", "SC3: [0, 30, high, 100]");
    ExpectProblem(text, "[0, 30, ^high",
                  "scoring normalise SC3 level 2 must be a number, found 'high'");
}

TEST(RulesBadInput, NormalisedScoresMustBeWithinZeroToHundred) {
    std::string text = Replace(Core(), "partial: 40", "partial: 140");
    ExpectProblem(text, "partial: ^140",
                  "scoring normalise YNP partial must be between 0 and 100, found 140");
    text = Replace(Core(), "SC3: [0, 30, 70, 100]", "SC3: [0, 30, 70, 101]");
    ExpectProblem(text, "70, ^101]",
                  "scoring normalise SC3 level 3 must be between 0 and 100, found 101");
    text = Replace(Core(), "YN: {yes: 100, no: 0}", "YN: {yes: 100, no: -10}");
    ExpectProblem(text, "no: ^-10}",
                  "scoring normalise YN no must be between 0 and 100, found -10");
    text = Replace(Core(), "YN: {yes: 100, no: 0}", "YN: {yes: 100}");
    ExpectProblem(text, "YN: ^{yes: 100}", "scoring normalise YN: missing required key 'no'");
}

TEST(RulesBadInput, RuleShapes) {
    // A sums_to_total rule with an empty list, a repeated indicator and a bad dimension code.
    std::string text = Replace(Core(), "indicators: [ID.1, ID.2]", "indicators: [ID.1, ID.1]");
    ExpectProblem(text, "[ID.1, ^ID.1]", "rule breakdowns-add-up: ID.1 listed twice");
    text = Replace(Core(), "dimensions: [SEX]", "dimensions: []");
    ExpectProblem(text, "dimensions: ^[]", "rule breakdowns-add-up: 'dimensions' is empty");
    text = Replace(Core(), "dimensions: [SEX]", "dimensions: [sex]");
    ExpectProblem(text, "dimensions: [^sex]",
                  "rule breakdowns-add-up: 'sex' is not a dimension code");
    // A rule comparing a value with itself, and a cap on an area the framework does not have.
    text = Replace(Core(), "    than: ID.1\n", "    than: ID.2\n");
    ExpectProblem(text, "than: ^ID.2\n",
                  "rule identified-within-detected: compares ID.2 "
                  "with itself");
    text = Replace(Core(), "      area: ID\n      max: 60", "      area: JS\n      max: 60");
    ExpectProblem(text, "area: ^JS\n", "cap few-identified: area 'JS' is not defined in 'areas'");
    // A cap without conditions and a cap above 100.
    text = Replace(Core(), "      max: 60", "      max: 160");
    ExpectProblem(text, "max: ^160",
                  "cap few-identified 'max' must be between 0 and 100, found 160");
}

TEST(RulesBadInput, ANationalAdaptationCannotDeclareScoring) {
    const std::string text = testing::MiniNational() + "scoring:\n  min_coverage: 0.5\n";
    ExpectProblem(text, "^scoring:", "a national adaptation cannot declare 'scoring'");
}

// ---- Against the effective framework -------------------------------------------------------

std::vector<SourceFile> WithFiles(const std::string& core, const std::string& national) {
    auto files = testing::MiniReferenceFiles();
    for (auto& f : files) {
        if (f.name == "frameworks/test-core.yaml") {
            f.bytes = core;
        } else if (f.name == "frameworks/test-rs.yaml") {
            f.bytes = national;
        }
    }
    return files;
}

std::string LoadProblems(const std::vector<SourceFile>& files) {
    core::Diagnostics diags;
    auto data = LoadReferenceData(files, diags);
    EXPECT_EQ(data.has_value(), diags.empty());
    return diags.ToString();
}

// Expects `message` at the place where `needle` starts in the core.
void ExpectCoreProblem(const std::string& core, const std::string& needle,
                       const std::string& message) {
    const std::string p = LoadProblems(WithFiles(core, testing::MiniNational()));
    const std::string at = Pos(core, needle, "frameworks/test-core.yaml");
    EXPECT_NE(p.find(at + ": " + message), std::string::npos)
        << "expected at " << at << ": " << message << "\ngot:\n"
        << p;
}

constexpr const char* kNationalRule = R"(validation_rules:
  - id: rs-regions-add-up
    type: sums_to_total
    indicators: [ID.1]
    dimensions: [SEX, REG]
    reason: {en: Example rule - one region per person.}
)";

TEST(RulesResolve, TheMiniSetWithRulesLoads) {
    EXPECT_EQ(LoadProblems(WithFiles(Core(), testing::MiniNational() + kNationalRule)), "");
}

TEST(RulesResolve, RulesNameIndicatorsAndMeasuresOfTheCore) {
    std::string core = Replace(Core(), "    than: ID.1\n", "    than: ID.9\n");
    ExpectCoreProblem(core, "^id: identified-within-detected",
                      "rule identified-within-detected names indicator 'ID.9', which test-core "
                      "does not have");
    core = Replace(Core(), "    than: ID.1\n", "    than: ID.1\n    than_measure: count\n");
    ExpectCoreProblem(core, "^id: identified-within-detected",
                      "rule identified-within-detected: indicator ID.1 has no measure 'count'; "
                      "its measures: value");
    // A national indicator is not in the core.
    core = Replace(Core(), "indicators: [ID.1, ID.2]", "indicators: [ID.1, ID.RS.1]");
    ExpectCoreProblem(core, "^id: breakdowns-add-up",
                      "rule breakdowns-add-up names indicator 'ID.RS.1', which test-core does not "
                      "have");
}

TEST(RulesResolve, SumsToTotalDimensionsAreDisaggregationsOfEachIndicator) {
    const std::string core = Replace(Core(), "dimensions: [SEX]", "dimensions: [SEX, AGE]");
    ExpectCoreProblem(core, "^id: breakdowns-add-up",
                      "rule breakdowns-add-up: ID.2 is not disaggregated by AGE in test-core");
    // REG is added to ID.1 only nationally: a core rule cannot use it, an RS rule can.
    const std::string reg = Replace(Core(), "indicators: [ID.1, ID.2]\n    dimensions: [SEX]",
                                    "indicators: [ID.1]\n    dimensions: [REG]");
    ExpectCoreProblem(reg, "^id: breakdowns-add-up",
                      "rule breakdowns-add-up: ID.1 is not disaggregated by REG in test-core");
    EXPECT_EQ(LoadProblems(WithFiles(Core(), testing::MiniNational() + kNationalRule)), "");
}

TEST(RulesResolve, KindsMustFitTheRule) {
    std::string core = Replace(Core(), "    indicator: ID.2\n    than: ID.1\n",
                               "    indicator: LF.1\n    than: ID.1\n");
    ExpectCoreProblem(core, "^id: identified-within-detected",
                      "rule identified-within-detected: LF.1 value is a YNP value; at_most "
                      "compares numbers (NUM, PCT, RATE, AMT, MED)");
    core = Replace(Core(), "    indicator: ID.2\n    than: ID.1\n",
                   "    indicator: ID.3\n    measure: share\n    than: ID.1\n");
    ExpectCoreProblem(core, "^id: identified-within-detected",
                      "rule identified-within-detected: compares ID.3 share (PCT) with ID.1 value "
                      "(NUM); both must be of the same kind");
    core = Replace(Core(), "indicators: [ID.1, ID.2]\n    dimensions: [SEX]",
                   "indicators: [ID.3]\n    measure: share\n    dimensions: [AGE]");
    ExpectCoreProblem(core, "^id: breakdowns-add-up",
                      "rule breakdowns-add-up: ID.3 share is a PCT value; only counts (NUM) and "
                      "amounts (AMT) add up");
}

TEST(RulesResolve, CapsAndWeightsNameIndicatorsOfTheCore) {
    std::string core = Replace(Core(), "{indicator: ID.1, op:", "{indicator: ID.7, op:");
    ExpectCoreProblem(core, "^id: few-identified",
                      "cap few-identified names indicator 'ID.7', which test-core does not have");
    core = Replace(Core(), "measure: share, part: numerator", "measure: median, part: numerator");
    ExpectCoreProblem(core, "^id: few-identified",
                      "cap few-identified: a MED value has no numerator");
    core = Replace(Core(), "measure: share, part: numerator", "measure: share, part: n");
    ExpectCoreProblem(core, "^id: few-identified", "cap few-identified: a PCT value has no n");
    core = Replace(Core(), "{LF.1: 2,", "{LF.9: 2,");
    ExpectCoreProblem(core, "scoring:\n  ^normalise:",
                      "scoring weight names indicator 'LF.9', which test-core does not have");
}

TEST(RulesResolve, NationalRulesAreCheckedAgainstTheEffectiveNationalFramework) {
    // ID.RS.1 exists only in RS; it has no SEX breakdown.
    std::string national = testing::MiniNational() + kNationalRule;
    national = Replace(national, "indicators: [ID.1]\n    dimensions: [SEX, REG]",
                       "indicators: [ID.1, ID.RS.1]\n    dimensions: [SEX]");
    const std::string p = LoadProblems(WithFiles(Core(), national));
    EXPECT_NE(p.find(Pos(national, "^id: rs-regions-add-up", "frameworks/test-rs.yaml") +
                     ": rule rs-regions-add-up: ID.RS.1 is not disaggregated by SEX in test-rs"),
              std::string::npos)
        << p;
    // A national rule may not reuse a core rule's id.
    national = Replace(testing::MiniNational() + kNationalRule, "id: rs-regions-add-up",
                       "id: breakdowns-add-up");
    EXPECT_NE(LoadProblems(WithFiles(Core(), national))
                  .find(Pos(national, "^id: breakdowns-add-up", "frameworks/test-rs.yaml") +
                        ": rule id 'breakdowns-add-up' is already declared by test-core"),
              std::string::npos);
}

TEST(RulesResolve, TheEffectiveFrameworkHasCoreThenNationalRulesAndTheCoreScoring) {
    core::Diagnostics diags;
    auto data =
        LoadReferenceData(WithFiles(Core(), testing::MiniNational() + kNationalRule), diags);
    ASSERT_TRUE(data) << diags.ToString();
    auto eff = data->ResolveForCountry("RS");
    ASSERT_TRUE(eff) << eff.error().ToString();
    ASSERT_EQ(eff->rules.size(), 3U);
    EXPECT_EQ(eff->rules[0].id, "identified-within-detected");
    EXPECT_EQ(eff->rules[0].framework_id, "test-core");
    EXPECT_EQ(eff->rules[1].id, "breakdowns-add-up");
    EXPECT_EQ(eff->rules[2].id, "rs-regions-add-up");
    EXPECT_EQ(eff->rules[2].framework_id, "test-rs");
    EXPECT_TRUE(eff->scoring.declared);
    EXPECT_EQ(eff->scoring.bands.size(), 2U);
    EXPECT_EQ(eff->scoring.caps.size(), 1U);

    auto core = data->ResolveForCountry("");
    ASSERT_TRUE(core);
    EXPECT_EQ(core->rules.size(), 2U);
    EXPECT_TRUE(core->scoring.declared);
}

TEST(RulesResolve, ARuleOnAnIndicatorNotApplicableInTheCountryIsDropped) {
    // RS declares ID.2 not applicable (instead of LF.2) and redefines LF.1 (instead of ID.2).
    std::string national =
        Replace(testing::MiniNational(), "    indicator: LF.2\n", "    indicator: ID.2\n");
    national = Replace(national, "    indicator: ID.2\n    scope: narrowed",
                       "    indicator: LF.1\n    scope: narrowed");
    core::Diagnostics diags;
    auto data = LoadReferenceData(WithFiles(Core(), national + kNationalRule), diags);
    ASSERT_TRUE(data) << diags.ToString();
    auto eff = data->ResolveForCountry("RS");
    ASSERT_TRUE(eff) << eff.error().ToString();
    EXPECT_EQ(eff->Find("ID.2")->comparability, Comparability::kNotApplicable);
    // Both core rules name ID.2; the national rule names ID.1 only.
    ASSERT_EQ(eff->rules.size(), 1U);
    EXPECT_EQ(eff->rules[0].id, "rs-regions-add-up");
    // The core keeps them.
    EXPECT_EQ(data->ResolveForCountry("")->rules.size(), 2U);
}

// ---- Shipped data -------------------------------------------------------------------------

std::vector<SourceFile> ShippedFiles() {
    const std::filesystem::path dir = std::filesystem::path(RAP_SOURCE_DIR) / "data";
    std::vector<SourceFile> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (e.is_regular_file() && e.path().extension() == ".yaml") {
            files.push_back({std::filesystem::relative(e.path(), dir).string(),
                             testing::ReadText(e.path().string())});
        }
    }
    std::sort(files.begin(), files.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.name < b.name; });
    return files;
}

TEST(RulesShippedData, TheCoreDeclaresRulesAndScoringAndEveryCountryGetsThem) {
    core::Diagnostics diags;
    auto data = LoadReferenceData(ShippedFiles(), diags);
    ASSERT_TRUE(data) << diags.ToString();
    const Framework* core = data->Core();
    ASSERT_NE(core, nullptr);
    EXPECT_EQ(core->version, "1.1.0");
    const ScoringRules& sc = core->scoring;
    EXPECT_TRUE(sc.declared);
    EXPECT_DOUBLE_EQ(sc.min_coverage, 0.6);
    EXPECT_EQ(sc.sc3, (std::array<double, 4>{0, 33, 67, 100}));
    EXPECT_EQ(sc.ynp.at("partial"), 50);
    ASSERT_EQ(sc.bands.size(), 4U);
    EXPECT_EQ(sc.bands[0].id, "weak");
    EXPECT_EQ(sc.bands[1].from, 25);
    EXPECT_EQ(sc.bands[3].id, "strong");
    EXPECT_EQ(sc.bands[3].to, 100);
    ASSERT_EQ(sc.caps.size(), 2U);
    EXPECT_EQ(sc.caps[0].area, "PR");
    EXPECT_EQ(sc.caps[0].max, 67);
    EXPECT_EQ(sc.caps[1].area, "CO");
    EXPECT_EQ(sc.caps[1].max, 50);
    ASSERT_EQ(sc.caps[1].when.size(), 2U);
    EXPECT_EQ(sc.caps[1].when[1].part, ValuePart::kNumerator);
    EXPECT_EQ(sc.caps[1].when[1].comparison, Comparison::kEq);

    for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
        auto fw = data->NationalFrameworkOf(cc);
        ASSERT_TRUE(fw) << cc;
        EXPECT_EQ((*fw)->extends_version, "1.1.0") << cc;
        auto eff = data->ResolveForCountry(cc);
        ASSERT_TRUE(eff) << cc;
        EXPECT_TRUE(eff->scoring.declared) << cc;
        for (const ValidationRule& rule : core->rules) {
            EXPECT_TRUE(std::any_of(eff->rules.begin(), eff->rules.end(),
                                    [&](const ValidationRule& r) { return r.id == rule.id; }))
                << cc << " " << rule.id;
        }
    }
    auto rs = data->ResolveForCountry("RS");
    ASSERT_TRUE(rs);
    auto has = [&](std::string_view id) {
        return std::any_of(rs->rules.begin(), rs->rules.end(),
                           [&](const ValidationRule& r) { return r.id == id; });
    };
    EXPECT_TRUE(has("identified-within-detected"));
    EXPECT_TRUE(has("rs-referrals-add-up"));
    EXPECT_EQ(rs->rules.back().framework_id, "rs");
    for (const ValidationRule& rule : rs->rules) {
        EXPECT_FALSE(rule.reason.Get().empty()) << rule.id;
    }
}

// ---- Euro reference rates -----------------------------------------------------------------

std::string RatesBlock(int first, int last, double rate) {
    std::string out =
        "    eur_rates:\n      source: {en: Synthetic test rates}\n"
        "      url: https://example.org/rates\n      values:\n";
    for (int y = first; y <= last; ++y) {
        out += fmt::format("        {}: {}\n", y, rate);
    }
    return out + "      estimated: [2025]\n";
}

std::string CountriesWithRates(const std::string& rs_rates) {
    return Replace(testing::MiniCountries(), "      estimated: [2025]\n  - code: BA\n",
                   "      estimated: [2025]\n" + rs_rates + "  - code: BA\n");
}

TEST(EurRates, AreParsedByYear) {
    core::Diagnostics diags;
    auto set =
        ParseCountries("countries.yaml", CountriesWithRates(RatesBlock(2015, 2025, 117.5)), diags);
    ASSERT_TRUE(set) << diags.ToString();
    const Country* rs = set->Find("RS");
    ASSERT_NE(rs, nullptr);
    EXPECT_EQ(rs->eur_rates.source.Get(), "Synthetic test rates");
    EXPECT_EQ(rs->eur_rates.url, "https://example.org/rates");
    EXPECT_EQ(rs->eur_rates.by_year.size(), 11U);
    EXPECT_DOUBLE_EQ(*rs->EurRate(2019), 117.5);
    EXPECT_TRUE(rs->eur_rates.estimated.contains(2025));
    EXPECT_FALSE(rs->EurRate(2014));
    // A country without rates has none, unless its currency is the euro.
    const Country* ba = set->Find("BA");
    EXPECT_TRUE(ba->eur_rates.by_year.empty());
    EXPECT_FALSE(ba->EurRate(2020));
    Country me;
    me.currency = "EUR";
    EXPECT_EQ(me.EurRate(2020), 1.0);
}

TEST(EurRatesBadInput, AMissingYearIsRejected) {
    std::string block = RatesBlock(2015, 2025, 117.5);
    block = Replace(block, "        2018: 117.5\n", "");
    const std::string text = CountriesWithRates(block);
    core::Diagnostics diags;
    EXPECT_FALSE(ParseCountries("countries.yaml", text, diags));
    const std::string p = diags.ToString();
    EXPECT_NE(p.find(Pos(text, "      values:\n        ^2015: 117.5", "countries.yaml") +
                     ": RS eur_rates: no rate for 2018; every year 2015-2025 is needed"),
              std::string::npos)
        << p;
}

TEST(EurRatesBadInput, BadValues) {
    std::string block = RatesBlock(2015, 2025, 117.5);
    block = Replace(block, "2016: 117.5", "2016: -3");
    block = Replace(block, "2017: 117.5", "2017: many");
    block = Replace(block, "estimated: [2025]", "estimated: [2030]");
    const std::string text = CountriesWithRates(block);
    core::Diagnostics diags;
    EXPECT_FALSE(ParseCountries("countries.yaml", text, diags));
    const std::string p = diags.ToString();
    EXPECT_NE(p.find(Pos(text, "2016: ^-3", "countries.yaml") +
                     ": RS eur_rates value must be more than 0 and at most 1000000, found -3"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find(Pos(text, "2017: ^many", "countries.yaml") +
                     ": RS eur_rates value must be a number, found 'many'"),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("RS eur_rates: estimated year 2030 has no rate"), std::string::npos) << p;
}

TEST(EurRatesBadInput, AEuroCountryHasRateOne) {
    std::string text = CountriesWithRates(RatesBlock(2015, 2025, 1));
    text = Replace(text, "currency: RSD", "currency: EUR");
    core::Diagnostics diags;
    EXPECT_TRUE(ParseCountries("countries.yaml", text, diags)) << diags.ToString();
    text = Replace(text, "2020: 1\n", "2020: 1.2\n");
    EXPECT_FALSE(ParseCountries("countries.yaml", text, diags));
    EXPECT_NE(diags.ToString().find("RS eur_rates: RS uses the euro, so the rate of 2020 is 1, "
                                    "not 1.2"),
              std::string::npos)
        << diags.ToString();
}

TEST(EurRatesShippedData, EveryCountryHasARateForEveryYear) {
    core::Diagnostics diags;
    auto data = LoadReferenceData(ShippedFiles(), diags);
    ASSERT_TRUE(data) << diags.ToString();
    ASSERT_TRUE(data->countries);
    EXPECT_EQ(data->countries->version, "1.4.0");
    for (const Country& c : data->countries->countries) {
        EXPECT_FALSE(c.eur_rates.source.Get().empty()) << c.code;
        for (int y = kFirstEurRateYear; y <= kLastEurRateYear; ++y) {
            ASSERT_TRUE(c.eur_rates.by_year.contains(y)) << c.code << " " << y;
        }
    }
    const CountrySet& set = *data->countries;
    EXPECT_EQ(set.Find("ME")->EurRate(2020), 1.0);
    EXPECT_DOUBLE_EQ(*set.Find("BA")->EurRate(2024), 1.95583);
    EXPECT_GT(*set.Find("MK")->EurRate(2020), 61);
    EXPECT_LT(*set.Find("MK")->EurRate(2020), 62);
    EXPECT_GT(*set.Find("RS")->EurRate(2016), 115);
    EXPECT_LT(*set.Find("RS")->EurRate(2016), 125);
    EXPECT_GT(*set.Find("AL")->EurRate(2015), *set.Find("AL")->EurRate(2024));
}

TEST(PublicHolidaysShippedData, EveryCountryHasItsHolidaysAndDaysInLieu) {
    core::Diagnostics diags;
    auto data = LoadReferenceData(ShippedFiles(), diags);
    ASSERT_TRUE(data) << diags.ToString();
    for (const Country& c : data->countries->countries) {
        const PublicHolidays& h = c.foi.holidays;
        EXPECT_FALSE(h.source.empty()) << c.code;
        EXPECT_FALSE(h.note.Get().empty()) << c.code;
        EXPECT_GE(h.fixed.size(), 4u) << c.code;
        for (int year = 2015; year <= 2026; ++year) {
            EXPECT_TRUE(h.Known(year)) << c.code << " " << year;
        }
    }
    // `country` may name a region ("BA/BA-SRP"): the days off of bodies seated there.
    auto off = [&](std::string_view country, std::string_view date) {
        const std::string_view region =
            country.size() > 3 ? country.substr(3) : std::string_view();
        const auto& h =
            data->countries->Find(country.substr(0, 2))->FoiAt(region).holidays;
        const auto d = *core::Date::Parse(date);
        for (const Holiday& x : h.DaysOff(d.year())) {
            if (x.date == d) {
                return true;
            }
        }
        return false;
    };
    EXPECT_TRUE(off("RS", "2021-05-04"));   // Labour Day on Easter Sunday
    EXPECT_TRUE(off("RS", "2024-05-03"));   // Orthodox Good Friday
    EXPECT_FALSE(off("RS", "2024-01-08"));  // Christmas on a Sunday gives no day in lieu
    EXPECT_TRUE(off("MK", "2023-01-02"));   // New Year on a Sunday
    EXPECT_TRUE(off("MK", "2024-04-10"));   // Eid al-Fitr
    EXPECT_FALSE(off("MK", "2024-06-17"));  // Eid al-Adha is not a day off for all
    EXPECT_TRUE(off("ME", "2025-07-15"));   // Statehood Day on a Sunday
    EXPECT_TRUE(off("ME", "2025-11-13"));   // Njegoš Day, two days since 2023
    EXPECT_TRUE(off("ME", "2025-11-14"));
    EXPECT_TRUE(off("ME", "2024-11-13"));
    EXPECT_TRUE(off("ME", "2024-11-14"));
    EXPECT_TRUE(off("ME", "2022-11-13"));   // one day in 2022, a Sunday, none in lieu
    EXPECT_FALSE(off("ME", "2022-11-14"));
    EXPECT_FALSE(off("ME", "2021-11-15"));  // not yet a holiday
    EXPECT_TRUE(off("AL", "2025-03-31"));   // Eid al-Fitr on a Sunday
    EXPECT_TRUE(off("AL", "2025-04-21"));   // both Easters on 20 April: one Monday
    EXPECT_FALSE(off("AL", "2025-04-22"));
    EXPECT_TRUE(off("AL", "2024-09-05"));
    EXPECT_TRUE(off("AL", "2016-09-05"));   // Mother Teresa Day's new date from 2016
    EXPECT_FALSE(off("AL", "2016-10-19"));
    EXPECT_TRUE(off("AL", "2015-10-19"));
    EXPECT_TRUE(off("BA", "2024-05-02"));
    // The entities' own days, at their bodies only; Brčko District has none of its own.
    EXPECT_TRUE(off("BA/BA-SRP", "2025-11-21"));
    EXPECT_TRUE(off("BA/BA-SRP", "2024-05-02"));
    EXPECT_FALSE(off("BA", "2025-11-21"));
    EXPECT_FALSE(off("BA/BA-FBIH", "2025-11-21"));
    EXPECT_TRUE(off("BA/BA-FBIH", "2025-11-25"));
    EXPECT_FALSE(off("BA/BA-BD", "2025-11-25"));
    EXPECT_FALSE(off("BA/BA-STATE", "2025-03-03"));
    for (const Country& c : data->countries->countries) {
        for (const auto& [region, rule] : c.regional_foi) {
            EXPECT_TRUE(data->CheckRegion(c.code, region)) << region;
            EXPECT_FALSE(rule.holidays.source.empty()) << region;
            EXPECT_FALSE(rule.holidays.note.Get().empty()) << region;
        }
    }
}

// A region with days off of its own must be one of the country's in the REG codelist.
TEST(PublicHolidaysBadInput, ARegionalBlockNamesARegionOfTheCountry) {
    auto files = testing::MiniReferenceFiles();
    for (auto& f : files) {
        if (f.name == "countries.yaml") {
            f.bytes = testing::Replace(f.bytes, "      source: https://example.org/holidays\n",
                                       "      source: https://example.org/holidays\n"
                                       "      regional:\n"
                                       "        RS-XX:\n"
                                       "          fixed: []\n"
                                       "          source: https://example.org/x\n");
        }
    }
    core::Diagnostics diags;
    EXPECT_FALSE(LoadReferenceData(files, diags));
    const std::string p = diags.ToString();
    EXPECT_NE(p.find("countries.yaml:"), std::string::npos) << p;
    EXPECT_NE(p.find("RS public_holidays regional: 'RS-XX' is not a region of RS (codelist REG); "
                     "its regions: RS-BG"),
              std::string::npos)
        << p;
}

}  // namespace
}  // namespace rap::framework
