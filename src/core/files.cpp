// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/files.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

namespace rap::core {

Status WriteNewFile(const std::string& path, std::string_view bytes) {
    std::string temp = path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        return Fail(Errc::kInvalidArgument,
                    fmt::format("cannot write here: {}", std::strerror(errno)),
                    Location{.file = path});
    }
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            return Fail(Errc::kResourceExhausted,
                        fmt::format("cannot write: {}", std::strerror(err)),
                        Location{.file = path});
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    // link() fails when the destination exists, so nothing already there is replaced.
    const bool linked = synced && ::link(temp.c_str(), path.c_str()) == 0;
    const int err = errno;
    ::unlink(temp.c_str());
    if (!linked) {
        if (synced && err == EEXIST) {
            return Fail(Errc::kAlreadyExists, "a file of that name is already there",
                        Location{.file = path});
        }
        return Fail(Errc::kInvalidArgument, fmt::format("cannot write: {}", std::strerror(err)),
                    Location{.file = path});
    }
    return Ok();
}

bool IsSha256Hex(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        return Fail(Errc::kNotFound, "no such file", Location{.file = path});
    }
    if (!std::filesystem::is_regular_file(status)) {
        return Fail(Errc::kInvalidArgument, "not a regular file", Location{.file = path});
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return Fail(Errc::kInvalidArgument, fmt::format("cannot read: {}", ec.message()),
                    Location{.file = path});
    }
    if (size > max_bytes) {
        return Fail(Errc::kResourceExhausted,
                    fmt::format("file is {} bytes; the limit is {} bytes", size, max_bytes),
                    Location{.file = path});
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Fail(Errc::kInvalidArgument, fmt::format("cannot open: {}", std::strerror(errno)),
                    Location{.file = path});
    }
    std::string data(size, '\0');
    in.read(data.data(), static_cast<std::streamsize>(size));
    data.resize(static_cast<size_t>(in.gcount()));
    return data;
}

std::string Sha256Hex(std::string_view bytes) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data(), digest.size() * 2);
}

}  // namespace rap::core
