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

void CheckCaseSchema(const CaseSchema& schema, const CodelistSet& codelists,
                     core::Diagnostics& diags) {
    for (const auto& record : schema.records) {
        for (const auto& field : record.fields) {
            if ((field.type == FieldType::kCode || field.type == FieldType::kCodes) &&
                codelists.Find(field.codelist) == nullptr) {
                diags.Add(Errc::kInvalidArgument,
                          fmt::format("{}.{}: codelist {} is not loaded", record.id, field.name,
                                      field.codelist),
                          field.where);
            }
        }
    }
}

}  // namespace rap::cases
