#!/usr/bin/env bash
# Benchmarks PostgreSQL as source and sink (release build), beside PostgreSQL's own tools in one run,
# against a throwaway server (scripts/with-postgres.sh):
#   source: `klant summarize postgresql://... --table` (rows streamed into the summariser) and
#           `--push-down` (the summary as SQL in the server), against psql \copy of the table to CSV
#           followed by `klant summarize` of that file (the export-then-summarise route);
#   sink:   `klant summarize ... --out postgresql://... --out-table` vs the same summary loaded with psql \copy.
# Prints medians of RUNS runs and checks that the summaries agree (1e-9).
#   bash scripts/bench-warehouse.sh                 # 1,000,000 rows, ~100,000 customers, 3 runs
#   ROWS=200000 RUNS=5 SCRATCH=.build-release bash scripts/bench-warehouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-1000000}"
CUSTOMERS="${CUSTOMERS:-100000}"
RUNS="${RUNS:-3}"
if [ -z "${KLANT_PG_URL:-}" ]; then exec bash scripts/with-postgres.sh bash "$0" "$@"; fi
SCRATCH="${SCRATCH:-.build}"
[ -n "${NOBUILD:-}" ] || bash scripts/build-release.sh --product klant --scratch-path "$SCRATCH" >&2   # NOBUILD=1: use the built binary
K="$SCRATCH/release/klant"
DB="${KLANT_PG_URL%%\?*}"
work=$(mktemp -d "${TMPDIR:-/tmp}/klant-bench-wh.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

psql -X -q -o /dev/null "$DB" -v ON_ERROR_STOP=1 <<SQL
SELECT setseed(0.42);
CREATE TABLE bench_tx AS
SELECT 'C' || lpad((1 + floor(random() * $CUSTOMERS))::int::text, 8, '0') AS customer_id,
       DATE '2022-01-01' + floor(random() * 730)::int AS order_date,
       round((5 + random() * 95)::numeric, 2) AS amount
FROM generate_series(1, $ROWS);
ANALYZE bench_tx;
SQL
cols=(--customer-column customer_id --date-column order_date --amount-column amount --unit week
      --calibration-end 2023-06-30 --observation-end 2023-12-31)

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
timeit() {  # label, command...: prints the median wall seconds of RUNS runs
  local label=$1; shift
  local times=()
  for _ in $(seq "$RUNS"); do
    local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  done
  printf '%s\n' "${times[@]}" | median | xargs printf '%-58s %8.3f s\n' "$label"
}

echo "PostgreSQL source and sink: $ROWS rows, up to $CUSTOMERS customers, median of $RUNS runs (release build)"
timeit "klant summarize --table (rows streamed)" $K summarize "$KLANT_PG_URL" --table bench_tx "${cols[@]}" --out "$work/streamed.csv" -q
timeit "klant summarize --table --push-down (SQL in the server)" $K summarize "$KLANT_PG_URL" --table bench_tx "${cols[@]}" --push-down --out "$work/pushed.csv" -q
export_then_summarise() {
  psql -X -q "$DB" -c "\\copy bench_tx TO '$work/tx.csv' CSV HEADER" && $K summarize "$work/tx.csv" "${cols[@]}" --out "$work/file.csv" -q
}
timeit "psql \\copy to CSV, then klant summarize the file" export_then_summarise
timeit "  of which klant summarize the file" $K summarize "$work/tx.csv" "${cols[@]}" --out "$work/file.csv" -q
timeit "klant summarize --out postgresql:// --out-table (sink)" $K summarize "$work/tx.csv" "${cols[@]}" --out "$KLANT_PG_URL" --out-table bench_summary -q
copy_in() {
  psql -X -q "$DB" -c "DROP TABLE IF EXISTS bench_copy" \
    -c "CREATE TABLE bench_copy (customer_id text, frequency float8, recency float8, \"T\" float8, monetary_value float8, frequency_holdout float8, monetary_value_holdout float8, duration_holdout float8)" \
    -c "\\copy bench_copy FROM '$work/file.csv' CSV HEADER"
}
timeit "  psql \\copy of the same summary CSV into a new table" copy_in
echo "customers: $(($(wc -l < "$work/file.csv") - 1)); sink rows: $(psql -X -A -t "$DB" -c 'SELECT count(*) FROM bench_summary')"
# Peak memory (GNU time, maximum resident set): streaming keeps customers, not rows.
rss() { /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1; echo "$(( $(tail -1 "$work/rss") / 1024 )) MB"; }
echo "peak RSS: streamed $(rss $K summarize "$KLANT_PG_URL" --table bench_tx "${cols[@]}" --out "$work/streamed.csv" -q), \
file $(rss $K summarize "$work/tx.csv" "${cols[@]}" --out "$work/file.csv" -q), \
push-down $(rss $K summarize "$KLANT_PG_URL" --table bench_tx "${cols[@]}" --push-down --out "$work/pushed.csv" -q)"
python3 - "$work/file.csv" "$work/streamed.csv" "$work/pushed.csv" <<'PY'
import csv, sys
def load(p):
    with open(p) as f:
        r = csv.reader(f); next(r)
        return {row[0]: [float(x) for x in row[1:]] for row in r}
base = load(sys.argv[1])
for path in sys.argv[2:]:
    other = load(path)
    assert other.keys() == base.keys(), f"{path}: different customers"
    worst = max(abs(a - b) / max(1.0, abs(a)) for k in base for a, b in zip(base[k], other[k]))
    print(f"{path.rsplit('/', 1)[-1]}: same {len(other)} customers as the file summary, largest relative difference {worst:.1e}")
    assert worst <= 1e-9
PY
