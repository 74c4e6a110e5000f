/* plan_cmds.c — the `power` and `srm` commands: options, validation, documents. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"
#include "design.h"
#include "doc_util.h"

#define FORMAT_OPTION(type)                                                                   \
    {"output", DCX_OPT_STRING, offsetof(type, common.output), NULL, "FILE", NULL,             \
     "write to FILE (replaced only on success) instead of standard output"},                  \
        {"format", DCX_OPT_CHOICE, offsetof(type, common.format), NULL, "FMT",                \
         "table|json|csv|markdown", "output format: table, json, csv or markdown"}

const dcx_option_t dcx_power_options[] = {
    {"baseline", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, baseline), NULL, "P", NULL,
     "binary metric: control conversion rate, in (0, 1)"},
    {"mean", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, mean), NULL, "M", NULL,
     "continuous metric: control mean (needed for --relative)"},
    {"sd", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, sd), NULL, "S", NULL,
     "continuous metric: standard deviation"},
    {"mde", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, mde), NULL, "D", NULL,
     "minimum detectable effect, absolute difference unless --relative"},
    {"relative", DCX_OPT_FLAG, offsetof(dcx_power_opts_t, relative), NULL, NULL, NULL,
     "--mde (and the reported mde) is relative to the baseline or mean"},
    {"alpha", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, alpha), "0.05", "A", NULL,
     "two-sided significance level (family-wise over the comparisons)"},
    {"power", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, power), "0.8", "PW", NULL,
     "target power"},
    {"variants", DCX_OPT_INT, offsetof(dcx_power_opts_t, variants), "2", "K", NULL,
     "number of variants incl. control; alpha is split over the K-1 comparisons"},
    {"ratio", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, ratio), "1", "R", NULL,
     "units in each treatment per unit in control"},
    {"n", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, n), NULL, "N", NULL,
     "control units: solve for the MDE (or, with --mde, for the power)"},
    {"daily-units", DCX_OPT_NUMBER, offsetof(dcx_power_opts_t, daily_units), NULL, "N", NULL,
     "units entering the test per day, to report the duration in days"},
    {"plot", DCX_OPT_STRING, offsetof(dcx_power_opts_t, plot), NULL, "FILE", NULL,
     "also write a power curve to FILE (.png, .svg or .pdf)"},
    FORMAT_OPTION(dcx_power_opts_t),
    {NULL, 0, 0, NULL, NULL, NULL, NULL}};

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
    s->power = o->power;
    s->variants = o->variants;
    s->ratio = o->ratio;
    s->n = o->n;
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
     "observed units per variant: NAME=COUNT pairs, or counts in --variants order"},
    {"config", DCX_OPT_STRING, offsetof(dcx_srm_opts_t, config), NULL, "EXP.json", NULL,
     "the experiment config: variant names, order and weights"},
    {"weights", DCX_OPT_LIST, offsetof(dcx_srm_opts_t, weights), NULL, "NAME=W,...", NULL,
     "designed shares: NAME=SHARE pairs, or a list in --variants order [default: equal]"},
    {"variants", DCX_OPT_LIST, offsetof(dcx_srm_opts_t, names), NULL, "NAME", NULL,
     "variant names in the order of --counts (repeat, or comma-separate)"},
    {"threshold", DCX_OPT_NUMBER, offsetof(dcx_srm_opts_t, threshold), "0.001", "P", NULL,
     "report a mismatch when the p-value is below P"},
    {"fail-on-srm", DCX_OPT_FLAG, offsetof(dcx_srm_opts_t, fail_on_srm), NULL, NULL, NULL,
     "exit with status 4 when there is a mismatch"},
    FORMAT_OPTION(dcx_srm_opts_t),
    {NULL, 0, 0, NULL, NULL, NULL, NULL}};

static dcx_status_t run_srm(const void *vo, cJSON **out, dcx_error_t *err)
{
    const dcx_srm_opts_t *o = vo;
    design_t ds;
    dcx_strlist_t items = {0}, names = {0};
    double *counts = NULL, *shares = NULL, *expected = NULL, *dcounts = NULL;
    char **cname = NULL;
    unsigned char *in_design = NULL;
    dcx_status_t st = design_build(o->config, &o->weights, &o->names, &ds, err);
    if (st)
        return st;
    if ((st = split_commas(&o->counts, &items, err)))
        goto done;
    size_t k = items.n, named = 0;
    if (k < 2) {
        st = dcx_error_set(err, DCX_EINVAL, "--counts needs at least two counts");
        goto done;
    }
    counts = calloc(k + ds.n + 1, sizeof *counts);
    cname = calloc(k + ds.n + 1, sizeof *cname);
    if (!counts || !cname) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < k && !st; i++) {
        if (parse_pair(items.v[i], &cname[i], &counts[i]))
            st = dcx_error_set(err, DCX_EINVAL, "--counts: '%s' is not a count (write NAME=COUNT or COUNT)",
                               items.v[i]);
        named += cname[i] != NULL;
    }
    if (!st && named && named != k)
        st = dcx_error_set(err, DCX_EINVAL, "--counts: give every count as NAME=COUNT, or none");
    if (st)
        goto done;
    int design_named = ds.n && !ds.equal_unnamed;
    /* the variants in order: the design's, then counted ones not in it */
    size_t n = 0;
    in_design = calloc(k + ds.n + 1, 1);
    dcounts = calloc(k + ds.n + 1, sizeof *dcounts);
    if (!in_design || !dcounts) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if (!named) {
        if (design_named && ds.n != k) {
            st = dcx_error_set(err, DCX_EINVAL, "%zu counts for %zu variants of the design", k, ds.n);
            goto done;
        }
        if (ds.equal_unnamed && ds.n != k) {
            st = dcx_error_set(err, DCX_EINVAL, "%zu weights for %zu counts", ds.n, k);
            goto done;
        }
        for (size_t i = 0; i < k && !st; i++) {
            if (design_named)
                st = dcx_strlist_push(&names, ds.names[i]) ? DCX_ENOMEM : DCX_OK;
            else
                st = dcx_strlist_pushf(&names, "v%zu", i + 1) ? DCX_ENOMEM : DCX_OK;
            dcounts[i] = counts[i];
            in_design[i] = 1;
        }
        n = k;
    } else {
        for (size_t i = 0; design_named && i < ds.n && !st; i++) {
            st = dcx_strlist_push(&names, ds.names[i]) ? DCX_ENOMEM : DCX_OK;
            in_design[n++] = 1;
        }
        for (size_t i = 0; i < k && !st; i++) {
            long at = -1;
            for (size_t j = 0; j < n; j++)
                if (!strcmp(names.v[j], cname[i]))
                    at = (long)j;
            if (at >= 0 && !design_named) {
                st = dcx_error_set(err, DCX_EINVAL, "--counts: '%s' is given twice", cname[i]);
                break;
            }
            if (at < 0) {
                st = dcx_strlist_push(&names, cname[i]) ? DCX_ENOMEM : DCX_OK;
                in_design[n] = !design_named;
                at = (long)n++;
            }
            dcounts[at] += counts[i];
        }
        if (ds.equal_unnamed && ds.n != n && !st)
            st = dcx_error_set(err, DCX_EINVAL, "%zu weights for %zu counts", ds.n, n);
    }
    if (st) {
        if (st == DCX_ENOMEM)
            dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    /* the check over the designed variants; one with units outside the design is a
     * mismatch of its own */
    shares = calloc(n + 1, sizeof *shares);
    expected = calloc(n + 1, sizeof *expected);
    double *dc = calloc(n + 1, sizeof *dc);
    if (!shares || !expected || !dc) {
        free(dc);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    size_t nd = 0, ndesigned = 0;
    int stray = 0;
    for (size_t i = 0; i < n; i++)
        ndesigned += in_design[i];
    for (size_t i = 0; i < n; i++) {
        if (!in_design[i]) {
            stray |= dcounts[i] > 0;
            continue;
        }
        double share = NAN;
        if (ds.n)
            share = ds.shares[design_named ? (size_t)design_find(&ds, names.v[i]) : i];
        dc[nd] = dcounts[i];
        shares[nd++] = isnan(share) ? 1.0 / (double)ndesigned : share; /* equal by default */
    }
    dcx_srm_result_t r;
    if (nd < 2)
        st = dcx_error_set(err, DCX_EINVAL, "fewer than two variants of the design have counts");
    else
        st = dcx_srm_check(dc, shares, nd, o->threshold, expected, &r, err);
    free(dc);
    if (st)
        goto done;
    if (stray)
        r.mismatch = 1;
    doc_begin();
    cJSON *d = cJSON_CreateObject(), *c = doc_obj(d, "counts"), *e = doc_obj(d, "expected");
    for (size_t i = 0, j = 0; i < n; i++) {
        doc_num_copykey(c, names.v[i], dcounts[i]);
        doc_num_copykey(e, names.v[i], in_design[i] ? expected[j++] : 0);
    }
    doc_num(d, "chi2", r.chi2);
    doc_num(d, "df", r.df);
    doc_num(d, "p_value", r.p_value);
    doc_bool(d, "mismatch", r.mismatch);
    doc_num(d, "threshold", o->threshold);
    doc_str(d, "dcx_version", dcx_version());
    if (stray)
        doc_str(d, "note", "a variant with units is not in the design: a mismatch of its own");
    if (doc_oom(d)) {
        cJSON_Delete(d);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    *out = d;
    if (r.mismatch && o->fail_on_srm)
        st = isfinite(r.p_value) && !stray
                 ? dcx_error_set(err, DCX_EGATE, "sample ratio mismatch: p = %.3g < %g", r.p_value,
                                 o->threshold)
                 : dcx_error_set(err, DCX_EGATE, "sample ratio mismatch: a variant is not in the design");
done:
    for (size_t i = 0; cname && i < items.n; i++)
        free(cname[i]);
    free(cname);
    free(counts);
    free(dcounts);
    free(in_design);
    free(shares);
    free(expected);
    dcx_strlist_free(&items);
    dcx_strlist_free(&names);
    design_free(&ds);
    return st;
}

const dcx_command_t dcx_cmd_power = {
    "power", "sample size, minimum detectable effect or power of an A/B test",
    "dcx power --baseline P --mde D [--relative] [--alpha 0.05] [--power 0.8]\n"
    "                 [--variants 2] [--ratio 1] [--daily-units N] [--format FMT]\n"
    "       dcx power --mean M --sd S --mde D ...\n"
    "       dcx power --baseline P --n N ...          (solve for the MDE)\n"
    "       dcx power --baseline P --n N --mde D ...  (solve for the power)",
    dcx_power_options, sizeof(dcx_power_opts_t), NULL, run_power, NULL, dcx_power_view, NULL};

const dcx_command_t dcx_cmd_srm = {
    "srm", "sample-ratio-mismatch check of observed variant counts",
    "dcx srm --counts N1,N2[,...] [--weights W1,W2,...] [--variants NAMES]\n"
    "       dcx srm --counts NAME=N,... (--config EXP.json | --weights NAME=W,...)\n"
    "               [--threshold 0.001] [--fail-on-srm] [--format FMT]",
    dcx_srm_options, sizeof(dcx_srm_opts_t), NULL, run_srm, NULL, NULL, NULL};
