/* gnuplot.c — plots of result documents through gnuplot, run without a shell from a
 * private temporary directory. Labels taken from data are written to the data file and
 * read back with ytic()/xtic()/labels, so no user text ever becomes gnuplot commands. */
#include "dcx/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dcx/stats.h"
#include "doc_read.h"
#include "fileio.h"
#include "strmap.h"
#include "textbuf.h"

/* Okabe–Ito: readable with every common colour-vision deficiency */
static const char *const dcx_palette[8] = {"#0072B2", "#D55E00", "#009E73", "#E69F00",
                                    "#56B4E9", "#CC79A7", "#F0E442", "#000000"};

dcx_status_t dcx_plot_kind_parse(const char *name, dcx_plot_kind_t *kind, dcx_error_t *err)
{
    static const char *names[] = {"forest", "timeline", "posterior", "power", "radar", "gaps"};
    for (int i = 0; i < 6; i++)
        if (!strcmp(name, names[i])) {
            *kind = (dcx_plot_kind_t)i;
            return DCX_OK;
        }
    return dcx_error_set(err, DCX_EINVAL,
                         "unknown plot '%s' (forest, timeline, posterior, power, radar, gaps)", name);
}

/* ---- helpers ------------------------------------------------------------------------- */

/* a label for the data file: double-quoted, without quotes or control characters */
static void put_label(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : ((unsigned char)*s < 0x20 ? ' ' : *s), f);
    fputc('"', f);
}

/* The one way text reaches a gnuplot script: a single-quoted string, in which gnuplot
 * expands neither backquotes nor macros nor backslash escapes; a quote is doubled, and a
 * control character (a newline would end the command) becomes a space. The terminals are
 * set noenhanced, so no character has a markup meaning either. */
static void gp_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            fputs("''", f);
        else
            fputc(c < 0x20 || c == 0x7F ? ' ' : c, f);
    }
    fputc('\'', f);
}

static int ext_is(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && !strcasecmp(path + n - e, ext);
}

static int plot_format(const char *output)
{
    if (ext_is(output, ".png"))
        return 0;
    if (ext_is(output, ".svg"))
        return 1;
    if (ext_is(output, ".pdf"))
        return 2;
    return -1;
}

static void terminal(FILE *s, int fmt, int w, int h)
{
    static const char *ext[] = {"png", "svg", "pdf"};
    if (fmt == 0)
        fprintf(s, "set terminal pngcairo size %d,%d font 'DejaVu Sans,10' noenhanced\n", w, h);
    else if (fmt == 1)
        fprintf(s, "set terminal svg size %d,%d font 'DejaVu Sans,10' noenhanced background rgb 'white'\n", w, h);
    else
        fprintf(s, "set terminal pdfcairo size %.2fin,%.2fin font 'DejaVu Sans,9' noenhanced\n",
                w / 100.0, h / 100.0);
    fprintf(s, "set output 'out.%s'\n", ext[fmt]);
    fputs("set border lc rgb '#444444'\nset key noenhanced\nset tics nomirror\n", s);
}

/* ---- the kinds ------------------------------------------------------------------------ */

/* Distinct values of obj[key] over an array of objects, in order of first appearance. */
typedef struct {
    dcx_strmap_t map;
} names_t;

static int collect_names(names_t *n, const cJSON *arr, const char *key)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const char *v = doc_get_str(e, key);
        if (dcx_strmap_put(&n->map, v, strlen(v)) < 0)
            return -1;
    }
    return 0;
}

static long name_index(const names_t *n, const char *s) { return dcx_strmap_get(&n->map, s, strlen(s)); }

/* The figure's title (--title), or a default; multiplot figures put it over all panels. */
static void figure_title(FILE *s, const char *title, const char *fallback, int multiplot)
{
    const char *t = title && *title ? title : fallback;
    if (!t)
        return;
    fputs(multiplot ? "set multiplot title " : "set title ", s);
    gp_quote(s, t);
    fputs(" font ',13'\n", s);
}

/* Pixel budget: cairo cannot draw a PNG taller than 32767 pixels; PDF viewers stop at 200
 * inches. A figure with more rows gets thinner rows, down to a floor. */
static int max_height(int fmt) { return fmt == 0 ? 32000 : fmt == 2 ? 19000 : 1000000; }

/* interval endpoint i (0 or 1) of o[key]; NaN for null (an open end) */
static double ci_end(const cJSON *o, const char *key, int i)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsArray(c) || cJSON_GetArraySize(c) != 2)
        return NAN;
    const cJSON *v = cJSON_GetArrayItem(c, i);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int has_interval(const cJSON *o, const char *key)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsArray(c) && cJSON_GetArraySize(c) == 2
           && (isfinite(ci_end(o, key, 0)) || isfinite(ci_end(o, key, 1)));
}

/* One panel per metric (their scales differ), rows top to bottom, intervals drawn. A row
 * is coloured by the interval it shows: filled when that interval excludes 0 (the open
 * end of a one-sided interval reaches the panel's edge). With a correction the intervals
 * are the adjusted ones, so colour and bar always agree, and the subtitle says which.
 * Guardrails get their non-inferiority margin drawn in their panel; a metric where lower
 * is better says so under its panel. */
static dcx_status_t forest(FILE *s, FILE *d, const cJSON *doc, const char *measure, int fmt,
                           const char *title, dcx_error_t *err)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    if (!cJSON_IsArray(rows))
        return dcx_error_set(err, DCX_EINVAL, "a forest plot needs an analyze result (\"results\")");
    int lift = measure && !strcmp(measure, "lift");
    const char *method = doc_get_word(doc, "method", DOC_METHOD), *correction = doc_get_word(doc, "correction", DOC_CORRECTION);
    int bayes = !strcmp(method, "bayesian");
    int adjusted = !bayes && *correction && strcmp(correction, "none");
    if (adjusted) { /* a result written before adjusted intervals existed: say so */
        int found = 0;
        cJSON_ArrayForEach(r, rows) found |= cJSON_GetObjectItemCaseSensitive(r, lift ? "lift_ci_adjusted" : "diff_ci_adjusted") != NULL;
        if (!found)
            adjusted = -1;
    }
    const char *est = lift ? "lift" : "diff";
    /* the interval of a row: a guardrail is outside the correction family, so its own */
    const char *ci_plain = bayes ? (lift ? "lift_ci" : "credible_interval") : (lift ? "lift_ci" : "diff_ci");
    const char *ci_adj = adjusted > 0 ? (lift ? "lift_ci_adjusted" : "diff_ci_adjusted") : ci_plain;
#define CI_OF(row) (strcmp(doc_get_word(row, "role", DOC_ROLE), "guardrail") ? ci_adj : ci_plain)
    names_t metrics = {0};
    if (collect_names(&metrics, rows, "metric")) {
        dcx_strmap_free(&metrics.map);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t nm = metrics.map.n;
    int *count = calloc(nm + 1, sizeof *count), *lower_better = calloc(nm + 1, sizeof *lower_better);
    double *lo = calloc(nm + 1, sizeof *lo), *hi = calloc(nm + 1, sizeof *hi);
    int *has_margin = calloc(nm + 1, sizeof *has_margin);
    dcx_status_t st = DCX_OK;
    if (!count || !lower_better || !lo || !hi || !has_margin) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    double k = lift ? 100 : 1;
    int total = 0, has_direction = 0, has_guardrail = 0, oom = 0;
    size_t longest = 10;
    /* pass 1: ranges, counts */
    cJSON_ArrayForEach(r, rows)
    {
        long m = name_index(&metrics, doc_get_str(r, "metric"));
        const char *ci = CI_OF(r);
        if (m < 0 || !isfinite(doc_get_num(r, est)) || !has_interval(r, ci))
            continue;
        count[m]++;
        total++;
        lower_better[m] |= !strcmp(doc_get_word(r, "direction", DOC_DIRECTION), "decrease");
        has_direction |= cJSON_GetObjectItemCaseSensitive(r, "direction") != NULL;
        has_guardrail |= !strcmp(doc_get_word(r, "role", DOC_ROLE), "guardrail");
        double v[3] = {doc_get_num(r, est), ci_end(r, ci, 0), ci_end(r, ci, 1)};
        for (int i = 0; i < 3; i++)
            if (isfinite(v[i])) {
                lo[m] = fmin(lo[m], k * v[i]);
                hi[m] = fmax(hi[m], k * v[i]);
            }
        double mg = doc_get_num(r, "margin");
        if (!strcmp(doc_get_word(r, "role", DOC_ROLE), "guardrail") && isfinite(mg)) {
            double mc = doc_get_num(cJSON_GetObjectItemCaseSensitive(r, "control"), "mean");
            double at = lift ? (mc != 0 ? -mg / fabs(mc) : NAN) : -mg;
            if (lower_better[m])
                at = -at;
            if (isfinite(at)) {
                has_margin[m] = 1;
                lo[m] = fmin(lo[m], k * at);
                hi[m] = fmax(hi[m], k * at);
            }
        }
    }
    if (!total) {
        st = dcx_error_set(err, DCX_EINVAL, "no comparison with an interval to plot");
        goto done;
    }
    /* rows: the budget of pixels decides their height; labels go when rows get too thin */
    int panels = 0;
    for (size_t m = 0; m < nm; m++)
        panels += count[m] > 0;
    int row_px = 26, head_px = 86, top_px = 96;
    long height = top_px + (long)panels * head_px + (long)total * row_px;
    if (height > max_height(fmt)) {
        row_px = (int)((max_height(fmt) - top_px - (long)panels * head_px) / total);
        if (row_px < 2) {
            st = dcx_error_set(err, DCX_EINVAL,
                               "%d rows are too many for one %s: write an .svg, or plot fewer "
                               "segment levels",
                               total, fmt == 0 ? "PNG" : "PDF");
            goto done;
        }
        height = top_px + (long)panels * head_px + (long)total * row_px;
    }
    int labels = row_px >= 11;
    /* pass 2: the data, one block per metric: row est lo hi excludes0 margin label */
    for (size_t m = 0; m < nm; m++) {
        double pad = 0.06 * (hi[m] - lo[m] > 0 ? hi[m] - lo[m] : 1);
        double left = lo[m] - pad, right = hi[m] + pad;
        int row = 0;
        cJSON_ArrayForEach(r, rows)
        {
            const char *ci = CI_OF(r);
            if (name_index(&metrics, doc_get_str(r, "metric")) != (long)m || !isfinite(doc_get_num(r, est))
                || !has_interval(r, ci))
                continue;
            double l = k * ci_end(r, ci, 0), h = k * ci_end(r, ci, 1);
            int excludes = (isfinite(l) ? l > 0 : 0) || (isfinite(h) ? h < 0 : 0);
            if (!isfinite(l))
                l = left; /* one-sided: the open end runs to the edge */
            if (!isfinite(h))
                h = right;
            double mg = doc_get_num(r, "margin"), at = NAN;
            if (!strcmp(doc_get_word(r, "role", DOC_ROLE), "guardrail") && isfinite(mg)) {
                double mc = doc_get_num(cJSON_GetObjectItemCaseSensitive(r, "control"), "mean");
                at = lift ? (mc != 0 ? -mg / fabs(mc) : NAN) : -mg;
                if (lower_better[m])
                    at = -at;
                at *= k;
            }
            fprintf(d, "%d %.17g %.17g %.17g %d %.17g ", ++row, k * doc_get_num(r, est), l, h, excludes,
                    isfinite(at) ? at : NAN);
            tbuf_t label = {0};
            if (!strcmp(doc_get_str(r, "segment"), "all"))
                tb_printf(&label, "all units, %s", doc_get_str(r, "variant"));
            else
                tb_printf(&label, "%s=%s, %s", doc_get_str(r, "segment"), doc_get_str(r, "segment_value"),
                          doc_get_str(r, "variant"));
            if (label.s && tb_width(label.s) > longest)
                longest = tb_width(label.s);
            put_label(d, label.s ? label.s : "");
            oom |= label.oom;
            tb_free(&label);
            fputc('\n', d);
        }
        fputs("\n\n", d);
    }
    char sub[300];
    if (bayes)
        snprintf(sub, sizeof sub, "%s %g%% credible intervals",
                 lift ? "relative lift," : "difference,", 100 * (1 - doc_get_num(doc, "alpha")));
    else
        snprintf(sub, sizeof sub, "%s%s %g%% intervals%s%s",
                 !strcmp(method, "sequential") ? "always-valid " : "", lift ? "lift" : "difference",
                 100 * (1 - doc_get_num(doc, "alpha")),
                 adjusted > 0 ? ", adjusted for " : adjusted < 0 ? " not adjusted for " : " (no correction)",
                 adjusted ? correction : "");
    if (adjusted > 0 && has_guardrail)
        snprintf(sub + strlen(sub), sizeof sub - strlen(sub), " (guardrails: their own intervals)");
    terminal(s, fmt, 1000, (int)height);
    figure_title(s, title, NULL, 1);
    if (!title || !*title)
        fputs("set multiplot\n", s);
    fprintf(s, "set ytics scale 0\nset grid xtics lc rgb '#dddddd'\nset lmargin %d\n"
               "set style line 1 lc rgb '#555555' dt 2\n",
            labels ? (longest > 60 ? 62 : (int)longest + 2) : 4);
    fputs("set label 99 ", s);
    gp_quote(s, sub);
    fprintf(s, " at screen 0.5, screen %.6f center font ',9' tc rgb '#444444'\n", 1.0 - 44.0 / height);
    double top = 1.0 - (double)top_px / height;
    int block = 0;
    for (size_t m = 0; m < nm; m++, block++) {
        if (!count[m])
            continue;
        double h = (double)(head_px + row_px * count[m]) / height,
               pad = 0.06 * (hi[m] - lo[m] > 0 ? hi[m] - lo[m] : 1);
        top -= h;
        fprintf(s, "set origin 0,%.6f\nset size 1,%.6f\n", top, h);
        fprintf(s, "set yrange [%g:0.5]\nset xrange [%.17g:%.17g]\n", count[m] + 0.5, lo[m] - pad,
                hi[m] + pad);
        fputs("set title ", s);
        tbuf_t pt = {0};
        tb_puts(&pt, metrics.map.keys[m]);
        if (has_margin[m])
            tb_puts(&pt, "  (guardrail: its margin is the dotted line)");
        gp_quote(s, pt.s ? pt.s : "");
        oom |= pt.oom;
        tb_free(&pt);
        fputs(" font ',11'\n", s);
        fprintf(s, "set xlabel '%s%s'\n",
                lift ? "relative lift of treatment over control (%)"
                     : "difference, treatment minus control",
                lower_better[m] ? "   (lower is better: <- better)"
                : has_direction ? "   (higher is better: better ->)"
                                : "");
        if (block == 0)
            fprintf(s, "set key at screen 0.5, screen %.6f center top horizontal font ',9'\n",
                    1.0 - 54.0 / height);
        else
            fputs("unset key\n", s);
        fprintf(s, "set arrow 1 from 0, graph 0 to 0, graph 1 nohead ls 1\nplot ");
        if (labels)
            fprintf(s, "'data.txt' index %d using 2:1:ytic(7) with points ps 0 notitle, \\\n     ", block);
        else
            fprintf(s, "'data.txt' index %d using 2:1 with points ps 0 notitle, \\\n     ", block);
        fprintf(s, "'' index %d using ($5 > 0 ? $2 : NaN):1:3:4 with xerrorbars pt 7 ps 1.1 lw 1.5 lc rgb '%s' title 'significant: the interval excludes 0', \\\n"
                   "     '' index %d using ($5 > 0 ? NaN : $2):1:3:4 with xerrorbars pt 6 ps 1.1 lw 1.5 lc rgb '%s' title 'not significant'",
                block, dcx_palette[1], block, dcx_palette[0]);
        if (has_margin[m])
            fprintf(s, ", \\\n     '' index %d using 6:($1 - 0.45):(0):(0.9) with vectors nohead lw 3 dt 3 lc rgb '%s' notitle",
                    block, dcx_palette[5]);
        fputs("\n", s);
    }
    fputs("unset multiplot\n", s);
    if (oom)
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
done:
    dcx_strmap_free(&metrics.map);
    free(count);
    free(lower_better);
    free(lo);
    free(hi);
    free(has_margin);
    return st;
}

static dcx_status_t timeline(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                             dcx_error_t *err)
{
    const cJSON *tl = cJSON_GetObjectItemCaseSensitive(doc, "timeline"), *e;
    if (!cJSON_IsArray(tl) || !cJSON_GetArraySize(tl))
        return dcx_error_set(err, DCX_EINVAL,
                             "a timeline plot needs an analyze result run with --time-column");
    names_t metrics = {0}, variants = {0};
    if (collect_names(&metrics, tl, "metric") || collect_names(&variants, tl, "variant")) {
        dcx_strmap_free(&metrics.map);
        dcx_strmap_free(&variants.map);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t nm = metrics.map.n, nv = variants.map.n;
    int np = 0;
    /* blocks: metric m, variant v -> index m * nv + v */
    for (size_t m = 0; m < nm; m++)
        for (size_t v = 0; v < nv; v++) {
            int i = 0;
            cJSON_ArrayForEach(e, tl)
            {
                if (name_index(&metrics, doc_get_str(e, "metric")) != (long)m
                    || name_index(&variants, doc_get_str(e, "variant")) != (long)v)
                    continue;
                fprintf(d, "%d %.17g %.17g %.17g ", i++, doc_get_num(e, "diff"), ci_end(e, "diff_ci", 0),
                        ci_end(e, "diff_ci", 1));
                put_label(d, doc_get_str(e, "period"));
                fputc('\n', d);
            }
            if (i > np)
                np = i;
            fprintf(d, "%s\n\n", i ? "" : "0 NaN NaN NaN \"\"");
        }
    long height = 100 + 330 * (long)nm;
    if (height > max_height(fmt)) {
        dcx_strmap_free(&metrics.map);
        dcx_strmap_free(&variants.map);
        return dcx_error_set(err, DCX_EINVAL, "%zu metrics are too many for one timeline %s: write an .svg",
                             nm, fmt == 0 ? "PNG" : "PDF");
    }
    terminal(s, fmt, 1000, (int)height);
    const char *method = doc_get_word(doc, "method", DOC_METHOD);
    figure_title(s, title, !strcmp(method, "sequential")
                              ? "Cumulative difference with always-valid intervals, by period"
                              : "Cumulative difference with its interval, by period", 1);
    fprintf(s, "set multiplot layout %zu,1\nset grid ytics lc rgb '#dddddd'\n"
               "set style fill transparent solid 0.18 noborder\nset key top right\n"
               "set ylabel 'difference (treatment - control)'\nset xrange [-0.5:%d]\n",
            nm, np);
    if (np > 12)
        fputs("set xtics rotate by 45 right\n", s);
    if (np > 60)
        fprintf(s, "set xtics %d\n", np / 30);
    for (size_t m = 0; m < nm; m++) {
        fputs("set title ", s);
        gp_quote(s, metrics.map.keys[m]);
        fputs(" font ',11'\n", s);
        fprintf(s, "set xlabel '%s'\n", m == nm - 1 ? "period (cumulative data up to and including it)" : "");
        fputs("set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb '#555555'\nplot ", s);
        for (size_t v = 0; v < nv; v++) {
            const char *col = dcx_palette[v % 8];
            size_t idx = m * nv + v;
            fprintf(s, "%s'data.txt' index %zu using 1:3:4 with filledcurves lc rgb '%s' notitle, "
                       "'' index %zu using 1:2%s with linespoints pt 7 ps 0.6 lw 2 lc rgb '%s' title ",
                    v ? ", \\\n     " : "", idx, col, idx, np > 60 ? "" : ":xtic(5)", col);
            gp_quote(s, variants.map.keys[v]);
        }
        fputc('\n', s);
    }
    fputs("unset multiplot\n", s);
    dcx_strmap_free(&metrics.map);
    dcx_strmap_free(&variants.map);
    return DCX_OK;
}

/* Beta or normal posterior densities of each arm of each overall comparison. */
static dcx_status_t posterior(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                              dcx_error_t *err)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    if (!cJSON_IsArray(rows))
        return dcx_error_set(err, DCX_EINVAL, "a posterior plot needs an analyze result");
    int panels = 0;
    cJSON_ArrayForEach(r, rows) if (!strcmp(doc_get_str(r, "segment"), "all")) panels++;
    if (!panels)
        return dcx_error_set(err, DCX_EINVAL, "no overall comparison to plot");
    if (panels > 6)
        panels = 6;
    terminal(s, fmt, 1000, 90 + 300 * ((panels + 1) / 2));
    figure_title(s, title, "Posterior distributions of each arm", 1);
    fprintf(s, "set multiplot layout %d,%d\nset style fill transparent solid 0.25 noborder\n"
               "set key top right\nset ylabel 'density'\n",
            (panels + 1) / 2, panels > 1 ? 2 : 1);
    int p = 0, oom = 0;
    cJSON_ArrayForEach(r, rows)
    {
        if (strcmp(doc_get_str(r, "segment"), "all") || p >= panels)
            continue;
        const cJSON *arm[2] = {cJSON_GetObjectItemCaseSensitive(r, "control"),
                               cJSON_GetObjectItemCaseSensitive(r, "treatment")};
        int binary = !strcmp(doc_get_word(r, "type", DOC_TYPE), "binary");
        double lo = INFINITY, hi = -INFINITY, a[2], b[2], mu[2], se[2];
        for (int k = 0; k < 2; k++) {
            double n = doc_get_num(arm[k], "n"), m = doc_get_num(arm[k], "mean"), sd = doc_get_num(arm[k], "sd");
            mu[k] = m;
            a[k] = b[k] = NAN;
            if (binary) {
                double x = floor(m * n + 0.5);
                a[k] = 1 + x, b[k] = 1 + n - x;
                se[k] = sqrt(a[k] * b[k] / ((a[k] + b[k]) * (a[k] + b[k]) * (a[k] + b[k] + 1)));
                mu[k] = a[k] / (a[k] + b[k]);
            } else {
                se[k] = sd / sqrt(n);
            }
            if (!(se[k] > 0) || !isfinite(mu[k]))
                continue;
            lo = fmin(lo, mu[k] - 5 * se[k]);
            hi = fmax(hi, mu[k] + 5 * se[k]);
        }
        if (!isfinite(lo) || !(hi > lo))
            continue;
        if (binary)
            lo = fmax(0, lo), hi = fmin(1, hi);
        for (int i = 0; i <= 300; i++) {
            double x = lo + (hi - lo) * i / 300.0;
            fprintf(d, "%.17g", x);
            for (int k = 0; k < 2; k++) {
                double y = binary ? dcx_dist_beta_pdf(x, a[k], b[k])
                                  : exp(-0.5 * (x - mu[k]) * (x - mu[k]) / (se[k] * se[k]))
                                        / (se[k] * sqrt(2 * M_PI));
                fprintf(d, " %.17g", isfinite(y) ? y : 0);
            }
            fputc('\n', d);
        }
        fputs("\n\n", d);
        fprintf(s, "set xlabel '%s'\nset title ", binary ? "conversion rate" : "mean");
        tbuf_t t = {0};
        tb_printf(&t, "%s: %s vs control", doc_get_str(r, "metric"), doc_get_str(r, "variant"));
        if (isfinite(doc_get_num(r, "prob_beat_control")))
            tb_printf(&t, ", P(beat control) %.3g", doc_get_num(r, "prob_beat_control"));
        gp_quote(s, t.s ? t.s : "");
        oom |= t.oom;
        tb_free(&t);
        fprintf(s, "\nplot 'data.txt' index %d using 1:2 with filledcurves x1 lc rgb '%s' title 'control', "
                   "'' index %d using 1:3 with filledcurves x1 lc rgb '%s' title 'treatment'\n",
                p, dcx_palette[0], p, dcx_palette[1]);
        p++;
    }
    fputs("unset multiplot\n", s);
    return oom ? dcx_error_set(err, DCX_ENOMEM, "out of memory") : DCX_OK;
}

static dcx_status_t power_curve(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                               dcx_error_t *err)
{
    double n = doc_get_num(doc, "n_per_variant"), mde = doc_get_num(doc, "mde"), target = doc_get_num(doc, "power");
    if (!(n > 0 && n < 1e15) || !isfinite(mde))
        return dcx_error_set(err, DCX_EINVAL, "a power plot needs a power result (\"n_per_variant\")");
    dcx_power_spec_t sp;
    dcx_power_spec_init(&sp);
    sp.kind = !strcmp(doc_get_str(doc, "metric"), "mean") ? DCX_POWER_MEAN : DCX_POWER_BINARY;
    sp.baseline = doc_get_num(doc, "baseline");
    sp.mean = doc_get_num(doc, "mean");
    sp.sd = doc_get_num(doc, "sd");
    sp.alpha = doc_get_num(doc, "alpha");
    double k = doc_get_num(doc, "variants");
    sp.variants = k >= 2 && k <= 1000 ? (int)k : 2;
    sp.ratio = isnan(doc_get_num(doc, "ratio")) ? 1 : doc_get_num(doc, "ratio");
    for (int i = 1; i <= 200; i++) {
        double x = n * 2.5 * i / 200.0;
        fprintf(d, "%.17g %.17g\n", x, dcx_power_at(&sp, x, mde));
    }
    terminal(s, fmt, 900, 580);
    figure_title(s, title, "Power against the size of the control arm", 0);
    fputs("set xlabel 'units in the control arm'\nset ylabel 'power (probability of detecting the MDE)'\n"
          "set yrange [0:1]\nset grid lc rgb '#dddddd'\nset key bottom right\n", s);
    fprintf(s, "set arrow from %.17g, graph 0 to %.17g, graph 1 nohead dt 2 lc rgb '#555555'\n", n, n);
    fprintf(s, "set arrow from graph 0, first %.17g to graph 1, first %.17g nohead dt 3 lc rgb '#555555'\n",
            target, target);
    double nt = doc_get_num(doc, "n_treatment");
    if (sp.ratio != 1 && isfinite(nt))
        fprintf(s, "set label 1 'n = %.0f control, %.0f per treatment arm' at %.17g, graph 0.06 offset 1,0 tc rgb '#333333'\n",
                n, nt, n);
    else
        fprintf(s, "set label 1 'n = %.0f per variant' at %.17g, graph 0.06 offset 1,0 tc rgb '#333333'\n", n, n);
    fprintf(s, "plot 'data.txt' using 1:2 with lines lw 2.5 lc rgb '%s' title 'power at MDE %.4g'\n",
            dcx_palette[0], mde);
    return DCX_OK;
}

/* The assessment's scale: from the document, else recovered from score and index. */
static void radar_scale(const cJSON *doc, const cJSON *dims, double *smin, double *smax)
{
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "assessment"), "scale");
    *smin = doc_get_num(sc, "min");
    *smax = doc_get_num(sc, "max");
    const cJSON *x, *y;
    if (!(isfinite(*smin) && isfinite(*smax) && *smax > *smin)) {
        *smin = *smax = NAN;
        cJSON_ArrayForEach(x, dims)
        {
            double s1 = doc_get_num(x, "score"), i1 = doc_get_num(x, "index");
            if (!isfinite(s1) || !isfinite(i1) || isfinite(*smin))
                continue;
            cJSON_ArrayForEach(y, dims)
            {
                double s2 = doc_get_num(y, "score"), i2 = doc_get_num(y, "index");
                if (isfinite(s2) && isfinite(i2) && i2 != i1) {
                    double range = (s1 - s2) * 100 / (i1 - i2);
                    *smin = s1 - i1 * range / 100;
                    *smax = *smin + range;
                    break;
                }
            }
        }
    }
    if (!(isfinite(*smin) && isfinite(*smax) && *smax > *smin && *smax - *smin <= 100))
        *smin = 1, *smax = 5;
}

/* One polygon of a radar: values of dims[i][field] (or of a group's dimensions). */
typedef struct {
    const cJSON *dims;  /* the dimensions array the values come from */
    const char *field;  /* "score", "before", "after", "target" */
    char *label;
} series_t;

/* Scores against target per dimension; with groups, one polygon per group over the
 * overall one (the perception gap between groups is often the finding); for a compare
 * result, both rounds. A document without a value to draw is an error, not an empty
 * picture. */
static dcx_status_t radar(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                          dcx_error_t *err)
{
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions"), *x, *g;
    int k = cJSON_GetArraySize(dims);
    if (!cJSON_IsArray(dims) || k < 3)
        return dcx_error_set(err, DCX_EINVAL, "a radar plot needs a maturity result with 3 or more dimensions");
    int compare = cJSON_GetObjectItemCaseSensitive(dims->child, "before") != NULL;
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups");
    int ng = cJSON_GetArraySize(groups);
    series_t *ser = calloc((size_t)ng + 3, sizeof *ser);
    if (!ser)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    int nser = 0, oom = 0;
    if (compare) {
        ser[nser++] = (series_t){dims, "before", strdup("first round")};
        ser[nser++] = (series_t){dims, "after", strdup("second round")};
    } else {
        ser[nser++] = (series_t){dims, "score", strdup(ng ? "all respondents" : "score")};
        cJSON_ArrayForEach(g, groups)
        {
            const cJSON *gd = cJSON_GetObjectItemCaseSensitive(g, "dimensions");
            if (cJSON_GetArraySize(gd) != k || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "suppressed")))
                continue; /* a suppressed group (--min-group-size) is not drawn */
            tbuf_t lab = {0};
            tb_printf(&lab, "%s (n=%.0f)", doc_get_str(g, "group"), doc_get_num(g, "respondents"));
            if (lab.oom)
                tb_free(&lab); /* lab.s NULL: reported below */
            ser[nser++] = (series_t){gd, "score", lab.s};
        }
    }
    dcx_status_t st = DCX_OK;
    for (int i = 0; i < nser; i++)
        if (!ser[i].label) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
    int drawable = 0;
    for (int i = 0; i < nser; i++)
        cJSON_ArrayForEach(x, ser[i].dims) drawable |= isfinite(doc_get_num(x, ser[i].field));
    if (!drawable) {
        st = dcx_error_set(err, DCX_EINVAL, "a radar plot needs dimension scores, and this result has none");
        goto done;
    }
    double smin, smax;
    radar_scale(doc, dims, &smin, &smax);
    int has_target = 0;
    /* index 0: grid rings; 1: spokes; 2: target; 3..: series; then ring values, labels */
    for (int ring = (int)ceil(smin); ring <= (int)floor(smax); ring++) {
        double r = (ring - smin) / (smax - smin);
        for (int i = 0; i <= k; i++) {
            double a = M_PI / 2 - 2 * M_PI * i / k;
            fprintf(d, "%.6f %.6f\n", r * cos(a), r * sin(a));
        }
        fputc('\n', d);
    }
    fputs("\n", d);
    for (int i = 0; i < k; i++) {
        double a = M_PI / 2 - 2 * M_PI * i / k;
        fprintf(d, "0 0\n%.6f %.6f\n\n", cos(a), sin(a));
    }
    fputs("\n", d);
    for (int pass = -1; pass < nser; pass++) {
        const cJSON *src = pass < 0 ? dims : ser[pass].dims;
        const char *field = pass < 0 ? "target" : ser[pass].field;
        int i = 0;
        double first[2] = {0, 0};
        cJSON_ArrayForEach(x, src)
        {
            double v = doc_get_num(x, field), a = M_PI / 2 - 2 * M_PI * i / k;
            if (!isfinite(v))
                v = smin;
            else if (pass < 0)
                has_target = 1;
            double r = (v - smin) / (smax - smin);
            fprintf(d, "%.6f %.6f\n", r * cos(a), r * sin(a));
            if (i == 0)
                first[0] = r * cos(a), first[1] = r * sin(a);
            i++;
        }
        fprintf(d, "%.6f %.6f\n\n\n", first[0], first[1]);
    }
    for (int ring = (int)ceil(smin); ring <= (int)floor(smax); ring++)
        fprintf(d, "0.03 %.6f \"%d\"\n", (ring - smin) / (smax - smin), ring);
    fputs("\n\n", d);
    int i = 0;
    cJSON_ArrayForEach(x, dims)
    {
        double a = M_PI / 2 - 2 * M_PI * i / k;
        tbuf_t label = {0};
        double v = doc_get_num(x, compare ? "after" : "score");
        if (isfinite(v))
            tb_printf(&label, "%s (%.2f)", doc_get_str(x, "name"), v);
        else
            tb_printf(&label, "%s (–)", doc_get_str(x, "name"));
        fprintf(d, "%.6f %.6f ", 1.13 * cos(a), 1.13 * sin(a));
        put_label(d, label.s ? label.s : "");
        oom |= label.oom;
        tb_free(&label);
        fputc('\n', d);
        i++;
    }
    if (oom) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    terminal(s, fmt, 1000, 900);
    figure_title(s, title, compare ? "Both rounds against the target" : "Dimension scores against the target", 0);
    fputs("unset border\nunset xtics\nunset ytics\nset size ratio -1\n"
          "set xrange [-1.75:1.75]\nset yrange [-1.3:1.3]\nset key bottom center horizontal\n"
          "set style fill transparent solid 0.12 border\n", s);
    fprintf(s, "plot 'data.txt' index 0 with lines lc rgb '#cccccc' notitle, "
               "'' index 1 with lines lc rgb '#cccccc' notitle");
    if (has_target)
        fprintf(s, ", \\\n     '' index 2 with lines dt 2 lw 2 lc rgb '%s' title 'target'", dcx_palette[1]);
    for (int j = 0; j < nser; j++) {
        const char *col = dcx_palette[(j == 0 ? 0 : j + 1) % 8];
        if (j == 0)
            fprintf(s, ", \\\n     '' index %d with filledcurves closed lc rgb '%s' notitle", 3 + j, col);
        fprintf(s, ", \\\n     '' index %d with linespoints pt 7 ps 0.7 lw %s dt %d lc rgb '%s' title ",
                3 + j, j == 0 ? "2.5" : "1.8", j < 8 ? 1 : 1 + j / 8, col);
        gp_quote(s, ser[j].label);
    }
    fprintf(s, ", \\\n     '' index %d using 1:2:3 with labels left font ',8' tc rgb '#888888' notitle"
               ", \\\n     '' index %d using 1:2:3 with labels tc rgb '#222222' notitle\n",
            3 + nser, 4 + nser);
done:
    for (int j = 0; j < nser; j++)
        free(ser[j].label);
    free(ser);
    return st;
}

/* Dimensions in priority order, top first: the bar is the gap to target, the label the
 * priority (gap weighted by the dimension's share of the weight). */
static dcx_status_t gaps(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                         dcx_error_t *err)
{
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions"),
                *order = cJSON_GetObjectItemCaseSensitive(doc, "priority_order"), *id, *x;
    if (!cJSON_IsArray(dims) || !cJSON_IsArray(order))
        return dcx_error_set(err, DCX_EINVAL, "a gaps plot needs a maturity score result");
    int n = 0, any = 0, oom = 0;
    size_t longest = 10;
    dcx_strmap_t ids = {0};
    cJSON_ArrayForEach(x, dims) if (dcx_strmap_put(&ids, doc_get_str(x, "id"), strlen(doc_get_str(x, "id"))) < 0)
    {
        dcx_strmap_free(&ids);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    cJSON_ArrayForEach(id, order)
    {
        long di = cJSON_IsString(id) ? dcx_strmap_get(&ids, id->valuestring, strlen(id->valuestring)) : -1;
        if (di < 0)
            continue;
        x = cJSON_GetArrayItem(dims, (int)di);
        double gap = doc_get_num(x, "gap"), pr = doc_get_num(x, "priority");
        any |= isfinite(gap);
        n++;
        fprintf(d, "%d %.17g ", n, isfinite(gap) ? gap : 0);
        put_label(d, doc_get_str(x, "name"));
        tbuf_t lab = {0};
        if (isfinite(pr))
            tb_printf(&lab, " priority %.3f", pr);
        fputc(' ', d);
        put_label(d, lab.s ? lab.s : "");
        oom |= lab.oom;
        tb_free(&lab);
        fputc('\n', d);
        if (tb_width(doc_get_str(x, "name")) > longest)
            longest = tb_width(doc_get_str(x, "name"));
    }
    dcx_strmap_free(&ids);
    if (oom)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!any)
        return dcx_error_set(err, DCX_EINVAL, "a gaps plot needs targets (score with --target or --targets)");
    long height = 160 + 32L * n;
    if (height > max_height(fmt))
        return dcx_error_set(err, DCX_EINVAL, "%d dimensions are too many for one %s: write an .svg", n,
                             fmt == 0 ? "PNG" : "PDF");
    terminal(s, fmt, 1000, (int)height);
    figure_title(s, title, "Gap to target, by priority (highest first)", 0);
    fprintf(s, "set lmargin %d\nset rmargin 16\n", longest > 70 ? 72 : (int)longest + 2);
    fprintf(s, "set yrange [%g:0.4]\nset ytics scale 0\nset xrange [0:*]\nset offsets 0, graph 0.25, 0, 0\n"
               "set xlabel 'gap to target (scale points)'\nset grid xtics lc rgb '#dddddd'\n"
               "set style fill solid 0.85 noborder\n",
            n + 0.6);
    fprintf(s, "plot 'data.txt' using (0):1:(0):2:($1 - 0.35):($1 + 0.35):ytic(3) with boxxyerror lc rgb '%s' notitle, \\\n"
               "     '' using 2:1:4 with labels left offset 0.5,0 font ',9' tc rgb '#333333' notitle\n",
            dcx_palette[1]);
    return DCX_OK;
}

/* ---- running gnuplot ------------------------------------------------------------------- */

/* Non-zero: write the script and data but do not run gnuplot (a test hook of the fuzzers,
 * which link libdcx.a; not exported from libdcx.so). */
int plot_dry_run;

/* In a dry run (the fuzzers) the script and data are written but gnuplot is not run: a
 * placeholder output stands in for its picture. */
static dcx_status_t dry_output(const char *dir, dcx_error_t *err)
{
    static const char *const ext[] = {"png", "svg", "pdf"};
    for (int i = 0; i < 3; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/out.%s", dir, ext[i]);
        FILE *f = fopen(p, "w");
        if (!f)
            return dcx_error_set(err, DCX_EIO, "cannot write %s", p);
        fputs("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n", f);
        fclose(f);
    }
    return DCX_OK;
}

/* The fuzzers' oracle: every command of a script that dcx writes is one of set, unset and
 * plot (a line ending in a backslash continues its command). Text from a document that
 * broke out of its quotes would start a command of its own (`system ...`). */
static int script_is_plain(const char *dir)
{
    char p[4096], line[65536];
    snprintf(p, sizeof p, "%s/plot.gp", dir);
    FILE *f = fopen(p, "r");
    if (!f)
        return 1;
    int ok = 1, continued = 0;
    while (ok && fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        int cont = n >= 2 && line[n - 2] == '\\' && line[n - 1] == '\n';
        if (!continued && strncmp(line, "set ", 4) && strncmp(line, "unset ", 6)
            && strncmp(line, "plot ", 5))
            ok = 0;
        if (n && line[n - 1] != '\n' && !feof(f))
            continued = 1; /* a line longer than the buffer: the rest is the same command */
        else
            continued = cont;
    }
    fclose(f);
    return ok;
}

static dcx_status_t plot_run(const char *dir, const char *gnuplot, dcx_error_t *err)
{
    if (plot_dry_run) {
        if (!script_is_plain(dir))
            __builtin_trap(); /* only in a dry run: a fuzzer reports it as a crash */
        return dry_output(dir, err);
    }
    char errpath[4096];
    snprintf(errpath, sizeof errpath, "%s/gnuplot.err", dir);
    pid_t pid = fork();
    if (pid < 0)
        return dcx_error_set(err, DCX_EIO, "cannot start gnuplot: %s", strerror(errno));
    if (pid == 0) {
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 2);
            dup2(fd, 1);
            close(fd);
        }
        if (chdir(dir) != 0)
            _exit(126);
        char *argv[] = {(char *)gnuplot, "plot.gp", NULL};
        execvp(gnuplot, argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return dcx_error_set(err, DCX_EIO, "waiting for gnuplot: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return dcx_error_set(err, DCX_ENOEXEC,
                             "gnuplot not found (%s); install it: apt-get install gnuplot-nox, "
                             "or set DCX_GNUPLOT to its path",
                             gnuplot);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[400] = "";
        FILE *f = fopen(errpath, "r");
        if (f) {
            size_t n = fread(msg, 1, sizeof msg - 1, f);
            msg[n] = '\0';
            fclose(f);
            for (char *p = msg; *p; p++)
                if (*p == '\n')
                    *p = ' ';
        }
        return dcx_error_set(err, DCX_ECONV, "gnuplot failed: %s", msg[0] ? msg : "(no message)");
    }
    return DCX_OK;
}

static void plot_cleanup(const char *dir)
{
    static const char *files[] = {"plot.gp", "data.txt", "gnuplot.err", "out.png", "out.svg", "out.pdf"};
    char p[4096];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

static dcx_status_t plot_to_dir(dcx_plot_kind_t kind, const cJSON *doc, int fmt, const char *dir,
                                const char *gnuplot, const char *measure, const char *title,
                                dcx_error_t *err)
{
    char sp[4096], dp[4096];
    snprintf(sp, sizeof sp, "%s/plot.gp", dir);
    snprintf(dp, sizeof dp, "%s/data.txt", dir);
    FILE *s = fopen(sp, "w"), *d = fopen(dp, "w");
    if (!s || !d) {
        if (s)
            fclose(s);
        if (d)
            fclose(d);
        return dcx_error_set(err, DCX_EIO, "cannot write gnuplot's files: %s", strerror(errno));
    }
    dcx_status_t st = dcx_result_check(doc, err);
    if (!st)
        switch (kind) {
        case DCX_PLOT_FOREST: st = forest(s, d, doc, measure, fmt, title, err); break;
        case DCX_PLOT_TIMELINE: st = timeline(s, d, doc, fmt, title, err); break;
        case DCX_PLOT_POSTERIOR: st = posterior(s, d, doc, fmt, title, err); break;
        case DCX_PLOT_POWER: st = power_curve(s, d, doc, fmt, title, err); break;
        case DCX_PLOT_RADAR: st = radar(s, d, doc, fmt, title, err); break;
        default: st = gaps(s, d, doc, fmt, title, err); break;
        }
    if (fclose(d) != 0 && !st)
        st = dcx_error_set(err, DCX_EIO, "cannot write gnuplot's data: %s", strerror(errno));
    if (fclose(s) != 0 && !st)
        st = dcx_error_set(err, DCX_EIO, "cannot write gnuplot's script: %s", strerror(errno));
    if (st)
        return st;
    return plot_run(dir, gnuplot, err);
}

/* Draws kind in format fmt in a private temporary directory; the picture comes back in
 * memory (*pic, *len), the directory is gone. */
static dcx_status_t draw(dcx_plot_kind_t kind, const cJSON *doc, int fmt, const char *gnuplot,
                         const char *measure, const char *title, char **pic, size_t *len,
                         dcx_error_t *err)
{
    static const char *ext[] = {"png", "svg", "pdf"};
    *pic = NULL;
    *len = 0;
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/dcx-plot-XXXXXX", file_temp_dir());
    if (!mkdtemp(dir))
        return dcx_error_set(err, DCX_EIO, "cannot create a temporary directory in %s: %s",
                             file_temp_dir(), strerror(errno));
    dcx_status_t st = plot_to_dir(kind, doc, fmt, dir, gnuplot ? gnuplot : "gnuplot", measure, title, err);
    if (!st) {
        char out[4096];
        snprintf(out, sizeof out, "%s/out.%s", dir, ext[fmt]);
        dcx_error_t rerr;
        if (dcx_slurp(out, (size_t)1 << 30, pic, len, &rerr))
            st = rerr.code == DCX_ENOMEM ? dcx_error_set(err, DCX_ENOMEM, "out of memory")
                                         : dcx_error_set(err, DCX_ECONV, "gnuplot wrote no output");
        else if (!*len)
            st = dcx_error_set(err, DCX_ECONV, "gnuplot wrote an empty file");
        if (st) {
            free(*pic);
            *pic = NULL;
        }
    }
    plot_cleanup(dir);
    return st;
}

dcx_status_t dcx_plot_render(dcx_plot_kind_t kind, const cJSON *doc, const char *output,
                             const char *gnuplot, const char *measure, const char *title,
                             dcx_error_t *err)
{
    int fmt = plot_format(output);
    if (fmt < 0)
        return dcx_error_set(err, DCX_EINVAL, "%s: the plot file must end in .png, .svg or .pdf", output);
    char *pic;
    size_t len;
    dcx_status_t st = draw(kind, doc, fmt, gnuplot, measure, title, &pic, &len, err);
    if (!st)
        st = file_replace(output, pic, len, err);
    free(pic);
    return st;
}

dcx_status_t dcx_plot_svg(dcx_plot_kind_t kind, const cJSON *doc, const char *gnuplot,
                          const char *measure, const char *title, char **svg, size_t *len,
                          dcx_error_t *err)
{
    return draw(kind, doc, 1, gnuplot, measure, title, svg, len, err);
}
