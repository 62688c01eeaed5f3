"""Independent computations of the value analytics (Sources/Scoring: ValueMatrix, RFMScores,
ProfitabilityPicture, ChannelValueTable) with numpy/pandas, printed as JSON for ValuePeerTests.

usage: value_peer.py quantiles CSV Q...       numpy's default (linear) quantiles of column x
       value_peer.py rfm CSV                  RFM quintiles by pandas min-rank
       value_peer.py profit CSV FRACTION      profitability picture of columns revenue, profit
       value_peer.py channels HILLSTROM_CSV   history/spend by channel group and by channel count
"""
import json
import sys

import numpy as np
import pandas as pd


def tied_bins(x, bins, ascending=True):
    # Position of the first customer holding the value, in an ascending (or descending) sort.
    first = x.rank(method="min", ascending=ascending) - 1
    return (np.floor(bins * first / len(x)) + 1).astype(int).tolist()


def quantiles(path, qs):
    x = pd.read_csv(path)["x"].to_numpy()
    return [float(np.quantile(x, float(q))) for q in qs]


def rfm(path):
    d = pd.read_csv(path)
    since_last = d["T"] - d["recency"]
    return {
        "r": tied_bins(since_last, 5, ascending=False),
        "f": tied_bins(d["frequency"], 5),
        "m": tied_bins(d["monetary_value"], 5),
    }


def profit(path, fraction):
    d = pd.read_csv(path)
    rev, pr = d["revenue"].to_numpy(), d["profit"].to_numpy()
    n = len(d)
    # Top shares: linear interpolation on the exact cumulative curve (k/n, C_k).
    x = np.arange(n + 1) / n
    rev_c = np.concatenate([[0.0], np.cumsum(np.sort(rev)[::-1])])
    pr_c = np.concatenate([[0.0], np.cumsum(np.sort(pr)[::-1])])
    total_profit = pr.sum()
    # Gini from its definition: mean absolute difference over twice the mean (negatives as 0).
    r = np.clip(rev, 0, None)
    gini = np.abs(r[:, None] - r[None, :]).sum() / (2 * n * n * r.mean())
    band = fraction * np.abs(rev)
    losing = pr < -band
    grid = np.linspace(0, 1, 101)
    deciles = tied_bins(pd.Series(pr), 10, ascending=False)
    dec = pd.DataFrame({"d": deciles, "p": pr, "r": rev}).groupby("d").agg(n=("p", "size"), p=("p", "sum"), r=("r", "sum"))
    return {
        "revenue_share_top5pct": float(np.interp(0.05, x, rev_c) / rev.sum()),
        "profit_share_top20pct": float(np.interp(0.20, x, pr_c) / total_profit),
        "gini": float(gini),
        "profitable": int((pr > band).sum()),
        "break_even": int((np.abs(pr) <= band).sum()),
        "loss_making": int(losing.sum()),
        "loss_amount": float(-pr[losing].sum()),
        "lorenz_grid": [float(v) for v in np.interp(grid, x, pr_c) / total_profit],
        "peak": [float(np.argmax(pr_c) / n), float(pr_c.max() / total_profit)],
        "deciles": deciles,
        "decile_table": {str(k): [int(v.n), float(v.p), float(v.r)] for k, v in dec.iterrows()},
    }


def channels(path):
    d = pd.read_csv(path)
    d["channels_used"] = np.where(d["channel"] == "Multichannel", 2, 1)
    out = {}
    for key in ["channel", "channels_used"]:
        g = d.groupby(key)
        t = pd.DataFrame({
            "customers": g.size(),
            "mean_history": g["history"].mean(), "median_history": g["history"].median(),
            "mean_spend": g["spend"].mean(), "median_spend": g["spend"].median(),
        })
        out[key] = {str(k): [float(v) for v in row] for k, row in t.iterrows()}
    return out


if __name__ == "__main__":
    task, path = sys.argv[1], sys.argv[2]
    if task == "quantiles":
        result = quantiles(path, sys.argv[3:])
    elif task == "rfm":
        result = rfm(path)
    elif task == "profit":
        result = profit(path, float(sys.argv[3]))
    elif task == "channels":
        result = channels(path)
    else:
        sys.exit(f"unknown task {task}")
    json.dump(result, sys.stdout)
