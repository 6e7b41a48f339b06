// SPDX-License-Identifier: AGPL-3.0-or-later
// Enumerations written by name: the enumerator whose Name() is a text.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace rap::core {

// The enumerator of `all` whose Name(e) (found next to the enumeration) equals `text`.
template <class E, size_t N>
std::optional<E> ParseByName(std::string_view text, const std::array<E, N>& all) {
    for (E e : all) {
        if (Name(e) == text) {
            return e;
        }
    }
    return std::nullopt;
}

}  // namespace rap::core
