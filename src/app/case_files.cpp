// SPDX-License-Identifier: AGPL-3.0-or-later
// Import templates and exports of case records, in the import format.
#include <filesystem>

#include <fmt/format.h>

#include "app/cases.hpp"
#include "app/monitoring.hpp"
#include "io/table.hpp"

namespace rap::app {

namespace {

std::string TypeHint(const cases::FieldDef& f) {
    switch (f.type) {
        case cases::FieldType::kId: return "identifier (pseudonym, never a name)";
        case cases::FieldType::kCountry: return "country code (AL, BA, ME, MK, RS)";
        case cases::FieldType::kYear: return "year, e.g. 2024";
        case cases::FieldType::kMonth: return "month, e.g. 2024-03 (never the day)";
        case cases::FieldType::kInteger:
            return fmt::format("whole number {}-{}", f.min, f.max);
        case cases::FieldType::kAmount: return "amount in EUR, e.g. 1250.50";
        case cases::FieldType::kBool: return "yes or no";
        case cases::FieldType::kCode: return fmt::format("one code of {}", f.codelist);
        case cases::FieldType::kCodes:
            return fmt::format("codes of {} separated by ';' (none for none)", f.codelist);
    }
    return "";
}

std::vector<io::SheetData> TemplateSheets(const framework::ReferenceData& data) {
    std::vector<io::SheetData> sheets;
    io::SheetData instructions;
    instructions.name = "instructions";
    instructions.header = {"record", "column", "required", "format", "description"};
    for (const auto& record : data.case_schema->records) {
        io::SheetData sheet;
        sheet.name = record.sheet;
        for (const auto& f : record.fields) {
            sheet.header.push_back(f.name);
            std::vector<std::string> allowed;
            if (f.type == cases::FieldType::kCode) {
                if (const auto* list = data.codelists.Find(f.codelist)) {
                    for (const auto& c : list->codes) {
                        allowed.push_back(c.code);
                    }
                }
            } else if (f.type == cases::FieldType::kBool) {
                allowed = {"yes", "no"};
            } else if (f.type == cases::FieldType::kCountry && data.countries) {
                for (const auto& c : data.countries->countries) {
                    allowed.push_back(c.code);
                }
            }
            sheet.allowed.push_back(std::move(allowed));
            sheet.notes.push_back(fmt::format("{}{}. {}", f.required ? "Required. " : "",
                                              TypeHint(f), f.description.Get()));
            instructions.rows.push_back({record.sheet, f.name, f.required ? "yes" : "no",
                                         TypeHint(f), f.description.Get()});
        }
        sheets.push_back(std::move(sheet));
    }
    sheets.push_back(std::move(instructions));
    return sheets;
}

Status EnsureDirectory(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("cannot create directory {}: {}", dir, ec.message()));
    }
    return Ok();
}

}  // namespace

Result<std::vector<std::string>> WriteCaseTemplates(const framework::ReferenceData& data,
                                                    TableFormat format, const std::string& dir) {
    if (!data.case_schema) {
        return Fail(Errc::kFailedPrecondition, "no case-record schema is loaded");
    }
    RAP_TRY_STATUS(EnsureDirectory(dir));
    auto sheets = TemplateSheets(data);
    std::vector<std::string> written;
    if (format == TableFormat::kXlsx) {
        const std::string path = (std::filesystem::path(dir) / "case-records-template.xlsx").string();
        RAP_TRY_STATUS(io::WriteXlsxFile(path, sheets));
        written.push_back(path);
        return written;
    }
    for (const auto& sheet : sheets) {
        const std::string path = (std::filesystem::path(dir) / (sheet.name + ".csv")).string();
        RAP_TRY_STATUS(io::WriteCsvFile(path, sheet));
        written.push_back(path);
    }
    return written;
}

Result<std::vector<std::string>> ExportCases(store::Store& store, const Catalog& catalog,
                                             TableFormat format, const std::string& dir,
                                             const std::string& country, const std::string& actor) {
    const auto& data = catalog.data();
    if (!data.case_schema) {
        return Fail(Errc::kFailedPrecondition, "no case-record schema is loaded");
    }
    RAP_TRY_STATUS(EnsureDirectory(dir));
    // Audited first: see the header.
    std::map<std::string, long long> records;  // country -> rows of every record type
    for (const auto& p : RAP_TRY(store.LoadPartitions({}, country, store::Store::Payload::kWithout))) {
        records[p.id.country] += p.rows;
    }
    const std::string what = fmt::format("{} to {}", format == TableFormat::kCsv ? "csv" : "xlsx",
                                         std::filesystem::absolute(dir).lexically_normal().string());
    for (const auto& [c, rows] : records) {
        if (rows > 0) {
            RAP_TRY_STATUS(RecordCaseAccess(
                store, catalog, actor, c,
                monitoring::CaseDataAccessed{monitoring::CaseAccess::kExport, what, rows}));
        }
    }
    if (format == TableFormat::kCsv) {
        std::map<std::string, cases::CaseTable> tables;
        for (const auto& record : data.case_schema->records) {
            tables.emplace(record.id, RAP_TRY(store.LoadCaseRows(record, data.codelists, country)));
        }
        return WriteCaseTablesCsv(*data.case_schema, tables, dir);
    }
    std::vector<io::SheetData> sheets;
    for (const auto& record : data.case_schema->records) {
        // Child records are exported with their parent's country.
        const cases::CaseTable table = RAP_TRY(store.LoadCaseRows(record, data.codelists, country));
        io::SheetData sheet;
        sheet.name = record.sheet;
        for (const auto& f : record.fields) {
            sheet.header.push_back(f.name);
        }
        sheet.rows.reserve(table.rows());
        for (size_t r = 0; r < table.rows(); ++r) {
            std::vector<std::string> row;
            row.reserve(record.fields.size());
            for (const auto& col : table.columns()) {
                row.push_back(col.Text(r));
            }
            sheet.rows.push_back(std::move(row));
        }
        sheets.push_back(std::move(sheet));
    }
    const std::string path = (std::filesystem::path(dir) / "case-records.xlsx").string();
    RAP_TRY_STATUS(io::WriteXlsxFile(path, sheets));
    return std::vector<std::string>{path};
}

}  // namespace rap::app

namespace rap::app {

Result<std::vector<std::string>> WriteCaseTablesCsv(
    const cases::CaseSchema& schema, const std::map<std::string, cases::CaseTable>& tables,
    const std::string& dir) {
    RAP_TRY_STATUS(EnsureDirectory(dir));
    std::vector<std::string> written;
    std::vector<std::string> cells;
    for (const auto& record : schema.records) {
        auto it = tables.find(record.id);
        if (it == tables.end()) {
            continue;
        }
        const cases::CaseTable& table = it->second;
        const std::string path = (std::filesystem::path(dir) / (record.sheet + ".csv")).string();
        auto writer = RAP_TRY(io::CsvWriter::Open(path));
        cells.clear();
        for (const auto& f : record.fields) {
            cells.push_back(f.name);
        }
        RAP_TRY_STATUS(writer->Write(cells));
        for (size_t r = 0; r < table.rows(); ++r) {
            for (size_t c = 0; c < cells.size(); ++c) {
                cells[c] = table.column(c).Text(r);
            }
            RAP_TRY_STATUS(writer->Write(cells));
        }
        RAP_TRY_STATUS(writer->Close());
        written.push_back(path);
    }
    return written;
}

Result<std::vector<std::string>> WriteSyntheticCaseFiles(const framework::ReferenceData& data,
                                                         const SyntheticOptions& options,
                                                         const std::string& dir) {
    if (!data.case_schema) {
        return Fail(Errc::kFailedPrecondition, "no case-record schema is loaded");
    }
    return WriteCaseTablesCsv(*data.case_schema, GenerateSyntheticCases(data, options), dir);
}

}  // namespace rap::app
