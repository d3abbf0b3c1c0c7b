"""The Python package on several threads at once: four threads, each with its own engine over one
shared plan, and one engine shared by all of them behind a threading.Lock, each thread mixing
add (dicts and JSON text), add_many, add_jsonl, report, report_json, on_change and retract. The
reports (and the changes each thread's subscriber heard) must equal a run of the same work on
one thread.

The threads run in a child process that, like a host, has not imported json before they start:
the first report() then finds it not yet imported. The module used to import json, decimal and
datetime lazily inside a C++ function-local static, and an import gives up the interpreter lock:
a second thread, holding the lock, then waited on the static's guard forever. The child has a
watchdog (faulthandler) that dumps every thread's stack and exits, so a deadlock fails the test
instead of hanging it; ctest bounds the whole test too (TIMEOUT).

usage: test_python_threads.py SOURCE_DIR   (with the built package on PYTHONPATH)
"""
import os
import subprocess
import sys
import threading

THREADS = 4
EVENTS = 60  # events each thread adds to its own engine, record by record
AS_OF = "2023-06-10"
ROUNDS = 3  # child processes: each has one first import to race on


def paths(source_dir):
    return (os.path.join(source_dir, "rules", "goutang-2023.mandate"),
            os.path.join(source_dir, "tests", "bindings", "records", "goutang-small.jsonl"))


def own_records(i):
    """Thread i's records for its own engine, after goutang-small.jsonl (16 records) is added.

    Returns (entities, events as a mix of dicts and JSON text, a batch for add_many)."""
    import datetime
    from decimal import Decimal

    village = f"v{i}x"
    entities = [{"entity": village, "kind": "village", "parent": "goutang", "since": datetime.date(2023, 1, 1)},
                {"entity": f"h{i}x", "kind": "household", "parent": village}]
    events = []
    for k in range(EVENTS):
        day = datetime.date(2023, 4, 1) + datetime.timedelta(days=2 * k)
        venue = ["park", "market", "square", "school"][k % 4]
        if k % 2:
            events.append(f'{{"id": "a{i}-{k}", "type": "activity", "time": "{day.isoformat()}", "unit": "{village}", '
                          f'"venue": "{venue}", "methods": ["desk"]}}')
        else:
            events.append({"id": f"a{i}-{k}", "type": "activity", "time": day, "unit": village, "venue": venue,
                           "methods": ("banner", "desk")})
    batch = [{"id": f"s{i}-1", "type": "screen_play", "time": "2023-04-03", "unit": village,
              "seconds": Decimal("12.5"), "antifraud": True},
             f'{{"id": "s{i}-2", "type": "screen_play", "time": "2023-04-04", "unit": "{village}", '
             f'"seconds": 30, "antifraud": false}}',
             {"id": f"l{i}-1", "type": "leaflet_delivered", "time": "2023-05-02", "unit": village, "recipient": f"h{i}x"},
             {"id": f"bad{i}", "type": "screen_play", "time": "2023-04-05", "unit": village, "seconds": "long",
              "antifraud": True}]  # rejected: seconds must be a number
    return entities, events, batch


def shared_records(i):
    """Thread i's records for the shared engine: its own ids, so that the set added is the same
    whatever order the threads take the lock in."""
    return ([{"entity": f"w{i}", "kind": "village", "parent": "goutang"}],
            [f'{{"id": "w{i}-{k}", "type": "activity", "time": "2023-04-{10 + k:02d}", "unit": "w{i}", '
             f'"venue": "park", "methods": []}}' for k in range(6)])


def work(plan, small, i, shared, lock, out):
    """One thread's work; out[i] receives its own engine's final report (JSON text), the report
    as Python objects, and every change its subscriber heard."""
    import mandate

    engine = mandate.Engine(plan)
    changes = []

    def heard(c):
        changes.append([c.rule, c.unit, c.period["from"], c.before, c.after, c.fired_before, c.fired_after])

    engine.report(AS_OF)  # the first report: the first use of json (and of decimal, datetime)
    entities, events, batch = own_records(i)
    assert engine.add_jsonl(small) == 16
    token = engine.on_change(heard)
    for e in entities:
        assert engine.add(e), engine.last_error
    for k, e in enumerate(events):
        assert engine.add(e, source="own", line=k + 1), engine.last_error
        if k % 6 == 5:
            engine.report(AS_OF)
            with lock:
                w_entities, w_events = shared_records(i)
                part = w_events[(k // 6) % len(w_events)]
                shared.add(part, source=f"shared{i}", line=k)
                shared.report(AS_OF)
    assert engine.add_many(batch, source=f"batch{i}") == 3
    assert engine.retract(f"a{i}-3", source="own", line=99)
    engine.unsubscribe(token)
    with lock:
        w_entities, w_events = shared_records(i)
        assert shared.add_many(w_entities + w_events, source=f"shared{i}") == 1 + len(w_events)
        assert shared.retract(f"w{i}-0")
        shared.report_json(AS_OF)
    out[i] = (engine.report_json(AS_OF), engine.report(AS_OF), changes)


def run(plan_path, small, threaded):
    """Runs the work of THREADS threads, on threads or one after another; returns each thread's
    result and the shared engine's report."""
    import mandate

    with open(plan_path, encoding="utf-8") as f:
        plan = mandate.compile(f.read(), "goutang-2023.mandate")
    shared = mandate.Engine(plan)
    assert shared.add({"entity": "goutang", "kind": "town"})
    lock = threading.Lock()
    out = [None] * THREADS
    errors = []

    def guarded(i):
        try:
            work(plan, small, i, shared, lock, out)
        except BaseException as e:  # reported by the main thread
            errors.append(f"thread {i}: {type(e).__name__}: {e}")

    if threaded:
        threads = [threading.Thread(target=guarded, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for i in range(THREADS):
            guarded(i)
    return out, shared.report_json(AS_OF), errors


def child(source_dir):
    import faulthandler

    # A deadlock dumps every thread's stack and exits 1, well inside ctest's TIMEOUT.
    faulthandler.dump_traceback_later(60, exit=True)
    # Switch threads as often as possible, so that any window in which one thread gives up the
    # interpreter lock while holding a C++ lock is found.
    sys.setswitchinterval(1e-6)
    assert "json" not in sys.modules and "decimal" not in sys.modules
    plan_path, small = paths(source_dir)
    out, shared, errors = run(plan_path, small, threaded=True)
    faulthandler.cancel_dump_traceback_later()
    import json
    from decimal import Decimal

    for i, result in enumerate(out):
        if result is not None and result[1] != json.loads(result[0], parse_float=Decimal):
            errors.append(f"thread {i}: report() differs from report_json()")
    print(json.dumps({"own": [r and [r[0], r[2]] for r in out], "shared": shared, "errors": errors}))
    return 0


def main(source_dir):
    import json

    plan_path, small = paths(source_dir)
    expected_own, expected_shared, errors = run(plan_path, small, threaded=False)
    failures = list(errors)
    # What the single-threaded run must show, worked out from the records: each engine read
    # goutang-small's 16 records (3 rejected), 2 entities, EVENTS events, the batch of 4 (1
    # rejected) and 1 retraction. The shared engine read the town, then from each thread
    # EVENTS // 6 events one by one (drawn from its 6), its village and all 6 events, and 1
    # retraction: 6 events apply but the retracted one, and EVENTS // 6 are copies.
    for i, (text, _, changes) in enumerate(expected_own):
        inputs = json.loads(text)["inputs"]
        if inputs["read"] != 16 + 2 + EVENTS + 4 + 1:
            failures.append(f"single-threaded: engine {i} read {inputs['read']}")
        if inputs["rejected"] != 3 + 1 or not changes:
            failures.append(f"single-threaded: engine {i}: {inputs}, {len(changes)} changes")
    shared_inputs = json.loads(expected_shared)["inputs"]
    if shared_inputs != {"read": 1 + THREADS * (EVENTS // 6 + 1 + 6 + 1), "entities": 1 + THREADS,
                         "applied": THREADS * (6 - 1),
                         "duplicates": THREADS * (EVENTS // 6), "retracted": THREADS, "retractions": THREADS,
                         "unresolved": 0, "rejected": 0, "waivers": 0}:
        failures.append(f"single-threaded: shared engine inputs {shared_inputs}")

    env = dict(os.environ)
    for round_ in range(ROUNDS):
        try:
            p = subprocess.run([sys.executable, os.path.abspath(__file__), source_dir, "--child"], capture_output=True,
                               text=True, timeout=90, env=env)
        except subprocess.TimeoutExpired:
            failures.append(f"round {round_}: the threads did not finish in 90 s")
            break
        if p.returncode != 0:
            failures.append(f"round {round_}: exit {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-6000:]}")
            break
        got = json.loads(p.stdout)
        failures += [f"round {round_}: {e}" for e in got["errors"]]
        for i in range(THREADS):
            if got["own"][i] is None or got["own"][i][0] != expected_own[i][0]:
                failures.append(f"round {round_}: thread {i}'s report differs from the single-threaded run's")
            elif got["own"][i][1] != expected_own[i][2]:
                failures.append(f"round {round_}: thread {i}'s changes differ from the single-threaded run's")
        if got["shared"] != expected_shared:
            failures.append(f"round {round_}: the shared engine's report differs from the single-threaded run's")
    for f in failures:
        print("FAIL:", f)
    print(f"{ROUNDS} rounds of {THREADS} threads, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[2] == "--child":
        sys.exit(child(sys.argv[1]))
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.getcwd()))
