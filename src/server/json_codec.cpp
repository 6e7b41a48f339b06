// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/json_codec.hpp"

#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>

namespace rap::server::json {

namespace {

using nlohmann::json;

json Text(const core::LocalizedText& text) {
    json out = json::object();
    for (const auto& [lang, value] : text.entries()) {
        out[lang] = value;
    }
    return out;
}

std::string Dump(const json& j) {
    // Invalid UTF-8 cannot reach here (inputs are checked), but never throw from a handler.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Frameworks of an effective framework's chain, for looking up abbreviations.
std::vector<const framework::Framework*> ChainOf(const app::Catalog& catalog,
                                                 const framework::EffectiveFramework& eff) {
    std::vector<const framework::Framework*> out;
    for (const auto& [id, version] : eff.chain) {
        if (const auto* fw = catalog.data().FindFramework(id, version)) {
            out.push_back(fw);
        }
    }
    return out;
}

json Abbreviation(const std::vector<const framework::Framework*>& chain,
                  std::map<std::string, core::LocalizedText, std::less<>> framework::Framework::*
                      member,
                  const std::string& code) {
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const auto& dict = (*it)->*member;
        if (auto found = dict.find(code); found != dict.end()) {
            return Text(found->second);
        }
    }
    return json::object();
}

json Deviation(const framework::Deviation& dev) {
    json out = {{"type", framework::Name(dev.type)},
                {"indicator", dev.indicator},
                {"framework", dev.framework_id},
                {"reason", Text(dev.reason)}};
    if (dev.type == framework::DeviationType::kRedefined) {
        out["scope"] = framework::Name(dev.scope);
    }
    if (dev.type == framework::DeviationType::kExtraDisaggregation) {
        out["dimensions"] = dev.dimensions;
    }
    return out;
}

json DeadlineJson(const framework::Deadline& d) {
    return {{"days", d.days}, {"unit", framework::Name(d.unit)}};
}

json OptDeadlineJson(const std::optional<framework::Deadline>& d) {
    return d ? DeadlineJson(*d) : json(nullptr);
}

json CountryJson(const framework::Country& c) {
    const framework::FoiRule& foi = c.foi;
    return {{"code", c.code},
            {"iso3", c.iso3},
            {"name", Text(c.name)},
            {"languages", c.languages},
            {"currency", c.currency},
            {"foi",
             {{"law", Text(foi.law)},
              {"deadline", DeadlineJson(foi.deadline)},
              {"extended_deadline", OptDeadlineJson(foi.extended_deadline)},
              {"forwarded_deadline", OptDeadlineJson(foi.forwarded_deadline)},
              {"urgent_hours", foi.urgent_hours ? json(*foi.urgent_hours) : json(nullptr)},
              {"appeal_body", Text(foi.appeal_body)},
              {"source", foi.source},
              {"verify", foi.verify},
              {"holidays_verify", foi.holidays.verify}}},
            {"disclosure",
             {{"threshold", c.disclosure.threshold},
              {"cross_threshold", c.disclosure.cross_threshold},
              {"reason", c.disclosure.reason.entries().empty() ? json(nullptr)
                                                               : Text(c.disclosure.reason)}}}};
}

json FrameworkSummary(const app::Catalog& catalog, const framework::Framework& fw) {
    json out = {{"id", fw.id},
                {"version", fw.version},
                {"kind", framework::Name(fw.kind)},
                {"name", Text(fw.name)},
                {"description", Text(fw.description)},
                {"example", fw.example}};
    if (fw.kind == framework::FrameworkKind::kNational) {
        out["country"] = fw.country;
        out["extends"] = {{"id", fw.extends},
                          {"version", fw.extends_version.empty()
                                          ? json(nullptr)
                                          : json(fw.extends_version)}};
        json devs = json::array();
        for (const auto& d : fw.deviations) {
            devs.push_back(Deviation(d));
        }
        out["deviations"] = devs;
    } else {
        out["country"] = nullptr;
    }
    if (auto eff = catalog.Effective(fw.id, fw.version)) {
        out["indicator_count"] = (*eff)->indicators.size();
        out["area_count"] = (*eff)->areas.size();
    }
    return out;
}

json IndicatorJson(const std::vector<const framework::Framework*>& chain,
                   const framework::EffectiveIndicator& e) {
    const framework::Indicator& ind = e.indicator;
    json types = json::array();
    for (auto t : ind.types) {
        types.push_back(framework::Name(t));
    }
    json measures = json::array();
    for (const auto& m : ind.measures) {
        json mj = {{"id", m.id},
                   {"kind", framework::Name(m.kind)},
                   {"unit", m.unit},
                   {"direction", framework::Name(m.direction)}};
        if (!m.name.empty()) {
            mj["name"] = Text(m.name);
        }
        measures.push_back(std::move(mj));
    }
    json sources = json::array();
    for (const auto& s : ind.sources) {
        sources.push_back({{"code", s}, {"name", Abbreviation(chain, &framework::Framework::sources, s)}});
    }
    json refs = json::array();
    for (const auto& r : ind.legal_refs) {
        refs.push_back({{"instrument", r.instrument},
                        {"instrument_name",
                         Abbreviation(chain, &framework::Framework::legal_instruments, r.instrument)},
                        {"articles", r.articles}});
    }
    json rubric = nullptr;
    if (ind.rubric) {
        rubric = json::object();
        for (size_t level = 0; level < ind.rubric->size(); ++level) {
            rubric[std::to_string(level)] = Text((*ind.rubric)[level]);
        }
    }
    json deviations = json::array();
    for (const auto& d : e.deviations) {
        deviations.push_back(Deviation(d));
    }
    return {{"code", ind.code},
            {"area", ind.area},
            {"name", Text(ind.name)},
            {"description", Text(ind.description)},
            {"types", types},
            {"measures", measures},
            {"disaggregations", ind.disaggregations},
            {"national_disaggregations", e.national_dimensions},
            {"sources", sources},
            {"legal_refs", refs},
            {"rubric", rubric},
            {"status", framework::Name(ind.status)},
            {"comparability", framework::Name(e.comparability)},
            {"deviations", deviations}};
}

json EffectiveHeader(const app::Catalog& catalog, const framework::EffectiveFramework& eff) {
    json chain = json::array();
    for (const auto& [id, version] : eff.chain) {
        chain.push_back({{"id", id}, {"version", version}});
    }
    json out = {{"id", eff.id},
                {"version", eff.version},
                {"country", eff.country.empty() ? json(nullptr) : json(eff.country)},
                {"chain", chain}};
    if (const auto* fw = catalog.data().FindFramework(eff.id, eff.version)) {
        out["name"] = Text(fw->name);
        out["kind"] = framework::Name(fw->kind);
        out["example"] = fw->example;
    }
    return out;
}

}  // namespace

std::string ErrorBody(const Error& error, std::string_view request_id) {
    return ErrorBody(ErrcName(error.code), error, request_id);
}

std::string ErrorBody(std::string_view code, const Error& error, std::string_view request_id) {
    json err = {{"code", code},
                {"message", error.message},
                {"request_id", request_id}};
    if (!error.where.empty()) {
        json loc = json::object();
        if (!error.where.file.empty()) {
            loc["file"] = error.where.file;
        }
        if (error.where.line > 0) {
            loc["line"] = error.where.line;
            loc["column"] = error.where.column;
        }
        if (!error.where.sheet.empty()) {
            loc["sheet"] = error.where.sheet;
        }
        if (error.where.row > 0) {
            loc["row"] = error.where.row;
        }
        if (!error.where.field.empty()) {
            loc["field"] = error.where.field;
        }
        err["location"] = loc;
    }
    return Dump(json{{"error", err}});
}

std::string Health(std::string_view version, int schema_version,
                   const std::optional<std::string>& demo_label) {
    json out = {{"status", "ok"},
                {"version", version},
                {"schema_version", schema_version},
                {"demo", demo_label.has_value()}};
    if (demo_label) {
        out["demo_label"] = *demo_label;
    }
    return Dump(out);
}

std::string Frameworks(const app::Catalog& catalog) {
    json list = json::array();
    for (const auto* fw : catalog.Frameworks()) {
        list.push_back(FrameworkSummary(catalog, *fw));
    }
    return Dump(json{{"frameworks", list}});
}

std::string Indicators(const app::Catalog& catalog, const framework::EffectiveFramework& eff) {
    const auto chain = ChainOf(catalog, eff);
    json areas = json::array();
    for (const auto& a : eff.areas) {
        areas.push_back({{"code", a.code}, {"name", Text(a.name)},
                         {"description", Text(a.description)}});
    }
    json indicators = json::array();
    for (const auto& e : eff.indicators) {
        indicators.push_back(IndicatorJson(chain, e));
    }
    return Dump(json{{"framework", EffectiveHeader(catalog, eff)},
                     {"areas", areas},
                     {"indicators", indicators}});
}

std::string Indicator(const app::Catalog& catalog, const framework::EffectiveFramework& eff,
                      const framework::EffectiveIndicator& indicator) {
    return Dump(json{{"framework", EffectiveHeader(catalog, eff)},
                     {"indicator", IndicatorJson(ChainOf(catalog, eff), indicator)}});
}

std::string Countries(const app::Catalog& catalog) {
    json list = json::array();
    const auto& countries = catalog.data().countries;
    if (countries) {
        for (const auto& c : countries->countries) {
            list.push_back(CountryJson(c));
        }
    }
    return Dump({{"version", countries ? json(countries->version) : json(nullptr)},
                 {"countries", list}});
}

std::string Values(const app::Catalog& catalog, const app::ValuesQuery& query,
                   const std::vector<engine::Value>& values) {
    auto number = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
    json list = json::array();
    for (const auto& v : values) {
        json by = json::object();
        for (const auto& [dim, code] : v.by) {
            by[dim] = code.empty() ? json(nullptr) : json(code);
        }
        json item = {{"measure", v.measure}, {"by", by}};
        if (v.suppression == engine::Suppression::kShown) {
            item.update({{"value", number(v.value)},
                         {"numerator", number(v.numerator)},
                         {"denominator", number(v.denominator)},
                         {"records", v.records}});
            if (!std::isnan(v.p90)) {
                item["p90"] = v.p90;
            }
        } else {
            item.update({{"value", nullptr},
                         {"numerator", nullptr},
                         {"denominator", nullptr},
                         {"records", nullptr},
                         {"suppressed", v.suppression == engine::Suppression::kPrimary
                                            ? "small_count"
                                            : "complementary"}});
        }
        list.push_back(std::move(item));
    }
    json dims = json::array();
    for (const auto& b : query.by) {
        std::string d;
        for (char c : b) {
            d += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        dims.push_back(d);
    }
    json out = {{"indicator", query.indicator},
                {"country", query.country},
                {"year", query.year},
                {"by", dims},
                {"demo", catalog.demo_label().has_value()},
                {"values", list}};
    if (query.protect) {
        const privacy::DisclosureRule rule = app::DisclosureRuleFor(catalog, query.country);
        out["disclosure_control"] = {{"threshold", rule.threshold},
                                     {"cross_threshold", rule.cross_threshold}};
    } else {
        out["disclosure_control"] = nullptr;
    }
    if (auto eff = catalog.EffectiveForCountry(query.country)) {
        out["framework"] = {{"id", (*eff)->id}, {"version", (*eff)->version}};
        if (const auto* ind = (*eff)->Find(query.indicator)) {
            out["comparability"] = framework::Name(ind->comparability);
            json measures = json::array();
            for (const auto& m : ind->indicator.measures) {
                measures.push_back({{"id", m.id},
                                    {"kind", framework::Name(m.kind)},
                                    {"unit", m.unit}});
            }
            out["measures"] = measures;
        }
    }
    return Dump(out);
}

}  // namespace rap::server::json
