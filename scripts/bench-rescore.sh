#!/usr/bin/env bash
# klant rescore at scale (release build): a seeded synthetic base (scripts/gen-nightly-base.py),
# the first full run as of the day before the last drop (ingest, refit, score, publish), then the
# daily incremental run for the last drop. Prints the per-step times and peak memory of each run.
#   CUSTOMERS=1000000 DAYS=730 scripts/bench-rescore.sh      (the issue's target: < 60 s, < 20 s, < 2 GB)
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${CUSTOMERS:-100000}
DAYS=${DAYS:-730}
WORK=${WORK:-$(mktemp -d)}
swift build -c release --product klant >/dev/null
# A base generated before (same WORK, size and seed) is reused; its store and outputs start afresh.
if [ ! -f "$WORK/.base-$CUSTOMERS-$DAYS" ]; then
    python3 scripts/gen-nightly-base.py "$WORK" --customers "$CUSTOMERS" --days "$DAYS" --seed 1
    touch "$WORK/.base-$CUSTOMERS-$DAYS"
fi
rm -rf "$WORK/state" "$WORK/out"
LAST=$(ls "$WORK/incoming" | sort | tail -1 | cut -c1-10)
BEFORE=$(date -u -d "$LAST - 1 day" +%F)
for asof in "$BEFORE" "$LAST"; do
    echo "== rescore --as-of $asof ($(uptime | sed 's/.*load/load/'))"
    /usr/bin/time -f "wall %e s, CPU %U s user + %S s sys, peak memory %M KB" .build/release/klant rescore --config "$WORK/klant.yaml" --as-of "$asof" --verbose 2>&1 | grep -v '^\['
done
echo "base and outputs in $WORK"
