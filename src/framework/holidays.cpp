// SPDX-License-Identifier: AGPL-3.0-or-later
#include "framework/holidays.hpp"

#include <algorithm>
#include <array>

#include "core/names.hpp"

namespace rap::framework {

std::string_view Name(Substitute v) {
    switch (v) {
        case Substitute::kNone:
            return "none";
        case Substitute::kSunday:
            return "sunday";
        case Substitute::kWeekend:
            return "weekend";
    }
    return "";
}

std::optional<Substitute> ParseSubstitute(std::string_view text) {
    return core::ParseByName(text, kAllSubstitutes);
}

std::string_view Name(Church v) {
    return v == Church::kWestern ? "western" : "orthodox";
}

std::optional<Church> ParseChurch(std::string_view text) {
    return core::ParseByName(text, kAllChurches);
}

namespace {

struct Base {
    core::Date date;
    std::string name;
    Substitute substitute;
};

// The holidays proper (no days in lieu) of `year`.
void AddBase(const PublicHolidays& h, int year, std::vector<Base>& out) {
    if (year < 1900 || year > 2999) {
        return;
    }
    for (const FixedHoliday& f : h.fixed) {
        if (year < f.first_year || year > f.last_year) {
            continue;
        }
        if (auto d = core::Date::FromYmd(year, f.month, f.day)) {
            out.push_back({*d, f.name, f.substitute.value_or(h.substitute)});
        }
    }
    for (const EasterHoliday& e : h.easter) {
        const core::Date easter =
            e.church == Church::kWestern ? core::WesternEaster(year) : core::OrthodoxEaster(year);
        out.push_back({easter.AddDays(e.offset), e.name, e.substitute.value_or(h.substitute)});
    }
    for (const DatedHoliday& d : h.dated) {
        if (d.date.year() == year) {
            out.push_back({d.date, d.name, d.substitute.value_or(h.substitute)});
        }
    }
}

bool GivesDayInLieu(Substitute s, core::Date d) {
    switch (s) {
        case Substitute::kNone:
            return false;
        case Substitute::kSunday:
            return d.IsSunday();
        case Substitute::kWeekend:
            return d.IsWeekend();
    }
    return false;
}

}  // namespace

std::vector<Holiday> PublicHolidays::DaysOff(int year) const {
    // Days in lieu can cross the turn of the year both ways, so the neighbouring years take part.
    std::vector<Base> base;
    for (int y = year - 1; y <= year + 1; ++y) {
        AddBase(*this, y, base);
    }
    std::stable_sort(base.begin(), base.end(),
                     [](const Base& a, const Base& b) { return a.date < b.date; });
    std::vector<Holiday> off;
    for (const Base& b : base) {
        off.push_back({b.date, b.name});
    }
    auto taken = [&off](core::Date d) {
        return d.IsWeekend() ||
               std::any_of(off.begin(), off.end(), [d](const Holiday& h) { return h.date == d; });
    };
    for (size_t i = 0; i < base.size();) {
        // The holidays of one day: a day in lieu when any of them gives one.
        size_t end = i;
        bool in_lieu = false;
        for (; end < base.size() && base[end].date == base[i].date; ++end) {
            in_lieu = in_lieu || GivesDayInLieu(base[end].substitute, base[end].date);
        }
        if (in_lieu) {
            core::Date d = base[i].date.AddDays(1);
            while (taken(d)) {
                d = d.AddDays(1);
            }
            off.push_back({d, base[i].name + " (day in lieu)"});
        }
        i = end;
    }
    std::erase_if(off, [year](const Holiday& h) { return h.date.year() != year; });
    std::stable_sort(off.begin(), off.end(),
                     [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
    // The same day named twice (two holidays on one date) is listed once, by its first name.
    off.erase(std::unique(off.begin(), off.end(),
                          [](const Holiday& a, const Holiday& b) { return a.date == b.date; }),
              off.end());
    return off;
}

bool PublicHolidays::Known(int year) const {
    return !dated_years || (year >= dated_years->first && year <= dated_years->second);
}

void WorkingDays::Load(int year) {
    if (std::find(years_.begin(), years_.end(), year) != years_.end()) {
        return;
    }
    years_.push_back(year);
    for (Holiday& h : holidays_.DaysOff(year)) {
        auto at = std::upper_bound(days_.begin(), days_.end(), h.date,
                                   [](core::Date d, const Holiday& x) { return d < x.date; });
        days_.insert(at, std::move(h));
    }
}

const Holiday* WorkingDays::DayOff(core::Date day) {
    Load(day.year());
    auto it = std::lower_bound(days_.begin(), days_.end(), day,
                               [](const Holiday& x, core::Date d) { return x.date < d; });
    return it != days_.end() && it->date == day ? &*it : nullptr;
}

bool WorkingDays::IsWorkingDay(core::Date day) {
    return !day.IsWeekend() && DayOff(day) == nullptr;
}

core::Date WorkingDays::OnOrAfter(core::Date day) {
    while (!IsWorkingDay(day)) {
        day = day.AddDays(1);
    }
    return day;
}

PublicHolidays WithRegionalDays(const PublicHolidays& base, const PublicHolidays& region) {
    PublicHolidays out = base;
    for (FixedHoliday f : region.fixed) {
        f.substitute = f.substitute.value_or(region.substitute);
        out.fixed.push_back(std::move(f));
    }
    for (EasterHoliday e : region.easter) {
        e.substitute = e.substitute.value_or(region.substitute);
        out.easter.push_back(std::move(e));
    }
    out.note = region.note;
    out.source = region.source;
    out.verify = base.verify || region.verify;
    return out;
}

}  // namespace rap::framework
