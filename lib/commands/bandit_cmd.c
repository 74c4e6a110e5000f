/* bandit_cmd.c — options of `dcx bandit`. */
#include <stddef.h>

#include "dcx/analysis.h"
#include "dcx/command.h"

#define OPT(field) offsetof(dcx_bandit_opts_t, field)

const dcx_option_t dcx_bandit_options[] = {
    {"input", DCX_OPT_STRING, OPT(input), NULL, "RESULT.json", NULL,
     "a dcx analyze result (JSON) of the period so far", DCX_OPTF_INPUT},
    {"metric", DCX_OPT_STRING, OPT(metric), NULL, "M", NULL,
     "the metric the bandit optimises (its overall rows; its direction says which way is better)", 0},
    {"top-two", DCX_OPT_FLAG, OPT(top_two), NULL, NULL, NULL,
     "top-two Thompson sampling: weight by the chance of being best or second best", 0},
    {"min-weight", DCX_OPT_NUMBER, OPT(min_weight), "0.01", "W", NULL,
     "every variant keeps at least this weight (before the weights are rescaled to sum to 1)", 0},
    {"config", DCX_OPT_STRING, OPT(config), NULL, "EXP.json", NULL,
     "the experiment config to update: its key, seed and other members are kept", DCX_OPTF_INPUT},
    {"key", DCX_OPT_STRING, OPT(key), NULL, "NAME", NULL,
     "the experiment key of a new config (without --config)", 0},
    {"output", DCX_OPT_STRING, OPT(common.output), NULL, "FILE", NULL,
     "write to FILE (replaced only on success) instead of standard output", DCX_OPTF_OUTPUT},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

static dcx_status_t run_bandit(const void *o, struct cJSON **doc, dcx_error_t *err)
{
    return dcx_bandit(o, doc, err);
}

const dcx_command_t dcx_cmd_bandit = {
    "bandit", "Thompson-sampling weights for the next period, as an experiment config",
    "dcx bandit --input RESULT.json --metric M (--config EXP.json | --key NAME)\n"
    "                  [--top-two] [--min-weight 0.01] [--output EXP-NEXT.json]",
    dcx_bandit_options, sizeof(dcx_bandit_opts_t), NULL, run_bandit, NULL, NULL, NULL,
    NULL, 0, 0, NULL, NULL};
