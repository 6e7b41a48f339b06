// SPDX-License-Identifier: AGPL-3.0-or-later
// CSV reading with libcsv (the tokenizer) and writing by hand (quoting is all there is to it).
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <csv.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/text.hpp"
#include "io/table.hpp"

namespace rap::io {

namespace {

bool HasExtension(std::string_view path, std::string_view ext) {
    return path.size() > ext.size() &&
           core::EqualsIgnoreCase(path.substr(path.size() - ext.size()), ext);
}

}  // namespace

bool IsXlsxPath(std::string_view path) { return HasExtension(path, ".xlsx"); }
bool IsCsvPath(std::string_view path) { return HasExtension(path, ".csv"); }

namespace {

// Input is handed to libcsv in slices of this size, so that an error stops the work within one
// slice and a file is never held in memory as a whole.
constexpr size_t kChunkBytes = size_t{64} << 10U;
// A spreadsheet cell holds at most 32,767 characters (at most 128 KiB of UTF-8). A longer field
// is almost always a quote that is never closed, swallowing the rest of the file; refusing it
// also bounds libcsv's field buffer, which grows linearly.
constexpr size_t kMaxCellBytes = size_t{1} << 20U;
// Spreadsheets have at most 16,384 columns; bounds the per-row buffers of a hostile file.
constexpr size_t kMaxCells = 16384;
// Delimiter detection looks for the end of the header line in at most this many bytes.
constexpr size_t kMaxProbeBytes = size_t{1} << 20U;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

constexpr std::string_view kSaveAsUtf8 =
    "in Excel use File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\"; in LibreOffice "
    "use Save As > Text CSV with character set \"Unicode (UTF-8)\"";

std::string SheetNameOf(std::string_view display_name) {
    return std::filesystem::path(std::string(display_name)).stem().string();
}

// True when every byte is in 0x01..0x7F: such text is valid UTF-8 without a NUL, the common case
// that skips the full check.
bool IsPlainAscii(std::string_view text) {
    unsigned char any_high = 0;
    bool any_nul = false;
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        any_high |= byte;
        any_nul |= byte == 0;
    }
    return (any_high & 0x80U) == 0 && !any_nul;
}

// Streams bytes through libcsv and hands the rows to the sink. The phases: collect the first
// line (for the delimiter and the encoding checks), then parse slice by slice.
class CsvReader {
public:
    // `continuation`: the bytes given are a later part of a file (they start at the beginning of
    // a record, after the header): no header, encoding or delimiter checks, rows numbered from 1.
    // REQUIRES for a continuation: options.delimiter != 0.
    CsvReader(std::string_view display_name, RowSink& sink, const CsvOptions& options,
              bool continuation = false)
        : file_(display_name)
        , sheet_(SheetNameOf(display_name))
        , sink_(sink)
        , delimiter_(options.delimiter) {
        for (const auto& cell : options.header) {
            column_names_.push_back(HeaderName(cell));
        }
        // Strict: a quote inside an unquoted field or text after a closing quote is an error
        // rather than a silent guess. STRICT_FINI: a quote still open at the end is an error.
        // REPALL_NL: blank lines are reported so that row numbers match the spreadsheet.
        csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
        csv_set_blk_size(&parser_, 4096);
        if (continuation) {
            started_ = true;
            header_seen_ = true;
            csv_set_delim(&parser_, static_cast<unsigned char>(delimiter_));
        }
    }

    char delimiter() const { return delimiter_; }

    // The end of a part of a file that is not its last (it ends with a line break). Whether the
    // part ended between records: false when the line break was inside a quoted cell, so that
    // the next part does not begin a record.
    Result<bool> FinishPart() {
        if (!started_) {
            RAP_TRY_STATUS(Start());
        }
        if (failed_) {
            return Fail(std::move(error_));
        }
        if (!header_seen_) {
            return Fail(Errc::kInvalidArgument,
                        "the header row (the column names) is not in the first part of the file; "
                        "remove the blank lines above it",
                        Location{.file = file_});
        }
        return parser_.quoted == 0 && fields_.empty();
    }

    // Rows (records and blank lines) read so far, the header included.
    long rows() const { return record_ - 1; }
    ~CsvReader() { csv_free(&parser_); }
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    Status Feed(std::string_view bytes) {
        while (!bytes.empty()) {
            const std::string_view slice = bytes.substr(0, kChunkBytes);
            bytes.remove_prefix(slice.size());
            RAP_TRY_STATUS(FeedSlice(slice));
        }
        return Ok();
    }

    Status Finish() {
        if (!started_) {
            RAP_TRY_STATUS(Start());
        }
        if (csv_fini(&parser_, &CsvReader::OnField, &CsvReader::OnRow, this) != 0) {
            if (failed_) {
                return Fail(std::move(error_));
            }
            return Fail(Errc::kInvalidArgument,
                        "a quoted cell starts here but its closing quote (\") is missing, so the "
                        "rest of the file would be one cell; add the closing quote",
                        At(record_, fields_.size() + 1));
        }
        if (failed_) {
            return Fail(std::move(error_));
        }
        if (!header_seen_) {
            return Fail(Errc::kInvalidArgument,
                        "file is empty: it has no header row (the first row must name the columns)",
                        Location{.file = file_});
        }
        return Ok();
    }

private:
    Status FeedSlice(std::string_view slice) {
        if (started_) {
            return Parse(slice);
        }
        probe_.append(slice);
        if (ProbeIsEnough()) {
            return Start();
        }
        return Ok();
    }

    // Whether the bytes collected so far suffice to check the encoding and pick the delimiter.
    bool ProbeIsEnough() const {
        if (probe_.size() < kUtf8Bom.size()) {
            return false;
        }
        if (delimiter_ != 0 || probe_.size() >= kMaxProbeBytes) {
            return true;
        }
        return HeaderLine(core::StripBom(probe_)).complete;
    }

    struct Line {
        std::string_view text;
        bool complete = false;  // ended by a line break (not by the end of the bytes)
    };

    // The header line: the first line with something other than spaces and tabs, as the first
    // rows of the file may be blank. Line breaks inside quotes do not end it.
    static Line HeaderLine(std::string_view text) {
        size_t start = 0;
        while (start < text.size()) {
            bool quoted = false;
            size_t end = start;
            while (end < text.size() && (quoted || (text[end] != '\n' && text[end] != '\r'))) {
                if (text[end] == '"') {
                    quoted = !quoted;
                }
                ++end;
            }
            const std::string_view line = text.substr(start, end - start);
            if (line.find_first_not_of(" \t") != std::string_view::npos) {
                return Line{line, end < text.size()};
            }
            start = end + 1;
        }
        return Line{};
    }

    // Excel in the region's locales writes ';'; elsewhere ','. The header line decides.
    static char DetectDelimiter(std::string_view text) {
        size_t commas = 0;
        size_t semicolons = 0;
        bool quoted = false;
        for (const char ch : HeaderLine(text).text) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && ch == ',') {
                ++commas;
            } else if (!quoted && ch == ';') {
                ++semicolons;
            }
        }
        return semicolons > commas ? ';' : ',';
    }

    Status Start() {
        started_ = true;
        std::string probe = std::move(probe_);
        probe_ = std::string();
        if (probe.size() >= 2 && ((probe[0] == '\xFF' && probe[1] == '\xFE') ||
                                  (probe[0] == '\xFE' && probe[1] == '\xFF'))) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("file is UTF-16 encoded (Excel's \"Unicode Text\"); save it as "
                                    "UTF-8 instead: {}",
                                    kSaveAsUtf8),
                        Location{.file = file_});
        }
        std::string_view text = core::StripBom(probe);
        if (delimiter_ == 0) {
            delimiter_ = DetectDelimiter(text);
        }
        csv_set_delim(&parser_, static_cast<unsigned char>(delimiter_));
        return Parse(text);
    }

    Status Parse(std::string_view bytes) {
        const size_t used = csv_parse(&parser_, bytes.data(), bytes.size(), &CsvReader::OnField,
                                      &CsvReader::OnRow, this);
        if (failed_) {
            return Fail(std::move(error_));
        }
        if (used != bytes.size()) {
            const int status = csv_error(&parser_);
            if (status == CSV_EPARSE) {
                return Fail(Errc::kInvalidArgument,
                            parser_.quoted != 0
                                ? "unexpected text after the closing quote of a quoted cell; a "
                                  "quote inside a quoted cell must be doubled (\"\")"
                                : "a quote (\") inside a cell that does not start with a quote; "
                                  "enclose the cell in quotes and double the quotes inside it",
                            At(record_, fields_.size() + 1));
            }
            return Fail(Errc::kResourceExhausted,
                        fmt::format("cannot parse CSV: {}", csv_strerror(status)),
                        At(record_, fields_.size() + 1));
        }
        // The cell being read (not yet ended by a delimiter or line break).
        if (parser_.entry_pos > kMaxCellBytes) {
            if (parser_.quoted != 0) {
                return Fail(Errc::kInvalidArgument,
                            fmt::format("a quoted cell starts here and runs on for more than {} "
                                        "bytes (a spreadsheet cell holds at most 32,767 "
                                        "characters): most likely its closing quote (\") is "
                                        "missing; add it",
                                        kMaxCellBytes),
                            At(record_, fields_.size() + 1));
            }
            return Fail(TooLong(fields_.size() + 1));
        }
        return Ok();
    }

    Error TooLong(size_t column) const {
        return Error{Errc::kInvalidArgument,
                     fmt::format("cell is longer than {} bytes; a spreadsheet cell holds at most "
                                 "32,767 characters",
                                 kMaxCellBytes),
                     At(record_, column)};
    }

    // A column is named by its header once the header row is read ("case_id"), else by its
    // number ("3"): the header row itself, a column beyond the header or without a name.
    Location At(long row, size_t column) const {
        std::string name;
        if (column >= 1 && column <= column_names_.size()) {
            name = column_names_[column - 1];
        }
        return Location{.file = file_,
                        .row = row,
                        .field = name.empty() ? std::to_string(column) : std::move(name)};
    }

    static std::string HeaderName(std::string_view cell) {
        const size_t begin = cell.find_first_not_of(" \t");
        if (begin == std::string_view::npos) {
            return {};
        }
        return std::string(cell.substr(begin, cell.find_last_not_of(" \t") - begin + 1));
    }

    void Stop(Error error) {
        failed_ = true;
        error_ = std::move(error);
    }

    static void OnField(void* data, size_t size, void* self) {
        static_cast<CsvReader*>(self)->AddField(
            std::string_view(static_cast<const char*>(data), data == nullptr ? 0 : size));
    }

    static void OnRow(int terminator, void* self) {
        static_cast<CsvReader*>(self)->EndRow(terminator);
    }

    void AddField(std::string_view field) {
        if (failed_) {
            return;
        }
        const size_t column = fields_.size() + 1;
        if (column > kMaxCells) {
            Stop(Error{Errc::kInvalidArgument,
                       fmt::format("row has more than {} cells, the most a spreadsheet holds; is "
                                   "the delimiter right?",
                                   kMaxCells),
                       At(record_, column)});
            return;
        }
        if (!IsPlainAscii(field)) {
            if (const auto nul = field.find('\0'); nul != std::string_view::npos) {
                Stop(Error{Errc::kInvalidArgument,
                           fmt::format("file contains a NUL byte, so it is not a CSV text file (a "
                                       "UTF-16 file without byte-order mark looks like this); "
                                       "save it as UTF-8: {}",
                                       kSaveAsUtf8),
                           At(record_, column)});
                return;
            }
            if (const auto bad = core::FindInvalidUtf8(field)) {
                Stop(Error{Errc::kInvalidArgument,
                           fmt::format("text is not valid UTF-8 (byte 0x{:02X} at character {} of "
                                       "the cell); the file is probably in a legacy encoding such "
                                       "as Windows-1250, ISO-8859-2 or Windows-1251; save it as "
                                       "\"CSV UTF-8\": {}",
                                       static_cast<unsigned char>(field[bad->offset]),
                                       core::PositionOf(field, bad->offset).column, kSaveAsUtf8),
                           At(record_, column)});
                return;
            }
        }
        if (field.size() > kMaxCellBytes) {
            Stop(TooLong(column));
            return;
        }
        fields_.emplace_back(row_bytes_.size(), field.size());
        row_bytes_.append(field);
    }

    void EndRow(int terminator) {
        if (failed_) {
            return;
        }
        if (fields_.empty()) {
            // A line break in ROW_NOT_BEGUN: a blank line, or the LF of a CRLF whose CR ended the
            // previous row.
            const bool crlf_tail = terminator == '\n' && last_terminator_ == '\r';
            last_terminator_ = crlf_tail ? 0 : terminator;
            if (!crlf_tail) {
                ++record_;
            }
            return;
        }
        last_terminator_ = terminator;
        const long row = record_++;
        bool all_empty = true;
        cells_.clear();
        for (const auto& [offset, size] : fields_) {
            cells_.emplace_back(row_bytes_.data() + offset, size);
            all_empty = all_empty && size == 0;
        }
        if (!all_empty) {
            if (!header_seen_) {
                column_names_.clear();
                for (const std::string_view cell : cells_) {
                    column_names_.push_back(HeaderName(cell));
                }
            }
            Status status = header_seen_ ? sink_.Row(row, cells_) : sink_.Header(sheet_, cells_);
            header_seen_ = true;
            if (!status) {
                Stop(std::move(status).error());
            }
        }
        fields_.clear();
        row_bytes_.clear();
    }

    std::string file_;
    std::string sheet_;
    RowSink& sink_;
    char delimiter_;
    csv_parser parser_{};
    bool started_ = false;
    std::string probe_;

    long record_ = 1;  // the spreadsheet row of the record being parsed
    int last_terminator_ = 0;
    bool header_seen_ = false;
    std::vector<std::pair<size_t, size_t>> fields_;  // offset and size in row_bytes_
    std::string row_bytes_;
    std::vector<std::string_view> cells_;
    std::vector<std::string> column_names_;  // the header's cells, trimmed

    bool failed_ = false;
    Error error_;
};

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    FileDescriptor& operator=(FileDescriptor&&) = delete;
    int get() const { return fd_; }
    int Release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

// A temporary file beside the destination, removed unless committed by renaming it into place.
class TempFile {
public:
    explicit TempFile(const std::string& destination)
        : destination_(destination), path_(destination + ".tmp-XXXXXX") {}
    ~TempFile() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        if (created_ && !committed_) {
            ::unlink(path_.c_str());
        }
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    Status Create() {
        fd_ = ::mkstemp(path_.data());
        if (fd_ < 0) {
            return Fail(Errc::kInvalidArgument,
                        fmt::format("cannot create a file in the destination directory: {}",
                                    std::strerror(errno)),
                        Location{.file = destination_});
        }
        created_ = true;
        return Ok();
    }

    Status Write(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return WriteError();
            }
            bytes.remove_prefix(static_cast<size_t>(n));
        }
        return Ok();
    }

    // Flushes to disk and renames over the destination, so that readers see the old file or the
    // whole new one.
    Status Commit() {
        if (::fsync(fd_) != 0) {
            return WriteError();
        }
        const int fd = std::exchange(fd_, -1);
        if (::close(fd) != 0) {
            return WriteError();
        }
        if (::rename(path_.c_str(), destination_.c_str()) != 0) {
            return WriteError();
        }
        committed_ = true;
        return Ok();
    }

private:
    Status WriteError() const {
        return Fail(Errc::kInvalidArgument, fmt::format("cannot write: {}", std::strerror(errno)),
                    Location{.file = destination_});
    }

    std::string destination_;
    std::string path_;
    int fd_ = -1;
    bool created_ = false;
    bool committed_ = false;
};

// Whether a spreadsheet would take the cell for a formula (or DDE command) when it is opened.
bool LooksLikeFormula(std::string_view cell) {
    if (cell.empty()) {
        return false;
    }
    switch (cell.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return true;
        default:
            return false;
    }
}

bool NeedsQuotes(std::string_view cell, char delimiter) {
    if (cell.empty()) {
        return false;
    }
    // Spaces at either end are trimmed by readers (ours included) unless the cell is quoted.
    const auto is_blank = [](char ch) {
        return ch == ' ' || ch == '\t';
    };
    if (is_blank(cell.front()) || is_blank(cell.back())) {
        return true;
    }
    const std::array<char, 4> specials = {delimiter, '"', '\r', '\n'};
    return cell.find_first_of(std::string_view(specials.data(), specials.size())) !=
           std::string_view::npos;
}

void AppendQuoted(std::string_view cell, std::string& out) {
    const size_t size = csv_write(nullptr, 0, cell.data(), cell.size());
    const size_t start = out.size();
    out.resize(start + size);
    csv_write(out.data() + start, size, cell.data(), cell.size());
}

Status CheckCellText(std::string_view cell, const std::string& path, long row, size_t column) {
    if (IsPlainAscii(cell)) {
        return Ok();
    }
    const Location where{.file = path, .row = row, .field = std::to_string(column)};
    if (cell.find('\0') != std::string_view::npos) {
        return Fail(Errc::kInvalidArgument, "cell contains a NUL character", where);
    }
    if (core::FindInvalidUtf8(cell)) {
        return Fail(Errc::kInvalidArgument, "cell text is not valid UTF-8", where);
    }
    return Ok();
}

Status AppendCsvRow(std::span<const std::string> cells, char delimiter, const std::string& path,
                    long row, std::string& out) {
    for (size_t i = 0; i < cells.size(); ++i) {
        const std::string& cell = cells[i];
        RAP_TRY_STATUS(CheckCellText(cell, path, row, i + 1));
        if (i > 0) {
            out += delimiter;
        }
        AppendCsvCell(cell, delimiter, out);
    }
    out += "\r\n";
    return Ok();
}

}  // namespace

void AppendCsvCell(std::string_view cell, char delimiter, std::string& out) {
    if (LooksLikeFormula(cell)) {
        AppendQuoted("'" + std::string(cell), out);
    } else if (NeedsQuotes(cell, delimiter)) {
        AppendQuoted(cell, out);
    } else {
        out += cell;
    }
}

Status ReadCsvBytes(std::string_view bytes, std::string_view display_name, RowSink& sink,
                    const CsvOptions& options) {
    if (bytes.size() > options.max_bytes) {
        return Fail(
            Errc::kResourceExhausted,
            fmt::format("file is {} bytes; the limit is {} bytes", bytes.size(), options.max_bytes),
            Location{.file = std::string(display_name)});
    }
    CsvReader reader(display_name, sink, options);
    RAP_TRY_STATUS(reader.Feed(bytes));
    return reader.Finish();
}

namespace {

Result<FileDescriptor> OpenCsv(const std::string& path, const CsvOptions& options,
                               uint64_t* size) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return Fail(Errc::kNotFound, "no such file", Location{.file = path});
        }
        return Fail(Errc::kInvalidArgument, fmt::format("cannot open: {}", std::strerror(errno)),
                    Location{.file = path});
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return Fail(Errc::kInvalidArgument, "not a regular file", Location{.file = path});
    }
    if (static_cast<size_t>(info.st_size) > options.max_bytes) {
        return Fail(
            Errc::kResourceExhausted,
            fmt::format("file is {} bytes; the limit is {} bytes", info.st_size, options.max_bytes),
            Location{.file = path});
    }
    *size = static_cast<uint64_t>(info.st_size);
    return fd;
}

// Feeds bytes [begin, end) of the file to the reader (to the end of the file when `end` is
// nullopt, which must not grow past the size limit meanwhile).
Status FeedRange(const FileDescriptor& fd, const std::string& path, CsvReader& reader,
                 uint64_t begin, std::optional<uint64_t> end, const CsvOptions& options) {
    std::vector<char> buffer(kChunkBytes);
    uint64_t at = begin;
    while (!end || at < *end) {
        const size_t want =
            end ? static_cast<size_t>(std::min<uint64_t>(buffer.size(), *end - at)) : buffer.size();
        const ssize_t n = ::pread(fd.get(), buffer.data(), want, static_cast<off_t>(at));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return Fail(Errc::kInvalidArgument,
                        fmt::format("cannot read: {}", std::strerror(errno)),
                        Location{.file = path});
        }
        if (n == 0) {
            if (end) {
                return Fail(Errc::kInvalidArgument, "the file became shorter while it was read",
                            Location{.file = path});
            }
            break;
        }
        at += static_cast<uint64_t>(n);
        if (at > options.max_bytes) {  // the file grew while we read it
            return Fail(Errc::kResourceExhausted,
                        fmt::format("file is larger than the limit of {} bytes", options.max_bytes),
                        Location{.file = path});
        }
        RAP_TRY_STATUS(reader.Feed(std::string_view(buffer.data(), static_cast<size_t>(n))));
    }
    return Ok();
}

// Stops reading at the header.
class HeadSink : public RowSink {
public:
    Status Header(std::string_view, std::span<const std::string_view> cells) override {
        cells_.assign(cells.begin(), cells.end());
        return Fail(Errc::kAborted, "header read");
    }
    Status Row(long, std::span<const std::string_view>) override { return Ok(); }
    std::vector<std::string> cells_;
};

}  // namespace

Status ReadCsvFile(const std::string& path, RowSink& sink, const CsvOptions& options) {
    uint64_t size = 0;
    const FileDescriptor fd = RAP_TRY(OpenCsv(path, options, &size));
    CsvReader reader(path, sink, options);
    RAP_TRY_STATUS(FeedRange(fd, path, reader, 0, std::nullopt, options));
    return reader.Finish();
}

Result<CsvHead> ReadCsvHead(const std::string& path, const CsvOptions& options) {
    uint64_t size = 0;
    const FileDescriptor fd = RAP_TRY(OpenCsv(path, options, &size));
    HeadSink sink;
    CsvReader reader(path, sink, options);
    Status read = FeedRange(fd, path, reader, 0, std::nullopt, options);
    if (read) {
        read = reader.Finish();  // a file without a header row is an error
    }
    if (!read && read.error().code != Errc::kAborted) {
        return Fail(std::move(read).error());
    }
    return CsvHead{reader.delimiter(), std::move(sink.cells_)};
}

Result<std::vector<CsvPart>> CutCsvFile(const std::string& path, uint64_t part_bytes,
                                        const CsvOptions& options) {
    uint64_t size = 0;
    const FileDescriptor fd = RAP_TRY(OpenCsv(path, options, &size));
    const uint64_t count = std::max<uint64_t>(1, size / std::max<uint64_t>(1, part_bytes));
    std::vector<CsvPart> parts{CsvPart{.begin = 0, .end = size}};
    std::vector<char> window(kChunkBytes);
    for (uint64_t k = 1; k < count; ++k) {
        const uint64_t target = size / count * k;
        if (target <= parts.back().begin) {
            continue;
        }
        const ssize_t n =
            ::pread(fd.get(), window.data(), window.size(), static_cast<off_t>(target));
        if (n <= 0) {
            break;
        }
        const void* nl = std::memchr(window.data(), '\n', static_cast<size_t>(n));
        if (nl == nullptr) {
            continue;  // a very long line: no cut here
        }
        const uint64_t cut =
            target + static_cast<uint64_t>(static_cast<const char*>(nl) - window.data()) + 1;
        if (cut >= size) {
            break;
        }
        parts.back().end = cut;
        parts.back().last = false;
        parts.push_back(CsvPart{.begin = cut, .end = size});
    }
    return parts;
}

Result<CsvPartRead> ReadCsvPart(const std::string& path, const CsvPart& part, RowSink& sink,
                                const CsvOptions& options) {
    uint64_t size = 0;
    const FileDescriptor fd = RAP_TRY(OpenCsv(path, options, &size));
    if (part.end > size || part.begin > part.end) {
        return Fail(Errc::kInvalidArgument, "the file became shorter while it was read",
                    Location{.file = path});
    }
    CsvReader reader(path, sink, options, /*continuation=*/!part.first());
    RAP_TRY_STATUS(FeedRange(fd, path, reader, part.begin, part.end, options));
    CsvPartRead read;
    if (part.last) {
        RAP_TRY_STATUS(reader.Finish());
    } else {
        read.ends_a_record = RAP_TRY(reader.FinishPart());
    }
    read.rows = reader.rows();
    return read;
}

Status WriteCsvFile(const std::string& path, const SheetData& sheet, char delimiter,
                    bool excel_bom) {
    if (delimiter == '"' || delimiter == '\r' || delimiter == '\n' || delimiter == '\0' ||
        (static_cast<unsigned char>(delimiter) & 0x80U) != 0) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("cannot use byte 0x{:02X} as CSV delimiter",
                                static_cast<unsigned char>(delimiter)),
                    Location{.file = path});
    }
    TempFile file(path);
    RAP_TRY_STATUS(file.Create());
    constexpr size_t kFlushBytes = size_t{1} << 20U;
    std::string out;
    out.reserve(kFlushBytes + 4096);
    if (excel_bom) {
        out += kUtf8Bom;
    }
    RAP_TRY_STATUS(AppendCsvRow(sheet.header, delimiter, path, 1, out));
    long row = 2;
    for (const auto& cells : sheet.rows) {
        RAP_TRY_STATUS(AppendCsvRow(cells, delimiter, path, row++, out));
        if (out.size() >= kFlushBytes) {
            RAP_TRY_STATUS(file.Write(out));
            out.clear();
        }
    }
    RAP_TRY_STATUS(file.Write(out));
    return file.Commit();
}

}  // namespace rap::io
