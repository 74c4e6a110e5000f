/* registry.c — the registry of commands and their options structs. */
#include "dcx/command.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/csv.h"
#include "dcx/plot.h"
#include "dcx/text.h"
#include "dcx/view.h"

extern const dcx_command_t dcx_cmd_assign, dcx_cmd_power, dcx_cmd_srm, dcx_cmd_analyze,
    dcx_cmd_aggregate, dcx_cmd_maturity_score, dcx_cmd_maturity_validate,
    dcx_cmd_maturity_template, dcx_cmd_maturity_compare, dcx_cmd_plot, dcx_cmd_report,
    dcx_cmd_sql, dcx_cmd_bandit;

static const dcx_command_t *const commands[] = {
    &dcx_cmd_assign,          &dcx_cmd_power,           &dcx_cmd_srm,
    &dcx_cmd_analyze,         &dcx_cmd_aggregate,       &dcx_cmd_maturity_score,
    &dcx_cmd_maturity_validate, &dcx_cmd_maturity_template, &dcx_cmd_maturity_compare,
    &dcx_cmd_plot,            &dcx_cmd_report,          &dcx_cmd_sql,
    &dcx_cmd_bandit,
    NULL};

const dcx_command_t *const *dcx_command_list(void) { return commands; }

/* Other spellings of command names: British English. */
static const struct {
    const char *alias;
    const dcx_command_t *cmd;
} aliases[] = {{"analyse", &dcx_cmd_analyze}};

const dcx_command_t *dcx_command_find(const char *name)
{
    for (size_t i = 0; commands[i]; i++)
        if (!strcmp(commands[i]->name, name))
            return commands[i];
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (!strcmp(aliases[i].alias, name))
            return aliases[i].cmd;
    return NULL;
}

/* The first words of two-word commands ("maturity score"). */
static const char *const groups[] = {"maturity"};

/* Is word near name: within edit distance 2 (*d), or a beginning of it of 3 letters or more? */
static int near(const char *word, size_t n, const char *name, size_t *d)
{
    *d = dcx_edit_distance(word, n, name, strlen(name), 2);
    if (*d <= 2)
        return 1;
    if (n >= 3 && n < strlen(name) && !strncmp(name, word, n)) {
        *d = 2;
        return 1;
    }
    return 0;
}

const char *dcx_command_nearest(const char *word)
{
    size_t n = strlen(word), bestd = 3, d;
    const char *best = NULL;
    for (size_t i = 0; commands[i]; i++)
        if (!strchr(commands[i]->name, ' ') && near(word, n, commands[i]->name, &d) && d < bestd)
            bestd = d, best = commands[i]->name;
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        if (near(word, n, groups[i], &d) && d < bestd)
            bestd = d, best = groups[i];
    return best;
}

void *dcx_command_new_opts(const dcx_command_t *cmd, dcx_error_t *err)
{
    void *o = calloc(1, cmd->opts_size);
    if (!o) {
        dcx_error_set(err, DCX_ENOMEM, "out of memory");
        return NULL;
    }
    if (dcx_opts_init(cmd->options, o, err)) {
        dcx_command_free_opts(cmd, o);
        return NULL;
    }
    /* unset, whether the table has the option or not (an unset number is NaN) */
    ((dcx_common_opts_t *)o)->max_field_mb = NAN;
    return o;
}

void dcx_command_free_opts(const dcx_command_t *cmd, void *opts)
{
    if (!opts)
        return;
    dcx_opts_free(cmd->options, opts);
    dcx_common_opts_t *common = opts; /* filled by front ends where no option names it */
    free(common->gnuplot);
    free(opts);
}

const dcx_option_t *dcx_command_option(const dcx_command_t *cmd, unsigned flags)
{
    for (const dcx_option_t *o = cmd->options; o && o->name; o++)
        if ((o->flags & flags) == flags)
            return o;
    return NULL;
}

/* The options every command shares that set up the library for a run: the CSV field
 * limit (--max-field-mb) for the readers the run opens. */
static dcx_status_t begin_run(const void *opts, dcx_error_t *err)
{
    double mb = ((const dcx_common_opts_t *)opts)->max_field_mb;
    if (isnan(mb)) {
        dcx_csv_set_max_field(0);
        return DCX_OK;
    }
    if (!(mb > 0) || mb > 1048576.0) /* over a tebibyte is no limit a machine can hold */
        return dcx_error_set(err, DCX_EINVAL, "--max-field-mb must be a number of mebibytes "
                                              "above 0 and at most 1048576");
    dcx_csv_set_max_field((size_t)(mb * 1048576.0));
    return DCX_OK;
}

dcx_status_t dcx_command_stream(const dcx_command_t *cmd, const void *opts, FILE *out,
                                dcx_strlist_t *warnings, dcx_error_t *err)
{
    if (!cmd->stream)
        return dcx_error_set(err, DCX_EINVAL, "%s: not a command that writes a stream", cmd->name);
    dcx_status_t st = begin_run(opts, err);
    if (!st)
        st = cmd->stream(opts, out, warnings, err);
    dcx_csv_set_max_field(0);
    return st;
}

dcx_status_t dcx_command_run(const dcx_command_t *cmd, const void *opts, cJSON **doc,
                             dcx_error_t *err)
{
    *doc = NULL;
    if (!cmd->run)
        return dcx_error_set(err, DCX_EINVAL, "%s: not a command that builds a document", cmd->name);
    dcx_status_t st = begin_run(opts, err);
    if (st)
        return st;
    st = cmd->run(opts, doc, err);
    dcx_csv_set_max_field(0);
    const dcx_option_t *po = dcx_command_option(cmd, DCX_OPTF_PLOT);
    const char *plot = po ? *(char *const *)((const char *)opts + po->offset) : NULL;
    if (*doc && plot && (st == DCX_OK || st == DCX_EGATE)) {
        const dcx_common_opts_t *common = opts;
        dcx_error_t perr;
        dcx_error_clear(&perr);
        dcx_plot_style_t sty = {.gnuplot = common->gnuplot};
        if (dcx_plot_render((dcx_plot_kind_t)cmd->plot_kind, *doc, plot, &sty, &perr)) {
            cJSON_Delete(*doc);
            *doc = NULL;
            if (err)
                *err = perr;
            return perr.code;
        }
    }
    return st;
}

dcx_status_t dcx_command_run_doc(const dcx_command_t *cmd, const void *opts, dcx_doc_t *doc,
                                 dcx_error_t *err)
{
    memset(doc, 0, sizeof *doc);
    const dcx_option_t *po = dcx_command_option(cmd, DCX_OPTF_PLOT);
    const char *plot = po ? *(char *const *)((const char *)opts + po->offset) : NULL;
    if (!cmd->run_doc || plot) { /* a plot is drawn from the whole document */
        cJSON *root = NULL;
        dcx_status_t st = dcx_command_run(cmd, opts, &root, err);
        doc->root = root;
        return st;
    }
    dcx_status_t st = begin_run(opts, err);
    if (st)
        return st;
    st = cmd->run_doc(opts, doc, err);
    dcx_csv_set_max_field(0);
    return st;
}

dcx_status_t dcx_command_view_doc(const dcx_command_t *cmd, FILE *out, const dcx_doc_t *doc,
                                  int format, dcx_error_t *err)
{
    if (cmd->view_doc)
        return cmd->view_doc(out, doc, format, err);
    if (cmd->view && !doc->nstreams)
        return cmd->view(out, doc->root, format, err);
    return dcx_view_write_doc(out, doc, (dcx_format_t)format, cmd->csv_rows, err);
}
