// SPDX-License-Identifier: AGPL-3.0-or-later
#include <chrono>
#include <cstdio>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/catalog.hpp"
#include "app/monitoring.hpp"
#include "app/setup.hpp"

#include "support/test_support.hpp"

namespace rap::app {
namespace {

struct Db {
    std::unique_ptr<store::Store> store;
    std::shared_ptr<const Catalog> catalog;
};

// A database with the shipped reference data and no case records.
Db Fresh(const std::string& path) {
    Db db;
    auto s = store::Store::Open(store::Target::Parse(path));
    EXPECT_TRUE(s) << s.error().ToString();
    db.store = std::move(*s);
    core::Diagnostics diags;
    auto init = InitDatabase(*db.store, InitOptions{}, diags);
    EXPECT_TRUE(init) << init.error().ToString() << diags.ToString();
    auto catalog = Catalog::Load(*db.store);
    EXPECT_TRUE(catalog) << catalog.error().ToString();
    db.catalog = *catalog;
    return db;
}

// Generating is slow enough (a few seconds in a debug build) to do it once for the suite.
class DemoCycles : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new testing::TempDir();
        db_ = new Db(Fresh(tmp_->File("demo.db")));
        const auto start = std::chrono::steady_clock::now();
        auto s = GenerateDemoCycles(*db_->store, *db_->catalog);
        seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ASSERT_TRUE(s) << s.error().ToString();
    }
    static void TearDownTestSuite() {
        delete db_;
        delete tmp_;
    }
    static store::Store& store() { return *db_->store; }
    static const Catalog& catalog() { return *db_->catalog; }

    static testing::TempDir* tmp_;
    static Db* db_;
    static double seconds_;
};
testing::TempDir* DemoCycles::tmp_ = nullptr;
Db* DemoCycles::db_ = nullptr;
double DemoCycles::seconds_ = 0;

TEST_F(DemoCycles, FourYearsForFiveCountriesTheLastOneOpen) {
    auto cycles = ListCycles(store(), catalog(), "");
    ASSERT_TRUE(cycles) << cycles.error().ToString();
    ASSERT_EQ(cycles->size(), 20U);
    int published = 0;
    int open = 0;
    std::set<std::string> countries;
    for (const auto& c : *cycles) {
        countries.insert(c.cycle.country);
        EXPECT_GE(c.cycle.year, 2022);
        EXPECT_LE(c.cycle.year, 2025);
        EXPECT_GE(c.requests, 4) << c.cycle.id;
        EXPECT_LE(c.requests, 8) << c.cycle.id;
        EXPECT_GE(c.recommendations, 3) << c.cycle.id;
        EXPECT_GT(c.values, 30) << c.cycle.id;
        if (c.cycle.year > 2022) {
            EXPECT_EQ(c.cycle.cloned_from, monitoring::CycleId(c.cycle.country, c.cycle.year - 1));
        }
        EXPECT_GE(c.cycle.institutions.size(), 5U) << c.cycle.id;
        EXPECT_LE(c.cycle.institutions.size(), 9U) << c.cycle.id;
        if (c.cycle.state == monitoring::CycleState::kPublished) {
            ++published;
            EXPECT_LT(c.cycle.year, 2025);
            EXPECT_EQ(c.values_by_state.size(), 1U) << c.cycle.id;
            EXPECT_EQ(c.values_by_state.count("published"), 1U) << c.cycle.id;
        } else {
            ++open;
            EXPECT_EQ(c.cycle.year, 2025);
            // In the middle of its review: validated, submitted, returned and draft values.
            for (const char* state : {"draft", "submitted", "returned", "validated"}) {
                EXPECT_GT(c.values_by_state.count(state), 0U) << c.cycle.id << " " << state;
            }
        }
    }
    EXPECT_EQ(published, 15);
    EXPECT_EQ(open, 5);
    EXPECT_EQ(countries, (std::set<std::string>{"AL", "BA", "ME", "MK", "RS"}));
    std::printf("demo cycles generated in %.2f s\n", seconds_);
}

TEST_F(DemoCycles, EveryPublishedCycleScores) {
    auto cycles = ListCycles(store(), catalog(), "");
    ASSERT_TRUE(cycles);
    for (const auto& c : *cycles) {
        if (c.cycle.state != monitoring::CycleState::kPublished) {
            continue;
        }
        auto scores = ScoreCycle(store(), catalog(), c.cycle.id);
        ASSERT_TRUE(scores) << c.cycle.id << ": " << scores.error().ToString();
        int scored = 0;
        for (const auto& a : scores->areas) {
            scored += a.score ? 1 : 0;
        }
        EXPECT_GE(scored, 3) << c.cycle.id;
    }
}

TEST_F(DemoCycles, OverdueRequestsOnlyInTheOpenCycles) {
    auto overdue = ListOverdueRequests(store(), catalog(), "", core::Date::Today());
    ASSERT_TRUE(overdue) << overdue.error().ToString();
    std::set<std::string> countries;
    for (const auto& o : *overdue) {
        EXPECT_NE(o.request_id.find("-2025-"), std::string::npos) << o.request_id;
        countries.insert(o.request_id.substr(0, 2));
    }
    EXPECT_EQ(countries.size(), 5U);
    // Complaints, refusals and late replies are there to be seen.
    auto rows = ListRequests(store(), catalog(), "RS-2023", core::Date::Today());
    ASSERT_TRUE(rows);
    std::set<monitoring::ResponseType> responses;
    int complaints = 0;
    for (const auto& r : *rows) {
        EXPECT_TRUE(r.request.sent.has_value()) << r.request.id;
        EXPECT_FALSE(r.overdue) << r.request.id;
        EXPECT_FALSE(r.request.items.empty());
        responses.insert(r.request.response);
        complaints += static_cast<int>(r.request.complaints.size());
    }
    EXPECT_GE(responses.size(), 3U);
    EXPECT_TRUE(responses.contains(monitoring::ResponseType::kRefused));
    EXPECT_GE(complaints, 1);
}

TEST_F(DemoCycles, ValuesEvidenceDisagreementsAndRecommendations) {
    auto values = ListValues(store(), catalog(), "AL-2023", ValueFilter{});
    ASSERT_TRUE(values) << values.error().ToString();
    int evidence = 0;
    int disagreements = 0;
    std::set<monitoring::ValueStatus> statuses;
    std::set<framework::ValueKind> kinds;
    for (const auto& v : *values) {
        evidence += static_cast<int>(v.evidence.size());
        disagreements += v.disagreement.empty() ? 0 : 1;
        if (v.current.key.track != monitoring::Track::kDerived) {
            statuses.insert(v.current.status);
            EXPECT_NE(v.current.author, "");
            if (v.current.figure) {
                kinds.insert(v.current.figure->kind);
                if (v.current.figure->kind == framework::ValueKind::kSC3) {
                    EXPECT_EQ(v.current.figure->justification.rfind("Synthetic demo: ", 0), 0U);
                }
            }
        }
    }
    EXPECT_GE(evidence, 3);
    for (auto k :
         {framework::ValueKind::kYN, framework::ValueKind::kYNP, framework::ValueKind::kSC3,
          framework::ValueKind::kNUM, framework::ValueKind::kPCT, framework::ValueKind::kAMT}) {
        EXPECT_TRUE(kinds.contains(k)) << framework::Name(k);
    }
    EXPECT_TRUE(statuses.contains(monitoring::ValueStatus::kProvided));

    int off_figures = 0;
    int non_figures = 0;
    for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
        for (int year = 2022; year <= 2025; ++year) {
            auto vs = ListValues(store(), catalog(), monitoring::CycleId(cc, year),
                                 ValueFilter{.derived = false});
            ASSERT_TRUE(vs);
            for (const auto& v : *vs) {
                if (!monitoring::CarriesFigure(v.current.status)) {
                    ++non_figures;
                    EXPECT_FALSE(v.current.figure.has_value());
                }
                off_figures += v.disagreement.empty() ? 0 : 1;
            }
        }
    }
    EXPECT_GE(non_figures, 5);
    EXPECT_GE(off_figures, 5);

    auto recs = ListRecommendations(store(), catalog(), "BA");
    ASSERT_TRUE(recs);
    int greta = 0;
    int followups = 0;
    for (const auto& r : *recs) {
        greta += r.source == monitoring::RecommendationSource::kGreta ? 1 : 0;
        followups += static_cast<int>(r.followups.size());
        EXPECT_FALSE(r.indicators.empty()) << r.id;
    }
    EXPECT_GE(greta, 3);
    EXPECT_GE(followups, 5);
}

TEST_F(DemoCycles, TheAuditLogIsIntact) {
    auto report = store().VerifyAuditLog();
    ASSERT_TRUE(report) << report.error().ToString();
    EXPECT_TRUE(report->problems.empty());
    EXPECT_GT(report->events, 0);
}

TEST_F(DemoCycles, ASecondRunIsRefusedAndWritesNothing) {
    const long long before = *store().LastEventSeq();
    auto again = GenerateDemoCycles(store(), catalog());
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::kAlreadyExists);
    EXPECT_EQ(*store().LastEventSeq(), before);
}

// Everything but the time stamps of a cycle, as text.
std::string Dump(store::Store& store, const Catalog& catalog, const std::string& cycle) {
    std::string out;
    auto values = ListValues(store, catalog, cycle, ValueFilter{.derived = false});
    EXPECT_TRUE(values);
    for (const auto& v : *values) {
        const auto& c = v.current;
        out += fmt::format("{} {} {} {} {} {}", monitoring::ToString(c.key),
                           monitoring::Name(c.status), monitoring::Name(c.state), c.version, c.note,
                           c.source.ref);
        if (c.figure) {
            const auto& f = *c.figure;
            out += fmt::format(" a={} s={} {} n={} {}/{} {} {}", f.answer ? int(*f.answer) : -1,
                               f.score.value_or(-1), f.justification, f.number.value_or(-1),
                               f.numerator.value_or(-1), f.denominator.value_or(-1),
                               f.amount.value_or(-1), f.currency);
        }
        for (const auto& e : v.evidence) {
            out += " E:" + e.title + e.citation + e.url;
        }
        out += "\n";
    }
    auto requests = ListRequests(store, catalog, cycle, core::Date::Today());
    EXPECT_TRUE(requests);
    for (const auto& r : *requests) {
        out += fmt::format("{} {} {} {} {}\n", r.request.id, r.request.institution,
                           r.request.sent ? r.request.sent->ToString() : "-",
                           monitoring::Name(r.request.response),
                           r.request.response_date ? r.request.response_date->ToString() : "-");
    }
    return out;
}

TEST_F(DemoCycles, IsDeterministic) {
    testing::TempDir other;
    Db db = Fresh(other.File("again.db"));
    auto s = GenerateDemoCycles(*db.store, *db.catalog);
    ASSERT_TRUE(s) << s.error().ToString();
    for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
        for (int year = 2022; year <= 2025; ++year) {
            const std::string id = monitoring::CycleId(cc, year);
            EXPECT_EQ(Dump(store(), catalog(), id), Dump(*db.store, *db.catalog, id)) << id;
        }
        auto a = ListRecommendations(store(), catalog(), cc);
        auto b = ListRecommendations(*db.store, *db.catalog, cc);
        ASSERT_TRUE(a && b);
        ASSERT_EQ(a->size(), b->size());
        for (size_t i = 0; i < a->size(); ++i) {
            EXPECT_EQ((*a)[i].id, (*b)[i].id);
            EXPECT_EQ((*a)[i].text, (*b)[i].text);
            ASSERT_EQ((*a)[i].followups.size(), (*b)[i].followups.size());
            for (size_t k = 0; k < (*a)[i].followups.size(); ++k) {
                EXPECT_EQ((*a)[i].followups[k].status, (*b)[i].followups[k].status);
            }
        }
    }
}

TEST(DemoInit, InitDemoFillsTheCyclesOnceAndStaysSafeToRepeat) {
    testing::TempDir tmp;
    auto s = store::Store::Open(store::Target::Parse(tmp.File("init.db")));
    ASSERT_TRUE(s);
    core::Diagnostics diags;
    auto first = InitDatabase(**s, InitOptions{.demo = true}, diags);
    ASSERT_TRUE(first) << first.error().ToString() << diags.ToString();
    auto catalog = Catalog::Load(**s);
    ASSERT_TRUE(catalog);
    auto cycles = ListCycles(**s, **catalog, "");
    ASSERT_TRUE(cycles);
    EXPECT_EQ(cycles->size(), 20U);
    const long long events = *(*s)->LastEventSeq();

    auto second = InitDatabase(**s, InitOptions{.demo = true}, diags);
    ASSERT_TRUE(second) << second.error().ToString();
    EXPECT_EQ(*(*s)->LastEventSeq(), events);

    // With case records, the derived values take part in the scores.
    auto scores = ScoreCycle(**s, **catalog, "RS-2024");
    ASSERT_TRUE(scores);
    int scored = 0;
    for (const auto& a : scores->areas) {
        scored += a.score ? 1 : 0;
    }
    EXPECT_GE(scored, 5);

    // Small case-derived counts of a cycle are hidden, and say so: they are suppressed, not
    // uncollected, and carry no figure.
    auto values =
        ListValues(**s, **catalog, "ME-2024", ValueFilter{.track = monitoring::Track::kDerived});
    ASSERT_TRUE(values) << values.error().ToString();
    int hidden = 0;
    for (const auto& v : *values) {
        if (v.current.status == monitoring::ValueStatus::kSuppressed) {
            ++hidden;
            EXPECT_FALSE(v.current.figure);
            EXPECT_NE(v.current.note.find("disclosure control"), std::string::npos);
        }
        EXPECT_NE(v.current.status, monitoring::ValueStatus::kNotCollected);
    }
    EXPECT_GT(hidden, 0);
}

}  // namespace
}  // namespace rap::app
