"""Ids and texts from records are data, not commands: the terminal table and `explain` show
control characters as escapes (ESC, NUL, CR, newlines, DEL, C1 controls, bidirectional
overrides), with colour on or off; CSV text cells a spreadsheet would run as a formula get a
leading ' (numbers untouched), unless --csv-raw.

The registry holds a village whose id carries ESC[31m, a CR, a newline, DEL, U+0085 and
U+202E, one with a NUL, and one named =HYPERLINK("http://x","y"); the plan sums a number field
so a negative value (-5) shows that numeric cells are left alone.
"""
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


PLAN = """plan escapes { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-04-30
kind town "t"
kind village "v" within town
event report "r" { amount: number }
obligation positive "p" {
  each    v: village
  during  campaign
  every   month
  require sum(report.amount of v) >= 1
}
"""
NASTY = "v\u001b[31mred\rcr\nnl\u007f\u0085\u202egnp"
NUL = "nul\u0000id"  # a command line cannot carry it: only the table shows it
FORMULA = '=HYPERLINK("http://x","y")'
records = [
    {"entity": "t1", "kind": "town"},
    {"entity": NASTY, "kind": "village", "parent": "t1"},
    {"entity": FORMULA, "kind": "village", "parent": "t1"},
    {"entity": "-minus", "kind": "village", "parent": "t1"},
    {"entity": NUL, "kind": "village", "parent": "t1"},
    {"id": "r1", "type": "report", "time": "2023-04-03", "unit": NASTY, "amount": -5},
    {"id": "r2", "type": "report", "time": "2023-04-03", "unit": FORMULA, "amount": -5},
]
ESCAPED = "v\\x1B[31mred\\x0Dcr\\x0Anl\\x7F\\u0085\\u202Egnp"

with tempfile.TemporaryDirectory() as tmp:
    plan, events = os.path.join(tmp, "plan.mandate"), os.path.join(tmp, "records.jsonl")
    open(plan, "w").write(PLAN)
    with open(events, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")

    def run(*args):
        return subprocess.run([BIN] + list(args), capture_output=True, timeout=60)

    for colour in ("--no-color", "--color"):
        p = run("check", plan, "--events", events, "--as-of", "2023-05-31", "--format", "table", colour)
        out = p.stdout.decode("utf-8")
        controls = [c for c in out if (ord(c) < 0x20 and c not in "\n\x1b") or ord(c) == 0x7F or 0x80 <= ord(c) < 0xA0
                    or 0x202A <= ord(c) <= 0x202E]
        expect(p.returncode == 0 and not controls, f"table {colour}: raw control characters {controls!r}")
        expect(ESCAPED in out and "nul\\x00id" in out, f"table {colour}: the ids shown escaped:\n{out}")
        if colour == "--no-color":
            expect("\x1b" not in out, "no ESC at all without colour")
        else:
            # Colour's own sequences remain; the id's ESC[31m does not reach the terminal as one.
            expect("\x1b[31mred" not in out, "the id's ESC sequence is escaped with colour on")

    p = run("explain", plan, "--events", events, "--as-of", "2023-05-31", "--obligation", "positive", "--unit", NASTY, "--lang", "en")
    out = p.stdout.decode("utf-8")
    expect(p.returncode == 0 and ESCAPED + ", 2023-04-01..2023-04-30: violated" in out and "\x1b" not in out,
           f"explain: {out!r}")
    p = run("explain", plan, "--events", events, "--as-of", "2023-05-31", "--obligation", "positive", "--unit", NASTY)
    out = p.stdout.decode("utf-8")
    expect(p.returncode == 0 and ESCAPED + "，2023-04-01至2023-04-30：未达标" in out and "\x1b" not in out,
           f"explain in Chinese: {out!r}")

    p = run("check", plan, "--events", events, "--as-of", "2023-05-31", "--format", "csv")
    rows = p.stdout.decode("utf-8").splitlines()
    expect("obligation,positive,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2023-04-01,2023-04-30,violated,false,false,-5,,,,2023-05-31,,,,,,p,"
           in rows, f"csv: a formula is prefixed with ', the value -5 is not: {rows}")
    expect("obligation,positive,'-minus,2023-04-01,2023-04-30,violated,false,false,0,,,,2023-05-31,,,,,,p," in rows, f"csv: {rows}")
    p = run("check", plan, "--events", events, "--as-of", "2023-05-31", "--format", "csv", "--csv-raw")
    rows = p.stdout.decode("utf-8").splitlines()
    expect("obligation,positive,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2023-04-01,2023-04-30,violated,false,false,-5,,,,2023-05-31,,,,,,p,"
           in rows and "obligation,positive,-minus,2023-04-01,2023-04-30,violated,false,false,0,,,,2023-05-31,,,,,,p," in rows,
           f"--csv-raw keeps cells as they are: {rows}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
