/* roles.c — the role of each metric in the decision: a goal (--goal) decides, a
 * guardrail (--guardrail, with its margin) must not get worse than the margin, any other
 * metric is secondary and informs; each has a good direction (--direction). And what the
 * role adds to a comparison: a guardrail's non-inferiority test and its test of being
 * worse than the margin (under bayesian, the normal posterior's probability of staying
 * within the margin), a goal's or secondary metric's one-sided p-values (R's alternative =
 * "greater" / "less"). */
#include "analyze_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

/* --goal METRIC */
static dcx_status_t parse_goal(run_t *x, const char *spec, dcx_error_t *err)
{
    if (strchr(spec, '='))
        return dcx_error_set(err, DCX_EINVAL, "--goal '%s': write --goal METRIC (its direction with "
                                              "--direction METRIC=increase|decrease)",
                             spec);
    long mi = metric_index(&x->d, spec, strlen(spec));
    if (mi < 0)
        return dcx_error_set(err, DCX_EINVAL, "--goal '%s': no --metric of that name", spec);
    x->roles[mi].kind = ROLE_GOAL;
    return DCX_OK;
}

/* --direction METRIC=increase|decrease, --guardrail METRIC=MARGIN */
static dcx_status_t parse_pair_spec(run_t *x, const char *spec, int guard, dcx_error_t *err)
{
    const char *flag = guard ? "--guardrail" : "--direction", *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return dcx_error_set(err, DCX_EINVAL, "%s '%s': write METRIC=%s", flag, spec,
                             guard ? "MARGIN (e.g. revenue=2%)" : "increase|decrease");
    long mi = metric_index(&x->d, spec, (size_t)(eq - spec));
    if (mi < 0)
        return dcx_error_set(err, DCX_EINVAL, "%s '%s': no --metric of that name", flag, spec);
    role_t *ro = &x->roles[mi];
    const char *v = eq + 1;
    if (!guard) {
        if (!strcmp(v, "increase"))
            ro->dir = 1;
        else if (!strcmp(v, "decrease"))
            ro->dir = -1;
        else
            return dcx_error_set(err, DCX_EINVAL, "--direction '%s': the direction is increase or decrease",
                                 spec);
        ro->dir_stated = 1;
        return DCX_OK;
    }
    size_t len = strlen(v);
    int pct = len > 1 && v[len - 1] == '%';
    double mg;
    if (!dcx_parse_number(v, pct ? len - 1 : len, &mg) || !(mg >= 0))
        return dcx_error_set(err, DCX_EINVAL,
                             "--guardrail '%s': the margin is a number >= 0, absolute (0.002) "
                             "or relative to the control mean (2%%)",
                             spec);
    if (ro->kind == ROLE_GUARDRAIL)
        return dcx_error_set(err, DCX_EINVAL, "--guardrail '%s': metric given twice", spec);
    if (ro->kind == ROLE_GOAL)
        return dcx_error_set(err, DCX_EINVAL,
                             "--guardrail '%s': metric '%s' is a goal (--goal); a metric is a goal "
                             "or a guardrail, not both",
                             spec, x->d.metrics[mi].name);
    if (x->d.metrics[mi].type == MT_NPS && pct)
        return dcx_error_set(err, DCX_EINVAL,
                             "--guardrail '%s': NPS has no relative change; give the margin in NPS points",
                             spec);
    ro->kind = ROLE_GUARDRAIL;
    ro->relative = pct;
    ro->margin = pct ? mg / 100 : mg;
    return DCX_OK;
}

/* --prior METRIC=MEAN,SD: a normal prior on the metric's relative effect */
static dcx_status_t parse_prior(run_t *x, const char *spec, dcx_error_t *err)
{
    const char *eq = strchr(spec, '='), *comma = eq ? strchr(eq, ',') : NULL;
    double mean, sd;
    if (!eq || eq == spec || !comma || !dcx_parse_number(eq + 1, (size_t)(comma - eq - 1), &mean)
        || !dcx_parse_number(comma + 1, strlen(comma + 1), &sd) || !isfinite(mean) || !(sd > 0)
        || !isfinite(sd))
        return dcx_error_set(err, DCX_EINVAL,
                             "--prior '%s': write METRIC=MEAN,SD, a normal prior on the relative "
                             "effect (e.g. conv=0,0.1) with SD > 0",
                             spec);
    long mi = metric_index(&x->d, spec, (size_t)(eq - spec));
    if (mi < 0)
        return dcx_error_set(err, DCX_EINVAL, "--prior '%s': no --metric of that name", spec);
    if (x->d.metrics[mi].type == MT_NPS)
        return dcx_error_set(err, DCX_EINVAL, "--prior '%s': NPS has no relative effect", spec);
    if (x->d.metrics[mi].type == MT_QUANTILE)
        return dcx_error_set(err, DCX_EINVAL,
                             "--prior '%s': a quantile metric has no normal posterior of its "
                             "relative effect",
                             spec);
    if (x->roles[mi].has_prior)
        return dcx_error_set(err, DCX_EINVAL, "--prior '%s': metric given twice", spec);
    x->roles[mi].has_prior = 1;
    x->roles[mi].prior_mean = mean;
    x->roles[mi].prior_sd = sd;
    return DCX_OK;
}

dcx_status_t roles_parse(run_t *x, dcx_error_t *err)
{
    const data_t *d = &x->d;
    const dcx_analyze_opts_t *o = x->o;
    x->roles = calloc(d->nm + 1, sizeof *x->roles);
    if (!x->roles)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->nm; i++)
        x->roles[i].dir = 1, x->roles[i].kind = ROLE_SECONDARY;
    dcx_status_t st;
    for (size_t k = 0; k < o->direction.n; k++)
        if ((st = parse_pair_spec(x, o->direction.v[k], 0, err)))
            return st;
    for (size_t k = 0; k < o->goal.n; k++)
        if ((st = parse_goal(x, o->goal.v[k], err)))
            return st;
    for (size_t k = 0; k < o->guardrail.n; k++)
        if ((st = parse_pair_spec(x, o->guardrail.v[k], 1, err)))
            return st;
    if (o->prior.n && x->method != M_BAYES)
        return dcx_error_set(err, DCX_EINVAL, "--prior goes with --method bayesian");
    for (size_t k = 0; k < o->prior.n; k++)
        if ((st = parse_prior(x, o->prior.v[k], err)))
            return st;
    x->ngoals = 0;
    for (size_t i = 0; i < d->nm; i++) {
        x->ngoals += x->roles[i].kind == ROLE_GOAL;
        if (x->roles[i].kind == ROLE_GUARDRAIL && !x->roles[i].dir_stated)
            run_warn(x, "guardrail '%s' is taken as higher-is-better; state --direction",
                     d->metrics[i].name);
    }
    return DCX_OK;
}

/* One tail of the row's own test in the direction dir (+1: treatment higher): the one-
 * sided p-value R gives with alternative = "greater" (dir > 0) or "less". */
static double one_sided_p(const cmp_t *r, const cell_t *c, const cell_t *t, int dir)
{
    if (r->test && !strcmp(r->test, "fisher")) {
        /* fisher.test(alternative = ...): hypergeometric tails of the treatment's successes */
        double a = t->ones, white = t->ones + c->ones, black = t->m.n + c->m.n - white;
        return dir > 0 ? dcx_dist_hyper_cdf(a - 1, white, black, t->m.n, 0)
                       : dcx_dist_hyper_cdf(a, white, black, t->m.n, 1);
    }
    if (r->test && !strcmp(r->test, "mann-whitney")) {
        /* wilcox.test(exact = FALSE, correct = TRUE, alternative = ...) */
        dcx_test_result_t mw;
        dcx_error_t err;
        if (dcx_test_mann_whitney(t->vals, t->nvals, c->vals, c->nvals, &mw, &err))
            return NAN;
        double z = (mw.statistic - (double)t->nvals * (double)c->nvals / 2 - (dir > 0 ? 0.5 : -0.5)) / mw.se;
        return dcx_dist_norm_cdf(z, dir < 0);
    }
    if (!isfinite(r->stat))
        return NAN;
    return cmp_tail(r, r->stat, dir > 0);
}

/* Roles: a guardrail's non-inferiority test (H0: s·diff ≤ −Δ) and the test of being worse
 * than its margin; a goal's or secondary metric's one-sided test in its good direction
 * (--one-sided) and the p-value of its bad direction, which the decision uses. */
void roles_apply(run_t *x, cmp_t *r, const cell_t *c, const cell_t *t)
{
    const role_t *ro = &x->roles[r->m];
    r->dir = ro->dir;
    r->role = ro->kind;
    r->family = x->d.levels[r->level].seg >= 0 ? FAM_SEGMENT
                : ro->kind == ROLE_GOAL        ? FAM_GOAL
                : ro->kind == ROLE_GUARDRAIL   ? FAM_GUARDRAIL
                                               : FAM_SECONDARY;
    if (!isfinite(r->diff) || !(r->se > 0))
        return;
    double alpha = x->o->alpha;
    if (ro->kind == ROLE_GUARDRAIL) {
        double mc = r->q_c;
        if (!isfinite(mc))
            mc = x->d.metrics[r->m].type == MT_QUANTILE ? NAN : r->mean_c;
        if (x->d.metrics[r->m].cov) { /* the adjusted control mean is what the diff refers to */
            mc = r->mean_c;
        }
        r->margin = ro->relative ? ro->margin * fabs(mc) : ro->margin;
        if (!isfinite(r->margin)) {
            row_note(r, "the margin is relative, but the control mean is undefined", NULL);
            return;
        }
        double shifted = ro->dir * r->diff + r->margin;
        if (x->method == M_SEQ) {
            /* always-valid: the mSPRT p-value of the shifted difference, on its side */
            double p, lo, hi, v = r->se * r->se;
            dcx_error_t err;
            if (dcx_msprt(shifted, v, r->tau2, alpha, &p, &lo, &hi, &err) == DCX_OK) {
                r->ni_p = shifted > 0 ? p : 1;
                r->inf_p = shifted < 0 ? p : 1;
            }
        } else if (x->method == M_GSEQ) {
            if (x->d.levels[r->level].seg >= 0) /* an overall row's is on its path (gs_path) */
                gs_guardrail(x, r);
        } else if (x->method == M_BAYES) {
            /* the normal posterior N(diff, SE²): P(s·Δ > −margin | data) */
            r->ni_prob = dcx_dist_norm_cdf(shifted / r->se, 1);
        } else {
            /* t (Welch df) for means, z otherwise */
            double s = shifted / r->se;
            r->ni_p = cmp_tail(r, s, 1);
            r->inf_p = cmp_tail(r, s, 0);
        }
        return;
    }
    if (x->method == M_FREQ) {
        double good = one_sided_p(r, c, t, ro->dir), bad = one_sided_p(r, c, t, -ro->dir);
        r->p_bad = bad;
        if (x->o->one_sided) {
            r->one_sided = 1;
            r->p = good;
            cmp_interval_at(x, r, 0, alpha, &r->lo, &r->hi);
            cmp_interval_at(x, r, 1, alpha, &r->lift_lo, &r->lift_hi);
        }
    }
}
