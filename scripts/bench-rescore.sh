#!/usr/bin/env bash
# klant rescore at scale (release build): a seeded synthetic base (scripts/gen-nightly-base.py),
# the first full run as of the day before the last drop (ingest, refit, score, publish), then the
# daily incremental run for the last drop. Prints the transaction count, the per-step times, wall and
# CPU seconds, peak memory (/usr/bin/time) and the load average beside each run.
#   scripts/bench-rescore.sh                   (the issue's shape: 1,000,000 customers, ~20,000,000 transactions,
#                                               730 days; targets: first run < 60 s, daily < 20 s, < 2 GB)
#   CUSTOMERS=100000 scripts/bench-rescore.sh  (a tenth of it)
#   RATE_SCALE=1 gives the generator's old shape (~12.7 transactions per customer); WORK=DIR reuses a base;
#   RUNS=3 repeats the pair (store afresh each time) and prints the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${CUSTOMERS:-1000000}
DAYS=${DAYS:-730}
RATE_SCALE=${RATE_SCALE:-2}
RUNS=${RUNS:-1}
WORK=${WORK:-$(mktemp -d)}
bash scripts/build-release.sh --product klant >/dev/null
# A base generated before (same WORK, size and seed) is reused; its store and outputs start afresh.
if [ ! -f "$WORK/.base-$CUSTOMERS-$DAYS-$RATE_SCALE" ]; then
    python3 scripts/gen-nightly-base.py "$WORK" --customers "$CUSTOMERS" --days "$DAYS" --seed 1 --rate-scale "$RATE_SCALE"
    touch "$WORK/.base-$CUSTOMERS-$DAYS-$RATE_SCALE"
fi
ROWS=$(cat "$WORK"/incoming/*.csv | wc -l)
FILES=$(ls "$WORK"/incoming/*.csv | wc -l)
echo "base: $CUSTOMERS customers, $((ROWS - FILES)) transactions in $FILES daily drops (rate scale $RATE_SCALE)"
LAST=$(ls "$WORK/incoming" | sort | tail -1 | cut -c1-10)
BEFORE=$(date -u -d "$LAST - 1 day" +%F)
TIMES=$(mktemp)
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/state" "$WORK/out"
    for asof in "$BEFORE" "$LAST"; do
        kind=$([ "$asof" = "$BEFORE" ] && echo first || echo daily)
        echo "== run $run: $kind rescore --as-of $asof (before: $(uptime | sed 's/.*load/load/'))"
        /usr/bin/time -o "$TIMES" -a -f "$kind %e %U %S %M" .build/release/klant rescore --config "$WORK/klant.yaml" --as-of "$asof" --verbose 2>&1 | grep -v '^\['
        tail -1 "$TIMES" | awk '{printf "   wall %s s, CPU %s s user + %s s sys, peak memory %d MB", $2, $3, $4, $5 / 1024}'
        echo " (after: $(uptime | sed 's/.*load/load/'))"
    done
done
if [ "$RUNS" -gt 1 ]; then
    for kind in first daily; do
        grep "^$kind " "$TIMES" | python3 -c '
import statistics, sys
rows = [list(map(float, line.split()[1:])) for line in sys.stdin]
wall, cpu, peak = ([r[0] for r in rows], [r[1] + r[2] for r in rows], [r[3] / 1024 for r in rows])
print(f"median of {len(rows)} {sys.argv[1]} runs: wall {statistics.median(wall):.1f} s (range {min(wall):.1f}-{max(wall):.1f}), "
      f"CPU {statistics.median(cpu):.1f} s, peak memory {statistics.median(peak):.0f} MB (max {max(peak):.0f})")' "$kind"
    done
fi
rm -f "$TIMES"
echo "base and outputs in $WORK"
