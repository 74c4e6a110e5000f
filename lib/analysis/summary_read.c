/* summary_read.c — the summary CSV (what `dcx aggregate` or `dcx sql` produce): one row of
 * sufficient statistics (n, sums, sums of squares, cross sums) per metric × segment level
 * × variant. Each row is checked to be the sums of some data, turned into moments and
 * merged into its cell; several files add up, and data_finish_summary closes the store. */
#include "cells.h"

#include <math.h>
#include <string.h>

#include "dcx/csv.h"
#include "numparse.h"

const char *const summary_cols[SUMMARY_NCOLS] = {"metric", "type",  "segment", "segment_value",
                                                 "variant", "n",     "sum",     "sum_sq",
                                                 "sum2",    "sum2_sq", "sum_cross"};

dcx_status_t data_summary_columns(const char *file, const dcx_csv_row_t *header,
                                  long ci[SUMMARY_NCOLS], dcx_error_t *err)
{
    for (int k = 0; k < SUMMARY_NCOLS; k++)
        if ((ci[k] = data_find_column(header, summary_cols[k])) < 0)
            return data_missing_column(file, header, "summary", summary_cols[k], err);
    return DCX_OK;
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

/* The cell a summary row adds to: metric *mi (the row's type checked against the one
 * asked for, or taken when none was), segment level *level and variant *v. *skip is set
 * for a row of a metric or segment not asked for. */
static dcx_status_t row_cell(data_t *d, const char *file, const dcx_csv_row_t *row,
                             const long ci[SUMMARY_NCOLS], size_t *mi, size_t *level, long *v,
                             int *skip, dcx_error_t *err)
{
    *skip = 1;
    const char *name = row->fields[ci[0]];
    long found = metric_index(d, name, strlen(name));
    if (found < 0)
        return DCX_OK; /* a metric not asked for */
    size_t i = (size_t)found;
    metric_t *m = &d->metrics[i];
    m->seen = 1;
    const char *type = row->fields[ci[1]];
    mtype_t t = !strcmp(type, "binary") ? MT_BINARY
                : !strcmp(type, "mean") ? MT_MEAN
                : !strcmp(type, "ratio") ? MT_RATIO
                : !strcmp(type, "nps")  ? MT_NPS
                                        : MT_AUTO;
    if (t == MT_AUTO)
        return dcx_error_at(err, DCX_EPARSE, file, row->line, ci[1] + 1,
                            "column 'type': '%s' is not binary, mean, ratio or nps", type);
    if (m->type == MT_AUTO)
        m->type = t;
    else if (m->type != t)
        return dcx_error_at(err, DCX_EPARSE, file, row->line, ci[1] + 1,
                            "metric '%s' is %s here but %s was asked for", name, type,
                            mtype_name(m->type));
    const char *seg = row->fields[ci[2]], *val = row->fields[ci[3]];
    dcx_status_t st;
    if (!strcmp(seg, "all")) {
        *level = 0;
    } else {
        size_t k = 0;
        while (k < d->nseg && strcmp(d->segs[k], seg))
            k++;
        if (k == d->nseg)
            return DCX_OK; /* a segment not asked for */
        if ((st = data_segment_level(d, k, val, row->lens[ci[3]], level, err)))
            return st;
    }
    const char *vs = row->fields[ci[4]];
    if (!row->lens[ci[4]])
        return dcx_error_at(err, DCX_EPARSE, file, row->line, ci[4] + 1, "column 'variant': empty");
    if ((*v = dcx_strmap_put(&d->variants, vs, row->lens[ci[4]])) < 0)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if ((st = data_reserve_variant(d, (size_t)*v, err)))
        return st;
    *mi = i;
    *skip = 0;
    return DCX_OK;
}

/* The row's numbers for metric m (of its resolved type): num[] = n, sum, sum_sq, sum2,
 * sum2_sq, sum_cross, checked to be those of some data; *ones and *neg, the counts of a
 * binary or NPS metric; *unresolved when the sums cannot resolve the variance. */
static dcx_status_t row_sums(const metric_t *m, const char *file, const dcx_csv_row_t *row,
                             const long ci[SUMMARY_NCOLS], double num[6], double *ones,
                             double *neg, int *unresolved, dcx_error_t *err)
{
    const char *name = m->name;
    mtype_t t = m->type;
    int need2 = t == MT_RATIO || m->cov;
    for (int k = 0; k < 6; k++) {
        long c = ci[5 + k];
        num[k] = 0;
        if (k >= 3 && !need2 && dcx_is_blank(row->fields[c], row->lens[c]))
            continue;
        if (!dcx_parse_number(row->fields[c], row->lens[c], &num[k]))
            return dcx_error_at(err, DCX_EPARSE, file, row->line, c + 1,
                                "column '%s': '%.60s' is not a number%s", summary_cols[5 + k],
                                row->fields[c],
                                k >= 3 ? " (ratio and CUPED metrics need sum2, sum2_sq, sum_cross)" : "");
    }
    if (!(num[0] >= 0) || num[0] != floor(num[0]))
        return dcx_error_at(err, DCX_EPARSE, file, row->line, ci[5] + 1,
                            "column 'n': '%s' is not a whole number >= 0", row->fields[ci[5]]);
    *ones = *neg = 0;
    if (t == MT_BINARY) {
        if (num[1] != num[2] || num[1] < 0 || num[1] > num[0] || num[1] != floor(num[1]))
            return dcx_error_at(err, DCX_EPARSE, file, row->line, ci[6] + 1,
                                "binary metric '%s': sum and sum_sq must be the same count "
                                "of conversions, 0 <= sum <= n",
                                name);
        *ones = num[1];
    } else if (t == MT_NPS) {
        *ones = (num[2] + num[1]) / 2;
        *neg = (num[2] - num[1]) / 2;
        if (*ones < 0 || *neg < 0 || *ones + *neg > num[0] || *ones != floor(*ones))
            return dcx_error_at(err, DCX_EPARSE, file, row->line, ci[6] + 1,
                                "nps metric '%s': sum (promoters - detractors) and sum_sq "
                                "(promoters + detractors) are inconsistent with n",
                                name);
    }
    /* the sums must be those of some data: Σx² ≥ (Σx)²/n up to rounding, for the
     * value and for the second variable, and a covariance no larger than both spreads
     * allow; a variance is never silently clamped to 0 */
    *unresolved = 0;
    if (t == MT_MEAN || t == MT_RATIO || m->cov) {
        double m2x, m2y = 0;
        int bad = sums_check(num[0], num[1], num[2], &m2x, unresolved);
        long col = ci[7];
        if (!bad && need2) {
            bad = sums_check(num[0], num[3], num[4], &m2y, unresolved);
            col = ci[9];
            if (!bad && num[0] > 0) {
                double cxy = num[5] - num[1] * num[3] / num[0];
                double lim = sqrt(fmax(m2x, 0) * fmax(m2y, 0));
                double tol = 1e-9 * sqrt(fabs(num[2]) * fabs(num[4]));
                if (!isfinite(cxy))
                    bad = 2;
                else if (fabs(cxy) > lim * (1 + 1e-9) + tol)
                    bad = 3;
                col = ci[10];
            }
        } else if (bad) {
            col = ci[7];
        }
        if (bad)
            return dcx_error_at(err, DCX_EPARSE, file, row->line, col + 1,
                                bad == 2 ? "metric '%s': the sums are too large for a double "
                                           "(a square overflows)"
                                : bad == 3 ? "metric '%s': sum_cross is impossible for these "
                                             "sums (a covariance larger than both spreads allow)"
                                           : "metric '%s': sum_sq is smaller than sum^2/n: no "
                                             "data have these sums (a negative variance)",
                                name);
    }
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
    long ci[SUMMARY_NCOLS];
    if ((st = dcx_csv_header(r, &row, "a summary header", err))
        || (st = data_summary_columns(file, &row, ci, err))) {
        dcx_csv_close(r);
        return st;
    }
    dcx_csv_expect_width(r, row.n);
    int got;
    while ((got = dcx_csv_next(r, &row, err)) > 0) {
        size_t mi, level;
        long v;
        int skip, unresolved = 0;
        double num[6], ones = 0, neg = 0;
        if ((st = row_cell(d, file, &row, ci, &mi, &level, &v, &skip, err)))
            goto done;
        if (skip)
            continue;
        if ((st = row_sums(&d->metrics[mi], file, &row, ci, num, &ones, &neg, &unresolved, err)))
            goto done;
        dcx_moments_t mm;
        if ((st = dcx_moments_from_sums(&mm, num[0], num[1], num[2], num[3], num[4], num[5], err))) {
            st = dcx_error_at(err, DCX_EPARSE, file, row.line, 0, "%s", err->message);
            goto done;
        }
        cell_t *c = level_cell(d, &d->levels[level], (size_t)v, mi);
        dcx_moments_merge(&c->m, &mm);
        c->ones += ones;
        c->neg += neg;
        c->unresolved |= unresolved;
    }
    if (got < 0)
        st = err->code;
done:
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
    /* units per variant: a summary has no unit count, so take the largest n over metrics */
    for (size_t l = 0; l < d->nlevels; l++)
        for (size_t v = 0; v < d->variants.n; v++) {
            double u = 0;
            for (size_t i = 0; i < d->nm; i++)
                u = fmax(u, level_cell(d, &d->levels[l], v, i)->m.n);
            d->levels[l].units[v] = u;
        }
    return DCX_OK;
}
