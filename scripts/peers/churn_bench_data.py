"""Generates the churn benchmark data once: ROWS x FEATURES float64 features (column-major,
little-endian) and 0/1 labels from a known logistic model, so Klant and the peers fit the
same numbers. Half the features are standard normal, a quarter are 0/1 dummies, a quarter
are skewed (log-normal, standardised). Seeded: the same command gives the same files.

Usage: python churn_bench_data.py OUTDIR [ROWS] [FEATURES]
"""
import json
import os
import sys

import numpy as np


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    p = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20240601)
    X = np.empty((n, p), order="F")
    for j in range(p):
        if j % 4 == 2:
            X[:, j] = (rng.random(n) < 0.3).astype(float)
        elif j % 4 == 3:
            v = rng.lognormal(0.0, 0.7, n)
            X[:, j] = (v - v.mean()) / v.std()
        else:
            X[:, j] = rng.standard_normal(n)
    beta = rng.normal(0.0, 0.4, p)
    eta = -1.0 + X @ beta
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(float)
    X.T.astype("<f8").tofile(os.path.join(out, "X.f64"))  # column-major: column after column
    y.astype("<f8").tofile(os.path.join(out, "y.f64"))
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump({"rows": n, "features": p, "seed": 20240601, "true_intercept": -1.0, "true_beta": beta.tolist()}, f)


if __name__ == "__main__":
    main()
