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
    dcx_jsonarg_t metrics; /* metric definitions, as for dcx analyze --metrics */
    dcx_strlist_t segment;
    dcx_strlist_t cuped;
    char *variant_column;
    dcx_strlist_t cap;    /* METRIC=VALUE | METRIC=pQ | METRIC=pL:pU, as for dcx analyze */
    dcx_strlist_t cap_ignore_zeros; /* metrics whose percentile thresholds leave zeros out */
    int cap_approx;       /* the dialect's approximate percentile for the thresholds */
    char *post_stratify;  /* refused: the summary has no stratum column (a usage error says so) */
} dcx_sql_opts_t;

DCX_API extern const dcx_option_t dcx_sql_options[];

/* dcx_sql_query() : writes the query for o to out (the metrics of o->metrics and the flags
 * folded as dcx analyze folds them, so that a definitions file gives the query its flags
 * would): one query whose result, exported as
 * CSV with a header, is the summary CSV of docs/formats.md — a units row per variant and
 * level (assigned units), a row per metric, variant and level (n and sums; for a quantile
 * metric also the quantile and the order statistics of its rank window), a cap row per
 * capped metric (its thresholds), and on every row rows_total, the number of rows. The
 * table is read once for the sums (GROUP BY GROUPING SETS; SQLite one GROUP BY per
 * level set), once more for percentile caps (the dialect's exact percentile, or its
 * approximate one with cap_approx) and once more for quantile metrics. Names are written
 * bare when plain and quoted otherwise; a metric's empty or NULL cells are missing values;
 * a value the metric's type does not allow stops the query with a message.
 * @return DCX_OK, DCX_EINVAL (unknown dialect, a bad metric, cap or name), DCX_EPARSE (a
 * definitions file), DCX_ENOMEM, DCX_EIO; DCX_EINVAL also for post_stratify, which the
 * summary cannot carry. */
DCX_API dcx_status_t dcx_sql_query(const dcx_sql_opts_t *o, FILE *out, dcx_error_t *err);

#endif
