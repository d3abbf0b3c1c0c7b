"""The Python module: compile, Engine.add/add_many/add_jsonl/report, RuleError with positions."""
import os
import sys
import tempfile
import unittest

import mandate

PLAN = """plan c { timezone "+08:00" }
phase campaign "c" from 2023-04-01 to 2023-05-31
kind village "行政村"
event activity "活动" { venue: text }
obligation monthly "每月" {
  each v: village
  during campaign
  every month
  require count(activity of v) >= 1
}
"""


class PythonModuleTest(unittest.TestCase):
    def test_compile_and_report(self):
        plan = mandate.compile(PLAN, "c.mandate")
        self.assertEqual(plan.id, "c")
        self.assertEqual(plan.obligations, ["monthly"])
        engine = mandate.Engine(plan)
        self.assertTrue(engine.add('{"entity": "v1", "kind": "village"}'))
        accepted = engine.add_many([
            '{"id": "a", "type": "activity", "time": "2023-04-03", "unit": "v1", "venue": "park"}',
            '{"id": "b", "type": "activity", "time": "2023-05-40", "unit": "v1", "venue": "park"}',
        ])
        self.assertEqual(accepted, 1)
        report = engine.report("2023-06-15")
        rows = [(r["period"]["from"], r["status"], r["value"]) for r in report["results"]]
        # April has "a"; May has nothing (the second record's date is not a date).
        self.assertEqual(rows, [("2023-04-01", "satisfied", 1), ("2023-05-01", "violated", 0)])
        self.assertEqual(report["inputs"]["read"], 3)
        self.assertEqual(report["inputs"]["rejected"], 1)

    def test_add_jsonl(self):
        engine = mandate.Engine(mandate.compile(PLAN))
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
            f.write('{"entity": "v1", "kind": "village"}\n\n')
            f.write('{"id": "a", "type": "activity", "time": "2023-05-03", "unit": "v1", "venue": "x"}\n')
        try:
            self.assertEqual(engine.add_jsonl(f.name), 2)
        finally:
            os.unlink(f.name)
        import datetime
        report = engine.report(datetime.date(2023, 5, 3))
        self.assertEqual([r["status"] for r in report["results"]], ["violated", "satisfied"])

    def test_rule_error(self):
        with self.assertRaises(mandate.RuleError) as caught:
            mandate.compile('plan p {}\nphase x "x" from 2023-04-01 2023-05-01\n', "bad.mandate")
        error = caught.exception
        self.assertEqual((error.line, error.column), (2, 29))
        self.assertIn("expected 'to'", str(error))
        self.assertEqual(error.diagnostics[0][:2], (2, 29))


if __name__ == "__main__":
    sys.argv = sys.argv[:1]
    unittest.main()
