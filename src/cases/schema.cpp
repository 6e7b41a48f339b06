// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cases/schema.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace rap::cases {

std::string_view Name(FieldType type) {
    switch (type) {
        case FieldType::kId: return "id";
        case FieldType::kCountry: return "country";
        case FieldType::kYear: return "year";
        case FieldType::kMonth: return "month";
        case FieldType::kInteger: return "integer";
        case FieldType::kAmount: return "amount";
        case FieldType::kBool: return "bool";
        case FieldType::kCode: return "code";
        case FieldType::kCodes: return "codes";
    }
    return "";
}

int RecordDef::FieldIndex(std::string_view field_name) const {
    for (size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name == field_name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

const FieldDef* RecordDef::Field(std::string_view field_name) const {
    const int i = FieldIndex(field_name);
    return i < 0 ? nullptr : &fields[static_cast<size_t>(i)];
}

const RecordDef* CaseSchema::Find(std::string_view id) const {
    auto it = std::find_if(records.begin(), records.end(),
                           [&](const RecordDef& r) { return r.id == id; });
    return it == records.end() ? nullptr : &*it;
}

const RecordDef* CaseSchema::FindBySheet(std::string_view sheet_name) const {
    auto lower = [](std::string_view s) {
        std::string out(s);
        std::transform(out.begin(), out.end(), out.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return out;
    };
    const std::string wanted = lower(sheet_name);
    for (const auto& r : records) {
        if (lower(r.sheet) == wanted || lower(r.id) == wanted) {
            return &r;
        }
    }
    return nullptr;
}

std::optional<FieldRef> ResolveField(const CaseSchema& schema, const RecordDef& record,
                                     std::string_view name) {
    const size_t dot = name.find('.');
    if (dot == std::string_view::npos) {
        const FieldDef* f = record.Field(name);
        if (f == nullptr) {
            return std::nullopt;
        }
        return FieldRef{FieldRef::Via::kSelf, &record, f, std::string(name)};
    }
    const std::string_view owner = name.substr(0, dot);
    const std::string_view field = name.substr(dot + 1);
    for (auto [ref, via] : {std::pair{&record.parent, FieldRef::Via::kParent},
                            std::pair{&record.link, FieldRef::Via::kLink}}) {
        if (*ref && (*ref)->record == owner) {
            const RecordDef* other = schema.Find(owner);
            const FieldDef* f = other == nullptr ? nullptr : other->Field(field);
            if (f == nullptr) {
                return std::nullopt;
            }
            return FieldRef{via, other, f, std::string(name)};
        }
    }
    return std::nullopt;
}

std::optional<FieldRef> FieldForDimension(const CaseSchema& schema, const RecordDef& record,
                                          std::string_view dimension) {
    // A single-valued field wins over a set field of the same codelist (identified_by over
    // known_to); two candidates of the same kind are ambiguous.
    auto find_in = [&](const RecordDef& r, FieldRef::Via via,
                       const std::string& prefix) -> std::optional<FieldRef> {
        std::vector<const FieldDef*> single;
        std::vector<const FieldDef*> sets;
        for (const auto& f : r.fields) {
            if (f.codelist == dimension) {
                (f.type == FieldType::kCode ? single : sets).push_back(&f);
            }
        }
        const auto& pick = single.empty() ? sets : single;
        if (pick.size() != 1) {
            return std::nullopt;
        }
        return FieldRef{via, &r, pick[0], prefix + pick[0]->name};
    };
    if (auto own = find_in(record, FieldRef::Via::kSelf, "")) {
        return own;
    }
    for (auto [ref, via] : {std::pair{&record.parent, FieldRef::Via::kParent},
                            std::pair{&record.link, FieldRef::Via::kLink}}) {
        if (!*ref) {
            continue;
        }
        const RecordDef* other = schema.Find((*ref)->record);
        if (other != nullptr) {
            if (auto f = find_in(*other, via, (*ref)->record + ".")) {
                return f;
            }
        }
    }
    return std::nullopt;
}

void CheckCaseSchema(const CaseSchema& schema, const CodelistSet& codelists,
                     core::Diagnostics& diags) {
    for (const auto& record : schema.records) {
        for (const auto& field : record.fields) {
            if (field.type != FieldType::kCode && field.type != FieldType::kCodes) {
                continue;
            }
            const Codelist* list = codelists.Find(field.codelist);
            if (list == nullptr) {
                diags.Add(Errc::kInvalidArgument,
                          fmt::format("{}.{}: codelist {} is not loaded", record.id, field.name,
                                      field.codelist),
                          field.where);
            } else if (field.type == FieldType::kCodes && list->codes.size() > 63) {
                diags.Add(Errc::kInvalidArgument,
                          fmt::format("{}.{}: a set field can take a codelist of at most 63 "
                                      "codes; {} has {}",
                                      record.id, field.name, field.codelist, list->codes.size()),
                          field.where);
            }
        }
    }
}

}  // namespace rap::cases
