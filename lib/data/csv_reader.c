/* csv_reader.c — pull-style CSV rows with line numbers, on libcsv.
 *
 * libcsv is push-based and reports no positions. We read 64 KiB chunks and queue the rows
 * completed; with CSV_REPALL_NL libcsv reports every unquoted line end (blank lines
 * included) as a row end, and line ends inside quoted fields are counted from the fields
 * themselves, so each row knows the line it started on.
 *
 * libcsv looks at one byte at a time through a state machine (some 40 instructions a
 * byte). Most lines of real files hold no quote, and such a line is simply cut at its
 * delimiters: the fast tokenizer below does that for the whole lines of a chunk that hold
 * no quote, calling the very callbacks libcsv calls with the very fields it would give
 * (trimming as its space rule does), so rows, line numbers and errors do not change. A
 * line with a quote, a row libcsv has begun and the unfinished line at a chunk's end go
 * to libcsv as before. */
#include "dcx/csv.h"
#include "dcx/progress.h"
#include "dcx/rows.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define READ_CHUNK 65536

typedef struct {
    size_t first; /* index of its first field in the field arrays */
    size_t n;     /* fields */
    long line;
} qrow_t;

struct dcx_csv_reader {
    struct csv_parser p;
    FILE *f;
    int owns_f;
    char name[DCX_ERROR_FILE_MAX];
    unsigned char *buf;
    int eof, first_chunk, fini_done, oom;
    long line;          /* physical line of the next byte libcsv reports */
    long row_line;      /* line where the row being built started */
    int in_row;         /* fields seen since the last row end */
    long rows;
    size_t width;
    /* fields of all queued rows */
    char *arena;
    size_t arena_len, arena_cap;
    size_t *offs, *lens;
    char **fields;
    size_t nf, cap_f;
    /* queued rows */
    qrow_t *q;
    size_t qn, qcap, qpos;
    int last_cr;        /* the previous row end was a CR (a CRLF's LF is not a new line) */
    int quotes;         /* the chunk being parsed has a quote, or starts inside quotes */
    int trim;           /* unquoted spaces and tabs around fields are dropped (libcsv's rule) */
    size_t chunk;       /* bytes asked of each read (READ_CHUNK; smaller in tests) */
    int fast;           /* whole quote-free lines skip libcsv (the fast tokenizer) */
    int nul;            /* a field held a NUL byte: not a text file */
    size_t max_field;   /* bytes; a longer field is an error (dcx_csv_max_field) */
    long wide_line;     /* > 0: a row on this line has more fields than the width */
    long long_line;     /* > 0: a field longer than max_field starts on this line ... */
    size_t long_col;    /* ... as field long_col (1-based) of its row */
    /* push mode */
    long long pos, limit; /* bytes consumed from the file; stop at limit (0 = none) */
    long reported;        /* lines already counted for progress */
    const dcx_csv_handler_t *h;
    void *hctx;
    size_t col;
    int stop;
    /* a table in memory instead of a file (dcx_csv_open_rows): row 0 is its column names,
     * row k its k-th row, on "line" k */
    const dcx_rows_t *mem;
    size_t mem_next;
    /* the callback of each column: fn[col] for col < nfn, else fn_rest (NULL: skip);
     * all cleared when a callback stops the reading, so one test per field suffices, and
     * for the rest of a row a callback skips (nfn_all, fn_rest_all restore them) */
    dcx_csv_field_fn *fn, fn_rest, fn_rest_all;
    size_t nfn, nfn_all;
    int skipping;
};

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

/* Records a field over the limit: the one just completed (len) or the one libcsv is still
 * building; col is its 1-based position in its row. @return non-zero when over. */
static int field_too_long(dcx_csv_reader_t *r, size_t len, size_t col, long line)
{
    if (len <= r->max_field || r->long_line)
        return r->long_line != 0;
    r->long_line = line;
    r->long_col = col;
    return 1;
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

/* ---- the fast tokenizer ------------------------------------------------------------------ */

typedef void (*field_cb)(void *, size_t, void *);
typedef void (*row_cb)(int, void *);

static int is_term(unsigned char c) { return c == '\n' || c == '\r'; }

/* The first delimiter or line end at or after p; there is one before end. */
static unsigned char *next_special(unsigned char *p, const unsigned char *end, unsigned char d)
{
#if defined(__SSE2__)
    const __m128i vd = _mm_set1_epi8((char)d), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vn)),
                                   _mm_cmpeq_epi8(x, vr));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
#else
    (void)end;
#endif
    while (*p != d && !is_term(*p))
        p++;
    return p;
}

/* The first line end at or after b[pos]; there is one before `last`. */
static size_t next_term(const unsigned char *b, size_t pos)
{
    while (!is_term(b[pos]))
        pos++;
    return pos;
}

/* Whole lines [p, end) (end follows a line end) that hold no quote, cut at delimiters:
 * each field goes to fcb and each line end to rcb exactly as libcsv would report them in
 * its state ROW_NOT_BEGUN. Without a quote a line's fields are the text between its
 * delimiters; with trimming, spaces and tabs at their ends are dropped, and a line of
 * nothing else (no delimiter) is blank, like an empty one. Each field is NUL-terminated in
 * place (over the byte after it, already read) as libcsv's CSV_APPEND_NULL gives it. */
static void fast_lines(dcx_csv_reader_t *r, unsigned char *p, unsigned char *end, field_cb fcb,
                       row_cb rcb)
{
    const unsigned char d = r->p.delim_char;
    const int trim = r->trim;
    int more = 0; /* a delimiter seen on this line: it has fields even if they are empty */
    unsigned char *fs = p;
    while (p < end) {
        unsigned char *s = next_special(p, end, d), *a = fs, *z = s;
        unsigned char c = *s;
        if (trim) {
            while (a < z && (*a == ' ' || *a == '\t'))
                a++;
            while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
                z--;
        }
        if (c == d) {
            *z = '\0';
            fcb(a, (size_t)(z - a), r);
            more = 1;
        } else {
            if (more || z > a) {
                *z = '\0';
                fcb(a, (size_t)(z - a), r);
            }
            rcb(c, r);
            more = 0;
        }
        fs = p = s + 1;
    }
}

static void push_row(int c, void *ctx);

/* fast_lines() for push mode, with push_field() written out in the loop (a call less per
 * field, and nothing done for a column no callback wants but the length check): the same
 * callbacks with the same fields, columns and lines. */
static void fast_push(dcx_csv_reader_t *r, unsigned char *p, unsigned char *end)
{
    const unsigned char d = r->p.delim_char;
    const int trim = r->trim;
    int more = 0;
    unsigned char *fs = p;
    while (p < end) {
        unsigned char *s = next_special(p, end, d), *a = fs, *z = s;
        unsigned char c = *s;
        if (trim) {
            while (a < z && (*a == ' ' || *a == '\t'))
                a++;
            while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
                z--;
        }
        if (c == d || more || z > a) { /* push_field(a, z - a) */
            size_t len = (size_t)(z - a);
            if (!r->in_row) {
                r->in_row = 1;
                r->row_line = r->line;
                r->col = 0;
            }
            if (r->long_line || field_too_long(r, len, r->col + 1, r->row_line)) {
                r->stop = 1;
                r->nfn = 0, r->fn_rest = NULL;
            } else {
                dcx_csv_field_fn fn = r->col < r->nfn ? r->fn[r->col] : r->fn_rest;
                if (fn) {
                    *z = '\0';
                    if ((r->stop = fn(r->hctx, r->col, (const char *)a, len, r->row_line))) {
                        if (r->stop == DCX_CSV_SKIP_ROW)
                            r->stop = 0, r->skipping = 1;
                        r->nfn = 0, r->fn_rest = NULL;
                    }
                }
                r->col++;
            }
        }
        if (c == d) {
            more = 1;
        } else {
            push_row(c, r);
            more = 0;
        }
        fs = p = s + 1;
    }
}

/* Parses r->buf[start, n) as csv_parse() does, with the same callbacks: whole lines free
 * of quotes through fast_lines(), everything else through libcsv (a quoted field that
 * spans lines is handed over one line at a time until libcsv has finished its row).
 * Sets r->quotes. @return 0, or -1 where libcsv found malformed CSV (r->p holds why). */
static int parse_chunk(dcx_csv_reader_t *r, size_t start, size_t n, field_cb fcb, row_cb rcb)
{
    unsigned char *b = r->buf;
    unsigned char d = r->p.delim_char;
    const unsigned char *q = memchr(b + start, '"', n - start);
    r->quotes = r->p.quoted || q != NULL;
    if (!r->fast || d == '"' || is_term(d))
        return csv_parse(&r->p, b + start, n - start, fcb, rcb, r) == n - start ? 0 : -1;
    size_t last = n; /* just after the chunk's last line end (start: none) */
    while (last > start && !is_term(b[last - 1]))
        last--;
    size_t pos = start;
    while (pos < last) {
        size_t e;
        if (r->p.pstate == 0) {
            if (q && q < b + pos)
                q = memchr(b + pos, '"', n - pos);
            size_t upto = last; /* whole lines before the next quote's line */
            if (q && q < b + last) {
                upto = (size_t)(q - b);
                while (upto > pos && !is_term(b[upto - 1]))
                    upto--;
            }
            if (upto > pos) {
                if (rcb == push_row)
                    fast_push(r, b + pos, b + upto);
                else
                    fast_lines(r, b + pos, b + upto, fcb, rcb);
                pos = upto;
                continue;
            }
        }
        /* a line with a quote, or the rest of a row libcsv has begun: one line to libcsv */
        e = next_term(b, pos) + 1;
        if (csv_parse(&r->p, b + pos, e - pos, fcb, rcb, r) != e - pos)
            return -1;
        pos = e;
    }
    if (last < n && csv_parse(&r->p, b + last, n - last, fcb, rcb, r) != n - last)
        return -1;
    return 0;
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
        if (parse_chunk(r, start, n, on_field, on_row))
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
    if (!r->in_row) {
        r->in_row = 1;
        r->row_line = r->line;
        r->col = 0;
    }
    if (r->long_line || field_too_long(r, len, r->col + 1, r->row_line)) {
        r->stop = 1;
        r->nfn = 0, r->fn_rest = NULL;
        return;
    }
    if (r->quotes)
        for (const char *p = memchr(data, '\n', len); p;
             p = memchr(p + 1, '\n', len - (size_t)(p + 1 - (const char *)data)))
            r->line++;
    dcx_csv_field_fn fn = r->col < r->nfn ? r->fn[r->col] : r->fn_rest;
    if (fn && (r->stop = fn(r->hctx, r->col, data ? data : "", len, r->row_line))) {
        if (r->stop == DCX_CSV_SKIP_ROW) /* no more fields of this row */
            r->stop = 0, r->skipping = 1;
        r->nfn = 0, r->fn_rest = NULL;
    }
    r->col++;
}

static void push_row(int c, void *ctx)
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
            if (csv_fini(&r->p, push_field, push_row, r) != 0 || r->nul || r->long_line)
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
        if (parse_chunk(r, start, n, push_field, push_row))
            return parse_error(r, err) < 0 ? err->code : DCX_EPARSE;
        if (r->long_line || partial_too_long(r, r->in_row ? r->col + 1 : 1))
            return parse_error(r, err) < 0 ? err->code : DCX_EPARSE;
    }
    if (r->nul)
        return parse_error(r, err) < 0 ? err->code : DCX_EPARSE;
    return DCX_OK;
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

/* ---- words about a header for error messages -------------------------------------------- */

/* A field that reads as a column name: short, printable, no control characters. */
static int name_like(const char *s, size_t len, int strict)
{
    if (len == 0 || len > 64)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return 0;
        if (strict && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '_' || c == '-' || c == '.' || c == ' ' || c >= 0x80))
            return 0;
    }
    return 1;
}

void dcx_csv_header_hint(const dcx_csv_row_t *h, char *buf, size_t len)
{
    if (h->n == 1 && h->lens[0] > 0) {
        const char *f = h->fields[0];
        const char *alt = memchr(f, ';', h->lens[0])    ? "';'"
                          : memchr(f, '\t', h->lens[0]) ? "'\\t' (tab)"
                          : memchr(f, '|', h->lens[0])  ? "'|'"
                          : memchr(f, ',', h->lens[0])  ? "','"
                                                        : NULL;
        if (alt) {
            snprintf(buf, len, "the header is one column holding %s: if the file is separated "
                               "by %s, give --delimiter %s",
                     alt, alt, alt[1] == '\\' ? "'\\t'" : alt);
            return;
        }
    }
    int ok = h->n > 0;
    for (size_t i = 0; ok && i < h->n; i++)
        ok = name_like(h->fields[i], h->lens[i], h->n == 1);
    if (!ok) { /* not a CSV header: say so, without printing the line */
        snprintf(buf, len, "the first line has %zu field%s and does not look like a CSV header", h->n,
                 h->n == 1 ? "" : "s");
        return;
    }
    size_t used = (size_t)snprintf(buf, len, "columns: ");
    for (size_t i = 0; i < h->n && used + 8 < len; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", h->fields[i]);
        if (w < 0 || (size_t)w >= len - used) {
            snprintf(buf + (len > 5 ? len - 5 : 0), len > 5 ? 5 : len, "...");
            return;
        }
        used += (size_t)w;
    }
}

char dcx_csv_delimiter_parse(const char *t)
{
    if (!t)
        return ',';
    if (!strcmp(t, "\\t") || !strcmp(t, "tab") || !strcmp(t, "\t"))
        return '\t';
    if (strlen(t) == 1 && t[0] != '"' && t[0] != '\n' && t[0] != '\r')
        return t[0];
    return 0;
}
