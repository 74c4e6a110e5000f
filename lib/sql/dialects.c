/* dialects.c — the summary query, written for each warehouse's SQL.
 *
 * Each metric × segment (plus the all-units row) is one SELECT ... GROUP BY; the blocks
 * are joined with UNION ALL and the result has exactly the summary CSV's columns, so the
 * warehouse client's CSV output feeds `dcx analyze --summary` directly. */
#include "dcx/sql.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/text.h"
#include "numparse.h"
#include "textbuf.h"

typedef struct {
    const char *name;
    char quote;             /* identifier quote: " or ` */
    int ident_backslash;    /* identifiers take backslash escapes (BigQuery) */
    int literal_backslash;  /* string literals take backslash escapes */
    const char *dbl, *text; /* type names for the casts */
} dialect_t;

/* How each warehouse reads quoted text. PostgreSQL (standard_conforming_strings, the
 * default since 9.1), SQLite and DuckDB take a backslash literally; BigQuery, Snowflake
 * and Spark treat it as an escape in string literals, BigQuery in quoted identifiers too. */
static const dialect_t dialects[] = {
    {"postgres", '"', 0, 0, "DOUBLE PRECISION", "TEXT"},
    {"sqlite", '"', 0, 0, "REAL", "TEXT"},
    {"duckdb", '"', 0, 0, "DOUBLE", "VARCHAR"},
    {"bigquery", '`', 1, 1, "FLOAT64", "STRING"},
    {"snowflake", '"', 0, 1, "DOUBLE", "VARCHAR"},
    {"spark", '`', 0, 1, "DOUBLE", "STRING"},
};

#define NAME_MAX_BYTES 255

/* A name that becomes SQL text: refused (never shortened, never silently cleaned) when it
 * is empty, longer than any warehouse allows, or holds a control character. */
static dcx_status_t check_name(const char *what, const char *s, dcx_error_t *err)
{
    size_t n = strlen(s);
    if (!n)
        return dcx_error_set(err, DCX_EINVAL, "%s: an empty name", what);
    if (n > NAME_MAX_BYTES)
        return dcx_error_set(err, DCX_EINVAL, "%s: a name of %zu bytes (at most %d)", what, n,
                             NAME_MAX_BYTES);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return dcx_error_set(err, DCX_EINVAL,
                                 "%s: the name holds a control character (byte %zu): refused",
                                 what, i + 1);
    }
    return DCX_OK;
}

/* an identifier, quoted: the quote character doubled, or (BigQuery) backslash-escaped
 * along with the backslash itself */
static void ident(tbuf_t *b, const dialect_t *d, const char *s)
{
    tb_putn(b, &d->quote, 1);
    for (; *s; s++) {
        if (d->ident_backslash && (*s == '\\' || *s == d->quote)) {
            tb_putn(b, "\\", 1);
            tb_putn(b, s, 1);
        } else if (*s == d->quote) {
            tb_putn(b, s, 1);
            tb_putn(b, s, 1);
        } else {
            tb_putn(b, s, 1);
        }
    }
    tb_putn(b, &d->quote, 1);
}

/* a table name: each dot-separated part quoted */
static void table_name(tbuf_t *b, const dialect_t *d, const char *s)
{
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        char *part = strndup(s, n);
        if (!part) {
            b->oom = 1;
            return;
        }
        ident(b, d, part);
        free(part);
        if (!dot)
            break;
        tb_putn(b, ".", 1);
        s = dot + 1;
    }
}

/* a string literal: a single quote doubled (backslash-escaped where backslashes escape,
 * along with the backslash) */
static void literal(tbuf_t *b, const dialect_t *d, const char *s)
{
    tb_putn(b, "'", 1);
    for (; *s; s++) {
        if (d->literal_backslash && (*s == '\\' || *s == '\'')) {
            tb_putn(b, "\\", 1);
            tb_putn(b, s, 1);
        } else if (*s == '\'') {
            tb_puts(b, "''");
        } else {
            tb_putn(b, s, 1);
        }
    }
    tb_putn(b, "'", 1);
}

/* present(col): neither NULL nor an empty string (a CSV import's missing value) */
static void present(tbuf_t *b, const dialect_t *d, const char *col)
{
    tb_puts(b, "(");
    ident(b, d, col);
    tb_puts(b, " IS NOT NULL AND CAST(");
    ident(b, d, col);
    tb_printf(b, " AS %s) <> '')", d->text);
}

static void num(tbuf_t *b, const dialect_t *d, const char *col)
{
    tb_puts(b, "CAST(");
    ident(b, d, col);
    tb_printf(b, " AS %s)", d->dbl);
}

typedef struct {
    char *name, *type, *col, *den, *cov;
    int cap;                /* 0 none, else its CTE's number */
    int ignore_zeros;       /* percentiles of the non-zero values; zeros stay 0 */
    double lo, hi;          /* absolute thresholds (NAN: none or a percentile) */
    double plo, phi;        /* percentiles in percent (NAN: none or absolute) */
} sql_metric_t;

static void metric_free(sql_metric_t *m)
{
    free(m->name);
    free(m->type);
    free(m->col);
    free(m->den);
    free(m->cov);
}

static dcx_status_t parse_metric(const dcx_sql_opts_t *o, const char *spec, sql_metric_t *m,
                                 dcx_error_t *err)
{
    memset(m, 0, sizeof *m);
    const char *colon = strchr(spec, ':');
    if (!colon || colon == spec || !colon[1])
        return dcx_error_set(err, DCX_EINVAL,
                             "--metric '%s': give a type (binary, mean, ratio=NUM/DEN, nps)", spec);
    const char *type = colon + 1;
    if (!(m->name = strndup(spec, (size_t)(colon - spec))))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!strncmp(type, "ratio=", 6)) {
        const char *slash = strchr(type + 6, '/');
        if (!slash || slash == type + 6 || !slash[1])
            return dcx_error_set(err, DCX_EINVAL, "--metric '%s': ratio=NUM/DEN", spec);
        m->col = strndup(type + 6, (size_t)(slash - type - 6));
        m->den = strdup(slash + 1);
        m->type = strdup("ratio");
    } else if (!strcmp(type, "binary") || !strcmp(type, "mean") || !strcmp(type, "nps")) {
        m->col = strdup(m->name);
        m->type = strdup(type);
    } else if (!strncmp(type, "quantile", 8)) {
        return dcx_error_set(err, DCX_ENOTSUP,
                             "--metric '%s': a quantile cannot be computed from the summary's "
                             "sums; analyse the unit-level data with dcx analyze --input",
                             spec);
    } else {
        return dcx_error_set(err, DCX_EINVAL, "--metric '%s': unknown type '%s'", spec, type);
    }
    if (!m->col || !m->type || (!strcmp(m->type, "ratio") && !m->den))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t k = 0; k < o->cuped.n; k++) {
        const char *eq = strchr(o->cuped.v[k], '=');
        if (eq && (size_t)(eq - o->cuped.v[k]) == strlen(m->name)
            && !strncmp(o->cuped.v[k], m->name, strlen(m->name))) {
            free(m->cov);
            if (!(m->cov = strdup(eq + 1)))
                return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
    }
    if (m->cov && (!strcmp(m->type, "ratio") || !strcmp(m->type, "nps")))
        return dcx_error_set(err, DCX_EINVAL, "--cuped: CUPED applies to binary and mean metrics");
    m->lo = m->hi = m->plo = m->phi = NAN;
    for (size_t k = 0; k < o->cap.n; k++) {
        const char *spec = o->cap.v[k], *eq = strchr(spec, '=');
        if (!eq || (size_t)(eq - spec) != strlen(m->name) || strncmp(spec, m->name, strlen(m->name)))
            continue;
        if (strcmp(m->type, "mean") && strcmp(m->type, "ratio"))
            return dcx_error_set(err, DCX_EINVAL,
                                 "--cap '%s': capping applies to mean metrics and the numerator of ratio metrics",
                                 spec);
        const char *v = eq + 1, *colon = strchr(v, ':');
        double a, b;
        if (*v == 'p' && colon) {
            if (colon[1] != 'p' || !dcx_parse_number(v + 1, (size_t)(colon - v - 1), &a)
                || !dcx_parse_number(colon + 2, strlen(colon + 2), &b) || !(a > 0 && a < b && b < 100))
                return dcx_error_set(err, DCX_EINVAL, "--cap '%s': pL:pU needs 0 < L < U < 100", spec);
            m->plo = a, m->phi = b;
        } else if (*v == 'p') {
            if (!dcx_parse_number(v + 1, strlen(v + 1), &b) || !(b > 0 && b < 100))
                return dcx_error_set(err, DCX_EINVAL, "--cap '%s': pQ needs 0 < Q < 100", spec);
            m->phi = b;
        } else if (dcx_parse_number(v, strlen(v) > 3 && !strcmp(v + strlen(v) - 3, "abs") ? strlen(v) - 3 : strlen(v), &b)) {
            if (b > 0 && b < 1 && strcmp(v + strlen(v) - 3, "abs")) /* as dcx analyze reads it */
                return dcx_error_set(err, DCX_EINVAL,
                                     "--cap '%s' is ambiguous: write %s=p%.10g for the %.10gth percentile "
                                     "of the pooled values (what GrowthBook's %s means), or %s=%sabs to "
                                     "cap at the value %s",
                                     spec, m->name, 100 * b, 100 * b, v, m->name, v, v);
            m->hi = b;
        } else {
            return dcx_error_set(err, DCX_EINVAL, "--cap '%s': write METRIC=VALUE, METRIC=pQ or METRIC=pL:pU", spec);
        }
        m->cap = -1; /* numbered when the query is written */
    }
    for (size_t k = 0; k < o->cap_ignore_zeros.n; k++)
        if (!strcmp(o->cap_ignore_zeros.v[k], m->name)) {
            if (isnan(m->plo) && isnan(m->phi))
                return dcx_error_set(err, DCX_EINVAL,
                                     "--cap-ignore-zeros '%s': the metric has no percentile --cap "
                                     "(pQ or pL:pU)",
                                     m->name);
            m->ignore_zeros = 1;
        }
    dcx_status_t st;
    if ((st = check_name("--metric", m->name, err)) || (st = check_name("--metric", m->col, err))
        || (m->den && (st = check_name("--metric denominator", m->den, err)))
        || (m->cov && (st = check_name("--cuped", m->cov, err))))
        return st;
    return DCX_OK;
}

/* The metric's value, winsorized: LEAST(GREATEST(x, lo), hi) (SQLite: MIN/MAX), with the
 * thresholds as literals or as columns of the metric's cap CTE. */
static void capped(tbuf_t *b, const dialect_t *d, const sql_metric_t *m)
{
    int sqlite = !strcmp(d->name, "sqlite");
    int has_lo = !isnan(m->lo) || !isnan(m->plo), has_hi = !isnan(m->hi) || !isnan(m->phi);
    if (!m->cap || (!has_lo && !has_hi)) {
        num(b, d, m->col);
        return;
    }
    if (m->ignore_zeros) { /* zeros stay 0, whatever the thresholds */
        tb_puts(b, "CASE WHEN ");
        num(b, d, m->col);
        tb_puts(b, " = 0 THEN 0.0 ELSE ");
    }
    if (has_hi)
        tb_puts(b, sqlite ? "MIN(" : "LEAST(");
    if (has_lo)
        tb_puts(b, sqlite ? "MAX(" : "GREATEST(");
    num(b, d, m->col);
    if (has_lo) {
        char t[32];
        if (!isnan(m->lo))
            tb_printf(b, ", %s)", dcx_json_number_text(m->lo, t));
        else
            tb_printf(b, ", lo_%d)", m->cap);
    }
    if (has_hi) {
        char t[32];
        if (!isnan(m->hi))
            tb_printf(b, ", %s)", dcx_json_number_text(m->hi, t));
        else
            tb_printf(b, ", hi_%d)", m->cap);
    }
    if (m->ignore_zeros)
        tb_puts(b, " END");
}

/* The values a metric's percentiles are taken over: its non-missing values, and with
 * --cap-ignore-zeros the non-zero ones only. */
static void pooled(tbuf_t *b, const dialect_t *d, const sql_metric_t *m)
{
    present(b, d, m->col);
    if (m->ignore_zeros) {
        tb_puts(b, " AND ");
        num(b, d, m->col);
        tb_puts(b, " <> 0");
    }
}

/* A percentile q (0..1) of the metric's pooled values, R's type 7 (linear interpolation
 * between order statistics), as each dialect computes it exactly. */
static void percentile(tbuf_t *b, const dialect_t *d, const dcx_sql_opts_t *o, const sql_metric_t *m,
                       double qv, const char *as)
{
    char q[32];
    dcx_json_number_text(qv, q);
    if (!strcmp(d->name, "sqlite")) {
        /* from the ranked values of v_N: x[k] + (h - k)(x[k + 1] - x[k]), h = (n - 1) q + 1 */
        tb_printf(b, "(SELECT (SELECT x FROM r_%d WHERE i = k) + (h - k) * ((SELECT x FROM r_%d WHERE i = "
                     "MIN(k + 1, n)) - (SELECT x FROM r_%d WHERE i = k)) FROM (SELECT n, (n - 1) * %s + 1 "
                     "AS h, CAST((n - 1) * %s + 1 AS INTEGER) AS k FROM (SELECT COUNT(*) AS n FROM r_%d))) AS %s",
                  m->cap, m->cap, m->cap, q, q, m->cap, as);
        return;
    }
    if (!strcmp(d->name, "bigquery")) {
        tb_printf(b, "(SELECT ANY_VALUE(p) FROM (SELECT PERCENTILE_CONT(");
        num(b, d, m->col);
        tb_printf(b, ", %s) OVER () AS p FROM ", q);
        table_name(b, d, o->table);
        tb_puts(b, " WHERE ");
        pooled(b, d, m);
        tb_printf(b, ")) AS %s", as);
        return;
    }
    if (!strcmp(d->name, "duckdb")) {
        tb_puts(b, "quantile_cont(");
        num(b, d, m->col);
        tb_printf(b, ", %s) AS %s", q, as);
    } else if (!strcmp(d->name, "spark")) {
        tb_puts(b, "percentile(");
        num(b, d, m->col);
        tb_printf(b, ", %s) AS %s", q, as);
    } else { /* postgres, snowflake */
        tb_printf(b, "percentile_cont(%s) WITHIN GROUP (ORDER BY ", q);
        num(b, d, m->col);
        tb_printf(b, ") AS %s", as);
    }
}

/* The cap CTE of metric m: its thresholds, computed from every non-missing value of its
 * column (non-zero with --cap-ignore-zeros), whatever the arm or segment level (capping per
 * arm would bias the comparison). */
static void cap_cte(tbuf_t *b, const dialect_t *d, const dcx_sql_opts_t *o, const sql_metric_t *m)
{
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "lo_%d", m->cap);
    snprintf(hi, sizeof hi, "hi_%d", m->cap);
    if (!strcmp(d->name, "sqlite")) {
        tb_printf(b, "v_%d AS (SELECT ", m->cap);
        num(b, d, m->col);
        tb_puts(b, " AS x FROM ");
        table_name(b, d, o->table);
        tb_puts(b, " WHERE ");
        pooled(b, d, m);
        tb_printf(b, "),\nr_%d AS (SELECT x, ROW_NUMBER() OVER (ORDER BY x) AS i FROM v_%d),\n", m->cap, m->cap);
    }
    tb_printf(b, "cap_%d AS (SELECT ", m->cap);
    if (!isnan(m->plo)) {
        percentile(b, d, o, m, m->plo / 100, lo);
        tb_puts(b, ", ");
    }
    percentile(b, d, o, m, m->phi / 100, hi);
    if (strcmp(d->name, "sqlite") && strcmp(d->name, "bigquery")) {
        tb_puts(b, " FROM ");
        table_name(b, d, o->table);
        tb_puts(b, " WHERE ");
        pooled(b, d, m);
    }
    tb_puts(b, ")");
}

/* One SELECT ... GROUP BY of metric m over segment seg (NULL: all units). */
static void block(tbuf_t *b, const dialect_t *d, const dcx_sql_opts_t *o, const sql_metric_t *m,
                  const char *seg, const char *vc)
{
    tb_puts(b, "SELECT ");
    literal(b, d, m->name);
    tb_puts(b, " AS metric, ");
    literal(b, d, m->type);
    tb_puts(b, " AS type, ");
    literal(b, d, seg ? seg : "all");
    tb_puts(b, " AS segment, ");
    if (seg) {
        tb_puts(b, "CASE WHEN ");
        ident(b, d, seg);
        tb_puts(b, " IS NULL OR CAST(");
        ident(b, d, seg);
        tb_printf(b, " AS %s) = '' THEN '(missing)' ELSE CAST(", d->text);
        ident(b, d, seg);
        tb_printf(b, " AS %s) END", d->text);
    } else {
        tb_puts(b, "'all'");
    }
    tb_puts(b, " AS segment_value,\n       CAST(");
    ident(b, d, vc);
    tb_printf(b, " AS %s) AS variant, COUNT(*) AS n,\n       ", d->text);
    /* the value as a double; NPS as its +1 / 0 / -1 score */
    tbuf_t x = {0}, y = {0};
    if (!strcmp(m->type, "nps")) {
        tb_puts(&x, "(CASE WHEN ");
        num(&x, d, m->col);
        tb_puts(&x, " >= 9 THEN 1.0 WHEN ");
        num(&x, d, m->col);
        tb_puts(&x, " >= 7 THEN 0.0 ELSE -1.0 END)");
    } else {
        capped(&x, d, m);
    }
    const char *second = m->den ? m->den : m->cov;
    if (second)
        num(&y, d, second);
    if (x.oom || y.oom) {
        b->oom = 1;
    } else {
        tb_printf(b, "SUM(%s) AS sum, SUM(%s * %s) AS sum_sq,\n       ", x.s, x.s, x.s);
        if (second)
            tb_printf(b, "SUM(%s) AS sum2, SUM(%s * %s) AS sum2_sq, SUM(%s * %s) AS sum_cross\n",
                      y.s, y.s, y.s, x.s, y.s);
        else
            tb_printf(b, "CAST(NULL AS %s) AS sum2, CAST(NULL AS %s) AS sum2_sq, CAST(NULL AS %s) AS sum_cross\n",
                      d->dbl, d->dbl, d->dbl);
    }
    tb_free(&x);
    tb_free(&y);
    tb_puts(b, "FROM ");
    table_name(b, d, o->table);
    if (m->cap > 0 && (!isnan(m->plo) || !isnan(m->phi)))
        tb_printf(b, " CROSS JOIN cap_%d", m->cap);
    tb_puts(b, "\nWHERE ");
    present(b, d, m->col);
    if (second) {
        tb_puts(b, " AND ");
        present(b, d, second);
    }
    tb_puts(b, " AND ");
    present(b, d, vc);
    tb_puts(b, "\nGROUP BY ");
    ident(b, d, vc);
    if (seg) {
        tb_puts(b, ", ");
        ident(b, d, seg);
    }
    tb_puts(b, "\n");
}

dcx_status_t dcx_sql_query(const dcx_sql_opts_t *o, FILE *f, dcx_error_t *err)
{
    const dialect_t *d = NULL;
    for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++)
        if (o->dialect && !strcmp(o->dialect, dialects[i].name))
            d = &dialects[i];
    if (!d)
        return dcx_error_set(err, DCX_EINVAL,
                             "missing --dialect (postgres, sqlite, duckdb, bigquery, snowflake, spark)");
    if (!o->table || !*o->table)
        return dcx_error_set(err, DCX_EINVAL, "missing --table T");
    if (!o->metric.n)
        return dcx_error_set(err, DCX_EINVAL, "missing --metric NAME:TYPE");
    const char *vc = o->variant_column ? o->variant_column : "variant";
    dcx_status_t st;
    if ((st = check_name("--variant-column", vc, err)))
        return st;
    for (const char *p = o->table;;) { /* each part of a dotted table name */
        const char *dot = strchr(p, '.');
        char *part = strndup(p, dot ? (size_t)(dot - p) : strlen(p));
        if (!part)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        st = check_name("--table", part, err);
        free(part);
        if (st)
            return st;
        if (!dot)
            break;
        p = dot + 1;
    }
    for (size_t si = 0; si < o->segment.n; si++)
        if ((st = check_name("--segment", o->segment.v[si], err)))
            return st;
    for (size_t k = 0; k < o->cap_ignore_zeros.n; k++) {
        const char *name = o->cap_ignore_zeros.v[k];
        size_t mi = 0, len = strlen(name);
        while (mi < o->metric.n && !(!strncmp(o->metric.v[mi], name, len) && o->metric.v[mi][len] == ':'))
            mi++;
        if (mi == o->metric.n)
            return dcx_error_set(err, DCX_EINVAL, "--cap-ignore-zeros '%s': no --metric of that name", name);
    }
    /* the whole query is built first: nothing is written unless it is complete */
    tbuf_t b = {0};
    tb_printf(&b, "-- dcx %s: the summary CSV (docs/formats.md) for dcx analyze --summary.\n"
                  "-- Run it with the client's CSV output (psql --csv, sqlite3 -csv -header, ...).\n",
              d->name);
    sql_metric_t *ms = calloc(o->metric.n + 1, sizeof *ms);
    if (!ms) {
        tb_free(&b);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t nm = 0;
    int ncap = 0;
    for (size_t mi = 0; mi < o->metric.n && !st; mi++) {
        st = parse_metric(o, o->metric.v[mi], &ms[mi], err);
        nm = mi + 1;
        if (!st && ms[mi].cap)
            ms[mi].cap = ++ncap;
    }
    for (size_t k = 0; k < o->cap.n && !st; k++) { /* a cap must name a metric */
        const char *eq = strchr(o->cap.v[k], '=');
        int found = 0;
        for (size_t mi = 0; mi < nm; mi++)
            found |= eq && (size_t)(eq - o->cap.v[k]) == strlen(ms[mi].name)
                     && !strncmp(o->cap.v[k], ms[mi].name, strlen(ms[mi].name));
        if (!found)
            st = dcx_error_set(err, DCX_EINVAL, "--cap '%s': no --metric of that name", o->cap.v[k]);
    }
    int ctes = 0;
    for (size_t mi = 0; mi < nm && !st; mi++)
        if (ms[mi].cap && (!isnan(ms[mi].plo) || !isnan(ms[mi].phi))) {
            tb_puts(&b, ctes++ ? ",\n" : "WITH ");
            cap_cte(&b, d, o, &ms[mi]);
        }
    if (ctes)
        tb_puts(&b, "\n");
    int blocks = 0;
    for (size_t mi = 0; mi < nm && !st; mi++)
        for (size_t si = 0; si <= o->segment.n; si++) {
            tb_puts(&b, blocks++ ? "UNION ALL\n" : "");
            block(&b, d, o, &ms[mi], si ? o->segment.v[si - 1] : NULL, vc);
        }
    for (size_t mi = 0; mi < nm; mi++)
        metric_free(&ms[mi]);
    free(ms);
    if (!st && b.oom)
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!st) {
        tb_puts(&b, "ORDER BY 1, 3, 4, 5;\n");
        if (b.oom)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        else if (fwrite(b.s, 1, b.len, f) != b.len || ferror(f))
            st = dcx_error_set(err, DCX_EIO, "write error");
    }
    tb_free(&b);
    return st;
}
