/* row_select.c — which rows of a unit-level CSV count (row_select.h): the --where
 * conditions, and the unit pass of --unit-column, which finds the units exposed to more
 * than one variant (they are left out, and counted) and refuses a unit on two rows of the
 * same variant. Memory is one entry per unit: a hash map of the ids, and for the rare
 * unit seen under several variants a short list of them. */
#include "row_select.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "numparse.h"

/* ---- --where ----------------------------------------------------------------------------- */

/* s[0..n) without the spaces around it */
static const char *trim(const char *s, size_t *n)
{
    while (*n && (*s == ' ' || *s == '\t'))
        s++, (*n)--;
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
        (*n)--;
    return s;
}

static dcx_status_t parse_where(where_t *w, const char *spec, dcx_error_t *err)
{
    w->col_i = -1;
    if (!(w->spec = strdup(spec)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    const char *ne = strstr(spec, "!="), *eq = strchr(spec, '=');
    const char *op = ne && ne < eq ? ne : eq;
    size_t clen = op ? (size_t)(op - spec) : 0;
    const char *col = op ? trim(spec, &clen) : NULL;
    if (!op || !clen)
        return dcx_error_set(err, DCX_EINVAL,
                             "--where '%s': write COLUMN=VALUE[,VALUE...] or COLUMN!=VALUE[,VALUE...]",
                             spec);
    w->negate = op == ne;
    if (!(w->col = data_dupn(col, clen)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (const char *p = op + (w->negate ? 2 : 1);;) { /* the values, commas between */
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *v = trim(p, &n);
        if (dcx_strmap_put(&w->values, v, n) < 0)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        if (!comma)
            break;
        p = comma + 1;
    }
    return DCX_OK;
}

dcx_status_t rowsel_parse(rowsel_t *s, const dcx_strlist_t *where, const char *unit_col,
                          dcx_error_t *err)
{
    memset(s, 0, sizeof *s);
    s->unit_i = -1;
    size_t n = where ? where->n : 0;
    if (n && !(s->where = calloc(n, sizeof *s->where)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    dcx_status_t st;
    for (size_t i = 0; i < n; i++) {
        s->nwhere++; /* (begun, so that rowsel_free frees it) */
        if ((st = parse_where(&s->where[i], where->v[i], err)))
            return st;
    }
    if (unit_col && !(s->unit_col = strdup(unit_col)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

void rowsel_free(rowsel_t *s)
{
    for (size_t i = 0; i < s->nwhere; i++) {
        free(s->where[i].spec);
        free(s->where[i].col);
        dcx_strmap_free(&s->where[i].values);
    }
    free(s->where);
    free(s->unit_col);
    dcx_strmap_free(&s->units);
    free(s->excluded);
    memset(s, 0, sizeof *s);
}

dcx_status_t rowsel_columns(rowsel_t *s, const char *file, const dcx_csv_row_t *header,
                            dcx_error_t *err)
{
    for (size_t i = 0; i < s->nwhere; i++)
        if ((s->where[i].col_i = data_find_column(header, s->where[i].col)) < 0)
            return data_missing_column(file, header, "--where", s->where[i].col, err);
    if (s->unit_col && (s->unit_i = data_find_column(header, s->unit_col)) < 0)
        return data_missing_column(file, header, "unit", s->unit_col, err);
    return DCX_OK;
}

/* ---- the unit pass ------------------------------------------------------------------------ */

/* A further variant a unit was seen under (after its first), in a list per unit. */
typedef struct {
    long v, line, next;
} also_t;

typedef struct {
    rowsel_t *s;
    const char *file, *variant_col;
    long variant_i;
    size_t ncols;
    /* the row being read */
    int fail;                /* a --where condition failed */
    char *vbuf, *ubuf;       /* its variant and unit */
    size_t vlen, ulen, vcap, ucap;
    /* per unit: the first variant and its line, and the list of the others */
    dcx_strmap_t variants;
    long *first_v, *first_line, *more;
    size_t cap;
    also_t *also;
    size_t nalso, capalso;
    dcx_error_t *err;
    dcx_status_t st;
} upass_t;

static int keep(char **buf, size_t *cap, size_t *len, const char *s, size_t n)
{
    if (n + 1 > *cap) {
        size_t c = *cap ? *cap : 64;
        while (c < n + 1)
            c *= 2;
        char *p = realloc(*buf, c);
        if (!p)
            return -1;
        *buf = p, *cap = c;
    }
    memcpy(*buf, s, n);
    (*buf)[n] = '\0';
    *len = n;
    return 0;
}

static int unit_field(void *ctx, size_t col, const char *s, size_t len, long line)
{
    upass_t *u = ctx;
    (void)line;
    if (col >= u->ncols)
        return 0;
    for (size_t i = 0; i < u->s->nwhere; i++)
        if (u->s->where[i].col_i == (long)col && !where_holds(&u->s->where[i], s, len))
            u->fail = 1;
    if (((long)col == u->variant_i && keep(&u->vbuf, &u->vcap, &u->vlen, s, len))
        || ((long)col == u->s->unit_i && keep(&u->ubuf, &u->ucap, &u->ulen, s, len))) {
        u->st = dcx_error_set(u->err, DCX_ENOMEM, "out of memory");
        return 1;
    }
    return 0;
}

/* The error for unit k seen twice under variant v (first on line `first`). */
static int duplicate(upass_t *u, long first, long line)
{
    u->st = dcx_error_at(u->err, DCX_EPARSE, u->file, line, u->s->unit_i + 1,
                         "column '%s': unit '%.80s' is on line %ld and on line %ld, both under "
                         "variant '%.80s': give each unit one row (or add its rows up first)",
                         u->s->unit_col, u->ubuf, first, line, u->vbuf);
    return 1;
}

/* Registers the row's unit under its variant. */
static int unit_row(void *ctx, size_t nfields, long line)
{
    upass_t *u = ctx;
    rowsel_t *s = u->s;
    int fail = u->fail, blank = dcx_is_blank(u->vbuf ? u->vbuf : "", u->vbuf ? u->vlen : 0);
    u->fail = 0;
    if (nfields != u->ncols || fail || blank) { /* ragged rows are the main pass's to report */
        u->vlen = u->ulen = 0;
        if (u->vbuf)
            u->vbuf[0] = '\0';
        return 0;
    }
    if (!u->ulen || dcx_is_blank(u->ubuf, u->ulen)) {
        u->st = dcx_error_at(u->err, DCX_EPARSE, u->file, line, s->unit_i + 1,
                             "column '%s': empty unit id (with --unit-column every row names its "
                             "unit)",
                             s->unit_col);
        return 1;
    }
    long v = dcx_strmap_put(&u->variants, u->vbuf, u->vlen);
    size_t before = s->units.n;
    long k = v < 0 ? -1 : dcx_strmap_put(&s->units, u->ubuf, u->ulen);
    if (k < 0)
        goto oom;
    if ((size_t)k == before) { /* a new unit */
        if (before == u->cap) {
            size_t cap = u->cap ? u->cap * 2 : 1024;
            long *a = realloc(u->first_v, cap * sizeof *a);
            if (a)
                u->first_v = a;
            long *b = a ? realloc(u->first_line, cap * sizeof *b) : NULL;
            if (b)
                u->first_line = b;
            long *c = b ? realloc(u->more, cap * sizeof *c) : NULL;
            if (c)
                u->more = c;
            unsigned char *e = c ? realloc(s->excluded, cap) : NULL;
            if (!e)
                goto oom;
            s->excluded = e;
            u->cap = cap;
        }
        u->first_v[k] = v, u->first_line[k] = line, u->more[k] = -1, s->excluded[k] = 0;
        u->vlen = u->ulen = 0;
        return 0;
    }
    if (u->first_v[k] == v)
        return duplicate(u, u->first_line[k], line);
    for (long e = u->more[k]; e >= 0; e = u->also[e].next)
        if (u->also[e].v == v)
            return duplicate(u, u->also[e].line, line);
    if (u->nalso == u->capalso) {
        size_t cap = u->capalso ? u->capalso * 2 : 64;
        also_t *a = realloc(u->also, cap * sizeof *a);
        if (!a)
            goto oom;
        u->also = a, u->capalso = cap;
    }
    u->also[u->nalso] = (also_t){v, line, u->more[k]};
    u->more[k] = (long)u->nalso++;
    if (!s->excluded[k]) {
        s->excluded[k] = 1;
        s->excluded_n++;
    }
    u->vlen = u->ulen = 0;
    return 0;
oom:
    u->st = dcx_error_set(u->err, DCX_ENOMEM, "out of memory");
    return 1;
}

dcx_status_t rowsel_unit_pass(rowsel_t *s, const char *path, const char *variant_col,
                              char delimiter, dcx_error_t *err)
{
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, delimiter);
    dcx_csv_trim(r, 1); /* before the header: the rest of its chunk is cut with it */
    upass_t u;
    memset(&u, 0, sizeof u);
    u.s = s, u.file = dcx_csv_name(r), u.variant_col = variant_col, u.err = err;
    dcx_csv_row_t row;
    unsigned char *want = NULL;
    if ((st = dcx_csv_header(r, &row, "a header row", err)))
        goto done;
    u.ncols = row.n;
    if ((u.variant_i = data_find_column(&row, variant_col)) < 0) {
        st = data_missing_column(u.file, &row, "variant", variant_col, err);
        goto done;
    }
    if ((st = rowsel_columns(s, u.file, &row, err)))
        goto done;
    if (!(want = calloc(row.n + 1, 1))) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    want[u.variant_i] = want[s->unit_i] = 1;
    for (size_t i = 0; i < s->nwhere; i++)
        want[s->where[i].col_i] = 1;
    const dcx_csv_handler_t h = {unit_field, unit_row, want, row.n, NULL};
    if (!(st = dcx_csv_push(r, &h, &u, err)))
        st = u.st;
    s->units_n = (double)s->units.n;
done:
    free(want);
    free(u.vbuf);
    free(u.ubuf);
    free(u.first_v);
    free(u.first_line);
    free(u.more);
    free(u.also);
    dcx_strmap_free(&u.variants);
    dcx_csv_close(r);
    return st;
}
