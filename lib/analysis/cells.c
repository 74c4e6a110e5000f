/* cells.c — the cell store: metric × level × variant cells of moments, the "all" level,
 * segment levels and periods created on first sight, variants growing every level, and
 * the merge of two stores (the halves of a large file). The readers fill it:
 * units_read.c (unit-level CSV) and summary_read.c (summary CSV). */
#include "cells.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/csv.h"

char *data_dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* A level's cells for vcap variants and its units per variant, in one block (a segment of
 * many levels makes one allocation per level): what it had is kept, the rest zero.
 * @return 0, or -1 when out of memory (the level unchanged). */
static int level_cells(const data_t *d, level_t *l, size_t vcap)
{
    size_t nc = vcap * d->nm;
    cell_t *c = calloc(1, nc * sizeof *c + vcap * sizeof *l->units);
    if (!c)
        return -1;
    double *u = (double *)(c + nc);
    if (l->cells) {
        memcpy(c, l->cells, d->vcap * d->nm * sizeof *c);
        memcpy(u, l->units, d->vcap * sizeof *u);
        free(l->cells);
    }
    l->cells = c;
    l->units = u;
    return 0;
}

static dcx_status_t add_level(data_t *d, long seg, const char *value, size_t len, size_t *idx,
                              dcx_error_t *err)
{
    if (d->nlevels == d->caplevels) {
        size_t cap = d->caplevels ? d->caplevels * 2 : 8;
        level_t *l = realloc(d->levels, cap * sizeof *l);
        if (!l)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        d->levels = l;
        d->caplevels = cap;
    }
    level_t *l = &d->levels[d->nlevels];
    memset(l, 0, sizeof *l);
    l->seg = seg;
    l->value = data_dupn(value, len);
    if (!l->value || level_cells(d, l, d->vcap)) {
        free(l->value);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    *idx = d->nlevels++;
    return DCX_OK;
}

dcx_status_t data_add_period(data_t *d, const char *value, size_t len, size_t *idx,
                             dcx_error_t *err)
{
    long k = dcx_strmap_cached(&d->period_map, value, len);
    if (k < 0)
        k = dcx_strmap_put(&d->period_map, value, len);
    if (k < 0)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if ((size_t)k < d->nperiods) {
        *idx = (size_t)k;
        return DCX_OK;
    }
    if (d->nperiods >= DCX_MAX_PERIODS)
        return dcx_error_set(err, DCX_EPARSE,
                             d->period_iso ? "column '%s' has more than %d periods: group them with "
                                             "--period week or --period month"
                                           : "column '%s' has more than %d distinct values: a timeline "
                                             "needs ISO dates (2026-11-02), which --period day, week or "
                                             "month can group, or at most %d periods",
                             d->time_col, DCX_MAX_PERIODS, DCX_MAX_PERIODS);
    if (d->nperiods == d->capperiods) {
        size_t cap = d->capperiods ? d->capperiods * 2 : 16;
        level_t *p = realloc(d->periods, cap * sizeof *p);
        if (!p)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        d->periods = p;
        d->capperiods = cap;
    }
    level_t *l = &d->periods[d->nperiods];
    memset(l, 0, sizeof *l);
    l->seg = -2;
    l->value = data_dupn(value, len);
    if (!l->value || level_cells(d, l, d->vcap)) {
        free(l->value);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    *idx = d->nperiods++;
    return DCX_OK;
}

dcx_status_t data_stratum_cells(data_t *d, size_t level, size_t s, level_t **out,
                                dcx_error_t *err)
{
    level_t *l = &d->levels[level];
    if (s < l->nsblk && l->sblk[s]) {
        *out = &d->strata[l->sblk[s] - 1];
        return DCX_OK;
    }
    if (s >= l->nsblk) {
        size_t cap = l->nsblk ? l->nsblk * 2 : 8;
        while (cap <= s)
            cap *= 2;
        size_t *p = realloc(l->sblk, cap * sizeof *p);
        if (!p)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        memset(p + l->nsblk, 0, (cap - l->nsblk) * sizeof *p);
        l->sblk = p, l->nsblk = cap;
    }
    if (d->nstrata == d->capstrata) {
        size_t cap = d->capstrata ? d->capstrata * 2 : 16;
        level_t *p = realloc(d->strata, cap * sizeof *p);
        if (!p)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        d->strata = p;
        d->capstrata = cap;
    }
    level_t *b = &d->strata[d->nstrata];
    memset(b, 0, sizeof *b);
    b->seg = (long)level;
    b->value = data_dupn(d->strat_values.keys[s], d->strat_values.lens[s]);
    if (!b->value || level_cells(d, b, d->vcap)) {
        free(b->value);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    l->sblk[s] = ++d->nstrata;
    *out = b;
    return DCX_OK;
}

static int grow_level(const data_t *d, level_t *l, size_t vcap) { return level_cells(d, l, vcap); }

dcx_status_t data_reserve_variant(data_t *d, size_t v, dcx_error_t *err)
{
    if (v < d->vcap)
        return DCX_OK;
    size_t vcap = d->vcap * 2;
    while (vcap <= v)
        vcap *= 2;
    for (size_t i = 0; i < d->nlevels; i++)
        if (grow_level(d, &d->levels[i], vcap))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->nperiods; i++)
        if (grow_level(d, &d->periods[i], vcap))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->nstrata; i++)
        if (grow_level(d, &d->strata[i], vcap))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    d->vcap = vcap;
    return DCX_OK;
}

dcx_status_t data_init(data_t *d, const data_spec_t *sp, dcx_error_t *err)
{
    const dcx_strlist_t *segments = sp->segments;
    const char *time_col = sp->time_col, *variant_col = sp->variant_col;
    memset(d, 0, sizeof *d);
    d->time_i = d->variant_i = d->strat_i = -1;
    d->vcap = 2; /* an A/B test: two variants; more grow every level (data_reserve_variant) */
    d->period = sp->period;
    d->delimiter = sp->delimiter ? sp->delimiter : ',';
    d->period_first_text = -1;
    dcx_status_t st = metrics_parse(d, sp, err);
    if (st || (st = rowsel_parse(&d->sel, sp->where, sp->unit_col, err)))
        return st;
    size_t nseg = segments ? segments->n : 0;
    d->segs = calloc(nseg + 1, sizeof *d->segs);
    d->seg_i = calloc(nseg + 1, sizeof *d->seg_i);
    d->seg_values = calloc(nseg + 1, sizeof *d->seg_values);
    d->seg_level = calloc(nseg + 1, sizeof *d->seg_level);
    d->seg_cap = calloc(nseg + 1, sizeof *d->seg_cap);
    if (!d->segs || !d->seg_i || !d->seg_values || !d->seg_level || !d->seg_cap)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    d->nseg = nseg; /* only now: data_free walks these arrays up to nseg */
    for (size_t k = 0; k < d->nseg; k++) {
        for (size_t j = 0; j < k; j++)
            if (!strcmp(segments->v[j], segments->v[k]))
                return dcx_error_set(err, DCX_EINVAL, "segment '%s' given twice", segments->v[k]);
        if (!(d->segs[k] = strdup(segments->v[k])))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        d->seg_i[k] = -1;
    }
    if (time_col && !(d->time_col = strdup(time_col)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (sp->strat_col && !(d->strat_col = strdup(sp->strat_col)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!(d->variant_col = strdup(variant_col ? variant_col : "variant")))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    size_t idx;
    return add_level(d, -1, "all", 3, &idx, err);
}

static void free_level(const data_t *d, level_t *l)
{
    for (size_t i = 0; i < d->vcap * d->nm; i++) {
        free(l->cells[i].vals);
        free(l->cells[i].ext);
    }
    free(l->cells); /* and the units, in the same block */
    free(l->value);
    free(l->sblk);
}

void data_free(data_t *d)
{
    for (size_t i = 0; i < d->nm; i++) {
        free(d->metrics[i].name);
        free(d->metrics[i].col);
        free(d->metrics[i].den);
        free(d->metrics[i].cov);
        free(d->metrics[i].cov2);
        free(d->metrics[i].cap_spec);
    }
    free(d->metrics);
    dcx_strmap_free(&d->metric_names);
    for (size_t k = 0; k < d->nseg; k++) {
        free(d->segs[k]);
        dcx_strmap_free(&d->seg_values[k]);
        free(d->seg_level[k]);
    }
    free(d->segs);
    free(d->seg_i);
    free(d->seg_values);
    free(d->seg_level);
    free(d->seg_cap);
    for (size_t i = 0; i < d->nlevels; i++)
        free_level(d, &d->levels[i]);
    free(d->levels);
    for (size_t i = 0; i < d->nperiods; i++)
        free_level(d, &d->periods[i]);
    free(d->periods);
    dcx_strmap_free(&d->period_map);
    for (size_t i = 0; i < d->nstrata; i++)
        free_level(d, &d->strata[i]);
    free(d->strata);
    free(d->strat_col);
    dcx_strmap_free(&d->strat_values);
    dcx_strmap_free(&d->variants);
    free(d->time_col);
    free(d->variant_col);
    rowsel_free(&d->sel);
    memset(d, 0, sizeof *d);
}

/* The level index of value `s` of segment column k, created on first sight. */
dcx_status_t data_segment_level(data_t *d, size_t k, const char *s, size_t len, size_t *out,
                                dcx_error_t *err)
{
    if (!len) { /* an empty segment cell is its own level */
        s = "(missing)";
        len = 9;
    }
    long local = dcx_strmap_get(&d->seg_values[k], s, len);
    if (local >= 0) {
        *out = d->seg_level[k][local];
        return DCX_OK;
    }
    if ((local = dcx_strmap_put(&d->seg_values[k], s, len)) < 0)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if ((size_t)local >= d->seg_cap[k]) {
        size_t cap = d->seg_cap[k] ? d->seg_cap[k] * 2 : 8;
        size_t *p = realloc(d->seg_level[k], cap * sizeof *p);
        if (!p)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        memset(p + d->seg_cap[k], 0, (cap - d->seg_cap[k]) * sizeof *p);
        d->seg_level[k] = p;
        d->seg_cap[k] = cap;
    }
    dcx_status_t st = add_level(d, (long)k, s, len, out, err);
    if (!st)
        d->seg_level[k][local] = *out;
    return st;
}

long data_find_column(const dcx_csv_row_t *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->fields[i], name))
            return (long)i;
    return -1;
}

dcx_status_t data_missing_column(const char *file, const dcx_csv_row_t *h, const char *what,
                                 const char *name, dcx_error_t *err)
{
    char hint[256];
    dcx_csv_header_hint(h, hint, sizeof hint);
    return dcx_error_at(err, DCX_EPARSE, file, h->line, 0, "no %s column '%s' in the header (%s)",
                        what, name, hint);
}

/* ---- the second half of a large file, read into a store of its own ------------------- */

/* d2 gets d's metrics, columns and segment columns, and no data. */
dcx_status_t data_clone_layout(data_t *d2, const data_t *d, dcx_error_t *err)
{
    memset(d2, 0, sizeof *d2);
    d2->vcap = 2;
    d2->time_i = d->time_i;
    d2->variant_i = d->variant_i;
    d2->strat_i = d->strat_i;
    if (d->strat_col && !(d2->strat_col = strdup(d->strat_col)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    d2->metrics = calloc(d->nm, sizeof *d2->metrics);
    d2->segs = calloc(d->nseg + 1, sizeof *d2->segs);
    d2->seg_i = calloc(d->nseg + 1, sizeof *d2->seg_i);
    d2->seg_values = calloc(d->nseg + 1, sizeof *d2->seg_values);
    d2->seg_level = calloc(d->nseg + 1, sizeof *d2->seg_level);
    d2->seg_cap = calloc(d->nseg + 1, sizeof *d2->seg_cap);
    d2->variant_col = strdup(d->variant_col);
    d2->period = d->period;
    d2->delimiter = d->delimiter;
    d2->period_first_text = -1;
    if (d->time_col)
        d2->time_col = strdup(d->time_col);
    if (!d2->metrics || !d2->segs || !d2->seg_i || !d2->seg_values || !d2->seg_level
        || !d2->seg_cap || !d2->variant_col || (d->time_col && !d2->time_col))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    d2->nm = d->nm;
    for (size_t i = 0; i < d->nm; i++) {
        d2->metrics[i] = d->metrics[i];
        d2->metrics[i].name = strdup(d->metrics[i].name);
        d2->metrics[i].col = d2->metrics[i].den = d2->metrics[i].cov = d2->metrics[i].cov2 = NULL;
        d2->metrics[i].cap_spec = NULL;
        d2->metrics[i].capped_n = d2->metrics[i].cap_values = d2->metrics[i].cap_nonzero = 0;
        if (!d2->metrics[i].name)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    d2->nseg = d->nseg;
    for (size_t k = 0; k < d->nseg; k++) {
        d2->seg_i[k] = d->seg_i[k];
        if (!(d2->segs[k] = strdup(d->segs[k])))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t idx;
    return add_level(d2, -1, "all", 3, &idx, err);
}

static int merge_cell(cell_t *a, const cell_t *b)
{
    a->unresolved |= b->unresolved;
    a->missing += b->missing;
    a->ones += b->ones;
    a->neg += b->neg;
    return cell_merge_moments(a, b);
}

/* Folds level b of d2 into level a of d; vmap maps d2's variants to d's. -1: out of
 * memory. */
static int merge_level(const data_t *d, level_t *a, const data_t *d2, const level_t *b,
                       const size_t *vmap)
{
    for (size_t v = 0; v < d2->variants.n; v++) {
        a->units[vmap[v]] += b->units[v];
        for (size_t i = 0; i < d->nm; i++)
            if (merge_cell(level_cell(d, a, vmap[v], i), level_cell(d2, b, v, i)))
                return -1;
    }
    return 0;
}

/* Folds d2's strata into d's: each (level, stratum) block of d2 into d's block of the same
 * level (lmap: d2's level -> d's) and stratum value. */
static dcx_status_t merge_strata(data_t *d, const data_t *d2, const size_t *lmap, const size_t *vmap,
                                 dcx_error_t *err)
{
    for (size_t i = 0; i < d2->nstrata; i++) {
        const level_t *b = &d2->strata[i];
        long k = dcx_strmap_get(&d->strat_values, b->value, strlen(b->value));
        if (k < 0 && d->strat_values.n >= DCX_MAX_STRATA)
            return dcx_error_set(err, DCX_EPARSE,
                                 "column '%s' has more than " DCX_MAX_STRATA_TEXT " distinct values: "
                                 "post-stratification takes a categorical column (group the values first)",
                                 d->strat_col);
        if (k < 0 && (k = dcx_strmap_put(&d->strat_values, b->value, strlen(b->value))) < 0)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        level_t *a;
        dcx_status_t st = data_stratum_cells(d, lmap[b->seg], (size_t)k, &a, err);
        if (st)
            return st;
        if (merge_level(d, a, d2, b, vmap))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    return DCX_OK;
}

/* Folds d2 (the second half) into d, matching variants, levels, periods and strata by name. */
dcx_status_t data_merge(data_t *d, const data_t *d2, dcx_error_t *err)
{
    dcx_status_t st;
    size_t *vmap = malloc((d2->variants.n + 1) * sizeof *vmap);
    size_t *lmap = malloc((d2->nlevels + 1) * sizeof *lmap);
    if (!vmap || !lmap) {
        free(vmap);
        free(lmap);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    for (size_t v = 0; v < d2->variants.n; v++) {
        long k = dcx_strmap_put(&d->variants, d2->variants.keys[v], d2->variants.lens[v]);
        if (k < 0 || (st = data_reserve_variant(d, (size_t)k, err))) {
            free(vmap);
            free(lmap);
            return k < 0 ? dcx_error_set(err, DCX_ENOMEM, "out of memory") : st;
        }
        vmap[v] = (size_t)k;
    }
    for (size_t l2 = 0; l2 < d2->nlevels; l2++) {
        const level_t *b = &d2->levels[l2];
        size_t l = 0;
        if (b->seg >= 0 && (st = data_segment_level(d, (size_t)b->seg, b->value, strlen(b->value), &l, err))) {
            free(vmap);
            free(lmap);
            return st;
        }
        if (merge_level(d, &d->levels[l], d2, b, vmap)) {
            free(vmap);
            free(lmap);
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
        lmap[l2] = l;
    }
    st = merge_strata(d, d2, lmap, vmap, err);
    free(lmap);
    if (st) {
        free(vmap);
        return st;
    }
    if ((d->period_iso && (d2->period_num || d2->period_text))
        || (d2->period_iso && (d->period_num || d->period_text))) {
        free(vmap);
        return dcx_error_set(err, DCX_EPARSE,
                             "column '%s' mixes ISO dates with other values: write every period "
                             "as an ISO date (2026-11-02)",
                             d->time_col);
    }
    d->period_iso |= d2->period_iso;
    d->period_num |= d2->period_num;
    d->period_text |= d2->period_text;
    for (size_t p2 = 0; p2 < d2->nperiods; p2++) {
        const level_t *b = &d2->periods[p2];
        size_t p;
        if ((st = data_add_period(d, b->value, strlen(b->value), &p, err))) {
            free(vmap);
            return st;
        }
        if (merge_level(d, &d->periods[p], d2, b, vmap)) {
            free(vmap);
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
    }
    free(vmap);
    for (size_t i = 0; i < d->nm; i++) {
        d->metrics[i].capped_n += d2->metrics[i].capped_n;
        d->metrics[i].cap_values += d2->metrics[i].cap_values;
        d->metrics[i].cap_nonzero += d2->metrics[i].cap_nonzero;
        d->metrics[i].not01 |= d2->metrics[i].not01;
        d->metrics[i].saw_word |= d2->metrics[i].saw_word;
        if (d->metrics[i].saw_word && d->metrics[i].not01)
            return dcx_error_set(err, DCX_EPARSE,
                                 "column '%s' mixes yes/no words with numbers other than 0/1",
                                 d->metrics[i].col);
    }
    return DCX_OK;
}

/* ---- ratio CUPED: the covariate pair beside a cell's moments -------------------------- */

int cell_add4(cell_t *c, double x, double y, double u, double w)
{
    if (!c->ext && !(c->ext = calloc(1, sizeof *c->ext)))
        return -1;
    cell_ext_t *e = c->ext;
    dcx_moments_add2(&c->m, x, y);
    dcx_moments_add2(&e->cov, u, w);
    double d1 = x - c->m.shift_x, d2 = y - c->m.shift_y;
    double d3 = u - e->cov.shift_x, d4 = w - e->cov.shift_y;
    e->cross[0] += d1 * d3;
    e->cross[1] += d1 * d4;
    e->cross[2] += d2 * d3;
    e->cross[3] += d2 * d4;
    return 0;
}

int cell_merge_moments(cell_t *a, const cell_t *b)
{
    if (b->ext && b->m.n > 0) {
        if (!a->ext && !(a->ext = calloc(1, sizeof *a->ext)))
            return -1;
        cell_ext_t *e = a->ext;
        const cell_ext_t *f = b->ext;
        if (a->m.n == 0) {
            *e = *f;
        } else {
            /* b's deviations around a's shifts: d' = d + u (as dcx_moments_merge does) */
            double n = b->m.n;
            double u1 = b->m.shift_x - a->m.shift_x, u2 = b->m.shift_y - a->m.shift_y;
            double u3 = f->cov.shift_x - e->cov.shift_x, u4 = f->cov.shift_y - e->cov.shift_y;
            e->cross[0] += f->cross[0] + u3 * b->m.sx + u1 * f->cov.sx + n * u1 * u3;
            e->cross[1] += f->cross[1] + u4 * b->m.sx + u1 * f->cov.sy + n * u1 * u4;
            e->cross[2] += f->cross[2] + u3 * b->m.sy + u2 * f->cov.sx + n * u2 * u3;
            e->cross[3] += f->cross[3] + u4 * b->m.sy + u2 * f->cov.sy + n * u2 * u4;
            dcx_moments_merge(&e->cov, &f->cov);
        }
    }
    dcx_moments_merge(&a->m, &b->m);
    return 0;
}

void cell_moments4(const cell_t *c, double mu[4], double s[4][4])
{
    const dcx_moments_t *m = &c->m;
    static const cell_ext_t none;
    const cell_ext_t *e = c->ext ? c->ext : &none;
    double n = m->n;
    /* the deviations' sums and their products' sums, variable by variable */
    double sh[4] = {m->shift_x, m->shift_y, e->cov.shift_x, e->cov.shift_y};
    double sd[4] = {m->sx, m->sy, e->cov.sx, e->cov.sy};
    double sp[4][4] = {{m->sxx, m->sxy, e->cross[0], e->cross[1]},
                       {m->sxy, m->syy, e->cross[2], e->cross[3]},
                       {e->cross[0], e->cross[2], e->cov.sxx, e->cov.sxy},
                       {e->cross[1], e->cross[3], e->cov.sxy, e->cov.syy}};
    for (int i = 0; i < 4; i++) {
        mu[i] = n > 0 ? sh[i] + sd[i] / n : NAN;
        for (int j = 0; j < 4; j++)
            s[i][j] = n > 1 ? (sp[i][j] - sd[i] * sd[j] / n) / (n - 1) : NAN;
    }
    for (int i = 0; i < 4; i++) /* a variance is never negative (rounding) */
        if (n > 1 && s[i][i] < 0)
            s[i][i] = 0;
}
