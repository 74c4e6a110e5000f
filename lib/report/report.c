/* report.c — one self-contained report file of an analysis or a maturity result: HTML
 * with inline CSS and plots embedded as SVG, or Markdown with the SVG as data URIs. The
 * report lays out numbers from the result; it computes no statistic. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dcx/analysis.h"
#include "dcx/plot.h"
#include "dcx/report.h"
#include "dcx/text.h"
#include "dcx/version.h"
#include "doc_read.h"
#include "fileio.h"
#include "textbuf.h"
#include "report_internal.h"


/* Every piece of text that reaches the report goes through here: HTML-escaped, or
 * Markdown-escaped (one line, metacharacters and markup neutralised). */
void rep_txt(out_t *o, const char *s)
{
    if (o->md)
        tb_md(&o->b, s ? s : "");
    else
        tb_html(&o->b, s ? s : "");
}

/* Frees a scratch buffer whose text went into the report, keeping its failure. */
void rep_drop(out_t *o, tbuf_t *t) { tb_done(&o->b, t); }

void rep_fnum(char *b, size_t n, double v, const char *fmt)
{
    if (isfinite(v)) {
        snprintf(b, n, fmt, v);
        tb_unneg(b);
    } else {
        snprintf(b, n, "–");
    }
}

/* "est [lo, hi]" (an open end as -inf / +inf), scaled by k */
static void interval(char *b, size_t n, const cJSON *o, const char *est, const char *ci, double k,
                     const char *fmt)
{
    char e[40], lo[40], hi[40];
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, ci);
    rep_fnum(e, sizeof e, k * doc_get_num(o, est), fmt);
    if (cJSON_GetArraySize(c) == 2) {
        const cJSON *l = cJSON_GetArrayItem(c, 0), *h = cJSON_GetArrayItem(c, 1);
        if (cJSON_IsNumber(l))
            rep_fnum(lo, sizeof lo, k * l->valuedouble, fmt);
        else
            snprintf(lo, sizeof lo, "-inf");
        if (cJSON_IsNumber(h))
            rep_fnum(hi, sizeof hi, k * h->valuedouble, fmt);
        else
            snprintf(hi, sizeof hi, "+inf");
        snprintf(b, n, "%s [%s, %s]", e, lo, hi);
    } else {
        snprintf(b, n, "%s", e);
    }
}

/* ---- tables ---------------------------------------------------------------------------- */

void rep_table_start(out_t *o, int ncol, const char *const *head)
{
    if (o->md) {
        tb_puts(&o->b, "\n|");
        for (int i = 0; i < ncol; i++) {
            tb_puts(&o->b, " ");
            rep_txt(o, head[i]);
            tb_puts(&o->b, " |");
        }
        tb_puts(&o->b, "\n|");
        for (int i = 0; i < ncol; i++)
            tb_puts(&o->b, i < 2 ? " --- |" : " ---: |");
        tb_puts(&o->b, "\n");
    } else {
        tb_puts(&o->b, "<table><thead><tr>");
        for (int i = 0; i < ncol; i++) {
            tb_puts(&o->b, "<th>");
            rep_txt(o, head[i]);
            tb_puts(&o->b, "</th>");
        }
        tb_puts(&o->b, "</tr></thead><tbody>\n");
    }
}

void rep_table_row(out_t *o, int ncol, const char *const *cells, int strong)
{
    tb_puts(&o->b, o->md ? "|" : (strong ? "<tr class=\"sig\">" : "<tr>"));
    for (int i = 0; i < ncol; i++) {
        tb_puts(&o->b, o->md ? " " : "<td>");
        if (o->md && strong && i == 0)
            tb_puts(&o->b, "**");
        rep_txt(o, cells[i]);
        if (o->md && strong && i == 0)
            tb_puts(&o->b, "**");
        tb_puts(&o->b, o->md ? " |" : "</td>");
    }
    tb_puts(&o->b, "\n");
    if (!o->md)
        tb_puts(&o->b, "</tr>");
}

void rep_table_end(out_t *o) { tb_puts(&o->b, o->md ? "\n" : "</tbody></table>\n"); }

void rep_heading(out_t *o, int level, const char *s)
{
    if (o->md) {
        tb_printf(&o->b, "\n%.*s ", level, "####");
        rep_txt(o, s);
        tb_puts(&o->b, "\n\n");
    } else {
        tb_printf(&o->b, "<h%d>", level);
        rep_txt(o, s);
        tb_printf(&o->b, "</h%d>\n", level);
    }
}

void rep_para(out_t *o, const char *s, const char *cls)
{
    if (o->md) {
        rep_txt(o, s);
        tb_puts(&o->b, "\n\n");
    } else {
        tb_printf(&o->b, cls ? "<p class=\"%s\">" : "<p>", cls);
        rep_txt(o, s);
        tb_puts(&o->b, "</p>\n");
    }
}

/* ---- plots ------------------------------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

dcx_status_t rep_embed_plot(out_t *o, dcx_plot_kind_t kind, const cJSON *doc,
                               const char *measure, const char *caption, dcx_error_t *err)
{
    char *svg = NULL;
    size_t len = 0;
    dcx_plot_style_t sty = *o->sty;
    sty.measure = measure;
    sty.title = NULL; /* the report's title is its own; each figure keeps the kind's */
    dcx_status_t st = dcx_plot_svg(kind, doc, &sty, &svg, &len, err);
    if (!st) {
        if (o->md) {
            tb_puts(&o->b, "![");
            rep_txt(o, caption);
            tb_puts(&o->b, "](data:image/svg+xml;base64,");
            for (size_t i = 0; i < len; i += 3) {
                unsigned v = (unsigned char)svg[i] << 16;
                if (i + 1 < len)
                    v |= (unsigned char)svg[i + 1] << 8;
                if (i + 2 < len)
                    v |= (unsigned char)svg[i + 2];
                char quad[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63],
                                i + 1 < len ? b64[(v >> 6) & 63] : '=', i + 2 < len ? b64[v & 63] : '='};
                tb_putn(&o->b, quad, 4);
            }
            tb_puts(&o->b, ")\n\n");
        } else {
            /* inline: drop the XML prolog and doctype, keep the <svg> element */
            char *start = strstr(svg, "<svg");
            tb_puts(&o->b, "<figure>");
            tb_puts(&o->b, start ? start : svg);
            tb_puts(&o->b, "<figcaption>");
            rep_txt(o, caption);
            tb_puts(&o->b, "</figcaption></figure>\n");
        }
        free(svg);
    }
    return st;
}

/* ---- the two kinds of report ------------------------------------------------------------- */

/* A paragraph built from pieces (text from data is escaped by para). */
void rep_parafmt(out_t *o, const char *cls, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text)
        vsnprintf(text, (size_t)n + 1, fmt, ap2);
    else
        o->b.oom = 1;
    va_end(ap2);
    rep_para(o, text ? text : "", cls);
    free(text);
}

static void rep_bullets(out_t *o, const cJSON *arr, const char *cls)
{
    const cJSON *s;
    if (!o->md)
        tb_printf(&o->b, "<ul class=\"%s\">", cls);
    cJSON_ArrayForEach(s, arr)
    {
        tb_puts(&o->b, o->md ? "- " : "<li>");
        rep_txt(o, cJSON_IsString(s) ? s->valuestring : "");
        tb_puts(&o->b, o->md ? "\n" : "</li>");
    }
    tb_puts(&o->b, o->md ? "\n" : "</ul>\n");
}

/* One bullet per capped metric (its first row): the thresholds, whether zeros were left
 * alone, and the values the cap changed with their share. */
static void cap_lines(out_t *o, const cJSON *rows)
{
    const cJSON *r;
    const char *prev = NULL;
    tb_puts(&o->b, o->md ? "" : "<ul class=\"caps\">");
    cJSON_ArrayForEach(r, rows)
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "cap");
        const char *name = doc_get_str(r, "metric");
        if (!cJSON_IsObject(c) || (prev && !strcmp(prev, name)))
            continue;
        prev = name;
        double lo = doc_get_num(c, "lower"), hi = doc_get_num(c, "upper");
        double n = doc_get_num(c, "capped_n"), sh = doc_get_num(c, "capped_share");
        tbuf_t t = {0};
        tb_puts(&t, name);
        if (isfinite(lo) && isfinite(hi))
            tb_printf(&t, ": kept within [%.6g, %.6g]", lo, hi);
        else if (isfinite(hi))
            tb_printf(&t, ": at most %.6g", hi);
        else
            tb_printf(&t, ": at least %.6g", lo);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "ignore_zeros")))
            tb_puts(&t, " (percentiles of the non-zero values; zeros stay 0)");
        if (isfinite(n))
            tb_printf(&t, "; %.0f value%s changed (%.2f%% of the values)", n, n == 1 ? "" : "s",
                      100 * (isfinite(sh) ? sh : 0));
        tb_puts(&o->b, o->md ? "- " : "<li>");
        rep_txt(o, t.s ? t.s : "");
        tb_puts(&o->b, o->md ? "\n" : "</li>");
        rep_drop(o, &t);
    }
    tb_puts(&o->b, o->md ? "\n" : "</ul>\n");
}

/* CUPED: what the adjustment did, per metric that has one, from its first overall row (the
 * arms' means the results show are the adjusted ones, which a reader must be told). */
static void cuped_paragraphs(out_t *o, const cJSON *rows)
{
    const cJSON *r;
    int said = 0, listed = 0, more = 0;
    const char *last = NULL;
    cJSON_ArrayForEach(r, rows)
    {
        const cJSON *th = cJSON_GetObjectItemCaseSensitive(r, "theta");
        if (strcmp(doc_get_str(r, "segment"), "all") || !cJSON_IsNumber(th))
            continue; /* a post-stratified row has a theta per stratum, none overall */
        const char *metric = doc_get_str(r, "metric");
        if (last && !strcmp(last, metric))
            continue; /* one line per metric: its first treatment */
        last = metric;
        if (!said++)
            rep_para(o, "CUPED (variance reduction with a covariate measured before exposure): each "
                        "arm's mean is moved by theta times its covariate's distance from the pooled "
                        "covariate mean (for a ratio metric, the pre-period ratio of its covariate "
                        "pair), so the arms' means shown are the adjusted ones; the difference keeps "
                        "its expectation and loses the variance the covariate explains.",
                     NULL);
        if (listed == 20) {
            more++;
            continue;
        }
        listed++;
        char vr[40];
        rep_fnum(vr, sizeof vr, 100 * doc_get_num(r, "variance_reduction"), "%.1f%%");
        rep_parafmt(o, NULL, "%s: theta %.4g, variance %s lower than unadjusted.", metric,
                    th->valuedouble, vr);
    }
    if (more)
        rep_parafmt(o, NULL, "... and %d more metrics with CUPED (the result file has each).", more);
}

/* What the method section says is what was done: the method, the correction actually
 * used in each family (or that none was), sidedness, guardrails, capping, quantiles. */
static void method_section(out_t *o, const cJSON *doc)
{
    const char *method = doc_get_word(doc, "method", DOC_METHOD), *correction = doc_get_word(doc, "correction", DOC_CORRECTION);
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    int n = 0, guards = 0, one_sided = 0, capped = 0, quantiles = 0, goals = 0, secondary = 0, segs = 0;
    cJSON_ArrayForEach(r, rows)
    {
        n++;
        const char *role = doc_get_word(r, "role", DOC_ROLE);
        int overall = !strcmp(doc_get_str(r, "segment"), "all");
        guards += overall && !strcmp(role, "guardrail");
        goals += overall && !strcmp(role, "goal"); /* not "success": older files corrected otherwise */
        secondary += overall && !strcmp(role, "secondary");
        segs += !overall;
        one_sided += strstr(doc_get_str(r, "note"), "one-sided") != NULL;
        capped += cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r, "cap"));
        quantiles += !strcmp(doc_get_word(r, "type", DOC_TYPE), "quantile");
    }
    rep_heading(o, 2, "Method");
    if (!strcmp(method, "bayesian"))
        rep_para(o, "Bayesian analysis: conversion metrics use Beta(1, 1) priors and the exact "
                "Beta-Binomial posteriors, other metrics a normal posterior N(difference, SE squared). "
                "P(better) is the posterior probability that the treatment is better in the metric's "
                "good direction, the expected loss the posterior mean of how much worse it is "
                "(zero when better), and the risk that loss relative to the control mean. A result is "
                "marked when its equal-tailed credible interval excludes 0; no p-values are adjusted.",
             NULL);
    else if (!strcmp(method, "sequential"))
        rep_parafmt(o, NULL, "Sequential analysis: always-valid p-values and confidence sequences from the "
                         "normal-mixture mSPRT (mixture variance tuned for %g units, GrowthBook's default "
                         "unless set); they stay valid however often the results are looked at. With a "
                         "timeline a result's p-value is the smallest over the looks and its interval the "
                         "intersection of every look's, so the two always agree. The lift's interval is "
                         "the mSPRT interval with the lift's delta-method variance.",
                doc_get_num(cJSON_GetObjectItemCaseSensitive(doc, "settings"), "tuning") > 0
                    ? doc_get_num(cJSON_GetObjectItemCaseSensitive(doc, "settings"), "tuning")
                    : 5000);
    else if (!strcmp(method, "group-sequential")) {
        const cJSON *gs = cJSON_GetObjectItemCaseSensitive(doc, "group_sequential");
        rep_parafmt(o, NULL, "Group-sequential analysis: a design of %d planned looks spending alpha by the "
                         "Lan-DeMets %s function; each period of the timeline is a look, at the "
                         "information fraction its cumulative units give, and %d have been taken. A "
                         "result is significant once its z statistic has crossed a look's efficacy "
                         "boundary (the look is its boundary_crossed_at); its p-value is the repeated "
                         "p-value and its interval the intersection of the looks' repeated confidence "
                         "intervals, so they agree with the crossing. Segment levels, which have no "
                         "timeline, are judged at the last look's boundary.",
                (int)doc_get_num(gs, "looks"),
                !strcmp(doc_get_word(gs, "spending", DOC_SPENDING), "pocock") ? "Pocock-type"
                                                                               : "O'Brien-Fleming-type",
                cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(gs, "information")));
    } else
        rep_para(o, "Frequentist analysis: two-proportion z test (pooled statistic, unpooled Wald "
                "interval, as R prop.test) for conversion metrics, Welch's t test for means, the delta "
                "method for ratio metrics and relative lifts (with the row's own critical value), a z "
                "test for NPS.",
             NULL);
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(doc, "post_stratify");
    if (cJSON_IsObject(ps))
        rep_parafmt(o, NULL, "Post-stratified on '%s' (%.0f strata, measured before exposure): each "
                         "result combines the control mean and effect estimated within each stratum, "
                         "weighted by the stratum's share of the units (with the variance of those "
                         "shares), within its own segment level; strata without a variance in both arms "
                         "are folded into the largest, and a row left with one stratum is the plain "
                         "comparison.%s",
                    doc_get_str(ps, "column"), doc_get_num(ps, "strata"),
                    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(doc, "settings"), "cuped"))
                        ? " With CUPED, each stratum has its own regression on the covariate, and "
                          "the variance reduction a row shows is against the plain comparison."
                        : "");
    cuped_paragraphs(o, rows);
    if (strcmp(method, "bayesian")) {
        int none = !*correction || !strcmp(correction, "none");
        if (goals)
            rep_parafmt(o, NULL, "The decision's family, the %d goal comparison%s (goal metrics x "
                             "treatments), is adjusted with the %s method%s.",
                    goals, goals == 1 ? "" : "s", none ? "holm" : correction,
                    none ? " although no correction was asked for: a decision never rests on "
                           "unadjusted p-values over several goal tests"
                         : "");
        if (none && secondary + segs)
            rep_parafmt(o, NULL, "No correction for multiple comparisons was applied to the other %d "
                             "comparison%s (%d secondary, %d exploratory segment-level): each p-value "
                             "stands alone (give --correction to control the family-wise or false "
                             "discovery rate within each family).",
                    secondary + segs, secondary + segs == 1 ? "" : "s", secondary, segs);
        else if (secondary + segs)
            rep_parafmt(o, NULL, "The %d secondary comparison%s (secondary metrics x treatments) form one "
                             "family, and the %d exploratory segment-level comparison%s one family per "
                             "metric and segment column (its levels x treatments), each adjusted with "
                             "the %s method, so an overall result never depends on how many segments "
                             "are sliced; the plotted intervals are adjusted to match.",
                    secondary, secondary == 1 ? "" : "s", segs, segs == 1 ? "" : "s", correction);
    }
    if (one_sided)
        rep_para(o, "Goal and secondary metrics were tested one-sided, in their good direction only: their "
                "p-values and intervals are R's one-sided ones, with the other end of the interval open.",
             NULL);
    if (guards)
        rep_parafmt(o, NULL, "%d guardrail comparison%s: each is %s that the metric is not worse than its "
                         "margin; guardrails are not part of a correction family.",
                guards, guards == 1 ? "" : "s",
                !strcmp(method, "bayesian")
                    ? "judged by the normal posterior's probability (at least 1 - alpha)"
                    : "a one-sided non-inferiority test (Welch t for means, z otherwise)");
    if (capped) {
        rep_para(o, "Capped metrics were winsorized at thresholds computed once from the pooled values "
                "of all arms (R quantile type 7), before testing:",
             NULL);
        cap_lines(o, rows);
    }
    if (quantiles)
        rep_para(o, "Quantile metrics compare the arms' sample quantiles (R quantile type 7) with "
                "standard errors from order statistics (Deng, Knoblich and Lu, 2018).",
             NULL);
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(doc, "settings"), *w;
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(set, "where"))) {
        tbuf_t t = {0};
        int k = 0;
        tb_puts(&t, "Only the rows where ");
        cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(set, "where"))
            tb_printf(&t, "%s%s", k++ ? " and " : "", cJSON_IsString(w) ? w->valuestring : "");
        tb_puts(&t, " were analysed (--where), before any threshold, SRM check or test.");
        rep_para(o, t.s ? t.s : "", NULL);
        rep_drop(o, &t);
    }
    if (*doc_get_str(set, "unit-column"))
        rep_parafmt(o, NULL, "Units are identified by the column '%s': a unit found under more than one "
                         "variant is left out of every comparison.",
                doc_get_str(set, "unit-column"));
    rep_para(o, "docs/methods.md in the dcx sources gives every formula and its reference.", NULL);
}

/* The inputs and options the result was computed from (not in a client's report). */
void rep_settings_section(out_t *o, const cJSON *doc)
{
    if (o->sty->client)
        return;
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(doc, "settings"), *s;
    if (!cJSON_IsObject(set) || !set->child)
        return;
    rep_heading(o, 2, "Inputs and settings");
    const char *head[] = {"option", "value"};
    rep_table_start(o, 2, head);
    cJSON_ArrayForEach(s, set)
    {
        tbuf_t v = {0};
        char nb[32];
        if (cJSON_IsString(s))
            tb_puts(&v, s->valuestring);
        else if (cJSON_IsNumber(s))
            tb_puts(&v, dcx_json_number_text(s->valuedouble, nb));
        else if (cJSON_IsBool(s))
            tb_puts(&v, cJSON_IsTrue(s) ? "yes" : "no");
        else if (cJSON_IsArray(s)) {
            const cJSON *e;
            cJSON_ArrayForEach(e, s)
            {
                if (v.len)
                    tb_puts(&v, ", ");
                tb_puts(&v, cJSON_IsString(e) ? e->valuestring
                            : cJSON_IsNumber(e) ? dcx_json_number_text(e->valuedouble, nb) : "");
            }
        }
        tbuf_t k = {0};
        tb_printf(&k, "--%s", s->string ? s->string : "");
        const char *cells[] = {k.s ? k.s : "", v.s ? v.s : ""};
        rep_table_row(o, 2, cells, 0);
        rep_drop(o, &k);
        rep_drop(o, &v);
    }
    rep_table_end(o);
}

/* The order of the results table: goal metrics, guardrails, secondary metrics (overall
 * rows), then the segment levels. */
static int result_rank(const cJSON *r)
{
    if (strcmp(doc_get_str(r, "segment"), "all"))
        return 3;
    const char *w = doc_get_word(r, "role", DOC_ROLE);
    return !strcmp(w, "goal") ? 0 : !strcmp(w, "guardrail") ? 1 : 2;
}

static dcx_status_t experiment_report(out_t *o, const cJSON *doc, dcx_error_t *err)
{
    char a[96], b[40], c[96], d[128], e[128], f[48], g[32], pb[24];
    const char *title = o->sty->title;
    rep_heading(o, 1, title ? title : "Experiment report");
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r, *s;
    const char *method = doc_get_word(doc, "method", DOC_METHOD);
    int bayes = !strcmp(method, "bayesian");
    double alpha = doc_get_num(doc, "alpha");
    /* 0. the rows that did not count, before anything computed from them */
    const cJSON *health = cJSON_GetObjectItemCaseSensitive(doc, "health");
    if (cJSON_IsObject(health) && health->child) {
        rep_heading(o, 2, "Data health");
        const cJSON *me = cJSON_GetObjectItemCaseSensitive(health, "multiple_exposures");
        if (cJSON_IsObject(me))
            rep_parafmt(o, "bad", "%.0f unit(s) (%.3g%% of the units) were found under more than one "
                              "variant and were left out of every comparison.",
                    doc_get_num(me, "units"), 100 * doc_get_num(me, "share"));
        if (doc_get_num(health, "duplicates") > 0)
            rep_parafmt(o, "bad", "%.0f rows repeat a unit.", doc_get_num(health, "duplicates"));
        double nv = doc_get_num(cJSON_GetObjectItemCaseSensitive(health, "no_variant"), "rows");
        if (nv > 0)
            rep_parafmt(o, "warn", "%.0f row(s) had an empty variant cell and were left out.", nv);
        double fo = doc_get_num(cJSON_GetObjectItemCaseSensitive(health, "filtered_out"), "rows");
        if (fo > 0)
            rep_parafmt(o, NULL, "%.0f row(s) were filtered out by --where (see Method).", fo);
    }
    /* 1. the decisions */
    const cJSON *dec = cJSON_GetObjectItemCaseSensitive(doc, "decisions");
    rep_heading(o, 2, "Decision");
    if (!cJSON_GetArraySize(dec)) {
        rep_para(o, DCX_NO_DECISION, "verdict");
    } else {
        cJSON_ArrayForEach(s, dec)
        {
            const char *dn = doc_get_word(s, "decision", DOC_DECISION);
            rep_parafmt(o, !strcmp(dn, "ship") ? "good" : !strcmp(dn, "no-ship") ? "bad" : "verdict",
                    "%s: %s", doc_get_str(s, "variant"), dn);
            rep_bullets(o, cJSON_GetObjectItemCaseSensitive(s, "reasons"), "reasons");
        }
    }
    /* 2. what must not be missed: a segment level with a broken split, an effect that
     * differs between segment levels */
    int seg_bad = 0, het_bad = 0;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "srm_segments")) seg_bad +=
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "mismatch"));
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "heterogeneity")) het_bad +=
        isfinite(doc_get_num(s, "p_value")) && doc_get_num(s, "p_value") < alpha;
    const cJSON *srm = cJSON_GetObjectItemCaseSensitive(doc, "srm");
    int bad = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(srm, "mismatch"));
    if (seg_bad || het_bad || bad) {
        rep_heading(o, 2, "Findings to read first");
        if (bad)
            rep_parafmt(o, "bad", "The traffic split does not match the design (sample ratio mismatch, "
                              "chi-square %.4g, %s): the comparisons may be biased.",
                    doc_get_num(srm, "chi2"), tb_p_is(doc_get_num(srm, "p_value"), pb, sizeof pb));
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "srm_segments")) if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "mismatch")))
            rep_parafmt(o, "bad", "Segment %s=%s: its split does not match the design (%s), though "
                              "a healthy total can hide it.",
                    doc_get_str(s, "segment"), doc_get_str(s, "segment_value"),
                    tb_p_is(doc_get_num(s, "p_value"), pb, sizeof pb));
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "heterogeneity")) if (isfinite(doc_get_num(s, "p_value")) && doc_get_num(s, "p_value") < alpha)
            rep_parafmt(o, "warn", "The effect of %s on %s differs between the levels of %s (Cochran's Q "
                               "%.4g, %s): read the segment rows, not only the total.",
                    doc_get_str(s, "variant"), doc_get_str(s, "metric"), doc_get_str(s, "segment"),
                    doc_get_num(s, "q"), tb_p_is(doc_get_num(s, "p_value"), pb, sizeof pb));
    }
    /* 3. the summary */
    int total = 0, sig = 0;
    cJSON_ArrayForEach(r, rows)
    {
        total++;
        sig += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant"));
    }
    rep_heading(o, 2, "Summary");
    rep_parafmt(o, "verdict", "%d of %d comparisons %s (%s, alpha %g, correction %s; control '%s').", sig,
            total, bayes ? "have a credible interval that excludes 0" : "are significant", method, alpha,
            doc_get_word(doc, "correction", DOC_CORRECTION), doc_get_str(doc, "control"));
    cJSON_ArrayForEach(r, rows) if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant")))
    {
        int pct = !strcmp(doc_get_word(r, "type", DOC_TYPE), "binary");
        interval(d, sizeof d, r, "diff", bayes ? "credible_interval" : "diff_ci", pct ? 100 : 1,
                 pct ? "%+.2f pp" : "%+.4g");
        int all = !strcmp(doc_get_str(r, "segment"), "all");
        tbuf_t metric = {0};
        doc_metric_label(&metric, r);
        rep_parafmt(o, "finding", "%s, %s%s%s, %s: %s%s", metric.s ? metric.s : "", all ? "all units" : doc_get_str(r, "segment"),
                all ? "" : "=", all ? "" : doc_get_str(r, "segment_value"), doc_get_str(r, "variant"), d,
                all ? "" : " (exploratory)");
        rep_drop(o, &metric);
    }
    rep_parafmt(o, bad || seg_bad ? "bad" : "good", "Traffic split (SRM): %s (chi-square %.4g, %s)%s",
            bad ? "MISMATCH" : "as designed", doc_get_num(srm, "chi2"),
            tb_p_is(doc_get_num(srm, "p_value"), pb, sizeof pb),
            seg_bad ? "; some segment levels show a mismatch" : "");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "warnings");
    if (cJSON_GetArraySize(w)) {
        rep_heading(o, 2, "Warnings");
        rep_bullets(o, w, "warn");
    }
    /* 4. the results */
    rep_heading(o, 2, "Results");
    const char *head[] = {"metric", "segment", "variant", "control", "treatment",
                          bayes ? "difference [credible]" : "difference [CI]", "lift [CI]",
                          bayes ? "P(better)" : "p", bayes ? "loss (risk)" : "p adjusted", "role"};
    rep_table_start(o, 10, head);
    /* goal metrics, guardrails, secondary metrics, then the segment levels */
    for (int rank = 0; rank < 4; rank++) {
        cJSON_ArrayForEach(r, rows)
        {
            if (result_rank(r) != rank)
                continue;
            int pct = !strcmp(doc_get_word(r, "type", DOC_TYPE), "binary"), quant = !strcmp(doc_get_word(r, "type", DOC_TYPE), "quantile");
            tbuf_t seg = {0};
            if (strcmp(doc_get_str(r, "segment"), "all"))
                tb_printf(&seg, "%s=%s", doc_get_str(r, "segment"), doc_get_str(r, "segment_value"));
            else
                tb_puts(&seg, "all");
            const cJSON *ca = cJSON_GetObjectItemCaseSensitive(r, "control"),
                        *ta = cJSON_GetObjectItemCaseSensitive(r, "treatment");
            char ma[24], mb[24];
            const char *field = quant ? "quantile" : "mean";
            rep_fnum(ma, sizeof ma, (pct ? 100 : 1) * doc_get_num(ca, field), pct ? "%.2f%%" : "%.4g");
            rep_fnum(mb, sizeof mb, (pct ? 100 : 1) * doc_get_num(ta, field), pct ? "%.2f%%" : "%.4g");
            snprintf(c, sizeof c, "%s (n=%.0f)", ma, doc_get_num(ca, "n"));
            snprintf(a, sizeof a, "%s (n=%.0f)", mb, doc_get_num(ta, "n"));
            interval(d, sizeof d, r, "diff", bayes ? "credible_interval" : "diff_ci", pct ? 100 : 1,
                     pct ? "%+.2f pp" : "%+.4g");
            interval(e, sizeof e, r, "lift", "lift_ci", 100, "%+.1f%%");
            if (bayes) {
                char rk[24];
                rep_fnum(f, sizeof f, 100 * doc_get_num(r, "prob_beat_control"), "%.4g%%");
                rep_fnum(g, sizeof g, doc_get_num(r, "expected_loss"), "%.4g");
                rep_fnum(rk, sizeof rk, 100 * doc_get_num(r, "risk_relative"), "%.3g%%");
                if (isfinite(doc_get_num(r, "risk_relative")))
                    snprintf(g + strlen(g), sizeof g - strlen(g), " (%s)", rk);
            } else {
                tb_p(doc_get_num(r, "p_value"), f, sizeof f);
                tb_p(doc_get_num(r, "p_adjusted"), g, sizeof g);
            }
            int guard = !strcmp(doc_get_word(r, "role", DOC_ROLE), "guardrail");
            int overall = !strcmp(doc_get_str(r, "segment"), "all");
            if (!overall)
                snprintf(b, sizeof b, "exploratory");
            else if (guard)
                snprintf(b, sizeof b, "guardrail%s",
                         cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "non_inferior")) ? ", holds" : "");
            else
                snprintf(b, sizeof b, "%s", *doc_get_word(r, "role", DOC_ROLE) ? doc_get_word(r, "role", DOC_ROLE) : "-");
            /* a guardrail's one p-value is its non-inferiority test (Bayesian: P(within margin)) */
            if (guard && overall && bayes) {
                rep_fnum(f, sizeof f, 100 * doc_get_num(r, "ni_probability"), "%.4g%% in margin");
            } else if (guard && overall) {
                tb_p(doc_get_num(r, "ni_p_value"), pb, sizeof pb);
                snprintf(f, sizeof f, "NI %s", pb);
                snprintf(g, sizeof g, "–");
            }
            tbuf_t label = {0};
            doc_metric_label(&label, r);
            const char *cells[] = {label.s ? label.s : "", seg.s ? seg.s : "", doc_get_str(r, "variant"), c, a, d, e, f, g, b};
            rep_table_row(o, 10, cells, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant")));
            rep_drop(o, &seg);
            rep_drop(o, &label);
        }
    }
    rep_table_end(o);
    rep_heading(o, 2, "Effects by segment");
    dcx_status_t st = rep_embed_plot(o, DCX_PLOT_FOREST, doc, "diff",
                                 "Forest plot: each comparison's difference with the interval its "
                                 "colour is judged by; the subtitle says which interval that is.",
                                 err);
    if (st)
        return st;
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "timeline"))) {
        rep_heading(o, 2, "Over time");
        if ((st = rep_embed_plot(o, DCX_PLOT_TIMELINE, doc, NULL,
                             "Cumulative difference with its interval, period by period.", err)))
            return st;
    }
    if (bayes && (st = rep_embed_plot(o, DCX_PLOT_POSTERIOR, doc, NULL,
                                  "Posterior distributions of each arm.", err)))
        return st;
    const cJSON *het = cJSON_GetObjectItemCaseSensitive(doc, "heterogeneity");
    if (cJSON_GetArraySize(het)) {
        rep_heading(o, 2, "Does the effect differ between segment levels?");
        const char *hh[] = {"metric", "segment", "variant", "Cochran's Q", "df", "p"};
        rep_table_start(o, 6, hh);
        cJSON_ArrayForEach(s, het)
        {
            rep_fnum(a, sizeof a, doc_get_num(s, "q"), "%.4g");
            rep_fnum(b, sizeof b, doc_get_num(s, "df"), "%.0f");
            tb_p(doc_get_num(s, "p_value"), c, sizeof c);
            const char *cells[] = {doc_get_str(s, "metric"), doc_get_str(s, "segment"), doc_get_str(s, "variant"), a, b, c};
            rep_table_row(o, 6, cells, isfinite(doc_get_num(s, "p_value")) && doc_get_num(s, "p_value") < alpha);
        }
        rep_table_end(o);
    }
    method_section(o, doc);
    rep_settings_section(o, doc);
    return DCX_OK;
}

static const char *css =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "max-width:1080px;margin:2em auto;padding:0 1em;color:#1c1c1c;line-height:1.45}"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;width:100%;font-size:.88em;margin:.6em 0}"
    "th,td{padding:.35em .55em;border-bottom:1px solid #e3e3e3;text-align:right}"
    "th:nth-child(-n+3),td:nth-child(-n+3){text-align:left}th{background:#f4f6f8}"
    "tr.sig td{background:#fff4e8;font-weight:600}ul.reasons{margin:.2em 0 1em}"
    "p.verdict{font-size:1.1em;background:#eef5fb;border-left:4px solid #0072B2;padding:.6em .9em}"
    "p.good{border-left:4px solid #009E73;padding-left:.8em}p.bad,p.warn{border-left:4px solid #D55E00;"
    "padding-left:.8em;background:#fff6f0}p.finding{margin:.2em 0 .2em 1em}"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.85em}"
    "footer{margin-top:3em;color:#777;font-size:.8em}"
    /* on paper: no heading left alone at the foot of a page, no table or chart cut in two,
     * charts the width of the page, colours kept */
    "@media print{body{max-width:none;margin:0;font-size:10pt;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}h1,h2,h3{break-after:avoid;page-break-after:avoid}"
    "figure,tr,p.verdict{break-inside:avoid;page-break-inside:avoid}"
    "figure svg{width:100%;max-height:24cm}table{font-size:8.5pt}footer{margin-top:1em}}";

dcx_status_t dcx_report_render(const cJSON *doc, const char *output, const dcx_plot_style_t *style,
                               dcx_error_t *err)
{
    dcx_plot_style_t none = {0};
    const dcx_plot_style_t *sty = style ? style : &none;
    size_t n = strlen(output);
    int md = n > 3 && !strcasecmp(output + n - 3, ".md");
    int html = n > 5 && !strcasecmp(output + n - 5, ".html");
    if (!md && !html)
        return dcx_error_set(err, DCX_EINVAL, "%s: the report file must end in .html or .md", output);
    dcx_status_t cst = dcx_result_check(doc, err);
    if (cst)
        return cst;
    int experiment = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "results"));
    int maturity = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "assessment"))
                   && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "dimensions"));
    int compare = maturity && cJSON_GetObjectItemCaseSensitive(
                                  cJSON_GetObjectItemCaseSensitive(doc, "overall"), "before");
    if (!experiment && !maturity)
        return dcx_error_set(err, DCX_ENOTSUP, "a report needs the JSON result of dcx analyze, "
                                              "dcx maturity score or dcx maturity compare");
    /* build the whole report in memory, then write it atomically */
    out_t o = {{0}, md, sty};
    if (html) {
        /* the page's title is the report's: --title, else the kind of report */
        const char *t = sty->title && *sty->title ? sty->title
                        : experiment ? "Experiment report"
                                     : doc_get_str(cJSON_GetObjectItemCaseSensitive(doc, "assessment"), "title");
        tb_puts(&o.b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
        tb_html(&o.b, *t ? t : "Maturity report");
        tb_printf(&o.b, "</title><style>%s</style></head><body>\n", css);
    }
    dcx_status_t st = experiment ? experiment_report(&o, doc, err)
                      : compare  ? rep_compare(&o, doc, err)
                                 : rep_maturity(&o, doc, err);
    /* a client's report names no tool version (nor, above, settings or file paths) */
    if (html && sty->client)
        tb_puts(&o.b, "<footer>Every number comes from the result file.</footer></body></html>\n");
    else if (html)
        tb_printf(&o.b, "<footer>Made with dcx %s; every number comes from the result file.</footer></body></html>\n",
                  dcx_version());
    else if (sty->client)
        tb_puts(&o.b, "\n---\nEvery number comes from the result file.\n");
    else
        tb_printf(&o.b, "\n---\nMade with dcx %s; every number comes from the result file.\n", dcx_version());
    if (!st && o.b.oom)
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!st)
        st = file_replace(output, o.b.s, o.b.len, err);
    tb_free(&o.b);
    return st;
}
