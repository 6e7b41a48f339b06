// SPDX-License-Identifier: AGPL-3.0-or-later
// Loader for codelist files. See docs/data-formats.md.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "cases/codelist.hpp"
#include "core/files.hpp"
#include "core/yaml_reader.hpp"

namespace rap::cases {

namespace {

constexpr std::string_view kSchema = "rapporteur/codelist@1";

bool IsCodeText(std::string_view text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '+' || c == '-';
    });
}

bool IsCountryCode(std::string_view text) {
    return text.size() == 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' &&
           text[1] <= 'Z';
}

}  // namespace

std::optional<Codelist> ParseCodelist(const std::string& file, std::string_view bytes,
                                      core::Diagnostics& diags) {
    const size_t errors_before = diags.size();
    core::YamlReader r(file, diags);
    auto root = r.Parse(bytes);
    if (!root) {
        return std::nullopt;
    }
    if (!r.CheckMap(*root, "codelist file",
                    {"schema", "dimension", "version", "name", "codes"},
                    {"description", "mappings"})) {
        return std::nullopt;
    }
    Codelist list;
    list.source_file = file;
    list.source_text = std::string(core::StripBom(bytes));
    list.sha256 = core::Sha256Hex(list.source_text);
    if (!r.CheckSchema(*root, kSchema, "a codelist file")) {
        return std::nullopt;
    }
    if (auto dim = r.String(*root, "dimension")) {
        if (!IsDimensionCode(*dim)) {
            r.Report((*root)["dimension"],
                     fmt::format("dimension {} must be 2-16 upper-case letters, digits or '_'",
                                 core::Quoted(*dim)));
        }
        list.dimension = *dim;
    }
    if (auto v = r.String(*root, "version")) {
        list.version = *v;
    }
    if (auto t = r.Text(*root, "name")) {
        list.name = *t;
    }
    if (core::YamlReader::Has(*root, "description")) {
        if (auto t = r.Text(*root, "description")) {
            list.description = *t;
        }
    }
    std::set<std::string, std::less<>> standards;
    if (core::YamlReader::Has(*root, "mappings")) {
        if (auto m = r.StringList(*root, "mappings")) {
            for (auto& [name, node] : *m) {
                if (!IsCodeText(name) || !standards.insert(name).second) {
                    r.Report(node, fmt::format("mapping standard {} is invalid or repeated",
                                               core::Quoted(name)));
                    continue;
                }
                list.mapping_standards.push_back(name);
            }
        }
    }

    const YAML::Node codes = (*root)["codes"];
    std::map<std::string, YAML::Node, std::less<>> code_nodes;
    int unknown_count = 0;
    if (codes.IsDefined() && r.CheckSeq(codes, "'codes'")) {
        if (codes.size() == 0) {
            r.Report(codes, "'codes' is empty; a codelist needs at least one code");
        }
        for (const auto& item : codes) {
            std::vector<std::string_view> optional = {"parent", "country", "unknown",
                                                      "description"};
            // Mapping keys are declared by the list itself, so check them separately below.
            if (!item.IsMap()) {
                r.CheckMap(item, "code entry", {}, {});
                continue;
            }
            Code code;
            if (auto c = r.String(item, "code")) {
                code.code = *c;
                if (!IsCodeText(code.code)) {
                    r.Report(item["code"], fmt::format("code {} may only contain letters, "
                                                       "digits and _ . + -",
                                                       core::Quoted(code.code)));
                } else if (code_nodes.contains(code.code)) {
                    r.Report(item["code"], fmt::format("duplicate code {} (first defined at "
                                                       "line {})",
                                                       core::Quoted(code.code),
                                                       r.At(code_nodes[code.code]).line));
                } else {
                    code_nodes.emplace(code.code, item);
                }
            } else {
                r.Report(item, "code entry: missing required key 'code'");
            }
            std::set<std::string, std::less<>> seen_keys;
            for (const auto& entry : item) {
                const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
                if (!seen_keys.insert(key).second) {
                    r.Report(entry.first, fmt::format("code {}: duplicate key {}",
                                                      core::Quoted(code.code), core::Quoted(key)));
                    continue;
                }
                if (key == "code" || key == "name") {
                    continue;
                }
                if (std::find(optional.begin(), optional.end(), key) != optional.end()) {
                    continue;
                }
                if (standards.contains(key)) {
                    if (auto v = r.Scalar(entry.second, core::Quoted(key))) {
                        code.mappings[key] = *v;
                    }
                    continue;
                }
                r.Report(entry.first,
                         fmt::format("code {}: unknown key {}; expected name, parent, country, "
                                     "unknown, description or a mapping listed in 'mappings'",
                                     core::Quoted(code.code), core::Quoted(key)));
            }
            if (!core::YamlReader::Has(item, "name")) {
                r.Report(item, fmt::format("code {}: missing required key 'name'",
                                           core::Quoted(code.code)));
            } else if (auto t = r.Text(item, "name")) {
                code.name = *t;
            }
            if (core::YamlReader::Has(item, "description")) {
                if (auto t = r.Text(item, "description")) {
                    code.description = *t;
                }
            }
            if (core::YamlReader::Has(item, "parent")) {
                if (auto p = r.String(item, "parent")) {
                    code.parent = *p;
                }
            }
            if (core::YamlReader::Has(item, "country")) {
                if (auto c = r.String(item, "country")) {
                    if (!IsCountryCode(*c)) {
                        r.Report(item["country"],
                                 fmt::format("country {} must be an ISO 3166-1 alpha-2 code in "
                                             "upper case, e.g. RS",
                                             core::Quoted(*c)));
                    }
                    code.country = *c;
                }
            }
            if (core::YamlReader::Has(item, "unknown")) {
                if (auto u = r.Bool(item, "unknown")) {
                    code.unknown = *u;
                    if (*u && ++unknown_count == 2) {
                        r.Report(item["unknown"], "only one code may be marked unknown: true");
                    }
                }
            }
            list.codes.push_back(std::move(code));
        }
    }
    // Parents must exist and must not form a cycle.
    for (const Code& c : list.codes) {
        if (c.parent.empty()) {
            continue;
        }
        auto node_it = code_nodes.find(c.code);
        const YAML::Node where = node_it != code_nodes.end() ? node_it->second["parent"] : codes;
        if (list.Find(c.parent) == nullptr) {
            r.Report(where, fmt::format("code {}: parent {} is not a code of this list",
                                        core::Quoted(c.code), core::Quoted(c.parent)));
            continue;
        }
        std::string at = c.parent;
        for (size_t depth = 0; !at.empty(); ++depth) {
            if (at == c.code || depth > list.codes.size()) {
                r.Report(where, fmt::format("code {}: parents form a cycle", core::Quoted(c.code)));
                break;
            }
            const Code* p = list.Find(at);
            at = p == nullptr ? std::string() : p->parent;
        }
    }
    if (diags.size() != errors_before) {
        return std::nullopt;
    }
    return list;
}

}  // namespace rap::cases
