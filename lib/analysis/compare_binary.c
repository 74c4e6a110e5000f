/* compare_binary.c — binary metrics (a 0/1 per unit: conversion rates). Each arm is a
 * proportion p with per-unit variance p(1 − p); the test is the two-proportion z test as
 * R's prop.test gives it, or with --test fisher Fisher's exact test, or with --test welch
 * Welch's t on the 0/1 values; the posterior is Beta-Binomial; small expected cell counts
 * are warned about. */
#include "analyze_internal.h"

#include <math.h>
#include <stdio.h>

static void binary_arms(const run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                        cmp_t *r, arm_t a[2])
{
    (void)x, (void)m;
    const cell_t *cells[2] = {c, t};
    for (int k = 0; k < 2; k++) {
        double n = cells[k]->m.n, p = cells[k]->ones / n;
        a[k].n = n;
        a[k].mean = p;
        a[k].var = p * (1 - p);
        a[k].est_var = a[k].var / n;
        *(k ? &r->mean_t : &r->mean_c) = p;
        *(k ? &r->sd_t : &r->sd_c) = sqrt(a[k].var);
    }
}

static dcx_status_t binary_test(const run_t *x, const cell_t *c, const cell_t *t,
                                const arm_t a[2], cmp_t *r, dcx_error_t *err)
{
    if (x->test == T_WELCH)
        return cmp_test_welch(x, a, 1, r, err);
    /* auto, z and fisher (and mann-whitney, which binary metrics do not take) */
    dcx_test_result_t tr;
    dcx_status_t st = dcx_test_prop(t->ones, t->m.n, c->ones, c->m.n, x->o->alpha, &tr, err);
    r->test = "z";
    r->stat = tr.statistic, r->p = tr.p_value;
    if (x->test == T_FISHER) {
        double p, orr;
        dcx_test_fisher(t->ones, t->m.n - t->ones, c->ones, c->m.n - c->ones, &p, &orr, err);
        r->p = p;
        r->stat = orr;
        r->test = "fisher";
        st = DCX_OK;
    }
    return st;
}

/* Small arms, and an expected cell count below 5 (of the 2×2 table under the pooled
 * rate): the normal approximation is rough, Fisher's test is not. */
static void binary_approx(run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                          const arm_t a[2], const char *where)
{
    cmp_warn_small_arm(x, m, a, where, "fisher");
    double pbar = (t->ones + c->ones) / (t->m.n + c->m.n);
    double emin = fmin(fmin(pbar * a[0].n, (1 - pbar) * a[0].n),
                       fmin(pbar * a[1].n, (1 - pbar) * a[1].n));
    if (emin < 5) {
        char kind[300];
        snprintf(kind, sizeof kind, "small-cell\n%s", m->name);
        run_warn_repeat(x, kind, "an expected cell count is below 5",
                        "metric '%s' (%s): an expected cell count is below 5%s", m->name, where,
                        x->d.strat_col ? "" : " (try --test fisher)"); /* ps refuses fisher */
    }
}

static dcx_status_t binary_posterior(const cell_t *c, const cell_t *t, double alpha,
                                     dcx_bayes_result_t *b, dcx_error_t *err)
{
    return dcx_bayes_beta(t->ones, t->m.n, c->ones, c->m.n, alpha, b, err);
}

const cmp_family_t cmp_binary = {binary_arms, binary_test, binary_approx, binary_posterior,
                                 "beta-binomial", 1};
