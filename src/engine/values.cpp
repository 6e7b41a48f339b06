// SPDX-License-Identifier: AGPL-3.0-or-later
#include "engine/values.hpp"

#include <algorithm>
#include <tuple>

namespace rap::engine {

void ValueSet::Append(ValueSet other) {
    if (values_.empty()) {
        values_ = std::move(other.values_);
        return;
    }
    values_.insert(values_.end(), std::make_move_iterator(other.values_.begin()),
                   std::make_move_iterator(other.values_.end()));
}

void ValueSet::Sort() {
    std::sort(values_.begin(), values_.end(), [](const Value& a, const Value& b) {
        return std::tie(a.indicator, a.measure, a.country, a.year, a.by) <
               std::tie(b.indicator, b.measure, b.country, b.year, b.by);
    });
}

std::vector<const Value*> ValueSet::Select(const Query& q) const {
    std::vector<const Value*> out;
    for (const Value& v : values_) {
        if (v.indicator != q.indicator || (!q.measure.empty() && v.measure != q.measure) ||
            (!q.country.empty() && v.country != q.country) || (q.year != 0 && v.year != q.year) ||
            v.by.size() != q.by.size()) {
            continue;
        }
        bool match = true;
        for (const auto& dim : q.by) {
            match = match && std::any_of(v.by.begin(), v.by.end(),
                                         [&](const auto& p) { return p.first == dim; });
        }
        if (match) {
            out.push_back(&v);
        }
    }
    return out;
}

double PercentileCont(const std::vector<int64_t>& sorted, double p) {
    const double h = p * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<size_t>(h);
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = h - static_cast<double>(lo);
    return static_cast<double>(sorted[lo]) +
           frac * static_cast<double>(sorted[hi] - sorted[lo]);
}

}  // namespace rap::engine
