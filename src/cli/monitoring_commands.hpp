// SPDX-License-Identifier: AGPL-3.0-or-later
// The monitoring-cycle subcommands of `rapporteur` (cycle, value, evidence, score, compare,
// institution, request, recommendation, narrative, audit): thin wrappers over app/monitoring.hpp.
// main.cpp binds the command line into MonitoringArgs as typed; RunMonitoring parses every field
// strictly, so that a bad date, number, code or key names its option and the allowed values
// (exit 2), runs the use case and prints the result (docs/monitoring.md).
#pragma once

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace rap::cli {

enum class MonitoringCommand {
    kCycleOpen,
    kCycleList,
    kCycleShow,
    kCycleCompleteness,
    kCycleCheck,
    kCyclePublish,
    kCycleReopen,
    kCycleExport,
    kCycleImport,
    kValueSet,
    kValueList,
    kValueHistory,
    kValueSubmit,
    kValueValidate,
    kValueReturn,
    kValueReopen,
    kEvidenceAdd,
    kScore,
    kCompare,
    kInstitutionAdd,
    kInstitutionList,
    kRequestAdd,
    kRequestSend,
    kRequestReply,
    kRequestExtend,
    kRequestForward,
    kRequestComplain,
    kRequestDecideComplaint,
    kRequestList,
    kRequestOverdue,
    kRequestFigures,
    kRequestHolidays,
    kRequestShow,
    kRecommendationAdd,
    kRecommendationFollowUp,
    kRecommendationList,
    kNarrativeSet,
    kAttachmentList,
    kAttachmentGet,
    kAuditVerify,
    kAuditLog,
};

// The arguments of every monitoring subcommand, as text; each subcommand reads the fields of its
// own options and leaves the others empty. Empty means "not given".
struct MonitoringArgs {
    std::string db = kDefaultDb;
    std::string user;              // --user; empty: $RAPPORTEUR_USER, else $USER
    std::string format = "table";  // table, csv or json (cycle export: xlsx or csv)
    std::string output = ".";      // -o: directory

    // Positionals.
    std::string cycle;              // CYCLE ("RS-2025"); also --cycle
    std::string id;                 // request, recommendation or institution id
    std::string country;            // CC; also --country
    std::string year;               // YEAR; also --year
    std::vector<std::string> keys;  // INDICATOR[/MEASURE]
    std::string section;            // narrative section
    std::string file;               // cycle import FILE; also --file PATH

    // Value keys and filters.
    std::string by;         // --by SEX=F;AGE=child
    std::string track;      // --track official|cso (lists: also derived)
    std::string indicator;  // --indicator CODE|AREA (filters)
    std::string state;      // --state (value list)
    bool no_derived = false;

    // Values.
    std::string status;  // value status; follow-up status
    std::string answer, score, justification, value, numerator, denominator, n, p90, amount,
        currency;
    std::string source_type;
    std::string source;  // value: the source reference; recommendation: own|greta|...
    std::string note;
    std::string comment;

    // Cycles.
    std::string from;  // cycle open --from YEAR
    std::string reason;
    bool dry_run = false;

    // Evidence.
    std::string type;  // evidence type; institution type
    std::string title, citation, url, date, reliability;

    // Scores.
    bool explain = false;

    // Institutions, requests.
    std::string name, email;
    std::string region;  // --region: a REG code (institution add, request holidays)
    std::string institution;         // request add --institution
    std::vector<std::string> items;  // --item
    std::string channel, sent, response, ground, outcome, today, as_of;
    bool urgent = false;  // request add/send --urgent
    bool correct = false;  // request send --correct: replace the date sent

    // Recommendations, narratives.
    std::string text, body, urgency, issued, evidence;
    std::vector<std::string> indicators;    // recommendation add --indicator ...
    std::vector<std::string> institutions;  // recommendation add --institution ...

    // Audit.
    std::string expect_head;  // SEQ:HASH
    std::string limit;
};

// Runs one monitoring subcommand (Exit gives its exit code).
Status RunMonitoring(MonitoringCommand command, const MonitoringArgs& args);

}  // namespace rap::cli
