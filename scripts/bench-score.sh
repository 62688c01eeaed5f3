#!/usr/bin/env bash
# klant score (BG/NBD + Gamma-Gamma, 12 monthly steps) against lifetimes 0.11.3's
# customer_lifetime_value on 1,000,000 customers, whole job from the summary CSV, in one run
# (release build; median of REPEATS rounds that alternate the two sides).
# The summary: the published CDNOW summary (2,357 customers) resampled to 1,000,000 rows with new ids.
# Environment: SCRATCH (swift build path, default .build), KLANT_PEER_PYTHON, REPEATS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH:-.build}"
python="${KLANT_PEER_PYTHON:-$PWD/.venv-peers/bin/python}"
[ -x "$python" ] || { echo "no peer Python at $python: run make peers (or set KLANT_PEER_PYTHON)" >&2; exit 2; }
bash scripts/build-release.sh --scratch-path "$scratch" --product klant >&2
klant="$scratch/release/klant"
mkdir -p bench-data
data=bench-data/score-1m.csv
if [ ! -f "$data" ]; then
  "$python" - "$data" <<'PY'
import sys
import numpy as np
import pandas as pd
src = pd.read_csv("datasets/cdnow_customers_summary_with_transactions.csv")
rows = np.random.default_rng(20261201).integers(0, len(src), 1_000_000)
out = pd.DataFrame({"customer_id": [f"c{i:07d}" for i in range(len(rows))], "frequency": src["x"].to_numpy()[rows],
                    "recency": src["t_x"].to_numpy()[rows], "T": src["T"].to_numpy()[rows],
                    "monetary_value": src["zbar"].to_numpy()[rows]})
out.to_csv(sys.argv[1], index=False)
PY
  printf '{"format_version":1,"time_unit":"week"}\n' > "$data.meta.json"
fi
"$klant" fit bgnbd --summary "$data" --out bench-data/score-bgnbd.json --quiet
"$klant" fit gamma-gamma --summary "$data" --out bench-data/score-gg.json --quiet
result=$("$python" scripts/peers/bench_score.py "$klant" "$data" bench-data/score-bgnbd.json bench-data/score-gg.json "${REPEATS:-3}")
echo "$result"
python3 - "$result" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
w, c = r["wall_seconds"], r["cpu_seconds"]
print(f"CLV of {r['customers']:,} customers, 12 monthly steps, whole job from the summary CSV (median of rounds):")
print(f"  wall: klant {w['klant']:.2f} s, lifetimes {w['lifetimes']:.2f} s -> {r['wall_ratio']:.1f}x (target >= 20x); "
      f"with 90% intervals {w['klant_intervals']:.2f} s ({r['interval_cost_wall']:.2f}x, target <= 2x)")
print(f"  cpu:  klant {c['klant']:.2f} s, lifetimes {c['lifetimes']:.2f} s -> {r['cpu_ratio']:.1f}x; "
      f"with intervals {c['klant_intervals']:.2f} s ({r['interval_cost_cpu']:.2f}x); load average {r['load_average'][0]:.1f}")
print(f"  only the CLV column written (--columns clv; segments and picture still computed): klant {w['klant_clv_column']:.2f} s wall, "
      f"{c['klant_clv_column']:.2f} s cpu -> {r['clv_column_wall_ratio']:.1f}x wall, {r['clv_column_cpu_ratio']:.1f}x cpu")
print(f"  CLV agrees with lifetimes to {r['max_relative_difference']:.1e} relative")
PY
