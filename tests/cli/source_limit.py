"""The rule-file size limit (max_source_bytes, 8 MiB by default, or --limit) is applied while the
file is read: every command that reads a rule or test file (lint, fmt, check, explain, graph,
test) stops one byte past the limit and refuses the file with the parser's diagnostic at 1:1.
So a file of gigabytes, /dev/zero, and a pipe whose writer never stops are refused promptly and
in little memory, where they were once read whole (a 3 GB file took 6.3 GB; /dev/zero grew
until killed).

Each run is limited in address space (not in sanitizer builds, whose shadow memory needs
terabytes of it) and in time, so a regression fails instead of exhausting the machine.
"""
import os
import resource
import subprocess
import sys
import tempfile
import threading

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
PLAN = os.path.join(HERE, "data", "town", "plan.mandate")
MEMORY = 1 << 30  # address space per run: far below the gigabytes a file read whole would take
SECONDS = 60      # a refusal takes milliseconds
LIMIT = 8 << 20   # the default max_source_bytes
failures = []


def limited():
    if not os.environ.get("MANDATE_SANITIZE"):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(args, stdin=subprocess.DEVNULL):
    try:
        return subprocess.run([BIN] + args, stdin=stdin, capture_output=True, timeout=SECONDS, preexec_fn=limited)
    except subprocess.TimeoutExpired:
        return None


def refused(name, args, first_line, stdin=subprocess.DEVNULL):
    """The run exits 2 and its first line of standard error is `first_line`."""
    p = run(args, stdin)
    if p is None:
        return failures.append(f"{name}: still running after {SECONDS} s")
    err = p.stderr.decode("utf-8", errors="replace")
    got = err.split("\n", 1)[0]
    if p.returncode != 2 or got != first_line:
        failures.append(f"{name}: exit {p.returncode}, first line {got[:200]!r}; expected exit 2 and {first_line!r}")


def over(path, limit=LIMIT, what="rule"):
    return f"{path}:1:1: error: {what} file is larger than the limit of {limit} bytes"


with tempfile.TemporaryDirectory() as tmp:
    # A sparse file of 3 GiB: nothing on disk, but read whole it would need 3 GiB of memory.
    huge = os.path.join(tmp, "huge.mandate")
    with open(huge, "wb") as f:
        f.truncate(3 << 30)
    # Exactly at the limit is not over it: 8 MiB of spaces is an empty rule file, whose one
    # error is the missing plan block; one byte more is over.
    at_limit = os.path.join(tmp, "at-limit.mandate")
    with open(at_limit, "wb") as f:
        f.write(b" " * LIMIT)
    past_limit = os.path.join(tmp, "past-limit.mandate")
    with open(past_limit, "wb") as f:
        f.write(b" " * (LIMIT + 1))
    refused("lint at the limit", ["lint", at_limit], f"{at_limit}:1:1: error: no plan block: a rule file needs `plan ID {{ ... }}`")
    refused("lint one byte past the limit", ["lint", past_limit], over(past_limit))

    for command in (["lint"], ["fmt"], ["fmt", "--check"], ["graph"]):
        refused(" ".join(command) + " of 3 GiB", command + [huge], over(huge))
        refused(" ".join(command) + " of /dev/zero", command + ["/dev/zero"], over("/dev/zero"))
    refused("check of /dev/zero", ["check", "/dev/zero", "--events", "/dev/null", "--as-of", "2023-05-01"], over("/dev/zero"))
    refused("check of 3 GiB", ["check", huge, "--events", "/dev/null", "--as-of", "2023-05-01"], over(huge))
    refused("explain of /dev/zero", ["explain", "/dev/zero", "--events", "/dev/null", "--obligation", "monthly_activity",
                                     "--unit", "v1"], over("/dev/zero"))
    refused("test of /dev/zero as the plan", ["test", "/dev/zero", PLAN], over("/dev/zero"))
    refused("test of /dev/zero as a test file", ["test", PLAN, "/dev/zero"], over("/dev/zero", what="test"))
    refused("lint of standard input from /dev/zero", ["lint", "-"], over("<stdin>"), stdin=open("/dev/zero", "rb"))

    # --limit lowers the bound, and reading stops there too.
    refused("lint --limit of /dev/zero", ["lint", "--limit", "max_source_bytes=1000", "/dev/zero"], over("/dev/zero", 1000))
    refused("check --limit of 3 GiB", ["check", huge, "--limit", "max_source_bytes=1000", "--events", "/dev/null",
                                       "--as-of", "2023-05-01"], over(huge, 1000))

    # A pipe whose writer never stops: lint must refuse it without waiting for an end.
    fifo = os.path.join(tmp, "endless.mandate")
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever():
        try:
            with open(fifo, "wb") as f:
                block = b"# an endless comment " * 3000 + b"\n"
                while not stop.is_set():
                    f.write(block)
        except (BrokenPipeError, OSError):
            pass  # the reader stopped reading: what the test wants

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    refused("lint of an endless pipe", ["lint", fifo], over(fifo))
    stop.set()
    # Unblock a writer still waiting for a reader (when lint never opened the pipe).
    try:
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass
    writer.join(10)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("source limit: every oversized source refused while reading")
