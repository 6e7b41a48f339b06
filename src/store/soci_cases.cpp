// SPDX-License-Identifier: AGPL-3.0-or-later
// Case records, their partition snapshots and computed values, on SOCI. Tables and columns follow
// the case-record schema (migration 0002); SQL is generated from the schema's record definitions.
#include <sodium.h>

#include "cases/cell_parse.hpp"
#include "store/soci_internal.hpp"

namespace rap::store {

// SOCI includes SQLite's C API inside namespace sqlite_api.
using namespace sqlite_api;  // NOLINT(google-build-using-namespace)

namespace {

std::string ToBase64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

Result<std::string> FromBase64(std::string_view text, std::string_view what) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        return Fail(Errc::kDataLoss, fmt::format("stored {} is not valid base64", what));
    }
    out.resize(len);
    return out;
}

bool IsNumericColumn(cases::FieldType t) {
    using cases::FieldType;
    return t == FieldType::kYear || t == FieldType::kInteger || t == FieldType::kAmount ||
           t == FieldType::kBool;
}

std::string TableName(const cases::RecordDef& record) { return record.sheet; }

// The columns written for a record: its fields, plus country and year for child records.
std::vector<std::string> ColumnNames(const cases::RecordDef& record) {
    std::vector<std::string> names;
    if (record.parent) {
        names.emplace_back("country");
        names.emplace_back("year");
    }
    for (const auto& f : record.fields) {
        names.push_back(f.name);
    }
    names.emplace_back("updated_version");
    return names;
}

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

Status SqliteUpsert(sqlite_api::sqlite3* db, const std::string& query, const cases::CaseTable& table,
                    const std::vector<PartitionId>& partition_of, long long version) {
    SqliteStatement st(db, query);
    if (!st.error().empty()) {
        return Fail(Errc::kInternal, fmt::format("cannot prepare the insert: {}", st.error()));
    }
    const cases::RecordDef& record = table.record();
    const int offset = record.parent ? 2 : 0;
    const int version_param = offset + static_cast<int>(record.fields.size()) + 1;
    std::vector<std::string> scratch(record.fields.size());
    sqlite3_stmt* s = st.get();
    for (size_t r = 0; r < table.rows(); ++r) {
        if (record.parent) {
            const std::string& country = partition_of[r].country;
            sqlite3_bind_text(s, 1, country.data(), static_cast<int>(country.size()),
                              SQLITE_STATIC);
            sqlite3_bind_int64(s, 2, partition_of[r].year);
        }
        for (size_t f = 0; f < record.fields.size(); ++f) {
            const cases::Column& col = table.column(f);
            const int p = offset + static_cast<int>(f) + 1;
            if (col.IsNull(r)) {
                sqlite3_bind_null(s, p);
                continue;
            }
            switch (col.field->type) {
                case cases::FieldType::kId:
                case cases::FieldType::kCountry:
                    sqlite3_bind_text(s, p, col.text[r].data(),
                                      static_cast<int>(col.text[r].size()), SQLITE_STATIC);
                    break;
                case cases::FieldType::kCode: {
                    const std::string& code =
                        col.codelist->codes[static_cast<size_t>(col.code[r])].code;
                    sqlite3_bind_text(s, p, code.data(), static_cast<int>(code.size()),
                                      SQLITE_STATIC);
                    break;
                }
                case cases::FieldType::kCodes:
                case cases::FieldType::kMonth:
                    scratch[f] = col.Text(r);
                    sqlite3_bind_text(s, p, scratch[f].data(),
                                      static_cast<int>(scratch[f].size()), SQLITE_STATIC);
                    break;
                case cases::FieldType::kBool: sqlite3_bind_int(s, p, col.flag[r]); break;
                default: sqlite3_bind_int64(s, p, col.number[r]); break;
            }
        }
        sqlite3_bind_int64(s, version_param, version);
        if (!st.Run()) {
            return Fail(Errc::kInternal,
                        fmt::format("cannot store {} {}: {}", record.id, table.Key(r), st.error()));
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
    const cases::RecordDef& record, const std::vector<std::string>& keys) {
    return impl_->Run("cannot look up case records",
                      [&]() -> Result<std::map<std::string, PartitionId>> {
        std::map<std::string, PartitionId> out;
        if (keys.empty()) {
            return out;
        }
        // Reading every key of the partition columns is cheaper than one query per key, and the
        // key set is bounded by the table.
        std::string key_expr;
        for (const auto& k : record.key) {
            key_expr += key_expr.empty() ? k : " || chr(31) || " + k;
        }
        if (backend() == Backend::kSqlite) {
            key_expr.clear();
            for (const auto& k : record.key) {
                key_expr += key_expr.empty() ? k : " || char(31) || " + k;
            }
        }
        std::set<std::string_view> wanted(keys.begin(), keys.end());
        soci::rowset<soci::row> rs =
            (impl_->sql.prepare << fmt::format("SELECT {}, country, year FROM {}", key_expr,
                                               TableName(record)));
        for (const auto& r : rs) {
            std::string key = GetString(r, 0);
            if (wanted.contains(key)) {
                out.emplace(std::move(key), PartitionId{record.id, GetString(r, 1),
                                                        static_cast<int>(GetInteger(r, 2))});
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
        auto& sql = impl_->sql;
        Transaction tx(sql, backend());
        if (backend() == Backend::kPostgres) {
            // Imports are serialised so that versions are strictly increasing.
            sql << "SELECT pg_advisory_xact_lock(7261708)";
        }
        long long version = 0;
        soci::indicator ind = soci::i_ok;
        sql << "SELECT max(version) FROM case_imports", soci::into(version, ind);
        version = (ind == soci::i_null ? 0 : version) + 1;

        for (const auto& rows : write.rows) {
            const cases::CaseTable& table = *rows.table;
            const cases::RecordDef& record = table.record();
            const auto names = ColumnNames(record);
            std::string cols;
            std::string params;
            std::string updates;
            for (size_t i = 0; i < names.size(); ++i) {
                cols += (i ? ", " : "") + names[i];
                params += fmt::format("{}:p{}", i ? ", " : "", i);
                const bool is_key = std::find(record.key.begin(), record.key.end(), names[i]) !=
                                    record.key.end();
                if (!is_key) {
                    updates += fmt::format("{}{} = excluded.{}", updates.empty() ? "" : ", ",
                                           names[i], names[i]);
                }
            }
            std::string key_cols;
            for (const auto& k : record.key) {
                key_cols += (key_cols.empty() ? "" : ", ") + k;
            }
            const std::string query =
                fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
                            TableName(record), cols, params, key_cols, updates);
            if (backend() == Backend::kSqlite) {
                RAP_TRY_STATUS(
                    SqliteUpsert(RawSqlite(sql), query, table, rows.partition_of, version));
                continue;
            }
            // Bulk binding, in batches: one vector (and indicator vector) per column.
            const size_t ncols = names.size();
            std::vector<std::vector<std::string>> text(ncols);
            std::vector<std::vector<long long>> numbers(ncols);
            std::vector<std::vector<soci::indicator>> inds(ncols);
            std::vector<bool> numeric(ncols, false);
            const size_t offset = record.parent ? 2 : 0;
            if (record.parent) {
                numeric[1] = true;
            }
            for (size_t f = 0; f < record.fields.size(); ++f) {
                numeric[offset + f] = IsNumericColumn(record.fields[f].type);
            }
            numeric[ncols - 1] = true;
            for (size_t start = 0; start < table.rows(); start += kBatchRows) {
                const size_t end = std::min(table.rows(), start + kBatchRows);
                const size_t n = end - start;
                for (size_t c = 0; c < ncols; ++c) {
                    text[c].assign(numeric[c] ? 0 : n, std::string());
                    numbers[c].assign(numeric[c] ? n : 0, 0);
                    inds[c].assign(n, soci::i_ok);
                }
                for (size_t r = start; r < end; ++r) {
                    const size_t i = r - start;
                    if (record.parent) {
                        text[0][i] = rows.partition_of[r].country;
                        numbers[1][i] = rows.partition_of[r].year;
                    }
                    for (size_t f = 0; f < record.fields.size(); ++f) {
                        const cases::Column& col = table.column(f);
                        const size_t c = offset + f;
                        if (col.IsNull(r)) {
                            inds[c][i] = soci::i_null;
                            if (!numeric[c]) {
                                text[c][i] = "";
                            }
                            continue;
                        }
                        if (numeric[c]) {
                            numbers[c][i] = col.field->type == cases::FieldType::kBool
                                                ? col.flag[r]
                                                : col.number[r];
                        } else {
                            text[c][i] = col.Text(r);
                        }
                    }
                    numbers[ncols - 1][i] = version;
                }
                soci::statement st(sql);
                for (size_t c = 0; c < ncols; ++c) {
                    if (numeric[c]) {
                        st.exchange(soci::use(numbers[c], inds[c]));
                    } else {
                        st.exchange(soci::use(text[c], inds[c]));
                    }
                }
                st.alloc();
                st.prepare(query);
                st.define_and_bind();
                st.execute(true);
            }
        }
        // Rows that moved to another partition keep one row (the upsert updated it in place),
        // so only the partition snapshots need replacing.
        std::string touched;
        for (const auto& p : write.partitions) {
            const long long rows = p.table == nullptr ? 0 : static_cast<long long>(p.table->rows());
            touched += fmt::format("{}{}/{}/{}", touched.empty() ? "" : ",", p.id.record,
                                   p.id.country, p.id.year);
            if (rows == 0) {
                sql << "DELETE FROM case_partitions WHERE record = :r AND country = :c AND "
                       "year = :y",
                    soci::use(p.id.record), soci::use(p.id.country), soci::use(p.id.year);
                continue;
            }
            RAP_TRY_STATUS(
                PutPartition(sql, backend(), p.id, rows, version, cases::Serialize(*p.table)));
        }
        const std::string now = NowUtc();
        sql << "INSERT INTO case_imports (version, imported_at, files, inserted, updated, "
               "partitions) VALUES (:v, :t, :f, :i, :u, :p)",
            soci::use(version), soci::use(now), soci::use(write.files), soci::use(write.inserted),
            soci::use(write.updated), soci::use(touched);
        tx.Commit();
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
    return impl_->Run("cannot read case records", [&]() -> Result<cases::CaseTable> {
        cases::CaseTable table(record, codelists);
        std::string cols;
        for (const auto& f : record.fields) {
            cols += (cols.empty() ? "" : ", ") + f.name;
        }
        std::string key_cols;
        for (const auto& k : record.key) {
            key_cols += (key_cols.empty() ? "" : ", ") + k;
        }
        const std::string c(country);
        soci::rowset<soci::row> rs =
            (impl_->sql.prepare << fmt::format("SELECT {} FROM {} WHERE (:c = '' OR country = "
                                               ":c2) ORDER BY {}",
                                               cols, TableName(record), key_cols),
             soci::use(c, "c"), soci::use(c, "c2"));
        cases::CellContext context;
        soci::rowset<soci::row> countries =
            (impl_->sql.prepare << "SELECT code FROM countries ORDER BY code");
        for (const auto& row : countries) {
            context.countries.push_back(GetString(row, 0));
        }
        for (const auto& row : rs) {
            for (size_t f = 0; f < record.fields.size(); ++f) {
                cases::Column& col = table.column(f);
                std::string text;
                if (row.get_indicator(f) != soci::i_null) {
                    const auto t = col.field->type;
                    if (t == cases::FieldType::kBool) {
                        text = GetInteger(row, f) != 0 ? "yes" : "no";
                    } else if (t == cases::FieldType::kAmount) {
                        const long long cents = GetInteger(row, f);
                        text = fmt::format("{}.{:02}", cents / 100, cents % 100);
                    } else if (IsNumericColumn(t)) {
                        text = std::to_string(GetInteger(row, f));
                    } else {
                        text = GetString(row, f);
                    }
                }
                if (auto problem = cases::AppendCell(col, text, context)) {
                    return Fail(Errc::kDataLoss,
                                fmt::format("stored {} value of {} cannot be read back: {}",
                                            record.id, col.field->name, *problem));
                }
            }
            table.CommitRow();
        }
        return table;
    });
}

Status Store::RebuildPartitions(const cases::CaseSchema& schema,
                                const cases::CodelistSet& codelists) {
    // Read every record type first (outside the write transaction), then replace all snapshots.
    std::vector<std::pair<PartitionId, cases::CaseTable>> parts;
    for (const auto& record : schema.records) {
        const cases::CaseTable all = RAP_TRY(LoadCaseRows(record, codelists));
        // Children take their partition from the parent's country and year column.
        std::map<PartitionId, cases::CaseTable> by_partition;
        const auto ids = RAP_TRY(impl_->Run(
            "cannot read case partitions", [&]() -> Result<std::vector<PartitionId>> {
                std::vector<PartitionId> out;
                std::string key_cols;
                for (const auto& k : record.key) {
                    key_cols += (key_cols.empty() ? "" : ", ") + k;
                }
                soci::rowset<soci::row> rs =
                    (impl_->sql.prepare << fmt::format("SELECT country, year FROM {} ORDER BY {}",
                                                       TableName(record), key_cols));
                for (const auto& row : rs) {
                    out.push_back(PartitionId{record.id, GetString(row, 0),
                                              static_cast<int>(GetInteger(row, 1))});
                }
                return out;
            }));
        for (size_t r = 0; r < all.rows(); ++r) {
            auto [it, fresh] = by_partition.try_emplace(ids[r], record, codelists);
            it->second.AppendRow(all, r);
        }
        for (auto& [id, table] : by_partition) {
            parts.emplace_back(id, std::move(table));
        }
    }
    return impl_->Run("cannot rebuild case snapshots", [&]() -> Status {
        auto& sql = impl_->sql;
        Transaction tx(sql, backend());
        long long version = 0;
        soci::indicator ind = soci::i_ok;
        sql << "SELECT max(version) FROM case_imports", soci::into(version, ind);
        sql << "DELETE FROM case_partitions";
        for (const auto& [id, table] : parts) {
            RAP_TRY_STATUS(PutPartition(sql, backend(), id, static_cast<long long>(table.rows()),
                                        version, cases::Serialize(table)));
        }
        // Snapshots changed shape: computed values must be recomputed.
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
            if (sqlite3_step(st.get()) != SQLITE_ROW) {
                return std::optional<StoredResults>();
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
            StoredResults r;
            r.country = GetString(row, 0);
            r.year = static_cast<int>(GetInteger(row, 1));
            r.framework_id = GetString(row, 2);
            r.framework_version = GetString(row, 3);
            r.data_version = GetInteger(row, 4);
            r.computed_at = GetString(row, 5);
            r.value_count = GetInteger(row, 6);
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
            StoredResults r;
            r.country = GetString(row, 0);
            r.year = static_cast<int>(GetInteger(row, 1));
            r.framework_id = GetString(row, 2);
            r.framework_version = GetString(row, 3);
            r.data_version = GetInteger(row, 4);
            r.computed_at = GetString(row, 5);
            r.value_count = GetInteger(row, 6);
            out.push_back(std::move(r));
        }
        return out;
    });
}

}  // namespace rap::store
