/* dialects.c — what `dcx sql` knows of each warehouse's SQL: quoting, casts, how a bad
 * value stops a query, GROUPING SETS, and the exact and approximate percentiles. */
#include "sql_internal.h"

#include <math.h>
#include <string.h>

#include "dcx/text.h"

/* How each warehouse reads quoted text. PostgreSQL (standard_conforming_strings, the
 * default since 9.1), SQLite and DuckDB take a backslash literally; BigQuery, Snowflake
 * and Spark treat it as an escape in string literals, BigQuery in quoted identifiers too.
 * Snowflake stores unquoted names in upper case. SQLite has no GROUPING SETS and no error
 * function (its JSON path error is the one failure that quotes the text given); SQLite's
 * CAST of text that is no number gives 0 and Spark's (outside ANSI mode) NULL, so there
 * each value is checked. Exact percentiles: percentile_cont (PostgreSQL, Snowflake),
 * quantile_cont (DuckDB), PERCENTILE_CONT as an analytic function (BigQuery), percentile
 * (Spark), ranked values (SQLite); approximate: APPROX_QUANTILES (BigQuery, written
 * below), APPROX_PERCENTILE (Snowflake), percentile_approx (Spark), approx_quantile
 * (DuckDB). */
static const dialect_t dialects[] = {
    {"postgres", '"', 0, 0, 0, 1, "DOUBLE PRECISION", "TEXT", FAIL_CAST, NULL, PCT_WITHIN_GROUP,
     NULL, 0},
    {"sqlite", '"', 0, 0, 0, 0, "REAL", "TEXT", FAIL_JSON_PATH, NULL, PCT_RANKS, NULL, 1},
    {"duckdb", '"', 0, 0, 0, 1, "DOUBLE", "VARCHAR", FAIL_CALL, "error", PCT_QUANTILE_CONT,
     "approx_quantile", 0},
    {"bigquery", '`', 1, 1, 0, 1, "FLOAT64", "STRING", FAIL_CALL, "ERROR", PCT_WINDOW,
     "APPROX_QUANTILES", 0},
    {"snowflake", '"', 0, 1, 1, 1, "DOUBLE", "VARCHAR", FAIL_CAST, NULL, PCT_WITHIN_GROUP,
     "APPROX_PERCENTILE", 0},
    {"spark", '`', 0, 1, 0, 1, "DOUBLE", "STRING", FAIL_CALL, "raise_error", PCT_PERCENTILE,
     "percentile_approx", 1},
};

const dialect_t *sql_dialect(const char *name)
{
    for (size_t i = 0; name && i < sizeof dialects / sizeof dialects[0]; i++)
        if (!strcmp(name, dialects[i].name))
            return &dialects[i];
    return NULL;
}

/* BigQuery's APPROX_QUANTILES(x, N)[OFFSET(k)]: the boundaries of N quantiles, the k-th
 * being the percentile k/N; N the smallest power of ten (at least 100) that makes the
 * percentile a whole k, else 100,000 and the nearest k */
static void bigquery_approx(tbuf_t *b, const char *x, double pct)
{
    double n = 100;
    while (n < 100000 && fabs(pct / 100 * n - round(pct / 100 * n)) > 1e-9)
        n *= 10;
    tb_printf(b, "APPROX_QUANTILES(%s, %.0f)[OFFSET(%.0f)]", x, n, round(pct / 100 * n));
}

void sql_percentile(tbuf_t *b, const dialect_t *d, const char *x, double pct, int approx)
{
    char q[32];
    dcx_json_number_text(pct / 100, q);
    if (approx && d->approx) {
        if (d->pct == PCT_WINDOW)
            bigquery_approx(b, x, pct);
        else
            tb_printf(b, "%s(%s, %s)", d->approx, x, q);
        return;
    }
    switch (d->pct) {
    case PCT_WITHIN_GROUP:
        tb_printf(b, "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)", q, x);
        break;
    case PCT_QUANTILE_CONT:
        tb_printf(b, "quantile_cont(%s, %s)", x, q);
        break;
    case PCT_WINDOW:
        tb_printf(b, "PERCENTILE_CONT(%s, %s) OVER ()", x, q);
        break;
    case PCT_PERCENTILE:
        tb_printf(b, "percentile(%s, %s)", x, q);
        break;
    case PCT_RANKS:
        b->oom = 1; /* never asked: SQLite's percentiles are written by the query */
        break;
    }
}
