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
#include "plot_util.h"
#include "slurp.h"

/* Okabe–Ito: readable with every common colour-vision deficiency */
const char *const dcx_palette[8] = {"#0072B2", "#D55E00", "#009E73", "#E69F00",
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

/* a label for the data file: double-quoted, without quotes or control characters */
static void put_label(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : ((unsigned char)*s < 0x20 ? ' ' : *s), f);
    fputc('"', f);
}

/* a title for the script: only plain characters survive */
static void put_title(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\' || c == '`' || c == '@' || c == '$' || c < 0x20)
            fputc(' ', f);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static int ext_is(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && !strcasecmp(path + n - e, ext);
}

int plot_format(const char *output)
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

/* Distinct metric names of an array of objects, in order of appearance (at most 8). */
static int metric_names(const cJSON *arr, char names[8][128])
{
    const cJSON *e;
    int n = 0;
    cJSON_ArrayForEach(e, arr)
    {
        int k = 0;
        while (k < n && strcmp(names[k], str(e, "metric")))
            k++;
        if (k == n && n < 8)
            snprintf(names[n++], 128, "%s", str(e, "metric"));
    }
    return n;
}

/* One panel per metric (their scales differ), rows top to bottom, intervals drawn,
 * significant results in vermillion, a dashed zero line. */
static dcx_status_t forest(FILE *s, FILE *d, const cJSON *doc, const char *measure, int fmt,
                           dcx_error_t *err)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    if (!cJSON_IsArray(rows))
        return dcx_error_set(err, DCX_EINVAL, "a forest plot needs an analyze result (\"results\")");
    int lift = measure && !strcmp(measure, "lift");
    const char *est = lift ? "lift" : "diff", *ci = lift ? "lift_ci" : "diff_ci";
    char names[8][128];
    int nm = metric_names(rows, names), count[8] = {0}, total = 0, longest = 10;
    double lo[8], hi[8];
    for (int m = 0; m < nm; m++) {
        lo[m] = 0, hi[m] = 0; /* zero is always in view */
        cJSON_ArrayForEach(r, rows)
        {
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, ci);
            if (strcmp(str(r, "metric"), names[m]) || cJSON_GetArraySize(c) != 2 || isnan(num(r, est)))
                continue;
            double k = lift ? 100 : 1, l = k * cJSON_GetArrayItem(c, 0)->valuedouble,
                   h = k * cJSON_GetArrayItem(c, 1)->valuedouble;
            count[m]++;
            total++;
            lo[m] = fmin(lo[m], l);
            hi[m] = fmax(hi[m], h);
            fprintf(d, "%d %.17g %.17g %.17g %d ", count[m], k * num(r, est), l, h,
                    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant")));
            char label[512];
            if (!strcmp(str(r, "segment"), "all"))
                snprintf(label, sizeof label, "all units, %s", str(r, "variant"));
            else
                snprintf(label, sizeof label, "%s=%s, %s", str(r, "segment"), str(r, "segment_value"),
                         str(r, "variant"));
            if ((int)strlen(label) > longest)
                longest = (int)strlen(label);
            put_label(d, label);
            fputc('\n', d);
        }
        fputs("\n\n", d);
    }
    if (!total)
        return dcx_error_set(err, DCX_EINVAL, "no comparison with an interval to plot");
    int height = 40;
    for (int m = 0; m < nm; m++)
        height += 70 + 26 * count[m];
    terminal(s, fmt, 1000, height);
    fprintf(s, "set multiplot\nset ytics scale 0\nset grid xtics lc rgb '#dddddd'\nset lmargin %d\n"
               "set style line 1 lc rgb '#555555' dt 2\n",
            longest > 60 ? 62 : longest + 2);
    double top = 1.0 - 40.0 / height;
    for (int m = 0, block = 0; m < nm; m++, block++) {
        if (!count[m])
            continue;
        double h = (70.0 + 26 * count[m]) / height, pad = 0.06 * (hi[m] - lo[m] > 0 ? hi[m] - lo[m] : 1);
        top -= h;
        fprintf(s, "set origin 0,%.5f\nset size 1,%.5f\n", top, h);
        fprintf(s, "set yrange [%g:0.5]\nset xrange [%.17g:%.17g]\n", count[m] + 0.5, lo[m] - pad, hi[m] + pad);
        fputs("set title ", s);
        put_title(s, names[m]);
        fputs(" font ',11'\n", s);
        fprintf(s, "set xlabel '%s'\n", lift ? "relative lift of treatment over control (%)"
                                            : "difference, treatment minus control");
        if (m == 0)
            fputs("set key at screen 0.5, screen 0.995 center top horizontal\n", s);
        else
            fputs("unset key\n", s);
        fprintf(s, "set arrow 1 from 0, graph 0 to 0, graph 1 nohead ls 1\n"
                   "plot 'data.txt' index %d using 2:1:ytic(6) with points ps 0 notitle, \\\n"
                   "     '' index %d using ($5 > 0 ? $2 : NaN):1:3:4 with xerrorbars pt 7 ps 1.1 lw 1.5 lc rgb '%s' title 'significant', \\\n"
                   "     '' index %d using ($5 > 0 ? NaN : $2):1:3:4 with xerrorbars pt 6 ps 1.1 lw 1.5 lc rgb '%s' title 'not significant'\n",
                block, block, dcx_palette[1], block, dcx_palette[0]);
    }
    fputs("unset multiplot\n", s);
    return DCX_OK;
}

static dcx_status_t timeline(FILE *s, FILE *d, const cJSON *doc, int fmt, dcx_error_t *err)
{
    const cJSON *tl = cJSON_GetObjectItemCaseSensitive(doc, "timeline"), *e;
    if (!cJSON_IsArray(tl) || !cJSON_GetArraySize(tl))
        return dcx_error_set(err, DCX_EINVAL,
                             "a timeline plot needs an analyze result run with --time-column");
    char names[8][128], variants[8][128];
    int nm = metric_names(tl, names), nv = 0, np = 0;
    cJSON_ArrayForEach(e, tl)
    {
        int k = 0;
        while (k < nv && strcmp(variants[k], str(e, "variant")))
            k++;
        if (k == nv && nv < 8)
            snprintf(variants[nv++], 128, "%s", str(e, "variant"));
    }
    /* blocks: metric m, variant v -> index m * nv + v */
    for (int m = 0; m < nm; m++)
        for (int v = 0; v < nv; v++) {
            int i = 0;
            cJSON_ArrayForEach(e, tl)
            {
                if (strcmp(str(e, "metric"), names[m]) || strcmp(str(e, "variant"), variants[v]))
                    continue;
                const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "diff_ci");
                double lo = cJSON_GetArraySize(c) == 2 ? cJSON_GetArrayItem(c, 0)->valuedouble : NAN,
                       hi = cJSON_GetArraySize(c) == 2 ? cJSON_GetArrayItem(c, 1)->valuedouble : NAN;
                fprintf(d, "%d %.17g %.17g %.17g ", i++, num(e, "diff"), lo, hi);
                put_label(d, str(e, "period"));
                fputc('\n', d);
            }
            if (i > np)
                np = i;
            fprintf(d, "%s\n\n", i ? "" : "0 NaN NaN NaN \"\"");
        }
    terminal(s, fmt, 1000, 80 + 330 * nm);
    fprintf(s, "set multiplot layout %d,1\nset grid ytics lc rgb '#dddddd'\n"
               "set style fill transparent solid 0.18 noborder\nset key top right\n"
               "set ylabel 'difference (treatment - control)'\nset xrange [-0.5:%d]\n",
            nm, np);
    if (np > 12)
        fputs("set xtics rotate by 45 right\n", s);
    for (int m = 0; m < nm; m++) {
        fputs("set title ", s);
        put_title(s, names[m]);
        fputs(" font ',11'\n", s);
        fprintf(s, "set xlabel '%s'\n", m == nm - 1 ? "period (cumulative data up to and including it)" : "");
        fputs("set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb '#555555'\nplot ", s);
        for (int v = 0; v < nv; v++) {
            const char *col = dcx_palette[v % 8];
            int idx = m * nv + v;
            fprintf(s, "%s'data.txt' index %d using 1:3:4 with filledcurves lc rgb '%s' notitle, "
                       "'' index %d using 1:2:xtic(5) with linespoints pt 7 ps 0.6 lw 2 lc rgb '%s' title ",
                    v ? ", \\\n     " : "", idx, col, idx, col);
            put_title(s, variants[v]);
        }
        fputc('\n', s);
    }
    fputs("unset multiplot\n", s);
    return DCX_OK;
}

/* Beta or normal posterior densities of each arm of each overall comparison. */
static dcx_status_t posterior(FILE *s, FILE *d, const cJSON *doc, int fmt, dcx_error_t *err)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    if (!cJSON_IsArray(rows))
        return dcx_error_set(err, DCX_EINVAL, "a posterior plot needs an analyze result");
    int panels = 0;
    cJSON_ArrayForEach(r, rows) if (!strcmp(str(r, "segment"), "all")) panels++;
    if (!panels)
        return dcx_error_set(err, DCX_EINVAL, "no overall comparison to plot");
    if (panels > 6)
        panels = 6;
    terminal(s, fmt, 1000, 60 + 300 * ((panels + 1) / 2));
    fprintf(s, "set multiplot layout %d,%d\nset style fill transparent solid 0.25 noborder\n"
               "set key top right\nset ylabel 'density'\n",
            (panels + 1) / 2, panels > 1 ? 2 : 1);
    int p = 0;
    cJSON_ArrayForEach(r, rows)
    {
        if (strcmp(str(r, "segment"), "all") || p >= panels)
            continue;
        const cJSON *arm[2] = {cJSON_GetObjectItemCaseSensitive(r, "control"),
                               cJSON_GetObjectItemCaseSensitive(r, "treatment")};
        int binary = !strcmp(str(r, "type"), "binary");
        double lo = INFINITY, hi = -INFINITY, a[2], b[2], mu[2], se[2];
        for (int k = 0; k < 2; k++) {
            double n = num(arm[k], "n"), m = num(arm[k], "mean"), sd = num(arm[k], "sd");
            mu[k] = m;
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
        char t[300];
        if (isfinite(num(r, "prob_beat_control")))
            snprintf(t, sizeof t, "%s: %s vs control, P(beat control) %.3g", str(r, "metric"),
                     str(r, "variant"), num(r, "prob_beat_control"));
        else
            snprintf(t, sizeof t, "%s: %s vs control", str(r, "metric"), str(r, "variant"));
        put_title(s, t);
        fprintf(s, "\nplot 'data.txt' index %d using 1:2 with filledcurves x1 lc rgb '%s' title 'control', "
                   "'' index %d using 1:3 with filledcurves x1 lc rgb '%s' title 'treatment'\n",
                p, dcx_palette[0], p, dcx_palette[1]);
        p++;
    }
    fputs("unset multiplot\n", s);
    return DCX_OK;
}

static dcx_status_t power_curve(FILE *s, FILE *d, const cJSON *doc, int fmt, dcx_error_t *err)
{
    double n = num(doc, "n_per_variant"), mde = num(doc, "mde"), target = num(doc, "power");
    if (!(n > 0 && n < 1e15) || !isfinite(mde))
        return dcx_error_set(err, DCX_EINVAL, "a power plot needs a power result (\"n_per_variant\")");
    dcx_power_spec_t sp;
    dcx_power_spec_init(&sp);
    sp.kind = !strcmp(str(doc, "metric"), "mean") ? DCX_POWER_MEAN : DCX_POWER_BINARY;
    sp.baseline = num(doc, "baseline");
    sp.mean = num(doc, "mean");
    sp.sd = num(doc, "sd");
    sp.alpha = num(doc, "alpha");
    double k = num(doc, "variants");
    sp.variants = k >= 2 && k <= 1000 ? (int)k : 2;
    sp.ratio = isnan(num(doc, "ratio")) ? 1 : num(doc, "ratio");
    for (int i = 1; i <= 200; i++) {
        double x = n * 2.5 * i / 200.0;
        fprintf(d, "%.17g %.17g\n", x, dcx_power_at(&sp, x, mde));
    }
    terminal(s, fmt, 900, 560);
    fputs("set xlabel 'units per variant'\nset ylabel 'power (probability of detecting the MDE)'\n"
          "set yrange [0:1]\nset grid lc rgb '#dddddd'\nset key bottom right\n", s);
    fprintf(s, "set arrow from %.17g, graph 0 to %.17g, graph 1 nohead dt 2 lc rgb '#555555'\n", n, n);
    fprintf(s, "set arrow from graph 0, first %.17g to graph 1, first %.17g nohead dt 3 lc rgb '#555555'\n",
            target, target);
    fprintf(s, "set label 1 'n = %.0f per variant' at %.17g, graph 0.06 offset 1,0 tc rgb '#333333'\n", n, n);
    fprintf(s, "plot 'data.txt' using 1:2 with lines lw 2.5 lc rgb '%s' title 'power at MDE %.4g'\n",
            dcx_palette[0], mde);
    return DCX_OK;
}

static dcx_status_t radar(FILE *s, FILE *d, const cJSON *doc, int fmt, dcx_error_t *err)
{
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions"), *x;
    int k = cJSON_GetArraySize(dims);
    if (!cJSON_IsArray(dims) || k < 3)
        return dcx_error_set(err, DCX_EINVAL, "a radar plot needs a maturity result with 3 or more dimensions");
    /* scale from index = 100 (score - min)/(max - min): min and max recovered */
    double smin = NAN, smax = NAN;
    cJSON_ArrayForEach(x, dims)
    {
        double sc = num(x, "score"), ix = num(x, "index");
        if (isfinite(sc) && isfinite(ix) && ix != 0 && isnan(smin)) {
            /* two unknowns: use a second dimension with a different index */
            const cJSON *y;
            cJSON_ArrayForEach(y, dims)
            {
                double s2 = num(y, "score"), i2 = num(y, "index");
                if (isfinite(s2) && isfinite(i2) && i2 != ix) {
                    double range = (sc - s2) * 100 / (ix - i2);
                    smin = sc - ix * range / 100;
                    smax = smin + range;
                    break;
                }
            }
        }
    }
    if (!(isfinite(smin) && isfinite(smax) && smax > smin && smax - smin <= 100)) {
        smin = 1;
        smax = 5;
    }
    int has_target = 0;
    /* index 0: grid rings; 1: spokes; 2: target; 3: scores; 4: ring values; 5: labels */
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
    for (int pass = 0; pass < 2; pass++) {
        const char *field = pass == 0 ? "target" : "score";
        int i = 0;
        double first[2] = {0, 0};
        cJSON_ArrayForEach(x, dims)
        {
            double v = num(x, field), a = M_PI / 2 - 2 * M_PI * i / k;
            if (!isfinite(v))
                v = smin;
            else if (pass == 0)
                has_target = 1;
            double r = (v - smin) / (smax - smin);
            fprintf(d, "%.6f %.6f\n", r * cos(a), r * sin(a));
            if (i == 0)
                first[0] = r * cos(a), first[1] = r * sin(a);
            i++;
        }
        fprintf(d, "%.6f %.6f\n\n\n", first[0], first[1]);
    }
    for (int ring = (int)ceil(smin); ring <= (int)floor(smax); ring++) /* index 4 */
        fprintf(d, "0.03 %.6f \"%d\"\n", (ring - smin) / (smax - smin), ring);
    fputs("\n\n", d);
    int i = 0;
    cJSON_ArrayForEach(x, dims)
    {
        double a = M_PI / 2 - 2 * M_PI * i / k;
        char label[300];
        snprintf(label, sizeof label, "%s (%.2f)", str(x, "name"), num(x, "score"));
        fprintf(d, "%.6f %.6f ", 1.13 * cos(a), 1.13 * sin(a));
        put_label(d, label);
        fputc('\n', d);
        i++;
    }
    terminal(s, fmt, 1000, 860);
    fputs("unset border\nunset xtics\nunset ytics\nset size ratio -1\n"
          "set xrange [-1.75:1.75]\nset yrange [-1.3:1.3]\nset key bottom center horizontal\n"
          "set style fill transparent solid 0.25 border\n", s);
    fprintf(s, "plot 'data.txt' index 0 with lines lc rgb '#cccccc' notitle, "
               "'' index 1 with lines lc rgb '#cccccc' notitle, \\\n");
    if (has_target)
        fprintf(s, "     '' index 2 with lines dt 2 lw 2 lc rgb '%s' title 'target', \\\n", dcx_palette[1]);
    fprintf(s, "     '' index 3 with filledcurves closed lc rgb '%s' title 'score', \\\n"
               "     '' index 3 with linespoints pt 7 ps 0.8 lw 2 lc rgb '%s' notitle, \\\n"
               "     '' index 4 using 1:2:3 with labels left font ',8' tc rgb '#888888' notitle, \\\n"
               "     '' index 5 using 1:2:3 with labels tc rgb '#222222' notitle\n",
            dcx_palette[0], dcx_palette[0]);
    return DCX_OK;
}

static dcx_status_t gaps(FILE *s, FILE *d, const cJSON *doc, int fmt, dcx_error_t *err)
{
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions"),
                *order = cJSON_GetObjectItemCaseSensitive(doc, "priority_order"), *id, *x;
    if (!cJSON_IsArray(dims) || !cJSON_IsArray(order))
        return dcx_error_set(err, DCX_EINVAL, "a gaps plot needs a maturity result");
    int n = 0, any = 0;
    cJSON_ArrayForEach(id, order) cJSON_ArrayForEach(x, dims) if (!strcmp(str(x, "id"), id->valuestring))
    {
        double gap = num(x, "gap"), score = num(x, "score");
        any |= isfinite(gap);
        n++;
        fprintf(d, "%d %.17g %.17g ", n, isfinite(gap) ? gap : 0, isfinite(score) ? score : 0);
        put_label(d, str(x, "name"));
        fputc('\n', d);
    }
    if (!any)
        return dcx_error_set(err, DCX_EINVAL, "a gaps plot needs targets (score with --target or --targets)");
    terminal(s, fmt, 1000, 140 + 32 * n);
    int longest = 10;
    cJSON_ArrayForEach(x, dims) if ((int)strlen(str(x, "name")) > longest) longest = (int)strlen(str(x, "name"));
    fprintf(s, "set lmargin %d\n", longest > 70 ? 72 : longest + 2);
    fprintf(s, "set yrange [%g:0.4]\nset ytics scale 0\nset xrange [0:*]\n"
               "set xlabel 'gap to target (scale points), by priority'\nset grid xtics lc rgb '#dddddd'\n"
               "set style fill solid 0.85 noborder\n",
            n + 0.6);
    fprintf(s, "plot 'data.txt' using (0):1:(0):2:($1 - 0.35):($1 + 0.35):ytic(4) with boxxyerror lc rgb '%s' notitle\n",
            dcx_palette[1]);
    return DCX_OK;
}

/* ---- running gnuplot ------------------------------------------------------------------- */

dcx_status_t plot_run(const char *dir, const char *gnuplot, dcx_error_t *err)
{
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

/* Copies src into a temporary file beside dst, then renames it over dst. */
dcx_status_t plot_install(const char *src, const char *dst, dcx_error_t *err)
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return dcx_error_set(err, DCX_ECONV, "gnuplot wrote no output");
    size_t n = strlen(dst) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        fclose(in);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    snprintf(tmp, n, "%s.tmp.XXXXXX", dst);
    int fd = mkstemp(tmp);
    if (fd >= 0) { /* mkstemp makes 0600: give the file the mode a plain create would */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!out) {
        if (fd >= 0)
            close(fd);
        fclose(in);
        dcx_status_t st = dcx_error_at(err, DCX_EIO, dst, 0, 0, "cannot create: %s", strerror(errno));
        free(tmp);
        return st;
    }
    char buf[65536];
    size_t got, total = 0;
    int bad = 0;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
        total += got;
        if (fwrite(buf, 1, got, out) != got)
            bad = 1;
    }
    fclose(in);
    if (fclose(out) != 0)
        bad = 1;
    if (bad || total == 0 || rename(tmp, dst) != 0) {
        unlink(tmp);
        free(tmp);
        return total == 0 ? dcx_error_set(err, DCX_ECONV, "gnuplot wrote an empty file")
                          : dcx_error_at(err, DCX_EIO, dst, 0, 0, "cannot write");
    }
    free(tmp);
    return DCX_OK;
}

void plot_cleanup(const char *dir)
{
    static const char *files[] = {"plot.gp", "data.txt", "gnuplot.err", "out.png", "out.svg", "out.pdf"};
    char p[4096];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

dcx_status_t plot_to_dir(dcx_plot_kind_t kind, const cJSON *doc, int fmt, const char *dir,
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
    dcx_status_t st;
    switch (kind) {
    case DCX_PLOT_FOREST: st = forest(s, d, doc, measure, fmt, err); break;
    case DCX_PLOT_TIMELINE: st = timeline(s, d, doc, fmt, err); break;
    case DCX_PLOT_POSTERIOR: st = posterior(s, d, doc, fmt, err); break;
    case DCX_PLOT_POWER: st = power_curve(s, d, doc, fmt, err); break;
    case DCX_PLOT_RADAR: st = radar(s, d, doc, fmt, err); break;
    default: st = gaps(s, d, doc, fmt, err); break;
    }
    fclose(d);
    fclose(s);
    if (st)
        return st;
    if (title) {
        /* prepend the title (sanitised) to the script */
        char *body = NULL;
        size_t len = 0;
        dcx_error_t rerr;
        dcx_slurp(sp, (size_t)1 << 28, &body, &len, &rerr);
        FILE *out = fopen(sp, "w");
        if (!out || !body) {
            free(body);
            if (out)
                fclose(out);
            return dcx_error_set(err, DCX_EIO, "cannot write gnuplot's script");
        }
        /* the terminal line must come first; the title right after it */
        char *nl = strchr(body, '\n');
        size_t head = nl ? (size_t)(nl - body + 1) : len;
        fwrite(body, 1, head, out);
        fputs("set title ", out);
        put_title(out, title);
        fputs(" font ',13'\n", out);
        fwrite(body + head, 1, len - head, out);
        fclose(out);
        free(body);
    }
    return plot_run(dir, gnuplot, err);
}

dcx_status_t dcx_plot_render(dcx_plot_kind_t kind, const cJSON *doc, const char *output,
                             const char *gnuplot, const char *measure, const char *title,
                             dcx_error_t *err)
{
    static const char *ext[] = {"png", "svg", "pdf"};
    int fmt = plot_format(output);
    if (fmt < 0)
        return dcx_error_set(err, DCX_EINVAL, "%s: the plot file must end in .png, .svg or .pdf", output);
    char dir[] = "/tmp/dcx-plot-XXXXXX";
    if (!mkdtemp(dir))
        return dcx_error_set(err, DCX_EIO, "cannot create a temporary directory: %s", strerror(errno));
    dcx_status_t st = plot_to_dir(kind, doc, fmt, dir, gnuplot ? gnuplot : "gnuplot", measure, title, err);
    if (!st) {
        char out[4096];
        snprintf(out, sizeof out, "%s/out.%s", dir, ext[fmt]);
        st = plot_install(out, output, err);
    }
    plot_cleanup(dir);
    return st;
}
