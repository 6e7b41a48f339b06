// SPDX-License-Identifier: AGPL-3.0-or-later
// Case records, their partition snapshots and computed values, on SOCI. Tables and columns follow
// the case-record schema (migration 0002); SQL is generated from the schema's record definitions.
#include <functional>

#include <absl/container/flat_hash_map.h>

#include "core/log.hpp"
#include "store/soci_internal.hpp"

namespace rap::store {

// SOCI includes SQLite's C API inside namespace sqlite_api.
using namespace sqlite_api;  // NOLINT(google-build-using-namespace)

namespace {

// SQLite's own handle behind the SOCI session. Bulk writes and blob reads use the C API directly:
// binding typed values without SOCI's per-row conversions is several times faster, and blobs
// travel as bytes (PostgreSQL keeps them as base64 text, see ToBase64).
sqlite_api::sqlite3* RawSqlite(soci::session& sql) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    return backend->conn_;
}

class SqliteStatement {
public:
    SqliteStatement(sqlite_api::sqlite3* db, const std::string& query) : db_(db) {
        if (sqlite3_prepare_v2(db, query.c_str(), static_cast<int>(query.size()), &st_, nullptr) !=
            SQLITE_OK) {
            error_ = sqlite3_errmsg(db);
        }
    }
    ~SqliteStatement() { sqlite3_finalize(st_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    sqlite3_stmt* get() { return st_; }
    const std::string& error() const { return error_; }
    // Steps a write; returns false (and keeps the message) on failure.
    bool Run() {
        const int rc = sqlite3_step(st_);
        sqlite3_reset(st_);
        if (rc != SQLITE_DONE) {
            error_ = sqlite3_errmsg(db_);
            return false;
        }
        return true;
    }

private:
    sqlite_api::sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
    std::string error_;
};

Status SqlitePutPayload(sqlite_api::sqlite3* db, const std::string& query,
                        const std::vector<std::pair<int, std::string>>& texts,
                        const std::vector<std::pair<int, long long>>& numbers, int blob_param,
                        const std::string& blob) {
    SqliteStatement st(db, query);
    if (!st.error().empty()) {
        return Fail(Errc::kInternal, fmt::format("cannot prepare: {}", st.error()));
    }
    for (const auto& [p, t] : texts) {
        sqlite3_bind_text(st.get(), p, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
    }
    for (const auto& [p, n] : numbers) {
        sqlite3_bind_int64(st.get(), p, n);
    }
    sqlite3_bind_blob64(st.get(), blob_param, blob.data(), blob.size(), SQLITE_STATIC);
    if (!st.Run()) {
        return Fail(Errc::kInternal, fmt::format("cannot store: {}", st.error()));
    }
    return Ok();
}

Status PutPartition(soci::session& sql, Backend backend, const PartitionId& id, long long rows,
                    long long version, const std::string& payload) {
    if (backend == Backend::kSqlite) {
        return SqlitePutPayload(
            RawSqlite(sql),
            "INSERT INTO case_partitions (record, country, year, rows, version, payload) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (record, country, year) DO UPDATE SET "
            "rows = excluded.rows, version = excluded.version, payload = excluded.payload",
            {{1, id.record}, {2, id.country}}, {{3, id.year}, {4, rows}, {5, version}}, 6, payload);
    }
    const std::string text = ToBase64(payload);
    sql << "INSERT INTO case_partitions (record, country, year, rows, version, payload) "
           "VALUES (:r, :c, :y, :n, :v, :p) ON CONFLICT (record, country, year) DO UPDATE "
           "SET rows = excluded.rows, version = excluded.version, payload = excluded.payload",
        soci::use(id.record), soci::use(id.country), soci::use(id.year), soci::use(rows),
        soci::use(version), soci::use(text);
    return Ok();
}


// Hands the stored partitions (optionally of one record type and/or country) to `visit` one at a
// time, in (record, country, year) order, so that their payloads are never all held at once.
Status ScanPartitions(soci::session& sql, Backend backend, std::string_view record,
                      std::string_view country, Store::Payload payload,
                      const std::function<Status(StoredPartition&)>& visit) {
    const std::string r(record);
    const std::string c(country);
    if (backend == Backend::kSqlite && payload == Store::Payload::kWith) {
        // Payloads are blobs: read them with the C API, byte for byte.
        SqliteStatement st(RawSqlite(sql),
                           "SELECT record, country, year, rows, version, payload FROM "
                           "case_partitions WHERE (?1 = '' OR record = ?1) AND "
                           "(?2 = '' OR country = ?2) ORDER BY record, country, year");
        if (!st.error().empty()) {
            return Fail(Errc::kInternal, st.error());
        }
        sqlite3_bind_text(st.get(), 1, r.data(), static_cast<int>(r.size()), SQLITE_STATIC);
        sqlite3_bind_text(st.get(), 2, c.data(), static_cast<int>(c.size()), SQLITE_STATIC);
        int rc = 0;
        while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
            StoredPartition p;
            auto text = [&](int i) {
                return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), i)),
                                   static_cast<size_t>(sqlite3_column_bytes(st.get(), i)));
            };
            p.id = PartitionId{text(0), text(1), sqlite3_column_int(st.get(), 2)};
            p.rows = sqlite3_column_int64(st.get(), 3);
            p.version = sqlite3_column_int64(st.get(), 4);
            const auto* blob = static_cast<const char*>(sqlite3_column_blob(st.get(), 5));
            p.payload.assign(blob, static_cast<size_t>(sqlite3_column_bytes(st.get(), 5)));
            RAP_TRY_STATUS(visit(p));
        }
        if (rc != SQLITE_DONE) {
            return Fail(Errc::kUnavailable, fmt::format("cannot read case partitions: {}",
                                                        sqlite3_errmsg(RawSqlite(sql))));
        }
        return Ok();
    }
    const std::string query = fmt::format(
        "SELECT record, country, year, rows, version{} FROM case_partitions "
        "WHERE (:r = '' OR record = :r2) AND (:c = '' OR country = :c2) "
        "ORDER BY record, country, year",
        payload == Store::Payload::kWith ? ", payload" : "");
    soci::rowset<soci::row> rs = (sql.prepare << query, soci::use(r, "r"), soci::use(r, "r2"),
                                  soci::use(c, "c"), soci::use(c, "c2"));
    for (const auto& row : rs) {
        StoredPartition p;
        p.id = PartitionId{GetString(row, 0), GetString(row, 1),
                           static_cast<int>(GetInteger(row, 2))};
        p.rows = GetInteger(row, 3);
        p.version = GetInteger(row, 4);
        if (payload == Store::Payload::kWith) {
            p.payload = RAP_TRY(FromBase64(GetString(row, 5), "partition snapshot"));
        }
        RAP_TRY_STATUS(visit(p));
    }
    return Ok();
}

}  // namespace

Result<StoredPlaces> Store::FindCasePartitions(const cases::RecordDef& record,
                                               const std::vector<std::string_view>& keys) {
    return impl_->Run("cannot look up case records", [&]() -> Result<StoredPlaces> {
        StoredPlaces out;
        out.of.assign(keys.size(), -1);
        if (keys.empty()) {
            return out;
        }
        // The snapshots are the only record of where a key lives: one pass over the key columns
        // of the record type's partitions.
        absl::flat_hash_map<std::string_view, int32_t> wanted;  // key -> partition, -1 unknown
        const auto visit = [&](StoredPartition& p) -> Status {
            if (wanted.empty()) {
                wanted.reserve(keys.size());
                for (const auto key : keys) {
                    wanted.emplace(key, -1);
                }
            }
            auto stored = cases::ReadKeys(p.payload, record);
            if (!stored) {
                return Fail(std::move(stored).error());
            }
            const auto index = static_cast<int32_t>(out.partitions.size());
            bool any = false;
            for (const auto& key : *stored) {
                if (auto it = wanted.find(key); it != wanted.end()) {
                    it->second = index;
                    any = true;
                }
            }
            if (any) {
                out.partitions.push_back(p.id);
            }
            return Ok();
        };
        RAP_TRY_STATUS(ScanPartitions(impl_->sql, backend(), record.id, {}, Payload::kWith, visit));
        if (!out.partitions.empty()) {
            for (size_t i = 0; i < keys.size(); ++i) {
                out.of[i] = wanted.at(keys[i]);
            }
        }
        return out;
    });
}

Result<long long> Store::CaseDataVersion() {
    return impl_->Run("cannot read the data version", [&]() -> Result<long long> {
        long long v = 0;
        soci::indicator ind = soci::i_ok;
        impl_->sql << "SELECT max(version) FROM case_imports", soci::into(v, ind);
        return ind == soci::i_null ? 0 : v;
    });
}

Result<long long> Store::WriteCaseImport(const CaseImportWrite& write) {
    return impl_->Run("cannot store the case records", [&]() -> Result<long long> {
        const auto started = std::chrono::steady_clock::now();
        auto& sql = impl_->sql;
        Transaction tx(sql, backend());
        if (backend() == Backend::kPostgres) {
            // Imports are serialised so that versions are strictly increasing.
            sql << "SELECT pg_advisory_xact_lock(7261708)";
        }
        long long version = 0;
        soci::indicator ind = soci::i_ok;
        sql << "SELECT max(version) FROM case_imports", soci::into(version, ind);
        version = ind == soci::i_null ? 0 : version;
        if (write.based_on_version >= 0 && version != write.based_on_version) {
            return Fail(Errc::kConflict,
                        fmt::format("another import was stored while this one was being checked "
                                    "(data version {} is now {}); nothing was written",
                                    write.based_on_version, version));
        }
        ++version;

        // A record that moved to another partition is in the new partition's snapshot and no
        // longer in the old one's: the snapshots are all there is to replace.
        std::string touched;
        for (const auto& p : write.partitions) {
            const long long rows = static_cast<long long>(p.table->rows());
            touched += fmt::format("{}{}/{}/{}", touched.empty() ? "" : ",", p.id.record,
                                   p.id.country, p.id.year);
            RAP_TRY_STATUS(
                PutPartition(sql, backend(), p.id, rows, version, cases::Serialize(*p.table)));
        }
        const auto parts_done = std::chrono::steady_clock::now();
        const std::string now = core::NowUtcTimestamp();
        sql << "INSERT INTO case_imports (version, imported_at, files, inserted, updated, "
               "partitions) VALUES (:v, :t, :f, :i, :u, :p)",
            soci::use(version), soci::use(now), soci::use(write.files), soci::use(write.inserted),
            soci::use(write.updated), soci::use(touched);
        if (!write.audit.empty()) {
            internal::LockAuditLog(sql, backend());  // after the import's own lock, always
            internal::AppendChained(sql, write.audit);
        }
        tx.Commit();
        const auto committed = std::chrono::steady_clock::now();
        log::Debug("store: partition snapshots {:.2f} s, commit {:.2f} s",
                   std::chrono::duration<double>(parts_done - started).count(),
                   std::chrono::duration<double>(committed - parts_done).count());
        return version;
    });
}

Result<std::vector<StoredPartition>> Store::LoadPartitions(std::string_view record,
                                                           std::string_view country,
                                                           Payload payload) {
    return impl_->Run("cannot load case data", [&]() -> Result<std::vector<StoredPartition>> {
        std::vector<StoredPartition> out;
        const auto keep = [&](StoredPartition& p) -> Status {
            out.push_back(std::move(p));
            return Ok();
        };
        RAP_TRY_STATUS(ScanPartitions(impl_->sql, backend(), record, country, payload, keep));
        return out;
    });
}

Result<cases::CaseTable> Store::LoadCaseRows(const cases::RecordDef& record,
                                             const cases::CodelistSet& codelists,
                                             std::string_view country) {
    const auto parts = RAP_TRY(LoadPartitions(record.id, country));
    cases::CaseTable all(record, codelists);
    for (const auto& p : parts) {
        const cases::CaseTable table = RAP_TRY(cases::Deserialize(p.payload, record, codelists));
        std::vector<uint32_t> rows(table.rows());
        for (size_t r = 0; r < rows.size(); ++r) {
            rows[r] = static_cast<uint32_t>(r);
        }
        all.AppendRows(table, rows);
    }
    // In key order, as a reader of an export expects.
    std::vector<uint32_t> order(all.rows());
    std::vector<std::string> keys(all.rows());
    for (size_t r = 0; r < all.rows(); ++r) {
        order[r] = static_cast<uint32_t>(r);
        keys[r] = all.Key(r);
    }
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
    cases::CaseTable sorted(record, codelists);
    sorted.AppendRows(all, order);
    return sorted;
}

Status Store::RebuildPartitions(const cases::CaseSchema& schema,
                                const cases::CodelistSet& codelists) {
    // Re-encode every snapshot under the current schema and codelists (fields added since are
    // empty), then drop the computed values.
    const long long based_on = RAP_TRY(CaseDataVersion());
    std::vector<std::pair<PartitionId, std::string>> encoded;
    for (const auto& record : schema.records) {
        for (const auto& p : RAP_TRY(LoadPartitions(record.id))) {
            const cases::CaseTable table =
                RAP_TRY(cases::Deserialize(p.payload, record, codelists));
            encoded.emplace_back(p.id, cases::Serialize(table));
        }
    }
    return impl_->Run("cannot rebuild case snapshots", [&]() -> Status {
        auto& sql = impl_->sql;
        Transaction tx(sql, backend());
        long long version = 0;
        soci::indicator ind = soci::i_ok;
        if (backend() == Backend::kPostgres) {
            sql << "SELECT pg_advisory_xact_lock(7261708)";  // as imports do
        }
        sql << "SELECT max(version) FROM case_imports", soci::into(version, ind);
        version = ind == soci::i_null ? 0 : version;
        if (version != based_on) {
            return Fail(Errc::kConflict,
                        fmt::format("an import was stored while the snapshots were being "
                                    "rebuilt (data version {} is now {}); nothing was written",
                                    based_on, version));
        }
        for (const auto& [id, payload] : encoded) {
            long long rows = 0;
            soci::indicator found = soci::i_ok;
            sql << "SELECT rows FROM case_partitions WHERE record = :r AND country = :c AND "
                   "year = :y",
                soci::use(id.record), soci::use(id.country), soci::use(id.year),
                soci::into(rows, found);
            if (!sql.got_data()) {
                continue;
            }
            RAP_TRY_STATUS(PutPartition(sql, backend(), id, rows, version, payload));
        }
        sql << "DELETE FROM indicator_results";
        tx.Commit();
        return Ok();
    });
}

Status Store::SaveResults(const StoredResults& results) {
    return impl_->Run("cannot store computed values", [&]() -> Status {
        auto& sql = impl_->sql;
        Transaction tx(sql, backend());
        if (backend() == Backend::kSqlite) {
            RAP_TRY_STATUS(SqlitePutPayload(
                RawSqlite(sql),
                "INSERT INTO indicator_results (country, year, framework_id, framework_version, "
                "data_version, computed_at, value_count, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                "?7, ?8) ON CONFLICT (country, year) DO UPDATE SET "
                "framework_id = excluded.framework_id, "
                "framework_version = excluded.framework_version, "
                "data_version = excluded.data_version, computed_at = excluded.computed_at, "
                "value_count = excluded.value_count, payload = excluded.payload",
                {{1, results.country}, {3, results.framework_id}, {4, results.framework_version},
                 {6, results.computed_at}},
                {{2, results.year}, {5, results.data_version}, {7, results.value_count}}, 8,
                results.payload));
            tx.Commit();
            return Ok();
        }
        const std::string payload = ToBase64(results.payload);
        sql << "INSERT INTO indicator_results (country, year, framework_id, framework_version, "
               "data_version, computed_at, value_count, payload) VALUES (:c, :y, :f, :fv, :d, :t, "
               ":n, :p) ON CONFLICT (country, year) DO UPDATE SET "
               "framework_id = excluded.framework_id, "
               "framework_version = excluded.framework_version, "
               "data_version = excluded.data_version, computed_at = excluded.computed_at, "
               "value_count = excluded.value_count, payload = excluded.payload",
            soci::use(results.country), soci::use(results.year), soci::use(results.framework_id),
            soci::use(results.framework_version), soci::use(results.data_version),
            soci::use(results.computed_at), soci::use(results.value_count), soci::use(payload);
        tx.Commit();
        return Ok();
    });
}

namespace {

// Columns 0-6 of an indicator_results row: everything but the payload.
StoredResults ResultsHeader(const soci::row& row) {
    StoredResults r;
    r.country = GetString(row, 0);
    r.year = static_cast<int>(GetInteger(row, 1));
    r.framework_id = GetString(row, 2);
    r.framework_version = GetString(row, 3);
    r.data_version = GetInteger(row, 4);
    r.computed_at = GetString(row, 5);
    r.value_count = GetInteger(row, 6);
    return r;
}

}  // namespace

Result<std::optional<StoredResults>> Store::LoadResults(std::string_view country, int year) {
    return impl_->Run("cannot read computed values",
                      [&]() -> Result<std::optional<StoredResults>> {
        const std::string c(country);
        const std::string query =
            "SELECT country, year, framework_id, framework_version, data_version, computed_at, "
            "value_count, payload FROM indicator_results WHERE country = :c AND year = :y";
        if (backend() == Backend::kSqlite) {
            SqliteStatement st(RawSqlite(impl_->sql),
                               "SELECT country, year, framework_id, framework_version, "
                               "data_version, computed_at, value_count, payload FROM "
                               "indicator_results WHERE country = ?1 AND year = ?2");
            if (!st.error().empty()) {
                return Fail(Errc::kInternal, st.error());
            }
            sqlite3_bind_text(st.get(), 1, c.data(), static_cast<int>(c.size()), SQLITE_STATIC);
            sqlite3_bind_int(st.get(), 2, year);
            const int step = sqlite3_step(st.get());
            if (step == SQLITE_DONE) {
                return std::optional<StoredResults>();
            }
            if (step != SQLITE_ROW) {
                return Fail(Errc::kUnavailable, sqlite3_errmsg(RawSqlite(impl_->sql)));
            }
            auto text = [&](int i) {
                return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), i)),
                                   static_cast<size_t>(sqlite3_column_bytes(st.get(), i)));
            };
            StoredResults r;
            r.country = text(0);
            r.year = sqlite3_column_int(st.get(), 1);
            r.framework_id = text(2);
            r.framework_version = text(3);
            r.data_version = sqlite3_column_int64(st.get(), 4);
            r.computed_at = text(5);
            r.value_count = sqlite3_column_int64(st.get(), 6);
            const auto* blob = static_cast<const char*>(sqlite3_column_blob(st.get(), 7));
            r.payload.assign(blob, static_cast<size_t>(sqlite3_column_bytes(st.get(), 7)));
            return std::optional<StoredResults>(std::move(r));
        }
        soci::rowset<soci::row> rs = (impl_->sql.prepare << query, soci::use(c), soci::use(year));
        for (const auto& row : rs) {
            StoredResults r = ResultsHeader(row);
            r.payload = RAP_TRY(FromBase64(GetString(row, 7), "computed values"));
            return std::optional<StoredResults>(std::move(r));
        }
        return std::optional<StoredResults>();
    });
}

Result<std::vector<StoredResults>> Store::ListResults() {
    return impl_->Run("cannot list computed values", [&]() -> Result<std::vector<StoredResults>> {
        std::vector<StoredResults> out;
        soci::rowset<soci::row> rs =
            (impl_->sql.prepare << "SELECT country, year, framework_id, framework_version, "
                                   "data_version, computed_at, value_count FROM indicator_results "
                                   "ORDER BY country, year");
        for (const auto& row : rs) {
            StoredResults r = ResultsHeader(row);
            out.push_back(std::move(r));
        }
        return out;
    });
}

}  // namespace rap::store
