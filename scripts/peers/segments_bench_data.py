"""Writes the seeded customer base of the segments benchmark (scripts/bench-segments.sh) as
little-endian float64 columns: frequency, recency, T, monetary (lifetimes convention), revenue,
net (historic net value, with loss-makers), clv, channels (channels used, 1..3).

usage: segments_bench_data.py DIR CUSTOMERS
"""
import json
import os
import sys

import numpy as np

directory, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(20261201)
os.makedirs(directory, exist_ok=True)
T = rng.integers(1, 53, n).astype(float)
frequency = np.where(rng.random(n) < 0.6, 0, rng.poisson(3, n)).astype(float)
recency = np.where(frequency > 0, np.floor(rng.random(n) * T), 0.0)
monetary = np.where(frequency > 0, np.round(rng.gamma(2.0, 20.0, n), 2), 0.0)
revenue = np.round(monetary * (frequency + 1), 2)
net = np.round(0.3 * revenue - rng.uniform(0, 25, n), 2)
clv = np.round(0.3 * monetary * rng.gamma(1.5, 2.0, n) - 5, 4)
channels = rng.choice([1, 2, 3], n, p=[0.7, 0.2, 0.1]).astype(float)
for name, column in [("frequency", frequency), ("recency", recency), ("T", T), ("monetary", monetary),
                     ("revenue", revenue), ("net", net), ("clv", clv), ("channels", channels)]:
    column.astype("<f8").tofile(os.path.join(directory, f"{name}.f64"))
json.dump({"customers": n}, open(os.path.join(directory, "meta.json"), "w"))
