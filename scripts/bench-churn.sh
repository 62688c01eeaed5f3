#!/usr/bin/env bash
# Churn benchmark: Klant's logistic fit against scikit-learn (default lbfgs solver) and
# statsmodels Logit on the same 1,000,000 x 30 data.
#
#   bash scripts/bench-churn.sh            # uses $KLANT_ML_PYTHON or .venv-peers-ml/bin/python
#   SCRATCH=.build-churn ROUNDS=3 REPEATS=5 L2=1.0 bash scripts/bench-churn.sh
#
# 1. generates the data once (bench-data/churn, seeded; skipped when present),
# 2. release-builds KlantBenchmarks, then for each of ROUNDS rounds
#    a. times LogisticRegression.fit in-process (median of REPEATS runs, with the L2 penalty and unpenalised),
#    b. times scikit-learn LogisticRegression(C=1/L2) (lbfgs) and statsmodels Logit (median of REPEATS),
# 3. checks that the coefficients agree (L2: with scikit-learn newton-cholesky at tol 1e-10, to 1e-6;
#    unpenalised: with statsmodels, to 1e-6; lbfgs stops at its default tol 1e-4 and is only shown)
#    and prints each round's medians and speed ratios and the median ratio over the rounds.
#    Rounds alternate Klant and the peers so that both see the same phases of a shared machine,
#    whose speed drifts by 30% over minutes; CPU seconds are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${KLANT_ML_PYTHON:-.venv-peers-ml/bin/python}"
SCRATCH="${SCRATCH:-.build}"
REPEATS="${REPEATS:-5}"
ROUNDS="${ROUNDS:-3}"
L2="${L2:-1.0}"
ROWS="${ROWS:-1000000}"
FEATURES="${FEATURES:-30}"
DATA="bench-data/churn-${ROWS}x${FEATURES}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

[ -x "$PY" ] || { echo "no Python with scikit-learn/statsmodels at $PY: run 'make peers' or set KLANT_ML_PYTHON" >&2; exit 2; }
[ -f "$DATA/meta.json" ] || "$PY" scripts/peers/churn_bench_data.py "$DATA" "$ROWS" "$FEATURES"

bash scripts/build-release.sh --scratch-path "$SCRATCH" --product KlantBenchmarks >&2
for round in $(seq 1 "$ROUNDS"); do
    "$SCRATCH/release/KlantBenchmarks" churn --data "$DATA" --l2 "$L2" --repeats "$REPEATS" > "$out/klant-$round.jsonl"
    "$PY" scripts/peers/churn_bench_peers.py "$DATA" "$L2" "$REPEATS" > "$out/peers-$round.jsonl"
done

"$PY" - "$out" "$ROUNDS" <<'PYEOF'
import json, os, statistics, sys
directory, rounds = sys.argv[1], int(sys.argv[2])
def load(round):
    rows = {}
    for name in (f"klant-{round}.jsonl", f"peers-{round}.jsonl"):
        for line in open(os.path.join(directory, name)):
            d = json.loads(line)
            rows[d["benchmark"]] = d
    return rows
all_rounds = [load(r) for r in range(1, rounds + 1)]
ratios_l2 = [r["churn-sklearn-lbfgs"]["median_seconds"] / r["churn-klant-l2"]["median_seconds"] for r in all_rounds]
ratios_mle = [r["churn-statsmodels-logit"]["median_seconds"] / r["churn-klant-mle"]["median_seconds"] for r in all_rounds]
for i, r in enumerate(all_rounds[:-1], 1):
    print(f"round {i}: klant L2 {r['churn-klant-l2']['median_seconds']:.3f} s, lbfgs {r['churn-sklearn-lbfgs']['median_seconds']:.3f} s ({ratios_l2[i - 1]:.1f}x); "
          f"klant MLE {r['churn-klant-mle']['median_seconds']:.3f} s, statsmodels {r['churn-statsmodels-logit']['median_seconds']:.3f} s ({ratios_mle[i - 1]:.1f}x)")
print(f"round {rounds} in full:")
rows = all_rounds[-1]
k_l2, k_mle = rows["churn-klant-l2"], rows["churn-klant-mle"]
sk, smf = rows["churn-sklearn-lbfgs"], rows["churn-statsmodels-logit"]
gram = rows["churn-klant-gram-rowsplit"]
ref = rows["churn-sklearn-newton-cholesky-reference"]

def maxrel(a, b):
    return max(abs(x - y) / max(abs(y), 1e-3) for x, y in zip(a, b))

def fmt(d):
    cpu = f", CPU {d['cpu_seconds_per_run']:.3f} s/run" if "cpu_seconds_per_run" in d else ""
    return f"{d['median_seconds']:.3f} s (runs {', '.join(f'{t:.3f}' for t in d['runs'])}{cpu})"

print(f"data: {gram['rows']} rows x {gram['columns'] - 1} features + intercept, L2 lambda = {k_l2['l2']} (sklearn C = {1 / k_l2['l2']:g})")
print(f"X^T X row-split dsyrk, 2 threads:  {fmt(gram)}")
print(f"klant L2 fit:                      {fmt(k_l2)}  Newton steps {k_l2['iterations']}, converged {k_l2['converged']}")
print(f"scikit-learn lbfgs (default):      {fmt(sk)}  iterations {sk['iterations']}")
print(f"klant unpenalised fit (+ SEs):     {fmt(k_mle)}  Newton steps {k_mle['iterations']}")
print(f"statsmodels Logit (Newton):        {fmt(smf)}")
print(f"coefficients: klant L2 vs sklearn newton-cholesky (tol 1e-10) max rel. diff {maxrel(k_l2['coefficients'], ref['coefficients']):.2e}")
print(f"coefficients: klant L2 vs sklearn lbfgs max rel. diff {maxrel(k_l2['coefficients'], sk['coefficients']):.2e} (lbfgs stops at tol 1e-4)")
print(f"coefficients: klant MLE vs statsmodels  max rel. diff {maxrel(k_mle['coefficients'], smf['coefficients']):.2e}")
print(f"standard errors: klant vs statsmodels   max rel. diff {maxrel(k_mle['standard_errors'], smf['standard_errors']):.2e}")
print(f"speed-up vs scikit-learn lbfgs: {statistics.median(ratios_l2):.1f}x, median of {rounds} rounds ({', '.join(f'{r:.1f}' for r in ratios_l2)}) (target >= 3x)")
print(f"speed-up vs statsmodels Logit:  {statistics.median(ratios_mle):.1f}x, median of {rounds} rounds ({', '.join(f'{r:.1f}' for r in ratios_mle)}) (target >= 15x)")
ok = (maxrel(k_mle["coefficients"], smf["coefficients"]) < 1e-6 and maxrel(k_mle["standard_errors"], smf["standard_errors"]) < 1e-6
      and maxrel(k_l2["coefficients"], ref["coefficients"]) < 1e-6)
sys.exit(0 if ok else 1)
PYEOF
