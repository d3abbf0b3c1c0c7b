"""`mandate check --threads N --block-size SIZE`: records are parsed on N threads in blocks of
SIZE bytes, and taken in in the files' order, so the report, the rejected records and the notes
are the same, byte for byte, whatever N and SIZE — down to one record a block, and for thread
counts above the machine's cores (7 here, on 2).

Each input set is run once with `--threads 1` (each record parsed where it is read, as before
there were blocks) and compared with every other combination:
- the generated town (about 27 000 records with duplicates, retractions, conflicts and rejected
  lines), its events as JSON Lines, gzipped and zstd-compressed;
- the hand-worked records of tests/golden/goutang;
- tests/cli/data/town: a CSV registry, JSON Lines events and a CSV file of leaflets;
- bad input: a JSON Lines file and a CSV file of broken, mistyped, too long, duplicated and
  conflicting records, blank lines, CRLF and a byte order mark;
- and the town again under --state with a checkpoint every 500 lines, on 4 threads in 1 KiB
  blocks, which must give the report of a run without one.
"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
GENERATOR = os.path.join(os.path.dirname(BIN), "mandate-generate")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOUTANG = os.path.join(ROOT, "rules", "goutang-2023.mandate")
TOWN = os.path.join(ROOT, "tests", "cli", "data", "town")
failures = []

# (threads, block size): one record a block on 1, 2 and 7 threads; small, odd and large blocks.
RUNS = [("1", "1"), ("2", "1"), ("2", "100"), ("4", "4K"), ("7", "1"), ("7", "333"), ("2", "64K"), ("3", "1M")]


def run(plan, args, as_of, tmp, *extra):
    rejects = os.path.join(tmp, "rejects.out")
    if os.path.exists(rejects):
        os.remove(rejects)
    p = subprocess.run([BIN, "check", plan, *args, "--as-of", as_of, "--format", "json", "--rejects", rejects, *extra],
                       capture_output=True, timeout=300)
    kept = open(rejects, "rb").read() if os.path.exists(rejects) else None
    return p.returncode, p.stdout, p.stderr, kept


def same_everywhere(name, plan, args, as_of, tmp):
    reference = run(plan, args, as_of, tmp, "--threads", "1")
    if reference[0] != 0 or not reference[1].startswith(b"{"):
        failures.append(f"{name}: the one-thread run: exit {reference[0]}: {reference[2][-300:]!r}")
        return None
    for threads, block in RUNS:
        got = run(plan, args, as_of, tmp, "--threads", threads, "--block-size", block)
        for part, a, b in (("exit code", reference[0], got[0]), ("report", reference[1], got[1]),
                           ("standard error", reference[2], got[2]), ("--rejects file", reference[3], got[3])):
            if a != b:
                failures.append(f"{name}: --threads {threads} --block-size {block}: the {part} differs from one thread's")
    return reference


with tempfile.TemporaryDirectory() as tmp:
    # ---------------------------------------------------------------- the generated town
    registry, events = os.path.join(tmp, "registry.jsonl"), os.path.join(tmp, "events.jsonl")
    subprocess.run([GENERATOR, "--scale", "town", "--seed", "2023", "--registry", registry, "--events", events], check=True)
    town = same_everywhere("town", GOUTANG, ["--registry", registry, "--events", events], "2023-12-31", tmp)
    if town and b'"rejected": 14' not in town[1]:
        failures.append("town: the sample's 14 rejected records")
    gz = os.path.join(tmp, "events.jsonl.gz")
    with open(events, "rb") as f, open(gz, "wb") as out:
        out.write(gzip.compress(f.read()))
    town_gz = same_everywhere("town, gzipped", GOUTANG, ["--registry", registry, "--events", gz], "2023-12-31", tmp)
    # The same records, compressed or not: the same report (the source names differ).
    if town and town_gz and town[1].replace(b"events.jsonl", b"events.jsonl.gz") != town_gz[1]:
        failures.append("town: the gzipped events give another report")
    if shutil.which("zstd"):
        zst = os.path.join(tmp, "events.jsonl.zst")
        subprocess.run(["zstd", "-q", "-f", events, "-o", zst], check=True)
        same_everywhere("town, zstd", GOUTANG, ["--registry", registry, "--events", zst], "2023-12-31", tmp)

    # ---------------------------------------------------------------- the hand-worked records
    golden = os.path.join(ROOT, "tests", "golden", "goutang")
    same_everywhere("hand-worked records", GOUTANG, ["--registry", os.path.join(golden, "registry.jsonl"),
                                                     "--events", os.path.join(golden, "events.jsonl")], "2023-12-31", tmp)

    # ---------------------------------------------------------------- CSV
    same_everywhere("CSV", os.path.join(TOWN, "plan.mandate"),
                    ["--registry", os.path.join(TOWN, "registry.csv"),
                     "--events", os.path.join(TOWN, "events.jsonl"), "leaflet=" + os.path.join(TOWN, "leaflets.csv")],
                    "2023-07-03", tmp)

    # ---------------------------------------------------------------- bad input
    good = '{"id": "g%d", "type": "activity", "time": "2023-04-%02d", "unit": "v%d", "venue": "park"}'
    lines = ["\ufeff" + good % (1, 10, 1)]
    for i in range(2, 40):
        lines.append(good % (i, 1 + i % 28, 1 + i % 2))
        if i % 5 == 0:
            lines.append('{"id": "x%d", "type": "activity", "time": "2023-04-10"' % i)  # cut short
        if i % 7 == 0:
            lines.append('{"id": "y%d", "type": "fraud_case", "time": "2023-04-10", "unit": "v1", "amount": "lots"}' % i)
        if i % 9 == 0:
            lines.append("")
            lines.append("   ")
        if i % 11 == 0:
            lines.append('{"id": "z%d", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "%s"}' % (i, "x" * 300000))
        if i % 13 == 0:
            lines.append((good % (i, 1 + i % 28, 1 + i % 2)).replace("park", "square"))  # a conflicting copy
        if i % 6 == 0:
            lines.append(good % (i, 1 + i % 28, 1 + i % 2))  # a true duplicate
    lines.append('{"retract": "g3"}')
    lines.append('{"id": "u1", "type": "activity", "time": "2023-04-10", "unit": "nowhere", "venue": "park"}')
    bad = os.path.join(tmp, "bad.jsonl")
    with open(bad, "wb") as f:
        f.write("\r\n".join(lines[:20]).encode("utf-8") + b"\r\n" + "\n".join(lines[20:]).encode("utf-8") +
                b'\n{"id": "w1", "type": "activity", "time": "2023-04-11", "unit": "v1", "venue": "p\xffrk"}')
    bad_csv = os.path.join(tmp, "bad.csv")
    with open(bad_csv, "w", encoding="utf-8") as f:
        f.write("id,time,unit,venue\n")
        for i in range(1, 60):
            f.write(f"c{i},2023-04-{1 + i % 28:02d},v{1 + i % 2},park\n" if i % 4 else f"c{i},2023-04-10,v1\n")
        f.write('c99,2023-04-12,v2,"unclosed\n')
    report = same_everywhere("bad input", os.path.join(TOWN, "plan.mandate"),
                             ["--registry", os.path.join(TOWN, "registry.csv"), "--events", bad, "activity=" + bad_csv],
                             "2023-07-03", tmp)
    # Counted by hand from the lines above: 7 cut short, 5 mistyped, 3 too long, 3 ids with two
    # differing copies (both rejected), the invalid UTF-8; in the CSV, 14 short rows and the
    # unclosed quote. 6 true duplicates; u1's unit is not registered.
    if report:
        inputs = json.loads(report[1])["inputs"]
        expected = {"rejected": 7 + 5 + 3 + 2 * 3 + 1 + 14 + 1, "duplicates": 6, "unresolved": 1, "retracted": 1}
        if {k: inputs[k] for k in expected} != expected:
            failures.append(f"bad input: counts {inputs}, expected {expected}")
        if report[3] is None or report[3].count(b"\n") < expected["rejected"]:
            failures.append("bad input: the --rejects file lacks rejected records")

    # ---------------------------------------------------------------- checkpoints
    state = os.path.join(tmp, "state")
    got = run(GOUTANG, ["--registry", registry, "--events", events], "2023-12-31", tmp,
              "--state", state, "--state-every", "500", "--threads", "4", "--block-size", "1K")
    if town and (got[0], got[1]) != (town[0], town[1]):
        failures.append(f"--state every 500 lines on 4 threads: another report (exit {got[0]}: {got[2][-300:]!r})")

    # A line far longer than a block (rejected, never held) among the records, with a save
    # every 100 records on 2 threads: each save's position is hashed, and the run ends as one
    # without --state does.
    long_events = os.path.join(tmp, "long.jsonl")
    with open(events, "rb") as f:
        rows = f.read().split(b"\n")
    half = len(rows) // 2
    with open(long_events, "wb") as f:
        f.write(b"\n".join(rows[:half]) + b'\n{"id": "huge", "note": "' + b"x" * (12 << 20) + b'"}\n' +
                b"\n".join(rows[half:]))
    plain = run(GOUTANG, ["--registry", registry, "--events", long_events], "2023-12-31", tmp, "--threads", "2")
    state = os.path.join(tmp, "state-long")
    got = run(GOUTANG, ["--registry", registry, "--events", long_events], "2023-12-31", tmp,
              "--state", state, "--state-every", "100", "--threads", "2")
    if got[0] != 0 or got[1] != plain[1] or b"record longer than the limit" not in plain[1]:
        failures.append(f"a 12 MB line under --state on 2 threads: exit {got[0]}: {got[2][-300:]!r}")

for f in failures:
    print("FAIL:", f)
print(f"{len(RUNS)} thread and block combinations, {len(failures)} failures")
sys.exit(1 if failures else 0)
