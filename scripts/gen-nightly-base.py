#!/usr/bin/env python3
"""Seeded synthetic base for `klant rescore`: CUSTOMERS customers buying over DAYS days (BG/NBD-like:
a purchase rate per customer from a gamma, a dropout chance after each purchase), written as daily
drops OUT/incoming/YYYY-MM-DD.csv (customer_id,date,amount) plus a config OUT/klant.yaml.

    python3 scripts/gen-nightly-base.py OUT --customers 1000000 --days 730 --seed 1 --rate-scale 2

--rate-scale multiplies every customer's purchase rate (default 1: about 12.7 transactions per
customer over 730 days; 2 gives about 20, the issue's 20,000,000 for 1,000,000 customers).
The same seed and options write the same files. Models: the shipped CDNOW ones (weekly); the first run refits.
"""
import argparse, datetime, os, random

def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--customers", type=int, default=10000)
    p.add_argument("--days", type=int, default=730)
    p.add_argument("--start", default="2025-01-01")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rate-scale", type=float, default=1.0, help="multiplies the purchase rates (2: about 20 transactions per customer over 730 days)")
    p.add_argument("--models", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
    a = p.parse_args()
    rng = random.Random(a.seed)
    start = datetime.date.fromisoformat(a.start)
    days = [[] for _ in range(a.days)]
    dates = [(start + datetime.timedelta(days=d)).isoformat() for d in range(a.days)]
    for c in range(1, a.customers + 1):
        rate = rng.gammavariate(0.9, a.rate_scale / 25.0)  # purchases per day, mean about 0.036 x rate scale
        drop = rng.betavariate(0.5, 8.0)                 # chance to leave after each purchase
        spend = rng.gammavariate(6.0, 6.0)
        t = rng.uniform(0, a.days / 2)                   # first purchase in the first year
        while t < a.days:
            days[int(t)].append(f"C{c:07d},{dates[int(t)]},{max(0.5, rng.gauss(spend, spend / 4)):.2f}\n")
            if rng.random() < drop:
                break
            t += rng.expovariate(rate) if rate > 0 else a.days
    incoming = os.path.join(a.out, "incoming")
    os.makedirs(incoming, exist_ok=True)
    total = 0
    for i, rows in enumerate(days):
        day = start + datetime.timedelta(days=i)
        with open(os.path.join(incoming, f"{day.isoformat()}.csv"), "w") as f:
            f.write("customer_id,date,amount\n")
            f.writelines(rows)
        total += len(rows)
    models = os.path.abspath(a.models)
    with open(os.path.join(a.out, "klant.yaml"), "w") as f:
        f.write(f"""drops:
  folder: incoming
  columns: [customer_id, date, amount]
models:
  purchase: {models}/cdnow-bgnbd.json
  spend: {models}/cdnow-gamma-gamma.json
money:
  margin: 0.3
  cost_per_order: 2
outputs:
  dir: out
store:
  file: state/klant.sqlite
refit:
  max_age_days: 7
gates:
  max_transaction_drop: 0.9
  max_active_customer_drop: 0.9
""")
    print(f"{a.customers} customers, {total} transactions over {a.days} days; last drop {start + datetime.timedelta(days=a.days - 1)}")

if __name__ == "__main__":
    main()
