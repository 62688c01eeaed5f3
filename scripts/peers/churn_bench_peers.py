"""Times the peers on the churn benchmark data (see churn_bench_data.py):
scikit-learn LogisticRegression with its default solver (lbfgs) and C = 1/l2, and
statsmodels Logit (unpenalised Newton, its default). Also fits scikit-learn's newton-cholesky
once at a tight tolerance as the reference optimum for the accuracy check. Prints one JSON line per peer with the
median of REPEATS runs and the coefficients (intercept first).

Usage: python churn_bench_peers.py DATADIR L2 [REPEATS]
"""
import json
import os
import sys
import time

import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression


def load(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    n, p = meta["rows"], meta["features"]
    X = np.fromfile(os.path.join(d, "X.f64"), dtype="<f8").reshape(p, n).T  # column-major file
    y = np.fromfile(os.path.join(d, "y.f64"), dtype="<f8")
    return X, y


def timed(f, repeats):
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), times, result


def main():
    d, l2 = sys.argv[1], float(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    X, y = load(d)

    def sk():
        m = LogisticRegression(C=1.0 / l2)
        m.fit(X, y)
        return [float(m.intercept_[0])] + m.coef_[0].tolist(), int(m.n_iter_[0])

    med, times, (coef, iters) = timed(sk, repeats)
    print(json.dumps({"benchmark": "churn-sklearn-lbfgs", "median_seconds": med, "runs": times,
                      "coefficients": coef, "iterations": iters, "l2": l2}), flush=True)

    # Reference optimum for the accuracy check (one run, not a speed comparison).
    t = time.perf_counter()
    ref = LogisticRegression(C=1.0 / l2, solver="newton-cholesky", tol=1e-10, max_iter=100).fit(X, y)
    print(json.dumps({"benchmark": "churn-sklearn-newton-cholesky-reference", "median_seconds": time.perf_counter() - t,
                      "runs": [], "coefficients": [float(ref.intercept_[0])] + ref.coef_[0].tolist(), "l2": l2}), flush=True)

    Xc = np.column_stack([np.ones(len(y)), X])

    def smf():
        r = sm.Logit(y, Xc).fit(disp=0)
        return r.params.tolist(), r.bse.tolist()

    med, times, (coef, se) = timed(smf, repeats)
    print(json.dumps({"benchmark": "churn-statsmodels-logit", "median_seconds": med, "runs": times,
                      "coefficients": coef, "standard_errors": se, "l2": 0.0}), flush=True)


if __name__ == "__main__":
    main()
