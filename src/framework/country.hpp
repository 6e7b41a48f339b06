// SPDX-License-Identifier: AGPL-3.0-or-later
// Countries: ISO codes, languages, currency, the freedom-of-information response rule and the
// public holidays it counts with, the population by year (the denominator of per-100,000 rates)
// and the euro reference rate by year (for amounts in national currency).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/text.hpp"
#include "framework/holidays.hpp"

namespace rap::framework {

enum class DayCount { kCalendar, kWorking };
std::string_view Name(DayCount v);

struct Deadline {
    int days = 0;
    DayCount unit = DayCount::kCalendar;
};

struct FoiRule {
    core::LocalizedText law;
    Deadline deadline;
    std::optional<Deadline> extended_deadline;   // total when lawfully extended
    std::optional<Deadline> forwarded_deadline;  // total when forwarded to another body
    std::optional<int> urgent_hours;
    core::LocalizedText appeal_body;
    std::string source;
    bool verify = false;  // the rule still needs a primary source
    // The country's public holidays (countries.yaml `public_holidays`): the rule counts working
    // days, and moves a deadline that ends on a day off, in this calendar.
    PublicHolidays holidays;
};

struct Population {
    core::LocalizedText source;
    std::string url;
    std::map<int, long long> by_year;
    std::set<int> estimated;  // years whose figure is a projection or provisional
};

// Reference exchange rates: units of the national currency per 1 EUR, annual averages.
struct EurRates {
    core::LocalizedText source;
    std::string url;
    std::map<int, double> by_year;
    std::set<int> estimated;  // years whose rate is provisional or still to be verified
};

// Small-cell disclosure control of values derived from case records (background.md §5.3): a
// value is hidden when a count it reveals is between 1 and the threshold minus one. The regional
// minimum holds in every country; a country may be stricter (countries.yaml `disclosure`), never
// looser, so that a figure hidden in one national report cannot be read in another.
inline constexpr int kRegionalDisclosureThreshold = 5;
inline constexpr int kRegionalCrossThreshold = 10;  // values broken down by two dimensions
inline constexpr int kMaxDisclosureThreshold = 1000;

struct DisclosureThresholds {
    int threshold = kRegionalDisclosureThreshold;
    int cross_threshold = kRegionalCrossThreshold;
    core::LocalizedText reason;  // why the country is stricter; empty for the regional minimum
};

struct Country {
    std::string code;  // ISO 3166-1 alpha-2
    std::string iso3;
    core::LocalizedText name;
    std::vector<std::string> languages;
    std::string currency;  // ISO 4217
    FoiRule foi;
    // Regions whose bodies have days off of their own (countries.yaml public_holidays.regional;
    // the entities and Brčko District of Bosnia and Herzegovina), by REG code: the country's rule
    // with the region's days off added.
    std::map<std::string, FoiRule, std::less<>> regional_foi;
    std::map<std::string, Location, std::less<>> regional_where;  // where each is declared
    Population population;
    EurRates eur_rates;  // empty when the file gives none
    DisclosureThresholds disclosure;

    // The FOI rule at a body seated in `region` (a REG code; empty or a region without days off
    // of its own: the country's rule).
    const FoiRule& FoiAt(std::string_view region) const;
    // Units of the national currency per 1 EUR in `year`: the stored rate, or 1 for a country
    // whose currency is the euro; nullopt when the year has no rate.
    std::optional<double> EurRate(int year) const;
};

// The years every country must have a population figure for.
inline constexpr int kFirstPopulationYear = 2010;
inline constexpr int kLastPopulationYear = 2025;
// The years a country's `eur_rates`, when given, must cover.
inline constexpr int kFirstEurRateYear = 2015;
inline constexpr int kLastEurRateYear = 2025;

struct CountrySet {
    std::string version;
    std::vector<Country> countries;
    std::string source_file;
    std::string source_text;
    std::string sha256;

    const Country* Find(std::string_view code) const;
};

// Parses `schema: rapporteur/countries@1`. Reports every problem; nullopt if there was any.
std::optional<CountrySet> ParseCountries(const std::string& file, std::string_view bytes,
                                         core::Diagnostics& diags);

}  // namespace rap::framework
