#!/usr/bin/env python3
"""The same records through C++, C, Python and Java give the same report.

usage: same_report.py HOST_CPP HOST_C PYTHON HOST_PY RULES RECORDS AS_OF [--java JAVA CLASSPATH]

Runs the host programs of docs/embedding.md (tests/bindings/hosts/) on one records file: the
Java host (Host.java, on CLASSPATH) too when --java is given.
Their reports (stdout) and their alerts (stderr, written by status-change callbacks) must be
equal byte for byte. The C++ host reads the file with engine::add_jsonl, the C host with
mandate_engine_add_jsonl_file, the Java host with Engine.addJsonl (over the C library), and the
Python host adds it record by record as dicts, through
the typed-record path: so this also holds typed records to their JSON twins. The report is then
checked against the values worked out by hand in tests/bindings/records/README.md.
"""
import difflib
import json
import subprocess
import sys
from decimal import Decimal


def run(name, command):
    p = subprocess.run(command, capture_output=True)
    if p.returncode != 0:
        sys.exit(f"{name} host failed (exit {p.returncode}):\n{p.stderr.decode(errors='replace')}")
    return p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def differ(what, a_name, a, b_name, b):
    diff = difflib.unified_diff(a.splitlines(), b.splitlines(), a_name, b_name, lineterm="", n=1)
    print(f"{what} differ between {a_name} and {b_name}:")
    for line in list(diff)[:40]:
        print("  " + line)


def main():
    host_cpp, host_c, python, host_py, rules, records, as_of = sys.argv[1:8]
    outputs = {
        "C++": run("C++", [host_cpp, rules, records, as_of]),
        "C": run("C", [host_c, rules, records, as_of]),
        "Python": run("Python", [python, host_py, rules, records, as_of]),
    }
    if sys.argv[8:9] == ["--java"]:
        java, classpath = sys.argv[9:11]
        outputs["Java"] = run("Java", [java, "-cp", classpath, "Host", rules, records, as_of])
    failed = False
    cpp_out, cpp_err = outputs["C++"]
    for name in [n for n in outputs if n != "C++"]:
        out, err = outputs[name]
        if out != cpp_out:
            differ("reports", "C++", cpp_out, name, out)
            failed = True
        if err != cpp_err:
            differ("alerts", "C++", cpp_err, name, err)
            failed = True

    # The report itself, by hand (tests/bindings/records/README.md).
    report = json.loads(cpp_out, parse_float=Decimal)
    expect = {
        "inputs": {"read": 16, "entities": 4, "applied": 5, "duplicates": 1, "retracted": 1, "retractions": 1,
                   "unresolved": 1, "rejected": 3, "waivers": 0},
        "ignored_fields": [{"type": "activity", "field": "colour", "records": 1}],
    }
    for key, value in expect.items():
        if report[key] != value:
            print(f"report[{key!r}] is {report[key]!r}, expected {value!r}")
            failed = True
    rejected = [(r["source"], r["line"], r["reason"].split(":")[0]) for r in report["rejected"]]
    if rejected != [(records, 14, "field 'venue' must be a string"), (records, 16, "not valid JSON"),
                    (records, 17, "duplicate key 'venue'")]:
        print(f"rejected: {rejected}")
        failed = True
    rows = {(r["obligation"], r["unit"], r["period"]["from"]): r for r in report["results"]}
    for key, status, value in [
        (("taskforce_formed", "v01", "2023-03-01"), "satisfied", 1),
        (("taskforce_formed", "goutang", "2023-03-01"), "violated", 0),
        # The town reported the training itself: only a police station's count.
        (("rep_training_coverage", "goutang", "2023-03-01"), "violated", 0),
        (("village_monthly_activity", "v01", "2023-04-01"), "satisfied", 1),
        (("village_monthly_activity", "v01", "2023-05-01"), "violated", 0),
        (("village_monthly_activity", "v01", "2023-06-01"), "pending", 0),
        (("three_ones_leaflet", "v01", "2023-03-01"), "violated", Decimal("0.5")),
    ]:
        row = rows.get(key)
        if row is None or (row["status"], row["value"]) != (status, value):
            print(f"{key}: {row and (row['status'], row['value'])}, expected {(status, value)}")
            failed = True
    # v01 has no villager group, community, enterprise or institution: no banner row at all.
    if ("three_ones_banner", "v01", "2023-03-01") in rows:
        print("three_ones_banner v01: expected no row (nothing to cover)")
        failed = True

    # The alerts: both March mobilization obligations of the town and the village were missed
    # (seen once the watch date, the latest event date, passed 31 March), so the village was
    # criticised for March; its own task force was formed in time.
    alerts = cpp_err.splitlines()
    for line in ["violated: taskforce_formed goutang 2023-03-01..2023-03-31",
                 "violated: mobilization_meeting v01 2023-03-01..2023-03-31",
                 "fired: notify_criticism v01 2023-03-01..2023-03-31"]:
        if line not in alerts:
            print(f"missing alert: {line}")
            failed = True
    if any(a.startswith("violated: taskforce_formed v01 ") for a in alerts):
        print("an alert for v01's task force, which was formed in time")
        failed = True

    if failed:
        return 1
    print(f"same report from {', '.join(outputs)} ({len(cpp_out)} bytes, {len(alerts)} alerts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
