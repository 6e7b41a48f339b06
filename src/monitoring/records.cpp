// SPDX-License-Identifier: AGPL-3.0-or-later
#include "monitoring/records.hpp"

#include <array>

#include <fmt/format.h>

#include "core/names.hpp"

namespace rap::monitoring {

std::string CycleId(std::string_view country, int year) {
    return fmt::format("{}-{}", country, year);
}

std::string_view Name(CycleState v) {
    return v == CycleState::kOpen ? "open" : "published";
}

std::string_view Name(EvidenceType v) {
    switch (v) {
        case EvidenceType::kLawArticle:
            return "law_article";
        case EvidenceType::kCourtDecision:
            return "court_decision";
        case EvidenceType::kReport:
            return "report";
        case EvidenceType::kUrl:
            return "url";
        case EvidenceType::kFile:
            return "file";
    }
    return "";
}
std::optional<EvidenceType> ParseEvidenceType(std::string_view text) {
    return core::ParseByName(text, kAllEvidenceTypes);
}

std::string_view Name(Reliability v) {
    switch (v) {
        case Reliability::kHigh:
            return "high";
        case Reliability::kMedium:
            return "medium";
        case Reliability::kLow:
            return "low";
    }
    return "";
}
std::optional<Reliability> ParseReliability(std::string_view text) {
    return core::ParseByName(text, kAllReliabilities);
}

std::string_view Name(RecommendationSource v) {
    switch (v) {
        case RecommendationSource::kOwn:
            return "own";
        case RecommendationSource::kGreta:
            return "greta";
        case RecommendationSource::kCommitteeOfParties:
            return "committee_of_the_parties";
        case RecommendationSource::kOther:
            return "other";
    }
    return "";
}
std::optional<RecommendationSource> ParseRecommendationSource(std::string_view text) {
    return core::ParseByName(text, kAllRecommendationSources);
}

std::string_view Name(Urgency v) {
    switch (v) {
        case Urgency::kUrge:
            return "urge";
        case Urgency::kConsider:
            return "consider";
        case Urgency::kInvite:
            return "invite";
        case Urgency::kUnknown:
            return "unknown";
    }
    return "";
}
std::optional<Urgency> ParseUrgency(std::string_view text) {
    return core::ParseByName(text, kAllUrgencies);
}

std::string_view Name(FollowupStatus v) {
    switch (v) {
        case FollowupStatus::kImplemented:
            return "implemented";
        case FollowupStatus::kPartly:
            return "partly";
        case FollowupStatus::kNotImplemented:
            return "not_implemented";
        case FollowupStatus::kNoInformation:
            return "no_information";
    }
    return "";
}
std::optional<FollowupStatus> ParseFollowupStatus(std::string_view text) {
    return core::ParseByName(text, kAllFollowupStatuses);
}

}  // namespace rap::monitoring
