/* view.h — renderings of a result document: JSON, an aligned table for terminals,
 * CSV and Markdown. Views only lay out numbers the library already computed. */
#ifndef DCX_VIEW_H
#define DCX_VIEW_H

#include "dcx/api.h"

#include <stdio.h>

#include "dcx/error.h"

struct cJSON;

typedef enum {
    DCX_FORMAT_TABLE,
    DCX_FORMAT_JSON,
    DCX_FORMAT_CSV,
    DCX_FORMAT_MARKDOWN,
    DCX_FORMAT_XLSX /* an Excel workbook: binary, never to a terminal */
} dcx_format_t;

/* dcx_format_parse() : "table", "json", "csv", "markdown", "xlsx". @return DCX_OK or DCX_EINVAL. */
DCX_API dcx_status_t dcx_format_parse(const char *name, dcx_format_t *fmt, dcx_error_t *err);

/* dcx_view_json() : the document as indented JSON, keys in document order, numbers as
 * dcx_json_number_text writes them (NaN and infinities as null). Malloc'd, caller frees;
 * NULL when out of memory. */
DCX_API char *dcx_view_json(const struct cJSON *doc);

/* dcx_view_write() : writes the document to out in format fmt. For CSV, `rows` names
 * the array of objects to list one per line (NULL: one line of the top-level fields).
 * @return DCX_OK, DCX_EIO (write failed), DCX_ENOMEM. */
DCX_API dcx_status_t dcx_view_write(FILE *out, const struct cJSON *doc, dcx_format_t fmt,
                            const char *rows, dcx_error_t *err);

/* dcx_view_xlsx() : writes the document to out as an Excel workbook: a sheet per table
 * of the document (a row per object, a column per field named as in the CSV view:
 * control_n, diff_ci_lo), numbers as numbers with number formats that
 * suit them, frozen header rows, the remaining fields on an "about" sheet, and for a
 * maturity score or compare a radar chart of the scores against target (a series per
 * group, or before and after). See docs/formats.md for the sheets of each command.
 * @return DCX_OK, DCX_EIO, DCX_ENOMEM, DCX_EINVAL (a table larger than a sheet). */
DCX_API dcx_status_t dcx_view_xlsx(FILE *out, const struct cJSON *doc, dcx_error_t *err);

/* dcx_json_number_text() : writes v into buf (at least 32 bytes) as the shortest decimal
 * of at most 15 significant digits (DBL_DIG: the digits a double carries through decimal
 * and back), so that float noise never shows (0.0031, not 0.0031000000000000003);
 * integers below 2^53 exactly, without exponent; NaN and infinities as "null". */
DCX_API char *dcx_json_number_text(double v, char *buf);

/* dcx_text_for_terminal() : a copy of s that is safe to print on a terminal: control
 * characters (C0, DEL, C1) and bytes that are not UTF-8 become \xNN, Unicode bidirectional
 * controls \uNNNN, so text from data cannot move the cursor, recolour the screen or
 * reorder what follows. Malloc'd, caller frees; NULL when out of memory (s NULL = ""). */
DCX_API char *dcx_text_for_terminal(const char *s);

/* dcx_text_for_terminal_lines() : the same, but line feeds and tabs are kept (for
 * messages of several lines, such as a traceback). */
DCX_API char *dcx_text_for_terminal_lines(const char *s);

/* dcx_text_for_terminal_into() : either of the above into out (NULL: only measure).
 * @return the length written, without the NUL; out needs that plus one byte. */
DCX_API size_t dcx_text_for_terminal_into(const char *s, char *out, int keep_lines);

#endif
