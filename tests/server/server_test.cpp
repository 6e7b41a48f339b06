// SPDX-License-Identifier: AGPL-3.0-or-later
// The real server on a free port, driven over HTTP.
#include "server/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server/live_server.hpp"

namespace rap::server {
namespace {

using nlohmann::json;

using testing::LiveServer;

class ServerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { live_ = new LiveServer(/*mini_data=*/true); }
    static void TearDownTestSuite() {
        delete live_;
        live_ = nullptr;
    }

    static httplib::Result Get(const std::string& path) {
        httplib::Client client("127.0.0.1", live_->port());
        return client.Get(path);
    }

    static json GetJson(const std::string& path, int expected_status) {
        auto r = Get(path);
        EXPECT_TRUE(r) << path;
        if (!r) {
            return json();
        }
        EXPECT_EQ(r->status, expected_status) << path << "\n" << r->body;
        EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
        return json::parse(r->body);
    }

    // Sends raw bytes and returns the status code of the reply.
    static int RawStatus(const std::string& request) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(live_->port()));
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            close(fd);
            return -1;
        }
        EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
        char buf[64] = {};
        const ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n < 12) {
            return -1;
        }
        return std::stoi(std::string(buf + 9, 3));
    }

    struct RawReply {
        int status = -1;
        std::string head;  // status line and headers
        json body;
    };

    // Sends raw bytes and reads the reply until the server closes the connection (send
    // `Connection: close`).
    static RawReply Raw(const std::string& request) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout{.tv_sec = 5, .tv_usec = 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(live_->port()));
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        RawReply reply;
        if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            close(fd);
            return reply;
        }
        EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
        std::string text;
        char buf[4096];
        for (ssize_t n = 0; (n = read(fd, buf, sizeof buf)) > 0;) {
            text.append(buf, static_cast<size_t>(n));
        }
        close(fd);
        if (text.size() < 12) {
            return reply;
        }
        reply.status = std::stoi(text.substr(9, 3));
        const size_t end = text.find("\r\n\r\n");
        reply.head = text.substr(0, end);
        reply.body = json::parse(end == std::string::npos ? "" : text.substr(end + 4), nullptr,
                                 false);
        return reply;
    }

    // The error of a raw reply: its status, code and a request id of its own.
    static void ExpectRawError(const RawReply& reply, int status, const std::string& code) {
        EXPECT_EQ(reply.status, status) << reply.head;
        ASSERT_TRUE(reply.body.contains("error")) << reply.head;
        EXPECT_EQ(reply.body["error"]["code"], code) << reply.body.dump();
        const std::string id = reply.body["error"]["request_id"];
        EXPECT_NE(id, "-");
        EXPECT_NE(reply.head.find("X-Request-Id: " + id), std::string::npos) << reply.head;
    }

    static void ExpectError(const json& body, const std::string& code) {
        ASSERT_TRUE(body.contains("error")) << body.dump();
        EXPECT_EQ(body["error"]["code"], code) << body.dump();
        EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
        EXPECT_FALSE(body["error"]["request_id"].get<std::string>().empty());
    }

    static inline LiveServer* live_ = nullptr;
};

TEST_F(ServerTest, HealthSaysOkAndLabelsTheDemo) {
    json body = GetJson("/healthz", 200);
    EXPECT_EQ(body["status"], "ok");
    EXPECT_GE(body["schema_version"].get<int>(), 1);
    EXPECT_EQ(body["demo"], true);
    EXPECT_NE(body["demo_label"].get<std::string>().find("SYNTHETIC"), std::string::npos);
}

TEST_F(ServerTest, ListsFrameworksWithTheirDeviations) {
    json body = GetJson("/api/v1/frameworks", 200);
    ASSERT_EQ(body["frameworks"].size(), 2U);
    EXPECT_EQ(body["frameworks"][0]["id"], "test-core");
    EXPECT_EQ(body["frameworks"][0]["kind"], "core");
    EXPECT_EQ(body["frameworks"][0]["indicator_count"], 5);
    const json& rs = body["frameworks"][1];
    EXPECT_EQ(rs["id"], "test-rs");
    EXPECT_EQ(rs["country"], "RS");
    EXPECT_EQ(rs["extends"]["id"], "test-core");
    EXPECT_EQ(rs["example"], true);
    ASSERT_EQ(rs["deviations"].size(), 4U);
    EXPECT_EQ(rs["deviations"][1]["type"], "redefined");
    EXPECT_EQ(rs["deviations"][1]["scope"], "narrowed");
    EXPECT_EQ(rs["indicator_count"], 6);
}

TEST_F(ServerTest, CountriesCarryTheirInformationRuleAndDisclosureThresholds) {
    json body = GetJson("/api/v1/countries", 200);
    EXPECT_EQ(body["version"], "1.0.0");
    ASSERT_EQ(body["countries"].size(), 2U);
    const json& rs = body["countries"][0];
    EXPECT_EQ(rs["code"], "RS");
    EXPECT_EQ(rs["iso3"], "SRB");
    EXPECT_EQ(rs["name"]["sr-Cyrl"], "Србија");
    EXPECT_EQ(rs["languages"], json::array({"sr-Cyrl", "sr-Latn"}));
    EXPECT_EQ(rs["foi"]["deadline"], json({{"days", 15}, {"unit", "calendar"}}));
    EXPECT_EQ(rs["foi"]["extended_deadline"], json({{"days", 40}, {"unit", "calendar"}}));
    EXPECT_TRUE(rs["foi"]["forwarded_deadline"].is_null());
    EXPECT_EQ(rs["foi"]["urgent_hours"], 48);
    EXPECT_EQ(rs["foi"]["verify"], false);
    EXPECT_EQ(rs["disclosure"], json({{"threshold", 5}, {"cross_threshold", 10},
                                      {"reason", nullptr}}));
    const json& ba = body["countries"][1];
    EXPECT_EQ(ba["code"], "BA");
    EXPECT_TRUE(ba["foi"]["urgent_hours"].is_null());
    EXPECT_EQ(ba["foi"]["verify"], true);
    EXPECT_EQ(ba["disclosure"]["threshold"], 8);
    EXPECT_EQ(ba["disclosure"]["cross_threshold"], 10);
    EXPECT_EQ(ba["disclosure"]["reason"]["en"], "Synthetic test of a stricter national rule");
    ExpectError(GetJson("/api/v1/countries?code=RS", 400), "invalid_argument");
}

TEST_F(ServerTest, FrameworkIndicatorsCarryComparability) {
    json body = GetJson("/api/v1/frameworks/test-rs/indicators", 200);
    EXPECT_EQ(body["framework"]["country"], "RS");
    ASSERT_EQ(body["areas"].size(), 2U);
    ASSERT_EQ(body["indicators"].size(), 6U);
    std::map<std::string, std::string> classes;
    for (const auto& i : body["indicators"]) {
        classes[i["code"]] = i["comparability"];
    }
    EXPECT_EQ(classes["LF.2"], "not_applicable");
    EXPECT_EQ(classes["ID.2"], "adapted");
    EXPECT_EQ(classes["ID.RS.1"], "national_only");
    EXPECT_EQ(classes["LF.1"], "identical");

    json core = GetJson("/api/v1/frameworks/test-core/indicators?version=1.0.0", 200);
    EXPECT_EQ(core["indicators"].size(), 5U);
    ExpectError(GetJson("/api/v1/frameworks/test-core/indicators?version=9.9.9", 404),
                "not_found");
    ExpectError(GetJson("/api/v1/frameworks/nope/indicators", 404), "not_found");
}

TEST_F(ServerTest, OneIndicatorAsItAppliesInACountry) {
    json body = GetJson("/api/v1/indicators/ID.2?country=RS", 200);
    const json& ind = body["indicator"];
    EXPECT_EQ(ind["code"], "ID.2");
    EXPECT_EQ(ind["comparability"], "adapted");
    EXPECT_EQ(ind["name"]["en"], "Victims identified by the Centre");
    ASSERT_EQ(ind["deviations"].size(), 1U);
    EXPECT_EQ(ind["deviations"][0]["framework"], "test-rs");
    EXPECT_EQ(body["framework"]["chain"].size(), 2U);

    json id1 = GetJson("/api/v1/indicators/ID.1?country=RS", 200)["indicator"];
    EXPECT_EQ(id1["national_disaggregations"], json::array({"REG"}));
    EXPECT_EQ(id1["sources"][0]["code"], "SW");
    EXPECT_EQ(id1["sources"][0]["name"]["en"], "Social welfare");

    json core = GetJson("/api/v1/indicators/ID.2", 200)["indicator"];
    EXPECT_EQ(core["comparability"], "identical");
    EXPECT_EQ(core["name"]["en"], "Identified victims");

    json sc3 = GetJson("/api/v1/indicators/LF.2", 200)["indicator"];
    EXPECT_EQ(sc3["rubric"]["3"]["en"], "Applied consistently.");
    json measures = GetJson("/api/v1/indicators/ID.3", 200)["indicator"]["measures"];
    ASSERT_EQ(measures.size(), 2U);
    EXPECT_EQ(measures[1]["kind"], "MED");
    EXPECT_EQ(measures[1]["unit"], "days");
}

TEST_F(ServerTest, BadParametersGetClearErrors) {
    ExpectError(GetJson("/api/v1/indicators/ID.2?country=rs", 400), "invalid_argument");
    ExpectError(GetJson("/api/v1/indicators/ID.2?country=ME", 404), "not_found");
    ExpectError(GetJson("/api/v1/indicators/ID.99?country=RS", 404), "not_found");
    json typo = GetJson("/api/v1/indicators/ID.2?contry=RS", 400);
    ExpectError(typo, "invalid_argument");
    EXPECT_NE(typo["error"]["message"].get<std::string>().find("contry"), std::string::npos);
    ExpectError(GetJson("/api/v1/nothing-here", 404), "not_found");
}

TEST_F(ServerTest, HostileInputIsEscaped) {
    auto r = Get("/api/v1/indicators/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    // JSON carries the text as data; the browser is told not to sniff it as HTML.
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
    json body = json::parse(r->body);
    EXPECT_NE(body["error"]["message"].get<std::string>().find("<script>"), std::string::npos);
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(ServerTest, HomePageIsHtmlWithTheDemoBanner) {
    auto r = Get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(r->body.find("SYNTHETIC DEMO DATA"), std::string::npos);
    EXPECT_NE(r->body.find("test-rs"), std::string::npos);
    EXPECT_NE(r->get_header_value("Content-Security-Policy").find("default-src 'none'"),
              std::string::npos);
}

TEST_F(ServerTest, BodiesWhoseSizeCannotBeBoundedAreRefused) {
    const std::string post = "POST /api/v1/cycles HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    ExpectRawError(Raw(post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), 411,
                   "length_required");
    ExpectRawError(Raw(post + "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd"), 415,
                   "unsupported_media_type");
    ExpectRawError(Raw(post + "\r\n"), 411, "length_required");
    EXPECT_EQ(RawStatus("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
    // Each address has its own limit, applied before the body is read: JSON bodies up to 1 MiB,
    // uploaded files up to 25 MiB.
    ExpectRawError(Raw(post + "Content-Length: 2000000\r\n\r\n"), 413, "payload_too_large");
    EXPECT_EQ(RawStatus("POST /api/v1/attachments HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        "30000000\r\n\r\n"),
              413);
    EXPECT_EQ(RawStatus("POST /api/v1/requests/RS-2025-R01/attachments HTTP/1.1\r\nHost: "
                        "x\r\nContent-Length: 26214401\r\n\r\n"),
              413);
    ExpectRawError(Raw(post + "Content-Length: 12ab\r\n\r\n"), 400, "invalid_argument");
}

TEST_F(ServerTest, OversizedBodiesAreRefused) {
    httplib::Client client("127.0.0.1", live_->port());
    auto r = client.Post("/api/v1/cycles", std::string(2U << 20U, 'x'), "text/plain");
    // The server refuses before reading the body; the client may see the refusal or a reset.
    if (r) {
        EXPECT_EQ(r->status, 413);
        ExpectError(json::parse(r->body), "payload_too_large");
    }
}

// Requests refused before they reach a handler carry the code of their status and an id.
TEST_F(ServerTest, RefusalsBeforeRoutingCarryTheirCodeAndARequestId) {
    ExpectRawError(Raw("GET /healthz?" + std::string(9000, 'a') +
                       "=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                   414, "uri_too_long");
    ExpectRawError(Raw("FOO /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400,
                   "invalid_argument");
    ExpectRawError(Raw("GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                   404, "not_found");
}

// A known address with a method it does not take: 405 and the methods it does, before any
// check of the body.
// A request refused before its body is read closes the connection: the unread body is never
// taken for the next request (here, a smuggled GET).
TEST_F(ServerTest, AnUnreadBodyIsNeverReadAsTheNextRequest) {
    const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const RawReply reply =
        Raw("POST /api/v1/nosuch HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
            "application/json\r\nContent-Length: " +
            std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
    ExpectRawError(reply, 404, "not_found");
    EXPECT_NE(reply.head.find("Connection: close"), std::string::npos) << reply.head;
    EXPECT_FALSE(reply.body.is_discarded());  // one reply only: a second would follow the JSON
}

TEST_F(ServerTest, AWrongMethodIsAnsweredWithTheMethodsAllowed) {
    RawReply post = Raw("POST /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ExpectRawError(post, 405, "method_not_allowed");
    EXPECT_NE(post.head.find("\r\nAllow: GET, HEAD\r\n"), std::string::npos) << post.head;
    RawReply del =
        Raw("DELETE /api/v1/cycles HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ExpectRawError(del, 405, "method_not_allowed");
    EXPECT_NE(del.head.find("\r\nAllow: GET, HEAD, POST\r\n"), std::string::npos) << del.head;
    RawReply put = Raw("PUT /api/v1/frameworks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       "Content-Length: 2\r\n\r\n{}");
    ExpectRawError(put, 405, "method_not_allowed");
    EXPECT_EQ(RawStatus("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
}

// The API answers with whole bodies whatever Range asks: cpp-httplib would cut the JSON.
TEST_F(ServerTest, RangeHeadersAreIgnored) {
    httplib::Client client("127.0.0.1", live_->port());
    auto whole = client.Get("/api/v1/frameworks");
    ASSERT_TRUE(whole);
    for (const char* range : {"bytes=0-10", "bytes=0-1,5-6", "bytes=999999-", "bytes=-5"}) {
        auto r = client.Get("/api/v1/frameworks", {{"Range", range}});
        ASSERT_TRUE(r) << range;
        EXPECT_EQ(r->status, 200) << range;
        EXPECT_EQ(r->body, whole->body) << range;
        EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
        EXPECT_FALSE(r->has_header("Content-Range")) << range;
        auto error = client.Get("/api/v1/frameworks?x=1", {{"Range", range}});
        ASSERT_TRUE(error) << range;
        EXPECT_EQ(error->status, 400) << range;
        ExpectError(json::parse(error->body), "invalid_argument");
    }
    // A Range header cpp-httplib cannot read is refused before the server sees the request;
    // still as JSON, never as multipart/byteranges.
    RawReply bad = Raw("GET /api/v1/frameworks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       "Range: bytes=0-1,0-1,5-1\r\n\r\n");
    ExpectRawError(bad, 416, "range_not_satisfiable");
    EXPECT_NE(bad.head.find("Content-Type: application/json"), std::string::npos) << bad.head;
}

// Two Host headers could pass the loopback check on one and name another site in the other.
TEST_F(ServerTest, RepeatedHostOrContentLengthIsRefused) {
    ExpectRawError(Raw("GET /healthz HTTP/1.1\r\nHost: localhost\r\nHost: evil.com\r\n"
                       "Connection: close\r\n\r\n"),
                   400, "invalid_argument");
    RawReply write = Raw(
        "POST /api/v1/cycles HTTP/1.1\r\nHost: localhost\r\nHost: evil.com\r\n"
        "X-Rapporteur-User: ana\r\nContent-Type: application/json\r\nContent-Length: 29\r\n"
        "Connection: close\r\n\r\n{\"country\":\"RS\",\"year\":2031}");
    ExpectRawError(write, 400, "invalid_argument");
    EXPECT_NE(write.body["error"]["message"].get<std::string>().find("Host"), std::string::npos);
    ExpectRawError(Raw("POST /api/v1/cycles HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
                       "Content-Length: 20\r\nConnection: close\r\n\r\n{}"),
                   400, "invalid_argument");
}

TEST_F(ServerTest, QueryParametersAreReadAsSentAndCheckedEverywhere) {
    for (const char* path : {"/healthz?x=1", "/?x=1", "/api/v1/indicators/ID.2?country=",
                             "/api/v1/indicators/ID.2?country=RS&country=BA",
                             "/api/v1/indicators/ID.2?=RS", "/api/v1/indicators/ID.2?country"}) {
        auto r = Get(path);
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 400) << path << " " << r->body;
        ExpectError(json::parse(r->body), "invalid_argument");
    }
    json twice = GetJson("/api/v1/indicators/ID.2?country=RS&country=RS", 400);
    EXPECT_EQ(twice["error"]["location"]["field"], "country") << twice.dump();
    json empty = GetJson("/api/v1/frameworks/test-rs/indicators?version=", 400);
    EXPECT_EQ(empty["error"]["location"]["field"], "version") << empty.dump();
    json unknown = GetJson("/healthz?x=1", 400);
    EXPECT_EQ(unknown["error"]["location"]["field"], "x") << unknown.dump();
    // A trailing '&' is no parameter.
    GetJson("/api/v1/indicators/ID.2?country=RS&", 200);
}

TEST(ParseQuery, AValueIsEverythingAfterTheFirstEqualsSign) {
    auto q = ParseQuery("by=SEX=F;AGE=child&track=official&name=a%3Db+c.pdf&&x=%C5%BE");
    ASSERT_TRUE(q) << q.error().ToString();
    EXPECT_EQ(q->at("by"), "SEX=F;AGE=child");
    EXPECT_EQ(q->at("track"), "official");
    EXPECT_EQ(q->at("name"), "a=b c.pdf");
    EXPECT_EQ(q->at("x"), "\xC5\xBE");
    EXPECT_EQ(q->size(), 4U);
    EXPECT_TRUE(ParseQuery("")->empty());

    auto control = ParseQuery("name=x%0d%0aSet-Cookie:%20a=b.pdf");
    ASSERT_FALSE(control);
    EXPECT_EQ(control.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(control.error().where.field, "name");
    EXPECT_FALSE(ParseQuery("name=a%00b"));
    EXPECT_EQ(ParseQuery("year=2024&year=2023").error().where.field, "year");
    EXPECT_EQ(ParseQuery("year=2024&year=2024").error().where.field, "year");
    EXPECT_EQ(ParseQuery("country=").error().where.field, "country");
    EXPECT_FALSE(ParseQuery("=RS"));
}

TEST(EscapeControl, ControlCharactersCannotStartALineOfTheirOwn) {
    EXPECT_EQ(EscapeControl("/api/v1/indicators/ID.2"), "/api/v1/indicators/ID.2");
    EXPECT_EQ(EscapeControl(std::string("x\n2026 info\r\t\0y\x1b\\", 17)),
              "x\\n2026 info\\r\\t\\x00y\\x1b\\\\");
    EXPECT_EQ(EscapeControl("Odgovor \xC5\xBE"), "Odgovor \xC5\xBE");
}

TEST_F(ServerTest, RequestLinesAreLoggedEscaped) {
    ::testing::internal::CaptureStderr();
    Get("/api/v1/indicators/x%0a2026-12-07T00:00:00.000%20info%20forged%00y");
    // The access log is written after the reply is sent.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(log.find("/api/v1/indicators/x\\n2026-12-07T00:00:00.000 info forged\\x00y -> 404"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("\n2026-12-07T00:00:00.000 info forged"), std::string::npos) << log;
    EXPECT_EQ(log.find('\0'), std::string::npos);
}

TEST(ServerBind, TakenPortIsAClearError) {
    Server a({});
    ASSERT_TRUE(a.Bind(ServerOptions{.port = 0, .threads = 2}));
    Server b({});
    auto r = b.Bind(ServerOptions{.port = a.port(), .threads = 2});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kUnavailable);
    EXPECT_NE(r.error().message.find(std::to_string(a.port())), std::string::npos);
}

}  // namespace
}  // namespace rap::server

namespace rap::server {
namespace {

// /api/v1/values on a demonstration database (shipped frameworks, synthetic case records).
class ServerValuesTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        live_ = new LiveServer(/*mini_data=*/false);
        ASSERT_GT(live_->demo_victims(), 1000);
    }
    static void TearDownTestSuite() {
        delete live_;
        live_ = nullptr;
    }
    static std::pair<int, json> Get(const std::string& path) {
        httplib::Client client("127.0.0.1", live_->port());
        auto r = client.Get(path);
        EXPECT_TRUE(r) << path;
        if (!r) {
            return {0, json()};
        }
        return {r->status, json::parse(r->body)};
    }
    static inline LiveServer* live_ = nullptr;
};

TEST_F(ServerValuesTest, ValuesWithBreakdowns) {
    auto [status, body] = Get("/api/v1/values?indicator=ID.5&country=RS&year=2024&by=age");
    ASSERT_EQ(status, 200) << body.dump();
    EXPECT_EQ(body["indicator"], "ID.5");
    EXPECT_EQ(body["by"], json::array({"AGE"}));
    EXPECT_EQ(body["demo"], true);
    EXPECT_EQ(body["framework"]["id"], "rs");
    EXPECT_EQ(body["measures"][0]["kind"], "MED");
    ASSERT_FALSE(body["values"].empty());
    EXPECT_EQ(body["disclosure_control"]["threshold"], 5);
    for (const auto& v : body["values"]) {
        ASSERT_TRUE(v["by"].contains("AGE")) << v.dump();
        if (v.contains("suppressed")) {
            EXPECT_TRUE(v["records"].is_null()) << v.dump();
            continue;
        }
        EXPECT_GE(v["records"].get<int>(), 5);
        if (!v["value"].is_null()) {
            EXPECT_GE(v["p90"].get<double>(), v["value"].get<double>());
        }
    }
    auto [s2, totals] = Get("/api/v1/values?indicator=ID.1&country=BA&year=2023");
    ASSERT_EQ(s2, 200);
    ASSERT_EQ(totals["values"].size(), 1U);
    EXPECT_TRUE(totals["values"][0]["by"].empty());
    EXPECT_GT(totals["values"][0]["value"].get<double>(), 0);
    // The national breakdown of BiH (entities and Brčko District) is there.
    auto [s3, reg] = Get("/api/v1/values?indicator=JS.3&country=BA&year=2023&by=reg");
    EXPECT_EQ(s3, 200) << reg.dump();
}

// Whatever is asked, no count between 1 and the threshold leaves the server, and no breakdown
// has exactly one hidden cell (which its margin would give away).
TEST_F(ServerValuesTest, SmallCountsNeverLeaveTheServer) {
    int suppressed = 0;
    int shown = 0;
    for (const char* country : {"ME", "MK", "RS"}) {
        for (const char* query : {"indicator=ID.1", "indicator=ID.1&by=sex",
                                  "indicator=ID.1&by=age", "indicator=ID.1&by=sex,age",
                                  "indicator=ID.1&by=cit,form", "indicator=ID.5&by=age",
                                  "indicator=AS.2&by=sex", "indicator=JS.1&by=sex"}) {
            const std::string path =
                fmt::format("/api/v1/values?{}&country={}&year=2024", query, country);
            auto [status, body] = Get(path);
            ASSERT_EQ(status, 200) << path << " " << body.dump();
            const size_t dims = body["by"].size();
            const double threshold = dims >= 2 ? 10 : 5;
            for (const auto& v : body["values"]) {
                if (v.contains("suppressed")) {
                    ++suppressed;
                    EXPECT_TRUE(v["value"].is_null() && v["numerator"].is_null() &&
                                v["records"].is_null())
                        << path << " " << v.dump();
                    continue;
                }
                ++shown;
                const double records = v["records"].get<double>();
                EXPECT_TRUE(records == 0 || records >= threshold) << path << " " << v.dump();
                if (query == std::string_view("indicator=ID.1") ||
                    std::string_view(query).starts_with("indicator=ID.1&")) {
                    const double n = v["value"].get<double>();
                    EXPECT_TRUE(n == 0 || n >= threshold) << path << " " << v.dump();
                }
            }
            // One-way tables of a count: hidden cells come in twos (or none), unless the total
            // itself is hidden.
            if (dims == 1 && std::string_view(query).starts_with("indicator=ID.1")) {
                int hidden = 0;
                for (const auto& v : body["values"]) {
                    hidden += v.contains("suppressed") ? 1 : 0;
                }
                auto [ts, total] =
                    Get(fmt::format("/api/v1/values?indicator=ID.1&country={}&year=2024", country));
                const bool total_hidden = total["values"][0].contains("suppressed");
                EXPECT_NE(hidden + (total_hidden ? 1 : 0), 1) << path << " " << body.dump();
            }
        }
    }
    // The demo has both: small cells to hide and large ones to show.
    EXPECT_GT(suppressed, 0);
    EXPECT_GT(shown, 0);
}

TEST_F(ServerValuesTest, BadQueriesGetClearErrors) {
    for (const char* path : {"/api/v1/values?indicator=ID.5&country=RS",
                             "/api/v1/values?indicator=ID.5&country=RS&year=twenty",
                             "/api/v1/values?indicator=ID.5&country=RS&year=2024&by=form",
                             "/api/v1/values?indicator=ID.5&country=RS&year=1999",
                             "/api/v1/values?indicator=ID.5&country=rs&year=2024",
                             "/api/v1/values?indicator=ID.5&country=RS&year=2024&sort=x",
                             "/api/v1/values?indicator=ID.5&country=RS&year=2024&measure=mean",
                             "/api/v1/values?indicator=ID.1&country=RS&year=2024&by=sex,age,reg"}) {
        auto [status, body] = Get(path);
        EXPECT_EQ(status, 400) << path << " " << body.dump();
        EXPECT_EQ(body["error"]["code"], "invalid_argument") << path;
    }
    // The parameter a refusal is about is in location.field.
    for (const auto& [path, field] : std::vector<std::pair<std::string, std::string>>{
             {"/api/v1/values?indicator=ID.5&country=RS&year=2024&by=form", "by"},
             {"/api/v1/values?indicator=ID.1&country=RS&year=2024&by=sex,sex", "by"},
             {"/api/v1/values?indicator=ID.5&country=RS&year=2024&measure=mean", "measure"},
             {"/api/v1/values?indicator=ID.5&country=RS&year=twenty", "year"},
             {"/api/v1/values?indicator=ID.5&year=2024", "country"}}) {
        auto [status, body] = Get(path);
        EXPECT_EQ(status, 400) << path << " " << body.dump();
        EXPECT_EQ(body["error"]["location"]["field"], field) << path << " " << body.dump();
    }
    auto [status, body] = Get("/api/v1/values?indicator=XX.9&country=RS&year=2024");
    EXPECT_EQ(status, 404);
    auto [s2, b2] = Get("/api/v1/values?indicator=LF.1&country=RS&year=2024");
    EXPECT_EQ(s2, 404);
    EXPECT_NE(b2["error"]["message"].get<std::string>().find("not derived from case records"),
              std::string::npos);
}

}  // namespace
}  // namespace rap::server
