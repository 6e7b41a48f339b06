// SPDX-License-Identifier: AGPL-3.0-or-later
// The monitoring routes: each checks its parameters, calls one use case of app/monitoring.hpp
// and answers with the JSON of monitoring_json.cpp.
//
// Writes and who makes them. There is no sign-in yet: the person acting names themselves in the
// X-Rapporteur-User header, which anyone could forge. So writes are accepted only where only this
// machine can send them: the server listens on a loopback address, the request carries no header
// that a proxy adds (a local reverse proxy would make the whole network look local), and the Host
// header is a loopback name (a web page that rebinds its own DNS name to 127.0.0.1 cannot pass
// that). A page of another origin cannot send X-Rapporteur-User at all without a CORS preflight,
// which this server never grants.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <utility>

#include <fmt/format.h>

#include "core/text.hpp"
#include "server/monitoring_api.hpp"
#include "server/route_helpers.hpp"

namespace rap::server {

namespace {

namespace mj = monitoring_json;
namespace mon = ::rap::monitoring;

using CatalogPtr = std::shared_ptr<const app::Catalog>;

constexpr int kDefaultAuditLimit = 100;
constexpr int kMaxAuditLimit = 1000;

HttpResponse Created(std::string body, const std::string& location) {
    HttpResponse res = JsonResponse(std::move(body), 201);
    res.headers.emplace_back("Location", location);
    return res;
}

// ----- Query parameters

Result<int> IntParam(const HttpRequest& req, std::string_view name) {
    const std::string text = req.Query(name);
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("query parameter {}: '{}' is not a whole number", name, text),
                    Location{.field = std::string(name)});
    }
    return value;
}

// The date parameter, or today when it is absent.
Result<core::Date> DateParam(const HttpRequest& req, std::string_view name) {
    if (!req.HasQuery(name)) {
        return core::Date::Today();
    }
    auto d = core::Date::Parse(req.Query(name));
    if (!d) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("query parameter {}: '{}' is not a date (YYYY-MM-DD)", name,
                                req.Query(name)),
                    Location{.field = std::string(name)});
    }
    return *d;
}

enum class Need { kOptional, kRequired };

// A country code (RS), or empty when absent and optional.
Result<std::string> CountryParam(const HttpRequest& req, Need need) {
    const std::string c = req.Query("country");
    if (c.empty() && need == Need::kOptional) {
        return c;
    }
    const bool ok = c.size() == 2 && std::isupper(static_cast<unsigned char>(c[0])) != 0 &&
                    std::isupper(static_cast<unsigned char>(c[1])) != 0;
    if (!ok) {
        return Fail(Errc::kInvalidArgument,
                    c.empty() ? std::string("query parameter country is required (AL, BA, ME, "
                                            "MK, RS)")
                              : fmt::format("query parameter country: '{}' is not a country code "
                                            "such as RS",
                                            c),
                    Location{.field = "country"});
    }
    return c;
}

// A country of the reference data, as the endpoints that look a country up in the app layer
// require it: kInvalidArgument naming the known ones otherwise.
Status KnownCountry(const app::Catalog& catalog, const std::string& country) {
    const auto& countries = catalog.data().countries;
    if (countries && countries->Find(country) != nullptr) {
        return Ok();
    }
    std::vector<std::string> known;
    if (countries) {
        for (const auto& c : countries->countries) {
            known.push_back(c.code);
        }
    }
    return Fail(Errc::kInvalidArgument,
                fmt::format("query parameter country: unknown country \"{}\"; known: {}", country,
                            fmt::join(known, ", ")),
                Location{.field = "country"});
}

Result<std::optional<mon::Track>> TrackParam(const HttpRequest& req) {
    if (!req.HasQuery("track")) {
        return std::optional<mon::Track>();
    }
    auto t = mon::ParseTrack(req.Query("track"));
    if (!t) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("query parameter track: '{}' is not official, cso or derived",
                                req.Query("track")),
                    Location{.field = "track"});
    }
    return t;
}

Result<std::string> Required(const HttpRequest& req, std::string_view name) {
    std::string v = req.Query(name);
    if (v.empty()) {
        return Fail(Errc::kInvalidArgument, fmt::format("query parameter {} is required", name),
                    Location{.field = std::string(name)});
    }
    return v;
}

// ----- Who acts

// Whether the request surely comes from this machine: a server listening on loopback only, no
// proxy header, a loopback Host. Until sign-in exists, changes and attached files are accepted
// and served only then; `what` says which ("changes are accepted").
Status FromThisMachine(const HttpRequest& req, std::string_view what) {
    if (req.listener != Listener::kLoopback) {
        return Fail(Errc::kPermissionDenied,
                    fmt::format("this server listens on a network address: until sign-in exists, "
                                "{} only by a server listening on a loopback address (rapporteur "
                                "serve --bind 127.0.0.1)",
                                what));
    }
    if (req.via_proxy) {
        return Fail(Errc::kPermissionDenied,
                    fmt::format("this request came through a proxy (it carries Forwarded, "
                                "X-Forwarded-For, X-Forwarded-Host or X-Real-IP), so it may come "
                                "from another machine: until sign-in exists, {} only from this "
                                "machine, directly",
                                what));
    }
    if (!IsLoopbackHost(req.host)) {
        return Fail(Errc::kPermissionDenied,
                    fmt::format("{} only with a Host header of localhost, 127.x.x.x or [::1], "
                                "not '{}' (a defence against DNS rebinding)",
                                what, req.host));
    }
    return Ok();
}

// The person making a write, once the write guard has let the request through.
Result<std::string> Actor(const HttpRequest& req) {
    RAP_TRY_STATUS(FromThisMachine(req, "changes are accepted"));
    if (req.rapporteur_user.find('\n') != std::string::npos) {
        return Fail(Errc::kInvalidArgument,
                    "the X-Rapporteur-User header was sent more than once; send it once");
    }
    if (core::IsBlank(req.rapporteur_user)) {
        return Fail(Errc::kUnauthenticated,
                    "changes need the X-Rapporteur-User header naming the person who makes them "
                    "(there is no sign-in yet), e.g. X-Rapporteur-User: ana.petrovic");
    }
    auto user = app::PersonName(req.rapporteur_user);
    if (!user) {
        return Fail(Errc::kInvalidArgument, "X-Rapporteur-User: " + user.error().message);
    }
    return user;
}

// ----- Handler wrappers

using ReadFn = std::function<Result<HttpResponse>(const HttpRequest&)>;
using WriteFn = std::function<Result<HttpResponse>(const HttpRequest&, const std::string& actor)>;

Handler Read(std::vector<std::string_view> query, ReadFn fn) {
    return [query = std::move(query), fn = std::move(fn)](const HttpRequest& req) {
        if (auto ok = CheckQuery(req, query); !ok) {
            return ErrorResponse(ok.error(), req);
        }
        auto res = fn(req);
        return res ? std::move(*res) : ErrorResponse(res.error(), req);
    };
}

// The media type of a Content-Type, lower case, without parameters ("application/json").
std::string MediaType(std::string_view content_type) {
    std::string media(core::TrimAscii(content_type.substr(0, content_type.find(';'))));
    std::transform(media.begin(), media.end(), media.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return media;
}

bool IsJson(std::string_view content_type) {
    return MediaType(content_type) == "application/json";
}

// 415: the body is not of the type the address takes; `message` says which.
HttpResponse UnsupportedType(const HttpRequest& req, std::string message) {
    return HttpErrorResponse(415, std::move(message), req);
}

Handler Write(WriteFn fn) {
    return [fn = std::move(fn)](const HttpRequest& req) {
        auto actor = Actor(req);
        if (!actor) {
            return ErrorResponse(actor.error(), req);
        }
        // A form or multipart body is not JSON either: refused whatever it holds.
        const bool has_body = !req.content_type.empty() || !core::IsBlank(req.body);
        if (has_body && !IsJson(req.content_type)) {
            return UnsupportedType(req, fmt::format("send the body as JSON, with Content-Type: "
                                                    "application/json (not '{}')",
                                                    req.content_type));
        }
        if (auto ok = CheckQuery(req, {}); !ok) {
            return ErrorResponse(ok.error(), req);
        }
        auto res = fn(req, *actor);
        return res ? std::move(*res) : ErrorResponse(res.error(), req);
    };
}

// An upload: the body is the file itself, sent as application/octet-stream, its name in ?name=.
// `fn` stores it (with what it is attached to, in one transaction) and answers.
using UploadFn = std::function<Result<HttpResponse>(const HttpRequest&, const std::string& actor)>;

Handler Upload(UploadFn fn) {
    return [fn = std::move(fn)](const HttpRequest& req) {
        auto actor = Actor(req);
        if (!actor) {
            return ErrorResponse(actor.error(), req);
        }
        if (MediaType(req.content_type) != "application/octet-stream") {
            return UnsupportedType(req, fmt::format("send the file itself as the body, with "
                                                    "Content-Type: application/octet-stream (not "
                                                    "'{}'), and its name in ?name=",
                                                    req.content_type));
        }
        if (auto ok = CheckQuery(req, {"name"}); !ok) {
            return ErrorResponse(ok.error(), req);
        }
        auto result = fn(req, *actor);
        return result ? std::move(*result) : ErrorResponse(result.error(), req);
    };
}

// ----- Cycles

void AddCycleRoutes(std::vector<Route>& routes, const CatalogPtr& catalog, store::Store& store) {
    routes.push_back(
        {"GET", "/api/v1/cycles",
         Read({"country"}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
             const std::string country = RAP_TRY(CountryParam(req, Need::kOptional));
             auto cycles = RAP_TRY(app::ListCycles(store, *catalog, country));
             return JsonResponse(mj::Cycles(cycles));
         })});

    routes.push_back({"POST", "/api/v1/cycles",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          auto in = RAP_TRY(mj::ParseOpenCycle(req.body));
                          auto cycle = RAP_TRY(app::OpenCycle(store, *catalog, actor, in.country,
                                                              in.year, in.from_year));
                          auto summary = RAP_TRY(app::GetCycle(store, *catalog, cycle.id));
                          return Created(mj::Cycle(summary), "/api/v1/cycles/" + cycle.id);
                      })});

    routes.push_back({"GET", R"(/api/v1/cycles/([^/]+))",
                      Read({}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                          auto summary =
                              RAP_TRY(app::GetCycle(store, *catalog, req.path_params.at(0)));
                          return JsonResponse(mj::Cycle(summary));
                      })});

    routes.push_back(
        {"GET", R"(/api/v1/cycles/([^/]+)/completeness)",
         Read({}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
             auto done = RAP_TRY(app::CompletenessOf(store, *catalog, req.path_params.at(0)));
             return JsonResponse(mj::Completeness(done));
         })});
    routes.push_back(
        {"GET", R"(/api/v1/cycles/([^/]+)/checks)",
         Read({}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
             auto checks =
                 RAP_TRY(app::CheckAgainstPreviousYear(store, *catalog, req.path_params.at(0)));
             return JsonResponse(mj::Checks(checks));
         })});
    routes.push_back({"POST", R"(/api/v1/cycles/([^/]+)/publish)",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          RAP_TRY_STATUS(mj::ParseNoFields(req.body));
                          const std::string& id = req.path_params.at(0);
                          RAP_TRY_STATUS(app::PublishCycle(store, *catalog, actor, id));
                          return JsonResponse(
                              mj::Cycle(RAP_TRY(app::GetCycle(store, *catalog, id))));
                      })});

    routes.push_back({"POST", R"(/api/v1/cycles/([^/]+)/reopen)",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          const std::string reason = RAP_TRY(mj::ParseReopen(req.body));
                          const std::string& id = req.path_params.at(0);
                          RAP_TRY_STATUS(app::ReopenCycle(store, *catalog, actor, id, reason));
                          return JsonResponse(
                              mj::Cycle(RAP_TRY(app::GetCycle(store, *catalog, id))));
                      })});
}

// ----- Values, review and evidence

void AddValueRoutes(std::vector<Route>& routes, const CatalogPtr& catalog, store::Store& store) {
    routes.push_back(
        {"GET", R"(/api/v1/cycles/([^/]+)/values)",
         Read({"indicator", "track", "state", "derived"},
              [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                  app::ValueFilter filter;
                  filter.indicator = req.Query("indicator");
                  filter.track = RAP_TRY(TrackParam(req));
                  if (req.HasQuery("state")) {
                      filter.state = mon::ParseWorkflowState(req.Query("state"));
                      if (!filter.state) {
                          return Fail(Errc::kInvalidArgument,
                                      fmt::format("query parameter state: '{}' is not draft, "
                                                  "submitted, returned, validated or published",
                                                  req.Query("state")),
                                      Location{.field = "state"});
                      }
                  }
                  if (req.HasQuery("derived")) {
                      const std::string d = req.Query("derived");
                      if (d != "true" && d != "false") {
                          return Fail(Errc::kInvalidArgument,
                                      fmt::format("query parameter derived: '{}' is not true or "
                                                  "false",
                                                  d),
                                      Location{.field = "derived"});
                      }
                      filter.derived = d == "true";
                  }
                  const std::string& cycle = req.path_params.at(0);
                  auto values = RAP_TRY(app::ListValues(store, *catalog, cycle, filter));
                  return JsonResponse(mj::Values(cycle, values));
              })});

    routes.push_back({"POST", R"(/api/v1/cycles/([^/]+)/values)",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          auto values = RAP_TRY(mj::ParseValues(req.body));
                          const std::string& cycle = req.path_params.at(0);
                          auto versions =
                              RAP_TRY(app::EnterValues(store, *catalog, actor, cycle, values));
                          return JsonResponse(mj::EnteredValues(cycle, versions));
                      })});

    routes.push_back({"GET", R"(/api/v1/cycles/([^/]+)/values/history)",
                      Read({"indicator", "measure", "by", "track"},
                           [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                               mon::ValueKey key;
                               key.indicator = RAP_TRY(Required(req, "indicator"));
                               if (req.HasQuery("measure")) {
                                   key.measure = RAP_TRY(Required(req, "measure"));
                               }
                               auto by = mon::ParseDisaggregation(req.Query("by"));
                               if (!by) {
                                   return Fail(Errc::kInvalidArgument,
                                               "query parameter by: " + by.error().message,
                                               Location{.field = "by"});
                               }
                               key.disaggregation = *by;
                               RAP_TRY_STATUS(Required(req, "track"));
                               key.track = *RAP_TRY(TrackParam(req));
                               const std::string& cycle = req.path_params.at(0);
                               auto history =
                                   RAP_TRY(app::GetValueHistory(store, *catalog, cycle, key));
                               return JsonResponse(mj::History(cycle, key, history));
                           })});

    routes.push_back({"POST", R"(/api/v1/cycles/([^/]+)/transitions)",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          auto in = RAP_TRY(mj::ParseTransition(req.body));
                          const std::string& cycle = req.path_params.at(0);
                          const app::MovedValues moved =
                              RAP_TRY(app::MoveValues(store, *catalog, actor, cycle, in.transition,
                                                      in.selection, in.comment));
                          return JsonResponse(mj::Moved(cycle, in.transition, moved));
                      })});

    routes.push_back({"POST", R"(/api/v1/cycles/([^/]+)/evidence)",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          auto in = RAP_TRY(mj::ParseEvidence(req.body));
                          const std::string& cycle = req.path_params.at(0);
                          auto evidence = RAP_TRY(app::AddEvidence(store, *catalog, actor, cycle,
                                                                   in.key, in.evidence, ""));
                          return JsonResponse(mj::AddedEvidence(cycle, in.key, evidence), 201);
                      })});
}

// ----- Scores and comparison

void AddScoreRoutes(std::vector<Route>& routes, const CatalogPtr& catalog, store::Store& store) {
    routes.push_back({"GET", R"(/api/v1/cycles/([^/]+)/scores)",
                      Read({}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                          const std::string& cycle = req.path_params.at(0);
                          auto scores = RAP_TRY(app::ScoreCycle(store, *catalog, cycle));
                          return JsonResponse(mj::Scores(cycle, scores));
                      })});

    routes.push_back({"GET", "/api/v1/compare",
                      Read({"indicator", "measure", "year"},
                           [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                               const std::string indicator = RAP_TRY(Required(req, "indicator"));
                               RAP_TRY_STATUS(Required(req, "year"));
                               const int year = RAP_TRY(IntParam(req, "year"));
                               auto figure = RAP_TRY(app::CompareIndicator(
                                   store, *catalog, indicator, req.Query("measure"), year));
                               return JsonResponse(mj::Comparison(year, figure));
                           })});
}

// ----- Institutions and information requests

void AddRequestRoutes(std::vector<Route>& routes, const CatalogPtr& catalog, store::Store& store) {
    routes.push_back(
        {"GET", "/api/v1/institutions",
         Read({"country"}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
             const std::string country = RAP_TRY(CountryParam(req, Need::kRequired));
             auto list = RAP_TRY(app::ListInstitutions(store, *catalog, country));
             return JsonResponse(mj::Institutions(list));
         })});

    routes.push_back(
        {"POST", "/api/v1/institutions",
         Write([catalog, &store](const HttpRequest& req,
                                 const std::string& actor) -> Result<HttpResponse> {
             auto in = RAP_TRY(mj::ParseInstitution(req.body));
             RAP_TRY_STATUS(app::SaveInstitution(store, *catalog, actor, in.institution, in.cycle));
             return JsonResponse(mj::SavedInstitution(in.institution, in.cycle));
         })});

    routes.push_back(
        {"GET", R"(/api/v1/cycles/([^/]+)/requests)",
         Read({"today"}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
             const core::Date today = RAP_TRY(DateParam(req, "today"));
             const std::string& cycle = req.path_params.at(0);
             auto rows = RAP_TRY(app::ListRequests(store, *catalog, cycle, today));
             return JsonResponse(mj::Requests(cycle, today, rows));
         })});

    routes.push_back({"POST", R"(/api/v1/cycles/([^/]+)/requests)",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          auto request = RAP_TRY(mj::ParseRequest(req.body, mj::RequestBody::kNew));
                          request.cycle = req.path_params.at(0);
                          auto saved = RAP_TRY(app::SaveRequest(store, *catalog, actor, request));
                          return Created(mj::Request(saved), "/api/v1/requests/" + saved.id);
                      })});

    // Before /requests/{id}, which would take "overdue" for an id.
    routes.push_back(
        {"GET", "/api/v1/requests/overdue",
         Read({"country", "today"},
              [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                  const std::string country = RAP_TRY(CountryParam(req, Need::kOptional));
                  const core::Date today = RAP_TRY(DateParam(req, "today"));
                  auto overdue = RAP_TRY(app::ListOverdueRequests(store, *catalog, country, today));
                  return JsonResponse(mj::Overdue(country, today, overdue));
              })});

    routes.push_back(
        {"GET", "/api/v1/holidays",
         Read({"country", "year", "region"},
              [catalog](const HttpRequest& req) -> Result<HttpResponse> {
                  const std::string country = RAP_TRY(CountryParam(req, Need::kRequired));
                  int year = core::Date::Today().year();
                  if (req.HasQuery("year")) {
                      year = RAP_TRY(IntParam(req, "year"));
                  }
                  const auto holidays =
                      RAP_TRY(app::HolidaysOf(*catalog, country, year, req.Query("region")));
                  return JsonResponse(mj::Holidays(holidays));
              })});

    routes.push_back({"GET", R"(/api/v1/requests/([^/]+))",
                      Read({}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                          auto got = RAP_TRY(
                              app::GetExplainedRequest(store, *catalog, req.path_params.at(0)));
                          return JsonResponse(mj::Request(got.request, got.deadline));
                      })});

    // A full new version: what the body leaves out is cleared. The cycle and the attachments
    // stay those of the current version; the body names the version it was made on, so that a
    // change made meanwhile by someone else is a 409 instead of being overwritten unseen.
    routes.push_back({"PUT", R"(/api/v1/requests/([^/]+))",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          auto request =
                              RAP_TRY(mj::ParseRequest(req.body, mj::RequestBody::kNewVersion));
                          const std::string& id = req.path_params.at(0);
                          auto current = RAP_TRY(app::GetRequest(store, *catalog, id));
                          request.id = current.id;
                          request.cycle = current.cycle;
                          request.attachments = current.attachments;
                          auto saved = RAP_TRY(app::SaveRequest(store, *catalog, actor, request));
                          return JsonResponse(mj::Request(saved));
                      })});

    routes.push_back(
        {"GET", R"(/api/v1/cycles/([^/]+)/register-figures)",
         Read({"as_of"}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
             const core::Date as_of = RAP_TRY(DateParam(req, "as_of"));
             const std::string& cycle = req.path_params.at(0);
             auto figures = RAP_TRY(app::RegisterFiguresOf(store, *catalog, cycle, as_of));
             return JsonResponse(mj::RegisterFigures(cycle, as_of, figures));
         })});
}

// ----- Recommendations

void AddRecommendationRoutes(std::vector<Route>& routes, const CatalogPtr& catalog,
                             store::Store& store) {
    routes.push_back(
        {"GET", "/api/v1/recommendations",
         Read({"country"}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
             const std::string country = RAP_TRY(CountryParam(req, Need::kRequired));
             auto list = RAP_TRY(app::ListRecommendations(store, *catalog, country));
             return JsonResponse(mj::Recommendations(list));
         })});

    routes.push_back({"POST", "/api/v1/recommendations",
                      Write([catalog, &store](const HttpRequest& req,
                                              const std::string& actor) -> Result<HttpResponse> {
                          auto in = RAP_TRY(mj::ParseRecommendation(req.body));
                          const bool created = in.id.empty();
                          auto saved = RAP_TRY(
                              app::SaveRecommendation(store, *catalog, actor, std::move(in)));
                          return JsonResponse(mj::Recommendation(saved), created ? 201 : 200);
                      })});

    routes.push_back(
        {"POST", R"(/api/v1/recommendations/([^/]+)/followups)",
         Write([catalog, &store](const HttpRequest& req,
                                 const std::string& actor) -> Result<HttpResponse> {
             auto followup = RAP_TRY(mj::ParseFollowup(req.body));
             // Answers with the recommendation and all of its follow-ups, as stored now.
             auto recommendation = RAP_TRY(
                 app::RecordFollowup(store, *catalog, actor, req.path_params.at(0), followup));
             return JsonResponse(mj::Recommendation(recommendation), 201);
         })});
}

// ----- Audit log

// ----- Attached files

// Content-Disposition for a download under the stored name: a plain ASCII fallback and the
// exact UTF-8 name (RFC 6266, RFC 5987).
std::string DownloadDisposition(const std::string& file_name) {
    std::string ascii;
    std::string encoded;
    for (unsigned char c : file_name) {
        const bool plain = std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_';
        ascii += plain || c == ' ' ? static_cast<char>(c) : '_';
        encoded += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
    }
    if (ascii.empty() || ascii.find_first_not_of("._ ") == std::string::npos) {
        ascii = "attachment";
    }
    return fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}", ascii, encoded);
}

void AddAttachmentRoutes(std::vector<Route>& routes, const CatalogPtr& catalog,
                         store::Store& store) {
    routes.push_back({"GET", R"(/api/v1/cycles/([^/]+)/attachments)",
                      Read({}, [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                          const std::string& cycle = req.path_params.at(0);
                          auto rows = RAP_TRY(app::ListAttachments(store, *catalog, cycle));
                          return JsonResponse(mj::Attachments(cycle, rows));
                      })});

    // Uploads, up to the largest file that can be attached.
    const size_t max_upload = app::kMaxAttachmentBytes;
    routes.push_back(
        {"POST", "/api/v1/attachments",
         Upload([&store](const HttpRequest& req, const std::string& actor) -> Result<HttpResponse> {
             const std::string sha =
                 RAP_TRY(app::StoreAttachmentBytes(store, actor, req.Query("name"), req.body));
             return Created(mj::StoredAttachment(sha, req.Query("name"), req.body.size()),
                            "/api/v1/attachments/" + sha);
         }),
         max_upload});
    routes.push_back(
        {"POST", R"(/api/v1/requests/([^/]+)/attachments)",
         Upload([catalog, &store](const HttpRequest& req,
                                  const std::string& actor) -> Result<HttpResponse> {
             auto request = RAP_TRY(app::AttachToRequest(store, *catalog, actor,
                                                         req.path_params.at(0),
                                                         req.Query("name"), req.body));
             return JsonResponse(mj::Request(request), 201);
         }),
         max_upload});

    // The file itself, as it was attached: always as a download, never shown by the browser.
    routes.push_back(
        {"GET", R"(/api/v1/attachments/([^/]+))",
         Read({}, [&store](const HttpRequest& req) -> Result<HttpResponse> {
             RAP_TRY_STATUS(FromThisMachine(req, "attached files are served"));
             const store::Attachment file =
                 RAP_TRY(app::GetAttachment(store, req.path_params.at(0)));
             HttpResponse res;
             res.content_type = "application/octet-stream";
             res.body = file.content;
             res.headers.emplace_back("Content-Disposition", DownloadDisposition(file.file_name));
             res.headers.emplace_back("Content-Security-Policy", "sandbox");
             res.headers.emplace_back("X-Rapporteur-Sha256", file.sha256);
             return res;
         })});
}

void AddAuditRoutes(std::vector<Route>& routes, const CatalogPtr& catalog, store::Store& store) {
    routes.push_back(
        {"GET", "/api/v1/audit",
         Read({"country", "limit"},
              [catalog, &store](const HttpRequest& req) -> Result<HttpResponse> {
                  const std::string country = RAP_TRY(CountryParam(req, Need::kOptional));
                  if (!country.empty()) {
                      RAP_TRY_STATUS(KnownCountry(*catalog, country));
                  }
                  int limit = kDefaultAuditLimit;
                  if (req.HasQuery("limit")) {
                      limit = RAP_TRY(IntParam(req, "limit"));
                      if (limit < 1 || limit > kMaxAuditLimit) {
                          return Fail(Errc::kInvalidArgument,
                                      fmt::format("query parameter limit: between 1 and {}",
                                                  kMaxAuditLimit),
                                      Location{.field = "limit"});
                      }
                  }
                  auto entries = RAP_TRY(app::ListAudit(store, country, limit));
                  return JsonResponse(mj::Audit(entries));
              })});

    routes.push_back(
        {"GET", "/api/v1/audit/verify",
         Read({"expect_head"}, [&store](const HttpRequest& req) -> Result<HttpResponse> {
             std::optional<app::AuditHead> expected;
             if (req.HasQuery("expect_head")) {
                 auto head = app::ParseAuditHead(req.Query("expect_head"));
                 if (!head) {
                     return Fail(Errc::kInvalidArgument,
                                 "query parameter expect_head: " + head.error().message,
                                 Location{.field = "expect_head"});
                 }
                 expected = std::move(*head);
             }
             auto report = RAP_TRY(app::VerifyAudit(store, expected));
             return JsonResponse(mj::AuditVerification(report));
         })});
}

}  // namespace

std::vector<Route> MonitoringRoutes(const std::shared_ptr<const app::Catalog>& catalog,
                                    store::Store& store) {
    std::vector<Route> routes;
    AddCycleRoutes(routes, catalog, store);
    AddValueRoutes(routes, catalog, store);
    AddScoreRoutes(routes, catalog, store);
    AddRequestRoutes(routes, catalog, store);
    AddRecommendationRoutes(routes, catalog, store);
    AddAttachmentRoutes(routes, catalog, store);
    AddAuditRoutes(routes, catalog, store);
    return routes;
}

}  // namespace rap::server
