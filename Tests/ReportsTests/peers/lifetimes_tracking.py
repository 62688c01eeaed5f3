"""lifetimes 0.11.3's expected_cumulative_transactions on a transaction log, for a model with given
parameters: usage  lifetimes_tracking.py LOG CUSTOMER_COLUMN DATE_COLUMN DAYS KIND PARAMS_JSON OUT_JSON
(LOG whitespace separated with a header, dates yyyymmdd; KIND bg-nbd or pareto-nbd; weekly periods,
freq='D', freq_multiplier=7, so times are days / 7 = weeks). Writes {"actual": [...], "predicted": [...]}."""
import json
import sys

import pandas as pd
from lifetimes import BetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import expected_cumulative_transactions

log, customer, date, days, kind, params, out = sys.argv[1:8]
df = pd.read_csv(log, sep=r"\s+", dtype={customer: str, date: str})
model = BetaGeoFitter() if kind == "bg-nbd" else ParetoNBDFitter()
model.params_ = pd.Series(json.loads(params))
tracking = expected_cumulative_transactions(model, df, date, customer, int(days), datetime_format="%Y%m%d",
                                            freq="D", freq_multiplier=7)
with open(out, "w") as f:
    json.dump({"actual": [float(x) for x in tracking["actual"]], "predicted": [float(x) for x in tracking["predicted"]]}, f)
