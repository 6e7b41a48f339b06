// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/catalog.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "app/setup.hpp"

namespace rap::app {

Result<std::shared_ptr<const Catalog>> Catalog::Load(store::Store& store) {
    const int version = RAP_TRY(store.SchemaVersion());
    if (version == 0) {
        return Fail(Errc::kFailedPrecondition,
                    fmt::format("the database {} is empty; run `rapporteur init --db {}` first",
                                store.target().ToDisplayString(),
                                store.target().ToDisplayString()));
    }
    const auto sources = RAP_TRY(store.LoadReferenceSources());
    core::Diagnostics diags;
    auto data = framework::LoadReferenceData(sources, diags);
    if (!data) {
        return Fail(Errc::kDataLoss,
                    fmt::format("the reference data stored in {} does not load:\n{}",
                                store.target().ToDisplayString(), diags.ToString()));
    }
    auto demo = RAP_TRY(store.GetMeta(kMetaDemo));
    return FromData(std::move(*data), std::move(demo));
}

std::shared_ptr<const Catalog> Catalog::FromData(framework::ReferenceData data,
                                                 std::optional<std::string> demo_label) {
    std::shared_ptr<Catalog> catalog(new Catalog());
    catalog->data_ = std::move(data);
    catalog->demo_label_ = std::move(demo_label);
    catalog->ResolveAll();
    return catalog;
}

void Catalog::ResolveAll() {
    for (const auto& fw : data_.frameworks) {
        // LoadReferenceData has already checked every chain, so resolution cannot fail here.
        if (auto eff = data_.Resolve(fw.id, fw.version)) {
            effective_.emplace(std::pair{fw.id, fw.version}, std::move(*eff));
        }
    }
}

std::vector<const framework::Framework*> Catalog::Frameworks() const {
    std::vector<const framework::Framework*> out;
    for (const auto& fw : data_.frameworks) {
        out.push_back(&fw);
    }
    std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
        if (a->kind != b->kind) {
            return a->kind == framework::FrameworkKind::kCore;
        }
        if (a->id != b->id) {
            return a->id < b->id;
        }
        return framework::CompareVersions(a->version, b->version) < 0;
    });
    return out;
}

Result<const framework::EffectiveFramework*> Catalog::Effective(std::string_view id,
                                                                std::string_view version) const {
    const framework::Framework* fw = data_.FindFramework(id, version);
    if (fw == nullptr) {
        return Fail(Errc::kNotFound,
                    version.empty()
                        ? fmt::format("no framework '{}'", id)
                        : fmt::format("no framework '{}' version {}", id, version));
    }
    auto it = effective_.find({fw->id, fw->version});
    if (it == effective_.end()) {
        return Fail(Errc::kInternal, fmt::format("framework '{}' did not resolve", id));
    }
    return &it->second;
}

Result<const framework::EffectiveFramework*> Catalog::EffectiveForCountry(
    std::string_view country) const {
    if (country.empty()) {
        const framework::Framework* core = data_.Core();
        if (core == nullptr) {
            return Fail(Errc::kNotFound, "no core framework is loaded");
        }
        return Effective(core->id, core->version);
    }
    const bool well_formed = country.size() == 2 && std::all_of(country.begin(), country.end(),
                                                                 [](char c) {
                                                                     return c >= 'A' && c <= 'Z';
                                                                 });
    if (!well_formed) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("country '{}' is not an ISO 3166-1 alpha-2 code in upper case "
                                "(AL, BA, ME, MK, RS)",
                                country));
    }
    const framework::Framework* fw = RAP_TRY(data_.NationalFrameworkOf(country));
    return Effective(fw->id, fw->version);
}

}  // namespace rap::app
