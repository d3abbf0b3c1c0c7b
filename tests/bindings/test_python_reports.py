"""The Python package against the command line: compile_file, CSV records through add_csv, and
the report writers (table, CSV, HTML, JSON, explain), on the small town of tests/cli/data/town.

Worked out by hand in tests/cli/check_formats.py's docstring, as of 2023-07-03: registry.csv
registers 6 entities (t1 测试镇, v1 苟堂村, v2 "新村, 东片", three households); leaflets.csv
holds 3 leaflets, which cover both households of v1 by the deadline (satisfied) and v2's one
household only on 06-02, after it (violated); with the 8 records of events.jsonl that is 17
read, 9 applied, 1 duplicate and 1 rejected (events.jsonl line 8). What Python writes must be,
byte for byte, what `mandate check` and `mandate explain` print for the same files.

usage: test_python_reports.py SOURCE_DIR MANDATE   (with the built package on PYTHONPATH)
"""
import datetime
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


class WritersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = town_engine()
        cls.report = cls.engine.evaluate(AS_OF)

    def same(self, python_text, *args):
        expected = cli(*args)[0]
        self.assertEqual(python_text.encode("utf-8"), expected)
        return python_text

    def check(self, *extra):
        return ("check", PLAN, *town_inputs(), *extra)

    def test_the_report_object(self):
        r = self.report
        self.assertIsInstance(r, mandate.Report)
        self.assertEqual((r.plan, r.revision, r.as_of), ("town_check", self.engine.plan.revision, datetime.date(2023, 7, 3)))
        self.assertEqual(r.to_dict(), self.engine.report(AS_OF))
        self.assertEqual(r.to_json(), self.engine.report_json(AS_OF))
        self.assertEqual(repr(r), "<mandate.Report town_check as of 2023-07-03: 8 results, 2 outcomes>")

    def test_json(self):
        self.same(self.report.to_json(), *self.check("--format", "json"))

    def test_table_in_both_languages(self):
        zh = self.same(self.report.to_table(), *self.check("--format", "table"))
        self.assertIn("苟堂村", zh)
        en = self.same(self.report.to_table(lang="en"), *self.check("--format", "table", "--lang", "en"))
        self.assertNotEqual(zh, en)
        self.same(self.report.to_table("en", width=60), *self.check("--format", "table", "--lang", "en", "--width", "60"))
        coloured = self.same(self.report.to_table(colour=True), *self.check("--format", "table", "--color"))
        self.assertIn("\x1b[", coloured)
        self.assertNotIn("\x1b[", zh)

    def test_csv(self):
        self.same(self.report.to_csv(), *self.check("--format", "csv"))
        self.same(self.report.to_csv(raw=True), *self.check("--format", "csv", "--csv-raw"))

    def test_html_in_both_languages(self):
        zh = self.same(self.report.to_html(), *self.check("--format", "html"))
        self.assertTrue(zh.startswith("<!DOCTYPE html>") or zh.lower().startswith("<!doctype html>"), zh[:40])
        self.same(self.report.to_html("en"), *self.check("--format", "html", "--lang", "en"))

    def test_xlsx_in_both_languages(self):
        # The workbook's bytes are a function of the report (its creation time is the as-of
        # date), so Python's equals the command line's.
        with tempfile.TemporaryDirectory() as tmp:
            for lang in ("zh", "en"):
                mine, theirs = os.path.join(tmp, f"py-{lang}.xlsx"), os.path.join(tmp, f"cli-{lang}.xlsx")
                self.assertIsNone(self.report.to_xlsx(pathlib.Path(mine), lang=lang))
                cli(*self.check("-o", theirs, "--lang", lang))
                with open(mine, "rb") as a, open(theirs, "rb") as b:
                    data = a.read()
                    self.assertTrue(data.startswith(b"PK"))
                    self.assertEqual(data, b.read(), lang)
            with self.assertRaises(OSError):
                self.report.to_xlsx(os.path.join(tmp, "no-such-dir", "r.xlsx"))
            with self.assertRaises(ValueError):
                self.report.to_xlsx(os.path.join(tmp, "r.xlsx"), lang="fr")

    def test_explain_in_both_languages(self):
        def explain(*args):
            return ("explain", PLAN, *town_inputs(), *args)

        for lang in ("zh", "en"):
            with self.subTest(lang=lang):
                # v1's three months: April and June satisfied, May violated.
                text = self.same(self.report.explain("monthly_activity", unit="v1", lang=lang),
                                 *explain("--obligation", "monthly_activity", "--unit", "v1", "--lang", lang))
                self.assertEqual(text.count("\n\n"), 3)  # the heading, then three buckets
                self.same(self.report.explain(obligation="monthly_activity", unit="v1", period="2023-05", lang=lang),
                          *explain("--obligation", "monthly_activity", "--unit", "v1", "--period", "2023-05", "--lang", lang))
                self.same(self.report.explain("leaflets", unit="v2", period=datetime.date(2023, 5, 31), lang=lang),
                          *explain("--obligation", "leaflets", "--unit", "v2", "--period", "2023-05-31", "--lang", lang))
                self.same(self.report.explain(outcome="commend", unit="v1", lang=lang),
                          *explain("--outcome", "commend", "--unit", "v1", "--lang", lang))
                # No bucket in March, no unit 'nobody': refused as the command line refuses them
                # (exit 2), with the same message.
                for args, kwargs in (
                        (("--period", "2023-03"), {"unit": "v2", "period": "2023-03"}),
                        ((), {"unit": "nobody"})):
                    with self.assertRaises(ValueError) as caught:
                        self.report.explain("monthly_activity", lang=lang, **kwargs)
                    unit = kwargs["unit"]
                    p = subprocess.run([MANDATE, *explain("--obligation", "monthly_activity", "--unit", unit, *args, "--lang", lang)],
                                       capture_output=True, text=True)
                    self.assertEqual(p.returncode, 2)
                    self.assertIn(str(caught.exception), p.stderr)
        self.assertEqual(self.report.explain("monthly_activity", unit="v1"),
                         self.report.explain("monthly_activity", unit="v1", lang="zh"))

    def test_explain_refuses_what_the_command_line_refuses(self):
        r = self.report
        with self.assertRaises(TypeError):
            r.explain(unit="v1")  # neither an obligation nor an outcome
        with self.assertRaises(TypeError):
            r.explain("monthly_activity", outcome="commend", unit="v1")
        with self.assertRaises(ValueError) as caught:
            r.explain("commend", unit="v1")  # an outcome, not an obligation
        self.assertEqual(str(caught.exception), "the plan has no obligation 'commend'")
        with self.assertRaises(ValueError):
            r.explain("monthly_activity")  # each village: a unit is needed
        with self.assertRaises(ValueError) as caught:
            r.explain("monthly_activity", unit="v1", period="2023-04-31")
        self.assertIn("not '2023-04-31'", str(caught.exception))
        with self.assertRaises(TypeError):
            r.explain("monthly_activity", unit="v1", period=datetime.datetime(2023, 5, 1))

    def test_unit_names(self):
        self.assertEqual(self.report.unit_name("v1"), "苟堂村")
        self.assertEqual(self.report.unit_name("v2"), "新村, 东片")
        self.assertEqual(self.report.unit_name("t1"), "测试镇")
        self.assertIsNone(self.report.unit_name("v1-h1"))  # registered without a name
        self.assertIsNone(self.report.unit_name("nobody"))
        with self.assertRaises(TypeError):
            self.report.unit_name(b"v1")

    def test_a_bad_language(self):
        for call in (lambda: self.report.to_table(lang="fr"), lambda: self.report.to_html("de"),
                     lambda: self.report.explain("monthly_activity", unit="v1", lang="jp")):
            with self.assertRaises(ValueError) as caught:
                call()
            self.assertIn("'zh' or 'en'", str(caught.exception))
        with self.assertRaises(TypeError):
            self.report.to_table(lang=None)
        # The tags --lang takes: zh-CN is Chinese, en_GB English.
        self.assertEqual(self.report.to_table("zh-CN"), self.report.to_table())
        self.assertEqual(self.report.to_html("en_GB"), self.report.to_html("en"))
        with self.assertRaises(ValueError):
            self.report.to_table(width=39)

    def test_a_report_outlives_its_engine_and_later_records(self):
        engine = town_engine()
        report = engine.evaluate(AS_OF)
        table = report.to_table()
        engine.add({"id": "e99", "type": "activity", "time": "2023-05-20", "unit": "v1", "venue": "park"})
        self.assertNotEqual(engine.evaluate(AS_OF).to_table(), table)
        del engine
        self.assertEqual(report.to_table(), table)
        self.assertEqual(report.unit_name("v1"), "苟堂村")


if __name__ == "__main__":
    sys.argv = sys.argv[:1]
    unittest.main(verbosity=1)
