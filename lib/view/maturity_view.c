/* maturity_view.c — the maturity score document for people: overall level, one line per
 * dimension, groups side by side, then priorities with their recommendations. */
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/maturity.h"
#include "dcx/view.h"

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "-";
}

static void f(char *b, size_t n, double v, const char *fmt)
{
    if (isfinite(v))
        snprintf(b, n, fmt, v);
    else
        snprintf(b, n, "-");
}

dcx_status_t dcx_maturity_view(FILE *out, const cJSON *doc, int format, dcx_error_t *err)
{
    if (format != DCX_FORMAT_TABLE && format != DCX_FORMAT_MARKDOWN)
        return dcx_view_write(out, doc, (dcx_format_t)format, "dimensions", err);
    int md = format == DCX_FORMAT_MARKDOWN;
    const cJSON *w, *a = cJSON_GetObjectItemCaseSensitive(doc, "assessment"),
                    *ov = cJSON_GetObjectItemCaseSensitive(doc, "overall");
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(doc, "warnings"))
        fprintf(out, md ? "> **warning:** %s\n" : "warning: %s\n", w->valuestring);
    char s1[32], s2[32], s3[32], s4[32], s5[32], s6[32], s7[32];
    f(s1, sizeof s1, num(ov, "score"), "%.2f");
    f(s2, sizeof s2, num(ov, "target"), "%.2f");
    f(s3, sizeof s3, 100 * num(ov, "percent_to_target"), "%.0f%%");
    fprintf(out, "%s%s %s (%s): %.0f respondents\n", md ? "## " : "", str(a, "title"),
            str(a, "version"), str(a, "id"), num(doc, "respondents"));
    fprintf(out, "%soverall %s, level %.0f %s; target %s, %s of the way there\n\n", md ? "\n" : "",
            s1, num(ov, "level"), str(ov, "level_name"), s2, s3);
    if (md)
        fputs("| dimension | score | 95% CI | level | alpha | rwg | coverage | target | gap | priority |\n"
              "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
              out);
    else
        fprintf(out, "%-34s %5s  %-13s %-12s %5s %5s %5s %6s %5s %8s\n", "dimension", "score",
                "95% CI", "level", "alpha", "rwg", "cover", "target", "gap", "priority");
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
    {
        const cJSON *ci = cJSON_GetObjectItemCaseSensitive(d, "ci");
        char cis[40] = "-", lvl[48];
        if (cJSON_GetArraySize(ci) == 2)
            snprintf(cis, sizeof cis, "[%.2f, %.2f]", cJSON_GetArrayItem(ci, 0)->valuedouble,
                     cJSON_GetArrayItem(ci, 1)->valuedouble);
        snprintf(lvl, sizeof lvl, "%.0f %s", num(d, "level"), str(d, "level_name"));
        f(s1, sizeof s1, num(d, "score"), "%.2f");
        f(s2, sizeof s2, num(d, "alpha"), "%.2f");
        f(s3, sizeof s3, num(d, "rwg"), "%.2f");
        f(s4, sizeof s4, 100 * num(d, "coverage"), "%.0f%%");
        f(s5, sizeof s5, num(d, "target"), "%.2f");
        f(s6, sizeof s6, num(d, "gap"), "%.2f");
        f(s7, sizeof s7, num(d, "priority"), "%.3f");
        if (md)
            fprintf(out, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", str(d, "name"),
                    s1, cis, lvl, s2, s3, s4, s5, s6, s7);
        else
            fprintf(out, "%-34.34s %5s  %-13s %-12.12s %5s %5s %5s %6s %5s %8s\n", str(d, "name"),
                    s1, cis, lvl, s2, s3, s4, s5, s6, s7);
    }
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups"), *g;
    if (cJSON_GetArraySize(groups)) {
        fprintf(out, md ? "\n### Groups\n\n| dimension |" : "\n%-34s", md ? "" : "scores by group");
        cJSON_ArrayForEach(g, groups) fprintf(out, md ? " %s |" : " %10.10s", str(g, "group"));
        fputs("\n", out);
        if (md) {
            fputs("| --- |", out);
            cJSON_ArrayForEach(g, groups) fputs(" ---: |", out);
            fputs("\n", out);
        }
        fprintf(out, md ? "| overall |" : "%-34s", md ? "" : "overall");
        cJSON_ArrayForEach(g, groups)
        {
            f(s1, sizeof s1, num(cJSON_GetObjectItemCaseSensitive(g, "overall"), "score"), "%.2f");
            fprintf(out, md ? " %s |" : " %10s", s1);
        }
        fputs("\n", out);
        int k = 0;
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
        {
            fprintf(out, md ? "| %s |" : "%-34.34s", str(d, "name"));
            cJSON_ArrayForEach(g, groups)
            {
                const cJSON *gd = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g, "dimensions"), k);
                f(s1, sizeof s1, num(gd, "score"), "%.2f");
                fprintf(out, md ? " %s |" : " %10s", s1);
            }
            fputs("\n", out);
            k++;
        }
    }
    fputs(md ? "\n### Priorities\n\n" : "\npriorities and next steps:\n", out);
    const cJSON *id;
    int rank = 1;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(doc, "priority_order"))
    {
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
        if (!strcmp(str(d, "id"), id->valuestring))
        {
            const cJSON *rec = cJSON_GetObjectItemCaseSensitive(d, "recommendation");
            fprintf(out, md ? "%d. **%s** (%s): %s\n" : "%2d. %s (%s): %s\n", rank++, str(d, "name"),
                    str(d, "level_name"),
                    cJSON_IsString(rec) ? rec->valuestring : "already at the highest level");
        }
        if (rank > 5)
            break;
    }
    return ferror(out) ? dcx_error_set(err, DCX_EIO, "write error") : DCX_OK;
}
