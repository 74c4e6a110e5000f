/* plan_cmds.c — the `power` and `srm` commands: options, validation, documents. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/analysis.h"
#include "dcx/command.h"
#include "dcx/plot.h"
#include "dcx/planning.h"
#include "dcx/version.h"
#include "dcx/view.h"
#include "doc_util.h"
#include "optparse.h"

#define FORMAT_OPTION(type)                                                                   \
    {"output", DCX_OPT_STRING, offsetof(type, common.output), NULL, "FILE", NULL,             \
     "write to FILE (replaced only on success) instead of standard output", DCX_OPTF_OUTPUT},                  \
        {"format", DCX_OPT_CHOICE, offsetof(type, common.format), NULL, "FMT",                \
         "table|json|csv|markdown", "output format: table, json, csv or markdown", DCX_OPTF_FORMAT}

const dcx_option_t dcx_power_options[] = {
    {"baseline", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, baseline), NULL, "P", NULL,
     "binary metric: control conversion rate, in (0, 1)", 0},
    {"mean", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, mean), NULL, "M", NULL,
     "continuous metric: control mean (needed for --relative)", 0},
    {"sd", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, sd), NULL, "S", NULL,
     "continuous metric: standard deviation", 0},
    {"mde", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, mde), NULL, "D", NULL,
     "minimum detectable effect, absolute difference unless --relative", 0},
    {"relative", DCX_OPT_FLAG, offsetof(dcx_power_opts_t, relative), NULL, NULL, NULL,
     "--mde (and the reported mde) is relative to the baseline or mean", 0},
    {"alpha", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, alpha), "0.05", "A", NULL,
     "two-sided significance level (family-wise over the comparisons)", 0},
    {"power", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, power), NULL, "PW", NULL,
     "target power [default: 0.8]; give two of --mde, --n and --power", 0},
    {"variants", DCX_OPT_INT, offsetof(dcx_power_opts_t, variants), "2", "K", NULL,
     "number of variants incl. control; alpha is split over the K-1 comparisons", 0},
    {"ratio", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, ratio), "1", "R", NULL,
     "units in each treatment per unit in control", 0},
    {"n", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, n), NULL, "N", NULL,
     "control units: solve for the MDE (or, with --mde, for the power)", 0},
    {"sequential", DCX_OPT_FLAG, offsetof(dcx_power_opts_t, sequential), NULL, NULL, NULL,
     "the power of the always-valid sequential test (mSPRT, as dcx analyze --method sequential)", 0},
    {"tuning", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, tuning), "5000", "N", NULL,
     "sequential: the mSPRT tuning N*", 0},
    {"current-n", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, current_n), NULL, "N", NULL,
     "units per variant so far in a running test: adds power_now and additional_n_per_variant", 0},
    {"config", DCX_OPT_STRING, offsetof(dcx_power_opts_t, config), NULL, "EXP.json", NULL,
     "the experiment config: its variants and shares set --variants and --ratio", DCX_OPTF_INPUT},
    {"daily-units", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, daily_units), NULL, "N", NULL,
     "units entering the test per day, to report the duration in days", 0},
    {"plot", DCX_OPT_STRING, offsetof(dcx_power_opts_t, plot), NULL, "FILE", NULL,
     "also write a power curve to FILE (.png, .svg or .pdf)", DCX_OPTF_PLOT | DCX_OPTF_WRITES},
    FORMAT_OPTION(dcx_power_opts_t),
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

dcx_status_t dcx_power_spec_from_opts(const dcx_power_opts_t *o, dcx_power_spec_t *s,
                                      dcx_error_t *err)
{
    dcx_power_spec_init(s);
    int binary = !isnan(o->baseline), mean = !isnan(o->sd) || !isnan(o->mean);
    if (binary && mean)
        return dcx_error_set(err, DCX_EINVAL,
                             "give either --baseline (binary) or --mean/--sd (continuous)");
    if (!binary && !mean)
        return dcx_error_set(err, DCX_EINVAL,
                             "missing --baseline P (binary metric) or --sd S (continuous)");
    if (mean && isnan(o->sd))
        return dcx_error_set(err, DCX_EINVAL, "a continuous metric needs --sd");
    s->kind = binary ? DCX_POWER_BINARY : DCX_POWER_MEAN;
    s->baseline = o->baseline;
    s->mean = isnan(o->mean) ? 0 : o->mean;
    s->sd = o->sd;
    s->mde = o->mde;
    s->relative = o->relative;
    s->alpha = o->alpha;
    s->power = isnan(o->power) ? 0.8 : o->power;
    s->variants = o->variants;
    s->ratio = o->ratio;
    s->n = o->n;
    s->sequential = o->sequential;
    s->tuning = o->tuning;
    if (!isnan(o->power) && !isnan(o->n) && !isnan(o->mde))
        return dcx_error_set(err, DCX_EINVAL, "give two of --mde, --n and --power (the third is "
                                              "solved for)");
    if (o->sequential && !(o->tuning > 0 && isfinite(o->tuning)))
        return dcx_error_set(err, DCX_EINVAL, "--tuning must be > 0");
    if (!isnan(o->current_n) && !(o->current_n >= 1 && isfinite(o->current_n)))
        return dcx_error_set(err, DCX_EINVAL, "--current-n must be >= 1");
    if (o->config) {
        double wc, wt;
        dcx_status_t st = dcx_config_shares(o->config, &s->variants, &wc, &wt, err);
        if (st)
            return st;
        s->ratio = wt / wc;
    }
    if (isnan(o->n)) {
        if (isnan(o->mde))
            return dcx_error_set(err, DCX_EINVAL,
                                 "missing --mde D (or --n N to solve for the MDE)");
        s->solve = DCX_SOLVE_N;
    } else {
        s->solve = isnan(o->mde) ? DCX_SOLVE_MDE : DCX_SOLVE_POWER;
    }
    if (!isnan(o->daily_units) && !(o->daily_units > 0))
        return dcx_error_set(err, DCX_EINVAL, "--daily-units must be > 0");
    return DCX_OK;
}

static dcx_status_t run_power(const void *vo, cJSON **out, dcx_error_t *err)
{
    const dcx_power_opts_t *o = vo;
    dcx_power_spec_t s;
    dcx_power_result_t r;
    dcx_status_t st = dcx_power_spec_from_opts(o, &s, err);
    if (st)
        return st;
    if ((st = dcx_power_solve(&s, &r, err)))
        return st;
    doc_begin();
    cJSON *d = cJSON_CreateObject();
    if (!d)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    static const char *solved[] = {"n", "mde", "power"};
    doc_num(d, "n_per_variant", r.n_per_variant);
    doc_num(d, "n_total", r.n_total);
    doc_num(d, "mde", r.mde);
    doc_num_or_null(d, "mde_relative", r.mde_relative,
                    s.kind == DCX_POWER_BINARY ? "baseline is 0" : "give --mean for a relative MDE");
    doc_num(d, "power", r.power);
    doc_num(d, "alpha", r.alpha);
    if (!isnan(o->daily_units))
        doc_num(d, "days", ceil(r.n_total / o->daily_units * (1 - 1e-12)));
    if (s.sequential) {
        doc_bool(d, "sequential", 1);
        doc_num(d, "tuning", s.tuning);
    }
    if (!isnan(o->current_n)) {
        /* a running test: the power it has now, and the units per variant still to come */
        doc_num(d, "current_n", o->current_n);
        doc_num(d, "power_now", dcx_power_at(&s, o->current_n, r.mde));
        doc_num(d, "additional_n_per_variant", fmax(0, r.n_per_variant - o->current_n));
    }
    doc_str(d, "metric", s.kind == DCX_POWER_BINARY ? "binary" : "mean");
    doc_str(d, "solved_for", solved[s.solve]);
    if (s.kind == DCX_POWER_BINARY) {
        doc_num(d, "baseline", s.baseline);
        doc_num(d, "treatment_rate", s.baseline + r.mde);
    } else {
        doc_num(d, "mean", s.mean);
        doc_num(d, "sd", s.sd);
    }
    doc_num(d, "n_control_exact", r.n_control);
    doc_num(d, "n_treatment", r.n_treatment);
    doc_num(d, "variants", s.variants);
    doc_num(d, "ratio", s.ratio);
    doc_num(d, "alpha_per_comparison", r.alpha_comparison);
    doc_num(d, "power_achieved", r.power_achieved);
    doc_str(d, "dcx_version", dcx_version());
    if (doc_oom(d)) {
        cJSON_Delete(d);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    *out = d;
    return DCX_OK;
}

const dcx_option_t dcx_srm_options[] = {
    {"counts", DCX_OPT_LIST, offsetof(dcx_srm_opts_t, counts), NULL, "NAME=N,...", NULL,
     "observed units per variant: NAME=COUNT pairs, or counts in --variants order", 0},
    {"config", DCX_OPT_STRING, offsetof(dcx_srm_opts_t, config), NULL, "EXP.json", NULL,
     "the experiment config: variant names, order and weights", DCX_OPTF_INPUT},
    {"weights", DCX_OPT_LIST, offsetof(dcx_srm_opts_t, weights), NULL, "NAME=W,...", NULL,
     "designed shares (or percentages summing to 100): NAME=SHARE pairs, or a list in --variants order [default: equal]", 0},
    {"variants", DCX_OPT_LIST, offsetof(dcx_srm_opts_t, names), NULL, "NAME", NULL,
     "variant names in the order of --counts (repeat, or comma-separate)", 0},
    {"threshold", DCX_OPT_NUMBER, offsetof(dcx_srm_opts_t, threshold), "0.001", "P", NULL,
     "report a mismatch when the p-value is below P", 0},
    {"fail-on-srm", DCX_OPT_FLAG, offsetof(dcx_srm_opts_t, fail_on_srm), NULL, NULL, NULL,
     "exit with status 4 when there is a mismatch", 0},
    FORMAT_OPTION(dcx_srm_opts_t),
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

static dcx_status_t run_srm(const void *vo, cJSON **out, dcx_error_t *err)
{
    return dcx_srm(vo, out, err);
}

const dcx_command_t dcx_cmd_power = {
    "power", "sample size, minimum detectable effect or power of an A/B test",
    "dcx power --baseline P --mde D [--relative] [--alpha 0.05] [--power 0.8]\n"
    "                 [--variants 2] [--ratio 1] [--daily-units N] [--format FMT]\n"
    "       dcx power --mean M --sd S --mde D ...\n"
    "       dcx power --baseline P --n N ...          (solve for the MDE)\n"
    "       dcx power --baseline P --n N --mde D ...  (solve for the power)\n"
    "       dcx power ... [--sequential [--tuning N]] [--current-n N] [--config EXP.json]",
    dcx_power_options, sizeof(dcx_power_opts_t), NULL, run_power, NULL, dcx_power_view, NULL,
    NULL, 0, DCX_PLOT_POWER, NULL, NULL};

const dcx_command_t dcx_cmd_srm = {
    "srm", "sample-ratio-mismatch check of observed variant counts",
    "dcx srm --counts N1,N2[,...] [--weights W1,W2,...] [--variants NAMES]\n"
    "       dcx srm --counts NAME=N,... (--config EXP.json | --weights NAME=W,...)\n"
    "               [--threshold 0.001] [--fail-on-srm] [--format FMT]",
    dcx_srm_options, sizeof(dcx_srm_opts_t), NULL, run_srm, NULL, NULL, NULL,
    NULL, 0, 0, NULL, NULL};
