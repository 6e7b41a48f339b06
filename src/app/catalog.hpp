// SPDX-License-Identifier: AGPL-3.0-or-later
// The reference data of one database, parsed and resolved once, for read-only use by the server
// and the CLI. Immutable after Load, so it can be shared between threads without locking.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "framework/reference_data.hpp"
#include "store/store.hpp"

namespace rap::app {

class Catalog {
public:
    // Rebuilds the reference data from what the database stores. kFailedPrecondition when the
    // database has not been initialised (`rapporteur init`).
    static Result<std::shared_ptr<const Catalog>> Load(store::Store& store);

    // Builds a catalog from reference data already in memory (for validation and tests).
    static std::shared_ptr<const Catalog> FromData(framework::ReferenceData data,
                                                   std::optional<std::string> demo_label);

    const framework::ReferenceData& data() const { return data_; }

    // Set when the database holds synthetic demonstration data; the label says so.
    const std::optional<std::string>& demo_label() const { return demo_label_; }

    // Every framework version, core first, then national adaptations by id.
    std::vector<const framework::Framework*> Frameworks() const;

    // The effective framework for an id (highest version when version is empty). kNotFound.
    Result<const framework::EffectiveFramework*> Effective(std::string_view id,
                                                           std::string_view version = {}) const;

    // The effective framework of a country's national adaptation, or the core when country is
    // empty. kNotFound for a country without one; kInvalidArgument for a malformed code.
    Result<const framework::EffectiveFramework*> EffectiveForCountry(
        std::string_view country) const;

private:
    Catalog() = default;
    void ResolveAll();

    framework::ReferenceData data_;
    std::optional<std::string> demo_label_;
    std::map<std::pair<std::string, std::string>, framework::EffectiveFramework> effective_;
};

}  // namespace rap::app
