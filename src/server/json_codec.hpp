// SPDX-License-Identifier: AGPL-3.0-or-later
// JSON bodies of the API. Only json_codec.cpp includes nlohmann/json. docs/api.md describes the
// shapes; they are stable within /api/v1.
#pragma once

#include <string>
#include <string_view>

#include "app/cases.hpp"
#include "app/catalog.hpp"
#include "core/result.hpp"

namespace rap::server::json {

// {"error": {"code", "message", "request_id", "location"?}}
std::string ErrorBody(const Error& error, std::string_view request_id);
// The same with a `code` of its own, for a refusal of HTTP (HttpErrorCode) rather than an Errc.
std::string ErrorBody(std::string_view code, const Error& error, std::string_view request_id);

// {"status": "ok", "version", "schema_version", "demo"}
std::string Health(std::string_view version, int schema_version,
                   const std::optional<std::string>& demo_label);

// {"frameworks": [...]} with every version and, for adaptations, their deviations.
std::string Frameworks(const app::Catalog& catalog);

// {"framework": {...}, "areas": [...], "indicators": [...]}: an effective framework.
std::string Indicators(const app::Catalog& catalog, const framework::EffectiveFramework& eff);

// {"framework": {...}, "indicator": {...}}: one effective indicator with its comparability.
std::string Indicator(const app::Catalog& catalog, const framework::EffectiveFramework& eff,
                      const framework::EffectiveIndicator& indicator);

// {"version", "countries": [...]}: the countries file as the API shows it: codes, names,
// languages, currency, the freedom-of-information rule and the disclosure thresholds.
std::string Countries(const app::Catalog& catalog);

// {"indicator", "country", "year", "by", "values": [...]}: computed values of a case-derived
// indicator (docs/api.md).
std::string Values(const app::Catalog& catalog, const app::ValuesQuery& query,
                   const std::vector<engine::Value>& values);

}  // namespace rap::server::json
