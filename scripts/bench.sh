#!/usr/bin/env bash
# Runs every benchmark: Klant (release build, in-process timing, median of several runs) and the
# peer library on the same data in the same run, and prints the ratios.
#   bash scripts/bench.sh              # all
#   bash scripts/bench.sh models churn # a subset: summary, models, pareto, churn, segments, report, score, responses, read
#   bash scripts/bench.sh gzip         # not in the default set: generates a 1 GB log (and its gzip) under bench-data/
set -euo pipefail
cd "$(dirname "$0")/.."
export SCRATCH="${SCRATCH:-.build}"
export KLANT_PEER_PYTHON="${KLANT_PEER_PYTHON:-$PWD/.venv-peers/bin/python}"
export KLANT_ML_PYTHON="${KLANT_ML_PYTHON:-$PWD/.venv-peers-ml/bin/python}"
export KLANT_UPLIFT_PYTHON="${KLANT_UPLIFT_PYTHON:-$PWD/.venv-peers-uplift/bin/python}"
bash scripts/build-release.sh --scratch-path "$SCRATCH" --product KlantBenchmarks >&2
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(summary models pareto churn segments report score responses read actions)
for part in "${parts[@]}"; do
  echo "== $part =="
  bash "scripts/bench-$part.sh"
done
