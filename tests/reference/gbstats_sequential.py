#!/usr/bin/python3
"""gbstats' one-sided sequential test (SequentialOneSidedTreatmentGreaterTTest / LesserTTest),
re-implemented from its definitions with scipy, for mean metrics given as per-arm sufficient
statistics. With n = n_a + n_b, SE² = v_a/n_a + v_b/n_b, s2 = SE²·n, N* the tuning and
rho² = (-2 ln(2α) + ln(-2 ln(2α) + 1)) / N* (the one-sided tuning uses 2α):

  halfwidth(α) = sqrt( s2 · 2(n rho² + 1)/(n rho)² · ln(1 + sqrt(n rho² + 1)/(2α)) )
  greater: [diff - halfwidth, inf);  lesser: (-inf, diff + halfwidth]
  p-value: the α (rho fixed at the configured α) at which the interval's bound is 0, found by
           brentq here (gbstats bisects within [1e-5, 0.4999]; the cases stay inside it).

Writes one row per case: inputs, direction, the bound and the p-value.
Run: /usr/bin/python3 tests/reference/gbstats_sequential.py > tests/reference/gbstats_sequential.tsv"""
import math
from scipy.optimize import brentq

ALPHA, NSTAR = 0.05, 5000
cases = [  # n_a, mean_a, var_a, n_b, mean_b, var_b, direction (+1 greater, -1 lesser)
    (5000, 10.0, 100.0, 5000, 10.6, 110.0, 1),
    (5000, 10.0, 100.0, 5000, 10.6, 110.0, -1),
    (20000, 3.0, 16.0, 20100, 2.85, 15.0, -1),
    (20000, 3.0, 16.0, 20100, 2.85, 15.0, 1),
    (800, 50.0, 2500.0, 900, 57.0, 2700.0, 1),
    (100000, 1.0, 4.0, 100000, 1.04, 4.1, 1),
]
rho2 = (-2 * math.log(2 * ALPHA) + math.log(-2 * math.log(2 * ALPHA) + 1)) / NSTAR
print("n_a\tmean_a\tvar_a\tn_b\tmean_b\tvar_b\tdir\tbound\tp")
for na, ma, va, nb, mb, vb, d in cases:
    n = na + nb
    se2 = va / na + vb / nb
    s2 = se2 * n
    diff = mb - ma
    def hw(a):
        return math.sqrt(s2 * 2 * (n * rho2 + 1) / (n * n * rho2) * math.log(1 + math.sqrt(n * rho2 + 1) / (2 * a)))
    bound = diff - hw(ALPHA) if d > 0 else diff + hw(ALPHA)
    f = (lambda a: diff - hw(a)) if d > 0 else (lambda a: diff + hw(a))
    try:
        p = brentq(f, 1e-14, 0.99999999, xtol=1e-15, rtol=1e-13)
    except ValueError:
        p = 1.0
    print("\t".join(repr(float(v)) for v in (na, ma, va, nb, mb, vb, d, bound, p)))
