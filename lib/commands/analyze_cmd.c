/* analyze_cmd.c — options of `dcx analyze` and `dcx aggregate`. */
#include <stddef.h>

#include "dcx/analysis.h"
#include "dcx/command.h"
#include "dcx/plot.h"
#include "dcx/view.h"

#include <cjson/cJSON.h>

#define OPT(type, field) offsetof(type, field)

const dcx_option_t dcx_analyze_options[] = {
    {"input", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, input), NULL, "UNITS.csv", NULL,
     "unit-level CSV: one row per randomisation unit ('-' for standard input)", DCX_OPTF_INPUT},
    {"summary", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, summary), NULL, "STATS.csv", NULL,
     "summary CSV of sufficient statistics (several files add up)", DCX_OPTF_INPUT},
    {"metric", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, metric), NULL, "NAME[:TYPE]", NULL,
     "metric to compare; TYPE binary, mean, ratio=NUM/DEN, nps or quantile=Q (repeat)", 0},
    {"metrics", DCX_OPT_JSON, OPT(dcx_analyze_opts_t, metrics), NULL, "FILE.json", NULL,
     "metric definitions (name, type, column, role, margin, direction, cap, ...); flags add "
     "metrics and override a definition's role, direction, margin or cap", DCX_OPTF_INPUT},
    {"variant-column", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, variant_column), "variant", "COL",
     NULL, "column holding the variant", 0},
    {"control", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, control), NULL, "NAME", NULL,
     "control variant (default: 'control', else the first in sort order)", 0},
    {"segment", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, segment), NULL, "COL", NULL,
     "also compare within each level of COL (repeat)", 0},
    {"time-column", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, time_column), NULL, "COL", NULL,
     "period column: adds a cumulative timeline", 0},
    {"cuped", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, cuped), NULL, "METRIC=COV", NULL,
     "CUPED variance reduction of METRIC with pre-period covariate column COV; a ratio metric "
     "takes the pair COVNUM/COVDEN (repeat)", 0},
    {"method", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, method), "frequentist", "M",
     "frequentist|bayesian|sequential|group-sequential",
     "inference: frequentist, bayesian, sequential (mSPRT) or group-sequential (alpha spending "
     "over the --time-column periods as looks)", 0},
    {"looks", DCX_OPT_NUMBER, OPT(dcx_analyze_opts_t, looks), NULL, "K", NULL,
     "group-sequential: the number of planned looks (1 to 100); the timeline's periods are the "
     "looks taken", 0},
    {"spending", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, spending), "obrien-fleming", "S",
     "obrien-fleming|pocock", "group-sequential: Lan-DeMets spending function", 0},
    {"difference", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, difference), "absolute", "D",
     "absolute|relative",
     "absolute, or relative: the test, p-value and interval on the lift (delta method)", 0},
    {"lift-interval", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, lift_interval), "fieller", "I",
     "fieller|log|delta",
     "fixed-horizon lift_ci: Fieller's interval, the delta method on log(m_t/m_c), or the delta "
     "method on the lift (GrowthBook's)", 0},
    {"prior", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, prior), NULL, "METRIC=MEAN,SD", NULL,
     "bayesian: a normal prior N(MEAN, SD^2) on METRIC's relative effect (repeat)", 0},
    {"post-stratify", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, post_stratify), NULL, "COL", NULL,
     "post-stratified estimates over the values of COL, a pre-exposure column (binary and mean "
     "metrics, with or without --cuped, and ratio metrics; unit-level input)", 0},
    {"alpha", DCX_OPT_NUMBER, OPT(dcx_analyze_opts_t, alpha), "0.05", "A", NULL,
     "significance level (two-sided)", 0},
    {"test", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, test), "auto", "T",
     "auto|z|fisher|welch|mann-whitney",
     "auto (z / Welch), z, fisher (binary), welch, mann-whitney (mean)", 0},
    {"correction", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, correction), "none", "C",
     "none|bonferroni|holm|hochberg|bh|by",
     "multiple-testing correction within each family: goal, secondary, each metric x segment "
     "column (the goal family by holm when none)", 0},
    {"srm-threshold", DCX_OPT_NUMBER, OPT(dcx_analyze_opts_t, srm_threshold), "0.001", "P", NULL,
     "sample-ratio mismatch when the SRM p-value is below P", 0},
    {"fail-on-srm", DCX_OPT_FLAG, OPT(dcx_analyze_opts_t, fail_on_srm), NULL, NULL, NULL,
     "exit with status 4 on a sample-ratio mismatch (overall or in a segment level)", 0},
    {"config", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, config), NULL, "EXP.json", NULL,
     "the experiment config assign used: variants, their order, weights and control", DCX_OPTF_INPUT},
    {"weights", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, weights), NULL, "NAME=W,...", NULL,
     "designed shares (or percentages summing to 100), as NAME=SHARE pairs or a list in --variants order [default: equal]", 0},
    {"variants", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, variants), NULL, "NAMES", NULL,
     "expected variants in order (comma-separated); missing ones count as 0 in the SRM", 0},
    {"tuning", DCX_OPT_NUMBER, OPT(dcx_analyze_opts_t, tuning), "5000", "N", NULL,
     "sequential: mSPRT tuning N* (sample size the mixture is tuned for)", 0},
    {"tau", DCX_OPT_NUMBER, OPT(dcx_analyze_opts_t, tau), NULL, "TAU2", NULL,
     "sequential: mixture variance tau^2 (overrides --tuning)", 0},
    {"period", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, period), "day", "P", "day|week|month",
     "timeline: group ISO dates and timestamps by day, ISO week (Monday first) or month", 0},
    {"goal", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, goal), NULL, "METRIC", NULL,
     "METRIC is a goal: the goal metrics decide ship or no-ship; others are secondary (repeat)", 0},
    {"direction", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, direction), NULL, "METRIC=DIR", NULL,
     "the good direction of METRIC: increase or decrease [default: increase] (repeat)", 0},
    {"guardrail", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, guardrail), NULL, "METRIC=MARGIN", NULL,
     "METRIC must not get worse by more than MARGIN (absolute, or with % relative to control) (repeat)", 0},
    {"one-sided", DCX_OPT_FLAG, OPT(dcx_analyze_opts_t, one_sided), NULL, NULL, NULL,
     "test goal and secondary metrics in their good direction only (one-sided p-values and intervals)", 0},
    {"cap", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, cap), NULL, "METRIC=CAP", NULL,
     "winsorize METRIC at VALUE, at percentile pQ, or at pL:pU of the pooled values (repeat)", 0},
    {"cap-ignore-zeros", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, cap_ignore_zeros), NULL, "METRIC",
     NULL, "METRIC's percentile cap is taken over its non-zero values, and zeros stay 0 (repeat)", 0},
    {"where", DCX_OPT_LIST, OPT(dcx_analyze_opts_t, where), NULL, "COL=V,...", NULL,
     "analyse only rows whose COL is one of the values (COL!=V,...: none of them); all must hold (repeat)", 0},
    {"unit-column", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, unit_column), NULL, "COL", NULL,
     "the unit id: units under two variants are left out and counted, a unit twice in one is an error", 0},
    {"delimiter", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, delimiter), ",", "C", NULL,
     "field separator of the input CSV: ',', ';', '\\t' (tab) or '|'", 0},
    {"max-field-mb", DCX_OPT_NUMBER, OPT(dcx_analyze_opts_t, common.max_field_mb), NULL, "MB", NULL,
     "refuse a CSV field longer than MB mebibytes [default: 64]", 0},
    {"plot", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, plot), NULL, "FILE", NULL,
     "also write a forest plot to FILE (.png, .svg or .pdf)", DCX_OPTF_PLOT | DCX_OPTF_WRITES},
    {"rows", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, rows), "flagged", "R", "flagged|overall|all",
     "segment levels the table and Markdown views list: those whose split is off or whose effect "
     "differs, none, or all (JSON, CSV and workbooks hold every row)", 0},
    /* the same name, set by a table instead of text: dcx.analyze{rows = TABLE} from Lua. It
     * comes after --rows, which the command line (that cannot set it) finds first. */
    {"rows", DCX_OPT_ROWS, OPT(dcx_analyze_opts_t, units), NULL, NULL, NULL,
     "unit rows in memory, instead of --input (Lua)", 0},
    {"output", DCX_OPT_STRING, OPT(dcx_analyze_opts_t, common.output), NULL, "FILE", NULL,
     "write to FILE (replaced only on success) instead of standard output", DCX_OPTF_OUTPUT},
    {"format", DCX_OPT_CHOICE, OPT(dcx_analyze_opts_t, common.format), NULL, "FMT",
     "table|json|csv|markdown|xlsx",
     "output format: table, json, csv, markdown or xlsx (an Excel workbook; needs --output)", DCX_OPTF_FORMAT},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

const dcx_option_t dcx_aggregate_options[] = {
    {"input", DCX_OPT_STRING, OPT(dcx_aggregate_opts_t, input), NULL, "UNITS.csv", NULL,
     "unit-level CSV ('-' for standard input)", DCX_OPTF_INPUT},
    {"metric", DCX_OPT_LIST, OPT(dcx_aggregate_opts_t, metric), NULL, "NAME[:TYPE]", NULL,
     "metric (repeat), as for dcx analyze", 0},
    {"variant-column", DCX_OPT_STRING, OPT(dcx_aggregate_opts_t, variant_column), "variant", "COL",
     NULL, "column holding the variant", 0},
    {"segment", DCX_OPT_LIST, OPT(dcx_aggregate_opts_t, segment), NULL, "COL", NULL,
     "also summarise each level of COL (repeat)", 0},
    {"cuped", DCX_OPT_LIST, OPT(dcx_aggregate_opts_t, cuped), NULL, "METRIC=COV", NULL,
     "carry covariate COV of METRIC in sum2, sum2_sq, sum_cross; a ratio's pair COVNUM/COVDEN "
     "in sum3 .. sum_cross34 (repeat)", 0},
    {"merge", DCX_OPT_LIST, OPT(dcx_aggregate_opts_t, merge), NULL, "SUMMARY.csv", NULL,
     "add up summary files (shards) instead of reading --input", DCX_OPTF_INPUT},
    {"delimiter", DCX_OPT_STRING, OPT(dcx_aggregate_opts_t, delimiter), ",", "C", NULL,
     "field separator of the input CSV: ',', ';', '\\t' (tab) or '|'", 0},
    {"max-field-mb", DCX_OPT_NUMBER, OPT(dcx_aggregate_opts_t, common.max_field_mb), NULL, "MB", NULL,
     "refuse a CSV field longer than MB mebibytes [default: 64]", 0},
    {"output", DCX_OPT_STRING, OPT(dcx_aggregate_opts_t, common.output), NULL, "FILE", NULL,
     "write to FILE (replaced only on success) instead of standard output", DCX_OPTF_OUTPUT},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

/* The result, and the settings it was computed with (reports record them). */
static dcx_status_t run_analyze(const void *o, struct cJSON **doc, dcx_error_t *err)
{
    return dcx_doc_add_settings(dcx_analyze(o, doc, err), doc, dcx_analyze_options, o, err);
}

/* The same, its results and srm_segments made as a view writes them. */
static dcx_status_t run_analyze_doc(const void *o, dcx_doc_t *doc, dcx_error_t *err)
{
    dcx_status_t st = dcx_analyze_doc(o, doc, err);
    if (doc->root && dcx_doc_add_settings(DCX_OK, &doc->root, dcx_analyze_options, o, err)) {
        dcx_doc_free(doc); /* the settings could not be added: the root is gone already */
        return DCX_ENOMEM;
    }
    return st;
}

static dcx_status_t stream_aggregate(const void *o, FILE *out, dcx_strlist_t *w, dcx_error_t *err)
{
    return dcx_aggregate_run(o, out, w, err);
}

const dcx_command_t dcx_cmd_analyze = {
    "analyze", "compare variants of an experiment: every metric, overall and per segment",
    "dcx analyze (--input UNITS.csv | --summary STATS.csv ...) (--metric NAME[:TYPE] ... | --metrics FILE.json)\n"
    "                   [--goal METRIC ...] [--guardrail METRIC=MARGIN ...] [--direction METRIC=DIR ...]\n"
    "                   [--segment COL ...] [--time-column COL] [--cuped METRIC=COV ...]\n"
    "                   [--post-stratify COL]\n"
    "                   [--method frequentist|bayesian|sequential|group-sequential] [--looks K]\n"
    "                   [--spending obrien-fleming|pocock] [--difference absolute|relative]\n"
    "                   [--prior METRIC=MEAN,SD ...] [--test T] [--correction C]\n"
    "                   [--control NAME] [--weights W,...] [--fail-on-srm] [--format FMT]",
    dcx_analyze_options, sizeof(dcx_analyze_opts_t), "results", run_analyze, NULL,
    dcx_analysis_view, "summary", NULL, DCX_CMD_XLSX, DCX_PLOT_FOREST, run_analyze_doc,
    dcx_analysis_view_doc};

const dcx_command_t dcx_cmd_aggregate = {
    "aggregate", "sufficient statistics (summary CSV) of unit-level data, or merge summaries",
    "dcx aggregate --input UNITS.csv --metric NAME[:TYPE] ... [--segment COL ...]\n"
    "                     [--cuped METRIC=COV ...] [--output FILE]\n"
    "       dcx aggregate --merge A.csv B.csv ... [--output FILE]",
    dcx_aggregate_options, sizeof(dcx_aggregate_opts_t), NULL, NULL, stream_aggregate, NULL,
    "merge", NULL, 0, 0, NULL, NULL};
