/* report.h — one self-contained report of a result: HTML with inline CSS and the plots
 * embedded as SVG, or Markdown with the SVG as data URIs. A report lays out numbers of the
 * result document and the plots of plot.h; it computes no statistic. */
#ifndef DCX_REPORT_H
#define DCX_REPORT_H

#include "dcx/api.h"

#include "dcx/error.h"
#include "dcx/options.h"
#include "dcx/plot.h"

struct cJSON;

/* dcx_report_render() : one self-contained report (.html, or .md) of an analyze or
 * maturity document, plots embedded as SVG, written atomically to output; style (NULL:
 * defaults) gives gnuplot, the title (also the HTML <title>), the radar's groups and the
 * audience (a client's report leaves out settings, file paths and versions). Same errors
 * as dcx_plot_render(). */
DCX_API dcx_status_t dcx_report_render(const struct cJSON *doc, const char *output,
                                       const dcx_plot_style_t *style, dcx_error_t *err);

/* the options of `dcx report` (the struct is dcx_plot_opts_t) */
DCX_API extern const dcx_option_t dcx_report_options[];

#endif
