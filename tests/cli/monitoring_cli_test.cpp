// SPDX-License-Identifier: AGPL-3.0-or-later
// The monitoring subcommands as a user runs them: a whole cycle on a fresh SQLite database, the
// review rules, the audit log and its tamper check, and bad input refused with exit code 2.
#include <filesystem>
#include <memory>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/files.hpp"

#include "support/test_support.hpp"

namespace rap::cli {
namespace {

using testing::CommandResult;
using testing::RunRapporteur;

std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

// A CSV file as rows of fields (quoted fields with doubled quotes; no line breaks in fields).
using Rows = std::vector<std::vector<std::string>>;
Rows ReadCsv(const std::string& text) {
    Rows rows;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        std::string line =
            text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        start = end == std::string::npos ? text.size() : end + 1;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        std::vector<std::string> fields(1);
        bool quoted = false;
        for (size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.emplace_back();
            } else {
                fields.back() += c;
            }
        }
        rows.push_back(std::move(fields));
    }
    return rows;
}

std::string WriteCsv(const Rows& rows) {
    std::string out;
    for (const auto& r : rows) {
        for (size_t i = 0; i < r.size(); ++i) {
            std::string f = r[i];
            if (f.find_first_of(",\"\n") != std::string::npos) {
                f = "\"" + std::regex_replace(f, std::regex("\""), "\"\"") + "\"";
            }
            out += (i ? "," : "") + f;
        }
        out += "\n";
    }
    return out;
}

size_t ColumnOf(const Rows& rows, const std::string& name) {
    const auto& h = rows.at(0);
    return static_cast<size_t>(std::find(h.begin(), h.end(), name) - h.begin());
}

// One database initialised once for the suite; each test works on its own copy.
class MonitorCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        suite_tmp_ = new testing::TempDir();
        auto r = RunRapporteur({"init", "--db", suite_tmp_->File("fresh.db")});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete suite_tmp_;
        suite_tmp_ = nullptr;
    }
    void SetUp() override {
        db_ = tmp_.File("r.db");
        std::filesystem::copy_file(suite_tmp_->File("fresh.db"), db_);
    }

    // Runs a monitoring subcommand on this test's database; `user` adds --user.
    CommandResult Run(std::vector<std::string> args, const std::string& user = "") {
        args.insert(args.end(), {"--db", db_});
        if (!user.empty()) {
            args.insert(args.end(), {"--user", user});
        }
        return RunRapporteur(args, tmp_.path());
    }
    // Runs it with the environment holding no user name (or RAPPORTEUR_USER=env_user).
    CommandResult RunWithoutUser(const std::vector<std::string>& args,
                                 const std::string& env_user = "") {
        std::string command = "cd " + Quote(tmp_.path()) + " && env -u USER -u RAPPORTEUR_USER " +
                              (env_user.empty() ? "" : "RAPPORTEUR_USER=" + Quote(env_user) + " ") +
                              Quote(RAP_BINARY);
        for (const auto& a : args) {
            command += " " + Quote(a);
        }
        return testing::RunShell(command + " --db " + Quote(db_));
    }
    void Ok(const CommandResult& r) { ASSERT_EQ(r.exit_code, 0) << r.out << r.err; }
    void OpenRs2025() {
        Ok(Run(
            {"institution", "add", "RS", "MUP", "--name", "Ministry of Interior", "--type", "MoI"},
            "alice"));
        Ok(Run({"cycle", "open", "RS", "2025"}, "alice"));
    }
    std::string Sql(const std::string& statement) {
        return testing::RunShell("sqlite3 " + Quote(db_) + " " + Quote(statement)).out;
    }

    static inline testing::TempDir* suite_tmp_ = nullptr;
    testing::TempDir tmp_;
    std::string db_;
};

TEST_F(MonitorCli, HolidaysListTheDaysDeadlinesSkip) {
    auto rs = Run({"request", "holidays", "RS", "2021"});
    ASSERT_EQ(rs.exit_code, 0) << rs.err;
    // Labour Day on Orthodox Easter Sunday: the day in lieu comes after Easter Monday.
    EXPECT_NE(rs.out.find("2021-05-04  Tue  Labour Day (day in lieu)"), std::string::npos)
        << rs.out;
    EXPECT_NE(rs.out.find("11 public holidays and days in lieu in RS 2021"), std::string::npos)
        << rs.out;
    auto csv = Run({"request", "holidays", "MK", "2023", "--format", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.out.rfind("date,day,name\n2023-01-01,Sun,New Year\n"
                            "2023-01-02,Mon,New Year (day in lieu)\n",
                            0),
              0U)
        << csv.out;
    // Beyond the listed lunar-calendar years the list says what it lacks.
    auto later = Run({"request", "holidays", "AL", "2027"});
    ASSERT_EQ(later.exit_code, 0) << later.err;
    EXPECT_NE(later.out.find("warning: the lunar-calendar holidays of 2027 are not in the "
                             "countries data"),
              std::string::npos)
        << later.out;
    auto unknown = Run({"request", "holidays", "XX", "2025"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("'XX' is not a country of the database"), std::string::npos)
        << unknown.err;
    auto bad_year = Run({"request", "holidays", "RS", "20x5"});
    EXPECT_EQ(bad_year.exit_code, 2);
    EXPECT_NE(bad_year.err.find("YEAR: '20x5'"), std::string::npos) << bad_year.err;
}

TEST_F(MonitorCli, CompletenessAndChecksShowWhatNeedsWork) {
    OpenRs2025();
    Ok(Run({"value", "set", "RS-2025", "LF.4", "--status", "provided", "--answer", "yes"},
           "alice"));
    Ok(Run({"value", "set", "RS-2025", "IC.7", "--status", "refused"}, "alice"));
    auto csv = Run({"cycle", "completeness", "RS-2025", "--format", "csv"});
    Ok(csv);
    EXPECT_EQ(csv.out.rfind("area,applicable,with_figure,explained,missing,not_applicable,"
                            "missing_indicators\n(all),70,1,1,68,1,",
                            0),
              0U)
        << csv.out;
    EXPECT_NE(csv.out.find("\nLF,8,1,0,7,0,\"LF.1, LF.2, LF.3, LF.5,"), std::string::npos)
        << csv.out;
    auto shown = Run({"cycle", "show", "RS-2025"});
    Ok(shown);
    EXPECT_NE(shown.out.find("completeness:     1 of 70 indicators have a figure (1%), 1 explained "
                             "gap, 68 with nothing"),
              std::string::npos)
        << shown.out;
    auto unknown = Run({"cycle", "completeness", "RS-1999"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.err;

    // Nothing the year before to check against, then a sharp change.
    auto alone = Run({"cycle", "check", "RS-2025"});
    Ok(alone);
    EXPECT_NE(alone.out.find("RS-2025: no cycle the year before to compare with"),
              std::string::npos)
        << alone.out;
    Ok(Run({"cycle", "open", "RS", "2024"}, "alice"));
    Ok(Run({"value", "set", "RS-2024", "LF.4", "--status", "provided", "--answer", "no"},
           "alice"));
    auto checked = Run({"cycle", "check", "RS-2025", "--format", "csv"});
    Ok(checked);
    EXPECT_EQ(checked.out, "indicator,measure,by,track,check,previous,current,why\n"
                           "LF.4,value,,official,answer_changed,no,yes,answer changed from no to "
                           "yes\n")
        << checked.out;
}

TEST_F(MonitorCli, ARegionalFigureSaysWhatIsStillAWorkingValue) {
    OpenRs2025();
    Ok(Run({"value", "set", "RS-2025", "IC.7", "--status", "provided", "--value", "12"},
           "alice"));
    auto shown = Run({"compare", "IC.7", "--year", "2025"});
    Ok(shown);
    EXPECT_NE(shown.out.find("included: RS\nnot yet validated: RS (draft); the figure is a "
                             "working one until they are"),
              std::string::npos)
        << shown.out;
    EXPECT_NE(shown.out.find("AL        no cycle AL-2025"), std::string::npos) << shown.out;
    auto csv = Run({"compare", "IC.7", "--year", "2025", "--format", "csv"});
    EXPECT_NE(csv.out.find("IC.7,value,2025,12,sum of counts,RS,yes,draft,\n"), std::string::npos)
        << csv.out;
    auto none = Run({"compare", "IC.7", "--year", "1999"});
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("no country has a monitoring cycle of 1999 to compare"),
              std::string::npos)
        << none.err;
}

// A name that a spreadsheet would run as a formula, with quotes and a comma: CSV output guards and
// quotes it, JSON output escapes it.
TEST_F(MonitorCli, HostileNamesAreQuotedInCsvAndEscapedInJson) {
    const std::string hostile = "=HYPERLINK(\"https://example.org/x\",\"click\")";
    Ok(Run({"institution", "add", "RS", "evil", "--name", hostile, "--type", "MoI", "--email",
            "-1+2@example.org"},
           "alice"));
    auto csv = Run({"institution", "list", "RS", "--format", "csv"});
    Ok(csv);
    EXPECT_NE(csv.out.find("evil,\"'=HYPERLINK(\"\"https://example.org/x\"\",\"\"click\"\")\",MoI,,"
                           "\"'-1+2@example.org\","),
              std::string::npos)
        << csv.out;
    auto json = Run({"institution", "list", "RS", "--format", "json"});
    Ok(json);
    const auto rows = nlohmann::json::parse(json.out);
    ASSERT_EQ(rows.size(), 1U) << json.out;
    EXPECT_EQ(rows[0]["name"], hostile);
    EXPECT_EQ(rows[0]["email"], "-1+2@example.org");
    EXPECT_EQ(std::count(json.out.begin(), json.out.end(), '\n'), 3) << json.out;
}

TEST_F(MonitorCli, AnEntityBodyCountsWithItsEntitysHolidays) {
    auto srp = Run({"request", "holidays", "BA", "2025", "--region", "BA-SRP"});
    ASSERT_EQ(srp.exit_code, 0) << srp.err;
    EXPECT_NE(srp.out.find("2025-11-21  Fri  Dayton Agreement Day (Republika Srpska)"),
              std::string::npos)
        << srp.out;
    EXPECT_NE(srp.out.find("in BA (BA-SRP) 2025"), std::string::npos) << srp.out;
    auto whole = Run({"request", "holidays", "BA", "2025"});
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    EXPECT_EQ(whole.out.find("Republika Srpska)"), std::string::npos) << whole.out;

    Ok(Run({"institution", "add", "BA", "mup-srp", "--name", "Ministry of Interior (synthetic)",
            "--type", "MoI", "--region", "BA-SRP"},
           "alice"));
    auto list = Run({"institution", "list", "BA", "--format", "csv"});
    EXPECT_NE(list.out.find("mup-srp,Ministry of Interior (synthetic),MoI,BA-SRP,"),
              std::string::npos)
        << list.out;
    Ok(Run({"cycle", "open", "BA", "2025"}, "alice"));
    auto sent = Run({"request", "add", "BA-2025", "--institution", "mup-srp", "--item", "ID.1",
                     "--sent", "2025-11-06"},
                    "alice");
    ASSERT_EQ(sent.exit_code, 0) << sent.err;
    // 15 calendar days end on Friday 21 November, a day off in Republika Srpska.
    EXPECT_NE(sent.out.find("legal deadline 2025-11-24"), std::string::npos) << sent.out;

    auto wrong = Run({"institution", "add", "BA", "x", "--name", "X (synthetic)", "--type",
                      "MoI", "--region", "RS-BG"},
                     "alice");
    EXPECT_EQ(wrong.exit_code, 2);
    EXPECT_NE(wrong.err.find("--region: 'RS-BG' is not a region of BA (codelist REG); its "
                             "regions: BA-STATE, BA-FBIH, BA-SRP, BA-BD"),
              std::string::npos)
        << wrong.err;
    auto elsewhere = Run({"request", "holidays", "BA", "2025", "--region", "unknown"});
    EXPECT_EQ(elsewhere.exit_code, 2);
}

TEST_F(MonitorCli, AttachedFilesAreListedAndWrittenBackOut) {
    OpenRs2025();
    Ok(Run({"value", "set", "RS-2025", "LF.4", "--status", "provided", "--answer", "yes"},
           "alice"));
    // Synthetic reply documents; one has a name that starts with a dot.
    const std::string reply = std::string("%PDF-1.4 synthetic reply\0\x01\xff", 28);
    testing::WriteFile(tmp_.File("reply.pdf"), reply);
    testing::WriteFile(tmp_.File(".hidden"), "synthetic note");
    Ok(Run({"evidence", "add", "RS-2025", "LF.4", "--type", "report", "--title",
            "Reply of the ministry (synthetic)", "--file", tmp_.File("reply.pdf")},
           "alice"));
    Ok(Run({"request", "add", "RS-2025", "--institution", "MUP", "--item", "ID.1", "--sent",
            "2025-03-03"},
           "alice"));
    Ok(Run({"request", "reply", "RS-2025-R01", "--date", "2025-03-10", "--response", "full",
            "--file", tmp_.File("reply.pdf")},
           "alice"));
    Ok(Run({"evidence", "add", "RS-2025", "LF.4", "--type", "report", "--title", "A note",
            "--file", tmp_.File(".hidden")},
           "alice"));

    auto shown = Run({"request", "show", "RS-2025-R01"});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find("  attachment:  " + core::Sha256Hex(reply)), std::string::npos)
        << shown.out;
    // 3 March 2025 + 15 calendar days is Tuesday 18 March: a working day in Serbia.
    EXPECT_NE(shown.out.find("legal deadline 2025-03-18:\n  deadline: 15 calendar days after "
                             "2025-03-03 (Mon): 2025-03-18 (Tue)\n"),
              std::string::npos)
        << shown.out;
    EXPECT_EQ(Run({"request", "show", "RS-2025-R99"}).exit_code, 2);

    auto csv = Run({"attachment", "list", "RS-2025", "--format", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    const std::string sha = core::Sha256Hex(reply);
    // Stored once, referred to twice.
    EXPECT_NE(csv.out.find(sha + ",reply.pdf,28,alice,"), std::string::npos) << csv.out;
    EXPECT_NE(csv.out.find("evidence E1 of LF.4/value official; request RS-2025-R01"),
              std::string::npos)
        << csv.out;
    EXPECT_NE(csv.out.find(core::Sha256Hex("synthetic note") + ",.hidden,"), std::string::npos)
        << csv.out;

    const std::string out = tmp_.File("out");
    std::filesystem::create_directory(out);
    auto got = Run({"attachment", "get", sha, "-o", out});
    ASSERT_EQ(got.exit_code, 0) << got.err;
    EXPECT_EQ(testing::ReadText(out + "/reply.pdf"), reply);
    // Never over an existing file.
    testing::WriteFile(tmp_.File("mine.pdf"), "my own file");
    auto again = Run({"attachment", "get", sha, "-o", tmp_.File("mine.pdf")});
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find("already exists; nothing was written"), std::string::npos)
        << again.err;
    EXPECT_EQ(testing::ReadText(tmp_.File("mine.pdf")), "my own file");
    // A stored name that would hide the file is not used as it is.
    auto hidden = Run({"attachment", "get", core::Sha256Hex("synthetic note"), "-o", out});
    ASSERT_EQ(hidden.exit_code, 0) << hidden.err;
    EXPECT_EQ(
        testing::ReadText(out + "/attachment-" + core::Sha256Hex("synthetic note").substr(0, 12)),
        "synthetic note");

    auto bad = Run({"attachment", "get", "not-a-hash"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("'not-a-hash' is not a file's SHA-256"), std::string::npos) << bad.err;
    auto missing = Run({"attachment", "get", std::string(64, 'f')});
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_NE(missing.err.find("no attached file has SHA-256"), std::string::npos)
        << missing.err;
    auto no_cycle = Run({"attachment", "list", "RS-1999"});
    EXPECT_NE(no_cycle.exit_code, 0);
}

TEST_F(MonitorCli, HelpSaysTheUserIsRecordedInTheAuditLog) {
    auto r = RunRapporteur({"value", "set", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("audit log"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("sign-in comes with the web interface"), std::string::npos) << r.out;
    auto top = RunRapporteur({"--help"});
    for (const char* sub : {"cycle", "value", "evidence", "score", "compare", "institution",
                            "request", "recommendation", "narrative", "audit"}) {
        EXPECT_NE(top.out.find(sub), std::string::npos) << sub;
    }
}

TEST_F(MonitorCli, AWholeCycleFromOpeningToPublicationAndAudit) {
    OpenRs2025();
    EXPECT_EQ(Run({"cycle", "open", "RS", "2025"}, "alice").exit_code, 2);  // already open

    auto yn = Run({"value", "set", "RS-2025", "LF.4", "--status", "provided", "--answer", "yes"},
                  "alice");
    Ok(yn);
    EXPECT_NE(yn.out.find("LF.4/value official version 1: draft"), std::string::npos) << yn.out;
    Ok(Run({"value", "set", "RS-2025", "LF.8", "--status", "provided", "--score", "2",
            "--justification", "Guidelines adopted in 2024, applied in two regions only"},
           "alice"));
    Ok(Run({"value", "set", "RS-2025", "AS.1", "--status", "provided", "--value", "42",
            "--source-type", "institution", "--source", "MUP"},
           "alice"));
    auto pct = Run({"value", "set", "RS-2025", "AS.7", "--status", "provided", "--numerator", "9",
                    "--denominator", "20", "--note", "From the shelter register"},
                   "alice");
    Ok(pct);
    EXPECT_NE(pct.out.find("45.0% (9 of 20)"), std::string::npos) << pct.out;
    Ok(Run({"evidence", "add", "RS-2025", "LF.4", "--type", "law_article", "--title",
            "Criminal Code, Art. 388", "--reliability", "high", "--date", "2024-12-01"},
           "alice"));

    auto listed = Run({"value", "list", "RS-2025", "--no-derived", "--format", "csv"});
    Ok(listed);
    EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 5) << listed.out;
    EXPECT_NE(listed.out.find("LF.8,value,,official,1,draft,provided,2,0,alice"), std::string::npos)
        << listed.out;
    auto json = Run({"cycle", "list", "--format", "json"});
    Ok(json);
    const auto cycles = nlohmann::json::parse(json.out);
    ASSERT_EQ(cycles.size(), 1U) << json.out;
    EXPECT_EQ(cycles[0]["cycle"], "RS-2025") << json.out;
    EXPECT_EQ(cycles[0]["draft"], 4) << json.out;

    auto submitted = Run({"value", "submit", "RS-2025"}, "alice");
    Ok(submitted);
    EXPECT_NE(submitted.out.find("4 values submitted"), std::string::npos) << submitted.out;
    auto own = Run({"value", "validate", "RS-2025"}, "alice");
    EXPECT_EQ(own.exit_code, 1);
    EXPECT_NE(own.err.find("a reviewer who is not its author must validate it"), std::string::npos)
        << own.err;
    auto returned = Run({"value", "return", "RS-2025", "AS.1"}, "bob");
    EXPECT_EQ(returned.exit_code, 2);
    EXPECT_NE(returned.err.find("--comment"), std::string::npos) << returned.err;
    auto validated = Run({"value", "validate", "RS-2025"}, "bob");
    Ok(validated);
    EXPECT_NE(validated.out.find("4 values validated"), std::string::npos) << validated.out;

    auto published = Run({"cycle", "publish", "RS-2025"}, "bob");
    Ok(published);
    auto locked =
        Run({"value", "set", "RS-2025", "LF.4", "--status", "provided", "--answer", "no"}, "alice");
    EXPECT_EQ(locked.exit_code, 1) << locked.out;
    EXPECT_NE(locked.err.find("published"), std::string::npos) << locked.err;
    auto no_reason = Run({"cycle", "reopen", "RS-2025"}, "bob");
    EXPECT_EQ(no_reason.exit_code, 2);
    EXPECT_NE(no_reason.err.find("--reason"), std::string::npos) << no_reason.err;
    Ok(Run({"cycle", "reopen", "RS-2025", "--reason", "AS.1 counted twice"}, "bob"));
    Ok(Run({"value", "reopen", "RS-2025", "AS.1", "--comment", "counted twice"}, "bob"));
    auto corrected =
        Run({"value", "set", "RS-2025", "AS.1", "--status", "provided", "--value", "40"}, "alice");
    Ok(corrected);
    EXPECT_NE(corrected.out.find("AS.1/value official version 6: draft"), std::string::npos)
        << corrected.out;
    auto show = Run({"cycle", "show", "RS-2025"});
    Ok(show);
    EXPECT_NE(show.out.find("cycle RS-2025: open"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("published:        1 time"), std::string::npos) << show.out;

    auto history = Run({"value", "history", "RS-2025", "LF.4"});
    Ok(history);
    for (const char* step : {"entered", "submitted", "validated", "published"}) {
        EXPECT_NE(history.out.find(step), std::string::npos) << step << "\n" << history.out;
    }
    EXPECT_NE(history.out.find("Criminal Code, Art. 388"), std::string::npos) << history.out;
    auto score = Run({"score", "RS-2025", "--explain"});
    Ok(score);
    EXPECT_NE(score.out.find("LF"), std::string::npos) << score.out;

    auto verified = Run({"audit", "verify"});
    Ok(verified);
    std::smatch head;
    ASSERT_TRUE(std::regex_search(verified.out, head, std::regex(R"(head (\d+):([0-9a-f]{64}))")))
        << verified.out;
    Ok(Run({"narrative", "set", "RS-2025", "summary", "--text", "A year of small steps."},
           "alice"));
    Ok(Run({"audit", "verify", "--expect-head", head[1].str() + ":" + head[2].str()}));
    auto log = Run({"audit", "log", "--country", "RS", "--limit", "3"});
    Ok(log);
    EXPECT_NE(log.out.find("alice"), std::string::npos) << log.out;

    // Someone edits an event behind rapporteur's back: the database refuses, until its guard is
    // removed (as whoever can write the file can do).
    ASSERT_EQ(testing::RunShell("command -v sqlite3").exit_code, 0)
        << "the sqlite3 command-line tool is needed (scripts/install-deps installs it)";
    auto refused = testing::RunShell("sqlite3 " + Quote(db_) +
                                     " \"UPDATE monitoring_events SET actor = 'mallory' WHERE seq = 3\"");
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("append-only"), std::string::npos) << refused.err;
    Sql("DROP TRIGGER monitoring_events_no_update; DROP TRIGGER monitoring_events_no_delete");
    Sql("UPDATE monitoring_events SET actor = 'mallory' WHERE seq = 3");
    ASSERT_EQ(Sql("SELECT actor FROM monitoring_events WHERE seq = 3"), "mallory\n");
    auto broken = Run({"audit", "verify"});
    EXPECT_EQ(broken.exit_code, 1) << broken.out;
    EXPECT_NE(broken.err.find("event 3 "), std::string::npos) << broken.err;
    EXPECT_NE(broken.err.find("edited"), std::string::npos) << broken.err;
    // Or deletes the newest ones: the chain is intact but the expected head is gone.
    Sql("UPDATE monitoring_events SET actor = 'alice' WHERE seq = 3");
    Ok(Run({"audit", "verify"}));
    const std::string last = head[1].str();
    Sql("DELETE FROM monitoring_events WHERE seq >= " + last);
    auto truncated = Run({"audit", "verify", "--expect-head", last + ":" + head[2].str()});
    EXPECT_EQ(truncated.exit_code, 1);
    EXPECT_NE(truncated.err.find("is not in the log"), std::string::npos) << truncated.err;
    auto malformed = Run({"audit", "verify", "--expect-head", last});
    EXPECT_EQ(malformed.exit_code, 2);
    EXPECT_NE(malformed.err.find("--expect-head: '" + last + "' is not SEQ:HASH"),
              std::string::npos)
        << malformed.err;
}

TEST_F(MonitorCli, RefusesBadValuesAndStoresNothing) {
    OpenRs2025();
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"AS.7", "--status", "provided", "--value", "120"}, "between 0 and 100"},
        {{"AS.7", "--status", "provided", "--numerator", "30", "--denominator", "20"},
         "above its denominator"},
        {{"AS.1", "--by", "REG=XX", "--status", "provided", "--value", "3"}, "REG=XX"},
        {{"CO.8/mechanism", "--status", "provided", "--answer", "yes"}, "not applicable in RS"},
        {{"AS.1", "--status", "provided", "--answer", "yes"}, "a NUM value has no answer"},
        {{"AS.1", "--status", "provided", "--value", "4O"}, "--value: '4O' is not a number"},
        {{"AS.1", "--status", "given", "--value", "4"}, "--status: 'given' is not allowed"},
        {{"LF.8", "--status", "provided", "--score", "4", "--justification", "x"},
         "--score: '4' is not a whole number from 0 to 3"},
        {{"LF.8", "--status", "provided", "--score", "2"}, "needs a justification"},
        {{"LF.4", "--track", "derived", "--status", "provided", "--answer", "yes"},
         "--track: 'derived' is not allowed; use one of: official, cso"},
        {{"LF4", "--status", "provided", "--answer", "yes"}, "'LF4' is not a value key"},
        {{"AS.1", "--by", "REG", "--status", "provided", "--value", "3"}, "--by"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args = {"value", "set", "RS-2025"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        auto r = Run(args, "alice");
        EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.out << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.message << "\ngot: " << r.err;
    }
    auto bad_date = Run({"request", "add", "RS-2025", "--institution", "MUP", "--item", "AS.1",
                         "--sent", "2025-02-30"},
                        "alice");
    EXPECT_EQ(bad_date.exit_code, 2);
    EXPECT_NE(bad_date.err.find("--sent: '2025-02-30' is not a date"), std::string::npos)
        << bad_date.err;
    auto bad_country = Run({"cycle", "open", "XK", "2025"}, "alice");
    EXPECT_EQ(bad_country.exit_code, 2);
    EXPECT_NE(bad_country.err.find("AL, BA, ME, MK, RS"), std::string::npos) << bad_country.err;
    auto bad_format = Run({"cycle", "list", "--format", "xml"});
    EXPECT_EQ(bad_format.exit_code, 2);
    EXPECT_NE(bad_format.err.find("table, csv, json"), std::string::npos) << bad_format.err;

    auto listed = Run({"value", "list", "RS-2025", "--no-derived", "--format", "csv"});
    Ok(listed);
    EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 1) << listed.out;
}

TEST_F(MonitorCli, AChangeNamesWhoMakesIt) {
    OpenRs2025();
    auto r = RunWithoutUser(
        {"value", "set", "RS-2025", "LF.4", "--status", "provided", "--answer", "yes"});
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find("--user"), std::string::npos) << r.err;
    EXPECT_EQ(Run({"value", "list", "RS-2025", "--no-derived"}).out.find("LF.4"),
              std::string::npos);
    Ok(RunWithoutUser(
        {"value", "set", "RS-2025", "LF.4", "--status", "provided", "--answer", "yes"}, "carol"));
    auto log = Run({"audit", "log", "--limit", "1", "--format", "csv"});
    Ok(log);
    EXPECT_NE(log.out.find(",carol,RS,value_entered,"), std::string::npos) << log.out;
}

TEST_F(MonitorCli, UrgentRequestsHaveTheUrgentDeadline) {
    OpenRs2025();
    Ok(Run({"request", "add", "RS-2025", "--institution", "MUP", "--item", "PR.2"}, "alice"));
    auto sent = Run({"request", "send", "RS-2025-R01", "--date", "2025-02-07", "--urgent"},
                    "alice");
    Ok(sent);
    // Friday + 48 hours: Sunday.
    EXPECT_NE(sent.out.find("legal deadline 2025-02-09"), std::string::npos) << sent.out;
    auto shown = Run({"request", "show", "RS-2025-R01"});
    Ok(shown);
    EXPECT_NE(shown.out.find("  urgent:      yes"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("urgent procedure: 48 hours from sending on 2025-02-07 (Fri)"),
              std::string::npos)
        << shown.out;
    auto overdue = Run({"request", "overdue", "--country", "RS", "--today", "2025-02-10"});
    Ok(overdue);
    EXPECT_NE(overdue.out.find("RS-2025-R01"), std::string::npos) << overdue.out;
    auto added = Run({"request", "add", "RS-2025", "--institution", "MUP", "--item", "PR.2",
                      "--sent", "2025-02-07", "--urgent"},
                     "alice");
    Ok(added);
    EXPECT_NE(added.out.find("urgent, sent 2025-02-07 by email, legal deadline 2025-02-09"),
              std::string::npos)
        << added.out;
}

TEST_F(MonitorCli, ASentDateIsCorrectedOnlyOnPurpose) {
    OpenRs2025();
    Ok(Run({"request", "add", "RS-2025", "--institution", "MUP", "--item", "PR.2"}, "alice"));
    auto listed = Run({"request", "list", "RS-2025", "--format", "csv"});
    Ok(listed);
    EXPECT_NE(listed.out.find("RS-2025-R01,MUP,email,not sent,,,,1,0,0,"), std::string::npos)
        << listed.out;
    Ok(Run({"request", "send", "RS-2025-R01", "--date", "2025-03-03"}, "alice"));
    listed = Run({"request", "list", "RS-2025", "--today", "2025-03-05", "--format", "csv"});
    EXPECT_NE(listed.out.find(",awaited,"), std::string::npos) << listed.out;
    Ok(Run({"request", "send", "RS-2025-R01", "--date", "2025-03-03"}, "alice"));  // the same
    auto again = Run({"request", "send", "RS-2025-R01", "--date", "2025-03-04"}, "alice");
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("already recorded as sent on 2025-03-03; to correct the date, add "
                             "--correct"),
              std::string::npos)
        << again.err;
    Ok(Run({"request", "send", "RS-2025-R01", "--date", "2025-03-04", "--correct"}, "alice"));
    auto shown = Run({"request", "show", "RS-2025-R01"});
    EXPECT_NE(shown.out.find("2025-03-04"), std::string::npos) << shown.out;
}

TEST_F(MonitorCli, OverdueRequestsAndRegisterFigures) {
    OpenRs2025();
    auto added = Run({"request", "add", "RS-2025", "--institution", "MUP", "--item", "AS.1",
                      "--item", "AS.7:SVC:2025", "--sent", "2025-01-06"},
                     "alice");
    Ok(added);
    EXPECT_NE(added.out.find("RS-2025-R01"), std::string::npos) << added.out;
    EXPECT_NE(added.out.find("legal deadline 2025-01-21"), std::string::npos) << added.out;
    Ok(Run({"request", "add", "RS-2025", "--institution", "MUP", "--item", "LF.4"}, "alice"));

    auto overdue = Run({"request", "overdue", "--country", "RS", "--today", "2025-03-01"});
    Ok(overdue);
    EXPECT_TRUE(
        std::regex_search(overdue.out, std::regex(R"(RS-2025-R01\s+MUP\s+2025-01-21\s+39)")))
        << overdue.out;
    EXPECT_EQ(overdue.out.find("RS-2025-R02"), std::string::npos) << overdue.out;  // not sent
    auto listed = Run({"request", "list", "RS-2025", "--today", "2025-03-01", "--format", "csv"});
    Ok(listed);
    EXPECT_NE(listed.out.find("RS-2025-R01,MUP,email,2025-01-06,2025-01-21,no_response,,2,0,0,"
                              "overdue"),
              std::string::npos)
        << listed.out;
    EXPECT_EQ(Run({"request", "overdue", "--today", "2025-3-1"}).exit_code, 2);

    Ok(Run({"request", "complain", "RS-2025-R01", "--date", "2025-02-10"}, "alice"));
    Ok(Run({"request", "reply", "RS-2025-R01", "--date", "2025-03-05", "--response", "partial",
            "--item", "AS.1=provided", "--item", "AS.7=refused", "--ground", "personal_data"},
           "alice"));
    Ok(Run({"request", "decide-complaint", "RS-2025-R01", "--outcome", "information_released",
            "--date", "2025-04-01"},
           "alice"));
    auto after = Run({"request", "overdue", "--today", "2025-06-01"});
    Ok(after);
    EXPECT_EQ(after.out.find("RS-2025-R01"), std::string::npos) << after.out;
    auto figures =
        Run({"request", "figures", "RS-2025", "--as-of", "2025-06-01", "--format", "json"});
    Ok(figures);
    const auto rows = nlohmann::json::parse(figures.out);
    ASSERT_FALSE(rows.empty()) << figures.out;
    EXPECT_EQ(rows[0]["institution"], "(all)") << figures.out;
    EXPECT_EQ(rows[0]["dp5_in_time"], 0) << figures.out;
    EXPECT_EQ(rows[0]["dp5_of"], 1) << figures.out;
    EXPECT_EQ(rows[0]["dp8_favourable"], 1) << figures.out;
    // The keys in the order of the columns.
    EXPECT_EQ(nlohmann::ordered_json::parse(figures.out)[0].begin().key(), "institution");

    Ok(Run({"recommendation", "add", "RS-2025", "--text", "Publish the shelter register",
            "--source", "greta", "--urgency", "urge", "--indicator", "AS.7", "--institution", "MUP",
            "--issued", "2025-05-01"},
           "alice"));
    auto recs = Run({"recommendation", "list", "RS"});
    Ok(recs);
    EXPECT_NE(recs.out.find("RS-2025-REC01"), std::string::npos) << recs.out;
}

TEST(CycleTemplate, ImportWithAMissingColumnStoresNothing) {
    testing::TempDir tmp;
    const std::string db = tmp.File("r.db");
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.end(), {"--db", db, "--user", "alice"});
        return RunRapporteur(args, tmp.path());
    };
    ASSERT_EQ(RunRapporteur({"init", "--db", db}).exit_code, 0);
    ASSERT_EQ(run({"cycle", "open", "RS", "2025"}).exit_code, 0);
    const std::string dir = tmp.File("out");
    std::filesystem::create_directory(dir);
    auto exported =
        RunRapporteur({"cycle", "export", "RS-2025", "--format", "csv", "-o", dir, "--db", db});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    const std::string file = exported.out.substr(0, exported.out.find('\n'));
    Rows rows = ReadCsv(testing::ReadText(file));
    ASSERT_GT(rows.size(), 10U);
    const size_t indicator = ColumnOf(rows, "indicator");
    const size_t status = ColumnOf(rows, "status");
    const size_t answer = ColumnOf(rows, "answer");
    ASSERT_LT(answer, rows[0].size());
    for (auto& r : rows) {
        if (r.at(indicator) == "LF.4" && r.at(ColumnOf(rows, "track")) == "official") {
            r.at(status) = "provided";
            r.at(answer) = "yes";
        }
    }
    const std::string filled = tmp.File("filled.csv");
    testing::WriteFile(filled, WriteCsv(rows));
    auto dry = run({"cycle", "import", "RS-2025", filled, "--dry-run"});
    ASSERT_EQ(dry.exit_code, 0) << dry.err;
    EXPECT_NE(dry.out.find("1 changed"), std::string::npos) << dry.out;

    Rows without = rows;
    for (auto& r : without) {
        r.erase(r.begin() + static_cast<std::ptrdiff_t>(status));
    }
    const std::string broken = tmp.File("broken.csv");
    testing::WriteFile(broken, WriteCsv(without));
    auto refused = run({"cycle", "import", "RS-2025", broken});
    EXPECT_EQ(refused.exit_code, 2) << refused.out;
    EXPECT_NE(refused.err.find("status"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("broken.csv"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("nothing was stored"), std::string::npos) << refused.err;
    auto listed =
        RunRapporteur({"value", "list", "RS-2025", "--no-derived", "--format", "csv", "--db", db});
    EXPECT_EQ(listed.out.find("LF.4"), std::string::npos) << listed.out;

    auto imported = run({"cycle", "import", "RS-2025", filled});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    listed =
        RunRapporteur({"value", "list", "RS-2025", "--no-derived", "--format", "csv", "--db", db});
    EXPECT_NE(listed.out.find("LF.4,value,,official,1,draft,provided,yes"), std::string::npos)
        << listed.out;
}

}  // namespace
}  // namespace rap::cli

namespace rap::cli {
namespace {

// The same commands on each database the run has: SQLite always, PostgreSQL when make test
// started a server (RAP_TEST_REQUIRE_PG=1 makes a missing one a failure).
class MonitorCliBackends : public ::testing::TestWithParam<std::string> {};

std::vector<std::string> CliBackends() {
    std::vector<std::string> out = {"sqlite"};
    if (testing::PostgresTestsEnabled()) {
        out.emplace_back("postgresql");
    }
    return out;
}

TEST_P(MonitorCliBackends, ACycleFromOpeningToPublication) {
    testing::TempDir tmp;
    std::unique_ptr<testing::PostgresDatabase> pg;
    std::string db = tmp.File("cycle.db");
    if (GetParam() == "postgresql") {
        ASSERT_FALSE(testing::PostgresAdminUrl().empty())
            << "RAP_TEST_REQUIRE_PG is set but RAP_TEST_PG_URL is not";
        pg = std::make_unique<testing::PostgresDatabase>();
        db = pg->url();
    }
    auto run = [&](std::vector<std::string> args, const std::string& user) {
        args.insert(args.end(), {"--db", db});
        if (!user.empty()) {
            args.insert(args.end(), {"--user", user});
        }
        return RunRapporteur(args, tmp.path());
    };
    auto ok = [](const CommandResult& r) {
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        return r.exit_code == 0;
    };
    ASSERT_TRUE(ok(run({"init"}, "")));
    ASSERT_TRUE(ok(run({"institution", "add", "MK", "moi", "--name", "Ministry (synthetic)",
                        "--type", "MoI"},
                       "ana")));
    ASSERT_TRUE(ok(run({"cycle", "open", "MK", "2025"}, "ana")));
    ASSERT_TRUE(ok(run({"value", "set", "MK-2025", "LF.4", "--status", "provided", "--answer",
                        "yes"},
                       "ana")));
    ASSERT_TRUE(ok(run({"value", "set", "MK-2025", "IC.5/executed_share", "--status", "provided",
                        "--numerator", "30", "--denominator", "40"},
                       "ana")));
    ASSERT_TRUE(ok(run({"value", "submit", "MK-2025"}, "ana")));
    auto own = run({"value", "validate", "MK-2025"}, "ana");
    EXPECT_EQ(own.exit_code, 1);
    EXPECT_NE(own.err.find("a reviewer who is not its author"), std::string::npos) << own.err;
    ASSERT_TRUE(ok(run({"value", "validate", "MK-2025"}, "boris")));
    ASSERT_TRUE(ok(run({"cycle", "publish", "MK-2025"}, "coordinator")));
    auto late = run({"value", "set", "MK-2025", "LF.4", "--status", "provided", "--answer", "no"},
                    "ana");
    EXPECT_EQ(late.exit_code, 1);
    EXPECT_NE(late.err.find("is published"), std::string::npos) << late.err;
    auto list = run({"value", "list", "MK-2025", "--no-derived", "--format", "csv"}, "");
    ASSERT_TRUE(ok(list));
    EXPECT_NE(list.out.find("75"), std::string::npos) << list.out;
    auto verify = run({"audit", "verify"}, "");
    ASSERT_TRUE(ok(verify));
    EXPECT_NE(verify.out.find("intact"), std::string::npos) << verify.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, MonitorCliBackends, ::testing::ValuesIn(CliBackends()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace rap::cli
