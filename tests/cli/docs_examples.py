#!/usr/bin/env python3
"""Keep docs/language.md true to the language.

usage: docs_examples.py MANDATE_BIN

Every ```mandate fenced block of docs/language.md is a complete rule file: it is written to a
temporary file and `mandate lint` must accept it (exit 0).

Every ```mandate-warning block is a rule file `mandate lint` accepts with a warning (exit 0), and
the next ```text block, if there is one, is its output, exactly.
Every ```mandate-error block is a deliberately broken rule file: `mandate lint` must reject it
(exit 2). When the next fenced block is a ```text block, it is the diagnostic output the
document shows for it, with the file named `plan.mandate`: the linter's output must be exactly
that, so the messages, positions and carets in the document cannot drift either.

A block whose info string names a file (```jsonl events.jsonl) is that file, for the sessions
after it: every ```console block is a session of `$ mandate ...` commands, each followed by the
output the document shows; the commands run in a directory holding the named files, and their
output (stdout and stderr) must be exactly what is shown.

Every ```mandate-test block is a scenario test file: it is run with `mandate test` against
the document's ```mandate block that declares the plan its `plan` line names (the last such
block before it), and every expectation must hold (exit 0). A ```mandate-test-fail block must
fail (exit 1), and a ```mandate-test-error block must be refused (exit 2); for both, the next
```text block, if there is one, is the output shown for it, with the files named
`plan.mandate` and `plan.test.mandate`, and must be exactly that.

Prints one line per problem, then a summary; exits 1 if anything failed.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DOC = os.path.join(ROOT, "docs", "language.md")

FENCE = re.compile(r"^(`{3,})([^`\s]*)(?:\s+(\S+))?\s*$")


def blocks(text):
    """Yield (info, first line number, body, file name or None) for every fenced block, in order."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info, name, start = m.group(1), m.group(2), m.group(3), i + 1
        body = []
        i += 1
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise SystemExit(f"{DOC}:{start}: unterminated ``` block")
        i += 1
        yield info, start, "\n".join(body) + "\n", name


def lint(binary, directory, source):
    """Run `mandate lint plan.mandate` in directory; return (exit code, stdout + stderr)."""
    with open(os.path.join(directory, "plan.mandate"), "w", encoding="utf-8") as f:
        f.write(source)
    p = subprocess.run([binary, "lint", "plan.mandate"], cwd=directory, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def sessions(binary, directory, line, body):
    """Run each `$ mandate ...` command of a console block; return the problems."""
    problems, command, shown = [], None, []

    def finish():
        if command is None:
            return
        argv = shlex.split(command)
        if argv[0] != "mandate":
            problems.append(f"{DOC}:{line}: only mandate commands can be checked: {command}")
            return
        p = subprocess.run([binary, *argv[1:]], cwd=directory, capture_output=True, text=True)
        actual = (p.stdout + p.stderr).rstrip("\n")
        expected = "\n".join(shown).rstrip("\n")
        if actual != expected:
            problems.append(f"{DOC}:{line}: `{command}` prints other than shown:\n--- shown\n{expected}\n--- actual\n{actual}")

    for text in body.rstrip("\n").split("\n"):
        if text.startswith("$ "):
            finish()
            command, shown = text[2:], []
        else:
            shown.append(text)
    finish()
    return problems


PLAN_LINE = re.compile(r"^\s*plan\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)


def run_tests(binary, directory, plan_source, test_source):
    """Run `mandate test plan.mandate plan.test.mandate` in directory; (exit code, output)."""
    with open(os.path.join(directory, "plan.mandate"), "w", encoding="utf-8") as f:
        f.write(plan_source)
    with open(os.path.join(directory, "plan.test.mandate"), "w", encoding="utf-8") as f:
        f.write(test_source)
    p = subprocess.run([binary, "test", "plan.mandate", "plan.test.mandate"], cwd=directory, capture_output=True,
                       text=True)
    return p.returncode, p.stdout + p.stderr


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n")[2], file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    with open(DOC, encoding="utf-8") as f:
        found = list(blocks(f.read()))

    problems, good, broken, warned, consoles, scenarios = [], 0, 0, 0, 0, 0
    plans = {}  # plan id -> the latest ```mandate block declaring it
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as files:
        for n, (info, line, body, name) in enumerate(found):
            if name:
                with open(os.path.join(files, name), "w", encoding="utf-8") as f:
                    f.write(body)
            if info == "console":
                consoles += 1
                problems += sessions(binary, files, line, body)
                continue
            if info == "mandate":
                m = PLAN_LINE.search(body)
                if m:
                    plans[m.group(1)] = body
            if info in ("mandate-test", "mandate-test-fail", "mandate-test-error"):
                scenarios += 1
                m = PLAN_LINE.search(body)
                if not m or m.group(1) not in plans:
                    problems.append(f"{DOC}:{line}: test example names no plan shown before it")
                    continue
                code, out = run_tests(binary, tmp, plans[m.group(1)], body)
                want = {"mandate-test": 0, "mandate-test-fail": 1, "mandate-test-error": 2}[info]
                if code != want:
                    problems.append(f"{DOC}:{line}: test example exits {code}, not {want}:\n{out}")
                    continue
                following = found[n + 1] if n + 1 < len(found) else None
                if info != "mandate-test" and following and following[0] == "text" and \
                        following[2].rstrip("\n") != out.rstrip("\n"):
                    problems.append(f"{DOC}:{following[1]}: shown output differs from mandate test's:\n"
                                    f"--- shown\n{following[2]}--- actual\n{out}")
                continue
            if info == "mandate":
                good += 1
                code, out = lint(binary, tmp, body)
                if code != 0:
                    problems.append(f"{DOC}:{line}: example rejected by mandate lint (exit {code}):\n{out}")
            elif info == "mandate-warning":
                warned += 1
                code, out = lint(binary, tmp, body)
                if code != 0 or ": warning: " not in out:
                    problems.append(f"{DOC}:{line}: example with a warning: mandate lint exits {code}:\n{out}")
                    continue
                following = found[n + 1] if n + 1 < len(found) else None
                if following and following[0] == "text" and following[2].rstrip("\n") != out.rstrip("\n"):
                    problems.append(f"{DOC}:{following[1]}: shown warnings differ from mandate lint's:\n"
                                    f"--- shown\n{following[2]}--- actual\n{out}")
            elif info == "mandate-error":
                broken += 1
                code, out = lint(binary, tmp, body)
                if code != 2:
                    problems.append(f"{DOC}:{line}: broken example not rejected by mandate lint (exit {code})")
                    continue
                following = found[n + 1] if n + 1 < len(found) else None
                if following and following[0] == "text" and following[2].rstrip("\n") != out.rstrip("\n"):
                    problems.append(f"{DOC}:{following[1]}: shown diagnostics differ from mandate lint's:\n"
                                    f"--- shown\n{following[2]}--- actual\n{out}")

    for p in problems:
        print(p)
    if good == 0:
        problems.append("no ```mandate examples found")
        print(problems[-1])
    if consoles == 0:
        problems.append("no ```console sessions found")
        print(problems[-1])
    if warned == 0:
        problems.append("no ```mandate-warning examples found")
        print(problems[-1])
    if scenarios == 0:
        problems.append("no ```mandate-test examples found")
        print(problems[-1])
    print(f"{good} examples, {broken} broken examples, {warned} examples with warnings, {consoles} console sessions and {scenarios} test examples checked, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
