/* inference_sim.c — simulations of the inference added in issue 26, A/A and with a planted
 * effect, each rate with its exact (Clopper–Pearson) 95% binomial interval:
 *
 *   group-sequential   (1) 200,000 Brownian paths of K = 5 equal looks (and of unequal looks)
 *                      against dcx_gs_boundaries(): the share that ever crosses, which must be
 *                      one-sided α = 0.025 under H0 — peeking at every look; (2) experiments
 *                      through dcx_analyze() (binary metric, 5 daily looks, 400 units per arm
 *                      a day, --method group-sequential --looks 5): the share significant, A/A
 *                      (two-sided α = 0.05) and with a planted lift, beside the fixed-horizon
 *                      test of the last look and the naive test at every look.
 *
 *   post-stratification  experiments of 1,000 units per arm in four strata whose means differ
 *                      (a mean, a binary and a ratio metric), A/A and with a planted effect: the
 *                      share significant without it, with --post-stratify and with
 *                      --post-stratify and --cuped (the ratio without a covariate), at
 *                      two-sided α = 0.05.
 *
 *   inference_sim [EXPERIMENTS [DIR]]   (default 400 experiments through dcx_analyze) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"

#include "sim_rng.h"

/* "2.51% [2.44%, 2.58%]" and whether alpha lies outside the interval (check 1), or below it
 * (check 2: an always-valid test may be conservative, never liberal) */
static const char *rate(double x, double n, double alpha, int check)
{
    static char buf[4][96];
    static int k;
    char *b = buf[k++ % 4];
    double lo = x > 0 ? dcx_dist_beta_quantile(0.025, x, n - x + 1, 1) : 0;
    double hi = x < n ? dcx_dist_beta_quantile(0.975, x + 1, n - x, 1) : 1;
    snprintf(b, 96, "%6.2f%% [%5.2f%%, %5.2f%%]%s", 100 * x / n, 100 * lo, 100 * hi,
             (check == 1 && (alpha < lo || alpha > hi)) || (check == 2 && alpha < lo) ? "  * alpha outside"
                                                                                     : "");
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

static int methods(int n, const char *path, double pt, const char *what)
{
    static const method_t ms[] = {
        {"frequentist --difference relative", {"difference", "relative", NULL}, 0.05, 1},
        {"sequential --one-sided, 10 looks", {"method", "sequential", "one-sided", "1", "time-column", "day", NULL}, 0.05, 2},
        {"sequential --one-sided --difference relative, 10 looks",
         {"method", "sequential", "one-sided", "1", "difference", "relative", "time-column", "day"}, 0.05, 2},
    };
    enum { NM = sizeof ms / sizeof *ms };
    dcx_analyze_opts_t o[NM];
    dcx_error_t err;
    long sig[NM] = {0};
    for (int m = 0; m < NM; m++) {
        memset(&o[m], 0, sizeof o[m]);
        dcx_opts_init(dcx_analyze_options, &o[m], &err);
        set(&o[m], "input", path);
        set(&o[m], "metric", "conv:binary");
        for (int k = 0; k < 8 && ms[m].opts[k]; k += 2)
            set(&o[m], ms[m].opts[k], ms[m].opts[k + 1]);
    }
    for (int e = 0; e < n; e++) {
        if (write_units(path, 10, 200, 0.10, pt))
            return 1;
        for (int m = 0; m < NM; m++) {
            int s;
            if (significant(&o[m], &s))
                return 1;
            sig[m] += s;
        }
    }
    for (int m = 0; m < NM; m++) {
        printf("  %-56s %-18s %s\n", ms[m].label, what,
               rate((double)sig[m], n, ms[m].alpha, pt == 0.10 ? ms[m].check : 0));
        dcx_opts_free(dcx_analyze_options, &o[m]);
    }
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

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 400;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/inference_sim.csv", dir);
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
    printf("relative and one-sided sequential tests: %d experiments, conversion 10%%, 10 daily looks of "
           "200 units per arm, alpha 5%% (peeking at every look for the sequential ones)\n", n);
    seed(28);
    if (methods(n, path, 0.10, "A/A") || methods(n, path, 0.12, "planted +20%"))
        return 1;
    printf("post-stratification: %d experiments, 1,000 units per arm in four strata (shares 4:3:2:1, "
           "means 10, 6, 3, 1), alpha 5%%\n", n);
    seed(29);
    if (strata_sim(n, path, 0, 0, "A/A") || strata_sim(n, path, 0.25, 0.02, "planted +0.25, +2 pts"))
        return 1;
    remove(path);
    return 0;
}
