/* compare_mean.c — mean metrics, with or without CUPED. Each arm is a mean with its
 * sample variance; the test is Welch's t (R's t.test), or with --test z the z test, or
 * with --test mann-whitney the rank test (R's wilcox.test, on the values the cells kept)
 * beside Welch's interval. CUPED (Deng et al. 2013) adjusts each unit's outcome by θ
 * times its covariate's deviation from the pooled covariate mean, θ = cov(y, x) / var(x)
 * pooled over both arms; a binary metric with a covariate is compared the same way. */
#include "analyze_internal.h"

#include <math.h>

#include "dcx/moments.h"

static void mean_arms(const run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                      cmp_t *r, arm_t a[2])
{
    (void)x, (void)m;
    const cell_t *cells[2] = {c, t};
    for (int k = 0; k < 2; k++) {
        const dcx_moments_t *mm = &cells[k]->m;
        double n = mm->n;
        a[k].n = n;
        a[k].mean = dcx_moments_mean_x(mm);
        a[k].var = n > 1 ? dcx_moments_var_x(mm) : NAN;
        a[k].est_var = a[k].var / n;
        *(k ? &r->mean_t : &r->mean_c) = a[k].mean;
        *(k ? &r->sd_t : &r->sd_c) = sqrt(a[k].var);
    }
}

/* The outcome is x of the moments and the covariate y; the arms are the adjusted means,
 * which are what the comparison is about. */
static void cuped_arms(const run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                       cmp_t *r, arm_t a[2])
{
    (void)x;
    const cell_t *cells[2] = {c, t};
    dcx_moments_t pooled = c->m;
    dcx_moments_merge(&pooled, &t->m);
    double vx = dcx_moments_var_y(&pooled), vy = dcx_moments_var_x(&pooled);
    double cxy = dcx_moments_cov_xy(&pooled), xbar = dcx_moments_mean_y(&pooled);
    double theta = vx > 0 ? cxy / vx : 0;
    if (!(vx > 0))
        row_note(r, "covariate '%s' is constant: no CUPED adjustment", m->cov);
    r->theta = theta;
    double vyadj = vy - 2 * theta * cxy + theta * theta * vx;
    r->vr = vy > 0 ? 1 - vyadj / vy : NAN;
    if (isnan(r->vr))
        row_note(r, "outcome has zero variance: variance reduction undefined", NULL);
    for (int k = 0; k < 2; k++) {
        const dcx_moments_t *mm = &cells[k]->m;
        double my = dcx_moments_mean_x(mm), mx = dcx_moments_mean_y(mm);
        double v = dcx_moments_var_x(mm) - 2 * theta * dcx_moments_cov_xy(mm)
                   + theta * theta * dcx_moments_var_y(mm);
        a[k].n = mm->n;
        a[k].mean = my - theta * (mx - xbar);
        a[k].var = v < 0 ? 0 : v;
        a[k].est_var = a[k].var / a[k].n;
        *(k ? &r->mean_t : &r->mean_c) = a[k].mean;
        *(k ? &r->sd_t : &r->sd_c) = sqrt(a[k].var);
    }
}

static dcx_status_t mean_test(const run_t *x, const cell_t *c, const cell_t *t, const arm_t a[2],
                              cmp_t *r, dcx_error_t *err)
{
    if (x->test == T_Z)
        return cmp_test_z(x, r, err);
    /* auto, welch and mann-whitney (and fisher, which mean metrics do not take) */
    dcx_status_t st = cmp_test_welch(x, a, 0, r, err);
    if (x->test == T_MW) {
        dcx_test_result_t mw;
        if (dcx_test_mann_whitney(t->vals, t->nvals, c->vals, c->nvals, &mw, err) == DCX_OK) {
            r->p = mw.p_value;
            r->stat = mw.statistic;
            r->test = "mann-whitney";
        } else {
            r->p = r->stat = NAN;
            row_note_err(r, "Mann-Whitney: %s", err);
            r->test = "mann-whitney";
        }
        st = DCX_OK;
    }
    return st;
}

const cmp_family_t cmp_mean = {mean_arms, mean_test, cmp_approx_rank, NULL, NULL, 1};
const cmp_family_t cmp_cuped = {cuped_arms, mean_test, cmp_approx_rank, NULL, NULL, 1};
