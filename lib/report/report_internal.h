/* report_internal.h — internal: the pieces of a report that report.c (analyses, the file
 * itself) and maturity_report.c (maturity scores and rounds) share. */
#ifndef DCX_REPORT_INTERNAL_H
#define DCX_REPORT_INTERNAL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "dcx/plot.h"
#include "dcx/report.h"
#include "textbuf.h"

/* The report is built in one buffer (written out atomically at the end), which records
 * a failed allocation: an incomplete report is never written. */
typedef struct {
    tbuf_t b;
    int md;
    const dcx_plot_style_t *sty; /* gnuplot, title, the radar's groups, the audience */
} out_t;

/* Text into the report: HTML- or Markdown-escaped. */
void rep_txt(out_t *o, const char *s);
/* Frees a scratch buffer whose text went into the report, keeping its failure. */
void rep_drop(out_t *o, tbuf_t *t);
/* v with fmt, or "–" when not finite. */
void rep_fnum(char *b, size_t n, double v, const char *fmt);
void rep_table_start(out_t *o, int ncol, const char *const *head);
void rep_table_row(out_t *o, int ncol, const char *const *cells, int strong);
void rep_table_end(out_t *o);
void rep_heading(out_t *o, int level, const char *s);
/* A paragraph of text (escaped), with an HTML class or NULL. */
void rep_para(out_t *o, const char *s, const char *cls);
void rep_parafmt(out_t *o, const char *cls, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The plot of kind drawn from doc as an SVG figure with caption. */
dcx_status_t rep_embed_plot(out_t *o, dcx_plot_kind_t kind, const cJSON *doc, const char *measure,
                            const char *caption, dcx_error_t *err);
/* The options and inputs a result records (left out for a client audience). */
void rep_settings_section(out_t *o, const cJSON *doc);

/* maturity_report.c: the reports of dcx maturity score and dcx maturity compare. */
dcx_status_t rep_maturity(out_t *o, const cJSON *doc, dcx_error_t *err);
dcx_status_t rep_compare(out_t *o, const cJSON *doc, dcx_error_t *err);

#endif
