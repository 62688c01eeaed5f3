"""Writes lifetimes 0.11.3's summary of a whitespace-separated transaction file (CDNOW_master.txt layout)
with daily periods (freq='D'), full precision, for LifetimesComparisonTests.

usage: python lifetimes_summary.py TRANSACTIONS OUT_CSV [CALIBRATION_END OBSERVATION_END]
With the two dates (yyyy-mm-dd) it writes calibration_and_holdout_data instead.
"""
import sys
import warnings

warnings.filterwarnings("ignore")
import pandas as pd
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data

src, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(src, sep=r"\s+", dtype={"customer_id": str, "date": str})
if len(sys.argv) > 4:
    s = calibration_and_holdout_data(df, "customer_id", "date", calibration_period_end=sys.argv[3].replace("-", ""),
                                     observation_period_end=sys.argv[4].replace("-", ""), freq="D",
                                     datetime_format="%Y%m%d", monetary_value_col="dollar_value")
else:
    s = summary_data_from_transaction_data(df, "customer_id", "date", monetary_value_col="dollar_value",
                                           datetime_format="%Y%m%d", freq="D")
s.index.name = "customer_id"
s.to_csv(out, float_format="%.17g")
