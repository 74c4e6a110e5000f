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
#include "sort_idx.h"
#include "strmap.h"
#include "textbuf.h"

/* Okabe–Ito: readable with every common colour-vision deficiency */
static const char *const dcx_palette[8] = {"#0072B2", "#D55E00", "#009E73", "#E69F00",
                                    "#56B4E9", "#CC79A7", "#F0E442", "#000000"};

dcx_status_t dcx_plot_kind_parse(const char *name, dcx_plot_kind_t *kind, dcx_error_t *err)
{
    static const char *names[] = {"forest", "timeline", "posterior", "power", "radar", "gaps", "change"};
    for (int i = 0; i < 7; i++)
        if (!strcmp(name, names[i])) {
            *kind = (dcx_plot_kind_t)i;
            return DCX_OK;
        }
    return dcx_error_set(err, DCX_EINVAL,
                         "unknown plot '%s' (forest, timeline, posterior, power, radar, gaps, change)", name);
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

/* The one way text reaches a gnuplot script: single-quoted strings, in which gnuplot expands
 * neither backquotes nor macros nor backslash escapes; a control character (a newline would
 * end the command) becomes a space. gnuplot 5.4 misreads a doubled quote that opens a string
 * or follows another (''' + "a'" reads as an empty string then 'a'), so no quote is doubled:
 * a run of quotes is a double-quoted string of quotes alone (nothing there to expand), joined
 * to the text around it, a'b as 'a'."'".'b'. The terminals are set noenhanced, so no
 * character has a markup meaning either. */
static void gp_quote(FILE *f, const char *s)
{
    int first = 1;
    do {
        size_t q = strspn(s, "'");
        if (!first)
            fputc('.', f);
        first = 0;
        if (q) {
            fputc('"', f);
            fwrite(s, 1, q, f);
            fputc('"', f);
            s += q;
            if (!*s)
                break;
            fputc('.', f);
        }
        fputc('\'', f);
        for (; *s && *s != '\''; s++) {
            unsigned char c = (unsigned char)*s;
            fputc(c < 0x20 || c == 0x7F ? ' ' : c, f);
        }
        fputc('\'', f);
    } while (*s);
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

/* The figure's title (--title), or a default, for a figure of one plot. */
static void figure_title(FILE *s, const char *title, const char *fallback)
{
    const char *t = title && *title ? title : fallback;
    if (!t)
        return;
    fputs("set title ", s);
    gp_quote(s, t);
    fputs(" font ',13'\n", s);
}

/* Starts a figure of several panels: one `set multiplot` command that carries the layout
 * (rows x cols; 0: panels placed by origin and size) and the title over all panels. Two
 * commands (a titled multiplot, then a layout) leave gnuplot 5.4 drawing nothing. */
static void multiplot_start(FILE *s, const char *title, const char *fallback, int rows, int cols)
{
    const char *t = title && *title ? title : fallback;
    fputs("set multiplot", s);
    if (rows > 0)
        fprintf(s, " layout %d,%d", rows, cols);
    if (t) {
        fputs(" title ", s);
        gp_quote(s, t);
        fputs(" font ',13'", s);
    }
    fputs("\n", s);
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

/* One panel per metric (their scales differ), goal metrics first, then guardrails, then
 * secondary metrics; in a panel the overall rows, then the segment levels. A row's colour
 * says good or bad in the metric's direction, by the interval it draws: significantly
 * better (#0072B2), significantly worse (#D55E00), or not significant (grey); the open end
 * of a one-sided interval reaches the panel's edge. Each variant has its own marker, in the
 * legend. Where a family was corrected (the goal family always is) the intervals are the
 * adjusted ones, so colour and bar always agree, and the subtitle says which. Guardrails get their non-inferiority margin drawn in
 * their panel; every panel says which way is better. */
static int role_rank(const cJSON *r)
{
    const char *role = doc_get_word(r, "role", DOC_ROLE);
    return !strcmp(role, "goal") || !strcmp(role, "success") ? 0 : !strcmp(role, "guardrail") ? 1 : 2;
}

/* markers told apart without colour: circle, square, triangles, diamond, pentagon, ... */
static const int variant_marker[8] = {7, 5, 9, 11, 13, 15, 3, 1};
static const char *const sig_colour[3] = {"#999999", "#0072B2", "#D55E00"}; /* none, better, worse */

static dcx_status_t forest(FILE *s, FILE *d, const cJSON *doc, const char *measure, int fmt,
                           const char *title, dcx_error_t *err)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    if (!cJSON_IsArray(rows))
        return dcx_error_set(err, DCX_ENOTSUP, "a forest plot needs an analyze result (\"results\")");
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
    const char *ci_adj = lift ? "lift_ci_adjusted" : "diff_ci_adjusted";
    /* the interval a row is judged by: its adjusted one where its family was corrected (the
     * goal family always is), else its own (guardrails: their non-inferiority tests decide) */
#define CI_OF(row) (!bayes && has_interval(row, ci_adj) ? ci_adj : ci_plain)
    int goal_holm = 0; /* --correction none, but the goal family adjusted by Holm */
    if (!bayes && !adjusted)
        cJSON_ArrayForEach(r, rows) goal_holm |= has_interval(r, ci_adj);
    names_t metrics = {0}, variants = {0};
    if (collect_names(&metrics, rows, "metric") || collect_names(&variants, rows, "variant")) {
        dcx_strmap_free(&metrics.map);
        dcx_strmap_free(&variants.map);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t nm = metrics.map.n, nv = variants.map.n;
    int *count = calloc(nm + 1, sizeof *count), *lower_better = calloc(nm + 1, sizeof *lower_better);
    double *lo = calloc(nm + 1, sizeof *lo), *hi = calloc(nm + 1, sizeof *hi);
    int *has_margin = calloc(nm + 1, sizeof *has_margin), *rank = calloc(nm + 1, sizeof *rank);
    int present[3] = {0, 0, 0}; /* the colours the rows use: only those are in the legend */
    dcx_status_t st = DCX_OK;
    if (!count || !lower_better || !lo || !hi || !has_margin || !rank) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    double k = lift ? 100 : 1;
    int total = 0, has_guardrail = 0, oom = 0;
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
        rank[m] = count[m] == 1 ? role_rank(r) : (role_rank(r) < rank[m] ? role_rank(r) : rank[m]);
        lower_better[m] |= !strcmp(doc_get_word(r, "direction", DOC_DIRECTION), "decrease");
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
        st = dcx_error_set(err, DCX_ENOTSUP, "no comparison with an interval to plot");
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
            st = dcx_error_set(err, DCX_ENOTSUP,
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
            int above = isfinite(l) && l > 0, below = isfinite(h) && h < 0;
            int cls = !(above || below) ? 0 : (above == !lower_better[m]) ? 1 : 2; /* better, worse */
            present[cls] = 1;
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
            long vi = name_index(&variants, doc_get_str(r, "variant"));
            fprintf(d, "%d %.17g %.17g %.17g %d %ld %.17g ", ++row, k * doc_get_num(r, est), l, h, cls,
                    vi, isfinite(at) ? at : NAN);
            tbuf_t label = {0};
            if (!strcmp(doc_get_str(r, "segment"), "all"))
                tb_printf(&label, "all units, %s", doc_get_str(r, "variant"));
            else
                tb_printf(&label, "%s=%s, %s (exploratory)", doc_get_str(r, "segment"),
                          doc_get_str(r, "segment_value"), doc_get_str(r, "variant"));
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
                 adjusted > 0 ? ", adjusted for " : adjusted < 0 ? " not adjusted for "
                 : goal_holm ? " (goal metrics adjusted for holm, others not corrected)" : " (no correction)",
                 adjusted ? correction : "");
    if (adjusted > 0 && has_guardrail)
        snprintf(sub + strlen(sub), sizeof sub - strlen(sub), " (guardrails: their own intervals)");
    terminal(s, fmt, 1000, (int)height);
    multiplot_start(s, title, NULL, 0, 0);
    fprintf(s, "set ytics scale 0\nset grid xtics lc rgb '#dddddd'\nset lmargin %d\n"
               "set style line 1 lc rgb '#555555' dt 2\n",
            labels ? (longest > 60 ? 62 : (int)longest + 2) : 4);
    fputs("set label 99 ", s);
    gp_quote(s, sub);
    fprintf(s, " at screen 0.5, screen %.6f center font ',9' tc rgb '#444444'\n", 1.0 - 44.0 / height);
    double top = 1.0 - (double)top_px / height;
    int first = 1;
    for (int want = 0; want < 3; want++)
    for (size_t m = 0; m < nm; m++) {
        int block = (int)m; /* the data file holds one block per metric, in document order */
        if (!count[m] || rank[m] != want)
            continue;
        double h = (double)(head_px + row_px * count[m]) / height,
               pad = 0.06 * (hi[m] - lo[m] > 0 ? hi[m] - lo[m] : 1);
        top -= h;
        fprintf(s, "set origin 0,%.6f\nset size 1,%.6f\n", top, h);
        fprintf(s, "set yrange [%g:0.5]\nset xrange [%.17g:%.17g]\n", count[m] + 0.5, lo[m] - pad,
                hi[m] + pad);
        fputs("set title ", s);
        tbuf_t pt = {0};
        cJSON_ArrayForEach(r, rows) /* the metric as a person names it: load_ms (p90) */
            if (name_index(&metrics, doc_get_str(r, "metric")) == (long)m)
                break;
        if (r)
            doc_metric_label(&pt, r);
        else
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
                lower_better[m] ? "   (lower is better: <- better)" : "   (higher is better: better ->)");
        if (first)
            fprintf(s, "set key at screen 0.5, screen %.6f center top horizontal font ',9'\n",
                    1.0 - 54.0 / height);
        else
            fputs("unset key\n", s);
        fprintf(s, "set arrow 1 from 0, graph 0 to 0, graph 1 nohead ls 1\nplot ");
        if (labels)
            fprintf(s, "'data.txt' index %d using 2:1:ytic(8) with points ps 0 notitle", block);
        else
            fprintf(s, "'data.txt' index %d using 2:1 with points ps 0 notitle", block);
        for (int c = 0; c < 3; c++)
            for (size_t v = 0; v < nv; v++)
                fprintf(s, ", \\\n     '' index %d using ($5 == %d && $6 == %zu ? $2 : NaN):1:3:4 "
                           "with xerrorbars pt %d ps 1.2 lw 1.6 lc rgb '%s' notitle",
                        block, c, v, variant_marker[v % 8], sig_colour[c]);
        if (first) { /* the legend: what each marker and each colour means */
            for (size_t v = 0; v < nv; v++) {
                fprintf(s, ", \\\n     keyentry with points pt %d ps 1.2 lc rgb '#333333' title ",
                        variant_marker[v % 8]);
                gp_quote(s, variants.map.keys[v]);
            }
            static const char *const meaning[3] = {"not significant", "significantly better",
                                                   "significantly worse"};
            for (int c = 1; c < 4; c++)
                if (present[c % 3])
                    fprintf(s, ", \\\n     keyentry with points pt 5 ps 1.2 lc rgb '%s' title '%s'",
                            sig_colour[c % 3], meaning[c % 3]);
            first = 0;
        }
        if (has_margin[m])
            fprintf(s, ", \\\n     '' index %d using 7:($1 - 0.45):(0):(0.9) with vectors nohead lw 3 dt 3 lc rgb '%s' notitle",
                    block, dcx_palette[5]);
        fputs("\n", s);
    }
    fputs("unset multiplot\n", s);
    if (oom)
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
done:
    dcx_strmap_free(&metrics.map);
    dcx_strmap_free(&variants.map);
    free(count);
    free(lower_better);
    free(lo);
    free(hi);
    free(has_margin);
    free(rank);
    return st;
}

static dcx_status_t timeline(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                             dcx_error_t *err)
{
    const cJSON *tl = cJSON_GetObjectItemCaseSensitive(doc, "timeline"), *e;
    if (!cJSON_IsArray(tl) || !cJSON_GetArraySize(tl))
        return dcx_error_set(err, DCX_ENOTSUP,
                             "a timeline plot needs an analyze result run with --time-column");
    names_t metrics = {0}, variants = {0};
    if (collect_names(&metrics, tl, "metric") || collect_names(&variants, tl, "variant")) {
        dcx_strmap_free(&metrics.map);
        dcx_strmap_free(&variants.map);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t nm = metrics.map.n, nv = variants.map.n;
    int np = 0, panels = 0;
    /* a metric is a panel when some period of it has a difference to draw */
    unsigned char *has = calloc(nm + 1, 1);
    if (!has) {
        dcx_strmap_free(&metrics.map);
        dcx_strmap_free(&variants.map);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
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
                has[m] |= isfinite(doc_get_num(e, "diff"));
                put_label(d, doc_get_str(e, "period"));
                /* group-sequential: the boundary at this look, in difference units */
                fprintf(d, " %.17g %.17g\n", ci_end(e, "boundary", 0), ci_end(e, "boundary", 1));
            }
            if (i > np)
                np = i;
            fprintf(d, "%s\n\n", i ? "" : "0 NaN NaN NaN \"\" NaN NaN");
        }
    for (size_t m = 0; m < nm; m++)
        panels += has[m];
    long height = 100 + 330 * (long)panels;
    dcx_status_t st = DCX_OK;
    if (!panels)
        st = dcx_error_set(err, DCX_ENOTSUP, "a timeline plot needs a period with a difference, and "
                                             "every period of this result has none");
    else if (height > max_height(fmt))
        st = dcx_error_set(err, DCX_ENOTSUP, "%d metrics are too many for one timeline %s: write an .svg",
                           panels, fmt == 0 ? "PNG" : "PDF");
    if (st) {
        free(has);
        dcx_strmap_free(&metrics.map);
        dcx_strmap_free(&variants.map);
        return st;
    }
    terminal(s, fmt, 1000, (int)height);
    const char *method = doc_get_word(doc, "method", DOC_METHOD);
    int gs = !strcmp(method, "group-sequential");
    multiplot_start(s, title,
                    !strcmp(method, "sequential") ? "Cumulative difference with always-valid intervals, by period"
                    : gs ? "Cumulative difference with repeated confidence intervals and the efficacy "
                           "boundaries (dashed), by look"
                         : "Cumulative difference with its interval, by period",
                    panels, 1);
    fprintf(s, "set grid ytics lc rgb '#dddddd'\n"
               "set style fill transparent solid 0.18 noborder\nset key top right\n"
               "set ylabel 'difference (treatment - control)'\nset xrange [-0.5:%d]\n",
            np);
    if (np > 12)
        fputs("set xtics rotate by 45 right\n", s);
    if (np > 60)
        fprintf(s, "set xtics %d\n", np / 30);
    for (size_t m = 0, shown = 0; m < nm; m++) {
        if (!has[m])
            continue;
        shown++;
        fputs("set title ", s);
        gp_quote(s, metrics.map.keys[m]);
        fputs(" font ',11'\n", s);
        fprintf(s, "set xlabel '%s'\n", shown == (size_t)panels ? "period (cumulative data up to and including it)" : "");
        fputs("set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb '#555555'\nplot ", s);
        for (size_t v = 0; v < nv; v++) {
            const char *col = dcx_palette[v % 8];
            size_t idx = m * nv + v;
            fprintf(s, "%s'data.txt' index %zu using 1:3:4 with filledcurves lc rgb '%s' notitle, "
                       "'' index %zu using 1:2%s with linespoints pt 7 ps 0.6 lw 2 lc rgb '%s' title ",
                    v ? ", \\\n     " : "", idx, col, idx, np > 60 ? "" : ":xtic(5)", col);
            gp_quote(s, variants.map.keys[v]);
            if (gs) /* the boundaries: the difference each look must pass */
                fprintf(s, ", '' index %zu using 1:6 with linespoints dt 2 lw 1.5 pt 1 ps 1 lc rgb '%s' %s, "
                           "'' index %zu using 1:7 with linespoints dt 2 lw 1.5 pt 1 ps 1 lc rgb '%s' notitle",
                        idx, col, v ? "notitle" : "title 'boundary'", idx, col);
        }
        fputc('\n', s);
    }
    fputs("unset multiplot\n", s);
    free(has);
    dcx_strmap_free(&metrics.map);
    dcx_strmap_free(&variants.map);
    return DCX_OK;
}

/* The posterior of each arm of an overall comparison: Beta(1 + x, 1 + n - x) where the row
 * was judged by the exact Beta-Binomial model, else normal N(mean, sd^2/n). @return 0 when
 * the row has nothing to draw (a segment row, a quantile, an arm without spread). */
typedef struct {
    int beta;
    double a[2], b[2], mu[2], se[2], lo, hi;
} post_t;

/* A row with a prior on the relative effect: the prior N(mu[0], se[0]^2) and the posterior
 * of the lift N(mu[1], se[1]^2), whose mean and sd its credible interval gives. */
static int post_prior(const cJSON *doc, const cJSON *r, post_t *p)
{
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(r, "prior");
    if (!cJSON_IsObject(pr) || strcmp(doc_get_str(r, "segment"), "all"))
        return 0;
    double lo = ci_end(r, "credible_interval", 0), hi = ci_end(r, "credible_interval", 1),
           alpha = doc_get_num(doc, "alpha");
    if (!isfinite(lo) || !isfinite(hi) || !(alpha > 0 && alpha < 1))
        return 0;
    p->beta = 0;
    p->mu[0] = doc_get_num(pr, "mean"), p->se[0] = doc_get_num(pr, "sd");
    p->mu[1] = (lo + hi) / 2, p->se[1] = (hi - lo) / (2 * dcx_dist_norm_quantile(alpha / 2, 0));
    p->lo = INFINITY, p->hi = -INFINITY;
    for (int k = 0; k < 2; k++) {
        if (!isfinite(p->mu[k]) || !(p->se[k] > 0) || !isfinite(p->se[k]))
            return 0;
        p->lo = fmin(p->lo, p->mu[k] - 4 * p->se[k]);
        p->hi = fmax(p->hi, p->mu[k] + 4 * p->se[k]);
    }
    return 2;
}

static int post_arms(const cJSON *r, post_t *p)
{
    if (strcmp(doc_get_str(r, "segment"), "all") || !strcmp(doc_get_word(r, "type", DOC_TYPE), "quantile"))
        return 0;
    const cJSON *arm[2] = {cJSON_GetObjectItemCaseSensitive(r, "control"),
                           cJSON_GetObjectItemCaseSensitive(r, "treatment")};
    p->beta = !strcmp(doc_get_word(r, "test", DOC_TEST), "beta-binomial");
    p->lo = INFINITY, p->hi = -INFINITY;
    for (int k = 0; k < 2; k++) {
        double n = doc_get_num(arm[k], "n"), m = doc_get_num(arm[k], "mean"), sd = doc_get_num(arm[k], "sd");
        if (!(n > 0) || !isfinite(m))
            return 0;
        if (p->beta) {
            double x = floor(m * n + 0.5);
            p->a[k] = 1 + x, p->b[k] = 1 + n - x;
            double ab = p->a[k] + p->b[k];
            p->se[k] = sqrt(p->a[k] * p->b[k] / (ab * ab * (ab + 1)));
            p->mu[k] = p->a[k] / ab;
        } else {
            p->se[k] = sd / sqrt(n);
            p->mu[k] = m;
        }
        if (!(p->se[k] > 0) || !isfinite(p->mu[k]))
            return 0;
        p->lo = fmin(p->lo, p->mu[k] - 5 * p->se[k]);
        p->hi = fmax(p->hi, p->mu[k] + 5 * p->se[k]);
    }
    if (p->beta)
        p->lo = fmax(0, p->lo), p->hi = fmin(1, p->hi);
    return isfinite(p->lo) && p->hi > p->lo;
}

/* a probability as people read it: never 0 or 1 when it is merely close */
static void prob_text(tbuf_t *t, double pr)
{
    if (pr > 0.999)
        tb_puts(t, "> 0.999");
    else if (pr < 0.001)
        tb_puts(t, "< 0.001");
    else
        tb_printf(t, "%.3f", pr);
}

/* Posterior densities of each arm of each overall comparison, a panel each (at most 6). A
 * result with no comparison to draw is an error, and no panel is left empty. */
static dcx_status_t posterior(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                              dcx_error_t *err)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    if (!cJSON_IsArray(rows))
        return dcx_error_set(err, DCX_ENOTSUP, "a posterior plot needs an analyze result");
    int panels = 0;
    post_t pt;
    cJSON_ArrayForEach(r, rows) panels += post_prior(doc, r, &pt) || post_arms(r, &pt);
    if (!panels)
        return dcx_error_set(err, DCX_ENOTSUP,
                             "a posterior plot needs an overall comparison of two arms with a spread "
                             "(not a quantile), and this result has none");
    if (panels > 6)
        panels = 6;
    terminal(s, fmt, 1000, 90 + 300 * ((panels + 1) / 2));
    multiplot_start(s, title, "Posterior distributions of each arm (with a prior: of the lift, and the prior)",
                    (panels + 1) / 2, panels > 1 ? 2 : 1);
    fputs("set style fill transparent solid 0.25 noborder\nset key top right\nset ylabel 'density'\n", s);
    const char *control = doc_get_str(doc, "control");
    int p = 0, oom = 0;
    cJSON_ArrayForEach(r, rows)
    {
        int prior = post_prior(doc, r, &pt);
        if (p >= panels || (!prior && !post_arms(r, &pt)))
            continue;
        for (int i = 0; i <= 300; i++) {
            double x = pt.lo + (pt.hi - pt.lo) * i / 300.0;
            fprintf(d, "%.17g", x);
            for (int k = 0; k < 2; k++) {
                double y = pt.beta ? dcx_dist_beta_pdf(x, pt.a[k], pt.b[k])
                                   : exp(-0.5 * (x - pt.mu[k]) * (x - pt.mu[k]) / (pt.se[k] * pt.se[k]))
                                         / (pt.se[k] * sqrt(2 * M_PI));
                fprintf(d, " %.17g", isfinite(y) ? y : 0);
            }
            fputc('\n', d);
        }
        fputs("\n\n", d);
        const char *type = doc_get_word(r, "type", DOC_TYPE);
        fprintf(s, "set xlabel '%s'\nset title ", prior ? "relative effect (lift)"
                                                  : !strcmp(type, "binary") ? "conversion rate"
                                                  : !strcmp(type, "nps")  ? "NPS"
                                                  : !strcmp(type, "ratio") ? "ratio"
                                                                          : "mean");
        tbuf_t t = {0};
        tb_printf(&t, "%s: %s vs %s", doc_get_str(r, "metric"), doc_get_str(r, "variant"), control);
        if (isfinite(doc_get_num(r, "prob_beat_control"))) {
            tb_puts(&t, ", P(beat control) ");
            prob_text(&t, doc_get_num(r, "prob_beat_control"));
        }
        gp_quote(s, t.s ? t.s : "");
        oom |= t.oom;
        tb_free(&t);
        if (prior) { /* the prior dashed, the posterior of the lift filled */
            fprintf(s, "\nplot 'data.txt' index %d using 1:2 with lines dt 2 lw 2 lc rgb '#555555' "
                       "title 'prior', '' index %d using 1:3 with filledcurves x1 lc rgb '%s' "
                       "title 'posterior'\n",
                    p, p, dcx_palette[1]);
            p++;
            continue;
        }
        fprintf(s, "\nplot 'data.txt' index %d using 1:2 with filledcurves x1 lc rgb '%s' title ", p,
                dcx_palette[0]);
        gp_quote(s, *control ? control : "control");
        fprintf(s, ", '' index %d using 1:3 with filledcurves x1 lc rgb '%s' title ", p, dcx_palette[1]);
        gp_quote(s, doc_get_str(r, "variant"));
        fputc('\n', s);
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
        return dcx_error_set(err, DCX_ENOTSUP, "a power plot needs a power result (\"n_per_variant\")");
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
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "sequential"))) { /* the mSPRT's power */
        sp.sequential = 1;
        sp.tuning = doc_get_num(doc, "tuning") > 0 ? doc_get_num(doc, "tuning") : 5000;
    }
    for (int i = 1; i <= 200; i++) {
        double x = n * 2.5 * i / 200.0;
        fprintf(d, "%.17g %.17g\n", x, dcx_power_at(&sp, x, mde));
    }
    terminal(s, fmt, 900, 580);
    figure_title(s, title, "Power against the size of the control arm");
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

/* The most groups a radar draws beside all respondents: six polygons are about what a
 * reader can still tell apart. */
#define RADAR_GROUPS 5

/* Is group g one of the names the caller chose? */
static int chosen(const dcx_strlist_t *names, const char *g)
{
    for (size_t i = 0; names && i < names->n; i++)
        if (!strcmp(names->v[i], g))
            return 1;
    return 0;
}

/* Scores against target per dimension, the axis from the scale's minimum at the centre to
 * its maximum, the target dark grey and dashed; with groups, one polygon per group over
 * the overall one (the perception gap between groups is often the finding), at most
 * RADAR_GROUPS of them: more are drawn only as `groups` chooses them, else the figure says
 * how many it leaves out; groups too small to show are never drawn. For a compare result,
 * both rounds. A document without a value to draw is an error, not an empty picture. */
static dcx_status_t radar(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                          const dcx_strlist_t *want, dcx_error_t *err)
{
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions"), *x, *g;
    int k = cJSON_GetArraySize(dims);
    if (!cJSON_IsArray(dims) || k < 3)
        return dcx_error_set(err, DCX_ENOTSUP, "a radar plot needs a maturity result with 3 or more dimensions");
    int compare = cJSON_GetObjectItemCaseSensitive(dims->child, "before") != NULL;
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups");
    int ng = cJSON_GetArraySize(groups);
    series_t *ser = calloc((size_t)ng + 3, sizeof *ser);
    if (!ser)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    int nser = 0, oom = 0, left_out = 0;
    if (compare) {
        ser[nser++] = (series_t){dims, "before", strdup("first round")};
        ser[nser++] = (series_t){dims, "after", strdup("second round")};
    } else {
        /* the groups that can be drawn, and which of them are */
        int shown = 0;
        cJSON_ArrayForEach(g, groups) shown += !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "suppressed"))
                                               && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(g, "dimensions")) == k;
        for (size_t i = 0; want && i < want->n; i++) {
            int found = 0;
            cJSON_ArrayForEach(g, groups) found |= !strcmp(doc_get_str(g, "group"), want->v[i]);
            if (!found) {
                free(ser);
                return dcx_error_set(err, DCX_EINVAL, "--groups: this result has no group '%s'", want->v[i]);
            }
        }
        if (want && want->n > RADAR_GROUPS) {
            free(ser);
            return dcx_error_set(err, DCX_EINVAL, "--groups: at most %d groups fit on a radar (%zu given)",
                                 RADAR_GROUPS, want->n);
        }
        int pick = want && want->n;
        left_out = pick ? 0 : shown > RADAR_GROUPS ? shown : 0;
        ser[nser++] = (series_t){dims, "score", strdup(ng ? "all respondents" : "score")};
        cJSON_ArrayForEach(g, groups)
        {
            const cJSON *gd = cJSON_GetObjectItemCaseSensitive(g, "dimensions");
            if (cJSON_GetArraySize(gd) != k || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "suppressed")))
                continue;
            if (pick ? !chosen(want, doc_get_str(g, "group")) : left_out > 0)
                continue;
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
        st = dcx_error_set(err, DCX_ENOTSUP, "a radar plot needs dimension scores, and this result has none");
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
    figure_title(s, title, compare ? "Both rounds against the target" : "Dimension scores against the target");
    fputs("unset border\nunset xtics\nunset ytics\nset size ratio -1\n"
          "set xrange [-1.75:1.75]\nset yrange [-1.3:1.3]\nset key bottom center horizontal\n"
          "set style fill transparent solid 0.12 border\n", s);
    if (left_out)
        fprintf(s, "set label 98 '%d groups are not drawn: choose up to %d with --groups' at screen 0.5, "
                   "screen 0.03 center font ',9' tc rgb '#444444'\n",
                left_out, RADAR_GROUPS);
    fprintf(s, "plot 'data.txt' index 0 with lines lc rgb '#cccccc' notitle, "
               "'' index 1 with lines lc rgb '#cccccc' notitle");
    if (has_target)
        fputs(", \\\n     '' index 2 with lines dt 2 lw 2.5 lc rgb '#333333' title 'target'", s);
    /* the first round grey, the second blue; all respondents blue, each group its own colour
     * (never the target's dark grey, never two alike among six) */
    static const char *const group_colour[RADAR_GROUPS] = {"#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"};
    for (int j = 0; j < nser; j++) {
        const char *col = compare ? (j == 0 ? "#999999" : dcx_palette[0])
                                  : j == 0 ? dcx_palette[0] : group_colour[(j - 1) % RADAR_GROUPS];
        int main_series = j == (compare ? 1 : 0);
        if (main_series)
            fprintf(s, ", \\\n     '' index %d with filledcurves closed lc rgb '%s' notitle", 3 + j, col);
        fprintf(s, ", \\\n     '' index %d with linespoints pt 7 ps 0.7 lw %s lc rgb '%s' title ",
                3 + j, main_series ? "2.5" : "1.8", col);
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

/* gaps in descending order (ties in definition order: the sort is stable) */
static int cmp_gap(const void *ctx, size_t a, size_t b)
{
    const double *g = ctx;
    return (g[a] < g[b]) - (g[a] > g[b]);
}

/* Dimensions by their gap to target, largest first: the bar is the gap (scored, for a
 * dimension where lower is better, on its oriented scale as the result gives it), the label
 * the priority (gap weighted by the dimension's share of the weight). */
static dcx_status_t gaps(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                         dcx_error_t *err)
{
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions"), *x;
    if (!cJSON_IsArray(dims) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "priority_order")))
        return dcx_error_set(err, DCX_ENOTSUP, "a gaps plot needs a maturity score result");
    size_t nd = (size_t)cJSON_GetArraySize(dims), n = 0;
    const cJSON **at = malloc((nd + 1) * sizeof *at);
    double *gap = malloc((nd + 1) * sizeof *gap);
    size_t *idx = malloc((nd + 1) * sizeof *idx);
    if (!at || !gap || !idx) {
        free(at), free(gap), free(idx);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    cJSON_ArrayForEach(x, dims) if (isfinite(doc_get_num(x, "gap")))
    {
        at[n] = x;
        gap[n] = doc_get_num(x, "gap");
        idx[n] = n;
        n++;
    }
    dcx_status_t st = DCX_OK;
    long height = 160 + 32L * (long)n;
    if (!n)
        st = dcx_error_set(err, DCX_ENOTSUP, "a gaps plot needs targets (score with --target or --targets)");
    else if (height > max_height(fmt))
        st = dcx_error_set(err, DCX_ENOTSUP, "%zu dimensions are too many for one %s: write an .svg", n,
                           fmt == 0 ? "PNG" : "PDF");
    else if (dcx_sort_idx(idx, n, cmp_gap, gap))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    size_t longest = 10;
    int oom = 0;
    for (size_t r = 0; !st && r < n; r++) {
        x = at[idx[r]];
        double pr = doc_get_num(x, "priority");
        fprintf(d, "%zu %.17g ", r + 1, gap[idx[r]]);
        put_label(d, doc_get_str(x, "name"));
        tbuf_t lab = {0};
        tb_puts(&lab, " ");
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
    free(at), free(gap), free(idx);
    if (!st && oom)
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (st)
        return st;
    terminal(s, fmt, 1000, (int)height);
    figure_title(s, title, "Gap to target, largest first");
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

/* A compare result as a dumbbell per dimension (and overall, on top): a line from the
 * first round's score (grey) to the second's, which is blue when the score moved in the
 * dimension's good direction and vermillion when it moved the other way, and the target as
 * a dark grey bar. The scale runs from its minimum to its maximum. */
static dcx_status_t change(FILE *s, FILE *d, const cJSON *doc, int fmt, const char *title,
                           dcx_error_t *err)
{
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions"), *x;
    const cJSON *overall = cJSON_GetObjectItemCaseSensitive(doc, "overall");
    if (!cJSON_IsArray(dims) || !cJSON_GetObjectItemCaseSensitive(overall, "before"))
        return dcx_error_set(err, DCX_ENOTSUP, "a change plot needs a maturity compare result");
    double smin, smax;
    radar_scale(doc, dims, &smin, &smax);
    size_t n = 0, longest = 10;
    int oom = 0, has_target = 0, present[3] = {0, 0, 0};
    /* rows: overall, then the dimensions in definition order: row before after moved target label */
    for (x = overall; x; x = x == overall ? dims->child : x->next) {
        double b = doc_get_num(x, "before"), a = doc_get_num(x, "after"), t = doc_get_num(x, "target");
        if (!isfinite(b) && !isfinite(a))
            continue;
        int lower = !strcmp(doc_get_word(x, "direction", DOC_DIM_DIRECTION), "lower");
        int moved = isfinite(a) && isfinite(b) && a != b ? ((a > b) != lower ? 1 : 2) : 0;
        present[moved] |= isfinite(a);
        has_target |= isfinite(t);
        fprintf(d, "%zu %.17g %.17g %d %.17g ", ++n, b, a, moved, t);
        tbuf_t lab = {0};
        tb_puts(&lab, x == overall ? "Overall" : doc_get_str(x, "name"));
        if (lower)
            tb_puts(&lab, " (lower is better)");
        put_label(d, lab.s ? lab.s : "");
        if (lab.s && tb_width(lab.s) > longest)
            longest = tb_width(lab.s);
        oom |= lab.oom;
        tb_free(&lab);
        fputc('\n', d);
    }
    if (oom)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!n)
        return dcx_error_set(err, DCX_ENOTSUP, "a change plot needs scores of the two rounds, and this result has none");
    long height = 170 + 34L * (long)n;
    if (height > max_height(fmt))
        return dcx_error_set(err, DCX_ENOTSUP, "%zu dimensions are too many for one %s: write an .svg", n,
                             fmt == 0 ? "PNG" : "PDF");
    terminal(s, fmt, 1000, (int)height);
    figure_title(s, title, "From the first round to the second, against the target");
    fprintf(s, "set lmargin %d\nset bmargin 7\nset yrange [%g:0.4]\nset ytics scale 0\nset xrange [%g:%g]\n"
               "set xlabel 'score'\nset grid xtics lc rgb '#dddddd'\n"
               "set key at screen 0.5, screen 0.02 center bottom horizontal\n",
            longest > 70 ? 72 : (int)longest + 2, n + 0.6, smin, smax);
    static const char *const moved_colour[3] = {"#555555", "#0072B2", "#D55E00"};
    static const char *const moved_words[3] = {"second round: unchanged", "second round: better",
                                               "second round: worse"};
    fputs("plot 'data.txt' using 2:1:ytic(6) with points ps 0 notitle, \\\n"
          "     '' using 2:1:($3 - $2):(0) with vectors nohead lw 3 lc rgb '#bbbbbb' notitle, \\\n"
          "     '' using 2:1 with points pt 6 ps 1.4 lw 2 lc rgb '#999999' title 'first round'", s);
    for (int c = 0; c < 3; c++)
        if (present[c])
            fprintf(s, ", \\\n     '' using ($4 == %d ? $3 : NaN):1 with points pt 7 ps 1.5 lc rgb '%s' title '%s'",
                    c, moved_colour[c], moved_words[c]);
    if (has_target)
        fputs(", \\\n     '' using 5:($1 - 0.3):(0):(0.6) with vectors nohead lw 3 lc rgb '#333333' title 'target'", s);
    fputc('\n', s);
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
                                const dcx_plot_style_t *sty, dcx_error_t *err)
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
        case DCX_PLOT_FOREST: st = forest(s, d, doc, sty->measure, fmt, sty->title, err); break;
        case DCX_PLOT_TIMELINE: st = timeline(s, d, doc, fmt, sty->title, err); break;
        case DCX_PLOT_POSTERIOR: st = posterior(s, d, doc, fmt, sty->title, err); break;
        case DCX_PLOT_POWER: st = power_curve(s, d, doc, fmt, sty->title, err); break;
        case DCX_PLOT_RADAR: st = radar(s, d, doc, fmt, sty->title, sty->groups, err); break;
        case DCX_PLOT_GAPS: st = gaps(s, d, doc, fmt, sty->title, err); break;
        case DCX_PLOT_CHANGE: st = change(s, d, doc, fmt, sty->title, err); break;
        default: st = dcx_error_set(err, DCX_EINVAL, "unknown plot kind"); break;
        }
    if (fclose(d) != 0 && !st)
        st = dcx_error_set(err, DCX_EIO, "cannot write gnuplot's data: %s", strerror(errno));
    if (fclose(s) != 0 && !st)
        st = dcx_error_set(err, DCX_EIO, "cannot write gnuplot's script: %s", strerror(errno));
    if (st)
        return st;
    return plot_run(dir, sty->gnuplot ? sty->gnuplot : "gnuplot", err);
}

/* Draws kind in format fmt in a private temporary directory; the picture comes back in
 * memory (*pic, *len), the directory is gone. */
static dcx_status_t draw(dcx_plot_kind_t kind, const cJSON *doc, int fmt, const dcx_plot_style_t *sty,
                         char **pic, size_t *len, dcx_error_t *err)
{
    static const char *ext[] = {"png", "svg", "pdf"};
    *pic = NULL;
    *len = 0;
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/dcx-plot-XXXXXX", file_temp_dir());
    if (!mkdtemp(dir))
        return dcx_error_set(err, DCX_EIO, "cannot create a temporary directory in %s: %s",
                             file_temp_dir(), strerror(errno));
    dcx_plot_style_t none = {0};
    dcx_status_t st = plot_to_dir(kind, doc, fmt, dir, sty ? sty : &none, err);
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
                             const dcx_plot_style_t *style, dcx_error_t *err)
{
    int fmt = plot_format(output);
    if (fmt < 0)
        return dcx_error_set(err, DCX_EINVAL, "%s: the plot file must end in .png, .svg or .pdf", output);
    char *pic;
    size_t len;
    dcx_status_t st = draw(kind, doc, fmt, style, &pic, &len, err);
    if (!st)
        st = file_replace(output, pic, len, err);
    free(pic);
    return st;
}

dcx_status_t dcx_plot_svg(dcx_plot_kind_t kind, const cJSON *doc, const dcx_plot_style_t *style,
                          char **svg, size_t *len, dcx_error_t *err)
{
    return draw(kind, doc, 1, style, svg, len, err);
}
