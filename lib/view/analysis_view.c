/* analysis_view.c — the analysis document for people: warnings first, the SRM line,
 * one line per comparison with significant results marked, then what a terminal user
 * must not miss: segment levels whose split is off, and effects that differ between the
 * levels of a segment. Every piece of data goes through the table's escaping. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/analysis.h"
#include "dcx/view.h"
#include "doc_read.h"
#include "textbuf.h"
#include "vtable.h"

static void fmt_num(char *b, size_t n, double v, int sign, int pct)
{
    if (!isfinite(v)) {
        snprintf(b, n, "-");
        return;
    }
    if (pct)
        snprintf(b, n, sign ? "%+.2f%%" : "%.2f%%", 100 * v);
    else if (v != 0 && (fabs(v) < 1e-3 || fabs(v) >= 1e6))
        snprintf(b, n, sign ? "%+.3g" : "%.3g", v);
    else
        snprintf(b, n, sign ? "%+.4g" : "%.4g", v);
}

/* "est [lo, hi]"; an open end of a one-sided interval shows as -inf / +inf */
static void fmt_ci(char *b, size_t n, const cJSON *o, const char *est, const char *ci, int pct)
{
    char e[40], lo[40], hi[40];
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, ci);
    fmt_num(e, sizeof e, doc_get_num(o, est), 1, pct);
    if (cJSON_IsArray(a) && cJSON_GetArraySize(a) == 2) {
        const cJSON *l = cJSON_GetArrayItem(a, 0), *h = cJSON_GetArrayItem(a, 1);
        if (cJSON_IsNumber(l))
            fmt_num(lo, sizeof lo, l->valuedouble, 1, pct);
        else
            snprintf(lo, sizeof lo, "-inf");
        if (cJSON_IsNumber(h))
            fmt_num(hi, sizeof hi, h->valuedouble, 1, pct);
        else
            snprintf(hi, sizeof hi, "+inf");
        snprintf(b, n, "%s [%s, %s]", e, lo, hi);
    } else {
        snprintf(b, n, "%s", e);
    }
}

static void fmt_count(char *b, size_t n, double v)
{
    if (isfinite(v))
        snprintf(b, n, "%.0f", v);
    else
        snprintf(b, n, "-");
}

static void fmt_p(char *b, size_t n, double p)
{
    if (!isfinite(p))
        snprintf(b, n, "-");
    else if (p < 1e-4)
        snprintf(b, n, "<0.0001");
    else
        snprintf(b, n, "%.4f", p);
}

static void heading(tbuf_t *b, int md, const char *text)
{
    tb_puts(b, md ? "\n### " : "\n");
    tb_puts(b, text);
    tb_puts(b, md ? "\n\n" : ":\n");
}

#define NCOL 13

/* The words a person reads for a row's role: its role overall, and "exploratory" in a
 * segment level (a family of its own, corrected within the metric and column). */
static const char *role_word(const cJSON *r)
{
    if (strcmp(doc_get_str(r, "segment"), "all"))
        return "exploratory";
    const char *w = doc_get_word(r, "role", DOC_ROLE);
    return *w ? w : "-";
}

static void results_table(tbuf_t *b, const cJSON *doc, int md, int bayes)
{
    const char *head[NCOL] = {"metric", "role", "segment", "variant", "n ctl", "n trt", "ctl", "trt",
                              bayes ? "diff [credible]" : "diff [CI]", "lift [CI]",
                              bayes ? "P(better)" : "p", bayes ? "loss" : "p adj", "risk"};
    size_t ncol = bayes ? NCOL : NCOL - 1;
    vtable_t *t = vt_new(ncol, head, "llllrrrrrrrrr");
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "results"))
    {
        const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(r, "control"),
                    *trt = cJSON_GetObjectItemCaseSensitive(r, "treatment");
        int pct = !strcmp(doc_get_word(r, "type", DOC_TYPE), "binary");
        char nc[32], nt[32], mc[40], mt[40], d[128], l[128], p1[32], p2[32], rk[32];
        tbuf_t seg = {0};
        if (!strcmp(doc_get_str(r, "segment"), "all"))
            tb_puts(&seg, "all");
        else
            tb_printf(&seg, "%s=%s", doc_get_str(r, "segment"), doc_get_str(r, "segment_value"));
        fmt_count(nc, sizeof nc, doc_get_num(ctl, "n"));
        fmt_count(nt, sizeof nt, doc_get_num(trt, "n"));
        int quant = !strcmp(doc_get_word(r, "type", DOC_TYPE), "quantile");
        fmt_num(mc, sizeof mc, doc_get_num(ctl, quant ? "quantile" : "mean"), 0, pct);
        fmt_num(mt, sizeof mt, doc_get_num(trt, quant ? "quantile" : "mean"), 0, pct);
        fmt_ci(d, sizeof d, r, "diff", bayes ? "credible_interval" : "diff_ci", pct);
        fmt_ci(l, sizeof l, r, "lift", "lift_ci", 1);
        if (bayes) {
            fmt_num(p1, sizeof p1, doc_get_num(r, "prob_beat_control"), 0, 1);
            fmt_num(p2, sizeof p2, doc_get_num(r, "expected_loss"), 0, pct);
            fmt_num(rk, sizeof rk, doc_get_num(r, "risk_relative"), 0, 1);
        } else {
            fmt_p(p1, sizeof p1, doc_get_num(r, "p_value"));
            fmt_p(p2, sizeof p2, doc_get_num(r, "p_adjusted"));
            rk[0] = 0;
        }
        const char *cells[NCOL] = {doc_get_str(r, "metric"), role_word(r), seg.s ? seg.s : "",
                                   doc_get_str(r, "variant"), nc, nt, mc, mt, d, l, p1, p2, rk};
        int sig = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant"));
        vt_row(t, cells, sig ? (md ? "**significant**" : "*") : NULL);
        tb_done(b, &seg);
    }
    vt_render(t, b, md, "");
    vt_free(t);
}

/* What "significant" means in the table: within which families, by which correction. */
static void significance_note(tbuf_t *b, const cJSON *doc, int md, int bayes)
{
    const char *corr = doc_get_word(doc, "correction", DOC_CORRECTION);
    int goal = 0, sec = 0, segs = 0, guards = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "results"))
    {
        const char *role = doc_get_word(r, "role", DOC_ROLE);
        int overall = !strcmp(doc_get_str(r, "segment"), "all");
        goal |= overall && !strcmp(role, "goal");
        guards |= overall && !strcmp(role, "guardrail");
        sec |= overall && strcmp(role, "guardrail") && strcmp(role, "goal");
        segs |= !overall;
    }
    tbuf_t line = {0};
    if (bayes) {
        tb_printf(&line, "%s at alpha %g: the credible interval excludes 0; P(better) and loss are in "
                         "each metric's good direction, risk is loss / |control|",
                  md ? "significant" : "* significant", doc_get_num(doc, "alpha"));
    } else {
        int none = !*corr || !strcmp(corr, "none");
        tb_printf(&line, "%s at alpha %g within its family: ", md ? "significant" : "* significant",
                  doc_get_num(doc, "alpha"));
        const char *sep = "";
        if (goal) {
            tb_printf(&line, "goal metrics by %s", none ? "holm (the decision's tests are always corrected)" : corr);
            sep = ", ";
        }
        if (sec) {
            tb_printf(&line, "%ssecondary metrics %s", sep, none ? "(no correction)" : "after correction");
            sep = ", ";
        }
        if (segs) {
            tb_printf(&line, "%ssegment rows exploratory (%s within each metric and segment column)", sep,
                      none ? "not corrected" : "corrected");
            sep = ", ";
        }
        if (guards)
            tb_printf(&line, "%sguardrails are judged by their non-inferiority tests", *sep ? "; " : "");
    }
    tb_puts(b, "\n");
    if (md)
        tb_md(b, line.s ? line.s : "");
    else
        tb_term(b, line.s ? line.s : "");
    tb_puts(b, "\n");
    tb_done(b, &line);
}

/* Segment levels whose traffic split is off: a broken segment hides in a healthy total. */
static void segment_srm(tbuf_t *b, const cJSON *doc, int md)
{
    const cJSON *s;
    int bad = 0;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "srm_segments")) bad +=
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "mismatch"));
    if (!bad)
        return;
    heading(b, md, "sample ratio mismatch within segment levels");
    const char *head[] = {"segment", "chi2", "p"};
    vtable_t *t = vt_new(3, head, "lrr");
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "srm_segments"))
    {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "mismatch")))
            continue;
        tbuf_t seg = {0};
        tb_printf(&seg, "%s=%s", doc_get_str(s, "segment"), doc_get_str(s, "segment_value"));
        char c[32], p[32];
        fmt_num(c, sizeof c, doc_get_num(s, "chi2"), 0, 0);
        fmt_p(p, sizeof p, doc_get_num(s, "p_value"));
        const char *cells[] = {seg.s ? seg.s : "", c, p};
        vt_row(t, cells, NULL);
        tb_done(b, &seg);
    }
    vt_render(t, b, md, "");
    vt_free(t);
}

/* Cochran's Q per metric × treatment × segment column */
static void heterogeneity(tbuf_t *b, const cJSON *doc, int md, double alpha)
{
    const cJSON *h, *het = cJSON_GetObjectItemCaseSensitive(doc, "heterogeneity");
    if (!cJSON_GetArraySize(het))
        return;
    heading(b, md, "does the effect differ between segment levels? (Cochran's Q)");
    const char *head[] = {"metric", "segment", "variant", "Q", "df", "p"};
    vtable_t *t = vt_new(6, head, "lllrrr");
    cJSON_ArrayForEach(h, het)
    {
        char q[32], df[32], p[32];
        fmt_num(q, sizeof q, doc_get_num(h, "q"), 0, 0);
        fmt_count(df, sizeof df, doc_get_num(h, "df"));
        fmt_p(p, sizeof p, doc_get_num(h, "p_value"));
        const char *cells[] = {doc_get_str(h, "metric"), doc_get_str(h, "segment"), doc_get_str(h, "variant"), q, df, p};
        double pv = doc_get_num(h, "p_value");
        vt_row(t, cells, isfinite(pv) && pv < alpha ? (md ? "**differs**" : "differs") : NULL);
    }
    vt_render(t, b, md, "");
    vt_free(t);
}

/* The decision for each treatment, last, with its reasons in words; without a goal
 * metric, how to get one. */
static void decisions(tbuf_t *b, const cJSON *doc, int md)
{
    const cJSON *dec = cJSON_GetObjectItemCaseSensitive(doc, "decisions"), *e, *r;
    heading(b, md, "decision");
    if (!cJSON_GetArraySize(dec)) {
        tb_puts(b, DCX_NO_DECISION);
        tb_puts(b, "\n");
        return;
    }
    cJSON_ArrayForEach(e, dec)
    {
        tbuf_t line = {0};
        tb_printf(&line, "%s: %s", doc_get_str(e, "variant"), doc_get_word(e, "decision", DOC_DECISION));
        tb_puts(b, md ? "**" : "");
        if (md)
            tb_md(b, line.s ? line.s : "");
        else
            tb_term(b, line.s ? line.s : "");
        tb_puts(b, md ? "**\n\n" : "\n");
        tb_done(b, &line);
        cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(e, "reasons"))
        {
            tb_puts(b, md ? "- " : "  - ");
            if (md)
                tb_md(b, cJSON_IsString(r) ? r->valuestring : "");
            else
                tb_term(b, cJSON_IsString(r) ? r->valuestring : "");
            tb_puts(b, "\n");
        }
        if (md)
            tb_puts(b, "\n");
    }
}

dcx_status_t dcx_analysis_view(FILE *out, const cJSON *doc, int format, dcx_error_t *err)
{
    if (format != DCX_FORMAT_TABLE && format != DCX_FORMAT_MARKDOWN)
        return dcx_view_write(out, doc, (dcx_format_t)format, "results", err);
    int md = format == DCX_FORMAT_MARKDOWN;
    tbuf_t b = {0};
    const cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(doc, "warnings"))
    {
        tb_puts(&b, md ? "> **warning:** " : "warning: ");
        if (md)
            tb_md(&b, cJSON_IsString(w) ? w->valuestring : "");
        else
            tb_term(&b, cJSON_IsString(w) ? w->valuestring : "");
        tb_puts(&b, "\n");
    }
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "warnings")))
        tb_puts(&b, "\n");
    int bayes = !strcmp(doc_get_word(doc, "method", DOC_METHOD), "bayesian");
    const cJSON *srm = cJSON_GetObjectItemCaseSensitive(doc, "srm");
    char p[32], chi[32];
    fmt_p(p, sizeof p, doc_get_num(srm, "p_value"));
    fmt_num(chi, sizeof chi, doc_get_num(srm, "chi2"), 0, 0);
    tbuf_t line = {0};
    tb_printf(&line, "method %s, alpha %g, correction %s, control '%s'; SRM chi2 %s, p %s%s",
              doc_get_word(doc, "method", DOC_METHOD), doc_get_num(doc, "alpha"), doc_get_word(doc, "correction", DOC_CORRECTION), doc_get_str(doc, "control"),
              chi, p,
              cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(srm, "mismatch")) ? " MISMATCH" : " (ok)");
    if (md)
        tb_md(&b, line.s ? line.s : "");
    else
        tb_term(&b, line.s ? line.s : "");
    tb_done(&b, &line);
    tb_puts(&b, "\n\n");
    const cJSON *gs = cJSON_GetObjectItemCaseSensitive(doc, "group_sequential");
    if (cJSON_IsObject(gs)) {
        /* the design and where each look's boundary lies */
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(gs, "information"),
                    *bd = cJSON_GetObjectItemCaseSensitive(gs, "boundaries");
        tb_printf(&line, "group-sequential: %d planned looks, %s spending; %d taken; boundary |z| "
                         "(information fraction):",
                  (int)doc_get_num(gs, "looks"), doc_get_word(gs, "spending", DOC_SPENDING),
                  cJSON_GetArraySize(t));
        for (int k = 0; k < cJSON_GetArraySize(t); k++) {
            const cJSON *bk = cJSON_GetArrayItem(bd, k), *tk = cJSON_GetArrayItem(t, k);
            if (cJSON_IsNumber(bk))
                tb_printf(&line, " %.3f", bk->valuedouble);
            else
                tb_printf(&line, " none");
            tb_printf(&line, " (%.2f)", cJSON_IsNumber(tk) ? tk->valuedouble : NAN);
        }
        if (md)
            tb_md(&b, line.s ? line.s : "");
        else
            tb_term(&b, line.s ? line.s : "");
        tb_done(&b, &line);
        tb_puts(&b, "\n\n");
    }
    results_table(&b, doc, md, bayes);
    significance_note(&b, doc, md, bayes);
    segment_srm(&b, doc, md);
    heterogeneity(&b, doc, md, doc_get_num(doc, "alpha"));
    decisions(&b, doc, md);
    return tb_emit(&b, out, err);
}
