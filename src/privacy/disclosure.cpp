// SPDX-License-Identifier: AGPL-3.0-or-later
#include "privacy/disclosure.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <utility>

namespace rap::privacy {

namespace {

using framework::Aggregate;
using By = std::vector<std::pair<std::string, std::string>>;

bool Small(double count, int64_t threshold) {
    return !std::isnan(count) && count >= 1 && count < static_cast<double>(threshold);
}

// Whether the value shows a count below the threshold (docs in the header).
bool RevealsSmallCount(const engine::Value& v, std::optional<Aggregate> aggregate,
                       int64_t threshold) {
    if (!aggregate) {
        return true;
    }
    if (v.records >= 1 && v.records < threshold) {
        return true;
    }
    switch (*aggregate) {
        case Aggregate::kCount:
        case Aggregate::kDistinct:
        case Aggregate::kRate:
        case Aggregate::kMedian:  // the numerator is the number of values
            return Small(v.numerator, threshold);
        case Aggregate::kShare:
        case Aggregate::kSetShare:
            return Small(v.numerator, threshold) || Small(v.denominator, threshold) ||
                   Small(v.denominator - v.numerator, threshold);
        case Aggregate::kSum:  // the denominator is the number of values summed
            return Small(v.denominator, threshold);
        case Aggregate::kRatio:  // sums of amounts: the records behind them are what counts
            return false;
    }
    return true;
}

By Sorted(By by) {
    std::sort(by.begin(), by.end());
    return by;
}

// The values of one indicator measure in one country and year.
class Table {
public:
    Table(std::vector<engine::Value>& values, std::vector<size_t> members)
        : values_(values) {
        for (size_t i : members) {
            cells_.emplace(Sorted(values_[i].by), i);
        }
    }

    void SuppressSmallCounts(std::optional<Aggregate> aggregate, const DisclosureRule& rule) {
        for (const auto& [by, i] : cells_) {
            const int64_t threshold = by.size() >= 2 ? rule.cross_threshold : rule.threshold;
            if (RevealsSmallCount(values_[i], aggregate, threshold)) {
                values_[i].suppression = engine::Suppression::kPrimary;
            }
        }
    }

    void SuppressComplements() {
        // Groups: the cells that differ only in one dimension, with the margin they add up to.
        std::map<std::pair<By, std::string>, std::vector<size_t>> groups;
        for (const auto& [by, i] : cells_) {
            for (size_t j = 0; j < by.size(); ++j) {
                By margin = by;
                margin.erase(margin.begin() + static_cast<std::ptrdiff_t>(j));
                groups[{std::move(margin), by[j].first}].push_back(i);
            }
        }
        for (bool changed = true; changed;) {
            changed = false;
            for (const auto& [key, members] : groups) {
                auto parent = cells_.find(key.first);
                const bool parent_suppressed =
                    parent != cells_.end() && Suppressed(parent->second);
                const auto hidden = std::count_if(members.begin(), members.end(),
                                                  [&](size_t i) { return Suppressed(i); });
                if (hidden + (parent_suppressed ? 1 : 0) != 1) {
                    continue;
                }
                // The smallest cell still shown (ties: the first in the group's order).
                std::optional<size_t> pick;
                for (size_t i : members) {
                    if (!Suppressed(i) && (!pick || values_[i].records < values_[*pick].records)) {
                        pick = i;
                    }
                }
                if (!pick && parent != cells_.end() && !parent_suppressed) {
                    pick = parent->second;  // the single cell equals its margin
                }
                if (pick) {
                    values_[*pick].suppression = engine::Suppression::kSecondary;
                    changed = true;
                }
            }
        }
    }

private:
    bool Suppressed(size_t i) const {
        return values_[i].suppression != engine::Suppression::kShown;
    }

    std::vector<engine::Value>& values_;
    std::map<By, size_t> cells_;
};

}  // namespace

size_t Protect(std::vector<engine::Value>& values, const AggregateOf& aggregate_of,
               const DisclosureRule& rule) {
    std::map<std::tuple<std::string, std::string, std::string, int>, std::vector<size_t>> tables;
    for (size_t i = 0; i < values.size(); ++i) {
        const auto& v = values[i];
        tables[{v.indicator, v.measure, v.country, v.year}].push_back(i);
    }
    for (auto& [key, members] : tables) {
        const auto aggregate = aggregate_of(std::get<0>(key), std::get<1>(key));
        Table table(values, std::move(members));
        table.SuppressSmallCounts(aggregate, rule);
        table.SuppressComplements();
    }
    size_t suppressed = 0;
    for (auto& v : values) {
        if (v.suppression != engine::Suppression::kShown) {
            v.value = v.numerator = v.denominator = v.p90 = std::nan("");
            v.records = 0;
            ++suppressed;
        }
    }
    return suppressed;
}

}  // namespace rap::privacy
