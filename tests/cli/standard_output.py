"""Every write to standard output is checked: a command whose output cannot be written (a full
disk, a device that fails writes) exits 3 and says so, instead of exiting 0 with nothing
written. Standard output here is a character device made with mknod in a temporary directory
that fails every write, as /dev/full does (root only; the test says when it did not run).
"""
import os
import stat
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
GOUTANG = os.path.join(ROOT, "rules", "goutang-2023.mandate")
failures = []

CHECK = ["check", PLAN, "--registry", os.path.join(DATA, "registry.csv"), "--events", os.path.join(DATA, "events.jsonl"),
         "--as-of", "2023-07-03"]
COMMANDS = {
    "check json": CHECK + ["--format", "json"],
    "check csv": CHECK + ["--format", "csv"],
    "check table": CHECK + ["--format", "table"],
    "check html": CHECK + ["--format", "html"],
    "check -o -": CHECK + ["--format", "json", "-o", "-"],
    "graph": ["graph", PLAN],
    "fmt -": ["fmt", "-"],
    "explain": ["explain", PLAN, "--registry", os.path.join(DATA, "registry.csv"), "--events", os.path.join(DATA, "events.jsonl"),
                "--obligation", "monthly_activity", "--unit", "v1", "--as-of", "2023-07-03"],
    "test": ["test", GOUTANG],
    "version": ["version"],
    "help": ["--help"],
}

if os.geteuid() != 0:
    print("not root: no device could be made, the test did not run")
    sys.exit(0)

with tempfile.TemporaryDirectory() as tmp:
    full = os.path.join(tmp, "full")
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    null = os.path.join(tmp, "null")
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    plan_text = open(PLAN, "rb").read()
    for name, args in COMMANDS.items():
        stdin = plan_text if name == "fmt -" else b""
        # The same command with output that can be written exits 0: the failure is the device's.
        with open(null, "wb") as out:
            ok = subprocess.run([BIN] + args, input=stdin, stdout=out, stderr=subprocess.PIPE, timeout=120)
        if ok.returncode != 0:
            failures.append(f"{name}: exits {ok.returncode} with writable output: {ok.stderr[-300:]!r}")
            continue
        with open(full, "wb") as out:
            p = subprocess.run([BIN] + args, input=stdin, stdout=out, stderr=subprocess.PIPE, timeout=120)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != 3 or "No space left on device" not in err:
            failures.append(f"{name}: exit {p.returncode} (expected 3, saying why) with a full standard output: {err[-300:]!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
