"""scikit-uplift 0.5.1 TwoModels with scikit-learn LogisticRegression (default lbfgs, C = 1/L2) on
the uplift benchmark data; median of REPEATS fits. Also fits the arms once with newton-cholesky at
tol 1e-10 as the reference optimum for the agreement check. Prints JSON lines.

Usage: python uplift_bench_peer.py DATADIR L2 REPEATS
"""
import json
import os
import statistics
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklift.models import TwoModels

directory, l2, repeats = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
meta = json.load(open(os.path.join(directory, "meta.json")))
n, p = meta["rows"], meta["features"]
X = np.fromfile(os.path.join(directory, "X.f64"), dtype="<f8").reshape(p, n).T
t = np.fromfile(os.path.join(directory, "t.f64"), dtype="<f8").astype(int)
y = np.fromfile(os.path.join(directory, "y.f64"), dtype="<f8").astype(int)

times, cpu = [], []
for _ in range(repeats):
    start, start_cpu = time.perf_counter(), time.process_time()
    model = TwoModels(estimator_trmnt=LogisticRegression(C=1 / l2), estimator_ctrl=LogisticRegression(C=1 / l2), method="vanilla")
    model.fit(X, y, t)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)


def coefficients(est):
    return [float(est.intercept_[0])] + [float(c) for c in est.coef_[0]]


print(json.dumps({"benchmark": "uplift-sklift-two-models-lbfgs", "median_seconds": statistics.median(times), "runs": times,
                  "cpu_seconds_per_run": statistics.median(cpu),
                  "control_coefficients": coefficients(model.estimator_ctrl), "treatment_coefficients": coefficients(model.estimator_trmnt)}))
if os.environ.get("UPLIFT_REFERENCE", "1") == "1":
    ref = {}
    for name, mask in (("control", t == 0), ("treatment", t == 1)):
        est = LogisticRegression(C=1 / l2, solver="newton-cholesky", tol=1e-10, max_iter=100).fit(X[mask], y[mask])
        ref[name] = coefficients(est)
    print(json.dumps({"benchmark": "uplift-sklearn-newton-cholesky-reference", "median_seconds": 0, "runs": [],
                      "control_coefficients": ref["control"], "treatment_coefficients": ref["treatment"]}))
