#!/usr/bin/python3
"""Thompson sampling by a long simulation, the way gbstats' bandits.py estimates it: draws from
each arm's independent normal posterior N(mu, sd^2), the share of draws in which each arm is the
largest (P(best)) and the second largest. 4,000,000 draws per case (seeded), so a share p has a
Monte Carlo standard error sqrt(p(1 - p)/4e6) <= 0.00025; tests/unit/test_reference.c checks
dcx_thompson()'s integrals against these shares within 4.5 standard errors.
Run: /usr/bin/python3 tests/reference/thompson_mc.py > tests/reference/thompson_mc.tsv"""
import numpy as np

N = 4_000_000
cases = [
    ([0.0327, 0.0393, 0.0420], [0.00179, 0.00192, 0.00202]),
    ([1.0, 1.0], [0.1, 0.1]),
    ([1.0, 1.05, 0.98, 1.02], [0.03, 0.04, 0.02, 0.05]),
    ([10.0, 10.5, 9.0], [1.0, 0.2, 3.0]),
    ([0.0, 0.1, 0.2, 0.3, 0.4], [0.2, 0.2, 0.2, 0.2, 0.2]),
]
rng = np.random.default_rng(26)
print("mu\tsd\tdraws\tp_best\tp_second")
for mu, sd in cases:
    y = rng.normal(loc=mu, scale=sd, size=(N, len(mu)))
    order = np.argsort(y, axis=1)
    best = np.bincount(order[:, -1], minlength=len(mu)) / N
    second = np.bincount(order[:, -2], minlength=len(mu)) / N
    f = lambda v: ",".join(repr(float(x)) for x in v)
    print(f"{f(mu)}\t{f(sd)}\t{N}\t{f(best)}\t{f(second)}")
