"""Peer values for the Telco churn tests: statsmodels Logit and scikit-learn LogisticRegression
on the SAME design as Klant builds (see ChurnTelcoTests.swift):

- drop customerID (id) and TotalCharges (excluded), target Churn with positive "Yes";
- a column whose values are all Yes/No/True/False/1/0 is boolean (1 = yes/true/1);
- other non-numeric columns are one-hot coded, dummies named "<column>_<level>" in sorted level
  order, the most frequent level (ties: first in sorted order) being the reference (dropped);
- numeric columns are used as they are;
- the dummies that duplicate other columns are dropped: the six "*_No internet service" dummies
  (= InternetService_No) and "MultipleLines_No phone service" (= 1 - PhoneService);
- an intercept column named "intercept" comes first.

Usage: python churn_telco_peer.py telco_churn.csv C1 [C2 ...]   -> JSON on stdout
"""
import json
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

BOOL = {"yes": 1.0, "true": 1.0, "1": 1.0, "no": 0.0, "false": 0.0, "0": 0.0}


def design(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    y = (df["Churn"].str.strip() == "Yes").astype(float).to_numpy()
    cols = {"intercept": np.ones(len(df))}
    for name in df.columns:
        if name in ("customerID", "TotalCharges", "Churn"):
            continue
        v = df[name].str.strip()
        if v.str.lower().isin(BOOL.keys()).all():
            cols[name] = v.str.lower().map(BOOL).to_numpy(dtype=float)
            continue
        num = pd.to_numeric(v, errors="coerce")
        if num.notna().all():
            cols[name] = num.to_numpy(dtype=float)
            continue
        counts = v.value_counts()
        levels = sorted(counts.index)
        ref = sorted(levels, key=lambda l: (-counts[l], l))[0]
        for level in levels:
            if level != ref:
                cols[f"{name}_{level}"] = (v == level).to_numpy(dtype=float)
    dup = [n for n in cols if n.endswith("_No internet service") or n == "MultipleLines_No phone service"]
    for n in dup:
        del cols[n]
    names = list(cols)
    return names, np.column_stack([cols[n] for n in names]), y


def main():
    path = sys.argv[1]
    cs = [float(c) for c in sys.argv[2:]]
    names, X, y = design(path)
    res = sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    out = {
        "names": names,
        "rows": int(X.shape[0]),
        "statsmodels": {
            "params": res.params.tolist(),
            "bse": res.bse.tolist(),
            "llf": float(res.llf),
            "pvalues": res.pvalues.tolist(),
        },
        "sklearn": [],
    }
    for c in cs:
        m = LogisticRegression(C=c, solver="newton-cholesky", tol=1e-12, max_iter=1000)
        m.fit(X[:, 1:], y)
        out["sklearn"].append({"C": c, "coef": [float(m.intercept_[0])] + m.coef_[0].tolist()})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
