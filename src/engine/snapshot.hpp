// SPDX-License-Identifier: AGPL-3.0-or-later
// The in-memory case data the engine computes on: one CaseTable per record type, country and
// year (a partition). Child records (defendants, victims in proceedings) live in the partition
// of their parent proceeding.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "cases/case_table.hpp"
#include "cases/schema.hpp"

namespace rap::engine {

struct PartitionKey {
    std::string record;
    std::string country;
    int year = 0;
    auto operator<=>(const PartitionKey&) const = default;
};

class Snapshot {
public:
    // Adds or replaces a partition.
    void Put(PartitionKey key, cases::CaseTable table);
    void Erase(const PartitionKey& key);
    const cases::CaseTable* Find(const PartitionKey& key) const;
    const std::map<PartitionKey, cases::CaseTable>& partitions() const { return partitions_; }
    size_t Rows(std::string_view record) const;

private:
    std::map<PartitionKey, cases::CaseTable> partitions_;
};

}  // namespace rap::engine
