"""Loud empty results: a report empty for a reason the user can mend says so on stderr with the
likely cause and the fix, and --strict fails; `explain` given a unit, obligation or period the
report does not have exits 2 with the closest ids (and the id of a name given for one).

On the town records of tests/cli/data/town (check_formats.py works them out), as of 2023-07-03:

- Without --registry: no entity record is read. events.jsonl holds 8 records and leaflets.csv
  3: e10 is rejected (line 8), the second e1 is a duplicate, and the other 9 name units (or
  households) nobody registered: 9 unresolved.
- A registry of three rows, each naming its unit in Chinese, saved as GBK and read as UTF-8:
  all three rows rejected, and the note says to give --encoding gbk.
- A registry of t1 and v1 only, with 1 event of v1 and 3 of v9: 3 of 4 events unresolved, 75.0%.
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


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


def expect(cond, what):
    if not cond:
        failures.append(what)


# ------------------------------------------------------------------ no registry
p = run("check", PLAN, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", "--format", "json")
r = json.loads(p.stdout)
expect(r["inputs"] == {"read": 11, "entities": 0, "applied": 0, "duplicates": 1, "retracted": 0, "retractions": 0,
                       "unresolved": 9, "rejected": 1, "waivers": 0}, f"inputs without a registry: {r['inputs']}")
expect(p.returncode == 0, f"without --strict it still exits 0: {p.returncode}")
expect(p.stderr == "mandate check：拒收1条记录\n"
       "mandate check：没有读到任何单位登记记录，因此没有单位有期间，9条事件都无法归属：请用 --registry FILE 给出单位名册\n",
       f"no registry, stderr: {p.stderr!r}")
p = run("check", PLAN, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", "--format", "json", "--lang", "en")
expect("mandate check: no entity record was read, so no unit has buckets and all 9 events are unresolved: "
       "give the registry with --registry FILE\n" in p.stderr, f"no registry, in English: {p.stderr!r}")
p = run("check", PLAN, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", "--format", "json", "--strict")
expect(p.returncode == 1, f"no registry under --strict exits 1: {p.returncode}")

with tempfile.TemporaryDirectory() as tmp:
    # -------------------------------------------------------------- every registry row rejected
    gbk = os.path.join(tmp, "registry-gbk.csv")
    with open(gbk, "wb") as f:
        f.write("entity,kind,parent,name\nt1,town,,测试镇\nv1,village,t1,苟堂村\nv2,village,t1,新村\n".encode("gbk"))
    p = run("check", PLAN, "--registry", gbk, "--events", EVENTS, "--as-of", "2023-07-03", "--format", "json", "--lang", "en")
    r = json.loads(p.stdout)
    expect(r["inputs"]["entities"] == 0 and [x["line"] for x in r["rejected"] if x["source"] == gbk] == [2, 3, 4],
           f"the three GBK rows rejected: {r['rejected']}")
    first = next(x for x in r["rejected"] if x["source"] == gbk)
    expect(f"mandate check: all 3 records of the registry were rejected (the first: {gbk}:2: {first['reason']}); "
           "if the registry is a CSV saved by Excel on a Chinese Windows machine (GBK), give --encoding gbk\n" in p.stderr,
           f"all rejected, in English: {p.stderr!r}")
    expect("UTF-8" in first["reason"], f"the rejection says why: {first['reason']!r}")
    p = run("check", PLAN, "--registry", gbk, "--events", EVENTS, "--as-of", "2023-07-03", "--format", "json")
    expect(f"mandate check：名册的全部3条记录均被拒收（第一条：{gbk}:2: {first['reason']}）；若名册是在中文版 Windows 上用 Excel "
           "另存的 CSV（GBK 编码），请加 --encoding gbk\n" in p.stderr, f"all rejected: {p.stderr!r}")
    p = run("check", PLAN, "--registry", gbk, "--events", EVENTS, "--as-of", "2023-07-03", "--format", "json", "--strict")
    expect(p.returncode == 1, f"--strict: {p.returncode}")

    # -------------------------------------------------------------- most events unresolved
    registry = os.path.join(tmp, "registry.jsonl")
    events = os.path.join(tmp, "events.jsonl")
    with open(registry, "w", encoding="utf-8") as f:
        f.write('{"entity": "t1", "kind": "town"}\n{"entity": "v1", "kind": "village", "parent": "t1"}\n')
    with open(events, "w", encoding="utf-8") as f:
        f.write('{"id": "a1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park"}\n')
        for i in range(3):
            f.write(f'{{"id": "x{i}", "type": "activity", "time": "2023-04-1{i}", "unit": "v9", "venue": "park"}}\n')
    p = run("check", PLAN, "--registry", registry, "--events", events, "--as-of", "2023-07-03", "--format", "json", "--lang", "en")
    expect(json.loads(p.stdout)["inputs"]["unresolved"] == 3, f"3 unresolved: {p.stdout[-300:]}")
    expect(p.stderr == "mandate check: 3 of 4 events (75.0%) name a unit no entity record registers and are unresolved: "
           "is the registry complete (--registry)?\n", f"mostly unresolved: {p.stderr!r}")
    p = run("check", PLAN, "--registry", registry, "--events", events, "--as-of", "2023-07-03", "--format", "json")
    expect(p.stderr == "mandate check：4条事件中有3条（75.0%）所指单位未登记，无法归属：名册是否完整？请检查 --registry\n",
           f"mostly unresolved in Chinese: {p.stderr!r}")
    # Half is not more than half: 2 of 4 says nothing.
    with open(events, "a", encoding="utf-8") as f:
        f.write('{"id": "a2", "type": "activity", "time": "2023-05-10", "unit": "v1", "venue": "park"}\n')
    p = run("check", PLAN, "--registry", registry, "--events", events, "--as-of", "2023-07-03", "--format", "json", "--strict")
    expect(p.stderr == "mandate check：5条事件中有3条（60.0%）所指单位未登记，无法归属：名册是否完整？请检查 --registry\n"
           and p.returncode == 1, f"3 of 5, --strict: {p.returncode} {p.stderr!r}")

# The town as it is: nothing to say.
p = run("check", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", "--format", "json")
expect(p.stderr == "mandate check：拒收1条记录\n", f"the town: only the rejection noted: {p.stderr!r}")

# ------------------------------------------------------------------ explain: did you mean
def explain(*args):
    return run("explain", PLAN, "--registry", REGISTRY, "--events", EVENTS, LEAFLETS, "--as-of", "2023-07-03", *args)


p = explain("--obligation", "montly_activity", "--unit", "v1")
expect(p.returncode == 2 and "the plan has no obligation 'montly_activity', did you mean 'monthly_activity' (每月宣传活动)?"
       in p.stderr, f"a misspelt obligation: {p.returncode} {p.stderr!r}")
p = explain("--obligation", "每月宣传活动", "--unit", "v1")
expect(p.returncode == 2 and "the plan has no obligation '每月宣传活动', did you mean 'monthly_activity' (每月宣传活动)?"
       in p.stderr, f"a label for an id: {p.stderr!r}")
p = explain("--outcome", "comend", "--unit", "v1")
expect(p.returncode == 2 and "the plan has no outcome 'comend', did you mean 'commend' (表扬)?" in p.stderr, f"outcome: {p.stderr!r}")
p = explain("--obligation", "monthly_activity", "--unit", "v3")
expect(p.returncode == 2 and "monthly_activity has no bucket for unit 'v3' as of 2023-07-03, did you mean 'v1' (苟堂村)?"
       in p.stderr and p.stdout == "", f"an unknown unit: {p.returncode} {p.stderr!r}")
p = explain("--obligation", "monthly_activity", "--unit", "苟堂村")
expect(p.returncode == 2 and "monthly_activity has no bucket for unit '苟堂村' as of 2023-07-03, did you mean 'v1' (苟堂村)?"
       in p.stderr, f"a name for an id: {p.stderr!r}")
p = explain("--obligation", "monthly_activity", "--unit", "v1", "--period", "2023-09")
expect(p.returncode == 2 and "no bucket of monthly_activity for v1 as of 2023-07-03 lies in 2023-09" in p.stderr,
       f"a period the rule does not have: {p.returncode} {p.stderr!r}")
p = explain("--obligation", "monthly_activity", "--unit", "v1", "--period", "2023-05")
expect(p.returncode == 0 and "苟堂村 v1，2023-05-01至2023-05-31：未达标" in p.stdout, f"a good one still works: {p.stderr!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
