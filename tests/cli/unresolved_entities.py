"""Entities held out of the hierarchy — in a parent cycle, under a parent no record registers —
stay counted as entities (inputs.read is still the sum of the classes), are listed in the
report's `unresolved_entities` in every format, and make `--strict` fail.

The registry (hand-written): t1 and v1 resolve; villages cyc-a and cyc-b are each other's
parent; household `self` is its own; households h-x, h-y, h-z make a 3-cycle; h-under sits
under cyc-a; village v3 names parent t2, which no record registers (a typo for t1), and has two
households. Expected, by id: cyc-a, cyc-b (parent cycle: cyc-a, cyc-b), h-under (under a parent
cycle: cyc-a, cyc-b), h-x, h-y, h-z (parent cycle: h-x, h-y, h-z), self (parent cycle: self), v3
(missing parent: t2), v3-h1, v3-h2 (under a missing parent: t2).
"""
import html.parser
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
PLAN = os.path.join(HERE, "data", "town", "plan.mandate")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


REGISTRY = """entity,kind,parent,name
t1,town,,
v1,village,t1,
cyc-a,village,cyc-b,
cyc-b,village,cyc-a,
self,household,self,
h-x,household,h-y,
h-y,household,h-z,
h-z,household,h-x,
h-under,household,cyc-a,
v3,village,t2,
v3-h1,household,v3,
v3-h2,household,v3,
"""
EVENTS = ('{"id": "a1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park"}\n'
          '{"id": "a2", "type": "activity", "time": "2023-04-10", "unit": "v3", "venue": "park"}\n')
EXPECTED = [
    ("cyc-a", "parent cycle", ["cyc-a", "cyc-b"]),
    ("cyc-b", "parent cycle", ["cyc-a", "cyc-b"]),
    ("h-under", "under a parent cycle", ["cyc-a", "cyc-b"]),
    ("h-x", "parent cycle", ["h-x", "h-y", "h-z"]),
    ("h-y", "parent cycle", ["h-x", "h-y", "h-z"]),
    ("h-z", "parent cycle", ["h-x", "h-y", "h-z"]),
    ("self", "parent cycle", ["self"]),
    ("v3", "missing parent", ["t2"]),
    ("v3-h1", "under a missing parent", ["t2"]),
    ("v3-h2", "under a missing parent", ["t2"]),
]

with tempfile.TemporaryDirectory() as tmp:
    registry, events = os.path.join(tmp, "registry.csv"), os.path.join(tmp, "events.jsonl")
    open(registry, "w").write(REGISTRY)
    open(events, "w").write(EVENTS)

    def check(*extra):
        return subprocess.run([BIN, "check", PLAN, "--registry", registry, "--events", events, "--as-of", "2023-04-30"] + list(extra),
                              capture_output=True, text=True, timeout=60)

    # ---------------------------------------------------------------- JSON
    p = check("--format", "json")
    expect(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
    r = json.loads(p.stdout)
    got = [(x["entity"], x["reason"], x["ids"]) for x in r["unresolved_entities"]]
    expect(got == EXPECTED, f"unresolved_entities: {got}")
    inputs = r["inputs"]
    expect(inputs["entities"] == 12 and inputs["applied"] == 1 and inputs["unresolved"] == 1 and inputs["rejected"] == 0,
           f"all 12 entity records counted, v3's activity unresolved: {inputs}")
    expect(inputs["read"] == sum(v for k, v in inputs.items() if k != "read"), f"read is the sum of the classes: {inputs}")
    expect(sorted({x["unit"] for x in r["results"]}) == ["v1"], "only v1 has buckets")
    expect("10个单位未能归入层级" in p.stderr, f"stderr says so: {p.stderr!r}")
    p = check("--format", "json", "--lang", "en")
    expect("10 entities held out of the hierarchy" in p.stderr, f"stderr says so in English: {p.stderr!r}")

    # ---------------------------------------------------------------- CSV
    p = check("--format", "csv")
    rows = [line for line in p.stdout.splitlines() if line.startswith("unresolved_entity,")]
    # The added columns: no unit name, no label (an entity is not a rule), the plan's title.
    expect(rows[0] == 'unresolved_entity,,cyc-a,,,,,,,"parent cycle: cyc-a, cyc-b",,,2023-04-30,,,,,,,测试镇宣传方案', f"csv: {rows[:1]}")
    expect(rows[7] == "unresolved_entity,,v3,,,,,,,missing parent: t2,,,2023-04-30,,,,,,,测试镇宣传方案" and len(rows) == 10, f"csv: {rows}")

    # ---------------------------------------------------------------- table
    p = check("--format", "table", "--no-color", "--lang", "en")
    expect("10 entities held out of the hierarchy" in p.stdout and "  h-under: under a parent cycle cyc-a, cyc-b\n" in p.stdout
           and "  v3: missing parent t2\n" in p.stdout, f"table:\n{p.stdout}")
    p = check("--format", "table", "--no-color")
    expect("10个单位未能归入层级" in p.stdout and "  h-under: 所属上级关系成环 cyc-a, cyc-b\n" in p.stdout
           and "  v3: 上级未登记 t2\n" in p.stdout, f"table in Chinese:\n{p.stdout}")

    # ---------------------------------------------------------------- HTML
    p = check("--format", "html")

    class rows_of(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.entities, self.inside = [], False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "table" and "unresolved" in a.get("class", ""):
                self.inside = True
            if self.inside and tag == "tr" and "data-entity" in a:
                self.entities.append(a["data-entity"])

        def handle_endtag(self, tag):
            if tag == "table":
                self.inside = False

    parser = rows_of()
    parser.feed(p.stdout)
    expect(parser.entities == [e for e, _, _ in EXPECTED], f"html rows: {parser.entities}")

    # ---------------------------------------------------------------- --strict
    p = check("--format", "json", "--strict")
    expect(p.returncode == 1, f"--strict fails on unresolved entities: {p.returncode}")
    # Mended (t2 registered, the cycles broken): nothing is listed and --strict passes.
    open(registry, "w").write("entity,kind,parent,name\nt1,town,,\nt2,town,,\nv1,village,t1,\nv3,village,t2,\n")
    p = check("--format", "json", "--strict")
    expect(p.returncode == 0 and json.loads(p.stdout)["unresolved_entities"] == [], f"mended: {p.returncode} {p.stderr}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
