/* csv_reader_internal.h — internal to lib/data: the CSV reader's state, shared by
 * csv_reader.c (reading, rows, push mode) and csv_tokenize.c (its fast tokenizer). */
#ifndef DCX_CSV_READER_INTERNAL_H
#define DCX_CSV_READER_INTERNAL_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "dcx/csv.h"
#include "dcx/rows.h"

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

/* Records a field over the limit: the one just completed (len) or the one libcsv is still
 * building; col is its 1-based position in its row. @return non-zero when over. */
static inline int field_too_long(dcx_csv_reader_t *r, size_t len, size_t col, long line)
{
    if (len <= r->max_field || r->long_line)
        return r->long_line != 0;
    r->long_line = line;
    r->long_col = col;
    return 1;
}

/* A field of push mode (len bytes at data, NUL-terminated) handed to its column's callback:
 * the row begun at its first field, the field-length limit checked, and for a field that may
 * hold quoted line ends (`quoted`) the lines inside it counted. Shared by libcsv's field
 * callback and the fast tokenizer, which inlines it. */
static inline void csv_push_field_at(dcx_csv_reader_t *r, const char *data, size_t len, int quoted)
{
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
    if (quoted)
        for (const char *p = memchr(data, '\n', len); p;
             p = memchr(p + 1, '\n', len - (size_t)(p + 1 - data)))
            r->line++;
    dcx_csv_field_fn fn = r->col < r->nfn ? r->fn[r->col] : r->fn_rest;
    if (fn && (r->stop = fn(r->hctx, r->col, data, len, r->row_line))) {
        if (r->stop == DCX_CSV_SKIP_ROW) /* no more fields of this row */
            r->stop = 0, r->skipping = 1;
        r->nfn = 0, r->fn_rest = NULL;
    }
    r->col++;
}

/* libcsv's two callbacks, as csv_parse() takes them */
typedef void (*csv_field_cb)(void *, size_t, void *);
typedef void (*csv_row_cb)(int, void *);

/* csv_parse_chunk() : parses r->buf[start, n) as csv_parse() does, with the same callbacks:
 * whole lines free of quotes through the fast tokenizer, everything else through libcsv (a
 * quoted field that spans lines is handed over one line at a time until libcsv has finished
 * its row). Sets r->quotes. @return 0, or -1 where libcsv found malformed CSV (r->p holds
 * why). */
int csv_parse_chunk(dcx_csv_reader_t *r, size_t start, size_t n, csv_field_cb fcb,
                    csv_row_cb rcb);

/* csv_push_row() : push mode's row callback (csv_reader.c); the tokenizer calls it, and
 * knows push mode by it. */
void csv_push_row(int c, void *ctx);

#endif
