"""The peer side of scripts/bench-read.sh: lifetimes 0.11.3 from the summary CSV to its result, timed inside
Python (interpreter start and imports excluded, which favours the peer).
  fit:     pandas read_csv + BetaGeoFitter().fit (or ParetoNBDFitter with --pareto)
  predict: pandas read_csv + conditional expected purchases over the horizon + P(alive) + to_csv
usage: python bench_read_lifetimes.py fit|predict SUMMARY_CSV RUNS [--pareto] [--horizon 52]
Prints one JSON line with the median and all runs (wall and CPU seconds).
"""
import json
import os
import statistics
import sys
import tempfile
import time
import warnings

import pandas as pd

warnings.simplefilter("ignore")
from lifetimes import BetaGeoFitter, ParetoNBDFitter  # noqa: E402

what, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
pareto = "--pareto" in sys.argv
horizon = float(sys.argv[sys.argv.index("--horizon") + 1]) if "--horizon" in sys.argv else 52.0
walls, cpus, result = [], [], None
fitted = None
if what == "predict":
    s = pd.read_csv(path)
    fitted = BetaGeoFitter().fit(s["frequency"].values, s["recency"].values, s["T"].values)
for _ in range(runs):
    start, cpu = time.perf_counter(), time.process_time()
    s = pd.read_csv(path)
    f, r, T = s["frequency"].values, s["recency"].values, s["T"].values
    if what == "fit":
        model = (ParetoNBDFitter() if pareto else BetaGeoFitter()).fit(f, r, T)
        result = {k: float(v) for k, v in model.params_.items()}
    else:
        out = pd.DataFrame({"customer_id": s["customer_id"],
                            "probability_alive": fitted.conditional_probability_alive(f, r, T),
                            "expected_purchases": fitted.conditional_expected_number_of_purchases_up_to_time(horizon, f, r, T)})
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as tmp:
            out.to_csv(tmp.name, index=False)
        os.unlink(tmp.name)
        result = float(out["expected_purchases"].sum())
    walls.append(time.perf_counter() - start)
    cpus.append(time.process_time() - cpu)
print(json.dumps({"benchmark": f"lifetimes-{what}{'-pareto' if pareto else ''}", "median_seconds": statistics.median(walls),
                  "median_cpu_seconds": statistics.median(cpus), "runs": walls, "result": result}))
