#!/usr/bin/env python3
"""`mandate fmt`: --check exits 0 on a canonical file and 1 on a messy one without touching
it; `fmt FILE` rewrites the file in place to its canonical text; `fmt -` reads standard input
and writes standard output; a file that does not parse exits 2 and is left alone.
Usage: fmt.py PATH_TO_MANDATE"""
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
    check(r.stdout.decode("utf-8") == f"would reformat {messy}\n", f"fmt --check messy stdout: {r.stdout!r}")
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
check(r.returncode == 1 and r.stdout == b"", f"fmt --check - on messy: exit {r.returncode} {r.stdout!r}")

# An unknown option is a usage error.
r = run("fmt", "--bogus", GOUTANG)
check(r.returncode == 2, f"fmt --bogus: exit {r.returncode}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
