// SPDX-License-Identifier: AGPL-3.0-or-later
#include "framework/reference_data.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/yaml_reader.hpp"

namespace rap::framework {

std::string_view Name(FileType v) {
    switch (v) {
        case FileType::kFramework: return "framework";
        case FileType::kCodelist: return "codelist";
        case FileType::kCountries: return "countries";
        case FileType::kCaseSchema: return "case_schema";
    }
    return "";
}

namespace {

constexpr std::string_view kAreaDimension = "AREA";

std::optional<FileType> DetectType(const SourceFile& file, core::Diagnostics& diags) {
    core::Diagnostics local;
    core::YamlReader r(file.name, local);
    auto root = r.Parse(file.bytes);
    if (!root) {
        for (const auto& e : local.errors()) {
            diags.Add(e);
        }
        return std::nullopt;
    }
    if (!root->IsMap() || !core::YamlReader::Has(*root, "schema")) {
        diags.Add(Errc::kInvalidArgument,
                  "missing 'schema:' line; expected rapporteur/framework@1, "
                  "rapporteur/codelist@1, rapporteur/countries@1 or rapporteur/case-records@1",
                  Location{.file = file.name, .line = 1, .column = 1});
        return std::nullopt;
    }
    const YAML::Node schema = (*root)["schema"];
    const std::string text = schema.IsScalar() ? schema.Scalar() : "";
    if (text == "rapporteur/framework@1") {
        return FileType::kFramework;
    }
    if (text == "rapporteur/codelist@1") {
        return FileType::kCodelist;
    }
    if (text == "rapporteur/countries@1") {
        return FileType::kCountries;
    }
    if (text == "rapporteur/case-records@1") {
        return FileType::kCaseSchema;
    }
    diags.Add(Errc::kInvalidArgument,
              fmt::format("unknown schema {}; expected rapporteur/framework@1, "
                          "rapporteur/codelist@1, rapporteur/countries@1 or "
                          "rapporteur/case-records@1",
                          core::Quoted(text)),
              r.At(schema));
    return std::nullopt;
}

std::string ChainText(const std::vector<const Framework*>& chain, const Framework* again) {
    std::string out;
    for (const Framework* f : chain) {
        out += f->id + " -> ";
    }
    return out + again->id;
}

// Cross-file checks and resolution share this walker, which applies deviations level by level.
class Resolver {
public:
    Resolver(const ReferenceData& data, core::Diagnostics* diags) : data_(data), diags_(diags) {}

    // The chain core..fw, or an error (missing framework, cycle, country mismatch).
    Result<std::vector<const Framework*>> Chain(const Framework& fw) {
        std::vector<const Framework*> chain = {&fw};
        const Framework* at = &fw;
        while (at->kind == FrameworkKind::kNational) {
            const Framework* parent = data_.FindFramework(at->extends, at->extends_version);
            if (parent == nullptr) {
                const std::string pinned =
                    at->extends_version.empty() ? "" : " version " + at->extends_version;
                return Fail(Errc::kInvalidArgument,
                            fmt::format("extends {}{}, but no such framework was loaded",
                                        core::Quoted(at->extends), pinned),
                            at->extends_where);
            }
            if (std::find(chain.begin(), chain.end(), parent) != chain.end()) {
                // Reported where the checked framework names its parent: the file being read.
                return Fail(Errc::kInvalidArgument,
                            fmt::format("extends forms a cycle: {}", ChainText(chain, parent)),
                            fw.extends_where);
            }
            if (parent->kind == FrameworkKind::kNational && parent->country != at->country) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("{} ({}) extends {}, which adapts the framework for {}; an "
                                        "adaptation can only refine one of its own country",
                                        at->id, at->country, parent->id, parent->country),
                            at->extends_where);
            }
            chain.push_back(parent);
            at = parent;
        }
        std::reverse(chain.begin(), chain.end());
        return chain;
    }

    Result<EffectiveFramework> Resolve(const Framework& fw) {
        auto chain = Chain(fw);
        if (!chain) {
            return Fail(chain.error());
        }
        const Framework& core = *chain->front();
        EffectiveFramework eff;
        eff.id = fw.id;
        eff.version = fw.version;
        eff.country = fw.country;
        eff.areas = core.areas;
        for (const Framework* f : *chain) {
            eff.chain.emplace_back(f->id, f->version);
        }
        for (const Indicator& ind : core.indicators) {
            EffectiveIndicator e;
            e.indicator = ind;
            if (ind.HasKind(ValueKind::kSC3) && !e.indicator.rubric) {
                e.indicator.rubric = core.default_rubric;
            }
            eff.indicators.push_back(std::move(e));
        }
        for (size_t level = 1; level < chain->size(); ++level) {
            Apply(*(*chain)[level], *chain, level, &eff);
        }
        // Rules are checked against the framework as it applies where they are declared: the
        // core's against the core, an adaptation's against its effective framework. Only the
        // framework resolved is checked, so that a longer chain does not report a rule twice.
        CheckRules(fw, *chain, eff);
        if (chain->size() == 1) {
            CheckScoring(core, eff);
        }
        for (const Framework* f : *chain) {
            for (const ValidationRule& rule : f->rules) {
                if (Applies(rule, eff)) {
                    eff.rules.push_back(rule);
                }
            }
        }
        eff.scoring = core.scoring;
        return eff;
    }

    // Checks one framework against the loaded codelists, countries and its chain.
    void Check(const Framework& fw) {
        if (fw.kind == FrameworkKind::kCore) {
            for (const Indicator& ind : fw.indicators) {
                CheckIndicatorRefs(ind, {&fw});
                CheckDerivation(ind, ind.disaggregations, ind.disaggregation_where);
            }
            // Resolve with reporting on: the rules and the scoring block against the core.
            static_cast<void>(Resolve(fw));
            return;
        }
        if (data_.countries && data_.countries->Find(fw.country) == nullptr) {
            Report(fmt::format("country {} is not in the countries file", fw.country),
                   Location{.file = fw.source_file, .line = 1, .column = 1});
        }
        auto chain = Chain(fw);
        if (!chain) {
            Report(chain.error().message, chain.error().where);
            return;
        }
        if (chain->front()->kind != FrameworkKind::kCore) {
            Report("the extends chain does not reach a core framework", fw.extends_where);
            return;
        }
        // Resolve with reporting on: Apply reports deviations that do not fit.
        static_cast<void>(Resolve(fw));
    }

private:
    void Report(std::string message, Location where) {
        if (diags_ != nullptr) {
            diags_->Add(Errc::kInvalidArgument, std::move(message), std::move(where));
        }
    }

    void CheckDimension(std::string_view dim, const Location& where, std::string_view owner) {
        if (dim == kAreaDimension || data_.codelists.Find(dim) != nullptr) {
            return;
        }
        std::string known;
        for (const auto& [code, list] : data_.codelists.all()) {
            known += known.empty() ? "" : ", ";
            known += code;
        }
        Report(fmt::format("{}: unknown dimension {}; known dimensions: {}, AREA", owner,
                           core::Quoted(dim), known),
               where);
    }


    // A derivation against the case-record schema: record, fields, codes, and a field for every
    // dimension in `dims`.
    void CheckDerivation(const Indicator& ind, const std::vector<std::string>& dims,
                         const std::vector<Location>& dims_where) {
        if (!ind.derivation) {
            return;
        }
        const Derivation& d = *ind.derivation;
        const std::string owner = fmt::format("indicator {} derivation", ind.code);
        if (!data_.case_schema) {
            Report(fmt::format("{}: no case-record schema is loaded", owner), d.where_defined);
            return;
        }
        const cases::CaseSchema& schema = *data_.case_schema;
        const cases::RecordDef* record = schema.Find(d.record);
        if (record == nullptr) {
            Report(fmt::format("{}: unknown record type {}", owner, core::Quoted(d.record)),
                   d.where_defined);
            return;
        }
        auto resolve = [&](const std::string& name, const Location& where)
            -> std::optional<cases::FieldRef> {
            auto ref = cases::ResolveField(schema, *record, name);
            if (!ref) {
                Report(fmt::format("{}: {} has no field {}", owner, d.record, core::Quoted(name)),
                       where);
            }
            return ref;
        };
        using cases::FieldType;
        auto check_filter = [&](const Filter& filter) {
            for (const Condition& c : filter) {
                auto ref = resolve(c.field, c.where);
                if (!ref) {
                    continue;
                }
                const FieldType t = ref->field->type;
                const bool coded = t == FieldType::kCode || t == FieldType::kCodes;
                const bool numeric = t == FieldType::kInteger || t == FieldType::kAmount ||
                                     t == FieldType::kYear || t == FieldType::kMonth;
                bool fits = true;
                switch (c.op) {
                    case Op::kIn:
                    case Op::kNotIn: fits = coded; break;
                    case Op::kIsTrue:
                    case Op::kIsFalse: fits = t == FieldType::kBool; break;
                    case Op::kGe:
                    case Op::kGt:
                    case Op::kLe:
                    case Op::kLt: fits = numeric; break;
                    case Op::kRecorded:
                    case Op::kNotRecorded: break;
                }
                if (!fits) {
                    Report(fmt::format("{}: the condition on {} does not fit a {} field", owner,
                                       c.field, cases::Name(t)),
                           c.where);
                    continue;
                }
                if (coded) {
                    const cases::Codelist* list = data_.codelists.Find(ref->field->codelist);
                    for (const auto& code : c.codes) {
                        if (list != nullptr && list->Find(code) == nullptr) {
                            Report(fmt::format("{}: {} is not a code of {} (field {})", owner,
                                               core::Quoted(code), ref->field->codelist, c.field),
                                   c.where);
                        }
                    }
                }
            }
        };
        check_filter(d.where);
        std::string set_share_dimension;
        for (const MeasureDerivation& m : d.measures) {
            check_filter(m.where);
            check_filter(m.denominator_where);
            for (const std::string* field : {&m.field, &m.denominator_field}) {
                if (field->empty()) {
                    continue;
                }
                auto ref = resolve(*field, m.where_defined);
                if (!ref) {
                    continue;
                }
                const FieldType t = ref->field->type;
                const bool numeric = t == FieldType::kInteger || t == FieldType::kAmount;
                bool fits = numeric;
                if (m.aggregate == Aggregate::kDistinct) {
                    // The engine counts distinct text values: ids and countries are the only
                    // text fields (a code or number column has no text to count).
                    fits = t == FieldType::kId || t == FieldType::kCountry;
                } else if (m.aggregate == Aggregate::kSetShare) {
                    fits = t == FieldType::kCodes;
                }
                if (!fits) {
                    Report(fmt::format("{}: {} cannot take the {} field {}", owner,
                                       Name(m.aggregate), cases::Name(t), *field),
                           m.where_defined);
                } else if (m.aggregate == Aggregate::kSetShare) {
                    set_share_dimension = ref->field->codelist;
                }
            }
        }
        for (const auto& [dim, field] : d.dimensions) {
            auto ref = resolve(field, d.where_defined);
            if (ref && ref->field->codelist != dim) {
                Report(fmt::format("{}: field {} takes codelist {}, not {}", owner, field,
                                   ref->field->codelist, dim),
                       d.where_defined);
            }
        }
        for (size_t i = 0; i < dims.size(); ++i) {
            const std::string& dim = dims[i];
            if (dim == set_share_dimension || d.dimensions.contains(dim)) {
                continue;
            }
            if (!cases::FieldForDimension(schema, *record, dim)) {
                Report(fmt::format("{}: no field of {} (or of its parent or linked record) breaks "
                                   "it down by {}; name one under derivation.dimensions",
                                   owner, d.record, dim),
                       i < dims_where.size() ? dims_where[i] : d.where_defined);
            }
        }
    }

    // Sources, legal instruments and dimensions of an indicator, against the frameworks whose
    // abbreviations it may use.
    void CheckIndicatorRefs(const Indicator& ind, const std::vector<const Framework*>& scope) {
        const std::string owner = fmt::format("indicator {}", ind.code);
        for (size_t i = 0; i < ind.disaggregations.size(); ++i) {
            CheckDimension(ind.disaggregations[i], ind.disaggregation_where[i], owner);
        }
        auto defined = [&](auto member, std::string_view abbr) {
            return std::any_of(scope.begin(), scope.end(), [&](const Framework* f) {
                return (f->*member).contains(abbr);
            });
        };
        for (const auto& src : ind.sources) {
            if (!defined(&Framework::sources, src)) {
                Report(fmt::format("{}: source {} is not defined under 'sources'", owner,
                                   core::Quoted(src)),
                       ind.where);
            }
        }
        for (const auto& ref : ind.legal_refs) {
            if (!defined(&Framework::legal_instruments, ref.instrument)) {
                Report(fmt::format("{}: legal instrument {} is not defined under "
                                   "'legal_instruments'",
                                   owner, core::Quoted(ref.instrument)),
                       ind.where);
            }
        }
        if (ind.HasKind(ValueKind::kSC3) && !ind.rubric &&
            std::none_of(scope.begin(), scope.end(),
                         [](const Framework* f) { return f->default_rubric.has_value(); })) {
            Report(fmt::format("{}: SC3 indicator without a rubric, and the framework has no "
                               "default rubric (rubrics: SC3:)",
                               owner),
                   ind.where);
        }
    }

    static bool IsNumeric(ValueKind k) {
        return k == ValueKind::kNUM || k == ValueKind::kPCT || k == ValueKind::kRATE ||
               k == ValueKind::kAMT || k == ValueKind::kMED;
    }

    // A rule applies in a country when every indicator it names is there and applicable.
    static bool Applies(const ValidationRule& rule, const EffectiveFramework& eff) {
        auto applicable = [&](const std::string& code) {
            const EffectiveIndicator* e = eff.Find(code);
            return e != nullptr && e->comparability != Comparability::kNotApplicable;
        };
        if (rule.type == RuleType::kAtMost) {
            return applicable(rule.indicator) && applicable(rule.than);
        }
        return std::all_of(rule.indicators.begin(), rule.indicators.end(), applicable);
    }

    // The measure of an indicator of `eff`, or nullptr after reporting at `where`.
    const Measure* FindMeasure(const EffectiveFramework& eff, const std::string& code,
                               const std::string& measure, std::string_view owner,
                               const Location& where, const EffectiveIndicator** found = nullptr) {
        const EffectiveIndicator* e = eff.Find(code);
        if (e == nullptr) {
            Report(fmt::format("{} names indicator {}, which {} does not have", owner,
                               core::Quoted(code), eff.id),
                   where);
            return nullptr;
        }
        if (found != nullptr) {
            *found = e;
        }
        std::string ids;
        for (const Measure& m : e->indicator.measures) {
            if (m.id == measure) {
                return &m;
            }
            ids += ids.empty() ? m.id : ", " + m.id;
        }
        Report(fmt::format("{}: indicator {} has no measure {}; its measures: {}", owner, code,
                           core::Quoted(measure), ids),
               where);
        return nullptr;
    }

    // The rules of `fw` (the last of `chain`) against `eff`, its effective framework.
    void CheckRules(const Framework& fw, const std::vector<const Framework*>& chain,
                    const EffectiveFramework& eff) {
        for (const ValidationRule& rule : fw.rules) {
            const std::string owner = fmt::format("rule {}", rule.id);
            for (size_t level = 0; level + 1 < chain.size(); ++level) {
                const auto& earlier = chain[level]->rules;
                if (std::any_of(earlier.begin(), earlier.end(),
                                [&](const ValidationRule& r) { return r.id == rule.id; })) {
                    Report(fmt::format("rule id {} is already declared by {}",
                                       core::Quoted(rule.id), chain[level]->id),
                           rule.where);
                }
            }
            if (rule.type == RuleType::kAtMost) {
                const Measure* a =
                    FindMeasure(eff, rule.indicator, rule.measure, owner, rule.where);
                const Measure* b =
                    FindMeasure(eff, rule.than, rule.than_measure, owner, rule.where);
                if (a == nullptr || b == nullptr) {
                    continue;
                }
                for (auto [code, m] : {std::pair{&rule.indicator, a}, std::pair{&rule.than, b}}) {
                    if (!IsNumeric(m->kind)) {
                        Report(fmt::format("{}: {} {} is a {} value; at_most compares numbers "
                                           "(NUM, PCT, RATE, AMT, MED)",
                                           owner, *code, m->id, Name(m->kind)),
                               rule.where);
                    }
                }
                if (IsNumeric(a->kind) && IsNumeric(b->kind) && a->kind != b->kind) {
                    Report(fmt::format("{}: compares {} {} ({}) with {} {} ({}); both must be of "
                                       "the same kind",
                                       owner, rule.indicator, a->id, Name(a->kind), rule.than,
                                       b->id, Name(b->kind)),
                           rule.where);
                }
                continue;
            }
            for (const std::string& code : rule.indicators) {
                const EffectiveIndicator* e = nullptr;
                const Measure* m = FindMeasure(eff, code, rule.measure, owner, rule.where, &e);
                if (m == nullptr) {
                    continue;
                }
                if (m->kind != ValueKind::kNUM && m->kind != ValueKind::kAMT) {
                    Report(fmt::format("{}: {} {} is a {} value; only counts (NUM) and amounts "
                                       "(AMT) add up",
                                       owner, code, m->id, Name(m->kind)),
                           rule.where);
                }
                const auto& dims = e->indicator.disaggregations;
                for (const std::string& dim : rule.dimensions) {
                    if (std::find(dims.begin(), dims.end(), dim) == dims.end()) {
                        Report(fmt::format("{}: {} is not disaggregated by {} in {}", owner, code,
                                           dim, eff.id),
                               rule.where);
                    }
                }
            }
        }
    }

    // The scoring block of a core against the core: caps and weights name its indicators.
    void CheckScoring(const Framework& core_fw, const EffectiveFramework& eff) {
        const ScoringRules& sc = core_fw.scoring;
        for (const Cap& cap : sc.caps) {
            const std::string owner = fmt::format("cap {}", cap.id);
            for (const CapCondition& c : cap.when) {
                const Measure* m = FindMeasure(eff, c.indicator, c.measure, owner, cap.where);
                if (m == nullptr) {
                    continue;
                }
                bool fits = true;
                switch (c.part) {
                    case ValuePart::kValue: break;
                    case ValuePart::kNumerator:
                    case ValuePart::kDenominator:
                        fits = m->kind == ValueKind::kPCT || m->kind == ValueKind::kRATE;
                        break;
                    case ValuePart::kN: fits = m->kind == ValueKind::kMED; break;
                }
                if (!fits) {
                    Report(fmt::format("{}: a {} value has no {} (numerator and denominator: "
                                       "PCT and RATE; n: MED)",
                                       owner, Name(m->kind), Name(c.part)),
                           cap.where);
                }
            }
        }
        for (const auto& [code, weight] : sc.weights) {
            if (eff.Find(code) == nullptr) {
                Report(fmt::format("scoring weight names indicator {}, which {} does not have",
                                   core::Quoted(code), eff.id),
                       sc.where);
            }
        }
    }

    void Apply(const Framework& fw, const std::vector<const Framework*>& chain, size_t level,
               EffectiveFramework* eff) {
        const std::vector<const Framework*> scope(chain.begin(),
                                                  chain.begin() + static_cast<long>(level) + 1);
        for (const Deviation& dev : fw.deviations) {
            auto it = std::find_if(eff->indicators.begin(), eff->indicators.end(),
                                   [&](const EffectiveIndicator& e) {
                                       return e.indicator.code == dev.indicator;
                                   });
            if (dev.type == DeviationType::kNationalIndicator) {
                if (!dev.national) {
                    continue;
                }
                if (it != eff->indicators.end()) {
                    Report(fmt::format("national indicator {} already exists in {}", dev.indicator,
                                       chain[level - 1]->id),
                           dev.where);
                    continue;
                }
                if (std::none_of(eff->areas.begin(), eff->areas.end(),
                                 [&](const Area& a) { return a.code == dev.national->area; })) {
                    Report(fmt::format("national indicator {}: area {} is not an area of the core "
                                       "framework",
                                       dev.indicator, core::Quoted(dev.national->area)),
                           dev.where);
                    continue;
                }
                CheckIndicatorRefs(*dev.national, scope);
                CheckDerivation(*dev.national, dev.national->disaggregations,
                                dev.national->disaggregation_where);
                EffectiveIndicator e;
                e.indicator = *dev.national;
                if (e.indicator.HasKind(ValueKind::kSC3) && !e.indicator.rubric) {
                    e.indicator.rubric = chain.front()->default_rubric;
                }
                e.comparability = Comparability::kNationalOnly;
                e.deviations.push_back(dev);
                eff->indicators.push_back(std::move(e));
                continue;
            }
            if (it == eff->indicators.end()) {
                Report(fmt::format("{} deviation names indicator {}, which {} does not have",
                                   Name(dev.type), core::Quoted(dev.indicator),
                                   chain[level - 1]->id),
                       dev.where);
                continue;
            }
            EffectiveIndicator& e = *it;
            if (e.comparability == Comparability::kNotApplicable) {
                Report(fmt::format("{} is already not applicable (declared by {})", dev.indicator,
                                   e.deviations.back().framework_id),
                       dev.where);
                continue;
            }
            switch (dev.type) {
                case DeviationType::kNotApplicable:
                    e.comparability = Comparability::kNotApplicable;
                    break;
                case DeviationType::kRedefined:
                    if (dev.name) {
                        e.indicator.name = *dev.name;
                    }
                    if (dev.description) {
                        e.indicator.description = *dev.description;
                    }
                    if (e.comparability == Comparability::kIdentical) {
                        e.comparability = Comparability::kAdapted;
                    }
                    break;
                case DeviationType::kExtraDisaggregation:
                    for (size_t i = 0; i < dev.dimensions.size(); ++i) {
                        const std::string& dim = dev.dimensions[i];
                        const Location& where = dev.dimension_where[i];
                        CheckDimension(dim, where, fmt::format("indicator {}", dev.indicator));
                        auto& dims = e.indicator.disaggregations;
                        if (std::find(dims.begin(), dims.end(), dim) != dims.end()) {
                            Report(fmt::format("{} is already disaggregated by {}", dev.indicator,
                                               dim),
                                   where);
                            continue;
                        }
                        dims.push_back(dim);
                        e.indicator.disaggregation_where.push_back(where);
                        e.national_dimensions.push_back(dim);
                    }
                    CheckDerivation(e.indicator, dev.dimensions, dev.dimension_where);
                    break;
                case DeviationType::kNationalIndicator:
                    break;
            }
            e.deviations.push_back(dev);
        }
    }

    const ReferenceData& data_;
    core::Diagnostics* diags_;
};

}  // namespace

const Framework* ReferenceData::FindFramework(std::string_view id, std::string_view version) const {
    const Framework* best = nullptr;
    for (const Framework& f : frameworks) {
        if (f.id != id) {
            continue;
        }
        if (!version.empty()) {
            if (f.version == version) {
                return &f;
            }
            continue;
        }
        if (best == nullptr || CompareVersions(f.version, best->version) > 0) {
            best = &f;
        }
    }
    return best;
}

Result<EffectiveFramework> ReferenceData::Resolve(std::string_view id,
                                                  std::string_view version) const {
    const Framework* fw = FindFramework(id, version);
    if (fw == nullptr) {
        return Fail(Errc::kNotFound,
                    version.empty() ? fmt::format("no framework {}", core::Quoted(id))
                                    : fmt::format("no framework {} version {}", core::Quoted(id),
                                                  version));
    }
    return Resolver(*this, nullptr).Resolve(*fw);
}

const Framework* ReferenceData::Core() const {
    std::set<std::string, std::less<>> ids;
    for (const Framework& f : frameworks) {
        if (f.kind == FrameworkKind::kCore) {
            ids.insert(f.id);
        }
    }
    if (ids.empty()) {
        return nullptr;
    }
    if (ids.size() == 1) {
        return FindFramework(*ids.begin());
    }
    return FindFramework(kRegionalCoreId);
}

Result<const Framework*> ReferenceData::NationalFrameworkOf(std::string_view country) const {
    std::set<std::string, std::less<>> ids;
    for (const Framework& f : frameworks) {
        if (f.kind != FrameworkKind::kNational || f.country != country) {
            continue;
        }
        const Framework* parent = FindFramework(f.extends, f.extends_version);
        if (parent != nullptr && parent->kind == FrameworkKind::kCore) {
            ids.insert(f.id);
        }
    }
    if (ids.empty()) {
        return Fail(Errc::kNotFound,
                    fmt::format("no national framework for country {}", core::Quoted(country)));
    }
    if (ids.size() > 1) {
        std::string list;
        for (const auto& id : ids) {
            list += list.empty() ? id : ", " + id;
        }
        return Fail(Errc::kInvalidArgument,
                    fmt::format("country {} has several national frameworks ({}); name one",
                                country, list));
    }
    return FindFramework(*ids.begin());
}

Result<EffectiveFramework> ReferenceData::ResolveForCountry(std::string_view country) const {
    if (country.empty()) {
        const Framework* core = Core();
        if (core == nullptr) {
            return Fail(Errc::kNotFound, "no core framework is loaded");
        }
        return Resolve(core->id, core->version);
    }
    const Framework* fw = RAP_TRY(NationalFrameworkOf(country));
    return Resolve(fw->id, fw->version);
}

Status ReferenceData::CheckRegion(std::string_view country, std::string_view region) const {
    // The country's own codes ("BA-SRP"), not the code for an unknown region, which says nothing
    // of where a body sits.
    const std::string prefix = fmt::format("{}-", country);
    const cases::Codelist* regions = codelists.Find(kRegionDimension);
    if (regions != nullptr && region.rfind(prefix, 0) == 0 && regions->Find(region) != nullptr &&
        regions->Allows(region, country)) {
        return Ok();
    }
    std::vector<std::string> own;
    if (regions != nullptr) {
        for (auto& code : regions->CodesFor(country)) {
            if (code.rfind(prefix, 0) == 0) {
                own.push_back(std::move(code));
            }
        }
    }
    const std::string listed = own.empty() ? "none" : fmt::format("{}", fmt::join(own, ", "));
    return Fail(Errc::kInvalidArgument,
                fmt::format("{} is not a region of {} (codelist {}); its regions: {}",
                            core::Quoted(std::string(region)), country, kRegionDimension, listed),
                Location{.field = "region"});
}

std::optional<ReferenceData> LoadReferenceData(const std::vector<SourceFile>& files,
                                               core::Diagnostics& diags, const ReferenceData* base,
                                               const FrameworkLookup& lookup) {
    const size_t errors_before = diags.size();
    ReferenceData data;
    std::vector<Framework> parsed_frameworks;
    std::vector<cases::Codelist> parsed_codelists;
    std::optional<CountrySet> parsed_countries;
    std::optional<cases::CaseSchema> parsed_schema;

    auto parse_one = [&](const SourceFile& file) {
        auto type = DetectType(file, diags);
        if (!type) {
            return;
        }
        switch (*type) {
            case FileType::kFramework:
                if (auto fw = ParseFramework(file.name, file.bytes, diags)) {
                    for (const Framework& other : parsed_frameworks) {
                        if (other.id == fw->id && other.version == fw->version) {
                            diags.Add(Errc::kInvalidArgument,
                                      fmt::format("framework {} {} is also defined in {}", fw->id,
                                                  fw->version, other.source_file),
                                      Location{.file = file.name, .line = 1, .column = 1});
                            return;
                        }
                    }
                    parsed_frameworks.push_back(std::move(*fw));
                }
                break;
            case FileType::kCodelist:
                if (auto list = cases::ParseCodelist(file.name, file.bytes, diags)) {
                    parsed_codelists.push_back(std::move(*list));
                }
                break;
            case FileType::kCountries:
                if (parsed_countries) {
                    diags.Add(Errc::kInvalidArgument,
                              fmt::format("a second countries file; the first is {}",
                                          parsed_countries->source_file),
                              Location{.file = file.name, .line = 1, .column = 1});
                    return;
                }
                parsed_countries = ParseCountries(file.name, file.bytes, diags);
                break;
            case FileType::kCaseSchema:
                if (parsed_schema) {
                    diags.Add(Errc::kInvalidArgument,
                              fmt::format("a second case-record schema; the first is {}",
                                          parsed_schema->source_file),
                              Location{.file = file.name, .line = 1, .column = 1});
                    return;
                }
                parsed_schema = cases::ParseCaseSchema(file.name, file.bytes, diags);
                break;
        }
    };
    for (const SourceFile& file : files) {
        parse_one(file);
    }
    // Frameworks named by `extends` that neither the files nor the base define: ask the lookup.
    if (lookup) {
        std::set<std::string> asked;
        for (size_t i = 0; i < parsed_frameworks.size(); ++i) {
            const Framework fw = parsed_frameworks[i];  // copy: parse_one may reallocate
            if (fw.kind != FrameworkKind::kNational || asked.contains(fw.extends)) {
                continue;
            }
            const bool known =
                std::any_of(parsed_frameworks.begin(), parsed_frameworks.end(),
                            [&](const Framework& f) { return f.id == fw.extends; }) ||
                (base != nullptr && base->FindFramework(fw.extends) != nullptr);
            asked.insert(fw.extends);
            if (!known) {
                if (auto extra = lookup(fw.extends, fw.source_file)) {
                    parse_one(*extra);
                }
            }
        }
    }

    // Merge: base first, then what the files replace or add.
    if (base != nullptr) {
        for (const auto& [dim, list] : base->codelists.all()) {
            const bool replaced = std::any_of(parsed_codelists.begin(), parsed_codelists.end(),
                                              [&](const auto& l) { return l.dimension == dim; });
            if (!replaced) {
                data.codelists.Add(list, diags);
            }
        }
        data.countries = base->countries;
        data.case_schema = base->case_schema;
        for (const Framework& f : base->frameworks) {
            const bool replaced =
                std::any_of(parsed_frameworks.begin(), parsed_frameworks.end(),
                            [&](const auto& p) { return p.id == f.id && p.version == f.version; });
            if (!replaced) {
                data.frameworks.push_back(f);
            }
        }
    }
    for (auto& list : parsed_codelists) {
        data.codelists.Add(std::move(list), diags);
    }
    if (parsed_countries) {
        data.countries = std::move(parsed_countries);
    }
    if (parsed_schema) {
        data.case_schema = std::move(parsed_schema);
    }
    if (data.case_schema) {
        cases::CheckCaseSchema(*data.case_schema, data.codelists, diags);
    }
    // A region with days off of its own is a region (REG code) of its country.
    if (data.countries && data.codelists.Find(kRegionDimension) != nullptr) {
        for (const Country& c : data.countries->countries) {
            for (const auto& [code, where] : c.regional_where) {
                if (auto ok = data.CheckRegion(c.code, code); !ok) {
                    diags.Add(Errc::kInvalidArgument,
                              fmt::format("{} public_holidays regional: {}", c.code,
                                          ok.error().message),
                              where);
                }
            }
        }
    }
    for (auto& fw : parsed_frameworks) {
        data.frameworks.push_back(std::move(fw));
    }
    Resolver resolver(data, &diags);
    // Every framework, not only the new ones: a replaced codelist can break a shipped one.
    for (const Framework& f : data.frameworks) {
        resolver.Check(f);
    }
    if (diags.size() != errors_before) {
        return std::nullopt;
    }
    return data;
}

}  // namespace rap::framework
