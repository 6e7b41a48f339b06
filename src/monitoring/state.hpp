// SPDX-License-Identifier: AGPL-3.0-or-later
// The current state of one country's monitoring: the fold of its events. Apply checks an event
// against the state, the framework the cycle is pinned to and the reference data, and applies
// it only when everything holds, so that the same code decides what may be written and replays
// what was written.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "framework/reference_data.hpp"
#include "monitoring/events.hpp"

namespace rap::monitoring {

// What the checks read besides the state. REQUIRES: data set; framework resolves (id, version)
// to the effective framework or null.
struct Context {
    const framework::ReferenceData* data = nullptr;
    std::function<const framework::EffectiveFramework*(std::string_view id,
                                                       std::string_view version)>
        framework;
    core::Date today = core::Date::Today();
};

enum class Checks {
    kAll,      // an event about to be written
    kNoRules,  // the same, but the framework's validation rules are left to CheckRules (imports)
    kNone,     // replaying stored events: trusted, applied as they are
};

// A value as a cycle holds it: every version, newest last.
struct ValueHistory {
    std::vector<ValueVersion> versions;
    std::vector<Evidence> evidence;
    const ValueVersion& current() const { return versions.back(); }
};

struct CycleData {
    Cycle cycle;
    std::map<ValueKey, ValueHistory> values;
    std::map<std::string, std::vector<Narrative>> narratives;  // section -> versions
    int evidence_count = 0;
};

class CountryState {
public:
    explicit CountryState(std::string country) : country_(std::move(country)) {}

    const std::string& country() const { return country_; }
    long long last_seq() const { return last_seq_; }

    // Checks `event` and applies it; on error the state is unchanged. Errors: kNotFound (an
    // unknown cycle, value, request, institution), kInvalidArgument (a value that does not fit
    // its indicator, a broken rule), kConflict (a locked value, a published cycle),
    // kPermissionDenied (validating one's own value), kFailedPrecondition (a transition the
    // workflow does not allow), kAlreadyExists. Checking completes the event where the checks
    // derive something (the percentage of a PCT, the population of a RATE, the EUR rate of an
    // AMT), so that what is stored is what was checked.
    Status Apply(Event& event, const Context& ctx, Checks checks = Checks::kAll);

    // The framework's validation rules over the given values of a cycle (kInvalidArgument with
    // every violation explained).
    Status CheckRules(const std::string& cycle, const std::vector<ValueKey>& keys,
                      const Context& ctx) const;

    const std::map<std::string, CycleData>& cycles() const { return cycles_; }
    const CycleData* FindCycle(std::string_view id) const;
    const std::map<std::string, Institution>& institutions() const { return institutions_; }
    // Every version of every request, newest last.
    const std::map<std::string, std::vector<InfoRequest>>& requests() const { return requests_; }
    const std::map<std::string, Recommendation>& recommendations() const {
        return recommendations_;
    }

private:
    Status ApplyValueEntered(const Event& e, ValueEntered& p, const Context& ctx, Checks checks);
    Status ApplyValuesMoved(const Event& e, const ValuesMoved& p, const Context& ctx,
                            Checks checks);
    Status ApplyCycleOpened(const Event& e, const CycleOpened& p, const Context& ctx,
                            Checks checks);
    Status ApplyPublished(const Event& e, const CyclePublished& p, Checks checks);
    Status ApplyReopened(const Event& e, const CycleReopened& p, Checks checks);
    Status ApplyEvidence(const Event& e, const EvidenceAdded& p, Checks checks);
    Status ApplyInstitution(const Event& e, const InstitutionSaved& p, const Context& ctx,
                            Checks checks);
    Status CheckComplaintsAgainstDeadline(const InfoRequest& r, const Context& ctx) const;
    Status ApplyRequest(const Event& e, const RequestSaved& p, const Context& ctx, Checks checks);
    Status ApplyRecommendation(const Event& e, const RecommendationSaved& p, const Context& ctx,
                               Checks checks);
    Status ApplyFollowup(const Event& e, const FollowupRecorded& p, Checks checks);
    Status ApplyNarrative(const Event& e, const NarrativeSaved& p, Checks checks);

    Result<CycleData*> OpenCycleFor(const std::string& id, Checks checks);
    Status CheckUnpublished(const std::string& cycle, std::string_view what) const;

    std::string country_;
    long long last_seq_ = 0;
    std::map<std::string, CycleData> cycles_;
    std::map<std::string, Institution> institutions_;
    std::map<std::string, std::vector<InfoRequest>> requests_;
    std::map<std::string, Recommendation> recommendations_;
};

// Whether two recorded names are the same person's: compared by core::IdentityKey, so that
// "ANA PETROVIĆ", a decomposed accent, a doubled or non-breaking space or an invisible character
// cannot validate what "Ana Petrović" entered.
bool SamePerson(std::string_view a, std::string_view b);

// Checks a figure against its measure's kind and completes what follows from it (the number of
// a PCT, RATE and AMT; the population of a RATE; the EUR rate of an AMT), for a value of
// `country` in `year`. `status` decides whether a figure may or must be present.
Status CheckFigure(const framework::Measure& measure, ValueStatus status,
                   std::optional<Figure>& figure, const framework::Country& country, int year);

}  // namespace rap::monitoring
