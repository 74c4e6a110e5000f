/* aggregate.c — `dcx aggregate`: the summary CSV (sufficient statistics per metric ×
 * segment level × variant) of unit-level data, or several summaries added up. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "dcx/analysis.h"
#include "dcx/csv.h"
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

static void put_header(FILE *out)
{
    for (int k = 0; k < SUMMARY_NCOLS; k++)
        fprintf(out, "%s%s", summary_cols[k], k + 1 < SUMMARY_NCOLS ? "," : "\n");
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
    put_header(out);
    for (size_t mi = 0; mi < d->nm; mi++) {
        const metric_t *m = &d->metrics[mi];
        int two = m->type == MT_RATIO || m->cov;
        for (size_t li = 0; li < d->nlevels; li++) {
            const level_t *l = &d->levels[lv[li]];
            for (size_t vi = 0; vi < d->variants.n; vi++) {
                const cell_t *c = level_cell(d, l, vv[vi], mi);
                if (c->m.n == 0 && c->missing == 0 && l->units[vv[vi]] == 0)
                    continue; /* this variant never appears in this level */
                double sx, sxx, sy, syy, sxy;
                dcx_moments_sums(&c->m, &sx, &sxx, &sy, &syy, &sxy);
                if (m->type == MT_BINARY)
                    sx = sxx = c->ones; /* exact counts */
                else if (m->type == MT_NPS)
                    sx = c->ones - c->neg, sxx = c->ones + c->neg;
                put_text(out, m->name);
                fputc(',', out);
                fputs(mtype_name(m->type), out);
                fputc(',', out);
                put_text(out, l->seg < 0 ? "all" : d->segs[l->seg]);
                fputc(',', out);
                put_text(out, l->value);
                fputc(',', out);
                put_text(out, d->variants.keys[vv[vi]]);
                fputc(',', out);
                put_num(out, c->m.n);
                fputc(',', out);
                put_num(out, sx);
                fputc(',', out);
                put_num(out, sxx);
                if (two) {
                    fputc(',', out);
                    put_num(out, sy);
                    fputc(',', out);
                    put_num(out, syy);
                    fputc(',', out);
                    put_num(out, sxy);
                    fputc('\n', out);
                } else {
                    fputs(",,,\n", out);
                }
            }
        }
    }
    free(lv);
    free(vv);
    return ferror(out) ? dcx_error_set(err, DCX_EIO, "write error") : DCX_OK;
}

/* --merge: rows with the same (metric, type, segment, segment_value, variant) add up */
typedef struct {
    char *key[5];
    double v[6];
    int has2;
} mrow_t;

static dcx_status_t merge_summaries(const dcx_strlist_t *files, char delim, FILE *out,
                                    dcx_error_t *err)
{
    dcx_strmap_t index = {0};
    mrow_t *rows = NULL;
    size_t nrows = 0, cap = 0;
    dcx_status_t st = DCX_OK;
    for (size_t f = 0; f < files->n && !st; f++) {
        dcx_csv_reader_t *r;
        if ((st = dcx_csv_open(files->v[f], &r, err)))
            break;
        dcx_csv_delimiter(r, delim);
        dcx_csv_row_t row;
        long ci[SUMMARY_NCOLS];
        if ((st = dcx_csv_header(r, &row, "a summary header", err))
            || (st = data_summary_columns(dcx_csv_name(r), &row, ci, err))) {
            dcx_csv_close(r);
            break;
        }
        dcx_csv_expect_width(r, row.n);
        int got;
        while (!st && (got = dcx_csv_next(r, &row, err)) > 0) {
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
            if ((size_t)k == nrows) {
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
                int lost = 0;
                for (int j = 0; j < 5; j++)
                    lost |= !(rows[nrows].key[j] = strdup(row.fields[ci[j]]));
                nrows++;
                if (lost) {
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                    break;
                }
            }
            mrow_t *m = &rows[k];
            for (int j = 0; j < 6; j++) {
                const char *s = row.fields[ci[5 + j]];
                size_t sl = row.lens[ci[5 + j]];
                double v;
                if (j >= 3 && dcx_is_blank(s, sl))
                    continue;
                if (!dcx_parse_number(s, sl, &v)) {
                    st = dcx_error_at(err, DCX_EPARSE, files->v[f], row.line, ci[5 + j] + 1,
                                      "column '%s': '%.60s' is not a number", summary_cols[5 + j], s);
                    break;
                }
                m->v[j] += v;
                if (j >= 3)
                    m->has2 = 1;
            }
        }
        if (!st && got < 0)
            st = err->code;
        dcx_csv_close(r);
    }
    if (!st) {
        put_header(out);
        for (size_t i = 0; i < nrows; i++) {
            for (int j = 0; j < 5; j++) {
                put_text(out, rows[i].key[j]);
                fputc(',', out);
            }
            for (int j = 0; j < 6; j++) {
                if (j < 3 || rows[i].has2)
                    put_num(out, rows[i].v[j]);
                fputc(j < 5 ? ',' : '\n', out);
            }
        }
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
    for (size_t i = 0; i < o->metric.n; i++)
        if (strstr(o->metric.v[i], ":quantile"))
            return dcx_error_set(err, DCX_EINVAL,
                                 "--metric %s: a summary holds sums, and a quantile cannot be "
                                 "computed from sums; analyse the units with dcx analyze --input",
                                 o->metric.v[i]);
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
