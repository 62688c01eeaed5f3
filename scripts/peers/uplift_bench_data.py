"""Generates the uplift benchmark data once: ROWS x FEATURES float64 features (column-major,
little-endian), a 0/1 treatment (half the rows, random) and 0/1 outcomes from a logistic model whose
treatment effect varies with the first features. Seeded: the same command gives the same files.

Usage: python uplift_bench_data.py OUTDIR [ROWS] [FEATURES]
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
    rng = np.random.default_rng(20240602)
    X = np.empty((n, p), order="F")
    for j in range(p):
        X[:, j] = (rng.random(n) < 0.3).astype(float) if j % 4 == 2 else rng.standard_normal(n)
    t = (rng.random(n) < 0.5).astype(float)
    beta = rng.normal(0.0, 0.3, p)
    gamma = np.zeros(p)
    gamma[:5] = rng.normal(0.0, 0.3, 5)
    eta = -1.5 + X @ beta + t * (0.4 + X @ gamma)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(float)
    X.T.astype("<f8").tofile(os.path.join(out, "X.f64"))
    t.astype("<f8").tofile(os.path.join(out, "t.f64"))
    y.astype("<f8").tofile(os.path.join(out, "y.f64"))
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump({"rows": n, "features": p, "seed": 20240602}, f)


if __name__ == "__main__":
    main()
