// SPDX-License-Identifier: AGPL-3.0-or-later
// Codelists: the allowed codes of each dimension (sex, age band, form of exploitation, ...),
// with their mappings to external standards (HTCDS, CTDC, Eurostat).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/text.hpp"

namespace rap::cases {

struct Code {
    std::string code;
    core::LocalizedText name;
    core::LocalizedText description;
    std::string parent;                          // empty for a top-level code
    std::string country;                         // empty unless the code is country-specific
    bool unknown = false;                        // the "not known" code of the list
    std::map<std::string, std::string> mappings;  // standard -> external value
};

struct Codelist {
    std::string dimension;  // upper-case dimension code, e.g. "SEX"
    std::string version;
    core::LocalizedText name;
    core::LocalizedText description;
    std::vector<std::string> mapping_standards;
    std::vector<Code> codes;
    std::string source_file;  // as given to the loader, for messages
    std::string source_text;  // the file as loaded (without a byte-order mark)
    std::string sha256;       // of source_text

    const Code* Find(std::string_view code) const;
    // Whether `code` may be used for `country` (country-scoped codes belong to one country).
    bool Allows(std::string_view code, std::string_view country) const;
    // The codes `country` may use, in file order.
    std::vector<std::string> CodesFor(std::string_view country) const;
};

// All codelists by dimension code.
class CodelistSet {
public:
    // Adds a list; reports a duplicate dimension into diags (with both files).
    void Add(Codelist list, core::Diagnostics& diags);
    const Codelist* Find(std::string_view dimension) const;
    const std::map<std::string, Codelist, std::less<>>& all() const { return lists_; }
    bool empty() const { return lists_.empty(); }

private:
    std::map<std::string, Codelist, std::less<>> lists_;
};

// Parses one codelist file (`schema: rapporteur/codelist@1`). `file` names it in messages.
// Reports every problem into diags; returns nullopt when there was any.
std::optional<Codelist> ParseCodelist(const std::string& file, std::string_view bytes,
                                      core::Diagnostics& diags);

// Whether `text` is a valid dimension code: upper-case letters, digits and '_', 2–16 characters,
// starting with a letter.
bool IsDimensionCode(std::string_view text);

}  // namespace rap::cases
