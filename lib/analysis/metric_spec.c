/* metric_spec.c — what is to be measured: the --metric specs (NAME[:TYPE]), the --cap
 * specs (winsorizing thresholds, fixed or as percentiles of the pooled values), the
 * --cuped pairings and the columns of metric definitions named otherwise (metric_defs.c),
 * parsed into the store's metric table before any row is read. */
#include "cells.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

const char *mtype_name(mtype_t t)
{
    static const char *names[] = {"auto", "binary", "mean", "ratio", "nps", "quantile"};
    return names[t];
}

/* --metric NAME[:TYPE]: TYPE binary, mean, nps, quantile=Q or ratio=NUM/DEN; no TYPE is
 * MT_AUTO, resolved from the values once read */
static dcx_status_t parse_metric(metric_t *m, const char *spec, dcx_error_t *err)
{
    const char *colon = strchr(spec, ':');
    size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
    if (!nlen)
        return dcx_error_set(err, DCX_EINVAL, "metric '%s' has no name", spec);
    m->col_i = m->den_i = m->cov_i = m->cov2_i = -1;
    if (!(m->name = data_dupn(spec, nlen)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    const char *type = colon ? colon + 1 : "";
    if (!*type) {
        m->type = MT_AUTO;
    } else if (!strcmp(type, "binary")) {
        m->type = MT_BINARY;
    } else if (!strcmp(type, "mean")) {
        m->type = MT_MEAN;
    } else if (!strcmp(type, "nps")) {
        m->type = MT_NPS;
    } else if (!strncmp(type, "quantile=", 9)) {
        double q;
        if (!dcx_parse_number(type + 9, strlen(type + 9), &q) || !(q > 0 && q < 1))
            return dcx_error_set(err, DCX_EINVAL,
                                 "metric '%s': a quantile is written NAME:quantile=Q with 0 < Q < 1 "
                                 "(e.g. load_ms:quantile=0.9)",
                                 spec);
        m->type = MT_QUANTILE;
        m->q = q;
        m->keep = 1;
    } else if (!strncmp(type, "ratio=", 6)) {
        const char *slash = strchr(type + 6, '/');
        if (!slash || slash == type + 6 || !slash[1])
            return dcx_error_set(err, DCX_EINVAL,
                                 "metric '%s': a ratio is written NAME:ratio=NUMERATOR/DENOMINATOR",
                                 spec);
        m->type = MT_RATIO;
        if (!(m->col = data_dupn(type + 6, (size_t)(slash - type - 6))) || !(m->den = strdup(slash + 1)))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        return DCX_OK;
    } else {
        return dcx_error_set(err, DCX_EINVAL,
                             "metric '%s': unknown type '%s' (binary, mean, ratio=NUM/DEN, nps, "
                             "quantile=Q)",
                             spec, type);
    }
    if (!(m->col = strdup(m->name)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

long metric_index(const data_t *d, const char *s, size_t n)
{
    return dcx_strmap_get(&d->metric_names, s, n);
}

/* The metric named by the first n bytes of spec, or NULL. */
static metric_t *find_metric(data_t *d, const char *spec, size_t n)
{
    long i = metric_index(d, spec, n);
    return i < 0 ? NULL : &d->metrics[i];
}

const char *cap_value_parse(const char *name, size_t nlen, const char *v, double *lo, double *hi,
                            double *plo, double *phi, char *buf, size_t len)
{
    *lo = -INFINITY, *hi = INFINITY, *plo = *phi = NAN;
    if (*v == 'p') {
        const char *colon = strchr(v, ':');
        double a, b;
        if (colon) {
            if (colon[1] != 'p' || !dcx_parse_number(v + 1, (size_t)(colon - v - 1), &a)
                || !dcx_parse_number(colon + 2, strlen(colon + 2), &b) || !(a > 0 && a < b && b < 100))
                return ": pL:pU needs 0 < L < U < 100";
            *plo = a, *phi = b;
        } else {
            if (!dcx_parse_number(v + 1, strlen(v + 1), &b) || !(b > 0 && b < 100))
                return ": pQ needs 0 < Q < 100";
            *phi = b;
        }
    } else {
        double b;
        size_t n = strlen(v);
        int abs_given = n > 3 && !strcmp(v + n - 3, "abs");
        if (!dcx_parse_number(v, abs_given ? n - 3 : n, &b)) {
            snprintf(buf, len, ": '%.60s' is not a number or a percentile pQ", v);
            return buf;
        }
        if (b > 0 && b < 1 && !abs_given) {
            snprintf(buf, len,
                     " is ambiguous: write %.*s=p%.10g for the %.10gth percentile of the pooled "
                     "values (what GrowthBook's %.60s means), or %.*s=%.60sabs to cap at the value %.60s",
                     (int)nlen, name, 100 * b, 100 * b, v, (int)nlen, name, v, v);
            return buf;
        }
        *hi = b;
    }
    return NULL;
}

/* --cap METRIC=VALUE | METRIC=VALUEabs | METRIC=pQ | METRIC=pL:pU. A bare number between 0
 * and 1 is refused as ambiguous: GrowthBook writes its 99th percentile as 0.99, and capping
 * revenue at 0.99 currency units instead changes nearly every purchase. */
static dcx_status_t parse_cap(data_t *d, const char *spec, dcx_error_t *err)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return dcx_error_set(err, DCX_EINVAL, "--cap '%s': write METRIC=VALUE, METRIC=pQ or METRIC=pL:pU",
                             spec);
    size_t n = (size_t)(eq - spec);
    metric_t *m = find_metric(d, spec, n);
    if (!m)
        return dcx_error_set(err, DCX_EINVAL, "--cap '%s': no --metric of that name", spec);
    if (m->cap_on)
        return dcx_error_set(err, DCX_EINVAL, "--cap '%s': metric '%s' is capped twice", spec, m->name);
    if (m->type != MT_MEAN && m->type != MT_RATIO && m->type != MT_AUTO)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cap '%s': capping applies to mean metrics and the numerator of "
                             "ratio metrics",
                             spec);
    char buf[400];
    const char *why = cap_value_parse(spec, (size_t)(eq - spec), eq + 1, &m->cap_lo, &m->cap_hi,
                                      &m->cap_plo, &m->cap_phi, buf, sizeof buf);
    if (why)
        return dcx_error_set(err, DCX_EINVAL, "--cap '%s'%s", spec, why);
    m->cap_on = 1;
    if (!(m->cap_spec = strdup(spec)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

/* --cuped METRIC=COVARIATE_COLUMN, or for a ratio metric METRIC=COVNUM/COVDEN (split at the
 * first '/', as NAME:ratio=NUM/DEN is). A metric whose type is still to be read from a
 * summary (MT_AUTO) may take either; metric_check_cuped checks it once the type is known. */
static dcx_status_t parse_cuped(data_t *d, const char *spec, dcx_error_t *err)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return dcx_error_set(err, DCX_EINVAL,
                             "--cuped '%s': write METRIC=COVARIATE_COLUMN (a ratio metric: "
                             "METRIC=COVNUM/COVDEN)",
                             spec);
    metric_t *m = find_metric(d, spec, (size_t)(eq - spec));
    if (!m)
        return dcx_error_set(err, DCX_EINVAL, "--cuped '%s': no --metric of that name", spec);
    if (m->type == MT_NPS || m->type == MT_QUANTILE)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cuped '%s': CUPED applies to binary, mean and ratio metrics", spec);
    const char *v = eq + 1, *slash = strchr(v, '/');
    if (slash && (slash == v || !slash[1]))
        return dcx_error_set(err, DCX_EINVAL,
                             "--cuped '%s': a covariate pair is written METRIC=COVNUM/COVDEN, both "
                             "columns named",
                             spec);
    if (m->type == MT_RATIO && !slash)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cuped '%s': ratio metric '%s' is adjusted by a covariate pair, its "
                             "pre-period numerator and denominator: write %s=COVNUM/COVDEN",
                             spec, m->name, m->name);
    if ((m->type == MT_BINARY || m->type == MT_MEAN) && slash)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cuped '%s': %s metric '%s' takes one covariate column; a COVNUM/COVDEN "
                             "pair is for ratio metrics",
                             spec, mtype_name(m->type), m->name);
    free(m->cov);
    free(m->cov2);
    m->cov2 = NULL;
    if (!(m->cov = slash ? data_dupn(v, (size_t)(slash - v)) : strdup(v))
        || (slash && !(m->cov2 = strdup(slash + 1))))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

dcx_status_t metric_check_cuped(const metric_t *m, dcx_error_t *err)
{
    if (!m->cov || m->type == MT_AUTO)
        return DCX_OK;
    if (m->type == MT_NPS || m->type == MT_QUANTILE)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cuped '%s=%s': metric '%s' is %s, and CUPED applies to binary, "
                             "mean and ratio metrics",
                             m->name, m->cov, m->name, mtype_name(m->type));
    if (m->type == MT_RATIO && !m->cov2)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cuped '%s=%s': metric '%s' is a ratio, adjusted by a covariate "
                             "pair: write %s=COVNUM/COVDEN",
                             m->name, m->cov, m->name, m->name);
    if (m->type != MT_RATIO && m->cov2)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cuped '%s=%s/%s': metric '%s' is %s and takes one covariate "
                             "column; a COVNUM/COVDEN pair is for ratio metrics",
                             m->name, m->cov, m->cov2, m->name, mtype_name(m->type));
    return DCX_OK;
}

/* NAME=COLUMN (a metric definition's "column"): the metric's values are in COLUMN */
static dcx_status_t parse_column(data_t *d, const char *spec, dcx_error_t *err)
{
    const char *eq = strchr(spec, '=');
    metric_t *m = eq ? find_metric(d, spec, (size_t)(eq - spec)) : NULL;
    if (!m || !eq[1] || m->type == MT_RATIO)
        return dcx_error_set(err, DCX_EINVAL, "column '%s': no metric of that name reads a column", spec);
    char *c = strdup(eq + 1);
    if (!c)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    free(m->col);
    m->col = c;
    return DCX_OK;
}

dcx_status_t metrics_parse(data_t *d, const data_spec_t *sp, dcx_error_t *err)
{
    const dcx_strlist_t *metrics = sp->metrics;
    if (!metrics->n)
        return dcx_error_set(err, DCX_EINVAL, "missing --metric NAME[:TYPE]");
    d->metrics = calloc(metrics->n, sizeof *d->metrics);
    if (!d->metrics)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    dcx_status_t st;
    for (size_t i = 0; i < metrics->n; i++) {
        d->nm++;
        if ((st = parse_metric(&d->metrics[i], metrics->v[i], err)))
            return st;
        const char *name = d->metrics[i].name;
        long at = dcx_strmap_put(&d->metric_names, name, strlen(name));
        if (at < 0)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        if ((size_t)at != i)
            return dcx_error_set(err, DCX_EINVAL, "metric '%s' given twice", name);
        metric_t *m = &d->metrics[i];
        if (sp->mann_whitney && (m->type == MT_MEAN || m->type == MT_AUTO))
            m->keep = 1;
        d->keep_values |= m->keep;
    }
    for (size_t i = 0; sp->caps && i < sp->caps->n; i++)
        if ((st = parse_cap(d, sp->caps->v[i], err)))
            return st;
    for (size_t i = 0; sp->cap_ignore_zeros && i < sp->cap_ignore_zeros->n; i++) {
        const char *name = sp->cap_ignore_zeros->v[i];
        metric_t *m = find_metric(d, name, strlen(name));
        if (!m)
            return dcx_error_set(err, DCX_EINVAL, "--cap-ignore-zeros '%s': no --metric of that name",
                                 name);
        if (!m->cap_on)
            return dcx_error_set(err, DCX_EINVAL,
                                 "--cap-ignore-zeros '%s': the metric has no --cap (e.g. --cap %s=p99)",
                                 name, name);
        m->cap_ignore_zeros = 1;
    }
    for (size_t i = 0; sp->cuped && i < sp->cuped->n; i++)
        if ((st = parse_cuped(d, sp->cuped->v[i], err)))
            return st;
    for (size_t i = 0; sp->columns && i < sp->columns->n; i++)
        if ((st = parse_column(d, sp->columns->v[i], err)))
            return st;
    return DCX_OK;
}
