#!/usr/bin/env bash
# Response-model benchmarks, Klant and the peer on the same data in one run:
#   uplift:      two-model fit (a logistic model per arm) on 1,000,000 rows x 30 features, against
#                scikit-uplift 0.5.1 TwoModels with scikit-learn LogisticRegression (default lbfgs, C = 1/L2)
#   cross-sell:  fit + top-5 for every customer of Online Retail, against implicit 0.7.3's item-item
#                cosine recommender; and 1,000,000 simulated customers x 10,000 items (Klant alone, target < 60 s)
#
#   bash scripts/bench-responses.sh            # uses $KLANT_UPLIFT_PYTHON or .venv-peers-uplift/bin/python
#   SCRATCH=.build-resp ROUNDS=3 REPEATS=3 bash scripts/bench-responses.sh [uplift|cross-sell|simulated|all]
#
# Data are generated once (bench-data/uplift-*, seeded). Rounds alternate Klant and the peer so both
# see the same phases of a shared machine; each round prints medians and the ratio, and the script
# prints the median ratio over the rounds, of wall-clock and of CPU seconds (all threads; on a shared
# machine wall-clock time also measures the other jobs). Answers are checked: arm coefficients against
# scikit-learn newton-cholesky (tol 1e-10), recommendations against implicit's (same top-k sets).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${KLANT_UPLIFT_PYTHON:-.venv-peers-uplift/bin/python}"
SCRATCH="${SCRATCH:-.build}"
REPEATS="${REPEATS:-3}"
ROUNDS="${ROUNDS:-3}"
L2="${L2:-1.0}"
ROWS="${ROWS:-1000000}"
FEATURES="${FEATURES:-30}"
RETAIL="${RETAIL:-datasets/online_retail.csv.gz}"
WHAT="${1:-all}"
DATA="bench-data/uplift-${ROWS}x${FEATURES}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

[ -x "$PY" ] || { echo "no Python with scikit-uplift/implicit at $PY: run 'make peers' or set KLANT_UPLIFT_PYTHON" >&2; exit 2; }
bash scripts/build-release.sh --scratch-path "$SCRATCH" --product KlantBenchmarks >&2
BENCH="$SCRATCH/release/KlantBenchmarks"

if [ "$WHAT" = all ] || [ "$WHAT" = uplift ]; then
    [ -f "$DATA/meta.json" ] || "$PY" scripts/peers/uplift_bench_data.py "$DATA" "$ROWS" "$FEATURES"
    for round in $(seq 1 "$ROUNDS"); do
        "$BENCH" uplift --data "$DATA" --l2 "$L2" --repeats "$REPEATS" > "$out/uplift-klant-$round.jsonl"
        UPLIFT_REFERENCE=$([ "$round" = 1 ] && echo 1 || echo 0) "$PY" scripts/peers/uplift_bench_peer.py "$DATA" "$L2" "$REPEATS" > "$out/uplift-peer-$round.jsonl"
    done
    "$PY" - "$out" "$ROUNDS" <<'PYEOF'
import json, os, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
def load(name):
    return {j["benchmark"]: j for j in map(json.loads, open(os.path.join(d, name)))}
ratios, cpu_ratios = [], []
for r in range(1, rounds + 1):
    k, p = load(f"uplift-klant-{r}.jsonl"), load(f"uplift-peer-{r}.jsonl")
    kk, pp = k["uplift-klant-two-model"], p["uplift-sklift-two-models-lbfgs"]
    ratios.append(pp["median_seconds"] / kk["median_seconds"])
    cpu_ratios.append(pp["cpu_seconds_per_run"] / kk["cpu_seconds_per_run"])
    print(f"uplift round {r}: klant two-model {kk['median_seconds']:.3f} s (runs {', '.join(f'{t:.3f}' for t in kk['runs'])}; CPU {kk['cpu_seconds_per_run']:.2f} s), "
          f"sklift TwoModels lbfgs {pp['median_seconds']:.3f} s (CPU {pp['cpu_seconds_per_run']:.2f} s) -> {ratios[-1]:.1f}x wall, {cpu_ratios[-1]:.1f}x CPU")
    if r == 1:
        ref = p["uplift-sklearn-newton-cholesky-reference"]
        def maxrel(a, b): return max(abs(x - y) / max(abs(y), 1e-3) for x, y in zip(a, b))
        print(f"  {kk['rows']} rows x {kk['features']} features, L2 lambda = {kk['l2']} (C = {1 / kk['l2']:g}); converged {kk['converged']}")
        for arm in ("control", "treatment"):
            print(f"  {arm} arm: klant vs sklearn newton-cholesky max rel. diff {maxrel(kk[arm + '_coefficients'], ref[arm + '_coefficients']):.1e}; "
                  f"vs sklift lbfgs {maxrel(kk[arm + '_coefficients'], pp[arm + '_coefficients']):.1e} (lbfgs stops at tol 1e-4)")
print(f"uplift two-model fit speed-up vs scikit-uplift TwoModels: {statistics.median(ratios):.1f}x wall clock, {statistics.median(cpu_ratios):.1f}x CPU seconds, median of {rounds} rounds (target >= 5x)")
PYEOF
fi

if [ "$WHAT" = all ] || [ "$WHAT" = cross-sell ]; then
    for round in $(seq 1 "$ROUNDS"); do
        "$BENCH" cross-sell --transactions "$RETAIL" --repeats "$REPEATS" > "$out/cs-klant-$round.jsonl"
        "$PY" scripts/peers/crosssell_bench_peer.py "$RETAIL" "$REPEATS" 20 5 > "$out/cs-peer-$round.jsonl"
    done
    "$PY" - "$out" "$ROUNDS" <<'PYEOF'
import json, os, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
ratios, cpu_ratios = [], []
for r in range(1, rounds + 1):
    k = json.loads(open(os.path.join(d, f"cs-klant-{r}.jsonl")).readline())
    p = json.loads(open(os.path.join(d, f"cs-peer-{r}.jsonl")).readline())
    ratios.append(p["median_seconds"] / k["median_seconds"])
    cpu_ratios.append(p["cpu_seconds_per_run"] / k["cpu_seconds_per_run"])
    print(f"cross-sell round {r}: klant fit + top-5 {k['median_seconds']:.3f} s (runs {', '.join(f'{t:.3f}' for t in k['runs'])}; CPU {k['cpu_seconds_per_run']:.2f} s), "
          f"implicit cosine {p['median_seconds']:.3f} s (CPU {p['cpu_seconds_per_run']:.2f} s) -> {ratios[-1]:.1f}x wall, {cpu_ratios[-1]:.1f}x CPU")
    if r == 1:
        kr, pr = k["recommendations"], p["recommendations"]
        same = sum(set(kr.get(c, [])) == set(v) for c, v in pr.items())
        overlap = statistics.mean(len(set(kr.get(c, [])) & set(v)) / max(len(v), 1) for c, v in pr.items() if v)
        print(f"  {k['customers']} customers, {k['items']} items, {k['purchase_lines']} purchase lines; identical top-5 sets for "
              f"{same} of {len(pr)} customers, mean overlap {overlap:.3f} (ties in similarity may order differently)")
print(f"cross-sell fit + top-5 speed-up vs implicit: {statistics.median(ratios):.1f}x wall clock, {statistics.median(cpu_ratios):.1f}x CPU seconds, median of {rounds} rounds (target >= 3x)")
PYEOF
fi

if [ "$WHAT" = all ] || [ "$WHAT" = simulated ]; then
    "$BENCH" cross-sell-simulated --customers 1000000 --items 10000 --repeats 1 > "$out/cs-sim.jsonl"
    "$PY" - "$out/cs-sim.jsonl" <<'PYEOF'
import json, sys
s = json.loads(open(sys.argv[1]).readline())
print(f"cross-sell simulated: {s['customers']} customers x {s['items']} items ({s['customer_items']} customer-item pairs): "
      f"fit + top-5 for every customer {s['median_seconds']:.1f} s (target < 60 s)")
PYEOF
fi
