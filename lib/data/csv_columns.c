/* csv_columns.c — whole numeric columns of a CSV file, in one streaming pass: the fields
 * of the wanted columns go straight from libcsv into growing arrays of doubles, so a
 * million rows cost a few tens of milliseconds and 8 bytes per value. */
#include "dcx/csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "strmap.h"

typedef struct {
    const char *file;
    size_t n;         /* wanted columns */
    size_t *slot;     /* per file column: its wanted index + 1, 0 = not wanted */
    size_t nslot;
    double **cols;
    size_t rows, cap; /* rows stored, capacity of each array */
    dcx_status_t st;
    dcx_error_t *err;
    const char *const *names;
} columns_t;

static int grow(columns_t *c)
{
    size_t cap = c->cap ? 2 * c->cap : 4096;
    for (size_t k = 0; k < c->n; k++) {
        double *v = realloc(c->cols[k], cap * sizeof *v);
        if (!v) {
            c->st = dcx_error_set(c->err, DCX_ENOMEM, "out of memory");
            return 1;
        }
        c->cols[k] = v;
    }
    c->cap = cap;
    return 0;
}

static int on_field(void *ctx, size_t col, const char *s, size_t len, long line)
{
    columns_t *c = ctx;
    if (col >= c->nslot || !c->slot[col])
        return 0;
    if (c->rows == c->cap && grow(c))
        return 1;
    size_t k = c->slot[col] - 1;
    double x = NAN;
    if (!dcx_is_blank_fast(s, len) && !dcx_parse_number_fast(s, len, &x)) {
        c->st = dcx_error_at(c->err, DCX_EPARSE, c->file, line, (long)col + 1,
                             "column '%s': '%.40s' is not a number", c->names[k], s);
        return 1;
    }
    c->cols[k][c->rows] = x;
    return 0;
}

static int on_row(void *ctx, size_t nfields, long line)
{
    columns_t *c = ctx;
    if (nfields != c->nslot) {
        c->st = dcx_error_at(c->err, DCX_EPARSE, c->file, line, 0,
                             "row has %zu field%s, expected %zu like the header", nfields,
                             nfields == 1 ? "" : "s", c->nslot);
        return 1;
    }
    if (c->rows == c->cap && grow(c))
        return 1;
    c->rows++;
    return 0;
}

dcx_status_t dcx_csv_columns(const char *path, const char *const *names, size_t n, char delimiter,
                             double ***cols, size_t *nrows, dcx_error_t *err)
{
    *cols = NULL;
    *nrows = 0;
    if (n == 0)
        return dcx_error_set(err, DCX_EINVAL, "name at least one column");
    dcx_csv_reader_t *r = NULL;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, delimiter);
    dcx_csv_trim(r, 1);
    columns_t c = {dcx_csv_name(r), n, NULL, 0, NULL, 0, 0, DCX_OK, err, names};
    unsigned char *want = NULL;
    dcx_strmap_t seen = {0};
    dcx_csv_row_t h;
    if ((st = dcx_csv_header(r, &h, "a header row", err)))
        goto done;
    c.nslot = h.n;
    c.slot = calloc(h.n + 1, sizeof *c.slot);
    want = calloc(h.n + 1, 1);
    c.cols = calloc(n, sizeof *c.cols);
    if (!c.slot || !want || !c.cols) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(names[k]);
        if (dcx_strmap_get(&seen, names[k], len) >= 0) {
            st = dcx_error_set(err, DCX_EINVAL, "column '%s' is asked for twice", names[k]);
            goto done;
        }
        if (dcx_strmap_put(&seen, names[k], len) < 0) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        size_t at = h.n;
        for (size_t i = 0; i < h.n && at == h.n; i++)
            if (h.lens[i] == len && !memcmp(h.fields[i], names[k], len))
                at = i;
        if (at == h.n) {
            char hint[256];
            dcx_csv_header_hint(&h, hint, sizeof hint);
            st = dcx_error_at(err, DCX_EINVAL, c.file, h.line, 0, "no column '%s' in the header (%s)",
                              names[k], hint);
            goto done;
        }
        c.slot[at] = k + 1;
        want[at] = 1;
    }
    if (grow(&c)) {
        st = c.st;
        goto done;
    }
    dcx_csv_handler_t hd = {on_field, on_row, want, h.n, NULL};
    st = dcx_csv_push(r, &hd, &c, err);
    if (!st)
        st = c.st;
done:
    dcx_strmap_free(&seen);
    free(c.slot);
    free(want);
    if (st) {
        for (size_t k = 0; c.cols && k < n; k++)
            free(c.cols[k]);
        free(c.cols);
    } else {
        *cols = c.cols;
        *nrows = c.rows;
    }
    dcx_csv_close(r);
    return st;
}
