#!/usr/bin/env python3
"""The `mandate` program's usage errors: an unknown command, no command, a command without
its files. Each exits 2 and explains itself on stderr. Usage: usage.py PATH_TO_MANDATE"""
import subprocess
import sys

MANDATE = sys.argv[1]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def run(*args):
    return subprocess.run([MANDATE, *args], capture_output=True, timeout=60)


r = run("frobnicate")
check(r.returncode == 2, f"unknown command: exit {r.returncode}")
check(r.stderr.startswith(b"mandate: unknown command 'frobnicate'\n"), f"unknown command: {r.stderr!r}")
check(b"usage: mandate COMMAND" in r.stderr, "unknown command: no usage text")
check(r.stdout == b"", f"unknown command wrote to stdout: {r.stdout!r}")

r = run()
check(r.returncode == 2, f"no command: exit {r.returncode}")
check(b"usage: mandate COMMAND" in r.stderr, f"no command: {r.stderr!r}")

r = run("--help")
check(r.returncode == 0, f"--help: exit {r.returncode}")
check(b"usage: mandate COMMAND" in r.stdout, f"--help: {r.stdout!r}")

for command in ("lint", "fmt"):
    r = run(command)
    check(r.returncode == 2, f"{command} without files: exit {r.returncode}")
    check(r.stderr.startswith(f"mandate {command}: usage: mandate {command}".encode()), f"{command}: {r.stderr!r}")

# --state-every takes a count of records, at least 1: a sign, a zero, anything else is refused
# before a record is read.
import os
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PLAN = os.path.join(HERE, "data", "town", "plan.mandate")
EVENTS = os.path.join(HERE, "data", "town", "events.jsonl")
with tempfile.TemporaryDirectory() as tmp:
    for n, every in enumerate(("-5", "0", "-0", "+5", " 5", "5x", "", "99999999999999999999999")):
        state = os.path.join(tmp, f"state{n}")
        r = run("check", PLAN, "--events", EVENTS, "--as-of", "2023-07-03", "--state", state, "--state-every", every)
        check(r.returncode == 2, f"--state-every {every!r}: exit {r.returncode}")
        check(r.stderr == f"mandate check: --state-every needs a number of records, 1 or more, not '{every}'\n".encode(),
              f"--state-every {every!r}: {r.stderr!r}")
        check(not os.path.exists(state), f"--state-every {every!r}: a state was written")
    state = os.path.join(tmp, "state")
    r = run("check", PLAN, "--events", EVENTS, "--as-of", "2023-07-03", "--state", state, "--state-every", "3")
    check(r.returncode == 0 and os.path.exists(state), f"--state-every 3: exit {r.returncode} {r.stderr!r}")

# A directory where a file is expected is named as one (reading it would give empty text: "no
# plan block", or for fmt nothing at all), exit 2, nothing written.
with tempfile.TemporaryDirectory() as tmp:
    directory = os.path.join(tmp, "rules.d")
    os.mkdir(directory)
    for args in (["lint", directory], ["lint", PLAN, directory], ["fmt", directory], ["fmt", "--check", directory],
                 ["check", directory, "--events", EVENTS], ["graph", directory],
                 ["explain", directory, "--events", EVENTS, "--obligation", "o", "--unit", "u"],
                 ["test", directory], ["test", PLAN, directory],
                 ["check", PLAN, "--registry", directory], ["check", PLAN, "--events", directory],
                 ["check", PLAN, "--events", f"activity={directory}"]):
        r = run(*args)
        expected = f"mandate {args[0]}: cannot read {directory}: it is a directory\n".encode()
        check(r.returncode == 2 and r.stderr == expected, f"{args}: exit {r.returncode}, {r.stderr!r}")
        check(os.listdir(directory) == [], f"{args}: wrote into the directory")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
