/* analysis_view.c — the analysis document for people: warnings first, the SRM line,
 * then one line per comparison with significant results marked. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/analysis.h"
#include "dcx/view.h"

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

static void fmt_ci(char *b, size_t n, const cJSON *o, const char *est, const char *ci, int pct)
{
    char e[24], lo[24], hi[24];
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, ci);
    fmt_num(e, sizeof e, num(o, est), 1, pct);
    if (cJSON_IsArray(a) && cJSON_GetArraySize(a) == 2) {
        fmt_num(lo, sizeof lo, cJSON_GetArrayItem(a, 0)->valuedouble, 1, pct);
        fmt_num(hi, sizeof hi, cJSON_GetArrayItem(a, 1)->valuedouble, 1, pct);
        snprintf(b, n, "%s [%s, %s]", e, lo, hi);
    } else {
        snprintf(b, n, "%s", e);
    }
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

#define NCOL 11

dcx_status_t dcx_analysis_view(FILE *out, const cJSON *doc, int format, dcx_error_t *err)
{
    if (format != DCX_FORMAT_TABLE && format != DCX_FORMAT_MARKDOWN)
        return dcx_view_write(out, doc, (dcx_format_t)format, "results", err);
    int md = format == DCX_FORMAT_MARKDOWN;
    const cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(doc, "warnings"))
        fprintf(out, md ? "> **warning:** %s\n" : "warning: %s\n", w->valuestring);
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "warnings")))
        fputc('\n', out);
    int bayes = !strcmp(str(doc, "method"), "bayesian");
    const cJSON *srm = cJSON_GetObjectItemCaseSensitive(doc, "srm");
    char p[32];
    fmt_p(p, sizeof p, num(srm, "p_value"));
    fprintf(out, "%smethod %s, alpha %g, correction %s, control '%s'; SRM chi2 %.4g, p %s%s\n\n",
            md ? "" : "", str(doc, "method"), num(doc, "alpha"), str(doc, "correction"),
            str(doc, "control"), num(srm, "chi2"), p,
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(srm, "mismatch")) ? " MISMATCH" : " (ok)");
    const char *head[NCOL] = {"metric", "segment", "variant", "n ctl", "n trt", "ctl", "trt",
                              bayes ? "diff [credible]" : "diff [CI]", "lift [CI]", bayes ? "P(beat)" : "p",
                              bayes ? "loss" : "p adj"};
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    size_t n = (size_t)cJSON_GetArraySize(rows), i = 0;
    char(*cell)[NCOL][128] = calloc(n + 1, sizeof *cell);
    int *sig = calloc(n + 1, sizeof *sig);
    if (!cell || !sig) {
        free(cell);
        free(sig);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    size_t width[NCOL];
    for (int c = 0; c < NCOL; c++)
        width[c] = strlen(head[c]);
    cJSON_ArrayForEach(r, rows)
    {
        char(*row)[128] = cell[i];
        const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(r, "control"),
                    *trt = cJSON_GetObjectItemCaseSensitive(r, "treatment");
        int pct = !strcmp(str(r, "type"), "binary");
        snprintf(row[0], 128, "%s", str(r, "metric"));
        if (!strcmp(str(r, "segment"), "all"))
            snprintf(row[1], 128, "all");
        else
            snprintf(row[1], 128, "%s=%s", str(r, "segment"), str(r, "segment_value"));
        snprintf(row[2], 128, "%s", str(r, "variant"));
        snprintf(row[3], 128, "%.0f", num(ctl, "n"));
        snprintf(row[4], 128, "%.0f", num(trt, "n"));
        fmt_num(row[5], 128, num(ctl, "mean"), 0, pct);
        fmt_num(row[6], 128, num(trt, "mean"), 0, pct);
        fmt_ci(row[7], 128, r, "diff", bayes ? "credible_interval" : "diff_ci", pct);
        fmt_ci(row[8], 128, r, "lift", "lift_ci", 1);
        if (bayes) {
            fmt_num(row[9], 128, num(r, "prob_beat_control"), 0, 1);
            fmt_num(row[10], 128, num(r, "expected_loss"), 0, pct);
        } else {
            fmt_p(row[9], 128, num(r, "p_value"));
            fmt_p(row[10], 128, num(r, "p_adjusted"));
        }
        sig[i] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant"));
        for (int c = 0; c < NCOL; c++)
            if (strlen(row[c]) > width[c])
                width[c] = strlen(row[c]);
        i++;
    }
    if (md) {
        fputs("|", out);
        for (int c = 0; c < NCOL; c++)
            fprintf(out, " %s |", head[c]);
        fputs(" |\n|", out);
        for (int c = 0; c < NCOL; c++)
            fputs(c < 3 ? " --- |" : " ---: |", out);
        fputs(" --- |\n", out);
        for (i = 0; i < n; i++) {
            fputs("|", out);
            for (int c = 0; c < NCOL; c++)
                fprintf(out, " %s |", cell[i][c]);
            fprintf(out, " %s |\n", sig[i] ? "**significant**" : "");
        }
    } else {
        for (int c = 0; c < NCOL; c++)
            fprintf(out, c < 3 ? "%-*s  " : "%*s  ", (int)width[c], head[c]);
        fputc('\n', out);
        for (i = 0; i < n; i++) {
            for (int c = 0; c < NCOL; c++)
                fprintf(out, c < 3 ? "%-*s  " : "%*s  ", (int)width[c], cell[i][c]);
            fputs(sig[i] ? "*\n" : "\n", out);
        }
        fprintf(out, "\n* significant at alpha %g%s\n", num(doc, "alpha"),
                bayes ? " (credible interval excludes 0)" : " after correction");
    }
    free(cell);
    free(sig);
    return ferror(out) ? dcx_error_set(err, DCX_EIO, "write error") : DCX_OK;
}
