// SPDX-License-Identifier: AGPL-3.0-or-later
// The application's routes. Handlers validate their parameters, call the catalog or the store,
// and answer with JSON (or, for "/", a small HTML page).
#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/version.hpp"
#include "server/json_codec.hpp"
#include "server/monitoring_api.hpp"
#include "server/route_helpers.hpp"
#include "server/server.hpp"

namespace rap::server {

namespace {

std::string EscapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string HomePage(const app::Catalog& catalog) {
    std::string rows;
    for (const auto* fw : catalog.Frameworks()) {
        rows += fmt::format(
            "<tr><td><a href=\"/api/v1/frameworks/{0}/indicators?version={1}\">{0}</a></td>"
            "<td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td></tr>\n",
            EscapeHtml(fw->id), EscapeHtml(fw->version), EscapeHtml(Name(fw->kind)),
            EscapeHtml(fw->country.empty() ? "regional" : fw->country),
            EscapeHtml(fw->name.Get()) + (fw->example ? " <em>(example deviations)</em>" : ""));
    }
    const std::string banner =
        catalog.demo_label()
            ? fmt::format("<p role=\"note\" class=\"demo\"><strong>{}</strong></p>",
                          EscapeHtml(*catalog.demo_label()))
            : std::string();
    return fmt::format(R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rapporteur</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ccc; }}
.demo {{ background: #fff4ce; border: 1px solid #8a6d00; padding: .5rem 1rem; }}
</style>
</head>
<body>
<header><h1>rapporteur</h1>
<p>Monitoring of anti-trafficking policy and the protection of trafficking victims.</p></header>
<main>
{}
<h2>Indicator frameworks</h2>
<table>
<caption>The regional core and the national adaptations stored in this database</caption>
<thead><tr><th scope="col">Id</th><th scope="col">Version</th><th scope="col">Kind</th>
<th scope="col">Country</th><th scope="col">Name</th></tr></thead>
<tbody>
{}</tbody>
</table>
<h2>API</h2>
<ul>
<li><a href="/api/v1/frameworks">/api/v1/frameworks</a></li>
<li><a href="/api/v1/countries">/api/v1/countries</a></li>
<li><a href="/api/v1/indicators/ID.2?country=BA">/api/v1/indicators/ID.2?country=BA</a></li>
<li><a href="/api/v1/values?indicator=ID.1&amp;country=RS&amp;year=2024&amp;by=sex">/api/v1/values?indicator=ID.1&amp;country=RS&amp;year=2024&amp;by=sex</a></li>
<li><a href="/healthz">/healthz</a></li>
</ul>
</main>
<footer><p>rapporteur {}</p></footer>
</body>
</html>
)",
                       banner, rows, core::kVersion);
}

}  // namespace

std::vector<Route> BuildRoutes(std::shared_ptr<const app::Catalog> catalog, store::Store& store) {
    std::vector<Route> routes;

    routes.push_back({"GET", "/healthz", [catalog, &store](const HttpRequest& req) {
                          if (auto ok = CheckQuery(req, {}); !ok) {
                              return ErrorResponse(ok.error(), req);
                          }
                          auto version = store.SchemaVersion();
                          if (!version) {
                              return ErrorResponse(version.error(), req);
                          }
                          return JsonResponse(
                              json::Health(core::kVersion, *version, catalog->demo_label()));
                      }});

    routes.push_back({"GET", "/", [catalog](const HttpRequest& req) {
                          if (auto ok = CheckQuery(req, {}); !ok) {
                              return ErrorResponse(ok.error(), req);
                          }
                          HttpResponse res;
                          res.content_type = "text/html; charset=utf-8";
                          res.body = HomePage(*catalog);
                          res.headers.emplace_back(
                              "Content-Security-Policy",
                              "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                              "form-action 'self'; frame-ancestors 'none'");
                          return res;
                      }});

    routes.push_back({"GET", "/api/v1/frameworks", [catalog](const HttpRequest& req) {
                          if (auto ok = CheckQuery(req, {}); !ok) {
                              return ErrorResponse(ok.error(), req);
                          }
                          return JsonResponse(json::Frameworks(*catalog));
                      }});

    routes.push_back({"GET", "/api/v1/countries", [catalog](const HttpRequest& req) {
                          if (auto ok = CheckQuery(req, {}); !ok) {
                              return ErrorResponse(ok.error(), req);
                          }
                          return JsonResponse(json::Countries(*catalog));
                      }});

    routes.push_back({"GET", R"(/api/v1/frameworks/([^/]+)/indicators)",
                      [catalog](const HttpRequest& req) {
                          if (auto ok = CheckQuery(req, {"version"}); !ok) {
                              return ErrorResponse(ok.error(), req);
                          }
                          auto eff = catalog->Effective(req.path_params.at(0),
                                                        req.Query("version"));
                          if (!eff) {
                              return ErrorResponse(eff.error(), req);
                          }
                          return JsonResponse(json::Indicators(*catalog, **eff));
                      }});

    routes.push_back({"GET", R"(/api/v1/indicators/([^/]+))", [catalog](const HttpRequest& req) {
                          if (auto ok = CheckQuery(req, {"country"}); !ok) {
                              return ErrorResponse(ok.error(), req);
                          }
                          auto eff = catalog->EffectiveForCountry(req.Query("country"));
                          if (!eff) {
                              return ErrorResponse(eff.error(), req);
                          }
                          const std::string& code = req.path_params.at(0);
                          const framework::EffectiveIndicator* ind = (*eff)->Find(code);
                          if (ind == nullptr) {
                              const std::string where =
                                  (*eff)->country.empty()
                                      ? std::string("the regional core")
                                      : fmt::format("the framework of {}", (*eff)->country);
                              return ErrorResponse(
                                  Error{Errc::kNotFound,
                                        fmt::format("no indicator '{}' in {}; codes look like "
                                                    "ID.2 (core) or ID.RS.1 (national)",
                                                    code, where),
                                        {}},
                                  req);
                          }
                          return JsonResponse(json::Indicator(*catalog, **eff, *ind));
                      }});
    routes.push_back({"GET", "/api/v1/values", [catalog, &store](const HttpRequest& req) {
                          if (auto ok = CheckQuery(req, {"indicator", "country", "year", "by",
                                                         "measure"});
                              !ok) {
                              return ErrorResponse(ok.error(), req);
                          }
                          app::ValuesQuery q;
                          q.indicator = req.Query("indicator");
                          q.country = req.Query("country");
                          q.measure = req.Query("measure");
                          if (q.country.empty() || q.indicator.empty() || !req.HasQuery("year")) {
                              const char* missing = q.indicator.empty() ? "indicator"
                                                    : q.country.empty() ? "country"
                                                                        : "year";
                              return ErrorResponse(
                                  Error{Errc::kInvalidArgument,
                                        "indicator, country and year are required, e.g. "
                                        "/api/v1/values?indicator=ID.5&country=RS&year=2024",
                                        Location{.field = missing}},
                                  req);
                          }
                          const std::string year = req.Query("year");
                          auto [ptr, ec] = std::from_chars(year.data(), year.data() + year.size(),
                                                           q.year);
                          if (ec != std::errc() || ptr != year.data() + year.size()) {
                              return ErrorResponse(
                                  Error{Errc::kInvalidArgument,
                                        fmt::format("query parameter year: '{}' is not a number",
                                                    year),
                                        Location{.field = "year"}},
                                  req);
                          }
                          const std::string by = req.Query("by");
                          for (size_t start = 0; start < by.size();) {
                              size_t end = by.find(',', start);
                              if (end == std::string::npos) {
                                  end = by.size();
                              }
                              if (end > start) {
                                  q.by.push_back(by.substr(start, end - start));
                              }
                              start = end + 1;
                          }
                          auto values = app::QueryValues(store, *catalog, q);
                          if (!values) {
                              return ErrorResponse(values.error(), req);
                          }
                          return JsonResponse(json::Values(*catalog, q, *values));
                      }});
    for (Route& route : MonitoringRoutes(catalog, store)) {
        routes.push_back(std::move(route));
    }
    return routes;
}

}  // namespace rap::server
