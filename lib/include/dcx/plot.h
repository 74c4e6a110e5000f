/* plot.h — plots of result documents, rendered by gnuplot (an external program), and
 * in-memory SVG for reports (report.h).
 *
 * gnuplot is driven through a script and data written to a private temporary directory
 * and run without a shell; labels from the data go into the data file, never into the
 * script. The output appears only when gnuplot succeeds (temporary name, then rename). */
#ifndef DCX_PLOT_H
#define DCX_PLOT_H

#include "dcx/api.h"

#include "dcx/error.h"
#include "dcx/options.h"

#include <stddef.h>

struct cJSON;

typedef enum {
    DCX_PLOT_FOREST,    /* analyze: each comparison's diff (or lift) with its interval */
    DCX_PLOT_TIMELINE,  /* analyze --time-column: cumulative diff with interval per period */
    DCX_PLOT_POSTERIOR, /* analyze: posterior densities of each arm (Beta or normal) */
    DCX_PLOT_POWER,     /* power: power against n per variant */
    DCX_PLOT_RADAR,     /* maturity score: dimension scores against target */
    DCX_PLOT_GAPS,      /* maturity score: dimensions by their gap to target */
    DCX_PLOT_CHANGE     /* maturity compare: a dumbbell per dimension, round to round, target */
} dcx_plot_kind_t;

/* How to draw. Every field may be 0 or NULL for the kind's defaults. */
typedef struct {
    const char *gnuplot;         /* the program (a name on PATH or a path); NULL: gnuplot */
    const char *measure;         /* forest: "diff" (NULL) or "lift" */
    const char *title;           /* the figure's title; NULL: the kind's own */
    const dcx_strlist_t *groups; /* radar: the groups to draw beside all respondents (at most
                                    5); NULL or empty: all of them when they fit, else none */
    int client;                  /* reports: for a client: no settings, file paths or versions */
} dcx_plot_style_t;

/* dcx_plot_kind_parse() : "forest", "timeline", "posterior", "power", "radar", "gaps",
 * "change". */
DCX_API dcx_status_t dcx_plot_kind_parse(const char *name, dcx_plot_kind_t *kind, dcx_error_t *err);

/* dcx_plot_render() : draws `kind` from doc into output (.png, .svg or .pdf by its
 * extension) as style says (NULL: defaults). The result is checked first (dcx_result_check).
 * @return DCX_OK; DCX_EINVAL (unknown extension, a --groups name the result lacks);
 * DCX_EPARSE (not a dcx result); DCX_ENOTSUP (a document the kind cannot draw: the wrong
 * result, nothing to draw — never a blank picture); DCX_ENOEXEC when gnuplot cannot be run
 * (the message says how to install it); DCX_ECONV when gnuplot fails (its message is
 * included); DCX_EIO; DCX_ENOMEM. */
DCX_API dcx_status_t dcx_plot_render(dcx_plot_kind_t kind, const struct cJSON *doc, const char *output,
                                     const dcx_plot_style_t *style, dcx_error_t *err);

/* dcx_plot_svg() : draws `kind` from doc as SVG into memory: *svg (malloc'd, caller frees)
 * of *len bytes. Same errors as dcx_plot_render(). */
DCX_API dcx_status_t dcx_plot_svg(dcx_plot_kind_t kind, const struct cJSON *doc,
                                  const dcx_plot_style_t *style, char **svg, size_t *len,
                                  dcx_error_t *err);

/* dcx_result_check() : checks a result document read from a file someone handed over (or
 * built in Lua) before anything renders it: the type of every field a plot or report
 * reads, and that each value of a closed set (method, correction, role, direction,
 * decision, test, type) is one of its words. Plots and reports call it themselves.
 * @return DCX_OK or DCX_EPARSE ("not a dcx result: results[3]: 'variant' must be a
 * string"). */
DCX_API dcx_status_t dcx_result_check(const struct cJSON *doc, dcx_error_t *err);

typedef struct {
    dcx_common_opts_t common; /* output: the file to write; gnuplot: the program */
    char *kind;               /* plot: forest, timeline, ... */
    char *input;              /* the JSON result */
    struct cJSON *result;     /* or the result in memory (owned) */
    char *measure;            /* forest: diff or lift */
    char *title;
    dcx_strlist_t groups;     /* radar (and reports): the groups to draw */
    char *audience;           /* reports: analyst (default) or client */
    double min_group_size;    /* maturity groups with fewer respondents are suppressed (NaN:
                                 as the result says, else 5) */
} dcx_plot_opts_t;

DCX_API extern const dcx_option_t dcx_plot_options[];

#endif
