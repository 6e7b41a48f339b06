// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/setup.hpp"

#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/cases.hpp"
#include "app/catalog.hpp"
#include "app/monitoring.hpp"
#include "app/shipped_data.hpp"

namespace rap::app {

Result<InitReport> InitDatabase(store::Store& store, const InitOptions& options,
                                core::Diagnostics& diags) {
    // Validate everything before touching the database.
    std::optional<framework::ReferenceData> data;
    if (options.data_dir) {
        auto files = RAP_TRY(ReadYamlDirectory(*options.data_dir));
        data = framework::LoadReferenceData(files, diags);
        if (!data) {
            return Fail(diags.Summary());
        }
    } else {
        data = *RAP_TRY(ShippedReferenceData());
    }
    // A database serves one regional core (national adaptations may pin its versions).
    std::set<std::string> cores;
    for (const auto& fw : data->frameworks) {
        if (fw.kind == framework::FrameworkKind::kCore) {
            cores.insert(fw.id);
        }
    }
    if (cores.size() > 1) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("the data holds {} core frameworks ({}); a database has one "
                                "regional core",
                                cores.size(), fmt::join(cores, ", ")));
    }
    InitReport report;
    report.migrations_applied = RAP_TRY(store.Migrate());
    report.schema_version = RAP_TRY(store.SchemaVersion());
    report.saved = RAP_TRY(store.SaveReferenceData(*data));
    if (options.demo) {
        RAP_TRY_STATUS(store.SetMeta(kMetaDemo, kDemoLabel));
        const auto catalog = RAP_TRY(Catalog::Load(store));
        if (data->case_schema && RAP_TRY(store.CaseDataVersion()) == 0) {
            auto tables = GenerateSyntheticCases(catalog->data(), SyntheticOptions{});
            report.demo_victims = static_cast<long long>(tables.at("victim").rows());
            ImportOptions demo;
            demo.actor = "rapporteur init --demo (synthetic)";
            RAP_TRY(StoreCaseTables(store, *catalog, std::move(tables), demo, diags,
                                    "synthetic demonstration data"));
        }
        // Like the case records, the demo cycles go only into a database without any cycle. They
        // are written for the shipped regional core: other reference data gets none.
        const auto core = catalog->EffectiveForCountry("");
        if (core && (*core)->id == framework::kRegionalCoreId) {
            auto cycles = GenerateDemoCycles(store, *catalog);
            if (cycles) {
                report.demo_cycles = *cycles;
            } else if (cycles.error().code != Errc::kAlreadyExists) {
                return Fail(cycles.error());
            }
        }
    }
    report.demo = RAP_TRY(store.GetMeta(kMetaDemo)).has_value();
    return report;
}

namespace {

// "5 countries; public holidays for 5 (lunar-calendar dates through 2026), 4 still to verify;
// regional days off in BA-FBIH, BA-SRP; stricter disclosure thresholds in BA (8, 10 across two
// dimensions)"
std::string CountriesDetail(const framework::CountrySet& set) {
    size_t with_holidays = 0;
    size_t to_verify = 0;
    int dated_through = 0;
    for (const auto& c : set.countries) {
        const auto& h = c.foi.holidays;
        if (h.fixed.empty() && h.easter.empty() && h.dated.empty()) {
            continue;
        }
        ++with_holidays;
        to_verify += h.verify ? 1 : 0;
        if (h.dated_years && (dated_through == 0 || h.dated_years->second < dated_through)) {
            dated_through = h.dated_years->second;
        }
    }
    std::string out = fmt::format("{} countries; public holidays for {}", set.countries.size(),
                                  with_holidays);
    if (dated_through > 0) {
        out += fmt::format(" (lunar-calendar dates through {})", dated_through);
    }
    if (to_verify > 0) {
        out += fmt::format(", {} still to verify", to_verify);
    }
    std::string regions;
    for (const auto& c : set.countries) {
        for (const auto& [region, rule] : c.regional_foi) {
            regions += (regions.empty() ? "" : ", ") + region;
        }
    }
    if (!regions.empty()) {
        out += "; regional days off in " + regions;
    }
    std::string stricter;
    for (const auto& c : set.countries) {
        const auto& d = c.disclosure;
        if (d.threshold != framework::kRegionalDisclosureThreshold ||
            d.cross_threshold != framework::kRegionalCrossThreshold) {
            stricter += fmt::format("{}{} ({}, {} across two dimensions)",
                                    stricter.empty() ? "" : ", ", c.code, d.threshold,
                                    d.cross_threshold);
        }
    }
    if (!stricter.empty()) {
        out += "; stricter disclosure thresholds in " + stricter;
    }
    return out;
}

}  // namespace

Result<std::vector<ValidatedFile>> ValidateFiles(const std::vector<std::string>& paths,
                                                 core::Diagnostics& diags) {
    if (paths.empty()) {
        return Fail(Errc::kInvalidArgument, "no files to validate");
    }
    const framework::ReferenceData* base = RAP_TRY(ShippedReferenceData());
    const auto files = ReadFiles(paths, diags);
    const size_t read_errors = diags.size();
    auto data = framework::LoadReferenceData(files, diags, base, FindSiblingFramework);
    if (!data || read_errors > 0) {
        return Fail(diags.Summary());
    }
    std::vector<ValidatedFile> out;
    for (const auto& file : files) {
        ValidatedFile v;
        v.file = file.name;
        for (const auto& fw : data->frameworks) {
            if (fw.source_file != file.name) {
                continue;
            }
            v.type = framework::FileType::kFramework;
            v.name = fw.id;
            v.version = fw.version;
            if (fw.kind == framework::FrameworkKind::kCore) {
                v.detail = fmt::format("core: {} indicators in {} areas", fw.indicators.size(),
                                       fw.areas.size());
            } else {
                auto eff = data->Resolve(fw.id, fw.version);
                v.detail = fmt::format(
                    "national adaptation for {} of {}: {} deviations, {} "
                    "effective indicators",
                    fw.country, fw.extends, fw.deviations.size(), eff ? eff->indicators.size() : 0);
            }
        }
        for (const auto& [dim, list] : data->codelists.all()) {
            if (list.source_file == file.name) {
                v.type = framework::FileType::kCodelist;
                v.name = dim;
                v.version = list.version;
                v.detail = fmt::format("codelist: {} codes", list.codes.size());
            }
        }
        if (data->case_schema && data->case_schema->source_file == file.name) {
            v.type = framework::FileType::kCaseSchema;
            v.name = "case_records";
            v.version = data->case_schema->version;
            size_t fields = 0;
            for (const auto& r : data->case_schema->records) {
                fields += r.fields.size();
            }
            v.detail = fmt::format("case-record schema: {} record types, {} fields",
                                   data->case_schema->records.size(), fields);
        }
        if (data->countries && data->countries->source_file == file.name) {
            v.type = framework::FileType::kCountries;
            v.name = "countries";
            v.version = data->countries->version;
            v.detail = CountriesDetail(*data->countries);
        }
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace rap::app
