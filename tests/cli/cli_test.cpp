// SPDX-License-Identifier: AGPL-3.0-or-later
// The rapporteur binary as a user runs it: arguments, exit codes, messages.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace rap::cli {
namespace {

using rap::testing::Replace;

using testing::RunRapporteur;

const std::string kData = std::string(RAP_SOURCE_DIR) + "/data";

// Line (1-based) of the first occurrence of `needle` in `text`.
int LineOf(const std::string& text, const std::string& needle) {
    const size_t at = text.find(needle);
    return at == std::string::npos ? 0 : 1 + static_cast<int>(std::count(text.begin(),
                                                                          text.begin() + at, '\n'));
}

TEST(Cli, HelpListsTheSubcommands) {
    auto r = RunRapporteur({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* sub : {"init", "serve", "framework"}) {
        EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
    }
    auto fw = RunRapporteur({"framework", "--help"});
    EXPECT_NE(fw.out.find("validate"), std::string::npos);
    EXPECT_NE(fw.out.find("show"), std::string::npos);
    auto v = RunRapporteur({"--version"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_TRUE(std::regex_search(v.out, std::regex(R"(^\d+\.\d+\.\d+)")));
}

TEST(Cli, BadUsageExitsTwo) {
    EXPECT_EQ(RunRapporteur({}).exit_code, 2);
    EXPECT_EQ(RunRapporteur({"frobnicate"}).exit_code, 2);
    EXPECT_EQ(RunRapporteur({"serve", "--port", "70000"}).exit_code, 2);
    EXPECT_EQ(RunRapporteur({"framework", "validate"}).exit_code, 2);
}

TEST(Cli, ValidatesTheShippedFrameworks) {
    std::vector<std::string> args = {"framework", "validate"};
    for (const char* f : {"regional-core", "al", "ba", "me", "mk", "rs"}) {
        args.push_back(kData + "/frameworks/" + f + ".yaml");
    }
    auto r = RunRapporteur(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("core: 70 indicators in 9 areas"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("national adaptation for BA of regional-core"), std::string::npos);
}

TEST(Cli, ValidatingTheCountriesSaysHowFarTheHolidaysReach) {
    auto r = RunRapporteur({"framework", "validate", kData + "/countries.yaml"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("5 countries; public holidays for 5 (lunar-calendar dates through "
                         "2026)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("; regional days off in BA-FBIH, BA-SRP"), std::string::npos) << r.out;
}

TEST(Cli, ValidatingTheCountriesNamesStricterDisclosureThresholds) {
    testing::TempDir tmp;
    testing::WriteFile(tmp.File("countries.yaml"),
                       Replace(testing::ReadText(kData + "/countries.yaml"), "  - code: BA\n",
                               "  - code: BA\n    disclosure:\n      threshold: 8\n"
                               "      reason: {en: Synthetic test of a stricter rule}\n"));
    auto r = RunRapporteur({"framework", "validate", tmp.File("countries.yaml")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("stricter disclosure thresholds in BA (8, 10 across two dimensions)"),
              std::string::npos)
        << r.out;
    // The shipped countries keep the regional minimum.
    auto shipped = RunRapporteur({"framework", "validate", kData + "/countries.yaml"});
    EXPECT_EQ(shipped.out.find("stricter"), std::string::npos) << shipped.out;
}

class BadFrameworkFile : public ::testing::Test {
protected:
    std::string Core() { return testing::ReadText(kData + "/frameworks/regional-core.yaml"); }
    std::string Rs() { return testing::ReadText(kData + "/frameworks/rs.yaml"); }

    // Validates one file and checks exit code 2 and "file:line:column: <message>".
    void ExpectRejected(const std::string& name, const std::string& text, int line,
                        const std::string& message) {
        const std::string path = tmp_.File(name);
        testing::WriteFile(path, text);
        auto r = RunRapporteur({"framework", "validate", path});
        EXPECT_EQ(r.exit_code, 2) << r.err;
        const std::regex expected(std::regex_replace(path, std::regex(R"([.^$|()\[\]{}*+?\\])"),
                                                     R"(\$&)") +
                                  ":" + std::to_string(line) + R"(:\d+: .*)" + message);
        EXPECT_TRUE(std::regex_search(r.err, expected)) << "expected line " << line << ": "
                                                        << message << "\ngot:\n" << r.err;
    }

    testing::TempDir tmp_;
};

TEST_F(BadFrameworkFile, BrokenYaml) {
    const std::string text = Replace(Core(), "  - code: ID.3\n", "  - code: [ID.3\n");
    ExpectRejected("broken.yaml", text, LineOf(text, "  - code: [ID.3") + 1, "YAML syntax error");
}

TEST_F(BadFrameworkFile, DuplicateIndicatorCode) {
    const int line = LineOf(Core(), "  - code: ID.3\n");
    const std::string text = Replace(Core(), "  - code: ID.3\n", "  - code: ID.2\n");
    ExpectRejected("duplicate.yaml", text, line, "duplicate indicator code 'ID.2'");
}

TEST_F(BadFrameworkFile, UnknownValueKind) {
    std::string text = Core();
    const int line = LineOf(text, "kind: YNP");
    text = Replace(text, "kind: YNP", "kind: YESNOPARTLY");
    ExpectRejected("kind.yaml", text, line, "unknown value kind 'YESNOPARTLY'");
}

TEST_F(BadFrameworkFile, UnknownDimension) {
    std::string text = Core();
    const int line = LineOf(text, "[SEX, AGE, CIT, FORM, IDB, REG]");
    ASSERT_GT(line, 0);
    text = Replace(text, "[SEX, AGE, CIT, FORM, IDB, REG]", "[SEX, AGE, CITIZENSHIP, FORM, IDB, REG]");
    ExpectRejected("dimension.yaml", text, line, "unknown dimension 'CITIZENSHIP'");
}

TEST_F(BadFrameworkFile, AdaptationOfAnIndicatorTheCoreDoesNotHave) {
    std::string text = Rs();
    const size_t at = text.find("indicator: ID.2");
    ASSERT_NE(at, std::string::npos);
    const int line = LineOf(text, "indicator: ID.2");
    text.replace(at, 15, "indicator: ID.42");
    ExpectRejected("rs-missing.yaml", text, line, "names indicator 'ID.42', which regional-core "
                                                  "does not have");
}

TEST_F(BadFrameworkFile, CycleOfExtends) {
    const std::string a =
        "schema: rapporteur/framework@1\nid: cycle-a\nversion: \"1.0.0\"\nkind: national\n"
        "country: RS\nextends: cycle-b\nname: {en: A}\ndeviations: []\n";
    const std::string b =
        "schema: rapporteur/framework@1\nid: cycle-b\nversion: \"1.0.0\"\nkind: national\n"
        "country: RS\nextends: cycle-a\nname: {en: B}\ndeviations: []\n";
    testing::WriteFile(tmp_.File("cycle-b.yaml"), b);  // found beside cycle-a.yaml
    ExpectRejected("cycle-a.yaml", a, 6, "extends forms a cycle: cycle-a -> cycle-b -> cycle-a");
}

TEST_F(BadFrameworkFile, WrongEncoding) {
    std::string text = Rs();
    const int line = LineOf(text, "name:");
    // Windows-1250 "Srbija – č" in the name.
    text = Replace(text, "name:", "name:\n  # Srbija \xE8");
    ExpectRejected("cp1250.yaml", text, line + 1, "not valid UTF-8");
}

TEST(Cli, InitTwiceNeitherDestroysNorDuplicates) {
    testing::TempDir tmp;
    const std::string db = tmp.File("r.db");
    auto first = RunRapporteur({"init", "--db", db, "--demo"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("SYNTHETIC DEMO DATA"), std::string::npos);
    auto count = [&] {
        return testing::RunShell("sqlite3 " + db +
                                 " 'SELECT (SELECT count(*) FROM reference_files) || \"/\" || "
                                 "(SELECT count(*) FROM effective_indicators) || \"/\" || "
                                 "(SELECT count(*) FROM population)'")
            .out;
    };
    const std::string before = count();
    auto second = RunRapporteur({"init", "--db", db});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("0 files stored"), std::string::npos) << second.out;
    EXPECT_EQ(count(), before);
    EXPECT_EQ(before.substr(0, 3), "52/");  // 44 codelists, countries, schema, 6 frameworks
}

TEST(Cli, InitFromABrokenDataDirWritesNothing) {
    testing::TempDir tmp;
    testing::WriteMiniDataDir(tmp.File("data"));
    testing::WriteFile(tmp.File("data/frameworks/test-core.yaml"),
                       Replace(testing::MiniCore(), "kind: NUM", "kind: NUMBER"));
    auto r = RunRapporteur({"init", "--db", tmp.File("r.db"), "--data-dir", tmp.File("data")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("test-core.yaml:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing was written"), std::string::npos) << r.err;
    auto tables = testing::RunShell("sqlite3 " + tmp.File("r.db") +
                                    " \"SELECT count(*) FROM sqlite_master WHERE type='table'\"");
    EXPECT_EQ(tables.out, "0\n");
}

TEST(Cli, InitIntoAMissingDirectoryFails) {
    auto r = RunRapporteur({"init", "--db", "/nonexistent/dir/r.db"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot open the database"), std::string::npos) << r.err;
}

TEST(Cli, OnlyInitCreatesADatabase) {
    testing::TempDir tmp;
    const std::string typo = tmp.File("rapporteru.db");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"cycle", "show", "RS-2025", "--db", typo},
          std::vector<std::string>{"framework", "show", "--db", typo},
          std::vector<std::string>{"serve", "--port", "0", "--db", typo}}) {
        auto r = RunRapporteur(args);
        EXPECT_EQ(r.exit_code, 2) << args.front();
        EXPECT_NE(r.err.find("there is no database at " + typo), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(typo)) << args.front();
    }
    EXPECT_EQ(RunRapporteur({"init", "--db", typo}).exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(typo));
}

TEST(Cli, ShowsEffectiveIndicators) {
    testing::TempDir tmp;
    const std::string db = tmp.File("r.db");
    ASSERT_EQ(RunRapporteur({"init", "--db", db}).exit_code, 0);
    auto list = RunRapporteur({"framework", "show", "--db", db, "--country", "BA"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("JS.3"), std::string::npos);
    auto one = RunRapporteur({"framework", "show", "--db", db, "--country", "BA", "JS.3"});
    EXPECT_EQ(one.exit_code, 0) << one.err;
    EXPECT_NE(one.out.find("comparability:  adapted"), std::string::npos) << one.out;
    EXPECT_NE(one.out.find("REG"), std::string::npos) << one.out;
    auto json = RunRapporteur({"framework", "show", "--db", db, "ID.1", "--format", "json"});
    EXPECT_EQ(json.exit_code, 0);
    EXPECT_NE(json.out.find("\"comparability\":\"identical\""), std::string::npos);
    EXPECT_EQ(RunRapporteur({"framework", "show", "--db", db, "--country", "XX"}).exit_code, 2);
    EXPECT_EQ(RunRapporteur({"framework", "show", "--db", db, "NOPE.1"}).exit_code, 2);
    auto empty = RunRapporteur({"framework", "show", "--db", tmp.File("empty.db")});
    EXPECT_NE(empty.exit_code, 0);
    EXPECT_NE(empty.err.find("rapporteur init"), std::string::npos);
}

// Starts `rapporteur serve --port 0`, reads the port from its log, asks /healthz, stops it with
// SIGTERM and expects a clean exit.
TEST(Cli, ServeAnswersAndStopsOnSigterm) {
    testing::TempDir tmp;
    const std::string db = tmp.File("r.db");
    ASSERT_EQ(RunRapporteur({"init", "--db", db, "--demo"}).exit_code, 0);
    const std::string log = tmp.File("serve.log");
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        FILE* f = freopen(log.c_str(), "w", stderr);
        (void)f;
        execl(RAP_BINARY, RAP_BINARY, "serve", "--db", db.c_str(), "--port", "0", nullptr);
        _exit(127);
    }
    int port = 0;
    for (int i = 0; i < 500 && port == 0; ++i) {
        std::smatch m;
        const std::string text = testing::ReadText(log);
        if (std::regex_search(text, m, std::regex(R"(http://127\.0\.0\.1:(\d+)/)"))) {
            port = std::stoi(m[1]);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    ASSERT_GT(port, 0) << testing::ReadText(log);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    ASSERT_EQ(write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
    std::string reply;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) {
        reply.append(buf, static_cast<size_t>(n));
    }
    close(fd);
    EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 200");
    EXPECT_NE(reply.find("\"demo\":true"), std::string::npos) << reply;
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << testing::ReadText(log);
}

}  // namespace
}  // namespace rap::cli

namespace rap::cli {
namespace {

// A demonstration database, made once for the tests below.
class DemoDb : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new testing::TempDir();
        auto r = testing::RunRapporteur({"init", "--demo", "--db", tmp_->File("demo.db")});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        ASSERT_NE(r.out.find("synthetic victim records generated"), std::string::npos) << r.out;
    }
    static void TearDownTestSuite() { delete tmp_; }
    static std::string Db() { return tmp_->File("demo.db"); }
    static inline testing::TempDir* tmp_ = nullptr;
};

TEST_F(DemoDb, ValuesAsTableCsvAndJson) {
    auto table = testing::RunRapporteur({"values", "--db", Db(), "--indicator", "ID.5",
                                         "--country", "RS", "--year", "2024", "--by", "age"});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("SYNTHETIC DEMO DATA"), std::string::npos);
    EXPECT_NE(table.out.find("AGE"), std::string::npos);
    EXPECT_NE(table.out.find("p90"), std::string::npos);
    auto csv = testing::RunRapporteur({"values", "--db", Db(), "--indicator", "ID.1", "--country",
                                       "BA", "--year", "2023", "--by", "reg,sex", "--format",
                                       "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.out.substr(0, 40), "measure,REG,SEX,value,numerator,denomina");
    auto json = testing::RunRapporteur({"values", "--db", Db(), "--indicator", "AS.2", "--country",
                                        "AL", "--year", "2022", "--format", "json"});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_NE(json.out.find("\"SVC\":\"accommodation\""), std::string::npos) << json.out;
    EXPECT_NE(json.out.find("\"demo\":true"), std::string::npos);
}

// The law/practice gap of an area is negative where practice scores above the law: CSV keeps it
// a number (no formula guard on numbers), JSON makes it one.
TEST_F(DemoDb, NegativeNumbersStayNumbersInCsvAndJson) {
    auto csv = testing::RunRapporteur({"score", "MK-2024", "--db", Db(), "--format", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.out.rfind("area,score,band,with_value,scorable,coverage,law,practice,gap,caps\n",
                            0),
              0U)
        << csv.out;
    EXPECT_TRUE(std::regex_search(csv.out, std::regex(",-[0-9]+\\.[0-9],"))) << csv.out;
    EXPECT_EQ(csv.out.find("'-"), std::string::npos) << csv.out;
    auto json = testing::RunRapporteur({"score", "MK-2024", "--db", Db(), "--format", "json"});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_TRUE(std::regex_search(json.out, std::regex("\"gap\":-[0-9]"))) << json.out;
}

TEST_F(DemoDb, ValuesHideSmallCountsUnlessToldOtherwise) {
    // Montenegro's demo numbers are small: a two-way breakdown has cells under 10.
    const std::vector<std::string> query = {"values", "--db", Db(), "--indicator", "ID.1",
                                            "--country", "ME", "--year", "2024", "--by",
                                            "sex,age", "--format", "csv"};
    auto shown = testing::RunRapporteur(query);
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find(",<10,"), std::string::npos) << shown.out;
    auto raw_args = query;
    raw_args.insert(raw_args.end(), {"--unprotected", "--user", "Analyst (synthetic)"});
    auto raw = testing::RunRapporteur(raw_args);
    ASSERT_EQ(raw.exit_code, 0) << raw.err;
    EXPECT_EQ(raw.out.find("<10"), std::string::npos) << raw.out;
    auto table = testing::RunRapporteur({"values", "--db", Db(), "--indicator", "ID.1",
                                         "--country", "ME", "--year", "2024", "--by", "sex,age",
                                         "--unprotected", "--user", "Analyst (synthetic)"});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("UNPROTECTED"), std::string::npos) << table.out;

    // Every unprotected read is in the audit log, with who read what; protected reads are not.
    auto log = testing::RunRapporteur(
        {"audit", "log", "--db", Db(), "--country", "ME", "--limit", "1", "--format", "csv"});
    ASSERT_EQ(log.exit_code, 0) << log.err;
    EXPECT_NE(log.out.find(",Analyst (synthetic),ME,case_data_accessed,\"case data: "
                           "unprotected_values ID.1 2024 by SEX,AGE ("),
              std::string::npos)
        << log.out;
    auto count = [&] {
        return testing::RunShell("sqlite3 " + Db() +
                                 " \"SELECT count(*) FROM monitoring_events WHERE "
                                 "event_type = 'case_data_accessed'\"")
            .out;
    };
    const std::string before = count();
    EXPECT_NE(before, "0\n");  // the two reads above
    EXPECT_FALSE(before.empty());
    ASSERT_EQ(testing::RunRapporteur(query).exit_code, 0);
    EXPECT_EQ(count(), before);
    // Nobody to name: refused, nothing shown, nothing logged.
    std::string anonymous = "env -u USER -u RAPPORTEUR_USER " + std::string(RAP_BINARY);
    for (const auto& a : raw_args) {
        if (a == "--user") {
            break;
        }
        anonymous += " '" + a + "'";
    }
    auto nobody = testing::RunShell(anonymous);
    EXPECT_EQ(nobody.exit_code, 2) << nobody.out;
    EXPECT_NE(nobody.err.find("--user: say who you are"), std::string::npos) << nobody.err;
    EXPECT_EQ(nobody.out, "");
    EXPECT_EQ(count(), before);
}

TEST_F(DemoDb, ValuesRefuseWhatDoesNotExist) {
    auto bad_dim = testing::RunRapporteur({"values", "--db", Db(), "--indicator", "ID.5",
                                           "--country", "RS", "--year", "2024", "--by", "form"});
    EXPECT_EQ(bad_dim.exit_code, 2);
    EXPECT_NE(bad_dim.err.find("ID.5 is not broken down by form; allowed: AGE, CIT"),
              std::string::npos)
        << bad_dim.err;
    auto entered = testing::RunRapporteur({"values", "--db", Db(), "--indicator", "LF.1",
                                           "--country", "RS", "--year", "2024"});
    EXPECT_EQ(entered.exit_code, 2);
    EXPECT_NE(entered.err.find("not derived from case records"), std::string::npos);
    auto unknown = testing::RunRapporteur({"values", "--db", Db(), "--indicator", "XX.1",
                                           "--country", "RS", "--year", "2024"});
    EXPECT_EQ(unknown.exit_code, 2);
    auto empty_year = testing::RunRapporteur({"values", "--db", Db(), "--indicator", "ID.1",
                                              "--country", "RS", "--year", "2030"});
    EXPECT_EQ(empty_year.exit_code, 0);
    EXPECT_NE(empty_year.out.find("no case records for RS in 2030"), std::string::npos);
}

TEST_F(DemoDb, ComputeIsUpToDateAfterInit) {
    auto r = testing::RunRapporteur({"compute", "--db", Db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("values are up to date"), std::string::npos) << r.out;
    auto all = testing::RunRapporteur({"compute", "--db", Db(), "--all"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    EXPECT_NE(all.out.find("computed"), std::string::npos);
}

TEST_F(DemoDb, GenerateTemplateImportAndExport) {
    testing::TempDir tmp;
    auto gen = testing::RunRapporteur({"generate", "cases", "--victims", "300", "--seed", "5",
                                       "-o", tmp.File("gen")});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    EXPECT_NE(testing::ReadText(tmp.File("gen/victims.csv")).find("SYN-"), std::string::npos);
    ASSERT_EQ(testing::RunRapporteur({"init", "--db", tmp.File("g.db")}).exit_code, 0);
    std::vector<std::string> import = {"import", "cases", "--db", tmp.File("g.db")};
    for (const char* f : {"victims", "proceedings", "defendants", "proceeding_victims", "claims"}) {
        import.push_back(tmp.File(std::string("gen/") + f + ".csv"));
    }
    auto dry = import;
    dry.push_back("--dry-run");
    auto d = testing::RunRapporteur(dry);
    ASSERT_EQ(d.exit_code, 0) << d.err;
    EXPECT_NE(d.out.find("nothing was written"), std::string::npos);
    // A real import names who makes it; without a name nothing is written.
    auto unnamed = testing::RunShell("env -u USER -u RAPPORTEUR_USER " + [&] {
        std::string command = RAP_BINARY;
        for (const auto& a : import) {
            command += " '" + a + "'";
        }
        return command;
    }());
    EXPECT_EQ(unnamed.exit_code, 2) << unnamed.out;
    EXPECT_NE(unnamed.err.find("--user"), std::string::npos) << unnamed.err;
    import.insert(import.end(), {"--user", "Analyst (synthetic)"});
    auto first = testing::RunRapporteur(import);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("imported as data version 1"), std::string::npos) << first.out;
    // The import is in the audit log: one entry per country, with its new records.
    auto imported = testing::RunShell(
        "sqlite3 " + tmp.File("g.db") +
        " \"SELECT country || ' ' || actor || ' ' || json_extract(payload, '$.data_version') || ' ' "
        "|| json_extract(payload, '$.inserted') FROM monitoring_events WHERE event_type = "
        "'cases_imported' ORDER BY seq\"");
    const std::vector<std::string> lines = [&] {
        std::vector<std::string> out;
        std::istringstream in(imported.out);
        for (std::string line; std::getline(in, line);) {
            out.push_back(line);
        }
        return out;
    }();
    ASSERT_EQ(lines.size(), 5U) << imported.out;
    long long total = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string prefix = std::string(std::vector<const char*>{"AL", "BA", "ME", "MK",
                                                                        "RS"}[i]) +
                                   " Analyst (synthetic) 1 ";
        ASSERT_EQ(lines[i].substr(0, prefix.size()), prefix) << imported.out;
        total += std::stoll(lines[i].substr(prefix.size()));
    }
    // Every row of every file is new, and each is counted once, in its country.
    long long rows = 0;
    for (const char* f : {"victims", "proceedings", "defendants", "proceeding_victims", "claims"}) {
        const std::string text = testing::ReadText(tmp.File(std::string("gen/") + f + ".csv"));
        rows += std::count(text.begin(), text.end(), '\n') - 1;
    }
    EXPECT_EQ(total, rows);
    auto again = testing::RunRapporteur(import);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("0 new"), std::string::npos) << again.out;
    auto tpl = testing::RunRapporteur({"template", "cases", "--format", "csv", "-o",
                                       tmp.File("tpl")});
    ASSERT_EQ(tpl.exit_code, 0) << tpl.err;
    EXPECT_EQ(testing::ReadText(tmp.File("tpl/claims.csv")).substr(3, 8), "claim_id");
    // Without anyone to name in the audit log nothing is exported.
    auto nobody = testing::RunShell("env -u USER -u RAPPORTEUR_USER " + std::string(RAP_BINARY) +
                                    " export cases --db '" + tmp.File("g.db") + "' -o '" +
                                    tmp.File("none") + "'");
    EXPECT_EQ(nobody.exit_code, 2) << nobody.out;
    EXPECT_NE(nobody.err.find("--user"), std::string::npos) << nobody.err;
    EXPECT_FALSE(std::filesystem::exists(tmp.File("none/victims.csv")));
    auto exp = testing::RunRapporteur({"export", "cases", "--db", tmp.File("g.db"), "-o",
                                       tmp.File("exp"), "--country", "ME", "--user",
                                       "Analyst (synthetic)"});
    ASSERT_EQ(exp.exit_code, 0) << exp.err;
    EXPECT_NE(exp.err.find("keep them inside your organisation"), std::string::npos);
    EXPECT_EQ(testing::ReadText(tmp.File("exp/victims.csv")).find("SYN-RS"), std::string::npos);
    // The export is in the audit log of the country exported, and only there.
    auto log = testing::RunRapporteur({"audit", "log", "--db", tmp.File("g.db"), "--format",
                                       "csv"});
    ASSERT_EQ(log.exit_code, 0) << log.err;
    EXPECT_NE(log.out.find(",Analyst (synthetic),ME,case_data_accessed,case data: export csv to " +
                           tmp.File("exp")),
              std::string::npos)
        << log.out;
    EXPECT_EQ(log.out.find(",RS,case_data_accessed"), std::string::npos) << log.out;
    auto all = testing::RunRapporteur({"export", "cases", "--db", tmp.File("g.db"), "-o",
                                       tmp.File("all"), "--format", "xlsx", "--user",
                                       "Analyst (synthetic)"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    auto after = testing::RunShell("sqlite3 " + tmp.File("g.db") +
                                   " \"SELECT group_concat(country, ',') FROM (SELECT country "
                                   "FROM monitoring_events WHERE event_type = 'case_data_accessed' "
                                   "ORDER BY seq)\"");
    EXPECT_EQ(after.out, "ME,AL,BA,ME,MK,RS\n");
    auto verify = testing::RunRapporteur({"audit", "verify", "--db", tmp.File("g.db")});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(DemoDb, ABrokenImportWritesNothing) {
    testing::TempDir tmp;
    testing::WriteFile(tmp.File("victims.csv"),
                       "case_id,country,year,status,sex\nSYN-X-1,RS,2024,identified,F\n"
                       "SYN-X-2,RS,2024,identified,Q\n");
    ASSERT_EQ(testing::RunRapporteur({"init", "--db", tmp.File("b.db")}).exit_code, 0);
    auto r = testing::RunRapporteur({"import", "cases", "--db", tmp.File("b.db"),
                                     tmp.File("victims.csv"), "--user", "Analyst (synthetic)"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("victims.csv, row 3, column sex: 'Q' is not a code of SEX; allowed: F, "
                         "M, X, U"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("nothing was written"), std::string::npos);
    auto parts = testing::RunShell("sqlite3 " + tmp.File("b.db") +
                                   " 'SELECT count(*) FROM case_partitions'");
    EXPECT_EQ(parts.out, "0\n");
    auto events = testing::RunShell("sqlite3 " + tmp.File("b.db") +
                                    " 'SELECT count(*) FROM monitoring_events'");
    EXPECT_EQ(events.out, "0\n");
}

}  // namespace
}  // namespace rap::cli
