// SPDX-License-Identifier: AGPL-3.0-or-later
// Synthetic case records for the demonstration database and the benchmarks. Nothing here
// describes a real person: identifiers start with "SYN-", values are drawn from distributions
// shaped after published regional patterns (docs/demo-data.md), with a fixed seed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include <fmt/format.h>

#include "app/cases.hpp"

namespace rap::app {

namespace {

using cases::CaseTable;
using cases::Column;

// Average victims (presumed and identified) registered per year, shaped after national reports
// of the region: Albania registers the most presumed victims, Montenegro the fewest.
struct CountryProfile {
    std::string code;
    double victims_per_year;
    double national_share;  // victims who are nationals
};

const std::vector<CountryProfile>& Profiles() {
    static const std::vector<CountryProfile> kProfiles = {
        {"AL", 150, 0.93}, {"BA", 55, 0.85}, {"ME", 18, 0.55}, {"MK", 40, 0.80}, {"RS", 90, 0.88},
    };
    return kProfiles;
}

class Gen {
public:
    explicit Gen(unsigned seed) : rng_(seed) {}

    double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
    bool Chance(double p) { return Uniform() < p; }
    int Poisson(double mean) { return std::poisson_distribution<int>(mean)(rng_); }
    int Between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    double LogNormal(double median, double sigma) {
        return median * std::exp(sigma * std::normal_distribution<double>(0, 1)(rng_));
    }

    // Picks a code by weight; `codes` and `weights` are parallel.
    std::string_view Pick(const std::vector<std::string_view>& codes,
                          const std::vector<double>& weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = Uniform() * total;
        for (size_t i = 0; i < codes.size(); ++i) {
            x -= weights[i];
            if (x <= 0) {
                return codes[i];
            }
        }
        return codes.back();
    }

private:
    std::mt19937_64 rng_;
};

// Appends one value to a column by its code text (or null).
void PutCode(Column& c, std::string_view code) {
    if (code.empty()) {
        c.AppendNull();
        return;
    }
    for (size_t i = 0; i < c.codelist->codes.size(); ++i) {
        if (c.codelist->codes[i].code == code) {
            c.code.push_back(static_cast<int32_t>(i));
            return;
        }
    }
    // The generator only uses codes of the shipped codelists; anything else is a bug here.
    std::fprintf(stderr, "synthetic data: code '%.*s' is not in codelist %s\n",
                 static_cast<int>(code.size()), code.data(), c.codelist->dimension.c_str());
    std::abort();
}

void PutCodes(Column& c, const std::vector<std::string_view>& codes, bool recorded = true) {
    if (!recorded) {
        c.AppendNull();
        return;
    }
    uint64_t bits = 0;
    for (auto code : codes) {
        bool found = false;
        for (size_t i = 0; i < c.codelist->codes.size(); ++i) {
            if (c.codelist->codes[i].code == code) {
                bits |= uint64_t{1} << i;
                found = true;
            }
        }
        if (!found && code != "none") {
            std::fprintf(stderr, "synthetic data: code '%.*s' is not in codelist %s\n",
                         static_cast<int>(code.size()), code.data(),
                         c.codelist->dimension.c_str());
            std::abort();
        }
    }
    c.set.push_back(bits);
}

void PutNumber(Column& c, std::optional<int64_t> v) {
    c.number.push_back(v ? *v : cases::kNullNumber);
}

void PutFlag(Column& c, std::optional<bool> v) {
    c.flag.push_back(v ? static_cast<int8_t>(*v) : cases::kNullFlag);
}

void PutText(Column& c, std::string v) { c.text.push_back(std::move(v)); }

// A row builder: every field gets exactly one value; fields not set are "not recorded".
class RowBuilder {
public:
    explicit RowBuilder(CaseTable& table) : table_(table), set_(table.columns().size(), false) {}
    Column& operator[](std::string_view field) {
        const int i = table_.record().FieldIndex(field);
        set_[static_cast<size_t>(i)] = true;
        return table_.column(static_cast<size_t>(i));
    }
    void Finish() {
        for (size_t i = 0; i < set_.size(); ++i) {
            if (!set_[i]) {
                table_.column(i).AppendNull();
            }
        }
        table_.CommitRow();
    }

private:
    CaseTable& table_;
    std::vector<bool> set_;
};

struct VictimRef {
    std::string id;
    int year;
};

}  // namespace

std::map<std::string, CaseTable> GenerateSyntheticCases(const framework::ReferenceData& data,
                                                        const SyntheticOptions& options) {
    std::map<std::string, CaseTable> tables;
    const cases::CaseSchema& schema = *data.case_schema;
    for (const auto& r : schema.records) {
        tables.emplace(r.id, CaseTable(r, data.codelists));
    }
    CaseTable& victims = tables.at("victim");
    CaseTable& proceedings = tables.at("proceeding");
    CaseTable& defendants = tables.at("defendant");
    CaseTable& pvictims = tables.at("proceeding_victim");
    CaseTable& claims = tables.at("claim");
    Gen g(options.seed);

    const int years = options.last_year - options.first_year + 1;
    double expected_total = 0;
    for (const auto& p : Profiles()) {
        expected_total += p.victims_per_year * years;
    }
    const double scale =
        options.total_victims > 0 ? static_cast<double>(options.total_victims) / expected_total : 1;
    const size_t reserve = static_cast<size_t>(expected_total * scale * 1.05);
    for (auto& c : const_cast<std::vector<Column>&>(victims.columns())) {
        c.Reserve(reserve);
    }

    const std::vector<std::string_view> forms = {"sexual", "labour", "begging", "marriage",
                                                 "criminal", "domestic_servitude",
                                                 "illegal_adoption", "other"};
    const std::vector<double> form_w = {52, 20, 10, 7, 5, 4, 0.7, 1.3};
    const std::vector<std::string_view> bands = {"0-11", "12-17", "18-24", "25-34",
                                                 "35-44", "45-54", "55+"};
    const std::vector<double> band_w = {8, 30, 24, 18, 11, 6, 3};
    const std::vector<std::string_view> idb = {"police", "border_police", "cso", "social",
                                               "labour_insp", "health", "education",
                                               "prosecutor", "self", "family_community", "unknown"};
    const std::vector<double> idb_w = {38, 9, 22, 14, 3, 2, 2, 3, 3, 2, 2};
    const std::vector<std::string_view> services = {"accommodation", "medical", "psychological",
                                                    "legal", "interpretation", "education",
                                                    "employment", "financial"};
    const std::vector<double> service_p = {0.55, 0.6, 0.65, 0.5, 0.12, 0.2, 0.15, 0.3};

    long long serial = 0;
    for (const auto& profile : Profiles()) {
        std::vector<VictimRef> country_victims;
        for (int year = options.first_year; year <= options.last_year; ++year) {
            // A gentle trend: more proactive identification in later years.
            const double trend = 0.85 + 0.03 * (year - options.first_year);
            const int n = g.Poisson(profile.victims_per_year * scale * trend);
            for (int i = 0; i < n; ++i) {
                RowBuilder row(victims);
                const std::string id = fmt::format("SYN-{}-{}-{:07}", profile.code, year, ++serial);
                PutText(row["case_id"], id);
                PutText(row["country"], profile.code);
                PutNumber(row["year"], year);
                country_victims.push_back({id, year});
                const bool identified = g.Chance(0.62);
                const std::string_view status =
                    identified ? "identified" : (g.Chance(0.9) ? "presumed" : "not_victim");
                PutCode(row["status"], status);
                PutCode(row["sex"], g.Chance(0.02) ? "U" : (g.Chance(0.71) ? "F" : "M"));
                const std::string_view band = g.Chance(0.04) ? "" : g.Pick(bands, band_w);
                PutCode(row["age_band"], band);
                const bool child = band == "0-11" || band == "12-17";
                PutFlag(row["minor_at_identification"],
                        band.empty() ? std::nullopt : std::optional<bool>(child));
                const bool national = g.Chance(profile.national_share);
                PutCode(row["citizenship_group"],
                        national ? "national"
                                 : g.Pick({"other_wb", "eu", "other", "stateless", "unknown"},
                                          {45, 10, 38, 3, 4}));
                PutCode(row["scope"], national ? (g.Chance(0.8) ? "internal" : "transnational")
                                               : "transnational");
                std::vector<std::string_view> f = {g.Pick(forms, form_w)};
                if (g.Chance(0.08)) {
                    f.push_back(g.Pick(forms, form_w));
                    std::sort(f.begin(), f.end());
                    f.erase(std::unique(f.begin(), f.end()), f.end());
                }
                PutCodes(row["forms"], f, !g.Chance(0.03));
                const std::string_view by = g.Pick(idb, idb_w);
                PutCode(row["identified_by"], by);
                PutCodes(row["known_to"], {by, g.Chance(0.3) ? "social" : by});
                PutCode(row["reporting_org_type"],
                        g.Pick({"state_social", "police", "cso", "other"}, {45, 25, 27, 3}));
                PutCode(row["recruiter_relation"],
                        g.Pick({"intimate_partner", "family", "friend_acquaintance", "stranger",
                                "unknown"},
                               {24, 18, 30, 14, 14}));
                // Months: first contact in the reporting year; a decision some weeks later.
                const int month = g.Between(1, 12);
                PutNumber(row["date_first_contact"], cases::MonthIndex(year, month));
                const bool decided = status != "presumed";
                const int days = static_cast<int>(std::min(720.0, g.LogNormal(35, 0.9)));
                PutNumber(row["days_to_status"], decided ? std::optional<int64_t>(days)
                                                         : std::nullopt);
                // Never after the last year generated: imports refuse months in the future.
                PutNumber(row["date_identified"],
                          decided ? std::optional<int64_t>(
                                        std::min(cases::MonthIndex(year, month) + days / 30,
                                                 cases::MonthIndex(options.last_year, 12)))
                                  : std::nullopt);
                PutCode(row["status_decided_by"],
                        decided ? g.Pick({"social_services_body", "police", "prosecution_court",
                                          "cso"},
                                         {60, 25, 10, 5})
                                : "");
                const bool reflection = g.Chance(0.45);
                PutFlag(row["reflection_offered"], reflection);
                PutNumber(row["reflection_days"],
                          g.Chance(0.1) ? std::nullopt
                                        : std::optional<int64_t>(
                                              reflection ? g.Pick({"30", "60", "90", "15"},
                                                                  {60, 15, 10, 15}) == "15"
                                                               ? 15
                                                               : 30 + 30 * g.Between(0, 2)
                                                         : 0));
                PutCode(row["residence_permit"],
                        national ? "not_applicable"
                                 : g.Pick({"applied", "granted_temporary",
                                           "granted_humanitarian", "refused", "unknown"},
                                          {15, 40, 15, 15, 15}));
                std::vector<std::string_view> got;
                for (size_t s = 0; s < services.size(); ++s) {
                    if (identified && g.Chance(service_p[s])) {
                        got.push_back(services[s]);
                    }
                }
                PutCodes(row["services"], got, identified ? !g.Chance(0.05) : g.Chance(0.3));
                PutCode(row["shelter_type"],
                        identified ? g.Pick({"state", "cso", "mixed", "none"}, {35, 35, 10, 20})
                                   : "");
                PutFlag(row["assistance_plan"],
                        identified ? std::optional<bool>(g.Chance(0.55)) : std::nullopt);
                const bool supported = identified && g.Chance(0.8);
                const int support = static_cast<int>(std::min(2000.0, g.LogNormal(210, 0.8)));
                PutNumber(row["support_days"],
                          supported ? std::optional<int64_t>(support) : std::nullopt);
                PutNumber(row["support_start"],
                          supported ? std::optional<int64_t>(cases::MonthIndex(year, month))
                                    : std::nullopt);
                PutFlag(row["entered_education_employment"],
                        supported ? std::optional<bool>(g.Chance(child ? 0.45 : 0.25))
                                  : std::nullopt);
                PutFlag(row["risk_assessment_done"],
                        identified ? std::optional<bool>(g.Chance(0.6)) : std::nullopt);
                if (child) {
                    const bool guardian = g.Chance(0.7);
                    PutFlag(row["guardian_appointed"], guardian);
                    PutNumber(row["days_to_guardian"],
                              guardian ? std::optional<int64_t>(g.Between(1, 60)) : std::nullopt);
                }
                const bool penalised = g.Chance(0.04);
                PutCode(row["penalised_for_own_offence"],
                        penalised ? g.Pick({"investigated", "prosecuted", "fined", "convicted"},
                                           {50, 20, 20, 10})
                                  : (g.Chance(0.9) ? "no" : "unknown"));
                PutCode(row["penalised_offence"],
                        penalised ? g.Pick({"prostitution_offence", "immigration_offence",
                                            "document_offence", "property_offence",
                                            "begging_offence"},
                                           {40, 20, 15, 15, 10})
                                  : "");
                const bool returned = !national && g.Chance(0.35);
                PutCode(row["return_type"],
                        returned ? g.Pick({"assisted_voluntary", "forced"}, {75, 25})
                                 : "not_applicable");
                PutFlag(row["return_risk_assessed"],
                        returned ? std::optional<bool>(g.Chance(0.6)) : std::nullopt);
                PutFlag(row["retrafficked"],
                        returned ? std::optional<bool>(g.Chance(0.07)) : std::nullopt);
                PutFlag(row["informed_of_compensation"],
                        identified ? std::optional<bool>(g.Chance(0.5)) : std::nullopt);
                PutFlag(row["consent_data_processing"], true);
                PutFlag(row["consent_anonymised_sharing"], g.Chance(0.85));
                if (profile.code == "BA") {
                    PutCode(row["sub_national_unit"],
                            g.Pick({"BA-FBIH", "BA-SRP", "BA-BD", "BA-STATE"}, {55, 33, 5, 7}));
                }
                row.Finish();
            }
            // Proceedings of the year, with defendants and the victims heard in them.
            const int np = g.Poisson(profile.victims_per_year * scale * 0.22);
            for (int i = 0; i < np; ++i) {
                RowBuilder row(proceedings);
                const std::string pid = fmt::format("SYN-P-{}-{}-{:07}", profile.code, year, ++serial);
                PutText(row["proceeding_id"], pid);
                PutText(row["country"], profile.code);
                PutNumber(row["year"], year);
                const std::string_view lq = profile.code == "RS"   ? "RS-388"
                                            : profile.code == "ME" ? "ME-444"
                                            : profile.code == "MK" ? "MK-418a"
                                            : profile.code == "AL" ? "AL-110a"
                                                                   : "BA-186";
                PutCode(row["legal_qualification_initial"], lq);
                const bool requalified = g.Chance(0.18);
                PutCode(row["legal_qualification_final"], requalified ? "other_lesser" : lq);
                PutFlag(row["requalified"], g.Chance(0.05) ? std::nullopt
                                                           : std::optional<bool>(requalified));
                PutCodes(row["forms"], {g.Pick(forms, form_w)});
                const bool investigation = g.Chance(0.6);
                PutFlag(row["investigation_opened"], investigation);
                const std::string_view stage =
                    g.Pick({"investigation", "indicted", "trial", "first_instance", "appeal",
                            "final"},
                           {20, 12, 18, 18, 10, 22});
                PutCode(row["stage"], stage);
                const bool final = stage == "final";
                PutNumber(row["date_final_verdict"],
                          final ? std::optional<int64_t>(cases::MonthIndex(year, g.Between(1, 12)))
                                : std::nullopt);
                PutNumber(row["days_to_verdict"],
                          final ? std::optional<int64_t>(
                                      static_cast<int64_t>(std::min(4000.0, g.LogNormal(600, 0.6))))
                                : std::nullopt);
                const bool confiscation = final && g.Chance(0.2);
                PutFlag(row["confiscation_ordered"], final ? std::optional<bool>(confiscation)
                                                           : std::nullopt);
                PutNumber(row["amount_ordered_eur"],
                          confiscation ? std::optional<int64_t>(static_cast<int64_t>(
                                             g.LogNormal(15000, 1.0) * 100))
                                       : std::nullopt);
                PutNumber(row["amount_realised_eur"],
                          confiscation ? std::optional<int64_t>(static_cast<int64_t>(
                                             g.LogNormal(4000, 1.2) * 100))
                                       : std::nullopt);
                PutCode(row["source"], g.Pick({"court_statistics", "judgment_text", "foi",
                                               "trial_monitoring", "cso_file"},
                                              {35, 25, 20, 10, 10}));
                if (profile.code == "BA") {
                    PutCode(row["sub_national_unit"],
                            g.Pick({"BA-FBIH", "BA-SRP", "BA-BD", "BA-STATE"}, {40, 30, 5, 25}));
                }
                row.Finish();
                const int nd = 1 + g.Poisson(0.8);
                for (int d = 0; d < nd; ++d) {
                    RowBuilder drow(defendants);
                    PutText(drow["defendant_id"], fmt::format("{}-D{}", pid, d + 1));
                    PutText(drow["proceeding_id"], pid);
                    PutCode(drow["sex"], g.Chance(0.78) ? "M" : "F");
                    PutCode(drow["citizenship_group"],
                            g.Chance(profile.national_share) ? "national" : "other_wb");
                    PutFlag(drow["indicted"], stage != "investigation");
                    std::string_view outcome = "ongoing";
                    if (stage == "first_instance" || stage == "appeal" || final) {
                        outcome = g.Pick({"convicted", "convicted_plea_agreement", "acquitted",
                                          "charges_dropped"},
                                         {55, 20, 18, 7});
                    }
                    PutCode(drow["outcome"], outcome);
                    const bool convicted =
                        outcome == "convicted" || outcome == "convicted_plea_agreement";
                    PutCode(drow["verdict_stage"],
                            outcome == "ongoing" ? "" : (final ? "final" : "first_instance"));
                    const std::string_view sentence =
                        convicted ? g.Pick({"prison", "suspended", "fine"}, {68, 27, 5}) : "";
                    PutCode(drow["sentence_type"], sentence);
                    PutNumber(drow["prison_months"],
                              sentence == "prison"
                                  ? std::optional<int64_t>(12 * g.Between(1, 10) + g.Between(0, 11))
                                  : std::nullopt);
                    drow.Finish();
                }
                // Victims heard: drawn from this country's victims of this or earlier years.
                if (!country_victims.empty()) {
                    const int nv = 1 + g.Poisson(0.5);
                    std::vector<size_t> picked;
                    for (int v = 0; v < nv; ++v) {
                        const size_t lo = country_victims.size() > 400
                                              ? country_victims.size() - 400
                                              : 0;
                        const size_t at = lo + static_cast<size_t>(g.Between(
                                                   0, static_cast<int>(country_victims.size() - lo - 1)));
                        if (std::find(picked.begin(), picked.end(), at) != picked.end()) {
                            continue;
                        }
                        picked.push_back(at);
                        RowBuilder vrow(pvictims);
                        PutText(vrow["proceeding_id"], pid);
                        PutText(vrow["case_id"], country_victims[at].id);
                        const bool testified = g.Chance(0.7);
                        PutFlag(vrow["testified"], testified);
                        PutNumber(vrow["times_heard"],
                                  testified ? std::optional<int64_t>(g.Between(1, 4)) : std::nullopt);
                        std::vector<std::string_view> measures;
                        if (testified && g.Chance(0.55)) {
                            measures.push_back(g.Pick({"video_link", "no_visual_contact",
                                                       "closed_hearing", "protected_witness",
                                                       "support_person_present"},
                                                      {30, 20, 25, 10, 15}));
                        }
                        PutCodes(vrow["protective_measures"],
                                 measures.empty() ? std::vector<std::string_view>{"none"} : measures,
                                 testified);
                        PutCode(vrow["legal_representation"],
                                g.Pick({"state_legal_aid", "cso_lawyer", "private", "none",
                                        "unknown"},
                                       {25, 35, 5, 30, 5}));
                        PutFlag(vrow["informed_of_rights"], g.Chance(0.7));
                        const bool claim_filed = g.Chance(0.35);
                        PutFlag(vrow["property_claim_filed"], claim_filed);
                        PutCode(vrow["property_claim_decision"],
                                claim_filed ? g.Pick({"awarded_full", "awarded_partial",
                                                      "referred_to_civil", "rejected",
                                                      "not_decided"},
                                                     {8, 10, 55, 7, 20})
                                            : "");
                        vrow.Finish();
                    }
                }
            }
        }
        // Compensation claims: about one in ten victims, lodged in the year of registration or
        // later; few awarded, fewer paid.
        for (const auto& v : country_victims) {
            if (!g.Chance(0.1)) {
                continue;
            }
            RowBuilder row(claims);
            PutText(row["claim_id"], fmt::format("SYN-C-{}", ++serial));
            PutText(row["case_id"], v.id);
            PutText(row["country"], profile.code);
            PutNumber(row["year"], std::min(options.last_year, v.year + g.Between(0, 2)));
            PutCode(row["route"], g.Pick({"criminal_adhesion", "civil_litigation",
                                          "labour_court", "state_scheme", "settlement"},
                                         {45, 35, 5, 5, 10}));
            PutCode(row["respondent"], g.Pick({"offender", "employer_legal_person", "state"},
                                              {80, 12, 8}));
            PutCodes(row["heads_of_damage"],
                     {g.Chance(0.7) ? "non_pecuniary_mental_anguish" : "unpaid_wages",
                      g.Chance(0.4) ? "lost_earnings" : "legal_costs"});
            const int64_t claimed = static_cast<int64_t>(g.LogNormal(12000, 0.9) * 100);
            PutNumber(row["amount_claimed_eur"], claimed);
            const std::string_view decision =
                g.Pick({"awarded_full", "awarded_partial", "rejected", "referred", "withdrawn",
                        "pending"},
                       {10, 15, 10, 25, 5, 35});
            PutCode(row["decision"], decision);
            const bool awarded = decision == "awarded_full" || decision == "awarded_partial";
            const int64_t award =
                awarded ? (decision == "awarded_full" ? claimed
                                                      : claimed * g.Between(20, 80) / 100)
                        : 0;
            PutNumber(row["amount_awarded_eur"], awarded ? std::optional<int64_t>(award)
                                                         : std::nullopt);
            const bool paid = awarded && g.Chance(0.35);
            const int64_t paid_amount = paid ? award * g.Between(10, 100) / 100 : 0;
            PutNumber(row["amount_paid_eur"],
                      awarded ? std::optional<int64_t>(paid_amount) : std::nullopt);
            PutNumber(row["days_to_payment"],
                      paid ? std::optional<int64_t>(static_cast<int64_t>(
                                 std::min(5000.0, g.LogNormal(900, 0.6))))
                           : std::nullopt);
            PutCode(row["rejection_reason"],
                    decision == "rejected"
                        ? g.Pick({"no_conviction", "time_limit", "insufficient_evidence", "other"},
                                 {40, 20, 30, 10})
                        : "");
            PutFlag(row["enforcement_initiated"], awarded ? std::optional<bool>(g.Chance(0.6))
                                                          : std::nullopt);
            PutCode(row["paid_by"], paid ? g.Pick({"offender", "state_fund", "confiscated_assets"},
                                                  {70, 20, 10})
                                         : "");
            PutCode(row["legal_aid_provider"], g.Pick({"cso", "state", "private", "none"},
                                                      {50, 20, 10, 20}));
            row.Finish();
        }
    }
    return tables;
}

}  // namespace rap::app
