// A checked rule's buckets: the periods its schedule cuts its window into, or the one a trigger
// opens; the calendar (calendar/schedule.hpp) does the cutting.
#pragma once

#include <optional>
#include <vector>

#include "mandate/calendar/schedule.hpp"
#include "mandate/check/model.hpp"

namespace mandate::check {

// The buckets of a rule with a calendar schedule (whole window, every, by). Triggered
// schedules (after/before) have no fixed buckets: see triggered_bucket.
std::vector<calendar::bucket> rule_buckets(const rule& r, calendar::weekday week_start);

// A rule with `due ... after` (LANGUAGE-v2.md section 5) has its buckets first reported
// (`visible`) on the first day of their due range. A rule during a phase bounded by events has
// no fixed buckets: see window_buckets.

// The buckets of rule r (during a phase bounded by events) in one of its unit's windows
// [first, last]; an open window (no end yet, not cut by `at most`) has `last` unset and is cut
// into whole periods up to the one holding `until` (a whole-window schedule: one bucket that
// runs to `until`).
std::vector<calendar::bucket> window_buckets(const rule& r, calendar::weekday week_start, day first,
                                             std::optional<day> last, day until);

// The days whose events count for a bucket [from, to] of rule r: the bucket itself, or with
// `due` its due range (LANGUAGE-v2.md section 5), which the window does not cut. Day N past a
// month's end is the month's last day.
struct due_range {
    day from = 0, to = 0;
};
due_range counted_days(const rule& r, day from, day to);

// The bucket a trigger dated `d` opens for rule `r` (after/before), clipped to its window;
// nullopt when d lies outside the window.
// Workdays are counted by the rule's calendar (rule::workdays).
std::optional<calendar::bucket> triggered_bucket(const rule& r, day d);
// The same for `within N hours`, to the minute: a trigger at local minute `at` opens
// [at, at + N hours] (`before`: [at - N hours, at]), both ends counting, clipped to the window.
std::optional<calendar::bucket> triggered_clock_bucket(const rule& r, calendar::minute at);

// The bucket a waiver's `period` date names (LANGUAGE-v2.md section 8): the calendar bucket
// whose period holds it (for a cumulative one, the calendar period that ends it), or the
// triggered bucket that opens on it; nullopt when no bucket of the schedule can be so named.
// `calendar_buckets` are rule_buckets(r, ...).
std::optional<calendar::bucket> waived_bucket(const rule& r, const std::vector<calendar::bucket>& calendar_buckets, day period);
// Whether a waiver's `period` names the bucket [from, to] of rule r: a triggered bucket by its
// first day (whatever cut it), a calendar one as waived_bucket finds it.
bool waiver_names(const rule& r, const std::vector<calendar::bucket>& calendar_buckets, day from, day to, day period);

}  // namespace mandate::check
