// SPDX-License-Identifier: AGPL-3.0-or-later
// The records of a country's monitoring besides values: cycles, evidence, recommendations and
// their follow-up, narrative sections. Information requests and institutions are in foi.hpp.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "monitoring/value.hpp"

namespace rap::monitoring {

enum class CycleState { kOpen, kPublished };
std::string_view Name(CycleState v);

// A country's monitoring of one year, pinned to the framework versions it was opened with.
struct Cycle {
    std::string id;  // "RS-2025"
    std::string country;
    int year = 0;
    std::string framework_id;  // the national adaptation
    std::string framework_version;
    std::string core_id;
    std::string core_version;
    std::string cloned_from;                // cycle id, or empty
    std::vector<std::string> institutions;  // ids of the country's register in scope this cycle
    CycleState state = CycleState::kOpen;
    std::string opened_by;
    std::string opened_at;
    std::string published_by;  // the last publication
    std::string published_at;
    int publications = 0;
};

std::string CycleId(std::string_view country, int year);

enum class EvidenceType { kLawArticle, kCourtDecision, kReport, kUrl, kFile };
std::string_view Name(EvidenceType v);
std::optional<EvidenceType> ParseEvidenceType(std::string_view text);
// Every EvidenceType, in the order lists show them.
inline constexpr std::array kAllEvidenceTypes{EvidenceType::kLawArticle,
                                              EvidenceType::kCourtDecision, EvidenceType::kReport,
                                              EvidenceType::kUrl, EvidenceType::kFile};

// How far a piece of evidence can be trusted: high (an official primary document: the law, a
// judgment, official statistics), medium (a reliable secondary source: ombudsperson, GRETA, trial
// monitoring), low (media, unverified accounts).
enum class Reliability { kHigh, kMedium, kLow };
std::string_view Name(Reliability v);
std::optional<Reliability> ParseReliability(std::string_view text);
// Every Reliability, in the order lists show them.
inline constexpr std::array kAllReliabilities{Reliability::kHigh, Reliability::kMedium,
                                             Reliability::kLow};

struct Evidence {
    std::string id;  // "E1", "E2", ... within the cycle
    EvidenceType type = EvidenceType::kReport;
    std::string title;     // what it is: "Criminal Code, Art. 388", "Judgment K 123/23"
    std::string citation;  // article, paragraph, page
    std::string url;
    std::string file_sha256;  // an attached file (stored once, by content)
    std::string file_name;
    std::optional<core::Date> date;
    Reliability reliability = Reliability::kMedium;
    std::string added_by;
    std::string added_at;
};

enum class RecommendationSource { kOwn, kGreta, kCommitteeOfParties, kOther };
std::string_view Name(RecommendationSource v);
std::optional<RecommendationSource> ParseRecommendationSource(std::string_view text);
// Every RecommendationSource, in the order lists show them.
inline constexpr std::array kAllRecommendationSources{
    RecommendationSource::kOwn, RecommendationSource::kGreta,
    RecommendationSource::kCommitteeOfParties, RecommendationSource::kOther};

// GRETA's verbs: it "urges" (most pressing), "considers that ... should", "invites".
enum class Urgency { kUrge, kConsider, kInvite, kUnknown };
std::string_view Name(Urgency v);  // the URG codelist's codes
std::optional<Urgency> ParseUrgency(std::string_view text);
// Every Urgency, in the order lists show them.
inline constexpr std::array kAllUrgencies{Urgency::kUrge, Urgency::kConsider, Urgency::kInvite,
                                         Urgency::kUnknown};

enum class FollowupStatus { kImplemented, kPartly, kNotImplemented, kNoInformation };
std::string_view Name(FollowupStatus v);
std::optional<FollowupStatus> ParseFollowupStatus(std::string_view text);
// Every FollowupStatus, in the order lists show them.
inline constexpr std::array kAllFollowupStatuses{
    FollowupStatus::kImplemented, FollowupStatus::kPartly, FollowupStatus::kNotImplemented,
    FollowupStatus::kNoInformation};

struct Followup {
    std::string cycle;  // the later cycle that looked at it
    FollowupStatus status = FollowupStatus::kNoInformation;
    std::string evidence;  // what shows it: a law adopted, a report, a reply
    std::string url;
    std::string note;
    std::string by;
    std::string at;
};

struct Recommendation {
    std::string id;     // "RS-2025-REC01"
    std::string cycle;  // written in, or received during
    RecommendationSource source = RecommendationSource::kOwn;
    std::string body;  // who issued it, for kOther ("UN CEDAW"); empty otherwise
    Urgency urgency = Urgency::kUnknown;
    std::string text;
    std::vector<std::string> indicators;
    std::vector<std::string> institutions;
    std::optional<core::Date> issued;
    // As stored: 1, 2, ... per save. In a change: the version it was made on (0 for a new one),
    // so that a save made meanwhile by someone else is refused instead of overwritten.
    int version = 0;
    std::string by;
    std::string at;
    std::vector<Followup> followups;  // every recorded follow-up, oldest first
};

// A narrative section of a cycle's report (Markdown), e.g. "summary" or an area code.
struct Narrative {
    std::string cycle;
    std::string section;
    std::string text;
    int version = 0;
    std::string by;
    std::string at;
};

}  // namespace rap::monitoring
