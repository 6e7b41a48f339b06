// SPDX-License-Identifier: AGPL-3.0-or-later
#include "io/case_reader.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <malloc.h>
#include <optional>
#include <thread>

#include <fmt/format.h>

namespace rap::io {

std::string NormalizeHeader(std::string_view header) {
    const std::string_view trimmed = cases::TrimCell(header);
    std::string out;
    out.reserve(trimmed.size());
    for (char c : trimmed) {
        if (c == ' ' || c == '-') {
            out += '_';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

CaseTableReader::CaseTableReader(const cases::RecordDef& record,
                                 const cases::CodelistSet& codelists,
                                 const cases::CellContext& context, std::string file,
                                 core::Diagnostics& diags)
    : record_(record)
    , context_(context)
    , file_(std::move(file))
    , diags_(diags)
    , table_(record, codelists) {
    xlsx_ = IsXlsxPath(file_);
}

Status CaseTableReader::Header(std::string_view sheet, std::span<const std::string_view> cells) {
    sheet_ = xlsx_ ? std::string(sheet) : std::string();
    const Location where{.file = file_, .sheet = sheet_, .row = 1};
    field_of_column_.assign(cells.size(), -1);
    column_of_field_.assign(record_.fields.size(), -1);
    std::string expected;
    for (const auto& f : record_.fields) {
        expected += (expected.empty() ? "" : ", ") + f.name;
    }
    for (size_t c = 0; c < cells.size(); ++c) {
        const std::string name = NormalizeHeader(cells[c]);
        if (name.empty()) {
            continue;  // an unnamed, presumably empty, column
        }
        const int field = record_.FieldIndex(name);
        if (field < 0) {
            Location at = where;
            at.field = std::string(cells[c]);
            return Fail(Errc::kInvalidArgument,
                        fmt::format("unknown column '{}' for {} records; expected columns: {}",
                                    cells[c], record_.id, expected),
                        at);
        }
        if (column_of_field_[static_cast<size_t>(field)] >= 0) {
            Location at = where;
            at.field = name;
            return Fail(Errc::kInvalidArgument,
                        fmt::format("column '{}' appears twice (columns {} and {})", name,
                                    column_of_field_[static_cast<size_t>(field)] + 1, c + 1),
                        at);
        }
        field_of_column_[c] = field;
        column_of_field_[static_cast<size_t>(field)] = static_cast<int>(c);
    }
    std::string missing;
    for (size_t f = 0; f < record_.fields.size(); ++f) {
        if (record_.fields[f].required && column_of_field_[f] < 0) {
            missing += (missing.empty() ? "" : ", ") + record_.fields[f].name;
        }
    }
    if (!missing.empty()) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("missing required column{} for {} records: {}",
                                missing.find(',') == std::string::npos ? "" : "s", record_.id,
                                missing),
                    where);
    }
    return Ok();
}

Status CaseTableReader::Row(long row, std::span<const std::string_view> cells) {
    return ReadRow(row, cells, {});
}

Status CaseTableReader::TypedRow(long row, std::span<const std::string_view> cells,
                                 std::span<const CellKind> kinds) {
    return ReadRow(row, cells, kinds);
}

Status CaseTableReader::ReadRow(long row, std::span<const std::string_view> cells,
                                std::span<const CellKind> kinds) {
    if (diags_.size() + 1 >= diags_.limit()) {
        // A file this broken is not worth reading (or holding) to its end; the last place left
        // among the errors says so.
        return Fail(Errc::kInvalidArgument,
                    fmt::format("stopped reading after {} errors; correct these first",
                                diags_.limit()),
                    Location{.file = file_, .sheet = sheet_, .row = row});
    }
    for (size_t c = field_of_column_.size(); c < cells.size(); ++c) {
        if (!cases::TrimCell(cells[c]).empty()) {
            diags_.Add(Errc::kInvalidArgument,
                       fmt::format("row has {} in column {} but the header has only {} columns",
                                   cases::ShownCell(cases::TrimCell(cells[c])), c + 1,
                                   field_of_column_.size()),
                       Location{.file = file_, .sheet = sheet_, .row = row});
            break;
        }
    }
    for (size_t f = 0; f < record_.fields.size(); ++f) {
        const int c = column_of_field_[f];
        const std::string_view cell =
            c >= 0 && static_cast<size_t>(c) < cells.size() ? cells[static_cast<size_t>(c)]
                                                            : std::string_view();
        const bool number = c >= 0 && static_cast<size_t>(c) < kinds.size() &&
                            kinds[static_cast<size_t>(c)] == CellKind::kNumber;
        if (auto problem = cases::AppendCell(
                table_.column(f), cell, context_,
                number ? cases::CellSource::kSpreadsheetNumber : cases::CellSource::kText)) {
            diags_.Add(Errc::kInvalidArgument, *problem,
                       Location{.file = file_,
                                .sheet = sheet_,
                                .row = row,
                                .field = record_.fields[f].name});
        }
    }
    if (file_index_ == 0) {
        file_index_ = table_.AddSourceFile(file_);
    }
    table_.SetSource(table_.rows(), file_index_, row);
    table_.CommitRow();
    return Ok();
}

namespace {

const cases::RecordDef* RecordFromHeader(const cases::CaseSchema& schema,
                                         const std::vector<std::string>& names) {
    const cases::RecordDef* found = nullptr;
    for (const auto& r : schema.records) {
        const bool has_required = std::all_of(r.fields.begin(), r.fields.end(), [&](const auto& f) {
            return !f.required || std::find(names.begin(), names.end(), f.name) != names.end();
        });
        const bool all_known = std::all_of(names.begin(), names.end(), [&](const auto& n) {
            return n.empty() || r.Field(n) != nullptr;
        });
        if (has_required && all_known) {
            if (found != nullptr) {
                return nullptr;  // ambiguous
            }
            found = &r;
        }
    }
    return found;
}

}  // namespace

namespace {

// The record type a CSV file holds: from its name (victims.csv), or else from its header; nullptr
// (with the reason in diags) when neither tells.
const cases::RecordDef* CsvRecord(const std::string& path, const cases::CaseSchema& schema,
                                  const std::string& sheet_names, core::Diagnostics& diags) {
    const std::string stem = NormalizeHeader(std::filesystem::path(path).stem().string());
    if (const cases::RecordDef* record = schema.FindBySheet(stem)) {
        return record;
    }
    auto head = ReadCsvHead(path);
    if (!head) {
        diags.Add(head.error());
        return nullptr;
    }
    std::vector<std::string> names;
    for (const auto& c : head->cells) {
        names.push_back(NormalizeHeader(c));
    }
    const cases::RecordDef* record = RecordFromHeader(schema, names);
    if (record == nullptr) {
        diags.Add(Errc::kInvalidArgument,
                  fmt::format("cannot tell which records this file holds: name it after its "
                              "record type (one of {}, e.g. victims.csv) or give it the "
                              "columns of one record type",
                              sheet_names),
                  Location{.file = path});
    }
    return record;
}

// What reading one file produced: tables (one per sheet) and its own diagnostics, so that files
// can be read on several threads and merged in file order.
struct FileResult {
    std::vector<cases::CaseTable> tables;
    core::Diagnostics diags;
};

FileResult ReadOneFile(const std::string& path, const cases::CaseSchema& schema,
                       const cases::CodelistSet& codelists, const cases::CellContext& context,
                       const std::string& sheet_names) {
    FileResult out;
    core::Diagnostics& diags = out.diags;
    if (IsXlsxPath(path)) {
        std::vector<std::unique_ptr<CaseTableReader>> readers;
        const Status read = ReadXlsxFile(path, [&](std::string_view sheet) -> RowSink* {
            const std::string name = NormalizeHeader(sheet);
            if (name == "lists" || name == "instructions") {
                return nullptr;
            }
            const cases::RecordDef* record = schema.FindBySheet(name);
            if (record == nullptr) {
                diags.Add(Errc::kInvalidArgument,
                          fmt::format("sheet '{}' is not a record type; expected sheets: {}",
                                      sheet, sheet_names),
                          Location{.file = path, .sheet = std::string(sheet)});
                return nullptr;
            }
            readers.push_back(
                std::make_unique<CaseTableReader>(*record, codelists, context, path, diags));
            return readers.back().get();
        });
        if (!read) {
            diags.Add(read.error());
            return out;
        }
        for (auto& reader : readers) {
            out.tables.push_back(std::move(reader->table()));
        }
        return out;
    }
    if (!IsCsvPath(path)) {
        diags.Add(Errc::kInvalidArgument,
                  "not a .csv or .xlsx file; case records are imported from CSV (UTF-8) or XLSX",
                  Location{.file = path});
        return out;
    }
    const cases::RecordDef* record = CsvRecord(path, schema, sheet_names, diags);
    if (record == nullptr) {
        return out;
    }
    CaseTableReader reader(*record, codelists, context, path, diags);
    if (const Status read = ReadCsvFile(path, reader); !read) {
        diags.Add(read.error());
        return out;
    }
    out.tables.push_back(std::move(reader.table()));
    return out;
}

// A large CSV file, cut into parts.
struct CsvPlan {
    const cases::RecordDef* record = nullptr;
    CsvHead head;
    std::vector<CsvPart> parts;
};

// What reading one part produced: its rows (numbered from 1 unless it is the first part) and
// diagnostics.
struct PartResult {
    std::optional<cases::CaseTable> table;
    core::Diagnostics diags;
    CsvPartRead read;
    bool failed = false;  // reading stopped with an error (in diags)
};

PartResult ReadPart(const std::string& path, const CsvPlan& plan, size_t part,
                    const cases::CodelistSet& codelists, const cases::CellContext& context) {
    PartResult out;
    CaseTableReader reader(*plan.record, codelists, context, path, out.diags);
    const CsvPart& range = plan.parts[part];
    if (!range.first()) {
        // The header as the first part reads it (its problems are reported there).
        std::vector<std::string_view> cells(plan.head.cells.begin(), plan.head.cells.end());
        if (!reader.Header({}, cells)) {
            out.failed = true;
            return out;
        }
    }
    const CsvOptions options{.delimiter = plan.head.delimiter, .header = plan.head.cells};
    auto read = ReadCsvPart(path, range, reader, options);
    if (read) {
        out.read = *read;
    } else {
        out.diags.Add(read.error());
        out.failed = true;
    }
    out.table = std::move(reader.table());
    return out;
}

// The parts of a file as one table, rows numbered as in the file; false when a part did not
// end between records (a line break inside a quoted cell at a cut), and the file must be read
// in one piece.
bool MergeParts(std::vector<PartResult>& parts, FileResult& out) {
    for (size_t k = 0; k + 1 < parts.size(); ++k) {
        if (parts[k].failed) {
            break;  // what comes after is not read
        }
        if (!parts[k].read.ends_a_record) {
            return false;
        }
    }
    size_t rows = 0;
    for (const auto& p : parts) {
        rows += p.table ? p.table->rows() : 0;
    }
    long offset = 0;
    for (size_t k = 0; k < parts.size(); ++k) {
        PartResult& p = parts[k];
        if (k > 0) {
            p.diags.OffsetRows(offset);
        }
        out.diags.Merge(p.diags);
        if (p.failed) {
            break;  // reading the file stops at its first error that stops reading
        }
        if (k > 0) {
            p.table->OffsetSourceRows(offset);
        }
        if (out.tables.empty()) {
            out.tables.push_back(std::move(*p.table));
            out.tables.back().Reserve(rows);
        } else {
            out.tables.back().Append(std::move(*p.table));
        }
        p.table.reset();
        // The part's memory goes back to the system now, so that the file is never held twice
        // (freed memory stays with the process otherwise, as the threads' heaps keep it).
        malloc_trim(0);
        offset += p.read.rows;
    }
    return true;
}

}  // namespace

std::map<std::string, cases::CaseTable> ReadCaseFiles(const std::vector<std::string>& paths,
                                                      const cases::CaseSchema& schema,
                                                      const cases::CodelistSet& codelists,
                                                      const cases::CellContext& context,
                                                      core::Diagnostics& diags,
                                                      uint64_t csv_part_bytes) {
    std::string sheet_names;
    for (const auto& r : schema.records) {
        sheet_names += (sheet_names.empty() ? "" : ", ") + r.sheet;
    }
    // The work: whole files, and the parts of large CSV files, shared by two threads (the
    // machines this runs on have few cores; parsing and checking cells is the costly part).
    std::vector<FileResult> results(paths.size());
    std::vector<std::optional<CsvPlan>> plans(paths.size());
    std::vector<std::vector<PartResult>> parts(paths.size());
    std::vector<std::pair<size_t, size_t>> jobs;  // file, part (SIZE_MAX: the whole file)
    constexpr size_t kWhole = SIZE_MAX;
    for (size_t i = 0; i < paths.size(); ++i) {
        if (IsCsvPath(paths[i])) {
            auto cut = CutCsvFile(paths[i], csv_part_bytes);
            if (cut && cut->size() > 1) {
                CsvPlan plan;
                plan.record = CsvRecord(paths[i], schema, sheet_names, results[i].diags);
                if (plan.record == nullptr) {
                    continue;  // CsvRecord said why
                }
                auto head = ReadCsvHead(paths[i]);
                if (!head) {
                    jobs.emplace_back(i, kWhole);  // which says what is wrong, where
                    continue;
                }
                plan.head = *std::move(head);
                plan.parts = *std::move(cut);
                parts[i].resize(plan.parts.size());
                for (size_t k = 0; k < plan.parts.size(); ++k) {
                    jobs.emplace_back(i, k);
                }
                plans[i] = std::move(plan);
                continue;
            }
        }
        jobs.emplace_back(i, kWhole);
    }
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t j; (j = next.fetch_add(1)) < jobs.size();) {
            const auto [file, part] = jobs[j];
            if (part == kWhole) {
                results[file] = ReadOneFile(paths[file], schema, codelists, context, sheet_names);
            } else {
                parts[file][part] = ReadPart(paths[file], *plans[file], part, codelists, context);
            }
        }
    };
    std::thread helper;
    if (jobs.size() > 1) {
        helper = std::thread(worker);
    }
    worker();
    if (helper.joinable()) {
        helper.join();
    }
    for (size_t i = 0; i < paths.size(); ++i) {
        if (plans[i] && !MergeParts(parts[i], results[i])) {
            results[i] = ReadOneFile(paths[i], schema, codelists, context, sheet_names);
        }
        parts[i].clear();
    }
    std::map<std::string, cases::CaseTable> tables;
    for (auto& result : results) {
        diags.Merge(result.diags);
        for (auto& table : result.tables) {
            const cases::RecordDef& record = table.record();
            auto [it, fresh] = tables.try_emplace(record.id, record, codelists);
            if (fresh) {
                it->second = std::move(table);
            } else {
                it->second.Append(std::move(table));
            }
        }
    }
    for (auto& [id, table] : tables) {
        table.ShrinkToFit();
    }
    malloc_trim(0);  // what the readers' threads freed
    return tables;
}

}  // namespace rap::io
