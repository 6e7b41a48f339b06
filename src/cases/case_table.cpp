// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cases/case_table.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "core/binary.hpp"

namespace rap::cases {

std::string MonthText(int64_t index) {
    return fmt::format("{:04}-{:02}", index / 12, index % 12 + 1);
}

bool Column::IsNull(size_t row) const {
    switch (field->type) {
        case FieldType::kId:
        case FieldType::kCountry: return text[row].empty();
        case FieldType::kCode: return code[row] == kNullCode;
        case FieldType::kCodes: return set[row] == kNullSet;
        case FieldType::kBool: return flag[row] == kNullFlag;
        case FieldType::kYear:
        case FieldType::kMonth:
        case FieldType::kInteger:
        case FieldType::kAmount: return number[row] == kNullNumber;
    }
    return true;
}

bool SameRow(const CaseTable& a, size_t row_a, const CaseTable& b, size_t row_b) {
    for (size_t i = 0; i < a.columns().size(); ++i) {
        const Column& x = a.column(i);
        const Column& y = b.column(i);
        bool same = true;
        switch (x.field->type) {
            case FieldType::kId:
            case FieldType::kCountry: same = x.text[row_a] == y.text[row_b]; break;
            case FieldType::kCode: same = x.code[row_a] == y.code[row_b]; break;
            case FieldType::kCodes: same = x.set[row_a] == y.set[row_b]; break;
            case FieldType::kBool: same = x.flag[row_a] == y.flag[row_b]; break;
            case FieldType::kYear:
            case FieldType::kMonth:
            case FieldType::kInteger:
            case FieldType::kAmount: same = x.number[row_a] == y.number[row_b]; break;
        }
        if (!same) {
            return false;
        }
    }
    return true;
}

std::string Column::Text(size_t row) const {
    if (IsNull(row)) {
        return {};
    }
    switch (field->type) {
        case FieldType::kId:
        case FieldType::kCountry: return text[row];
        case FieldType::kCode: return codelist->codes[static_cast<size_t>(code[row])].code;
        case FieldType::kCodes: {
            std::string out;
            for (size_t bit = 0; bit < codelist->codes.size(); ++bit) {
                if ((set[row] >> bit) & 1U) {
                    out += out.empty() ? "" : ";";
                    out += codelist->codes[bit].code;
                }
            }
            return out.empty() ? "none" : out;
        }
        case FieldType::kBool: return flag[row] != 0 ? "yes" : "no";
        case FieldType::kYear:
        case FieldType::kInteger: return std::to_string(number[row]);
        case FieldType::kMonth: return MonthText(number[row]);
        case FieldType::kAmount:
            return fmt::format("{}.{:02}", number[row] / 100, number[row] % 100);
    }
    return {};
}

void Column::Reserve(size_t rows) {
    switch (field->type) {
        case FieldType::kId:
        case FieldType::kCountry: text.reserve(rows); break;
        case FieldType::kCode: code.reserve(rows); break;
        case FieldType::kCodes: set.reserve(rows); break;
        case FieldType::kBool: flag.reserve(rows); break;
        default: number.reserve(rows); break;
    }
}

void Column::AppendNull() {
    switch (field->type) {
        case FieldType::kId:
        case FieldType::kCountry: text.emplace_back(); break;
        case FieldType::kCode: code.push_back(kNullCode); break;
        case FieldType::kCodes: set.push_back(kNullSet); break;
        case FieldType::kBool: flag.push_back(kNullFlag); break;
        default: number.push_back(kNullNumber); break;
    }
}

void Column::CopyRow(const Column& from, size_t row) {
    switch (field->type) {
        case FieldType::kId:
        case FieldType::kCountry: text.push_back(from.text[row]); break;
        case FieldType::kCode: code.push_back(from.code[row]); break;
        case FieldType::kCodes: set.push_back(from.set[row]); break;
        case FieldType::kBool: flag.push_back(from.flag[row]); break;
        default: number.push_back(from.number[row]); break;
    }
}

CaseTable::CaseTable(const RecordDef& record, const CodelistSet& codelists) : record_(&record) {
    columns_.resize(record.fields.size());
    for (size_t i = 0; i < record.fields.size(); ++i) {
        columns_[i].field = &record.fields[i];
        if (!record.fields[i].codelist.empty()) {
            columns_[i].codelist = codelists.Find(record.fields[i].codelist);
        }
    }
    if (record.key.size() == 1) {
        key_column_ = &columns_[static_cast<size_t>(record.FieldIndex(record.key[0]))];
    }
}

CaseTable::CaseTable(const CaseTable& other)
    : record_(other.record_)
    , columns_(other.columns_)
    , rows_(other.rows_)
    , source_files_(other.source_files_)
    , source_file_(other.source_file_)
    , source_row_(other.source_row_) {
    RebindKey();
}

CaseTable& CaseTable::operator=(const CaseTable& other) {
    if (this != &other) {
        record_ = other.record_;
        columns_ = other.columns_;
        rows_ = other.rows_;
        source_files_ = other.source_files_;
        source_file_ = other.source_file_;
        source_row_ = other.source_row_;
        RebindKey();
    }
    return *this;
}

CaseTable::CaseTable(CaseTable&& other) noexcept
    : record_(other.record_)
    , columns_(std::move(other.columns_))
    , rows_(other.rows_)
    , source_files_(std::move(other.source_files_))
    , source_file_(std::move(other.source_file_))
    , source_row_(std::move(other.source_row_)) {
    RebindKey();
}

CaseTable& CaseTable::operator=(CaseTable&& other) noexcept {
    if (this != &other) {
        record_ = other.record_;
        columns_ = std::move(other.columns_);
        rows_ = other.rows_;
        source_files_ = std::move(other.source_files_);
        source_file_ = std::move(other.source_file_);
        source_row_ = std::move(other.source_row_);
        RebindKey();
    }
    return *this;
}

void CaseTable::RebindKey() {
    key_column_ = nullptr;
    if (record_ != nullptr && record_->key.size() == 1) {
        key_column_ = &columns_[static_cast<size_t>(record_->FieldIndex(record_->key[0]))];
    }
}

void CaseTable::ShrinkToFit() {
    for (Column& c : columns_) {
        c.text.shrink_to_fit();
        c.code.shrink_to_fit();
        c.set.shrink_to_fit();
        c.number.shrink_to_fit();
        c.flag.shrink_to_fit();
    }
    source_file_.shrink_to_fit();
    source_row_.shrink_to_fit();
}

uint32_t CaseTable::AddSourceFile(std::string file) {
    for (size_t i = 0; i < source_files_.size(); ++i) {
        if (source_files_[i] == file) {
            return static_cast<uint32_t>(i + 1);
        }
    }
    source_files_.push_back(std::move(file));
    return static_cast<uint32_t>(source_files_.size());
}

void CaseTable::SetSource(size_t row, uint32_t file, long source_row) {
    if (source_file_.size() <= row) {
        source_file_.resize(row + 1, 0);
        source_row_.resize(row + 1, 0);
    }
    source_file_[row] = file;
    source_row_[row] = source_row;
}

std::string_view CaseTable::SourceFile(size_t row) const {
    if (row >= source_file_.size() || source_file_[row] == 0) {
        return {};
    }
    return source_files_[source_file_[row] - 1];
}

long CaseTable::SourceRow(size_t row) const {
    return row < source_row_.size() ? source_row_[row] : 0;
}

void CaseTable::CopySource(const CaseTable& from, size_t from_row, size_t to_row) {
    const std::string_view file = from.SourceFile(from_row);
    if (file.empty()) {
        return;
    }
    SetSource(to_row, AddSourceFile(std::string(file)), from.SourceRow(from_row));
}

namespace {

template <class T>
void Gather(std::vector<T>& to, const std::vector<T>& from, const std::vector<uint32_t>& rows) {
    const size_t base = to.size();
    to.resize(base + rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        to[base + i] = from[rows[i]];
    }
}

// Appends the given rows of a column to a column of the same field.
void GatherColumn(Column& to, const Column& from, const std::vector<uint32_t>& rows) {
    switch (to.field->type) {
        case FieldType::kId:
        case FieldType::kCountry: Gather(to.text, from.text, rows); break;
        case FieldType::kCode: Gather(to.code, from.code, rows); break;
        case FieldType::kCodes: Gather(to.set, from.set, rows); break;
        case FieldType::kBool: Gather(to.flag, from.flag, rows); break;
        default: Gather(to.number, from.number, rows); break;
    }
}

}  // namespace

void CaseTable::AppendRows(const CaseTable& from, const std::vector<uint32_t>& rows) {
    for (size_t i = 0; i < columns_.size(); ++i) {
        GatherColumn(columns_[i], from.columns_[i], rows);
    }
    rows_ += rows.size();
}

namespace {

template <class T>
void Take(std::vector<T>& to, std::vector<T>& from) {
    if (to.empty() && to.capacity() < from.size()) {
        to.swap(from);
    } else {
        to.insert(to.end(), std::make_move_iterator(from.begin()),
                  std::make_move_iterator(from.end()));
    }
    from.clear();
    from.shrink_to_fit();
}

}  // namespace

void CaseTable::Append(CaseTable&& from) {
    for (size_t i = 0; i < columns_.size(); ++i) {
        Column& to = columns_[i];
        Column& src = from.columns_[i];
        Take(to.text, src.text);
        Take(to.code, src.code);
        Take(to.set, src.set);
        Take(to.flag, src.flag);
        Take(to.number, src.number);
    }
    if (!from.source_file_.empty()) {
        std::vector<uint32_t> remap(from.source_files_.size() + 1, 0);
        for (size_t f = 0; f < from.source_files_.size(); ++f) {
            remap[f + 1] = AddSourceFile(from.source_files_[f]);
        }
        source_file_.resize(rows_, 0);
        source_row_.resize(rows_, 0);
        for (size_t r = 0; r < from.rows_; ++r) {
            source_file_.push_back(r < from.source_file_.size() ? remap[from.source_file_[r]] : 0);
            source_row_.push_back(from.SourceRow(r));
        }
    }
    rows_ += from.rows_;
    from.rows_ = 0;
    from.source_files_.clear();
    from.source_file_.clear();
    from.source_row_.clear();
}

void CaseTable::Distribute(const std::vector<Destination>& to) {
    for (size_t i = 0; i < columns_.size(); ++i) {
        Column& src = columns_[i];
        for (const Destination& d : to) {
            Column& dst = d.table->columns_[i];
            const std::vector<uint32_t>& rows = *d.rows;
            if (src.field->type != FieldType::kId && src.field->type != FieldType::kCountry) {
                GatherColumn(dst, src, rows);
                continue;
            }
            dst.text.reserve(dst.text.size() + rows.size());  // text is moved, not copied
            for (const uint32_t r : rows) {
                dst.text.push_back(std::move(src.text[r]));
            }
        }
        src = Column{src.field, src.codelist};
    }
    for (const Destination& d : to) {
        d.table->rows_ += d.rows->size();
    }
    rows_ = 0;
    source_files_.clear();
    source_file_ = {};
    source_row_ = {};
}

void CaseTable::Reserve(size_t rows) {
    for (Column& c : columns_) {
        c.Reserve(rows);
    }
}

void CaseTable::OffsetSourceRows(long by) {
    for (size_t r = 0; r < source_file_.size(); ++r) {
        if (source_file_[r] != 0) {
            source_row_[r] += by;
        }
    }
}

const Column& CaseTable::column(std::string_view field) const {
    return columns_[static_cast<size_t>(record_->FieldIndex(field))];
}

std::string CaseTable::Key(size_t row) const {
    std::string key;
    for (const auto& name : record_->key) {
        if (!key.empty()) {
            key += '\x1f';
        }
        key += column(name).text[row];
    }
    return key;
}

void CaseTable::AppendRow(const CaseTable& from, size_t row) {
    for (size_t i = 0; i < columns_.size(); ++i) {
        columns_[i].CopyRow(from.columns_[i], row);
    }
    ++rows_;
}

namespace {

constexpr char kMagic[8] = {'R', 'A', 'P', 'C', 'T', 'B', 'L', '2'};

}  // namespace

std::string Serialize(const CaseTable& table) {
    core::ByteWriter w;
    for (char c : kMagic) {
        w.Put(c);
    }
    w.Put(static_cast<uint32_t>(table.columns().size()));
    w.Put(static_cast<uint64_t>(table.rows()));
    for (const Column& col : table.columns()) {
        w.PutString(col.field->name);
        w.Put(static_cast<uint8_t>(col.field->type));
        switch (col.field->type) {
            case FieldType::kId:
            case FieldType::kCountry:
                for (const auto& s : col.text) {
                    w.PutShortString(s);
                }
                break;
            case FieldType::kCode:
            case FieldType::kCodes: {
                w.Put(static_cast<uint32_t>(col.codelist->codes.size()));
                for (const auto& c : col.codelist->codes) {
                    w.PutString(c.code);
                }
                if (col.field->type == FieldType::kCode) {
                    w.PutNarrow(std::vector<int64_t>(col.code.begin(), col.code.end()), kNullCode);
                } else {
                    std::vector<int64_t> wide(col.set.size());
                    for (size_t i = 0; i < wide.size(); ++i) {
                        wide[i] = col.set[i] == kNullSet ? -1 : static_cast<int64_t>(col.set[i]);
                    }
                    w.PutNarrow(wide, -1);
                }
                break;
            }
            case FieldType::kBool: w.PutArray(col.flag); break;
            default: w.PutNarrow(col.number, kNullNumber); break;
        }
    }
    return w.Take();
}

namespace {

Error Corrupt(const RecordDef& record, std::string_view why) {
    return Error{Errc::kDataLoss, fmt::format("stored {} snapshot is corrupt: {}", record.id, why)};
}

// Reads the magic and the column and row counts.
Status ReadHead(core::ByteReader& r, std::string_view payload, const RecordDef& record,
                uint32_t* ncols, uint64_t* nrows) {
    char magic[8] = {};
    for (char& c : magic) {
        if (!r.Get(&c)) {
            return Fail(Corrupt(record, "truncated header"));
        }
    }
    if (std::memcmp(magic, kMagic, sizeof magic) != 0) {
        return Fail(Corrupt(record, "bad magic"));
    }
    // Every column takes at least a byte per row, which bounds what a corrupt count can ask for.
    if (!r.Get(ncols) || !r.Get(nrows) || *nrows > payload.size() || *ncols > 4096) {
        return Fail(Corrupt(record, "bad header"));
    }
    return Ok();
}

// Reads a column's name and type; the index of its field in the record, or an error when the
// schema no longer defines the field with that type.
Result<size_t> ReadColumnHead(core::ByteReader& r, const RecordDef& record, std::string* name,
                              FieldType* type) {
    uint8_t raw = 0;
    if (!r.GetString(name) || !r.Get(&raw)) {
        return Fail(Corrupt(record, "truncated column header"));
    }
    const int index = record.FieldIndex(*name);
    if (index < 0 || static_cast<uint8_t>(record.fields[static_cast<size_t>(index)].type) != raw) {
        return Fail(Errc::kFailedPrecondition,
                    fmt::format("stored {} snapshot has field {} which the case-record schema "
                                "no longer defines with the same type; keep the field's type "
                                "in a new schema version (add a new field instead)",
                                record.id, *name));
    }
    *type = static_cast<FieldType>(raw);
    return static_cast<size_t>(index);
}

// Moves past a column's values without reading them.
bool SkipColumn(core::ByteReader& r, FieldType type, uint64_t nrows) {
    switch (type) {
        case FieldType::kId:
        case FieldType::kCountry:
            for (uint64_t i = 0; i < nrows; ++i) {
                if (!r.SkipShortString()) {
                    return false;
                }
            }
            return true;
        case FieldType::kCode:
        case FieldType::kCodes: {
            uint32_t ndict = 0;
            if (!r.Get(&ndict) || ndict > 4096) {
                return false;
            }
            for (uint32_t i = 0; i < ndict; ++i) {
                if (!r.SkipString()) {
                    return false;
                }
            }
            return r.SkipNarrow(nrows);
        }
        case FieldType::kBool: return r.Skip(nrows * sizeof(int8_t));
        default: return r.SkipNarrow(nrows);
    }
}

}  // namespace

Result<std::vector<std::string>> ReadKeys(std::string_view payload, const RecordDef& record) {
    core::ByteReader r(payload);
    uint32_t ncols = 0;
    uint64_t nrows = 0;
    RAP_TRY_STATUS(ReadHead(r, payload, record, &ncols, &nrows));
    std::vector<std::vector<std::string>> parts(record.key.size());
    for (uint32_t c = 0; c < ncols; ++c) {
        std::string name;
        FieldType type{};
        RAP_TRY(ReadColumnHead(r, record, &name, &type));
        const auto part = std::find(record.key.begin(), record.key.end(), name);
        if (part == record.key.end() || (type != FieldType::kId && type != FieldType::kCountry)) {
            if (!SkipColumn(r, type, nrows)) {
                return Fail(Corrupt(record, "truncated column"));
            }
            continue;
        }
        auto& text = parts[static_cast<size_t>(part - record.key.begin())];
        text.resize(nrows);
        for (auto& s : text) {
            if (!r.GetShortString(&s)) {
                return Fail(Corrupt(record, "truncated text column"));
            }
        }
    }
    if (!r.done()) {
        return Fail(Corrupt(record, "trailing bytes"));
    }
    for (const auto& text : parts) {
        if (text.size() != nrows) {
            return Fail(Corrupt(record, "a key field is missing"));
        }
    }
    if (parts.size() == 1) {
        return std::move(parts[0]);
    }
    std::vector<std::string> keys(nrows);
    for (size_t row = 0; row < nrows; ++row) {
        for (size_t p = 0; p < parts.size(); ++p) {
            keys[row] += p == 0 ? "" : "\x1f";
            keys[row] += parts[p][row];
        }
    }
    return keys;
}

Result<CaseTable> Deserialize(std::string_view payload, const RecordDef& record,
                              const CodelistSet& codelists) {
    auto corrupt = [&](std::string_view why) { return Fail(Corrupt(record, why)); };
    core::ByteReader r(payload);
    uint32_t ncols = 0;
    uint64_t nrows = 0;
    RAP_TRY_STATUS(ReadHead(r, payload, record, &ncols, &nrows));
    CaseTable table(record, codelists);
    std::vector<bool> seen(record.fields.size(), false);
    for (uint32_t c = 0; c < ncols; ++c) {
        std::string name;
        FieldType type{};
        const size_t index = RAP_TRY(ReadColumnHead(r, record, &name, &type));
        seen[static_cast<size_t>(index)] = true;
        Column& col = table.column(static_cast<size_t>(index));
        switch (static_cast<FieldType>(type)) {
            case FieldType::kId:
            case FieldType::kCountry:
                col.text.resize(nrows);
                for (auto& s : col.text) {
                    if (!r.GetShortString(&s)) {
                        return corrupt("truncated text column");
                    }
                }
                break;
            case FieldType::kCode:
            case FieldType::kCodes: {
                uint32_t ndict = 0;
                if (!r.Get(&ndict) || ndict > 4096) {
                    return corrupt("bad dictionary");
                }
                std::vector<int32_t> remap(ndict, kNullCode);
                for (uint32_t i = 0; i < ndict; ++i) {
                    std::string code;
                    if (!r.GetString(&code)) {
                        return corrupt("truncated dictionary");
                    }
                    for (size_t k = 0; k < col.codelist->codes.size(); ++k) {
                        if (col.codelist->codes[k].code == code) {
                            remap[i] = static_cast<int32_t>(k);
                        }
                    }
                }
                if (static_cast<FieldType>(type) == FieldType::kCode) {
                    std::vector<int64_t> wide;
                    if (!r.GetNarrow(&wide, nrows, kNullCode)) {
                        return corrupt("truncated code column");
                    }
                    col.code.assign(wide.begin(), wide.end());
                    for (auto& v : col.code) {
                        if (v == kNullCode) {
                            continue;
                        }
                        if (v < 0 || static_cast<uint32_t>(v) >= ndict || remap[v] == kNullCode) {
                            return Fail(Errc::kFailedPrecondition,
                                        fmt::format("stored {}.{} holds a code that codelist {} "
                                                    "no longer has; codes in use cannot be "
                                                    "removed from a codelist",
                                                    record.id, name, col.field->codelist));
                        }
                        v = remap[static_cast<size_t>(v)];
                    }
                } else {
                    std::vector<int64_t> wide;
                    if (!r.GetNarrow(&wide, nrows, -1)) {
                        return corrupt("truncated set column");
                    }
                    col.set.resize(nrows);
                    for (size_t i = 0; i < nrows; ++i) {
                        col.set[i] = wide[i] == -1 ? kNullSet : static_cast<uint64_t>(wide[i]);
                    }
                    for (auto& bits : col.set) {
                        if (bits == kNullSet) {
                            continue;
                        }
                        uint64_t out = 0;
                        for (uint32_t b = 0; b < ndict && b < 64; ++b) {
                            if ((bits >> b) & 1U) {
                                if (remap[b] == kNullCode) {
                                    return Fail(Errc::kFailedPrecondition,
                                                fmt::format("stored {}.{} holds a code that "
                                                            "codelist {} no longer has",
                                                            record.id, name, col.field->codelist));
                                }
                                out |= uint64_t{1} << static_cast<unsigned>(remap[b]);
                            }
                        }
                        bits = out;
                    }
                }
                break;
            }
            case FieldType::kBool:
                if (!r.GetArray(&col.flag, nrows)) {
                    return corrupt("truncated flag column");
                }
                break;
            default:
                if (!r.GetNarrow(&col.number, nrows, kNullNumber)) {
                    return corrupt("truncated number column");
                }
                break;
        }
    }
    if (!r.done()) {
        return corrupt("trailing bytes");
    }
    // Fields added to the schema after the snapshot was written are not recorded.
    for (size_t i = 0; i < seen.size(); ++i) {
        if (!seen[i]) {
            for (uint64_t row = 0; row < nrows; ++row) {
                table.column(i).AppendNull();
            }
        }
    }
    for (uint64_t row = 0; row < nrows; ++row) {
        table.CommitRow();
    }
    return table;
}

}  // namespace rap::cases
