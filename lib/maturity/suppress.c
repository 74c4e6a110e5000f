/* suppress.c — small groups kept out of sight: a group with fewer respondents than the
 * minimum group size (in either round, for a compare) keeps its size and gets
 * "suppressed": true, and every number, level, interval and text computed from its answers
 * becomes null, so no table, chart or workbook can show what a handful of people said. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/maturity.h"

/* what a suppressed group keeps: what it is, how many answered, and the target it is held to */
static const char *const keep[] = {"id",    "name",  "weight",      "n",  "target",
                                   "direction", "group", "by",      "respondents",
                                   "respondents_before", "respondents_after",
                                   "suppressed", "min_group_size", "norm_n", NULL};

static int kept(const char *key)
{
    for (int i = 0; keep[i]; i++)
        if (!strcmp(keep[i], key))
            return 1;
    return 0;
}

/* Replaces item (a member of parent) by by (NULL: a failed allocation) under the same key:
 * the key moves over, with its ownership flag, so nothing is allocated (cJSON's
 * ReplaceItemInObject copies the key and, when that copy fails, leaves a member without
 * one). @return 0 or -1. */
static int replace_member(cJSON *parent, cJSON *item, cJSON *by)
{
    if (!by)
        return -1;
    by->string = item->string;
    by->type |= item->type & cJSON_StringIsConst;
    item->string = NULL;
    item->type &= ~cJSON_StringIsConst;
    cJSON_ReplaceItemViaPointer(parent, item, by);
    return 0;
}

static int to_null(cJSON *parent, cJSON *item) { return replace_member(parent, item, cJSON_CreateNull()); }

/* Nulls every member of o that is not kept, going into "overall" and "dimensions"; the
 * note becomes why. @return 0 or -1. */
static int null_out(cJSON *o, const char *why)
{
    cJSON *c = o ? o->child : NULL, *next;
    for (; c; c = next) {
        next = c->next;
        if (!c->string || kept(c->string))
            continue;
        if (!strcmp(c->string, "overall")) {
            if (null_out(c, why))
                return -1;
        } else if (!strcmp(c->string, "dimensions") && cJSON_IsArray(c)) {
            cJSON *d;
            cJSON_ArrayForEach(d, c) if (null_out(d, why)) return -1;
        } else if (!strcmp(c->string, "note")) {
            if (replace_member(o, c, cJSON_CreateString(why)))
                return -1;
        } else if (!cJSON_IsNull(c) && to_null(o, c)) {
            return -1;
        }
    }
    if (o && cJSON_IsObject(o) && o->string && !strcmp(o->string, "overall")
        && !cJSON_GetObjectItemCaseSensitive(o, "note") && !cJSON_AddStringToObject(o, "note", why))
        return -1;
    return 0;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

dcx_status_t dcx_maturity_suppress(cJSON *doc, double min_group_size, dcx_error_t *err)
{
    if (!cJSON_IsObject(doc))
        return DCX_OK;
    double n = min_group_size;
    if (!isfinite(n)) /* as the result was made, else the default */
        n = num(doc, "min_group_size");
    if (!isfinite(n))
        n = num(cJSON_GetObjectItemCaseSensitive(doc, "settings"), "min-group-size");
    if (!isfinite(n))
        n = 5;
    if (!(n >= 1 && n <= 1e9 && n == floor(n)))
        return dcx_error_set(err, DCX_EINVAL, "--min-group-size must be a whole number >= 1");
    cJSON *at = cJSON_GetObjectItemCaseSensitive(doc, "min_group_size");
    if (at)
        cJSON_SetNumberValue(at, n);
    char why[160];
    snprintf(why, sizeof why, "suppressed: fewer than %.0f respondents (--min-group-size)", n);
    cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(doc, "groups"))
    {
        double size = num(g, "respondents");
        if (cJSON_GetObjectItemCaseSensitive(g, "respondents_before"))
            size = fmin(num(g, "respondents_before"), num(g, "respondents_after"));
        if (!(size < n) || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "suppressed")))
            continue;
        if (null_out(g, why))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        /* "suppressed": true after the sizes */
        cJSON *last = NULL, *c;
        cJSON_ArrayForEach(c, g) if (c->string && !strncmp(c->string, "respondents", 11)) last = c;
        cJSON *t = cJSON_CreateTrue();
        if (!t)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        t->string = (char *)"suppressed";
        t->type |= cJSON_StringIsConst;
        cJSON *old = cJSON_GetObjectItemCaseSensitive(g, "suppressed");
        if (old) {
            cJSON_ReplaceItemViaPointer(g, old, t);
        } else if (last && last->next) { /* linked in by hand: cJSON inserts only into arrays */
            t->prev = last;
            t->next = last->next;
            last->next->prev = t;
            last->next = t;
        } else {
            cJSON_AddItemToArray(g, t);
        }
    }
    return DCX_OK;
}
