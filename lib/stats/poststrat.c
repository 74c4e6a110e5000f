/* poststrat.c — post-stratified estimates of a treatment effect (Miratrix, Sekhon and Yu
 * 2013; GrowthBook's gbstats post-stratification, read for its definitions): within each
 * stratum of a pre-exposure column the control's means and the effects on them are
 * estimated (for a mean or rate, with or without a regression on a covariate; for a ratio,
 * of its numerator and denominator), and the strata are combined with weights equal to
 * their share of the units, the weights' own multinomial variance included. Strata whose
 * arms cannot give a variance are folded into the largest stratum first. */
#include "dcx/stats.h"

#include <math.h>
#include <stddef.h>

/* The per-unit variance of an arm's outcome: p(1 − p) for a proportion, else the sample
 * variance (n − 1); for a ratio, n times the delta method's variance of the arm's ratio.
 * 0 when it cannot be had (n < 2, no units, a denominator mean of 0). */
static double arm_var(const dcx_moments_t *m, unsigned flags)
{
    if (m->n < 1)
        return 0;
    if (flags & DCX_PS_RATIO) {
        double r, v;
        dcx_error_t e;
        if (dcx_ratio_delta(m->n, dcx_moments_mean_x(m), dcx_moments_mean_y(m), dcx_moments_var_x(m),
                            dcx_moments_var_y(m), dcx_moments_cov_xy(m), &r, &v, &e))
            return 0;
        return v > 0 ? v * m->n : 0;
    }
    if (flags & DCX_PS_PROPORTION) {
        double p = dcx_moments_mean_x(m);
        return p * (1 - p);
    }
    return m->n > 1 ? dcx_moments_var_x(m) : 0;
}

/* A stratum can be estimated on its own when both arms have a variance. */
static int viable(const dcx_stratum_t *s, unsigned flags)
{
    return arm_var(&s->c, flags) > 0 && arm_var(&s->t, flags) > 0;
}

/* The stratum's (control mean, effect) a[0..1] and their covariance v (row-major 2 × 2).
 * Unadjusted: the arms' means, V(m0) = s_c²/n_c, V(m1) = s_c²/n_c + s_t²/n_t, cov −s_c²/n_c.
 * CUPED: the regression y = γ0 + γ1·T + θ·(x − x̄) + e within the stratum (x̄ the pooled
 * covariate mean; one slope for both arms), σ² = RSS/(n − 3): m0 = γ0, m1 = γ1, with the
 * coefficients' covariance σ²(X'X)⁻¹ and, for m0, the variance of x̄ (s_x²/n times
 * Var(θ) + θ²). Without a covariate variance in both arms the stratum is unadjusted.
 * @return 1 when the regression adjusted it. */
static int stratum_mean(const dcx_stratum_t *s, unsigned flags, int cuped, double a[4], double v[16])
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
        v[1] = v[2] = sigma * (-1 / nc + da * dd / sxx);
        v[3] = sigma * (1 / nc + 1 / nt + dd * dd / sxx);
        return 1;
    }
    unsigned f = cuped ? 0 : flags; /* a covariate's metric: n − 1 variances */
    double vc = arm_var(c, f) / nc, vt = arm_var(t, f) / nt;
    a[0] = yc;
    a[1] = yt - yc;
    v[0] = vc;
    v[1] = v[2] = -vc;
    v[3] = vc + vt;
    return 0;
}

/* A ratio's stratum: α = (numerator mean of control M0, its effect M1, denominator mean of
 * control D0, its effect D1) = T·u, u = (m̄_t, d̄_t, m̄_c, d̄_c) with covariance
 * diag(Λ_t/n_t, Λ_c/n_c), Λ the arm's 2 × 2 (n − 1) covariance of numerator and denominator;
 * v = T U Tᵀ (row-major 4 × 4). */
static void stratum_ratio(const dcx_stratum_t *s, double a[4], double v[16])
{
    static const double T[4][4] = {{0, 0, 1, 0}, {1, 0, -1, 0}, {0, 0, 0, 1}, {0, 1, 0, -1}};
    const dcx_moments_t *c = &s->c, *t = &s->t;
    double u[4] = {dcx_moments_mean_x(t), dcx_moments_mean_y(t), dcx_moments_mean_x(c),
                   dcx_moments_mean_y(c)};
    double U[4][4] = {{0}};
    U[0][0] = dcx_moments_var_x(t) / t->n, U[1][1] = dcx_moments_var_y(t) / t->n;
    U[0][1] = U[1][0] = dcx_moments_cov_xy(t) / t->n;
    U[2][2] = dcx_moments_var_x(c) / c->n, U[3][3] = dcx_moments_var_y(c) / c->n;
    U[2][3] = U[3][2] = dcx_moments_cov_xy(c) / c->n;
    for (int i = 0; i < 4; i++) {
        a[i] = 0;
        for (int k = 0; k < 4; k++)
            a[i] += T[i][k] * u[k];
        for (int j = 0; j < 4; j++) {
            double x = 0;
            for (int k = 0; k < 4; k++)
                for (int l = 0; l < 4; l++)
                    x += T[i][k] * U[k][l] * T[j][l];
            v[i * 4 + j] = x;
        }
    }
}

/* q'Cq for a p-vector q and a row-major p × p C; and q'Cr. */
static double quad(const double *q, const double *C, const double *r, int p)
{
    double s = 0;
    for (int i = 0; i < p; i++)
        for (int j = 0; j < p; j++)
            s += q[i] * C[i * p + j] * r[j];
    return s;
}

dcx_status_t dcx_poststrat(dcx_stratum_t *s, size_t k, unsigned flags, dcx_poststrat_t *out,
                           dcx_error_t *err)
{
    int cuped = (flags & DCX_PS_CUPED) != 0, ratio = (flags & DCX_PS_RATIO) != 0;
    out->control = out->effect = out->v_control = out->cov = out->v_effect = NAN;
    out->strata = out->merged = 0;
    out->adjusted = 0;
    if (k == 0)
        return dcx_error_set(err, DCX_EINVAL, "post-stratification: no strata");
    if (ratio && (cuped || (flags & DCX_PS_PROPORTION)))
        return dcx_error_set(err, DCX_EINVAL,
                             "post-stratification of a ratio takes neither a covariate nor proportions");
    unsigned vf = cuped ? 0 : flags; /* how viability reads an arm's variance */
    /* the largest stratum (the first of the largest), into which the others that cannot
     * be estimated on their own are folded */
    size_t big = 0;
    for (size_t i = 1; i < k; i++)
        if (s[i].c.n + s[i].t.n > s[big].c.n + s[big].t.n)
            big = i;
    size_t m = 0;
    dcx_stratum_t largest = s[big];
    for (size_t i = 0; i < k; i++) {
        if (i == big || s[i].c.n + s[i].t.n == 0)
            continue;
        if (viable(&s[i], vf)) {
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
            cuped = 0, vf = flags & ~DCX_PS_CUPED;
    }
    if (!viable(&s[m - 1], vf))
        return dcx_error_set(err, DCX_EDOM, "an arm of the largest stratum has no variance");
    int p = ratio ? 4 : 2;
    double ntot = 0;
    for (size_t i = 0; i < m; i++)
        ntot += s[i].c.n + s[i].t.n;
    /* α = Σ ν_k α_k; C = Σ ν_k² V_k + (1/N) Σ ν_k (α_k − α)(α_k − α)ᵀ, ν_k = n_k / N */
    double mean[4] = {0}, C[16] = {0};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < m; i++) {
            double a[4], v[16], nu = (s[i].c.n + s[i].t.n) / ntot;
            if (ratio)
                stratum_ratio(&s[i], a, v);
            else
                out->adjusted |= stratum_mean(&s[i], flags, cuped, a, v);
            for (int r = 0; r < p; r++) {
                if (pass == 0) {
                    mean[r] += nu * a[r];
                    for (int c = 0; c < p; c++)
                        C[r * p + c] += nu * nu * v[r * p + c];
                } else {
                    for (int c = 0; c < p; c++)
                        C[r * p + c] += nu * (a[r] - mean[r]) * (a[c] - mean[c]) / ntot;
                }
            }
        }
    if (ratio) {
        /* the arms' ratios r_c = M0/D0, r_t = (M0 + M1)/(D0 + D1) by the delta method; the
         * result is about (r_c, r_t − r_c) */
        double M0 = mean[0], M1 = mean[1], D0 = mean[2], D1 = mean[3];
        if (D0 == 0 || D0 + D1 == 0)
            return dcx_error_set(err, DCX_EDOM, "a denominator's stratified mean is 0");
        double rc = M0 / D0, rt = (M0 + M1) / (D0 + D1);
        double gc[4] = {1 / D0, 0, -rc / D0, 0};
        double gt[4] = {1 / (D0 + D1), 1 / (D0 + D1), -rt / (D0 + D1), -rt / (D0 + D1)};
        double vc = quad(gc, C, gc, 4), vt = quad(gt, C, gt, 4), ct = quad(gc, C, gt, 4);
        mean[0] = rc, mean[1] = rt - rc;
        C[0] = vc, C[1] = ct - vc, C[3] = vt - 2 * ct + vc; /* now a 2 × 2 */
    }
    double c11 = C[3];
    if (!isfinite(mean[0]) || !isfinite(mean[1]) || !(c11 > 0) || !isfinite(c11))
        return dcx_error_set(err, DCX_EDOM, "the stratified variance is not positive");
    out->control = mean[0], out->effect = mean[1];
    out->v_control = C[0], out->cov = C[1], out->v_effect = c11;
    return DCX_OK;
}
