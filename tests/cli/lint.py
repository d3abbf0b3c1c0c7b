#!/usr/bin/env python3
"""`mandate lint`: exit 0 and silence on a good rule file; exit 2 with every diagnostic on
stderr, as `file:line:col: error: message` with the source line and a caret, on a bad one.
Scenario test files too: NAME.test.mandate checked against its sibling NAME.mandate, or for
syntax alone (with a note) when there is none.
Usage: lint.py PATH_TO_MANDATE"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

MANDATE = sys.argv[1]
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GOUTANG = os.path.join(ROOT, "rules", "goutang-2023.mandate")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def run(*args, stdin=None):
    return subprocess.run([MANDATE, *args], input=stdin, capture_output=True, timeout=60)


# A good file: exit 0, nothing printed.
r = run("lint", GOUTANG)
check(r.returncode == 0, f"lint goutang: exit {r.returncode}, stderr {r.stderr!r}")
check(r.stdout == b"" and r.stderr == b"", f"lint goutang printed {r.stdout!r} {r.stderr!r}")

# A broken file: two parse errors, both reported in one run.
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "broken.mandate")
    with open(path, "w", encoding="utf-8") as f:
        f.write("plan p {}\n"
                "phase a from 2023-01-01 2023-02-01\n"  # 'to' missing before the second date, column 25
                "kind k \"镇\" within 1\n")             # a kind expected at the '1', column 19
    r = run("lint", path)
    check(r.returncode == 2, f"lint broken: exit {r.returncode}")
    check(r.stdout == b"", f"lint broken wrote to stdout: {r.stdout!r}")
    # The caret stands under the column by display width: 镇 takes two columns.
    expected = (f"{path}:2:25: error: expected 'to', found '2023'\n"
                " 2 | phase a from 2023-01-01 2023-02-01\n"
                "   | " + " " * 24 + "^~~~\n"
                f"{path}:3:19: error: expected a kind, found '1'\n"
                " 3 | kind k \"镇\" within 1\n"
                "   | " + " " * 19 + "^\n"
                "2 errors\n")
    check(r.stderr.decode("utf-8") == expected, f"lint broken stderr:\n{r.stderr.decode('utf-8')}\nexpected:\n{expected}")

    # A checker error: same form, one error.
    path2 = os.path.join(tmp, "unchecked.mandate")
    with open(path2, "w", encoding="utf-8") as f:
        f.write("plan p { titel \"x\" }\n")
    r = run("lint", path2)
    check(r.returncode == 2, f"lint unchecked: exit {r.returncode}")
    first = r.stderr.decode("utf-8").splitlines()[0] if r.stderr else ""
    check(first == f"{path2}:1:10: error: unknown plan property 'titel'; expected title, source, timezone, "
                   "week_start, calendar or language, did you mean 'title'?", f"lint unchecked: {first!r}")
    check(r.stderr.decode("utf-8").endswith("\n1 error\n"), f"lint unchecked count: {r.stderr!r}")

    # Several files: the good one is silent, the bad one's errors are counted.
    r = run("lint", GOUTANG, path2)
    check(r.returncode == 2, f"lint two files: exit {r.returncode}")
    check(r.stderr.decode("utf-8").count("error:") == 1, f"lint two files: {r.stderr!r}")

# Standard input is named <stdin>.
r = run("lint", "-", stdin=b"kind from\n")
check(r.returncode == 2, f"lint stdin: exit {r.returncode}")
check(r.stderr.decode("utf-8").startswith("<stdin>:1:6: error: expected an identifier, found 'from', a reserved word\n"),
      f"lint stdin: {r.stderr!r}")

# The plans' own test files: clean against their plans.
test_files = sorted(glob.glob(os.path.join(ROOT, "rules", "*.test.mandate")))
check(len(test_files) == 4, f"test files: {test_files}")
for path in test_files:
    r = run("lint", path)
    check(r.returncode == 0 and r.stdout == b"" and r.stderr == b"",
          f"lint {path}: exit {r.returncode} {r.stdout!r} {r.stderr!r}")
# All the rule and test files of a folder in one run, as `lint rules/*.mandate` gives them.
r = run("lint", *sorted(glob.glob(os.path.join(ROOT, "rules", "*.mandate"))))
check(r.returncode == 0 and r.stderr == b"", f"lint rules/*.mandate: exit {r.returncode} {r.stderr!r}")

with tempfile.TemporaryDirectory() as tmp:
    # A test file checked against its sibling plan: an unknown kind, with the caret under it.
    shutil.copyfile(GOUTANG, os.path.join(tmp, "g.mandate"))
    path = os.path.join(tmp, "g.test.mandate")
    with open(path, "w", encoding="utf-8") as f:
        f.write("plan goutang_antifraud_2023\n"
                "\n"
                "test typo {\n"
                "  entity v9: vilage\n"  # column 14
                "}\n")
    r = run("lint", path)
    check(r.returncode == 2, f"lint test file with a checker error: exit {r.returncode}")
    expected = (f"{path}:4:14: error: unknown kind 'vilage', did you mean 'village'?\n"
                " 4 |   entity v9: vilage\n"
                "   | " + " " * 13 + "^~~~~~\n"
                "1 error\n")
    check(r.stderr.decode("utf-8") == expected, f"lint test file:\n{r.stderr.decode('utf-8')}\nexpected:\n{expected}")

    # A syntax error: reported as for a rule file, with or without a plan beside it.
    bad = os.path.join(tmp, "bad.test.mandate")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("plan p\n"
                "\n"
                "test t {\n"
                "  as_of 2023-04-01\n"
                "  expect x[2023-04] == done\n"  # column 24
                "}\n")
    r = run("lint", bad)
    check(r.returncode == 2 and r.stdout == b"", f"lint test file with a syntax error: exit {r.returncode} {r.stdout!r}")
    expected = (f"{bad}:5:24: error: expected a status: satisfied, violated, pending, excused, found 'done'\n"
                " 5 |   expect x[2023-04] == done\n"
                "   | " + " " * 23 + "^~~~\n"
                "1 error\n")
    check(r.stderr.decode("utf-8") == expected, f"lint bad test file:\n{r.stderr.decode('utf-8')}\nexpected:\n{expected}")

    # No plan beside it: the syntax alone, and a note that says so; exit 0.
    alone = os.path.join(tmp, "alone.test.mandate")
    with open(alone, "w", encoding="utf-8") as f:
        f.write("plan p\n\ntest t {\n  as_of 2023-04-01\n}\n")
    r = run("lint", alone)
    check(r.returncode == 0 and r.stdout == b"", f"lint test file alone: exit {r.returncode} {r.stderr!r}")
    plan = os.path.join(tmp, "alone.mandate")
    check(r.stderr.decode("utf-8") == f"{alone}: note: no plan {plan} to check the tests against; only their syntax "
                                      "was checked\n", f"lint test file alone: {r.stderr!r}")

# Standard input: a test file by its first declaration, checked for syntax.
r = run("lint", "-", stdin=b"plan p\ntest t {\n  expect rejected x\n}\n")
check(r.returncode == 2, f"lint - test file: exit {r.returncode}")
check(r.stderr.decode("utf-8").startswith("<stdin>:3:19: error: expected a number of records, or part of a reason in "
                                          "quotes, found 'x'\n"), f"lint - test file: {r.stderr!r}")
r = run("lint", "-", stdin=b"plan p\ntest t {\n  expect rejected 0\n}\n")
check(r.returncode == 0 and r.stderr == b"<stdin>: note: not named NAME.test.mandate, so there is no plan to check the "
                                         b"tests against; only their syntax was checked\n",
      f"lint - good test file: exit {r.returncode} {r.stderr!r}")

# A missing file is a usage error.
r = run("lint", os.path.join(ROOT, "no-such-file.mandate"))
check(r.returncode == 2, f"lint missing file: exit {r.returncode}")
check(b"cannot read" in r.stderr, f"lint missing file: {r.stderr!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
