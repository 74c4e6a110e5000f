/* plot_util.h — internal: shared by the plot and report modules. */
#ifndef DCX_PLOT_UTIL_H
#define DCX_PLOT_UTIL_H

#include "dcx/plot.h"

extern const char *const dcx_palette[8];

/* Non-zero: write scripts and data but do not run gnuplot (for the fuzzers). */
extern int plot_dry_run;

/* 0 png, 1 svg, 2 pdf, or -1 */
int plot_format(const char *output);
/* Writes the script and data for `kind` into dir and runs gnuplot there (out.EXT). */
dcx_status_t plot_to_dir(dcx_plot_kind_t kind, const struct cJSON *doc, int fmt, const char *dir,
                         const char *gnuplot, const char *measure, const char *title,
                         dcx_error_t *err);
dcx_status_t plot_run(const char *dir, const char *gnuplot, dcx_error_t *err);
dcx_status_t plot_install(const char *src, const char *dst, dcx_error_t *err);
void plot_cleanup(const char *dir);
/* Checks the types of every field a plot or report reads. @return DCX_OK or DCX_EINVAL
 * ("not a dcx result: results[3]: 'variant' must be a string"). */
dcx_status_t plot_check_result(const struct cJSON *doc, dcx_error_t *err);

#endif
