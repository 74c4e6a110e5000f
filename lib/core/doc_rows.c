/* doc_rows.c — result documents whose long arrays are made one item at a time (dcx/doc.h),
 * and the walk over a top-level array that views use (doc_rows.h). */
#include "doc_rows.h"

#include <string.h>

#include "json_arena.h"

dcx_doc_t dcx_doc_whole(const cJSON *root)
{
    dcx_doc_t d;
    memset(&d, 0, sizeof d);
    d.root = (cJSON *)root; /* borrowed: never freed through this d */
    return d;
}

const dcx_doc_stream_t *doc_stream_of(const dcx_doc_t *d, const char *key)
{
    for (size_t i = 0; i < d->nstreams; i++)
        if (!strcmp(d->streams[i].key, key))
            return &d->streams[i];
    return NULL;
}

size_t dcx_doc_count(const dcx_doc_t *d, const char *key)
{
    const dcx_doc_stream_t *s = doc_stream_of(d, key);
    if (s)
        return s->n;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(d->root, key);
    return cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
}

/* Made items come from the thread's JSON arena (json_arena.h); this many walks hold one.
 * When none does, the arena is reset (between items) or released (after the last). */
static _Thread_local int arena_items;

static void iter_drop(doc_iter_t *it, int last)
{
    if (!it->owned)
        return;
    cJSON_Delete(it->owned); /* the arena's nodes: nothing to free one by one */
    it->owned = NULL;
    if (--arena_items == 0) {
        if (last)
            json_arena_release();
        else
            json_arena_reset();
    }
}

static const cJSON *iter_make(doc_iter_t *it)
{
    int last = it->i >= it->s->n;
    iter_drop(it, last);
    if (last)
        return NULL;
    json_arena_on();
    it->owned = it->s->item(it->ctx, it->i);
    json_arena_off();
    if (it->owned)
        arena_items++;
    else
        it->oom = 1;
    if (!arena_items) /* nothing made to keep: give the blocks back */
        json_arena_release();
    return it->owned;
}

const cJSON *doc_iter_first(doc_iter_t *it, const dcx_doc_t *d, const char *key)
{
    memset(it, 0, sizeof *it);
    if ((it->s = doc_stream_of(d, key))) {
        it->ctx = d->ctx;
        return iter_make(it);
    }
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(d->root, key);
    it->node = cJSON_IsArray(a) ? a->child : NULL;
    return it->node;
}

const cJSON *doc_iter_next(doc_iter_t *it)
{
    if (it->s) {
        if (!it->owned)
            return NULL;
        it->i++;
        return iter_make(it);
    }
    it->node = it->node ? it->node->next : NULL;
    return it->node;
}

void doc_iter_end(doc_iter_t *it) { iter_drop(it, 1); }

void dcx_doc_free(dcx_doc_t *d)
{
    if (!d)
        return;
    cJSON_Delete(d->root);
    if (d->ctx_free)
        d->ctx_free(d->ctx);
    memset(d, 0, sizeof *d);
}

dcx_status_t dcx_doc_take(dcx_doc_t *d, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    for (size_t k = 0; k < d->nstreams; k++) {
        const dcx_doc_stream_t *s = &d->streams[k];
        cJSON *a = cJSON_GetObjectItemCaseSensitive(d->root, s->key);
        for (size_t i = 0; a && i < s->n; i++) {
            cJSON *item = s->item(d->ctx, i);
            if (!item || !cJSON_AddItemToArray(a, item)) {
                cJSON_Delete(item);
                a = NULL;
            }
        }
        if (!a) {
            dcx_doc_free(d);
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
    }
    *out = d->root;
    d->root = NULL;
    dcx_doc_free(d);
    return DCX_OK;
}

cJSON *doc_copy_where(const dcx_doc_t *d, const char *key, int (*keep)(const cJSON *item),
                      size_t *left_out)
{
    cJSON *copy = cJSON_Duplicate(d->root, 1);
    *left_out = 0;
    if (!copy)
        return NULL;
    /* the copy's own array is emptied and refilled (cJSON's replace functions do not say
     * when the copy of the key they make fails) */
    cJSON *a = cJSON_GetObjectItemCaseSensitive(copy, key);
    if (!cJSON_IsArray(a)) {
        cJSON_DeleteItemFromObjectCaseSensitive(copy, key);
        if (!(a = cJSON_AddArrayToObject(copy, key))) {
            cJSON_Delete(copy);
            return NULL;
        }
    }
    while (a->child)
        cJSON_Delete(cJSON_DetachItemViaPointer(a, a->child));
    const cJSON *v;
    doc_iter_t it;
    int ok = 1;
    DOC_EACH(it, d, key, v)
    {
        if (!keep(v)) {
            ++*left_out;
            continue;
        }
        cJSON *dup = cJSON_Duplicate(v, 1);
        if (!dup || !cJSON_AddItemToArray(a, dup)) {
            cJSON_Delete(dup);
            ok = 0;
            doc_iter_end(&it);
            break;
        }
    }
    if (!ok || it.oom) {
        cJSON_Delete(copy);
        return NULL;
    }
    return copy;
}
