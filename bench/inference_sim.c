/* inference_sim.c — simulations of the inference added in issue 26, A/A and with a planted
 * effect, each rate with its exact (Clopper–Pearson) 95% binomial interval:
 *
 *   group-sequential   (1) 200,000 Brownian paths of K = 5 equal looks (and of unequal looks)
 *                      against dcx_gs_boundaries(): the share that ever crosses, which must be
 *                      one-sided α = 0.025 under H0 — peeking at every look; (2) experiments
 *                      through dcx_analyze() (binary metric, 5 daily looks, 400 units per arm
 *                      a day, --method group-sequential --looks 5): the share significant, A/A
 *                      (two-sided α = 0.05) and with a planted lift, beside the fixed-horizon
 *                      test of the last look and the naive test at every look; (3) the same
 *                      with --one-sided (α = 0.05 on the good side) and --difference relative.
 *
 *   relative, one-sided sequential   --difference relative and --method sequential --one-sided
 *                      over 10 daily looks (the always-valid p-value is the running minimum,
 *                      so the overall row has peeked at every look): A/A and a planted lift.
 *
 *   prior              --method bayesian --prior conv=MEAN,SD (a proper normal prior on the
 *                      lift) against no prior: the A/A ship and significance rates (at most
 *                      α/2 and α), the planted lift's detection, and the posterior mean's error:
 *                      a prior centred on the truth must shrink it.
 *
 *   bandit             dcx bandit on dcx analyze's result: under A/A with two arms the weight
 *                      is Φ(Z), uniform on (0, 1), so its tails hold 5% each and its mean is
 *                      1/2; with three arms over five periods allocated by the weights the
 *                      mean weights stay 1/3; with a planted best arm its weight grows.
 *
 *   post-stratification  experiments of 1,000 units per arm in four strata whose means differ
 *                      (a mean, a binary and a ratio metric), A/A and with a planted effect: the
 *                      share significant without it, with --post-stratify and with
 *                      --post-stratify and --cuped (the ratio without a covariate), at
 *                      two-sided α = 0.05.
 *
 *   ratio CUPED        pages per session (a ratio) with the user's pre-period pages and sessions
 *                      as the covariate pair (--cuped ppv=pre_pv/pre_s), 1,000 users per arm
 *                      whose browsing habit carries over: the share significant A/A (two-sided
 *                      α = 0.05) and with a planted +5% depth, beside the unadjusted ratio.
 *
 * Each A/A rate prints pass or FAIL against its nominal value (95% intervals: about one check
 * in twenty fails by chance); the last line counts the checks and failures.
 *
 *   inference_sim [EXPERIMENTS [DIR [PARTS]]]   (default 400 experiments per case; PARTS a
 *                      comma-separated choice of gs, relative, gs-more, prior, bandit, poststrat,
 *                      ratio-cuped) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"

#include "sim_rng.h"

/* the checks of the whole run: how many, how many failed (printed last, for bench/run.sh) */
static int checks, failed;

/* "2.51% [2.44%, 2.58%]  pass" with the exact (Clopper–Pearson) 95% interval of x in n, and the
 * verdict against alpha: check 1, alpha inside the interval; check 2, alpha not below it (an
 * always-valid or shrunk test may be conservative, never liberal); check 0, none (a power). */
static const char *rate(double x, double n, double alpha, int check)
{
    static char buf[4][96];
    static int k;
    char *b = buf[k++ % 4];
    double lo = x > 0 ? dcx_dist_beta_quantile(0.025, x, n - x + 1, 1) : 0;
    double hi = x < n ? dcx_dist_beta_quantile(0.975, x + 1, n - x, 1) : 1;
    int fail = (check == 1 && (alpha < lo || alpha > hi)) || (check == 2 && alpha < lo);
    checks += check != 0, failed += fail;
    snprintf(b, 96, "%6.2f%% [%5.2f%%, %5.2f%%]%s", 100 * x / n, 100 * lo, 100 * hi,
             check == 0 ? "" : fail ? (check == 1 ? "  FAIL (alpha outside)" : "  FAIL (above alpha)")
                                    : "  pass");
    return b;
}

/* (1) Brownian paths: S_k = S_{k-1} + N(0, t_k − t_{k−1}), Z_k = S_k/√t_k; crossing any b_k. */
static void paths(const char *label, dcx_spending_t sp, const double *t, size_t k, long npaths)
{
    double b[16];
    dcx_error_t err;
    if (dcx_gs_boundaries(sp, 0.025, t, k, b, &err)) {
        printf("  %s: %s\n", label, err.message);
        return;
    }
    long cross = 0, naive = 0;
    for (long i = 0; i < npaths; i++) {
        double s = 0, tp = 0;
        int c = 0, nv = 0;
        for (size_t j = 0; j < k; j++) {
            s += sqrt(t[j] - tp) * normal();
            tp = t[j];
            double z = s / sqrt(t[j]);
            c |= z >= b[j];
            nv |= z >= 1.959963984540054;
        }
        cross += c, naive += nv;
    }
    printf("  %-44s crossed %s   (naive z at every look: %s)\n", label, /* the design spends exactly alpha */
           rate((double)cross, (double)npaths, 0.025, 1), rate((double)naive, (double)npaths, 0.025, 0));
}

/* (2) experiments through the library */
static int write_units(const char *path, int days, int per_day, double pc, double pt)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("variant,day,conv\n", f);
    for (int d = 1; d <= days; d++)
        for (int i = 0; i < per_day; i++) {
            fprintf(f, "control,%d,%d\n", d, unif() < pc);
            fprintf(f, "treatment,%d,%d\n", d, unif() < pt);
        }
    return fclose(f);
}

static void set(void *o, const char *name, const char *value)
{
    dcx_error_t err;
    if (dcx_opts_set(dcx_opts_find(dcx_analyze_options, name), o, value, &err)) {
        fprintf(stderr, "inference_sim: --%s %s: %s\n", name, value, err.message);
        exit(1);
    }
}

static int significant(const dcx_analyze_opts_t *o, int *sig)
{
    cJSON *doc;
    dcx_error_t err;
    if (dcx_analyze(o, &doc, &err)) {
        fprintf(stderr, "inference_sim: %s\n", err.message);
        return -1;
    }
    const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "results"), 0);
    *sig = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant"));
    cJSON_Delete(doc);
    return 0;
}

static int experiments(int n, const char *path, double pt, const char *label)
{
    dcx_analyze_opts_t gs, fx, per;
    dcx_error_t err;
    dcx_analyze_opts_t *all[3] = {&gs, &fx, &per};
    for (int i = 0; i < 3; i++) {
        memset(all[i], 0, sizeof *all[i]);
        dcx_opts_init(dcx_analyze_options, all[i], &err);
        set(all[i], "input", path);
        set(all[i], "metric", "conv:binary");
    }
    set(&gs, "method", "group-sequential");
    set(&gs, "looks", "5");
    set(&gs, "time-column", "day");
    set(&per, "time-column", "day");
    long s_gs = 0, s_fx = 0, s_naive = 0;
    for (int e = 0; e < n; e++) {
        if (write_units(path, 5, 400, 0.10, pt))
            return 1;
        int a, b;
        if (significant(&gs, &a) || significant(&fx, &b))
            return 1;
        s_gs += a, s_fx += b;
        /* the naive analyst: a fixed-horizon test at every look, stopping at the first p < 0.05 */
        cJSON *doc;
        if (dcx_analyze(&per, &doc, &err))
            return 1;
        const cJSON *tl;
        int any = 0;
        cJSON_ArrayForEach(tl, cJSON_GetObjectItemCaseSensitive(doc, "timeline"))
        {
            const cJSON *p = cJSON_GetObjectItemCaseSensitive(tl, "p_value");
            any |= cJSON_IsNumber(p) && p->valuedouble < 0.05;
        }
        s_naive += any;
        cJSON_Delete(doc);
    }
    int aa = pt == 0.10;
    printf("  %-28s group-sequential %s   fixed (last look) %s   naive peeking %s\n", label,
           rate((double)s_gs, n, 0.05, aa), rate((double)s_fx, n, 0.05, aa),
           rate((double)s_naive, n, 0.05, 0));
    for (int i = 0; i < 3; i++)
        dcx_opts_free(dcx_analyze_options, all[i]);
    return 0;
}

/* A/A and planted-effect rates of other methods on one unit-level file of 10 daily looks of
 * 200 units per arm: the share of experiments whose overall row is significant. */
typedef struct {
    const char *label, *opts[8];
    double alpha; /* the nominal rate under A/A */
    int check;    /* 1: the rate should be alpha; 2: at most alpha (always valid) */
} method_t;

/* Runs n experiments of `looks` daily periods of `units` units per arm (conversion 10%,
 * the treatment's pt) through each of the nm methods and prints how often each called the
 * difference significant, with its check against alpha under A/A (pt = 0.10). */
static int sim_methods(const method_t *ms, size_t nm, int n, const char *path, int looks,
                       int units, double pt, const char *what)
{
    enum { MAXM = 4 };
    dcx_analyze_opts_t o[MAXM];
    dcx_error_t err;
    long sig[MAXM] = {0};
    if (nm > MAXM)
        return 1;
    for (size_t m = 0; m < nm; m++) {
        memset(&o[m], 0, sizeof o[m]);
        dcx_opts_init(dcx_analyze_options, &o[m], &err);
        set(&o[m], "input", path);
        set(&o[m], "metric", "conv:binary");
        for (int k = 0; k < 8 && ms[m].opts[k]; k += 2)
            set(&o[m], ms[m].opts[k], ms[m].opts[k + 1]);
    }
    for (int e = 0; e < n; e++) {
        if (write_units(path, looks, units, 0.10, pt))
            return 1;
        for (size_t m = 0; m < nm; m++) {
            int s;
            if (significant(&o[m], &s))
                return 1;
            sig[m] += s;
        }
    }
    for (size_t m = 0; m < nm; m++) {
        printf("  %-56s %-18s %s\n", ms[m].label, what,
               rate((double)sig[m], n, ms[m].alpha, pt == 0.10 ? ms[m].check : 0));
        dcx_opts_free(dcx_analyze_options, &o[m]);
    }
    return 0;
}

static int methods(int n, const char *path, double pt, const char *what)
{
    static const method_t ms[] = {
        {"frequentist --difference relative", {"difference", "relative", NULL}, 0.05, 1},
        {"sequential --one-sided, 10 looks", {"method", "sequential", "one-sided", "1", "time-column", "day", NULL}, 0.05, 2},
        {"sequential --one-sided --difference relative, 10 looks",
         {"method", "sequential", "one-sided", "1", "difference", "relative", "time-column", "day"}, 0.05, 2},
    };
    return sim_methods(ms, sizeof ms / sizeof *ms, n, path, 10, 200, pt, what);
}

/* ---- group-sequential one-sided and relative, A/A and planted (5 daily looks) ------------ */

static int gs_more(int n, const char *path, double pt, const char *what)
{
    static const method_t ms[] = {
        {"group-sequential --one-sided, 5 looks",
         {"method", "group-sequential", "looks", "5", "one-sided", "1", "time-column", "day"}, 0.05, 1},
        {"group-sequential --difference relative, 5 looks",
         {"method", "group-sequential", "looks", "5", "difference", "relative", "time-column", "day"}, 0.05, 1},
    };
    return sim_methods(ms, sizeof ms / sizeof *ms, n, path, 5, 400, pt, what);
}

/* ---- --prior METRIC=MEAN,SD: a proper normal prior on the lift (--method bayesian) --------- */

/* One conversion goal, 10% in control, 4,000 units per arm (the lift's SE is about 0.067), a
 * prior of SD 0.1 on the relative effect. Per configuration: the share that ships (the credible
 * interval above 0: at most alpha/2 = 2.5% under A/A), the share significant either way
 * (alpha = 5% without a prior, at most that with a prior centred on 0), the root mean squared error of the
 * posterior mean of the lift (the credible interval's midpoint) and the interval's coverage of
 * the true lift. A prior centred on the truth must have the smaller error. */
static int prior_sim(int n, const char *path, double lift)
{
    enum { NC = 3 };
    char at0[64], attruth[64];
    snprintf(at0, sizeof at0, "conv=0,0.1");
    snprintf(attruth, sizeof attruth, "conv=%g,0.1", lift);
    const char *label[NC] = {"no prior (--difference relative)", "prior N(0, 0.1^2)", "prior at the truth"};
    const char *prior[NC] = {NULL, at0, attruth};
    int nc = lift == 0 ? 2 : 3; /* under A/A the truth is 0 */
    dcx_analyze_opts_t o[NC];
    dcx_error_t err;
    long ship[NC] = {0}, sig[NC] = {0}, cover[NC] = {0};
    double sse[NC] = {0};
    for (int c = 0; c < nc; c++) {
        memset(&o[c], 0, sizeof o[c]);
        dcx_opts_init(dcx_analyze_options, &o[c], &err);
        set(&o[c], "input", path);
        set(&o[c], "metric", "conv:binary");
        set(&o[c], "goal", "conv");
        set(&o[c], "method", "bayesian");
        if (prior[c])
            set(&o[c], "prior", prior[c]);
        else
            set(&o[c], "difference", "relative");
    }
    for (int e = 0; e < n; e++) {
        if (write_units(path, 1, 4000, 0.10, 0.10 * (1 + lift)))
            return 1;
        for (int c = 0; c < nc; c++) {
            cJSON *doc;
            if (dcx_analyze(&o[c], &doc, &err)) {
                fprintf(stderr, "inference_sim: %s\n", err.message);
                return 1;
            }
            const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "results"), 0),
                        *ci = cJSON_GetObjectItemCaseSensitive(r, "credible_interval"),
                        *d = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "decisions"), 0),
                        *dv = cJSON_GetObjectItemCaseSensitive(d, "decision");
            double lo = cJSON_GetNumberValue(cJSON_GetArrayItem(ci, 0)),
                   hi = cJSON_GetNumberValue(cJSON_GetArrayItem(ci, 1));
            if (!isfinite(lo) || !isfinite(hi)) {
                fprintf(stderr, "inference_sim: no credible interval\n");
                return 1;
            }
            ship[c] += cJSON_IsString(dv) && !strcmp(dv->valuestring, "ship");
            sig[c] += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant"));
            cover[c] += lo <= lift && lift <= hi;
            sse[c] += ((lo + hi) / 2 - lift) * ((lo + hi) / 2 - lift);
            cJSON_Delete(doc);
        }
    }
    int aa = lift == 0;
    for (int c = 0; c < nc; c++) {
        /* shipping is at most alpha/2, not equal to it: the delta method's variance of the lift
         * is smaller when the treatment's rate is lower, so an A/A lift is called significant
         * downwards more often than upwards (3.3% against 1.7% here, by 400,000 normal draws) */
        printf("  %-18s %-33s ship %s   significant %s   RMSE of the lift %.4f   interval covers "
               "the truth %5.1f%%\n",
               aa ? "A/A" : "planted lift", label[c], rate((double)ship[c], n, 0.025, aa ? 2 : 0),
               rate((double)sig[c], n, 0.05, aa ? (prior[c] ? 2 : 1) : 0), sqrt(sse[c] / n),
               100.0 * cover[c] / n);
        dcx_opts_free(dcx_analyze_options, &o[c]);
    }
    /* a prior centred on the truth (under A/A the prior at 0) shrinks the error */
    double ratio = sse[nc - 1] / sse[0];
    checks++, failed += !(ratio < 1);
    printf("  %-18s prior centred on the truth: mean squared error %.2f of the flat posterior's  %s\n",
           aa ? "A/A" : "planted lift", ratio, ratio < 1 ? "pass" : "FAIL (not smaller)");
    return 0;
}

/* ---- dcx bandit: Thompson-sampling weights, A/A and with a planted best arm -------------- */

static const char *const arm[3] = {"control", "b", "c"};

/* count[i] more units of arm i (conversion p[i]) into path (a new file unless append) */
static int write_arms(const char *path, int append, int k, const long *count, const double *p)
{
    FILE *f = fopen(path, append ? "a" : "w");
    if (!f)
        return -1;
    if (!append)
        fputs("variant,day,conv\n", f);
    for (int i = 0; i < k; i++)
        for (long u = 0; u < count[i]; u++)
            fprintf(f, "%s,1,%d\n", arm[i], unif() < p[i]);
    return fclose(f);
}

/* the weights dcx bandit gives after dcx analyze of the units so far, by arm */
static int bandit_weights(dcx_analyze_opts_t *ao, dcx_bandit_opts_t *bo, const char *result, int k,
                          double *w)
{
    cJSON *doc, *cfg;
    dcx_error_t err;
    if (dcx_analyze(ao, &doc, &err)) {
        fprintf(stderr, "inference_sim: %s\n", err.message);
        return -1;
    }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    FILE *f = text ? fopen(result, "w") : NULL;
    int bad = !f || fputs(text, f) < 0;
    bad |= f && fclose(f);
    cJSON_free(text);
    if (bad) {
        fprintf(stderr, "inference_sim: cannot write %s\n", result);
        return -1;
    }
    if (dcx_bandit(bo, &cfg, &err)) {
        fprintf(stderr, "inference_sim: bandit: %s\n", err.message);
        return -1;
    }
    const cJSON *v;
    for (int i = 0; i < k; i++)
        w[i] = NAN;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(cfg, "variants"))
    {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "name"));
        for (int i = 0; i < k; i++)
            if (name && !strcmp(name, arm[i]))
                w[i] = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v, "weight"));
    }
    cJSON_Delete(cfg);
    for (int i = 0; i < k; i++)
        if (!isfinite(w[i]))
            return -1;
    return 0;
}

/* "0.3312 [0.3190, 0.3434]": a mean weight with its normal 95% interval; check: target inside */
static const char *mean_ci(double sum, double sum2, int n, double target, int check)
{
    static char buf[4][80];
    static int k;
    char *b = buf[k++ % 4];
    double m = sum / n, se = sqrt(fmax(0, (sum2 - n * m * m) / (n - 1)) / n);
    int fail = check && (target < m - 1.96 * se || target > m + 1.96 * se);
    checks += check, failed += fail;
    snprintf(b, 80, "%.4f [%.4f, %.4f]%s", m, m - 1.96 * se, m + 1.96 * se,
             !check ? "" : fail ? "  FAIL (target outside)" : "  pass");
    return b;
}

/* K arms over PERIODS periods of per_period units each, allocated by the previous period's
 * weights (equal at first), the weights recomputed from all units so far; p the arms' rates. */
static int bandit_periods(int n, const char *dir, int k, int periods, long per_period, const double *p,
                          double wsum[][3], double wsum2[][3], long *best_largest)
{
    char units[4096], result[4096];
    snprintf(units, sizeof units, "%s/bandit_units.csv", dir);
    snprintf(result, sizeof result, "%s/bandit_result.json", dir);
    dcx_analyze_opts_t ao;
    dcx_bandit_opts_t bo;
    dcx_error_t err;
    memset(&ao, 0, sizeof ao);
    memset(&bo, 0, sizeof bo);
    dcx_opts_init(dcx_analyze_options, &ao, &err);
    dcx_opts_init(dcx_bandit_options, &bo, &err);
    set(&ao, "input", units);
    set(&ao, "metric", "conv:binary");
    if (dcx_opts_set(dcx_opts_find(dcx_bandit_options, "input"), &bo, result, &err)
        || dcx_opts_set(dcx_opts_find(dcx_bandit_options, "metric"), &bo, "conv", &err)
        || dcx_opts_set(dcx_opts_find(dcx_bandit_options, "key"), &bo, "sim", &err)) {
        fprintf(stderr, "inference_sim: bandit options: %s\n", err.message);
        return 1;
    }
    *best_largest = 0;
    for (int e = 0; e < n; e++) {
        double w[3] = {1.0 / k, 1.0 / k, 1.0 / k};
        for (int t = 0; t < periods; t++) {
            long count[3] = {0, 0, 0};
            for (long u = 0; u < per_period; u++) {
                double x = unif(), c = 0;
                int i = 0;
                while (i < k - 1 && x >= (c += w[i]))
                    i++;
                count[i]++;
            }
            if (write_arms(units, t > 0, k, count, p) || bandit_weights(&ao, &bo, result, k, w))
                return 1;
            for (int i = 0; i < k; i++)
                wsum[t][i] += w[i], wsum2[t][i] += w[i] * w[i];
        }
        int top = 0;
        for (int i = 1; i < k; i++)
            top = w[i] > w[top] ? i : top;
        *best_largest += top == k - 1;
    }
    dcx_opts_free(dcx_analyze_options, &ao);
    dcx_opts_free(dcx_bandit_options, &bo);
    remove(units);
    remove(result);
    return 0;
}

static int bandit_sim(int n, const char *dir)
{
    /* two arms, A/A, one period of 2,000 units per arm: P(best) = Φ(Z) with Z ~ N(0, 1), so the
     * treatment's weight is uniform on (0, 1): above 0.95 in 5% of experiments, below 0.05 in 5%,
     * between 0.25 and 0.75 in half, 0.5 on average. One analysis per experiment: five times as
     * many experiments as the cases over five periods, for intervals a fifth as wide. */
    int n2 = 5 * n;
    char units[4096], result[4096];
    snprintf(units, sizeof units, "%s/bandit_units.csv", dir);
    snprintf(result, sizeof result, "%s/bandit_result.json", dir);
    double w[3], sum = 0, sum2 = 0;
    long hi = 0, lo = 0, mid = 0;
    static const double p0[3] = {0.10, 0.10, 0.10}, pc[3] = {0.10, 0.10, 0.12};
    {
        dcx_analyze_opts_t ao;
        dcx_bandit_opts_t bo;
        dcx_error_t err;
        memset(&ao, 0, sizeof ao);
        memset(&bo, 0, sizeof bo);
        dcx_opts_init(dcx_analyze_options, &ao, &err);
        dcx_opts_init(dcx_bandit_options, &bo, &err);
        set(&ao, "input", units);
        set(&ao, "metric", "conv:binary");
        dcx_opts_set(dcx_opts_find(dcx_bandit_options, "input"), &bo, result, &err);
        dcx_opts_set(dcx_opts_find(dcx_bandit_options, "metric"), &bo, "conv", &err);
        dcx_opts_set(dcx_opts_find(dcx_bandit_options, "key"), &bo, "sim", &err);
        static const long both[2] = {2000, 2000};
        for (int e = 0; e < n2; e++) {
            if (write_arms(units, 0, 2, both, p0) || bandit_weights(&ao, &bo, result, 2, w))
                return 1;
            hi += w[1] >= 0.95, lo += w[1] <= 0.05, mid += w[1] >= 0.25 && w[1] <= 0.75;
            sum += w[1], sum2 += w[1] * w[1];
        }
        dcx_opts_free(dcx_analyze_options, &ao);
        dcx_opts_free(dcx_bandit_options, &bo);
    }
    printf("  2 arms, A/A, 2,000 units each, %d experiments: the treatment's weight is uniform on (0, 1) "
           "(P(best) = Phi(Z))\n", n2);
    printf("    weight >= 0.95 (a false winner)  %s\n", rate((double)hi, n2, 0.05, 1));
    printf("    weight <= 0.05                   %s\n", rate((double)lo, n2, 0.05, 1));
    printf("    weight in [0.25, 0.75]           %s\n", rate((double)mid, n2, 0.5, 1));
    printf("    mean weight                      %s\n", mean_ci(sum, sum2, n2, 0.5, 1));
    /* three arms over five periods of 3,000 units, allocated by the weights */
    static double ws[5][3], ws2[5][3], wp[5][3], wp2[5][3];
    long top0, top1;
    if (bandit_periods(n, dir, 3, 5, 3000, p0, ws, ws2, &top0)
        || bandit_periods(n, dir, 3, 5, 3000, pc, wp, wp2, &top1))
        return 1;
    printf("  3 arms, A/A, 5 periods of 3,000 units allocated by the weights: mean weight after the last period\n");
    for (int i = 0; i < 3; i++)
        printf("    %-8s %s\n", arm[i], mean_ci(ws[4][i], ws2[4][i], n, 1.0 / 3, 1));
    printf("  3 arms, c converting 12%% against 10%%, the same 5 periods: mean weight of c by period\n   ");
    for (int t = 0; t < 5; t++)
        printf(" %d: %s", t + 1, mean_ci(wp[t][2], wp2[t][2], n, 0, 0));
    int moved = wp[4][2] / n > wp[0][2] / n && wp[4][2] / n > 0.5;
    checks++, failed += !moved;
    printf("\n    c holds the largest weight at the end in %s; its weight grows and ends above 1/2: %s\n",
           rate((double)top1, n, 0, 0), moved ? "pass" : "FAIL");
    return 0;
}

/* Units in four strata (shares 4:3:2:1, means 10, 6, 3, 1): y = base + 0.5 (pre − base) +
 * N(0, 2²) + dy for treatment; conv ~ Bernoulli(0.05 + 0.02 base + dc for treatment); a
 * ratio rev/sess with sess uniform on 1..4 and rev = sess (base + dy) + N(0, 3²). */
static int write_strata(const char *path, int per_arm, double dy, double dc)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("variant,stratum,y,pre,conv,rev,sess\n", f);
    static const double base[4] = {10, 6, 3, 1};
    for (int arm = 0; arm < 2; arm++)
        for (int i = 0; i < per_arm; i++) {
            double u = unif() * 10;
            int k = u < 4 ? 0 : u < 7 ? 1 : u < 9 ? 2 : 3;
            double pre = base[k] + 2 * normal();
            double y = base[k] + 0.5 * (pre - base[k]) + 2 * normal() + (arm ? dy : 0);
            int conv = unif() < 0.05 + 0.02 * base[k] + (arm ? dc : 0), sess = 1 + (int)(unif() * 4);
            double rev = sess * (base[k] + (arm ? dy : 0)) + 3 * normal();
            fprintf(f, "%s,%c,%.4f,%.4f,%d,%.4f,%d\n", arm ? "treatment" : "control", "ABCD"[k], y,
                    pre, conv, rev, sess);
        }
    return fclose(f);
}

static int strata_sim(int n, const char *path, double dy, double dc, const char *what)
{
    static const char *const label[3] = {"plain", "--post-stratify", "--post-stratify --cuped"};
    dcx_analyze_opts_t o[3];
    dcx_error_t err;
    long sig[3][3] = {{0}};
    for (int m = 0; m < 3; m++) {
        memset(&o[m], 0, sizeof o[m]);
        dcx_opts_init(dcx_analyze_options, &o[m], &err);
        set(&o[m], "input", path);
        set(&o[m], "metric", "y:mean");
        set(&o[m], "metric", "conv:binary");
        set(&o[m], "metric", "r:ratio=rev/sess");
        if (m >= 1)
            set(&o[m], "post-stratify", "stratum");
        if (m == 2) {
            set(&o[m], "cuped", "y=pre");
            set(&o[m], "cuped", "conv=pre");
        }
    }
    for (int e = 0; e < n; e++) {
        if (write_strata(path, 1000, dy, dc))
            return 1;
        for (int m = 0; m < 3; m++) {
            cJSON *doc;
            if (dcx_analyze(&o[m], &doc, &err)) {
                fprintf(stderr, "inference_sim: %s\n", err.message);
                return 1;
            }
            for (int k = 0; k < 3; k++) {
                const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "results"), k);
                sig[m][k] += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant"));
            }
            cJSON_Delete(doc);
        }
    }
    int aa = dy == 0 && dc == 0;
    for (int m = 0; m < 3; m++) {
        printf("  %-24s %-22s mean %s   binary %s   ratio %s\n", label[m], what,
               rate((double)sig[m][0], n, 0.05, aa), rate((double)sig[m][1], n, 0.05, aa),
               rate((double)sig[m][2], n, 0.05, aa));
        dcx_opts_free(dcx_analyze_options, &o[m]);
    }
    return 0;
}

/* Ratio CUPED: per user a habit (sessions per week, pages per session) that both periods
 * share, each period's counts scattered around it; the treatment deepens sessions by `lift`. */
static int write_ratio_units(const char *path, int per_arm, double lift)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("variant,pv,s,pre_pv,pre_s\n", f);
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < per_arm; i++) {
            double act = exp(0.6 * normal()), depth = 4 * exp(0.4 * normal());
            double pre_s = 1 + floor(4 * act * exp(0.3 * normal()));
            double pre_pv = floor(pre_s * depth * exp(0.3 * normal()) + 0.5);
            double s = 1 + floor(2 * act * exp(0.3 * normal()));
            double pv = floor(s * depth * exp(0.3 * normal()) * (a ? 1 + lift : 1) + 0.5);
            fprintf(f, "%s,%.0f,%.0f,%.0f,%.0f\n", a ? "treatment" : "control", pv, s, pre_pv, pre_s);
        }
    return fclose(f);
}

static int ratio_cuped(int n, const char *path, double lift, const char *what)
{
    dcx_analyze_opts_t o[2];
    dcx_error_t err;
    long sig[2] = {0, 0};
    double vr = 0;
    for (int m = 0; m < 2; m++) {
        memset(&o[m], 0, sizeof o[m]);
        dcx_opts_init(dcx_analyze_options, &o[m], &err);
        set(&o[m], "input", path);
        set(&o[m], "metric", "ppv:ratio=pv/s");
    }
    set(&o[1], "cuped", "ppv=pre_pv/pre_s");
    for (int e = 0; e < n; e++) {
        if (write_ratio_units(path, 1000, lift))
            return 1;
        int s;
        if (significant(&o[0], &s))
            return 1;
        sig[0] += s;
        cJSON *doc;
        if (dcx_analyze(&o[1], &doc, &err)) {
            fprintf(stderr, "inference_sim: %s\n", err.message);
            return 1;
        }
        const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "results"), 0);
        sig[1] += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant"));
        vr += cJSON_GetObjectItemCaseSensitive(r, "variance_reduction")->valuedouble;
        cJSON_Delete(doc);
    }
    printf("  %-18s ratio CUPED %s   unadjusted ratio %s   mean variance reduction %.1f%%\n", what,
           rate((double)sig[1], n, 0.05, lift == 0), rate((double)sig[0], n, 0.05, lift == 0), 100 * vr / n);
    for (int m = 0; m < 2; m++)
        dcx_opts_free(dcx_analyze_options, &o[m]);
    return 0;
}

/* part is one of ONLY's comma-separated names (all parts without ONLY) */
static int want(const char *only, const char *part)
{
    size_t len = strlen(part);
    for (const char *q = only; q; q = strchr(q, ',') ? strchr(q, ',') + 1 : NULL)
        if (!strncmp(q, part, len) && (q[len] == ',' || q[len] == 0))
            return 1;
    return only == NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 400;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    const char *only = argc > 3 ? argv[3] : NULL;
    char path[4096];
    if (n < 2)
        return 2;
    snprintf(path, sizeof path, "%s/inference_sim.csv", dir);
    if (want(only, "gs")) {
        seed(26);
        printf("group-sequential boundaries, 200,000 null Brownian paths, one-sided alpha 2.5%%\n");
        static const double eq[5] = {0.2, 0.4, 0.6, 0.8, 1}, un[5] = {0.1, 0.35, 0.5, 0.9, 1};
        paths("O'Brien-Fleming, 5 equal looks", DCX_SPEND_OBF, eq, 5, 200000);
        paths("Pocock, 5 equal looks", DCX_SPEND_POCOCK, eq, 5, 200000);
        paths("O'Brien-Fleming, looks at 0.1 0.35 0.5 0.9 1", DCX_SPEND_OBF, un, 5, 200000);
        paths("Pocock, looks at 0.1 0.35 0.5 0.9 1", DCX_SPEND_POCOCK, un, 5, 200000);
        printf("group-sequential through dcx analyze: %d experiments, conversion 10%%, 5 daily looks "
               "of 400 units per arm, two-sided alpha 5%%\n", n);
        seed(27);
        if (experiments(n, path, 0.10, "A/A") || experiments(n, path, 0.125, "planted lift +25%"))
            return 1;
    }
    if (want(only, "relative")) {
        printf("relative and one-sided sequential tests: %d experiments, conversion 10%%, 10 daily looks of "
               "200 units per arm, alpha 5%% (peeking at every look for the sequential ones)\n", n);
        seed(28);
        if (methods(n, path, 0.10, "A/A") || methods(n, path, 0.12, "planted +20%"))
            return 1;
    }
    if (want(only, "gs-more")) {
        printf("group-sequential one-sided and relative: %d experiments, conversion 10%%, 5 daily looks of "
               "400 units per arm, alpha 5%% (one-sided: on the good side)\n", n);
        seed(29);
        if (gs_more(n, path, 0.10, "A/A") || gs_more(n, path, 0.125, "planted +25%"))
            return 1;
    }
    if (want(only, "prior")) {
        printf("--prior on the relative effect (--method bayesian, one goal): %d experiments, conversion "
               "10%%, 4,000 units per arm, a planted lift of +20%%\n", n);
        seed(30);
        if (prior_sim(n, path, 0) || prior_sim(n, path, 0.2))
            return 1;
    }
    if (want(only, "bandit")) {
        printf("dcx bandit (Thompson sampling, minimum weight 0.01): %d experiments per case over five periods, "
               "conversion 10%%\n", n);
        seed(31);
        if (bandit_sim(n, dir))
            return 1;
    }
    if (want(only, "poststrat")) {
        printf("post-stratification: %d experiments, 1,000 units per arm in four strata (shares 4:3:2:1, "
               "means 10, 6, 3, 1), alpha 5%%\n", n);
        seed(32);
        if (strata_sim(n, path, 0, 0, "A/A") || strata_sim(n, path, 0.25, 0.02, "planted +0.25, +2 pts"))
            return 1;
    }
    if (want(only, "ratio-cuped")) {
        printf("ratio CUPED (--cuped ppv=pre_pv/pre_s): %d experiments, pages per session of 1,000 users "
               "per arm, the pre-period's as the covariate pair, alpha 5%%\n", n);
        seed(33);
        if (ratio_cuped(n, path, 0, "A/A") || ratio_cuped(n, path, 0.05, "planted +5%"))
            return 1;
    }
    remove(path);
    printf("inference_sim: %d checks, %d failed (each at 95%%: about 1 in 20 fails by chance)\n", checks, failed);
    return 0;
}
