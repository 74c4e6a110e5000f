/* srm.c — the sample-ratio-mismatch check: are the observed units per variant what the
 * design's shares lead one to expect? */
#include "dcx/stats.h"

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
    if (expected)
        for (size_t i = 0; i < k; i++)
            expected[i] = total * (weights ? weights[i] / wsum : 1.0 / (double)k);
    dcx_status_t st = dcx_test_chisq_gof(counts, weights, k, &r->chi2, &r->df, &r->p_value, err);
    if (st)
        return st;
    r->mismatch = r->p_value < threshold;
    return DCX_OK;
}

