#include "mandate/calendar/workdays.hpp"

#include <algorithm>
#include <stdexcept>

#include "calendar/builtin_data.hpp"

namespace mandate::calendar {
namespace {

// Division rounding towards minus infinity (day numbers before the epoch).
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// The days the library computes with stay within this many days of the epoch (date.cpp's
// bound, which calendar::shift keeps too), so no day number overflows.
constexpr std::int64_t computed_day_bound = 10000000;
// A count of workdays larger than any span of computed days could hold.
constexpr std::int64_t count_bound = 4 * computed_day_bound;

// Day -3, 1969-12-29, was a Monday: the weeks are counted from it.
constexpr std::int64_t monday_anchor = -3;

int week_index(std::int64_t d) {
    const std::int64_t t = d - monday_anchor;
    return static_cast<int>(t - floor_div(t, 7) * 7);  // 0 = Monday
}

int year_of(day d) { return to_ymd(d).year; }

std::string range_text(day from, day to) { return from == to ? to_iso(from) : to_iso(from) + " to " + to_iso(to); }

// "the holiday 2023-09-29 to 2023-10-06 (中秋节、国庆节)", "the workday 2023-10-07".
std::string listing_text(const char* kind, day from, day to, std::string_view label) {
    std::string out = std::string("the ") + kind + " " + range_text(from, to);
    if (!label.empty()) out += " (" + std::string(label) + ")";
    return out;
}

}  // namespace

workday_calendar::workday_calendar(std::string name) : name_(std::move(name)) { reindex(); }

// ---------------------------------------------------------------- building

std::string workday_calendar::add_holiday(day from, day to, std::string label) {
    if (from > to) return "the holiday " + to_iso(from) + " to " + to_iso(to) + " runs backwards";
    // The first range ending on or after `from` is the only one that can overlap.
    const auto next = std::lower_bound(holidays_.begin(), holidays_.end(), from,
                                       [](const holiday_range& h, day d) { return h.to < d; });
    if (next != holidays_.end() && next->from <= to) {
        return listing_text("holiday", from, to, label) + " overlaps " +
               listing_text("holiday", next->from, next->to, next->label);
    }
    const auto w = std::lower_bound(workdays_.begin(), workdays_.end(), from,
                                    [](const listed_workday& x, day d) { return x.d < d; });
    if (w != workdays_.end() && w->d <= to) {
        return listing_text("holiday", from, to, label) + " holds " + listing_text("workday", w->d, w->d, w->label);
    }
    holidays_.insert(next, holiday_range{from, to, std::move(label), 0});
    reindex();
    return {};
}

std::string workday_calendar::add_workday(day d, std::string label) {
    if (const auto l = listed(d)) {
        if (l->holiday) {
            return listing_text("workday", d, d, label) + " falls in " +
                   listing_text("holiday", l->from, l->to, l->label);
        }
        return listing_text("workday", d, d, label) + " is listed twice";
    }
    const auto at = std::lower_bound(workdays_.begin(), workdays_.end(), d,
                                     [](const listed_workday& x, day v) { return x.d < v; });
    workdays_.insert(at, listed_workday{d, std::move(label), 0});
    reindex();
    return {};
}

std::string workday_calendar::set_weekend(const std::vector<weekday>& days) {
    unsigned mask = 0;
    for (const weekday w : days) mask |= 1u << static_cast<int>(w);
    if (mask == 0x7f) return "a weekend of all seven days leaves no workday";
    weekend_mask_ = mask;
    reindex();
    return {};
}

std::string workday_calendar::set_covered_years(int first, int last) {
    if (first > last) {
        return "the covered years " + std::to_string(first) + " to " + std::to_string(last) + " run backwards";
    }
    explicit_years_ = std::pair(first, last);
    return {};
}

void workday_calendar::reindex() {
    workdays_per_week_ = 0;
    week_prefix_[0] = 0;
    for (int i = 0; i < 7; ++i) {
        const bool works = !((weekend_mask_ >> i) & 1u);
        workdays_per_week_ += works;
        week_prefix_[i + 1] = week_prefix_[i] + works;
    }
    std::int64_t before = 0;
    for (auto& h : holidays_) {
        h.weekday_count_before = before;
        before += weekly_rank(h.to) - weekly_rank(static_cast<std::int64_t>(h.from) - 1);
    }
    holiday_weekdays_ = before;
    std::int64_t made_up = 0;
    for (auto& w : workdays_) {
        made_up += is_weekend(static_cast<weekday>(week_index(w.d)));
        w.made_up_through = made_up;
    }
    listed_years_.reset();
    if (!holidays_.empty() || !workdays_.empty()) {
        day first = holidays_.empty() ? workdays_.front().d : holidays_.front().from;
        day last = holidays_.empty() ? workdays_.back().d : holidays_.back().to;
        if (!workdays_.empty()) {
            first = std::min(first, workdays_.front().d);
            last = std::max(last, workdays_.back().d);
        }
        listed_years_ = std::pair(year_of(first), year_of(last));
    }
}

// ---------------------------------------------------------------- questions

std::int64_t workday_calendar::weekly_rank(std::int64_t x) const {
    const std::int64_t length = x - monday_anchor + 1;  // days in [anchor, x] (negative before it)
    const std::int64_t weeks = floor_div(length, 7);
    return weeks * workdays_per_week_ + week_prefix_[length - weeks * 7];
}

std::int64_t workday_calendar::workday_rank(std::int64_t x) const {
    std::int64_t rank = weekly_rank(x);
    // Holidays: the weekend-rule workdays of the ranges starting on or before x, up to x.
    const auto h = std::upper_bound(holidays_.begin(), holidays_.end(), x,
                                    [](std::int64_t v, const holiday_range& r) { return v < r.from; });
    if (h != holidays_.begin()) {
        const auto& r = *std::prev(h);
        rank -= r.weekday_count_before + weekly_rank(std::min<std::int64_t>(x, r.to)) -
                weekly_rank(static_cast<std::int64_t>(r.from) - 1);
    }
    // Make-up workdays on weekend days, up to x.
    const auto w = std::upper_bound(workdays_.begin(), workdays_.end(), x,
                                    [](std::int64_t v, const listed_workday& l) { return v < l.d; });
    if (w != workdays_.begin()) rank += std::prev(w)->made_up_through;
    return rank;
}

std::int64_t workday_calendar::first_with_rank(std::int64_t target, std::int64_t lo, std::int64_t hi) const {
    while (lo < hi) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (workday_rank(mid) >= target) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

bool workday_calendar::is_workday(day d) const {
    if (const auto l = listed(d)) return !l->holiday;
    return !is_weekend(static_cast<weekday>(week_index(d)));
}

std::optional<std::pair<int, int>> workday_calendar::covered_years() const {
    return explicit_years_ ? explicit_years_ : listed_years_;
}

bool workday_calendar::covers(day d) const {
    const auto years = covered_years();
    if (!years) return true;
    const int y = year_of(d);
    return y >= years->first && y <= years->second;
}

bool workday_calendar::covers(day from, day to) const {
    // Coverage is one run of years: both ends inside it hold everything between.
    return from > to || (covers(from) && covers(to));
}

day workday_calendar::after_workdays(day d, std::int64_t n) const {
    if (n == 0) return d;
    if (n < 0) return before_workdays(d, n == INT64_MIN ? INT64_MAX : -n);
    n = std::min(n, count_bound);
    const std::int64_t target = workday_rank(d) + n;
    // At least n + holiday_weekdays_ weekend-rule workdays lie in (d, hi], so n workdays do.
    const std::int64_t hi = d + 7 * ((n + holiday_weekdays_) / workdays_per_week_ + 2);
    const std::int64_t x = first_with_rank(target, static_cast<std::int64_t>(d) + 1, hi);
    return static_cast<day>(std::min(x, std::max<std::int64_t>(d, computed_day_bound)));
}

day workday_calendar::before_workdays(day d, std::int64_t n) const {
    if (n == 0) return d;
    if (n < 0) return after_workdays(d, n == INT64_MIN ? INT64_MAX : -n);
    n = std::min(n, count_bound);
    // The workday x with n workdays in [x, d - 1]: the first one ranked target.
    const std::int64_t target = workday_rank(static_cast<std::int64_t>(d) - 1) - n + 1;
    const std::int64_t lo = d - 7 * ((n + holiday_weekdays_) / workdays_per_week_ + 2);
    const std::int64_t x = first_with_rank(target, lo, static_cast<std::int64_t>(d) - 1);
    return static_cast<day>(std::max(x, std::min<std::int64_t>(d, -computed_day_bound)));
}

std::int64_t workday_calendar::workdays_in(day from, day to) const {
    if (from > to) return 0;
    return workday_rank(to) - workday_rank(static_cast<std::int64_t>(from) - 1);
}

std::optional<workday_calendar::listing> workday_calendar::listed(day d) const {
    const auto h = std::upper_bound(holidays_.begin(), holidays_.end(), d,
                                    [](day v, const holiday_range& r) { return v < r.from; });
    if (h != holidays_.begin() && std::prev(h)->to >= d) {
        const auto& r = *std::prev(h);
        return listing{true, r.label, r.from, r.to};
    }
    const auto w = std::lower_bound(workdays_.begin(), workdays_.end(), d,
                                    [](const listed_workday& x, day v) { return x.d < v; });
    if (w != workdays_.end() && w->d == d) return listing{false, w->label, d, d};
    return std::nullopt;
}

// ---------------------------------------------------------------- the CSV form

result<workday_calendar> parse_calendar_csv(std::string_view text, std::string name, std::string file_name) {
    if (file_name.empty()) file_name = name + ".csv";
    const source_file source(file_name, std::string(text));
    workday_calendar calendar(std::move(name));
    std::vector<diagnostic> errors;
    bool header_seen = false;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        std::string_view line = text.substr(at, end - at);
        const auto where = span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(end)};
        at = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        auto fail = [&](std::string message) { errors.push_back(make_diagnostic(source, where, std::move(message))); };
        if (!header_seen) {
            header_seen = true;
            if (line != "from,to,kind,label") fail("expected the header `from,to,kind,label`");
            continue;
        }
        std::string_view fields[3];
        std::string_view rest = line;
        bool complete = true;
        for (auto& f : fields) {
            const std::size_t comma = rest.find(',');
            if (comma == std::string_view::npos) {
                complete = false;
                break;
            }
            f = rest.substr(0, comma);
            rest.remove_prefix(comma + 1);
        }
        if (!complete) {
            fail("expected four fields `from,to,kind,label`");
            continue;
        }
        const auto from = parse_iso(fields[0]);
        const auto to = parse_iso(fields[1]);
        if (!from || !to) {
            fail("`" + std::string(!from ? fields[0] : fields[1]) + "` is not a date (YYYY-MM-DD)");
            continue;
        }
        const std::string label(rest);
        if (fields[2] == "holiday") {
            if (auto message = calendar.add_holiday(*from, *to, label); !message.empty()) fail(std::move(message));
        } else if (fields[2] == "workday") {
            if (*from > *to) {
                fail("the workdays " + to_iso(*from) + " to " + to_iso(*to) + " run backwards");
                continue;
            }
            for (day d = *from; d <= *to; ++d) {
                if (auto message = calendar.add_workday(d, label); !message.empty()) {
                    fail(std::move(message));
                    break;
                }
            }
        } else {
            fail("the kind `" + std::string(fields[2]) + "` is neither `holiday` nor `workday`");
        }
    }
    if (!header_seen) {
        errors.push_back(make_diagnostic(source, span{0, 0}, "no header `from,to,kind,label`"));
    }
    if (!errors.empty()) return result<workday_calendar>(std::move(errors));
    return result<workday_calendar>(std::move(calendar));
}

// ---------------------------------------------------------------- the calendars compiled in

namespace {

struct builtin_entry {
    std::string_view name;
    std::string_view csv;
    int first_year, last_year;  // the years the source notices cover
};

const builtin_entry builtins[] = {
    // The State Council's notices for 2023, 2024, 2025 and 2026 (the CSV's header names them).
    {"cn_mainland", detail::cn_mainland_csv, 2023, 2026},
};

workday_calendar build(const builtin_entry& entry) {
    auto parsed = parse_calendar_csv(entry.csv, std::string(entry.name));
    if (!parsed) {
        // The data is compiled in and tested: a failure here is a broken build, not input.
        throw std::logic_error("mandate: the built-in calendar " + std::string(entry.name) +
                               " does not parse: " + headline(parsed.diagnostics().front()));
    }
    workday_calendar calendar = std::move(parsed).value();
    calendar.set_covered_years(entry.first_year, entry.last_year);
    return calendar;
}

}  // namespace

const workday_calendar* builtin_calendar(std::string_view name) {
    static const std::vector<workday_calendar> built = [] {
        std::vector<workday_calendar> out;
        for (const auto& entry : builtins) out.push_back(build(entry));
        return out;
    }();
    for (std::size_t i = 0; i < std::size(builtins); ++i) {
        if (builtins[i].name == name) return &built[i];
    }
    return nullptr;
}

std::vector<std::string> builtin_calendar_names() {
    std::vector<std::string> out;
    for (const auto& entry : builtins) out.emplace_back(entry.name);
    return out;
}

}  // namespace mandate::calendar
