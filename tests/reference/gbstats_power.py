#!/usr/bin/python3
"""gbstats' mid-experiment power (packages/stats/gbstats/power/midexperimentpower.py,
MidExperimentPower.power with sequential=True and no prior), re-implemented with scipy, for a
two-arm test with n units per arm so far, per-arm variances v1 and v2 (binary: p(1-p) of the
baseline and of baseline + MDE; mean: sd²), MDE d, tuning N* and alpha:

  sigma² = v1/n + v2/n (the variance of the difference now), N = 2n (pairwise sample size)
  power(k) = 1 - Φ((h - d)/s) + Φ(-(h + d)/s),  s² = sigma²/(1 + k),
  h = sqrt(N sigma²) · sqrt(2(M rho² + 1) ln(sqrt(M rho² + 1)/alpha) / (M rho)²),  M = N(1 + k),
  rho² = (-2 ln alpha + ln(-2 ln alpha + 1)) / N*
  power_now = power(0); the units per arm needed for power 0.8: n(1 + k*) with power(k*) = 0.8
  (gbstats bisects on k to 1e-5 in power; brentq here).
Writes: kind, baseline or sd, mde, n, tuning, power_now, n_needed (per arm, unrounded), and the
fixed-horizon-free check value power(1) (twice the units).
Run: /usr/bin/python3 tests/reference/gbstats_power.py > tests/reference/gbstats_power.tsv"""
import math
from scipy.stats import norm
from scipy.optimize import brentq

ALPHA = 0.05
cases = [("binary", 0.10, 0.01, 5000, 5000), ("binary", 0.10, 0.01, 20000, 5000),
         ("binary", 0.03, 0.003, 30000, 10000), ("mean", 40.0, 1.5, 3000, 5000),
         ("mean", 40.0, 1.5, 12000, 2000), ("binary", 0.5, 0.02, 2000, 5000)]
print("kind\tparam\tmde\tn\ttuning\tpower_now\tn_needed\tpower_double")
for kind, par, d, n, nstar in cases:
    if kind == "binary":
        v1, v2 = par * (1 - par), (par + d) * (1 - par - d)
    else:
        v1 = v2 = par * par
    sigma2 = v1 / n + v2 / n
    N = 2 * n
    rho2 = (-2 * math.log(ALPHA) + math.log(-2 * math.log(ALPHA) + 1)) / nstar
    def power(k):
        s = math.sqrt(sigma2 / (1 + k))
        M = N * (1 + k)
        h = math.sqrt(N * sigma2) * math.sqrt(2 * (M * rho2 + 1) * math.log(math.sqrt(M * rho2 + 1) / ALPHA) / (M * M * rho2))
        return 1 - norm.cdf((h - d) / s) + norm.cdf(-(h + d) / s)
    k = brentq(lambda k: power(k) - 0.8, -0.999, 1e6, xtol=1e-14, rtol=1e-14)
    print(f"{kind}\t{par!r}\t{d!r}\t{n}\t{nstar}\t{power(0)!r}\t{n * (1 + k)!r}\t{power(1)!r}")
