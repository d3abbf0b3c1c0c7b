"""`mandate check` end to end on a small hand-written record set (tests/cli/data/town), in every
format: the JSON contract, CSV, the terminal table (plain and coloured) and --rejects.

The plan has two villages, a monthly activity (grace 5 days, warn 7 days), a leaflet coverage
due 2023-05-31 and a commendation for two months without a fraud case. Worked out by hand, as
of 2023-07-03:

  monthly_activity  v1: Apr e1 park -> satisfied (1); May only e2 at a market -> violated (0);
                        Jun e3 square -> satisfied (1, monotone, decided early)
                    v2: Apr e4, May e5 -> satisfied; Jun nothing -> pending, in grace until
                        07-05, at risk (06-30 - 07-03 = -3 days <= 7)
  leaflets          v1: v1-h1 (04-12), v1-h2 (05-20) -> 2/2 -> satisfied
                    v2: v2-h1 only on 06-02, after the deadline -> 0/1 -> violated
  commend           v1: no case, Apr May Jun -> streak 3 -> fired, final since 07-01
                    v2: a case in May -> streak 1 -> not fired, final
  records           6 entities (registry.csv) + 8 JSON Lines records + 3 CSV leaflets = 17:
                    9 applied, 1 duplicate (e1 again, keys reordered, same instant in Z),
                    1 rejected (e10: venue 12 on line 8); 'photos' ignored once.
"""
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
REGISTRY = os.path.join(DATA, "registry.csv")
EVENTS = os.path.join(DATA, "events.jsonl")
LEAFLETS = "leaflet=" + os.path.join(DATA, "leaflets.csv")
failures = []


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def run(*args, stdin=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, input=stdin)


def expect(cond, what):
    if not cond:
        failures.append(what)


def check(*extra, stdin=None):
    return run("check", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", *extra, stdin=stdin)


# ------------------------------------------------------------------ JSON
p = check("--format", "json")
expect(p.returncode == 0, f"check exits 0: {p.returncode} {p.stderr}")
r = json.loads(p.stdout)
expect(r["schema"] == "mandate.report/1" and r["plan"] == "town_check" and r["as_of"] == "2023-07-03", "report header")
rows = {(x["obligation"], x["unit"], x["period"]["from"]): x for x in r["results"]}
want = {
    ("monthly_activity", "v1", "2023-04-01"): ("2023-04-30", "satisfied", True, False, 1),
    ("monthly_activity", "v1", "2023-05-01"): ("2023-05-31", "violated", False, False, 0),
    ("monthly_activity", "v1", "2023-06-01"): ("2023-06-30", "satisfied", True, False, 1),
    ("monthly_activity", "v2", "2023-04-01"): ("2023-04-30", "satisfied", True, False, 1),
    ("monthly_activity", "v2", "2023-05-01"): ("2023-05-31", "satisfied", True, False, 1),
    ("monthly_activity", "v2", "2023-06-01"): ("2023-06-30", "pending", False, True, 0),
    ("leaflets", "v1", "2023-04-01"): ("2023-05-31", "satisfied", True, False, 1),
    ("leaflets", "v2", "2023-04-01"): ("2023-05-31", "violated", False, False, 0),
}
expect(set(rows) == set(want), f"result rows: {sorted(rows)}")
for k, (to, status, met, at_risk, value) in want.items():
    x = rows.get(k)
    if x:
        got = (x["period"]["to"], x["status"], x["met"], x["at_risk"], x["value"])
        expect(got == (to, status, met, at_risk, value), f"{k}: {got}")
expect([list(k) for k in rows] == [list(k) for k in want], "results ordered by obligation (file order), unit, period")
x = rows.get(("monthly_activity", "v1", "2023-04-01"), {})
expect(x.get("evidence", {}).get("events") == ["e1"], f"v1 April counted e1 only: {x.get('evidence')}")
expect(x.get("cite") == ["一、各村每月组织一次集中宣传活动"], f"cite: {x.get('cite')}")
x = rows.get(("leaflets", "v2", "2023-04-01"), {})
expect(x.get("evidence", {}).get("coverage") == {"covered": 0, "of": 1, "missing": ["v2-h1"]}, f"v2 coverage: {x.get('evidence')}")
x = rows.get(("leaflets", "v1", "2023-04-01"), {})
expect(x.get("evidence", {}).get("events") == ["e6", "e7"], f"v1 leaflets from the CSV file: {x.get('evidence')}")
outcomes = {(o["outcome"], o["unit"]): o for o in r["outcomes"]}
expect(outcomes.get(("commend", "v1"), {}).get("fired") is True and outcomes[("commend", "v1")]["final"] is True
       and outcomes[("commend", "v1")]["final_on"] == "2023-07-01", f"v1 commended: {outcomes.get(('commend', 'v1'))}")
expect(outcomes.get(("commend", "v2"), {}).get("fired") is False and outcomes[("commend", "v2")]["final"] is True,
       f"v2 not commended: {outcomes.get(('commend', 'v2'))}")
expect(r["inputs"] == {"read": 17, "entities": 6, "applied": 9, "duplicates": 1, "retracted": 0, "retractions": 0,
                       "unresolved": 0, "rejected": 1, "waivers": 0}, f"inputs: {r['inputs']}")
expect([(x["line"], x["reason"]) for x in r["rejected"]] == [(8, "field 'venue' must be a string")], f"rejected: {r['rejected']}")
expect(r["rejected"][0]["source"].endswith("events.jsonl"), "a rejection names its source")
expect(r["ignored_fields"] == [{"type": "activity", "field": "photos", "records": 1}], f"ignored: {r['ignored_fields']}")

# ------------------------------------------------------------------ CSV
# The first seventeen columns as mandate.report/1 has always had them; then the unit's name
# from the registry (v2's holds a comma, so it is quoted), the rule's label and the plan's title.
p = check("--format", "csv")
tail_v1, tail_v2 = ",苟堂村,{},测试镇宣传方案", ',"新村, 东片",{},测试镇宣传方案'
expect(p.stdout.splitlines() == [
    "kind,rule,unit,from,to,status,met,at_risk,value,reason,fired,final,as_of,extended_to,waiver,due_from,due_to,unit_name,label,title",
    "obligation,monthly_activity,v1,2023-04-01,2023-04-30,satisfied,true,false,1,,,,2023-07-03,,,," + tail_v1.format("每月宣传活动"),
    "obligation,monthly_activity,v1,2023-05-01,2023-05-31,violated,false,false,0,,,,2023-07-03,,,," + tail_v1.format("每月宣传活动"),
    "obligation,monthly_activity,v1,2023-06-01,2023-06-30,satisfied,true,false,1,,,,2023-07-03,,,," + tail_v1.format("每月宣传活动"),
    "obligation,monthly_activity,v2,2023-04-01,2023-04-30,satisfied,true,false,1,,,,2023-07-03,,,," + tail_v2.format("每月宣传活动"),
    "obligation,monthly_activity,v2,2023-05-01,2023-05-31,satisfied,true,false,1,,,,2023-07-03,,,," + tail_v2.format("每月宣传活动"),
    "obligation,monthly_activity,v2,2023-06-01,2023-06-30,pending,false,true,0,,,,2023-07-03,,,," + tail_v2.format("每月宣传活动"),
    "obligation,leaflets,v1,2023-04-01,2023-05-31,satisfied,true,false,1,,,,2023-07-03,,,," + tail_v1.format("宣传页入户"),
    "obligation,leaflets,v2,2023-04-01,2023-05-31,violated,false,false,0,,,,2023-07-03,,,," + tail_v2.format("宣传页入户"),
    "outcome,commend,v1,2023-04-01,2023-06-30,,,,,,true,true,2023-07-03,,,," + tail_v1.format("表扬"),
    "outcome,commend,v2,2023-04-01,2023-06-30,,,,,,false,true,2023-07-03,,,," + tail_v2.format("表扬"),
], f"csv:\n{p.stdout}")
p = check("--format", "csv", "--lang", "en")
expect(p.stdout.splitlines()[8].endswith(',"新村, 东片",宣传页入户,测试镇宣传方案'), "--lang does not change the CSV")

# JSON: the added fields after the first ones; --lang changes nothing in it.
r_en = json.loads(check("--format", "json", "--lang", "en").stdout)
expect(r_en == r, "--lang does not change the JSON")
x = rows.get(("monthly_activity", "v2", "2023-06-01"), {})
expect(list(x)[-3:] == ["cite", "unit_name", "label"] and x["unit_name"] == "新村, 东片" and x["label"] == "每月宣传活动",
       f"a result's unit_name and label come last: {list(x)}")
o = outcomes.get(("commend", "v1"), {})
expect(o.get("unit_name") == "苟堂村" and o.get("label") == "表扬" and list(o)[-2:] == ["unit_name", "label"], f"outcome: {o}")
expect(list(r)[-1] == "title" and r["title"] == "测试镇宣传方案", f"the plan's title comes last: {list(r)}")

# ------------------------------------------------------------------ table
# Worked out above; Chinese by default. Units by registry name and id; values as the plan
# writes its requirement (a coverage against 100% as a percent); evidence in words. Lines keep
# to 100 columns when the output is not a terminal: the leaflet line folds under its text.
p = check("--format", "table")
expected_zh = f"""方案 town_check  测试镇宣传方案
截至 2023-07-03
✓ 达标  ✗ 未达标  ! 预警  · 待定  ⊘ 豁免  ● 已触发  ○ 已触发（未定）  – 未触发

monthly_activity  每月宣传活动
  4项达标，1项未达标，1项待定（其中1项预警）
                4月 5月 6月
  苟堂村 v1     ✓   ✗   ✓
  新村, 东片 v2 ✓   ✓   !
    未达标  苟堂村 v1  2023-05-01至2023-05-31  数值 0（应 ≥ 1）
    预警    新村, 东片 v2  2023-06-01至2023-06-30  数值 0（应 ≥ 1）

leaflets  宣传页入户
  1项达标，1项未达标，0项待定
  2023-04-01至2023-05-31
  苟堂村 v1 ✓  新村, 东片 v2 ✗
    未达标  新村, 东片 v2  2023-04-01至2023-05-31  数值 0%（应 ≥ 100%），
            1个住户中0个已有发放宣传页；缺：v2-h1

commend  表扬
  1次触发（1次已确定），1次未触发
  2023-04-01至2023-06-30
  苟堂村 v1 ●  新村, 东片 v2 –
    ● 苟堂村 v1  2023-04-01至2023-06-30  已触发，连续满足的最长月数：3

记录：共读取17条 = 单位登记6 + 计入9 + 重复1 + 已撤回0 + 撤回指令0 + 未归属0 + 拒收1
  拒收 {EVENTS}:8: field 'venue' must be a string
  忽略了1条activity记录中的字段“photos”
"""
expect(p.stdout == expected_zh, "table (zh):\n" + p.stdout)
p = check("--format", "table", "--lang", "en")
expected_table = f"""plan town_check  测试镇宣传方案
as of 2023-07-03
✓ satisfied  ✗ violated  ! at risk  · pending  ⊘ excused  ● fired  ○ fired, not final  – not fired

monthly_activity  每月宣传活动
  4 satisfied, 1 violated, 1 pending (1 at risk)
                Apr May Jun
  苟堂村 v1     ✓   ✗   ✓
  新村, 东片 v2 ✓   ✓   !
    violated  苟堂村 v1  2023-05-01..2023-05-31  value 0 (must be ≥ 1)
    at risk   新村, 东片 v2  2023-06-01..2023-06-30  value 0 (must be ≥ 1)

leaflets  宣传页入户
  1 satisfied, 1 violated, 0 pending
  2023-04-01..2023-05-31
  苟堂村 v1 ✓  新村, 东片 v2 ✗
    violated  新村, 东片 v2  2023-04-01..2023-05-31  value 0% (must be ≥ 100%), 0 of 1 household
              have leaflet; missing: v2-h1

commend  表扬
  1 fired (1 final), 1 not fired
  2023-04-01..2023-06-30
  苟堂村 v1 ●  新村, 东片 v2 –
    ● 苟堂村 v1  2023-04-01..2023-06-30  fired, longest streak of months: 3

records: 17 read = 6 entities + 9 applied + 1 duplicates + 0 retracted + 0 retractions + 0
  unresolved + 1 rejected
  rejected {EVENTS}:8: field 'venue' must be a string
  ignored field 'photos' of activity in 1 records
"""
expect(p.stdout == expected_table, "table (en):\n" + p.stdout)
for line in (expected_zh + expected_table.replace(EVENTS, "E")).splitlines():
    expect(display_width(line) <= 100, f"a line of the expected tables is wider than 100 columns: {line!r}")
expect("\033[" not in p.stdout, "no colour when the output is not a terminal")
p = check("--format", "table", "--color")
expect("\033[31m\u2717\033[0m" in p.stdout and "\033[33m!\033[0m" in p.stdout, "--color paints violated red and at risk yellow")
expect(p.stdout.replace("\033[0m", "").count("\033[") > 10, "--color paints the grid")

# The format follows the output file's extension when not given.
with tempfile.TemporaryDirectory() as tmp:
    for ext, start in ((".html", "<!DOCTYPE html>"), (".csv", "kind,rule,unit"), (".json", "{"), (".txt", "方案 town_check")):
        out = os.path.join(tmp, "report" + ext)
        p = check("-o", out)
        expect(p.returncode == 0 and open(out, encoding="utf-8").read().startswith(start), f"-o report{ext} writes {start!r}")

    # An -o whose extension names no format is refused unless --format names one (so a device
    # or a FIFO can still be written to).
    p = check("-o", os.path.join(tmp, "report.out"))
    expect(p.returncode == 2 and "--format" in p.stderr and not os.path.exists(os.path.join(tmp, "report.out")),
           f"-o report.out without --format: {p.returncode} {p.stderr!r}")
    p = check("-o", os.path.join(tmp, "report.out"), "--format", "csv")
    expect(p.returncode == 0 and open(os.path.join(tmp, "report.out"), encoding="utf-8").read().startswith("kind,rule,unit"),
           "-o report.out --format csv")
    p = check("-o", "/dev/stdout", "--format", "json")
    expect(p.returncode == 0 and json.loads(p.stdout)["plan"] == "town_check", "-o /dev/stdout --format json")

    # ------------------------------------------------------------------ --rejects: verbatim
    rejects = os.path.join(tmp, "rejects.txt")
    p = check("--format", "json", "-o", os.path.join(tmp, "r.json"), "--rejects", rejects)
    lines = open(EVENTS, encoding="utf-8").read().splitlines()
    expect(open(rejects, encoding="utf-8").read() == lines[7] + "\n", f"--rejects holds line 8 as it was: {open(rejects).read()!r}")
    expect(p.stderr.strip() == "mandate check：拒收1条记录", f"stderr: {p.stderr!r}")
    p = check("--format", "json", "--strict")
    expect(p.returncode == 1, f"--strict with a rejection exits 1, got {p.returncode}")

    # Standard input as JSON Lines, kept aside for --rejects.
    text = open(EVENTS, encoding="utf-8").read()
    p = run("check", PLAN, "--registry", REGISTRY, "--events", "-", LEAFLETS, "--as-of", "2023-07-03", "--format", "json",
            "--rejects", rejects, stdin=text)
    expect(p.returncode == 0 and json.loads(p.stdout)["inputs"]["read"] == 17, f"stdin: {p.stderr}")
    expect(json.loads(p.stdout)["rejected"][0]["source"] == "<stdin>", "a rejection from standard input names <stdin>")
    expect(open(rejects, encoding="utf-8").read() == lines[7] + "\n", "--rejects copies a record read from standard input")

    # --as-of defaults to the latest event date: 2023-06-20 (e3; e10 on 06-05 is rejected but dated).
    p = run("check", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--format", "json")
    expect(json.loads(p.stdout)["as_of"] == "2023-06-20", f"default as-of: {json.loads(p.stdout)['as_of']}")

# ------------------------------------------------------------------ explain
# In both languages: the same facts, the unit by its name, the value as the plan writes it.
def explain(*args, lang):
    return run("explain", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", *args, "--lang", lang)


cases = [
    (("--obligation", "monthly_activity", "--unit", "v2", "--period", "2023-06-15"), {
        "en": ["新村, 东片 v2, 2023-06-01..2023-06-30: at risk",
               "Still open: the period ended on 2023-06-30, but late records are taken until 2023-07-05, and it is judged on 2023-07-06.",
               "So far the requirement does not hold.",
               "At risk: the requirement is not met and the period ends within 7 days.",
               'count(activity of v where venue in ["park", "square"]) is 0; it must be ≥ 1.',
               "No record the requirement reads is dated in the period.",
               "Clause: 一、各村每月组织一次集中宣传活动"],
        "zh": ["新村, 东片 v2，2023-06-01至2023-06-30：预警",
               "尚未截止：期间已于2023-06-30结束，但2023-07-05前的补报记录仍计入，将于2023-07-06判定。",
               "目前要求未满足。",
               "预警：要求尚未满足，且期间将在7天内结束。",
               'count(activity of v where venue in ["park", "square"])为0；应 ≥ 1。',
               "期间内没有要求所读取的记录。",
               "条款：一、各村每月组织一次集中宣传活动"]}),
    (("--obligation", "leaflets", "--unit", "v2"), {
        "en": ["新村, 东片 v2, 2023-04-01..2023-05-31: violated",
               "The period closed on 2023-06-01 (it ended on 2023-05-31), and on the records dated up to 2023-07-03 the requirement does not hold.",
               "coverage(leaflet.recipient, household within v) is 0%; it must be ≥ 100%.",
               "0 of 1 household have leaflet; missing: v2-h1.",
               "Clause: 二、5月底前每户收到一张宣传页"],
        "zh": ["新村, 东片 v2，2023-04-01至2023-05-31：未达标",
               "期间已于2023-06-01截止（2023-05-31结束），根据截至2023-07-03的记录，要求未满足。",
               "coverage(leaflet.recipient, household within v)为0%；应 ≥ 100%。",
               "1个住户中0个已有发放宣传页；缺：v2-h1。",
               "条款：二、5月底前每户收到一张宣传页"]}),
    (("--obligation", "monthly_activity", "--unit", "v1", "--period", "2023-06-01"), {
        "en": ["苟堂村 v1, 2023-06-01..2023-06-30: satisfied",
               "Decided before the period closes (on 2023-07-06): the requirement already holds, and more records can only keep it so.",
               "Records counted: e3."],
        "zh": ["苟堂村 v1，2023-06-01至2023-06-30：达标",
               "在期间截止（2023-07-06）前已判定：要求已满足，且后续记录只会使其保持满足。",
               "计入的记录：e3。"]}),
    (("--outcome", "commend", "--unit", "v2"), {
        "en": ["新村, 东片 v2, 2023-04-01..2023-06-30: did not fire, final",
               "streak(month, count(fraud_case of v) == 0) >= 2 does not hold",
               "Longest streak of months: 1."],
        "zh": ["新村, 东片 v2，2023-04-01至2023-06-30：未触发，已确定",
               "streak(month, count(fraud_case of v) == 0) >= 2 未满足",
               "连续满足的最长月数：1。"]}),
    (("--outcome", "commend", "--unit", "v1"), {
        "en": ["苟堂村 v1, 2023-04-01..2023-06-30: fired, final", "Final since 2023-07-01", "Longest streak of months: 3."],
        "zh": ["苟堂村 v1，2023-04-01至2023-06-30：已触发，已确定", "自2023-07-01起确定", "连续满足的最长月数：3。"]}),
]
for args, by_lang in cases:
    for lang, phrases in by_lang.items():
        p = explain(*args, lang=lang)
        expect(p.returncode == 0, f"explain {args} exits 0: {p.stderr}")
        for phrase in phrases:
            expect(phrase in p.stdout, f"explain {args} --lang {lang} says {phrase!r}:\n{p.stdout}")
p = explain("--obligation", "monthly_activity", "--unit", "v2", "--period", "2023-06-15", lang="zh")
expect(p.stdout.count("\n新村, 东片 v2，") == 1, "--period picks the one bucket holding the date")
expect(explain("--obligation", "leaflets", "--unit", "v2", lang="de").returncode == 2, "--lang de exits 2")
p = run("explain", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", "--obligation", "leaflets",
        "--unit", "v2")
expect(p.stdout == explain("--obligation", "leaflets", "--unit", "v2", lang="zh").stdout, "explain is in Chinese by default")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
