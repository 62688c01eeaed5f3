"""Peer values for the scoring tests, from lifetimes 0.11.3 and scipy (run in the lifetimes venv).

Usage: clv_lifetimes.py SUMMARY_CSV PARAMS_JSON OUT_JSON
SUMMARY_CSV has ID,x,t_x,T,zbar (weeks). PARAMS_JSON gives bgnbd [r, alpha, a, b], pareto [r, alpha, s, beta],
gg [p, q, gamma], months, rate (per 4.345-week month, lifetimes' freq='W' convention), delta (continuous rate per
week for the DERT check), and survival_cases [[x, T, t], ...].
"""
import json
import sys

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
from scipy import integrate, special, stats

summary_path, params_path, out_path = sys.argv[1:4]
params = json.load(open(params_path))
df = pd.read_csv(summary_path)
x, tx, T, m = df["x"], df["t_x"], df["T"], df["zbar"]

bgf = BetaGeoFitter()
bgf.params_ = pd.Series(dict(zip(["r", "alpha", "a", "b"], params["bgnbd"])))
pnbd = ParetoNBDFitter()
pnbd.params_ = pd.Series(dict(zip(["r", "alpha", "s", "beta"], params["pareto"])))
ggf = GammaGammaFitter()
ggf.params_ = pd.Series(dict(zip(["p", "q", "v"], params["gg"])))

out = {}
for name, model in [("bgnbd", bgf), ("pareto", pnbd)]:
    model.predict = model.conditional_expected_number_of_purchases_up_to_time  # what fit() would set
    clv = ggf.customer_lifetime_value(model, x, tx, T, m, time=params["months"], discount_rate=params["rate"], freq="W")
    out[f"clv_{name}"] = [float(v) for v in clv]
out["spend"] = [float(v) for v in ggf.conditional_expected_average_profit(x, m)]

# DERT of Pareto/NBD by numerical integration of the discounted purchase rate:
# rate(t) = P(alive) (r+x)/(alpha+T) ((beta+T)/(beta+T+t))^s, P(alive) from lifetimes.
r, alpha, s, beta = params["pareto"]
delta = params["delta"]
alive = pnbd.conditional_probability_alive(x, tx, T)
dert = []
for i in range(params["dert_customers"]):
    xi, Ti = float(x[i]), float(T[i])
    rate = lambda t: np.exp(-delta * t) * (r + xi) / (alpha + Ti) * ((beta + Ti) / (beta + Ti + t)) ** s
    value, _ = integrate.quad(rate, 0, np.inf, epsabs=0, epsrel=1e-13, limit=500)
    dert.append(float(alive[i] * value))
out["dert_pareto"] = dert

# BG/NBD survival of a customer alive at T: E_p[(1 + p t/(alpha+T))^-(r+x)], p ~ Beta(a, b+x), by quadrature.
r, alpha, a, b = params["bgnbd"]
survival = []
for xi, Ti, t in params["survival_cases"]:
    f = lambda p: stats.beta.pdf(p, a, b + xi) * (1 + p * t / (alpha + Ti)) ** (-(r + xi))
    value, _ = integrate.quad(f, 0, 1, epsabs=0, epsrel=1e-13, limit=500)
    survival.append(float(value))
out["survival_bgnbd"] = survival

# BG/NBD continuously discounted residual purchases and time alive of a customer alive at T:
# E[lambda/(delta+lambda p)] and E[1/(delta+lambda p)], lambda ~ Gamma(r+x, alpha+T), p ~ Beta(a, b+x), by nested quad.
residual = []
for xi, Ti, d in params["residual_cases"]:
    R, A, B = r + xi, alpha + Ti, b + xi
    lam = stats.gamma(R, scale=1 / A)
    def inner(p, g):
        value, _ = integrate.quad(lambda l: lam.pdf(l) * g(l, p), 0, np.inf, epsabs=0, epsrel=1e-11, limit=200)
        return value
    def outer(g):
        value, _ = integrate.quad(lambda p: stats.beta.pdf(p, a, B) * inner(p, g), 0, 1, epsabs=0, epsrel=1e-10, limit=200)
        return value
    residual.append([outer(lambda l, p: l / (d + l * p)), outer(lambda l, p: 1 / (d + l * p))])
out["residual_bgnbd"] = residual

json.dump(out, open(out_path, "w"))
