/* order.c — the report order of `dcx analyze`: the variants (the design's first, then the
 * others observed; their shares; control and treatments), the segment levels (all, then
 * each column's levels in sort order) and the timeline's periods. */
#include "analyze_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "sort_idx.h"

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

/* The designed shares: as designed, else equal over the designed variants. */
static dcx_status_t design_shares(run_t *x, dcx_error_t *err)
{
    size_t n = x->nvar, nd = 0, known = 0;
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
        return dcx_error_set(err, DCX_EINVAL, "the designed shares sum to %g, not 1 (or 100 as percentages)", sum);
    for (size_t i = 0; i < n; i++)
        if (x->designed[i] && !known)
            x->share[i] = 1.0 / (double)nd;
    return DCX_OK;
}

/* Control: --control, else the config's first variant, else "control", else the first
 * in sort order; the others are the treatments, in report order. */
static dcx_status_t choose_control(run_t *x, dcx_error_t *err)
{
    size_t n = x->nvar;
    const char *want = x->o->control;
    long cv = -1;
    if (want) {
        cv = dcx_strmap_get(&x->d.variants, want, strlen(want));
        if (cv < 0)
            return dcx_error_set(err, DCX_EINVAL, "--control '%s' is not a variant in the data",
                                 want);
    } else if (x->design.from_config) {
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

/* The variants in report order and their designed shares. The design is what the user
 * states (--config, --variants, --weights); without one, the observed variants in sort
 * order with equal shares. A variant in the data but not in the design is compared like
 * any other, but is an SRM mismatch of its own. */
dcx_status_t order_variants(run_t *x, dcx_error_t *err)
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
            run_warn(x, "variant '%s' has no units", ds->names[i]);
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
            run_warn(x, "variant '%s' is in the data but not in the design (%s): it counts as a "
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
    if ((st = design_shares(x, err)))
        return st;
    return choose_control(x, err);
}

static int cmp_level(const void *ctx, size_t a, size_t b)
{
    const data_t *d = ctx;
    return strcmp(d->levels[a].value, d->levels[b].value);
}

/* Levels in report order: all, then each segment column's levels in sort order;
 * seg_lo[s] .. seg_hi[s] are column s's positions in that order. */
dcx_status_t order_levels(run_t *x, dcx_error_t *err)
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

dcx_status_t order_periods(run_t *x, size_t **out, dcx_error_t *err)
{
    const data_t *d = &x->d;
    size_t *po = malloc(d->nperiods * sizeof *po);
    if (!po)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    /* ISO periods sort as text (their labels are chronological); numbers as numbers; any
     * other text stays in the order it was first seen */
    for (size_t p = 0; p < d->nperiods; p++)
        po[p] = p;
    int text = d->period_text && !d->period_iso;
    if (text)
        run_warn(x, "column '%s' holds periods that are not dates (line %ld): the timeline shows them "
                    "in the order first seen; write ISO dates (2026-11-02) to order them in time",
                 d->time_col, d->period_first_text);
    else if (dcx_sort_idx(po, d->nperiods, d->period_iso ? cmp_period_text : cmp_period_number, d)) {
        free(po);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    *out = po;
    return DCX_OK;
}
