#!/usr/bin/env bash
# Benchmarks Klant's transaction summary (TransactionSummarizer, in-process, release build) against DuckDB
# running the equivalent SQL that Klant emits (WarehouseSQL) over the same CSV, checks that both give the
# same summary, and prints the medians, Klant's peak RSS and the speed-up.
#
#   bash scripts/bench-summary.sh                # 10M rows, 1M customers (~270 MB), 3 runs each
#   ROWS=1000000 RUNS=5 SCRATCH=.build-x bash scripts/bench-summary.sh
#   STRING_IDS=1 CUSTOMERS=2700000 bash scripts/bench-summary.sh   # 9-character string ids, 2.7M customers
#
# The data file is generated once under bench-data/ (gitignored). DuckDB comes from $KLANT_PEER_PYTHON if
# it has duckdb, else from its own venv ($DUCKDB_VENV, default .venv-duckdb), installed on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-.build}"
ROWS="${ROWS:-10000000}"
CUSTOMERS="${CUSTOMERS:-1000000}"
RUNS="${RUNS:-3}"
STRING_IDS="${STRING_IDS:-}"
DATA="bench-data/transactions-${ROWS}${STRING_IDS:+-${CUSTOMERS}-strings}.csv"
mkdir -p bench-data

bash scripts/build-release.sh --scratch-path "$SCRATCH" --product KlantBenchmarks >&2
BIN="$SCRATCH/release/KlantBenchmarks"
[ -f "$DATA" ] || "$BIN" summarize generate "$DATA" --rows "$ROWS" --customers "$CUSTOMERS" ${STRING_IDS:+--string-ids yes}

if [ -n "${KLANT_PEER_PYTHON:-}" ] && "$KLANT_PEER_PYTHON" -c "import duckdb" 2>/dev/null; then
  PY="$KLANT_PEER_PYTHON"
else
  venv="${DUCKDB_VENV:-.venv-duckdb}"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -c "import duckdb" 2>/dev/null || "$venv/bin/pip" install -q --disable-pip-version-check duckdb
  PY="$venv/bin/python"
fi

# Calibration to mid-2023, holdout to the end of 2023, weeks (the generator covers 2022-01-01..2023-12-31).
ours=$("$BIN" summarize "$DATA" --runs "$RUNS" --unit week --calibration-end 2023-06-30 --observation-end 2023-12-31 \
        --sql-out bench-data/summary.sql)
ids=$(printf '%s' "$ours" | python3 -c 'import json, sys; print(json.dumps([r[0] for r in json.load(sys.stdin)["sample"]]))')
theirs=$("$PY" scripts/peers/duckdb_summary.py bench-data/summary.sql "$RUNS" "$ids")
echo "$ours" > bench-data/summary-klant.json
echo "$theirs" > bench-data/summary-duckdb.json
python3 scripts/peers/compare_summary.py "$ours" "$theirs"

# The whole `klant summarize` process once, for its peak RSS as /usr/bin/time sees it (not the parent's rusage).
bash scripts/build-release.sh --scratch-path "$SCRATCH" --product klant >&2
/usr/bin/time -f "klant summarize (whole process): %e s wall, %U s user + %S s sys, peak RSS %M KB" \
  "$SCRATCH/release/klant" summarize "$DATA" --amount-column amount --unit week --calibration-end 2023-06-30 \
  --observation-end 2023-12-31 --out bench-data/summary-cli.csv --quiet
