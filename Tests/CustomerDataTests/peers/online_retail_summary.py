"""Hand-computed calibration/holdout summary of Online Retail with pandas (the check for klant's line-item options).

Semantics written out step by step, independently of klant's code:
  amount = Quantity * UnitPrice; lines of invoices starting with "C" count as -|amount| (returns, netted);
  lines without a CustomerID are left out (klant rejects them into its rejects file);
  each invoice is dated by its first line; a customer's purchases on one day are one purchase (amounts summed);
  frequency = distinct calibration days - 1, recency = (last - first calibration day) / 7,
  T = (calibration end - first day) / 7, monetary_value = (calibration total - first-day total) / frequency (0 if 0);
  holdout: distinct days in (calibration end, observation end], their mean day total, duration in weeks;
  customers whose first purchase is after the calibration end are not listed.
Usage: python online_retail_summary.py online_retail.csv.gz out.csv 2011-09-30 2011-12-09
"""
import sys

import pandas as pd

path, out, cal, obs = sys.argv[1:5]
cal, obs = pd.Timestamp(cal), pd.Timestamp(obs)
df = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str}, keep_default_na=False, na_values=[""])
df = df[df["CustomerID"].notna()].copy()
df["amount"] = df["Quantity"] * df["UnitPrice"]
cancelled = df["InvoiceNo"].str.startswith("C")
df.loc[cancelled, "amount"] = -df.loc[cancelled, "amount"].abs()
df["day"] = pd.to_datetime(df["InvoiceDate"]).dt.normalize()
df["day"] = df.groupby("InvoiceNo", sort=False)["day"].transform("first")
df = df[df["day"] <= obs]
days = df.groupby(["CustomerID", "day"], sort=False)["amount"].sum().reset_index()
first = days.groupby("CustomerID")["day"].min().rename("first")
days = days.join(first, on="CustomerID")
days = days[days["first"] <= cal]
calib = days[days["day"] <= cal]
hold = days[days["day"] > cal]
g = calib.groupby("CustomerID")
summary = pd.DataFrame({
    "frequency": g["day"].count() - 1,
    "recency": (g["day"].max() - g["day"].min()).dt.days / 7.0,
    "T": (cal - g["day"].min()).dt.days / 7.0,
    "total": g["amount"].sum(),
})
first_day_total = calib[calib["day"] == calib["first"]].set_index("CustomerID")["amount"]
summary["monetary_value"] = ((summary["total"] - first_day_total) / summary["frequency"]).where(summary["frequency"] > 0, 0.0)
h = hold.groupby("CustomerID")["amount"].agg(["count", "mean"])
summary["frequency_holdout"] = h["count"].reindex(summary.index).fillna(0)
summary["monetary_value_holdout"] = h["mean"].reindex(summary.index).fillna(0.0)
summary["duration_holdout"] = (obs - cal).days / 7.0
summary.index.name = "customer_id"
summary.drop(columns="total").to_csv(out, float_format="%.17g")
