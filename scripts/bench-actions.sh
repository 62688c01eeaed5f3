#!/usr/bin/env bash
# Next-best-action benchmark: the whole `klant actions` command (reading the score table, rules,
# contact history, arbitration, writing the list) on 1,000,000 customers x 10 actions with two
# budgets (contacts on one action, money over all) and a 5,000,000-row contact history in SQLite.
# Target: under 5 s and 1 GB on the 2-core machine. Prints each run's seconds and peak memory,
# and the medians.
#
#   bash scripts/bench-actions.sh
#   SCRATCH=.build REPEATS=5 CUSTOMERS=1000000 HISTORY=5000000 bash scripts/bench-actions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-.build}"
REPEATS="${REPEATS:-5}"
CUSTOMERS="${CUSTOMERS:-1000000}"
ACTIONS="${ACTIONS:-10}"
HISTORY="${HISTORY:-5000000}"
DATA="bench-data/actions-${CUSTOMERS}-${ACTIONS}-${HISTORY}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

bash scripts/build-release.sh --scratch-path "$SCRATCH" --product KlantBenchmarks >&2
bash scripts/build-release.sh --scratch-path "$SCRATCH" --product klant >&2
[ -f "$DATA/klant.sqlite" ] && [ -f "$DATA/catalog.yaml" ] || \
    "$SCRATCH/release/KlantBenchmarks" actions-data --dir "$DATA" --customers "$CUSTOMERS" --actions "$ACTIONS" --history "$HISTORY" >&2
# In-process (the same library calls as the command, without process start-up), then the whole command.
"$SCRATCH/release/KlantBenchmarks" actions --dir "$DATA" --repeats "$REPEATS"
for run in $(seq 1 "$REPEATS"); do
    /usr/bin/time -f "%e %M" -o "$out/time-$run" "$SCRATCH/release/klant" actions --scores "$DATA/scores.csv" \
        --catalog "$DATA/catalog.yaml" --store "$DATA/klant.sqlite" --as-of 2026-12-01 --out "$out/actions.csv" --quiet > "$out/summary-$run.txt"
    read -r seconds kb < "$out/time-$run"
    echo "run $run: ${seconds} s, peak ${kb} KB"
done
cat "$out/summary-1.txt"
python3 - "$out" "$REPEATS" "$CUSTOMERS" "$ACTIONS" "$HISTORY" <<'PYEOF'
import json, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
runs = [tuple(map(float, open(f"{d}/time-{k}").read().split())) for k in range(1, n + 1)]
secs, mem = [r[0] for r in runs], [r[1] / 1024 for r in runs]
print(json.dumps({"benchmark": "actions", "customers": int(sys.argv[3]), "actions": int(sys.argv[4]), "history_rows": int(sys.argv[5]),
                  "median_seconds": statistics.median(secs), "runs": secs, "median_peak_mb": statistics.median(mem),
                  "target_seconds": 5, "target_mb": 1024}, sort_keys=True))
ok = statistics.median(secs) < 5 and max(mem) < 1024
print("within target (5 s, 1 GB)" if ok else "OVER TARGET (5 s, 1 GB)")
PYEOF
