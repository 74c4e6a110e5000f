/* plot_cmd.c — `dcx plot KIND --input RESULT.json --output FILE` and `dcx report`. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/command.h"
#include "dcx/plot.h"

const dcx_option_t dcx_plot_options[] = {
    {"input", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, input), NULL, "RESULT.json", NULL,
     "a JSON result of dcx analyze, power or maturity score"},
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
     "a JSON result of dcx analyze or dcx maturity score"},
    {"output", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, common.output), NULL, "FILE", NULL,
     "the report: .html (self-contained) or .md"},
    {"title", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, title), NULL, "TEXT", NULL, "report title"},
    {"gnuplot", DCX_OPT_STRING, offsetof(dcx_plot_opts_t, gnuplot), NULL, "PROGRAM", NULL,
     "gnuplot to run (default: $DCX_GNUPLOT, else gnuplot on PATH)"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL}};

/* Reads a JSON result file. */
dcx_status_t dcx_read_json_file(const char *path, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return dcx_error_at(err, DCX_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (len < cap - 1)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    if (!buf)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    const char *end = NULL;
    *out = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!*out) {
        long line = 1, col = 1;
        for (const char *p = buf; end && p < end; p++)
            if (*p == '\n')
                line++, col = 1;
            else
                col++;
        free(buf);
        return dcx_error_at(err, DCX_EPARSE, path, line, col, "malformed JSON");
    }
    free(buf);
    return DCX_OK;
}

