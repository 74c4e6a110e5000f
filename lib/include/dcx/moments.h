/* moments.h — numerically stable, mergeable accumulation of n, means, variances and
 * the covariance of one or two variables.
 *
 * Every metric dcx analyses reduces to these moments, per cell (metric × segment
 * level × variant). Values are shifted by the first value seen so that data near
 * 1e9 with unit spread keep their digits, then accumulated with Welford's update;
 * two accumulators (from two files, shards or machines) merge with Chan et al.'s
 * pairwise formula. A dcx_moments_t is a plain value: zero-initialise it (or call
 * dcx_moments_init()) and it owns no memory. */
#ifndef DCX_MOMENTS_H
#define DCX_MOMENTS_H

#include "dcx/error.h"

typedef struct {
    double n;        /* number of observations (exact up to 2^53) */
    double shift_x;  /* first x seen; means are kept relative to it */
    double shift_y;
    double mean_x;   /* mean of (x - shift_x) */
    double mean_y;
    double m2_x;     /* sum of squared deviations of x from its mean */
    double m2_y;
    double c_xy;     /* sum of cross deviations */
} dcx_moments_t;

/* dcx_moments_init() : an empty accumulator. */
void dcx_moments_init(dcx_moments_t *m);

/* dcx_moments_add() : adds one observation of x alone (y untouched, treated as 0). */
void dcx_moments_add(dcx_moments_t *m, double x);

/* dcx_moments_add2() : adds one paired observation (x, y). */
void dcx_moments_add2(dcx_moments_t *m, double x, double y);

/* dcx_moments_merge() : folds b into a (Chan et al. 1979); b is unchanged. */
void dcx_moments_merge(dcx_moments_t *a, const dcx_moments_t *b);

/* dcx_moments_from_sums() : the accumulator holding n observations whose sums are
 * sum_x, sum_xx (and, for a second variable, sum_y, sum_yy, sum_xy; pass 0 when
 * absent). This is how summary CSV rows become cells. Raw sums lose digits when the
 * mean is large relative to the spread: M2 = Σx² − (Σx)²/n is clamped at 0.
 * @return DCX_OK, or DCX_EINVAL when n < 0 or a value is not finite. */
dcx_status_t dcx_moments_from_sums(dcx_moments_t *m, double n, double sum_x, double sum_xx,
                                   double sum_y, double sum_yy, double sum_xy,
                                   dcx_error_t *err);

/* Accessors. Each returns NaN when undefined (mean of nothing, variance with n < 2). */
double dcx_moments_mean_x(const dcx_moments_t *m);
double dcx_moments_mean_y(const dcx_moments_t *m);
double dcx_moments_var_x(const dcx_moments_t *m);  /* unbiased, divisor n − 1 */
double dcx_moments_var_y(const dcx_moments_t *m);
double dcx_moments_cov_xy(const dcx_moments_t *m); /* unbiased, divisor n − 1 */

/* dcx_moments_sums() : the raw sums (Σx, Σx², Σy, Σy², Σxy) of the accumulated data,
 * reconstructed as exactly as double allows; any pointer may be NULL. */
void dcx_moments_sums(const dcx_moments_t *m, double *sum_x, double *sum_xx, double *sum_y,
                      double *sum_yy, double *sum_xy);

#endif
