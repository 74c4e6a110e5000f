/* test_analysis.c — dcx_analyze() against R on the example data.
 *
 * tests/reference/analysis.tsv (from tests/reference/analysis.R) lists cases as dcx
 * command lines and, for each, fields of the result document with R's value. Each case's
 * arguments go through the same option table as the CLI; each value must match to a
 * relative 1e-6. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"
#include "tap.h"

static cJSON *run_case(const char *args)
{
    const dcx_command_t *cmd = dcx_command_find("analyze");
    dcx_error_t err;
    void *opts = dcx_command_new_opts(cmd, &err);
    char *copy = strdup(args), *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        const dcx_option_t *o = dcx_opts_find(cmd->options, w + 2);
        if (!o) {
            printf("# unknown option %s\n", w);
            continue;
        }
        const char *value = o->type == DCX_OPT_FLAG ? NULL : strtok_r(NULL, " ", &save);
        dcx_opts_set(o, opts, value, &err);
    }
    cJSON *doc = NULL;
    dcx_status_t st = cmd->run(opts, &doc, &err);
    if (st)
        printf("# analyze failed: %s\n", err.message);
    dcx_command_free_opts(cmd, opts);
    free(copy);
    return doc;
}

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
    if (!strcmp(parts[0], "srm"))
        return cJSON_GetObjectItemCaseSensitive(doc, "srm");
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
        else if (!strcmp(parts[0], "timeline"))
            match = !strcmp(s(it, "period"), parts[1]) && !strcmp(s(it, "metric"), parts[2])
                    && !strcmp(s(it, "variant"), parts[3]);
        if (match)
            return it;
    }
    return NULL;
}

static double field(const cJSON *item, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *v = item;
    for (char *save = NULL, *p = strtok_r(buf, ".", &save); p && v; p = strtok_r(NULL, ".", &save))
        v = (*p >= '0' && *p <= '9') ? cJSON_GetArrayItem(v, atoi(p))
                                     : cJSON_GetObjectItemCaseSensitive(v, p);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int main(void)
{
    const char *root = getenv("DCX_ROOT");
    if (root && chdir(root) != 0)
        return 1;
    FILE *f = fopen("tests/reference/analysis.tsv", "r");
    if (!ok(f != NULL, "open tests/reference/analysis.tsv"))
        return done_testing();
    char line[4096], current[1024] = "";
    cJSON *doc = NULL;
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *save = NULL, *id = strtok_r(line, "\t", &save), *args = strtok_r(NULL, "\t", &save),
             *sel = strtok_r(NULL, "\t", &save), *fld = strtok_r(NULL, "\t", &save),
             *want = strtok_r(NULL, "\t", &save), *how = strtok_r(NULL, "\t", &save);
        if (!id || !args || !sel || !fld || !want)
            continue;
        if (strcmp(args, current)) {
            cJSON_Delete(doc);
            doc = run_case(args);
            ok(doc != NULL, "case %s runs: dcx analyze %s", id, args);
            snprintf(current, sizeof current, "%s", args);
        }
        const cJSON *item = doc ? select_item(doc, sel) : NULL;
        double got = item ? field(item, fld) : NAN;
        is_rel(got, strtod(want, NULL), 1e-6, "case %s %s %s (R: %s)", id, sel, fld, how ? how : "");
        rows++;
    }
    cJSON_Delete(doc);
    fclose(f);
    ok(rows > 200, "%d reference values checked", rows);
    return done_testing();
}
