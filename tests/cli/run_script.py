"""tools/run: the README's first command prints the Goutang 2023 report computed from the
generated sample of the town (the build itself is skipped here: ctest runs inside it).

Checks the report's heading, that every obligation and outcome of the rule file has its section,
and that the record accounting balances.
"""
import os
import re
import subprocess
import sys

BIN = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.dirname(os.path.dirname(BIN))
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


env = dict(os.environ, MANDATE_NO_BUILD="1", MANDATE_BUILD_DIR=BUILD)
p = subprocess.run([os.path.join(ROOT, "tools", "run")], capture_output=True, text=True, env=env, timeout=600)
expect(p.returncode == 0, f"tools/run exits 0: {p.returncode} {p.stderr[-500:]}")
out = p.stdout
expect(out.startswith("方案 goutang_antifraud_2023  苟堂镇防范电信网络诈骗集中宣传工作方案\n截至 2023-12-31\n"),
       f"the report's heading: {out[:200]!r}")
rules = open(os.path.join(ROOT, "rules", "goutang-2023.mandate"), encoding="utf-8").read()
for rid in re.findall(r"^(?:obligation|outcome)\s+(\w+)", rules, re.M):
    expect(re.search(r"^" + rid + r"  ", out, re.M), f"the report has a section for {rid}")
# The accounting line, folded to the table's width (100 columns when not a terminal).
m = re.search(r"^记录：共读取(\d+)条 = 单位登记(\d+) \+ 计入(\d+) \+ 重复(\d+) \+ 已撤回(\d+) \+ 撤回指令(\d+) \+\s+未归属(\d+) \+ "
              r"拒收(\d+)$", out, re.M)
expect(m is not None, "the record accounting line")
if m:
    n = [int(x) for x in m.groups()]
    expect(n[0] == sum(n[1:]) and n[0] > 20000, f"the accounting balances: {n}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
