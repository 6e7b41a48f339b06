// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace rap::testing {

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rap-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string ReadText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string MiniCodelistSex() {
    return R"(schema: rapporteur/codelist@1
dimension: SEX
version: "1.0.0"
name: {en: Sex}
mappings: [htcds]
codes:
  - {code: F, name: {en: Female}, htcds: Feminine}
  - {code: M, name: {en: Male}, htcds: Masculine}
  - {code: U, name: {en: Unknown}, unknown: true}
)";
}

std::string MiniCodelistAge() {
    return R"(schema: rapporteur/codelist@1
dimension: AGE
version: "1.0.0"
name: {en: Age band}
codes:
  - {code: child, name: {en: Child}}
  - {code: adult, name: {en: Adult}}
  - {code: 0-17, name: {en: 0 to 17}, parent: child}
  - {code: 18+, name: {en: 18 and over}, parent: adult}
)";
}

std::string MiniCodelistReg() {
    return R"(schema: rapporteur/codelist@1
dimension: REG
version: "1.0.0"
name: {en: Region}
codes:
  - {code: RS-BG, name: {en: Belgrade}, country: RS}
  - {code: BA-FBIH, name: {en: Federation of Bosnia and Herzegovina}, country: BA}
)";
}

std::string MiniCountries() {
    std::string years;
    for (int y = 2010; y <= 2025; ++y) {
        years += fmt::format("        {}: {}\n", y, 7000000 - (y - 2010) * 30000);
    }
    std::string years_ba;
    for (int y = 2010; y <= 2025; ++y) {
        years_ba += fmt::format("        {}: {}\n", y, 3500000 - (y - 2010) * 10000);
    }
    return fmt::format(R"(schema: rapporteur/countries@1
version: "1.0.0"
countries:
  - code: RS
    iso3: SRB
    name: {{en: Serbia, sr-Latn: Srbija, sr-Cyrl: Србија}}
    languages: [sr-Cyrl, sr-Latn]
    currency: RSD
    foi:
      law: {{en: Synthetic test law}}
      deadline: {{days: 15, unit: calendar}}
      extended_deadline: {{days: 40, unit: calendar}}
      urgent_hours: 48
      appeal_body: {{en: Test commissioner}}
      source: https://example.org/foi
    public_holidays:
      substitute: sunday
      fixed:
        - {{date: "01-01", name: New Year}}
        - {{date: "01-02", name: New Year}}
        - {{date: "01-07", name: Christmas, substitute: none}}
        - {{date: "05-01", name: Labour Day}}
        - {{date: "05-02", name: Labour Day}}
        - {{date: "11-11", name: Armistice Day, from: 2002}}
      easter:
        - {{church: orthodox, offset: -2, name: Good Friday, substitute: none}}
        - {{church: orthodox, offset: 1, name: Easter Monday, substitute: none}}
      dated:
        years: [2024, 2025]
        days:
          - {{date: 2024-04-10, name: Synthetic lunar holiday}}
      source: https://example.org/holidays
    population:
      source: {{name: {{en: Synthetic test figures}}, url: https://example.org/pop}}
      values:
{}      estimated: [2025]
  - code: BA
    iso3: BIH
    name: {{en: Bosnia and Herzegovina}}
    languages: [bs]
    currency: BAM
    foi:
      law: {{en: Synthetic test law}}
      deadline: {{days: 15, unit: calendar}}
      appeal_body: {{en: Test appeals body}}
      source: https://example.org/foi
      verify: true
    disclosure:
      threshold: 8
      reason: {{en: Synthetic test of a stricter national rule}}
    population:
      source: {{name: {{en: Synthetic test figures}}}}
      values:
{})",
                       years, years_ba);
}

std::string MiniCore() {
    return R"(schema: rapporteur/framework@1
id: test-core
version: "1.0.0"
kind: core
name: {en: Test core (synthetic), sr-Latn: Testni okvir}
rubrics:
  SC3:
    0: {en: Absent.}
    1: {en: On paper only.}
    2: {en: Applied with gaps.}
    3: {en: Applied consistently.}
sources:
  SW: {en: Social welfare}
  LEG: {en: Legislation}
legal_instruments:
  C: {en: CETS 197}
areas:
  - {code: LF, name: {en: Legal framework}}
  - {code: ID, name: {en: Identification}}
indicators:
  - code: LF.1
    area: LF
    name: {en: Offence defined}
    description: {en: "The offence covers all acts, means and purposes."}
    type: structural
    kind: YNP
    direction: higher
    sources: [LEG]
    legal_refs: [{instrument: C, articles: "4"}]
  - code: LF.2
    area: LF
    name: {en: Strategy in force}
    description: {en: A costed strategy is in force.}
    type: structural
    kind: SC3
    direction: higher
  - code: ID.1
    area: ID
    name: {en: Presumed victims}
    description: {en: Persons detected as presumed victims.}
    type: outcome
    kind: NUM
    unit: persons
    direction: contextual
    disaggregations: [SEX, AGE]
    sources: [SW]
  - code: ID.2
    area: ID
    name: {en: Identified victims}
    description: {en: Persons formally identified.}
    type: outcome
    kind: NUM
    unit: persons
    direction: contextual
    disaggregations: [SEX]
  - code: ID.3
    area: ID
    name: {en: Support duration}
    description: {en: Share supported a year and median days.}
    type: [process, outcome]
    measures:
      - {id: share, kind: PCT, unit: percent, direction: higher, name: {en: Share}}
      - {id: median, kind: MED, unit: days, direction: lower, name: {en: Median}}
    disaggregations: [AGE, AREA]
)";
}

std::string MiniNational() {
    return R"(schema: rapporteur/framework@1
id: test-rs
version: "1.0.0"
kind: national
country: RS
extends: test-core
extends_version: "1.0.0"
name: {en: Test adaptation for RS (synthetic)}
example: true
deviations:
  - type: not_applicable
    indicator: LF.2
    reason: {en: Example deviation - no strategy exists.}
  - type: redefined
    indicator: ID.2
    scope: narrowed
    name: {en: Victims identified by the Centre}
    reason: {en: Example deviation - one body identifies.}
  - type: extra_disaggregation
    indicator: ID.1
    dimensions: [REG]
    reason: {en: Example deviation - regions.}
  - type: national_indicator
    reason: {en: Example deviation - national helpline.}
    indicator:
      code: ID.RS.1
      area: ID
      name: {en: Helpline calls}
      description: {en: Calls to the national helpline.}
      type: process
      kind: NUM
      unit: calls
      direction: contextual
      sources: [SW]
)";
}

std::vector<framework::SourceFile> MiniReferenceFiles() {
    return {{"codelists/sex.yaml", MiniCodelistSex()},
            {"codelists/age.yaml", MiniCodelistAge()},
            {"codelists/region.yaml", MiniCodelistReg()},
            {"countries.yaml", MiniCountries()},
            {"frameworks/test-core.yaml", MiniCore()},
            {"frameworks/test-rs.yaml", MiniNational()}};
}

void WriteMiniDataDir(const std::string& dir) {
    for (const auto& f : MiniReferenceFiles()) {
        WriteFile(dir + "/" + f.name, f.bytes);
    }
}

std::string PostgresAdminUrl() {
    const char* url = std::getenv("RAP_TEST_PG_URL");
    return url == nullptr ? std::string() : std::string(url);
}

bool PostgresTestsEnabled() {
    const char* require = std::getenv("RAP_TEST_REQUIRE_PG");
    return !PostgresAdminUrl().empty() || (require != nullptr && *require == '1');
}

namespace {

std::string ShellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

}  // namespace

PostgresDatabase::PostgresDatabase() {
    static std::atomic<int> counter{0};
    name_ = fmt::format("rap_test_{}_{}", getpid(), ++counter);
    const std::string admin = PostgresAdminUrl();
    auto r = RunShell(fmt::format("psql -q -v ON_ERROR_STOP=1 {} -c 'CREATE DATABASE {}'",
                                  ShellQuote(admin), name_));
    if (r.exit_code != 0) {
        throw std::runtime_error("cannot create test database: " + r.err);
    }
    const size_t slash = admin.rfind('/');
    url_ = admin.substr(0, slash + 1) + name_;
}

PostgresDatabase::~PostgresDatabase() {
    RunShell(fmt::format("psql -q {} -c 'DROP DATABASE IF EXISTS {} WITH (FORCE)'",
                         ShellQuote(PostgresAdminUrl()), name_));
}

CommandResult RunShell(const std::string& command) {
    TempDir tmp;
    const std::string out_path = tmp.File("out");
    const std::string err_path = tmp.File("err");
    const std::string full =
        fmt::format("{} >{} 2>{}", command, ShellQuote(out_path), ShellQuote(err_path));
    const int status = std::system(full.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadText(out_path);
    r.err = ReadText(err_path);
    return r;
}

CommandResult RunRapporteur(const std::vector<std::string>& args, const std::string& cwd) {
    std::string command = fmt::format("cd {} && {}", ShellQuote(cwd), ShellQuote(RAP_BINARY));
    for (const auto& a : args) {
        command += " " + ShellQuote(a);
    }
    return RunShell(command);
}

}  // namespace rap::testing
