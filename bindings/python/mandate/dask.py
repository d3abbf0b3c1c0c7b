"""A plan evaluated in partitions of its unit hierarchy, on a Dask cluster.

    import mandate, mandate.dask
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=2) as cluster, Client(cluster) as client:
        plan = mandate.compile_file("plan.mandate")
        text = mandate.dask.check(plan, registry=["registry.jsonl", "units.csv"],
                                  events=["events.jsonl", "activity=activity.csv"],
                                  as_of="2023-12-31", client=client)

The plan's partition level (``plan.partitions["finest"]``, ``mandate graph --partitions``)
says where the hierarchy splits: each unit of that kind, with the units under it and their
events, is one partition, evaluated by one engine on a worker; what lies under no such unit
(the units above it, records naming an unknown unit, lines that are no record) is one more
partition, "". The partial reports merge into the report one engine gives on the same records,
byte for byte (the mandate.report/1 JSON text).

How records are routed, in two passes over blocks of the files (Dask tasks; each engine gets
only its partition's records):

1. Each block is scanned for entity records (id, kind, parent, version) and event and waiver
   ids with their unit. The client then places every unit by its standing version: under the
   outermost unit of the partition kind its parents lead to. A unit whose versions would put
   it in different partitions has its records judged as an engine judges them; where the
   version that stands is not certain (two records of the highest version differ), the
   partitions its versions lead to are evaluated together. An event or a waiver goes where its
   id was first seen: a second copy, or a conflicting one, reaches the engine that judged the
   first, whatever unit it names; a retraction goes where its id is.
2. Each block is split by partition. The units above a partition's unit (its ancestors, by
   every version) are sent to it too, as shadows, as their files hold them: counted once in
   the merged report, their rows, rejections and ignored fields taken from their own
   partition only.

A record naming units of two partitions (an event of one whose ref field names a unit of
another: a village that moved to another town, named by its old town's training record) joins
them: they are evaluated together by one engine.

Files are JSON Lines, split into blocks of `block_bytes`, or CSV (FILE.csv; the events of one
type as ("TYPE", FILE) or "TYPE=FILE", as the command line takes them), read whole by one task
each: where a CSV row begins depends on every quote before it. Compressed files are refused;
CSV files are read as UTF-8 (the command line's --encoding has no counterpart here).
"""
import datetime
import json
import os
import time
import warnings
import zlib
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import mandate
from mandate._mandate import _scan_jsonl

__all__ = ["check", "PartitionError"]

REST = ""  # the partition of what lies under no unit of the partition kind

PathLike = Union[str, "os.PathLike[str]"]


class PartitionError(RuntimeError):
    """A partition could not be evaluated: too large for a worker's memory, or its worker died
    more often than the scheduler allows. str(e) names the partition."""


class _Box:
    """A value passed between tasks (or to the client) whole. Dask serializes a bare list or
    tuple element by element: a list of 30 000 records takes about a second from one worker to
    another, pickled whole some milliseconds."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __getstate__(self):
        return (self.value,)  # never false: pickle skips __setstate__ for a false state

    def __setstate__(self, state):
        self.value = state[0]


# ---------------------------------------------------------------------------------- reading


COMPRESSED = (b"\x1f\x8b", b"\x28\xb5\x2f\xfd")  # gzip, zstd


class _File:
    """One record file as `mandate check` names it: JSON Lines, or CSV (FILE.csv, or the
    events of one type: ("TYPE", FILE) or "TYPE=FILE")."""

    def __init__(self, spec: Union[PathLike, Tuple[str, PathLike]], plan: "mandate.Plan"):
        self.type: Optional[str] = None
        if isinstance(spec, tuple):
            self.type, path = spec[0], os.fspath(spec[1])
        else:
            path = os.fspath(spec)
            head, eq, tail = path.partition("=")
            if eq and head.isidentifier() and head.isascii() and not os.path.exists(path):
                self.type, path = head, tail
        if self.type is not None and self.type not in plan.event_types:
            raise ValueError(f"the plan has no event type '{self.type}' (in {spec!r})")
        self.path = path
        self.csv = self.type is not None or path.lower().endswith(".csv")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"cannot read {path}")
        with open(path, "rb") as f:
            if f.read(4).startswith(COMPRESSED):
                raise ValueError(f"{path} is compressed: mandate.dask reads plain files (decompress it first)")


def _blocks(files: Sequence[_File], block_bytes: int) -> List[tuple]:
    """(file index, path, start, end, csv, type) byte ranges that begin and end at line
    boundaries. A CSV file is one block: where its rows begin depends on every quote before."""
    out = []
    for index, file in enumerate(files):
        path = file.path
        size = os.path.getsize(path)
        if file.csv:
            out.append((index, path, 0, size, True, file.type))
            continue
        start = 0
        with open(path, "rb") as f:
            while start < size:
                end = min(size, start + block_bytes)
                if end < size:
                    f.seek(end)
                    rest = f.readline()
                    end += len(rest)
                out.append((index, path, start, end, False, None))
                start = end
        if size == 0:
            out.append((index, path, 0, 0, False, None))
    return out


def _read(path: str, start: int, end: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(start)
        return f.read(end - start)


def _lines(path: str, start: int, end: int) -> List[bytes]:
    """The block's lines as an engine reads them: without the line end (one CR before the LF
    is part of it) and, at the start of the file, without a UTF-8 byte order mark."""
    data = _read(path, start, end)
    if start == 0 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [l[:-1] if l.endswith(b"\r") else l for l in lines]


def _is_blank(line: bytes) -> bool:
    return not line.strip(b" \t")


_decode = json.JSONDecoder().decode


def _record(line: Union[bytes, str]) -> Optional[dict]:
    """The record a line holds, or None (not UTF-8, not JSON, not an object)."""
    try:
        value = _decode(line.decode("utf-8") if isinstance(line, bytes) else line)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _items(block: tuple, source: str, name: str) -> Tuple[int, list]:
    """A block's lines, and its records as (line, payload, record, reason): a JSON Lines
    block's lines (numbered from 0 in the block) as bytes; a CSV file's rows (numbered by the
    line they start on) as the JSON text each stands for, or, for a row that is none, the
    reason (payload and record None)."""
    index, path, start, end, csv, type_ = block
    if csv:
        rows = mandate.csv_records(_compiled(source, name), path, type_)
        return 0, [(line, text, _record(text) if text is not None else None, reason) for line, text, reason in rows]
    lines = _lines(path, start, end)
    return len(lines), [(n, line, _record(line), None) for n, line in enumerate(lines) if not _is_blank(line)]


SKIP_KEYS = frozenset(("id", "type", "time", "waiver", "obligation", "period", "extend_to", "excuse", "reason", "approved_by"))


def _texts(r: dict) -> tuple:
    """The texts (and text members of sets) of a record that may name a unit: its unit, a ref
    field, or by chance a text field (which only joins partitions needlessly)."""
    out = [value for key, value in r.items() if type(value) is str and key not in SKIP_KEYS]
    for key, value in r.items():
        if type(value) is list and key not in SKIP_KEYS:
            out.extend(v for v in value if type(v) is str)
    return tuple(out)


def _bucket_of(event_id: str, buckets: int) -> int:
    """The bucket of an id: the same in every process (Python's own str hash is not)."""
    return zlib.crc32(event_id.encode("utf-8", "surrogatepass")) % buckets


def _scan(block: tuple, source: str, name: str, buckets: int) -> _Box:
    """Pass 1 over a block, parsing each record once. Returns what the client gathers: its line
    count and its entity records (id, kind, parent, version; kind and parent None unless text).
    What stays on the worker: the block's event and waiver ids and its retractions, in `buckets`
    lists by the id's hash, each (id, unit, retraction?) in file order, for the tasks that find
    each id's first copy; and for pass 2, a fact a record: (line, payload, reason, what, key,
    unit, texts), `what` "r" (a retraction of `key`), "e" (an entity record of `key`), "i" (an
    event or waiver with id `key`), "-" (no record); `payload` None for a JSON line (pass 2
    reads the block again, not holding it). A JSON Lines block is scanned in C++ (simdjson), a
    CSV file's rows here: the two agree (tests/bindings/test_dask.py)."""
    index, path, start, end, csv, _ = block
    if not csv:
        count, entities, facts, ids = _scan_jsonl(_read(path, start, end), start == 0, buckets, sorted(SKIP_KEYS))
        return _Box(((count, entities), facts, ids))
    count, items = _items(block, source, name)
    return _Box(_scan_items(count, items, buckets, True))


def _scan_items(count: int, items: list, buckets: int, keep: bool) -> tuple:
    """_scan's work on records parsed here (`items` as _items gives them); `keep`: the facts
    hold each payload."""
    entities, facts = [], []
    ids: List[list] = [[] for _ in range(buckets)]
    text = lambda v: v if isinstance(v, str) else None
    for n, payload, r, reason in items:
        kept = payload if keep else None
        if r is None:
            facts.append((n, kept, reason, "-", None, None, ()))
        elif "retract" in r:
            target = text(r["retract"])
            if target is not None:
                ids[_bucket_of(target, buckets)].append((target, None, True))
            facts.append((n, kept, reason, "r", target, None, ()))
        elif "entity" in r:
            entity = text(r["entity"])
            if entity is not None:
                version = r.get("version", 0)
                entities.append((entity, text(r.get("kind")), text(r.get("parent")),
                                 version if isinstance(version, int) and not isinstance(version, bool) else 0))
            facts.append((n, kept, reason, "e", entity, None, ()))
        else:
            key = text(r.get("waiver" if "waiver" in r else "id"))
            unit = text(r.get("unit"))
            if key is not None:
                ids[_bucket_of(key, buckets)].append((key, unit, False))
            facts.append((n, kept, reason, "i", key, unit, _texts(r)))
    return (count, entities), facts, ids


def _first_copies(routes: "_Routes", *lists: _Box) -> _Box:
    """One bucket's ids from every block, in file order: the ids whose copies must not follow
    their own unit, with the partition each goes to. A copy whose unit is elsewhere goes where
    the first copy went, and so does a retraction (to the rest when no copy came)."""
    first: Dict[str, Optional[str]] = {}
    out: Dict[str, str] = {}
    retracted = []
    for ids in lists:
        for event_id, unit, retraction in ids.value:
            if retraction:
                retracted.append(event_id)
            elif event_id not in first:
                first[event_id] = unit
            elif routes.part_of(unit) != routes.part_of(first[event_id]):
                out[event_id] = routes.part_of(first[event_id])
    for event_id in retracted:
        out[event_id] = routes.part_of(first[event_id]) if event_id in first else REST
    return _Box(out)


def _check_entities(block: tuple, source: str, name: str, wanted: set) -> "_Box":
    """The records of the units in `wanted`, for _Routing.settle: (entity, version, ok, text,
    kind, parent), `ok` whether an engine takes the record on its own (a record rejected for
    its own content takes no part in choosing the standing version), `text` its keys and
    values to compare versions by."""
    plan = _compiled(source, name)
    out = []
    for _, payload, r, _ in _items(block, source, name)[1]:
        if r is not None and "retract" not in r and isinstance(r.get("entity"), str) and r["entity"] in wanted:
            version = r.get("version", 0)
            version = version if isinstance(version, int) and not isinstance(version, bool) else 0
            ok = mandate.Engine(plan).add(payload)
            out.append((r["entity"], version, ok, json.dumps(r, sort_keys=True, ensure_ascii=False), r.get("kind"),
                        r.get("parent")))
    return _Box(out)


class _Routing:
    """Where each unit and each id goes; what each partition receives as shadows; which
    partitions must be evaluated together whatever the records say."""

    def __init__(self, plan: "mandate.Plan", level: Optional[str], scans: List[tuple]):
        """The first half, from pass 1's scans: each entity's versions, and the units whose
        versions would put them in different partitions (`moving`), whose records settle()
        must be told about before the rest is worked out."""
        self.level = level
        self.scans = scans
        self.within = {k["id"]: set(k["parents"]) for k in plan.kinds}
        # The standing version of each entity: the highest version; of equal ones, the first.
        standing: Dict[str, tuple] = {}
        self.versions: Dict[str, List[tuple]] = {}
        for _, entities in scans:
            for entity, kind, parent, version in entities:
                if entity not in standing or version > standing[entity][2]:
                    standing[entity] = (kind, parent, version)
                self.versions.setdefault(entity, []).append((kind, parent))
        self.standing = standing
        self._memo: Dict[str, str] = {}
        self.moving = {entity for entity, versions in self.versions.items()
                       if len({self._placed(entity, kind, parent) for kind, parent in versions} - {REST}) > 1}

    def _placed(self, entity: str, kind: Any, parent: Any) -> str:
        """Where a version of `entity` (its kind and parent) would put it."""
        return entity if kind == self.level else self._place(parent)

    def settle(self, checked: List[tuple]) -> None:
        """The second half. `checked`: the moving units' records, each (entity, version, ok,
        text), `ok` as an engine takes the record alone, `text` its keys and values. A moving
        unit stands where an engine stands it: on its highest version that is accepted and
        agrees, under a parent of a kind it may be within. Where that is not certain (two
        records of its highest version differ: the engine stands on a lower one; its parent's
        kind is not allowed), every partition its versions lead to is evaluated by one engine."""
        records: Dict[str, List[tuple]] = {}
        for entity, version, ok, text, kind, parent in checked:
            if ok:
                records.setdefault(entity, []).append((version, text, kind, parent))
        contested = set()
        for entity in self.moving:
            ok = records.get(entity, [])
            top = max((r[0] for r in ok), default=None)
            at_top = [r for r in ok if r[0] == top]
            if not at_top or len({r[1] for r in at_top}) > 1:
                contested.add(entity)
                continue
            _, _, kind, parent = at_top[0]
            self.standing[entity] = (kind, parent, top)
        for entity in self.moving - contested:
            kind, parent, _ = self.standing[entity]
            allowed = self.within.get(kind, set())
            above = self.standing.get(parent) if isinstance(parent, str) else None
            if allowed and above is not None and above[0] not in allowed:
                contested.add(entity)
        self._memo = {}  # the standing versions changed
        self.home: Dict[str, str] = {}
        for entity in self.standing:
            self.home[entity] = self._place(entity)
        # Partitions one engine must evaluate together: a contested unit's home and where
        # another of its versions would put it.
        self.joins = set()
        for entity in sorted(contested):
            for kind, parent in self.versions[entity]:
                other = self._placed(entity, kind, parent)
                if other not in (REST, self.home[entity]) and self.home.get(other) == other:
                    self.joins.add((self.home[entity], other))
        del self.scans
        # Ancestors of each partition's unit, by any of their versions, sent to it as shadows.
        self.shadow_to: Dict[str, List[str]] = {}
        for entity, part in self.home.items():
            if part != REST and part == entity:
                for above in self._ancestors(entity):
                    self.shadow_to.setdefault(above, []).append(part)

    def part_of(self, unit: Optional[str]) -> str:
        return self.home.get(unit, REST) if unit is not None else REST

    def _ancestors(self, entity: str) -> List[str]:
        """Every unit above `entity` by the parents of any version of it and of them."""
        out, seen = [], {entity}
        todo = [entity]
        while todo:
            for _, parent in self.versions.get(todo.pop(), ()):
                if isinstance(parent, str) and parent in self.standing and parent not in seen:
                    out.append(parent)
                    seen.add(parent)
                    todo.append(parent)
        return out

    def _place(self, entity: Optional[str]) -> str:
        """The outermost unit of the partition kind at or above `entity` (a kind without
        `within` may lie under a unit of its own kind: the outer one reads the inner one's
        units), or REST. Remembered for every unit on the way up (settle() forgets them)."""
        if self.level is None:
            return REST
        chain, seen = [], set()
        while isinstance(entity, str) and entity in self.standing and entity not in seen and entity not in self._memo:
            chain.append(entity)
            seen.add(entity)
            entity = self.standing[entity][1]
        if isinstance(entity, str) and entity in seen:
            # Parents in a cycle: the engine resolves none of its units, nor any under them.
            # They go to the rest together (split, each would miss a parent instead).
            for unit in chain:
                self._memo[unit] = REST
            return REST
        above = self._memo.get(entity, REST) if isinstance(entity, str) else REST
        for unit in reversed(chain):
            if above == REST and self.standing[unit][0] == self.level:
                above = unit
            self._memo[unit] = above
        return above


class _Routes:
    """What pass 2 needs of the routing, sent to each of its tasks: each unit's partition, the
    partitions each unit goes to as a shadow, and the ids whose copies go where the first went."""

    def __init__(self, home: Dict[str, str], shadow_to: Dict[str, List[str]], id_part: Dict[str, str]):
        self.home, self.shadow_to, self.id_part = home, shadow_to, id_part

    def part_of(self, unit: Optional[str]) -> str:
        return self.home.get(unit, REST) if unit is not None else REST

    def route_id(self, event_id: str, unit: Optional[str]) -> str:
        """Where a copy of an event or waiver goes (REST, "", is a partition too)."""
        part = self.id_part.get(event_id)
        return part if part is not None else self.part_of(unit)


def _crossings(texts: tuple, part: str, routing: _Routes) -> set:
    """The partitions, other than `part`, of the units a record's texts name."""
    found = set()
    for v in texts:
        home = routing.home.get(v)
        if home is not None and home != part:
            found.add(home)
    return found


def _identity(x):
    return x


def _held(client, value) -> Any:
    """A future of `value` for many tasks: a task that returns it rather than scattered data,
    so that should a worker die, Dask makes it again, and with it what depends on it. Dask
    warns of a large object in the graph, and would have it scattered: that is the point."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Large object of size", category=UserWarning)
        return client.submit(_identity, value, pure=False)


def _summary_of(scanned: _Box) -> _Box:
    """What the client gathers of a block's pass 1."""
    return _Box(scanned.value[0])


def _bucket(scanned: _Box, b: int) -> _Box:
    """A block's ids of one bucket."""
    return _Box(scanned.value[2][b])


def _sizes(routed: _Box) -> _Box:
    """What the client gathers of a block's pass 2: each partition's records and bytes, and the
    pairs of partitions its records join."""
    out, joins = routed.value
    return _Box(({p: (len(v), sum(len(t[2]) for t in v if t[2] is not None)) for p, v in out.items()}, joins))


def _piece(routed: _Box, part: str) -> _Box:
    """A block's records of one partition."""
    return _Box(routed.value[0].get(part, []))


def _route(block: tuple, first_line: int, routing: _Routes, scanned: _Box) -> _Box:
    """Pass 2 over a block, from its facts of pass 1: its records by partition, each (file
    index, line, payload, shadow, reason) with the payload as the file holds it (a JSON line's
    bytes, a CSV row's JSON text), a shadow's too; and the pairs of partitions a record joins
    (an event in one naming a unit of another)."""
    index, path, start, end, csv, _ = block
    lines = None if csv else _lines(path, start, end)
    out: Dict[str, list] = {}
    joins = []
    for n, payload, reason, what, key, unit, texts in scanned.value[1]:
        if lines is not None:
            payload = lines[n]
        number = first_line + n
        part = REST
        if what == "r":
            part = routing.id_part.get(key, REST) if key is not None else REST
        elif what == "e":
            if key is not None:
                part = routing.home.get(key, REST)
                for shadow in routing.shadow_to.get(key, ()):
                    if shadow != part:
                        out.setdefault(shadow, []).append((index, number, payload, True, None))
        elif what == "i":
            if key is not None:
                part = routing.route_id(key, unit)
            for other in _crossings(texts, part, routing):
                joins.append((part, other))
        out.setdefault(part, []).append((index, number, payload, False, reason))
    return _Box((out, joins))


# ---------------------------------------------------------------------------------- evaluating

_plans: Dict[str, "mandate.Plan"] = {}


def _compiled(source: str, name: str) -> "mandate.Plan":
    key = name + "\0" + source
    if key not in _plans:
        _plans[key] = mandate.compile(source, name)
    return _plans[key]


def _engine(source: str, name: str, files: Sequence[str], pieces: Iterable[_Box]) -> Tuple["mandate.Engine", "mandate.Engine", set, int]:
    """An engine fed a group's records in the order of the files; a shadow of a record the
    group holds itself, or a second shadow of one record, is left out. Returns the engine; an
    engine fed the shadows alone (their ignored fields, counted at home, come out of the
    merged counts); the (source, line) of the shadows; how many of its own records it read."""
    records = sorted((r for piece in pieces for r in piece.value), key=lambda r: (r[0], r[1], r[3]))
    own = {(r[0], r[1]) for r in records if not r[3]}
    plan = _compiled(source, name)
    # One parsing thread: a worker is a process a core (--nthreads 1).
    engine, ghosts = mandate.Engine(plan, threads=1), mandate.Engine(plan, threads=1)
    shadows = set()
    run: List[Any] = []  # consecutive records of one file, added at once
    numbers: List[int] = []
    run_file = -1

    def flush() -> None:
        if run:
            engine.add_lines(run, files[run_file], numbers)
            run.clear()
            numbers.clear()

    for index, line, payload, shadow, reason in records:
        if shadow:
            if (index, line) in own or (files[index], line) in shadows:
                continue
            shadows.add((files[index], line))
            ghosts.add(payload, source=files[index], line=line)
        if index != run_file:
            flush()
            run_file = index
        if reason is not None:
            flush()
            engine.add_unreadable(reason, source=files[index], line=line)
        else:
            run.append(payload)
            numbers.append(line)
    flush()
    return engine, ghosts, shadows, len(own)


def _latest(source: str, name: str, files: Sequence[str], part: str, kill: Optional[Tuple[str, str]],
            *pieces: _Box) -> _Box:
    """Phase 1 without an as-of date: the partition's latest event date."""
    _maybe_die(part, kill)
    date = _engine(source, name, files, pieces)[0].latest_event_date
    return _Box(date.isoformat() if date else None)


def _evaluate(source: str, name: str, files: Sequence[str], part: str, as_of: str,
              kill: Optional[Tuple[str, str]], members: List[str], routes: _Routes, *pieces: _Box) -> _Box:
    """One group's part of the report as of `as_of` (_partial); how many records it read."""
    _maybe_die(part, kill)
    engine, ghosts, shadows, own = _engine(source, name, files, pieces)
    ignored = ghosts.report(as_of)["ignored_fields"] if shadows else []
    plan = _compiled(source, name)
    return _Box((_partial(plan, engine.report_json(as_of), set(members), routes.home, shadows, ignored), own))


def _maybe_die(part: str, kill: Optional[Tuple[str, str]]) -> None:
    """The test hook: the worker process exits the first time it takes partition kill[0]
    (kill[1] is a file that records that it did)."""
    if kill and kill[0] == part and not os.path.exists(kill[1]):
        with open(kill[1], "w") as f:
            f.write(part)
        os._exit(1)


# ---------------------------------------------------------------------------------- merging


def _split_report(text: str) -> Dict[str, Any]:
    """A report's JSON text (mandate.report/1 as the engine writes it: one row per line) as
    its lines: header lines, and each list's item lines without their separating commas."""
    lines = text.split("\n")
    out: Dict[str, Any] = {"header": [], "lists": {}, "inputs": None, "title": None}
    i = 1  # after "{"
    while i < len(lines) and lines[i] != "}":
        line = lines[i]
        key = line.strip().split(":", 1)[0].strip('"')
        if line.rstrip(",").endswith("[]"):
            out["lists"][key] = []
        elif line.endswith("["):
            items = []
            i += 1
            while not lines[i].strip().startswith("]"):
                items.append(lines[i].rstrip(",").strip())
                i += 1
            out["lists"][key] = items
        elif key == "inputs":
            out["inputs"] = json.loads(line.strip().rstrip(",").split(":", 1)[1], object_pairs_hook=dict)
        elif key == "title":
            out["title"] = line
        else:
            out["header"].append(line)
        i += 1
    return out


def _label(members: List[str]) -> str:
    return " + ".join(p or "(the rest)" for p in members)


def _list_text(key: str, items: List[str], last: bool = False) -> str:
    comma = "" if last else ","
    if not items:
        return f'  "{key}": []{comma}'
    return f'  "{key}": [\n' + ",\n".join("    " + item for item in items) + f"\n  ]{comma}"


def _partial(plan: "mandate.Plan", text: str, members: set, home: Dict[str, str], shadow_set: set,
             shadow_ignored: list) -> dict:
    """A group's report (its JSON text) as its part of the merged one, worked out on its
    worker: the rows of its own units, each with the key one engine orders it by; its counts
    less its shadows; its ignored fields less the shadows' (counted at home)."""
    rule_order = {name: i for i, name in enumerate(plan.obligations)}
    outcome_order = {name: i for i, name in enumerate(plan.outcomes)}
    r = _split_report(text)
    lists = r["lists"]
    mine = lambda unit: unit is None or home.get(unit, REST) in members
    out: Dict[str, Any] = {"header": r["header"], "title": r["title"], "results": [], "outcomes": [],
                           "rejected": [], "unresolved": [], "waivers": [], "ignored": {}}
    for item in lists.get("results", []):
        row = json.loads(item)
        if mine(row["unit"]):
            key = (rule_order[row["obligation"]], row["unit"] or "", row["period"]["from"], row["period"]["to"])
            out["results"].append((key, item))
    for item in lists.get("outcomes", []):
        row = json.loads(item)
        if mine(row["unit"]):
            key = (outcome_order[row["outcome"]], row["unit"] or "", row["period"]["from"], row["period"]["to"])
            out["outcomes"].append((key, item))
    dropped = 0
    for item in lists.get("rejected", []):
        row = json.loads(item)
        if (row["source"], row["line"]) in shadow_set:
            dropped += 1
            continue
        out["rejected"].append(((row["source"].encode("utf-8"), row["line"], row["reason"].encode("utf-8")), item))
    ignored = out["ignored"]

    def ignore(row: dict, sign: int) -> None:
        kind = "kind" in row
        key = ("kind" if kind else "type", row["kind" if kind else "type"], row["field"])
        ignored[key] = ignored.get(key, 0) + sign * row["records"]

    for item in lists.get("ignored_fields", []):
        ignore(json.loads(item), 1)
    for row in shadow_ignored:
        ignore(row, -1)
    for item in lists.get("unresolved_entities", []):
        row = json.loads(item)
        if home.get(row["entity"], REST) in members:
            out["unresolved"].append((row["entity"].encode("utf-8"), item))
    for item in lists.get("unapplied_waivers", []):
        row = json.loads(item)
        out["waivers"].append((row["waiver"].encode("utf-8"), item))
    n_shadows = len(shadow_set)
    counts = dict(r["inputs"])
    counts["read"] -= n_shadows
    counts["entities"] -= n_shadows - dropped
    counts["rejected"] -= dropped
    out["inputs"] = counts
    return out


def _merge(partials: List[dict]) -> str:
    """One report of the groups' parts: their rows in one engine's order, their counts summed."""
    header, title = partials[0]["header"], partials[0]["title"]
    lists: Dict[str, list] = {k: [] for k in ("results", "outcomes", "rejected", "unresolved", "waivers")}
    ignored: Dict[Tuple[str, str, str], int] = {}
    inputs: Dict[str, int] = {}
    for part in partials:
        for k in lists:
            lists[k].extend(part[k])
        for key, count in part["ignored"].items():
            ignored[key] = ignored.get(key, 0) + count
        for k, v in part["inputs"].items():
            inputs[k] = inputs.get(k, 0) + v
    for items in lists.values():
        items.sort(key=lambda x: x[0])  # each part's rows are in order already: runs to merge
    ignored_items = []
    for (which, name, field), count in sorted(ignored.items(), key=lambda kv: (kv[0][1].encode(), kv[0][2].encode())):
        if count == 0:
            continue
        ignored_items.append(json.dumps({which: name, "field": field, "records": count}, ensure_ascii=False))
    out = ["{"] + header
    out.append(_list_text("results", [x[1] for x in lists["results"]]))
    out.append(_list_text("outcomes", [x[1] for x in lists["outcomes"]]))
    out.append('  "inputs": {' + ", ".join(f'"{k}": {v}' for k, v in inputs.items()) + "},")
    out.append(_list_text("rejected", [x[1] for x in lists["rejected"]]))
    out.append(_list_text("ignored_fields", ignored_items))
    out.append(_list_text("unresolved_entities", [x[1] for x in lists["unresolved"]]))
    out.append(_list_text("unapplied_waivers", [x[1] for x in lists["waivers"]]))
    if title is not None:
        out.append(title)
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------- the run


FileSpec = Union[PathLike, Tuple[str, PathLike]]


def check(plan: "mandate.Plan", *, registry: Sequence[FileSpec] = (), events: Sequence[FileSpec] = (),
          as_of: Union[str, "datetime.date", None] = None, client=None, level: Optional[str] = None,
          block_bytes: int = 4 << 20, memory_fraction: float = 0.8, _kill_once: Optional[Tuple[str, str]] = None, _stats: Optional[dict] = None) -> str:
    """The report of `plan` on the records of `registry` then `events`, read in that order as
    `mandate check --registry ... --events ...` reads them: JSON Lines files, CSV files
    (FILE.csv; the events of one type as ("TYPE", FILE) or "TYPE=FILE"), as of `as_of`
    (default: the latest event date over all partitions), as mandate.report/1 JSON text equal
    byte for byte to what one engine gives. `client`: a distributed.Client (default: the
    current one); each worker compiles the plan from its text (plan.source). `level`: the kind
    to split at, one the plan splits at (default: the plan's finest; None when nothing splits).
    Raises PartitionError for a partition that does not fit a worker's memory (more than
    `memory_fraction` of its limit less what the worker holds already, an engine taking about
    six times its records' bytes) or whose worker kept dying."""
    from concurrent.futures import CancelledError

    from distributed import get_client
    from distributed.scheduler import KilledWorker

    client = client or get_client()
    source, name = plan.source, plan.name
    clock = [("start", time.perf_counter())]
    if level is None:
        level = plan.partitions["finest"]
    else:
        levels = {l["kind"]: l for l in plan.partitions["levels"]}
        if level not in levels:
            raise ValueError(f"no kind '{level}' in the plan")
        if not levels[level]["splits"]:
            raise ValueError(f"the plan does not split at {level}: {levels[level]['reason']}")
    given = [_File(spec, plan) for spec in list(registry) + list(events)]
    files = [f.path for f in given]
    blocks = _blocks(given, block_bytes)
    # What the workers hold before any of this run's work: the interpreter, Dask, mandate.
    workers = list(client.scheduler_info()["workers"].values())
    baseline = max((w.get("metrics", {}).get("memory", 0) for w in workers), default=0)

    # Pass 1: what each block holds. The client gathers the entity records; the ids stay on the
    # workers, in buckets by their hash.
    n = len(blocks)
    buckets = max(1, min(n, 4 * len(workers)))
    scanned = client.map(_scan, blocks, [source] * n, [name] * n, [buckets] * n, pure=False)
    scans = [b.value for b in client.gather(client.map(_summary_of, scanned, pure=False))]
    clock.append(("pass 1", time.perf_counter()))
    routing = _Routing(plan, level, scans)
    # The units that move between partitions: their records, judged as an engine judges them.
    moving = [i for i, scan in enumerate(scans) if any(e[0] in routing.moving for e in scan[1])]
    checked = client.gather(client.map(_check_entities, [blocks[i] for i in moving], [source] * len(moving),
                                       [name] * len(moving), [routing.moving] * len(moving), pure=False))
    routing.settle([r for part in checked for r in part.value])
    clock.append(("placing units", time.perf_counter()))
    # Each id's first copy, found by a task a bucket over the ids of every block in file order:
    # the client gets only the ids whose copies or retractions must not follow their own unit.
    routes = _Routes(routing.home, routing.shadow_to, {})
    routes_future = _held(client, routes)
    bucket_lists = [client.map(_bucket, scanned, [b] * n, pure=False) for b in range(buckets)]
    for exceptions in client.gather([client.submit(_first_copies, routes_future, *lists, pure=False)
                                     for lists in bucket_lists]):
        routes.id_part.update(exceptions.value)
    del bucket_lists
    clock.append(("first copies", time.perf_counter()))
    limit = min((w.get("memory_limit") or 0 for w in workers), default=0)
    budget = memory_fraction * limit - baseline if limit and all(w.get("memory_limit") for w in workers) else None

    def fits(label: str, n: int, size: int) -> None:
        need = size * 6 + n * 200
        if budget is not None and need > budget:
            raise PartitionError(f"partition {label} holds {n} records ({size / 1e6:.1f} MB of JSON): about "
                                 f"{need / 1e6:.0f} MB in an engine, more than a worker's memory limit of "
                                 f"{limit / 1e6:.0f} MB allows ({max(budget, 0) / 1e6:.0f} MB free of it); split "
                                 f"at a finer level or give workers more memory")

    first_lines, line = [], {}
    for block, scan in zip(blocks, scans):
        index = block[0]
        first_lines.append(0 if block[4] else line.get(index, 1))  # a CSV row is numbered by its line already
        line[index] = line.get(index, 1) + scan[0]
    # Pass 2: each block split by partition; the pieces stay on the workers.
    routes_future = _held(client, routes)
    routed = client.map(_route, blocks, first_lines, [routes_future] * n, scanned, pure=False)
    summaries = [b.value for b in client.gather(client.map(_sizes, routed, pure=False))]
    clock.append(("pass 2", time.perf_counter()))
    del scanned  # the facts of pass 1 are held until pass 2 has them, no longer (Dask keeps the lineage)
    parts = sorted({p for s, _ in summaries for p in s})
    # Partitions joined by a record naming units of both are evaluated together.
    leader = {p: p for p in parts}

    def find(p):
        while leader[p] != p:
            leader[p] = leader[leader[p]]
            p = leader[p]
        return p

    for a, b in [j for _, joins in summaries for j in joins] + sorted(routing.joins):
        if a in leader and b in leader:
            ra, rb = find(a), find(b)
            if ra != rb:
                leader[max(ra, rb)] = min(ra, rb)
    groups: Dict[str, List[str]] = {}
    for p in parts:
        groups.setdefault(find(p), []).append(p)
    records = {g: sum(s.get(p, (0, 0))[0] for s, _ in summaries for p in members) for g, members in groups.items()}
    nbytes = {g: sum(s.get(p, (0, 0))[1] for s, _ in summaries for p in members) for g, members in groups.items()}
    # What a worker can still take: memory_fraction of its limit (Dask pauses a worker at 80%),
    # less what it holds already (the interpreter, Dask, mandate).
    for g in sorted(groups):
        fits(_label(groups[g]), records[g], nbytes[g])
    pieces = {g: [client.submit(_piece, r, p, pure=False)
                  for r, (s, _) in zip(routed, summaries) for p in members if p in s]
              for g, members in groups.items()}

    def run(function, args):
        futures = {g: client.submit(function, source, name, files, g, *args(g), *pieces[g], pure=False) for g in groups}
        out = {}
        for g, f in futures.items():
            try:
                out[g] = f.result().value
            except (KilledWorker, CancelledError) as e:
                raise PartitionError(f"partition {_label(groups[g])}: its worker died each time it took it "
                                     f"({records[g]} records; out of memory?): {e!r}") from e
        return out

    if as_of is None:
        dates = [d for d in run(_latest, lambda g: (_kill_once,)).values() if d]
        if not dates:
            raise ValueError("no event dates: give as_of")
        as_of = max(dates)
    as_of = str(as_of)
    evaluated = run(_evaluate, lambda g: (as_of, _kill_once, groups[g], routes_future))
    clock.append(("evaluation", time.perf_counter()))
    merged = _merge([evaluated[g][0] for g in sorted(groups)])
    clock.append(("merge", time.perf_counter()))
    if _stats is not None:
        _stats["records"] = {g: evaluated[g][1] for g in groups}
        _stats["groups"] = sorted(groups.values())
        _stats["level"] = level
        _stats["seconds"] = {step: round(t - clock[i][1], 3) for i, (step, t) in enumerate(clock[1:])}
    return merged
