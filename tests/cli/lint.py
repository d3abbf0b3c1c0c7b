#!/usr/bin/env python3
"""`mandate lint`: exit 0 and silence on a good rule file; exit 2 with every diagnostic on
stderr, as `file:line:col: error: message` with the source line and a caret, on a bad one.
Usage: lint.py PATH_TO_MANDATE"""
import os
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

# A missing file is a usage error.
r = run("lint", os.path.join(ROOT, "no-such-file.mandate"))
check(r.returncode == 2, f"lint missing file: exit {r.returncode}")
check(b"cannot read" in r.stderr, f"lint missing file: {r.stderr!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
