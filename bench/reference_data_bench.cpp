// SPDX-License-Identifier: AGPL-3.0-or-later
// Loading the shipped reference data (what `init`, `framework validate` and every server start
// do), against the reference of parsing the same YAML with yaml-cpp and doing nothing else.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include "app/shipped_data.hpp"
#include "framework/reference_data.hpp"

namespace {

void BM_YamlParseOnly(benchmark::State& state) {
    const auto files = rap::app::ShippedFiles();
    for (auto _ : state) {
        for (const auto& f : files) {
            benchmark::DoNotOptimize(YAML::Load(f.bytes));
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(files.size()));
}
BENCHMARK(BM_YamlParseOnly)->Unit(benchmark::kMillisecond);

void BM_LoadAndCheckReferenceData(benchmark::State& state) {
    const auto files = rap::app::ShippedFiles();
    for (auto _ : state) {
        rap::core::Diagnostics diags;
        auto data = rap::framework::LoadReferenceData(files, diags);
        if (!data) {
            state.SkipWithError("shipped data does not load");
            return;
        }
        benchmark::DoNotOptimize(data);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(files.size()));
}
BENCHMARK(BM_LoadAndCheckReferenceData)->Unit(benchmark::kMillisecond);

void BM_ResolveAllCountries(benchmark::State& state) {
    const auto files = rap::app::ShippedFiles();
    rap::core::Diagnostics diags;
    auto data = rap::framework::LoadReferenceData(files, diags);
    for (auto _ : state) {
        for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
            benchmark::DoNotOptimize(data->ResolveForCountry(cc));
        }
    }
}
BENCHMARK(BM_ResolveAllCountries)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
