#!/usr/bin/env bash
# Asserts that DuckDB (the queries of bench/duckdb/, run by run.mjs) and `mandate check` give the
# same status to every (unit, period) of the six checks, at the dates around the deadlines,
# month ends and grace periods that mandate_sqlite_bench uses (and the latest event date); then
# the same on bench/sql/edge-records.jsonl, whose statuses must also be those worked out by hand
# (the table of bench/sqlite_bench.cpp). Stops at the first difference, naming it.
#
#   bench/duckdb/same-statuses.sh --mandate BIN --data DIR [--sql DIR]
#
# DIR holds registry.jsonl and events.jsonl; --sql DIR reads the queries from another folder
# (the ctest bench.duckdb_detects_a_difference gives it a broken copy). Exit 0 when all agree,
# 1 on a difference, 2 on a usage error, 77 (ctest's SKIP_RETURN_CODE) when Node.js or
# bench/duckdb/node_modules is missing: tools/setup installs both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/bench/common.sh"

mandate="" data="" sql="$here"
while [ $# -gt 0 ]; do
  case "$1" in
    --mandate) mandate="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --sql) sql="$2"; shift 2 ;;
    *) echo "same-statuses.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$mandate" ] || { echo "same-statuses.sh: --mandate needs the mandate program" >&2; exit 2; }
[ -s "$data/registry.jsonl" ] && [ -s "$data/events.jsonl" ] ||
  { echo "same-statuses.sh: --data needs a directory holding registry.jsonl and events.jsonl" >&2; exit 2; }
if ! command -v node >/dev/null || [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  echo "SKIPPED: DuckDB is not installed (Node.js and bench/duckdb/node_modules: run tools/setup)" >&2
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The plan cut down to the six checks, as bench/compare-sqlite.sh makes it.
bench_cut_plan "$root/rules/goutang-2023.mandate" "$work/checks.mandate"

dates=(2023-03-15 2023-04-09 2023-04-10 2023-05-31 2023-06-01 2023-06-05 2023-06-06 2023-07-17 2023-12-24
       2023-12-30 2023-12-31 2024-01-04 2024-01-05)

# compare LABEL REGISTRY EVENTS [latest]: mandate at every date (and, with `latest`, at its
# default, the latest event date), DuckDB at the same dates in one process, then the statuses.
compare() {
  local label="$1" registry="$2" events="$3" with_latest="${4:-}" d
  rm -f "$work"/mandate-*.json
  local all=("${dates[@]}")
  if [ -n "$with_latest" ]; then
    "$mandate" check "$work/checks.mandate" --registry "$registry" --events "$events" --format json --no-progress \
      -o "$work/mandate-latest.json"
    latest=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["as_of"])' "$work/mandate-latest.json")
    rm "$work/mandate-latest.json"
    all+=("$latest")
  fi
  local unique=()
  readarray -t unique < <(printf '%s\n' "${all[@]}" | sort -u)
  local as_of_args=()
  for d in "${unique[@]}"; do
    "$mandate" check "$work/checks.mandate" --registry "$registry" --events "$events" --as-of "$d" --format json \
      --no-progress -o "$work/mandate-$d.json"
    as_of_args+=(--as-of "$d")
  done
  node "$here/run.mjs" --registry "$registry" --events "$events" --sql "$sql" --threads 2 "${as_of_args[@]}" > "$work/duckdb.csv"
  python3 - "$work" "$label" "${bench_checks[@]}" <<'EOF'
import collections, csv, glob, json, os, sys
work, label, checks = sys.argv[1], sys.argv[2], sys.argv[3:]
duck = collections.defaultdict(dict)  # (check, date) -> {(unit, period): status}
with open(f"{work}/duckdb.csv", newline="") as f:
    for row in csv.reader(f):
        if len(row) != 5:
            sys.exit(f"DuckDB wrote a row that is not (as_of, obligation, unit, period, status): {row}")
        duck[(row[1], row[0])][(row[2], row[3])] = row[4]
engine = collections.defaultdict(dict)
dates = []
for path in sorted(glob.glob(f"{work}/mandate-*.json")):
    date = os.path.basename(path)[len("mandate-"):-len(".json")]
    dates.append(date)
    for r in json.load(open(path))["results"]:
        engine[(r["obligation"], date)][(r["unit"], r["period"]["from"])] = r["status"]
for name in checks:
    seen = collections.Counter()
    for date in dates:
        d, m = duck.get((name, date), {}), engine.get((name, date), {})
        for key in sorted(set(d) | set(m)):
            if key not in m:
                sys.exit(f"statuses differ on {label}: {name} as of {date}: DuckDB reports {key[0]} {key[1]} as {d[key]}; "
                         "mandate has no such bucket")
            if key not in d:
                sys.exit(f"statuses differ on {label}: {name} as of {date}: mandate reports {key[0]} {key[1]} as {m[key]}; "
                         "DuckDB has no such bucket")
            if d[key] != m[key]:
                sys.exit(f"statuses differ on {label}: {name} as of {date}: unit {key[0]}, period from {key[1]}: "
                         f"DuckDB says {d[key]}, mandate says {m[key]}")
        seen.update(d.values())
    # A comparison of nothing proves nothing: every check must have judged both ways.
    if not seen["satisfied"] or not seen["violated"]:
        sys.exit(f"{name}: {label} give no satisfied or no violated bucket; the comparison would prove little")
    print(f"same statuses ({label}): {name:<26} satisfied {seen['satisfied']:6}  violated {seen['violated']:6}  "
          f"pending {seen['pending']:6}  ({len(dates)} dates)")
EOF
}

compare "the records of $data" "$data/registry.jsonl" "$data/events.jsonl" latest

# The edge records: a town of their own (no registry file: the entities are in the same file).
: > "$work/empty.jsonl"
compare "the edge records" "$work/empty.jsonl" "$root/bench/sql/edge-records.jsonl"
python3 - "$work/duckdb.csv" <<'EOF'
import collections, csv, sys
# What each check must say of the edge records on 2024-01-05, when every bucket is closed, a
# letter per bucket in period order (s satisfied, v violated): bench/sqlite_bench.cpp's
# edge_expectations, which say why.
want = {
    ("village_monthly_activity", "xv1"): "vvsvsvsvv",
    ("village_monthly_activity", "xv2"): "sssssssss",
    ("village_monthly_activity", "xv3"): "ssssss",
    ("bank_sms_weekly", "xb"): "vsvssvs" + "v" * 30 + "s",
    ("three_ones_leaflet", "xv1"): "s",
    ("three_ones_leaflet", "xv2"): "v",
    ("operator_screen_share", "xo"): "svvvvsvsv",
    ("bank_screen_share", "xb"): "svvvvvvvv",
    ("internal_training_cadence", "xm"): "sssssssssssssv",
    ("internal_training_cadence", "xv1"): "ssssssssssssss",
    ("internal_training_cadence", "xv2"): "sssssssssssssv",
    ("internal_training_cadence", "xv3"): "vvvvvvvvvv",
}
got = collections.defaultdict(list)
with open(sys.argv[1], newline="") as f:
    for as_of, name, unit, period, status in csv.reader(f):
        if as_of == "2024-01-05":
            got[(name, unit)].append((period, status[0]))
got = {k: "".join(s for _, s in sorted(v)) for k, v in got.items()}
if got != want:
    wrong = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
    sys.exit("the edge records as of 2024-01-05: " + "; ".join(
        f"{n} {u} gives {got.get((n, u), 'nothing')}, worked out by hand {want.get((n, u), 'nothing')}" for n, u in wrong))
print("edge records: every check as worked out by hand")
EOF
