// SPDX-License-Identifier: AGPL-3.0-or-later
// Persistence: one schema in numbered migrations, SQLite (a file, the default) or PostgreSQL (a
// postgresql:// URL), behind one class. Every write happens in a transaction; a failed write
// leaves the database as it was.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/case_table.hpp"
#include "core/result.hpp"
#include "framework/reference_data.hpp"

namespace rap::store {

enum class Backend { kSqlite, kPostgres };
std::string_view Name(Backend backend);

// A database target as the user gives it: a file path, or a postgresql:// URL.
struct Target {
    Backend backend = Backend::kSqlite;
    std::string location;  // file path, or the URL

    static Target Parse(std::string_view text);
    // The target for messages, with any password in a URL masked.
    std::string ToDisplayString() const;
};

struct Migration {
    int version = 0;
    std::string name;
};

// What SaveReferenceData did with each file.
struct SaveReport {
    struct Item {
        framework::FileType type = framework::FileType::kFramework;
        std::string name;
        std::string version;
        bool stored = false;  // false: the same content was already stored
    };
    std::vector<Item> items;
    int stored() const;
    int unchanged() const;
};

struct StoredFramework {
    std::string id;
    std::string version;
    std::string kind;
    std::string country;
    std::string extends_id;
    std::string extends_version;
    std::string name_en;
    bool example = false;
    int indicators = 0;  // effective indicators (core: all of its own)
};

// A partition of case records: one record type, country and year.
struct PartitionId {
    std::string record;
    std::string country;
    int year = 0;
    auto operator<=>(const PartitionId&) const = default;
};

// One import, written in a single transaction: the complete new content of every partition the
// import touches (its columnar snapshot). The snapshots are the records: a record moved to another
// partition is in its new snapshot and no longer in its old one.
// An event to append; the store gives it its place and hash.
struct NewEvent {
    std::string at;
    std::string actor;
    std::string country;
    std::string type;
    std::string payload;
};

struct CaseImportWrite {
    // The complete new content of each partition the import touches. A partition left without
    // rows is kept as an empty snapshot with the new version, so that the values of its
    // country-year are known to be out of date.
    struct Partition {
        PartitionId id;
        const cases::CaseTable* table = nullptr;  // REQUIRES: not null
    };
    std::vector<Partition> partitions;
    // The data version the import was checked against (CaseDataVersion() before its first
    // read). When another import was stored since, the write is kConflict and nothing is
    // written; -1 skips the check.
    long long based_on_version = -1;
    std::string files;  // for the import log
    long long inserted = 0;
    long long updated = 0;
    // Appended to the audit log (monitoring_events) in the same transaction, so that the import
    // and its record stand or fall together.
    std::vector<NewEvent> audit;
};

// Where stored records live, for a list of keys asked about (repeats allowed).
struct StoredPlaces {
    std::vector<PartitionId> partitions;  // each partition holding one of them, once
    std::vector<int32_t> of;              // per key asked: index into partitions, -1: not stored
    bool none() const { return partitions.empty(); }
    // The partition of the i-th key asked about; nullptr when it is not stored.
    const PartitionId* at(size_t i) const {
        return of[i] < 0 ? nullptr : &partitions[static_cast<size_t>(of[i])];
    }
};

struct StoredPartition {
    PartitionId id;
    long long rows = 0;
    long long version = 0;
    std::string payload;  // binary (cases::Serialize); empty when only listed
};

struct StoredResults {
    std::string country;
    int year = 0;
    std::string framework_id;
    std::string framework_version;
    long long data_version = 0;
    std::string computed_at;
    long long value_count = 0;
    std::string payload;  // binary; empty when only listed
};

// One stored monitoring event (monitoring/events.hpp): a row of the append-only audit log.
struct StoredEvent {
    long long seq = 0;
    std::string at;
    std::string actor;
    std::string country;
    std::string type;
    std::string payload;
    std::string prev_hash;
    std::string hash;
};

struct AuditReport {
    long long events = 0;
    long long head_seq = 0;
    std::string head_hash;  // the hash of the last event (64 zeros when there is none)
    bool head_intact = true;  // no problem up to the last event: its head may be kept
    std::vector<std::string> problems;  // empty: the chain is intact
};

// A file attached to evidence or to an information request, stored once by content.
struct Attachment {
    std::string sha256;
    std::string file_name;
    std::string media_type;
    std::string content;  // bytes
    std::string added_at;
    std::string added_by;
};

// Thread-safe: calls are serialised on one connection.
class Store {
public:
    // Opens (creating an SQLite file if needed) without migrating. kUnavailable when the server
    // cannot be reached or the file cannot be opened.
    static Result<std::unique_ptr<Store>> Open(const Target& target);

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    Backend backend() const;
    const Target& target() const;

    // The migrations this build knows, in order.
    static std::vector<Migration> KnownMigrations();

    // Applies every pending migration, each in its own transaction; returns how many were
    // applied. kFailedPrecondition when the database is newer than this build or an applied
    // migration differs from the one this build carries.
    Result<int> Migrate();

    // Highest applied migration, 0 for an empty database.
    Result<int> SchemaVersion();

    // Stores every framework, codelist and countries file of `data` in one transaction. A file
    // already stored with the same version and content is left alone; the same version with
    // different content is kInvalidArgument and nothing is written.
    Result<SaveReport> SaveReferenceData(const framework::ReferenceData& data);

    // The stored source files needed to rebuild the reference data: every framework version,
    // and the latest version of each codelist and of the countries file.
    Result<std::vector<framework::SourceFile>> LoadReferenceSources();

    Result<std::vector<StoredFramework>> ListFrameworks();

    Result<std::optional<std::string>> GetMeta(std::string_view key);
    Status SetMeta(std::string_view key, std::string_view value);

    // --- Case records ---------------------------------------------------------------------

    // Where the stored records with these keys (parts joined by '\x1f') live. Reads the key
    // columns of every stored snapshot of the record type (tens of milliseconds for a million
    // records), however few the keys.
    Result<StoredPlaces> FindCasePartitions(const cases::RecordDef& record,
                                            const std::vector<std::string_view>& keys);

    // Writes an import in one transaction and returns its data version (1, 2, ...).
    Result<long long> WriteCaseImport(const CaseImportWrite& write);

    // The newest data version (0 before the first import).
    Result<long long> CaseDataVersion();

    // Stored partitions, optionally of one record type and/or country; with payloads unless
    // `with_payload` is false.
    enum class Payload { kWith, kWithout };
    Result<std::vector<StoredPartition>> LoadPartitions(std::string_view record = {},
                                                        std::string_view country = {},
                                                        Payload payload = Payload::kWith);

    // The stored rows of a record type (for exports and rebuilding snapshots), converted back
    // into a table. Rows are in key order.
    Result<cases::CaseTable> LoadCaseRows(const cases::RecordDef& record,
                                          const cases::CodelistSet& codelists,
                                          std::string_view country = {});

    // Re-encodes the snapshot of every partition under the current schema and codelists (after a
    // codelist change) and drops the computed values. kConflict, with nothing written, when an
    // import is stored meanwhile.
    Status RebuildPartitions(const cases::CaseSchema& schema, const cases::CodelistSet& codelists);

    // --- Computed values ----------------------------------------------------------------------

    Status SaveResults(const StoredResults& results);
    Result<std::optional<StoredResults>> LoadResults(std::string_view country, int year);
    Result<std::vector<StoredResults>> ListResults();  // without payloads

    // --- Monitoring events: the audit log ----------------------------------------------------

    // Events in order, of one country (all when empty), after `after_seq`.
    Result<std::vector<StoredEvent>> LoadEvents(std::string_view country = {},
                                                long long after_seq = 0);

    // The seq of the newest event of a country (of all when empty); 0 when there is none.
    Result<long long> LastEventSeq(std::string_view country = {});

    // Appends events of one country in one transaction, each chained to the one before it.
    // kConflict, with nothing written, when the country has an event after `based_on_seq` (the
    // state the events were checked against is out of date) or another writer took the next
    // place. `files` the events refer to are stored in the same transaction (each once by
    // content), so that an event never names a missing file and a refused change leaves no file
    // behind. Returns the stored events.
    Result<std::vector<StoredEvent>> AppendEvents(std::string_view country, long long based_on_seq,
                                                  const std::vector<NewEvent>& events,
                                                  const std::vector<Attachment>& files = {});

    // The hash of an event: SHA-256 over its previous hash and every field, each length-prefixed.
    static std::string EventHash(const StoredEvent& e);

    // Walks the whole log: numbering without gaps, each previous hash equal to the hash before
    // it, each hash equal to the hash of the row's content.
    Result<AuditReport> VerifyAuditLog();

    // Stores a file (nothing is written when the same content is already stored) and returns
    // its SHA-256.
    Result<std::string> SaveAttachment(const Attachment& file);
    Result<std::optional<Attachment>> LoadAttachment(std::string_view sha256);

    // Row count of a table, for tests and diagnostics. REQUIRES: a known table name.
    Result<long long> CountRows(std::string_view table);

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace rap::store
