#!/usr/bin/env python3
"""The Goutang plan's scenario tests catch a changed threshold.

Copies rules/goutang-2023.mandate, changes one threshold, and runs rules/goutang-2023.test.mandate
against the copy: `mandate test` must exit 1, name the test that pins that threshold with a
message saying what it expected and what it got, and pass every other expectation. The
unchanged plan passes them all.

- operator_screen_share `>= 15%` to `>= 20%`: the test whose one screen outlet plays exactly
  150 of 1000 seconds (15%) now finds April violated; the share is judged per outlet, so the
  row has no single value (null).
- antifraud_follow_rate `> 90%` to `>= 90%`: the test with 9 of 10 staff (exactly 90%) now
  finds April satisfied.

Usage: broken_plan.py PATH_TO_MANDATE"""
import os
import re
import subprocess
import sys
import tempfile

MANDATE = sys.argv[1]
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PLAN = os.path.join(ROOT, "rules", "goutang-2023.mandate")
TESTS = os.path.join(ROOT, "rules", "goutang-2023.test.mandate")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


with open(PLAN, encoding="utf-8") as f:
    plan_text = f.read()
with open(TESTS, encoding="utf-8") as f:
    test_lines = f.read().split("\n")

# The number of expectations, counted from the file itself: one `expect` statement a line.
total = sum(1 for line in test_lines if re.match(r"\s*expect\s", line))
check(total > 150, f"only {total} expectations found in {TESTS}")


def line_of(test, expectation):
    """1-based line of `expect EXPECTATION` inside `test NAME`."""
    inside = False
    for n, line in enumerate(test_lines, 1):
        if line.startswith("test "):
            inside = line.split()[1] == test
        elif inside and line.strip() == "expect " + expectation:
            return n
    raise SystemExit(f"no 'expect {expectation}' in test {test}")


def in_block(text, obligation, old, new):
    """`text` with `old` replaced by `new` inside the block of `obligation ID` only."""
    start = text.index(f"obligation {obligation} ")
    end = text.index("\n}\n", start)
    block = text[start:end]
    check(block.count(old) == 1, f"{obligation}: '{old}' is not in its block once")
    return text[:start] + block.replace(old, new) + text[end:]


def run(plan):
    return subprocess.run([MANDATE, "test", plan, TESTS], capture_output=True, text=True, timeout=300)


r = run(PLAN)
check(r.returncode == 0 and r.stdout == f"{total} passed, 0 failed\n", f"unchanged plan: {r.returncode} {r.stdout!r} {r.stderr!r}")

cases = [
    ("operator_screen_share", ">= 15%", ">= 20%", "operator_screen_share_exactly_15_percent",
     "operator_screen_share[op1, 2023-04] == satisfied", "got violated (not met, value null)"),
    ("antifraud_follow_rate", "> 90%", ">= 90%", "follow_rate_exactly_90_percent",
     "antifraud_follow_rate[m01, 2023-04] == violated", "got satisfied (met, value 0.9)"),
]
with tempfile.TemporaryDirectory() as tmp:
    for obligation, old, new, test, expectation, got in cases:
        broken = os.path.join(tmp, f"goutang-{obligation}.mandate")
        with open(broken, "w", encoding="utf-8") as f:
            f.write(in_block(plan_text, obligation, old, new))
        r = run(broken)
        line = line_of(test, expectation)
        expected = (f"{TESTS}:{line}:3: FAIL test {test}: expected {expectation}, {got}\n"
                    f"{total - 1} passed, 1 failed\n")
        check(r.returncode == 1, f"{obligation} {new}: exit {r.returncode} {r.stderr!r}")
        check(r.stdout == expected, f"{obligation} {new}: stdout\n{r.stdout}expected\n{expected}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
