#!/usr/bin/python3
"""gbstats' post-stratification, re-implemented from its definitions (GrowthBook,
packages/stats/gbstats/models/tests.py: CreateStrataResult, CreateStrataResultRegressionAdjusted,
PostStratificationSummary, EffectMomentsPostStratification.combine_cells_for_analysis) with
numpy, in the matrix form gbstats states it, for mean and binary metrics with and without a
covariate (CUPED). The unit-level data are drawn here (fixed seeds) and written to
tests/reference/gbstats_poststrat.csv, one case per value of its `case` column.

Per stratum k (control a, treatment b, n = n_a + n_b):
  unadjusted  coefficients (m_b, m_a) with covariance diag(l_b n/n_b, l_a n/n_a) (l: p(1-p) for
              a binary metric, else the n-1 variance); contrast [[0,1],[1,-1]] gives
              alpha_k = (control mean, effect) and n times its covariance.
  CUPED       y = g0 + g1 T + g2 x + e by least squares on the raw X'X (columns 1, T, x),
              sigma = (y'y - (X'y)'(X'X)^-1 X'y)/(n - 3), coefficient covariance sigma (X'X)^-1;
              contrast rows (1, 0, xbar_k) and (0, 1, 0); the control mean's variance adds
              s_x^2/n (Var(g2) + g2^2) (the variance of xbar_k); times n. A stratum whose
              covariate has no variance in an arm is unadjusted (n-1 variances); with no
              covariate variance in an arm over all strata no stratum is.
Ratio (CreateStrataResultRatio, PostStratificationSummaryRatio): coefficients (numerator and
  denominator means of treatment, then of control) with covariance diag(L_b n/n_b, L_a n/n_a),
  L the arm's n-1 covariance matrix of numerator and denominator; contrast rows give
  alpha_k = (M0, M1, D0, D1), control's numerator mean, its effect, control's denominator mean,
  its effect; combined as below, the absolute effect (M0+M1)/(D0+D1) - M0/D0 and the relative
  one D0(M0+M1)/(M0(D0+D1)) - 1, each with gbstats' gradient. A ratio stratum is folded when an
  arm's delta-method variance of the ratio is not positive.
Strata: sorted by units (stable); a later stratum with an arm without variance (l <= 0) is
added to the first. nu_k = n_k/N, mean = sum nu_k alpha_k, covariance
A (diag(nu) - nu nu')/N A' + sum nu_k (n_k Cov alpha_k)/N. Absolute effect mean[1] with
variance cov[1,1]; relative mean[1]/|mean[0]| by the delta method (gradient
(-mean[1]/mean[0]^2, 1/mean[0])). One difference from gbstats: a binary stratum that absorbed
others keeps p(1-p) (gbstats' sum of two proportions becomes a sample mean with the n-1
variance).

Fieller's interval of the lift takes the arms' estimates m_c, m_t with their covariance (they
are correlated through the shared weights): the roots of (m_t - R m_c)^2 = z^2 (V_t - 2 R C +
R^2 V_c), found by numpy's polynomial roots.

Writes one row per case and scope (the whole case, or one level of its segment column `seg`):
the case, metric, flags, scope, then strata, diff, se, p, lift, lift_se, p_rel, fieller_lo,
fieller_hi.
Run: /usr/bin/python3 tests/reference/gbstats_poststrat.py > tests/reference/gbstats_poststrat.tsv"""
import math
import os
import random

import numpy as np
from scipy.stats import norm

HERE = os.path.dirname(os.path.abspath(__file__))


def draw():
    """The unit rows of every case: case, variant, stratum, seg, y (mean outcome), x
    (covariate), conv (0/1 outcome), den (a ratio's denominator, sessions: drawn from an
    RNG of its own after the other columns)."""
    rows = []
    # 1: four strata with very different means, a segment column
    rng = random.Random(11)
    for _ in range(600):
        v = rng.choice(("control", "treatment"))
        s = rng.choices("ABCD", (5, 3, 2, 1))[0]
        base = {"A": 10, "B": 6, "C": 3, "D": 1}[s]
        x = base + rng.gauss(0, 2)
        y = base + 0.6 * (x - base) + rng.gauss(0, 2) + (0.4 if v == "treatment" else 0)
        c = int(rng.random() < 0.05 + 0.02 * base + (0.03 if v == "treatment" else 0))
        rows.append((1, v, s, rng.choice(("web", "app")), y, x, c))
    # 2: strata that cannot be estimated alone: one with a single treatment unit, one with
    # control units only, and one whose binary outcome is all 0 in an arm
    rng = random.Random(12)
    for _ in range(400):
        v = rng.choice(("control", "treatment"))
        s = rng.choices("PQR", (6, 3, 1))[0]
        base = {"P": 5, "Q": 2, "R": 8}[s]
        x = base + rng.gauss(0, 1)
        y = base + 0.8 * (x - base) + rng.gauss(0, 1.5) + (0.3 if v == "treatment" else 0)
        c = int(rng.random() < 0.1 + 0.05 * base)
        rows.append((2, v, s, "all", y, x, c))
    rows.append((2, "treatment", "S", "all", 3.5, 3.1, 1))
    for y in (4.0, 4.5, 5.5):
        rows.append((2, "control", "T", "all", y, y - 0.2, 1))
    for v, y, x, c in (("control", 6.0, 5.1, 0), ("control", 7.5, 7.0, 0), ("control", 6.5, 6.6, 0),
                       ("treatment", 7.0, 6.1, 1), ("treatment", 6.2, 5.9, 0), ("treatment", 6.9, 7.2, 1)):
        rows.append((2, v, "U", "all", y, x, c))
    # 3: a stratum whose covariate is constant (new users, no history: 0), and skewed outcomes
    rng = random.Random(13)
    for _ in range(500):
        v = rng.choice(("control", "treatment"))
        s = rng.choices(("new", "old", "vip"), (3, 6, 1))[0]
        if s == "new":
            x = 0.0
            y = rng.expovariate(1 / 2.0)
        else:
            x = rng.expovariate(1 / (4.0 if s == "old" else 20.0))
            y = 0.7 * x + rng.expovariate(1 / 3.0)
        y *= 1.1 if v == "treatment" else 1.0
        c = int(y > 4)
        rows.append((3, v, s, "all", y, x, c))
    out, dens = [], {1: random.Random(101), 2: random.Random(102), 3: random.Random(103)}
    for r in rows:
        k = {"A": 5, "B": 3, "C": 2, "D": 1, "P": 4, "Q": 2, "R": 6, "new": 1, "old": 3, "vip": 8}.get(r[2], 3)
        out.append(r + (1 + int(dens[r[0]].random() * k),))
    return out


def fmt(v):
    return repr(round(v, 4)) if isinstance(v, float) else str(v)


def arm_var(ys, prop):
    n = len(ys)
    if n == 0:
        return 0.0
    m = sum(ys) / n
    if prop:
        return m * (1 - m)
    return sum((y - m) ** 2 for y in ys) / (n - 1) if n > 1 else 0.0


def cell_unadjusted(a, b, prop):
    """alpha (control mean, effect) and n x its covariance: the 'Algorithm 1' of a stratum."""
    na, nb = len(a["y"]), len(b["y"])
    n = na + nb
    la, lb = arm_var(a["y"], prop), arm_var(b["y"], prop)
    coefs = np.array([np.mean(b["y"]), np.mean(a["y"])])
    v = np.diag([lb * n / nb, la * n / na])
    c = np.array([[0, 1], [1, -1]])
    return c.dot(coefs), c.dot(v).dot(c.T), n


def cell_cuped(a, b):
    na, nb = len(a["y"]), len(b["y"])
    n = na + nb
    xs, ys = a["x"] + b["x"], a["y"] + b["y"]
    t = [0] * na + [1] * nb
    X = np.column_stack([np.ones(n), t, xs])
    xtx = X.T.dot(X)
    xty = X.T.dot(np.array(ys))
    inv = np.linalg.inv(xtx)
    g = inv.dot(xty)
    sigma = (np.dot(ys, ys) - xty.dot(inv).dot(xty)) / (n - 3)
    cov = sigma * inv
    xbar = np.mean(xs)
    bv = np.var(xs, ddof=1)
    m = np.array([[1, 0, xbar], [0, 1, 0]])
    mean = m.dot(g)
    va = np.zeros((2, 2))
    for i in range(2):
        for j in range(i + 1):
            s_ij = np.zeros((3, 3))
            if i == 0 and j == 0:
                s_ij[2, 2] = bv / n
            second = s_ij + np.outer(m[i], m[j])
            va[i, j] = va[j, i] = np.trace(cov.dot(second)) + np.trace(np.outer(g, g).dot(s_ij))
    return mean, n * va, n


def ratio_var(arm):
    """gbstats RatioStatistic.variance: the delta method's per-unit variance of the ratio."""
    n = len(arm["y"])
    if n <= 1 or np.mean(arm["d"]) == 0:
        return 0.0
    mm, md = np.mean(arm["y"]), np.mean(arm["d"])
    vm, vd = np.var(arm["y"], ddof=1), np.var(arm["d"], ddof=1)
    cv = np.cov(arm["y"], arm["d"], ddof=1)[0, 1]
    return vm / md ** 2 + vd * mm ** 2 / md ** 4 - 2 * cv * mm / md ** 3


def cell_ratio(a, b):
    na, nb = len(a["y"]), len(b["y"])
    n = na + nb
    lam_a, lam_b = np.cov(a["y"], a["d"], ddof=1), np.cov(b["y"], b["d"], ddof=1)
    coefs = np.array([np.mean(b["y"]), np.mean(b["d"]), np.mean(a["y"]), np.mean(a["d"])])
    v = np.zeros((4, 4))
    v[0:2, 0:2] = lam_b * n / nb
    v[2:4, 2:4] = lam_a * n / na
    c = np.array([[0, 0, 1, 0], [1, 0, -1, 0], [0, 0, 0, 1], [0, 1, 0, -1]])
    return c.dot(coefs), c.dot(v).dot(c.T), n


def post_stratify_ratio(cells):
    """PostStratificationSummaryRatio: absolute and relative effects with gbstats' gradients."""
    cells = sorted(cells, key=lambda c: -(len(c[0]["y"]) + len(c[1]["y"])))
    keep = [cells[0]]
    for c in cells[1:]:
        if ratio_var(c[0]) > 0 and ratio_var(c[1]) > 0:
            keep.append(c)
        else:
            keep[0] = tuple({key: keep[0][k][key] + c[k][key] for key in ("y", "x", "d")} for k in (0, 1))
    res = [cell_ratio(a, b) for a, b in keep]
    ns = np.array([r[2] for r in res], dtype=float)
    ntot = ns.sum()
    nu = ns / ntot
    A = np.column_stack([r[0] for r in res])
    mean = A.dot(nu)
    cov = A.dot(np.diag(nu) - np.outer(nu, nu)).dot(A.T) / ntot
    for k in range(len(res)):
        cov = cov + nu[k] * res[k][1] / ntot
    m0, m1, d0, d1 = mean
    diff = (m0 + m1) / (d0 + d1) - m0 / d0
    g = np.zeros(4)
    g[1] = 1 / (d0 + d1)
    g[0] = g[1] - 1 / d0
    g[3] = -(m0 + m1) / (d0 + d1) ** 2
    g[2] = g[3] + m0 / d0 ** 2
    num, den = d0 * (m0 + m1), m0 * (d0 + d1)
    lift = (num / den - 1) * np.sign(m0 / d0)
    h = np.array([(d0 * den - (d0 + d1) * num) / den ** 2, d0 / den,
                  ((m0 + m1) * den - m0 * num) / den ** 2, -num / (m0 * (d0 + d1) ** 2)])
    gc = np.array([1 / d0, 0, -m0 / d0 ** 2, 0])
    rt = (m0 + m1) / (d0 + d1)
    gt = np.array([1, 1, -rt, -rt]) / (d0 + d1)
    arms = (m0 / d0, rt, gc.dot(cov).dot(gc), gt.dot(cov).dot(gt), gc.dot(cov).dot(gt))
    return len(keep), diff, math.sqrt(g.dot(cov).dot(g)), lift, math.sqrt(h.dot(cov).dot(h)), arms


def fieller(mc, mt, vc, vt, cct, z=1.959963984540054):
    """Fieller's interval of the lift m_t/m_c - 1: the roots of
    (m_t - R m_c)^2 = z^2 (V_t - 2 R C + R^2 V_c) (numpy's polynomial roots); None unbounded."""
    a = mc * mc - z * z * vc
    if a <= 0:
        return float("nan"), float("nan")
    r = np.sort(np.roots([a, -2 * (mt * mc - z * z * cct), mt * mt - z * z * vt]).real)
    return r[0] - 1, r[1] - 1


def post_stratify(cells, prop, cuped):
    """cells: list of (control, treatment) dicts of lists y, x, in first-seen order."""
    def viable(c):
        return arm_var(c[0]["y"], prop and not cuped) > 0 and arm_var(c[1]["y"], prop and not cuped) > 0
    cells = sorted(cells, key=lambda c: -(len(c[0]["y"]) + len(c[1]["y"])))
    keep = [cells[0]]
    for c in cells[1:]:
        if viable(c):
            keep.append(c)
        else:
            keep[0] = tuple({key: keep[0][k][key] + c[k][key] for key in ("y", "x", "d")} for k in (0, 1))
    adjustable = cuped
    if cuped:  # no covariate variance in an arm over all strata: no stratum is adjusted
        ax = [x for c in keep for x in c[0]["x"]]
        bx = [x for c in keep for x in c[1]["x"]]
        adjustable = np.var(ax, ddof=1) > 0 and np.var(bx, ddof=1) > 0
    alphas, covs, ns = [], [], []
    for a, b in keep:
        adjust = adjustable and np.var(a["x"], ddof=1) > 0 and np.var(b["x"], ddof=1) > 0
        mean, cov, n = cell_cuped(a, b) if adjust else cell_unadjusted(a, b, prop and not cuped)
        alphas.append(mean), covs.append(cov), ns.append(n)
    ns = np.array(ns, dtype=float)
    ntot = ns.sum()
    nu = ns / ntot
    A = np.column_stack(alphas)
    mean = A.dot(nu)
    cov = A.dot(np.diag(nu) - np.outer(nu, nu)).dot(A.T) / ntot
    for k in range(len(keep)):
        cov = cov + nu[k] * covs[k] / ntot
    diff, se = mean[1], math.sqrt(cov[1, 1])
    grad = np.array([-mean[1] / mean[0] ** 2, 1 / mean[0]])
    lift, lift_se = mean[1] / abs(mean[0]), math.sqrt(grad.dot(cov).dot(grad))
    J = np.array([[1, 0], [1, 1]])  # (m_c, m_t) from (control mean, effect)
    arm_cov = J.dot(cov).dot(J.T)
    arms = (mean[0], mean[0] + mean[1], arm_cov[0, 0], arm_cov[1, 1], arm_cov[0, 1])
    return len(keep), diff, se, lift, lift_se, arms


def main():
    rows = draw()
    with open(os.path.join(HERE, "gbstats_poststrat.csv"), "w") as f:
        f.write("case,variant,stratum,seg,y,x,conv,den\n")
        for r in rows:
            f.write(",".join(fmt(v) for v in r) + "\n")
    # read back what was written: the reference works on the rounded values dcx reads
    data = []
    with open(os.path.join(HERE, "gbstats_poststrat.csv")) as f:
        next(f)
        for line in f:
            c, v, s, g, y, x, cv, dn = line.rstrip("\n").split(",")
            data.append((int(c), v, s, g, float(y), float(x), float(cv), float(dn)))
    print("case\tmetric\tcuped\tscope\tstrata\tdiff\tse\tp\tlift\tlift_se\tp_rel\tfieller_lo\tfieller_hi")
    for case in (1, 2, 3):
        scopes = [("all", None)] + ([("seg=web", "web"), ("seg=app", "app")] if case == 1 else [])
        for metric, col in (("y", 4), ("conv", 6), ("r", 4)):
            for cuped in ((0,) if metric == "r" else (0, 1)):
                for scope, seg in scopes:
                    order, cells = [], {}
                    for r in data:
                        if r[0] != case or (seg and r[3] != seg):
                            continue
                        if r[2] not in cells:
                            order.append(r[2])
                            cells[r[2]] = ({"y": [], "x": [], "d": []}, {"y": [], "x": [], "d": []})
                        arm = cells[r[2]][r[1] == "treatment"]
                        arm["y"].append(r[col])
                        arm["x"].append(r[5])
                        arm["d"].append(r[7])
                    if metric == "r":
                        k, diff, se, lift, lift_se, arms = post_stratify_ratio([cells[s] for s in order])
                    else:
                        k, diff, se, lift, lift_se, arms = post_stratify([cells[s] for s in order], metric == "conv", cuped)
                    flo, fhi = fieller(*arms)
                    p = 2 * norm.sf(abs(diff / se))
                    p_rel = 2 * norm.sf(abs(lift / lift_se))
                    print("\t".join([str(case), metric, str(cuped), scope, str(k)]
                                    + [repr(float(v)) for v in (diff, se, p, lift, lift_se, p_rel, flo, fhi)]))


main()
