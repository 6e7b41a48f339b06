// SPDX-License-Identifier: AGPL-3.0-or-later
#include "monitoring/state.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/text.hpp"

namespace rap::monitoring {

namespace {

using framework::ValueKind;

using core::IsBlank;

// A new version of a value with the same content in another workflow state.
void AppendState(ValueHistory& h, const Event& e, WorkflowState state, std::string change) {
    ValueVersion v = h.current();
    v.version = static_cast<int>(h.versions.size()) + 1;
    v.state = state;
    v.changed_by = e.actor;
    v.changed_at = e.at;
    v.change = std::move(change);
    h.versions.push_back(std::move(v));
}

std::string Num(double v) {
    if (IsWhole(v) && std::abs(v) < 1e15) {
        return fmt::format("{}", static_cast<long long>(std::llround(v)));
    }
    return fmt::format("{:.4g}", v);
}

bool IsCount(double v) {
    return std::isfinite(v) && v >= 0 && IsWhole(v);
}

Status Invalid(std::string message) {
    return Fail(Errc::kInvalidArgument, std::move(message));
}

// The figure's fields that belong to other kinds must be empty.
Status OnlyFields(const Figure& f, std::string_view kind, bool answer, bool score, bool number,
                  bool ratio, bool median, bool amount) {
    std::vector<std::string_view> extra;
    if (!answer && f.answer)
        extra.push_back("answer");
    if (!score && f.score)
        extra.push_back("score");
    if (!score && !IsBlank(f.justification))
        extra.push_back("justification");
    if (!number && f.number)
        extra.push_back("value");
    if (!ratio && (f.numerator || f.denominator))
        extra.push_back("numerator/denominator");
    if (!median && (f.n || f.p90))
        extra.push_back("n/p90");
    if (!amount && (f.amount || !f.currency.empty()))
        extra.push_back("amount/currency");
    if (extra.empty()) {
        return {};
    }
    return Invalid(fmt::format("a {} value has no {}", kind, fmt::join(extra, ", ")));
}

// "its disaggregations: SEX, AGE" for a message, or "it has only a total".
std::string DisaggregationsOf(const std::vector<std::string>& dims) {
    return dims.empty() ? std::string("it has only a total")
                        : fmt::format("its disaggregations: {}", fmt::join(dims, ", "));
}

const framework::Country* CountryOf(const Context& ctx, std::string_view code) {
    return ctx.data->countries ? ctx.data->countries->Find(code) : nullptr;
}

}  // namespace

bool CanMove(Transition t, WorkflowState from) {
    switch (t) {
        case Transition::kSubmit:
            return from == WorkflowState::kDraft || from == WorkflowState::kReturned;
        case Transition::kValidate:
        case Transition::kReturn:
            return from == WorkflowState::kSubmitted;
        case Transition::kReopen:
            return IsLocked(from);
    }
    return false;
}

WorkflowState TargetState(Transition t) {
    switch (t) {
        case Transition::kSubmit:
            return WorkflowState::kSubmitted;
        case Transition::kValidate:
            return WorkflowState::kValidated;
        case Transition::kReturn:
            return WorkflowState::kReturned;
        case Transition::kReopen:
            return WorkflowState::kDraft;
    }
    return WorkflowState::kDraft;
}

std::string_view MovableStates(Transition t) {
    switch (t) {
        case Transition::kSubmit:
            return "draft or returned";
        case Transition::kValidate:
        case Transition::kReturn:
            return "submitted";
        case Transition::kReopen:
            return "validated or published";
    }
    return "";
}

std::string_view PastTense(Transition t) {
    switch (t) {
        case Transition::kSubmit:
            return "submitted";
        case Transition::kValidate:
            return "validated";
        case Transition::kReturn:
            return "returned";
        case Transition::kReopen:
            return "reopened";
    }
    return "";
}

bool SamePerson(std::string_view a, std::string_view b) {
    return core::IdentityKey(a) == core::IdentityKey(b);
}

Status CheckFigure(const framework::Measure& measure, ValueStatus status,
                   std::optional<Figure>& figure, const framework::Country& country, int year) {
    const std::string_view kind = framework::Name(measure.kind);
    if (!CarriesFigure(status)) {
        if (figure) {
            return Invalid(
                fmt::format("status {} carries no figure; leave the value empty or use "
                            "status provided, partial or estimated",
                            Name(status)));
        }
        return {};
    }
    if (!figure) {
        return Invalid(fmt::format("status {} needs a {} value", Name(status), kind));
    }
    Figure& f = *figure;
    f.kind = measure.kind;
    const bool zero = status == ValueStatus::kTrueZero;
    // Figures are kept as doubles: beyond this they would no longer be stored exactly, and no
    // count, rate or amount in this field comes near it.
    constexpr double kLargest = 1e12;
    for (const auto& [name, v] : {std::pair{"figure", f.number}, {"numerator", f.numerator},
                                  {"denominator", f.denominator}, {"n", f.n}, {"p90", f.p90},
                                  {"amount", f.amount}}) {
        if (v && (!std::isfinite(*v) || std::abs(*v) >= kLargest)) {
            return Invalid(fmt::format("the {} {} is too large: figures are below "
                                       "1,000,000,000,000",
                                       name, Num(*v)));
        }
    }
    switch (measure.kind) {
        case ValueKind::kYN:
        case ValueKind::kYNP: {
            RAP_TRY_STATUS(OnlyFields(f, kind, true, false, false, false, false, false));
            if (!f.answer) {
                return Invalid(fmt::format(
                    "a {} value needs an answer: {}", kind,
                    measure.kind == ValueKind::kYN ? "yes or no" : "yes, partial or no"));
            }
            if (measure.kind == ValueKind::kYN && *f.answer == Answer::kPartial) {
                return Invalid("a YN value is yes or no; partial is only for YNP indicators");
            }
            if (zero) {
                return Invalid(
                    fmt::format("status true_zero is for figures, not for {} answers", kind));
            }
            return {};
        }
        case ValueKind::kSC3:
            RAP_TRY_STATUS(OnlyFields(f, kind, false, true, false, false, false, false));
            if (!f.score || *f.score < 0 || *f.score > 3) {
                return Invalid(
                    "an SC3 value needs a score of 0, 1, 2 or 3 (see the indicator's "
                    "rubric)");
            }
            if (IsBlank(f.justification)) {
                return Invalid("an SC3 score needs a justification: say what the score rests on");
            }
            if (zero) {
                return Invalid("status true_zero is for figures, not for SC3 scores");
            }
            return {};
        case ValueKind::kNUM:
            RAP_TRY_STATUS(OnlyFields(f, kind, false, false, true, false, false, false));
            if (!f.number || !IsCount(*f.number)) {
                return Invalid(fmt::format("a NUM value is a whole number of {} (0 or more){}",
                                           measure.unit,
                                           f.number ? ", not " + Num(*f.number) : ""));
            }
            break;
        case ValueKind::kPCT: {
            RAP_TRY_STATUS(OnlyFields(f, kind, false, false, true, true, false, false));
            if (f.numerator || f.denominator) {
                if (!f.numerator || !f.denominator) {
                    return Invalid("a PCT value needs both its numerator and its denominator");
                }
                if (!IsCount(*f.numerator) || !IsCount(*f.denominator)) {
                    return Invalid(
                        fmt::format("numerator and denominator are whole numbers of 0 "
                                    "or more, not {} and {}",
                                    Num(*f.numerator), Num(*f.denominator)));
                }
                if (*f.numerator > *f.denominator) {
                    return Invalid(
                        fmt::format("the numerator {} is above its denominator {}: a "
                                    "share cannot exceed 100%",
                                    Num(*f.numerator), Num(*f.denominator)));
                }
                if (*f.denominator == 0) {
                    return Invalid(
                        "the denominator is 0, so there is no percentage; use status "
                        "not_applicable or record the counts elsewhere");
                }
                const double pct = 100.0 * *f.numerator / *f.denominator;
                if (f.number && std::abs(*f.number - pct) > 0.05) {
                    return Invalid(fmt::format("the percentage {} does not match {} / {} = {:.2f}%",
                                               Num(*f.number), Num(*f.numerator),
                                               Num(*f.denominator), pct));
                }
                f.number = pct;
            } else if (!f.number) {
                return Invalid(
                    "a PCT value needs a numerator and a denominator (or, when only "
                    "the percentage is known, the percentage)");
            } else if (!std::isfinite(*f.number) || *f.number < 0 || *f.number > 100) {
                return Invalid(
                    fmt::format("a percentage is between 0 and 100, not {}", Num(*f.number)));
            }
            break;
        }
        case ValueKind::kRATE: {
            RAP_TRY_STATUS(OnlyFields(f, kind, false, false, true, true, false, false));
            if (!f.numerator || !IsCount(*f.numerator)) {
                return Invalid(
                    "a RATE value needs its count (the numerator, a whole number); the "
                    "rate per 100,000 is computed with the population of the year");
            }
            auto pop = country.population.by_year.find(year);
            if (pop == country.population.by_year.end() || pop->second <= 0) {
                return Invalid(fmt::format("the countries file has no population of {} for {}",
                                           country.code, year));
            }
            if (f.denominator &&
                std::abs(*f.denominator - static_cast<double>(pop->second)) > 0.5) {
                return Invalid(
                    fmt::format("the denominator of a rate is the population of the "
                                "year ({} in {}: {}), not {}",
                                country.code, year, pop->second, Num(*f.denominator)));
            }
            f.denominator = static_cast<double>(pop->second);
            const double rate = *f.numerator / *f.denominator * 100000.0;
            if (f.number && std::abs(*f.number - rate) > 0.005 * std::max(1.0, rate)) {
                return Invalid(
                    fmt::format("the rate {} does not match {} per {} population = {:.3f} "
                                "per 100,000",
                                Num(*f.number), Num(*f.numerator), Num(*f.denominator), rate));
            }
            f.number = rate;
            break;
        }
        case ValueKind::kMED:
            RAP_TRY_STATUS(OnlyFields(f, kind, false, false, true, false, true, false));
            if (!f.n || !IsCount(*f.n) || *f.n < 1) {
                return Invalid(
                    "a MED value needs n, the number of cases the median is taken over "
                    "(1 or more)");
            }
            if (!f.number || !std::isfinite(*f.number) || *f.number < 0) {
                return Invalid(
                    fmt::format("a MED value needs the median in {} (0 or more)", measure.unit));
            }
            if (f.p90 && (!std::isfinite(*f.p90) || *f.p90 < *f.number)) {
                return Invalid(fmt::format("the 90th percentile {} is below the median {}",
                                           Num(*f.p90), Num(*f.number)));
            }
            break;
        case ValueKind::kAMT: {
            RAP_TRY_STATUS(OnlyFields(f, kind, false, false, true, false, false, true));
            if (!f.amount || !std::isfinite(*f.amount) || *f.amount < 0) {
                return Invalid("an AMT value needs an amount (0 or more) and its currency");
            }
            if (f.currency.empty()) {
                return Invalid(fmt::format("an AMT value needs its currency: {} or EUR",
                                           country.currency));
            }
            double rate = 1;
            if (f.currency != "EUR") {
                if (f.currency != country.currency) {
                    return Invalid(fmt::format("currency {}: amounts of {} are in {} or EUR",
                                               f.currency, country.code, country.currency));
                }
                auto r = country.EurRate(year);
                if (!r) {
                    return Invalid(
                        fmt::format("the countries file has no EUR reference rate of {} "
                                    "for {}",
                                    f.currency, year));
                }
                rate = *r;
            }
            if (f.eur_rate && !SameNumber(rate, *f.eur_rate)) {
                return Invalid(
                    fmt::format("the EUR rate of {} in {} is the stored reference rate "
                                "{}, not {}",
                                f.currency, year, Num(rate), Num(*f.eur_rate)));
            }
            f.eur_rate = rate;
            const double eur = *f.amount / rate;
            if (f.number && std::abs(*f.number - eur) > 0.01 * std::max(1.0, eur)) {
                return Invalid(
                    fmt::format("the EUR amount {} does not match {} {} at {} = {:.2f} "
                                "EUR",
                                Num(*f.number), Num(*f.amount), f.currency, Num(rate), eur));
            }
            f.number = eur;
            break;
        }
    }
    if (zero && f.number && *f.number != 0) {
        return Invalid(
            fmt::format("status true_zero means the figure is 0, not {}", Num(*f.number)));
    }
    return {};
}

const CycleData* CountryState::FindCycle(std::string_view id) const {
    auto it = cycles_.find(std::string(id));
    return it == cycles_.end() ? nullptr : &it->second;
}

// Requests, recommendations and the institutions in scope feed values that are published with
// their cycle, so they change only while it is open.
Status CountryState::CheckUnpublished(const std::string& cycle, std::string_view what) const {
    const CycleData* data = FindCycle(cycle);
    if (data != nullptr && data->cycle.state == CycleState::kPublished) {
        return Fail(Errc::kConflict,
                    fmt::format("cycle {} is published, so its {} cannot change; reopen it with a "
                                "reason first",
                                cycle, what));
    }
    return {};
}

Result<CycleData*> CountryState::OpenCycleFor(const std::string& id, Checks checks) {
    auto it = cycles_.find(id);
    if (it == cycles_.end()) {
        return Fail(Errc::kNotFound, fmt::format("no cycle {} (open it with `rapporteur cycle open "
                                                 "{} YEAR`)",
                                                 id, country_));
    }
    if (checks != Checks::kNone && it->second.cycle.state == CycleState::kPublished) {
        return Fail(Errc::kConflict, fmt::format("cycle {} is published; reopen it with a reason "
                                                 "before changing it",
                                                 id));
    }
    return &it->second;
}

namespace {

// A web address as evidence cites it: http or https (in any letter case), a host, no spaces.
Status CheckWebAddress(std::string_view what, const std::string& url) {
    if (url.empty()) {
        return Ok();
    }
    const size_t scheme = url.find("://");
    const std::string_view name = std::string_view(url).substr(0, scheme);
    const bool web = scheme != std::string::npos && (core::EqualsIgnoreCase(name, "https") ||
                                                     core::EqualsIgnoreCase(name, "http"));
    const bool host = web && scheme + 3 < url.size() && url[scheme + 3] != '/';
    if (!web || !host || url.find_first_of(" \t\r\n") != std::string::npos) {
        return Fail(
            Errc::kInvalidArgument,
            fmt::format("{} \"{}\" is not a web address: write it as https://host/path", what, url),
            Location{.field = "url"});
    }
    return Ok();
}

// The texts people type into an event, by the field a message names. Longer texts than a
// spreadsheet cell holds could not be exported; control characters would act on a terminal.
constexpr size_t kMaxTextChars = 32767;

Status CheckTexts(std::initializer_list<std::pair<std::string_view, const std::string*>> texts) {
    for (const auto& [field, text] : texts) {
        if (const std::string problem = core::TextProblem(*text, kMaxTextChars);
            !problem.empty()) {
            return Fail(Errc::kInvalidArgument, fmt::format("{}: {}", field, problem),
                        Location{.field = std::string(field)});
        }
    }
    return Ok();
}

Status CheckTypedTexts(const Payload& payload) {
    return std::visit(
        [](const auto& p) -> Status {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, CycleReopened>) {
                return CheckTexts({{"reason", &p.reason}});
            } else if constexpr (std::is_same_v<T, ValueEntered>) {
                static const std::string kNone;
                return CheckTexts({{"note", &p.note},
                                   {"source", &p.source.ref},
                                   {"justification",
                                    p.figure ? &p.figure->justification : &kNone}});
            } else if constexpr (std::is_same_v<T, ValuesMoved>) {
                return CheckTexts({{"comment", &p.comment}});
            } else if constexpr (std::is_same_v<T, EvidenceAdded>) {
                return CheckTexts({{"title", &p.evidence.title},
                                   {"citation", &p.evidence.citation},
                                   {"url", &p.evidence.url},
                                   {"file name", &p.evidence.file_name}});
            } else if constexpr (std::is_same_v<T, InstitutionSaved>) {
                const Institution& i = p.institution;
                return CheckTexts({{"name", &i.name}, {"email", &i.email}, {"note", &i.note}});
            } else if constexpr (std::is_same_v<T, RequestSaved>) {
                RAP_TRY_STATUS(CheckTexts({{"note", &p.request.note}}));
                for (const auto& c : p.request.complaints) {
                    RAP_TRY_STATUS(CheckTexts({{"complaint note", &c.note}}));
                }
                return Ok();
            } else if constexpr (std::is_same_v<T, RecommendationSaved>) {
                const Recommendation& r = p.recommendation;
                return CheckTexts({{"text", &r.text}, {"body", &r.body}});
            } else if constexpr (std::is_same_v<T, FollowupRecorded>) {
                const Followup& f = p.followup;
                return CheckTexts({{"evidence", &f.evidence}, {"url", &f.url}, {"note", &f.note}});
            } else if constexpr (std::is_same_v<T, NarrativeSaved>) {
                return CheckTexts({{"text", &p.text}});
            } else {
                return Ok();
            }
        },
        payload);
}

}  // namespace

Status CountryState::Apply(Event& event, const Context& ctx, Checks checks) {
    if (checks != Checks::kNone && event.country != country_) {
        return Fail(Errc::kInternal, "event of another country");
    }
    if (checks != Checks::kNone && IsBlank(event.actor)) {
        return Fail(Errc::kInvalidArgument, "every change names who makes it (--user)");
    }
    if (checks != Checks::kNone) {
        RAP_TRY_STATUS(CheckTypedTexts(event.payload));
    }
    Status s = std::visit(
        [&](auto& p) -> Status {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, CycleOpened>) {
                return ApplyCycleOpened(event, p, ctx, checks);
            } else if constexpr (std::is_same_v<T, CyclePublished>) {
                return ApplyPublished(event, p, checks);
            } else if constexpr (std::is_same_v<T, CycleReopened>) {
                return ApplyReopened(event, p, checks);
            } else if constexpr (std::is_same_v<T, ValueEntered>) {
                return ApplyValueEntered(event, p, ctx, checks);
            } else if constexpr (std::is_same_v<T, ValuesMoved>) {
                return ApplyValuesMoved(event, p, ctx, checks);
            } else if constexpr (std::is_same_v<T, EvidenceAdded>) {
                return ApplyEvidence(event, p, checks);
            } else if constexpr (std::is_same_v<T, InstitutionSaved>) {
                return ApplyInstitution(event, p, ctx, checks);
            } else if constexpr (std::is_same_v<T, RequestSaved>) {
                return ApplyRequest(event, p, ctx, checks);
            } else if constexpr (std::is_same_v<T, RecommendationSaved>) {
                return ApplyRecommendation(event, p, ctx, checks);
            } else if constexpr (std::is_same_v<T, FollowupRecorded>) {
                return ApplyFollowup(event, p, checks);
            } else if constexpr (std::is_same_v<T, CaseDataAccessed> ||
                                 std::is_same_v<T, CasesImported>) {
                return Ok();  // in the audit log only
            } else {
                return ApplyNarrative(event, p, checks);
            }
        },
        event.payload);
    if (s && event.seq > last_seq_) {
        last_seq_ = event.seq;
    }
    return s;
}

Status CountryState::ApplyCycleOpened(const Event& e, const CycleOpened& p, const Context& ctx,
                                      Checks checks) {
    if (checks != Checks::kNone) {
        if (p.cycle.country != country_ || p.cycle.id != CycleId(country_, p.cycle.year)) {
            return Fail(Errc::kInternal, "malformed cycle id");
        }
        if (cycles_.contains(p.cycle.id)) {
            return Fail(Errc::kAlreadyExists, fmt::format("cycle {} is already open", p.cycle.id));
        }
        // The day where it is latest in the region (a day ahead of UTC at most), so that a year
        // that has begun there can be opened.
        if (const auto today = core::Date::Parse(std::string_view(e.at).substr(0, 10));
            today && p.cycle.year > today->AddDays(1).year()) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("cycle {} would monitor a year that has not begun (today is "
                                    "{})",
                                    p.cycle.id, today->ToString()),
                        Location{.field = "year"});
        }
        if (!ctx.framework(p.cycle.framework_id, p.cycle.framework_version)) {
            return Fail(Errc::kNotFound,
                        fmt::format("framework {} {} is not loaded", p.cycle.framework_id,
                                    p.cycle.framework_version));
        }
        for (const auto& inst : p.cycle.institutions) {
            if (!institutions_.contains(inst)) {
                return Fail(Errc::kNotFound,
                            fmt::format("no institution {} in {}'s register", inst, country_));
            }
        }
    }
    CycleData data;
    data.cycle = p.cycle;
    data.cycle.state = CycleState::kOpen;
    data.cycle.opened_by = e.actor;
    data.cycle.opened_at = e.at;
    cycles_[p.cycle.id] = std::move(data);
    return {};
}

Status CountryState::ApplyPublished(const Event& e, const CyclePublished& p, Checks checks) {
    auto* data = RAP_TRY(OpenCycleFor(p.cycle, checks));
    if (checks != Checks::kNone) {
        std::vector<std::string> pending;
        for (const auto& [key, h] : data->values) {
            if (h.current().state != WorkflowState::kValidated &&
                h.current().state != WorkflowState::kPublished) {
                pending.push_back(fmt::format("{} ({})", ToString(key), Name(h.current().state)));
            }
        }
        if (data->values.empty()) {
            return Fail(Errc::kFailedPrecondition,
                        fmt::format("cycle {} has no values to publish", p.cycle));
        }
        if (!pending.empty()) {
            std::string list;
            for (size_t i = 0; i < pending.size() && i < 10; ++i) {
                list += "\n  " + pending[i];
            }
            if (pending.size() > 10) {
                list += fmt::format("\n  ... and {} more", pending.size() - 10);
            }
            return Fail(
                Errc::kFailedPrecondition,
                fmt::format("cycle {} cannot be published: {} value(s) are not validated:{}",
                            p.cycle, pending.size(), list));
        }
    }
    for (auto& [key, h] : data->values) {
        if (h.current().state != WorkflowState::kPublished) {
            AppendState(h, e, WorkflowState::kPublished, "published");
        }
    }
    data->cycle.state = CycleState::kPublished;
    data->cycle.published_by = e.actor;
    data->cycle.published_at = e.at;
    ++data->cycle.publications;
    return {};
}

Status CountryState::ApplyReopened(const Event&, const CycleReopened& p, Checks checks) {
    auto it = cycles_.find(p.cycle);
    if (it == cycles_.end()) {
        return Fail(Errc::kNotFound, fmt::format("no cycle {}", p.cycle));
    }
    if (checks != Checks::kNone) {
        if (it->second.cycle.state != CycleState::kPublished) {
            return Fail(
                Errc::kFailedPrecondition,
                fmt::format("cycle {} is not published, so there is nothing to reopen", p.cycle));
        }
        if (IsBlank(p.reason)) {
            return Fail(Errc::kInvalidArgument, "reopening a published cycle needs a reason");
        }
    }
    it->second.cycle.state = CycleState::kOpen;
    return {};
}

Status CountryState::ApplyValueEntered(const Event& e, ValueEntered& p, const Context& ctx,
                                       Checks checks) {
    auto* data = RAP_TRY(OpenCycleFor(p.cycle, checks));
    auto existing = data->values.find(p.key);
    std::optional<Figure> figure = p.figure;
    if (checks != Checks::kNone) {
        const Cycle& c = data->cycle;
        const auto* fw = ctx.framework(c.framework_id, c.framework_version);
        if (fw == nullptr) {
            return Fail(Errc::kNotFound, fmt::format("framework {} {} of cycle {} is not loaded",
                                                     c.framework_id, c.framework_version, c.id));
        }
        const auto* ind = fw->Find(p.key.indicator);
        if (ind == nullptr) {
            return Fail(Errc::kNotFound,
                        fmt::format("{} has no indicator {} (framework {} {})", country_,
                                    p.key.indicator, c.framework_id, c.framework_version));
        }
        if (ind->comparability == framework::Comparability::kNotApplicable) {
            const std::string why =
                ind->deviations.empty() ? "" : ": " + ind->deviations.back().reason.Get();
            return Fail(Errc::kInvalidArgument,
                        fmt::format("{} is not applicable in {} (national adaptation{}); it takes "
                                    "no value",
                                    p.key.indicator, country_, why));
        }
        const framework::Measure* m = ind->indicator.FindMeasure(p.key.measure);
        if (m == nullptr) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("{} has no measure {}; its measures: {}", p.key.indicator,
                                    p.key.measure, fmt::join(ind->indicator.MeasureIds(), ", ")));
        }
        if (p.key.track == Track::kDerived) {
            return Fail(Errc::kInvalidArgument,
                        "derived values are computed by rapporteur; enter the official or the CSO "
                        "figure");
        }
        const auto& dims = ind->indicator.disaggregations;
        for (const auto& [dim, code] : p.key.disaggregation) {
            if (std::find(dims.begin(), dims.end(), dim) == dims.end()) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("{} is not broken down by {}; {}", p.key.indicator, dim,
                                        DisaggregationsOf(dims)));
            }
            if (dim == "AREA") {
                if (fw->areas.end() ==
                    std::find_if(fw->areas.begin(), fw->areas.end(),
                                 [&](const auto& a) { return a.code == code; })) {
                    return Fail(Errc::kInvalidArgument,
                                fmt::format("AREA={}: not an area of the framework", code));
                }
                continue;
            }
            const cases::Codelist* list = ctx.data->codelists.Find(dim);
            if (list == nullptr) {
                continue;  // a dimension without a codelist (the framework validated it)
            }
            if (!list->Allows(code, country_)) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("{}={}: not a code of {} for {}; allowed: {}", dim, code,
                                        dim, country_, fmt::join(list->CodesFor(country_), ", ")));
            }
        }
        const auto* country = CountryOf(ctx, country_);
        if (country == nullptr) {
            return Fail(Errc::kNotFound,
                        fmt::format("country {} is not in the countries file", country_));
        }
        if (auto s = CheckFigure(*m, p.status, figure, *country, c.year); !s) {
            Error err = s.error();
            err.message = fmt::format("{}: {}", ToString(p.key), err.message);
            return Fail(std::move(err));
        }
        p.figure = figure;
        if (p.source.type == SourceType::kCaseRecords || p.source.type == SourceType::kRegister) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("{}: source {} is for values rapporteur derives; an entered "
                                    "value's source is an institution, a document or a request",
                                    ToString(p.key), Name(p.source.type)));
        }
        if (p.source.type == SourceType::kInstitution && !institutions_.contains(p.source.ref)) {
            return Fail(Errc::kNotFound,
                        fmt::format("{}: source institution {} is not in {}'s register",
                                    ToString(p.key), p.source.ref, country_));
        }
        if (p.source.type == SourceType::kRequest && !requests_.contains(p.source.ref)) {
            return Fail(Errc::kNotFound, fmt::format("{}: source request {} is not in the register",
                                                     ToString(p.key), p.source.ref));
        }
        if (existing != data->values.end()) {
            const auto state = existing->second.current().state;
            if (IsLocked(state)) {
                return Fail(Errc::kConflict,
                            fmt::format("{} is {} and locked; reopen it with a reason to change it",
                                        ToString(p.key), Name(state)));
            }
        }
    }
    ValueVersion v;
    v.key = p.key;
    v.version =
        existing == data->values.end() ? 1 : static_cast<int>(existing->second.versions.size()) + 1;
    v.status = p.status;
    v.figure = std::move(figure);
    v.source = p.source;
    v.note = p.note;
    v.state = WorkflowState::kDraft;
    v.author = e.actor;
    v.changed_by = e.actor;
    v.changed_at = e.at;
    v.change = v.version == 1 ? "entered" : "changed";
    auto& h = data->values[p.key];
    h.versions.push_back(std::move(v));
    if (checks == Checks::kAll) {
        if (auto s = CheckRules(p.cycle, {p.key}, ctx); !s) {
            h.versions.pop_back();
            if (h.versions.empty()) {
                data->values.erase(p.key);
            }
            return s;
        }
    }
    return {};
}

Status CountryState::ApplyValuesMoved(const Event& e, const ValuesMoved& p, const Context&,
                                      Checks checks) {
    CycleData* data = RAP_TRY(OpenCycleFor(p.cycle, checks));
    if (checks != Checks::kNone) {
        if (p.keys.empty()) {
            return Fail(Errc::kInvalidArgument, "no values named");
        }
        if ((p.transition == Transition::kReturn || p.transition == Transition::kReopen) &&
            IsBlank(p.comment)) {
            return Fail(Errc::kInvalidArgument,
                        p.transition == Transition::kReturn
                            ? "returning a value needs a comment that says what to change"
                            : "reopening a validated value needs a reason");
        }
        if (!p.versions.empty() && p.versions.size() != p.keys.size()) {
            return Fail(Errc::kInternal, "versions do not match the keys");
        }
        std::set<ValueKey> seen;
        for (size_t i = 0; i < p.keys.size(); ++i) {
            const ValueKey& key = p.keys[i];
            if (!seen.insert(key).second) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("{} is named twice", ToString(key)));
            }
            auto v = data->values.find(key);
            if (v == data->values.end()) {
                return Fail(Errc::kNotFound,
                            fmt::format("cycle {} has no value {}", p.cycle, ToString(key)));
            }
            const ValueVersion& cur = v->second.current();
            if (!p.versions.empty() && p.versions[i] != 0 && p.versions[i] != cur.version) {
                return Fail(Errc::kConflict,
                            fmt::format("{} changed since version {}: it is at version {} ({} by "
                                        "{}); look at it again",
                                        ToString(key), p.versions[i], cur.version, cur.change,
                                        cur.changed_by));
            }
            if (!CanMove(p.transition, cur.state)) {
                return Fail(Errc::kFailedPrecondition,
                            fmt::format("{} is {}; only {} values can be {}", ToString(key),
                                        Name(cur.state), MovableStates(p.transition),
                                        PastTense(p.transition)));
            }
            if (p.transition == Transition::kSubmit && cur.state == WorkflowState::kReturned &&
                IsBlank(p.comment)) {
                return Fail(Errc::kFailedPrecondition,
                            fmt::format("{} was {}; correct it (value set) before submitting it "
                                        "again, or submit it with a comment that answers the "
                                        "reviewer",
                                        ToString(key), cur.change));
            }
            if (p.transition == Transition::kValidate && SamePerson(cur.author, e.actor)) {
                return Fail(Errc::kPermissionDenied,
                            fmt::format("{} was entered by {}; a reviewer who is not its author "
                                        "must validate it",
                                        ToString(key), cur.author));
            }
        }
    }
    for (const auto& key : p.keys) {
        auto found = data->values.find(key);
        if (found == data->values.end()) {
            continue;  // replay of a damaged log: nothing to move
        }
        std::string change(PastTense(p.transition));
        if (!IsBlank(p.comment)) {
            change += ": " + p.comment;
        }
        AppendState(found->second, e, TargetState(p.transition), std::move(change));
    }
    return {};
}

Status CountryState::ApplyEvidence(const Event& e, const EvidenceAdded& p, Checks checks) {
    auto* data = RAP_TRY(OpenCycleFor(p.cycle, checks));
    auto v = data->values.find(p.key);
    if (checks != Checks::kNone) {
        if (v == data->values.end()) {
            return Fail(Errc::kNotFound, fmt::format("cycle {} has no value {}; enter the value "
                                                     "before its evidence",
                                                     p.cycle, ToString(p.key)));
        }
        const auto state = v->second.current().state;
        if (IsLocked(state)) {
            return Fail(Errc::kConflict, fmt::format("{} is {} and locked; reopen it to add "
                                                     "evidence",
                                                     ToString(p.key), Name(state)));
        }
        const Evidence& ev = p.evidence;
        if (IsBlank(ev.title)) {
            return Fail(Errc::kInvalidArgument, "evidence needs a title: what the document is");
        }
        if (ev.type == EvidenceType::kUrl && ev.url.empty()) {
            return Fail(Errc::kInvalidArgument, "evidence of type url needs the URL");
        }
        RAP_TRY_STATUS(CheckWebAddress("evidence URL", ev.url));
        if (ev.type == EvidenceType::kFile && ev.file_sha256.empty()) {
            return Fail(Errc::kInvalidArgument, "evidence of type file needs the attached file");
        }
        const auto day = core::Date::Parse(std::string_view(e.at).substr(0, 10));
        if (ev.date && day && *ev.date > *day) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("evidence dated {} is in the future", ev.date->ToString()));
        }
    }
    if (v == data->values.end()) {
        return {};
    }
    Evidence ev = p.evidence;
    ev.added_by = e.actor;
    ev.added_at = e.at;
    ++data->evidence_count;
    if (ev.id.empty()) {
        ev.id = fmt::format("E{}", data->evidence_count);
    }
    v->second.evidence.push_back(std::move(ev));
    return {};
}

Status CountryState::ApplyInstitution(const Event&, const InstitutionSaved& p, const Context& ctx,
                                      Checks checks) {
    const Institution& inst = p.institution;
    CycleData* data = nullptr;
    if (!p.cycle.empty()) {
        auto it = cycles_.find(p.cycle);
        if (it == cycles_.end()) {
            return Fail(Errc::kNotFound, fmt::format("no cycle {}", p.cycle));
        }
        data = &it->second;
    }
    if (checks != Checks::kNone) {
        if (inst.country != country_) {
            return Fail(Errc::kInvalidArgument, "institution of another country");
        }
        if (!p.cycle.empty()) {
            RAP_TRY_STATUS(CheckUnpublished(p.cycle, "institutions in scope"));
        }
        // A changed type would move the published DP.5-DP.8 breakdowns of earlier cycles, a
        // changed region the deadlines of their requests: neither may change once a published
        // cycle has the institution in scope or a request to it.
        auto old = institutions_.find(inst.id);
        if (old != institutions_.end() &&
            (old->second.type != inst.type || old->second.region != inst.region)) {
            const bool type = old->second.type != inst.type;
            const std::string& was = type ? old->second.type : old->second.region;
            auto refuse = [&](const std::string& why) {
                return Fail(Errc::kConflict,
                            fmt::format("institution {} {}; its {} ({}) cannot change (register "
                                        "the reorganised body under a new id)",
                                        inst.id, why, type ? "type" : "region",
                                        was.empty() ? "not set" : was),
                            Location{.field = type ? "type" : "region"});
            };
            for (const auto& [id, c] : cycles_) {
                const auto& scope = c.cycle.institutions;
                if (c.cycle.state == CycleState::kPublished &&
                    std::find(scope.begin(), scope.end(), inst.id) != scope.end()) {
                    return refuse("is in scope of the published cycle " + id);
                }
            }
            for (const auto& [id, versions] : requests_) {
                const InfoRequest& r = versions.back();
                const CycleData* c = FindCycle(r.cycle);
                if (r.institution == inst.id && c != nullptr &&
                    c->cycle.state == CycleState::kPublished) {
                    return refuse(fmt::format("has request {} in the published cycle {}", id,
                                              r.cycle));
                }
            }
        }
        if (!inst.region.empty() && ctx.data != nullptr) {
            if (auto ok = ctx.data->CheckRegion(country_, inst.region); !ok) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("institution {}: region {}", inst.id, ok.error().message),
                            Location{.field = "region"});
            }
        }
        if (inst.id.empty() || inst.id.size() > 40 ||
            inst.id.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                "-_.") != std::string::npos) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("institution id \"{}\": use 1-40 letters, digits, '-', '_' or "
                                    "'.'",
                                    inst.id));
        }
        if (IsBlank(inst.name)) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("institution {} needs a name", inst.id));
        }
        if (!inst.email.empty()) {
            const size_t at = inst.email.find('@');
            const bool looks_like_address =
                at != std::string::npos && at > 0 &&
                inst.email.find('@', at + 1) == std::string::npos &&
                inst.email.find('.', at + 2) != std::string::npos && inst.email.back() != '.' &&
                inst.email.find_first_of(" \t\r\n,;<>") == std::string::npos;
            if (!looks_like_address) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("institution {}: email \"{}\" is not an address such as "
                                        "foi@ministry.example.org",
                                        inst.id, inst.email),
                            Location{.field = "email"});
            }
        }
        const cases::Codelist* types = ctx.data->codelists.Find("INST");
        if (types != nullptr && inst.type.empty()) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("institution {} needs a type, a code of INST: {}", inst.id,
                                    fmt::join(types->CodesFor(country_), ", ")),
                        Location{.field = "type"});
        }
        if (types != nullptr && !types->Allows(inst.type, country_)) {
            return Fail(
                Errc::kInvalidArgument,
                fmt::format("institution {}: type \"{}\" is not a code of INST; allowed: "
                            "{}",
                            inst.id, inst.type, fmt::join(types->CodesFor(country_), ", ")));
        }
    }
    institutions_[inst.id] = inst;
    if (data != nullptr) {
        auto& list = data->cycle.institutions;
        if (std::find(list.begin(), list.end(), inst.id) == list.end()) {
            list.push_back(inst.id);
        }
    }
    return {};
}

// A complaint to the appeal body is against a reply (a refusal, a partial reply, "not held") or
// against silence once the legal deadline has passed; and one complaint is decided before the
// next is filed, so that each decision belongs to one complaint.
Status CountryState::CheckComplaintsAgainstDeadline(const InfoRequest& r,
                                                    const Context& ctx) const {
    if (r.complaints.empty() || !r.sent) {
        return Ok();
    }
    for (size_t i = 0; i + 1 < r.complaints.size(); ++i) {
        const Complaint& c = r.complaints[i];
        if (!c.decided || *c.decided > r.complaints[i + 1].filed) {
            return Fail(Errc::kFailedPrecondition,
                        fmt::format("request {}: the complaint filed {} is still pending on {}; "
                                    "record its decision before filing another",
                                    r.id, c.filed.ToString(), r.complaints[i + 1].filed.ToString()),
                        Location{.field = fmt::format("complaints[{}]", i + 2)});
        }
    }
    const framework::Country* country =
        ctx.data == nullptr ? nullptr : ctx.data->FindCountry(country_);
    auto inst = institutions_.find(r.institution);
    if (country == nullptr || inst == institutions_.end()) {
        return Ok();
    }
    auto deadline = LegalDeadline(country->FoiAt(inst->second.region), r);
    if (!deadline) {
        return Ok();  // no rule to count with: nothing to compare against
    }
    for (size_t i = 0; i < r.complaints.size(); ++i) {
        const Complaint& c = r.complaints[i];
        const bool replied = r.response_date && *r.response_date <= c.filed;
        if (!replied && c.filed <= *deadline) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("request {}: a complaint filed {} has nothing to complain "
                                    "about yet: no reply, and the legal deadline runs to {}",
                                    r.id, c.filed.ToString(), deadline->ToString()),
                        Location{.field = fmt::format("complaints[{}]", i + 1)});
        }
    }
    return Ok();
}

Status CountryState::ApplyRequest(const Event& e, const RequestSaved& p, const Context& ctx,
                                  Checks checks) {
    const InfoRequest& r = p.request;
    if (checks != Checks::kNone) {
        if (!cycles_.contains(r.cycle)) {
            return Fail(Errc::kNotFound, fmt::format("request {}: no cycle {}", r.id, r.cycle));
        }
        if (!institutions_.contains(r.institution)) {
            return Fail(Errc::kNotFound, fmt::format("request {}: no institution {} in {}'s "
                                                     "register",
                                                     r.id, r.institution, country_));
        }
        RAP_TRY_STATUS(CheckUnpublished(r.cycle, "information requests"));
        auto today = core::Date::Parse(e.at.substr(0, 10));
        RAP_TRY_STATUS(CheckRequest(r, today.value_or(ctx.today)));
        if (r.urgent) {
            const framework::Country* c =
                ctx.data == nullptr ? nullptr : ctx.data->FindCountry(country_);
            if (c != nullptr && !c->foi.urgent_hours) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("request {}: urgent: the freedom-of-information law of {} "
                                        "has no urgent procedure (countries data); send it as an "
                                        "ordinary request",
                                        r.id, country_),
                            Location{.field = "urgent"});
            }
        }
        const auto* fw_cycle = FindCycle(r.cycle);
        // Data on a year is asked for from that year on, never before it began.
        if (r.sent && r.sent->year() < fw_cycle->cycle.year) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("request {}: sent {} is before {}, the year of cycle {}",
                                    r.id, r.sent->ToString(), fw_cycle->cycle.year, r.cycle),
                        Location{.field = "sent"});
        }
        RAP_TRY_STATUS(CheckComplaintsAgainstDeadline(r, ctx));
        const auto* fw =
            ctx.framework(fw_cycle->cycle.framework_id, fw_cycle->cycle.framework_version);
        for (const auto& item : r.items) {
            const auto* ind = fw == nullptr ? nullptr : fw->Find(item.indicator);
            if (fw != nullptr && ind == nullptr) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("request {}: item names indicator {}, which {} does not "
                                        "have",
                                        r.id, item.indicator, country_));
            }
            // The breakdown asked for: dimensions of the indicator, e.g. "SEX;AGE".
            const auto& dims =
                ind == nullptr ? std::vector<std::string>{} : ind->indicator.disaggregations;
            size_t start = 0;
            while (ind != nullptr && start < item.disaggregation.size()) {
                size_t end = item.disaggregation.find(';', start);
                if (end == std::string::npos) {
                    end = item.disaggregation.size();
                }
                const std::string dim = item.disaggregation.substr(start, end - start);
                start = end + 1;
                if (std::find(dims.begin(), dims.end(), dim) == dims.end()) {
                    return Fail(Errc::kInvalidArgument,
                                fmt::format("request {}: {} is not broken down by \"{}\"; {}", r.id,
                                            item.indicator, dim, DisaggregationsOf(dims)));
                }
            }
        }
    }
    auto& versions = requests_[r.id];
    if (checks != Checks::kNone && r.version != static_cast<int>(versions.size())) {
        const bool fresh = versions.empty();
        if (fresh) {
            requests_.erase(r.id);
        }
        return Fail(
            Errc::kConflict,
            fresh ? fmt::format("request {} does not exist yet", r.id)
                  : fmt::format("request {} is at version {} (last changed by {}), not {}; "
                                "read it again and repeat the change",
                                r.id, versions.size(), versions.back().changed_by, r.version));
    }
    versions.push_back(r);
    versions.back().version = static_cast<int>(versions.size());
    versions.back().changed_by = e.actor;
    versions.back().changed_at = e.at;
    return {};
}

Status CountryState::ApplyRecommendation(const Event& e, const RecommendationSaved& p,
                                         const Context& ctx, Checks checks) {
    Recommendation rec = p.recommendation;
    if (checks != Checks::kNone) {
        const CycleData* data = FindCycle(rec.cycle);
        if (data == nullptr) {
            return Fail(Errc::kNotFound,
                        fmt::format("recommendation {}: no cycle {}", rec.id, rec.cycle));
        }
        RAP_TRY_STATUS(CheckUnpublished(rec.cycle, "recommendations"));
        if (auto old = recommendations_.find(rec.id);
            old != recommendations_.end() && old->second.cycle != rec.cycle) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("recommendation {} belongs to cycle {}; it cannot move to {}",
                                    rec.id, old->second.cycle, rec.cycle));
        }
        if (IsBlank(rec.text)) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("recommendation {} has no text", rec.id));
        }
        if (rec.source == RecommendationSource::kOther && IsBlank(rec.body)) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("recommendation {}: say which body issued it (body, "
                                    "--body)",
                                    rec.id),
                        Location{.field = "body"});
        }
        const auto today = core::Date::Parse(std::string_view(e.at).substr(0, 10));
        if (rec.issued && today && *rec.issued > *today) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("recommendation {}: issued {} is in the future", rec.id,
                                    rec.issued->ToString()),
                        Location{.field = "issued"});
        }
        const auto* fw = ctx.framework(data->cycle.framework_id, data->cycle.framework_version);
        for (const auto& code : rec.indicators) {
            if (fw != nullptr && fw->Find(code) == nullptr) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("recommendation {}: {} has no indicator {}", rec.id,
                                        country_, code));
            }
        }
        for (const auto& inst : rec.institutions) {
            if (!institutions_.contains(inst)) {
                return Fail(Errc::kNotFound,
                            fmt::format("recommendation {}: no institution {} in {}'s register",
                                        rec.id, inst, country_));
            }
        }
    }
    auto it = recommendations_.find(rec.id);
    const int current = it == recommendations_.end() ? 0 : it->second.version;
    if (checks != Checks::kNone && rec.version != current) {
        return Fail(Errc::kConflict,
                    current == 0
                        ? fmt::format("recommendation {} does not exist yet", rec.id)
                        : fmt::format("recommendation {} is at version {} (last changed by {}), "
                                      "not {}; read it again and repeat the change",
                                      rec.id, current, it->second.by, rec.version));
    }
    rec.version = current + 1;
    rec.by = e.actor;
    rec.at = e.at;
    if (it != recommendations_.end()) {
        rec.followups = std::move(it->second.followups);
    }
    recommendations_[rec.id] = std::move(rec);
    return {};
}

Status CountryState::ApplyFollowup(const Event& e, const FollowupRecorded& p, Checks checks) {
    auto it = recommendations_.find(p.recommendation);
    if (checks != Checks::kNone) {
        if (it == recommendations_.end()) {
            return Fail(Errc::kNotFound, fmt::format("no recommendation {}", p.recommendation));
        }
        const CycleData* later = FindCycle(p.followup.cycle);
        const CycleData* origin = FindCycle(it->second.cycle);
        if (later == nullptr) {
            if (p.followup.cycle.rfind(country_ + "-", 0) != 0) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("recommendation {} is made to {}; record its follow-up "
                                        "in a later cycle of {}, not {}",
                                        p.recommendation, country_, country_, p.followup.cycle),
                            Location{.field = "cycle"});
            }
            return Fail(Errc::kNotFound, fmt::format("no cycle {}", p.followup.cycle));
        }
        RAP_TRY_STATUS(CheckWebAddress("follow-up URL", p.followup.url));
        if (origin != nullptr && later->cycle.year <= origin->cycle.year) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("recommendation {} was made in {}; its follow-up belongs to a "
                                    "later cycle, not {}",
                                    p.recommendation, it->second.cycle, p.followup.cycle));
        }
        RAP_TRY_STATUS(CheckUnpublished(p.followup.cycle, "follow-ups"));
    }
    if (it == recommendations_.end()) {
        return {};
    }
    Followup f = p.followup;
    f.by = e.actor;
    f.at = e.at;
    it->second.followups.push_back(std::move(f));
    return {};
}

Status CountryState::ApplyNarrative(const Event& e, const NarrativeSaved& p, Checks checks) {
    auto* data = RAP_TRY(OpenCycleFor(p.cycle, checks));
    if (checks != Checks::kNone && (p.section.empty() || p.section.size() > 40)) {
        return Fail(Errc::kInvalidArgument, "a narrative section is named by 1-40 characters");
    }
    auto& versions = data->narratives[p.section];
    Narrative n;
    n.cycle = p.cycle;
    n.section = p.section;
    n.text = p.text;
    n.version = static_cast<int>(versions.size()) + 1;
    n.by = e.actor;
    n.at = e.at;
    versions.push_back(std::move(n));
    return {};
}

}  // namespace rap::monitoring
