/* units_read.c — the main pass over a unit-level CSV: every field is parsed where libcsv
 * hands it over and folded into the cells of its row's variant, segment levels and period
 * (one pass, memory in proportion to the cells). A large regular file is read in two
 * halves at once, the second into a store of its own that is merged at the end; standard
 * input that needs more passes (percentile caps, cap_pass.c; units, row_select.c) is
 * spooled to a file first.
 *
 * Rows that do not count (row_select.h: a --where that fails, an empty variant, a unit
 * exposed to two variants) must leave no trace: no variant, level or period created, no
 * value checked. When the columns that decide come before every other column used (the
 * --where and unit columns, then the variant), the rest of such a row is skipped where it
 * is decided; otherwise each row's fields are kept until its end and then replayed. */
#include "units_read.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcx/csv.h"
#include "dcx/rows.h"
#include "fileio.h"
#include "numparse.h"

/* A row lies in the "all" level and one level of each segment column. */
#define MAX_LEVELS_PER_ROW 64

/* A regular file at least this large is read in two halves at once. */
#define PARALLEL_MIN_BYTES (8LL << 20)

/* ---- the hot path: fields are parsed where libcsv hands them over -------------------- */

/* Appends x to the values a cell keeps for rank tests and quantiles. -1: out of memory. */
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

/* U_COVN, U_COVD: a ratio metric's CUPED covariate pair (U_COV: a mean's one covariate) */
enum { U_VARIANT, U_SEG, U_TIME, U_VAL, U_DEN, U_COV, U_WHERE, U_UNIT, U_STRAT, U_COVN, U_COVD };

typedef struct {
    unsigned char kind;
    size_t idx; /* segment column or metric */
} use_t;

typedef struct {
    double x, y, ones, neg;
    unsigned char blank, den_blank, cov_blank;
    unsigned char capped, nonzero; /* the cap changed x; x was not 0 before it */
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
    size_t strat;      /* --post-stratify: the row's stratum (a local index) */
    slot_t *slot;      /* per metric */
    double (*pair)[2]; /* per metric: a ratio's CUPED covariate pair (u, w); not cleared
                          between rows, as a row reads it only where both were parsed */
    int drop;          /* DROP_*: the row does not count */
    /* which rows count, and those that did not */
    const rowsel_t *sel;
    double no_variant, filtered_out;
    /* when the deciding columns do not come first: the row's fields, kept to be replayed */
    int buffered;
    size_t *bcol, *boff, *blen, bn, bcap;
    char *barena;
    size_t bused, bacap;
} rowctx_t;

static int bad_field(rowctx_t *rc, size_t col, long line, const char *s, const char *why)
{
    rc->st = dcx_error_at(rc->err, DCX_EPARSE, rc->file, line, (long)col + 1,
                          "column '%s': '%.60s' %s", rc->header[col], s, why);
    return 1;
}

/* A cell that is not a value of its type: missing when it is NA, N/A or NULL (as R,
 * spreadsheets and SQL exports write a missing number), else an error. */
static int na_or_bad(rowctx_t *rc, slot_t *sl, size_t col, long line, const char *s, size_t len,
                     const char *why)
{
    if (dcx_is_na_word(s, len)) {
        sl->blank = 1;
        return 0;
    }
    return bad_field(rc, col, line, s, why);
}

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* The variant of the row; a row without one, or whose unit is left out, goes no further. */
ALWAYS_INLINE int use_variant(rowctx_t *rc, size_t col, const char *s, size_t len, long line)
{
    data_t *d = rc->d;
    (void)col, (void)line;
    if (dcx_is_blank_fast(s, len)) {
        rc->drop |= DROP_NOVARIANT;
        return DCX_CSV_SKIP_ROW;
    }
    if (rc->drop)
        return DCX_CSV_SKIP_ROW;
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
    return 0;
}

/* The row's period: ISO dates and timestamps become their day, week or month; other
 * values stay as they are (numbers are ordered as numbers, text as first seen), and the
 * two kinds may not mix. */
ALWAYS_INLINE int use_period(rowctx_t *rc, size_t col, const char *s, size_t len, long line)
{
    data_t *d = rc->d;
    size_t p = 0;
    if (dcx_is_blank_fast(s, len)) {
        rc->st = dcx_error_at(rc->err, DCX_EPARSE, rc->file, line, (long)col + 1,
                              "column '%s': empty period", d->time_col);
        return 1;
    }
    char label[PERIOD_LABEL_MAX];
    double num;
    int iso = period_label(s, len, d->period, label);
    if (iso < 0) {
        rc->st = dcx_error_at(rc->err, DCX_EPARSE, rc->file, line, (long)col + 1,
                              "column '%s': '%.60s' falls outside the years 0001-9999 in UTC",
                              d->time_col, s);
        return 1;
    }
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
    if ((rc->st = data_add_period(d, s, len, &p, rc->err)))
        return 1;
    rc->period = &d->periods[p];
    return 0;
}

/* x winsorized at m's thresholds (a zero stays 0 with --cap-ignore-zeros), noting in the
 * slot whether the cap changed it and whether it was 0. */
ALWAYS_INLINE double capped(const metric_t *m, slot_t *sl, double x)
{
    double y = m->cap_ignore_zeros && x == 0 ? 0 : fmax(m->cap_lo, fmin(m->cap_hi, x));
    sl->capped = y != x;
    sl->nonzero = x != 0;
    return y;
}

/* The value of metric mi, parsed by the metric's type into its slot: x (a 0/1 for
 * binary, +1/0/-1 for NPS, capped for mean and ratio), ones and neg; or a blank. */
ALWAYS_INLINE int use_value(rowctx_t *rc, size_t mi, size_t col, const char *s, size_t len,
                            long line)
{
    metric_t *m = &rc->d->metrics[mi];
    slot_t *sl = &rc->slot[mi];
    if (dcx_is_blank_fast(s, len)) {
        sl->blank = 1;
        return 0;
    }
    double x = 0;
    switch (m->type) {
    case MT_BINARY:
        if (!dcx_parse_bool_fast(s, len, &x))
            return na_or_bad(rc, sl, col, line, s, len, "is not 0/1/true/false/yes/no");
        sl->ones = x;
        break;
    case MT_AUTO:
        if (dcx_parse_number_fast(s, len, &x)) {
            if (fabs(x) > DCX_VALUE_MAX)
                return bad_field(rc, col, line, s, TOO_LARGE);
            if (x != 0 && x != 1)
                m->not01 = 1;
            if (m->cap_on)
                x = capped(m, sl, x);
        } else if (dcx_parse_bool_fast(s, len, &x)) {
            m->saw_word = 1;
        } else {
            return na_or_bad(rc, sl, col, line, s, len, "is not a number");
        }
        if (m->saw_word && m->not01)
            return bad_field(rc, col, line, s, "mixes yes/no words with numbers other than 0/1");
        sl->ones = x == 1;
        break;
    case MT_MEAN:
    case MT_RATIO:
    case MT_QUANTILE:
        if (!dcx_parse_number_fast(s, len, &x))
            return na_or_bad(rc, sl, col, line, s, len, "is not a number");
        if (fabs(x) > DCX_VALUE_MAX)
            return bad_field(rc, col, line, s, TOO_LARGE);
        if (m->cap_on) /* winsorized at thresholds fixed before this pass */
            x = capped(m, sl, x);
        break;
    case MT_NPS:
        if (!dcx_parse_number_fast(s, len, &x) || x != floor(x) || x < 0 || x > 10)
            return na_or_bad(rc, sl, col, line, s, len, "is not a score from 0 to 10");
        x = x >= 9 ? 1 : (x >= 7 ? 0 : -1);
        sl->ones = x == 1;
        sl->neg = x == -1;
        break;
    }
    sl->x = x;
    return 0;
}

/* One use of one cell. `kind` is a constant wherever this is inlined below, so each
 * per-kind callback compiles to its own case alone. Returns non-zero to stop. */
ALWAYS_INLINE int apply_use(rowctx_t *rc, unsigned kind, const use_t *use, size_t col,
                            const char *s, size_t len, long line)
{
    data_t *d = rc->d;
    switch (kind) {
    case U_VARIANT:
        return use_variant(rc, col, s, len, line);
    case U_SEG: {
        long local = dcx_strmap_cached(&d->seg_values[use->idx], s, len);
        if (local >= 0)
            rc->lv[rc->nl0 + use->idx] = d->seg_level[use->idx][local];
        else if ((rc->st = data_segment_level(d, use->idx, s, len, &rc->lv[rc->nl0 + use->idx],
                                              rc->err)))
            return 1;
        break;
    }
    case U_TIME:
        return use_period(rc, col, s, len, line);
    case U_STRAT: { /* an empty cell is its own stratum, as a segment's */
        if (!len)
            s = "(missing)", len = 9;
        long k = dcx_strmap_cached(&d->strat_values, s, len);
        /* the cache misses a value seen before (and always past its 255th), so the limit
         * is checked against the map itself: a 1,000th value's second row is no error */
        if (k < 0 && d->strat_values.n >= DCX_MAX_STRATA)
            k = dcx_strmap_get(&d->strat_values, s, len);
        if (k < 0 && d->strat_values.n >= DCX_MAX_STRATA)
            return bad_field(rc, col, line, s, "is one value too many: post-stratification takes a "
                                               "categorical column of at most " DCX_MAX_STRATA_TEXT
                                               " values (group the values first)");
        if (k < 0 && (k = dcx_strmap_put(&d->strat_values, s, len)) < 0) {
            rc->st = dcx_error_set(rc->err, DCX_ENOMEM, "out of memory");
            return 1;
        }
        rc->strat = (size_t)k;
        break;
    }
    case U_VAL:
        return use_value(rc, use->idx, col, s, len, line);
    case U_WHERE:
        if (!where_holds(&rc->sel->where[use->idx], s, len)) {
            rc->drop |= DROP_FILTER;
            return DCX_CSV_SKIP_ROW;
        }
        break;
    case U_UNIT:
        if (unit_excluded(rc->sel, s, len))
            rc->drop |= DROP_UNIT;
        break;
    case U_DEN:
    case U_COV:
    case U_COVN:
    case U_COVD: {
        slot_t *sl = &rc->slot[use->idx];
        double *to = kind == U_COVN ? &rc->pair[use->idx][0] : kind == U_COVD ? &rc->pair[use->idx][1] : &sl->y;
        if (dcx_is_blank_fast(s, len)) {
            if (kind == U_DEN)
                sl->den_blank = 1;
            else
                sl->cov_blank = 1;
            break;
        }
        if (!dcx_parse_number_fast(s, len, to)) {
            if (!dcx_is_na_word(s, len))
                return bad_field(rc, col, line, s, "is not a number");
            if (kind == U_DEN)
                sl->den_blank = 1;
            else
                sl->cov_blank = 1;
            break;
        }
        if (fabs(*to) > DCX_VALUE_MAX)
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
    for (size_t u = rc->first[col], end = u + rc->nuse[col]; u < end; u++) {
        int r = apply_use(rc, rc->uses[u].kind, &rc->uses[u], col, s, len, line);
        if (r)
            return r;
    }
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
ONE_USE_CALLBACK(on_where, U_WHERE)
ONE_USE_CALLBACK(on_unit, U_UNIT)
ONE_USE_CALLBACK(on_stratum, U_STRAT)
ONE_USE_CALLBACK(on_cov_num, U_COVN)
ONE_USE_CALLBACK(on_cov_den, U_COVD)

static dcx_csv_field_fn const one_use_callback[] = {
    [U_VARIANT] = on_variant, [U_SEG] = on_segment,        [U_TIME] = on_period,
    [U_VAL] = on_value,       [U_DEN] = on_denominator, [U_COV] = on_covariate,
    [U_WHERE] = on_where,     [U_UNIT] = on_unit,       [U_STRAT] = on_stratum,
    [U_COVN] = on_cov_num,    [U_COVD] = on_cov_den,
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
    if (rc->drop) { /* left out: a filter decides first, then the variant */
        if (rc->drop & DROP_FILTER)
            rc->filtered_out++;
        else if (rc->drop & DROP_NOVARIANT)
            rc->no_variant++;
        rc->drop = 0;
        rc->period = NULL;
        return 0;
    }
    rc->rows++;
    size_t v = (size_t)rc->v, nl = rc->nl0 + d->nseg, nm = d->nm, nb = nl;
    /* this variant's cells in each level of the row, its period, and with --post-stratify
     * its stratum within "all" and within each of its levels */
    cell_t *base[2 * MAX_LEVELS_PER_ROW + 2];
    for (size_t k = 0; k < nl; k++) {
        level_t *l = &d->levels[rc->lv[k]];
        l->units[v] += 1;
        base[k] = l->cells + v * nm;
    }
    if (rc->period) { /* last, so that k < nl below means "a segment level" */
        rc->period->units[v] += 1;
        base[nb++] = rc->period->cells + v * nm;
    }
    if (d->strat_i >= 0) {
        /* with derive_all lv[] leaves "all" out: it comes first here */
        size_t ns = nl + (rc->derive_all ? 1 : 0);
        for (size_t k = 0; k < ns; k++) {
            level_t *sb;
            size_t lev = !rc->derive_all ? rc->lv[k] : k ? rc->lv[k - 1] : 0;
            if ((rc->st = data_stratum_cells(d, lev, rc->strat, &sb, rc->err)))
                return 1;
            sb->units[v] += 1;
            base[nb++] = sb->cells + v * nm;
        }
    }
    for (size_t i = 0; i < nm; i++) {
        metric_t *m = &d->metrics[i];
        slot_t *sl = &rc->slot[i];
        int missing = sl->blank || (m->den_i >= 0 && sl->den_blank) || (m->cov_i >= 0 && sl->cov_blank);
        if (m->cap_on && !missing) { /* what the cap did, for the result to show */
            m->capped_n += sl->capped;
            m->cap_nonzero += sl->nonzero;
            m->cap_values += 1;
        }
        if (missing) {
            for (size_t k = 0; k < nb; k++)
                base[k][i].missing += 1;
        } else if (m->den_i >= 0 || m->cov_i >= 0) {
            if (m->cov2_i >= 0) { /* ratio CUPED: four columns */
                const double u = rc->pair[i][0], w = rc->pair[i][1];
                for (size_t k = 0; k < nb; k++)
                    if (cell_add4(&base[k][i], sl->x, sl->y, u, w)) {
                        rc->st = dcx_error_set(rc->err, DCX_ENOMEM, "out of memory");
                        return 1;
                    }
            } else {
                for (size_t k = 0; k < nb; k++) {
                    cell_t *c = &base[k][i];
                    dcx_moments_add2(&c->m, sl->x, sl->y);
                    c->ones += sl->ones;
                    c->neg += sl->neg;
                }
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

/* ---- rows whose deciding columns do not come first: kept, then replayed ---------------- */

/* A field: the deciding uses of its column now, the field kept for the row's end. */
static int on_field_kept(void *ctx, size_t col, const char *s, size_t len, long line)
{
    rowctx_t *rc = ctx;
    (void)line;
    if (col >= rc->ncols)
        return 0;
    for (size_t u = rc->first[col], end = u + rc->nuse[col]; u < end; u++) {
        const use_t *use = &rc->uses[u];
        if (use->kind == U_WHERE && !where_holds(&rc->sel->where[use->idx], s, len)) {
            rc->drop |= DROP_FILTER;
            return DCX_CSV_SKIP_ROW;
        }
        if (use->kind == U_UNIT && unit_excluded(rc->sel, s, len))
            rc->drop |= DROP_UNIT;
        if (use->kind == U_VARIANT && dcx_is_blank_fast(s, len))
            rc->drop |= DROP_NOVARIANT;
    }
    if (rc->drop)
        return 0; /* (read on: a later --where column may still filter the row) */
    if (rc->bn == rc->bcap) {
        size_t cap = rc->bcap ? rc->bcap * 2 : 16;
        size_t *a = realloc(rc->bcol, cap * sizeof *a);
        if (a)
            rc->bcol = a;
        size_t *b = a ? realloc(rc->boff, cap * sizeof *b) : NULL;
        if (b)
            rc->boff = b;
        size_t *c = b ? realloc(rc->blen, cap * sizeof *c) : NULL;
        if (!c)
            goto oom;
        rc->blen = c;
        rc->bcap = cap;
    }
    if (rc->bused + len + 1 > rc->bacap) {
        size_t cap = rc->bacap ? rc->bacap : 256;
        while (cap < rc->bused + len + 1)
            cap *= 2;
        char *p = realloc(rc->barena, cap);
        if (!p)
            goto oom;
        rc->barena = p;
        rc->bacap = cap;
    }
    memcpy(rc->barena + rc->bused, s, len);
    rc->barena[rc->bused + len] = '\0';
    rc->bcol[rc->bn] = col, rc->boff[rc->bn] = rc->bused, rc->blen[rc->bn] = len;
    rc->bn++;
    rc->bused += len + 1;
    return 0;
oom:
    rc->st = dcx_error_set(rc->err, DCX_ENOMEM, "out of memory");
    return 1;
}

/* The row's end: a row that counts has its fields replayed through the uses. */
static int on_row_kept(void *ctx, size_t nfields, long line)
{
    rowctx_t *rc = ctx;
    size_t n = rc->bn;
    rc->bn = rc->bused = 0;
    if (nfields == rc->ncols && !rc->drop)
        for (size_t i = 0; i < n; i++) {
            int r = on_field(ctx, rc->bcol[i], rc->barena + rc->boff[i], rc->blen[i], line);
            if (r)
                return 1;
        }
    return on_row(ctx, nfields, line);
}

static void free_kept(rowctx_t *rc)
{
    free(rc->bcol);
    free(rc->boff);
    free(rc->blen);
    free(rc->barena);
    rc->bcol = rc->boff = rc->blen = NULL;
    rc->barena = NULL;
    rc->bn = rc->bcap = rc->bused = rc->bacap = 0;
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

/* ---- reading the second half of a large file on another thread ----------------------- */

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
    const dcx_csv_handler_t handler = {h->rc.buffered ? on_field_kept : on_field,
                                       h->rc.buffered ? on_row_kept : on_row, h->rc.want,
                                       h->rc.ncols, h->rc.buffered ? NULL : h->rc.by_col};
    h->st = dcx_csv_push(r, &handler, &h->rc, &h->err);
    if (!h->st)
        h->st = h->rc.st;
    dcx_csv_close(r);
    return NULL;
}

/* ---- the pass ------------------------------------------------------------------------ */

/* Standard input cannot be read twice: it is copied to a private temporary file in the
 * temporary folder (dcx_set_temp_dir). */
static dcx_status_t spool_stdin(char **tmp, dcx_error_t *err)
{
    const char *dir = file_temp_dir();
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    snprintf(path, n, "%s/dcx-stdin-XXXXXX", dir);
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        int oom = errno == ENOMEM; /* fdopen could not allocate its FILE */
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        free(path);
        return oom ? dcx_error_set(err, DCX_ENOMEM, "out of memory")
                   : dcx_error_set(err, DCX_EIO, "cannot create a temporary file for standard input");
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

static dcx_status_t read_units(data_t *d, const char *path, dcx_error_t *err);

dcx_status_t units_open(const data_t *d, const char *path, dcx_csv_reader_t **r, dcx_error_t *err)
{
    return d->rows ? dcx_csv_open_rows(d->rows, path, r, err) : dcx_csv_open(path, r, err);
}

dcx_status_t data_read_rows(data_t *d, const dcx_rows_t *rows, dcx_error_t *err)
{
    d->rows = rows;
    dcx_status_t st = data_read_units(d, "rows", err);
    d->rows = NULL;
    if (st && err)
        err->column = 0; /* the message names the column; its place in the table means nothing */
    return st;
}

dcx_status_t data_read_units(data_t *d, const char *path, dcx_error_t *err)
{
    int two_pass = cap_needs_pass(d) || d->sel.unit_col;
    char *spooled = NULL;
    dcx_status_t st;
    if (two_pass && !d->rows && !strcmp(path, "-") && (st = spool_stdin(&spooled, err)))
        return st;
    st = d->sel.unit_col ? rowsel_unit_pass(&d->sel, spooled ? spooled : path, d->variant_col,
                                            d->delimiter, err)
                         : DCX_OK;
    if (!st)
        st = cap_thresholds(d, spooled ? spooled : path, err);
    if (!st)
        st = read_units(d, spooled ? spooled : path, err);
    if (spooled) {
        if (st && err && err->file[0]) /* the copy is standard input to whoever reads this */
            snprintf(err->file, sizeof err->file, "%s", "<stdin>");
        unlink(spooled);
        free(spooled);
    }
    return st;
}

/* Finds every column the variant, the metrics, the segments and the time need in the
 * header row. @return DCX_OK, DCX_EPARSE naming the first one missing. */
static dcx_status_t find_columns(data_t *d, const char *file, const dcx_csv_row_t *row,
                                 dcx_error_t *err)
{
    dcx_status_t st = DCX_OK;
    if ((d->variant_i = data_find_column(row, d->variant_col)) < 0)
        st = data_missing_column(file, row, "variant", d->variant_col, err);
    for (size_t i = 0; !st && i < d->nm; i++) {
        metric_t *m = &d->metrics[i];
        if ((m->col_i = data_find_column(row, m->col)) < 0)
            st = data_missing_column(file, row, "metric", m->col, err);
        else if (m->den && (m->den_i = data_find_column(row, m->den)) < 0)
            st = data_missing_column(file, row, "denominator", m->den, err);
        else if (m->cov2 && m->type != MT_RATIO) /* an untyped metric reads one column */
            st = dcx_error_set(err, DCX_EINVAL,
                               "--cuped '%s=%s/%s': metric '%s' reads one column and takes one "
                               "covariate; a COVNUM/COVDEN pair is for ratio metrics "
                               "(%s:ratio=NUM/DEN)",
                               m->name, m->cov, m->cov2, m->name, m->name);
        else if (m->cov && (m->cov_i = data_find_column(row, m->cov)) < 0)
            st = data_missing_column(file, row, m->cov2 ? "covariate numerator" : "covariate", m->cov, err);
        else if (m->cov2 && (m->cov2_i = data_find_column(row, m->cov2)) < 0)
            st = data_missing_column(file, row, "covariate denominator", m->cov2, err);
    }
    for (size_t k = 0; !st && k < d->nseg; k++)
        if ((d->seg_i[k] = data_find_column(row, d->segs[k])) < 0)
            st = data_missing_column(file, row, "segment", d->segs[k], err);
    if (!st && d->time_col && (d->time_i = data_find_column(row, d->time_col)) < 0)
        st = data_missing_column(file, row, "time", d->time_col, err);
    if (!st && d->strat_col && (d->strat_i = data_find_column(row, d->strat_col)) < 0)
        st = data_missing_column(file, row, "stratum", d->strat_col, err);
    if (!st)
        st = rowsel_columns(&d->sel, file, row, err);
    return st;
}

/* What each of rc's columns is for: its uses, grouped by column (uses[first[c] ..
 * first[c] + nuse[c])), whether it is wanted at all, and the callback of a column with a
 * single use; and the per-metric slots of the row being read. On failure the arrays are
 * left for free_uses. @return DCX_OK, DCX_ENOMEM. */
static dcx_status_t plan_uses(rowctx_t *rc, dcx_error_t *err)
{
    const data_t *d = rc->d;
    const rowsel_t *sel = rc->sel;
    size_t ncols = rc->ncols, nuses = 0, maxuses = 5 + sel->nwhere + d->nseg + 4 * d->nm;
    size_t *ucol = calloc(maxuses, sizeof *ucol);
    rc->first = calloc(maxuses > ncols ? maxuses : ncols, sizeof *rc->first);
    rc->nuse = calloc(ncols, sizeof *rc->nuse);
    rc->want = calloc(ncols, 1);
    rc->by_col = calloc(ncols, sizeof *rc->by_col);
    rc->slot = calloc(d->nm, sizeof *rc->slot);
    rc->pair = calloc(d->nm, sizeof *rc->pair);
    int bad = !ucol || !rc->first || !rc->nuse || !rc->slot || !rc->pair || !rc->want || !rc->by_col;
    /* the deciding uses first, so that within a column they come before the others */
    for (size_t k = 0; !bad && k < sel->nwhere; k++)
        bad = add_use(rc, &nuses, sel->where[k].col_i, U_WHERE, k);
    bad = bad || add_use(rc, &nuses, sel->unit_i, U_UNIT, 0);
    bad = bad || add_use(rc, &nuses, d->variant_i, U_VARIANT, 0);
    for (size_t k = 0; !bad && k < d->nseg; k++)
        bad = add_use(rc, &nuses, d->seg_i[k], U_SEG, k);
    bad = bad || add_use(rc, &nuses, d->time_i, U_TIME, 0);
    bad = bad || add_use(rc, &nuses, d->strat_i, U_STRAT, 0);
    for (size_t i = 0; !bad && i < d->nm; i++)
        bad = add_use(rc, &nuses, d->metrics[i].col_i, U_VAL, i)
              || add_use(rc, &nuses, d->metrics[i].den_i, U_DEN, i)
              || add_use(rc, &nuses, d->metrics[i].cov_i, d->metrics[i].cov2 ? U_COVN : U_COV, i)
              || add_use(rc, &nuses, d->metrics[i].cov2_i, U_COVD, i);
    use_t *sorted = bad ? NULL : malloc((nuses + 1) * sizeof *sorted);
    if (!sorted) {
        free(ucol);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    /* group the uses by column: uses[first[c] .. first[c] + nuse[c]) */
    memcpy(ucol, rc->first, nuses * sizeof *ucol);
    size_t k = 0;
    for (size_t c = 0; c < ncols; c++) {
        rc->first[c] = k;
        for (size_t u = 0; u < nuses; u++)
            if (ucol[u] == c)
                sorted[k++] = rc->uses[u];
        rc->nuse[c] = k - rc->first[c];
    }
    free(rc->uses);
    rc->uses = sorted;
    free(ucol);
    for (size_t c = 0; c < ncols; c++) {
        rc->want[c] = rc->nuse[c] > 0;
        rc->by_col[c] = rc->nuse[c] == 1 ? one_use_callback[rc->uses[rc->first[c]].kind] : NULL;
    }
    /* a row that does not count can be skipped where that is decided when every column
     * before the variant's only decides (--where, unit) and none after it does; else the
     * row's fields are kept until its end */
    rc->buffered = 0;
    for (size_t c = 0; c < ncols; c++)
        for (size_t u = rc->first[c]; u < rc->first[c] + rc->nuse[c]; u++) {
            int decides = rc->uses[u].kind == U_WHERE || rc->uses[u].kind == U_UNIT;
            if ((long)c < d->variant_i ? !decides : (long)c > d->variant_i && decides)
                rc->buffered = 1;
        }
    return DCX_OK;
}

static void free_uses(rowctx_t *rc)
{
    free(rc->uses);
    free(rc->first);
    free(rc->nuse);
    free(rc->want);
    free(rc->by_col);
    free(rc->slot);
    free(rc->pair);
    free_kept(rc);
}

/* Pushes the rows after the header through rc's callbacks. A large regular file is read
 * in two halves, the second on another thread into a store of its own, merged at the
 * end. The split is at a line end; if that line end turns out to be inside a quoted
 * field, the second half's work is dropped and the first reader simply continues. */
static dcx_status_t push_rows(rowctx_t *rc, dcx_csv_reader_t *r, const char *path, dcx_error_t *err)
{
    data_t *d = rc->d;
    const dcx_csv_handler_t handler = {rc->buffered ? on_field_kept : on_field,
                                       rc->buffered ? on_row_kept : on_row, rc->want, rc->ncols,
                                       rc->buffered ? NULL : rc->by_col};
    struct stat sb;
    long long split = -1;
    if (!d->keep_values && !d->rows && strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)
        && sb.st_size >= PARALLEL_MIN_BYTES)
        split = file_line_after(path, sb.st_size / 2);
    half_t *h2 = NULL;
    pthread_t th;
    int threaded = 0;
    if (split > 0 && split < sb.st_size && (h2 = calloc(1, sizeof *h2))) {
        h2->rc = *rc;
        h2->rc.rows = 0;
        h2->rc.err = &h2->err;
        h2->path = path;
        h2->start = split;
        h2->rc.d = calloc(1, sizeof(data_t));
        h2->rc.slot = calloc(d->nm, sizeof *h2->rc.slot);
        h2->rc.pair = calloc(d->nm, sizeof *h2->rc.pair); /* each half its own row */
        if (h2->rc.d && h2->rc.slot && h2->rc.pair && !data_clone_layout(h2->rc.d, d, &h2->err)) {
            dcx_csv_limit(r, split);
            threaded = pthread_create(&th, NULL, read_half, h2) == 0;
        }
        if (!threaded)
            dcx_csv_limit(r, 0);
    }
    dcx_status_t st = dcx_csv_push(r, &handler, rc, err);
    if (!st)
        st = rc->st;
    if (threaded) {
        pthread_join(th, NULL);
        if (!st && !dcx_csv_between_rows(r)) {
            /* the split fell inside a quoted field: read the rest in order */
            dcx_csv_limit(r, 0);
            st = dcx_csv_push(r, &handler, rc, err);
            if (!st)
                st = rc->st;
        } else if (!st && h2->st) {
            *err = h2->err; /* second half: its lines count from the split */
            if (err->line > 0)
                err->line += dcx_csv_lines(r) - 1;
            st = h2->st;
        } else if (!st) {
            rc->rows += h2->rc.rows;
            rc->no_variant += h2->rc.no_variant;
            rc->filtered_out += h2->rc.filtered_out;
            st = data_merge(d, h2->rc.d, err);
        }
    }
    if (h2) {
        if (h2->rc.d)
            data_free(h2->rc.d);
        free(h2->rc.d);
        free(h2->rc.slot);
        free(h2->rc.pair);
        free_kept(&h2->rc);
        free(h2);
#ifdef __GLIBC__
        /* the second half's tables, merged and freed, were in its thread's arena, which
         * the rest of the run (on this thread) cannot reuse: give them back */
        if (threaded)
            malloc_trim(0);
#endif
    }
    return st;
}

/* After the last row: MT_AUTO types resolved from the values seen, the "all" level
 * derived when rows skipped it, and every sum checked to be finite. */
static dcx_status_t finish_units(data_t *d, const char *file, long rows, int derive_all,
                                 dcx_error_t *err)
{
    dcx_status_t st = DCX_OK;
    if (rows == 0 && (d->filtered_out || d->no_variant || d->sel.excluded_n)) {
        char why[256];
        size_t n = 0;
        if (d->filtered_out)
            n += (size_t)snprintf(why + n, sizeof why - n, "; %.0f filtered out by --where", d->filtered_out);
        if (d->no_variant && n < sizeof why)
            n += (size_t)snprintf(why + n, sizeof why - n, "; %.0f with an empty variant", d->no_variant);
        if (d->sel.excluded_n && n < sizeof why)
            snprintf(why + n, sizeof why - n, "; the rest of units under more than one variant");
        return dcx_error_at(err, DCX_EPARSE, file, 0, 0, "no rows left to analyse%s", why);
    }
    if (rows == 0)
        return dcx_error_at(err, DCX_EPARSE, file, 0, 0, "no data rows after the header");
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
        return st;
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
                    if (cell_merge_moments(a, b))
                        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
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
            const cell_t *c = &d->levels[l].cells[k];
            const dcx_moments_t *mm = &c->m;
            const cell_ext_t *e = c->ext;
            if (!isfinite(mm->sx) || !isfinite(mm->sxx) || !isfinite(mm->sy) || !isfinite(mm->syy)
                || !isfinite(mm->sxy)
                || (e && (!isfinite(e->cov.sx) || !isfinite(e->cov.sxx) || !isfinite(e->cov.sy)
                          || !isfinite(e->cov.syy) || !isfinite(e->cov.sxy) || !isfinite(e->cross[0])
                          || !isfinite(e->cross[1]) || !isfinite(e->cross[2]) || !isfinite(e->cross[3]))))
                st = dcx_error_at(err, DCX_EPARSE, file, 0, 0,
                                  "metric '%s': the values are too large to sum in a double "
                                  "(a sum of squares overflows)",
                                  d->metrics[k % d->nm].name);
        }
    return st;
}

/* The main pass over the file at `path` (caps already fixed). */
static dcx_status_t read_units(data_t *d, const char *path, dcx_error_t *err)
{
    dcx_csv_reader_t *r;
    dcx_status_t st = units_open(d, path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, d->delimiter);
    /* trimming is set before the header is read: the reader cuts the rest of the chunk
     * that holds the header at once, so set after it the first chunk's rows were not
     * trimmed and the later ones were (a padded variant counted as two) */
    dcx_csv_trim(r, 1);
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
    if ((st = find_columns(d, file, &row, err))) {
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
    rowctx_t rc;
    memset(&rc, 0, sizeof rc);
    rc.d = d, rc.file = file, rc.header = header, rc.ncols = ncols, rc.err = err;
    rc.sel = &d->sel;
    rc.derive_all = derive_all;
    rc.nl0 = derive_all ? 0 : 1; /* lv[0] is "all" unless it is derived at the end */
    if (!(st = plan_uses(&rc, err))) {
        if (!derive_all)
            rc.lv[0] = 0;
        st = push_rows(&rc, r, path, err);
    }
    d->no_variant = rc.no_variant, d->filtered_out = rc.filtered_out;
    free_uses(&rc);
    if (!st)
        st = finish_units(d, file, rc.rows, derive_all, err);
done:
    for (size_t i = 0; i < ncols; i++)
        free(header[i]);
    free(header);
    dcx_csv_close(r);
    return st;
}
