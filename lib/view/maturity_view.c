/* maturity_view.c — the maturity score document for people: overall level, one line per
 * dimension, groups side by side, then priorities with their recommendations. Text from
 * the assessment or the responses goes through the table's escaping. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/view.h"
#include "doc_read.h"
#include "textbuf.h"
#include "vtable.h"

/* A number, or "–" when there is none. */
static void f(char *b, size_t n, double v, const char *fmt)
{
    if (v == 0)
        v = 0; /* never "-0%" */
    if (isfinite(v))
        snprintf(b, n, fmt, v);
    else
        snprintf(b, n, "–");
}

/* "3 Defined", or "–" without a level */
static void level_text(tbuf_t *t, const cJSON *o)
{
    double l = doc_get_num(o, "level");
    const char *name = doc_get_str(o, "level_name");
    if (!isfinite(l)) {
        tb_puts(t, "–");
        return;
    }
    tb_printf(t, "%.0f", l);
    if (name) {
        tb_puts(t, " ");
        tb_puts(t, name);
    }
}

/* Two decimals, or as many as keep a value below its threshold (tb_below). */
static void f_below(char *b, size_t n, double v, double threshold)
{
    if (isfinite(v) && v < threshold)
        tb_below(v, threshold, b, n);
    else
        f(b, n, v, "%.2f");
}

static void text(tbuf_t *b, int md, const char *s)
{
    if (md)
        tb_md(b, s ? s : "");
    else
        tb_term(b, s ? s : "");
}

/* Whether the groups come from more than one --group-by column. */
static int several_by(const cJSON *groups)
{
    const cJSON *g;
    const char *first = NULL;
    cJSON_ArrayForEach(g, groups)
    {
        const char *by = doc_get_str(g, "by");
        if (!first)
            first = by;
        else if (strcmp(first, by))
            return 1;
    }
    return 0;
}

/* A group too small to show (--min-group-size). */
static int suppressed(const cJSON *g)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "suppressed"));
}

/* "n < 5": what stands in for a suppressed group's numbers. */
static void small_text(char *b, size_t n, const cJSON *doc)
{
    double m = doc_get_num(doc, "min_group_size");
    snprintf(b, n, "n < %.0f", isfinite(m) ? m : 5);
}

/* A dimension's name, marked where lower is better. */
static void dim_name(tbuf_t *t, const cJSON *d)
{
    tb_puts(t, doc_get_str(d, "name"));
    if (!strcmp(doc_get_word(d, "direction", DOC_DIM_DIRECTION), "lower"))
        tb_puts(t, " (lower is better)");
}

static void dimensions_table(tbuf_t *b, const cJSON *doc, int md)
{
    const cJSON *d, *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions");
    int norms = 0, border = 0;
    cJSON_ArrayForEach(d, dims)
    {
        norms |= cJSON_GetObjectItemCaseSensitive(d, "norm_n") != NULL;
        border |= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "level_borderline"));
    }
    const char *head[] = {"dimension", "score", "95% CI", "level", "alpha", "rwg", "cover",
                          "target", "gap", "priority", "vs norms"};
    vtable_t *t = vt_new(10 + norms, head, "lrllrrrrrrr");
    cJSON_ArrayForEach(d, dims)
    {
        const cJSON *ci = cJSON_GetObjectItemCaseSensitive(d, "ci");
        char cis[64] = "–", s1[32], s2[32], s3[32], s4[32], s5[32], s6[32], s7[32], s8[48];
        if (cJSON_GetArraySize(ci) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(ci, 0))
            && cJSON_IsNumber(cJSON_GetArrayItem(ci, 1)))
            snprintf(cis, sizeof cis, "[%.2f, %.2f]", cJSON_GetArrayItem(ci, 0)->valuedouble,
                     cJSON_GetArrayItem(ci, 1)->valuedouble);
        tbuf_t lvl = {0};
        level_text(&lvl, d);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "level_borderline")))
            tb_puts(&lvl, " ~");
        f(s1, sizeof s1, doc_get_num(d, "score"), "%.2f");
        f_below(s2, sizeof s2, doc_get_num(d, "alpha"), 0.5);
        f_below(s3, sizeof s3, doc_get_num(d, "rwg"), 0.7);
        f(s4, sizeof s4, 100 * doc_get_num(d, "coverage"), "%.0f%%");
        f(s5, sizeof s5, doc_get_num(d, "target"), "%.2f");
        f(s6, sizeof s6, doc_get_num(d, "gap"), "%.2f");
        f(s7, sizeof s7, doc_get_num(d, "priority"), "%.3f");
        if (isfinite(doc_get_num(d, "percentile")))
            snprintf(s8, sizeof s8, "%.0f%% (of %.0f)", doc_get_num(d, "percentile"), doc_get_num(d, "norm_n"));
        else
            snprintf(s8, sizeof s8, "–");
        tbuf_t name = {0};
        dim_name(&name, d);
        const char *cells[] = {name.s, s1, cis, lvl.s ? lvl.s : "–", s2, s3, s4, s5, s6, s7, s8};
        vt_row(t, cells, NULL);
        tb_done(b, &lvl);
        tb_done(b, &name);
    }
    vt_render(t, b, md, "");
    vt_free(t);
    if (border)
        tb_puts(b, md ? "\n~ borderline: the 95% interval holds a level threshold, so the level could as "
                        "well be the neighbouring one.\n"
                      : "~ borderline: the 95% interval holds a level threshold, so the level could as well "
                        "be the neighbouring one\n");
    if (norms)
        tb_puts(b, md ? "\nvs norms: the percentile among earlier clients' scores (better than that share "
                        "of them).\n"
                      : "vs norms: the percentile among earlier clients' scores (better than that share of them)\n");
}

/* ICC(1) and ICC(2) per breakdown and dimension. */
static void icc_table(tbuf_t *b, const cJSON *doc, int md)
{
    const cJSON *x, *icc = cJSON_GetObjectItemCaseSensitive(doc, "icc");
    if (!cJSON_GetArraySize(icc))
        return;
    const char *head[] = {"breakdown", "dimension", "ICC(1)", "ICC(2)", "groups"};
    vtable_t *t = vt_new(5, head, "llrrr");
    cJSON_ArrayForEach(x, icc)
    {
        char a1[32], a2[32], gn[32];
        f(a1, sizeof a1, doc_get_num(x, "icc1"), "%.3f");
        f(a2, sizeof a2, doc_get_num(x, "icc2"), "%.3f");
        f(gn, sizeof gn, doc_get_num(x, "groups"), "%.0f");
        const cJSON *d = NULL;
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "dimensions")) if (
            !strcmp(doc_get_str(d, "id"), doc_get_str(x, "dimension"))) break;
        const char *cells[] = {doc_get_str(x, "by"), d ? doc_get_str(d, "name") : doc_get_str(x, "dimension"),
                               a1, a2, gn};
        vt_row(t, cells, NULL);
    }
    tb_puts(b, md ? "\n### Between groups\n\n" : "\nbetween groups (ICC(1): share of the variance between groups; "
                                                  "ICC(2): reliability of the group means):\n");
    vt_render(t, b, md, "");
    vt_free(t);
}

/* The statements table (--items). */
static void items_table(tbuf_t *b, const cJSON *doc, int md)
{
    const cJSON *x, *items = cJSON_GetObjectItemCaseSensitive(doc, "items");
    if (!cJSON_GetArraySize(items))
        return;
    const char *head[] = {"statement", "dimension", "n", "missing", "mean", "sd", "agree", "r drop",
                          "alpha w/o", "text"};
    vtable_t *t = vt_new(10, head, "llrrrrrrrl");
    cJSON_ArrayForEach(x, items)
    {
        char n[32], m[32], mean[32], sd[32], ag[32], rd[32], ad[32];
        f(n, sizeof n, doc_get_num(x, "n"), "%.0f");
        f(m, sizeof m, doc_get_num(x, "missing"), "%.0f");
        f(mean, sizeof mean, doc_get_num(x, "mean"), "%.2f");
        f(sd, sizeof sd, doc_get_num(x, "sd"), "%.2f");
        f(ag, sizeof ag, 100 * doc_get_num(x, "agree_share"), "%.0f%%");
        f(rd, sizeof rd, doc_get_num(x, "r_drop"), "%.2f");
        f(ad, sizeof ad, doc_get_num(x, "alpha_if_dropped"), "%.2f");
        tbuf_t id = {0};
        tb_puts(&id, doc_get_str(x, "id"));
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "reverse")))
            tb_puts(&id, " (r)");
        const char *cells[] = {id.s ? id.s : "", doc_get_str(x, "dimension"), n, m, mean, sd, ag, rd, ad,
                               doc_get_str(x, "text")};
        vt_row(t, cells, NULL);
        tb_done(b, &id);
    }
    tb_puts(b, md ? "\n### Statements\n\n" : "\nstatements (mean on the scored scale; agree: top two points; r drop: "
                                              "correlation with the rest of the dimension; alpha w/o: its alpha without the "
                                              "statement; (r): reverse-worded):\n");
    vt_render(t, b, md, "");
    vt_free(t);
}

static void groups_table(tbuf_t *b, const cJSON *doc, int md)
{
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups"), *g, *d;
    size_t ng = (size_t)cJSON_GetArraySize(groups);
    if (!ng)
        return;
    const char **head = calloc(ng + 1, sizeof *head);
    char *align = calloc(ng + 2, 1);
    const char **cells = calloc(ng + 1, sizeof *cells);
    char(*nums)[32] = calloc(ng + 1, sizeof *nums);
    tbuf_t *labels = calloc(ng + 1, sizeof *labels);
    if (!head || !align || !cells || !nums || !labels) {
        b->oom = 1;
        goto done;
    }
    head[0] = "scores by group";
    align[0] = 'l';
    size_t k = 1;
    cJSON_ArrayForEach(g, groups)
    {
        const char *name = doc_get_str(g, "group");
        double n = doc_get_num(g, "respondents");
        if (several_by(groups))
            tb_printf(&labels[k], "%s=", doc_get_str(g, "by"));
        if (isfinite(n))
            tb_printf(&labels[k], "%s (n=%.0f)", name ? name : "", n);
        else
            tb_puts(&labels[k], name ? name : "");
        head[k] = labels[k].s ? labels[k].s : "";
        align[k++] = 'r';
    }
    vtable_t *t = vt_new(ng + 1, head, align);
    cells[0] = "overall";
    k = 1;
    char small[48];
    small_text(small, sizeof small, doc);
    cJSON_ArrayForEach(g, groups)
    {
        f(nums[k], 32, doc_get_num(cJSON_GetObjectItemCaseSensitive(g, "overall"), "score"), "%.2f");
        cells[k] = suppressed(g) ? small : nums[k];
        k++;
    }
    vt_row(t, cells, NULL);
    int di = 0;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
    {
        tbuf_t dn = {0};
        dim_name(&dn, d);
        cells[0] = dn.s ? dn.s : "";
        k = 1;
        cJSON_ArrayForEach(g, groups)
        {
            const cJSON *gd =
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g, "dimensions"), di);
            f(nums[k], 32, doc_get_num(gd, "score"), "%.2f");
            cells[k] = suppressed(g) ? small : nums[k];
            k++;
        }
        vt_row(t, cells, NULL);
        tb_done(b, &dn);
        di++;
    }
    tb_puts(b, md ? "\n### Groups\n\n" : "\n");
    vt_render(t, b, md, "");
    vt_free(t);
done:
    for (size_t i = 0; labels && i <= ng; i++)
        tb_done(b, &labels[i]);
    free(labels);
    free(head);
    free(align);
    free(cells);
    free(nums);
}

static void priorities(tbuf_t *b, const cJSON *doc, int md)
{
    if (!cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "priority_order")))
        return; /* nothing scored (a blank form): no order to give */
    tb_puts(b, md ? "\n### Priorities\n\n" : "\npriorities and next steps:\n");
    const cJSON *id, *d;
    int rank = 1;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(doc, "priority_order"))
    {
        if (!cJSON_IsString(id))
            continue;
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
        {
            const char *did = doc_get_str(d, "id");
            if (!did || strcmp(did, id->valuestring))
                continue;
            const cJSON *rec = cJSON_GetObjectItemCaseSensitive(d, "recommendation");
            tb_printf(b, md ? "%d. **" : "%2d. ", rank++);
            text(b, md, doc_get_str(d, "name"));
            tb_puts(b, md ? "**" : "");
            /* what there is of: level, gap, direction */
            tbuf_t parts = {0};
            if (doc_get_str(d, "level_name"))
                tb_puts(&parts, doc_get_str(d, "level_name"));
            if (isfinite(doc_get_num(d, "gap")))
                tb_printf(&parts, "%sgap %.2f", parts.len ? ", " : "", doc_get_num(d, "gap"));
            if (!strcmp(doc_get_word(d, "direction", DOC_DIM_DIRECTION), "lower"))
                tb_printf(&parts, "%slower is better", parts.len ? ", " : "");
            if (parts.len) {
                tb_puts(b, " (");
                text(b, md, parts.s);
                tb_puts(b, ")");
            }
            tb_done(b, &parts);
            if (cJSON_IsString(rec)) {
                tb_puts(b, ": ");
                text(b, md, rec->valuestring);
            } else if (isfinite(doc_get_num(d, "level"))) {
                tb_puts(b, ": already at the highest level");
            }
            tb_puts(b, "\n");
            break;
        }
        if (rank > 5)
            break;
    }
}

dcx_status_t dcx_maturity_view(FILE *out, const cJSON *doc, int format, dcx_error_t *err)
{
    if (format != DCX_FORMAT_TABLE && format != DCX_FORMAT_MARKDOWN)
        return dcx_view_write(out, doc, (dcx_format_t)format, "dimensions", err);
    int md = format == DCX_FORMAT_MARKDOWN;
    tbuf_t b = {0};
    const cJSON *w, *a = cJSON_GetObjectItemCaseSensitive(doc, "assessment"),
                    *ov = cJSON_GetObjectItemCaseSensitive(doc, "overall");
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(doc, "warnings"))
    {
        tb_puts(&b, md ? "> **warning:** " : "warning: ");
        text(&b, md, cJSON_IsString(w) ? w->valuestring : "");
        tb_puts(&b, "\n");
    }
    char s1[32], s2[32], s3[32];
    f(s1, sizeof s1, doc_get_num(ov, "score"), "%.2f");
    f(s2, sizeof s2, doc_get_num(ov, "target"), "%.2f");
    f(s3, sizeof s3, 100 * doc_get_num(ov, "percent_to_target"), "%.0f%%");
    tbuf_t line = {0}, lvl = {0};
    level_text(&lvl, ov);
    tb_printf(&line, "%s %s (%s): %.0f respondents", doc_get_str(a, "title"),
              doc_get_str(a, "version"), doc_get_str(a, "id"),
              doc_get_num(doc, "respondents"));
    const cJSON *wt = cJSON_GetObjectItemCaseSensitive(doc, "weights");
    if (wt)
        tb_printf(&line, ", weighted by %s", doc_get_str(wt, "column"));
    tb_puts(&b, md ? "## " : "");
    text(&b, md, line.s);
    tb_puts(&b, md ? "\n\n" : "\n");
    tb_done(&b, &line);
    tb_printf(&line, "overall %s, level %s; target %s", s1, lvl.s ? lvl.s : "–", s2);
    if (isfinite(doc_get_num(ov, "percent_to_target")))
        tb_printf(&line, ", %s of the way there", s3);
    text(&b, md, line.s);
    tb_puts(&b, "\n\n");
    tb_done(&b, &line);
    tb_done(&b, &lvl);
    dimensions_table(&b, doc, md);
    groups_table(&b, doc, md);
    icc_table(&b, doc, md);
    priorities(&b, doc, md);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "settings"), "items")))
        items_table(&b, doc, md);
    return tb_emit(&b, out, err);
}

/* ---- compare ----------------------------------------------------------------------------- */

static void level_pair(tbuf_t *t, const cJSON *o)
{
    double b = doc_get_num(o, "level_before"), a = doc_get_num(o, "level_after");
    if (!isfinite(b) && !isfinite(a)) {
        tb_puts(t, "–");
        return;
    }
    if (isfinite(b))
        tb_printf(t, "%.0f", b);
    else
        tb_puts(t, "–");
    tb_puts(t, " -> ");
    if (isfinite(a))
        tb_printf(t, "%.0f", a);
    else
        tb_puts(t, "–");
}

/* Where a row stands against its target, in words: met, reached, fell below, or not met
 * with the share of the way covered. */
static void status_text(tbuf_t *t, const cJSON *d)
{
    const char *st = doc_get_str(d, "target_status");
    double p = doc_get_num(d, "progress");
    if (!st || !*st)
        tb_puts(t, "–");
    else if (!strcmp(st, "not met") && isfinite(p) && p < 0)
        tb_puts(t, "not met (moved away)"); /* a negative share of the way reads as nonsense */
    else if (!strcmp(st, "not met") && isfinite(p))
        tb_printf(t, "not met (%.0f%%)", p == 0 ? 0.0 : 100 * p);
    else
        tb_puts(t, st);
}

static void ci_text(char *b, size_t n, const cJSON *ci, const char *fmt)
{
    if (cJSON_GetArraySize(ci) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(ci, 0))
        && cJSON_IsNumber(cJSON_GetArrayItem(ci, 1))) {
        char lo[32], hi[32];
        f(lo, sizeof lo, cJSON_GetArrayItem(ci, 0)->valuedouble, fmt);
        f(hi, sizeof hi, cJSON_GetArrayItem(ci, 1)->valuedouble, fmt);
        snprintf(b, n, "[%s, %s]", lo, hi);
    } else {
        snprintf(b, n, "–");
    }
}

static void compare_row(tbuf_t *out, vtable_t *t, const cJSON *d, const char *label, int paired)
{
    char b[32], a[32], dl[32], ci[80], p[32], tg[32], pd[96];
    f(b, sizeof b, doc_get_num(d, "before"), "%.2f");
    f(a, sizeof a, doc_get_num(d, "after"), "%.2f");
    f(dl, sizeof dl, doc_get_num(d, "delta"), "%+.2f");
    ci_text(ci, sizeof ci, cJSON_GetObjectItemCaseSensitive(d, "delta_ci"), "%+.2f");
    f(p, sizeof p, doc_get_num(d, "p_value"), "%.4f");
    f(tg, sizeof tg, doc_get_num(d, "target"), "%.2f");
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(d, "paired");
    if (isfinite(doc_get_num(pr, "delta"))) {
        char pp[32];
        double pv = doc_get_num(pr, "p_value");
        if (isfinite(pv) && pv < 0.0001)
            snprintf(pp, sizeof pp, "< 0.0001");
        else
            f(pp, sizeof pp, pv, "%.4f");
        snprintf(pd, sizeof pd, "%+.2f (n %.0f, p %s)", doc_get_num(pr, "delta") == 0 ? 0.0 : doc_get_num(pr, "delta"),
                 doc_get_num(pr, "n"), pp);
    } else {
        snprintf(pd, sizeof pd, "–");
    }
    tbuf_t lv = {0}, status = {0};
    level_pair(&lv, d);
    status_text(&status, d);
    const char *cells[] = {label, b, a, dl, ci, p, lv.s ? lv.s : "–", tg, status.s ? status.s : "–", pd};
    vt_row(t, cells, NULL);
    (void)paired;
    tb_done(out, &lv);
    tb_done(out, &status);
}

static void compare_table(tbuf_t *b, const cJSON *block, int md)
{
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(block, "overall");
    int paired = cJSON_GetObjectItemCaseSensitive(ov, "paired") != NULL;
    const char *head[] = {"dimension", "before", "after", "change", "95% CI", "p", "level", "target",
                          "against target", "paired change"};
    vtable_t *t = vt_new(9 + paired, head, "lrrrlrlrll");
    const cJSON *d;
    compare_row(b, t, ov, "overall", paired);
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(block, "dimensions"))
    {
        tbuf_t name = {0};
        dim_name(&name, d);
        compare_row(b, t, d, name.s ? name.s : "", paired);
        tb_done(b, &name);
    }
    vt_render(t, b, md, "");
    vt_free(t);
    const cJSON *pn = cJSON_GetObjectItemCaseSensitive(ov, "panel");
    if (pn)
        tb_printf(b, "%spanel: %.0f returning, %.0f new, %.0f left\n", md ? "\n" : "", doc_get_num(pn, "returning"),
                  doc_get_num(pn, "new"), doc_get_num(pn, "left"));
}

dcx_status_t dcx_compare_view(FILE *out, const cJSON *doc, int format, dcx_error_t *err)
{
    if (format != DCX_FORMAT_TABLE && format != DCX_FORMAT_MARKDOWN)
        return dcx_view_write(out, doc, (dcx_format_t)format, "dimensions", err);
    int md = format == DCX_FORMAT_MARKDOWN;
    tbuf_t b = {0};
    const cJSON *w, *a = cJSON_GetObjectItemCaseSensitive(doc, "assessment"), *g;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(doc, "warnings"))
    {
        tb_puts(&b, md ? "> **warning:** " : "warning: ");
        text(&b, md, cJSON_IsString(w) ? w->valuestring : "");
        tb_puts(&b, "\n");
    }
    tbuf_t line = {0};
    tb_printf(&line, "%s %s (%s): %.0f respondents before, %.0f after",
              doc_get_str(a, "title"), doc_get_str(a, "version"),
              doc_get_str(a, "id"), doc_get_num(doc, "respondents_before"), doc_get_num(doc, "respondents_after"));
    tb_puts(&b, md ? "## " : "");
    text(&b, md, line.s);
    tb_puts(&b, "\n\n");
    tb_done(&b, &line);
    compare_table(&b, doc, md);
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(doc, "groups"))
    {
        tb_printf(&line, "group %s%s%s (n = %.0f before, %.0f after)",
                  several_by(cJSON_GetObjectItemCaseSensitive(doc, "groups")) ? doc_get_str(g, "by") : "",
                  several_by(cJSON_GetObjectItemCaseSensitive(doc, "groups")) ? "=" : "", doc_get_str(g, "group"),
                  doc_get_num(g, "respondents_before"), doc_get_num(g, "respondents_after"));
        tb_puts(&b, md ? "\n### " : "\n");
        text(&b, md, line.s);
        tb_puts(&b, md ? "\n\n" : ":\n");
        tb_done(&b, &line);
        if (suppressed(g)) {
            char small[48];
            small_text(small, sizeof small, doc);
            tb_printf(&b, "%s in a round: scores withheld (--min-group-size)\n", small);
        } else {
            compare_table(&b, g, md);
        }
    }
    if (!md)
        tb_puts(&b, "\nchange, 95% CI and p: Welch t test of respondents' scores between the rounds "
                    "(overall: of respondents' overall scores, while before and after are the weighted "
                    "means of the dimension scores); against target: met (both rounds), reached (in "
                    "the second), fell below (in the second), or not met with the share of the way "
                    "covered since the first round; paired change (--paired): the mean change of the respondents "
                    "in both rounds, with its paired t test\n");
    return tb_emit(&b, out, err);
}
