/* test_maturity.c — dcx maturity score/compare against tests/reference/maturity.tsv
 * (tests/reference/maturity.R: the contract's scoring written again in R, Cronbach's
 * alpha also from psych::alpha and rwg(J) from multilevel::rwg.j). Relative 1e-9. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"
#include "tap.h"

static cJSON *run_case(const char *name, const char *args)
{
    const dcx_command_t *cmd = dcx_command_find(name);
    dcx_error_t err;
    void *opts = dcx_command_new_opts(cmd, &err);
    char *copy = strdup(args), *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        const dcx_option_t *o = dcx_opts_find(cmd->options, w + 2);
        if (!o)
            continue;
        dcx_opts_set(o, opts, o->type == DCX_OPT_FLAG ? NULL : strtok_r(NULL, " ", &save), &err);
    }
    cJSON *doc = NULL;
    if (cmd->run(opts, &doc, &err))
        printf("# %s failed: %s\n", name, err.message);
    dcx_command_free_opts(cmd, opts);
    free(copy);
    return doc;
}

static const cJSON *by_id(const cJSON *arr, const char *key, const char *id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, key);
        if (cJSON_IsString(v) && !strcmp(v->valuestring, id))
            return it;
    }
    return NULL;
}

static const cJSON *select_item(const cJSON *doc, const char *sel)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", sel);
    char *bar = strchr(buf, '|');
    if (!bar)
        return NULL;
    *bar = '\0';
    const char *scope = buf, *what = bar + 1;
    const cJSON *block = doc;
    if (!strncmp(scope, "group=", 6))
        block = by_id(cJSON_GetObjectItemCaseSensitive(doc, "groups"), "group", scope + 6);
    if (!strcmp(what, "overall"))
        return cJSON_GetObjectItemCaseSensitive(block, "overall");
    return by_id(cJSON_GetObjectItemCaseSensitive(block, "dimensions"), "id", what);
}

static double field(const cJSON *item, const char *path)
{
    char buf[64];
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
    FILE *f = fopen("tests/reference/maturity.tsv", "r");
    if (!ok(f != NULL, "open tests/reference/maturity.tsv"))
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
            doc = run_case(id[0] == 'C' ? "maturity compare" : "maturity score", args);
            ok(doc != NULL, "case %s runs: %s", id, args);
            snprintf(current, sizeof current, "%s", args);
        }
        const cJSON *item = doc ? select_item(doc, sel) : NULL;
        is_rel(item ? field(item, fld) : NAN, strtod(want, NULL), 1e-9, "case %s %s %s (%s)", id,
               sel, fld, how ? how : "");
        rows++;
    }
    cJSON_Delete(doc);
    fclose(f);
    ok(rows > 600, "%d reference values checked", rows);
    return done_testing();
}
