#!/usr/bin/env python3
"""rules/county-flood-2025.mandate (青防指办〔2025〕5号, a plan written for this project:
docs/sources/county-flood-duty-2025.md) run by `mandate check` on one set of records
(tests/scenario/county-flood-2025/records.jsonl) as of six dates, against statuses worked out
by hand. It holds the hour-level rules (2-hour feedback deadlines, 6-hour water reports inside
an emergency response), which scenario files cannot name; the day-level rules are covered
again, one edge per test, in rules/county-flood-2025.test.mandate.

Usage: flood_plan.py PATH_TO_MANDATE

The hand working below comes from the scenario draft written before the time constructs were
built (tests/scenario/county-flood-2025-draft.txt, now removed); every expectation it gave
held when first run, so none was changed. Its labelled assumptions, as LANGUAGE-v2.md and the
engine now settle them:

[A1] Hour periods in an event-bounded window start at midnight of the start event's DATE
     (section 6: the window "runs from the start event's date"; section 4: `N hours` buckets
     are "counted from the window's start"). A response started at 14:05 has six-hour buckets
     00:00-06:00 .. 18:00-24:00 on its first day, and its last day is whole though the
     response ended at 09:30. The draft also worked the other reading (buckets from 14:05,
     "reading B"); it is not what the language says and is not asserted. s1 reports at the
     standard observation times (02, 08, 14, 20时), so the readings differ little here.
[A2] A bucket with a date-time end (an hour deadline, an hour bucket) is closed as of T only
     from the day after the day of its last minute: a 01:30 deadline on 07-04 is pending as of
     07-04 (met=false), though no later report could count; violated from 07-05.
[A3] `after ... within N hours` opens one bucket per distinct trigger minute, from that minute
     to the minute N hours later, both ends counting (2小时内); an event before the trigger,
     even on the same day, does not count. `every 6 hours` buckets are [start, start + 6 h),
     reported with an inclusive last minute (..T05:59). No record falls on a boundary.
[A4] `after drill_notice within ...` with no `of VAR`: every township gets a bucket per notice,
     whatever unit the notice is entered under (here the county).
[A5] `after registered`: a unit with no `since` opens no bucket; s1's since (2024-11-01) lies
     before the window, so it opens none.
[A6] `warn N workdays`: T itself is not counted, the bucket's last day is. `grace N workdays`
     counts from the due range's end.
[A7] An outcome reading `violations(...)` waits (is not final) only for buckets whose end (for
     a due bucket, the due range's end) can fall inside its own bucket: September's monthly
     summary (due end 10-05) is not awaited by the season's criticism.
[A8] `1 year` as a duration in `earlier(1 year, ...)` (section 7, conformance-v2/07).

Calendar facts (shared/calendars/cn_mainland.csv, 2025):
  05-31 (Sat) .. 06-02 (Mon) holiday 端午节;  09-28 (Sun) workday 国庆节调休;
  10-01 (Wed) .. 10-08 (Wed) holiday 国庆节、中秋节;  10-11 (Sat) workday 国庆节调休.
  Other dates: 05-30 Fri, 06-16 Mon, 07-03 Thu, 07-04 Fri, 07-05 Sat, 08-05 Tue, 08-20 Wed,
  09-03 Wed, 09-05 Fri, 09-26 Fri, 09-27 Sat (off), 10-05 Sun, 10-09 Thu, 10-10 Fri,
  10-12 Sun (off), 10-13 Mon, 10-16 Thu, 10-17 Fri.
  Workdays after 05-30: 06-03 06-04 06-05 06-06 06-09 06-10 06-11 06-12 06-13 06-16 (10th).
  Workdays after 09-26: 09-28 09-29 09-30 10-09 10-10 10-11 10-13 10-14 10-15 10-16 (10th).
  Workdays after 10-05: 10-09 10-10.  After 08-05: 08-06 08-07.

Windows: plan_year 2025-01-01..12-31, season 06-01..09-30, response from r1 (county,
07-03T14:05) to l1 (county, 07-05T09:30): 07-03..07-05, open as of 07-03 and 07-04 (l1 is
dated after T, so it does not exist yet); its 30-day cut would be 08-01.

Units: county qs; townships t1 白沙镇, t2 柳河乡; villages v1 (in t1), v2 (in t2); points s1
白石水库 (reservoir, in t1, on the roll since 2024-11-01) and s2 柳河大桥在建工程 (works in
progress, in t2, since 2025-08-20). No other unit has a `since`.
"""
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAN = os.path.join(ROOT, "rules", "county-flood-2025.mandate")
RECORDS = os.path.join(ROOT, "tests", "scenario", "county-flood-2025", "records.jsonl")
DATES = ["2025-07-03", "2025-07-04", "2025-07-05", "2025-10-10", "2025-10-13", "2025-10-17"]
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


# Status codes, one per as-of date in DATES:
#   S satisfied   V violated   P pending, met=false   P+ pending, met=true
#   P! pending, met=false, at_risk=true   - no row yet (period, due range or trigger not begun)
# Every row not marked P! has at_risk=false (only flood_drill has `warn`). No waiver is sent.
CODES = {"S": ("satisfied", True, False), "V": ("violated", False, False), "P": ("pending", False, False),
         "P+": ("pending", True, False), "P!": ("pending", False, True)}

# (obligation, unit, period from, period to, due from/to or None, six codes)
ROWS = []


def row(obligation, unit, frm, to, codes, due=None):
    codes = codes.split()
    assert len(codes) == len(DATES), (obligation, unit, frm)
    ROWS.append((obligation, unit, frm, to, due, codes))


# --- warning_feedback_2h (season; after orange/red warning of t within 2 hours) [A2][A3] ------
# w1 (orange, 22:40) opens t1's bucket to 00:40. fb1 is written "2025-07-03T16:35Z", i.e.
# 07-04T00:35 local: its local date is 07-04, so as of 07-03 it does not exist yet (P), and
# from 07-04 it lies inside the bucket (S; monotone, so satisfied at once). w2 (red, 23:30) is
# due by 01:30; fb2 at 01:45 is outside the bucket and fb0 (16:40, sent for the yellow w3) is
# before it: neither counts. As of 07-04 the last minute's day is not yet over, so the row is
# pending, met=false [A2]; from 07-05 it is closed and violated. The yellow w3 opens nothing.
row("warning_feedback_2h", "t1", "2025-07-03T22:40+08:00", "2025-07-04T00:40+08:00", "P S S S S S")
row("warning_feedback_2h", "t2", "2025-07-03T23:30+08:00", "2025-07-04T01:30+08:00", "P P V V V V")

# --- patrol_cadence (season 06-01..09-30, gap < 14 days, language 2) -----------------------
# v1 patrols every 13 days (06-01, 06-14, 06-27, 07-10, ... 09-26): every run of empty days is
# 12 (06-02..06-13, ...), the last 09-27..09-30 is 4. A requirement on gap is never satisfied
# early, so v1 is pending (met=true) until the season closes, then satisfied.
# v2 patrols 06-03, 06-12, 06-20, then not until 07-10: the run from 06-21 is 13 days as of
# 07-03 (met, pending) and reaches 14 on 07-04 (06-21..07-04 lies wholly in the bucket up to
# T): violated on 07-04, the day the lapse happens, not on 10-01. The whole run is
# 06-21..07-09 = 19 days.
row("patrol_cadence", "v1", "2025-06-01", "2025-09-30", "P+ P+ P+ S S S")
row("patrol_cadence", "v2", "2025-06-01", "2025-09-30", "P+ V V V V V")
GAPS = {"v1": [12, 12, 12, 12, 12, 12], "v2": [13, 14, 15, 19, 19, 19]}

# --- new_point_pledge (plan_year, after registered within 15 days) [A5] ---------------------
# s2 is taken on 08-20 (inside the window): 15 days with 08-20 the first run to 09-03, the day
# pl-s2 is signed. s1 was on the roll before the window: no row.
row("new_point_pledge", "s2", "2025-08-20", "2025-09-03", "- - - S S S")

# --- response_daily_report (response, every day) ------------------------------------------
# The county's r1 opens the window for every township. As of 07-03 and 07-04 it is open (no
# end event yet): the day buckets up to T are reported. r1 is at 14:05 but its day is whole:
# fr-t1-0703 (20:00) and fr-t2-0703 (21:00) count. l1 (07-05T09:30, county, the same unit as
# r1) ends the window on 07-05 inclusive: fr-t1-0705 (08:00) and fr-t2-0705 (09:00) count.
# t2 sends nothing dated 07-04: pending as of 07-04, violated from 07-05. No bucket after 07-05.
for unit, codes in (("t1", ["S S S S S S", "- S S S S S", "- - S S S S"]),
                    ("t2", ["S S S S S S", "- P V V V V", "- - S S S S"])):
    for day, c in zip(("2025-07-03", "2025-07-04", "2025-07-05"), codes):
        row("response_daily_report", unit, day, day, c)

# --- response_water_report (response, every 6 hours; s1 only) [A1] --------------------------
# s2 (在建涉水工程) is filtered out by `where`, and is not active in July anyway. Four buckets
# a day from 07-03 00:00 (the start event's date), 4 rows as of 07-03, 8 as of 07-04, 12 from
# 07-05. s1 reports at 02, 08, 14 and 20 on 07-03..07-05 except 07-04 14:00, so exactly the
# 07-04 12:00-18:00 bucket has no report: pending as of 07-04 (its last minute's day is 07-04
# [A2]), violated from 07-05.
for day, first in (("2025-07-03", 0), ("2025-07-04", 1), ("2025-07-05", 2)):
    for h in (0, 6, 12, 18):
        if day == "2025-07-04" and h == 12:
            c = "- P V V V V"
        else:
            c = " ".join(["-"] * first + ["S"] * (6 - first))
        row("response_water_report", "s1", f"{day}T{h:02d}:00+08:00", f"{day}T{h + 5:02d}:59+08:00", c)

# --- monthly_summary_report (season, every month, due day 5 after, grace 2 workdays) [A6] ---
# Each month's row appears on the 1st of the next month (the due range's start), so as of
# 07-0x only June's. June: t1's ms-t1-06 (07-03) is in range; t2's ms-t2-06 is dated 07-04 (P
# as of 07-03; due 07-05, a Saturday, unmoved). July: t2 sends none; closed after the 2nd
# workday after 08-05 (08-07), violated from 08-08. August: ms-t2-08 on 09-05, the last day.
# September: 10-05 is a Sunday inside the National Day holiday and the date does not move
# (不顺延). ms-t1-09 (10-03) is in range. ms-t2-09 is dated 10-09, the first workday after the
# holiday: outside 10-01..10-05, so it counts for no month. The grace runs to the 2nd workday
# after 10-05 = 10-10: as of 10-10 pending, met=false (still in grace: a record dated
# 10-01..10-05 may yet arrive), violated from 10-11.
MONTHS = [("2025-06-01", "2025-06-30", "2025-07-01", "2025-07-05"),
          ("2025-07-01", "2025-07-31", "2025-08-01", "2025-08-05"),
          ("2025-08-01", "2025-08-31", "2025-09-01", "2025-09-05"),
          ("2025-09-01", "2025-09-30", "2025-10-01", "2025-10-05")]
for unit, codes in (("t1", ["S S S S S S", "- - - S S S", "- - - S S S", "- - - S S S"]),
                    ("t2", ["P S S S S S", "- - - V V V", "- - - S S S", "- - - P V V"])):
    for (frm, to, dfrom, dto), c in zip(MONTHS, codes):
        row("monthly_summary_report", unit, frm, to, c, (dfrom, dto))

# --- quarterly_maintenance (season, every quarter, due 10 days after) ----------------------
# Q2 is cut to June by the season; its due range follows its end (06-30). mr-s1-q2 07-08.
# `10 days` are calendar days, holiday or not: mr-s1-q3 on 10-09 is in time. s2 is active from
# 08-20, so it has Q3 but no Q2; mr-s2-q3 (10-13) is after 10-10: pending on 10-10 (the
# range's last day), violated from 10-11.
row("quarterly_maintenance", "s1", "2025-06-01", "2025-06-30", "P P P S S S", ("2025-07-01", "2025-07-10"))
row("quarterly_maintenance", "s1", "2025-07-01", "2025-09-30", "- - - S S S", ("2025-10-01", "2025-10-10"))
row("quarterly_maintenance", "s2", "2025-07-01", "2025-09-30", "- - - P V V", ("2025-10-01", "2025-10-10"))

# --- half_year_summary (plan_year, every half, due day 10 after) ---------------------------
# hs-t1 07-08 in time; hs-t2 07-11 one day late (07-10 is a Thursday; nothing moves anyway):
# violated from 07-11. H2 (07-01..12-31) is due 2026-01-01..01-10: no row at these dates.
row("half_year_summary", "t1", "2025-01-01", "2025-06-30", "P P P S S S", ("2025-07-01", "2025-07-10"))
row("half_year_summary", "t2", "2025-01-01", "2025-06-30", "P P P V V V", ("2025-07-01", "2025-07-10"))

# --- flood_drill (plan_year, after drill_notice within 10 workdays, warn 3 workdays) [A4][A6]
# n1 (Fri 05-30) is not counted; the 10th workday after it is 06-16 (05-31..06-02 are the
# Dragon Boat holiday). t1's dr1 (06-12, 45 people) counts. t2's dr2 (06-05) has 20 people
# (< 30) and dr3 (06-17) is a day late: violated from 06-17.
# n2 (Fri 09-26): 09-27 is a day off, 09-28 (Sunday) a make-up workday (1st), 09-29, 09-30,
# then 10-01..10-08 holiday, 10-09 (4th), 10-10, 10-11 (Saturday, make-up, 6th), 10-13 ...
# 10-16 (10th). (Counting weekdays only would give 10-10; skipping the holiday but not the
# make-up days, 10-21.) As of 10-10 the workdays after T up to 10-16 are 10-11, 10-13, 10-14,
# 10-15, 10-16 = 5 > 3: not at risk. As of 10-13: 10-14, 10-15, 10-16 = 3: at risk (neither
# township has drilled). dr4 (t1, 10-15) counts; dr5 (t2, 10-17) is after 10-16: violated.
# Only townships have rows (each t: township), though the notice is the county's.
row("flood_drill", "t1", "2025-05-30", "2025-06-16", "S S S S S S")
row("flood_drill", "t2", "2025-05-30", "2025-06-16", "V V V V V V")
row("flood_drill", "t1", "2025-09-26", "2025-10-16", "- - - P P! S")
row("flood_drill", "t2", "2025-09-26", "2025-10-16", "- - - P P! V")

# --- duty_training_2m (season, every 2 months) ---------------------------------------------
# Two-month buckets counted from the season's first day. t1 trains 06-20 and 08-15; t2 only
# 07-25 (in the first bucket): its second is violated from 10-01.
row("duty_training_2m", "t1", "2025-06-01", "2025-07-31", "S S S S S S")
row("duty_training_2m", "t2", "2025-06-01", "2025-07-31", "P P P S S S")
row("duty_training_2m", "t1", "2025-08-01", "2025-09-30", "- - - S S S")
row("duty_training_2m", "t2", "2025-08-01", "2025-09-30", "- - - V V V")

# --- Outcomes: one bucket each for the season, 06-01..09-30 --------------------------------
# Codes: F fired, n not fired; * final. The measures that decide them, per date.
#
# key_supervision (peak(30 days, count(danger of t)) >= 3)
#   t1: d1 (v1, 07-03), d2 (s1, 07-04 03:10), d3 (v1, 07-28): 07-03..08-01 is 30 days and holds
#   all three (it fires from 07-28). t2: d4 (v2, 07-04), d5 (v2, 08-10), d6 (t2 itself, 09-05):
#   three in the season, but 07-04 and 08-10 are 37 days apart, so no 30 days hold more than
#   two (08-10..09-08 holds d5 and d6). Final from 10-01 (nothing it reads is an obligation).
# criticism (violations(response_daily_report, warning_feedback_2h, monthly_summary_report of t) >= 3)
#   t2's violated buckets: response 07-04 (from 07-05), w2 (from 07-05), July's summary (from
#   08-08): 2 as of 07-05, 3 from 08-08. September's summary (violated from 10-11) ends 10-05,
#   after the season: not counted, and not awaited for finality [A7]. Everything else it reads
#   is closed before the season ends (August's summary, the last, from 09-10), so the outcome
#   is final from 10-01.
# yoy_decline_bonus (count(danger of t) < earlier(1 year, count(danger of t))) [A8]
#   (this year : the same part of last year.) 2024 dangers: t1 h1 07-10, h2 08-02 (h3
#   2024-10-05 is outside 2024-06-01..09-30 and counts nowhere); t2 g1 06-20, g2 07-15, g3
#   07-16, g4 08-30. As of 07-03 the bucket is half over: 2025-06-01..07-03 is compared with
#   2024-06-01..07-03, where t2 had g1 and 2025 has nothing yet, so t2's outcome fires, not
#   final; on 07-04 d4 makes it 1 against 1 and it no longer fires. At the season's end t2 has
#   3 against 4 (fires, final) and t1 3 against 2 (does not).
PEAK = "peak(30 days, count(danger of t))"
VIOL = "violations(response_daily_report, warning_feedback_2h, monthly_summary_report of t)"
COUNT = "count(danger of t)"
EARLIER = "earlier(1 year, count(danger of t))"
OUTCOMES = {
    ("key_supervision", "t1"): ("n n n F* F* F*", [{PEAK: v} for v in (1, 2, 2, 3, 3, 3)]),
    ("key_supervision", "t2"): ("n n n n* n* n*", [{PEAK: v} for v in (0, 1, 1, 2, 2, 2)]),
    ("criticism", "t1"): ("n n n n* n* n*", [{VIOL: v} for v in (0, 0, 0, 0, 0, 0)]),
    ("criticism", "t2"): ("n n n F* F* F*", [{VIOL: v} for v in (0, 0, 2, 3, 3, 3)]),
    ("yoy_decline_bonus", "t1"): ("n n n n* n* n*",
                                  [{COUNT: a, EARLIER: b} for a, b in ((1, 0), (2, 0), (2, 0), (3, 2), (3, 2), (3, 2))]),
    ("yoy_decline_bonus", "t2"): ("F n n F* F* F*",
                                  [{COUNT: a, EARLIER: b} for a, b in ((0, 1), (1, 1), (1, 1), (3, 4), (3, 4), (3, 4))]),
}

with tempfile.TemporaryDirectory() as tmp:
    for i, as_of in enumerate(DATES):
        out = os.path.join(tmp, f"report-{as_of}.json")
        p = subprocess.run([BIN, "check", PLAN, "--events", RECORDS, "--as-of", as_of, "--format", "json", "-o", out],
                           capture_output=True, text=True, timeout=120)
        expect(p.returncode == 0, f"{as_of}: check exits 0, got {p.returncode}: {p.stderr}")
        if p.returncode != 0:
            continue
        report = json.load(open(out, encoding="utf-8"))
        expect(report["as_of"] == as_of, f"{as_of}: as_of {report['as_of']}")
        # Every record is read and used: 7 entities, 80 events, nothing rejected or left over.
        ins = report["inputs"]
        expect(ins["read"] == 87 and ins["entities"] == 7 and ins["applied"] == 80 and ins["rejected"] == 0,
               f"{as_of}: inputs {ins}")
        expect(not report["rejected"] and not report["unresolved_entities"] and not report["ignored_fields"],
               f"{as_of}: rejected/unresolved/ignored {report['rejected']} {report['unresolved_entities']} "
               f"{report['ignored_fields']}")

        got = {}
        for r in report["results"]:
            key = (r["obligation"], r["unit"], r["period"]["from"], r["period"]["to"])
            expect(key not in got, f"{as_of}: two rows for {key}")
            got[key] = r
        want = {}
        for obligation, unit, frm, to, due, codes in ROWS:
            if codes[i] != "-":
                want[(obligation, unit, frm, to)] = (CODES[codes[i]], due)
        # The exact set of rows: none missing, and none of those that must not appear (s1's
        # pledge, s2's water reports and Q2, H2, a bucket for the yellow warning, response days
        # after 07-05, drill rows for villages or points).
        for key in sorted(set(want) - set(got)):
            failures.append(f"{as_of}: missing row {key}")
        for key in sorted(set(got) - set(want)):
            failures.append(f"{as_of}: unexpected row {key}: {got[key]['status']}")
        for key in sorted(set(want) & set(got)):
            (status, met, at_risk), due = want[key]
            r = got[key]
            seen = (r["status"], r["met"], r["at_risk"])
            expect(seen == (status, met, at_risk), f"{as_of}: {key}: expected {(status, met, at_risk)}, got {seen}")
            if due:
                seen_due = (r.get("due") or {}).get("from"), (r.get("due") or {}).get("to")
                expect(seen_due == due, f"{as_of}: {key}: due {due}, got {seen_due}")
            if key[0] == "patrol_cadence":
                expect(r["value"] == GAPS[key[1]][i], f"{as_of}: {key}: gap {GAPS[key[1]][i]}, got {r['value']}")

        outcomes = {}
        for o in report["outcomes"]:
            expect((o["period"]["from"], o["period"]["to"]) == ("2025-06-01", "2025-09-30"),
                   f"{as_of}: outcome {o['outcome']} {o['unit']} period {o['period']}")
            outcomes[(o["outcome"], o["unit"])] = o
        expect(set(outcomes) == set(OUTCOMES), f"{as_of}: outcome rows {sorted(outcomes)}")
        for key, (codes, measures) in OUTCOMES.items():
            o = outcomes.get(key)
            if o is None:
                continue
            code = codes.split()[i]
            fired, final = code.startswith("F"), code.endswith("*")
            expect((o["fired"], o["final"]) == (fired, final),
                   f"{as_of}: {key}: expected fired={fired} final={final}, got {o['fired']} {o['final']}")
            if final:
                expect(o["final_on"] == "2025-10-01", f"{as_of}: {key}: final_on {o['final_on']}")
            expect(o["evidence"]["measures"] == measures[i],
                   f"{as_of}: {key}: measures {measures[i]}, got {o['evidence']['measures']}")

# --- the table heads hour buckets with the day over the hour ---------------------------------
# response_water_report as of 2025-07-06 (worked out above): the twelve 6-hour buckets of
# 07-03..07-05, each with a report but 07-04 12:00-17:59, violated since 07-05.
p = subprocess.run([BIN, "check", PLAN, "--events", RECORDS, "--as-of", "2025-07-06", "--format", "table", "--lang", "en"],
                   capture_output=True, text=True)
lines = p.stdout.split("\n")
at = next((i for i, l in enumerate(lines) if l.startswith("response_water_report  ")), None)
expect(at is not None and lines[at + 1:at + 6] == [
    "  11 satisfied, 1 violated, 0 pending",
    "              07-03       07-04       07-05",
    "              00 06 12 18 00 06 12 18 00 06 12 18",
    "  白石水库 s1 ✓  ✓  ✓  ✓  ✓  ✓  ✗  ✓  ✓  ✓  ✓  ✓",
    "    violated  白石水库 s1  2025-07-04T12:00+08:00..2025-07-04T17:59+08:00  value 0 (must be ≥ 1)",
], f"the table of response_water_report: {lines[at:at + 7] if at is not None else p.stdout}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
