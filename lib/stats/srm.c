/* srm.c — the sample-ratio-mismatch check: are the observed units per variant what the
 * design's shares lead one to expect? */
#include "dcx/stats.h"

#include <float.h>
#include <math.h>

dcx_status_t dcx_srm_check(const double *counts, const double *weights, size_t k,
                           double threshold, double *expected, dcx_srm_result_t *r,
                           dcx_error_t *err)
{
    r->chi2 = r->df = r->p_value = NAN;
    r->mismatch = 0;
    if (!(threshold > 0 && threshold < 1))
        return dcx_error_set(err, DCX_EINVAL, "SRM threshold must be in (0, 1), got %g",
                             threshold);
    double total = 0, wsum = 0;
    for (size_t i = 0; i < k; i++) {
        if (!(counts[i] >= 0) || counts[i] != floor(counts[i]))
            return dcx_error_set(err, DCX_EINVAL, "count %g is not a whole number >= 0",
                                 counts[i]);
        total += counts[i];
        /* counts of units are exact in a double up to 2^53; beyond, overflow is an error,
         * never a pass */
        if (!(total <= 9007199254740992.0))
            return dcx_error_set(err, DCX_EDOM,
                                 "the counts add up to more than 2^53 units: too large to test "
                                 "exactly");
        if (weights) {
            if (!(weights[i] > 0))
                return dcx_error_set(err, DCX_EINVAL, "weight %g is not > 0", weights[i]);
            wsum += weights[i];
        }
    }
    if (weights && fabs(wsum - 1) > 0.01)
        return dcx_error_set(err, DCX_EINVAL, "weights sum to %g, not 1 (or 100 as percentages)", wsum);
    /* A designed share so small that its expected count underflows (below the smallest
     * normal double), or that the statistic overflows, cannot be tested: an error, never a
     * pass (with a count of 0 the statistic would round to 0, p = 1). */
    for (size_t i = 0; i < k && total > 0; i++) {
        double share = weights ? weights[i] / wsum : 1.0 / (double)k;
        double e = total * share;
        if (expected)
            expected[i] = e;
        if (!(e >= DBL_MIN))
            return dcx_error_set(err, DCX_EDOM,
                                 "variant %zu's designed share %g is too small to test: its "
                                 "expected count of %g units underflows",
                                 i + 1, share, e);
    }
    dcx_status_t st = dcx_test_chisq_gof(counts, weights, k, &r->chi2, &r->df, &r->p_value, err);
    if (st == DCX_EDOM && total > 0 && !isfinite(r->chi2)) {
        double smallest = INFINITY;
        size_t at = 0;
        for (size_t i = 0; i < k; i++) {
            double share = weights ? weights[i] / wsum : 1.0 / (double)k;
            if (share < smallest)
                smallest = share, at = i;
        }
        return dcx_error_set(err, DCX_EDOM,
                             "the chi-square statistic overflows: variant %zu's designed share "
                             "%g is too small to test",
                             at + 1, smallest);
    }
    if (st)
        return st;
    r->mismatch = r->p_value < threshold;
    return DCX_OK;
}

