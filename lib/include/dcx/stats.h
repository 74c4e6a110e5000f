/* stats.h — the statistics core of libdcx: distributions, tests, intervals,
 * multiple-testing corrections and power.
 *
 * Distribution functions follow GSL's convention: they return NaN when a parameter
 * is outside its domain (callers test with isnan()). `lower` selects the lower tail
 * P(X ≤ x) when non-zero and the upper tail P(X > x) otherwise; computing the upper
 * tail directly keeps tiny p-values accurate. Quantile functions take the tail the
 * same way. Tests return a dcx_status_t and fill a result; DCX_EDOM means the
 * statistic is undefined for the inputs (the error says why). */
#ifndef DCX_STATS_H
#define DCX_STATS_H

#include "dcx/api.h"

#include <stddef.h>

#include "dcx/error.h"
#include "dcx/moments.h"

/* ---- distributions ------------------------------------------------------------ */

/* Standard normal. */
DCX_API double dcx_dist_norm_cdf(double x, int lower);
DCX_API double dcx_dist_norm_quantile(double p, int lower);

/* Student t with df > 0 degrees of freedom (df need not be an integer). */
DCX_API double dcx_dist_t_cdf(double x, double df, int lower);
DCX_API double dcx_dist_t_quantile(double p, double df, int lower);

/* Noncentral t with df > 0 and noncentrality ncp (Guenther's Poisson-mixture series,
 * summed outwards from the Poisson mode so large ncp does not underflow). */
DCX_API double dcx_dist_nt_cdf(double x, double df, double ncp, int lower);

/* Chi-square with df > 0. */
DCX_API double dcx_dist_chisq_cdf(double x, double df, int lower);
DCX_API double dcx_dist_chisq_quantile(double p, double df, int lower);

/* Beta(a, b), a, b > 0. */
DCX_API double dcx_dist_beta_cdf(double x, double a, double b, int lower);
DCX_API double dcx_dist_beta_quantile(double p, double a, double b, int lower);
DCX_API double dcx_dist_beta_pdf(double x, double a, double b);

/* Binomial(n, p): cdf at k = P(X ≤ k) (lower) or P(X > k); quantile = the smallest k
 * with P(X ≤ k) ≥ p (lower tail; upper tail: smallest k with P(X > k) ≤ p), as R. */
DCX_API double dcx_dist_binom_pmf(double k, double n, double p);
DCX_API double dcx_dist_binom_cdf(double k, double n, double p, int lower);
DCX_API double dcx_dist_binom_quantile(double q, double n, double p, int lower);

/* Hypergeometric: k white balls drawn in `draws` from an urn of m white and n black
 * (R's dhyper(x, m, n, k) argument order: x, m, n, draws). */
DCX_API double dcx_dist_hyper_pmf(double x, double m, double n, double draws);
DCX_API double dcx_dist_hyper_cdf(double x, double m, double n, double draws, int lower);
DCX_API double dcx_dist_hyper_quantile(double q, double m, double n, double draws, int lower);

/* ---- tests ---------------------------------------------------------------------- */

/* One arm of a comparison, as sufficient statistics: size, mean and unbiased variance. */
typedef struct {
    double n;
    double mean;
    double var;
} dcx_arm_t;

/* The outcome of a two-sample comparison of treatment (t) against control (c). */
typedef struct {
    double estimate;   /* treatment − control */
    double se;         /* standard error behind the interval */
    double ci_lo;      /* interval at confidence 1 − alpha */
    double ci_hi;
    double statistic;  /* z, t or W */
    double df;         /* degrees of freedom; NaN for normal-theory tests */
    double p_value;    /* two-sided */
} dcx_test_result_t;

/* dcx_test_prop() : two-proportion z test of x_t/n_t against x_c/n_c. p-value from the
 * pooled statistic, CI from the unpooled Wald standard error: R
 * prop.test(c(x_t, x_c), c(n_t, n_c), correct = FALSE).
 * @return DCX_OK; DCX_EINVAL for counts outside 0 ≤ x ≤ n or alpha outside (0,1);
 * DCX_EDOM when an arm is empty or both arms are all 0 or all 1 (the statistic is
 * 0/0; the estimate and CI are still filled, p_value and statistic are NaN). */
DCX_API dcx_status_t dcx_test_prop(double x_t, double n_t, double x_c, double n_c, double alpha,
                           dcx_test_result_t *r, dcx_error_t *err);

/* dcx_test_welch() : Welch two-sample t test with Welch–Satterthwaite df and a t
 * interval: R t.test(y_t, y_c). @return DCX_OK; DCX_EDOM when an arm has n < 2 or both
 * variances are 0. */
DCX_API dcx_status_t dcx_test_welch(const dcx_arm_t *t, const dcx_arm_t *c, double alpha,
                            dcx_test_result_t *r, dcx_error_t *err);

/* dcx_test_z() : a normal-theory test of an estimate with standard error se
 * (statistic = estimate/se, CI = estimate ± z·se). @return DCX_EDOM when se is 0. */
DCX_API dcx_status_t dcx_test_z(double estimate, double se, double alpha, dcx_test_result_t *r,
                        dcx_error_t *err);

/* dcx_lift_delta() : relative lift (m_t − m_c)/m_c with its delta-method standard
 * error, Var = v_t/(n_t m_c²) + m_t² v_c/(n_c m_c⁴), and normal interval.
 * r->statistic and r->p_value are those of lift/se. @return DCX_EDOM when m_c = 0. */
DCX_API dcx_status_t dcx_lift_delta(const dcx_arm_t *t, const dcx_arm_t *c, double alpha,
                            dcx_test_result_t *r, dcx_error_t *err);

/* dcx_ratio_delta() : ratio of means r = mean_num/mean_den over n units and the
 * delta-method variance of r: (v_num − 2 r cov + r² v_den) / (n mean_den²), with
 * unbiased (n − 1) unit-level variances and covariance.
 * @return DCX_EDOM when mean_den = 0 or n < 2. */
DCX_API dcx_status_t dcx_ratio_delta(double n, double mean_num, double mean_den, double var_num,
                             double var_den, double cov, double *ratio, double *var_ratio,
                             dcx_error_t *err);

/* dcx_test_chisq_gof() : chi-square goodness of fit of k counts against probabilities
 * p (NULL = equal; p is rescaled to sum 1): R chisq.test(counts, p = p).
 * Writes chi2, df = k − 1, upper-tail p_value. @return DCX_EINVAL for k < 2, negative
 * counts or probabilities, DCX_EDOM when the total is 0 or an expected count is 0
 * while its observed count is not. */
DCX_API dcx_status_t dcx_test_chisq_gof(const double *counts, const double *p, size_t k,
                                double *chi2, double *df, double *p_value, dcx_error_t *err);

/* dcx_test_fisher() : two-sided Fisher exact test of the 2×2 table [[a, b], [c, d]]:
 * the sum of the probabilities of all tables with the same margins no more likely
 * than the observed one (relative tolerance 1e-7), as R fisher.test. Also writes the
 * sample odds ratio a·d/(b·c) when odds_ratio is non-NULL (may be Inf or NaN).
 * @return DCX_EINVAL for negative or non-integer counts. */
DCX_API dcx_status_t dcx_test_fisher(double a, double b, double c, double d, double *p_value,
                             double *odds_ratio, dcx_error_t *err);

/* dcx_test_mann_whitney() : Mann–Whitney U (Wilcoxon rank-sum) test of x (treatment)
 * against y (control), normal approximation with tie and continuity correction:
 * R wilcox.test(x, y, exact = FALSE, correct = TRUE). statistic = W, the rank sum of
 * x minus nx(nx+1)/2; estimate and CI are NaN (not computed). NaN values are errors.
 * Allocates O(nx + ny) scratch. @return DCX_EDOM when an arm is empty or all values
 * tie; DCX_ENOMEM. */
DCX_API dcx_status_t dcx_test_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
                                   dcx_test_result_t *r, dcx_error_t *err);

/* dcx_cochran_q() : Cochran's Q heterogeneity of k estimates with standard errors
 * se (weights 1/se²): Q = Σ w (e − ē)², df = k − 1, chi-square upper-tail p.
 * @return DCX_EDOM when k < 2 or a se is not positive. */
DCX_API dcx_status_t dcx_cochran_q(const double *est, const double *se, size_t k, double *q,
                           double *df, double *p_value, dcx_error_t *err);

/* ---- sample-ratio mismatch --------------------------------------------------------- */

/* The SRM check of k observed counts against expected shares. */
typedef struct {
    double chi2, df, p_value;
    int mismatch;
} dcx_srm_result_t;

/* dcx_srm_check() : chi-square goodness of fit of counts against weights (NULL = equal),
 * mismatch = p < threshold; expected (may be NULL) receives the expected counts.
 * Weights must sum to 1 within ±0.01; counts must be whole, and add up to at most 2^53.
 * @return DCX_OK, DCX_EINVAL, DCX_EDOM (counts too large, no units). */
DCX_API dcx_status_t dcx_srm_check(const double *counts, const double *weights, size_t k,
                           double threshold, double *expected, dcx_srm_result_t *r,
                           dcx_error_t *err);

/* ---- Bayesian ------------------------------------------------------------------- */

/* Posterior comparison of treatment against control. */
typedef struct {
    double prob_beat_control; /* P(treatment > control) */
    double expected_loss;     /* E[max(control − treatment, 0)] */
    double ci_lo, ci_hi;      /* equal-tailed credible interval of treatment − control */
    double mean;              /* posterior mean of treatment − control */
} dcx_bayes_result_t;

/* dcx_bayes_beta() : conversion rates with Beta(1, 1) priors: posteriors
 * Beta(1 + x, 1 + n − x). P(p_t > p_c) and E[max(p_c − p_t, 0)] by adaptive
 * integration of one posterior against the other's distribution function (to about
 * 1e-9), the credible interval of p_t − p_c by root-finding on its distribution.
 * @return DCX_EINVAL for counts outside 0 ≤ x ≤ n, DCX_ECONV. */
DCX_API dcx_status_t dcx_bayes_beta(double x_t, double n_t, double x_c, double n_c, double alpha,
                            dcx_bayes_result_t *r, dcx_error_t *err);

/* dcx_bayes_normal() : a normal posterior N(diff, se²) of treatment − control:
 * P = Φ(diff/se), loss = se·φ(diff/se) − diff·Φ(−diff/se), interval diff ± z·se.
 * @return DCX_EDOM when se is not positive. */
DCX_API dcx_status_t dcx_bayes_normal(double diff, double se, double alpha, dcx_bayes_result_t *r,
                              dcx_error_t *err);

/* ---- sequential -------------------------------------------------------------------- */

/* dcx_msprt_tau2_default() : the default mixture variance τ² = ρ²·n·V with
 * ρ² = (−2 ln α + ln(−2 ln α + 1)) / N* (GrowthBook's sequential tuning; N* = 5000 by
 * default), where V is the variance of the difference and n the units in both arms. */
DCX_API double dcx_msprt_tau2_default(double alpha, double n, double v, double n_star);

/* dcx_msprt() : always-valid inference by the normal-mixture mSPRT for a difference
 * `diff` with variance v and mixture variance tau2:
 * Λ = √(v/(v+τ²))·exp(τ²·diff²/(2v(v+τ²))), p = min(1, 1/Λ), and the confidence
 * sequence diff ± √(v(v+τ²)/τ² · (−2 ln α + ln((v+τ²)/v))).
 * @return DCX_EDOM when v or tau2 is not positive. */
DCX_API dcx_status_t dcx_msprt(double diff, double v, double tau2, double alpha, double *p_value,
                       double *ci_lo, double *ci_hi, dcx_error_t *err);

/* dcx_msprt_one_sided() : the one-sided mSPRT confidence sequence in direction dir (+1: the
 * treatment is greater, a lower bound; −1: lesser, an upper bound), as gbstats'
 * SequentialOneSidedTreatmentGreaterTTest / ...LesserTTest: half-width
 * h = √(2V(V+τ²)/τ² · ln(1 + √((V+τ²)/V)/(2α))), bound diff − h (or diff + h), and the p-value
 * the level at which the bound reaches 0 (τ² fixed): c/(2(exp(d²τ²/(2V(V+τ²))) − 1)) with
 * c = √((V+τ²)/V) and d = dir·diff > 0, else 1; at most 1. For the default mixture use
 * dcx_msprt_tau2_default(2α, ...) (gbstats' one-sided tuning).
 * @return DCX_EDOM when v is not positive, DCX_EINVAL for tau2 or alpha. */
DCX_API dcx_status_t dcx_msprt_one_sided(double diff, double v, double tau2, double alpha, int dir,
                                         double *p_value, double *bound, dcx_error_t *err);

/* dcx_msprt_half_one_sided() : the half-width h above; NaN for invalid arguments. */
DCX_API double dcx_msprt_half_one_sided(double v, double tau2, double alpha);

/* ---- group-sequential designs ------------------------------------------------------- */

/* Lan–DeMets spending functions: O'Brien–Fleming type α(t) = 2 − 2Φ(z_{1−α/2}/√t) and
 * Pocock type α(t) = α ln(1 + (e − 1)t) (Lan and DeMets 1983). */
typedef enum { DCX_SPEND_OBF, DCX_SPEND_POCOCK } dcx_spending_t;

/* dcx_gs_spent() : the one-sided alpha spent by information fraction t (0 at 0, alpha from 1
 * on). NaN for alpha outside (0, 1) or t < 0. */
DCX_API double dcx_gs_spent(dcx_spending_t s, double alpha, double t);

/* dcx_gs_boundaries() : the one-sided efficacy boundaries b[0..k) on the z scale of a design
 * that spends alpha by s at the increasing information fractions t[0..k) (the last need not
 * be 1): P(Z_1 < b_1, …, Z_{j−1} < b_{j−1}, Z_j ≥ b_j) = α(t_j) − α(t_{j−1}) under H0, with
 * corr(Z_i, Z_j) = √(t_i/t_j), by recursive numerical integration (Simpson's rule on a grid of
 * step ≤ 0.05 on the z scale; Jennison and Turnbull 2000, §19.2). A look without new
 * information or without alpha left to spend has b = +Inf. For K = 5 equal looks at
 * α = 0.025 the O'Brien–Fleming type gives 4.877, 3.357, 2.680, 2.290, 2.031.
 * @return DCX_OK, DCX_EINVAL (alpha, fractions not increasing in (0, 1]), DCX_ENOMEM. */
DCX_API dcx_status_t dcx_gs_boundaries(dcx_spending_t s, double alpha, const double *t, size_t k,
                                       double *b, dcx_error_t *err);

/* dcx_gs_repeated_p() : the one-sided repeated p-values of the path z[0..k) at fractions t:
 * p[j] = the smallest alpha at which the design's boundary is crossed at some look ≤ j
 * (Jennison and Turnbull 2000, §9.1), so p[j] ≤ alpha exactly when the path has crossed the
 * level-alpha boundaries by look j. A NaN z is a look that does not count. p is
 * non-increasing. @return DCX_OK, DCX_EINVAL, DCX_ENOMEM. */
DCX_API dcx_status_t dcx_gs_repeated_p(dcx_spending_t s, const double *t, const double *z,
                                       size_t k, double *p, dcx_error_t *err);

/* ---- bandits ---------------------------------------------------------------------------- */

/* dcx_thompson() : for k arms with independent normal posteriors N(mu[i], sd[i]²), the chance
 * that arm i is the largest, P(X_i = max) = ∫ φ_i(x) Π_{j≠i} Φ_j(x) dx, into p_best, and
 * (p_second non-NULL) the chance that it is the second largest, by adaptive Gauss–Kronrod
 * integration (relative 1e-10) — what Thompson sampling estimates by drawing (gbstats
 * bandits.py). For "smallest is best", pass −mu. @return DCX_OK, DCX_EINVAL (k < 2), DCX_EDOM
 * (an arm without a finite mean or a positive sd), DCX_ECONV, DCX_ENOMEM. */
DCX_API dcx_status_t dcx_thompson(const double *mu, const double *sd, size_t k, double *p_best,
                                  double *p_second, dcx_error_t *err);

/* dcx_thompson_weights() : the next period's traffic weights: P(best) (or, top_two, the mean of
 * P(best) and P(second best), gbstats' top-two weights), each raised to at least min_weight
 * and then all divided by their sum; p_best receives P(best).
 * @return as dcx_thompson(), DCX_EINVAL for min_weight outside [0, 1/k). */
DCX_API dcx_status_t dcx_thompson_weights(const double *mu, const double *sd, size_t k, int top_two,
                                          double min_weight, double *p_best, double *weight,
                                          dcx_error_t *err);

/* ---- multiple testing ----------------------------------------------------------- */

typedef enum {
    DCX_ADJUST_NONE = 0,
    DCX_ADJUST_BONFERRONI,
    DCX_ADJUST_HOLM,
    DCX_ADJUST_HOCHBERG,
    DCX_ADJUST_BH,
    DCX_ADJUST_BY
} dcx_adjust_t;

/* dcx_adjust_parse() : "none", "bonferroni", "holm", "hochberg", "bh" (or "fdr"), "by".
 * @return DCX_OK or DCX_EINVAL. */
DCX_API dcx_status_t dcx_adjust_parse(const char *name, dcx_adjust_t *method, dcx_error_t *err);
DCX_API const char *dcx_adjust_name(dcx_adjust_t method);

/* dcx_p_adjust() : adjusted p-values of n p-values, equal to R p.adjust(p, method).
 * NaN entries are skipped and left NaN, the family size is the number of the others
 * (R's n = length(p[!is.na(p)])). out may equal p. Allocates O(n) scratch.
 * @return DCX_EINVAL for a p outside [0, 1], DCX_ENOMEM. */
DCX_API dcx_status_t dcx_p_adjust(const double *p, size_t n, dcx_adjust_t method, double *out,
                          dcx_error_t *err);

/* ---- power and sample size ------------------------------------------------------- */

typedef enum { DCX_POWER_BINARY, DCX_POWER_MEAN } dcx_power_kind_t;

/* What to solve for: given two of {n, mde, power} find the third. */
typedef enum { DCX_SOLVE_N, DCX_SOLVE_MDE, DCX_SOLVE_POWER } dcx_power_solve_t;

typedef struct {
    dcx_power_kind_t kind;
    dcx_power_solve_t solve;
    double baseline;     /* binary: control rate p1 */
    double mean, sd;     /* mean: control mean (for relative MDE) and common sd */
    double mde;          /* absolute difference; ignored when solving for it */
    int relative;        /* mde given (and reported) relative to baseline/mean */
    double alpha;        /* family-wise, two-sided */
    double power;        /* target power when solving for n or mde */
    int variants;        /* K ≥ 2: alpha is split over the K − 1 comparisons */
    double ratio;        /* treatment size / control size */
    double n;            /* control units per variant when solving for mde or power */
    int sequential;      /* the always-valid mSPRT (two-sided) instead of the fixed-horizon test */
    double tuning;       /* sequential: the mixture's tuning N* (default 5000) */
} dcx_power_spec_t;

typedef struct {
    double n_control;        /* exact (fractional) solution when solving for n */
    double n_per_variant;    /* ceil(n_control) (or the given n) */
    double n_treatment;      /* ceil(ratio · n_per_variant) per treatment arm */
    double n_total;          /* n_per_variant + (K − 1) n_treatment */
    double mde;              /* absolute */
    double mde_relative;     /* mde / baseline (or mean); NaN when that is 0 */
    double power;            /* the target power, or the computed one when solving for it */
    double power_achieved;   /* power at the rounded n and the reported mde */
    double alpha;            /* family-wise alpha as given */
    double alpha_comparison; /* alpha / (K − 1) */
} dcx_power_result_t;

/* dcx_power_spec_init() : defaults alpha 0.05, power 0.8, 2 variants, ratio 1, fixed horizon
 * (sequential 0, tuning 5000). */
DCX_API void dcx_power_spec_init(dcx_power_spec_t *s);

/* dcx_power_solve() : solves the power equation of R power.prop.test (binary, two-sided,
 * strict = FALSE, generalised to unequal arms with pooled p̄ = (p1 + r·p2)/(1 + r)) or
 * R power.t.test (mean, two-sample, noncentral t with df = n1 + n2 − 2) for the missing
 * quantity. With equal arms both reproduce R exactly. n is rounded up;
 * power_achieved is the power of the rounded n.
 * @return DCX_EINVAL for parameters out of range (rates outside (0,1), sd ≤ 0, ...);
 * DCX_EDOM when the target cannot be reached (e.g. no MDE below 1 − p1 gives that power);
 * DCX_ECONV. */
DCX_API dcx_status_t dcx_power_solve(const dcx_power_spec_t *s, dcx_power_result_t *r, dcx_error_t *err);

/* dcx_power_at() : power of the design s for control size n1 and absolute MDE d
 * (treatment size ratio·n1; per-comparison alpha). NaN for invalid parameters. With
 * s->sequential, the power of the two-sided mSPRT confidence sequence at that size, as gbstats'
 * mid-experiment power: with V the variance of the difference (binary: p1(1−p1)/n1 +
 * p2(1−p2)/n2; mean: sd²(1/n1 + 1/n2)), N = n1 + n2, x = N·ρ², ρ² = (−2 ln a + ln(−2 ln a + 1))/N*,
 * the half-width h = √V·√((1 + 1/x)(ln(1 + x) − 2 ln a)) and power
 * 1 − Φ((h − |d|)/√V) + Φ(−(h + |d|)/√V). */
DCX_API double dcx_power_at(const dcx_power_spec_t *s, double n1, double d);

/* ---- post-stratification --------------------------------------------------------- */

/* One stratum of a comparison: the moments of the control arm (c) and the treatment arm
 * (t); x is the outcome and, with DCX_PS_CUPED, y its pre-exposure covariate; with
 * DCX_PS_RATIO x is the numerator and y the denominator. */
typedef struct {
    dcx_moments_t c, t;
} dcx_stratum_t;

/* Flags of dcx_poststrat(). */
#define DCX_PS_PROPORTION 1u /* the outcome is 0/1: per-unit variance p(1 − p), not n − 1 */
#define DCX_PS_CUPED 2u      /* regression-adjust each stratum on its covariate y */
#define DCX_PS_RATIO 4u      /* a ratio of means x̄/ȳ per arm (alone: no CUPED, no proportion) */

typedef struct {
    double control, effect;       /* Σ ν_k m0_k and Σ ν_k m1_k: control mean, treatment − control
                                     (a ratio: the control's ratio and the difference of ratios) */
    double v_control, cov, v_effect; /* their variances and covariance */
    size_t strata;                /* strata estimated (after folding) */
    size_t merged;                /* strata folded into the largest: an arm without variance */
    int adjusted;                 /* some stratum was regression-adjusted */
} dcx_poststrat_t;

/* dcx_poststrat() : the post-stratified effect of k strata (gbstats' post-stratification;
 * Miratrix, Sekhon and Yu 2013). A stratum with units whose arms do not both have a
 * variance (an arm empty, one unit, or all values equal) is folded into the largest
 * stratum (the first of the largest); empty strata are skipped. Within stratum k the
 * control mean m0_k and effect m1_k are the arms' means (V(m0) = s_c²/n_c,
 * V(m1) = s_c²/n_c + s_t²/n_t, cov = −s_c²/n_c) or, with DCX_PS_CUPED, the regression
 * y = γ0 + γ1·T + θ(x − x̄_k) + e (σ² = RSS/(n_k − 3); m0 = γ0 with x̄_k's variance added,
 * m1 = γ1) where the covariate varies in both of the stratum's arms (and in both arms over
 * all strata: else no stratum is adjusted). With DCX_PS_RATIO, α_k = (numerator mean
 * of control, its effect, denominator mean of control, its effect) with their covariance
 * from each arm's (n − 1) covariance of numerator and denominator over its n. With
 * ν_k = n_k/N, the estimate is ᾱ = Σ ν_k α_k and its covariance
 * Σ ν_k² V_k + (1/N) Σ ν_k (α_k − ᾱ)(α_k − ᾱ)ᵀ, the second term the variance of the
 * estimated weights; a ratio's r_c = M0/D0 and r_t = (M0 + M1)/(D0 + D1) then take the delta
 * method. Viability for a ratio: each arm's delta-method variance is positive. s is
 * scratch: reordered and folded in place. out->strata == 1 means one stratum was left (the
 * caller may prefer its unstratified estimate). @return DCX_OK, DCX_EINVAL (k = 0; a ratio with another
 * flag), DCX_EDOM (an arm of the largest stratum has no variance; the stratified variance
 * is not positive; a ratio's stratified denominator is 0). */
DCX_API dcx_status_t dcx_poststrat(dcx_stratum_t *s, size_t k, unsigned flags, dcx_poststrat_t *out,
                                   dcx_error_t *err);

/* ---- bookkeeping ------------------------------------------------------------------ */

/* dcx_stats_init() : turns GSL's abort-on-error handler off. Called by every libdcx
 * entry point that uses GSL; safe to call more than once. */
DCX_API void dcx_stats_init(void);

#endif
