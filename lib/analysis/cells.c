/* cells.c — metric specs and the one-pass folding of unit-level or summary CSV rows
 * into cells of moments. */
#include "cells.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcx/csv.h"
#include "numparse.h"

char *data_dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
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
    l->cells = calloc(d->vcap * d->nm, sizeof *l->cells);
    l->units = calloc(d->vcap, sizeof *l->units);
    if (!l->value || !l->cells || !l->units) {
        free(l->value);
        free(l->cells);
        free(l->units);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    *idx = d->nlevels++;
    return DCX_OK;
}

static dcx_status_t add_period(data_t *d, const char *value, size_t len, size_t *idx,
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
    l->cells = calloc(d->vcap * d->nm, sizeof *l->cells);
    l->units = calloc(d->vcap, sizeof *l->units);
    if (!l->value || !l->cells || !l->units) {
        free(l->value);
        free(l->cells);
        free(l->units);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    *idx = d->nperiods++;
    return DCX_OK;
}

static int grow_level(const data_t *d, level_t *l, size_t vcap)
{
    cell_t *c = realloc(l->cells, vcap * d->nm * sizeof *c);
    if (!c)
        return -1;
    memset(c + d->vcap * d->nm, 0, (vcap - d->vcap) * d->nm * sizeof *c);
    l->cells = c;
    double *u = realloc(l->units, vcap * sizeof *u);
    if (!u)
        return -1;
    memset(u + d->vcap, 0, (vcap - d->vcap) * sizeof *u);
    l->units = u;
    return 0;
}

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
    d->vcap = vcap;
    return DCX_OK;
}

dcx_status_t data_init(data_t *d, const data_spec_t *sp, dcx_error_t *err)
{
    const dcx_strlist_t *segments = sp->segments;
    const char *time_col = sp->time_col, *variant_col = sp->variant_col;
    memset(d, 0, sizeof *d);
    d->time_i = d->variant_i = -1;
    d->vcap = 4;
    d->period = sp->period;
    d->delimiter = sp->delimiter ? sp->delimiter : ',';
    d->period_first_text = -1;
    dcx_status_t st = metrics_parse(d, sp, err);
    if (st)
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
    if (!(d->variant_col = strdup(variant_col ? variant_col : "variant")))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    size_t idx;
    return add_level(d, -1, "all", 3, &idx, err);
}

static void free_level(const data_t *d, level_t *l)
{
    for (size_t i = 0; i < d->vcap * d->nm; i++)
        free(l->cells[i].vals);
    free(l->cells);
    free(l->units);
    free(l->value);
}

void data_free(data_t *d)
{
    for (size_t i = 0; i < d->nm; i++) {
        free(d->metrics[i].name);
        free(d->metrics[i].col);
        free(d->metrics[i].den);
        free(d->metrics[i].cov);
        free(d->metrics[i].cap_spec);
    }
    free(d->metrics);
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
    dcx_strmap_free(&d->variants);
    free(d->time_col);
    free(d->variant_col);
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

static int keep_value(cell_t *c, double x)
{
    if (c->nvals == c->capvals) {
        size_t cap = c->capvals ? c->capvals * 2 : 64;
        double *v = realloc(c->vals, cap * sizeof *v);
        if (!v)
            return -1;
        c->vals = v;
        c->capvals = cap;
    }
    c->vals[c->nvals++] = x;
    return 0;
}

#define MAX_LEVELS_PER_ROW 64

/* Values beyond this cannot be squared (and summed) in a double without overflow. */
#define DCX_VALUE_MAX 1e150
#define TOO_LARGE "is too large: its square overflows a double (at most 1e150)"

/* ---- the hot path: fields are parsed where libcsv hands them over ---------------------- */

enum { U_VARIANT, U_SEG, U_TIME, U_VAL, U_DEN, U_COV };

typedef struct {
    unsigned char kind;
    size_t idx; /* segment column or metric */
} use_t;

typedef struct {
    double x, y, ones, neg;
    unsigned char blank, den_blank, cov_blank;
} slot_t;

typedef struct {
    data_t *d;
    const char *file;
    char **header;
    size_t ncols;
    use_t *uses;       /* the uses of column c are uses[first[c] .. first[c] + nuse[c]) */
    size_t *first, *nuse;
    unsigned char *want; /* columns with a use */
    dcx_csv_field_fn *by_col; /* the callback of a column with a single use */
    dcx_error_t *err;
    dcx_status_t st;
    long rows;
    int derive_all;
    /* the row being read */
    long v;
    size_t lv[MAX_LEVELS_PER_ROW], nl0;
    level_t *period;
    slot_t *slot;      /* per metric */
} rowctx_t;

static int bad_field(rowctx_t *rc, size_t col, long line, const char *s, const char *why)
{
    rc->st = dcx_error_at(rc->err, DCX_EPARSE, rc->file, line, (long)col + 1,
                          "column '%s': '%.60s' %s", rc->header[col], s, why);
    return 1;
}

/* One use of one cell. `kind` is a constant wherever this is inlined below, so each
 * per-kind callback compiles to its own case alone. Returns non-zero to stop. */
static inline __attribute__((always_inline)) int
apply_use(rowctx_t *rc, unsigned kind, const use_t *use, size_t col, const char *s, size_t len,
          long line)
{
    data_t *d = rc->d;
    switch (kind) {
    case U_VARIANT: {
        if (dcx_is_blank_fast(s, len)) {
            rc->st = dcx_error_at(rc->err, DCX_EPARSE, rc->file, line, (long)col + 1,
                                  "column '%s': empty variant", d->variant_col);
            return 1;
        }
        long v = dcx_strmap_cached(&d->variants, s, len);
        if (v < 0) {
            if ((v = dcx_strmap_put(&d->variants, s, len)) < 0) {
                rc->st = dcx_error_set(rc->err, DCX_ENOMEM, "out of memory");
                return 1;
            }
            if ((rc->st = data_reserve_variant(d, (size_t)v, rc->err)))
                return 1;
        }
        rc->v = v;
        break;
    }
    case U_SEG: {
        long local = dcx_strmap_cached(&d->seg_values[use->idx], s, len);
        if (local >= 0)
            rc->lv[rc->nl0 + use->idx] = d->seg_level[use->idx][local];
        else if ((rc->st = data_segment_level(d, use->idx, s, len, &rc->lv[rc->nl0 + use->idx],
                                         rc->err)))
            return 1;
        break;
    }
    case U_TIME: {
        size_t p = 0;
        if (dcx_is_blank_fast(s, len)) {
            rc->st = dcx_error_at(rc->err, DCX_EPARSE, rc->file, line, (long)col + 1,
                                  "column '%s': empty period", d->time_col);
            return 1;
        }
        /* ISO dates and timestamps become their day, week or month; other values stay
         * as they are (numbers are ordered as numbers, text as first seen) */
        char label[PERIOD_LABEL_MAX];
        double num;
        int iso = period_label(s, len, d->period, label);
        if (iso) {
            s = label;
            len = strlen(label);
        } else if (dcx_parse_number_fast(s, len, &num)) {
            d->period_num = 1;
        } else if (!d->period_text) {
            d->period_text = 1;
            d->period_first_text = line;
        }
        if (iso ? d->period_num || d->period_text : d->period_iso) {
            rc->st = dcx_error_at(rc->err, DCX_EPARSE, rc->file, line, (long)col + 1,
                                  "column '%s': '%.60s' %s", d->time_col, s,
                                  iso ? "is a date, but earlier values are not: write every period "
                                        "as an ISO date (2026-11-02)"
                                      : "is not an ISO date like the earlier values: write dates as "
                                        "2026-11-02 (or 2026-11-02T14:05:00Z)");
            return 1;
        }
        d->period_iso |= iso;
        if ((rc->st = add_period(d, s, len, &p, rc->err)))
            return 1;
        rc->period = &d->periods[p];
        break;
    }
    case U_VAL: {
        metric_t *m = &d->metrics[use->idx];
        slot_t *sl = &rc->slot[use->idx];
        if (dcx_is_blank_fast(s, len)) {
            sl->blank = 1;
            break;
        }
        double x = 0;
        switch (m->type) {
        case MT_BINARY:
            if (!dcx_parse_bool_fast(s, len, &x))
                return bad_field(rc, col, line, s, "is not 0/1/true/false/yes/no");
            sl->ones = x;
            break;
        case MT_AUTO:
            if (dcx_parse_number_fast(s, len, &x)) {
                if (fabs(x) > DCX_VALUE_MAX)
                    return bad_field(rc, col, line, s, TOO_LARGE);
                if (x != 0 && x != 1)
                    m->not01 = 1;
                if (m->cap_on)
                    x = fmax(m->cap_lo, fmin(m->cap_hi, x));
            } else if (dcx_parse_bool_fast(s, len, &x)) {
                m->saw_word = 1;
            } else {
                return bad_field(rc, col, line, s, "is not a number");
            }
            if (m->saw_word && m->not01)
                return bad_field(rc, col, line, s,
                                 "mixes yes/no words with numbers other than 0/1");
            sl->ones = x == 1;
            break;
        case MT_MEAN:
        case MT_RATIO:
        case MT_QUANTILE:
            if (!dcx_parse_number_fast(s, len, &x))
                return bad_field(rc, col, line, s, "is not a number");
            if (fabs(x) > DCX_VALUE_MAX)
                return bad_field(rc, col, line, s, TOO_LARGE);
            if (m->cap_on) /* winsorized at thresholds fixed before this pass */
                x = fmax(m->cap_lo, fmin(m->cap_hi, x));
            break;
        case MT_NPS:
            if (!dcx_parse_number_fast(s, len, &x) || x != floor(x) || x < 0 || x > 10)
                return bad_field(rc, col, line, s, "is not a score from 0 to 10");
            x = x >= 9 ? 1 : (x >= 7 ? 0 : -1);
            sl->ones = x == 1;
            sl->neg = x == -1;
            break;
        }
        sl->x = x;
        break;
    }
    case U_DEN:
    case U_COV: {
        slot_t *sl = &rc->slot[use->idx];
        if (dcx_is_blank_fast(s, len)) {
            if (kind == U_DEN)
                sl->den_blank = 1;
            else
                sl->cov_blank = 1;
            break;
        }
        if (!dcx_parse_number_fast(s, len, &sl->y))
            return bad_field(rc, col, line, s, "is not a number");
        if (fabs(sl->y) > DCX_VALUE_MAX)
            return bad_field(rc, col, line, s, TOO_LARGE);
        break;
    }
    }
    return 0;
}

static int on_field(void *ctx, size_t col, const char *s, size_t len, long line)
{
    rowctx_t *rc = ctx;
    if (col >= rc->ncols)
        return 0; /* the row callback reports the ragged row */
    for (size_t u = rc->first[col], end = u + rc->nuse[col]; u < end; u++)
        if (apply_use(rc, rc->uses[u].kind, &rc->uses[u], col, s, len, line))
            return 1;
    return 0;
}

/* Columns with a single use get a callback of their own (dcx_csv_handler_t.by_col):
 * one call per cell and no dispatch. */
#define ONE_USE_CALLBACK(name, KIND)                                                        \
    static int name(void *ctx, size_t col, const char *s, size_t len, long line)            \
    {                                                                                       \
        rowctx_t *rc = ctx;                                                                 \
        return apply_use(rc, KIND, &rc->uses[rc->first[col]], col, s, len, line);          \
    }
ONE_USE_CALLBACK(on_variant, U_VARIANT)
ONE_USE_CALLBACK(on_segment, U_SEG)
ONE_USE_CALLBACK(on_period, U_TIME)
ONE_USE_CALLBACK(on_value, U_VAL)
ONE_USE_CALLBACK(on_denominator, U_DEN)
ONE_USE_CALLBACK(on_covariate, U_COV)

static dcx_csv_field_fn const one_use_callback[] = {
    [U_VARIANT] = on_variant, [U_SEG] = on_segment,        [U_TIME] = on_period,
    [U_VAL] = on_value,       [U_DEN] = on_denominator, [U_COV] = on_covariate,
};

static int on_row(void *ctx, size_t nfields, long line)
{
    rowctx_t *rc = ctx;
    data_t *d = rc->d;
    if (nfields != rc->ncols) {
        rc->st = dcx_error_at(rc->err, DCX_EPARSE, rc->file, line, 0,
                              "row has %zu field%s, expected %zu like the header", nfields,
                              nfields == 1 ? "" : "s", rc->ncols);
        return 1;
    }
    rc->rows++;
    size_t v = (size_t)rc->v, nl = rc->nl0 + d->nseg, nm = d->nm, nb = nl;
    cell_t *base[MAX_LEVELS_PER_ROW + 1]; /* this variant's cells in each level of the row */
    for (size_t k = 0; k < nl; k++) {
        level_t *l = &d->levels[rc->lv[k]];
        l->units[v] += 1;
        base[k] = l->cells + v * nm;
    }
    if (rc->period) { /* last, so that k < nl below means "a segment level" */
        rc->period->units[v] += 1;
        base[nb++] = rc->period->cells + v * nm;
    }
    for (size_t i = 0; i < nm; i++) {
        const metric_t *m = &d->metrics[i];
        slot_t *sl = &rc->slot[i];
        int missing = sl->blank || (m->den_i >= 0 && sl->den_blank) || (m->cov_i >= 0 && sl->cov_blank);
        if (missing) {
            for (size_t k = 0; k < nb; k++)
                base[k][i].missing += 1;
        } else if (m->den_i >= 0 || m->cov_i >= 0) {
            for (size_t k = 0; k < nb; k++) {
                cell_t *c = &base[k][i];
                dcx_moments_add2(&c->m, sl->x, sl->y);
                c->ones += sl->ones;
                c->neg += sl->neg;
            }
        } else {
            const double x = sl->x, ones = sl->ones, neg = sl->neg;
            for (size_t k = 0; k < nb; k++) {
                cell_t *c = &base[k][i];
                dcx_moments_add(&c->m, x);
                c->ones += ones;
                c->neg += neg;
            }
            if (m->keep)
                for (size_t k = 0; k < nl; k++)
                    if (keep_value(&base[k][i], x)) {
                        rc->st = dcx_error_set(rc->err, DCX_ENOMEM, "out of memory keeping values");
                        return 1;
                    }
        }
        *sl = (slot_t){0};
    }
    rc->period = NULL;
    return 0;
}

static int add_use(rowctx_t *rc, size_t *count, long col, unsigned char kind, size_t idx)
{
    if (col < 0)
        return 0;
    use_t *u = realloc(rc->uses, (*count + 1) * sizeof *u);
    if (!u)
        return -1;
    rc->uses = u;
    u[*count] = (use_t){kind, idx};
    /* kept sorted by column below; remember the column in the spare first[] slot */
    rc->first[*count] = (size_t)col;
    (*count)++;
    return 0;
}

/* ---- reading the second half of a large file on another thread ------------------------ */

/* d2 gets d's metrics, columns and segment columns, and no data. */
static dcx_status_t clone_layout(data_t *d2, const data_t *d, dcx_error_t *err)
{
    memset(d2, 0, sizeof *d2);
    d2->vcap = 4;
    d2->time_i = d->time_i;
    d2->variant_i = d->variant_i;
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
        d2->metrics[i].col = d2->metrics[i].den = d2->metrics[i].cov = NULL;
        d2->metrics[i].cap_spec = NULL;
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

static void merge_cell(cell_t *a, const cell_t *b)
{
    a->unresolved |= b->unresolved;
    dcx_moments_merge(&a->m, &b->m);
    a->missing += b->missing;
    a->ones += b->ones;
    a->neg += b->neg;
}

/* Folds level b of d2 into level a of d; vmap maps d2's variants to d's. */
static void merge_level(const data_t *d, level_t *a, const data_t *d2, const level_t *b,
                        const size_t *vmap)
{
    for (size_t v = 0; v < d2->variants.n; v++) {
        a->units[vmap[v]] += b->units[v];
        for (size_t i = 0; i < d->nm; i++)
            merge_cell(level_cell(d, a, vmap[v], i), level_cell(d2, b, v, i));
    }
}

/* Folds d2 (the second half) into d, matching variants, levels and periods by name. */
static dcx_status_t merge_data(data_t *d, const data_t *d2, dcx_error_t *err)
{
    dcx_status_t st;
    size_t *vmap = malloc((d2->variants.n + 1) * sizeof *vmap);
    if (!vmap)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t v = 0; v < d2->variants.n; v++) {
        long k = dcx_strmap_put(&d->variants, d2->variants.keys[v], d2->variants.lens[v]);
        if (k < 0 || (st = data_reserve_variant(d, (size_t)k, err))) {
            free(vmap);
            return k < 0 ? dcx_error_set(err, DCX_ENOMEM, "out of memory") : st;
        }
        vmap[v] = (size_t)k;
    }
    for (size_t l2 = 0; l2 < d2->nlevels; l2++) {
        const level_t *b = &d2->levels[l2];
        size_t l = 0;
        if (b->seg >= 0 && (st = data_segment_level(d, (size_t)b->seg, b->value, strlen(b->value), &l, err))) {
            free(vmap);
            return st;
        }
        merge_level(d, &d->levels[l], d2, b, vmap);
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
        if ((st = add_period(d, b->value, strlen(b->value), &p, err))) {
            free(vmap);
            return st;
        }
        merge_level(d, &d->periods[p], d2, b, vmap);
    }
    free(vmap);
    for (size_t i = 0; i < d->nm; i++) {
        d->metrics[i].not01 |= d2->metrics[i].not01;
        d->metrics[i].saw_word |= d2->metrics[i].saw_word;
        if (d->metrics[i].saw_word && d->metrics[i].not01)
            return dcx_error_set(err, DCX_EPARSE,
                                 "column '%s' mixes yes/no words with numbers other than 0/1",
                                 d->metrics[i].col);
    }
    return DCX_OK;
}

typedef struct {
    rowctx_t rc;
    const char *path;
    long long start;
    dcx_error_t err;
    dcx_status_t st;
} half_t;

static void *read_half(void *arg)
{
    half_t *h = arg;
    dcx_csv_reader_t *r;
    h->st = dcx_csv_open_range(h->path, h->start, 0, &r, &h->err);
    if (h->st)
        return NULL;
    dcx_csv_delimiter(r, h->rc.d->delimiter);
    dcx_csv_trim(r, 1);
    const dcx_csv_handler_t handler = {on_field, on_row, h->rc.want, h->rc.ncols, h->rc.by_col};
    h->st = dcx_csv_push(r, &handler, &h->rc, &h->err);
    if (!h->st)
        h->st = h->rc.st;
    dcx_csv_close(r);
    return NULL;
}

/* The offset just past the first line end at or after `from`, or -1. */
static long long line_start_after(const char *path, long long from)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long long pos = -1;
    if (fseeko(f, (off_t)from, SEEK_SET) == 0) {
        int c;
        long long at = from;
        while ((c = getc(f)) != EOF) {
            at++;
            if (c == '\n') {
                pos = at;
                break;
            }
        }
    }
    fclose(f);
    return pos;
}

/* ---- type-7 quantiles and the capping pass ------------------------------------------- */

/* the k-th smallest (0-based) of v[lo..hi], partially reordering v (Hoare's selection) */
static double select_kth(double *v, size_t lo, size_t hi, size_t k)
{
    while (lo < hi) {
        double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
}

double data_quantile7(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q; /* 0-based: x[floor h] + frac (x[floor h + 1] - x[floor h]) */
    size_t k = (size_t)floor(h);
    if (k >= n - 1)
        return select_kth(v, 0, n - 1, n - 1);
    double lo = select_kth(v, 0, n - 1, k), hi = v[k + 1];
    for (size_t i = k + 2; i < n; i++) /* the smallest of the right part */
        if (v[i] < hi)
            hi = v[i];
    return lo + (h - (double)k) * (hi - lo);
}

typedef struct {
    data_t *d;
    const char *file;
    size_t *which;   /* column -> capped metric index + 1 (0: not wanted) */
    size_t ncols;
    double **vals;   /* per metric: the pooled values */
    size_t *nvals, *capv;
    dcx_error_t *err;
    dcx_status_t st;
} cappass_t;

static int cap_field(void *ctx, size_t col, const char *s, size_t len, long line)
{
    cappass_t *c = ctx;
    if (col >= c->ncols || !c->which[col])
        return 0; /* rows read with the header come with every column */
    size_t mi = c->which[col] - 1;
    if (dcx_is_blank_fast(s, len))
        return 0;
    double x;
    if (!dcx_parse_number_fast(s, len, &x) || fabs(x) > DCX_VALUE_MAX) {
        c->st = dcx_error_at(c->err, DCX_EPARSE, c->file, line, (long)col + 1,
                             "column '%s': '%.60s' %s", c->d->metrics[mi].col, s,
                             fabs(x) > DCX_VALUE_MAX ? TOO_LARGE : "is not a number");
        return 1;
    }
    if (c->nvals[mi] == c->capv[mi]) {
        size_t cap = c->capv[mi] ? c->capv[mi] * 2 : 4096;
        double *p = realloc(c->vals[mi], cap * sizeof *p);
        if (!p) {
            c->st = dcx_error_set(c->err, DCX_ENOMEM, "out of memory collecting the values to cap");
            return 1;
        }
        c->vals[mi] = p;
        c->capv[mi] = cap;
    }
    c->vals[mi][c->nvals[mi]++] = x;
    return 0;
}

static int cap_row(void *ctx, size_t nfields, long line)
{
    (void)ctx, (void)nfields, (void)line;
    return 0; /* ragged rows are the main pass's to report */
}

typedef struct {
    cappass_t c;
    const char *path;
    long long start;
    unsigned char *want;
    size_t ncols;
    dcx_error_t err;
    dcx_status_t st;
} caphalf_t;

/* the second half of the capping pass, on its own thread */
static void *cap_half(void *arg)
{
    caphalf_t *h = arg;
    dcx_csv_reader_t *r;
    if ((h->st = dcx_csv_open_range(h->path, h->start, 0, &r, &h->err)))
        return NULL;
    dcx_csv_delimiter(r, h->c.d->delimiter);
    dcx_csv_trim(r, 1);
    const dcx_csv_handler_t hd = {cap_field, cap_row, h->want, h->ncols, NULL};
    h->c.err = &h->err;
    if (!(h->st = dcx_csv_push(r, &hd, &h->c, &h->err)))
        h->st = h->c.st;
    dcx_csv_close(r);
    return NULL;
}

static void cap_free(cappass_t *c, size_t nm)
{
    for (size_t i = 0; c->vals && i < nm; i++)
        free(c->vals[i]);
    free(c->vals);
    free(c->nvals);
    free(c->capv);
    c->vals = NULL, c->nvals = c->capv = NULL;
}

#define CAP_PARALLEL_MIN_BYTES (8LL << 20)

/* The first of two passes when a cap is a percentile: the capped columns' values, pooled
 * over every arm and segment level, give the thresholds (R quantile(type = 7)). Memory:
 * one double per value of each capped column. A large file is read in two halves at
 * once, as the main pass does. */
static dcx_status_t cap_thresholds(data_t *d, const char *path, dcx_error_t *err)
{
    int need = 0;
    for (size_t i = 0; i < d->nm; i++)
        need |= d->metrics[i].cap_on && (!isnan(d->metrics[i].cap_plo) || !isnan(d->metrics[i].cap_phi));
    if (!need)
        return DCX_OK;
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, d->delimiter);
    dcx_csv_trim(r, 1);
    dcx_csv_row_t row;
    cappass_t c = {d, dcx_csv_name(r), NULL, 0, NULL, NULL, NULL, err, DCX_OK};
    if ((st = dcx_csv_header(r, &row, "a header row", err))) {
        dcx_csv_close(r);
        return st;
    }
    c.which = calloc(row.n + 1, sizeof *c.which);
    c.ncols = row.n;
    c.vals = calloc(d->nm, sizeof *c.vals);
    c.nvals = calloc(d->nm, sizeof *c.nvals);
    c.capv = calloc(d->nm, sizeof *c.capv);
    unsigned char *want = calloc(row.n + 1, 1);
    if (!c.which || !c.vals || !c.nvals || !c.capv || !want) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < d->nm; i++) {
        const metric_t *m = &d->metrics[i];
        if (!m->cap_on || (isnan(m->cap_plo) && isnan(m->cap_phi)))
            continue;
        for (size_t k = 0; k < row.n; k++)
            if (!strcmp(row.fields[k], m->col)) {
                c.which[k] = i + 1;
                want[k] = 1;
            }
    }
    const dcx_csv_handler_t h = {cap_field, cap_row, want, row.n, NULL};
    struct stat sb;
    long long split = -1;
    caphalf_t *h2 = NULL;
    pthread_t th;
    int threaded = 0;
    if (strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= CAP_PARALLEL_MIN_BYTES)
        split = line_start_after(path, sb.st_size / 2);
    if (split > 0 && split < sb.st_size && (h2 = calloc(1, sizeof *h2))) {
        h2->c = c;
        h2->c.vals = calloc(d->nm, sizeof *h2->c.vals);
        h2->c.nvals = calloc(d->nm, sizeof *h2->c.nvals);
        h2->c.capv = calloc(d->nm, sizeof *h2->c.capv);
        h2->path = path, h2->start = split, h2->want = want, h2->ncols = row.n;
        if (h2->c.vals && h2->c.nvals && h2->c.capv) {
            dcx_csv_limit(r, split);
            threaded = pthread_create(&th, NULL, cap_half, h2) == 0;
        }
        if (!threaded)
            dcx_csv_limit(r, 0);
    }
    st = dcx_csv_push(r, &h, &c, err);
    if (!st)
        st = c.st;
    if (threaded) {
        pthread_join(th, NULL);
        if (!st && !dcx_csv_between_rows(r)) { /* the split was inside a quoted field */
            dcx_csv_limit(r, 0);
            if (!(st = dcx_csv_push(r, &h, &c, err)))
                st = c.st;
        } else if (!st && h2->st) {
            *err = h2->err;
            if (err->line > 0)
                err->line += dcx_csv_lines(r) - 1;
            st = h2->st;
        } else if (!st) { /* the second half's values join the first's */
            for (size_t i = 0; i < d->nm && !st; i++) {
                if (!h2->c.nvals[i])
                    continue;
                double *p = realloc(c.vals[i], (c.nvals[i] + h2->c.nvals[i]) * sizeof *p);
                if (!p) {
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory collecting the values to cap");
                    break;
                }
                memcpy(p + c.nvals[i], h2->c.vals[i], h2->c.nvals[i] * sizeof *p);
                c.vals[i] = p;
                c.nvals[i] += h2->c.nvals[i];
                c.capv[i] = c.nvals[i];
            }
        }
    }
    if (h2) {
        cap_free(&h2->c, d->nm);
        free(h2);
    }
    if (st)
        goto done;
    for (size_t i = 0; i < d->nm; i++) {
        metric_t *m = &d->metrics[i];
        if (!m->cap_on || (isnan(m->cap_plo) && isnan(m->cap_phi)))
            continue;
        if (!c.nvals[i]) {
            st = dcx_error_at(err, DCX_EPARSE, c.file, 0, 0, "--cap %s: the column has no values",
                              m->cap_spec);
            goto done;
        }
        if (!isnan(m->cap_plo))
            m->cap_lo = data_quantile7(c.vals[i], c.nvals[i], m->cap_plo / 100);
        if (!isnan(m->cap_phi))
            m->cap_hi = data_quantile7(c.vals[i], c.nvals[i], m->cap_phi / 100);
    }
done:
    cap_free(&c, d->nm);
    free(c.which);
    free(want);
    dcx_csv_close(r);
    return st;
}

/* Standard input cannot be read twice: it is copied to a private temporary file. */
static dcx_status_t spool_stdin(char **tmp, dcx_error_t *err)
{
    const char *dir = "/tmp";
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    snprintf(path, n, "%s/dcx-stdin-XXXXXX", dir);
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        free(path);
        return dcx_error_set(err, DCX_EIO, "cannot create a temporary file for standard input");
    }
    char buf[65536];
    size_t got;
    int bad = 0;
    while ((got = fread(buf, 1, sizeof buf, stdin)) > 0)
        if (fwrite(buf, 1, got, f) != got)
            bad = 1;
    bad |= ferror(stdin) != 0;
    if (fclose(f) != 0 || bad) {
        unlink(path);
        free(path);
        return dcx_error_set(err, DCX_EIO, "cannot copy standard input to a temporary file");
    }
    *tmp = path;
    return DCX_OK;
}

#define PARALLEL_MIN_BYTES (8LL << 20)

static dcx_status_t read_units(data_t *d, const char *path, const char *name, dcx_error_t *err);

dcx_status_t data_read_units(data_t *d, const char *path, dcx_error_t *err)
{
    int two_pass = 0;
    for (size_t i = 0; i < d->nm; i++)
        two_pass |= d->metrics[i].cap_on && (!isnan(d->metrics[i].cap_plo) || !isnan(d->metrics[i].cap_phi));
    char *spooled = NULL;
    dcx_status_t st;
    if (two_pass && !strcmp(path, "-") && (st = spool_stdin(&spooled, err)))
        return st;
    st = cap_thresholds(d, spooled ? spooled : path, err);
    if (!st)
        st = read_units(d, spooled ? spooled : path, spooled ? "<stdin>" : path, err);
    if (spooled) {
        unlink(spooled);
        free(spooled);
    }
    return st;
}

static dcx_status_t read_units(data_t *d, const char *path, const char *name, dcx_error_t *err)
{
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    (void)name;
    dcx_csv_delimiter(r, d->delimiter);
    const char *file = dcx_csv_name(r);
    dcx_csv_row_t row;
    if ((st = dcx_csv_header(r, &row, "a header row", err))) {
        dcx_csv_close(r);
        return st;
    }
    if (d->nseg + 1 > MAX_LEVELS_PER_ROW) {
        dcx_csv_close(r);
        return dcx_error_set(err, DCX_EINVAL, "at most %d segment columns", MAX_LEVELS_PER_ROW - 1);
    }
    /* header: find every column we need */
    if ((d->variant_i = data_find_column(&row, d->variant_col)) < 0)
        st = data_missing_column(file, &row, "variant", d->variant_col, err);
    for (size_t i = 0; !st && i < d->nm; i++) {
        metric_t *m = &d->metrics[i];
        if ((m->col_i = data_find_column(&row, m->col)) < 0)
            st = data_missing_column(file, &row, "metric", m->col, err);
        else if (m->den && (m->den_i = data_find_column(&row, m->den)) < 0)
            st = data_missing_column(file, &row, "denominator", m->den, err);
        else if (m->cov && (m->cov_i = data_find_column(&row, m->cov)) < 0)
            st = data_missing_column(file, &row, "covariate", m->cov, err);
    }
    for (size_t k = 0; !st && k < d->nseg; k++)
        if ((d->seg_i[k] = data_find_column(&row, d->segs[k])) < 0)
            st = data_missing_column(file, &row, "segment", d->segs[k], err);
    if (!st && d->time_col && (d->time_i = data_find_column(&row, d->time_col)) < 0)
        st = data_missing_column(file, &row, "time", d->time_col, err);
    if (st) {
        dcx_csv_close(r);
        return st;
    }
    char **header = malloc(row.n * sizeof *header);
    size_t ncols = row.n;
    if (!header) {
        dcx_csv_close(r);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ncols; i++)
        header[i] = NULL;
    for (size_t i = 0; i < ncols; i++)
        if (!(header[i] = strdup(row.fields[i]))) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
    dcx_csv_expect_width(r, ncols);
    dcx_csv_trim(r, 1);
    /* Each unit lies in exactly one level of a segment column, so the all-units cells
     * are the merge of the first segment column's level cells (Chan's formula, exact):
     * rows then update one cell fewer. Rank tests keep values, so they skip this. */
    int derive_all = d->nseg > 0 && !d->keep_values;
    long rows = 0;
    rowctx_t rc;
    memset(&rc, 0, sizeof rc);
    rc.d = d, rc.file = file, rc.header = header, rc.ncols = ncols, rc.err = err;
    rc.derive_all = derive_all;
    rc.nl0 = derive_all ? 0 : 1; /* lv[0] is "all" unless it is derived at the end */
    size_t nuses = 0, maxuses = 3 + d->nseg + 3 * d->nm;
    size_t *ucol = calloc(maxuses, sizeof *ucol);
    rc.first = calloc(maxuses > ncols ? maxuses : ncols, sizeof *rc.first);
    rc.nuse = calloc(ncols, sizeof *rc.nuse);
    rc.want = calloc(ncols, 1);
    rc.by_col = calloc(ncols, sizeof *rc.by_col);
    rc.slot = calloc(d->nm, sizeof *rc.slot);
    int bad = !ucol || !rc.first || !rc.nuse || !rc.slot || !rc.want || !rc.by_col;
    bad = bad || add_use(&rc, &nuses, d->variant_i, U_VARIANT, 0);
    for (size_t k = 0; !bad && k < d->nseg; k++)
        bad = add_use(&rc, &nuses, d->seg_i[k], U_SEG, k);
    bad = bad || add_use(&rc, &nuses, d->time_i, U_TIME, 0);
    for (size_t i = 0; !bad && i < d->nm; i++)
        bad = add_use(&rc, &nuses, d->metrics[i].col_i, U_VAL, i)
              || add_use(&rc, &nuses, d->metrics[i].den_i, U_DEN, i)
              || add_use(&rc, &nuses, d->metrics[i].cov_i, U_COV, i);
    if (bad) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        free(ucol);
        goto push_done;
    }
    /* group the uses by column: uses[first[c] .. first[c] + nuse[c]) */
    {
        use_t *sorted = malloc((nuses + 1) * sizeof *sorted);
        if (!sorted) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            free(ucol);
            goto push_done;
        }
        memcpy(ucol, rc.first, nuses * sizeof *ucol);
        size_t k = 0;
        for (size_t c = 0; c < ncols; c++) {
            rc.first[c] = k;
            for (size_t u = 0; u < nuses; u++)
                if (ucol[u] == c)
                    sorted[k++] = rc.uses[u];
            rc.nuse[c] = k - rc.first[c];
        }
        free(rc.uses);
        rc.uses = sorted;
        free(ucol);
    }
    if (!derive_all)
        rc.lv[0] = 0;
    for (size_t c = 0; c < ncols; c++) {
        rc.want[c] = rc.nuse[c] > 0;
        rc.by_col[c] = rc.nuse[c] == 1 ? one_use_callback[rc.uses[rc.first[c]].kind] : NULL;
    }
    const dcx_csv_handler_t handler = {on_field, on_row, rc.want, ncols, rc.by_col};
    /* A large regular file is read in two halves, the second on another thread. The
     * split is at a line end; if that line end turns out to be inside a quoted field,
     * the second half's work is dropped and the first reader simply continues. */
    struct stat sb;
    long long split = -1;
    if (!d->keep_values && strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)
        && sb.st_size >= PARALLEL_MIN_BYTES)
        split = line_start_after(path, sb.st_size / 2);
    half_t *h2 = NULL;
    pthread_t th;
    int threaded = 0;
    if (split > 0 && split < sb.st_size && (h2 = calloc(1, sizeof *h2))) {
        h2->rc = rc;
        h2->rc.rows = 0;
        h2->rc.err = &h2->err;
        h2->path = path;
        h2->start = split;
        h2->rc.d = calloc(1, sizeof(data_t));
        h2->rc.slot = calloc(d->nm, sizeof *h2->rc.slot);
        if (h2->rc.d && h2->rc.slot && !clone_layout(h2->rc.d, d, &h2->err)) {
            dcx_csv_limit(r, split);
            threaded = pthread_create(&th, NULL, read_half, h2) == 0;
        }
        if (!threaded)
            dcx_csv_limit(r, 0);
    }
    st = dcx_csv_push(r, &handler, &rc, err);
    if (!st)
        st = rc.st;
    if (threaded) {
        pthread_join(th, NULL);
        if (!st && !dcx_csv_between_rows(r)) {
            /* the split fell inside a quoted field: read the rest in order */
            dcx_csv_limit(r, 0);
            st = dcx_csv_push(r, &handler, &rc, err);
            if (!st)
                st = rc.st;
        } else if (!st && h2->st) {
            *err = h2->err; /* second half: its lines count from the split */
            if (err->line > 0)
                err->line += dcx_csv_lines(r) - 1;
            st = h2->st;
        } else if (!st) {
            rc.rows += h2->rc.rows;
            st = merge_data(d, h2->rc.d, err);
        }
    }
    if (h2) {
        if (h2->rc.d)
            data_free(h2->rc.d);
        free(h2->rc.d);
        free(h2->rc.slot);
        free(h2);
    }
    rows = rc.rows;
push_done:
    free(rc.uses);
    free(rc.first);
    free(rc.nuse);
    free(rc.want);
    free(rc.by_col);
    free(rc.slot);
    if (st)
        goto done;
    if (rows == 0) {
        st = dcx_error_at(err, DCX_EPARSE, file, 0, 0, "no data rows after the header");
        goto done;
    }
    for (size_t i = 0; i < d->nm; i++) {
        metric_t *m = &d->metrics[i];
        if (m->type == MT_AUTO)
            m->type = m->not01 && !m->saw_word ? MT_MEAN : MT_BINARY;
        if (m->cap_on && m->type == MT_BINARY && !st)
            st = dcx_error_set(err, DCX_EINVAL,
                               "--cap %s: '%s' holds 0/1 values (a binary metric): capping applies "
                               "to mean and ratio metrics",
                               m->cap_spec, m->name);
    }
    if (st)
        goto done;
    if (derive_all) {
        level_t *all = &d->levels[0];
        for (size_t l = 1; l < d->nlevels; l++) {
            const level_t *lvl = &d->levels[l];
            if (lvl->seg != 0)
                continue;
            for (size_t v = 0; v < d->vcap; v++) {
                all->units[v] += lvl->units[v];
                for (size_t i = 0; i < d->nm; i++) {
                    cell_t *a = level_cell(d, all, v, i);
                    const cell_t *b = level_cell(d, lvl, v, i);
                    dcx_moments_merge(&a->m, &b->m);
                    a->missing += b->missing;
                    a->ones += b->ones;
                    a->neg += b->neg;
                }
            }
        }
    }
    /* many large values can still overflow a sum: an error, never a silent infinity */
    for (size_t l = 0; l < d->nlevels && !st; l++)
        for (size_t k = 0; k < d->vcap * d->nm && !st; k++) {
            const dcx_moments_t *mm = &d->levels[l].cells[k].m;
            if (!isfinite(mm->sx) || !isfinite(mm->sxx) || !isfinite(mm->sy) || !isfinite(mm->syy)
                || !isfinite(mm->sxy))
                st = dcx_error_at(err, DCX_EPARSE, file, 0, 0,
                                  "metric '%s': the values are too large to sum in a double "
                                  "(a sum of squares overflows)",
                                  d->metrics[k % d->nm].name);
        }
done:
    for (size_t i = 0; i < ncols; i++)
        free(header[i]);
    free(header);
    dcx_csv_close(r);
    return st;
}
