// SPDX-License-Identifier: AGPL-3.0-or-later
#include "monitoring/scoring.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace rap::monitoring {
namespace {

using framework::Band;
using framework::Cap;
using framework::CapCondition;
using framework::Comparability;
using framework::Comparison;
using framework::Deviation;
using framework::DeviationType;
using framework::Direction;
using framework::EffectiveFramework;
using framework::EffectiveIndicator;
using framework::IndicatorType;
using framework::Measure;
using framework::RedefinitionScope;
using framework::ValueKind;
using framework::ValuePart;

constexpr IndicatorType kS = IndicatorType::kStructural;
constexpr IndicatorType kP = IndicatorType::kProcess;
constexpr IndicatorType kO = IndicatorType::kOutcome;

// ---- building frameworks --------------------------------------------------------------------

Measure M(std::string id, ValueKind kind, Direction dir = Direction::kHigher) {
    Measure m;
    m.id = std::move(id);
    m.kind = kind;
    m.direction = dir;
    return m;
}

EffectiveIndicator Ind(std::string code, std::vector<IndicatorType> types,
                       std::vector<Measure> measures) {
    EffectiveIndicator e;
    e.indicator.area = code.substr(0, code.find('.'));
    e.indicator.code = std::move(code);
    e.indicator.types = std::move(types);
    e.indicator.measures = std::move(measures);
    return e;
}

// A one-measure indicator (measure "value").
EffectiveIndicator Ind(std::string code, IndicatorType type, ValueKind kind,
                       Direction dir = Direction::kHigher) {
    return Ind(std::move(code), {type}, {M("value", kind, dir)});
}

Band B(std::string id, double from, double to) {
    Band b;
    b.id = std::move(id);
    b.from = from;
    b.to = to;
    return b;
}

Deviation Dev(DeviationType type, std::string reason,
              RedefinitionScope scope = RedefinitionScope::kRenamed) {
    Deviation d;
    d.type = type;
    d.reason = core::LocalizedText(std::move(reason));
    d.scope = scope;
    return d;
}

EffectiveFramework Fw(std::vector<std::string> areas, std::vector<EffectiveIndicator> indicators) {
    EffectiveFramework fw;
    fw.id = "regional-core";
    fw.version = "1.2.0";
    fw.country = "RS";
    for (std::string& code : areas) {
        framework::Area a;
        a.code = std::move(code);
        fw.areas.push_back(std::move(a));
    }
    fw.indicators = std::move(indicators);
    fw.scoring.bands = {B("weak", 0, 25), B("limited", 25, 50), B("moderate", 50, 75),
                        B("strong", 75, 100)};
    fw.scoring.law_types = {kS};
    fw.scoring.practice_types = {kP, kO};
    return fw;
}

Cap MakeCap(std::string id, std::string area, double max, std::vector<CapCondition> when,
            std::string reason) {
    Cap c;
    c.id = std::move(id);
    c.area = std::move(area);
    c.max = max;
    c.when = std::move(when);
    c.reason = core::LocalizedText(std::move(reason));
    return c;
}

CapCondition When(std::string indicator, ValuePart part, Comparison cmp, double number) {
    CapCondition c;
    c.indicator = std::move(indicator);
    c.part = part;
    c.comparison = cmp;
    c.number = number;
    return c;
}

// ---- building values ------------------------------------------------------------------------

Figure Ans(Answer a) {
    Figure f;
    f.kind = ValueKind::kYN;
    f.answer = a;
    return f;
}

Figure Score(int s) {
    Figure f;
    f.kind = ValueKind::kSC3;
    f.score = s;
    f.justification = "because";
    return f;
}

Figure Number(double x) {
    Figure f;
    f.number = x;
    return f;
}

Figure Ratio(double numerator, double denominator) {
    Figure f;
    f.kind = ValueKind::kPCT;
    f.numerator = numerator;
    f.denominator = denominator;
    return f;
}

ValueVersion V(std::string code, Figure f, Track track = Track::kOfficial,
               std::string measure = "value") {
    ValueVersion v;
    v.key.indicator = std::move(code);
    v.key.measure = std::move(measure);
    v.key.track = track;
    v.version = 1;
    v.status = ValueStatus::kProvided;
    v.figure = std::move(f);
    return v;
}

ValueVersion Status(std::string code, ValueStatus status, Track track = Track::kOfficial) {
    ValueVersion v;
    v.key.indicator = std::move(code);
    v.key.track = track;
    v.version = 1;
    v.status = status;
    return v;
}

// ---- reading results ------------------------------------------------------------------------

const IndicatorScore& Of(const CycleScores& s, std::string_view code) {
    for (const IndicatorScore& i : s.indicators) {
        if (i.indicator == code) {
            return i;
        }
    }
    throw std::out_of_range(std::string(code));
}

const AreaScore& Area(const CycleScores& s, std::string_view code) {
    for (const AreaScore& a : s.areas) {
        if (a.area == code) {
            return a;
        }
    }
    throw std::out_of_range(std::string(code));
}

bool Mentions(const std::vector<std::string>& lines, std::string_view text) {
    for (const std::string& l : lines) {
        if (l.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string Dump(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) {
        out += l + "\n";
    }
    return out;
}

// ---- normalisation --------------------------------------------------------------------------

TEST(ScoreCycle, NormalisesYnAndYnpByAnswerName) {
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kYN), Ind("LF.2", kS, ValueKind::kYN),
                          Ind("LF.3", kS, ValueKind::kYNP), Ind("LF.4", kS, ValueKind::kYNP),
                          Ind("LF.5", kS, ValueKind::kYNP)});
    auto s = ScoreCycle(fw, {V("LF.1", Ans(Answer::kYes)), V("LF.2", Ans(Answer::kNo)),
                             V("LF.3", Ans(Answer::kYes)), V("LF.4", Ans(Answer::kPartial)),
                             V("LF.5", Ans(Answer::kNo))});
    EXPECT_EQ(*Of(s, "LF.1").score, 100);
    EXPECT_EQ(*Of(s, "LF.2").score, 0);
    EXPECT_EQ(*Of(s, "LF.3").score, 100);
    EXPECT_EQ(*Of(s, "LF.4").score, 50);
    EXPECT_EQ(*Of(s, "LF.5").score, 0);
    ASSERT_EQ(Of(s, "LF.1").used.size(), 1u);
    EXPECT_EQ(Of(s, "LF.1").used[0].rule, "YN yes = 100");
    EXPECT_EQ(Of(s, "LF.4").used[0].rule, "YNP partial = 50");
    EXPECT_EQ(Of(s, "LF.4").used[0].key, V("LF.4", Ans(Answer::kPartial)).key);
    EXPECT_EQ(Of(s, "LF.4").used[0].version, 1);
    EXPECT_EQ(Of(s, "LF.4").used[0].measure, "value");
    EXPECT_FALSE(Of(s, "LF.4").used[0].percentage);
    EXPECT_EQ(*Area(s, "LF").score, 50);
}

TEST(ScoreCycle, YnAnswerMissingFromTheMapIsNotUsable) {
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kYN)});
    auto s = ScoreCycle(fw, {V("LF.1", Ans(Answer::kPartial))});
    EXPECT_FALSE(Of(s, "LF.1").score);
    EXPECT_TRUE(Of(s, "LF.1").scorable);
    EXPECT_EQ(Of(s, "LF.1").missing_reason, "unusable figure (official)");
}

TEST(ScoreCycle, NormalisesSc3ByItsTable) {
    auto fw = Fw({"IC"}, {Ind("IC.1", kS, ValueKind::kSC3), Ind("IC.2", kS, ValueKind::kSC3),
                          Ind("IC.3", kS, ValueKind::kSC3), Ind("IC.4", kS, ValueKind::kSC3)});
    std::vector<ValueVersion> values = {V("IC.1", Score(0)), V("IC.2", Score(1)),
                                        V("IC.3", Score(2)), V("IC.4", Score(3))};
    auto s = ScoreCycle(fw, values);
    EXPECT_EQ(*Of(s, "IC.1").score, 0);
    EXPECT_EQ(*Of(s, "IC.2").score, 33);
    EXPECT_EQ(*Of(s, "IC.3").score, 67);
    EXPECT_EQ(*Of(s, "IC.4").score, 100);
    EXPECT_EQ(Of(s, "IC.3").used[0].rule, "SC3 2 = 67");
    EXPECT_EQ(*Area(s, "IC").score, 50);

    fw.scoring.sc3 = {0, 25, 50, 100};
    s = ScoreCycle(fw, values);
    EXPECT_EQ(*Of(s, "IC.2").score, 25);
    EXPECT_EQ(Of(s, "IC.2").used[0].rule, "SC3 1 = 25");
}

TEST(ScoreCycle, NormalisesPercentagesByDirection) {
    auto fw = Fw({"ID"}, {Ind("ID.1", kP, ValueKind::kPCT, Direction::kHigher),
                          Ind("ID.2", kP, ValueKind::kPCT, Direction::kLower),
                          Ind("ID.3", kP, ValueKind::kPCT, Direction::kHigher),
                          Ind("ID.4", kP, ValueKind::kPCT, Direction::kHigher),
                          Ind("ID.5", kP, ValueKind::kPCT, Direction::kLower),
                          Ind("ID.6", kP, ValueKind::kPCT, Direction::kLower),
                          Ind("ID.7", kP, ValueKind::kPCT, Direction::kLower)});
    ValueVersion zero = Status("ID.7", ValueStatus::kTrueZero);
    zero.figure = Figure{};
    auto s = ScoreCycle(
        fw, {V("ID.1", Number(62.5)), V("ID.2", Number(30)), V("ID.3", Ratio(5, 8)),
             V("ID.4", Number(120)), V("ID.5", Number(120)), V("ID.6", Number(-5)), zero});
    EXPECT_DOUBLE_EQ(*Of(s, "ID.1").score, 62.5);
    EXPECT_EQ(Of(s, "ID.1").used[0].rule, "PCT, higher is better: the percentage");
    EXPECT_DOUBLE_EQ(*Of(s, "ID.2").score, 70);
    EXPECT_EQ(Of(s, "ID.2").used[0].rule, "PCT, lower is better: 100 - percentage");
    EXPECT_DOUBLE_EQ(*Of(s, "ID.3").score, 62.5);  // from numerator and denominator
    EXPECT_DOUBLE_EQ(*Of(s, "ID.4").score, 100);   // clamped
    EXPECT_DOUBLE_EQ(*Of(s, "ID.4").used[0].percentage, 120);
    EXPECT_DOUBLE_EQ(*Of(s, "ID.5").score, 0);
    EXPECT_DOUBLE_EQ(*Of(s, "ID.6").score, 100);
    EXPECT_DOUBLE_EQ(*Of(s, "ID.7").score, 100);  // a true zero, lower is better
}

TEST(ScoreCycle, ContextualAndCountKindsAreNotScored) {
    auto fw = Fw({"ID"}, {Ind("ID.1", kO, ValueKind::kNUM, Direction::kHigher),
                          Ind("ID.2", kO, ValueKind::kRATE, Direction::kContextual),
                          Ind("ID.3", kP, ValueKind::kMED, Direction::kLower),
                          Ind("ID.4", kP, ValueKind::kAMT, Direction::kHigher),
                          Ind("ID.5", kP, ValueKind::kPCT, Direction::kContextual),
                          Ind("ID.6", kS, ValueKind::kYN)});
    auto s = ScoreCycle(
        fw, {V("ID.1", Number(7)), V("ID.2", Number(1.5)), V("ID.3", Number(40)),
             V("ID.4", Number(1000)), V("ID.5", Number(80)), V("ID.6", Ans(Answer::kYes))});
    for (std::string code : {"ID.1", "ID.2", "ID.3", "ID.4", "ID.5"}) {
        SCOPED_TRACE(code);
        EXPECT_FALSE(Of(s, code).scorable);
        EXPECT_FALSE(Of(s, code).score);
        EXPECT_EQ(Of(s, code).missing_reason, "not scorable (contextual)");
    }
    const AreaScore& id = Area(s, "ID");
    EXPECT_EQ(id.scorable, 1);
    EXPECT_EQ(id.with_value, 1);
    EXPECT_EQ(id.coverage, 1);
    EXPECT_EQ(*id.score, 100);
}

TEST(ScoreCycle, IndicatorScoreIsTheMeanOfItsScorableMeasures) {
    auto fw =
        Fw({"IC"}, {Ind("IC.5", {kP},
                        {M("budget", ValueKind::kAMT, Direction::kContextual),
                         M("executed", ValueKind::kPCT)}),
                    Ind("IC.9", {kS}, {M("law", ValueKind::kYN), M("applied", ValueKind::kSC3)})});
    auto s = ScoreCycle(fw, {V("IC.5", Number(1000), Track::kOfficial, "budget"),
                             V("IC.5", Number(80), Track::kOfficial, "executed"),
                             V("IC.9", Ans(Answer::kYes), Track::kOfficial, "law"),
                             V("IC.9", Score(2), Track::kOfficial, "applied")});
    ASSERT_EQ(Of(s, "IC.5").used.size(), 1u);
    EXPECT_EQ(Of(s, "IC.5").used[0].measure, "executed");
    EXPECT_DOUBLE_EQ(*Of(s, "IC.5").score, 80);
    ASSERT_EQ(Of(s, "IC.9").used.size(), 2u);
    EXPECT_DOUBLE_EQ(*Of(s, "IC.9").score, (100.0 + 67.0) / 2);

    s = ScoreCycle(fw, {V("IC.9", Score(2), Track::kOfficial, "applied")});
    EXPECT_DOUBLE_EQ(*Of(s, "IC.9").score, 67);
    EXPECT_FALSE(Of(s, "IC.5").score);
    EXPECT_EQ(Of(s, "IC.5").missing_reason, "no value");
}

// ---- which values are read ------------------------------------------------------------------

TEST(ScoreCycle, TrackPreferenceFollowsScoringTracks) {
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kYN)});
    std::vector<ValueVersion> values = {V("LF.1", Ans(Answer::kYes), Track::kOfficial),
                                        V("LF.1", Ans(Answer::kNo), Track::kCso)};
    // Default order: cso, derived, official.
    auto s = ScoreCycle(fw, values);
    EXPECT_EQ(*Of(s, "LF.1").score, 0);
    EXPECT_EQ(Of(s, "LF.1").used[0].key.track, Track::kCso);

    fw.scoring.tracks = {"official", "cso"};
    s = ScoreCycle(fw, values);
    EXPECT_EQ(*Of(s, "LF.1").score, 100);
    EXPECT_EQ(Of(s, "LF.1").used[0].key.track, Track::kOfficial);

    fw.scoring.tracks = {"derived"};  // tracks not listed are never read
    s = ScoreCycle(fw, values);
    EXPECT_FALSE(Of(s, "LF.1").score);
    EXPECT_EQ(Of(s, "LF.1").missing_reason, "no value");
}

TEST(ScoreCycle, TrackWithoutFigureFallsThroughToTheNext) {
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kYN)});
    auto s = ScoreCycle(fw, {Status("LF.1", ValueStatus::kRefused, Track::kCso),
                             V("LF.1", Ans(Answer::kYes), Track::kOfficial)});
    EXPECT_EQ(*Of(s, "LF.1").score, 100);
    EXPECT_EQ(Of(s, "LF.1").used[0].key.track, Track::kOfficial);
}

TEST(ScoreCycle, DisaggregatedValuesAreIgnored) {
    auto fw = Fw({"ID"}, {Ind("ID.6", kP, ValueKind::kPCT)});
    ValueVersion female = V("ID.6", Number(90));
    female.key.disaggregation = {{"SEX", "F"}};
    auto s = ScoreCycle(fw, {female});
    EXPECT_FALSE(Of(s, "ID.6").score);
    EXPECT_EQ(Of(s, "ID.6").missing_reason, "no value");

    s = ScoreCycle(fw, {female, V("ID.6", Number(40))});
    EXPECT_DOUBLE_EQ(*Of(s, "ID.6").score, 40);
    EXPECT_TRUE(Of(s, "ID.6").used[0].key.disaggregation.empty());
}

TEST(ScoreCycle, HighestVersionOfAKeyIsRead) {
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kYN)});
    ValueVersion v1 = V("LF.1", Ans(Answer::kYes));
    ValueVersion v2 = V("LF.1", Ans(Answer::kNo));
    v2.version = 2;
    auto s = ScoreCycle(fw, {v2, v1});
    EXPECT_EQ(*Of(s, "LF.1").score, 0);
    EXPECT_EQ(Of(s, "LF.1").used[0].version, 2);
}

TEST(ScoreCycle, StatusesWithoutFigureAreIgnoredButCountAgainstCoverage) {
    auto fw = Fw({"PR"}, {Ind("PR.1", kS, ValueKind::kYN), Ind("PR.2", kS, ValueKind::kYN),
                          Ind("PR.3", kS, ValueKind::kYN), Ind("PR.6", kS, ValueKind::kYN),
                          Ind("PR.7", kP, ValueKind::kPCT)});
    ValueVersion refused_with_figure = V("PR.6", Ans(Answer::kYes));
    refused_with_figure.status = ValueStatus::kRefused;  // a stray figure is not read
    ValueVersion zero = V("PR.7", Ratio(0, 12));
    zero.status = ValueStatus::kTrueZero;
    auto s = ScoreCycle(
        fw, {Status("PR.1", ValueStatus::kRefused), Status("PR.2", ValueStatus::kNoResponse),
             Status("PR.3", ValueStatus::kNotCollected), refused_with_figure, zero});
    EXPECT_EQ(Of(s, "PR.1").missing_reason, "status refused (official)");
    EXPECT_EQ(Of(s, "PR.2").missing_reason, "status no_response (official)");
    EXPECT_EQ(Of(s, "PR.3").missing_reason, "status not_collected (official)");
    EXPECT_EQ(Of(s, "PR.6").missing_reason, "status refused (official)");
    for (std::string code : {"PR.1", "PR.2", "PR.3", "PR.6"}) {
        EXPECT_TRUE(Of(s, code).scorable) << code;
        EXPECT_FALSE(Of(s, code).score) << code;
    }
    EXPECT_DOUBLE_EQ(*Of(s, "PR.7").score, 0);  // true_zero carries a figure
    const AreaScore& pr = Area(s, "PR");
    EXPECT_EQ(pr.scorable, 5);
    EXPECT_EQ(pr.with_value, 1);
    EXPECT_TRUE(pr.insufficient);
}

TEST(ScoreCycle, StatusesOfEveryTrackReadAreReported) {
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kYN)});
    auto s = ScoreCycle(fw, {Status("LF.1", ValueStatus::kRefused, Track::kCso),
                             Status("LF.1", ValueStatus::kNoResponse, Track::kOfficial)});
    EXPECT_EQ(Of(s, "LF.1").missing_reason, "status refused (cso), status no_response (official)");
}

TEST(ScoreCycle, NotApplicableIndicatorIsLeftOutOfCoverage) {
    EffectiveIndicator na = Ind("PR.5", kP, ValueKind::kSC3);
    na.comparability = Comparability::kNotApplicable;
    na.deviations = {Dev(DeviationType::kNotApplicable, "no such body in Serbia")};
    auto fw = Fw({"PR"}, {Ind("PR.1", kS, ValueKind::kYN), na});
    auto s = ScoreCycle(fw, {V("PR.1", Ans(Answer::kYes)), V("PR.5", Score(3))});
    EXPECT_FALSE(Of(s, "PR.5").scorable);
    EXPECT_FALSE(Of(s, "PR.5").score);
    EXPECT_EQ(Of(s, "PR.5").missing_reason, "not applicable in RS");
    const AreaScore& pr = Area(s, "PR");
    EXPECT_EQ(pr.scorable, 1);
    EXPECT_EQ(pr.coverage, 1);
    EXPECT_EQ(*pr.score, 100);
    EXPECT_TRUE(
        Mentions(pr.explanation, "PR.5: left out, not applicable in RS: no such body in Serbia."))
        << Dump(pr.explanation);
}

TEST(ScoreCycle, NotApplicableStatusExcludesTheIndicatorForTheCycle) {
    auto fw = Fw({"PR"}, {Ind("PR.1", kS, ValueKind::kYN), Ind("PR.2", kS, ValueKind::kYN)});
    auto s =
        ScoreCycle(fw, {V("PR.1", Ans(Answer::kYes)), Status("PR.2", ValueStatus::kNotApplicable)});
    EXPECT_FALSE(Of(s, "PR.2").scorable);
    EXPECT_EQ(Of(s, "PR.2").missing_reason,
              "not applicable this cycle (status not_applicable, official)");
    EXPECT_EQ(Area(s, "PR").scorable, 1);
    EXPECT_EQ(Area(s, "PR").coverage, 1);
    EXPECT_EQ(*Area(s, "PR").score, 100);

    // A figure in another track wins over not_applicable.
    s = ScoreCycle(fw, {V("PR.1", Ans(Answer::kYes)), Status("PR.2", ValueStatus::kNotApplicable),
                        V("PR.2", Ans(Answer::kNo), Track::kCso)});
    EXPECT_TRUE(Of(s, "PR.2").scorable);
    EXPECT_EQ(*Of(s, "PR.2").score, 0);
    EXPECT_EQ(*Area(s, "PR").score, 50);
}

TEST(ScoreCycle, RetiredIndicatorIsNotScored) {
    EffectiveIndicator retired = Ind("LF.9", kS, ValueKind::kYN);
    retired.indicator.status = framework::IndicatorStatus::kRetired;
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kYN), retired});
    auto s = ScoreCycle(fw, {V("LF.1", Ans(Answer::kNo)), V("LF.9", Ans(Answer::kYes))});
    EXPECT_EQ(Of(s, "LF.9").missing_reason, "retired");
    EXPECT_EQ(Area(s, "LF").scorable, 1);
    EXPECT_EQ(*Area(s, "LF").score, 0);
}

// ---- area score: coverage, weights, law and practice ----------------------------------------

TEST(ScoreCycle, CoverageExactlyAtTheThresholdIsScored) {
    auto fw = Fw({"ID"}, {Ind("ID.1", kS, ValueKind::kYN), Ind("ID.2", kS, ValueKind::kYN),
                          Ind("ID.3", kS, ValueKind::kYN), Ind("ID.4", kS, ValueKind::kYN),
                          Ind("ID.5", kS, ValueKind::kYN)});
    auto s = ScoreCycle(fw, {V("ID.1", Ans(Answer::kYes)), V("ID.2", Ans(Answer::kYes)),
                             V("ID.3", Ans(Answer::kNo))});
    const AreaScore& at = Area(s, "ID");
    EXPECT_EQ(at.scorable, 5);
    EXPECT_EQ(at.with_value, 3);
    EXPECT_DOUBLE_EQ(at.coverage, 0.6);
    EXPECT_FALSE(at.insufficient);
    EXPECT_DOUBLE_EQ(*at.score, 200.0 / 3);
    EXPECT_DOUBLE_EQ(*at.uncapped, 200.0 / 3);
    EXPECT_EQ(at.band, "moderate");
    EXPECT_TRUE(Mentions(at.explanation, "3 of 5 scorable indicators have a value (60%)"))
        << Dump(at.explanation);
    EXPECT_TRUE(Mentions(at.explanation, "at least 60%"));

    s = ScoreCycle(fw, {V("ID.1", Ans(Answer::kYes)), V("ID.2", Ans(Answer::kYes))});
    const AreaScore& below = Area(s, "ID");
    EXPECT_DOUBLE_EQ(below.coverage, 0.4);
    EXPECT_TRUE(below.insufficient);
    EXPECT_FALSE(below.score);
    EXPECT_FALSE(below.uncapped);
    EXPECT_FALSE(below.law);
    EXPECT_EQ(below.band, "");
    EXPECT_TRUE(Mentions(below.explanation, "Insufficient data")) << Dump(below.explanation);
}

TEST(ScoreCycle, CoverageThresholdIsNotLostToRounding) {
    std::vector<EffectiveIndicator> inds;
    std::vector<ValueVersion> values;
    for (int i = 1; i <= 10; ++i) {
        std::string code = "ID." + std::to_string(i);
        inds.push_back(Ind(code, kS, ValueKind::kYN));
        if (i <= 7) {
            values.push_back(V(code, Ans(Answer::kYes)));
        }
    }
    auto fw = Fw({"ID"}, inds);
    fw.scoring.min_coverage = 0.7;
    auto s = ScoreCycle(fw, values);
    EXPECT_FALSE(Area(s, "ID").insufficient);
    EXPECT_EQ(*Area(s, "ID").score, 100);
}

TEST(ScoreCycle, AreaWithoutScorableIndicatorsIsInsufficient) {
    auto fw = Fw({"ID", "LF"}, {Ind("ID.1", kO, ValueKind::kNUM, Direction::kContextual)});
    auto s = ScoreCycle(fw, {V("ID.1", Number(4))});
    EXPECT_TRUE(Area(s, "ID").insufficient);
    EXPECT_EQ(Area(s, "ID").coverage, 0);
    EXPECT_TRUE(Area(s, "LF").insufficient);  // no indicator at all
    EXPECT_FALSE(Area(s, "LF").score);
}

TEST(ScoreCycle, WeightsEnterTheAreaMean) {
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kYN), Ind("LF.2", kS, ValueKind::kYN)});
    fw.scoring.weights = {{"LF.1", 3}};
    auto s = ScoreCycle(fw, {V("LF.1", Ans(Answer::kYes)), V("LF.2", Ans(Answer::kNo))});
    EXPECT_EQ(Of(s, "LF.1").weight, 3);
    EXPECT_EQ(Of(s, "LF.2").weight, 1);
    EXPECT_DOUBLE_EQ(*Area(s, "LF").score, 75);
    EXPECT_TRUE(Mentions(Area(s, "LF").explanation, "LF.1: 100 (weight 3)"))
        << Dump(Area(s, "LF").explanation);

    fw.scoring.weights = {{"LF.1", 0}, {"LF.2", 0}};
    s = ScoreCycle(fw, {V("LF.1", Ans(Answer::kYes)), V("LF.2", Ans(Answer::kNo))});
    EXPECT_TRUE(Area(s, "LF").insufficient);
    EXPECT_FALSE(Area(s, "LF").score);
}

TEST(ScoreCycle, LawPracticeGapCountsStructuralProcessInBoth) {
    auto fw = Fw({"AS", "LF"}, {Ind("AS.1", kS, ValueKind::kYN), Ind("AS.2", kS, ValueKind::kYNP),
                                Ind("AS.3", kP, ValueKind::kSC3), Ind("AS.4", kO, ValueKind::kPCT),
                                Ind("AS.5", {kS, kP}, {M("value", ValueKind::kSC3)}),
                                Ind("LF.1", kS, ValueKind::kYN)});
    auto s = ScoreCycle(
        fw, {V("AS.1", Ans(Answer::kYes)), V("AS.2", Ans(Answer::kPartial)), V("AS.3", Score(0)),
             V("AS.4", Number(50)), V("AS.5", Score(3)), V("LF.1", Ans(Answer::kYes))});
    const AreaScore& as = Area(s, "AS");
    EXPECT_DOUBLE_EQ(*as.score, 300.0 / 5);
    EXPECT_DOUBLE_EQ(*as.law, (100.0 + 50 + 100) / 3);
    EXPECT_DOUBLE_EQ(*as.practice, (0.0 + 50 + 100) / 3);
    EXPECT_DOUBLE_EQ(*as.gap, *as.law - *as.practice);
    EXPECT_TRUE(Mentions(as.explanation, "gap: 33.33")) << Dump(as.explanation);

    const AreaScore& lf = Area(s, "LF");
    EXPECT_EQ(*lf.law, 100);
    EXPECT_FALSE(lf.practice);
    EXPECT_FALSE(lf.gap);
}

TEST(ScoreCycle, LawPracticeUseTheWeights) {
    auto fw = Fw({"AS"}, {Ind("AS.1", kS, ValueKind::kYN), Ind("AS.2", kS, ValueKind::kYN),
                          Ind("AS.3", kP, ValueKind::kYN)});
    fw.scoring.weights = {{"AS.1", 3}};
    auto s = ScoreCycle(fw, {V("AS.1", Ans(Answer::kYes)), V("AS.2", Ans(Answer::kNo)),
                             V("AS.3", Ans(Answer::kNo))});
    EXPECT_DOUBLE_EQ(*Area(s, "AS").law, 75);
    EXPECT_DOUBLE_EQ(*Area(s, "AS").practice, 0);
    EXPECT_DOUBLE_EQ(*Area(s, "AS").gap, 75);
}

// ---- caps -----------------------------------------------------------------------------------

EffectiveFramework PrFramework() {
    auto fw = Fw({"PR"}, {Ind("PR.1", kS, ValueKind::kYN),
                          Ind("PR.4", kO, ValueKind::kNUM, Direction::kContextual)});
    fw.scoring.caps = {MakeCap("pr-penalised", "PR", 67,
                               {When("PR.4", ValuePart::kValue, Comparison::kGt, 0)},
                               "victims penalised")};
    return fw;
}

TEST(ScoreCycle, CapAppliesWhenEveryConditionHolds) {
    auto s = ScoreCycle(PrFramework(), {V("PR.1", Ans(Answer::kYes)), V("PR.4", Number(2))});
    const AreaScore& pr = Area(s, "PR");
    EXPECT_EQ(*pr.uncapped, 100);
    EXPECT_EQ(*pr.score, 67);
    EXPECT_EQ(pr.caps_applied, std::vector<std::string>{"pr-penalised"});
    EXPECT_EQ(pr.band, "moderate");
    EXPECT_TRUE(Mentions(pr.explanation,
                         "Cap pr-penalised applies (victims penalised): PR.4 "
                         "value 2 > 0 (PR.4/value official v1); the score 100 is "
                         "capped at 67."))
        << Dump(pr.explanation);
}

TEST(ScoreCycle, CapDoesNotApplyWhenAConditionFailsOrIsMissing) {
    EffectiveFramework fw = PrFramework();
    auto s = ScoreCycle(fw, {V("PR.1", Ans(Answer::kYes)), V("PR.4", Number(0))});
    EXPECT_EQ(*Area(s, "PR").score, 100);
    EXPECT_TRUE(Area(s, "PR").caps_applied.empty());
    EXPECT_TRUE(Mentions(Area(s, "PR").explanation,
                         "Cap pr-penalised does not apply: PR.4 value 0 is not > 0."))
        << Dump(Area(s, "PR").explanation);

    s = ScoreCycle(fw, {V("PR.1", Ans(Answer::kYes))});
    EXPECT_EQ(*Area(s, "PR").score, 100);
    EXPECT_TRUE(Area(s, "PR").caps_applied.empty());
    EXPECT_TRUE(Mentions(Area(s, "PR").explanation,
                         "Cap pr-penalised does not apply: PR.4 value is missing."))
        << Dump(Area(s, "PR").explanation);

    s = ScoreCycle(fw, {V("PR.1", Ans(Answer::kYes)), Status("PR.4", ValueStatus::kRefused)});
    EXPECT_EQ(*Area(s, "PR").score, 100);
    EXPECT_TRUE(Area(s, "PR").caps_applied.empty());

    ValueVersion breakdown = V("PR.4", Number(3));
    breakdown.key.disaggregation = {{"SEX", "F"}};
    s = ScoreCycle(fw, {V("PR.1", Ans(Answer::kYes)), breakdown});
    EXPECT_TRUE(Area(s, "PR").caps_applied.empty());
}

TEST(ScoreCycle, CapAlreadyBelowItsMaxIsStillListed) {
    auto s = ScoreCycle(PrFramework(), {V("PR.1", Ans(Answer::kNo)), V("PR.4", Number(1))});
    const AreaScore& pr = Area(s, "PR");
    EXPECT_EQ(*pr.score, 0);
    EXPECT_EQ(pr.caps_applied, std::vector<std::string>{"pr-penalised"});
    EXPECT_TRUE(Mentions(pr.explanation, "is already at most 67")) << Dump(pr.explanation);
}

TEST(ScoreCycle, CapIsNotEvaluatedWithoutAScore) {
    auto fw = PrFramework();
    auto s = ScoreCycle(fw, {V("PR.4", Number(1))});
    EXPECT_TRUE(Area(s, "PR").insufficient);
    EXPECT_TRUE(Area(s, "PR").caps_applied.empty());
}

TEST(ScoreCycle, CapWithSeveralConditionsReadsTheirParts) {
    auto fw = Fw({"CO"}, {Ind("CO.1", kS, ValueKind::kYN), Ind("CO.2", kS, ValueKind::kYN),
                          Ind("CO.5", kO, ValueKind::kNUM, Direction::kContextual),
                          Ind("CO.6", kO, ValueKind::kPCT)});
    fw.scoring.caps = {MakeCap("co-unpaid", "CO", 50,
                               {When("CO.5", ValuePart::kValue, Comparison::kGt, 0),
                                When("CO.6", ValuePart::kNumerator, Comparison::kEq, 0)},
                               "awarded but never paid")};
    std::vector<ValueVersion> base = {V("CO.1", Ans(Answer::kYes)), V("CO.2", Ans(Answer::kYes)),
                                      V("CO.5", Number(3))};

    auto values = base;
    values.push_back(V("CO.6", Ratio(0, 3)));
    auto s = ScoreCycle(fw, values);
    EXPECT_DOUBLE_EQ(*Area(s, "CO").uncapped, 200.0 / 3);
    EXPECT_EQ(*Area(s, "CO").score, 50);
    EXPECT_EQ(Area(s, "CO").caps_applied, std::vector<std::string>{"co-unpaid"});
    EXPECT_EQ(Area(s, "CO").band, "moderate");
    EXPECT_TRUE(Mentions(Area(s, "CO").explanation,
                         "CO.5 value 3 > 0 (CO.5/value official v1) "
                         "and CO.6 numerator 0 = 0"))
        << Dump(Area(s, "CO").explanation);

    values = base;
    values.push_back(V("CO.6", Ratio(1, 3)));
    s = ScoreCycle(fw, values);
    EXPECT_TRUE(Area(s, "CO").caps_applied.empty());
    EXPECT_DOUBLE_EQ(*Area(s, "CO").score, (200.0 + 100.0 / 3) / 3);

    values = base;
    values.push_back(V("CO.6", Number(0)));  // a share without its numerator
    s = ScoreCycle(fw, values);
    EXPECT_TRUE(Area(s, "CO").caps_applied.empty());
    EXPECT_TRUE(Mentions(Area(s, "CO").explanation, "CO.6 numerator is missing"))
        << Dump(Area(s, "CO").explanation);

    values = {V("CO.1", Ans(Answer::kYes)), V("CO.2", Ans(Answer::kYes)),
              V("CO.6", Ratio(0, 3))};  // CO.5 missing
    s = ScoreCycle(fw, values);
    EXPECT_TRUE(Area(s, "CO").caps_applied.empty());
}

TEST(ScoreCycle, CapConditionReadsAYnAnswerAsOneOrZero) {
    auto fw = Fw({"LF"}, {Ind("LF.1", kS, ValueKind::kSC3), Ind("LF.4", kS, ValueKind::kYN)});
    fw.scoring.caps = {
        MakeCap("lf-no-use", "LF", 40, {When("LF.4", ValuePart::kValue, Comparison::kEq, 0)}, "")};
    auto s = ScoreCycle(fw, {V("LF.1", Score(3)), V("LF.4", Ans(Answer::kNo))});
    EXPECT_EQ(*Area(s, "LF").score, 40);
    s = ScoreCycle(fw, {V("LF.1", Score(3)), V("LF.4", Ans(Answer::kYes))});
    EXPECT_EQ(*Area(s, "LF").score, 100);
    EXPECT_TRUE(Area(s, "LF").caps_applied.empty());
}

TEST(ScoreCycle, CapsOfOtherAreasDoNotApply) {
    auto fw = PrFramework();
    fw.areas.push_back(framework::Area{});
    fw.areas.back().code = "LF";
    fw.indicators.push_back(Ind("LF.1", kS, ValueKind::kYN));
    auto s = ScoreCycle(
        fw, {V("PR.1", Ans(Answer::kYes)), V("PR.4", Number(2)), V("LF.1", Ans(Answer::kYes))});
    EXPECT_EQ(*Area(s, "PR").score, 67);
    EXPECT_EQ(*Area(s, "LF").score, 100);
    EXPECT_TRUE(Area(s, "LF").caps_applied.empty());
}

// ---- bands and explanation ------------------------------------------------------------------

TEST(ScoreCycle, BandsAtTheirBoundaries) {
    auto fw = Fw({"ID"}, {Ind("ID.6", kP, ValueKind::kPCT)});
    const std::vector<std::pair<double, std::string>> cases = {
        {0, "weak"},      {24.999, "weak"},     {25, "limited"}, {49.999, "limited"},
        {50, "moderate"}, {74.999, "moderate"}, {75, "strong"},  {100, "strong"}};
    for (const auto& [number, band] : cases) {
        SCOPED_TRACE(number);
        auto s = ScoreCycle(fw, {V("ID.6", Number(number))});
        EXPECT_DOUBLE_EQ(*Area(s, "ID").score, number);
        EXPECT_EQ(Area(s, "ID").band, band);
    }
    fw.scoring.bands.clear();
    auto s = ScoreCycle(fw, {V("ID.6", Number(50))});
    EXPECT_EQ(Area(s, "ID").band, "");
}

TEST(ScoreCycle, ExplanationNamesEveryIndicatorAndTheFramework) {
    EffectiveIndicator na = Ind("ID.8", kS, ValueKind::kSC3);
    na.comparability = Comparability::kNotApplicable;
    auto fw = Fw({"ID"}, {Ind("ID.1", kO, ValueKind::kNUM, Direction::kContextual),
                          Ind("ID.4", kP, ValueKind::kPCT), Ind("ID.6", kP, ValueKind::kPCT),
                          Ind("ID.7", kP, ValueKind::kSC3), na});
    auto s = ScoreCycle(fw, {V("ID.1", Number(12)), V("ID.4", Ratio(2, 3)), V("ID.6", Ratio(1, 3)),
                             Status("ID.7", ValueStatus::kRefused)});
    EXPECT_EQ(s.framework_id, "regional-core");
    EXPECT_EQ(s.framework_version, "1.2.0");
    ASSERT_EQ(s.indicators.size(), 5u);
    EXPECT_EQ(s.indicators[0].indicator, "ID.1");
    EXPECT_EQ(s.indicators[4].indicator, "ID.8");
    const AreaScore& id = Area(s, "ID");
    const auto& e = id.explanation;
    ASSERT_FALSE(e.empty());
    EXPECT_EQ(e[0], "Framework regional-core 1.2.0, country RS; area ID.");
    EXPECT_TRUE(Mentions(e, "ID.1: left out, not scorable (contextual).")) << Dump(e);
    EXPECT_TRUE(Mentions(e,
                         "ID.4: 66.67 (weight 1) from ID.4/value official v1 (PCT, higher "
                         "is better: the percentage, 66.67%)."))
        << Dump(e);
    EXPECT_TRUE(Mentions(e, "ID.6: 33.33 (weight 1)")) << Dump(e);
    EXPECT_TRUE(Mentions(e,
                         "ID.7: no score, status refused (official); counts against "
                         "coverage."))
        << Dump(e);
    EXPECT_TRUE(Mentions(e, "ID.8: left out, not applicable in RS.")) << Dump(e);
    EXPECT_TRUE(Mentions(e, "2 of 3 scorable indicators have a value (66.67%)")) << Dump(e);
    EXPECT_TRUE(Mentions(e, "Score: weighted mean of 2 indicators = 50.")) << Dump(e);
    EXPECT_TRUE(Mentions(e, "Band: moderate.")) << Dump(e);
    // Exact numbers are stored; only the text is rounded.
    EXPECT_DOUBLE_EQ(*Of(s, "ID.4").score, 200.0 / 3);
    EXPECT_DOUBLE_EQ(id.coverage, 2.0 / 3);
}

// ---- regional comparison --------------------------------------------------------------------

EffectiveIndicator Identical(ValueKind kind) {
    return Ind("ID.2", kO, kind);
}

EffectiveIndicator Adapted(ValueKind kind, std::vector<Deviation> deviations) {
    EffectiveIndicator e = Ind("ID.2", kO, kind);
    e.comparability = Comparability::kAdapted;
    e.deviations = std::move(deviations);
    return e;
}

CountryInput C(std::string country, const EffectiveIndicator* ind, std::optional<Figure> f,
               std::optional<long long> population = std::nullopt) {
    CountryInput c;
    c.country = std::move(country);
    c.indicator = ind;
    if (f) {
        c.value = V("ID.2", *f);
    }
    c.population = population;
    return c;
}

using Included = std::vector<std::string>;
using LeftOut = std::vector<std::pair<std::string, std::string>>;

TEST(CompareCountries, NumSumsCounts) {
    auto ind = Identical(ValueKind::kNUM);
    CountryInput zero = C("ME", &ind, std::nullopt);
    zero.value = Status("ID.2", ValueStatus::kTrueZero);
    zero.value->figure = Figure{};
    auto r = CompareCountries("ID.2", "value", ValueKind::kNUM,
                              {C("AL", &ind, Number(10)), C("BA", &ind, Number(5)), zero});
    EXPECT_EQ(r.indicator, "ID.2");
    EXPECT_EQ(r.measure, "value");
    EXPECT_EQ(*r.value, 15);
    EXPECT_EQ(r.method, "sum of counts");
    EXPECT_EQ(r.included, (Included{"AL", "BA", "ME"}));
    EXPECT_TRUE(r.left_out.empty());
}

TEST(CompareCountries, SaysWhichValuesAreNotValidatedAndWhichCountriesHaveNoCycle) {
    auto ind = Identical(ValueKind::kNUM);
    CountryInput al = C("AL", &ind, Number(10));
    al.value->state = WorkflowState::kValidated;
    CountryInput ba = C("BA", &ind, Number(5));
    ba.value->state = WorkflowState::kSubmitted;
    CountryInput me = C("ME", &ind, Number(2));
    me.value->state = WorkflowState::kPublished;
    CountryInput mk = C("MK", &ind, std::nullopt);
    mk.no_cycle = "MK-2025";
    auto r = CompareCountries("ID.2", "value", ValueKind::kNUM, {al, ba, me, mk});
    EXPECT_EQ(*r.value, 17);
    EXPECT_EQ(r.included, (Included{"AL", "BA", "ME"}));
    EXPECT_EQ(r.unreviewed, (LeftOut{{"BA", "submitted"}}));
    EXPECT_EQ(r.left_out, (LeftOut{{"MK", "no cycle MK-2025"}}));
}

TEST(CompareCountries, AmtSumsEuros) {
    auto ind = Identical(ValueKind::kAMT);
    Figure mkd;
    mkd.amount = 61500;
    mkd.currency = "MKD";
    mkd.eur_rate = 61.5;
    auto r = CompareCountries("ID.2", "value", ValueKind::kAMT,
                              {C("AL", &ind, Number(1000)), C("MK", &ind, mkd)});
    EXPECT_DOUBLE_EQ(*r.value, 2000);
    EXPECT_EQ(r.method, "sum of amounts in EUR");
}

TEST(CompareCountries, PctPoolsNumeratorsAndDenominators) {
    auto ind = Identical(ValueKind::kPCT);
    auto r = CompareCountries(
        "ID.2", "value", ValueKind::kPCT,
        {C("AL", &ind, Ratio(10, 20)), C("BA", &ind, Number(90)), C("RS", &ind, Ratio(30, 40))});
    EXPECT_DOUBLE_EQ(*r.value, 100.0 * 40 / 60);
    EXPECT_EQ(r.method, "sum of numerators / sum of denominators");
    EXPECT_EQ(r.included, (Included{"AL", "RS"}));
    EXPECT_EQ(r.left_out, (LeftOut{{"BA", "no numerator and denominator"}}));
}

TEST(CompareCountries, RateIsTheCountPerSummedPopulation) {
    auto ind = Identical(ValueKind::kRATE);
    Figure al;
    al.numerator = 10;
    al.number = 1;
    Figure rs;
    rs.numerator = 30;
    rs.denominator = 3000000;  // the population stored with the value
    Figure me;
    me.numerator = 5;
    auto r = CompareCountries("ID.2", "value", ValueKind::kRATE,
                              {C("AL", &ind, al, 1000000), C("RS", &ind, rs), C("ME", &ind, me)});
    EXPECT_DOUBLE_EQ(*r.value, 40.0 / 4000000 * 100000);
    EXPECT_EQ(r.method, "count per 100,000 of the summed population");
    EXPECT_EQ(r.included, (Included{"AL", "RS"}));
    EXPECT_EQ(r.left_out, (LeftOut{{"ME", "no population"}}));

    // A population given with the input wins over the stored denominator.
    r = CompareCountries("ID.2", "value", ValueKind::kRATE, {C("RS", &ind, rs, 6000000)});
    EXPECT_DOUBLE_EQ(*r.value, 30.0 / 6000000 * 100000);
}

TEST(CompareCountries, MedianIsNotAggregated) {
    auto ind = Identical(ValueKind::kMED);
    auto narrowed =
        Adapted(ValueKind::kMED,
                {Dev(DeviationType::kRedefined, "only adults", RedefinitionScope::kNarrowed)});
    auto r = CompareCountries(
        "ID.5", "value", ValueKind::kMED,
        {C("AL", &ind, Number(30)), C("MK", &narrowed, Number(50)), C("RS", &ind, Number(45))});
    EXPECT_FALSE(r.value);
    EXPECT_NE(r.method.find("medians of different populations cannot be combined"),
              std::string::npos)
        << r.method;
    EXPECT_EQ(r.included, (Included{"AL", "RS"}));
    EXPECT_EQ(r.left_out, (LeftOut{{"MK", "definition narrowed nationally: only adults"}}));
}

TEST(CompareCountries, YnAndYnpCountCountriesAnsweringYes) {
    auto yn = Identical(ValueKind::kYN);
    auto r = CompareCountries("LF.4", "value", ValueKind::kYN,
                              {C("AL", &yn, Ans(Answer::kYes)), C("BA", &yn, Ans(Answer::kNo)),
                               C("ME", &yn, Ans(Answer::kYes))});
    EXPECT_EQ(*r.value, 2);
    EXPECT_EQ(r.method, "countries answering yes (2 of 3)");

    auto ynp = Identical(ValueKind::kYNP);
    r = CompareCountries("LF.1", "value", ValueKind::kYNP,
                         {C("AL", &ynp, Ans(Answer::kYes)), C("BA", &ynp, Ans(Answer::kPartial)),
                          C("ME", &ynp, Ans(Answer::kNo))});
    EXPECT_EQ(*r.value, 1);
    EXPECT_EQ(r.method, "countries answering yes (1 of 3)");
    EXPECT_EQ(r.included, (Included{"AL", "BA", "ME"}));
}

TEST(CompareCountries, Sc3IsTheMeanScore) {
    auto ind = Identical(ValueKind::kSC3);
    auto r = CompareCountries("IC.1", "value", ValueKind::kSC3,
                              {C("AL", &ind, Score(1)), C("BA", &ind, Score(2)),
                               C("ME", &ind, Score(3)), C("RS", &ind, Score(1))});
    EXPECT_DOUBLE_EQ(*r.value, 7.0 / 4);
    EXPECT_EQ(r.method, "mean of scores");
}

TEST(CompareCountries, RenamedAndExtraDisaggregationAreComparable) {
    auto identical = Identical(ValueKind::kNUM);
    auto renamed =
        Adapted(ValueKind::kNUM,
                {Dev(DeviationType::kRedefined, "national term", RedefinitionScope::kRenamed)});
    auto extra = Identical(ValueKind::kNUM);
    extra.deviations = {Dev(DeviationType::kExtraDisaggregation, "entity breakdown")};
    auto both =
        Adapted(ValueKind::kNUM,
                {Dev(DeviationType::kRedefined, "national term", RedefinitionScope::kRenamed),
                 Dev(DeviationType::kExtraDisaggregation, "by municipality")});
    auto r = CompareCountries("ID.2", "value", ValueKind::kNUM,
                              {C("AL", &identical, Number(1)), C("BA", &renamed, Number(2)),
                               C("ME", &extra, Number(4)), C("RS", &both, Number(8))});
    EXPECT_EQ(*r.value, 15);
    EXPECT_EQ(r.included, (Included{"AL", "BA", "ME", "RS"}));
    EXPECT_TRUE(r.left_out.empty());
}

TEST(CompareCountries, LeftOutCountriesCarryTheirReason) {
    auto identical = Identical(ValueKind::kNUM);
    auto narrowed = Adapted(
        ValueKind::kNUM,
        {Dev(DeviationType::kRedefined, "national term", RedefinitionScope::kRenamed),
         Dev(DeviationType::kRedefined, "sexual exploitation only", RedefinitionScope::kNarrowed)});
    auto broadened = Adapted(ValueKind::kNUM, {Dev(DeviationType::kRedefined, "includes smuggling",
                                                   RedefinitionScope::kBroadened)});
    auto na = Identical(ValueKind::kNUM);
    na.comparability = Comparability::kNotApplicable;
    na.deviations = {Dev(DeviationType::kNotApplicable, "no identification body")};
    auto national = Identical(ValueKind::kNUM);
    national.comparability = Comparability::kNationalOnly;
    national.deviations = {Dev(DeviationType::kNationalIndicator, "national addition")};
    CountryInput no_response = C("XK", &identical, std::nullopt);
    no_response.value = Status("ID.2", ValueStatus::kNoResponse);
    auto other_measure = Ind("ID.2", {kO}, {M("count", ValueKind::kNUM)});

    auto r = CompareCountries(
        "ID.2", "value", ValueKind::kNUM,
        {C("AL", &identical, Number(3)), C("BA", &narrowed, Number(5)),
         C("ME", &broadened, Number(7)), C("MK", &na, Number(1)), C("RS", &national, Number(2)),
         C("HR", nullptr, Number(4)), C("GR", &identical, std::nullopt), no_response,
         C("SI", &other_measure, Number(6))});
    EXPECT_EQ(*r.value, 3);
    EXPECT_EQ(r.included, Included{"AL"});
    EXPECT_EQ(r.left_out,
              (LeftOut{{"BA", "definition narrowed nationally: sexual exploitation only"},
                       {"ME", "definition broadened nationally: includes smuggling"},
                       {"MK", "not applicable: no identification body"},
                       {"RS", "national-only indicator"},
                       {"HR", "indicator not in the country's framework"},
                       {"GR", "no value"},
                       {"XK", "no value (status no_response)"},
                       {"SI", "no measure value"}}));
}

TEST(CompareCountries, NoComparableCountryGivesNoValue) {
    auto na = Identical(ValueKind::kYN);
    na.comparability = Comparability::kNotApplicable;
    auto r = CompareCountries("LF.4", "value", ValueKind::kYN,
                              {C("AL", &na, Ans(Answer::kYes)), C("BA", nullptr, std::nullopt)});
    EXPECT_FALSE(r.value);
    EXPECT_TRUE(r.included.empty());
    EXPECT_EQ(r.left_out.size(), 2u);
    EXPECT_EQ(r.left_out[0].second, "not applicable");

    auto ind = Identical(ValueKind::kPCT);
    r = CompareCountries("ID.6", "value", ValueKind::kPCT, {});
    EXPECT_FALSE(r.value);
    r = CompareCountries("ID.6", "value", ValueKind::kPCT, {C("AL", &ind, Ratio(0, 0))});
    EXPECT_FALSE(r.value);  // denominators sum to 0
    EXPECT_EQ(r.included, Included{"AL"});
}

}  // namespace
}  // namespace rap::monitoring
