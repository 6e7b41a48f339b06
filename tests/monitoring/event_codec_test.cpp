// SPDX-License-Identifier: AGPL-3.0-or-later
// Stored events decode to exactly what was encoded, and a damaged payload is reported as data loss
// naming the field, never half-read. Names and texts are synthetic.
#include <set>

#include <gtest/gtest.h>

#include "monitoring/events.hpp"

namespace rap::monitoring {
namespace {

ValueKey Key() {
    return ValueKey{"ID.2", "value", {{"AGE", "child"}, {"SEX", "F"}}, Track::kOfficial};
}

std::vector<Payload> EveryKind() {
    Cycle c;
    c.id = "RS-2025";
    c.country = "RS";
    c.year = 2025;
    c.framework_id = "rs";
    c.framework_version = "1.1.0";
    c.core_id = "regional-core";
    c.core_version = "1.1.0";
    c.cloned_from = "RS-2024";
    c.institutions = {"moi", "ppo"};
    Figure f;
    f.kind = framework::ValueKind::kAMT;
    f.amount = 1234.5;
    f.currency = "RSD";
    f.eur_rate = 117.1;
    f.number = 1234.5 / 117.1;
    Evidence ev;
    ev.type = EvidenceType::kLawArticle;
    ev.title = "Criminal Code (synthetic citation)";
    ev.citation = "Art. 388(1)";
    ev.url = "https://example.org/synthetic";
    ev.date = core::Date::Parse("2025-03-01");
    ev.reliability = Reliability::kHigh;
    InfoRequest r;
    r.id = "RS-2025-R01";
    r.cycle = "RS-2025";
    r.institution = "moi";
    r.channel = Channel::kPortal;
    r.urgent = true;
    r.sent = core::Date::Parse("2026-01-15");
    r.response_date = core::Date::Parse("2026-02-20");
    r.response = ResponseType::kRefused;
    r.refusal_ground = RefusalGround::kPersonalData;
    r.items = {{"ID.1", "SEX", "2025", ItemOutcome::kRefused}};
    r.complaints = {{*core::Date::Parse("2026-03-01"), ComplaintOutcome::kUpheld,
                     core::Date::Parse("2026-05-02"), "synthetic"}};
    r.attachments = {std::string(64, 'b')};
    Recommendation rec;
    rec.id = "RS-2025-REC01";
    rec.cycle = "RS-2025";
    rec.source = RecommendationSource::kGreta;
    rec.urgency = Urgency::kUrge;
    rec.text = "Synthetic: ensure compensation is paid.";
    rec.indicators = {"CO.6"};
    rec.issued = core::Date::Parse("2024-06-30");
    Followup fu;
    fu.cycle = "RS-2026";
    fu.status = FollowupStatus::kPartly;
    fu.evidence = "Synthetic: a fund was set up.";
    return {CycleOpened{c},
            CyclePublished{"RS-2025"},
            CycleReopened{"RS-2025", "Correction"},
            ValueEntered{"RS-2025", Key(), ValueStatus::kEstimated, f,
                         Source{SourceType::kRequest, "RS-2025-R01"}, "note ü \"quoted\"\n"},
            ValueEntered{"RS-2025", Key(), ValueStatus::kRefused, std::nullopt, {}, ""},
            ValuesMoved{"RS-2025", Transition::kReturn, {Key(), Key()}, {3, 0}, "fix the source"},
            EvidenceAdded{"RS-2025", Key(), ev},
            InstitutionSaved{
                {"moi", "RS", "Ministry (synthetic)", "MoI", "RS-BG", "a@example.org", ""},
                "RS-2025"},
            RequestSaved{r},
            RecommendationSaved{rec},
            FollowupRecorded{"RS-2025-REC01", fu},
            NarrativeSaved{"RS-2025", "summary", "# Synthetic\n\nText."},
            CaseDataAccessed{CaseAccess::kExport, "csv to /tmp/export", 1234},
            CaseDataAccessed{CaseAccess::kUnprotectedValues, "ID.5 2024 by SEX,AGE", 12},
            CasesImported{3, "victims.csv, claims.csv", {"victim 2024", "claim 2024"}, 120, 5}};
}

TEST(EventCodec, EveryPayloadRoundTrips) {
    for (const Payload& p : EveryKind()) {
        auto encoded = EncodePayload(p);
        ASSERT_TRUE(encoded) << encoded.error().ToString();
        const std::string text = *encoded;
        auto back = DecodePayload(TypeName(p), text);
        ASSERT_TRUE(back) << TypeName(p) << ": " << back.error().ToString();
        EXPECT_EQ(back->index(), p.index());
        // Encoding is deterministic, so equal text means equal content.
        EXPECT_EQ(EncodePayload(*back).value_or(""), text) << TypeName(p);
    }
}

TEST(EventCodec, TextThatIsNotUtf8IsRefusedNotThrown) {
    NarrativeSaved n{"RS-2025", "summary", "Ni\x9a (Windows-1250)"};
    auto encoded = EncodePayload(n);
    ASSERT_FALSE(encoded);
    EXPECT_EQ(encoded.error().code, Errc::kInvalidArgument);
    EXPECT_NE(encoded.error().message.find("not valid UTF-8"), std::string::npos);
}

TEST(EventCodec, TypeNamesAreDistinct) {
    std::set<std::string_view> names;
    for (const Payload& p : EveryKind()) {
        names.insert(TypeName(p));
    }
    EXPECT_EQ(names.size(), std::variant_size_v<Payload>);
}

TEST(EventCodec, DamagedPayloadsAreDataLossNamingTheField) {
    auto unknown = DecodePayload("value_deleted", "{}");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, Errc::kDataLoss);
    EXPECT_NE(unknown.error().message.find("unknown event type"), std::string::npos);

    auto broken = DecodePayload("cycle_published", "{\"cycle\":");
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().code, Errc::kDataLoss);

    auto missing = DecodePayload("cycle_reopened", R"({"cycle":"RS-2025"})");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("missing field reason"), std::string::npos);

    auto wrong_type = DecodePayload(
        "value_entered",
        R"({"cycle":"RS-2025","key":{"indicator":"ID.2","measure":"value","track":"cso"},)"
        R"("status":"provided","figure":{"kind":"NUM","value":"ten"}})");
    ASSERT_FALSE(wrong_type);
    EXPECT_NE(wrong_type.error().message.find("field value is not a number"), std::string::npos);

    auto bad_enum = DecodePayload(
        "value_entered",
        R"({"cycle":"RS-2025","key":{"indicator":"ID.2","measure":"value","track":"state"},)"
        R"("status":"provided"})");
    ASSERT_FALSE(bad_enum);
    EXPECT_NE(bad_enum.error().message.find("unknown value \"state\""), std::string::npos);

    const std::string request =
        R"({"request":{"id":"RS-2025-R01","cycle":"RS-2025","institution":"moi",)"
        R"("channel":"email","response":"no_response","items":[])";
    auto access = DecodePayload("case_data_accessed",
                                R"({"access":"download","what":"x","records":1})");
    ASSERT_FALSE(access);
    EXPECT_NE(access.error().message.find("unknown value \"download\""), std::string::npos);
    auto count = DecodePayload("case_data_accessed",
                               R"({"access":"export","what":"x","records":"many"})");
    ASSERT_FALSE(count);
    EXPECT_NE(count.error().message.find("field records is not a whole number"),
              std::string::npos);

    auto ordinary = DecodePayload("request_saved", request + "}}");
    ASSERT_TRUE(ordinary) << ordinary.error().ToString();
    EXPECT_FALSE(std::get<RequestSaved>(*ordinary).request.urgent);  // absent: not urgent
    auto not_bool = DecodePayload("request_saved", request + R"(,"urgent":"yes"}})");
    ASSERT_FALSE(not_bool);
    EXPECT_NE(not_bool.error().message.find("field urgent is not true or false"),
              std::string::npos);
}

TEST(Disaggregations, ParseSortsAndRejectsWhatIsNotAPair) {
    auto d = ParseDisaggregation(" sex=F ; AGE=child ");
    ASSERT_TRUE(d);
    EXPECT_EQ(ToString(*d), "AGE=child;SEX=F");
    EXPECT_TRUE(ParseDisaggregation("")->empty());
    EXPECT_FALSE(ParseDisaggregation("SEX"));
    EXPECT_FALSE(ParseDisaggregation("SEX=F;SEX=M"));
    EXPECT_FALSE(ParseDisaggregation("SEX=<script>"));
}

}  // namespace
}  // namespace rap::monitoring
