"""mandate check / graph / explain: outputs, formats and exit codes (argv[1] is the binary)."""
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASE = os.path.join(ROOT, "tests", "conformance", "14-records")
PLAN = os.path.join(CASE, "plan.mandate")
RECORDS = os.path.join(CASE, "records.jsonl")
failures = []


def run(*args, stdin=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, input=stdin)


def expect(cond, what):
    if not cond:
        failures.append(what)


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "report.json")
    rejects = os.path.join(tmp, "rejects.jsonl")
    p = run("check", PLAN, "--events", RECORDS, "--as-of", "2023-05-10", "--format", "json", "-o", out, "--rejects", rejects)
    expect(p.returncode == 0, f"check exits 0 with rejections when not --strict, got {p.returncode}: {p.stderr}")
    report = json.load(open(out, encoding="utf-8"))
    expect(report["schema"] == "mandate.report/1", "schema")
    expect(report["as_of"] == "2023-05-10", "as_of")
    expect(len(report["revision"]) == 64, "revision is a SHA-256")
    # The case's two rejected records: the conflicting e3 copies (lines 6 and 7).
    expect([(r["line"], r["source"].endswith("records.jsonl")) for r in report["rejected"]] == [(6, True), (7, True)],
           f"rejected rows: {report['rejected']}")
    # --rejects holds the two records as they stood in the file, so nothing read is lost.
    source_lines = open(RECORDS, encoding="utf-8").read().splitlines()
    expect(open(rejects, encoding="utf-8").read() == source_lines[5] + "\n" + source_lines[6] + "\n",
           f"--rejects copies lines 6 and 7 verbatim: {open(rejects, encoding='utf-8').read()!r}")
    # The note on stderr is in the reader's language: Chinese unless --lang en.
    expect(p.stderr == "mandate check：拒收2条记录\n", f"stderr notes rejections: {p.stderr!r}")
    p = run("check", PLAN, "--events", RECORDS, "--as-of", "2023-05-10", "--format", "json", "-o", out, "--lang", "en")
    expect(p.stderr == "mandate check: 2 records rejected\n", f"stderr notes rejections in English: {p.stderr!r}")
    expect(run("check", PLAN, "--events", RECORDS, "--as-of", "2023-05-10", "--lang", "fr").returncode == 2, "--lang fr exits 2")

    p = run("check", PLAN, "--events", RECORDS, "--as-of", "2023-05-10", "--strict", "--format", "json")
    expect(p.returncode == 1, f"--strict with rejections exits 1, got {p.returncode}")

    p = run("check", PLAN, "--events", RECORDS, "--as-of", "2023-05-10", "--format", "csv")
    rows = p.stdout.splitlines()
    expect(rows[0] == "kind,rule,unit,from,to,status,met,at_risk,value,reason,fired,final,as_of,extended_to,waiver,due_from,due_to,"
           "unit_name,label,title", f"csv header: {rows[:1]}")
    # The added columns: v1 has no name in the case's records; the obligation's label; the plan's title.
    expect("obligation,twice,v1,2023-04-01,2023-04-30,satisfied,true,false,2,,,,2023-05-10,,,,,,每月两次,c14" in rows, f"csv row for v1: {rows}")

    p = run("check", PLAN, "--events", RECORDS, "--as-of", "2023-05-10", "--format", "table", "--lang", "en")
    expect("twice" in p.stdout and "13 read" in p.stdout, f"table output: {p.stdout}")
    p = run("check", PLAN, "--events", RECORDS, "--as-of", "2023-05-10", "--format", "table")
    expect("twice" in p.stdout and "共读取13条" in p.stdout, f"table output in Chinese: {p.stdout}")

    # Records from standard input; --as-of defaults to the latest event date (2023-04-20 here).
    p = run("check", PLAN, "--events", "-", "--format", "json", stdin=open(RECORDS, encoding="utf-8").read())
    expect(p.returncode == 0 and json.loads(p.stdout)["as_of"] == "2023-04-20", f"stdin and default as-of: {p.stderr}")

    expect(run("check", PLAN, "--events", RECORDS, "--as-of", "2023-02-30").returncode == 2, "bad --as-of exits 2")
    expect(run("check", PLAN, "--events", os.path.join(tmp, "missing.jsonl"), "--as-of", "2023-05-10").returncode == 2,
           "missing events file exits 2")
    broken = os.path.join(tmp, "broken.mandate")
    open(broken, "w").write("plan p {}\nobligation o { every fortnight }\n")
    p = run("check", broken, "--events", RECORDS, "--as-of", "2023-05-10")
    expect(p.returncode == 2 and "broken.mandate:2:22: error: expected a period" in p.stderr, f"broken plan: {p.stderr}")
    expect(run("check", PLAN, "--events", RECORDS, "--format", "xml", "--as-of", "2023-05-10").returncode == 2, "bad format")

    # --limit: the case's records register v1, v9 and v4 (two versions); with room for one
    # entity, v9's record and both of v4's are rejected by name, and still counted.
    p = run("check", PLAN, "--events", RECORDS, "--as-of", "2023-05-10", "--format", "json", "--limit", "max_entities=1")
    limited = json.loads(p.stdout)
    over = [x for x in limited["rejected"] if "(max_entities)" in x["reason"]]
    expect([x["line"] for x in over] == [10, 12, 13], f"--limit max_entities=1 rejects v9 and v4: {limited['rejected']}")
    expect(over and over[0]["reason"] == "entity 'v9' would be one more than the limit of 1 entities (max_entities)", f"{over[:1]}")
    ins = limited["inputs"]
    expect(ins["read"] == 13 and ins["read"] == sum(v for k, v in ins.items() if k != "read"), f"accounting: {ins}")
    p = run("check", PLAN, "--events", RECORDS, "--limit", "max_rows=1")
    expect(p.returncode == 2 and "no limit named 'max_rows'" in p.stderr, f"an unknown limit: {p.stderr}")

    p = run("graph", os.path.join(ROOT, "rules", "goutang-2023.mandate"))
    expect(p.returncode == 0 and p.stdout.startswith('digraph "goutang_antifraud_2023" {'), "graph prints DOT")
    p = run("graph", os.path.join(ROOT, "rules", "campus-antifraud-2024.mandate"), "--partitions")
    lines = p.stdout.splitlines()
    # The campus plan's rules are for districts, schools and below, but district_inspection is
    # for a district: it splits at the district, not at a school.
    expect(p.returncode == 0 and lines[0] == "plan linjiang_campus_antifraud_2024 splits at district (the finest level)"
           and "  school: no: district_inspection is for each district, and not every district lies within a school" in lines,
           f"graph --partitions: {p.stdout}")
    p = run("graph", "--partitions", os.path.join(ROOT, "rules", "goutang-2023.mandate"))
    expect(p.returncode == 0 and p.stdout.splitlines()[:2] == [
        "plan goutang_antifraud_2023 is evaluated whole: no kind splits it",
        "  town: no: recommend_top10 ranks village | operator | bank among all of them"], f"graph --partitions: {p.stdout}")

    p = run("explain", PLAN, "--events", RECORDS, "--obligation", "twice", "--unit", "v9", "--as-of", "2023-05-10")
    expect(p.returncode == 0 and "未达标" in p.stdout and "e4" in p.stdout, f"explain v9: {p.stdout}")
    expect(run("explain", PLAN, "--events", RECORDS, "--obligation", "nope", "--unit", "v9").returncode == 2,
           "explain of an unknown obligation exits 2")
    outcome_case = os.path.join(ROOT, "tests", "conformance", "15-hierarchy")
    p = run("explain", os.path.join(outcome_case, "plan.mandate"), "--events", os.path.join(outcome_case, "records.jsonl"),
            "--outcome", "criticize", "--unit", "o1", "--as-of", "2023-06-15", "--lang", "en")
    expect(p.returncode == 0 and "outcome criticize" in p.stdout and "2023-04-01..2023-04-30: fired, final" in p.stdout,
           f"explain --outcome: {p.stdout}")
    expect(run("check", PLAN, "--events", tmp, "--as-of", "2023-05-10").returncode == 2, "a directory as --events exits 2")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
