// SPDX-License-Identifier: AGPL-3.0-or-later
// Case records, their partition snapshots and computed values, on SOCI. Tables and columns follow
// the case-record schema (migration 0002); SQL is generated from the schema's record definitions.
#include <unordered_set>

#include "core/log.hpp"
#include "store/soci_internal.hpp"

namespace rap::store {

// SOCI includes SQLite's C API inside namespace sqlite_api.
using namespace sqlite_api;  // NOLINT(google-build-using-namespace)

namespace {

constexpr size_t kBatchRows = 2000;

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

Status SqliteKeys(sqlite_api::sqlite3* db, const std::string& query,
                  const CaseImportWrite::Rows& rows, long long version) {
    const cases::CaseTable& table = *rows.table;
    SqliteStatement st(db, query);
    if (!st.error().empty()) {
        return Fail(Errc::kInternal, fmt::format("cannot prepare the key index: {}", st.error()));
    }
    const std::string& record = table.record().id;
    sqlite3_stmt* s = st.get();
    sqlite3_bind_text(s, 1, record.data(), static_cast<int>(record.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, version);
    std::string composite;
    for (size_t r = rows.first_row; r < table.rows(); ++r) {
        std::string_view key;
        if (table.single_key()) {
            key = table.KeyView(r);
        } else {
            composite = table.Key(r);
            key = composite;
        }
        sqlite3_bind_text(s, 2, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
        const PartitionId& place =
            rows.places[rows.place_of.empty() ? 0 : rows.place_of[r - rows.first_row]];
        sqlite3_bind_text(s, 3, place.country.data(), static_cast<int>(place.country.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int(s, 4, place.year);
        if (!st.Run()) {
            return Fail(Errc::kInternal,
                        fmt::format("cannot store {} {}: {}", record, key, st.error()));
        }
    }
    return Ok();
}

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


}  // namespace

Result<std::map<std::string, PartitionId>> Store::FindCasePartitions(
    const cases::RecordDef& record, const std::vector<std::string_view>& keys) {
    return impl_->Run("cannot look up case records",
                      [&]() -> Result<std::map<std::string, PartitionId>> {
        std::map<std::string, PartitionId> out;
        if (keys.empty()) {
            return out;
        }
        auto& sql = impl_->sql;
        // Many keys: one scan of the record type's index; few keys: look them up in batches.
        if (keys.size() > 2000) {
            std::unordered_set<std::string_view> wanted;  // built on the first stored key
            soci::rowset<soci::row> rs =
                (sql.prepare << "SELECT record_key, country, year FROM case_keys WHERE "
                                "record = :r",
                 soci::use(record.id));
            for (const auto& r : rs) {
                if (wanted.empty()) {
                    wanted.insert(keys.begin(), keys.end());
                }
                std::string key = GetString(r, 0);
                if (wanted.contains(key)) {
                    out.emplace(std::move(key),
                                PartitionId{record.id, GetString(r, 1),
                                            static_cast<int>(GetInteger(r, 2))});
                }
            }
            return out;
        }
        constexpr size_t kBatch = 200;
        for (size_t start = 0; start < keys.size(); start += kBatch) {
            const size_t end = std::min(keys.size(), start + kBatch);
            std::string params;
            for (size_t i = start; i < end; ++i) {
                params += fmt::format("{}:k{}", i == start ? "" : ", ", i - start);
            }
            std::vector<std::string> batch(keys.begin() + static_cast<long>(start),
                                           keys.begin() + static_cast<long>(end));
            soci::statement st(sql);
            std::string key;
            std::string country;
            int year = 0;
            st.exchange(soci::into(key));
            st.exchange(soci::into(country));
            st.exchange(soci::into(year));
            st.exchange(soci::use(record.id, "r"));
            for (size_t i = start; i < end; ++i) {
                st.exchange(soci::use(batch[i - start], fmt::format("k{}", i - start)));
            }
            st.alloc();
            st.prepare(fmt::format("SELECT record_key, country, year FROM case_keys WHERE "
                                   "record = :r AND record_key IN ({})",
                                   params));
            st.define_and_bind();
            st.execute(false);
            while (st.fetch()) {
                out.emplace(key, PartitionId{record.id, country, year});
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

        // The key index: one narrow row per imported (or moved) record.
        const std::string upsert =
            backend() == Backend::kSqlite
                ? "INSERT INTO case_keys (record, record_key, country, year, version) VALUES "
                  "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (record, record_key) DO UPDATE SET "
                  "country = excluded.country, year = excluded.year, version = excluded.version"
                : "INSERT INTO case_keys (record, record_key, country, year, version) VALUES "
                  "(:r, :k, :c, :y, :v) ON CONFLICT (record, record_key) DO UPDATE SET "
                  "country = excluded.country, year = excluded.year, version = excluded.version";
        for (const auto& rows : write.rows) {
            const cases::CaseTable& table = *rows.table;
            if (backend() == Backend::kSqlite) {
                RAP_TRY_STATUS(
                    SqliteKeys(RawSqlite(sql), upsert, rows, version));
                continue;
            }
            // PostgreSQL: bulk binding in batches.
            std::vector<std::string> record_ids;
            std::vector<std::string> keys;
            std::vector<std::string> countries;
            std::vector<int> years;
            std::vector<long long> versions;
            for (size_t start = rows.first_row; start < table.rows(); start += kBatchRows) {
                const size_t end = std::min(table.rows(), start + kBatchRows);
                record_ids.assign(end - start, table.record().id);
                keys.clear();
                countries.clear();
                years.clear();
                versions.assign(end - start, version);
                for (size_t r = start; r < end; ++r) {
                    keys.push_back(table.Key(r));
                    const PartitionId& place =
                        rows.places[rows.place_of.empty() ? 0
                                                          : rows.place_of[r - rows.first_row]];
                    countries.push_back(place.country);
                    years.push_back(place.year);
                }
                sql << upsert, soci::use(record_ids), soci::use(keys), soci::use(countries),
                    soci::use(years), soci::use(versions);
            }
        }
        const auto rows_done = std::chrono::steady_clock::now();
        // Rows that moved to another partition keep one row (the upsert updated it in place),
        // so only the partition snapshots need replacing.
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
        tx.Commit();
        const auto committed = std::chrono::steady_clock::now();
        log::Debug("store: rows {:.2f} s, partition snapshots {:.2f} s, commit {:.2f} s",
                   std::chrono::duration<double>(rows_done - started).count(),
                   std::chrono::duration<double>(parts_done - rows_done).count(),
                   std::chrono::duration<double>(committed - parts_done).count());
        return version;
    });
}

Result<std::vector<StoredPartition>> Store::LoadPartitions(std::string_view record,
                                                           std::string_view country,
                                                           Payload payload) {
    return impl_->Run("cannot load case data", [&]() -> Result<std::vector<StoredPartition>> {
        std::vector<StoredPartition> out;
        const std::string r(record);
        const std::string c(country);
        if (backend() == Backend::kSqlite && payload == Payload::kWith) {
            // Payloads are blobs: read them with the C API, byte for byte.
            SqliteStatement st(RawSqlite(impl_->sql),
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
                    return std::string(
                        reinterpret_cast<const char*>(sqlite3_column_text(st.get(), i)),
                        static_cast<size_t>(sqlite3_column_bytes(st.get(), i)));
                };
                p.id = PartitionId{text(0), text(1), sqlite3_column_int(st.get(), 2)};
                p.rows = sqlite3_column_int64(st.get(), 3);
                p.version = sqlite3_column_int64(st.get(), 4);
                const auto* blob = static_cast<const char*>(sqlite3_column_blob(st.get(), 5));
                p.payload.assign(blob, static_cast<size_t>(sqlite3_column_bytes(st.get(), 5)));
                out.push_back(std::move(p));
            }
            if (rc != SQLITE_DONE) {
                return Fail(Errc::kUnavailable,
                            fmt::format("cannot read case partitions: {}",
                                        sqlite3_errmsg(RawSqlite(impl_->sql))));
            }
            return out;
        }
        const std::string query = fmt::format(
            "SELECT record, country, year, rows, version{} FROM case_partitions "
            "WHERE (:r = '' OR record = :r2) AND (:c = '' OR country = :c2) "
            "ORDER BY record, country, year",
            payload == Payload::kWith ? ", payload" : "");
        soci::rowset<soci::row> rs =
            (impl_->sql.prepare << query, soci::use(r, "r"), soci::use(r, "r2"),
             soci::use(c, "c"), soci::use(c, "c2"));
        for (const auto& row : rs) {
            StoredPartition p;
            p.id = PartitionId{GetString(row, 0), GetString(row, 1),
                               static_cast<int>(GetInteger(row, 2))};
            p.rows = GetInteger(row, 3);
            p.version = GetInteger(row, 4);
            if (payload == Payload::kWith) {
                p.payload = RAP_TRY(FromBase64(GetString(row, 5), "partition snapshot"));
            }
            out.push_back(std::move(p));
        }
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
