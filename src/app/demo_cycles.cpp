// SPDX-License-Identifier: AGPL-3.0-or-later
// The synthetic monitoring cycles of the demonstration database (docs/demo-data.md, "Demo
// monitoring cycles"). Everything is written through the use cases of app/monitoring.hpp, with
// the checks a person's changes get: when one of them refuses something, the generator is wrong,
// and the check is not to be worked around.
//
// Random draws come from std::mt19937 directly (its sequence is fixed by the standard, unlike the
// standard distributions), seeded per country, year and purpose, so that a value does not change
// when another part of the generator draws more or fewer numbers.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "app/monitoring.hpp"

namespace rap::app {

namespace {

using framework::ValueKind;
using monitoring::Answer;
using monitoring::Channel;
using monitoring::ComplaintOutcome;
using monitoring::Evidence;
using monitoring::EvidenceType;
using monitoring::Figure;
using monitoring::FollowupStatus;
using monitoring::InfoRequest;
using monitoring::ItemOutcome;
using monitoring::RefusalGround;
using monitoring::Reliability;
using monitoring::ResponseType;
using monitoring::Track;
using monitoring::Transition;
using monitoring::Urgency;
using monitoring::ValueKey;
using monitoring::ValueStatus;

constexpr int kFirstYear = 2022;
constexpr int kOpenYear = 2025;  // the cycle left open, in the middle of its review

class Rng {
public:
    explicit Rng(std::uint32_t seed) : rng_(seed) {}
    // A whole number in [lo, hi].
    int Int(int lo, int hi) {
        return lo + static_cast<int>(rng_() % static_cast<std::uint32_t>(hi - lo + 1));
    }
    // A number in [lo, hi).
    double Real(double lo, double hi) {
        return lo + (hi - lo) * (static_cast<double>(rng_()) / 4294967296.0);
    }
    bool Chance(double p) { return Real(0, 1) < p; }
    template <class T>
    void Shuffle(std::vector<T>& v) {
        for (size_t i = v.size(); i > 1; --i) {
            std::swap(v[i - 1], v[static_cast<size_t>(Int(0, static_cast<int>(i) - 1))]);
        }
    }

private:
    std::mt19937 rng_;
};

std::uint32_t Seed(std::string_view country, int year, std::string_view purpose) {
    std::uint32_t h = 2166136261U;  // FNV-1a
    auto mix = [&h](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 16777619U;
        }
        h ^= 0xffU;
        h *= 16777619U;
    };
    mix(country);
    mix(std::to_string(year));
    mix(purpose);
    return h;
}

core::Date Day(int year, unsigned month, unsigned day) {
    return core::Date(std::chrono::sys_days(std::chrono::year(year) / std::chrono::month(month) /
                                            std::chrono::day(day)));
}

core::Date WorkingDay(core::Date d) {
    while (d.IsWeekend()) {
        d = d.AddDays(1);
    }
    return d;
}

// ----- Countries ---------------------------------------------------------------------------

// Types of institution the demo registers; InstCode gives their code in the INST codelist.
enum class InstitutionType {
    kMoi,
    kPpo,
    kCourt,
    kJudicialCouncil,
    kSocialMinistry,
    kCentreForVictims,
    kCoordinator,
    kLabourInspectorate,
    kMoj,
    kAssetAgency,
    kStatisticalOffice,
};

std::string_view InstCode(InstitutionType t) {
    switch (t) {
        case InstitutionType::kMoi:
            return "MoI";
        case InstitutionType::kPpo:
            return "PPO";
        case InstitutionType::kCourt:
            return "court";
        case InstitutionType::kJudicialCouncil:
            return "judicial_council";
        case InstitutionType::kSocialMinistry:
            return "social_ministry";
        case InstitutionType::kCentreForVictims:
            return "centre_for_victims";
        case InstitutionType::kCoordinator:
            return "coordinator";
        case InstitutionType::kLabourInspectorate:
            return "labour_inspectorate";
        case InstitutionType::kMoj:
            return "MoJ";
        case InstitutionType::kAssetAgency:
            return "asset_agency";
        case InstitutionType::kStatisticalOffice:
            return "statistical_office";
    }
    return "other";
}

struct InstitutionSpec {
    std::string_view id;
    std::string_view name;
    InstitutionType type;
    int from_year;                // registered and in scope from this cycle on
    std::string_view region = {};  // a REG code where the region matters (BA)
};

// The shape of a country's synthetic figures. Sizes follow the caseloads of docs/demo-data.md;
// none of them is an official figure.
struct Profile {
    std::string_view code;
    int maturity;        // the usual 0-3 level of structural measures in 2022
    double scale;        // size of the caseload, Serbia = 1
    double budget_eur;   // IC.5 allocated in 2022
    double funding_eur;  // IC.6 paid to CSO service providers in 2022
    int beds;            // AS.1 in 2022
    int inspections;     // PV.2 in 2022
    std::string_view thb_article;
    std::vector<InstitutionSpec> institutions;  // in the order requests are sent
};

const std::vector<Profile>& Profiles() {
    using T = InstitutionType;
    // A table, one country per block.
    // clang-format off
    static const std::vector<Profile> kProfiles = {
        {"AL", 2, 1.4, 260000, 120000, 64, 2600, "Art. 110/a",
         {{"moi", "Ministry of Interior (synthetic demo)", T::kMoi, 2022},
          {"ppo", "General Prosecution Office (synthetic demo)", T::kPpo, 2022},
          {"nac", "Office of the National Anti-Trafficking Coordinator (synthetic demo)",
           T::kCoordinator, 2022},
          {"mhsp", "Ministry of Health and Social Protection (synthetic demo)",
           T::kSocialMinistry, 2022},
          {"sli", "State Labour Inspectorate (synthetic demo)", T::kLabourInspectorate, 2022},
          {"moj", "Ministry of Justice (synthetic demo)", T::kMoj, 2022},
          {"hjc", "High Judicial Council (synthetic demo)", T::kJudicialCouncil, 2022},
          {"instat", "Institute of Statistics (synthetic demo)", T::kStatisticalOffice, 2022},
          {"aasca", "Agency for the Administration of Seized and Confiscated Assets (synthetic demo)",
           T::kAssetAgency, 2024}}},
        {"BA", 1, 0.7, 520000, 160000, 44, 3100, "Art. 186",
         {{"msb", "Ministry of Security (synthetic demo)", T::kMoi, 2022, "BA-STATE"},
          {"ppo", "Prosecutor's Office of Bosnia and Herzegovina (synthetic demo)", T::kPpo, 2022,
           "BA-STATE"},
          {"coord", "State Coordinator for Combating Trafficking in Human Beings (synthetic demo)",
           T::kCoordinator, 2022, "BA-STATE"},
          {"mhrr", "Ministry of Human Rights and Refugees (synthetic demo)", T::kSocialMinistry,
           2022, "BA-STATE"},
          {"hjpc", "High Judicial and Prosecutorial Council (synthetic demo)",
           T::kJudicialCouncil, 2022, "BA-STATE"},
          {"moj", "Ministry of Justice (synthetic demo)", T::kMoj, 2022, "BA-STATE"},
          {"bhas", "Agency for Statistics (synthetic demo)", T::kStatisticalOffice, 2024,
           "BA-STATE"},
          {"mup-srp", "Ministry of Interior of Republika Srpska (synthetic demo)", T::kMoi, 2025,
           "BA-SRP"}}},
        {"ME", 2, 0.25, 180000, 60000, 14, 1200, "Art. 444",
         {{"moi", "Ministry of Interior (synthetic demo)", T::kMoi, 2022},
          {"sspo", "Supreme State Prosecutor's Office (synthetic demo)", T::kPpo, 2022},
          {"ocths", "Office for Combating Trafficking in Human Beings (synthetic demo)",
           T::kCoordinator, 2022},
          {"mssw", "Ministry of Social Welfare (synthetic demo)", T::kSocialMinistry, 2022},
          {"li", "Labour Inspectorate (synthetic demo)", T::kLabourInspectorate, 2022},
          {"jc", "Judicial Council (synthetic demo)", T::kJudicialCouncil, 2024}}},
        {"MK", 2, 0.5, 230000, 90000, 30, 1700, "Art. 418-a",
         {{"moi", "Ministry of Interior (synthetic demo)", T::kMoi, 2022},
          {"ppo", "Public Prosecutor's Office (synthetic demo)", T::kPpo, 2022},
          {"ncom",
           "National Commission for Combating Trafficking in Human Beings and Illegal Migration "
           "(synthetic demo)",
           T::kCoordinator, 2022},
          {"mspdy", "Ministry of Social Policy, Demography and Youth (synthetic demo)",
           T::kSocialMinistry, 2022},
          {"sli", "State Labour Inspectorate (synthetic demo)", T::kLabourInspectorate, 2022},
          {"moj", "Ministry of Justice (synthetic demo)", T::kMoj, 2022},
          {"ssso", "State Statistical Office (synthetic demo)", T::kStatisticalOffice, 2024}}},
        {"RS", 1, 1.0, 380000, 140000, 52, 5200, "Art. 388",
         {{"moi", "Ministry of Interior (synthetic demo)", T::kMoi, 2022},
          {"rpp", "Republic Public Prosecutor's Office (synthetic demo)", T::kPpo, 2022},
          {"cfv",
           "Centre for Protection of Victims of Trafficking in Human Beings (synthetic demo)",
           T::kCentreForVictims, 2022},
          {"ocths", "Office for Combating Trafficking in Human Beings (synthetic demo)",
           T::kCoordinator, 2022},
          {"minrzs",
           "Ministry of Labour, Employment, Veteran and Social Affairs (synthetic demo)",
           T::kSocialMinistry, 2022},
          {"li", "Labour Inspectorate (synthetic demo)", T::kLabourInspectorate, 2022},
          {"moj", "Ministry of Justice (synthetic demo)", T::kMoj, 2022},
          {"sc", "Supreme Court (synthetic demo)", T::kCourt, 2022},
          {"dms", "Directorate for the Management of Seized Assets (synthetic demo)",
           T::kAssetAgency, 2024}}},
    };
    // clang-format on
    return kProfiles;
}

// Requests go to at most this many of the institutions registered in 2022; an institution added
// later gets one from its first cycle on.
constexpr size_t kFirstRequests = 7;

// What an institution of each type is asked for. Codes a country's framework does not have, or
// declares not applicable, are left out.
std::vector<std::string_view> RequestedIndicators(InstitutionType type) {
    switch (type) {
        case InstitutionType::kMoi:
            return {"ID.1", "JS.1", "PR.3"};
        case InstitutionType::kPpo:
            return {"JS.2", "JS.10", "PR.4", "JS.MK.1"};
        case InstitutionType::kCourt:
        case InstitutionType::kJudicialCouncil:
            return {"JS.3", "JS.7", "CO.5"};
        case InstitutionType::kSocialMinistry:
            return {"IC.6", "AS.1", "AS.3", "PV.AL.1"};
        case InstitutionType::kCentreForVictims:
            return {"ID.2", "AS.1", "ID.5"};
        case InstitutionType::kCoordinator:
            return {"IC.5", "IC.7", "IC.4"};
        case InstitutionType::kLabourInspectorate:
            return {"PV.2", "PV.ME.1"};
        case InstitutionType::kMoj:
            return {"CO.3", "CO.4", "JS.9"};
        case InstitutionType::kAssetAgency:
            return {"JS.10", "CO.8"};
        case InstitutionType::kStatisticalOffice:
            return {"DP.2", "ID.3"};
        default:
            return {};
    }
}

// Indicators whose official figure is entered from the reply to an information request (counts,
// budgets, official publications); every other official figure comes from the case records.
const std::set<std::string_view>& OfficialFromRequests() {
    static const std::set<std::string_view> kCodes = {"IC.4",    "IC.5",    "IC.6",   "IC.7",
                                                      "AS.1",    "PV.2",    "CO.8",   "DP.2",
                                                      "PV.AL.1", "PV.ME.1", "JS.MK.1"};
    return kCodes;
}

// Indicators rapporteur computes itself: from case records (those with a derivation), from the
// information-request register (the transparency indicators DP.5-DP.8, sourced from the tool)
// and from the recommendations register (IC.8). Nobody enters them.
bool DerivedByRapporteur(const framework::EffectiveIndicator& ei) {
    const auto& ind = ei.indicator;
    return ind.derivation.has_value() || !RegisterSourceOf(ind).empty();
}

bool Applies(const framework::EffectiveFramework& fw, std::string_view code) {
    const auto* ei = fw.Find(code);
    return ei != nullptr && ei->comparability != framework::Comparability::kNotApplicable &&
           ei->indicator.status == framework::IndicatorStatus::kActive;
}

// ----- Figures -----------------------------------------------------------------------------

// What an SC3 score of each indicator is about, for its justification.
std::string_view Sc3Subject(std::string_view code) {
    static const std::map<std::string_view, std::string_view> kSubjects = {
        {"LF.8", "a costed national action plan with monitoring and CSO participation"},
        {"IC.1", "an operational national coordinating body"},
        {"IC.2", "a national referral mechanism with standard operating procedures"},
        {"IC.3", "an independent national rapporteur mandate"},
        {"ID.7", "proactive screening among groups at risk"},
        {"ID.8", "written identification indicators for first responders"},
        {"AS.4", "minimum quality standards for victim services"},
        {"AS.8", "assistance without a condition of cooperation with the police"},
        {"CO.2", "decisions on property claims within criminal proceedings"},
        {"CO.3", "a state compensation scheme open to trafficking victims"},
        {"DP.1", "a central data system on trafficking with the standard breakdowns"},
        {"DP.3", "data-protection safeguards for victim data"},
        {"PV.1", "prevention aimed at the groups most at risk"},
        {"PV.3", "monitoring of recruitment and employment agencies"},
        {"PV.4", "measures to discourage demand"},
        {"PV.5", "measures against recruitment and exploitation online"},
        {"IC.BA.1", "coordination between state, entity and Brcko District structures"},
    };
    auto it = kSubjects.find(code);
    return it == kSubjects.end() ? std::string_view("the measure assessed") : it->second;
}

std::string Capitalised(std::string_view s) {
    std::string out(s);
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
        out[0] = static_cast<char>(out[0] - 'a' + 'A');
    }
    return out;
}

std::string Sc3Justification(std::string_view code, int score, int year, Rng& rng) {
    const std::string_view s = Sc3Subject(code);
    std::string level;
    switch (score) {
        case 0:
            level = fmt::format("no evidence was found in {} of {} in place or applied", year, s);
            break;
        case 1:
            level = fmt::format("in {}, {}: on paper, but applied only ad hoc", year, s);
            break;
        case 2:
            level = fmt::format("in {}, {}: in place, with significant gaps in practice", year, s);
            break;
        default:
            level = fmt::format("in {}, {}: in place and applied consistently", year, s);
            break;
    }
    static const std::vector<std::string_view> kBases = {
        "Based on a desk review and interviews with two service providers.",
        "Based on the replies to information requests and the coordinator's annual report.",
        "Based on case files of partner organisations and trial monitoring notes.",
        "Based on the minutes of the coordinating body and a focus group with practitioners.",
    };
    return fmt::format("Synthetic demo: {}. {}", Capitalised(level),
                       kBases[static_cast<size_t>(rng.Int(0, 3))]);
}

// A country's 0-3 level for a structural measure in a year: the country's usual level, shifted
// per indicator, and in some indicators one step better from a given year on.
int Quality(const Profile& p, std::string_view code, std::string_view measure, int year) {
    Rng r(Seed(p.code, 0, fmt::format("quality {} {}", code, measure)));
    int q = p.maturity;
    const std::string_view area = code.substr(0, code.find('.'));
    if (area == "LF") {
        q += 1;  // definitions in criminal law are the region's strongest part
    } else if (area == "CO" || area == "PV") {
        q -= 1;  // compensation is its weakest link
    }
    static constexpr int kShift[] = {-1, -1, 0, 0, 0, 1};
    q += kShift[r.Int(0, 5)];
    const int improves = r.Int(kFirstYear + 1, kFirstYear + 9);  // beyond 2025 for most
    if (year >= improves) {
        ++q;
    }
    return std::clamp(q, 0, 3);
}

Answer AnswerOf(ValueKind kind, int quality) {
    if (kind == ValueKind::kYN) {
        return quality >= 2 ? Answer::kYes : Answer::kNo;
    }
    return quality == 0 ? Answer::kNo : quality == 3 ? Answer::kYes : Answer::kPartial;
}

// A figure of the year: `base` in the first year, growing by `growth` a year, with noise.
double Evolving(double base, double growth, int year, Rng& rng, double noise = 0.08) {
    return base * std::pow(1 + growth, year - kFirstYear) * rng.Real(1 - noise, 1 + noise);
}
double Evolving(double base, double growth, int year, Rng&& rng) {
    return Evolving(base, growth, year, rng);
}

std::string Lower(std::string_view code) {
    std::string out(code);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

double Whole(double v) {
    return std::max(0.0, std::round(v));
}

Figure Number(double v) {
    Figure f;
    f.number = Whole(v);
    return f;
}

Figure Share(double numerator, double denominator) {
    Figure f;
    f.denominator = std::max(1.0, Whole(denominator));
    f.numerator = std::min(*f.denominator, Whole(numerator));
    return f;
}

// One value to enter.
using Planned = ValueInput;

class FigureMaker {
public:
    FigureMaker(const Profile& p, const framework::Country& country, int year)
        : p_(p), country_(country), year_(year) {}

    // The CSO figure of one measure (the total), or its status without a figure.
    Planned Cso(const framework::EffectiveIndicator& ei, const framework::Measure& m) {
        const std::string code = ei.indicator.code;
        Rng rng(Seed(p_.code, year_, fmt::format("cso {} {}", code, m.id)));
        Planned v;
        v.key = ValueKey{code, m.id, {}, Track::kCso};
        v.source = {monitoring::SourceType::kDocument,
                    fmt::format("Synthetic demo: shadow monitoring report {}", year_)};
        switch (m.kind) {
            case ValueKind::kYN:
            case ValueKind::kYNP: {
                Figure f;
                f.answer = AnswerOf(m.kind, Quality(p_, code, m.id, year_));
                v.figure = f;
                v.source.ref = fmt::format("Synthetic demo: desk review of legislation, {}", year_);
                return v;
            }
            case ValueKind::kSC3: {
                Figure f;
                f.score = Quality(p_, code, m.id, year_);
                f.justification = Sc3Justification(code, *f.score, year_, rng);
                v.figure = f;
                return v;
            }
            default:
                break;
        }
        if (code == "AS.7" && rng.Chance(0.25)) {
            v.status = ValueStatus::kNotCollected;
            v.note = "Synthetic demo: no survivor survey was run this year.";
            return v;
        }
        v.figure = Figures(code, m, rng);
        if (m.kind == ValueKind::kPCT && (code == "IC.5" || code == "IC.6")) {
            v.note = fmt::format("Synthetic demo: numerator and denominator in thousands of {}.",
                                 Currency());
        }
        if (code == "AS.1" && rng.Chance(0.3)) {
            v.status = ValueStatus::kEstimated;
            v.note = "Synthetic demo: estimated from the partner shelters' own counts.";
        }
        // A count or an amount known to be zero (no disclosure, nothing paid) is a true zero.
        if ((v.figure->number && *v.figure->number == 0) ||
            (v.figure->amount && *v.figure->amount == 0)) {
            v.status = ValueStatus::kTrueZero;
        }
        return v;
    }

    // The figures of a measure that is not an answer or a score.
    Figure Figures(const std::string& code, const framework::Measure& m, Rng& rng) {
        const int y = year_;
        if (code == "IC.5" && m.id == "allocated") {
            return Amount(Evolving(p_.budget_eur, 0.05, y, Noise("budget")));
        }
        if (code == "IC.5") {  // executed share, in thousands of the currency (see Cso's note)
            const double allocated = Thousands(Evolving(p_.budget_eur, 0.05, y, Noise("budget")));
            return Share(allocated * rng.Real(0.55, 0.92), allocated);
        }
        if (code == "IC.6" && m.id == "funding") {
            return Amount(Evolving(p_.funding_eur, 0.06, y, Noise("funding")));
        }
        if (code == "IC.6") {  // shelter running costs covered by public funds
            const double costs = Thousands(Evolving(p_.funding_eur * 1.8, 0.03, y, rng));
            return Share(costs * rng.Real(0.3, 0.7), costs);
        }
        if (code == "IC.7") {
            return Number(Evolving(300 * p_.scale + 60, 0.07, y, Noise("trained")));
        }
        if (code == "AS.1") {
            return Number(p_.beds + (y >= 2024 ? 4 : 0) + Noise("beds").Int(-2, 2));
        }
        if (code == "AS.7") {
            const double asked = Evolving(22 * p_.scale + 6, 0.05, y, rng);
            return Share(asked * rng.Real(0.55, 0.85), asked);
        }
        if (code == "CO.1") {  // informed of the right to compensation
            const double victims = Evolving(40 * p_.scale + 8, 0.03, y, rng);
            return Share(victims * rng.Real(0.35, 0.75), victims);
        }
        if (code == "CO.8") {  // paid from confiscated assets
            if (AnswerOf(ValueKind::kYNP, Quality(p_, "CO.8", "mechanism", y)) == Answer::kNo) {
                return Amount(0);
            }
            return Amount(rng.Real(2000, 15000));
        }
        if (code == "DP.4") {
            return Number(rng.Int(0, 4));
        }
        if (code == "PV.2" && m.id == "inspections") {
            return Number(Evolving(p_.inspections, 0.04, y, Noise("inspections")));
        }
        if (code == "PV.2") {
            return Number(rng.Int(0, 3) + std::round(6 * p_.scale));
        }
        if (code == "PV.AL.1") {
            return Number(Evolving(170, 0.05, y, Noise("street children")));
        }
        if (code == "PV.ME.1") {
            return Number(Evolving(450, 0.1, y, Noise("seasonal workers")));
        }
        if (code == "JS.MK.1") {
            const double children = rng.Int(8, 16);
            return Share(children * rng.Real(0.5, 0.9), children);
        }
        if (code == "IC.RS.1") {
            const double open = rng.Int(9, 15);
            return Share(open * rng.Real(0.15, 0.45), open);
        }
        // Any other measure (a national indicator added later): a small plausible figure.
        switch (m.kind) {
            case ValueKind::kPCT: {
                const double d = rng.Int(10, 30);
                return Share(d * rng.Real(0.3, 0.8), d);
            }
            case ValueKind::kAMT:
                return Amount(rng.Real(5000, 50000));
            case ValueKind::kMED: {
                Figure f;
                f.n = rng.Int(8, 30);
                f.number = rng.Int(20, 60);
                f.p90 = std::round(*f.number * rng.Real(1.5, 2.5));
                return f;
            }
            case ValueKind::kRATE: {
                Figure f;
                f.numerator = rng.Int(10, 60);
                return f;
            }
            default:
                return Number(rng.Int(5, 60));
        }
    }

    // Breakdowns entered with a total: they add up to it.
    std::vector<Planned> Breakdowns(const Planned& total) {
        std::vector<Planned> out;
        if (!total.figure || !total.figure->number) {
            return out;
        }
        const double t = *total.figure->number;
        auto part = [&](std::string dim, std::string code, double v) {
            Planned b = total;
            b.key.disaggregation = {{std::move(dim), std::move(code)}};
            b.figure = Number(v);
            b.status = v == 0 ? ValueStatus::kTrueZero : ValueStatus::kProvided;
            b.note.clear();
            out.push_back(std::move(b));
        };
        if (total.key.indicator == "IC.7" || total.key.indicator == "PV.AL.1") {
            const double women = std::round(t * (total.key.indicator == "IC.7" ? 0.62 : 0.45));
            part("SEX", "F", women);
            part("SEX", "M", t - women);
        } else if (total.key.indicator == "AS.1") {
            const double women = std::round(t * 0.5);
            const double children = std::round(t * 0.3);
            part("TGT", "adult_women", women);
            part("TGT", "children", children);
            part("TGT", "mixed", t - women - children);
        }
        return out;
    }

private:
    // A draw shared by the CSO and the official figure of the same thing.
    Rng Noise(std::string_view what) const { return Rng(Seed(p_.code, year_, what)); }

    // Units of the currency amounts are entered in per euro: the national currency when the
    // countries file has its rate for the year, else the euro.
    double Rate() const { return country_.EurRate(year_).value_or(1.0); }
    std::string Currency() const {
        return country_.EurRate(year_) ? country_.currency : std::string("EUR");
    }
    Figure Amount(double eur) const {
        Figure f;
        const double rate = Rate();
        const double unit = rate >= 10 ? 1000 : 100;
        f.amount = std::round(eur * rate / unit) * unit;
        f.currency = Currency();
        return f;
    }
    double Thousands(double eur) const { return std::round(eur * Rate() / 1000); }

    const Profile& p_;
    const framework::Country& country_;
    int year_;
};

// ----- Requests ----------------------------------------------------------------------------

// How an institution dealt with a request.
enum class Reply {
    kOnTime,            // full reply within the deadline
    kLate,              // full reply after the deadline
    kPartial,           // some items provided
    kRefused,           // refused with a ground; a complaint follows
    kNotHeld,           // the data are not held
    kSilenceComplaint,  // no reply; a complaint about the silence; the data released
    kForwarded,         // forwarded to another body, which replied
    kExtended,          // deadline lawfully extended; reply within it
    kOverdue,           // no reply at all (only in the open cycle)
    kOverdueComplaint,  // no reply; a complaint filed and pending (only in the open cycle)
};

std::vector<Reply> ReplyMix(int year, size_t n, const framework::FoiRule& rule, Rng& rng) {
    std::vector<Reply> pool;
    if (year == kOpenYear) {
        pool = {Reply::kOverdue, Reply::kOverdueComplaint,
                Reply::kRefused, Reply::kPartial,
                Reply::kOnTime,  Reply::kLate,
                Reply::kNotHeld, Reply::kOnTime};
    } else {
        pool = {Reply::kRefused,   Reply::kPartial,
                Reply::kLate,      year % 2 == 0 ? Reply::kSilenceComplaint : Reply::kNotHeld,
                Reply::kOnTime,    rule.extended_deadline ? Reply::kExtended : Reply::kOnTime,
                Reply::kForwarded, Reply::kOnTime};
    }
    while (pool.size() < n) {
        pool.push_back(Reply::kOnTime);
    }
    pool.resize(n);
    rng.Shuffle(pool);
    return pool;
}

RefusalGround GroundFor(InstitutionType type) {
    switch (type) {
        case InstitutionType::kPpo:
        case InstitutionType::kCourt:
        case InstitutionType::kJudicialCouncil:
            return RefusalGround::kOngoingProceedings;
        case InstitutionType::kMoi:
        case InstitutionType::kCentreForVictims:
        case InstitutionType::kSocialMinistry:
            return RefusalGround::kPersonalData;
        default:
            return RefusalGround::kNotPublicInformation;
    }
}

void SetOutcomes(InfoRequest& r, ItemOutcome all) {
    for (auto& item : r.items) {
        item.outcome = all;
    }
}

// ----- Recommendations -----------------------------------------------------------------------

struct RecommendationSpec {
    std::string_view text;
    std::vector<std::string_view> indicators;
    std::vector<InstitutionType> institutions;
    Urgency urgency = Urgency::kUnknown;
};

const std::vector<RecommendationSpec>& OwnRecommendations() {
    using T = InstitutionType;
    static const std::vector<RecommendationSpec> kSpecs = {
        {"Synthetic demo: Adopt a statutory non-punishment provision that covers every offence "
         "committed as a consequence of being trafficked.",
         {"LF.6", "PR.4"},
         {T::kMoj, T::kPpo}},
        {"Synthetic demo: Give the action plan a dedicated budget line and publish its execution "
         "every year.",
         {"IC.5", "LF.8"},
         {T::kCoordinator}},
        {"Synthetic demo: Fund civil-society shelters through multi-year contracts that cover "
         "their running costs.",
         {"IC.6", "AS.1"},
         {T::kSocialMinistry, T::kCentreForVictims}},
        {"Synthetic demo: Screen seasonal and migrant workers for signs of trafficking during "
         "labour inspections.",
         {"ID.7", "PV.2"},
         {T::kLabourInspectorate, T::kMoi}},
        {"Synthetic demo: Open the state compensation scheme to trafficking victims without "
         "requiring a final conviction.",
         {"CO.3"},
         {T::kMoj}},
        {"Synthetic demo: Train criminal judges to decide victims' property claims instead of "
         "referring them to civil litigation.",
         {"CO.2", "CO.5"},
         {T::kJudicialCouncil, T::kCourt}},
        {"Synthetic demo: Link police, prosecution and court data on trafficking in one system "
         "with the standard breakdowns.",
         {"DP.1", "DP.2"},
         {T::kCoordinator, T::kStatisticalOffice}},
        {"Synthetic demo: Answer freedom-of-information requests on trafficking data within the "
         "legal deadline and item by item.",
         {"DP.5", "DP.6"},
         {T::kMoi, T::kPpo}},
        {"Synthetic demo: Adopt minimum quality standards for services to victims and license "
         "the providers.",
         {"AS.4"},
         {T::kSocialMinistry, T::kCentreForVictims}},
        {"Synthetic demo: Hear child victims once, by video link, in child-friendly premises.",
         {"JS.8"},
         {T::kPpo, T::kCourt, T::kJudicialCouncil}},
        {"Synthetic demo: Monitor agencies that recruit workers for jobs abroad and publish the "
         "results of the checks.",
         {"PV.3"},
         {T::kLabourInspectorate}},
        {"Synthetic demo: Give an independent body the mandate of national rapporteur, with the "
         "power to request data from every institution.",
         {"IC.3"},
         {T::kCoordinator}},
        {"Synthetic demo: Include labour exploitation and online recruitment in the written "
         "identification indicators for first responders.",
         {"ID.8", "PV.5"},
         {T::kMoi, T::kLabourInspectorate}},
        {"Synthetic demo: Grant every presumed victim a reflection period of at least 30 days, "
         "whatever their cooperation with the police.",
         {"PR.1", "LF.7"},
         {T::kMoi}},
        {"Synthetic demo: Order the confiscation of traffickers' assets and use them to pay "
         "victims' compensation awards.",
         {"JS.10", "CO.8"},
         {T::kPpo, T::kAssetAgency}},
    };
    return kSpecs;
}

// GRETA's recommendations of its third round (2022 cycle) and fourth round (2024 cycle),
// paraphrased in the style of its reports; not quotations.
const std::vector<RecommendationSpec>& GretaRecommendations(int year) {
    using T = InstitutionType;
    static const std::vector<RecommendationSpec> kThird = {
        {"Synthetic demo: GRETA urges the authorities to guarantee effective access to "
         "compensation for victims, including from the state when the offender cannot pay.",
         {"CO.3", "CO.6"},
         {T::kMoj},
         Urgency::kUrge},
        {"Synthetic demo: GRETA considers that the authorities should ensure that victims have "
         "free legal aid from the earliest stage of proceedings.",
         {"JS.9"},
         {T::kMoj},
         Urgency::kConsider},
        {"Synthetic demo: GRETA invites the authorities to continue training judges and "
         "prosecutors on the rights of trafficking victims.",
         {"IC.7"},
         {T::kJudicialCouncil, T::kPpo, T::kCoordinator},
         Urgency::kInvite},
    };
    static const std::vector<RecommendationSpec> kFourth = {
        {"Synthetic demo: GRETA urges the authorities to identify victims of trafficking for "
         "labour exploitation proactively, in particular among migrant workers.",
         {"ID.7", "PV.2"},
         {T::kLabourInspectorate, T::kMoi},
         Urgency::kUrge},
        {"Synthetic demo: GRETA considers that the authorities should address the recruitment "
         "of victims through online platforms.",
         {"PV.5"},
         {T::kMoi, T::kCoordinator},
         Urgency::kConsider},
    };
    static const std::vector<RecommendationSpec> kNone;
    return year == 2022 ? kThird : year == 2024 ? kFourth : kNone;
}

std::string_view FollowupEvidence(FollowupStatus s) {
    switch (s) {
        case FollowupStatus::kImplemented:
            return "Synthetic demo: the measure was adopted and is applied, according to the "
                   "replies to this cycle's information requests.";
        case FollowupStatus::kPartly:
            return "Synthetic demo: a draft was adopted by the government but is not applied yet.";
        case FollowupStatus::kNotImplemented:
            return "Synthetic demo: no step was found in the legislation, reports or replies of "
                   "this cycle.";
        case FollowupStatus::kNoInformation:
            return "Synthetic demo: the institutions concerned did not reply on this point.";
    }
    return "";
}

// ----- The generator -------------------------------------------------------------------------

struct OpenRecommendation {
    std::string id;
    FollowupStatus last = FollowupStatus::kNotImplemented;
};

class DemoGenerator {
public:
    DemoGenerator(store::Store& store, const Catalog& catalog, const Profile& p)
        : store_(store)
        , catalog_(catalog)
        , p_(p)
        , analyst_(fmt::format("Demo Analyst {}", p.code))
        , reviewer_(fmt::format("Demo Reviewer {}", p.code)) {}

    Status Run() {
        const auto* countries = catalog_.data().countries ? &*catalog_.data().countries : nullptr;
        country_ = countries != nullptr ? countries->Find(p_.code) : nullptr;
        if (country_ == nullptr) {
            return Fail(
                Errc::kFailedPrecondition,
                fmt::format("demo cycles: country {} is not in the countries file", p_.code));
        }
        for (int year = kFirstYear; year <= kOpenYear; ++year) {
            cycle_ = monitoring::CycleId(p_.code, year);
            if (auto s = OneCycle(year); !s) {
                Error e = s.error();
                e.message = fmt::format("demo cycle {}: {}", cycle_, e.message);
                return Fail(std::move(e));
            }
        }
        return {};
    }

private:
    Status OneCycle(int year) {
        const auto opened =
            RAP_TRY(OpenCycle(store_, catalog_, analyst_, std::string(p_.code), year,
                              year == kFirstYear ? std::nullopt : std::optional<int>(year - 1)));
        fw_ = RAP_TRY(catalog_.Effective(opened.framework_id, opened.framework_version));
        for (const auto& spec : p_.institutions) {
            if (spec.from_year == year || (year == kFirstYear && spec.from_year < year)) {
                monitoring::Institution inst;
                inst.id = std::string(spec.id);
                inst.country = std::string(p_.code);
                inst.name = std::string(spec.name);
                inst.type = std::string(InstCode(spec.type));
                inst.region = std::string(spec.region);
                inst.email = fmt::format("foi@{}.{}.example.org", spec.id, Lower(p_.code));
                inst.note = "Synthetic demo institution: not the real body's contact details.";
                RAP_TRY_STATUS(SaveInstitution(store_, catalog_, analyst_, inst, cycle_));
            }
        }
        RAP_TRY_STATUS(Requests(year));
        std::vector<Planned> values = PlanValues(year);
        RAP_TRY_STATUS(Enter(values));
        RAP_TRY_STATUS(Evidences(year, values));
        RAP_TRY_STATUS(Narratives(year));
        RAP_TRY_STATUS(Recommendations(year));
        return year == kOpenYear ? ReviewInProgress(values) : ReviewAndPublish(year, values);
    }

    // --- Requests

    const InstitutionSpec* Spec(std::string_view id) const {
        for (const auto& s : p_.institutions) {
            if (s.id == id) {
                return &s;
            }
        }
        return nullptr;
    }

    Status Requests(int year) {
        requests_.clear();
        // Opened from the year before, the cycle holds that year's requests as unsent drafts.
        const auto carried = RAP_TRY(ListRequests(store_, catalog_, cycle_, core::Date::Today()));
        std::map<std::string, InfoRequest> by_institution;
        for (const auto& row : carried) {
            if (!row.request.sent) {
                by_institution.emplace(row.request.institution, row.request);
            }
        }
        std::vector<const InstitutionSpec*> targets;
        for (size_t i = 0; i < p_.institutions.size(); ++i) {
            const auto& s = p_.institutions[i];
            if (s.from_year > year) {
                continue;
            }
            if (s.from_year > kFirstYear || i < kFirstRequests) {
                targets.push_back(&s);
            }
        }
        Rng rng(Seed(p_.code, year, "requests"));
        const auto mix = ReplyMix(year, targets.size(), country_->foi, rng);
        for (size_t i = 0; i < targets.size(); ++i) {
            const InstitutionSpec& spec = *targets[i];
            InfoRequest r;
            if (auto it = by_institution.find(std::string(spec.id)); it != by_institution.end()) {
                r = it->second;
            }
            r.cycle = cycle_;
            r.institution = std::string(spec.id);
            r.channel = i % 4 == 3 ? Channel::kPortal : Channel::kEmail;
            r.items.clear();
            for (auto code : RequestedIndicators(spec.type)) {
                if (Applies(*fw_, code)) {
                    monitoring::RequestItem item;
                    item.indicator = std::string(code);
                    const auto& dims = fw_->Find(code)->indicator.disaggregations;
                    for (size_t d = 0; d < dims.size() && d < 2; ++d) {
                        item.disaggregation += (d == 0 ? "" : ";") + dims[d];
                    }
                    item.period = std::to_string(year);
                    r.items.push_back(std::move(item));
                }
            }
            if (r.items.empty()) {
                continue;
            }
            r.note = fmt::format("Synthetic demo request: data for the {} monitoring cycle.", year);
            RAP_TRY_STATUS(Send(r, mix[i], spec, year, rng));
        }
        return {};
    }

    Result<InfoRequest> Save(InfoRequest r) {
        return SaveRequest(store_, catalog_, analyst_, std::move(r));
    }

    Status Send(InfoRequest r, Reply reply, const InstitutionSpec& spec, int year, Rng& rng) {
        // Requests for a cycle go out in the first quarter of the following year.
        const core::Date sent = WorkingDay(Day(year + 1, 1, 12).AddDays(rng.Int(0, 65)));
        r.sent = sent;
        r.response = ResponseType::kNoResponse;
        r.response_date.reset();
        r.refusal_ground.reset();
        r.forwarded_on.reset();
        r.extension_notified.reset();
        r.complaints.clear();
        SetOutcomes(r, ItemOutcome::kPending);
        r = RAP_TRY(Save(r));  // as sent, before any reply
        auto reply_on = [&](core::Date d, ResponseType type, ItemOutcome outcome) {
            r.response_date = d;
            r.response = type;
            SetOutcomes(r, outcome);
        };
        switch (reply) {
            case Reply::kOnTime:
                reply_on(sent.AddDays(rng.Int(4, 12)), ResponseType::kFull, ItemOutcome::kProvided);
                break;
            case Reply::kLate:
                reply_on(sent.AddDays(rng.Int(32, 55)), ResponseType::kFull,
                         ItemOutcome::kProvided);
                break;
            case Reply::kPartial: {
                reply_on(sent.AddDays(rng.Int(6, 12)), ResponseType::kPartial,
                         ItemOutcome::kProvided);
                if (r.items.size() == 1) {
                    r.items[0].outcome = ItemOutcome::kPartial;
                } else {
                    for (size_t k = 1; k < r.items.size(); ++k) {
                        r.items[k].outcome =
                            k % 2 == 1 ? ItemOutcome::kNotHeld : ItemOutcome::kPartial;
                    }
                }
                break;
            }
            case Reply::kRefused: {
                const core::Date on = sent.AddDays(rng.Int(6, 12));
                reply_on(on, ResponseType::kRefused, ItemOutcome::kRefused);
                r.refusal_ground = GroundFor(spec.type);
                r = RAP_TRY(Save(r));
                monitoring::Complaint c;
                c.filed = on.AddDays(rng.Int(5, 14));
                c.note = "Synthetic demo: complaint against the refusal.";
                r.complaints.push_back(c);
                r = RAP_TRY(Save(r));
                r.complaints.back().outcome =
                    year % 2 == 0 ? ComplaintOutcome::kUpheld : ComplaintOutcome::kRejected;
                r.complaints.back().decided = c.filed.AddDays(rng.Int(30, 60));
                break;
            }
            case Reply::kNotHeld:
                reply_on(sent.AddDays(rng.Int(5, 12)), ResponseType::kNotHeld,
                         ItemOutcome::kNotHeld);
                break;
            case Reply::kSilenceComplaint: {
                monitoring::Complaint c;
                c.filed = sent.AddDays(35);
                c.note = "Synthetic demo: complaint against the institution's silence.";
                r.complaints.push_back(c);
                r = RAP_TRY(Save(r));
                reply_on(c.filed.AddDays(rng.Int(10, 20)), ResponseType::kFull,
                         ItemOutcome::kProvided);
                r.complaints.back().outcome = ComplaintOutcome::kInformationReleased;
                r.complaints.back().decided = c.filed.AddDays(rng.Int(25, 40));
                break;
            }
            case Reply::kForwarded: {
                r.forwarded_on = sent.AddDays(3);
                r.response = ResponseType::kForwarded;
                r = RAP_TRY(Save(r));
                reply_on(sent.AddDays(rng.Int(14, 19)), ResponseType::kFull,
                         ItemOutcome::kProvided);
                r.note += " Forwarded to the competent body, which replied.";
                break;
            }
            case Reply::kExtended:
                r.extension_notified = sent.AddDays(5);
                r = RAP_TRY(Save(r));
                reply_on(sent.AddDays(rng.Int(16, 19)), ResponseType::kFull,
                         ItemOutcome::kProvided);
                break;
            case Reply::kOverdue:
                break;  // no reply: stays as sent
            case Reply::kOverdueComplaint: {
                monitoring::Complaint c;
                c.filed = sent.AddDays(40);
                c.note = "Synthetic demo: complaint against the institution's silence, pending.";
                r.complaints.push_back(c);
                break;
            }
        }
        if (reply != Reply::kOverdue) {
            r = RAP_TRY(Save(r));
        }
        requests_.push_back(std::move(r));
        return {};
    }

    // The request that asked an institution for an indicator and its item, first provided.
    std::pair<const InfoRequest*, const monitoring::RequestItem*> Asked(std::string_view code) {
        std::pair<const InfoRequest*, const monitoring::RequestItem*> found{nullptr, nullptr};
        for (const auto& r : requests_) {
            for (const auto& item : r.items) {
                if (item.indicator != code) {
                    continue;
                }
                if (found.first == nullptr || item.outcome == ItemOutcome::kProvided) {
                    found = {&r, &item};
                }
            }
        }
        return found;
    }

    // --- Values

    std::vector<Planned> PlanValues(int year) {
        std::vector<Planned> out;
        FigureMaker maker(p_, *country_, year);
        Rng rng(Seed(p_.code, year, "official"));
        for (const auto& ei : fw_->indicators) {
            const auto& code = ei.indicator.code;
            if (!Applies(*fw_, code) || DerivedByRapporteur(ei)) {
                continue;
            }
            for (const auto& m : ei.indicator.measures) {
                Planned cso = maker.Cso(ei, m);
                for (auto& b : maker.Breakdowns(cso)) {
                    if (b.key.indicator != "IC.7") {  // CSOs count trainees only in total
                        out.push_back(std::move(b));
                    }
                }
                out.push_back(cso);
                if (!OfficialFromRequests().contains(code)) {
                    continue;
                }
                auto [request, item] = Asked(code);
                if (request == nullptr) {
                    continue;
                }
                Planned off = cso;
                off.key.track = Track::kOfficial;
                off.source = {monitoring::SourceType::kRequest, request->id};
                off.note =
                    fmt::format("Synthetic demo: from the reply to request {}.", request->id);
                switch (item->outcome) {
                    case ItemOutcome::kProvided:
                    case ItemOutcome::kPartial:
                        off.status = item->outcome == ItemOutcome::kPartial ? ValueStatus::kPartial
                                                                            : off.status;
                        if (off.status == ValueStatus::kEstimated) {
                            off.status = ValueStatus::kProvided;
                        }
                        if (!off.figure) {
                            off.status = ValueStatus::kNotCollected;
                            off.note = "Synthetic demo: the institution keeps no such figure.";
                        }
                        break;
                    case ItemOutcome::kRefused:
                        off.status = ValueStatus::kRefused;
                        off.figure.reset();
                        off.note =
                            fmt::format("Synthetic demo: request {} was refused.", request->id);
                        break;
                    case ItemOutcome::kNotHeld:
                        off.status = ValueStatus::kNotCollected;
                        off.figure.reset();
                        off.note = fmt::format(
                            "Synthetic demo: the institution replied to {} "
                            "that it does not collect this figure.",
                            request->id);
                        break;
                    case ItemOutcome::kPending:
                        off.status = ValueStatus::kNoResponse;
                        off.figure.reset();
                        off.note =
                            fmt::format("Synthetic demo: no reply to request {} yet.", request->id);
                        break;
                }
                // Some official figures differ from the CSOs' on purpose: the authorities count
                // training participations and licensed beds, CSOs distinct persons and beds in
                // use; the state counts a report as published when it is adopted.
                if (off.figure && off.figure->number) {
                    if (code == "IC.7" && rng.Chance(0.5)) {
                        off.figure->number = std::round(*off.figure->number * 1.18);
                    } else if (code == "AS.1" && rng.Chance(0.4)) {
                        off.figure->number = *off.figure->number + 6;
                    }
                }
                if (off.figure && code == "IC.4" && off.figure->answer == Answer::kNo &&
                    rng.Chance(0.5)) {
                    off.figure->answer = Answer::kYes;
                }
                if (off.figure && code == "DP.2" && off.figure->answer == Answer::kPartial &&
                    rng.Chance(0.5)) {
                    off.figure->answer = Answer::kYes;
                }
                for (auto& b : maker.Breakdowns(off)) {
                    out.push_back(std::move(b));
                }
                out.push_back(std::move(off));
            }
        }
        return out;
    }

    Status Enter(const std::vector<Planned>& values) {
        RAP_TRY(EnterValues(store_, catalog_, analyst_, cycle_, values));
        return {};
    }

    const Planned* Find(const std::vector<Planned>& values, std::string_view code, Track track) {
        for (const auto& v : values) {
            if (v.key.indicator == code && v.key.track == track && v.key.disaggregation.empty()) {
                return &v;
            }
        }
        return nullptr;
    }

    Status Evidences(int year, const std::vector<Planned>& values) {
        Rng rng(Seed(p_.code, year, "evidence"));
        const std::string lower = Lower(p_.code);
        auto url = [&](std::string_view what) {
            return fmt::format("https://example.org/synthetic/{}/{}/{}", lower, year, what);
        };
        struct Item {
            std::string_view code;
            Track track;
            Evidence ev;
        };
        std::vector<Item> items;
        {
            Evidence e;
            e.type = EvidenceType::kLawArticle;
            e.title = "Criminal Code, trafficking in human beings (cited for the synthetic demo)";
            e.citation = std::string(p_.thb_article);
            e.date = Day(year, 1, 15);
            e.reliability = Reliability::kHigh;
            items.push_back({"LF.1", Track::kCso, e});
        }
        {
            Evidence e;
            e.type = EvidenceType::kReport;
            e.title =
                fmt::format("Synthetic demo: annual report of the national coordinator, {}", year);
            e.citation = "Chapter 2, pp. 14-19";
            e.url = url("coordinator-annual-report.pdf");
            e.date = Day(year + 1, 3, 31);
            e.reliability = Reliability::kHigh;
            items.push_back({"LF.8", Track::kCso, e});
        }
        {
            Evidence e;
            e.type = EvidenceType::kReport;
            e.title = fmt::format("Synthetic demo: state budget execution report, {}", year);
            e.citation = "Annex 3, programme line on trafficking";
            e.url = url("budget-execution.pdf");
            e.date = Day(year + 1, 4, 30);
            e.reliability = Reliability::kHigh;
            items.push_back({"IC.5", Track::kOfficial, e});
        }
        {
            Evidence e;
            e.type = EvidenceType::kReport;
            e.title =
                fmt::format("Synthetic demo: capacity survey of the shelter network, {}", year);
            e.url = url("shelter-capacity-survey");
            e.date = Day(year + 1, 2, 20);
            e.reliability = Reliability::kMedium;
            items.push_back({"AS.1", Track::kCso, e});
        }
        {
            Evidence e;
            e.type = EvidenceType::kUrl;
            e.title = "Synthetic demo: news article that named a victim";
            e.url = url("media/article-naming-a-victim");
            e.date = Day(year, 9, 2);
            e.reliability = Reliability::kLow;
            items.push_back({"DP.4", Track::kCso, e});
        }
        {
            Evidence e;
            e.type = EvidenceType::kCourtDecision;
            e.title = fmt::format("Synthetic demo: first-instance judgment K {}/{}",
                                  rng.Int(40, 480), year % 100);
            e.citation = "paras 41-44 (property claim referred to civil litigation)";
            e.date = Day(year, 11, 8);
            e.reliability = Reliability::kHigh;
            items.push_back({"CO.2", Track::kCso, e});
        }
        {
            Evidence e;
            e.type = EvidenceType::kReport;
            e.title = "Synthetic demo: summary of a GRETA country evaluation report";
            e.url = url("greta-report-summary");
            e.date = Day(year, 6, 10);
            e.reliability = Reliability::kMedium;
            items.push_back({"ID.7", Track::kCso, e});
        }
        for (auto& item : items) {
            if (Find(values, item.code, item.track) == nullptr || !rng.Chance(0.8)) {
                continue;
            }
            const ValueKey key = Find(values, item.code, item.track)->key;
            RAP_TRY(AddEvidence(store_, catalog_, analyst_, cycle_, key, item.ev, ""));
        }
        return {};
    }

    // --- Narratives

    Status Narratives(int year) {
        int answered = 0;
        int in_time = 0;
        for (const auto& r : requests_) {
            if (r.response_date) {
                ++answered;
                if (r.sent && r.sent->DaysUntil(*r.response_date) <= 14) {
                    ++in_time;
                }
            }
        }
        const std::string country = country_->name.Get();
        RAP_TRY_STATUS(SaveNarrative(
            store_, catalog_, analyst_, cycle_, "summary",
            fmt::format("*Synthetic demo narrative: it describes no real monitoring.*\n\n"
                        "In {} the monitoring of {} covered {} institutions. Of the {} "
                        "information requests sent, {} were answered and {} of them within two "
                        "weeks. Identification remained mostly reactive, and compensation is "
                        "still the weakest link: awards are rare and seldom paid.",
                        year, country,
                        std::count_if(p_.institutions.begin(), p_.institutions.end(),
                                      [&](const auto& s) { return s.from_year <= year; }),
                        requests_.size(), answered, in_time)));
        RAP_TRY_STATUS(SaveNarrative(
            store_, catalog_, analyst_, cycle_, "ID",
            fmt::format("*Synthetic demo narrative.*\n\nMost presumed victims in {} were still "
                        "detected by the police. Labour inspectors and social services referred "
                        "few cases, and screening among seasonal and migrant workers was not "
                        "systematic.",
                        year)));
        RAP_TRY_STATUS(SaveNarrative(
            store_, catalog_, analyst_, cycle_, "CO",
            fmt::format("*Synthetic demo narrative.*\n\nCriminal courts in {} mostly referred "
                        "property claims to civil litigation. No state compensation scheme paid "
                        "a trafficking victim, and awards against offenders were seldom "
                        "enforced.",
                        year)));
        return {};
    }

    // --- Recommendations

    std::vector<std::string> InstitutionsOf(const std::vector<InstitutionType>& types, int year) {
        std::vector<std::string> out;
        for (const auto& s : p_.institutions) {
            if (s.from_year <= year &&
                std::find(types.begin(), types.end(), s.type) != types.end()) {
                out.emplace_back(s.id);
            }
        }
        return out;
    }

    Status SaveSpec(const RecommendationSpec& spec, monitoring::RecommendationSource source,
                    int year, std::optional<core::Date> issued) {
        monitoring::Recommendation rec;
        rec.cycle = cycle_;
        rec.source = source;
        rec.urgency = spec.urgency;
        rec.text = std::string(spec.text);
        for (auto code : spec.indicators) {
            if (fw_->Find(code) != nullptr) {
                rec.indicators.emplace_back(code);
            }
        }
        rec.institutions = InstitutionsOf(spec.institutions, year);
        if (rec.institutions.empty()) {  // a body the country does not have: its coordinator
            rec.institutions = InstitutionsOf({InstitutionType::kCoordinator}, year);
        }
        rec.issued = issued;
        const auto saved = RAP_TRY(SaveRecommendation(store_, catalog_, analyst_, rec));
        open_recs_.push_back({saved.id, FollowupStatus::kNotImplemented});
        return {};
    }

    Status Recommendations(int year) {
        Rng rng(Seed(p_.code, year, "recommendations"));
        // Follow-up of every earlier recommendation not yet implemented.
        for (auto& rec : open_recs_) {
            FollowupStatus next = FollowupStatus::kNotImplemented;
            const double x = rng.Real(0, 1);
            if (rec.last == FollowupStatus::kPartly) {
                next = x < 0.55 ? FollowupStatus::kPartly : FollowupStatus::kImplemented;
            } else {
                next = x < 0.45   ? FollowupStatus::kNotImplemented
                       : x < 0.75 ? FollowupStatus::kPartly
                       : x < 0.87 ? FollowupStatus::kImplemented
                                  : FollowupStatus::kNoInformation;
            }
            monitoring::Followup f;
            f.cycle = cycle_;
            f.status = next;
            f.evidence = std::string(FollowupEvidence(next));
            if (next == FollowupStatus::kImplemented || next == FollowupStatus::kPartly) {
                f.url = fmt::format("https://example.org/synthetic/{}/{}/followup-{}",
                                    std::string(p_.code), year, rec.id);
            }
            f.note = fmt::format("Synthetic demo: assessed in the {} cycle.", year);
            RAP_TRY_STATUS(RecordFollowup(store_, catalog_, analyst_, rec.id, f));
            rec.last = next;
        }
        std::erase_if(open_recs_, [](const OpenRecommendation& r) {
            return r.last == FollowupStatus::kImplemented;
        });
        // New recommendations of this cycle's report (issued once it is published).
        const auto& own = OwnRecommendations();
        const int count = rng.Int(3, 4);
        const std::optional<core::Date> issued =
            year == kOpenYear ? std::nullopt : std::optional(Day(year + 1, 6, 15));
        for (int made = 0, tries = 0; made < count && tries < 40; ++tries) {
            const size_t i = static_cast<size_t>(rng.Int(0, static_cast<int>(own.size()) - 1));
            const auto& spec = own[i];
            const bool fits = std::all_of(spec.indicators.begin(), spec.indicators.end(),
                                          [&](auto c) { return fw_->Find(c) != nullptr; });
            if (used_.contains(i) || !fits || InstitutionsOf(spec.institutions, year).empty()) {
                continue;
            }
            used_.insert(i);
            RAP_TRY_STATUS(SaveSpec(spec, monitoring::RecommendationSource::kOwn, year, issued));
            ++made;
        }
        const core::Date greta_day = year == 2022 ? Day(2022, 6, 10) : Day(2024, 10, 3);
        for (const auto& spec : GretaRecommendations(year)) {
            RAP_TRY_STATUS(
                SaveSpec(spec, monitoring::RecommendationSource::kGreta, year, greta_day));
        }
        return {};
    }

    // --- Review

    Status Move(Transition t, const std::string& actor, ValueSelection selection,
                const std::string& comment = {}) {
        auto moved = MoveValues(store_, catalog_, actor, cycle_, t, selection, comment);
        if (!moved && moved.error().code != Errc::kNotFound) {
            return Fail(moved.error());
        }
        return {};
    }

    static ValueSelection Keys(std::vector<ValueKey> keys) {
        ValueSelection s;
        s.keys = std::move(keys);
        return s;
    }
    static ValueSelection InArea(std::string area) {
        ValueSelection s;
        s.indicator = std::move(area);
        return s;
    }

    // Two values the reviewer sends back: an official count and a score's justification.
    std::vector<std::pair<const Planned*, std::string>> ToReturn(const std::vector<Planned>& values,
                                                                 int year) {
        std::vector<std::pair<const Planned*, std::string>> out;
        const Planned* count = Find(values, "IC.7", Track::kOfficial);
        if (count == nullptr || !count->figure) {
            count = Find(values, "IC.7", Track::kCso);
        }
        if (count != nullptr) {
            out.emplace_back(count,
                             "Synthetic demo: the figure differs by more than 15% from last "
                             "year's; check it against the reply and say why.");
        }
        static const std::vector<std::string_view> kScores = {"IC.2", "ID.8", "AS.4", "DP.1",
                                                              "PV.3"};
        const std::string_view score =
            kScores[static_cast<size_t>((year + p_.code[0]) % static_cast<int>(kScores.size()))];
        if (const Planned* v = Find(values, score, Track::kCso)) {
            out.emplace_back(v,
                             "Synthetic demo: the justification should name the document the "
                             "score rests on.");
        }
        return out;
    }

    Status ReviewAndPublish(int year, const std::vector<Planned>& values) {
        RAP_TRY_STATUS(Move(Transition::kSubmit, analyst_, ValueSelection{}));
        const auto returned = ToReturn(values, year);
        std::vector<ValueInput> fixed;
        for (const auto& [v, comment] : returned) {
            RAP_TRY_STATUS(Move(Transition::kReturn, reviewer_, Keys({v->key}), comment));
            ValueInput in = *v;
            if (in.figure && in.figure->score) {
                in.figure->justification +=
                    " Source: the coordinator's annual report (see the evidence).";
            } else {
                in.note = (in.note.empty() ? "" : in.note + " ") +
                          "Synthetic demo: checked against the reply; the change follows a new "
                          "training programme.";
            }
            fixed.push_back(std::move(in));
        }
        if (!fixed.empty()) {
            RAP_TRY(EnterValues(store_, catalog_, analyst_, cycle_, fixed));
            std::vector<ValueKey> keys;
            for (const auto& in : fixed) {
                keys.push_back(in.key);
            }
            RAP_TRY_STATUS(Move(Transition::kSubmit, analyst_, Keys(keys)));
        }
        RAP_TRY_STATUS(Move(Transition::kValidate, reviewer_, ValueSelection{}));
        return PublishCycle(store_, catalog_, reviewer_, cycle_);
    }

    // The open cycle: the first areas validated, two values returned and waiting for the
    // analyst, others submitted, the last areas still in draft.
    Status ReviewInProgress(const std::vector<Planned>& values) {
        static const std::vector<std::string> kSubmitted = {"LF", "IC", "ID", "PR", "AS", "JS"};
        for (const auto& area : kSubmitted) {
            RAP_TRY_STATUS(Move(Transition::kSubmit, analyst_, InArea(area)));
        }
        RAP_TRY_STATUS(Move(Transition::kValidate, reviewer_, InArea("LF")));
        RAP_TRY_STATUS(Move(Transition::kValidate, reviewer_, InArea("IC")));
        static const std::vector<std::pair<std::string_view, std::string_view>> kReturned = {
            {"AS.4",
             "Synthetic demo: the score looks high for a year without licensing; please "
             "check."},
            {"ID.8",
             "Synthetic demo: which institutions use the indicators? Please add the "
             "source."},
        };
        for (const auto& [code, comment] : kReturned) {
            if (const Planned* v = Find(values, code, Track::kCso)) {
                RAP_TRY_STATUS(
                    Move(Transition::kReturn, reviewer_, Keys({v->key}), std::string(comment)));
            }
        }
        return {};
    }

    store::Store& store_;
    const Catalog& catalog_;
    const Profile& p_;
    const std::string analyst_;
    const std::string reviewer_;
    const framework::Country* country_ = nullptr;
    const framework::EffectiveFramework* fw_ = nullptr;
    std::string cycle_;
    std::vector<InfoRequest> requests_;  // of the current cycle, as last saved
    std::vector<OpenRecommendation> open_recs_;
    std::set<size_t> used_;  // own recommendations already made
};

}  // namespace

Result<int> GenerateDemoCycles(store::Store& store, const Catalog& catalog) {
    const auto existing = RAP_TRY(ListCycles(store, catalog, ""));
    if (!existing.empty()) {
        return Fail(Errc::kAlreadyExists,
                    fmt::format("the database already holds {} monitoring cycle(s); the demo "
                                "cycles are generated only into a database without any",
                                existing.size()));
    }
    int opened = 0;
    for (const auto& p : Profiles()) {
        // Reference data of one's own (init --data-dir) may leave a country out.
        const auto& countries = catalog.data().countries;
        if (!countries || countries->Find(p.code) == nullptr ||
            !catalog.EffectiveForCountry(p.code)) {
            continue;
        }
        RAP_TRY_STATUS(DemoGenerator(store, catalog, p).Run());
        opened += kOpenYear - kFirstYear + 1;
    }
    return opened;
}

}  // namespace rap::app
