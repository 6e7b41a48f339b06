// SPDX-License-Identifier: AGPL-3.0-or-later
// One conformance suite for every backend: SQLite always, PostgreSQL when the test run started a
// server (RAP_TEST_PG_URL). Set RAP_TEST_REQUIRE_PG=1 to make a missing server a failure.
#include "store/store.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/shipped_data.hpp"
#include "cases/cell_parse.hpp"
#include "core/files.hpp"
#include "support/backends.hpp"

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

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

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

namespace rap::store {
namespace {

// Case records through the store, on every backend: the key index, partition snapshots and
// computed values (binary payloads, stored as blobs in SQLite and as base64 in PostgreSQL).
class CaseStoreTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        ASSERT_TRUE(store_->Migrate());
        data_ = *app::ShippedReferenceData();
        ASSERT_TRUE(store_->SaveReferenceData(*data_));
    }

    // n victims of RS in `year`, ids SYN-T-<first + i>.
    cases::CaseTable Victims(int n, int year, int first = 0) {
        const cases::RecordDef& record = *data_->case_schema->Find("victim");
        cases::CaseTable t(record, data_->codelists);
        cases::CellContext context;
        context.countries = {"RS", "BA"};
        for (int i = 0; i < n; ++i) {
            for (size_t f = 0; f < record.fields.size(); ++f) {
                const std::string& name = record.fields[f].name;
                std::string cell;
                if (name == "case_id") {
                    cell = fmt::format("SYN-T-{:06}", first + i);
                } else if (name == "country") {
                    cell = "RS";
                } else if (name == "year") {
                    cell = std::to_string(year);
                } else if (name == "status") {
                    cell = i % 2 == 0 ? "identified" : "presumed";
                } else if (name == "sex") {
                    cell = i % 3 == 0 ? "M" : "F";
                } else if (name == "forms") {
                    cell = i % 5 == 0 ? "sexual;labour" : "none";
                } else if (name == "days_to_status") {
                    cell = std::to_string(i % 90);
                }
                EXPECT_FALSE(cases::AppendCell(t.column(f), cell, context).has_value()) << name;
            }
            t.CommitRow();
        }
        return t;
    }

    Result<long long> Write(const cases::CaseTable& table, const PartitionId& where,
                            long long based_on_version = -1) {
        CaseImportWrite w;
        w.based_on_version = based_on_version;
        w.partitions.push_back({where, &table});
        w.files = "test";
        w.inserted = static_cast<long long>(table.rows());
        return store_->WriteCaseImport(w);
    }

    const framework::ReferenceData* data_ = nullptr;
};

TEST_P(CaseStoreTest, PartitionsKeysAndVersionsRoundTrip) {
    EXPECT_EQ(*store_->CaseDataVersion(), 0);
    const cases::CaseTable victims = Victims(2500, 2024);
    auto v1 = Write(victims, PartitionId{"victim", "RS", 2024});
    ASSERT_TRUE(v1) << v1.error().ToString();
    EXPECT_EQ(*v1, 1);
    EXPECT_EQ(*store_->CaseDataVersion(), 1);

    // Many keys and few keys find the same partitions.
    std::vector<std::string> keys;
    for (size_t r = 0; r < victims.rows(); ++r) {
        keys.push_back(victims.Key(r));
    }
    keys.push_back("SYN-T-NOT-THERE");
    const std::vector<std::string_view> all(keys.begin(), keys.end());
    auto many = store_->FindCasePartitions(*data_->case_schema->Find("victim"), all);
    ASSERT_TRUE(many) << many.error().ToString();
    ASSERT_EQ(many->of.size(), 2501U);
    ASSERT_EQ(many->partitions.size(), 1U);
    EXPECT_EQ(std::count(many->of.begin(), many->of.end(), 0), 2500);
    EXPECT_EQ(many->at(2500), nullptr);
    // Few keys, one of them twice.
    const std::vector<std::string_view> few = {keys[7], keys[2499], "SYN-T-NOT-THERE", keys[7]};
    auto some = store_->FindCasePartitions(*data_->case_schema->Find("victim"), few);
    ASSERT_TRUE(some);
    ASSERT_NE(some->at(0), nullptr);
    EXPECT_EQ(some->at(0)->year, 2024);
    EXPECT_EQ(some->at(0)->country, "RS");
    EXPECT_NE(some->at(1), nullptr);
    EXPECT_EQ(some->at(2), nullptr);
    EXPECT_EQ(some->at(3), some->at(0));

    auto parts = store_->LoadPartitions("victim");
    ASSERT_TRUE(parts) << parts.error().ToString();
    ASSERT_EQ(parts->size(), 1U);
    EXPECT_EQ((*parts)[0].rows, 2500);
    EXPECT_EQ((*parts)[0].version, 1);
    auto table = cases::Deserialize((*parts)[0].payload, *data_->case_schema->Find("victim"),
                                    data_->codelists);
    ASSERT_TRUE(table) << table.error().ToString();
    ASSERT_EQ(table->rows(), 2500U);
    for (size_t r : {size_t{0}, size_t{5}, size_t{2499}}) {
        for (size_t c = 0; c < victims.columns().size(); ++c) {
            EXPECT_EQ(table->column(c).Text(r), victims.column(c).Text(r)) << r << " " << c;
        }
    }
    auto listed = store_->LoadPartitions({}, "RS", Store::Payload::kWithout);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1U);
    EXPECT_TRUE((*listed)[0].payload.empty());

    // A second import replaces the partition and moves the version on; rows come back sorted.
    const cases::CaseTable more = Victims(3, 2023, 9000);
    ASSERT_TRUE(Write(more, PartitionId{"victim", "RS", 2023}));
    EXPECT_EQ(*store_->CaseDataVersion(), 2);
    auto rows = store_->LoadCaseRows(*data_->case_schema->Find("victim"), data_->codelists, "RS");
    ASSERT_TRUE(rows) << rows.error().ToString();
    EXPECT_EQ(rows->rows(), 2503U);
    EXPECT_EQ(rows->Key(0), "SYN-T-000000");
    EXPECT_EQ(rows->Key(2502), "SYN-T-009002");
    EXPECT_EQ(Count("case_imports"), 2);
    // Each key is found in the partition that holds it now.
    const std::vector<std::string_view> both = {keys[0], "SYN-T-009002"};
    auto found = store_->FindCasePartitions(*data_->case_schema->Find("victim"), both);
    ASSERT_TRUE(found) << found.error().ToString();
    ASSERT_EQ(found->partitions.size(), 2U);
    ASSERT_NE(found->at(0), nullptr);
    ASSERT_NE(found->at(1), nullptr);
    EXPECT_EQ(found->at(0)->year, 2024);
    EXPECT_EQ(found->at(1)->year, 2023);
}

TEST_P(CaseStoreTest, AnImportCheckedAgainstAnOlderVersionIsRefusedAndWritesNothing) {
    // Two imports checked at the same time against version 0: the first stores, the second
    // must not overwrite what it never saw.
    const cases::CaseTable a = Victims(10, 2024);
    const cases::CaseTable b = Victims(4, 2024, 500);
    ASSERT_TRUE(Write(a, PartitionId{"victim", "RS", 2024}, /*based_on_version=*/0));
    auto second = Write(b, PartitionId{"victim", "RS", 2024}, /*based_on_version=*/0);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, Errc::kConflict);
    EXPECT_NE(second.error().message.find("nothing was written"), std::string::npos);
    EXPECT_EQ(*store_->CaseDataVersion(), 1);
    EXPECT_EQ(Count("case_imports"), 1);
    auto parts = store_->LoadPartitions("victim");
    ASSERT_TRUE(parts);
    ASSERT_EQ(parts->size(), 1U);
    EXPECT_EQ((*parts)[0].rows, 10);
    // Checked against the current version, it stores.
    auto third = Write(b, PartitionId{"victim", "RS", 2023}, /*based_on_version=*/1);
    ASSERT_TRUE(third) << third.error().ToString();
    EXPECT_EQ(*third, 2);
}

TEST_P(CaseStoreTest, AnImportsAuditEntriesAreWrittenWithItOrNotAtAll) {
    const cases::CaseTable victims = Victims(4, 2024);
    auto entry = [](const std::string& country) {
        return NewEvent{"2026-11-23T10:00:00Z", "Synthetic Analyst", country, "cases_imported",
                        "{}"};
    };
    ASSERT_TRUE(store_->AppendEvents("ME", 0, {entry("ME")}));  // the chain has a head
    CaseImportWrite w;
    w.partitions.push_back({PartitionId{"victim", "RS", 2024}, &victims});
    w.files = "test";
    w.based_on_version = 0;
    w.audit = {entry("RS"), entry("BA")};
    ASSERT_TRUE(store_->WriteCaseImport(w));
    auto events = store_->LoadEvents();
    ASSERT_TRUE(events) << events.error().ToString();
    ASSERT_EQ(events->size(), 3U);
    EXPECT_EQ((*events)[1].country, "RS");
    EXPECT_EQ((*events)[2].country, "BA");
    EXPECT_EQ((*events)[1].prev_hash, (*events)[0].hash);  // chained after the existing head
    // An import refused (checked against an old version) writes neither records nor entries.
    auto stale = store_->WriteCaseImport(w);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::kConflict);
    EXPECT_EQ(store_->LoadEvents()->size(), 3U);
    auto report = store_->VerifyAuditLog();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->problems.empty());
}

TEST_P(CaseStoreTest, AnEmptiedPartitionStaysAsAnEmptySnapshotWithTheNewVersion) {
    ASSERT_TRUE(Write(Victims(3, 2024), PartitionId{"victim", "RS", 2024}));
    const cases::CaseTable none = Victims(0, 2024);
    CaseImportWrite w;
    w.partitions.push_back({PartitionId{"victim", "RS", 2024}, &none});
    w.files = "test";
    ASSERT_TRUE(store_->WriteCaseImport(w));
    auto parts = store_->LoadPartitions("victim");
    ASSERT_TRUE(parts);
    ASSERT_EQ(parts->size(), 1U);
    EXPECT_EQ((*parts)[0].rows, 0);
    EXPECT_EQ((*parts)[0].version, 2);
    auto table = cases::Deserialize((*parts)[0].payload, *data_->case_schema->Find("victim"),
                                    data_->codelists);
    ASSERT_TRUE(table) << table.error().ToString();
    EXPECT_EQ(table->rows(), 0U);
}

TEST_P(CaseStoreTest, ComputedValuesKeepBinaryPayloads) {
    StoredResults r;
    r.country = "RS";
    r.year = 2024;
    r.framework_id = "rs";
    r.framework_version = "1.0.0";
    r.data_version = 7;
    r.computed_at = "2026-11-23T00:00:00Z";
    r.value_count = 3;
    r.payload = std::string("\0\x01\xFF binary \0 payload", 20);
    ASSERT_TRUE(store_->SaveResults(r));
    r.data_version = 8;  // an update replaces
    ASSERT_TRUE(store_->SaveResults(r));
    auto back = store_->LoadResults("RS", 2024);
    ASSERT_TRUE(back) << back.error().ToString();
    ASSERT_TRUE(back->has_value());
    EXPECT_EQ((*back)->payload, r.payload);
    EXPECT_EQ((*back)->data_version, 8);
    EXPECT_FALSE(store_->LoadResults("RS", 2023)->has_value());
    auto list = store_->ListResults();
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1U);
    EXPECT_TRUE((*list)[0].payload.empty());
    EXPECT_EQ((*list)[0].value_count, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseStoreTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

// The monitoring events: an append-only log whose rows are chained by their hashes.
class AuditStoreTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (HasFatalFailure()) {
            return;
        }
        ASSERT_TRUE(store_->Migrate());
    }
    static NewEvent Event(const std::string& country, const std::string& payload) {
        return NewEvent{"2026-11-23T10:00:00Z", "Synthetic Analyst", country, "narrative_saved",
                        payload};
    }
    // A synthetic file, as attached by an analyst.
    static Attachment File(std::string content) {
        Attachment a;
        a.file_name = "reply.pdf";
        a.media_type = "application/pdf";
        a.content = std::move(content);
        a.added_at = "2026-11-23T10:00:00Z";
        a.added_by = "Synthetic Analyst";
        return a;
    }
    // A statement run outside rapporteur, as someone with access to the database would.
    testing::CommandResult Outside(const std::string& query) {
        return testing::RunShell(
            GetParam() == Backend::kSqlite
                ? fmt::format("sqlite3 -batch '{}' \"{}\"", target_.location, query)
                : fmt::format("psql -qAt -v ON_ERROR_STOP=1 '{}' -c \"{}\"", target_.location,
                              query));
    }
    // What such a person must do first to change the log: remove the database's own guard.
    void DropAppendOnlyGuard() {
        if (GetParam() == Backend::kSqlite) {
            for (const char* trigger : {"monitoring_events_no_update", "monitoring_events_no_delete",
                                        "attachments_no_update", "attachments_no_delete"}) {
                Sql(fmt::format("DROP TRIGGER {}", trigger));
            }
        } else {
            Sql("ALTER TABLE monitoring_events DISABLE TRIGGER USER");
            Sql("ALTER TABLE attachments DISABLE TRIGGER USER");
        }
    }
};

TEST_P(AuditStoreTest, TheDatabaseItselfRefusesToChangeOrDeleteTheLog) {
    ASSERT_TRUE(store_->AppendEvents("RS", 0, {Event("RS", "{\"n\":1}"), Event("RS", "{}")}));
    const Attachment a = File("%PDF-1.4 synthetic");
    ASSERT_TRUE(store_->SaveAttachment(a));
    std::vector<std::string> refused = {
        "UPDATE monitoring_events SET actor = 'Someone Else' WHERE seq = 2",
        "DELETE FROM monitoring_events WHERE seq = 2",
        "DELETE FROM monitoring_events",
        "UPDATE attachments SET file_name = 'other.pdf'",
        "DELETE FROM attachments",
    };
    if (GetParam() == Backend::kPostgres) {
        refused.push_back("TRUNCATE monitoring_events");
        refused.push_back("TRUNCATE attachments");
    }
    for (const auto& query : refused) {
        auto r = Outside(query);
        EXPECT_NE(r.exit_code, 0) << query;
        EXPECT_NE(r.err.find("append-only"), std::string::npos) << query << ": " << r.err;
    }
    EXPECT_EQ(Count("monitoring_events"), 2);
    EXPECT_EQ(Count("attachments"), 1);
    auto report = store_->VerifyAuditLog();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->problems.empty());
    // Appending goes on as before.
    ASSERT_TRUE(store_->AppendEvents("RS", 2, {Event("RS", "{}")}));
    EXPECT_EQ(Count("monitoring_events"), 3);
}

TEST_P(AuditStoreTest, EventsAreChainedAndCheckedAgainstTheCountrysLastEvent) {
    auto first = store_->AppendEvents("RS", 0, {Event("RS", "{\"a\":1}"), Event("RS", "{}")});
    ASSERT_TRUE(first) << first.error().ToString();
    ASSERT_EQ(first->size(), 2U);
    EXPECT_EQ((*first)[0].seq, 1);
    EXPECT_EQ((*first)[0].prev_hash, std::string(64, '0'));
    EXPECT_EQ((*first)[1].prev_hash, (*first)[0].hash);
    EXPECT_EQ((*first)[1].hash, Store::EventHash((*first)[1]));
    // Another country's stream has its own position but shares the chain.
    auto other = store_->AppendEvents("AL", 0, {Event("AL", "{}")});
    ASSERT_TRUE(other) << other.error().ToString();
    EXPECT_EQ(other->front().seq, 3);
    EXPECT_EQ(other->front().prev_hash, (*first)[1].hash);
    // Checked against an out-of-date state: refused, nothing written.
    auto stale = store_->AppendEvents("RS", 1, {Event("RS", "{}")});
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::kConflict);
    EXPECT_EQ(Count("monitoring_events"), 3);
    EXPECT_EQ(*store_->LastEventSeq("RS"), 2);
    EXPECT_EQ(*store_->LastEventSeq(), 3);
    auto rs = store_->LoadEvents("RS", 1);
    ASSERT_TRUE(rs);
    ASSERT_EQ(rs->size(), 1U);
    EXPECT_EQ(rs->front().payload, "{}");
    auto report = store_->VerifyAuditLog();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->problems.empty());
    EXPECT_EQ(report->events, 3);
    EXPECT_EQ(report->head_hash, other->front().hash);
}

TEST_P(AuditStoreTest, FilesAreStoredWithTheEventsThatNameThem) {
    const Attachment a = File("%PDF-1.4 synthetic reply");
    ASSERT_TRUE(store_->AppendEvents("RS", 0, {Event("RS", "{}")}));
    // Refused (out of date): neither the event nor the file is written.
    auto stale = store_->AppendEvents("RS", 0, {Event("RS", "{\"file\":1}")}, {a});
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::kConflict);
    EXPECT_EQ(Count("attachments"), 0);
    EXPECT_EQ(Count("monitoring_events"), 1);
    // Stored: both, the file once even when it comes twice.
    ASSERT_TRUE(store_->AppendEvents("RS", 1, {Event("RS", "{\"file\":1}")}, {a, a}));
    EXPECT_EQ(Count("attachments"), 1);
    auto back = store_->LoadAttachment(core::Sha256Hex(a.content));
    ASSERT_TRUE(back && *back);
    EXPECT_EQ((*back)->content, a.content);
    ASSERT_TRUE(store_->AppendEvents("RS", 2, {Event("RS", "{\"file\":2}")}, {a}));
    EXPECT_EQ(Count("attachments"), 1);
    EXPECT_EQ(Count("monitoring_events"), 3);
}

TEST_P(AuditStoreTest, VerifyFindsEditedInsertedAndDeletedRows) {
    ASSERT_TRUE(store_->AppendEvents(
        "RS", 0, {Event("RS", "{\"n\":1}"), Event("RS", "{\"n\":2}"), Event("RS", "{\"n\":3}")}));
    DropAppendOnlyGuard();
    Sql("UPDATE monitoring_events SET actor = 'Someone Else' WHERE seq = 2");
    auto edited = store_->VerifyAuditLog();
    ASSERT_TRUE(edited);
    ASSERT_EQ(edited->problems.size(), 1U);
    EXPECT_NE(edited->problems[0].find("event 2"), std::string::npos);
    EXPECT_NE(edited->problems[0].find("edited"), std::string::npos);
    Sql("DELETE FROM monitoring_events WHERE seq = 2");
    auto deleted = store_->VerifyAuditLog();
    ASSERT_TRUE(deleted);
    ASSERT_FALSE(deleted->problems.empty());
    EXPECT_NE(deleted->problems[0].find("event 2 is missing (deleted)"), std::string::npos);
}

TEST_P(AuditStoreTest, AttachmentsAreStoredOnceByContent) {
    const Attachment a = File(std::string("%PDF-1.4\0binary\xff", 16));
    auto sha = store_->SaveAttachment(a);
    ASSERT_TRUE(sha) << sha.error().ToString();
    ASSERT_TRUE(store_->SaveAttachment(a));
    EXPECT_EQ(Count("attachments"), 1);
    auto back = store_->LoadAttachment(*sha);
    ASSERT_TRUE(back && *back);
    EXPECT_EQ((*back)->content, a.content);
    EXPECT_EQ((*back)->file_name, "reply.pdf");
    auto none = store_->LoadAttachment(std::string(64, 'a'));
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    // A replaced file (behind the database's guard) is found by verify and refused on reading.
    DropAppendOnlyGuard();
    Sql("UPDATE attachments SET content = 'cmVwbGFjZWQ=' WHERE sha256 = '" + *sha + "'");
    auto replaced = store_->LoadAttachment(*sha);
    ASSERT_FALSE(replaced);
    EXPECT_EQ(replaced.error().code, Errc::kDataLoss);
    auto report = store_->VerifyAuditLog();
    ASSERT_TRUE(report);
    ASSERT_EQ(report->problems.size(), 1U);
    EXPECT_NE(report->problems[0].find("reply.pdf"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

}  // namespace
}  // namespace rap::store
