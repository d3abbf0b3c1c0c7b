// Naming one bucket of a rule for a unit: `DATE` (the bucket holding that date), `FROM..TO`
// (exactly that period) or `YYYY-MM` (the bucket of that month). Scenario tests and
// `mandate explain --period` both read a bucket's name through here, so they agree on it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mandate/calendar/schedule.hpp"
#include "mandate/eval/report.hpp"

namespace mandate {

// A bucket's name. Value type.
struct bucket_selector {
    enum class kind : std::uint8_t { date, range, month };
    kind k = kind::date;
    calendar::day from = 0, to = 0;  // date: from == to; month: its first and last day

    static bucket_selector on(calendar::day d) { return {kind::date, d, d}; }
    static bucket_selector between(calendar::day from, calendar::day to) { return {kind::range, from, to}; }
    // Precondition: a valid month (1..12) of a supported year.
    static bucket_selector month(int year, int month);

    // "2023-04-15", "2023-04-01..2023-04-30", "2023-04": the form it was written in.
    std::string to_string() const;
    // Whether `b` is named by this selector. A date names every bucket whose period holds it
    // (for a cumulative bucket, from its cumulative start); a range names the bucket with
    // exactly that period; a month names the bucket whose own period lies in that month (a
    // cumulative bucket's own period starts on the day it is first reported).
    bool matches(const calendar::bucket& b) const;
};

// Reads "2023-04-15", "2023-04-01..2023-04-30" or "2023-04"; nullopt when it is none of these
// or names a day or month that does not exist.
std::optional<bucket_selector> parse_bucket_selector(std::string_view text);

// Which of `candidates` the selector names, when exactly one does; otherwise `error` says why:
// "no bucket of OWNER lies in 2023-03; its buckets: ..." or "3 buckets of OWNER hold
// 2023-05-15: ...; name one as FROM..TO". `owner` names the rule and unit ("x for v01").
struct bucket_choice {
    std::optional<std::size_t> index;
    std::string error;
    std::size_t matches = 0;
};
bucket_choice choose_bucket(const bucket_selector& s, const std::vector<calendar::bucket>& candidates,
                            std::string_view owner);

// The one row of rule `rule` (an index into the plan's rules) and `unit` (nullopt for a rule
// without `each`) in report `r` that `s` names, or why there is none. Exactly one of `result`
// and `outcome` is set on success, by whether the rule is an obligation or an outcome.
struct row_choice {
    const result_row* result = nullptr;
    const outcome_row* outcome = nullptr;
    std::string error;
    std::size_t matches = 0;
    bool found() const { return result != nullptr || outcome != nullptr; }
};
row_choice select_row(const report& r, int rule, const std::optional<std::string>& unit, const bucket_selector& s);

}  // namespace mandate
