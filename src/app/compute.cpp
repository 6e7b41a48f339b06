// SPDX-License-Identifier: AGPL-3.0-or-later
// Computing and reading the case-derived indicator values. Values are stored per country and
// year together with the data version and framework they came from; anything newer makes them
// stale, and only stale country-years are recomputed.
#include <algorithm>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/cases.hpp"
#include "core/binary.hpp"
#include "core/date.hpp"
#include "engine/engine.hpp"

namespace rap::app {

namespace {

constexpr uint32_t kValuesFormat = 1;

// The frameworks values are computed with: each country's national adaptation (or the core).
Result<std::map<std::string, const framework::EffectiveFramework*>> FrameworksByCountry(
    const Catalog& catalog) {
    std::map<std::string, const framework::EffectiveFramework*> out;
    const auto& data = catalog.data();
    if (!data.countries) {
        return out;
    }
    for (const auto& c : data.countries->countries) {
        auto eff = catalog.EffectiveForCountry(c.code);
        if (!eff && eff.error().code == Errc::kNotFound) {
            eff = catalog.EffectiveForCountry("");
        }
        out.emplace(c.code, RAP_TRY(eff));
    }
    return out;
}

}  // namespace

std::string SerializeValues(const std::vector<engine::Value>& values) {
    core::ByteWriter w;
    w.Put(kValuesFormat);
    w.Put(static_cast<uint64_t>(values.size()));
    for (const auto& v : values) {
        w.PutString(v.indicator);
        w.PutString(v.measure);
        w.PutString(v.country);
        w.Put(static_cast<int32_t>(v.year));
        w.Put(static_cast<uint32_t>(v.by.size()));
        for (const auto& [dim, code] : v.by) {
            w.PutString(dim);
            w.PutString(code);
        }
        w.Put(v.value);
        w.Put(v.numerator);
        w.Put(v.denominator);
        w.Put(v.p90);
        w.Put(v.records);
    }
    return w.Take();
}

Result<std::vector<engine::Value>> DeserializeValues(std::string_view payload) {
    core::ByteReader r(payload);
    uint32_t format = 0;
    uint64_t n = 0;
    // Each value takes at least 60 bytes (three empty strings, year, breakdown count, five
    // numbers), which bounds what a damaged count can make us allocate.
    constexpr size_t kMinValueBytes = 60;
    if (!r.Get(&format) || format != kValuesFormat || !r.Get(&n) ||
        n > payload.size() / kMinValueBytes) {
        return Fail(Errc::kDataLoss, "stored computed values have an unknown format; run "
                                     "`rapporteur compute --all`");
    }
    std::vector<engine::Value> out(n);
    for (auto& v : out) {
        int32_t year = 0;
        uint32_t nby = 0;
        bool ok = r.GetString(&v.indicator) && r.GetString(&v.measure) &&
                  r.GetString(&v.country) && r.Get(&year) && r.Get(&nby) && nby < 16;
        v.year = year;
        for (uint32_t i = 0; ok && i < nby; ++i) {
            auto& [dim, code] = v.by.emplace_back();
            ok = r.GetString(&dim) && r.GetString(&code);
        }
        ok = ok && r.Get(&v.value) && r.Get(&v.numerator) && r.Get(&v.denominator) &&
             r.Get(&v.p90) && r.Get(&v.records);
        if (!ok) {
            return Fail(Errc::kDataLoss, "stored computed values are truncated");
        }
    }
    if (!r.done()) {
        return Fail(Errc::kDataLoss, "stored computed values have trailing bytes");
    }
    return out;
}

Result<engine::Snapshot> LoadSnapshot(store::Store& store, const Catalog& catalog) {
    const auto& data = catalog.data();
    engine::Snapshot snapshot;
    if (!data.case_schema) {
        return snapshot;
    }
    const auto parts = RAP_TRY(store.LoadPartitions());
    for (const auto& p : parts) {
        const cases::RecordDef* record = data.case_schema->Find(p.id.record);
        if (record == nullptr) {
            return Fail(Errc::kFailedPrecondition,
                        fmt::format("stored records of type {} are not in the case-record schema",
                                    p.id.record));
        }
        snapshot.Put({p.id.record, p.id.country, p.id.year},
                     RAP_TRY(cases::Deserialize(p.payload, *record, data.codelists)));
    }
    return snapshot;
}

namespace {

struct Staleness {
    std::set<std::pair<std::string, int>> stale;
    long long data_version = 0;
};

Result<Staleness> FindStale(store::Store& store, const Catalog& catalog,
                            const std::map<std::string, const framework::EffectiveFramework*>& fws,
                            ComputeMode mode) {
    Staleness s;
    const auto parts = RAP_TRY(store.LoadPartitions({}, {}, store::Store::Payload::kWithout));
    const auto results = RAP_TRY(store.ListResults());
    std::map<std::pair<std::string, int>, long long> input_version;
    std::map<std::string, long long> linked_version;  // per country: newest linked-to partition
    std::set<std::string> linked_records;
    for (const auto& r : catalog.data().case_schema->records) {
        if (r.link) {
            linked_records.insert(r.link->record);
        }
    }
    for (const auto& p : parts) {
        auto& v = input_version[{p.id.country, p.id.year}];
        v = std::max(v, p.version);
        if (linked_records.contains(p.id.record)) {
            auto& lv = linked_version[p.id.country];
            lv = std::max(lv, p.version);
        }
        s.data_version = std::max(s.data_version, p.version);
    }
    for (auto& [key, v] : input_version) {
        v = std::max(v, linked_version[key.first]);
    }
    std::map<std::pair<std::string, int>, const store::StoredResults*> stored;
    for (const auto& r : results) {
        stored.emplace(std::pair{r.country, r.year}, &r);
    }
    for (const auto& [key, version] : input_version) {
        auto it = stored.find(key);
        auto fw = fws.find(key.first);
        const bool framework_changed =
            it != stored.end() && fw != fws.end() &&
            (it->second->framework_id != fw->second->id ||
             it->second->framework_version != fw->second->version);
        if (mode == ComputeMode::kAll || it == stored.end() ||
            it->second->data_version < version || framework_changed) {
            s.stale.insert(key);
        }
    }
    // Values of country-years whose records all moved away are replaced by empty ones.
    for (const auto& [key, r] : stored) {
        if (!input_version.contains(key)) {
            s.stale.insert(key);
        }
    }
    return s;
}

}  // namespace

Result<ComputeReport> ComputeValues(store::Store& store, const Catalog& catalog,
                                    ComputeMode mode) {
    ComputeReport report;
    const auto& data = catalog.data();
    if (!data.case_schema) {
        return report;
    }
    // One computation at a time in a process: server threads that find the same values stale
    // wait for the first to finish, then find them fresh, instead of each loading the snapshot.
    static std::mutex one_at_a_time;
    const std::lock_guard lock(one_at_a_time);
    const auto fws = RAP_TRY(FrameworksByCountry(catalog));
    const Staleness staleness = RAP_TRY(FindStale(store, catalog, fws, mode));
    report.data_version = staleness.data_version;
    if (staleness.stale.empty()) {
        return report;
    }
    const engine::Snapshot snapshot = RAP_TRY(LoadSnapshot(store, catalog));
    engine::ComputeRequest request;
    request.data = &data;
    request.frameworks = fws;
    request.snapshot = &snapshot;
    request.only = staleness.stale;
    const engine::ValueSet values = RAP_TRY(engine::Compute(request));
    std::map<std::pair<std::string, int>, std::vector<engine::Value>> grouped;
    for (const auto& key : staleness.stale) {
        grouped[key];
    }
    for (const auto& v : values.values()) {
        grouped[{v.country, v.year}].push_back(v);
    }
    const std::string now = core::NowUtcTimestamp();
    for (const auto& [key, list] : grouped) {
        store::StoredResults r;
        r.country = key.first;
        r.year = key.second;
        auto fw = fws.find(key.first);
        r.framework_id = fw == fws.end() ? "" : fw->second->id;
        r.framework_version = fw == fws.end() ? "" : fw->second->version;
        r.data_version = staleness.data_version;
        r.computed_at = now;
        r.value_count = static_cast<long long>(list.size());
        r.payload = SerializeValues(list);
        RAP_TRY_STATUS(store.SaveResults(r));
        report.computed.push_back(key);
        report.values += r.value_count;
    }
    return report;
}

privacy::DisclosureRule DisclosureRuleFor(const Catalog& catalog, std::string_view country) {
    const framework::Country* c = catalog.data().FindCountry(country);
    if (c == nullptr) {
        return privacy::DisclosureRule{};  // the regional minimum
    }
    return privacy::DisclosureRule{c->disclosure.threshold, c->disclosure.cross_threshold};
}

namespace {

// Disclosure control over every value of one indicator (all measures and breakdowns together, so
// that a cell hidden in one breakdown cannot be recovered from another).
void ProtectIndicator(std::vector<engine::Value>& values, const framework::EffectiveIndicator& ind,
                      const privacy::DisclosureRule& rule) {
    const auto& measures = ind.indicator.derivation->measures;
    privacy::Protect(
        values,
        [&](std::string_view, std::string_view measure) -> std::optional<framework::Aggregate> {
            for (const auto& m : measures) {
                if (m.measure == measure) {
                    return m.aggregate;
                }
            }
            return std::nullopt;
        },
        rule);
}

}  // namespace

Result<std::vector<engine::Value>> QueryCountryYear(store::Store& store, const Catalog& catalog,
                                                    const std::string& country, int year,
                                                    size_t max_dimensions) {
    const framework::EffectiveFramework* eff = RAP_TRY(catalog.EffectiveForCountry(country));
    RAP_TRY(ComputeValues(store, catalog, ComputeMode::kStale));
    const auto stored = RAP_TRY(store.LoadResults(country, year));
    std::vector<engine::Value> out;
    if (!stored) {
        return out;
    }
    std::vector<engine::Value> values = RAP_TRY(DeserializeValues(stored->payload));
    std::map<std::string, std::vector<engine::Value>> by_indicator;
    for (auto& v : values) {
        by_indicator[v.indicator].push_back(std::move(v));
    }
    const privacy::DisclosureRule rule = DisclosureRuleFor(catalog, country);
    for (auto& [code, list] : by_indicator) {
        const framework::EffectiveIndicator* ind = eff->Find(code);
        if (ind == nullptr || !ind->indicator.derivation ||
            ind->comparability == framework::Comparability::kNotApplicable) {
            continue;
        }
        ProtectIndicator(list, *ind, rule);
        for (auto& v : list) {
            if (v.by.size() <= max_dimensions) {
                out.push_back(std::move(v));
            }
        }
    }
    return out;
}

Result<std::vector<engine::Value>> QueryValues(store::Store& store, const Catalog& catalog,
                                               const ValuesQuery& query) {
    if (query.indicator.empty()) {
        return Fail(Errc::kInvalidArgument, "give an indicator code, e.g. ID.5");
    }
    if (query.year < 2000 || query.year > 2100) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("year {} is not between 2000 and 2100", query.year));
    }
    const framework::EffectiveFramework* eff = RAP_TRY(catalog.EffectiveForCountry(query.country));
    const framework::EffectiveIndicator* ind = eff->Find(query.indicator);
    if (ind == nullptr) {
        return Fail(Errc::kNotFound, fmt::format("no indicator '{}' in the framework of {}",
                                                 query.indicator, query.country));
    }
    if (ind->comparability == framework::Comparability::kNotApplicable) {
        return Fail(Errc::kNotFound, fmt::format("{} does not apply in {} ({})", query.indicator,
                                                 query.country,
                                                 ind->deviations.empty()
                                                     ? std::string()
                                                     : ind->deviations.back().reason.Get()));
    }
    if (!ind->indicator.derivation) {
        return Fail(Errc::kNotFound,
                    fmt::format("{} is not derived from case records; its values are entered "
                                "in a monitoring cycle",
                                query.indicator));
    }
    std::vector<std::string> by;
    for (const auto& b : query.by) {
        std::string dim;
        for (char c : b) {
            dim += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        const auto& dims = ind->indicator.disaggregations;
        if (std::find(dims.begin(), dims.end(), dim) == dims.end()) {
            return Fail(
                Errc::kInvalidArgument,
                fmt::format("{} is not broken down by {}; allowed: {}", query.indicator, b,
                            dims.empty() ? "none" : fmt::format("{}", fmt::join(dims, ", "))),
                Location{.field = "by"});
        }
        if (std::find(by.begin(), by.end(), dim) != by.end()) {
            return Fail(Errc::kInvalidArgument, fmt::format("{} given twice in by", dim),
                        Location{.field = "by"});
        }
        by.push_back(dim);
    }
    if (by.size() > 2) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("values are broken down by at most two dimensions at once, not "
                                "{}",
                                by.size()),
                    Location{.field = "by"});
    }
    if (!query.measure.empty() &&
        std::none_of(ind->indicator.measures.begin(), ind->indicator.measures.end(),
                     [&](const auto& m) { return m.id == query.measure; })) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("{} has no measure '{}'; its measures: {}", query.indicator,
                                query.measure, fmt::join(ind->indicator.MeasureIds(), ", ")),
                    Location{.field = "measure"});
    }
    RAP_TRY(ComputeValues(store, catalog, ComputeMode::kStale));
    const auto stored = RAP_TRY(store.LoadResults(query.country, query.year));
    std::vector<engine::Value> out;
    if (!stored) {
        return out;  // no records for that country and year
    }
    std::vector<engine::Value> values = RAP_TRY(DeserializeValues(stored->payload));
    // Every value of the indicator (all measures and breakdowns) passes disclosure control
    // together, so that a cell hidden in one breakdown cannot be recovered from another.
    std::erase_if(values, [&](const engine::Value& v) { return v.indicator != query.indicator; });
    if (query.protect) {
        ProtectIndicator(values, *ind, DisclosureRuleFor(catalog, query.country));
    }
    // A set-valued breakdown (services of AS.2) is always part of the values.
    std::string implicit;
    for (const auto& m : ind->indicator.derivation->measures) {
        if (m.aggregate == framework::Aggregate::kSetShare) {
            auto ref = cases::ResolveField(*catalog.data().case_schema,
                                           *catalog.data().case_schema->Find(
                                               ind->indicator.derivation->record),
                                           m.field);
            implicit = ref ? ref->field->codelist : "";
        }
    }
    for (const auto& v : values) {
        if (v.indicator != query.indicator ||
            (!query.measure.empty() && v.measure != query.measure)) {
            continue;
        }
        std::vector<std::string> dims;
        for (const auto& p : v.by) {
            dims.push_back(p.first);
        }
        // Values broken down by a set (the services of AS.2) always carry it; they match on the
        // other dimensions.
        std::vector<std::string> wanted = by;
        std::erase(wanted, implicit);
        std::erase_if(dims, [&](const std::string& d) { return d == implicit; });
        std::sort(dims.begin(), dims.end());
        std::sort(wanted.begin(), wanted.end());
        if (dims == wanted) {
            out.push_back(v);
        }
    }
    return out;
}

}  // namespace rap::app
