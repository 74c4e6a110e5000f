/* exact.c — tests that need more than sufficient statistics: Fisher's exact test
 * on a 2×2 table and the Mann–Whitney rank-sum test on unit-level values. */
#include "dcx/stats.h"

#include <math.h>
#include <stdlib.h>

static int is_count(double v) { return v >= 0 && isfinite(v) && v == floor(v); }

dcx_status_t dcx_test_fisher(double a, double b, double c, double d, double *p_value,
                             double *odds_ratio, dcx_error_t *err)
{
    *p_value = NAN;
    if (odds_ratio)
        *odds_ratio = NAN;
    if (!is_count(a) || !is_count(b) || !is_count(c) || !is_count(d))
        return dcx_error_set(err, DCX_EINVAL, "Fisher test needs non-negative integer counts");
    if (odds_ratio)
        *odds_ratio = (a * d) / (b * c);
    /* x = a ~ Hypergeometric(m = a + c white, n = b + d black, k = a + b drawn) */
    double m = a + c, n = b + d, k = a + b;
    double lo = fmax(0, k - n), hi = fmin(k, m);
    double pobs = dcx_dist_hyper_pmf(a, m, n, k);
    const double rel = 1 + 1e-7;
    double sum = 0, total = 0;
    for (double x = lo; x <= hi; x++) {
        double px = dcx_dist_hyper_pmf(x, m, n, k);
        total += px;
        if (px <= pobs * rel)
            sum += px;
    }
    /* normalise as R does; total differs from 1 only by rounding */
    double p = total > 0 ? sum / total : 1.0;
    *p_value = p > 1 ? 1.0 : p;
    return DCX_OK;
}

typedef struct {
    double v;
    int from_x;
} ranked_t;

static int cmp_ranked(const void *pa, const void *pb)
{
    double a = ((const ranked_t *)pa)->v, b = ((const ranked_t *)pb)->v;
    return (a > b) - (a < b);
}

dcx_status_t dcx_test_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
                                   dcx_test_result_t *r, dcx_error_t *err)
{
    r->estimate = r->se = r->ci_lo = r->ci_hi = r->statistic = r->df = r->p_value = NAN;
    if (nx == 0 || ny == 0)
        return dcx_error_set(err, DCX_EDOM, "Mann-Whitney test needs units in both arms");
    size_t n = nx + ny;
    ranked_t *all = malloc(n * sizeof *all);
    if (!all)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory ranking %zu values", n);
    for (size_t i = 0; i < nx; i++) {
        if (isnan(x[i])) {
            free(all);
            return dcx_error_set(err, DCX_EINVAL, "NaN among the values to rank");
        }
        all[i] = (ranked_t){x[i], 1};
    }
    for (size_t i = 0; i < ny; i++) {
        if (isnan(y[i])) {
            free(all);
            return dcx_error_set(err, DCX_EINVAL, "NaN among the values to rank");
        }
        all[nx + i] = (ranked_t){y[i], 0};
    }
    qsort(all, n, sizeof *all, cmp_ranked);
    long double rank_sum_x = 0, ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && all[j + 1].v == all[i].v)
            j++;
        long double t = (long double)(j - i + 1);
        long double avg = ((long double)i + 1 + (long double)j + 1) / 2; /* 1-based ranks */
        for (size_t k = i; k <= j; k++)
            if (all[k].from_x)
                rank_sum_x += avg;
        ties += t * t * t - t;
        i = j + 1;
    }
    free(all);
    double dnx = (double)nx, dny = (double)ny, dn = (double)n;
    double w = (double)(rank_sum_x - (long double)dnx * (dnx + 1) / 2);
    r->statistic = w;
    double z = w - dnx * dny / 2;
    double sigma = sqrt(dnx * dny / 12 * ((dn + 1) - (double)ties / (dn * (dn - 1))));
    if (!(sigma > 0))
        return dcx_error_set(err, DCX_EDOM, "all values tie: the rank test is undefined");
    double corr = z > 0 ? 0.5 : (z < 0 ? -0.5 : 0.0);
    z = (z - corr) / sigma;
    double p = 2 * fmin(dcx_dist_norm_cdf(z, 1), dcx_dist_norm_cdf(z, 0));
    r->p_value = p > 1 ? 1.0 : p;
    r->se = sigma;
    return DCX_OK;
}
