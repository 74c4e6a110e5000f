/* bayes.c — Bayesian comparison of two arms (Beta-Binomial and normal posteriors) and
 * the always-valid mSPRT. */
#include "dcx/stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

typedef struct {
    double at, bt, ac, bc; /* posterior parameters */
    double d;              /* shift for the distribution of the difference */
    int what;
    gsl_integration_workspace *w; /* one for every integral of a comparison */
} beta_pair_t;

/* posterior density of the treatment rate, computed in log space for large counts */
static double beta_pdf(double u, double a, double b)
{
    if (u <= 0 || u >= 1)
        return 0;
    double l = (a - 1) * log(u) + (b - 1) * log1p(-u) - gsl_sf_lnbeta(a, b);
    return exp(l);
}

static double beta_cdf(double u, double a, double b)
{
    if (u <= 0)
        return 0;
    if (u >= 1)
        return 1;
    return gsl_cdf_beta_P(u, a, b);
}

static double beta_sf(double u, double a, double b)
{
    if (u <= 0)
        return 1;
    if (u >= 1)
        return 0;
    return gsl_cdf_beta_Q(u, a, b);
}

static double integrand(double u, void *vp)
{
    const beta_pair_t *p = vp;
    double ft = beta_pdf(u, p->at, p->bt);
    if (ft == 0)
        return 0;
    switch (p->what) {
    case 0: /* P(p_c < u) weighted by the treatment density: P(p_t > p_c) */
        return ft * beta_cdf(u, p->ac, p->bc);
    case 1: { /* E[(p_c − u)+] = m_c·P'(p_c > u) − u·P(p_c > u), P' under Beta(ac+1, bc) */
        double mc = p->ac / (p->ac + p->bc);
        return ft * (mc * beta_sf(u, p->ac + 1, p->bc) - u * beta_sf(u, p->ac, p->bc));
    }
    default: /* P(p_t − p_c ≤ d) = ∫ f_t(u) P(p_c ≥ u − d) du */
        return ft * beta_sf(u - p->d, p->ac, p->bc);
    }
}

/* ∫ over the region where the treatment posterior has mass */
static int integrate(beta_pair_t *p, double *out)
{
    double m = p->at / (p->at + p->bt);
    double sd = sqrt(p->at * p->bt / ((p->at + p->bt) * (p->at + p->bt) * (p->at + p->bt + 1)));
    double lo = fmax(0, m - 40 * sd), hi = fmin(1, m + 40 * sd);
    gsl_function f = {integrand, p};
    double abserr;
    double pts[7] = {lo, fmax(lo, m - 6 * sd), fmax(lo, m - sd), m, fmin(hi, m + sd),
                     fmin(hi, m + 6 * sd), hi};
    /* drop repeated break points at the ends of [0, 1] */
    double q[7];
    size_t nq = 0;
    for (int i = 0; i < 7; i++)
        if (nq == 0 || pts[i] > q[nq - 1])
            q[nq++] = pts[i];
    int rc = nq >= 2 ? gsl_integration_qagp(&f, q, nq, 1e-13, 1e-10, 1000, p->w, out, &abserr) : 0;
    if (nq < 2)
        *out = 0;
    return rc;
}

static double diff_cdf(beta_pair_t *p, double d)
{
    p->what = 2;
    p->d = d;
    double v;
    if (integrate(p, &v))
        return NAN;
    return v;
}

/* The posterior summaries of p (its workspace allocated). */
static dcx_status_t beta_posterior(beta_pair_t *pp, double alpha, dcx_bayes_result_t *r,
                                   dcx_error_t *err)
{
    beta_pair_t p = *pp;
    double v;
    p.what = 0;
    if (integrate(&p, &v))
        return dcx_error_set(err, DCX_ECONV, "posterior integration did not converge");
    r->prob_beat_control = fmin(1, fmax(0, v));
    p.what = 1;
    if (integrate(&p, &v))
        return dcx_error_set(err, DCX_ECONV, "expected-loss integration did not converge");
    r->expected_loss = fmax(0, v);
    /* quantiles of the difference: bisection on its distribution function, bracketed
     * by the normal approximation widened generously */
    double mt = p.at / (p.at + p.bt), mc = p.ac / (p.ac + p.bc);
    double vt = p.at * p.bt / ((p.at + p.bt) * (p.at + p.bt) * (p.at + p.bt + 1));
    double vc = p.ac * p.bc / ((p.ac + p.bc) * (p.ac + p.bc) * (p.ac + p.bc + 1));
    double mean = mt - mc, sd = sqrt(vt + vc);
    r->mean = mean;
    double targets[2] = {alpha / 2, 1 - alpha / 2}, *outs[2] = {&r->ci_lo, &r->ci_hi};
    for (int k = 0; k < 2; k++) {
        double lo = fmax(-1, mean - 20 * sd), hi = fmin(1, mean + 20 * sd);
        for (int it = 0; it < 100 && hi - lo > 1e-12 * fmax(1e-3, fabs(mean) + sd); it++) {
            double mid = 0.5 * (lo + hi), c = diff_cdf(&p, mid);
            if (isnan(c))
                return dcx_error_set(err, DCX_ECONV, "credible interval did not converge");
            if (c < targets[k])
                lo = mid;
            else
                hi = mid;
        }
        *outs[k] = 0.5 * (lo + hi);
    }
    return DCX_OK;
}

dcx_status_t dcx_bayes_beta(double x_t, double n_t, double x_c, double n_c, double alpha,
                            dcx_bayes_result_t *r, dcx_error_t *err)
{
    r->prob_beat_control = r->expected_loss = r->ci_lo = r->ci_hi = r->mean = NAN;
    if (!(x_t >= 0 && x_t <= n_t && x_c >= 0 && x_c <= n_c) || !isfinite(n_t) || !isfinite(n_c))
        return dcx_error_set(err, DCX_EINVAL, "counts must satisfy 0 <= x <= n");
    if (!(alpha > 0 && alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "alpha must be in (0, 1)");
    beta_pair_t p = {1 + x_t, 1 + n_t - x_t, 1 + x_c, 1 + n_c - x_c, 0, 0, NULL};
    if (!(p.w = gsl_integration_workspace_alloc(1000)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    dcx_status_t st = beta_posterior(&p, alpha, r, err);
    gsl_integration_workspace_free(p.w);
    return st;
}

dcx_status_t dcx_bayes_normal(double diff, double se, double alpha, dcx_bayes_result_t *r,
                              dcx_error_t *err)
{
    r->prob_beat_control = r->expected_loss = r->ci_lo = r->ci_hi = r->mean = NAN;
    if (!(se > 0) || !isfinite(se) || !isfinite(diff))
        return dcx_error_set(err, DCX_EDOM, "standard error is 0 or undefined");
    if (!(alpha > 0 && alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "alpha must be in (0, 1)");
    double z = diff / se;
    r->prob_beat_control = dcx_dist_norm_cdf(z, 1);
    r->expected_loss = se * gsl_ran_ugaussian_pdf(z) - diff * dcx_dist_norm_cdf(-z, 1);
    r->mean = diff;
    double q = dcx_dist_norm_quantile(alpha / 2, 0);
    r->ci_lo = diff - q * se;
    r->ci_hi = diff + q * se;
    return DCX_OK;
}

double dcx_msprt_tau2_default(double alpha, double n, double v, double n_star)
{
    double l = -2 * log(alpha);
    double rho2 = (l + log(l + 1)) / n_star;
    return rho2 * n * v;
}

dcx_status_t dcx_msprt(double diff, double v, double tau2, double alpha, double *p_value,
                       double *ci_lo, double *ci_hi, dcx_error_t *err)
{
    *p_value = *ci_lo = *ci_hi = NAN;
    if (!(v > 0) || !isfinite(v))
        return dcx_error_set(err, DCX_EDOM, "variance of the difference is 0 or undefined");
    if (!(tau2 > 0) || !isfinite(tau2))
        return dcx_error_set(err, DCX_EINVAL, "mixture variance tau^2 must be > 0");
    if (!(alpha > 0 && alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "alpha must be in (0, 1)");
    /* log Λ, to stay finite when the evidence is overwhelming */
    double log_lambda = 0.5 * log(v / (v + tau2)) + tau2 * diff * diff / (2 * v * (v + tau2));
    *p_value = log_lambda <= 0 ? 1.0 : fmin(1.0, exp(-log_lambda));
    double half = sqrt(v * (v + tau2) / tau2 * (-2 * log(alpha) + log((v + tau2) / v)));
    *ci_lo = diff - half;
    *ci_hi = diff + half;
    return DCX_OK;
}

double dcx_msprt_half_one_sided(double v, double tau2, double alpha)
{
    if (!(v > 0) || !(tau2 > 0) || !(alpha > 0))
        return NAN;
    return sqrt(2 * v * (v + tau2) / tau2 * log1p(sqrt((v + tau2) / v) / (2 * alpha)));
}

dcx_status_t dcx_msprt_one_sided(double diff, double v, double tau2, double alpha, int dir,
                                 double *p_value, double *bound, dcx_error_t *err)
{
    *p_value = *bound = NAN;
    if (!(v > 0) || !isfinite(v))
        return dcx_error_set(err, DCX_EDOM, "variance of the difference is 0 or undefined");
    if (!(tau2 > 0) || !isfinite(tau2))
        return dcx_error_set(err, DCX_EINVAL, "mixture variance tau^2 must be > 0");
    if (!(alpha > 0 && alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "alpha must be in (0, 1)");
    double h = dcx_msprt_half_one_sided(v, tau2, alpha), e = dir < 0 ? -diff : diff;
    *bound = dir < 0 ? diff + h : diff - h;
    /* the level at which the bound reaches 0: ln(1 + c/(2a)) = e²τ²/(2V(V + τ²)) */
    if (!(e > 0)) {
        *p_value = 1;
    } else {
        double c = sqrt((v + tau2) / v), k = e * e * tau2 / (2 * v * (v + tau2));
        *p_value = fmin(1, c / (2 * expm1(k)));
    }
    return DCX_OK;
}
