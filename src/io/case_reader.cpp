// SPDX-License-Identifier: AGPL-3.0-or-later
#include "io/case_reader.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
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
    xlsx_ = file_.size() > 5 && NormalizeHeader(file_.substr(file_.size() - 5)) == ".xlsx";
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
        if (auto problem = cases::AppendCell(table_.column(f), cell, context_)) {
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

bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           NormalizeHeader(s.substr(s.size() - suffix.size())) == suffix;
}

// Collects a header-only first pass to decide which record type a CSV file holds.
class HeaderProbe : public RowSink {
public:
    Status Header(std::string_view, std::span<const std::string_view> cells) override {
        for (auto c : cells) {
            names.push_back(NormalizeHeader(c));
        }
        return Fail(Errc::kAborted, "header read");
    }
    Status Row(long, std::span<const std::string_view>) override { return Ok(); }
    std::vector<std::string> names;
};

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
    if (EndsWith(path, ".xlsx")) {
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
    if (!EndsWith(path, ".csv")) {
        diags.Add(Errc::kInvalidArgument,
                  "not a .csv or .xlsx file; case records are imported from CSV (UTF-8) or XLSX",
                  Location{.file = path});
        return out;
    }
    const std::string stem = NormalizeHeader(std::filesystem::path(path).stem().string());
    const cases::RecordDef* record = schema.FindBySheet(stem);
    if (record == nullptr) {
        HeaderProbe probe;
        const Status probed = ReadCsvFile(path, probe);
        if (!probed && probed.error().code != Errc::kAborted) {
            diags.Add(probed.error());
            return out;
        }
        record = RecordFromHeader(schema, probe.names);
        if (record == nullptr) {
            diags.Add(Errc::kInvalidArgument,
                      fmt::format("cannot tell which records this file holds: name it after its "
                                  "record type (one of {}, e.g. victims.csv) or give it the "
                                  "columns of one record type",
                                  sheet_names),
                      Location{.file = path});
            return out;
        }
    }
    CaseTableReader reader(*record, codelists, context, path, diags);
    if (const Status read = ReadCsvFile(path, reader); !read) {
        diags.Add(read.error());
        return out;
    }
    out.tables.push_back(std::move(reader.table()));
    return out;
}

}  // namespace

std::map<std::string, cases::CaseTable> ReadCaseFiles(const std::vector<std::string>& paths,
                                                      const cases::CaseSchema& schema,
                                                      const cases::CodelistSet& codelists,
                                                      const cases::CellContext& context,
                                                      core::Diagnostics& diags) {
    std::string sheet_names;
    for (const auto& r : schema.records) {
        sheet_names += (sheet_names.empty() ? "" : ", ") + r.sheet;
    }
    // Files are read two at a time (the machines this runs on have few cores; parsing and
    // checking cells is the costly part).
    std::vector<FileResult> results(paths.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i; (i = next.fetch_add(1)) < paths.size();) {
            results[i] = ReadOneFile(paths[i], schema, codelists, context, sheet_names);
        }
    };
    std::thread helper;
    if (paths.size() > 1) {
        helper = std::thread(worker);
    }
    worker();
    if (helper.joinable()) {
        helper.join();
    }
    std::map<std::string, cases::CaseTable> tables;
    for (auto& result : results) {
        diags.Merge(result.diags);
        for (auto& table : result.tables) {
            const cases::RecordDef& record = table.record();
            auto [it, fresh] = tables.try_emplace(record.id, record, codelists);
            if (fresh) {
                it->second = std::move(table);
                continue;
            }
            const size_t base = it->second.rows();
            std::vector<uint32_t> all(table.rows());
            for (size_t r = 0; r < all.size(); ++r) {
                all[r] = static_cast<uint32_t>(r);
            }
            it->second.AppendRows(table, all);
            for (size_t r = 0; r < table.rows(); ++r) {
                it->second.CopySource(table, r, base + r);
            }
        }
    }
    for (auto& [id, table] : tables) {
        table.ShrinkToFit();
    }
    return tables;
}

}  // namespace rap::io
