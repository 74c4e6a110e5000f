/* lift_sim.c — coverage of three 95% intervals of the relative lift m_t/m_c − 1, simulated
 * side by side on the data where the delta method is known to undercover: revenue with 90%
 * zeros (10% of units buy, lognormal amounts) at n = 1,000 per arm, and conversions with 10–15
 * events per arm; A/A and planted effects. For each interval the share of experiments whose
 * interval holds the true lift, and how the misses split (true lift below the interval / above
 * it). The intervals, with the row's critical value c (Welch t for revenue, z for conversions),
 * V_t = v_t/n_t, V_c = v_c/n_c:
 *   delta      lift ± c·√(V_t/m_c² + m_t² V_c/m_c⁴)                      (GrowthBook's)
 *   log        exp(ln(m_t/m_c) ± c·√(V_t/m_t² + V_c/m_c²)) − 1            (delta method on the log)
 *   fieller    {R : (m_t − R m_c)² ≤ c²(V_t + R² V_c)} − 1                 (Fieller 1954)
 *
 *   lift_sim [REPLICATES]   (default 20000 per scenario) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dcx/dcx.h"

#include "sim_rng.h"

typedef struct {
    const char *label;
    int revenue;        /* 1: revenue (buy with p, lognormal(mu, 1) amount); 0: conversion */
    double p_c, p_t;    /* buy / conversion rates */
    double mu_c, mu_t;  /* revenue: log-scale mean of the amounts */
    int n;
} scen_t;

/* one arm: mean and unbiased variance */
static void arm(const scen_t *s, int t, double *m, double *v)
{
    double sum = 0, sq = 0, p = t ? s->p_t : s->p_c, mu = t ? s->mu_t : s->mu_c;
    for (int i = 0; i < s->n; i++) {
        double y = unif() < p ? (s->revenue ? exp(mu + normal()) : 1) : 0;
        sum += y, sq += y * y;
    }
    *m = sum / s->n;
    *v = s->revenue ? (sq - sum * sum / s->n) / (s->n - 1) : *m * (1 - *m);
}

enum { DELTA, LOGD, FIELLER, NI };
static const char *const names[NI] = {"delta", "log", "fieller"};

static void intervals(double mc, double vc, double mt, double vt, double c, double lo[NI], double hi[NI])
{
    double Vc = vc, Vt = vt; /* already divided by n */
    for (int k = 0; k < NI; k++)
        lo[k] = hi[k] = NAN;
    if (!(mc > 0))
        return;
    double lift = mt / mc - 1, se = sqrt(Vt / (mc * mc) + mt * mt * Vc / (mc * mc * mc * mc));
    lo[DELTA] = lift - c * se, hi[DELTA] = lift + c * se;
    if (mt > 0) {
        double sl = sqrt(Vt / (mt * mt) + Vc / (mc * mc)), l = log(mt / mc);
        lo[LOGD] = exp(l - c * sl) - 1, hi[LOGD] = exp(l + c * sl) - 1;
    }
    double a = mc * mc - c * c * Vc, disc = mt * mt * Vc + mc * mc * Vt - c * c * Vt * Vc;
    if (a > 0 && disc >= 0) {
        double r = c * sqrt(disc);
        lo[FIELLER] = (mt * mc - r) / a - 1, hi[FIELLER] = (mt * mc + r) / a - 1;
    }
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 20000;
    const scen_t sc[] = {
        {"revenue, 90% zeros, n 1000, A/A", 1, 0.10, 0.10, 3.0, 3.0, 1000},
        {"revenue, 90% zeros, n 1000, +10% buyers", 1, 0.10, 0.11, 3.0, 3.0, 1000},
        {"revenue, 90% zeros, n 1000, +20% amounts", 1, 0.10, 0.10, 3.0, 3.0 + log(1.2), 1000},
        {"revenue, 90% zeros, n 1000, -15% buyers", 1, 0.10, 0.085, 3.0, 3.0, 1000},
        {"conversion, 10 events/arm, A/A", 0, 0.010, 0.010, 0, 0, 1000},
        {"conversion, 12 events/arm, A/A", 0, 0.012, 0.012, 0, 0, 1000},
        {"conversion, 15 events/arm, A/A", 0, 0.015, 0.015, 0, 0, 1000},
        {"conversion, 10 -> 15 events/arm (+50%)", 0, 0.010, 0.015, 0, 0, 1000},
        {"conversion, 15 -> 10 events/arm (-33%)", 0, 0.015, 0.010, 0, 0, 1000},
    };
    printf("coverage of 95%% lift intervals, %d experiments each (misses: true lift below / above)\n", reps);
    printf("  %-42s %-24s %-24s %-24s\n", "scenario", names[0], names[1], names[2]);
    double worst[NI] = {1, 1, 1}, sum_dev[NI] = {0};
    int nsc = (int)(sizeof sc / sizeof *sc);
    for (int s = 0; s < nsc; s++) {
        const scen_t *x = &sc[s];
        seed(100 + (uint64_t)s);
        double truth = x->revenue ? x->p_t * exp(x->mu_t) / (x->p_c * exp(x->mu_c)) - 1 : x->p_t / x->p_c - 1;
        long cover[NI] = {0}, below[NI] = {0}, above[NI] = {0}, undefined[NI] = {0};
        for (int r = 0; r < reps; r++) {
            double mc, vc, mt, vt;
            arm(x, 0, &mc, &vc);
            arm(x, 1, &mt, &vt);
            double Vc = vc / x->n, Vt = vt / x->n, c;
            if (x->revenue) { /* Welch */
                double df = (Vc + Vt) * (Vc + Vt) / (Vc * Vc / (x->n - 1) + Vt * Vt / (x->n - 1));
                c = isfinite(df) && df > 0 ? dcx_dist_t_quantile(0.025, df, 0) : 1.959963984540054;
            } else {
                c = 1.959963984540054;
            }
            double lo[NI], hi[NI];
            intervals(mc, Vc, mt, Vt, c, lo, hi);
            for (int k = 0; k < NI; k++) {
                if (!isfinite(lo[k]) || !isfinite(hi[k])) {
                    undefined[k]++; /* no interval: counted as a miss */
                    continue;
                }
                if (truth < lo[k])
                    below[k]++;
                else if (truth > hi[k])
                    above[k]++;
                else
                    cover[k]++;
            }
        }
        printf("  %-42s", x->label);
        for (int k = 0; k < NI; k++) {
            double cv = (double)cover[k] / reps;
            char b[64];
            snprintf(b, sizeof b, "%5.2f%% (%4.2f/%4.2f)%s", 100 * cv, 100.0 * below[k] / reps,
                     100.0 * above[k] / reps, undefined[k] ? "u" : "");
            printf(" %-24s", b);
            worst[k] = fmin(worst[k], cv);
            sum_dev[k] += fabs(cv - 0.95);
        }
        printf("\n");
    }
    printf("  %-42s", "worst coverage");
    for (int k = 0; k < NI; k++)
        printf(" %5.2f%%                  ", 100 * worst[k]);
    printf("\n  %-42s", "mean |coverage - 95%|");
    for (int k = 0; k < NI; k++)
        printf(" %5.2f%%                  ", 100 * sum_dev[k] / nsc);
    printf("\n  (u: some experiments had no interval, counted as misses; binomial SE of a coverage "
           "near 95%%: %.2f%%)\n", 100 * sqrt(0.95 * 0.05 / reps));
    return 0;
}
