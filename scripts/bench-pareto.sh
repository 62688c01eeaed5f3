#!/usr/bin/env bash
# Pareto/NBD fit speed: Klant (release build, in-process, median of 5) against lifetimes 0.11.3
# ParetoNBDFitter().fit (median of 3) on the same 100,000 simulated customers (times in whole
# days / 7), and the ratio. Usage: SCRATCH=.build-x scripts/bench-pareto.sh
# Needs the peer venv (make peers) or KLANT_PEER_PYTHON pointing at a Python with lifetimes.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-.build}"
PYTHON="${KLANT_PEER_PYTHON:-.venv-peers/bin/python}"
CSV=bench-data/pareto_100k.csv

bash scripts/build-release.sh --scratch-path "$SCRATCH" --product KlantBenchmarks >&2
BIN="$SCRATCH/release/KlantBenchmarks"
[ -f "$CSV" ] || "$BIN" fit-pareto --simulate 100000 --out "$CSV"

ours=$("$BIN" fit-pareto "$CSV" --repeats 5)
echo "klant:     $ours"
# Data without repeat purchases (estimates at the z ~ 1 extremes): Klant only, must stay well under a minute.
echo "klant, degenerate data: $("$BIN" fit-pareto --degenerate --repeats 3)"

theirs=$("$PYTHON" - "$CSV" <<'PY'
import json, sys, time
import pandas as pd
from lifetimes import ParetoNBDFitter
d = pd.read_csv(sys.argv[1])
times, params = [], None
for _ in range(3):
    start = time.perf_counter()
    f = ParetoNBDFitter().fit(d["frequency"], d["recency"], d["T"])
    times.append(time.perf_counter() - start)
    params = [float(f.params_[k]) for k in ["r", "alpha", "s", "beta"]]
ll = float(ParetoNBDFitter._conditional_log_likelihood(params, d["frequency"].values, d["recency"].values, d["T"].values).sum())
print(json.dumps({"benchmark": "lifetimes-fit-pareto", "median_seconds": sorted(times)[1], "runs": times, "params": params, "log_likelihood": ll}))
PY
)
echo "lifetimes: $theirs"

python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = theirs["median_seconds"] / ours["median_seconds"]
print(f"Pareto/NBD fit, {ours['customers']} customers ({ours['patterns']} patterns): klant {ours['median_seconds']:.3f} s, "
      f"lifetimes {theirs['median_seconds']:.2f} s, ratio {ratio:.1f}x (target >= 30x); "
      f"LL klant {ours['log_likelihood']:.4f} lifetimes {theirs['log_likelihood']:.4f}")
PY
