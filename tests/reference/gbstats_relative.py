#!/usr/bin/python3
"""gbstats' relative-scale inference, re-implemented from its definitions (GrowthBook,
packages/stats/gbstats: frequentist TwoSidedTTest and EffectBayesianABTest with
difference_type="relative", GaussianPrior(mean, variance, proper=True)) with scipy, for mean
metrics given as per-arm sufficient statistics (n, mean, unbiased variance).

  lift      (m_b - m_a) / m_a, Var = v_b/(n_b m_a^2) + m_b^2 v_a/(n_a m_a^4)   (delta method)
  t test    t = lift/se, Welch dof = (v_a/n_a + v_b/n_b)^2 / ((v_a/n_a)^2/(n_a-1) + (v_b/n_b)^2/(n_b-1)),
            p = 2 P(T_dof > |t|), interval lift -/+ t_{dof, 1-alpha/2} se
  Bayesian  posterior precision 1/Var + 1/s0^2, mean (lift/Var + m0/s0^2)/precision (no prior:
            N(lift, Var)); chance to win P(D > 0); risk -P(D < 0) E[D | D < 0] (truncated
            normal mean); credible interval: the normal quantiles at alpha/2, 1 - alpha/2.

Writes one row per case: the inputs, then stat, p, ci_lo, ci_hi, ctw, risk, cr_lo, cr_hi.
Run: /usr/bin/python3 tests/reference/gbstats_relative.py > tests/reference/gbstats_relative.tsv"""
import math
from scipy.stats import t as tdist, norm, truncnorm

ALPHA = 0.05
cases = [
    # n_a, mean_a, var_a, n_b, mean_b, var_b, prior mean, prior sd (nan: no prior)
    (1000, 5.0, 35.0, 1100, 5.2727272727, 37.0, float("nan"), float("nan")),
    (1000, 5.0, 35.0, 1100, 5.2727272727, 37.0, 0.0, 0.05),
    (1000, 5.0, 35.0, 1100, 5.2727272727, 37.0, 0.1, 0.3),
    (250, 12.5, 400.0, 240, 11.0, 380.0, float("nan"), float("nan")),
    (250, 12.5, 400.0, 240, 11.0, 380.0, -0.05, 0.02),
    (50000, 0.8, 2.5, 50200, 0.83, 2.7, float("nan"), float("nan")),
    (50000, 0.8, 2.5, 50200, 0.83, 2.7, 0.0, 0.01),
    (30, 100.0, 900.0, 35, 140.0, 1600.0, 0.0, 0.2),
]
print("n_a\tmean_a\tvar_a\tn_b\tmean_b\tvar_b\tprior_mean\tprior_sd\tstat\tp\tci_lo\tci_hi\tctw\trisk\tcr_lo\tcr_hi")
for na, ma, va, nb, mb, vb, pm, ps in cases:
    lift = (mb - ma) / ma
    var = vb / (nb * ma ** 2) + mb ** 2 * va / (na * ma ** 4)
    se = math.sqrt(var)
    a, b = va / na, vb / nb
    dof = (a + b) ** 2 / (a ** 2 / (na - 1) + b ** 2 / (nb - 1))
    stat = lift / se
    p = 2 * tdist.sf(abs(stat), dof)
    q = tdist.ppf(1 - ALPHA / 2, dof)
    if math.isnan(pm):
        mu, sd = lift, se
    else:
        prec = 1 / var + 1 / ps ** 2
        mu, sd = (lift / var + pm / ps ** 2) / prec, math.sqrt(1 / prec)
    ctw = norm.sf(0, mu, sd)
    below = norm.cdf(0, mu, sd)
    risk = -below * truncnorm.mean(-math.inf, (0 - mu) / sd, loc=mu, scale=sd)
    lo, hi = norm.ppf([ALPHA / 2, 1 - ALPHA / 2], mu, sd)
    vals = [na, ma, va, nb, mb, vb, pm, ps, stat, p, lift - q * se, lift + q * se, ctw, risk, lo, hi]
    print("\t".join("nan" if isinstance(v, float) and math.isnan(v) else repr(float(v)) for v in vals))
