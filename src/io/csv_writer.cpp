// SPDX-License-Identifier: AGPL-3.0-or-later
// Streaming CSV output, in the format of WriteCsvFile (quoting, formula guard, BOM, CRLF).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "io/table.hpp"

namespace rap::io {

namespace {

bool StartsLikeFormula(std::string_view cell) {
    return !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' ||
                             cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r');
}

void AppendCell(std::string_view cell, char delimiter, std::string& out) {
    const bool formula = StartsLikeFormula(cell);
    // Leading or trailing spaces are quoted so that a reader that trims unquoted cells keeps them.
    const bool edge_space = !cell.empty() && (cell.front() == ' ' || cell.front() == '\t' ||
                                              cell.back() == ' ' || cell.back() == '\t');
    const bool quote = formula || edge_space ||
                       cell.find_first_of("\"\r\n") != std::string_view::npos ||
                       cell.find(delimiter) != std::string_view::npos;
    if (!quote) {
        out += cell;
        return;
    }
    out += '"';
    if (formula) {
        out += '\'';
    }
    for (char c : cell) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
}

}  // namespace

Result<std::unique_ptr<CsvWriter>> CsvWriter::Open(const std::string& path, char delimiter,
                                                   bool excel_bom) {
    std::unique_ptr<CsvWriter> w(new CsvWriter());
    w->path_ = path;
    w->delimiter_ = delimiter;
    std::string tmpl = path + ".tmp-XXXXXX";
    const int fd = mkstemp(tmpl.data());
    if (fd < 0) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("cannot create a file here: {}", std::strerror(errno)),
                    Location{.file = path});
    }
    w->temp_ = tmpl;
    w->file_ = fdopen(fd, "wb");
    if (w->file_ == nullptr) {
        close(fd);
        unlink(tmpl.c_str());
        return Fail(Errc::kInvalidArgument, "cannot open the output file", Location{.file = path});
    }
    if (excel_bom) {
        std::fputs("\xEF\xBB\xBF", w->file_);
    }
    return w;
}

CsvWriter::~CsvWriter() {
    if (file_ != nullptr) {
        std::fclose(file_);
        unlink(temp_.c_str());
    }
}

Status CsvWriter::Write(std::span<const std::string> cells) {
    line_.clear();
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            line_ += delimiter_;
        }
        AppendCell(cells[i], delimiter_, line_);
    }
    line_ += "\r\n";
    ++row_;
    if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) {
        return Fail(Errc::kUnavailable,
                    fmt::format("cannot write: {}", std::strerror(errno)),
                    Location{.file = path_, .row = row_});
    }
    return Ok();
}

Status CsvWriter::Close() {
    if (file_ == nullptr) {
        return Fail(Errc::kFailedPrecondition, "already closed", Location{.file = path_});
    }
    const bool ok = std::fflush(file_) == 0 && fsync(fileno(file_)) == 0;
    std::fclose(file_);
    file_ = nullptr;
    std::error_code ec;
    if (ok) {
        std::filesystem::rename(temp_, path_, ec);
    }
    if (!ok || ec) {
        unlink(temp_.c_str());
        return Fail(Errc::kUnavailable, "cannot finish writing the file", Location{.file = path_});
    }
    return Ok();
}

}  // namespace rap::io
