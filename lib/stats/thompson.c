/* thompson.c — Thompson-sampling weights for a multi-armed bandit: each arm's chance of being
 * the best (and the second best) under independent normal posteriors, by numerical
 * integration rather than sampling, so the weights are exact and reproducible. */
#include "dcx/stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

typedef struct {
    const double *mu, *sd;
    size_t k, i;
    int second; /* 0: P(arm i is the largest); 1: P(arm i is the second largest) */
} th_t;

static double phi(double z) { return exp(-0.5 * z * z) / sqrt(2 * M_PI); }

/* the density of arm i at x times P(the others are placed as asked) */
static double integrand(double x, void *vp)
{
    const th_t *p = vp;
    double f = phi((x - p->mu[p->i]) / p->sd[p->i]) / p->sd[p->i];
    if (f == 0)
        return 0;
    if (!p->second) {
        for (size_t j = 0; j < p->k; j++)
            if (j != p->i)
                f *= dcx_dist_norm_cdf((x - p->mu[j]) / p->sd[j], 1);
        return f;
    }
    /* exactly one other arm above x: Σ_m P(m > x) Π_{j≠i,m} P(j < x) */
    double s = 0;
    for (size_t m = 0; m < p->k; m++) {
        if (m == p->i)
            continue;
        double t = dcx_dist_norm_cdf((x - p->mu[m]) / p->sd[m], 0);
        for (size_t j = 0; j < p->k && t > 0; j++)
            if (j != p->i && j != m)
                t *= dcx_dist_norm_cdf((x - p->mu[j]) / p->sd[j], 1);
        s += t;
    }
    return f * s;
}

dcx_status_t dcx_thompson(const double *mu, const double *sd, size_t k, double *p_best,
                          double *p_second, dcx_error_t *err)
{
    if (k < 2)
        return dcx_error_set(err, DCX_EINVAL, "a bandit needs at least two arms");
    for (size_t i = 0; i < k; i++)
        if (!isfinite(mu[i]) || !(sd[i] > 0) || !isfinite(sd[i]))
            return dcx_error_set(err, DCX_EDOM, "arm %zu has no posterior (mean %g, sd %g)", i + 1,
                                 mu[i], sd[i]);
    dcx_stats_init();
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    if (!w)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    dcx_status_t st = DCX_OK;
    for (int second = 0; second < 2 && !st; second++) {
        double *out = second ? p_second : p_best;
        if (!out)
            continue;
        for (size_t i = 0; i < k && !st; i++) {
            th_t p = {mu, sd, k, i, second};
            gsl_function fn = {integrand, &p};
            double r, e;
            /* arm i's posterior holds all but 1e-30 of its mass within 12 sd of its mean */
            int rc = gsl_integration_qag(&fn, mu[i] - 12 * sd[i], mu[i] + 12 * sd[i], 1e-13, 1e-10,
                                         1000, GSL_INTEG_GAUSS41, w, &r, &e);
            if (rc && rc != GSL_EROUND)
                st = dcx_error_set(err, DCX_ECONV, "the chance that arm %zu is best did not converge",
                                   i + 1);
            out[i] = fmin(1, fmax(0, r));
        }
    }
    gsl_integration_workspace_free(w);
    return st;
}

dcx_status_t dcx_thompson_weights(const double *mu, const double *sd, size_t k, int top_two,
                                  double min_weight, double *p_best, double *weight,
                                  dcx_error_t *err)
{
    if (!(min_weight >= 0 && min_weight * (double)k < 1))
        return dcx_error_set(err, DCX_EINVAL, "the minimum weight must be in [0, 1/%zu)", k);
    double *second = top_two ? malloc(k * sizeof *second) : NULL;
    if (top_two && !second)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    dcx_status_t st = dcx_thompson(mu, sd, k, p_best, second, err);
    if (!st) {
        double sum = 0;
        for (size_t i = 0; i < k; i++) {
            weight[i] = top_two ? (p_best[i] + second[i]) / 2 : p_best[i];
            weight[i] = fmax(weight[i], min_weight);
            sum += weight[i];
        }
        for (size_t i = 0; i < k; i++)
            weight[i] /= sum;
    }
    free(second);
    return st;
}
