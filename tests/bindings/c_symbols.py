#!/usr/bin/env python3
"""libmandate_c exports the C interface and nothing else: no C++ symbol a host could bind to
by accident, and every function mandate.h declares.

usage: c_symbols.py LIBRARY HEADER
"""
import re
import subprocess
import sys


def main():
    library, header = sys.argv[1], sys.argv[2]
    out = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
    # Functions and data ('u', the standard library's unique inline statics, are not an
    # interface anyone binds to).
    exported = {parts[2] for parts in (line.split() for line in out.splitlines()) if len(parts) == 3 and parts[1] in "TDBRVW"}
    with open(header, encoding="utf-8") as f:
        declared = set(re.findall(r"MANDATE_API\s+[^;(]*?\b(mandate_\w+)\s*\(", f.read()))
    linker = {"_init", "_fini", "__bss_start", "_edata", "_end"}  # the linker's own, in every library
    stray = sorted(s for s in exported if not s.startswith("mandate_") and s not in linker)
    missing = sorted(declared - exported)
    extra = sorted(s for s in exported if s.startswith("mandate_") and s not in declared)
    for name, items in (("exported but not mandate_*", stray), ("declared but not exported", missing),
                        ("exported but not declared", extra)):
        if items:
            print(f"{name}: {', '.join(items[:20])}{' ...' if len(items) > 20 else ''}")
    if stray or missing or extra or not declared:
        return 1
    print(f"{len(declared)} functions exported, nothing else")
    return 0


if __name__ == "__main__":
    sys.exit(main())
