/* dist.c — probability distributions on top of GSL, plus the pieces GSL lacks:
 * the noncentral t (for power.t.test), accurate binomial/hypergeometric masses for
 * large counts (Loader's saddle-point form), and discrete quantiles. */
#include "dcx/stats.h"

#include <float.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

static int stats_ready;

void dcx_stats_init(void)
{
    if (!stats_ready) {
        gsl_set_error_handler_off();
        stats_ready = 1;
    }
}

__attribute__((constructor)) static void stats_ctor(void) { dcx_stats_init(); }

static int bad_prob(double p) { return !(p >= 0 && p <= 1); }

/* ---- normal, t, chi-square, beta ------------------------------------------------ */

double dcx_dist_norm_cdf(double x, int lower)
{
    if (isnan(x))
        return NAN;
    return lower ? gsl_cdf_ugaussian_P(x) : gsl_cdf_ugaussian_Q(x);
}

double dcx_dist_norm_quantile(double p, int lower)
{
    if (bad_prob(p))
        return NAN;
    return lower ? gsl_cdf_ugaussian_Pinv(p) : gsl_cdf_ugaussian_Qinv(p);
}

double dcx_dist_t_cdf(double x, double df, int lower)
{
    if (isnan(x) || !(df > 0))
        return NAN;
    if (isinf(df))
        return dcx_dist_norm_cdf(x, lower);
    return lower ? gsl_cdf_tdist_P(x, df) : gsl_cdf_tdist_Q(x, df);
}

double dcx_dist_t_quantile(double p, double df, int lower)
{
    if (bad_prob(p) || !(df > 0))
        return NAN;
    if (isinf(df))
        return dcx_dist_norm_quantile(p, lower);
    if (!lower)
        return -dcx_dist_t_quantile(p, df, 1);
    if (p == 0)
        return -INFINITY;
    if (p == 1)
        return INFINITY;
    double x = gsl_cdf_tdist_Pinv(p, df);
    /* polish with Newton steps on the tail that is smaller, for full precision */
    for (int i = 0; i < 4 && isfinite(x); i++) {
        double f, dens = gsl_ran_tdist_pdf(x, df);
        if (dens <= 0)
            break;
        if (p < 0.5)
            f = gsl_cdf_tdist_P(x, df) - p;
        else
            f = p - 1 + gsl_cdf_tdist_Q(x, df);
        double step = f / dens;
        x -= step;
        if (fabs(step) <= 1e-15 * fabs(x))
            break;
    }
    return x;
}

double dcx_dist_chisq_cdf(double x, double df, int lower)
{
    if (isnan(x) || !(df > 0))
        return NAN;
    if (x <= 0)
        return lower ? 0.0 : 1.0;
    return lower ? gsl_cdf_chisq_P(x, df) : gsl_cdf_chisq_Q(x, df);
}

double dcx_dist_chisq_quantile(double p, double df, int lower)
{
    if (bad_prob(p) || !(df > 0))
        return NAN;
    return lower ? gsl_cdf_chisq_Pinv(p, df) : gsl_cdf_chisq_Qinv(p, df);
}

double dcx_dist_beta_pdf(double x, double a, double b)
{
    if (isnan(x) || !(a > 0) || !(b > 0))
        return NAN;
    if (x < 0 || x > 1)
        return 0.0;
    return gsl_ran_beta_pdf(x, a, b);
}

double dcx_dist_beta_cdf(double x, double a, double b, int lower)
{
    if (isnan(x) || !(a > 0) || !(b > 0))
        return NAN;
    if (x <= 0)
        return lower ? 0.0 : 1.0;
    if (x >= 1)
        return lower ? 1.0 : 0.0;
    return lower ? gsl_cdf_beta_P(x, a, b) : gsl_cdf_beta_Q(x, a, b);
}

double dcx_dist_beta_quantile(double p, double a, double b, int lower)
{
    if (bad_prob(p) || !(a > 0) || !(b > 0))
        return NAN;
    if (!lower)
        p = 1 - p; /* Q⁻¹(p) = P⁻¹(1 − p); refine against the chosen tail below */
    if (p == 0)
        return 0.0;
    if (p == 1)
        return 1.0;
    /* Bisection on the cdf, then Newton polish: robust where GSL's inverse is coarse. */
    double lo = 0, hi = 1, x = gsl_cdf_beta_Pinv(p, a, b);
    if (!(x > 0 && x < 1))
        x = 0.5;
    for (int i = 0; i < 200; i++) {
        double f = gsl_cdf_beta_P(x, a, b) - p;
        if (f == 0)
            return x;
        if (f > 0)
            hi = x;
        else
            lo = x;
        double dens = gsl_ran_beta_pdf(x, a, b), nx = NAN;
        if (dens > 0 && isfinite(dens))
            nx = x - f / dens;
        if (!(nx > lo && nx < hi))
            nx = 0.5 * (lo + hi);
        if (fabs(nx - x) <= 4 * DBL_EPSILON * x || hi - lo <= 4 * DBL_EPSILON * hi)
            return nx;
        x = nx;
    }
    return x;
}

/* ---- noncentral t ----------------------------------------------------------------- */

/* For t ≥ 0, with x = t²/(t² + ν), λ = δ²/2 (Guenther 1978):
 *   F(t) = Φ(−δ) + ½ Σ_j [P_j I_x(j + ½, ν/2) + Q_j I_x(j + 1, ν/2)],
 *   P_j = e^{−λ} λ^j / j!,  Q_j = e^{−λ} λ^j δ / (√2 Γ(j + 3/2)).
 * Because ½ΣP_j = ½ and ½ΣQ_j = ½ − Φ(−δ), the upper tail is
 *   1 − F(t) = ½ Σ_j [P_j I_{1−x}(ν/2, j + ½) + Q_j I_{1−x}(ν/2, j + 1)],
 * a sum of positive terms when δ ≥ 0, so it is summed directly rather than as 1 − F.
 * Terms are summed from the Poisson mode outwards so that large δ does not underflow. */
static double nt_series(double t, double df, double ncp, int upper)
{
    double lam = 0.5 * ncp * ncp;
    double x = t * t / (t * t + df), y = df / (t * t + df);
    long mode = (long)floor(lam);
    double lp = lam > 0 ? log(lam) : 0;
    double lpj = lam > 0 ? -lam + mode * lp - gsl_sf_lngamma(mode + 1.0) : 0;
    double lqj = lam > 0 ? -lam + mode * lp - gsl_sf_lngamma(mode + 1.5) : -gsl_sf_lngamma(1.5);
    double qscale = ncp / M_SQRT2, sum = 0;
    for (int dir = 0; dir < 2; dir++) {
        double pj = exp(lpj), qj = exp(lqj);
        long j = mode;
        if (dir == 1) { /* downwards from mode − 1 */
            if (mode == 0)
                break;
            pj *= mode / lam;
            qj *= (mode + 0.5) / lam;
            j = mode - 1;
        }
        for (long k = 0; k < 200000 && j >= 0; k++) {
            double ip, iq;
            if (upper) {
                ip = gsl_sf_beta_inc(0.5 * df, j + 0.5, y);
                iq = gsl_sf_beta_inc(0.5 * df, j + 1.0, y);
            } else {
                ip = gsl_sf_beta_inc(j + 0.5, 0.5 * df, x);
                iq = gsl_sf_beta_inc(j + 1.0, 0.5 * df, x);
            }
            double term = pj * ip + qscale * qj * iq;
            sum += term;
            if (k > 5 && fabs(term) <= 1e-18 * fabs(sum) && pj < 1e-16)
                break;
            if (!(pj > 0) && !(qj > 0))
                break;
            if (dir == 0) {
                pj *= lam / (j + 1.0);
                qj *= lam / (j + 1.5);
                j++;
            } else {
                pj *= j / lam;
                qj *= (j + 0.5) / lam;
                j--;
            }
        }
    }
    return upper ? 0.5 * sum : dcx_dist_norm_cdf(-ncp, 1) + 0.5 * sum;
}

/* Either tail by integration over the chi-square mixing distribution, for t ≥ 0:
 *   P(T ≤ t) = ∫ Φ(t √(v/ν) − δ) χ²_ν(v) dv,   P(T > t) = ∫ Φ(δ − t √(v/ν)) χ²_ν(v) dv,
 * positive integrands, so small tails keep their relative accuracy. Used where the series
 * alternates in sign (δ < 0, upper tail) and where it cannot converge in reasonable time
 * (very large δ: the Poisson weights spread over about √(δ²/2) terms). */
typedef struct {
    double t, df, ncp;
    int upper;
} nt_params_t;

static double stirlerr(double n);
static double bd0(double x, double m);

/* The chi-square density as Loader's saddle-point form of the gamma density (R's dgamma):
 * f(v; ν) = p(ν/2 − 1; v/2) / 2 with the Poisson mass p(m; λ) = e^{−stirlerr(m) − bd0(m, λ)}
 * / √(2πm). GSL's exp(log terms) loses digits for large ν (terms near ν log ν cancel: at
 * ν = 2e9 the density is off by 4e-6 relative); this form keeps full precision. */
static double chisq_pdf(double v, double df)
{
    double m = 0.5 * df - 1, lam = 0.5 * v;
    if (!(v > 0) || m < 1)
        return gsl_ran_chisq_pdf(v, df);
    return 0.5 * exp(-stirlerr(m) - bd0(m, lam)) / sqrt(2 * M_PI * m);
}

static double nt_integrand(double v, void *vp)
{
    const nt_params_t *p = vp;
    double z = p->t * sqrt(v / p->df) - p->ncp;
    return gsl_cdf_ugaussian_P(p->upper ? -z : z) * chisq_pdf(v, p->df);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define NT_LIMIT 1024 /* subintervals of each adaptive integral */

static double nt_by_integral(double t, double df, double ncp, int upper)
{
    nt_params_t par = {t, df, ncp, upper};
    gsl_function fn = {nt_integrand, &par};
    /* the chi-square's mass lies within 40 standard deviations below and 60 above its
     * mean (GSL's inverse is unreliable for very large ν: it returns less than ν for 2e7) */
    double sd = sqrt(2 * df), lo = fmax(0, df - 40 * sd);
    double hi = fmax(gsl_cdf_chisq_Qinv(1e-30, df), df + 60 * sd);
    /* GSL's workspace, with its arrays on the stack: allocated, it would make this
     * function fail for want of memory with no way to say so but a NaN that a caller
     * (the power bisection) would take for a number. The struct is GSL's public one. */
    double alist[NT_LIMIT], blist[NT_LIMIT], rlist[NT_LIMIT], elist[NT_LIMIT];
    size_t order[NT_LIMIT], level[NT_LIMIT];
    gsl_integration_workspace ws = {.limit = NT_LIMIT, .alist = alist, .blist = blist,
                                    .rlist = rlist, .elist = elist, .order = order, .level = level};
    gsl_integration_workspace *w = &ws;
    /* pieces: every half standard deviation around the bulk, and around v* = ν(δ/t)²,
     * where Φ's step from 0 to 1 lies */
    double pts[120];
    size_t np = 0;
    pts[np++] = lo;
    pts[np++] = hi;
    if (lo > 0)
        pts[np++] = 0;
    for (int k = -40; k <= 40; k++) {
        double v = df + 0.5 * k * sd;
        if (v > lo && v < hi)
            pts[np++] = v;
    }
    if (t > 0 && ncp > 0) {
        double vs = df * (ncp / t) * (ncp / t), width = 2 * vs / ncp; /* dv per unit of z */
        for (int k = -8; k <= 8; k++) {
            double v = vs + k * width;
            if (v > lo && v < hi)
                pts[np++] = v;
        }
    }
    qsort(pts, np, sizeof *pts, cmp_double);
    double sum = 0;
    for (size_t i = 0; i + 1 < np; i++) {
        if (!(pts[i + 1] > pts[i]))
            continue;
        double r = 0, abserr;
        /* a piece far in a tail may report a roundoff limit: its value is still right */
        gsl_integration_qags(&fn, pts[i], pts[i + 1], 0, 1e-13, NT_LIMIT, w, &r, &abserr);
        if (isfinite(r))
            sum += r;
    }
    return sum;
}

/* λ = δ²/2 above which the series is not used */
#define NT_SERIES_MAX_LAMBDA 1e4

double dcx_dist_nt_cdf(double x, double df, double ncp, int lower)
{
    if (isnan(x) || !(df > 0) || !isfinite(ncp))
        return NAN;
    if (ncp == 0)
        return dcx_dist_t_cdf(x, df, lower);
    if (isinf(x))
        return (x > 0) == (lower != 0) ? 1.0 : 0.0;
    /* F(t; ν, δ) = 1 − F(−t; ν, −δ): reduce to t ≥ 0 */
    int want_upper = !lower;
    if (x < 0) {
        x = -x;
        ncp = -ncp;
        want_upper = !want_upper;
    }
    double v;
    if (0.5 * ncp * ncp > NT_SERIES_MAX_LAMBDA)
        v = nt_by_integral(x, df, ncp, want_upper);
    else if (!want_upper)
        v = nt_series(x, df, ncp, 0);
    else if (ncp > 0)
        v = nt_series(x, df, ncp, 1);
    else
        v = nt_by_integral(x, df, ncp, 1);
    return v < 0 ? 0.0 : (v > 1 ? 1.0 : v);
}

/* ---- binomial and hypergeometric ------------------------------------------------- */

/* stirlerr(n) = ln n! − ln(√(2πn) (n/e)^n), Loader (2000). */
static double stirlerr(double n)
{
    if (n <= 15.0) {
        if (n == 0)
            return 0.0; /* limit used by the masses below never needs n = 0 */
        return gsl_sf_lngamma(n + 1.0) - (n + 0.5) * log(n) + n - 0.5 * log(2 * M_PI);
    }
    double nn = n * n;
    const double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680,
                 s4 = 1.0 / 1188;
    if (n > 500)
        return (s0 - s1 / nn) / n;
    if (n > 80)
        return (s0 - (s1 - s2 / nn) / nn) / n;
    if (n > 35)
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/* bd0(x, m) = x ln(x/m) + m − x, computed without cancellation near x = m. */
static double bd0(double x, double m)
{
    if (fabs(x - m) < 0.1 * (x + m)) {
        double v = (x - m) / (x + m), s = (x - m) * v, ej = 2 * x * v;
        v *= v;
        for (int j = 1; j < 1000; j++) {
            ej *= v;
            double s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
        return s;
    }
    return x * log(x / m) + m - x;
}

/* P(X = x) for X ~ Binomial(n, p), q = 1 − p, x an integer in [0, n]. */
static double binom_raw(double x, double n, double p, double q)
{
    if (p == 0)
        return x == 0 ? 1.0 : 0.0;
    if (q == 0)
        return x == n ? 1.0 : 0.0;
    if (x == 0) {
        if (n == 0)
            return 1.0;
        double lc = p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q);
        return exp(lc);
    }
    if (x == n) {
        double lc = q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p);
        return exp(lc);
    }
    double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    double lf = log(2 * M_PI) + log(x) + log1p(-x / n);
    return exp(lc - 0.5 * lf);
}

static int is_count(double v) { return v >= 0 && isfinite(v) && v == floor(v); }

double dcx_dist_binom_pmf(double k, double n, double p)
{
    if (!is_count(n) || bad_prob(p) || isnan(k))
        return NAN;
    if (k < 0 || k > n || k != floor(k))
        return 0.0;
    return binom_raw(k, n, p, 1 - p);
}

/* Σ of P(X = i) over the tail beyond k, away from the mean, by term ratios from
 * P(X = start): downwards for i ≤ k (k below the mean), upwards for i > k. */
static double binom_tail_sum(double k, double n, double p, int down)
{
    double q = 1 - p, i = down ? k : k + 1, term = binom_raw(i, n, p, q), sum = 0;
    while (term > 0 && i >= 0 && i <= n) {
        sum += term;
        if (term < 1e-17 * sum)
            break;
        if (down) {
            term *= i / (n - i + 1) * (q / p);
            i--;
        } else {
            term *= (n - i) / (i + 1) * (p / q);
            i++;
        }
    }
    return sum;
}

double dcx_dist_binom_cdf(double k, double n, double p, int lower)
{
    if (!is_count(n) || bad_prob(p) || isnan(k))
        return NAN;
    k = floor(k + 1e-7);
    if (k < 0)
        return lower ? 0.0 : 1.0;
    if (k >= n)
        return lower ? 1.0 : 0.0;
    if (p == 0)
        return lower ? 1.0 : 0.0;
    if (p == 1)
        return lower ? 0.0 : 1.0;
    if (n > 1e6) {
        /* GSL's incomplete beta loses digits for parameters in the billions; sum the
         * accurate masses over the tail away from the mean instead. */
        int below = k < n * p;
        double t = binom_tail_sum(k, n, p, below);
        if (t > 1)
            t = 1;
        return (below == (lower != 0)) ? t : 1 - t;
    }
    /* P(X ≤ k) = I_{1−p}(n − k, k + 1) */
    return lower ? gsl_sf_beta_inc(n - k, k + 1, 1 - p) : gsl_sf_beta_inc(k + 1, n - k, p);
}

double dcx_dist_binom_quantile(double q, double n, double p, int lower)
{
    if (!is_count(n) || bad_prob(p) || bad_prob(q))
        return NAN;
    double pl = lower ? q : 1 - q; /* target for the lower tail */
    if (pl + 1.01 * DBL_EPSILON >= 1)
        return n;
    if (pl == 0 || p == 0)
        return 0.0;
    if (p == 1)
        return n;
    double mu = n * p, sigma = sqrt(n * p * (1 - p)), gamma = (1 - 2 * p) / sigma;
    double z = gsl_cdf_ugaussian_Pinv(pl);
    double y = floor(mu + sigma * (z + gamma * (z * z - 1) / 6) + 0.5);
    if (y < 0)
        y = 0;
    if (y > n)
        y = n;
    pl *= 1 - 64 * DBL_EPSILON;
    if (dcx_dist_binom_cdf(y, n, p, 1) >= pl) {
        while (y > 0 && dcx_dist_binom_cdf(y - 1, n, p, 1) >= pl)
            y--;
    } else {
        while (y < n && dcx_dist_binom_cdf(y, n, p, 1) < pl)
            y++;
    }
    return y;
}

/* Hypergeometric mass via three binomial masses (Loader): with p = draws/(m + n),
 * P(X = x) = b(x; m, p) b(draws − x; n, p) / b(draws; m + n, p). */
static double hyper_raw(double x, double m, double n, double draws)
{
    double N = m + n;
    if (draws == 0 || draws == N || m == 0 || n == 0)
        return 1.0; /* the support is a single point and x lies on it */
    double p = draws / N, q = (N - draws) / N;
    double p1 = binom_raw(x, m, p, q), p2 = binom_raw(draws - x, n, p, q),
           p3 = binom_raw(draws, N, p, q);
    return p1 * p2 / p3;
}

static int hyper_args_ok(double m, double n, double draws)
{
    return is_count(m) && is_count(n) && is_count(draws) && draws <= m + n;
}

double dcx_dist_hyper_pmf(double x, double m, double n, double draws)
{
    if (!hyper_args_ok(m, n, draws) || isnan(x))
        return NAN;
    double lo = fmax(0, draws - n), hi = fmin(draws, m);
    if (x != floor(x) || x < lo || x > hi)
        return 0.0;
    return hyper_raw(x, m, n, draws);
}

/* Σ_{i ≤ x} P(X = i) / P(X = x), by the term ratio, going down (x below the mean). */
static double hyper_sum_down(double x, double m, double n, double draws)
{
    double sum = 0, term = 1;
    while (x > 0 && term >= DBL_EPSILON * sum) {
        term *= x * (n - draws + x) / (draws + 1 - x) / (m + 1 - x);
        sum += term;
        x--;
    }
    return 1 + sum;
}

double dcx_dist_hyper_cdf(double x, double m, double n, double draws, int lower)
{
    if (!hyper_args_ok(m, n, draws) || isnan(x))
        return NAN;
    x = floor(x + 1e-7);
    double lo = fmax(0, draws - n), hi = fmin(draws, m);
    if (x < lo)
        return lower ? 0.0 : 1.0;
    if (x >= hi)
        return lower ? 1.0 : 0.0;
    /* Sum the short side: for x above the mean use the mirrored variable
     * (white ↔ black), whose lower tail up to draws − x − 1 is our upper tail. */
    if (x * (m + n) > draws * m) {
        double xm = draws - x - 1;
        double up = hyper_raw(xm, n, m, draws) * hyper_sum_down(xm, n, m, draws);
        if (up > 1)
            up = 1;
        return lower ? 1 - up : up;
    }
    double lw = hyper_raw(x, m, n, draws) * hyper_sum_down(x, m, n, draws);
    if (lw > 1)
        lw = 1;
    return lower ? lw : 1 - lw;
}

double dcx_dist_hyper_quantile(double q, double m, double n, double draws, int lower)
{
    if (!hyper_args_ok(m, n, draws) || bad_prob(q))
        return NAN;
    double lo = fmax(0, draws - n), hi = fmin(draws, m);
    double pl = lower ? q : 1 - q;
    pl *= 1 - 1000 * DBL_EPSILON;
    double sum = 0;
    for (double x = lo; x < hi; x++) {
        sum += hyper_raw(x, m, n, draws);
        if (sum >= pl)
            return x;
    }
    return hi;
}
