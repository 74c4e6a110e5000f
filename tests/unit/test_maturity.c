/* test_maturity.c — dcx maturity score/compare against tests/reference/maturity.tsv
 * (tests/reference/maturity.R: the scoring of docs/methods.md written again in R, Cronbach's
 * alpha also from psych::alpha and rwg(J) from multilevel::rwg.j). Relative 1e-9. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tap.h"
#include "refcases.h"

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

static const char *command(const char *id)
{
    return id[0] == 'C' ? "maturity compare" : "maturity score";
}

int main(void)
{
    return refcases_check("tests/reference/maturity.tsv", command, select_item, 1e-9, 1000);
}
