#!/usr/bin/env bash
# Whole processes, end to end, on the same JSON Lines files: `mandate check` against DuckDB
# (in Node.js, bench/duckdb/run.mjs) reading the files into an in-memory database and running
# the checks' SQL (bench/duckdb/). Prints the median wall and CPU time over N runs, the peak
# resident memory and the ratios; first it checks that both give the same statuses.
#
#   bench/compare-duckdb.sh [--data DIR] [--runs N] [--as-of DATE] [--build DIR] [--threads N]
#
# DIR holds registry.jsonl and events.jsonl (default: the county, build/bench-data/county,
# generated with `mandate-generate --scale county --seed 2023` when missing, ~1.2 GB).
# --threads gives DuckDB and mandate their threads (default 2, the cores of the machine the
# figures in docs/performance.md come from).
#
# DuckDB reads both files with its own parallel JSON reader (read_ndjson) in one pass, then
# load.sql cleans the records as bench/sql/load.sql does; DuckDB is @duckdb/node-api, pinned
# by bench/duckdb/package-lock.json and installed by tools/setup (npm ci).
#
# Three processes are timed: mandate on the whole Goutang plan (what a user runs), mandate on
# the plan cut down to the six checks the SQL has (the same work as the SQL), and DuckDB.
# Both mandate runs write the JSON report, evidence included; DuckDB writes its rows as CSV.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/bench/common.sh"

data="" runs=3 as_of=2023-12-31 build="${MANDATE_BUILD_DIR:-build}" threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --as-of) as_of="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-duckdb.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "compare-duckdb.sh: --runs needs a positive whole number" >&2; exit 2 ;; esac
case "$threads" in ''|*[!0-9]*|0) echo "compare-duckdb.sh: --threads needs a positive whole number" >&2; exit 2 ;; esac
[[ "$as_of" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || { echo "compare-duckdb.sh: --as-of needs a date like 2023-12-31" >&2; exit 2; }
for tool in node python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "compare-duckdb.sh: $tool is missing (tools/setup installs it)" >&2; exit 2; }
done
[ -d bench/duckdb/node_modules/@duckdb/node-api ] ||
  { echo "compare-duckdb.sh: bench/duckdb/node_modules is missing (tools/setup runs npm ci there)" >&2; exit 2; }
mandate="$build/bin/mandate"
[ -x "$mandate" ] || { echo "compare-duckdb.sh: $mandate is missing; run tools/build first" >&2; exit 2; }

[ -n "$data" ] || data=$(bench_county "$build")
for f in registry.jsonl events.jsonl; do
  [ -s "$data/$f" ] || { echo "compare-duckdb.sh: $data/$f is missing or empty" >&2; exit 2; }
done
data=$(cd "$data" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The plan cut down to the checks: every obligation and outcome block left out but theirs.
bench_cut_plan rules/goutang-2023.mandate "$work/checks.mandate"
# The cut-down plan keeps kinds and event types only the dropped rules read.
"$mandate" lint --allow unused-kind --allow unused-event "$work/checks.mandate" >/dev/null

# time_run NAME OUTPUT COMMAND...: runs it, appends "wall-seconds peak-kilobytes user-seconds
# system-seconds" to $work/NAME.times.
time_run() {
  local name="$1" output="$2"; shift 2
  /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" "$@" > "$output" 2> "$work/stderr.txt" || {
    echo "compare-duckdb.sh: $name failed:" >&2; cat "$work/stderr.txt" >&2; exit 1; }
  cat "$work/time.txt" >> "$work/$name.times"
}

for ((i = 1; i <= runs; i++)); do
  echo "run $i of $runs ..." >&2
  time_run mandate "$work/plan.json" "$mandate" check rules/goutang-2023.mandate --registry "$data/registry.jsonl" \
    --events "$data/events.jsonl" --as-of "$as_of" --format json --no-progress --threads "$threads"
  time_run mandate_checks "$work/checks.json" "$mandate" check "$work/checks.mandate" --registry "$data/registry.jsonl" \
    --events "$data/events.jsonl" --as-of "$as_of" --format json --no-progress --threads "$threads"
  time_run duckdb "$work/duckdb.csv" node bench/duckdb/run.mjs --registry "$data/registry.jsonl" --events "$data/events.jsonl" \
    --as-of "$as_of" --threads "$threads"
done

python3 - "$work" "$as_of" "$data" "$runs" "$threads" "${bench_checks[@]}" <<'EOF'
import csv, json, statistics, sys
work, as_of, data, runs, threads, checks = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6:]

def statuses_of_report(path):
    with open(path) as f:
        report = json.load(f)
    return {(r["obligation"], r["unit"], r["period"]["from"]): r["status"]
            for r in report["results"] if r["obligation"] in checks}

with open(f"{work}/duckdb.csv", newline="") as f:
    sql = {}
    for row in csv.reader(f):
        if len(row) != 5 or row[0] != as_of:
            sys.exit(f"compare-duckdb.sh: DuckDB wrote a row that is not ({as_of}, obligation, unit, period, status): {row}")
        sql[(row[1], row[2], row[3])] = row[4]
for name in ("plan", "checks"):
    engine = statuses_of_report(f"{work}/{name}.json")
    for key in sorted(set(sql) | set(engine), key=lambda k: (checks.index(k[0]), k[1], k[2])):
        if sql.get(key) != engine.get(key):
            sys.exit(f"compare-duckdb.sh: statuses differ ({name}): {key[0]} {key[1]} {key[2]}: "
                     f"DuckDB says {sql.get(key, 'nothing')}, mandate says {engine.get(key, 'nothing')}")
counts = {}
for status in sql.values():
    counts[status] = counts.get(status, 0) + 1
print(f"same statuses: {len(sql)} buckets of {len(checks)} checks as of {as_of}: "
      + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))

def figures(name):
    rows = [line.split() for line in open(f"{work}/{name}.times")]
    return (statistics.median(float(r[0]) for r in rows), max(int(r[1]) for r in rows) / 1024,
            statistics.median(float(r[2]) + float(r[3]) for r in rows))
size = sum(__import__("os").path.getsize(f"{data}/{f}") for f in ("registry.jsonl", "events.jsonl")) / 1e6
print(f"\nwhole processes on {data} ({size:.0f} MB), median of {runs} runs")
print(f"{'process':<42} {'wall s':>9} {'cpu s':>9} {'peak RSS MB':>12}")
m, mr, mu = figures("mandate")
c, cr, cu = figures("mandate_checks")
s, sr, su = figures("duckdb")
print(f"{'mandate check, whole Goutang plan':<42} {m:>9.2f} {mu:>9.2f} {mr:>12.0f}")
print(f"{'mandate check, the six checks':<42} {c:>9.2f} {cu:>9.2f} {cr:>12.0f}")
print(f"{f'DuckDB in node, {threads} threads: load + SQL':<42} {s:>9.2f} {su:>9.2f} {sr:>12.0f}")
print(f"\nratio DuckDB / mandate, wall: {s / m:.2f}x (whole plan), {s / c:.2f}x (the six checks); "
      f"cpu (user + system, steadier on a shared machine): {su / mu:.2f}x, {su / cu:.2f}x")
EOF
