"""Peer comparison for ParetoNBDTests: lifetimes 0.11.3 ParetoNBDFitter on CDNOW_master.txt.

  fit MASTER OUTDIR
      Builds the 39-week calibration summary (below) into OUTDIR/summary.csv, fits lifetimes'
      ParetoNBDFitter on it and writes OUTDIR/lifetimes_fit.json: its parameters and the total
      log-likelihood in the original (weekly) units.
  predict OUTDIR r alpha s beta
      At the given parameters, writes lifetimes' P(alive) and conditional expected purchases in
      the next 39 weeks per customer of OUTDIR/summary.csv to OUTDIR/lifetimes_predictions.csv,
      and its total log-likelihood at those parameters to OUTDIR/lifetimes_predict.json.

Summary (the papers' convention, see datasets/README.md): day numbers, same-day purchases
merged; calibration ends 1997-09-30; customers whose first purchase is on or before it;
frequency = distinct purchase days up to the end - 1, recency = (last - first) / 7 days,
T = (end - first) / 7 days.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from lifetimes import ParetoNBDFitter


def build_summary(master):
    tx = pd.read_csv(master, sep=r"\s+")
    tx["day"] = (pd.to_datetime(tx["date"].astype(str), format="%Y%m%d") - pd.Timestamp("1997-01-01")).dt.days
    end = (pd.Timestamp("1997-09-30") - pd.Timestamp("1997-01-01")).days
    days = tx[["customer_id", "day"]].drop_duplicates()
    first = days.groupby("customer_id")["day"].min()
    calibration = days[days["day"] <= end]
    g = calibration.groupby("customer_id")["day"]
    summary = pd.DataFrame({"frequency": g.nunique() - 1, "last": g.max()})
    summary["first"] = first.reindex(summary.index)
    summary = summary[summary["first"] <= end]
    summary["recency"] = (summary["last"] - summary["first"]) / 7.0
    summary["T"] = (end - summary["first"]) / 7.0
    summary.index.name = "customer_id"
    return summary[["frequency", "recency", "T"]].reset_index()


def total_ll(params, s):
    return float(ParetoNBDFitter._conditional_log_likelihood(params, s["frequency"].values, s["recency"].values, s["T"].values).sum())


def main():
    mode = sys.argv[1]
    if mode == "fit":
        master, out = sys.argv[2], sys.argv[3]
        s = build_summary(master)
        s.to_csv(f"{out}/summary.csv", index=False, float_format="%.17g")
        start = time.time()
        f = ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"])
        seconds = time.time() - start
        params = [float(f.params_[k]) for k in ["r", "alpha", "s", "beta"]]
        json.dump({"params": params, "log_likelihood": total_ll(params, s), "seconds": seconds,
                   "customers": int(len(s))}, open(f"{out}/lifetimes_fit.json", "w"))
    elif mode == "predict":
        out = sys.argv[2]
        params = [float(v) for v in sys.argv[3:7]]
        s = pd.read_csv(f"{out}/summary.csv")
        f = ParetoNBDFitter()
        f.params_ = pd.Series(params, index=["r", "alpha", "s", "beta"])
        x, tx, T = s["frequency"].values, s["recency"].values, s["T"].values
        pred = pd.DataFrame({
            "p_alive": f.conditional_probability_alive(x, tx, T),
            "expected_39": f.conditional_expected_number_of_purchases_up_to_time(39.0, x, tx, T),
        })
        pred.to_csv(f"{out}/lifetimes_predictions.csv", index=False, float_format="%.17g")
        json.dump({"params": params, "log_likelihood": total_ll(params, s)}, open(f"{out}/lifetimes_predict.json", "w"))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
