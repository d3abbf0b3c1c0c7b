#!/usr/bin/env python3
"""`mandate fmt`: --check exits 0 and prints nothing on a canonical file, and on a messy one
exits 1 without touching it, printing a unified diff on stdout and "would reformat PATH" on
stderr; `fmt FILE` rewrites the file in place to its canonical text; `fmt -` reads standard
input and writes standard output; a file that does not parse exits 2 and is left alone. The
same for scenario test files, told by their name (*.test.mandate) or, for other names and
standard input, by their first declaration.
Usage: fmt.py PATH_TO_MANDATE"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

MANDATE = sys.argv[1]
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GOUTANG = os.path.join(ROOT, "rules", "goutang-2023.mandate")
MESSY = os.path.join(ROOT, "tests", "golden", "fmt", "messy.mandate")
CANONICAL = os.path.join(ROOT, "tests", "golden", "fmt", "messy.formatted.mandate")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def run(*args, stdin=None):
    return subprocess.run([MANDATE, *args], input=stdin, capture_output=True, timeout=60)


def read(path):
    with open(path, "rb") as f:
        return f.read()


messy_text = read(MESSY)
canonical_text = read(CANONICAL)
check(messy_text != canonical_text, "the messy golden is already canonical")

with tempfile.TemporaryDirectory() as tmp:
    good = os.path.join(tmp, "goutang.mandate")
    shutil.copyfile(GOUTANG, good)
    messy = os.path.join(tmp, "messy.mandate")
    shutil.copyfile(MESSY, messy)

    # --check on a canonical file: exit 0, silent.
    r = run("fmt", "--check", good)
    check(r.returncode == 0, f"fmt --check goutang: exit {r.returncode} {r.stderr!r}")
    check(r.stdout == b"" and r.stderr == b"", f"fmt --check goutang printed {r.stdout!r} {r.stderr!r}")

    # --check on a messy file: exit 1, names it, leaves it alone.
    before = os.stat(messy)
    r = run("fmt", "--check", messy)
    check(r.returncode == 1, f"fmt --check messy: exit {r.returncode} {r.stderr!r}")
    check(r.stderr.decode("utf-8") == f"would reformat {messy}\n", f"fmt --check messy stderr: {r.stderr!r}")
    check(r.stdout.decode("utf-8").startswith(f"--- a/{messy}\n+++ b/{messy}\n@@ -1,"),
          f"fmt --check messy stdout: {r.stdout!r}")
    check(read(messy) == messy_text, "fmt --check modified the messy file")
    check(os.stat(messy).st_mtime_ns == before.st_mtime_ns, "fmt --check touched the messy file")

    # --check with both: still 1.
    r = run("fmt", "--check", good, messy)
    check(r.returncode == 1, f"fmt --check both: exit {r.returncode}")

    # fmt FILE rewrites in place to the canonical text, and prints nothing.
    r = run("fmt", messy)
    check(r.returncode == 0, f"fmt messy: exit {r.returncode} {r.stderr!r}")
    check(r.stdout == b"", f"fmt messy printed {r.stdout!r}")
    check(read(messy) == canonical_text, "fmt did not rewrite the messy file to the canonical text:\n" +
          read(messy).decode("utf-8"))
    check(not [n for n in os.listdir(tmp) if "tmp" in n], f"fmt left a temporary file: {os.listdir(tmp)}")

    # Now canonical: --check passes, and formatting again changes nothing.
    r = run("fmt", "--check", messy)
    check(r.returncode == 0, f"fmt --check after fmt: exit {r.returncode}")
    r = run("fmt", messy)
    check(r.returncode == 0 and read(messy) == canonical_text, "second fmt changed the file")

    # A file that does not parse: exit 2, diagnostics on stderr, file unchanged.
    broken = os.path.join(tmp, "broken.mandate")
    broken_text = b"plan p {\n  title \"x\"\nkind   k within\n"
    with open(broken, "wb") as f:
        f.write(broken_text)
    r = run("fmt", broken)
    check(r.returncode == 2, f"fmt broken: exit {r.returncode}")
    check(f"{broken}:3:1: error: ".encode() in r.stderr, f"fmt broken stderr: {r.stderr!r}")
    check(read(broken) == broken_text, "fmt modified a file that does not parse")

# fmt - : standard input to standard output.
r = run("fmt", "-", stdin=messy_text)
check(r.returncode == 0, f"fmt -: exit {r.returncode} {r.stderr!r}")
check(r.stdout == canonical_text, "fmt - output:\n" + r.stdout.decode("utf-8"))
r = run("fmt", "-", stdin=read(GOUTANG))
check(r.returncode == 0 and r.stdout == read(GOUTANG), "fmt - changed the canonical goutang file")
r = run("fmt", "--check", "-", stdin=messy_text)
check(r.returncode == 1 and r.stdout.startswith(b"--- a/<stdin>\n+++ b/<stdin>\n@@ -1,"),
      f"fmt --check - on messy: exit {r.returncode} {r.stdout!r}")
check(r.stderr == b"would reformat <stdin>\n", f"fmt --check - on messy: {r.stderr!r}")

# Scenario test files. Each of the plans' own is canonical.
for path in sorted(glob.glob(os.path.join(ROOT, "rules", "*.test.mandate"))):
    r = run("fmt", "--check", path)
    check(r.returncode == 0 and r.stdout == b"" and r.stderr == b"",
          f"fmt --check {path}: exit {r.returncode} {r.stdout!r} {r.stderr!r}")

# Three changes near the top (blank lines around the blocks, the entity's double spaces) are
# one hunk; the one near the end, eight unchanged lines later, is a second.
messy_test = """plan lakeside_antifraud_2024
given {
  entity v01: village   "湖畔村"
}
test april "四月" {
  event activity v01 2024-04-15 { venue: "park" }
  as_of 2024-05-06
  expect monthly_activity[v01, 2024-04] == satisfied
  expect monthly_activity[v01, 2024-04] met
  expect value monthly_activity[v01, 2024-04] == 1
  expect reason monthly_activity[v01, 2024-04] == null
  expect no monthly_activity[v01, 2024-05]
  expect rejected   0
}
""".encode()
canonical_test = """plan lakeside_antifraud_2024

given {
  entity v01: village "湖畔村"
}

test april "四月" {
  event activity v01 2024-04-15 { venue: "park" }
  as_of 2024-05-06
  expect monthly_activity[v01, 2024-04] == satisfied
  expect monthly_activity[v01, 2024-04] met
  expect value monthly_activity[v01, 2024-04] == 1
  expect reason monthly_activity[v01, 2024-04] == null
  expect no monthly_activity[v01, 2024-05]
  expect rejected 0
}
""".encode()


def messy_test_diff(name):
    return f"""--- a/{name}
+++ b/{name}
@@ -1,7 +1,9 @@
 plan lakeside_antifraud_2024
+
 given {{
-  entity v01: village   "湖畔村"
+  entity v01: village "湖畔村"
 }}
+
 test april "四月" {{
   event activity v01 2024-04-15 {{ venue: "park" }}
   as_of 2024-05-06
@@ -10,5 +12,5 @@
   expect value monthly_activity[v01, 2024-04] == 1
   expect reason monthly_activity[v01, 2024-04] == null
   expect no monthly_activity[v01, 2024-05]
-  expect rejected   0
+  expect rejected 0
 }}
""".encode()


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "lakeside.test.mandate")
    with open(path, "wb") as f:
        f.write(messy_test)
    r = run("fmt", "--check", path)
    check(r.returncode == 1, f"fmt --check messy test file: exit {r.returncode} {r.stderr!r}")
    check(r.stdout == messy_test_diff(path),
          f"fmt --check messy test file diff:\n{r.stdout.decode('utf-8')}\nexpected:\n{messy_test_diff(path).decode('utf-8')}")
    check(r.stderr.decode("utf-8") == f"would reformat {path}\n", f"fmt --check messy test file: {r.stderr!r}")
    check(read(path) == messy_test, "fmt --check modified the messy test file")
    # The diff applies: patch turns the file into what fmt writes.
    if shutil.which("patch"):
        p = subprocess.run(["patch", "-s", "-p1", "-o", os.path.join(tmp, "patched"), path], input=r.stdout,
                           capture_output=True, timeout=60)
        check(p.returncode == 0 and read(os.path.join(tmp, "patched")) == canonical_test,
              f"patch -p1 with the diff: {p.returncode} {p.stderr!r}")

    r = run("fmt", path)
    check(r.returncode == 0 and r.stdout == b"", f"fmt messy test file: exit {r.returncode} {r.stdout!r} {r.stderr!r}")
    check(read(path) == canonical_test, "fmt did not rewrite the test file:\n" + read(path).decode("utf-8"))
    r = run("fmt", "--check", path)
    check(r.returncode == 0 and r.stdout == b"" and r.stderr == b"",
          f"fmt --check canonical test file: exit {r.returncode} {r.stdout!r} {r.stderr!r}")

    # Any other name: a test file by its first declaration.
    other = os.path.join(tmp, "scenarios.mandate")
    with open(other, "wb") as f:
        f.write(b"# tests of lakeside\n" + messy_test)
    r = run("fmt", other)
    check(r.returncode == 0, f"fmt scenarios.mandate: exit {r.returncode} {r.stderr!r}")
    check(read(other) == b"# tests of lakeside\n" + canonical_test, "fmt scenarios.mandate:\n" + read(other).decode("utf-8"))

    # A test file that does not parse: exit 2, the error at its line and column, left alone.
    broken = os.path.join(tmp, "broken.test.mandate")
    broken_text = b"plan p\ntest t {\n  as_of soon\n}\n"
    with open(broken, "wb") as f:
        f.write(broken_text)
    r = run("fmt", broken)
    check(r.returncode == 2 and r.stderr.startswith(f"{broken}:3:9: error: expected a date (YYYY-MM-DD), found 'soon'\n".encode()),
          f"fmt broken test file: {r.returncode} {r.stderr!r}")
    check(read(broken) == broken_text, "fmt modified a test file that does not parse")

# Standard input: told by its content.
r = run("fmt", "-", stdin=messy_test)
check(r.returncode == 0 and r.stdout == canonical_test, f"fmt - test file: exit {r.returncode} {r.stdout!r} {r.stderr!r}")
r = run("fmt", "-", stdin=canonical_test)
check(r.returncode == 0 and r.stdout == canonical_test, f"fmt - canonical test file: {r.stdout!r}")
r = run("fmt", "--check", "-", stdin=messy_test)
check(r.returncode == 1 and r.stdout == messy_test_diff("<stdin>"), f"fmt --check - test file: {r.returncode} {r.stdout!r}")
# A last line without a line break is marked as diff(1) marks it.
r = run("fmt", "--check", "-", stdin=b"plan p\ngiven {\n}")
check(r.returncode == 1 and r.stdout == (b"--- a/<stdin>\n+++ b/<stdin>\n@@ -1,3 +1,4 @@\n plan p\n+\n given {\n"
                                         b"-}\n\\ No newline at end of file\n+}\n"),
      f"fmt --check - without a final line break: {r.returncode} {r.stdout!r}")

# An unknown option is a usage error.
r = run("fmt", "--bogus", GOUTANG)
check(r.returncode == 2, f"fmt --bogus: exit {r.returncode}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
