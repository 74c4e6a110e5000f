/* summary_read.c — the summary CSV (what `dcx aggregate` or `dcx sql` produce): one row of
 * sufficient statistics (n, sums, sums of squares, cross sums) per metric × segment level
 * × variant, a units row per variant and level (assigned units, for the SRM), a cap row
 * per capped metric (its thresholds), and for a quantile metric the quantile and the two
 * order statistics of its rank window. Each row is checked to be the sums of some data,
 * turned into moments and merged into its cell; several files add up (quantiles cannot),
 * and data_finish_summary closes the store.
 *
 * A summary says how many rows it has (rows_total, on every row): a file with fewer rows,
 * or one where a metric lacks a row that another row shows exists (a variant at a level),
 * is refused, since a warehouse client that cuts an export (bq's 100 rows) leaves a file
 * that still parses. Header names match in any case; NULL or null in a number column is
 * an empty cell, as warehouse clients write them. */
#include "cells.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcx/csv.h"
#include "numparse.h"

const char *const summary_cols[SUMMARY_NALL] = {
    "metric",   "type",      "segment",   "segment_value",    "variant",  "n",
    "sum",      "sum_sq",    "sum2",      "sum2_sq",          "sum_cross", "capped_n",
    "cap_lower", "cap_upper", "cap_ignore_zeros", "quantile", "quantile_lower",
    "quantile_upper", "rows_total", "sum3", "sum3_sq", "sum4", "sum4_sq", "sum_cross13",
    "sum_cross14", "sum_cross23", "sum_cross24", "sum_cross34"};

/* the column named name in any case, or -1 */
static long find_column(const dcx_csv_row_t *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcasecmp(h->fields[i], name))
            return (long)i;
    return -1;
}

dcx_status_t data_summary_columns(const char *file, const dcx_csv_row_t *header,
                                  long ci[SUMMARY_NALL], dcx_error_t *err)
{
    for (int k = 0; k < SUMMARY_NALL; k++)
        if ((ci[k] = find_column(header, summary_cols[k])) < 0 && k < SUMMARY_NCOLS)
            return data_missing_column(file, header, "summary", summary_cols[k], err);
    return DCX_OK;
}

int data_summary_blank(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return !len || (len == 4 && !strncasecmp(s, "null", 4));
}

/* ---- one row ------------------------------------------------------------------------- */

typedef enum { R_METRIC, R_UNITS, R_CAP, R_QUANTILE } row_kind_t;

typedef struct {
    data_t *d;
    const char *file;
    const dcx_csv_row_t *row;
    const long *ci;
    dcx_error_t *err;
} rowctx_t;

/* field k of the row ("" when the file has no such column) */
static const char *field(const rowctx_t *r, int k, size_t *len)
{
    long c = r->ci[k];
    if (c < 0) {
        *len = 0;
        return "";
    }
    *len = r->row->lens[c];
    return r->row->fields[c];
}

static dcx_status_t bad(const rowctx_t *r, int k, const char *fmt, const char *arg)
{
    return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, r->ci[k] + 1, fmt, arg);
}

/* number in column k into *v: *v = NAN and 1 when blank and allowed; 0 on success;
 * an error otherwise */
static dcx_status_t number(const rowctx_t *r, int k, int blank_ok, double *v, const char *hint)
{
    size_t len;
    const char *s = field(r, k, &len);
    *v = NAN;
    if (r->ci[k] < 0 || data_summary_blank(s, len)) {
        if (blank_ok)
            return DCX_OK;
        if (r->ci[k] < 0)
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, 0,
                                "a %s row needs the column '%s', which the header lacks", hint,
                                summary_cols[k]);
        return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, r->ci[k] + 1,
                            "column '%s': empty (%s)", summary_cols[k], hint);
    }
    if (!dcx_parse_number(s, len, v))
        return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, r->ci[k] + 1,
                            "column '%s': '%.60s' is not a number", summary_cols[k], s);
    return DCX_OK;
}

/* The row's kind, and for a metric row the metric *mi (the row's type checked against the
 * one asked for, or taken when none was); *skip for a row of a metric not asked for. */
static dcx_status_t row_kind(const rowctx_t *r, row_kind_t *kind, size_t *mi, int *skip)
{
    data_t *d = r->d;
    size_t tlen, len;
    const char *type = field(r, 1, &tlen), *name = field(r, 0, &len);
    *skip = 0;
    if (!strcmp(type, "units")) {
        *kind = R_UNITS;
        return DCX_OK;
    }
    long found = metric_index(d, name, len);
    if (found < 0) {
        *skip = 1; /* a metric not asked for */
        return DCX_OK;
    }
    size_t i = (size_t)found;
    *mi = i;
    metric_t *m = &d->metrics[i];
    if (!strcmp(type, "cap")) {
        *kind = R_CAP;
        return DCX_OK;
    }
    double q = NAN;
    mtype_t t = !strcmp(type, "binary") ? MT_BINARY
                : !strcmp(type, "mean") ? MT_MEAN
                : !strcmp(type, "ratio") ? MT_RATIO
                : !strcmp(type, "nps")  ? MT_NPS
                : !strncmp(type, "quantile=", 9) && dcx_parse_number(type + 9, strlen(type + 9), &q)
                        && q > 0 && q < 1
                    ? MT_QUANTILE
                    : MT_AUTO;
    if (t == MT_AUTO)
        return bad(r, 1, "column 'type': '%s' is not binary, mean, ratio, nps, quantile=Q, units or cap",
                   type);
    m->seen = 1;
    if (m->type == MT_AUTO) {
        m->type = t;
        m->q = q;
        if (metric_check_cuped(m, r->err)) { /* where the summary says what the metric is */
            char msg[DCX_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", r->err->message);
            return dcx_error_at(r->err, DCX_EINVAL, r->file, r->row->line, r->ci[1] + 1, "%s", msg);
        }
    } else if (m->type != t) {
        return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, r->ci[1] + 1,
                            "metric '%s' is %s here but %s was asked for", name, type,
                            mtype_name(m->type));
    } else if (t == MT_QUANTILE && q != m->q) {
        char want[32];
        snprintf(want, sizeof want, "%.17g", m->q);
        return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, r->ci[1] + 1,
                            "metric '%s' is %s here but quantile=%s was asked for", name, type, want);
    }
    *kind = t == MT_QUANTILE ? R_QUANTILE : R_METRIC;
    return DCX_OK;
}

/* The row's segment level *level (*skip for a segment not asked for) and variant *v. */
static dcx_status_t row_place(const rowctx_t *r, size_t *level, long *v, int *skip)
{
    data_t *d = r->d;
    size_t len, vlen;
    const char *seg = field(r, 2, &len), *val = field(r, 3, &vlen);
    dcx_status_t st;
    *skip = 0;
    if (!strcmp(seg, "all")) {
        *level = 0;
    } else {
        size_t k = 0;
        while (k < d->nseg && strcmp(d->segs[k], seg))
            k++;
        if (k == d->nseg) {
            *skip = 1; /* a segment not asked for */
            return DCX_OK;
        }
        if ((st = data_segment_level(d, k, val, vlen, level, r->err)))
            return st;
    }
    const char *vs = field(r, 4, &vlen);
    if (!vlen)
        return bad(r, 4, "column 'variant': empty%s", "");
    if ((*v = dcx_strmap_put(&d->variants, vs, vlen)) < 0)
        return dcx_error_set(r->err, DCX_ENOMEM, "out of memory");
    return data_reserve_variant(d, (size_t)*v, r->err);
}

/* Can n values have sum s and sum of squares ss? 0 yes, 1 no (ss < s²/n beyond a
 * relative 1e-9 of rounding), 2 the numbers overflow. *m2 = ss − s²/n. *unresolved is
 * set when the sums cannot resolve the spread: a non-zero m2 below 1e-10 of ss (values
 * large relative to their spread, the variance lost in the sums' rounding). */
static int sums_check(double n, double s, double ss, double *m2, int *unresolved)
{
    *m2 = 0;
    if (n == 0)
        return s == 0 && ss == 0 ? 0 : 1;
    double sq = s * (s / n);
    if (!isfinite(sq) || !isfinite(ss))
        return 2;
    *m2 = ss - sq;
    if (*m2 < -1e-9 * fabs(ss))
        return 1;
    if (*m2 != 0 && fabs(*m2) < 1e-10 * fabs(ss))
        *unresolved = 1;
    return 0;
}

/* n in column 'n': a whole number >= 0 */
static dcx_status_t count(const rowctx_t *r, double *n)
{
    dcx_status_t st = number(r, 5, 0, n, "a count");
    if (!st && (!(*n >= 0) || *n != floor(*n)))
        return bad(r, 5, "column 'n': '%s' is not a whole number >= 0", r->row->fields[r->ci[5]]);
    return st;
}

/* Could sums ab of products go with the spreads m2a and m2b (the sums of squares ssa and
 * ssb, for rounding)? 0 yes, 2 the numbers overflow, 3 a covariance larger than both
 * spreads allow. */
static int cross_check(double cab, double m2a, double m2b, double ssa, double ssb)
{
    double lim = sqrt(fmax(m2a, 0) * fmax(m2b, 0));
    double tol = 1e-9 * sqrt(fabs(ssa) * fabs(ssb));
    if (!isfinite(cab))
        return 2;
    return fabs(cab) > lim * (1 + 1e-9) + tol ? 3 : 0;
}

/* A ratio CUPED row's sums of the covariate pair (columns sum3 .. sum_cross34, into
 * e[0..9)), checked as the outcome's are: Σx² ≥ (Σx)²/n for each covariate column, and
 * every cross sum within what the two spreads allow. num: the row's n and outcome sums. */
static dcx_status_t row_sums4(const rowctx_t *r, const metric_t *m, const double num[6],
                              double e[9], int *unresolved)
{
    dcx_status_t st;
    for (int k = 0; k < 9; k++) {
        if (r->ci[SUMMARY_NBASE + k] < 0)
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, 0,
                                "metric '%s' is adjusted by a covariate pair (--cuped %s=%s/%s), but "
                                "the summary has no column '%s': it was made without one (give "
                                "dcx aggregate or dcx sql the same --cuped)",
                                m->name, m->name, m->cov, m->cov2, summary_cols[SUMMARY_NBASE + k]);
        if ((st = number(r, SUMMARY_NBASE + k, 0, &e[k], "ratio CUPED")))
            return st;
    }
    double n = num[0], m2[4] = {0, 0, 0, 0};
    double s[4] = {num[1], num[3], e[0], e[2]}, ss[4] = {num[2], num[4], e[1], e[3]};
    const long *ci = r->ci;
    for (int k = 2; k < 4; k++) {
        int bad2 = sums_check(n, s[k], ss[k], &m2[k], unresolved);
        if (bad2)
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, ci[SUMMARY_NBASE + 2 * (k - 2) + 1] + 1,
                                bad2 == 2 ? "metric '%s': the sums are too large for a double (a "
                                            "square overflows)"
                                          : "metric '%s': a covariate's sum of squares is smaller "
                                            "than its sum^2/n: no data have these sums",
                                m->name);
    }
    if (n == 0) { /* no units: every cross sum is 0 too */
        for (int k = 0; k < 5; k++)
            if (e[4 + k] != 0)
                return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, ci[SUMMARY_NBASE + 4 + k] + 1,
                                    "metric '%s': n is 0 but a cross sum is not: no data have these sums",
                                    m->name);
        return DCX_OK;
    }
    for (int k = 0; k < 2; k++) /* the outcome pair's spreads (checked by row_sums) */
        m2[k] = ss[k] - s[k] * (s[k] / n);
    /* sum_cross13, 14, 23, 24, 34: the pairs (a, b) of columns, 0-based */
    static const int pa[5] = {0, 0, 1, 1, 2}, pb[5] = {2, 3, 2, 3, 3};
    for (int k = 0; k < 5; k++) {
        int a = pa[k], b = pb[k];
        double cab = e[4 + k] - s[a] * s[b] / n;
        int bad2 = cross_check(cab, m2[a], m2[b], ss[a], ss[b]);
        if (bad2)
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, ci[SUMMARY_NBASE + 4 + k] + 1,
                                bad2 == 2 ? "metric '%s': the sums are too large for a double (a "
                                            "product overflows)"
                                          : "metric '%s': a cross sum is impossible for these sums (a "
                                            "covariance larger than both spreads allow)",
                                m->name);
    }
    return DCX_OK;
}

/* The row's numbers for metric m (of its resolved type): num[] = n, sum, sum_sq, sum2,
 * sum2_sq, sum_cross, checked to be those of some data; *ones and *neg, the counts of a
 * binary or NPS metric; *unresolved when the sums cannot resolve the variance. */
static dcx_status_t row_sums(const rowctx_t *r, const metric_t *m, double num[6], double *ones,
                             double *neg, int *unresolved)
{
    const char *name = m->name;
    mtype_t t = m->type;
    int need2 = t == MT_RATIO || m->cov;
    dcx_status_t st;
    if ((st = count(r, &num[0])))
        return st;
    for (int k = 1; k < 6; k++) {
        if ((st = number(r, 5 + k, k >= 3 && !need2, &num[k],
                         k >= 3 ? "ratio and CUPED metrics need sum2, sum2_sq, sum_cross" : "a sum")))
            return st;
        if (isnan(num[k]))
            num[k] = 0;
    }
    const long *ci = r->ci;
    *ones = *neg = 0;
    if (t == MT_BINARY) {
        if (num[1] != num[2] || num[1] < 0 || num[1] > num[0] || num[1] != floor(num[1]))
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, ci[6] + 1,
                                "binary metric '%s': sum and sum_sq must be the same count "
                                "of conversions, 0 <= sum <= n",
                                name);
        *ones = num[1];
    } else if (t == MT_NPS) {
        *ones = (num[2] + num[1]) / 2;
        *neg = (num[2] - num[1]) / 2;
        if (*ones < 0 || *neg < 0 || *ones + *neg > num[0] || *ones != floor(*ones))
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, ci[6] + 1,
                                "nps metric '%s': sum (promoters - detractors) and sum_sq "
                                "(promoters + detractors) are inconsistent with n",
                                name);
    }
    /* the sums must be those of some data: Σx² ≥ (Σx)²/n up to rounding, for the
     * value and for the second variable, and a covariance no larger than both spreads
     * allow; a variance is never silently clamped to 0 */
    *unresolved = 0;
    if (t == MT_MEAN || t == MT_RATIO || t == MT_QUANTILE || m->cov) {
        double m2x, m2y = 0;
        int bad2 = sums_check(num[0], num[1], num[2], &m2x, unresolved);
        long col = ci[7];
        if (!bad2 && need2) {
            bad2 = sums_check(num[0], num[3], num[4], &m2y, unresolved);
            col = ci[9];
            if (!bad2 && num[0] == 0 && num[5] != 0) { /* no units, yet a cross sum */
                bad2 = 3;
                col = ci[10];
            } else if (!bad2 && num[0] > 0) {
                bad2 = cross_check(num[5] - num[1] * num[3] / num[0], m2x, m2y, num[2], num[4]);
                col = ci[10];
            }
        } else if (bad2) {
            col = ci[7];
        }
        if (bad2)
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, col + 1,
                                bad2 == 2 ? "metric '%s': the sums are too large for a double "
                                            "(a square overflows)"
                                : bad2 == 3 ? "metric '%s': sum_cross is impossible for these "
                                              "sums (a covariance larger than both spreads allow)"
                                            : "metric '%s': sum_sq is smaller than sum^2/n: no "
                                              "data have these sums (a negative variance)",
                                name);
    }
    return DCX_OK;
}

/* A metric or quantile row into its cell. */
static dcx_status_t read_metric(const rowctx_t *r, size_t mi, size_t level, long v, int quantile)
{
    data_t *d = r->d;
    const metric_t *m = &d->metrics[mi];
    double num[6], ones = 0, neg = 0, capped = NAN;
    int unresolved = 0;
    dcx_status_t st = row_sums(r, m, num, &ones, &neg, &unresolved);
    if (!st)
        st = number(r, 11, 1, &capped, "values capped");
    if (!st && !isnan(capped) && (!(capped >= 0 && capped <= num[0]) || capped != floor(capped)))
        return bad(r, 11, "column 'capped_n': '%s' is not a count from 0 to n",
                   r->row->fields[r->ci[11]]);
    if (st)
        return st;
    cell_t *c = level_cell(d, &d->levels[level], (size_t)v, mi);
    if (quantile) {
        double q[3];
        for (int k = 0; k < 3 && !st; k++)
            st = number(r, 15 + k, num[0] == 0, &q[k], "a quantile row with n > 0");
        if (st)
            return st;
        if (c->qset)
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, 0,
                                "quantile metric '%s': a second row for variant '%s' at the same "
                                "level; the quantiles of several shards do not add up (analyse "
                                "the units of all shards together)",
                                m->name, d->variants.keys[v]);
        if (num[0] > 0 && !(q[1] <= q[0] && q[0] <= q[2]))
            return bad(r, 15, "quantile metric '%s': quantile_lower <= quantile <= "
                              "quantile_upper does not hold",
                       m->name);
        c->qset = 1;
        c->qv = q[0], c->qlo = q[1], c->qhi = q[2];
    }
    cell_t one; /* the row's sums as a cell of their own, merged into the cell */
    cell_ext_t ext;
    memset(&one, 0, sizeof one);
    if ((st = dcx_moments_from_sums(&one.m, num[0], num[1], num[2], num[3], num[4], num[5], r->err)))
        return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, 0, "%s", r->err->message);
    if (m->cov2 && m->type == MT_RATIO) {
        double e[9];
        if ((st = row_sums4(r, m, num, e, &unresolved)))
            return st;
        /* from_sums shifts by the means, so the deviations' cross sums are the centred
         * ones, Σab − ΣaΣb/n */
        memset(&ext, 0, sizeof ext);
        if ((st = dcx_moments_from_sums(&ext.cov, num[0], e[0], e[1], e[2], e[3], e[8], r->err)))
            return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, 0, "%s", r->err->message);
        double n = num[0];
        if (n > 0) {
            ext.cross[0] = e[4] - num[1] * e[0] / n;
            ext.cross[1] = e[5] - num[1] * e[2] / n;
            ext.cross[2] = e[6] - num[3] * e[0] / n;
            ext.cross[3] = e[7] - num[3] * e[2] / n;
        }
        one.ext = &ext;
    }
    if (cell_merge_moments(c, &one))
        return dcx_error_set(r->err, DCX_ENOMEM, "out of memory");
    c->ones += ones;
    c->neg += neg;
    c->unresolved |= unresolved;
    if (!isnan(capped))
        c->capped += capped;
    return DCX_OK;
}

/* A cap row: the metric's thresholds, the same in every file. */
static dcx_status_t read_cap(const rowctx_t *r, size_t mi)
{
    metric_t *m = &r->d->metrics[mi];
    double lo, hi, iz;
    dcx_status_t st;
    if ((st = number(r, 12, 1, &lo, "")) || (st = number(r, 13, 1, &hi, "")))
        return st;
    if (isnan(lo) && isnan(hi))
        return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, r->ci[12] + 1,
                            "metric '%s': a cap row without a threshold (the warehouse found no "
                            "values to cap)",
                            m->name);
    size_t len;
    const char *s = field(r, 14, &len);
    if (data_summary_blank(s, len))
        iz = 0;
    else if (!dcx_parse_bool(s, len, &iz))
        return bad(r, 14, "column 'cap_ignore_zeros': '%s' is not 0/1/true/false/yes/no", s);
    lo = isnan(lo) ? -INFINITY : lo;
    hi = isnan(hi) ? INFINITY : hi;
    if (m->cap_on && (m->cap_lo != lo || m->cap_hi != hi || m->cap_ignore_zeros != (int)iz))
        return dcx_error_at(r->err, DCX_EPARSE, r->file, r->row->line, r->ci[12] + 1,
                            "metric '%s': capped at other thresholds than in the summary read "
                            "before (summaries to add up must be capped alike)",
                            m->name);
    double nz;
    if ((st = number(r, 5, 1, &nz, "")))
        return st;
    if (!isnan(nz) && (!(nz >= 0) || nz != floor(nz)))
        return bad(r, 5, "column 'n': '%s' is not a whole number >= 0", r->row->fields[r->ci[5]]);
    m->cap_on = 1;
    m->cap_lo = lo;
    m->cap_hi = hi;
    m->cap_ignore_zeros = (int)iz;
    m->cap_nonzero += isnan(nz) ? 0 : nz; /* several files: their values add up */
    return DCX_OK;
}

/* ---- completeness ---------------------------------------------------------------------- */

/* Per file: each (level, variant) that some row shows, and which metrics (and the units
 * row) have a row there. */
typedef struct {
    dcx_strmap_t pairs;
    size_t *level;           /* [pair] */
    long *variant;           /* [pair] */
    unsigned char *marks;    /* [pair][nm + 1] */
    unsigned char *in_file;  /* [nm + 1]: the file has rows of metric i (nm: units rows) */
    size_t cap;
} seen_t;

static void seen_free(seen_t *s)
{
    dcx_strmap_free(&s->pairs);
    free(s->level);
    free(s->variant);
    free(s->marks);
    free(s->in_file);
}

/* marks slot (metric mi, or nm for units) at (level, v) */
static dcx_status_t seen_mark(seen_t *s, size_t nm, size_t level, long v, size_t slot,
                              dcx_error_t *err)
{
    char key[48];
    int n = snprintf(key, sizeof key, "%zu:%ld", level, v);
    long p = dcx_strmap_put(&s->pairs, key, (size_t)n);
    if (p < 0)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if ((size_t)p >= s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        size_t *lv = realloc(s->level, cap * sizeof *lv);
        if (lv)
            s->level = lv;
        long *vv = realloc(s->variant, cap * sizeof *vv);
        if (vv)
            s->variant = vv;
        unsigned char *mk = realloc(s->marks, cap * (nm + 1));
        if (mk)
            s->marks = mk;
        if (!lv || !vv || !mk)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        memset(s->marks + s->cap * (nm + 1), 0, (cap - s->cap) * (nm + 1));
        s->cap = cap;
    }
    s->level[p] = level;
    s->variant[p] = v;
    s->marks[(size_t)p * (nm + 1) + slot] = 1;
    s->in_file[slot] = 1;
    return DCX_OK;
}

/* Every (level, variant) a row showed has a row of each metric the file holds, and a
 * units row when the file has units rows. */
static dcx_status_t seen_check(const data_t *d, const seen_t *s, const char *file, dcx_error_t *err)
{
    size_t nm = d->nm;
    for (size_t p = 0; p < s->pairs.n; p++)
        for (size_t k = 0; k <= nm; k++) {
            if (!s->in_file[k] || s->marks[p * (nm + 1) + k])
                continue;
            const level_t *l = &d->levels[s->level[p]];
            char where[300];
            if (l->seg < 0)
                snprintf(where, sizeof where, "all units");
            else
                snprintf(where, sizeof where, "%s=%s", d->segs[l->seg], l->value);
            return dcx_error_at(err, DCX_EPARSE, file, 0, 0,
                                "%s%s%s has no row for variant '%s' at %s, which other rows show: "
                                "was the export cut or filtered?",
                                k == nm ? "the units" : "metric '", k == nm ? "" : d->metrics[k].name,
                                k == nm ? "" : "'", d->variants.keys[s->variant[p]], where);
        }
    return DCX_OK;
}

/* ---- a file ---------------------------------------------------------------------------- */

/* rows_total of the row (the same on every row); *total < 0 before the first row */
static dcx_status_t rows_total(const rowctx_t *r, double *total)
{
    double t;
    const int k = SUMMARY_ROWS_TOTAL;
    dcx_status_t st = number(r, k, 0, &t, "the number of rows of the summary");
    if (st)
        return st;
    if (!(t >= 1) || t != floor(t))
        return bad(r, k, "column 'rows_total': '%s' is not a whole number >= 1",
                   r->row->fields[r->ci[k]]);
    if (*total >= 0 && t != *total)
        return bad(r, k, "column 'rows_total': '%s' differs from the rows above: were two "
                          "results put in one file?",
                   r->row->fields[r->ci[k]]);
    *total = t;
    return DCX_OK;
}

dcx_status_t data_read_summary(data_t *d, const char *path, dcx_error_t *err)
{
    d->from_summary = 1;
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, d->delimiter);
    const char *file = dcx_csv_name(r);
    dcx_csv_row_t row;
    long ci[SUMMARY_NALL];
    seen_t seen = {0};
    if ((st = dcx_csv_header(r, &row, "a summary header", err))
        || (st = data_summary_columns(file, &row, ci, err))) {
        dcx_csv_close(r);
        return st;
    }
    int checked = ci[SUMMARY_ROWS_TOTAL] >= 0; /* the file says how many rows it has */
    if (!checked)
        d->summary_unchecked = 1;
    if (!(seen.in_file = calloc(d->nm + 1, 1))) {
        dcx_csv_close(r);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    dcx_csv_expect_width(r, row.n);
    double total = -1, nrows = 0;
    long last_line = 0;
    int got;
    rowctx_t rc = {d, file, &row, ci, err};
    while ((got = dcx_csv_next(r, &row, err)) > 0) {
        nrows++;
        last_line = row.line;
        if (checked && (st = rows_total(&rc, &total)))
            goto done;
        row_kind_t kind = R_METRIC;
        size_t mi = 0, level = 0;
        long v = 0;
        int skip;
        if ((st = row_kind(&rc, &kind, &mi, &skip)) || skip)
            goto next;
        if (kind == R_CAP) {
            if ((st = read_cap(&rc, mi)))
                goto done;
            continue;
        }
        if ((st = row_place(&rc, &level, &v, &skip)) || skip)
            goto next;
        if (kind == R_UNITS) {
            double n;
            if ((st = count(&rc, &n)))
                goto done;
            d->levels[level].units[v] += n;
            mi = d->nm;
        } else if ((st = read_metric(&rc, mi, level, v, kind == R_QUANTILE))) {
            goto done;
        }
        if (checked && (st = seen_mark(&seen, d->nm, level, v, mi, err)))
            goto done;
        continue;
    next:
        if (st)
            goto done;
    }
    if (got < 0) {
        st = err->code;
        goto done;
    }
    if (checked && nrows < total)
        st = dcx_error_at(err, DCX_EPARSE, file, last_line, 0,
                          "the summary has %.0f of %.0f rows: was the export truncated?", nrows,
                          total);
    else if (checked && nrows > total)
        st = dcx_error_at(err, DCX_EPARSE, file, last_line, 0,
                          "the summary has %.0f rows but says %.0f (rows_total): were two results "
                          "put in one file?",
                          nrows, total);
    else if (checked)
        st = seen_check(d, &seen, file, err);
    if (!st && !seen.in_file[d->nm])
        d->summary_no_units = 1;
done:
    seen_free(&seen);
    dcx_csv_close(r);
    return st;
}

dcx_status_t data_finish_summary(data_t *d, dcx_error_t *err)
{
    for (size_t i = 0; i < d->nm; i++)
        if (!d->metrics[i].seen)
            return dcx_error_set(err, DCX_EPARSE, "metric '%s' is not in the summary files",
                                 d->metrics[i].name);
    if (d->variants.n == 0)
        return dcx_error_set(err, DCX_EPARSE, "the summary files hold no rows for these metrics");
    for (size_t i = 0; i < d->nm; i++) { /* what the caps did, over every arm */
        metric_t *m = &d->metrics[i];
        for (size_t v = 0; m->cap_on && v < d->variants.n; v++) {
            const cell_t *c = level_cell(d, &d->levels[0], v, i);
            m->capped_n += c->capped;
            m->cap_values += c->m.n;
        }
    }
    for (size_t l = 0; l < d->nlevels; l++)
        for (size_t v = 0; v < d->variants.n; v++) {
            double u = 0;
            for (size_t i = 0; i < d->nm; i++)
                u = fmax(u, level_cell(d, &d->levels[l], v, i)->m.n);
            if (d->summary_no_units) { /* no units rows: the units with a value stand in */
                d->levels[l].units[v] = u;
            } else if (u > d->levels[l].units[v]) {
                const level_t *lv = &d->levels[l];
                return dcx_error_set(err, DCX_EPARSE,
                                     "variant '%s' has %.0f units with a value at %s%s%s but %.0f "
                                     "assigned units (its units rows)",
                                     d->variants.keys[v], u, lv->seg < 0 ? "all units" : d->segs[lv->seg],
                                     lv->seg < 0 ? "" : "=", lv->seg < 0 ? "" : lv->value,
                                     lv->units[v]);
            }
        }
    return DCX_OK;
}

/* ---- caps the definitions ask for ------------------------------------------------------- */

dcx_status_t data_summary_caps(const data_t *d, const dcx_strlist_t *caps,
                               const dcx_strlist_t *ignore_zeros, const char *file,
                               dcx_error_t *err)
{
    for (size_t k = 0; k < caps->n; k++) {
        const char *spec = caps->v[k], *eq = strchr(spec, '=');
        if (!eq)
            continue; /* a bad spec: data_init's to report */
        long mi = metric_index(d, spec, (size_t)(eq - spec));
        if (mi < 0)
            continue;
        const metric_t *m = &d->metrics[mi];
        const char *cap = eq + 1;
        if (!m->cap_on)
            return dcx_error_at(err, DCX_EPARSE, file, 0, 0,
                                "metric '%s' is capped (%s) by its definition, but the summary "
                                "has no cap row for it: it was summed uncapped (make the query "
                                "with dcx sql --metrics, which caps in the warehouse)",
                                m->name, cap);
        double v;
        if (dcx_parse_number(cap, strlen(cap), &v) && m->cap_hi != v)
            return dcx_error_at(err, DCX_EPARSE, file, 0, 0,
                                "metric '%s' is capped at %s by its definition, but the summary "
                                "was capped at %.15g",
                                m->name, cap, m->cap_hi);
        int iz = 0;
        for (size_t j = 0; j < ignore_zeros->n; j++)
            iz |= !strcmp(ignore_zeros->v[j], m->name);
        if (iz != m->cap_ignore_zeros)
            return dcx_error_at(err, DCX_EPARSE, file, 0, 0,
                                "metric '%s': its definition %s zeros when capping, but the "
                                "summary's cap %s",
                                m->name, iz ? "ignores" : "keeps",
                                iz ? "kept them" : "ignored them");
    }
    return DCX_OK;
}
