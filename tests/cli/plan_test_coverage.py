#!/usr/bin/env python3
"""Each plan in rules/ with a NAME.test.mandate beside it tests every obligation both ways
(an expectation `== satisfied` and one `== violated`) and every outcome both ways (`fired` and
`not fired`), so a rule added to a plan without its scenarios is noticed. The goutang and
campus plans must have such files. A rule whose buckets a scenario file cannot name (six-hour
buckets: four a day) may be listed in a comment `# covered elsewhere: RULE (PATH)`, where PATH
(from the repository's root) is a test that names the rule.
Usage: plan_test_coverage.py PATH_TO_MANDATE (unused: the check reads the files)"""
import glob
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
failures = []
checked = set()
for tests in sorted(glob.glob(os.path.join(ROOT, "rules", "*.test.mandate"))):
    plan = tests[: -len(".test.mandate")] + ".mandate"
    checked.add(os.path.basename(plan))
    with open(plan, encoding="utf-8") as f:
        rules = f.read()
    with open(tests, encoding="utf-8") as f:
        text = f.read()
    elsewhere = set()
    for rule, path in re.findall(r"^# covered elsewhere: (\w+) \(([^)]+)\)\s*$", text, re.M):
        other = os.path.join(ROOT, path)
        if os.path.isfile(other) and rule in open(other, encoding="utf-8").read():
            elsewhere.add(rule)
        else:
            failures.append(f"{os.path.basename(tests)}: {rule} is not covered by {path}")
    for kind, wanted in (("obligation", ("== satisfied", "== violated")), ("outcome", ("fired", "not fired"))):
        for rule in re.findall(rf"^{kind} (\w+)", rules, re.M):
            if rule in elsewhere:
                continue
            for what in wanted:
                if not re.search(rf"^\s*expect {rule}\[[^\]]*\] {what}\s*$", text, re.M):
                    failures.append(f"{os.path.basename(tests)}: no 'expect {rule}[...] {what}'")
for required in ("goutang-2023.mandate", "campus-antifraud-2024.mandate"):
    if required not in checked:
        failures.append(f"rules/{required} has no scenario tests beside it")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
