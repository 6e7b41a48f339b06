// SPDX-License-Identifier: AGPL-3.0-or-later
// Everything that happens in a country's monitoring is an event, stored once and never changed:
// the events are at the same time the data (the current state is their fold, CountryState) and
// the audit log (the store chains their hashes). An event names who did it and when.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "monitoring/foi.hpp"
#include "monitoring/records.hpp"
#include "monitoring/value.hpp"

namespace rap::monitoring {

struct CycleOpened {
    Cycle cycle;
};
struct CyclePublished {
    std::string cycle;
};
struct CycleReopened {
    std::string cycle;
    std::string reason;
};
struct ValueEntered {
    std::string cycle;
    ValueKey key;
    ValueStatus status = ValueStatus::kProvided;
    std::optional<Figure> figure;
    Source source;
    std::string note;
};
enum class Transition { kSubmit, kValidate, kReturn, kReopen };
std::string_view Name(Transition v);
std::optional<Transition> ParseTransition(std::string_view text);
// Every Transition, in the order lists show them.
inline constexpr std::array kAllTransitions{Transition::kSubmit, Transition::kValidate,
                                            Transition::kReturn, Transition::kReopen};
// The review workflow: whether a value in `from` can take the step, the state it goes to, the
// states the step applies to ("draft or returned") and the step in the past ("submitted").
bool CanMove(Transition t, WorkflowState from);
WorkflowState TargetState(Transition t);
std::string_view MovableStates(Transition t);
std::string_view PastTense(Transition t);
struct ValuesMoved {
    std::string cycle;
    Transition transition = Transition::kSubmit;
    std::vector<ValueKey> keys;
    // Parallel to keys, or empty: the version each value was looked at in (0: not said). A
    // reviewer validates what they saw; a value changed since is refused.
    std::vector<int> versions;
    std::string comment;  // mandatory for kReturn and kReopen
};
struct EvidenceAdded {
    std::string cycle;
    ValueKey key;
    Evidence evidence;
};
struct InstitutionSaved {
    Institution institution;
    std::string cycle;  // also put it in scope of this cycle; may be empty
};
struct RequestSaved {
    InfoRequest request;
};
struct RecommendationSaved {
    Recommendation recommendation;  // without follow-ups
};
struct FollowupRecorded {
    std::string recommendation;
    Followup followup;
};
struct NarrativeSaved {
    std::string cycle;
    std::string section;
    std::string text;
};

// Case records handed to a person: exported as files, or values derived from them shown without
// disclosure control. Reads and exports of case data are audited; the event is stored before the
// data is handed out, and changes nothing in the monitoring state.
enum class CaseAccess { kExport, kUnprotectedValues };
std::string_view Name(CaseAccess v);
std::optional<CaseAccess> ParseCaseAccess(std::string_view text);
inline constexpr std::array kAllCaseAccesses{CaseAccess::kExport, CaseAccess::kUnprotectedValues};
struct CaseDataAccessed {
    CaseAccess access = CaseAccess::kExport;
    std::string what;       // "csv to /srv/exports (5 files)", "ID.5 2024 by SEX,AGE"
    long long records = 0;  // records exported; values shown
};

// Case records imported: the country's share of one import, stored in the import's own
// transaction (so the import and its record stand or fall together). Changes nothing in the
// monitoring state.
struct CasesImported {
    long long data_version = 0;
    std::string files;                    // the files read, as given
    std::vector<std::string> partitions;  // the country's partitions written: "victim 2024", ...
    long long inserted = 0;               // records of the country new in the database
    long long updated = 0;                // records of the country replaced
};

using Payload = std::variant<CycleOpened, CyclePublished, CycleReopened, ValueEntered, ValuesMoved,
                             EvidenceAdded, InstitutionSaved, RequestSaved, RecommendationSaved,
                             FollowupRecorded, NarrativeSaved, CaseDataAccessed, CasesImported>;

// "cycle_opened", "value_entered", ...
std::string_view TypeName(const Payload& p);

struct Event {
    long long seq = 0;    // position in the audit log (0 before it is stored)
    std::string at;       // UTC, ISO 8601
    std::string actor;    // who
    std::string country;  // whose monitoring
    Payload payload;
};

// The payload as stored (JSON) and back. Decoding checks every name and type and says which
// field is wrong.
// kInvalidArgument when a text of the payload is not valid UTF-8.
Result<std::string> EncodePayload(const Payload& p);
Result<Payload> DecodePayload(std::string_view type, std::string_view json);

}  // namespace rap::monitoring
