// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cases/schema.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace rap::cases {
namespace {

using rap::testing::Replace;

const std::string kMini = R"(schema: rapporteur/case-records@1
version: "1.0.0"
name: {en: Test records}
records:
  - id: victim
    sheet: victims
    name: {en: Victim}
    key: [case_id]
    fields:
      - {name: case_id, type: id, required: true}
      - {name: country, type: country, required: true}
      - {name: year, type: year, required: true}
      - {name: sex, type: code, codelist: SEX, required: true}
      - {name: forms, type: codes, codelist: FORM}
      - {name: days, type: integer, min: 0, max: 3650}
  - id: link
    sheet: links
    name: {en: Link}
    key: [link_id]
    parent: {record: victim, field: case_id}
    fields:
      - {name: link_id, type: id, required: true}
      - {name: case_id, type: id, required: true}
)";

std::string Problems(const std::string& text) {
    core::Diagnostics diags;
    auto schema = ParseCaseSchema("s.yaml", text, diags);
    EXPECT_EQ(schema.has_value(), diags.empty());
    return diags.ToString();
}

TEST(CaseSchema, ParsesRecordsFieldsAndReferences) {
    core::Diagnostics diags;
    auto schema = ParseCaseSchema("s.yaml", kMini, diags);
    ASSERT_TRUE(schema) << diags.ToString();
    ASSERT_EQ(schema->records.size(), 2U);
    const RecordDef* victim = schema->Find("victim");
    ASSERT_NE(victim, nullptr);
    EXPECT_EQ(victim->Field("forms")->type, FieldType::kCodes);
    EXPECT_EQ(victim->Field("days")->max, 3650);
    EXPECT_EQ(schema->FindBySheet("LINKS")->id, "link");
    EXPECT_EQ(schema->Find("link")->parent->record, "victim");
}

TEST(CaseSchemaBadInput, EachProblemIsNamed) {
    EXPECT_NE(Problems(Replace(kMini, "type: codes", "type: multi")).find(
                  "victim.forms: unknown field type 'multi'"),
              std::string::npos);
    EXPECT_NE(Problems(Replace(kMini, ", codelist: SEX", "")).find(
                  "victim.sex: code fields need a 'codelist'"),
              std::string::npos);
    EXPECT_NE(Problems(Replace(kMini, "min: 0, max: 3650", "min: 0")).find(
                  "integer fields need 'min' and 'max'"),
              std::string::npos);
    EXPECT_NE(Problems(Replace(kMini, "key: [case_id]", "key: [sex]")).find(
                  "key field 'sex' must be a required id field"),
              std::string::npos);
    EXPECT_NE(Problems(Replace(kMini, "record: victim", "record: claim")).find(
                  "parent record 'claim' must be defined before it"),
              std::string::npos);
    EXPECT_NE(Problems(Replace(kMini, "      - {name: year, type: year, required: true}\n", ""))
                  .find("a record without a parent needs a required year field"),
              std::string::npos);
}

TEST(CaseSchemaBadInput, UnknownCodelist) {
    core::Diagnostics diags;
    auto schema = ParseCaseSchema("s.yaml", kMini, diags);
    ASSERT_TRUE(schema);
    CodelistSet lists;
    lists.Add(*ParseCodelist("sex.yaml", testing::MiniCodelistSex(), diags), diags);
    CheckCaseSchema(*schema, lists, diags);
    ASSERT_EQ(diags.errors().size(), 1U);
    EXPECT_EQ(diags.errors()[0].ToString(), "s.yaml:14:9: victim.forms: codelist FORM is not loaded");
}

}  // namespace
}  // namespace rap::cases
