"""The as-of date a report was made for is in every format, and a default `--as-of` (the latest
event date) that lies after the plan's last period closes is warned about: one event dated
9999-12-31 would otherwise judge every open bucket as closed without a word.

The town plan's last bucket is monthly_activity's June, which closes after 5 days of grace:
its last day of grace is 2023-07-05, so it closes on 2023-07-06 (docs/choices.md).
"""
import json
import os
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


GOOD = '{"id": "a1", "type": "activity", "time": "2023-06-10", "unit": "v1", "venue": "park"}\n'
FAR = '{"id": "far", "type": "activity", "time": "9999-12-31", "unit": "v2", "venue": "park"}\n'

with tempfile.TemporaryDirectory() as tmp:
    events = os.path.join(tmp, "events.jsonl")

    def check(*extra):
        return subprocess.run([BIN, "check", PLAN, "--registry", os.path.join(DATA, "registry.csv"), "--events", events] + list(extra),
                              capture_output=True, text=True, timeout=60)

    open(events, "w").write(GOOD + FAR)
    p = check("--format", "json")
    r = json.loads(p.stdout)
    expect(r["as_of"] == "9999-12-31", f"the default is the latest event date: {r['as_of']}")
    expect("mandate check：警告：按最晚的事件日期9999-12-31出具报告，该日期晚于方案最后一个期间的截止日（2023-07-06）" in p.stderr,
           f"a warning on stderr: {p.stderr!r}")
    p = check("--format", "json", "--lang", "en")
    expect("warning: reporting as of 9999-12-31, the latest event date, which is after the plan's last period closes (2023-07-06)"
           in p.stderr, f"a warning on stderr in English: {p.stderr!r}")
    # Every format carries the date used.
    p = check("--format", "csv")
    rows = p.stdout.splitlines()
    expect(rows[0].endswith(",as_of,extended_to,waiver,due_from,due_to,unit_name,label,title")
           and all(",9999-12-31,,,,," in row for row in rows[1:]), f"csv: {rows[:3]}")
    p = check("--format", "table", "--no-color")
    expect(p.stdout.splitlines()[1] == "截至 9999-12-31", f"table: {p.stdout.splitlines()[:2]}")
    p = check("--format", "table", "--no-color", "--lang", "en")
    expect(p.stdout.splitlines()[1] == "as of 9999-12-31", f"table in English: {p.stdout.splitlines()[:2]}")
    p = check("--format", "html")
    expect('<time id="as-of" datetime="9999-12-31">' in p.stdout, "html")

    # Given explicitly, the date is the user's choice: no warning.
    p = check("--format", "json", "--as-of", "9999-12-31")
    expect(p.returncode == 0 and "警告" not in p.stderr, f"explicit --as-of: {p.stderr!r}")
    # A default within the plan's reach: no warning.
    open(events, "w").write(GOOD)
    p = check("--format", "json")
    expect(json.loads(p.stdout)["as_of"] == "2023-06-10" and "警告" not in p.stderr, f"in reach: {p.stderr!r}")
    # On the day it closes, still no warning; the day after, one.
    open(events, "w").write(GOOD + FAR.replace("9999-12-31", "2023-07-06"))
    expect("警告" not in check("--format", "json").stderr, "as of 2023-07-06: no warning")
    open(events, "w").write(GOOD + FAR.replace("9999-12-31", "2023-07-07"))
    expect("警告：按最晚的事件日期2023-07-07出具报告" in check("--format", "json").stderr, "as of 2023-07-07: a warning")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
