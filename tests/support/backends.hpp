// SPDX-License-Identifier: AGPL-3.0-or-later
// The store backends a test suite runs on: SQLite always, PostgreSQL when the run has a server.
#pragma once

#include <string>
#include <vector>

#include "store/store.hpp"
#include "support/test_support.hpp"

namespace rap::testing {

inline std::vector<store::Backend> TestBackends() {
    std::vector<store::Backend> out = {store::Backend::kSqlite};
    if (PostgresTestsEnabled()) {
        out.push_back(store::Backend::kPostgres);
    }
    return out;
}

// Test-name suffix for INSTANTIATE_TEST_SUITE_P.
inline std::string BackendName(const ::testing::TestParamInfo<store::Backend>& p) {
    return std::string(store::Name(p.param));
}

}  // namespace rap::testing
