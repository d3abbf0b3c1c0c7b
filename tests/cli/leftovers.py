"""Nothing a run makes outlives it, however it ends:

- the copy of standard input kept for `--rejects` is unlinked as soon as it is made, so no
  `mandate-stdin-*` file is ever in the temporary folder, even while the run waits for input
  (and a killed run leaves nothing), yet the rejected records are still copied out;
- a state file's temporary carries its writer's process id; one left by a killed writer is
  removed by the next save beside it, and a save that fails (a file size limit) leaves none
  and exits 3.
"""
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "town")
PLAN = os.path.join(DATA, "plan.mandate")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


events = open(os.path.join(DATA, "events.jsonl"), "rb").read()
line8 = events.splitlines()[7]

with tempfile.TemporaryDirectory() as tmp:
    private_tmp = os.path.join(tmp, "tmpdir")
    os.mkdir(private_tmp)
    env = dict(os.environ, TMPDIR=private_tmp)
    rejects = os.path.join(tmp, "rejects.jsonl")
    args = [BIN, "check", PLAN, "--registry", os.path.join(DATA, "registry.csv"), "--events", "-", "--as-of", "2023-07-03",
            "--format", "json", "-o", os.path.join(tmp, "r.json"), "--rejects", rejects]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    p.stdin.write(events[:200])
    p.stdin.flush()

    def open_files():
        out = []
        for fd in os.listdir(f"/proc/{p.pid}/fd"):
            try:
                out.append(os.readlink(f"/proc/{p.pid}/fd/{fd}"))
            except OSError:
                pass
        return out

    # It makes the copy when it starts on standard input (later under a sanitizer): wait for it.
    deadline = time.time() + 60
    while time.time() < deadline and not any("mandate-stdin-" in c for c in open_files()):
        time.sleep(0.05)
    copies = open_files()
    expect(os.listdir(private_tmp) == [], f"no copy of standard input in the temporary folder: {os.listdir(private_tmp)}")
    expect(any("mandate-stdin-" in c and c.endswith("(deleted)") for c in copies), f"the copy is an unlinked file: {copies}")
    p.stdin.write(events[200:])
    p.stdin.close()
    p.wait(timeout=60)
    expect(p.returncode == 0 and open(rejects, "rb").read() == line8 + b"\n", f"--rejects still copies line 8: {p.returncode}")
    # Killed while waiting: nothing left either.
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    p.stdin.write(events[:200])
    p.stdin.flush()
    time.sleep(0.3)
    p.kill()
    p.wait()
    expect(os.listdir(private_tmp) == [], f"a killed run leaves nothing: {os.listdir(private_tmp)}")

    # ---------------------------------------------------------------- state temporaries
    state = os.path.join(tmp, "st")
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = f"{state}.tmp-mandate-{gone.pid}-0"
    open(stale, "wb").write(b"x" * 1000)
    state_args = [BIN, "check", PLAN, "--registry", os.path.join(DATA, "registry.csv"), "--events", os.path.join(DATA, "events.jsonl"),
                  "--as-of", "2023-07-03", "--format", "json", "--state", state]
    p = subprocess.run(state_args, capture_output=True, timeout=60)
    expect(p.returncode == 0 and os.path.exists(state), f"saved: {p.stderr}")
    expect(not os.path.exists(stale), "the temporary of a writer that is gone was removed")

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    os.remove(state)
    p = subprocess.run(state_args, capture_output=True, timeout=60, preexec_fn=small_files)
    err = p.stderr.decode()
    expect(p.returncode == 3 and f"cannot write {state}" in err, f"a save that fails exits 3: {p.returncode} {err!r}")
    expect([f for f in os.listdir(tmp) if f.startswith("st")] == [], f"and leaves nothing: {os.listdir(tmp)}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
