// SPDX-License-Identifier: AGPL-3.0-or-later
// Indicator frameworks as data: the regional core, national adaptations that record every
// deviation from it, and the effective national framework with a comparability class per
// indicator. The file format is described in docs/data-formats.md.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "core/text.hpp"
#include "framework/derivation.hpp"
#include "framework/rules.hpp"

namespace rap::framework {

enum class IndicatorType { kStructural, kProcess, kOutcome };
enum class ValueKind { kYN, kYNP, kSC3, kNUM, kPCT, kRATE, kMED, kAMT };
enum class Direction { kHigher, kLower, kContextual };
enum class IndicatorStatus { kActive, kRetired };
enum class FrameworkKind { kCore, kNational };
enum class DeviationType { kNotApplicable, kRedefined, kExtraDisaggregation, kNationalIndicator };
enum class RedefinitionScope { kRenamed, kNarrowed, kBroadened };
enum class Comparability { kIdentical, kAdapted, kNationalOnly, kNotApplicable };

// Stable names as written in the YAML files and the API ("structural", "YNP", "higher", ...).
std::string_view Name(IndicatorType v);
std::string_view Name(ValueKind v);
std::string_view Name(Direction v);
std::string_view Name(IndicatorStatus v);
std::string_view Name(FrameworkKind v);
std::string_view Name(DeviationType v);
std::string_view Name(RedefinitionScope v);
std::string_view Name(Comparability v);
std::optional<ValueKind> ParseValueKind(std::string_view text);

// The four levels (0-3) of an SC3 score.
using Rubric = std::array<core::LocalizedText, 4>;

// One value of an indicator. Most indicators have one measure (id "value"); combined ones, such
// as a count and a share, have several.
struct Measure {
    std::string id;
    ValueKind kind = ValueKind::kNUM;
    std::string unit;  // "none" for YN/YNP/SC3
    Direction direction = Direction::kContextual;
    core::LocalizedText name;  // empty for a single measure
};

struct LegalRef {
    std::string instrument;  // abbreviation defined in the framework's legal_instruments
    std::string articles;
};

struct Indicator {
    std::string code;  // "ID.2", or "ID.RS.1" for a national indicator
    std::string area;
    core::LocalizedText name;
    core::LocalizedText description;
    std::vector<IndicatorType> types;
    std::vector<Measure> measures;
    std::vector<std::string> disaggregations;  // dimension codes
    std::vector<std::string> sources;
    std::vector<LegalRef> legal_refs;
    std::optional<Rubric> rubric;  // only SC3 measures
    std::optional<Derivation> derivation;  // case-derived indicators
    IndicatorStatus status = IndicatorStatus::kActive;
    Location where;                             // the indicator's entry in its file
    std::vector<Location> disaggregation_where;  // parallel to disaggregations

    bool HasKind(ValueKind kind) const;
    const Measure* FindMeasure(std::string_view id) const;  // null when it has none of that id
    std::vector<std::string> MeasureIds() const;            // in declaration order
};

struct Area {
    std::string code;
    core::LocalizedText name;
    core::LocalizedText description;
};

struct Deviation {
    DeviationType type = DeviationType::kNotApplicable;
    std::string indicator;  // the code it concerns (the new code for a national indicator)
    core::LocalizedText reason;
    RedefinitionScope scope = RedefinitionScope::kRenamed;  // kRedefined only
    std::optional<core::LocalizedText> name;                // kRedefined only
    std::optional<core::LocalizedText> description;         // kRedefined only
    std::vector<std::string> dimensions;                    // kExtraDisaggregation only
    std::optional<Indicator> national;                      // kNationalIndicator only
    std::string framework_id;                               // the adaptation that declares it
    Location where;
    std::vector<Location> dimension_where;  // parallel to dimensions
};

struct Framework {
    std::string id;
    std::string version;
    FrameworkKind kind = FrameworkKind::kCore;
    std::string country;          // national only
    std::string extends;          // national only: id of the framework it adapts
    std::string extends_version;  // optional pin
    core::LocalizedText name;
    core::LocalizedText description;
    bool example = false;  // deviations are illustrative examples
    std::optional<Rubric> default_rubric;
    std::map<std::string, core::LocalizedText, std::less<>> sources;
    std::map<std::string, core::LocalizedText, std::less<>> legal_instruments;
    std::vector<Area> areas;
    std::vector<Indicator> indicators;  // core: all; national: none (see deviations)
    std::vector<Deviation> deviations;  // national only
    std::vector<ValidationRule> rules;  // core and national (national ones add to the core's)
    ScoringRules scoring;               // core only (a national file may not declare one)

    std::string source_file;
    std::string source_text;  // the file as loaded, kept so that the store can persist it
    std::string sha256;
    Location extends_where;

    const Indicator* FindIndicator(std::string_view code) const;
    const Area* FindArea(std::string_view code) const;
};

// Parses one framework file (`schema: rapporteur/framework@1`) and checks everything that can be
// checked within the file. Cross-file checks (extends, dimensions) are FrameworkSet's.
std::optional<Framework> ParseFramework(const std::string& file, std::string_view bytes,
                                        core::Diagnostics& diags);

// Splits an indicator code: "ID.3" gives area ID and no country; "ID.RS.1" gives area ID and
// country RS. Returns false when the code has neither shape.
bool ParseIndicatorCode(std::string_view code, std::string* area, std::string* country);

// Compares "MAJOR.MINOR.PATCH" versions numerically; returns <0, 0 or >0.
int CompareVersions(std::string_view a, std::string_view b);
bool IsVersion(std::string_view text);

// An indicator as it applies in one country.
struct EffectiveIndicator {
    Indicator indicator;  // with national names, definitions and disaggregations applied
    Comparability comparability = Comparability::kIdentical;
    std::vector<Deviation> deviations;          // every deviation that touched it, core first
    std::vector<std::string> national_dimensions;  // dimensions added nationally
};

// The resolved framework of one country (or the core itself, with every class kIdentical).
struct EffectiveFramework {
    std::string id;  // the framework resolved
    std::string version;
    std::string country;                                  // empty for the core
    std::vector<std::pair<std::string, std::string>> chain;  // (id, version), core first
    std::vector<Area> areas;
    std::vector<EffectiveIndicator> indicators;  // core order, then national indicators
    // Every rule of the chain whose indicators all apply in this country, core first.
    std::vector<ValidationRule> rules;
    ScoringRules scoring;  // the core's

    const EffectiveIndicator* Find(std::string_view code) const;
};

}  // namespace rap::framework
