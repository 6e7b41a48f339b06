// SPDX-License-Identifier: AGPL-3.0-or-later
// Internals of the SOCI-based Store, shared by its implementation files (soci_store.cpp for
// reference data and migrations, soci_cases.cpp for case records and results). Only store/*.cpp
// include this header, because it brings in SOCI.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <span>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/date.hpp"
#include "core/embedded.hpp"
#include "core/files.hpp"
#include "store/store.hpp"

namespace rap::embedded {
std::span<const core::EmbeddedFile> StoreMigrations();
}  // namespace rap::embedded

namespace rap::store {

namespace internal {

using framework::FileType;

// Splits a migration script into statements: on ';' outside quotes, with '--' comments removed.
// Two kinds of bodies hold their own ';': PostgreSQL's dollar-quoted ($$ ... $$) function bodies,
// and SQLite's trigger bodies (CREATE TRIGGER ... BEGIN ...; END), which end at "END;".
inline std::vector<std::string> SplitStatements(std::string_view script) {
    std::vector<std::string> out;
    std::string current;
    bool in_quote = false;
    bool in_dollar = false;
    const auto upper_trimmed = [](std::string text) {
        const auto end = text.find_last_not_of(" \t\r\n");
        text.erase(end == std::string::npos ? 0 : end + 1);
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        return text;
    };
    for (size_t i = 0; i < script.size(); ++i) {
        const char c = script[i];
        if (!in_quote && c == '$' && i + 1 < script.size() && script[i + 1] == '$') {
            in_dollar = !in_dollar;
            current += "$$";
            ++i;
            continue;
        }
        if (in_dollar) {
            current += c;
            continue;
        }
        if (!in_quote && c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
            while (i < script.size() && script[i] != '\n') {
                ++i;
            }
            current += '\n';
            continue;
        }
        if (c == '\'') {
            in_quote = !in_quote;
        }
        if (!in_quote && c == ';') {
            const std::string upper = upper_trimmed(current);
            if (upper.find("CREATE TRIGGER") != std::string::npos &&
                upper.find("BEGIN") != std::string::npos &&
                !(upper.size() >= 3 && upper.compare(upper.size() - 3, 3, "END") == 0)) {
                current += c;  // a statement inside a trigger body
                continue;
            }
            if (current.find_first_not_of(" \t\r\n") != std::string::npos) {
                out.push_back(current);
            }
            current.clear();
            continue;
        }
        current += c;
    }
    if (current.find_first_not_of(" \t\r\n") != std::string::npos) {
        out.push_back(current);
    }
    return out;
}

struct MigrationFile {
    int version = 0;
    std::string name;
    std::string_view sql;
    std::string checksum;
};

// Embedded files are named NNNN_name.sql, or, where the dialects differ too much for the
// {{without_rowid}} placeholder (triggers, functions), NNNN_name.sqlite.sql and
// NNNN_name.postgresql.sql: each database gets the file of its dialect (the checksum is of that
// file).
inline std::vector<MigrationFile> Migrations(Backend backend) {
    std::vector<MigrationFile> out;
    const std::string_view mine = backend == Backend::kSqlite ? ".sqlite" : ".postgresql";
    for (const auto& f : embedded::StoreMigrations()) {
        std::string_view stem = f.path.substr(5, f.path.size() - 5 - 4);
        for (const std::string_view dialect : {std::string_view(".sqlite"),
                                               std::string_view(".postgresql")}) {
            if (stem.ends_with(dialect)) {
                stem.remove_suffix(dialect.size());
                if (dialect != mine) {
                    stem = {};
                }
                break;
            }
        }
        if (stem.empty()) {
            continue;  // the other dialect's
        }
        MigrationFile m;
        m.version = std::stoi(std::string(f.path.substr(0, 4)));
        m.name = std::string(stem);
        m.sql = f.contents;
        m.checksum = core::Sha256Hex(f.contents);
        out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

inline std::string ToBase64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

inline Result<std::string> FromBase64(std::string_view text, std::string_view what) {
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


inline std::string Join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        out += out.empty() ? p : "," + p;
    }
    return out;
}

template <class E>
inline std::string JoinNames(const std::vector<E>& values) {
    std::vector<std::string> names;
    for (const auto& v : values) {
        names.emplace_back(framework::Name(v));
    }
    return Join(names);
}

inline long long GetInteger(const soci::row& row, std::size_t i) {
    switch (row.get_properties(i).get_data_type()) {
        case soci::dt_integer: return row.get<int>(i);
        case soci::dt_long_long: return row.get<long long>(i);
        case soci::dt_unsigned_long_long:
            return static_cast<long long>(row.get<unsigned long long>(i));
        case soci::dt_double: return static_cast<long long>(row.get<double>(i));
        case soci::dt_string: return std::stoll(row.get<std::string>(i));
        default: return 0;
    }
}

inline std::string GetString(const soci::row& row, std::size_t i) {
    return row.get_indicator(i) == soci::i_null ? std::string() : row.get<std::string>(i);
}

// The dialect's way of opening a write transaction.
class Transaction {
public:
    Transaction(soci::session& sql, Backend backend) : sql_(sql) {
        // IMMEDIATE takes SQLite's write lock at once, so that two writers queue on the busy
        // timeout instead of one failing at its first write.
        sql_ << (backend == Backend::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
        open_ = true;
    }
    ~Transaction() {
        if (open_) {
            try {
                sql_ << "ROLLBACK";
            } catch (...) {  // NOLINT(bugprone-empty-catch): nothing more can be done here
            }
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void Commit() {
        sql_ << "COMMIT";
        open_ = false;
    }

private:
    soci::session& sql_;
    bool open_ = false;
};

// SOCI 4.0 reads its connect string as space-separated key=value pairs and mangles a URL, so the
// URL is parsed by libpq itself and handed over as libpq key='value' pairs.
inline Result<std::string> PostgresConnectString(const std::string& url) {
    char* message = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &message);
    if (options == nullptr) {
        std::string why = message != nullptr ? message : "not a valid connection URL";
        PQfreemem(message);
        while (!why.empty() && why.back() == '\n') {
            why.pop_back();
        }
        return Fail(Errc::kInvalidArgument, fmt::format("invalid PostgreSQL URL: {}", why));
    }
    std::string out;
    for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
        if (o->val == nullptr || *o->val == '\0') {
            continue;
        }
        std::string value;
        for (const char* c = o->val; *c != '\0'; ++c) {
            if (*c == '\'' || *c == '\\') {
                value += '\\';
            }
            value += *c;
        }
        out += fmt::format("{}{}='{}'", out.empty() ? "" : " ", o->keyword, value);
    }
    PQconninfoFree(options);
    return out;
}

inline Error Translate(const std::exception& e, const Target& target, std::string_view doing) {
    std::string what = e.what();
    while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) {
        what.pop_back();
    }
    Errc code = Errc::kInternal;
    if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
        const std::string state = pg->sqlstate();
        if (state == "23505") {
            code = Errc::kAlreadyExists;
        } else if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P03") {
            code = Errc::kUnavailable;
        } else if (state == "40001" || state == "40P01") {
            code = Errc::kConflict;
        }
    } else if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
        switch (lite->result() & 0xFF) {
            case 5:   // SQLITE_BUSY
            case 6:   // SQLITE_LOCKED
                code = Errc::kUnavailable;
                break;
            case 11:  // SQLITE_CORRUPT
            case 26:  // SQLITE_NOTADB
                code = Errc::kDataLoss;
                break;
            case 14:  // SQLITE_CANTOPEN
            case 8:   // SQLITE_READONLY
            case 13:  // SQLITE_FULL
                code = Errc::kUnavailable;
                break;
            case 19:  // SQLITE_CONSTRAINT
                code = Errc::kAlreadyExists;
                break;
            default:
                break;
        }
    }
    return Error{code, fmt::format("{} ({}): {}", doing, target.ToDisplayString(), what), {}};
}

// Takes the audit log's lock for the rest of the caller's transaction: one writer at a time
// appends (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers).
void LockAuditLog(soci::session& sql, Backend backend);

// Appends events to the hash-chained log inside the caller's transaction: the chain continues
// from the newest event of any country. REQUIRES: LockAuditLog in this transaction. Defined in
// soci_monitoring.cpp.
std::vector<StoredEvent> AppendChained(soci::session& sql, const std::vector<NewEvent>& events);

}  // namespace internal

using namespace internal;  // NOLINT(google-build-using-namespace): file-internal header

// Values bound with soci::use must outlive the statement, which runs when the full expression
// ends, after temporaries are gone: bind named variables only, never temporaries.
struct Store::Impl {
    Target target;
    soci::session sql;
    std::mutex mu;

    // Runs fn with the lock held and SOCI's exceptions translated.
    template <class Fn>
    auto Run(std::string_view doing, Fn&& fn) -> decltype(fn()) {
        std::lock_guard lock(mu);
        try {
            return fn();
        } catch (const std::exception& e) {
            return Fail(Translate(e, target, doing));
        }
    }

    bool Exists(std::string_view type, const std::string& name, const std::string& version,
                std::string* sha, std::string* source, std::string* loaded_at) {
        soci::indicator ind = soci::i_ok;
        const std::string type_name(type);
        sql << "SELECT sha256, source_name, loaded_at FROM reference_files "
               "WHERE file_type = :t AND name = :n AND version = :v",
            soci::use(type_name), soci::use(name), soci::use(version),
            soci::into(*sha, ind), soci::into(*source), soci::into(*loaded_at);
        return sql.got_data() && ind == soci::i_ok;
    }

    // Records the file, or says why it cannot. Returns true when it must be stored now.
    Result<bool> ClaimFile(FileType type, const std::string& name, const std::string& version,
                           const std::string& sha, const std::string& source,
                           const std::string& content, const std::string& now) {
        std::string stored_sha;
        std::string stored_source;
        std::string stored_at;
        if (Exists(framework::Name(type), name, version, &stored_sha, &stored_source,
                   &stored_at)) {
            if (stored_sha == sha) {
                return false;
            }
            return Fail(Errc::kInvalidArgument,
                        fmt::format("{} {} version {} is already stored with different content "
                                    "(loaded from {} on {}); a changed file needs a new version",
                                    framework::Name(type), name,
                                    version, stored_source, stored_at),
                        Location{.file = source, .line = 1, .column = 1});
        }
        const std::string type_name(framework::Name(type));
        sql << "INSERT INTO reference_files (file_type, name, version, sha256, source_name, "
               "content, loaded_at) VALUES (:t, :n, :v, :s, :src, :c, :at)",
            soci::use(type_name), soci::use(name), soci::use(version),
            soci::use(sha), soci::use(source), soci::use(content), soci::use(now);
        return true;
    }

    void InsertFramework(const framework::Framework& fw, const framework::ReferenceData& data) {
        soci::indicator country_ind = fw.country.empty() ? soci::i_null : soci::i_ok;
        soci::indicator extends_ind = fw.extends.empty() ? soci::i_null : soci::i_ok;
        soci::indicator version_ind = fw.extends_version.empty() ? soci::i_null : soci::i_ok;
        const int example = fw.example ? 1 : 0;
        const std::string kind(Name(fw.kind));
        sql << "INSERT INTO frameworks (id, version, kind, country, extends_id, extends_version, "
               "name_en, example) VALUES (:id, :v, :k, :c, :e, :ev, :n, :x)",
            soci::use(fw.id), soci::use(fw.version), soci::use(kind),
            soci::use(fw.country, country_ind), soci::use(fw.extends, extends_ind),
            soci::use(fw.extends_version, version_ind), soci::use(fw.name.Get()),
            soci::use(example);
        int position = 0;
        for (const auto& area : fw.areas) {
            sql << "INSERT INTO framework_areas (framework_id, framework_version, code, position, "
                   "name_en) VALUES (:id, :v, :c, :p, :n)",
                soci::use(fw.id), soci::use(fw.version), soci::use(area.code),
                soci::use(++position), soci::use(area.name.Get());
        }
        std::vector<const framework::Indicator*> own;
        for (const auto& ind : fw.indicators) {
            own.push_back(&ind);
        }
        for (const auto& dev : fw.deviations) {
            if (dev.national) {
                own.push_back(&*dev.national);
            }
        }
        position = 0;
        for (const framework::Indicator* ind : own) {
            std::vector<framework::ValueKind> kinds;
            for (const auto& m : ind->measures) {
                kinds.push_back(m.kind);
            }
            const std::string types = JoinNames(ind->types);
            const std::string kind_list = JoinNames(kinds);
            const std::string status(Name(ind->status));
            sql << "INSERT INTO framework_indicators (framework_id, framework_version, code, area, "
                   "position, name_en, types, kinds, status) "
                   "VALUES (:id, :v, :c, :a, :p, :n, :t, :k, :s)",
                soci::use(fw.id), soci::use(fw.version), soci::use(ind->code),
                soci::use(ind->area), soci::use(++position), soci::use(ind->name.Get()),
                soci::use(types), soci::use(kind_list), soci::use(status);
        }
        position = 0;
        for (const auto& dev : fw.deviations) {
            const std::string type(Name(dev.type));
            sql << "INSERT INTO framework_deviations (framework_id, framework_version, position, "
                   "deviation_type, indicator_code, reason_en) VALUES (:id, :v, :p, :t, :c, :r)",
                soci::use(fw.id), soci::use(fw.version), soci::use(++position),
                soci::use(type), soci::use(dev.indicator),
                soci::use(dev.reason.Get());
        }
        if (fw.kind == framework::FrameworkKind::kNational) {
            auto eff = data.Resolve(fw.id, fw.version);
            if (!eff) {
                throw std::runtime_error(eff.error().ToString());
            }
            for (const auto& e : eff->indicators) {
                const std::string comparability(Name(e.comparability));
                sql << "INSERT INTO effective_indicators (framework_id, framework_version, code, "
                       "country, comparability) VALUES (:id, :v, :c, :cc, :k)",
                    soci::use(fw.id), soci::use(fw.version), soci::use(e.indicator.code),
                    soci::use(fw.country), soci::use(comparability);
            }
        }
    }

    void InsertCodelist(const cases::Codelist& list) {
        sql << "INSERT INTO codelists (dimension, version, name_en) VALUES (:d, :v, :n)",
            soci::use(list.dimension), soci::use(list.version), soci::use(list.name.Get());
        int position = 0;
        for (const auto& code : list.codes) {
            soci::indicator parent_ind = code.parent.empty() ? soci::i_null : soci::i_ok;
            soci::indicator country_ind = code.country.empty() ? soci::i_null : soci::i_ok;
            const int unknown = code.unknown ? 1 : 0;
            sql << "INSERT INTO codelist_codes (dimension, version, code, position, parent, "
                   "country, is_unknown, name_en) VALUES (:d, :v, :c, :p, :pa, :cc, :u, :n)",
                soci::use(list.dimension), soci::use(list.version), soci::use(code.code),
                soci::use(++position), soci::use(code.parent, parent_ind),
                soci::use(code.country, country_ind), soci::use(unknown),
                soci::use(code.name.Get());
            for (const auto& [standard, value] : code.mappings) {
                sql << "INSERT INTO codelist_mappings (dimension, version, code, standard, "
                       "external_value) VALUES (:d, :v, :c, :s, :x)",
                    soci::use(list.dimension), soci::use(list.version), soci::use(code.code),
                    soci::use(standard), soci::use(value);
            }
        }
    }

    void UpsertCountries(const framework::CountrySet& set) {
        for (const auto& c : set.countries) {
            const std::string languages = Join(c.languages);
            sql << "INSERT INTO countries (code, iso3, name_en, currency, languages, data_version) "
                   "VALUES (:c, :i, :n, :cu, :l, :v) ON CONFLICT (code) DO UPDATE SET "
                   "iso3 = excluded.iso3, name_en = excluded.name_en, "
                   "currency = excluded.currency, languages = excluded.languages, "
                   "data_version = excluded.data_version",
                soci::use(c.code), soci::use(c.iso3), soci::use(c.name.Get()),
                soci::use(c.currency), soci::use(languages), soci::use(set.version);
            for (const auto& [year, count] : c.population.by_year) {
                const int estimated = c.population.estimated.contains(year) ? 1 : 0;
                const long long population = count;
                const int y = year;
                sql << "INSERT INTO population (country, year, population, estimated, source, "
                       "data_version) VALUES (:c, :y, :p, :e, :s, :v) ON CONFLICT (country, year) "
                       "DO UPDATE SET population = excluded.population, "
                       "estimated = excluded.estimated, source = excluded.source, "
                       "data_version = excluded.data_version",
                    soci::use(c.code), soci::use(y), soci::use(population), soci::use(estimated),
                    soci::use(c.population.source.Get()), soci::use(set.version);
            }
        }
    }
};

}  // namespace rap::store
