"""mandate: a rules engine for the obligations in government work plans.

    import mandate

    plan = mandate.compile_file("goutang-2023.mandate")
    engine = mandate.Engine(plan)
    engine.add({"entity": "v01", "kind": "village", "parent": "goutang"})
    engine.add_csv("registry.csv")
    engine.add_jsonl("events.jsonl")
    report = engine.report("2023-12-31")   # the mandate.report/1 contract as dicts and lists
    print(engine.evaluate("2023-12-31").to_table())   # as `mandate check --format table`

A Plan is immutable and may be shared between threads and engines; an Engine holds all
mutable state and is used from one thread at a time. docs/embedding.md describes how Python
values map to record values.
"""

from ._mandate import Engine, Plan, Report, RuleError, StateError, StatusChange, __version__, compile, compile_file, csv_records

__all__ = ["Engine", "Plan", "Report", "RuleError", "StateError", "StatusChange", "__version__", "compile",
           "compile_file", "csv_records"]
