/* decisions.c — the decision for each treatment (ship, no-ship or inconclusive) from its
 * overall rows, with the reasons a person reads, each naming the metric's direction: the
 * risk-aware rule of Schultzberg, Ankargren and Frånberg (2024) over the goal metrics and
 * the guardrails. */
#include "analyze_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "doc_util.h"
#include "textbuf.h"

/* v with a sign, as fmt prints it, and never "-0": a change that rounds to nothing has no
 * direction */
static const char *signed_num(char *b, size_t n, const char *fmt, double v)
{
    snprintf(b, n, fmt, v);
    return tb_unneg(b);
}

/* a difference in words: percentage points for rates, else the number; and the lift */
static void change_text(const run_t *x, const cmp_t *r, char *buf, size_t len)
{
    const metric_t *m = &x->d.metrics[r->m];
    char lift[48] = "", l[32], d[40];
    if (isfinite(r->lift))
        snprintf(lift, sizeof lift, " (%s%%)", signed_num(l, sizeof l, "%+.1f", 100 * r->lift));
    if (m->type == MT_BINARY && !m->cov)
        snprintf(buf, len, "%s percentage points%s", signed_num(d, sizeof d, "%+.2f", 100 * r->diff), lift);
    else
        snprintf(buf, len, "%s%s", signed_num(d, sizeof d, "%+.4g", r->diff), lift);
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

/* "(higher is better)", "(lower is better, assumed)" */
static const char *direction_text(const run_t *x, const cmp_t *r)
{
    int stated = x->roles[r->m].dir_stated;
    return r->dir > 0 ? (stated ? "(higher is better)" : "(higher is better, assumed)")
                      : "(lower is better)";
}

/* A probability for people: "99.4%", "> 99.99%", "< 0.01%". */
static const char *pct_text(double p, char *buf, size_t len)
{
    if (!isfinite(p))
        snprintf(buf, len, "undefined");
    else if (p > 0.9999)
        snprintf(buf, len, "> 99.99%%");
    else if (p < 0.0001)
        snprintf(buf, len, "< 0.01%%");
    else
        snprintf(buf, len, "%.3g%%", 100 * p);
    return buf;
}

/* How a goal's significance was judged, for its reason: the adjusted p-value and by what,
 * or the plain p-value when it is the only goal test and nothing is corrected; under
 * bayesian the chance to be better. */
static void judged_by(const run_t *x, const cmp_t *r, char *buf, size_t len)
{
    size_t k = x->ngoals * x->ntreat;
    char pt[32];
    if (x->method == M_BAYES)
        snprintf(buf, len, "P(better) %s", pct_text(r->pbc, pt, sizeof pt));
    else if (k > 1 || x->adjust != DCX_ADJUST_NONE)
        snprintf(buf, len, "p adjusted %.3g, %s over %zu goal test%s%s", r->padj,
                 r->adjusted_by ? r->adjusted_by : dcx_adjust_name(x->adjust), k, k == 1 ? "" : "s",
                 r->one_sided ? ", one-sided" : "");
    else
        snprintf(buf, len, "p = %.3g%s", r->p, r->one_sided ? ", one-sided" : "");
}

/* A guardrail's row: holds, fails or is not shown to hold (+1, -1, 0), with its reason. */
static int guardrail_reason(run_t *x, dcx_strlist_t *reasons, const cmp_t *r, const char *ch)
{
    double alpha = x->o->alpha;
    const char *name = x->d.metrics[r->m].name, *dir = direction_text(x, r);
    const char *worse = r->dir > 0 ? "fall" : "rise";
    char mg[80], ev[96], pt[32];
    if (x->roles[r->m].relative)
        snprintf(mg, sizeof mg, "%g%% of control (%.4g)", 100 * x->roles[r->m].margin, r->margin);
    else
        snprintf(mg, sizeof mg, "%.4g", r->margin);
    int bayes = x->method == M_BAYES;
    double within = r->ni_prob;
    if (bayes)
        snprintf(ev, sizeof ev, "probability %s that it is within the margin", pct_text(within, pt, sizeof pt));
    if (bayes ? within <= alpha : isfinite(r->inf_p) && r->inf_p < alpha) {
        if (!bayes)
            snprintf(ev, sizeof ev, "p = %.3g", r->inf_p);
        reason(x, reasons, "guardrail '%s' %s fails: %s, significantly worse than the margin of %s (%s)",
               name, dir, ch, mg, ev);
        return -1;
    }
    if (bayes ? within >= 1 - alpha : isfinite(r->ni_p) && r->ni_p < alpha) {
        if (!bayes)
            snprintf(ev, sizeof ev, "non-inferiority p = %.3g", r->ni_p);
        reason(x, reasons, "guardrail '%s' %s holds: %s; shown not to %s by more than the margin of %s (%s)",
               name, dir, ch, worse, mg, ev);
        return 1;
    }
    if (!bayes)
        snprintf(ev, sizeof ev, "non-inferiority p = %.3g", r->ni_p);
    reason(x, reasons, "guardrail '%s' %s is not shown to hold: %s; it may %s by more than the margin of %s (%s)",
           name, dir, ch, worse, mg, ev);
    return 0;
}

/* The decision for each treatment from its overall rows (the risk-aware rule of
 * Schultzberg, Ankargren and Frånberg, 2024), over the goal metrics and the guardrails:
 * ship when a goal moved significantly in its good direction (its family corrected) and
 * every guardrail is shown non-inferior; no-ship when a goal moved significantly in its
 * bad direction or a guardrail is shown worse than its margin; otherwise inconclusive.
 * Secondary metrics do not decide. Without a goal metric there is no decision. */
void decisions_doc(run_t *x, cJSON *arr, const cmp_t *rows, int srm_mismatch)
{
    double alpha = x->o->alpha;
    if (!x->ngoals)
        return;
    for (size_t ti = 0; ti < x->ntreat; ti++) {
        int good = 0, bad = 0, guards = 0, guards_ok = 0, inferior = 0;
        dcx_strlist_t reasons = {0};
        char ch[96], how[128];
        for (size_t mi = 0; mi < x->d.nm; mi++) {
            const cmp_t *r = &rows[row_at(x, mi, 0, ti)];
            const char *name = x->d.metrics[mi].name, *dir = direction_text(x, r);
            role_kind_t role = r->role;
            if (role == ROLE_GUARDRAIL)
                guards++;
            if (!isfinite(r->diff) || !(r->se > 0)) {
                if (role != ROLE_SECONDARY)
                    reason(x, &reasons, "%s '%s' %s could not be tested: %s",
                           role == ROLE_GUARDRAIL ? "guardrail" : "goal", name, dir,
                           r->note ? r->note : "no estimate");
                continue;
            }
            change_text(x, r, ch, sizeof ch);
            if (role == ROLE_GUARDRAIL) {
                int g = guardrail_reason(x, &reasons, r, ch);
                guards_ok += g > 0;
                inferior += g < 0;
                continue;
            }
            int sig = r->sig == 1, up = r->dir * r->diff > 0;
            int is_good = sig && (r->one_sided || up);
            int is_bad = r->one_sided ? isfinite(r->p_bad) && r->p_bad < alpha : sig && !up;
            const char *moved = r->diff > 0 ? "rose" : "fell";
            if (role == ROLE_SECONDARY) {
                if (is_good || is_bad)
                    reason(x, &reasons, "secondary '%s' %s %s significantly, in its %s direction: %s; "
                                        "a secondary metric informs and does not decide",
                           name, dir, moved, is_good ? "good" : "bad", ch);
                continue;
            }
            judged_by(x, r, how, sizeof how);
            /* the words of significance: a test, or a credible interval */
            const char *sigw = x->method == M_BAYES ? "; its credible interval excludes 0" : ", significant";
            if (is_bad) {
                bad++;
                reason(x, &reasons, "goal '%s' %s %s, its bad direction: %s%s%s (%s)", name, dir, moved,
                       ch, sigw, r->one_sided ? " in a one-sided test of harm" : "",
                       r->one_sided ? "unadjusted" : how);
            } else if (is_good) {
                good++;
                reason(x, &reasons, "goal '%s' %s %s, its good direction: %s%s (%s)", name, dir, moved,
                       ch, sigw, how);
            } else {
                reason(x, &reasons, "goal '%s' %s did not move significantly: %s (%s)", name, dir, ch, how);
            }
        }
        const char *decision = bad || inferior             ? "no-ship"
                               : good && guards_ok == guards ? "ship"
                                                             : "inconclusive";
        if (!strcmp(decision, "inconclusive") && !good)
            reason(x, &reasons, "no goal metric moved significantly in its good direction");
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
