// SPDX-License-Identifier: AGPL-3.0-or-later
// Helpers shared by the test executables: temporary directories, a small synthetic reference
// data set, the PostgreSQL test server, and running the rapporteur binary.
#pragma once

#include <string>
#include <vector>

#include "framework/reference_data.hpp"

namespace rap::testing {

// A directory under the system temp dir, removed with its contents on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string File(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
// `text` with the first `from` replaced by `to`; a test failure when `from` is absent, so a
// fixture edit that no longer applies cannot pass silently.
std::string Replace(std::string text, const std::string& from, const std::string& to);
std::string ReadText(const std::string& path);

// A small, self-consistent reference data set (synthetic; for tests only): codelists SEX, AGE
// and REG, countries RS and BA, a core framework "test-core" with two areas and five indicators,
// and a national adaptation "test-rs" with one deviation of each type.
std::string MiniCodelistSex();
std::string MiniCodelistAge();
std::string MiniCodelistReg();
std::string MiniCountries();
std::string MiniCore();
std::string MiniNational();
std::vector<framework::SourceFile> MiniReferenceFiles();

// Writes the mini data set into dir (codelists/, frameworks/, countries.yaml).
void WriteMiniDataDir(const std::string& dir);

// The admin URL of the PostgreSQL server the test run started (RAP_TEST_PG_URL), or empty.
std::string PostgresAdminUrl();

// Whether tests that run on both backends should include PostgreSQL: a test server is given, or
// RAP_TEST_REQUIRE_PG=1 says one must be (its absence then fails the PostgreSQL cases).
bool PostgresTestsEnabled();

// Creates a fresh database on the test server and drops it on destruction.
class PostgresDatabase {
public:
    PostgresDatabase();  // REQUIRES: !PostgresAdminUrl().empty()
    ~PostgresDatabase();
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;
    const std::string& url() const { return url_; }

private:
    std::string name_;
    std::string url_;
};

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs the rapporteur binary with the arguments (each shell-quoted) in `cwd`.
CommandResult RunRapporteur(const std::vector<std::string>& args, const std::string& cwd = ".");

// Runs a shell command line, capturing stdout and stderr.
CommandResult RunShell(const std::string& command);

}  // namespace rap::testing
