"""Where `-o` and `--rejects` write: whatever stands at the path is treated as a user expects,
and no failure leaves a temporary file behind (docs/report.md, "Where output goes").

- a new path, or a regular file with one link: replaced whole (its permissions kept);
- a regular file with two links: rewritten in place, both names still one file;
- a symbolic link: followed, the link stays a link and its target gets the report;
- a FIFO: written through, its reader gets the whole report;
- a character device (made with mknod in a temporary directory, never one under /dev): written
  through, and still a device afterwards; one that fails every write (as /dev/full does) exits 3;
- a directory: refused, exit 3;
- a write that fails part-way (a file size limit): exit 3, the old file untouched, no temporary;
- temporaries a killed process left beside the target are removed by the next run.
"""
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import threading

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def check(*extra, preexec=None):
    args = [BIN, "check", PLAN, "--registry", os.path.join(DATA, "registry.csv"), "--events", os.path.join(DATA, "events.jsonl"),
            "--as-of", "2023-07-03", "--format", "json"] + list(extra)
    return subprocess.run(args, capture_output=True, text=True, timeout=60, preexec_fn=preexec)


def is_report(text):
    try:
        r = json.loads(text)
    except ValueError:
        return False
    # The town's records as of 2023-07-03: 8 obligation buckets, 2 outcome buckets, 1 rejection.
    return r["schema"] == "mandate.report/1" and len(r["results"]) == 8 and len(r["outcomes"]) == 2


def leftovers(folder):
    return [f for f in os.listdir(folder) if ".tmp-" in f]


with tempfile.TemporaryDirectory() as tmp:
    # ---------------------------------------------------------------- a regular file
    path = os.path.join(tmp, "report.json")
    with open(path, "w") as f:
        f.write("old")
    os.chmod(path, 0o640)
    before = os.stat(path)
    p = check("-o", path)
    after = os.stat(path)
    expect(p.returncode == 0 and is_report(open(path).read()), f"a regular file gets the report: {p.returncode} {p.stderr}")
    expect(stat.S_IMODE(after.st_mode) == 0o640, f"its permissions are kept: {oct(after.st_mode)}")
    expect(after.st_ino != before.st_ino, "a file with one link is replaced by a new one (atomically)")
    expect(not leftovers(tmp), f"no temporary left: {leftovers(tmp)}")

    # ---------------------------------------------------------------- two hard links
    a, b = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
    with open(a, "w") as f:
        f.write("old")
    os.link(a, b)
    inode = os.stat(a).st_ino
    p = check("-o", a)
    expect(p.returncode == 0, f"hard link: {p.stderr}")
    expect(os.stat(a).st_ino == inode and os.stat(b).st_ino == inode and os.stat(a).st_nlink == 2,
           "a file with two links is rewritten in place: both names are still one file")
    expect(is_report(open(b).read()), "the other name shows the report too")

    # ---------------------------------------------------------------- a symbolic link (and a chain)
    target = os.path.join(tmp, "target.json")
    link, link2 = os.path.join(tmp, "link.json"), os.path.join(tmp, "link2.json")
    with open(target, "w") as f:
        f.write("old")
    os.symlink("target.json", link)  # relative: read from the link's own folder
    os.symlink(link, link2)
    p = check("-o", link2)
    expect(p.returncode == 0 and os.path.islink(link) and os.path.islink(link2), f"links stay links: {p.stderr}")
    expect(is_report(open(target).read()), "the link's target gets the report")
    dangling = os.path.join(tmp, "dangling.json")
    os.symlink("made-by-mandate.json", dangling)
    p = check("-o", dangling)
    expect(p.returncode == 0 and os.path.islink(dangling) and is_report(open(os.path.join(tmp, "made-by-mandate.json")).read()),
           f"a dangling link's target is created: {p.stderr}")

    # ---------------------------------------------------------------- a FIFO
    fifo = os.path.join(tmp, "report.fifo")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    p = check("-o", fifo)
    reader.join(timeout=30)
    expect(p.returncode == 0 and got and is_report(got[0]), f"a FIFO's reader gets the whole report: {p.stderr}")
    expect(stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO is still a FIFO")

    # ---------------------------------------------------------------- --rejects to a symlink and a FIFO
    rejects_target = os.path.join(tmp, "rejects.txt")
    open(rejects_target, "w").close()
    rejects_link = os.path.join(tmp, "rejects-link.txt")
    os.symlink(rejects_target, rejects_link)
    p = check("-o", os.path.join(tmp, "r.json"), "--rejects", rejects_link)
    line8 = open(os.path.join(DATA, "events.jsonl"), encoding="utf-8").read().splitlines()[7]
    expect(os.path.islink(rejects_link) and open(rejects_target, encoding="utf-8").read() == line8 + "\n",
           f"--rejects follows a symlink: {open(rejects_target).read()!r}")
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, encoding="utf-8").read()))
    reader.start()
    p = check("-o", os.path.join(tmp, "r.json"), "--rejects", fifo)
    reader.join(timeout=30)
    expect(got == [line8 + "\n"], f"--rejects into a FIFO: {got!r}")

    # ---------------------------------------------------------------- character devices made here
    if os.geteuid() == 0:
        null = os.path.join(tmp, "null")
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
        p = check("-o", null)
        expect(p.returncode == 0 and stat.S_ISCHR(os.stat(null).st_mode), f"a device stays a device: {p.stderr}")
        full = os.path.join(tmp, "full")
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # what /dev/full is
        p = check("-o", full)
        expect(p.returncode == 3 and f"cannot write {full}: No space left on device" in p.stderr,
               f"a device that fails writes exits 3: {p.returncode} {p.stderr!r}")
        expect(stat.S_ISCHR(os.stat(full).st_mode), "still a device after the failure")
        p = check("-o", os.path.join(tmp, "r.json"), "--rejects", full)
        expect(p.returncode == 3 and "No space left on device" in p.stderr, f"--rejects to it exits 3: {p.returncode} {p.stderr!r}")
    else:
        print("not root: the mknod cases did not run")

    # ---------------------------------------------------------------- a directory
    p = check("-o", tmp)
    expect(p.returncode == 3 and f"cannot write {tmp}: it is a directory" in p.stderr, f"a directory: {p.returncode} {p.stderr!r}")

    # ---------------------------------------------------------------- a write that fails part-way
    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    with open(path, "w") as f:
        f.write("the old report")
    p = check("-o", path, preexec=small_files)
    expect(p.returncode == 3 and "cannot write " + path in p.stderr, f"a failed write exits 3: {p.returncode} {p.stderr!r}")
    expect(open(path).read() == "the old report", "the old file is untouched")
    expect(not leftovers(tmp), f"no temporary left after the failure: {leftovers(tmp)}")

    # ---------------------------------------------------------------- temporaries of a killed process
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = os.path.join(tmp, f"report.json.tmp-mandate-{gone.pid}-0")
    alive = os.path.join(tmp, f"report.json.tmp-mandate-{os.getpid()}-0")
    for f in (stale, alive):
        open(f, "w").close()
    p = check("-o", path)
    expect(p.returncode == 0 and not os.path.exists(stale), "a temporary whose process is gone is removed")
    expect(os.path.exists(alive), "one whose process still runs is left alone")
    os.remove(alive)

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
