# What the comparison scripts share (bench/compare-sqlite.sh, bench/compare-duckdb.sh,
# bench/duckdb/same-statuses.sh); sourced, not run.

# The six checks of the Goutang plan that bench/sql/ and bench/duckdb/ write as SQL.
bench_checks=(village_monthly_activity bank_sms_weekly three_ones_leaflet operator_screen_share bank_screen_share
              internal_training_cadence)

# bench_cut_plan PLAN OUT: PLAN cut down to the checks, every other obligation and every outcome
# left out.
bench_cut_plan() {
  awk -v keep=" ${bench_checks[*]} " '
    skipping { if ($0 == "}") skipping = 0; next }
    /^(obligation|outcome) / { name = $2; sub(/[{ \t].*/, "", name)
                               if ($1 == "outcome" || index(keep, " " name " ") == 0) { skipping = 1; next } }
    { print }' "$1" > "$2"
}

# bench_county BUILD: the county's directory (BUILD/bench-data/county), generated there with
# `mandate-generate --scale county --seed 2023` when missing (about 1.2 GB).
bench_county() {
  local dir="$1/bench-data/county"
  if [ ! -s "$dir/events.jsonl" ]; then
    echo "generating the county into $dir (about 1.2 GB) ..." >&2
    mkdir -p "$dir"
    "$1/bin/mandate-generate" --scale county --seed 2023 --registry "$dir/registry.jsonl.tmp" --events "$dir/events.jsonl.tmp"
    mv "$dir/registry.jsonl.tmp" "$dir/registry.jsonl"
    mv "$dir/events.jsonl.tmp" "$dir/events.jsonl"
  fi
  echo "$dir"
}
