/* compare_quantile.c — quantile metrics (NAME:quantile=Q): each arm's type-7 quantile of
 * the values its cell kept, with the order-statistic standard error of Deng, Knoblich
 * and Lu (2018); the difference is compared with the z test. The SE describes the data,
 * not the test: its rank window uses z = Φ⁻¹(0.975) whatever --alpha is, and an arm whose
 * window does not fit within its n values has no SE (no interval, no test) rather than a
 * window clipped at the ends, which understates the SE of an extreme quantile. */
#include "analyze_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "dcx/moments.h"

/* Type-7 quantile and its order-statistic standard error (Deng, Knoblich and Lu 2018):
 * with z = Φ⁻¹(0.975), L = ⌊nQ − z√(nQ(1−Q))⌋, U = ⌈nQ + z√(nQ(1−Q))⌉ and
 * SE = (x₍U₎ − x₍L₎)/(2z): from the cell's values (sorted here), or from a summary, which
 * carries the quantile and x₍L₎, x₍U₎ of the window at the same z. @return 0 when the
 * window does not fit (nQ − z√(nQ(1−Q)) < 1 or nQ + z√(nQ(1−Q)) > n): *se is then NaN. */
static int quantile_arm(cell_t *c, double q, double *est, double *se)
{
    double z = dcx_dist_norm_quantile(0.025, 0), lo, hi;
    double nn = c->qset ? c->m.n : (double)c->nvals;
    *est = *se = NAN;
    if (!(nn > 0))
        return 1; /* no units: the comparison says so */
    if (c->qset)
        *est = c->qv, lo = c->qlo, hi = c->qhi;
    else
        data_quantile_window(c->vals, c->nvals, q, z, est, &lo, &hi);
    double w = z * sqrt(nn * q * (1 - q));
    if (nn * q - w < 1 || nn * q + w > nn)
        return 0;
    *se = (hi - lo) / (2 * z);
    return 1;
}

/* The arms as people read them: mean and sd of the values, and the quantiles compared. */
static void quantile_arms(const run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                          cmp_t *r, arm_t a[2])
{
    (void)x;
    const cell_t *cells[2] = {c, t};
    for (int k = 0; k < 2; k++) {
        double q, se;
        if (!quantile_arm((cell_t *)cells[k], m->q, &q, &se) && !r->no_se) {
            char what[40];
            snprintf(what, sizeof what, "%g", m->q);
            row_note(r, "too few units for the %s quantile: its standard error needs the rank "
                        "window nQ +/- 1.96 sqrt(nQ(1 - Q)) within 1..n in each arm",
                     what);
            r->no_se = 1;
        }
        a[k].n = cells[k]->m.n;
        a[k].mean = q;
        a[k].est_var = se * se;
        a[k].var = NAN;
        *(k ? &r->q_t : &r->q_c) = q;
        *(k ? &r->mean_t : &r->mean_c) = dcx_moments_mean_x(&cells[k]->m);
        *(k ? &r->sd_t : &r->sd_c) = sqrt(dcx_moments_var_x(&cells[k]->m));
    }
}

static dcx_status_t quantile_test(const run_t *x, const cell_t *c, const cell_t *t,
                                  const arm_t a[2], cmp_t *r, dcx_error_t *err)
{
    (void)c, (void)t, (void)a;
    return cmp_test_z(x, r, err);
}

const cmp_family_t cmp_quantile = {quantile_arms, quantile_test, cmp_approx_plain, NULL, NULL, 1};
