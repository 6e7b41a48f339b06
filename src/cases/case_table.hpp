// SPDX-License-Identifier: AGPL-3.0-or-later
// Case records in memory: one CaseTable per record type, one typed column per field. Imports
// convert text cells into it (case_import.hpp), the store persists it, the engine reads it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "cases/codelist.hpp"
#include "cases/schema.hpp"
#include "core/result.hpp"

namespace rap::cases {

// Sentinels for "not recorded".
inline constexpr int64_t kNullNumber = std::numeric_limits<int64_t>::min();
inline constexpr int32_t kNullCode = -1;
inline constexpr uint64_t kNullSet = ~uint64_t{0};
inline constexpr int8_t kNullFlag = -1;
// A set field may take codes from a codelist of at most this many codes (one bit each).
inline constexpr size_t kMaxSetCodes = 63;

// Months are kept as a count: year * 12 + (month - 1).
inline int64_t MonthIndex(int year, int month) { return int64_t{year} * 12 + (month - 1); }
std::string MonthText(int64_t index);  // "2024-03"

// One field's values for every row of a table.
struct Column {
    const FieldDef* field = nullptr;
    const Codelist* codelist = nullptr;  // kCode / kCodes
    std::vector<std::string> text;       // kId, kCountry (country code)
    std::vector<int32_t> code;           // kCode: index into codelist->codes
    std::vector<uint64_t> set;           // kCodes: bit i = codelist->codes[i]
    std::vector<int64_t> number;         // kYear, kMonth (MonthIndex), kInteger, kAmount (cents)
    std::vector<int8_t> flag;            // kBool: 0 no, 1 yes

    bool IsNull(size_t row) const;
    // The value as it is written in files and stored as text: codes, "a;b" for sets, "2024-03",
    // "12.50" for amounts, "yes"/"no", "" when not recorded.
    std::string Text(size_t row) const;
    void Reserve(size_t rows);
    void AppendNull();
    void CopyRow(const Column& from, size_t row);
};

class CaseTable {
public:
    CaseTable() = default;
    // An empty table for a record type; codelists must outlive the table.
    CaseTable(const RecordDef& record, const CodelistSet& codelists);
    CaseTable(const CaseTable& other);
    CaseTable& operator=(const CaseTable& other);
    CaseTable(CaseTable&& other) noexcept;
    CaseTable& operator=(CaseTable&& other) noexcept;
    ~CaseTable() = default;

    const RecordDef& record() const { return *record_; }
    size_t rows() const { return rows_; }
    const Column& column(size_t i) const { return columns_[i]; }
    Column& column(size_t i) { return columns_[i]; }
    const std::vector<Column>& columns() const { return columns_; }
    // REQUIRES: the record has the field.
    const Column& column(std::string_view field) const;

    // The key of a row as one string (parts joined by '\x1f').
    std::string Key(size_t row) const;
    // The key of a row without copying, for single-field keys (every record type but
    // proceeding_victim); REQUIRES: record().key.size() == 1.
    std::string_view KeyView(size_t row) const { return key_column_->text[row]; }
    bool single_key() const { return key_column_ != nullptr; }

    // Appends a row copied from another table of the same record type.
    void AppendRow(const CaseTable& from, size_t row);
    // Appends the given rows of another table of the same record type (column by column).
    void AppendRows(const CaseTable& from, const std::vector<uint32_t>& rows);
    // Appends every row of another table of the same record type, taking its data (`from` is
    // left empty), with where each row came from.
    void Append(CaseTable&& from);
    // Moves rows of this table to the end of other tables of the same record type: each
    // destination gets the given rows, in that order. Column by column, each column released as
    // soon as it is handed out, so that the rows are never held twice; this table is left empty.
    struct Destination {
        CaseTable* table = nullptr;
        const std::vector<uint32_t>* rows = nullptr;
    };
    void Distribute(const std::vector<Destination>& to);
    // Room for this many rows in every column.
    void Reserve(size_t rows);
    // Called after the columns of one more row were appended directly.
    void CommitRow() { ++rows_; }
    // Returns spare capacity of the columns to the allocator (after reading a file).
    void ShrinkToFit();

    // Where a row came from, for messages: "" and 0 when unknown (generated or stored rows).
    void SetSource(size_t row, uint32_t file, long source_row);
    uint32_t AddSourceFile(std::string file);
    std::string_view SourceFile(size_t row) const;
    long SourceRow(size_t row) const;
    void CopySource(const CaseTable& from, size_t from_row, size_t to_row);
    // Adds `by` to the source row of every row that has one (a part of a file read on its own
    // numbers its rows from 1).
    void OffsetSourceRows(long by);

private:
    void RebindKey();

    const RecordDef* record_ = nullptr;
    const Column* key_column_ = nullptr;
    std::vector<Column> columns_;
    size_t rows_ = 0;
    std::vector<std::string> source_files_;
    std::vector<uint32_t> source_file_;  // per row: index + 1 into source_files_, 0 unknown
    std::vector<long> source_row_;
};

// Whether row `row_a` of `a` and row `row_b` of `b` (tables of the same record type, with the
// same codelists) hold the same value in every field.
bool SameRow(const CaseTable& a, size_t row_a, const CaseTable& b, size_t row_b);

// Compact binary form of a table (the store keeps one per record type, country and year so that
// the engine loads a million records in well under a second). Self-describing: codes are stored
// as text dictionaries, so a reordered codelist cannot change meaning.
std::string Serialize(const CaseTable& table);
// kDataLoss on a corrupt payload; kFailedPrecondition when a stored code is no longer in its
// codelist (the codelist changed incompatibly).
Result<CaseTable> Deserialize(std::string_view payload, const RecordDef& record,
                              const CodelistSet& codelists);
// Only the keys of a snapshot's rows (as CaseTable::Key gives them), skipping every other column:
// what finding the partition of a stored record needs.
Result<std::vector<std::string>> ReadKeys(std::string_view payload, const RecordDef& record);

}  // namespace rap::cases
