// SPDX-License-Identifier: AGPL-3.0-or-later
// The monitoring cycle through its use cases (app/monitoring.hpp) on a real SQLite store with the
// shipped frameworks: typed values and the errors for values that do not fit, the review workflow
// and its locks, versions, the per-cycle template round trip, the audit log. Names of people are
// synthetic.
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "app/catalog.hpp"
#include "app/monitoring.hpp"
#include "app/setup.hpp"
#include "core/files.hpp"
#include "io/table.hpp"

#include "support/backends.hpp"

namespace rap::app {
namespace {

namespace mon = monitoring;

// On SQLite always, and on PostgreSQL when the test run has a server.
class MonitoringTest : public ::testing::TestWithParam<store::Backend> {
protected:
    void SetUp() override {
        if (GetParam() == store::Backend::kPostgres) {
            ASSERT_FALSE(testing::PostgresAdminUrl().empty())
                << "RAP_TEST_REQUIRE_PG is set but RAP_TEST_PG_URL is not";
            pg_ = std::make_unique<testing::PostgresDatabase>();
            target_ = store::Target::Parse(pg_->url());
        } else {
            target_ = store::Target::Parse(dir_.File("m.db"));
        }
        auto opened = store::Store::Open(target_);
        ASSERT_TRUE(opened) << opened.error().ToString();
        store_ = std::move(*opened);
        core::Diagnostics diags;
        ASSERT_TRUE(InitDatabase(*store_, InitOptions{}, diags)) << diags.ToString();
        auto catalog = Catalog::Load(*store_);
        ASSERT_TRUE(catalog) << catalog.error().ToString();
        catalog_ = *catalog;
        mon::Institution moi{"moi", "RS", "Ministry of Interior (synthetic)", "MoI", "", ""};
        ASSERT_TRUE(SaveInstitution(*store_, *catalog_, "Analyst A", moi, ""));
        auto cycle = OpenCycle(*store_, *catalog_, "Analyst A", "RS", 2025, std::nullopt);
        ASSERT_TRUE(cycle) << cycle.error().ToString();
    }

    static ValueInput Value(const std::string& indicator, const std::string& measure,
                            mon::Figure figure, mon::Track track = mon::Track::kCso) {
        ValueInput in;
        in.key = {indicator, measure, {}, track};
        in.figure = std::move(figure);
        return in;
    }
    static mon::Figure Answer(mon::Answer a) {
        mon::Figure f;
        f.answer = a;
        return f;
    }
    static mon::Figure Count(double n) {
        mon::Figure f;
        f.number = n;
        return f;
    }
    static mon::Figure Share(double num, double den) {
        mon::Figure f;
        f.numerator = num;
        f.denominator = den;
        return f;
    }

    // A request of RS-2025 to the Ministry of Interior for ID.1 (by `dimension`; none if empty).
    static mon::InfoRequest MoiRequest(const std::string& dimension = "SEX") {
        mon::InfoRequest r;
        r.cycle = "RS-2025";
        r.institution = "moi";
        r.items = {{"ID.1", dimension, "2025", mon::ItemOutcome::kPending}};
        return r;
    }

    // RS-2025 published with one value, entered, submitted and validated.
    void PublishWithOneValue() {
        ASSERT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kYes))));
        ASSERT_TRUE(MoveValues(*store_, *catalog_, "Analyst A", "RS-2025",
                               mon::Transition::kSubmit, {}, ""));
        ASSERT_TRUE(MoveValues(*store_, *catalog_, "Reviewer B", "RS-2025",
                               mon::Transition::kValidate, {}, ""));
        ASSERT_TRUE(PublishCycle(*store_, *catalog_, "Coordinator C", "RS-2025"));
    }

    Result<std::vector<mon::ValueVersion>> Enter(const ValueInput& in,
                                                 const std::string& actor = "Analyst A") {
        return EnterValues(*store_, *catalog_, actor, "RS-2025", {in});
    }
    long long Events() { return *store_->CountRows("monitoring_events"); }

    // Runs SQL behind the store's back, with the backend's own client.
    testing::CommandResult Sql(const std::string& query) {
        return testing::RunShell(
            GetParam() == store::Backend::kSqlite
                ? "sqlite3 -batch '" + target_.location + "' \"" + query + "\""
                : "psql -qAt '" + target_.location + "' -c \"" + query + "\"");
    }
    void Reopen() {
        store_.reset();
        auto opened = store::Store::Open(target_);
        ASSERT_TRUE(opened) << opened.error().ToString();
        store_ = std::move(*opened);
    }

    testing::TempDir dir_;
    std::unique_ptr<testing::PostgresDatabase> pg_;
    store::Target target_;
    std::unique_ptr<store::Store> store_;
    std::shared_ptr<const Catalog> catalog_;
};

TEST_P(MonitoringTest, OpensACyclePinnedToTheFrameworkVersions) {
    auto c = GetCycle(*store_, *catalog_, "RS-2025");
    ASSERT_TRUE(c) << c.error().ToString();
    EXPECT_EQ(c->cycle.framework_id, "rs");
    EXPECT_EQ(c->cycle.core_id, "regional-core");
    EXPECT_FALSE(c->cycle.framework_version.empty());
    EXPECT_EQ(c->cycle.state, mon::CycleState::kOpen);
    auto again = OpenCycle(*store_, *catalog_, "Analyst A", "RS", 2025, std::nullopt);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::kAlreadyExists);
    auto bad = OpenCycle(*store_, *catalog_, "Analyst A", "XX", 2025, std::nullopt);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("unknown country"), std::string::npos);
    auto missing_from = OpenCycle(*store_, *catalog_, "Analyst A", "RS", 2026, 2019);
    ASSERT_FALSE(missing_from);
    EXPECT_EQ(missing_from.error().code, Errc::kNotFound);
}

// The line of a CSV template that starts with a key, e.g. "RS-2025,IC.7,value,".
std::string TemplateLine(const std::string& text, const std::string& start, std::string track) {
    for (size_t at = text.find(start); at != std::string::npos; at = text.find(start, at + 1)) {
        const std::string line = text.substr(at, text.find("\r\n", at) - at);
        if (line.find("," + track + ",") != std::string::npos) {
            return line;
        }
    }
    return {};
}

TEST_P(MonitoringTest, ValuesAreTypedByTheirIndicatorsKind) {
    ASSERT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kYes))));
    auto partial_yn = Enter(Value("LF.4", "value", Answer(mon::Answer::kPartial)));
    ASSERT_FALSE(partial_yn);
    EXPECT_NE(partial_yn.error().message.find("partial is only for YNP"), std::string::npos);

    mon::Figure sc3;
    sc3.score = 2;
    auto no_justification = Enter(Value("LF.8", "value", sc3));
    ASSERT_FALSE(no_justification);
    EXPECT_NE(no_justification.error().message.find("justification"), std::string::npos);
    sc3.justification = "Synthetic: action plan adopted but not costed.";
    ASSERT_TRUE(Enter(Value("LF.8", "value", sc3)));

    auto wrong_kind = Enter(Value("IC.7", "value", Answer(mon::Answer::kYes)));
    ASSERT_FALSE(wrong_kind);
    EXPECT_NE(wrong_kind.error().message.find("NUM value has no answer"), std::string::npos);

    auto fraction = Enter(Value("IC.7", "value", Count(2.5)));
    ASSERT_FALSE(fraction);
    EXPECT_NE(fraction.error().message.find("whole number"), std::string::npos);

    auto stored = Enter(Value("IC.5", "executed_share", Share(45, 60)));
    ASSERT_TRUE(stored) << stored.error().ToString();
    EXPECT_DOUBLE_EQ(*stored->front().figure->number, 75.0);

    auto above = Enter(Value("IC.5", "executed_share", Share(61, 60)));
    ASSERT_FALSE(above);
    EXPECT_EQ(above.error().code, Errc::kInvalidArgument);
    EXPECT_NE(above.error().message.find("numerator 61 is above its denominator 60"),
              std::string::npos);

    mon::Figure pct;
    pct.number = 120;
    auto over_100 = Enter(Value("IC.5", "executed_share", pct));
    ASSERT_FALSE(over_100);
    EXPECT_NE(over_100.error().message.find("between 0 and 100, not 120"), std::string::npos);

    mon::Figure amount;
    amount.amount = 1173000;
    amount.currency = "RSD";
    auto amt = Enter(Value("IC.5", "allocated", amount, mon::Track::kOfficial));
    ASSERT_TRUE(amt) << amt.error().ToString();
    const auto& f = *amt->front().figure;
    ASSERT_TRUE(f.eur_rate);
    EXPECT_NEAR(*f.number, 1173000 / *f.eur_rate, 1e-6);
    amount.currency = "USD";
    auto usd = Enter(Value("IC.5", "allocated", amount, mon::Track::kOfficial));
    ASSERT_FALSE(usd);
    EXPECT_NE(usd.error().message.find("in RSD or EUR"), std::string::npos);
    // RSD and EUR differ a hundredfold: an amount without its currency is not guessed.
    amount.currency.clear();
    auto bare = Enter(Value("IC.5", "allocated", amount, mon::Track::kOfficial));
    ASSERT_FALSE(bare);
    EXPECT_NE(bare.error().message.find("needs its currency: RSD or EUR"), std::string::npos)
        << bare.error().message;
    // Figures too large to be kept exactly.
    auto huge = Enter(Value("IC.7", "value", Count(1.7e308)));
    ASSERT_FALSE(huge);
    EXPECT_NE(huge.error().message.find("is too large"), std::string::npos)
        << huge.error().message;
    auto huge_denominator = Enter(Value("IC.5", "executed_share", Share(1, 1e13)));
    ASSERT_FALSE(huge_denominator);
    EXPECT_NE(huge_denominator.error().message.find("the denominator 10000000000000 is too large"),
              std::string::npos)
        << huge_denominator.error().message;
}

TEST_P(MonitoringTest, FiguresRapporteurDerivesFromItsRegistersAreNotTyped) {
    const long long before = Events();
    // DP.5 comes from the information-request register, IC.8 from recommendation follow-up.
    for (const char* code : {"DP.5", "IC.8"}) {
        auto typed = Enter(Value(code, "value", Share(1, 2), mon::Track::kCso));
        ASSERT_FALSE(typed) << code;
        EXPECT_EQ(typed.error().code, Errc::kInvalidArgument);
        EXPECT_NE(typed.error().message.find("so its CSO figure is never typed"),
                  std::string::npos)
            << typed.error().message;
    }
    EXPECT_EQ(Events(), before);
    // The state's own figure may stand beside the derived one.
    auto official = Enter(Value("DP.5", "value", Share(40, 50), mon::Track::kOfficial));
    EXPECT_TRUE(official) << official.error().ToString();
    // A derived value has no history or evidence of its own; saying so beats "no value".
    const mon::ValueKey derived{"DP.5", "value", {}, mon::Track::kDerived};
    auto history = GetValueHistory(*store_, *catalog_, "RS-2025", derived);
    ASSERT_FALSE(history);
    EXPECT_EQ(history.error().code, Errc::kInvalidArgument);
    EXPECT_NE(history.error().message.find("a derived value has no versions"), std::string::npos)
        << history.error().message;
    mon::Evidence ev;
    ev.title = "Synthetic reply";
    auto evidence = AddEvidence(*store_, *catalog_, "Analyst A", "RS-2025", derived, ev, "");
    ASSERT_FALSE(evidence);
    EXPECT_NE(evidence.error().message.find("a derived value takes no evidence"),
              std::string::npos)
        << evidence.error().message;
    // Nor does the template offer a CSO row for them, or take one.
    auto files = ExportCycleTemplate(*store_, *catalog_, "RS-2025", TableFormat::kCsv,
                                     dir_.File("t"));
    ASSERT_TRUE(files) << files.error().ToString();
    const std::string text = testing::ReadText(files->front());
    EXPECT_EQ(TemplateLine(text, "RS-2025,IC.8,value,", "cso"), "");
    const std::string ic8 = TemplateLine(text, "RS-2025,IC.8,value,", "official");
    ASSERT_FALSE(ic8.empty()) << text;
    const std::string typed = testing::Replace(
        testing::Replace(ic8, ",official,", ",cso,"), ",cso,,,", ",cso,,provided,");
    testing::WriteFile(dir_.File("ic8.csv"), text + typed + "\r\n");
    core::Diagnostics diags;
    ASSERT_FALSE(ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                   dir_.File("ic8.csv"), true, diags));
    EXPECT_NE(diags.ToString().find("column track: IC.8/value cso: rapporteur derives IC.8 from "
                                    "the recommendations' follow-up"),
              std::string::npos)
        << diags.ToString();
}

TEST_P(MonitoringTest, StatusDecidesWhetherAFigureIsNeeded) {
    ValueInput refused;
    refused.key = {"IC.7", "value", {}, mon::Track::kOfficial};
    refused.status = mon::ValueStatus::kRefused;
    ASSERT_TRUE(Enter(refused));
    refused.figure = Count(3);
    auto with_figure = Enter(refused);
    ASSERT_FALSE(with_figure);
    EXPECT_NE(with_figure.error().message.find("carries no figure"), std::string::npos);
    ValueInput zero = Value("IC.7", "value", Count(4));
    zero.status = mon::ValueStatus::kTrueZero;
    auto not_zero = Enter(zero);
    ASSERT_FALSE(not_zero);
    EXPECT_NE(not_zero.error().message.find("true_zero"), std::string::npos);
}

TEST_P(MonitoringTest, TypedTextsAreTextOnly) {
    const long long before = Events();
    ValueInput escape = Value("IC.7", "value", Count(3));
    escape.note = "Synthetic \x1b[2J\x07 note";
    auto refused = Enter(escape);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::kInvalidArgument);
    EXPECT_NE(refused.error().message.find("note: the text holds the control character U+001B"),
              std::string::npos)
        << refused.error().message;
    ValueInput long_note = Value("IC.7", "value", Count(3));
    long_note.note = std::string(40000, 'N');
    auto too_long = Enter(long_note);
    ASSERT_FALSE(too_long);
    EXPECT_NE(too_long.error().message.find("40000 characters long; at most 32767"),
              std::string::npos)
        << too_long.error().message;
    EXPECT_EQ(Events(), before);
    ValueInput lines = Value("IC.7", "value", Count(3));
    lines.note = "Synthetic: first line\r\n\tsecond line";
    EXPECT_TRUE(Enter(lines));
}

TEST_P(MonitoringTest, APartIsNeverMoreThanTheWhole) {
    // IC.7 has no declared rule: the check holds for every count.
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(57))));
    ValueInput part = Value("IC.7", "value", Count(500));
    part.key.disaggregation = {{"SEX", "F"}};
    auto above = Enter(part);
    ASSERT_FALSE(above);
    EXPECT_NE(above.error().message.find("IC.7/value (cso, SEX=F) = 500 is more than the total "
                                         "57: a part is never more than the whole"),
              std::string::npos)
        << above.error().message;
    part.figure = Count(40);
    ASSERT_TRUE(Enter(part));
    // Lowering the total below a part is refused too; the other track is another whole.
    auto lower = Enter(Value("IC.7", "value", Count(30)));
    ASSERT_FALSE(lower);
    EXPECT_NE(lower.error().message.find("= 40 is more than the total 30"), std::string::npos)
        << lower.error().message;
    EXPECT_TRUE(Enter(Value("IC.7", "value", Count(30), mon::Track::kOfficial)));
}

TEST_P(MonitoringTest, DisaggregationsAndApplicabilityAreChecked) {
    ValueInput in = Value("IC.7", "value", Count(10));
    in.key.disaggregation = {{"SEX", "Q"}};
    auto bad_code = Enter(in);
    ASSERT_FALSE(bad_code);
    EXPECT_NE(bad_code.error().message.find("SEX=Q: not a code of SEX"), std::string::npos);
    in.key.disaggregation = {{"FORM", "labour"}};
    auto bad_dim = Enter(in);
    ASSERT_FALSE(bad_dim);
    EXPECT_NE(bad_dim.error().message.find("not broken down by FORM"), std::string::npos);
    in.key.disaggregation = {{"SEX", "F"}};
    EXPECT_TRUE(Enter(in));

    // AL declares ID.4 not applicable.
    ASSERT_TRUE(OpenCycle(*store_, *catalog_, "Analyst A", "AL", 2025, std::nullopt));
    const long long before = Events();
    auto na = EnterValues(*store_, *catalog_, "Analyst A", "AL-2025",
                          {Value("ID.4", "value", Share(1, 2))});
    ASSERT_FALSE(na);
    EXPECT_NE(na.error().message.find("not applicable in AL"), std::string::npos);
    EXPECT_EQ(Events(), before);

    auto unknown = Enter(Value("ZZ.9", "value", Count(1)));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, Errc::kNotFound);
}

TEST_P(MonitoringTest, ReviewNeedsAnotherPersonAndLocksValidatedValues) {
    ASSERT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kYes))));
    ASSERT_TRUE(MoveValues(*store_, *catalog_, "Analyst A", "RS-2025", mon::Transition::kSubmit,
                           {}, ""));
    auto own = MoveValues(*store_, *catalog_, "Analyst A", "RS-2025",
                          mon::Transition::kValidate, {}, "");
    ASSERT_FALSE(own);
    EXPECT_EQ(own.error().code, Errc::kPermissionDenied);
    EXPECT_NE(own.error().message.find("not its author"), std::string::npos);

    auto no_comment = MoveValues(*store_, *catalog_, "Reviewer B", "RS-2025",
                                 mon::Transition::kReturn, {}, " ");
    ASSERT_FALSE(no_comment);
    EXPECT_EQ(no_comment.error().code, Errc::kInvalidArgument);
    ASSERT_TRUE(MoveValues(*store_, *catalog_, "Reviewer B", "RS-2025", mon::Transition::kReturn,
                           {}, "Cite the article of the Criminal Code."));
    // A returned value goes back corrected or answered, never just resent: by filter it is left
    // out, by name it needs a comment.
    auto resent = MoveValues(*store_, *catalog_, "Analyst A", "RS-2025", mon::Transition::kSubmit,
                             {}, "");
    ASSERT_FALSE(resent);
    EXPECT_EQ(resent.error().code, Errc::kFailedPrecondition);
    EXPECT_NE(resent.error().message.find("1 value that could be submitted was returned"),
              std::string::npos)
        << resent.error().message;
    ValueSelection lf4;
    lf4.keys = {{"LF.4", "value", {}, mon::Track::kCso}};
    auto unanswered =
        MoveValues(*store_, *catalog_, "Analyst A", "RS-2025", mon::Transition::kSubmit, lf4, "");
    ASSERT_FALSE(unanswered);
    EXPECT_EQ(unanswered.error().code, Errc::kFailedPrecondition);
    EXPECT_NE(unanswered.error().message.find("returned: Cite the article"), std::string::npos)
        << unanswered.error().message;
    auto answered = MoveValues(*store_, *catalog_, "Analyst A", "RS-2025",
                               mon::Transition::kSubmit, lf4, "Article 388, see the evidence.");
    ASSERT_TRUE(answered) << answered.error().ToString();
    EXPECT_EQ(answered->moved, 1);
    // Another spelling of the author's name is still the author.
    for (const char* alias : {"ANALYST A", "Analyst\u00a0A", "Analyst  A ", "Analyst A\u200b"}) {
        auto self = MoveValues(*store_, *catalog_, alias, "RS-2025", mon::Transition::kValidate,
                               lf4, "");
        ASSERT_FALSE(self) << alias;
        EXPECT_EQ(self.error().code, Errc::kPermissionDenied) << alias;
    }
    auto validated = MoveValues(*store_, *catalog_, "Reviewer B", "RS-2025",
                                mon::Transition::kValidate, {}, "");
    ASSERT_TRUE(validated) << validated.error().ToString();
    EXPECT_EQ(validated->moved, 1);

    auto locked = Enter(Value("LF.4", "value", Answer(mon::Answer::kNo)));
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().code, Errc::kConflict);

    auto history = GetValueHistory(*store_, *catalog_, "RS-2025",
                                   {"LF.4", "value", {}, mon::Track::kCso});
    ASSERT_TRUE(history);
    std::vector<std::string> changes;
    for (const auto& v : history->versions) {
        changes.push_back(v.change);
    }
    EXPECT_EQ(changes, (std::vector<std::string>{"entered", "submitted",
                                                 "returned: Cite the article of the Criminal Code.",
                                                 "submitted: Article 388, see the evidence.",
                                                 "validated"}));

    ASSERT_TRUE(PublishCycle(*store_, *catalog_, "Coordinator C", "RS-2025"));
    auto after = Enter(Value("IC.7", "value", Count(3)));
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error().code, Errc::kConflict);
    auto no_reason = ReopenCycle(*store_, *catalog_, "Coordinator C", "RS-2025", "");
    ASSERT_FALSE(no_reason);
    ASSERT_TRUE(ReopenCycle(*store_, *catalog_, "Coordinator C", "RS-2025",
                            "Ministry corrected its figure"));
    ASSERT_TRUE(MoveValues(*store_, *catalog_, "Coordinator C", "RS-2025",
                           mon::Transition::kReopen, {}, "Ministry corrected its figure"));
    EXPECT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kNo))));
}

TEST_P(MonitoringTest, PublishingNeedsEveryValueValidated) {
    ASSERT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kYes))));
    auto early = PublishCycle(*store_, *catalog_, "Coordinator C", "RS-2025");
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().code, Errc::kFailedPrecondition);
    EXPECT_NE(early.error().message.find("LF.4/value cso (draft)"), std::string::npos);
}

TEST_P(MonitoringTest, ValidationRulesExplainThemselves) {
    ASSERT_TRUE(Enter(Value("ID.1", "value", Count(100), mon::Track::kOfficial)));
    const long long before = Events();
    auto broken = Enter(Value("ID.2", "value", Count(120), mon::Track::kOfficial));
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().code, Errc::kInvalidArgument);
    EXPECT_NE(broken.error().message.find("ID.2/value (official, total) = 120 is above ID.1/value "
                                          "= 100"),
              std::string::npos)
        << broken.error().message;
    EXPECT_EQ(Events(), before);
    // Together in one batch, the order does not matter.
    auto batch = EnterValues(*store_, *catalog_, "Analyst A", "RS-2025",
                             {Value("ID.2", "value", Count(90), mon::Track::kOfficial),
                              Value("ID.1", "value", Count(95), mon::Track::kOfficial)});
    EXPECT_TRUE(batch) << batch.error().ToString();

    ValueInput women = Value("ID.2", "value", Count(60), mon::Track::kOfficial);
    women.key.disaggregation = {{"SEX", "F"}};
    ValueInput men = Value("ID.2", "value", Count(40), mon::Track::kOfficial);
    men.key.disaggregation = {{"SEX", "M"}};
    auto parts = EnterValues(*store_, *catalog_, "Analyst A", "RS-2025", {women, men});
    ASSERT_FALSE(parts);
    EXPECT_NE(parts.error().message.find("the parts add up to 100, more than the total 90"),
              std::string::npos)
        << parts.error().message;
}

TEST_P(MonitoringTest, OfficialAndCsoFiguresSideBySideWithDisagreementFlagged) {
    ASSERT_TRUE(EnterValues(*store_, *catalog_, "Analyst A", "RS-2025",
                            {Value("IC.7", "value", Count(310), mon::Track::kOfficial),
                             Value("IC.7", "value", Count(180), mon::Track::kCso)}));
    auto values = ListValues(*store_, *catalog_, "RS-2025", ValueFilter{.indicator = "IC.7"});
    ASSERT_TRUE(values) << values.error().ToString();
    ASSERT_EQ(values->size(), 2U);
    for (const auto& v : *values) {
        EXPECT_FALSE(v.disagreement.empty());
    }
    EXPECT_EQ((*values)[0].disagreement, "the cso figure is 180");
}

TEST_P(MonitoringTest, TemplateRoundTripsAndImportIsAllOrNothing) {
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(12), mon::Track::kOfficial)));
    auto files = ExportCycleTemplate(*store_, *catalog_, "RS-2025", TableFormat::kCsv,
                                     dir_.File("t"));
    ASSERT_TRUE(files) << files.error().ToString();
    core::Diagnostics diags;
    auto same = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025", files->front(),
                                  false, diags);
    ASSERT_TRUE(same) << diags.ToString();
    EXPECT_EQ(same->changed, 0);
    // The extension in capitals, as some Windows tools write it, is the same format.
    testing::WriteFile(dir_.File("COPY.CSV"), testing::ReadText(files->front()));
    diags = core::Diagnostics();
    auto upper = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                   dir_.File("COPY.CSV"), true, diags);
    ASSERT_TRUE(upper) << diags.ToString();
    EXPECT_EQ(upper->changed, 0);
    diags = core::Diagnostics();
    auto other = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                   dir_.File("values.ods"), true, diags);
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().message.find("a cycle template is a .csv or .xlsx file"),
              std::string::npos);

    std::string text = testing::ReadText(files->front());
    text = testing::Replace(text, "IC.7,value,", "IC.7,value,");
    // Fill in the LF.4 cso row and change the IC.7 official figure.
    const std::string lf4 = "RS-2025,LF.4,value,";
    const size_t at = text.find(lf4);
    ASSERT_NE(at, std::string::npos);
    const size_t line_end = text.find("\r\n", at);
    std::string lf4_line = text.substr(at, line_end - at);
    ASSERT_NE(lf4_line.find(",official,,"), std::string::npos) << lf4_line;
    std::string filled = testing::Replace(lf4_line, ",official,,,", ",official,,provided,yes,");
    text.replace(at, line_end - at, filled);
    testing::WriteFile(dir_.File("filled.csv"), text);
    diags = core::Diagnostics();
    auto dry = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                 dir_.File("filled.csv"), true, diags);
    ASSERT_TRUE(dry) << diags.ToString();
    EXPECT_EQ(dry->changed, 1);
    const long long before = Events();
    diags = core::Diagnostics();
    ASSERT_TRUE(ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                  dir_.File("filled.csv"), false, diags))
        << diags.ToString();
    EXPECT_EQ(Events(), before + 1);

    // A bad row anywhere: nothing is stored, and the message names the row and column.
    std::string bad = testing::Replace(text, ",official,,provided,yes,", ",official,,provided,maybe,");
    testing::WriteFile(dir_.File("bad.csv"), bad);
    diags = core::Diagnostics();
    auto rejected = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                      dir_.File("bad.csv"), false, diags);
    ASSERT_FALSE(rejected);
    EXPECT_NE(diags.ToString().find("column answer"), std::string::npos) << diags.ToString();
    EXPECT_NE(diags.ToString().find("\"maybe\""), std::string::npos);
    EXPECT_EQ(Events(), before + 1);

    // A missing column.
    std::string no_status = testing::Replace(text, ",status,", ",");
    testing::WriteFile(dir_.File("nostatus.csv"), no_status);
    diags = core::Diagnostics();
    ASSERT_FALSE(ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                   dir_.File("nostatus.csv"), false, diags));
    EXPECT_NE(diags.ToString().find("missing column \"status\""), std::string::npos)
        << diags.ToString();
}

TEST_P(MonitoringTest, ARuleBrokenInATemplateNamesItsRows) {
    auto files = ExportCycleTemplate(*store_, *catalog_, "RS-2025", TableFormat::kCsv,
                                     dir_.File("t"));
    ASSERT_TRUE(files) << files.error().ToString();
    std::string text = testing::ReadText(files->front());
    for (const auto& [code, count] : {std::pair{"ID.1", "5"}, {"ID.2", "9"}}) {
        const std::string line = TemplateLine(text, fmt::format("RS-2025,{},value,", code),
                                              "official");
        ASSERT_NE(line.find(",official,,,"), std::string::npos) << line;
        // status, answer, score, justification, value
        text = testing::Replace(text, line,
                                testing::Replace(line, ",official,,,,,,",
                                                 fmt::format(",official,,provided,,,,{},", count)));
    }
    testing::WriteFile(dir_.File("rule.csv"), text);
    core::Diagnostics diags;
    ASSERT_FALSE(ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                   dir_.File("rule.csv"), true, diags));
    ASSERT_EQ(diags.size(), 2U) << diags.ToString();
    for (const auto& e : diags.errors()) {
        EXPECT_GT(e.where.row, 1) << e.ToString();
        EXPECT_NE(e.message.find("ID.2/value (official, total) = 9 is above ID.1/value = 5"),
                  std::string::npos)
            << e.ToString();
    }
}

TEST_P(MonitoringTest, AStaleTemplateCannotUndoANewerVersion) {
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(12), mon::Track::kOfficial)));
    auto files = ExportCycleTemplate(*store_, *catalog_, "RS-2025", TableFormat::kCsv,
                                     dir_.File("t"));
    ASSERT_TRUE(files) << files.error().ToString();
    const std::string exported = testing::ReadText(files->front());
    // After the export, someone corrects IC.7 and enters LF.4.
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(14), mon::Track::kOfficial), "Reviewer B"));
    ASSERT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kNo), mon::Track::kOfficial),
                      "Reviewer B"));
    const long long before = Events();

    // The exported file as it was: its IC.7 row would put 12 back.
    core::Diagnostics diags;
    auto stale = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025", files->front(),
                                   false, diags);
    ASSERT_FALSE(stale);
    const std::string message = diags.ToString();
    EXPECT_NE(message.find("column version"), std::string::npos) << message;
    EXPECT_NE(message.find("row 34, column version: IC.7/value official is at version 2 "
                           "(changed by Reviewer B at "),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("the file was exported at version 1"), std::string::npos) << message;
    EXPECT_EQ(Events(), before);

    // A row filled in for a value someone entered since the export.
    const std::string ic7 = TemplateLine(exported, "RS-2025,IC.7,value,", "official");
    const std::string lf4 = TemplateLine(exported, "RS-2025,LF.4,value,", "official");
    ASSERT_FALSE(ic7.empty());
    ASSERT_FALSE(lf4.empty());
    ASSERT_NE(lf4.find(",official,,,"), std::string::npos) << lf4;
    std::string text = testing::Replace(
        exported, lf4, testing::Replace(lf4, ",official,,,", ",official,,provided,yes,"));
    testing::WriteFile(dir_.File("lf4.csv"), testing::Replace(text, ic7, ""));
    diags = core::Diagnostics();
    ASSERT_FALSE(ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                   dir_.File("lf4.csv"), true, diags));
    EXPECT_NE(diags.ToString().find("exported before it had a value"), std::string::npos)
        << diags.ToString();

    // Writing the current version in the cell replaces it on purpose; a version that is not a
    // number is refused.
    ASSERT_EQ(ic7.substr(ic7.size() - 2), ",1") << ic7;
    const std::string overwrite = ic7.substr(0, ic7.size() - 1) + "2";
    testing::WriteFile(dir_.File("overwrite.csv"), testing::Replace(exported, ic7, overwrite));
    diags = core::Diagnostics();
    auto report = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                    dir_.File("overwrite.csv"), false, diags);
    ASSERT_TRUE(report) << diags.ToString();
    EXPECT_EQ(report->changed, 1);
    ASSERT_EQ(report->changes.size(), 1U);
    EXPECT_EQ(report->changes[0].key.indicator, "IC.7");
    EXPECT_EQ(Events(), before + 1);
    testing::WriteFile(dir_.File("word.csv"),
                       testing::Replace(exported, ic7,
                                        testing::Replace(ic7.substr(0, ic7.size() - 1) + "two",
                                                         ",12,", ",13,")));
    diags = core::Diagnostics();
    ASSERT_FALSE(ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                   dir_.File("word.csv"), true, diags));
    EXPECT_NE(diags.ToString().find("\"two\": expected the version number"), std::string::npos)
        << diags.ToString();
}

TEST_P(MonitoringTest, TemplateOpensAsXlsx) {
    auto files = ExportCycleTemplate(*store_, *catalog_, "RS-2025", TableFormat::kXlsx,
                                     dir_.File("x"));
    ASSERT_TRUE(files) << files.error().ToString();
    core::Diagnostics diags;
    auto report = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025", files->front(),
                                    true, diags);
    ASSERT_TRUE(report) << diags.ToString();
    EXPECT_GT(report->rows, 100);
    EXPECT_EQ(report->changed, 0);
}

TEST_P(MonitoringTest, AuditLogDetectsEditedAndDeletedEvents) {
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(12))));
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(13))));
    auto ok = store_->VerifyAuditLog();
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->problems.empty());
    EXPECT_EQ(ok->events, Events());
    auto history = GetValueHistory(*store_, *catalog_, "RS-2025",
                                   {"IC.7", "value", {}, mon::Track::kCso});
    ASSERT_TRUE(history);
    ASSERT_EQ(history->versions.size(), 2U);
    EXPECT_EQ(*history->versions[0].figure->number, 12);

    // Someone with full access to the database removes its guard, then edits and deletes.
    ASSERT_EQ(Sql(GetParam() == store::Backend::kSqlite
                      ? "DROP TRIGGER monitoring_events_no_update; "
                        "DROP TRIGGER monitoring_events_no_delete"
                      : "ALTER TABLE monitoring_events DISABLE TRIGGER USER")
                  .exit_code,
              0);
    auto edit = Sql("UPDATE monitoring_events SET payload = replace(payload, ':12', ':99') "
                    "WHERE payload LIKE '%:12%'");
    ASSERT_EQ(edit.exit_code, 0) << edit.err;
    Reopen();
    auto tampered = store_->VerifyAuditLog();
    ASSERT_TRUE(tampered);
    ASSERT_FALSE(tampered->problems.empty());
    EXPECT_NE(tampered->problems.front().find("does not match its hash (edited)"),
              std::string::npos);
    ASSERT_EQ(Sql("DELETE FROM monitoring_events WHERE seq = 2").exit_code, 0);
    Reopen();
    auto deleted = store_->VerifyAuditLog();
    ASSERT_TRUE(deleted);
    bool missing = false;
    for (const auto& p : deleted->problems) {
        missing |= p.find("event 2 is missing (deleted)") != std::string::npos;
    }
    EXPECT_TRUE(missing);
    EXPECT_FALSE(deleted->head_intact);  // a head read off a broken chain is not one to keep

    // An event made up after the last one, chained to it, under a number far ahead.
    const long long last = Events() + 1;  // one was deleted
    ASSERT_EQ(Sql(fmt::format("INSERT INTO monitoring_events (seq, at, actor, country, "
                              "event_type, payload, prev_hash, hash) SELECT {}, at, actor, "
                              "country, event_type, payload, hash, hash FROM monitoring_events "
                              "WHERE seq = {}",
                              last + 100, last))
                  .exit_code,
              0);
    Reopen();
    auto inserted = store_->VerifyAuditLog();
    ASSERT_TRUE(inserted);
    bool renumbered = false;
    for (const auto& p : inserted->problems) {
        renumbered |= p.find(fmt::format("event {} follows event {} in the chain, but its number "
                                         "skips {} to {}: it was renumbered or inserted",
                                         last + 100, last, last + 1, last + 99)) !=
                      std::string::npos;
    }
    EXPECT_TRUE(renumbered) << fmt::format("{}", fmt::join(inserted->problems, "\n"));
}

TEST_P(MonitoringTest, CarriesInstitutionsRequestsAndNarrativesOverFromLastYear) {
    mon::InfoRequest r = MoiRequest();
    // Asked for two periods this year: one item for next year's period.
    r.items.push_back({"ID.1", "SEX", "2024", mon::ItemOutcome::kPending});
    auto saved = SaveRequest(*store_, *catalog_, "Analyst A", r);
    ASSERT_TRUE(saved) << saved.error().ToString();
    EXPECT_EQ(saved->id, "RS-2025-R01");
    ASSERT_TRUE(SaveInstitution(*store_, *catalog_, "Analyst A",
                                {"ppo", "RS", "Prosecution (synthetic)", "PPO", "", ""},
                                "RS-2025"));
    ASSERT_TRUE(SaveNarrative(*store_, *catalog_, "Analyst A", "RS-2025", "summary",
                              "Synthetic summary."));
    auto next = OpenCycle(*store_, *catalog_, "Analyst A", "RS", 2026, 2025);
    ASSERT_TRUE(next) << next.error().ToString();
    EXPECT_EQ(next->cloned_from, "RS-2025");
    EXPECT_EQ(next->institutions, std::vector<std::string>{"ppo"});
    auto requests = ListRequests(*store_, *catalog_, "RS-2026", core::Date::Today());
    ASSERT_TRUE(requests);
    ASSERT_EQ(requests->size(), 1U);
    EXPECT_EQ(requests->front().request.id, "RS-2026-R01");
    EXPECT_FALSE(requests->front().request.sent);
    ASSERT_EQ(requests->front().request.items.size(), 1U);
    EXPECT_EQ(requests->front().request.items.front().period, "2026");
}

TEST_P(MonitoringTest, AStaleChangeToARequestIsRefused) {
    mon::InfoRequest r = MoiRequest("");
    auto created = SaveRequest(*store_, *catalog_, "Analyst A", r);
    ASSERT_TRUE(created) << created.error().ToString();
    EXPECT_EQ(created->version, 1);
    mon::InfoRequest mine = *created;
    mon::InfoRequest theirs = *created;
    mine.sent = core::Date::Parse("2026-01-12");
    theirs.note = "Synthetic: sent by post as well";
    auto first = SaveRequest(*store_, *catalog_, "Analyst A", mine);
    ASSERT_TRUE(first) << first.error().ToString();
    EXPECT_EQ(first->version, 2);
    auto second = SaveRequest(*store_, *catalog_, "Analyst B", theirs);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, Errc::kConflict);
    EXPECT_NE(second.error().message.find("is at version 2 (last changed by Analyst A), not 1"),
              std::string::npos)
        << second.error().message;
    auto now = GetRequest(*store_, *catalog_, created->id);
    ASSERT_TRUE(now);
    EXPECT_TRUE(now->sent);
}

TEST_P(MonitoringTest, ACycleMonitorsAYearThatHasBegun) {
    const core::Date today = core::Date::Today();
    const int next = today.year() + 1;
    // On the last day of a year the next one may already have begun in the region.
    if (today.AddDays(1).year() == today.year()) {
        auto future = OpenCycle(*store_, *catalog_, "Analyst A", "AL", next, std::nullopt);
        ASSERT_FALSE(future);
        EXPECT_EQ(future.error().code, Errc::kInvalidArgument);
        EXPECT_NE(future.error().message.find("would monitor a year that has not begun"),
                  std::string::npos)
            << future.error().message;
    }
    auto later = OpenCycle(*store_, *catalog_, "Analyst A", "AL", next + 1, std::nullopt);
    ASSERT_FALSE(later);
    EXPECT_EQ(later.error().code, Errc::kInvalidArgument);
    EXPECT_TRUE(OpenCycle(*store_, *catalog_, "Analyst A", "AL", next - 1, std::nullopt));
}

TEST_P(MonitoringTest, AnInstitutionHasATypeAndAnAddressThatLooksLikeOne) {
    mon::Institution inst{"csw", "RS", "Social work centre (synthetic)", "", "", ""};
    auto untyped = SaveInstitution(*store_, *catalog_, "Analyst A", inst, "");
    ASSERT_FALSE(untyped);
    EXPECT_EQ(untyped.error().where.field, "type");
    EXPECT_NE(untyped.error().message.find("institution csw needs a type, a code of INST: "),
              std::string::npos)
        << untyped.error().message;
    inst.type = "social_ministry";
    for (const char* bad : {"notanemail", "a@b", "@mup.example.org", "a b@mup.example.org",
                            "a@mup.example.org; b@mup.example.org", "a@mup.example."}) {
        inst.email = bad;
        auto refused = SaveInstitution(*store_, *catalog_, "Analyst A", inst, "");
        ASSERT_FALSE(refused) << bad;
        EXPECT_EQ(refused.error().where.field, "email") << bad;
    }
    inst.email = "pisarnica@csr.example.rs";
    EXPECT_TRUE(SaveInstitution(*store_, *catalog_, "Analyst A", inst, ""));
}

TEST_P(MonitoringTest, ARequestIsSentInItsYearAndComplainedAboutWithCause) {
    mon::InfoRequest r = MoiRequest("");
    r.sent = core::Date::Parse("2024-12-20");  // RS-2025 asks about 2025
    auto early = SaveRequest(*store_, *catalog_, "Analyst A", r);
    ASSERT_FALSE(early);
    EXPECT_NE(early.error().message.find("sent 2024-12-20 is before 2025, the year of cycle "
                                         "RS-2025"),
              std::string::npos)
        << early.error().message;
    // Serbia: 15 days. Sent on Monday 2026-01-12, due on Tuesday 2026-01-27.
    r.sent = core::Date::Parse("2026-01-12");
    auto sent = SaveRequest(*store_, *catalog_, "Analyst A", r);
    ASSERT_TRUE(sent) << sent.error().ToString();
    mon::InfoRequest complained = *sent;
    complained.complaints.push_back({*core::Date::Parse("2026-01-20"), {}, {}, ""});
    auto too_soon = SaveRequest(*store_, *catalog_, "Analyst A", complained);
    ASSERT_FALSE(too_soon);
    EXPECT_NE(too_soon.error().message.find("a complaint filed 2026-01-20 has nothing to "
                                            "complain about yet: no reply, and the legal "
                                            "deadline runs to 2026-01-27"),
              std::string::npos)
        << too_soon.error().message;
    complained.complaints.back().filed = *core::Date::Parse("2026-01-28");
    auto after_deadline = SaveRequest(*store_, *catalog_, "Analyst A", complained);
    ASSERT_TRUE(after_deadline) << after_deadline.error().ToString();
    // A second complaint waits for the decision on the first.
    mon::InfoRequest twice = *after_deadline;
    twice.complaints.push_back({*core::Date::Parse("2026-02-10"), {}, {}, ""});
    auto pending = SaveRequest(*store_, *catalog_, "Analyst A", twice);
    ASSERT_FALSE(pending);
    EXPECT_EQ(pending.error().code, Errc::kFailedPrecondition);
    EXPECT_NE(pending.error().message.find("the complaint filed 2026-01-28 is still pending"),
              std::string::npos)
        << pending.error().message;
    twice.complaints[0].outcome = mon::ComplaintOutcome::kUpheld;
    twice.complaints[0].decided = core::Date::Parse("2026-02-05");
    auto next = SaveRequest(*store_, *catalog_, "Analyst A", twice);
    EXPECT_TRUE(next) << next.error().ToString();
}

TEST_P(MonitoringTest, WritersOnTwoConnectionsDoNotLoseChanges) {
    // Two processes' worth of connections entering values at the same time: every change is
    // stored once, the chain stays intact.
    auto other = store::Store::Open(target_);
    ASSERT_TRUE(other) << other.error().ToString();
    std::vector<std::string> errors(2);
    auto work = [&](store::Store& s, const std::string& who, const std::string& measure_owner,
                    std::string* error) {
        for (int i = 0; i < 10; ++i) {
            ValueInput in = Value("IC.7", "value", Count(i),
                                  who == "Analyst A" ? mon::Track::kOfficial : mon::Track::kCso);
            in.key.disaggregation = {{"SEX", i % 2 == 0 ? "F" : "M"}};
            in.note = measure_owner;
            auto r = EnterValues(s, *catalog_, who, "RS-2025", {in});
            if (!r) {
                *error = r.error().ToString();
                return;
            }
        }
    };
    std::thread a(work, std::ref(*store_), "Analyst A", "a", &errors[0]);
    std::thread b(work, std::ref(**other), "Analyst B", "b", &errors[1]);
    a.join();
    b.join();
    EXPECT_EQ(errors[0], "");
    EXPECT_EQ(errors[1], "");
    auto history = GetValueHistory(*store_, *catalog_, "RS-2025",
                                   {"IC.7", "value", {{"SEX", "F"}}, mon::Track::kCso});
    ASSERT_TRUE(history) << history.error().ToString();
    EXPECT_EQ(history->versions.size(), 5U);
    auto report = store_->VerifyAuditLog();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->problems.empty());
}

TEST_P(MonitoringTest, RecommendationsAreDatedAndFollowedUpAtHome) {
    mon::Recommendation rec;
    rec.cycle = "RS-2025";
    rec.source = mon::RecommendationSource::kGreta;
    rec.text = "Synthetic recommendation: fund the shelters.";
    rec.issued = core::Date::Parse("2999-01-01");
    auto future = SaveRecommendation(*store_, *catalog_, "Analyst A", rec);
    ASSERT_FALSE(future);
    EXPECT_EQ(future.error().where.field, "issued");
    EXPECT_NE(future.error().message.find("issued 2999-01-01 is in the future"),
              std::string::npos)
        << future.error().message;
    rec.issued = core::Date::Parse("2025-06-20");
    auto saved = SaveRecommendation(*store_, *catalog_, "Analyst A", rec);
    ASSERT_TRUE(saved) << saved.error().ToString();
    ASSERT_TRUE(OpenCycle(*store_, *catalog_, "Analyst A", "RS", 2026, std::nullopt));
    ASSERT_TRUE(OpenCycle(*store_, *catalog_, "Analyst A", "AL", 2026, std::nullopt));

    mon::Followup f;
    f.cycle = "AL-2026";
    f.status = mon::FollowupStatus::kPartly;
    auto abroad = RecordFollowup(*store_, *catalog_, "Analyst A", saved->id, f);
    ASSERT_FALSE(abroad);
    EXPECT_NE(abroad.error().message.find("is made to RS; record its follow-up in a later cycle "
                                          "of RS, not AL-2026"),
              std::string::npos)
        << abroad.error().message;
    f.cycle = "RS-2026";
    f.url = "not a url";
    auto no_url = RecordFollowup(*store_, *catalog_, "Analyst A", saved->id, f);
    ASSERT_FALSE(no_url);
    EXPECT_NE(no_url.error().message.find("\"not a url\" is not a web address"),
              std::string::npos)
        << no_url.error().message;
    f.url = "HTTPS://example.org/report-2026";  // the scheme in capitals is still the web
    auto followed = RecordFollowup(*store_, *catalog_, "Analyst A", saved->id, f);
    EXPECT_TRUE(followed) << followed.error().ToString();
}

TEST_P(MonitoringTest, APublishedCycleKeepsItsRequestsRecommendationsAndScope) {
    mon::InfoRequest r = MoiRequest();
    auto request = SaveRequest(*store_, *catalog_, "Analyst A", r);
    ASSERT_TRUE(request) << request.error().ToString();
    ASSERT_NO_FATAL_FAILURE(PublishWithOneValue());
    const long long before = Events();

    mon::InfoRequest late = *request;
    late.sent = core::Date::Parse("2026-01-12");
    auto changed = SaveRequest(*store_, *catalog_, "Analyst A", late);
    ASSERT_FALSE(changed);
    EXPECT_EQ(changed.error().code, Errc::kConflict);
    EXPECT_NE(changed.error().message.find("cycle RS-2025 is published"), std::string::npos);

    mon::Recommendation rec;
    rec.cycle = "RS-2025";
    rec.text = "Synthetic recommendation.";
    auto recommended = SaveRecommendation(*store_, *catalog_, "Analyst A", rec);
    ASSERT_FALSE(recommended);
    EXPECT_EQ(recommended.error().code, Errc::kConflict);

    auto scope = SaveInstitution(*store_, *catalog_, "Analyst A",
                                 {"csw", "RS", "Social work centre (synthetic)", "social_ministry",
                                  "", ""},
                                 "RS-2025");
    ASSERT_FALSE(scope);
    EXPECT_EQ(scope.error().code, Errc::kConflict);

    // A file sent with a refused change is not kept either.
    const long long files = *store_->CountRows("attachments");
    auto attached = AttachToRequest(*store_, *catalog_, "Analyst A", request->id,
                                    "late-reply.pdf", "%PDF-1.4 synthetic late reply");
    ASSERT_FALSE(attached);
    EXPECT_EQ(attached.error().code, Errc::kConflict);
    testing::WriteFile(dir_.File("reply.pdf"), "%PDF-1.4 synthetic reply");
    auto with_file = SaveRequest(*store_, *catalog_, "Analyst A", *request, dir_.File("reply.pdf"));
    ASSERT_FALSE(with_file);
    EXPECT_EQ(with_file.error().code, Errc::kConflict);
    mon::Evidence evidence;
    evidence.type = mon::EvidenceType::kFile;
    evidence.title = "Late reply of the Ministry (synthetic)";
    evidence.date = core::Date::Parse("2026-01-12");
    evidence.reliability = mon::Reliability::kHigh;
    auto evidenced = AddEvidence(*store_, *catalog_, "Analyst A", "RS-2025",
                                 {"LF.4", "value", {}, mon::Track::kCso}, evidence,
                                 dir_.File("reply.pdf"));
    ASSERT_FALSE(evidenced);
    EXPECT_EQ(evidenced.error().code, Errc::kConflict);
    EXPECT_EQ(*store_->CountRows("attachments"), files);
    EXPECT_EQ(Events(), before);
}

TEST_P(MonitoringTest, AFileIsStoredWithTheChangeThatAttachesIt) {
    mon::InfoRequest r = MoiRequest();
    auto request = SaveRequest(*store_, *catalog_, "Analyst A", r);
    ASSERT_TRUE(request) << request.error().ToString();
    const long long files = *store_->CountRows("attachments");
    const long long events = Events();

    // Refused before anything is stored: no such request, a name that is not a plain file name,
    // a file that cannot be read.
    auto missing = AttachToRequest(*store_, *catalog_, "Analyst A", "RS-2025-R99", "reply.pdf",
                                   "synthetic");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::kNotFound);
    auto badly_named = AttachToRequest(*store_, *catalog_, "Analyst A", request->id,
                                       "../reply.pdf", "synthetic");
    ASSERT_FALSE(badly_named);
    EXPECT_EQ(badly_named.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(badly_named.error().where.field, "name");
    auto unreadable =
        SaveRequest(*store_, *catalog_, "Analyst A", *request, dir_.File("no-such-file.pdf"));
    ASSERT_FALSE(unreadable);
    EXPECT_EQ(*store_->CountRows("attachments"), files);
    EXPECT_EQ(Events(), events);

    auto attached = AttachToRequest(*store_, *catalog_, "Analyst A", request->id, "reply.pdf",
                                    "%PDF-1.4 synthetic reply");
    ASSERT_TRUE(attached) << attached.error().ToString();
    const std::string sha = core::Sha256Hex("%PDF-1.4 synthetic reply");
    EXPECT_EQ(attached->attachments, std::vector<std::string>{sha});
    auto stored = store_->LoadAttachment(sha);
    ASSERT_TRUE(stored && stored->has_value());
    EXPECT_EQ((*stored)->file_name, "reply.pdf");
    EXPECT_EQ((*stored)->added_by, "Analyst A");
    // The same content again, under another name and through a file: kept once, named once.
    testing::WriteFile(dir_.File("copy.pdf"), "%PDF-1.4 synthetic reply");
    auto again = SaveRequest(*store_, *catalog_, "Analyst A", *attached, dir_.File("copy.pdf"));
    ASSERT_TRUE(again) << again.error().ToString();
    EXPECT_EQ(again->attachments, std::vector<std::string>{sha});
    EXPECT_EQ(*store_->CountRows("attachments"), files + 1);
    auto report = store_->VerifyAuditLog();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->problems.empty());
}

TEST_P(MonitoringTest, UrgentRequestsOnlyWhereTheLawHasAnUrgentProcedure) {
    mon::InfoRequest r = MoiRequest("");
    r.urgent = true;
    r.sent = core::Date::Parse("2025-03-07");  // a Friday
    auto urgent = SaveRequest(*store_, *catalog_, "Analyst A", r);
    ASSERT_TRUE(urgent) << urgent.error().ToString();
    EXPECT_TRUE(urgent->urgent);
    // 48 hours from Friday end on Sunday; Monday is already late.
    auto explained = GetExplainedRequest(*store_, *catalog_, urgent->id);
    ASSERT_TRUE(explained && explained->deadline);
    EXPECT_EQ(explained->deadline->deadline, core::Date::Parse("2025-03-09"));
    auto monday = ListOverdueRequests(*store_, *catalog_, "RS", *core::Date::Parse("2025-03-10"));
    ASSERT_TRUE(monday) << monday.error().ToString();
    ASSERT_EQ(monday->size(), 1U);
    EXPECT_EQ(monday->front().days_overdue, 1);
    auto reloaded = GetRequest(*store_, *catalog_, urgent->id);
    ASSERT_TRUE(reloaded);
    EXPECT_TRUE(reloaded->urgent);

    // Albania's law has no urgent procedure: refused, nothing written.
    ASSERT_TRUE(SaveInstitution(*store_, *catalog_, "Analyst A",
                                {"asp", "AL", "State Police (synthetic)", "MoI", "", ""}, ""));
    ASSERT_TRUE(OpenCycle(*store_, *catalog_, "Analyst A", "AL", 2025, std::nullopt));
    const long long before = Events();
    r.cycle = "AL-2025";
    r.institution = "asp";
    auto refused = SaveRequest(*store_, *catalog_, "Analyst A", r);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(refused.error().where.field, "urgent");
    EXPECT_NE(refused.error().message.find("AL has no urgent procedure"), std::string::npos)
        << refused.error().message;
    EXPECT_EQ(Events(), before);
    r.urgent = false;
    EXPECT_TRUE(SaveRequest(*store_, *catalog_, "Analyst A", r));
}

TEST_P(MonitoringTest, NamesAreComparedAsPeopleTypeThemAndTextMustBeUtf8) {
    ASSERT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kYes)), "Analyst A"));
    ASSERT_TRUE(MoveValues(*store_, *catalog_, "Analyst A", "RS-2025", mon::Transition::kSubmit,
                           {}, ""));
    for (const char* same : {"analyst a", "  Analyst A  ", "ANALYST A"}) {
        auto own = MoveValues(*store_, *catalog_, same, "RS-2025", mon::Transition::kValidate, {},
                              "");
        ASSERT_FALSE(own) << same;
        EXPECT_EQ(own.error().code, Errc::kPermissionDenied) << same;
    }
    auto control = MoveValues(*store_, *catalog_, "Analyst\nA", "RS-2025",
                              mon::Transition::kValidate, {}, "");
    ASSERT_FALSE(control);
    EXPECT_EQ(control.error().code, Errc::kInvalidArgument);

    ValueInput legacy = Value("IC.7", "value", Count(4));
    legacy.note = "Ni\x9a";  // Windows-1250, not UTF-8
    const long long before = Events();
    auto refused = Enter(legacy);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::kInvalidArgument);
    EXPECT_NE(refused.error().message.find("not valid UTF-8"), std::string::npos);
    EXPECT_EQ(Events(), before);

    ValueInput derived_source = Value("IC.7", "value", Count(4));
    derived_source.source = {mon::SourceType::kCaseRecords, ""};
    auto wrong_source = Enter(derived_source);
    ASSERT_FALSE(wrong_source);
    EXPECT_NE(wrong_source.error().message.find("values rapporteur derives"), std::string::npos);
}

TEST_P(MonitoringTest, ValidatingByFilterLeavesOnesOwnValuesToAnotherReviewer) {
    ASSERT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kYes)), "Analyst A"));
    ASSERT_TRUE(Enter(Value("LF.5", "value", Answer(mon::Answer::kNo)), "Reviewer B"));
    ASSERT_TRUE(MoveValues(*store_, *catalog_, "Analyst A", "RS-2025", mon::Transition::kSubmit,
                           {}, ""));
    auto moved = MoveValues(*store_, *catalog_, "Reviewer B", "RS-2025",
                            mon::Transition::kValidate, {}, "");
    ASSERT_TRUE(moved) << moved.error().ToString();
    EXPECT_EQ(moved->moved, 1);
    auto lf5 = GetValueHistory(*store_, *catalog_, "RS-2025",
                               {"LF.5", "value", {}, mon::Track::kCso});
    ASSERT_TRUE(lf5);
    EXPECT_EQ(lf5->current().state, mon::WorkflowState::kSubmitted);
}

TEST_P(MonitoringTest, TemplateNumbersAreReadAsSpreadsheetsWriteThem) {
    ASSERT_TRUE(Enter(Value("IC.5", "executed_share", Share(9, 20))));
    auto files = ExportCycleTemplate(*store_, *catalog_, "RS-2025", TableFormat::kCsv,
                                     dir_.File("t"));
    ASSERT_TRUE(files) << files.error().ToString();
    const std::string text = testing::ReadText(files->front());
    // Only the counts change; the exported percentage (45) is computed again.
    const std::string counts =
        testing::Replace(text, ",provided,,,,45,9,20,", ",provided,,,,45,10,20,");
    testing::WriteFile(dir_.File("counts.csv"), counts);
    core::Diagnostics diags;
    auto imported = ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                      dir_.File("counts.csv"), false, diags);
    ASSERT_TRUE(imported) << diags.ToString();
    EXPECT_EQ(imported->changed, 1);
    auto now = GetValueHistory(*store_, *catalog_, "RS-2025",
                               {"IC.5", "executed_share", {}, mon::Track::kCso});
    ASSERT_TRUE(now);
    EXPECT_DOUBLE_EQ(*now->current().figure->number, 50.0);

    // "1,500" could be one and a half or fifteen hundred.
    const std::string ambiguous =
        testing::Replace(text, ",provided,,,,45,9,20,", ",provided,,,,,\"1,500\",2000,");
    testing::WriteFile(dir_.File("ambiguous.csv"), ambiguous);
    diags = core::Diagnostics();
    ASSERT_FALSE(ImportCycleValues(*store_, *catalog_, "Analyst A", "RS-2025",
                                   dir_.File("ambiguous.csv"), true, diags));
    EXPECT_NE(diags.ToString().find("\"1,500\" is ambiguous"), std::string::npos)
        << diags.ToString();
}

TEST_P(MonitoringTest, AReviewerValidatesTheVersionTheyLookedAt) {
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(10))));
    ASSERT_TRUE(MoveValues(*store_, *catalog_, "Analyst A", "RS-2025", mon::Transition::kSubmit,
                           {}, ""));
    const mon::ValueKey key{"IC.7", "value", {}, mon::Track::kCso};
    auto seen = GetValueHistory(*store_, *catalog_, "RS-2025", key);
    ASSERT_TRUE(seen);
    const int looked_at = seen->current().version;
    // Meanwhile the author changes the figure and submits again.
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(1000))));
    ASSERT_TRUE(MoveValues(*store_, *catalog_, "Analyst A", "RS-2025", mon::Transition::kSubmit,
                           {}, ""));
    ValueSelection selection{.keys = {key}, .versions = {looked_at}};
    auto stale = MoveValues(*store_, *catalog_, "Reviewer B", "RS-2025",
                            mon::Transition::kValidate, selection, "");
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::kConflict);
    EXPECT_NE(stale.error().message.find("changed since version 2: it is at version 4"),
              std::string::npos)
        << stale.error().message;
    selection.versions = {looked_at + 2};
    EXPECT_TRUE(MoveValues(*store_, *catalog_, "Reviewer B", "RS-2025",
                           mon::Transition::kValidate, selection, ""));
}

INSTANTIATE_TEST_SUITE_P(Backends, MonitoringTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

TEST_P(MonitoringTest, ABodyCountsItsDeadlineWithTheHolidaysOfItsRegion) {
    // Bosnia and Herzegovina: 15 calendar days, moved past a day off. Republika Srpska keeps
    // 21 November (a Friday in 2025), the Federation 25 November.
    for (const auto& [id, region] : std::vector<std::pair<std::string, std::string>>{
             {"msb", "BA-STATE"}, {"mup-srp", "BA-SRP"}, {"fmup", "BA-FBIH"}, {"bd", ""}}) {
        ASSERT_TRUE(SaveInstitution(*store_, *catalog_, "Analyst A",
                                    {id, "BA", id + " (synthetic)", "MoI", region, "", ""}, ""));
    }
    ASSERT_TRUE(OpenCycle(*store_, *catalog_, "Analyst A", "BA", 2025, std::nullopt));
    auto deadline = [&](const std::string& institution, const std::string& sent) {
        mon::InfoRequest r;
        r.cycle = "BA-2025";
        r.institution = institution;
        r.sent = core::Date::Parse(sent);
        r.items = {{"ID.1", "", "2025", mon::ItemOutcome::kPending}};
        auto saved = SaveRequest(*store_, *catalog_, "Analyst A", r);
        EXPECT_TRUE(saved) << saved.error().ToString();
        auto got = GetExplainedRequest(*store_, *catalog_, saved->id);
        EXPECT_TRUE(got && got->deadline);
        return got->deadline->deadline.ToString();
    };
    EXPECT_EQ(deadline("msb", "2025-11-06"), "2025-11-21");
    EXPECT_EQ(deadline("bd", "2025-11-06"), "2025-11-21");
    EXPECT_EQ(deadline("mup-srp", "2025-11-06"), "2025-11-24");
    EXPECT_EQ(deadline("fmup", "2025-11-06"), "2025-11-21");
    EXPECT_EQ(deadline("fmup", "2025-11-10"), "2025-11-26");
    EXPECT_EQ(deadline("mup-srp", "2025-11-10"), "2025-11-25");
    // Overdue on 24 November: the state body's request, not the entity's.
    auto overdue = ListOverdueRequests(*store_, *catalog_, "BA", *core::Date::Parse("2025-11-24"));
    ASSERT_TRUE(overdue) << overdue.error().ToString();
    std::vector<std::string> late;
    for (const auto& o : *overdue) {
        late.push_back(o.institution + " " + o.deadline.ToString());
    }
    std::sort(late.begin(), late.end());
    EXPECT_EQ(late, (std::vector<std::string>{"bd 2025-11-21", "fmup 2025-11-21",
                                              "msb 2025-11-21"}));
    // The holidays a body counts with, as asked for.
    auto srp = HolidaysOf(*catalog_, "BA", 2025, "BA-SRP");
    ASSERT_TRUE(srp) << srp.error().ToString();
    EXPECT_EQ(srp->region, "BA-SRP");
    EXPECT_EQ(srp->days.size(), HolidaysOf(*catalog_, "BA", 2025)->days.size() + 3);

    // A region that is not the country's, or the code for an unknown one, is refused.
    const long long before = Events();
    for (const std::string region : {"RS-BG", "unknown", "BA-XX"}) {
        auto bad = SaveInstitution(*store_, *catalog_, "Analyst A",
                                   {"x", "BA", "X (synthetic)", "MoI", region, "", ""}, "");
        ASSERT_FALSE(bad) << region;
        EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
        EXPECT_EQ(bad.error().where.field, "region");
        EXPECT_NE(bad.error().message.find("its regions: BA-STATE, BA-FBIH, BA-SRP, BA-BD"),
                  std::string::npos)
            << bad.error().message;
        EXPECT_FALSE(HolidaysOf(*catalog_, "BA", 2025, region)) << region;
    }
    EXPECT_EQ(Events(), before);
}

TEST_P(MonitoringTest, ThePublishedCycleKeepsTheRegionOfItsInstitutions) {
    const mon::Institution moi{"moi", "RS", "Ministry of Interior (synthetic)", "MoI", "", "", ""};
    ASSERT_TRUE(SaveInstitution(*store_, *catalog_, "Analyst A", moi, "RS-2025"));
    // Another body, not in scope, that was asked for data in the cycle.
    mon::Institution court{"court", "RS", "Court (synthetic)", "court", "", "", ""};
    ASSERT_TRUE(SaveInstitution(*store_, *catalog_, "Analyst A", court, ""));
    mon::InfoRequest asked = MoiRequest();
    asked.institution = "court";
    auto request = SaveRequest(*store_, *catalog_, "Analyst A", asked);
    ASSERT_TRUE(request) << request.error().ToString();
    ASSERT_NO_FATAL_FAILURE(PublishWithOneValue());
    const long long before = Events();

    mon::Institution moved{"moi", "RS", "Ministry of Interior (synthetic)", "MoI", "RS-BG", "", ""};
    auto refused = SaveInstitution(*store_, *catalog_, "Analyst A", moved, "");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::kConflict);
    EXPECT_EQ(refused.error().where.field, "region");
    EXPECT_NE(refused.error().message.find("in scope of the published cycle RS-2025; its region "
                                           "(not set) cannot change"),
              std::string::npos)
        << refused.error().message;
    court.region = "RS-BG";
    auto asked_before = SaveInstitution(*store_, *catalog_, "Analyst A", court, "");
    ASSERT_FALSE(asked_before);
    EXPECT_EQ(asked_before.error().code, Errc::kConflict);
    EXPECT_NE(asked_before.error().message.find("has request " + request->id +
                                                " in the published cycle RS-2025"),
              std::string::npos)
        << asked_before.error().message;
    EXPECT_EQ(Events(), before);
    // Its name and address may still change.
    court.region.clear();
    court.email = "info@court.example.org";
    EXPECT_TRUE(SaveInstitution(*store_, *catalog_, "Analyst A", court, ""));
}

TEST_P(MonitoringTest, CompletenessSaysWhichIndicatorsHaveAFigureAndWhichNothing) {
    auto empty = CompletenessOf(*store_, *catalog_, "RS-2025");
    ASSERT_TRUE(empty) << empty.error().ToString();
    EXPECT_TRUE(empty->total.with_figure.empty());
    EXPECT_TRUE(empty->total.explained.empty());
    // Serbia's adaptation declares CO.8 not applicable: it is not counted as missing.
    EXPECT_EQ(empty->total.not_applicable, std::vector<std::string>{"CO.8"});
    const size_t applicable = empty->total.applicable();
    EXPECT_EQ(empty->total.missing.size(), applicable);
    ASSERT_EQ(empty->areas.size(), 9U);
    EXPECT_EQ(empty->areas.front().area, "LF");

    ValueInput refused = Value("IC.7", "value", {});
    refused.status = mon::ValueStatus::kRefused;
    refused.figure.reset();
    ValueInput inapplicable = Value("PV.1", "value", {});
    inapplicable.status = mon::ValueStatus::kNotApplicable;
    inapplicable.figure.reset();
    ValueInput official = Value("LF.4", "value", Answer(mon::Answer::kYes), mon::Track::kOfficial);
    ValueInput cso = Value("LF.4", "value", Answer(mon::Answer::kNo));
    ASSERT_TRUE(EnterValues(*store_, *catalog_, "Analyst A", "RS-2025",
                            {refused, inapplicable, official, cso}));
    auto done = CompletenessOf(*store_, *catalog_, "RS-2025");
    ASSERT_TRUE(done) << done.error().ToString();
    EXPECT_EQ(done->total.with_figure, std::vector<std::string>{"LF.4"});  // once, two tracks
    EXPECT_EQ(done->total.explained, std::vector<std::string>{"IC.7"});
    EXPECT_EQ(done->total.not_applicable, (std::vector<std::string>{"CO.8", "PV.1"}));
    EXPECT_EQ(done->total.applicable(), applicable - 1);
    EXPECT_EQ(done->total.missing.size(), applicable - 3);
    size_t in_areas = 0;
    for (const auto& area : done->areas) {
        in_areas += area.applicable() + area.not_applicable.size();
        for (const auto& code : area.missing) {
            EXPECT_EQ(code.substr(0, code.find('.')), area.area) << code;
        }
    }
    EXPECT_EQ(in_areas, done->total.applicable() + done->total.not_applicable.size());
    EXPECT_FALSE(CompletenessOf(*store_, *catalog_, "RS-1999"));
}

TEST_P(MonitoringTest, ChecksAgainstTheYearBeforeAskForASecondLook) {
    auto first = CheckAgainstPreviousYear(*store_, *catalog_, "RS-2025");
    ASSERT_TRUE(first) << first.error().ToString();
    EXPECT_EQ(first->previous_cycle, "");  // no RS-2024 yet
    EXPECT_TRUE(first->flags.empty());

    ASSERT_TRUE(OpenCycle(*store_, *catalog_, "Analyst A", "RS", 2024, std::nullopt));
    ASSERT_TRUE(EnterValues(*store_, *catalog_, "Analyst A", "RS-2024",
                            {Value("IC.7", "value", Count(40), mon::Track::kOfficial),
                             Value("LF.4", "value", Answer(mon::Answer::kYes))}));
    ASSERT_TRUE(Enter(Value("IC.7", "value", Count(400), mon::Track::kOfficial)));
    ASSERT_TRUE(Enter(Value("LF.4", "value", Answer(mon::Answer::kYes))));
    auto checks = CheckAgainstPreviousYear(*store_, *catalog_, "RS-2025");
    ASSERT_TRUE(checks) << checks.error().ToString();
    EXPECT_EQ(checks->previous_cycle, "RS-2024");
    ASSERT_EQ(checks->flags.size(), 1U);
    const mon::ChangeFlag& f = checks->flags.front();
    EXPECT_EQ(f.check, mon::ChangeCheck::kJump);
    EXPECT_EQ(f.current.key.indicator, "IC.7");
    EXPECT_EQ(f.previous.figure->number, 40);
    EXPECT_EQ(f.why, "rose from 40 to 400 (x10.0)");
    // A check changes nothing: the value can still be submitted and validated.
    ASSERT_TRUE(MoveValues(*store_, *catalog_, "Analyst A", "RS-2025", mon::Transition::kSubmit,
                           {}, ""));
    EXPECT_TRUE(MoveValues(*store_, *catalog_, "Reviewer B", "RS-2025",
                           mon::Transition::kValidate, {}, ""));
    EXPECT_FALSE(CheckAgainstPreviousYear(*store_, *catalog_, "RS-1999"));
}

}  // namespace
}  // namespace rap::app
