/* plot_cmd.c — `dcx plot KIND --input RESULT.json --output FILE` and `dcx report`. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/command.h"
#include "dcx/plot.h"
#include "dcx/report.h"

const dcx_option_t dcx_plot_options[] = {
    {"input", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, input), NULL, "RESULT.json", NULL,
     "a JSON result of dcx analyze, power, maturity score or maturity compare"},
    {"output", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, common.output), NULL, "FILE", NULL,
     "the plot: .png, .svg or .pdf"},
    {"measure", DCX_OPT_CHOICE, offsetof(dcx_plot_opts_t, measure), "diff", "M", "diff|lift",
     "forest plots: the difference or the relative lift"},
    {"title", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, title), NULL, "TEXT", NULL, "plot title"},
    {"gnuplot", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, gnuplot), NULL, "PROGRAM", NULL,
     "gnuplot to run (default: $DCX_GNUPLOT, else gnuplot on PATH)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL}};

const dcx_option_t dcx_report_options[] = {
    {"input", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, input), NULL, "RESULT.json", NULL,
     "a JSON result of dcx analyze, maturity score or maturity compare"},
    {"output", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, common.output), NULL, "FILE", NULL,
     "the report: .html (self-contained) or .md"},
    {"title", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, title), NULL, "TEXT", NULL, "report title"},
    {"gnuplot", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, gnuplot), NULL, "PROGRAM", NULL,
     "gnuplot to run (default: $DCX_GNUPLOT, else gnuplot on PATH)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL}};

