"""Daily runs: `mandate check --state S` once a day, each day naming that day's events file and the
registry, which grows (docs/reliability.md, "Saved state"). The state keeps the files earlier
days read and this day does not name; the last day's report equals one run over every day's
file and the whole registry, and each day's equals one run over the files so far, as of that
day.

The records are the town data (tests/cli/data/town): its events, with the three leaflets of
leaflets.csv written as JSON Lines events, split over seven days' files:

  day  file                          records                        the registry grows by
  1    events-2023-04-12.jsonl       e1, e6 (leaflet to v1-h1)      (header), t1, v1
  2    events-2023-04-28.jsonl       e4 (v2)                        v2, v1-h1 (a day late: e6 waits unresolved)
  3    events-2023-05-03.jsonl       e2, a blank line               -
  4    events-2023-05-15.jsonl       e5, e9                         v1-h2 (before its leaflet, e7)
  5    events-2023-05-20.jsonl.gz    e7 (leaflet to v1-h2), gzip    -
  6    events-2023-06-05.jsonl       e8 (leaflet to v2-h1), e10     v2-h1
  7    events-2023-06-20.jsonl       e3, e1 again (a duplicate)     -

By hand, the last day: 6 entities and 11 events read (the blank line is no record): read 17;
e10's venue is a number, so it is rejected (day 6's file, line 2); e1's second copy is a
duplicate; the other 9 events apply; none is unresolved. After day 1, e6 names v1-h1, which is
not registered yet: 2 entities (t1, v1) and 2 events read, 1 applied, 1 unresolved; after day
2 it is resolved: 4 entities and 3 events read, 3 applied, 0 unresolved.

Then, on copies of the last day's state:
- naming earlier days' files again, unchanged (day 1's, day 5's gzipped one), reads nothing;
- an earlier day's file that grew (a late record appended to day 2's) is read on after the part
  read: the report equals one run over the grown file;
- an earlier day's file changed in its read part is refused, exit 2, naming it, and the state
  file is left as it was;
- --rejects on day 7 copies e10's line from day 6's file, which day 7 does not name; once that
  file is changed, the line is left out with a note saying so.
"""
import gzip
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
PARTS = ("results", "outcomes", "inputs", "rejected", "ignored_fields", "unresolved_entities")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def check(registry, events, as_of, state=None, *extra):
    args = [BIN, "check", PLAN, "--registry", registry, "--events", *events, "--as-of", as_of, "--format", "json"]
    if state:
        args += ["--state", state]
    p = subprocess.run(args + list(extra), capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def same_report(got, expected, what):
    for part in PARTS:
        expect(got.get(part) == expected.get(part), f"{what}: {part} differs:\n{got.get(part)}\n{expected.get(part)}")


# The town's records, by id.
event_lines = open(os.path.join(DATA, "events.jsonl"), "rb").read().splitlines(keepends=True)
ev = {}
for line in event_lines:
    if line.strip():
        ev.setdefault(json.loads(line)["id"], []).append(line)
blank = [line for line in event_lines if not line.strip()]
expect(len(blank) == 1 and len(ev["e1"]) == 2 and len(event_lines) == 9, "the town's events are as this test expects")
for row in open(os.path.join(DATA, "leaflets.csv"), encoding="utf-8").read().splitlines()[1:]:
    id_, time, unit, recipient = row.split(",")
    ev[id_] = [json.dumps({"id": id_, "type": "leaflet", "time": time, "unit": unit, "recipient": recipient}).encode() + b"\n"]
reg = {}
registry_lines = open(os.path.join(DATA, "registry.csv"), "rb").read().splitlines(keepends=True)
for line in registry_lines[1:]:
    reg[line.split(b",")[0].decode()] = line

DAYS = [
    ("2023-04-12", [ev["e1"][0], ev["e6"][0]], [registry_lines[0], reg["t1"], reg["v1"]]),
    ("2023-04-28", [ev["e4"][0]], [reg["v2"], reg["v1-h1"]]),
    ("2023-05-03", [ev["e2"][0], blank[0]], []),
    ("2023-05-15", [ev["e5"][0], ev["e9"][0]], [reg["v1-h2"]]),
    ("2023-05-20", [ev["e7"][0]], []),
    ("2023-06-05", [ev["e8"][0], ev["e10"][0]], [reg["v2-h1"]]),
    ("2023-06-20", [ev["e3"][0], ev["e1"][1]], []),
]
GZIPPED = 4  # day 5's file

with tempfile.TemporaryDirectory() as tmp:
    registry, state = os.path.join(tmp, "units.csv"), os.path.join(tmp, "plan.state")
    files = []
    open(registry, "wb").close()
    reports = []
    for day, (date, records, growth) in enumerate(DAYS):
        name = os.path.join(tmp, f"events-{date}.jsonl")
        if day == GZIPPED:
            name += ".gz"
            open(name, "wb").write(gzip.compress(b"".join(records)))
        else:
            open(name, "wb").write(b"".join(records))
        files.append(name)
        with open(registry, "ab") as f:
            f.write(b"".join(growth))
        # The registry as it stands today, for the run over every file so far.
        snapshot = os.path.join(tmp, f"units-{date}.csv")
        shutil.copyfile(registry, snapshot)
        extra = ["--rejects", os.path.join(tmp, "rejects-day7.jsonl")] if day == 6 else []
        code, out, err = check(registry, [name], date, state, *extra)
        expect(code == 0, f"day {day + 1}: exit {code}: {err}")
        got = json.loads(out) if code == 0 else {}
        reports.append(got)
        expect(got.get("as_of") == date, f"day {day + 1}: the report is as of {date}: {got.get('as_of')}")
        code, out, err = check(snapshot, files, date)
        expect(code == 0, f"one run over days 1-{day + 1}: {err}")
        same_report(got, json.loads(out), f"day {day + 1} against one run over days 1-{day + 1}")

    # Hand-worked accounting.
    def counts(r):
        return {k: r.get("inputs", {}).get(k) for k in ("read", "entities", "applied", "duplicates", "unresolved", "rejected")}
    expect(counts(reports[0]) == {"read": 4, "entities": 2, "applied": 1, "duplicates": 0, "unresolved": 1, "rejected": 0},
           f"day 1: e6 waits for v1-h1: {counts(reports[0])}")
    expect(counts(reports[1]) == {"read": 7, "entities": 4, "applied": 3, "duplicates": 0, "unresolved": 0, "rejected": 0},
           f"day 2: v1-h1 registered, e6 applies: {counts(reports[1])}")
    last = reports[-1]
    expect(counts(last) == {"read": 17, "entities": 6, "applied": 9, "duplicates": 1, "unresolved": 0, "rejected": 1},
           f"day 7: {counts(last)}")
    rejected = last.get("rejected", [])
    expect(len(rejected) == 1 and rejected[0]["source"] == files[5] and rejected[0]["line"] == 2,
           f"day 7 still lists e10, rejected on day 6, by its file and line: {rejected}")
    expect(open(os.path.join(tmp, "rejects-day7.jsonl"), "rb").read() == ev["e10"][0],
           "--rejects on day 7 copies e10's line from day 6's file")

    # One run over every day's file and the whole registry, which is the town's.
    expect(open(registry, "rb").read() == b"".join(registry_lines), "the grown registry is the town's")
    code, out, err = check(registry, files, "2023-06-20")
    expect(code == 0, f"one run over every file: {err}")
    whole = json.loads(out)
    same_report(last, whole, "day 7 against one run over every file")
    expect(whole["inputs"]["read"] == 17, f"one run reads 17 records: {whole['inputs']}")

    def copy_state(name):
        copy = os.path.join(tmp, name)
        shutil.copyfile(state, copy)
        return copy

    # ---------------------------------------------------------------- named again, unchanged
    again = copy_state("again.state")
    code, out, err = check(registry, [files[0], files[GZIPPED]], "2023-06-20", again)
    expect(code == 0, f"days 1 and 5 named again: {err}")
    same_report(json.loads(out) if code == 0 else {}, whole, "days 1 and 5 named again, unchanged")
    # ... and again on the state saved by that run (which named neither day 7's file nor 2's).
    code, out, err = check(registry, [files[6], files[1]], "2023-06-20", again)
    same_report(json.loads(out) if code == 0 else {}, whole, "days 7 and 2 named on the state saved after naming 1 and 5")

    # ---------------------------------------------------------------- an earlier file grew
    grown = copy_state("grown.state")
    late = b'{"id": "e11", "type": "activity", "time": "2023-06-21", "unit": "v2", "venue": "park"}\n'
    day2 = open(files[1], "rb").read()
    open(files[1], "ab").write(late)
    code, out, err = check(registry, [files[1]], "2023-06-30", grown)
    expect(code == 0, f"day 2's file grew: {err}")
    got = json.loads(out) if code == 0 else {}
    code, out, err = check(registry, files, "2023-06-30")
    same_report(got, json.loads(out), "day 2's file grown, read on")
    expect(counts(got) == dict(counts(whole), read=18, applied=10), f"the late record is read once: {counts(got)}")
    open(files[1], "wb").write(day2)

    # ---------------------------------------------------------------- an earlier file changed
    changed = copy_state("changed.state")
    before = open(changed, "rb").read()
    day3 = open(files[2], "rb").read()
    open(files[2], "wb").write(day3.replace(b'"market"', b'"museum"'))
    code, out, err = check(registry, [files[2]], "2023-06-20", changed)
    message = (f"mandate check: {files[2]} changed since {changed} was saved (its first {len(day3)} bytes are not the "
               f"ones read then): remove the state file to read everything again, naming the files earlier runs read too")
    expect(code == 2 and message in err, f"day 3's file changed: {code} {err!r}\nexpected: {message!r}")
    expect(open(changed, "rb").read() == before, "a refused run leaves the state as it was")
    open(files[2], "wb").write(day3)

    # ---------------------------------------------------------------- --rejects of a file not named
    day6 = open(files[5], "rb").read()
    open(files[5], "wb").write(day6.replace(b'"venue": 12', b'"venue": 13'))
    rejects = os.path.join(tmp, "rejects.jsonl")
    code, out, err = check(registry, [files[6]], "2023-06-20", copy_state("rejects.state"), "--rejects", rejects,
                           "--lang", "en")
    expect(code == 0 and open(rejects, "rb").read() == b"", f"a changed file's rejected lines are not copied: {code} {err}")
    expect(f"mandate check: 1 rejected records an earlier run read from {files[5]} are not copied to --rejects: "
           "the file is gone, or changed since it was read" in err, f"the note: {err!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
