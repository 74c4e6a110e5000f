#!/usr/bin/python3
"""CUPED for ratio metrics, re-implemented from the definitions of gbstats (GrowthBook,
packages/stats/gbstats/models/statistics.py: RegressionAdjustedRatioStatistic and
compute_theta_regression_adjusted_ratio; models/tests.py: the absolute difference's variance)
with numpy and scipy, from each arm's sums over its units.

Per arm, the four columns M (numerator), D (denominator), Mp, Dp (the covariate pair: the
pre-period numerator and denominator) have means b = (b0, b1, b2, b3) and covariance matrix L
(sample variances and covariances, divisor n - 1, from the sums, sums of squares and sums of
products). With theta:

  nabla(theta) = (1/b1, -b0/b1^2, -theta/b3, theta b2/b3^2)
  variance     = nabla' L nabla                 (per unit; the estimate's is variance / n)
  mean         = b0/b1 - theta b2/b3

theta pools the two arms of a comparison: with theta = 1, cov = nabla[2:4]' L[2:4, 0:2] nabla[0:2]
and var_pre = nabla[2:4]' L[2:4, 2:4] nabla[2:4] per arm, theta = -(cov_a + cov_b) / (var_pre_a +
var_pre_b), 0 when the denominator is 0; |theta| < 1e-8 is no adjustment (the plain ratio).

The difference is mean_b - mean_a with variance var_a/n_a + var_b/n_b, its z test and interval
at the normal quantile. dcx reports each arm centred on the pooled pre-period ratio P (sum Mp /
sum Dp over both arms): b0/b1 - theta (b2/b3 - P), gbstats' mean plus theta P, which leaves the
difference as it is; the lift is the difference over |that control arm|, with the delta method's
variance var_b/(n_b m_a^2) + m_b^2 var_a/(n_a m_a^4) (dcx --lift-interval delta), and the
variance reduction 1 - (variance of the difference) / (its variance with theta = 0).

Writes tests/reference/ratio_cuped_units.csv (synthetic units: three arms, two plans in which
the pre-period carries over unequally, customers without a pre-period, missing values) and
prints one row per comparison.
Run from the project root:
  /usr/bin/python3 tests/reference/gbstats_cuped_ratio.py > tests/reference/gbstats_cuped_ratio.tsv"""
import csv
import math

import numpy as np
from scipy.stats import norm

ALPHA = 0.05


def make_units(path):
    """three arms, plans 'basic' and 'pro' (in 'pro' the order count no longer follows habit)"""
    rng = np.random.default_rng(20261202)
    n = 1500
    rows = []
    for i in range(n):
        variant = ["control", "bundle", "coupon"][rng.integers(3)]
        plan = "pro" if rng.random() < 0.35 else "basic"
        habit = rng.gamma(2.0, 1.0)
        pre_orders = int(rng.poisson(2 * habit))
        size = rng.gamma(4.0, 12.0)
        pre_revenue = round(float(sum(rng.gamma(4.0, size / 4.0) for _ in range(pre_orders))), 2)
        orders = 1 + int(rng.poisson(habit if plan == "basic" else 4.0 / (1.0 + habit)))
        lift = {"control": 1.0, "bundle": 1.06, "coupon": 0.98}[variant]
        revenue = round(float(sum(rng.gamma(4.0, lift * size / 4.0) for _ in range(orders))), 2)
        cells = [f"u{i + 1:04d}", variant, plan, f"{pre_revenue:.2f}", str(pre_orders), f"{revenue:.2f}", str(orders)]
        if i % 97 == 13:
            cells[3] = ""  # a unit whose pre-period revenue went untracked: missing
        rows.append(cells)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "variant", "plan", "pre_revenue", "pre_orders", "revenue", "orders"])
        w.writerows(rows)


def read_units(path, cols, segment):
    """per (segment level, variant): the units' four columns, units with a missing one left out"""
    out = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            vals = [r[c] for c in cols]
            if any(v == "" for v in vals):
                continue
            x = [float(v) for v in vals]
            for level in ("all", r[segment]):
                out.setdefault((level, r["variant"]), []).append(x)
    return {k: np.array(v) for k, v in out.items()}


class Arm:
    """an arm's sums, and gbstats' statistics of them"""

    def __init__(self, units):
        self.n = len(units)
        self.s = units.sum(axis=0)              # sums of M, D, Mp, Dp
        self.p = units.T @ units                # sums of squares and products
        n = self.n
        self.b = self.s / n
        self.L = (self.p - np.outer(self.s, self.s) / n) / (n - 1)
        assert np.allclose(self.L, np.cov(units.T, ddof=1), rtol=1e-9, atol=1e-9)

    def nabla(self, theta):
        b = self.b
        return np.array([1 / b[1], -b[0] / b[1] ** 2, -theta / b[3], theta * b[2] / b[3] ** 2])

    def variance(self, theta):
        g = self.nabla(theta)
        return float(g @ self.L @ g)

    def mean(self, theta):
        b = self.b
        return b[0] / b[1] - theta * b[2] / b[3]


def theta_of(a, b):
    cov = var_pre = 0.0
    for arm in (a, b):
        g = arm.nabla(1.0)
        cov += float(g[2:4] @ arm.L[2:4, 0:2] @ g[0:2])
        var_pre += float(g[2:4] @ arm.L[2:4, 2:4] @ g[2:4])
    theta = 0.0 if var_pre == 0 else -cov / var_pre
    return 0.0 if abs(theta) < 1e-8 else theta


def compare(a, b):
    theta = theta_of(a, b)
    z = norm.ppf(1 - ALPHA / 2)
    diff = b.mean(theta) - a.mean(theta)
    var = a.variance(theta) / a.n + b.variance(theta) / b.n
    var0 = a.variance(0.0) / a.n + b.variance(0.0) / b.n
    se = math.sqrt(var)
    stat = diff / se
    pooled = (a.s[2] + b.s[2]) / (a.s[3] + b.s[3])
    mc, mt = a.mean(theta) + theta * pooled, b.mean(theta) + theta * pooled
    lift = diff / abs(mc)
    lv = b.variance(theta) / b.n / mc ** 2 + mt ** 2 * a.variance(theta) / a.n / mc ** 4
    return {
        "theta": theta, "mean_c": mc, "mean_t": mt,
        "sd_c": math.sqrt(a.variance(theta)), "sd_t": math.sqrt(b.variance(theta)),
        "diff": diff, "se": se, "stat": stat, "p": 2 * norm.sf(abs(stat)),
        "ci_lo": diff - z * se, "ci_hi": diff + z * se, "vr": 1 - var / var0,
        "lift": lift, "lift_lo": lift - z * math.sqrt(lv), "lift_hi": lift + z * math.sqrt(lv),
        "n_c": a.n, "n_t": b.n,
    }


# (case, data, metric name, columns M D Mp Dp, segment column, segment levels, control, treatments)
CASES = [
    ("sessions", "examples/sessions_test.csv", "ppv",
     ["pageviews", "sessions", "pre_pageviews", "pre_sessions"], "device",
     ["all", "desktop", "mobile"], "control", ["treatment"]),
    ("orders", "tests/reference/ratio_cuped_units.csv", "aov",
     ["revenue", "orders", "pre_revenue", "pre_orders"], "plan",
     ["all", "basic", "pro"], "control", ["bundle", "coupon"]),
]

if __name__ == "__main__":
    make_units("tests/reference/ratio_cuped_units.csv")
    keys = ["theta", "mean_c", "mean_t", "sd_c", "sd_t", "diff", "se", "stat", "p", "ci_lo", "ci_hi",
            "vr", "lift", "lift_lo", "lift_hi", "n_c", "n_t"]
    print("\t".join(["case", "data", "metric", "columns", "segment", "segment_value", "variant"] + keys))
    for case, data, name, cols, seg, levels, ctl, treats in CASES:
        cells = read_units(data, cols, seg)
        for level in levels:
            for t in treats:
                r = compare(Arm(cells[(level, ctl)]), Arm(cells[(level, t)]))
                print("\t".join([case, data, name, ",".join(cols), seg, level, t]
                                + [repr(float(r[k])) for k in keys]))
