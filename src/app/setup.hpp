// SPDX-License-Identifier: AGPL-3.0-or-later
// Use cases that set a database up and check reference-data files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "framework/reference_data.hpp"
#include "store/store.hpp"

namespace rap::app {

// Key in the meta table that marks a database holding synthetic demonstration data.
inline constexpr std::string_view kMetaDemo = "demo";
inline constexpr std::string_view kDemoLabel =
    "SYNTHETIC DEMO DATA: generated for demonstration; it describes no real person or case";

struct InitOptions {
    bool demo = false;
    // Load reference data from this directory instead of the data built into the binary.
    std::optional<std::string> data_dir;
};

struct InitReport {
    int migrations_applied = 0;
    int schema_version = 0;
    store::SaveReport saved;
    bool demo = false;
    long long demo_victims = 0;  // synthetic victim records added by this run (--demo, once)
    int demo_cycles = 0;         // synthetic monitoring cycles added by this run (--demo, once)
};

// Migrates the database and stores the reference data. Safe to repeat: what is already stored
// is left alone, nothing is duplicated or removed. Invalid reference data is reported into diags
// (kInvalidArgument) and nothing is written. With `demo`, the database is labelled as holding
// synthetic data and, when it has no case records yet, synthetic case records for the five
// countries are generated and imported.
Result<InitReport> InitDatabase(store::Store& store, const InitOptions& options,
                                core::Diagnostics& diags);

struct ValidatedFile {
    std::string file;
    framework::FileType type = framework::FileType::kFramework;
    std::string name;  // framework id, dimension or "countries"
    std::string version;
    std::string detail;  // e.g. "70 indicators in 9 areas", "6 deviations"
};

// Parses the files on top of the shipped data (so that a national adaptation finds its core,
// codelists and countries), looking beside each file for a framework it extends. Every problem
// goes into diags; kInvalidArgument if there was any.
Result<std::vector<ValidatedFile>> ValidateFiles(const std::vector<std::string>& paths,
                                                 core::Diagnostics& diags);

}  // namespace rap::app
