"""scikit-uplift 0.5.1 on the same Hillstrom split as the Swift test.

argv: train.csv test.csv klant_scores.csv
train/test: Hillstrom rows (history_segment, conversion, spend dropped by the caller's choice of
features below); klant_scores.csv: Klant's uplift_<treatment> per test row, in test order.
Prints JSON: per treatment, scikit-uplift TwoModels' test uplift (unpenalised logistic arms,
newton-cholesky, as Klant's maximum-likelihood IRLS) and qini_auc_score / uplift_at_k
(strategy "overall") of both Klant's and TwoModels' uplift.
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklift.metrics import qini_auc_score, uplift_at_k
from sklift.models import TwoModels

train = pd.read_csv(sys.argv[1])
test = pd.read_csv(sys.argv[2])
klant = pd.read_csv(sys.argv[3])
features = ["recency", "history", "mens", "womens", "zip_code", "newbie", "channel"]


def design(frame):
    x = pd.get_dummies(frame[features], columns=["zip_code", "channel"], dtype=float)
    # The predictions of an unpenalised fit do not depend on the reference level: drop the most
    # frequent one of each categorical (as Klant does) only to keep the design full rank.
    for col in ["zip_code", "channel"]:
        top = train[col].value_counts().idxmax()
        x = x.drop(columns=[f"{col}_{top}"])
    return x


x_train, x_test = design(train), design(test)
fractions = [0.1, 0.2, 0.3, 0.5]
out = {}
for treatment in ["Womens E-Mail", "Mens E-Mail"]:
    tr = train["segment"].isin(["No E-Mail", treatment]).to_numpy()
    te = test["segment"].isin(["No E-Mail", treatment]).to_numpy()
    t_train = (train.loc[tr, "segment"] == treatment).astype(int).to_numpy()
    t_test = (test.loc[te, "segment"] == treatment).astype(int).to_numpy()
    y_test = test.loc[te, "visit"].to_numpy()
    model = TwoModels(
        estimator_trmnt=LogisticRegression(penalty=None, solver="newton-cholesky", tol=1e-12, max_iter=100),
        estimator_ctrl=LogisticRegression(penalty=None, solver="newton-cholesky", tol=1e-12, max_iter=100),
        method="vanilla")
    model.fit(x_train[tr], train.loc[tr, "visit"].to_numpy(), t_train)
    peer_uplift = model.predict(x_test[te])
    ours = klant.loc[te, f"uplift_{treatment}"].to_numpy()

    def metrics(u):
        return {"qini_auc": float(qini_auc_score(y_test, u, t_test)),
                "uplift_at_k": [float(uplift_at_k(y_test, u, t_test, strategy="overall", k=k)) for k in fractions]}

    out[treatment] = {"peer_uplift": [float(v) for v in peer_uplift], "peer_metrics": metrics(peer_uplift),
                      "klant_metrics_by_sklift": metrics(ours)}
print(json.dumps(out))
