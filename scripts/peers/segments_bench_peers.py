"""The segments benchmark's peer: the same value analytics with pandas/numpy on the same data
(median splits, min-rank quintiles and deciles, top shares, whale curve, Gini, table by channels),
timed in-process, with the checksums scripts/bench-segments.sh compares against Klant's.

usage: segments_bench_peers.py DIR REPEATS
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd

directory, repeats = sys.argv[1], int(sys.argv[2])
col = {name: np.fromfile(os.path.join(directory, f"{name}.f64"), dtype="<f8")
       for name in ["frequency", "recency", "T", "monetary", "revenue", "net", "clv", "channels"]}
n = len(col["net"])


def bins(x, k, ascending=True):
    return (np.floor(k * (pd.Series(x).rank(method="min", ascending=ascending).to_numpy() - 1) / n) + 1).astype(int)


def run():
    net, clv, rev = col["net"], col["clv"], col["revenue"]
    high_now, high_potential = net >= np.median(net), clv >= np.median(clv)
    quadrants = [int(np.sum(high_now & high_potential)), int(np.sum(~high_now & high_potential)),
                 int(np.sum(high_now & ~high_potential)), int(np.sum(~high_now & ~high_potential))]
    r = bins(col["T"] - col["recency"], 5, ascending=False)
    f, m = bins(col["frequency"], 5), bins(col["monetary"], 5)
    deciles = bins(net, 10, ascending=False)
    x = np.arange(n + 1) / n
    rev_c = np.concatenate([[0.0], np.cumsum(np.sort(rev)[::-1])])
    net_c = np.concatenate([[0.0], np.cumsum(np.sort(net)[::-1])])
    top5 = np.interp(0.05, x, rev_c) / rev_c[-1]
    top20 = np.interp(0.20, x, net_c) / net_c[-1]
    lorenz = np.interp(np.linspace(0, 1, 101), x, net_c) / net_c[-1]
    s = np.sort(np.clip(rev, 0, None))
    gini = np.sum((2 * np.arange(1, n + 1) - n - 1) * s) / (n * s.sum())
    table = pd.DataFrame({"c": col["channels"], "r": rev, "v": clv}).groupby("c").agg(["size", "mean", "median"])
    return {"quadrants": quadrants, "rfm_code_sum": int(np.sum(r * 100 + f * 10 + m)),
            "decile_sum": int(deciles.sum()), "revenue_share_top5pct": float(top5),
            "profit_share_top20pct": float(top20), "gini": float(gini), "lorenz_max": float(lorenz.max()),
            "channel_mean_revenue": [float(v) for v in table[("r", "mean")]]}


times, result = [], None
for _ in range(repeats):
    start = time.perf_counter()
    result = run()
    times.append(time.perf_counter() - start)
print(json.dumps({"benchmark": "segments-pandas", "median_seconds": statistics.median(times), "runs": times, **result}))
