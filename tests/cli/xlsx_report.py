"""The Excel report: `mandate check -o report.xlsx` on the town record set of tests/cli/data/town
(every status worked out by hand, as of 2023-07-03, in check_formats.py's docstring), read back
with openpyxl in Chinese and in English.

What the workbook must hold, from that working:

  monthly_activity  v1 (苟堂村): Apr ✓, May ✗ (no activity at a park or a square: value 0,
                    must be >= 1), Jun ✓;  v2 (新村, 东片): Apr ✓, May ✓, Jun ! (pending, at risk)
                    -> 4 satisfied, 1 violated, 1 pending of which 1 at risk
  leaflets          v1 ✓; v2 ✗ (0 of 1 household covered: 0%, must be >= 100%; v2-h1 missing)
                    -> 1 satisfied, 1 violated, 0 pending
  commend           v1 ● fired (final), v2 – not fired -> 1 fired, 1 final, 1 not fired
  records           17 read, 6 entities, 9 applied, 1 duplicate, 1 rejected (line 8)

The fill colours are the writer's choice (the light fills of Excel's Good / Bad / Neutral
styles): satisfied C6EFCE, violated FFC7CE, at risk FFEB9C.

Then the command line: -o FILE.xlsx picks the format, --format xlsx to a pipe writes the
workbook there, to a terminal it is refused, an unknown extension is refused, and sheet names
Excel would refuse (too long, forbidden characters, taken twice) are made acceptable.

Run by Debian's /usr/bin/python3, for which python3-openpyxl is installed.
"""
import os
import pty
import subprocess
import sys
import tempfile

import openpyxl

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
REGISTRY = os.path.join(DATA, "registry.csv")
EVENTS = os.path.join(DATA, "events.jsonl")
LEAFLETS = "leaflet=" + os.path.join(DATA, "leaflets.csv")
failures = []

GREEN, RED, AMBER = "C6EFCE", "FFC7CE", "FFEB9C"


def expect(cond, what):
    if not cond:
        failures.append(what)


def check(*extra, **kw):
    if "stdout" not in kw:
        kw["capture_output"] = True
    return subprocess.run([BIN, "check", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", *extra], **kw)


def rows(ws):
    return [[c.value for c in r] for r in ws.iter_rows()]


def find_row(ws, col, value):
    """The first row (a list of cells) whose column `col` (0-based) holds `value`."""
    for r in ws.iter_rows():
        if len(r) > col and r[col].value == value:
            return r
    return None


def fill(cell):
    """A cell's solid fill as RRGGBB ('' when none)."""
    if cell.fill is None or cell.fill.fill_type != "solid":
        return ""
    rgb = cell.fill.fgColor.rgb
    return rgb[-6:].upper() if isinstance(rgb, str) else ""


LANGS = {
    "zh": dict(
        sheets=["概况", "每月宣传活动", "宣传页入户", "表扬", "未达标及预警", "记录"],
        monthly="每月宣传活动", leaflets="宣传页入户", commend="表扬", violations="未达标及预警", records="记录",
        unit="单位", months=["4月", "5月", "6月"], as_of="截至 2023-07-03", plan="方案 town_check",
        violated="未达标", at_risk="预警",
        counts=["读取", "单位登记", "计入", "重复", "已撤回", "撤回指令", "未归属", "拒收", "豁免"],
        words=["达标", "其中预警", "条款：一、各村每月组织一次集中宣传活动", "要求：≥ 1"],
        missing="缺：v2-h1",
    ),
    "en": dict(
        sheets=["Summary", "monthly_activity", "leaflets", "commend", "Violations", "Records"],
        monthly="monthly_activity", leaflets="leaflets", commend="commend", violations="Violations", records="Records",
        unit="unit", months=["Apr", "May", "Jun"], as_of="as of 2023-07-03", plan="plan town_check",
        violated="violated", at_risk="at risk",
        counts=["read", "entities", "applied", "duplicates", "retracted", "retractions", "unresolved", "rejected", "waivers"],
        words=["satisfied", "of which at risk", "Clause: 一、各村每月组织一次集中宣传活动", "Requires: ≥ 1"],
        missing="missing: v2-h1",
    ),
}

with tempfile.TemporaryDirectory() as tmp:
    for lang, L in LANGS.items():
        out = os.path.join(tmp, f"report-{lang}.xlsx")
        p = check("--lang", lang, "-o", out)
        expect(p.returncode == 0, f"[{lang}] -o report.xlsx exits 0: {p.returncode} {p.stderr!r}")
        if p.returncode != 0:
            continue
        expect(p.stdout == b"", f"[{lang}] nothing on standard output: {p.stdout[:80]!r}")
        wb = openpyxl.load_workbook(out)
        expect(wb.sheetnames == L["sheets"], f"[{lang}] sheet names: {wb.sheetnames}")
        if wb.sheetnames != L["sheets"]:
            continue
        every_text = "\n".join(str(v) for ws in wb.worksheets for r in rows(ws) for v in r if v is not None)

        # ---------------------------------------------------------------- summary
        ws = wb.worksheets[0]
        top = [r[0] for r in rows(ws)[:3]]
        expect(top == ["测试镇宣传方案", L["plan"], L["as_of"]], f"[{lang}] summary title, plan id, as-of: {top}")
        # label, id, satisfied, violated, pending, of which at risk, excused
        r = find_row(ws, 1, "monthly_activity")
        expect(r is not None and [c.value for c in r[:7]] == ["每月宣传活动", "monthly_activity", 4, 1, 1, 1, 0],
               f"[{lang}] summary monthly_activity: {r and [c.value for c in r]}")
        r = find_row(ws, 1, "leaflets")
        expect(r is not None and [c.value for c in r[:7]] == ["宣传页入户", "leaflets", 1, 1, 0, 0, 0],
               f"[{lang}] summary leaflets: {r and [c.value for c in r]}")
        # label, id, fired, of which final, not fired
        r = find_row(ws, 1, "commend")
        expect(r is not None and [c.value for c in r[:5]] == ["表扬", "commend", 1, 1, 1], f"[{lang}] summary commend: {r and [c.value for c in r]}")
        expect(ws.freeze_panes == "A4", f"[{lang}] summary keeps the plan and the date in view: {ws.freeze_panes}")

        # ---------------------------------------------------------------- the monthly grid
        ws = wb[L["monthly"]]
        head = find_row(ws, 0, L["unit"])
        expect(head is not None and [c.value for c in head] == [L["unit"], *L["months"]], f"[{lang}] grid header: {head and [c.value for c in head]}")
        v1 = find_row(ws, 0, "苟堂村 v1")
        v2 = find_row(ws, 0, "新村, 东片 v2")
        expect(v1 is not None and [c.value for c in v1[1:4]] == ["✓", "✗", "✓"], f"[{lang}] v1 Apr-Jun: {v1 and [c.value for c in v1]}")
        expect(v1 is not None and [fill(c) for c in v1[1:4]] == [GREEN, RED, GREEN], f"[{lang}] v1 fills: {v1 and [fill(c) for c in v1]}")
        expect(v2 is not None and [c.value for c in v2[1:4]] == ["✓", "✓", "!"], f"[{lang}] v2 Apr-Jun: {v2 and [c.value for c in v2]}")
        expect(v2 is not None and [fill(c) for c in v2[1:4]] == [GREEN, GREEN, AMBER], f"[{lang}] v2 fills: {v2 and [fill(c) for c in v2]}")
        if head is not None:
            # The heading rows and the unit column stay in view.
            expect(ws.freeze_panes == f"B{head[0].row + 1}", f"[{lang}] grid frozen under its header: {ws.freeze_panes}")
        expect(rows(ws)[1][0] == L["words"][2] and rows(ws)[2][0] == L["words"][3], f"[{lang}] clause and requirement: {rows(ws)[:3]}")
        # 新村, 东片 v2: 4 CJK characters at 2 widths each, 5 others: 13, and 2 for the margins.
        expect(ws.column_dimensions["A"].width >= 15, f"[{lang}] the unit column fits 新村, 东片 v2: {ws.column_dimensions['A'].width}")

        ws = wb[L["leaflets"]]
        v1, v2 = find_row(ws, 0, "苟堂村 v1"), find_row(ws, 0, "新村, 东片 v2")
        expect(v1 is not None and v2 is not None and (v1[1].value, v2[1].value) == ("✓", "✗") and (fill(v1[1]), fill(v2[1])) == (GREEN, RED),
               f"[{lang}] leaflets v1 ✓ v2 ✗")
        ws = wb[L["commend"]]
        v1, v2 = find_row(ws, 0, "苟堂村 v1"), find_row(ws, 0, "新村, 东片 v2")
        expect(v1 is not None and v2 is not None and (v1[1].value, v2[1].value) == ("●", "–"), f"[{lang}] commend v1 ● v2 –")
        expect(v1 is not None and fill(v1[1]) == "BDD7EE", f"[{lang}] fired is blue: {v1 and fill(v1[1])}")

        # ---------------------------------------------------------------- violations
        ws = wb[L["violations"]]
        got = rows(ws)
        expect(len(got) == 4, f"[{lang}] violations: a header and 3 rows (v1 May, v2 June at risk, v2 leaflets): {got}")
        expect(ws.freeze_panes == "A2", f"[{lang}] violations header frozen: {ws.freeze_panes}")
        if len(got) == 4:
            # obligation, unit, period, status, value, requirement, evidence, clause
            may = got[1]
            expect(may[:6] == [L["monthly"], "苟堂村 v1", "2023-05-01至2023-05-31" if lang == "zh" else "2023-05-01..2023-05-31",
                               "✗ " + L["violated"], "0", "≥ 1"], f"[{lang}] v1 May: {may}")
            expect(may[7] == "一、各村每月组织一次集中宣传活动", f"[{lang}] v1 May clause: {may[7]}")
            june = got[2]
            expect(june[1] == "新村, 东片 v2" and june[3] == "! " + L["at_risk"] and june[4] == "0", f"[{lang}] v2 June at risk: {june}")
            leaf = got[3]
            expect(leaf[:6] == [L["leaflets"], "新村, 东片 v2", "2023-04-01至2023-05-31" if lang == "zh" else "2023-04-01..2023-05-31",
                                "✗ " + L["violated"], "0%", "≥ 100%"], f"[{lang}] v2 leaflets: {leaf}")
            expect(L["missing"] in (leaf[6] or ""), f"[{lang}] v2 leaflets evidence names v2-h1: {leaf[6]!r}")
            expect(leaf[7] == "二、5月底前每户收到一张宣传页", f"[{lang}] v2 leaflets clause: {leaf[7]}")
            expect(fill(ws.cell(row=2, column=4)) == RED and fill(ws.cell(row=3, column=4)) == AMBER, f"[{lang}] status cells coloured")

        # ---------------------------------------------------------------- records
        ws = wb[L["records"]]
        got = rows(ws)
        counts = {r[0]: r[1] for r in got[1:10]}
        expect(list(counts) == L["counts"], f"[{lang}] record counts named: {list(counts)}")
        expect(list(counts.values()) == [17, 6, 9, 1, 0, 0, 0, 1, 0], f"[{lang}] record counts: {counts}")
        rejected = [r for r in got if isinstance(r[0], str) and r[0].endswith("events.jsonl")]
        expect(len(rejected) == 1 and rejected[0][1] == 8 and rejected[0][2] == "field 'venue' must be a string",
               f"[{lang}] the rejected record, line 8: {rejected}")
        expect(ws.freeze_panes == "A2", f"[{lang}] records header frozen: {ws.freeze_panes}")

        # ---------------------------------------------------------------- the language
        for word in L["words"]:
            expect(word in every_text, f"[{lang}] the workbook says {word!r}")
        if lang == "en":
            for word in ("达标", "未达标", "截至", "单位", "拒收"):
                expect(word not in every_text, f"[en] no Chinese word of the catalogue: {word!r}")
        else:
            for word in ("satisfied", "violated", "as of", "unit", "Records"):
                expect(word not in every_text, f"[zh] no English word of the catalogue: {word!r}")

    # -------------------------------------------------------------------- the command line
    # The extension picks the format; an unknown one without --format is refused.
    out = os.path.join(tmp, "picked.xlsx")
    p = check("-o", out)
    expect(p.returncode == 0 and open(out, "rb").read(2) == b"PK", f"-o FILE.xlsx writes a workbook: {p.returncode} {p.stderr!r}")
    expect(openpyxl.load_workbook(out).sheetnames[0] == "概况", "the workbook is Chinese by default")
    p = check("-o", os.path.join(tmp, "report.xyz"))
    expect(p.returncode == 2 and b".xlsx" in p.stderr, f"-o report.xyz is a usage error naming .xlsx: {p.returncode} {p.stderr!r}")
    expect(not os.path.exists(os.path.join(tmp, "report.xyz")), "nothing written for an unknown extension")

    # To a pipe: standard output is the workbook.
    p = check("--format", "xlsx", "-o", "-", "--lang", "en")
    expect(p.returncode == 0 and p.stdout[:2] == b"PK", f"--format xlsx -o - to a pipe: {p.returncode} {p.stdout[:8]!r} {p.stderr!r}")
    piped = os.path.join(tmp, "piped.xlsx")
    open(piped, "wb").write(p.stdout)
    expect(openpyxl.load_workbook(piped).sheetnames == LANGS["en"]["sheets"], "the piped workbook reads back")
    p = check("--format", "xlsx")
    expect(p.returncode == 0 and p.stdout[:2] == b"PK", "--format xlsx with standard output a pipe and no -o")

    # To a terminal: refused, with what to do instead.
    master, slave = pty.openpty()
    p = check("--format", "xlsx", stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    os.close(master)
    expect(p.returncode == 2 and b"-o FILE.xlsx" in p.stderr, f"--format xlsx to a terminal: {p.returncode} {p.stderr!r}")

    # An output that cannot be written: exit 3, the path named, nothing left behind.
    bad = os.path.join(tmp, "no-such-dir", "r.xlsx")
    p = check("-o", bad)
    expect(p.returncode == 3 and bad.encode() in p.stderr, f"an unwritable -o: {p.returncode} {p.stderr!r}")

    # Sheet names Excel refuses: 31 characters at most, none of []:*?/\, not "History", no
    # apostrophe at either end, and never twice (a rule's label may even be the summary's).
    plan = os.path.join(tmp, "names.mandate")
    long_label = "一二三四五六七八九十" * 4
    labels = ["概况", "检查/督导:第*一?[季度]汇总", long_label, "每月宣传活动", "每月宣传活动", "History", "'引号'"]
    with open(plan, "w", encoding="utf-8") as f:
        f.write('plan names_check {\n  title "名称"\n  timezone "+08:00"\n}\n\n')
        f.write('phase campaign "阶段" from 2023-04-01 to 2023-06-30\n\n')
        f.write('kind town "镇"\n\n')
        f.write('event activity "集中宣传活动" {\n  venue: text\n}\n\n')
        for i, label in enumerate(labels):
            f.write(f'obligation o{i} "{label}" {{\n  during  campaign\n  every   month\n  require count(activity) >= 1\n}}\n\n')
    registry = os.path.join(tmp, "names.csv")
    with open(registry, "w", encoding="utf-8") as f:
        f.write("entity,kind,parent,name\nt1,town,,测试镇\n")
    events = os.path.join(tmp, "names.jsonl")
    with open(events, "w", encoding="utf-8") as f:
        f.write('{"id": "e1", "type": "activity", "time": "2023-04-10", "unit": "t1", "venue": "park"}\n')
    out = os.path.join(tmp, "names.xlsx")
    p = subprocess.run([BIN, "check", plan, "--registry", registry, "--events", events, "--as-of", "2023-07-03", "-o", out],
                       capture_output=True)
    expect(p.returncode == 0, f"names plan: {p.returncode} {p.stderr!r}")
    if p.returncode == 0:
        wb = openpyxl.load_workbook(out)
        want = ["概况", "概况 (2)", "检查_督导_第_一__季度_汇总", long_label[:31], "每月宣传活动", "每月宣传活动 (2)", "History (2)", "引号",
                "未达标及预警", "记录"]
        expect(wb.sheetnames == want, f"sheet names made acceptable: {wb.sheetnames}")
        # A rule without `each` is one row, the plan itself: Apr ✓ (e1), May ✗, Jun ✗.
        ws = wb.worksheets[1]
        r = find_row(ws, 0, "全局")
        expect(r is not None and [c.value for c in r[1:4]] == ["✓", "✗", "✗"], f"the plan's own row: {r and [c.value for c in r]}")

    # Hour buckets: a column each, headed by the date and the hour it starts. The one patrol at
    # 10:30 on 04-10 satisfies the 10:00 bucket; the other 23 hours of the day are violated.
    def hourly(start, to, as_of, name):
        path = os.path.join(tmp, name + ".mandate")
        with open(path, "w", encoding="utf-8") as f:
            f.write('plan hourly_check {\n  title "值守"\n  timezone "+08:00"\n}\n\n'
                    f'phase watch "值守期" from {start} to {to}\n\nkind town "镇"\n\n'
                    'event patrol "巡查" {\n  venue: text\n}\n\n'
                    'obligation hourly "每小时巡查" {\n  each    t: town\n  during  watch\n  every   hour\n'
                    '  require count(patrol of t) >= 1\n}\n')
        events = os.path.join(tmp, "patrol.jsonl")
        with open(events, "w", encoding="utf-8") as f:
            f.write('{"id": "p1", "type": "patrol", "time": "2023-04-10T10:30:00+08:00", "unit": "t1", "venue": "x"}\n')
        out = os.path.join(tmp, name + ".xlsx")
        p = subprocess.run([BIN, "check", path, "--registry", registry, "--events", events, "--as-of", as_of, "-o", out],
                           capture_output=True)
        expect(p.returncode == 0, f"{name}: {p.returncode} {p.stderr!r}")
        return openpyxl.load_workbook(out).worksheets[1] if p.returncode == 0 else None

    ws = hourly("2023-04-10", "2023-04-10", "2023-04-11", "hours")
    if ws is not None:
        got = rows(ws)
        head = next((i for i, r in enumerate(got) if r[0] == "单位"), None)
        expect(head is not None and got[head][1] == "04-10" and got[head + 1][1:] == [f"{h:02d}:00" for h in range(24)],
               f"hour headings: {got[head:head + 2] if head is not None else got}")
        r = find_row(ws, 0, "测试镇 t1")
        expect(r is not None and [c.value for c in r[1:]] == ["✗"] * 10 + ["✓"] + ["✗"] * 13, f"hour cells: {r and [c.value for c in r]}")
    # Two years of hours (365 + 366 days, 17544 buckets) are more columns than Excel has
    # (16384): counts per unit instead, 1 satisfied and 17543 violated.
    ws = hourly("2023-01-01", "2024-12-31", "2025-01-02", "years_of_hours")
    if ws is not None:
        r = find_row(ws, 0, "测试镇 t1")
        expect(r is not None and [c.value for c in r[1:6]] == [1, 17543, 0, 0, 0],
               f"counts of a grid too wide: {r and [c.value for c in r[:8]]}")
        expect(ws.max_column == 6, f"no column per period: {ws.max_column}")

for f in failures:
    print("FAIL:", f)
print(f"xlsx_report: {'FAILED' if failures else 'ok'}")
sys.exit(1 if failures else 0)
