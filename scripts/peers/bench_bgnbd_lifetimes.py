"""Times lifetimes 0.11.3 on a BG/NBD summary CSV (frequency, recency, T): BetaGeoFitter().fit
(median of RUNS) and conditional_expected_number_of_purchases_up_to_time(39) +
conditional_probability_alive on every row (median of RUNS). Prints one JSON line per benchmark.

usage: python bench_bgnbd_lifetimes.py summary.csv [runs]
"""
import json
import statistics
import sys
import time
import warnings

import pandas as pd

warnings.simplefilter("ignore")
from lifetimes import BetaGeoFitter  # noqa: E402

path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
summary = pd.read_csv(path)
f, r, T = summary["frequency"].values, summary["recency"].values, summary["T"].values

fit_times, fitter = [], None
for _ in range(runs):
    start = time.perf_counter()
    fitter = BetaGeoFitter().fit(f, r, T)
    fit_times.append(time.perf_counter() - start)
print(json.dumps({"benchmark": "lifetimes-fit-bgnbd", "median_seconds": statistics.median(fit_times), "runs": fit_times,
                  "customers": int(len(f)), "params": [float(fitter.params_[k]) for k in ["r", "alpha", "a", "b"]]}))

score_times = []
for _ in range(runs):
    start = time.perf_counter()
    expected = fitter.conditional_expected_number_of_purchases_up_to_time(39, f, r, T)
    alive = fitter.conditional_probability_alive(f, r, T)
    score_times.append(time.perf_counter() - start)
median = statistics.median(score_times)
print(json.dumps({"benchmark": "lifetimes-score-bgnbd", "median_seconds": median, "runs": score_times, "customers": int(len(f)),
                  "seconds_per_customer": median / len(f), "checksum": float(expected.sum() + alive.sum())}))
