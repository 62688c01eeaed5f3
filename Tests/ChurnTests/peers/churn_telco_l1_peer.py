"""Peer values for the L1 / elastic-net Telco test: scikit-learn LogisticRegression(solver="saga")
on the design of churn_telco_peer.py with the numeric columns tenure and MonthlyCharges
standardised (mean 0, population standard deviation 1), as Klant's --standardize does.

scikit-learn minimises C Σ loss + (1 − ρ)/2 ‖w‖² + ρ ‖w‖₁ (intercept not penalised), i.e. Klant's
λ₁ = ρ/C and λ₂ = (1 − ρ)/C. saga is run to tol 1e-12; its optimality gap (distance of the gradient
from the penalty's subdifferential) is reported so the test can see how exact the reference is.

Usage: python churn_telco_l1_peer.py telco_churn.csv C:RHO [C:RHO ...]   -> JSON on stdout
"""
import json
import os
import sys
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from churn_telco_peer import design  # noqa: E402


def main():
    names, X, y = design(sys.argv[1])
    for n in ("tenure", "MonthlyCharges"):
        j = names.index(n)
        X[:, j] = (X[:, j] - X[:, j].mean()) / X[:, j].std()
    fits = []
    for spec in sys.argv[2:]:
        c, rho = (float(v) for v in spec.split(":"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = LogisticRegression(penalty="elasticnet", C=c, l1_ratio=rho, solver="saga", tol=1e-12, max_iter=100000)
            m.fit(X[:, 1:], y)
        b = np.r_[m.intercept_, m.coef_[0]]
        l1, l2 = rho / c, (1 - rho) / c
        g = X.T @ (y - 1 / (1 + np.exp(-X @ b)))
        gap = abs(g[0])
        for j in range(1, len(b)):
            gap = max(gap, abs(g[j] - l2 * b[j] - l1 * np.sign(b[j])) if b[j] != 0 else max(0.0, abs(g[j]) - l1))
        fits.append({"C": c, "l1_ratio": rho, "coef": b.tolist(), "optimality_gap": float(gap), "iterations": int(m.n_iter_[0])})
    json.dump({"names": names, "fits": fits}, sys.stdout)


if __name__ == "__main__":
    main()
