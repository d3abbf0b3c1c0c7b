#!/usr/bin/env python3
"""The synthetic data generator (mandate-generate, bench/generator.cpp) and `mandate check` on its town sample.

usage: generator_sample.py MANDATE_BINARY   (mandate-generate is looked for beside it)

- The same seed writes the same bytes; another seed writes others; -o writes the registry then
  the events; --shuffle writes the same lines in another order; --scale 1 is the county, 0.1
  has a tenth of its villages, and a scale that is not a positive factor is refused.
- Every kind and every event type of the rule file appears in the sample.
- `mandate check --format json` accounts for every line read, and the classes the generator
  makes on purpose (duplicates, retractions, conflicting ids, an unregistered village, malformed
  and mistyped lines) are counted exactly as its --stats says.
- Every obligation and outcome of the rule file has rows; there are satisfied, violated and
  at-risk rows, and outcomes that fire; every obligation borne by several units has both kept
  and broken buckets; the shuffled sample gives the same report.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.normpath(os.path.join(HERE, "..", "..", "rules", "goutang-2023.mandate"))
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)


def run(args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} exited {p.returncode}: {p.stderr.strip()[:2000]}")
    return p


def read(path):
    with open(path, "rb") as f:
        return f.read()


def generate(generator, directory, *extra):
    os.makedirs(directory, exist_ok=True)
    registry, events = os.path.join(directory, "registry.jsonl"), os.path.join(directory, "events.jsonl")
    p = run([generator, "--scale", "town", "--registry", registry, "--events", events, "--stats", *extra])
    return registry, events, json.loads(p.stderr)


def report(mandate, registry, events, out, as_of="2023-12-31"):
    run([mandate, "check", RULES, "--registry", registry, "--events", events, "--as-of", as_of,
         "--format", "json", "-o", out])
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def declared(word):
    with open(RULES, encoding="utf-8") as f:
        return [m.group(1) for m in re.finditer(r"^" + word + r"\s+(\w+)", f.read(), re.M)]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    mandate = os.path.abspath(sys.argv[1])
    generator = os.path.join(os.path.dirname(mandate), "mandate-generate")
    check(os.path.exists(generator), f"{generator} must be built beside mandate")

    with tempfile.TemporaryDirectory() as t:
        # ------------------------------------------------------------ determinism
        reg1, ev1, stats = generate(generator, os.path.join(t, "a"), "--seed", "2023")
        reg2, ev2, _ = generate(generator, os.path.join(t, "b"), "--seed", "2023")
        reg3, ev3, _ = generate(generator, os.path.join(t, "c"), "--seed", "2024")
        check(read(reg1) == read(reg2) and read(ev1) == read(ev2), "the same seed must write the same bytes")
        check(read(reg1) != read(reg3) and read(ev1) != read(ev3), "another seed must write other records")
        combined = os.path.join(t, "all.jsonl")
        run([generator, "--scale", "town", "--seed", "2023", "-o", combined])
        check(read(combined) == read(reg1) + read(ev1), "-o must write the registry, then the events")
        reg4, ev4, _ = generate(generator, os.path.join(t, "d"), "--seed", "2023", "--shuffle")
        check(read(reg4) == read(reg1), "--shuffle must leave the registry as it is")
        check(read(ev4) != read(ev1) and sorted(read(ev4).splitlines()) == sorted(read(ev1).splitlines()),
              "--shuffle must write the same event lines in another order")

        # ------------------------------------------------------------ scale
        # A factor of 1 is the county; a factor multiplies its 500 villages.
        one = run([generator, "--scale", "1", "--villages", "3", "--to", "2023-03-10", "-o", "-"]).stdout
        county = run([generator, "--scale", "county", "--villages", "3", "--to", "2023-03-10", "-o", "-"]).stdout
        check(one == county, "--scale 1 must be --scale county")
        tenth = json.loads(run([generator, "--scale", "0.1", "--to", "2023-03-05", "--stats", "-o", os.devnull]).stderr)
        check(tenth["villages"] == 50 and tenth["scale"] == "county x0.1", f"--scale 0.1 must have 50 villages: {tenth}")
        check(tenth["entities"]["bank"] == 8 and tenth["entities"]["operator"] == 3,
              "the county's eight banks and three operators stay at any scale")
        for bad in ("0", "-1", "x", "101", ""):
            p = subprocess.run([generator, "--scale", bad, "-o", os.devnull], capture_output=True, text=True)
            check(p.returncode == 2 and "--scale must be town, county or a factor" in p.stderr,
                  f"--scale {bad!r} must be refused with a usage error: {p.returncode} {p.stderr[:200]}")

        # ------------------------------------------------------------ shape
        registry_lines = [l for l in read(reg1).decode("utf-8").splitlines() if l.strip()]
        event_lines = [l for l in read(ev1).decode("utf-8").splitlines() if l.strip()]
        kinds = {json.loads(l)["kind"] for l in registry_lines}
        check(kinds == set(declared("kind")), f"kinds in the registry {sorted(kinds)} != the rule file's")
        types, times = set(), set()
        for l in event_lines:
            try:
                r = json.loads(l)
            except ValueError:
                continue
            if "type" in r:
                types.add(r["type"])
                times.add("Z" if r["time"].endswith("Z") else "+08:00" if r["time"].endswith("+08:00") else "date")
        check(types == set(declared("event")), f"event types {sorted(set(declared('event')) - types)} missing")
        check(times == {"Z", "+08:00", "date"}, f"times must mix dates, +08:00 and Z, not only {sorted(times)}")
        check(10000 <= len(event_lines) <= 100000, f"the town should have tens of thousands of events, not {len(event_lines)}")

        # ------------------------------------------------------------ accounting
        r = report(mandate, reg1, ev1, os.path.join(t, "report.json"))
        inputs = r["inputs"]
        check(inputs["read"] == len(registry_lines) + len(event_lines),
              f"inputs.read {inputs['read']} != {len(registry_lines) + len(event_lines)} non-blank lines")
        others = sum(v for k, v in inputs.items() if k != "read")
        check(inputs["read"] == others, f"inputs.read {inputs['read']} != the sum of the other classes {others}")
        for cls in ("entities", "applied", "duplicates", "retracted", "retractions", "unresolved", "rejected"):
            check(inputs.get(cls, 0) > 0, f"inputs.{cls} must not be zero")
        expected = {
            "entities": stats["registry_lines"],
            "duplicates": stats["duplicates"],
            "retractions": stats["retractions"],
            "retracted": stats["retractions"],
            "unresolved": stats["unregistered"],
            "rejected": stats["malformed"] + stats["mistyped"] + 2 * stats["conflicts"],
        }
        for cls, n in expected.items():
            check(inputs.get(cls) == n, f"inputs.{cls} {inputs.get(cls)} != {n} generated")
        check(len(r["rejected"]) == inputs["rejected"], "every rejected record must be listed")
        check({"type": "activity", "field": "photos", "records": stats["ignored_photos"]} in r["ignored_fields"],
              f"the undeclared 'photos' field must be listed in ignored_fields: {r['ignored_fields']}")

        # ------------------------------------------------------------ results
        obligations, outcomes = declared("obligation"), declared("outcome")
        check(len(obligations) == 29 and len(outcomes) == 3, "the rule file has 29 obligations and 3 outcomes")
        seen = {x["obligation"] for x in r["results"]}
        check(set(obligations) <= seen, f"obligations without rows: {sorted(set(obligations) - seen)}")
        seen = {x["outcome"] for x in r["outcomes"]}
        check(set(outcomes) <= seen, f"outcomes without rows: {sorted(set(outcomes) - seen)}")
        statuses = {x["status"] for x in r["results"]}
        check({"satisfied", "violated", "pending"} <= statuses, f"statuses seen: {sorted(statuses)}")
        check(any(x["at_risk"] for x in r["results"]), "some bucket must be at risk")
        fired = {x["outcome"] for x in r["outcomes"] if x["fired"]}
        check(set(outcomes) <= fired, f"outcomes that never fire: {sorted(set(outcomes) - fired)}")
        # A realistic mix: every obligation borne by several units has kept and broken buckets,
        # and every outcome fires for some units and not for others.
        # rectification_done opens on 2023-12-31 at the earliest (when a listing becomes final)
        # and closes 30 days later: it is judged on a later report.
        later = report(mandate, reg1, ev1, os.path.join(t, "later.json"), "2024-02-15")
        for o in obligations:
            rows = [x for x in (later if o == "rectification_done" else r)["results"] if x["obligation"] == o]
            if len({x["unit"] for x in rows}) < 2:
                continue
            got = {x["status"] for x in rows}
            check({"satisfied", "violated"} <= got, f"{o}: the sample must have satisfied and violated buckets, has {sorted(got)}")
        for o in outcomes:
            got = {x["fired"] for x in r["outcomes"] if x["outcome"] == o}
            check(got == {True, False}, f"{o} must fire for some units and not for others")

        # ------------------------------------------------------------ order does not matter
        # Results and outcomes, evidence included, are a function of the record set.
        s = report(mandate, reg4, ev4, os.path.join(t, "shuffled.json"))
        for part in ("results", "outcomes"):
            check(s[part] == r[part], f"the shuffled sample must give the same {part}")
        for part in ("inputs", "ignored_fields"):
            check(s[part] == r[part], f"the shuffled sample must give the same {part}")

    if failures:
        print(f"{len(failures)} failed")
        return 1
    print("generator sample: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
