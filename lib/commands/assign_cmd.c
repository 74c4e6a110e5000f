/* assign_cmd.c — `dcx assign`: stream ids through one or more experiments. */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dcx/assign.h"
#include "dcx/command.h"
#include "dcx/csv.h"
#include "fileio.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* A CSV file of ids at least this large is read in two halves at once (CSV output). */
#define ASSIGN_PARALLEL_MIN_BYTES (8LL << 20)

const dcx_option_t dcx_assign_options[] = {
    {"config", DCX_OPT_LIST, offsetof(dcx_assign_opts_t, config), NULL, "EXP.json", NULL,
     "experiment config (repeat for several experiments, one column each)", DCX_OPTF_INPUT},
    {"id", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, id), NULL, "ID", NULL,
     "assign a single id", 0},
    {"input", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, input), NULL, "IDS.csv", NULL,
     "CSV file of ids with a header row ('-' for standard input)", DCX_OPTF_INPUT},
    {"delimiter", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, delimiter), ",", "C", NULL,
     "field separator of --input: ',', ';', '\\t' (tab) or '|'", 0},
    {"id-column", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, id_column), NULL, "NAME", NULL,
     "column of --input that holds the ids (default: the first column)", 0},
    {"max-field-mb", DCX_OPT_NUMBER, offsetof(dcx_assign_opts_t, common.max_field_mb), NULL, "MB", NULL,
     "refuse a CSV field longer than MB mebibytes [default: 64]", 0},
    {"output", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, common.output), NULL, "FILE", NULL,
     "write to FILE (replaced only when the run succeeds) instead of standard output", DCX_OPTF_OUTPUT},
    {"format", DCX_OPT_CHOICE, offsetof(dcx_assign_opts_t, common.format), "csv", "FMT",
     "csv|json", "output format: csv or json", DCX_OPTF_FORMAT},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

static void json_string(FILE *out, const char *s, size_t len)
{
    putc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
        } else if (c < 0x20) {
            fprintf(out, "\\u%04x", c);
        } else {
            putc(c, out);
        }
    }
    putc('"', out);
}

/* A variant's name as a CSV field (quoted if it must be), written once per run. */
typedef struct {
    char *text;
    size_t len;
} vtext_t;

typedef struct {
    dcx_experiment_t **exps;
    size_t n;
    vtext_t **vt;       /* vt[k][i]: variant i of experiment k as CSV text */
    size_t row_max;     /* the most a row writes besides its id (and the id's quotes) */
    int json;
    size_t rows;
    FILE *out;
    /* a batch of ids from the CSV, assigned together (dcx_assign_many) */
    char *ids;          /* arena of the batch's ids */
    size_t ids_len, ids_cap;
    size_t nb;
    int staged;         /* the row being read has put its id at off[nb] (not yet counted) */
    size_t off[256], idlen[256];
    /* reading (dcx_csv_push callbacks) */
    size_t col, width;  /* the id column; the header's width */
    const char *file;
    dcx_error_t *err;
    dcx_status_t st;
    const char *ptr[256];
    dcx_assignment_t *res; /* [n experiments][256] */
    size_t len;         /* bytes waiting in buf */
    char buf[1 << 16];  /* CSV output is built here and written in large blocks */
} assign_ctx_t;

static void flush_buf(assign_ctx_t *c)
{
    if (c->len)
        fwrite(c->buf, 1, c->len, c->out); /* a short write sets ferror(out), checked at the end */
    c->len = 0;
}

static void put(assign_ctx_t *c, const char *s, size_t n)
{
    if (c->len + n > sizeof c->buf) {
        flush_buf(c);
        if (n > sizeof c->buf) {
            fwrite(s, 1, n, c->out);
            return;
        }
    }
    memcpy(c->buf + c->len, s, n);
    c->len += n;
}

/* Whether s[0..n) holds a comma, quote, CR or LF (a CSV field that must be quoted): 16
 * bytes at a time where SSE2 is there (the last block overlapping the one before). */
static int needs_quotes(const char *s, size_t n)
{
    static const unsigned char special[256] = {[','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1};
    size_t i = 0;
#if defined(__SSE2__)
    if (n >= 16) {
        const __m128i a = _mm_set1_epi8(','), b = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'),
                      lf = _mm_set1_epi8('\n');
        for (;; i += 16) {
            if (i + 16 > n)
                i = n - 16;
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, a), _mm_cmpeq_epi8(x, b)),
                                       _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, lf)));
            if (_mm_movemask_epi8(hit))
                return 1;
            if (i + 16 == n)
                return 0;
        }
    }
#endif
    unsigned char any = 0;
    for (; i < n; i++)
        any |= special[(unsigned char)s[i]];
    return any;
}

/* Writes s[0..n) at w as one CSV field, quoted if it must be; w has room for 2n + 2
 * bytes. @return the end of what was written. */
static char *field_at(char *w, const char *s, size_t n)
{
    if (!needs_quotes(s, n)) {
        memcpy(w, s, n);
        return w + n;
    }
    *w++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *w++ = '"';
        *w++ = s[i];
    }
    *w++ = '"';
    return w;
}

/* a CSV field, quoted only when it must be */
static void put_field(assign_ctx_t *c, const char *s, size_t n)
{
    if (!needs_quotes(s, n)) {
        put(c, s, n);
        return;
    }
    put(c, "\"", 1);
    for (const char *q; (q = memchr(s, '"', n)); n -= (size_t)(q + 1 - s), s = q + 1) {
        put(c, s, (size_t)(q + 1 - s));
        put(c, "\"", 1);
    }
    put(c, s, n);
    put(c, "\"", 1);
}

static void write_csv_row(assign_ctx_t *c, const char *id, size_t len, const dcx_assignment_t *a,
                          size_t stride);

static void write_one(assign_ctx_t *c, const char *id, size_t len)
{
    FILE *out = c->out;
    dcx_assignment_t a;
    char bucket[32];
    if (c->json) {
        flush_buf(c);
        fputs(c->rows++ ? ",\n  {\"id\": " : "  {\"id\": ", out);
        json_string(out, id, len);
        if (c->n > 1)
            fputs(", \"assignments\": {", out);
        for (size_t k = 0; k < c->n; k++) {
            dcx_assign(c->exps[k], id, len, &a);
            if (c->n > 1) {
                if (k)
                    fputs(", ", out);
                const char *key = dcx_experiment_key(c->exps[k]);
                json_string(out, key, strlen(key));
                fputs(": {", out);
            } else {
                fputs(", ", out);
            }
            fputs("\"variant\": ", out);
            if (a.variant >= 0) {
                const char *v = dcx_experiment_variant_name(c->exps[k], (size_t)a.variant);
                json_string(out, v, strlen(v));
            } else {
                fputs("null", out);
            }
            fputs(", \"bucket\": ", out);
            fputs(dcx_bucket_text(a.bucket, bucket) ? bucket : "null", out);
            if (c->n > 1)
                putc('}', out);
        }
        fputs(c->n > 1 ? "}}" : "}", out);
        return;
    }
    dcx_assignment_t one[64] = {{0, 0, DCX_ASSIGN_IN}}, *all = c->n <= 64 ? one : malloc(c->n * sizeof *all);
    if (!all)
        return;
    for (size_t k = 0; k < c->n; k++)
        dcx_assign(c->exps[k], id, len, &all[k]);
    write_csv_row(c, id, len, all, 1);
    if (all != one)
        free(all);
}

/* Writes one CSV row from assignments already computed (a[k * stride] for experiment k):
 * straight into the output buffer, which has room for any row but one with a huge id. */
static void write_csv_row(assign_ctx_t *c, const char *id, size_t len, const dcx_assignment_t *a,
                          size_t stride)
{
    size_t most = 2 * len + 2 + c->row_max; /* the id quoted, every quote doubled */
    if (len <= sizeof c->buf / 4 && most <= sizeof c->buf) {
        if (c->len + most > sizeof c->buf)
            flush_buf(c);
        char *w = field_at(c->buf + c->len, id, len);
        for (size_t k = 0; k < c->n; k++) {
            const dcx_assignment_t *ak = &a[k * stride];
            *w++ = ',';
            if (ak->variant >= 0) {
                const vtext_t *v = &c->vt[k][ak->variant];
                memcpy(w, v->text, v->len);
                w += v->len;
            }
            if (c->n == 1) {
                *w++ = ',';
                w += dcx_bucket_text(ak->bucket, w);
            }
        }
        *w++ = '\n';
        c->len = (size_t)(w - c->buf);
        return;
    }
    char bucket[32];
    put_field(c, id, len);
    for (size_t k = 0; k < c->n; k++) {
        const dcx_assignment_t *ak = &a[k * stride];
        put(c, ",", 1);
        if (ak->variant >= 0) {
            const char *v = dcx_experiment_variant_name(c->exps[k], (size_t)ak->variant);
            put_field(c, v, strlen(v));
        }
        if (c->n == 1) {
            put(c, ",", 1);
            put(c, bucket, dcx_bucket_text(ak->bucket, bucket));
        }
    }
    put(c, "\n", 1);
}

/* Assigns and writes the ids counted in the batch; an id staged by an unfinished row
 * moves to the front. */
static void flush_batch(assign_ctx_t *c)
{
    for (size_t i = 0; i < c->nb; i++)
        c->ptr[i] = c->ids + c->off[i];
    for (size_t k = 0; k < c->n; k++)
        dcx_assign_many(c->exps[k], c->ptr, c->idlen, c->nb, c->res + k * 256);
    for (size_t i = 0; i < c->nb; i++)
        write_csv_row(c, c->ptr[i], c->idlen[i], c->res + i, 256);
    if (c->staged) {
        memmove(c->ids, c->ids + c->off[c->nb], c->idlen[c->nb] + 1);
        c->off[0] = 0;
        c->idlen[0] = c->idlen[c->nb];
    }
    c->nb = 0;
    c->ids_len = 0;
}

/* Stages the id of the row being read (copied: the reader's field dies with the call);
 * on_row() counts it once the row proves whole. */
static int stage_id(assign_ctx_t *c, const char *id, size_t len)
{
    if (c->ids_len + len + 1 > c->ids_cap) {
        size_t cap = c->ids_cap ? c->ids_cap : 16384;
        while (cap < c->ids_len + len + 1)
            cap *= 2;
        char *p = realloc(c->ids, cap);
        if (!p)
            return -1;
        c->ids = p;
        c->ids_cap = cap;
    }
    memcpy(c->ids + c->ids_len, id, len);
    c->ids[c->ids_len + len] = '\0';
    c->off[c->nb] = c->ids_len;
    c->idlen[c->nb] = len;
    c->staged = 1;
    return 0;
}

/* dcx_csv_push() callbacks: the id column stages its field, the column after the header's
 * last stops a row wider than the header at once, the row's end counts the id. */
static int on_field(void *ctx, size_t col, const char *s, size_t len, long line)
{
    assign_ctx_t *c = ctx;
    if (col == c->col && stage_id(c, s, len)) {
        c->st = dcx_error_set(c->err, DCX_ENOMEM, "out of memory");
        return 1;
    }
    if (col >= c->width) {
        c->st = dcx_error_at(c->err, DCX_EPARSE, c->file, line, 0,
                             "row has more than %zu fields, expected %zu like the header",
                             c->width, c->width);
        return 1;
    }
    return 0;
}

static int on_row(void *ctx, size_t nfields, long line)
{
    assign_ctx_t *c = ctx;
    if (nfields != c->width) {
        c->st = dcx_error_at(c->err, DCX_EPARSE, c->file, line, 0,
                             "row has %zu field%s, expected %zu like the header", nfields,
                             nfields == 1 ? "" : "s", c->width);
        return 1;
    }
    c->staged = 0;
    if (c->json) {
        write_one(c, c->ids + c->off[c->nb], c->idlen[c->nb]);
        return 0;
    }
    c->ids_len += c->idlen[c->nb] + 1;
    if (++c->nb == 256)
        flush_batch(c);
    return 0;
}

/* Each variant name as CSV text (c->vt), and the longest row it makes (c->row_max). */
static dcx_status_t variant_texts(assign_ctx_t *c, dcx_error_t *err)
{
    if (!(c->vt = calloc(c->n, sizeof *c->vt)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    c->row_max = 1 + (c->n == 1 ? 1 + 32 : 0); /* line end; the bucket */
    for (size_t k = 0; k < c->n; k++) {
        size_t nv = dcx_experiment_variants(c->exps[k]), most = 0;
        if (!(c->vt[k] = calloc(nv, sizeof *c->vt[k])))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        for (size_t i = 0; i < nv; i++) {
            const char *name = dcx_experiment_variant_name(c->exps[k], i);
            size_t len = strlen(name);
            if (!(c->vt[k][i].text = malloc(2 * len + 2)))
                return dcx_error_set(err, DCX_ENOMEM, "out of memory");
            c->vt[k][i].len = (size_t)(field_at(c->vt[k][i].text, name, len) - c->vt[k][i].text);
            if (c->vt[k][i].len > most)
                most = c->vt[k][i].len;
        }
        c->row_max += 1 + most;
    }
    return DCX_OK;
}

static void free_variant_texts(assign_ctx_t *c)
{
    for (size_t k = 0; c->vt && k < c->n; k++) {
        for (size_t i = 0; c->vt[k] && i < dcx_experiment_variants(c->exps[k]); i++)
            free(c->vt[k][i].text);
        free(c->vt[k]);
    }
    free(c->vt);
}

static void warn_overlaps(assign_ctx_t *c, dcx_strlist_t *warnings)
{
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = i + 1; j < c->n; j++) {
            const char *a, *b;
            double alo, ahi, blo, bhi;
            if (!dcx_experiment_namespace(c->exps[i], &a, &alo, &ahi)
                || !dcx_experiment_namespace(c->exps[j], &b, &blo, &bhi) || strcmp(a, b))
                continue;
            if (alo < bhi && blo < ahi && warnings)
                dcx_strlist_pushf(warnings,
                                  "experiments '%s' and '%s' overlap in namespace '%s' "
                                  "([%g, %g) and [%g, %g)): a unit can be in both",
                                  dcx_experiment_key(c->exps[i]), dcx_experiment_key(c->exps[j]),
                                  a, alo, ahi, blo, bhi);
        }
}

/* Assigns the ids of column col of every row r gives (up to its limit), rows of `width`
 * fields. A row cut by the limit keeps its id staged for the next call. */
static dcx_status_t read_ids(assign_ctx_t *c, dcx_csv_reader_t *r, size_t col, size_t width,
                             dcx_error_t *err)
{
    /* only the id column and the one past the header's width are looked at */
    size_t nwant = width + 1;
    unsigned char *w = calloc(nwant, 1);
    dcx_csv_field_fn *fn = calloc(nwant, sizeof *fn);
    if (!w || !fn) {
        free(w);
        free(fn);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    fn[col] = fn[width] = on_field;
    dcx_csv_handler_t h = {on_field, on_row, w, nwant, fn};
    c->col = col;
    c->width = width;
    c->file = dcx_csv_name(r);
    c->err = err;
    c->st = DCX_OK;
    dcx_status_t st = dcx_csv_push(r, &h, c, err);
    free(w);
    free(fn);
    if (!st)
        st = c->st;
    if (!st && !c->json)
        flush_batch(c);
    return st;
}

/* The second half of a large file, on a thread of its own: its rows assigned into a
 * context of its own that writes to an anonymous temporary file, copied after the first
 * half's rows. */
typedef struct {
    assign_ctx_t *c;
    const char *path;
    long long start;
    char delim;
    size_t col, width;
    dcx_status_t st;
    dcx_error_t err;
} assign_half_t;

static void *assign_half(void *arg)
{
    assign_half_t *h = arg;
    dcx_csv_reader_t *r;
    if ((h->st = dcx_csv_open_range(h->path, h->start, 0, &r, &h->err)))
        return NULL;
    dcx_csv_delimiter(r, h->delim);
    dcx_csv_expect_width(r, h->width);
    h->st = read_ids(h->c, r, h->col, h->width, &h->err);
    flush_buf(h->c);
    if (!h->st && (fflush(h->c->out) || ferror(h->c->out)))
        h->st = dcx_error_set(&h->err, DCX_EIO, "cannot write a temporary file");
    dcx_csv_close(r);
    return NULL;
}

/* Copies the whole of f (from its start) to out. */
static dcx_status_t copy_back(FILE *f, FILE *out, dcx_error_t *err)
{
    char buf[1 << 16];
    size_t n;
    rewind(f);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            return dcx_error_set(err, DCX_EIO, "write error");
    return ferror(f) ? dcx_error_set(err, DCX_EIO, "cannot read a temporary file") : DCX_OK;
}

/* Reads the rows after the header. A large regular file (CSV output) is read in two
 * halves at once, split at a line end; if that line end turns out to be inside a quoted
 * field, the second half's work is dropped and the first reader simply continues. */
static dcx_status_t read_all(assign_ctx_t *c, dcx_csv_reader_t *r, const char *path, char delim,
                             size_t col, size_t width, dcx_error_t *err)
{
    struct stat sb;
    long long split = -1;
    if (!c->json && strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)
        && sb.st_size >= ASSIGN_PARALLEL_MIN_BYTES)
        split = file_line_after(path, sb.st_size / 2);
    if (split <= 0 || split >= sb.st_size)
        return read_ids(c, r, col, width, err);
    assign_half_t h = {calloc(1, sizeof *c), path, split, delim, col, width, DCX_OK, {0}};
    if (!h.c)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    dcx_status_t st = DCX_OK;
    pthread_t th;
    h.c->exps = c->exps;
    h.c->n = c->n;
    h.c->vt = c->vt;
    h.c->row_max = c->row_max;
    h.c->res = calloc(c->n * 256, sizeof *h.c->res);
    if (!h.c->res || !(h.c->out = file_temp_stream(err))) {
        st = h.c->res ? err->code : dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if (pthread_create(&th, NULL, assign_half, &h) != 0) {
        st = read_ids(c, r, col, width, err); /* no thread: one reader does it all */
        goto done;
    }
    dcx_csv_limit(r, split);
    st = read_ids(c, r, col, width, err);
    pthread_join(th, NULL);
    if (!st && !dcx_csv_between_rows(r)) {
        /* the split fell inside a quoted field: read the rest in order */
        dcx_csv_limit(r, 0);
        st = read_ids(c, r, col, width, err);
    } else if (!st && h.st) {
        *err = h.err; /* second half: its lines count from the split */
        if (err->line > 0)
            err->line += dcx_csv_lines(r) - 1;
        st = h.st;
    } else if (!st) {
        flush_buf(c);
        st = copy_back(h.c->out, c->out, err);
    }
done:
    if (h.c->out)
        fclose(h.c->out);
    free(h.c->res);
    free(h.c->ids);
    free(h.c);
    return st;
}

dcx_status_t dcx_assign_run(const dcx_assign_opts_t *o, FILE *out, dcx_strlist_t *warnings,
                            dcx_error_t *err)
{
    if (o->config.n == 0)
        return dcx_error_set(err, DCX_EINVAL, "missing --config EXP.json");
    if (!o->id == !o->input)
        return dcx_error_set(err, DCX_EINVAL, "give exactly one of --id ID and --input IDS.csv");
    if (o->id_column && !o->input)
        return dcx_error_set(err, DCX_EINVAL, "--id-column goes with --input");
    assign_ctx_t *cp = calloc(1, sizeof *cp);
    if (!cp)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    assign_ctx_t *c = cp;
    c->exps = calloc(o->config.n, sizeof *c->exps);
    c->n = o->config.n;
    c->json = o->common.format && !strcmp(o->common.format, "json");
    c->out = out;
    c->res = calloc(o->config.n * 256, sizeof *c->res);
    dcx_csv_reader_t *r = NULL;
    dcx_status_t st = DCX_OK;
    if (!c->exps || !c->res) {
        free(c->exps);
        free(c->res);
        free(cp);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < c->n; k++)
        if ((st = dcx_experiment_load(o->config.v[k], &c->exps[k], warnings, err)))
            goto done;
    for (size_t k = 0; k < c->n; k++)
        for (size_t j = 0; j < k; j++)
            if (!strcmp(dcx_experiment_key(c->exps[k]), dcx_experiment_key(c->exps[j]))) {
                st = dcx_error_set(err, DCX_EINVAL, "experiment key '%s' given twice",
                                   dcx_experiment_key(c->exps[k]));
                goto done;
            }
    warn_overlaps(c, warnings);
    if (!c->json && (st = variant_texts(c, err)))
        goto done;
    if (c->json) {
        fputs("[\n", out);
    } else {
        fputs("id", out);
        for (size_t k = 0; k < c->n && c->n > 1; k++) {
            putc(',', out);
            const char *key = dcx_experiment_key(c->exps[k]);
            dcx_csv_quote(out, key, strlen(key));
        }
        fputs(c->n == 1 ? ",variant,bucket\n" : "\n", out);
    }
    if (o->id) {
        write_one(c, o->id, strlen(o->id));
    } else {
        char delim = dcx_csv_delimiter_parse(o->delimiter);
        if (!delim) {
            st = dcx_error_set(err, DCX_EINVAL, "--delimiter '%s': give one character, or \\t for a tab",
                               o->delimiter);
            goto done;
        }
        if ((st = dcx_csv_open(o->input, &r, err)))
            goto done;
        dcx_csv_delimiter(r, delim);
        dcx_csv_row_t row;
        if ((st = dcx_csv_header(r, &row, "a header row naming the id column", err)))
            goto done;
        size_t col = 0;
        if (o->id_column) {
            for (col = 0; col < row.n && strcmp(row.fields[col], o->id_column); col++)
                ;
            if (col == row.n) {
                char hint[256];
                dcx_csv_header_hint(&row, hint, sizeof hint);
                st = dcx_error_at(err, DCX_EPARSE, dcx_csv_name(r), row.line, 0,
                                  "no column '%s' in the header (%s)", o->id_column, hint);
                goto done;
            }
        }
        dcx_csv_expect_width(r, row.n);
        if ((st = read_all(c, r, o->input, delim, col, row.n, err)))
            goto done;
    }
    flush_buf(c);
    if (c->json)
        fputs(c->rows ? "\n]\n" : "]\n", out);
    if (ferror(out))
        st = dcx_error_set(err, DCX_EIO, "write error");
done:
    dcx_csv_close(r);
    free_variant_texts(c);
    for (size_t k = 0; k < c->n; k++)
        dcx_experiment_free(c->exps[k]);
    free(c->exps);
    free(c->res);
    free(c->ids);
    free(c);
    return st;
}

static dcx_status_t stream_assign(const void *o, FILE *out, dcx_strlist_t *w, dcx_error_t *err)
{
    return dcx_assign_run(o, out, w, err);
}

const dcx_command_t dcx_cmd_assign = {
    "assign", "assign units to experiment variants, as the GrowthBook SDKs do",
    "dcx assign --config EXP.json (--id ID | --input IDS.csv [--id-column COL])\n"
    "                  [--config EXP2.json ...] [--format csv|json] [--output FILE]",
    dcx_assign_options, sizeof(dcx_assign_opts_t), NULL, NULL, stream_assign, NULL, NULL, NULL,
    DCX_CMD_JSON_STREAM, 0, NULL, NULL};
