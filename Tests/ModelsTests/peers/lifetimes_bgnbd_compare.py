"""Fits lifetimes 0.11.3's BG/NBD, MBG/NBD and Gamma-Gamma on CDNOW_master.txt with a 39-week
calibration (time = days / 7, same-day purchases merged, calibration end 1997-09-30), and writes
the summary it used plus its parameters, log-likelihoods (in original units) and per-customer
predictions, for Klant's LifetimesComparisonTests to compare against.

usage: python lifetimes_bgnbd_compare.py CDNOW_master.txt OUTPUT_DIR
writes OUTPUT_DIR/summary.csv and OUTPUT_DIR/lifetimes.json
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd

warnings.simplefilter("ignore")
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter  # noqa: E402

master, out = sys.argv[1], sys.argv[2]
CAL_END = pd.Timestamp("1997-09-30")
PENALIZER = 0.01

tx = pd.read_csv(master, sep=r"\s+", header=0, names=["customer_id", "date", "cds", "dollars"],
                 dtype={"customer_id": str, "date": str})
tx["date"] = pd.to_datetime(tx["date"], format="%Y%m%d")
# same-day purchases are one purchase (values summed)
days = tx.groupby(["customer_id", "date"], as_index=False)["dollars"].sum()
cal = days[days["date"] <= CAL_END].sort_values(["customer_id", "date"])
first = cal.groupby("customer_id")["date"].min()
last = cal.groupby("customer_id")["date"].max()
count = cal.groupby("customer_id")["date"].count()
first_value = cal.groupby("customer_id")["dollars"].first()
total_value = cal.groupby("customer_id")["dollars"].sum()
frequency = count - 1
summary = pd.DataFrame({
    "customer_id": first.index,
    "frequency": frequency.values.astype(float),
    "recency": ((last - first).dt.days / 7.0).values,
    "T": ((CAL_END - first).dt.days / 7.0).values,
    "monetary_value": np.where(frequency.values > 0, (total_value - first_value).values / np.maximum(frequency.values, 1), 0.0),
})
summary.to_csv(f"{out}/summary.csv", index=False, float_format="%.17g")

f, r, T, m = (summary[c].values for c in ["frequency", "recency", "T", "monetary_value"])
ones = np.ones_like(f)
result = {"customers": int(len(f))}


def beta_geo_like(fitter_class, name, penalizer=0.0):
    fitter = fitter_class(penalizer_coef=penalizer).fit(f, r, T)
    params = [float(fitter.params_[k]) for k in ["r", "alpha", "a", "b"]]
    # total log-likelihood in original time units (lifetimes' stored value is a scaled mean)
    ll = -fitter_class._negative_log_likelihood(np.log(params), f, r, T, ones, 0.0) * len(f)
    entry = {"params": params, "log_likelihood": float(ll)}
    if penalizer == 0:
        entry["expected_39"] = fitter.conditional_expected_number_of_purchases_up_to_time(39, f, r, T).tolist()
        entry["p_alive"] = np.asarray(fitter.conditional_probability_alive(f, r, T)).tolist()
        entry["unconditional_39"] = float(fitter.expected_number_of_purchases_up_to_time(39))
    result[name] = entry


beta_geo_like(BetaGeoFitter, "bgnbd")
beta_geo_like(BetaGeoFitter, "bgnbd_penalized", PENALIZER)
beta_geo_like(ModifiedBetaGeoFitter, "mbgnbd")
result["penalizer"] = PENALIZER

repeat = (f > 0) & (m > 0)  # a few CDNOW repeat purchases are worth $0; lifetimes (and Klant) refuse them
gg = GammaGammaFitter(penalizer_coef=0.0).fit(f[repeat], m[repeat])
gg_params = [float(gg.params_[k]) for k in ["p", "q", "v"]]
gg_ll = -GammaGammaFitter._negative_log_likelihood(np.log(gg_params), f[repeat], m[repeat], ones[repeat], 0.0) * repeat.sum()
result["gamma_gamma"] = {
    "params": gg_params,
    "log_likelihood": float(gg_ll),
    "expected_spend": gg.conditional_expected_average_profit(pd.Series(f), pd.Series(m)).tolist(),
}

with open(f"{out}/lifetimes.json", "w") as fh:
    json.dump(result, fh)
