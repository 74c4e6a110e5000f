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

dcx_status_t dcx_srm(const dcx_srm_opts_t *o, cJSON **out, dcx_error_t *err)
{
    design_t ds;
    dcx_strlist_t items = {0}, names = {0};
    double *counts = NULL, *shares = NULL, *expected = NULL, *dcounts = NULL;
    char **cname = NULL;
    unsigned char *in_design = NULL;
    dcx_status_t st = design_build(o->config, &o->weights, &o->names, &ds, err);
    if (st)
        return st;
    if ((st = split_commas(&o->counts, &items, err)))
        goto done;
    size_t k = items.n, named = 0;
    if (k < 2) {
        st = dcx_error_set(err, DCX_EINVAL, "--counts needs at least two counts");
        goto done;
    }
    counts = calloc(k + ds.n + 1, sizeof *counts);
    cname = calloc(k + ds.n + 1, sizeof *cname);
    if (!counts || !cname) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < k && !st; i++) {
        int pr = parse_pair(items.v[i], &cname[i], &counts[i]);
        if (pr == -2)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        else if (pr)
            st = dcx_error_set(err, DCX_EINVAL, "--counts: '%s' is not a count (write NAME=COUNT or COUNT)",
                               items.v[i]);
        named += cname[i] != NULL;
    }
    if (!st && named && named != k)
        st = dcx_error_set(err, DCX_EINVAL, "--counts: give every count as NAME=COUNT, or none");
    if (st)
        goto done;
    int design_named = ds.n && !ds.equal_unnamed;
    /* the variants in order: the design's, then counted ones not in it */
    size_t n = 0;
    in_design = calloc(k + ds.n + 1, 1);
    dcounts = calloc(k + ds.n + 1, sizeof *dcounts);
    if (!in_design || !dcounts) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if (!named) {
        if (design_named && ds.n != k) {
            st = dcx_error_set(err, DCX_EINVAL, "%zu counts for %zu variants of the design", k, ds.n);
            goto done;
        }
        if (ds.equal_unnamed && ds.n != k) {
            st = dcx_error_set(err, DCX_EINVAL, "%zu weights for %zu counts", ds.n, k);
            goto done;
        }
        for (size_t i = 0; i < k && !st; i++) {
            if (design_named)
                st = dcx_strlist_push(&names, ds.names[i]) ? DCX_ENOMEM : DCX_OK;
            else
                st = dcx_strlist_pushf(&names, "v%zu", i + 1) ? DCX_ENOMEM : DCX_OK;
            dcounts[i] = counts[i];
            in_design[i] = 1;
        }
        n = k;
    } else {
        for (size_t i = 0; design_named && i < ds.n && !st; i++) {
            st = dcx_strlist_push(&names, ds.names[i]) ? DCX_ENOMEM : DCX_OK;
            in_design[n++] = 1;
        }
        for (size_t i = 0; i < k && !st; i++) {
            long at = -1;
            for (size_t j = 0; j < n; j++)
                if (!strcmp(names.v[j], cname[i]))
                    at = (long)j;
            if (at >= 0 && !design_named) {
                st = dcx_error_set(err, DCX_EINVAL, "--counts: '%s' is given twice", cname[i]);
                break;
            }
            if (at < 0) {
                st = dcx_strlist_push(&names, cname[i]) ? DCX_ENOMEM : DCX_OK;
                in_design[n] = !design_named;
                at = (long)n++;
            }
            dcounts[at] += counts[i];
        }
        if (ds.equal_unnamed && ds.n != n && !st)
            st = dcx_error_set(err, DCX_EINVAL, "%zu weights for %zu counts", ds.n, n);
    }
    if (st) {
        if (st == DCX_ENOMEM)
            dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    /* the check over the designed variants; one with units outside the design is a
     * mismatch of its own */
    shares = calloc(n + 1, sizeof *shares);
    expected = calloc(n + 1, sizeof *expected);
    double *dc = calloc(n + 1, sizeof *dc);
    if (!shares || !expected || !dc) {
        free(dc);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    size_t nd = 0, ndesigned = 0;
    int stray = 0;
    for (size_t i = 0; i < n; i++)
        ndesigned += in_design[i];
    for (size_t i = 0; i < n; i++) {
        if (!in_design[i]) {
            stray |= dcounts[i] > 0;
            continue;
        }
        double share = NAN;
        if (ds.n)
            share = ds.shares[design_named ? (size_t)design_find(&ds, names.v[i]) : i];
        dc[nd] = dcounts[i];
        shares[nd++] = isnan(share) ? 1.0 / (double)ndesigned : share; /* equal by default */
    }
    dcx_srm_result_t r;
    if (nd < 2)
        st = dcx_error_set(err, DCX_EINVAL, "fewer than two variants of the design have counts");
    else
        st = dcx_srm_check(dc, shares, nd, o->threshold, expected, &r, err);
    free(dc);
    if (st)
        goto done;
    if (stray)
        r.mismatch = 1;
    doc_begin();
    cJSON *d = cJSON_CreateObject(), *c = doc_obj(d, "counts"), *e = doc_obj(d, "expected");
    for (size_t i = 0, j = 0; i < n; i++) {
        doc_num_copykey(c, names.v[i], dcounts[i]);
        doc_num_copykey(e, names.v[i], in_design[i] ? expected[j++] : 0);
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
    for (size_t i = 0; cname && i < items.n; i++)
        free(cname[i]);
    free(cname);
    free(counts);
    free(dcounts);
    free(in_design);
    free(shares);
    free(expected);
    dcx_strlist_free(&items);
    dcx_strlist_free(&names);
    design_free(&ds);
    return st;
}
