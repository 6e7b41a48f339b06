// SPDX-License-Identifier: AGPL-3.0-or-later
// The monitoring endpoints of /api/v1 on the real server, driven over HTTP: cycles, values and
// their review, publication, scores, the information-request register, recommendations, the
// audit log, and the write guard (who acts, and only over loopback).
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/catalog.hpp"
#include "core/files.hpp"
#include "app/monitoring.hpp"
#include "server/live_server.hpp"
#include "support/test_support.hpp"

namespace rap::server {
namespace {

using nlohmann::json;
using testing::LiveServer;

struct Reply {
    int status = 0;
    json body;
    std::string location;
};

// A client of one live server. Each test opens its own cycle (a year of its own) so that the
// tests do not depend on each other's order.
class MonitoringApiTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { live_ = new LiveServer(/*mini_data=*/true); }
    static void TearDownTestSuite() {
        delete live_;
        live_ = nullptr;
    }

    static Reply Send(const std::string& method, const std::string& path, const std::string& body,
                      const std::string& user, httplib::Headers headers = {}) {
        httplib::Client client("127.0.0.1", live_->port());
        if (!user.empty()) {
            headers.emplace("X-Rapporteur-User", user);
        }
        httplib::Result r = method == "GET" ? client.Get(path, headers)
                            : method == "PUT"
                                ? client.Put(path, headers, body, "application/json")
                                : client.Post(path, headers, body, "application/json");
        EXPECT_TRUE(r) << method << " " << path;
        if (!r) {
            return {};
        }
        EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
        Reply reply{r->status, json::parse(r->body, nullptr, false),
                    r->get_header_value("Location")};
        EXPECT_FALSE(reply.body.is_discarded()) << r->body;
        return reply;
    }
    static Reply Get(const std::string& path) { return Send("GET", path, "", ""); }
    static Reply Post(const std::string& path, const json& body, const std::string& user = "ana") {
        return Send("POST", path, body.dump(), user);
    }
    static Reply Put(const std::string& path, const json& body, const std::string& user = "ana") {
        return Send("PUT", path, body.dump(), user);
    }

    // The error's message, after checking its code and the HTTP status.
    static std::string ErrorOf(const Reply& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body.dump();
        if (!r.body.contains("error")) {
            ADD_FAILURE() << "no error body: " << r.body.dump();
            return {};
        }
        EXPECT_EQ(r.body["error"]["code"], code) << r.body.dump();
        EXPECT_FALSE(r.body["error"]["request_id"].get<std::string>().empty());
        return r.body["error"]["message"].get<std::string>();
    }

    static void OpenCycle(int year) {
        Reply r = Post("/api/v1/cycles", {{"country", "RS"}, {"year", year}});
        ASSERT_EQ(r.status, 201) << r.body.dump();
    }

    static json SomeValues() {
        return {{"values",
                 {{{"indicator", "LF.1"},
                   {"track", "official"},
                   {"status", "provided"},
                   {"answer", "yes"},
                   {"source", {{"type", "document"}, {"ref", "Criminal Code, Art. 388"}}}},
                  {{"indicator", "ID.1"},
                   {"track", "official"},
                   {"status", "provided"},
                   {"value", 120},
                   {"note", "from the annual report"}},
                  {{"indicator", "ID.3"},
                   {"measure", "share"},
                   {"track", "cso"},
                   {"status", "estimated"},
                   {"numerator", 45},
                   {"denominator", 60}}}}};
    }

    static inline LiveServer* live_ = nullptr;
};

std::string Contains(const std::string& text, const std::string& part) {
    return text.find(part) == std::string::npos ? "'" + text + "' lacks '" + part + "'" : "";
}

TEST_F(MonitoringApiTest, CycleIsOpenedListedAndFound) {
    Reply opened = Post("/api/v1/cycles", {{"country", "RS"}, {"year", 2020}});
    ASSERT_EQ(opened.status, 201) << opened.body.dump();
    EXPECT_EQ(opened.location, "/api/v1/cycles/RS-2020");
    const json& c = opened.body["cycle"];
    EXPECT_EQ(c["id"], "RS-2020");
    EXPECT_EQ(c["country"], "RS");
    EXPECT_EQ(c["year"], 2020);
    EXPECT_EQ(c["framework"]["id"], "test-rs");
    EXPECT_EQ(c["core"]["id"], "test-core");
    EXPECT_EQ(c["state"], "open");
    EXPECT_EQ(c["opened_by"], "ana");
    EXPECT_TRUE(c["published_at"].is_null());
    EXPECT_EQ(c["counts"]["values"], 0);

    Reply list = Get("/api/v1/cycles?country=RS");
    ASSERT_EQ(list.status, 200) << list.body.dump();
    bool found = false;
    for (const auto& item : list.body["cycles"]) {
        found = found || item["id"] == "RS-2020";
    }
    EXPECT_TRUE(found) << list.body.dump();
    EXPECT_EQ(Get("/api/v1/cycles/RS-2020").body["cycle"]["id"], "RS-2020");

    ErrorOf(Post("/api/v1/cycles", {{"country", "RS"}, {"year", 2020}}), 409, "already_exists");
    ErrorOf(Get("/api/v1/cycles/RS-2001"), 404, "not_found");
    ErrorOf(Get("/api/v1/cycles/nonsense"), 400, "invalid_argument");
    ErrorOf(Get("/api/v1/cycles?country=rs"), 400, "invalid_argument");
}

TEST_F(MonitoringApiTest, ValuesGoThroughReviewToPublication) {
    OpenCycle(2021);
    Reply entered = Post("/api/v1/cycles/RS-2021/values", SomeValues());
    ASSERT_EQ(entered.status, 200) << entered.body.dump();
    ASSERT_EQ(entered.body["values"].size(), 3U);
    const json& lf1 = entered.body["values"][0];
    EXPECT_EQ(lf1["indicator"], "LF.1");
    EXPECT_EQ(lf1["measure"], "value");
    EXPECT_EQ(lf1["by"], json::object());
    EXPECT_EQ(lf1["answer"], "yes");
    EXPECT_EQ(lf1["kind"], "YNP");
    EXPECT_EQ(lf1["state"], "draft");
    EXPECT_EQ(lf1["version"], 1);
    EXPECT_EQ(lf1["author"], "ana");
    EXPECT_EQ(lf1["source"]["type"], "document");
    const json& share = entered.body["values"][2];
    EXPECT_DOUBLE_EQ(share["value"].get<double>(), 75.0);
    EXPECT_TRUE(share["p90"].is_null());

    Reply listed = Get("/api/v1/cycles/RS-2021/values?derived=false&state=draft");
    ASSERT_EQ(listed.status, 200) << listed.body.dump();
    EXPECT_EQ(listed.body["values"].size(), 3U);
    EXPECT_TRUE(listed.body["values"][0]["evidence"].is_array());

    Reply evidence =
        Post("/api/v1/cycles/RS-2021/evidence", {{"indicator", "LF.1"},
                                                 {"track", "official"},
                                                 {"evidence",
                                                  {{"type", "law_article"},
                                                   {"title", "Criminal Code, Art. 388"},
                                                   {"url", "https://example.org/cc"},
                                                   {"date", "2021-03-01"},
                                                   {"reliability", "high"}}}});
    ASSERT_EQ(evidence.status, 201) << evidence.body.dump();
    EXPECT_EQ(evidence.body["evidence"]["added_by"], "ana");
    EXPECT_EQ(evidence.body["evidence"]["reliability"], "high");

    Reply submitted = Post("/api/v1/cycles/RS-2021/transitions", {{"transition", "submit"}});
    ASSERT_EQ(submitted.status, 200) << submitted.body.dump();
    EXPECT_EQ(submitted.body["moved"], 3);

    // Nobody validates their own value.
    std::string own = ErrorOf(Post("/api/v1/cycles/RS-2021/transitions",
                                   {{"transition", "validate"}, {"indicator", "LF.1"}}),
                              403, "permission_denied");
    EXPECT_FALSE(own.empty());
    Reply validated = Post("/api/v1/cycles/RS-2021/transitions",
                           {{"transition", "validate"},
                            {"keys",
                             {{{"indicator", "LF.1"}, {"track", "official"}},
                              {{"indicator", "ID.1"}, {"track", "official"}},
                              {{"indicator", "ID.3"}, {"measure", "share"}, {"track", "cso"}}}}},
                           "marko");
    ASSERT_EQ(validated.status, 200) << validated.body.dump();
    EXPECT_EQ(validated.body["moved"], 3);

    Reply published = Post("/api/v1/cycles/RS-2021/publish", json::object(), "marko");
    ASSERT_EQ(published.status, 200) << published.body.dump();
    EXPECT_EQ(published.body["cycle"]["state"], "published");
    EXPECT_EQ(published.body["cycle"]["published_by"], "marko");

    json edit = {
        {"values",
         {{{"indicator", "ID.1"}, {"track", "official"}, {"status", "provided"}, {"value", 121}}}}};
    ErrorOf(Post("/api/v1/cycles/RS-2021/values", edit), 409, "conflict");

    std::string no_reason =
        ErrorOf(Post("/api/v1/cycles/RS-2021/reopen", json::object()), 400, "invalid_argument");
    EXPECT_EQ(Contains(no_reason, "reason"), "");
    Reply reopened = Post("/api/v1/cycles/RS-2021/reopen", {{"reason", "a figure was revised"}});
    ASSERT_EQ(reopened.status, 200) << reopened.body.dump();
    EXPECT_EQ(reopened.body["cycle"]["state"], "open");

    Reply history = Get("/api/v1/cycles/RS-2021/values/history?indicator=LF.1&track=official");
    ASSERT_EQ(history.status, 200) << history.body.dump();
    EXPECT_GE(history.body["versions"].size(), 4U);  // entered, submitted, validated, published
    EXPECT_EQ(history.body["versions"][0]["change"], "entered");
    EXPECT_EQ(history.body["evidence"].size(), 1U);
}

TEST_F(MonitoringApiTest, BadValuesAreRefusedWithTheReason) {
    OpenCycle(2013);
    json over_100 = {{"values",
                      {{{"indicator", "ID.3"},
                        {"measure", "share"},
                        {"track", "official"},
                        {"status", "provided"},
                        {"value", 130}}}}};
    std::string pct =
        ErrorOf(Post("/api/v1/cycles/RS-2013/values", over_100), 400, "invalid_argument");
    EXPECT_EQ(Contains(pct, "100"), "");

    json unknown = {
        {"values",
         {{{"indicator", "ZZ.9"}, {"track", "official"}, {"status", "provided"}, {"value", 1}}}}};
    std::string missing = ErrorOf(Post("/api/v1/cycles/RS-2013/values", unknown), 404, "not_found");
    EXPECT_EQ(Contains(missing, "ZZ.9"), "");

    // All or nothing: a good value beside a bad one is not stored either.
    json mixed = SomeValues();
    mixed["values"].push_back(over_100["values"][0]);
    ErrorOf(Post("/api/v1/cycles/RS-2013/values", mixed), 400, "invalid_argument");
    EXPECT_EQ(Get("/api/v1/cycles/RS-2013/values?derived=false").body["values"].size(), 0U);
}

TEST_F(MonitoringApiTest, BodiesAreParsedStrictly) {
    OpenCycle(2014);
    json typo = SomeValues();
    typo["values"][1]["vaule"] = 3;
    Reply r = Post("/api/v1/cycles/RS-2014/values", typo);
    std::string unknown = ErrorOf(r, 400, "invalid_argument");
    EXPECT_EQ(Contains(unknown, "values[1].vaule"), "");
    EXPECT_EQ(r.body["error"]["location"]["field"], "values[1].vaule");

    json wrong_type = SomeValues();
    wrong_type["values"][1]["value"] = "120";
    std::string type =
        ErrorOf(Post("/api/v1/cycles/RS-2014/values", wrong_type), 400, "invalid_argument");
    EXPECT_EQ(Contains(type, "values[1].value"), "");
    EXPECT_EQ(Contains(type, "expected a number"), "");

    Reply malformed = Send("POST", "/api/v1/cycles/RS-2014/values", "{\"values\": [", "ana");
    EXPECT_EQ(Contains(ErrorOf(malformed, 400, "invalid_argument"), "not valid JSON"), "");

    std::string bad_code =
        ErrorOf(Post("/api/v1/cycles/RS-2014/transitions", {{"transition", "approve"}}), 400,
                "invalid_argument");
    EXPECT_EQ(Contains(bad_code, "submit, validate, return, reopen"), "");

    std::string deep = ErrorOf(Send("POST", "/api/v1/cycles", std::string(5000, '['), "ana"), 400,
                               "invalid_argument");
    EXPECT_EQ(Contains(deep, "nested"), "");

    ErrorOf(Post("/api/v1/cycles/RS-2014/evidence",
                 {{"indicator", "LF.1"},
                  {"track", "official"},
                  {"evidence", {{"type", "file"}, {"title", "scan.pdf"}}}}),
            400, "invalid_argument");
    ErrorOf(Post("/api/v1/cycles/RS-2014/evidence",
                 {{"indicator", "LF.1"},
                  {"track", "official"},
                  {"evidence", {{"type", "url"}, {"title", "x"}, {"url", "javascript:alert(1)"}}}}),
            400, "invalid_argument");
    ErrorOf(Get("/api/v1/cycles/RS-2014/values?colour=red"), 400, "invalid_argument");
    ErrorOf(Send("POST", "/api/v1/cycles/RS-2014/values?colour=red", SomeValues().dump(), "ana"),
            400, "invalid_argument");

    httplib::Client client("127.0.0.1", live_->port());
    auto form = client.Post("/api/v1/cycles", {{"X-Rapporteur-User", "ana"}},
                            "country=RS&year=2014", "application/x-www-form-urlencoded");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 415) << form->body;
}

TEST_F(MonitoringApiTest, WritesNeedTheUserHeader) {
    Reply r = Send("POST", "/api/v1/cycles", R"({"country": "RS", "year": 2024})", "");
    EXPECT_EQ(Contains(ErrorOf(r, 401, "unauthenticated"), "X-Rapporteur-User"), "");
    Reply blank = Send("POST", "/api/v1/cycles", R"({"country": "RS", "year": 2024})", "   ");
    ErrorOf(blank, 401, "unauthenticated");
    // Reads need no name.
    EXPECT_EQ(Get("/api/v1/cycles").status, 200);
    // A page that rebinds its DNS name to 127.0.0.1 still sends its own Host.
    Reply rebound = Send("POST", "/api/v1/cycles", R"({"country": "RS", "year": 2024})", "ana",
                         {{"Host", "evil.example"}});
    ErrorOf(rebound, 403, "permission_denied");
    // Through a local reverse proxy, a request may come from anywhere.
    Reply proxied = Send("POST", "/api/v1/cycles", R"({"country": "RS", "year": 2024})", "ana",
                         {{"X-Forwarded-For", "203.0.113.7"}});
    ErrorOf(proxied, 403, "permission_denied");
}

TEST_F(MonitoringApiTest, ScoresHaveTheDocumentedShape) {
    OpenCycle(2015);
    ASSERT_EQ(Post("/api/v1/cycles/RS-2015/values", SomeValues()).status, 200);
    Reply r = Get("/api/v1/cycles/RS-2015/scores");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["cycle"], "RS-2015");
    EXPECT_EQ(r.body["framework"]["id"], "test-rs");
    ASSERT_EQ(r.body["areas"].size(), 2U);
    for (const auto& a : r.body["areas"]) {
        for (const char* field :
             {"area", "score", "uncapped", "band", "scorable", "with_value", "coverage",
              "insufficient", "law", "practice", "gap", "caps_applied", "explanation"}) {
            EXPECT_TRUE(a.contains(field)) << field << " " << a.dump();
        }
        EXPECT_TRUE(a["score"].is_null() || a["score"].is_number()) << a.dump();
    }
    bool lf1_scored = false;
    for (const auto& i : r.body["indicators"]) {
        for (const char* field :
             {"indicator", "area", "scorable", "score", "weight", "used", "missing_reason"}) {
            EXPECT_TRUE(i.contains(field)) << field << " " << i.dump();
        }
        if (i["indicator"] == "LF.1" && i["score"].is_number()) {
            lf1_scored = true;
            EXPECT_DOUBLE_EQ(i["score"].get<double>(), 100.0);
            ASSERT_EQ(i["used"].size(), 1U);
            EXPECT_EQ(i["used"][0]["key"]["track"], "official");
        }
    }
    EXPECT_TRUE(lf1_scored) << r.body.dump();

    Reply compare = Get("/api/v1/compare?indicator=LF.1&year=2015");
    ASSERT_EQ(compare.status, 200) << compare.body.dump();
    EXPECT_EQ(compare.body["indicator"], "LF.1");
    EXPECT_TRUE(compare.body["left_out"].is_array());
    ErrorOf(Get("/api/v1/compare?indicator=LF.1"), 400, "invalid_argument");
}

TEST_F(MonitoringApiTest, RequestsAreCreatedUpdatedAndFoundOverdue) {
    OpenCycle(2012);
    Reply inst = Post("/api/v1/institutions", {{"id", "test-moi"},
                                               {"country", "RS"},
                                               {"name", "Ministry of Interior (test)"},
                                               {"cycle", "RS-2012"}});
    ASSERT_EQ(inst.status, 200) << inst.body.dump();
    Reply institutions = Get("/api/v1/institutions?country=RS");
    ASSERT_EQ(institutions.status, 200);
    bool registered = false;
    for (const auto& i : institutions.body["institutions"]) {
        registered = registered || (i["id"] == "test-moi" && i["country"] == "RS");
    }
    EXPECT_TRUE(registered) << institutions.body.dump();
    // Where a body is seated: a region of its country.
    Reply seated = Post("/api/v1/institutions", {{"id", "test-bg"},
                                                 {"country", "RS"},
                                                 {"name", "City administration (test)"},
                                                 {"region", "RS-BG"}});
    ASSERT_EQ(seated.status, 200) << seated.body.dump();
    EXPECT_EQ(seated.body["institution"]["region"], "RS-BG") << seated.body.dump();
    Reply elsewhere = Post("/api/v1/institutions", {{"id", "test-ba"},
                                                    {"country", "RS"},
                                                    {"name", "Misplaced (test)"},
                                                    {"region", "BA-FBIH"}});
    EXPECT_EQ(elsewhere.status, 400) << elsewhere.body.dump();
    EXPECT_EQ(elsewhere.body["error"]["location"]["field"], "region") << elsewhere.body.dump();

    json request = {{"institution", "test-moi"},
                    {"channel", "email"},
                    {"sent", "2025-01-10"},
                    {"items", {{{"indicator", "ID.1"}, {"period", "2012"}}}}};
    Reply created = Post("/api/v1/cycles/RS-2012/requests", request);
    ASSERT_EQ(created.status, 201) << created.body.dump();
    const std::string id = created.body["request"]["id"];
    EXPECT_EQ(created.location, "/api/v1/requests/" + id);
    EXPECT_EQ(created.body["request"]["cycle"], "RS-2012");
    EXPECT_EQ(created.body["request"]["response"], "no_response");

    Reply overdue = Get("/api/v1/requests/overdue?country=RS&today=2025-03-01");
    ASSERT_EQ(overdue.status, 200) << overdue.body.dump();
    ASSERT_EQ(overdue.body["overdue"].size(), 1U);
    EXPECT_EQ(overdue.body["overdue"][0]["request"], id);
    // Sent on a Friday: 15 calendar days end on a Saturday, so the deadline is the Monday.
    EXPECT_EQ(overdue.body["overdue"][0]["deadline"], "2025-01-27");
    EXPECT_GT(overdue.body["overdue"][0]["days_overdue"].get<int>(), 0);

    // The request itself comes with its deadline and how it is counted.
    Reply one = Get("/api/v1/requests/" + id);
    ASSERT_EQ(one.status, 200) << one.body.dump();
    EXPECT_EQ(one.body["request"]["deadline"], "2025-01-27");
    EXPECT_EQ(one.body["request"]["deadline_steps"],
              json::array({"deadline: 15 calendar days after 2025-01-10 (Fri) is 2025-01-25 "
                           "(Sat), not a working day; the deadline moves to the next working "
                           "day, 2025-01-27 (Mon)",
                           "legal deadline: 2025-01-27 (Mon)"}));

    Reply listed = Get("/api/v1/cycles/RS-2012/requests?today=2025-03-01");
    ASSERT_EQ(listed.status, 200) << listed.body.dump();
    ASSERT_EQ(listed.body["requests"].size(), 1U);
    EXPECT_EQ(listed.body["requests"][0]["overdue"], true);

    // A new version names the version it was made on.
    EXPECT_EQ(created.body["request"]["version"], 1);
    request["version"] = 1;
    request["response"] = "full";
    request["response_date"] = "2025-03-05";
    request["items"][0]["outcome"] = "provided";
    Reply updated = Put("/api/v1/requests/" + id, request);
    ASSERT_EQ(updated.status, 200) << updated.body.dump();
    EXPECT_EQ(updated.body["request"]["response"], "full");
    EXPECT_EQ(updated.body["request"]["version"], 2);
    // Someone who read version 1 cannot overwrite version 2 unseen.
    ErrorOf(Put("/api/v1/requests/" + id, request, "marko"), 409, "conflict");
    json no_version = request;
    no_version.erase("version");
    ErrorOf(Put("/api/v1/requests/" + id, no_version), 400, "invalid_argument");
    ErrorOf(Post("/api/v1/cycles/RS-2012/requests", request), 400, "invalid_argument");
    EXPECT_EQ(Get("/api/v1/requests/" + id).body["request"]["response_date"], "2025-03-05");
    EXPECT_EQ(Get("/api/v1/requests/overdue?country=RS&today=2025-04-01").body["overdue"].size(),
              0U);

    Reply figures = Get("/api/v1/cycles/RS-2012/register-figures?as_of=2025-06-30");
    ASSERT_EQ(figures.status, 200) << figures.body.dump();
    ASSERT_GE(figures.body["figures"].size(), 1U);
    EXPECT_TRUE(figures.body["figures"][0]["institution"].is_null());
    EXPECT_EQ(figures.body["figures"][0]["dp5_denominator"], 1);
    EXPECT_EQ(figures.body["figures"][0]["dp5_numerator"], 0);  // answered late

    ErrorOf(Get("/api/v1/requests/RS-2012-R99"), 404, "not_found");
    ErrorOf(Put("/api/v1/requests/RS-2012-R99", request), 404, "not_found");

    // An urgent request: 48 hours from Friday end on Sunday, and the reason says so.
    EXPECT_EQ(created.body["request"]["urgent"], false);
    json urgent = {{"institution", "test-moi"},
                   {"urgent", true},
                   {"sent", "2025-01-10"},
                   {"items", {{{"indicator", "ID.1"}, {"period", "2012"}}}}};
    Reply made = Post("/api/v1/cycles/RS-2012/requests", urgent);
    ASSERT_EQ(made.status, 201) << made.body.dump();
    EXPECT_EQ(made.body["request"]["urgent"], true);
    Reply shown = Get("/api/v1/requests/" + made.body["request"]["id"].get<std::string>());
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.body["request"]["deadline"], "2025-01-12");
    EXPECT_EQ(shown.body["request"]["deadline_steps"][0],
              "urgent procedure: 48 hours from sending on 2025-01-10 (Fri), weekends and "
              "holidays included: 2025-01-12 (Sun)");
    urgent["urgent"] = "yes";
    const std::string bad =
        ErrorOf(Post("/api/v1/cycles/RS-2012/requests", urgent), 400, "invalid_argument");
    EXPECT_NE(bad.find("urgent"), std::string::npos) << bad;
    EXPECT_NE(bad.find("true or false"), std::string::npos) << bad;
}

TEST_F(MonitoringApiTest, CompletenessOfACycle) {
    OpenCycle(2010);
    Reply before = Get("/api/v1/cycles/RS-2010/completeness");
    ASSERT_EQ(before.status, 200) << before.body.dump();
    EXPECT_EQ(before.body["cycle"], "RS-2010");
    EXPECT_EQ(before.body["total"]["with_figure"], json::array());
    EXPECT_EQ(before.body["total"]["missing"].size(), before.body["total"]["applicable"]);
    EXPECT_FALSE(before.body["total"].contains("area"));
    ASSERT_FALSE(before.body["areas"].empty());
    EXPECT_TRUE(before.body["areas"][0].contains("area"));

    ASSERT_EQ(Post("/api/v1/cycles/RS-2010/values", SomeValues()).status, 200);
    Reply after = Get("/api/v1/cycles/RS-2010/completeness");
    ASSERT_EQ(after.status, 200) << after.body.dump();
    EXPECT_EQ(after.body["total"]["with_figure"], json({"LF.1", "ID.1", "ID.3"}))
        << after.body.dump();
    EXPECT_EQ(after.body["total"]["missing"].size() + 3, before.body["total"]["missing"].size());

    ErrorOf(Get("/api/v1/cycles/RS-1999/completeness"), 404, "not_found");
    ErrorOf(Get("/api/v1/cycles/RS-2010/completeness?area=LF"), 400, "invalid_argument");
}

TEST_F(MonitoringApiTest, ChecksAgainstTheYearBefore) {
    OpenCycle(2008);
    Reply alone = Get("/api/v1/cycles/RS-2008/checks");
    ASSERT_EQ(alone.status, 200) << alone.body.dump();
    EXPECT_TRUE(alone.body["previous_cycle"].is_null());
    EXPECT_EQ(alone.body["checks"], json::array());
    ASSERT_EQ(Post("/api/v1/cycles/RS-2008/values", SomeValues()).status, 200);
    OpenCycle(2009);
    json later = SomeValues();
    later["values"][1]["value"] = 12;  // ID.1: 120 the year before
    ASSERT_EQ(Post("/api/v1/cycles/RS-2009/values", later).status, 200);
    Reply r = Get("/api/v1/cycles/RS-2009/checks");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["previous_cycle"], "RS-2008");
    ASSERT_EQ(r.body["checks"].size(), 1U) << r.body.dump();
    const json& c = r.body["checks"][0];
    EXPECT_EQ(c["indicator"], "ID.1");
    EXPECT_EQ(c["check"], "jump");
    EXPECT_EQ(c["why"], "fell from 120 to 12 (/10.0)");
    EXPECT_EQ(c["previous"]["value"], 120);
    EXPECT_EQ(c["current"]["value"], 12);
    ErrorOf(Get("/api/v1/cycles/RS-1999/checks"), 404, "not_found");
}

TEST_F(MonitoringApiTest, HolidaysOfACountry) {
    Reply r = Get("/api/v1/holidays?country=RS&year=2023");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["country"], "RS");
    EXPECT_EQ(r.body["year"], 2023);
    EXPECT_EQ(r.body["source"], "https://example.org/holidays");
    EXPECT_FALSE(r.body["known"].get<bool>());  // the dated list covers 2024-2025 only
    const json first{{"date", "2023-01-01"}, {"name", "New Year"}};
    const json in_lieu{{"date", "2023-01-03"}, {"name", "New Year (day in lieu)"}};
    ASSERT_GE(r.body["days"].size(), 3U);
    EXPECT_EQ(r.body["days"][0], first);
    EXPECT_EQ(r.body["days"][2], in_lieu);

    Reply y2024 = Get("/api/v1/holidays?country=RS&year=2024");
    ASSERT_EQ(y2024.status, 200) << y2024.body.dump();
    EXPECT_TRUE(y2024.body["known"].get<bool>());
    bool lunar = false;
    for (const auto& d : y2024.body["days"]) {
        lunar = lunar || d["date"] == "2024-04-10";
    }
    EXPECT_TRUE(lunar) << y2024.body.dump();

    EXPECT_NE(ErrorOf(Get("/api/v1/holidays?country=XX&year=2024"), 404, "not_found")
                  .find("'XX' is not in the reference data"),
              std::string::npos);
    ErrorOf(Get("/api/v1/holidays?year=2024"), 400, "invalid_argument");
    ErrorOf(Get("/api/v1/holidays?country=RS&year=abc"), 400, "invalid_argument");
    ErrorOf(Get("/api/v1/holidays?country=RS&year=1800"), 400, "invalid_argument");
    ErrorOf(Get("/api/v1/holidays?country=RS&color=red"), 400, "invalid_argument");

    // The days off of bodies seated in a region: the country's when the region has none of its
    // own; a region of another country is refused.
    Reply belgrade = Get("/api/v1/holidays?country=RS&year=2024&region=RS-BG");
    ASSERT_EQ(belgrade.status, 200) << belgrade.body.dump();
    EXPECT_EQ(belgrade.body["region"], "RS-BG");
    EXPECT_EQ(belgrade.body["days"], y2024.body["days"]);
    EXPECT_TRUE(y2024.body["region"].is_null());
    EXPECT_NE(ErrorOf(Get("/api/v1/holidays?country=RS&year=2024&region=BA-FBIH"), 400,
                      "invalid_argument")
                  .find("'BA-FBIH' is not a region of RS"),
              std::string::npos);
}

TEST_F(MonitoringApiTest, RecommendationsAndTheirFollowUps) {
    OpenCycle(2016);
    OpenCycle(2017);
    Reply created =
        Post("/api/v1/recommendations", {{"cycle", "RS-2016"},
                                         {"source", "greta"},
                                         {"urgency", "urge"},
                                         {"text", "Ensure that victims receive compensation."},
                                         {"indicators", {"ID.1"}},
                                         {"issued", "2016-06-01"}});
    ASSERT_EQ(created.status, 201) << created.body.dump();
    const std::string id = created.body["recommendation"]["id"];
    EXPECT_EQ(created.body["recommendation"]["by"], "ana");

    Reply followed = Post("/api/v1/recommendations/" + id + "/followups",
                          {{"cycle", "RS-2017"},
                           {"status", "partly"},
                           {"evidence", "a law was drafted"},
                           {"url", "https://example.org/draft"}},
                          "marko");
    ASSERT_EQ(followed.status, 201) << followed.body.dump();
    ASSERT_EQ(followed.body["recommendation"]["followups"].size(), 1U);
    EXPECT_EQ(followed.body["recommendation"]["followups"][0]["by"], "marko");

    Reply list = Get("/api/v1/recommendations?country=RS");
    ASSERT_EQ(list.status, 200) << list.body.dump();
    bool found = false;
    for (const auto& r : list.body["recommendations"]) {
        found = found || (r["id"] == id && r["followups"].size() == 1U);
    }
    EXPECT_TRUE(found) << list.body.dump();
    ErrorOf(Get("/api/v1/recommendations"), 400, "invalid_argument");
}

TEST_F(MonitoringApiTest, ARecommendationChangeNamesTheVersionItWasMadeOn) {
    OpenCycle(2018);
    OpenCycle(2019);
    json rec = {{"cycle", "RS-2018"}, {"source", "own"}, {"text", "Fund shelters every year."}};
    Reply created = Post("/api/v1/recommendations", rec);
    ASSERT_EQ(created.status, 201) << created.body.dump();
    EXPECT_EQ(created.body["recommendation"]["version"], 1);
    const std::string id = created.body["recommendation"]["id"];
    ASSERT_EQ(Post("/api/v1/recommendations/" + id + "/followups",
                   {{"cycle", "RS-2019"}, {"status", "not_implemented"}})
                  .status,
              201);

    // Two people read version 1; the first change lands, the second is refused.
    rec["id"] = id;
    rec["version"] = 1;
    rec["text"] = "Fund shelters every year, from the state budget.";
    Reply first = Post("/api/v1/recommendations", rec, "ana");
    ASSERT_EQ(first.status, 200) << first.body.dump();
    EXPECT_EQ(first.body["recommendation"]["version"], 2);
    EXPECT_EQ(first.body["recommendation"]["followups"].size(), 1U);  // kept
    rec["text"] = "Fund shelters.";
    const std::string message =
        ErrorOf(Post("/api/v1/recommendations", rec, "marko"), 409, "conflict");
    EXPECT_NE(message.find("is at version 2 (last changed by ana), not 1"), std::string::npos)
        << message;
    bool unchanged = false;
    const json listed = Get("/api/v1/recommendations?country=RS").body;
    for (const auto& r : listed["recommendations"]) {
        unchanged = unchanged || (r["id"] == id &&
                                  r["text"] == "Fund shelters every year, from the state budget.");
    }
    EXPECT_TRUE(unchanged) << listed.dump();

    json no_version = rec;
    no_version.erase("version");
    ErrorOf(Post("/api/v1/recommendations", no_version), 400, "invalid_argument");
    json zero = rec;
    zero["version"] = 0;
    ErrorOf(Post("/api/v1/recommendations", zero), 400, "invalid_argument");
    json fresh = {{"cycle", "RS-2018"}, {"text", "Another."}, {"version", 3}};
    EXPECT_NE(ErrorOf(Post("/api/v1/recommendations", fresh), 400, "invalid_argument")
                  .find("a new recommendation has no version"),
              std::string::npos);
    json unknown = rec;
    unknown["id"] = "RS-2018-REC99";
    ErrorOf(Post("/api/v1/recommendations", unknown), 404, "not_found");
}

TEST_F(MonitoringApiTest, AuditLogListsChangesAndVerifies) {
    OpenCycle(2011);
    Reply audit = Get("/api/v1/audit?country=RS&limit=5");
    ASSERT_EQ(audit.status, 200) << audit.body.dump();
    ASSERT_FALSE(audit.body["entries"].empty());
    EXPECT_LE(audit.body["entries"].size(), 5U);
    const json& newest = audit.body["entries"][0];
    EXPECT_EQ(newest["type"], "cycle_opened");
    EXPECT_EQ(newest["actor"], "ana");
    EXPECT_EQ(newest["country"], "RS");

    Reply verify = Get("/api/v1/audit/verify");
    ASSERT_EQ(verify.status, 200) << verify.body.dump();
    EXPECT_EQ(verify.body["ok"], true) << verify.body.dump();
    EXPECT_GE(verify.body["events"].get<int>(), 1);
    EXPECT_EQ(verify.body["problems"], json::array());
    // The head recorded now is checked later: still there with the same hash.
    const std::string head = std::to_string(verify.body["head_seq"].get<long long>()) + ":" +
                             verify.body["head_hash"].get<std::string>();
    Reply held = Get("/api/v1/audit/verify?expect_head=" + head);
    ASSERT_EQ(held.status, 200) << held.body.dump();
    EXPECT_EQ(held.body["ok"], true) << held.body.dump();
    // A head the log never had (another hash, a later event) is a problem, not an error.
    const std::string other_hash(64, 'a');
    Reply rewritten = Get("/api/v1/audit/verify?expect_head=1:" + other_hash);
    ASSERT_EQ(rewritten.status, 200) << rewritten.body.dump();
    EXPECT_EQ(rewritten.body["ok"], false);
    ASSERT_EQ(rewritten.body["problems"].size(), 1U) << rewritten.body.dump();
    EXPECT_NE(rewritten.body["problems"][0].get<std::string>().find("the log was rewritten"),
              std::string::npos);
    Reply beyond = Get("/api/v1/audit/verify?expect_head=999999:" + other_hash);
    EXPECT_EQ(beyond.body["ok"], false);
    EXPECT_NE(beyond.body["problems"][0].get<std::string>().find("events were deleted"),
              std::string::npos);
    EXPECT_NE(ErrorOf(Get("/api/v1/audit/verify?expect_head=12"), 400, "invalid_argument")
                  .find("is not SEQ:HASH"),
              std::string::npos);
    ErrorOf(Get("/api/v1/audit/verify?expect_head=0:" + other_hash), 400, "invalid_argument");
    ErrorOf(Get("/api/v1/audit/verify?expect_head=1:" + std::string(64, 'G')), 400,
            "invalid_argument");
    ErrorOf(Get("/api/v1/audit?limit=0"), 400, "invalid_argument");
    Reply unknown = Get("/api/v1/audit?country=XX");
    EXPECT_EQ(Contains(ErrorOf(unknown, 400, "invalid_argument"), "unknown country"), "");
    EXPECT_EQ(unknown.body["error"]["location"]["field"], "country");
}

TEST_F(MonitoringApiTest, QueryParametersOfValuesAreReadAsSent) {
    OpenCycle(2005);
    json values = {{"values",
                    {{{"indicator", "ID.1"},
                      {"by", {{"SEX", "F"}, {"AGE", "0-17"}}},
                      {"track", "official"},
                      {"status", "provided"},
                      {"value", 12}}}}};
    ASSERT_EQ(Post("/api/v1/cycles/RS-2005/values", values).status, 200);
    // by= holds '=' signs of its own: the value is everything after the first.
    Reply history = Get(
        "/api/v1/cycles/RS-2005/values/history?indicator=ID.1&track=official&by=SEX=F;AGE=0-17");
    ASSERT_EQ(history.status, 200) << history.body.dump();
    EXPECT_EQ(history.body["key"]["by"], json({{"AGE", "0-17"}, {"SEX", "F"}}));
    EXPECT_EQ(history.body["versions"][0]["value"], 12);

    Reply malformed =
        Get("/api/v1/cycles/RS-2005/values/history?indicator=ID.1&track=official&by=SEX");
    ErrorOf(malformed, 400, "invalid_argument");
    EXPECT_EQ(malformed.body["error"]["location"]["field"], "by");
    Reply twice = Get("/api/v1/cycles/RS-2005/values?track=official&track=cso");
    ErrorOf(twice, 400, "invalid_argument");
    EXPECT_EQ(twice.body["error"]["location"]["field"], "track");
    Reply empty = Get("/api/v1/cycles/RS-2005/values?indicator=");
    ErrorOf(empty, 400, "invalid_argument");
    EXPECT_EQ(empty.body["error"]["location"]["field"], "indicator");

    // An indicator the framework lacks is not found, rather than an empty list.
    Reply unknown = Get("/api/v1/cycles/RS-2005/values?indicator=XX");
    EXPECT_EQ(Contains(ErrorOf(unknown, 404, "not_found"), "XX"), "");
    ErrorOf(Get("/api/v1/cycles/RS-2005/values?indicator=ID.99"), 404, "not_found");
    Reply area = Get("/api/v1/cycles/RS-2005/values?indicator=ID");
    ASSERT_EQ(area.status, 200) << area.body.dump();
    EXPECT_EQ(area.body["values"].size(), 1U);
    EXPECT_EQ(Get("/api/v1/cycles/RS-2005/values?indicator=ID.1").body["values"].size(), 1U);
}

// 415 for a body of another type, with the code of its status.
TEST_F(MonitoringApiTest, AWrongBodyTypeIsUnsupportedMediaType) {
    httplib::Client client("127.0.0.1", live_->port());
    auto r = client.Post("/api/v1/cycles", {{"X-Rapporteur-User", "ana"}}, "country=RS",
                         "application/x-www-form-urlencoded");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 415);
    EXPECT_EQ(json::parse(r->body)["error"]["code"], "unsupported_media_type") << r->body;
}

TEST_F(MonitoringApiTest, AttachedFilesAreListedAndDownloadedExactly) {
    OpenCycle(2007);
    ASSERT_EQ(Post("/api/v1/cycles/RS-2007/values", SomeValues()).status, 200);
    // A file attached as `rapporteur evidence add --file` attaches it: a name with spaces and
    // non-ASCII letters, content with NUL and high bytes.
    const std::string content = std::string("%PDF-1.4 synthetic\0\xff\xfe", 22) + "end";
    const std::string path = live_->TempFile("Odluka o pravu – ž.pdf");
    rap::testing::WriteFile(path, content);
    auto catalog = app::Catalog::Load(live_->store());
    ASSERT_TRUE(catalog) << catalog.error().ToString();
    monitoring::Evidence evidence;
    evidence.type = monitoring::EvidenceType::kFile;
    evidence.title = "Decision of the Commissioner (synthetic)";
    const monitoring::ValueKey key{"LF.1", "value", {}, monitoring::Track::kOfficial};
    auto added =
        app::AddEvidence(live_->store(), **catalog, "ana", "RS-2007", key, evidence, path);
    ASSERT_TRUE(added) << added.error().ToString();
    const std::string sha = added->file_sha256;

    Reply list = Get("/api/v1/cycles/RS-2007/attachments");
    ASSERT_EQ(list.status, 200) << list.body.dump();
    ASSERT_EQ(list.body["attachments"].size(), 1U) << list.body.dump();
    const json& row = list.body["attachments"][0];
    EXPECT_EQ(row["sha256"], sha);
    EXPECT_EQ(row["file_name"], "Odluka o pravu – ž.pdf");
    EXPECT_EQ(row["size"], content.size());
    EXPECT_EQ(row["used_by"], json::array({"evidence E1 of LF.1/value official"}));
    EXPECT_EQ(row["href"], "/api/v1/attachments/" + sha);

    httplib::Client client("127.0.0.1", live_->port());
    auto file = client.Get("/api/v1/attachments/" + sha);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->status, 200);
    EXPECT_EQ(file->body, content);
    EXPECT_EQ(file->get_header_value("Content-Type"), "application/octet-stream");
    // The exact name percent-encoded as RFC 5987 says (cpp-httplib's client hands the header
    // over decoded), and a plain ASCII fallback.
    const std::string disposition = file->get_header_value("Content-Disposition");
    EXPECT_TRUE(disposition == "attachment; filename=\"Odluka o pravu ___ __.pdf\"; "
                               "filename*=UTF-8''Odluka%20o%20pravu%20%E2%80%93%20%C5%BE.pdf" ||
                disposition == "attachment; filename=\"Odluka o pravu ___ __.pdf\"; "
                               "filename*=UTF-8''Odluka o pravu – ž.pdf")
        << disposition;
    EXPECT_EQ(file->get_header_value("Content-Security-Policy"), "sandbox");
    EXPECT_EQ(file->get_header_value("X-Content-Type-Options"), "nosniff");

    // Only to this machine: a page on another origin that rebinds its name gets nothing.
    auto rebound = client.Get("/api/v1/attachments/" + sha, {{"Host", "evil.example:8080"}});
    ASSERT_TRUE(rebound);
    EXPECT_EQ(rebound->status, 403);
    EXPECT_EQ(rebound->body.find("%PDF"), std::string::npos);
    auto proxied = client.Get("/api/v1/attachments/" + sha, {{"X-Forwarded-For", "10.0.0.9"}});
    ASSERT_TRUE(proxied);
    EXPECT_EQ(proxied->status, 403);

    ErrorOf(Get("/api/v1/attachments/" + std::string(64, '0')), 404, "not_found");
    ErrorOf(Get("/api/v1/attachments/ABC"), 400, "invalid_argument");
    ErrorOf(Get("/api/v1/attachments/" + sha + "?inline=1"), 400, "invalid_argument");
    ErrorOf(Get("/api/v1/cycles/RS-1999/attachments"), 404, "not_found");
}

// Sends `content` as a file upload (application/octet-stream unless said otherwise).
httplib::Result Upload(int port, const std::string& path, const std::string& content,
                       const std::string& user = "ana",
                       const std::string& type = "application/octet-stream") {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30, 0);
    client.set_write_timeout(30, 0);
    httplib::Headers headers;
    if (!user.empty()) {
        headers.emplace("X-Rapporteur-User", user);
    }
    return client.Post(path, headers, content, type.c_str());
}

TEST_F(MonitoringApiTest, FilesAreUploadedToRequestsAndEvidence) {
    OpenCycle(2006);
    ASSERT_EQ(Post("/api/v1/cycles/RS-2006/values", SomeValues()).status, 200);
    // Content with NUL and high bytes; a name with non-ASCII letters.
    const std::string content = std::string("%PDF-1.4 synthetic reply\0\xff", 26) + "end";
    const std::string sha = core::Sha256Hex(content);
    auto stored = Upload(live_->port(), "/api/v1/attachments?name=Odgovor%20MUP%20%C5%BE.pdf",
                         content);
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->status, 201) << stored->body;
    const json body = json::parse(stored->body);
    EXPECT_EQ(body["attachment"]["sha256"], sha);
    EXPECT_EQ(body["attachment"]["file_name"], "Odgovor MUP ž.pdf");
    EXPECT_EQ(body["attachment"]["size"], content.size());
    EXPECT_EQ(stored->get_header_value("Location"), "/api/v1/attachments/" + sha);
    httplib::Client client("127.0.0.1", live_->port());
    auto back = client.Get("/api/v1/attachments/" + sha);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->body, content);

    // Evidence names the uploaded file.
    json evidence = {{"indicator", "LF.1"},
                     {"track", "official"},
                     {"evidence",
                      {{"type", "file"},
                       {"title", "Reply of the ministry (synthetic)"},
                       {"file_sha256", sha}}}};
    Reply added = Post("/api/v1/cycles/RS-2006/evidence", evidence);
    ASSERT_EQ(added.status, 201) << added.body.dump();
    EXPECT_EQ(added.body["evidence"]["file_sha256"], sha);
    EXPECT_EQ(added.body["evidence"]["file_name"], "Odgovor MUP ž.pdf");
    evidence["evidence"]["file_sha256"] = std::string(64, 'a');
    ErrorOf(Post("/api/v1/cycles/RS-2006/evidence", evidence), 404, "not_found");
    evidence["evidence"]["file_sha256"] = "reply.pdf";
    ErrorOf(Post("/api/v1/cycles/RS-2006/evidence", evidence), 400, "invalid_argument");
    evidence["evidence"].erase("file_sha256");
    EXPECT_NE(ErrorOf(Post("/api/v1/cycles/RS-2006/evidence", evidence), 400,
                      "invalid_argument")
                  .find("POST /api/v1/attachments"),
              std::string::npos);

    // A reply attached to a request: a new version; the same file again changes nothing.
    Reply inst = Post("/api/v1/institutions", {{"id", "upload-moi"},
                                               {"country", "RS"},
                                               {"name", "Ministry of Interior (test)"},
                                               {"cycle", "RS-2006"}});
    ASSERT_EQ(inst.status, 200) << inst.body.dump();
    Reply created = Post("/api/v1/cycles/RS-2006/requests",
                         {{"institution", "upload-moi"},
                          {"sent", "2025-01-10"},
                          {"items", {{{"indicator", "ID.1"}, {"period", "2011"}}}}});
    ASSERT_EQ(created.status, 201) << created.body.dump();
    const std::string id = created.body["request"]["id"];
    auto attached = Upload(live_->port(), "/api/v1/requests/" + id + "/attachments?name=reply.pdf",
                           content);
    ASSERT_TRUE(attached);
    ASSERT_EQ(attached->status, 201) << attached->body;
    const json request = json::parse(attached->body)["request"];
    EXPECT_EQ(request["attachments"], json::array({sha}));
    EXPECT_EQ(request["version"], 2);
    auto again = Upload(live_->port(), "/api/v1/requests/" + id + "/attachments?name=reply.pdf",
                        content);
    ASSERT_TRUE(again);
    EXPECT_EQ(json::parse(again->body)["request"]["version"], 2);
    Reply listed = Get("/api/v1/cycles/RS-2006/attachments");
    ASSERT_EQ(listed.status, 200);
    ASSERT_EQ(listed.body["attachments"].size(), 1U) << listed.body.dump();
    EXPECT_EQ(listed.body["attachments"][0]["used_by"].size(), 2U) << listed.body.dump();

    // Bad uploads: each refused with its reason, nothing stored.
    auto status_of = [&](const httplib::Result& r) { return r ? r->status : -1; };
    const std::string other = "another synthetic file";
    EXPECT_EQ(status_of(Upload(live_->port(), "/api/v1/attachments?name=a.pdf", other, "ana",
                               "application/json")),
              415);
    EXPECT_EQ(status_of(Upload(live_->port(), "/api/v1/attachments?name=a.pdf", other, "")),
              401);
    for (const char* name : {"", "..%2Fetc%2Fpasswd", "a%0Ab.pdf", "%FF.pdf"}) {
        EXPECT_EQ(status_of(Upload(live_->port(), std::string("/api/v1/attachments?name=") + name,
                                   other)),
                  400)
            << name;
    }
    EXPECT_EQ(status_of(Upload(live_->port(), "/api/v1/attachments", other)), 400);
    EXPECT_EQ(status_of(Upload(live_->port(), "/api/v1/attachments?name=a.pdf&inline=1", other)),
              400);
    EXPECT_EQ(status_of(Upload(live_->port(), "/api/v1/requests/RS-2006-R99/attachments?name=a",
                               other)),
              404);
    EXPECT_EQ(client.Get("/api/v1/attachments/" + core::Sha256Hex(other))->status, 404);
    // A line break in the name is refused as a whole: no part of the name is taken as another.
    auto injected = Upload(live_->port(), "/api/v1/attachments?name=x%0d%0aSet-Cookie:%20a=b.pdf",
                           other);
    ASSERT_TRUE(injected);
    EXPECT_EQ(injected->status, 400) << injected->body;
    const json refusal = json::parse(injected->body);
    EXPECT_EQ(refusal["error"]["location"]["field"], "name") << injected->body;
    EXPECT_EQ(client.Get("/api/v1/attachments/" + core::Sha256Hex(other))->status, 404);
    // An '=' in a name is part of it.
    auto with_equals = Upload(live_->port(), "/api/v1/attachments?name=a=b.pdf", other);
    ASSERT_TRUE(with_equals);
    ASSERT_EQ(with_equals->status, 201) << with_equals->body;
    EXPECT_EQ(json::parse(with_equals->body)["attachment"]["file_name"], "a=b.pdf");
    // Larger than a file may be: refused before the body is read.
    const std::string huge((size_t{25} << 20U) + 1, 'x');
    auto too_big = Upload(live_->port(), "/api/v1/attachments?name=big.bin", huge);
    if (too_big) {  // the server may close before the whole body is sent
        EXPECT_EQ(too_big->status, 413);
    }
    EXPECT_EQ(client.Get("/api/v1/attachments/" + core::Sha256Hex(huge))->status, 404);
}

// A server listening on every address refuses every write: anyone who can reach it could claim
// any name.
TEST(MonitoringApiNetwork, WritesAreRefusedUnlessListeningOnLoopback) {
    LiveServer live(/*mini_data=*/true, "0.0.0.0");
    httplib::Client client("127.0.0.1", live.port());
    auto r = client.Post("/api/v1/cycles", {{"X-Rapporteur-User", "ana"}},
                         R"({"country": "RS", "year": 2024})", "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    json body = json::parse(r->body);
    EXPECT_EQ(body["error"]["code"], "permission_denied");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("loopback"), std::string::npos);
    auto read = client.Get("/api/v1/cycles?country=RS");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->status, 200);
    // Attached files (court decisions, replies) are not served to the network either.
    auto file = client.Get("/api/v1/attachments/" + std::string(64, '0'));
    ASSERT_TRUE(file);
    EXPECT_EQ(file->status, 403);
    EXPECT_NE(file->body.find("attached files are served only by a server listening on a "
                              "loopback address"),
              std::string::npos)
        << file->body;
}

}  // namespace
}  // namespace rap::server
