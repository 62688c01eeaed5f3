#!/usr/bin/env bash
# Cuts the daily drops of examples/nightly/ from datasets/CDNOW_master.txt: one CSV per day from
# FIRST to LAST (customer_id,date,amount), the last day gzip-compressed to show both kinds.
# The history before FIRST is read from CDNOW_master.txt itself (history.through in klant.yaml).
# Deterministic: rerunning it writes the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
FIRST=${1:-19980624}
LAST=${2:-19980630}
OUT=examples/nightly/incoming
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT"/*.csv.gz
awk -v first="$FIRST" -v last="$LAST" -v out="$OUT" 'NR > 1 && $2 >= first && $2 <= last {
    sub(/\r$/, "", $4)
    day = substr($2, 1, 4) "-" substr($2, 5, 2) "-" substr($2, 7, 2)
    file = out "/" day ".csv"
    if (!(file in seen)) { print "customer_id,date,amount" > file; seen[file] = 1 }
    print $1 "," day "," $4 > file
}' datasets/CDNOW_master.txt
last_file="$OUT/${LAST:0:4}-${LAST:4:2}-${LAST:6:2}.csv"
gzip -n -9 "$last_file"
ls -l "$OUT"
