/* csv_reader.c — pull-style CSV rows with line numbers, on libcsv.
 *
 * libcsv is push-based and reports no positions. We read 64 KiB chunks and queue the rows
 * completed; with CSV_REPALL_NL libcsv reports every unquoted line end (blank lines
 * included) as a row end, and line ends inside quoted fields are counted from the fields
 * themselves, so each row knows the line it started on.
 *
 * Whole lines without a quote do not go through libcsv: csv_tokenize.c cuts them at their
 * delimiters and calls the same callbacks with the same fields (csv_parse_chunk()). The
 * reader's state is in csv_reader_internal.h; writing a field and the words about a header
 * are in csv_words.c. */
#include "dcx/csv.h"
#include "dcx/progress.h"
#include "dcx/rows.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csv_reader_internal.h"

#define READ_CHUNK 65536

/* The limit readers start with: 64 MiB, or what dcx_csv_set_max_field() says. A field is
 * held whole in memory (twice over, by libcsv and by the row queue), so a file of one
 * endless field must end in an error, not in the machine's memory. */
#define DEFAULT_MAX_FIELD ((size_t)64 << 20)
static size_t default_max_field = DEFAULT_MAX_FIELD;

/* For the differential tests only (tests/unit/test_csv.c, tests/fuzz/fuzz_csv.c; not part
 * of the API, not exported): readers opened from now on read `chunk` bytes at a time
 * (0 = 64 KiB) and use the fast tokenizer or not, so the two ways through a file can be
 * compared row by row at any chunk boundary. */
static size_t test_chunk;
static int test_no_fast;
void dcx_csv_test_config_(size_t chunk, int fast);
void dcx_csv_test_config_(size_t chunk, int fast)
{
    test_chunk = chunk > READ_CHUNK ? READ_CHUNK : chunk;
    test_no_fast = !fast;
}

void dcx_csv_set_max_field(size_t bytes) { default_max_field = bytes ? bytes : DEFAULT_MAX_FIELD; }

void dcx_csv_max_field(dcx_csv_reader_t *r, size_t bytes)
{
    r->max_field = bytes ? bytes : DEFAULT_MAX_FIELD;
}

/* The field libcsv is building, checked after each chunk: it grows by at most a chunk, so
 * memory stays within the limit plus a chunk. */
static int partial_too_long(dcx_csv_reader_t *r, size_t col)
{
    return field_too_long(r, r->p.entry_pos, col, r->in_row ? r->row_line : r->line);
}

static size_t read_chunk(dcx_csv_reader_t *r)
{
    /* libcsv grows the field it builds by blk_size at a time: a long field would cost a
     * realloc (and, with allocators that move, a copy) every 128 bytes. A block as large as
     * the field so far makes the growth geometric: at most one realloc per chunk. */
    if (r->p.entry_pos > r->p.blk_size)
        csv_set_blk_size(&r->p, r->p.entry_pos);
    size_t want = r->chunk;
    if (r->limit && r->limit - r->pos < (long long)want)
        want = r->limit > r->pos ? (size_t)(r->limit - r->pos) : 0;
    size_t n = want ? fread(r->buf, 1, want, r->f) : 0;
    r->pos += (long long)n;
    dcx_progress_add(n, (uint64_t)(r->line - r->reported));
    r->reported = r->line;
    return n;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0; /* keep spaces and tabs: ids and labels are compared as written */
}

/* Index of the first field of the row being built, among the queued fields. */
static size_t row_first(const dcx_csv_reader_t *r)
{
    return r->qn ? r->q[r->qn - 1].first + r->q[r->qn - 1].n : 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
    dcx_csv_reader_t *r = ctx;
    if (r->oom || r->long_line || r->wide_line)
        return;
    if (!r->in_row) {
        r->in_row = 1;
        r->row_line = r->line;
    }
    size_t col = r->nf - row_first(r) + 1;
    if (field_too_long(r, len, col, r->row_line))
        return;
    if (r->width && col > r->width) { /* the row is already wrong: hold no more of it */
        r->wide_line = r->row_line;
        return;
    }
    if (r->nf == r->cap_f) {
        size_t cap = r->cap_f ? r->cap_f * 2 : 64;
        size_t *o = realloc(r->offs, cap * sizeof *o);
        if (!o) {
            r->oom = 1;
            return;
        }
        r->offs = o;
        size_t *l = realloc(r->lens, cap * sizeof *l);
        if (!l) {
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
        size_t cap = r->arena_cap ? r->arena_cap : 1 << 17;
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
    char *dst = r->arena + r->arena_len;
    if (len)
        memcpy(dst, data, len);
    dst[len] = '\0';
    r->offs[r->nf] = r->arena_len;
    r->lens[r->nf] = len;
    r->nf++;
    r->arena_len += len + 1;
    /* line ends inside a quoted field; only possible when the chunk has a quote */
    if (r->quotes)
        for (const char *p = memchr(dst, '\n', len); p;
             p = memchr(p + 1, '\n', len - (size_t)(p + 1 - dst)))
            r->line++;
}

static void on_row(int c, void *ctx)
{
    dcx_csv_reader_t *r = ctx;
    if (r->oom || r->long_line || r->wide_line)
        return;
    if (r->in_row) {
        /* the fields since the last queued row belong to this row */
        size_t first = row_first(r);
        size_t nrow_fields = r->nf - first;
        if (r->qn == r->qcap) {
            size_t cap = r->qcap ? r->qcap * 2 : 256;
            qrow_t *q = realloc(r->q, cap * sizeof *q);
            if (!q) {
                r->oom = 1;
                return;
            }
            r->q = q;
            r->qcap = cap;
        }
        r->q[r->qn++] = (qrow_t){first, nrow_fields, r->row_line};
        r->in_row = 0;
    }
    /* with CSV_REPALL_NL every unquoted CR and LF ends up here; a CRLF counts once */
    if (c == '\n') {
        if (!r->last_cr)
            r->line++;
        r->last_cr = 0;
    } else if (c == '\r') {
        r->line++;
        r->last_cr = 1;
    } else {
        r->last_cr = 0;
    }
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
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
        free(r->buf);
        free(r);
        if (owns)
            fclose(f);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    csv_set_space_func(&r->p, no_space);
    r->chunk = test_chunk ? test_chunk : READ_CHUNK;
    r->fast = !test_no_fast;
    r->f = f;
    r->owns_f = owns;
    snprintf(r->name, sizeof r->name, "%s", name);
    r->line = 1;
    r->reported = 1;
    r->first_chunk = 1;
    r->max_field = default_max_field;
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
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
        dcx_progress_total((uint64_t)sb.st_size);
    return reader_new(f, 1, path, out, err);
}

dcx_status_t dcx_csv_open_rows(const dcx_rows_t *t, const char *name, dcx_csv_reader_t **out,
                               dcx_error_t *err)
{
    *out = NULL;
    dcx_status_t st = reader_new(NULL, 0, name, out, err);
    if (st)
        return st;
    dcx_csv_reader_t *r = *out;
    size_t w = dcx_rows_width(t);
    r->mem = t;
    r->fields = malloc((w + 1) * sizeof *r->fields);
    r->lens = malloc((w + 1) * sizeof *r->lens);
    if (!r->fields || !r->lens) {
        dcx_csv_close(r);
        *out = NULL;
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    r->cap_f = w + 1;
    return DCX_OK;
}

/* The next row of a table in memory, as dcx_csv_next() hands out a file's. */
static int mem_next(dcx_csv_reader_t *r, dcx_csv_row_t *row)
{
    size_t w = dcx_rows_width(r->mem), k = r->mem_next;
    if (k > dcx_rows_count(r->mem))
        return 0;
    for (size_t c = 0; c < w; c++) {
        size_t len = 0;
        const char *s = k ? dcx_rows_cell(r->mem, k - 1, c, &len) : dcx_rows_name(r->mem, c);
        r->fields[c] = (char *)s; /* (the reader's rows are read-only, as a file's are) */
        r->lens[c] = k ? len : strlen(s);
    }
    row->fields = r->fields;
    row->lens = r->lens;
    row->n = w;
    row->line = (long)k;
    row->index = ++r->rows;
    r->mem_next++;
    return 1;
}

/* The rest of a table in memory through the push callbacks (set up by dcx_csv_push). */
static dcx_status_t mem_push(dcx_csv_reader_t *r, const dcx_csv_handler_t *h, void *ctx)
{
    size_t w = dcx_rows_width(r->mem), n = dcx_rows_count(r->mem);
    for (; r->mem_next <= n && !r->stop; r->mem_next++) {
        size_t k = r->mem_next;
        long line = (long)k;
        for (size_t c = 0; c < w && !r->stop; c++) {
            dcx_csv_field_fn fn = c < r->nfn ? r->fn[c] : r->fn_rest;
            if (!fn)
                continue;
            size_t len = 0;
            const char *s = k ? dcx_rows_cell(r->mem, k - 1, c, &len) : dcx_rows_name(r->mem, c);
            if (!k)
                len = strlen(s);
            r->stop = fn(ctx, c, s, len, line);
            if (r->stop == DCX_CSV_SKIP_ROW) { /* no more fields of this row; its end still counts */
                r->stop = 0;
                break;
            }
        }
        r->rows++;
        if (!r->stop)
            r->stop = h->row(ctx, w, line);
    }
    return DCX_OK;
}

dcx_status_t dcx_csv_open_stream(FILE *f, const char *name, dcx_csv_reader_t **out,
                                 dcx_error_t *err)
{
    *out = NULL;
    return reader_new(f, 0, name, out, err);
}

void dcx_csv_expect_width(dcx_csv_reader_t *r, size_t n) { r->width = n; }

void dcx_csv_limit(dcx_csv_reader_t *r, long long end) { r->limit = end; }

int dcx_csv_between_rows(const dcx_csv_reader_t *r) { return r->p.pstate == 0 && !r->in_row; }

long dcx_csv_lines(const dcx_csv_reader_t *r) { return r->line; }

dcx_status_t dcx_csv_open_range(const char *path, long long start, long long end,
                                dcx_csv_reader_t **out, dcx_error_t *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return dcx_error_at(err, DCX_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    if (fseeko(f, (off_t)start, SEEK_SET) != 0) {
        fclose(f);
        return dcx_error_at(err, DCX_EIO, path, 0, 0, "cannot seek: %s", strerror(errno));
    }
    dcx_status_t st = reader_new(f, 1, path, out, err);
    if (st)
        return st;
    (*out)->first_chunk = 0; /* no byte-order mark mid-file */
    (*out)->pos = start;
    (*out)->limit = end;
    return DCX_OK;
}

void dcx_csv_delimiter(dcx_csv_reader_t *r, char c) { csv_set_delim(&r->p, (unsigned char)(c ? c : ',')); }

void dcx_csv_trim(dcx_csv_reader_t *r, int on)
{
    csv_set_space_func(&r->p, on ? NULL : no_space);
    r->trim = on != 0;
}

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
    free(r->q);
    free(r->fn);
    free(r);
}

/* A NUL byte anywhere means this is not a text file (and would cut C strings short):
 * checked once per chunk; the error names the line the byte is on. */
static int nul_in_chunk(dcx_csv_reader_t *r, size_t start, size_t n)
{
    const unsigned char *z = memchr(r->buf + start, 0, n - start);
    if (!z)
        return 0;
    long line = r->line;
    for (const unsigned char *p = r->buf + start; p < z; p++)
        line += *p == '\n';
    r->nul = 1;
    r->line = line;
    r->in_row = 0;
    return 1;
}

static int parse_error(dcx_csv_reader_t *r, dcx_error_t *err)
{
    if (r->long_line) {
        double mb = (double)r->max_field / 1048576.0;
        dcx_error_at(err, DCX_EPARSE, r->name, r->long_line, (long)r->long_col,
                     "a field longer than %g MiB (--max-field-mb raises the limit)", mb);
        return -1;
    }
    if (r->wide_line) {
        dcx_error_at(err, DCX_EPARSE, r->name, r->wide_line, 0,
                     "row has more than %zu fields, expected %zu like the header", r->width,
                     r->width);
        return -1;
    }
    if (r->nul) {
        dcx_error_at(err, DCX_EPARSE, r->name, r->in_row ? r->row_line : r->line, 0,
                     "a NUL byte in the data: this is not a text CSV file");
        return -1;
    }
    int e = csv_error(&r->p);
    if (e == CSV_ENOMEM || e == CSV_ETOOBIG || r->oom) {
        dcx_error_at(err, DCX_ENOMEM, r->name, r->line, 0, "out of memory reading a row");
        return -1;
    }
    dcx_error_at(err, DCX_EPARSE, r->name, r->in_row ? r->row_line : r->line, 0,
                 "malformed CSV: a quote inside an unquoted field or an unbalanced quote");
    return -1;
}

/* Hands out queued row k. */
static int give_row(dcx_csv_reader_t *r, size_t k, dcx_csv_row_t *row, dcx_error_t *err)
{
    const qrow_t *q = &r->q[k];
    static char *no_fields[1];
    char **fields = no_fields;
    if (q->n) {
        for (size_t i = 0; i < q->n; i++)
            r->fields[q->first + i] = r->arena + r->offs[q->first + i];
        fields = r->fields + q->first;
    }
    row->fields = fields;
    row->lens = r->lens + q->first;
    row->n = q->n;
    row->line = q->line;
    row->index = ++r->rows;
    if (r->width && q->n != r->width) {
        dcx_error_at(err, DCX_EPARSE, r->name, q->line, 0,
                     "row has %zu field%s, expected %zu like the header", q->n,
                     q->n == 1 ? "" : "s", r->width);
        return -1;
    }
    return 1;
}

/* Drops the queued rows already handed out, keeping a partial row's fields. */
static void compact(dcx_csv_reader_t *r)
{
    size_t keep_from = row_first(r);
    size_t nkeep = r->nf - keep_from;
    if (nkeep && keep_from) { /* (from 0 it is in place already: a long row costs no copy) */
        size_t base = r->offs[keep_from];
        memmove(r->arena, r->arena + base, r->arena_len - base);
        for (size_t i = 0; i < nkeep; i++) {
            r->offs[i] = r->offs[keep_from + i] - base;
            r->lens[i] = r->lens[keep_from + i];
        }
        r->arena_len -= base;
    } else if (!nkeep) {
        r->arena_len = 0;
    }
    r->nf = nkeep;
    r->qn = r->qpos = 0;
}

int dcx_csv_next(dcx_csv_reader_t *r, dcx_csv_row_t *row, dcx_error_t *err)
{
    if (r->mem)
        return mem_next(r, row);
    for (;;) {
        while (r->qpos < r->qn) {
            size_t k = r->qpos++;
            if (r->q[k].n == 0)
                continue; /* blank line */
            return give_row(r, k, row, err);
        }
        compact(r);
        if (r->fini_done)
            return 0;
        size_t n = 0, start = 0;
        if (!r->eof) {
            n = read_chunk(r);
            if (n == 0) {
                if (ferror(r->f)) {
                    dcx_error_at(err, DCX_EIO, r->name, r->line, 0, "read error: %s",
                                 strerror(errno));
                    return -1;
                }
                if (r->limit && r->pos >= r->limit)
                    return 0; /* at the limit: no flush, the rest is someone else's */
                r->eof = 1;
            }
        }
        if (r->eof) {
            r->fini_done = 1; /* flush a last row that has no line end */
            r->quotes = 1;
            if (csv_fini(&r->p, on_field, on_row, r) != 0)
                return parse_error(r, err);
            if (r->oom || r->nul || r->long_line || r->wide_line)
                return parse_error(r, err);
            continue;
        }
        if (r->first_chunk) {
            r->first_chunk = 0;
            if (n >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3))
                start = 3; /* UTF-8 byte-order mark */
        }
        if (nul_in_chunk(r, start, n))
            return parse_error(r, err);
        if (csv_parse_chunk(r, start, n, on_field, on_row))
            return parse_error(r, err);
        if (r->oom || r->long_line || r->wide_line || partial_too_long(r, r->nf - row_first(r) + 1))
            return parse_error(r, err);
    }
}

dcx_status_t dcx_csv_header(dcx_csv_reader_t *r, dcx_csv_row_t *row, const char *what,
                            dcx_error_t *err)
{
    int got = dcx_csv_next(r, row, err);
    if (got > 0)
        return DCX_OK;
    if (got == 0)
        return dcx_error_at(err, DCX_EPARSE, r->name, 0, 0, "empty file: expected %s", what);
    return err->code;
}

/* ---- push mode: libcsv's callbacks call the handler directly ------------------------- */

static void push_field(void *data, size_t len, void *ctx)
{
    dcx_csv_reader_t *r = ctx;
    csv_push_field_at(r, data ? data : "", len, r->quotes);
}

void csv_push_row(int c, void *ctx)
{
    dcx_csv_reader_t *r = ctx;
    if (r->in_row) {
        if (r->skipping) /* the next row's fields are wanted again */
            r->skipping = 0, r->nfn = r->nfn_all, r->fn_rest = r->fn_rest_all;
        if (!r->stop && !r->long_line && (r->stop = r->h->row(r->hctx, r->col, r->row_line)))
            r->nfn = 0, r->fn_rest = NULL;
        r->in_row = 0;
    }
    if (c == '\n') {
        if (!r->last_cr)
            r->line++;
        r->last_cr = 0;
    } else if (c == '\r') {
        r->line++;
        r->last_cr = 1;
    } else {
        r->last_cr = 0;
    }
}

dcx_status_t dcx_csv_push(dcx_csv_reader_t *r, const dcx_csv_handler_t *h, void *ctx,
                          dcx_error_t *err)
{
    r->h = h;
    r->hctx = ctx;
    r->stop = 0;
    r->nfn = 0;
    r->fn_rest = h->want ? NULL : h->field;
    if (h->nwant && (h->want || h->by_col)) {
        dcx_csv_field_fn *fn = realloc(r->fn, h->nwant * sizeof *fn);
        if (!fn)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        for (size_t c = 0; c < h->nwant; c++)
            fn[c] = h->by_col && h->by_col[c] ? h->by_col[c]
                    : !h->want || h->want[c]  ? h->field
                                              : NULL;
        r->fn = fn;
        r->nfn = h->nwant;
    }
    r->nfn_all = r->nfn, r->fn_rest_all = r->fn_rest, r->skipping = 0;
    if (r->mem)
        return mem_push(r, h, ctx);
    /* rows already parsed for dcx_csv_next() go first */
    while (r->qpos < r->qn && !r->stop) {
        const qrow_t *q = &r->q[r->qpos++];
        if (!q->n)
            continue;
        r->rows++;
        for (size_t i = 0; i < q->n && !r->stop; i++)
            if ((r->stop = h->field(ctx, i, r->arena + r->offs[q->first + i], r->lens[q->first + i],
                                    q->line))
                == DCX_CSV_SKIP_ROW) {
                r->stop = 0;
                break;
            }
        if (!r->stop)
            r->stop = h->row(ctx, q->n, q->line);
    }
    if (r->stop)
        return DCX_OK;
    /* a row begun in the pull buffers: hand its fields over, then continue pushing */
    size_t first = r->qn ? r->q[r->qn - 1].first + r->q[r->qn - 1].n : 0;
    if (r->nf > first) { /* (a second push call continues its row where it stopped) */
        r->col = 0;
        for (size_t i = first; i < r->nf && !r->stop && !r->skipping; i++)
            if ((r->stop = h->field(ctx, r->col++, r->arena + r->offs[i], r->lens[i], r->row_line))
                == DCX_CSV_SKIP_ROW)
                r->stop = 0, r->skipping = 1, r->nfn = 0, r->fn_rest = NULL;
        r->col = r->nf - first; /* (skipped fields still count) */
    }
    r->qn = r->qpos = r->nf = r->arena_len = 0;
    while (!r->stop && !r->fini_done) {
        size_t n = 0;
        if (!r->eof) {
            n = read_chunk(r);
            if (n == 0) {
                if (ferror(r->f))
                    return dcx_error_at(err, DCX_EIO, r->name, r->line, 0, "read error: %s",
                                        strerror(errno));
                if (r->limit && r->pos >= r->limit)
                    return DCX_OK; /* at the limit: the rest is someone else's */
                r->eof = 1;
            }
        }
        if (r->eof) {
            r->fini_done = 1;
            r->quotes = 1;
            if (csv_fini(&r->p, push_field, csv_push_row, r) != 0 || r->nul || r->long_line)
                return parse_error(r, err) < 0 ? err->code : DCX_EPARSE;
            break;
        }
        size_t start = 0;
        if (r->first_chunk) {
            r->first_chunk = 0;
            if (n >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3))
                start = 3;
        }
        if (nul_in_chunk(r, start, n))
            return parse_error(r, err) < 0 ? err->code : DCX_EPARSE;
        if (csv_parse_chunk(r, start, n, push_field, csv_push_row))
            return parse_error(r, err) < 0 ? err->code : DCX_EPARSE;
        if (r->long_line || partial_too_long(r, r->in_row ? r->col + 1 : 1))
            return parse_error(r, err) < 0 ? err->code : DCX_EPARSE;
    }
    if (r->nul)
        return parse_error(r, err) < 0 ? err->code : DCX_EPARSE;
    return DCX_OK;
}
