/* analyze.c — `dcx analyze`: every treatment against control, for every metric, overall
 * and per segment level; SRM, heterogeneity, corrections, timeline; one document. */
#include "dcx/analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analyze_internal.h"
#include "dcx/csv.h"
#include "dcx/moments.h"
#include "dcx/stats.h"
#include "dcx/version.h"
#include "doc_util.h"

static const char *level_label(const run_t *x, size_t level, char *buf, size_t len)
{
    const level_t *l = &x->d.levels[level];
    if (l->seg < 0)
        snprintf(buf, len, "all units");
    else
        snprintf(buf, len, "%s=%s", x->d.segs[l->seg], l->value);
    return buf;
}

/* ---- document ------------------------------------------------------------------------ */

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
 * @return 0, or -1 when out of memory. */
static int srm_doc(cJSON *o, const run_t *x, const double *units, int with_expected,
                   dcx_srm_result_t *res, int *ok)
{
    size_t n = x->nvar;
    double *counts = calloc(n + 1, sizeof *counts), *shares = calloc(n + 1, sizeof *shares),
           *expected = calloc(n + 1, sizeof *expected);
    dcx_error_t err;
    dcx_error_clear(&err);
    *ok = 0;
    res->mismatch = 0;
    if (!counts || !shares || !expected) {
        free(counts);
        free(shares);
        free(expected);
        return -1;
    }
    cJSON *c = doc_obj(o, "counts");
    size_t nd = 0;
    int stray = 0;
    for (size_t i = 0; i < n; i++) {
        double u = units[x->order[i]];
        doc_num_copykey(c, x->names[i], u);
        if (x->designed[i]) {
            counts[nd] = u;
            shares[nd++] = x->share[i];
        } else if (u > 0) {
            stray = 1;
        }
    }
    dcx_status_t st = nd >= 2 ? dcx_srm_check(counts, shares, nd, x->o->srm_threshold, expected, res, &err)
                              : dcx_error_set(&err, DCX_EDOM, "fewer than two designed variants");
    if (with_expected) {
        cJSON *e = doc_obj(o, "expected");
        for (size_t i = 0, k = 0; i < n; i++)
            doc_num_copykey(e, x->names[i], x->designed[i] ? (st ? NAN : expected[k++]) : 0);
    }
    doc_num_or_null(o, "chi2", st ? NAN : res->chi2, err.message);
    doc_num_or_null(o, "p_value", st ? NAN : res->p_value, err.message);
    if (stray) {
        doc_bool(o, "mismatch", 1);
        doc_note(o, "a variant with units is not in the design");
        res->mismatch = 1;
        *ok = 1;
    } else if (st) {
        doc_null(o, "mismatch");
    } else {
        doc_bool(o, "mismatch", res->mismatch);
        *ok = 1;
    }
    free(counts);
    free(shares);
    free(expected);
    return st == DCX_ENOMEM ? -1 : 0;
}

/* [lo, hi]; a one-sided interval as [lo, null] or [null, hi]; null when undefined */
static void interval(cJSON *o, const char *key, double lo, double hi)
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

static cJSON *result_doc(const run_t *x, const cmp_t *r)
{
    const data_t *d = &x->d;
    const metric_t *m = &d->metrics[r->m];
    const level_t *l = &d->levels[r->level];
    cJSON *o = cJSON_CreateObject();
    int q = m->type == MT_QUANTILE;
    doc_str(o, "metric", m->name);
    doc_str(o, "type", mtype_name(m->type));
    doc_str(o, "segment", l->seg < 0 ? "all" : d->segs[l->seg]);
    doc_str(o, "segment_value", l->value);
    doc_str(o, "variant", d->variants.keys[r->t]);
    arm_doc(o, "control", r->n_c, r->miss_c, r->mean_c, r->sd_c, r->q_c, q, d->from_summary);
    arm_doc(o, "treatment", r->n_t, r->miss_t, r->mean_t, r->sd_t, r->q_t, q, d->from_summary);
    doc_num(o, "diff", r->diff);
    interval(o, "diff_ci", r->lo, r->hi);
    doc_num(o, "lift", r->lift);
    interval(o, "lift_ci", r->lift_lo, r->lift_hi);
    doc_num(o, "statistic", r->stat);
    doc_num(o, "p_value", r->p);
    doc_num(o, "p_adjusted", r->padj);
    if (r->sig < 0)
        doc_null(o, "significant");
    else
        doc_bool(o, "significant", r->sig);
    doc_num(o, "prob_beat_control", r->pbc);
    doc_num(o, "expected_loss", r->loss);
    interval(o, "credible_interval", r->cr_lo, r->cr_hi);
    doc_num(o, "theta", r->theta);
    doc_num(o, "variance_reduction", r->vr);
    doc_str(o, "test", r->test);
    doc_str(o, "role", r->guardrail ? "guardrail" : "success");
    doc_str(o, "direction", r->dir < 0 ? "decrease" : "increase");
    doc_num(o, "margin", r->guardrail ? r->margin : NAN);
    doc_num(o, "ni_p_value", r->guardrail ? r->ni_p : NAN);
    if (r->guardrail && isfinite(r->ni_p))
        doc_bool(o, "non_inferior", r->ni_p < x->o->alpha);
    else
        doc_null(o, "non_inferior");
    if (m->cap_on) {
        cJSON *c = doc_obj(o, "cap");
        doc_num(c, "lower", m->cap_lo);
        doc_num(c, "upper", m->cap_hi);
    } else {
        doc_null(o, "cap");
    }
    interval(o, "diff_ci_adjusted", r->lo_adj, r->hi_adj);
    interval(o, "lift_ci_adjusted", r->lift_lo_adj, r->lift_hi_adj);
    if (m->type == MT_NPS)
        row_note((cmp_t *)r, "lift is not defined for NPS", NULL);
    if (r->one_sided)
        row_note((cmp_t *)r, r->dir > 0 ? "one-sided: p-value and intervals test an increase"
                                    : "one-sided: p-value and intervals test a decrease",
             NULL);
    if (r->note)
        doc_str(o, "note", r->note);
    return o;
}

/* ---- the run ---------------------------------------------------------------------------- */

static dcx_status_t parse_options(run_t *x, dcx_error_t *err)
{
    const dcx_analyze_opts_t *o = x->o;
    if (!o->input == !o->summary.n)
        return dcx_error_set(err, DCX_EINVAL, "give --input UNITS.csv or --summary STATS.csv");
    if (!(o->alpha > 0 && o->alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "--alpha must be in (0, 1)");
    const char *m = o->method ? o->method : "frequentist";
    x->method = !strcmp(m, "bayesian") ? M_BAYES : !strcmp(m, "sequential") ? M_SEQ : M_FREQ;
    const char *t = o->test ? o->test : "auto";
    x->test = !strcmp(t, "z")              ? T_Z
              : !strcmp(t, "fisher")       ? T_FISHER
              : !strcmp(t, "welch")        ? T_WELCH
              : !strcmp(t, "mann-whitney") ? T_MW
                                           : T_AUTO;
    if ((x->test == T_FISHER || x->test == T_MW) && o->summary.n)
        return dcx_error_set(err, DCX_ENOTSUP,
                             "--test %s needs unit-level data: use --input, not --summary", t);
    if (x->test != T_AUTO && x->method != M_FREQ)
        return dcx_error_set(err, DCX_EINVAL, "--test goes with --method frequentist");
    dcx_status_t st = dcx_adjust_parse(o->correction ? o->correction : "none", &x->adjust, err);
    if (st)
        return st;
    if (o->time_column && o->summary.n)
        return dcx_error_set(err, DCX_ENOTSUP,
                             "--time-column needs unit-level data: use --input, not --summary");
    if (!(o->srm_threshold > 0 && o->srm_threshold < 1))
        return dcx_error_set(err, DCX_EINVAL, "--srm-threshold must be in (0, 1)");
    if (!(o->tuning > 0))
        return dcx_error_set(err, DCX_EINVAL, "--tuning must be > 0");
    if (!isnan(o->tau) && !(o->tau > 0))
        return dcx_error_set(err, DCX_EINVAL, "--tau must be > 0");
    if (o->one_sided && x->method != M_FREQ)
        return dcx_error_set(err, DCX_EINVAL, "--one-sided goes with --method frequentist");
    if (o->cap.n && o->summary.n)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cap needs the unit values: use --input (a summary holds sums of "
                             "values already summed; dcx sql --cap caps in the warehouse)");
    for (size_t i = 0; i < o->metric.n; i++)
        if (o->summary.n && strstr(o->metric.v[i], ":quantile"))
            return dcx_error_set(err, DCX_EINVAL,
                                 "--metric %s: a quantile needs the unit values: use --input (a "
                                 "summary holds sums, from which no quantile follows)",
                                 o->metric.v[i]);
    if (!(x->delimiter = dcx_csv_delimiter_parse(o->delimiter)))
        return dcx_error_set(err, DCX_EINVAL, "--delimiter '%s': give one character, or \\t for a tab",
                             o->delimiter);
    const char *per = o->period ? o->period : "day";
    x->period = !strcmp(per, "week") ? PERIOD_WEEK : !strcmp(per, "month") ? PERIOD_MONTH : PERIOD_DAY;
    return DCX_OK;
}

/* The cumulative timeline, all units, one entry per metric × treatment × period; under
 * sequential the p-value is the running minimum, which also becomes the overall one. */
static dcx_status_t timeline_doc(run_t *x, cJSON *timeline, cmp_t *rows, dcx_error_t *err)
{
    const data_t *d = &x->d;
    if (!d->nperiods)
        return DCX_OK;
    size_t *po;
    dcx_status_t st = order_periods(x, &po, err);
    if (st)
        return st;
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
            cell_t cc, ct;
            memset(&cc, 0, sizeof cc);
            memset(&ct, 0, sizeof ct);
            double best = INFINITY;
            for (size_t pi = 0; pi < d->nperiods; pi++) {
                const level_t *pl = &d->periods[po[pi]];
                const cell_t *a = level_cell(d, pl, x->control, mi), *b = level_cell(d, pl, v, mi);
                dcx_moments_merge(&cc.m, &a->m);
                cc.ones += a->ones, cc.neg += a->neg, cc.missing += a->missing;
                dcx_moments_merge(&ct.m, &b->m);
                ct.ones += b->ones, ct.neg += b->neg, ct.missing += b->missing;
                cmp_t r;
                memset(&r, 0, sizeof r);
                cmp_cells(x, mi, &cc, &ct, &r, "timeline");
                if (x->method == M_SEQ && isfinite(r.p)) {
                    best = fmin(best, r.p);
                    r.p = best;
                }
                cJSON *e = cJSON_CreateObject();
                doc_str(e, "period", pl->value);
                doc_str(e, "metric", d->metrics[mi].name);
                doc_str(e, "variant", d->variants.keys[v]);
                doc_num(e, "n_control", cc.m.n);
                doc_num(e, "n_treatment", ct.m.n);
                doc_num(e, "diff", r.diff);
                interval(e, "diff_ci", r.lo, r.hi);
                doc_num(e, "p_value", r.p);
                if (r.note)
                    doc_str(e, "note", r.note);
                free(r.note);
                x->oom |= r.lost;
                doc_push(timeline, e);
            }
            /* sequential: the overall p-value is the running minimum over periods */
            cmp_t *all = &rows[row_at(x, mi, 0, ti)];
            if (x->method == M_SEQ && isfinite(best) && isfinite(all->p))
                all->p = fmin(all->p, best);
        }
    }
    x->quiet = 0;
    x->test = saved_test;
    free(po);
    return DCX_OK;
}

static void heterogeneity_doc(const run_t *x, cJSON *het, const cmp_t *rows, double *est, double *se)
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

/* a difference in words: percentage points for rates, else the number; and the lift */
static void change_text(const run_t *x, const cmp_t *r, char *buf, size_t len)
{
    const metric_t *m = &x->d.metrics[r->m];
    char lift[48] = "";
    if (isfinite(r->lift))
        snprintf(lift, sizeof lift, " (%+.1f%%)", 100 * r->lift);
    if (m->type == MT_BINARY && !m->cov)
        snprintf(buf, len, "%+.2f percentage points%s", 100 * r->diff, lift);
    else
        snprintf(buf, len, "%+.4g%s", r->diff, lift);
}

/* Appends a reason for a decision (printf-style); a reason that cannot be stored fails
 * the run. */
static void reason(run_t *x, dcx_strlist_t *l, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void reason(run_t *x, dcx_strlist_t *l, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (dcx_strlist_push(l, buf))
        x->oom = 1;
}

/* The decision for each treatment from its overall rows (the risk-aware rule of
 * Schultzberg, Ankargren and Frånberg, 2024): ship when a success metric moved
 * significantly in its good direction and every guardrail is shown non-inferior; no-ship
 * when a success metric moved significantly in its bad direction or a guardrail is shown
 * worse than its margin; otherwise inconclusive. */
static void decisions_doc(run_t *x, cJSON *arr, const cmp_t *rows, int srm_mismatch)
{
    double alpha = x->o->alpha;
    for (size_t ti = 0; ti < x->ntreat; ti++) {
        int good = 0, bad = 0, guards = 0, guards_ok = 0, inferior = 0;
        dcx_strlist_t reasons = {0};
        char ch[96];
        for (size_t mi = 0; mi < x->d.nm; mi++) {
            const cmp_t *r = &rows[row_at(x, mi, 0, ti)];
            const char *name = x->d.metrics[mi].name;
            if (!isfinite(r->diff) || !(r->se > 0)) {
                reason(x, &reasons, "%s '%s' could not be tested: %s",
                       r->guardrail ? "guardrail" : "metric", name,
                       r->note ? r->note : "no estimate");
                guards += r->guardrail;
                continue;
            }
            change_text(x, r, ch, sizeof ch);
            if (r->guardrail) {
                guards++;
                char mg[80];
                if (x->roles[mi].relative)
                    snprintf(mg, sizeof mg, "%g%% of control (%.4g)", 100 * x->roles[mi].margin, r->margin);
                else
                    snprintf(mg, sizeof mg, "%.4g", r->margin);
                const char *worse = r->dir > 0 ? "fall" : "rise";
                if (isfinite(r->inf_p) && r->inf_p < alpha) {
                    inferior++;
                    reason(x, &reasons,
                           "guardrail '%s' fails: %s, significantly worse than the margin "
                           "of %s (p = %.3g)",
                           name, ch, mg, r->inf_p);
                } else if (isfinite(r->ni_p) && r->ni_p < alpha) {
                    guards_ok++;
                    reason(x, &reasons,
                           "guardrail '%s' holds: %s; shown not to %s by more than the "
                           "margin of %s (non-inferiority p = %.3g)",
                           name, ch, worse, mg, r->ni_p);
                } else {
                    reason(x, &reasons,
                           "guardrail '%s' is not shown to hold: %s; it may %s by more "
                           "than the margin of %s (non-inferiority p = %.3g)",
                           name, ch, worse, mg, r->ni_p);
                }
                continue;
            }
            int sig = r->sig == 1, up = r->dir * r->diff > 0;
            double padj = x->method == M_BAYES ? NAN : r->padj;
            int is_good = sig && (r->one_sided || up);
            int is_bad = r->one_sided ? isfinite(r->p_bad) && r->p_bad < alpha : sig && !up;
            if (is_bad) {
                bad++;
                reason(x, &reasons, "'%s' moved in its bad direction (%s): %s, significant%s",
                       name, r->dir > 0 ? "down" : "up", ch,
                       r->one_sided ? " in a one-sided test of harm" : "");
            } else if (is_good) {
                good++;
                if (isfinite(padj))
                    reason(x, &reasons,
                           "'%s' moved in its good direction (%s): %s, significant (p "
                           "adjusted %.3g)",
                           name, r->dir > 0 ? "up" : "down", ch, padj);
                else
                    reason(x, &reasons,
                           "'%s' moved in its good direction (%s): %s, its credible "
                           "interval excludes 0",
                           name, r->dir > 0 ? "up" : "down", ch);
            } else if (isfinite(padj)) {
                reason(x, &reasons, "'%s' did not move significantly: %s (p adjusted %.3g)",
                       name, ch, padj);
            } else {
                reason(x, &reasons, "'%s' did not move significantly: %s", name, ch);
            }
        }
        const char *decision = bad || inferior                    ? "no-ship"
                               : good && guards_ok == guards ? "ship"
                                                                  : "inconclusive";
        if (!strcmp(decision, "inconclusive") && !good)
            reason(x, &reasons, "no success metric moved significantly in its good direction");
        if (srm_mismatch)
            reason(x, &reasons, "caution: the traffic split does not match the design "
                                "(sample ratio mismatch); find out why before acting on "
                                "this decision");
        cJSON *e = cJSON_CreateObject();
        doc_str(e, "variant", x->d.variants.keys[x->treat[ti]]);
        doc_str(e, "decision", decision);
        cJSON *ra = doc_arr(e, "reasons");
        for (size_t i = 0; i < reasons.n; i++)
            doc_push(ra, cJSON_CreateString(reasons.v[i]));
        dcx_strlist_free(&reasons);
        doc_push(arr, e);
    }
}

dcx_status_t dcx_analyze(const dcx_analyze_opts_t *o, cJSON **out, dcx_error_t *err)
{
    run_t x;
    memset(&x, 0, sizeof x);
    x.o = o;
    *out = NULL;
    cmp_t *rows = NULL;
    size_t nrows = 0;
    cJSON *doc = NULL, *timeline = NULL;
    double *pv = NULL, *est = NULL, *se = NULL;
    dcx_status_t st = parse_options(&x, err);
    if (st)
        return st;
    data_spec_t spec = {&o->metric, &o->segment, &o->cuped, &o->cap, o->time_column,
                        o->variant_column, x.test == T_MW, x.period, x.delimiter};
    if ((st = data_init(&x.d, &spec, err)) || (st = roles_parse(&x, err)))
        goto done;
    if (o->input) {
        if ((st = data_read_units(&x.d, o->input, err)))
            goto done;
    } else {
        for (size_t i = 0; i < o->summary.n; i++)
            if ((st = data_read_summary(&x.d, o->summary.v[i], err)))
                goto done;
        if ((st = data_finish_summary(&x.d, err)))
            goto done;
    }
    if ((st = order_variants(&x, err)) || (st = order_levels(&x, err)))
        goto done;
    nrows = x.d.nm * x.nlev * x.ntreat;
    rows = calloc(nrows + 1, sizeof *rows);
    if (!rows) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t mi = 0; mi < x.d.nm; mi++)
        for (size_t li = 0; li < x.nlev; li++)
            for (size_t ti = 0; ti < x.ntreat; ti++) {
                size_t v = x.treat[ti];
                cmp_t *r = &rows[row_at(&x, mi, li, ti)];
                r->m = mi, r->level = x.levels[li], r->t = v;
                const level_t *l = &x.d.levels[x.levels[li]];
                char where[300], lab[256];
                snprintf(where, sizeof where, "%s, %s vs %s",
                         level_label(&x, x.levels[li], lab, sizeof lab), x.d.variants.keys[v],
                         x.d.variants.keys[x.control]);
                cell_t *cc = level_cell(&x.d, l, x.control, mi), *ct = level_cell(&x.d, l, v, mi);
                cmp_cells(&x, mi, cc, ct, r, where);
                roles_apply(&x, r, cc, ct);
            }
    doc_begin();
    if (!(timeline = cJSON_CreateArray()) || (st = timeline_doc(&x, timeline, rows, err))) {
        if (!st)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    /* corrections over the whole family */
    if (!(pv = malloc((nrows + 1) * sizeof *pv))) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    /* the family: success metrics × segment levels × treatments (guardrails are judged by
     * their non-inferiority tests) */
    for (size_t i = 0; i < nrows; i++)
        pv[i] = rows[i].in_family ? rows[i].p : NAN;
    if (x.method != M_BAYES) {
        if ((st = dcx_p_adjust(pv, nrows, x.adjust, pv, err)))
            goto done;
        for (size_t i = 0; i < nrows; i++) {
            cmp_t *r = &rows[i];
            r->padj = pv[i];
            r->sig = isfinite(pv[i]) ? pv[i] < o->alpha : -1;
            if (!r->in_family && isfinite(r->p))
                row_note(r, "a guardrail is not in the correction family: it is judged by its "
                        "non-inferiority test",
                     NULL);
            /* the interval that matches p_adjusted: level 1 − α·p/p_adjusted, which excludes
             * the null exactly when p_adjusted < α */
            if (x.adjust != DCX_ADJUST_NONE && isfinite(r->p) && isfinite(r->padj)) {
                double a = r->p > 0 && r->padj > 0 ? o->alpha * r->p / r->padj : o->alpha;
                cmp_interval_at(&x, r, 0, a, &r->lo_adj, &r->hi_adj);
                cmp_interval_at(&x, r, 1, a, &r->lift_lo_adj, &r->lift_hi_adj);
            }
        }
    }
    /* the document */
    doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    doc_str(doc, "method", x.method == M_BAYES ? "bayesian" : x.method == M_SEQ ? "sequential" : "frequentist");
    doc_num(doc, "alpha", o->alpha);
    doc_str(doc, "correction", dcx_adjust_name(x.adjust));
    doc_str(doc, "control", x.d.variants.keys[x.control]);
    cJSON *srm = doc_obj(doc, "srm");
    dcx_srm_result_t sr;
    int srm_ok, gate = 0;
    if (srm_doc(srm, &x, x.d.levels[0].units, 1, &sr, &srm_ok))
        x.oom = 1;
    if (srm_ok && sr.mismatch) {
        if (isfinite(sr.p_value))
            run_warn(&x, "sample ratio mismatch: p = %.3g < %g; the split is not what was designed, "
                     "so the results may be biased",
                 sr.p_value, o->srm_threshold);
        else
            run_warn(&x, "sample ratio mismatch: the split is not what was designed, so the results "
                     "may be biased");
        gate = 1;
    }
    cJSON *results = doc_arr(doc, "results");
    for (size_t i = 0; i < nrows; i++) {
        doc_push(results, result_doc(&x, &rows[i]));
        x.oom |= rows[i].lost;
    }
    cJSON *segs = doc_arr(doc, "srm_segments");
    for (size_t li = 1; li < x.nlev; li++) {
        const level_t *l = &x.d.levels[x.levels[li]];
        cJSON *e = cJSON_CreateObject();
        doc_str(e, "segment", x.d.segs[l->seg]);
        doc_str(e, "segment_value", l->value);
        if (srm_doc(e, &x, l->units, 0, &sr, &srm_ok))
            x.oom = 1;
        if (srm_ok && sr.mismatch) {
            run_warn_repeat(&x, "segment-srm", "a segment level's split is off (sample ratio mismatch)",
                        "sample ratio mismatch in segment %s=%s: p = %.3g < %g", x.d.segs[l->seg],
                        l->value, sr.p_value, o->srm_threshold);
            gate = 1;
        }
        doc_push(segs, e);
    }
    cJSON *het = doc_arr(doc, "heterogeneity");
    est = malloc((x.nlev + 1) * sizeof *est);
    se = malloc((x.nlev + 1) * sizeof *se);
    if (!est || !se) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    heterogeneity_doc(&x, het, rows, est, se);
    if (!cJSON_AddItemToObject(doc, "timeline", timeline)) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    timeline = NULL;
    decisions_doc(&x, doc_arr(doc, "decisions"), rows, gate);
    run_warn_repeats_done(&x);
    cJSON *w = doc_arr(doc, "warnings");
    for (size_t i = 0; i < x.warnings.n; i++)
        doc_push(w, cJSON_CreateString(x.warnings.v[i]));
    if (doc_oom(doc) || x.oom) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    *out = doc;
    doc = NULL;
    st = DCX_OK;
    if (gate && o->fail_on_srm)
        st = dcx_error_set(err, DCX_EGATE, "sample ratio mismatch (--fail-on-srm)");
done:
    cJSON_Delete(doc);
    cJSON_Delete(timeline);
    for (size_t i = 0; rows && i < nrows; i++)
        free(rows[i].note);
    free(rows);
    free(pv);
    free(est);
    free(se);
    free(x.levels);
    free(x.seg_lo);
    free(x.seg_hi);
    free(x.names);
    free(x.order);
    free(x.share);
    free(x.designed);
    free(x.treat);
    free(x.roles);
    design_free(&x.design);
    run_warn_free(&x);
    data_free(&x.d);
    return st;
}
