#!/usr/bin/python3
"""Lan-DeMets group-sequential boundaries, computed independently of dcx: each look's boundary
solves P(Z_1 < b_1, ..., Z_{k-1} < b_{k-1}, Z_k >= b) = alpha(t_k) - alpha(t_{k-1}) with the
multivariate normal distribution function (Genz's algorithm in scipy) of the z statistics,
corr(Z_i, Z_j) = sqrt(t_i / t_j), and brentq. Writes group_sequential.tsv:
spending  alpha  fractions  look  boundary
Run: /usr/bin/python3 tests/reference/group_sequential.py > tests/reference/group_sequential.tsv"""
import math
import numpy as np
from scipy.stats import norm, multivariate_normal
from scipy.optimize import brentq

def spent(kind, alpha, t):
    t = min(t, 1.0)
    if kind == "obrien-fleming":
        return 2 * norm.sf(norm.isf(alpha / 2) / math.sqrt(t))
    return alpha * math.log(1 + (math.e - 1) * t)

def below(b, t):
    """P(Z_1 < b_1, ..., Z_k < b_k)"""
    k = len(b)
    if k == 1:
        return norm.cdf(b[0])
    c = np.array([[math.sqrt(min(t[i], t[j]) / max(t[i], t[j])) for j in range(k)] for i in range(k)])
    return multivariate_normal.cdf(np.array(b), mean=np.zeros(k), cov=c, abseps=1e-10,
                                   releps=1e-8, maxpts=2000000)

def boundaries(kind, alpha, t):
    b = []
    prev = 0.0
    for k in range(len(t)):
        target = spent(kind, alpha, t[k]) - prev
        if k == 0:
            bk = norm.isf(target)
        else:
            cont = below(b, t[:k])
            bk = brentq(lambda x: cont - below(b + [x], t[:k + 1]) - target, 0.5, 8, xtol=1e-7)
        b.append(bk)
        prev += target
    return b

np.random.seed(1)
print("spending\talpha\tfractions\tlook\tboundary")
cases = [("obrien-fleming", 0.025, [0.2, 0.4, 0.6, 0.8, 1.0]),
         ("pocock", 0.025, [0.2, 0.4, 0.6, 0.8, 1.0]),
         ("obrien-fleming", 0.025, [0.25, 0.5, 0.75, 1.0]),
         ("pocock", 0.025, [0.25, 0.5, 0.75, 1.0]),
         ("obrien-fleming", 0.05, [0.3, 0.55, 1.0]),
         ("pocock", 0.05, [0.3, 0.55, 1.0]),
         ("obrien-fleming", 0.025, [0.1, 0.35, 0.5, 0.9, 1.0]),
         ("pocock", 0.005, [0.15, 0.5, 0.7])]
for kind, alpha, t in cases:
    for k, b in enumerate(boundaries(kind, alpha, t)):
        print(f"{kind}\t{alpha}\t{','.join(str(x) for x in t)}\t{k + 1}\t{b:.6f}")
