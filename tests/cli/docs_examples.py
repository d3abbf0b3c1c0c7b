#!/usr/bin/env python3
"""Keep docs/language.md true to the language.

usage: docs_examples.py MANDATE_BIN

Every ```mandate fenced block of docs/language.md is a complete rule file: it is written to a
temporary file and `mandate lint` must accept it (exit 0).

Every ```mandate-error block is a deliberately broken rule file: `mandate lint` must reject it
(exit 2). When the next fenced block is a ```text block, it is the diagnostic output the
document shows for it, with the file named `plan.mandate`: the linter's output must be exactly
that, so the messages, positions and carets in the document cannot drift either.

Prints one line per problem, then a summary; exits 1 if anything failed.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DOC = os.path.join(ROOT, "docs", "language.md")

FENCE = re.compile(r"^(`{3,})([^`\s]*)\s*$")


def blocks(text):
    """Yield (info, first line number, body) for every fenced block, in order."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info, start = m.group(1), m.group(2), i + 1
        body = []
        i += 1
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise SystemExit(f"{DOC}:{start}: unterminated ``` block")
        i += 1
        yield info, start, "\n".join(body) + "\n"


def lint(binary, directory, source):
    """Run `mandate lint plan.mandate` in directory; return (exit code, stdout + stderr)."""
    with open(os.path.join(directory, "plan.mandate"), "w", encoding="utf-8") as f:
        f.write(source)
    p = subprocess.run([binary, "lint", "plan.mandate"], cwd=directory, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n")[2], file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    with open(DOC, encoding="utf-8") as f:
        found = list(blocks(f.read()))

    problems, good, broken = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, (info, line, body) in enumerate(found):
            if info == "mandate":
                good += 1
                code, out = lint(binary, tmp, body)
                if code != 0:
                    problems.append(f"{DOC}:{line}: example rejected by mandate lint (exit {code}):\n{out}")
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
    print(f"{good} examples and {broken} broken examples checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
