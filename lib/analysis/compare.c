/* compare.c — one comparison of a treatment's cell against control's (cmp_cells), a
 * dispatcher: the metric's family (compare_binary.c, compare_mean.c, compare_ratio.c,
 * compare_quantile.c) gives the two arms and the frequentist test; here the row is set
 * up, the difference and the relative lift are taken, the intervals drawn (fixed-horizon
 * t or z, or the mSPRT confidence sequence; two- or one-sided), and under --method
 * bayesian or sequential their statistics are added. Roles come afterwards (roles.c). */
#include "analyze_internal.h"

#include <math.h>
#include <stdio.h>

#include "dcx/moments.h"

/* ---- intervals and tails ------------------------------------------------------------- */

/* The critical value leaving probability a in one tail: Student t with the row's Welch
 * degrees of freedom, or normal. */
static double crit(const cmp_t *r, double a)
{
    return isfinite(r->df) ? dcx_dist_t_quantile(a, r->df, 0) : dcx_dist_norm_quantile(a, 0);
}

double cmp_tail(const cmp_t *r, double s, int upper)
{
    return isfinite(r->df) ? dcx_dist_t_cdf(s, r->df, !upper) : dcx_dist_norm_cdf(s, !upper);
}

/* The half-width of the mSPRT confidence sequence at level alpha for variance v, τ². */
static double msprt_half(double v, double tau2, double alpha)
{
    return sqrt(v * (v + tau2) / tau2 * (-2 * log(alpha) + log((v + tau2) / v)));
}

/* The fixed-horizon interval of the lift by Fieller's theorem or the delta method on the log
 * of the ratio R = m_t/m_c (C the arms' covariance: 0 but for post-stratified estimates), at
 * the row's critical value: Fieller's {R : (m_t − R m_c)² ≤ c²(V_t − 2R C + R² V_c)}, bounded
 * when m_c² > c² V_c, and exp(ln R ± c √(V_t/m_t² + V_c/m_c² − 2C/(m_t m_c))) for
 * m_t/m_c > 0; then lift = R − 1 (m_c > 0) or 1 − R (m_c < 0, since lift = diff/|m_c|). NaN
 * ends where the interval is unbounded or undefined. */
static void lift_interval(const run_t *x, const cmp_t *r, double alpha, double *lo, double *hi)
{
    double mc = r->est_c, mt = r->est_t, vc = r->var_c, vt = r->var_t, cv = r->cov_ct;
    double c = crit(r, r->one_sided ? alpha : alpha / 2), r1 = NAN, r2 = NAN;
    if (!isfinite(mc) || mc == 0 || !isfinite(mt) || !(vc >= 0) || !(vt >= 0))
        return;
    if (x->lift_iv == LIFT_FIELLER) {
        /* the roots (b ± h)/a of a R² − 2b R + (m_t² − c² V_t), with the discriminant
         * expanded so that no m_t² m_c² cancels */
        double a = mc * mc - c * c * vc, b = mt * mc - c * c * cv;
        if (a > 0) {
            double h = c * sqrt(mt * mt * vc + mc * mc * vt - 2 * mt * mc * cv
                                - c * c * (vt * vc - cv * cv));
            r1 = (b - h) / a, r2 = (b + h) / a;
        }
    } else if (mt / mc > 0) {
        double lv = vt / (mt * mt) + vc / (mc * mc) - 2 * cv / (mt * mc);
        double l = log(mt / mc), h = c * sqrt(lv >= 0 ? lv : 0);
        r1 = exp(l - h), r2 = exp(l + h);
    }
    if (!isfinite(r1) || !isfinite(r2))
        return;
    double l = mc > 0 ? r1 - 1 : 1 - r2, u = mc > 0 ? r2 - 1 : 1 - r1;
    if (r->one_sided) {
        if (r->dir > 0)
            *lo = l;
        else
            *hi = u;
        return;
    }
    *lo = l, *hi = u;
}

void cmp_interval_at(const run_t *x, const cmp_t *r, int lift, double alpha, double *lo, double *hi)
{
    double est = lift ? r->lift : r->diff, se = lift ? r->lift_se : r->se;
    *lo = *hi = NAN;
    if (!isfinite(est) || !(se > 0))
        return;
    if (x->method == M_GSEQ) {
        gs_interval(x, r, lift, alpha, lo, hi);
        return;
    }
    if (x->method == M_SEQ) {
        double tau2 = lift ? r->tau2_lift : r->tau2;
        if (!(tau2 > 0))
            return;
        double h = r->one_sided ? dcx_msprt_half_one_sided(se * se, tau2, alpha) : msprt_half(se * se, tau2, alpha),
               l = est - h, u = est + h;
        /* with a timeline: the running intersection of every look's confidence sequence,
         * which excludes 0 exactly when the running minimum of the p-values is below alpha */
        for (size_t k = 0; k < r->nlooks; k++) {
            const look_t *lk = &r->looks[k];
            double e = lift ? lk->lift : lk->diff, v = lift ? lk->lift_v : lk->v,
                   t2 = lift ? lk->tau2_lift : lk->tau2;
            if (!isfinite(e) || !(v > 0) || !(t2 > 0))
                continue;
            double hk = r->one_sided ? dcx_msprt_half_one_sided(v, t2, alpha) : msprt_half(v, t2, alpha);
            l = fmax(l, e - hk);
            u = fmin(u, e + hk);
        }
        if (r->one_sided) /* one-sided: the sequence's bound in the good direction only */
            *lo = r->dir > 0 ? l : NAN, *hi = r->dir > 0 ? NAN : u;
        else if (l <= u)
            *lo = l, *hi = u;
        return;
    }
    if (lift && x->lift_iv != LIFT_DELTA && !x->relative) {
        lift_interval(x, r, alpha, lo, hi);
        return;
    }
    int binary_diff = !lift && x->d.metrics[r->m].type == MT_BINARY && !x->d.metrics[r->m].cov;
    if (r->one_sided) {
        double h = crit(r, alpha) * se;
        if (r->dir > 0)
            *lo = est - h;
        else
            *hi = est + h;
        if (binary_diff) /* R's prop.test keeps the closed end within [-1, 1] */
            *lo = isfinite(*lo) ? fmax(-1.0, *lo) : *lo, *hi = isfinite(*hi) ? fmin(1.0, *hi) : *hi;
        return;
    }
    double h = crit(r, alpha / 2) * se;
    *lo = est - h, *hi = est + h;
    if (binary_diff)
        *lo = fmax(-1.0, *lo), *hi = fmin(1.0, *hi);
}

/* ---- what the families share --------------------------------------------------------- */

dcx_status_t cmp_test_z(const run_t *x, cmp_t *r, dcx_error_t *err)
{
    dcx_test_result_t tr;
    dcx_status_t st = dcx_test_z(r->diff, r->se, x->o->alpha, &tr, err);
    r->test = "z";
    r->stat = tr.statistic, r->p = tr.p_value;
    return st;
}

dcx_status_t cmp_test_welch(const run_t *x, const arm_t a[2], int binary, cmp_t *r,
                            dcx_error_t *err)
{
    /* binary (with --test welch) uses the unbiased variance of the 0/1 values */
    dcx_arm_t wt = {a[1].n, a[1].mean, binary ? a[1].var * a[1].n / (a[1].n - 1) : a[1].var},
              wc = {a[0].n, a[0].mean, binary ? a[0].var * a[0].n / (a[0].n - 1) : a[0].var};
    dcx_test_result_t tr;
    dcx_status_t st = dcx_test_welch(&wt, &wc, x->o->alpha, &tr, err);
    r->test = "welch";
    r->stat = tr.statistic, r->p = tr.p_value, r->df = tr.df;
    if (binary) /* the interval of the 0/1 values' means, as t.test gives it */
        r->se = tr.se;
    return st;
}

void cmp_warn_small_arm(run_t *x, const metric_t *m, const arm_t a[2], const char *where,
                        const char *try_test)
{
    if (x->d.strat_col) /* --post-stratify refuses the tests the advice names */
        try_test = NULL;
    if (a[0].n < 30 || a[1].n < 30) {
        char kind[300];
        snprintf(kind, sizeof kind, "small-arm\n%s", m->name);
        if (try_test)
            run_warn_repeat(x, kind, "an arm has fewer than 30 units",
                            "metric '%s' (%s): an arm has fewer than 30 units; the normal "
                            "approximation is rough (try --test %s)",
                            m->name, where, try_test);
        else
            run_warn_repeat(x, kind, "an arm has fewer than 30 units",
                            "metric '%s' (%s): an arm has fewer than 30 units; the normal "
                            "approximation is rough",
                            m->name, where);
    }
}

void cmp_approx_plain(run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                      const arm_t a[2], const char *where)
{
    (void)c, (void)t;
    cmp_warn_small_arm(x, m, a, where, NULL);
}

/* --test names a test the metric's type does not take (fisher: binary; mann-whitney: mean;
 * welch: binary and mean): the row says which test it used, and the run says why, once per
 * metric, so that a reader of the settings does not take the row for the test asked. */
static void warn_test_not_taken(run_t *x, const metric_t *m, const cmp_t *r)
{
    const char *asked = x->o->test;
    if (x->test == T_AUTO || !asked || !r->test || !strcmp(r->test, asked))
        return;
    char kind[300];
    snprintf(kind, sizeof kind, "test-not-taken\n%s", m->name);
    run_warn_repeat(x, kind, "--test does not apply",
                    "metric '%s': --test %s does not apply to %s metrics; its rows use the %s test",
                    m->name, asked, mtype_name(m->type), r->test);
}

void cmp_approx_rank(run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                     const arm_t a[2], const char *where)
{
    (void)c, (void)t;
    cmp_warn_small_arm(x, m, a, where, "mann-whitney");
}

/* ---- the comparison ------------------------------------------------------------------ */

/* The family that compares metric m: CUPED for a metric with a covariate (a ratio's with
 * its covariate pair), else its type's (binary for a type still MT_AUTO, which the readers
 * resolve before any comparison). */
static const cmp_family_t *family_of(const metric_t *m)
{
    if (m->cov)
        return m->type == MT_RATIO ? &cmp_ratio_cuped : &cmp_cuped;
    switch (m->type) {
    case MT_MEAN:
        return &cmp_mean;
    case MT_RATIO:
        return &cmp_ratio;
    case MT_NPS:
        return &cmp_nps;
    case MT_QUANTILE:
        return &cmp_quantile;
    case MT_BINARY:
    case MT_AUTO:
        break;
    }
    return &cmp_binary;
}

/* A row of metric mi with every statistic undefined and nothing to say yet. */
static void row_init(cmp_t *r, size_t mi)
{
    r->m = mi;
    r->mean_c = r->mean_t = r->sd_c = r->sd_t = r->q_c = r->q_t = NAN;
    r->diff = r->lo = r->hi = r->lift = r->lift_lo = r->lift_hi = r->stat = r->p = r->padj = NAN;
    r->se = r->df = r->lift_se = r->tau2 = r->tau2_lift = NAN;
    r->est_c = r->est_t = r->var_c = r->var_t = NAN;
    r->lo_adj = r->hi_adj = r->lift_lo_adj = r->lift_hi_adj = NAN;
    r->pbc = r->loss = r->cr_lo = r->cr_hi = r->theta = r->vr = NAN;
    r->margin = r->ni_p = r->inf_p = r->p_bad = r->ni_prob = r->risk_rel = NAN;
    r->sig = -1;
    r->dir = 1;
    r->no_se = 0;
    r->role = ROLE_SECONDARY;
    r->family = FAM_SECONDARY;
    r->looks = NULL;
    r->nlooks = 0;
    r->crossed_at = 0;
    r->adjusted_by = NULL;
    r->test = NULL;
    r->cov_ct = 0;
    r->strata = -1;
}

/* The difference of the arms' estimates and its standard error, and the relative lift:
 * diff / |control| with the delta method's variance (where the family has one). 0 when
 * no test is possible (an undefined estimate, sums that cannot resolve the variance, or
 * no variance at all), which the row notes and the run warns about. */
static int estimate(run_t *x, const metric_t *m, const cmp_family_t *f, const cell_t *c,
                    const cell_t *t, const arm_t a[2], cmp_t *r, const char *where)
{
    r->diff = a[1].mean - a[0].mean;
    r->se = sqrt(a[0].est_var + a[1].est_var);
    if (!isfinite(r->diff)) {
        row_note(r, "the estimate is undefined", NULL);
        r->diff = NAN;
        return 0;
    }
    double mc = a[0].mean, mt = a[1].mean;
    r->est_c = mc, r->est_t = mt, r->var_c = a[0].est_var, r->var_t = a[1].est_var;
    if (f->lift) {
        if (mc == 0) {
            row_note(r, "lift: control mean is 0: relative lift is undefined", NULL);
        } else {
            r->lift = r->diff / fabs(mc);
            double lv = a[1].est_var / (mc * mc) + mt * mt * a[0].est_var / (mc * mc * mc * mc);
            r->lift_se = lv >= 0 && isfinite(lv) ? sqrt(lv) : NAN;
        }
    }
    if (r->no_se) { /* the family noted why (a quantile's window that does not fit) */
        char kind[300];
        snprintf(kind, sizeof kind, "no-se\n%s", m->name);
        run_warn_repeat(x, kind, "too few units for the quantile",
                        "metric '%s' (%s): too few units for the %g quantile, so no interval or "
                        "test is given",
                        m->name, where, m->q);
        r->se = r->lift_se = NAN;
        return 0;
    }
    if (c->unresolved || t->unresolved) {
        row_note(r, "the summary's sums cannot resolve this metric's variance (values large "
                    "relative to their spread): shift the values before summing",
                 NULL);
        run_warn(x, "metric '%s': the summary's sums cannot resolve its variance, so no interval or "
                    "test is given; compute the sums of value minus a constant near the values",
                 m->name);
        r->se = r->lift_se = NAN;
        return 0;
    }
    if (!isfinite(r->se) && a[0].n >= 2 && a[1].n >= 2) {
        /* both arms measured, but a variance came out infinite or as inf - inf: values of
         * sizes a double cannot square (a ratio's denominator mean near 0 for its numerator) */
        row_note(r, "the variance overflows a double (a denominator mean near 0 for its "
                    "numerator's size): no test is possible",
                 NULL);
        char kind[300];
        snprintf(kind, sizeof kind, "overflow\n%s", m->name);
        run_warn_repeat(x, kind, "the variance overflows a double",
                        "metric '%s' (%s): the variance overflows a double, no test is possible",
                        m->name, where);
        r->se = r->lift_se = NAN;
        return 0;
    }
    if (!(r->se > 0)) {
        row_note(r, "both arms have zero variance: no test is possible", NULL);
        char kind[300];
        snprintf(kind, sizeof kind, "zero-variance\n%s", m->name);
        run_warn_repeat(x, kind, "both arms have zero variance",
                        "metric '%s' (%s): both arms have zero variance, no test is possible",
                        m->name, where);
        return 0;
    }
    return 1;
}

/* The normal posterior of the relative effect (--difference relative, or a --prior on the
 * metric): the lift's delta-method N(lift, SE²) as the likelihood, and with a prior
 * N(μ0, σ0²) the posterior N((lift/SE² + μ0/σ0²)/P, 1/P), P = 1/SE² + 1/σ0² (gbstats'
 * EffectBayesianABTest with a proper GaussianPrior). 0 when the lift has no SE. */
static int relative_posterior(const run_t *x, cmp_t *r, dcx_bayes_result_t *b, dcx_error_t *err)
{
    const role_t *ro = &x->roles[r->m];
    double m = r->lift, se = r->lift_se;
    if (!isfinite(m) || !(se > 0)) {
        row_note(r, "relative: the lift or its standard error is undefined", NULL);
        return 0;
    }
    if (ro->has_prior) {
        double pd = 1 / (se * se), pp = 1 / (ro->prior_sd * ro->prior_sd), prec = pd + pp;
        m = (r->lift * pd + ro->prior_mean * pp) / prec;
        se = sqrt(1 / prec);
    }
    return dcx_bayes_normal(m, se, x->o->alpha, b, err) == DCX_OK ? 1 : (row_note_err(r, "%s", err), 0);
}

/* --method bayesian: the family's posterior (Beta-Binomial for counts), else the normal
 * posterior of the difference, or under --difference relative or a --prior the normal
 * posterior of the relative effect; significant when the credible interval excludes 0. The
 * chance to beat control and the expected loss are in the metric's good direction s:
 * P(s·Δ > 0) and E[max(−s·Δ, 0)] (for s = −1: 1 − P(Δ > 0), and E[max(Δ, 0)] =
 * E[Δ] + E[max(−Δ, 0)]); the risk relative to |control| (on the relative scale: the loss). */
static void posterior(const run_t *x, const cmp_family_t *f, const cell_t *c, const cell_t *t,
                      cmp_t *r)
{
    dcx_error_t err;
    dcx_error_clear(&err);
    dcx_bayes_result_t b;
    int rel = x->relative || x->roles[r->m].has_prior;
    dcx_status_t st;
    if (rel) {
        r->test = "normal-posterior";
        if (!relative_posterior(x, r, &b, &err)) {
            r->stat = r->p = NAN;
            return;
        }
        st = DCX_OK;
    } else {
        st = f->posterior ? f->posterior(c, t, x->o->alpha, &b, &err)
                          : dcx_bayes_normal(r->diff, r->se, x->o->alpha, &b, &err);
        r->test = f->posterior ? f->posterior_name : "normal-posterior";
    }
    if (st) {
        row_note_err(r, "%s", &err);
    } else {
        int s = x->roles ? x->roles[r->m].dir : 1;
        r->pbc = s > 0 ? b.prob_beat_control : 1 - b.prob_beat_control;
        r->loss = s > 0 ? b.expected_loss : fmax(0, b.mean + b.expected_loss);
        double mc = isfinite(r->q_c) ? r->q_c : r->mean_c;
        if (rel)
            r->risk_rel = r->loss;
        else if (isfinite(mc) && mc != 0)
            r->risk_rel = r->loss / fabs(mc);
        else
            row_note(r, "risk_relative: the control mean is 0 or undefined", NULL);
        r->cr_lo = b.ci_lo, r->cr_hi = b.ci_hi;
        r->sig = b.ci_lo > 0 || b.ci_hi < 0;
        if (x->roles[r->m].has_prior)
            row_note(r, "bayesian with a prior on the relative effect: the posterior, chance to "
                        "win, loss and credible interval are of the lift",
                     NULL);
        else if (rel)
            row_note(r, "relative: the posterior, chance to win, loss and credible interval are "
                        "of the lift",
                     NULL);
    }
    r->stat = r->p = NAN;
}

/* --difference relative, frequentist: the test of the lift by its delta-method SE, with the
 * row's distribution (Welch's t or normal), as gbstats' difference_type="relative". */
static void relative_test(cmp_t *r)
{
    if (!isfinite(r->lift) || !(r->lift_se > 0)) {
        row_note(r, "relative: the lift or its standard error is undefined, so no test", NULL);
        r->stat = r->p = NAN;
        return;
    }
    r->stat = r->lift / r->lift_se;
    r->p = fmin(1, 2 * cmp_tail(r, fabs(r->stat), 1));
    row_note(r, "relative: the statistic, p-value and significance test the lift; diff_ci is "
                "the absolute difference's interval",
             NULL);
}

/* --method sequential, always valid: the difference's mSPRT, and the lift's with its
 * delta-method variance and the same mixture (τ² of the lift = ρ²·n·V of the lift). */
static void always_valid(const run_t *x, const arm_t a[2], cmp_t *r)
{
    double alpha = x->o->alpha;
    dcx_error_t err;
    dcx_error_clear(&err);
    double v = r->se * r->se, n = a[0].n + a[1].n;
    const role_t *ro = &x->roles[r->m];
    /* --one-sided: the one-sided sequence in the good direction (not for guardrails, whose
     * margin tests are their own), tuned as gbstats does with 2α */
    r->one_sided = x->o->one_sided && ro->kind != ROLE_GUARDRAIL;
    r->dir = ro->dir;
    r->tau2 = !isnan(x->o->tau) ? x->o->tau
                                : dcx_msprt_tau2_default(r->one_sided ? 2 * alpha : alpha, n, v, x->o->tuning);
    if (isfinite(r->lift_se) && r->lift_se > 0)
        r->tau2_lift = r->tau2 * (r->lift_se * r->lift_se) / v;
    double p, lo, hi;
    int rel = x->relative;
    if (rel && !(r->tau2_lift > 0 && isfinite(r->lift))) {
        row_note(r, "relative: the lift or its standard error is undefined, so no test", NULL);
        r->p = NAN;
    } else if (r->one_sided ? dcx_msprt_one_sided(rel ? r->lift : r->diff, rel ? r->lift_se * r->lift_se : v,
                                                  rel ? r->tau2_lift : r->tau2, alpha, r->dir, &p, &lo, &err)
                            : dcx_msprt(rel ? r->lift : r->diff, rel ? r->lift_se * r->lift_se : v,
                                        rel ? r->tau2_lift : r->tau2, alpha, &p, &lo, &hi, &err)) {
        row_note_err(r, "%s", &err);
        r->p = NAN;
    } else {
        r->p = p;
    }
    r->stat = rel ? r->lift / r->lift_se : r->diff / r->se;
    r->test = "msprt";
    cmp_interval_at(x, r, 0, alpha, &r->lo, &r->hi);
    cmp_interval_at(x, r, 1, alpha, &r->lift_lo, &r->lift_hi);
}

void cmp_cells(run_t *x, size_t mi, const cell_t *c, const cell_t *t, cmp_t *r, const char *where)
{
    const metric_t *m = &x->d.metrics[mi];
    double alpha = x->o->alpha;
    row_init(r, mi);
    r->n_c = c->m.n, r->n_t = t->m.n;
    r->miss_c = c->missing, r->miss_t = t->missing;
    if (c->m.n == 0 || t->m.n == 0) {
        row_note(r, "no units with a value in the %s arm", c->m.n == 0 ? "control" : "treatment");
        return;
    }
    const cmp_family_t *f = family_of(m);
    arm_t a[2]; /* 0 control, 1 treatment */
    f->arms(x, m, c, t, r, a);
    if (!estimate(x, m, f, c, t, a, r, where))
        return;
    /* --post-stratify: the stratified estimate, tested by z, its posterior the normal one */
    int ps = x->ps_level && ps_row(x, m, c, t, r);
    /* the frequentist interval and test (also the reference interval for bayesian) */
    dcx_error_t err;
    dcx_error_clear(&err);
    if (ps ? cmp_test_z(x, r, &err) : f->test(x, c, t, a, r, &err))
        row_note_err(r, "%s", &err);
    if (x->method == M_FREQ)
        warn_test_not_taken(x, m, r);
    cmp_interval_at(x, r, 0, alpha, &r->lo, &r->hi);
    cmp_interval_at(x, r, 1, alpha, &r->lift_lo, &r->lift_hi);
    if (isfinite(r->lift) && r->lift_se > 0 && !isfinite(r->lift_lo) && !isfinite(r->lift_hi)
        && x->lift_iv != LIFT_DELTA && !x->relative && (x->method == M_FREQ || x->method == M_BAYES))
        row_note(r, x->lift_iv == LIFT_FIELLER
                        ? "lift_ci: Fieller's interval is unbounded (the control mean is not clearly "
                          "away from 0); --lift-interval delta gives the delta method's"
                        : "lift_ci: the log of the ratio is undefined (the arms' means differ in sign)",
                 NULL);
    if (x->test == T_AUTO && x->method == M_FREQ && !ps) /* a stratified row is tested by z */
        f->approx(x, m, c, t, a, where);
    if (x->relative && (x->method == M_FREQ || x->method == M_GSEQ))
        relative_test(r);
    if (x->method == M_BAYES)
        posterior(x, ps ? &cmp_mean : f, c, t, r); /* cmp_mean: the normal posterior */
    else if (x->method == M_SEQ)
        always_valid(x, a, r);
    else if (x->method == M_GSEQ)
        gs_row(x, r);
}
