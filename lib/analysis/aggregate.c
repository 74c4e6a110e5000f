/* aggregate.c — `dcx aggregate`: the summary CSV (sufficient statistics per metric ×
 * segment level × variant) of unit-level data, or several summaries added up. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "dcx/analysis.h"
#include "dcx/csv.h"
#include "dcx/stats.h"
#include "dcx/text.h"
#include "numparse.h"
#include "sort_idx.h"
#include "textbuf.h"


static void put_num(FILE *out, double v)
{
    char buf[32];
    fputs(dcx_json_number_text(v, buf), out);
}

static void put_text(FILE *out, const char *s)
{
    dcx_csv_quote(out, s, strlen(s));
}

/* The header: the columns in order, with the covariate pair's sums (wide: some metric is
 * a ratio with CUPED) before rows_total, which ends the line. */
static void put_header(FILE *out, int wide)
{
    for (int k = 0; k < SUMMARY_ROWS_TOTAL; k++)
        fprintf(out, "%s,", summary_cols[k]);
    for (int k = SUMMARY_NBASE; wide && k < SUMMARY_NALL; k++)
        fprintf(out, "%s,", summary_cols[k]);
    fprintf(out, "%s\n", summary_cols[SUMMARY_ROWS_TOTAL]);
}

static int cmp_levels(const void *ctx, size_t a, size_t b)
{
    const data_t *d = ctx;
    const level_t *x = &d->levels[a], *y = &d->levels[b];
    if (x->seg != y->seg)
        return (x->seg > y->seg) - (x->seg < y->seg);
    return strcmp(x->value, y->value);
}

static int cmp_names(const void *ctx, size_t a, size_t b)
{
    const data_t *d = ctx;
    return strcmp(d->variants.keys[a], d->variants.keys[b]);
}

/* The numbers of one summary row after its five keys: n, the five sums, then capped_n,
 * cap_lower, cap_upper, cap_ignore_zeros, quantile, quantile_lower, quantile_upper, and
 * the nine sums of a ratio's CUPED covariate pair (NaN: an empty cell). v[j] is column
 * col_of(j) of summary_cols. */
#define ROW_BASE (SUMMARY_ROWS_TOTAL - 5)
#define ROW_NUMS (ROW_BASE + SUMMARY_NALL - SUMMARY_NBASE)
enum { V_N, V_CAPPED = 6, V_CAP_LO, V_CAP_HI, V_CAP_IZ, V_Q, V_Q_LO, V_Q_HI, V_SUM3 };

static int col_of(int j)
{
    return j < ROW_BASE ? 5 + j : SUMMARY_NBASE + j - ROW_BASE;
}

static void put_row(FILE *out, const char *const key[5], const double v[ROW_NUMS], size_t total,
                    int wide)
{
    for (int j = 0; j < 5; j++) {
        put_text(out, key[j]);
        fputc(',', out);
    }
    for (int j = 0; j < (wide ? ROW_NUMS : ROW_BASE); j++) {
        if (!isnan(v[j]))
            put_num(out, v[j]);
        fputc(',', out);
    }
    fprintf(out, "%zu\n", total);
}

/* The raw sums of a ratio CUPED cell's covariate pair, into v[0..9): Σu, Σu², Σw, Σw²,
 * then Σxu, Σxw, Σyu, Σyw, Σuw (x, y the numerator and denominator, u, w the pair), each
 * rebuilt from the deviations' sums around the shifts: Σab = Σdadb + b0Σda + a0Σdb +
 * n a0 b0. */
static void pair_sums(const cell_t *c, double v[9])
{
    const dcx_moments_t *m = &c->m, *p = &c->ext->cov;
    const double *x = c->ext->cross, n = m->n;
    dcx_moments_sums(p, &v[0], &v[1], &v[2], &v[3], &v[8]);
    double a0[4] = {m->shift_x, m->shift_x, m->shift_y, m->shift_y};
    double da[4] = {m->sx, m->sx, m->sy, m->sy};
    double b0[4] = {p->shift_x, p->shift_y, p->shift_x, p->shift_y};
    double db[4] = {p->sx, p->sy, p->sx, p->sy};
    for (int k = 0; k < 4; k++)
        v[4 + k] = x[k] + b0[k] * da[k] + a0[k] * db[k] + n * a0[k] * b0[k];
}

/* A level's segment column, or "all". */
static const char *level_segment(const data_t *d, const level_t *l)
{
    return l->seg < 0 ? "all" : d->segs[l->seg];
}

/* Writes the rows of the summary (out NULL: only counts them); @return the count. The
 * units rows come first (metric '*'), then each metric's, levels and variants sorted; a
 * level where a variant has no unit has no rows for it. */
static size_t summary_rows(const data_t *d, const size_t *lv, const size_t *vv, FILE *out,
                           size_t total, int wide)
{
    size_t rows = 0;
    double z = dcx_dist_norm_quantile(0.025, 0);
    for (size_t mi = 0; mi <= d->nm; mi++) {
        const metric_t *m = mi ? &d->metrics[mi - 1] : NULL;
        int two = m && (m->type == MT_RATIO || m->cov);
        for (size_t li = 0; li < d->nlevels; li++) {
            const level_t *l = &d->levels[lv[li]];
            for (size_t vi = 0; vi < d->variants.n; vi++) {
                if (l->units[vv[vi]] == 0)
                    continue; /* this variant never appears in this level */
                rows++;
                if (!out)
                    continue;
                const char *key[5] = {m ? m->name : "*", m ? mtype_name(m->type) : "units",
                                      level_segment(d, l), l->value, d->variants.keys[vv[vi]]};
                double v[ROW_NUMS];
                for (int j = 0; j < ROW_NUMS; j++)
                    v[j] = NAN;
                if (!m) {
                    v[0] = l->units[vv[vi]];
                    put_row(out, key, v, total, wide);
                    continue;
                }
                cell_t *c = level_cell(d, l, vv[vi], mi - 1);
                double sx, sxx, sy, syy, sxy;
                dcx_moments_sums(&c->m, &sx, &sxx, &sy, &syy, &sxy);
                if (m->type == MT_BINARY)
                    sx = sxx = c->ones; /* exact counts */
                else if (m->type == MT_NPS)
                    sx = c->ones - c->neg, sxx = c->ones + c->neg;
                v[0] = c->m.n, v[1] = sx, v[2] = sxx;
                if (two)
                    v[3] = sy, v[4] = syy, v[5] = sxy;
                if (m->cov2 && m->type == MT_RATIO) {
                    static const cell_ext_t none;
                    cell_t z = *c; /* a cell without values has no pair: its sums are 0 */
                    if (!z.ext)
                        z.ext = (cell_ext_t *)&none;
                    pair_sums(&z, &v[V_SUM3]);
                }
                char type[48];
                if (m->type == MT_QUANTILE) {
                    char qt[32];
                    snprintf(type, sizeof type, "quantile=%s", dcx_json_number_text(m->q, qt));
                    key[1] = type;
                    data_quantile_window(c->vals, c->nvals, m->q, z, &v[V_Q], &v[V_Q_LO], &v[V_Q_HI]);
                }
                put_row(out, key, v, total, wide);
            }
        }
    }
    return rows;
}

static dcx_status_t write_summary(const data_t *d, FILE *out, dcx_error_t *err)
{
    size_t *lv = malloc((d->nlevels + 1) * sizeof *lv), *vv = malloc((d->variants.n + 1) * sizeof *vv);
    if (!lv || !vv) {
        free(lv);
        free(vv);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < d->nlevels; i++)
        lv[i] = i;
    for (size_t i = 0; i < d->variants.n; i++)
        vv[i] = i;
    if (dcx_sort_idx(lv, d->nlevels, cmp_levels, d) || dcx_sort_idx(vv, d->variants.n, cmp_names, d)) {
        free(lv);
        free(vv);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    int wide = 0;
    for (size_t i = 0; i < d->nm; i++)
        wide |= d->metrics[i].cov2 != NULL;
    put_header(out, wide);
    summary_rows(d, lv, vv, out, summary_rows(d, lv, vv, NULL, 0, wide), wide);
    free(lv);
    free(vv);
    return ferror(out) ? dcx_error_set(err, DCX_EIO, "write error") : DCX_OK;
}

/* --merge: rows with the same (metric, type, segment, segment_value, variant) add up;
 * cap rows must agree, quantile rows cannot add up */
typedef struct {
    char *key[5];
    double v[ROW_NUMS];
} mrow_t;

/* cell j of a summary row as a number into *v (NaN when empty) */
static dcx_status_t merge_number(const char *file, const dcx_csv_row_t *row, long c, int k,
                                 double *v, dcx_error_t *err)
{
    *v = NAN;
    if (c < 0 || data_summary_blank(row->fields[c], row->lens[c]))
        return DCX_OK;
    if (!dcx_parse_number(row->fields[c], row->lens[c], v))
        return dcx_error_at(err, DCX_EPARSE, file, row->line, c + 1,
                            "column '%s': '%.60s' is not a number", summary_cols[k], row->fields[c]);
    return DCX_OK;
}

/* folds the numbers of a row into m (new: it is empty) */
static dcx_status_t merge_into(mrow_t *m, int is_new, const double v[ROW_NUMS], const char *file,
                               long line, dcx_error_t *err)
{
    const char *type = m->key[1];
    if (!is_new && !strncmp(type, "quantile=", 9))
        return dcx_error_at(err, DCX_EPARSE, file, line, 0,
                            "quantile metric '%s': a second row for variant '%s' at %s=%s; the "
                            "quantiles of several shards do not add up (aggregate the units of all "
                            "shards together)",
                            m->key[0], m->key[4], m->key[2], m->key[3]);
    if (!is_new && !strcmp(type, "cap")) {
        for (int j = V_CAP_LO; j <= V_CAP_IZ; j++)
            if (!(v[j] == m->v[j] || (isnan(v[j]) && isnan(m->v[j]))))
                return dcx_error_at(err, DCX_EPARSE, file, line, 0,
                                    "metric '%s': capped at other thresholds than in the summary "
                                    "read before (summaries to add up must be capped alike)",
                                    m->key[0]);
        if (!isnan(v[V_N])) /* the values that were not 0 add up */
            m->v[V_N] = isnan(m->v[V_N]) ? v[V_N] : m->v[V_N] + v[V_N];
        return DCX_OK;
    }
    if (!is_new && isnan(v[V_SUM3]) != isnan(m->v[V_SUM3]))
        return dcx_error_at(err, DCX_EPARSE, file, line, 0,
                            "metric '%s': one summary carries the sums of a covariate pair (sum3 "
                            ".. sum_cross34) and another not: summaries to add up must be made "
                            "with the same --cuped",
                            m->key[0]);
    for (int j = 0; j < ROW_NUMS; j++) {
        if (isnan(v[j]))
            continue;
        m->v[j] = isnan(m->v[j]) ? v[j] : m->v[j] + v[j];
    }
    return DCX_OK;
}

static dcx_status_t merge_summaries(const dcx_strlist_t *files, char delim, FILE *out,
                                    dcx_error_t *err)
{
    dcx_strmap_t index = {0};
    mrow_t *rows = NULL;
    size_t nrows = 0, cap = 0;
    int wide = 0; /* some file has the sums of a covariate pair */
    dcx_status_t st = DCX_OK;
    for (size_t f = 0; f < files->n && !st; f++) {
        dcx_csv_reader_t *r;
        if ((st = dcx_csv_open(files->v[f], &r, err)))
            break;
        dcx_csv_delimiter(r, delim);
        const char *file = dcx_csv_name(r);
        dcx_csv_row_t row;
        long ci[SUMMARY_NALL];
        if ((st = dcx_csv_header(r, &row, "a summary header", err))
            || (st = data_summary_columns(file, &row, ci, err))) {
            dcx_csv_close(r);
            break;
        }
        dcx_csv_expect_width(r, row.n);
        wide |= ci[SUMMARY_NBASE] >= 0;
        double total = NAN, seen = 0;
        long last = 0;
        int got;
        while (!st && (got = dcx_csv_next(r, &row, err)) > 0) {
            seen++;
            last = row.line;
            double v[ROW_NUMS], t;
            for (int j = 0; j < ROW_NUMS && !st; j++)
                st = merge_number(file, &row, ci[col_of(j)], col_of(j), &v[j], err);
            if (!st && (st = merge_number(file, &row, ci[SUMMARY_ROWS_TOTAL], SUMMARY_ROWS_TOTAL, &t, err)))
                break;
            if (st)
                break;
            if (!isnan(t))
                total = t;
            tbuf_t key = {0};
            for (int k = 0; k < 5; k++) {
                tb_putn(&key, row.fields[ci[k]], row.lens[ci[k]]);
                tb_putn(&key, "\x1f", 1);
            }
            long k = key.oom ? -1 : dcx_strmap_put(&index, key.s, key.len);
            tb_free(&key);
            if (k < 0) {
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                break;
            }
            int is_new = (size_t)k == nrows;
            if (is_new) {
                if (nrows == cap) {
                    cap = cap ? cap * 2 : 64;
                    mrow_t *p = realloc(rows, cap * sizeof *p);
                    if (!p) {
                        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                        break;
                    }
                    rows = p;
                }
                memset(&rows[nrows], 0, sizeof rows[nrows]);
                for (int j = 0; j < ROW_NUMS; j++)
                    rows[nrows].v[j] = NAN;
                int lost = 0;
                for (int j = 0; j < 5; j++)
                    lost |= !(rows[nrows].key[j] = strdup(row.fields[ci[j]]));
                nrows++;
                if (lost) {
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                    break;
                }
            }
            st = merge_into(&rows[k], is_new, v, file, row.line, err);
        }
        if (!st && got < 0)
            st = err->code;
        if (!st && !isnan(total) && seen != total)
            st = dcx_error_at(err, DCX_EPARSE, file, last, 0,
                              seen < total ? "the summary has %.0f of %.0f rows: was the export "
                                             "truncated?"
                                           : "the summary has %.0f rows but says %.0f (rows_total): "
                                             "were two results put in one file?",
                              seen, total);
        dcx_csv_close(r);
    }
    if (!st) {
        put_header(out, wide);
        for (size_t i = 0; i < nrows; i++)
            put_row(out, (const char *const *)rows[i].key, rows[i].v, nrows, wide);
        if (ferror(out))
            st = dcx_error_set(err, DCX_EIO, "write error");
    }
    for (size_t i = 0; i < nrows; i++)
        for (int j = 0; j < 5; j++)
            free(rows[i].key[j]);
    free(rows);
    dcx_strmap_free(&index);
    return st;
}

dcx_status_t dcx_aggregate_run(const dcx_aggregate_opts_t *o, FILE *out, dcx_strlist_t *warnings,
                               dcx_error_t *err)
{
    if (o->merge.n) {
        if (o->input)
            return dcx_error_set(err, DCX_EINVAL, "give --input or --merge, not both");
        char d = dcx_csv_delimiter_parse(o->delimiter);
        if (!d)
            return dcx_error_set(err, DCX_EINVAL, "--delimiter '%s': give one character, or \\t for a tab",
                                 o->delimiter);
        return merge_summaries(&o->merge, d, out, err);
    }
    if (!o->input)
        return dcx_error_set(err, DCX_EINVAL, "missing --input UNITS.csv (or --merge A.csv B.csv)");
    char delim = dcx_csv_delimiter_parse(o->delimiter);
    if (!delim)
        return dcx_error_set(err, DCX_EINVAL, "--delimiter '%s': give one character, or \\t for a tab",
                             o->delimiter);
    data_t d;
    data_spec_t spec = {.metrics = &o->metric, .segments = &o->segment, .cuped = &o->cuped,
                        .variant_col = o->variant_column, .period = PERIOD_DAY, .delimiter = delim};
    dcx_status_t st = data_init(&d, &spec, err);
    if (!st)
        st = data_read_units(&d, o->input, err);
    if (!st)
        st = write_summary(&d, out, err);
    if (!st && d.no_variant > 0 && warnings
        && dcx_strlist_pushf(warnings, "%.0f row%s with an empty '%s' cell %s left out (units in no variant)",
                             d.no_variant, d.no_variant == 1 ? "" : "s", d.variant_col,
                             d.no_variant == 1 ? "is" : "are"))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    data_free(&d);
    return st;
}

dcx_status_t dcx_aggregate(const dcx_aggregate_opts_t *o, FILE *out, dcx_error_t *err)
{
    return dcx_aggregate_run(o, out, NULL, err);
}
