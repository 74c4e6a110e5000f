/* sql_cmd.c — `dcx sql`: its options and its entry in the registry. */
#include <stddef.h>

#include "dcx/command.h"
#include "dcx/sql.h"

const dcx_option_t dcx_sql_options[] = {
    {"dialect", DCX_OPT_CHOICE, offsetof(dcx_sql_opts_t, dialect), NULL, "D",
     "postgres|sqlite|duckdb|bigquery|snowflake|spark", "the warehouse's SQL dialect", 0},
    {"table", DCX_OPT_STRING, offsetof(dcx_sql_opts_t, table), NULL, "T", NULL,
     "table (or view) of units, schema-qualified with dots if need be", 0},
    {"metric", DCX_OPT_LIST, offsetof(dcx_sql_opts_t, metric), NULL, "NAME:TYPE", NULL,
     "metric: NAME:binary, NAME:mean, NAME:ratio=NUM/DEN, NAME:nps or NAME:quantile=Q (repeat)", 0},
    {"metrics", DCX_OPT_JSON, offsetof(dcx_sql_opts_t, metrics), NULL, "FILE.json", NULL,
     "metric definitions (as for dcx analyze): their types, columns, caps and CUPED covariates; "
     "--metric, --cap and --cuped flags add to them", DCX_OPTF_INPUT},
    {"segment", DCX_OPT_LIST, offsetof(dcx_sql_opts_t, segment), NULL, "COL", NULL,
     "also summarise each level of COL (repeat)", 0},
    {"cuped", DCX_OPT_LIST, offsetof(dcx_sql_opts_t, cuped), NULL, "METRIC=COV", NULL,
     "carry covariate COV of METRIC in sum2, sum2_sq, sum_cross; a ratio's pair COVNUM/COVDEN "
     "in sum3 .. sum_cross34 (repeat)", 0},
    {"variant-column", DCX_OPT_STRING, offsetof(dcx_sql_opts_t, variant_column), "variant", "COL",
     NULL, "column holding the variant", 0},
    {"cap", DCX_OPT_LIST, offsetof(dcx_sql_opts_t, cap), NULL, "METRIC=CAP", NULL,
     "winsorize METRIC at VALUE, pQ or pL:pU of its pooled values, computed in the warehouse (repeat)", 0},
    {"cap-ignore-zeros", DCX_OPT_LIST, offsetof(dcx_sql_opts_t, cap_ignore_zeros), NULL, "METRIC", NULL,
     "percentile thresholds of METRIC from its non-zero values; zeros stay zero (repeat)", 0},
    {"cap-approx", DCX_OPT_FLAG, offsetof(dcx_sql_opts_t, cap_approx), NULL, NULL, NULL,
     "percentile thresholds by the warehouse's approximate percentile (BigQuery, Snowflake, Spark, DuckDB)", 0},
    {"post-stratify", DCX_OPT_STRING, offsetof(dcx_sql_opts_t, post_stratify), NULL, "COL", NULL,
     "refused with the reason: the summary has no stratum column (post-stratify with dcx "
     "analyze --input)", 0},
    {"output", DCX_OPT_STRING, offsetof(dcx_sql_opts_t, common.output), NULL, "FILE", NULL,
     "write the query to FILE instead of standard output", DCX_OPTF_OUTPUT},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

static dcx_status_t stream_sql(const void *o, FILE *out, dcx_strlist_t *w, dcx_error_t *err)
{
    (void)w;
    return dcx_sql_query(o, out, err);
}

const dcx_command_t dcx_cmd_sql = {
    "sql", "one SQL query computing the summary CSV inside a warehouse",
    "dcx sql --dialect postgres|sqlite|duckdb|bigquery|snowflake|spark --table T\n"
    "               (--metric NAME:TYPE ... | --metrics FILE.json) [--segment COL ...]\n"
    "               [--cuped METRIC=COV ...] [--variant-column variant] [--cap METRIC=CAP ...]\n"
    "               [--cap-ignore-zeros METRIC ...] [--cap-approx]",
    dcx_sql_options, sizeof(dcx_sql_opts_t), NULL, NULL, stream_sql, NULL, NULL, NULL, 0, 0, NULL, NULL};
