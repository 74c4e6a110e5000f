/* moments.h — numerically stable, mergeable accumulation of n, means, variances and
 * the covariance of one or two variables.
 *
 * Every metric dcx analyses reduces to these moments, per cell (metric × segment
 * level × variant). Values are shifted by the first value the cell sees — exact for
 * values near it (Sterbenz), so data near 1e9 with unit spread keep their digits — and
 * the shifted deviations d are summed: Σd, Σd², and for a second variable Σe, Σe², Σde.
 * The update is additions only (no division on the hot path); the variance is
 * (Σd² − (Σd)²/n)/(n − 1), whose cancellation is mild because d is centred near the
 * first value. Two accumulators (files, shards, machines) merge exactly by re-shifting
 * one onto the other. A dcx_moments_t is a plain value: zero-initialise it (or call
 * dcx_moments_init()); it owns no memory. */
#ifndef DCX_MOMENTS_H
#define DCX_MOMENTS_H

#include "dcx/api.h"

#include "dcx/error.h"

typedef struct {
    double n;        /* number of observations (exact up to 2^53) */
    double shift_x;  /* first x seen; deviations are taken from it */
    double shift_y;
    double sx, sy;   /* Σ(x − shift_x), Σ(y − shift_y) */
    double sxx, syy; /* Σ(x − shift_x)², Σ(y − shift_y)² */
    double sxy;      /* Σ(x − shift_x)(y − shift_y) */
} dcx_moments_t;

/* dcx_moments_init() : an empty accumulator. */
DCX_API void dcx_moments_init(dcx_moments_t *m);

/* dcx_moments_add() : adds one observation of x alone (y untouched, treated as 0).
 * Inline: it is the innermost step of reading unit-level data. */
static inline void dcx_moments_add(dcx_moments_t *m, double x)
{
    if (m->n == 0)
        m->shift_x = x;
    double d = x - m->shift_x;
    m->n += 1;
    m->sx += d;
    m->sxx += d * d;
}

/* dcx_moments_add_weighted() : adds x with frequency weight w >= 0 (x counted w times: n
 * grows by w, so the variance's divisor is the sum of weights minus 1, and whole weights
 * give exactly the moments of the repeated values). The caller checks that w is finite
 * and not negative. */
DCX_API void dcx_moments_add_weighted(dcx_moments_t *m, double x, double w);

/* dcx_moments_add2() : adds one paired observation (x, y). */
DCX_API void dcx_moments_add2(dcx_moments_t *m, double x, double y);

/* dcx_moments_merge() : folds b into a, exactly (b's sums re-expressed around a's
 * shifts); b is unchanged. */
DCX_API void dcx_moments_merge(dcx_moments_t *a, const dcx_moments_t *b);

/* dcx_moments_from_sums() : the accumulator holding n observations whose sums are
 * sum_x, sum_xx (and, for a second variable, sum_y, sum_yy, sum_xy; pass 0 when
 * absent). This is how summary CSV rows become cells. Raw sums lose digits when the
 * mean is large relative to the spread: M2 = Σx² − (Σx)²/n is clamped at 0.
 * @return DCX_OK, or DCX_EINVAL when n < 0 or a value is not finite. */
DCX_API dcx_status_t dcx_moments_from_sums(dcx_moments_t *m, double n, double sum_x, double sum_xx,
                                   double sum_y, double sum_yy, double sum_xy,
                                   dcx_error_t *err);

/* Accessors. Each returns NaN when undefined (mean of nothing, variance with n < 2). */
DCX_API double dcx_moments_mean_x(const dcx_moments_t *m);
DCX_API double dcx_moments_mean_y(const dcx_moments_t *m);
DCX_API double dcx_moments_var_x(const dcx_moments_t *m);  /* unbiased, divisor n − 1 */
DCX_API double dcx_moments_var_y(const dcx_moments_t *m);
DCX_API double dcx_moments_cov_xy(const dcx_moments_t *m); /* unbiased, divisor n − 1 */

/* dcx_moments_sums() : the raw sums (Σx, Σx², Σy, Σy², Σxy) of the accumulated data,
 * reconstructed as exactly as double allows; any pointer may be NULL. */
DCX_API void dcx_moments_sums(const dcx_moments_t *m, double *sum_x, double *sum_xx, double *sum_y,
                      double *sum_yy, double *sum_xy);

#endif
