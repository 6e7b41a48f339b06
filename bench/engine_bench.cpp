// SPDX-License-Identifier: AGPL-3.0-or-later
// The engine on a database of (synthetic) case records: loading the columnar snapshot from the
// database, and a full recompute of every case-derived indicator of the five effective
// frameworks with all breakdowns, on two threads.
//
//   RAP_BENCH_DB=path.db rap_bench_engine [benchmark flags]
//   rap_bench_engine --values path.db OUT    writes every value in the canonical line format that
//                                            bench/duckdb/run.mjs compares with DuckDB's
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "app/cases.hpp"
#include "engine/engine.hpp"

namespace rap {
namespace {

struct Loaded {
    std::unique_ptr<store::Store> store;
    std::shared_ptr<const app::Catalog> catalog;
    engine::ComputeRequest request;
};

Loaded Open(const std::string& path) {
    Loaded l;
    auto store = store::Store::Open(store::Target::Parse(path));
    if (!store) {
        std::fprintf(stderr, "%s\n", store.error().ToString().c_str());
        std::exit(1);
    }
    l.store = std::move(*store);
    auto catalog = app::Catalog::Load(*l.store);
    if (!catalog) {
        std::fprintf(stderr, "%s\n", catalog.error().ToString().c_str());
        std::exit(1);
    }
    l.catalog = *catalog;
    l.request.data = &l.catalog->data();
    for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
        l.request.frameworks[cc] = *l.catalog->EffectiveForCountry(cc);
    }
    l.request.threads = 2;
    return l;
}

std::string Db() {
    const char* db = std::getenv("RAP_BENCH_DB");
    if (db == nullptr) {
        std::fprintf(stderr, "set RAP_BENCH_DB to a database with case records\n");
        std::exit(2);
    }
    return db;
}

void BM_LoadSnapshot(benchmark::State& state) {
    Loaded l = Open(Db());
    size_t rows = 0;
    for (auto _ : state) {
        auto snapshot = app::LoadSnapshot(*l.store, *l.catalog);
        if (!snapshot) {
            state.SkipWithError(snapshot.error().ToString().c_str());
            return;
        }
        rows = snapshot->Rows("victim");
        benchmark::DoNotOptimize(snapshot);
    }
    state.counters["victims"] = static_cast<double>(rows);
}
BENCHMARK(BM_LoadSnapshot)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_ComputeAll(benchmark::State& state) {
    Loaded l = Open(Db());
    auto snapshot = app::LoadSnapshot(*l.store, *l.catalog);
    if (!snapshot) {
        state.SkipWithError(snapshot.error().ToString().c_str());
        return;
    }
    l.request.snapshot = &*snapshot;
    size_t values = 0;
    for (auto _ : state) {
        auto result = engine::Compute(l.request);
        if (!result) {
            state.SkipWithError(result.error().ToString().c_str());
            return;
        }
        values = result->size();
        benchmark::DoNotOptimize(result);
    }
    state.counters["values"] = static_cast<double>(values);
    state.counters["victims"] = static_cast<double>(snapshot->Rows("victim"));
}
BENCHMARK(BM_ComputeAll)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

std::string Number(double v) { return std::isnan(v) ? "null" : fmt::format("{:.17g}", v); }

int WriteValues(const std::string& db, const std::string& out_path) {
    Loaded l = Open(db);
    auto snapshot = app::LoadSnapshot(*l.store, *l.catalog);
    if (!snapshot) {
        std::fprintf(stderr, "%s\n", snapshot.error().ToString().c_str());
        return 1;
    }
    l.request.snapshot = &*snapshot;
    auto result = engine::Compute(l.request);
    if (!result) {
        std::fprintf(stderr, "%s\n", result.error().ToString().c_str());
        return 1;
    }
    std::ofstream out(out_path);
    for (const auto& v : result->values()) {
        auto by = v.by;
        std::sort(by.begin(), by.end());
        std::string by_text;
        for (const auto& [dim, code] : by) {
            by_text += fmt::format("{}{}={}", by_text.empty() ? "" : ",", dim, code);
        }
        out << fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", v.indicator, v.measure, v.country,
                           v.year, by_text, Number(v.value), Number(v.numerator),
                           Number(v.denominator), Number(v.p90), v.records);
    }
    std::fprintf(stderr, "wrote %zu values\n", result->size());
    return 0;
}

}  // namespace
}  // namespace rap

int main(int argc, char** argv) {
    if (argc == 4 && std::strcmp(argv[1], "--values") == 0) {
        return rap::WriteValues(argv[2], argv[3]);
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
