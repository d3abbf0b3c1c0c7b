"""The Python package on schedules that end on 9999-12-31, the calendar's last day: compile,
add_jsonl (with an on_change subscriber, so records are judged as they arrive) and report finish
with the buckets worked out below. A month, quarter or year ending there once made the cutting of
the window loop forever, growing without bound; this process limits its own address space (not
in sanitizer builds) so a regression fails with MemoryError instead of exhausting the machine,
and ctest's TIMEOUT ends a hang.

The plan: December 9999 as its one phase; villages v1 (an activity on 9999-12-05) and v2; every
period holding December 9999 is clipped to 9999-12-01..9999-12-31, one bucket per village, which
cannot close by 9999-12-31 (it closes the day after): v1's count >= 1 is satisfied early, v2's
pending; a streak over December counts no closed month, 0, and waits.

usage: calendar_edges.py   (with the built package on PYTHONPATH)
"""
import os
import resource
import sys
import tempfile
import unittest

import mandate

if not os.environ.get("MANDATE_SANITIZE"):
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

PLAN = """plan edge {{ title "edge" }}
phase last "last" from 9999-12-01 to 9999-12-31
kind village "village"
event activity "activity" {{ venue: text }}
obligation monthly "monthly" {{
  each v: village
  during last
  {schedule}
  require {condition} }}
"""
COUNT = "count(activity of v) >= 1"
STREAK = "streak(month, count(activity of v) >= 1) >= 1"
EVENTS = '{"id": "e1", "type": "activity", "time": "9999-12-05", "unit": "v1", "venue": "park"}\n'


class CalendarEdges(unittest.TestCase):
    def run_plan(self, schedule, condition):
        plan = mandate.compile(PLAN.format(schedule=schedule, condition=condition), "edge.mandate")
        engine = mandate.Engine(plan)
        changes = []
        engine.on_change(changes.append)
        for record in ({"entity": "v1", "kind": "village"}, {"entity": "v2", "kind": "village"}):
            self.assertTrue(engine.add(record), engine.last_error)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "events.jsonl")
            with open(path, "w") as f:
                f.write(EVENTS)
            self.assertEqual(engine.add_jsonl(path), 1)
        report = engine.report("9999-12-31")
        return [(r["unit"], r["period"]["from"], r["period"]["to"], r["status"], r["value"]) for r in report["results"]]

    def test_periods_ending_on_the_last_day(self):
        for schedule in ("every month", "every quarter", "every year"):
            with self.subTest(schedule=schedule):
                self.assertEqual(self.run_plan(schedule, COUNT),
                                 [("v1", "9999-12-01", "9999-12-31", "satisfied", 1),
                                  ("v2", "9999-12-01", "9999-12-31", "pending", 0)])

    def test_streak_of_months_ending_on_the_last_day(self):
        self.assertEqual(self.run_plan("by 9999-12-31", STREAK),
                         [("v1", "9999-12-01", "9999-12-31", "pending", 0),
                          ("v2", "9999-12-01", "9999-12-31", "pending", 0)])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
