// SPDX-License-Identifier: AGPL-3.0-or-later
// Everything the shipped data/ directory holds, loaded and cross-checked as one set: codelists,
// countries, the core framework and the national adaptations.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/codelist.hpp"
#include "cases/schema.hpp"
#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "framework/country.hpp"
#include "framework/framework.hpp"

namespace rap::framework {

// The dimension of sub-national regions (data/codelists/region.yaml): institutions are seated in
// one, and a region may have days off of its own.
inline constexpr std::string_view kRegionDimension = "REG";

// Id of the shipped regional core framework.
inline constexpr std::string_view kRegionalCoreId = "regional-core";

struct SourceFile {
    std::string name;   // path or embedded name, used in messages
    std::string bytes;  // file contents as read
};

enum class FileType { kFramework, kCodelist, kCountries, kCaseSchema };
std::string_view Name(FileType v);

class ReferenceData {
public:
    cases::CodelistSet codelists;
    std::optional<CountrySet> countries;
    std::optional<cases::CaseSchema> case_schema;
    std::vector<Framework> frameworks;  // every version that was loaded

    // The framework with this id: the given version, or the highest version when empty.
    const Framework* FindFramework(std::string_view id, std::string_view version = {}) const;

    // The country with this ISO code; nullptr when it (or the countries file) is not loaded.
    const Country* FindCountry(std::string_view code) const {
        return countries ? countries->Find(code) : nullptr;
    }

    // OK when `region` is a code of the REG codelist that belongs to `country`; otherwise
    // kInvalidArgument (field "region") naming the country's regions.
    Status CheckRegion(std::string_view country, std::string_view region) const;

    // The effective framework of `id` (a core resolves to itself).
    Result<EffectiveFramework> Resolve(std::string_view id, std::string_view version = {}) const;

    // The national adaptation in force for a country: the highest version of the one national
    // framework of that country that adapts a core directly. kNotFound if there is none,
    // kInvalidArgument if several compete.
    Result<const Framework*> NationalFrameworkOf(std::string_view country) const;

    // The effective framework for a country (its national adaptation), or the highest version of
    // the core when country is empty.
    Result<EffectiveFramework> ResolveForCountry(std::string_view country) const;

    // The highest version of the core framework: the only one loaded, or, when several core
    // frameworks are loaded (validating a draft beside the shipped one), kRegionalCoreId.
    const Framework* Core() const;
};

// Called for an `extends` id that none of the loaded files defines; may return the file that
// defines it (for example <dir>/<id>.yaml beside the adaptation).
using FrameworkLookup =
    std::function<std::optional<SourceFile>(std::string_view id, const std::string& from_file)>;

// Parses `files` (each a framework, codelist, countries or case-record schema file, told apart by
// its `schema:`), on top of `base` when given (a file replaces the base entry with the same
// framework id and version, the same dimension, the countries file or the case-record schema),
// then runs every cross-file check:
// dimensions exist, sources and legal instruments are defined, `extends` resolves without a
// cycle, deviations name indicators the adapted framework has. Reports every problem into
// diags; returns nullopt if there was any.
std::optional<ReferenceData> LoadReferenceData(const std::vector<SourceFile>& files,
                                               core::Diagnostics& diags,
                                               const ReferenceData* base = nullptr,
                                               const FrameworkLookup& lookup = {});

}  // namespace rap::framework
