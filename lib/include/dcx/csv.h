/* csv.h — streaming CSV reading (on libcsv) and writing.
 *
 * The reader hands out one row at a time with the physical line it started on, so
 * every error can name FILE:LINE:COLUMN. It accepts a UTF-8 byte-order mark, CRLF or
 * LF line ends and quoted fields (which may span lines); unbalanced quotes and stray
 * quotes inside unquoted fields are errors. Fields are not trimmed unless asked. Memory
 * is bounded
 * by the longest row, whatever the file's size. */
#ifndef DCX_CSV_H
#define DCX_CSV_H

#include "dcx/api.h"

#include <stddef.h>
#include <stdio.h>

#include "dcx/error.h"

typedef struct dcx_csv_reader dcx_csv_reader_t;

typedef struct {
    char **fields;      /* n NUL-terminated fields, valid until the next call */
    const size_t *lens; /* their lengths (fields may contain NUL bytes) */
    size_t n;
    long line;          /* physical line (1-based) where the row starts */
    long index;         /* 1 for the first row (usually the header), 2, ... */
} dcx_csv_row_t;

/* dcx_csv_open() : opens path ("-" = standard input) for reading.
 * @return DCX_OK, DCX_EIO (cannot open: the message names the file and reason),
 * DCX_ENOMEM. Close with dcx_csv_close(). */
DCX_API dcx_status_t dcx_csv_open(const char *path, dcx_csv_reader_t **out, dcx_error_t *err);

/* dcx_csv_open_stream() : reads from an open stream f, named `name` in errors; the
 * reader does not close f. */
DCX_API dcx_status_t dcx_csv_open_stream(FILE *f, const char *name, dcx_csv_reader_t **out,
                                 dcx_error_t *err);

struct dcx_rows;

/* dcx_csv_open_rows() : reads a table held in memory (rows.h) as a CSV file: its column
 * names are the header row, its k-th row is on "line" k (so errors name the row), named
 * `name` in errors. The table must outlive the reader and not change meanwhile; delimiter,
 * trimming and field limits do not apply. */
DCX_API dcx_status_t dcx_csv_open_rows(const struct dcx_rows *t, const char *name,
                                       dcx_csv_reader_t **out, dcx_error_t *err);

/* dcx_csv_delimiter() : the field separator (default ','; 0 also means ','): ';', '\t'
 * and '|' are what spreadsheets in European locales and database exports write. */
DCX_API void dcx_csv_delimiter(dcx_csv_reader_t *r, char c);

/* dcx_csv_delimiter_parse() : a --delimiter value: one character, or "\t" / "tab" for a
 * tab. @return the character, or 0 when the text is none of these. */
DCX_API char dcx_csv_delimiter_parse(const char *text);

/* dcx_csv_trim() : trim unquoted spaces and tabs around fields (libcsv's default;
 * numbers and labels). By default fields are kept exactly as written (ids). Set it before
 * the first row is read: a row is cut with the rest of its chunk, so rows read after a
 * change may have been cut before it. */
DCX_API void dcx_csv_trim(dcx_csv_reader_t *r, int on);

/* dcx_csv_expect_width() : from now on, rows whose field count differs from n are
 * errors ("row has 3 fields, expected 4"). n = 0 turns the check off. */
DCX_API void dcx_csv_expect_width(dcx_csv_reader_t *r, size_t n);

/* dcx_csv_max_field() : the longest field r accepts, in bytes (0 = the default, 64 MiB);
 * a longer one is DCX_EPARSE naming its file, line and column, found before more than the
 * limit and one read chunk (64 KiB) of it is held in memory. */
DCX_API void dcx_csv_max_field(dcx_csv_reader_t *r, size_t bytes);

/* dcx_csv_set_max_field() : the limit readers opened from now on start with (0 = 64 MiB):
 * how a command's --max-field-mb reaches every reader it opens (dcx_command_run sets it for
 * the run). Process-wide; not thread-safe: call it between runs. */
DCX_API void dcx_csv_set_max_field(size_t bytes);

/* dcx_csv_next() : the next row. Blank lines are skipped.
 * @return 1 with *row filled, 0 at the end of the input, or -1 with err filled
 * (DCX_EPARSE with file and line, DCX_EIO, DCX_ENOMEM). */
DCX_API int dcx_csv_next(dcx_csv_reader_t *r, dcx_csv_row_t *row, dcx_error_t *err);

/* dcx_csv_header() : the first row, which must exist: an empty input is DCX_EPARSE
 * "empty file: expected <what>" (e.g. what = "a header row").
 * @return DCX_OK with *row filled, or the error as for dcx_csv_next(). */
DCX_API dcx_status_t dcx_csv_header(dcx_csv_reader_t *r, dcx_csv_row_t *row, const char *what,
                            dcx_error_t *err);

/* Callbacks for dcx_csv_push(). The field text (len bytes, NUL-terminated) lives only
 * for the call; `line` is the line its row started on. Return non-zero to stop reading
 * (the caller keeps its own error), or DCX_CSV_SKIP_ROW from a field callback to skip the
 * rest of the row's fields (the row callback still comes, with the row's field count). */
#define DCX_CSV_SKIP_ROW 2
typedef int (*dcx_csv_field_fn)(void *ctx, size_t col, const char *s, size_t len, long line);
typedef struct {
    dcx_csv_field_fn field;
    int (*row)(void *ctx, size_t nfields, long line);
    const unsigned char *want; /* optional: field() is called only when want[col] is set */
    size_t nwant;              /* length of want and by_col; with want, later columns are skipped */
    /* optional, nwant entries: a column whose entry is set gets its fields through that
     * callback instead of field() (rows queued by dcx_csv_next() still go to field()) */
    const dcx_csv_field_fn *by_col;
} dcx_csv_handler_t;

/* dcx_csv_push() : reads the rest of the input (after any rows taken with
 * dcx_csv_next()) and calls h->field for each field and h->row at each row end, with
 * the row's field count and first line; blank lines are skipped. The fastest way
 * through a large file: no row is queued or copied.
 * @return DCX_OK (also when a callback stopped the reading), DCX_EPARSE for malformed
 * CSV, DCX_EIO, DCX_ENOMEM. */
DCX_API dcx_status_t dcx_csv_push(dcx_csv_reader_t *r, const dcx_csv_handler_t *h, void *ctx,
                          dcx_error_t *err);

/* dcx_csv_open_range() : opens path and reads bytes [start, end) (end 0 = to the end)
 * as CSV with no header handling: for parallel reading of a regular file split at line
 * ends. Lines are counted from 1 at `start`. */
DCX_API dcx_status_t dcx_csv_open_range(const char *path, long long start, long long end,
                                dcx_csv_reader_t **out, dcx_error_t *err);

/* dcx_csv_limit() : stop reading at byte offset `end` of the file (0 = no limit). The
 * reader must have read less than that so far. */
DCX_API void dcx_csv_limit(dcx_csv_reader_t *r, long long end);

/* dcx_csv_between_rows() : whether everything read so far ends at a row boundary
 * (not inside a quoted field or a row). */
DCX_API int dcx_csv_between_rows(const dcx_csv_reader_t *r);

/* dcx_csv_lines() : lines read so far (the line number of the next byte). */
DCX_API long dcx_csv_lines(const dcx_csv_reader_t *r);

/* dcx_csv_name() : the name used in errors (the path, or "<stdin>"). */
DCX_API const char *dcx_csv_name(const dcx_csv_reader_t *r);

/* dcx_csv_close() : closes the file (if opened by path) and frees r (accepts NULL). */
DCX_API void dcx_csv_close(dcx_csv_reader_t *r);

/* dcx_csv_columns() : whole numeric columns of the CSV file at path ("-" = standard input),
 * read in one pass: (*cols)[k] holds the values of the column named names[k], in row order,
 * *nrows of them, NaN where a cell is empty. Fields are trimmed of spaces; the header row
 * names the columns; delimiter 0 means ','.
 * @return DCX_OK (the caller frees each (*cols)[k] and *cols), DCX_EINVAL (a name not in the
 * header, or asked for twice), DCX_EPARSE with file:line:column (a cell that is not a number,
 * a row of the wrong width, malformed CSV), DCX_EIO, DCX_ENOMEM. */
DCX_API dcx_status_t dcx_csv_columns(const char *path, const char *const *names, size_t n,
                                     char delimiter, double ***cols, size_t *nrows,
                                     dcx_error_t *err);

/* dcx_csv_header_hint() : words for an error about header row h, written into buf: its
 * column names when they read as names ("columns: a, b, c"); a suggestion of --delimiter
 * when the only column holds ';', a tab or '|'; otherwise only how many fields the line
 * has, so that an error about a file that is not CSV never prints its content. */
DCX_API void dcx_csv_header_hint(const dcx_csv_row_t *h, char *buf, size_t len);

/* dcx_csv_quote() : writes s (len bytes) to f as one CSV field, quoted only when it
 * holds a comma, quote, CR or LF. @return 0, or EOF on a write error. */
DCX_API int dcx_csv_quote(FILE *f, const char *s, size_t len);

#endif
