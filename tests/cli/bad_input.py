"""Bad input to `mandate check`: every case gets its reason (or its documented treatment), and in
every case `inputs.read` equals the sum of the other counts and the number of records in the
files — nothing read goes unaccounted for.

Each case runs the town plan of tests/cli/data/town over a valid registry plus the case's own
file, as of 2023-07-03. The registry is 6 entities: t1 (town), v1 and v2 (villages), three
households.

Arguments after the program's path are added to every run: ctest runs the cases a second time
with `--threads 7 --block-size 1`, each record parsed as a block of its own on one of 7 threads,
where every hand-worked reason and count must hold the same.
"""
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
EXTRA = sys.argv[2:]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
REGISTRY = os.path.join(DATA, "registry.csv")
failures = []
cases = 0

GOOD = '{"id": "g1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park"}'


def fail(name, what):
    failures.append(f"{name}: {what}")


def case(name, content, *, reason=None, reasons=None, counts=None, name_ext=".jsonl", as_csv_type=None, check=None,
         records=None):
    """Runs the case; `reason`: the one rejection's reason (or its start); `counts`: inputs that must hold."""
    global cases
    cases += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "case" + name_ext)
        with open(path, "wb") as f:
            f.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        arg = f"{as_csv_type}={path}" if as_csv_type else path
        p = subprocess.run([BIN, "check", PLAN, "--registry", REGISTRY, "--events", arg, "--as-of", "2023-07-03",
                            "--format", "json", *EXTRA], capture_output=True)
        if p.returncode != 0:
            return fail(name, f"exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}")
        r = json.loads(p.stdout)
    inputs = r["inputs"]
    total = sum(v for k, v in inputs.items() if k != "read")
    if inputs["read"] != total:
        fail(name, f"inputs.read {inputs['read']} != sum of the others {total}: {inputs}")
    if records is not None and inputs["read"] != 6 + records:
        fail(name, f"inputs.read {inputs['read']} != 6 registry records + {records} in the file")
    got = [x["reason"] for x in r["rejected"]]
    if reason is not None:
        if len(got) != 1 or not got[0].startswith(reason):
            fail(name, f"reason {got!r}, expected one starting {reason!r}")
    if reasons is not None and got != reasons:
        fail(name, f"reasons {got!r}, expected {reasons!r}")
    for k, v in (counts or {}).items():
        if inputs.get(k) != v:
            fail(name, f"inputs.{k} is {inputs.get(k)}, expected {v}")
    if len(r["rejected"]) != inputs["rejected"]:
        fail(name, "every rejected record is listed")
    if check:
        problem = check(r)
        if problem:
            fail(name, problem)


def result(r, obligation, unit, start):
    for x in r["results"]:
        if x["obligation"] == obligation and x["unit"] == unit and x["period"]["from"] == start:
            return x
    return None


# ------------------------------------------------------------------ JSON Lines
case("truncated JSON", '{"id": "x1", "type": "activity", "time": "2023-04-10"\n' + GOOD + "\n",
     reason="not valid JSON: the record ends before its closing '}' (cut short?)", counts={"applied": 1}, records=2)
case("truncated inside a string", '{"id": "x1", "type": "activ\n',
     reason="not valid JSON: a string is not closed (the record is cut short?)", records=1)
case("wrong field type", '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": 12}\n',
     reason="field 'venue' must be a string", records=1)
case("wrong number type", '{"id": "x1", "type": "fraud_case", "time": "2023-04-10", "unit": "v1", "amount": "lots"}\n',
     reason="field 'amount' must be a number", records=1)
case("unknown event type", '{"id": "x1", "type": "meeting", "time": "2023-04-10", "unit": "v1"}\n',
     reason="unknown event type 'meeting'", records=1)
case("unknown kind", '{"entity": "v3", "kind": "hamlet", "parent": "t1"}\n', reason="unknown kind 'hamlet'", records=1)
case("parent of a disallowed kind", '{"entity": "h9", "kind": "household", "parent": "t1"}\n',
     reason="entity 'h9': its parent 't1' is a town, and a household may not be within one", counts={"entities": 6}, records=1)
case("missing id", '{"type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park"}\n',
     reason="field 'id' is missing: every event needs an id", records=1)
case("not a record at all", '{"colour": "red"}\n', reason='a record needs "entity", "id" (an event) or "retract"', records=1)
case("missing declared field", '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1"}\n',
     reason="field 'venue' is missing", records=1)
case("conflicting duplicate", GOOD + "\n" + GOOD.replace("park", "square") + "\n",
     reasons=["event id 'g1' is in conflict: records with this id differ"] * 2, counts={"applied": 0, "rejected": 2}, records=2)
case("true duplicate", GOOD + "\n" + '{"venue": "park", "unit": "v1", "time": "2023-04-10", "type": "activity", "id": "g1"}\n',
     reasons=[], counts={"applied": 1, "duplicates": 1}, records=2)
big = '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "' + "x" * (1 << 20) + '"}'
case("a 1 MB line", big + "\n" + GOOD + "\n", reason="record longer than the limit of 262144 bytes",
     counts={"applied": 1}, records=2)
case("invalid UTF-8", b'{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "p\xffrk"}\n',
     reason="not valid UTF-8 (byte 81 of the record)", records=1)
case("a date like 2023-13-01", '{"id": "x1", "type": "activity", "time": "2023-13-01", "unit": "v1", "venue": "park"}\n',
     reason="field 'time' must be a date or a date-time like 2023-04-15T09:30:00+08:00, not '2023-13-01'", records=1)
case("a bad since date", '{"entity": "v3", "kind": "village", "parent": "t1", "since": "2023-02-30"}\n',
     reason="field 'since' must be a date like 2023-01-01, not '2023-02-30'", records=1)
case("a JSON array", '["activity", "v1"]\n', reason="a record must be a JSON object, not a list", records=1)
case("a JSON string", '"activity"\n', reason="a record must be a JSON object, not a single value", records=1)
case("text after the record", GOOD + " x\n", reason="not valid JSON: text after the record", records=1)
case("more than 6 decimals", '{"id": "x1", "type": "fraud_case", "time": "2023-04-10", "unit": "v1", "amount": 0.1234567}\n',
     reason="field 'amount' has more than 6 fractional digits", records=1)
case("a number past the range", '{"id": "x1", "type": "fraud_case", "time": "2023-04-10", "unit": "v1", "amount": 1e300}\n',
     reason="field 'amount' is out of range: a number field holds -9000000000000 to 9000000000000", records=1)
case("a number finer than a millionth", '{"id": "x1", "type": "fraud_case", "time": "2023-04-10", "unit": "v1", "amount": 1e-400}\n',
     reason="field 'amount' has more than 6 fractional digits", records=1)
case("an empty unit", '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "", "venue": "park"}\n',
     reason="field 'unit' must not be empty", records=1)
case("an empty retraction", '{"retract": ""}\n', reason="field 'retract' must name an event id", records=1)
case("a ref of the wrong kind", '{"id": "x1", "type": "leaflet", "time": "2023-04-10", "unit": "v1", "recipient": "v2"}\n',
     reason="field 'recipient' names 'v2', a village; expected household", records=1)
case("an undeclared field (ignored and listed)",
     '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park", "colour": "red"}\n',
     reasons=[], counts={"applied": 1},
     check=lambda r: None if r["ignored_fields"] == [{"type": "activity", "field": "colour", "records": 1}] else
     f"ignored_fields: {r['ignored_fields']}", records=1)
case("an event outside every phase (applied, in no bucket)",
     '{"id": "x1", "type": "activity", "time": "2023-01-15", "unit": "v1", "venue": "park"}\n',
     reasons=[], counts={"applied": 1},
     check=lambda r: None if all(x["value"] == 0 for x in r["results"] if x["obligation"] == "monthly_activity") else
     "an event dated 2023-01-15 must count in no bucket", records=1)
case("an unregistered unit (held unresolved)", '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v7", "venue": "park"}\n',
     reasons=[], counts={"unresolved": 1, "applied": 0}, records=1)
case("an empty file", "", reasons=[], counts={"read": 6, "entities": 6}, records=0)
case("blank and whitespace-only lines", "\n   \n\t\n" + GOOD + "\n\n", reasons=[], counts={"applied": 1}, records=1)
case("BOM and CRLF", ("\ufeff" + GOOD + "\r\n" + GOOD.replace("g1", "g2") + "\r\n").encode("utf-8"), reasons=[],
     counts={"applied": 2},
     check=lambda r: None if result(r, "monthly_activity", "v1", "2023-04-01")["value"] == 2 else "both records count", records=2)
case("a field that is read, nested too deeply", '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": '
     + "[" * 33 + "]" * 33 + "}\n",
     reason="field 'venue' is nested too deeply (the limit is 32 levels of lists and objects)", records=1)
case("an ignored field nested deeper than any read one may (100 000 levels)",
     '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park", "x": '
     + "[" * 100000 + "]" * 100000 + "}\n", reasons=[], counts={"applied": 1},
     check=lambda r: None if r["ignored_fields"] == [{"type": "activity", "field": "x", "records": 1}] else
     f"ignored_fields: {r['ignored_fields']}", records=1)
case("a duplicate key", '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park", "venue": "mall"}\n'
     + GOOD + "\n", reason="duplicate key 'venue'", counts={"applied": 1}, records=2)
case("a duplicate key in an ignored object",
     '{"id": "x1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park", "meta": {"by": "a", "by": "b"}}\n',
     reason="duplicate key 'by' in field 'meta'", records=1)
case("retraction of an event never sent (counted, harmless)", '{"retract": "nope"}\n', reasons=[],
     counts={"retractions": 1}, records=1)

# ------------------------------------------------------------------ CSV
case("CSV: a row with too few cells", "id,time,unit,venue\nx1,2023-04-10,v1\n", name_ext=".csv", as_csv_type="activity",
     reason="the row has 3 cells, the header 4", records=1)
case("CSV: an unclosed quote", 'id,time,unit,venue\nx1,2023-04-10,v1,"park\n', name_ext=".csv", as_csv_type="activity",
     reason="a quoted cell is not closed", records=1)
# The open quote of line 2 would once swallow the rows after it: each is read again and applied.
case("CSV: an unclosed quote, rows after it", 'id,time,unit,venue\nx1,2023-04-10,v1,"park\nx2,2023-04-11,v1,park\n'
     'x3,2023-04-12,v2,square\n', name_ext=".csv", as_csv_type="activity", reason="a quoted cell is not closed", records=3,
     counts={"applied": 2})
# In a large file the open quote outgrew the record limit and took every later row with it,
# rejected as one record "longer than the limit": now 20 000 rows after it are applied.
case("CSV: an unclosed quote in a large file", 'id,time,unit,venue\nx0,2023-04-10,v1,"park\n' +
     "".join(f"x{i},2023-04-10,v1,park\n" for i in range(1, 20001)), name_ext=".csv", as_csv_type="activity",
     reason="a quoted cell is not closed", records=20001, counts={"applied": 20000})
case("CSV: a quote inside a cell", 'id,time,unit,venue\nx1,2023-04-10,v1,pa"rk\n', name_ext=".csv", as_csv_type="activity",
     reason="cell 4 has a quote but does not start with one", records=1)
case("CSV: a number cell that is not one", "id,time,unit,amount\nx1,2023-04-10,v1,lots\n", name_ext=".csv",
     as_csv_type="fraud_case", reason="field 'amount' must be a number", records=1)
case("CSV: a type column that disagrees", "id,type,time,unit,venue\nx1,fraud_case,2023-04-10,v1,park\n", name_ext=".csv",
     as_csv_type="activity", reason="the row's type 'fraud_case' is not activity, the type the file was given", records=1)
case("CSV: a type column per row", "id,type,time,unit,venue,amount\nx1,activity,2023-04-10,v1,park,\n"
     "x2,fraud_case,2023-04-11,v2,,12.5\nx3,meeting,2023-04-12,v1,park,\n", name_ext=".csv",
     reason="unknown event type 'meeting'", counts={"applied": 2}, records=3)
case("CSV: invalid UTF-8", b"id,time,unit,venue\nx1,2023-04-10,v1,p\xffrk\n", name_ext=".csv", as_csv_type="activity",
     reason="not valid UTF-8 (column 'venue')", records=1)
case("CSV: quoted cells, commas, line breaks, BOM and CRLF",
     '\ufeffid,time,unit,venue\r\nx1,2023-04-10,v1,"park"\r\n"x2","2023-04-11","v1","sq, ""uare"""\r\n\r\nx3,2023-05-02,v1,"square\nline"\r\n'
     .encode("utf-8"), name_ext=".csv", as_csv_type="activity", reasons=[], counts={"applied": 3},
     check=lambda r: None if result(r, "monthly_activity", "v1", "2023-04-01")["value"] == 1 and
     result(r, "monthly_activity", "v1", "2023-05-01")["value"] == 0 else "only x1 is at a park or square", records=3)


# A CSV header that cannot be used stops the run with its location (exit 2), adding nothing.
def header_case(name, content, message, type_=None):
    global cases
    cases += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "h.csv")
        open(path, "w", encoding="utf-8").write(content)
        arg = f"{type_}={path}" if type_ else path
        p = subprocess.run([BIN, "check", PLAN, "--registry", REGISTRY, "--events", arg, "--as-of", "2023-07-03"],
                           capture_output=True, text=True)
        if p.returncode != 2 or f"{path}:1: {message}" not in p.stderr:
            fail(name, f"exit {p.returncode}, stderr {p.stderr!r}; expected '{path}:1: {message}'")


header_case("CSV header without a type", "id,time,unit,venue\nx1,2023-04-10,v1,park\n",
            "the header names neither 'entity' (a registry), 'retract', nor 'type'")
header_case("CSV header missing a required field", "id,time,unit\nx1,2023-04-10,v1\n",
            "the header has no column for field 'venue', which every activity event needs", "activity")
header_case("CSV header naming a column twice", "id,time,unit,venue,venue\n", "the header names column 'venue' twice", "activity")
header_case("CSV registry without kind", "entity,parent\nv3,t1\n", "an entity registry needs a 'kind' column")

# An unknown TYPE= is a usage error.
cases += 1
p = subprocess.run([BIN, "check", PLAN, "--events", "meeting=x.csv", "--as-of", "2023-07-03"], capture_output=True, text=True)
if p.returncode != 2 or "the plan has no event type 'meeting'" not in p.stderr:
    fail("unknown TYPE=", f"{p.returncode} {p.stderr!r}")

for f in failures:
    print("FAIL:", f)
print(f"{cases} bad-input cases, {len(failures)} failures")
sys.exit(1 if failures else 0)
