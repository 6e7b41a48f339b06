// SPDX-License-Identifier: AGPL-3.0-or-later
// The reference data shipped with rapporteur (the data/ directory, built into the binary).
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "framework/reference_data.hpp"

namespace rap::app {

// The shipped files, named "data/<path>" in messages.
std::vector<framework::SourceFile> ShippedFiles();

// The shipped files parsed and cross-checked, once per process. Thread-safe. kInternal if the
// shipped data is invalid (a build that should never have passed its tests).
Result<const framework::ReferenceData*> ShippedReferenceData();

// Every *.yaml file under `dir` (recursively, sorted by path). kNotFound if dir does not exist.
Result<std::vector<framework::SourceFile>> ReadYamlDirectory(const std::string& dir);

// Reads the given files. Unreadable files are reported into diags (and left out).
std::vector<framework::SourceFile> ReadFiles(const std::vector<std::string>& paths,
                                             core::Diagnostics& diags);

// Looks for <directory of from_file>/<id>.yaml, for `extends` targets not given explicitly.
std::optional<framework::SourceFile> FindSiblingFramework(std::string_view id,
                                                          const std::string& from_file);

}  // namespace rap::app
