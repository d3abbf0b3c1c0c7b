"""Long expressions through every command that reads a rule file: a flat chain of `+` is one
level of nesting however long, so 257 terms (past the 256 levels of nesting) are a plan like
any other, and so are 511 (the 512 levels of operators the tree may be tall); 512 terms and a
comparison, and 10 000 terms, are refused with the limit and its place, never a crash. Every
command runs with a 1 MiB stack (an eighth of the usual) and a bounded address space, so that a
pass recursing too deep on the left-deep tree fails here rather than in a host's thread.

usage: long_expressions.py PATH_TO_MANDATE
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
failures = []


def fail(what):
    failures.append(what)


# AddressSanitizer reserves terabytes of address space for its shadow memory, and its frames
# are several times larger: under it (CI's sanitizer run sets ASAN_OPTIONS) the stack gets
# 16 MiB and the address space is not bounded.
SANITIZED = "ASAN_OPTIONS" in os.environ or bool(os.environ.get("MANDATE_SANITIZE"))


def bounded():
    stack = (16 << 20) if SANITIZED else (1 << 20)
    resource.setrlimit(resource.RLIMIT_STACK, (stack, stack))
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120, preexec_fn=bounded)


def plan(n):
    # Line 9 is "  require " (10 columns) and then the terms, 11 columns each with " + ".
    chain = " + ".join(["count(a)"] * n)
    return ('plan p {}\nphase c "c" from 2023-04-01 to 2023-04-30\nkind village "v"\nevent a "a" {}\n'
            'obligation o "o" {\n  each v: village\n  during c\n  every month\n'
            f"  require {chain} >= 1\n}}\n")


with tempfile.TemporaryDirectory() as tmp:
    events = os.path.join(tmp, "events.jsonl")
    with open(events, "w") as f:
        f.write('{"entity": "v1", "kind": "village"}\n{"id": "e1", "type": "a", "time": "2023-04-05", "unit": "v1"}\n')
    for n in (257, 511):
        path = os.path.join(tmp, f"chain{n}.mandate")
        with open(path, "w") as f:
            f.write(plan(n))
        r = run("lint", path)
        if r.returncode != 0:
            fail(f"lint, {n} terms: exit {r.returncode}: {r.stderr[:300]}")
        r = run("fmt", path)
        if r.returncode != 0:
            fail(f"fmt, {n} terms: exit {r.returncode}: {r.stderr[:300]}")
        r = run("fmt", "--check", path)
        if r.returncode != 0:
            fail(f"fmt --check after fmt, {n} terms: exit {r.returncode}")
        r = run("graph", path)
        if r.returncode != 0 or not r.stdout.startswith("digraph"):
            fail(f"graph, {n} terms: exit {r.returncode}: {r.stderr[:300]}")
        r = run("check", path, "--events", events, "--as-of", "2023-05-01", "--format", "json")
        if r.returncode != 0:
            fail(f"check, {n} terms: exit {r.returncode}: {r.stderr[:300]}")
        else:
            # One event in April: each of the n counts is 1, so the sum is n.
            row = json.loads(r.stdout)["results"][0]
            if (row["unit"], row["status"], row["value"]) != ("v1", "satisfied", n):
                fail(f"check, {n} terms: {row['unit']} {row['status']} {row['value']}")
        r = run("explain", path, "--events", events, "--obligation", "o", "--unit", "v1", "--period", "2023-04")
        if r.returncode != 0:
            fail(f"explain, {n} terms: exit {r.returncode}: {r.stderr[:300]}")
    # Too long: 512 terms and `>= 1` reach 513 levels at the `1` after `>=` (column 11 + 11 * 511
    # + 8 + 4 = 5644); 10 000 terms reach it at the 513th term (column 11 + 11 * 512 = 5643).
    message = "error: expression too long (the limit is 512 levels of operators; each '+' of 'a + b + ...' is one)"
    for n, column in ((512, 5644), (10000, 5643)):
        path = os.path.join(tmp, f"chain{n}.mandate")
        with open(path, "w") as f:
            f.write(plan(n))
        for args in (["lint", path], ["fmt", path], ["graph", path],
                     ["check", path, "--events", events, "--as-of", "2023-05-01"],
                     ["explain", path, "--events", events, "--obligation", "o", "--unit", "v1"]):
            r = run(*args)
            if r.returncode != 2 or f"{path}:9:{column}: {message}" not in r.stderr:
                fail(f"{args[0]}, {n} terms: exit {r.returncode}: {r.stderr[:300]}")

    # A chain holds no text per operator: each node of 250 `+ 1` after a 4 MiB list used to hold
    # the text of all below it, over a gigabyte; it must check in well under one.
    big = '["' + "x" * (4 << 20) + '"]'
    path = os.path.join(tmp, "big.mandate")
    with open(path, "w") as f:
        f.write('plan p {}\nphase c "c" from 2023-04-01 to 2023-04-30\nkind village "v"\nevent a "a" { venue: text }\n'
                f'obligation o "o" {{ each v: village  during c  require count(a of v where venue in {big})'
                + " + 1" * 250 + " >= 1 }\n")

    def one_gigabyte():
        if not SANITIZED:
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    r = subprocess.run([BIN, "lint", path], capture_output=True, text=True, timeout=120, preexec_fn=one_gigabyte)
    if r.returncode != 0:
        fail(f"lint, a 4 MiB term and 250 more: exit {r.returncode}: {r.stderr[:300]}")

for f in failures:
    print("FAIL:", f)
print(f"long expressions: {len(failures)} failures")
sys.exit(1 if failures else 0)
