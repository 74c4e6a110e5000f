/* csv_reader.c — pull-style CSV rows with line numbers, on libcsv.
 *
 * libcsv is push-based and reports no positions. We feed it one physical line at a
 * time (up to and including each CR or LF), so a row can only end at the end of a
 * piece and we always know which line we are on. */
#include "dcx/csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#define READ_CHUNK 65536

struct dcx_csv_reader {
    struct csv_parser p;
    FILE *f;
    int owns_f;
    char name[DCX_ERROR_FILE_MAX];
    unsigned char *buf; /* input chunk */
    size_t buf_len, buf_pos;
    int eof, first_chunk, fini_done;
    long line;          /* physical line of the byte being fed */
    long row_line;      /* line of the first field of the row being built */
    long rows;
    size_t width;       /* expected fields per row, 0 = any */
    /* the row being built: fields copied into an arena */
    char *arena;
    size_t arena_len, arena_cap;
    size_t *offs, *lens;
    char **fields;
    size_t nf, cap_f;
    int row_done, oom;
    int in_row;
};

static int no_space(unsigned char c)
{
    (void)c;
    return 0; /* keep spaces and tabs: ids and labels are compared as written */
}

static void on_field(void *data, size_t len, void *ctx)
{
    dcx_csv_reader_t *r = ctx;
    if (r->oom)
        return;
    r->in_row = 1;
    if (r->nf == r->cap_f) {
        size_t cap = r->cap_f ? r->cap_f * 2 : 16;
        size_t *o = realloc(r->offs, cap * sizeof *o), *l;
        if (!o) {
            r->oom = 1;
            return;
        }
        r->offs = o;
        if (!(l = realloc(r->lens, cap * sizeof *l))) {
            r->oom = 1;
            return;
        }
        r->lens = l;
        char **fp = realloc(r->fields, cap * sizeof *fp);
        if (!fp) {
            r->oom = 1;
            return;
        }
        r->fields = fp;
        r->cap_f = cap;
    }
    if (r->arena_len + len + 1 > r->arena_cap) {
        size_t cap = r->arena_cap ? r->arena_cap : 1024;
        while (cap < r->arena_len + len + 1)
            cap *= 2;
        char *a = realloc(r->arena, cap);
        if (!a) {
            r->oom = 1;
            return;
        }
        r->arena = a;
        r->arena_cap = cap;
    }
    if (len)
        memcpy(r->arena + r->arena_len, data, len);
    r->arena[r->arena_len + len] = '\0';
    r->offs[r->nf] = r->arena_len;
    r->lens[r->nf] = len;
    r->nf++;
    r->arena_len += len + 1;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    dcx_csv_reader_t *r = ctx;
    r->row_done = 1;
}

static dcx_status_t reader_new(FILE *f, int owns, const char *name, dcx_csv_reader_t **out,
                               dcx_error_t *err)
{
    dcx_csv_reader_t *r = calloc(1, sizeof *r);
    if (!r || !(r->buf = malloc(READ_CHUNK))) {
        free(r);
        if (owns)
            fclose(f);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(r->buf);
        free(r);
        if (owns)
            fclose(f);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    csv_set_space_func(&r->p, no_space);
    r->f = f;
    r->owns_f = owns;
    snprintf(r->name, sizeof r->name, "%s", name);
    r->line = 1;
    r->first_chunk = 1;
    *out = r;
    return DCX_OK;
}

dcx_status_t dcx_csv_open(const char *path, dcx_csv_reader_t **out, dcx_error_t *err)
{
    *out = NULL;
    if (!strcmp(path, "-"))
        return reader_new(stdin, 0, "<stdin>", out, err);
    FILE *f = fopen(path, "rb");
    if (!f)
        return dcx_error_at(err, DCX_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    return reader_new(f, 1, path, out, err);
}

dcx_status_t dcx_csv_open_stream(FILE *f, const char *name, dcx_csv_reader_t **out,
                                 dcx_error_t *err)
{
    *out = NULL;
    return reader_new(f, 0, name, out, err);
}

void dcx_csv_expect_width(dcx_csv_reader_t *r, size_t n) { r->width = n; }

const char *dcx_csv_name(const dcx_csv_reader_t *r) { return r->name; }

void dcx_csv_close(dcx_csv_reader_t *r)
{
    if (!r)
        return;
    csv_free(&r->p);
    if (r->owns_f && r->f)
        fclose(r->f);
    free(r->buf);
    free(r->arena);
    free(r->offs);
    free(r->lens);
    free(r->fields);
    free(r);
}

static int fill(dcx_csv_reader_t *r, dcx_error_t *err)
{
    if (r->buf_pos < r->buf_len || r->eof)
        return 0;
    r->buf_len = fread(r->buf, 1, READ_CHUNK, r->f);
    r->buf_pos = 0;
    if (r->buf_len == 0) {
        if (ferror(r->f)) {
            dcx_error_at(err, DCX_EIO, r->name, r->line, 0, "read error: %s", strerror(errno));
            return -1;
        }
        r->eof = 1;
    }
    if (r->first_chunk && r->buf_len >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3))
        r->buf_pos = 3; /* UTF-8 byte-order mark */
    if (r->buf_len)
        r->first_chunk = 0;
    return 0;
}

static int parse_error(dcx_csv_reader_t *r, dcx_error_t *err)
{
    int e = csv_error(&r->p);
    if (e == CSV_ENOMEM || e == CSV_ETOOBIG || r->oom) {
        dcx_error_at(err, DCX_ENOMEM, r->name, r->line, 0, "out of memory reading a row");
        return -1;
    }
    dcx_error_at(err, DCX_EPARSE, r->name, r->row_line, 0,
                 "malformed CSV: a quote inside an unquoted field or an unbalanced quote");
    return -1;
}

static int finish_row(dcx_csv_reader_t *r, dcx_csv_row_t *row, dcx_error_t *err)
{
    if (r->oom)
        return parse_error(r, err);
    for (size_t i = 0; i < r->nf; i++)
        r->fields[i] = r->arena + r->offs[i];
    row->fields = r->fields;
    row->lens = r->lens;
    row->n = r->nf;
    row->line = r->row_line;
    row->index = ++r->rows;
    if (r->width && r->nf != r->width) {
        dcx_error_at(err, DCX_EPARSE, r->name, r->row_line, 0,
                     "row has %zu field%s, expected %zu like the header", r->nf,
                     r->nf == 1 ? "" : "s", r->width);
        return -1;
    }
    return 1;
}

static void reset_row(dcx_csv_reader_t *r)
{
    r->nf = 0;
    r->arena_len = 0;
    r->row_done = 0;
    r->in_row = 0;
}

int dcx_csv_next(dcx_csv_reader_t *r, dcx_csv_row_t *row, dcx_error_t *err)
{
    reset_row(r);
    for (;;) {
        if (fill(r, err))
            return -1;
        if (r->eof) {
            if (r->fini_done)
                return 0;
            r->fini_done = 1; /* flush a last row that has no line end */
            if (csv_fini(&r->p, on_field, on_row, r) != 0)
                return parse_error(r, err);
            if (r->row_done && r->nf > 0)
                return finish_row(r, row, err);
            return 0;
        }
        unsigned char *start = r->buf + r->buf_pos, *end = r->buf + r->buf_len;
        unsigned char *p = memchr(start, '\n', (size_t)(end - start));
        unsigned char *cr = memchr(start, '\r', (size_t)((p ? p : end) - start));
        if (cr)
            p = cr; /* CR (alone or before LF) ends the piece too: one row per piece */
        if (!p)
            p = end;
        int terminator = p < end;
        if (terminator)
            p++;
        size_t n = (size_t)(p - start);
        if (r->p.pstate == 0) /* libcsv's ROW_NOT_BEGUN: a new row starts on this line */
            r->row_line = r->line;
        if (csv_parse(&r->p, start, n, on_field, on_row, r) != n)
            return parse_error(r, err);
        r->buf_pos += n;
        if (terminator && p[-1] == '\n')
            r->line++;
        if (r->oom)
            return parse_error(r, err);
        if (r->row_done) {
            if (r->nf == 0) { /* blank line */
                reset_row(r);
                continue;
            }
            return finish_row(r, row, err);
        }
    }
}

int dcx_csv_quote(FILE *f, const char *s, size_t len)
{
    int need = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') {
            need = 1;
            break;
        }
    if (!need)
        return len && fwrite(s, 1, len, f) != len ? EOF : 0;
    if (putc('"', f) == EOF)
        return EOF;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"' && putc('"', f) == EOF)
            return EOF;
        if (putc(s[i], f) == EOF)
            return EOF;
    }
    return putc('"', f) == EOF ? EOF : 0;
}
