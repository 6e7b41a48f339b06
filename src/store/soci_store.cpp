// SPDX-License-Identifier: AGPL-3.0-or-later
// The Store on SOCI, for both SQLite and PostgreSQL: opening, migrations, reference data and
// settings. Everything SOCI throws is caught here and turned into an Error.
#include "store/soci_internal.hpp"

namespace rap::store {

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Backend Store::backend() const { return impl_->target.backend; }
const Target& Store::target() const { return impl_->target; }

Result<std::unique_ptr<Store>> Store::Open(const Target& target) {
    auto impl = std::make_unique<Impl>();
    impl->target = target;
    try {
        if (target.backend == Backend::kSqlite) {
            if (target.location.empty()) {
                return Fail(Errc::kInvalidArgument, "empty database path");
            }
            if (target.location.find('"') != std::string::npos) {
                return Fail(Errc::kInvalidArgument,
                            "database path may not contain a double quote");
            }
            impl->sql.open(*soci::factory_sqlite3(),
                           fmt::format("db=\"{}\" timeout=10", target.location));
            // WAL lets readers run while one writer writes; foreign keys are off by default.
            impl->sql << "PRAGMA foreign_keys = ON";
            std::string mode;
            impl->sql << "PRAGMA journal_mode = WAL", soci::into(mode);
            impl->sql << "PRAGMA synchronous = NORMAL";
            // A larger page cache keeps B-tree inserts of a big import in memory (64 MiB).
            impl->sql << "PRAGMA cache_size = -65536";
            // Fails here, not on first use, when the file is not an SQLite database.
            int n = 0;
            impl->sql << "SELECT count(*) FROM sqlite_master", soci::into(n);
        } else {
            auto connect = PostgresConnectString(target.location);
            if (!connect) {
                return Fail(connect.error());
            }
            impl->sql.open(*soci::factory_postgresql(), *connect);
            impl->sql << "SET client_min_messages = WARNING";
        }
    } catch (const std::exception& e) {
        Error err = Translate(e, target, "cannot open the database");
        if (err.code == Errc::kInternal) {
            err.code = Errc::kUnavailable;
        }
        return Fail(std::move(err));
    }
    return std::unique_ptr<Store>(new Store(std::move(impl)));
}

std::vector<Migration> Store::KnownMigrations() {
    std::vector<Migration> out;
    for (const auto& m : Migrations(Backend::kSqlite)) {  // the same versions and names in both
        out.push_back(Migration{m.version, m.name});
    }
    return out;
}

Result<int> Store::SchemaVersion() {
    return impl_->Run("cannot read the schema version", [&]() -> Result<int> {
        auto& sql = impl_->sql;
        int exists = 0;
        if (backend() == Backend::kSqlite) {
            sql << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                   "name = 'schema_migrations'",
                soci::into(exists);
        } else {
            sql << "SELECT count(*) FROM information_schema.tables WHERE "
                   "table_schema = current_schema() AND table_name = 'schema_migrations'",
                soci::into(exists);
        }
        if (exists == 0) {
            return 0;
        }
        int version = 0;
        soci::indicator ind = soci::i_ok;
        sql << "SELECT max(version) FROM schema_migrations", soci::into(version, ind);
        return ind == soci::i_null ? 0 : version;
    });
}

Result<int> Store::Migrate() {
    return impl_->Run("cannot migrate the database", [&]() -> Result<int> {
        auto& sql = impl_->sql;
        sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
               "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)";
        const auto migrations = Migrations(backend());
        int applied = 0;
        for (const auto& m : migrations) {
            Transaction tx(sql, backend());
            if (backend() == Backend::kPostgres) {
                // Two processes migrating at once: the second waits, then sees the work done.
                sql << "SELECT pg_advisory_xact_lock(7261707)";
            }
            std::string checksum;
            soci::indicator ind = soci::i_ok;
            sql << "SELECT checksum FROM schema_migrations WHERE version = :v", soci::use(m.version),
                soci::into(checksum, ind);
            if (sql.got_data()) {
                if (checksum != m.checksum) {
                    return Fail(Errc::kFailedPrecondition,
                                fmt::format("migration {} ({}) in {} differs from the one this "
                                            "build carries; the database was changed by another "
                                            "build of rapporteur",
                                            m.version, m.name, target().ToDisplayString()));
                }
                continue;
            }
            for (auto statement : SplitStatements(m.sql)) {
                // The one dialect placeholder of the migrations.
                const std::string_view placeholder = "{{without_rowid}}";
                for (size_t at; (at = statement.find(placeholder)) != std::string::npos;) {
                    statement.replace(at, placeholder.size(),
                                      backend() == Backend::kSqlite ? " WITHOUT ROWID" : "");
                }
                sql << statement;
            }
            const std::string now = core::NowUtcTimestamp();
            sql << "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                   "VALUES (:v, :n, :c, :a)",
                soci::use(m.version), soci::use(m.name), soci::use(m.checksum), soci::use(now);
            tx.Commit();
            ++applied;
        }
        int newest = 0;
        soci::indicator ind = soci::i_ok;
        sql << "SELECT max(version) FROM schema_migrations", soci::into(newest, ind);
        if (!migrations.empty() && ind == soci::i_ok && newest > migrations.back().version) {
            return Fail(Errc::kFailedPrecondition,
                        fmt::format("the database {} has schema version {}, newer than this "
                                    "build of rapporteur knows ({}); use a newer rapporteur",
                                    target().ToDisplayString(), newest,
                                    migrations.back().version));
        }
        return applied;
    });
}

Result<SaveReport> Store::SaveReferenceData(const framework::ReferenceData& data) {
    return impl_->Run("cannot store the reference data", [&]() -> Result<SaveReport> {
        SaveReport report;
        const std::string now = core::NowUtcTimestamp();
        Transaction tx(impl_->sql, backend());
        for (const auto& [dim, list] : data.codelists.all()) {
            const bool fresh = RAP_TRY(impl_->ClaimFile(FileType::kCodelist, dim, list.version,
                                                        list.sha256, list.source_file,
                                                        list.source_text, now));
            if (fresh) {
                impl_->InsertCodelist(list);
            }
            report.items.push_back({FileType::kCodelist, dim, list.version, fresh});
        }
        if (data.countries) {
            const auto& set = *data.countries;
            const bool fresh =
                RAP_TRY(impl_->ClaimFile(FileType::kCountries, "countries", set.version, set.sha256,
                                         set.source_file, set.source_text, now));
            if (fresh) {
                impl_->UpsertCountries(set);
            }
            report.items.push_back({FileType::kCountries, "countries", set.version, fresh});
        }
        if (data.case_schema) {
            const auto& schema = *data.case_schema;
            const bool fresh = RAP_TRY(impl_->ClaimFile(FileType::kCaseSchema, "case_records",
                                                        schema.version, schema.sha256,
                                                        schema.source_file, schema.source_text,
                                                        now));
            report.items.push_back({FileType::kCaseSchema, "case_records", schema.version, fresh});
        }
        // Cores first, so that adaptations find the framework they extend.
        std::vector<const framework::Framework*> order;
        for (const auto& fw : data.frameworks) {
            order.push_back(&fw);
        }
        std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
            return a->kind == framework::FrameworkKind::kCore &&
                   b->kind != framework::FrameworkKind::kCore;
        });
        for (const framework::Framework* fw : order) {
            const bool fresh =
                RAP_TRY(impl_->ClaimFile(FileType::kFramework, fw->id, fw->version, fw->sha256,
                                         fw->source_file, fw->source_text, now));
            if (fresh) {
                impl_->InsertFramework(*fw, data);
            }
            report.items.push_back({FileType::kFramework, fw->id, fw->version, fresh});
        }
        tx.Commit();
        return report;
    });
}

Result<std::vector<framework::SourceFile>> Store::LoadReferenceSources() {
    return impl_->Run("cannot read the reference data",
                      [&]() -> Result<std::vector<framework::SourceFile>> {
        struct Row {
            std::string type, name, version, source, content;
        };
        std::vector<Row> rows;
        soci::rowset<soci::row> rs = (impl_->sql.prepare
                                      << "SELECT file_type, name, version, source_name, content "
                                         "FROM reference_files ORDER BY file_type, name, version");
        for (const auto& r : rs) {
            rows.push_back({GetString(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3),
                            GetString(r, 4)});
        }
        // Keep every framework version; only the newest codelist per dimension, countries file
        // and case-record schema.
        std::map<std::pair<std::string, std::string>, const Row*> newest;
        std::vector<framework::SourceFile> out;
        for (const Row& row : rows) {
            if (row.type == "framework") {
                out.push_back({row.source, row.content});
                continue;
            }
            const Row*& slot = newest[{row.type, row.name}];
            if (slot == nullptr || framework::CompareVersions(row.version, slot->version) > 0) {
                slot = &row;
            }
        }
        for (const auto& [key, row] : newest) {
            out.push_back({row->source, row->content});
        }
        return out;
    });
}

Result<std::vector<StoredFramework>> Store::ListFrameworks() {
    return impl_->Run("cannot list frameworks", [&]() -> Result<std::vector<StoredFramework>> {
        std::vector<StoredFramework> out;
        soci::rowset<soci::row> rs =
            (impl_->sql.prepare
             << "SELECT f.id, f.version, f.kind, f.country, f.extends_id, f.extends_version, "
                "f.name_en, f.example, "
                "CASE WHEN f.kind = 'core' THEN (SELECT count(*) FROM framework_indicators i "
                "  WHERE i.framework_id = f.id AND i.framework_version = f.version) "
                "ELSE (SELECT count(*) FROM effective_indicators e "
                "  WHERE e.framework_id = f.id AND e.framework_version = f.version) END "
                "FROM frameworks f ORDER BY f.kind, f.id, f.version");
        for (const auto& r : rs) {
            StoredFramework f;
            f.id = GetString(r, 0);
            f.version = GetString(r, 1);
            f.kind = GetString(r, 2);
            f.country = GetString(r, 3);
            f.extends_id = GetString(r, 4);
            f.extends_version = GetString(r, 5);
            f.name_en = GetString(r, 6);
            f.example = GetInteger(r, 7) != 0;
            f.indicators = static_cast<int>(GetInteger(r, 8));
            out.push_back(std::move(f));
        }
        return out;
    });
}

Result<std::optional<std::string>> Store::GetMeta(std::string_view key) {
    return impl_->Run("cannot read settings", [&]() -> Result<std::optional<std::string>> {
        std::string value;
        soci::indicator ind = soci::i_ok;
        const std::string k(key);
        impl_->sql << "SELECT value FROM meta WHERE key = :k", soci::use(k),
            soci::into(value, ind);
        if (!impl_->sql.got_data() || ind != soci::i_ok) {
            return std::optional<std::string>();
        }
        return std::optional<std::string>(value);
    });
}

Status Store::SetMeta(std::string_view key, std::string_view value) {
    return impl_->Run("cannot write settings", [&]() -> Status {
        Transaction tx(impl_->sql, backend());
        const std::string k(key);
        const std::string v(value);
        impl_->sql << "INSERT INTO meta (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE "
                      "SET value = excluded.value",
            soci::use(k), soci::use(v);
        tx.Commit();
        return Ok();
    });
}

Result<long long> Store::CountRows(std::string_view table) {
    const bool safe = !table.empty() && std::all_of(table.begin(), table.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    });
    if (!safe) {
        return Fail(Errc::kInvalidArgument, fmt::format("not a table name: {}", table));
    }
    return impl_->Run("cannot count rows", [&]() -> Result<long long> {
        long long n = 0;
        impl_->sql << fmt::format("SELECT count(*) FROM {}", table), soci::into(n);
        return n;
    });
}

}  // namespace rap::store
