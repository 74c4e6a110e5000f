/* compare_ratio.c — the metrics whose arms are functions of several means, compared with
 * the z test: ratio metrics (Σ numerator / Σ denominator per arm, with the delta method's
 * variance) and NPS (percent promoters minus percent detractors, on a scale of ±100, with
 * the variance of a −1/0/+1 score; it has no relative lift). */
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

const cmp_family_t cmp_ratio = {ratio_arms, z_test, cmp_approx_rank, NULL, NULL, 1};
const cmp_family_t cmp_nps = {nps_arms, z_test, cmp_approx_rank, NULL, NULL, 0};
