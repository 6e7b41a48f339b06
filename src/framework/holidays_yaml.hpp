// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading a country's `public_holidays` (for the countries loader only: it pulls in YAML).
#pragma once

#include <string_view>

#include "framework/holidays.hpp"

namespace YAML {
class Node;
}

namespace rap::core {
class YamlReader;
}

namespace rap::framework {

// Reads `node` into `h`, reporting every problem through `r`; `what` names the block in
// messages ("RS public_holidays").
void ParsePublicHolidays(core::YamlReader& r, const YAML::Node& node, std::string_view what,
                         PublicHolidays* h);

}  // namespace rap::framework
