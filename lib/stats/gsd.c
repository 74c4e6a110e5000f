/* gsd.c — group-sequential designs: Lan–DeMets alpha spending and the efficacy boundaries it
 * gives at the looks actually taken, by recursive numerical integration of the joint normal
 * distribution of the cumulative z statistics (Armitage, McPherson and Rowe 1969; Jennison and
 * Turnbull 2000, ch. 19), and the repeated p-value of a path of z statistics. */
#include "dcx/stats.h"

#include <math.h>
#include <stdlib.h>

#define GS_LOW (-8.5)   /* the continuation region's lower end on the z scale (P < 1e-17) */
#define GS_STEP 0.05    /* the grid step on the z scale, smaller for narrow kernels */
#define GS_STEP_MIN 0.002

double dcx_gs_spent(dcx_spending_t s, double alpha, double t)
{
    if (!(alpha > 0 && alpha < 1) || !(t >= 0))
        return NAN;
    if (t == 0)
        return 0;
    if (t >= 1)
        return alpha;
    if (s == DCX_SPEND_POCOCK)
        return alpha * log1p((M_E - 1) * t);
    /* O'Brien–Fleming type: 2 − 2Φ(z_{α/2} / √t) */
    return 2 * dcx_dist_norm_cdf(dcx_dist_norm_quantile(alpha / 2, 0) / sqrt(t), 0);
}

/* The density of Z_k on its continuation region: grid points z[i] (m + 1 of them, m even)
 * with Simpson weights already multiplied in (g[i] = w_i f(z_i)). */
typedef struct {
    double *z, *g;
    size_t m;
} grid_t;

/* P(Z_k ≥ b and no earlier crossing) from the previous look's weighted density, and its
 * derivative in b into *d. */
static double cross_prob(const grid_t *p, double tp, double tk, double b, double *d)
{
    double sd = sqrt(tk - tp), s = 0, ds = 0, rk = sqrt(tk), rp = sqrt(tp);
    for (size_t i = 0; i <= p->m; i++) {
        double u = (b * rk - p->z[i] * rp) / sd;
        s += p->g[i] * dcx_dist_norm_cdf(u, 0);
        if (fabs(u) < 40)
            ds += p->g[i] * exp(-0.5 * u * u);
    }
    *d = -ds * rk / (sd * sqrt(2 * M_PI));
    return s;
}

/* Fills grid q on [GS_LOW, b] with Simpson weights times the density of Z_k there. prev NULL:
 * the first look (standard normal). */
static void propagate(const grid_t *prev, double tp, double tk, double b, double step, grid_t *q)
{
    size_t m = (size_t)ceil((b - GS_LOW) / step);
    if (m < 2)
        m = 2;
    m += m & 1;
    double h = (b - GS_LOW) / (double)m, rk = sqrt(tk), rp = sqrt(tp), sd = sqrt(tk - tp);
    for (size_t j = 0; j <= m; j++) {
        double z = GS_LOW + h * (double)j, f = 0;
        if (!prev) {
            f = exp(-0.5 * z * z) / sqrt(2 * M_PI);
        } else {
            for (size_t i = 0; i <= prev->m; i++) {
                double u = (z * rk - prev->z[i] * rp) / sd;
                if (fabs(u) < 9) /* beyond, the kernel is below 1e-17 */
                    f += prev->g[i] * exp(-0.5 * u * u);
            }
            f *= rk / (sd * sqrt(2 * M_PI));
        }
        double w = (j == 0 || j == m) ? 1 : (j & 1) ? 4 : 2;
        q->z[j] = z;
        q->g[j] = f * w * h / 3;
    }
    q->m = m;
}

/* The grid step for the kernel of the move from tp to tk (its sd on the z scale). */
static double step_for(double tp, double tk)
{
    double s = tp > 0 ? sqrt((tk - tp) / tk) / 6 : GS_STEP;
    return fmax(GS_STEP_MIN, fmin(GS_STEP, s));
}

static size_t grid_points(double step)
{
    return (size_t)ceil((40.0 - GS_LOW) / step) + 4;
}

/* Boundaries b[0..k) of one-sided level alpha at fractions t, in scratch grids a and c. */
static dcx_status_t bounds(dcx_spending_t s, double alpha, const double *t, size_t k, double *b,
                           grid_t *a, grid_t *c, dcx_error_t *err)
{
    grid_t *prev = NULL, *cur = a;
    double tp = 0, spent = 0;
    for (size_t j = 0; j < k; j++) {
        double tk = t[j], target = dcx_gs_spent(s, alpha, fmin(tk, 1)) - spent;
        if (!(tk > tp) || !(target > 1e-15)) { /* no new information, or nothing to spend */
            b[j] = INFINITY;
            continue;
        }
        if (!prev) {
            b[j] = dcx_dist_norm_quantile(target, 0);
        } else {
            /* Newton's method on P(b) = target, kept inside a bracket by bisection */
            double lo = -12, hi = 40, x = fmin(39, dcx_dist_norm_quantile(target, 0));
            for (int it = 0; it < 100; it++) {
                double d, f = cross_prob(prev, tp, tk, x, &d) - target, nx;
                if (f > 0)
                    lo = x;
                else
                    hi = x;
                nx = d < 0 ? x - f / d : NAN;
                if (!(nx > lo && nx < hi))
                    nx = 0.5 * (lo + hi);
                if (fabs(nx - x) < 1e-10 || hi - lo < 1e-10) {
                    x = nx;
                    break;
                }
                x = nx;
            }
            b[j] = x;
        }
        spent += target;
        if (j + 1 < k) { /* the density of Z_j below its boundary, for the next look */
            double step = GS_STEP;
            for (size_t l = j + 1; l < k; l++)
                if (t[l] > tk) {
                    step = step_for(tk, t[l]);
                    break;
                }
            propagate(prev, tp, tk, fmax(GS_LOW + 0.1, fmin(b[j], 40.0)), step, cur);
            prev = cur;
            cur = cur == a ? c : a;
        }
        tp = tk;
    }
    (void)err;
    return DCX_OK;
}

static dcx_status_t check_fractions(const double *t, size_t k, dcx_error_t *err)
{
    if (!k)
        return dcx_error_set(err, DCX_EINVAL, "no looks");
    for (size_t j = 0; j < k; j++)
        if (!(t[j] > 0 && t[j] <= 1 + 1e-12) || (j && t[j] < t[j - 1]))
            return dcx_error_set(err, DCX_EINVAL,
                                 "information fractions must increase within (0, 1] (look %zu: %g)",
                                 j + 1, t[j]);
    return DCX_OK;
}

/* Two grids big enough for the finest step any look of t needs. */
static dcx_status_t grids_alloc(const double *t, size_t k, grid_t *a, grid_t *c, double **mem,
                                dcx_error_t *err)
{
    double step = GS_STEP;
    for (size_t j = 1; j < k; j++)
        if (t[j] > t[j - 1])
            step = fmin(step, step_for(t[j - 1], t[j]));
    size_t n = grid_points(step);
    *mem = malloc(4 * n * sizeof **mem);
    if (!*mem)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    a->z = *mem, a->g = *mem + n, c->z = *mem + 2 * n, c->g = *mem + 3 * n;
    a->m = c->m = 0;
    return DCX_OK;
}

dcx_status_t dcx_gs_boundaries(dcx_spending_t s, double alpha, const double *t, size_t k,
                               double *b, dcx_error_t *err)
{
    if (!(alpha > 0 && alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "alpha must be in (0, 1)");
    dcx_status_t st = check_fractions(t, k, err);
    if (st)
        return st;
    grid_t a, c;
    double *mem;
    if ((st = grids_alloc(t, k, &a, &c, &mem, err)))
        return st;
    st = bounds(s, alpha, t, k, b, &a, &c, err);
    free(mem);
    return st;
}

/* The boundary of look j (0-based) of the design at one-sided level e^la, given the looks up
 * to it. */
static double bound_at(dcx_spending_t s, double la, const double *t, size_t j, double *b, grid_t *a,
                       grid_t *c, dcx_error_t *err)
{
    bounds(s, exp(la), t, j + 1, b, a, c, err);
    return b[j];
}

dcx_status_t dcx_gs_repeated_p(dcx_spending_t s, const double *t, const double *z, size_t k,
                               double *p, dcx_error_t *err)
{
    dcx_status_t st = check_fractions(t, k, err);
    if (st)
        return st;
    grid_t a, c;
    double *mem, *b = malloc((k + 1) * sizeof *b);
    if (!b)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if ((st = grids_alloc(t, k, &a, &c, &mem, err))) {
        free(b);
        return st;
    }
    double best = 1;
    for (size_t j = 0; j < k; j++) {
        /* the boundary at look j falls as the level grows: the smallest level with b_j ≤ z_j,
         * wanted only when it is below the best so far (else the running minimum stays) */
        if (isfinite(z[j])) {
            double hi = log(fmin(best, 1 - 1e-12));
            double fhi = bound_at(s, hi, t, j, b, &a, &c, err) - z[j];
            if (fhi <= 0) {
                /* bracket: [lo, hi] with b_j(lo) > z_j ≥ b_j(hi); the Illinois variant of regula
                 * falsi on log(level), bisecting while an end is infinite */
                double lo = hi, flo = fhi;
                do {
                    lo = fmax(lo - 8, log(1e-300));
                    flo = bound_at(s, lo, t, j, b, &a, &c, err) - z[j];
                } while (flo <= 0 && lo > log(1e-300));
                if (flo <= 0) {
                    hi = lo; /* below 1e-300 */
                } else {
                    int side = 0;
                    for (int it = 0; it < 100 && hi - lo > 1e-10 * fabs(hi) + 1e-12; it++) {
                        double m = isfinite(flo) && isfinite(fhi) ? (lo * fhi - hi * flo) / (fhi - flo)
                                                                  : 0.5 * (lo + hi);
                        if (!(m > lo && m < hi))
                            m = 0.5 * (lo + hi);
                        double fm = bound_at(s, m, t, j, b, &a, &c, err) - z[j];
                        if (fm <= 0) {
                            hi = m, fhi = fm;
                            if (side == -1)
                                flo /= 2;
                            side = -1;
                        } else {
                            lo = m, flo = fm;
                            if (side == 1)
                                fhi /= 2;
                            side = 1;
                        }
                        if (fabs(fm) < 1e-12) { /* on the root */
                            hi = m;
                            break;
                        }
                    }
                }
                best = fmin(best, exp(hi));
            }
        }
        p[j] = best;
    }
    free(b);
    free(mem);
    return DCX_OK;
}
