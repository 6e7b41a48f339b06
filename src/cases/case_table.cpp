// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cases/case_table.hpp"

#include <cstring>

#include <fmt/format.h>

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

constexpr char kMagic[8] = {'R', 'A', 'P', 'C', 'T', 'B', 'L', '1'};

class Writer {
public:
    template <class T>
    void Put(const T& value) {
        const auto* p = reinterpret_cast<const char*>(&value);
        out_.append(p, sizeof(T));
    }
    void PutString(std::string_view s) {
        Put(static_cast<uint32_t>(s.size()));
        out_.append(s);
    }
    template <class T>
    void PutArray(const std::vector<T>& v) {
        out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
    std::string Take() { return std::move(out_); }

private:
    std::string out_;
};

class Reader {
public:
    explicit Reader(std::string_view in) : in_(in) {}
    template <class T>
    bool Get(T* value) {
        if (in_.size() < sizeof(T)) {
            return false;
        }
        std::memcpy(value, in_.data(), sizeof(T));
        in_.remove_prefix(sizeof(T));
        return true;
    }
    bool GetString(std::string* s) {
        uint32_t n = 0;
        if (!Get(&n) || in_.size() < n) {
            return false;
        }
        s->assign(in_.data(), n);
        in_.remove_prefix(n);
        return true;
    }
    template <class T>
    bool GetArray(std::vector<T>* v, size_t n) {
        if (in_.size() / sizeof(T) < n) {
            return false;
        }
        v->resize(n);
        std::memcpy(v->data(), in_.data(), n * sizeof(T));
        in_.remove_prefix(n * sizeof(T));
        return true;
    }
    bool done() const { return in_.empty(); }

private:
    std::string_view in_;
};

}  // namespace

std::string Serialize(const CaseTable& table) {
    Writer w;
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
                    w.PutString(s);
                }
                break;
            case FieldType::kCode:
            case FieldType::kCodes: {
                w.Put(static_cast<uint32_t>(col.codelist->codes.size()));
                for (const auto& c : col.codelist->codes) {
                    w.PutString(c.code);
                }
                if (col.field->type == FieldType::kCode) {
                    w.PutArray(col.code);
                } else {
                    w.PutArray(col.set);
                }
                break;
            }
            case FieldType::kBool: w.PutArray(col.flag); break;
            default: w.PutArray(col.number); break;
        }
    }
    return w.Take();
}

Result<CaseTable> Deserialize(std::string_view payload, const RecordDef& record,
                              const CodelistSet& codelists) {
    auto corrupt = [&](std::string_view why) {
        return Fail(Errc::kDataLoss,
                    fmt::format("stored {} snapshot is corrupt: {}", record.id, why));
    };
    Reader r(payload);
    char magic[8] = {};
    for (char& c : magic) {
        if (!r.Get(&c)) {
            return corrupt("truncated header");
        }
    }
    if (std::memcmp(magic, kMagic, sizeof magic) != 0) {
        return corrupt("bad magic");
    }
    uint32_t ncols = 0;
    uint64_t nrows = 0;
    if (!r.Get(&ncols) || !r.Get(&nrows) || nrows > (uint64_t{1} << 32U)) {
        return corrupt("bad header");
    }
    CaseTable table(record, codelists);
    std::vector<bool> seen(record.fields.size(), false);
    for (uint32_t c = 0; c < ncols; ++c) {
        std::string name;
        uint8_t type = 0;
        if (!r.GetString(&name) || !r.Get(&type)) {
            return corrupt("truncated column header");
        }
        const int index = record.FieldIndex(name);
        if (index < 0 || static_cast<uint8_t>(record.fields[static_cast<size_t>(index)].type) !=
                             type) {
            return Fail(Errc::kFailedPrecondition,
                        fmt::format("stored {} snapshot has field {} which the case-record schema "
                                    "no longer defines with the same type; run `rapporteur "
                                    "compute --rebuild`",
                                    record.id, name));
        }
        seen[static_cast<size_t>(index)] = true;
        Column& col = table.column(static_cast<size_t>(index));
        switch (static_cast<FieldType>(type)) {
            case FieldType::kId:
            case FieldType::kCountry:
                col.text.resize(nrows);
                for (auto& s : col.text) {
                    if (!r.GetString(&s)) {
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
                    if (!r.GetArray(&col.code, nrows)) {
                        return corrupt("truncated code column");
                    }
                    for (auto& v : col.code) {
                        if (v == kNullCode) {
                            continue;
                        }
                        if (v < 0 || static_cast<uint32_t>(v) >= ndict || remap[v] == kNullCode) {
                            return Fail(Errc::kFailedPrecondition,
                                        fmt::format("stored {}.{} holds a code that codelist {} "
                                                    "no longer has",
                                                    record.id, name, col.field->codelist));
                        }
                        v = remap[static_cast<size_t>(v)];
                    }
                } else {
                    if (!r.GetArray(&col.set, nrows)) {
                        return corrupt("truncated set column");
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
                if (!r.GetArray(&col.number, nrows)) {
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
