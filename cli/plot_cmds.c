/* plot_cmds.c — `dcx plot KIND ...` and `dcx report ...`: read a JSON result, render
 * with gnuplot ($DCX_GNUPLOT or gnuplot on PATH). */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

static const dcx_command_t plot_cmd = {
    "plot", "plots of results (gnuplot): forest, timeline, posterior, power, radar, gaps",
    "dcx plot forest|timeline|posterior|power|radar|gaps --input RESULT.json\n"
    "                --output FILE.(png|svg|pdf) [--measure diff|lift] [--title TEXT]",
    dcx_plot_options, sizeof(dcx_plot_opts_t), NULL, NULL, NULL, NULL, NULL};

static const dcx_command_t report_cmd = {
    "report", "a self-contained HTML or Markdown report of an analysis or maturity result",
    "dcx report --input RESULT.json --output REPORT.(html|md) [--title TEXT]",
    dcx_report_options, sizeof(dcx_plot_opts_t), NULL, NULL, NULL, NULL, NULL};

const char *cli_gnuplot(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("DCX_GNUPLOT");
    return env && *env ? env : "gnuplot";
}

static int run_render(const dcx_command_t *cmd, int argc, char **argv, int is_plot)
{
    dcx_error_t err;
    dcx_error_clear(&err);
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            cli_print_usage(stdout, cmd);
            return 0;
        }
    dcx_plot_opts_t *o = dcx_command_new_opts(cmd, &err);
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos = 0, rc;
    cJSON *doc = NULL;
    if (!o || !pos) {
        fprintf(stderr, "dcx: out of memory\n");
        rc = 1;
        goto done;
    }
    if ((rc = cli_parse(cmd, o, argc - 1, argv + 1, &npos, &pos)))
        goto done;
    dcx_plot_kind_t kind = DCX_PLOT_FOREST;
    if (is_plot) {
        if (npos != 1) {
            fprintf(stderr, "dcx: plot: name one kind: forest, timeline, posterior, power, radar or gaps\n");
            rc = 2;
            goto done;
        }
        if (dcx_plot_kind_parse(pos[0], &kind, &err)) {
            rc = cli_fail(&err);
            goto done;
        }
    } else if (npos) {
        fprintf(stderr, "dcx: report: unexpected argument '%s'\n", pos[0]);
        rc = 2;
        goto done;
    }
    if (!o->input || !o->common.output) {
        fprintf(stderr, "dcx: %s: give --input RESULT.json and --output FILE\n", cmd->name);
        rc = 2;
        goto done;
    }
    if ((rc = cli_output_is_input(cmd->options, o, o->common.output)))
        goto done;
    dcx_status_t st = dcx_read_json_file(o->input, 0, &doc, &err);
    if (!st)
        st = is_plot ? dcx_plot_render(kind, doc, o->common.output, cli_gnuplot(o->gnuplot),
                                       o->measure, o->title, &err)
                     : dcx_report_render(doc, o->common.output, cli_gnuplot(o->gnuplot), o->title, &err);
    rc = st ? cli_fail(&err) : 0;
done:
    cJSON_Delete(doc);
    free(pos);
    dcx_command_free_opts(cmd, o);
    return rc;
}

int cli_plot(int argc, char **argv) { return run_render(&plot_cmd, argc, argv, 1); }
int cli_report(int argc, char **argv) { return run_render(&report_cmd, argc, argv, 0); }
