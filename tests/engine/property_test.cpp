// SPDX-License-Identifier: AGPL-3.0-or-later
// Property test: on random synthetic case data (several seeds, with fields randomly blanked), every
// value the engine computes equals the same quantity computed by plain SQL in SQLite. The data
// reach both sides as CSV files: the engine through rapporteur's import, the oracle through the
// sqlite3 shell's own CSV import into typed tables. The SQL is written from the derivation specs
// independently of the engine's plan: one GROUP BY query per indicator and grouping set, sets
// expanded with json_each, medians and 90th percentiles by window functions (percentile_cont's
// interpolation).
#include <sqlite3.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/cases.hpp"
#include "app/setup.hpp"
#include "engine/engine.hpp"
#include "support/test_support.hpp"

namespace rap {
namespace {

using framework::Aggregate;
using framework::Condition;
using framework::Filter;
using framework::Op;

// Key of a value: indicator, measure, country, year and the (dimension, code) pairs sorted.
using CellKey = std::tuple<std::string, std::string, std::string, int,
                           std::vector<std::pair<std::string, std::string>>>;

CellKey KeyOf(const engine::Value& v) {
    auto by = v.by;
    std::sort(by.begin(), by.end());
    return {v.indicator, v.measure, v.country, v.year, by};
}

class Sql {
public:
    explicit Sql(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << "cannot open " << path;
        }
    }
    ~Sql() { sqlite3_close(db_); }
    Sql(const Sql&) = delete;
    Sql& operator=(const Sql&) = delete;

    // Rows of a query as text cells (NULL as nullopt).
    std::vector<std::vector<std::optional<std::string>>> Query(const std::string& sql) {
        std::vector<std::vector<std::optional<std::string>>> rows;
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sqlite3_errmsg(db_) << "\n" << sql;
            return rows;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            auto& row = rows.emplace_back();
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                if (sqlite3_column_type(st, c) == SQLITE_NULL) {
                    row.emplace_back();
                } else {
                    row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, c)));
                }
            }
        }
        sqlite3_finalize(st);
        return rows;
    }

private:
    sqlite3* db_ = nullptr;
};

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// SQL for one derivation over one record type.
class OracleQuery {
public:
    OracleQuery(const cases::CaseSchema& schema, const cases::RecordDef& record)
        : schema_(schema), record_(record) {}

    // The SQL expression of a field as the derivation names it.
    std::string Field(const std::string& name) const {
        auto ref = cases::ResolveField(schema_, record_, name);
        EXPECT_TRUE(ref.has_value()) << name;
        switch (ref->via) {
            case cases::FieldRef::Via::kSelf: return "t." + ref->field->name;
            case cases::FieldRef::Via::kParent: return "par." + ref->field->name;
            case cases::FieldRef::Via::kLink: return "lnk." + ref->field->name;
        }
        return "";
    }

    cases::FieldType TypeOf(const std::string& name) const {
        return cases::ResolveField(schema_, record_, name)->field->type;
    }

    std::string Joins() const {
        std::string out;
        if (record_.parent) {
            const auto* p = schema_.Find(record_.parent->record);
            out += fmt::format(" LEFT JOIN {} par ON par.{} = t.{}", p->sheet, p->key[0],
                               record_.parent->field);
        }
        if (record_.link) {
            const auto* l = schema_.Find(record_.link->record);
            out += fmt::format(" LEFT JOIN {} lnk ON lnk.{} = t.{}", l->sheet, l->key[0],
                               record_.link->field);
        }
        return out;
    }

    std::string Condition(const framework::Condition& c) const {
        const std::string f = Field(c.field);
        const auto type = TypeOf(c.field);
        auto any_code = [&] {
            std::string out;
            for (const auto& code : c.codes) {
                out += (out.empty() ? "" : " OR ") +
                       fmt::format("instr(';' || {} || ';', ';{};') > 0", f, code);
            }
            return "(" + out + ")";
        };
        std::string list;
        for (const auto& code : c.codes) {
            list += (list.empty() ? "" : ", ") + Quote(code);
        }
        const long long n = type == cases::FieldType::kAmount ? c.number * 100 : c.number;
        switch (c.op) {
            case Op::kIn:
                return type == cases::FieldType::kCodes
                           ? fmt::format("({0} IS NOT NULL AND {0} <> 'none' AND {1})", f,
                                         any_code())
                           : fmt::format("({} IN ({}))", f, list);
            case Op::kNotIn:
                return type == cases::FieldType::kCodes
                           ? fmt::format("({0} IS NOT NULL AND ({0} = 'none' OR NOT {1}))", f,
                                         any_code())
                           : fmt::format("({0} IS NOT NULL AND {0} NOT IN ({1}))", f, list);
            case Op::kIsTrue: return fmt::format("({} = 1)", f);
            case Op::kIsFalse: return fmt::format("({} = 0)", f);
            case Op::kGe: return fmt::format("({} >= {})", f, n);
            case Op::kGt: return fmt::format("({} > {})", f, n);
            case Op::kLe: return fmt::format("({} <= {})", f, n);
            case Op::kLt: return fmt::format("({} < {})", f, n);
            case Op::kRecorded: return fmt::format("({} IS NOT NULL)", f);
            case Op::kNotRecorded: return fmt::format("({} IS NULL)", f);
        }
        return "1";
    }

    std::string Where(const Filter& filter) const {
        std::string out = "1";
        for (const auto& c : filter) {
            out += " AND " + Condition(c);
        }
        return out;
    }

private:
    const cases::CaseSchema& schema_;
    const cases::RecordDef& record_;
};

struct Dim {
    std::string dimension;
    std::string field;  // as the derivation names it
    bool is_set = false;
};

// A grouped query: FROM, joins, set expansions; SELECT year and the dimension values first.
struct Grouping {
    std::string select;  // "t.year, d0, d1"
    std::string from;    // FROM ... JOIN ... (with set expansions)
    std::string group;   // GROUP BY list
    size_t ndims = 0;
};

Grouping GroupingFor(const OracleQuery& q, const cases::RecordDef& record,
                     const std::vector<Dim>& dims) {
    Grouping g;
    g.select = "t.year";
    g.from = fmt::format(" FROM {} t{}", record.sheet, q.Joins());
    g.group = "t.year";
    for (size_t i = 0; i < dims.size(); ++i) {
        const std::string f = q.Field(dims[i].field);
        std::string expr = f;
        if (dims[i].is_set) {
            g.from += fmt::format(
                ", json_each(CASE WHEN {0} IS NULL THEN '[null]' WHEN {0} = 'none' THEN '[]' "
                "ELSE '[\"' || replace({0}, ';', '\",\"') || '\"]' END) AS s{1}",
                f, i);
            expr = fmt::format("s{}.value", i);
        }
        g.select += ", " + expr;
        g.group += ", " + expr;
    }
    g.ndims = dims.size();
    return g;
}

class PropertyTest : public ::testing::TestWithParam<unsigned> {};

// Blanks a random share of the optional cells, so that "not recorded" appears everywhere.
void BlankRandomCells(std::map<std::string, cases::CaseTable>& tables, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    for (auto& [name, table] : tables) {
        const auto& record = table.record();
        for (size_t f = 0; f < record.fields.size(); ++f) {
            const auto& field = record.fields[f];
            const bool structural =
                field.required || (record.parent && field.name == record.parent->field) ||
                (record.link && field.name == record.link->field);
            if (structural) {
                continue;
            }
            cases::Column& c = table.column(f);
            for (size_t r = 0; r < table.rows(); ++r) {
                if (u(rng) >= 0.07) {
                    continue;
                }
                switch (field.type) {
                    case cases::FieldType::kCode: c.code[r] = cases::kNullCode; break;
                    case cases::FieldType::kCodes: c.set[r] = cases::kNullSet; break;
                    case cases::FieldType::kBool: c.flag[r] = cases::kNullFlag; break;
                    case cases::FieldType::kId:
                    case cases::FieldType::kCountry: c.text[r].clear(); break;
                    default: c.number[r] = cases::kNullNumber; break;
                }
            }
        }
    }
}

TEST_P(PropertyTest, EngineEqualsSqlForEveryDerivedValue) {
    testing::TempDir tmp;
    const std::string path = tmp.File("p.db");
    auto store = store::Store::Open(store::Target::Parse(path));
    ASSERT_TRUE(store);
    core::Diagnostics diags;
    ASSERT_TRUE(app::InitDatabase(**store, app::InitOptions{}, diags)) << diags.ToString();
    auto catalog = *app::Catalog::Load(**store);
    const auto& data = catalog->data();
    const auto& schema = *data.case_schema;

    app::SyntheticOptions synth;
    synth.seed = GetParam();
    synth.total_victims = 2500;
    synth.first_year = 2021;
    synth.last_year = 2024;
    auto tables = app::GenerateSyntheticCases(data, synth);
    BlankRandomCells(tables, GetParam());
    auto files = app::WriteCaseTablesCsv(schema, tables, tmp.File("csv"));
    ASSERT_TRUE(files) << files.error().ToString();
    app::ImportOptions options;
    options.actor = "Analyst (synthetic)";
    options.compute = false;
    auto imported = app::ImportCases(**store, *catalog, *files, options, diags);
    ASSERT_TRUE(imported) << imported.error().ToString() << diags.ToString();

    // The oracle's database, built by the sqlite3 shell from the same CSV files.
    const std::string oracle = tmp.File("oracle.db");
    std::string script;
    for (const auto& record : schema.records) {
        std::string cols;
        for (const auto& f : record.fields) {
            const bool integer = f.type == cases::FieldType::kYear ||
                                 f.type == cases::FieldType::kInteger ||
                                 f.type == cases::FieldType::kAmount ||
                                 f.type == cases::FieldType::kBool;
            cols += fmt::format("{}{} {}", cols.empty() ? "" : ", ", f.name,
                                integer ? "INTEGER" : "TEXT");
        }
        script += fmt::format("CREATE TABLE {} ({});\n", record.sheet, cols);
        script += fmt::format(".import --csv --skip 1 {} {}\n",
                              tmp.File("csv/" + record.sheet + ".csv"), record.sheet);
        for (const auto& f : record.fields) {
            script += fmt::format("UPDATE {0} SET {1} = NULL WHERE {1} = '';\n", record.sheet,
                                  f.name);
            if (f.type == cases::FieldType::kBool) {
                script += fmt::format("UPDATE {0} SET {1} = CASE {1} WHEN 'yes' THEN 1 WHEN 'no' "
                                      "THEN 0 END;\n",
                                      record.sheet, f.name);
            } else if (f.type == cases::FieldType::kAmount) {
                script += fmt::format("UPDATE {0} SET {1} = CAST(ROUND({1} * 100) AS INTEGER) "
                                      "WHERE {1} IS NOT NULL;\n",
                                      record.sheet, f.name);
            }
        }
        if (record.parent) {
            const auto* parent = schema.Find(record.parent->record);
            script += fmt::format(
                "ALTER TABLE {0} ADD COLUMN country TEXT;\nALTER TABLE {0} ADD COLUMN year "
                "INTEGER;\nUPDATE {0} SET country = p.country, year = p.year FROM {1} p WHERE "
                "p.{2} = {0}.{3};\n",
                record.sheet, parent->sheet, parent->key[0], record.parent->field);
        }
    }
    script += fmt::format("ATTACH '{}' AS m;\nCREATE TABLE population AS SELECT * FROM "
                          "m.population;\n",
                          path);
    testing::WriteFile(tmp.File("oracle.sql"), script);
    auto built = testing::RunShell(fmt::format("sqlite3 -bail {} < {}", oracle,
                                               tmp.File("oracle.sql")));
    ASSERT_EQ(built.exit_code, 0) << built.err;

    // The engine's values.
    auto snapshot = app::LoadSnapshot(**store, *catalog);
    ASSERT_TRUE(snapshot) << snapshot.error().ToString();
    engine::ComputeRequest request;
    request.data = &data;
    request.snapshot = &*snapshot;
    for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
        request.frameworks[cc] = *catalog->EffectiveForCountry(cc);
    }
    auto computed = engine::Compute(request);
    ASSERT_TRUE(computed) << computed.error().ToString();
    std::map<CellKey, const engine::Value*> engine_values;
    for (const auto& v : computed->values()) {
        ASSERT_TRUE(engine_values.emplace(KeyOf(v), &v).second) << "duplicate value";
    }

    // The oracle's values.
    Sql sql(oracle);
    std::map<CellKey, engine::Value> expected;
    auto add = [&](engine::Value v) {
        auto key = KeyOf(v);
        EXPECT_TRUE(expected.emplace(std::move(key), std::move(v)).second) << "oracle duplicate";
    };
    auto code_of = [](const std::optional<std::string>& s) { return s.value_or(""); };
    auto number = [](const std::optional<std::string>& s) {
        return s ? std::stod(*s) : 0.0;
    };
    int queries = 0;
    for (const auto& [country, eff] : request.frameworks) {
        for (const auto& e : eff->indicators) {
            const auto& ind = e.indicator;
            if (!ind.derivation || e.comparability == framework::Comparability::kNotApplicable) {
                continue;
            }
            const auto& d = *ind.derivation;
            const cases::RecordDef& record = *schema.Find(d.record);
            OracleQuery q(schema, record);
            const std::string base = fmt::format("t.country = '{}' AND {}", country,
                                                 q.Where(d.where));
            // Dimensions and the set of a set_share.
            std::string set_dim;
            std::string set_field;
            for (const auto& m : d.measures) {
                if (m.aggregate == Aggregate::kSetShare) {
                    set_field = m.field;
                    set_dim = cases::ResolveField(schema, record, m.field)->field->codelist;
                }
            }
            std::vector<Dim> dims;
            for (const auto& dim : ind.disaggregations) {
                if (dim == set_dim) {
                    continue;
                }
                std::optional<cases::FieldRef> ref;
                if (auto it = d.dimensions.find(dim); it != d.dimensions.end()) {
                    ref = cases::ResolveField(schema, record, it->second);
                } else {
                    ref = cases::FieldForDimension(schema, record, dim);
                }
                ASSERT_TRUE(ref) << ind.code << " " << dim;
                dims.push_back({dim, ref->name, ref->field->type == cases::FieldType::kCodes});
            }
            std::vector<std::vector<Dim>> gsets = {{}};
            for (size_t i = 0; i < dims.size(); ++i) {
                gsets.push_back({dims[i]});
            }
            if (set_dim.empty()) {
                for (size_t i = 0; i < dims.size(); ++i) {
                    for (size_t j = i + 1; j < dims.size(); ++j) {
                        gsets.push_back({dims[i], dims[j]});
                    }
                }
            }
            for (const auto& gdims : gsets) {
                const Grouping g = GroupingFor(q, record, gdims);
                for (const auto& m : d.measures) {
                    const std::string w = q.Where(m.where);
                    const std::string dw = q.Where(m.denominator_where);
                    std::string agg;
                    switch (m.aggregate) {
                        case Aggregate::kCount:
                        case Aggregate::kRate:
                            agg = fmt::format("SUM(CASE WHEN {} THEN 1 ELSE 0 END), "
                                              "MAX(pop.population)",
                                              w);
                            break;
                        case Aggregate::kShare:
                            agg = fmt::format("SUM(CASE WHEN {0} AND {1} THEN 1 ELSE 0 END), "
                                              "SUM(CASE WHEN {1} THEN 1 ELSE 0 END)",
                                              w, dw);
                            break;
                        case Aggregate::kSum:
                            agg = fmt::format("COALESCE(SUM(CASE WHEN {0} THEN {1} END), 0), "
                                              "COUNT(CASE WHEN {0} THEN {1} END)",
                                              w, q.Field(m.field));
                            break;
                        case Aggregate::kRatio:
                            agg = fmt::format("COALESCE(SUM(CASE WHEN {0} THEN {1} END), 0), "
                                              "COALESCE(SUM(CASE WHEN {0} THEN {2} END), 0)",
                                              w, q.Field(m.field), q.Field(m.denominator_field));
                            break;
                        case Aggregate::kDistinct:
                            agg = fmt::format("COUNT(DISTINCT CASE WHEN {} THEN {} END), 0", w,
                                              q.Field(m.field));
                            break;
                        case Aggregate::kSetShare:
                            agg = fmt::format("SUM(CASE WHEN {} IS NOT NULL THEN 1 ELSE 0 END), 0",
                                              q.Field(set_field));
                            break;
                        case Aggregate::kMedian:
                            agg = "0, 0";
                            break;
                    }
                    const std::string query = fmt::format(
                        "SELECT {}, COUNT(*), {}{} LEFT JOIN population pop ON "
                        "pop.country = t.country AND pop.year = t.year WHERE {} GROUP BY {}",
                        g.select, agg, g.from, base, g.group);
                    ++queries;
                    const auto rows = sql.Query(query);
                    std::map<std::vector<std::string>, std::array<double, 3>> medians;
                    if (m.aggregate == Aggregate::kMedian) {
                        const std::string field = q.Field(m.field);
                        std::string keys = "y";
                        for (size_t i = 0; i < g.ndims; ++i) {
                            keys += fmt::format(", g{}", i);
                        }
                        std::string select = "t.year AS y";
                        const size_t first_comma = g.select.find(',');
                        if (first_comma != std::string::npos) {
                            // g.select is "t.year, e0, e1": alias the dimension expressions.
                            std::string rest = g.select.substr(first_comma + 1);
                            size_t i = 0;
                            for (size_t start = 0; start <= rest.size(); ++i) {
                                size_t end = rest.find(',', start);
                                if (end == std::string::npos) {
                                    end = rest.size();
                                }
                                select += fmt::format(", {} AS g{}", rest.substr(start, end - start), i);
                                start = end + 1;
                            }
                        }
                        const std::string mq = fmt::format(
                            "WITH src AS (SELECT {0}, {1} AS x {2} WHERE {3} AND {4} AND {1} IS "
                            "NOT NULL), r AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY {5} "
                            "ORDER BY x) - 1 AS i, COUNT(*) OVER (PARTITION BY {5}) AS n FROM "
                            "src) SELECT {5}, MAX(n), "
                            "SUM(CASE WHEN i = CAST(0.5 * (n - 1) AS INTEGER) THEN x END), "
                            "SUM(CASE WHEN i = CAST(0.5 * (n - 1) AS INTEGER) + 1 THEN x END), "
                            "SUM(CASE WHEN i = CAST(0.9 * (n - 1) AS INTEGER) THEN x END), "
                            "SUM(CASE WHEN i = CAST(0.9 * (n - 1) AS INTEGER) + 1 THEN x END) "
                            "FROM r GROUP BY {5}",
                            select, field, g.from, base, w, keys);
                        ++queries;
                        const bool money = q.TypeOf(m.field) == cases::FieldType::kAmount;
                        for (const auto& row : sql.Query(mq)) {
                            std::vector<std::string> key;
                            for (size_t i = 0; i <= g.ndims; ++i) {
                                key.push_back(code_of(row[i]));
                            }
                            const double n = number(row[g.ndims + 1]);
                            auto interpolate = [&](double p, const auto& lo, const auto& hi) {
                                const double h = p * (n - 1);
                                const double l = number(lo);
                                const double u = hi ? number(hi) : l;
                                return (l + (h - std::floor(h)) * (u - l)) / (money ? 100.0 : 1.0);
                            };
                            medians[key] = {n, interpolate(0.5, row[g.ndims + 2], row[g.ndims + 3]),
                                            interpolate(0.9, row[g.ndims + 4], row[g.ndims + 5])};
                        }
                    }
                    // Set shares: numerators per code of the set.
                    std::map<std::vector<std::string>, double> set_counts;
                    if (m.aggregate == Aggregate::kSetShare) {
                        const std::string f = q.Field(set_field);
                        const std::string sq = fmt::format(
                            "SELECT {}, sv.value, COUNT(*){}, json_each(CASE WHEN {} = 'none' THEN "
                            "'[]' ELSE '[\"' || replace({}, ';', '\",\"') || '\"]' END) AS sv "
                            "WHERE {} AND {} IS NOT NULL GROUP BY {}, sv.value",
                            g.select, g.from, f, f, base, f, g.group);
                        ++queries;
                        for (const auto& row : sql.Query(sq)) {
                            std::vector<std::string> key;
                            for (size_t i = 0; i <= g.ndims + 1; ++i) {
                                key.push_back(code_of(row[i]));
                            }
                            set_counts[key] = number(row[g.ndims + 2]);
                        }
                    }
                    for (const auto& row : rows) {
                        engine::Value v;
                        v.indicator = ind.code;
                        v.measure = m.measure;
                        v.country = country;
                        v.year = static_cast<int>(number(row[0]));
                        std::vector<std::string> key = {code_of(row[0])};
                        for (size_t i = 0; i < g.ndims; ++i) {
                            v.by.emplace_back(gdims[i].dimension, code_of(row[i + 1]));
                            key.push_back(code_of(row[i + 1]));
                        }
                        v.records = static_cast<int64_t>(number(row[g.ndims + 1]));
                        const double a = number(row[g.ndims + 2]);
                        const double b = number(row[g.ndims + 3]);
                        switch (m.aggregate) {
                            case Aggregate::kCount:
                                v.numerator = v.value = a;
                                break;
                            case Aggregate::kRate:
                                v.numerator = a;
                                v.denominator = b;
                                v.value = a / b * m.per;
                                break;
                            case Aggregate::kShare:
                                v.numerator = a;
                                v.denominator = b;
                                v.value = b > 0 ? 100.0 * a / b : std::nan("");
                                break;
                            case Aggregate::kSum:
                                v.numerator = v.value = a / 100.0;
                                v.denominator = b;
                                break;
                            case Aggregate::kRatio:
                                v.numerator = a / 100.0;
                                v.denominator = b / 100.0;
                                v.value = b > 0 ? 100.0 * a / b : std::nan("");
                                break;
                            case Aggregate::kDistinct:
                                v.numerator = v.value = a;
                                break;
                            case Aggregate::kMedian: {
                                auto it = medians.find(key);
                                if (it == medians.end()) {
                                    v.numerator = 0;
                                } else {
                                    v.numerator = it->second[0];
                                    v.value = it->second[1];
                                    v.p90 = it->second[2];
                                }
                                break;
                            }
                            case Aggregate::kSetShare: {
                                const auto* list = data.codelists.Find(set_dim);
                                for (const auto& code : list->codes) {
                                    engine::Value s = v;
                                    s.by.insert(s.by.begin(), {set_dim, code.code});
                                    auto k = key;
                                    k.push_back(code.code);
                                    auto it = set_counts.find(k);
                                    s.numerator = it == set_counts.end() ? 0 : it->second;
                                    s.denominator = a;
                                    s.value = a > 0 ? 100.0 * s.numerator / a : std::nan("");
                                    add(std::move(s));
                                }
                                continue;
                            }
                        }
                        add(std::move(v));
                    }
                }
            }
        }
    }
    ASSERT_GT(expected.size(), 10000U) << "the oracle produced too few values to mean much";
    EXPECT_EQ(expected.size(), engine_values.size());
    auto same = [](double a, double b) {
        return (std::isnan(a) && std::isnan(b)) ||
               std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b));
    };
    int compared = 0;
    int mismatches = 0;
    for (const auto& [key, want] : expected) {
        auto it = engine_values.find(key);
        if (it == engine_values.end()) {
            if (++mismatches <= 10) {
                ADD_FAILURE() << "engine lacks " << want.indicator << " " << want.measure << " "
                              << want.country << " " << want.year << " cell of " << want.by.size()
                              << " dimensions";
            }
            continue;
        }
        const engine::Value& got = *it->second;
        const bool ok = same(got.value, want.value) && same(got.numerator, want.numerator) &&
                        (std::isnan(want.denominator) || same(got.denominator, want.denominator)) &&
                        same(got.p90, want.p90) && got.records == want.records;
        if (!ok && ++mismatches <= 10) {
            std::string by;
            for (const auto& [dim, code] : want.by) {
                by += fmt::format(" {}={}", dim, code.empty() ? "(not recorded)" : code);
            }
            ADD_FAILURE() << fmt::format(
                "{} {} {} {}{}: engine value {} num {} den {} p90 {} records {}; SQL value {} "
                "num {} den {} p90 {} records {}",
                want.indicator, want.measure, want.country, want.year, by, got.value,
                got.numerator, got.denominator, got.p90, got.records, want.value, want.numerator,
                want.denominator, want.p90, want.records);
        }
        ++compared;
    }
    for (const auto& [key, v] : engine_values) {
        if (!expected.contains(key) && ++mismatches <= 10) {
            ADD_FAILURE() << "engine has a value SQL does not: " << v->indicator << " "
                          << v->measure << " " << v->country << " " << v->year;
        }
    }
    EXPECT_EQ(mismatches, 0);
    RecordProperty("values_compared", compared);
    RecordProperty("sql_queries", queries);
}

INSTANTIATE_TEST_SUITE_P(Seeds, PropertyTest, ::testing::Values(1U, 7U, 42U));

}  // namespace
}  // namespace rap
