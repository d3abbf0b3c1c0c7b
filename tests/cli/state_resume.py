"""`mandate check --state FILE`: a run killed midway resumes from its saved state and reports
exactly what an uninterrupted run does — results, outcomes, the record accounting, the rejected
records — reading each record once.

The records are the generated town (registry and events, ~28 000 records with duplicates,
retractions, conflicts and rejected lines). The events go through a FIFO (a path, read again from
its start by the resumed run, which checks the part read before), fed slowly, so the run can be
stopped at a known point: after its first checkpoint (every 2 000 records)
has been saved. SIGKILL stops it without warning (the state on disk is the last checkpoint);
SIGTERM and SIGINT let it save at the next record and exit 130. A corrupted state file is
refused. A state keeps the inputs a run does not name, and knows them when a later run names
them again.

Arguments after the program's path are added to every run: ctest runs it a second time with
`--threads 4 --block-size 4K`, where checkpoints fall at the ends of small blocks parsed on
other threads, and a signal's save in the middle of one.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath(sys.argv[1])
EXTRA = sys.argv[2:]
GENERATOR = os.path.join(os.path.dirname(BIN), "mandate-generate")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAN = os.path.join(ROOT, "rules", "goutang-2023.mandate")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def command(registry, state, *extra, events="-"):
    args = [BIN, "check", PLAN, "--registry", registry, "--events", events, "--as-of", "2023-12-31", "--format", "json"]
    if state:
        args += ["--state", state, "--state-every", "2000"]
    return args + EXTRA + list(extra)


def interrupted_run(registry, events, state, sig, fifo):
    """Feeds a third of the events, waits for the first checkpoint, then sends `sig`."""
    p = subprocess.Popen(command(registry, state, events=fifo), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    feed = open(fifo, "wb")  # opens once the run opens it to read
    third = len(events) // 3
    feed.write(events[:third])
    feed.flush()
    deadline = time.time() + 60
    while not os.path.exists(state) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    p.send_signal(sig)
    if sig != signal.SIGKILL:
        # It saves at the next record: give it one.
        try:
            feed.write(events[third:third + 4096])
            feed.flush()
        except BrokenPipeError:
            pass
    try:
        feed.close()
    except BrokenPipeError:
        pass
    out, err = p.communicate(timeout=60)
    return p.returncode, err.decode("utf-8", "replace")


def resumed_run(registry, events, state, fifo):
    """The same command again, the FIFO given every event from the start."""
    def feed():
        try:
            with open(fifo, "wb") as f:
                f.write(events)
        except BrokenPipeError:
            pass
    writer = threading.Thread(target=feed)
    writer.start()
    p = subprocess.run(command(registry, state, events=fifo), capture_output=True, timeout=300)
    while writer.is_alive():  # a run that stopped before reading the FIFO: release its writer
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        time.sleep(0.05)
        os.close(fd)
        writer.join(timeout=0.1)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


with tempfile.TemporaryDirectory() as tmp:
    registry, events_path = os.path.join(tmp, "registry.jsonl"), os.path.join(tmp, "events.jsonl")
    subprocess.run([GENERATOR, "--scale", "town", "--seed", "2023", "--registry", registry, "--events", events_path], check=True)
    events = open(events_path, "rb").read()
    fifo = os.path.join(tmp, "events.fifo")
    os.mkfifo(fifo)

    code, out, err = resumed_run(registry, events, None, fifo)
    expect(code == 0, f"the uninterrupted run: {err[-300:]}")
    expected = json.loads(out)
    expect(expected["inputs"]["read"] > 20000 and expected["inputs"]["rejected"] > 0, f"a full sample: {expected['inputs']}")

    for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
        state = os.path.join(tmp, f"state-{sig.name}")
        code, err = interrupted_run(registry, events, state, sig, fifo)
        if sig == signal.SIGKILL:
            expect(code == -signal.SIGKILL, f"SIGKILL stops the run: {code} {err}")
        else:
            expect(code == 130 and "interrupted: the records read so far are saved in " + state in err,
                   f"{sig.name} saves and exits 130: {code} {err!r}")
        expect(os.path.exists(state), f"{sig.name}: a state file was saved")
        if sig != signal.SIGKILL:
            expect(not [f for f in os.listdir(tmp) if ".tmp-" in f], f"{sig.name}: no temporary file left behind")
        code, out, err = resumed_run(registry, events, state, fifo)
        expect(code == 0, f"{sig.name}: the resumed run exits 0: {code} {err}")
        got = json.loads(out) if code == 0 else {}
        for part in ("results", "outcomes", "inputs", "rejected", "ignored_fields"):
            expect(got.get(part) == expected[part], f"{sig.name}: the resumed run's {part} differ from the uninterrupted run's")
        # Run again over the finished state: every input is read already, nothing is counted twice.
        code, out, err = resumed_run(registry, events, state, fifo)
        expect(code == 0 and json.loads(out)["inputs"] == expected["inputs"], f"{sig.name}: a finished state reads nothing again")

    # A corrupted state file is refused, with the reason.
    state = os.path.join(tmp, "state-SIGKILL")
    data = bytearray(open(state, "rb").read())
    data[len(data) // 2] ^= 0xFF
    open(state, "wb").write(bytes(data))
    code, out, err = resumed_run(registry, events, state, fifo)
    expect(code == 2 and f"cannot restore from {state}: its checksum does not match: the file is corrupted" in err,
           f"a corrupted state: {code} {err!r}")
    # A state whose inputs are not all named keeps those it does not name.
    state2 = os.path.join(tmp, "state-other")
    p = subprocess.run([BIN, "check", PLAN, "--registry", registry, "--as-of", "2023-12-31", "--state", state2,
                        "--format", "json"], capture_output=True, text=True)
    expect(p.returncode == 0, f"a registry-only run: {p.stderr}")
    code, out, err = resumed_run(registry, events, state2, fifo)
    expect(code == 0, f"a state whose inputs are a prefix of the command's resumes: {err}")
    # Neither the registry nor the FIFO named, but a file with the same events: the state's
    # records stay, and every event is read again, as a duplicate of itself (its rejected ones
    # rejected again, under the new file's name), so results and outcomes do not move.
    registry_records = sum(1 for line in open(registry, "rb") if line.strip())
    event_records = expected["inputs"]["read"] - registry_records
    p = subprocess.run([BIN, "check", PLAN, "--events", events_path, "--as-of", "2023-12-31", "--state", state2,
                        "--format", "json"], capture_output=True)
    expect(p.returncode == 0, f"other inputs beside the state's: {p.stderr!r}")
    got = json.loads(p.stdout) if p.returncode == 0 else {}
    expect(got.get("inputs", {}).get("read") == expected["inputs"]["read"] + event_records,
           f"other inputs: the state's records and the file's: {got.get('inputs')}")
    for part in ("results", "outcomes"):
        expect(got.get(part) == expected[part], f"other inputs: {part} differ from the uninterrupted run's")
    # The state saved by that run still knows the FIFO: given all of it again, it is read already.
    code, out, err = resumed_run(registry, events, state2, fifo)
    expect(code == 0 and json.loads(out)["inputs"] == got.get("inputs"),
           f"the FIFO, not named by the run before, is known still: {code} {err[-300:]}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
