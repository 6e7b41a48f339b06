// SPDX-License-Identifier: AGPL-3.0-or-later
// Writes the DuckDB reference for the engine benchmark: SQL that loads the generated CSV files
// into typed tables (load.sql) and SQL that computes every case-derived indicator value of the
// five effective frameworks (queries.sql), one GROUPING SETS query per indicator, country group
// and set-valued breakdown, each producing canonical rows
//   indicator, measure, country, year, by, value, numerator, denominator, p90, records
// that bench/duckdb/run.mjs compares with the engine's (rap_bench_engine --values).
// Written from the derivation specs, independently of the engine's plan.
//
// Usage: rap_bench_sqlgen CSV_DIR OUT_DIR
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "app/catalog.hpp"
#include "app/shipped_data.hpp"

namespace rap {
namespace {

using cases::FieldType;
using framework::Aggregate;
using framework::Op;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

class Gen {
public:
    Gen(const cases::CaseSchema& schema, const cases::RecordDef& record)
        : schema_(schema), record_(record) {}

    std::string Field(const std::string& name) const {
        auto ref = cases::ResolveField(schema_, record_, name);
        switch (ref->via) {
            case cases::FieldRef::Via::kSelf: return "t." + ref->field->name;
            case cases::FieldRef::Via::kParent: return "par." + ref->field->name;
            case cases::FieldRef::Via::kLink: return "lnk." + ref->field->name;
        }
        return "";
    }
    FieldType Type(const std::string& name) const {
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
    // Country and year of the record (children: their proceeding's).
    std::string Country() const { return record_.parent ? "par.country" : "t.country"; }
    std::string Year() const { return record_.parent ? "par.year" : "t.year"; }

    std::string Condition(const framework::Condition& c) const {
        const std::string f = Field(c.field);
        const FieldType type = Type(c.field);
        std::string list;
        for (const auto& code : c.codes) {
            list += (list.empty() ? "" : ", ") + Quote(code);
        }
        const long long n = type == FieldType::kAmount ? c.number * 100 : c.number;
        switch (c.op) {
            case Op::kIn:
                return type == FieldType::kCodes
                           ? fmt::format("(list_has_any(string_split({}, ';'), [{}]))", f, list)
                           : fmt::format("({} IN ({}))", f, list);
            case Op::kNotIn:
                return type == FieldType::kCodes
                           ? fmt::format("({0} IS NOT NULL AND NOT list_has_any(string_split({0}, "
                                         "';'), [{1}]))",
                                         f, list)
                           : fmt::format("({0} IS NOT NULL AND {0} NOT IN ({1}))", f, list);
            case Op::kIsTrue: return fmt::format("({} = true)", f);
            case Op::kIsFalse: return fmt::format("({} = false)", f);
            case Op::kGe: return fmt::format("({} >= {})", f, n);
            case Op::kGt: return fmt::format("({} > {})", f, n);
            case Op::kLe: return fmt::format("({} <= {})", f, n);
            case Op::kLt: return fmt::format("({} < {})", f, n);
            case Op::kRecorded: return fmt::format("({} IS NOT NULL)", f);
            case Op::kNotRecorded: return fmt::format("({} IS NULL)", f);
        }
        return "true";
    }
    std::string Where(const framework::Filter& filter) const {
        std::string out = "true";
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
    std::string field;
    bool is_set = false;
};

// A canonical-row SELECT for one measure over the grouped CTE `g`.
std::string MeasureSelect(const std::string& indicator, const framework::MeasureDerivation& m,
                          size_t mi, const std::vector<Dim>& dims, bool money) {
    std::vector<size_t> order(dims.size());
    for (size_t i = 0; i < dims.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return dims[a].dimension < dims[b].dimension; });
    std::string by = "concat_ws(',', ''";  // the empty string keeps concat_ws valid without dimensions
    for (size_t i : order) {
        by += fmt::format(", CASE WHEN g{0} = 0 THEN '{1}=' || coalesce(d{0}, '') END", i,
                          dims[i].dimension);
    }
    by += ")";
    by = fmt::format("ltrim({}, ',')", by);
    const std::string num = fmt::format("m{}_a", mi);
    const std::string den = fmt::format("m{}_b", mi);
    std::string value;
    std::string numerator;
    std::string denominator = "NULL";
    std::string p90 = "NULL";
    switch (m.aggregate) {
        case Aggregate::kCount:
        case Aggregate::kDistinct:
            value = numerator = num;
            break;
        case Aggregate::kRate:
            numerator = num;
            denominator = "pop";
            value = fmt::format("{} * {:.1f} / pop", num, m.per);
            break;
        case Aggregate::kShare:
            numerator = num;
            denominator = den;
            value = fmt::format("CASE WHEN {1} > 0 THEN 100.0 * {0} / {1} END", num, den);
            break;
        case Aggregate::kSum:
            value = numerator = fmt::format("coalesce({}, 0) / 100.0", num);
            denominator = den;
            break;
        case Aggregate::kRatio:
            numerator = fmt::format("coalesce({}, 0) / 100.0", num);
            denominator = fmt::format("coalesce({}, 0) / 100.0", den);
            value = fmt::format("CASE WHEN coalesce({1}, 0) > 0 THEN 100.0 * {0} / {1} END", num,
                                den);
            break;
        case Aggregate::kMedian: {
            const double scale = money ? 100.0 : 1.0;
            numerator = den;  // the number of values
            value = fmt::format("{}[1] / {:.1f}", num, scale);
            p90 = fmt::format("{}[2] / {:.1f}", num, scale);
            break;
        }
        case Aggregate::kSetShare:
            break;
    }
    return fmt::format("SELECT '{}' AS indicator, '{}' AS measure, country, year, {} AS by, "
                       "({})::DOUBLE AS value, ({})::DOUBLE AS numerator, ({})::DOUBLE AS "
                       "denominator, ({})::DOUBLE AS p90, records FROM g",
                       indicator, m.measure, by, value, numerator, denominator, p90);
}

int Main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: rap_bench_sqlgen CSV_DIR OUT_DIR\n");
        return 2;
    }
    const std::string csv_dir = argv[1];
    const std::string out_dir = argv[2];
    auto data_or = app::ShippedReferenceData();
    if (!data_or) {
        std::fprintf(stderr, "%s\n", data_or.error().message.c_str());
        return 1;
    }
    const framework::ReferenceData& data = **data_or;
    const cases::CaseSchema& schema = *data.case_schema;

    // load.sql: typed tables from the CSV files.
    std::string load;
    for (const auto& record : schema.records) {
        std::string cols;
        for (const auto& f : record.fields) {
            const std::string c = f.name;
            std::string expr;
            switch (f.type) {
                case FieldType::kYear:
                case FieldType::kInteger:
                    expr = fmt::format("CAST(NULLIF({0}, '') AS BIGINT) AS {0}", c);
                    break;
                case FieldType::kAmount:
                    expr = fmt::format("CAST(round(CAST(NULLIF({0}, '') AS DOUBLE) * 100) AS "
                                       "BIGINT) AS {0}",
                                       c);
                    break;
                case FieldType::kBool:
                    expr = fmt::format("CASE {0} WHEN 'yes' THEN true WHEN 'no' THEN false END AS "
                                       "{0}",
                                       c);
                    break;
                default: expr = fmt::format("NULLIF({0}, '') AS {0}", c); break;
            }
            cols += (cols.empty() ? "" : ", ") + expr;
        }
        load += fmt::format("CREATE TABLE {} AS SELECT {} FROM read_csv('{}/{}.csv', header = "
                            "true, all_varchar = true, quote = '\"', escape = '\"');\n",
                            record.sheet, cols, csv_dir, record.sheet);
    }
    load += "CREATE TABLE population (country VARCHAR, year BIGINT, population BIGINT);\n";
    for (const auto& c : data.countries->countries) {
        for (const auto& [year, n] : c.population.by_year) {
            load += fmt::format("INSERT INTO population VALUES ('{}', {}, {});\n", c.code, year, n);
        }
    }

    // Group countries whose effective indicator is the same (same dimensions, applicable).
    auto catalog = app::Catalog::FromData(data, std::nullopt);
    struct Variant {
        const framework::EffectiveIndicator* indicator;
        std::vector<std::string> countries;
    };
    std::map<std::string, std::vector<Variant>> variants;  // indicator code -> variants
    std::vector<std::string> codes;
    for (const char* cc : {"AL", "BA", "ME", "MK", "RS"}) {
        const auto* eff = *catalog->EffectiveForCountry(cc);
        for (const auto& e : eff->indicators) {
            if (!e.indicator.derivation ||
                e.comparability == framework::Comparability::kNotApplicable) {
                continue;
            }
            auto& list = variants[e.indicator.code];
            if (list.empty()) {
                codes.push_back(e.indicator.code);
            }
            auto it = std::find_if(list.begin(), list.end(), [&](const Variant& v) {
                return v.indicator->indicator.disaggregations == e.indicator.disaggregations;
            });
            if (it == list.end()) {
                list.push_back({&e, {cc}});
            } else {
                it->countries.push_back(cc);
            }
        }
    }

    std::string queries;
    int count = 0;
    for (const auto& code : codes) {
        for (const Variant& variant : variants[code]) {
            const auto& ind = variant.indicator->indicator;
            const auto& d = *ind.derivation;
            const cases::RecordDef& record = *schema.Find(d.record);
            Gen g(schema, record);
            std::string countries;
            for (const auto& c : variant.countries) {
                countries += (countries.empty() ? "" : ", ") + Quote(c);
            }
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
                dims.push_back({dim, ref->name, ref->field->type == FieldType::kCodes});
            }
            std::vector<std::vector<size_t>> gsets = {{}};
            for (size_t i = 0; i < dims.size(); ++i) {
                gsets.push_back({i});
            }
            if (set_dim.empty()) {
                for (size_t i = 0; i < dims.size(); ++i) {
                    for (size_t j = i + 1; j < dims.size(); ++j) {
                        gsets.push_back({i, j});
                    }
                }
            }
            // Grouping sets over the plain rows, and for each set-valued dimension the ones
            // that break down by it, over rows unnested by that set.
            std::map<int, std::vector<std::vector<size_t>>> by_unnest;  // -1: none
            for (const auto& gs : gsets) {
                int set = -1;
                for (size_t i : gs) {
                    if (dims[i].is_set) {
                        set = static_cast<int>(i);
                    }
                }
                by_unnest[set].push_back(gs);
            }
            const std::string base_where = fmt::format("{} IN ({}) AND {}", g.Country(), countries,
                                                       g.Where(d.where));
            for (const auto& [unnest, sets] : by_unnest) {
                // Expressions of the country, year and dimensions; grouping sets over them.
                const std::string country_expr = g.Country();
                const std::string year_expr = g.Year();
                std::vector<std::string> dim_expr(dims.size());
                for (size_t i = 0; i < dims.size(); ++i) {
                    if (static_cast<int>(i) == unnest) {
                        dim_expr[i] = "u.code";
                    } else if (dims[i].is_set) {
                        dim_expr[i] = "NULL::VARCHAR";
                    } else {
                        dim_expr[i] = g.Field(dims[i].field);
                    }
                }
                std::string from = fmt::format(" FROM {} t{} LEFT JOIN population p ON p.country = "
                                               "{} AND p.year = {}",
                                               record.sheet, g.Joins(), country_expr, year_expr);
                if (unnest >= 0) {
                    const std::string f = g.Field(dims[static_cast<size_t>(unnest)].field);
                    from += fmt::format(", unnest(CASE WHEN {0} IS NULL THEN [NULL::VARCHAR] WHEN "
                                        "{0} = 'none' THEN []::VARCHAR[] ELSE string_split({0}, "
                                        "';') END) AS u(code)",
                                        f);
                }
                auto grouping_sets = [&](const std::string& extra) {
                    std::string out;
                    for (const auto& gs : sets) {
                        out += out.empty() ? "(" : ", (";
                        out += country_expr + ", " + year_expr + extra;
                        for (size_t i : gs) {
                            out += ", " + dim_expr[i];
                        }
                        out += ")";
                    }
                    return out;
                };
                std::string select = fmt::format("{} AS country, {} AS year", country_expr,
                                                 year_expr);
                for (size_t i = 0; i < dims.size(); ++i) {
                    bool grouped = false;
                    for (const auto& gs : sets) {
                        grouped = grouped || std::find(gs.begin(), gs.end(), i) != gs.end();
                    }
                    select += grouped
                                  ? fmt::format(", {0} AS d{1}, GROUPING({0}) AS g{1}", dim_expr[i], i)
                                  : fmt::format(", NULL::VARCHAR AS d{0}, 1 AS g{0}", i);
                }
                std::string aggs;
                bool money_median = false;
                for (size_t mi = 0; mi < d.measures.size(); ++mi) {
                    const auto& m = d.measures[mi];
                    const std::string w = g.Where(m.where);
                    const std::string dw = g.Where(m.denominator_where);
                    switch (m.aggregate) {
                        case Aggregate::kCount:
                        case Aggregate::kRate:
                            aggs += fmt::format(", count(*) FILTER (WHERE {1}) AS m{0}_a, NULL AS "
                                                "m{0}_b",
                                                mi, w);
                            break;
                        case Aggregate::kShare:
                            aggs += fmt::format(", count(*) FILTER (WHERE {1} AND {2}) AS m{0}_a, "
                                                "count(*) FILTER (WHERE {2}) AS m{0}_b",
                                                mi, w, dw);
                            break;
                        case Aggregate::kSum:
                            aggs += fmt::format(", sum({2}) FILTER (WHERE {1}) AS m{0}_a, "
                                                "count({2}) FILTER (WHERE {1}) AS m{0}_b",
                                                mi, w, g.Field(m.field));
                            break;
                        case Aggregate::kRatio:
                            aggs += fmt::format(", sum({2}) FILTER (WHERE {1}) AS m{0}_a, "
                                                "sum({3}) FILTER (WHERE {1}) AS m{0}_b",
                                                mi, w, g.Field(m.field),
                                                g.Field(m.denominator_field));
                            break;
                        case Aggregate::kDistinct:
                            aggs += fmt::format(", count(DISTINCT {2}) FILTER (WHERE {1}) AS "
                                                "m{0}_a, NULL AS m{0}_b",
                                                mi, w, g.Field(m.field));
                            break;
                        case Aggregate::kMedian:
                            money_median = g.Type(m.field) == FieldType::kAmount;
                            aggs += fmt::format(", quantile_cont({2}, [0.5, 0.9]) FILTER (WHERE "
                                                "{1}) AS m{0}_a, count({2}) FILTER (WHERE {1}) AS "
                                                "m{0}_b",
                                                mi, w, g.Field(m.field));
                            break;
                        case Aggregate::kSetShare:
                            aggs += fmt::format(", count(*) FILTER (WHERE {1} IS NOT NULL) AS "
                                                "m{0}_a, NULL AS m{0}_b",
                                                mi, g.Field(set_field));
                            break;
                    }
                }
                std::string cte = fmt::format(
                    "WITH g AS (SELECT {}, count(*) AS records{}, max(p.population) AS pop{} "
                    "WHERE {} GROUP BY GROUPING SETS ({}))",
                    select, aggs, from, base_where, grouping_sets(""));
                std::string union_all;
                for (size_t mi = 0; mi < d.measures.size(); ++mi) {
                    const auto& m = d.measures[mi];
                    if (m.aggregate == Aggregate::kSetShare) {
                        continue;  // below
                    }
                    union_all += (union_all.empty() ? "" : " UNION ALL ") +
                                 MeasureSelect(ind.code, m, mi, dims, money_median);
                }
                if (!set_field.empty()) {
                    // Shares per code of the set: numerators over the rows unnested by the set,
                    // a value for every code (0 where no record has it).
                    const std::string f = g.Field(set_field);
                    const auto* list = data.codelists.Find(set_dim);
                    std::string codes_list;
                    for (const auto& c : list->codes) {
                        codes_list += (codes_list.empty() ? "" : ", ") + Quote(c.code);
                    }
                    std::vector<std::pair<std::string, std::string>> parts = {
                        {set_dim, fmt::format("'{}=' || c.code", set_dim)}};
                    for (size_t i = 0; i < dims.size(); ++i) {
                        parts.emplace_back(dims[i].dimension,
                                           fmt::format("CASE WHEN g.g{0} = 0 THEN '{1}=' || "
                                                       "coalesce(g.d{0}, '') END",
                                                       i, dims[i].dimension));
                    }
                    std::sort(parts.begin(), parts.end());
                    std::string by = "concat_ws(','";
                    for (const auto& [dim, expr] : parts) {
                        by += ", " + expr;
                    }
                    by += ")";
                    std::string key_match;
                    for (size_t i = 0; i < dims.size(); ++i) {
                        key_match += fmt::format(" AND n.g{0} = g.g{0} AND n.d{0} IS NOT DISTINCT "
                                                 "FROM g.d{0}",
                                                 i);
                    }
                    const std::string set_from =
                        from + fmt::format(", unnest(CASE WHEN {0} = 'none' THEN []::VARCHAR[] "
                                           "ELSE string_split({0}, ';') END) AS sv(code)",
                                           f);
                    cte += fmt::format(
                        ", n AS (SELECT {}, sv.code AS sc, count(*) AS cnt{} WHERE {} AND {} IS NOT "
                        "NULL GROUP BY GROUPING SETS ({}))",
                        select, set_from, base_where, f, grouping_sets(", sv.code"));
                    size_t mi = 0;
                    while (d.measures[mi].aggregate != Aggregate::kSetShare) {
                        ++mi;
                    }
                    union_all += (union_all.empty() ? "" : " UNION ALL ") +
                                 fmt::format(
                                     "SELECT '{0}' AS indicator, '{1}' AS measure, g.country, "
                                     "g.year, {2} AS by, (CASE WHEN g.m{3}_a > 0 THEN 100.0 * "
                                     "coalesce(n.cnt, 0) / g.m{3}_a END)::DOUBLE AS value, "
                                     "coalesce(n.cnt, 0)::DOUBLE AS numerator, g.m{3}_a::DOUBLE "
                                     "AS denominator, NULL::DOUBLE AS p90, g.records FROM g "
                                     "CROSS JOIN (SELECT unnest([{4}]) AS code) c LEFT JOIN n ON "
                                     "n.country = g.country AND n.year = g.year AND n.sc = "
                                     "c.code{5}",
                                     ind.code, d.measures[mi].measure, by, mi, codes_list,
                                     key_match);
                }
                queries += fmt::format("-- {} {}\n{} {};\n", ind.code, countries, cte, union_all);
                ++count;
            }
        }
    }
    std::ofstream(out_dir + "/load.sql") << load;
    std::ofstream(out_dir + "/queries.sql") << queries;
    std::fprintf(stderr, "wrote %d queries\n", count);
    return 0;
}

}  // namespace
}  // namespace rap

int main(int argc, char** argv) { return rap::Main(argc, argv); }
