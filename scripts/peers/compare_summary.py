"""Checks that Klant's and DuckDB's summaries agree and prints the timing comparison (scripts/bench-summary.sh).

usage: python compare_summary.py OURS_JSON THEIRS_JSON
Exit code 1 if the customer counts, check sums (relative 1e-9) or sample customers disagree.
"""
import json
import sys

ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
problems = []
if ours["customers"] != theirs["customers"]:
    problems.append(f"customers: klant {ours['customers']} duckdb {theirs['customers']}")
for name, value in ours["sums"].items():
    other = theirs["sums"][name]
    if abs(value - other) > 1e-9 * max(1.0, abs(value)):
        problems.append(f"sum of {name}: klant {value!r} duckdb {other!r}")
for row in ours["sample"]:
    cid, values = row[0], row[1:]
    other = theirs["sample"].get(cid)
    if other is None or any(abs(a - b) > 1e-9 * max(1.0, abs(a)) for a, b in zip(values, other)):
        problems.append(f"customer {cid}: klant {values} duckdb {other}")

print(f"klant  summarize: median {ours['median_seconds']:.3f} s  runs {[round(t, 3) for t in ours['runs']]}  "
      f"CPU {ours['median_cpu_seconds']:.2f} s  peak RSS {ours['peak_rss_mb']:.0f} MB  threads {ours['threads']}  "
      f"(load avg {ours['load_average_1min']:.1f})")
print(f"duckdb {theirs['duckdb_version']}: median {theirs['median_seconds']:.3f} s  runs {[round(t, 3) for t in theirs['runs']]}  "
      f"CPU {theirs['median_cpu_seconds']:.2f} s  (load avg {theirs['load_average_1min']:.1f})")
print(f"customers {ours['customers']}, lines {ours['lines']}; summaries agree: {'yes' if not problems else 'NO'}")
print(f"speed-up (duckdb / klant): wall {theirs['median_seconds'] / ours['median_seconds']:.2f}x, "
      f"CPU {theirs['median_cpu_seconds'] / ours['median_cpu_seconds']:.2f}x")
for p in problems:
    print("MISMATCH", p, file=sys.stderr)
sys.exit(1 if problems else 0)
