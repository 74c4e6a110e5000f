/* poststrat.c — post-stratified estimates of a treatment effect (Miratrix, Sekhon and Yu
 * 2013; GrowthBook's gbstats post-stratification, read for its definitions): within each
 * stratum of a pre-exposure column the control mean and the effect are estimated, with or
 * without a regression on a covariate (CUPED), and the strata are combined with weights
 * equal to their share of the units, the weights' own multinomial variance included.
 * Strata whose arms cannot give a variance are folded into the largest stratum first. */
#include "dcx/stats.h"

#include <math.h>
#include <stddef.h>

/* The per-unit variance of an arm's outcome: p(1 − p) for a proportion, else the sample
 * variance (n − 1); 0 when it cannot be had (n < 2, or no units). */
static double arm_var(const dcx_moments_t *m, int prop)
{
    if (m->n < 1)
        return 0;
    if (prop) {
        double p = dcx_moments_mean_x(m);
        return p * (1 - p);
    }
    return m->n > 1 ? dcx_moments_var_x(m) : 0;
}

/* A stratum can be estimated on its own when both arms have a variance. */
static int viable(const dcx_stratum_t *s, int prop)
{
    return arm_var(&s->c, prop) > 0 && arm_var(&s->t, prop) > 0;
}

/* The stratum's (control mean, effect) a[2] and their covariance v[3] (v00, v01, v11).
 * Unadjusted: the arms' means, V(m0) = s_c²/n_c, V(m1) = s_c²/n_c + s_t²/n_t, cov −s_c²/n_c.
 * CUPED: the regression y = γ0 + γ1·T + θ·(x − x̄) + e within the stratum (x̄ the pooled
 * covariate mean; one slope for both arms), σ² = RSS/(n − 3): m0 = γ0, m1 = γ1, with the
 * coefficients' covariance σ²(X'X)⁻¹ and, for m0, the variance of x̄ (s_x²/n times
 * Var(θ) + θ²). Without a covariate variance in both arms the stratum is unadjusted.
 * @return 1 when the regression adjusted it. */
static int stratum(const dcx_stratum_t *s, int prop, int cuped, double a[2], double v[3])
{
    const dcx_moments_t *c = &s->c, *t = &s->t;
    double nc = c->n, nt = t->n, n = nc + nt;
    double yc = dcx_moments_mean_x(c), yt = dcx_moments_mean_x(t);
    if (cuped && nc > 1 && nt > 1 && dcx_moments_var_y(c) > 0 && dcx_moments_var_y(t) > 0) {
        double sxx = (nc - 1) * dcx_moments_var_y(c) + (nt - 1) * dcx_moments_var_y(t);
        double sxy = (nc - 1) * dcx_moments_cov_xy(c) + (nt - 1) * dcx_moments_cov_xy(t);
        double syy = (nc - 1) * dcx_moments_var_x(c) + (nt - 1) * dcx_moments_var_x(t);
        double theta = sxy / sxx, sigma = (syy - theta * sxy) / (n - 3);
        if (!(sigma > 0))
            sigma = 0;
        double xc = dcx_moments_mean_y(c), xt = dcx_moments_mean_y(t);
        dcx_moments_t pooled = *c;
        dcx_moments_merge(&pooled, t);
        double xbar = dcx_moments_mean_y(&pooled), bv = dcx_moments_var_y(&pooled);
        double da = xc - xbar, dd = xt - xc;
        a[0] = yc - theta * da;
        a[1] = yt - yc - theta * dd;
        v[0] = sigma * (1 / nc + da * da / sxx) + (sigma / sxx + theta * theta) * bv / n;
        v[1] = sigma * (-1 / nc + da * dd / sxx);
        v[2] = sigma * (1 / nc + 1 / nt + dd * dd / sxx);
        return 1;
    }
    double vc = arm_var(c, prop && !cuped) / nc, vt = arm_var(t, prop && !cuped) / nt;
    a[0] = yc;
    a[1] = yt - yc;
    v[0] = vc;
    v[1] = -vc;
    v[2] = vc + vt;
    return 0;
}

dcx_status_t dcx_poststrat(dcx_stratum_t *s, size_t k, unsigned flags, dcx_poststrat_t *out,
                           dcx_error_t *err)
{
    int prop = (flags & DCX_PS_PROPORTION) != 0, cuped = (flags & DCX_PS_CUPED) != 0;
    out->control = out->effect = out->v_control = out->cov = out->v_effect = NAN;
    out->strata = out->merged = 0;
    out->adjusted = 0;
    if (k == 0)
        return dcx_error_set(err, DCX_EINVAL, "post-stratification: no strata");
    /* the largest stratum (the first of the largest), into which the others that cannot
     * be estimated on their own are folded */
    size_t big = 0;
    for (size_t i = 1; i < k; i++)
        if (s[i].c.n + s[i].t.n > s[big].c.n + s[big].t.n)
            big = i;
    size_t m = 0;
    dcx_stratum_t largest = s[big];
    for (size_t i = 0; i < k; i++) {
        if (i == big)
            continue;
        if (s[i].c.n + s[i].t.n == 0)
            continue;
        if (viable(&s[i], prop)) {
            s[m++] = s[i];
        } else {
            dcx_moments_merge(&largest.c, &s[i].c);
            dcx_moments_merge(&largest.t, &s[i].t);
            out->merged++;
        }
    }
    s[m++] = largest;
    out->strata = m;
    /* CUPED only where the covariate varies in both arms over all strata together */
    if (cuped) {
        dcx_moments_t ac = {0}, at = {0};
        for (size_t i = 0; i < m; i++) {
            dcx_moments_merge(&ac, &s[i].c);
            dcx_moments_merge(&at, &s[i].t);
        }
        if (!(ac.n > 1 && at.n > 1 && dcx_moments_var_y(&ac) > 0 && dcx_moments_var_y(&at) > 0))
            cuped = 0;
    }
    if (!viable(&s[m - 1], cuped ? 0 : prop))
        return dcx_error_set(err, DCX_EDOM, "an arm of the largest stratum has no variance");
    double ntot = 0;
    for (size_t i = 0; i < m; i++)
        ntot += s[i].c.n + s[i].t.n;
    /* m = Σ ν_k α_k; C = Σ ν_k² V_k + (1/N) Σ ν_k (α_k − m)(α_k − m)ᵀ, ν_k = n_k / N */
    double mean[2] = {0, 0}, c00 = 0, c01 = 0, c11 = 0;
    for (size_t i = 0; i < m; i++) {
        double a[2], v[3], nu = (s[i].c.n + s[i].t.n) / ntot;
        out->adjusted |= stratum(&s[i], prop, cuped, a, v);
        mean[0] += nu * a[0];
        mean[1] += nu * a[1];
        c00 += nu * nu * v[0];
        c01 += nu * nu * v[1];
        c11 += nu * nu * v[2];
    }
    for (size_t i = 0; i < m; i++) {
        double a[2], v[3], nu = (s[i].c.n + s[i].t.n) / ntot;
        stratum(&s[i], prop, cuped, a, v);
        double d0 = a[0] - mean[0], d1 = a[1] - mean[1];
        c00 += nu * d0 * d0 / ntot;
        c01 += nu * d0 * d1 / ntot;
        c11 += nu * d1 * d1 / ntot;
    }
    if (!isfinite(mean[0]) || !isfinite(mean[1]) || !(c11 > 0) || !isfinite(c11))
        return dcx_error_set(err, DCX_EDOM, "the stratified variance is not positive");
    out->control = mean[0], out->effect = mean[1];
    out->v_control = c00, out->cov = c01, out->v_effect = c11;
    return DCX_OK;
}
