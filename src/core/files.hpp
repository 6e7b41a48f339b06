// SPDX-License-Identifier: AGPL-3.0-or-later
// Small file-system helpers that report failures as Errors.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace rap::core {

// Reads a whole regular file. Fails with kNotFound (missing), kInvalidArgument (a directory or
// not readable) or kResourceExhausted (larger than max_bytes).
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = 64U << 20U);

// Writes `bytes` to a new file at `path`: kAlreadyExists when something is there already (it is
// never overwritten), and the file appears whole or not at all (it is written beside the
// destination and then linked into place).
Status WriteNewFile(const std::string& path, std::string_view bytes);

// Lower-case hex SHA-256 of the bytes.
std::string Sha256Hex(std::string_view bytes);
// Whether `text` looks like what Sha256Hex returns: 64 lower-case hex digits.
bool IsSha256Hex(std::string_view text);

}  // namespace rap::core
