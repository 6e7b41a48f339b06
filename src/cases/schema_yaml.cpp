// SPDX-License-Identifier: AGPL-3.0-or-later
// Loader for the case-record schema file.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "cases/schema.hpp"
#include "core/files.hpp"
#include "core/yaml_reader.hpp"

namespace rap::cases {

namespace {

constexpr std::string_view kSchema = "rapporteur/case-records@1";

constexpr std::array kFieldTypes = {FieldType::kId,     FieldType::kCountry, FieldType::kYear,
                                    FieldType::kMonth,  FieldType::kInteger, FieldType::kAmount,
                                    FieldType::kBool,   FieldType::kCode,    FieldType::kCodes};

bool IsFieldName(std::string_view s) {
    return !s.empty() && s.size() <= 63 && s[0] >= 'a' && s[0] <= 'z' &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
           });
}

std::optional<RecordRef> ParseRef(core::YamlReader& r, const YAML::Node& node,
                                  std::string_view what) {
    if (!r.CheckMap(node, what, {"record", "field"}, {})) {
        return std::nullopt;
    }
    auto record = r.String(node, "record");
    auto field = r.String(node, "field");
    if (!record || !field) {
        return std::nullopt;
    }
    return RecordRef{*record, *field};
}

std::optional<FieldDef> ParseField(core::YamlReader& r, const YAML::Node& node,
                                   const std::string& record) {
    if (!r.CheckMap(node, fmt::format("{} field", record), {"name", "type"},
                    {"required", "codelist", "min", "max", "description"})) {
        return std::nullopt;
    }
    FieldDef f;
    f.where = r.At(node);
    f.name = r.String(node, "name").value_or("");
    if (!IsFieldName(f.name)) {
        r.Report(node["name"], fmt::format("{}: field name {} must be lower-case letters, digits "
                                           "or '_'",
                                           record, core::Quoted(f.name)));
        return std::nullopt;
    }
    const std::string what = fmt::format("{}.{}", record, f.name);
    auto type = r.String(node, "type");
    if (!type) {
        return std::nullopt;
    }
    auto it = std::find_if(kFieldTypes.begin(), kFieldTypes.end(),
                           [&](FieldType t) { return Name(t) == *type; });
    if (it == kFieldTypes.end()) {
        r.Report(node["type"], fmt::format("{}: unknown field type {}; expected one of: id, "
                                           "country, year, month, integer, amount, bool, code, "
                                           "codes",
                                           what, core::Quoted(*type)));
        return std::nullopt;
    }
    f.type = *it;
    if (core::YamlReader::Has(node, "required")) {
        f.required = r.Bool(node, "required").value_or(false);
    }
    const bool coded = f.type == FieldType::kCode || f.type == FieldType::kCodes;
    if (coded != core::YamlReader::Has(node, "codelist")) {
        r.Report(node, fmt::format("{}: {} fields {} a 'codelist'", what, Name(f.type),
                                   coded ? "need" : "take no"));
    } else if (coded) {
        f.codelist = r.String(node, "codelist").value_or("");
    }
    const bool integer = f.type == FieldType::kInteger;
    if (integer != (core::YamlReader::Has(node, "min") && core::YamlReader::Has(node, "max"))) {
        r.Report(node, fmt::format("{}: {}", what,
                                   integer ? "integer fields need 'min' and 'max'"
                                           : "only integer fields take 'min' and 'max'"));
    } else if (integer) {
        f.min = r.Integer(node, "min", -1'000'000'000, 1'000'000'000).value_or(0);
        f.max = r.Integer(node, "max", -1'000'000'000, 1'000'000'000).value_or(0);
        if (f.min > f.max) {
            r.Report(node["min"], fmt::format("{}: min is above max", what));
        }
    }
    if (core::YamlReader::Has(node, "description")) {
        f.description = r.Text(node, "description").value_or(core::LocalizedText());
    }
    return f;
}

}  // namespace

std::optional<CaseSchema> ParseCaseSchema(const std::string& file, std::string_view bytes,
                                          core::Diagnostics& diags) {
    const size_t errors_before = diags.size();
    core::YamlReader r(file, diags);
    auto root = r.Parse(bytes);
    if (!root) {
        return std::nullopt;
    }
    if (!r.CheckMap(*root, "case-record schema", {"schema", "version", "name", "records"},
                    {"description"})) {
        return std::nullopt;
    }
    if (!r.CheckSchema(*root, kSchema, "a case-record schema")) {
        return std::nullopt;
    }
    CaseSchema out;
    out.source_file = file;
    out.source_text = std::string(core::StripBom(bytes));
    out.sha256 = core::Sha256Hex(out.source_text);
    out.version = r.String(*root, "version").value_or("");
    out.name = r.Text(*root, "name").value_or(core::LocalizedText());
    if (core::YamlReader::Has(*root, "description")) {
        out.description = r.Text(*root, "description").value_or(core::LocalizedText());
    }
    const YAML::Node records = (*root)["records"];
    if (!records.IsDefined() || !r.CheckSeq(records, "'records'")) {
        return std::nullopt;
    }
    for (const auto& node : records) {
        if (!r.CheckMap(node, "record", {"id", "sheet", "name", "key", "fields"},
                        {"description", "parent", "link"})) {
            continue;
        }
        RecordDef rec;
        rec.id = r.String(node, "id").value_or("");
        if (!IsFieldName(rec.id) || out.Find(rec.id) != nullptr) {
            r.Report(node["id"], fmt::format("record id {} is invalid or repeated",
                                             core::Quoted(rec.id)));
            continue;
        }
        rec.sheet = r.String(node, "sheet").value_or(rec.id);
        rec.name = r.Text(node, "name").value_or(core::LocalizedText());
        if (core::YamlReader::Has(node, "description")) {
            rec.description = r.Text(node, "description").value_or(core::LocalizedText());
        }
        const YAML::Node fields = node["fields"];
        if (r.CheckSeq(fields, fmt::format("{} fields", rec.id))) {
            for (const auto& f : fields) {
                auto field = ParseField(r, f, rec.id);
                if (!field) {
                    continue;
                }
                if (rec.Field(field->name) != nullptr) {
                    r.Report(f["name"], fmt::format("{}: field {} defined twice", rec.id,
                                                    field->name));
                    continue;
                }
                rec.fields.push_back(std::move(*field));
            }
        }
        if (auto key = r.StringList(node, "key")) {
            for (auto& [name, knode] : *key) {
                const FieldDef* f = rec.Field(name);
                if (f == nullptr || f->type != FieldType::kId || !f->required) {
                    r.Report(knode, fmt::format("{}: key field {} must be a required id field",
                                                rec.id, core::Quoted(name)));
                }
                rec.key.push_back(name);
            }
        }
        for (auto [key, slot] : {std::pair{"parent", &rec.parent}, std::pair{"link", &rec.link}}) {
            if (!core::YamlReader::Has(node, key)) {
                continue;
            }
            *slot = ParseRef(r, node[key], fmt::format("{} {}", rec.id, key));
            if (!*slot) {
                continue;
            }
            const RecordDef* other = out.Find((*slot)->record);
            const FieldDef* field = rec.Field((*slot)->field);
            if (other == nullptr) {
                r.Report(node[key], fmt::format("{}: {} record {} must be defined before it",
                                                rec.id, key, core::Quoted((*slot)->record)));
            } else if (field == nullptr || other->key.size() != 1 ||
                       other->key[0] != (*slot)->field) {
                r.Report(node[key], fmt::format("{}: {} field {} must be a field of {} holding "
                                                "the key of {}",
                                                rec.id, key, core::Quoted((*slot)->field), rec.id,
                                                (*slot)->record));
            }
        }
        // Records without a parent carry their own country and year.
        if (!rec.parent) {
            for (auto [name, type] : {std::pair{"country", FieldType::kCountry},
                                      std::pair{"year", FieldType::kYear}}) {
                const FieldDef* f = rec.Field(name);
                if (f == nullptr || f->type != type || !f->required) {
                    r.Report(node, fmt::format("{}: a record without a parent needs a required "
                                               "{} field of type {}",
                                               rec.id, name, Name(type)));
                }
            }
        }
        out.records.push_back(std::move(rec));
    }
    if (diags.size() != errors_before) {
        return std::nullopt;
    }
    return out;
}

}  // namespace rap::cases
