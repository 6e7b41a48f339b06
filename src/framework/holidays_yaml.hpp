// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading a country's `public_holidays` (for the countries loader only: it pulls in YAML).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "framework/holidays.hpp"

namespace YAML {
class Node;
}

namespace rap::core {
class YamlReader;
}

namespace rap::framework {

// The days off of one region, added to its country's (public_holidays.regional).
struct RegionalHolidays {
    std::string region;  // a REG code
    PublicHolidays days_off;
    Location where;
};

// Reads `node` into `h`, reporting every problem through `r`; `what` names the block in
// messages ("RS public_holidays"). With `regional`, the block may hold `regional`: a map from a
// region's code to its own days off (fixed and Easter days only), appended there.
void ParsePublicHolidays(core::YamlReader& r, const YAML::Node& node, std::string_view what,
                         PublicHolidays* h, std::vector<RegionalHolidays>* regional = nullptr);


}  // namespace rap::framework
