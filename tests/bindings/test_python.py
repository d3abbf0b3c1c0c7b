"""The Python package mandate: every function and method, the mapping of Python values to
record values, and the error paths (a bad rule file, bad records, wrong types from Python,
callbacks that raise). Expected values are worked out from the plans below and from
tests/bindings/records/README.md.

usage: test_python.py SOURCE_DIR   (with the built package on PYTHONPATH)
"""
import ast
import datetime
import gc
import hashlib
import json
import os
import pathlib
import sys
import tempfile
import threading
import unittest
import weakref
from decimal import Decimal

import mandate

SOURCE_DIR = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
GOUTANG = os.path.join(SOURCE_DIR, "rules", "goutang-2023.mandate")
SMALL = os.path.join(SOURCE_DIR, "tests", "bindings", "records", "goutang-small.jsonl")

PLAN = """plan c { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-05-31
kind town "镇"
kind village "行政村" within town
kind household "户" within village
event activity "活动" { venue: text }
event visit "走访" {
  households: set<ref household>
  people:     int
  seconds:    number
  antifraud:  bool
  due:        date
  note?:      text
}
obligation monthly "每月" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 1
}
"""

VISIT = {"id": "w1", "type": "visit", "time": "2023-04-05", "unit": "v1", "households": ["h1"], "people": 3,
         "seconds": Decimal("12.5"), "antifraud": True, "due": datetime.date(2023, 4, 30)}
VISIT_JSON = ('{"id": "w1", "type": "visit", "time": "2023-04-05", "unit": "v1", "households": ["h1"], "people": 3, '
              '"seconds": 12.5, "antifraud": true, "due": "2023-04-30"}')


def registered(plan=None):
    engine = mandate.Engine(plan or mandate.compile(PLAN, "c.mandate"))
    for record in ({"entity": "t", "kind": "town"}, {"entity": "v1", "kind": "village", "parent": "t"},
                   {"entity": "v2", "kind": "village", "parent": "t"}, {"entity": "h1", "kind": "household", "parent": "v1"}):
        assert engine.add(record), engine.last_error
    return engine


def goutang():
    with open(GOUTANG, encoding="utf-8") as f:
        return mandate.compile(f.read(), "goutang-2023.mandate")


class CompileTest(unittest.TestCase):
    def test_a_plan_and_what_it_holds(self):
        with open(GOUTANG, "rb") as f:
            data = f.read()
        plan = mandate.compile(data.decode("utf-8"), "goutang-2023.mandate")
        self.assertIsInstance(plan, mandate.Plan)
        self.assertEqual(plan.id, "goutang_antifraud_2023")
        self.assertEqual(plan.revision, hashlib.sha256(data).hexdigest())
        self.assertEqual(plan.obligations[:4],
                         ["taskforce_formed", "rep_training_coverage", "mobilization_meeting", "village_monthly_activity"])
        self.assertEqual(len(plan.obligations), 29)
        self.assertEqual(plan.outcomes, ["notify_criticism", "rectification_listing", "recommend_top10"])
        small = mandate.compile(PLAN, "c.mandate")
        self.assertEqual(small.event_types, ["activity", "visit"])
        # What a worker elsewhere compiles the plan again from (mandate.dask).
        self.assertEqual((small.source, small.name), (PLAN, "c.mandate"))
        self.assertEqual(mandate.compile(small.source, small.name).revision, small.revision)
        self.assertEqual(mandate.compile_file(GOUTANG).source, data.decode("utf-8"))
        self.assertEqual(mandate.compile_file(GOUTANG).name, GOUTANG)
        self.assertTrue(plan.dot().startswith("digraph"))
        self.assertEqual(repr(plan), "<mandate.Plan goutang_antifraud_2023>")

    def test_partitions(self):
        # Goutang ranks its villages, operators and banks together: nothing splits it.
        parts = goutang().partitions
        self.assertIsNone(parts["finest"])
        self.assertEqual(parts["refused"], ["town: recommend_top10 ranks village | operator | bank among all of them"])
        village = next(l for l in parts["levels"] if l["kind"] == "village")
        self.assertEqual(village, {"kind": "village", "splits": False,
                                   "reason": "taskforce_formed is for each town, and not every town lies within a village",
                                   "under": ["village", "villager_group", "community", "enterprise", "institution",
                                             "stairwell", "household", "merchant", "key_person"]})
        kinds = {k["id"]: k for k in goutang().kinds}
        self.assertEqual(kinds["staff"]["parents"], ["village", "member", "police_station", "finance_office"])
        self.assertEqual(kinds["town"]["parents"], [])
        self.assertEqual(kinds["outlet"]["fields"], ["screen"])
        # Without the ranking and the town's rules, a plan of villages splits at the village.
        plan = mandate.compile('plan p {}\nphase c "c" from 2023-04-01 to 2023-04-30\nkind town "t"\n'
                               'kind village "v" within town\nevent e {}\n'
                               'obligation o { each v: village  require count(e of v) >= 1 }\n')
        self.assertEqual(plan.partitions, {
            "finest": "village", "refused": [],
            "levels": [{"kind": "town", "splits": True, "reason": None, "under": ["town", "village"]},
                       {"kind": "village", "splits": True, "reason": None, "under": ["village"]}]})

    def test_rule_error_carries_positions(self):
        with self.assertRaises(mandate.RuleError) as caught:
            mandate.compile('plan p {}\nphase x "x" from 2023-04-01 2023-05-01\n', "bad.mandate")
        error = caught.exception
        self.assertIsInstance(error, ValueError)
        self.assertEqual((error.line, error.column), (2, 29))
        self.assertTrue(error.message.startswith("expected 'to'"), error.message)
        self.assertEqual(error.diagnostics[0], (2, 29, error.message))
        self.assertIn("bad.mandate:2:29: error: expected 'to'", str(error))
        self.assertIn("^", str(error))  # the caret under the spot

    def test_every_diagnostic_of_a_file(self):
        # Two unknown names, in one pass; the default name labels them.
        with self.assertRaises(mandate.RuleError) as caught:
            mandate.compile('plan p {}\nphase c "c" from 2023-04-01 to 2023-04-30\nkind k "k"\nevent e {}\n'
                            'obligation a { each x: nokind  require count(e of x) >= 1 }\n'
                            'obligation b { each x: k  require count(noevent of x) >= 1 }\n')
        self.assertEqual(caught.exception.diagnostics,
                         [(5, 24, "unknown kind 'nokind'"), (6, 41, "unknown event type 'noevent'")])
        self.assertIn("<rules>:5:24: error: unknown kind 'nokind'", str(caught.exception))

    def test_wrong_argument_types(self):
        with self.assertRaises(TypeError):
            mandate.compile(42)
        with self.assertRaises(TypeError):
            mandate.compile(PLAN, name=7)
        with self.assertRaises(TypeError):
            mandate.Engine("not a plan")


V2_PLAN = """plan w { timezone "+08:00" }
phase p "p" from 2025-03-01 to 2025-05-31
kind village "v" { quota: int, rural?: bool }
event activity "a" {}
obligation monthly "m" {
  each v: village
  during p
  every month
  require count(activity of v) >= v.quota
}
"""


class V2RecordsTest(unittest.TestCase):
    """LANGUAGE-v2.md sections 1 and 8: entity fields and waivers as dict records."""

    def test_entity_fields_and_waivers_as_dicts(self):
        engine = mandate.Engine(mandate.compile(V2_PLAN, "w.mandate"))
        self.assertTrue(engine.add({"entity": "v1", "kind": "village", "quota": 2, "rural": True}), engine.last_error)
        # Its JSON twin is a duplicate, not a conflict.
        self.assertTrue(engine.add('{"entity": "v1", "kind": "village", "quota": 2, "rural": true}'))
        self.assertFalse(engine.add({"entity": "v2", "kind": "village", "quota": "two"}))
        self.assertEqual(engine.last_error, "field 'quota' must be a whole number")
        self.assertTrue(engine.add({"id": "a1", "type": "activity", "time": "2025-03-03", "unit": "v1"}))
        # One activity of a quota of 2: March violated on 04-01, then excused.
        report = engine.report("2025-04-01")
        march = [r for r in report["results"] if r["period"]["from"] == "2025-03-01"][0]
        self.assertEqual((march["status"], march["value"]), ("violated", 1))
        heard = []
        engine.watch_date = "2025-04-01"
        engine.on_change(heard.append)
        self.assertTrue(engine.add({"waiver": "w1", "obligation": "monthly", "unit": "v1", "period": datetime.date(2025, 3, 15),
                                    "excuse": True, "reason": "防汛"}), engine.last_error)
        self.assertEqual([(c.rule, c.before, c.after) for c in heard], [("monthly", "violated", "excused")])
        report = engine.report("2025-04-01")
        march = [r for r in report["results"] if r["period"]["from"] == "2025-03-01"][0]
        self.assertEqual(march["status"], "excused")
        self.assertEqual(march["waiver"]["id"], "w1")
        self.assertEqual(report["inputs"]["waivers"], 1)
        # An extension of April past its end; and a waiver of no obligation, rejected.
        self.assertTrue(engine.add({"waiver": "w2", "obligation": "monthly", "unit": "v1", "period": "2025-04-01",
                                    "extend_to": "2025-05-10"}), engine.last_error)
        self.assertFalse(engine.add({"waiver": "w3", "obligation": "nope", "unit": "v1", "period": "2025-04-01", "excuse": True}))
        self.assertEqual(engine.last_error, "waiver 'w3' names no obligation of the plan: 'nope'")
        with self.assertRaises(ValueError):
            engine.add({"waiver": "w4", "obligation": "monthly", "unit": "v1", "period": "2025-04-01", "excuse": False})
        april = [r for r in engine.report("2025-05-05")["results"] if r["period"]["from"] == "2025-04-01"][0]
        self.assertEqual((april["status"], april["extended_to"]), ("pending", "2025-05-10"))


class AddTest(unittest.TestCase):
    def test_dict_records_and_their_json_twins_are_duplicates(self):
        engine = registered()
        self.assertTrue(engine.add(VISIT), engine.last_error)
        self.assertEqual(engine.last_error, "")
        self.assertTrue(engine.add(VISIT_JSON), engine.last_error)
        # The same value written another way each time: still one event.
        self.assertTrue(engine.add(dict(VISIT, seconds=12.5, households=("h1",))))
        self.assertTrue(engine.add(dict(VISIT, seconds=Decimal("12.50"), people=3.0, households={"h1"})))
        self.assertTrue(engine.add(dict(VISIT, due="2023-04-30", time=datetime.date(2023, 4, 5))))
        inputs = engine.report("2023-06-01")["inputs"]
        self.assertEqual((inputs["applied"], inputs["duplicates"], inputs["rejected"]), (1, 4, 0))

    def test_times_as_datetimes(self):
        plan = mandate.compile(PLAN)
        engine = registered(plan)
        self.assertTrue(engine.add('{"id": "a", "type": "activity", "time": "2023-04-15T09:30:00+08:00", "unit": "v1", "venue": "x"}'))
        tz = datetime.timezone(datetime.timedelta(hours=8))
        aware = {"id": "a", "type": "activity", "time": datetime.datetime(2023, 4, 15, 1, 30, tzinfo=datetime.timezone.utc),
                 "unit": "v1", "venue": "x"}
        naive = dict(aware, time=datetime.datetime(2023, 4, 15, 9, 30))  # local time in the plan's zone
        self.assertTrue(engine.add(aware), engine.last_error)
        self.assertTrue(engine.add(naive), engine.last_error)
        self.assertTrue(engine.add(dict(aware, time=datetime.datetime(2023, 4, 15, 9, 30, tzinfo=tz))))
        self.assertEqual(engine.report("2023-04-16")["inputs"]["duplicates"], 3)

    def test_a_rejected_record_says_why_and_is_counted(self):
        engine = registered()
        self.assertFalse(engine.add(dict(VISIT, people="three"), source="crm", line=7))
        self.assertEqual(engine.last_error, "field 'people' must be a whole number")
        self.assertFalse(engine.add(dict(VISIT, id="w2", seconds=0.1 + 0.2)))  # 0.30000000000000004
        self.assertEqual(engine.last_error, "field 'seconds' has more than 6 fractional digits")
        self.assertFalse(engine.add(dict(VISIT, id="w3", people=2 ** 70)))
        self.assertEqual(engine.last_error,
                         "field 'people' is out of range: an int field holds -9223372036854775807 to 9223372036854775807")
        self.assertFalse(engine.add(dict(VISIT, id="w3", seconds=Decimal("1e300"))))
        self.assertEqual(engine.last_error,
                         "field 'seconds' is out of range: a number field holds -9000000000000 to 9000000000000")
        self.assertFalse(engine.add(dict(VISIT, id="w3", seconds=Decimal("1e-400"))))
        self.assertEqual(engine.last_error, "field 'seconds' has more than 6 fractional digits")
        self.assertFalse(engine.add(VISIT_JSON.replace('"seconds": 12.5', '"seconds": 1e300')))
        self.assertEqual(engine.last_error,
                         "field 'seconds' is out of range: a number field holds -9000000000000 to 9000000000000")
        # JSON text naming a key twice (a dict cannot): rejected, as by the command line.
        self.assertFalse(engine.add(VISIT_JSON.replace('"people": 3', '"people": 3, "people": 4')))
        self.assertEqual(engine.last_error, "duplicate key 'people'")
        self.assertFalse(engine.add({"id": "w4", "type": "meeting", "time": "2023-04-01", "unit": "v1"}))
        self.assertEqual(engine.last_error, "unknown event type 'meeting'")
        self.assertFalse(engine.add({"entity": "x", "kind": "city"}))
        self.assertEqual(engine.last_error, "unknown kind 'city'")
        self.assertFalse(engine.add({"entity": "h2", "kind": "household", "parent": "t"}))
        self.assertEqual(engine.last_error, "entity 'h2': its parent 't' is a town, and a household may not be within one")
        self.assertFalse(engine.add('{"id": "w5", "type": "visit"'))
        self.assertTrue(engine.last_error.startswith("not valid JSON"), engine.last_error)
        report = engine.report("2023-06-01")
        self.assertEqual(report["inputs"]["rejected"], 11)
        self.assertIn({"source": "crm", "line": 7, "reason": "field 'people' must be a whole number"}, report["rejected"])

    def test_value_mapping(self):
        engine = registered()
        # Each field given a Python value of another JSON kind gets the reason its JSON twin gets.
        for field, value, reason in [
            ("people", 2.5, "field 'people' must be a whole number"),
            ("seconds", "12", "field 'seconds' must be a number"),
            ("antifraud", 1, "field 'antifraud' must be true or false"),
            ("due", "2023-02-30", "field 'due' must be a date like 2023-05-31"),
            ("households", "h1", "field 'households' must be a list"),
            ("households", [1], "field 'households' must hold only entity ids (strings)"),
        ]:
            with self.subTest(field=field, value=value):
                self.assertFalse(engine.add(dict(VISIT, id=f"bad-{field}-{value!r}", **{field: value})))
                self.assertEqual(engine.last_error, reason)
        # None is an absent field: fine for an optional one, missing for a required one.
        self.assertTrue(engine.add(dict(VISIT, id="n1", note=None)))
        self.assertFalse(engine.add(dict(VISIT, id="n2", people=None)))
        self.assertEqual(engine.last_error, "field 'people' is missing")

    def test_wrong_python_types_raise_and_add_nothing(self):
        engine = registered()
        before = engine.report("2023-06-01")["inputs"]["read"]
        for record, error in [
            (5, TypeError),
            (["not", "a", "record"], TypeError),
            ({1: "x"}, TypeError),
            ({"venue": "x"}, TypeError),  # neither entity, event nor retraction
            (dict(VISIT, id=5), TypeError),
            ({k: v for k, v in VISIT.items() if k != "time"}, TypeError),
            (dict(VISIT, time=20230405), TypeError),
            (dict(VISIT, note=object()), TypeError),
            (dict(VISIT, note=b"bytes"), TypeError),
            (dict(VISIT, note={"nested": 1}), TypeError),
            (dict(VISIT, due=datetime.datetime(2023, 4, 30, 12, 0)), TypeError),
            (dict(VISIT, households=["h1", None]), TypeError),
            ({"entity": "v3", "kind": "village", "version": "2"}, TypeError),
            ({"entity": "v3", "kind": "village", "version": True}, TypeError),
            ({"entity": "v3"}, TypeError),
            ({"retract": 17}, TypeError),
            (dict(VISIT, seconds=float("nan")), ValueError),
            (dict(VISIT, seconds=Decimal("Infinity")), ValueError),
            (dict(VISIT, due=datetime.date(1000, 1, 1)), ValueError),
            ({"entity": "v3", "kind": "village", "since": "2023-13-01"}, ValueError),
            (dict(VISIT, note="\ud800"), UnicodeEncodeError),  # a str with no UTF-8 form
            ('{"retract": "\ud800"}', UnicodeEncodeError),
        ]:
            with self.subTest(record=record):
                with self.assertRaises(error):
                    engine.add(record)
        self.assertEqual(engine.report("2023-06-01")["inputs"]["read"], before)

    def test_entities_with_dates_and_versions(self):
        engine = registered()
        self.assertTrue(engine.add({"entity": "v3", "kind": "village", "parent": "t", "name": "三村",
                                    "since": datetime.date(2023, 1, 1), "until": "2023-05-01", "version": 1}))
        # The JSON twin of the same version: the same record, no conflict.
        self.assertTrue(engine.add('{"entity": "v3", "kind": "village", "parent": "t", "name": "三村", '
                                   '"since": "2023-01-01", "until": "2023-05-01", "version": 1}'), engine.last_error)
        rows = [(r["unit"], r["period"]["from"]) for r in engine.report("2023-06-01")["results"]]
        # v3 retired on 1 May: it has an April bucket and no May bucket.
        self.assertIn(("v3", "2023-04-01"), rows)
        self.assertNotIn(("v3", "2023-05-01"), rows)

    def test_add_many(self):
        engine = registered()
        records = (r for r in [VISIT, dict(VISIT, id="w2", people="x"), VISIT_JSON,
                               '{"id": "a", "type": "activity", "time": "2023-04-03", "unit": "v1", "venue": "park"}'])
        self.assertEqual(engine.add_many(records, source="batch"), 3)
        report = engine.report("2023-06-01")
        self.assertEqual(report["rejected"], [{"source": "batch", "line": 2, "reason": "field 'people' must be a whole number"}])
        with self.assertRaises(TypeError):
            engine.add_many([dict(VISIT, id="w9"), 42, dict(VISIT, id="w10")])
        # The record before the bad one was added, the one after was not.
        ids = {e for r in engine.report("2023-06-01")["results"] for e in r["evidence"]["events"]}
        self.assertEqual(engine.report("2023-06-01")["inputs"]["applied"], 3)  # w1, a, w9
        self.assertIn("a", ids)
        with self.assertRaises(TypeError):
            engine.add_many(17)
        # A str or bytes is one record, not an iterable of records (its characters): refused
        # whole, nothing read.
        read = engine.report("2023-06-01")["inputs"]["read"]
        for one in (VISIT_JSON, VISIT_JSON.encode(), bytearray(VISIT_JSON.encode()), "", b""):
            with self.subTest(records=type(one).__name__):
                with self.assertRaises(TypeError):
                    engine.add_many(one)
        self.assertEqual(engine.report("2023-06-01")["inputs"]["read"], read)

    def test_add_jsonl(self):
        engine = mandate.Engine(goutang())
        self.assertEqual(engine.add_jsonl(SMALL), 16)
        report = engine.report(datetime.date(2023, 6, 10))
        self.assertEqual(report["inputs"], {"read": 16, "entities": 4, "applied": 5, "duplicates": 1, "retracted": 1,
                                            "retractions": 1, "unresolved": 1, "rejected": 3, "waivers": 0})
        self.assertEqual([(r["source"], r["line"]) for r in report["rejected"]], [(SMALL, 14), (SMALL, 16), (SMALL, 17)])
        self.assertEqual(report["rejected"][2]["reason"], "duplicate key 'venue'")
        again = mandate.Engine(goutang())
        self.assertEqual(again.add_jsonl(pathlib.Path(SMALL), source="small"), 16)
        self.assertEqual([r["source"] for r in again.report("2023-06-10")["rejected"]], ["small", "small", "small"])
        # Parsed on 3 threads, a record a block: the same report.
        blocks = mandate.Engine(goutang(), threads=3, block_bytes=1)
        self.assertEqual(blocks.add_jsonl(SMALL), 16)
        self.assertEqual(blocks.report(datetime.date(2023, 6, 10)), report)
        with self.assertRaises(FileNotFoundError):
            engine.add_jsonl("/nonexistent/records.jsonl")
        with self.assertRaises(IsADirectoryError):
            engine.add_jsonl(tempfile.gettempdir())
        with self.assertRaises(TypeError):
            engine.add_jsonl(3.5)

    def test_bytes_records_and_records_the_host_could_not_read(self):
        engine = registered()
        # JSON bytes are a record as a line of a file is: the same text as a str, a duplicate.
        self.assertTrue(engine.add(VISIT_JSON.encode()))
        self.assertTrue(engine.add(VISIT_JSON))
        # Bytes that are not UTF-8: a rejection with the byte's place (the ninth), not an error.
        self.assertFalse(engine.add(b'{"id": "\xff"}', source="feed", line=3))
        self.assertEqual(engine.last_error, "not valid UTF-8 (byte 9 of the record)")
        engine.add_unreadable("the message could not be decoded", source="queue", line=41)
        report = engine.report("2023-06-01")
        self.assertEqual(report["inputs"]["read"], 4 + 4)
        self.assertEqual(report["inputs"]["duplicates"], 1)
        self.assertEqual(report["inputs"]["rejected"], 2)
        self.assertEqual(report["rejected"], [
            {"source": "feed", "line": 3, "reason": "not valid UTF-8 (byte 9 of the record)"},
            {"source": "queue", "line": 41, "reason": "the message could not be decoded"}])
        with self.assertRaises(ValueError):
            engine.add_unreadable("")
        with self.assertRaises(TypeError):
            engine.add_unreadable(b"cut short")
        with self.assertRaises(TypeError):
            engine.add(bytearray(VISIT_JSON.encode()))
        self.assertEqual(engine.report("2023-06-01")["inputs"]["read"], 8)

    def test_add_lines_reads_records_as_lines_of_a_file(self):
        # Lines 2, 5 and 6 of a file, as bytes and str: an activity, its copy, one cut short.
        activity = '{"id": "a1", "type": "activity", "time": "2023-04-03", "unit": "v1", "venue": "hall"}'
        records = [activity.encode(), activity, '{"id": "a2", "type":']
        by_lines, one_by_one = registered(), registered()
        self.assertEqual(by_lines.add_lines(records, "routed.jsonl", [2, 5, 6]), 3)
        for record, line in zip(records, [2, 5, 6]):
            one_by_one.add(record, source="routed.jsonl", line=line)
        report = by_lines.report("2023-05-31")
        self.assertEqual(report, one_by_one.report("2023-05-31"))
        self.assertEqual((report["inputs"]["read"], report["inputs"]["duplicates"], report["inputs"]["rejected"]),
                         (4 + 3, 1, 1))
        self.assertEqual([(r["source"], r["line"]) for r in report["rejected"]], [("routed.jsonl", 6)])
        # A sequence that makes a new object each time it is indexed: each is held while read.
        class Made:
            def __len__(self):
                return 2

            def __getitem__(self, i):
                if i >= 2:
                    raise IndexError(i)
                return ('{"id": "m%d", "type": "activity", "time": "2023-04-0%d", "unit": "v1", "venue": "hall"}'
                        % (i, i + 4)).encode()
        self.assertEqual(by_lines.add_lines(Made(), "made.jsonl", [1, 2]), 2)
        self.assertEqual(by_lines.report("2023-05-31")["inputs"]["applied"], 3)  # a1, m0, m1
        by_lines = registered()
        self.assertEqual(by_lines.add_lines(records, "routed.jsonl", [2, 5, 6]), 3)
        with self.assertRaises(TypeError):
            by_lines.add_lines([activity, {"id": "a3"}], "routed.jsonl", [7, 8])
        with self.assertRaises(ValueError):
            by_lines.add_lines([activity], "routed.jsonl", [7, 8])
        with self.assertRaises(TypeError):
            by_lines.add_lines(activity, "routed.jsonl", [7])
        self.assertEqual(by_lines.report("2023-05-31")["inputs"]["read"], 7)

    def test_csv_records_are_what_add_csv_reads(self):
        plan = mandate.compile(PLAN, "c.mandate")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "activity.csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write('id,time,unit,venue\na1,2023-04-03,v1,"the ""old"" hall"\n\n'
                        'a2,someday,v1,hall\na3,2023-04-05,v2,"a hall\nover two lines"\na4,2023-04-06,v2,"open\n')
            rows = mandate.csv_records(plan, path, "activity")
            # Each row's first line (the blank line 3 is none); JSON as add_csv() takes it.
            self.assertEqual([(line, reason) for line, _, reason in rows],
                             [(2, None), (4, None), (5, None), (7, "a quoted cell is not closed")])
            self.assertEqual(json.loads(rows[0][1]), {"type": "activity", "id": "a1", "time": "2023-04-03", "unit": "v1",
                                                      "venue": 'the "old" hall'})
            self.assertEqual(json.loads(rows[2][1])["venue"], "a hall\nover two lines")
            self.assertIsNone(rows[3][1])
            # Fed row by row, an engine ends as add_csv() leaves one.
            whole, by_row = registered(plan), registered(plan)
            self.assertEqual(whole.add_csv(path, type="activity"), 4)
            for line, record, reason in rows:
                if record is None:
                    by_row.add_unreadable(reason, source=path, line=line)
                else:
                    by_row.add(record, source=path, line=line)
            self.assertEqual(by_row.report_json("2023-05-31"), whole.report_json("2023-05-31"))
            self.assertEqual(by_row.report("2023-05-31")["rejected"][0]["line"], 4)
            with self.assertRaises(ValueError) as caught:
                mandate.csv_records(plan, path, "meeting")
            self.assertEqual(str(caught.exception), "the plan has no event type 'meeting'")
            with self.assertRaises(ValueError) as caught:
                mandate.csv_records(plan, path)  # no type, and no type column
            self.assertTrue(str(caught.exception).startswith(path + ":1: the header names neither 'entity'"),
                            str(caught.exception))
            with self.assertRaises(FileNotFoundError):
                mandate.csv_records(plan, os.path.join(d, "absent.csv"))

    def test_retract(self):
        engine = registered()
        self.assertTrue(engine.retract("w1"))
        self.assertTrue(engine.add(VISIT))
        self.assertTrue(engine.add({"retract": "w1"}))
        self.assertFalse(engine.retract(""))
        self.assertEqual(engine.last_error, "field 'retract' must name an event id")
        # An id is a str, as in add({"retract": ...}): bytes are refused, nothing read.
        for wrong in (b"w1", bytearray(b"w1"), 17, None):
            with self.subTest(event_id=wrong):
                with self.assertRaises(TypeError):
                    engine.retract(wrong)
        inputs = engine.report("2023-06-01")["inputs"]
        self.assertEqual((inputs["retractions"], inputs["retracted"], inputs["applied"]), (2, 1, 0))


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.engine = mandate.Engine(goutang())
        self.engine.add_jsonl(SMALL)

    def test_report_as_python_objects(self):
        report = self.engine.report("2023-06-10")
        self.assertEqual(report["schema"], "mandate.report/1")
        self.assertEqual(report["as_of"], "2023-06-10")
        rows = {(r["obligation"], r["unit"], r["period"]["from"]): r for r in report["results"]}
        leaflet = rows[("three_ones_leaflet", "v01", "2023-03-01")]
        self.assertEqual((leaflet["status"], leaflet["value"]), ("violated", Decimal("0.5")))
        self.assertIsInstance(leaflet["value"], Decimal)  # exact, never a float
        self.assertEqual(rows[("village_monthly_activity", "v01", "2023-04-01")]["value"], 1)
        self.assertEqual(rows[("village_monthly_activity", "v01", "2023-05-01")]["status"], "violated")
        # Only a police station's training counts, and this one the town reported itself.
        self.assertEqual((rows[("rep_training_coverage", "goutang", "2023-03-01")]["status"],
                          rows[("rep_training_coverage", "goutang", "2023-03-01")]["value"]), ("violated", 0))
        # v01 has nothing to hang a banner on: no row at all.
        self.assertNotIn(("three_ones_banner", "v01", "2023-03-01"), rows)
        self.assertEqual(report, json.loads(self.engine.report_json("2023-06-10"), parse_float=Decimal))
        self.assertEqual(report, self.engine.report(datetime.date(2023, 6, 10)))

    def test_report_json_is_the_contract_text(self):
        text = self.engine.report_json(as_of="2023-06-10")
        self.assertTrue(text.startswith('{\n  "schema": "mandate.report/1",\n  "plan": "goutang_antifraud_2023"'))

    def test_bad_dates(self):
        with self.assertRaises(ValueError):
            self.engine.report("2023-02-30")
        with self.assertRaises(TypeError):
            self.engine.report(datetime.datetime(2023, 6, 10))
        with self.assertRaises(TypeError):
            self.engine.report(20230610)

    def test_latest_event_date(self):
        self.assertEqual(self.engine.latest_event_date, datetime.date(2023, 5, 22))  # ghost's date
        self.assertIsNone(mandate.Engine(goutang()).latest_event_date)

    def test_options(self):
        plain = mandate.Engine(goutang(), evidence=False)
        plain.add_jsonl(SMALL)
        rows = plain.report("2023-06-10")["results"]
        self.assertEqual(sum(len(r["evidence"]["events"]) for r in rows), 0)
        capped = mandate.Engine(goutang(), evidence_limit=1)
        capped.add_jsonl(SMALL)
        row = next(r for r in capped.report("2023-06-10")["results"] if r["obligation"] == "three_ones_leaflet")
        self.assertEqual(row["evidence"]["coverage"]["missing"], ["m1"])
        self.assertEqual(capped.plan.id, "goutang_antifraud_2023")
        with self.assertRaises(TypeError):
            mandate.Engine(goutang(), False)  # options are keyword-only

    def test_engines_on_threads_share_a_plan(self):
        plan = goutang()
        reports = [None] * 4

        def work(i):
            engine = mandate.Engine(plan)
            engine.add_jsonl(SMALL)
            reports[i] = engine.report_json("2023-06-10")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(set(reports)), 1)


class OnChangeTest(unittest.TestCase):
    def engine(self):
        engine = mandate.Engine(goutang())
        engine.add({"entity": "goutang", "kind": "town"})
        engine.add({"entity": "v01", "kind": "village", "parent": "goutang"})
        engine.watch_date = "2023-04-20"
        return engine

    ACTIVITY = {"id": "act-apr", "type": "activity", "time": "2023-04-15", "unit": "v01", "venue": "park", "methods": []}

    def test_one_change_as_a_status_change(self):
        engine = self.engine()
        self.assertEqual(engine.watch_date, datetime.date(2023, 4, 20))
        heard = []
        token = engine.on_change(heard.append)
        # As of 2023-04-20 this activity turns v01's April bucket from pending to satisfied, and
        # changes nothing else.
        self.assertTrue(engine.add(self.ACTIVITY))
        self.assertEqual(len(heard), 1)
        c = heard[0]
        self.assertIsInstance(c, mandate.StatusChange)
        self.assertEqual((c.outcome, c.rule, c.unit, c.period, c.before, c.after),
                         (False, "village_monthly_activity", "v01", {"from": "2023-04-01", "to": "2023-04-30"},
                          "pending", "satisfied"))
        self.assertEqual((c.fired_before, c.fired_after, c.final_before, c.final_after), (None, None, None, None))
        self.assertIn("village_monthly_activity v01 2023-04-01..2023-04-30: pending -> satisfied", repr(c))
        engine.unsubscribe(token)
        engine.retract("act-apr")
        self.assertEqual(len(heard), 1)
        engine.unsubscribe(12345)  # unknown: nothing

    def test_outcome_changes_and_the_watch_date(self):
        engine = self.engine()
        engine.watch_date = None
        self.assertIsNone(engine.watch_date)
        heard = []
        engine.on_change(heard.append)
        # The first event dates the watch on 2023-04-15: the March buckets have closed,
        # violated (no task force, no meeting), and the village is criticised for March.
        engine.add(self.ACTIVITY)
        fired = [(c.rule, c.unit, c.period["from"]) for c in heard if c.outcome and c.fired_after]
        self.assertIn(("notify_criticism", "v01", "2023-03-01"), fired)
        violated = {(c.rule, c.unit) for c in heard if not c.outcome and c.after == "violated"}
        self.assertIn(("taskforce_formed", "v01"), violated)
        self.assertIn(("mobilization_meeting", "goutang"), violated)
        with self.assertRaises(ValueError):
            engine.watch_date = "2023-04-31"
        with self.assertRaises(TypeError):
            engine.watch_date = 5

    def test_moving_the_watch_date_is_heard(self):
        engine = self.engine()  # watching 2023-04-20
        heard = []
        engine.on_change(heard.append)
        engine.add(self.ACTIVITY)
        heard.clear()
        # To 05-06: May has started, so v01's May bucket of the monthly activity appears,
        # pending; April's was satisfied on 04-15 already and does not change.
        engine.watch_date = "2023-05-06"
        monthly = [(c.period["from"], c.before, c.after) for c in heard
                   if c.rule == "village_monthly_activity" and c.unit == "v01"]
        self.assertEqual(monthly, [("2023-05-01", None, "pending")])
        # And back: the May bucket is gone again.
        heard.clear()
        engine.watch_date = "2023-04-20"
        monthly = [(c.period["from"], c.before, c.after) for c in heard
                   if c.rule == "village_monthly_activity" and c.unit == "v01"]
        self.assertEqual(monthly, [("2023-05-01", "pending", None)])

    def test_an_exception_in_a_callback_is_raised_from_add(self):
        engine = self.engine()
        others = []

        def fail(change):
            raise KeyError("from the callback")

        engine.on_change(fail)
        engine.on_change(others.append)
        with self.assertRaises(KeyError) as caught:
            engine.add(self.ACTIVITY)
        self.assertIn("from the callback", str(caught.exception))
        self.assertEqual(len(others), 1)  # the other callback still heard of the change
        # The record was added.
        self.assertEqual(engine.report("2023-05-01")["inputs"]["applied"], 1)
        # And the next add is not haunted by the old exception.
        engine.unsubscribe(1)
        self.assertTrue(engine.add({"retract": "nothing"}))

    def test_callbacks_may_not_add_or_report(self):
        engine = self.engine()
        seen = []

        def meddle(change):
            for call in (lambda: engine.add({"retract": "x"}), lambda: engine.report("2023-05-01"),
                         lambda: engine.add_many([]), lambda: engine.retract("x")):
                try:
                    call()
                except RuntimeError as e:
                    seen.append(str(e))
            seen.append(engine.on_change(lambda c: None) > 0)  # subscribing is allowed

        engine.on_change(meddle)
        engine.add(self.ACTIVITY)
        self.assertEqual(seen[:4], ["Engine.add() cannot be called from an on_change callback",
                                    "Engine.report() cannot be called from an on_change callback",
                                    "Engine.add_many() cannot be called from an on_change callback",
                                    "Engine.retract() cannot be called from an on_change callback"])
        self.assertTrue(seen[4])
        with self.assertRaises(TypeError):
            engine.on_change("not callable")

    def test_a_callback_referring_to_its_engine_is_collected_with_it(self):
        # engine -> callback -> engine: a cycle only the garbage collector can free.
        engine = self.engine()
        heard = []
        engine.on_change(lambda change: heard.append((change, engine.watch_date)))
        engine.add(self.ACTIVITY)
        self.assertTrue(heard)
        gone = weakref.ref(engine)
        del engine
        gc.collect()
        self.assertIsNone(gone(), "the engine and its callback must be freed")

    def test_a_callback_may_unsubscribe_itself_while_it_runs(self):
        engine = self.engine()
        calls, token = [], []

        def make():
            def once(change):
                calls.append(change)
                engine.unsubscribe(token[0])
                gc.collect()  # nothing but the running call holds this function now
                calls.append("finished")
            return once

        token.append(engine.on_change(make()))  # the engine holds the only reference
        engine.add(self.ACTIVITY)
        engine.add(dict(self.ACTIVITY, id="act-apr-2", time="2023-04-16"))
        self.assertEqual(len(calls), 2)
        self.assertEqual(calls[1], "finished")


class StateTest(unittest.TestCase):
    """save() and restore(): the same report from a restored engine, the host's bytes kept, and
    bad files refused with mandate.StateError, leaving the engine as it was."""

    def loaded(self):
        engine = mandate.Engine(goutang())
        engine.add_jsonl(SMALL)
        return engine

    def test_save_and_restore(self):
        engine = self.loaded()
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "state"
            engine.save(path, b"offset\x0042")
            other = mandate.Engine(goutang())
            self.assertEqual(other.restore(str(path)), b"offset\x0042")
            self.assertEqual(other.report_json("2023-06-10"), engine.report_json("2023-06-10"))
            engine.save(str(path))
            self.assertEqual(other.restore(path), b"")

    def test_bad_files_are_refused(self):
        engine = self.loaded()
        before = engine.report_json("2023-06-10")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "state")
            engine.save(path)
            with open(path, "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(data[: len(data) // 2])
            with self.assertRaises(mandate.StateError) as e:
                engine.restore(path)
            self.assertIn("it is truncated", str(e.exception))
            self.assertEqual(engine.report_json("2023-06-10"), before)
            with self.assertRaises(mandate.StateError) as e:
                engine.restore(os.path.join(tmp, "missing"))
            self.assertIn("cannot read the state file", str(e.exception))
            self.assertTrue(issubclass(mandate.StateError, OSError))
            with self.assertRaises(mandate.StateError):
                engine.save(os.path.join(tmp, "no-such-dir", "state"))
            with self.assertRaises(TypeError):
                engine.save(path, "not bytes")


class PackageTest(unittest.TestCase):
    """The typing stubs name exactly what the module defines, and everything has a docstring."""

    def stub(self):
        path = os.path.join(os.path.dirname(mandate.__file__), "__init__.pyi")
        with open(path, encoding="utf-8") as f:
            return ast.parse(f.read())

    def test_py_typed(self):
        self.assertTrue(os.path.exists(os.path.join(os.path.dirname(mandate.__file__), "py.typed")))

    def test_stubs_match_the_module(self):
        tree = self.stub()
        classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        for name in mandate.__all__:
            with self.subTest(name=name):
                obj = getattr(mandate, name)
                if isinstance(obj, type):
                    self.assertIn(name, classes)
                    stubbed = {n.name for n in classes[name].body if isinstance(n, (ast.FunctionDef, ast.AnnAssign))
                               and not isinstance(n, ast.AnnAssign)} | \
                              {n.target.id for n in classes[name].body if isinstance(n, ast.AnnAssign)}
                    runtime = {a for a in vars(obj) if not a.startswith("_")}
                    if obj is mandate.RuleError:
                        runtime |= {"line", "column", "message", "diagnostics"}  # set on each instance
                    stubbed.discard("__init__")
                    self.assertEqual(stubbed, runtime)
                elif callable(obj):
                    self.assertIn(name, functions)
        self.assertEqual(set(classes) & set(mandate.__all__) | (functions & set(mandate.__all__)),
                         {n for n in mandate.__all__ if n != "__version__"})

    def test_stub_signatures_name_the_runtime_parameters(self):
        # pybind11 puts each signature first in the docstring: "add(self, record, source, line)".
        tree = self.stub()
        stubbed = [(n, getattr(mandate, n.name)) for n in tree.body if isinstance(n, ast.FunctionDef)]
        for cls in ("Engine", "Report"):
            node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
            stubbed += [(n, getattr(getattr(mandate, cls), n.name)) for n in node.body
                        if isinstance(n, ast.FunctionDef) and not n.decorator_list]
        for node, runtime in stubbed:
            with self.subTest(function=node.name):
                stub_args = [a.arg for a in node.args.args + node.args.kwonlyargs]
                signature = runtime.__doc__.split("\n", 1)[0]
                runtime_args = [p.split(":")[0].strip() for p in signature[signature.index("(") + 1:signature.rindex(")")].split(",")]
                runtime_args = [a for a in runtime_args if a and a != "*"]
                self.assertEqual(stub_args, runtime_args)
                # Keyword-only where the stub says so: pybind11 writes a "*" before them.
                if node.args.kwonlyargs:
                    self.assertIn(", *, " + node.args.kwonlyargs[0].arg + ":", signature)

    def test_docstrings(self):
        self.assertTrue(mandate.__doc__)
        self.assertTrue(mandate.compile.__doc__.split("\n", 1)[1].strip())
        self.assertTrue(mandate.compile_file.__doc__.split("\n", 1)[1].strip())
        for cls in (mandate.Plan, mandate.Engine, mandate.Report, mandate.StatusChange, mandate.RuleError):
            self.assertTrue(cls.__doc__, cls)
            for name, member in vars(cls).items():
                if name.startswith("_"):
                    continue
                with self.subTest(member=f"{cls.__name__}.{name}"):
                    doc = member.__doc__ or ""
                    # A method's docstring opens with its signature: there must be more than that.
                    body = doc.split("\n", 1)[1] if doc.startswith(name + "(") else doc
                    self.assertTrue(body.strip())
        self.assertEqual(mandate.Plan.__module__, "mandate._mandate")
        self.assertEqual(mandate.RuleError.__module__, "mandate")
        self.assertTrue(mandate.__version__)


if __name__ == "__main__":
    sys.argv = sys.argv[:1]
    unittest.main(verbosity=1)
