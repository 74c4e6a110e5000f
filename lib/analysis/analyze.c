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
    char note[400];
} cmp_t;

typedef struct {
    const dcx_analyze_opts_t *o;
    data_t d;
    method_t method;
    test_t test;
    dcx_adjust_t adjust;
    size_t *order; /* variants in report order */
    size_t nvar;   /* variants known (observed + --variants) */
    char **names;  /* names of order[i] */
    size_t control;
    dcx_strlist_t warnings;
} run_t;

static void note(cmp_t *r, const char *fmt, const char *arg)
{
    size_t len = strlen(r->note);
    char msg[200]; /* a long message is cut short here, on purpose */
    if (snprintf(msg, sizeof msg, fmt, arg ? arg : "") < 0)
        return;
    if (strstr(r->note, msg))
        return;
    snprintf(r->note + len, sizeof r->note - len, "%s%s", len ? "; " : "", msg);
}

static void warn(run_t *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void warn(run_t *x, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < x->warnings.n; i++)
        if (!strcmp(x->warnings.v[i], buf))
            return;
    dcx_strlist_push(&x->warnings, buf);
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
        warn(x, "metric '%s' (%s): both arms have zero variance, no test is possible", m->name,
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
        if (a[0].n < 30 || a[1].n < 30)
            warn(x,
                 "metric '%s' (%s): an arm has fewer than 30 units; the normal approximation "
                 "is rough (try --test %s)",
                 m->name, where, binary ? "fisher" : "mann-whitney");
        if (binary && !cuped) {
            double pbar = (t->ones + c->ones) / (t->m.n + c->m.n);
            double emin = fmin(fmin(pbar * a[0].n, (1 - pbar) * a[0].n),
                               fmin(pbar * a[1].n, (1 - pbar) * a[1].n));
            if (emin < 5)
                warn(x, "metric '%s' (%s): an expected cell count is below 5 (try --test fisher)",
                     m->name, where);
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

static const data_t *g_sort_data;
static int g_numeric_periods;

/* variant indices by their names (byte order, lengths respected) */
static int cmp_variant_index(const void *a, const void *b)
{
    size_t x = (size_t)(uintptr_t) * (char *const *)a, y = (size_t)(uintptr_t) * (char *const *)b;
    const dcx_strmap_t *m = &g_sort_data->variants;
    size_t lx = m->lens[x], ly = m->lens[y];
    int c = memcmp(m->keys[x], m->keys[y], lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}


static dcx_status_t order_variants(run_t *x, dcx_error_t *err)
{
    const data_t *d = &x->d;
    /* expected variants, comma lists allowed */
    dcx_strlist_t expected = {0};
    for (size_t i = 0; i < x->o->variants.n; i++) {
        const char *p = x->o->variants.v[i];
        for (;;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            char buf[256];
            snprintf(buf, sizeof buf, "%.*s", (int)len, p);
            if (len && dcx_strlist_push(&expected, buf)) {
                dcx_strlist_free(&expected);
                return dcx_error_set(err, DCX_ENOMEM, "out of memory");
            }
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    size_t total = d->variants.n + expected.n;
    x->names = calloc(total + 1, sizeof *x->names);
    x->order = calloc(total + 1, sizeof *x->order);
    char **observed = calloc(d->variants.n + 1, sizeof *observed);
    if (!x->names || !x->order || !observed) {
        free(observed);
        dcx_strlist_free(&expected);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t n = 0;
    /* listed variants first, in the order given; they may have no units */
    for (size_t i = 0; i < expected.n; i++) {
        long v = dcx_strmap_put(&x->d.variants, expected.v[i], strlen(expected.v[i]));
        if (v < 0 || data_reserve_variant(&x->d, (size_t)v, err)) {
            free(observed);
            dcx_strlist_free(&expected);
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= x->order[j] == (size_t)v;
        if (dup)
            continue;
        x->order[n] = (size_t)v;
        x->names[n++] = x->d.variants.keys[v];
        if (x->d.levels[0].units[v] == 0)
            warn(x, "variant '%s' has no units", expected.v[i]);
    }
    /* then observed variants not listed, in sort order (indices sorted by their keys,
     * never looked up again by text) */
    size_t no = 0;
    for (size_t v = 0; v < x->d.variants.n; v++) {
        int listed = 0;
        for (size_t j = 0; j < n; j++)
            listed |= x->order[j] == v;
        if (!listed)
            observed[no++] = (char *)(uintptr_t)v;
    }
    g_sort_data = &x->d;
    qsort(observed, no, sizeof *observed, cmp_variant_index);
    for (size_t i = 0; i < no; i++) {
        size_t v = (size_t)(uintptr_t)observed[i];
        if (expected.n)
            warn(x, "variant '%s' is in the data but not in --variants", x->d.variants.keys[v]);
        x->order[n] = v;
        x->names[n++] = x->d.variants.keys[v];
    }
    x->nvar = n;
    free(observed);
    dcx_strlist_free(&expected);
    if (n < 2)
        return dcx_error_set(err, DCX_EPARSE, "need at least two variants, found %zu%s%s", n,
                             n ? ": " : "", n ? x->names[0] : "");
    /* control: --control, else "control", else the first in sort order */
    const char *want = x->o->control;
    long cv = -1;
    if (want) {
        cv = dcx_strmap_get(&x->d.variants, want, strlen(want));
        if (cv < 0)
            return dcx_error_set(err, DCX_EINVAL, "--control '%s' is not a variant in the data",
                                 want);
    } else if ((cv = dcx_strmap_get(&x->d.variants, "control", 7)) < 0) {
        const char *first = NULL;
        for (size_t i = 0; i < n; i++)
            if (!first || strcmp(x->names[i], first) < 0)
                first = x->names[i], cv = (long)x->order[i];
    }
    x->control = (size_t)cv;
    return DCX_OK;
}

/* Levels in report order: all, then each segment column's levels in sort order. */
static size_t *order_levels(const run_t *x, size_t *n)
{
    const data_t *d = &x->d;
    size_t *out = malloc((d->nlevels + 1) * sizeof *out), k = 0;
    if (!out)
        return NULL;
    out[k++] = 0;
    for (size_t s = 0; s < d->nseg; s++) {
        size_t start = k;
        for (size_t l = 1; l < d->nlevels; l++)
            if (d->levels[l].seg == (long)s)
                out[k++] = l;
        /* insertion sort by value: segment columns have few levels */
        for (size_t i = start + 1; i < k; i++)
            for (size_t j = i; j > start && strcmp(d->levels[out[j - 1]].value, d->levels[out[j]].value) > 0; j--) {
                size_t t = out[j];
                out[j] = out[j - 1];
                out[j - 1] = t;
            }
    }
    *n = k;
    return out;
}


static int cmp_period(const void *a, const void *b)
{
    const char *x = g_sort_data->periods[*(const size_t *)a].value,
               *y = g_sort_data->periods[*(const size_t *)b].value;
    if (g_numeric_periods) {
        double u, v;
        dcx_parse_number(x, strlen(x), &u);
        dcx_parse_number(y, strlen(y), &v);
        return (u > v) - (u < v);
    }
    return strcmp(x, y);
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

static void srm_doc(cJSON *o, const run_t *x, const double *units, int with_expected,
                    dcx_srm_result_t *res, int *ok)
{
    double *counts = calloc(x->nvar, sizeof *counts), *expected = calloc(x->nvar, sizeof *expected);
    dcx_error_t err;
    *ok = 0;
    if (!counts || !expected) {
        free(counts);
        free(expected);
        return;
    }
    for (size_t i = 0; i < x->nvar; i++)
        counts[i] = units[x->order[i]];
    cJSON *c = doc_obj(o, "counts");
    for (size_t i = 0; i < x->nvar; i++)
        doc_num(c, x->names[i], counts[i]);
    dcx_status_t st = dcx_srm_check(counts, x->o->weights.n ? x->o->weights.v : NULL, x->nvar,
                                    x->o->srm_threshold, expected, res, &err);
    if (with_expected) {
        cJSON *e = doc_obj(o, "expected");
        for (size_t i = 0; i < x->nvar; i++)
            doc_num(e, x->names[i], expected[i]);
    }
    doc_num_or_null(o, "chi2", st ? NAN : res->chi2, err.message);
    doc_num_or_null(o, "p_value", st ? NAN : res->p_value, err.message);
    if (st)
        doc_null(o, "mismatch");
    else
        doc_bool(o, "mismatch", res->mismatch);
    *ok = !st;
    free(counts);
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
    if (r->note[0])
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

dcx_status_t dcx_analyze(const dcx_analyze_opts_t *o, cJSON **out, dcx_error_t *err)
{
    run_t x;
    memset(&x, 0, sizeof x);
    x.o = o;
    *out = NULL;
    cmp_t *rows = NULL;
    size_t *levels = NULL, nlev = 0, nrows = 0;
    cJSON *doc = NULL;
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
    if ((st = order_variants(&x, err)))
        goto done;
    if (o->weights.n && o->weights.n != x.nvar) {
        st = dcx_error_set(err, DCX_EINVAL, "%zu --weights for %zu variants (%s%s...)",
                           o->weights.n, x.nvar, x.names[0], x.nvar > 1 ? ", " : "");
        goto done;
    }
    if (!(levels = order_levels(&x, &nlev))) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    size_t ntreat = x.nvar - 1;
    rows = calloc(x.d.nm * nlev * ntreat + 1, sizeof *rows);
    if (!rows) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t mi = 0; mi < x.d.nm; mi++)
        for (size_t li = 0; li < nlev; li++)
            for (size_t vi = 0; vi < x.nvar; vi++) {
                size_t v = x.order[vi];
                if (v == x.control)
                    continue;
                cmp_t *r = &rows[nrows++];
                r->m = mi, r->level = levels[li], r->t = v;
                const level_t *l = &x.d.levels[levels[li]];
                char where[300], lab[256];
                snprintf(where, sizeof where, "%s, %s vs %s", level_label(&x, levels[li], lab, sizeof lab),
                         x.d.variants.keys[v], x.d.variants.keys[x.control]);
                compare(&x, mi, level_cell(&x.d, l, x.control, mi), level_cell(&x.d, l, v, mi), r,
                        where);
            }
    /* timeline: cumulative over periods, all units (quietly: early periods are small) */
    cJSON *timeline = cJSON_CreateArray();
    double *running = malloc((x.d.nm * ntreat + 1) * sizeof *running);
    if (!timeline || !running) {
        cJSON_Delete(timeline);
        free(running);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if (x.d.nperiods) {
        size_t *po = malloc(x.d.nperiods * sizeof *po);
        if (!po) {
            cJSON_Delete(timeline);
            free(running);
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        g_numeric_periods = 1;
        for (size_t p = 0; p < x.d.nperiods; p++) {
            double tmp;
            po[p] = p;
            if (!dcx_parse_number(x.d.periods[p].value, strlen(x.d.periods[p].value), &tmp))
                g_numeric_periods = 0;
        }
        g_sort_data = &x.d;
        qsort(po, x.d.nperiods, sizeof *po, cmp_period);
        test_t saved_test = x.test;
        if (x.test == T_MW)
            x.test = T_AUTO; /* periods keep moments, not values */
        dcx_strlist_t saved_w = x.warnings;
        memset(&x.warnings, 0, sizeof x.warnings);
        size_t k = 0;
        for (size_t mi = 0; mi < x.d.nm; mi++)
            for (size_t vi = 0; vi < x.nvar; vi++) {
                size_t v = x.order[vi];
                if (v == x.control)
                    continue;
                cell_t cc, ct;
                memset(&cc, 0, sizeof cc);
                memset(&ct, 0, sizeof ct);
                double best = INFINITY;
                for (size_t pi = 0; pi < x.d.nperiods; pi++) {
                    const level_t *pl = &x.d.periods[po[pi]];
                    const cell_t *a = level_cell(&x.d, pl, x.control, mi),
                                 *b = level_cell(&x.d, pl, v, mi);
                    dcx_moments_merge(&cc.m, &a->m);
                    cc.ones += a->ones, cc.neg += a->neg, cc.missing += a->missing;
                    dcx_moments_merge(&ct.m, &b->m);
                    ct.ones += b->ones, ct.neg += b->neg, ct.missing += b->missing;
                    cmp_t r;
                    memset(&r, 0, sizeof r);
                    compare(&x, mi, &cc, &ct, &r, "timeline");
                    if (x.method == M_SEQ && isfinite(r.p)) {
                        best = fmin(best, r.p);
                        r.p = best;
                    }
                    cJSON *e = cJSON_CreateObject();
                    doc_str(e, "period", pl->value);
                    doc_str(e, "metric", x.d.metrics[mi].name);
                    doc_str(e, "variant", x.d.variants.keys[v]);
                    doc_num(e, "n_control", cc.m.n);
                    doc_num(e, "n_treatment", ct.m.n);
                    doc_num(e, "diff", r.diff);
                    interval(e, "diff_ci", r.lo, r.hi);
                    doc_num(e, "p_value", r.p);
                    if (r.note[0])
                        doc_str(e, "note", r.note);
                    doc_push(timeline, e);
                }
                running[k++] = best;
            }
        dcx_strlist_free(&x.warnings);
        x.warnings = saved_w;
        x.test = saved_test;
        /* sequential: the overall p-value is the running minimum over periods */
        if (x.method == M_SEQ) {
            k = 0;
            for (size_t mi = 0; mi < x.d.nm; mi++)
                for (size_t vi = 0; vi < x.nvar; vi++) {
                    size_t v = x.order[vi];
                    if (v == x.control)
                        continue;
                    for (size_t i = 0; i < nrows; i++)
                        if (rows[i].m == mi && rows[i].level == 0 && rows[i].t == v
                            && isfinite(running[k]) && isfinite(rows[i].p))
                            rows[i].p = fmin(rows[i].p, running[k]);
                    k++;
                }
        }
        free(po);
    }
    free(running);
    /* corrections over the whole family */
    double *pv = malloc((nrows + 1) * sizeof *pv);
    if (!pv) {
        cJSON_Delete(timeline);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nrows; i++)
        pv[i] = rows[i].p;
    if (x.method != M_BAYES) {
        dcx_p_adjust(pv, nrows, x.adjust, pv, err);
        for (size_t i = 0; i < nrows; i++) {
            rows[i].padj = pv[i];
            rows[i].sig = isfinite(pv[i]) ? pv[i] < o->alpha : -1;
        }
    }
    free(pv);
    /* the document */
    doc_begin();
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
        warn(&x, "sample ratio mismatch: p = %.3g < %g; the split is not what was designed, so "
                 "the results may be biased",
             sr.p_value, o->srm_threshold);
        gate = 1;
    }
    cJSON *results = doc_arr(doc, "results");
    for (size_t i = 0; i < nrows; i++)
        doc_push(results, result_doc(&x, &rows[i]));
    cJSON *segs = doc_arr(doc, "srm_segments");
    for (size_t li = 1; li < nlev; li++) {
        const level_t *l = &x.d.levels[levels[li]];
        cJSON *e = cJSON_CreateObject();
        doc_str(e, "segment", x.d.segs[l->seg]);
        doc_str(e, "segment_value", l->value);
        srm_doc(e, &x, l->units, 0, &sr, &srm_ok);
        if (srm_ok && sr.mismatch) {
            warn(&x, "sample ratio mismatch in segment %s=%s: p = %.3g < %g", x.d.segs[l->seg],
                 l->value, sr.p_value, o->srm_threshold);
            gate = 1;
        }
        doc_push(segs, e);
    }
    cJSON *het = doc_arr(doc, "heterogeneity");
    double *est = malloc((nlev + 1) * sizeof *est), *se = malloc((nlev + 1) * sizeof *se);
    for (size_t mi = 0; est && se && mi < x.d.nm; mi++)
        for (size_t vi = 0; vi < x.nvar; vi++) {
            size_t v = x.order[vi];
            if (v == x.control)
                continue;
            for (size_t sg = 0; sg < x.d.nseg; sg++) {
                size_t k = 0, levels_seen = 0;
                for (size_t i = 0; i < nrows; i++) {
                    const cmp_t *r = &rows[i];
                    if (r->m != mi || r->t != v || x.d.levels[r->level].seg != (long)sg)
                        continue;
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
                doc_str(e, "metric", x.d.metrics[mi].name);
                doc_str(e, "variant", x.d.variants.keys[v]);
                doc_str(e, "segment", x.d.segs[sg]);
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
    free(est);
    free(se);
    cJSON_AddItemToObject(doc, "timeline", timeline);
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
    free(rows);
    free(levels);
    free(x.names);
    free(x.order);
    dcx_strlist_free(&x.warnings);
    data_free(&x.d);
    return st;
}
