/* aa_sim.c — A/A simulation: how often dcx calls a difference significant, or ships, when
 * there is none. Each experiment draws two arms of n units from one distribution, writes
 * them as a unit-level CSV and runs dcx_analyze() on it, as a user would; a rate is the
 * share of experiments whose overall row is significant, with its exact (Clopper–Pearson)
 * 95% binomial interval. A method that controls its error rate at alpha should land near
 * 0.05 (fixed-horizon tests) or below (the always-valid sequential test, which spends its
 * alpha over every look it allows).
 *
 *   aa_sim [EXPERIMENTS [DIR]]     (default 2000 experiments, temporary files in /tmp)
 *
 * Metric types, one column each, the same draw analysed by every method:
 *   binary    conversion, p = 0.10
 *   mean      revenue per unit, lognormal (mu 0, sigma 1): skewed, as revenue is
 *   ratio     page views / sessions: sessions 1 + Poisson(1.5), views Poisson(3 per session)
 *   nps       0-10 answers, 30% detractors, 40% passives, 30% promoters
 *   quantile  load time lognormal (mu 6.5, sigma 0.5), at Q = 0.5, 0.9 and 0.99
 * at n = 30, 100 and 1,000 units per arm; methods frequentist, bayesian, sequential (one
 * look) and sequential with ten daily looks. Then the decision with three goal metrics
 * (three independent conversions): the share of A/A experiments that ship, against the
 * rule without the goal family's correction that dcx used before. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"

#include "sim_rng.h"

static int poisson(double lambda)
{
    double l = exp(-lambda), p = 1;
    int k = 0;
    do {
        k++;
        p *= unif();
    } while (p > l);
    return k - 1;
}

/* ---- the experiments ---------------------------------------------------------------- */

#define NMETRIC 7
static const char *const metric_names[NMETRIC] = {"conv", "rev", "ppv", "nps", "load_p50", "load_p90",
                                                  "load_p99"};
static const char *const metric_label[NMETRIC] = {"binary", "mean", "ratio", "nps", "quantile Q=0.5",
                                                  "quantile Q=0.9", "quantile Q=0.99"};
#define NMETHOD 4
static const char *const method_label[NMETHOD] = {"frequentist", "bayesian", "sequential",
                                                  "sequential, 10 looks"};
static const int sizes[3] = {30, 100, 1000};

/* One A/A experiment of n units per arm into path: every metric's column and a day (1-10). */
static int write_units(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("variant,day,conv,rev,pageviews,sessions,nps,load\n", f);
    for (int arm = 0; arm < 2; arm++)
        for (int i = 0; i < n; i++) {
            int sessions = 1 + poisson(1.5), views = poisson(3.0 * sessions);
            double u = unif();
            int nps = u < 0.3 ? (int)(unif() * 7) : u < 0.7 ? 7 + (int)(unif() * 2) : 9 + (int)(unif() * 2);
            fprintf(f, "%s,%d,%d,%.4f,%d,%d,%d,%.2f\n", arm ? "treatment" : "control", 1 + i % 10,
                    unif() < 0.1, exp(normal()), views, sessions, nps, exp(6.5 + 0.5 * normal()));
        }
    return fclose(f);
}

/* The metric definitions, as a Lua script or a C program hands them over (a document). */
static cJSON *definitions(void)
{
    const char *text =
        "[{\"name\": \"conv\", \"type\": \"binary\"}, {\"name\": \"rev\", \"type\": \"mean\"},"
        " {\"name\": \"ppv\", \"type\": \"ratio\", \"numerator\": \"pageviews\", \"denominator\": \"sessions\"},"
        " {\"name\": \"nps\", \"type\": \"nps\"},"
        " {\"name\": \"load_p50\", \"type\": \"quantile\", \"column\": \"load\", \"quantile\": 0.5},"
        " {\"name\": \"load_p90\", \"type\": \"quantile\", \"column\": \"load\", \"quantile\": 0.9},"
        " {\"name\": \"load_p99\", \"type\": \"quantile\", \"column\": \"load\", \"quantile\": 0.99}]";
    return cJSON_Parse(text);
}

static void set(const dcx_option_t *table, void *o, const char *name, const char *value)
{
    dcx_error_t err;
    if (dcx_opts_set(dcx_opts_find(table, name), o, value, &err)) {
        fprintf(stderr, "aa_sim: --%s %s: %s\n", name, value, err.message);
        exit(1);
    }
}

/* The options of method m (0-3) on the file `path`. */
static void options(dcx_analyze_opts_t *o, int m, const char *path)
{
    dcx_error_t err;
    memset(o, 0, sizeof *o);
    dcx_opts_init(dcx_analyze_options, o, &err);
    set(dcx_analyze_options, o, "input", path);
    set(dcx_analyze_options, o, "method", m == 1 ? "bayesian" : m >= 2 ? "sequential" : "frequentist");
    if (m == 3)
        set(dcx_analyze_options, o, "time-column", "day");
    dcx_opts_set_doc(dcx_opts_find(dcx_analyze_options, "metrics"), o, definitions(), &err);
}

/* "2.3% [1.7%, 3.1%]" with the exact binomial interval of x in n; flags a rate whose interval
 * lies outside [0.04, 0.06] */
static void rate(char *buf, size_t len, double x, double n, int *outside)
{
    double lo = x > 0 ? dcx_dist_beta_quantile(0.025, x, n - x + 1, 1) : 0;
    double hi = x < n ? dcx_dist_beta_quantile(0.975, x + 1, n - x, 1) : 1;
    double r = x / n;
    *outside = r < 0.04 || r > 0.06;
    snprintf(buf, len, "%5.2f%% [%5.2f%%, %5.2f%%]%s", 100 * r, 100 * lo, 100 * hi, *outside ? "  *" : "");
}

static const cJSON *overall_row(const cJSON *doc, const char *metric)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "results"))
    {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "metric"),
                    *s = cJSON_GetObjectItemCaseSensitive(r, "segment");
        if (cJSON_IsString(m) && !strcmp(m->valuestring, metric) && cJSON_IsString(s)
            && !strcmp(s->valuestring, "all"))
            return r;
    }
    return NULL;
}

/* The false-positive rates: significant[size][method][metric], and rows with no result. */
static int false_positives(int experiments, const char *path)
{
    static double sig[3][NMETHOD][NMETRIC], none[3][NMETHOD][NMETRIC];
    dcx_analyze_opts_t opts[NMETHOD];
    for (int m = 0; m < NMETHOD; m++)
        options(&opts[m], m, path);
    for (int s = 0; s < 3; s++) {
        seed(20 + (uint64_t)s);
        for (int e = 0; e < experiments; e++) {
            if (write_units(path, sizes[s])) {
                fprintf(stderr, "aa_sim: cannot write %s\n", path);
                return 1;
            }
            for (int m = 0; m < NMETHOD; m++) {
                cJSON *doc;
                dcx_error_t err;
                if (dcx_analyze(&opts[m], &doc, &err)) {
                    fprintf(stderr, "aa_sim: %s\n", err.message);
                    return 1;
                }
                for (int k = 0; k < NMETRIC; k++) {
                    const cJSON *r = overall_row(doc, metric_names[k]),
                                *g = cJSON_GetObjectItemCaseSensitive(r, "significant");
                    sig[s][m][k] += cJSON_IsTrue(g);
                    none[s][m][k] += !cJSON_IsBool(g);
                }
                cJSON_Delete(doc);
            }
        }
    }
    for (int m = 0; m < NMETHOD; m++)
        dcx_opts_free(dcx_analyze_options, &opts[m]);
    printf("false-positive rate in %d A/A experiments per cell (exact 95%% interval; * outside "
           "[4%%, 6%%]; in brackets after it, experiments with no result)\n",
           experiments);
    printf("  %-16s %-22s", "metric", "method");
    for (int s = 0; s < 3; s++)
        printf("  %-34s", s == 0 ? "n = 30 per arm" : s == 1 ? "n = 100 per arm" : "n = 1,000 per arm");
    printf("\n");
    for (int k = 0; k < NMETRIC; k++)
        for (int m = 0; m < NMETHOD; m++) {
            if (k >= 4 && m == 3)
                continue; /* quantiles have no timeline */
            printf("  %-16s %-22s", metric_label[k], method_label[m]);
            for (int s = 0; s < 3; s++) {
                char buf[80], cell[100];
                int out;
                rate(buf, sizeof buf, sig[s][m][k], experiments, &out);
                if (none[s][m][k] > 0)
                    snprintf(cell, sizeof cell, "%s (%.0f)", buf, none[s][m][k]);
                else
                    snprintf(cell, sizeof cell, "%s", buf);
                printf("  %-34s", cell);
            }
            printf("\n");
        }
    return 0;
}

/* Three independent conversions as goal metrics, n = 1,000 per arm: the share of A/A
 * experiments that ship, by dcx's decision and by the uncorrected rule (ship when a goal
 * is significant at alpha in its good direction and none in its bad one). */
static int ship_rate(int experiments, const char *path, const char *method, int one_sided)
{
    dcx_analyze_opts_t o;
    dcx_error_t err;
    memset(&o, 0, sizeof o);
    dcx_opts_init(dcx_analyze_options, &o, &err);
    set(dcx_analyze_options, &o, "input", path);
    set(dcx_analyze_options, &o, "method", method);
    const char *g[3] = {"g1", "g2", "g3"};
    char spec[16];
    for (int k = 0; k < 3; k++) {
        snprintf(spec, sizeof spec, "%s:binary", g[k]);
        set(dcx_analyze_options, &o, "metric", spec);
        set(dcx_analyze_options, &o, "goal", g[k]);
    }
    if (one_sided)
        set(dcx_analyze_options, &o, "one-sided", "true");
    double ships = 0, old = 0;
    seed(77);
    for (int e = 0; e < experiments; e++) {
        FILE *f = fopen(path, "w");
        if (!f)
            return 1;
        fputs("variant,g1,g2,g3\n", f);
        for (int i = 0; i < 2000; i++)
            fprintf(f, "%s,%d,%d,%d\n", i % 2 ? "treatment" : "control", unif() < 0.1, unif() < 0.1,
                    unif() < 0.1);
        fclose(f);
        cJSON *doc;
        if (dcx_analyze(&o, &doc, &err)) {
            fprintf(stderr, "aa_sim: %s\n", err.message);
            return 1;
        }
        const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "decisions"), 0),
                    *dv = cJSON_GetObjectItemCaseSensitive(d, "decision");
        ships += cJSON_IsString(dv) && !strcmp(dv->valuestring, "ship");
        int good = 0, bad = 0;
        for (int k = 0; k < 3; k++) {
            const cJSON *r = overall_row(doc, g[k]);
            double p = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "p_value")),
                   diff = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "diff"));
            if (!strcmp(method, "bayesian")) {
                const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "significant");
                good |= cJSON_IsTrue(s) && diff > 0;
                bad |= cJSON_IsTrue(s) && diff < 0;
            } else {
                good |= p < 0.05 && (one_sided || diff > 0);
                bad |= !one_sided && p < 0.05 && diff < 0;
            }
        }
        old += good && !bad;
        cJSON_Delete(doc);
    }
    dcx_opts_free(dcx_analyze_options, &o);
    char a[80], b[80];
    int out;
    rate(a, sizeof a, ships, experiments, &out);
    rate(b, sizeof b, old, experiments, &out);
    printf("  %-12s%-12s dcx: %-30s  without the goal family's correction: %s\n", method,
           one_sided ? " one-sided" : "", a, b);
    return 0;
}

int main(int argc, char **argv)
{
    int experiments = argc > 1 ? atoi(argv[1]) : 2000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/aa_sim_units.csv", dir);
    if (experiments < 1)
        return 2;
    if (false_positives(experiments, path))
        return 1;
    printf("\nA/A ship rate with three goal metrics (conversions, n = 1,000 per arm, --correction none)\n");
    if (ship_rate(experiments, path, "frequentist", 0) || ship_rate(experiments, path, "frequentist", 1)
        || ship_rate(experiments, path, "sequential", 0) || ship_rate(experiments, path, "bayesian", 0))
        return 1;
    remove(path);
    return 0;
}
