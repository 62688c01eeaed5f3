#!/usr/bin/env bash
# Whole-process speed from a summary CSV, Klant beside lifetimes 0.11.3 in one run, on 1,000,000 BG/NBD
# customers with continuous recency and T (about 1M distinct patterns, as with exact timestamps):
#   fit:     `klant fit bgnbd --summary` (process start to model file) vs pandas read_csv + BetaGeoFitter().fit
#   pareto:  `klant fit pareto-nbd --summary` vs read_csv + ParetoNBDFitter().fit (the peer takes minutes:
#            PARETO=0 leaves it out)
#   predict: `klant predict` (summary CSV to written predictions) vs read_csv + P(alive) + E[X(t)] + to_csv
# Klant is timed as a whole process (wall and user+sys CPU, scripts/peers/time_process.py); the peer inside Python
# (start-up and imports excluded). Medians of RUNS (default 5; FIT_RUNS for the peer fit, default 3; the Pareto/NBD peer fit runs once).
# Environment: SCRATCH (swift build path, default .build), KLANT_PEER_PYTHON (default .venv-peers/bin/python),
# CUSTOMERS (default 1000000), PARETO (default 1).
# Targets (issue 12): fit >= 50x, Pareto/NBD fit >= 30x, predict >= 5x lifetimes, whole processes.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH:-.build}"
python="${KLANT_PEER_PYTHON:-$PWD/.venv-peers/bin/python}"
runs="${RUNS:-5}"
fit_runs="${FIT_RUNS:-3}"
customers="${CUSTOMERS:-1000000}"
pareto="${PARETO:-1}"
[ -x "$python" ] || { echo "no peer Python at $python: run make peers (or set KLANT_PEER_PYTHON)" >&2; exit 2; }
bash scripts/build-release.sh --scratch-path "$scratch" --product klant >&2
klant="$scratch/release/klant"
mkdir -p bench-data
data="bench-data/bgnbd-continuous-$customers.csv"
[ -f "$data" ] || "$python" scripts/peers/simulate_bgnbd_continuous.py "$customers" "$data" 1

# Median wall and CPU seconds of RUNS runs of a command and its peak RSS in MB (scripts/peers/time_process.py:
# a microsecond clock and the child's own rusage).
measure() { python3 scripts/peers/time_process.py "$@" || exit 1; }

read -r fit_wall fit_cpu fit_rss < <(measure "$runs" "$klant" fit bgnbd --summary "$data" --unit week --out bench-data/read-bgnbd.json)
read -r pred_wall pred_cpu pred_rss < <(measure "$runs" "$klant" predict --model bench-data/read-bgnbd.json --summary "$data" \
                                        --horizon 52 --out bench-data/read-predictions.csv)
par_wall=0 par_cpu=0 par_rss=0 peer_par='{}'
if [ "$pareto" = 1 ]; then
  read -r par_wall par_cpu par_rss < <(measure "$runs" "$klant" fit pareto-nbd --summary "$data" --unit week --out bench-data/read-pareto.json)
fi
load_klant=$(cut -d' ' -f1-3 /proc/loadavg)
peer_fit=$("$python" scripts/peers/bench_read_lifetimes.py fit "$data" "$fit_runs")
peer_pred=$("$python" scripts/peers/bench_read_lifetimes.py predict "$data" "$runs" --horizon 52)
[ "$pareto" = 1 ] && peer_par=$("$python" scripts/peers/bench_read_lifetimes.py fit "$data" 1 --pareto)
echo "$peer_fit"; echo "$peer_pred"; echo "$peer_par"
python3 - "$fit_wall" "$fit_cpu" "$fit_rss" "$pred_wall" "$pred_cpu" "$pred_rss" "$par_wall" "$par_cpu" "$par_rss" \
          "$peer_fit" "$peer_pred" "$peer_par" "$customers" "$load_klant" <<'PY'
import json, sys
fw, fc, fr, pw, pc, pr, aw, ac, ar = map(float, sys.argv[1:10])
pf, pp, pa, n = json.loads(sys.argv[10]), json.loads(sys.argv[11]), json.loads(sys.argv[12]), int(sys.argv[13])
load = " ".join(open("/proc/loadavg").read().split()[:3])
print(f"{n:,} customers, continuous times (load average 1/5/15 min: {sys.argv[14]} after the klant runs, {load} at the end)")
def line(what, kw, kc, kr, peer, peer_what, target):
    ratio_wall, ratio_cpu = peer["median_seconds"] / kw, peer["median_cpu_seconds"] / kc
    verdict = "met" if ratio_wall >= target else f"NOT met (needs klant <= {peer['median_seconds'] / target:.3f} s wall)"
    print(f"{what}, whole process: klant {kw:.3f} s wall / {kc:.3f} s CPU (peak {kr:.0f} MB); "
          f"lifetimes {peer_what} {peer['median_seconds']:.2f} s wall / {peer['median_cpu_seconds']:.2f} s CPU "
          f"-> {ratio_wall:.1f}x wall, {ratio_cpu:.1f}x CPU; target >= {target:g}x wall: {verdict}")
line("fit bgnbd", fw, fc, fr, pf, "read+fit", 50)
if pa:
    line("fit pareto-nbd", aw, ac, ar, pa, "read+fit", 30)
line("predict", pw, pc, pr, pp, "read+predict+write", 5)
PY
