// SPDX-License-Identifier: AGPL-3.0-or-later
// The /api/v1 endpoints of monitoring cycles (docs/api.md, "Monitoring cycles"): the routes
// (monitoring_routes.cpp) and their JSON bodies (monitoring_json.cpp, the only one of the two
// that includes nlohmann/json).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/monitoring.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "server/http.hpp"
#include "store/store.hpp"

namespace rap::server {

// The monitoring routes over one database. Reads answer anyone who can reach the server; writes
// (POST, PUT) need a loopback listener, a loopback Host header and X-Rapporteur-User (see
// docs/api.md, "Who acts").
std::vector<Route> MonitoringRoutes(const std::shared_ptr<const app::Catalog>& catalog,
                                    store::Store& store);

}  // namespace rap::server

namespace rap::server::monitoring_json {

// ----- Request bodies. Parsing is strict: a body that is not a JSON object, an unknown field, a
// value of the wrong type or an unknown code is kInvalidArgument naming the field (also in
// Error::where.field, as a path: "values[2].source.type"). A field given as null counts as
// absent.

struct OpenCycleBody {
    std::string country;
    int year = 0;
    std::optional<int> from_year;
};
Result<OpenCycleBody> ParseOpenCycle(std::string_view body);

// An empty body or {} (for actions without parameters, such as publish).
Status ParseNoFields(std::string_view body);

// {"reason"}: the reason, not blank.
Result<std::string> ParseReopen(std::string_view body);

// {"values": [...]}: at least one value; the track is official or cso.
Result<std::vector<app::ValueInput>> ParseValues(std::string_view body);

struct TransitionBody {
    monitoring::Transition transition = monitoring::Transition::kSubmit;
    app::ValueSelection selection;
    std::string comment;
};
// Keys or a filter (indicator, track), not both.
Result<TransitionBody> ParseTransition(std::string_view body);

struct EvidenceBody {
    monitoring::ValueKey key;
    monitoring::Evidence evidence;
};
// Files cannot be attached over the API: evidence type "file" is refused.
Result<EvidenceBody> ParseEvidence(std::string_view body);

struct InstitutionBody {
    monitoring::Institution institution;
    std::string cycle;  // put in scope of this cycle; may be empty
};
Result<InstitutionBody> ParseInstitution(std::string_view body);

// A request as the client sends it: every field but id, cycle, attachments and who changed it
// (the caller fills them in). A new version (PUT) also names the version it was made on.
enum class RequestBody { kNew, kNewVersion };
Result<monitoring::InfoRequest> ParseRequest(std::string_view body, RequestBody kind);

// A recommendation without follow-ups; id empty unless the body names one (an update).
Result<monitoring::Recommendation> ParseRecommendation(std::string_view body);

Result<monitoring::Followup> ParseFollowup(std::string_view body);

// ----- Response bodies (docs/api.md has their shapes). Numbers are finite or null.

std::string Cycles(const std::vector<app::CycleSummary>& cycles);
std::string Cycle(const app::CycleSummary& cycle);
std::string Values(const std::string& cycle, const std::vector<app::CycleValue>& values);
std::string EnteredValues(const std::string& cycle,
                          const std::vector<monitoring::ValueVersion>& versions);
std::string History(const std::string& cycle, const monitoring::ValueKey& key,
                    const monitoring::ValueHistory& history);
std::string Moved(const std::string& cycle, monitoring::Transition transition,
                  const app::MovedValues& moved);
std::string AddedEvidence(const std::string& cycle, const monitoring::ValueKey& key,
                          const monitoring::Evidence& evidence);
std::string Scores(const std::string& cycle, const monitoring::CycleScores& scores);
std::string Comparison(int year, const monitoring::RegionalFigure& figure);
std::string Institutions(const std::vector<monitoring::Institution>& institutions);
std::string SavedInstitution(const monitoring::Institution& institution, const std::string& cycle);
std::string Requests(const std::string& cycle, core::Date today,
                     const std::vector<app::RequestRow>& rows);
std::string Request(const monitoring::InfoRequest& request);
// With its legal deadline and the steps that give it (null and [] before it is sent).
std::string Request(const monitoring::InfoRequest& request,
                    const std::optional<monitoring::ExplainedDeadline>& deadline);
std::string Overdue(const std::string& country, core::Date today,
                    const std::vector<monitoring::Overdue>& overdue);
std::string Holidays(const app::HolidayYear& holidays);
std::string Completeness(const app::CycleCompleteness& completeness);
std::string Checks(const app::CycleChecks& checks);
std::string RegisterFigures(const std::string& cycle, core::Date as_of,
                            const std::vector<monitoring::RegisterFigures>& figures);
std::string Recommendations(const std::vector<monitoring::Recommendation>& recommendations);
std::string Recommendation(const monitoring::Recommendation& recommendation);
std::string Attachments(const std::string& cycle, const std::vector<app::AttachmentRow>& rows);
// {"attachment": {"sha256", "file_name", "size", "href"}}: a file just stored.
std::string StoredAttachment(const std::string& sha256, const std::string& file_name,
                             size_t size);
std::string Audit(const std::vector<app::AuditEntry>& entries);
std::string AuditVerification(const store::AuditReport& report);

}  // namespace rap::server::monitoring_json
