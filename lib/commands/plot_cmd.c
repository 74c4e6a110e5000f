/* plot_cmd.c — `dcx plot KIND --input RESULT.json --output FILE` and `dcx report`: a result
 * read from a file (or handed over in memory by a front end) drawn or laid out into a file. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/command.h"
#include "dcx/jsonio.h"
#include "dcx/maturity.h"
#include "dcx/plot.h"
#include "dcx/report.h"
#include "optparse.h"

#define OPT(field) offsetof(dcx_plot_opts_t, field)

const dcx_option_t dcx_plot_options[] = {
    {"kind", DCX_OPT_CHOICE, OPT(kind), NULL, "KIND", "forest|timeline|posterior|power|radar|gaps|change",
     "what to draw (also the word after 'dcx plot')", 0},
    {"input", DCX_OPT_STRING, OPT(input), NULL, "RESULT.json", NULL,
     "a JSON result of dcx analyze, power, maturity score or maturity compare", DCX_OPTF_INPUT},
    {"result", DCX_OPT_DOC, OPT(result), NULL, NULL, NULL, "a result document in memory (Lua)", 0},
    {"output", DCX_OPT_STRING, OPT(common.output), NULL, "FILE", NULL, "the plot: .png, .svg or .pdf",
     DCX_OPTF_WRITES},
    {"measure", DCX_OPT_CHOICE, OPT(measure), "diff", "M", "diff|lift",
     "forest plots: the difference or the relative lift", 0},
    {"title", DCX_OPT_STRING, OPT(title), NULL, "TEXT", NULL, "plot title", 0},
    {"min-group-size", DCX_OPT_NUMBER, OPT(min_group_size), NULL, "N", NULL,
     "maturity results: groups with fewer respondents are drawn as \"n < N\" (default: as the result was made, else 5)", 0},
    {"groups", DCX_OPT_LIST, OPT(groups), NULL, "A,B", NULL,
     "radar: the groups to draw beside all respondents (at most 5; default: all when they fit)", 0},
    {"gnuplot", DCX_OPT_STRING, OPT(common.gnuplot), NULL, "PROGRAM", NULL,
     "gnuplot to run (default: $DCX_GNUPLOT, else gnuplot on PATH)", DCX_OPTF_PROGRAM},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

const dcx_option_t dcx_report_options[] = {
    {"input", DCX_OPT_STRING, OPT(input), NULL, "RESULT.json", NULL,
     "a JSON result of dcx analyze, maturity score or maturity compare", DCX_OPTF_INPUT},
    {"result", DCX_OPT_DOC, OPT(result), NULL, NULL, NULL, "a result document in memory (Lua)", 0},
    {"output", DCX_OPT_STRING, OPT(common.output), NULL, "FILE", NULL,
     "the report: .html (self-contained) or .md", DCX_OPTF_WRITES},
    {"title", DCX_OPT_STRING, OPT(title), NULL, "TEXT", NULL, "report title (also the page's <title>)", 0},
    {"audience", DCX_OPT_CHOICE, OPT(audience), "analyst", "WHO", "analyst|client",
     "analyst (everything) or client (without settings, file paths and versions)", 0},
    {"groups", DCX_OPT_LIST, OPT(groups), NULL, "A,B", NULL,
     "the groups the radar draws beside all respondents (at most 5)", 0},
    {"min-group-size", DCX_OPT_NUMBER, OPT(min_group_size), NULL, "N", NULL,
     "maturity results: groups with fewer respondents are shown as \"n < N\" (default: as the result was made, else 5)", 0},
    {"gnuplot", DCX_OPT_STRING, OPT(common.gnuplot), NULL, "PROGRAM", NULL,
     "gnuplot to run (default: $DCX_GNUPLOT, else gnuplot on PATH)", DCX_OPTF_PROGRAM},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

/* The drawing choices of the options: --groups may repeat or be comma-separated. */
static dcx_status_t style_of(const dcx_plot_opts_t *o, dcx_strlist_t *groups, dcx_plot_style_t *sty,
                             dcx_error_t *err)
{
    dcx_status_t st = split_commas(&o->groups, groups, err);
    *sty = (dcx_plot_style_t){o->common.gnuplot, o->measure, o->title, groups,
                              o->audience && !strcmp(o->audience, "client")};
    return st;
}

/* The document to draw: the one in memory, else the --input file's, with the small groups
 * of a maturity result suppressed (--min-group-size). *owned is what to free. */
static dcx_status_t the_result(const dcx_plot_opts_t *o, const cJSON **doc, cJSON **owned,
                               dcx_error_t *err)
{
    *owned = NULL;
    if (o->result && o->input)
        return dcx_error_set(err, DCX_EINVAL, "give the result as a file (input) or in memory (result), not both");
    dcx_status_t st = DCX_OK;
    if (o->result) {
        *doc = o->result;
    } else {
        if (!o->input || !o->common.output)
            return dcx_error_set(err, DCX_EINVAL, "give --input RESULT.json and --output FILE");
        st = dcx_read_json_file(o->input, 0, owned, err);
        *doc = *owned;
    }
    if (!st && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(*doc, "groups"))
        && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(*doc, "assessment"))) {
        if (!*owned && !(*owned = cJSON_Duplicate(*doc, 1)))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        *doc = *owned;
        st = dcx_maturity_suppress(*owned, o->min_group_size, err);
    }
    return st;
}

static dcx_status_t write_plot(const void *vo, dcx_error_t *err)
{
    const dcx_plot_opts_t *o = vo;
    dcx_plot_kind_t kind;
    if (!o->kind)
        return dcx_error_set(err, DCX_EINVAL,
                             "name one kind: forest, timeline, posterior, power, radar, gaps or change");
    if (!o->common.output)
        return dcx_error_set(err, DCX_EINVAL, "give --output FILE.(png|svg|pdf)");
    dcx_status_t st = dcx_plot_kind_parse(o->kind, &kind, err);
    const cJSON *doc = NULL;
    cJSON *owned = NULL;
    if (!st)
        st = the_result(o, &doc, &owned, err);
    dcx_strlist_t groups = {0};
    dcx_plot_style_t sty;
    if (!st)
        st = style_of(o, &groups, &sty, err);
    if (!st)
        st = dcx_plot_render(kind, doc, o->common.output, &sty, err);
    cJSON_Delete(owned);
    dcx_strlist_free(&groups);
    return st;
}

static dcx_status_t write_report(const void *vo, dcx_error_t *err)
{
    const dcx_plot_opts_t *o = vo;
    if (!o->common.output)
        return dcx_error_set(err, DCX_EINVAL, "give --output REPORT.(html|md)");
    const cJSON *doc = NULL;
    cJSON *owned = NULL;
    dcx_status_t st = the_result(o, &doc, &owned, err);
    dcx_strlist_t groups = {0};
    dcx_plot_style_t sty;
    if (!st)
        st = style_of(o, &groups, &sty, err);
    if (!st)
        st = dcx_report_render(doc, o->common.output, &sty, err);
    cJSON_Delete(owned);
    dcx_strlist_free(&groups);
    return st;
}

const dcx_command_t dcx_cmd_plot = {
    .name = "plot",
    .summary = "plots of results (gnuplot): forest, timeline, posterior, power, radar, gaps, change",
    .synopsis = "dcx plot forest|timeline|posterior|power|radar|gaps|change --input RESULT.json\n"
                "                --output FILE.(png|svg|pdf) [--measure diff|lift] [--title TEXT]\n"
                "                [--groups A,B]",
    .options = dcx_plot_options,
    .opts_size = sizeof(dcx_plot_opts_t),
    .positional = "kind",
    .write = write_plot,
};

const dcx_command_t dcx_cmd_report = {
    .name = "report",
    .summary = "a self-contained HTML or Markdown report of an analysis or maturity result",
    .synopsis = "dcx report --input RESULT.json --output REPORT.(html|md) [--title TEXT]\n"
                "                  [--audience analyst|client] [--groups A,B]",
    .options = dcx_report_options,
    .opts_size = sizeof(dcx_plot_opts_t),
    .write = write_report,
};
