// SPDX-License-Identifier: AGPL-3.0-or-later
// Use cases of the monitoring cycle (app/monitoring.hpp): each change is built against the
// country's current state, checked by applying it to a copy, and stored as events.
#include "app/monitoring.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/files.hpp"
#include "core/text.hpp"
#include "engine/values.hpp"

namespace rap::app {

namespace mon = monitoring;

namespace {

// A change checked against a state that another writer changed meanwhile is checked again on the
// new state; people write at human speed, so a few attempts with a growing pause are plenty.
constexpr int kCommitAttempts = 8;

Result<std::pair<std::string, int>> SplitCycleId(const std::string& id) {
    const size_t dash = id.find('-');
    if (dash != 2 || id.size() != 7 || !std::isupper(static_cast<unsigned char>(id[0])) ||
        !std::isupper(static_cast<unsigned char>(id[1])) ||
        !std::all_of(id.begin() + 3, id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("\"{}\" is not a cycle id; a cycle is named by country and year, "
                                "e.g. RS-2025",
                                id));
    }
    return std::make_pair(id.substr(0, 2), std::stoi(id.substr(3)));
}

// "RS-2025-R01" -> "RS"
Result<std::string> CountryOfId(const std::string& id, std::string_view what) {
    if (id.size() < 8 || id[2] != '-' || !std::isupper(static_cast<unsigned char>(id[0])) ||
        !std::isupper(static_cast<unsigned char>(id[1]))) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("\"{}\" is not a {} id (e.g. RS-2025-R01)", id, what));
    }
    return id.substr(0, 2);
}

Result<mon::Event> ToEvent(const store::StoredEvent& s) {
    mon::Event e;
    e.seq = s.seq;
    e.at = s.at;
    e.actor = s.actor;
    e.country = s.country;
    e.payload = RAP_TRY(mon::DecodePayload(s.type, s.payload));
    return e;
}

// The folded state per database and country, brought up to date incrementally. An entry is
// trusted only while the event it ends with still has the same hash.
struct CachedState {
    std::shared_ptr<const mon::CountryState> state;
    std::string last_hash;
};
std::mutex cache_mu;
std::map<std::string, CachedState> cache;

Status CheckCountry(const Catalog& catalog, const std::string& country) {
    const auto& countries = catalog.data().countries;
    if (!countries || countries->Find(country) == nullptr) {
        std::string known;
        if (countries) {
            for (const auto& c : countries->countries) {
                known += known.empty() ? c.code : ", " + c.code;
            }
        }
        return Fail(Errc::kInvalidArgument,
                    fmt::format("unknown country \"{}\"; known: {}", country, known));
    }
    return {};
}

// The country given (checked), or every country when empty.
Result<std::vector<std::string>> CountriesOf(const Catalog& catalog, const std::string& country) {
    std::vector<std::string> out;
    if (!country.empty()) {
        RAP_TRY_STATUS(CheckCountry(catalog, country));
        out.push_back(country);
    } else if (catalog.data().countries) {
        for (const auto& c : catalog.data().countries->countries) {
            out.push_back(c.code);
        }
    }
    return out;
}

Result<std::shared_ptr<const mon::CountryState>> Load(store::Store& store, const Catalog& catalog,
                                                      const std::string& country) {
    const std::string key = store.target().ToDisplayString() + "\n" + country;
    CachedState cached;
    {
        std::lock_guard lock(cache_mu);
        auto it = cache.find(key);
        if (it != cache.end()) {
            cached = it->second;
        }
    }
    const mon::Context ctx = MonitoringContext(catalog);
    std::shared_ptr<mon::CountryState> state;
    std::vector<store::StoredEvent> events;
    if (cached.state && cached.state->last_seq() > 0) {
        events = RAP_TRY(store.LoadEvents(country, cached.state->last_seq() - 1));
        if (!events.empty() && events.front().seq == cached.state->last_seq() &&
            events.front().hash == cached.last_hash) {
            if (events.size() == 1) {
                return cached.state;
            }
            events.erase(events.begin());
            state = std::make_shared<mon::CountryState>(*cached.state);
        }
    }
    if (!state) {
        state = std::make_shared<mon::CountryState>(country);
        events = RAP_TRY(store.LoadEvents(country));
    }
    for (const auto& s : events) {
        // A row whose content no longer matches its hash was changed behind rapporteur's back;
        // showing it as data would show the tampered version.
        if (store::Store::EventHash(s) != s.hash) {
            return Fail(Errc::kDataLoss,
                        fmt::format("audit log event {} does not match its hash: the monitoring "
                                    "data of {} was changed outside rapporteur (run `rapporteur "
                                    "audit verify`)",
                                    s.seq, country));
        }
        auto e = ToEvent(s);
        if (!e) {
            return Fail(Errc::kDataLoss,
                        fmt::format("audit log event {}: {}", s.seq, e.error().message));
        }
        if (auto st = state->Apply(*e, ctx, mon::Checks::kNone); !st) {
            return Fail(Errc::kDataLoss, fmt::format("audit log event {} cannot be replayed: {}",
                                                     s.seq, st.error().message));
        }
    }
    std::shared_ptr<const mon::CountryState> result = state;
    if (!events.empty()) {
        std::lock_guard lock(cache_mu);
        cache[key] = CachedState{result, events.back().hash};
    }
    return result;
}

using Builder = std::function<Result<std::vector<mon::Payload>>(const mon::CountryState&)>;
using AfterCheck = std::function<Status(const mon::CountryState&)>;

// Builds events on the current state, checks them on a copy and stores them; on a concurrent
// change, starts again from the new state. Returns the state after the events.
Result<std::shared_ptr<const mon::CountryState>> Commit(store::Store& store, const Catalog& catalog,
                                                        const std::string& actor_given,
                                                        const std::string& country,
                                                        const Builder& build,
                                                        mon::Checks checks = mon::Checks::kAll,
                                                        const AfterCheck& after = {},
                                                        const std::vector<store::Attachment>& files = {}) {
    RAP_TRY_STATUS(CheckCountry(catalog, country));
    const std::string actor = RAP_TRY(PersonName(actor_given));
    const mon::Context ctx = MonitoringContext(catalog);
    for (int attempt = 1;; ++attempt) {
        auto current = RAP_TRY(Load(store, catalog, country));
        std::vector<mon::Payload> payloads = RAP_TRY(build(*current));
        if (payloads.empty()) {
            return current;
        }
        auto next = std::make_shared<mon::CountryState>(*current);
        const std::string at = core::NowUtcTimestamp();
        std::vector<store::NewEvent> rows;
        for (auto& p : payloads) {
            mon::Event e;
            e.at = at;
            e.actor = actor;
            e.country = country;
            e.payload = std::move(p);
            RAP_TRY_STATUS(next->Apply(e, ctx, checks));
            std::string payload = RAP_TRY(mon::EncodePayload(e.payload));
            rows.push_back(store::NewEvent{
                at, actor, country, std::string(mon::TypeName(e.payload)), std::move(payload)});
        }
        if (after) {
            RAP_TRY_STATUS(after(*next));
        }
        auto stored = store.AppendEvents(country, current->last_seq(), rows, files);
        if (!stored && stored.error().code == Errc::kConflict && attempt < kCommitAttempts) {
            thread_local std::minstd_rand jitter(std::random_device{}());
            std::this_thread::sleep_for(
                std::chrono::milliseconds(5 * attempt + static_cast<int>(jitter() % 20)));
            continue;
        }
        if (!stored) {
            return Fail(stored.error());
        }
        // The state right after these events (not reloaded: a reload could show someone
        // else's change made a moment later as this one's result).
        return std::shared_ptr<const mon::CountryState>(next);
    }
}

// The effective framework a cycle is pinned to, or null when that version is not loaded.
const framework::EffectiveFramework* FrameworkOf(const Catalog& catalog, const mon::Cycle& cycle) {
    auto eff = catalog.Effective(cycle.framework_id, cycle.framework_version);
    return eff ? *eff : nullptr;
}

// The same, kNotFound when that version is not loaded.
Result<const framework::EffectiveFramework*> PinnedFramework(const Catalog& catalog,
                                                             const mon::Cycle& cycle) {
    const auto* fw = FrameworkOf(catalog, cycle);
    if (fw == nullptr) {
        return Fail(Errc::kNotFound,
                    fmt::format("framework {} {} of {} is not loaded", cycle.framework_id,
                                cycle.framework_version, cycle.id));
    }
    return fw;
}

Result<const mon::CycleData*> FindCycle(const mon::CountryState& state, const std::string& id) {
    const mon::CycleData* data = state.FindCycle(id);
    if (data == nullptr) {
        return Fail(Errc::kNotFound, fmt::format("no cycle {}", id));
    }
    return data;
}

std::string NextId(std::string_view prefix, int taken) {
    return fmt::format("{}{:02}", prefix, taken + 1);
}

// The FOI rule at the institution a request went to: its country's, with the days off of the
// region the institution is seated in; nullptr when the country is not in the data.
const framework::FoiRule* FoiRuleFor(const Catalog& catalog, const mon::CountryState& state,
                                     const mon::InfoRequest& request) {
    const framework::Country* c = catalog.data().FindCountry(state.country());
    if (c == nullptr) {
        return nullptr;
    }
    auto inst = state.institutions().find(request.institution);
    return &c->FoiAt(inst == state.institutions().end() ? "" : inst->second.region);
}

// The same as a lookup (valid while `catalog` and `state` are).
mon::FoiRuleLookup RulesAt(const Catalog& catalog, const mon::CountryState& state) {
    return [&catalog, &state](const mon::InfoRequest& r) { return FoiRuleFor(catalog, state, r); };
}

bool MatchesIndicator(const std::string& filter, const std::string& code) {
    if (filter.empty() || filter == code) {
        return true;
    }
    return filter.find('.') == std::string::npos && code.rfind(filter + ".", 0) == 0;
}

CycleSummary Summarise(const mon::CountryState& state, const mon::CycleData& data,
                       const Catalog& catalog, core::Date today) {
    CycleSummary s;
    s.cycle = data.cycle;
    for (const auto& [key, h] : data.values) {
        ++s.values;
        ++s.values_by_state[std::string(mon::Name(h.current().state))];
    }
    for (const auto& [id, versions] : state.requests()) {
        if (versions.back().cycle != data.cycle.id) {
            continue;
        }
        ++s.requests;
        const framework::FoiRule* rule = FoiRuleFor(catalog, state, versions.back());
        if (rule != nullptr && mon::IsOverdue(*rule, versions.back(), today)) {
            ++s.overdue_requests;
        }
    }
    for (const auto& [id, rec] : state.recommendations()) {
        s.recommendations += rec.cycle == data.cycle.id ? 1 : 0;
    }
    return s;
}

// ---- derived values ------------------------------------------------------------------------

mon::ValueVersion DerivedVersion(const mon::Cycle& cycle, mon::ValueKey key, mon::Figure figure,
                                 mon::SourceType source) {
    mon::ValueVersion v;
    key.track = mon::Track::kDerived;
    v.key = std::move(key);
    v.version = 1;
    v.status = mon::ValueStatus::kProvided;
    v.figure = std::move(figure);
    v.source.type = source;
    v.state = cycle.state == mon::CycleState::kPublished ? mon::WorkflowState::kPublished
                                                         : mon::WorkflowState::kValidated;
    v.author = "rapporteur";
    v.changed_by = "rapporteur";
    v.change = "derived";
    return v;
}

Status AddCaseDerived(store::Store& store, const Catalog& catalog, const mon::Cycle& cycle,
                      const framework::EffectiveFramework& fw, std::vector<CycleValue>& out) {
    const auto values = RAP_TRY(QueryCountryYear(store, catalog, cycle.country, cycle.year, 1));
    for (const engine::Value& v : values) {
        const auto* ind = fw.Find(v.indicator);
        const auto* m = ind == nullptr ? nullptr : ind->indicator.FindMeasure(v.measure);
        if (m == nullptr) {
            continue;
        }
        mon::ValueKey key{v.indicator, v.measure, {}, mon::Track::kDerived};
        bool unrecorded = false;
        for (const auto& [dim, code] : v.by) {
            unrecorded |= code.empty();
            key.disaggregation.emplace_back(dim, code);
        }
        if (unrecorded) {
            continue;
        }
        std::sort(key.disaggregation.begin(), key.disaggregation.end());
        CycleValue cv;
        cv.derived_from = "case records (after disclosure control)";
        if (v.suppression != engine::Suppression::kShown) {
            mon::ValueVersion hidden =
                DerivedVersion(cycle, key, {}, mon::SourceType::kCaseRecords);
            hidden.figure.reset();
            hidden.status = mon::ValueStatus::kSuppressed;
            hidden.note = v.suppression == engine::Suppression::kPrimary
                              ? "hidden: small count (disclosure control)"
                              : "hidden so that a small count cannot be worked out (disclosure "
                                "control)";
            cv.current = std::move(hidden);
            out.push_back(std::move(cv));
            continue;
        }
        if (std::isnan(v.value)) {
            continue;
        }
        mon::Figure f;
        f.kind = m->kind;
        f.number = v.value;
        switch (m->kind) {
            case framework::ValueKind::kPCT:
            case framework::ValueKind::kRATE:
                f.numerator = v.numerator;
                f.denominator = v.denominator;
                break;
            case framework::ValueKind::kMED:
                f.n = static_cast<double>(v.records);
                if (!std::isnan(v.p90)) {
                    f.p90 = v.p90;
                }
                break;
            case framework::ValueKind::kAMT:
                f.amount = v.value;
                f.currency = "EUR";
                f.eur_rate = 1;
                break;
            default:
                break;
        }
        cv.current = DerivedVersion(cycle, key, std::move(f), mon::SourceType::kCaseRecords);
        out.push_back(std::move(cv));
    }
    return {};
}

void AddShare(std::vector<CycleValue>& out, const mon::Cycle& cycle,
              const framework::EffectiveFramework& fw, const std::string& indicator,
              const std::string& measure, mon::Disaggregation by, double numerator,
              double denominator, const std::string& from) {
    const auto* ind = fw.Find(indicator);
    if (ind == nullptr || ind->indicator.FindMeasure(measure) == nullptr || denominator <= 0 ||
        ind->comparability == framework::Comparability::kNotApplicable) {
        return;
    }
    mon::Figure f;
    f.kind = framework::ValueKind::kPCT;
    f.numerator = numerator;
    f.denominator = denominator;
    f.number = 100.0 * numerator / denominator;
    CycleValue cv;
    cv.current = DerivedVersion(cycle, {indicator, measure, std::move(by), mon::Track::kDerived},
                                std::move(f), mon::SourceType::kRegister);
    cv.derived_from = from;
    out.push_back(std::move(cv));
}

// The day the register is read on for a cycle's DP.5-DP.8: the day it was last published (so that
// published figures do not move), today while it is open.
core::Date RegisterAsOf(const mon::Cycle& cycle) {
    if (cycle.state == mon::CycleState::kPublished) {
        if (auto d = core::Date::Parse(std::string_view(cycle.published_at).substr(0, 10))) {
            return *d;
        }
    }
    return core::Date::Today();
}

void AddRegisterDerived(const mon::CountryState& state, const Catalog& catalog,
                        const mon::Cycle& cycle, const framework::EffectiveFramework& fw,
                        std::vector<CycleValue>& out) {
    // Grouped by institution type, the INST dimension of DP.5-DP.8; each request under the rule
    // at its institution.
    std::vector<mon::InfoRequest> requests;
    std::map<std::string, const framework::FoiRule*, std::less<>> rule_of;  // by request id
    for (const auto& [id, versions] : state.requests()) {
        if (versions.back().cycle != cycle.id) {
            continue;
        }
        mon::InfoRequest r = versions.back();
        rule_of[r.id] = FoiRuleFor(catalog, state, r);
        auto inst = state.institutions().find(r.institution);
        r.institution = inst == state.institutions().end() ? "other" : inst->second.type;
        requests.push_back(std::move(r));
    }
    if (requests.empty()) {
        return;
    }
    const std::string from = "information request register";
    auto figures = mon::ComputeRegisterFigures(
        [&](const mon::InfoRequest& r) { return rule_of.at(r.id); }, requests,
        RegisterAsOf(cycle));
    if (!figures) {
        return;  // the country has no FOI rule
    }
    for (const auto& f : *figures) {
        mon::Disaggregation by;
        if (!f.institution.empty()) {
            by.emplace_back("INST", f.institution);
        }
        AddShare(out, cycle, fw, "DP.5", "value", by, static_cast<double>(f.dp5_numerator),
                 static_cast<double>(f.dp5_denominator), from);
        AddShare(out, cycle, fw, "DP.6", "value", by, static_cast<double>(f.dp6_numerator),
                 static_cast<double>(f.dp6_denominator), from);
        const auto* dp7 = fw.Find("DP.7");
        if (dp7 != nullptr && f.dp7_n > 0 && f.dp7_median && dp7->indicator.FindMeasure("value")) {
            mon::Figure m;
            m.kind = framework::ValueKind::kMED;
            m.n = static_cast<double>(f.dp7_n);
            m.number = *f.dp7_median;
            m.p90 = f.dp7_p90;
            CycleValue cv;
            cv.current = DerivedVersion(cycle, {"DP.7", "value", by, mon::Track::kDerived},
                                        std::move(m), mon::SourceType::kRegister);
            cv.derived_from = from;
            out.push_back(std::move(cv));
        }
        const auto* dp8 = fw.Find("DP.8");
        if (dp8 != nullptr && dp8->indicator.FindMeasure("complaints")) {
            mon::Figure n;
            n.kind = framework::ValueKind::kNUM;
            n.number = static_cast<double>(f.dp8_complaints);
            CycleValue cv;
            cv.current = DerivedVersion(cycle, {"DP.8", "complaints", by, mon::Track::kDerived},
                                        std::move(n), mon::SourceType::kRegister);
            cv.derived_from = from;
            out.push_back(std::move(cv));
        }
        AddShare(out, cycle, fw, "DP.8", "resolved_in_favour_share", by,
                 static_cast<double>(f.dp8_favourable), static_cast<double>(f.dp8_decided), from);
    }
}

void AddRecommendationDerived(const mon::CountryState& state, const mon::Cycle& cycle,
                              const framework::EffectiveFramework& fw,
                              std::vector<CycleValue>& out) {
    // IC.8: of the GRETA and Committee of the Parties recommendations made before this cycle, the
    // share whose latest follow-up up to this cycle says implemented (one never followed up counts
    // as not implemented), in total and by urgency.
    std::map<std::string, std::pair<double, double>> by_urgency;
    for (const auto& [id, rec] : state.recommendations()) {
        const mon::CycleData* origin = state.FindCycle(rec.cycle);
        if ((rec.source != mon::RecommendationSource::kGreta &&
             rec.source != mon::RecommendationSource::kCommitteeOfParties) ||
            origin == nullptr || origin->cycle.year >= cycle.year) {
            continue;
        }
        const mon::Followup* latest = nullptr;
        int latest_year = 0;
        for (const auto& f : rec.followups) {
            const mon::CycleData* c = state.FindCycle(f.cycle);
            if (c != nullptr && c->cycle.year <= cycle.year && c->cycle.year >= latest_year) {
                latest = &f;
                latest_year = c->cycle.year;
            }
        }
        const double implemented =
            latest != nullptr && latest->status == mon::FollowupStatus::kImplemented ? 1 : 0;
        for (const std::string& group : {std::string(), std::string(mon::Name(rec.urgency))}) {
            by_urgency[group].first += implemented;
            by_urgency[group].second += 1;
        }
    }
    for (const auto& [urgency, counts] : by_urgency) {
        mon::Disaggregation by;
        if (!urgency.empty()) {
            by.emplace_back("URG", urgency);
        }
        AddShare(out, cycle, fw, "IC.8", "value", std::move(by), counts.first, counts.second,
                 "recommendation follow-up");
    }
}

std::string Shown(const mon::Figure& f) {
    if (f.answer) {
        return std::string(mon::Name(*f.answer));
    }
    if (f.score) {
        return fmt::format("score {}", *f.score);
    }
    if (f.number) {
        return fmt::format("{:.6g}", *f.number);
    }
    return "-";
}

bool SameFigure(const mon::Figure& a, const mon::Figure& b) {
    return a.answer == b.answer && a.score == b.score && mon::SameNumber(a.number, b.number);
}

void MarkDisagreements(std::vector<CycleValue>& values) {
    std::map<mon::ValueKey, CycleValue*> index;
    for (auto& v : values) {
        index[v.current.key] = &v;
    }
    for (auto& v : values) {
        const auto& k = v.current.key;
        if (k.track == mon::Track::kDerived || !v.current.figure) {
            continue;
        }
        mon::ValueKey other = k;
        other.track = k.track == mon::Track::kOfficial ? mon::Track::kCso : mon::Track::kOfficial;
        auto it = index.find(other);
        if (it == index.end() || !it->second->current.figure) {
            continue;
        }
        if (!SameFigure(*v.current.figure, *it->second->current.figure)) {
            v.disagreement = fmt::format("the {} figure is {}", mon::Name(other.track),
                                         Shown(*it->second->current.figure));
        }
    }
}

Result<std::vector<CycleValue>> CollectValues(store::Store& store, const Catalog& catalog,
                                              const mon::CountryState& state,
                                              const mon::CycleData& data, bool derived) {
    std::vector<CycleValue> out;
    for (const auto& [key, h] : data.values) {
        CycleValue cv;
        cv.current = h.current();
        cv.evidence = h.evidence;
        out.push_back(std::move(cv));
    }
    if (derived) {
        const auto* fw = FrameworkOf(catalog, data.cycle);
        if (fw != nullptr) {
            RAP_TRY_STATUS(AddCaseDerived(store, catalog, data.cycle, *fw, out));
            AddRegisterDerived(state, catalog, data.cycle, *fw, out);
            AddRecommendationDerived(state, data.cycle, *fw, out);
        }
    }
    MarkDisagreements(out);
    return out;
}

}  // namespace

Result<LoadedCycle> LoadCycle(store::Store& store, const Catalog& catalog,
                              const std::string& cycle) {
    auto [country, year] = RAP_TRY(SplitCycleId(cycle));
    LoadedCycle out;
    out.state = RAP_TRY(LoadMonitoring(store, catalog, country));
    out.data = RAP_TRY(FindCycle(*out.state, cycle));
    return out;
}

monitoring::Context MonitoringContext(const Catalog& catalog) {
    mon::Context ctx;
    ctx.data = &catalog.data();
    ctx.framework = [&catalog](std::string_view id,
                               std::string_view version) -> const framework::EffectiveFramework* {
        auto eff = catalog.Effective(id, version);
        return eff ? *eff : nullptr;
    };
    return ctx;
}

Result<std::string> PersonName(const std::string& given) {
    const std::string name(core::TrimAscii(given));
    if (name.empty()) {
        return Fail(Errc::kInvalidArgument, "every change names who makes it (a user name)");
    }
    if (core::FindInvalidUtf8(name) ||
        std::any_of(name.begin(), name.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }) ||
        name.size() > 100) {
        return Fail(Errc::kInvalidArgument,
                    "a user name is at most 100 bytes of UTF-8 text without control characters");
    }
    return name;
}

namespace {

// A file ready to be stored with what it is attached to: its name checked, named by the SHA-256
// of its content.
Result<store::Attachment> NewAttachment(const std::string& actor, const std::string& file_name,
                                        std::string content) {
    if (content.size() > kMaxAttachmentBytes) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("the file is {} bytes; at most {} MiB can be attached",
                                content.size(), kMaxAttachmentBytes >> 20U));
    }
    const bool plain = !file_name.empty() && file_name.size() <= 255 && file_name != "." &&
                       file_name != ".." && !core::FindInvalidUtf8(file_name) &&
                       std::none_of(file_name.begin(), file_name.end(), [](char c) {
                           return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
                                  c == 0x7f;
                       });
    if (!plain) {
        return Fail(Errc::kInvalidArgument,
                    "the file needs a plain name (such as reply.pdf): not empty, no directory, "
                    "no control characters, UTF-8, at most 255 bytes",
                    Location{.field = "name"});
    }
    store::Attachment a;
    a.sha256 = core::Sha256Hex(content);
    a.content = std::move(content);
    a.file_name = file_name;
    a.media_type = "application/octet-stream";
    a.added_at = core::NowUtcTimestamp();
    a.added_by = RAP_TRY(PersonName(actor));
    return a;
}

// The file at `path` (at most kMaxAttachmentBytes), ready to be stored.
Result<store::Attachment> ReadAttachment(const std::string& actor, const std::string& path) {
    std::string content = RAP_TRY(core::ReadFile(path, kMaxAttachmentBytes));
    return NewAttachment(actor, std::filesystem::path(path).filename().string(),
                         std::move(content));
}

}  // namespace

Result<std::string> StoreAttachmentBytes(store::Store& store, const std::string& actor,
                                         const std::string& file_name, std::string content) {
    return store.SaveAttachment(RAP_TRY(NewAttachment(actor, file_name, std::move(content))));
}

Result<std::shared_ptr<const monitoring::CountryState>> LoadMonitoring(store::Store& store,
                                                                       const Catalog& catalog,
                                                                       std::string_view country) {
    const std::string c(country);
    RAP_TRY_STATUS(CheckCountry(catalog, c));
    return Load(store, catalog, c);
}

// ---- cycles ----------------------------------------------------------------------------------

Result<monitoring::Cycle> OpenCycle(store::Store& store, const Catalog& catalog,
                                    const std::string& actor, const std::string& country, int year,
                                    std::optional<int> from_year) {
    RAP_TRY_STATUS(CheckCountry(catalog, country));
    const int this_year = core::Date::Today().year();
    if (year < 2000 || year > this_year + 1) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("year {} is not between 2000 and {}", year, this_year + 1));
    }
    if (from_year && *from_year >= year) {
        return Fail(
            Errc::kInvalidArgument,
            fmt::format("a cycle is carried over from an earlier year, not {}", *from_year));
    }
    const framework::Framework* national = RAP_TRY(catalog.data().NationalFrameworkOf(country));
    const framework::EffectiveFramework* eff =
        RAP_TRY(catalog.Effective(national->id, national->version));
    const std::string id = mon::CycleId(country, year);
    auto state = RAP_TRY(Commit(
        store, catalog, actor, country,
        [&](const mon::CountryState& s) -> Result<std::vector<mon::Payload>> {
            mon::Cycle c;
            c.id = id;
            c.country = country;
            c.year = year;
            c.framework_id = eff->id;
            c.framework_version = eff->version;
            c.core_id = eff->chain.front().first;
            c.core_version = eff->chain.front().second;
            std::vector<mon::Payload> out;
            const mon::CycleData* from = nullptr;
            if (from_year) {
                from = s.FindCycle(mon::CycleId(country, *from_year));
                if (from == nullptr) {
                    return Fail(Errc::kNotFound, fmt::format("no cycle {} to carry over from",
                                                             mon::CycleId(country, *from_year)));
                }
                c.cloned_from = from->cycle.id;
                c.institutions = from->cycle.institutions;
            }
            out.emplace_back(mon::CycleOpened{c});
            if (from != nullptr) {
                int n = 0;
                for (const auto& [rid, versions] : s.requests()) {
                    if (versions.back().cycle != from->cycle.id) {
                        continue;
                    }
                    const mon::InfoRequest& old = versions.back();
                    mon::InfoRequest r;
                    r.id = NextId(id + "-R", n++);
                    r.cycle = id;
                    r.institution = old.institution;
                    r.channel = old.channel;
                    for (const auto& item : old.items) {
                        if (eff->Find(item.indicator) == nullptr) {
                            continue;
                        }
                        mon::RequestItem copy = item;
                        copy.outcome = mon::ItemOutcome::kPending;
                        copy.period = std::to_string(year);
                        // Items asked for several periods last year are one item this year.
                        const bool repeated =
                            std::any_of(r.items.begin(), r.items.end(), [&](const auto& i) {
                                return i.indicator == copy.indicator &&
                                       i.disaggregation == copy.disaggregation;
                            });
                        if (!repeated) {
                            r.items.push_back(std::move(copy));
                        }
                    }
                    r.note = fmt::format("carried over from {}", old.id);
                    if (!r.items.empty()) {
                        out.emplace_back(mon::RequestSaved{std::move(r)});
                    }
                }
                for (const auto& [section, versions] : from->narratives) {
                    out.emplace_back(mon::NarrativeSaved{id, section, versions.back().text});
                }
            }
            return out;
        }));
    return state->FindCycle(id)->cycle;
}

Result<std::vector<CycleSummary>> ListCycles(store::Store& store, const Catalog& catalog,
                                             const std::string& country) {
    const std::vector<std::string> countries = RAP_TRY(CountriesOf(catalog, country));
    std::vector<CycleSummary> out;
    const core::Date today = core::Date::Today();
    for (const auto& c : countries) {
        auto state = RAP_TRY(Load(store, catalog, c));
        for (const auto& [id, data] : state->cycles()) {
            out.push_back(Summarise(*state, data, catalog, today));
        }
    }
    return out;
}

Result<CycleSummary> GetCycle(store::Store& store, const Catalog& catalog,
                              const std::string& cycle) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const mon::CountryState* state = loaded.state.get();
    const mon::CycleData* data = loaded.data;
    return Summarise(*state, *data, catalog, core::Date::Today());
}

Status PublishCycle(store::Store& store, const Catalog& catalog, const std::string& actor,
                    const std::string& cycle) {
    auto [country, year] = RAP_TRY(SplitCycleId(cycle));
    RAP_TRY(Commit(store, catalog, actor, country,
                   [&](const mon::CountryState&) -> Result<std::vector<mon::Payload>> {
                       return std::vector<mon::Payload>{mon::CyclePublished{cycle}};
                   }));
    return {};
}

Status ReopenCycle(store::Store& store, const Catalog& catalog, const std::string& actor,
                   const std::string& cycle, const std::string& reason) {
    auto [country, year] = RAP_TRY(SplitCycleId(cycle));
    RAP_TRY(Commit(store, catalog, actor, country,
                   [&](const mon::CountryState&) -> Result<std::vector<mon::Payload>> {
                       return std::vector<mon::Payload>{mon::CycleReopened{cycle, reason}};
                   }));
    return {};
}

// ---- values ----------------------------------------------------------------------------------

std::string_view RegisterSourceOf(const framework::Indicator& indicator) {
    if (indicator.code == "IC.8") {
        return "the recommendations' follow-up";
    }
    if (std::find(indicator.sources.begin(), indicator.sources.end(), "TOOL") !=
        indicator.sources.end()) {
        return "the information-request register";
    }
    return {};
}

Status CheckNotRegisterDerived(const framework::EffectiveFramework& fw,
                               const mon::ValueKey& key) {
    if (key.track != mon::Track::kCso) {
        return Ok();
    }
    const auto* ind = fw.Find(key.indicator);
    const std::string_view from = ind == nullptr ? "" : RegisterSourceOf(ind->indicator);
    if (from.empty()) {
        return Ok();
    }
    return Fail(Errc::kInvalidArgument,
                fmt::format("{}: rapporteur derives {} from {}, so its CSO figure is never typed; "
                            "keep the register up to date instead (an official figure may be "
                            "entered beside it)",
                            mon::ToString(key), key.indicator, from),
                Location{.field = "track"});
}

namespace {

// A derived value is computed afresh from case records or registers whenever it is read: it has
// no versions and no evidence of its own.
Status CheckNotDerivedTrack(const mon::ValueKey& key, std::string_view what) {
    if (key.track != mon::Track::kDerived) {
        return Ok();
    }
    return Fail(Errc::kInvalidArgument,
                fmt::format("{}: a derived value {}: it is computed afresh from case records or "
                            "registers whenever it is read (`value list` says from what); use "
                            "the official or cso track",
                            mon::ToString(key), what),
                Location{.field = "track"});
}

}  // namespace

Result<std::vector<monitoring::ValueVersion>> EnterValues(store::Store& store,
                                                          const Catalog& catalog,
                                                          const std::string& actor,
                                                          const std::string& cycle,
                                                          const std::vector<ValueInput>& values) {
    auto [country, year] = RAP_TRY(SplitCycleId(cycle));
    if (values.empty()) {
        return Fail(Errc::kInvalidArgument, "no values given");
    }
    std::vector<mon::ValueKey> keys;
    for (const auto& v : values) {
        keys.push_back(v.key);
    }
    const mon::Context ctx = MonitoringContext(catalog);
    auto entered = [&](const mon::CountryState& s) -> Result<std::vector<mon::Payload>> {
        const mon::CycleData* data = RAP_TRY(FindCycle(s, cycle));
        const framework::EffectiveFramework* fw = RAP_TRY(PinnedFramework(catalog, data->cycle));
        std::vector<mon::Payload> out;
        for (const auto& v : values) {
            RAP_TRY_STATUS(CheckNotRegisterDerived(*fw, v.key));
            out.emplace_back(mon::ValueEntered{cycle, v.key, v.status, v.figure, v.source, v.note});
        }
        return out;
    };
    auto state = RAP_TRY(Commit(
        store, catalog, actor, country, entered, mon::Checks::kNoRules,
        [&](const mon::CountryState& next) { return next.CheckRules(cycle, keys, ctx); }));
    std::vector<mon::ValueVersion> out;
    const mon::CycleData* data = RAP_TRY(FindCycle(*state, cycle));
    for (const auto& k : keys) {
        auto it = data->values.find(k);
        if (it != data->values.end()) {
            out.push_back(it->second.current());
        }
    }
    return out;
}

Result<MovedValues> MoveValues(store::Store& store, const Catalog& catalog,
                               const std::string& actor, const std::string& cycle,
                               monitoring::Transition transition, const ValueSelection& selection,
                               const std::string& comment) {
    auto [country, year] = RAP_TRY(SplitCycleId(cycle));
    MovedValues result;
    RAP_TRY(Commit(
        store, catalog, actor, country,
        [&](const mon::CountryState& s) -> Result<std::vector<mon::Payload>> {
            const mon::CycleData* data = s.FindCycle(cycle);
            if (data == nullptr) {
                return Fail(Errc::kNotFound, fmt::format("no cycle {}", cycle));
            }
            mon::ValuesMoved p{cycle, transition, selection.keys, selection.versions, comment};
            result = MovedValues{};  // a retry on a newer state starts afresh
            int& own = result.left_own;
            int& returned = result.left_returned;
            if (p.keys.empty()) {
                for (const auto& [key, h] : data->values) {
                    if (mon::CanMove(transition, h.current().state) &&
                        MatchesIndicator(selection.indicator, key.indicator) &&
                        (!selection.track || *selection.track == key.track)) {
                        // Validating by filter leaves one's own values to another reviewer.
                        if (transition == mon::Transition::kValidate &&
                            mon::SamePerson(h.current().author, actor)) {
                            ++own;
                            continue;
                        }
                        // A returned value goes back only corrected, or named with an answer.
                        if (transition == mon::Transition::kSubmit &&
                            h.current().state == mon::WorkflowState::kReturned &&
                            core::IsBlank(comment)) {
                            ++returned;
                            continue;
                        }
                        p.keys.push_back(key);
                    }
                }
                if (p.keys.empty() && own > 0) {
                    return Fail(
                        Errc::kPermissionDenied,
                        fmt::format(
                            "every submitted value of {}{} was entered by {}; a "
                            "reviewer who is not its author must validate it",
                            cycle,
                            selection.indicator.empty() ? "" : " matching " + selection.indicator,
                            actor));
                }
                if (p.keys.empty() && returned > 0) {
                    return Fail(Errc::kFailedPrecondition,
                                fmt::format("the {} value{} that could be submitted {} "
                                            "returned by a reviewer; correct {} (value set), "
                                            "or submit {} by name with a comment that answers "
                                            "the reviewer",
                                            returned, returned == 1 ? "" : "s",
                                            returned == 1 ? "was" : "were",
                                            returned == 1 ? "it" : "them",
                                            returned == 1 ? "it" : "each"));
                }
                if (p.keys.empty()) {
                    return Fail(
                        Errc::kNotFound,
                        fmt::format(
                            "no value of {}{} can be {}", cycle,
                            selection.indicator.empty() ? "" : " matching " + selection.indicator,
                            mon::PastTense(transition)));
                }
            }
            result.moved = static_cast<int>(p.keys.size());
            return std::vector<mon::Payload>{std::move(p)};
        }));
    return result;
}

Result<std::vector<CycleValue>> ListValues(store::Store& store, const Catalog& catalog,
                                           const std::string& cycle, const ValueFilter& filter) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const mon::CountryState* state = loaded.state.get();
    const mon::CycleData* data = loaded.data;
    if (!filter.indicator.empty()) {
        // An unknown code is a mistake to say, not an empty list that looks like no data.
        const framework::EffectiveFramework* fw = RAP_TRY(PinnedFramework(catalog, data->cycle));
        const bool is_area = std::any_of(fw->areas.begin(), fw->areas.end(), [&](const auto& a) {
            return a.code == filter.indicator;
        });
        if (!is_area && fw->Find(filter.indicator) == nullptr) {
            return Fail(Errc::kNotFound,
                        fmt::format("no indicator or area '{}' in the framework of {} ({} {}); "
                                    "codes look like LF.4, areas like LF",
                                    filter.indicator, cycle, fw->id, fw->version),
                        Location{.field = "indicator"});
        }
    }
    std::vector<CycleValue> all =
        RAP_TRY(CollectValues(store, catalog, *state, *data, filter.derived));
    std::erase_if(all, [&](const CycleValue& v) {
        return !MatchesIndicator(filter.indicator, v.current.key.indicator) ||
               (filter.track && *filter.track != v.current.key.track) ||
               (filter.state && *filter.state != v.current.state);
    });
    std::sort(all.begin(), all.end(), [](const CycleValue& a, const CycleValue& b) {
        return a.current.key < b.current.key;
    });
    return all;
}

Result<monitoring::ValueHistory> GetValueHistory(store::Store& store, const Catalog& catalog,
                                                 const std::string& cycle,
                                                 const monitoring::ValueKey& key) {
    RAP_TRY_STATUS(CheckNotDerivedTrack(key, "has no versions"));
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    auto it = loaded.data->values.find(key);
    if (it == loaded.data->values.end()) {
        return Fail(Errc::kNotFound,
                    fmt::format("cycle {} has no value {}", cycle, mon::ToString(key)));
    }
    return it->second;
}

Result<monitoring::Evidence> AddEvidence(store::Store& store, const Catalog& catalog,
                                         const std::string& actor, const std::string& cycle,
                                         const monitoring::ValueKey& key,
                                         monitoring::Evidence evidence, const std::string& file) {
    RAP_TRY_STATUS(CheckNotDerivedTrack(key, "takes no evidence"));
    auto [country, year] = RAP_TRY(SplitCycleId(cycle));
    if (file.empty() && !evidence.file_sha256.empty()) {
        const store::Attachment stored = RAP_TRY(GetAttachment(store, evidence.file_sha256));
        if (evidence.file_name.empty()) {
            evidence.file_name = stored.file_name;
        }
    }
    // The file is stored with the event, in one transaction.
    std::vector<store::Attachment> files;
    if (!file.empty()) {
        files.push_back(RAP_TRY(ReadAttachment(actor, file)));
        evidence.file_sha256 = files.back().sha256;
        evidence.file_name = files.back().file_name;
        if (evidence.type == mon::EvidenceType::kReport && evidence.url.empty()) {
            evidence.type = mon::EvidenceType::kFile;
        }
    }
    auto state = RAP_TRY(
        Commit(store, catalog, actor, country,
               [&](const mon::CountryState&) -> Result<std::vector<mon::Payload>> {
                   return std::vector<mon::Payload>{mon::EvidenceAdded{cycle, key, evidence}};
               },
               mon::Checks::kAll, {}, files));
    const mon::CycleData* data = RAP_TRY(FindCycle(*state, cycle));
    return data->values.at(key).evidence.back();
}

// ---- completeness ----------------------------------------------------------------------------

Result<CycleCompleteness> CompletenessOf(store::Store& store, const Catalog& catalog,
                                         const std::string& cycle) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const mon::CycleData* data = loaded.data;
    const framework::EffectiveFramework* fw = RAP_TRY(PinnedFramework(catalog, data->cycle));
    // Per indicator: whether any value carries a figure, and whether any says why not.
    struct Seen {
        bool figure = false;
        bool explained = false;
        bool not_applicable = false;
    };
    std::map<std::string, Seen, std::less<>> seen;
    for (const auto& v : RAP_TRY(CollectValues(store, catalog, *loaded.state, *data, true))) {
        Seen& s = seen[v.current.key.indicator];
        const mon::ValueStatus status = v.current.status;
        // A figure hidden by disclosure control is a figure all the same.
        s.figure = s.figure || mon::CarriesFigure(status) ||
                   status == mon::ValueStatus::kSuppressed;
        s.not_applicable = s.not_applicable || status == mon::ValueStatus::kNotApplicable;
        s.explained = s.explained || (!mon::CarriesFigure(status) &&
                                      status != mon::ValueStatus::kNotApplicable);
    }
    CycleCompleteness out;
    out.cycle = cycle;
    for (const auto& area : fw->areas) {
        out.areas.push_back(Completeness{.area = area.code});
    }
    for (const auto& e : fw->indicators) {
        const std::string& code = e.indicator.code;
        auto area = std::find_if(out.areas.begin(), out.areas.end(), [&](const Completeness& c) {
            return c.area == e.indicator.area;
        });
        if (area == out.areas.end()) {
            out.areas.push_back(Completeness{.area = e.indicator.area});
            area = out.areas.end() - 1;
        }
        auto it = seen.find(code);
        const Seen s = it == seen.end() ? Seen{} : it->second;
        std::vector<std::string> Completeness::*list = &Completeness::missing;
        if (e.comparability == framework::Comparability::kNotApplicable) {
            list = &Completeness::not_applicable;
        } else if (s.figure) {
            list = &Completeness::with_figure;
        } else if (s.explained) {
            list = &Completeness::explained;
        } else if (s.not_applicable) {
            list = &Completeness::not_applicable;
        }
        ((*area).*list).push_back(code);
        (out.total.*list).push_back(code);
    }
    return out;
}

Result<CycleChecks> CheckAgainstPreviousYear(store::Store& store, const Catalog& catalog,
                                             const std::string& cycle) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const mon::Cycle& c = loaded.data->cycle;
    CycleChecks out;
    out.cycle = cycle;
    const mon::CycleData* before = loaded.state->FindCycle(mon::CycleId(c.country, c.year - 1));
    if (before == nullptr) {
        return out;
    }
    out.previous_cycle = before->cycle.id;
    auto versions = [&](const mon::CycleData& data) -> Result<std::vector<mon::ValueVersion>> {
        std::vector<mon::ValueVersion> list;
        for (auto& v : RAP_TRY(CollectValues(store, catalog, *loaded.state, data, true))) {
            list.push_back(std::move(v.current));
        }
        std::sort(list.begin(), list.end(), [](const mon::ValueVersion& a,
                                               const mon::ValueVersion& b) { return a.key < b.key; });
        return list;
    };
    out.flags = mon::CompareWithPreviousYear(RAP_TRY(versions(*before)),
                                             RAP_TRY(versions(*loaded.data)));
    return out;
}

// ---- scores ----------------------------------------------------------------------------------

Result<monitoring::CycleScores> ScoreCycle(store::Store& store, const Catalog& catalog,
                                           const std::string& cycle) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const mon::CountryState* state = loaded.state.get();
    const mon::CycleData* data = loaded.data;
    const framework::EffectiveFramework* fw = RAP_TRY(PinnedFramework(catalog, data->cycle));
    auto values = RAP_TRY(CollectValues(store, catalog, *state, *data, true));
    std::vector<mon::ValueVersion> current;
    for (auto& v : values) {
        current.push_back(std::move(v.current));
    }
    return mon::ScoreCycle(*fw, current);
}

Result<monitoring::RegionalFigure> CompareIndicator(store::Store& store, const Catalog& catalog,
                                                    const std::string& indicator,
                                                    const std::string& measure, int year) {
    const framework::Framework* core_fw = catalog.data().Core();
    if (core_fw == nullptr) {
        return Fail(Errc::kFailedPrecondition, "no core framework is loaded");
    }
    const framework::EffectiveFramework* core_eff = RAP_TRY(catalog.Effective(core_fw->id));
    const framework::EffectiveIndicator* core_ind = core_eff->Find(indicator);
    if (core_ind == nullptr) {
        return Fail(Errc::kNotFound,
                    fmt::format("the regional core has no indicator {}; national indicators are "
                                "not compared across countries",
                                indicator));
    }
    const framework::Measure* m = measure.empty() ? &core_ind->indicator.measures.front()
                                                  : core_ind->indicator.FindMeasure(measure);
    if (m == nullptr) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("{} has no measure {}", indicator, measure));
    }
    std::vector<mon::CountryInput> inputs;
    const auto& tracks = core_eff->scoring.tracks;
    if (!catalog.data().countries) {
        return Fail(Errc::kFailedPrecondition, "no countries file is loaded");
    }
    int cycles = 0;
    for (const auto& country : catalog.data().countries->countries) {
        mon::CountryInput in;
        in.country = country.code;
        auto pop = country.population.by_year.find(year);
        if (pop != country.population.by_year.end()) {
            in.population = pop->second;
        }
        auto state = RAP_TRY(Load(store, catalog, country.code));
        const mon::CycleData* data = state->FindCycle(mon::CycleId(country.code, year));
        const framework::EffectiveFramework* fw = nullptr;
        if (data != nullptr) {
            ++cycles;
            fw = FrameworkOf(catalog, data->cycle);
        } else {
            in.no_cycle = mon::CycleId(country.code, year);
            auto eff = catalog.EffectiveForCountry(country.code);
            fw = eff ? *eff : nullptr;
        }
        in.indicator = fw == nullptr ? nullptr : fw->Find(indicator);
        if (data != nullptr) {
            auto values = RAP_TRY(CollectValues(store, catalog, *state, *data, true));
            // The first track of the scoring order whose figure has what the comparison needs
            // (a share's counts, a rate's count), so that a bare percentage does not hide a
            // complete figure of another track.
            auto usable = [&](const mon::ValueVersion& v) {
                if (!v.figure) {
                    return false;
                }
                if (m->kind == framework::ValueKind::kPCT) {
                    return v.figure->numerator && v.figure->denominator;
                }
                if (m->kind == framework::ValueKind::kRATE) {
                    return v.figure->numerator.has_value();
                }
                return true;
            };
            // The total of `indicator`/`m` on the first track of the scoring order that has one
            // passing `accept`.
            auto pick = [&](const auto& accept) -> std::optional<mon::ValueVersion> {
                for (const auto& track : tracks) {
                    const auto t = mon::ParseTrack(track);
                    auto it = std::find_if(values.begin(), values.end(), [&](const CycleValue& v) {
                        const auto& k = v.current.key;
                        return t && k.track == *t && k.indicator == indicator &&
                               k.measure == m->id && k.disaggregation.empty() && accept(v.current);
                    });
                    if (it != values.end()) {
                        return it->current;
                    }
                }
                return std::nullopt;
            };
            in.value = pick(usable);
            if (!in.value) {
                // None complete: the first present, so that its status says why it is left out.
                in.value = pick([](const mon::ValueVersion&) { return true; });
            }
        }
        inputs.push_back(std::move(in));
    }
    if (cycles == 0) {
        return Fail(Errc::kNotFound,
                    fmt::format("no country has a monitoring cycle of {} to compare", year));
    }
    return mon::CompareCountries(indicator, m->id, m->kind, inputs);
}

// ---- institutions and requests -----------------------------------------------------------------

Status SaveInstitution(store::Store& store, const Catalog& catalog, const std::string& actor,
                       const monitoring::Institution& institution, const std::string& cycle) {
    RAP_TRY(Commit(store, catalog, actor, institution.country,
                   [&](const mon::CountryState&) -> Result<std::vector<mon::Payload>> {
                       return std::vector<mon::Payload>{mon::InstitutionSaved{institution, cycle}};
                   }));
    return {};
}

Result<std::vector<monitoring::Institution>> ListInstitutions(store::Store& store,
                                                              const Catalog& catalog,
                                                              const std::string& country) {
    auto state = RAP_TRY(LoadMonitoring(store, catalog, country));
    std::vector<mon::Institution> out;
    for (const auto& [id, inst] : state->institutions()) {
        out.push_back(inst);
    }
    return out;
}

Result<monitoring::InfoRequest> SaveRequest(store::Store& store, const Catalog& catalog,
                                            const std::string& actor,
                                            monitoring::InfoRequest request,
                                            const std::string& file) {
    auto [country, year] = RAP_TRY(SplitCycleId(request.cycle));
    std::string id = request.id;
    // The file is stored with the new version, in one transaction.
    std::vector<store::Attachment> files;
    if (!file.empty()) {
        files.push_back(RAP_TRY(ReadAttachment(actor, file)));
        auto& names = request.attachments;
        if (std::find(names.begin(), names.end(), files.back().sha256) == names.end()) {
            names.push_back(files.back().sha256);
        }
    }
    auto state =
        RAP_TRY(Commit(store, catalog, actor, country,
                       [&](const mon::CountryState& s) -> Result<std::vector<mon::Payload>> {
                           mon::InfoRequest r = request;
                           if (r.id.empty()) {
                               int taken = 0;
                               for (const auto& [rid, v] : s.requests()) {
                                   taken += v.back().cycle == r.cycle ? 1 : 0;
                               }
                               do {
                                   r.id = NextId(r.cycle + "-R", taken++);
                               } while (s.requests().contains(r.id));
                           } else {
                               auto it = s.requests().find(r.id);
                               if (it == s.requests().end()) {
                                   return Fail(Errc::kNotFound, fmt::format("no request {}", r.id));
                               }
                               if (it->second.back().cycle != r.cycle) {
                                   return Fail(Errc::kInvalidArgument,
                                               fmt::format("request {} belongs to cycle {}", r.id,
                                                           it->second.back().cycle));
                               }
                           }
                           id = r.id;
                           return std::vector<mon::Payload>{mon::RequestSaved{std::move(r)}};
                       },
                       mon::Checks::kAll, {}, files));
    return state->requests().at(id).back();
}

Result<monitoring::InfoRequest> AttachToRequest(store::Store& store, const Catalog& catalog,
                                                const std::string& actor,
                                                const std::string& request_id,
                                                const std::string& file_name,
                                                std::string content) {
    const std::string country = RAP_TRY(CountryOfId(request_id, "request"));
    std::vector<store::Attachment> files;
    files.push_back(RAP_TRY(NewAttachment(actor, file_name, std::move(content))));
    const std::string sha256 = files.front().sha256;
    auto state = RAP_TRY(
        Commit(store, catalog, actor, country,
               [&](const mon::CountryState& s) -> Result<std::vector<mon::Payload>> {
                   auto it = s.requests().find(request_id);
                   if (it == s.requests().end()) {
                       return Fail(Errc::kNotFound, fmt::format("no request {}", request_id));
                   }
                   mon::InfoRequest r = it->second.back();
                   const auto& attached = r.attachments;
                   if (std::find(attached.begin(), attached.end(), sha256) != attached.end()) {
                       return std::vector<mon::Payload>{};  // attached already
                   }
                   r.attachments.push_back(sha256);
                   return std::vector<mon::Payload>{mon::RequestSaved{std::move(r)}};
               },
               mon::Checks::kAll, {}, files));
    return state->requests().at(request_id).back();
}

namespace {

// The rule of a sent request, or nullptr (not sent, or no rule).
const framework::FoiRule* RuleOfSent(const Catalog& catalog, const mon::CountryState& state,
                                     const mon::InfoRequest& request) {
    return request.sent ? FoiRuleFor(catalog, state, request) : nullptr;
}

}  // namespace

std::optional<monitoring::ExplainedDeadline> ExplainDeadlineOf(
    const Catalog& catalog, const monitoring::CountryState& state,
    const monitoring::InfoRequest& request) {
    const framework::FoiRule* rule = RuleOfSent(catalog, state, request);
    if (rule == nullptr) {
        return std::nullopt;
    }
    auto d = mon::ExplainLegalDeadline(*rule, request);
    return d ? std::optional<mon::ExplainedDeadline>(std::move(*d)) : std::nullopt;
}

std::optional<core::Date> LegalDeadlineOf(const Catalog& catalog,
                                          const monitoring::CountryState& state,
                                          const monitoring::InfoRequest& request) {
    const framework::FoiRule* rule = RuleOfSent(catalog, state, request);
    if (rule == nullptr) {
        return std::nullopt;
    }
    auto d = mon::LegalDeadline(*rule, request);
    return d ? std::optional<core::Date>(*d) : std::nullopt;
}

Result<HolidayYear> HolidaysOf(const Catalog& catalog, const std::string& country, int year,
                               const std::string& region) {
    const framework::Country* c = catalog.data().FindCountry(country);
    if (c == nullptr) {
        return Fail(Errc::kNotFound,
                    fmt::format("country '{}' is not in the reference data", country),
                    Location{.field = "country"});
    }
    if (year < 1900 || year > 2999) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("year {} is outside 1900-2999", year), Location{.field = "year"});
    }
    if (!region.empty()) {
        RAP_TRY_STATUS(catalog.data().CheckRegion(country, region));
    }
    const framework::PublicHolidays& h = c->FoiAt(region).holidays;
    return HolidayYear{country, region, year, h.DaysOff(year), h.Known(year), h.verify,
                       h.source, h.note};
}

Result<ExplainedRequest> GetExplainedRequest(store::Store& store, const Catalog& catalog,
                                             const std::string& id) {
    const std::string country = RAP_TRY(CountryOfId(id, "request"));
    auto state = RAP_TRY(LoadMonitoring(store, catalog, country));
    auto it = state->requests().find(id);
    if (it == state->requests().end()) {
        return Fail(Errc::kNotFound, fmt::format("no request {}", id));
    }
    const mon::InfoRequest& request = it->second.back();
    return ExplainedRequest{request, ExplainDeadlineOf(catalog, *state, request)};
}

Result<monitoring::InfoRequest> GetRequest(store::Store& store, const Catalog& catalog,
                                           const std::string& id) {
    return RAP_TRY(GetExplainedRequest(store, catalog, id)).request;
}

Result<std::vector<RequestRow>> ListRequests(store::Store& store, const Catalog& catalog,
                                             const std::string& cycle, core::Date today) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const mon::CountryState* state = loaded.state.get();
    std::vector<RequestRow> out;
    for (const auto& [id, versions] : state->requests()) {
        if (versions.back().cycle != cycle) {
            continue;
        }
        RequestRow row;
        row.request = versions.back();
        row.deadline = LegalDeadlineOf(catalog, *state, row.request);
        row.overdue = row.deadline && mon::IsOverdue(row.request, *row.deadline, today);
        out.push_back(std::move(row));
    }
    return out;
}

Result<std::vector<monitoring::Overdue>> ListOverdueRequests(store::Store& store,
                                                             const Catalog& catalog,
                                                             const std::string& country,
                                                             core::Date today) {
    const std::vector<std::string> countries = RAP_TRY(CountriesOf(catalog, country));
    std::vector<mon::Overdue> out;
    for (const auto& c : countries) {
        auto state = RAP_TRY(Load(store, catalog, c));
        std::vector<mon::InfoRequest> current;
        for (const auto& [id, versions] : state->requests()) {
            current.push_back(versions.back());
        }
        if (catalog.data().FindCountry(c) == nullptr) {
            continue;
        }
        auto list = RAP_TRY(mon::ListOverdue(RulesAt(catalog, *state), current, today));
        out.insert(out.end(), list.begin(), list.end());
    }
    return out;
}

Result<std::vector<monitoring::RegisterFigures>> RegisterFiguresOf(store::Store& store,
                                                                   const Catalog& catalog,
                                                                   const std::string& cycle,
                                                                   core::Date as_of) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    const std::string& country = loaded.data->cycle.country;
    const mon::CountryState* state = loaded.state.get();
    std::vector<mon::InfoRequest> current;
    for (const auto& [id, versions] : state->requests()) {
        if (versions.back().cycle == cycle) {
            current.push_back(versions.back());
        }
    }
    if (catalog.data().FindCountry(country) == nullptr) {
        return Fail(Errc::kFailedPrecondition, fmt::format("no FOI rule for {}", country));
    }
    return mon::ComputeRegisterFigures(RulesAt(catalog, *state), current, as_of);
}

// ---- recommendations and narratives ------------------------------------------------------------

Result<monitoring::Recommendation> SaveRecommendation(store::Store& store, const Catalog& catalog,
                                                      const std::string& actor,
                                                      monitoring::Recommendation recommendation) {
    auto [country, year] = RAP_TRY(SplitCycleId(recommendation.cycle));
    std::string id;
    auto state = RAP_TRY(
        Commit(store, catalog, actor, country,
               [&](const mon::CountryState& s) -> Result<std::vector<mon::Payload>> {
                   mon::Recommendation r = recommendation;
                   if (r.id.empty()) {
                       int taken = 0;
                       for (const auto& [rid, rec] : s.recommendations()) {
                           taken += rec.cycle == r.cycle ? 1 : 0;
                       }
                       do {
                           r.id = NextId(r.cycle + "-REC", taken++);
                       } while (s.recommendations().contains(r.id));
                   } else if (!s.recommendations().contains(r.id)) {
                       return Fail(Errc::kNotFound, fmt::format("no recommendation {}", r.id));
                   }
                   r.followups.clear();
                   id = r.id;
                   return std::vector<mon::Payload>{mon::RecommendationSaved{std::move(r)}};
               }));
    return state->recommendations().at(id);
}

Result<monitoring::Recommendation> RecordFollowup(store::Store& store, const Catalog& catalog,
                                                  const std::string& actor,
                                                  const std::string& recommendation,
                                                  const monitoring::Followup& followup) {
    const std::string country = RAP_TRY(CountryOfId(recommendation, "recommendation"));
    auto state = RAP_TRY(Commit(
        store, catalog, actor, country,
        [&](const mon::CountryState&) -> Result<std::vector<mon::Payload>> {
            return std::vector<mon::Payload>{mon::FollowupRecorded{recommendation, followup}};
        }));
    return state->recommendations().at(recommendation);
}

Result<std::vector<monitoring::Recommendation>> ListRecommendations(store::Store& store,
                                                                    const Catalog& catalog,
                                                                    const std::string& country) {
    auto state = RAP_TRY(LoadMonitoring(store, catalog, country));
    std::vector<mon::Recommendation> out;
    for (const auto& [id, rec] : state->recommendations()) {
        out.push_back(rec);
    }
    return out;
}

Status SaveNarrative(store::Store& store, const Catalog& catalog, const std::string& actor,
                     const std::string& cycle, const std::string& section,
                     const std::string& text) {
    auto [country, year] = RAP_TRY(SplitCycleId(cycle));
    RAP_TRY(Commit(store, catalog, actor, country,
                   [&](const mon::CountryState&) -> Result<std::vector<mon::Payload>> {
                       return std::vector<mon::Payload>{mon::NarrativeSaved{cycle, section, text}};
                   }));
    return {};
}

Result<std::map<std::string, std::vector<monitoring::Narrative>>> ListNarratives(
    store::Store& store, const Catalog& catalog, const std::string& cycle) {
    return RAP_TRY(LoadCycle(store, catalog, cycle)).data->narratives;
}

// ---- attached files --------------------------------------------------------------------------

Result<store::Attachment> GetAttachment(store::Store& store, const std::string& sha256) {
    if (!core::IsSha256Hex(sha256)) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("'{}' is not a file's SHA-256 (64 lower-case hex digits)", sha256));
    }
    auto file = RAP_TRY(store.LoadAttachment(sha256));
    if (!file) {
        return Fail(Errc::kNotFound, fmt::format("no attached file has SHA-256 {}", sha256));
    }
    return std::move(*file);
}

Result<std::vector<AttachmentRow>> ListAttachments(store::Store& store, const Catalog& catalog,
                                                   const std::string& cycle) {
    const LoadedCycle loaded = RAP_TRY(LoadCycle(store, catalog, cycle));
    std::vector<std::pair<std::string, std::string>> uses;  // sha256, where
    for (const auto& [key, history] : loaded.data->values) {
        for (const mon::Evidence& e : history.evidence) {
            if (!e.file_sha256.empty()) {
                uses.emplace_back(e.file_sha256,
                                  fmt::format("evidence {} of {}", e.id, mon::ToString(key)));
            }
        }
    }
    for (const auto& [id, versions] : loaded.state->requests()) {
        if (versions.back().cycle != cycle) {
            continue;
        }
        std::vector<std::string> seen;
        for (const mon::InfoRequest& v : versions) {
            for (const std::string& sha : v.attachments) {
                if (std::find(seen.begin(), seen.end(), sha) == seen.end()) {
                    seen.push_back(sha);
                    uses.emplace_back(sha, "request " + id);
                }
            }
        }
    }
    std::vector<AttachmentRow> out;
    for (const auto& [sha, where] : uses) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&sha](const AttachmentRow& r) { return r.sha256 == sha; });
        if (it == out.end()) {
            auto file = GetAttachment(store, sha);
            if (!file && file.error().code == Errc::kNotFound) {
                return Fail(Errc::kDataLoss,
                            fmt::format("cycle {}: {} refers to file {}, which is not stored",
                                        cycle, where, sha));
            }
            RAP_TRY_STATUS(file);
            out.push_back({sha, file->file_name, static_cast<long long>(file->content.size()),
                           file->added_by, file->added_at, {}});
            it = out.end() - 1;
        }
        it->used_by.push_back(where);
    }
    return out;
}

// ---- audit -----------------------------------------------------------------------------------

Result<AuditHead> ParseAuditHead(std::string_view text) {
    const size_t colon = text.find(':');
    AuditHead head;
    if (colon != std::string_view::npos) {
        const std::string_view seq = text.substr(0, colon);
        auto [ptr, ec] = std::from_chars(seq.data(), seq.data() + seq.size(), head.seq);
        if (ec != std::errc() || ptr != seq.data() + seq.size()) {
            head.seq = 0;
        }
        head.hash = std::string(text.substr(colon + 1));
    }
    if (head.seq < 1 || !core::IsSha256Hex(head.hash)) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("'{}' is not SEQ:HASH (the event number and its 64-character "
                                "hash, as a verification of the audit log prints them)",
                                text));
    }
    return head;
}

Result<store::AuditReport> VerifyAudit(store::Store& store,
                                       const std::optional<AuditHead>& expected) {
    store::AuditReport report = RAP_TRY(store.VerifyAuditLog());
    if (!expected) {
        return report;
    }
    const auto events = RAP_TRY(store.LoadEvents({}, expected->seq - 1));
    if (events.empty() || events.front().seq != expected->seq) {
        report.problems.push_back(
            fmt::format("the expected head {}:{} is not in the log, which ends at event {}: "
                        "events were deleted",
                        expected->seq, expected->hash, report.head_seq));
    } else if (events.front().hash != expected->hash) {
        report.problems.push_back(
            fmt::format("event {} has hash {}, not the expected {}: the log was rewritten up to it",
                        expected->seq, events.front().hash, expected->hash));
    }
    return report;
}

Status RecordCaseAccess(store::Store& store, const Catalog& catalog, const std::string& actor,
                        const std::string& country, const monitoring::CaseDataAccessed& access) {
    RAP_TRY(Commit(store, catalog, actor, country,
                   [&](const mon::CountryState&) -> Result<std::vector<mon::Payload>> {
                       return std::vector<mon::Payload>{access};
                   }));
    return Ok();
}

Result<std::vector<AuditEntry>> ListAudit(store::Store& store, const std::string& country,
                                          int limit) {
    auto events = RAP_TRY(store.LoadEvents(country));
    std::vector<AuditEntry> out;
    for (auto it = events.rbegin(); it != events.rend() && static_cast<int>(out.size()) < limit;
         ++it) {
        AuditEntry a;
        a.seq = it->seq;
        a.at = it->at;
        a.actor = it->actor;
        a.country = it->country;
        a.type = it->type;
        auto e = ToEvent(*it);
        if (!e) {
            a.summary = "(cannot be read: " + e.error().message + ")";
        } else {
            a.summary = std::visit(
                [](const auto& p) -> std::string {
                    using T = std::decay_t<decltype(p)>;
                    if constexpr (std::is_same_v<T, mon::CycleOpened>) {
                        return "opened " + p.cycle.id +
                               (p.cycle.cloned_from.empty() ? "" : " from " + p.cycle.cloned_from);
                    } else if constexpr (std::is_same_v<T, mon::CyclePublished>) {
                        return "published " + p.cycle;
                    } else if constexpr (std::is_same_v<T, mon::CycleReopened>) {
                        return "reopened " + p.cycle + ": " + p.reason;
                    } else if constexpr (std::is_same_v<T, mon::ValueEntered>) {
                        return fmt::format(
                            "{}: {} = {}", p.cycle, mon::ToString(p.key),
                            p.figure ? Shown(*p.figure) : std::string(mon::Name(p.status)));
                    } else if constexpr (std::is_same_v<T, mon::ValuesMoved>) {
                        return fmt::format("{}: {} {} value(s){}", p.cycle, mon::Name(p.transition),
                                           p.keys.size(),
                                           p.comment.empty() ? "" : ": " + p.comment);
                    } else if constexpr (std::is_same_v<T, mon::EvidenceAdded>) {
                        return fmt::format("{}: evidence for {}: {}", p.cycle, mon::ToString(p.key),
                                           p.evidence.title);
                    } else if constexpr (std::is_same_v<T, mon::InstitutionSaved>) {
                        return "institution " + p.institution.id + ": " + p.institution.name;
                    } else if constexpr (std::is_same_v<T, mon::RequestSaved>) {
                        return fmt::format("request {} to {} ({})", p.request.id,
                                           p.request.institution, mon::Name(p.request.response));
                    } else if constexpr (std::is_same_v<T, mon::RecommendationSaved>) {
                        return "recommendation " + p.recommendation.id;
                    } else if constexpr (std::is_same_v<T, mon::FollowupRecorded>) {
                        return fmt::format("follow-up of {} in {}: {}", p.recommendation,
                                           p.followup.cycle, mon::Name(p.followup.status));
                    } else if constexpr (std::is_same_v<T, mon::CasesImported>) {
                        return fmt::format("case records imported as data version {}: {} new, {} "
                                           "updated ({}) from {}",
                                           p.data_version, p.inserted, p.updated,
                                           fmt::join(p.partitions, ", "), p.files);
                    } else if constexpr (std::is_same_v<T, mon::CaseDataAccessed>) {
                        return fmt::format("case data: {} {} ({} {})", mon::Name(p.access),
                                           p.what, p.records,
                                           p.access == mon::CaseAccess::kExport ? "records"
                                                                                : "values");
                    } else {
                        return fmt::format("{}: narrative {}", p.cycle, p.section);
                    }
                },
                e->payload);
        }
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace rap::app
