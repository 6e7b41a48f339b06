// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cases/codelist.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace rap::cases {

const Code* Codelist::Find(std::string_view code) const {
    auto it = std::find_if(codes.begin(), codes.end(), [&](const Code& c) { return c.code == code; });
    return it == codes.end() ? nullptr : &*it;
}

bool Codelist::Allows(std::string_view code, std::string_view country) const {
    const Code* c = Find(code);
    return c != nullptr && (c->country.empty() || c->country == country);
}

std::vector<std::string> Codelist::CodesFor(std::string_view country) const {
    std::vector<std::string> out;
    for (const Code& c : codes) {
        if (c.country.empty() || c.country == country) {
            out.push_back(c.code);
        }
    }
    return out;
}

void CodelistSet::Add(Codelist list, core::Diagnostics& diags) {
    auto it = lists_.find(list.dimension);
    if (it != lists_.end()) {
        diags.Add(Errc::kInvalidArgument,
                  fmt::format("dimension {} is already defined by {}", list.dimension,
                              it->second.source_file),
                  Location{.file = list.source_file, .line = 1, .column = 1});
        return;
    }
    std::string key = list.dimension;
    lists_.emplace(std::move(key), std::move(list));
}

const Codelist* CodelistSet::Find(std::string_view dimension) const {
    auto it = lists_.find(dimension);
    return it == lists_.end() ? nullptr : &it->second;
}

bool IsDimensionCode(std::string_view text) {
    if (text.size() < 2 || text.size() > 16 || !(text[0] >= 'A' && text[0] <= 'Z')) {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace rap::cases
