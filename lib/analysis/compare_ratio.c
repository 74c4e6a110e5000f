/* compare_ratio.c — the metrics whose arms are functions of several means, compared with
 * the z test: ratio metrics (Σ numerator / Σ denominator per arm, with the delta method's
 * variance), ratio metrics with CUPED (adjusted by the ratio of a covariate pair, as
 * gbstats' RegressionAdjustedRatioStatistic), and NPS (percent promoters minus percent
 * detractors, on a scale of ±100, with the variance of a −1/0/+1 score; it has no relative
 * lift). */
#include "analyze_internal.h"

#include <math.h>

#include "dcx/moments.h"

static void ratio_arms(const run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                       cmp_t *r, arm_t a[2])
{
    (void)x, (void)m;
    const cell_t *cells[2] = {c, t};
    dcx_error_t err;
    dcx_error_clear(&err);
    for (int k = 0; k < 2; k++) {
        const dcx_moments_t *mm = &cells[k]->m;
        double n = mm->n, ratio, vr;
        if (dcx_ratio_delta(n, dcx_moments_mean_x(mm), dcx_moments_mean_y(mm),
                            dcx_moments_var_x(mm), dcx_moments_var_y(mm), dcx_moments_cov_xy(mm),
                            &ratio, &vr, &err)) {
            row_note_err(r, "%s", &err);
            ratio = n > 0 && dcx_moments_mean_y(mm) != 0
                        ? dcx_moments_mean_x(mm) / dcx_moments_mean_y(mm)
                        : NAN;
        }
        a[k].n = n;
        a[k].mean = ratio;
        a[k].est_var = vr;
        a[k].var = vr * n;
        *(k ? &r->mean_t : &r->mean_c) = a[k].mean; /* the arms' ratios are compared */
        *(k ? &r->sd_t : &r->sd_c) = sqrt(a[k].var);
    }
}

/* v' S w for 4-vectors */
static double quad4(const double v[4], double s[4][4], const double w[4])
{
    double q = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            q += v[i] * s[i][j] * w[j];
    return q;
}

/* Ratio CUPED. Each arm's four columns (numerator M, denominator D, the covariate pair's
 * numerator Mp and denominator Dp) have means β and covariance matrix Λ (divisor n − 1).
 * The arm's ratio R = M̄/D̄ and its pre-period ratio P = M̄p/D̄p have by the delta method
 * the gradients g = (1/D̄, −M̄/D̄², 0, 0) and h = (0, 0, 1/D̄p, −M̄p/D̄p²), so per unit
 * var R = gᵀΛg, var P = hᵀΛh and cov(R, P) = gᵀΛh. θ = Σ cov(R, P) / Σ var P, both sums
 * over the two arms (gbstats' compute_theta_regression_adjusted_ratio); |θ| < 1e-8 is no
 * adjustment, as there. The arm is R − θ(P − P̄), P̄ the pooled pre-period ratio (Σ Mp /
 * Σ Dp over both arms, which the difference does not depend on), with per-unit variance
 * var R − 2θ cov(R, P) + θ² var P, and that over n the variance of the estimate. */
static void ratio_cuped_arms(const run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                             cmp_t *r, arm_t a[2])
{
    (void)x;
    const cell_t *cells[2] = {c, t};
    double mu[2][4], s[2][4][4], vr[2], vp[2] = {0, 0}, cp[2] = {0, 0}, n[2];
    int ok = 1, pre = 1; /* pre: both arms' pre-period ratios are defined */
    for (int k = 0; k < 2; k++) {
        cell_moments4(cells[k], mu[k], s[k]);
        n[k] = cells[k]->m.n;
        a[k].n = n[k];
        a[k].mean = a[k].var = a[k].est_var = NAN;
        if (!(n[k] >= 2)) {
            row_note(r, "ratio variance needs at least 2 units", NULL);
            ok = 0;
        } else if (!(mu[k][1] != 0)) {
            row_note(r, "denominator mean is 0: ratio is undefined", NULL);
            ok = 0;
        }
        if (!ok)
            continue;
        double g[4] = {1 / mu[k][1], -mu[k][0] / (mu[k][1] * mu[k][1]), 0, 0};
        vr[k] = quad4(g, s[k], g);
        if (mu[k][3] != 0) {
            double h[4] = {0, 0, 1 / mu[k][3], -mu[k][2] / (mu[k][3] * mu[k][3])};
            vp[k] = quad4(h, s[k], h);
            cp[k] = quad4(g, s[k], h);
        } else {
            pre = 0;
        }
    }
    if (!ok) {
        for (int k = 0; k < 2; k++) /* the arms as read, without a test */
            *(k ? &r->mean_t : &r->mean_c) = n[k] > 0 && mu[k][1] != 0 ? mu[k][0] / mu[k][1] : NAN;
        return;
    }
    /* a pre-period ratio that is undefined (no covariate denominator in an arm) or constant
     * gives no adjustment: θ = 0, the plain ratio (gbstats: its θ is 0 there too) */
    /* a pre-period ratio whose delta-method variance overflows a double (a covariate
     * denominator mean near 0 for its numerator's size) gives no adjustment either, said as
     * such rather than as a constant ratio; a covariance that overflows (the outcome's
     * ratio does) leaves θ 0 below, and the test is refused where the variance is summed */
    int huge = pre && !isfinite(vp[0] + vp[1]);
    double theta = pre && !huge && vp[0] + vp[1] > 0 ? (cp[0] + cp[1]) / (vp[0] + vp[1]) : 0;
    if (!pre)
        row_note(r, "covariate denominator '%s' has mean 0 in an arm: no CUPED adjustment", m->cov2);
    else if (huge) {
        char pair[256];
        snprintf(pair, sizeof pair, "%.120s/%.120s", m->cov, m->cov2);
        row_note(r, "covariate pair '%s': its ratio's variance overflows a double (a denominator "
                    "mean near 0): no CUPED adjustment",
                 pair);
    } else if (!(vp[0] + vp[1] > 0)) {
        char pair[256];
        snprintf(pair, sizeof pair, "%.120s/%.120s", m->cov, m->cov2);
        row_note(r, "covariate pair '%s' has a constant ratio: no CUPED adjustment", pair);
    }
    if (!isfinite(theta) || fabs(theta) < 1e-8)
        theta = 0;
    r->theta = theta;
    double pbar = theta != 0 ? (n[0] * mu[0][2] + n[1] * mu[1][2]) / (n[0] * mu[0][3] + n[1] * mu[1][3]) : 0;
    double before = 0, after = 0;
    for (int k = 0; k < 2; k++) {
        double v = theta != 0 ? vr[k] - 2 * theta * cp[k] + theta * theta * vp[k] : vr[k];
        a[k].mean = mu[k][0] / mu[k][1] - (theta != 0 ? theta * (mu[k][2] / mu[k][3] - pbar) : 0);
        a[k].var = v < 0 ? 0 : v;
        a[k].est_var = a[k].var / n[k];
        before += vr[k] / n[k];
        after += a[k].est_var;
        *(k ? &r->mean_t : &r->mean_c) = a[k].mean;
        *(k ? &r->sd_t : &r->sd_c) = sqrt(a[k].var);
    }
    r->vr = before > 0 && isfinite(before) ? 1 - after / before : NAN;
    if (before == 0) /* a variance that overflows is said where the test is refused */
        row_note(r, "outcome has zero variance: variance reduction undefined", NULL);
}

static void nps_arms(const run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                     cmp_t *r, arm_t a[2])
{
    (void)x, (void)m;
    const cell_t *cells[2] = {c, t};
    for (int k = 0; k < 2; k++) {
        const cell_t *cc = cells[k];
        double n = cc->m.n, pp = cc->ones / n, pd = cc->neg / n;
        double unit = pp + pd - (pp - pd) * (pp - pd);
        a[k].n = n;
        a[k].mean = 100 * (pp - pd);
        a[k].var = 1e4 * unit;
        a[k].est_var = 1e4 * unit / n;
        *(k ? &r->mean_t : &r->mean_c) = 100 * (cc->ones - cc->neg) / cc->m.n;
        *(k ? &r->sd_t : &r->sd_c) = sqrt(a[k].var);
    }
}

static dcx_status_t z_test(const run_t *x, const cell_t *c, const cell_t *t, const arm_t a[2],
                           cmp_t *r, dcx_error_t *err)
{
    (void)c, (void)t, (void)a;
    return cmp_test_z(x, r, err); /* whatever --test says: only z applies */
}

const cmp_family_t cmp_ratio = {ratio_arms, z_test, cmp_approx_plain, NULL, NULL, 1};
const cmp_family_t cmp_ratio_cuped = {ratio_cuped_arms, z_test, cmp_approx_plain, NULL, NULL, 1};
const cmp_family_t cmp_nps = {nps_arms, z_test, cmp_approx_plain, NULL, NULL, 0};
