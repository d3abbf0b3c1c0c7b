#!/usr/bin/env python3
"""`mandate lint` diagnostics, golden: each tests/golden/lint/NAME.mandate is linted from that
folder, and its standard error must equal NAME.expected exactly (message, line, column, the
source line and the caret, and the count). Files whose diagnostics are all warnings exit 0, and
2 with --werror; a file with an error exits 2. allowed.mandate has every warning silenced by a
comment and prints nothing. --allow takes only the names of warnings.

The goldens cover every warning (no-timezone, no-cite, percent-scale, warn-too-long,
unused-kind, unused-event), punctuation typed with a Chinese input method, misspelt keywords, a
bare day count where a duration is meant, and a file whose broken declarations hide nothing
else. The positions in them were checked by hand; tests/check/lint_warnings_test.cpp works the
same warnings out again on smaller inputs.
Usage: lint_golden.py PATH_TO_MANDATE"""
import glob
import os
import subprocess
import sys

MANDATE = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(os.path.dirname(HERE), "golden", "lint")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def lint(*args):
    return subprocess.run([MANDATE, "lint", *args], cwd=GOLDEN, capture_output=True, timeout=60)


names = sorted(os.path.basename(p)[:-len(".mandate")] for p in glob.glob(os.path.join(GOLDEN, "*.mandate")))
expected_names = {"after_parse_error", "allowed", "durations", "full_width", "keywords", "no_cite", "no_timezone",
                  "percent_scale", "unused", "warn_too_long"}
check(set(names) == expected_names, f"the golden inputs: {names}")
for name in names:
    with open(os.path.join(GOLDEN, name + ".expected"), encoding="utf-8") as f:
        expected = f.read()
    r = lint(name + ".mandate")
    got = r.stderr.decode("utf-8")
    check(got == expected, f"{name}: stderr differs\n--- got\n{got}--- expected\n{expected}")
    check(r.stdout == b"", f"{name}: wrote to stdout: {r.stdout!r}")
    has_error = ": error: " in expected
    has_warning = ": warning: " in expected
    check(r.returncode == (2 if has_error else 0), f"{name}: exit {r.returncode}")
    werror = lint("--werror", name + ".mandate")
    check(werror.returncode == (2 if has_error or has_warning else 0), f"{name} --werror: exit {werror.returncode}")
    if has_warning and not has_error:
        last = expected.splitlines()[-1]
        check(werror.stderr.decode("utf-8").splitlines()[-1] == last + " (--werror)",
              f"{name} --werror: the count line {werror.stderr.decode('utf-8').splitlines()[-1]!r}")

# Every warning is seen by at least one golden.
seen = "".join(open(os.path.join(GOLDEN, n + ".expected"), encoding="utf-8").read() for n in names)
for warning in ("no-timezone", "no-cite", "percent-scale", "warn-too-long", "unused-kind", "unused-event"):
    check(f"[{warning}]\n" in seen, f"no golden shows the warning {warning}")

# --allow silences by name, across files; an unknown name is refused.
r = lint("--allow", "no-cite", "no_cite.mandate")
check(r.returncode == 0 and r.stderr == b"", f"--allow no-cite: {r.returncode} {r.stderr!r}")
r = lint("--allow", "unused-kind", "--allow", "unused-event", "--werror", "unused.mandate")
check(r.returncode == 0 and r.stderr == b"", f"--allow unused-*: {r.returncode} {r.stderr!r}")
r = lint("--allow", "no-such-warning", "no_cite.mandate")
check(r.returncode == 2 and b"--allow takes the name of a warning (no-timezone, no-cite, percent-scale, warn-too-long, "
      b"unused-kind, unused-event), not 'no-such-warning'" in r.stderr, f"--allow unknown: {r.returncode} {r.stderr!r}")

# Several files: the counts add up over them.
r = lint("no_cite.mandate", "unused.mandate", "no_timezone.mandate")
check(r.returncode == 0 and r.stderr.decode("utf-8").endswith("\n5 warnings\n"), f"three files: {r.stderr!r}")
r = lint("keywords.mandate", "no_cite.mandate")
check(r.returncode == 2 and r.stderr.decode("utf-8").endswith("\n4 errors and 2 warnings\n"), f"errors and warnings: {r.stderr!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
