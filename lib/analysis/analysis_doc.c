/* analysis_doc.c — the parts of the `dcx analyze` document built from the rows: each
 * result (arms, difference, lift, tests, role, cap, notes), the SRM checks of a level,
 * the cumulative timeline and the heterogeneity of each segment column's levels (Cochran's
 * Q). docs/formats.md describes the document, docs/schema/analyze.schema.json checks it. */
#include "analyze_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/moments.h"
#include "doc_util.h"

static void arm_doc(cJSON *parent, const char *key, double n, double missing, double mean,
                    double sd, double quantile, int is_quantile, int from_summary)
{
    cJSON *a = doc_obj(parent, key);
    doc_num(a, "n", n);
    if (from_summary)
        doc_num_or_null(a, "missing", NAN, "missing values are not in a summary");
    else
        doc_num(a, "missing", missing);
    doc_num_or_null(a, "mean", mean, "no units");
    doc_num_or_null(a, "sd", sd, n < 2 ? "fewer than 2 units" : "undefined");
    if (is_quantile)
        doc_num_or_null(a, "quantile", quantile, "no units");
}

/* The SRM check of one level's units: the chi-square over the designed variants against
 * their shares; a variant with units that is not in the design is a mismatch of its own.
 * Written into o (NULL: only checked); pre: the check made before, not made again.
 * @return 0, or -1 when out of memory. */
static int srm_doc(cJSON *o, const run_t *x, const double *units, int with_expected,
                   const dcx_srm_result_t *pre, dcx_srm_result_t *res, int *ok, int *checked)
{
    size_t n = x->nvar;
    double small[3][8], *counts = small[0], *shares = small[1], *expected = small[2];
    if (n + 1 > 8) { /* few variants (the usual case) need no allocation per level */
        counts = calloc(n + 1, sizeof *counts), shares = calloc(n + 1, sizeof *shares);
        expected = calloc(n + 1, sizeof *expected);
    }
    dcx_error_t err;
    dcx_error_clear(&err);
    *ok = 0;
    *checked = 0;
    res->mismatch = 0;
    if (!counts || !shares || !expected) {
        free(counts);
        free(shares);
        free(expected);
        return -1;
    }
    cJSON *c = o ? doc_obj(o, "counts") : NULL;
    size_t nd = 0;
    int stray = 0;
    for (size_t i = 0; i < n; i++) {
        double u = units[x->order[i]];
        if (o)
            doc_num_copykey(c, x->names[i], u);
        if (x->designed[i]) {
            counts[nd] = u;
            shares[nd++] = x->share[i];
        } else if (u > 0) {
            stray = 1;
        }
    }
    dcx_status_t st;
    if (pre && nd >= 2) {
        *res = *pre;
        st = DCX_OK;
    } else {
        st = nd >= 2 ? dcx_srm_check(counts, shares, nd, x->o->srm_threshold, expected, res, &err)
                     : dcx_error_set(&err, DCX_EDOM, "fewer than two designed variants");
    }
    *checked = st == DCX_OK;
    if (o && with_expected) {
        cJSON *e = doc_obj(o, "expected");
        for (size_t i = 0, k = 0; i < n; i++)
            doc_num_copykey(e, x->names[i], x->designed[i] ? (st ? NAN : expected[k++]) : 0);
    }
    if (o) {
        doc_num_or_null(o, "chi2", st ? NAN : res->chi2, err.message);
        doc_num_or_null(o, "p_value", st ? NAN : res->p_value, err.message);
    }
    if (stray) {
        if (o) {
            doc_bool(o, "mismatch", 1);
            doc_note(o, "a variant with units is not in the design");
        }
        res->mismatch = 1;
        *ok = 1;
    } else if (st) {
        if (o)
            doc_null(o, "mismatch");
    } else {
        if (o)
            doc_bool(o, "mismatch", res->mismatch);
        *ok = 1;
    }
    if (counts != small[0]) {
        free(counts);
        free(shares);
        free(expected);
    }
    return st == DCX_ENOMEM ? -1 : 0;
}

int adoc_srm_overall(run_t *x, cJSON *srm)
{
    dcx_srm_result_t sr;
    int ok, checked;
    if (srm_doc(srm, x, x->d.levels[0].units, 1, NULL, &sr, &ok, &checked))
        x->oom = 1;
    if (!ok || !sr.mismatch)
        return 0;
    if (isfinite(sr.p_value))
        run_warn(x, "sample ratio mismatch: p = %.3g < %g; the split is not what was designed, "
                    "so the results may be biased",
                 sr.p_value, x->o->srm_threshold);
    else
        run_warn(x, "sample ratio mismatch: the split is not what was designed, so the results "
                    "may be biased");
    return 1;
}

cJSON *adoc_srm_level(const run_t *x, size_t li, dcx_srm_result_t *sr, int *mismatch, int *checked)
{
    const level_t *l = &x->d.levels[x->levels[li]];
    cJSON *e = cJSON_CreateObject();
    int ok;
    *sr = (dcx_srm_result_t){NAN, NAN, NAN, 0};
    doc_str(e, "segment", x->d.segs[l->seg]);
    doc_str(e, "segment_value", l->value);
    /* a check made once is not made again (one that failed is, for its note) */
    const dcx_srm_result_t *pre = x->srm_lvl && x->srm_lvl_ok[li] ? &x->srm_lvl[li] : NULL;
    int lost = srm_doc(e, x, l->units, 0, pre, sr, &ok, checked);
    *mismatch = ok && sr->mismatch;
    if (lost || !e) {
        cJSON_Delete(e);
        return NULL;
    }
    return e;
}

int adoc_srm_segments(run_t *x)
{
    int gate = 0;
    if (x->nlev > 1) { /* the checks, kept for the entries made when written */
        x->srm_lvl = calloc(x->nlev, sizeof *x->srm_lvl);
        x->srm_lvl_ok = calloc(x->nlev, 1);
        if (!x->srm_lvl || !x->srm_lvl_ok) {
            x->oom = 1;
            return 0;
        }
    }
    for (size_t li = 1; li < x->nlev; li++) {
        const level_t *l = &x->d.levels[x->levels[li]];
        int ok, checked;
        dcx_srm_result_t sr = {NAN, NAN, NAN, 0};
        if (srm_doc(NULL, x, l->units, 0, NULL, &sr, &ok, &checked))
            x->oom = 1;
        int mismatch = ok && sr.mismatch;
        x->srm_lvl[li] = sr;
        x->srm_lvl_ok[li] = (unsigned char)checked;
        if (mismatch) {
            run_warn_repeat(x, "segment-srm", "a segment level's split is off (sample ratio mismatch)",
                            "sample ratio mismatch in segment %s=%s: p = %.3g < %g", x->d.segs[l->seg],
                            l->value, sr.p_value, x->o->srm_threshold);
            gate = 1;
        }
    }
    return gate;
}

/* [lo, hi]; a one-sided interval as [lo, null] or [null, hi]; null when undefined */
static void interval_doc(cJSON *o, const char *key, double lo, double hi)
{
    if (isfinite(lo) && isfinite(hi)) {
        doc_interval(o, key, lo, hi, NULL);
    } else if (isfinite(lo) || isfinite(hi)) {
        cJSON *a = doc_arr(o, key);
        doc_push(a, isfinite(lo) ? cJSON_CreateNumber(lo) : cJSON_CreateNull());
        doc_push(a, isfinite(hi) ? cJSON_CreateNumber(hi) : cJSON_CreateNull());
    } else {
        doc_null(o, key);
    }
}

cJSON *adoc_result(const run_t *x, const cmp_t *row)
{
    /* the notes this function adds go to a copy: the row stays as it was, so that its
     * document can be made again (a view that walks the results twice) */
    cmp_t copy = *row, *r = &copy;
    if (row->note && !(copy.note = strdup(row->note)))
        return NULL;
    const data_t *d = &x->d;
    const metric_t *m = &d->metrics[r->m];
    const level_t *l = &d->levels[r->level];
    cJSON *o = cJSON_CreateObject();
    int q = m->type == MT_QUANTILE;
    doc_str(o, "metric", m->name);
    doc_str(o, "type", mtype_name(m->type));
    doc_num(o, "quantile", q ? m->q : NAN);
    doc_str(o, "segment", l->seg < 0 ? "all" : d->segs[l->seg]);
    doc_str(o, "segment_value", l->value);
    doc_str(o, "variant", d->variants.keys[r->t]);
    arm_doc(o, "control", r->n_c, r->miss_c, r->mean_c, r->sd_c, r->q_c, q, d->from_summary);
    arm_doc(o, "treatment", r->n_t, r->miss_t, r->mean_t, r->sd_t, r->q_t, q, d->from_summary);
    doc_num(o, "diff", r->diff);
    interval_doc(o, "diff_ci", r->lo, r->hi);
    doc_num(o, "lift", r->lift);
    interval_doc(o, "lift_ci", r->lift_lo, r->lift_hi);
    doc_num(o, "statistic", r->stat);
    doc_num(o, "p_value", r->p);
    doc_num(o, "p_adjusted", r->padj);
    if (r->sig < 0)
        doc_null(o, "significant");
    else
        doc_bool(o, "significant", r->sig);
    doc_num(o, "prob_beat_control", r->pbc);
    doc_num(o, "expected_loss", r->loss);
    doc_num(o, "risk_relative", r->risk_rel);
    interval_doc(o, "credible_interval", r->cr_lo, r->cr_hi);
    if (x->method == M_BAYES && x->roles[r->m].has_prior) {
        cJSON *pr = doc_obj(o, "prior");
        doc_num(pr, "mean", x->roles[r->m].prior_mean);
        doc_num(pr, "sd", x->roles[r->m].prior_sd);
    }
    doc_num(o, "theta", r->theta);
    doc_num(o, "variance_reduction", r->vr);
    if (x->d.strat_col) { /* --post-stratify: the strata estimated, null where not applied */
        if (r->strata >= 2)
            doc_num(o, "strata", (double)r->strata);
        else
            doc_null(o, "strata");
    }
    doc_str(o, "test", r->test);
    int guard = r->role == ROLE_GUARDRAIL;
    char fam[300];
    doc_str(o, "role", guard ? "guardrail" : r->role == ROLE_GOAL ? "goal" : "secondary");
    cJSON *f = cJSON_CreateString(family_name(x, r, fam, sizeof fam)); /* a column's name: copied */
    if (!f || !cJSON_AddItemToObject(o, "family", f)) {
        cJSON_Delete(f);
        doc_fail();
    }
    doc_str(o, "direction", r->dir < 0 ? "decrease" : "increase");
    doc_num(o, "margin", guard ? r->margin : NAN);
    doc_num(o, "ni_p_value", guard ? r->ni_p : NAN);
    doc_num(o, "ni_probability", guard ? r->ni_prob : NAN);
    if (guard && x->method == M_BAYES && isfinite(r->ni_prob))
        doc_bool(o, "non_inferior", r->ni_prob >= 1 - x->o->alpha);
    else if (guard && isfinite(r->ni_p))
        doc_bool(o, "non_inferior", r->ni_p < x->o->alpha);
    else
        doc_null(o, "non_inferior");
    if (m->cap_on) { /* the thresholds, and what they changed over every arm */
        cJSON *c = doc_obj(o, "cap");
        doc_num(c, "lower", m->cap_lo);
        doc_num(c, "upper", m->cap_hi);
        doc_bool(c, "ignore_zeros", m->cap_ignore_zeros);
        doc_num(c, "capped_n", m->capped_n);
        doc_num(c, "capped_share", m->cap_values > 0 ? m->capped_n / m->cap_values : NAN);
    } else {
        doc_null(o, "cap");
    }
    if (x->method == M_GSEQ) {
        if (r->crossed_at > 0)
            doc_num(o, "boundary_crossed_at", r->crossed_at);
        else
            doc_null(o, "boundary_crossed_at");
    }
    interval_doc(o, "diff_ci_adjusted", r->lo_adj, r->hi_adj);
    interval_doc(o, "lift_ci_adjusted", r->lift_lo_adj, r->lift_hi_adj);
    if (m->type == MT_NPS)
        row_note(r, "lift is not defined for NPS", NULL);
    if (r->one_sided)
        row_note(r, r->dir > 0 ? "one-sided: p-value and intervals test an increase"
                                        : "one-sided: p-value and intervals test a decrease",
                 NULL);
    if (r->family == FAM_SEGMENT)
        row_note(r, "exploratory: a segment level, corrected only within its metric and "
                             "segment column",
                 NULL);
    if (r->adjusted_by && x->ngoals * x->ntreat > 1 && isfinite(r->padj))
        row_note(r, "p_adjusted by %s over the goal family: the decision's tests are "
                             "always corrected",
                 r->adjusted_by);
    if (r->note)
        doc_str(o, "note", r->note);
    if (r->lost)
        doc_fail(); /* a result without its note would mislead */
    free(copy.note);
    return o;
}

/* One look of a sequential timeline, from its comparison r. */
static void look_of(const cmp_t *r, look_t *lk)
{
    lk->diff = r->diff, lk->v = r->se * r->se, lk->tau2 = r->tau2;
    lk->lift = r->lift, lk->lift_v = r->lift_se * r->lift_se, lk->tau2_lift = r->tau2_lift;
}

/* The cumulative timeline, all units, one entry per metric × treatment × period. Under
 * sequential the p-value is the running minimum and the interval the running intersection
 * of the looks' confidence sequences (so the interval excludes 0 exactly when the p-value
 * is below alpha); both become the overall row's, whose looks are kept. */
dcx_status_t adoc_timeline(run_t *x, cJSON *timeline, cmp_t *rows, dcx_error_t *err)
{
    const data_t *d = &x->d;
    size_t np = d->nperiods;
    if (!np)
        return DCX_OK;
    size_t *po;
    dcx_status_t st = order_periods(x, &po, err);
    if (st)
        return st;
    int gs = x->method == M_GSEQ;
    cJSON **ents = NULL;
    if (((x->method == M_SEQ || gs) && !(x->looks = calloc(d->nm * x->ntreat * np + 1, sizeof *x->looks)))
        || (gs && !(ents = calloc(np + 1, sizeof *ents)))) {
        free(po);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    double alpha = x->o->alpha;
    test_t saved_test = x->test;
    if (x->test == T_MW)
        x->test = T_AUTO; /* periods keep moments, not values */
    x->quiet = 1; /* early periods are small: their warnings would only repeat */
    for (size_t mi = 0; mi < d->nm; mi++) {
        if (d->metrics[mi].type == MT_QUANTILE) {
            x->quiet = 0;
            run_warn(x, "metric '%s' is a quantile: the timeline, which adds up moments period by "
                        "period, has no entries for it",
                     d->metrics[mi].name);
            x->quiet = 1;
            continue;
        }
        for (size_t ti = 0; ti < x->ntreat; ti++) {
            size_t v = x->treat[ti];
            look_t *looks = x->looks ? &x->looks[(mi * x->ntreat + ti) * np] : NULL;
            cell_t cc, ct;
            cell_ext_t ecc, ect; /* ratio CUPED: the running covariate pair's sums */
            memset(&cc, 0, sizeof cc);
            memset(&ct, 0, sizeof ct);
            memset(&ecc, 0, sizeof ecc);
            memset(&ect, 0, sizeof ect);
            if (d->metrics[mi].cov2)
                cc.ext = &ecc, ct.ext = &ect; /* so that the merges below never allocate */
            double best = INFINITY;
            for (size_t pi = 0; pi < np; pi++) {
                const level_t *pl = &d->periods[po[pi]];
                const cell_t *a = level_cell(d, pl, x->control, mi), *b = level_cell(d, pl, v, mi);
                (void)cell_merge_moments(&cc, a); /* (their ext is set: no allocation) */
                cc.ones += a->ones, cc.neg += a->neg, cc.missing += a->missing;
                (void)cell_merge_moments(&ct, b);
                ct.ones += b->ones, ct.neg += b->neg, ct.missing += b->missing;
                cmp_t r;
                memset(&r, 0, sizeof r);
                cmp_cells(x, mi, &cc, &ct, &r, "timeline");
                if (looks && gs) {
                    look_of(&r, &looks[pi]);
                    r.looks = looks, r.nlooks = pi + 1;
                    cmp_interval_at(x, &r, 0, alpha, &r.lo, &r.hi);
                } else if (looks) {
                    look_of(&r, &looks[pi]);
                    r.looks = looks, r.nlooks = pi + 1;
                    cmp_interval_at(x, &r, 0, alpha, &r.lo, &r.hi);
                    if (isfinite(r.p)) {
                        best = fmin(best, r.p);
                        r.p = best;
                    }
                    if (isfinite(r.diff) && r.se > 0 && !isfinite(r.lo))
                        row_note(&r, "the looks' confidence sequences do not overlap", NULL);
                }
                cJSON *e = cJSON_CreateObject();
                doc_str(e, "period", pl->value);
                doc_str(e, "metric", d->metrics[mi].name);
                doc_str(e, "variant", d->variants.keys[v]);
                doc_num(e, "n_control", cc.m.n);
                doc_num(e, "n_treatment", ct.m.n);
                doc_num(e, "diff", r.diff);
                interval_doc(e, "diff_ci", r.lo, r.hi);
                if (gs) {
                    ents[pi] = e;
                    double h = x->gs_b[pi] * r.se;
                    int os = r.one_sided;
                    interval_doc(e, "boundary", os && r.dir > 0 ? NAN : -h, os && r.dir < 0 ? NAN : h);
                } else {
                    doc_num(e, "p_value", r.p);
                }
                if (r.note)
                    doc_str(e, "note", r.note);
                free(r.note);
                x->oom |= r.lost;
                doc_push(timeline, e);
            }
            /* sequential: the overall row is the last look; its p-value the running minimum
             * and its intervals the running intersection over every look */
            cmp_t *all = &rows[row_at(x, mi, 0, ti)];
            if (gs) {
                double pk[GS_MAX_LOOKS + 1];
                for (size_t pi = 0; pi < np; pi++)
                    pk[pi] = NAN;
                if (isfinite(all->diff) && all->se > 0) {
                    all->looks = looks, all->nlooks = np;
                    gs_path(x, all, pk);
                }
                for (size_t pi = 0; pi < np; pi++) /* p_value after diff_ci and boundary */
                    doc_num(ents[pi], "p_value", pk[pi]);
            } else if (looks && isfinite(all->diff) && all->se > 0) {
                all->looks = looks, all->nlooks = np;
                if (isfinite(best) && isfinite(all->p))
                    all->p = fmin(all->p, best);
                cmp_interval_at(x, all, 0, alpha, &all->lo, &all->hi);
                cmp_interval_at(x, all, 1, alpha, &all->lift_lo, &all->lift_hi);
                if (!isfinite(all->lo))
                    row_note(all, "the looks' confidence sequences do not overlap", NULL);
            }
        }
    }
    x->quiet = 0;
    x->test = saved_test;
    free(po);
    free(ents);
    return DCX_OK;
}

/* One entry per metric × treatment × segment column: Cochran's Q over the column's
 * levels that have a standard error. */
void adoc_heterogeneity(const run_t *x, cJSON *het, const cmp_t *rows, double *est, double *se)
{
    const data_t *d = &x->d;
    for (size_t mi = 0; mi < d->nm; mi++)
        for (size_t ti = 0; ti < x->ntreat; ti++)
            for (size_t sg = 0; sg < d->nseg; sg++) {
                size_t k = 0, levels_seen = 0;
                for (size_t li = x->seg_lo[sg]; li < x->seg_hi[sg]; li++) {
                    const cmp_t *r = &rows[row_at(x, mi, li, ti)];
                    levels_seen++;
                    if (isfinite(r->diff) && r->se > 0 && isfinite(r->se)) {
                        est[k] = r->diff;
                        se[k++] = r->se;
                    }
                }
                double q, df, p;
                dcx_error_t herr;
                dcx_error_clear(&herr);
                dcx_status_t hs = dcx_cochran_q(est, se, k, &q, &df, &p, &herr);
                cJSON *e = cJSON_CreateObject();
                doc_str(e, "metric", d->metrics[mi].name);
                doc_str(e, "variant", d->variants.keys[x->treat[ti]]);
                doc_str(e, "segment", d->segs[sg]);
                doc_num(e, "q", hs ? NAN : q);
                doc_num(e, "df", hs ? NAN : df);
                doc_num(e, "p_value", hs ? NAN : p);
                if (hs)
                    doc_str(e, "note", herr.message);
                else if (k < levels_seen)
                    doc_str(e, "note", "levels without a standard error are left out");
                doc_push(het, e);
            }
}

/* ---- data health ------------------------------------------------------------------------ */

void adoc_health(run_t *x, cJSON *health)
{
    const data_t *d = &x->d;
    const rowsel_t *sel = &d->sel;
    if (sel->excluded_n > 0) {
        double share = sel->excluded_n / sel->units_n;
        cJSON *m = doc_obj(health, "multiple_exposures");
        doc_num(m, "units", sel->excluded_n);
        doc_num(m, "share", share);
        run_warn(x, "%.0f unit%s (%.3g%% of %.0f) %s found under more than one variant and %s left "
                    "out of every comparison (--unit-column %s)",
                 sel->excluded_n, sel->excluded_n == 1 ? "" : "s", 100 * share, sel->units_n,
                 sel->excluded_n == 1 ? "was" : "were", sel->excluded_n == 1 ? "is" : "are",
                 sel->unit_col);
    }
    if (d->no_variant > 0) {
        doc_num(doc_obj(health, "no_variant"), "rows", d->no_variant);
        run_warn(x, "%.0f row%s with an empty '%s' cell %s left out (units in no variant)",
                 d->no_variant, d->no_variant == 1 ? "" : "s", d->variant_col,
                 d->no_variant == 1 ? "is" : "are");
    }
    if (d->filtered_out > 0)
        doc_num(doc_obj(health, "filtered_out"), "rows", d->filtered_out);
    /* a cap should trim a tail, not reshape the metric */
    for (size_t i = 0; i < d->nm; i++) {
        const metric_t *m = &d->metrics[i];
        if (!m->cap_on || !(m->cap_nonzero > 0) || !(m->capped_n > 0.10 * m->cap_nonzero))
            continue;
        int pct = !isnan(m->cap_plo) || !isnan(m->cap_phi);
        run_warn(x, "metric '%s': the cap (%s) changes %.1f%% of its non-zero values (%.0f of %.0f), "
                    "which reshapes the metric rather than trimming its tail: %s%s%s",
                 m->name, m->cap_spec, 100 * m->capped_n / m->cap_nonzero, m->capped_n,
                 m->cap_nonzero,
                 !pct ? "give a percentile (--cap NAME=pQ) or a higher value"
                 : m->cap_ignore_zeros ? "give a higher percentile"
                                       : "take the percentile of the non-zero values (--cap-ignore-zeros ",
                 pct && !m->cap_ignore_zeros ? m->name : "",
                 pct && !m->cap_ignore_zeros ? ") or give a higher one" : "");
    }
}
