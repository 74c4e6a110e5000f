/* doc_rows.h — internal: walking the items of a top-level array of a dcx_doc_t
 * (dcx/doc.h) whether they are in the tree or made on demand. A made item lives until
 * the next call; a loop left early calls doc_iter_end. */
#ifndef DCX_DOC_ROWS_H
#define DCX_DOC_ROWS_H

#include <cjson/cJSON.h>

#include "dcx/doc.h"

typedef struct {
    const dcx_doc_stream_t *s; /* NULL: the items are in the tree */
    void *ctx;
    size_t i;
    const cJSON *node;         /* the current item in the tree */
    cJSON *owned;              /* the current made item */
    int oom;                   /* an item could not be made: the walk stopped early */
} doc_iter_t;

/* The stream of member `key`, or NULL when its items are in the tree. */
const dcx_doc_stream_t *doc_stream_of(const dcx_doc_t *d, const char *key);

/* The first item of the top-level array `key` (NULL when there is none, or out of memory:
 * it->oom), then the next one; the previous made item is freed. */
const cJSON *doc_iter_first(doc_iter_t *it, const dcx_doc_t *d, const char *key);
const cJSON *doc_iter_next(doc_iter_t *it);
/* Frees the current made item (for a loop left before its end). */
void doc_iter_end(doc_iter_t *it);

/* A copy of the document whose top-level array `key` holds only the items keep() accepts
 * (the others counted in *left_out; a document without the array gets an empty one): one
 * walk over a long array, for a view that reads a few of its items several times.
 * NULL when out of memory. */
cJSON *doc_copy_where(const dcx_doc_t *d, const char *key, int (*keep)(const cJSON *item),
                      size_t *left_out);

#define DOC_EACH(it, d, key, v) for ((v) = doc_iter_first(&(it), (d), (key)); (v); (v) = doc_iter_next(&(it)))

#endif
