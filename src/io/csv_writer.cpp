// SPDX-License-Identifier: AGPL-3.0-or-later
// Streaming CSV output, in the format of WriteCsvFile (AppendCsvCell's quoting and formula
// guard, BOM, CRLF).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "io/table.hpp"

namespace rap::io {

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
        AppendCsvCell(cells[i], delimiter_, line_);
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
