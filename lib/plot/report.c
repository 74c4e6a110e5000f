/* report.c — one self-contained report file of an analysis or a maturity result: HTML
 * with inline CSS and plots embedded as SVG, or Markdown with the SVG as data URIs. The
 * report lays out numbers from the result; it computes no statistic. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"
#include "plot_util.h"
#include "slurp.h"
#include "textbuf.h"

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

typedef struct {
    FILE *f;
    int md;
} out_t;

/* Every piece of text that reaches the report goes through here: HTML-escaped, or
 * Markdown-escaped (one line, metacharacters and markup neutralised). */
static void txt(out_t *o, const char *s)
{
    if (o->md)
        fput_md(o->f, s ? s : "");
    else
        fput_html(o->f, s ? s : "");
}

static void fnum(char *b, size_t n, double v, const char *fmt)
{
    if (isfinite(v))
        snprintf(b, n, fmt, v);
    else
        snprintf(b, n, "–");
}

static void interval(char *b, size_t n, const cJSON *o, const char *est, const char *ci, double k,
                     const char *fmt)
{
    char e[24], lo[24], hi[24];
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, ci);
    fnum(e, sizeof e, k * num(o, est), fmt);
    if (cJSON_GetArraySize(c) == 2) {
        fnum(lo, sizeof lo, k * cJSON_GetArrayItem(c, 0)->valuedouble, fmt);
        fnum(hi, sizeof hi, k * cJSON_GetArrayItem(c, 1)->valuedouble, fmt);
        snprintf(b, n, "%s [%s, %s]", e, lo, hi);
    } else {
        snprintf(b, n, "%s", e);
    }
}

/* ---- tables ---------------------------------------------------------------------------- */

static void table_start(out_t *o, int ncol, const char *const *head)
{
    if (o->md) {
        fputs("\n|", o->f);
        for (int i = 0; i < ncol; i++) {
            fputs(" ", o->f);
            txt(o, head[i]);
            fputs(" |", o->f);
        }
        fputs("\n|", o->f);
        for (int i = 0; i < ncol; i++)
            fputs(i < 2 ? " --- |" : " ---: |", o->f);
        fputs("\n", o->f);
    } else {
        fputs("<table><thead><tr>", o->f);
        for (int i = 0; i < ncol; i++) {
            fputs("<th>", o->f);
            txt(o, head[i]);
            fputs("</th>", o->f);
        }
        fputs("</tr></thead><tbody>\n", o->f);
    }
}

static void table_row(out_t *o, int ncol, const char *const *cells, int strong)
{
    fputs(o->md ? "|" : (strong ? "<tr class=\"sig\">" : "<tr>"), o->f);
    for (int i = 0; i < ncol; i++) {
        fputs(o->md ? " " : "<td>", o->f);
        if (o->md && strong && i == 0)
            fputs("**", o->f);
        txt(o, cells[i]);
        if (o->md && strong && i == 0)
            fputs("**", o->f);
        fputs(o->md ? " |" : "</td>", o->f);
    }
    fputs("\n", o->f);
    if (!o->md)
        fputs("</tr>", o->f);
}

static void table_end(out_t *o) { fputs(o->md ? "\n" : "</tbody></table>\n", o->f); }

static void heading(out_t *o, int level, const char *s)
{
    if (o->md) {
        fprintf(o->f, "\n%.*s ", level, "####");
        txt(o, s);
        fputs("\n\n", o->f);
    } else {
        fprintf(o->f, "<h%d>", level);
        txt(o, s);
        fprintf(o->f, "</h%d>\n", level);
    }
}

static void para(out_t *o, const char *s, const char *cls)
{
    if (o->md) {
        txt(o, s);
        fputs("\n\n", o->f);
    } else {
        fprintf(o->f, cls ? "<p class=\"%s\">" : "<p>", cls);
        txt(o, s);
        fputs("</p>\n", o->f);
    }
}

/* ---- plots ------------------------------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static dcx_status_t embed_plot(out_t *o, dcx_plot_kind_t kind, const cJSON *doc, const char *gnuplot,
                               const char *measure, const char *caption, dcx_error_t *err)
{
    char dir[] = "/tmp/dcx-report-XXXXXX";
    if (!mkdtemp(dir))
        return dcx_error_set(err, DCX_EIO, "cannot create a temporary directory: %s", strerror(errno));
    dcx_status_t st = plot_to_dir(kind, doc, 1, dir, gnuplot, measure, NULL, err);
    if (!st) {
        char path[4096], *svg = NULL;
        size_t len = 0;
        snprintf(path, sizeof path, "%s/out.svg", dir);
        dcx_error_t rerr;
        dcx_slurp(path, (size_t)1 << 28, &svg, &len, &rerr);
        if (!svg || !len) {
            free(svg);
            st = dcx_error_set(err, DCX_ECONV, "gnuplot wrote no SVG");
        } else if (o->md) {
            fputs("![", o->f);
            txt(o, caption);
            fputs("](data:image/svg+xml;base64,", o->f);
            for (size_t i = 0; i < len; i += 3) {
                unsigned v = (unsigned char)svg[i] << 16;
                if (i + 1 < len)
                    v |= (unsigned char)svg[i + 1] << 8;
                if (i + 2 < len)
                    v |= (unsigned char)svg[i + 2];
                fputc(b64[(v >> 18) & 63], o->f);
                fputc(b64[(v >> 12) & 63], o->f);
                fputc(i + 1 < len ? b64[(v >> 6) & 63] : '=', o->f);
                fputc(i + 2 < len ? b64[v & 63] : '=', o->f);
            }
            fputs(")\n\n", o->f);
        } else {
            /* inline: drop the XML prolog and doctype, keep the <svg> element */
            char *start = strstr(svg, "<svg");
            fprintf(o->f, "<figure>%s<figcaption>", start ? start : svg);
            txt(o, caption);
            fputs("</figcaption></figure>\n", o->f);
        }
        free(svg);
    }
    plot_cleanup(dir);
    return st;
}

/* ---- the two kinds of report ------------------------------------------------------------- */

static const char *method_note(const char *method)
{
    if (!strcmp(method, "bayesian"))
        return "Bayesian analysis: conversion metrics use Beta(1, 1) priors and the exact "
               "Beta-Binomial posteriors (P(treatment beats control), expected loss, equal-tailed "
               "credible interval by numerical integration); other metrics a normal posterior "
               "N(difference, SE squared). A result is marked when its credible interval excludes 0.";
    if (!strcmp(method, "sequential"))
        return "Sequential analysis: always-valid p-values and confidence sequences from the "
               "normal-mixture mSPRT with GrowthBook's default tuning; they stay valid however often "
               "the results are looked at.";
    return "Frequentist analysis: two-proportion z test (pooled statistic, unpooled Wald interval) "
           "for conversion metrics, Welch's t test for means, the delta method for ratio metrics and "
           "relative lifts, a z test for NPS. p-values are adjusted over every comparison in the run.";
}

static dcx_status_t experiment_report(out_t *o, const cJSON *doc, const char *gnuplot,
                                      const char *title, dcx_error_t *err)
{
    char buf[512], a[96], b[40], c[96], d[96], e[96], f[32], g[32];
    heading(o, 1, title ? title : "Experiment report");
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    const char *method = str(doc, "method");
    int bayes = !strcmp(method, "bayesian");
    int total = 0, sig = 0;
    cJSON_ArrayForEach(r, rows)
    {
        total++;
        sig += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant"));
    }
    heading(o, 2, "Summary");
    snprintf(buf, sizeof buf, "%d of %d comparisons %s (%s, alpha %g, correction %s; control '%s').",
             sig, total, bayes ? "have a credible interval that excludes 0" : "are significant",
             method, num(doc, "alpha"), str(doc, "correction"), str(doc, "control"));
    para(o, buf, "verdict");
    cJSON_ArrayForEach(r, rows) if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant")))
    {
        int pct = !strcmp(str(r, "type"), "binary");
        interval(d, sizeof d, r, "diff", bayes ? "credible_interval" : "diff_ci", pct ? 100 : 1,
                 pct ? "%+.2f pp" : "%+.4g");
        snprintf(buf, sizeof buf, "%s, %s%s%s, %s: %s", str(r, "metric"),
                 strcmp(str(r, "segment"), "all") ? str(r, "segment") : "all units",
                 strcmp(str(r, "segment"), "all") ? "=" : "",
                 strcmp(str(r, "segment"), "all") ? str(r, "segment_value") : "", str(r, "variant"), d);
        para(o, buf, "finding");
    }
    const cJSON *srm = cJSON_GetObjectItemCaseSensitive(doc, "srm"), *s;
    int seg_bad = 0;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "srm_segments")) seg_bad +=
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "mismatch"));
    int bad = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(srm, "mismatch"));
    snprintf(buf, sizeof buf, "Traffic split (SRM): %s — chi-square %.4g, p = %.4g%s", bad ? "MISMATCH" : "as designed",
             num(srm, "chi2"), num(srm, "p_value"),
             seg_bad ? "; some segment levels show a mismatch, see the warnings" : "");
    para(o, buf, bad || seg_bad ? "bad" : "good");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "warnings");
    if (cJSON_GetArraySize(w)) {
        heading(o, 2, "Warnings");
        cJSON_ArrayForEach(s, w)
        {
            fputs(o->md ? "- " : "<p class=\"warn\">", o->f);
            txt(o, s->valuestring);
            fputs(o->md ? "\n" : "</p>\n", o->f);
        }
    }
    heading(o, 2, "Results");
    const char *head[] = {"metric", "segment", "variant", "control", "treatment",
                          bayes ? "difference [credible]" : "difference [CI]", "lift [CI]",
                          bayes ? "P(beat)" : "p", bayes ? "loss" : "p adjusted"};
    table_start(o, 9, head);
    cJSON_ArrayForEach(r, rows)
    {
        int pct = !strcmp(str(r, "type"), "binary");
        char seg[200];
        snprintf(seg, sizeof seg, "%s%s%s", strcmp(str(r, "segment"), "all") ? str(r, "segment") : "all",
                 strcmp(str(r, "segment"), "all") ? "=" : "",
                 strcmp(str(r, "segment"), "all") ? str(r, "segment_value") : "");
        const cJSON *ca = cJSON_GetObjectItemCaseSensitive(r, "control"),
                    *ta = cJSON_GetObjectItemCaseSensitive(r, "treatment");
        char ma[24], mb[24];
        fnum(ma, sizeof ma, (pct ? 100 : 1) * num(ca, "mean"), pct ? "%.2f%%" : "%.4g");
        fnum(mb, sizeof mb, (pct ? 100 : 1) * num(ta, "mean"), pct ? "%.2f%%" : "%.4g");
        snprintf(c, sizeof c, "%s (n=%.0f)", ma, num(ca, "n"));
        snprintf(a, sizeof a, "%s (n=%.0f)", mb, num(ta, "n"));
        interval(d, sizeof d, r, "diff", bayes ? "credible_interval" : "diff_ci", pct ? 100 : 1,
                 pct ? "%+.2f pp" : "%+.4g");
        interval(e, sizeof e, r, "lift", "lift_ci", 100, "%+.1f%%");
        fnum(f, sizeof f, bayes ? num(r, "prob_beat_control") : num(r, "p_value"), "%.4g");
        fnum(g, sizeof g, bayes ? num(r, "expected_loss") : num(r, "p_adjusted"), "%.4g");
        const char *cells[] = {str(r, "metric"), seg, str(r, "variant"), c, a, d, e, f, g};
        table_row(o, 9, cells, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant")));
    }
    table_end(o);
    heading(o, 2, "Effects by segment");
    dcx_status_t st = embed_plot(o, DCX_PLOT_FOREST, doc, gnuplot, "diff",
                                 "Forest plot: each comparison's difference with its interval; marked points are significant.", err);
    if (st)
        return st;
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "timeline"))) {
        heading(o, 2, "Over time");
        if ((st = embed_plot(o, DCX_PLOT_TIMELINE, doc, gnuplot, NULL,
                             "Cumulative difference with its interval, period by period.", err)))
            return st;
    }
    if (bayes && (st = embed_plot(o, DCX_PLOT_POSTERIOR, doc, gnuplot, NULL,
                                  "Posterior distributions of each arm.", err)))
        return st;
    const cJSON *het = cJSON_GetObjectItemCaseSensitive(doc, "heterogeneity");
    if (cJSON_GetArraySize(het)) {
        heading(o, 2, "Does the effect differ between segment levels?");
        const char *hh[] = {"metric", "segment", "variant", "Cochran's Q", "df", "p"};
        table_start(o, 6, hh);
        cJSON_ArrayForEach(s, het)
        {
            fnum(a, sizeof a, num(s, "q"), "%.4g");
            fnum(b, sizeof b, num(s, "df"), "%.0f");
            fnum(c, sizeof c, num(s, "p_value"), "%.4g");
            const char *cells[] = {str(s, "metric"), str(s, "segment"), str(s, "variant"), a, b, c};
            table_row(o, 6, cells, 0);
        }
        table_end(o);
    }
    heading(o, 2, "Method");
    para(o, method_note(method), NULL);
    return DCX_OK;
}

static dcx_status_t maturity_report(out_t *o, const cJSON *doc, const char *gnuplot,
                                    const char *title, dcx_error_t *err)
{
    char buf[600], a[32], b[32], c[32], d[64], e[32], f[32], g[32], h[32], k[32];
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(doc, "assessment"),
                *ov = cJSON_GetObjectItemCaseSensitive(doc, "overall"), *x, *id;
    heading(o, 1, title ? title : str(as, "title"));
    fnum(a, sizeof a, num(ov, "score"), "%.2f");
    fnum(b, sizeof b, num(ov, "target"), "%.2f");
    fnum(c, sizeof c, 100 * num(ov, "percent_to_target"), "%.0f%%");
    snprintf(buf, sizeof buf, "Overall maturity %s: level %.0f, %s. %.0f respondents; target %s, %s of the way there.",
             a, num(ov, "level"), str(ov, "level_name"), num(doc, "respondents"), b, c);
    para(o, buf, "verdict");
    dcx_status_t st = embed_plot(o, DCX_PLOT_RADAR, doc, gnuplot, NULL,
                                 "Dimension scores (blue) against the target (dashed).", err);
    if (st)
        return st;
    int has_target = isfinite(num(ov, "target"));
    heading(o, 2, "Priorities and next steps");
    if (o->md)
        fputs("\n", o->f);
    else
        fputs("<ol>", o->f);
    int rank = 0;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(doc, "priority_order"))
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(doc, "dimensions")) if (!strcmp(str(x, "id"), id->valuestring))
    {
        rank++;
        const cJSON *rec = cJSON_GetObjectItemCaseSensitive(x, "recommendation");
        fnum(a, sizeof a, num(x, "score"), "%.2f");
        fnum(b, sizeof b, num(x, "gap"), "%.2f");
        snprintf(buf, sizeof buf, "%s (%s, %s%s%s): %s", str(x, "name"), str(x, "level_name"), a,
                 has_target ? ", gap " : "", has_target ? b : "",
                 cJSON_IsString(rec) ? rec->valuestring : "already at the highest level");
        if (o->md)
            fprintf(o->f, "%d. ", rank);
        else
            fputs("<li>", o->f);
        txt(o, buf);
        fputs(o->md ? "\n" : "</li>\n", o->f);
    }
    fputs(o->md ? "\n" : "</ol>\n", o->f);
    if (has_target && (st = embed_plot(o, DCX_PLOT_GAPS, doc, gnuplot, NULL,
                                       "Gap to target by priority.", err)))
        return st;
    heading(o, 2, "Dimensions");
    const char *head[] = {"dimension", "level", "score", "95% CI", "target", "gap", "priority",
                          "alpha", "rwg", "coverage"};
    table_start(o, 10, head);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
    {
        const cJSON *ci = cJSON_GetObjectItemCaseSensitive(x, "ci");
        fnum(a, sizeof a, num(x, "score"), "%.2f");
        if (cJSON_GetArraySize(ci) == 2)
            snprintf(d, sizeof d, "[%.2f, %.2f]", cJSON_GetArrayItem(ci, 0)->valuedouble,
                     cJSON_GetArrayItem(ci, 1)->valuedouble);
        else
            snprintf(d, sizeof d, "–");
        fnum(b, sizeof b, num(x, "target"), "%.2f");
        fnum(c, sizeof c, num(x, "gap"), "%.2f");
        fnum(e, sizeof e, num(x, "priority"), "%.3f");
        fnum(f, sizeof f, num(x, "alpha"), "%.2f");
        fnum(g, sizeof g, num(x, "rwg"), "%.2f");
        fnum(h, sizeof h, 100 * num(x, "coverage"), "%.0f%%");
        char lvl[80];
        snprintf(lvl, sizeof lvl, "%.0f %s", num(x, "level"), str(x, "level_name"));
        const char *cells[] = {str(x, "name"), lvl, a, d, b, c, e, f, g, h};
        table_row(o, 10, cells, 0);
    }
    table_end(o);
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups"), *gr;
    int ng = cJSON_GetArraySize(groups);
    if (ng > 0 && ng <= 12) {
        heading(o, 2, "Groups compared");
        para(o, "Differences between groups (for example executives and the front line) are often the finding.", NULL);
        const char *hh[14];
        hh[0] = "dimension";
        int i = 1;
        cJSON_ArrayForEach(gr, groups) hh[i++] = str(gr, "group");
        table_start(o, ng + 1, hh);
        char cellbuf[13][32];
        const char *cells[14];
        cells[0] = "overall";
        i = 1;
        cJSON_ArrayForEach(gr, groups)
        {
            fnum(cellbuf[i], 32, num(cJSON_GetObjectItemCaseSensitive(gr, "overall"), "score"), "%.2f");
            cells[i] = cellbuf[i];
            i++;
        }
        table_row(o, ng + 1, cells, 1);
        int di = 0;
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
        {
            cells[0] = str(x, "name");
            i = 1;
            cJSON_ArrayForEach(gr, groups)
            {
                const cJSON *gd = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(gr, "dimensions"), di);
                fnum(cellbuf[i], 32, num(gd, "score"), "%.2f");
                cells[i] = cellbuf[i];
                i++;
            }
            table_row(o, ng + 1, cells, 0);
            di++;
        }
        table_end(o);
    }
    heading(o, 2, "Reliability and agreement");
    para(o, "Cronbach's alpha (over respondents who answered every statement of a dimension) shows "
            "whether the statements measure one thing: 0.7 or more is usual. rwg(J) compares the "
            "spread of answers with random answering: below 0.7 respondents disagree, and the "
            "average hides that. Coverage is the share of statement weight answered.",
         NULL);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(doc, "warnings");
    cJSON_ArrayForEach(x, w)
    {
        fputs(o->md ? "- " : "<p class=\"warn\">", o->f);
        txt(o, x->valuestring);
        fputs(o->md ? "\n" : "</p>\n", o->f);
    }
    (void)k;
    return DCX_OK;
}

static const char *css =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "max-width:1080px;margin:2em auto;padding:0 1em;color:#1c1c1c;line-height:1.45}"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;width:100%;font-size:.88em;margin:.6em 0}"
    "th,td{padding:.35em .55em;border-bottom:1px solid #e3e3e3;text-align:right}"
    "th:nth-child(-n+3),td:nth-child(-n+3){text-align:left}th{background:#f4f6f8}"
    "tr.sig td{background:#fff4e8;font-weight:600}"
    "p.verdict{font-size:1.1em;background:#eef5fb;border-left:4px solid #0072B2;padding:.6em .9em}"
    "p.good{border-left:4px solid #009E73;padding-left:.8em}p.bad,p.warn{border-left:4px solid #D55E00;"
    "padding-left:.8em;background:#fff6f0}p.finding{margin:.2em 0 .2em 1em}"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.85em}"
    "footer{margin-top:3em;color:#777;font-size:.8em}";

dcx_status_t dcx_report_render(const cJSON *doc, const char *output, const char *gnuplot,
                               const char *title, dcx_error_t *err)
{
    size_t n = strlen(output);
    int md = n > 3 && !strcasecmp(output + n - 3, ".md");
    int html = n > 5 && !strcasecmp(output + n - 5, ".html");
    if (!md && !html)
        return dcx_error_set(err, DCX_EINVAL, "%s: the report file must end in .html or .md", output);
    dcx_status_t cst = plot_check_result(doc, err);
    if (cst)
        return cst;
    int experiment = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "results"));
    int maturity = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "assessment"))
                   && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "dimensions"));
    if (!experiment && !maturity)
        return dcx_error_set(err, DCX_EINVAL,
                             "a report needs the JSON result of dcx analyze or dcx maturity score");
    /* build the whole report in memory, then write it atomically */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    out_t o = {mem, md};
    if (html)
        fprintf(mem, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>dcx report</title><style>%s</style></head><body>\n",
                css);
    dcx_status_t st = experiment ? experiment_report(&o, doc, gnuplot, title, err)
                                 : maturity_report(&o, doc, gnuplot, title, err);
    if (html)
        fprintf(mem, "<footer>Made with dcx %s; every number comes from the result file.</footer></body></html>\n",
                dcx_version());
    else
        fprintf(mem, "\n---\nMade with dcx %s; every number comes from the result file.\n", dcx_version());
    fclose(mem);
    if (!st) {
        char tmpl[] = "/tmp/dcx-report-XXXXXX";
        int fd = mkstemp(tmpl);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!f || fwrite(text, 1, len, f) != len) {
            st = dcx_error_set(err, DCX_EIO, "cannot write a temporary file");
            if (f)
                fclose(f);
            else if (fd >= 0)
                close(fd);
        } else {
            fclose(f);
            st = plot_install(tmpl, output, err);
        }
        unlink(tmpl);
    }
    free(text);
    return st;
}
