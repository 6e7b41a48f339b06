// SPDX-License-Identifier: AGPL-3.0-or-later
// Use cases of the monitoring cycle: opening cycles, entering and reviewing values with their
// evidence, publishing, the information-request register, recommendations and their follow-up,
// scores and cross-country comparison, the per-cycle entry template, the audit log.
//
// Every change is checked against the country's current state (monitoring::CountryState) and
// stored as events in one transaction; when someone else stored a change meanwhile the state is
// read again and the change checked again (a few times, with a growing pause). Every function names
// the person acting (`actor`); sign-in is not part of this layer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/cases.hpp"
#include "app/catalog.hpp"
#include "core/date.hpp"
#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "monitoring/foi.hpp"
#include "monitoring/quality.hpp"
#include "monitoring/records.hpp"
#include "monitoring/scoring.hpp"
#include "monitoring/state.hpp"
#include "store/store.hpp"

namespace rap::app {

// The current state of a country's monitoring, as stored now.
Result<std::shared_ptr<const monitoring::CountryState>> LoadMonitoring(store::Store& store,
                                                                       const Catalog& catalog,
                                                                       std::string_view country);

// The context the monitoring checks run in (reference data and frameworks of the catalog).
monitoring::Context MonitoringContext(const Catalog& catalog);

// The name of the person acting, as it is recorded: without surrounding spaces, UTF-8, no control
// characters, at most 100 bytes (kInvalidArgument otherwise). Every change passes it.
Result<std::string> PersonName(const std::string& given);

// The largest file that can be attached.
inline constexpr size_t kMaxAttachmentBytes = size_t{25} << 20U;

// Stores `content` as an attachment called `file_name` and returns its SHA-256 (a file already
// stored with the same content is not stored twice). kInvalidArgument for more than
// kMaxAttachmentBytes, or a name that is not a plain file name (empty, a directory part, control
// characters, not UTF-8, over 255 bytes).
Result<std::string> StoreAttachmentBytes(store::Store& store, const std::string& actor,
                                         const std::string& file_name, std::string content);

// Attaches `content` as a file called `file_name` to an information request, as a new version
// of the request; the file is stored with it in one transaction, so a refused change (no such
// request, its cycle published, a bad name) stores nothing. The same file twice is kept once.
Result<monitoring::InfoRequest> AttachToRequest(store::Store& store, const Catalog& catalog,
                                                const std::string& actor,
                                                const std::string& request_id,
                                                const std::string& file_name, std::string content);

// A cycle and the state of its country that holds it.
struct LoadedCycle {
    std::shared_ptr<const monitoring::CountryState> state;
    const monitoring::CycleData* data = nullptr;  // points into state
};
// The cycle "RS-2025" as stored now: kInvalidArgument for a malformed id or unknown country,
// kNotFound for a cycle not opened.
Result<LoadedCycle> LoadCycle(store::Store& store, const Catalog& catalog,
                              const std::string& cycle);

// --- Cycles -------------------------------------------------------------------------------

// Opens the cycle of a country and year, pinned to the versions of the country's national
// adaptation and its core in force now. With `from_year`, the institutions in scope, the
// information requests (as unsent drafts, items moved to the new year) and the narrative sections
// of that cycle are carried over. kAlreadyExists when the cycle exists.
Result<monitoring::Cycle> OpenCycle(store::Store& store, const Catalog& catalog,
                                    const std::string& actor, const std::string& country, int year,
                                    std::optional<int> from_year);

struct CycleSummary {
    monitoring::Cycle cycle;
    std::map<std::string, int> values_by_state;  // workflow state -> values
    int values = 0;
    int requests = 0;
    int overdue_requests = 0;
    int recommendations = 0;
};
// Cycles of one country (all when empty), by country and year.
Result<std::vector<CycleSummary>> ListCycles(store::Store& store, const Catalog& catalog,
                                             const std::string& country);
// The cycle "RS-2025" (country and year), or kNotFound / kInvalidArgument for a malformed id.
Result<CycleSummary> GetCycle(store::Store& store, const Catalog& catalog,
                              const std::string& cycle);

// Publishes every value of the cycle (all must be validated) and the cycle as a whole.
Status PublishCycle(store::Store& store, const Catalog& catalog, const std::string& actor,
                    const std::string& cycle);
Status ReopenCycle(store::Store& store, const Catalog& catalog, const std::string& actor,
                   const std::string& cycle, const std::string& reason);

// --- Values -------------------------------------------------------------------------------

// A value as a person enters it. The key's track is official or cso.
struct ValueInput {
    monitoring::ValueKey key;
    monitoring::ValueStatus status = monitoring::ValueStatus::kProvided;
    std::optional<monitoring::Figure> figure;  // kind is filled in from the measure
    monitoring::Source source;
    std::string note;
};

// What rapporteur itself derives an indicator from, when that is one of its own registers: the
// information-request register (indicators whose sources include TOOL: DP.5-DP.8) or the
// recommendations' follow-up (IC.8); empty otherwise. Nobody types the CSO figure of these:
// the register is the CSO's record. An official figure may still stand beside the derived one.
std::string_view RegisterSourceOf(const framework::Indicator& indicator);
// kInvalidArgument (field track) for a CSO figure of such an indicator.
Status CheckNotRegisterDerived(const framework::EffectiveFramework& fw,
                               const monitoring::ValueKey& key);

// Stores new versions of values (all or none), checking each against its indicator and the
// framework's validation rules (after all of them are applied). Returns the new versions.
// A CSO figure of an indicator derived from a register (RegisterSourceOf) is refused.
Result<std::vector<monitoring::ValueVersion>> EnterValues(store::Store& store,
                                                          const Catalog& catalog,
                                                          const std::string& actor,
                                                          const std::string& cycle,
                                                          const std::vector<ValueInput>& values);

// Which values a review step applies to: the keys named, or every value matching the filter.
struct ValueSelection {
    std::vector<monitoring::ValueKey> keys;
    // Parallel to keys, or empty: the version each value was looked at in (0: not said). A value
    // changed since is refused (kConflict), so that a reviewer validates what they saw.
    std::vector<int> versions;
    std::string indicator;  // a code, or an area code ("ID") for all of its indicators
    std::optional<monitoring::Track> track;
};
// Moves the selected values one step (submit, validate, return with a comment, reopen with a
// reason). With a filter, only values in a state the step applies to are taken (kNotFound when
// none is); a filter leaves out one's own values when validating and returned values when
// submitting without a comment, and says how many it left.
struct MovedValues {
    int moved = 0;
    int left_own = 0;       // validating by filter: values the actor entered
    int left_returned = 0;  // submitting by filter: returned values, neither corrected nor answered
};
Result<MovedValues> MoveValues(store::Store& store, const Catalog& catalog,
                               const std::string& actor, const std::string& cycle,
                               monitoring::Transition transition, const ValueSelection& selection,
                               const std::string& comment);

// A value of a cycle as listed: its current version (entered or derived), its evidence, and
// whether the official and CSO figures disagree.
struct CycleValue {
    monitoring::ValueVersion current;
    std::vector<monitoring::Evidence> evidence;
    // Set on official/cso values when the other track has a different figure for the same
    // indicator, measure and disaggregation: says what the other track holds.
    std::string disagreement;
    // For derived values: where they come from ("case records (disclosure control applied)",
    // "information request register", "recommendation follow-up").
    std::string derived_from;
};
struct ValueFilter {
    std::string indicator;  // code or area; empty: all
    std::optional<monitoring::Track> track;
    std::optional<monitoring::WorkflowState> state;
    bool derived = true;  // include values rapporteur derives
};
Result<std::vector<CycleValue>> ListValues(store::Store& store, const Catalog& catalog,
                                           const std::string& cycle, const ValueFilter& filter);

// Every version of one value, oldest first, and its evidence.
Result<monitoring::ValueHistory> GetValueHistory(store::Store& store, const Catalog& catalog,
                                                 const std::string& cycle,
                                                 const monitoring::ValueKey& key);

// Adds evidence to a value; `file` (optional) is a path whose content is stored as an attachment.
// Evidence whose file_sha256 is already set refers to a stored attachment (StoreAttachmentBytes):
// kNotFound when there is none; its file name is taken from the attachment when not given.
Result<monitoring::Evidence> AddEvidence(store::Store& store, const Catalog& catalog,
                                         const std::string& actor, const std::string& cycle,
                                         const monitoring::ValueKey& key,
                                         monitoring::Evidence evidence, const std::string& file);

// --- Completeness -------------------------------------------------------------------------

// How far a cycle's data reaches, per area of its framework and in total. An indicator applies
// unless the national adaptation declares it not applicable or its only values have the status
// not_applicable. Of those that apply, each is in exactly one list: `with_figure` (a current value
// of any track, entered or derived, that carries a figure), `explained` (values only saying why
// there is none: refused, no_response, not_collected), or `missing` (nothing at all).
struct Completeness {
    std::string area;  // empty for the total
    std::vector<std::string> with_figure;
    std::vector<std::string> explained;
    std::vector<std::string> missing;
    std::vector<std::string> not_applicable;
    size_t applicable() const { return with_figure.size() + explained.size() + missing.size(); }
};
struct CycleCompleteness {
    std::string cycle;
    Completeness total;
    std::vector<Completeness> areas;  // in the framework's order
};
Result<CycleCompleteness> CompletenessOf(store::Store& store, const Catalog& catalog,
                                         const std::string& cycle);

// Year-on-year checks of a cycle's values (entered and derived) against the cycle of the year
// before (monitoring::CompareWithPreviousYear). `previous_cycle` is empty, and there are no
// checks, when that cycle was not opened.
struct CycleChecks {
    std::string cycle;
    std::string previous_cycle;
    std::vector<monitoring::ChangeFlag> flags;
};
Result<CycleChecks> CheckAgainstPreviousYear(store::Store& store, const Catalog& catalog,
                                             const std::string& cycle);

// --- Scores -------------------------------------------------------------------------------

// Scores of a cycle from its current values (entered and derived).
Result<monitoring::CycleScores> ScoreCycle(store::Store& store, const Catalog& catalog,
                                           const std::string& cycle);

// The regional figure of an indicator's measure (empty: its first) for a year, from the
// comparable countries' values (the first track present of the scoring rules' order).
Result<monitoring::RegionalFigure> CompareIndicator(store::Store& store, const Catalog& catalog,
                                                    const std::string& indicator,
                                                    const std::string& measure, int year);

// --- Institutions and information requests --------------------------------------------------

// Registers or updates an institution of a country, and puts it in scope of `cycle` when given.
Status SaveInstitution(store::Store& store, const Catalog& catalog, const std::string& actor,
                       const monitoring::Institution& institution, const std::string& cycle);
Result<std::vector<monitoring::Institution>> ListInstitutions(store::Store& store,
                                                              const Catalog& catalog,
                                                              const std::string& country);

// Stores a new version of a request (a new request when its id is empty: the id is assigned,
// "RS-2025-R01"). A change names the version it was made on (request.version, as GetRequest
// gave it): kConflict when the request changed meanwhile. `file` (optional) is a path whose
// content (at most kMaxAttachmentBytes) is attached, stored in the same transaction. Returns the
// stored request.
Result<monitoring::InfoRequest> SaveRequest(store::Store& store, const Catalog& catalog,
                                            const std::string& actor,
                                            monitoring::InfoRequest request,
                                            const std::string& file = "");
// The legal deadline of a sent request (nullopt before it is sent) under the rule at the
// institution it went to: its country's, counted with the days off of the region the institution
// is seated in. `state` is the state of the request's country, which holds the institution.
std::optional<core::Date> LegalDeadlineOf(const Catalog& catalog,
                                          const monitoring::CountryState& state,
                                          const monitoring::InfoRequest& request);
// The same with its reasoning (monitoring::ExplainLegalDeadline).
std::optional<monitoring::ExplainedDeadline> ExplainDeadlineOf(
    const Catalog& catalog, const monitoring::CountryState& state,
    const monitoring::InfoRequest& request);

// The days off, besides weekends, that a country's legal deadlines skip in one year: its
// public holidays and days in lieu (data/countries.yaml `public_holidays`).
struct HolidayYear {
    std::string country;
    std::string region;  // empty: the days off of the whole country
    int year = 0;
    std::vector<framework::Holiday> days;
    bool known = true;  // false: the lunar-calendar holidays of that year are not in the data
    bool verify = false;
    std::string source;
    core::LocalizedText note;
};
// `region` (a REG code; optional) adds the days off of bodies seated there. kNotFound for a country
// the data does not have, kInvalidArgument for a year outside 1900-2999 or a region that is not
// one of the country's.
Result<HolidayYear> HolidaysOf(const Catalog& catalog, const std::string& country, int year,
                               const std::string& region = "");

// The current version of a request ("RS-2025-R01"; the country is taken from the id).
Result<monitoring::InfoRequest> GetRequest(store::Store& store, const Catalog& catalog,
                                           const std::string& id);

// The same with its legal deadline and how it was counted (nullopt before it is sent).
struct ExplainedRequest {
    monitoring::InfoRequest request;
    std::optional<monitoring::ExplainedDeadline> deadline;
};
Result<ExplainedRequest> GetExplainedRequest(store::Store& store, const Catalog& catalog,
                                             const std::string& id);

struct RequestRow {
    monitoring::InfoRequest request;
    std::optional<core::Date> deadline;  // the legal deadline, once sent
    bool overdue = false;
};
Result<std::vector<RequestRow>> ListRequests(store::Store& store, const Catalog& catalog,
                                             const std::string& cycle, core::Date today);
// Requests past their legal deadline without a reply, of one country (all when empty).
Result<std::vector<monitoring::Overdue>> ListOverdueRequests(store::Store& store,
                                                             const Catalog& catalog,
                                                             const std::string& country,
                                                             core::Date today);
// DP.5-DP.8 from the register of a cycle: the total first, then per institution.
Result<std::vector<monitoring::RegisterFigures>> RegisterFiguresOf(store::Store& store,
                                                                   const Catalog& catalog,
                                                                   const std::string& cycle,
                                                                   core::Date as_of);

// --- Recommendations --------------------------------------------------------------------------

// Stores a recommendation (a new one when its id is empty: "RS-2025-REC01").
Result<monitoring::Recommendation> SaveRecommendation(store::Store& store, const Catalog& catalog,
                                                      const std::string& actor,
                                                      monitoring::Recommendation recommendation);
// Records a follow-up; returns the recommendation with it.
Result<monitoring::Recommendation> RecordFollowup(store::Store& store, const Catalog& catalog,
                                                  const std::string& actor,
                                                  const std::string& recommendation,
                                                  const monitoring::Followup& followup);
Result<std::vector<monitoring::Recommendation>> ListRecommendations(store::Store& store,
                                                                    const Catalog& catalog,
                                                                    const std::string& country);

// --- Narratives ------------------------------------------------------------------------------

Status SaveNarrative(store::Store& store, const Catalog& catalog, const std::string& actor,
                     const std::string& cycle, const std::string& section, const std::string& text);
// Every section of a cycle with all its versions, oldest first.
Result<std::map<std::string, std::vector<monitoring::Narrative>>> ListNarratives(
    store::Store& store, const Catalog& catalog, const std::string& cycle);

// --- The per-cycle entry template -------------------------------------------------------------

// Writes the cycle's values as an entry template: one row per indicator measure and track (plus
// every disaggregated value already entered), filled with the current values, allowed values as
// lists (XLSX) and a read-only description of each column. Returns the files written.
Result<std::vector<std::string>> ExportCycleTemplate(store::Store& store, const Catalog& catalog,
                                                     const std::string& cycle, TableFormat format,
                                                     const std::string& dir);

struct CycleImportReport {
    int rows = 0;       // data rows read
    int unchanged = 0;  // rows equal to the current value, or left empty
    int changed = 0;    // new versions stored (or that would be, for a dry run)
    bool dry_run = false;
    struct Change {
        long row = 0;
        monitoring::ValueKey key;
    };
    std::vector<Change> changes;  // the changed rows, in file order
};
// Reads a filled-in template (CSV or XLSX) and stores every changed value as one unit, or
// nothing: problems go into diags with file, sheet, row, column and value (kInvalidArgument).
// A row that changes a value must carry, in its version column, the version the value had when
// the template was exported (empty: it had none); a value changed since is refused on that row.
// To replace a newer version on purpose, write its number in the cell. A file without the version
// column (made by hand) is taken as written over whatever is there.
Result<CycleImportReport> ImportCycleValues(store::Store& store, const Catalog& catalog,
                                            const std::string& actor, const std::string& cycle,
                                            const std::string& file, bool dry_run,
                                            core::Diagnostics& diags);

// --- Attached files ---------------------------------------------------------------------------

// A stored file and what refers to it in one cycle.
struct AttachmentRow {
    std::string sha256;
    std::string file_name;
    long long size = 0;  // bytes
    std::string added_by;
    std::string added_at;
    std::vector<std::string> used_by;  // "evidence E1 of LF.4", "request RS-2025-R01"
};
// Every file attached to the cycle's evidence and information requests, in the order first
// referred to. Each file is read and checked against its hash: kDataLoss when one was changed.
Result<std::vector<AttachmentRow>> ListAttachments(store::Store& store, const Catalog& catalog,
                                                   const std::string& cycle);
// A stored file with its content: kInvalidArgument unless `sha256` is 64 lower-case hex digits,
// kNotFound when no file has it, kDataLoss when the stored content no longer matches it.
Result<store::Attachment> GetAttachment(store::Store& store, const std::string& sha256);

// --- Audit log --------------------------------------------------------------------------------

// Records in the audit log that `actor` is handed case data of `country` (an export, or values
// without disclosure control). Call it before handing the data out: when it fails, don't.
Status RecordCaseAccess(store::Store& store, const Catalog& catalog, const std::string& actor,
                        const std::string& country, const monitoring::CaseDataAccessed& access);

struct AuditEntry {
    long long seq = 0;
    std::string at;
    std::string actor;
    std::string country;
    std::string type;
    std::string summary;  // one line: what happened
};
// The newest `limit` entries of one country (all when empty), newest first.
Result<std::vector<AuditEntry>> ListAudit(store::Store& store, const std::string& country,
                                          int limit);

// A point of the log recorded earlier ("SEQ:HASH", as a verification prints its head), to prove
// later that the log still holds it: events deleted from the end, or the whole log rewritten with
// fresh hashes, go unseen by the chain alone.
struct AuditHead {
    long long seq = 0;
    std::string hash;
};
// kInvalidArgument unless `text` is SEQ:HASH with SEQ >= 1 and HASH 64 lower-case hex digits.
Result<AuditHead> ParseAuditHead(std::string_view text);

// Walks the whole log (store::Store::VerifyAuditLog) and, when `expected` is given, checks that
// the log still holds that event with that hash; a missing or different one is a problem.
Result<store::AuditReport> VerifyAudit(store::Store& store,
                                       const std::optional<AuditHead>& expected);

// --- Demo -------------------------------------------------------------------------------------

// Fills the database with synthetic cycles 2022-2025 for the five countries (institutions,
// requests with replies, values with evidence through review to publication, recommendations
// and follow-ups), every person and text marked as synthetic. Deterministic.
// Returns how many cycles it opened; kAlreadyExists, with nothing written, when the database
// already holds a cycle.
Result<int> GenerateDemoCycles(store::Store& store, const Catalog& catalog);

}  // namespace rap::app
