// SPDX-License-Identifier: AGPL-3.0-or-later
#include "monitoring/value.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "core/names.hpp"
#include "core/text.hpp"

namespace rap::monitoring {

namespace {

bool IsCodeChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

constexpr double kTolerance = 1e-9;

}  // namespace

bool SameNumber(double a, double b) {
    return std::abs(a - b) <= kTolerance * std::max(1.0, std::abs(a));
}

bool SameNumber(const std::optional<double>& a, const std::optional<double>& b) {
    if (a.has_value() != b.has_value()) {
        return false;
    }
    return !a || SameNumber(*a, *b);
}

bool IsWhole(double v) { return std::abs(v - std::round(v)) < kTolerance; }

std::string_view Name(Track v) {
    switch (v) {
        case Track::kOfficial:
            return "official";
        case Track::kCso:
            return "cso";
        case Track::kDerived:
            return "derived";
    }
    return "";
}
std::optional<Track> ParseTrack(std::string_view text) {
    return core::ParseByName(text, kAllTracks);
}

std::string_view Name(ValueStatus v) {
    switch (v) {
        case ValueStatus::kProvided:
            return "provided";
        case ValueStatus::kPartial:
            return "partial";
        case ValueStatus::kEstimated:
            return "estimated";
        case ValueStatus::kRefused:
            return "refused";
        case ValueStatus::kNoResponse:
            return "no_response";
        case ValueStatus::kNotCollected:
            return "not_collected";
        case ValueStatus::kNotApplicable:
            return "not_applicable";
        case ValueStatus::kTrueZero:
            return "true_zero";
        case ValueStatus::kSuppressed:
            return "suppressed";
    }
    return "";
}
std::optional<ValueStatus> ParseValueStatus(std::string_view text) {
    return core::ParseByName(text, kAllValueStatuses);
}
bool CarriesFigure(ValueStatus v) {
    return v == ValueStatus::kProvided || v == ValueStatus::kPartial ||
           v == ValueStatus::kEstimated || v == ValueStatus::kTrueZero;
}

std::string_view Name(Answer v) {
    switch (v) {
        case Answer::kNo:
            return "no";
        case Answer::kPartial:
            return "partial";
        case Answer::kYes:
            return "yes";
    }
    return "";
}
std::optional<Answer> ParseAnswer(std::string_view text) {
    return core::ParseByName(text, kAllAnswers);
}

std::string_view Name(WorkflowState v) {
    switch (v) {
        case WorkflowState::kDraft:
            return "draft";
        case WorkflowState::kSubmitted:
            return "submitted";
        case WorkflowState::kReturned:
            return "returned";
        case WorkflowState::kValidated:
            return "validated";
        case WorkflowState::kPublished:
            return "published";
    }
    return "";
}
std::optional<WorkflowState> ParseWorkflowState(std::string_view text) {
    return core::ParseByName(text, kAllWorkflowStates);
}

std::string_view Name(SourceType v) {
    switch (v) {
        case SourceType::kNone:
            return "none";
        case SourceType::kInstitution:
            return "institution";
        case SourceType::kDocument:
            return "document";
        case SourceType::kRequest:
            return "request";
        case SourceType::kCaseRecords:
            return "case_records";
        case SourceType::kRegister:
            return "register";
    }
    return "";
}
std::optional<SourceType> ParseSourceType(std::string_view text) {
    return core::ParseByName(text, kAllSourceTypes);
}

std::string ToString(const Disaggregation& d) {
    std::string out;
    for (const auto& [dim, code] : d) {
        if (!out.empty()) {
            out += ';';
        }
        out += dim + "=" + code;
    }
    return out;
}

Result<Disaggregation> ParseDisaggregation(std::string_view text) {
    Disaggregation out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(';', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view part = core::TrimAscii(text.substr(start, end - start));
        start = end + 1;
        if (part.empty()) {
            continue;
        }
        const size_t eq = part.find('=');
        const std::string_view dim = eq == std::string_view::npos ? part : part.substr(0, eq);
        const std::string_view code =
            eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
        if (dim.empty() || code.empty() || !std::all_of(dim.begin(), dim.end(), IsCodeChar) ||
            !std::all_of(code.begin(), code.end(), IsCodeChar)) {
            return Fail(
                Errc::kInvalidArgument,
                fmt::format("disaggregation \"{}\": expected DIMENSION=code pairs separated "
                            "by ';', e.g. SEX=F;AGE=child",
                            text));
        }
        std::string upper(dim);
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.first == upper; })) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("disaggregation \"{}\" names {} twice", text, upper));
        }
        out.emplace_back(std::move(upper), std::string(code));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string ToString(const ValueKey& k) {
    std::string d = ToString(k.disaggregation);
    return fmt::format("{}/{}{} {}", k.indicator, k.measure, d.empty() ? "" : "[" + d + "]",
                       Name(k.track));
}

}  // namespace rap::monitoring
