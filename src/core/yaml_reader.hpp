// SPDX-License-Identifier: AGPL-3.0-or-later
// Strict reading of YAML documents with positions in every message. Only loaders (*_yaml.cpp)
// include this header, because it brings in yaml-cpp.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/diagnostics.hpp"
#include "core/text.hpp"

namespace rap::core {

// Reads one document. Every check reports into the Diagnostics with file:line:column and returns
// an empty optional (or false) so that the caller can carry on and find further problems.
// yaml-cpp exceptions never leave this class.
class YamlReader {
public:
    // Largest YAML file accepted, and the most nodes walked (guards against alias bombs).
    static constexpr size_t kMaxBytes = 16U << 20U;
    static constexpr size_t kMaxNodes = 2'000'000;

    YamlReader(std::string file, Diagnostics& diags, size_t max_nodes = kMaxNodes)
        : file_(std::move(file)), diags_(diags), max_nodes_(max_nodes) {}

    // Checks size and encoding (UTF-8, optional BOM), then parses. Reports and returns nullopt
    // on failure.
    std::optional<YAML::Node> Parse(std::string_view bytes);

    const std::string& file() const { return file_; }
    Diagnostics& diagnostics() { return diags_; }

    Location At(const YAML::Node& node) const;
    void Report(const YAML::Node& node, std::string message);

    // Checks that `node` is a mapping whose keys are unique strings among required + optional,
    // and that every required key is present. `what` names the thing for messages ("indicator
    // ID.2"). Returns false (after reporting) when the node is not a mapping.
    bool CheckMap(const YAML::Node& node, std::string_view what,
                  std::initializer_list<std::string_view> required,
                  std::initializer_list<std::string_view> optional);

    // Checks the document's `schema:` key names `expected`; `what` names the kind of file for the
    // message ("a codelist file"). A missing key is left to CheckMap. Returns false after
    // reporting when the file is some other kind.
    bool CheckSchema(const YAML::Node& root, std::string_view expected, std::string_view what);

    // Checks that `node` is a sequence; reports and returns false otherwise.
    bool CheckSeq(const YAML::Node& node, std::string_view what);

    static bool Has(const YAML::Node& map, std::string_view key);

    // Getters for map[key]. An absent key yields nullopt without a report (CheckMap reports
    // missing required keys); a present but malformed value is reported.
    // The scalar at map[key] as a string; text is NFC-normalised.
    std::optional<std::string> String(const YAML::Node& map, std::string_view key);
    // As String but for the node itself.
    std::optional<std::string> Scalar(const YAML::Node& node, std::string_view what);
    std::optional<long long> Integer(const YAML::Node& map, std::string_view key, long long min,
                                     long long max);
    std::optional<long long> IntegerScalar(const YAML::Node& node, std::string_view what,
                                           long long min, long long max);
    // A finite decimal number ("0.6", "117.25") between min and max.
    std::optional<double> NumberScalar(const YAML::Node& node, std::string_view what, double min,
                                       double max);
    std::optional<bool> Bool(const YAML::Node& map, std::string_view key);
    // A multilingual text: a mapping of known language tags to non-empty strings, `en` required.
    std::optional<LocalizedText> Text(const YAML::Node& map, std::string_view key);
    // A sequence of scalars; each is returned with its node for later messages.
    std::optional<std::vector<std::pair<std::string, YAML::Node>>> StringList(
        const YAML::Node& map, std::string_view key);

private:
    bool CountNode(const YAML::Node& node);

    std::string file_;
    Diagnostics& diags_;
    size_t max_nodes_;
    size_t nodes_ = 0;
    bool budget_reported_ = false;
};

// The text of a node's key for messages: `key` quoted.
std::string Quoted(std::string_view text);

}  // namespace rap::core
