#!/usr/bin/env bash
# Segments benchmark: the value analytics of `klant score` (value matrix, RFM scores and segments,
# profit deciles, profitability picture with whale curve and Gini, table by channels used) on a
# seeded base of 1,000,000 customers, Klant in-process against pandas/numpy on the same data.
#
#   bash scripts/bench-segments.sh         # uses $KLANT_ML_PYTHON or .venv-peers-ml/bin/python
#   SCRATCH=.build-seg ROUNDS=3 REPEATS=5 CUSTOMERS=1000000 bash scripts/bench-segments.sh
#
# Rounds alternate Klant and pandas (a shared machine's speed drifts); the script prints each
# round's medians and the ratio, and fails unless both sides agree (counts exactly, shares 1e-9).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${KLANT_ML_PYTHON:-.venv-peers-ml/bin/python}"
SCRATCH="${SCRATCH:-.build}"
REPEATS="${REPEATS:-5}"
ROUNDS="${ROUNDS:-3}"
CUSTOMERS="${CUSTOMERS:-1000000}"
DATA="bench-data/segments-${CUSTOMERS}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

[ -x "$PY" ] || { echo "no Python with numpy/pandas at $PY: run 'make peers' or set KLANT_ML_PYTHON" >&2; exit 2; }
[ -f "$DATA/meta.json" ] || "$PY" scripts/peers/segments_bench_data.py "$DATA" "$CUSTOMERS"
bash scripts/build-release.sh --scratch-path "$SCRATCH" --product KlantBenchmarks >&2
for round in $(seq 1 "$ROUNDS"); do
    "$SCRATCH/release/KlantBenchmarks" segments --data "$DATA" --repeats "$REPEATS" > "$out/klant-$round.jsonl"
    "$PY" scripts/peers/segments_bench_peers.py "$DATA" "$REPEATS" > "$out/pandas-$round.jsonl"
done

"$PY" - "$out" "$ROUNDS" <<'PYEOF'
import json, os, statistics, sys
directory, rounds = sys.argv[1], int(sys.argv[2])
ratios, ok = [], True
for r in range(1, rounds + 1):
    rows = {}
    for name in (f"klant-{r}.jsonl", f"pandas-{r}.jsonl"):
        for line in open(os.path.join(directory, name)):
            d = json.loads(line)
            rows[d["benchmark"]] = d
    k, p = rows["segments-klant"], rows["segments-pandas"]
    ratios.append(p["median_seconds"] / k["median_seconds"])
    parts = ", ".join(f"{name[len('segments-klant-'):]} {rows[name]['median_seconds']:.3f}"
                      for name in sorted(rows) if name.startswith("segments-klant-"))
    print(f"round {r}: {k['customers']:,} customers: klant {k['median_seconds']:.3f} s ({parts}), "
          f"pandas {p['median_seconds']:.3f} s, {ratios[-1]:.1f}x")
    for key in ["quadrants", "rfm_code_sum", "decile_sum"]:
        if k[key] != p[key]:
            ok = False
            print(f"  MISMATCH {key}: klant {k[key]} pandas {p[key]}")
    for key in ["revenue_share_top5pct", "profit_share_top20pct", "gini", "lorenz_max"]:
        if abs(k[key] - p[key]) > 1e-9 * max(abs(p[key]), 1):
            ok = False
            print(f"  MISMATCH {key}: klant {k[key]!r} pandas {p[key]!r}")
    if any(abs(a - b) > 1e-9 * max(abs(b), 1) for a, b in zip(k["channel_mean_revenue"], p["channel_mean_revenue"])):
        ok = False
        print("  MISMATCH channel table")
print(f"speed-up vs pandas/numpy: {statistics.median(ratios):.1f}x, median of {rounds} rounds; results agree: {ok}")
sys.exit(0 if ok else 1)
PYEOF
