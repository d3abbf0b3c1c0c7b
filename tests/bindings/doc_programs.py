#!/usr/bin/env python3
"""Keep docs/embedding.md's host programs true: each program the test suite builds and runs
must appear, whole and unchanged, as a fenced block of the document.

usage: doc_programs.py DOC PROGRAM...
"""
import re
import sys

FENCE = re.compile(r"^```[^\n`]*\n(.*?)^```\s*$", re.S | re.M)


def main():
    doc, programs = sys.argv[1], sys.argv[2:]
    with open(doc, encoding="utf-8") as f:
        blocks = [b.rstrip("\n") for b in FENCE.findall(f.read())]
    failed = False
    for path in programs:
        with open(path, encoding="utf-8") as f:
            text = f.read().rstrip("\n")
        if text not in blocks:
            close = max(blocks, key=lambda b: len(set(b.splitlines()) & set(text.splitlines())), default="")
            shared = len(set(close.splitlines()) & set(text.splitlines()))
            print(f"{path}: not in {doc} as a block of its own (the closest block shares {shared} of "
                  f"{len(text.splitlines())} lines)")
            failed = True
    if not failed:
        print(f"{len(programs)} programs found in {doc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
