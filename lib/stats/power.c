/* power.c — power and sample size for two-arm comparisons of proportions and means,
 * solving the equations of R's power.prop.test and power.t.test (strict = FALSE). */
#include "dcx/stats.h"

#include <math.h>

void dcx_power_spec_init(dcx_power_spec_t *s)
{
    s->kind = DCX_POWER_BINARY;
    s->solve = DCX_SOLVE_N;
    s->baseline = s->mean = s->sd = s->mde = s->n = NAN;
    s->relative = 0;
    s->alpha = 0.05;
    s->power = 0.8;
    s->variants = 2;
    s->ratio = 1;
    s->sequential = 0;
    s->tuning = 5000;
}

/* The power of the two-sided mSPRT sequence (dcx_power_at's comment). */
static double power_sequential(const dcx_power_spec_t *s, double a, double n1, double n2, double d)
{
    double v;
    if (s->kind == DCX_POWER_BINARY) {
        double p1 = s->baseline, p2 = p1 + d;
        if (!(p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1))
            return NAN;
        v = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
    } else {
        if (!(s->sd > 0))
            return NAN;
        v = s->sd * s->sd * (1 / n1 + 1 / n2);
    }
    if (!(v > 0) || !(s->tuning > 0))
        return NAN;
    double la = -2 * log(a), rho2 = (la + log(la + 1)) / s->tuning, x = (n1 + n2) * rho2,
           se = sqrt(v), h = se * sqrt((1 + 1 / x) * (log1p(x) + la));
    return dcx_dist_norm_cdf((h - fabs(d)) / se, 0) + dcx_dist_norm_cdf(-(h + fabs(d)) / se, 1);
}

static double comparison_alpha(const dcx_power_spec_t *s)
{
    return s->alpha / (s->variants > 2 ? s->variants - 1 : 1);
}

double dcx_power_at(const dcx_power_spec_t *s, double n1, double d)
{
    double a = comparison_alpha(s), n2 = s->ratio * n1;
    if (!(n1 > 0 && n2 > 0) || !(a > 0 && a < 1))
        return NAN;
    if (s->sequential)
        return power_sequential(s, a, n1, n2, d);
    if (s->kind == DCX_POWER_BINARY) {
        double p1 = s->baseline, p2 = p1 + d;
        if (!(p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1))
            return NAN;
        double pbar = (p1 + s->ratio * p2) / (1 + s->ratio);
        double z = dcx_dist_norm_quantile(a / 2, 0);
        double num = fabs(d) - z * sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2));
        double den = sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
        return dcx_dist_norm_cdf(num / den, 1);
    }
    double df = n1 + n2 - 2;
    if (!(df > 0) || !(s->sd > 0))
        return NAN;
    double ncp = fabs(d) / (s->sd * sqrt(1 / n1 + 1 / n2));
    double q = dcx_dist_t_quantile(a / 2, df, 0);
    return dcx_dist_nt_cdf(q, df, ncp, 0);
}

/* Bisection for an increasing f on [lo, hi] with f(lo) < target ≤ f(hi). */
static double bisect(const dcx_power_spec_t *s, int over_n, double fixed, double lo, double hi,
                     double target)
{
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        double f = over_n ? dcx_power_at(s, mid, fixed) : dcx_power_at(s, fixed, mid);
        if (f < target)
            lo = mid;
        else
            hi = mid;
        if (hi - lo <= 1e-13 * hi)
            break;
    }
    return hi; /* the side where the power reaches the target */
}

/* n rounded up to a whole unit; a root within 1e-12 above a whole number is that number
 * (the bisection's own tolerance), never less. */
static double round_up_n(double n)
{
    double k = floor(n);
    return n - k <= 1e-12 * n && n - k < 1e-6 ? k : ceil(n);
}

static dcx_status_t check_spec(const dcx_power_spec_t *s, dcx_error_t *err)
{
    if (!(s->alpha > 0 && s->alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "alpha must be in (0, 1), got %g", s->alpha);
    if (s->variants < 2)
        return dcx_error_set(err, DCX_EINVAL, "need at least 2 variants, got %d", s->variants);
    if (!(s->ratio > 0) || !isfinite(s->ratio))
        return dcx_error_set(err, DCX_EINVAL, "ratio must be > 0, got %g", s->ratio);
    if (s->solve != DCX_SOLVE_POWER && !(s->power > 0 && s->power < 1))
        return dcx_error_set(err, DCX_EINVAL, "power must be in (0, 1), got %g", s->power);
    if (s->kind == DCX_POWER_BINARY) {
        if (!(s->baseline > 0 && s->baseline < 1))
            return dcx_error_set(err, DCX_EINVAL, "baseline rate must be in (0, 1), got %g",
                                 s->baseline);
    } else {
        if (!(s->sd > 0) || !isfinite(s->sd))
            return dcx_error_set(err, DCX_EINVAL, "sd must be > 0, got %g", s->sd);
        if (s->relative && !(s->mean != 0 && isfinite(s->mean)))
            return dcx_error_set(err, DCX_EINVAL, "a relative MDE needs a non-zero --mean");
    }
    if (s->solve != DCX_SOLVE_N && !(s->n >= 1 && isfinite(s->n)))
        return dcx_error_set(err, DCX_EINVAL, "n must be >= 1, got %g", s->n);
    if (s->solve != DCX_SOLVE_MDE && !(s->mde != 0 && isfinite(s->mde)))
        return dcx_error_set(err, DCX_EINVAL, "the MDE must be a non-zero number");
    return DCX_OK;
}

dcx_status_t dcx_power_solve(const dcx_power_spec_t *s, dcx_power_result_t *r, dcx_error_t *err)
{
    r->n_control = r->n_per_variant = r->n_treatment = r->n_total = NAN;
    r->mde = r->mde_relative = r->power = r->power_achieved = NAN;
    r->alpha = s->alpha;
    r->alpha_comparison = comparison_alpha(s);
    dcx_status_t st = check_spec(s, err);
    if (st)
        return st;
    double base = s->kind == DCX_POWER_BINARY ? s->baseline : s->mean;
    double d = s->mde;
    if (s->solve != DCX_SOLVE_MDE && s->relative)
        d = s->mde * base;
    if (s->kind == DCX_POWER_BINARY && s->solve != DCX_SOLVE_MDE
        && !(s->baseline + d > 0 && s->baseline + d < 1))
        return dcx_error_set(err, DCX_EINVAL,
                             "baseline + MDE = %g is not a rate in (0, 1)", s->baseline + d);
    double n1 = s->n;
    switch (s->solve) {
    case DCX_SOLVE_N: {
        double lo = s->kind == DCX_POWER_MEAN ? 2.0 : 2.0, hi = 1e7;
        double plo = dcx_power_at(s, lo, d);
        if (isnan(plo))
            return dcx_error_set(err, DCX_EINVAL, "power is undefined for these parameters");
        if (plo >= s->power) {
            n1 = lo;
        } else {
            while (dcx_power_at(s, hi, d) < s->power) {
                hi *= 10;
                if (hi > 1e16)
                    return dcx_error_set(err, DCX_EDOM,
                                         "no sample size below 1e16 per variant reaches power %g",
                                         s->power);
            }
            n1 = bisect(s, 1, d, lo, hi, s->power);
        }
        r->n_control = n1;
        r->n_per_variant = round_up_n(n1);
        r->power = s->power;
        /* the rounded design must reach the power asked for: never report less */
        for (int i = 0; i < 200 && dcx_power_at(s, r->n_per_variant, d) < s->power; i++)
            r->n_per_variant = ceil(r->n_per_variant * (1 + 1e-12)) + 1;
        break;
    }
    case DCX_SOLVE_MDE: {
        double lo = 0, hi;
        if (s->kind == DCX_POWER_BINARY) {
            hi = 1 - s->baseline;
            if (dcx_power_at(s, n1, hi) < s->power)
                return dcx_error_set(err, DCX_EDOM,
                                     "with n = %g per variant no effect up to a rate of 1 "
                                     "reaches power %g",
                                     n1, s->power);
        } else {
            hi = s->sd;
            while (dcx_power_at(s, n1, hi) < s->power) {
                hi *= 2;
                if (hi > 1e12 * s->sd)
                    return dcx_error_set(err, DCX_EDOM, "no MDE reaches power %g with n = %g",
                                         s->power, n1);
            }
        }
        d = bisect(s, 0, n1, lo, hi, s->power);
        r->n_control = n1;
        r->n_per_variant = ceil(n1);
        r->power = s->power;
        break;
    }
    case DCX_SOLVE_POWER:
        r->n_control = n1;
        r->n_per_variant = ceil(n1);
        r->power = dcx_power_at(s, r->n_per_variant, d);
        break;
    }
    r->mde = d;
    r->mde_relative = base != 0 && isfinite(base) ? d / base : NAN;
    r->n_treatment = round_up_n(s->ratio * r->n_per_variant);
    r->n_total = r->n_per_variant + (s->variants - 1) * r->n_treatment;
    r->power_achieved = dcx_power_at(s, r->n_per_variant, d);
    if (isnan(r->power_achieved))
        return dcx_error_set(err, DCX_EDOM, "power is undefined for these parameters");
    if (s->solve != DCX_SOLVE_POWER && r->power_achieved < s->power * (1 - 1e-12))
        return dcx_error_set(err, DCX_ECONV,
                             "no design found that reaches power %g (best: %.6g); the effect may "
                             "be too small to detect",
                             s->power, r->power_achieved);
    return DCX_OK;
}
