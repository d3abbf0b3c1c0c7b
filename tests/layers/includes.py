"""Every #include of the library runs forwards: a file of one stage includes headers of its own
stage and of the stages it is built on, never of a later one. The stages and what each is built
on are read from CMakeLists.txt's mandate_stage() calls, the same the build links by, so the
two cannot drift apart. (The mandate_layer_* programs check the same by linking.)

A file's stage is its folder: include/mandate/STAGE/ and lib/STAGE/; the top-level headers,
lib/support/ and the files at lib/'s top are the base stage, but for include/mandate/compile.hpp
(graph) and include/mandate/mandate.hpp, the umbrella header, which no file of the library may
include.
"""
import os
import re
import sys

ROOT = sys.argv[1]
failures = []

cmake = open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8").read()
built_on = {}
for name, body in re.findall(r"^mandate_stage\((\w+)(.*?)\)$", cmake, re.S | re.M):
    m = re.search(r"STAGES((?:\s+\w+)+?)(?:\s+PRIVATE_LIBS|\s*$)", body)
    built_on[name] = m.group(1).split() if m else []
if "base" not in built_on or "scenario" not in built_on:
    sys.exit(f"could not read the stages from CMakeLists.txt: {built_on}")


def below(stage, seen=None):
    """The stages `stage` is built on, directly or through others."""
    out = set()
    for s in built_on[stage]:
        out |= {s} | below(s)
    return out


allowed = {s: below(s) | {s} for s in built_on}
top_headers = {"compile.hpp": "graph", "mandate.hpp": "umbrella"}


def stage_of_header(include):
    """The stage of an include path as written in a library file, or None for a system header."""
    if include.startswith("mandate/"):
        rest = include[len("mandate/"):]
        if "/" not in rest:
            return top_headers.get(rest, "base")
        return rest.split("/")[0]
    first = include.split("/")[0]
    if first in built_on:
        return first
    if first == "support" or first == "..":
        return "base"
    return None


checked = 0
for folder, stage_of_file in (("include/mandate", None), ("lib", None)):
    for dirpath, _, files in os.walk(os.path.join(ROOT, folder)):
        rel = os.path.relpath(dirpath, os.path.join(ROOT, folder))
        part = rel.split(os.sep)[0]
        for f in files:
            if not f.endswith((".hpp", ".cpp", ".h")):
                continue
            if folder == "include/mandate" and rel == ".":
                stage = top_headers.get(f, "base")
            else:
                stage = "base" if rel == "." or part == "support" else part
            if stage == "umbrella":
                continue
            if stage not in allowed:
                failures.append(f"{folder}/{rel}/{f}: a folder that is no stage of CMakeLists.txt")
                continue
            text = open(os.path.join(dirpath, f), encoding="utf-8").read()
            for include in re.findall(r'^#include "([^"]+)"', text, re.M):
                target = stage_of_header(include)
                if target is None:
                    continue  # beside the file: its own stage
                checked += 1
                if target == "umbrella" or target not in allowed[stage]:
                    failures.append(f"{os.path.join(folder, rel, f)} ({stage}) includes {include} ({target}), "
                                    f"which is not among the stages {stage} is built on: {sorted(allowed[stage] - {stage})}")

if checked < 100:
    failures.append(f"only {checked} includes checked: the walk missed the library")
print(f"{checked} includes checked across {len(built_on)} stages")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
