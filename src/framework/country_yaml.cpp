// SPDX-License-Identifier: AGPL-3.0-or-later
// Loader for data/countries.yaml. See docs/data-formats.md.
#include <limits>
#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/yaml_reader.hpp"
#include "framework/country.hpp"
#include "framework/framework.hpp"
#include "framework/holidays_yaml.hpp"

namespace rap::framework {

std::string_view Name(DayCount v) { return v == DayCount::kCalendar ? "calendar" : "working"; }

const Country* CountrySet::Find(std::string_view code) const {
    auto it = std::find_if(countries.begin(), countries.end(),
                           [&](const Country& c) { return c.code == code; });
    return it == countries.end() ? nullptr : &*it;
}

const FoiRule& Country::FoiAt(std::string_view region) const {
    auto it = regional_foi.find(region);
    return it == regional_foi.end() ? foi : it->second;
}

std::optional<double> Country::EurRate(int year) const {
    if (auto it = eur_rates.by_year.find(year); it != eur_rates.by_year.end()) {
        return it->second;
    }
    if (currency == "EUR") {
        return 1.0;
    }
    return std::nullopt;
}

namespace {

constexpr std::string_view kSchema = "rapporteur/countries@1";

bool AllUpper(std::string_view s, size_t n) {
    return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::optional<Deadline> ParseDeadline(core::YamlReader& r, const YAML::Node& node,
                                      std::string_view what) {
    if (!r.CheckMap(node, what, {"days", "unit"}, {})) {
        return std::nullopt;
    }
    auto days = r.Integer(node, "days", 1, 365);
    auto unit = r.String(node, "unit");
    if (!days || !unit) {
        return std::nullopt;
    }
    Deadline d;
    d.days = static_cast<int>(*days);
    if (*unit == "calendar") {
        d.unit = DayCount::kCalendar;
    } else if (*unit == "working") {
        d.unit = DayCount::kWorking;
    } else {
        r.Report(node["unit"], fmt::format("{}: unit {} is not known; expected calendar or "
                                           "working",
                                           what, core::Quoted(*unit)));
        return std::nullopt;
    }
    return d;
}

void ParseFoi(core::YamlReader& r, const YAML::Node& node, Country* c) {
    const std::string what = fmt::format("{} foi", c->code);
    if (!r.CheckMap(node, what, {"law", "deadline", "appeal_body", "source"},
                    {"extended_deadline", "forwarded_deadline", "urgent_hours", "verify"})) {
        return;
    }
    FoiRule& foi = c->foi;
    foi.law = r.Text(node, "law").value_or(core::LocalizedText());
    foi.appeal_body = r.Text(node, "appeal_body").value_or(core::LocalizedText());
    foi.source = r.String(node, "source").value_or("");
    if (core::YamlReader::Has(node, "deadline")) {
        if (auto d = ParseDeadline(r, node["deadline"], what + " deadline")) {
            foi.deadline = *d;
        }
    }
    for (auto [key, field] : {std::pair{"extended_deadline", &foi.extended_deadline},
                              std::pair{"forwarded_deadline", &foi.forwarded_deadline}}) {
        if (core::YamlReader::Has(node, key)) {
            *field = ParseDeadline(r, node[key], fmt::format("{} {}", what, key));
            if (*field && (*field)->days < foi.deadline.days &&
                (*field)->unit == foi.deadline.unit) {
                r.Report(node[key], fmt::format("{} {} is the total time allowed and cannot be "
                                                "shorter than the deadline ({} days)",
                                                what, key, foi.deadline.days));
            }
        }
    }
    if (core::YamlReader::Has(node, "urgent_hours")) {
        if (auto h = r.Integer(node, "urgent_hours", 1, 24 * 30)) {
            foi.urgent_hours = static_cast<int>(*h);
        }
    }
    if (core::YamlReader::Has(node, "verify")) {
        foi.verify = r.Bool(node, "verify").value_or(false);
    }
}

void ParseDisclosure(core::YamlReader& r, const YAML::Node& node, Country* c) {
    const std::string what = fmt::format("{} disclosure", c->code);
    if (!r.CheckMap(node, what, {"threshold", "reason"}, {"cross_threshold"})) {
        return;
    }
    DisclosureThresholds& d = c->disclosure;
    d.reason = r.Text(node, "reason").value_or(core::LocalizedText());
    // Stricter only; see country.hpp.
    auto at_least = [&](const char* key, long long minimum, std::string_view why) {
        auto v = r.Integer(node, key, 1, kMaxDisclosureThreshold);
        if (v && *v < minimum) {
            r.Report(node[key], fmt::format("{} {} is {}, below {}: {}", what, key, *v, minimum,
                                            why));
            return std::optional<long long>();
        }
        return v;
    };
    if (auto t = at_least("threshold", kRegionalDisclosureThreshold,
                          "a country may be stricter than the regional minimum, not looser")) {
        d.threshold = static_cast<int>(*t);
    }
    d.cross_threshold = std::max(d.threshold, kRegionalCrossThreshold);
    if (core::YamlReader::Has(node, "cross_threshold")) {
        if (auto t = at_least("cross_threshold", d.cross_threshold,
                              "the threshold across two dimensions is at least the regional "
                              "minimum and at least the country's threshold")) {
            d.cross_threshold = static_cast<int>(*t);
        }
    }
}

void ParsePopulation(core::YamlReader& r, const YAML::Node& node, Country* c) {
    const std::string what = fmt::format("{} population", c->code);
    if (!r.CheckMap(node, what, {"source", "values"}, {"estimated"})) {
        return;
    }
    const YAML::Node source = node["source"];
    if (r.CheckMap(source, what + " source", {"name"}, {"url"})) {
        c->population.source = r.Text(source, "name").value_or(core::LocalizedText());
        c->population.url = r.String(source, "url").value_or("");
    }
    const YAML::Node values = node["values"];
    if (values.IsDefined() && !values.IsMap()) {
        r.Report(values, fmt::format("{} values must map years to figures (2010: 7291436)", what));
    }
    if (values.IsMap()) {
        for (const auto& e : values) {
            auto year = r.IntegerScalar(e.first, what + " year", 1900, 2100);
            auto count = r.IntegerScalar(e.second, what + " value", 1, 2'000'000'000);
            if (year && count) {
                if (!c->population.by_year.emplace(static_cast<int>(*year), *count).second) {
                    r.Report(e.first, fmt::format("{}: year {} given twice", what, *year));
                }
            }
        }
        for (int y = kFirstPopulationYear; y <= kLastPopulationYear; ++y) {
            if (!c->population.by_year.contains(y)) {
                r.Report(values, fmt::format("{}: no figure for {}; every year {}-{} is needed",
                                             what, y, kFirstPopulationYear, kLastPopulationYear));
            }
        }
    }
    if (core::YamlReader::Has(node, "estimated")) {
        const YAML::Node est = node["estimated"];
        if (r.CheckSeq(est, what + " estimated")) {
            for (const auto& y : est) {
                if (auto year = r.IntegerScalar(y, what + " estimated year", 1900, 2100)) {
                    if (!c->population.by_year.contains(static_cast<int>(*year))) {
                        r.Report(y, fmt::format("{}: estimated year {} has no figure", what,
                                                *year));
                    }
                    c->population.estimated.insert(static_cast<int>(*year));
                }
            }
        }
    }
}

// A positive decimal number: more than 0 and at most 1000000.
std::optional<double> PositiveNumber(core::YamlReader& r, const YAML::Node& node,
                                     std::string_view what) {
    const double kInf = std::numeric_limits<double>::infinity();
    auto value = r.NumberScalar(node, what, -kInf, kInf);
    if (value && (*value <= 0 || *value > 1e6)) {
        r.Report(node, fmt::format("{} must be more than 0 and at most 1000000, found {}", what,
                                   *value));
        return std::nullopt;
    }
    return value;
}

void ParseEurRates(core::YamlReader& r, const YAML::Node& node, Country* c) {
    const std::string what = fmt::format("{} eur_rates", c->code);
    if (!r.CheckMap(node, what, {"source", "values"}, {"url", "estimated"})) {
        return;
    }
    EurRates& rates = c->eur_rates;
    rates.source = r.Text(node, "source").value_or(core::LocalizedText());
    rates.url = r.String(node, "url").value_or("");
    const YAML::Node values = node["values"];
    if (values.IsDefined() && !values.IsMap()) {
        r.Report(values, fmt::format("{} values must map years to units of {} per euro "
                                     "(2015: 120.73)",
                                     what, c->currency));
    }
    if (values.IsMap()) {
        for (const auto& e : values) {
            auto year = r.IntegerScalar(e.first, what + " year", 1900, 2100);
            auto rate = PositiveNumber(r, e.second, what + " value");
            if (!year || !rate) {
                continue;
            }
            if (c->currency == "EUR" && *rate != 1) {
                r.Report(e.second, fmt::format("{}: {} uses the euro, so the rate of {} is 1, not "
                                               "{}",
                                               what, c->code, *year, *rate));
            }
            if (!rates.by_year.emplace(static_cast<int>(*year), *rate).second) {
                r.Report(e.first, fmt::format("{}: year {} given twice", what, *year));
            }
        }
        for (int y = kFirstEurRateYear; y <= kLastEurRateYear; ++y) {
            if (!rates.by_year.contains(y)) {
                r.Report(values, fmt::format("{}: no rate for {}; every year {}-{} is needed",
                                             what, y, kFirstEurRateYear, kLastEurRateYear));
            }
        }
    }
    if (core::YamlReader::Has(node, "estimated")) {
        const YAML::Node est = node["estimated"];
        if (r.CheckSeq(est, what + " estimated")) {
            for (const auto& y : est) {
                if (auto year = r.IntegerScalar(y, what + " estimated year", 1900, 2100)) {
                    if (!rates.by_year.contains(static_cast<int>(*year))) {
                        r.Report(y, fmt::format("{}: estimated year {} has no rate", what,
                                                *year));
                    }
                    rates.estimated.insert(static_cast<int>(*year));
                }
            }
        }
    }
}

}  // namespace

std::optional<CountrySet> ParseCountries(const std::string& file, std::string_view bytes,
                                         core::Diagnostics& diags) {
    const size_t errors_before = diags.size();
    core::YamlReader r(file, diags);
    auto root = r.Parse(bytes);
    if (!root) {
        return std::nullopt;
    }
    if (!r.CheckMap(*root, "countries file", {"schema", "version", "countries"}, {})) {
        return std::nullopt;
    }
    CountrySet set;
    set.source_file = file;
    set.source_text = std::string(core::StripBom(bytes));
    set.sha256 = core::Sha256Hex(set.source_text);
    if (!r.CheckSchema(*root, kSchema, "a countries file")) {
        return std::nullopt;
    }
    if (auto v = r.String(*root, "version")) {
        set.version = *v;
        if (!IsVersion(*v)) {
            r.Report((*root)["version"], fmt::format("version {} must look like 1.0.0",
                                                     core::Quoted(*v)));
        }
    }
    const YAML::Node list = (*root)["countries"];
    if (list.IsDefined() && r.CheckSeq(list, "'countries'")) {
        for (const auto& item : list) {
            if (!r.CheckMap(item, "country",
                            {"code", "iso3", "name", "languages", "currency", "foi", "population"},
                            {"eur_rates", "public_holidays", "disclosure"})) {
                continue;
            }
            Country c;
            c.code = r.String(item, "code").value_or("");
            if (!AllUpper(c.code, 2)) {
                r.Report(item["code"], fmt::format("country code {} must be ISO 3166-1 alpha-2 "
                                                   "in upper case",
                                                   core::Quoted(c.code)));
            } else if (set.Find(c.code) != nullptr) {
                r.Report(item["code"], fmt::format("duplicate country {}", c.code));
                continue;
            }
            c.iso3 = r.String(item, "iso3").value_or("");
            if (!AllUpper(c.iso3, 3)) {
                r.Report(item["iso3"], fmt::format("{}: iso3 {} must be three upper-case letters",
                                                   c.code, core::Quoted(c.iso3)));
            }
            c.name = r.Text(item, "name").value_or(core::LocalizedText());
            if (auto langs = r.StringList(item, "languages")) {
                for (auto& [lang, node] : *langs) {
                    if (!core::IsKnownLanguage(lang)) {
                        r.Report(node, fmt::format("{}: unknown language tag {}", c.code,
                                                   core::Quoted(lang)));
                    }
                    c.languages.push_back(lang);
                }
            }
            c.currency = r.String(item, "currency").value_or("");
            if (!AllUpper(c.currency, 3)) {
                r.Report(item["currency"], fmt::format("{}: currency {} must be an ISO 4217 code",
                                                       c.code, core::Quoted(c.currency)));
            }
            if (core::YamlReader::Has(item, "foi")) {
                ParseFoi(r, item["foi"], &c);
            }
            if (core::YamlReader::Has(item, "population")) {
                ParsePopulation(r, item["population"], &c);
            }
            if (core::YamlReader::Has(item, "public_holidays")) {
                std::vector<RegionalHolidays> regional;
                ParsePublicHolidays(r, item["public_holidays"], c.code + " public_holidays",
                                    &c.foi.holidays, &regional);
                for (auto& region : regional) {
                    if (region.region.rfind(c.code + "-", 0) != 0 ||
                        c.regional_foi.contains(region.region)) {
                        r.Report(item["public_holidays"]["regional"],
                                 fmt::format("{} public_holidays regional: {} must be a region "
                                             "of {} (a REG code starting with {}-), listed once",
                                             c.code, core::Quoted(region.region), c.code,
                                             c.code));
                        continue;
                    }
                    FoiRule rule = c.foi;
                    rule.holidays = WithRegionalDays(c.foi.holidays, region.days_off);
                    c.regional_foi.emplace(region.region, std::move(rule));
                    c.regional_where.emplace(region.region, region.where);
                }
            }
            if (core::YamlReader::Has(item, "eur_rates")) {
                ParseEurRates(r, item["eur_rates"], &c);
            }
            if (core::YamlReader::Has(item, "disclosure")) {
                ParseDisclosure(r, item["disclosure"], &c);
            }
            set.countries.push_back(std::move(c));
        }
    }
    if (diags.size() != errors_before) {
        return std::nullopt;
    }
    return set;
}

}  // namespace rap::framework
