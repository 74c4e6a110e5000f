/* csv_transcript.h — everything the CSV reader tells its caller about a file, as text, for
 * the differential tests of its fast tokenizer (tests/unit/test_csv.c and the fuzzer
 * tests/fuzz/fuzz_csv.c): each row (pull mode) or each field and row end (push mode) with
 * its line, then how reading ended (the error with file, line, column and message) and
 * where the reader stands. Reading the same file with the fast tokenizer on and off, at the
 * same chunk size, must give the same transcript byte for byte. */
#ifndef DCX_CSV_TRANSCRIPT_H
#define DCX_CSV_TRANSCRIPT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/csv.h"
#include "fileio.h"

/* csv_reader.c's switch for these tests (not part of the API): readers opened afterwards
 * read `chunk` bytes at a time (0 = 64 KiB) and use the fast tokenizer when fast != 0. */
void dcx_csv_test_config_(size_t chunk, int fast);

typedef struct {
    char delim;       /* 0 = ',' */
    int trim;         /* dcx_csv_trim(r, 1) */
    size_t width;     /* dcx_csv_expect_width() after the first row (0: none) */
    size_t max_field; /* dcx_csv_max_field() (0: the default) */
    int push;         /* rows after the first through dcx_csv_push() */
    size_t skip_col;  /* push: a field callback in this column (1-based) skips the rest */
    size_t stop_row;  /* push: the row callback of this row (1-based) stops the reading */
    int halves;       /* read as two ranges split at the line end after the middle */
} csv_mode_t;

typedef struct {
    char *s;
    size_t len, cap;
    long fields, rows;
    const csv_mode_t *m;
} csv_tx_t;

static void tx_printf(csv_tx_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s)
            abort();
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* A field as printable text: bytes outside 0x21-0x7e (and '\\', '|') as \xHH; then a check
 * that the field is NUL-terminated where its length says. */
static void tx_field(csv_tx_t *t, const char *s, size_t len)
{
    tx_printf(t, "|");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > 0x20 && c < 0x7f && c != '\\' && c != '|')
            tx_printf(t, "%c", c);
        else
            tx_printf(t, "\\x%02x", c);
    }
    if (s[len] != '\0')
        tx_printf(t, "(not NUL-terminated)");
}

static int tx_on_field(void *ctx, size_t col, const char *s, size_t len, long line)
{
    csv_tx_t *t = ctx;
    tx_printf(t, "F%zu@%ld", col, line);
    tx_field(t, s, len);
    tx_printf(t, "\n");
    t->fields++;
    return t->m->skip_col && col + 1 == t->m->skip_col ? DCX_CSV_SKIP_ROW : 0;
}

static int tx_on_row(void *ctx, size_t n, long line)
{
    csv_tx_t *t = ctx;
    tx_printf(t, "R%zu@%ld\n", n, line);
    return t->m->stop_row && (size_t)++t->rows == t->m->stop_row;
}

static void tx_error(csv_tx_t *t, int got, const dcx_error_t *err)
{
    if (got < 0)
        tx_printf(t, "ERROR %d %s:%ld:%ld: %s\n", (int)err->code, err->file, err->line, err->column,
                  err->message);
    else
        tx_printf(t, "END\n");
}

/* Reads r to its end (or limit) as mode m says, appending to t. */
static void tx_read(csv_tx_t *t, dcx_csv_reader_t *r, int header)
{
    const csv_mode_t *m = t->m;
    dcx_error_t err;
    memset(&err, 0, sizeof err);
    dcx_csv_row_t row;
    int got = 1;
    if (header) {
        got = dcx_csv_next(r, &row, &err);
        if (got > 0) {
            tx_printf(t, "H%ld@%ld", row.index, row.line);
            for (size_t i = 0; i < row.n; i++)
                tx_field(t, row.fields[i], row.lens[i]);
            tx_printf(t, "\n");
            if (m->width)
                dcx_csv_expect_width(r, m->width);
        }
    }
    if (got > 0 && m->push) {
        dcx_csv_handler_t h = {tx_on_field, tx_on_row, NULL, 0, NULL};
        got = dcx_csv_push(r, &h, t, &err) ? -1 : 0;
    } else {
        while (got > 0 && (got = dcx_csv_next(r, &row, &err)) > 0) {
            tx_printf(t, "W%ld@%ld", row.index, row.line);
            for (size_t i = 0; i < row.n; i++)
                tx_field(t, row.fields[i], row.lens[i]);
            tx_printf(t, "\n");
        }
    }
    tx_error(t, got, &err);
    tx_printf(t, "lines %ld, between rows %d\n", dcx_csv_lines(r), dcx_csv_between_rows(r));
}

/* Opens path, or its bytes from `start` on (as the commands open a second half). */
static dcx_csv_reader_t *tx_open(csv_tx_t *t, const char *path, long long start)
{
    dcx_csv_reader_t *r;
    dcx_error_t err;
    dcx_status_t st = start ? dcx_csv_open_range(path, start, 0, &r, &err)
                            : dcx_csv_open(path, &r, &err);
    if (st) {
        tx_printf(t, "OPEN %d %s\n", (int)st, err.message);
        return NULL;
    }
    dcx_csv_delimiter(r, t->m->delim);
    dcx_csv_trim(r, t->m->trim);
    dcx_csv_max_field(r, t->m->max_field);
    return r;
}

/* The transcript of reading path as m says, `chunk` bytes at a time, with the fast
 * tokenizer on or off. The caller frees it. */
static char *csv_transcript(const char *path, const csv_mode_t *m, size_t chunk, int fast)
{
    csv_tx_t t = {NULL, 0, 0, 0, 0, m};
    tx_printf(&t, "");
    dcx_csv_test_config_(chunk, fast);
    long long split = -1;
    if (m->halves) {
        FILE *f = fopen(path, "rb");
        long long size = 0;
        if (f && fseek(f, 0, SEEK_END) == 0)
            size = ftell(f);
        if (f)
            fclose(f);
        split = size > 1 ? file_line_after(path, size / 2) : -1;
    }
    if (split > 0) {
        dcx_csv_reader_t *r = tx_open(&t, path, 0);
        if (r) {
            dcx_csv_limit(r, split);
            tx_read(&t, r, 1);
            dcx_csv_close(r);
        }
        tx_printf(&t, "-- second half from byte %lld\n", split);
        if ((r = tx_open(&t, path, split))) {
            if (m->width)
                dcx_csv_expect_width(r, m->width);
            tx_read(&t, r, 0);
            dcx_csv_close(r);
        }
    } else {
        dcx_csv_reader_t *r = tx_open(&t, path, 0);
        if (r) {
            tx_read(&t, r, 1);
            dcx_csv_close(r);
        }
    }
    dcx_csv_test_config_(0, 1);
    return t.s;
}

#endif
