// SPDX-License-Identifier: AGPL-3.0-or-later
// Persistence: one schema in numbered migrations, SQLite (a file, the default) or PostgreSQL (a
// postgresql:// URL), behind one class. Every write happens in a transaction; a failed write
// leaves the database as it was.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

    // Row count of a table, for tests and diagnostics. REQUIRES: a known table name.
    Result<long long> CountRows(std::string_view table);

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace rap::store
