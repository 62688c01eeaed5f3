#!/usr/bin/env bash
# Report speed and size on a big score table: 1,000,000 scored customers (contract columns, CSV
# and JSON lines) with a .meta.json sidecar, and a 200,000-row action list. Times the release
# `klant report` end to end (reading, aggregating, writing the page), median of 3 runs, and prints
# the page size. Target: under 10 s and under 5 MB (the page draws aggregates, never a point per customer).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-.build}"
bash scripts/build-release.sh --scratch-path "$SCRATCH" --product klant >&2
K="$SCRATCH/release/klant"
data=bench-data/report
mkdir -p "$data"
n="${REPORT_CUSTOMERS:-1000000}"
if [ ! -f "$data/scores-$n.csv" ]; then
  awk -v n="$n" 'BEGIN {
    srand(20261201); OFS = ","
    print "customer_id,probability_alive,expected_purchases,expected_average_spend,expected_revenue,historic_revenue,historic_net_value,clv,clv_lower,clv_upper,value_segment,rfm_score,rfm_segment,profit_decile,churn_probability"
    split("top opportunity retain tolerate", seg, " "); split("champions loyal potential new at-risk hibernating lost", rfm, " ")
    for (i = 1; i <= n; i++) {
      a = rand(); x = -log(1 - rand()) * 2; s = 20 + 40 * rand(); clv = x * s * a - 5 * rand()
      print "C" i, a, x, s, x * s, 3 * s * rand(), s * rand(), clv, clv * 0.8, clv * 1.2, seg[1 + int(4 * rand())], 111 + int(444 * rand()), rfm[1 + int(7 * rand())], 1 + int(10 * rand()), 1 - a
    } }' > "$data/scores-$n.csv"
  awk -F, 'NR > 1 { printf "{\"customer_id\":\"%s\",\"probability_alive\":%s,\"expected_purchases\":%s,\"expected_average_spend\":%s,\"expected_revenue\":%s,\"historic_revenue\":%s,\"historic_net_value\":%s,\"clv\":%s,\"clv_lower\":%s,\"clv_upper\":%s,\"value_segment\":\"%s\",\"rfm_score\":%s,\"rfm_segment\":\"%s\",\"profit_decile\":%s,\"churn_probability\":%s}\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15 }' "$data/scores-$n.csv" > "$data/scores-$n.jsonl"
  lorenz=$(awk 'BEGIN { for (k = 0; k <= 100; k++) { u = k / 100; printf "%s[%g, %g]", (k ? ", " : ""), u, 1.15 * (1 - (1 - u) ^ 3) - 0.15 * u } }')
  for f in "$data/scores-$n.csv" "$data/scores-$n.jsonl"; do
    cat > "$f.meta.json" <<JSON
{"format_version": 1, "setting": "non-contractual", "customers": $n, "columns": [], "models": [], "options": {},
 "profitability": {"customers": $n, "revenue_share_top5pct": 0.31, "profit_share_top20pct": 0.74, "loss_making_customers": 61234, "loss_amount": 152345.5, "gini": 0.61, "lorenz": [$lorenz]},
 "value_matrix": [{"segment": "top", "customers": 250000, "value_share": 0.6}, {"segment": "opportunity", "customers": 250000, "value_share": 0.2}, {"segment": "retain", "customers": 250000, "value_share": 0.15}, {"segment": "tolerate", "customers": 250000, "value_share": 0.05}],
 "rfm_segments": [{"segment": "champions", "customers": 150000}, {"segment": "loyal", "customers": 140000}, {"segment": "potential", "customers": 140000}, {"segment": "new", "customers": 140000}, {"segment": "at-risk", "customers": 140000}, {"segment": "hibernating", "customers": 140000}, {"segment": "lost", "customers": 150000}]}
JSON
  done
  awk -v n=$((n / 5)) 'BEGIN { srand(7); OFS = ","; print "customer_id,action,type,channel,expected_value,cost,reason,control,campaign_id"
    split("winback-10 upsell-premium cross-sell-accessories loyalty-points", act, " "); split("email sms phone app", ch, " ")
    for (i = 1; i <= n; i++) { k = 1 + int(4 * rand()); print "C" i, act[k], "retain", ch[1 + int(4 * rand())], 30 * rand(), 0.5 + 2 * rand(), "\"expected value above cost\"", (rand() < 0.1 ? "true" : "false"), "camp-" k } }' > "$data/actions-$n.csv"
fi
for format in csv jsonl; do
  out="$data/report-$format.html"
  times=()
  for run in 1 2 3; do
    start=$(date +%s.%N)
    "$K" report --scores "$data/scores-$n.$format" --actions "$data/actions-$n.csv" --html "$out" --quiet
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
  size=$(stat -c %s "$out")
  echo "report over $n scored customers ($format) + $((n / 5)) actions: median ${median} s of (${times[*]}), page $((size / 1024)) KB"
done

# Tracking charts from a transaction log: LOG_CUSTOMERS customers (default 1,000,000) in the CDNOW
# layout and periods (first purchases in 1997Q1, about 2 repeat purchases each up to 1998-06-30).
# The report (summary with purchases per day, expected cumulative repeat purchases of BG/NBD and
# Pareto/NBD, page) is timed beside `klant summarize` of the same log: the difference is what
# tracking and drawing add. Median wall and CPU (user + sys) seconds of 3 runs each.
m="${LOG_CUSTOMERS:-1000000}"
log="$data/log-$m.txt"
[ -f "$log" ] || python3 - "$m" "$log" <<'PY'
import datetime, random, sys
m, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(19970101)
start = datetime.date(1997, 1, 1)
days = [(start + datetime.timedelta(d)).strftime("%Y%m%d") for d in range(546)]
with open(path, "w") as f:
    f.write("customer_id date dollar_value\n")
    for i in range(1, m + 1):
        first = rng.randrange(84)
        f.write(f"C{i} {days[first]} {rng.uniform(5, 80):.2f}\n")
        for _ in range(int(rng.expovariate(0.5))):
            f.write(f"C{i} {days[rng.randrange(first, 546)]} {rng.uniform(5, 80):.2f}\n")
PY
columns=(--customer-column customer_id --date-column date --amount-column dollar_value --date-format yyyyMMdd
         --calibration-end 1997-09-30 --observation-end 1998-06-30)
timed() {
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S" "$@" >/dev/null 2>/tmp/klant-bench-time.$$ || { cat /tmp/klant-bench-time.$$ >&2; exit 1; }
    tail -1 /tmp/klant-bench-time.$$
  done | python3 -c '
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(f"{statistics.median(r[0] for r in rows):.2f} s wall, {statistics.median(r[1] + r[2] for r in rows):.2f} s CPU")'
}
summarize=$(timed "$K" summarize "$log" "${columns[@]}" --out "$data/log-summary.csv")
report=$(timed "$K" report --model models/cdnow-bgnbd.json --model models/cdnow-pareto-nbd.json --transactions "$log" "${columns[@]}" \
                --html "$data/report-tracking.html" --quiet)
echo "tracking over $m customers ($(($(wc -l < "$log") - 1)) rows): klant summarize $summarize; klant report with tracking $report;" \
     "page $(($(stat -c %s "$data/report-tracking.html") / 1024)) KB (load average $(cut -d' ' -f1-3 /proc/loadavg))"
