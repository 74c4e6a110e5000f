/* test_reference.c — checks libdcx's statistics core against R.
 *
 * Reads tests/reference/stats.tsv (made by tests/reference/stats.R; each row holds the
 * R call that produced its values) and checks every row. Tolerances are those of
 * issue 2: relative 1e-9 for distributions, 1e-6 for tests and intervals, sample
 * sizes exact after rounding up. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/dcx.h"
#include "tap.h"

#define MAXV 8192
#define TOL_DIST 1e-9
#define TOL_TEST 1e-6

typedef struct {
    double *v;
    size_t n;
} vec_t;

static vec_t parse_vec(char *s)
{
    vec_t r = {malloc(MAXV * sizeof(double)), 0};
    for (char *tok = strtok(s, ";"); tok && r.n < MAXV; tok = strtok(NULL, ";"))
        r.v[r.n++] = strcmp(tok, "NA") ? strtod(tok, NULL) : NAN; /* R's NA */
    return r;
}

/* Splits "a;b|c;d" into groups. */
static size_t parse_groups(char *s, vec_t *g, size_t max)
{
    size_t n = 0;
    char *save = s;
    while (save && n < max) {
        char *bar = strchr(save, '|');
        if (bar)
            *bar = '\0';
        g[n++] = parse_vec(save);
        save = bar ? bar + 1 : NULL;
    }
    return n;
}

static void check_vec(const char *fn, const double *got, const vec_t *want, double tol,
                      const char *call)
{
    for (size_t i = 0; i < want->n; i++)
        is_rel(got[i], want->v[i], tol, "%s[%zu]: %s", fn, i, call);
}

static void run_row(const char *fn, vec_t *g, size_t ng, vec_t *e, const char *call)
{
    const double *a = g[0].v;
    double got[16];
    dcx_test_result_t r;
    dcx_error_t err;
    dcx_error_clear(&err);
    if (!strcmp(fn, "pnorm")) {
        is_rel(dcx_dist_norm_cdf(a[0], (int)a[1]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "qnorm")) {
        is_rel(dcx_dist_norm_quantile(a[0], (int)a[1]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "pt")) {
        is_rel(dcx_dist_t_cdf(a[0], a[1], (int)a[2]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "qt")) {
        is_rel(dcx_dist_t_quantile(a[0], a[1], (int)a[2]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "pnt")) {
        /* R's pnt stops at an absolute error of 1e-12 (errmax): relative 1e-9, or that */
        double got1 = dcx_dist_nt_cdf(a[0], a[1], a[2], (int)a[3]);
        is_rel(got1, e->v[0], fmax(TOL_DIST, 1e-12 / fabs(e->v[0])), "%s", call);
    } else if (!strcmp(fn, "pnt_mp")) {
        is_rel(dcx_dist_nt_cdf(a[0], a[1], a[2], (int)a[3]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "pchisq")) {
        is_rel(dcx_dist_chisq_cdf(a[0], a[1], (int)a[2]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "qchisq")) {
        is_rel(dcx_dist_chisq_quantile(a[0], a[1], (int)a[2]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "pbeta")) {
        is_rel(dcx_dist_beta_cdf(a[0], a[1], a[2], (int)a[3]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "dbeta")) {
        is_rel(dcx_dist_beta_pdf(a[0], a[1], a[2]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "qbeta")) {
        is_rel(dcx_dist_beta_quantile(a[0], a[1], a[2], (int)a[3]), e->v[0], TOL_DIST, "%s",
               call);
    } else if (!strcmp(fn, "dbinom")) {
        is_rel(dcx_dist_binom_pmf(a[0], a[1], a[2]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "pbinom")) {
        is_rel(dcx_dist_binom_cdf(a[0], a[1], a[2], (int)a[3]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "qbinom")) {
        is_int(dcx_dist_binom_quantile(a[0], a[1], a[2], (int)a[3]), e->v[0], "%s", call);
    } else if (!strcmp(fn, "dhyper")) {
        is_rel(dcx_dist_hyper_pmf(a[0], a[1], a[2], a[3]), e->v[0], TOL_DIST, "%s", call);
    } else if (!strcmp(fn, "phyper")) {
        is_rel(dcx_dist_hyper_cdf(a[0], a[1], a[2], a[3], (int)a[4]), e->v[0], TOL_DIST, "%s",
               call);
    } else if (!strcmp(fn, "qhyper")) {
        is_int(dcx_dist_hyper_quantile(a[0], a[1], a[2], a[3], (int)a[4]), e->v[0], "%s", call);
    } else if (!strcmp(fn, "prop_test")) {
        dcx_status_t st = dcx_test_prop(a[0], a[1], a[2], a[3], a[4], &r, &err);
        ok(st == DCX_OK, "prop_test status: %s", call);
        got[0] = r.p_value, got[1] = r.ci_lo, got[2] = r.ci_hi;
        check_vec(fn, got, e, TOL_TEST, call);
    } else if (!strcmp(fn, "welch")) {
        dcx_arm_t t = {a[0], a[1], a[2]}, c = {a[3], a[4], a[5]};
        ok(dcx_test_welch(&t, &c, a[6], &r, &err) == DCX_OK, "welch status");
        got[0] = r.p_value, got[1] = r.ci_lo, got[2] = r.ci_hi, got[3] = r.df,
        got[4] = r.statistic;
        check_vec(fn, got, e, TOL_TEST, call);
    } else if (!strcmp(fn, "welch_data") && ng == 2) {
        dcx_moments_t mt, mc;
        dcx_moments_init(&mt);
        dcx_moments_init(&mc);
        for (size_t i = 0; i < g[0].n; i++)
            dcx_moments_add(&mt, g[0].v[i]);
        for (size_t i = 0; i < g[1].n; i++)
            dcx_moments_add(&mc, g[1].v[i]);
        dcx_arm_t t = {mt.n, dcx_moments_mean_x(&mt), dcx_moments_var_x(&mt)},
                  c = {mc.n, dcx_moments_mean_x(&mc), dcx_moments_var_x(&mc)};
        ok(dcx_test_welch(&t, &c, 0.05, &r, &err) == DCX_OK, "welch_data status");
        got[0] = r.p_value, got[1] = r.ci_lo, got[2] = r.ci_hi, got[3] = t.mean,
        got[4] = t.var;
        check_vec(fn, got, e, TOL_TEST, call);
        /* the same data merged from four shards gives the same moments */
        dcx_moments_t parts[4], all;
        dcx_moments_init(&all);
        for (int k = 0; k < 4; k++)
            dcx_moments_init(&parts[k]);
        for (size_t i = 0; i < g[0].n; i++)
            dcx_moments_add(&parts[i * 4 / g[0].n], g[0].v[i]);
        for (int k = 0; k < 4; k++)
            dcx_moments_merge(&all, &parts[k]);
        is_rel(dcx_moments_mean_x(&all), e->v[3], 1e-15, "merged shards: mean");
        is_rel(dcx_moments_var_x(&all), e->v[4], 1e-9, "merged shards: variance");
    } else if (!strcmp(fn, "chisq_gof") && ng == 2) {
        double df;
        ok(dcx_test_chisq_gof(g[0].v, g[1].v, g[0].n, &got[0], &df, &got[1], &err) == DCX_OK,
           "chisq_gof status");
        check_vec(fn, got, e, TOL_TEST, call);
    } else if (!strcmp(fn, "fisher")) {
        ok(dcx_test_fisher(a[0], a[1], a[2], a[3], &got[0], NULL, &err) == DCX_OK,
           "fisher status");
        check_vec(fn, got, e, TOL_TEST, call);
    } else if (!strcmp(fn, "mann_whitney") && ng == 2) {
        ok(dcx_test_mann_whitney(g[0].v, g[0].n, g[1].v, g[1].n, &r, &err) == DCX_OK,
           "mann_whitney status");
        got[0] = r.statistic, got[1] = r.p_value;
        check_vec(fn, got, e, TOL_TEST, call);
    } else if (!strncmp(fn, "p_adjust_", 9)) {
        dcx_adjust_t m;
        ok(dcx_adjust_parse(fn + 9, &m, &err) == DCX_OK, "parse %s", fn + 9);
        double *out = malloc(g[0].n * sizeof *out);
        ok(dcx_p_adjust(a, g[0].n, m, out, &err) == DCX_OK, "p_adjust status");
        check_vec(fn, out, e, TOL_TEST, call);
        free(out);
    } else if (!strncmp(fn, "power_", 6)) {
        dcx_power_spec_t s;
        dcx_power_result_t pr;
        dcx_power_spec_init(&s);
        int prop = !strncmp(fn, "power_prop", 10);
        s.kind = prop ? DCX_POWER_BINARY : DCX_POWER_MEAN;
        if (!strcmp(fn, "power_prop_n") || !strcmp(fn, "power_prop_power")) {
            s.baseline = a[0], s.mde = a[1] - a[0], s.alpha = a[2];
            if (fn[11] == 'n')
                s.power = a[3];
            else
                s.solve = DCX_SOLVE_POWER, s.n = a[3];
        } else if (!strcmp(fn, "power_prop_p2")) {
            s.baseline = a[0], s.alpha = a[1], s.power = a[2], s.n = a[3];
            s.solve = DCX_SOLVE_MDE;
        } else if (!strcmp(fn, "power_t_n") || !strcmp(fn, "power_t_power")) {
            s.mde = a[0], s.sd = a[1], s.alpha = a[2], s.mean = 0;
            if (fn[8] == 'n')
                s.power = a[3];
            else
                s.solve = DCX_SOLVE_POWER, s.n = a[3];
        } else { /* power_t_delta */
            s.sd = a[0], s.alpha = a[1], s.power = a[2], s.n = a[3], s.mean = 0;
            s.solve = DCX_SOLVE_MDE;
        }
        dcx_status_t st = dcx_power_solve(&s, &pr, &err);
        ok(st == DCX_OK, "%s status (%s)", fn, err.message);
        if (s.solve == DCX_SOLVE_N) {
            is_int(pr.n_per_variant, ceil(e->v[0]), "%s: n rounded up: %s", fn, call);
            is_rel(pr.n_control, e->v[0], TOL_TEST, "%s: exact root: %s", fn, call);
        } else if (s.solve == DCX_SOLVE_POWER) {
            is_rel(pr.power, e->v[0], TOL_TEST, "%s", call);
        } else {
            is_rel(prop ? s.baseline + pr.mde : pr.mde, e->v[0], TOL_TEST, "%s", call);
        }
    } else if (!strcmp(fn, "lift")) {
        dcx_arm_t t = {a[0], a[1], a[2]}, c = {a[3], a[4], a[5]};
        ok(dcx_lift_delta(&t, &c, a[6], &r, &err) == DCX_OK, "lift status");
        got[0] = r.estimate, got[1] = r.ci_lo, got[2] = r.ci_hi;
        check_vec(fn, got, e, TOL_TEST, call);
    } else if (!strcmp(fn, "ratio")) {
        ok(dcx_ratio_delta(a[0], a[1], a[2], a[3], a[4], a[5], &got[0], &got[1], &err) == DCX_OK,
           "ratio status");
        check_vec(fn, got, e, TOL_TEST, call);
    } else if (!strcmp(fn, "cochran_q") && ng == 2) {
        double df;
        ok(dcx_cochran_q(g[0].v, g[1].v, g[0].n, &got[0], &df, &got[1], &err) == DCX_OK,
           "cochran_q status");
        check_vec(fn, got, e, TOL_TEST, call);
    } else {
        ok(0, "unknown reference function '%s'", fn);
    }
}

static int run_file(const char *name)
{
    const char *root = getenv("DCX_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/reference/%s", root ? root : ".", name);
    FILE *f = fopen(path, "r");
    if (!ok(f != NULL, "open %s", path))
        return 0;
    static char line[1 << 20];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *fn = strtok(line, "\t"), *args = strtok(NULL, "\t"), *exp = strtok(NULL, "\t"),
             *call = strtok(NULL, "\t");
        if (!fn || !args || !exp || !call) {
            ok(0, "malformed reference row %d", rows + 1);
            continue;
        }
        char *fn_c = strdup(fn), *call_c = strdup(call), *exp_c = strdup(exp);
        vec_t g[4];
        size_t ng = parse_groups(args, g, 4);
        vec_t e = parse_vec(exp_c);
        run_row(fn_c, g, ng, &e, call_c);
        for (size_t i = 0; i < ng; i++)
            free(g[i].v);
        free(e.v);
        free(fn_c);
        free(call_c);
        free(exp_c);
        rows++;
    }
    fclose(f);
    return rows;
}

/* |got − want| ≤ tol */
#define is_abs(got, want, tol, ...) ok(fabs((got) - (want)) <= (tol), __VA_ARGS__)

/* Group-sequential boundaries: the scipy values of tests/reference/group_sequential.py (to
 * 1e-4 on the z scale), grouped by design, and the published tables (Jennison and Turnbull
 * 2000; to their three decimals). */
static int run_gs(void)
{
    const char *root = getenv("DCX_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/reference/group_sequential.tsv", root ? root : ".");
    FILE *f = fopen(path, "r");
    if (!ok(f != NULL, "open %s", path))
        return 0;
    char line[1024];
    int rows = 0;
    if (!fgets(line, sizeof line, f)) /* header */
        line[0] = 0;
    while (fgets(line, sizeof line, f)) {
        char kind[64], frac[512];
        double alpha, want, t[32], b[32];
        int look;
        if (sscanf(line, "%63s %lf %511s %d %lf", kind, &alpha, frac, &look, &want) != 5) {
            ok(0, "malformed row %d of group_sequential.tsv", rows + 1);
            continue;
        }
        size_t k = 0;
        for (char *tok = strtok(frac, ","); tok && k < 32; tok = strtok(NULL, ","))
            t[k++] = strtod(tok, NULL);
        dcx_error_t err;
        dcx_spending_t sp = strcmp(kind, "pocock") ? DCX_SPEND_OBF : DCX_SPEND_POCOCK;
        ok(dcx_gs_boundaries(sp, alpha, t, k, b, &err) == DCX_OK, "gs status");
        is_abs(b[look - 1], want, 1e-4, "%s alpha %g looks %s: boundary %d", kind, alpha, frac, look);
        rows++;
    }
    fclose(f);
    static const double t5[5] = {0.2, 0.4, 0.6, 0.8, 1}, obf[5] = {4.877, 3.357, 2.680, 2.290, 2.031},
                        poc[5] = {2.438, 2.427, 2.410, 2.397, 2.386};
    double b[5], pb[5];
    dcx_error_t err;
    dcx_gs_boundaries(DCX_SPEND_OBF, 0.025, t5, 5, b, &err);
    dcx_gs_boundaries(DCX_SPEND_POCOCK, 0.025, t5, 5, pb, &err);
    for (int j = 0; j < 5; j++) {
        is_abs(b[j], obf[j], 5e-4, "published O'Brien-Fleming type, K = 5, alpha 0.025, look %d", j + 1);
        is_abs(pb[j], poc[j], 5e-4, "published Pocock type, K = 5, alpha 0.025, look %d", j + 1);
    }
    /* repeated p-values: below alpha exactly where the level-alpha boundary is crossed */
    double z[5] = {1.0, 3.0, 2.6, 2.35, 2.1}, p[5];
    ok(dcx_gs_repeated_p(DCX_SPEND_OBF, t5, z, 5, p, &err) == DCX_OK, "repeated p status");
    ok(p[2] > 0.025 && p[3] < 0.025 && p[4] <= p[3] && p[1] >= p[2], "repeated p crosses 0.025 at look 4 (%g %g)",
       p[2], p[3]);
    double b4[5], z4 = z[3];
    double lvl = p[3] * 1.0001;
    dcx_gs_boundaries(DCX_SPEND_OBF, lvl, t5, 4, b4, &err);
    ok(b4[3] <= z4 + 1e-6, "at level p(4) the boundary of look 4 is z(4): %g vs %g", b4[3], z4);
    double t3[3] = {0.5, 0.4, 1};
    ok(dcx_gs_boundaries(DCX_SPEND_OBF, 0.025, t3, 3, b, &err) == DCX_EINVAL, "fractions must increase");
    return rows;
}

/* Thompson sampling: dcx_thompson()'s integrals against the shares of a long simulation
 * (tests/reference/thompson_mc.py, 4,000,000 draws), within 4.5 Monte Carlo standard errors. */
static int run_thompson(void)
{
    const char *root = getenv("DCX_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/reference/thompson_mc.tsv", root ? root : ".");
    FILE *f = fopen(path, "r");
    if (!ok(f != NULL, "open %s", path))
        return 0;
    static char line[4096];
    int rows = 0;
    if (!fgets(line, sizeof line, f))
        line[0] = 0;
    while (fgets(line, sizeof line, f)) {
        char *col[5];
        col[0] = strtok(line, "\t\n");
        for (int c = 1; c < 5; c++)
            col[c] = strtok(NULL, "\t\n");
        if (!col[4]) {
            ok(0, "malformed row %d of thompson_mc.tsv", rows + 1);
            continue;
        }
        double v[4][16], draws = strtod(col[2], NULL);
        size_t k = 0;
        for (int c = 0; c < 5; c++) {
            if (c == 2)
                continue;
            size_t j = 0;
            for (char *t = strtok(col[c], ","); t && j < 16; t = strtok(NULL, ","))
                v[c < 2 ? c : c - 1][j++] = strtod(t, NULL);
            k = j;
        }
        double best[16], second[16];
        dcx_error_t err;
        ok(dcx_thompson(v[0], v[1], k, best, second, &err) == DCX_OK, "thompson status");
        for (size_t i = 0; i < k; i++) {
            double sb = sqrt(fmax(v[2][i] * (1 - v[2][i]), 1 / draws) / draws),
                   ss = sqrt(fmax(v[3][i] * (1 - v[3][i]), 1 / draws) / draws);
            ok(fabs(best[i] - v[2][i]) <= 4.5 * sb, "case %d arm %zu: P(best) %.6f vs simulated %.6f",
               rows + 1, i + 1, best[i], v[2][i]);
            ok(fabs(second[i] - v[3][i]) <= 4.5 * ss,
               "case %d arm %zu: P(second) %.6f vs simulated %.6f", rows + 1, i + 1, second[i], v[3][i]);
        }
        double sum = 0;
        for (size_t i = 0; i < k; i++)
            sum += best[i];
        ok(fabs(sum - 1) < 1e-8, "case %d: P(best) sums to 1 (%.12f)", rows + 1, sum);
        rows++;
    }
    fclose(f);
    /* weights: top two, a floor, rescaled */
    double mu[3] = {0, 1, 2}, sd[3] = {0.1, 0.1, 0.1}, pb[3], w[3];
    dcx_error_t err;
    ok(dcx_thompson_weights(mu, sd, 3, 1, 0.05, pb, w, &err) == DCX_OK, "weights status");
    ok(fabs(w[0] + w[1] + w[2] - 1) < 1e-12 && w[0] > 0.04 && w[0] < 0.05 && fabs(w[1] - w[2]) < 0.01,
       "top two: the two best share the traffic, the last keeps its floor, rescaled (%g %g %g)",
       w[0], w[1], w[2]);
    ok(dcx_thompson_weights(mu, sd, 3, 0, 0.4, pb, w, &err) == DCX_EINVAL, "a floor of 1/k or more is refused");
    return rows;
}

int main(void)
{
    ok(run_thompson() == 5, "5 Thompson-sampling cases against the simulation");
    ok(run_gs() == 32, "32 group-sequential reference boundaries");
    int rows = run_file("stats.tsv");
    ok(rows > 600, "read %d rows of R reference values", rows);
    rows = run_file("noncentral_t.tsv");
    ok(rows == 174, "read %d rows of mpmath noncentral t values", rows);
    return done_testing();
}
