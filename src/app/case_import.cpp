// SPDX-License-Identifier: AGPL-3.0-or-later
// Importing case records: read and check every file, check keys, parents and links against this
// import and the database, work out the partitions that change, and write rows and partition
// snapshots in one transaction.
#include <algorithm>
#include <bit>
#include <chrono>
#include <set>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/cases.hpp"
#include "app/monitoring.hpp"
#include "core/log.hpp"
#include "io/case_reader.hpp"

namespace rap::app {

namespace {

using store::PartitionId;

// Rows of a workbook are named with their sheet (the record type's); the extension's letter case
// does not matter.
Location RowLocation(const cases::CaseTable& table, size_t row, std::string field = {}) {
    Location where;
    where.file = std::string(table.SourceFile(row));
    where.row = table.SourceRow(row);
    where.field = std::move(field);
    if (io::IsXlsxPath(where.file)) {
        where.sheet = table.record().sheet;
    }
    return where;
}

std::string Describe(const cases::CaseTable& table, size_t row) {
    if (!table.SourceFile(row).empty()) {
        if (io::IsXlsxPath(table.SourceFile(row))) {
            return fmt::format("{}, sheet {}, row {}", table.SourceFile(row), table.record().sheet,
                               table.SourceRow(row));
        }
        return fmt::format("{} row {}", table.SourceFile(row), table.SourceRow(row));
    }
    return fmt::format("record {}", row + 1);
}

cases::CellContext ContextOf(const framework::ReferenceData& data) {
    cases::CellContext context;
    if (data.countries) {
        for (const auto& c : data.countries->countries) {
            context.countries.push_back(c.code);
        }
    }
    cases::LimitToToday(context);  // records tell what has happened: no month in the future
    return context;
}

// Logs how long a step of the import took, and the memory in use; only when debug messages are
// written, as finding the memory in use reads a file.
void LogStep(std::string_view what, std::chrono::steady_clock::time_point since) {
    if (log::DebugEnabled()) {
        log::Debug("import: {} in {:.2f} s; memory {}", what,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count(),
                   log::MemoryUse());
    }
}

// Where the rows of one table go: distinct partitions, and an index into them per row.
struct Placement {
    std::vector<PartitionId> places;
    std::vector<uint32_t> of;  // per row
    std::map<PartitionId, uint32_t> index;

    uint32_t Intern(const PartitionId& id) {
        // Rows of one partition usually come together.
        if (!of.empty() && places[of.back()] == id) {
            return of.back();
        }
        auto [it, fresh] = index.emplace(id, static_cast<uint32_t>(places.size()));
        if (fresh) {
            places.push_back(id);
        }
        return it->second;
    }
    void Add(const PartitionId& id) { of.push_back(Intern(id)); }
    const PartitionId& at(size_t row) const { return places[of[row]]; }
};

class Importer {
public:
    Importer(store::Store& store, const Catalog& catalog, const ImportOptions& options,
             core::Diagnostics& diags)
        : store_(store)
        , data_(catalog.data())
        , schema_(*catalog.data().case_schema)
        , options_(options)
        , diags_(diags) {
        for (const auto& record : schema_.records) {
            if (record.link) {
                references_.push_back(
                    {&record, record.link->field, schema_.Find(record.link->record), true});
            }
            for (const auto& field : record.fields) {
                if (const cases::RecordDef* to = ReferredRecord(record, field)) {
                    references_.push_back({&record, field.name, to, false});
                }
            }
        }
    }

    Result<ImportReport> Run(std::map<std::string, cases::CaseTable> tables,
                             const std::string& description) {
        tables_ = std::move(tables);
        const size_t errors_before = diags_.size();
        // Everything below is read at this version; the write checks that it still holds.
        const long long based_on = RAP_TRY(store_.CaseDataVersion());
        auto lap = std::chrono::steady_clock::now();
        auto phase = [&lap](std::string_view what) {
            LogStep(what, lap);
            lap = std::chrono::steady_clock::now();
        };
        CheckDuplicates();
        RAP_TRY_STATUS(PlaceRows());
        RAP_TRY_STATUS(CheckCountryMoves());
        RAP_TRY_STATUS(RelocateChildrenOfMovedParents());
        RAP_TRY_STATUS(CheckLinksOfRelocated());
        phase("checked keys, parents and links");
        if (diags_.size() != errors_before) {
            return Fail(diags_.Summary());
        }
        RAP_TRY_STATUS(DropUnchangedRows());
        phase("compared with the stored records");
        ImportReport report;
        report.dry_run = options_.dry_run;
        store::CaseImportWrite write;
        write.files = description;
        write.based_on_version = based_on;
        for (const auto& record : schema_.records) {
            auto it = tables_.find(record.id);
            if (it == tables_.end()) {
                continue;
            }
            ImportReport::PerRecord per;
            per.record = record.id;
            per.unchanged = unchanged_[record.id];
            per.rows = static_cast<long long>(it->second.rows()) + per.unchanged;
            const auto& stored = existing_[record.id].of;
            per.updated =
                std::count_if(stored.begin(), stored.end(), [](int32_t p) { return p >= 0; });
            per.inserted = per.rows - per.unchanged - per.updated;
            write.inserted += per.inserted;
            write.updated += per.updated;
            report.records.push_back(per);
            if (!options_.dry_run) {
                CountByCountry(record.id, it->second);
            }
        }
        RAP_TRY_STATUS(AssemblePartitions());
        phase("assembled partitions");
        for (auto& [id, table] : new_partitions_) {
            report.partitions.push_back(id);
            write.partitions.push_back({id, &table});
        }
        if (options_.dry_run) {
            return report;
        }
        if (new_partitions_.empty()) {
            // Every record is stored as it is: no new data version, audit entry or recompute.
            report.nothing_changed = true;
            report.data_version = based_on;
            return report;
        }
        // The write fails unless the data is still at `based_on`, so its version is the next.
        write.audit = RAP_TRY(AuditEntries(description, based_on + 1));
        report.data_version = RAP_TRY(store_.WriteCaseImport(write));
        phase("wrote rows and partition snapshots");
        return report;
    }

private:
    // Every way a record refers to another: its link, and fields named as another record
    // type's key (ReferredRecord).
    struct Reference {
        const cases::RecordDef* from = nullptr;
        std::string field;
        const cases::RecordDef* to = nullptr;
        bool is_link = false;
    };

    // New and replaced records of `table` per country (before the tables move into partitions).
    void CountByCountry(const std::string& record, const cases::CaseTable& table) {
        const Placement& place = partition_of_[record];
        const auto& stored = existing_[record].of;  // empty when none was stored
        std::vector<std::pair<long long, long long>> by_place(place.places.size());  // new, old
        for (size_t r = 0; r < table.rows(); ++r) {
            auto& [fresh, old] = by_place[place.of[r]];
            ++(r < stored.size() && stored[r] >= 0 ? old : fresh);
        }
        for (size_t p = 0; p < by_place.size(); ++p) {
            auto& entry = per_country_[place.places[p].country];
            entry.inserted += by_place[p].first;
            entry.updated += by_place[p].second;
        }
    }

    // One audit entry per country the import writes to: its new and replaced records and the
    // partitions written (a partition emptied by a move counts as written).
    Result<std::vector<store::NewEvent>> AuditEntries(const std::string& files,
                                                      long long version) {
        const std::string actor = RAP_TRY(PersonName(options_.actor));
        for (const auto& [id, table] : new_partitions_) {
            per_country_[id.country].partitions.push_back(fmt::format("{} {}", id.record, id.year));
        }
        const std::string at = core::NowUtcTimestamp();
        std::vector<store::NewEvent> out;
        for (auto& [country, entry] : per_country_) {
            entry.data_version = version;
            entry.files = files;
            const monitoring::Payload payload = entry;
            out.push_back({at, actor, country, std::string(monitoring::TypeName(payload)),
                           RAP_TRY(monitoring::EncodePayload(payload))});
        }
        return out;
    }

    void Error(const cases::CaseTable& table, size_t row, std::string field, std::string message) {
        diags_.Add(Errc::kInvalidArgument, std::move(message),
                   RowLocation(table, row, std::move(field)));
    }

    // Every key once per table; the index is kept (for Locate and for replacing stored rows).
    void CheckDuplicates() {
        for (auto& [record, table] : tables_) {
            IndexKeys(record, table);
        }
    }

    // Indexes the keys of an imported table, reporting repeated keys.
    void IndexKeys(const std::string& record, const cases::CaseTable& table) {
        {
            composite_keys_.erase(record);
            index_.erase(record);
            if (!table.single_key()) {  // composite keys are materialised once
                auto& keys = composite_keys_[record];
                keys.reserve(table.rows());
                for (size_t r = 0; r < table.rows(); ++r) {
                    keys.push_back(table.Key(r));
                }
            }
            KeyIndex& first = index_[record];
            first.reserve(table.rows());
            for (size_t r = 0; r < table.rows(); ++r) {
                const std::string_view key = KeyOf(record, table, r);
                auto [it, fresh] = first.emplace(key, static_cast<uint32_t>(r));
                if (!fresh) {
                    std::string shown(key);
                    std::replace(shown.begin(), shown.end(), '\x1f', '/');
                    Error(table, r, table.record().key[0],
                          fmt::format("duplicate {} {}: the same record is also at {}", record,
                                      shown, Describe(table, it->second)));
                }
            }
        }
    }

    // Imported rows equal to the record stored under their key, in the partition they would go
    // to, change nothing: they leave the import (counted as unchanged), so that an import of
    // records as they are stored writes nothing.
    Status DropUnchangedRows() {
        for (auto& [record_id, table] : tables_) {
            const store::StoredPlaces& stored = existing_[record_id];
            if (stored.none()) {
                continue;
            }
            const Placement& parts = partition_of_[record_id];
            // Rows stored in the partition they go to, by that partition.
            std::map<size_t, std::vector<uint32_t>> candidates;
            for (size_t r = 0; r < table.rows(); ++r) {
                const PartitionId* old = stored.at(r);
                if (old != nullptr && *old == parts.at(r)) {
                    candidates[static_cast<size_t>(stored.of[r])].push_back(
                        static_cast<uint32_t>(r));
                }
            }
            std::vector<bool> same(table.rows(), false);
            size_t unchanged = 0;
            for (const auto& [p, rows] : candidates) {
                const cases::CaseTable old = RAP_TRY(LoadPartition(stored.partitions[p]));
                absl::flat_hash_map<std::string, uint32_t> row_of;
                row_of.reserve(old.rows());
                for (size_t r = 0; r < old.rows(); ++r) {
                    row_of.emplace(old.Key(r), static_cast<uint32_t>(r));
                }
                for (const uint32_t r : rows) {
                    const std::string_view key = KeyOf(record_id, table, r);
                    auto at = row_of.find(absl::string_view(key.data(), key.size()));
                    if (at != row_of.end() && cases::SameRow(table, r, old, at->second)) {
                        same[r] = true;
                        ++unchanged;
                    }
                }
            }
            unchanged_[record_id] = static_cast<long long>(unchanged);
            if (unchanged == 0) {
                continue;
            }
            // The changed rows, with their places, as the import's table.
            std::vector<uint32_t> keep;
            for (size_t r = 0; r < table.rows(); ++r) {
                if (!same[r]) {
                    keep.push_back(static_cast<uint32_t>(r));
                }
            }
            cases::CaseTable changed(table.record(), data_.codelists);
            changed.AppendRows(table, keep);
            Placement places;
            store::StoredPlaces now;
            std::map<int32_t, int32_t> renumbered;  // stored partition index: old -> new
            for (size_t i = 0; i < keep.size(); ++i) {
                changed.CopySource(table, keep[i], i);
                places.Add(parts.at(keep[i]));
                int32_t of = stored.of[keep[i]];
                if (of >= 0) {
                    auto [it, fresh] =
                        renumbered.emplace(of, static_cast<int32_t>(now.partitions.size()));
                    if (fresh) {
                        now.partitions.push_back(stored.partitions[static_cast<size_t>(of)]);
                    }
                    of = it->second;
                }
                now.of.push_back(of);
            }
            table = std::move(changed);
            partition_of_[record_id] = std::move(places);
            existing_[record_id] = std::move(now);
            IndexKeys(record_id, table);
        }
        return Ok();
    }

    // The key of an imported row, as a view.
    std::string_view KeyOf(const std::string& record, const cases::CaseTable& table, size_t r) {
        return table.single_key() ? table.KeyView(r) : std::string_view(composite_keys_[record][r]);
    }

    std::vector<std::string_view> KeyViews(const std::string& record,
                                           const cases::CaseTable& table) {
        std::vector<std::string_view> views;
        views.reserve(table.rows());
        for (size_t r = 0; r < table.rows(); ++r) {
            views.push_back(KeyOf(record, table, r));
        }
        return views;
    }

    static std::vector<std::string_view> TextViews(const std::vector<std::string>& text) {
        return {text.begin(), text.end()};
    }

    // Partition of each imported row; checks parents, links and the country option.
    Status PlaceRows() {
        for (const auto& record : schema_.records) {
            auto it = tables_.find(record.id);
            if (it == tables_.end()) {
                continue;
            }
            const cases::CaseTable& table = it->second;
            existing_[record.id] =
                RAP_TRY(store_.FindCasePartitions(record, KeyViews(record.id, table)));
            Placement& parts = partition_of_[record.id];
            parts.of.reserve(table.rows());
            if (!record.parent) {
                const auto& country = table.column("country");
                const auto& year = table.column("year");
                for (size_t r = 0; r < table.rows(); ++r) {
                    parts.Add(PartitionId{record.id, country.text[r],
                                          static_cast<int>(year.number[r])});
                }
            } else {
                RAP_TRY_STATUS(PlaceChildren(record, table, parts));
            }
            if (record.link) {
                RAP_TRY_STATUS(CheckLinks(record, table, parts));
            }
            for (const Reference& ref : references_) {
                if (ref.from == &record && !ref.is_link) {
                    RAP_TRY_STATUS(CheckReference(ref, table, parts));
                }
            }
            CheckCountryCodes(table, parts);
            if (options_.country) {
                for (size_t r = 0; r < table.rows(); ++r) {
                    const PartitionId& at = parts.at(r);
                    if (!at.country.empty() && at.country != *options_.country) {
                        Error(table, r, record.parent ? record.parent->field : "country",
                              fmt::format("record belongs to {}, but this import is for {} "
                                          "(--country)",
                                          at.country, *options_.country));
                    }
                }
            }
        }
        return Ok();
    }

    // Where the record with `key` of type `record` lives after this import: imported rows win
    // over where it is stored (`stored`, nullptr when it is not or was not looked up).
    std::optional<PartitionId> Locate(const cases::RecordDef& record, std::string_view key,
                                      const PartitionId* stored) {
        const auto& index = index_[record.id];
        if (auto it = index.find(key); it != index.end()) {
            return partition_of_[record.id].at(it->second);
        }
        if (stored != nullptr) {
            return *stored;
        }
        return std::nullopt;
    }

    Status PlaceChildren(const cases::RecordDef& record, const cases::CaseTable& table,
                         Placement& parts) {
        const cases::RecordDef* parent = schema_.Find(record.parent->record);
        const auto& keys = table.column(record.parent->field).text;
        const auto stored = RAP_TRY(store_.FindCasePartitions(*parent, TextViews(keys)));
        for (size_t r = 0; r < table.rows(); ++r) {
            auto where = Locate(*parent, keys[r], stored.at(r));
            if (!where) {
                Error(table, r, record.parent->field,
                      fmt::format("{} '{}' is neither in this import nor in the database; import "
                                  "the {} first or together",
                                  parent->id, keys[r], parent->sheet));
                parts.Add(PartitionId{record.id, "", 0});
                continue;
            }
            parts.Add(PartitionId{record.id, where->country, where->year});
        }
        return Ok();
    }

    Status CheckLinks(const cases::RecordDef& record, const cases::CaseTable& table,
                      const Placement& parts) {
        const cases::RecordDef* linked = schema_.Find(record.link->record);
        const auto& keys = table.column(record.link->field).text;
        const auto stored = RAP_TRY(store_.FindCasePartitions(*linked, TextViews(keys)));
        for (size_t r = 0; r < table.rows(); ++r) {
            auto where = Locate(*linked, keys[r], stored.at(r));
            if (!where) {
                Error(table, r, record.link->field,
                      fmt::format("{} '{}' is neither in this import nor in the database",
                                  linked->id, keys[r]));
            } else if (!parts.at(r).country.empty() && where->country != parts.at(r).country) {
                Error(table, r, record.link->field,
                      fmt::format("{} '{}' is a case of {}, but this record is of {}", linked->id,
                                  keys[r], where->country, parts.at(r).country));
            }
        }
        return Ok();
    }

    // A field that holds the key of another record type without being the record's parent or
    // link (a claim's proceeding_id): an identifier field named as that record type's key.
    const cases::RecordDef* ReferredRecord(const cases::RecordDef& record,
                                           const cases::FieldDef& field) const {
        if (field.type != cases::FieldType::kId ||
            std::find(record.key.begin(), record.key.end(), field.name) != record.key.end() ||
            (record.parent && record.parent->field == field.name) ||
            (record.link && record.link->field == field.name)) {
            return nullptr;
        }
        for (const auto& other : schema_.records) {
            if (&other != &record && other.key.size() == 1 && other.key[0] == field.name &&
                !other.parent) {
                return &other;
            }
        }
        return nullptr;
    }

    // The record a reference names must exist (in the import or the database) and be of the
    // same country; an empty cell refers to nothing.
    Status CheckReference(const Reference& ref, const cases::CaseTable& table,
                          const Placement& parts) {
        const auto& keys = table.column(ref.field).text;
        const auto stored = RAP_TRY(store_.FindCasePartitions(*ref.to, TextViews(keys)));
        for (size_t r = 0; r < table.rows(); ++r) {
            if (keys[r].empty()) {
                continue;
            }
            auto where = Locate(*ref.to, keys[r], stored.at(r));
            if (!where) {
                Error(table, r, ref.field,
                      fmt::format("{} '{}' is neither in this import nor in the database; import "
                                  "the {} first or together, or leave {} empty",
                                  ref.to->id, keys[r], ref.to->sheet, ref.field));
            } else if (!parts.at(r).country.empty() && where->country != parts.at(r).country) {
                Error(table, r, ref.field,
                      fmt::format("{} '{}' is a {} of {}, but this record is of {}", ref.to->id,
                                  keys[r], ref.to->id, where->country, parts.at(r).country));
            }
        }
        return Ok();
    }

    // Codes that belong to one country (codelists mark them with `country:`, as regions and
    // legal qualifications) are refused on records of another country.
    void CheckCountryCodes(const cases::CaseTable& table, const Placement& parts) {
        for (const cases::Column& column : table.columns()) {
            const cases::Codelist* list = column.codelist;
            if (list == nullptr ||
                std::none_of(list->codes.begin(), list->codes.end(),
                             [](const cases::Code& c) { return !c.country.empty(); })) {
                continue;
            }
            const bool set = column.field->type == cases::FieldType::kCodes;
            std::vector<size_t> used;
            for (size_t r = 0; r < table.rows(); ++r) {
                const std::string& country = parts.at(r).country;
                if (country.empty() || column.IsNull(r)) {
                    continue;
                }
                // The row's own codes only: its one code, or the bits of its set.
                used.clear();
                if (set) {
                    for (uint64_t bits = column.set[r]; bits != 0; bits &= bits - 1) {
                        used.push_back(static_cast<size_t>(std::countr_zero(bits)));
                    }
                } else if (column.code[r] >= 0) {
                    used.push_back(static_cast<size_t>(column.code[r]));
                }
                for (const size_t i : used) {
                    if (i >= list->codes.size()) {
                        continue;
                    }
                    const cases::Code& code = list->codes[i];
                    if (code.country.empty() || code.country == country) {
                        continue;
                    }
                    Error(table, r, column.field->name,
                          fmt::format("'{}' is a code of {} for {} only, but this record is of "
                                      "{}; codes of {} for {}: {}",
                                      code.code, list->dimension, code.country, country,
                                      list->dimension, country,
                                      fmt::join(list->CodesFor(country), ", ")));
                }
            }
        }
    }

    // Keys for a message: the first few, '/' between the parts of a composite key.
    static std::string ShownKeys(const std::vector<std::string>& keys) {
        constexpr size_t kShown = 5;
        std::string out;
        for (size_t i = 0; i < keys.size() && i < kShown; ++i) {
            std::string shown = keys[i];
            std::replace(shown.begin(), shown.end(), '\x1f', '/');
            out += (out.empty() ? "" : ", ") + shown;
        }
        if (keys.size() > kShown) {
            out += fmt::format(" and {} more", keys.size() - kShown);
        }
        return out;
    }

    // The field of a record type that holds its country (its first key field when none).
    static std::string CountryField(const cases::RecordDef& record) {
        for (const auto& f : record.fields) {
            if (f.type == cases::FieldType::kCountry) {
                return f.name;
            }
        }
        return record.key[0];
    }

    // A stored record that refers to a re-imported record (a victim heard in a proceeding, a
    // victim's claims, a claim's proceeding) must stay in that record's country. When the
    // re-imported record moves to another country while such stored references remain, the
    // import is refused: the references would silently point to another country. Records that
    // refer to it and are imported again are checked against the new country instead.
    Status CheckCountryMoves() {
        for (const Reference& ref : references_) {
            const cases::RecordDef& referrer = *ref.from;
            const std::string& target = ref.to->id;
            auto tt = tables_.find(target);
            if (tt == tables_.end()) {
                continue;
            }
            // Moved keys of the target by their old country, with the row that moves them.
            std::map<std::string, std::map<std::string, size_t>> moved;
            const store::StoredPlaces& stored = existing_[target];
            if (stored.none()) {
                continue;  // nothing of the target is stored yet, so nothing moves
            }
            for (size_t r = 0; r < tt->second.rows(); ++r) {
                const PartitionId* old = stored.at(r);
                const PartitionId& now = partition_of_[target].at(r);
                if (old != nullptr && !now.country.empty() && old->country != now.country) {
                    moved[old->country].emplace(tt->second.Key(r), r);
                }
            }
            if (moved.empty()) {
                continue;
            }
            std::set<std::string> reimported;  // these are checked against the new country
            if (auto rt = tables_.find(referrer.id); rt != tables_.end()) {
                for (size_t r = 0; r < rt->second.rows(); ++r) {
                    reimported.insert(rt->second.Key(r));
                }
            }
            const cases::RecordDef* parent =
                referrer.parent ? schema_.Find(referrer.parent->record) : nullptr;
            for (const auto& [country, keys] : moved) {
                auto& cache = loaded_[{referrer.id, country}];
                if (!cache.has_value()) {
                    cache = RAP_TRY(store_.LoadPartitions(referrer.id, country));
                }
                std::map<size_t, std::vector<std::string>> refused;  // target row -> referrers
                for (const auto& p : *cache) {
                    const cases::CaseTable t =
                        RAP_TRY(cases::Deserialize(p.payload, referrer, data_.codelists));
                    const auto& links = t.column(ref.field).text;
                    for (size_t r = 0; r < t.rows(); ++r) {
                        auto k = keys.find(links[r]);
                        if (k == keys.end() || reimported.contains(t.Key(r))) {
                            continue;
                        }
                        // A referrer whose parent (the proceeding) moves to the same country in
                        // this import moves with it.
                        if (parent != nullptr) {
                            const auto parent_now =
                                Locate(*parent, t.column(referrer.parent->field).text[r], nullptr);
                            if (parent_now && parent_now->country ==
                                                  partition_of_[target].at(k->second).country) {
                                continue;
                            }
                        }
                        refused[k->second].push_back(t.Key(r));
                    }
                }
                for (auto& [row, referring] : refused) {
                    std::sort(referring.begin(), referring.end());
                    const std::string& to = partition_of_[target].at(row).country;
                    const bool one = referring.size() == 1;
                    Error(tt->second, row, CountryField(tt->second.record()),
                          fmt::format("{} '{}' is stored under {}, and {} stored {}{} ({}) {} to "
                                      "it there; to move it to {}, import {} under {} in the "
                                      "same import",
                                      target, tt->second.Key(row), country, one ? "a" : "these",
                                      referrer.id, one ? "" : "s", ShownKeys(referring),
                                      one ? "refers" : "refer", to,
                                      parent != nullptr
                                          ? fmt::format("the {} of {} {}", parent->id,
                                                        one ? "that" : "those", referrer.id)
                                          : fmt::format("{} {}{}", one ? "that" : "those",
                                                        referrer.id, one ? "" : "s"),
                                      to));
                }
            }
        }
        return Ok();
    }

    // Children that move with their parent to another country (a proceeding's victims in it)
    // keep their links: the linked records (the victims) must be of the new country, in this
    // import or in the database. Otherwise the move is refused at the parent's row.
    Status CheckLinksOfRelocated() {
        for (auto& [child_id, rel] : relocated_) {
            const cases::RecordDef& child = rel.table.record();
            if (!child.link || rel.table.rows() == 0) {
                continue;
            }
            const cases::RecordDef& parent = *schema_.Find(child.parent->record);
            const cases::RecordDef& linked = *schema_.Find(child.link->record);
            const auto& links = rel.table.column(child.link->field).text;
            const auto& parents = rel.table.column(child.parent->field).text;
            const auto stored = RAP_TRY(store_.FindCasePartitions(linked, TextViews(links)));
            // Parent row -> (country of the linked records -> their keys).
            std::map<uint32_t, std::map<std::string, std::vector<std::string>>> refused;
            for (size_t r = 0; r < rel.table.rows(); ++r) {
                const std::string& to = rel.partition_of.at(r).country;
                const std::string& from = rel.old_partition[r].country;
                auto where = Locate(linked, links[r], stored.at(r));
                if (to.empty() || to == from || !where || where->country == to) {
                    continue;
                }
                const auto& index = index_[parent.id];
                auto row = index.find(parents[r]);
                if (row != index.end()) {
                    refused[row->second][where->country].push_back(links[r]);
                }
            }
            const cases::CaseTable& parents_table = tables_.at(parent.id);
            for (auto& [row, by_country] : refused) {
                const std::string& to = partition_of_[parent.id].at(row).country;
                for (auto& [country, keys] : by_country) {
                    std::sort(keys.begin(), keys.end());
                    const bool one = keys.size() == 1;
                    Error(parents_table, row, CountryField(parent),
                          fmt::format("{} '{}' moves to {}, but its stored {}{} link{} it to {} "
                                      "{} of {} ({}); a {} links only {}s of its own country: "
                                      "import {} {}{} under {} in the same import, or leave the "
                                      "{} under {}",
                                      parent.id, parents_table.Key(row), to, child.id,
                                      one ? "" : "s", one ? "s" : "", one ? "a" : "these",
                                      linked.id + (one ? "" : "s"), country, ShownKeys(keys),
                                      child.id, linked.id, one ? "that" : "those", linked.id,
                                      one ? "" : "s", to, parent.id, country));
                }
            }
        }
        return Ok();
    }

    Result<cases::CaseTable> LoadPartition(const PartitionId& id) {
        const cases::RecordDef& record = *schema_.Find(id.record);
        auto& cache = loaded_[{id.record, id.country}];
        if (!cache.has_value()) {
            cache = RAP_TRY(store_.LoadPartitions(id.record, id.country));
        }
        for (const auto& p : *cache) {
            if (p.id == id) {
                return cases::Deserialize(p.payload, record, data_.codelists);
            }
        }
        return cases::CaseTable(record, data_.codelists);
    }

    // Children stay with their parent: when a re-imported parent moves to another country-year,
    // its stored children (not themselves in this import) move too.
    Status RelocateChildrenOfMovedParents() {
        for (const auto& child : schema_.records) {
            if (!child.parent) {
                continue;
            }
            const std::string& parent_id = child.parent->record;
            auto pt = tables_.find(parent_id);
            if (pt == tables_.end()) {
                continue;
            }
            std::map<std::string, PartitionId> moved;  // parent key -> new partition
            std::set<PartitionId> old_parts;
            const store::StoredPlaces& stored = existing_[parent_id];
            if (stored.none()) {
                continue;
            }
            for (size_t r = 0; r < pt->second.rows(); ++r) {
                const PartitionId* old = stored.at(r);
                const PartitionId& now = partition_of_[parent_id].at(r);
                if (old != nullptr && (old->country != now.country || old->year != now.year)) {
                    moved.emplace(pt->second.Key(r), now);
                    old_parts.insert(PartitionId{child.id, old->country, old->year});
                }
            }
            if (moved.empty()) {
                continue;
            }
            std::set<std::string> reimported;
            if (auto ct = tables_.find(child.id); ct != tables_.end()) {
                for (size_t r = 0; r < ct->second.rows(); ++r) {
                    reimported.insert(ct->second.Key(r));
                }
            }
            Relocated& rel = relocated_.try_emplace(child.id, child, data_.codelists).first->second;
            for (const auto& old : old_parts) {
                const cases::CaseTable existing = RAP_TRY(LoadPartition(old));
                const auto& parent_keys = existing.column(child.parent->field).text;
                for (size_t r = 0; r < existing.rows(); ++r) {
                    auto m = moved.find(parent_keys[r]);
                    if (m == moved.end() || reimported.contains(existing.Key(r))) {
                        continue;
                    }
                    rel.table.AppendRow(existing, r);
                    rel.partition_of.Add(PartitionId{child.id, m->second.country,
                                                     m->second.year});
                    rel.old_partition.push_back(old);
                }
            }
        }
        return Ok();
    }

    // The complete new content of every partition this import touches.
    Status AssemblePartitions() {
        for (const auto& record : schema_.records) {
            // Imported and relocated rows, bucketed by their new partition.
            std::map<PartitionId, std::vector<uint32_t>> imported;
            std::map<PartitionId, std::vector<uint32_t>> relocated;
            std::set<PartitionId> touched;
            auto it = tables_.find(record.id);
            if (it != tables_.end()) {
                const Placement& parts = partition_of_[record.id];
                std::vector<std::vector<uint32_t>> by_place(parts.places.size());
                for (size_t r = 0; r < it->second.rows(); ++r) {
                    by_place[parts.of[r]].push_back(static_cast<uint32_t>(r));
                }
                for (size_t p = 0; p < by_place.size(); ++p) {
                    if (!by_place[p].empty()) {
                        imported[parts.places[p]] = std::move(by_place[p]);
                    }
                }
                for (const auto& [id, rows] : imported) {
                    touched.insert(id);
                }
                for (const PartitionId& old : existing_[record.id].partitions) {
                    touched.insert(old);
                }
            }
            auto rt = relocated_.find(record.id);
            if (rt != relocated_.end()) {
                for (size_t r = 0; r < rt->second.table.rows(); ++r) {
                    relocated[rt->second.partition_of.at(r)].push_back(static_cast<uint32_t>(r));
                    touched.insert(rt->second.partition_of.at(r));
                    touched.insert(rt->second.old_partition[r]);
                }
            }
            // Stored rows are replaced by the imported and relocated rows with the same key.
            absl::flat_hash_set<std::string> relocated_keys;  // looked up by view
            if (rt != relocated_.end()) {
                for (size_t r = 0; r < rt->second.table.rows(); ++r) {
                    relocated_keys.insert(rt->second.table.Key(r));
                }
            }
            const KeyIndex& imported_keys = index_[record.id];
            const auto leaves = [&](const cases::CaseTable& stored, size_t r) {
                const std::string composite = stored.single_key() ? std::string() : stored.Key(r);
                const std::string_view key =
                    stored.single_key() ? stored.KeyView(r) : std::string_view(composite);
                return imported_keys.contains(key) ||
                       relocated_keys.contains(absl::string_view(key.data(), key.size()));
            };
            std::vector<cases::CaseTable::Destination> destinations;
            for (const PartitionId& id : touched) {
                if (id.country.empty()) {
                    continue;
                }
                const cases::CaseTable existing = RAP_TRY(LoadPartition(id));
                cases::CaseTable next(record, data_.codelists);
                if (existing.rows() > 0) {
                    std::vector<uint32_t> kept;
                    for (size_t r = 0; r < existing.rows(); ++r) {
                        if (!leaves(existing, r)) {
                            kept.push_back(static_cast<uint32_t>(r));
                        }
                    }
                    next.AppendRows(existing, kept);
                }
                cases::CaseTable& slot =
                    new_partitions_.insert_or_assign(id, std::move(next)).first->second;
                if (auto b = imported.find(id); b != imported.end()) {
                    destinations.push_back({&slot, &b->second});
                }
            }
            // The imported rows move into their partitions (the import's own copy is released
            // column by column), then come the rows that moved with their parent.
            index_.erase(record.id);  // views into the imported table, which moves out now
            composite_keys_.erase(record.id);
            if (it != tables_.end()) {
                it->second.Distribute(destinations);
            }
            for (const auto& [id, rows] : relocated) {
                if (auto slot = new_partitions_.find(id); slot != new_partitions_.end()) {
                    slot->second.AppendRows(rt->second.table, rows);
                }
            }
        }
        return Ok();
    }

    struct Relocated {
        Relocated(const cases::RecordDef& record, const cases::CodelistSet& codelists)
            : table(record, codelists) {}
        cases::CaseTable table;
        Placement partition_of;
        std::vector<PartitionId> old_partition;
    };

    store::Store& store_;
    const framework::ReferenceData& data_;
    const cases::CaseSchema& schema_;
    const ImportOptions& options_;
    core::Diagnostics& diags_;
    std::map<std::string, cases::CaseTable> tables_;
    std::map<std::string, store::StoredPlaces> existing_;  // per imported row
    std::map<std::string, std::vector<std::string>> composite_keys_;  // per imported row
    std::map<std::string, Placement> partition_of_;
    std::map<std::string, monitoring::CasesImported> per_country_;  // for the audit log
    // Row of each key of the imported tables (views into the tables or composite_keys_).
    using KeyIndex = absl::flat_hash_map<std::string_view, uint32_t>;
    std::map<std::string, KeyIndex> index_;
    std::map<std::pair<std::string, std::string>,
             std::optional<std::vector<store::StoredPartition>>>
        loaded_;
    std::map<std::string, Relocated> relocated_;
    std::vector<Reference> references_;
    std::map<std::string, long long> unchanged_;  // imported rows equal to their stored record
    std::map<PartitionId, cases::CaseTable> new_partitions_;
};

}  // namespace

Result<ImportReport> StoreCaseTables(store::Store& store, const Catalog& catalog,
                                     std::map<std::string, cases::CaseTable> tables,
                                     const ImportOptions& options, core::Diagnostics& diags,
                                     const std::string& description) {
    if (!catalog.data().case_schema) {
        return Fail(Errc::kFailedPrecondition, "the database has no case-record schema");
    }
    Importer importer(store, catalog, options, diags);
    ImportReport report = RAP_TRY(importer.Run(std::move(tables), description));
    if (!report.dry_run && !report.nothing_changed && options.compute) {
        const ComputeReport computed = RAP_TRY(ComputeValues(store, catalog, ComputeMode::kStale));
        report.values_computed = computed.values;
    }
    return report;
}

Result<ImportReport> ImportCases(store::Store& store, const Catalog& catalog,
                                 const std::vector<std::string>& files,
                                 const ImportOptions& options, core::Diagnostics& diags) {
    if (files.empty()) {
        return Fail(Errc::kInvalidArgument, "no files to import");
    }
    const framework::ReferenceData& data = catalog.data();
    if (!data.case_schema) {
        return Fail(Errc::kFailedPrecondition, "the database has no case-record schema");
    }
    if (options.country && (!data.countries || data.countries->Find(*options.country) == nullptr)) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("--country {} is not one of the configured countries",
                                *options.country));
    }
    const cases::CellContext context = ContextOf(data);
    std::string description;
    for (const auto& f : files) {
        description += (description.empty() ? "" : ", ") + f;
    }
    // Another import stored while this one was being checked makes the write refuse (nothing is
    // written); the files are then read and checked again against the new state.
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
        const auto started = std::chrono::steady_clock::now();
        auto tables = io::ReadCaseFiles(files, *data.case_schema, data.codelists, context, diags);
        LogStep(fmt::format("read and checked {} files", files.size()), started);
        if (!diags.empty()) {
            return Fail(diags.Summary());
        }
        auto report = StoreCaseTables(store, catalog, std::move(tables), options, diags,
                                      description);
        if (report || report.error().code != Errc::kConflict || attempt == kAttempts) {
            return report;
        }
        log::Info("import: {}; checking the files again", report.error().message);
    }
}

}  // namespace rap::app
