"""`mandate watch` end to end: records written slowly into a pipe yield their change lines in
order, each line read before the next record is written; a record that changes nothing yields
nothing; --follow keeps reading what is appended to a file until SIGTERM; --clock follows the
local date in the plan's zone (under Debian's faketime) and hears midnight as what it changed.

The expected lines are worked out by hand from tests/cli/data/town/plan.mandate: villages v1
(households v1-h1, v1-h2) and v2 (v2-h1), a campaign from 2023-04-01 to 2023-06-30, one activity
a month in a park or square (5 days of grace), leaflets to every household by 2023-05-31, and a
commendation for two months in a row without a fraud case.
"""
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
PLAN = os.path.join(HERE, "data", "town", "plan.mandate")
REGISTRY = os.path.join(HERE, "data", "town", "registry.csv")
failures = []

FIELDS = ["rule", "outcome", "unit", "period", "before", "after", "fired_before", "fired_after",
          "final_before", "final_after", "as_of"]


def change(rule, unit, period, before=None, after=None, fired=(None, None), final=(None, None), as_of="2023-07-03",
           outcome=False):
    return {"rule": rule, "outcome": outcome, "unit": unit, "period": {"from": period[0], "to": period[1]},
            "before": before, "after": after, "fired_before": fired[0], "fired_after": fired[1],
            "final_before": final[0], "final_after": final[1], "as_of": as_of}


APRIL = ("2023-04-01", "2023-04-30")
MAY = ("2023-05-01", "2023-05-31")
JUNE = ("2023-06-01", "2023-06-30")
CAMPAIGN = ("2023-04-01", "2023-06-30")
BY_MAY_END = ("2023-04-01", "2023-05-31")


BUFFERS = {}  # process -> bytes read from its standard output and not yet taken as lines


def next_line(p, timeout):
    """The next whole line of p's standard output within timeout seconds: b"" at its end, None
    when none came in time. Reads the pipe unbuffered, so a line not yet written is not waited for
    behind one already read."""
    deadline = time.monotonic() + timeout
    buf = BUFFERS.setdefault(p, b"")
    while b"\n" not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([p.stdout], [], [], left)
        if not ready:
            return None
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            BUFFERS[p] = b""
            return buf
        buf += chunk
        BUFFERS[p] = buf
    line, _, BUFFERS[p] = buf.partition(b"\n")
    return line + b"\n"


def read_line(p, timeout, what):
    """One change line from p within timeout seconds, or None."""
    line = next_line(p, timeout)
    if line is None:
        failures.append(f"{what}: no line within {timeout} s")
        return None
    if not line:
        failures.append(f"{what}: standard output ended")
        return None
    if not line.endswith(b"\n"):
        failures.append(f"{what}: a line without its line break: {line!r}")
    got = json.loads(line)
    if list(got) != FIELDS:
        failures.append(f"{what}: fields {list(got)}, expected {FIELDS}")
    return got


def expect_lines(p, expected, what, timeout=10):
    for i, want in enumerate(expected):
        got = read_line(p, timeout, f"{what}, line {i + 1}")
        if got is not None and got != want:
            failures.append(f"{what}, line {i + 1}:\n  got      {got}\n  expected {want}")


def expect_quiet(p, what, seconds=0.5):
    line = next_line(p, seconds)
    if line is not None:
        failures.append(f"{what}: an unexpected line {line!r}")


def send(p, record):
    p.stdin.write((json.dumps(record) + "\n").encode())
    p.stdin.flush()


def start(*args, env=None, prefix=()):
    return subprocess.Popen([*prefix, BIN, "watch", PLAN, "--registry", REGISTRY, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def finish(p, what, code=0):
    if p.stdin and not p.stdin.closed:
        p.stdin.close()
    try:
        rest = BUFFERS.pop(p, b"") + p.stdout.read()
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        failures.append(f"{what}: did not stop")
        return ""
    err = p.stderr.read().decode()
    if rest:
        failures.append(f"{what}: unexpected lines at the end: {rest!r}")
    if p.returncode != code:
        failures.append(f"{what}: exit {p.returncode}, expected {code}; stderr: {err}")
    return err


A1 = {"id": "a1", "type": "activity", "time": "2023-04-10", "unit": "v1", "venue": "park"}
HALL = {"id": "a2", "type": "activity", "time": "2023-05-10", "unit": "v1", "venue": "hall"}
F1 = {"id": "f1", "type": "fraud_case", "time": "2023-05-15", "unit": "v2", "amount": 5000}
L1 = {"id": "l1", "type": "leaflet", "time": "2023-05-02", "unit": "v1", "recipient": "v1-h1"}
L2 = {"id": "l2", "type": "leaflet", "time": "2023-05-03", "unit": "v1", "recipient": "v1-h2"}

# --- A pipe fed slowly, the watch date fixed at 2023-07-03 -------------------------------------
# On 2023-07-03 every April and May bucket has passed its grace (violated without an activity),
# June is in its grace until 07-05 (pending), the leaflets were due 05-31 (violated: none), and
# both villages were commended (three months without a case, the campaign over: final).
p = start("--events", "-", "--as-of", "2023-07-03")
expect_quiet(p, "nothing before the first record")
send(p, A1)  # v1's April activity, in a park
expect_lines(p, [change("monthly_activity", "v1", APRIL, "violated", "satisfied")], "a1")
expect_quiet(p, "after a1")
send(p, HALL)  # in a hall: not a venue the rule counts, so nothing changes
expect_quiet(p, "an activity in a hall")
send(p, A1)  # the same event again: a duplicate changes nothing
expect_quiet(p, "a duplicate of a1")
send(p, F1)  # a case in v2 in May: April and June alone are one month in a row, not two
expect_lines(p, [change("commend", "v2", CAMPAIGN, fired=(True, False), final=(True, True), outcome=True)], "f1")
send(p, L1)  # one of v1's two households: coverage 50%, still violated
expect_quiet(p, "the first leaflet")
send(p, L2)  # the other: 100%
expect_lines(p, [change("leaflets", "v1", BY_MAY_END, "violated", "satisfied")], "l2")
send(p, {"id": "x1", "type": "activity", "time": "2023-04-11", "unit": "v9", "venue": "park"})  # unresolved
expect_quiet(p, "a record for an unknown unit")
p.stdin.write(b"{not json\n")
p.stdin.flush()
expect_quiet(p, "a malformed record")
send(p, {"retract": "a1"})  # April falls back to violated
expect_lines(p, [change("monthly_activity", "v1", APRIL, "satisfied", "violated")], "the retraction of a1")
err = finish(p, "the slow pipe")
# In the reader's language, Chinese unless --lang en (the engine's reason itself is machine text).
if "mandate watch：<stdin>:8：拒收：" not in err:
    failures.append(f"the malformed record (line 8) is not reported with its location: {err!r}")

# --- The default watch date: the latest event date ---------------------------------------------
# First record 2023-04-10: buckets that have started appear (April, and the leaflets due 05-31);
# May has not started. Second record 2023-05-10: the watch date moves to it, April's grace for v2
# ended on 05-05 (violated), May starts for both villages, and v2's May is satisfied at once.
p = start("--events", "-")
send(p, A1)
on_0410 = dict(as_of="2023-04-10")
expect_lines(p, [
    change("leaflets", "v1", BY_MAY_END, None, "pending", **on_0410),
    change("leaflets", "v2", BY_MAY_END, None, "pending", **on_0410),
    change("monthly_activity", "v1", APRIL, None, "satisfied", **on_0410),
    change("monthly_activity", "v2", APRIL, None, "pending", **on_0410),
    change("commend", "v1", CAMPAIGN, fired=(None, False), final=(None, False), outcome=True, **on_0410),
    change("commend", "v2", CAMPAIGN, fired=(None, False), final=(None, False), outcome=True, **on_0410),
], "the first record, watched on its own date")
send(p, {"id": "a3", "type": "activity", "time": "2023-05-10", "unit": "v2", "venue": "square"})
on_0510 = dict(as_of="2023-05-10")
expect_lines(p, [
    change("monthly_activity", "v1", MAY, None, "pending", **on_0510),
    change("monthly_activity", "v2", APRIL, "pending", "violated", **on_0510),
    change("monthly_activity", "v2", MAY, None, "satisfied", **on_0510),
], "a record a month later")
finish(p, "the default watch date")

# --- --follow: what is appended to a file, until SIGTERM ----------------------------------------
work = tempfile.mkdtemp(prefix="mandate-watch-")
try:
    feed = os.path.join(work, "feed.jsonl")
    with open(feed, "w") as f:
        f.write(json.dumps(A1) + "\n")
    p = start("--events", feed, "--as-of", "2023-07-03", "--follow")
    expect_lines(p, [change("monthly_activity", "v1", APRIL, "violated", "satisfied")], "--follow, the file's first line")
    with open(feed, "a") as f:
        f.write(json.dumps(L1) + "\n")
        f.write(json.dumps(L2)[:20])  # half a line: read only once its line ends
        f.flush()
        expect_quiet(p, "--follow, a line not yet ended", 1.0)
        f.write(json.dumps(L2)[20:] + "\n")
    expect_lines(p, [change("leaflets", "v1", BY_MAY_END, "violated", "satisfied")], "--follow, an appended line")
    if p.poll() is not None:
        failures.append("--follow stopped at the end of the file")
    p.send_signal(signal.SIGTERM)
    finish(p, "--follow after SIGTERM")

    # Without --follow a file is read to its end, and the command stops.
    p = start("--events", feed, "--as-of", "2023-07-03")
    expect_lines(p, [change("monthly_activity", "v1", APRIL, "violated", "satisfied"),
                     change("leaflets", "v1", BY_MAY_END, "violated", "satisfied")], "a file without --follow")
    finish(p, "a file without --follow")

    # SIGINT stops a watch on a pipe that stays open.
    p = start("--events", "-", "--as-of", "2023-07-03")
    send(p, A1)
    expect_lines(p, [change("monthly_activity", "v1", APRIL, "violated", "satisfied")], "before SIGINT")
    p.send_signal(signal.SIGINT)
    try:
        p.wait(timeout=10)
        if p.returncode != 0:
            failures.append(f"SIGINT: exit {p.returncode}, expected 0")
    except subprocess.TimeoutExpired:
        p.kill()
        failures.append("SIGINT did not stop the watch")
    p.stdin.close()

    # Usage errors: exit 2 with the reason.
    for args, text in [(["--events", "-", "--as-of", "2023-07-03", "--clock"], "give one"),
                       (["--as-of", "2023-07-03"], "usage: mandate watch"),
                       (["--events", "-", "--as-of", "2023-13-01"], "--as-of must be a date"),
                       (["--events", work, "--follow"], "not one")]:
        r = subprocess.run([BIN, "watch", PLAN, *args], stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
        if r.returncode != 2 or text not in r.stderr.decode():
            failures.append(f"watch {args}: exit {r.returncode}, stderr {r.stderr.decode()!r}; expected 2 and '{text}'")
finally:
    shutil.rmtree(work)

# --- --clock: the local date in the plan's zone (+08:00), under faketime -----------------------
# 15:59:58 UTC on 2023-07-05 is 23:59:58 in the plan's zone, the last day of June's grace: June
# is pending for both villages. Two seconds later it is 2023-07-06 there, and June's buckets
# close as violated, heard without a record being sent. A record then is watched on that date.
faketime = shutil.which("faketime")
if faketime is None:
    failures.append("faketime is not installed (tools/setup installs it)")
else:
    # faketime preloads its library: under AddressSanitizer (tools/sanitize) that library comes
    # before ASan's runtime, which ASan accepts once told not to insist on coming first.
    asan = os.environ.get("ASAN_OPTIONS", "")
    env = dict(os.environ, TZ="UTC", ASAN_OPTIONS=(asan + ":" if asan else "") + "verify_asan_link_order=0")
    p = start("--events", "-", "--clock", env=env, prefix=(faketime, "-f", "@2023-07-05 15:59:58"))
    expect_quiet(p, "--clock before midnight", 1.0)
    on_0706 = dict(as_of="2023-07-06")
    expect_lines(p, [change("monthly_activity", "v1", JUNE, "pending", "violated", **on_0706),
                     change("monthly_activity", "v2", JUNE, "pending", "violated", **on_0706)],
                 "--clock at midnight in +08:00", timeout=15)
    send(p, {"id": "j1", "type": "activity", "time": "2023-06-20", "unit": "v2", "venue": "park"})
    expect_lines(p, [change("monthly_activity", "v2", JUNE, "violated", "satisfied", **on_0706)], "--clock, a record")
    finish(p, "--clock")

# --lang en: the same note in English.
p = start("--events", "-", "--as-of", "2023-07-03", "--lang", "en")
p.stdin.write(b"{not json\n")
err = finish(p, "--lang en")
if "mandate watch: <stdin>:1: rejected: " not in err:
    failures.append(f"--lang en: the note in English: {err!r}")

# A compressed file cannot be watched as it grows: refused at once, exit 2, saying what to do.
# A byte order mark before the first record is not part of it.
import gzip
with tempfile.TemporaryDirectory() as tmp:
    compressed = os.path.join(tmp, "events.jsonl.gz")
    with gzip.open(compressed, "wb") as f:
        f.write(b'{"id": "k1", "type": "activity", "time": "2023-04-20", "unit": "v1", "venue": "park"}\n')
    p = start("--events", compressed, "--as-of", "2023-07-03")
    err = finish(p, "a gzipped file", code=2)
    if err != (f"mandate watch: {compressed} is gzip-compressed: mandate watch reads records as plain text as they are "
               f"written; give it the text (zcat {compressed} | mandate watch ... --events -), or read the file with "
               f"mandate check, which decompresses\n"):
        failures.append(f"a gzipped file: {err!r}")
    marked = os.path.join(tmp, "events.jsonl")
    with open(marked, "wb") as f:
        f.write(b'\xef\xbb\xbf{"id": "k1", "type": "activity", "time": "2023-04-20", "unit": "v1", "venue": "park"}\n')
    p = start("--events", marked, "--as-of", "2023-07-03")
    expect_lines(p, [change("monthly_activity", "v1", APRIL, "violated", "satisfied")], "a byte order mark")
    err = finish(p, "a byte order mark")
    if err:
        failures.append(f"a byte order mark: stderr {err!r}")

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
