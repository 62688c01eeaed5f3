"""Times DuckDB running Klant's emitted summary SQL (see WarehouseSQL) over a CSV, for scripts/bench-summary.sh.

usage: python duckdb_summary.py SQL_FILE RUNS SAMPLE_IDS_JSON
Prints one JSON line: median seconds, runs, the same check sums as `KlantBenchmarks summarize`,
and the rows of the sample customers.
"""
import json
import os
import resource
import statistics
import sys
import time

import duckdb

sql_file, runs, sample_ids = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
sql = open(sql_file).read()
con = duckdb.connect()
times, cpu_times = [], []


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


for _ in range(runs):
    con.execute("DROP TABLE IF EXISTS summary")
    start, cpu_start = time.perf_counter(), cpu_seconds()
    con.execute("CREATE TEMP TABLE summary AS " + sql)
    times.append(time.perf_counter() - start)
    cpu_times.append(cpu_seconds() - cpu_start)
sums = con.execute(
    "SELECT COUNT(*), SUM(frequency), SUM(recency), SUM(\"T\"), SUM(monetary_value), "
    "SUM(frequency_holdout), SUM(monetary_value_holdout) FROM summary").fetchone()
rows = {}
for cid in sample_ids:
    r = con.execute("SELECT * FROM summary WHERE customer_id = ?", [cid]).fetchone()
    rows[cid] = list(r[1:]) if r else None
print(json.dumps({
    "benchmark": "duckdb_summary", "duckdb_version": duckdb.__version__, "median_seconds": statistics.median(times),
    "runs": times, "median_cpu_seconds": statistics.median(cpu_times), "load_average_1min": os.getloadavg()[0],
    "customers": sums[0],
    "sums": {"frequency": sums[1], "recency": sums[2], "T": sums[3], "monetary_value": sums[4],
             "frequency_holdout": sums[5], "monetary_value_holdout": sums[6]},
    "sample": rows}))
