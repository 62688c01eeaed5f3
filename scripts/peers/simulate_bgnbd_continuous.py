"""Simulates BG/NBD customers with continuous (exact-timestamp) recency and T, so nearly every customer is
its own pattern: the shape of a base summarised from timestamps. Writes customer_id,frequency,recency,T.
Usage: python simulate_bgnbd_continuous.py N OUT [seed]   (r, alpha, a, b of CDNOW: 0.243, 4.414, 0.793, 2.426)
"""
import sys

import numpy as np

n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
lam = rng.gamma(r, 1 / alpha, n)
p = rng.beta(a, b, n)
T = rng.uniform(30, 80, n)
t = np.zeros(n)          # time of the last purchase (first purchase at 0)
x = np.zeros(n, dtype=np.int64)
active = np.arange(n)
while active.size:
    nxt = t[active] + rng.exponential(1, active.size) / lam[active]
    buys = nxt <= T[active]
    idx = active[buys]
    t[idx] = nxt[buys]
    x[idx] += 1
    dies = rng.random(idx.size) < p[idx]   # after each repeat purchase the customer drops out with probability p
    active = idx[~dies]
with open(out, "w") as f:
    f.write("customer_id,frequency,recency,T\n")
    ids = np.char.add("C", np.char.zfill(np.arange(n).astype(str), 8))
    rows = np.column_stack([ids, x.astype(str), np.char.mod("%.10g", np.where(x > 0, t, 0.0)), np.char.mod("%.10g", T)])
    f.write("\n".join(",".join(row) for row in rows))
    f.write("\n")
