/* summary_query.c — `dcx sql`: one query whose result is the summary CSV of
 * docs/formats.md, for any of six dialects.
 *
 * Shape: dcx_u reads each unit row once (the variant, each segment's level, each metric's
 * value as the metric's type reads it, or NULL when missing); dcx_g sums it in one pass
 * over every level at once (GROUP BY GROUPING SETS: all units, each segment column, and
 * the grand total that carries the cap thresholds; SQLite: one GROUP BY per set); dcx_r
 * turns the wide row of sums into the summary's long rows (a units row and one row per
 * metric for each variant and level, one cap row per capped metric) and every row gets
 * rows_total, so that a cut export is found out. Percentile caps come from dcx_caps, one
 * pass over the pooled values; quantile metrics rank their values per variant and level
 * (dcx_q) and carry the quantile and the two order statistics of its rank window. */
#include "sql_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcx/analysis.h"
#include "dcx/stats.h"
#include "dcx/text.h"
#include "numparse.h"

#define NAME_MAX_BYTES 255

/* The summary's columns, in order (docs/formats.md). */
static const char *const out_cols[] = {
    "metric",   "type",       "segment",   "segment_value",    "variant",  "n",
    "sum",      "sum_sq",     "sum2",      "sum2_sq",          "sum_cross", "capped_n",
    "cap_lower", "cap_upper", "cap_ignore_zeros", "quantile", "quantile_lower",
    "quantile_upper"};
#define NOUT (sizeof out_cols / sizeof out_cols[0])

/* the query's own names, which a table named the same would be shadowed by */
static const char *const own_names[] = {"dcx_caps", "dcx_u", "dcx_g", "dcx_qu", "dcx_qk",
                                        "dcx_q", "dcx_qg", "dcx_r"};

static const char *S(const tbuf_t *b) { return b->s ? b->s : ""; }

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

static int pct_cap(const sql_metric_t *m);

/* ---- the metric specs ------------------------------------------------------------------ */

void sql_metric_free(sql_metric_t *m)
{
    free(m->name);
    free(m->col);
    free(m->den);
    free(m->cov);
}

/* Does option text `spec` ("NAME=..." or "NAME") name metric `name`? */
static int names(const char *spec, const char *name, int with_eq)
{
    size_t n = strlen(name);
    return !strncmp(spec, name, n) && (with_eq ? spec[n] == '=' : spec[n] == '\0');
}

static dcx_status_t parse_cap(const char *spec, const char *v, sql_metric_t *m, dcx_error_t *err)
{
    const char *colon = strchr(v, ':');
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
    } else if (dcx_parse_number(v, strlen(v) > 3 && !strcmp(v + strlen(v) - 3, "abs") ? strlen(v) - 3
                                                                                    : strlen(v),
                                &b)) {
        if (b > 0 && b < 1 && !(strlen(v) > 3 && !strcmp(v + strlen(v) - 3, "abs")))
            return dcx_error_set(err, DCX_EINVAL,
                                 "--cap '%s' is ambiguous: write %s=p%.10g for the %.10gth percentile "
                                 "of the pooled values (what GrowthBook's %s means), or %s=%sabs to "
                                 "cap at the value %s",
                                 spec, m->name, 100 * b, 100 * b, v, m->name, v, v);
        m->hi = b;
    } else {
        return dcx_error_set(err, DCX_EINVAL,
                             "--cap '%s': write METRIC=VALUE, METRIC=pQ or METRIC=pL:pU", spec);
    }
    return DCX_OK;
}

dcx_status_t sql_metric_parse(const dcx_sql_opts_t *o, const dcx_strlist_t *columns,
                              const char *spec, sql_metric_t *m, dcx_error_t *err)
{
    memset(m, 0, sizeof *m);
    m->lo = m->hi = m->plo = m->phi = NAN;
    const char *colon = strchr(spec, ':');
    if (!colon || colon == spec || !colon[1])
        return dcx_error_set(err, DCX_EINVAL,
                             "--metric '%s': give a type (binary, mean, ratio=NUM/DEN, nps, "
                             "quantile=Q)",
                             spec);
    const char *type = colon + 1;
    if (!(m->name = strndup(spec, (size_t)(colon - spec))))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!strncmp(type, "ratio=", 6)) {
        const char *slash = strchr(type + 6, '/');
        if (!slash || slash == type + 6 || !slash[1])
            return dcx_error_set(err, DCX_EINVAL, "--metric '%s': ratio=NUM/DEN", spec);
        m->kind = SK_RATIO;
        m->col = strndup(type + 6, (size_t)(slash - type - 6));
        if (!(m->den = strdup(slash + 1)))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    } else if (!strncmp(type, "quantile=", 9)) {
        if (!dcx_parse_number(type + 9, strlen(type + 9), &m->q) || !(m->q > 0 && m->q < 1))
            return dcx_error_set(err, DCX_EINVAL, "--metric '%s': quantile=Q needs 0 < Q < 1",
                                 spec);
        m->kind = SK_QUANTILE;
        m->col = strdup(m->name);
    } else if (!strcmp(type, "binary") || !strcmp(type, "mean") || !strcmp(type, "nps")) {
        m->kind = !strcmp(type, "binary") ? SK_BINARY : !strcmp(type, "mean") ? SK_MEAN : SK_NPS;
        m->col = strdup(m->name);
    } else {
        return dcx_error_set(err, DCX_EINVAL, "--metric '%s': unknown type '%s'", spec, type);
    }
    if (!m->col)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t k = 0; m->kind != SK_RATIO && k < columns->n; k++)
        if (names(columns->v[k], m->name, 1)) { /* a definition's "column" */
            free(m->col);
            if (!(m->col = strdup(strchr(columns->v[k], '=') + 1)))
                return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
    for (size_t k = 0; k < o->cuped.n; k++)
        if (names(o->cuped.v[k], m->name, 1)) {
            free(m->cov);
            if (!(m->cov = strdup(strchr(o->cuped.v[k], '=') + 1)))
                return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
    if (m->cov && m->kind != SK_BINARY && m->kind != SK_MEAN)
        return dcx_error_set(err, DCX_EINVAL, "--cuped: CUPED applies to binary and mean metrics");
    for (size_t k = 0; k < o->cap.n; k++) {
        const char *c = o->cap.v[k];
        if (!names(c, m->name, 1))
            continue;
        if (m->capped)
            return dcx_error_set(err, DCX_EINVAL, "--cap '%s': metric '%s' is capped twice",
                                 c, m->name);
        if (m->kind != SK_MEAN && m->kind != SK_RATIO)
            return dcx_error_set(err, DCX_EINVAL,
                                 "--cap '%s': capping applies to mean metrics and the numerator "
                                 "of ratio metrics",
                                 c);
        dcx_status_t st = parse_cap(c, strchr(c, '=') + 1, m, err);
        if (st)
            return st;
        m->capped = 1;
    }
    for (size_t k = 0; k < o->cap_ignore_zeros.n; k++)
        if (!strcmp(o->cap_ignore_zeros.v[k], m->name)) {
            if (!pct_cap(m))
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

static int pct_cap(const sql_metric_t *m)
{
    return m->capped && (!isnan(m->plo) || !isnan(m->phi));
}

/* ---- the query ----------------------------------------------------------------------- */

typedef struct {
    const dialect_t *d;
    const dcx_sql_opts_t *o;
    const char *vc;         /* the variant column */
    sql_metric_t *ms;
    size_t nm;
    int ncap, npct, nquant; /* capped metrics, those with a percentile, quantile metrics */
    tbuf_t b;
} query_t;

/* a threshold of metric m: the literal, or the column carried from dcx_caps */
static void threshold(tbuf_t *b, const query_t *q, const sql_metric_t *m, int upper)
{
    double abs = upper ? m->hi : m->lo, pct = upper ? m->phi : m->plo;
    if (!isnan(abs))
        sql_double(b, q->d, abs);
    else if (!isnan(pct))
        tb_printf(b, "dcx_%s%d", upper ? "hi" : "lo", m->idx);
    else
        tb_printf(b, "CAST(NULL AS %s)", q->d->dbl);
}

/* The value of metric m that its sums are made of: a column of dcx_u, capped. A CASE,
 * not LEAST/GREATEST: those skip a NULL in PostgreSQL and DuckDB, which would turn a
 * missing value into the threshold. */
static void capped_value(tbuf_t *b, const query_t *q, const sql_metric_t *m)
{
    int k = m->idx;
    if (!m->capped) {
        tb_printf(b, "dcx_x%d", k);
        return;
    }
    tb_puts(b, "(CASE");
    if (m->ignore_zeros)
        tb_printf(b, " WHEN dcx_x%d = 0 THEN dcx_x%d", k, k);
    if (!isnan(m->hi) || !isnan(m->phi)) {
        tb_printf(b, " WHEN dcx_x%d > ", k);
        threshold(b, q, m, 1);
        tb_puts(b, " THEN ");
        threshold(b, q, m, 1);
    }
    if (!isnan(m->lo) || !isnan(m->plo)) {
        tb_printf(b, " WHEN dcx_x%d < ", k);
        threshold(b, q, m, 0);
        tb_puts(b, " THEN ");
        threshold(b, q, m, 0);
    }
    tb_printf(b, " ELSE dcx_x%d END)", k);
}

/* 1 when metric m's value changed by the cap, else 0 (zeros unchanged with ignore_zeros) */
static void capped_flag(tbuf_t *b, const query_t *q, const sql_metric_t *m)
{
    int k = m->idx, hi = !isnan(m->hi) || !isnan(m->phi), lo = !isnan(m->lo) || !isnan(m->plo);
    tb_printf(b, "CASE WHEN dcx_x%d IS NOT NULL", k);
    if (m->ignore_zeros)
        tb_printf(b, " AND dcx_x%d <> 0", k);
    tb_puts(b, " AND (");
    if (hi) {
        tb_printf(b, "dcx_x%d > ", k);
        threshold(b, q, m, 1);
    }
    if (lo) {
        tb_printf(b, "%sdcx_x%d < ", hi ? " OR " : "", k);
        threshold(b, q, m, 0);
    }
    tb_puts(b, ") THEN 1 ELSE 0 END");
}

/* the pooled values of capped metric m, as its percentiles read them: NULL when missing
 * (or zero, with ignore_zeros) */
static void pooled(tbuf_t *b, const query_t *q, const sql_metric_t *m)
{
    tbuf_t x = {0};
    sql_number(&x, q->d, m->col);
    tb_puts(b, "CASE WHEN ");
    sql_present(b, q->d, m->col);
    if (m->ignore_zeros)
        tb_printf(b, " AND %s <> 0", S(&x));
    tb_printf(b, " THEN %s END", S(&x));
    tb_done(b, &x);
}

/* SQLite: percentile pct of the ranked values dcx_rank<idx> (x, i), type 7:
 * x[k + 1] + (h - k)(x[k + 2] - x[k + 1]), h = (n - 1) q, k = floor h */
static void sqlite_percentile(tbuf_t *b, const query_t *q, const sql_metric_t *m, double pct)
{
    int i = m->idx;
    tb_printf(b, "(SELECT (SELECT x FROM dcx_rank%d WHERE i = k + 1) + (h - k) * "
                 "((SELECT x FROM dcx_rank%d WHERE i = MIN(k + 2, n)) - "
                 "(SELECT x FROM dcx_rank%d WHERE i = k + 1)) FROM (SELECT n, h, CAST(h AS INTEGER) "
                 "AS k FROM (SELECT n, (n - 1) * ",
              i, i, i);
    sql_double(b, q->d, pct / 100);
    tb_printf(b, " AS h FROM (SELECT COUNT(*) AS n FROM dcx_rank%d))))", i);
}

/* WITH dcx_caps: every percentile threshold, from one pass over the table */
static void caps_cte(query_t *q)
{
    tbuf_t *b = &q->b;
    const dialect_t *d = q->d;
    if (d->pct == PCT_RANKS) {
        for (size_t i = 0; i < q->nm; i++) {
            const sql_metric_t *m = &q->ms[i];
            if (!pct_cap(m))
                continue;
            tb_printf(b, "dcx_pool%d AS (SELECT x FROM (SELECT ", m->idx);
            pooled(b, q, m);
            tb_puts(b, " AS x FROM ");
            sql_table(b, d, q->o->table);
            tb_printf(b, ") WHERE x IS NOT NULL),\ndcx_rank%d AS (SELECT x, ROW_NUMBER() OVER "
                         "(ORDER BY x) AS i FROM dcx_pool%d),\n",
                      m->idx, m->idx);
        }
    }
    int window = d->pct == PCT_WINDOW && !(q->o->cap_approx && d->approx);
    tb_puts(b, "dcx_caps AS (SELECT ");
    int first = 1;
    for (size_t i = 0; i < q->nm; i++) {
        const sql_metric_t *m = &q->ms[i];
        if (!pct_cap(m))
            continue;
        for (int upper = 0; upper <= 1; upper++) {
            double pct = upper ? m->phi : m->plo;
            if (isnan(pct))
                continue;
            tb_puts(b, first ? "" : ",\n       ");
            first = 0;
            if (d->pct == PCT_RANKS) {
                sqlite_percentile(b, q, m, pct);
            } else if (window) {
                tb_printf(b, "ANY_VALUE(dcx_p%s%d)", upper ? "hi" : "lo", m->idx);
            } else {
                tbuf_t x = {0};
                pooled(&x, q, m);
                sql_percentile(b, d, S(&x), pct, q->o->cap_approx);
                tb_done(b, &x);
            }
            tb_printf(b, " AS dcx_%s%d", upper ? "hi" : "lo", m->idx);
        }
    }
    if (window) { /* BigQuery's exact percentile is an analytic function */
        tb_puts(b, "\nFROM (SELECT ");
        first = 1;
        for (size_t i = 0; i < q->nm; i++) {
            const sql_metric_t *m = &q->ms[i];
            for (int upper = 0; upper <= 1 && pct_cap(m); upper++) {
                double pct = upper ? m->phi : m->plo;
                if (isnan(pct))
                    continue;
                tb_puts(b, first ? "" : ",\n             ");
                first = 0;
                tbuf_t x = {0};
                pooled(&x, q, m);
                sql_percentile(b, d, S(&x), pct, 0);
                tb_done(b, &x);
                tb_printf(b, " AS dcx_p%s%d", upper ? "hi" : "lo", m->idx);
            }
        }
        tb_puts(b, " FROM ");
        sql_table(b, d, q->o->table);
        tb_puts(b, ")");
    } else if (d->pct != PCT_RANKS) {
        tb_puts(b, " FROM ");
        sql_table(b, d, q->o->table);
    }
    tb_puts(b, "),\n");
}

/* the level of segment column `seg`: its text, or "(missing)" when NULL or empty */
static void segment_value(tbuf_t *b, const dialect_t *d, const char *seg)
{
    tb_puts(b, "CASE WHEN ");
    sql_present(b, d, seg);
    tb_printf(b, " THEN CAST(");
    sql_ident(b, d, seg);
    tb_printf(b, " AS %s) ELSE '(missing)' END", d->text);
}

/* a metric's value as its type reads it, or NULL when it (or its second column) is
 * missing */
static void metric_value(tbuf_t *b, const dialect_t *d, const sql_metric_t *m, int second)
{
    const char *two = m->den ? m->den : m->cov;
    if (second && !two)
        return;
    tb_puts(b, "CASE WHEN ");
    sql_present(b, d, m->col);
    if (two) {
        tb_puts(b, " AND ");
        sql_present(b, d, two);
    }
    tb_puts(b, " THEN ");
    if (second)
        sql_number(b, d, two);
    else if (m->kind == SK_BINARY)
        sql_binary(b, d, m->col);
    else if (m->kind == SK_NPS)
        sql_nps(b, d, m->col);
    else
        sql_number(b, d, m->col);
    tb_puts(b, " END");
}

/* SELECT of one row per unit with a variant: dcx_v, dcx_s1.., and the values of the
 * metrics that are (quantile = 1) or are not (0) quantiles */
static void unit_rows(query_t *q, int quantile)
{
    tbuf_t *b = &q->b;
    const dialect_t *d = q->d;
    tb_puts(b, "SELECT CAST(");
    sql_ident(b, d, q->vc);
    tb_printf(b, " AS %s) AS dcx_v", d->text);
    for (size_t s = 0; s < q->o->segment.n; s++) {
        tb_puts(b, ",\n       ");
        segment_value(b, d, q->o->segment.v[s]);
        tb_printf(b, " AS dcx_s%zu", s + 1);
    }
    for (size_t i = 0; i < q->nm; i++) {
        const sql_metric_t *m = &q->ms[i];
        if ((m->kind == SK_QUANTILE) != quantile)
            continue;
        tb_puts(b, ",\n       ");
        metric_value(b, d, m, 0);
        tb_printf(b, " AS dcx_x%d", m->idx);
        if (m->den || m->cov) {
            tb_puts(b, ",\n       ");
            metric_value(b, d, m, 1);
            tb_printf(b, " AS dcx_y%d", m->idx);
        }
        if (pct_cap(m)) {
            if (!isnan(m->plo))
                tb_printf(b, ", dcx_lo%d", m->idx);
            if (!isnan(m->phi))
                tb_printf(b, ", dcx_hi%d", m->idx);
        }
    }
    tb_puts(b, "\nFROM ");
    sql_table(b, d, q->o->table);
    if (!quantile && q->npct)
        tb_puts(b, " CROSS JOIN dcx_caps");
    tb_puts(b, "\nWHERE ");
    sql_present(b, d, q->vc);
}

/* the sums of dcx_g: units, and per metric n, Σx, Σx², Σy, Σy², Σxy, values capped, and
 * the thresholds carried from dcx_caps */
static void sums(query_t *q)
{
    tbuf_t *b = &q->b;
    tb_puts(b, "COUNT(*) AS dcx_units");
    for (size_t i = 0; i < q->nm; i++) {
        const sql_metric_t *m = &q->ms[i];
        if (m->kind == SK_QUANTILE)
            continue;
        tbuf_t x = {0};
        capped_value(&x, q, m);
        int k = m->idx;
        tb_printf(b, ",\n       COUNT(dcx_x%d) AS dcx_n%d, SUM(%s) AS dcx_sx%d", k, k, S(&x), k);
        if (m->kind != SK_BINARY)
            tb_printf(b, ", SUM(%s * %s) AS dcx_sxx%d", S(&x), S(&x), k);
        if (m->den || m->cov)
            tb_printf(b, ",\n       SUM(dcx_y%d) AS dcx_sy%d, SUM(dcx_y%d * dcx_y%d) AS dcx_syy%d, "
                         "SUM(%s * dcx_y%d) AS dcx_sxy%d",
                      k, k, k, k, k, S(&x), k, k);
        if (m->capped) {
            tb_puts(b, ",\n       SUM(");
            capped_flag(b, q, m);
            tb_printf(b, ") AS dcx_cn%d, COUNT(CASE WHEN dcx_x%d <> 0 THEN 1 END) AS dcx_nz%d", k, k, k);
        }
        if (pct_cap(m)) {
            if (!isnan(m->plo))
                tb_printf(b, ", MAX(dcx_lo%d) AS dcx_lo%d", k, k);
            if (!isnan(m->phi))
                tb_printf(b, ", MAX(dcx_hi%d) AS dcx_hi%d", k, k);
        }
        tb_done(b, &x);
    }
}

/* WITH dcx_g: the sums per variant for all units, for each level of each segment column,
 * and (when there are caps) the grand total that carries the thresholds */
static void sums_cte(query_t *q)
{
    tbuf_t *b = &q->b;
    size_t ns = q->o->segment.n;
    tb_puts(b, "dcx_g AS (");
    if (q->d->grouping_sets) {
        tb_puts(b, "SELECT dcx_v");
        for (size_t s = 0; s < ns; s++)
            tb_printf(b, ", dcx_s%zu", s + 1);
        tb_puts(b, ",\n       ");
        sums(q);
        tb_puts(b, "\nFROM dcx_u\nGROUP BY GROUPING SETS ((dcx_v)");
        for (size_t s = 0; s < ns; s++)
            tb_printf(b, ", (dcx_v, dcx_s%zu)", s + 1);
        tb_puts(b, q->ncap ? ", ())" : ")");
    } else { /* one GROUP BY per set, the same columns */
        for (size_t set = 0; set <= ns + (q->ncap ? 1 : 0); set++) {
            int total = set == ns + 1;
            tb_puts(b, set ? "\nUNION ALL\n" : "");
            tb_puts(b, total ? "SELECT NULL AS dcx_v" : "SELECT dcx_v");
            for (size_t s = 0; s < ns; s++) {
                if (set == s + 1)
                    tb_printf(b, ", dcx_s%zu", s + 1);
                else
                    tb_printf(b, ", NULL AS dcx_s%zu", s + 1);
            }
            tb_puts(b, ",\n       ");
            sums(q);
            tb_puts(b, "\nFROM dcx_u");
            if (!total)
                tb_puts(b, "\nGROUP BY dcx_v");
            if (set && !total)
                tb_printf(b, ", dcx_s%zu", set);
        }
    }
    tb_puts(b, "),\n");
}

/* the output column name, quoted */
static void as(tbuf_t *b, const query_t *q, int col)
{
    tb_puts(b, " AS ");
    sql_alias(b, q->d, out_cols[col]);
}

static const char *kind_name(const sql_metric_t *m)
{
    static const char *const n[] = {"binary", "mean", "ratio", "nps", "quantile"};
    return n[m->kind];
}

/* the type column's text: the kind, with Q for a quantile ("quantile=0.9") */
static void type_text(tbuf_t *b, const query_t *q, const sql_metric_t *m)
{
    char t[64], num[32];
    if (m->kind == SK_QUANTILE)
        snprintf(t, sizeof t, "quantile=%s", dcx_json_number_text(m->q, num));
    else
        snprintf(t, sizeof t, "%s", kind_name(m));
    sql_literal(b, q->d, t);
}


/* ---- the summary's rows ---------------------------------------------------------------- */

/* One kind of output row, numbered by dcx_m: the units row (0), a metric's row (its idx),
 * a cap row (nm + the metric's idx), or a quantile metric's row (its idx). */
typedef enum { E_UNITS, E_METRIC, E_CAP, E_QUANTILE } entry_kind_t;

typedef struct {
    int k;
    entry_kind_t kind;
    const sql_metric_t *m;
} entry_t;

enum { C_METRIC, C_TYPE, C_SEGMENT, C_VALUE, C_VARIANT, C_N, C_SUM, C_SUM_SQ, C_SUM2,
       C_SUM2_SQ, C_SUM_CROSS, C_CAPPED, C_CAP_LO, C_CAP_HI, C_CAP_IZ, C_Q, C_Q_LO, C_Q_HI };

/* the value of output column col in a row of entry e (nothing written: NULL) */
static void cell(tbuf_t *b, const query_t *q, const entry_t *e, int col)
{
    const sql_metric_t *m = e->m;
    int k = m ? m->idx : 0, two = m && (m->den || m->cov);
    switch (col) {
    case C_METRIC:
        if (e->kind == E_UNITS)
            tb_puts(b, "'*'");
        else
            sql_literal(b, q->d, m->name);
        break;
    case C_TYPE:
        if (e->kind == E_UNITS || e->kind == E_CAP)
            tb_puts(b, e->kind == E_UNITS ? "'units'" : "'cap'");
        else
            type_text(b, q, m);
        break;
    case C_N: /* units: assigned; metric: with a value; cap: the values that were not 0 */
        if (e->kind == E_UNITS)
            tb_puts(b, "dcx_units");
        else
            tb_printf(b, e->kind == E_CAP ? "dcx_nz%d" : "dcx_n%d", k);
        break;
    case C_SUM:
        if (e->kind == E_METRIC || e->kind == E_QUANTILE)
            tb_printf(b, "COALESCE(dcx_sx%d, 0)", k);
        break;
    case C_SUM_SQ:
        if (e->kind == E_METRIC || e->kind == E_QUANTILE)
            tb_printf(b, "COALESCE(dcx_s%sx%d, 0)", m->kind == SK_BINARY ? "" : "x", k);
        break;
    case C_SUM2:
    case C_SUM2_SQ:
    case C_SUM_CROSS:
        if (e->kind == E_METRIC && two)
            tb_printf(b, "COALESCE(dcx_s%s%d, 0)",
                      col == C_SUM2 ? "y" : col == C_SUM2_SQ ? "yy" : "xy", k);
        break;
    case C_CAPPED:
        if (e->kind == E_METRIC && m->capped)
            tb_printf(b, "COALESCE(dcx_cn%d, 0)", k);
        break;
    case C_CAP_LO:
    case C_CAP_HI:
        if (e->kind == E_CAP)
            threshold(b, q, m, col == C_CAP_HI);
        break;
    case C_CAP_IZ:
        if (e->kind == E_CAP)
            tb_printf(b, "%d", m->ignore_zeros);
        break;
    case C_Q:
        if (e->kind == E_QUANTILE)
            tb_printf(b, "dcx_qa%d + (dcx_h%d - dcx_qk%d) * (dcx_qb%d - dcx_qa%d)", k, k, k, k, k);
        break;
    case C_Q_LO:
    case C_Q_HI:
        if (e->kind == E_QUANTILE)
            tb_printf(b, "dcx_q%s%d", col == C_Q_LO ? "l" : "u", k);
        break;
    }
}

/* CASE dcx_m WHEN k THEN ... END AS "col", over the entries; a column no entry fills is
 * a typed NULL, so that the two parts of dcx_r agree */
static void column(tbuf_t *b, const query_t *q, const entry_t *es, size_t ne, int col)
{
    tbuf_t c = {0};
    size_t any = 0;
    for (size_t i = 0; i < ne; i++) {
        tbuf_t e = {0};
        cell(&e, q, &es[i], col);
        if (e.len) {
            tb_printf(&c, " WHEN %d THEN %s", es[i].k, S(&e));
            any++;
        }
        tb_done(&c, &e);
    }
    int count = col == C_N || col == C_CAPPED || col == C_CAP_IZ;
    if (!any)
        tb_printf(b, "CAST(NULL AS %s)", count ? "INTEGER" : q->d->dbl);
    else
        tb_printf(b, "CASE dcx_m%s END", S(&c));
    tb_done(b, &c);
    as(b, q, col);
}

/* the segment column (value = 0) or its level (1) of the set a dcx_g row belongs to: the
 * one segment column that is not NULL, else all units */
static void g_segment(tbuf_t *b, const query_t *q, int value)
{
    size_t ns = q->o->segment.n;
    if (!ns) {
        tb_puts(b, "'all'");
        return;
    }
    if (value) {
        tb_puts(b, "COALESCE(");
        for (size_t s = 0; s < ns; s++)
            tb_printf(b, "dcx_s%zu, ", s + 1);
        tb_puts(b, "'all')");
        return;
    }
    tb_puts(b, "CASE");
    for (size_t s = 0; s < ns; s++) {
        tb_printf(b, " WHEN dcx_s%zu IS NOT NULL THEN ", s + 1);
        sql_literal(b, q->d, q->o->segment.v[s]);
    }
    tb_puts(b, " ELSE 'all' END");
}

/* SELECT of part of dcx_r: the output columns of each entry, from dcx_g or dcx_qg */
static void rows_part(query_t *q, const entry_t *es, size_t ne, int quantile)
{
    tbuf_t *b = &q->b;
    for (int col = 0; col < (int)NOUT; col++) {
        tb_puts(b, col ? ",\n       " : "SELECT ");
        if (col == C_SEGMENT || col == C_VALUE) {
            if (quantile && col == C_VALUE) {
                tb_puts(b, "dcx_sv");
            } else if (quantile) {
                tb_puts(b, "CASE dcx_k WHEN 0 THEN 'all'");
                for (size_t s = 0; s < q->o->segment.n; s++) {
                    tb_printf(b, " WHEN %zu THEN ", s + 1);
                    sql_literal(b, q->d, q->o->segment.v[s]);
                }
                tb_puts(b, " END");
            } else {
                g_segment(b, q, col == C_VALUE);
            }
            as(b, q, col);
        } else if (col == C_VARIANT) {
            tb_puts(b, "COALESCE(dcx_v, '')");
            as(b, q, col);
        } else {
            column(b, q, es, ne, col);
        }
    }
    tb_printf(b, "\nFROM %s CROSS JOIN (", quantile ? "dcx_qg" : "dcx_g");
    for (size_t i = 0; i < ne; i++)
        tb_printf(b, "%sSELECT %d AS dcx_m", i ? " UNION ALL " : "", es[i].k);
    tb_puts(b, ") AS dcx_entries");
    if (!quantile)
        tb_printf(b, "\nWHERE (dcx_v IS NOT NULL AND dcx_m <= %zu) OR (dcx_v IS NULL AND dcx_m > %zu)",
                  q->nm, q->nm);
}

/* ---- quantile metrics ------------------------------------------------------------------ */

/* WITH dcx_qu, dcx_qk, dcx_q, dcx_qg: each unit row once per level it belongs to (all
 * units and each segment column's level), ranked per level and variant, and per metric
 * its n, sums, type-7 quantile (x[k + 1] + (h - k)(x[k + 2] - x[k + 1]), h = (n - 1) Q)
 * and the order statistics x(L), x(U) of the rank window
 * L = max(1, floor(nQ - z sqrt(nQ(1 - Q)))), U = min(n, ceil(nQ + z sqrt(nQ(1 - Q)))),
 * z = qnorm(0.975), found without a square root: rank i <= nQ - w exactly when
 * nQ - i >= 0 and (nQ - i)^2 >= z^2 n Q (1 - Q). */
static void quantile_ctes(query_t *q)
{
    tbuf_t *b = &q->b;
    const dialect_t *d = q->d;
    size_t ns = q->o->segment.n;
    tb_puts(b, "dcx_qu AS (");
    unit_rows(q, 1);
    tb_puts(b, "),\ndcx_qk AS (SELECT dcx_k, ");
    if (ns) { /* (a CASE needs one WHEN: with no segment every row is at level all) */
        tb_puts(b, "CASE dcx_k");
        for (size_t s = 0; s < ns; s++)
            tb_printf(b, " WHEN %zu THEN dcx_s%zu", s + 1, s + 1);
        tb_puts(b, " ELSE 'all' END");
    } else {
        tb_puts(b, "'all'");
    }
    tb_puts(b, " AS dcx_sv, dcx_v");
    for (size_t i = 0; i < q->nm; i++)
        if (q->ms[i].kind == SK_QUANTILE)
            tb_printf(b, ", dcx_x%d", q->ms[i].idx);
    tb_puts(b, "\nFROM dcx_qu CROSS JOIN (");
    for (size_t s = 0; s <= ns; s++)
        tb_printf(b, "%sSELECT %zu AS dcx_k", s ? " UNION ALL " : "", s);
    tb_puts(b, ") AS dcx_sets),\ndcx_q AS (SELECT dcx_k, dcx_sv, dcx_v");
    for (size_t i = 0; i < q->nm; i++) {
        int k = q->ms[i].idx;
        if (q->ms[i].kind != SK_QUANTILE)
            continue;
        tb_printf(b, ",\n       dcx_x%d, ROW_NUMBER() OVER (PARTITION BY dcx_k, dcx_sv, dcx_v "
                     "ORDER BY dcx_x%d NULLS LAST) AS dcx_i%d,\n       COUNT(dcx_x%d) OVER "
                     "(PARTITION BY dcx_k, dcx_sv, dcx_v) AS dcx_c%d",
                  k, k, k, k, k);
    }
    tb_puts(b, "\nFROM dcx_qk),\ndcx_qg AS (SELECT dcx_k, dcx_sv, dcx_v");
    double z = dcx_dist_norm_quantile(0.025, 0);
    for (size_t i = 0; i < q->nm; i++) {
        const sql_metric_t *m = &q->ms[i];
        int k = m->idx;
        if (m->kind != SK_QUANTILE)
            continue;
        tbuf_t h = {0}, nq = {0}, w2 = {0};
        tb_printf(&h, "CAST(dcx_c%d - 1 AS %s) * ", k, d->dbl);
        sql_double(&h, d, m->q);
        tb_printf(&nq, "CAST(dcx_c%d AS %s) * ", k, d->dbl);
        sql_double(&nq, d, m->q);
        tb_printf(&w2, "CAST(dcx_c%d AS %s) * ", k, d->dbl);
        sql_double(&w2, d, z * z * m->q * (1 - m->q));
        tb_printf(b, ",\n       COUNT(dcx_x%d) AS dcx_n%d, SUM(dcx_x%d) AS dcx_sx%d, "
                     "SUM(dcx_x%d * dcx_x%d) AS dcx_sxx%d,",
                  k, k, k, k, k, k, k);
        tb_printf(b, "\n       MAX(%s) AS dcx_h%d,", S(&h), k);
        tb_printf(b, "\n       MAX(CASE WHEN dcx_i%d - 1 <= %s THEN dcx_i%d - 1 END) AS dcx_qk%d,",
                  k, S(&h), k, k);
        tb_printf(b, "\n       MAX(CASE WHEN dcx_i%d - 1 <= %s THEN dcx_x%d END) AS dcx_qa%d,", k,
                  S(&h), k, k);
        tb_printf(b, "\n       MIN(CASE WHEN dcx_i%d - 1 >= %s THEN dcx_x%d END) AS dcx_qb%d,", k,
                  S(&h), k, k);
        tb_printf(b, "\n       COALESCE(MAX(CASE WHEN %s - dcx_i%d >= 0 AND (%s - dcx_i%d) * (%s - "
                     "dcx_i%d) >= %s THEN dcx_x%d END), MIN(dcx_x%d)) AS dcx_ql%d,",
                  S(&nq), k, S(&nq), k, S(&nq), k, S(&w2), k, k, k);
        tb_printf(b, "\n       COALESCE(MIN(CASE WHEN dcx_i%d - %s >= 0 AND (dcx_i%d - %s) * (dcx_i%d "
                     "- %s) >= %s THEN dcx_x%d END), MAX(dcx_x%d)) AS dcx_qu%d",
                  k, S(&nq), k, S(&nq), k, S(&nq), S(&w2), k, k, k);
        tb_done(b, &h);
        tb_done(b, &nq);
        tb_done(b, &w2);
    }
    tb_puts(b, "\nFROM dcx_q\nGROUP BY dcx_k, dcx_sv, dcx_v),\n");
}

/* ---- dcx_sql_query ------------------------------------------------------------------- */

static dcx_status_t check_options(const dcx_sql_opts_t *o, const dialect_t *d, const char *vc,
                                  dcx_error_t *err)
{
    if (!d)
        return dcx_error_set(err, DCX_EINVAL,
                             "missing --dialect (postgres, sqlite, duckdb, bigquery, snowflake, spark)");
    if (!o->table || !*o->table)
        return dcx_error_set(err, DCX_EINVAL, "missing --table T");
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
    for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++)
        if (!strcasecmp(o->table, own_names[i]))
            return dcx_error_set(err, DCX_EINVAL,
                                 "--table %s: the query names its own parts dcx_...; qualify the "
                                 "table with its schema",
                                 o->table);
    for (size_t s = 0; s < o->segment.n; s++) {
        if ((st = check_name("--segment", o->segment.v[s], err)))
            return st;
        for (size_t t = 0; t < s; t++)
            if (!strcmp(o->segment.v[s], o->segment.v[t]))
                return dcx_error_set(err, DCX_EINVAL, "--segment %s: given twice", o->segment.v[s]);
    }
    return DCX_OK;
}

/* Every --cap and --cap-ignore-zeros names a metric; no metric is named twice. */
static dcx_status_t check_names(const query_t *q, dcx_error_t *err)
{
    const dcx_sql_opts_t *o = q->o;
    for (size_t i = 0; i < q->nm; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(q->ms[i].name, q->ms[j].name))
                return dcx_error_set(err, DCX_EINVAL, "--metric %s: given twice", q->ms[i].name);
    for (size_t k = 0; k < o->cap.n + o->cap_ignore_zeros.n; k++) {
        int cap = k < o->cap.n;
        const char *spec = cap ? o->cap.v[k] : o->cap_ignore_zeros.v[k - o->cap.n];
        int found = 0;
        for (size_t i = 0; i < q->nm; i++)
            found |= names(spec, q->ms[i].name, cap);
        if (!found)
            return dcx_error_set(err, DCX_EINVAL, "%s '%s': no --metric of that name",
                                 cap ? "--cap" : "--cap-ignore-zeros", spec);
    }
    return DCX_OK;
}

/* the comment that opens the query: what it is and how to export it */
static void preamble(query_t *q)
{
    tbuf_t *b = &q->b;
    tb_printf(b, "-- dcx sql, %s: the summary CSV (docs/formats.md) for dcx analyze --summary.\n"
                 "-- Export every row of the result as CSV with a header (docs/warehouse.md): the\n"
                 "-- summary says how many rows it has (rows_total), and dcx refuses a cut one.\n",
              q->d->name);
    if (q->o->cap_approx && q->npct)
        tb_printf(b, q->d->approx ? "-- --cap-approx: thresholds from %s, an approximation.\n"
                                  : "-- --cap-approx: %s has no approximate percentile; the "
                                    "thresholds are exact.\n",
                  q->d->approx ? q->d->approx : q->d->name);
}

static void write_query(query_t *q)
{
    tbuf_t *b = &q->b;
    preamble(q);
    tb_puts(b, "WITH ");
    if (q->npct)
        caps_cte(q);
    tb_puts(b, "dcx_u AS (");
    unit_rows(q, 0);
    tb_puts(b, "),\n");
    sums_cte(q);
    if (q->nquant)
        quantile_ctes(q);
    /* the entries: units, each metric, each cap; then each quantile metric */
    entry_t *es = calloc(2 * q->nm + 1, sizeof *es);
    if (!es) {
        b->oom = 1;
        return;
    }
    size_t ne = 0;
    es[ne++] = (entry_t){0, E_UNITS, NULL};
    for (size_t i = 0; i < q->nm; i++)
        if (q->ms[i].kind != SK_QUANTILE)
            es[ne++] = (entry_t){q->ms[i].idx, E_METRIC, &q->ms[i]};
    for (size_t i = 0; i < q->nm; i++)
        if (q->ms[i].capped)
            es[ne++] = (entry_t){(int)q->nm + q->ms[i].idx, E_CAP, &q->ms[i]};
    tb_puts(b, "dcx_r AS (");
    rows_part(q, es, ne, 0);
    if (q->nquant) {
        size_t nq = 0;
        for (size_t i = 0; i < q->nm; i++)
            if (q->ms[i].kind == SK_QUANTILE)
                es[nq++] = (entry_t){q->ms[i].idx, E_QUANTILE, &q->ms[i]};
        tb_puts(b, "\nUNION ALL\n");
        rows_part(q, es, nq, 1);
    }
    free(es);
    tb_puts(b, ")\nSELECT dcx_r.*, COUNT(*) OVER () AS ");
    sql_alias(b, q->d, "rows_total");
    tb_puts(b, "\nFROM dcx_r\nORDER BY 1, 3, 4, 5, 2;\n");
}

dcx_status_t dcx_sql_query(const dcx_sql_opts_t *given, FILE *f, dcx_error_t *err)
{
    query_t q = {0};
    dcx_sql_opts_t w = *given; /* with the definitions' metrics, caps and covariates */
    const dcx_sql_opts_t *o = &w;
    q.o = o;
    q.d = sql_dialect(o->dialect);
    q.vc = o->variant_column ? o->variant_column : "variant";
    dcx_metric_lists_t lists;
    if (o->post_stratify)
        return dcx_error_set(err, DCX_EINVAL,
                             "--post-stratify: the summary CSV has no stratum column, so dcx analyze "
                             "--summary cannot post-stratify; export the unit rows with the column "
                             "and run dcx analyze --input ... --post-stratify COL");
    dcx_status_t st = check_options(o, q.d, q.vc, err);
    if (st)
        return st;
    if ((st = dcx_metric_lists(&given->metrics, &given->metric, &given->cap, &given->cuped,
                               &given->cap_ignore_zeros, &lists, err))) {
        dcx_metric_lists_free(&lists);
        return st;
    }
    w.metric = lists.metric;
    w.cap = lists.cap;
    w.cuped = lists.cuped;
    w.cap_ignore_zeros = lists.cap_ignore_zeros;
    if (!(q.ms = calloc(o->metric.n, sizeof *q.ms))) {
        dcx_metric_lists_free(&lists);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < o->metric.n && !st; i++) {
        st = sql_metric_parse(o, &lists.columns, o->metric.v[i], &q.ms[i], err);
        q.nm = i + 1;
        q.ms[i].idx = (int)i + 1;
        q.ncap += q.ms[i].capped;
        q.npct += pct_cap(&q.ms[i]);
        q.nquant += q.ms[i].kind == SK_QUANTILE;
    }
    if (!st)
        st = check_names(&q, err);
    if (!st) { /* the whole query is built first: nothing is written unless it is complete */
        write_query(&q);
        if (q.b.oom)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        else if (fwrite(q.b.s, 1, q.b.len, f) != q.b.len || ferror(f))
            st = dcx_error_set(err, DCX_EIO, "write error");
    }
    for (size_t i = 0; i < q.nm; i++)
        sql_metric_free(&q.ms[i]);
    free(q.ms);
    tb_free(&q.b);
    dcx_metric_lists_free(&lists);
    return st;
}
