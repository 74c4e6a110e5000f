/* rows.h — a table of text cells held in memory: named columns, then rows. It is how unit
 * data reaches dcx_analyze without a file (the Lua module's dcx.analyze{rows = ...}): the
 * CSV reader reads it as it reads a file (dcx_csv_open_rows), so every cell is parsed and
 * checked exactly as the same text in a CSV would be. Cells are copied in; an empty cell
 * (NULL, or length 0) is a missing value. Rows are numbered from 1 in error messages. */
#ifndef DCX_ROWS_H
#define DCX_ROWS_H

#include "dcx/api.h"

#include <stddef.h>

#include "dcx/error.h"

typedef struct dcx_rows dcx_rows_t;

/* dcx_rows_new() : an empty table. @return NULL when out of memory. Free with
 * dcx_rows_free() (accepts NULL). */
DCX_API dcx_rows_t *dcx_rows_new(void);
DCX_API void dcx_rows_free(dcx_rows_t *t);

/* dcx_rows_add_column() : names the next column; all columns come before the first row.
 * @return DCX_OK, DCX_EINVAL (an empty name, one given twice, or rows already added),
 * DCX_ENOMEM. */
DCX_API dcx_status_t dcx_rows_add_column(dcx_rows_t *t, const char *name, dcx_error_t *err);

/* dcx_rows_add() : appends a row of one cell per column: cells[c] (lens[c] bytes; NULL is
 * an empty cell). @return DCX_OK, DCX_EINVAL (no columns), DCX_ENOMEM. */
DCX_API dcx_status_t dcx_rows_add(dcx_rows_t *t, const char *const *cells, const size_t *lens,
                                  dcx_error_t *err);

/* The shape: columns, rows, and a column's name (NULL when col is out of range). */
DCX_API size_t dcx_rows_width(const dcx_rows_t *t);
DCX_API size_t dcx_rows_count(const dcx_rows_t *t);
DCX_API const char *dcx_rows_name(const dcx_rows_t *t, size_t col);

/* dcx_rows_cell() : the text of row `row` (0-based) in column `col`, NUL-terminated, its
 * length in *len; valid until the table changes or is freed. NULL when out of range. */
DCX_API const char *dcx_rows_cell(const dcx_rows_t *t, size_t row, size_t col, size_t *len);

#endif
