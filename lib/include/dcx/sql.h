/* sql.h — `dcx sql`: one SQL query that computes the summary CSV of docs/formats.md inside a
 * warehouse, so data of any size is reduced where it lives and only the sufficient
 * statistics travel to `dcx analyze --summary`. */
#ifndef DCX_SQL_H
#define DCX_SQL_H

#include "dcx/api.h"

#include <stdio.h>

#include "dcx/error.h"
#include "dcx/options.h"

typedef struct {
    dcx_common_opts_t common;
    char *dialect;        /* postgres | sqlite | duckdb | bigquery | snowflake | spark */
    char *table;          /* table name, optionally schema-qualified with dots */
    dcx_strlist_t metric; /* as for dcx analyze; a type is required */
    dcx_strlist_t segment;
    dcx_strlist_t cuped;
    char *variant_column;
    dcx_strlist_t cap;    /* METRIC=VALUE | METRIC=pQ | METRIC=pL:pU, as for dcx analyze */
    dcx_strlist_t cap_ignore_zeros; /* metrics whose percentile thresholds skip zeros */
} dcx_sql_opts_t;

DCX_API extern const dcx_option_t dcx_sql_options[];

/* dcx_sql_query() : writes the query for o to out. Identifiers are quoted for the
 * dialect; a metric's empty or NULL cells are left out (the unit reader's missing values).
 * --cap computes the thresholds in the warehouse from the pooled values of the metric's
 * column (the dialect's exact percentile: percentile_cont, quantile_cont, PERCENTILE_CONT,
 * percentile, or window functions in SQLite) and sums the capped values; with
 * --cap-ignore-zeros the percentiles are of the non-zero values and zeros stay 0.
 * @return DCX_OK, DCX_EINVAL (unknown dialect, a metric without a type), DCX_EIO. */
DCX_API dcx_status_t dcx_sql_query(const dcx_sql_opts_t *o, FILE *out, dcx_error_t *err);

#endif
