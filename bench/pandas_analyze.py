#!/usr/bin/python3
"""pandas_analyze.py — the reference for `make bench`: the analysis dcx analyze does
(converted: two-proportion z test; revenue: Welch t test; overall and per country; SRM
chi-square), done with pandas + scipy + statsmodels. Usage: pandas_analyze.py UNITS.csv"""
import sys

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

df = pd.read_csv(sys.argv[1])
rows = []
levels = [("all", "all", df)] + [("country", k, g) for k, g in df.groupby("country")]
for seg, val, g in levels:
    c = g[g.variant == "control"]
    t = g[g.variant == "treatment"]
    z, p = proportions_ztest([t.converted.sum(), c.converted.sum()], [len(t), len(c)])
    rows.append((seg, val, "converted", t.converted.mean() - c.converted.mean(), p))
    w = stats.ttest_ind(t.revenue, c.revenue, equal_var=False)
    rows.append((seg, val, "revenue", t.revenue.mean() - c.revenue.mean(), w.pvalue))
counts = df.variant.value_counts().sort_index()
chi2, srm_p = stats.chisquare(counts)
print(f"srm p={srm_p:.6g}; " + "; ".join(f"{r[2]} {r[1]} diff={r[3]:.6g} p={r[4]:.6g}" for r in rows[:2]))
