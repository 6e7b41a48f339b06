// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/files.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <sodium.h>

namespace rap::core {

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
