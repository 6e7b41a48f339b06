// SPDX-License-Identifier: AGPL-3.0-or-later
#include "store/store.hpp"

#include <algorithm>

namespace rap::store {

std::string_view Name(Backend backend) {
    return backend == Backend::kSqlite ? "sqlite" : "postgresql";
}

Target Target::Parse(std::string_view text) {
    for (std::string_view prefix : {"postgresql://", "postgres://"}) {
        if (text.substr(0, prefix.size()) == prefix) {
            return Target{Backend::kPostgres, std::string(text)};
        }
    }
    return Target{Backend::kSqlite, std::string(text)};
}

std::string Target::ToDisplayString() const {
    if (backend == Backend::kSqlite) {
        return location;
    }
    // postgresql://user:secret@host/db -> postgresql://user:***@host/db
    std::string out = location;
    const size_t scheme = out.find("://");
    const size_t authority_end = out.find_first_of("/?", scheme + 3);
    const size_t at = out.find('@', scheme + 3);
    if (scheme != std::string::npos && at != std::string::npos && at < authority_end) {
        const size_t colon = out.find(':', scheme + 3);
        if (colon != std::string::npos && colon < at) {
            out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    // A password given as a query parameter (?password=...) is masked too.
    const size_t pw = out.find("password=");
    if (pw != std::string::npos) {
        const size_t end = out.find('&', pw);
        out.replace(pw + 9, (end == std::string::npos ? out.size() : end) - pw - 9, "***");
    }
    return out;
}

int SaveReport::stored() const {
    return static_cast<int>(std::count_if(items.begin(), items.end(),
                                          [](const Item& i) { return i.stored; }));
}

int SaveReport::unchanged() const { return static_cast<int>(items.size()) - stored(); }

}  // namespace rap::store
