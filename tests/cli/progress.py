"""The progress bar of `mandate check`: on standard error, only when it is a terminal and reading
takes a while (half a second); never otherwise; --progress forces it, --no-progress silences it.

The slow input is standard input fed in two halves a second apart, read through a pseudo-terminal
standing in for the user's terminal.
"""
import os
import pty
import select
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
EVENTS = os.path.join(DATA, "events.jsonl")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def slow_run(*extra):
    """Runs check with stderr on a pseudo-terminal and stdin fed slowly; returns (code, terminal text, stdout)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN, "check", PLAN, "--events", "-", "--as-of", "2023-07-03", "--format", "json", *extra],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    lines = open(EVENTS, "rb").read().splitlines(keepends=True)
    seen = b""

    def drain(timeout):
        nonlocal seen
        end = time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    return

    p.stdin.write(b"".join(lines[:4]))
    p.stdin.flush()
    drain(1.2)
    p.stdin.write(b"".join(lines[4:]))
    p.stdin.close()
    out = p.stdout.read()
    code = p.wait(timeout=60)
    drain(0.3)
    os.close(master)
    return code, seen.decode("utf-8", "replace"), out


code, terminal, out = slow_run()
expect(code == 0 and out.startswith(b"{"), f"check on a slow stdin exits 0 with its report: {code}")
expect("reading <stdin>" in terminal, f"a terminal sees the progress of a slow read: {terminal!r}")
expect(terminal.rstrip("\r\n").endswith("\r\033[K") or "\r\033[K" in terminal.split("reading")[-1],
       f"the bar is cleared when reading ends: {terminal!r}")

code, terminal, out = slow_run("--no-progress")
expect(code == 0 and "reading" not in terminal, f"--no-progress draws nothing: {terminal!r}")

# Not a terminal: nothing, however long it takes.
p = subprocess.run([BIN, "check", PLAN, "--events", EVENTS, "--as-of", "2023-07-03", "--format", "json"], capture_output=True, text=True)
expect("reading" not in p.stderr, f"no progress when stderr is not a terminal: {p.stderr!r}")

# --progress forces it, with the share of the file read.
p = subprocess.run([BIN, "check", PLAN, "--events", EVENTS, "--as-of", "2023-07-03", "--format", "json", "--progress"],
                   capture_output=True, text=True)
expect("reading " + EVENTS in p.stderr and "100%" in p.stderr, f"--progress shows the file and its share read: {p.stderr!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
