#!/usr/bin/env bash
# BG/NBD speed against lifetimes 0.11.3 on 1,000,000 simulated customers.
#   fit:   Klant's fit (pattern compression included, CSV reading excluded), median of 5 runs, vs
#          lifetimes' BetaGeoFitter().fit, median of 3 runs (about 10-30 s each).
#   score: conditional expected purchases (39 weeks) + P(alive) for 10,000,000 customers on all
#          cores vs lifetimes on 1,000,000 (median of 3), compared per customer.
# Environment: SCRATCH (swift build path, default .build), KLANT_PEER_PYTHON (default .venv-peers/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH:-.build}"
python="${KLANT_PEER_PYTHON:-$PWD/.venv-peers/bin/python}"
[ -x "$python" ] || { echo "no peer Python at $python: run make peers (or set KLANT_PEER_PYTHON)" >&2; exit 2; }

bash scripts/build-release.sh --scratch-path "$scratch" --product KlantBenchmarks >&2
bench="$scratch/release/KlantBenchmarks"
mkdir -p bench-data
data=bench-data/bgnbd-1m.csv
if [ ! -f "$data" ]; then
  echo "simulating 1,000,000 BG/NBD customers (times in whole days / 7) into $data" >&2
  "$bench" simulate-bgnbd 1000000 "$data" 1
fi

ours_fit=$("$bench" fit-bgnbd "$data" 5)
ours_score=$("$bench" score-bgnbd "$data" 10 3)
peer=$("$python" scripts/peers/bench_bgnbd_lifetimes.py "$data" 3)
echo "$ours_fit"
echo "$ours_score"
echo "$peer"

python3 - "$ours_fit" "$ours_score" "$peer" <<'PY'
import json, sys
fit, score = json.loads(sys.argv[1]), json.loads(sys.argv[2])
peer = {d["benchmark"]: d for d in map(json.loads, sys.argv[3].splitlines())}
lf, ls = peer["lifetimes-fit-bgnbd"], peer["lifetimes-score-bgnbd"]
print(f"fit   1,000,000 customers: klant {fit['median_seconds']:.3f} s ({fit['patterns']} patterns), "
      f"lifetimes {lf['median_seconds']:.2f} s -> {lf['median_seconds'] / fit['median_seconds']:.0f}x (target >= 50x)")
print(f"score per customer: klant {score['seconds_per_customer'] * 1e9:.0f} ns ({score['customers']:,} customers), "
      f"lifetimes {ls['seconds_per_customer'] * 1e9:.0f} ns -> {ls['seconds_per_customer'] / score['seconds_per_customer']:.1f}x (target >= 5x)")
worst = max(abs(a - b) / abs(b) for a, b in zip(fit["params"], lf["params"]))
print(f"fitted parameters agree with lifetimes to {worst:.1e} relative")
PY
