"""scipy's Welch t-test on Hillstrom spend, treated arm vs control, as Klant's campaign evaluation.

argv: hillstrom.csv; prints JSON {treatment: {diff, lower, upper, df, p}}.
"""
import json
import sys

import pandas as pd
from scipy import stats

data = pd.read_csv(sys.argv[1])
control = data.loc[data["segment"] == "No E-Mail", "spend"].to_numpy()
out = {}
for treatment in ["Mens E-Mail", "Womens E-Mail"]:
    treated = data.loc[data["segment"] == treatment, "spend"].to_numpy()
    res = stats.ttest_ind(treated, control, equal_var=False)
    ci = res.confidence_interval(0.95)
    out[treatment] = {"diff": float(treated.mean() - control.mean()), "lower": float(ci.low), "upper": float(ci.high),
                      "df": float(res.df), "p": float(res.pvalue)}
print(json.dumps(out))
