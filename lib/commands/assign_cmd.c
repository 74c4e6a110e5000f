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

typedef struct {
    dcx_experiment_t **exps;
    size_t n;
    int json;
    size_t rows;
    FILE *out;
    /* a batch of ids from the CSV, assigned together (dcx_assign_many) */
    char *ids;          /* arena of the batch's ids */
    size_t ids_len, ids_cap;
    size_t nb;
    size_t off[256], idlen[256];
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

/* a CSV field, quoted only when it must be */
static void put_field(assign_ctx_t *c, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
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

/* Writes one CSV row from assignments already computed (a[k] for experiment k). */
static void write_csv_row(assign_ctx_t *c, const char *id, size_t len, const dcx_assignment_t *a,
                          size_t stride)
{
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

static void flush_batch(assign_ctx_t *c)
{
    for (size_t i = 0; i < c->nb; i++)
        c->ptr[i] = c->ids + c->off[i];
    for (size_t k = 0; k < c->n; k++)
        dcx_assign_many(c->exps[k], c->ptr, c->idlen, c->nb, c->res + k * 256);
    for (size_t i = 0; i < c->nb; i++)
        write_csv_row(c, c->ptr[i], c->idlen[i], c->res + i, 256);
    c->nb = 0;
    c->ids_len = 0;
}

/* Queues one id of the CSV path (copied: the reader's row dies at the next row). */
static int batch_id(assign_ctx_t *c, const char *id, size_t len)
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
    c->ids_len += len + 1;
    if (++c->nb == 256)
        flush_batch(c);
    return 0;
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

/* Assigns the ids of column col of every row r gives (up to its limit). */
static dcx_status_t read_ids(assign_ctx_t *c, dcx_csv_reader_t *r, size_t col, dcx_error_t *err)
{
    dcx_csv_row_t row;
    int got;
    while ((got = dcx_csv_next(r, &row, err)) > 0) {
        if (c->json)
            write_one(c, row.fields[col], row.lens[col]);
        else if (batch_id(c, row.fields[col], row.lens[col]))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    if (!c->json)
        flush_batch(c);
    return got < 0 ? err->code : DCX_OK;
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
    h->st = read_ids(h->c, r, h->col, &h->err);
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
        return read_ids(c, r, col, err);
    assign_half_t h = {calloc(1, sizeof *c), path, split, delim, col, width, DCX_OK, {0}};
    if (!h.c)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    dcx_status_t st = DCX_OK;
    pthread_t th;
    *h.c = (assign_ctx_t){c->exps, c->n, 0, 0, NULL, NULL, 0, 0, 0, {0}, {0}, {0}, NULL, 0, {0}};
    h.c->res = calloc(c->n * 256, sizeof *h.c->res);
    if (!h.c->res || !(h.c->out = file_temp_stream(err))) {
        st = h.c->res ? err->code : dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if (pthread_create(&th, NULL, assign_half, &h) != 0) {
        st = read_ids(c, r, col, err); /* no thread: one reader does it all */
        goto done;
    }
    dcx_csv_limit(r, split);
    st = read_ids(c, r, col, err);
    pthread_join(th, NULL);
    if (!st && !dcx_csv_between_rows(r)) {
        /* the split fell inside a quoted field: read the rest in order */
        dcx_csv_limit(r, 0);
        st = read_ids(c, r, col, err);
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
