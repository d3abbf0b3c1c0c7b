#!/usr/bin/env python3
"""`mandate test PLAN [TESTS...]`: the output and exit codes of scenario tests, and
`mandate explain --period` reading bucket names the same way.

Exit 0 when every expectation holds, 1 when one fails (one line per failing expectation,
`file:line:col: FAIL test NAME: expected ..., got ...`), 2 for usage, rule-file and test-file
errors (rendered diagnostics on stderr). The summary `N passed, N failed` counts expectations.
Usage: scenarios.py PATH_TO_MANDATE"""
import os
import subprocess
import sys
import tempfile

MANDATE = sys.argv[1]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def run(*args, cwd=None):
    return subprocess.run([MANDATE, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


PLAN = """plan lakeside_2024 { timezone "+08:00" }
phase campaign "集中宣传阶段" from 2024-04-01 to 2024-06-30
kind town "镇"
kind village "行政村" within town
event activity "集中宣传活动" { venue: text }
obligation monthly_activity "每月活动" {
  each    v: village
  during  campaign
  every   month
  require count(activity of v) >= 1
}
obligation quarter_total "季度合计" {
  each    v: village
  during  campaign
  every   month cumulative
  require count(activity of v) >= 2
}
"""

# April has an activity; May has none. As of 2024-05-01 May has started and, with a monotone
# requirement and no grace, is pending until it closes on 06-01. The cumulative buckets are
# 04-01..04-30 (count 1: violated on 05-01) and 04-01..05-31 (reported from 05-01, pending).
TESTS = """plan lakeside_2024

given {
  entity t: town
  entity v1: village in t
}

test april "四月" {
  event activity v1 2024-04-13 { venue: "square" }
  as_of 2024-05-01
  expect monthly_activity[v1, 2024-04] == satisfied
  expect monthly_activity[v1, 2024-05] == violated
  expect value monthly_activity[v1, 2024-04-13] == 1
  expect quarter_total[v1, 2024-04] == violated
  expect quarter_total[v1, 2024-05] == pending
}

test june "六月" {
  as_of 2024-06-15
  expect monthly_activity[v1, 2024-06-01..2024-06-30] at_risk
}
"""

with tempfile.TemporaryDirectory() as tmp:
    plan = os.path.join(tmp, "lakeside.mandate")
    tests = os.path.join(tmp, "lakeside.test.mandate")
    with open(plan, "w", encoding="utf-8") as f:
        f.write(PLAN)
    with open(tests, "w", encoding="utf-8") as f:
        f.write(TESTS)

    # One failing expectation (line 12: May is pending, not violated) and one (line 20: the
    # plan has no `warn`, so nothing is ever at risk); 4 hold.
    expected_failures = (
        f"{tests}:12:3: FAIL test april: expected monthly_activity[v1, 2024-05] == violated, got pending (not met, value 0)\n"
        f"{tests}:20:3: FAIL test june: expected monthly_activity[v1, 2024-06-01..2024-06-30] at_risk, "
        "got not at risk: pending (not met, value 0)\n"
    )
    r = run("test", plan, tests)
    check(r.returncode == 1, f"failing run: exit {r.returncode} {r.stderr!r}")
    check(r.stdout == expected_failures + "4 passed, 2 failed\n", f"failing run stdout:\n{r.stdout}")
    check(r.stderr == "", f"failing run stderr: {r.stderr!r}")

    # Without TESTS, the plan's sibling NAME.test.mandate is run.
    r = run("test", plan)
    check(r.returncode == 1 and r.stdout.endswith("4 passed, 2 failed\n"), f"sibling run: {r.returncode} {r.stdout!r}")

    # -v lists the passing expectations too, in file order.
    r = run("test", plan, tests, "-v")
    lines = r.stdout.splitlines()
    check(lines[0] == f"{tests}:11:3: pass test april: monthly_activity[v1, 2024-04] == satisfied", f"-v: {lines[:1]}")
    check(len(lines) == 7 and lines[-1] == "4 passed, 2 failed", f"-v lines: {lines}")

    # Fixed expectations: everything passes, exit 0, only the summary.
    fixed = TESTS.replace("2024-05] == violated", "2024-05] == pending").replace("] at_risk", "] not at_risk")
    good = os.path.join(tmp, "good.test.mandate")
    with open(good, "w", encoding="utf-8") as f:
        f.write(fixed)
    r = run("test", plan, good)
    check(r.returncode == 0 and r.stdout == "6 passed, 0 failed\n", f"passing run: {r.returncode} {r.stdout!r} {r.stderr!r}")

    # Two test files: one summary over both.
    r = run("test", plan, good, good)
    check(r.returncode == 0 and r.stdout == "12 passed, 0 failed\n", f"two files: {r.stdout!r}")

    # A broken test file: exit 2, rendered diagnostics, no test runs.
    broken = os.path.join(tmp, "broken.test.mandate")
    with open(broken, "w", encoding="utf-8") as f:
        f.write("plan lakeside_2024\n"
                "test t {\n"
                "  entity v1: vilage\n"
                "  as_of 2024-02-30\n"
                "  expect monthly_activity[v1, 2024-04] == done\n"
                "}\n")
    r = run("test", plan, broken)
    check(r.returncode == 2, f"broken tests: exit {r.returncode}")
    check(r.stdout == "", f"broken tests wrote to stdout: {r.stdout!r}")
    expected = (f"{broken}:3:14: error: unknown kind 'vilage', did you mean 'village'?\n"
                " 3 |   entity v1: vilage\n"
                "   | " + " " * 13 + "^~~~~~\n"
                f"{broken}:4:9: error: 2024-02-30 is not a date: February 2024 has 29 days\n"
                " 4 |   as_of 2024-02-30\n"
                "   | " + " " * 8 + "^~~~~~~~~~\n"
                f"{broken}:5:43: error: expected a status: satisfied, violated, pending, excused, found 'done'\n"
                " 5 |   expect monthly_activity[v1, 2024-04] == done\n"
                "   | " + " " * 42 + "^~~~\n"
                "3 errors\n")
    check(r.stderr == expected, f"broken tests stderr:\n{r.stderr}\nexpected:\n{expected}")

    # A test file for another plan.
    other = os.path.join(tmp, "other.test.mandate")
    with open(other, "w", encoding="utf-8") as f:
        f.write("plan goutang_antifraud_2023\ntest t {\n  as_of 2024-05-01\n  expect rejected 0\n}\n")
    r = run("test", plan, other)
    check(r.returncode == 2 and "other.test.mandate:1:6: error: this file tests plan 'goutang_antifraud_2023', but the "
          "rule file is plan 'lakeside_2024'" in r.stderr, f"other plan: {r.returncode} {r.stderr!r}")

    # A broken rule file: exit 2 with its diagnostics.
    bad_plan = os.path.join(tmp, "bad.mandate")
    with open(bad_plan, "w", encoding="utf-8") as f:
        f.write("plan lakeside_2024 {}\nobligation o { every fortnight }\n")
    r = run("test", bad_plan, tests)
    check(r.returncode == 2 and "bad.mandate:2:22: error: expected a period" in r.stderr, f"bad plan: {r.stderr!r}")

    # Usage errors.
    r = run("test")
    check(r.returncode == 2 and r.stderr.startswith("mandate test: usage: mandate test PLAN"), f"no args: {r.stderr!r}")
    lonely = os.path.join(tmp, "lonely.mandate")
    with open(lonely, "w", encoding="utf-8") as f:
        f.write(PLAN)
    r = run("test", lonely)
    check(r.returncode == 2 and "lonely.test.mandate does not exist" in r.stderr, f"no sibling: {r.stderr!r}")
    r = run("test", plan, os.path.join(tmp, "missing.test.mandate"))
    check(r.returncode == 2 and "cannot read" in r.stderr, f"missing tests: {r.stderr!r}")
    r = run("test", plan, tests, "--bogus")
    check(r.returncode == 2 and "unknown option --bogus" in r.stderr, f"bad option: {r.stderr!r}")

    # explain --period takes the same bucket names: a month, a range, a date.
    events = os.path.join(tmp, "events.jsonl")
    with open(events, "w", encoding="utf-8") as f:
        f.write('{"entity": "t", "kind": "town"}\n{"entity": "v1", "kind": "village", "parent": "t"}\n'
                '{"id": "a1", "type": "activity", "time": "2024-04-13", "unit": "v1", "venue": "square"}\n')
    base = ["explain", plan, "--events", events, "--unit", "v1", "--as-of", "2024-07-01", "--lang", "en"]
    for form in ("2024-05", "2024-05-01..2024-05-31", "2024-05-20"):
        r = run(*base, "--obligation", "monthly_activity", "--period", form)
        check(r.returncode == 0 and "v1, 2024-05-01..2024-05-31: violated" in r.stdout and "v1, 2024-04-01" not in r.stdout,
              f"explain --period {form}: {r.returncode} {r.stdout!r} {r.stderr!r}")
    # In a cumulative schedule a date lies in several buckets: the month names one.
    r = run(*base, "--obligation", "quarter_total", "--period", "2024-04-20")
    check(r.returncode == 2 and "3 buckets of quarter_total for v1 as of 2024-07-01 hold 2024-04-20: 2024-04-01..2024-04-30, "
          "2024-04-01..2024-05-31, 2024-04-01..2024-06-30; name one as FROM..TO" in r.stderr, f"several: {r.stderr!r}")
    r = run(*base, "--obligation", "quarter_total", "--period", "2024-05")
    check(r.returncode == 0 and "v1, 2024-04-01..2024-05-31: violated" in r.stdout and "v1, 2024-04-01..2024-06-30" not in r.stdout,
          f"cumulative month: {r.stdout!r}")
    r = run(*base, "--obligation", "monthly_activity", "--period", "2024-07")
    check(r.returncode == 2 and "no bucket of monthly_activity for v1 as of 2024-07-01 lies in 2024-07" in r.stderr,
          f"none: {r.returncode} {r.stderr!r}")
    r = run(*base, "--obligation", "monthly_activity", "--period", "2024-13")
    check(r.returncode == 2 and "--period must be a date" in r.stderr, f"bad period: {r.stderr!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
