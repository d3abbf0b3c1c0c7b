"""A host in Python: compiles a plan, is told of every bucket that turns violated or outcome
that fires as records arrive, adds a JSON Lines file record by record as Python values, and
prints the report as of a date.

Usage: python3 host.py RULES RECORDS AS_OF
"""
import json
import sys
from decimal import Decimal

import mandate


def alert(change: mandate.StatusChange) -> None:
    """Called inside add() for every bucket that changed."""
    where = f"{change.rule} {change.unit or '-'} {change.period['from']}..{change.period['to']}"
    if not change.outcome and change.after == "violated":
        print("violated:", where, file=sys.stderr)
    if change.outcome and change.fired_after and not change.fired_before:
        print("fired:", where, file=sys.stderr)


def unique_keys(pairs: list) -> dict:
    """A JSON object as a dict; json.loads would keep the last of a key given twice, where the
    engine rejects the record."""
    record = dict(pairs)
    if len(record) != len(pairs):
        raise ValueError("duplicate key")
    return record


def main(rules_path: str, records_path: str, as_of: str) -> int:
    with open(rules_path, encoding="utf-8") as f:
        rules = f.read()
    # 1. Compile once: the plan, or RuleError with every diagnostic.
    try:
        plan = mandate.compile(rules, rules_path)
    except mandate.RuleError as e:
        print(e, end="", file=sys.stderr)
        print(f"first error at line {e.line}, column {e.column}: {e.message}", file=sys.stderr)
        return 2

    # 2. An engine, and a subscriber.
    engine = mandate.Engine(plan)
    engine.on_change(alert)

    # 3. Records as dicts of Python values, numbered like lines so rejections can be found.
    with open(records_path, encoding="utf-8", newline="\n") as f:
        for number, line in enumerate(f, 1):
            text = line.rstrip("\n").removesuffix("\r")
            if not text.strip(" \t"):
                continue  # a blank line is not a record
            try:
                # Exact (0.1 stays 1/10), and a key given twice is an error, not the last value.
                record = json.loads(text, parse_float=Decimal, object_pairs_hook=unique_keys)
                engine.add(record, source=records_path, line=number)
            except (ValueError, TypeError):
                # Not JSON, a key twice, or not shaped like a record: hand over the text, which
                # the engine rejects with its reason and counts.
                engine.add(text, source=records_path, line=number)

    # 4. The report as of a date, as the same JSON text C and C++ hosts get.
    sys.stdout.write(engine.report_json(as_of))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(1)
    sys.exit(main(*sys.argv[1:]))
