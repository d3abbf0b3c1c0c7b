"""The terminal table fits the terminal: `mandate check --format table` run under a
pseudo-terminal (so it colours and takes the terminal's width) with COLUMNS=80 and 100, in
both languages, on the Goutang plan and the golden sample of the town (tests/golden/goutang).

No line is wider than the width (colour codes not counted, a CJK character two columns). The
weekly SMS duty of the banks (bank_sms_weekly: every full week of the campaign, 2023-04-01..
2023-12-30, so the 38 Monday-to-Sunday weeks 04-03..12-24) has more columns than 80 or 100 hold: its grid wraps into blocks of columns, one under the other, each
block with its own heading, and every week's cell appears once. When the output is not a
terminal the table keeps to 100 columns whatever COLUMNS says; --width sets it.
"""
import os
import pty
import re
import select
import subprocess
import sys
import unicodedata

BIN = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAN = os.path.join(ROOT, "rules", "goutang-2023.mandate")
DATA = os.path.join(ROOT, "tests", "golden", "goutang")
ARGS = ["check", PLAN, "--registry", os.path.join(DATA, "registry.jsonl"), "--events", os.path.join(DATA, "events.jsonl"),
        "--as-of", "2023-12-31", "--format", "table"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def width(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in ANSI.sub("", line))


def under_pty(args, columns):
    """Runs the binary with its standard output on a pseudo-terminal; returns what it wrote."""
    master, slave = pty.openpty()
    env = dict(os.environ, COLUMNS=str(columns), TERM="xterm")
    env.pop("NO_COLOR", None)
    p = subprocess.Popen([BIN, *args], stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=60)
    os.close(master)
    expect(p.returncode == 0, f"check under a pty exits 0: {p.returncode}")
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def section(text, rule):
    """The lines of one rule's section of the table."""
    lines = text.split("\n")
    start = next((i for i, l in enumerate(lines) if ANSI.sub("", l).startswith(rule + "  ")), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if lines[i] == ""), len(lines))
    return [ANSI.sub("", l) for l in lines[start:end]]


# Full weeks only: 04-01 is a Saturday, so the first is 04-03..04-09; 12-25..12-31 ends after
# the campaign (12-30), so the last is 12-18..12-24: (12-24 - 04-03 + 1) / 7 = 266 / 7 = 38.
WEEKS = 38

for lang in ("zh", "en"):
    for columns in (80, 100):
        out = under_pty([*ARGS, "--lang", lang], columns)
        expect("\x1b[" in out, f"{lang} {columns}: coloured on a terminal")
        wide = [l for l in out.split("\n") if width(l) > columns]
        expect(not wide, f"{lang} at {columns} columns: {len(wide)} lines wider, the first {wide[:1]!r}")
        weekly = section(out, "bank_sms_weekly")
        expect(weekly, f"{lang} {columns}: a section for bank_sms_weekly")
        # The grid's unit rows: a bank's name and id, then glyphs.
        unit_rows = [l for l in weekly if re.match(r"^  \S.* bk\d+ +[✓✗!·⊘]", l)]
        glyphs = sum(len(re.findall(r"[✓✗!·⊘]", l.split(" bk", 1)[1])) for l in unit_rows)
        banks = len({re.search(r" (bk\d+) ", l).group(1) for l in unit_rows})
        expect(banks >= 1, f"{lang} {columns}: the banks' rows: {unit_rows[:3]}")
        blocks = len(unit_rows) // max(banks, 1)
        expect(blocks >= 2, f"{lang} {columns}: the weekly grid wraps into blocks of columns ({blocks})")
        expect(glyphs == banks * WEEKS, f"{lang} {columns}: every week's cell once per bank: {glyphs} for {banks} banks")

# Not a terminal: 100 columns, whatever COLUMNS says; --width sets another.
env = dict(os.environ, COLUMNS="60")
p = subprocess.run([BIN, *ARGS], capture_output=True, text=True, env=env)
lines = p.stdout.split("\n")
expect(p.returncode == 0 and "\x1b[" not in p.stdout, "no colour when not a terminal")
expect(max(width(l) for l in lines) <= 100 and max(width(l) for l in lines) > 80, "100 columns when not a terminal")
p = subprocess.run([BIN, *ARGS, "--width", "72"], capture_output=True, text=True)
expect(max(width(l) for l in p.stdout.split("\n")) <= 72, "--width 72")
expect(subprocess.run([BIN, *ARGS, "--width", "7"], capture_output=True).returncode == 2, "--width below 40 is refused")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
