/* rows.c — a table of text cells in memory: the cells of all rows in one growing arena,
 * each NUL-terminated, found by their offsets (one size_t per cell). */
#include "dcx/rows.h"

#include <stdlib.h>
#include <string.h>

#include "dcx/options.h"

struct dcx_rows {
    dcx_strlist_t names;
    char *arena;
    size_t len, cap;   /* bytes used and allocated in arena */
    size_t *offs;      /* rows * width offsets into arena */
    size_t nrows, caprows;
};

dcx_rows_t *dcx_rows_new(void) { return calloc(1, sizeof(dcx_rows_t)); }

void dcx_rows_free(dcx_rows_t *t)
{
    if (!t)
        return;
    dcx_strlist_free(&t->names);
    free(t->arena);
    free(t->offs);
    free(t);
}

dcx_status_t dcx_rows_add_column(dcx_rows_t *t, const char *name, dcx_error_t *err)
{
    if (t->nrows)
        return dcx_error_set(err, DCX_EINVAL, "columns come before the first row");
    if (!name || !*name)
        return dcx_error_set(err, DCX_EINVAL, "a column needs a name");
    for (size_t i = 0; i < t->names.n; i++)
        if (!strcmp(t->names.v[i], name))
            return dcx_error_set(err, DCX_EINVAL, "column '%s' is named twice", name);
    if (dcx_strlist_push(&t->names, name))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

dcx_status_t dcx_rows_add(dcx_rows_t *t, const char *const *cells, const size_t *lens,
                          dcx_error_t *err)
{
    size_t w = t->names.n;
    if (!w)
        return dcx_error_set(err, DCX_EINVAL, "name the columns before adding rows");
    if (t->nrows == t->caprows) {
        size_t cap = t->caprows ? 2 * t->caprows : 1024;
        if (cap > (size_t)-1 / (w * sizeof *t->offs))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        size_t *o = realloc(t->offs, cap * w * sizeof *o);
        if (!o)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        t->offs = o;
        t->caprows = cap;
    }
    size_t need = 0;
    for (size_t c = 0; c < w; c++)
        need += (cells[c] ? lens[c] : 0) + 1;
    if (t->len + need > t->cap) {
        size_t cap = t->cap ? t->cap : 1 << 16;
        while (cap < t->len + need)
            cap *= 2;
        char *a = realloc(t->arena, cap);
        if (!a)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        t->arena = a;
        t->cap = cap;
    }
    size_t *row = t->offs + t->nrows * w;
    for (size_t c = 0; c < w; c++) {
        size_t n = cells[c] ? lens[c] : 0;
        row[c] = t->len;
        if (n)
            memcpy(t->arena + t->len, cells[c], n);
        t->arena[t->len + n] = '\0';
        t->len += n + 1;
    }
    t->nrows++;
    return DCX_OK;
}

size_t dcx_rows_width(const dcx_rows_t *t) { return t->names.n; }

size_t dcx_rows_count(const dcx_rows_t *t) { return t->nrows; }

const char *dcx_rows_name(const dcx_rows_t *t, size_t col)
{
    return col < t->names.n ? t->names.v[col] : NULL;
}

const char *dcx_rows_cell(const dcx_rows_t *t, size_t row, size_t col, size_t *len)
{
    if (row >= t->nrows || col >= t->names.n)
        return NULL;
    size_t w = t->names.n, at = t->offs[row * w + col];
    size_t end = row * w + col + 1 < t->nrows * w ? t->offs[row * w + col + 1] : t->len;
    *len = end - at - 1;
    return t->arena + at;
}
