// SPDX-License-Identifier: AGPL-3.0-or-later
// The case-record schema (data/schemas/case-records.yaml): record types, their fields and the
// codelist each coded field takes. Importers, templates, the store and the engine all read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/codelist.hpp"
#include "core/diagnostics.hpp"
#include "core/text.hpp"

namespace rap::cases {

enum class FieldType {
    kId,       // pseudonymous identifier: 1-64 of [A-Za-z0-9._-]
    kCountry,  // ISO 3166-1 alpha-2 of a configured country
    kYear,     // 2000-2100
    kMonth,    // YYYY-MM
    kInteger,  // whole number within [min, max]
    kAmount,   // non-negative decimal, at most 2 decimals (EUR)
    kBool,     // yes / no (empty: not recorded)
    kCode,     // one code of `codelist`
    kCodes,    // a set of codes of `codelist`, separated by ';' (empty set: "none")
};
std::string_view Name(FieldType type);

struct FieldDef {
    std::string name;
    FieldType type = FieldType::kId;
    bool required = false;
    std::string codelist;  // kCode / kCodes
    long long min = 0;     // kInteger
    long long max = 0;     // kInteger
    core::LocalizedText description;
    Location where;  // in the schema file
};

struct RecordRef {
    std::string record;  // record type id
    std::string field;   // the field of this record that holds the other record's key
};

struct RecordDef {
    std::string id;     // "victim"
    std::string sheet;  // XLSX sheet / CSV file stem: "victims"
    core::LocalizedText name;
    core::LocalizedText description;
    std::vector<std::string> key;   // field names forming the key
    std::optional<RecordRef> parent;  // child records take country and year from their parent
    std::optional<RecordRef> link;    // another record this one refers to (must exist)
    std::vector<FieldDef> fields;

    // Index of a field, or -1.
    int FieldIndex(std::string_view field_name) const;
    const FieldDef* Field(std::string_view field_name) const;
};

struct CaseSchema {
    std::string version;
    core::LocalizedText name;
    core::LocalizedText description;
    std::vector<RecordDef> records;  // parents before children
    std::string source_file;
    std::string source_text;
    std::string sha256;

    const RecordDef* Find(std::string_view id) const;
    // The record type whose sheet (or id) is `name`, case-insensitively.
    const RecordDef* FindBySheet(std::string_view sheet_name) const;
};

// A field as a derivation names it: its own ("sex"), or its parent's or linked record's
// ("proceeding.forms", "victim.sex").
struct FieldRef {
    enum class Via { kSelf, kParent, kLink };
    Via via = Via::kSelf;
    const RecordDef* owner = nullptr;  // the record that holds the field
    const FieldDef* field = nullptr;
    std::string name;  // as written
};

// Resolves `name` for a record; nullopt when no such field is reachable.
std::optional<FieldRef> ResolveField(const CaseSchema& schema, const RecordDef& record,
                                     std::string_view name);

// The field that breaks a record down by a dimension: the record's own field whose codelist is
// `dimension`, else its parent's, else its linked record's. nullopt when none or ambiguous.
std::optional<FieldRef> FieldForDimension(const CaseSchema& schema, const RecordDef& record,
                                          std::string_view dimension);

// Parses `schema: rapporteur/case-records@1` and checks it on its own. Codelist references are
// checked by CheckCaseSchema.
std::optional<CaseSchema> ParseCaseSchema(const std::string& file, std::string_view bytes,
                                          core::Diagnostics& diags);

// Every codelist the schema names exists.
void CheckCaseSchema(const CaseSchema& schema, const CodelistSet& codelists,
                     core::Diagnostics& diags);

}  // namespace rap::cases
