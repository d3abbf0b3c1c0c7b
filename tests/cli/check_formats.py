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

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
REGISTRY = os.path.join(DATA, "registry.csv")
EVENTS = os.path.join(DATA, "events.jsonl")
LEAFLETS = "leaflet=" + os.path.join(DATA, "leaflets.csv")
failures = []


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
p = check("--format", "csv")
expect(p.stdout.splitlines() == [
    "kind,rule,unit,from,to,status,met,at_risk,value,reason,fired,final,as_of,extended_to,waiver,due_from,due_to",
    "obligation,monthly_activity,v1,2023-04-01,2023-04-30,satisfied,true,false,1,,,,2023-07-03,,,,",
    "obligation,monthly_activity,v1,2023-05-01,2023-05-31,violated,false,false,0,,,,2023-07-03,,,,",
    "obligation,monthly_activity,v1,2023-06-01,2023-06-30,satisfied,true,false,1,,,,2023-07-03,,,,",
    "obligation,monthly_activity,v2,2023-04-01,2023-04-30,satisfied,true,false,1,,,,2023-07-03,,,,",
    "obligation,monthly_activity,v2,2023-05-01,2023-05-31,satisfied,true,false,1,,,,2023-07-03,,,,",
    "obligation,monthly_activity,v2,2023-06-01,2023-06-30,pending,false,true,0,,,,2023-07-03,,,,",
    "obligation,leaflets,v1,2023-04-01,2023-05-31,satisfied,true,false,1,,,,2023-07-03,,,,",
    "obligation,leaflets,v2,2023-04-01,2023-05-31,violated,false,false,0,,,,2023-07-03,,,,",
    "outcome,commend,v1,2023-04-01,2023-06-30,,,,,,true,true,2023-07-03,,,,",
    "outcome,commend,v2,2023-04-01,2023-06-30,,,,,,false,true,2023-07-03,,,,",
], f"csv:\n{p.stdout}")

# ------------------------------------------------------------------ table
p = check("--format", "table")
expected_table = f"""plan town_check  测试镇宣传方案
as of 2023-07-03    ✓ satisfied  ✗ violated  ! at risk  · pending  ⊘ excused    ● fired  ○ fired, not final

monthly_activity  每月宣传活动
  4 satisfied, 1 violated, 1 pending (1 at risk)
       Apr May Jun
  v1   ✓   ✗   ✓
  v2   ✓   ✓   !
    violated  v1  2023-05-01..2023-05-31  value 0
    at risk   v2  2023-06-01..2023-06-30  value 0

leaflets  宣传页入户
  1 satisfied, 1 violated, 0 pending
  2023-04-01..2023-05-31
  v1   ✓  v2   ✗
    violated  v2  2023-04-01..2023-05-31  value 0  not covered: v2-h1

commend  表扬
  1 fired (1 final), 1 not fired
  2023-04-01..2023-06-30
  v1   ●  v2   ·

records: 17 read = 6 entities + 9 applied + 1 duplicates + 0 retracted + 0 retractions + 0 unresolved + 1 rejected
  rejected {EVENTS}:8: field 'venue' must be a string
  ignored field 'photos' of activity in 1 records
"""
expect(p.stdout == expected_table, "table:\n" + p.stdout)
expect("\033[" not in p.stdout, "no colour when the output is not a terminal")
p = check("--format", "table", "--color")
expect("\033[31m\u2717\033[0m" in p.stdout and "\033[33m!\033[0m" in p.stdout, "--color paints violated red and at risk yellow")
expect(p.stdout.replace("\033[0m", "").count("\033[") > 10, "--color paints the grid")

# The format follows the output file's extension when not given.
with tempfile.TemporaryDirectory() as tmp:
    for ext, start in ((".html", "<!DOCTYPE html>"), (".csv", "kind,rule,unit"), (".json", "{"), (".txt", "plan town_check")):
        out = os.path.join(tmp, "report" + ext)
        p = check("-o", out)
        expect(p.returncode == 0 and open(out, encoding="utf-8").read().startswith(start), f"-o report{ext} writes {start!r}")

    # ------------------------------------------------------------------ --rejects: verbatim
    rejects = os.path.join(tmp, "rejects.txt")
    p = check("--format", "json", "-o", os.path.join(tmp, "r.json"), "--rejects", rejects)
    lines = open(EVENTS, encoding="utf-8").read().splitlines()
    expect(open(rejects, encoding="utf-8").read() == lines[7] + "\n", f"--rejects holds line 8 as it was: {open(rejects).read()!r}")
    expect(p.stderr.strip() == "mandate check: 1 records rejected", f"stderr: {p.stderr!r}")
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
p = run("explain", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03",
        "--obligation", "monthly_activity", "--unit", "v2", "--period", "2023-06-15")
out = p.stdout
expect(p.returncode == 0, f"explain exits 0: {p.stderr}")
for phrase in ("v2, 2023-06-01..2023-06-30: pending (at risk)",
               "the period ended on 2023-06-30, but late records are taken until 2023-07-05, and it is judged on 2023-07-06",
               "At risk: the requirement is not met and the period ends within 7 days.",
               'count(activity of v where venue in ["park", "square"]) is 0; it must be >= 1.',
               "Clause: 一、各村每月组织一次集中宣传活动"):
    expect(phrase in out, f"explain v2 June says {phrase!r}:\n{out}")
expect(out.count("\nv2, ") == 1, "--period picks the one bucket holding the date")
p = run("explain", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03",
        "--obligation", "leaflets", "--unit", "v2")
for phrase in ("v2, 2023-04-01..2023-05-31: violated",
               "The period closed on 2023-06-01 (it ended on 2023-05-31)",
               "coverage(leaflet.recipient, household within v) is 0; it must be >= 100%.",
               "Covered 0 of 1; not covered: v2-h1.",
               "Clause: 二、5月底前每户收到一张宣传页"):
    expect(phrase in p.stdout, f"explain leaflets v2 says {phrase!r}:\n{p.stdout}")
p = run("explain", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03",
        "--obligation", "monthly_activity", "--unit", "v1", "--period", "2023-06-01")
for phrase in ("v1, 2023-06-01..2023-06-30: satisfied",
               "Decided before the period closes (on 2023-07-06): the requirement already holds, and more records can only keep it so.",
               "The event counted: e3."):
    expect(phrase in p.stdout, f"explain v1 June says {phrase!r}:\n{p.stdout}")
p = run("explain", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03",
        "--outcome", "commend", "--unit", "v2")
for phrase in ("v2, 2023-04-01..2023-06-30: did not fire, final",
               "streak(month, count(fraud_case of v) == 0) >= 2 does not hold",
               "Measured: streak(month, count(fraud_case of v) == 0) = 1."):
    expect(phrase in p.stdout, f"explain commend v2 says {phrase!r}:\n{p.stdout}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
