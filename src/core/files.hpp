// SPDX-License-Identifier: AGPL-3.0-or-later
// Small file-system helpers that report failures as Errors.
#pragma once

#include <string>

#include "core/result.hpp"

namespace rap::core {

// Reads a whole regular file. Fails with kNotFound (missing), kInvalidArgument (a directory or
// not readable) or kResourceExhausted (larger than max_bytes).
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = 64U << 20U);

// Lower-case hex SHA-256 of the bytes.
std::string Sha256Hex(std::string_view bytes);

}  // namespace rap::core
