/* sql_internal.h — internal to lib/sql: what `dcx sql` knows of each warehouse's SQL
 * (dialects.c), the text it writes into a query — names, literals, values read from the
 * table, failures — (sql_text.c), and the query itself (summary_query.c). */
#ifndef DCX_SQL_INTERNAL_H
#define DCX_SQL_INTERNAL_H

#include <stddef.h>

#include "dcx/error.h"
#include "dcx/sql.h"
#include "textbuf.h"

/* How a value that is not what the metric's type allows stops the query. */
typedef enum {
    FAIL_CAST,      /* CAST('dcx: ...' AS INTEGER): the cast error quotes the message */
    FAIL_CALL,      /* fail_fn('dcx: ...'): DuckDB error, BigQuery ERROR, Spark raise_error */
    FAIL_JSON_PATH  /* json_extract('{}', 'dcx: ...'): SQLite's one error that quotes text */
} fail_style_t;

/* How a percentile of the pooled values is written. */
typedef enum {
    PCT_WITHIN_GROUP, /* percentile_cont(q) WITHIN GROUP (ORDER BY x): PostgreSQL, Snowflake */
    PCT_QUANTILE_CONT,/* quantile_cont(x, q): DuckDB */
    PCT_WINDOW,       /* PERCENTILE_CONT(x, q) OVER (): BigQuery (an analytic function only) */
    PCT_PERCENTILE,   /* percentile(x, q): Spark */
    PCT_RANKS         /* the ranked values, interpolated by hand: SQLite */
} pct_style_t;

typedef struct {
    const char *name;
    char quote;             /* identifier quote: " or ` */
    int ident_backslash;    /* quoted identifiers take backslash escapes (BigQuery) */
    int literal_backslash;  /* string literals take backslash escapes */
    int fold_upper;         /* unquoted names are stored in upper case (Snowflake) */
    int grouping_sets;      /* GROUP BY GROUPING SETS; else one GROUP BY per set (SQLite) */
    const char *dbl, *text; /* type names for the casts */
    fail_style_t fail;
    const char *fail_fn;    /* FAIL_CALL: the function */
    pct_style_t pct;
    const char *approx;     /* the approximate percentile, or NULL (exact only) */
    int numeric_check;      /* CAST of text that is no number gives 0 or NULL, silently:
                               the query checks each value itself (SQLite, Spark) */
} dialect_t;

/* The dialect called name, or NULL. */
const dialect_t *sql_dialect(const char *name);

typedef enum { SK_BINARY, SK_MEAN, SK_RATIO, SK_NPS, SK_QUANTILE } sql_kind_t;

typedef struct {
    char *name;             /* as given in --metric: the summary's metric column */
    sql_kind_t kind;
    char *col, *den, *cov;  /* value (numerator), denominator, CUPED covariate (a ratio's:
                               the covariate's numerator) */
    char *cov2;             /* a ratio's CUPED covariate denominator, or NULL */
    double q;               /* SK_QUANTILE: the quantile, 0 < q < 1 */
    int capped;             /* a --cap names the metric */
    double lo, hi;          /* absolute thresholds (NAN: none or a percentile) */
    double plo, phi;        /* percentile thresholds in percent (NAN: none or absolute) */
    int ignore_zeros;       /* --cap-ignore-zeros: thresholds from the non-zero values,
                               zeros left as they are */
    int idx;                /* its number in the query's column names (dcx_x1, ...) */
} sql_metric_t;

/* ---- sql_text.c ---- */

/* An identifier: written bare when plain (lower-case letters, digits and '_', not a
 * reserved word), so that the warehouse folds it as it folds names in its own DDL;
 * otherwise quoted exactly as given (a plain reserved word in Snowflake is quoted in
 * upper case, which is what the bare word would mean there). */
void sql_ident(tbuf_t *b, const dialect_t *d, const char *s);
/* A name of the query's own output, always quoted, so that it comes back as written. */
void sql_alias(tbuf_t *b, const dialect_t *d, const char *s);
/* A table name: each dot-separated part an identifier. */
void sql_table(tbuf_t *b, const dialect_t *d, const char *s);
/* A string literal. */
void sql_literal(tbuf_t *b, const dialect_t *d, const char *s);
/* A double literal that reads back as v exactly: CAST('0.9' AS DOUBLE) style, so that no
 * warehouse takes it as a decimal. */
void sql_double(tbuf_t *b, const dialect_t *d, double v);
/* present(col): the column's value is neither NULL nor an empty string (a CSV import's
 * missing value). */
void sql_present(tbuf_t *b, const dialect_t *d, const char *col);
/* An expression that stops the query with the message `what` followed by the value of
 * text expression `value` (NULL: none). */
void sql_fail(tbuf_t *b, const dialect_t *d, const char *what, const char *value);
/* The column's value as a double (assumed present); where the dialect's CAST turns text
 * that is no number into 0 or NULL, such a value stops the query. */
void sql_number(tbuf_t *b, const dialect_t *d, const char *col);
/* The column's value as 1 or 0: BOOLEAN, or 0/1/true/false/yes/no in any case and
 * surrounding blanks (the unit-level reader's spellings); anything else stops the query. */
void sql_binary(tbuf_t *b, const dialect_t *d, const char *col);
/* The column's NPS score: +1 for 9-10, 0 for 7-8, -1 for 0-6; anything else stops the
 * query. */
void sql_nps(tbuf_t *b, const dialect_t *d, const char *col);

/* ---- dialects.c ---- */

/* The percentile pct (in percent) of expression x over the rows of the query block it is
 * written in (NULLs ignored), exact, or the dialect's approximation when approx is set
 * and the dialect has one. Not for PCT_RANKS. */
void sql_percentile(tbuf_t *b, const dialect_t *d, const char *x, double pct, int approx);

/* ---- summary_query.c ---- */

/* Parses one --metric spec with its --cap, --cap-ignore-zeros and --cuped options, and
 * its column when `columns` (NAME=COLUMN) names one.
 * @return DCX_OK, DCX_EINVAL, DCX_ENOTSUP, DCX_ENOMEM. */
dcx_status_t sql_metric_parse(const dcx_sql_opts_t *o, const dcx_strlist_t *columns,
                              const char *spec, sql_metric_t *m, dcx_error_t *err);
void sql_metric_free(sql_metric_t *m);

#endif
