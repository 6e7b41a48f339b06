// SPDX-License-Identifier: AGPL-3.0-or-later
// One conformance suite for every backend: SQLite always, PostgreSQL when the test run started a
// server (RAP_TEST_PG_URL). Set RAP_TEST_REQUIRE_PG=1 to make a missing server a failure.
#include "store/store.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace rap::store {
namespace {

class StoreTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (GetParam() == Backend::kSqlite) {
            target_ = Target::Parse(tmp_.File("test.db"));
        } else {
            ASSERT_FALSE(testing::PostgresAdminUrl().empty())
                << "RAP_TEST_REQUIRE_PG is set but RAP_TEST_PG_URL is not";
            pg_ = std::make_unique<testing::PostgresDatabase>();
            target_ = Target::Parse(pg_->url());
        }
        auto store = Store::Open(target_);
        ASSERT_TRUE(store) << store.error().ToString();
        store_ = std::move(*store);
    }

    framework::ReferenceData Mini() {
        core::Diagnostics diags;
        auto data = framework::LoadReferenceData(testing::MiniReferenceFiles(), diags);
        EXPECT_TRUE(data) << diags.ToString();
        return std::move(*data);
    }

    // Runs SQL with the backend's own command-line client: an oracle independent of SOCI.
    std::string Sql(const std::string& query) {
        const std::string cmd =
            GetParam() == Backend::kSqlite
                ? fmt::format("sqlite3 -batch -noheader '{}' \"{}\"", target_.location, query)
                : fmt::format("psql -qAt '{}' -c \"{}\"", target_.location, query);
        auto r = testing::RunShell(cmd);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }

    long long Count(const std::string& table) {
        auto n = store_->CountRows(table);
        EXPECT_TRUE(n) << n.error().ToString();
        return n.value_or(-1);
    }

    testing::TempDir tmp_;
    std::unique_ptr<testing::PostgresDatabase> pg_;
    Target target_;
    std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, MigratesOnceAndReportsTheSchemaVersion) {
    EXPECT_EQ(*store_->SchemaVersion(), 0);
    auto applied = store_->Migrate();
    ASSERT_TRUE(applied) << applied.error().ToString();
    const auto known = Store::KnownMigrations();
    ASSERT_FALSE(known.empty());
    EXPECT_EQ(*applied, static_cast<int>(known.size()));
    EXPECT_EQ(*store_->SchemaVersion(), known.back().version);
    EXPECT_EQ(*store_->Migrate(), 0);
    EXPECT_EQ(Count("schema_migrations"), static_cast<long long>(known.size()));
}

TEST_P(StoreTest, StoresReferenceDataOnceAndNeverDuplicates) {
    ASSERT_TRUE(store_->Migrate());
    const auto data = Mini();
    auto first = store_->SaveReferenceData(data);
    ASSERT_TRUE(first) << first.error().ToString();
    EXPECT_EQ(first->stored(), 6);  // 3 codelists, countries, 2 frameworks
    EXPECT_EQ(first->unchanged(), 0);

    const std::vector<std::string> tables = {
        "reference_files",  "frameworks",     "framework_areas", "framework_indicators",
        "framework_deviations", "effective_indicators", "codelists", "codelist_codes",
        "codelist_mappings", "countries",     "population"};
    std::map<std::string, long long> before;
    for (const auto& t : tables) {
        before[t] = Count(t);
    }
    EXPECT_EQ(before["framework_indicators"], 6);  // 5 core + 1 national
    EXPECT_EQ(before["effective_indicators"], 6);
    EXPECT_EQ(before["population"], 32);
    EXPECT_EQ(before["codelist_mappings"], 2);

    auto second = store_->SaveReferenceData(data);
    ASSERT_TRUE(second) << second.error().ToString();
    EXPECT_EQ(second->stored(), 0);
    EXPECT_EQ(second->unchanged(), 6);
    for (const auto& t : tables) {
        EXPECT_EQ(Count(t), before[t]) << t;
    }
}

TEST_P(StoreTest, PersistsComparabilityClasses) {
    ASSERT_TRUE(store_->Migrate());
    ASSERT_TRUE(store_->SaveReferenceData(Mini()));
    EXPECT_EQ(Sql("SELECT code || '=' || comparability FROM effective_indicators "
                  "WHERE framework_id = 'test-rs' ORDER BY code"),
              "ID.1=identical\nID.2=adapted\nID.3=identical\nID.RS.1=national_only\n"
              "LF.1=identical\nLF.2=not_applicable\n");
    EXPECT_EQ(Sql("SELECT population FROM population WHERE country = 'BA' AND year = 2012"),
              "3480000\n");
}

TEST_P(StoreTest, ChangedContentUnderTheSameVersionIsRefusedAndNothingIsWritten) {
    ASSERT_TRUE(store_->Migrate());
    ASSERT_TRUE(store_->SaveReferenceData(Mini()));
    const long long files = Count("reference_files");

    // A set with a new codelist (would be stored) and a changed core under the same version.
    auto changed_files = testing::MiniReferenceFiles();
    changed_files[4].bytes += "# an edit\n";
    changed_files.push_back({"codelists/form.yaml",
                             "schema: rapporteur/codelist@1\ndimension: FORM\nversion: \"1.0.0\"\n"
                             "name: {en: Form}\ncodes:\n  - {code: sexual, name: {en: Sexual}}\n"});
    core::Diagnostics diags;
    auto changed = framework::LoadReferenceData(changed_files, diags);
    ASSERT_TRUE(changed) << diags.ToString();
    auto r = store_->SaveReferenceData(*changed);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_NE(r.error().message.find("framework test-core version 1.0.0 is already stored with "
                                     "different content"),
              std::string::npos)
        << r.error().message;
    EXPECT_EQ(Count("reference_files"), files);
    EXPECT_EQ(Count("codelists"), 3);
}

TEST_P(StoreTest, KeepsEveryFrameworkVersion) {
    ASSERT_TRUE(store_->Migrate());
    ASSERT_TRUE(store_->SaveReferenceData(Mini()));
    auto files = testing::MiniReferenceFiles();
    std::string v2 = testing::MiniNational();
    v2.replace(v2.find("version: \"1.0.0\"\nkind"), 16, "version: \"1.1.0\"");
    files.push_back({"frameworks/test-rs-1.1.yaml", v2});
    core::Diagnostics diags;
    auto data = framework::LoadReferenceData(files, diags);
    ASSERT_TRUE(data) << diags.ToString();
    auto saved = store_->SaveReferenceData(*data);
    ASSERT_TRUE(saved) << saved.error().ToString();
    EXPECT_EQ(saved->stored(), 1);
    auto list = store_->ListFrameworks();
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 3U);
    EXPECT_EQ((*list)[0].id, "test-core");
    EXPECT_EQ((*list)[0].indicators, 5);
    EXPECT_EQ((*list)[1].version, "1.0.0");
    EXPECT_EQ((*list)[2].version, "1.1.0");
    EXPECT_EQ((*list)[2].indicators, 6);
    EXPECT_TRUE((*list)[2].example);
    EXPECT_EQ((*list)[2].country, "RS");
}

TEST_P(StoreTest, ReferenceSourcesRoundTrip) {
    ASSERT_TRUE(store_->Migrate());
    const auto data = Mini();
    ASSERT_TRUE(store_->SaveReferenceData(data));
    auto sources = store_->LoadReferenceSources();
    ASSERT_TRUE(sources) << sources.error().ToString();
    EXPECT_EQ(sources->size(), 6U);
    core::Diagnostics diags;
    auto reloaded = framework::LoadReferenceData(*sources, diags);
    ASSERT_TRUE(reloaded) << diags.ToString();
    auto a = data.ResolveForCountry("RS");
    auto b = reloaded->ResolveForCountry("RS");
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->indicators.size(), b->indicators.size());
    for (size_t i = 0; i < a->indicators.size(); ++i) {
        EXPECT_EQ(a->indicators[i].indicator.code, b->indicators[i].indicator.code);
        EXPECT_EQ(a->indicators[i].comparability, b->indicators[i].comparability);
        EXPECT_EQ(a->indicators[i].indicator.name, b->indicators[i].indicator.name);
    }
    EXPECT_EQ(reloaded->frameworks[0].sha256, data.FindFramework(reloaded->frameworks[0].id)->sha256);
}

TEST_P(StoreTest, MetaIsUpserted) {
    ASSERT_TRUE(store_->Migrate());
    EXPECT_FALSE(store_->GetMeta("demo")->has_value());
    ASSERT_TRUE(store_->SetMeta("demo", "one"));
    ASSERT_TRUE(store_->SetMeta("demo", "two ' \" ; -- ünïcödé"));
    EXPECT_EQ(store_->GetMeta("demo")->value(), "two ' \" ; -- ünïcödé");
    EXPECT_EQ(Count("meta"), 1);
}

TEST_P(StoreTest, RefusesADatabaseFromANewerBuild) {
    ASSERT_TRUE(store_->Migrate());
    Sql("INSERT INTO schema_migrations (version, name, checksum, applied_at) "
        "VALUES (9999, 'future', 'x', '2030-01-01T00:00:00Z')");
    auto r = store_->Migrate();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kFailedPrecondition);
    EXPECT_NE(r.error().message.find("newer than this build"), std::string::npos);
}

TEST_P(StoreTest, RefusesAnAppliedMigrationThatDiffers) {
    ASSERT_TRUE(store_->Migrate());
    Sql("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1");
    auto r = store_->Migrate();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kFailedPrecondition);
    EXPECT_NE(r.error().message.find("differs from the one this build carries"),
              std::string::npos);
}

TEST_P(StoreTest, CountRowsRefusesAnythingButATableName) {
    ASSERT_TRUE(store_->Migrate());
    EXPECT_FALSE(store_->CountRows("meta; DROP TABLE meta"));
    EXPECT_EQ(Count("meta"), 0);
}

std::vector<Backend> Backends() {
    std::vector<Backend> out = {Backend::kSqlite};
    const char* require = std::getenv("RAP_TEST_REQUIRE_PG");
    if (!testing::PostgresAdminUrl().empty() || (require != nullptr && *require == '1')) {
        out.push_back(Backend::kPostgres);
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(Backends()),
                         [](const auto& p) { return std::string(Name(p.param)); });

TEST(StoreOpen, SqliteErrorsAreClear) {
    testing::TempDir tmp;
    auto missing_dir = Store::Open(Target::Parse(tmp.File("no/such/dir/x.db")));
    ASSERT_FALSE(missing_dir);
    EXPECT_EQ(missing_dir.error().code, Errc::kUnavailable);

    testing::WriteFile(tmp.File("not-a-db.db"), std::string(4096, 'x'));
    auto garbage = Store::Open(Target::Parse(tmp.File("not-a-db.db")));
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().code, Errc::kDataLoss);
    EXPECT_NE(garbage.error().message.find("not-a-db.db"), std::string::npos);
}

TEST(StoreOpen, UnreachablePostgresIsUnavailableAndHidesThePassword) {
    auto r = Store::Open(Target::Parse("postgresql://user:secret@127.0.0.1:1/nothing"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kUnavailable);
    EXPECT_EQ(r.error().message.find("secret"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("user:***@"), std::string::npos) << r.error().message;
}

TEST(Target, ParsesAndMasks) {
    EXPECT_EQ(Target::Parse("./x.db").backend, Backend::kSqlite);
    EXPECT_EQ(Target::Parse("postgres://h/db").backend, Backend::kPostgres);
    EXPECT_EQ(Target::Parse("postgresql://u:p@h:5432/db").ToDisplayString(),
              "postgresql://u:***@h:5432/db");
    EXPECT_EQ(Target::Parse("postgresql://h/db?user=u&password=p&x=1").ToDisplayString(),
              "postgresql://h/db?user=u&password=***&x=1");
}

}  // namespace
}  // namespace rap::store
