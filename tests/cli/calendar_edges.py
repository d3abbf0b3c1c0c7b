"""Schedules at the ends of the supported calendar (1400-01-01 .. 9999-12-31) are cut into a
bounded number of buckets: `mandate lint` and `mandate check` finish, in little memory, with the
buckets worked out below. A month, quarter or year that ends on 9999-12-31 once made the cutting
loop forever (the next period's start was held at 9999-12-31), growing without bound.

Each run is limited in address space (RLIMIT_AS, not in sanitizer builds, whose shadow memory
needs terabytes of it) and in time, so a regression fails instead of exhausting the machine.

The plan is nine lines: one phase, the month of December 9999; villages v1 (an activity on
9999-12-05) and v2 (none); as of 9999-12-31. Each period containing December 9999 is clipped to
it, so `every month`, `every quarter` and `every year` give one bucket 9999-12-01..9999-12-31 per
village. No bucket ending 9999-12-31 can close by 9999-12-31 (it closes the day after), so v2's
is pending and v1's satisfied early (count >= 1 cannot become false).
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
MEMORY = 1 << 30  # address space per run; a healthy run uses well under 100 MB
SECONDS = 60  # a healthy run takes milliseconds
failures = []

NINE_LINES = """plan edge {{ title "edge" }}
phase last "last" from {start} to {end}
kind village "village"
event activity "activity" {{ venue: text }}
obligation monthly "monthly" {{
  each v: village
  during last
  {schedule}
  require {condition} }}
"""

REGISTRY = '{"entity": "v1", "kind": "village"}\n{"entity": "v2", "kind": "village"}\n'


def limited():
    if not os.environ.get("MANDATE_SANITIZE"):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(args):
    try:
        return subprocess.run([BIN] + args, capture_output=True, timeout=SECONDS, preexec_fn=limited)
    except subprocess.TimeoutExpired:
        return None


def case(name, schedule, expected, *, condition="count(activity of v) >= 1", start="9999-12-01", end="9999-12-31",
         events=("9999-12-05",), as_of="9999-12-31", values=None):
    """`expected`: (unit, from, to, status) for every reported row, in report order; `values`:
    (met, value) for each, when given."""
    with tempfile.TemporaryDirectory() as tmp:
        plan = os.path.join(tmp, "plan.mandate")
        text = NINE_LINES.format(start=start, end=end, schedule=schedule, condition=condition)
        assert text.count("\n") == 9, text
        with open(plan, "w") as f:
            f.write(text)
        registry = os.path.join(tmp, "registry.jsonl")
        with open(registry, "w") as f:
            f.write(REGISTRY)
        records = os.path.join(tmp, "events.jsonl")
        with open(records, "w") as f:
            for i, day in enumerate(events):
                f.write(json.dumps({"id": f"e{i}", "type": "activity", "time": day, "unit": "v1", "venue": "x"}) + "\n")
        p = run(["lint", plan])
        if p is None:
            return failures.append(f"{name}: lint ran past {SECONDS} s")
        if p.returncode != 0:
            return failures.append(f"{name}: lint exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}")
        p = run(["check", plan, "--registry", registry, "--events", records, "--as-of", as_of, "--format", "json"])
        if p is None:
            return failures.append(f"{name}: check ran past {SECONDS} s")
        if p.returncode != 0:
            return failures.append(f"{name}: check exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}")
        report = json.loads(p.stdout)
    got = [(r["unit"], r["period"]["from"], r["period"]["to"], r["status"]) for r in report["results"]]
    if got != expected:
        failures.append(f"{name}: rows {got}, expected {expected}")
    got_values = [(r["met"], r["value"]) for r in report["results"]]
    if values is not None and got_values != values:
        failures.append(f"{name}: (met, value) {got_values}, expected {values}")


DECEMBER = "9999-12-01", "9999-12-31"
for schedule in ("every month", "every quarter", "every year", "every month cumulative"):
    case(schedule, schedule, [("v1", *DECEMBER, "satisfied"), ("v2", *DECEMBER, "pending")])

# streak(month, ...) over the whole month, by its last day: the one sub-period, December, is not
# closed on 9999-12-31, so the streak is 0, unmet, and both buckets wait (a streak is judged when
# its bucket closes, LANGUAGE.md, "Status of a bucket").
case("streak(month) by 9999-12-31", "by 9999-12-31", [("v1", *DECEMBER, "pending"), ("v2", *DECEMBER, "pending")],
     condition="streak(month, count(activity of v) >= 1) >= 1", values=[(False, 0), (False, 0)])
# Over October to December with activities in October and November: those two months are closed
# by 9999-12-31 and hold, a streak of 2 for v1, met; v2's is 0. Both wait for the close.
Q4 = "9999-10-01", "9999-12-31"
case("streak(month) over the last quarter", "every quarter", [("v1", *Q4, "pending"), ("v2", *Q4, "pending")],
     condition="streak(month, count(activity of v) >= 1) >= 2", start=Q4[0], events=("9999-10-05", "9999-11-05"),
     values=[(True, 2), (False, 0)])
# Weeks: 9999-12-31 is a Friday (10000-01-01, 8000 years after the Saturday 2000-01-01, is a
# Saturday), so the Monday weeks are 12-01 (a Wednesday)..12-05, 12-06..12-12, 12-13..12-19,
# 12-20..12-26 and 12-27..12-31, the last open. v1 met the first only.
weeks = [("9999-12-01", "9999-12-05"), ("9999-12-06", "9999-12-12"), ("9999-12-13", "9999-12-19"),
         ("9999-12-20", "9999-12-26"), ("9999-12-27", "9999-12-31")]
case("every week", "every week",
     [("v1", *weeks[0], "satisfied")] + [("v1", *w, "violated") for w in weeks[1:4]] + [("v1", *weeks[4], "pending")] +
     [("v2", *w, "violated") for w in weeks[:4]] + [("v2", *weeks[4], "pending")])
# Ten days from 9999-12-01: 12-01..12-10, 12-11..12-20, 12-21..12-30, and 12-31 alone.
tens = [("9999-12-01", "9999-12-10"), ("9999-12-11", "9999-12-20"), ("9999-12-21", "9999-12-30"),
        ("9999-12-31", "9999-12-31")]
case("every 10 days", "every 10 days",
     [("v1", *tens[0], "satisfied"), ("v1", *tens[1], "violated"), ("v1", *tens[2], "violated"), ("v1", *tens[3], "pending"),
      ("v2", *tens[0], "violated"), ("v2", *tens[1], "violated"), ("v2", *tens[2], "violated"), ("v2", *tens[3], "pending")])
# The start of the range: 1400-01-01 is a Wednesday (1200-01-01, like 1600-01-01, was a
# Saturday; 73049 days, 10435 weeks and 4 days, lie between), so its first Monday week is cut to
# 01-01..01-05. An activity on 1400-01-02; as of 1400-01-19, the last week is still open.
start = [("1400-01-01", "1400-01-05"), ("1400-01-06", "1400-01-12"), ("1400-01-13", "1400-01-19")]
case("every week from 1400-01-01", "every week",
     [("v1", *start[0], "satisfied"), ("v1", *start[1], "violated"), ("v1", *start[2], "pending"),
      ("v2", *start[0], "violated"), ("v2", *start[1], "violated"), ("v2", *start[2], "pending")],
     start="1400-01-01", end="1400-01-19", events=("1400-01-02",), as_of="1400-01-19")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("calendar edges: all cases bounded and as expected")
