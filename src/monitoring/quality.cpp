// SPDX-License-Identifier: AGPL-3.0-or-later
#include "monitoring/quality.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace rap::monitoring {

std::string_view Name(ChangeCheck v) {
    switch (v) {
        case ChangeCheck::kJump:
            return "jump";
        case ChangeCheck::kAnswerChanged:
            return "answer_changed";
        case ChangeCheck::kScoreMoved:
            return "score_moved";
        case ChangeCheck::kFigureLost:
            return "figure_lost";
    }
    return "jump";
}

namespace {

std::string Shown(double v) {
    return IsWhole(v) ? fmt::format("{:.0f}", v) : fmt::format("{:.2f}", v);
}

// The number two years of a measure are compared on: counts behind a rate, euros of an amount,
// the figure itself otherwise.
std::optional<double> Compared(const Figure& f) {
    if (f.kind == framework::ValueKind::kRATE) {
        return f.numerator;
    }
    return f.number;
}

// Whether a figure rests on enough records for a change of it to mean something (a share without
// its counts, a median without its n, does not say).
bool Enough(const std::optional<double>& records) {
    return records && *records >= kJumpBase;
}

std::optional<ChangeFlag> Check(const ValueVersion& before, const ValueVersion& now) {
    ChangeFlag flag{ChangeCheck::kJump, before, now, ""};
    if (!before.figure || !now.figure) {
        if (now.key.track != Track::kDerived && before.figure && CarriesFigure(before.status) &&
            !CarriesFigure(now.status) && now.status != ValueStatus::kNotApplicable) {
            flag.check = ChangeCheck::kFigureLost;
            flag.why = fmt::format("had a figure the year before; now {}", Name(now.status));
            return flag;
        }
        return std::nullopt;
    }
    const Figure& a = *before.figure;
    const Figure& b = *now.figure;
    if (a.kind != b.kind) {
        return std::nullopt;  // the measure was redefined; nothing comparable
    }
    switch (b.kind) {
        case framework::ValueKind::kYN:
        case framework::ValueKind::kYNP:
            if (a.answer && b.answer && *a.answer != *b.answer) {
                flag.check = ChangeCheck::kAnswerChanged;
                flag.why = fmt::format("answer changed from {} to {}", Name(*a.answer),
                                       Name(*b.answer));
                return flag;
            }
            return std::nullopt;
        case framework::ValueKind::kSC3:
            if (a.score && b.score && std::abs(*b.score - *a.score) >= kScoreJump) {
                flag.check = ChangeCheck::kScoreMoved;
                flag.why = fmt::format("score moved from {} to {}", *a.score, *b.score);
                return flag;
            }
            return std::nullopt;
        case framework::ValueKind::kPCT:
            if (a.number && b.number && Enough(a.denominator) && Enough(b.denominator) &&
                std::abs(*b.number - *a.number) >= kShareJumpPoints) {
                flag.why = fmt::format("{} from {:.1f}% to {:.1f}% ({:+.1f} points)",
                                       *b.number > *a.number ? "rose" : "fell", *a.number,
                                       *b.number, *b.number - *a.number);
                return flag;
            }
            return std::nullopt;
        case framework::ValueKind::kMED:
            if (!Enough(a.n) || !Enough(b.n)) {
                return std::nullopt;
            }
            break;
        default:
            break;
    }
    const std::optional<double> x = Compared(a);
    const std::optional<double> y = Compared(b);
    if (!x || !y || std::max(*x, *y) < kJumpMinimum) {
        return std::nullopt;
    }
    const double low = std::min(*x, *y);
    const double high = std::max(*x, *y);
    const char* dir = *y > *x ? "rose" : "fell";
    const char* what = b.kind == framework::ValueKind::kRATE ? " (cases behind the rate)" : "";
    if (low <= 0) {
        flag.why = fmt::format("{} from {} to {}{}", dir, Shown(*x), Shown(*y), what);
        return flag;
    }
    if (high / low >= kJumpFactor) {
        flag.why = fmt::format("{} from {} to {}{} ({}{:.1f})", dir, Shown(*x), Shown(*y), what,
                               *y > *x ? "x" : "/", high / low);
        return flag;
    }
    return std::nullopt;
}

}  // namespace

std::vector<ChangeFlag> CompareWithPreviousYear(const std::vector<ValueVersion>& previous,
                                                const std::vector<ValueVersion>& current) {
    std::map<ValueKey, const ValueVersion*> before;
    for (const auto& v : previous) {
        before[v.key] = &v;
    }
    std::vector<ChangeFlag> out;
    for (const auto& v : current) {
        if (v.key.track == Track::kDerived && !v.key.disaggregation.empty()) {
            continue;
        }
        auto it = before.find(v.key);
        if (it == before.end()) {
            continue;
        }
        if (auto flag = Check(*it->second, v)) {
            out.push_back(std::move(*flag));
        }
    }
    return out;
}

}  // namespace rap::monitoring
