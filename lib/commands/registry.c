/* registry.c — the registry of commands and their options structs. */
#include "dcx/command.h"

#include <stdlib.h>
#include <string.h>

extern const dcx_command_t dcx_cmd_assign, dcx_cmd_power, dcx_cmd_srm, dcx_cmd_analyze,
    dcx_cmd_aggregate, dcx_cmd_maturity_score, dcx_cmd_maturity_validate,
    dcx_cmd_maturity_template, dcx_cmd_maturity_compare, dcx_cmd_sql;

static const dcx_command_t *const commands[] = {&dcx_cmd_assign,  &dcx_cmd_power,
                                                 &dcx_cmd_srm,     &dcx_cmd_analyze,
                                                 &dcx_cmd_aggregate,
                                                 &dcx_cmd_maturity_score,
                                                 &dcx_cmd_maturity_validate,
                                                 &dcx_cmd_maturity_template,
                                                 &dcx_cmd_maturity_compare, &dcx_cmd_sql, NULL};

const dcx_command_t *const *dcx_command_list(void) { return commands; }

const dcx_command_t *dcx_command_find(const char *name)
{
    for (size_t i = 0; commands[i]; i++)
        if (!strcmp(commands[i]->name, name))
            return commands[i];
    return NULL;
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
    return o;
}

void dcx_command_free_opts(const dcx_command_t *cmd, void *opts)
{
    if (!opts)
        return;
    dcx_opts_free(cmd->options, opts);
    free(opts);
}
