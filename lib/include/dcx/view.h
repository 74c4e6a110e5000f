/* view.h — renderings of a result document: JSON, an aligned table for terminals,
 * CSV and Markdown. Views only lay out numbers the library already computed. */
#ifndef DCX_VIEW_H
#define DCX_VIEW_H

#include "dcx/api.h"

#include <stdio.h>

#include "dcx/doc.h"
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

/* dcx_view_write_doc() : dcx_view_write() of a document whose long arrays are made one
 * item at a time (dcx/doc.h): JSON, CSV and Excel write each item as it is made and free
 * it, so the output is the same as of the whole document without it ever being whole.
 * JSON and CSV go out a megabyte at a time: on an error the output is cut short (a front
 * end writes to a temporary file it renames only on success). */
DCX_API dcx_status_t dcx_view_write_doc(FILE *out, const dcx_doc_t *doc, dcx_format_t fmt,
                                const char *rows, dcx_error_t *err);

/* dcx_view_xlsx() : writes the document to out as an Excel workbook: a sheet per table
 * of the document (a row per object, a column per field named as in the CSV view:
 * control_n, diff_ci_lo), numbers as numbers with number formats that
 * suit them, frozen header rows, the remaining fields on an "about" sheet, and for a
 * maturity score or compare a radar chart of the scores against target (a series per
 * group, or before and after). See docs/formats.md for the sheets of each command.
 * @return DCX_OK, DCX_EIO, DCX_ENOMEM, DCX_EINVAL (a table larger than a sheet). */
DCX_API dcx_status_t dcx_view_xlsx(FILE *out, const struct cJSON *doc, dcx_error_t *err);
/* dcx_view_xlsx_doc() : the same of a document whose long arrays are made item by item. */
DCX_API dcx_status_t dcx_view_xlsx_doc(FILE *out, const dcx_doc_t *doc, dcx_error_t *err);

/* ---- the views of each command's document (table and markdown for people; json, csv
 * and xlsx as the generic views above) ---------------------------------------------- */

/* dcx_analysis_view() : the analysis document in a format: table and markdown show one
 * line per comparison (significant ones marked, each with its role, segment rows as
 * exploratory), what significance means in each family, and the decisions (or
 * DCX_NO_DECISION, analysis.h); json and csv as the generic views. */
DCX_API dcx_status_t dcx_analysis_view(FILE *out, const struct cJSON *doc, int format, dcx_error_t *err);
/* dcx_analysis_view_doc() : the same of the document dcx_analyze_doc() makes (or of any
 * dcx_doc_t): every format walks the results and srm_segments an entry at a time. */
DCX_API dcx_status_t dcx_analysis_view_doc(FILE *out, const dcx_doc_t *doc, int format,
                                   dcx_error_t *err);

/* dcx_maturity_view() : the score document for people (table, markdown); json and csv
 * are the generic views (csv: one row per dimension). */
DCX_API dcx_status_t dcx_maturity_view(FILE *out, const struct cJSON *doc, int format, dcx_error_t *err);

/* dcx_compare_view() : a compare document for people: per dimension and overall the two
 * rounds, the change, its p-value, the levels, the target and the progress; then each
 * group. json and csv are the generic views (csv: one row per dimension). */
DCX_API dcx_status_t dcx_compare_view(FILE *out, const struct cJSON *doc, int format, dcx_error_t *err);

/* dcx_power_view() : the power result in a format; table and Markdown label which arm
 * n_per_variant and n_treatment are (control, each treatment arm). */
DCX_API dcx_status_t dcx_power_view(FILE *out, const struct cJSON *doc, int format, dcx_error_t *err);

#endif
