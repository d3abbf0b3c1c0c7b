# Typing stubs for the mandate package (the extension module mandate._mandate re-exported).
# tests/bindings/test_python.py checks that they name exactly what the module defines.
import datetime
import os
from decimal import Decimal
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, TypedDict, Union

__version__: str

# A record: a dict of Python values (int, float, Decimal, bool, str, datetime.date, lists and
# sets of them, None for absent: docs/embedding.md, "Python values"), or one JSON object as text.
Record = Union[Dict[str, Any], str, bytes]
DateLike = Union[datetime.date, str]

Period = TypedDict("Period", {"from": str, "to": str})

class Evidence(TypedDict, total=False):
    events: List[str]
    event_count: int
    measures: dict[str, Any]
    gap: dict[str, Any]
    ratio: dict[str, Any]
    coverage: dict[str, Any]

class ResultRow(TypedDict):
    obligation: str
    unit: Optional[str]
    period: Period
    status: str
    met: bool
    at_risk: bool
    value: Union[int, Decimal, str, bool, None]
    reason: Optional[str]
    evidence: Evidence
    cite: List[str]

class OutcomeRow(TypedDict):
    outcome: str
    unit: Optional[str]
    period: Period
    fired: bool
    final: bool
    final_on: Optional[str]
    evidence: Evidence
    cite: List[str]

class Inputs(TypedDict):
    read: int
    entities: int
    applied: int
    duplicates: int
    retracted: int
    retractions: int
    unresolved: int
    rejected: int

class Rejection(TypedDict):
    source: str
    line: int
    reason: str

class IgnoredField(TypedDict):
    type: str
    field: str
    records: int

# What Engine.report() and Report.to_dict() give.
class ReportDict(TypedDict):
    schema: str
    plan: str
    revision: str
    as_of: str
    results: List[ResultRow]
    outcomes: List[OutcomeRow]
    inputs: Inputs
    rejected: List[Rejection]
    ignored_fields: List[IgnoredField]

class RuleError(ValueError):
    line: int
    column: int
    message: str
    diagnostics: List[Tuple[int, int, str]]

class StateError(OSError): ...

class PartitionLevel(TypedDict):
    kind: str
    splits: bool
    reason: Optional[str]
    under: List[str]
class Partitions(TypedDict):
    finest: Optional[str]
    refused: List[str]
    levels: List[PartitionLevel]
class Kind(TypedDict):
    id: str
    parents: List[str]
    fields: List[str]
class Plan:
    @property
    def id(self) -> str: ...
    @property
    def revision(self) -> str: ...
    @property
    def obligations(self) -> List[str]: ...
    @property
    def outcomes(self) -> List[str]: ...
    @property
    def event_types(self) -> List[str]: ...
    @property
    def source(self) -> str: ...
    @property
    def name(self) -> str: ...
    def dot(self) -> str: ...
    @property
    def kinds(self) -> List[Kind]: ...
    @property
    def partitions(self) -> Partitions: ...

# lang: "zh" (the default) or "en" (also "zh-CN", "en-US", ...); anything else: ValueError.
class Report:
    @property
    def plan(self) -> str: ...
    @property
    def revision(self) -> str: ...
    @property
    def as_of(self) -> datetime.date: ...
    def unit_name(self, id: str) -> Optional[str]: ...
    def to_dict(self) -> ReportDict: ...
    def to_json(self) -> str: ...
    def to_csv(self, *, raw: bool = False) -> str: ...
    def to_table(self, lang: str = "zh", *, width: int = 100, colour: bool = False, max_details: int = 12) -> str: ...
    def to_html(self, lang: str = "zh") -> str: ...
    def to_xlsx(self, path: str | os.PathLike[str], lang: str = "zh") -> None: ...
    # Exactly one of obligation and outcome; unit None only for a rule without `each`.
    def explain(self, obligation: Optional[str] = None, *, outcome: Optional[str] = None, unit: Optional[str] = None,
                period: Union[datetime.date, str, None] = None, lang: str = "zh") -> str: ...

class StatusChange:
    @property
    def outcome(self) -> bool: ...
    @property
    def rule(self) -> str: ...
    @property
    def unit(self) -> Optional[str]: ...
    @property
    def period(self) -> Period: ...
    @property
    def before(self) -> Optional[str]: ...
    @property
    def after(self) -> Optional[str]: ...
    @property
    def fired_before(self) -> Optional[bool]: ...
    @property
    def fired_after(self) -> Optional[bool]: ...
    @property
    def final_before(self) -> Optional[bool]: ...
    @property
    def final_after(self) -> Optional[bool]: ...

class Engine:
    def __init__(self, plan: Plan, *, evidence: bool = True, evidence_limit: int = 20, threads: int = 0,
                 block_bytes: int = 1048576) -> None: ...
    @property
    def plan(self) -> Plan: ...
    def add(self, record: Record, source: str = "", line: int = 0) -> bool: ...
    # A str, bytes or bytearray is one record, not an iterable of records: TypeError.
    def add_many(self, records: Iterable[Record], source: str = "") -> int: ...
    def add_jsonl(self, path: Union[str, os.PathLike[str]], source: Optional[str] = None) -> int: ...
    def add_csv(self, path: Union[str, os.PathLike[str]], type: Optional[str] = None, source: Optional[str] = None) -> int: ...
    # JSON records that are lines of a file read elsewhere, record i numbered lines[i].
    def add_lines(self, records: Sequence[Union[bytes, str]], source: str, lines: Sequence[int]) -> int: ...
    # A record the host could not read, counted as rejected with `reason` (a non-empty str).
    def add_unreadable(self, reason: str, source: str = "", line: int = 0) -> None: ...
    # event_id must be a str (bytes: TypeError), as in add({"retract": ...}).
    def retract(self, event_id: str, source: str = "", line: int = 0) -> bool: ...
    @property
    def last_error(self) -> str: ...
    def report(self, as_of: DateLike) -> ReportDict: ...
    def report_json(self, as_of: DateLike) -> str: ...
    def evaluate(self, as_of: DateLike) -> Report: ...
    def save(self, path: Union[str, os.PathLike[str]], host: bytes = b"") -> None: ...
    def restore(self, path: Union[str, os.PathLike[str]]) -> bytes: ...
    @property
    def latest_event_date(self) -> Optional[datetime.date]: ...
    def on_change(self, callback: Callable[[StatusChange], object]) -> int: ...
    def unsubscribe(self, token: int) -> None: ...
    @property
    def watch_date(self) -> Optional[datetime.date]: ...
    @watch_date.setter
    def watch_date(self, as_of: Optional[DateLike]) -> None: ...

def compile(source: str, name: str = "<rules>") -> Plan: ...
def compile_file(path: Union[str, os.PathLike[str]]) -> Plan: ...
# Each row of a CSV file as Engine.add_csv() reads it: (line, JSON record or None, reason or None).
def csv_records(plan: Plan, path: Union[str, os.PathLike[str]],
                type: Optional[str] = None) -> List[Tuple[int, Optional[str], Optional[str]]]: ...
