"""The Python package against the command line: compile_file and CSV records through add_csv,
on the small town of tests/cli/data/town.

Worked out by hand in tests/cli/check_formats.py's docstring, as of 2023-07-03: registry.csv
registers 6 entities (t1 测试镇, v1 苟堂村, v2 "新村, 东片", three households); leaflets.csv
holds 3 leaflets, which cover both households of v1 by the deadline (satisfied) and v2's one
household only on 06-02, after it (violated); with the 8 records of events.jsonl that is 17
read, 9 applied, 1 duplicate and 1 rejected (events.jsonl line 8). The report Python makes must
be, byte for byte, what `mandate check` prints for the same files.

usage: test_python_reports.py SOURCE_DIR MANDATE   (with the built package on PYTHONPATH)
"""
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

import mandate

SOURCE_DIR = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
MANDATE = sys.argv[2] if len(sys.argv) > 2 else os.path.join(SOURCE_DIR, "build", "bin", "mandate")
TOWN = os.path.join(SOURCE_DIR, "tests", "cli", "data", "town")
PLAN = os.path.join(TOWN, "plan.mandate")
REGISTRY = os.path.join(TOWN, "registry.csv")
EVENTS = os.path.join(TOWN, "events.jsonl")
LEAFLETS = os.path.join(TOWN, "leaflets.csv")
AS_OF = "2023-07-03"
BROKEN = 'plan p {}\nphase x "x" from 2023-04-01 2023-05-01\n'


def cli(*args, ok=True):
    """What the command line prints: (stdout, stderr) as bytes."""
    p = subprocess.run([MANDATE, *args], capture_output=True)
    if ok and p.returncode != 0:
        raise AssertionError(f"mandate {' '.join(args)} exited {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p.stdout, p.stderr


def town_inputs():
    return ["--registry", REGISTRY, "--events", EVENTS, "leaflet=" + LEAFLETS, "--as-of", AS_OF]


def town_engine():
    engine = mandate.Engine(mandate.compile_file(PLAN))
    engine.add_csv(REGISTRY)
    engine.add_jsonl(EVENTS)
    engine.add_csv(LEAFLETS, type="leaflet")
    return engine


class CompileFileTest(unittest.TestCase):
    def test_the_plan_of_a_file(self):
        plan = mandate.compile_file(PLAN)
        with open(PLAN, "rb") as f:
            data = f.read()
        self.assertEqual(plan.id, "town_check")
        self.assertEqual(plan.revision, hashlib.sha256(data).hexdigest())
        self.assertEqual(plan.obligations, ["monthly_activity", "leaflets"])
        self.assertEqual(plan.outcomes, ["commend"])
        self.assertEqual(mandate.compile_file(pathlib.Path(PLAN)).revision, plan.revision)
        # The revision reports carry, as the command line computes it.
        self.assertEqual(json.loads(cli("check", PLAN, *town_inputs(), "--format", "json")[0])["revision"], plan.revision)

    def test_a_broken_file_names_itself(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "broken.mandate")
            with open(path, "w", encoding="utf-8") as f:
                f.write(BROKEN)
            with self.assertRaises(mandate.RuleError) as caught:
                mandate.compile_file(path)
            error = caught.exception
            self.assertEqual((error.line, error.column), (2, 29))
            self.assertTrue(error.message.startswith("expected 'to'"), error.message)
            self.assertIn(f"{path}:2:29: error: expected 'to'", str(error))
            # Every diagnostic as the command line renders it.
            _, stderr = cli("check", path, "--events", EVENTS, ok=False)
            self.assertEqual(str(error), stderr.decode("utf-8"))
            with self.assertRaises(FileNotFoundError):
                mandate.compile_file(os.path.join(tmp, "missing.mandate"))
            with self.assertRaises(IsADirectoryError):
                mandate.compile_file(tmp)
        with self.assertRaises(TypeError):
            mandate.compile_file(3)


class AddCsvTest(unittest.TestCase):
    def test_registry_and_events_of_a_type(self):
        engine = mandate.Engine(mandate.compile_file(PLAN))
        self.assertEqual(engine.add_csv(REGISTRY), 6)
        self.assertEqual(engine.report(AS_OF)["inputs"]["entities"], 6)
        self.assertEqual(engine.add_jsonl(EVENTS), 8)
        self.assertEqual(engine.add_csv(pathlib.Path(LEAFLETS), type="leaflet"), 3)
        report = engine.report(AS_OF)
        leaflets = {r["unit"]: r for r in report["results"] if r["obligation"] == "leaflets"}
        self.assertEqual((leaflets["v1"]["status"], leaflets["v1"]["evidence"]["events"]), ("satisfied", ["e6", "e7"]))
        self.assertEqual((leaflets["v2"]["status"], leaflets["v2"]["evidence"]["coverage"]),
                         ("violated", {"covered": 0, "of": 1, "missing": ["v2-h1"]}))
        inputs = report["inputs"]
        self.assertEqual((inputs["read"], inputs["entities"], inputs["applied"], inputs["duplicates"], inputs["rejected"]),
                         (17, 6, 9, 1, 1))
        self.assertEqual([(r["source"], r["line"]) for r in report["rejected"]], [(EVENTS, 8)])
        # The whole report, as the command line makes it from the same files.
        self.assertEqual(engine.report_json(AS_OF), cli("check", PLAN, *town_inputs(), "--format", "json")[0].decode("utf-8"))

    def test_rejected_rows_by_source_and_line(self):
        # Line 2: no 31 April. Lines 3-4: one record, its recipient's cell quoted across a line
        # break (no such household: it waits, unresolved). Line 5: a cell more than the header.
        rows = ("id,time,unit,recipient\n"
                "e20,2023-04-31,v1,v1-h1\n"
                'e21,2023-05-01,v1,"v1-h2\nx"\n'
                "e22,2023-05-02,v1,v1-h2,extra\n"
                "e23,2023-05-03,v2,v2-h1\n")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "more.csv")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(rows)
            engine = town_engine()
            self.assertEqual(engine.add_csv(path, type="leaflet"), 4)
            report = engine.report(AS_OF)
            mine = [r for r in report["rejected"] if r["source"] == path]
            self.assertEqual([r["line"] for r in mine], [2, 5])
            self.assertEqual(report["inputs"]["unresolved"], 1)
            # Same reasons, same accounting as `mandate check ... leaflet=more.csv`.
            text = cli("check", PLAN, *town_inputs()[:-2], "leaflet=" + path, "--as-of", AS_OF, "--format", "json")[0]
            self.assertEqual(engine.report_json(AS_OF), text.decode("utf-8"))
            # And a source name of the caller's choosing.
            named = town_engine()
            named.add_csv(path, type="leaflet", source="crm")
            self.assertEqual([(r["source"], r["line"]) for r in named.report(AS_OF)["rejected"] if r["source"] == "crm"],
                             [("crm", 2), ("crm", 5)])

    def test_a_header_that_cannot_be_used(self):
        engine = mandate.Engine(mandate.compile_file(PLAN))
        # leaflets.csv has no `type` column: without type= it cannot be read, as on the command line.
        with self.assertRaises(ValueError) as caught:
            engine.add_csv(LEAFLETS)
        _, stderr = cli("check", PLAN, "--events", LEAFLETS, "--as-of", AS_OF, ok=False)
        self.assertEqual(f"mandate check: {caught.exception}\n", stderr.decode("utf-8"))
        self.assertTrue(str(caught.exception).startswith(LEAFLETS + ":1: "), str(caught.exception))
        self.assertEqual(engine.report(AS_OF)["inputs"]["read"], 0)  # no row of it was added
        with self.assertRaises(ValueError) as caught:
            engine.add_csv(LEAFLETS, type="pamphlet")
        self.assertEqual(str(caught.exception), "the plan has no event type 'pamphlet'")
        with self.assertRaises(FileNotFoundError):
            engine.add_csv(os.path.join(TOWN, "missing.csv"), type="leaflet")
        with self.assertRaises(IsADirectoryError):
            engine.add_csv(TOWN)
        with self.assertRaises(TypeError):
            engine.add_csv(LEAFLETS, type=5)


if __name__ == "__main__":
    sys.argv = sys.argv[:1]
    unittest.main(verbosity=1)
