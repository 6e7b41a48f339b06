// SPDX-License-Identifier: AGPL-3.0-or-later
// Year-on-year checks: each rule raises a flag when it should and stays quiet when the change is
// small, rests on too few records, or is not comparable. Figures are synthetic.
#include "monitoring/quality.hpp"

#include <gtest/gtest.h>

namespace rap::monitoring {
namespace {

using framework::ValueKind;

ValueVersion V(const std::string& indicator, Figure f, Track track = Track::kOfficial,
               Disaggregation by = {}) {
    ValueVersion v;
    v.key = {indicator, "value", std::move(by), track};
    v.figure = std::move(f);
    return v;
}
Figure Num(double n, ValueKind kind = ValueKind::kNUM) {
    Figure f;
    f.kind = kind;
    f.number = n;
    return f;
}
Figure Share(double num, double den) {
    Figure f;
    f.kind = ValueKind::kPCT;
    f.numerator = num;
    f.denominator = den;
    f.number = 100 * num / den;
    return f;
}
Figure Answered(Answer a) {
    Figure f;
    f.kind = ValueKind::kYNP;
    f.answer = a;
    return f;
}
Figure Scored(int s) {
    Figure f;
    f.kind = ValueKind::kSC3;
    f.score = s;
    f.justification = "synthetic";
    return f;
}
ValueVersion Without(const std::string& indicator, ValueStatus status,
                     Track track = Track::kOfficial) {
    ValueVersion v;
    v.key = {indicator, "value", {}, track};
    v.status = status;
    return v;
}

std::vector<std::string> Why(const std::vector<ValueVersion>& before,
                             const std::vector<ValueVersion>& now) {
    std::vector<std::string> out;
    for (const auto& f : CompareWithPreviousYear(before, now)) {
        out.push_back(f.current.key.indicator + " " + std::string(Name(f.check)) + ": " + f.why);
    }
    return out;
}

TEST(YearOnYear, CountsThatJumpByAFactorOfThree) {
    EXPECT_EQ(Why({V("ID.1", Num(40))}, {V("ID.1", Num(400))}),
              std::vector<std::string>{"ID.1 jump: rose from 40 to 400 (x10.0)"});
    EXPECT_EQ(Why({V("ID.1", Num(120))}, {V("ID.1", Num(12))}),
              std::vector<std::string>{"ID.1 jump: fell from 120 to 12 (/10.0)"});
    EXPECT_EQ(Why({V("ID.1", Num(0))}, {V("ID.1", Num(15))}),
              std::vector<std::string>{"ID.1 jump: rose from 0 to 15"});
    // Below the factor, or small on both sides: quiet.
    EXPECT_TRUE(Why({V("ID.1", Num(40))}, {V("ID.1", Num(110))}).empty());
    EXPECT_TRUE(Why({V("ID.1", Num(2))}, {V("ID.1", Num(9))}).empty());
    EXPECT_TRUE(Why({V("ID.1", Num(0))}, {V("ID.1", Num(0))}).empty());
    // Amounts compare in euros; rates by the cases behind them.
    EXPECT_EQ(Why({V("IC.5", Num(100000, ValueKind::kAMT))},
                  {V("IC.5", Num(1000000, ValueKind::kAMT))}),
              std::vector<std::string>{"IC.5 jump: rose from 100000 to 1000000 (x10.0)"});
    Figure rate_before = Num(0.5, ValueKind::kRATE);
    rate_before.numerator = 35;
    Figure rate_now = Num(0.1, ValueKind::kRATE);
    rate_now.numerator = 7;
    EXPECT_EQ(Why({V("ID.3", rate_before)}, {V("ID.3", rate_now)}),
              std::vector<std::string>{
                  "ID.3 jump: fell from 35 to 7 (cases behind the rate) (/5.0)"});
}

TEST(YearOnYear, SharesThatMoveByTwentyFivePointsOnEnoughRecords) {
    EXPECT_EQ(Why({V("JS.5", Share(20, 100))}, {V("JS.5", Share(60, 100))}),
              std::vector<std::string>{"JS.5 jump: rose from 20.0% to 60.0% (+40.0 points)"});
    EXPECT_TRUE(Why({V("JS.5", Share(20, 100))}, {V("JS.5", Share(40, 100))}).empty());
    // A share given without its counts does not say how many records it rests on: quiet.
    EXPECT_TRUE(Why({V("JS.5", Num(20, ValueKind::kPCT))}, {V("JS.5", Num(70, ValueKind::kPCT))})
                    .empty());
    // 0 of 1 to 1 of 1 is a move of 100 points on one record: quiet.
    EXPECT_TRUE(Why({V("JS.5", Share(0, 1))}, {V("JS.5", Share(1, 1))}).empty());
    Figure median_before = Num(30, ValueKind::kMED);
    median_before.n = 3;
    Figure median_now = Num(300, ValueKind::kMED);
    median_now.n = 40;
    EXPECT_TRUE(Why({V("DP.7", median_before)}, {V("DP.7", median_now)}).empty());
    median_before.n = 12;
    EXPECT_EQ(Why({V("DP.7", median_before)}, {V("DP.7", median_now)}).size(), 1U);
}

TEST(YearOnYear, AnswersScoresAndLostFigures) {
    EXPECT_EQ(Why({V("LF.4", Answered(Answer::kYes))}, {V("LF.4", Answered(Answer::kPartial))}),
              std::vector<std::string>{"LF.4 answer_changed: answer changed from yes to partial"});
    EXPECT_TRUE(Why({V("LF.4", Answered(Answer::kYes))}, {V("LF.4", Answered(Answer::kYes))})
                    .empty());
    EXPECT_EQ(Why({V("IC.1", Scored(1))}, {V("IC.1", Scored(3))}),
              std::vector<std::string>{"IC.1 score_moved: score moved from 1 to 3"});
    EXPECT_TRUE(Why({V("IC.1", Scored(1))}, {V("IC.1", Scored(2))}).empty());
    EXPECT_EQ(Why({V("IC.7", Num(673))}, {Without("IC.7", ValueStatus::kRefused)}),
              std::vector<std::string>{
                  "IC.7 figure_lost: had a figure the year before; now refused"});
    // Not applicable any more is a decision, not a lost figure; no figure either year is quiet.
    EXPECT_TRUE(Why({V("IC.7", Num(673))}, {Without("IC.7", ValueStatus::kNotApplicable)}).empty());
    EXPECT_TRUE(Why({Without("IC.7", ValueStatus::kRefused)}, {V("IC.7", Num(5))}).empty());
}

TEST(YearOnYear, OnlyTheSameKeyOfAComparableKindIsCompared) {
    // Another track, another breakdown, a value new this year: nothing to compare with.
    EXPECT_TRUE(Why({V("ID.1", Num(40), Track::kCso)}, {V("ID.1", Num(400))}).empty());
    EXPECT_TRUE(Why({V("ID.1", Num(40), Track::kOfficial, {{"SEX", "F"}})},
                    {V("ID.1", Num(400), Track::kOfficial, {{"SEX", "M"}})})
                    .empty());
    EXPECT_TRUE(Why({}, {V("ID.1", Num(400))}).empty());
    // A measure whose kind changed (a redefinition) is not compared.
    EXPECT_TRUE(Why({V("ID.1", Num(40))}, {V("ID.1", Share(40, 100))}).empty());
    // Derived values: totals are compared, breakdowns and hidden small cells are not.
    EXPECT_EQ(Why({V("ID.1", Num(40), Track::kDerived)}, {V("ID.1", Num(400), Track::kDerived)})
                  .size(),
              1U);
    EXPECT_TRUE(Why({V("ID.1", Num(40), Track::kDerived, {{"SEX", "F"}})},
                    {V("ID.1", Num(400), Track::kDerived, {{"SEX", "F"}})})
                    .empty());
    EXPECT_TRUE(
        Why({V("ID.1", Num(40), Track::kDerived)}, {Without("ID.1", ValueStatus::kNotCollected,
                                                            Track::kDerived)})
            .empty());
}

}  // namespace
}  // namespace rap::monitoring
