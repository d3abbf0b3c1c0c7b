#!/usr/bin/env python3
"""mandate.dask on a LocalCluster of two worker processes: the partitioned report equals one
engine's, byte for byte, on a multi-town sample with bad records, duplicates, conflicts and
retractions across files and a village that moves to another town; a worker killed mid-run
changes nothing; a partition too large for a worker fails with its name; no engine reads every
record.

usage: test_dask.py PROJECT_ROOT MANDATE_GENERATE   (PYTHONPATH: build/python; Debian's
python3-distributed, so /usr/bin/python3)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

try:
    from distributed import Client, LocalCluster
except ImportError:  # pragma: no cover
    print("python3-distributed is not installed for this Python: skipped")
    sys.exit(77)

import mandate
import mandate.dask

# Set by the main block only: Dask's worker processes import this module again (as
# __mp_main__), with other arguments.
ROOT = GENERATE = ""


def goutang_by_towns() -> str:
    """The Goutang plan without recommend_top10, which ranks units across every town: the rest
    reads only a town and the units under it, so it splits at the town."""
    with open(os.path.join(ROOT, "rules", "goutang-2023.mandate"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("outcome recommend_top10")
    end = text.index("\n}\n", start) + 3
    return text[:start] + text[end:]


class Sample:
    """Three towns of two villages (tests/bindings: mandate-generate --towns 3 --villages 2),
    their events split over two files, and a third file of records that cross them."""

    def __init__(self, directory: str):
        self.dir = directory
        self.registry = os.path.join(directory, "registry.jsonl")
        events = os.path.join(directory, "events.jsonl")
        subprocess.run([GENERATE, "--towns", "3", "--villages", "2", "--registry", self.registry, "--events", events],
                       check=True)
        with open(events, encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
        # The retractions go to a file of their own, after the events they retract; every
        # 97th line to the first file of the two (so copies and conflicts cross files too).
        retractions = [l for l in lines if l.startswith('{"retract"')]
        rest = [l for l in lines if not l.startswith('{"retract"')]
        self.events = [os.path.join(directory, "events-1.jsonl"), os.path.join(directory, "events-2.jsonl"),
                       os.path.join(directory, "late.jsonl")]
        # events-1 starts with a byte order mark, which a reader drops.
        with open(self.events[0], "w", encoding="utf-8-sig") as a, open(self.events[1], "w", encoding="utf-8") as b:
            for i, l in enumerate(rest):
                (a if i % 97 == 0 else b).write(l)
        with open(self.events[2], "w", encoding="utf-8") as f:
            f.writelines(retractions)
            # A retraction before... well after its event, of an id of town 2; a copy of a
            # town-1 event naming town 2's village (a conflict, judged where the id was first
            # seen); a record cut short; a key twice.
            f.write('{"retract": "t2-e5"}\n')
            first_t1 = next(json.loads(l) for l in rest if '"id":"t1-e' in l and '"unit":"t1-v01"' in l)
            moved = dict(first_t1, unit="t2-v01")
            f.write(json.dumps(moved, ensure_ascii=False) + "\n")
            f.write('{"id": "cut", "type": "activity",\n')
            f.write('{"id": "twice", "type": "activity", "time": "2023-05-02", "unit": "t3-v02", "venue": "park", '
                    '"venue": "square", "methods": []}\n')
            # Village t1-v02 moves to town 2: its standing version (1) names t2-goutang. Town 1's
            # records name it (its representatives' training), so towns 1 and 2 are joined.
            f.write('{"entity": "t1-v02", "kind": "village", "parent": "t2-goutang", "name": "迁入村", "version": 1}\n')
            # Two waivers of buckets that do not exist, w2 before w1 (listed by id), and an
            # event first sent naming a village the registry lacks, then naming t3-v01: a
            # conflict, judged by the engine that took the first copy.
            f.write('{"waiver": "w2", "obligation": "village_monthly_activity", "unit": "t3-v01", '
                    '"period": "2022-01-15", "excuse": true}\r\n')
            f.write('{"waiver": "w1", "obligation": "village_monthly_activity", "unit": "t3-v01", '
                    '"period": "2022-02-15", "excuse": true}\r\n')
            f.write('{"id": "wander", "type": "activity", "time": "2023-05-02", "unit": "nowhere", "venue": "park", '
                    '"methods": []}\n')
            f.write('{"id": "wander", "type": "activity", "time": "2023-05-02", "unit": "t3-v01", "venue": "park", '
                    '"methods": []}\n')
            # Town 3's finance office moves to town 2; nothing of town 3 names it, and the
            # office's records go to town 2's.
            f.write('{"entity": "t3-fo1", "kind": "finance_office", "parent": "t2-goutang", "name": "迁入财政所", '
                    '"version": 1}\n')
        self.retractions = len(retractions) + 1
        self.files = [self.registry] + self.events


class ClusterTest(unittest.TestCase):
    """A LocalCluster of two worker processes for the class's tests, and its temporary directory."""

    @classmethod
    def start_cluster(cls):
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        cls.tmp.cleanup()


class DaskTest(ClusterTest):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.sample = Sample(cls.tmp.name)
        cls.source = goutang_by_towns()
        cls.plan = mandate.compile(cls.source, "goutang-towns.mandate")
        engine = mandate.Engine(cls.plan)
        for f in cls.sample.files:
            engine.add_jsonl(f)
        cls.engine = engine
        cls.start_cluster()

    def check(self, **options):
        return mandate.dask.check(self.plan, registry=[self.sample.registry], events=self.sample.events,
                                  client=self.client, block_bytes=256 << 10, **options)

    def test_the_plan_splits_at_the_town(self):
        self.assertEqual(self.plan.partitions["finest"], "town")

    def test_the_partitioned_report_is_one_engines_byte_for_byte(self):
        stats = {}
        got = self.check(as_of="2023-12-31", _stats=stats)
        one = self.engine.report_json("2023-12-31")
        self.assertEqual(got, one)
        report = json.loads(got)
        inputs = report["inputs"]
        # What the sample was made to hold, counted by hand from how it was made.
        self.assertGreaterEqual(inputs["duplicates"], 3)
        self.assertGreaterEqual(inputs["retractions"], self.sample.retractions)
        self.assertIn(("late.jsonl", "not valid JSON"),
                      {(os.path.basename(r["source"]), r["reason"].split(":")[0]) for r in report["rejected"]})
        self.assertIn(("late.jsonl", "duplicate key 'venue'"),
                      {(os.path.basename(r["source"]), r["reason"].split(":")[0]) for r in report["rejected"]})
        self.assertTrue(any(r["reason"].startswith("event id 't1-e") and "in conflict" in r["reason"]
                            for r in report["rejected"]), report["rejected"])
        self.assertEqual([w["waiver"] for w in report["unapplied_waivers"]], ["w1", "w2"])
        self.assertTrue(any(r["reason"] == "event id 'wander' is in conflict: records with this id differ"
                            for r in report["rejected"]), report["rejected"])
        self.assertFalse(any(r["source"].endswith("events-1.jsonl") and r["line"] == 1 for r in report["rejected"]),
                         "the byte order mark made the first record a rejection")
        # The moved units: their rows are where their standing versions put them.
        names = {r["unit"]: r["unit_name"] for r in report["results"]}
        self.assertEqual(names["t1-v02"], "迁入村")
        self.assertEqual(names["t3-fo1"], "迁入财政所")
        # Four partitions: three towns and the rest (the unregistered villages' events, the
        # lines that are no record). Towns 1 and 2 are joined by the moved village; town 3 and
        # the rest by the event whose first copy named no known unit and whose second names
        # t3-v01. Each engine read fewer records than there are.
        self.assertEqual(stats["level"], "town")
        self.assertEqual(stats["groups"], [["", "t3-goutang"], ["t1-goutang", "t2-goutang"]])
        total = inputs["read"]
        self.assertEqual(sum(stats["records"].values()), total)
        for part, n in stats["records"].items():
            self.assertLess(n, total, part)

    def test_the_default_as_of_is_the_latest_event_date_of_all_partitions(self):
        latest = self.engine.latest_event_date
        self.assertEqual(str(latest), "2023-12-31")
        self.assertEqual(self.check(), self.engine.report_json(latest))

    def test_a_worker_killed_mid_run_changes_nothing(self):
        marker = os.path.join(self.tmp.name, "killed")
        got = self.check(as_of="2023-09-30", _kill_once=("t1-goutang", marker))
        self.assertTrue(os.path.exists(marker), "the hook did not fire")
        self.assertEqual(got, self.engine.report_json("2023-09-30"))

    def test_a_level_the_plan_does_not_split_at_is_refused(self):
        with self.assertRaises(ValueError) as caught:
            self.check(as_of="2023-12-31", level="village")
        self.assertEqual(str(caught.exception), "the plan does not split at village: taskforce_formed is for each "
                                                "town, and not every town lies within a village")

    def test_a_plan_that_splits_nowhere_is_one_partition(self):
        with open(os.path.join(ROOT, "rules", "goutang-2023.mandate"), encoding="utf-8") as f:
            source = f.read()
        plan = mandate.compile(source, "goutang-2023.mandate")
        self.assertIsNone(plan.partitions["finest"])
        engine = mandate.Engine(plan)
        for f in self.sample.files:
            engine.add_jsonl(f)
        stats = {}
        got = mandate.dask.check(plan, registry=[self.sample.registry], events=self.sample.events, as_of="2023-12-31",
                                 client=self.client, _stats=stats)
        self.assertEqual(stats["records"], {"": engine.report("2023-12-31")["inputs"]["read"]})
        self.assertEqual(got, engine.report_json("2023-12-31"))


class ScanTest(unittest.TestCase):
    """Pass 1 scans JSON Lines in C++ (simdjson) and CSV rows in Python: the two agree on what
    each record is, its id, unit and the texts that may name units, and bucket ids alike."""

    LINES = [
        b'\xef\xbb\xbf{"entity": "t1", "kind": "town"}',  # the byte order mark starts the file
        b'{"entity": "v1", "kind": "village", "parent": "t1", "version": 2}\r',
        b'',
        b'  \t ',
        b'{"entity": "v2", "kind": 7, "parent": ["t1"], "version": 1.0}',
        b'{"entity": "v3", "kind": "village", "parent": "t1", "version": true}',
        b'{"entity": 5, "kind": "village"}',
        b'{"id": "e1", "type": "visit", "time": "2023-04-01", "unit": "v1", "households": ["h1", 3, "h2"], '
        b'"note": "v2", "nested": {"x": "v3"}, "people": 3}',
        b'{"id": 12, "unit": "v1"}',
        b'{"id": "e2", "unit": 4, "venue": "\u8001\u9547"}',
        b'{"waiver": "w1", "obligation": "monthly", "unit": "v2", "period": "2023-04-01", "reason": "v3"}',
        b'{"retract": "e1"}',
        b'{"retract": 9}',
        b'{"retract": "e2", "entity": "v9"}',
        b'[1, 2]',
        b'"text"',
        b'{"id": "cut", ',
        b'{"id": "bad", "unit": "\xff"}',
        b'{"id": "deep", "unit": "v1", "x": ' + b'[' * 40 + b']' * 40 + b'}',
    ]

    def test_the_cpp_and_python_scans_agree(self):
        data = b"\n".join(self.LINES) + b"\n"
        with tempfile.TemporaryDirectory() as d:
            path = write(d, "lines.jsonl", data)
            block = (0, path, 0, len(data), False, None)
            count, items = mandate.dask._items(block, "", "")
            (py_count, py_entities), py_facts, py_ids = mandate.dask._scan_items(count, items, 3, False)
        cpp_count, cpp_entities, cpp_facts, cpp_ids = mandate.dask._scan_jsonl(data, True, 3,
                                                                                sorted(mandate.dask.SKIP_KEYS))
        self.assertEqual(cpp_count, len(self.LINES))
        self.assertEqual(py_count, cpp_count)
        self.assertEqual(py_entities, cpp_entities)
        # The texts are a set of candidates: their order differs.
        norm = lambda facts: [f[:6] + (sorted(f[6]),) for f in facts]
        self.assertEqual(norm(py_facts), norm(cpp_facts))
        self.assertEqual(py_ids, cpp_ids)
        # Worked out by hand: entities t1 (version 0), v1 (2), v2 (kind and parent not text,
        # version 1.0 not whole: 0), v3 (version true: 0); entity 5 is none.
        self.assertEqual(cpp_entities, [("t1", "town", None, 0), ("v1", "village", "t1", 2), ("v2", None, None, 0),
                                        ("v3", "village", "t1", 0)])
        what = {f[0]: (f[3], f[4], f[5]) for f in cpp_facts}
        self.assertEqual(sorted(what), [0, 1] + list(range(4, 19)))  # lines 2 and 3 are blank
        self.assertEqual(what[7], ("i", "e1", "v1"))
        self.assertEqual(sorted(next(f[6] for f in cpp_facts if f[0] == 7)), ["h1", "h2", "v1", "v2"])
        self.assertEqual(what[8], ("i", None, "v1"))
        self.assertEqual(what[9], ("i", "e2", None))
        self.assertEqual(what[10], ("i", "w1", "v2"))
        self.assertEqual([what[n] for n in (11, 12, 13)], [("r", "e1", None), ("r", None, None), ("r", "e2", None)])
        self.assertEqual([what[n][0] for n in (14, 15, 16, 17)], ["-", "-", "-", "-"])
        self.assertEqual(what[18], ("i", "deep", "v1"))
        # Every id and retraction in its bucket, in file order.
        self.assertEqual(sorted((x for b in cpp_ids for x in b), key=repr),
                         sorted([("e1", "v1", False), ("e2", None, False), ("w1", "v2", False), ("e1", None, True),
                                 ("e2", None, True), ("deep", "v1", False)], key=repr))
        for b, ids in enumerate(cpp_ids):
            for event_id, _, _ in ids:
                self.assertEqual(mandate.dask._bucket_of(event_id, 3), b)

    def test_a_key_given_twice_counts_first_in_cpp(self):
        # Python's json keeps the last; the engine rejects the record wherever it goes.
        _, _, facts, _ = mandate.dask._scan_jsonl(b'{"id": "a", "unit": "v1", "unit": "v2"}', True, 1, [])
        self.assertEqual(facts[0][5], "v1")


VILLAGE_PLAN = """plan p { timezone "+08:00" }
phase c "c" from 2023-04-01 to 2023-06-30
kind town "镇"
kind village "村" within town
kind household "户" within village
event activity "活动" { venue: text }
event visit "走访" { household: ref household }
obligation monthly { each v: village  during c  every month  require count(activity of v) >= 1 }
obligation visits { each v: village  during c  require coverage(visit.household, household within v) >= 100% }
"""

# The same, with a rule for each town: it splits at the town.
TOWN_PLAN = VILLAGE_PLAN + \
    "obligation town_total { each t: town  during c  every month  require count(activity of t) >= 2 }\n"


def write(directory: str, name: str, data: bytes) -> str:
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def one_engine(plan, files, as_of):
    """One engine's report on the files, read as mandate check reads them."""
    engine = mandate.Engine(plan)
    for f in files:
        if isinstance(f, tuple):
            engine.add_csv(f[1], type=f[0])
        elif f.endswith(".csv"):
            engine.add_csv(f)
        else:
            engine.add_jsonl(f)
    return engine.report_json(as_of)


class HandMadeTest(ClusterTest):
    """Small records written by hand, for what the generated towns do not hold: a plan split
    at the village, below the towns (sent to each village's engine as shadows); CSV files; a
    unit that moves cleanly and one whose highest version is in conflict; a line that is not
    UTF-8; a town inside a town."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        # T1 carries a field its kind does not declare; T2's version 1 gives `name` twice.
        cls.towns = write(d, "towns.jsonl",
                          '{"entity": "T1", "kind": "town", "name": "一镇", "mayor": "x"}\n'
                          '{"entity": "T2", "kind": "town", "name": "T2"}\n'
                          '{"entity": "T2", "kind": "town", "name": "T2b", "name": "T2c", "version": 1}\n'.encode())
        # Each village row has a `leader` its kind does not declare.
        cls.villages = write(d, "villages.csv", b"entity,kind,parent,name,leader\n"
                             b"V1,village,T1,v1,a\nV2,village,T1,v2,b\nV3,village,T2,v3,c\nV4,village,T2,v4,d\n")
        # H2 moves from V1 to V2 (version 1 stands). H3's two versions 1 differ: both are
        # rejected, and its version 0 (under V3) stands.
        cls.households = write(d, "households.jsonl",
                               b'{"entity": "H1", "kind": "household", "parent": "V1"}\n'
                               b'{"entity": "H2", "kind": "household", "parent": "V1"}\n'
                               b'{"entity": "H2", "kind": "household", "parent": "V2", "version": 1}\n'
                               b'{"entity": "H3", "kind": "household", "parent": "V3"}\n'
                               b'{"entity": "H3", "kind": "household", "parent": "V4", "name": "a", "version": 1}\n'
                               b'{"entity": "H3", "kind": "household", "parent": "V4", "name": "b", "version": 1}\n')
        cls.events = write(d, "events.jsonl",
                           b'{"id": "e1", "type": "activity", "time": "2023-04-03", "unit": "V1", "venue": "hall"}\n'
                           b'{"id": "e2", "type": "activity", "time": "2023-05-03", "unit": "V2", "venue": "hall"}\n'
                           b'{"id": "e3", "type": "activity", "time": "2023-04-05", "unit": "V3", "venue": "hall"}\n'
                           b'{"id": "e4", "type": "activity", "time": "2023-06-05", "unit": "V4", "venue": "hall"}\n'
                           b'{"id": "e5", "type": "visit", "time": "2023-05-10", "unit": "V2", "household": "H2"}\n'
                           b'{"id": "e6", "type": "visit", "time": "2023-05-11", "unit": "V3", "household": "H3"}\n'
                           b'{"id": "e7", "type": "activity", "time": "2023-04-02", "unit": "V1", "venue": "\xff"}\n')
        # Activities as CSV: one good row, one with a time that is none, one cut short.
        cls.activity = write(d, "activity.csv", b"id,time,unit,venue\n"
                             b"e8,2023-05-08,V4,square\ne10,someday,V1,square\ne9,2023-05-03,V1,\"unclosed\n")
        cls.start_cluster()

    def test_split_at_the_village_with_csv_moves_and_shadows(self):
        plan = mandate.compile(VILLAGE_PLAN, "village.mandate")
        self.assertEqual(plan.partitions["finest"], "village")
        registry = [self.towns, self.villages, self.households]
        stats = {}
        got = mandate.dask.check(plan, registry=registry, events=[self.events, "activity=" + self.activity],
                                 as_of="2023-06-30", client=self.client, _stats=stats)
        self.assertEqual(got, one_engine(plan, registry + [self.events, ("activity", self.activity)], "2023-06-30"))
        # The tuple form names the CSV file's type as "TYPE=FILE" does.
        self.assertEqual(got, mandate.dask.check(plan, registry=registry, events=[self.events, ("activity", self.activity)],
                                                 as_of="2023-06-30", client=self.client))
        report = json.loads(got)
        # 3 towns + 4 villages + 6 households + 7 event lines + 3 CSV rows; the entities less the
        # three rejected (T2's version 1, H3's two versions 1); e1-e6 and e8 applied.
        self.assertEqual(report["inputs"], {"read": 23, "entities": 10, "applied": 7, "duplicates": 0, "retracted": 0,
                                            "retractions": 0, "unresolved": 0, "rejected": 6, "waivers": 0})
        self.assertEqual([(os.path.basename(r["source"]), r["line"], r["reason"]) for r in report["rejected"]], [
            ("activity.csv", 3, "field 'time' must be a date or a date-time like 2023-04-15T09:30:00+08:00, not 'someday'"),
            ("activity.csv", 4, "a quoted cell is not closed"),
            ("events.jsonl", 7, "not valid UTF-8 (byte 80 of the record)"),
            ("households.jsonl", 5, "entity 'H3' version 1 is in conflict: records with this version differ"),
            ("households.jsonl", 6, "entity 'H3' version 1 is in conflict: records with this version differ"),
            ("towns.jsonl", 3, "duplicate key 'name'")])
        # T1 reached the engines of V1 and V2 as a shadow: its `mayor` still counts once.
        self.assertEqual(report["ignored_fields"], [{"kind": "town", "field": "mayor", "records": 1},
                                                    {"kind": "village", "field": "leader", "records": 4}])
        # Coverage of households: H1 alone under V1 (H2 moved to V2, and was visited there);
        # H3 under V3, where its version 0 stands.
        coverage = {r["unit"]: r["evidence"]["coverage"] for r in report["results"] if r["obligation"] == "visits"}
        self.assertEqual(coverage["V1"], {"covered": 0, "of": 1, "missing": ["H1"]})
        self.assertEqual(coverage["V2"], {"covered": 1, "of": 1, "missing": []})
        self.assertEqual(coverage["V3"], {"covered": 1, "of": 1, "missing": []})
        # H2's move is certain: V1 and V2 stay apart. H3's highest version is in conflict, so
        # the villages its versions name (V3, V4) are evaluated by one engine. The towns and the
        # lines that are no record are the rest.
        self.assertEqual(stats["groups"], [[""], ["V1"], ["V2"], ["V3", "V4"]])

    def test_a_town_inside_a_town_goes_with_the_outer_one(self):
        # T2 lies inside T1 (a kind without `within` takes any parent): T1's total counts V2's
        # activity, so T2 goes to T1's partition. T3 stands alone. T8 and T9 lie inside each
        # other: split, each would miss its parent rather than be in a cycle.
        d = self.tmp.name
        registry = write(d, "nested.jsonl",
                         b'{"entity": "T1", "kind": "town"}\n{"entity": "T2", "kind": "town", "parent": "T1"}\n'
                         b'{"entity": "T3", "kind": "town"}\n{"entity": "V1", "kind": "village", "parent": "T1"}\n'
                         b'{"entity": "V2", "kind": "village", "parent": "T2"}\n'
                         b'{"entity": "V3", "kind": "village", "parent": "T3"}\n'
                         # Two towns each inside the other: neither is resolved, nor V8 under them.
                         b'{"entity": "T8", "kind": "town", "parent": "T9"}\n'
                         b'{"entity": "T9", "kind": "town", "parent": "T8"}\n'
                         b'{"entity": "V8", "kind": "village", "parent": "T8"}\n')
        # A CSV file with a type column.
        events = write(d, "nested-events.csv", b"id,type,time,unit,venue\n"
                       b"a1,activity,2023-04-03,V1,hall\na2,activity,2023-04-04,V2,hall\n"
                       b"a3,activity,2023-04-05,V3,hall\n")
        plan = mandate.compile(TOWN_PLAN, "town.mandate")
        self.assertEqual(plan.partitions["finest"], "town")
        stats = {}
        got = mandate.dask.check(plan, registry=[registry], events=[events], as_of="2023-04-30", client=self.client, _stats=stats)
        self.assertEqual(got, one_engine(plan, [registry, events], "2023-04-30"))
        report = json.loads(got)
        totals = {r["unit"]: r["value"] for r in report["results"] if r["obligation"] == "town_total"}
        self.assertEqual(totals, {"T1": 2, "T2": 1, "T3": 1})
        self.assertEqual([u["entity"] for u in report["unresolved_entities"]], ["T8", "T9", "V8"])
        # T8, T9 and V8 lie under no town: they are the rest, together.
        self.assertEqual(stats["groups"], [[""], ["T1"], ["T3"]])

    def test_what_cannot_be_read_is_refused_before_anything_runs(self):
        plan = mandate.compile(VILLAGE_PLAN, "village.mandate")
        gz = write(self.tmp.name, "events.jsonl.gz", b"\x1f\x8b\x08\x00rest")
        with self.assertRaises(ValueError) as caught:
            mandate.dask.check(plan, events=[gz], client=self.client)
        self.assertEqual(str(caught.exception), f"{gz} is compressed: mandate.dask reads plain files (decompress it first)")
        with self.assertRaises(ValueError) as caught:
            mandate.dask.check(plan, events=[("meeting", self.activity)], client=self.client)
        self.assertIn("the plan has no event type 'meeting'", str(caught.exception))
        with self.assertRaises(FileNotFoundError):
            mandate.dask.check(plan, events=[os.path.join(self.tmp.name, "absent.jsonl")], client=self.client)


class MemoryTest(unittest.TestCase):
    def test_a_partition_too_large_for_a_worker_names_it(self):
        with tempfile.TemporaryDirectory() as d:
            registry, events = os.path.join(d, "registry.jsonl"), os.path.join(d, "events.jsonl")
            subprocess.run([GENERATE, "--towns", "2", "--villages", "200", "--registry", registry, "--events", events],
                           check=True)
            source = goutang_by_towns()
            plan = mandate.compile(source, "goutang-towns.mandate")
            # 200 villages: about 20 MB of records a town, some 160 MB in an engine: more than
            # the 80% of a 150 MB worker it may use, whatever Python and Dask take of it.
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="150MB",
                              dashboard_address=None) as cluster, Client(cluster) as client:
                with self.assertRaises(mandate.dask.PartitionError) as caught:
                    mandate.dask.check(plan, registry=[registry], events=[events], as_of="2023-12-31",
                                       client=client, block_bytes=1 << 20)
        message = str(caught.exception)
        self.assertTrue(message.startswith("partition t1-goutang holds "), message)
        self.assertIn("more than a worker's memory limit of 150 MB allows", message)
        self.assertIn("split at a finer level or give workers more memory", message)


if __name__ == "__main__":
    ROOT, GENERATE = sys.argv[1], sys.argv[2]
    del sys.argv[1:3]
    unittest.main()
