/* analyze.c — `dcx analyze`: every treatment against control, for every metric, overall
 * and per segment level; SRM, heterogeneity, corrections, timeline; one document. */
#include "dcx/analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cells.h"
#include "design.h"
#include "sort_idx.h"
#include "dcx/dcx.h"
#include "doc_util.h"
#include "numparse.h"

typedef enum { M_FREQ, M_BAYES, M_SEQ } method_t;

typedef enum { T_AUTO, T_Z, T_FISHER, T_WELCH, T_MW } test_t;

typedef struct {
    size_t m, level, t;
    double n_c, n_t, miss_c, miss_t, mean_c, mean_t, sd_c, sd_t;
    double diff, lo, hi, lift, lift_lo, lift_hi, stat, p, padj, se;
    int sig; /* 1, 0, or -1 when unknown */
    double pbc, loss, cr_lo, cr_hi, theta, vr;
    const char *test;
    char *note;      /* "; "-separated, malloc'd; NULL when nothing to say */
} cmp_t;

typedef struct {
    const dcx_analyze_opts_t *o;
    data_t d;
    method_t method;
    test_t test;
    dcx_adjust_t adjust;
    design_t design;        /* as stated by --config, --variants, --weights */
    size_t *order;          /* variants in report order */
    size_t nvar;            /* variants known (designed + observed) */
    char **names;           /* names of order[i] */
    double *share;          /* designed share of order[i] (NaN: not in the design) */
    unsigned char *designed;
    size_t control;
    size_t *treat, ntreat;  /* the treatments, in report order */
    size_t *levels, nlev;   /* levels in report order: all, then each segment's */
    size_t *seg_lo, *seg_hi;
    int quiet;              /* the timeline's comparisons give no warnings */
    dcx_strlist_t warnings;
    dcx_strmap_t warned;    /* warnings already given (each is given once) */
    dcx_strmap_t kinds;     /* warnings that repeat per comparison: kind -> index */
    size_t *kind_n;         /* how many of each kind, of which the first few are shown */
    char **kind_what;       /* what they say, for the summary line */
    size_t kind_cap;
} run_t;

static void note(cmp_t *r, const char *fmt, const char *arg)
{
    char msg[300];
    if (snprintf(msg, sizeof msg, fmt, arg ? arg : "") < 0)
        return;
    if (r->note && strstr(r->note, msg))
        return;
    size_t len = r->note ? strlen(r->note) : 0, add = strlen(msg) + (len ? 2 : 0);
    char *p = realloc(r->note, len + add + 1);
    if (!p)
        return; /* a note is lost; the numbers are not */
    snprintf(p + len, add + 1, "%s%s", len ? "; " : "", msg);
    r->note = p;
}

static void warn(run_t *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void warn(run_t *x, const char *fmt, ...)
{
    if (x->quiet)
        return;
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t len = strlen(buf);
    long before = (long)x->warned.n, k = dcx_strmap_put(&x->warned, buf, len);
    if (k >= 0 && k == before)
        dcx_strlist_push(&x->warnings, buf);
}

#define REPEATS_SHOWN 3

/* A warning that can repeat for every segment level: the first few are given in full,
 * the rest counted and summed up in one line at the end (warn_repeats_done), so that a
 * segment with 200,000 levels gives a readable list, in linear time. */
static void warn_repeat(run_t *x, const char *kind, const char *what, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void warn_repeat(run_t *x, const char *kind, const char *what, const char *fmt, ...)
{
    if (x->quiet)
        return;
    long k = dcx_strmap_put(&x->kinds, kind, strlen(kind));
    if (k < 0)
        return;
    if ((size_t)k >= x->kind_cap) {
        size_t cap = x->kind_cap ? x->kind_cap * 2 : 8;
        size_t *n = realloc(x->kind_n, cap * sizeof *n);
        if (!n)
            return;
        x->kind_n = n;
        char **w = realloc(x->kind_what, cap * sizeof *w);
        if (!w)
            return;
        x->kind_what = w;
        for (size_t i = x->kind_cap; i < cap; i++)
            x->kind_n[i] = 0, x->kind_what[i] = NULL;
        x->kind_cap = cap;
    }
    if (!x->kind_what[k])
        x->kind_what[k] = strdup(what);
    if (x->kind_n[k]++ >= REPEATS_SHOWN)
        return;
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    warn(x, "%s", buf);
}

static void warn_repeats_done(run_t *x)
{
    for (size_t k = 0; k < x->kinds.n; k++)
        if (x->kind_n[k] > REPEATS_SHOWN)
            warn(x, "... and %zu more comparisons where %s", x->kind_n[k] - REPEATS_SHOWN,
                 x->kind_what[k] ? x->kind_what[k] : "the same holds");
}

static void warn_free(run_t *x)
{
    for (size_t k = 0; k < x->kinds.n && k < x->kind_cap; k++)
        free(x->kind_what[k]);
    free(x->kind_what);
    free(x->kind_n);
    dcx_strmap_free(&x->kinds);
    dcx_strmap_free(&x->warned);
    dcx_strlist_free(&x->warnings);
}

typedef struct {
    double n, mean, var; /* per-unit variance of the arm's estimate */
    double est_var;      /* variance of the arm's estimate (var / n, or delta method) */
} arm_t;

static const char *level_label(const run_t *x, size_t level, char *buf, size_t len)
{
    const level_t *l = &x->d.levels[level];
    if (l->seg < 0)
        snprintf(buf, len, "all units");
    else
        snprintf(buf, len, "%s=%s", x->d.segs[l->seg], l->value);
    return buf;
}

/* Fills one comparison of treatment cell t against control cell c. */
static void compare(run_t *x, size_t mi, const cell_t *c, const cell_t *t, cmp_t *r,
                    const char *where)
{
    const metric_t *m = &x->d.metrics[mi];
    double alpha = x->o->alpha;
    dcx_error_t err;
    dcx_error_clear(&err);
    r->n_c = c->m.n, r->n_t = t->m.n;
    r->miss_c = c->missing, r->miss_t = t->missing;
    r->mean_c = r->mean_t = r->sd_c = r->sd_t = NAN;
    r->diff = r->lo = r->hi = r->lift = r->lift_lo = r->lift_hi = r->stat = r->p = r->padj = NAN;
    r->se = r->pbc = r->loss = r->cr_lo = r->cr_hi = r->theta = r->vr = NAN;
    r->sig = -1;
    r->test = NULL;
    if (c->m.n == 0 || t->m.n == 0) {
        note(r, "no units with a value in the %s arm", c->m.n == 0 ? "control" : "treatment");
        return;
    }
    mtype_t type = m->type;
    int cuped = m->cov != NULL;
    arm_t a[2]; /* 0 control, 1 treatment */
    const cell_t *cells[2] = {c, t};
    if (cuped) {
        dcx_moments_t pooled = c->m;
        dcx_moments_merge(&pooled, &t->m);
        double vx = dcx_moments_var_y(&pooled), vy = dcx_moments_var_x(&pooled);
        double cxy = dcx_moments_cov_xy(&pooled), xbar = dcx_moments_mean_y(&pooled);
        double theta = vx > 0 ? cxy / vx : 0;
        if (!(vx > 0))
            note(r, "covariate '%s' is constant: no CUPED adjustment", m->cov);
        r->theta = theta;
        double vyadj = vy - 2 * theta * cxy + theta * theta * vx;
        r->vr = vy > 0 ? 1 - vyadj / vy : NAN;
        if (isnan(r->vr))
            note(r, "outcome has zero variance: variance reduction undefined", NULL);
        for (int k = 0; k < 2; k++) {
            const dcx_moments_t *mm = &cells[k]->m;
            double my = dcx_moments_mean_x(mm), mx = dcx_moments_mean_y(mm);
            double v = dcx_moments_var_x(mm) - 2 * theta * dcx_moments_cov_xy(mm)
                       + theta * theta * dcx_moments_var_y(mm);
            a[k].n = mm->n;
            a[k].mean = my - theta * (mx - xbar);
            a[k].var = v < 0 ? 0 : v;
            a[k].est_var = a[k].var / a[k].n;
        }
        type = MT_MEAN;
    } else {
        for (int k = 0; k < 2; k++) {
            const cell_t *cc = cells[k];
            double n = cc->m.n;
            a[k].n = n;
            switch (type) {
            case MT_BINARY:
            case MT_AUTO: {
                double p = cc->ones / n;
                a[k].mean = p;
                a[k].var = p * (1 - p);
                a[k].est_var = a[k].var / n;
                break;
            }
            case MT_MEAN:
                a[k].mean = dcx_moments_mean_x(&cc->m);
                a[k].var = n > 1 ? dcx_moments_var_x(&cc->m) : NAN;
                a[k].est_var = a[k].var / n;
                break;
            case MT_RATIO: {
                double ratio, vr;
                if (dcx_ratio_delta(n, dcx_moments_mean_x(&cc->m), dcx_moments_mean_y(&cc->m),
                                    dcx_moments_var_x(&cc->m), dcx_moments_var_y(&cc->m),
                                    dcx_moments_cov_xy(&cc->m), &ratio, &vr, &err)) {
                    note(r, "%s", err.message);
                    ratio = n > 0 && dcx_moments_mean_y(&cc->m) != 0
                                ? dcx_moments_mean_x(&cc->m) / dcx_moments_mean_y(&cc->m)
                                : NAN;
                }
                a[k].mean = ratio;
                a[k].est_var = vr;
                a[k].var = vr * n;
                break;
            }
            case MT_NPS: {
                double pp = cc->ones / n, pd = cc->neg / n;
                double unit = pp + pd - (pp - pd) * (pp - pd);
                a[k].mean = 100 * (pp - pd);
                a[k].var = 1e4 * unit;
                a[k].est_var = 1e4 * unit / n;
                break;
            }
            }
        }
    }
    r->mean_c = a[0].mean, r->mean_t = a[1].mean;
    r->sd_c = sqrt(a[0].var), r->sd_t = sqrt(a[1].var);
    r->diff = a[1].mean - a[0].mean;
    r->se = sqrt(a[0].est_var + a[1].est_var);
    if (!isfinite(r->diff)) {
        note(r, "the estimate is undefined", NULL);
        r->diff = NAN;
        return;
    }
    /* relative lift, delta method (not for NPS) */
    if (type != MT_NPS) {
        dcx_arm_t lt = {a[1].n, a[1].mean, a[1].var}, lc = {a[0].n, a[0].mean, a[0].var};
        dcx_test_result_t lr;
        if (dcx_lift_delta(&lt, &lc, alpha, &lr, &err) == DCX_OK) {
            r->lift = lr.estimate, r->lift_lo = lr.ci_lo, r->lift_hi = lr.ci_hi;
        } else {
            r->lift = isfinite(lr.estimate) ? lr.estimate : NAN;
            note(r, "lift: %s", err.message);
        }
    }
    if (!(r->se > 0)) {
        if (type == MT_MEAN && x->method == M_FREQ && x->test != T_Z && x->test != T_MW) {
            /* Welch still reports the reason */
        }
        note(r, "both arms have zero variance: no test is possible", NULL);
        char kind[300];
        snprintf(kind, sizeof kind, "zero-variance\n%s", m->name);
        warn_repeat(x, kind, "both arms have zero variance",
                    "metric '%s' (%s): both arms have zero variance, no test is possible", m->name,
                    where);
        r->lo = r->hi = NAN;
        return;
    }
    dcx_test_result_t tr;
    /* the frequentist interval and test (also the reference interval for bayesian) */
    test_t test = x->test;
    int binary = type == MT_BINARY || type == MT_AUTO;
    if (test == T_FISHER && !binary)
        test = T_AUTO;
    if (test == T_MW && type != MT_MEAN)
        test = T_AUTO;
    if (test == T_WELCH && (type == MT_RATIO || type == MT_NPS))
        test = T_AUTO;
    dcx_status_t st = DCX_OK;
    if (binary && (test == T_AUTO || test == T_Z || test == T_FISHER)) {
        st = dcx_test_prop(t->ones, t->m.n, c->ones, c->m.n, alpha, &tr, &err);
        r->test = "z";
        r->lo = tr.ci_lo, r->hi = tr.ci_hi, r->stat = tr.statistic, r->p = tr.p_value;
        if (test == T_FISHER) {
            double p, orr;
            dcx_test_fisher(t->ones, t->m.n - t->ones, c->ones, c->m.n - c->ones, &p, &orr, &err);
            r->p = p;
            r->stat = orr;
            r->test = "fisher";
            st = DCX_OK;
        }
    } else if (type == MT_RATIO || type == MT_NPS || test == T_Z) {
        st = dcx_test_z(r->diff, r->se, alpha, &tr, &err);
        r->test = "z";
        r->lo = tr.ci_lo, r->hi = tr.ci_hi, r->stat = tr.statistic, r->p = tr.p_value;
    } else {
        /* Welch: binary (with --test welch) uses the unbiased variance of the 0/1 values */
        dcx_arm_t wt = {a[1].n, a[1].mean, binary ? a[1].var * a[1].n / (a[1].n - 1) : a[1].var},
                  wc = {a[0].n, a[0].mean, binary ? a[0].var * a[0].n / (a[0].n - 1) : a[0].var};
        st = dcx_test_welch(&wt, &wc, alpha, &tr, &err);
        r->test = "welch";
        r->lo = tr.ci_lo, r->hi = tr.ci_hi, r->stat = tr.statistic, r->p = tr.p_value;
        if (test == T_MW) {
            dcx_test_result_t mw;
            if (dcx_test_mann_whitney(t->vals, t->nvals, c->vals, c->nvals, &mw, &err) == DCX_OK) {
                r->p = mw.p_value;
                r->stat = mw.statistic;
                r->test = "mann-whitney";
            } else {
                r->p = r->stat = NAN;
                note(r, "Mann-Whitney: %s", err.message);
                r->test = "mann-whitney";
            }
            st = DCX_OK;
        }
    }
    if (st && st != DCX_EDOM)
        note(r, "%s", err.message);
    else if (st == DCX_EDOM)
        note(r, "%s", err.message);
    if (x->test == T_AUTO && x->method == M_FREQ) {
        char kind[300];
        if (a[0].n < 30 || a[1].n < 30) {
            snprintf(kind, sizeof kind, "small-arm\n%s", m->name);
            warn_repeat(x, kind, "an arm has fewer than 30 units",
                        "metric '%s' (%s): an arm has fewer than 30 units; the normal "
                        "approximation is rough (try --test %s)",
                        m->name, where, binary ? "fisher" : "mann-whitney");
        }
        if (binary && !cuped) {
            double pbar = (t->ones + c->ones) / (t->m.n + c->m.n);
            double emin = fmin(fmin(pbar * a[0].n, (1 - pbar) * a[0].n),
                               fmin(pbar * a[1].n, (1 - pbar) * a[1].n));
            if (emin < 5) {
                snprintf(kind, sizeof kind, "small-cell\n%s", m->name);
                warn_repeat(x, kind, "an expected cell count is below 5",
                            "metric '%s' (%s): an expected cell count is below 5 (try --test "
                            "fisher)",
                            m->name, where);
            }
        }
    }
    if (x->method == M_BAYES) {
        dcx_bayes_result_t b;
        st = binary && !cuped ? dcx_bayes_beta(t->ones, t->m.n, c->ones, c->m.n, alpha, &b, &err)
                              : dcx_bayes_normal(r->diff, r->se, alpha, &b, &err);
        r->test = binary && !cuped ? "beta-binomial" : "normal-posterior";
        if (st) {
            note(r, "%s", err.message);
        } else {
            r->pbc = b.prob_beat_control, r->loss = b.expected_loss;
            r->cr_lo = b.ci_lo, r->cr_hi = b.ci_hi;
            r->sig = b.ci_lo > 0 || b.ci_hi < 0;
        }
        r->stat = r->p = NAN;
    } else if (x->method == M_SEQ) {
        double v = r->se * r->se, n = a[0].n + a[1].n;
        double tau2 = !isnan(x->o->tau) ? x->o->tau
                                        : dcx_msprt_tau2_default(alpha, n, v, x->o->tuning);
        double p, lo, hi;
        if (dcx_msprt(r->diff, v, tau2, alpha, &p, &lo, &hi, &err)) {
            note(r, "%s", err.message);
            r->p = r->lo = r->hi = NAN;
        } else {
            r->p = p, r->lo = lo, r->hi = hi;
        }
        r->stat = r->diff / r->se;
        r->test = "msprt";
    }
}

/* ---- ordering ------------------------------------------------------------------------ */

/* byte order of two strmap keys (lengths respected) */
static int cmp_keys(const dcx_strmap_t *m, size_t x, size_t y)
{
    size_t lx = m->lens[x], ly = m->lens[y];
    int c = memcmp(m->keys[x], m->keys[y], lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

static int cmp_variant(const void *ctx, size_t a, size_t b)
{
    return cmp_keys(&((const data_t *)ctx)->variants, a, b);
}

/* The variants in report order and their designed shares. The design is what the user
 * states (--config, --variants, --weights); without one, the observed variants in sort
 * order with equal shares. A variant in the data but not in the design is compared like
 * any other, but is an SRM mismatch of its own. */
static dcx_status_t order_variants(run_t *x, dcx_error_t *err)
{
    dcx_status_t st = design_build(x->o->config, &x->o->weights, &x->o->variants, &x->design, err);
    if (st)
        return st;
    const design_t *ds = &x->design;
    size_t nobs = x->d.variants.n;
    int named = ds->n && !ds->equal_unnamed;
    size_t total = nobs + (named ? ds->n : 0);
    x->names = calloc(total + 1, sizeof *x->names);
    x->order = calloc(total + 1, sizeof *x->order);
    x->share = calloc(total + 1, sizeof *x->share);
    x->designed = calloc(total + 1, 1);
    unsigned char *listed = calloc(total + 1, 1);
    size_t *observed = calloc(nobs + 1, sizeof *observed);
    if (!x->names || !x->order || !x->share || !x->designed || !listed || !observed) {
        free(listed);
        free(observed);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t n = 0;
    /* designed variants first, in the design's order; they may have no units */
    for (size_t i = 0; named && i < ds->n; i++) {
        long v = dcx_strmap_put(&x->d.variants, ds->names[i], strlen(ds->names[i]));
        if (v < 0 || data_reserve_variant(&x->d, (size_t)v, err)) {
            free(listed);
            free(observed);
            return v < 0 ? dcx_error_set(err, DCX_ENOMEM, "out of memory") : err->code;
        }
        listed[v] = 1;
        x->designed[n] = 1;
        x->share[n] = ds->shares[i];
        x->order[n] = (size_t)v;
        x->names[n++] = x->d.variants.keys[v];
        if (x->d.levels[0].units[v] == 0)
            warn(x, "variant '%s' has no units", ds->names[i]);
    }
    /* then the observed variants not in it, in sort order */
    size_t no = 0;
    for (size_t v = 0; v < nobs; v++)
        if (!listed[v])
            observed[no++] = v;
    if (dcx_sort_idx(observed, no, cmp_variant, &x->d)) {
        free(listed);
        free(observed);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    if (ds->equal_unnamed && ds->n != no) {
        free(listed);
        free(observed);
        return dcx_error_set(err, DCX_EINVAL, "%zu --weights for %zu variants in the data", ds->n, no);
    }
    for (size_t i = 0; i < no; i++) {
        size_t v = observed[i];
        if (named)
            warn(x, "variant '%s' is in the data but not in the design (%s): it counts as a "
                    "sample ratio mismatch",
                 x->d.variants.keys[v], ds->from_config ? "--config" : "--variants/--weights");
        x->designed[n] = !named;
        x->share[n] = ds->equal_unnamed ? ds->shares[i] : NAN;
        x->order[n] = v;
        x->names[n++] = x->d.variants.keys[v];
    }
    x->nvar = n;
    free(listed);
    free(observed);
    if (n < 2)
        return dcx_error_set(err, DCX_EPARSE, "need at least two variants, found %zu%s%s", n,
                             n ? ": " : "", n ? x->names[0] : "");
    /* shares: as designed, else equal over the designed variants */
    size_t nd = 0, known = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (x->designed[i]) {
            nd++;
            if (!isnan(x->share[i]))
                known++, sum += x->share[i];
        }
    if (known && known != nd)
        return dcx_error_set(err, DCX_EINVAL, "the design gives shares for %zu of %zu variants", known, nd);
    if (known && fabs(sum - 1) > 0.01)
        return dcx_error_set(err, DCX_EINVAL, "the designed shares sum to %g, not 1", sum);
    for (size_t i = 0; i < n; i++)
        if (x->designed[i] && !known)
            x->share[i] = 1.0 / (double)nd;
    /* control: --control, else the config's first variant, else "control", else the
     * first in sort order */
    const char *want = x->o->control;
    long cv = -1;
    if (want) {
        cv = dcx_strmap_get(&x->d.variants, want, strlen(want));
        if (cv < 0)
            return dcx_error_set(err, DCX_EINVAL, "--control '%s' is not a variant in the data",
                                 want);
    } else if (ds->from_config) {
        cv = (long)x->order[0];
    } else if ((cv = dcx_strmap_get(&x->d.variants, "control", 7)) < 0) {
        size_t first = x->order[0];
        for (size_t i = 1; i < n; i++)
            if (cmp_keys(&x->d.variants, x->order[i], first) < 0)
                first = x->order[i];
        cv = (long)first;
    }
    x->control = (size_t)cv;
    x->treat = calloc(n, sizeof *x->treat);
    if (!x->treat)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (x->order[i] != x->control)
            x->treat[x->ntreat++] = x->order[i];
    return DCX_OK;
}

static int cmp_level(const void *ctx, size_t a, size_t b)
{
    const data_t *d = ctx;
    return strcmp(d->levels[a].value, d->levels[b].value);
}

/* Levels in report order: all, then each segment column's levels in sort order;
 * seg_lo[s] .. seg_hi[s] are column s's positions in that order. */
static dcx_status_t order_levels(run_t *x, dcx_error_t *err)
{
    const data_t *d = &x->d;
    x->levels = malloc((d->nlevels + 1) * sizeof *x->levels);
    x->seg_lo = calloc(d->nseg + 1, sizeof *x->seg_lo);
    x->seg_hi = calloc(d->nseg + 1, sizeof *x->seg_hi);
    if (!x->levels || !x->seg_lo || !x->seg_hi)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    size_t k = 0;
    x->levels[k++] = 0;
    /* one pass to bucket the levels by column, then a sort within each */
    size_t *count = calloc(d->nseg + 1, sizeof *count);
    if (!count)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t l = 1; l < d->nlevels; l++)
        count[d->levels[l].seg]++;
    for (size_t s = 0; s < d->nseg; s++) {
        x->seg_lo[s] = x->seg_hi[s] = k;
        k += count[s];
    }
    for (size_t l = 1; l < d->nlevels; l++)
        x->levels[x->seg_hi[d->levels[l].seg]++] = l;
    free(count);
    for (size_t s = 0; s < d->nseg; s++)
        if (dcx_sort_idx(x->levels + x->seg_lo[s], x->seg_hi[s] - x->seg_lo[s], cmp_level, d))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    x->nlev = k;
    return DCX_OK;
}

static int cmp_period_number(const void *ctx, size_t a, size_t b)
{
    const data_t *d = ctx;
    double u = 0, v = 0;
    dcx_parse_number(d->periods[a].value, strlen(d->periods[a].value), &u);
    dcx_parse_number(d->periods[b].value, strlen(d->periods[b].value), &v);
    return (u > v) - (u < v);
}

static int cmp_period_text(const void *ctx, size_t a, size_t b)
{
    const data_t *d = ctx;
    return strcmp(d->periods[a].value, d->periods[b].value);
}

/* ---- document ------------------------------------------------------------------------ */

static void arm_doc(cJSON *parent, const char *key, double n, double missing, double mean,
                    double sd, int from_summary)
{
    cJSON *a = doc_obj(parent, key);
    doc_num(a, "n", n);
    if (from_summary)
        doc_num_or_null(a, "missing", NAN, "missing values are not in a summary");
    else
        doc_num(a, "missing", missing);
    doc_num_or_null(a, "mean", mean, "no units");
    doc_num_or_null(a, "sd", sd, n < 2 ? "fewer than 2 units" : "undefined");
}

/* The SRM check of one level's units: the chi-square over the designed variants against
 * their shares; a variant with units that is not in the design is a mismatch of its own. */
static void srm_doc(cJSON *o, const run_t *x, const double *units, int with_expected,
                    dcx_srm_result_t *res, int *ok)
{
    size_t n = x->nvar;
    double *counts = calloc(n + 1, sizeof *counts), *shares = calloc(n + 1, sizeof *shares),
           *expected = calloc(n + 1, sizeof *expected);
    dcx_error_t err;
    dcx_error_clear(&err);
    *ok = 0;
    res->mismatch = 0;
    if (!counts || !shares || !expected) {
        free(counts);
        free(shares);
        free(expected);
        return;
    }
    cJSON *c = doc_obj(o, "counts");
    size_t nd = 0;
    int stray = 0;
    for (size_t i = 0; i < n; i++) {
        double u = units[x->order[i]];
        doc_num_copykey(c, x->names[i], u);
        if (x->designed[i]) {
            counts[nd] = u;
            shares[nd++] = x->share[i];
        } else if (u > 0) {
            stray = 1;
        }
    }
    dcx_status_t st = nd >= 2 ? dcx_srm_check(counts, shares, nd, x->o->srm_threshold, expected, res, &err)
                              : dcx_error_set(&err, DCX_EDOM, "fewer than two designed variants");
    if (with_expected) {
        cJSON *e = doc_obj(o, "expected");
        for (size_t i = 0, k = 0; i < n; i++)
            doc_num_copykey(e, x->names[i], x->designed[i] ? (st ? NAN : expected[k++]) : 0);
    }
    doc_num_or_null(o, "chi2", st ? NAN : res->chi2, err.message);
    doc_num_or_null(o, "p_value", st ? NAN : res->p_value, err.message);
    if (stray) {
        doc_bool(o, "mismatch", 1);
        doc_note(o, "a variant with units is not in the design");
        res->mismatch = 1;
        *ok = 1;
    } else if (st) {
        doc_null(o, "mismatch");
    } else {
        doc_bool(o, "mismatch", res->mismatch);
        *ok = 1;
    }
    free(counts);
    free(shares);
    free(expected);
}

static void interval(cJSON *o, const char *key, double lo, double hi)
{
    if (isfinite(lo) && isfinite(hi))
        doc_interval(o, key, lo, hi, NULL);
    else
        doc_null(o, key);
}

static cJSON *result_doc(const run_t *x, const cmp_t *r)
{
    const data_t *d = &x->d;
    const metric_t *m = &d->metrics[r->m];
    const level_t *l = &d->levels[r->level];
    cJSON *o = cJSON_CreateObject();
    doc_str(o, "metric", m->name);
    doc_str(o, "type", mtype_name(m->type));
    doc_str(o, "segment", l->seg < 0 ? "all" : d->segs[l->seg]);
    doc_str(o, "segment_value", l->value);
    doc_str(o, "variant", d->variants.keys[r->t]);
    arm_doc(o, "control", r->n_c, r->miss_c, r->mean_c, r->sd_c, d->from_summary);
    arm_doc(o, "treatment", r->n_t, r->miss_t, r->mean_t, r->sd_t, d->from_summary);
    doc_num(o, "diff", r->diff);
    interval(o, "diff_ci", r->lo, r->hi);
    doc_num(o, "lift", r->lift);
    interval(o, "lift_ci", r->lift_lo, r->lift_hi);
    doc_num(o, "statistic", r->stat);
    doc_num(o, "p_value", r->p);
    doc_num(o, "p_adjusted", r->padj);
    if (r->sig < 0)
        doc_null(o, "significant");
    else
        doc_bool(o, "significant", r->sig);
    doc_num(o, "prob_beat_control", r->pbc);
    doc_num(o, "expected_loss", r->loss);
    interval(o, "credible_interval", r->cr_lo, r->cr_hi);
    doc_num(o, "theta", r->theta);
    doc_num(o, "variance_reduction", r->vr);
    doc_str(o, "test", r->test);
    if (m->type == MT_NPS)
        note((cmp_t *)r, "lift is not defined for NPS", NULL);
    if (r->note)
        doc_str(o, "note", r->note);
    return o;
}

/* ---- the run ---------------------------------------------------------------------------- */

static dcx_status_t parse_options(run_t *x, dcx_error_t *err)
{
    const dcx_analyze_opts_t *o = x->o;
    if (!o->input == !o->summary.n)
        return dcx_error_set(err, DCX_EINVAL, "give --input UNITS.csv or --summary STATS.csv");
    if (!(o->alpha > 0 && o->alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "--alpha must be in (0, 1)");
    const char *m = o->method ? o->method : "frequentist";
    x->method = !strcmp(m, "bayesian") ? M_BAYES : !strcmp(m, "sequential") ? M_SEQ : M_FREQ;
    const char *t = o->test ? o->test : "auto";
    x->test = !strcmp(t, "z")              ? T_Z
              : !strcmp(t, "fisher")       ? T_FISHER
              : !strcmp(t, "welch")        ? T_WELCH
              : !strcmp(t, "mann-whitney") ? T_MW
                                           : T_AUTO;
    if ((x->test == T_FISHER || x->test == T_MW) && o->summary.n)
        return dcx_error_set(err, DCX_ENOTSUP,
                             "--test %s needs unit-level data: use --input, not --summary", t);
    if (x->test != T_AUTO && x->method != M_FREQ)
        return dcx_error_set(err, DCX_EINVAL, "--test goes with --method frequentist");
    dcx_status_t st = dcx_adjust_parse(o->correction ? o->correction : "none", &x->adjust, err);
    if (st)
        return st;
    if (o->time_column && o->summary.n)
        return dcx_error_set(err, DCX_ENOTSUP,
                             "--time-column needs unit-level data: use --input, not --summary");
    if (!(o->srm_threshold > 0 && o->srm_threshold < 1))
        return dcx_error_set(err, DCX_EINVAL, "--srm-threshold must be in (0, 1)");
    if (!(o->tuning > 0))
        return dcx_error_set(err, DCX_EINVAL, "--tuning must be > 0");
    if (!isnan(o->tau) && !(o->tau > 0))
        return dcx_error_set(err, DCX_EINVAL, "--tau must be > 0");
    return DCX_OK;
}

/* Row index of metric mi, level position li, treatment ti: rows are laid out in report
 * order, so every lookup is arithmetic. */
static size_t row_at(const run_t *x, size_t mi, size_t li, size_t ti)
{
    return (mi * x->nlev + li) * x->ntreat + ti;
}

/* The cumulative timeline, all units, one entry per metric × treatment × period; under
 * sequential the p-value is the running minimum, which also becomes the overall one. */
static dcx_status_t timeline_doc(run_t *x, cJSON *timeline, cmp_t *rows, dcx_error_t *err)
{
    const data_t *d = &x->d;
    if (!d->nperiods)
        return DCX_OK;
    size_t *po = malloc(d->nperiods * sizeof *po);
    if (!po)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    int numeric = 1;
    for (size_t p = 0; p < d->nperiods; p++) {
        double tmp;
        po[p] = p;
        if (!dcx_parse_number(d->periods[p].value, strlen(d->periods[p].value), &tmp))
            numeric = 0;
    }
    if (dcx_sort_idx(po, d->nperiods, numeric ? cmp_period_number : cmp_period_text, d)) {
        free(po);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    test_t saved_test = x->test;
    if (x->test == T_MW)
        x->test = T_AUTO; /* periods keep moments, not values */
    x->quiet = 1; /* early periods are small: their warnings would only repeat */
    for (size_t mi = 0; mi < d->nm; mi++)
        for (size_t ti = 0; ti < x->ntreat; ti++) {
            size_t v = x->treat[ti];
            cell_t cc, ct;
            memset(&cc, 0, sizeof cc);
            memset(&ct, 0, sizeof ct);
            double best = INFINITY;
            for (size_t pi = 0; pi < d->nperiods; pi++) {
                const level_t *pl = &d->periods[po[pi]];
                const cell_t *a = level_cell(d, pl, x->control, mi), *b = level_cell(d, pl, v, mi);
                dcx_moments_merge(&cc.m, &a->m);
                cc.ones += a->ones, cc.neg += a->neg, cc.missing += a->missing;
                dcx_moments_merge(&ct.m, &b->m);
                ct.ones += b->ones, ct.neg += b->neg, ct.missing += b->missing;
                cmp_t r;
                memset(&r, 0, sizeof r);
                compare(x, mi, &cc, &ct, &r, "timeline");
                if (x->method == M_SEQ && isfinite(r.p)) {
                    best = fmin(best, r.p);
                    r.p = best;
                }
                cJSON *e = cJSON_CreateObject();
                doc_str(e, "period", pl->value);
                doc_str(e, "metric", d->metrics[mi].name);
                doc_str(e, "variant", d->variants.keys[v]);
                doc_num(e, "n_control", cc.m.n);
                doc_num(e, "n_treatment", ct.m.n);
                doc_num(e, "diff", r.diff);
                interval(e, "diff_ci", r.lo, r.hi);
                doc_num(e, "p_value", r.p);
                if (r.note)
                    doc_str(e, "note", r.note);
                free(r.note);
                doc_push(timeline, e);
            }
            /* sequential: the overall p-value is the running minimum over periods */
            cmp_t *all = &rows[row_at(x, mi, 0, ti)];
            if (x->method == M_SEQ && isfinite(best) && isfinite(all->p))
                all->p = fmin(all->p, best);
        }
    x->quiet = 0;
    x->test = saved_test;
    free(po);
    return DCX_OK;
}

static void heterogeneity_doc(const run_t *x, cJSON *het, const cmp_t *rows, double *est, double *se)
{
    const data_t *d = &x->d;
    for (size_t mi = 0; mi < d->nm; mi++)
        for (size_t ti = 0; ti < x->ntreat; ti++)
            for (size_t sg = 0; sg < d->nseg; sg++) {
                size_t k = 0, levels_seen = 0;
                for (size_t li = x->seg_lo[sg]; li < x->seg_hi[sg]; li++) {
                    const cmp_t *r = &rows[row_at(x, mi, li, ti)];
                    levels_seen++;
                    if (isfinite(r->diff) && r->se > 0 && isfinite(r->se)) {
                        est[k] = r->diff;
                        se[k++] = r->se;
                    }
                }
                double q, df, p;
                dcx_error_t herr;
                dcx_error_clear(&herr);
                dcx_status_t hs = dcx_cochran_q(est, se, k, &q, &df, &p, &herr);
                cJSON *e = cJSON_CreateObject();
                doc_str(e, "metric", d->metrics[mi].name);
                doc_str(e, "variant", d->variants.keys[x->treat[ti]]);
                doc_str(e, "segment", d->segs[sg]);
                doc_num(e, "q", hs ? NAN : q);
                doc_num(e, "df", hs ? NAN : df);
                doc_num(e, "p_value", hs ? NAN : p);
                if (hs)
                    doc_str(e, "note", herr.message);
                else if (k < levels_seen)
                    doc_str(e, "note", "levels without a standard error are left out");
                doc_push(het, e);
            }
}

dcx_status_t dcx_analyze(const dcx_analyze_opts_t *o, cJSON **out, dcx_error_t *err)
{
    run_t x;
    memset(&x, 0, sizeof x);
    x.o = o;
    *out = NULL;
    cmp_t *rows = NULL;
    size_t nrows = 0;
    cJSON *doc = NULL, *timeline = NULL;
    double *pv = NULL, *est = NULL, *se = NULL;
    dcx_status_t st = parse_options(&x, err);
    if (st)
        return st;
    if ((st = data_init(&x.d, &o->metric, &o->segment, &o->cuped, o->time_column,
                        o->variant_column, x.test == T_MW, err)))
        goto done;
    if (o->input) {
        if ((st = data_read_units(&x.d, o->input, err)))
            goto done;
    } else {
        for (size_t i = 0; i < o->summary.n; i++)
            if ((st = data_read_summary(&x.d, o->summary.v[i], err)))
                goto done;
        if ((st = data_finish_summary(&x.d, err)))
            goto done;
    }
    if ((st = order_variants(&x, err)) || (st = order_levels(&x, err)))
        goto done;
    nrows = x.d.nm * x.nlev * x.ntreat;
    rows = calloc(nrows + 1, sizeof *rows);
    if (!rows) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t mi = 0; mi < x.d.nm; mi++)
        for (size_t li = 0; li < x.nlev; li++)
            for (size_t ti = 0; ti < x.ntreat; ti++) {
                size_t v = x.treat[ti];
                cmp_t *r = &rows[row_at(&x, mi, li, ti)];
                r->m = mi, r->level = x.levels[li], r->t = v;
                const level_t *l = &x.d.levels[x.levels[li]];
                char where[300], lab[256];
                snprintf(where, sizeof where, "%s, %s vs %s",
                         level_label(&x, x.levels[li], lab, sizeof lab), x.d.variants.keys[v],
                         x.d.variants.keys[x.control]);
                compare(&x, mi, level_cell(&x.d, l, x.control, mi), level_cell(&x.d, l, v, mi), r,
                        where);
            }
    doc_begin();
    if (!(timeline = cJSON_CreateArray()) || (st = timeline_doc(&x, timeline, rows, err))) {
        if (!st)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    /* corrections over the whole family */
    if (!(pv = malloc((nrows + 1) * sizeof *pv))) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nrows; i++)
        pv[i] = rows[i].p;
    if (x.method != M_BAYES) {
        if ((st = dcx_p_adjust(pv, nrows, x.adjust, pv, err)))
            goto done;
        for (size_t i = 0; i < nrows; i++) {
            rows[i].padj = pv[i];
            rows[i].sig = isfinite(pv[i]) ? pv[i] < o->alpha : -1;
        }
    }
    /* the document */
    doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    doc_str(doc, "method", x.method == M_BAYES ? "bayesian" : x.method == M_SEQ ? "sequential" : "frequentist");
    doc_num(doc, "alpha", o->alpha);
    doc_str(doc, "correction", dcx_adjust_name(x.adjust));
    doc_str(doc, "control", x.d.variants.keys[x.control]);
    cJSON *srm = doc_obj(doc, "srm");
    dcx_srm_result_t sr;
    int srm_ok, gate = 0;
    srm_doc(srm, &x, x.d.levels[0].units, 1, &sr, &srm_ok);
    if (srm_ok && sr.mismatch) {
        if (isfinite(sr.p_value))
            warn(&x, "sample ratio mismatch: p = %.3g < %g; the split is not what was designed, "
                     "so the results may be biased",
                 sr.p_value, o->srm_threshold);
        else
            warn(&x, "sample ratio mismatch: the split is not what was designed, so the results "
                     "may be biased");
        gate = 1;
    }
    cJSON *results = doc_arr(doc, "results");
    for (size_t i = 0; i < nrows; i++)
        doc_push(results, result_doc(&x, &rows[i]));
    cJSON *segs = doc_arr(doc, "srm_segments");
    for (size_t li = 1; li < x.nlev; li++) {
        const level_t *l = &x.d.levels[x.levels[li]];
        cJSON *e = cJSON_CreateObject();
        doc_str(e, "segment", x.d.segs[l->seg]);
        doc_str(e, "segment_value", l->value);
        srm_doc(e, &x, l->units, 0, &sr, &srm_ok);
        if (srm_ok && sr.mismatch) {
            warn_repeat(&x, "segment-srm", "a segment level's split is off (sample ratio mismatch)",
                        "sample ratio mismatch in segment %s=%s: p = %.3g < %g", x.d.segs[l->seg],
                        l->value, sr.p_value, o->srm_threshold);
            gate = 1;
        }
        doc_push(segs, e);
    }
    cJSON *het = doc_arr(doc, "heterogeneity");
    est = malloc((x.nlev + 1) * sizeof *est);
    se = malloc((x.nlev + 1) * sizeof *se);
    if (!est || !se) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    heterogeneity_doc(&x, het, rows, est, se);
    cJSON_AddItemToObject(doc, "timeline", timeline);
    timeline = NULL;
    warn_repeats_done(&x);
    cJSON *w = doc_arr(doc, "warnings");
    for (size_t i = 0; i < x.warnings.n; i++)
        doc_push(w, cJSON_CreateString(x.warnings.v[i]));
    if (doc_oom(doc)) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    *out = doc;
    doc = NULL;
    st = DCX_OK;
    if (gate && o->fail_on_srm)
        st = dcx_error_set(err, DCX_EGATE, "sample ratio mismatch (--fail-on-srm)");
done:
    cJSON_Delete(doc);
    cJSON_Delete(timeline);
    for (size_t i = 0; rows && i < nrows; i++)
        free(rows[i].note);
    free(rows);
    free(pv);
    free(est);
    free(se);
    free(x.levels);
    free(x.seg_lo);
    free(x.seg_hi);
    free(x.names);
    free(x.order);
    free(x.share);
    free(x.designed);
    free(x.treat);
    design_free(&x.design);
    warn_free(&x);
    data_free(&x.d);
    return st;
}
