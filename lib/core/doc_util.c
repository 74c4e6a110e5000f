/* doc_util.c — building result documents. */
#include "doc_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local int doc_failed;

void doc_begin(void) { doc_failed = 0; }

int doc_oom(const cJSON *d) { return doc_failed || !d; }

void doc_fail(void) { doc_failed = 1; }

static void check(const void *p)
{
    if (!p)
        doc_failed = 1;
}

/* Adds item under a key that outlives the document (a string literal): no copy. */
static void add(cJSON *o, const char *key, cJSON *item)
{
    if (!o || !item || !cJSON_AddItemToObjectCS(o, key, item)) {
        doc_failed = 1;
        cJSON_Delete(item);
    }
}

void doc_num(cJSON *o, const char *key, double v)
{
    add(o, key, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

void doc_num_copykey(cJSON *o, const char *key, double v)
{
    if (!isfinite(v))
        check(cJSON_AddNullToObject(o, key));
    else
        check(cJSON_AddNumberToObject(o, key, v));
}

void doc_note(cJSON *o, const char *why)
{
    if (!o || !why || !*why)
        return;
    cJSON *note = cJSON_GetObjectItemCaseSensitive(o, "note");
    if (!note) {
        add(o, "note", cJSON_CreateString(why));
        return;
    }
    if (!cJSON_IsString(note) || strstr(note->valuestring, why))
        return;
    size_t len = strlen(note->valuestring) + strlen(why) + 3;
    char *s = malloc(len);
    if (!s) {
        doc_failed = 1;
        return;
    }
    snprintf(s, len, "%s; %s", note->valuestring, why);
    check(cJSON_SetValuestring(note, s));
    free(s);
}

void doc_num_or_null(cJSON *o, const char *key, double v, const char *why)
{
    doc_num(o, key, v);
    if (!isfinite(v))
        doc_note(o, why);
}

void doc_str(cJSON *o, const char *key, const char *s)
{
    add(o, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

void doc_bool(cJSON *o, const char *key, int v) { add(o, key, cJSON_CreateBool(v)); }

void doc_null(cJSON *o, const char *key) { add(o, key, cJSON_CreateNull()); }

void doc_interval(cJSON *o, const char *key, double lo, double hi, const char *why)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        doc_null(o, key);
        doc_note(o, why);
        return;
    }
    cJSON *a = cJSON_CreateArray();
    add(o, key, a);
    if (doc_failed)
        return;
    doc_push(a, cJSON_CreateNumber(lo));
    doc_push(a, cJSON_CreateNumber(hi));
}

cJSON *doc_obj(cJSON *o, const char *key)
{
    cJSON *c = cJSON_CreateObject();
    if (!o || !c || !cJSON_AddItemToObjectCS(o, key, c)) {
        doc_failed = 1;
        cJSON_Delete(c);
        return NULL;
    }
    return c;
}

cJSON *doc_arr(cJSON *o, const char *key)
{
    cJSON *c = cJSON_CreateArray();
    if (!o || !c || !cJSON_AddItemToObjectCS(o, key, c)) {
        doc_failed = 1;
        cJSON_Delete(c);
        return NULL;
    }
    return c;
}

void doc_push(cJSON *arr, cJSON *item)
{
    if (!item || !arr || !cJSON_AddItemToArray(arr, item)) {
        doc_failed = 1;
        cJSON_Delete(item);
    }
}
