/* moments.c — shifted Welford accumulation and Chan's merge.
 *
 * Why the shift: a plain Welford update rounds the running mean at the ulp of the
 * values (about 1.2e-7 near 1e9), and 3,000 such roundings move the mean by ~5e-7.
 * Subtracting the first value first is exact for nearby values (Sterbenz), so the
 * running quantities stay at the scale of the spread and keep full precision. */
#include "dcx/moments.h"

#include <math.h>
#include <string.h>

void dcx_moments_init(dcx_moments_t *m) { memset(m, 0, sizeof *m); }

void dcx_moments_add2(dcx_moments_t *m, double x, double y)
{
    if (m->n == 0) {
        m->shift_x = x;
        m->shift_y = y;
    }
    double dx = x - m->shift_x, dy = y - m->shift_y;
    m->n += 1;
    double ex = dx - m->mean_x; /* deviation from the old mean */
    double ey = dy - m->mean_y;
    m->mean_x += ex / m->n;
    m->mean_y += ey / m->n;
    m->m2_x += ex * (dx - m->mean_x);
    m->m2_y += ey * (dy - m->mean_y);
    m->c_xy += ex * (dy - m->mean_y);
}

void dcx_moments_add(dcx_moments_t *m, double x) { dcx_moments_add2(m, x, 0.0); }

void dcx_moments_merge(dcx_moments_t *a, const dcx_moments_t *b)
{
    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    /* b's means re-expressed relative to a's shifts */
    double bx = b->mean_x + (b->shift_x - a->shift_x);
    double by = b->mean_y + (b->shift_y - a->shift_y);
    double n = a->n + b->n;
    double dx = bx - a->mean_x, dy = by - a->mean_y;
    double f = a->n * b->n / n;
    a->mean_x += dx * (b->n / n);
    a->mean_y += dy * (b->n / n);
    a->m2_x += b->m2_x + dx * dx * f;
    a->m2_y += b->m2_y + dy * dy * f;
    a->c_xy += b->c_xy + dx * dy * f;
    a->n = n;
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
    m->n = n;
    m->mean_x = sum_x / n;
    m->mean_y = sum_y / n;
    m->m2_x = fmax(0.0, sum_xx - sum_x * m->mean_x);
    m->m2_y = fmax(0.0, sum_yy - sum_y * m->mean_y);
    m->c_xy = sum_xy - sum_x * m->mean_y;
    return DCX_OK;
}

double dcx_moments_mean_x(const dcx_moments_t *m)
{
    return m->n > 0 ? m->shift_x + m->mean_x : NAN;
}

double dcx_moments_mean_y(const dcx_moments_t *m)
{
    return m->n > 0 ? m->shift_y + m->mean_y : NAN;
}

double dcx_moments_var_x(const dcx_moments_t *m) { return m->n > 1 ? m->m2_x / (m->n - 1) : NAN; }

double dcx_moments_var_y(const dcx_moments_t *m) { return m->n > 1 ? m->m2_y / (m->n - 1) : NAN; }

double dcx_moments_cov_xy(const dcx_moments_t *m)
{
    return m->n > 1 ? m->c_xy / (m->n - 1) : NAN;
}

void dcx_moments_sums(const dcx_moments_t *m, double *sum_x, double *sum_xx, double *sum_y,
                      double *sum_yy, double *sum_xy)
{
    double mx = m->n > 0 ? dcx_moments_mean_x(m) : 0, my = m->n > 0 ? dcx_moments_mean_y(m) : 0;
    if (sum_x)
        *sum_x = m->n * mx;
    if (sum_xx)
        *sum_xx = m->m2_x + m->n * mx * mx;
    if (sum_y)
        *sum_y = m->n * my;
    if (sum_yy)
        *sum_yy = m->m2_y + m->n * my * my;
    if (sum_xy)
        *sum_xy = m->c_xy + m->n * mx * my;
}
