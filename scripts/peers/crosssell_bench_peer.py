"""implicit 0.7.3's item-item cosine recommender (K = neighbours + 1: implicit counts the item
itself) on the Online Retail purchases as Klant reads them (customer id present, invoice not
starting with C, quantity > 0): building the binary customer x item matrix, fit, and top-k for
every customer with bought items filtered; median of REPEATS. Reading the file is not timed.
Prints a JSON line with each customer's top-k for the agreement check.

Usage: python crosssell_bench_peer.py FILE REPEATS NEIGHBOURS TOP
"""
import json
import statistics
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from implicit.nearest_neighbours import CosineRecommender

path, repeats, neighbours, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
log = pd.read_csv(path, dtype={"CustomerID": str, "InvoiceNo": str, "StockCode": str})
log = log[log.CustomerID.notna() & ~log.InvoiceNo.str.startswith("C") & (log.Quantity > 0)]
customers = log.CustomerID.astype("category")
items = log.StockCode.astype("category")
c, i = customers.cat.codes.to_numpy(), items.cat.codes.to_numpy()

times, cpu = [], []
for _ in range(repeats):
    start, start_cpu = time.perf_counter(), time.process_time()
    x = sp.csr_matrix((np.ones(len(c), dtype=np.float32), (c, i)))
    x.data[:] = 1.0  # repeated purchases of an item count once, as in Klant's baskets
    model = CosineRecommender(K=neighbours + 1)
    model.fit(x, show_progress=False)
    ids, scores = model.recommend(np.arange(x.shape[0]), x, N=top, filter_already_liked_items=True)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)

names_c, names_i = customers.cat.categories, items.cat.categories
recommendations = {names_c[u]: [names_i[j] for j, s in zip(row, srow) if j >= 0 and s > 0] for u, (row, srow) in enumerate(zip(ids, scores))}
print(json.dumps({"benchmark": "cross-sell-implicit-cosine", "median_seconds": statistics.median(times), "runs": times,
                  "cpu_seconds_per_run": statistics.median(cpu), "customers": int(x.shape[0]), "items": int(x.shape[1]),
                  "recommendations": recommendations}))
