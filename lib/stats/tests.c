/* tests.c — two-sample tests and intervals from sufficient statistics. */
#include "dcx/stats.h"

#include <math.h>

static dcx_status_t check_alpha(double alpha, dcx_error_t *err)
{
    if (!(alpha > 0 && alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "alpha must be in (0, 1), got %g", alpha);
    return DCX_OK;
}

static void result_nan(dcx_test_result_t *r)
{
    r->estimate = r->se = r->ci_lo = r->ci_hi = r->statistic = r->df = r->p_value = NAN;
}

static double two_sided_norm_p(double z) { return 2 * dcx_dist_norm_cdf(-fabs(z), 1); }

dcx_status_t dcx_test_prop(double x_t, double n_t, double x_c, double n_c, double alpha,
                           dcx_test_result_t *r, dcx_error_t *err)
{
    result_nan(r);
    dcx_status_t st = check_alpha(alpha, err);
    if (st)
        return st;
    if (!(n_t >= 0 && n_c >= 0 && x_t >= 0 && x_c >= 0 && x_t <= n_t && x_c <= n_c)
        || !isfinite(n_t) || !isfinite(n_c))
        return dcx_error_set(err, DCX_EINVAL,
                             "counts must satisfy 0 <= successes <= trials (got %g/%g, %g/%g)",
                             x_t, n_t, x_c, n_c);
    if (n_t == 0 || n_c == 0)
        return dcx_error_set(err, DCX_EDOM, "an arm has no units");
    double pt = x_t / n_t, pc = x_c / n_c;
    r->estimate = pt - pc;
    /* p(1 − p)/n written as x(n − x)/n³ keeps exact counts exact longer */
    r->se = sqrt(pt * (1 - pt) / n_t + pc * (1 - pc) / n_c);
    double zq = dcx_dist_norm_quantile(alpha / 2, 0);
    r->ci_lo = fmax(-1.0, r->estimate - zq * r->se);
    r->ci_hi = fmin(1.0, r->estimate + zq * r->se);
    double pbar = (x_t + x_c) / (n_t + n_c);
    double se0 = sqrt(pbar * (1 - pbar) * (1 / n_t + 1 / n_c));
    if (!(se0 > 0))
        return dcx_error_set(err, DCX_EDOM,
                             "both arms are all %s: the test statistic is 0/0",
                             pbar == 0 ? "0" : "1");
    r->statistic = r->estimate / se0;
    r->p_value = two_sided_norm_p(r->statistic);
    return DCX_OK;
}

dcx_status_t dcx_test_welch(const dcx_arm_t *t, const dcx_arm_t *c, double alpha,
                            dcx_test_result_t *r, dcx_error_t *err)
{
    result_nan(r);
    dcx_status_t st = check_alpha(alpha, err);
    if (st)
        return st;
    if (!(t->n >= 2 && c->n >= 2))
        return dcx_error_set(err, DCX_EDOM, "Welch test needs at least 2 units per arm");
    if (!(t->var >= 0 && c->var >= 0) || !isfinite(t->mean) || !isfinite(c->mean))
        return dcx_error_set(err, DCX_EINVAL, "means must be finite and variances >= 0");
    double a = t->var / t->n, b = c->var / c->n;
    r->estimate = t->mean - c->mean;
    r->se = sqrt(a + b);
    if (!(r->se > 0))
        return dcx_error_set(err, DCX_EDOM, "both arms have zero variance: data are constant");
    r->df = (a + b) * (a + b) / (a * a / (t->n - 1) + b * b / (c->n - 1));
    r->statistic = r->estimate / r->se;
    r->p_value = 2 * dcx_dist_t_cdf(-fabs(r->statistic), r->df, 1);
    double tq = dcx_dist_t_quantile(alpha / 2, r->df, 0);
    r->ci_lo = r->estimate - tq * r->se;
    r->ci_hi = r->estimate + tq * r->se;
    return DCX_OK;
}

dcx_status_t dcx_test_z(double estimate, double se, double alpha, dcx_test_result_t *r,
                        dcx_error_t *err)
{
    result_nan(r);
    dcx_status_t st = check_alpha(alpha, err);
    if (st)
        return st;
    if (!isfinite(estimate) || !(se >= 0) || !isfinite(se))
        return dcx_error_set(err, DCX_EINVAL, "estimate and standard error must be finite");
    r->estimate = estimate;
    r->se = se;
    double zq = dcx_dist_norm_quantile(alpha / 2, 0);
    r->ci_lo = estimate - zq * se;
    r->ci_hi = estimate + zq * se;
    if (se == 0)
        return dcx_error_set(err, DCX_EDOM, "standard error is 0");
    r->statistic = estimate / se;
    r->p_value = two_sided_norm_p(r->statistic);
    return DCX_OK;
}

dcx_status_t dcx_lift_delta(const dcx_arm_t *t, const dcx_arm_t *c, double alpha,
                            dcx_test_result_t *r, dcx_error_t *err)
{
    result_nan(r);
    dcx_status_t st = check_alpha(alpha, err);
    if (st)
        return st;
    if (!(t->n > 0 && c->n > 0))
        return dcx_error_set(err, DCX_EDOM, "an arm has no units");
    if (c->mean == 0)
        return dcx_error_set(err, DCX_EDOM, "control mean is 0: relative lift is undefined");
    double mc = c->mean, mt = t->mean;
    double var = t->var / (t->n * mc * mc) + mt * mt * c->var / (c->n * mc * mc * mc * mc);
    if (!(var >= 0) || !isfinite(var))
        return dcx_error_set(err, DCX_EDOM, "lift variance is undefined");
    return dcx_test_z((mt - mc) / mc, sqrt(var), alpha, r, err);
}

dcx_status_t dcx_ratio_delta(double n, double mean_num, double mean_den, double var_num,
                             double var_den, double cov, double *ratio, double *var_ratio,
                             dcx_error_t *err)
{
    *ratio = *var_ratio = NAN;
    if (!(n >= 2))
        return dcx_error_set(err, DCX_EDOM, "ratio variance needs at least 2 units");
    if (mean_den == 0)
        return dcx_error_set(err, DCX_EDOM, "denominator mean is 0: ratio is undefined");
    double rr = mean_num / mean_den;
    *ratio = rr;
    double v = (var_num - 2 * rr * cov + rr * rr * var_den) / (n * mean_den * mean_den);
    *var_ratio = v < 0 ? 0 : v;
    return DCX_OK;
}

dcx_status_t dcx_test_chisq_gof(const double *counts, const double *p, size_t k, double *chi2,
                                double *df, double *p_value, dcx_error_t *err)
{
    *chi2 = *df = *p_value = NAN;
    if (k < 2)
        return dcx_error_set(err, DCX_EINVAL, "goodness of fit needs at least 2 categories");
    long double total = 0, psum = 0;
    for (size_t i = 0; i < k; i++) {
        if (!(counts[i] >= 0) || !isfinite(counts[i]))
            return dcx_error_set(err, DCX_EINVAL, "counts must be finite and >= 0");
        if (p && (!(p[i] >= 0) || !isfinite(p[i])))
            return dcx_error_set(err, DCX_EINVAL, "probabilities must be finite and >= 0");
        total += counts[i];
        psum += p ? p[i] : 1.0;
    }
    if (total == 0)
        return dcx_error_set(err, DCX_EDOM, "no units: all counts are 0");
    if (psum == 0)
        return dcx_error_set(err, DCX_EINVAL, "probabilities sum to 0");
    long double x2 = 0;
    for (size_t i = 0; i < k; i++) {
        /* expected count in double arithmetic, as R's n * p (so an exact fit gives 0) */
        double share = (p ? p[i] : 1.0) / (double)psum;
        double e = (double)total * share;
        long double d = (long double)counts[i] - e;
        if (e == 0) {
            if (counts[i] != 0)
                return dcx_error_set(err, DCX_EDOM,
                                     "category %zu has units but expected share 0", i + 1);
            continue;
        }
        x2 += d * d / e;
    }
    *chi2 = (double)x2;
    if (!isfinite(*chi2))
        return dcx_error_set(err, DCX_EDOM, "the chi-square statistic overflows: counts too large");
    *df = (double)(k - 1);
    *p_value = dcx_dist_chisq_cdf(*chi2, *df, 0);
    return DCX_OK;
}

dcx_status_t dcx_cochran_q(const double *est, const double *se, size_t k, double *q, double *df,
                           double *p_value, dcx_error_t *err)
{
    *q = *df = *p_value = NAN;
    if (k < 2)
        return dcx_error_set(err, DCX_EDOM, "heterogeneity needs at least 2 levels");
    double sw = 0, swe = 0;
    for (size_t i = 0; i < k; i++) {
        if (!(se[i] > 0) || !isfinite(se[i]) || !isfinite(est[i]))
            return dcx_error_set(err, DCX_EDOM,
                                 "a level has a zero or undefined standard error");
        double w = 1 / (se[i] * se[i]);
        sw += w;
        swe += w * est[i];
    }
    double mean = swe / sw, qq = 0;
    for (size_t i = 0; i < k; i++) {
        double d = est[i] - mean;
        qq += d * d / (se[i] * se[i]);
    }
    *q = qq;
    *df = (double)(k - 1);
    *p_value = dcx_dist_chisq_cdf(qq, *df, 0);
    return DCX_OK;
}
