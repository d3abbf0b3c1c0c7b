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


class DaskTest(unittest.TestCase):
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
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        cls.tmp.cleanup()

    def check(self, **options):
        return mandate.dask.check(self.plan, registry=[self.sample.registry], events=self.sample.events,
                                  client=self.client, source=self.source, name="goutang-towns.mandate",
                                  block_bytes=256 << 10, **options)

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
                                 client=self.client, source=source, _stats=stats)
        self.assertEqual(stats["records"], {"": engine.report("2023-12-31")["inputs"]["read"]})
        self.assertEqual(got, engine.report_json("2023-12-31"))


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
                                       client=client, source=source, block_bytes=1 << 20)
        message = str(caught.exception)
        self.assertTrue(message.startswith("partition t1-goutang holds "), message)
        self.assertIn("more than a worker's memory limit of 150 MB allows", message)
        self.assertIn("split at a finer level or give workers more memory", message)


if __name__ == "__main__":
    ROOT, GENERATE = sys.argv[1], sys.argv[2]
    del sys.argv[1:3]
    unittest.main()
