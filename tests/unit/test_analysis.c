/* test_analysis.c — dcx_analyze() against R on the example data.
 *
 * tests/reference/analysis.tsv (from tests/reference/analysis.R) lists cases as dcx
 * command lines and, for each, fields of the result document with R's value. Each case's
 * arguments go through the same option table as the CLI; each value must match to a
 * relative 1e-6. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tap.h"
#include "refcases.h"

static const char *s(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsString(v))
        return v->valuestring;
    if (cJSON_IsNumber(v)) {
        static char buf[32];
        snprintf(buf, sizeof buf, "%g", v->valuedouble);
        return buf;
    }
    return "";
}

static const cJSON *select_item(const cJSON *doc, const char *sel)
{
    char buf[512], *parts[6] = {0};
    snprintf(buf, sizeof buf, "%s", sel);
    int n = 0;
    for (char *save = NULL, *p = strtok_r(buf, "|", &save); p && n < 6; p = strtok_r(NULL, "|", &save))
        parts[n++] = p;
    if (!strcmp(parts[0], "srm") || !strcmp(parts[0], "health"))
        return cJSON_GetObjectItemCaseSensitive(doc, parts[0]);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, parts[0]), *it;
    cJSON_ArrayForEach(it, arr)
    {
        int match = 0;
        if (!strcmp(parts[0], "results"))
            match = !strcmp(s(it, "metric"), parts[1]) && !strcmp(s(it, "segment"), parts[2])
                    && !strcmp(s(it, "segment_value"), parts[3]) && !strcmp(s(it, "variant"), parts[4]);
        else if (!strcmp(parts[0], "srm_segments"))
            match = !strcmp(s(it, "segment"), parts[1]) && !strcmp(s(it, "segment_value"), parts[2]);
        else if (!strcmp(parts[0], "heterogeneity"))
            match = !strcmp(s(it, "metric"), parts[1]) && !strcmp(s(it, "variant"), parts[2])
                    && !strcmp(s(it, "segment"), parts[3]);
        else if (!strcmp(parts[0], "decisions"))
            match = !strcmp(s(it, "variant"), parts[1]);
        else if (!strcmp(parts[0], "timeline"))
            match = !strcmp(s(it, "period"), parts[1]) && !strcmp(s(it, "metric"), parts[2])
                    && !strcmp(s(it, "variant"), parts[3]);
        if (match)
            return it;
    }
    return NULL;
}

static const char *command(const char *id)
{
    (void)id;
    return "analyze";
}

int main(void)
{
    return refcases_check("tests/reference/analysis.tsv", command, select_item, 1e-6, 200);
}
