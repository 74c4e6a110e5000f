/* cap_pass.c — a pass over a unit-level CSV before the main one, made when a --cap is a
 * percentile: the capped columns' values, pooled over every arm and segment level, give
 * the thresholds (R's quantile(type = 7)) that the main pass (units_read.c) winsorizes at;
 * with --cap-ignore-zeros, of the non-zero values only. Only rows that count (row_select.h)
 * give values. Values are kept per column, so that two metrics over one column (revenue
 * and revenue/sessions) each take their own cap. A large file is read in two halves at
 * once, as the main pass does. */
#include "units_read.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dcx/csv.h"
#include "fileio.h"
#include "numparse.h"

/* ---- type-7 quantiles ---------------------------------------------------------------- */

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

/* ---- the capping pass ---------------------------------------------------------------- */

typedef struct {
    data_t *d;
    const char *file;
    size_t *which;   /* column -> capped column index + 1 (0: not capped by a percentile) */
    size_t ncols, ncap;
    const char **colname; /* per capped column: its name */
    double **vals;   /* per capped column: the pooled values */
    size_t *nvals, *capv;
    /* the row being read: its capped values wait for the row's end (does it count?) */
    double *pend;
    unsigned char *has;
    int drop;
    dcx_error_t *err;
    dcx_status_t st;
} cappass_t;

static int cap_field(void *ctx, size_t col, const char *s, size_t len, long line)
{
    cappass_t *c = ctx;
    const data_t *d = c->d;
    const rowsel_t *sel = &d->sel;
    if (col >= c->ncols)
        return 0; /* rows read with the header come with every column */
    for (size_t i = 0; i < sel->nwhere; i++)
        if (sel->where[i].col_i == (long)col && !where_holds(&sel->where[i], s, len))
            c->drop |= DROP_FILTER;
    if ((long)col == sel->unit_i && unit_excluded(sel, s, len))
        c->drop |= DROP_UNIT;
    if ((long)col == d->variant_i && dcx_is_blank_fast(s, len))
        c->drop |= DROP_NOVARIANT;
    if (!c->which[col] || c->drop)
        return 0;
    size_t k = c->which[col] - 1;
    if (dcx_is_blank_fast(s, len))
        return 0;
    double x;
    int num = dcx_parse_number_fast(s, len, &x);
    if (!num && dcx_is_na_word(s, len))
        return 0; /* missing, as in the main pass */
    if (!num || fabs(x) > DCX_VALUE_MAX) {
        c->st = dcx_error_at(c->err, DCX_EPARSE, c->file, line, (long)col + 1,
                             "column '%s': '%.60s' %s", c->colname[k], s,
                             num ? TOO_LARGE : "is not a number");
        return 1;
    }
    c->pend[k] = x;
    c->has[k] = 1;
    return 0;
}

/* The row's end: its values join the pooled ones when the row counts. */
static int cap_row(void *ctx, size_t nfields, long line)
{
    cappass_t *c = ctx;
    (void)line;
    int keep = !c->drop && nfields == c->ncols; /* ragged rows are the main pass's to report */
    c->drop = 0;
    for (size_t k = 0; k < c->ncap; k++) {
        if (!c->has[k])
            continue;
        c->has[k] = 0;
        if (!keep)
            continue;
        if (c->nvals[k] == c->capv[k]) {
            size_t cap = c->capv[k] ? c->capv[k] * 2 : 4096;
            double *p = realloc(c->vals[k], cap * sizeof *p);
            if (!p) {
                c->st = dcx_error_set(c->err, DCX_ENOMEM, "out of memory collecting the values to cap");
                return 1;
            }
            c->vals[k] = p;
            c->capv[k] = cap;
        }
        c->vals[k][c->nvals[k]++] = c->pend[k];
    }
    return 0;
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

/* The per-column arrays of c (n capped columns). @return 0, or -1 when out of memory. */
static int cap_alloc(cappass_t *c, size_t n)
{
    c->vals = calloc(n + 1, sizeof *c->vals);
    c->nvals = calloc(n + 1, sizeof *c->nvals);
    c->capv = calloc(n + 1, sizeof *c->capv);
    c->pend = calloc(n + 1, sizeof *c->pend);
    c->has = calloc(n + 1, 1);
    return c->vals && c->nvals && c->capv && c->pend && c->has ? 0 : -1;
}

static void cap_free(cappass_t *c)
{
    for (size_t i = 0; c->vals && i < c->ncap; i++)
        free(c->vals[i]);
    free(c->vals);
    free(c->nvals);
    free(c->capv);
    free(c->pend);
    free(c->has);
    c->vals = NULL, c->nvals = c->capv = NULL, c->pend = NULL, c->has = NULL;
}

#define CAP_PARALLEL_MIN_BYTES (8LL << 20)

/* Is m's cap (or one side of it) a percentile of the pooled values? */
static int percentile_cap(const metric_t *m)
{
    return m->cap_on && (!isnan(m->cap_plo) || !isnan(m->cap_phi));
}

int cap_needs_pass(const data_t *d)
{
    int need = 0;
    for (size_t i = 0; i < d->nm; i++)
        need |= percentile_cap(&d->metrics[i]);
    return need;
}

/* Pushes the rows after the header through the capping callbacks into c's pooled values:
 * a large regular file in two halves at once, the second half's values appended to the
 * first's (the split at a line end; inside a quoted field the first reader continues). */
static dcx_status_t push_cap_values(cappass_t *c, dcx_csv_reader_t *r, const char *path,
                                    unsigned char *want, size_t ncols, dcx_error_t *err)
{
    const dcx_csv_handler_t h = {cap_field, cap_row, want, ncols, NULL};
    struct stat sb;
    long long split = -1;
    caphalf_t *h2 = NULL;
    pthread_t th;
    int threaded = 0;
    if (strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= CAP_PARALLEL_MIN_BYTES)
        split = file_line_after(path, sb.st_size / 2);
    if (split > 0 && split < sb.st_size && (h2 = calloc(1, sizeof *h2))) {
        h2->c = *c;
        h2->path = path, h2->start = split, h2->want = want, h2->ncols = ncols;
        if (!cap_alloc(&h2->c, c->ncap)) {
            dcx_csv_limit(r, split);
            threaded = pthread_create(&th, NULL, cap_half, h2) == 0;
        }
        if (!threaded)
            dcx_csv_limit(r, 0);
    }
    dcx_status_t st = dcx_csv_push(r, &h, c, err);
    if (!st)
        st = c->st;
    if (threaded) {
        pthread_join(th, NULL);
        if (!st && !dcx_csv_between_rows(r)) { /* the split was inside a quoted field */
            dcx_csv_limit(r, 0);
            if (!(st = dcx_csv_push(r, &h, c, err)))
                st = c->st;
        } else if (!st && h2->st) {
            *err = h2->err;
            if (err->line > 0)
                err->line += dcx_csv_lines(r) - 1;
            st = h2->st;
        } else if (!st) { /* the second half's values join the first's */
            for (size_t i = 0; i < c->ncap && !st; i++) {
                if (!h2->c.nvals[i])
                    continue;
                double *p = realloc(c->vals[i], (c->nvals[i] + h2->c.nvals[i]) * sizeof *p);
                if (!p) {
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory collecting the values to cap");
                    break;
                }
                memcpy(p + c->nvals[i], h2->c.vals[i], h2->c.nvals[i] * sizeof *p);
                c->vals[i] = p;
                c->nvals[i] += h2->c.nvals[i];
                c->capv[i] = c->nvals[i];
            }
        }
    }
    if (h2) {
        cap_free(&h2->c);
        free(h2);
    }
    return st;
}

/* Moves the non-zero values of v[0..n) to its front (reordering it). @return their count. */
static size_t nonzero_first(double *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] != 0) {
            double t = v[k];
            v[k++] = v[i];
            v[i] = t;
        }
    return k;
}

/* Sets the percentile thresholds of metric m from its column's pooled values v[0..n)
 * (reordered). @return DCX_OK, DCX_EPARSE when there are no values to take them from. */
static dcx_status_t set_thresholds(metric_t *m, double *v, size_t n, const char *file,
                                   dcx_error_t *err)
{
    if (m->cap_ignore_zeros)
        n = nonzero_first(v, n);
    if (!n)
        return dcx_error_at(err, DCX_EPARSE, file, 0, 0, "--cap %s: column '%s' has no %svalues to "
                                                         "take the percentile of",
                            m->cap_spec, m->col, m->cap_ignore_zeros ? "non-zero " : "");
    if (!isnan(m->cap_plo))
        m->cap_lo = data_quantile7(v, n, m->cap_plo / 100);
    if (!isnan(m->cap_phi))
        m->cap_hi = data_quantile7(v, n, m->cap_phi / 100);
    return DCX_OK;
}

dcx_status_t cap_thresholds(data_t *d, const char *path, dcx_error_t *err)
{
    if (!cap_needs_pass(d))
        return DCX_OK;
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, d->delimiter);
    dcx_csv_trim(r, 1);
    dcx_csv_row_t row;
    cappass_t c;
    memset(&c, 0, sizeof c);
    c.d = d, c.file = dcx_csv_name(r), c.err = err;
    unsigned char *want = NULL;
    size_t *mcol = calloc(d->nm + 1, sizeof *mcol); /* metric -> its capped column + 1 */
    if ((st = dcx_csv_header(r, &row, "a header row", err)))
        goto done;
    c.which = calloc(row.n + 1, sizeof *c.which);
    c.colname = calloc(d->nm + 1, sizeof *c.colname);
    c.ncols = row.n;
    want = calloc(row.n + 1, 1);
    if (!mcol || !c.which || !c.colname || !want || cap_alloc(&c, d->nm)) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((d->variant_i = data_find_column(&row, d->variant_col)) < 0) {
        st = data_missing_column(c.file, &row, "variant", d->variant_col, err);
        goto done;
    }
    if ((st = rowsel_columns(&d->sel, c.file, &row, err)))
        goto done;
    want[d->variant_i] = 1;
    for (size_t i = 0; i < d->sel.nwhere; i++)
        want[d->sel.where[i].col_i] = 1;
    if (d->sel.unit_i >= 0)
        want[d->sel.unit_i] = 1;
    for (size_t i = 0; i < d->nm; i++) { /* each capped column once, however many metrics */
        const metric_t *m = &d->metrics[i];
        if (!percentile_cap(m))
            continue;
        long k = data_find_column(&row, m->col);
        if (k < 0) {
            st = data_missing_column(c.file, &row, "metric", m->col, err);
            goto done;
        }
        if (!c.which[k]) {
            c.colname[c.ncap] = m->col;
            c.which[k] = ++c.ncap;
        }
        want[k] = 1;
        mcol[i] = c.which[k];
    }
    if ((st = push_cap_values(&c, r, path, want, row.n, err)))
        goto done;
    for (size_t i = 0; i < d->nm && !st; i++)
        if (mcol[i])
            st = set_thresholds(&d->metrics[i], c.vals[mcol[i] - 1], c.nvals[mcol[i] - 1], c.file, err);
done:
    cap_free(&c);
    free(c.which);
    free(c.colname);
    free(mcol);
    free(want);
    dcx_csv_close(r);
    return st;
}
