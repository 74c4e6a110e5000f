/* cap_pass.c — the first of two passes over a unit-level CSV, made when a --cap is a
 * percentile: the capped columns' values, pooled over every arm and segment level, give
 * the thresholds (R's quantile(type = 7)) that the main pass (units_read.c) winsorizes at.
 * A large file is read in two halves at once, as the main pass does. */
#include "units_read.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dcx/csv.h"
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
    data_t *d = c->d;
    const dcx_csv_handler_t h = {cap_field, cap_row, want, ncols, NULL};
    struct stat sb;
    long long split = -1;
    caphalf_t *h2 = NULL;
    pthread_t th;
    int threaded = 0;
    if (strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= CAP_PARALLEL_MIN_BYTES)
        split = units_line_after(path, sb.st_size / 2);
    if (split > 0 && split < sb.st_size && (h2 = calloc(1, sizeof *h2))) {
        h2->c = *c;
        h2->c.vals = calloc(d->nm, sizeof *h2->c.vals);
        h2->c.nvals = calloc(d->nm, sizeof *h2->c.nvals);
        h2->c.capv = calloc(d->nm, sizeof *h2->c.capv);
        h2->path = path, h2->start = split, h2->want = want, h2->ncols = ncols;
        if (h2->c.vals && h2->c.nvals && h2->c.capv) {
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
            for (size_t i = 0; i < d->nm && !st; i++) {
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
        cap_free(&h2->c, d->nm);
        free(h2);
    }
    return st;
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
        if (!percentile_cap(m))
            continue;
        for (size_t k = 0; k < row.n; k++)
            if (!strcmp(row.fields[k], m->col)) {
                c.which[k] = i + 1;
                want[k] = 1;
            }
    }
    if ((st = push_cap_values(&c, r, path, want, row.n, err)))
        goto done;
    for (size_t i = 0; i < d->nm; i++) {
        metric_t *m = &d->metrics[i];
        if (!percentile_cap(m))
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
