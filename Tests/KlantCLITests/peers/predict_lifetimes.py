"""Computes with lifetimes 0.11.3, at the parameters of Klant's model files, what `klant predict`
writes for every customer of a (ID, x, t_x, T, zbar) summary: P(alive), expected purchases over
the horizon (BetaGeoFitter), expected average spend (GammaGammaFitter) and their product.

usage: python predict_lifetimes.py BGNBD.json GAMMA_GAMMA.json SUMMARY.csv HORIZON OUT.csv
"""
import json
import sys
import warnings

import pandas as pd

warnings.simplefilter("ignore")
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402

bgnbd_file, gg_file, summary_file, horizon, out = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]


def estimates(path):
    with open(path) as f:
        return {p["name"]: p["estimate"] for p in json.load(f)["parameters"]}


bg = BetaGeoFitter()
bg.params_ = pd.Series(estimates(bgnbd_file))[["r", "alpha", "a", "b"]]
g = estimates(gg_file)
gg = GammaGammaFitter()
gg.params_ = pd.Series({"p": g["p"], "q": g["q"], "v": g["gamma"]})

s = pd.read_csv(summary_file, dtype={"ID": str})
x, tx, T, zbar = s["x"].astype(float), s["t_x"].astype(float), s["T"].astype(float), s["zbar"].astype(float)
purchases = bg.conditional_expected_number_of_purchases_up_to_time(horizon, x, tx, T)
spend = gg.conditional_expected_average_profit(x, zbar)
pd.DataFrame({
    "customer_id": s["ID"],
    "probability_alive": bg.conditional_probability_alive(x, tx, T),
    "expected_purchases": purchases,
    "expected_average_spend": spend,
    "expected_revenue": purchases * spend,
}).to_csv(out, index=False, float_format="%.17g")
