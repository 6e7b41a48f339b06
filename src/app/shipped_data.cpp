// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/shipped_data.hpp"

#include <algorithm>
#include <filesystem>
#include <mutex>

#include <fmt/format.h>

#include "core/embedded.hpp"
#include "core/files.hpp"

namespace rap::embedded {
std::span<const core::EmbeddedFile> ShippedData();
}  // namespace rap::embedded

namespace rap::app {

std::vector<framework::SourceFile> ShippedFiles() {
    std::vector<framework::SourceFile> out;
    for (const auto& f : embedded::ShippedData()) {
        out.push_back({fmt::format("data/{}", f.path), std::string(f.contents)});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

Result<const framework::ReferenceData*> ShippedReferenceData() {
    static std::once_flag once;
    static std::optional<framework::ReferenceData> data;
    static std::string problems;
    std::call_once(once, [] {
        core::Diagnostics diags;
        data = framework::LoadReferenceData(ShippedFiles(), diags);
        if (!data) {
            problems = diags.ToString();
        }
    });
    if (!data) {
        return Fail(Errc::kInternal, "the reference data built into rapporteur is invalid:\n" +
                                         problems);
    }
    return &*data;
}

Result<std::vector<framework::SourceFile>> ReadYamlDirectory(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return Fail(Errc::kNotFound, fmt::format("{} is not a directory", dir));
    }
    std::vector<std::string> paths;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".yaml") {
            paths.push_back(it->path().string());
        }
    }
    if (ec) {
        return Fail(Errc::kInvalidArgument, fmt::format("cannot list {}: {}", dir, ec.message()));
    }
    std::sort(paths.begin(), paths.end());
    std::vector<framework::SourceFile> out;
    for (const auto& p : paths) {
        out.push_back({p, RAP_TRY(core::ReadFile(p))});
    }
    return out;
}

std::vector<framework::SourceFile> ReadFiles(const std::vector<std::string>& paths,
                                             core::Diagnostics& diags) {
    std::vector<framework::SourceFile> out;
    for (const auto& p : paths) {
        auto bytes = core::ReadFile(p);
        if (!bytes) {
            diags.Add(bytes.error());
            continue;
        }
        out.push_back({p, std::move(*bytes)});
    }
    return out;
}

std::optional<framework::SourceFile> FindSiblingFramework(std::string_view id,
                                                          const std::string& from_file) {
    const auto candidate =
        std::filesystem::path(from_file).parent_path() / fmt::format("{}.yaml", id);
    auto bytes = core::ReadFile(candidate.string());
    if (!bytes) {
        return std::nullopt;
    }
    return framework::SourceFile{candidate.string(), std::move(*bytes)};
}

}  // namespace rap::app
