/* moments.c — shifted sums and their exact merge.
 *
 * Why the shift: near 1e9 a double's ulp is about 1.2e-7, and raw sums of squares
 * (≈ n·1e18) cannot hold a variance of order 1. Deviations from the cell's first value
 * are exact for nearby values and of the order of the spread, so their sums keep full
 * precision. The sums are plain: with the deviations centred near the data, the
 * rounding of n additions stays far below the 1e-6 the reference tests ask for. */
#include "dcx/moments.h"

#include <math.h>
#include <string.h>

void dcx_moments_init(dcx_moments_t *m) { memset(m, 0, sizeof *m); }

void dcx_moments_add_weighted(dcx_moments_t *m, double x, double w)
{
    if (m->n == 0)
        m->shift_x = x;
    double d = x - m->shift_x;
    m->n += w;
    m->sx += w * d;
    m->sxx += w * d * d;
}

void dcx_moments_add2(dcx_moments_t *m, double x, double y)
{
    if (m->n == 0) {
        m->shift_x = x;
        m->shift_y = y;
    }
    double d = x - m->shift_x, e = y - m->shift_y;
    m->n += 1;
    m->sx += d;
    m->sy += e;
    m->sxx += d * d;
    m->syy += e * e;
    m->sxy += d * e;
}

void dcx_moments_merge(dcx_moments_t *a, const dcx_moments_t *b)
{
    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    /* b's deviations around a's shifts: d' = d + u, e' = e + w */
    double u = b->shift_x - a->shift_x, w = b->shift_y - a->shift_y;
    a->sxx += b->sxx + 2 * u * b->sx + b->n * u * u;
    a->syy += b->syy + 2 * w * b->sy + b->n * w * w;
    a->sxy += b->sxy + u * b->sy + w * b->sx + b->n * u * w;
    a->sx += b->sx + b->n * u;
    a->sy += b->sy + b->n * w;
    a->n += b->n;
}

dcx_status_t dcx_moments_from_sums(dcx_moments_t *m, double n, double sum_x, double sum_xx,
                                   double sum_y, double sum_yy, double sum_xy, dcx_error_t *err)
{
    if (!(n >= 0) || !isfinite(n) || !isfinite(sum_x) || !isfinite(sum_xx) || !isfinite(sum_y)
        || !isfinite(sum_yy) || !isfinite(sum_xy))
        return dcx_error_set(err, DCX_EINVAL, "sums must be finite and n non-negative");
    dcx_moments_init(m);
    if (n == 0)
        return DCX_OK;
    /* shift by the means: the deviations then sum to 0 and their squares are M2 */
    m->n = n;
    m->shift_x = sum_x / n;
    m->shift_y = sum_y / n;
    m->sxx = fmax(0.0, sum_xx - sum_x * m->shift_x);
    m->syy = fmax(0.0, sum_yy - sum_y * m->shift_y);
    m->sxy = sum_xy - sum_x * m->shift_y;
    return DCX_OK;
}

double dcx_moments_mean_x(const dcx_moments_t *m)
{
    return m->n > 0 ? m->shift_x + m->sx / m->n : NAN;
}

double dcx_moments_mean_y(const dcx_moments_t *m)
{
    return m->n > 0 ? m->shift_y + m->sy / m->n : NAN;
}

static double centred(double sab, double sa, double sb, double n)
{
    return sab - sa * sb / n;
}

double dcx_moments_var_x(const dcx_moments_t *m)
{
    return m->n > 1 ? fmax(0.0, centred(m->sxx, m->sx, m->sx, m->n)) / (m->n - 1) : NAN;
}

double dcx_moments_var_y(const dcx_moments_t *m)
{
    return m->n > 1 ? fmax(0.0, centred(m->syy, m->sy, m->sy, m->n)) / (m->n - 1) : NAN;
}

double dcx_moments_cov_xy(const dcx_moments_t *m)
{
    return m->n > 1 ? centred(m->sxy, m->sx, m->sy, m->n) / (m->n - 1) : NAN;
}

void dcx_moments_sums(const dcx_moments_t *m, double *sum_x, double *sum_xx, double *sum_y,
                      double *sum_yy, double *sum_xy)
{
    /* x = shift + d: Σx = n·shift + Σd, Σx² = n·shift² + 2·shift·Σd + Σd², ... */
    double n = m->n, a = m->shift_x, b = m->shift_y;
    if (sum_x)
        *sum_x = n * a + m->sx;
    if (sum_xx)
        *sum_xx = n * a * a + 2 * a * m->sx + m->sxx;
    if (sum_y)
        *sum_y = n * b + m->sy;
    if (sum_yy)
        *sum_yy = n * b * b + 2 * b * m->sy + m->syy;
    if (sum_xy)
        *sum_xy = n * a * b + a * m->sy + b * m->sx + m->sxy;
}
