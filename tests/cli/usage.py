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

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
