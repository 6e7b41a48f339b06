// SPDX-License-Identifier: AGPL-3.0-or-later
// Loader for a country's `public_holidays` in data/countries.yaml. See docs/data-formats.md.
#include "framework/holidays_yaml.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "core/yaml_reader.hpp"

namespace rap::framework {

namespace {

constexpr int kMinOffset = -60;  // Ash Wednesday is 46 days before Easter, Pentecost 49 after
constexpr int kMaxOffset = 60;

// The optional `substitute` of a map; reports an unknown value.
std::optional<Substitute> ParseSubstituteKey(core::YamlReader& r, const YAML::Node& node,
                                             std::string_view what) {
    if (!core::YamlReader::Has(node, "substitute")) {
        return std::nullopt;
    }
    auto text = r.String(node, "substitute");
    if (!text) {
        return std::nullopt;
    }
    auto s = ParseSubstitute(*text);
    if (!s) {
        r.Report(node["substitute"],
                 fmt::format("{}: substitute {} is not known; expected none, sunday or weekend",
                             what, core::Quoted(*text)));
    }
    return s;
}

// "MM-DD" of a day that exists every year (so not 02-29).
std::optional<std::pair<int, int>> ParseMonthDay(core::YamlReader& r, const YAML::Node& node,
                                                 std::string_view what) {
    auto text = r.String(node, "date");
    if (!text) {
        return std::nullopt;
    }
    // A day of 2001, a common year: so 02-29 is refused like 13-01.
    if (text->size() == 5) {
        if (auto d = core::Date::Parse("2001-" + *text)) {
            return std::pair{d->month(), d->day()};
        }
    }
    r.Report(node["date"], fmt::format("{}: date {} must be a day of every year as MM-DD "
                                       "(\"01-07\" for 7 January)",
                                       what, core::Quoted(*text)));
    return std::nullopt;
}

void ParseFixed(core::YamlReader& r, const YAML::Node& list, std::string_view what,
                PublicHolidays* h) {
    if (!r.CheckSeq(list, fmt::format("{} fixed", what))) {
        return;
    }
    std::set<std::tuple<int, int, int>> seen;  // month, day, first year
    for (const auto& item : list) {
        const std::string item_what = fmt::format("{} fixed holiday", what);
        if (!r.CheckMap(item, item_what, {"date", "name"}, {"from", "until", "substitute"})) {
            continue;
        }
        FixedHoliday f;
        f.name = r.String(item, "name").value_or("");
        auto md = ParseMonthDay(r, item, item_what);
        if (auto y = r.Integer(item, "from", 1900, 2999)) {
            f.first_year = static_cast<int>(*y);
        }
        if (auto y = r.Integer(item, "until", 1900, 2999)) {
            f.last_year = static_cast<int>(*y);
        }
        if (f.first_year > f.last_year) {
            r.Report(item["until"], fmt::format("{} {}: until {} is before from {}", item_what,
                                                core::Quoted(f.name), f.last_year, f.first_year));
        }
        f.substitute = ParseSubstituteKey(r, item, item_what);
        if (!md) {
            continue;
        }
        f.month = md->first;
        f.day = md->second;
        if (!seen.emplace(f.month, f.day, f.first_year).second) {
            r.Report(item["date"],
                     fmt::format("{}: {:02}-{:02} is listed twice", item_what, f.month, f.day));
            continue;
        }
        h->fixed.push_back(std::move(f));
    }
}

void ParseEaster(core::YamlReader& r, const YAML::Node& list, std::string_view what,
                 PublicHolidays* h) {
    if (!r.CheckSeq(list, fmt::format("{} easter", what))) {
        return;
    }
    std::set<std::pair<Church, int>> seen;
    for (const auto& item : list) {
        const std::string item_what = fmt::format("{} easter holiday", what);
        if (!r.CheckMap(item, item_what, {"church", "offset", "name"}, {"substitute"})) {
            continue;
        }
        EasterHoliday e;
        e.name = r.String(item, "name").value_or("");
        e.substitute = ParseSubstituteKey(r, item, item_what);
        auto offset = r.Integer(item, "offset", kMinOffset, kMaxOffset);
        auto church = r.String(item, "church");
        const auto parsed = church ? ParseChurch(*church) : std::nullopt;
        if (church && !parsed) {
            r.Report(item["church"], fmt::format("{}: church {} is not known; expected western "
                                                 "or orthodox",
                                                 item_what, core::Quoted(*church)));
            continue;
        }
        if (!church || !offset) {
            continue;
        }
        e.church = *parsed;
        e.offset = static_cast<int>(*offset);
        if (!seen.emplace(e.church, e.offset).second) {
            r.Report(item["offset"], fmt::format("{}: {} Easter {:+} is listed twice", item_what,
                                                 *church, e.offset));
            continue;
        }
        h->easter.push_back(std::move(e));
    }
}

void ParseDated(core::YamlReader& r, const YAML::Node& node, std::string_view what,
                PublicHolidays* h) {
    const std::string dated_what = fmt::format("{} dated", what);
    if (!r.CheckMap(node, dated_what, {"years", "days"}, {})) {
        return;
    }
    const YAML::Node years = node["years"];
    if (!years.IsSequence() || years.size() != 2) {
        r.Report(years, fmt::format("{}: years must be [first, last], the years the list is "
                                    "complete for",
                                    dated_what));
        return;
    }
    auto first = r.IntegerScalar(years[0], dated_what + " first year", 1900, 2999);
    auto last = r.IntegerScalar(years[1], dated_what + " last year", 1900, 2999);
    if (!first || !last) {
        return;
    }
    if (*first > *last) {
        r.Report(years, fmt::format("{}: years [{}, {}] run backwards", dated_what, *first, *last));
        return;
    }
    h->dated_years = std::pair{static_cast<int>(*first), static_cast<int>(*last)};
    const YAML::Node days = node["days"];
    if (!r.CheckSeq(days, dated_what + " days")) {
        return;
    }
    std::set<std::pair<core::Date, std::string>> seen;
    for (const auto& item : days) {
        const std::string item_what = fmt::format("{} holiday", dated_what);
        if (!r.CheckMap(item, item_what, {"date", "name"}, {"substitute"})) {
            continue;
        }
        DatedHoliday d;
        d.name = r.String(item, "name").value_or("");
        d.substitute = ParseSubstituteKey(r, item, item_what);
        auto text = r.String(item, "date");
        if (!text) {
            continue;
        }
        auto date = core::Date::Parse(*text);
        if (!date) {
            r.Report(item["date"],
                     fmt::format("{}: date {} must be YYYY-MM-DD", item_what, core::Quoted(*text)));
            continue;
        }
        if (date->year() < *first || date->year() > *last) {
            r.Report(item["date"], fmt::format("{}: {} is outside the years [{}, {}]", item_what,
                                               *text, *first, *last));
            continue;
        }
        if (!seen.emplace(*date, d.name).second) {
            r.Report(item["date"], fmt::format("{}: {} {} is listed twice", item_what,
                                               core::Quoted(d.name), *text));
            continue;
        }
        d.date = *date;
        h->dated.push_back(std::move(d));
    }
}

}  // namespace

void ParsePublicHolidays(core::YamlReader& r, const YAML::Node& node, std::string_view what,
                         PublicHolidays* h, std::vector<RegionalHolidays>* regional) {
    const bool fits =
        regional != nullptr
            ? r.CheckMap(node, what, {"source", "fixed"},
                         {"substitute", "easter", "dated", "note", "verify", "regional"})
            : r.CheckMap(node, what, {"source", "fixed"},
                         {"substitute", "easter", "dated", "note", "verify"});
    if (!fits) {
        return;
    }
    h->source = r.String(node, "source").value_or("");
    h->substitute = ParseSubstituteKey(r, node, what).value_or(Substitute::kNone);
    ParseFixed(r, node["fixed"], what, h);
    if (core::YamlReader::Has(node, "easter")) {
        ParseEaster(r, node["easter"], what, h);
    }
    if (core::YamlReader::Has(node, "dated")) {
        ParseDated(r, node["dated"], what, h);
    }
    if (core::YamlReader::Has(node, "note")) {
        h->note = r.Text(node, "note").value_or(core::LocalizedText());
    }
    if (core::YamlReader::Has(node, "verify")) {
        h->verify = r.Bool(node, "verify").value_or(false);
    }
    if (regional == nullptr || !core::YamlReader::Has(node, "regional")) {
        return;
    }
    const YAML::Node map = node["regional"];
    if (!map.IsMap()) {
        r.Report(map, fmt::format("{} regional must map region codes (such as BA-SRP) to their "
                                  "own days off",
                                  what));
        return;
    }
    for (const auto& entry : map) {
        RegionalHolidays region;
        region.region = entry.first.Scalar();
        region.where = r.At(entry.first);
        const std::string block = fmt::format("{} regional {}", what, region.region);
        // Lunar-calendar days are listed per year for the whole country; a region adds days of
        // every year.
        if (entry.second.IsMap() && core::YamlReader::Has(entry.second, "dated")) {
            r.Report(entry.second["dated"],
                     fmt::format("{}: a region adds fixed and Easter days only; list dated "
                                 "days for the whole country",
                                 block));
            continue;
        }
        ParsePublicHolidays(r, entry.second, block, &region.days_off);
        regional->push_back(std::move(region));
    }
}

}  // namespace rap::framework
