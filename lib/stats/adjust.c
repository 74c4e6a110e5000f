/* adjust.c — multiple-testing corrections, equal to R p.adjust(). */
#include "dcx/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const adjust_names[] = {"none", "bonferroni", "holm", "hochberg", "bh", "by"};

dcx_status_t dcx_adjust_parse(const char *name, dcx_adjust_t *method, dcx_error_t *err)
{
    for (int i = 0; i <= (int)DCX_ADJUST_BY; i++)
        if (!strcmp(name, adjust_names[i])) {
            *method = (dcx_adjust_t)i;
            return DCX_OK;
        }
    if (!strcmp(name, "fdr") || !strcmp(name, "BH")) {
        *method = DCX_ADJUST_BH;
        return DCX_OK;
    }
    if (!strcmp(name, "BY")) {
        *method = DCX_ADJUST_BY;
        return DCX_OK;
    }
    return dcx_error_set(err, DCX_EINVAL,
                         "unknown correction '%s' (none, bonferroni, holm, hochberg, bh, by)",
                         name);
}

const char *dcx_adjust_name(dcx_adjust_t method)
{
    return (unsigned)method <= DCX_ADJUST_BY ? adjust_names[method] : "?";
}

typedef struct {
    double p;
    size_t i;
} indexed_t;

static int cmp_asc(const void *a, const void *b)
{
    const indexed_t *x = a, *y = b;
    if (x->p != y->p)
        return (x->p > y->p) - (x->p < y->p);
    return (x->i > y->i) - (x->i < y->i);
}

dcx_status_t dcx_p_adjust(const double *p, size_t n, dcx_adjust_t method, double *out,
                          dcx_error_t *err)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i]))
            continue;
        if (!(p[i] >= 0 && p[i] <= 1))
            return dcx_error_set(err, DCX_EINVAL, "p-value %g is outside [0, 1]", p[i]);
        m++;
    }
    indexed_t *s = malloc((m ? m : 1) * sizeof *s);
    if (!s)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory adjusting %zu p-values", n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]))
            s[k++] = (indexed_t){p[i], i};
    for (size_t i = 0; i < n; i++)
        if (isnan(p[i]))
            out[i] = NAN;
    double dm = (double)m;
    if (m == 0 || method == DCX_ADJUST_NONE) {
        for (size_t j = 0; j < m; j++)
            out[s[j].i] = s[j].p;
        free(s);
        return DCX_OK;
    }
    if (method == DCX_ADJUST_BONFERRONI) {
        for (size_t j = 0; j < m; j++)
            out[s[j].i] = fmin(1.0, dm * s[j].p);
        free(s);
        return DCX_OK;
    }
    qsort(s, m, sizeof *s, cmp_asc);
    if (method == DCX_ADJUST_HOLM) {
        /* cummax((m − j + 1) p_(j)) over ascending p, capped at 1 */
        double run = 0;
        for (size_t j = 0; j < m; j++) {
            double v = (dm - (double)j) * s[j].p;
            run = fmax(run, v);
            out[s[j].i] = fmin(1.0, run);
        }
    } else {
        /* step-up methods: cummin over descending p of factor(j) · p_(j) */
        double q = 0; /* BY's harmonic factor Σ 1/j */
        for (size_t j = 1; j <= m; j++)
            q += 1.0 / (double)j;
        double run = INFINITY;
        for (size_t jj = m; jj-- > 0;) {
            double rank = (double)jj + 1, v;
            if (method == DCX_ADJUST_HOCHBERG)
                v = (dm - rank + 1) * s[jj].p;
            else if (method == DCX_ADJUST_BH)
                v = dm / rank * s[jj].p;
            else
                v = q * dm / rank * s[jj].p;
            run = fmin(run, v);
            out[s[jj].i] = fmin(1.0, run);
        }
    }
    free(s);
    return DCX_OK;
}
