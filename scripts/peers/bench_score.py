"""klant score vs lifetimes 0.11.3 customer_lifetime_value on the same 1,000,000-customer summary, in one run.

Usage: bench_score.py KLANT SUMMARY_CSV BGNBD_JSON GG_JSON REPEATS
Both sides: whole job from the summary CSV to per-customer CLV (12 steps of 4.345 weeks at 1% per step,
lifetimes' freq='W' month), margin 1, no costs. Klant runs as a process (reading, scoring, segments,
writing the CSV: the full 13-column table, and with --columns clv only the CLV column that lifetimes
computes, the segments and the picture still computed); lifetimes reads with pandas and computes in memory (no writing). Prints JSON lines.
"""
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

klant, summary, bgnbd_path, gg_path, repeats = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])


def params(path):
    return {p["name"]: p["estimate"] for p in json.load(open(path))["parameters"]}


def run_klant(out, intervals, columns=None):
    args = [klant, "score", "--model", bgnbd_path, "--spend-model", gg_path, "--summary", summary, "--margin", "1",
            "--horizon", "12", "--horizon-unit", "4.345 weeks", "--discount-rate", "0.01", "--discount-period", "step",
            "--out", out, "--quiet"]
    if not intervals:
        args.append("--no-intervals")
    if columns:
        args += ["--columns", columns]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_lifetimes():
    start, cpu = time.perf_counter(), time.process_time()
    df = pd.read_csv(summary, dtype={"customer_id": str})
    bgf = BetaGeoFitter()
    bgf.params_ = pd.Series(params(bgnbd_path))
    bgf.predict = bgf.conditional_expected_number_of_purchases_up_to_time
    gg = params(gg_path)
    ggf = GammaGammaFitter()
    ggf.params_ = pd.Series({"p": gg["p"], "q": gg["q"], "v": gg["gamma"]})
    clv = ggf.customer_lifetime_value(bgf, df["frequency"], df["recency"], df["T"], df["monetary_value"].clip(lower=0),
                                      time=12, discount_rate=0.01, freq="W")
    return (time.perf_counter() - start, time.process_time() - cpu), clv.to_numpy()


with tempfile.TemporaryDirectory() as tmp:
    out = f"{tmp}/scores.csv"
    rounds = []
    for _ in range(repeats):   # alternate the two sides so drifts of the machine's speed hit both
        plain = run_klant(out, intervals=False)
        with_intervals = run_klant(out, intervals=True)
        clv_only = run_klant(f"{tmp}/clv.csv", intervals=False, columns="clv")
        peer, clv = run_lifetimes()
        rounds.append((plain, with_intervals, peer, clv_only))
    ours = pd.read_csv(out, dtype={"customer_id": str})["clv"].to_numpy()
    assert np.array_equal(pd.read_csv(f"{tmp}/clv.csv", dtype={"customer_id": str})["clv"].to_numpy(), ours)
    worst = float(np.max(np.abs(ours - clv) / np.abs(clv)))
    # Medians of wall-clock and of CPU seconds (user + system): on a busy machine the CPU ratio is the fair one.
    wall = [statistics.median(r[i][0] for r in rounds) for i in range(4)]
    cpu = [statistics.median(r[i][1] for r in rounds) for i in range(4)]
    sides = ["klant", "klant_intervals", "lifetimes", "klant_clv_column"]
    print(json.dumps({"benchmark": "score-clv", "customers": len(ours), "wall_seconds": dict(zip(sides, wall)),
                      "cpu_seconds": dict(zip(sides, cpu)),
                      "wall_ratio": wall[2] / wall[0], "cpu_ratio": cpu[2] / cpu[0],
                      "clv_column_wall_ratio": wall[2] / wall[3], "clv_column_cpu_ratio": cpu[2] / cpu[3],
                      "interval_cost_wall": wall[1] / wall[0], "interval_cost_cpu": cpu[1] / cpu[0],
                      "max_relative_difference": worst, "rounds": rounds, "load_average": __import__("os").getloadavg()}))
