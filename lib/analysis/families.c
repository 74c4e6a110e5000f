/* families.c — the correction for multiple testing, family by family, so that a result's
 * p_adjusted never depends on how many segments are sliced: the goal family (goal metrics ×
 * treatments, overall rows: the decision's family, adjusted by Holm when --correction is
 * none), the secondary family (secondary metrics × treatments, overall rows), and for each
 * metric and each --segment column the family of its levels × treatments (exploratory).
 * Guardrails' overall rows stand alone: their non-inferiority tests decide. */
#include "analyze_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *family_name(const run_t *x, const cmp_t *r, char *buf, size_t len)
{
    switch (r->family) {
    case FAM_GOAL:
        return "goal";
    case FAM_GUARDRAIL:
        return "guardrail";
    case FAM_SEGMENT:
        snprintf(buf, len, "segment:%s", x->d.segs[x->d.levels[r->level].seg]);
        return buf;
    case FAM_SECONDARY:
        break;
    }
    return "secondary";
}

/* Adjusts the p-values of rows idx[0..n) together by `method`; each row gets p_adjusted,
 * its significance and, when the method changes anything, the intervals that match
 * p_adjusted: level 1 − α·p/p_adjusted, which excludes the null exactly when
 * p_adjusted < α. */
static dcx_status_t adjust(run_t *x, cmp_t *rows, const size_t *idx, size_t n, dcx_adjust_t method,
                           double *pv, dcx_error_t *err)
{
    double alpha = x->o->alpha;
    for (size_t k = 0; k < n; k++)
        pv[k] = rows[idx[k]].p;
    dcx_status_t st = dcx_p_adjust(pv, n, method, pv, err);
    if (st)
        return st;
    for (size_t k = 0; k < n; k++) {
        cmp_t *r = &rows[idx[k]];
        r->padj = pv[k];
        r->sig = isfinite(pv[k]) ? pv[k] < alpha : -1;
        if (method != DCX_ADJUST_NONE && isfinite(r->p) && isfinite(r->padj)) {
            double a = r->p > 0 && r->padj > 0 ? alpha * r->p / r->padj : alpha;
            cmp_interval_at(x, r, 0, a, &r->lo_adj, &r->hi_adj);
            cmp_interval_at(x, r, 1, a, &r->lift_lo_adj, &r->lift_hi_adj);
        }
    }
    return DCX_OK;
}

dcx_status_t families_correct(run_t *x, cmp_t *rows, size_t nrows, dcx_error_t *err)
{
    if (x->method == M_BAYES) /* significant by the credible interval; nothing to adjust */
        return DCX_OK;
    size_t *idx = malloc((nrows + 1) * sizeof *idx);
    double *pv = malloc((nrows + 1) * sizeof *pv);
    dcx_status_t st = DCX_OK;
    if (!idx || !pv) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    /* the goal and the secondary family: the overall rows */
    for (int goal = 1; goal >= 0 && !st; goal--) {
        size_t n = 0;
        for (size_t mi = 0; mi < x->d.nm; mi++)
            if (x->roles[mi].kind == (goal ? ROLE_GOAL : ROLE_SECONDARY))
                for (size_t ti = 0; ti < x->ntreat; ti++)
                    idx[n++] = row_at(x, mi, 0, ti);
        dcx_adjust_t method = goal && x->adjust == DCX_ADJUST_NONE ? DCX_ADJUST_HOLM : x->adjust;
        st = adjust(x, rows, idx, n, method, pv, err);
        if (goal && x->adjust == DCX_ADJUST_NONE)
            for (size_t k = 0; k < n; k++)
                rows[idx[k]].adjusted_by = "holm";
    }
    /* each metric × segment column: the column's levels × treatments */
    for (size_t mi = 0; mi < x->d.nm && !st; mi++)
        for (size_t sg = 0; sg < x->d.nseg && !st; sg++) {
            size_t n = 0;
            for (size_t li = x->seg_lo[sg]; li < x->seg_hi[sg]; li++)
                for (size_t ti = 0; ti < x->ntreat; ti++)
                    idx[n++] = row_at(x, mi, li, ti);
            st = adjust(x, rows, idx, n, x->adjust, pv, err);
        }
    /* guardrails' overall rows are judged by their non-inferiority tests */
    for (size_t i = 0; i < nrows && !st; i++)
        if (rows[i].family == FAM_GUARDRAIL && isfinite(rows[i].p))
            row_note(&rows[i], "a guardrail is not in a correction family: it is judged by its "
                               "non-inferiority test",
                     NULL);
done:
    free(idx);
    free(pv);
    return st;
}
