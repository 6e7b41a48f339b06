// SPDX-License-Identifier: AGPL-3.0-or-later
// Plan compilation and execution. The shape of the work:
//
//   derivation specs --compile--> per record type: view columns (own, parent and linked fields),
//   predicates (each distinct condition, evaluated once per row into a bit mask), grouping sets
//   (each distinct list of dimensions) and, per grouping set, counters (distinct filter masks),
//   sums, medians and distinct counts; plus outputs that turn those into Values.
//
//   per partition, one pass over the rows: the row's predicate mask, then for each grouping set,
//   for each cell the row falls in (several for a set-valued dimension): add to every counter
//   whose mask the row's mask covers, and to the sums; medians and distinct counts collect
//   (cell, value) pairs, reduced after the pass.
//
// Everything that several indicators share (base populations, grouping sets, filters) is
// computed once. Partitions are independent, so they run on a small pool of threads.
#include "engine/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

namespace rap::engine {

namespace {

using cases::Column;
using cases::FieldRef;
using cases::FieldType;
using framework::Aggregate;
using framework::Condition;
using framework::Filter;
using framework::Op;

constexpr size_t kMaxPredicates = 64;

// Sums accumulate in 128 bits: an amount may be up to 1e15 cents, so a few thousand of them
// overflow 64 bits; 128 bits hold that largest amount for more rows than a table can have.
__extension__ using Sum = __int128;

// Amounts are kept in cents; other numbers (integer fields) as they are.
double UnitsPerValue(FieldType type) {
    return type == FieldType::kAmount ? 100.0 : 1.0;
}

// ---------------------------------------------------------------------------------------------
// Plan

struct Predicate {
    int column = 0;  // view column
    Op op = Op::kIn;
    std::vector<char> code_allowed;  // kCode: by code index
    uint64_t set_mask = 0;           // kCodes: any of these bits
    int64_t number = 0;              // numeric comparisons (amounts in cents)
};

struct DimRef {
    std::string dimension;
    int column = 0;  // view column
    bool is_set = false;
    int radix = 1;  // codes + 1 (digit 0: not recorded)
    const cases::Codelist* codelist = nullptr;
};

struct ValueSpec {  // a sum, median or distinct: rows matching `mask`, values of `column`
    uint64_t mask = 0;
    int column = 0;
    bool operator==(const ValueSpec&) const = default;
};

struct GroupingSet {
    std::vector<int> dims;  // indexes into RecordPlan::dims
    int64_t cells = 1;
    std::vector<uint64_t> counters;  // filter masks
    std::vector<ValueSpec> sums;
    std::vector<ValueSpec> medians;
    std::vector<ValueSpec> distincts;

    template <class T>
    static int Intern(std::vector<T>& list, const T& item) {
        auto it = std::find(list.begin(), list.end(), item);
        if (it != list.end()) {
            return static_cast<int>(it - list.begin());
        }
        list.push_back(item);
        return static_cast<int>(list.size() - 1);
    }
};

struct Output {
    std::string indicator;
    std::string measure;
    Aggregate aggregate = Aggregate::kCount;
    int gset = 0;
    int base = 0;         // counter: base population (cell is reported when > 0)
    int numerator = -1;   // counter (count, share, rate), sum, median or distinct
    int denominator = -1;  // counter (share) or sum (ratio)
    double per = 0;
    // kSetShare: the grouping set without the set dimension, for the denominator.
    int outer_gset = -1;
    int outer_denominator = -1;
    int set_dim = -1;  // position of the set dimension within gset dims
};

struct ViewColumn {
    FieldRef ref;
    int self_index = -1;  // when ref.via == kSelf
};

struct RecordPlan {
    const cases::RecordDef* record = nullptr;
    std::vector<ViewColumn> view;
    std::vector<Predicate> predicates;
    std::vector<DimRef> dims;
    std::vector<GroupingSet> gsets;
    std::vector<Output> outputs;
};

struct CountryPlan {
    std::vector<RecordPlan> records;
    int indicators = 0;
};

class Compiler {
public:
    Compiler(const framework::ReferenceData& data, CountryPlan* plan) : data_(data), plan_(plan) {}

    Status Add(const framework::EffectiveIndicator& e) {
        const framework::Indicator& ind = e.indicator;
        const framework::Derivation& d = *ind.derivation;
        const cases::CaseSchema& schema = *data_.case_schema;
        const cases::RecordDef* record = schema.Find(d.record);
        if (record == nullptr) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("{}: unknown record type {}", ind.code, d.record));
        }
        RecordPlan& rp = RecordPlanFor(*record);
        const uint64_t base = RAP_TRY(Mask(rp, d.where, ind.code));

        // Dimensions of the indicator, as view columns.
        std::vector<int> dims;
        std::string set_share_dim;
        for (const auto& m : d.measures) {
            if (m.aggregate == Aggregate::kSetShare) {
                auto ref = cases::ResolveField(schema, *record, m.field);
                set_share_dim = ref ? ref->field->codelist : "";
            }
        }
        for (const auto& dim : ind.disaggregations) {
            if (dim == set_share_dim) {
                continue;
            }
            std::optional<FieldRef> ref;
            if (auto it = d.dimensions.find(dim); it != d.dimensions.end()) {
                ref = cases::ResolveField(schema, *record, it->second);
            } else if (dim != "AREA") {
                ref = cases::FieldForDimension(schema, *record, dim);
            }
            if (!ref) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("{}: no field breaks {} down by {}", ind.code, d.record,
                                        dim));
            }
            dims.push_back(Dim(rp, dim, *ref));
        }
        ++plan_->indicators;

        for (const auto& m : d.measures) {
            const uint64_t where = RAP_TRY(Mask(rp, m.where, ind.code));
            const uint64_t den_where = RAP_TRY(Mask(rp, m.denominator_where, ind.code));
            if (m.aggregate == Aggregate::kSetShare) {
                RAP_TRY_STATUS(AddSetShare(rp, ind, m, dims, base | where));
                continue;
            }
            // Sums, ratios, medians and distinct counts read a field (counts and shares do not).
            int column = -1;
            int denominator_column = -1;
            if (m.aggregate == Aggregate::kSum || m.aggregate == Aggregate::kRatio ||
                m.aggregate == Aggregate::kMedian || m.aggregate == Aggregate::kDistinct) {
                column = RAP_TRY(ValueColumn(rp, ind, m, m.field));
            }
            if (m.aggregate == Aggregate::kRatio) {
                denominator_column = RAP_TRY(ValueColumn(rp, ind, m, m.denominator_field));
            }
            for (const auto& gdims : GroupingSets(dims)) {
                const int g = GsetFor(rp, gdims);
                GroupingSet& gs = rp.gsets[static_cast<size_t>(g)];
                Output out;
                out.indicator = ind.code;
                out.measure = m.measure;
                out.aggregate = m.aggregate;
                out.gset = g;
                out.base = GroupingSet::Intern(gs.counters, base);
                out.per = m.per;
                switch (m.aggregate) {
                    case Aggregate::kCount:
                    case Aggregate::kRate:
                        out.numerator = GroupingSet::Intern(gs.counters, base | where);
                        break;
                    case Aggregate::kShare:
                        out.numerator = GroupingSet::Intern(gs.counters, base | den_where | where);
                        out.denominator = GroupingSet::Intern(gs.counters, base | den_where);
                        break;
                    case Aggregate::kSum:
                        out.numerator =
                            GroupingSet::Intern(gs.sums, ValueSpec{base | where, column});
                        break;
                    case Aggregate::kRatio:
                        out.numerator =
                            GroupingSet::Intern(gs.sums, ValueSpec{base | where, column});
                        out.denominator = GroupingSet::Intern(
                            gs.sums, ValueSpec{base | where, denominator_column});
                        break;
                    case Aggregate::kMedian:
                        out.numerator =
                            GroupingSet::Intern(gs.medians, ValueSpec{base | where, column});
                        break;
                    case Aggregate::kDistinct:
                        out.numerator =
                            GroupingSet::Intern(gs.distincts, ValueSpec{base | where, column});
                        break;
                    case Aggregate::kSetShare:
                        break;
                }
                rp.outputs.push_back(std::move(out));
            }
        }
        return Ok();
    }

private:
    Status AddSetShare(RecordPlan& rp, const framework::Indicator& ind,
                       const framework::MeasureDerivation& m, const std::vector<int>& dims,
                       uint64_t mask) {
        const auto& schema = *data_.case_schema;
        auto ref = cases::ResolveField(schema, *rp.record, m.field);
        if (!ref || ref->field->type != FieldType::kCodes) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("{}: set_share needs a set field", ind.code));
        }
        // Rows counted are those whose set is recorded.
        Condition recorded;
        recorded.field = m.field;
        recorded.op = Op::kRecorded;
        const uint64_t counted = mask | RAP_TRY(Mask(rp, {recorded}, ind.code));
        const int set_dim = Dim(rp, ref->field->codelist, *ref);
        std::vector<std::vector<int>> outer_sets = {{}};
        for (int d : dims) {
            outer_sets.push_back({d});
        }
        for (const auto& outer : outer_sets) {
            std::vector<int> inner = {set_dim};
            inner.insert(inner.end(), outer.begin(), outer.end());
            Output out;
            out.indicator = ind.code;
            out.measure = m.measure;
            out.aggregate = Aggregate::kSetShare;
            out.outer_gset = GsetFor(rp, outer);
            GroupingSet& og = rp.gsets[static_cast<size_t>(out.outer_gset)];
            out.base = GroupingSet::Intern(og.counters, mask);
            out.outer_denominator = GroupingSet::Intern(og.counters, counted);
            out.gset = GsetFor(rp, inner);
            GroupingSet& ig = rp.gsets[static_cast<size_t>(out.gset)];
            out.numerator = GroupingSet::Intern(ig.counters, counted);
            out.set_dim = 0;
            rp.outputs.push_back(std::move(out));
        }
        return Ok();
    }

    // The view column of the field a sum, ratio, median or distinct reads. The pass reads the
    // numbers of integer and amount columns and the text of id and country columns; any other
    // column has no such values and would be read out of bounds, so a spec that LoadReferenceData
    // did not check (or checked against another schema) is refused here.
    Result<int> ValueColumn(RecordPlan& rp, const framework::Indicator& ind,
                            const framework::MeasureDerivation& m, const std::string& name) {
        auto ref = cases::ResolveField(*data_.case_schema, *rp.record, name);
        if (!ref) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("{}: {} has no field {}", ind.code, rp.record->id, name));
        }
        const FieldType t = ref->field->type;
        const bool fits = m.aggregate == Aggregate::kDistinct
                              ? t == FieldType::kId || t == FieldType::kCountry
                              : t == FieldType::kInteger || t == FieldType::kAmount;
        if (!fits) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("{}: {} cannot take the {} field {}", ind.code,
                                    framework::Name(m.aggregate), cases::Name(t), name));
        }
        return ViewFor(rp, name);
    }

    static std::vector<std::vector<int>> GroupingSets(const std::vector<int>& dims) {
        std::vector<std::vector<int>> sets = {{}};
        for (size_t i = 0; i < dims.size(); ++i) {
            sets.push_back({dims[i]});
        }
        for (size_t i = 0; i < dims.size(); ++i) {
            for (size_t j = i + 1; j < dims.size(); ++j) {
                sets.push_back({dims[i], dims[j]});
            }
        }
        return sets;
    }

    RecordPlan& RecordPlanFor(const cases::RecordDef& record) {
        for (auto& rp : plan_->records) {
            if (rp.record == &record) {
                return rp;
            }
        }
        plan_->records.emplace_back();
        plan_->records.back().record = &record;
        return plan_->records.back();
    }

    int ViewFor(RecordPlan& rp, const std::string& name) {
        for (size_t i = 0; i < rp.view.size(); ++i) {
            if (rp.view[i].ref.name == name) {
                return static_cast<int>(i);
            }
        }
        auto ref = cases::ResolveField(*data_.case_schema, *rp.record, name);
        ViewColumn v;
        v.ref = *ref;  // LoadReferenceData checked that the field resolves
        if (ref->via == FieldRef::Via::kSelf) {
            v.self_index = rp.record->FieldIndex(ref->field->name);
        }
        rp.view.push_back(std::move(v));
        return static_cast<int>(rp.view.size() - 1);
    }

    int Dim(RecordPlan& rp, const std::string& dimension, const FieldRef& ref) {
        const int column = ViewFor(rp, ref.name);
        for (size_t i = 0; i < rp.dims.size(); ++i) {
            if (rp.dims[i].column == column && rp.dims[i].dimension == dimension) {
                return static_cast<int>(i);
            }
        }
        DimRef d;
        d.dimension = dimension;
        d.column = column;
        d.is_set = ref.field->type == FieldType::kCodes;
        d.codelist = data_.codelists.Find(ref.field->codelist);
        d.radix = static_cast<int>(d.codelist->codes.size()) + 1;
        rp.dims.push_back(std::move(d));
        return static_cast<int>(rp.dims.size() - 1);
    }

    int GsetFor(RecordPlan& rp, std::vector<int> dims) {
        for (size_t i = 0; i < rp.gsets.size(); ++i) {
            if (rp.gsets[i].dims == dims) {
                return static_cast<int>(i);
            }
        }
        GroupingSet g;
        g.dims = std::move(dims);
        for (int d : g.dims) {
            g.cells *= rp.dims[static_cast<size_t>(d)].radix;
        }
        rp.gsets.push_back(std::move(g));
        return static_cast<int>(rp.gsets.size() - 1);
    }

    Result<uint64_t> Mask(RecordPlan& rp, const Filter& filter, const std::string& code) {
        uint64_t mask = 0;
        for (const Condition& c : filter) {
            Predicate p;
            p.column = ViewFor(rp, c.field);
            p.op = c.op;
            p.number = c.number;
            const cases::FieldDef& field = *rp.view[static_cast<size_t>(p.column)].ref.field;
            if (field.type == FieldType::kAmount) {
                p.number *= 100;  // conditions are written in EUR, amounts are kept in cents
            }
            if (field.type == FieldType::kCode || field.type == FieldType::kCodes) {
                const cases::Codelist* list = data_.codelists.Find(field.codelist);
                p.code_allowed.assign(list->codes.size(), 0);
                for (const auto& text : c.codes) {
                    for (size_t k = 0; k < list->codes.size(); ++k) {
                        if (list->codes[k].code == text) {
                            p.code_allowed[k] = 1;
                            p.set_mask |= uint64_t{1} << k;
                        }
                    }
                }
            }
            size_t index = 0;
            for (; index < rp.predicates.size(); ++index) {
                const Predicate& q = rp.predicates[index];
                if (q.column == p.column && q.op == p.op && q.number == p.number &&
                    q.code_allowed == p.code_allowed) {
                    break;
                }
            }
            if (index == rp.predicates.size()) {
                if (rp.predicates.size() == kMaxPredicates) {
                    return Fail(Errc::kInvalidArgument,
                                fmt::format("{}: more than {} distinct conditions on {} records",
                                            code, kMaxPredicates, rp.record->id));
                }
                rp.predicates.push_back(std::move(p));
            }
            mask |= uint64_t{1} << index;
        }
        return mask;
    }

    const framework::ReferenceData& data_;
    CountryPlan* plan_;
};

Result<CountryPlan> CompilePlan(const framework::ReferenceData& data,
                                const framework::EffectiveFramework& eff) {
    if (!data.case_schema) {
        return Fail(Errc::kFailedPrecondition, "no case-record schema is loaded");
    }
    CountryPlan plan;
    Compiler compiler(data, &plan);
    for (const auto& e : eff.indicators) {
        if (!e.indicator.derivation || e.comparability == framework::Comparability::kNotApplicable ||
            e.indicator.status == framework::IndicatorStatus::kRetired) {
            continue;
        }
        RAP_TRY_STATUS(compiler.Add(e));
    }
    return plan;
}

// ---------------------------------------------------------------------------------------------
// Execution

// The rows of the partition a view column reads, directly or gathered from a parent or link.
struct BoundColumn {
    const Column* column = nullptr;
    Column owned;  // gathered values for parent and linked fields
};

// Victims of one country by case id, for linked fields.
using LinkIndex = std::unordered_map<std::string_view, std::pair<const cases::CaseTable*, size_t>>;

bool TestPredicate(const Predicate& p, const Column& c, size_t row) {
    switch (c.field->type) {
        case FieldType::kCode: {
            const int32_t v = c.code[row];
            if (v == cases::kNullCode) {
                return p.op == Op::kNotRecorded;
            }
            switch (p.op) {
                case Op::kIn: return p.code_allowed[static_cast<size_t>(v)] != 0;
                case Op::kNotIn: return p.code_allowed[static_cast<size_t>(v)] == 0;
                case Op::kRecorded: return true;
                default: return false;
            }
        }
        case FieldType::kCodes: {
            const uint64_t v = c.set[row];
            if (v == cases::kNullSet) {
                return p.op == Op::kNotRecorded;
            }
            switch (p.op) {
                case Op::kIn: return (v & p.set_mask) != 0;
                case Op::kNotIn: return (v & p.set_mask) == 0;
                case Op::kRecorded: return true;
                default: return false;
            }
        }
        case FieldType::kBool: {
            const int8_t v = c.flag[row];
            if (v == cases::kNullFlag) {
                return p.op == Op::kNotRecorded;
            }
            switch (p.op) {
                case Op::kIsTrue: return v == 1;
                case Op::kIsFalse: return v == 0;
                case Op::kRecorded: return true;
                default: return false;
            }
        }
        case FieldType::kId:
        case FieldType::kCountry:
            return c.text[row].empty() ? p.op == Op::kNotRecorded : p.op == Op::kRecorded;
        default: {
            const int64_t v = c.number[row];
            if (v == cases::kNullNumber) {
                return p.op == Op::kNotRecorded;
            }
            switch (p.op) {
                case Op::kGe: return v >= p.number;
                case Op::kGt: return v > p.number;
                case Op::kLe: return v <= p.number;
                case Op::kLt: return v < p.number;
                case Op::kRecorded: return true;
                default: return false;
            }
        }
    }
}

class PartitionRun {
public:
    PartitionRun(const RecordPlan& plan, const cases::CaseTable& table, const Snapshot& snapshot,
                 const std::string& country, int year, const LinkIndex* link_index)
        : plan_(plan), table_(table), rows_(table.rows()) {
        Bind(snapshot, country, year, link_index);
    }

    void Run(const framework::ReferenceData& data, const std::string& country, int year,
             ValueSet* out) {
        Aggregate();
        Emit(data, country, year, out);
    }

private:
    struct GsetState {
        std::vector<int64_t> counts;  // cells x counters
        std::vector<Sum> sums;        // cells x sums x 2 (sum, n)
        std::vector<std::vector<std::array<double, 3>>> medians;  // per spec: cells x (n, p50, p90)
        std::vector<std::vector<int64_t>> distincts;              // per spec: cells
        // Collected during the pass, reduced after it.
        std::vector<std::vector<std::pair<int64_t, int64_t>>> median_pairs;
        std::vector<std::vector<std::pair<int64_t, std::string_view>>> distinct_pairs;
        std::vector<const Column*> sum_columns;
        bool all_scalar = true;
    };

    void Bind(const Snapshot& snapshot, const std::string& country, int year,
              const LinkIndex* link_index) {
        bound_.resize(plan_.view.size());
        const cases::CaseTable* parent = nullptr;
        std::unordered_map<std::string_view, size_t> parent_rows;
        for (size_t i = 0; i < plan_.view.size(); ++i) {
            const ViewColumn& v = plan_.view[i];
            if (v.ref.via == FieldRef::Via::kSelf) {
                bound_[i].column = &table_.column(static_cast<size_t>(v.self_index));
                continue;
            }
            Column& out = bound_[i].owned;
            out.field = v.ref.field;
            out.codelist = table_.column(0).codelist;  // replaced below
            bound_[i].column = &out;
            const cases::RecordDef& rec = table_.record();
            const cases::RecordRef& ref = v.ref.via == FieldRef::Via::kParent ? *rec.parent
                                                                              : *rec.link;
            const Column& keys = table_.column(ref.field);
            out.Reserve(rows_);
            if (v.ref.via == FieldRef::Via::kParent) {
                if (parent == nullptr) {
                    parent = snapshot.Find({ref.record, country, year});
                    if (parent != nullptr) {
                        const Column& pk = parent->column(parent->record().key[0]);
                        for (size_t r = 0; r < parent->rows(); ++r) {
                            parent_rows.emplace(pk.text[r], r);
                        }
                    }
                }
                const int field_index = v.ref.owner->FieldIndex(v.ref.field->name);
                for (size_t r = 0; r < rows_; ++r) {
                    auto it = parent == nullptr ? parent_rows.end() : parent_rows.find(keys.text[r]);
                    if (it == parent_rows.end()) {
                        out.AppendNull();
                    } else {
                        out.CopyRow(parent->column(static_cast<size_t>(field_index)), it->second);
                    }
                }
                if (parent != nullptr) {
                    out.codelist = parent->column(static_cast<size_t>(field_index)).codelist;
                }
            } else {
                const int field_index = v.ref.owner->FieldIndex(v.ref.field->name);
                for (size_t r = 0; r < rows_; ++r) {
                    auto it = link_index == nullptr ? LinkIndex::const_iterator()
                                                    : link_index->find(keys.text[r]);
                    if (link_index == nullptr || it == link_index->end()) {
                        out.AppendNull();
                    } else {
                        const Column& src = it->second.first->column(static_cast<size_t>(field_index));
                        out.codelist = src.codelist;
                        out.CopyRow(src, it->second.second);
                    }
                }
            }
        }
    }

    // The row's mask: bit p set when predicate p holds.
    uint64_t MaskOf(size_t r) const {
        uint64_t mask = 0;
        for (size_t p = 0; p < plan_.predicates.size(); ++p) {
            const Predicate& pred = plan_.predicates[p];
            if (TestPredicate(pred, *bound_[static_cast<size_t>(pred.column)].column, r)) {
                mask |= uint64_t{1} << p;
            }
        }
        return mask;
    }

    // Cells row `r` falls in for grouping set `gs`, appended to `cells`.
    void CellsOf(const GroupingSet& gs, size_t r, std::vector<int64_t>* cells) const {
        cells->clear();
        cells->push_back(0);
        for (int d : gs.dims) {
            const DimRef& dim = plan_.dims[static_cast<size_t>(d)];
            const Column& col = *bound_[static_cast<size_t>(dim.column)].column;
            const size_t n = cells->size();
            if (!dim.is_set) {
                const int32_t code = col.code[r];
                const int64_t digit = code == cases::kNullCode ? 0 : code + 1;
                for (size_t i = 0; i < n; ++i) {
                    (*cells)[i] = (*cells)[i] * dim.radix + digit;
                }
                continue;
            }
            const uint64_t bits = col.set[r];
            if (bits == cases::kNullSet) {
                for (size_t i = 0; i < n; ++i) {
                    (*cells)[i] = (*cells)[i] * dim.radix;
                }
                continue;
            }
            // One cell per code of the set; an empty set falls in no cell of this dimension.
            std::vector<int64_t> next;
            for (size_t i = 0; i < n; ++i) {
                for (uint64_t b = bits; b != 0; b &= b - 1) {
                    const int code = __builtin_ctzll(b);
                    next.push_back((*cells)[i] * dim.radix + code + 1);
                }
            }
            cells->swap(next);
        }
    }

    // One pass over the partition's rows: each row's mask, then every grouping set's cells and
    // aggregates. Medians and distinct counts are reduced after the pass.
    void Aggregate() {
        state_.resize(plan_.gsets.size());
        for (size_t g = 0; g < plan_.gsets.size(); ++g) {
            const GroupingSet& gs = plan_.gsets[g];
            GsetState& st = state_[g];
            st.counts.assign(static_cast<size_t>(gs.cells) * gs.counters.size(), 0);
            st.sums.assign(static_cast<size_t>(gs.cells) * gs.sums.size() * 2, 0);
            st.median_pairs.resize(gs.medians.size());
            st.distinct_pairs.resize(gs.distincts.size());
            for (const auto& spec : gs.sums) {
                st.sum_columns.push_back(bound_[static_cast<size_t>(spec.column)].column);
            }
            st.all_scalar = std::none_of(gs.dims.begin(), gs.dims.end(), [&](int d) {
                return plan_.dims[static_cast<size_t>(d)].is_set;
            });
        }
        std::vector<int64_t> cells;
        for (size_t r = 0; r < rows_; ++r) {
            const uint64_t m = MaskOf(r);
            for (size_t g = 0; g < plan_.gsets.size(); ++g) {
                const GroupingSet& gs = plan_.gsets[g];
                GsetState& st = state_[g];
                if (st.all_scalar) {
                    int64_t cell = 0;
                    for (int d : gs.dims) {
                        const DimRef& dim = plan_.dims[static_cast<size_t>(d)];
                        const int32_t code =
                            bound_[static_cast<size_t>(dim.column)].column->code[r];
                        cell = cell * dim.radix + (code == cases::kNullCode ? 0 : code + 1);
                    }
                    AddRow(gs, st, r, m, cell);
                    continue;
                }
                CellsOf(gs, r, &cells);
                for (const int64_t cell : cells) {
                    AddRow(gs, st, r, m, cell);
                }
            }
        }
        for (size_t g = 0; g < plan_.gsets.size(); ++g) {
            Reduce(plan_.gsets[g], state_[g]);
        }
    }

    void AddRow(const GroupingSet& gs, GsetState& st, size_t r, uint64_t m, int64_t cell) {
        const size_t nc = gs.counters.size();
        int64_t* counts = st.counts.data() + cell * static_cast<int64_t>(nc);
        for (size_t k = 0; k < nc; ++k) {
            counts[k] += static_cast<int64_t>((m & gs.counters[k]) == gs.counters[k]);
        }
        const size_t ns = gs.sums.size();
        for (size_t k = 0; k < ns; ++k) {
            if ((m & gs.sums[k].mask) != gs.sums[k].mask) {
                continue;
            }
            const int64_t v = st.sum_columns[k]->number[r];
            if (v == cases::kNullNumber) {
                continue;
            }
            Sum* slot =
                st.sums.data() + (cell * static_cast<int64_t>(ns) + static_cast<int64_t>(k)) * 2;
            slot[0] += v;
            slot[1] += 1;
        }
        for (size_t k = 0; k < gs.medians.size(); ++k) {
            const ValueSpec& spec = gs.medians[k];
            if ((m & spec.mask) != spec.mask) {
                continue;
            }
            const int64_t v = bound_[static_cast<size_t>(spec.column)].column->number[r];
            if (v != cases::kNullNumber) {
                st.median_pairs[k].emplace_back(cell, v);
            }
        }
        for (size_t k = 0; k < gs.distincts.size(); ++k) {
            const ValueSpec& spec = gs.distincts[k];
            if ((m & spec.mask) != spec.mask) {
                continue;
            }
            const std::string& v = bound_[static_cast<size_t>(spec.column)].column->text[r];
            if (!v.empty()) {
                st.distinct_pairs[k].emplace_back(cell, v);
            }
        }
    }

    static void Reduce(const GroupingSet& gs, GsetState& st) {
        std::vector<int64_t> values;
        for (auto& pairs : st.median_pairs) {
            std::sort(pairs.begin(), pairs.end());
            auto& out = st.medians.emplace_back(static_cast<size_t>(gs.cells),
                                                std::array<double, 3>{0, 0, 0});
            for (size_t i = 0; i < pairs.size();) {
                size_t j = i;
                values.clear();
                while (j < pairs.size() && pairs[j].first == pairs[i].first) {
                    values.push_back(pairs[j].second);
                    ++j;
                }
                out[static_cast<size_t>(pairs[i].first)] = {
                    static_cast<double>(values.size()), PercentileCont(values, 0.5),
                    PercentileCont(values, 0.9)};
                i = j;
            }
            pairs = {};
        }
        for (auto& pairs : st.distinct_pairs) {
            std::sort(pairs.begin(), pairs.end());
            pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
            auto& out = st.distincts.emplace_back(static_cast<size_t>(gs.cells), 0);
            for (const auto& p : pairs) {
                ++out[static_cast<size_t>(p.first)];
            }
            pairs = {};
        }
    }

    // (dimension, code) pairs of a cell.
    std::vector<std::pair<std::string, std::string>> Decode(const GroupingSet& gs,
                                                            int64_t cell) const {
        std::vector<std::pair<std::string, std::string>> by(gs.dims.size());
        for (size_t i = gs.dims.size(); i-- > 0;) {
            const DimRef& dim = plan_.dims[static_cast<size_t>(gs.dims[i])];
            const int64_t digit = cell % dim.radix;
            cell /= dim.radix;
            by[i] = {dim.dimension,
                     digit == 0 ? std::string()
                                : dim.codelist->codes[static_cast<size_t>(digit - 1)].code};
        }
        return by;
    }

    void Emit(const framework::ReferenceData& data, const std::string& country, int year,
              ValueSet* out) {
        double population = std::nan("");
        if (data.countries) {
            if (const auto* c = data.countries->Find(country)) {
                auto it = c->population.by_year.find(year);
                if (it != c->population.by_year.end()) {
                    population = static_cast<double>(it->second);
                }
            }
        }
        for (const Output& o : plan_.outputs) {
            const GroupingSet& gs = plan_.gsets[static_cast<size_t>(o.gset)];
            const GsetState& st = state_[static_cast<size_t>(o.gset)];
            const size_t nc = gs.counters.size();
            if (o.aggregate == framework::Aggregate::kSetShare) {
                EmitSetShare(o, country, year, out);
                continue;
            }
            for (int64_t cell = 0; cell < gs.cells; ++cell) {
                const int64_t* counts = st.counts.data() + cell * static_cast<int64_t>(nc);
                const int64_t base = counts[o.base];
                if (base == 0) {
                    continue;
                }
                Value v;
                v.indicator = o.indicator;
                v.measure = o.measure;
                v.country = country;
                v.year = year;
                v.by = Decode(gs, cell);
                v.records = base;
                const Sum* sums = st.sums.data() + cell * static_cast<int64_t>(gs.sums.size()) * 2;
                // A sum in the unit of its field (EUR for amounts).
                auto sum_value = [&](int k) {
                    const int column = gs.sums[static_cast<size_t>(k)].column;
                    const FieldType type = plan_.view[static_cast<size_t>(column)].ref.field->type;
                    return static_cast<double>(sums[k * 2]) / UnitsPerValue(type);
                };
                switch (o.aggregate) {
                    case framework::Aggregate::kCount:
                        v.numerator = static_cast<double>(counts[o.numerator]);
                        v.value = v.numerator;
                        break;
                    case framework::Aggregate::kRate:
                        v.numerator = static_cast<double>(counts[o.numerator]);
                        v.denominator = population;
                        v.value = v.numerator / population * o.per;
                        break;
                    case framework::Aggregate::kShare:
                        v.numerator = static_cast<double>(counts[o.numerator]);
                        v.denominator = static_cast<double>(counts[o.denominator]);
                        if (v.denominator > 0) {
                            v.value = 100.0 * v.numerator / v.denominator;
                        }
                        break;
                    case framework::Aggregate::kSum:
                        v.numerator = sum_value(o.numerator);
                        v.value = v.numerator;
                        v.denominator = static_cast<double>(sums[o.numerator * 2 + 1]);
                        break;
                    case framework::Aggregate::kRatio:
                        // Each side in its own unit: an amount over a count of days is EUR a day.
                        v.numerator = sum_value(o.numerator);
                        v.denominator = sum_value(o.denominator);
                        if (v.denominator > 0) {
                            v.value = 100.0 * v.numerator / v.denominator;
                        }
                        break;
                    case framework::Aggregate::kMedian: {
                        const auto& m = st.medians[static_cast<size_t>(o.numerator)]
                                                  [static_cast<size_t>(cell)];
                        v.numerator = m[0];  // n values
                        const int column = gs.medians[static_cast<size_t>(o.numerator)].column;
                        const double scale = UnitsPerValue(
                            plan_.view[static_cast<size_t>(column)].ref.field->type);
                        if (m[0] > 0) {
                            v.value = m[1] / scale;
                            v.p90 = m[2] / scale;
                        }
                        break;
                    }
                    case framework::Aggregate::kDistinct:
                        v.numerator = static_cast<double>(
                            st.distincts[static_cast<size_t>(o.numerator)][static_cast<size_t>(cell)]);
                        v.value = v.numerator;
                        break;
                    case framework::Aggregate::kSetShare:
                        break;
                }
                out->Add(std::move(v));
            }
        }
    }

    void EmitSetShare(const Output& o, const std::string& country, int year, ValueSet* out) {
        const GroupingSet& inner = plan_.gsets[static_cast<size_t>(o.gset)];
        const GroupingSet& outer = plan_.gsets[static_cast<size_t>(o.outer_gset)];
        const GsetState& is = state_[static_cast<size_t>(o.gset)];
        const GsetState& os = state_[static_cast<size_t>(o.outer_gset)];
        const DimRef& set_dim = plan_.dims[static_cast<size_t>(inner.dims[0])];
        const int64_t inner_stride = inner.cells / set_dim.radix;  // cells of the outer dims
        for (int64_t cell = 0; cell < outer.cells; ++cell) {
            const int64_t* oc = os.counts.data() + cell * static_cast<int64_t>(outer.counters.size());
            if (oc[o.base] == 0) {
                continue;
            }
            const auto outer_by = Decode(outer, cell);
            for (int code = 0; code + 1 < set_dim.radix; ++code) {
                const int64_t icell = static_cast<int64_t>(code + 1) * inner_stride + cell;
                const int64_t* ic =
                    is.counts.data() + icell * static_cast<int64_t>(inner.counters.size());
                Value v;
                v.indicator = o.indicator;
                v.measure = o.measure;
                v.country = country;
                v.year = year;
                v.by.emplace_back(set_dim.dimension,
                                  set_dim.codelist->codes[static_cast<size_t>(code)].code);
                v.by.insert(v.by.end(), outer_by.begin(), outer_by.end());
                v.records = oc[o.base];
                v.numerator = static_cast<double>(ic[o.numerator]);
                v.denominator = static_cast<double>(oc[o.outer_denominator]);
                if (v.denominator > 0) {
                    v.value = 100.0 * v.numerator / v.denominator;
                }
                out->Add(std::move(v));
            }
        }
    }

    const RecordPlan& plan_;
    const cases::CaseTable& table_;
    size_t rows_;
    std::vector<BoundColumn> bound_;
    std::vector<GsetState> state_;
};

}  // namespace

size_t Snapshot::Rows(std::string_view record) const {
    size_t n = 0;
    for (const auto& [key, table] : partitions_) {
        if (key.record == record) {
            n += table.rows();
        }
    }
    return n;
}

void Snapshot::Put(PartitionKey key, cases::CaseTable table) {
    partitions_.insert_or_assign(std::move(key), std::move(table));
}

void Snapshot::Erase(const PartitionKey& key) { partitions_.erase(key); }

const cases::CaseTable* Snapshot::Find(const PartitionKey& key) const {
    auto it = partitions_.find(key);
    return it == partitions_.end() ? nullptr : &it->second;
}

Result<ValueSet> Compute(const ComputeRequest& request) {
    const framework::ReferenceData& data = *request.data;
    std::map<std::string, CountryPlan> plans;
    for (const auto& [country, eff] : request.frameworks) {
        plans.emplace(country, RAP_TRY(CompilePlan(data, *eff)));
    }
    // Work items: (country, year) pairs that have records of a planned type.
    std::set<std::pair<std::string, int>> items;
    for (const auto& [key, table] : request.snapshot->partitions()) {
        if (plans.contains(key.country) &&
            (request.only.empty() || request.only.contains({key.country, key.year}))) {
            items.emplace(key.country, key.year);
        }
    }
    // Linked records (victims) of each country, by key, built once.
    std::map<std::string, LinkIndex> links;
    for (const auto& [country, plan] : plans) {
        bool needs_link = false;
        for (const auto& rp : plan.records) {
            for (const auto& v : rp.view) {
                needs_link = needs_link || v.ref.via == FieldRef::Via::kLink;
            }
        }
        if (!needs_link) {
            continue;
        }
        LinkIndex& index = links[country];
        for (const auto& [key, table] : request.snapshot->partitions()) {
            if (key.country != country || table.record().key.size() != 1) {
                continue;
            }
            // Only the record types something links to.
            bool linked = false;
            for (const auto& rp : plan.records) {
                linked = linked || (rp.record->link && rp.record->link->record == key.record);
            }
            if (!linked) {
                continue;
            }
            const Column& k = table.column(table.record().key[0]);
            for (size_t r = 0; r < table.rows(); ++r) {
                index.emplace(k.text[r], std::pair{&table, r});
            }
        }
    }
    const std::vector<std::pair<std::string, int>> work(items.begin(), items.end());
    std::vector<ValueSet> results(work.size());
    std::atomic<size_t> next{0};
    // An exception escaping a thread would call std::terminate, and one escaping the calling
    // thread's share of the work would leave the pool unjoined (std::terminate as well): each
    // work item's exception (out of memory, most likely) becomes the error Compute returns, and
    // the other workers stop at their next item.
    std::mutex failure_mutex;
    std::optional<Error> failure;
    auto fail = [&](const std::string& country, int year, std::string_view what) {
        std::lock_guard lock(failure_mutex);
        if (!failure) {
            failure = Error{Errc::kInternal, fmt::format("computing the values of {} {} failed: {}",
                                                         country, year, what)};
        }
        next.store(work.size());
    };
    auto worker = [&] {
        for (size_t i; (i = next.fetch_add(1)) < work.size();) {
            const auto& [country, year] = work[i];
            try {
                const CountryPlan& plan = plans.at(country);
                auto link_it = links.find(country);
                for (const RecordPlan& rp : plan.records) {
                    const cases::CaseTable* table =
                        request.snapshot->Find({rp.record->id, country, year});
                    if (table == nullptr || table->rows() == 0) {
                        continue;
                    }
                    PartitionRun run(rp, *table, *request.snapshot, country, year,
                                     link_it == links.end() ? nullptr : &link_it->second);
                    run.Run(data, country, year, &results[i]);
                }
            } catch (const std::exception& e) {
                fail(country, year, e.what());
            } catch (...) {
                fail(country, year, "unknown exception");
            }
        }
    };
    const int threads = std::max(1, std::min<int>(request.threads, static_cast<int>(work.size())));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) {
        try {
            pool.emplace_back(worker);
        } catch (const std::system_error&) {
            break;  // no more threads to be had: the threads running share the work
        }
    }
    worker();
    for (auto& t : pool) {
        t.join();
    }
    if (failure) {
        return Fail(std::move(*failure));
    }
    ValueSet all;
    for (auto& r : results) {
        all.Append(std::move(r));
    }
    all.Sort();
    return all;
}

Result<PlanStats> DescribePlan(const framework::ReferenceData& data,
                               const framework::EffectiveFramework& framework) {
    const CountryPlan plan = RAP_TRY(CompilePlan(data, framework));
    PlanStats stats;
    stats.indicators = plan.indicators;
    for (const auto& rp : plan.records) {
        stats.grouping_sets += static_cast<int>(rp.gsets.size());
        stats.predicates += static_cast<int>(rp.predicates.size());
        for (const auto& g : rp.gsets) {
            stats.counters += static_cast<int>(g.counters.size());
        }
    }
    return stats;
}

}  // namespace rap::engine
