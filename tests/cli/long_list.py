"""A rule file of 8 MiB, nearly all of it one list (`venue in ["0", "1", ..., "mloq"]`,
1,054,539 items), is linted and checked in time and memory in proportion to its size: the list
becomes one sorted set when the plan is compiled, so 2,000 events are tested against it in
milliseconds (a scan of the list per event took 90 s here), and measures name it by its first 16
items and a count, not in full on every report row (which made a 2 GB report).

Each run is limited in address space (not in sanitizer builds, whose shadow memory needs
terabytes of it) and in time, generously: a healthy run takes seconds and well under 1 GiB.
MANDATE_TEST_SCALE (sanitizer runs set 0.1) shrinks the list.

Twenty villages u00..u19, 100 activities each, the i-th on the 10th of month (i mod 12) + 1 of
2023, so months 1..4 hold 9 activities of each village and months 5..12 hold 8. The activities
of u00..u09 are at listed venues, those of u10..u19 at venues not listed; so as of 2023-12-31
u00..u09 meet `count(...) >= 1` every month (value 9 or 8), satisfied; u10..u19 fail it (value
0), violated, but for December, which closes on 2024-01-01 and is pending.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
SCALE = float(os.environ.get("MANDATE_TEST_SCALE", "1"))
MEMORY = 3 << 30  # address space per run; the old check took 7.4 GB
SECONDS = 60      # per run; lint and check take a few seconds (the old check took 84 s)
failures = []

HEAD = """plan big { title "big" }
phase campaign "2023" from 2023-01-01 to 2023-12-31
kind village "village"
event activity "activity" { venue: text }
obligation monthly "monthly" {
  each v: village
  during campaign
  every month
  require count(activity of v where venue in ["""
TAIL = """]) >= 1
}
"""


def b36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        out = digits[n % 36] + out
        n //= 36
        if n == 0:
            return out


def limited():
    if not os.environ.get("MANDATE_SANITIZE"):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(args):
    try:
        return subprocess.run([BIN] + args, capture_output=True, timeout=SECONDS, preexec_fn=limited)
    except subprocess.TimeoutExpired:
        return None


# The list: b36(0), b36(1), ... for as many items as fill the file up to 8 MiB (scaled).
budget = int((8 << 20) * SCALE) - len(HEAD) - len(TAIL)
items = []
used = 0
while True:
    item = '"' + b36(len(items)) + '"'
    if used + len(item) + 2 > budget:
        break
    items.append(item)
    used += len(item) + 2
text = HEAD + ", ".join(items) + TAIL
assert len(text.encode()) <= 8 << 20
listed = len(items)

with tempfile.TemporaryDirectory() as tmp:
    plan = os.path.join(tmp, "list.mandate")
    with open(plan, "w") as f:
        f.write(text)
    registry = os.path.join(tmp, "registry.jsonl")
    with open(registry, "w") as f:
        for u in range(20):
            f.write(json.dumps({"entity": f"u{u:02d}", "kind": "village"}) + "\n")
    events = os.path.join(tmp, "events.jsonl")
    with open(events, "w") as f:
        for u in range(20):
            for i in range(100):
                # Listed venues spread over the list (its last items too); unlisted ones have a
                # space, which no item has.
                venue = b36((u * 100 + i) * 7919 % listed) if u < 10 else f"not listed {i}"
                f.write(json.dumps({"id": f"e{u}-{i}", "type": "activity", "time": f"2023-{i % 12 + 1:02d}-10",
                                    "unit": f"u{u:02d}", "venue": venue}) + "\n")

    p = run(["lint", plan])
    if p is None:
        failures.append(f"lint ran past {SECONDS} s")
    elif p.returncode != 0:
        failures.append(f"lint exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}")

    p = run(["check", plan, "--registry", registry, "--events", events, "--as-of", "2023-12-31", "--format", "json"])
    if p is None:
        failures.append(f"check ran past {SECONDS} s")
    elif p.returncode != 0:
        failures.append(f"check exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}")
    else:
        if len(p.stdout) > 1 << 20:
            failures.append(f"the report is {len(p.stdout)} bytes: the list is written out in it")
        report = json.loads(p.stdout)
        expected, got = [], []
        for u in range(20):
            for month in range(1, 13):
                value = (9 if month <= 4 else 8) if u < 10 else 0
                status = "satisfied" if u < 10 else ("violated" if month < 12 else "pending")
                expected.append((f"u{u:02d}", f"2023-{month:02d}", status, value))
        for r in report["results"]:
            got.append((r["unit"], r["period"]["from"][:7], r["status"], r["value"]))
        if got != expected:
            failures.append(f"rows differ: first got {got[:3]}, expected {expected[:3]}; "
                            f"{sum(a != b for a, b in zip(got, expected))} of {len(expected)} differ, {len(got)} rows")
        # The measure: the first 16 items and a count of the rest.
        name = ("count(activity of v where venue in [" + ", ".join(f'"{b36(k)}"' for k in range(16)) +
                f", … {listed - 16} more])")
        measures = report["results"][0]["evidence"]["measures"] if report["results"] else {}
        if list(measures) != [name]:
            failures.append(f"measures {str(list(measures))[:300]}, expected [{name!r}]")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"long list: {listed} items, {len(text.encode())} bytes, linted and checked")
