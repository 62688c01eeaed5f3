#!/usr/bin/env bash
# Reading a gzip log against reading the same log uncompressed (issue 12's target: within 1.5x),
# as whole `klant summarize` processes (release build), timed with /usr/bin/time (wall and
# user+sys CPU), alternating the two inputs, medians of RUNS (default 3).
#   bash scripts/bench-gzip.sh                       # ~1 GB log: 38M rows over 3M customers
#   ROWS=10000000 CUSTOMERS=1000000 bash scripts/bench-gzip.sh
# The log (customer_id,date,amount) and its gzip (gzip -6) are generated once under bench-data/.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH:-.build}"
rows="${ROWS:-38000000}"
customers="${CUSTOMERS:-3000000}"
runs="${RUNS:-3}"
bash scripts/build-release.sh --scratch-path "$scratch" --product KlantBenchmarks >&2
bash scripts/build-release.sh --scratch-path "$scratch" --product klant >&2
klant="$scratch/release/klant"
data="bench-data/gzip-log-${rows}.csv"
mkdir -p bench-data
[ -f "$data" ] || "$scratch/release/KlantBenchmarks" summarize generate "$data" --rows "$rows" --customers "$customers" >&2
[ -f "$data.gz" ] || gzip -6 -k -c "$data" > "$data.gz"

# One run: prints "wall cpu" seconds of the whole process.
measure() {
  /usr/bin/time -f '%e %U %S' -o bench-data/gzip-time.txt "$klant" summarize "$1" --customer-column customer_id \
      --date-column date --amount-column amount --unit week --calibration-end 2023-06-30 --observation-end 2023-12-31 \
      --out bench-data/gzip-summary.csv --quiet >/dev/null
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' bench-data/gzip-time.txt
}
plain=(); packed=()
for _ in $(seq "$runs"); do
  plain+=("$(measure "$data")")
  cp bench-data/gzip-summary.csv bench-data/gzip-summary-plain.csv
  packed+=("$(measure "$data.gz")")
  cmp -s bench-data/gzip-summary.csv bench-data/gzip-summary-plain.csv || { echo "the gzip and plain summaries differ" >&2; exit 1; }
done
python3 - "$data" "$(printf '%s;' "${plain[@]}")" "$(printf '%s;' "${packed[@]}")" <<'PY'
import os, statistics, sys
path, plain, packed = sys.argv[1], sys.argv[2], sys.argv[3]
def parse(s): return [tuple(map(float, r.split())) for r in s.split(";") if r]
p, g = parse(plain), parse(packed)
pw, pc = statistics.median(r[0] for r in p), statistics.median(r[1] for r in p)
gw, gc = statistics.median(r[0] for r in g), statistics.median(r[1] for r in g)
size, gz = os.path.getsize(path) / 1e9, os.path.getsize(path + ".gz") / 1e9
print(f"klant summarize, whole process, median of {len(p)} (load average {os.getloadavg()[0]:.1f}):")
print(f"  plain {size:.2f} GB: {pw:.2f} s wall / {pc:.2f} s CPU;  gzip {gz:.2f} GB: {gw:.2f} s wall / {gc:.2f} s CPU")
print(f"  gzip / plain: {gw / pw:.2f}x wall (target <= 1.5x), {gc / pc:.2f}x CPU; same summary: yes")
print(f"  runs plain {p}, gzip {g}")
PY
