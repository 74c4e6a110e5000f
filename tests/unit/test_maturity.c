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
    const cJSON *block = doc, *it;
    if (!strcmp(scope, "item")) /* a statement */
        return by_id(cJSON_GetObjectItemCaseSensitive(doc, "items"), "id", what);
    if (!strncmp(scope, "icc=", 4)) { /* icc=BY|DIMENSION */
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "icc"))
        {
            const cJSON *b = cJSON_GetObjectItemCaseSensitive(it, "by"), *d = cJSON_GetObjectItemCaseSensitive(it, "dimension");
            if (cJSON_IsString(b) && cJSON_IsString(d) && !strcmp(b->valuestring, scope + 4)
                && !strcmp(d->valuestring, what))
                return it;
        }
        return NULL;
    }
    if (!strncmp(scope, "group=", 6)) { /* group=VALUE, or group=BY:VALUE; |group: the group itself */
        const char *g = scope + 6, *colon = strchr(g, ':');
        block = NULL;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "groups"))
        {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "group"), *b = cJSON_GetObjectItemCaseSensitive(it, "by");
            if (!cJSON_IsString(v))
                continue;
            if (colon ? (cJSON_IsString(b) && strlen(b->valuestring) == (size_t)(colon - g)
                         && !strncmp(b->valuestring, g, (size_t)(colon - g)) && !strcmp(v->valuestring, colon + 1))
                      : !strcmp(v->valuestring, g)) {
                block = it;
                break;
            }
        }
    }
    if (!strcmp(what, "group")) /* the group's own members: respondents, suppressed */
        return block != doc ? block : NULL;
    if (!strcmp(what, "overall"))
        return cJSON_GetObjectItemCaseSensitive(block, "overall");
    return by_id(cJSON_GetObjectItemCaseSensitive(block, "dimensions"), "id", what);
}

static const char *command(const char *id)
{
    return id[0] == 'C' || id[0] == 'P' ? "maturity compare" : "maturity score";
}

int main(void)
{
    return refcases_check("tests/reference/maturity.tsv", command, select_item, 1e-9, 1000);
}
