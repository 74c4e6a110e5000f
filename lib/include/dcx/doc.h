/* doc.h — a result document whose long arrays are made one item at a time. A command
 * whose result can hold an entry per segment level (analyze: results, srm_segments) hands
 * its views the document without those items, and for each such array a function that
 * makes item i on demand; a view renders the items one by one and frees each, so the
 * whole document is never in memory. The same document, whole, is what dcx_doc_take()
 * gives (the Lua module, a program that wants a cJSON tree). */
#ifndef DCX_DOC_H
#define DCX_DOC_H

#include "dcx/api.h"

#include <stddef.h>

#include "dcx/error.h"

struct cJSON;

/* One array member of the document's top level whose items are made on demand. */
typedef struct dcx_doc_stream {
    const char *key; /* the member: an empty array in the document, in its place */
    size_t n;        /* its items */
    /* item i (0 <= i < n), a new tree the caller deletes; NULL when out of memory. It may
     * be called any number of times for the same i and gives the same item each time. */
    struct cJSON *(*item)(void *ctx, size_t i);
} dcx_doc_stream_t;

typedef struct dcx_doc {
    struct cJSON *root;               /* the document; its streamed members empty */
    const dcx_doc_stream_t *streams;  /* nstreams of them (NULL: a whole document) */
    size_t nstreams;
    void *ctx;                        /* what the streams make their items from */
    void (*ctx_free)(void *ctx);      /* frees ctx (NULL: nothing to free) */
} dcx_doc_t;

/* dcx_doc_whole() : a dcx_doc_t over a whole document (no streams; root is borrowed). */
DCX_API dcx_doc_t dcx_doc_whole(const struct cJSON *root);

/* dcx_doc_count() : the number of items of the top-level array `key` (streamed or not). */
DCX_API size_t dcx_doc_count(const dcx_doc_t *d, const char *key);

/* dcx_doc_take() : makes every streamed item and puts it in its array, then gives the
 * whole document to *out (the caller deletes it) and frees the rest of d.
 * @return DCX_OK, or DCX_ENOMEM (d freed, *out NULL). */
DCX_API dcx_status_t dcx_doc_take(dcx_doc_t *d, struct cJSON **out, dcx_error_t *err);

/* dcx_doc_free() : deletes the root and frees the streams' context (accepts an empty d). */
DCX_API void dcx_doc_free(dcx_doc_t *d);

#endif
