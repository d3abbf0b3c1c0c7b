#!/usr/bin/env python3
"""`mandate check` reads the small record set of tests/cli/data/town however it is stored: gzip
or zstd (told by the first bytes, whatever the file is called), GBK with --encoding gbk, with a
UTF-8 byte order mark, or from standard input gzipped. Each way gives the report the plain
UTF-8 files give (worked out by hand in check_formats.py, as of 2023-07-03: 17 records read,
6 entities, 9 applied, 1 duplicate, 1 rejected, e10 on line 8 of the events).

Also: a rejection names the file read and counts decompressed lines; --rejects copies the
decompressed line; a GBK registry read as UTF-8 draws a note naming --encoding; a truncated
gzip file stops the run (exit 2) naming the file; under --state a compressed input is read
whole and resumed from. Usage: compressed_inputs.py PATH_TO_MANDATE"""
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
REGISTRY = os.path.join(DATA, "registry.csv")
EVENTS = os.path.join(DATA, "events.jsonl")
LEAFLETS = os.path.join(DATA, "leaflets.csv")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def check(plan=PLAN, registry=REGISTRY, events=EVENTS, leaflets=LEAFLETS, extra=(), stdin=None):
    args = [BIN, "check", plan, "--registry", registry, "--events", events, "leaflet=" + leaflets,
            "--as-of", "2023-07-03", "--format", "json", *extra]
    return subprocess.run(args, capture_output=True, input=stdin, timeout=60)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def same_report(p, what):
    expect(p.returncode == 0, f"{what}: exit {p.returncode} {p.stderr!r}")
    if p.returncode != 0:
        return None
    r = json.loads(p.stdout)
    for key in ("results", "outcomes", "inputs"):
        expect(r[key] == base[key], f"{what}: {key} differ: {r[key]!r}")
    return r


# The plain files, and the counts check_formats.py works out by hand.
p = check()
expect(p.returncode == 0, f"plain: exit {p.returncode} {p.stderr!r}")
base = json.loads(p.stdout)
expect(base["inputs"] == {"read": 17, "entities": 6, "applied": 9, "duplicates": 1, "retracted": 0, "retractions": 0,
                          "unresolved": 0, "rejected": 1, "waivers": 0}, f"plain inputs: {base['inputs']}")

BOM = b"\xef\xbb\xbf"
events = read(EVENTS)
line8 = events.split(b"\n")[7] + b"\n"
expect(b'"e10"' in line8, "line 8 of events.jsonl is e10's")

with tempfile.TemporaryDirectory() as tmp:
    # ---------------------------------------------------------------- gzip, by content
    # Named .jsonl though gzipped: the first bytes (1f 8b) tell, not the name.
    gz = write(os.path.join(tmp, "events-gz.jsonl"), gzip.compress(events))
    expect(read(gz)[:2] == b"\x1f\x8b", "the gzip file starts 1f 8b")
    rejects = os.path.join(tmp, "rejects-gz.txt")
    r = same_report(check(events=gz, extra=("--rejects", rejects)), "gzip events")
    if r:
        expect([(x["source"], x["line"]) for x in r["rejected"]] == [(gz, 8)], f"gzip: rejected {r['rejected']}")
    expect(os.path.exists(rejects) and read(rejects) == line8, f"gzip: --rejects holds line 8: {read(rejects) if os.path.exists(rejects) else None!r}")

    # Two gzip members one after the other read as one file.
    halves = events.split(b"\n", 4)
    two = write(os.path.join(tmp, "events-two.gz"), gzip.compress(b"\n".join(halves[:4]) + b"\n") + gzip.compress(halves[4]))
    same_report(check(events=two), "two gzip members")

    # A gzipped CSV (registry and leaflets).
    reg_gz = write(os.path.join(tmp, "registry.csv.gz"), gzip.compress(read(REGISTRY)))
    leaf_gz = write(os.path.join(tmp, "leaflets-gz.csv"), gzip.compress(read(LEAFLETS)))
    same_report(check(registry=reg_gz + "", leaflets=leaf_gz), "gzip CSV")

    # Standard input, gzipped, with --rejects: the copy kept is of the decompressed text.
    rejects = os.path.join(tmp, "rejects-stdin.txt")
    r = same_report(check(events="-", extra=("--rejects", rejects), stdin=gzip.compress(events)), "gzip stdin")
    if r:
        expect([(x["source"], x["line"]) for x in r["rejected"]] == [("<stdin>", 8)], f"gzip stdin: rejected {r['rejected']}")
    expect(os.path.exists(rejects) and read(rejects) == line8, "gzip stdin: --rejects holds line 8")

    # Truncated: the run stops with exit 2, naming the file; no report on part of it.
    cut = write(os.path.join(tmp, "events-cut.jsonl.gz"), gzip.compress(events)[:-12])
    p = check(events=cut)
    expect(p.returncode == 2, f"truncated gzip: exit {p.returncode}")
    expect(p.stdout == b"", f"truncated gzip: a report was written: {p.stdout[:100]!r}")
    expect(p.stderr.startswith(b"mandate check: cannot read " + cut.encode() + b": the gzip data is cut short"),
           f"truncated gzip: {p.stderr!r}")
    # Corrupt: the same, saying so.
    bad = bytearray(gzip.compress(events))
    bad[20:30] = b"\xff" * 10
    bad = write(os.path.join(tmp, "events-bad.gz"), bytes(bad))
    p = check(events=bad)
    expect(p.returncode == 2 and p.stdout == b"", f"corrupt gzip: exit {p.returncode}")
    expect(p.stderr.startswith(b"mandate check: cannot read " + bad.encode() + b": the gzip data is corrupt"),
           f"corrupt gzip: {p.stderr!r}")

    # Under --state: the compressed input is saved once read whole; the second run resumes
    # with nothing new to read and reports the same.
    state = os.path.join(tmp, "state")
    same_report(check(events=gz, extra=("--state", state, "--state-every", "2")), "gzip under --state")
    same_report(check(events=gz, extra=("--state", state, "--state-every", "2")), "gzip resumed from --state")

    # Stopped inside a compressed input: nothing of it is saved, the state saved before it (the
    # registry and leaflets, read first) stays, and the same command reads it again from the
    # start. The events (the town's 50 times over: duplicates after the first copy) come
    # through a FIFO, so the run is surely inside them when SIGTERM arrives.
    many = gzip.compress(events * 50)
    fifo = os.path.join(tmp, "events.fifo")
    os.mkfifo(fifo)
    state = os.path.join(tmp, "state-stopped")
    whole = check(registry=REGISTRY, events=write(os.path.join(tmp, "many.gz"), many))
    expect(whole.returncode == 0, f"50 copies: exit {whole.returncode} {whole.stderr!r}")
    args = [BIN, "check", PLAN, "--registry", REGISTRY, "--events", "leaflet=" + LEAFLETS, fifo,
            "--as-of", "2023-07-03", "--format", "json", "--state", state, "--state-every", "2"]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(fifo, "wb") as feed:  # opens once the run opens it, after the CSV files
        feed.write(many[:len(many) // 2])
        feed.flush()
        deadline = time.time() + 30
        while not os.path.exists(state) and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        p.send_signal(signal.SIGTERM)
        feed.write(many[len(many) // 2:])
    out, err = p.communicate(timeout=60)
    expect(p.returncode == 130, f"stopped inside a gzip input: exit {p.returncode} {err!r}")
    expect(err.startswith(f"mandate check: interrupted inside {fifo}, which is compressed and so saved only whole: "
                          f"{state} holds the records read before it".encode()), f"stopped inside a gzip input: {err!r}")
    # The positions: done, lines, bytes, hash, line ended, source. The registry (7 lines) and
    # the leaflets (4 lines) were read whole; the events, not at all.
    saved = read(state)
    saved = saved[saved.find(b"mandate-resume 2\n"):].split(b"\n")
    positions = {line.split(b" ", 5)[5].decode(): line.split(b" ")[:3] for line in saved[1:4]}
    expect(positions == {REGISTRY: [b"1", b"7", str(len(read(REGISTRY))).encode()],
                         LEAFLETS: [b"1", b"4", str(len(read(LEAFLETS))).encode()],
                         fifo: [b"0", b"0", b"0"]}, f"the state holds the CSV files, nothing of the events: {positions}")
    # The same command reads the events again, whole, and reports as a run never stopped.
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(fifo, "wb") as feed:
        feed.write(many)
    out, err = p.communicate(timeout=60)
    expect(p.returncode == 0, f"resumed after a stop inside a gzip input: exit {p.returncode} {err!r}")
    if p.returncode == 0 and whole.returncode == 0:
        a, b = json.loads(out), json.loads(whole.stdout)
        for key in ("results", "outcomes", "inputs"):
            expect(a[key] == b[key], f"resumed after a stop inside a gzip input: {key} differ")
        expect(a["inputs"]["read"] == 6 + 3 + 8 * 50, f"resumed: every record once: {a['inputs']}")

    # ---------------------------------------------------------------- zstd
    if shutil.which("zstd"):
        zst = os.path.join(tmp, "events-zst.jsonl")
        subprocess.run(["zstd", "-q", "-f", EVENTS, "-o", zst], check=True)
        expect(read(zst)[:4] == b"\x28\xb5\x2f\xfd", "the zstd file starts 28 b5 2f fd")
        rejects = os.path.join(tmp, "rejects-zst.txt")
        r = same_report(check(events=zst, extra=("--rejects", rejects)), "zstd events")
        if r:
            expect([(x["source"], x["line"]) for x in r["rejected"]] == [(zst, 8)], f"zstd: rejected {r['rejected']}")
        expect(os.path.exists(rejects) and read(rejects) == line8, "zstd: --rejects holds line 8")
        reg_zst = os.path.join(tmp, "registry-zst.csv")
        subprocess.run(["zstd", "-q", "-f", REGISTRY, "-o", reg_zst], check=True)
        same_report(check(registry=reg_zst), "zstd registry")
        cut = write(os.path.join(tmp, "events-cut.zst"), read(zst)[:-6])
        p = check(events=cut)
        expect(p.returncode == 2 and p.stdout == b"", f"truncated zstd: exit {p.returncode}")
        expect(p.stderr.startswith(b"mandate check: cannot read " + cut.encode() + b": the zstd data is cut short"),
               f"truncated zstd: {p.stderr!r}")
    else:
        print("note: no zstd command (tools/setup installs it): the zstd part is skipped")

    # ---------------------------------------------------------------- GBK
    text = read(REGISTRY).decode("utf-8")
    gbk = write(os.path.join(tmp, "registry-gbk.csv"), text.encode("gbk"))
    expect(read(gbk) != read(REGISTRY), "the GBK registry differs from the UTF-8 one")
    for name in ("gbk", "GB18030"):
        p = check(registry=gbk, extra=("--encoding", name))
        same_report(p, f"--encoding {name}")
        expect(b"--encoding" not in p.stderr, f"--encoding {name}: a note: {p.stderr!r}")
    # Gzipped and GBK at once.
    gbk_gz = write(os.path.join(tmp, "registry-gbk.csv.gz"), gzip.compress(text.encode("gbk")))
    same_report(check(registry=gbk_gz, extra=("--encoding", "gbk")), "gzipped GBK")
    # Read as UTF-8: rows 2, 3 and 4 (the three with Chinese names) are not UTF-8 and are
    # rejected, and a note, once, names the option.
    p = check(registry=gbk, extra=("--lang", "en"))
    note = f"mandate check: {gbk} is not UTF-8; it reads as GBK/GB18030: give --encoding gbk\n".encode()
    expect(p.stderr.count(note) == 1, f"GBK read as UTF-8: the note: {p.stderr!r}")
    zh = check(registry=gbk).stderr.decode("utf-8")
    expect(zh.count(f"mandate check：{gbk}不是 UTF-8 编码，按 GBK/GB18030 可以读通：请加 --encoding gbk\n") == 1, f"the note in Chinese: {zh!r}")
    if p.returncode == 0:
        r = json.loads(p.stdout)
        lines = sorted(x["line"] for x in r["rejected"] if x["source"] == gbk)
        expect(lines == [2, 3, 4], f"GBK read as UTF-8: rejected lines {lines}")
    else:
        failures.append(f"GBK read as UTF-8: exit {p.returncode} {p.stderr!r}")
    # A UTF-8 file draws no note.
    expect(b"is not UTF-8" not in check().stderr, "plain files: a note about the encoding")
    p = check(extra=("--encoding", "latin1"))
    expect(p.returncode == 2 and b"--encoding must be utf-8, gbk or gb18030, not 'latin1'" in p.stderr,
           f"--encoding latin1: {p.returncode} {p.stderr!r}")

    # ---------------------------------------------------------------- byte order marks
    boms = {name: write(os.path.join(tmp, "bom-" + os.path.basename(path)), BOM + read(path))
            for name, path in (("plan", PLAN), ("registry", REGISTRY), ("events", EVENTS), ("leaflets", LEAFLETS))}
    r = same_report(check(plan=boms["plan"], registry=boms["registry"], events=boms["events"], leaflets=boms["leaflets"]),
                    "byte order marks")
    if r:
        expect([(x["source"], x["line"]) for x in r["rejected"]] == [(boms["events"], 8)], f"BOM: rejected {r['rejected']}")
    # A gzipped file with a byte order mark inside.
    same_report(check(events=write(os.path.join(tmp, "bom-events.gz"), gzip.compress(BOM + events))), "gzipped BOM")

    # A rule file with a byte order mark: its diagnostics keep the columns one sees. The plan
    # with 'plan' misspelt on line 2: the error is at line 2, column 1, as without the mark.
    broken = read(PLAN).replace(b"plan town_check {", b"plam town_check {", 1)
    plain = write(os.path.join(tmp, "broken.mandate"), broken)
    marked = write(os.path.join(tmp, "broken-bom.mandate"), BOM + broken)
    a = subprocess.run([BIN, "lint", plain], capture_output=True, timeout=60)
    b = subprocess.run([BIN, "lint", marked], capture_output=True, timeout=60)
    expect(a.returncode == 2 and b.returncode == 2, f"lint broken: exit {a.returncode} {b.returncode}")
    expect(a.stderr.startswith(plain.encode() + b":2:1:") or a.stdout.startswith(plain.encode() + b":2:1:"),
           f"lint broken: {a.stderr!r} {a.stdout!r}")
    expect(b.stderr.replace(marked.encode(), plain.encode()) == a.stderr and
           b.stdout.replace(marked.encode(), plain.encode()) == a.stdout, f"lint with a BOM: {b.stderr!r}")
    # An error on the first line itself: 'plam' on line 1, column 1.
    first = write(os.path.join(tmp, "first-bom.mandate"), BOM + broken.split(b"\n", 1)[1])
    b = subprocess.run([BIN, "lint", first], capture_output=True, timeout=60)
    expect((b.stderr + b.stdout).startswith(first.encode() + b":1:1:"), f"lint, error on a BOM's line: {b.stderr!r}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
