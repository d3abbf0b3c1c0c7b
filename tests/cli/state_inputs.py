"""`mandate check --state FILE` knows each input by its path and the SHA-256 of the bytes it
read from it (docs/reliability.md, "Saved state"):

- standard input cannot be resumed (a later run could not tell which records it had read):
  `--state` with `--events -` is refused, exit 2, saying why;
- a file edited in place to the same length is refused on resuming, exit 2, naming it (it used
  to be taken as read already, its changed records never seen);
- a file cut shorter than what was read is refused the same way;
- a file that has only grown is read on after the part read: the report equals one run over
  the whole file, JSON Lines and a CSV registry alike;
- a file whose last line had no line break when it was read, and which grew, is refused.

Records: the town data (tests/cli/data/town), as of 2023-07-03.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def run(registry, events, state=None, stdin=None):
    args = [BIN, "check", PLAN, "--registry", registry, "--events", events, "--as-of", "2023-07-03", "--format", "json"]
    if state:
        args += ["--state", state]
    p = subprocess.run(args, input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


lines = open(os.path.join(DATA, "events.jsonl"), "rb").read().splitlines(keepends=True)
registry_lines = open(os.path.join(DATA, "registry.csv"), "rb").read().splitlines(keepends=True)

with tempfile.TemporaryDirectory() as tmp:
    registry, events, state = os.path.join(tmp, "registry.csv"), os.path.join(tmp, "events.jsonl"), os.path.join(tmp, "state")

    # ---------------------------------------------------------------- standard input
    code, out, err = run(os.path.join(DATA, "registry.csv"), "-", state, stdin=b"".join(lines))
    expect(code == 2 and "--state cannot be used with standard input" in err and not os.path.exists(state),
           f"--state with --events -: {code} {err!r}")

    # ---------------------------------------------------------------- grown files go on
    # The whole run, for comparison.
    open(registry, "wb").write(b"".join(registry_lines))
    open(events, "wb").write(b"".join(lines))
    code, whole, err = run(registry, events)
    expected = json.loads(whole)
    # A first run over the registry's first 4 lines (header, t1, v1, v2) and the events' first 5
    # lines (4 events and a blank line).
    open(registry, "wb").write(b"".join(registry_lines[:4]))
    open(events, "wb").write(b"".join(lines[:5]))
    code, out, err = run(registry, events, state)
    expect(code == 0, f"first run: {err}")
    first = json.loads(out)
    expect(first["inputs"]["read"] == 3 + 4, f"the first run read 3 entities and 4 events: {first['inputs']}")
    # Both files grow; the same command reads on after the part read.
    open(registry, "wb").write(b"".join(registry_lines))
    open(events, "wb").write(b"".join(lines))
    code, out, err = run(registry, events, state)
    expect(code == 0, f"grown: {err}")
    got = json.loads(out)
    for part in ("results", "outcomes", "inputs", "rejected", "ignored_fields"):
        expect(got[part] == expected[part], f"grown: {part} differs from one run over the whole files:\n{got[part]}\n{expected[part]}")
    # Nothing more written: nothing is read twice.
    code, out, err = run(registry, events, state)
    expect(code == 0 and json.loads(out)["inputs"] == expected["inputs"], f"unchanged: {err}")

    # ---------------------------------------------------------------- edited in place
    text = bytearray(open(events, "rb").read())
    at = text.index(b'"park"')
    text[at:at + 6] = b'"mall"'  # the same length
    open(events, "wb").write(bytes(text))
    code, out, err = run(registry, events, state)
    expect(code == 2 and f"{events} changed since {state} was saved (its first {len(text)} bytes are not the ones read then)"
           in err, f"edited in place: {code} {err!r}")

    # ---------------------------------------------------------------- cut shorter
    open(events, "wb").write(b"".join(lines[:3]))
    code, out, err = run(registry, events, state)
    expect(code == 2 and f"{events} changed since {state} was saved (it is shorter than" in err, f"shorter: {code} {err!r}")

    # ---------------------------------------------------------------- a last line without a break
    os.remove(state)
    unfinished = b"".join(lines[:4]) + lines[4].rstrip(b"\n")
    open(events, "wb").write(unfinished)
    code, out, err = run(registry, events, state)
    expect(code == 0, f"a file whose last line has no break: {err}")
    open(events, "wb").write(unfinished + b"\n" + b"".join(lines[5:]))
    code, out, err = run(registry, events, state)
    expect(code == 2 and "more was written after a last line that had no line break when it was read" in err,
           f"grew after an unfinished line: {code} {err!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
