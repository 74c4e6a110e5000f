/* decisions.c — the decision for each treatment (ship, no-ship or inconclusive) from its
 * overall rows, with the reasons a person reads: the risk-aware rule of Schultzberg,
 * Ankargren and Frånberg (2024) over success metrics and guardrails. */
#include "analyze_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "doc_util.h"

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
void decisions_doc(run_t *x, cJSON *arr, const cmp_t *rows, int srm_mismatch)
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
