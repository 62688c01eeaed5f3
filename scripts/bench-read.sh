#!/usr/bin/env bash
# Whole-process speed from a summary CSV, Klant beside lifetimes 0.11.3 in one run, on 1,000,000 BG/NBD
# customers with continuous recency and T (about 1M distinct patterns, as with exact timestamps):
#   fit:     `klant fit bgnbd --summary` (process start to model file) vs pandas read_csv + BetaGeoFitter().fit
#   predict: `klant predict` (summary CSV to written predictions) vs read_csv + P(alive) + E[X(t)] + to_csv
# Klant is timed with /usr/bin/time (wall and user+sys CPU of the process); the peer inside Python
# (start-up and imports excluded). Medians of RUNS (default 3; FIT_RUNS for the slow peer fit, default 1).
# Environment: SCRATCH (swift build path, default .build), KLANT_PEER_PYTHON (default .venv-peers/bin/python),
# CUSTOMERS (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH:-.build}"
python="${KLANT_PEER_PYTHON:-$PWD/.venv-peers/bin/python}"
runs="${RUNS:-3}"
fit_runs="${FIT_RUNS:-1}"
customers="${CUSTOMERS:-1000000}"
[ -x "$python" ] || { echo "no peer Python at $python: run make peers (or set KLANT_PEER_PYTHON)" >&2; exit 2; }
swift build -c release --scratch-path "$scratch" --product klant >&2
klant="$scratch/release/klant"
mkdir -p bench-data
data="bench-data/bgnbd-continuous-$customers.csv"
[ -f "$data" ] || "$python" scripts/peers/simulate_bgnbd_continuous.py "$customers" "$data" 1

# Median wall and CPU seconds of RUNS runs of a command (stdout/stderr of the command discarded).
measure() {
  local n="$1"; shift
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %U %S %M" "$@" >/dev/null 2>/tmp/klant-bench-time.$$ || { cat /tmp/klant-bench-time.$$ >&2; exit 1; }
    tail -1 /tmp/klant-bench-time.$$
  done | python3 -c '
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(statistics.median(r[0] for r in rows), statistics.median(r[1] + r[2] for r in rows), max(r[3] for r in rows) / 1024)'
}

read -r fit_wall fit_cpu fit_rss < <(measure "$runs" "$klant" fit bgnbd --summary "$data" --unit week --out bench-data/read-bgnbd.json)
read -r pred_wall pred_cpu pred_rss < <(measure "$runs" "$klant" predict --model bench-data/read-bgnbd.json --summary "$data" \
                                        --horizon 52 --out bench-data/read-predictions.csv)
peer_fit=$("$python" scripts/peers/bench_read_lifetimes.py fit "$data" "$fit_runs")
peer_pred=$("$python" scripts/peers/bench_read_lifetimes.py predict "$data" "$runs" --horizon 52)
echo "$peer_fit"; echo "$peer_pred"
python3 - "$fit_wall" "$fit_cpu" "$fit_rss" "$pred_wall" "$pred_cpu" "$pred_rss" "$peer_fit" "$peer_pred" "$customers" <<'PY'
import json, sys
fw, fc, fr, pw, pc, pr = map(float, sys.argv[1:7])
pf, pp, n = json.loads(sys.argv[7]), json.loads(sys.argv[8]), int(sys.argv[9])
load = open("/proc/loadavg").read().split()[0]
print(f"{n:,} customers, continuous times (load average {load})")
print(f"fit bgnbd, whole process: klant {fw:.2f} s wall / {fc:.2f} s CPU (peak {fr:.0f} MB); "
      f"lifetimes read+fit {pf['median_seconds']:.2f} s wall / {pf['median_cpu_seconds']:.2f} s CPU "
      f"-> {pf['median_seconds'] / fw:.1f}x wall, {pf['median_cpu_seconds'] / fc:.1f}x CPU (target >= 50x)")
print(f"predict, whole process: klant {pw:.2f} s wall / {pc:.2f} s CPU (peak {pr:.0f} MB); "
      f"lifetimes read+predict+write {pp['median_seconds']:.2f} s wall / {pp['median_cpu_seconds']:.2f} s CPU "
      f"-> {pp['median_seconds'] / pw:.1f}x wall, {pp['median_cpu_seconds'] / pc:.1f}x CPU (target >= 5x)")
PY
