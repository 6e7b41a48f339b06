// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cases/cell_parse.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rap::cases {

namespace {

using core::EqualsIgnoreCase;

std::optional<long long> ParseWhole(std::string_view s) {
    // Spreadsheets may hand an integer over as "12.0".
    if (s.size() > 2 && s.substr(s.size() - 2) == ".0") {
        s.remove_suffix(2);
    }
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
        return std::nullopt;
    }
    return v;
}

std::string AllowedCodes(const Codelist& list) {
    std::string out;
    size_t shown = 0;
    for (const auto& c : list.codes) {
        if (shown == 25) {
            out += fmt::format(", ... ({} codes in all, see codelist {})", list.codes.size(),
                               list.dimension);
            break;
        }
        out += out.empty() ? c.code : ", " + c.code;
        ++shown;
    }
    return out;
}

int FindCode(const Codelist& list, std::string_view text) {
    for (size_t i = 0; i < list.codes.size(); ++i) {
        if (list.codes[i].code == text) {
            return static_cast<int>(i);
        }
    }
    for (size_t i = 0; i < list.codes.size(); ++i) {
        if (EqualsIgnoreCase(list.codes[i].code, text)) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

std::optional<int64_t> ParseMonth(std::string_view s, CellSource source) {
    auto to_month = [](long long year, long long month) -> std::optional<int64_t> {
        if (year < 1900 || year > 2100 || month < 1 || month > 12) {
            return std::nullopt;
        }
        return MonthIndex(static_cast<int>(year), static_cast<int>(month));
    };
    for (char sep : {'-', '/', '.'}) {
        const size_t at = s.find(sep);
        if (at == std::string_view::npos || s.find(sep, at + 1) != std::string_view::npos) {
            continue;
        }
        auto a = ParseWhole(s.substr(0, at));
        auto b = ParseWhole(s.substr(at + 1));
        if (!a || !b) {
            return std::nullopt;
        }
        return at == 4 ? to_month(*a, *b) : to_month(*b, *a);  // 2024-03 or 03/2024
    }
    // A workbook's date serial (days since 1899-12-30) between 2000 and 2100. Only a number
    // cell of a workbook is one: in text (CSV), 45000 is more likely a mistake than a date.
    if (source != CellSource::kSpreadsheetNumber) {
        return std::nullopt;
    }
    if (auto serial = ParseWhole(s); serial && *serial >= 36526 && *serial <= 73415) {
        // Civil-from-days (Howard Hinnant's algorithm), keeping year and month only.
        long long z = *serial - 25569 + 719468;  // days since 1970-01-01, shifted to 0000-03-01
        const long long era = z / 146097;
        const long long doe = z - era * 146097;
        const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const long long mp = (5 * doy + 2) / 153;
        const long long month = mp < 10 ? mp + 3 : mp - 9;
        const long long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return to_month(year, month);
    }
    return std::nullopt;
}

std::optional<int64_t> ParseAmountCents(std::string_view s) {
    const size_t sep = s.find_first_of(".,");
    std::string_view whole = s.substr(0, sep);
    std::string_view frac = sep == std::string_view::npos ? std::string_view() : s.substr(sep + 1);
    if (whole.empty() || frac.size() > 2 || frac.find_first_of(".,") != std::string_view::npos ||
        (sep != std::string_view::npos && frac.empty())) {
        return std::nullopt;
    }
    auto all_digits = [](std::string_view d) {
        return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!all_digits(whole) || !all_digits(frac) || whole.size() > 13) {
        return std::nullopt;
    }
    int64_t cents = 0;
    std::from_chars(whole.data(), whole.data() + whole.size(), cents);
    cents *= 100;
    if (!frac.empty()) {
        int64_t f = 0;
        std::from_chars(frac.data(), frac.data() + frac.size(), f);
        cents += frac.size() == 1 ? f * 10 : f;
    }
    return cents;
}

std::optional<int8_t> ParseBool(std::string_view s) {
    static constexpr std::string_view kYes[] = {"yes", "true", "1", "da", "po", "да", "y"};
    static constexpr std::string_view kNo[] = {"no", "false", "0", "ne", "jo", "не", "n"};
    for (auto y : kYes) {
        if (EqualsIgnoreCase(s, y)) {
            return 1;
        }
    }
    for (auto n : kNo) {
        if (EqualsIgnoreCase(s, n)) {
            return 0;
        }
    }
    // Cyrillic upper case (ДА / НЕ) is not covered by the ASCII comparison.
    if (s == "ДА" || s == "Да") {
        return 1;
    }
    if (s == "НЕ" || s == "Не") {
        return 0;
    }
    return std::nullopt;
}

bool IsIdText(std::string_view s) {
    if (s.empty() || s.size() > 64 || !std::isalnum(static_cast<unsigned char>(s[0]))) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
}

}  // namespace

std::string ShownCell(std::string_view cell) {
    size_t cut = std::min<size_t>(cell.size(), 60);
    while (cut < cell.size() && cut > 0 &&
           (static_cast<unsigned char>(cell[cut]) & 0xC0U) == 0x80U) {
        --cut;  // never split a UTF-8 sequence
    }
    std::string out(cell.substr(0, cut));
    if (cut < cell.size()) {
        out += "...";
    }
    return fmt::format("'{}'", out);
}

std::string_view TrimCell(std::string_view cell) {
    auto is_space = [&](size_t at, bool from_end) -> size_t {
        // Returns the width of a space character at the front/back, or 0.
        if (cell.empty()) {
            return 0;
        }
        const char c = from_end ? cell.back() : cell.front();
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            return 1;
        }
        constexpr std::string_view kNbsp = "\xC2\xA0";
        if (cell.size() >= 2 && (from_end ? cell.substr(cell.size() - 2) : cell.substr(0, 2)) ==
                                    kNbsp) {
            return 2;
        }
        static_cast<void>(at);
        return 0;
    };
    for (size_t n; (n = is_space(0, false)) > 0;) {
        cell.remove_prefix(n);
    }
    for (size_t n; (n = is_space(0, true)) > 0;) {
        cell.remove_suffix(n);
    }
    return cell;
}

void LimitToToday(CellContext& context) {
    // Today where it is latest in the region (UTC+2 in summer), so that a record of a month that
    // has begun there is never refused as one to come.
    const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(
        std::chrono::system_clock::now() + std::chrono::hours(2)));
    const int year = static_cast<int>(today.year());
    context.latest_year = year;
    context.latest_month = MonthIndex(year, static_cast<int>(static_cast<unsigned>(today.month())));
}

std::optional<std::string> AppendCell(Column& column, std::string_view raw,
                                      const CellContext& context, CellSource source) {
    const FieldDef& field = *column.field;
    const std::string_view cell = TrimCell(raw);
    if (cell.empty()) {
        column.AppendNull();
        if (field.required) {
            return std::string("is required and may not be empty");
        }
        return std::nullopt;
    }
    auto fail = [&](std::string message) {
        column.AppendNull();
        return std::optional<std::string>(std::move(message));
    };
    switch (field.type) {
        case FieldType::kId:
            if (!IsIdText(cell)) {
                return fail(fmt::format("{} is not a valid identifier: use 1-64 letters, digits, "
                                        "'.', '_' or '-', starting with a letter or digit (a "
                                        "pseudonym such as RS-2024-000123, never a name)",
                                        ShownCell(cell)));
            }
            column.text.emplace_back(cell);
            return std::nullopt;
        case FieldType::kCountry: {
            for (const auto& cc : context.countries) {
                if (EqualsIgnoreCase(cc, cell)) {
                    column.text.push_back(cc);
                    return std::nullopt;
                }
            }
            return fail(fmt::format("{} is not a country code; expected one of: {}",
                                    ShownCell(cell), fmt::join(context.countries, ", ")));
        }
        case FieldType::kYear: {
            auto v = ParseWhole(cell);
            if (!v || *v < 2000 || *v > 2100) {
                return fail(fmt::format("{} is not a year between 2000 and 2100", ShownCell(cell)));
            }
            if (*v > context.latest_year) {
                return fail(fmt::format("{} is in the future; expected a year up to {}",
                                        ShownCell(cell), context.latest_year));
            }
            column.number.push_back(*v);
            return std::nullopt;
        }
        case FieldType::kMonth: {
            auto v = ParseMonth(cell, source);
            if (!v) {
                const bool bare_number = ParseWhole(cell).has_value();
                return fail(fmt::format("{} is not a month; write it as 2024-03 (month-level "
                                        "dates only: never record the day){}",
                                        ShownCell(cell),
                                        bare_number && source == CellSource::kText
                                            ? "; a number is read as a date only from a date "
                                              "cell of an XLSX workbook, never from text or CSV"
                                            : ""));
            }
            if (*v > context.latest_month) {
                return fail(fmt::format("{} is in the future; expected a month up to {}",
                                        ShownCell(cell), MonthText(context.latest_month)));
            }
            column.number.push_back(*v);
            return std::nullopt;
        }
        case FieldType::kInteger: {
            auto v = ParseWhole(cell);
            if (!v || *v < field.min || *v > field.max) {
                return fail(fmt::format("{} is not a whole number between {} and {}",
                                        ShownCell(cell), field.min, field.max));
            }
            column.number.push_back(*v);
            return std::nullopt;
        }
        case FieldType::kAmount: {
            auto v = ParseAmountCents(cell);
            if (!v) {
                return fail(fmt::format("{} is not an amount in EUR; write 1234.50 or 1234,50 "
                                        "(no thousands separators, no currency sign, not "
                                        "negative)",
                                        ShownCell(cell)));
            }
            column.number.push_back(*v);
            return std::nullopt;
        }
        case FieldType::kBool: {
            auto v = ParseBool(cell);
            if (!v) {
                return fail(fmt::format("{} is not yes or no (also accepted: true/false, 1/0, "
                                        "da/ne, po/jo); leave the cell empty if not recorded",
                                        ShownCell(cell)));
            }
            column.flag.push_back(*v);
            return std::nullopt;
        }
        case FieldType::kCode: {
            const int i = FindCode(*column.codelist, cell);
            if (i < 0) {
                return fail(fmt::format("{} is not a code of {}; allowed: {}", ShownCell(cell),
                                        field.codelist, AllowedCodes(*column.codelist)));
            }
            column.code.push_back(i);
            return std::nullopt;
        }
        case FieldType::kCodes: {
            if (EqualsIgnoreCase(cell, "none") && FindCode(*column.codelist, "none") < 0) {
                column.set.push_back(0);
                return std::nullopt;
            }
            uint64_t bits = 0;
            size_t start = 0;
            while (start <= cell.size()) {
                size_t end = cell.find_first_of(";,|", start);
                if (end == std::string_view::npos) {
                    end = cell.size();
                }
                const std::string_view part = TrimCell(cell.substr(start, end - start));
                start = end + 1;
                if (part.empty()) {
                    continue;
                }
                const int i = FindCode(*column.codelist, part);
                if (i < 0) {
                    return fail(fmt::format("{} is not a code of {}; allowed (separate several "
                                            "with ';'): {}",
                                            ShownCell(part), field.codelist,
                                            AllowedCodes(*column.codelist)));
                }
                const uint64_t bit = uint64_t{1} << static_cast<unsigned>(i);
                if ((bits & bit) != 0) {
                    return fail(fmt::format("{} is listed twice", ShownCell(part)));
                }
                bits |= bit;
            }
            if (bits == 0) {
                return fail(fmt::format("{} lists no codes; write 'none' for none, or leave the "
                                        "cell empty when it was not recorded",
                                        ShownCell(cell)));
            }
            column.set.push_back(bits);
            return std::nullopt;
        }
    }
    return fail("unsupported field type");
}

}  // namespace rap::cases
