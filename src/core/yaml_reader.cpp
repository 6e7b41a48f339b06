// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/yaml_reader.hpp"

#include <cmath>
#include <charconv>
#include <set>

#include <fmt/format.h>

namespace rap::core {

namespace {

std::string JoinKeys(std::initializer_list<std::string_view> a,
                     std::initializer_list<std::string_view> b) {
    std::string out;
    for (auto list : {a, b}) {
        for (auto k : list) {
            if (!out.empty()) {
                out += ", ";
            }
            out += k;
        }
    }
    return out;
}

bool Contains(std::initializer_list<std::string_view> list, std::string_view key) {
    for (auto k : list) {
        if (k == key) {
            return true;
        }
    }
    return false;
}

std::string_view KindName(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null: return "nothing";
        case YAML::NodeType::Scalar: return "a single value";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Undefined: return "nothing";
    }
    return "nothing";
}

}  // namespace

std::string Quoted(std::string_view text) { return fmt::format("'{}'", text); }

std::optional<YAML::Node> YamlReader::Parse(std::string_view bytes) {
    if (bytes.size() > kMaxBytes) {
        diags_.Add(Errc::kResourceExhausted,
                   fmt::format("file is {} bytes; the limit is {} bytes", bytes.size(), kMaxBytes),
                   Location{.file = file_, .line = 1, .column = 1});
        return std::nullopt;
    }
    if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
                              (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
        diags_.Add(Errc::kInvalidArgument,
                   "file is UTF-16 encoded; save it as UTF-8 (in LibreOffice or a text editor: "
                   "encoding UTF-8)",
                   Location{.file = file_, .line = 1, .column = 1});
        return std::nullopt;
    }
    const std::string_view text = StripBom(bytes);
    if (auto bad = FindInvalidUtf8(text)) {
        diags_.Add(Errc::kInvalidArgument,
                   fmt::format("text is not valid UTF-8 (byte 0x{:02X}); the file is probably in a "
                               "legacy encoding such as Windows-1250 or ISO-8859-2; save it as "
                               "UTF-8",
                               static_cast<unsigned char>(text[bad->offset])),
                   Location{.file = file_, .line = bad->line, .column = bad->column});
        return std::nullopt;
    }
    if (text.find('\0') != std::string_view::npos) {
        const auto pos = PositionOf(text, text.find('\0'));
        diags_.Add(Errc::kInvalidArgument, "file contains a NUL byte; it is not a text file",
                   Location{.file = file_, .line = pos.line, .column = pos.column});
        return std::nullopt;
    }
    try {
        YAML::Node root = YAML::Load(std::string(text));
        if (!root.IsDefined() || root.IsNull()) {
            diags_.Add(Errc::kInvalidArgument, "file is empty",
                       Location{.file = file_, .line = 1, .column = 1});
            return std::nullopt;
        }
        return root;
    } catch (const YAML::Exception& e) {
        diags_.Add(Errc::kInvalidArgument, fmt::format("YAML syntax error: {}", e.msg),
                   Location{.file = file_,
                            .line = e.mark.is_null() ? 1 : e.mark.line + 1,
                            .column = e.mark.is_null() ? 1 : e.mark.column + 1});
        return std::nullopt;
    } catch (const std::exception& e) {
        diags_.Add(Errc::kInvalidArgument, fmt::format("cannot parse YAML: {}", e.what()),
                   Location{.file = file_, .line = 1, .column = 1});
        return std::nullopt;
    }
}

Location YamlReader::At(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) {
        return Location{.file = file_};
    }
    return Location{.file = file_, .line = mark.line + 1, .column = mark.column + 1};
}

void YamlReader::Report(const YAML::Node& node, std::string message) {
    diags_.Add(Errc::kInvalidArgument, std::move(message), At(node));
}

bool YamlReader::CountNode(const YAML::Node& node) {
    if (++nodes_ <= max_nodes_) {
        return true;
    }
    if (!budget_reported_) {
        budget_reported_ = true;
        diags_.Add(Errc::kResourceExhausted,
                   fmt::format("document has more than {} nodes (aliases expanding too far?)",
                               max_nodes_),
                   At(node));
    }
    return false;
}

bool YamlReader::Has(const YAML::Node& map, std::string_view key) {
    if (!map.IsMap()) {
        return false;
    }
    const YAML::Node& value = map[std::string(key)];
    return value.IsDefined();
}

bool YamlReader::CheckMap(const YAML::Node& node, std::string_view what,
                          std::initializer_list<std::string_view> required,
                          std::initializer_list<std::string_view> optional) {
    if (!CountNode(node)) {
        return false;
    }
    if (!node.IsMap()) {
        Report(node, fmt::format("{} must be a mapping of keys to values, found {}", what,
                                 KindName(node)));
        return false;
    }
    std::set<std::string, std::less<>> seen;
    for (const auto& entry : node) {
        const YAML::Node& key = entry.first;
        if (!key.IsScalar()) {
            Report(key, fmt::format("{}: keys must be plain words", what));
            continue;
        }
        const std::string& name = key.Scalar();
        if (!seen.insert(name).second) {
            Report(key, fmt::format("{}: duplicate key {}", what, Quoted(name)));
            continue;
        }
        if (!Contains(required, name) && !Contains(optional, name)) {
            Report(key, fmt::format("{}: unknown key {}; expected one of: {}", what, Quoted(name),
                                    JoinKeys(required, optional)));
        }
    }
    for (auto k : required) {
        if (!seen.contains(k)) {
            Report(node, fmt::format("{}: missing required key {}", what, Quoted(k)));
        }
    }
    return true;
}

bool YamlReader::CheckSchema(const YAML::Node& root, std::string_view expected,
                             std::string_view what) {
    auto schema = String(root, "schema");
    if (!schema || *schema == expected) {
        return true;
    }
    Report(root["schema"], fmt::format("this is not {}: schema is {}, expected {}", what,
                                       Quoted(*schema), expected));
    return false;
}

bool YamlReader::CheckSeq(const YAML::Node& node, std::string_view what) {
    if (!CountNode(node)) {
        return false;
    }
    if (!node.IsSequence()) {
        Report(node, fmt::format("{} must be a list, found {}", what, KindName(node)));
        return false;
    }
    return true;
}

std::optional<std::string> YamlReader::Scalar(const YAML::Node& node, std::string_view what) {
    if (!CountNode(node)) {
        return std::nullopt;
    }
    if (!node.IsScalar()) {
        Report(node, fmt::format("{} must be a single value, found {}", what, KindName(node)));
        return std::nullopt;
    }
    return ToNfc(node.Scalar());
}

std::optional<std::string> YamlReader::String(const YAML::Node& map, std::string_view key) {
    if (!Has(map, key)) {
        return std::nullopt;  // CheckMap reports missing required keys
    }
    return Scalar(map[std::string(key)], Quoted(key));
}

std::optional<long long> YamlReader::IntegerScalar(const YAML::Node& node, std::string_view what,
                                                   long long min, long long max) {
    auto text = Scalar(node, what);
    if (!text) {
        return std::nullopt;
    }
    long long value = 0;
    const char* begin = text->data();
    const char* end = begin + text->size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end) {
        Report(node, fmt::format("{} must be a whole number, found {}", what, Quoted(*text)));
        return std::nullopt;
    }
    if (value < min || value > max) {
        Report(node, fmt::format("{} must be between {} and {}, found {}", what, min, max, value));
        return std::nullopt;
    }
    return value;
}

std::optional<long long> YamlReader::Integer(const YAML::Node& map, std::string_view key,
                                             long long min, long long max) {
    if (!Has(map, key)) {
        return std::nullopt;  // CheckMap reports missing required keys
    }
    return IntegerScalar(map[std::string(key)], Quoted(key), min, max);
}

std::optional<double> YamlReader::NumberScalar(const YAML::Node& node, std::string_view what,
                                               double min, double max) {
    auto text = Scalar(node, what);
    if (!text) {
        return std::nullopt;
    }
    double value = 0;
    const char* begin = text->data();
    const char* end = begin + text->size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
        Report(node, fmt::format("{} must be a number, found {}", what, Quoted(*text)));
        return std::nullopt;
    }
    if (value < min || value > max) {
        Report(node, fmt::format("{} must be between {} and {}, found {}", what, min, max, value));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& map, std::string_view key) {
    if (!Has(map, key)) {
        return std::nullopt;  // CheckMap reports missing required keys
    }
    const YAML::Node& node = map[std::string(key)];
    auto text = Scalar(node, Quoted(key));
    if (!text) {
        return std::nullopt;
    }
    if (*text == "true") {
        return true;
    }
    if (*text == "false") {
        return false;
    }
    Report(node, fmt::format("{} must be true or false, found {}", Quoted(key), Quoted(*text)));
    return std::nullopt;
}

std::optional<LocalizedText> YamlReader::Text(const YAML::Node& map, std::string_view key) {
    if (!Has(map, key)) {
        return std::nullopt;  // CheckMap reports missing required keys
    }
    const YAML::Node& node = map[std::string(key)];
    if (!CountNode(node)) {
        return std::nullopt;
    }
    if (!node.IsMap()) {
        Report(node, fmt::format("{} must map language tags to text (for example en: ...), "
                                 "found {}",
                                 Quoted(key), KindName(node)));
        return std::nullopt;
    }
    LocalizedText text;
    bool ok = true;
    for (const auto& entry : node) {
        const YAML::Node& lang = entry.first;
        if (!lang.IsScalar() || !IsKnownLanguage(lang.Scalar())) {
            Report(lang, fmt::format("{}: unknown language tag {}; expected one of: en, sq, "
                                     "sr-Latn, sr-Cyrl, mk, bs, cnr",
                                     Quoted(key), Quoted(lang.IsScalar() ? lang.Scalar() : "?")));
            ok = false;
            continue;
        }
        if (text.Has(lang.Scalar())) {
            Report(lang, fmt::format("{}: duplicate language {}", Quoted(key),
                                     Quoted(lang.Scalar())));
            ok = false;
            continue;
        }
        auto value = Scalar(entry.second, fmt::format("{}.{}", key, lang.Scalar()));
        if (!value) {
            ok = false;
            continue;
        }
        if (value->find_first_not_of(" \t\r\n") == std::string::npos) {
            Report(entry.second, fmt::format("{}.{} is empty", key, lang.Scalar()));
            ok = false;
            continue;
        }
        text.Set(lang.Scalar(), std::move(*value));
    }
    if (ok && !text.Has(kReferenceLanguage)) {
        Report(node, fmt::format("{} needs an English text (en: ...)", Quoted(key)));
        ok = false;
    }
    if (!ok) {
        return std::nullopt;
    }
    return text;
}

std::optional<std::vector<std::pair<std::string, YAML::Node>>> YamlReader::StringList(
    const YAML::Node& map, std::string_view key) {
    if (!Has(map, key)) {
        return std::nullopt;  // CheckMap reports missing required keys
    }
    const YAML::Node& node = map[std::string(key)];
    if (!CheckSeq(node, Quoted(key))) {
        return std::nullopt;
    }
    std::vector<std::pair<std::string, YAML::Node>> out;
    bool ok = true;
    for (const auto& item : node) {
        auto value = Scalar(item, fmt::format("each entry of {}", Quoted(key)));
        if (!value) {
            ok = false;
            continue;
        }
        out.emplace_back(std::move(*value), item);
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

}  // namespace rap::core
