// SPDX-License-Identifier: AGPL-3.0-or-later
// Events as stored: one JSON object per payload. The only file of this module that sees JSON.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/names.hpp"
#include "monitoring/events.hpp"

namespace rap::monitoring {

namespace {

using nlohmann::json;

// A malformed stored payload; caught in DecodePayload.
struct DecodeError {
    std::string message;
};

// ---- encoding ----------------------------------------------------------------------------

void Put(json& j, const char* name, const std::string& v) {
    if (!v.empty())
        j[name] = v;
}
void Put(json& j, const char* name, const std::optional<double>& v) {
    if (v)
        j[name] = *v;
}
void Put(json& j, const char* name, const std::optional<core::Date>& v) {
    if (v)
        j[name] = v->ToString();
}
void Put(json& j, const char* name, const std::vector<std::string>& v) {
    if (!v.empty())
        j[name] = v;
}

json Encode(const ValueKey& k) {
    json j{{"indicator", k.indicator}, {"measure", k.measure}, {"track", Name(k.track)}};
    Put(j, "by", ToString(k.disaggregation));
    return j;
}

json Encode(const Figure& f) {
    json j{{"kind", framework::Name(f.kind)}};
    if (f.answer)
        j["answer"] = Name(*f.answer);
    if (f.score)
        j["score"] = *f.score;
    Put(j, "justification", f.justification);
    Put(j, "value", f.number);
    Put(j, "numerator", f.numerator);
    Put(j, "denominator", f.denominator);
    Put(j, "n", f.n);
    Put(j, "p90", f.p90);
    Put(j, "amount", f.amount);
    Put(j, "currency", f.currency);
    Put(j, "eur_rate", f.eur_rate);
    return j;
}

json Encode(const Cycle& c) {
    json j{{"id", c.id},
           {"country", c.country},
           {"year", c.year},
           {"framework_id", c.framework_id},
           {"framework_version", c.framework_version},
           {"core_id", c.core_id},
           {"core_version", c.core_version}};
    Put(j, "cloned_from", c.cloned_from);
    Put(j, "institutions", c.institutions);
    return j;
}

json Encode(const Evidence& e) {
    json j{{"type", Name(e.type)}, {"title", e.title}, {"reliability", Name(e.reliability)}};
    Put(j, "id", e.id);
    Put(j, "citation", e.citation);
    Put(j, "url", e.url);
    Put(j, "file_sha256", e.file_sha256);
    Put(j, "file_name", e.file_name);
    Put(j, "date", e.date);
    return j;
}

json Encode(const Institution& i) {
    json j{{"id", i.id}, {"country", i.country}, {"name", i.name}, {"type", i.type}};
    Put(j, "region", i.region);
    Put(j, "email", i.email);
    Put(j, "note", i.note);
    return j;
}

json Encode(const InfoRequest& r) {
    json j{{"id", r.id},
           {"cycle", r.cycle},
           {"institution", r.institution},
           {"channel", Name(r.channel)},
           {"response", Name(r.response)}};
    if (r.urgent)
        j["urgent"] = true;
    Put(j, "sent", r.sent);
    Put(j, "extension_notified", r.extension_notified);
    Put(j, "forwarded_on", r.forwarded_on);
    Put(j, "response_date", r.response_date);
    if (r.refusal_ground)
        j["refusal_ground"] = Name(*r.refusal_ground);
    json items = json::array();
    for (const auto& it : r.items) {
        json x{{"indicator", it.indicator}, {"outcome", Name(it.outcome)}};
        Put(x, "disaggregation", it.disaggregation);
        Put(x, "period", it.period);
        items.push_back(std::move(x));
    }
    j["items"] = std::move(items);
    json complaints = json::array();
    for (const auto& c : r.complaints) {
        json x{{"filed", c.filed.ToString()}, {"outcome", Name(c.outcome)}};
        Put(x, "decided", c.decided);
        Put(x, "note", c.note);
        complaints.push_back(std::move(x));
    }
    if (!complaints.empty())
        j["complaints"] = std::move(complaints);
    Put(j, "attachments", r.attachments);
    Put(j, "note", r.note);
    return j;
}

json Encode(const Recommendation& r) {
    json j{{"id", r.id},
           {"cycle", r.cycle},
           {"source", Name(r.source)},
           {"urgency", Name(r.urgency)},
           {"text", r.text}};
    Put(j, "body", r.body);
    Put(j, "indicators", r.indicators);
    Put(j, "institutions", r.institutions);
    Put(j, "issued", r.issued);
    return j;
}

json Encode(const Followup& f) {
    json j{{"cycle", f.cycle}, {"status", Name(f.status)}};
    Put(j, "evidence", f.evidence);
    Put(j, "url", f.url);
    Put(j, "note", f.note);
    return j;
}

json EncodeJson(const Payload& p) {
    return std::visit(
        [](const auto& x) -> json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, CycleOpened>) {
                return json{{"cycle", Encode(x.cycle)}};
            } else if constexpr (std::is_same_v<T, CyclePublished>) {
                return json{{"cycle", x.cycle}};
            } else if constexpr (std::is_same_v<T, CycleReopened>) {
                return json{{"cycle", x.cycle}, {"reason", x.reason}};
            } else if constexpr (std::is_same_v<T, ValueEntered>) {
                json j{{"cycle", x.cycle}, {"key", Encode(x.key)}, {"status", Name(x.status)}};
                if (x.figure)
                    j["figure"] = Encode(*x.figure);
                if (x.source.type != SourceType::kNone) {
                    j["source"] = json{{"type", Name(x.source.type)}, {"ref", x.source.ref}};
                }
                Put(j, "note", x.note);
                return j;
            } else if constexpr (std::is_same_v<T, ValuesMoved>) {
                json keys = json::array();
                for (const auto& k : x.keys)
                    keys.push_back(Encode(k));
                json j{{"cycle", x.cycle}, {"transition", Name(x.transition)}, {"keys", keys}};
                if (std::any_of(x.versions.begin(), x.versions.end(),
                                [](int v) { return v != 0; })) {
                    j["versions"] = x.versions;
                }
                Put(j, "comment", x.comment);
                return j;
            } else if constexpr (std::is_same_v<T, EvidenceAdded>) {
                return json{
                    {"cycle", x.cycle}, {"key", Encode(x.key)}, {"evidence", Encode(x.evidence)}};
            } else if constexpr (std::is_same_v<T, InstitutionSaved>) {
                json j{{"institution", Encode(x.institution)}};
                Put(j, "cycle", x.cycle);
                return j;
            } else if constexpr (std::is_same_v<T, RequestSaved>) {
                return json{{"request", Encode(x.request)}};
            } else if constexpr (std::is_same_v<T, RecommendationSaved>) {
                return json{{"recommendation", Encode(x.recommendation)}};
            } else if constexpr (std::is_same_v<T, FollowupRecorded>) {
                return json{{"recommendation", x.recommendation}, {"followup", Encode(x.followup)}};
            } else if constexpr (std::is_same_v<T, CaseDataAccessed>) {
                return json{
                    {"access", Name(x.access)}, {"what", x.what}, {"records", x.records}};
            } else if constexpr (std::is_same_v<T, CasesImported>) {
                return json{{"data_version", x.data_version},
                            {"files", x.files},
                            {"partitions", x.partitions},
                            {"inserted", x.inserted},
                            {"updated", x.updated}};
            } else {
                return json{{"cycle", x.cycle}, {"section", x.section}, {"text", x.text}};
            }
        },
        p);
}

// ---- decoding ----------------------------------------------------------------------------

const json& Need(const json& j, const char* name) {
    if (!j.is_object() || !j.contains(name)) {
        throw DecodeError{fmt::format("missing field {}", name)};
    }
    return j.at(name);
}
std::string Str(const json& j, const char* name) {
    const json& v = Need(j, name);
    if (!v.is_string())
        throw DecodeError{fmt::format("field {} is not text", name)};
    return v.get<std::string>();
}
std::string OptStr(const json& j, const char* name) {
    return j.contains(name) ? Str(j, name) : std::string();
}
std::optional<double> OptNum(const json& j, const char* name) {
    if (!j.contains(name))
        return std::nullopt;
    const json& v = j.at(name);
    if (!v.is_number())
        throw DecodeError{fmt::format("field {} is not a number", name)};
    return v.get<double>();
}
long long Whole(const json& j, const char* name) {
    const json& v = Need(j, name);
    if (!v.is_number_integer())
        throw DecodeError{fmt::format("field {} is not a whole number", name)};
    return v.get<long long>();
}
int Int(const json& j, const char* name) {
    return static_cast<int>(Whole(j, name));
}
// Absent is false.
bool OptBool(const json& j, const char* name) {
    if (!j.contains(name))
        return false;
    const json& v = j.at(name);
    if (!v.is_boolean())
        throw DecodeError{fmt::format("field {} is not true or false", name)};
    return v.get<bool>();
}
std::optional<core::Date> OptDate(const json& j, const char* name) {
    if (!j.contains(name))
        return std::nullopt;
    auto d = core::Date::Parse(Str(j, name));
    if (!d)
        throw DecodeError{fmt::format("field {} is not a date", name)};
    return d;
}
std::vector<std::string> StrList(const json& j, const char* name) {
    std::vector<std::string> out;
    if (!j.contains(name))
        return out;
    const json& v = j.at(name);
    if (!v.is_array())
        throw DecodeError{fmt::format("field {} is not a list", name)};
    for (const auto& x : v) {
        if (!x.is_string())
            throw DecodeError{fmt::format("field {} holds a non-text item", name)};
        out.push_back(x.get<std::string>());
    }
    return out;
}
template <class T>
T Enum(const json& j, const char* name, std::optional<T> (*parse)(std::string_view)) {
    const std::string text = Str(j, name);
    auto v = parse(text);
    if (!v)
        throw DecodeError{fmt::format("field {}: unknown value \"{}\"", name, text)};
    return *v;
}

ValueKey DecodeKey(const json& j) {
    ValueKey k;
    k.indicator = Str(j, "indicator");
    k.measure = Str(j, "measure");
    k.track = Enum(j, "track", &ParseTrack);
    auto d = ParseDisaggregation(OptStr(j, "by"));
    if (!d)
        throw DecodeError{d.error().message};
    k.disaggregation = std::move(*d);
    return k;
}

Figure DecodeFigure(const json& j) {
    Figure f;
    f.kind = Enum(j, "kind", &framework::ParseValueKind);
    if (j.contains("answer"))
        f.answer = Enum(j, "answer", &ParseAnswer);
    if (j.contains("score"))
        f.score = Int(j, "score");
    f.justification = OptStr(j, "justification");
    f.number = OptNum(j, "value");
    f.numerator = OptNum(j, "numerator");
    f.denominator = OptNum(j, "denominator");
    f.n = OptNum(j, "n");
    f.p90 = OptNum(j, "p90");
    f.amount = OptNum(j, "amount");
    f.currency = OptStr(j, "currency");
    f.eur_rate = OptNum(j, "eur_rate");
    return f;
}

Evidence DecodeEvidence(const json& j) {
    Evidence e;
    e.id = OptStr(j, "id");
    e.type = Enum(j, "type", &ParseEvidenceType);
    e.title = Str(j, "title");
    e.reliability = Enum(j, "reliability", &ParseReliability);
    e.citation = OptStr(j, "citation");
    e.url = OptStr(j, "url");
    e.file_sha256 = OptStr(j, "file_sha256");
    e.file_name = OptStr(j, "file_name");
    e.date = OptDate(j, "date");
    return e;
}

InfoRequest DecodeRequest(const json& j) {
    InfoRequest r;
    r.id = Str(j, "id");
    r.cycle = Str(j, "cycle");
    r.institution = Str(j, "institution");
    r.channel = Enum(j, "channel", &ParseChannel);
    r.response = Enum(j, "response", &ParseResponseType);
    r.urgent = OptBool(j, "urgent");
    r.sent = OptDate(j, "sent");
    r.extension_notified = OptDate(j, "extension_notified");
    r.forwarded_on = OptDate(j, "forwarded_on");
    r.response_date = OptDate(j, "response_date");
    if (j.contains("refusal_ground"))
        r.refusal_ground = Enum(j, "refusal_ground", &ParseRefusalGround);
    for (const auto& x : Need(j, "items")) {
        RequestItem it;
        it.indicator = Str(x, "indicator");
        it.outcome = Enum(x, "outcome", &ParseItemOutcome);
        it.disaggregation = OptStr(x, "disaggregation");
        it.period = OptStr(x, "period");
        r.items.push_back(std::move(it));
    }
    if (j.contains("complaints")) {
        for (const auto& x : j.at("complaints")) {
            Complaint c;
            auto filed = OptDate(x, "filed");
            if (!filed)
                throw DecodeError{"complaint without a filing date"};
            c.filed = *filed;
            c.outcome = Enum(x, "outcome", &ParseComplaintOutcome);
            c.decided = OptDate(x, "decided");
            c.note = OptStr(x, "note");
            r.complaints.push_back(std::move(c));
        }
    }
    r.attachments = StrList(j, "attachments");
    r.note = OptStr(j, "note");
    return r;
}

Payload DecodeJson(std::string_view type, const json& j) {
    if (type == "cycle_opened") {
        const json& c = Need(j, "cycle");
        Cycle cycle;
        cycle.id = Str(c, "id");
        cycle.country = Str(c, "country");
        cycle.year = Int(c, "year");
        cycle.framework_id = Str(c, "framework_id");
        cycle.framework_version = Str(c, "framework_version");
        cycle.core_id = Str(c, "core_id");
        cycle.core_version = Str(c, "core_version");
        cycle.cloned_from = OptStr(c, "cloned_from");
        cycle.institutions = StrList(c, "institutions");
        return CycleOpened{std::move(cycle)};
    }
    if (type == "cycle_published")
        return CyclePublished{Str(j, "cycle")};
    if (type == "cycle_reopened")
        return CycleReopened{Str(j, "cycle"), Str(j, "reason")};
    if (type == "value_entered") {
        ValueEntered v;
        v.cycle = Str(j, "cycle");
        v.key = DecodeKey(Need(j, "key"));
        v.status = Enum(j, "status", &ParseValueStatus);
        if (j.contains("figure"))
            v.figure = DecodeFigure(j.at("figure"));
        if (j.contains("source")) {
            v.source.type = Enum(j.at("source"), "type", &ParseSourceType);
            v.source.ref = OptStr(j.at("source"), "ref");
        }
        v.note = OptStr(j, "note");
        return v;
    }
    if (type == "values_moved") {
        ValuesMoved v;
        v.cycle = Str(j, "cycle");
        v.transition = Enum(j, "transition", &ParseTransition);
        for (const auto& k : Need(j, "keys"))
            v.keys.push_back(DecodeKey(k));
        if (j.contains("versions")) {
            for (const auto& x : j.at("versions")) {
                if (!x.is_number_integer())
                    throw DecodeError{"versions holds a non-integer"};
                v.versions.push_back(x.get<int>());
            }
            if (v.versions.size() != v.keys.size()) {
                throw DecodeError{"versions do not match the keys"};
            }
        }
        v.comment = OptStr(j, "comment");
        return v;
    }
    if (type == "evidence_added") {
        return EvidenceAdded{Str(j, "cycle"), DecodeKey(Need(j, "key")),
                             DecodeEvidence(Need(j, "evidence"))};
    }
    if (type == "institution_saved") {
        const json& x = Need(j, "institution");
        Institution i;
        i.id = Str(x, "id");
        i.country = Str(x, "country");
        i.name = Str(x, "name");
        i.type = Str(x, "type");
        i.region = OptStr(x, "region");
        i.email = OptStr(x, "email");
        i.note = OptStr(x, "note");
        return InstitutionSaved{std::move(i), OptStr(j, "cycle")};
    }
    if (type == "request_saved")
        return RequestSaved{DecodeRequest(Need(j, "request"))};
    if (type == "recommendation_saved") {
        const json& x = Need(j, "recommendation");
        Recommendation r;
        r.id = Str(x, "id");
        r.cycle = Str(x, "cycle");
        r.source = Enum(x, "source", &ParseRecommendationSource);
        r.urgency = Enum(x, "urgency", &ParseUrgency);
        r.text = Str(x, "text");
        r.body = OptStr(x, "body");
        r.indicators = StrList(x, "indicators");
        r.institutions = StrList(x, "institutions");
        r.issued = OptDate(x, "issued");
        return RecommendationSaved{std::move(r)};
    }
    if (type == "followup_recorded") {
        const json& x = Need(j, "followup");
        Followup f;
        f.cycle = Str(x, "cycle");
        f.status = Enum(x, "status", &ParseFollowupStatus);
        f.evidence = OptStr(x, "evidence");
        f.url = OptStr(x, "url");
        f.note = OptStr(x, "note");
        return FollowupRecorded{Str(j, "recommendation"), std::move(f)};
    }
    if (type == "narrative_saved") {
        return NarrativeSaved{Str(j, "cycle"), Str(j, "section"), Str(j, "text")};
    }
    if (type == "case_data_accessed") {
        return CaseDataAccessed{Enum(j, "access", &ParseCaseAccess), Str(j, "what"),
                                Whole(j, "records")};
    }
    if (type == "cases_imported") {
        return CasesImported{Whole(j, "data_version"), Str(j, "files"), StrList(j, "partitions"),
                             Whole(j, "inserted"), Whole(j, "updated")};
    }
    throw DecodeError{fmt::format("unknown event type \"{}\"", type)};
}

}  // namespace

std::string_view Name(Transition v) {
    switch (v) {
        case Transition::kSubmit:
            return "submit";
        case Transition::kValidate:
            return "validate";
        case Transition::kReturn:
            return "return";
        case Transition::kReopen:
            return "reopen";
    }
    return "";
}

std::optional<Transition> ParseTransition(std::string_view text) {
    return core::ParseByName(text, kAllTransitions);
}

std::string_view Name(CaseAccess v) {
    switch (v) {
        case CaseAccess::kExport:
            return "export";
        case CaseAccess::kUnprotectedValues:
            return "unprotected_values";
    }
    return "";
}

std::optional<CaseAccess> ParseCaseAccess(std::string_view text) {
    return core::ParseByName(text, kAllCaseAccesses);
}

std::string_view TypeName(const Payload& p) {
    static constexpr std::string_view kNames[] = {
        "cycle_opened",         "cycle_published",   "cycle_reopened",    "value_entered",
        "values_moved",         "evidence_added",    "institution_saved", "request_saved",
        "recommendation_saved", "followup_recorded", "narrative_saved",   "case_data_accessed",
        "cases_imported"};
    static_assert(std::size(kNames) == std::variant_size_v<Payload>);
    return kNames[p.index()];
}

Result<std::string> EncodePayload(const Payload& p) {
    try {
        return EncodeJson(p).dump();
    } catch (const nlohmann::json::type_error&) {
        return Fail(Errc::kInvalidArgument,
                    "a text given is not valid UTF-8 (a file saved in another encoding, such as "
                    "Windows-1250?); give every text as UTF-8");
    }
}

Result<Payload> DecodePayload(std::string_view type, std::string_view text) {
    try {
        return DecodeJson(type, json::parse(text));
    } catch (const DecodeError& e) {
        return Fail(Errc::kDataLoss, fmt::format("stored event {}: {}", type, e.message));
    } catch (const std::exception& e) {
        return Fail(Errc::kDataLoss, fmt::format("stored event {}: {}", type, e.what()));
    }
}

}  // namespace rap::monitoring
