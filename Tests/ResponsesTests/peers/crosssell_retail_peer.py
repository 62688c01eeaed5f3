"""implicit 0.7.3's item-item cosine recommender on the Online Retail split Klant's test uses.

argv: online_retail.csv.gz, last calibration day (inclusive, YYYY-MM-DD), Klant's model JSON.
Purchases: lines with a customer id, invoice not starting with C, quantity > 0 (as Klant reads
them). implicit's K counts the item itself, so K = Klant's neighbours + 1. Prints JSON: the
largest difference between Klant's and implicit's top-K similarity values per item (as sorted
multisets, so ties may order differently), how many items differ, and precision@5 / recall@5 /
hit rate of implicit's recommendations (already bought items filtered) for the customers who
bought before the cut-off and bought new items after it.
"""
import json
import sys

import numpy as np
import pandas as pd
import scipy.sparse as sp
from implicit.nearest_neighbours import CosineRecommender

log = pd.read_csv(sys.argv[1], dtype={"CustomerID": str, "InvoiceNo": str, "StockCode": str})
cut = pd.Timestamp(sys.argv[2]) + pd.Timedelta(days=1)
with open(sys.argv[3]) as f:
    model = json.load(f)
log = log[log.CustomerID.notna() & ~log.InvoiceNo.str.startswith("C") & (log.Quantity > 0)]
log = log.assign(date=pd.to_datetime(log.InvoiceDate))
cal, after = log[log.date < cut], log[log.date >= cut]

items = model["items"]
index = {item: i for i, item in enumerate(items)}
customers = sorted(cal.CustomerID.unique())
cindex = {c: i for i, c in enumerate(customers)}
pairs = cal[["CustomerID", "StockCode"]].drop_duplicates()
x = sp.csr_matrix((np.ones(len(pairs), dtype=np.float32),
                   (pairs.CustomerID.map(cindex).to_numpy(), pairs.StockCode.map(index).to_numpy())),
                  shape=(len(customers), len(items)))
k = model["neighbours"]
rec = CosineRecommender(K=k + 1)
rec.fit(x, show_progress=False)

sim = rec.similarity.tocsr()
ours_items = np.array(model["neighbour_items"]).reshape(len(items), k)
ours_sims = np.array(model["neighbour_similarities"]).reshape(len(items), k)
max_diff, differing, compared = 0.0, 0, 0
for i in range(len(items)):
    row = sim[i]
    theirs = sorted((v for j, v in zip(row.indices, row.data) if j != i), reverse=True)[:k]
    ours = [v for j, v in zip(ours_items[i], ours_sims[i]) if j >= 0]
    if not theirs and not ours:
        continue
    compared += 1
    # implicit keeps K including the item itself; another item with similarity 1 can displace it.
    n = min(len(theirs), len(ours))
    if len(theirs) != len(ours) and n < k - 1:
        differing += 1
        continue
    d = max((abs(a - b) for a, b in zip(ours[:n], theirs[:n])), default=0.0)
    if d > 1e-5:
        differing += 1
    else:
        max_diff = max(max_diff, d)

history = cal.groupby("CustomerID").StockCode.apply(set).to_dict()
future = after.groupby("CustomerID").StockCode.apply(set).to_dict()
evaluated = [c for c in customers if c in future and future[c] - history[c]]
ids, _ = rec.recommend(np.array([cindex[c] for c in evaluated]), x[[cindex[c] for c in evaluated]], N=5,
                       filter_already_liked_items=True)
precision, recall, hits = [], [], []
for c, row in zip(evaluated, ids):
    new = future[c] - history[c]
    h = sum(items[j] in new for j in row if j >= 0)
    precision.append(h / 5); recall.append(h / len(new)); hits.append(h > 0)
print(json.dumps({"max_similarity_difference": max_diff, "items_differing": differing, "items_compared": compared,
                  "customers": len(evaluated), "precision": float(np.mean(precision)), "recall": float(np.mean(recall)),
                  "hit_rate": float(np.mean(hits))}))
