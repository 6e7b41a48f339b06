// SPDX-License-Identifier: AGPL-3.0-or-later
// The framework's validation rules over the values of a cycle (CountryState::CheckRules).
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "monitoring/state.hpp"

namespace rap::monitoring {

namespace {

std::string Show(double v) {
    if (IsWhole(v)) {
        return fmt::format("{}", static_cast<long long>(std::llround(v)));
    }
    return fmt::format("{:.2f}", v);
}

std::optional<double> NumberOf(const CycleData& data, const ValueKey& key) {
    auto it = data.values.find(key);
    if (it == data.values.end()) {
        return std::nullopt;
    }
    const ValueVersion& v = it->second.current();
    if (!CarriesFigure(v.status) || !v.figure || !v.figure->number) {
        return std::nullopt;
    }
    return v.figure->number;
}

std::string Where(const ValueKey& k) {
    const std::string d = ToString(k.disaggregation);
    return fmt::format("{}, {}", Name(k.track), d.empty() ? "total" : d);
}

std::string Because(const framework::ValidationRule& rule, const Cycle& c) {
    return fmt::format("rule {} of {} {}: {}", rule.id, rule.framework_id,
                       rule.framework_id == c.framework_id ? c.framework_version : c.core_version,
                       rule.reason.Get());
}

}  // namespace

Status CountryState::CheckRules(const std::string& cycle, const std::vector<ValueKey>& keys,
                                const Context& ctx) const {
    const CycleData* data = FindCycle(cycle);
    if (data == nullptr) {
        return {};
    }
    const Cycle& c = data->cycle;
    const auto* fw = ctx.framework(c.framework_id, c.framework_version);
    if (fw == nullptr) {
        return {};
    }
    std::vector<std::string> violations;
    std::set<std::string> reported;
    auto report = [&](std::string message) {
        if (reported.insert(message).second) {
            violations.push_back(std::move(message));
        }
    };
    for (const ValueKey& key : keys) {
        // Whatever the framework declares: a part of a count or an amount (one cell of a
        // breakdown) is never more than the whole.
        const auto* ind = fw->Find(key.indicator);
        const auto* measure = ind == nullptr ? nullptr : ind->indicator.FindMeasure(key.measure);
        if (measure != nullptr && (measure->kind == framework::ValueKind::kNUM ||
                                   measure->kind == framework::ValueKind::kAMT)) {
            ValueKey total = key;
            total.disaggregation.clear();
            if (const auto whole = NumberOf(*data, total)) {
                auto check = [&](const ValueKey& part) {
                    if (const auto v = NumberOf(*data, part); v && *v > *whole + 1e-9) {
                        report(fmt::format("{}/{} ({}) = {} is more than the total {}: a part "
                                           "is never more than the whole",
                                           key.indicator, key.measure, Where(part), Show(*v),
                                           Show(*whole)));
                    }
                };
                if (!key.disaggregation.empty()) {
                    check(key);  // one cell: against its total
                } else {
                    // The total: against every cell of its track.
                    for (auto it = data->values.upper_bound(total); it != data->values.end();
                         ++it) {
                        const ValueKey& part = it->first;
                        if (part.indicator != total.indicator || part.measure != total.measure) {
                            break;
                        }
                        if (part.track == total.track && !part.disaggregation.empty()) {
                            check(part);
                        }
                    }
                }
            }
        }
        for (const auto& rule : fw->rules) {
            if (rule.type == framework::RuleType::kAtMost) {
                const bool left = key.indicator == rule.indicator && key.measure == rule.measure;
                const bool right = key.indicator == rule.than && key.measure == rule.than_measure;
                if (!left && !right) {
                    continue;
                }
                ValueKey a = key;
                a.indicator = rule.indicator;
                a.measure = rule.measure;
                ValueKey b = key;
                b.indicator = rule.than;
                b.measure = rule.than_measure;
                auto va = NumberOf(*data, a);
                auto vb = NumberOf(*data, b);
                if (va && vb && *va > *vb + 1e-9) {
                    report(fmt::format("{}/{} ({}) = {} is above {}/{} = {}; {}", rule.indicator,
                                       rule.measure, Where(key), Show(*va), rule.than,
                                       rule.than_measure, Show(*vb), Because(rule, c)));
                }
                continue;
            }
            // kSumsToTotal
            if (std::find(rule.indicators.begin(), rule.indicators.end(), key.indicator) ==
                    rule.indicators.end() ||
                key.measure != rule.measure || key.disaggregation.size() > 1) {
                continue;
            }
            std::vector<std::string> dims;
            if (key.disaggregation.empty()) {
                dims = rule.dimensions;
            } else if (std::find(rule.dimensions.begin(), rule.dimensions.end(),
                                 key.disaggregation[0].first) != rule.dimensions.end()) {
                dims.push_back(key.disaggregation[0].first);
            }
            ValueKey total = key;
            total.disaggregation.clear();
            const auto t = NumberOf(*data, total);
            if (!t) {
                continue;
            }
            for (const auto& dim : dims) {
                const cases::Codelist* list = ctx.data->codelists.Find(dim);
                if (list == nullptr) {
                    continue;
                }
                double sum = 0;
                int present = 0;
                int top_level = 0;
                for (const auto& code : list->codes) {
                    if (!code.parent.empty() || !list->Allows(code.code, country_)) {
                        continue;
                    }
                    ++top_level;
                    ValueKey part = total;
                    part.disaggregation = {{dim, code.code}};
                    if (auto v = NumberOf(*data, part)) {
                        sum += *v;
                        ++present;
                    }
                }
                if (present == 0) {
                    continue;
                }
                if (sum > *t + 1e-9) {
                    report(
                        fmt::format("{}/{} ({}) by {}: the parts add up to {}, more than the "
                                    "total {}; {}",
                                    key.indicator, key.measure, Name(key.track), dim, Show(sum),
                                    Show(*t), Because(rule, c)));
                } else if (present == top_level && std::abs(sum - *t) > 1e-9) {
                    report(
                        fmt::format("{}/{} ({}) by {}: every {} code has a value and they add "
                                    "up to {}, not the total {}; {}",
                                    key.indicator, key.measure, Name(key.track), dim, dim,
                                    Show(sum), Show(*t), Because(rule, c)));
                }
            }
        }
    }
    if (violations.empty()) {
        return {};
    }
    std::string message = violations.front();
    for (size_t i = 1; i < violations.size(); ++i) {
        message += "\n" + violations[i];
    }
    return Fail(Errc::kInvalidArgument, std::move(message));
}

}  // namespace rap::monitoring
