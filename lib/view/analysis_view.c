/* analysis_view.c — the analysis document for people, what matters first: the data's health
 * (when the rows were not clean or were filtered), the SRM line, warnings, the decision with
 * its reasons, then the overall rows (goal metrics, guardrails, secondary metrics), what each
 * cap changed, then the segment levels settings.rows asks for ("flagged": the levels whose
 * split is off or whose effect differs; "overall": none; "all"), then the split and
 * heterogeneity tables. Every piece of data goes through the table's escaping. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/analysis.h"
#include "dcx/view.h"
#include "doc_rows.h"
#include "doc_read.h"
#include "strmap.h"
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
    tb_unneg(b);
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
    if (isfinite(v) && fabs(v) < 1e15)
        snprintf(b, n, "%.0f", v);
    else if (isfinite(v)) /* not a count dcx wrote: shown as the number it is, not 30 digits */
        snprintf(b, n, "%.6g", v);
    else
        snprintf(b, n, "-");
}

/* a p-value with four decimals, never 0: "< 0.0001" below */
static void fmt_p(char *b, size_t n, double p)
{
    if (!isfinite(p))
        snprintf(b, n, "-");
    else
        tb_p(p, b, n);
}

static void heading(tbuf_t *b, int md, const char *text)
{
    tb_puts(b, md ? "\n### " : "\n");
    tb_puts(b, text);
    tb_puts(b, md ? "\n\n" : ":\n");
}

enum { C_METRIC, C_ROLE, C_SEGMENT, C_VARIANT, C_NC, C_NT, C_CTL, C_TRT, C_DIFF, C_LIFT, C_P1, C_P2,
       C_RISK, C_CUPED, NCOL };

static int is_overall(const cJSON *r) { return !strcmp(doc_get_str(r, "segment"), "all"); }

/* The order of overall rows: goal metrics, guardrails, secondary metrics. */
static int role_rank(const cJSON *r)
{
    const char *w = doc_get_word(r, "role", DOC_ROLE);
    return !strcmp(w, "goal") ? 0 : !strcmp(w, "guardrail") ? 1 : 2;
}

/* The words a person reads for a row's role: its role overall, and "exploratory" in a
 * segment level (a family of its own, corrected within the metric and column). */
static const char *role_word(const cJSON *r)
{
    if (!is_overall(r))
        return "exploratory";
    const char *w = doc_get_word(r, "role", DOC_ROLE);
    return *w ? w : "-";
}

/* The key of a flag: a tag and NUL-separated names. */
static void flag_key(tbuf_t *k, char tag, const char *x, const char *y, const char *z)
{
    tb_putn(k, &tag, 1);
    tb_putn(k, x, strlen(x) + 1);
    tb_putn(k, y, strlen(y) + 1);
    if (z)
        tb_putn(k, z, strlen(z) + 1);
}

/* The segment levels whose split is off ('S' segment value) and the metric x treatment x
 * segment column whose effect differs between levels ('H' metric variant segment): one map,
 * so that choosing rows stays linear in the levels. A failed allocation marks b. */
static void flags_build(tbuf_t *b, const dcx_doc_t *dd, double alpha, dcx_strmap_t *m)
{
    const cJSON *doc = dd->root, *s;
    doc_iter_t it;
    DOC_EACH(it, dd, "srm_segments", s)
    {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "mismatch")))
            continue;
        tbuf_t k = {0};
        flag_key(&k, 'S', doc_get_str(s, "segment"), doc_get_str(s, "segment_value"), NULL);
        if (k.oom || dcx_strmap_put(m, k.s, k.len) < 0)
            b->oom = 1;
        tb_free(&k);
    }
    if (it.oom)
        b->oom = 1;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "heterogeneity"))
    {
        double p = doc_get_num(s, "p_value");
        if (!(isfinite(p) && p < alpha))
            continue;
        tbuf_t k = {0};
        flag_key(&k, 'H', doc_get_str(s, "metric"), doc_get_str(s, "variant"), doc_get_str(s, "segment"));
        if (k.oom || dcx_strmap_put(m, k.s, k.len) < 0)
            b->oom = 1;
        tb_free(&k);
    }
}

/* Is segment row r one the default view shows: its level's split is off, or its metric's
 * effect differs between the levels of its segment column (Cochran's Q below alpha)? */
static int flagged(tbuf_t *b, const dcx_strmap_t *m, const cJSON *r)
{
    if (!m->n)
        return 0;
    tbuf_t k = {0};
    flag_key(&k, 'S', doc_get_str(r, "segment"), doc_get_str(r, "segment_value"), NULL);
    int hit = !k.oom && dcx_strmap_get(m, k.s, k.len) >= 0;
    tb_free(&k);
    if (!hit) {
        flag_key(&k, 'H', doc_get_str(r, "metric"), doc_get_str(r, "variant"), doc_get_str(r, "segment"));
        hit = !k.oom && dcx_strmap_get(m, k.s, k.len) >= 0;
    }
    tb_done(b, &k);
    return hit;
}

typedef struct {
    int overall;            /* 1: the overall rows (no segment column); 0: segment levels */
    int all;                /* segment levels: all of them, else the flagged ones */
    const dcx_strmap_t *flags;
} row_pick_t;

static int picked(tbuf_t *b, const cJSON *r, const row_pick_t *k)
{
    if (k->overall)
        return is_overall(r);
    if (is_overall(r))
        return 0;
    return k->all || flagged(b, k->flags, r);
}

/* The text of one row of a results table, every column (the table picks its own). */
typedef struct {
    char nct[32], ntr[32], mc[40], mt[40], d[128], l[128], p1[64], p2[32], rk[32], cu[96];
    tbuf_t seg, metric;
    const char *all[NCOL];
    const char *mark;
} row_text_t;

static void row_text(row_text_t *x, const cJSON *r, int md, int bayes, int overall)
{
    const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(r, "control"),
                *trt = cJSON_GetObjectItemCaseSensitive(r, "treatment");
    int pct = !strcmp(doc_get_word(r, "type", DOC_TYPE), "binary") && !isfinite(doc_get_num(r, "theta"));
    int quant = !strcmp(doc_get_word(r, "type", DOC_TYPE), "quantile");
    int guard = overall && role_rank(r) == 1;
    memset(&x->seg, 0, sizeof x->seg);
    memset(&x->metric, 0, sizeof x->metric);
    x->cu[0] = 0;
    doc_metric_label(&x->metric, r); /* load_ms (p90) */
    tb_printf(&x->seg, "%s=%s", doc_get_str(r, "segment"), doc_get_str(r, "segment_value"));
    fmt_count(x->nct, sizeof x->nct, doc_get_num(ctl, "n"));
    fmt_count(x->ntr, sizeof x->ntr, doc_get_num(trt, "n"));
    fmt_num(x->mc, sizeof x->mc, doc_get_num(ctl, quant ? "quantile" : "mean"), 0,
            !strcmp(doc_get_word(r, "type", DOC_TYPE), "binary"));
    fmt_num(x->mt, sizeof x->mt, doc_get_num(trt, quant ? "quantile" : "mean"), 0,
            !strcmp(doc_get_word(r, "type", DOC_TYPE), "binary"));
    fmt_ci(x->d, sizeof x->d, r, "diff", bayes ? "credible_interval" : "diff_ci", pct);
    fmt_ci(x->l, sizeof x->l, r, "lift", "lift_ci", 1);
    x->rk[0] = 0;
    if (bayes) {
        if (guard) {
            char v[32];
            fmt_num(v, sizeof v, doc_get_num(r, "ni_probability"), 0, 1);
            snprintf(x->p1, sizeof x->p1, "%s in margin", v);
        } else {
            fmt_num(x->p1, sizeof x->p1, doc_get_num(r, "prob_beat_control"), 0, 1);
        }
        fmt_num(x->p2, sizeof x->p2, doc_get_num(r, "expected_loss"), 0, pct);
        fmt_num(x->rk, sizeof x->rk, doc_get_num(r, "risk_relative"), 0, 1);
    } else if (guard) {
        char v[32];
        fmt_p(v, sizeof v, doc_get_num(r, "ni_p_value"));
        snprintf(x->p1, sizeof x->p1, "NI %s", v);
        snprintf(x->p2, sizeof x->p2, "-");
    } else {
        fmt_p(x->p1, sizeof x->p1, doc_get_num(r, "p_value"));
        fmt_p(x->p2, sizeof x->p2, doc_get_num(r, "p_adjusted"));
    }
    if (isfinite(doc_get_num(r, "theta"))) {
        char th[32], vr[32];
        fmt_num(th, sizeof th, doc_get_num(r, "theta"), 0, 0);
        fmt_num(vr, sizeof vr, doc_get_num(r, "variance_reduction"), 0, 1);
        snprintf(x->cu, sizeof x->cu, "theta %s, VR %s", th, vr);
    } else if (isfinite(doc_get_num(r, "strata"))) {
        char vr[32];
        fmt_num(vr, sizeof vr, doc_get_num(r, "variance_reduction"), 0, 1);
        snprintf(x->cu, sizeof x->cu, "%.0f strata, VR %s", doc_get_num(r, "strata"), vr);
    }
    const char *all[NCOL] = {x->metric.s ? x->metric.s : "", role_word(r), x->seg.s ? x->seg.s : "",
                             doc_get_str(r, "variant"), x->nct, x->ntr, x->mc, x->mt, x->d, x->l,
                             x->p1, x->p2, x->rk, x->cu};
    memcpy(x->all, all, sizeof all);
    x->mark = NULL;
    if (guard)
        x->mark = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "non_inferior")) ? "holds" : NULL;
    else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant")))
        x->mark = md ? "**significant**" : "*";
}

/* One table of result rows: the overall rows by role, or the segment levels asked for,
 * under `title` (NULL: none) when it has rows. A guardrail's one p-value is its
 * non-inferiority test (the decision's test); a CUPED row names its theta and the variance
 * reduction, a post-stratified row its strata and the variance reduction. The rows are walked three times (which are shown, how wide, the text), so
 * that a table of a row per segment level is never held whole. @return the rows shown. */
static size_t results_table(tbuf_t *b, const dcx_doc_t *dd, int md, int bayes, const row_pick_t *k,
                            const char *title)
{
    const cJSON *r;
    doc_iter_t it;
    int cuped = 0, strat = 0;
    size_t shown = 0;
    DOC_EACH(it, dd, "results", r) if (picked(b, r, k))
    {
        shown++;
        cuped |= isfinite(doc_get_num(r, "theta"));
        strat |= isfinite(doc_get_num(r, "strata"));
    }
    if (it.oom)
        b->oom = 1;
    cuped |= strat;
    if (!shown)
        return 0;
    const char *head[NCOL] = {"metric", "role", "segment", "variant", "n ctl", "n trt", "ctl", "trt",
                              bayes ? "diff [credible]" : "diff [CI]", "lift [CI]",
                              bayes ? "P(better)" : "p", bayes ? "loss" : "p adj", "risk",
                              strat ? "adjustment" : "CUPED"};
    /* the columns this table has, in order */
    int cols[NCOL];
    size_t nc = 0;
    char align[NCOL + 1];
    for (int c = 0; c < NCOL; c++) {
        if ((c == C_SEGMENT && k->overall) || (c == C_ROLE && !k->overall) || (c == C_RISK && !bayes) || (c == C_CUPED && !cuped))
            continue;
        align[nc] = c <= C_VARIANT || c == C_CUPED ? 'l' : 'r';
        cols[nc++] = c;
    }
    align[nc] = 0;
    const char *hv[NCOL];
    for (size_t i = 0; i < nc; i++)
        hv[i] = head[cols[i]];
    vtable_t *t = vt_new(nc, hv, align);
    if (title)
        heading(b, md, title);
    /* overall rows in role order (goal, guardrail, secondary), else document order: the
     * first walk measures, the second writes */
    for (int write = 0; write < 2; write++) {
        if (write)
            vt_head(t, b, md, "");
        for (int rank = 0; rank < (k->overall && write ? 3 : 1); rank++) {
            DOC_EACH(it, dd, "results", r)
            {
                if (!picked(b, r, k) || (k->overall && write && role_rank(r) != rank))
                    continue;
                row_text_t x;
                row_text(&x, r, md, bayes, k->overall);
                const char *cells[NCOL];
                for (size_t i = 0; i < nc; i++)
                    cells[i] = x.all[cols[i]];
                if (write)
                    vt_line(t, b, md, cells, x.mark);
                else
                    vt_measure(t, cells, x.mark);
                tb_done(b, &x.seg);
                tb_done(b, &x.metric);
            }
            if (it.oom)
                b->oom = 1;
        }
    }
    if (vt_oom(t))
        b->oom = 1;
    vt_free(t);
    return shown;
}

/* Text from the document through the escaping of the format. */
static void put_escaped(tbuf_t *b, int md, const tbuf_t *line)
{
    if (md)
        tb_md(b, line->s ? line->s : "");
    else
        tb_term(b, line->s ? line->s : "");
}

/* One listed line of text from the document. */
static void put_line(tbuf_t *b, int md, const tbuf_t *line)
{
    tb_puts(b, md ? "- " : "  ");
    put_escaped(b, md, line);
    tb_puts(b, "\n");
}

/* The rows that did not count, and the filters that chose the others: before anything
 * computed from them. Nothing when every row counted. */
static void health(tbuf_t *b, const cJSON *doc, int md)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(doc, "health"), *w;
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(doc, "settings");
    if (!cJSON_IsObject(h) || !h->child)
        return;
    tb_puts(b, md ? "### data health\n\n" : "data health:\n");
    const cJSON *me = cJSON_GetObjectItemCaseSensitive(h, "multiple_exposures");
    tbuf_t line = {0};
    if (cJSON_IsObject(me)) {
        double n = doc_get_num(me, "units");
        tb_printf(&line, "%.0f unit%s (%.3g%% of the units) %s found under more than one variant: "
                         "left out",
                  n, n == 1 ? "" : "s", 100 * doc_get_num(me, "share"), n == 1 ? "was" : "were");
        if (*doc_get_str(set, "unit-column"))
            tb_printf(&line, " (unit column '%s')", doc_get_str(set, "unit-column"));
        put_line(b, md, &line);
        tb_done(b, &line);
    }
    double dup = doc_get_num(h, "duplicates");
    if (dup > 0) {
        tb_printf(&line, "%.0f duplicate row%s", dup, dup == 1 ? "" : "s");
        put_line(b, md, &line);
        tb_done(b, &line);
    }
    double nv = doc_get_num(cJSON_GetObjectItemCaseSensitive(h, "no_variant"), "rows");
    if (nv > 0) {
        tb_printf(&line, "%.0f row%s with an empty variant cell: left out", nv, nv == 1 ? "" : "s");
        put_line(b, md, &line);
        tb_done(b, &line);
    }
    double fo = doc_get_num(cJSON_GetObjectItemCaseSensitive(h, "filtered_out"), "rows");
    if (fo > 0) {
        tb_printf(&line, "%.0f row%s filtered out, keeping only rows where", fo, fo == 1 ? "" : "s");
        int k = 0;
        cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(set, "where"))
            tb_printf(&line, "%s %s", k++ ? " and" : "", cJSON_IsString(w) ? w->valuestring : "");
        put_line(b, md, &line);
        tb_done(b, &line);
    }
    tb_puts(b, "\n");
}

/* What each cap did: its thresholds, and the values it changed with their share. One line
 * per capped metric (its first row). */
static void caps(tbuf_t *b, const dcx_doc_t *dd, int md)
{
    const cJSON *r;
    doc_iter_t it;
    tbuf_t prev = {0}; /* the last capped metric's name (its row is gone by the next) */
    int any = 0;
    DOC_EACH(it, dd, "results", r)
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "cap");
        const char *name = doc_get_str(r, "metric");
        if (!cJSON_IsObject(c) || (any && !strcmp(prev.s ? prev.s : "", name)))
            continue;
        prev.len = 0;
        tb_puts(&prev, name);
        if (!any++)
            heading(b, md, "capped (winsorized) metrics");
        char lo[40], hi[40];
        fmt_num(lo, sizeof lo, doc_get_num(c, "lower"), 0, 0);
        fmt_num(hi, sizeof hi, doc_get_num(c, "upper"), 0, 0);
        tbuf_t line = {0};
        tb_puts(&line, name);
        if (isfinite(doc_get_num(c, "lower")) && isfinite(doc_get_num(c, "upper")))
            tb_printf(&line, ": kept within [%s, %s]", lo, hi);
        else if (isfinite(doc_get_num(c, "upper")))
            tb_printf(&line, ": at most %s", hi);
        else
            tb_printf(&line, ": at least %s", lo);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "ignore_zeros")))
            tb_puts(&line, " (percentiles of the non-zero values; zeros stay 0)");
        double n = doc_get_num(c, "capped_n"), sh = doc_get_num(c, "capped_share");
        if (isfinite(n))
            tb_printf(&line, "; %.0f value%s changed (%.2f%% of the values)", n, n == 1 ? "" : "s",
                      100 * (isfinite(sh) ? sh : 0));
        put_line(b, md, &line);
        tb_done(b, &line);
    }
    if (it.oom)
        b->oom = 1;
    tb_done(b, &prev);
}

/* What "significant" means in the table: within which families, by which correction. */
static void significance_note(tbuf_t *b, const dcx_doc_t *dd, int md, int bayes, int segs)
{
    const cJSON *doc = dd->root;
    const char *corr = doc_get_word(doc, "correction", DOC_CORRECTION);
    int goal = 0, sec = 0, guards = 0;
    const cJSON *r;
    doc_iter_t it;
    DOC_EACH(it, dd, "results", r)
    {
        const char *role = doc_get_word(r, "role", DOC_ROLE);
        int overall = !strcmp(doc_get_str(r, "segment"), "all");
        goal |= overall && !strcmp(role, "goal");
        guards |= overall && !strcmp(role, "guardrail");
        sec |= overall && strcmp(role, "guardrail") && strcmp(role, "goal");
    }
    if (it.oom)
        b->oom = 1;
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
            tb_printf(&line, "%sa guardrail's p (NI) is its non-inferiority test against its margin, and it "
                             "holds when that is below alpha", *sep ? "; " : "");
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
static void segment_srm(tbuf_t *b, const dcx_doc_t *dd, int md)
{
    const cJSON *s;
    doc_iter_t it;
    int bad = 0;
    DOC_EACH(it, dd, "srm_segments", s) bad += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "mismatch"));
    if (it.oom)
        b->oom = 1;
    if (!bad)
        return;
    heading(b, md, "sample ratio mismatch within segment levels");
    const char *head[] = {"segment", "chi2", "p"};
    vtable_t *t = vt_new(3, head, "lrr");
    DOC_EACH(it, dd, "srm_segments", s)
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
    if (it.oom)
        b->oom = 1;
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

/* settings.rows of the document: "flagged" (the default), "overall" or "all". */
static const char *rows_setting(const cJSON *doc)
{
    const char *w = doc_get_str(cJSON_GetObjectItemCaseSensitive(doc, "settings"), "rows");
    return !strcmp(w, "all") || !strcmp(w, "overall") ? w : "flagged";
}

/* The segment levels the settings ask for, and a line saying what was left out. */
static void segment_rows(tbuf_t *b, const dcx_doc_t *dd, int md, int bayes, size_t total)
{
    const cJSON *doc = dd->root;
    const char *rows = rows_setting(doc);
    size_t shown = 0;
    if (!total)
        return;
    dcx_strmap_t flags = {0};
    if (strcmp(rows, "overall")) {
        flags_build(b, dd, doc_get_num(doc, "alpha"), &flags);
        row_pick_t k = {0, !strcmp(rows, "all"), &flags};
        shown = results_table(b, dd, md, bayes, &k,
                              !strcmp(rows, "all") ? "segment levels (exploratory)"
                                                   : "segment levels flagged: their split is off or "
                                                     "their effect differs (exploratory)");
        dcx_strmap_free(&flags);
    }
    if (shown < total) {
        tbuf_t line = {0};
        tb_printf(&line, "%zu segment row%s not shown%s; --rows all shows every level", total - shown,
                  total - shown == 1 ? "" : "s",
                  !strcmp(rows, "flagged") ? " (no split off and no effect that differs between their levels)" : "");
        tb_puts(b, "\n");
        if (md)
            tb_md(b, line.s ? line.s : "");
        else
            tb_term(b, line.s ? line.s : "");
        tb_puts(b, "\n");
        tb_done(b, &line);
    }
}

dcx_status_t dcx_analysis_view(FILE *out, const cJSON *doc, int format, dcx_error_t *err)
{
    dcx_doc_t d = dcx_doc_whole(doc);
    return dcx_analysis_view_doc(out, &d, format, err);
}

/* Writes the header line built in *line and a line end, and frees it. */
static void head_line(tbuf_t *b, tbuf_t *line, int md)
{
    put_escaped(b, md, line);
    tb_done(b, line);
    tb_puts(b, "\n");
}

dcx_status_t dcx_analysis_view_doc(FILE *out, const dcx_doc_t *dd, int format, dcx_error_t *err)
{
    if (format != DCX_FORMAT_TABLE && format != DCX_FORMAT_MARKDOWN)
        return dcx_view_write_doc(out, dd, (dcx_format_t)format, "results", err);
    const cJSON *doc = dd->root;
    int md = format == DCX_FORMAT_MARKDOWN;
    /* the overall rows (a few: metrics x treatments), gathered in one walk, are what most
     * of the view reads; the segment rows are walked for their own table */
    size_t nseg;
    cJSON *ovroot = doc_copy_where(dd, "results", is_overall, &nseg);
    if (!ovroot)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    dcx_doc_t ov = dcx_doc_whole(ovroot);
    tbuf_t b = {0};
    b.sink = out; /* a table of every segment level goes out as it is written */
    health(&b, doc, md);
    int bayes = !strcmp(doc_get_word(doc, "method", DOC_METHOD), "bayesian");
    const cJSON *srm = cJSON_GetObjectItemCaseSensitive(doc, "srm"), *w;
    char p[32], chi[32];
    fmt_p(p, sizeof p, doc_get_num(srm, "p_value"));
    fmt_num(chi, sizeof chi, doc_get_num(srm, "chi2"), 0, 0);
    tbuf_t line = {0};
    tb_printf(&line, "method %s, alpha %g, correction %s, control '%s'; SRM chi2 %s, p %s%s",
              doc_get_word(doc, "method", DOC_METHOD), doc_get_num(doc, "alpha"),
              doc_get_word(doc, "correction", DOC_CORRECTION), doc_get_str(doc, "control"), chi, p,
              cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(srm, "mismatch")) ? " MISMATCH" : " (ok)");
    head_line(&b, &line, md);
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
        head_line(&b, &line, md);
    }
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(doc, "post_stratify");
    if (cJSON_IsObject(ps)) {
        tb_printf(&line, "post-stratified on '%s' (%.0f strata): diff, lift and p are the strata-"
                         "weighted estimates; ctl and trt the means reweighted to the strata's shares",
                  doc_get_str(ps, "column"), doc_get_num(ps, "strata"));
        head_line(&b, &line, md);
    }
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "warnings")))
        tb_puts(&b, "\n");
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(doc, "warnings"))
    {
        tb_puts(&b, md ? "> **warning:** " : "warning: ");
        if (md)
            tb_md(&b, cJSON_IsString(w) ? w->valuestring : "");
        else
            tb_term(&b, cJSON_IsString(w) ? w->valuestring : "");
        tb_puts(&b, md ? "\n\n" : "\n");
    }
    decisions(&b, doc, md);
    heading(&b, md, "overall results");
    row_pick_t overall = {1, 0, NULL};
    results_table(&b, &ov, md, bayes, &overall, NULL);
    significance_note(&b, &ov, md, bayes, nseg > 0);
    caps(&b, &ov, md);
    cJSON_Delete(ovroot);
    segment_rows(&b, dd, md, bayes, nseg);
    segment_srm(&b, dd, md);
    heterogeneity(&b, doc, md, doc_get_num(doc, "alpha"));
    return tb_emit(&b, out, err);
}
