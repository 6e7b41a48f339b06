// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/result.hpp"

#include <gtest/gtest.h>

#include "core/diagnostics.hpp"

namespace rap {
namespace {

Result<int> Half(int x) {
    if (x % 2 != 0) {
        return Fail(Errc::kInvalidArgument, "odd");
    }
    return x / 2;
}

Result<int> Quarter(int x) {
    const int half = RAP_TRY(Half(x));
    return RAP_TRY(Half(half));
}

TEST(Result, TryPropagatesTheFirstError) {
    EXPECT_EQ(*Quarter(8), 2);
    auto r = Quarter(6);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message, "odd");
}

TEST(Error, ToStringWithLineAndColumn) {
    Error e{Errc::kInvalidArgument, "bad", Location{.file = "a.yaml", .line = 3, .column = 7}};
    EXPECT_EQ(e.ToString(), "a.yaml:3:7: bad");
}

TEST(Error, ToStringWithSheetRowAndColumnName) {
    Error e{Errc::kInvalidArgument, "not a code",
            Location{.file = "cases.xlsx", .sheet = "victims", .row = 12, .field = "sex"}};
    EXPECT_EQ(e.ToString(), "cases.xlsx, sheet victims, row 12, column sex: not a code");
}

TEST(Error, ToStringWithoutLocationIsTheMessage) {
    EXPECT_EQ((Error{Errc::kNotFound, "gone", {}}).ToString(), "gone");
    // A field alone is for the API; the message already names it.
    EXPECT_EQ((Error{Errc::kInvalidArgument, "request R1: sent: in the future",
                     Location{.field = "sent"}})
                  .ToString(),
              "request R1: sent: in the future");
}

TEST(Errc, ExitCodesSeparateBadInputFromFailure) {
    EXPECT_EQ(ExitCode(Errc::kInvalidArgument), 2);
    EXPECT_EQ(ExitCode(Errc::kNotFound), 2);
    EXPECT_EQ(ExitCode(Errc::kUnavailable), 1);
    EXPECT_EQ(ExitCode(Errc::kInternal), 1);
    EXPECT_EQ(ErrcName(Errc::kFailedPrecondition), "failed_precondition");
}

TEST(Diagnostics, SummaryCountsTheRest) {
    core::Diagnostics d;
    d.Add(Errc::kInvalidArgument, "first", Location{.file = "f", .line = 1, .column = 2});
    d.Add(Errc::kInvalidArgument, "second", Location{.file = "f", .line = 5, .column = 1});
    d.Add(Errc::kInvalidArgument, "third", Location{.file = "f", .line = 9, .column = 1});
    EXPECT_EQ(d.Summary().ToString(), "f:1:2: first (and 2 more errors)");
    EXPECT_EQ(d.ToString(), "f:1:2: first\nf:5:1: second\nf:9:1: third\n");
}

TEST(Diagnostics, StopsCollectingAtTheLimitButKeepsCounting) {
    core::Diagnostics d(2);
    for (int i = 0; i < 5; ++i) {
        d.Add(Errc::kInvalidArgument, "x", {});
    }
    EXPECT_EQ(d.errors().size(), 2U);
    EXPECT_EQ(d.size(), 5U);
    EXPECT_NE(d.ToString().find("3 more errors not shown"), std::string::npos);
}

}  // namespace
}  // namespace rap
