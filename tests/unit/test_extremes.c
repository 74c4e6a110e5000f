/* test_extremes.c — inputs at the edges: empty arms, all-0/all-1 outcomes, zero
 * variance, counts near 2^53, bad parameters. Each gives the right answer or a clear
 * error, never a silent NaN. Expected values are exact by hand unless noted. */
#include <math.h>
#include <string.h>

#include "dcx/dcx.h"
#include "strmap.h"
#include "tap.h"

static void test_prop(void)
{
    dcx_test_result_t r;
    dcx_error_t err;
    dcx_error_clear(&err);
    ok(dcx_test_prop(0, 0, 5, 10, 0.05, &r, &err) == DCX_EDOM, "prop: empty arm is EDOM");
    ok(strstr(err.message, "no units") != NULL, "prop: message says why ('%s')", err.message);
    ok(dcx_test_prop(11, 10, 5, 10, 0.05, &r, &err) == DCX_EINVAL, "prop: x > n is EINVAL");
    ok(dcx_test_prop(-1, 10, 5, 10, 0.05, &r, &err) == DCX_EINVAL, "prop: x < 0 is EINVAL");
    ok(dcx_test_prop(1, 10, 5, 10, 1.5, &r, &err) == DCX_EINVAL, "prop: alpha > 1 is EINVAL");
    /* both all 0: R prop.test gives X-squared NaN, CI [0, 0] */
    ok(dcx_test_prop(0, 50, 0, 60, 0.05, &r, &err) == DCX_EDOM, "prop: all zeros is EDOM");
    is_rel(r.estimate, 0, 0, "prop: all zeros still has diff 0");
    is_rel(r.ci_lo, 0, 0, "prop: all zeros CI lo 0");
    is_rel(r.ci_hi, 0, 0, "prop: all zeros CI hi 0");
    ok(isnan(r.p_value), "prop: all zeros p-value is undefined (NaN, reported as null)");
    ok(dcx_test_prop(50, 50, 60, 60, 0.05, &r, &err) == DCX_EDOM, "prop: all ones is EDOM");
}

static void test_welch(void)
{
    dcx_test_result_t r;
    dcx_error_t err;
    dcx_arm_t a = {10, 5, 0}, b = {12, 5, 0}, one = {1, 3, NAN};
    ok(dcx_test_welch(&a, &b, 0.05, &r, &err) == DCX_EDOM, "welch: both constant is EDOM");
    ok(strstr(err.message, "constant") != NULL, "welch: message says data are constant");
    ok(dcx_test_welch(&one, &b, 0.05, &r, &err) == DCX_EDOM, "welch: n = 1 is EDOM");
    dcx_arm_t bad = {10, NAN, 1};
    ok(dcx_test_welch(&bad, &b, 0.05, &r, &err) == DCX_EINVAL, "welch: NaN mean is EINVAL");
}

static void test_other_tests(void)
{
    dcx_test_result_t r;
    dcx_error_t err;
    double chi2, df, p, counts0[] = {0, 0}, neg[] = {-1, 5}, one[] = {5};
    ok(dcx_test_chisq_gof(counts0, NULL, 2, &chi2, &df, &p, &err) == DCX_EDOM,
       "chisq: zero total is EDOM");
    ok(dcx_test_chisq_gof(neg, NULL, 2, &chi2, &df, &p, &err) == DCX_EINVAL,
       "chisq: negative count is EINVAL");
    ok(dcx_test_chisq_gof(one, NULL, 1, &chi2, &df, &p, &err) == DCX_EINVAL,
       "chisq: one category is EINVAL");
    /* equal counts: chi2 exactly 0 and p exactly 1 */
    double eq[] = {4503599627370496.0, 4503599627370496.0};
    ok(dcx_test_chisq_gof(eq, NULL, 2, &chi2, &df, &p, &err) == DCX_OK, "chisq: 2^52 each");
    is_rel(chi2, 0, 0, "chisq: equal counts near 2^53 give chi2 = 0");
    is_rel(p, 1, 0, "chisq: and p = 1");
    double x[] = {1, 2}, y[] = {3};
    ok(dcx_test_mann_whitney(x, 0, y, 1, &r, &err) == DCX_EDOM, "mann-whitney: empty arm");
    double same[] = {2, 2}, same2[] = {2, 2, 2};
    ok(dcx_test_mann_whitney(same, 2, same2, 3, &r, &err) == DCX_EDOM,
       "mann-whitney: all tied is EDOM");
    double nanv[] = {NAN};
    ok(dcx_test_mann_whitney(nanv, 1, y, 1, &r, &err) == DCX_EINVAL, "mann-whitney: NaN");
    ok(dcx_test_fisher(1.5, 2, 3, 4, &p, NULL, &err) == DCX_EINVAL, "fisher: non-integer");
    ok(dcx_test_fisher(0, 0, 0, 0, &p, NULL, &err) == DCX_OK && p == 1, "fisher: empty table p=1");
    ok(dcx_test_z(1, 0, 0.05, &r, &err) == DCX_EDOM, "z test: zero SE is EDOM");
    dcx_arm_t t = {10, 1, 1}, c0 = {10, 0, 1};
    ok(dcx_lift_delta(&t, &c0, 0.05, &r, &err) == DCX_EDOM, "lift: control mean 0 is EDOM");
    double ratio, var;
    ok(dcx_ratio_delta(10, 1, 0, 1, 1, 0, &ratio, &var, &err) == DCX_EDOM,
       "ratio: zero denominator is EDOM");
    double est[] = {1, 2}, se[] = {0.1, 0};
    ok(dcx_cochran_q(est, se, 2, &chi2, &df, &p, &err) == DCX_EDOM, "cochran: zero SE is EDOM");
}

static void test_dist_domain(void)
{
    ok(isnan(dcx_dist_norm_cdf(NAN, 1)), "pnorm(NaN) is NaN");
    ok(isnan(dcx_dist_norm_quantile(1.5, 1)), "qnorm(1.5) is NaN");
    ok(dcx_dist_norm_quantile(0, 1) == -INFINITY, "qnorm(0) is -Inf");
    ok(isnan(dcx_dist_t_cdf(1, 0, 1)), "pt with df 0 is NaN");
    ok(isnan(dcx_dist_binom_cdf(1, 10.5, 0.5, 1)), "pbinom with size 10.5 is NaN");
    ok(isnan(dcx_dist_beta_cdf(0.5, -1, 1, 1)), "pbeta with a < 0 is NaN");
    ok(isnan(dcx_dist_hyper_cdf(1, 5, 5, 11, 1)), "phyper drawing more than the urn is NaN");
    is_rel(dcx_dist_binom_pmf(0, 0, 0.3), 1, 0, "dbinom(0, 0, p) = 1");
    is_rel(dcx_dist_binom_cdf(3, 10, 0, 1), 1, 0, "pbinom with p = 0 is 1");
    is_rel(dcx_dist_binom_cdf(3, 10, 1, 1), 0, 0, "pbinom(3, 10, 1) = 0");
    is_rel(dcx_dist_chisq_cdf(0, 3, 0), 1, 0, "pchisq(0, upper) = 1");
    is_rel(dcx_dist_nt_cdf(INFINITY, 5, 1, 1), 1, 0, "pt(Inf, ncp) = 1");
    is_rel(dcx_dist_beta_quantile(0.5, 1, 1, 1), 0.5, 1e-15, "qbeta(0.5, 1, 1) = 0.5");
}

static void test_adjust(void)
{
    dcx_error_t err;
    double p[] = {0.5, 1.2}, out[2];
    ok(dcx_p_adjust(p, 2, DCX_ADJUST_HOLM, out, &err) == DCX_EINVAL, "p_adjust: p > 1 rejected");
    double q[] = {0.04, 0.01};
    ok(dcx_p_adjust(q, 2, DCX_ADJUST_NONE, out, &err) == DCX_OK && out[0] == 0.04
           && out[1] == 0.01,
       "p_adjust none returns the input");
    ok(dcx_p_adjust(q, 0, DCX_ADJUST_BH, out, &err) == DCX_OK, "p_adjust of nothing is fine");
    dcx_adjust_t m;
    ok(dcx_adjust_parse("sidak", &m, &err) == DCX_EINVAL, "unknown correction rejected");
    ok(dcx_adjust_parse("fdr", &m, &err) == DCX_OK && m == DCX_ADJUST_BH, "fdr means BH");
}

static void test_power_errors(void)
{
    dcx_power_spec_t s;
    dcx_power_result_t r;
    dcx_error_t err;
    dcx_power_spec_init(&s);
    s.baseline = 0, s.mde = 0.01;
    ok(dcx_power_solve(&s, &r, &err) == DCX_EINVAL, "power: baseline 0 is EINVAL");
    s.baseline = 0.95, s.mde = 0.1;
    ok(dcx_power_solve(&s, &r, &err) == DCX_EINVAL, "power: p2 > 1 is EINVAL");
    s.baseline = 0.5, s.mde = NAN, s.n = 10, s.power = 0.99, s.solve = DCX_SOLVE_MDE;
    ok(dcx_power_solve(&s, &r, &err) == DCX_EDOM, "power: unreachable MDE is EDOM (%s)",
       err.message);
    dcx_power_spec_init(&s);
    s.kind = DCX_POWER_MEAN, s.sd = 0, s.mde = 1;
    ok(dcx_power_solve(&s, &r, &err) == DCX_EINVAL, "power: sd 0 is EINVAL");
    /* K variants split alpha: 3 variants at 0.05 equal 2 variants at 0.025 */
    dcx_power_result_t r2;
    dcx_power_spec_init(&s);
    s.baseline = 0.1, s.mde = 0.02, s.variants = 3;
    ok(dcx_power_solve(&s, &r, &err) == DCX_OK, "power: 3 variants");
    s.variants = 2, s.alpha = 0.025;
    ok(dcx_power_solve(&s, &r2, &err) == DCX_OK, "power: 2 variants at alpha/2");
    is_int(r.n_per_variant, r2.n_per_variant, "Bonferroni split matches alpha/(K-1)");
    is_int(r.n_total, 3 * r.n_per_variant, "n_total counts all three arms");
}

static void test_moments(void)
{
    dcx_moments_t a, b, whole;
    dcx_moments_init(&a);
    dcx_moments_init(&b);
    dcx_moments_init(&whole);
    ok(isnan(dcx_moments_mean_x(&a)) && isnan(dcx_moments_var_x(&a)), "empty moments are NaN");
    /* x = 1..10, y = x² : mean 5.5, var 55/6, cov(x, x²) = 302.5/3 ... checked by hand */
    for (int i = 1; i <= 10; i++) {
        dcx_moments_add2(i <= 4 ? &a : &b, i, (double)i * i);
        dcx_moments_add2(&whole, i, (double)i * i);
    }
    dcx_moments_merge(&a, &b);
    is_rel(dcx_moments_mean_x(&a), 5.5, 1e-15, "merged mean of 1..10");
    is_rel(dcx_moments_var_x(&a), 55.0 / 6, 1e-14, "merged variance of 1..10");
    /* cov(x, x^2) for 1..10 = (Σx³ − n·x̄·ȳ)/(n − 1) = (3025 − 10·5.5·38.5)/9 */
    is_rel(dcx_moments_cov_xy(&a), (3025 - 10 * 5.5 * 38.5) / 9, 1e-14, "merged covariance");
    is_rel(dcx_moments_var_y(&a), dcx_moments_var_y(&whole), 1e-14, "merge = one pass");
    double sx, sxx, sy, syy, sxy;
    dcx_moments_sums(&a, &sx, &sxx, &sy, &syy, &sxy);
    is_rel(sx, 55, 1e-15, "sum x");
    is_rel(sxx, 385, 1e-15, "sum x^2");
    is_rel(sxy, 3025, 1e-15, "sum x^3 via xy");
    dcx_moments_t c;
    dcx_error_t err;
    ok(dcx_moments_from_sums(&c, 10, sx, sxx, sy, syy, sxy, &err) == DCX_OK, "from sums");
    is_rel(dcx_moments_var_x(&c), 55.0 / 6, 1e-14, "variance from sums");
    ok(dcx_moments_from_sums(&c, -1, 0, 0, 0, 0, 0, &err) == DCX_EINVAL, "negative n rejected");
    /* values near 1e9 with unit spread: exact mean 1e9 + 0.5, var of {0,1} pattern */
    dcx_moments_init(&c);
    for (int i = 0; i < 100000; i++)
        dcx_moments_add(&c, 1e9 + (i % 2));
    is_rel(dcx_moments_mean_x(&c), 1e9 + 0.5, 1e-16, "1e9 + {0,1}: mean exact");
    is_rel(dcx_moments_var_x(&c), 0.25 * 100000 / 99999, 1e-12, "1e9 + {0,1}: variance");
    /* zero variance stays exactly zero */
    dcx_moments_init(&c);
    for (int i = 0; i < 1000; i++)
        dcx_moments_add(&c, 0.1);
    is_rel(dcx_moments_var_x(&c), 0, 0, "constant 0.1: variance exactly 0");
}

/* The label map behind variants and segment levels: keys of every length up to 24 that
 * differ in a single byte (first, middle or last) must never be confused, whether found
 * by the inline bucket cache, the small-map scan or, past 12 keys, the hash table. */
static void test_strmap(void)
{
    int bad_put = 0, bad_get = 0, bad_miss = 0;
    for (size_t len = 1; len <= 24; len++) {
        dcx_strmap_t m = {0};
        char keys[20][32];
        size_t nk = len < 20 ? len : 20; /* one key per position changed, up to 20 */
        for (size_t k = 0; k < nk; k++) {
            memset(keys[k], 'a', len);
            keys[k][len] = '\0';
            keys[k][k] = (char)('B' + k);
            if (dcx_strmap_put(&m, keys[k], len) != (long)k)
                bad_put++;
        }
        for (int pass = 0; pass < 2; pass++) /* the second pass meets warm cache hints */
            for (size_t k = 0; k < nk; k++) {
                if (dcx_strmap_get(&m, keys[k], len) != (long)k)
                    bad_get++;
                long c = dcx_strmap_cached(&m, keys[k], len);
                if (c != -1 && c != (long)k)
                    bad_get++;
            }
        char other[32];
        memset(other, 'a', len); /* same length and ends as several keys, yet absent */
        other[len] = '\0';
        other[len / 2] = 'z';
        if (dcx_strmap_get(&m, other, len) != -1 || dcx_strmap_cached(&m, other, len) != -1)
            bad_miss++;
        dcx_strmap_free(&m);
    }
    ok(bad_put == 0, "strmap: keys of length 1..24 differing in one byte get distinct indices");
    ok(bad_get == 0, "strmap: each key is found again, cold and through cache hints");
    ok(bad_miss == 0, "strmap: an absent key in an occupied bucket is not found");
}

/* dcx_poststrat: strata whose arms cannot give a variance are folded into the largest, one
 * stratum is the plain comparison, and the weights' variance adds the spread of the strata's
 * effects (by hand: Var = Σ ν² V_k + (1/N) Σ ν (α_k − α)²). */
static void arm(dcx_moments_t *m, const double *v, size_t n)
{
    dcx_moments_init(m);
    for (size_t i = 0; i < n; i++)
        dcx_moments_add(m, v[i]);
}

static void test_poststrat(void)
{
    static const double c1[] = {1, 2, 3}, t1[] = {2, 4, 6}, t5[] = {5}, same[] = {1, 1, 1},
                        pc[] = {0, 1, 0, 1}, pt[] = {1, 1, 1, 0};
    dcx_stratum_t s[3];
    dcx_poststrat_t r;
    dcx_error_t err;
    dcx_error_clear(&err);
    ok(dcx_poststrat(s, 0, 0, &r, &err) == DCX_EINVAL, "poststrat: no strata is EINVAL");
    arm(&s[0].c, c1, 3), arm(&s[0].t, t1, 3);
    ok(dcx_poststrat(s, 1, 0, &r, &err) == DCX_OK && r.strata == 1, "poststrat: one stratum");
    is_rel(r.effect, 2, 1e-15, "poststrat: one stratum, the plain difference");
    is_rel(r.v_effect, 5.0 / 3, 1e-15, "poststrat: one stratum, v_c/n_c + v_t/n_t");
    is_rel(r.cov, -1.0 / 3, 1e-15, "poststrat: Cov(control, effect) = -v_c/n_c");
    arm(&s[0].c, c1, 3), arm(&s[0].t, t1, 3);
    dcx_moments_init(&s[1].c), arm(&s[1].t, t5, 1); /* treatment only: folded */
    ok(dcx_poststrat(s, 2, 0, &r, &err) == DCX_OK && r.strata == 1 && r.merged == 1,
       "poststrat: a stratum with one arm is folded into the largest");
    is_rel(r.effect, 2.25, 1e-15, "poststrat: folded, the merged stratum's difference");
    is_rel(r.v_effect, 1.0 / 3 + 8.75 / 3 / 4, 1e-14, "poststrat: folded, the merged variances");
    arm(&s[0].c, c1, 3), arm(&s[0].t, t1, 3);
    arm(&s[1].c, c1, 3), arm(&s[1].t, c1, 3); /* effect 0 */
    ok(dcx_poststrat(s, 2, 0, &r, &err) == DCX_OK && r.strata == 2, "poststrat: two strata");
    is_rel(r.effect, 1, 1e-15, "poststrat: two strata of equal size, the mean of their effects");
    is_rel(r.v_effect, 2.0 / 3, 1e-14, "poststrat: 1/4 (5/3 + 2/3) + 1/12 ((2-1)^2 + (0-1)^2)/2");
    arm(&s[0].c, same, 3), arm(&s[0].t, t1, 3);
    ok(dcx_poststrat(s, 1, 0, &r, &err) == DCX_EDOM && strstr(err.message, "no variance"),
       "poststrat: the largest stratum with a constant arm is EDOM (%s)", err.message);
    arm(&s[0].c, pc, 4), arm(&s[0].t, pt, 4);
    ok(dcx_poststrat(s, 1, DCX_PS_PROPORTION, &r, &err) == DCX_OK, "poststrat: proportions");
    is_rel(r.v_effect, 0.25 / 4 + 0.1875 / 4, 1e-15, "poststrat: proportions take p(1 - p)");
}

int main(void)
{
    test_prop();
    test_welch();
    test_other_tests();
    test_dist_domain();
    test_adjust();
    test_power_errors();
    test_moments();
    test_strmap();
    test_poststrat();
    return done_testing();
}
