// SPDX-License-Identifier: AGPL-3.0-or-later
// Use cases around case records: import (all-or-nothing, with a dry run), computing the
// case-derived indicators, reading computed values, templates and exports.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/catalog.hpp"
#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "engine/snapshot.hpp"
#include "engine/values.hpp"
#include "privacy/disclosure.hpp"
#include "store/store.hpp"

namespace rap::app {

struct ImportOptions {
    std::optional<std::string> country;  // every record must be of this country
    bool dry_run = false;
    bool compute = true;  // recompute the values the import changed
    // Who imports: recorded, per country the import touches, in the audit log (a
    // monitoring::CasesImported entry written in the import's transaction). Required unless
    // dry_run.
    std::string actor;
};

struct ImportReport {
    struct PerRecord {
        std::string record;
        long long rows = 0;
        long long inserted = 0;   // new keys
        long long updated = 0;    // stored keys whose record changed (or moved)
        long long unchanged = 0;  // stored keys whose record is as imported: not written
    };
    std::vector<PerRecord> records;
    std::vector<store::PartitionId> partitions;  // touched
    // The version the import wrote; when nothing changed, the version the data is at; 0 for a
    // dry run.
    long long data_version = 0;
    bool dry_run = false;
    // Every imported record was stored as it is: nothing was written (no new data version, no
    // audit entry) and nothing recomputed.
    bool nothing_changed = false;
    long long values_computed = 0;
};

// Reads, checks and stores case files as one unit: either every record of every file is stored,
// or nothing is. Records already stored (same key) are updated, not duplicated. Problems go into
// diags with file, sheet, row and column; the result is then kInvalidArgument.
Result<ImportReport> ImportCases(store::Store& store, const Catalog& catalog,
                                 const std::vector<std::string>& files,
                                 const ImportOptions& options, core::Diagnostics& diags);

// Writes synthetic case records (clearly labelled: every identifier starts with "SYN-") for the
// five countries and the years 2015-2025, at `victims_per_country_year` victims on average, with
// proceedings, defendants, victims in proceedings and claims in proportion. Deterministic for a
// seed. The distributions follow the region's published patterns (docs/demo-data.md).
struct SyntheticOptions {
    unsigned seed = 20261123;
    long long total_victims = 0;  // 0: realistic volumes (tens to a few hundred per country-year)
    int first_year = 2015;
    int last_year = 2025;
};
std::map<std::string, cases::CaseTable> GenerateSyntheticCases(const framework::ReferenceData& data,
                                                               const SyntheticOptions& options);

// Writes synthetic case records as import-format CSV files (one per record type) into `dir`,
// streaming, so that a million records need no more memory than their tables. Returns the files.
Result<std::vector<std::string>> WriteSyntheticCaseFiles(const framework::ReferenceData& data,
                                                         const SyntheticOptions& options,
                                                         const std::string& dir);

// Writes tables as import-format CSV files (one per record type present), streaming.
Result<std::vector<std::string>> WriteCaseTablesCsv(
    const cases::CaseSchema& schema, const std::map<std::string, cases::CaseTable>& tables,
    const std::string& dir);

// Stores tables (from GenerateSyntheticCases, or tests) as one import.
Result<ImportReport> StoreCaseTables(store::Store& store, const Catalog& catalog,
                                     std::map<std::string, cases::CaseTable> tables,
                                     const ImportOptions& options, core::Diagnostics& diags,
                                     const std::string& description);

// Loads every stored partition into memory.
Result<engine::Snapshot> LoadSnapshot(store::Store& store, const Catalog& catalog);

enum class ComputeMode { kStale, kAll };
struct ComputeReport {
    std::vector<std::pair<std::string, int>> computed;  // (country, year)
    long long values = 0;
    long long data_version = 0;
};

// Computes the case-derived indicators of every country and year whose stored values are missing
// or older than its data (kStale), or all of them (kAll), and stores them.
Result<ComputeReport> ComputeValues(store::Store& store, const Catalog& catalog, ComputeMode mode);

struct ValuesQuery {
    std::string indicator;
    std::string country;
    int year = 0;
    std::vector<std::string> by;  // dimension codes (any letter case); empty: totals
    std::string measure;          // empty: every measure
    // Disclosure control (privacy::Protect) on the values; only people entitled to see the
    // case records themselves may have it off.
    bool protect = true;
};

// The rule the values of a country pass before they are shown: the country's thresholds
// (countries.yaml `disclosure`), else the regional minimum.
privacy::DisclosureRule DisclosureRuleFor(const Catalog& catalog, std::string_view country);

// The values asked for, computing first when the stored ones are stale, after disclosure
// control unless the query turns it off. kNotFound for an indicator the country's framework
// lacks or that is not derived from case records; kInvalidArgument for a dimension the indicator
// is not broken down by.
Result<std::vector<engine::Value>> QueryValues(store::Store& store, const Catalog& catalog,
                                               const ValuesQuery& query);

// Every case-derived value of a country and year broken down by at most `max_dimensions`
// dimensions, after disclosure control (each indicator protected as a whole, as QueryValues
// does), computing first when the stored values are stale.
Result<std::vector<engine::Value>> QueryCountryYear(store::Store& store, const Catalog& catalog,
                                                    const std::string& country, int year,
                                                    size_t max_dimensions);

// Binary form of computed values, as stored per country and year.
std::string SerializeValues(const std::vector<engine::Value>& values);
Result<std::vector<engine::Value>> DeserializeValues(std::string_view payload);

enum class TableFormat { kCsv, kXlsx };

// Writes empty import templates: one CSV per record type, or one XLSX with a sheet per record
// type, allowed values as lists and each column's description as a note. Returns the files.
Result<std::vector<std::string>> WriteCaseTemplates(const framework::ReferenceData& data,
                                                    TableFormat format, const std::string& dir);

// Writes the stored records (for internal use: this is personal-data-derived material and never a
// public output), in the import format, optionally of one country. Returns the files written.
// Before writing, records in the audit log, for each country with records, that `actor` exported
// them (RecordCaseAccess); nothing is written when that fails.
Result<std::vector<std::string>> ExportCases(store::Store& store, const Catalog& catalog,
                                             TableFormat format, const std::string& dir,
                                             const std::string& country, const std::string& actor);

}  // namespace rap::app
