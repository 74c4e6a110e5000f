/* design.c — the stated design of an experiment. */
#include "design.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/analysis.h"
#include "dcx/assign.h"
#include "dcx/stats.h"
#include "dcx/version.h"
#include "doc_util.h"
#include "optparse.h"

void design_free(design_t *d)
{
    for (size_t i = 0; d->names && i < d->n; i++)
        free(d->names[i]);
    free(d->names);
    free(d->shares);
    memset(d, 0, sizeof *d);
}

long design_find(const design_t *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->names[i] && !strcmp(d->names[i], name))
            return (long)i;
    return -1;
}

static dcx_status_t alloc_design(design_t *d, size_t n, dcx_error_t *err)
{
    d->n = n;
    d->names = calloc(n + 1, sizeof *d->names);
    d->shares = malloc((n + 1) * sizeof *d->shares);
    if (!d->names || !d->shares)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        d->shares[i] = NAN;
    return DCX_OK;
}

dcx_status_t design_build(const char *config, const dcx_strlist_t *weights,
                          const dcx_strlist_t *variants, design_t *d, dcx_error_t *err)
{
    memset(d, 0, sizeof *d);
    dcx_strlist_t w = {0}, v = {0};
    dcx_status_t st;
    if ((st = split_commas(weights, &w, err)) || (st = split_commas(variants, &v, err)))
        goto done;
    if (config) {
        if (w.n || v.n) {
            st = dcx_error_set(err, DCX_EINVAL,
                               "--config states the variants and their weights: give no "
                               "--weights or --variants with it");
            goto done;
        }
        dcx_experiment_t *e;
        if ((st = dcx_experiment_load(config, &e, NULL, err)))
            goto done;
        if (!(st = alloc_design(d, dcx_experiment_variants(e), err))) {
            for (size_t i = 0; i < d->n && !st; i++) {
                if (!(d->names[i] = strdup(dcx_experiment_variant_name(e, i))))
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                d->shares[i] = dcx_experiment_weight(e, i);
            }
            d->from_config = 1;
        }
        dcx_experiment_free(e);
        goto done;
    }
    /* the shares: all name=share pairs, or all bare */
    size_t named = 0;
    double *val = calloc(w.n + 1, sizeof *val);
    char **who = calloc(w.n + 1, sizeof *who);
    if (!val || !who) {
        free(val);
        free(who);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < w.n && !st; i++) {
        int pr = parse_pair(w.v[i], &who[i], &val[i]);
        if (pr == -2)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        else if (pr)
            st = dcx_error_set(err, DCX_EINVAL, "--weights: '%s' is not a share (write NAME=SHARE or SHARE)",
                               w.v[i]);
        else if (!(val[i] > 0))
            st = dcx_error_set(err, DCX_EINVAL, "--weights: '%s': a share must be > 0", w.v[i]);
        named += who[i] != NULL;
    }
    if (!st && named && named != w.n)
        st = dcx_error_set(err, DCX_EINVAL, "--weights: give every share as NAME=SHARE, or none");
    /* shares that sum to 100 (within 1) are percentages: control=40,short=30,guided=30 */
    double total = 0;
    for (size_t i = 0; i < w.n; i++)
        total += val[i];
    if (!st && w.n && fabs(total - 100) <= 1)
        for (size_t i = 0; i < w.n; i++)
            val[i] /= 100;
    if (!st && v.n) {
        if ((st = alloc_design(d, v.n, err)))
            goto free_pairs;
        for (size_t i = 0; i < v.n && !st; i++) {
            for (size_t j = 0; j < i; j++)
                if (!strcmp(v.v[i], v.v[j]))
                    st = dcx_error_set(err, DCX_EINVAL, "--variants: '%s' is listed twice", v.v[i]);
            if (!st && !(d->names[i] = strdup(v.v[i])))
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
        if (!st && w.n && !named) {
            if (w.n != v.n)
                st = dcx_error_set(err, DCX_EINVAL, "%zu --weights for %zu --variants", w.n, v.n);
            for (size_t i = 0; i < w.n && !st; i++)
                d->shares[i] = val[i];
        } else if (!st && named) {
            for (size_t i = 0; i < w.n && !st; i++) {
                long k = design_find(d, who[i]);
                if (k < 0)
                    st = dcx_error_set(err, DCX_EINVAL, "--weights: '%s' is not in --variants", who[i]);
                else
                    d->shares[k] = val[i];
            }
            for (size_t i = 0; i < d->n && !st; i++)
                if (isnan(d->shares[i]))
                    st = dcx_error_set(err, DCX_EINVAL, "--weights: no share for variant '%s'",
                                       d->names[i]);
        }
    } else if (!st && named) {
        if ((st = alloc_design(d, w.n, err)))
            goto free_pairs;
        for (size_t i = 0; i < w.n && !st; i++) {
            if (design_find(d, who[i]) >= 0)
                st = dcx_error_set(err, DCX_EINVAL, "--weights: '%s' is given twice", who[i]);
            d->names[i] = who[i];
            who[i] = NULL;
            d->shares[i] = val[i];
        }
    } else if (!st && w.n) {
        /* a bare list without names: only equal shares say nothing about order */
        for (size_t i = 1; i < w.n && !st; i++)
            if (fabs(val[i] - val[0]) > 1e-12)
                st = dcx_error_set(err, DCX_EINVAL,
                                   "--weights %s...: unequal shares need to say whose they are: "
                                   "write NAME=SHARE, or give --variants (or --config)",
                                   w.v[0]);
        if (!st && !(st = alloc_design(d, w.n, err))) {
            for (size_t i = 0; i < w.n; i++)
                d->shares[i] = val[i];
            d->equal_unnamed = 1;
        }
    }
free_pairs:
    for (size_t i = 0; i < w.n; i++)
        free(who[i]);
    free(who);
    free(val);
done:
    dcx_strlist_free(&w);
    dcx_strlist_free(&v);
    if (st)
        design_free(d);
    return st;
}

/* ---- the srm command: observed counts against the stated design ---------------------- */

/* One run of dcx srm: the counts as given, then lined up with the design. */
typedef struct {
    design_t ds;
    dcx_strlist_t items;   /* the --counts items, commas split */
    double *counts;        /* [k] as given */
    char **cname;          /* [k] their names, or NULL entries for a bare list */
    size_t k, named;
    int design_named;      /* the design names its variants */
    dcx_strlist_t names;   /* [n] the variants in order: the design's, then counted ones not in it */
    double *dcounts;       /* [n] their counts */
    unsigned char *in_design;
    size_t n;
} srm_run_t;

static void srm_free(srm_run_t *s)
{
    for (size_t i = 0; s->cname && i < s->items.n; i++)
        free(s->cname[i]);
    free(s->cname);
    free(s->counts);
    free(s->dcounts);
    free(s->in_design);
    dcx_strlist_free(&s->items);
    dcx_strlist_free(&s->names);
    design_free(&s->ds);
}

/* The counts, as NAME=COUNT pairs (every one) or a bare list. */
static dcx_status_t srm_read_counts(srm_run_t *s, const dcx_srm_opts_t *o, dcx_error_t *err)
{
    dcx_status_t st = split_commas(&o->counts, &s->items, err);
    if (st)
        return st;
    s->k = s->items.n;
    if (s->k < 2)
        return dcx_error_set(err, DCX_EINVAL, "--counts needs at least two counts");
    s->counts = calloc(s->k + s->ds.n + 1, sizeof *s->counts);
    s->cname = calloc(s->k + s->ds.n + 1, sizeof *s->cname);
    if (!s->counts || !s->cname)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->k; i++) {
        int pr = parse_pair(s->items.v[i], &s->cname[i], &s->counts[i]);
        if (pr == -2)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        if (pr)
            return dcx_error_set(err, DCX_EINVAL, "--counts: '%s' is not a count (write NAME=COUNT or COUNT)",
                                 s->items.v[i]);
        s->named += s->cname[i] != NULL;
    }
    if (s->named && s->named != s->k)
        return dcx_error_set(err, DCX_EINVAL, "--counts: give every count as NAME=COUNT, or none");
    return DCX_OK;
}

/* The variants in order — the design's, then counted ones not in it — with their counts. */
static dcx_status_t srm_line_up(srm_run_t *s, dcx_error_t *err)
{
    const design_t *ds = &s->ds;
    s->design_named = ds->n && !ds->equal_unnamed;
    s->in_design = calloc(s->k + ds->n + 1, 1);
    s->dcounts = calloc(s->k + ds->n + 1, sizeof *s->dcounts);
    if (!s->in_design || !s->dcounts)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    int oom = 0;
    if (!s->named) { /* a bare list: in the design's order, or v1, v2, ... */
        if (s->design_named && ds->n != s->k)
            return dcx_error_set(err, DCX_EINVAL, "%zu counts for %zu variants of the design", s->k, ds->n);
        if (ds->equal_unnamed && ds->n != s->k)
            return dcx_error_set(err, DCX_EINVAL, "%zu weights for %zu counts", ds->n, s->k);
        for (size_t i = 0; i < s->k && !oom; i++) {
            oom = s->design_named ? dcx_strlist_push(&s->names, ds->names[i]) != DCX_OK
                                  : dcx_strlist_pushf(&s->names, "v%zu", i + 1) != DCX_OK;
            s->dcounts[i] = s->counts[i];
            s->in_design[i] = 1;
        }
        s->n = s->k;
        return oom ? dcx_error_set(err, DCX_ENOMEM, "out of memory") : DCX_OK;
    }
    for (size_t i = 0; s->design_named && i < ds->n && !oom; i++) {
        oom = dcx_strlist_push(&s->names, ds->names[i]) != DCX_OK;
        s->in_design[s->n++] = 1;
    }
    for (size_t i = 0; i < s->k && !oom; i++) {
        long at = -1;
        for (size_t j = 0; j < s->n; j++)
            if (!strcmp(s->names.v[j], s->cname[i]))
                at = (long)j;
        if (at >= 0 && !s->design_named)
            return dcx_error_set(err, DCX_EINVAL, "--counts: '%s' is given twice", s->cname[i]);
        if (at < 0) {
            oom = dcx_strlist_push(&s->names, s->cname[i]) != DCX_OK;
            s->in_design[s->n] = !s->design_named;
            at = (long)s->n++;
        }
        s->dcounts[at] += s->counts[i];
    }
    if (oom)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (ds->equal_unnamed && ds->n != s->n)
        return dcx_error_set(err, DCX_EINVAL, "%zu weights for %zu counts", ds->n, s->n);
    return DCX_OK;
}

/* The chi-square test over the designed variants; one with units outside the design is a
 * mismatch of its own (*stray). expected[] follows the designed variants' order. */
static dcx_status_t srm_test(const srm_run_t *s, double threshold, double *expected, int *stray,
                             dcx_srm_result_t *r, dcx_error_t *err)
{
    double *shares = calloc(s->n + 1, sizeof *shares), *dc = calloc(s->n + 1, sizeof *dc);
    if (!shares || !dc) {
        free(shares), free(dc);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t nd = 0, ndesigned = 0;
    *stray = 0;
    for (size_t i = 0; i < s->n; i++)
        ndesigned += s->in_design[i];
    for (size_t i = 0; i < s->n; i++) {
        if (!s->in_design[i]) {
            *stray |= s->dcounts[i] > 0;
            continue;
        }
        double share = NAN;
        if (s->ds.n)
            share = s->ds.shares[s->design_named ? (size_t)design_find(&s->ds, s->names.v[i]) : i];
        dc[nd] = s->dcounts[i];
        shares[nd++] = isnan(share) ? 1.0 / (double)ndesigned : share; /* equal by default */
    }
    dcx_status_t st = nd < 2 ? dcx_error_set(err, DCX_EINVAL, "fewer than two variants of the design have counts")
                             : dcx_srm_check(dc, shares, nd, threshold, expected, r, err);
    free(shares), free(dc);
    if (!st && *stray)
        r->mismatch = 1;
    return st;
}

dcx_status_t dcx_srm(const dcx_srm_opts_t *o, cJSON **out, dcx_error_t *err)
{
    srm_run_t s;
    memset(&s, 0, sizeof s);
    double *expected = NULL;
    int stray = 0;
    dcx_srm_result_t r;
    dcx_status_t st = design_build(o->config, &o->weights, &o->names, &s.ds, err);
    if (!st)
        st = srm_read_counts(&s, o, err);
    if (!st)
        st = srm_line_up(&s, err);
    if (!st && !(expected = calloc(s.n + 1, sizeof *expected)))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!st)
        st = srm_test(&s, o->threshold, expected, &stray, &r, err);
    if (st)
        goto done;
    doc_begin();
    cJSON *d = cJSON_CreateObject(), *c = doc_obj(d, "counts"), *e = doc_obj(d, "expected");
    for (size_t i = 0, j = 0; i < s.n; i++) {
        doc_num_copykey(c, s.names.v[i], s.dcounts[i]);
        doc_num_copykey(e, s.names.v[i], s.in_design[i] ? expected[j++] : 0);
    }
    doc_num(d, "chi2", r.chi2);
    doc_num(d, "df", r.df);
    doc_num(d, "p_value", r.p_value);
    doc_bool(d, "mismatch", r.mismatch);
    doc_num(d, "threshold", o->threshold);
    doc_str(d, "dcx_version", dcx_version());
    if (stray)
        doc_str(d, "note", "a variant with units is not in the design: a mismatch of its own");
    if (doc_oom(d)) {
        cJSON_Delete(d);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    *out = d;
    if (r.mismatch && o->fail_on_srm)
        st = isfinite(r.p_value) && !stray
                 ? dcx_error_set(err, DCX_EGATE, "sample ratio mismatch: p = %.3g < %g", r.p_value,
                                 o->threshold)
                 : dcx_error_set(err, DCX_EGATE, "sample ratio mismatch: a variant is not in the design");
done:
    free(expected);
    srm_free(&s);
    return st;
}

dcx_status_t dcx_config_shares(const char *config, int *variants, double *control_share,
                               double *min_treatment_share, dcx_error_t *err)
{
    design_t d;
    dcx_strlist_t none;
    memset(&d, 0, sizeof d);
    memset(&none, 0, sizeof none);
    dcx_status_t st = design_build(config, &none, &none, &d, err);
    if (st)
        return st;
    if (d.n < 2) {
        design_free(&d);
        return dcx_error_set(err, DCX_EINVAL, "%s: an experiment needs at least two variants", config);
    }
    long c = design_find(&d, "control");
    if (c < 0)
        c = 0;
    double sum = 0, min_t = INFINITY;
    for (size_t i = 0; i < d.n; i++) {
        double w = d.shares && isfinite(d.shares[i]) ? d.shares[i] : 1.0 / (double)d.n;
        sum += w;
        if ((long)i != c)
            min_t = fmin(min_t, w);
    }
    double wc = d.shares && isfinite(d.shares[c]) ? d.shares[c] : 1.0 / (double)d.n;
    *variants = (int)d.n;
    *control_share = wc / sum;
    *min_treatment_share = min_t / sum;
    design_free(&d);
    return DCX_OK;
}
