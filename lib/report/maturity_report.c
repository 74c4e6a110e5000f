/* maturity_report.c — the report of a maturity score (overall level, radar, priorities,
 * dimensions, statements, groups, agreement between groups, norms) and of two rounds
 * compared (the change plot, dimensions, paired changes, groups). Numbers come from the
 * result; nothing is computed here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/text.h"
#include "doc_read.h"
#include "report_internal.h"
#include "textbuf.h"

/* ---- maturity ------------------------------------------------------------------------- */

/* "3 Defined", or "–" when the assessment has no levels */
static void level_text(tbuf_t *b, const cJSON *o, const char *lk, const char *nk)
{
    double l = doc_get_num(o, lk);
    if (!isfinite(l)) {
        tb_puts(b, "–");
        return;
    }
    tb_printf(b, "%.0f", l);
    if (*doc_get_str(o, nk)) {
        tb_puts(b, " ");
        tb_puts(b, doc_get_str(o, nk));
    }
}

/* A table row of n cells, each built in its own buffer. */
typedef struct {
    tbuf_t c[12];
    int n;
} row_t;

static tbuf_t *cell(row_t *r) { return &r->c[r->n++]; }

static void row_emit(out_t *o, row_t *r, int strong)
{
    const char *cells[12];
    for (int i = 0; i < r->n; i++) {
        tb_puts(&r->c[i], "");
        cells[i] = r->c[i].s ? r->c[i].s : "";
    }
    rep_table_row(o, r->n, cells, strong);
    for (int i = 0; i < r->n; i++)
        rep_drop(o, &r->c[i]);
    r->n = 0;
}

static void numcell(row_t *r, double v, const char *fmt)
{
    if (v == 0)
        v = 0; /* never "-0" */
    tbuf_t *b = cell(r);
    if (isfinite(v))
        tb_printf(b, fmt, v);
    else
        tb_puts(b, "–");
}

/* The rules the scores were computed by: what a reader must know to trust them. */
static void scoring_rules(out_t *o, const cJSON *doc, int compare)
{
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(doc, "assessment");
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(as, "scale"), *x;
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(doc, "settings");
    rep_heading(o, 2, "How the scores were computed");
    tbuf_t b = {0};
    char n1[32], n2[32], n3[32];
    tb_printf(&b, "Answers are on a scale from %s to %s", dcx_json_number_text(doc_get_num(sc, "min"), n1),
              dcx_json_number_text(doc_get_num(sc, "max"), n2));
    double step = doc_get_num(sc, "step");
    if (step > 0)
        tb_printf(&b, " in steps of %s", dcx_json_number_text(step, n3));
    tb_puts(&b, "; reverse-worded statements are scored max + min − answer. Missing answers: ");
    int first = 1;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(sc, "na"))
    {
        tb_puts(&b, first ? "" : ", ");
        first = 0;
        if (cJSON_IsString(x) && !*x->valuestring)
            tb_puts(&b, "the empty cell");
        else if (cJSON_IsString(x))
            tb_printf(&b, "\"%s\"", x->valuestring);
        else if (cJSON_IsNumber(x))
            tb_puts(&b, dcx_json_number_text(x->valuedouble, n1));
    }
    tb_puts(&b, first ? "none declared." : ".");
    tb_puts(&b, "");
    rep_para(o, b.s ? b.s : "", NULL);
    rep_drop(o, &b);
    double share = doc_get_num(set, "min-answered");
    rep_parafmt(o, NULL,
            "A respondent's score on a dimension is the weighted mean of the statements they "
            "answered, counted only when they answered at least %s%% of its statement weight "
            "(--min-answered). A dimension's score is the mean of its respondents' scores, with a "
            "95%% t interval; the overall score is the weighted mean of the dimension scores.",
            isfinite(share) ? dcx_json_number_text(100 * share, n1) : "50");
    const char *tfile = doc_get_str(set, "targets");
    double t = doc_get_num(set, "target");
    if (*tfile)
        rep_parafmt(o, NULL, "Targets per dimension come from %s.", o->sty->client ? "a targets file" : tfile);
    else if (isfinite(t))
        rep_parafmt(o, NULL, "The target is %s for every dimension.", dcx_json_number_text(t, n1));
    else
        rep_para(o, "No target was given: there are no gaps, and priorities follow the lowest scores.",
             NULL);
    if (compare)
        rep_para(o, "Each round is scored on its own. The change's 95% interval and p are Welch's t test "
                "of respondents' scores in the two rounds (treated as independent samples); for the "
                "overall row the test is on respondents' overall scores (each the weighted mean of "
                "their own dimension scores), while before and after are the weighted means of the "
                "dimension scores. Against target: met (both rounds at or past it), reached (the "
                "second round got there), fell below (the first round was there, the second is not), "
                "or not met, with the share of the way covered from the first round's score.",
             NULL);
    else
        rep_para(o, "The gap is how far a dimension is from its target (above it, for a dimension "
                "where lower is better); priority is the gap times the dimension's share of the "
                "weight; the recommendation is the one for the next level up.",
             NULL);
    rep_para(o, "docs/methods.md in the dcx sources gives every formula and its reference.", NULL);
}

static void warnings_section(out_t *o, const cJSON *doc)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "warnings"), *x;
    if (!cJSON_GetArraySize(w))
        return;
    rep_heading(o, 2, "Warnings");
    cJSON_ArrayForEach(x, w)
    {
        tb_puts(&o->b, o->md ? "- " : "<p class=\"warn\">");
        rep_txt(o, cJSON_IsString(x) ? x->valuestring : "");
        tb_puts(&o->b, o->md ? "\n" : "</p>\n");
    }
    if (o->md)
        tb_puts(&o->b, "\n");
}

/* group names with their respondents, for table heads: "executive (n = 4)"; NULL when
 * out of memory */
static char *group_head(const cJSON *g, int compare)
{
    tbuf_t b = {0};
    tb_puts(&b, doc_get_str(g, "group"));
    if (compare)
        tb_printf(&b, " (n = %.0f, %.0f)", doc_get_num(g, "respondents_before"), doc_get_num(g, "respondents_after"));
    else
        tb_printf(&b, " (n = %.0f)", doc_get_num(g, "respondents"));
    tb_puts(&b, "");
    if (b.oom)
        tb_free(&b);
    return b.s;
}

/* The minimum group size the result was made with: a smaller group shows "n < N". */
static double small_size(const cJSON *doc)
{
    double m = doc_get_num(doc, "min_group_size");
    return isfinite(m) ? m : 5;
}

/* Scores by group: dimensions down, groups across (up to 8 groups), else a row per group. */
static void groups_section(out_t *o, const cJSON *doc, int compare)
{
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups"), *g, *x;
    int ng = cJSON_GetArraySize(groups);
    if (ng < 1)
        return;
    rep_heading(o, 2, "Groups compared");
    rep_para(o, compare ? "Each cell: first round → second round. Groups change at different speeds."
                    : "Differences between groups (for example executives and the front line) are "
                      "often the finding.",
         NULL);
    rep_parafmt(o, NULL, "A group with fewer than %.0f respondents%s shows \"n < %.0f\": its scores are "
                     "withheld so that no one's answers can be read off (--min-group-size).",
            small_size(doc), compare ? " in either round" : "", small_size(doc));
    if (ng > 8) {
        const char *head[] = {"group", "respondents", compare ? "before" : "score",
                              compare ? "after" : "level"};
        rep_table_start(o, 4, head);
        cJSON_ArrayForEach(g, groups)
        {
            row_t r = {0};
            const cJSON *ov = cJSON_GetObjectItemCaseSensitive(g, "overall");
            tb_puts(cell(&r), doc_get_str(g, "group"));
            if (compare)
                tb_printf(cell(&r), "%.0f, %.0f", doc_get_num(g, "respondents_before"),
                          doc_get_num(g, "respondents_after"));
            else
                tb_printf(cell(&r), "%.0f", doc_get_num(g, "respondents"));
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "suppressed"))) {
                tb_printf(cell(&r), "n < %.0f", small_size(doc));
                tb_printf(cell(&r), "n < %.0f", small_size(doc));
            } else {
                numcell(&r, doc_get_num(ov, compare ? "before" : "score"), "%.2f");
                if (compare)
                    numcell(&r, doc_get_num(ov, "after"), "%.2f");
                else
                    level_text(cell(&r), ov, "level", "level_name");
            }
            row_emit(o, &r, 0);
        }
        rep_table_end(o);
        return;
    }
    char *heads[9] = {0};
    const char *head[9];
    head[0] = "dimension";
    int i = 1;
    cJSON_ArrayForEach(g, groups)
    {
        if (!(heads[i] = group_head(g, compare)))
            o->b.oom = 1;
        head[i] = heads[i] ? heads[i] : "";
        i++;
    }
    rep_table_start(o, ng + 1, head);
    for (int d = -1;; d++) {
        const cJSON *dim = d < 0 ? NULL : cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "dimensions"), d);
        if (d >= 0 && !dim)
            break;
        row_t r = {0};
        tb_puts(cell(&r), d < 0 ? "overall" : doc_get_str(dim, "name"));
        if (d >= 0 && !strcmp(doc_get_word(dim, "direction", DOC_DIM_DIRECTION), "lower"))
            tb_puts(&r.c[0], " (lower is better)");
        cJSON_ArrayForEach(g, groups)
        {
            x = d < 0 ? cJSON_GetObjectItemCaseSensitive(g, "overall")
                      : cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g, "dimensions"), d);
            tbuf_t *b = cell(&r);
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "suppressed"))) {
                tb_printf(b, "n < %.0f", small_size(doc));
            } else if (compare) {
                double a = doc_get_num(x, "before"), z = doc_get_num(x, "after");
                if (isfinite(a))
                    tb_printf(b, "%.2f", a);
                else
                    tb_puts(b, "–");
                tb_puts(b, " → ");
                if (isfinite(z))
                    tb_printf(b, "%.2f", z);
                else
                    tb_puts(b, "–");
            } else if (isfinite(doc_get_num(x, "score"))) {
                tb_printf(b, "%.2f", doc_get_num(x, "score"));
            } else {
                tb_puts(b, "–");
            }
        }
        row_emit(o, &r, d < 0);
    }
    rep_table_end(o);
    for (i = 1; i <= ng; i++)
        free(heads[i]);
}

/* How many dimensions have a number under key: a radar needs three, a gaps chart one. */
static int scored(const cJSON *doc, const char *key)
{
    const cJSON *x;
    int n = 0;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(doc, "dimensions")) n +=
        isfinite(doc_get_num(x, key));
    return n;
}

/* Every statement: its answers and how it hangs together with its dimension. */
static void statements_section(out_t *o, const cJSON *doc)
{
    const cJSON *x, *items = cJSON_GetObjectItemCaseSensitive(doc, "items");
    if (!cJSON_GetArraySize(items))
        return;
    rep_heading(o, 2, "Statements");
    rep_para(o, "Mean and sd on the scored scale (reverse-worded statements turned round); agree: the "
                "share of answers in the top two points; r drop: the correlation with the rest of its "
                "dimension; alpha without: the dimension's alpha without the statement (both over the "
                "respondents who answered the whole dimension). A low r drop or an alpha that rises "
                "without the statement marks one to reword.", NULL);
    const char *head[] = {"statement", "dimension", "text", "n", "missing", "mean", "sd", "agree", "r drop",
                          "alpha without"};
    rep_table_start(o, 10, head);
    cJSON_ArrayForEach(x, items)
    {
        row_t r = {0};
        tbuf_t *b = cell(&r);
        tb_puts(b, doc_get_str(x, "id"));
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "reverse")))
            tb_puts(b, " (reversed)");
        tb_puts(cell(&r), doc_get_str(x, "dimension"));
        tb_puts(cell(&r), doc_get_str(x, "text"));
        numcell(&r, doc_get_num(x, "n"), "%.0f");
        numcell(&r, doc_get_num(x, "missing"), "%.0f");
        numcell(&r, doc_get_num(x, "mean"), "%.2f");
        numcell(&r, doc_get_num(x, "sd"), "%.2f");
        numcell(&r, 100 * doc_get_num(x, "agree_share"), "%.0f%%");
        numcell(&r, doc_get_num(x, "r_drop"), "%.2f");
        numcell(&r, doc_get_num(x, "alpha_if_dropped"), "%.2f");
        row_emit(o, &r, 0);
    }
    rep_table_end(o);
}

/* ICC(1) and ICC(2) per breakdown and dimension. */
static void icc_section(out_t *o, const cJSON *doc)
{
    const cJSON *x, *icc = cJSON_GetObjectItemCaseSensitive(doc, "icc");
    if (!cJSON_GetArraySize(icc))
        return;
    rep_heading(o, 2, "How much lies between groups");
    rep_para(o, "ICC(1) is the share of the variance of respondents' scores that lies between the groups "
                "(0.1 is already a clear group effect); ICC(2) is how reliably the groups' means differ "
                "(0.7 or more: the differences between groups can be read). Suppressed groups are left "
                "out; unweighted.", NULL);
    const char *head[] = {"breakdown", "dimension", "ICC(1)", "ICC(2)", "groups"};
    rep_table_start(o, 5, head);
    cJSON_ArrayForEach(x, icc)
    {
        row_t r = {0};
        tb_puts(cell(&r), doc_get_str(x, "by"));
        tb_puts(cell(&r), doc_get_str(x, "dimension"));
        numcell(&r, doc_get_num(x, "icc1"), "%.3f");
        numcell(&r, doc_get_num(x, "icc2"), "%.3f");
        numcell(&r, doc_get_num(x, "groups"), "%.0f");
        row_emit(o, &r, 0);
    }
    rep_table_end(o);
}

dcx_status_t rep_maturity(out_t *o, const cJSON *doc, dcx_error_t *err)
{
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(doc, "assessment"),
                *ov = cJSON_GetObjectItemCaseSensitive(doc, "overall"), *x, *id;
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions");
    const char *title = o->sty->title;
    rep_heading(o, 1, title ? title : doc_get_str(as, "title"));
    int has_target = isfinite(doc_get_num(ov, "target"));
    tbuf_t v = {0};
    tb_printf(&v, "Overall score %.2f", doc_get_num(ov, "score"));
    if (isfinite(doc_get_num(ov, "level"))) {
        tb_puts(&v, ", level ");
        level_text(&v, ov, "level", "level_name");
    }
    tb_printf(&v, ", from %.0f respondents.", doc_get_num(doc, "respondents"));
    const cJSON *wt = cJSON_GetObjectItemCaseSensitive(doc, "weights");
    if (wt)
        tb_printf(&v, " Scores are weighted by %s (the weights sum to %.6g); alpha, rwg, the statements "
                      "and the agreement between groups are unweighted.",
                  doc_get_str(wt, "column"), doc_get_num(wt, "sum"));
    if (has_target)
        tb_printf(&v, " Target %.2f: %.0f%% of the way there.", doc_get_num(ov, "target"),
                  100 * doc_get_num(ov, "percent_to_target"));
    tb_puts(&v, "");
    rep_para(o, v.s ? v.s : "", "verdict");
    rep_drop(o, &v);
    /* the findings not to miss: reliability and agreement problems */
    cJSON_ArrayForEach(x, dims)
    {
        double al = doc_get_num(x, "alpha"), rw = doc_get_num(x, "rwg");
        if (isfinite(al) && al < 0.5)
            rep_parafmt(o, "bad", "%s: Cronbach's alpha is %.3f, below 0.5 — its statements do not hang "
                              "together; check its reverse-worded items before acting on its score.",
                    doc_get_str(x, "name"), al);
        if (isfinite(rw) && rw < 0.7)
            rep_parafmt(o, "bad", "%s: respondents disagree (rwg = %.3f, below 0.7); its average "
                              "hides that, so look at the groups.",
                    doc_get_str(x, "name"), rw);
    }
    dcx_status_t st = DCX_OK;
    int drawn = 0; /* groups the radar draws: a suppressed one never is */
    const cJSON *gr;
    cJSON_ArrayForEach(gr, cJSON_GetObjectItemCaseSensitive(doc, "groups")) drawn +=
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(gr, "suppressed"));
    if (scored(doc, "score") >= 3)
        st = rep_embed_plot(o, DCX_PLOT_RADAR, doc, NULL,
                                 drawn > 5 ? "Dimension scores of all respondents against the target "
                                             "(dashed); more groups than a radar shows apart, so "
                                             "each group's scores are in the table below."
                                 : drawn   ? "Dimension scores of all respondents and of each group, "
                                             "against the target (dashed)."
                                           : "Dimension scores against the target (dashed).",
                                 err);
    if (st)
        return st;
    rep_heading(o, 2, "Priorities and next steps");
    if (o->md)
        tb_puts(&o->b, "\n");
    else
        tb_puts(&o->b, "<ol>");
    int rank = 0;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(doc, "priority_order"))
    cJSON_ArrayForEach(x, dims) if (cJSON_IsString(id) && !strcmp(doc_get_str(x, "id"), id->valuestring))
    {
        rank++;
        const cJSON *rec = cJSON_GetObjectItemCaseSensitive(x, "recommendation");
        tbuf_t b = {0};
        tb_puts(&b, doc_get_str(x, "name"));
        tb_puts(&b, " (");
        if (isfinite(doc_get_num(x, "level"))) {
            level_text(&b, x, "level", "level_name");
            tb_puts(&b, ", ");
        }
        tb_printf(&b, "score %.2f", doc_get_num(x, "score"));
        if (has_target)
            tb_printf(&b, ", gap %.2f, priority %.3f", doc_get_num(x, "gap"), doc_get_num(x, "priority"));
        if (!strcmp(doc_get_word(x, "direction", DOC_DIM_DIRECTION), "lower"))
            tb_puts(&b, ", lower is better");
        tb_puts(&b, ")");
        if (cJSON_IsString(rec)) {
            tb_puts(&b, ": ");
            tb_puts(&b, rec->valuestring);
        } else if (isfinite(doc_get_num(x, "level"))) {
            tb_puts(&b, ": already at the highest level");
        }
        tb_puts(&b, "");
        tb_puts(&o->b, o->md ? "" : "<li>");
        if (o->md)
            tb_printf(&o->b, "%d. ", rank);
        rep_txt(o, b.s ? b.s : "");
        tb_puts(&o->b, o->md ? "\n" : "</li>\n");
        rep_drop(o, &b);
    }
    tb_puts(&o->b, o->md ? "\n" : "</ol>\n");
    if (has_target && scored(doc, "score") && (st = rep_embed_plot(o, DCX_PLOT_GAPS, doc, NULL,
                                       "Gap to target, in order of priority.", err)))
        return st;
    rep_heading(o, 2, "Dimensions");
    int norms = 0, border = 0;
    cJSON_ArrayForEach(x, dims)
    {
        norms |= cJSON_GetObjectItemCaseSensitive(x, "norm_n") != NULL;
        border |= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "level_borderline"));
    }
    const char *head[] = {"dimension", "level", "score", "95% CI", "n", "target", "gap",
                          "priority", "alpha", "rwg", "coverage", "vs norms"};
    rep_table_start(o, 11 + norms, head);
    cJSON_ArrayForEach(x, dims)
    {
        row_t r = {0};
        tbuf_t *b = cell(&r);
        tb_puts(b, doc_get_str(x, "name"));
        if (!strcmp(doc_get_word(x, "direction", DOC_DIM_DIRECTION), "lower"))
            tb_puts(b, " (lower is better)");
        b = cell(&r);
        level_text(b, x, "level", "level_name");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "level_borderline")))
            tb_puts(b, " (borderline)");
        numcell(&r, doc_get_num(x, "score"), "%.2f");
        const cJSON *ci = cJSON_GetObjectItemCaseSensitive(x, "ci");
        b = cell(&r);
        if (cJSON_GetArraySize(ci) == 2 && cJSON_IsNumber(ci->child) && cJSON_IsNumber(ci->child->next))
            tb_printf(b, "[%.2f, %.2f]", ci->child->valuedouble, ci->child->next->valuedouble);
        else
            tb_puts(b, "–");
        numcell(&r, doc_get_num(x, "n"), "%.0f");
        numcell(&r, doc_get_num(x, "target"), "%.2f");
        numcell(&r, doc_get_num(x, "gap"), "%.2f");
        numcell(&r, doc_get_num(x, "priority"), "%.3f");
        double al = doc_get_num(x, "alpha"), rw = doc_get_num(x, "rwg");
        numcell(&r, al, "%.3f");
        if (isfinite(al) && al < 0.5)
            tb_puts(&r.c[r.n - 1], " (low)");
        numcell(&r, rw, "%.3f");
        if (isfinite(rw) && rw < 0.7)
            tb_puts(&r.c[r.n - 1], " (disagree)");
        numcell(&r, 100 * doc_get_num(x, "coverage"), "%.0f%%");
        if (norms) {
            b = cell(&r);
            if (isfinite(doc_get_num(x, "percentile")))
                tb_printf(b, "%.0f%% (of %.0f)", doc_get_num(x, "percentile"), doc_get_num(x, "norm_n"));
            else
                tb_puts(b, "–");
        }
        row_emit(o, &r, 0);
    }
    rep_table_end(o);
    if (border)
        rep_para(o, "A borderline level's 95% interval holds a level threshold: the data cannot tell it "
                    "from the neighbouring level.", NULL);
    if (norms)
        rep_para(o, "vs norms: the dimension's percentile among earlier clients' scores — better than "
                    "that share of them (of N clients).", NULL);
    statements_section(o, doc);
    groups_section(o, doc, 0);
    icc_section(o, doc);
    rep_heading(o, 2, "Reliability and agreement");
    rep_para(o, "Cronbach's alpha (over respondents who answered every statement of a dimension) shows "
            "whether the statements measure one thing: 0.7 or more is usual, below 0.5 is flagged. "
            "rwg(J) compares the spread of answers with random answering: below 0.7 respondents "
            "disagree, and the average hides that. Coverage is the share of statement weight "
            "answered.",
         NULL);
    warnings_section(o, doc);
    scoring_rules(o, doc, 0);
    rep_settings_section(o, doc);
    return DCX_OK;
}

/* Where a row stands against its target: met, reached, fell below, or not met with the
 * share of the way covered since the first round. */
static void status_cell(row_t *r, const cJSON *x)
{
    tbuf_t *b = cell(r);
    const char *st = doc_get_str(x, "target_status");
    double p = doc_get_num(x, "progress");
    if (!*st)
        tb_puts(b, "–");
    else if (!strcmp(st, "not met") && isfinite(p) && p < 0)
        tb_puts(b, "not met (moved away from it)");
    else if (!strcmp(st, "not met") && isfinite(p))
        tb_printf(b, "not met (%.0f%% of the way)", p == 0 ? 0.0 : 100 * p);
    else
        tb_puts(b, st);
}

static void interval_cell(row_t *r, const cJSON *x, const char *key)
{
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(x, key);
    tbuf_t *b = cell(r);
    if (cJSON_GetArraySize(ci) == 2 && cJSON_IsNumber(ci->child) && cJSON_IsNumber(ci->child->next))
        tb_printf(b, "[%+.2f, %+.2f]", ci->child->valuedouble == 0 ? 0.0 : ci->child->valuedouble,
                  ci->child->next->valuedouble == 0 ? 0.0 : ci->child->next->valuedouble);
    else
        tb_puts(b, "–");
}

dcx_status_t rep_compare(out_t *o, const cJSON *doc, dcx_error_t *err)
{
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(doc, "assessment"),
                *ov = cJSON_GetObjectItemCaseSensitive(doc, "overall"), *x;
    const char *title = o->sty->title;
    rep_heading(o, 1, title ? title : doc_get_str(as, "title"));
    tbuf_t v = {0};
    char pb[32];
    tb_printf(&v, "Overall score %.2f in the first round, %.2f in the second (%+.2f, %s; "
                  "%.0f and %.0f respondents).",
              doc_get_num(ov, "before"), doc_get_num(ov, "after"), doc_get_num(ov, "delta"),
              tb_p_is(doc_get_num(ov, "p_value"), pb, sizeof pb),
              doc_get_num(doc, "respondents_before"), doc_get_num(doc, "respondents_after"));
    if (isfinite(doc_get_num(ov, "level_before"))) {
        tb_puts(&v, " Level ");
        level_text(&v, ov, "level_before", "level_name_before");
        tb_puts(&v, " → ");
        level_text(&v, ov, "level_after", "level_name_after");
        tb_puts(&v, ".");
    }
    const char *ts = doc_get_str(ov, "target_status");
    if (isfinite(doc_get_num(ov, "target")) && *ts) {
        tb_printf(&v, " Target %.2f: ", doc_get_num(ov, "target"));
        if (!strcmp(ts, "met"))
            tb_puts(&v, "met in both rounds.");
        else if (!strcmp(ts, "reached"))
            tb_puts(&v, "reached in the second round.");
        else if (!strcmp(ts, "fell below"))
            tb_puts(&v, "met in the first round, but the second fell below it.");
        else if (doc_get_num(ov, "progress") < 0)
            tb_puts(&v, "not met, and the second round moved away from it.");
        else if (isfinite(doc_get_num(ov, "progress")))
            tb_printf(&v, "not met; %.0f%% of the way from the first round.",
                      doc_get_num(ov, "progress") == 0 ? 0.0 : 100 * doc_get_num(ov, "progress"));
        else
            tb_puts(&v, "not met.");
    }
    tb_puts(&v, "");
    rep_para(o, v.s ? v.s : "", "verdict");
    rep_drop(o, &v);
    dcx_status_t st = DCX_OK;
    if (scored(doc, "before") >= 3 || scored(doc, "after") >= 3)
        st = rep_embed_plot(o, DCX_PLOT_RADAR, doc, NULL,
                        "Both rounds against the target (dashed).", err);
    if (!st && (scored(doc, "before") || scored(doc, "after")))
        st = rep_embed_plot(o, DCX_PLOT_CHANGE, doc, NULL,
                            "Each dimension from the first round to the second, against its target.", err);
    if (st)
        return st;
    rep_heading(o, 2, "Dimensions");
    int paired = cJSON_GetObjectItemCaseSensitive(ov, "paired") != NULL;
    const char *head[] = {"dimension", "before", "after", "change", "95% CI", "p", "level", "target",
                          "against target", "paired change"};
    rep_table_start(o, 9 + paired, head);
    for (int d = -1;; d++) {
        x = d < 0 ? ov : cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "dimensions"), d);
        if (!x)
            break;
        row_t r = {0};
        tbuf_t *b = cell(&r);
        tb_puts(b, d < 0 ? "overall" : doc_get_str(x, "name"));
        if (!strcmp(doc_get_word(x, "direction", DOC_DIM_DIRECTION), "lower"))
            tb_puts(b, " (lower is better)");
        numcell(&r, doc_get_num(x, "before"), "%.2f");
        numcell(&r, doc_get_num(x, "after"), "%.2f");
        numcell(&r, doc_get_num(x, "delta"), "%+.2f");
        interval_cell(&r, x, "delta_ci");
        char pb[32];
        tb_puts(cell(&r), tb_p(doc_get_num(x, "p_value"), pb, sizeof pb));
        b = cell(&r);
        level_text(b, x, "level_before", "level_name_before");
        if (isfinite(doc_get_num(x, "level_before"))) {
            tb_puts(b, " → ");
            level_text(b, x, "level_after", "level_name_after");
        }
        numcell(&r, doc_get_num(x, "target"), "%.2f");
        status_cell(&r, x);
        if (paired) {
            const cJSON *pr = cJSON_GetObjectItemCaseSensitive(x, "paired");
            b = cell(&r);
            if (isfinite(doc_get_num(pr, "delta")))
                tb_printf(b, "%+.2f (%s, n = %.0f)", doc_get_num(pr, "delta") == 0 ? 0.0 : doc_get_num(pr, "delta"),
                          tb_p_is(doc_get_num(pr, "p_value"), pb, sizeof pb), doc_get_num(pr, "n"));
            else
                tb_puts(b, "–");
        }
        row_emit(o, &r, d < 0);
    }
    rep_table_end(o);
    const cJSON *pn = cJSON_GetObjectItemCaseSensitive(ov, "panel");
    if (pn)
        rep_parafmt(o, NULL, "The same people in both rounds (--paired): %.0f answered both, %.0f only the "
                             "second and %.0f only the first. The paired change is the mean change of those "
                             "who answered both, with its paired t test; it is far more sensitive than the "
                             "rounds compared as strangers.",
                    doc_get_num(pn, "returning"), doc_get_num(pn, "new"), doc_get_num(pn, "left"));
    groups_section(o, doc, 1);
    warnings_section(o, doc);
    scoring_rules(o, doc, 1);
    rep_settings_section(o, doc);
    return DCX_OK;
}

