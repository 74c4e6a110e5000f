/* strmap.h — internal: strings to dense indices 0, 1, 2, ... in order of first sight
 * (open addressing). Used for variant names, segment levels and periods. */
#ifndef DCX_STRMAP_H
#define DCX_STRMAP_H

#include <stddef.h>

typedef struct {
    char **keys;      /* keys[i] is the string of index i */
    size_t *lens;
    size_t n, cap;    /* n indices handed out; cap of keys */
    size_t *slots;    /* hash table of index + 1 (0 = empty) */
    size_t nslots;
    unsigned char cache[64]; /* small maps: index + 1 of the key last seen in a bucket */
} dcx_strmap_t;

/* Index of s (len bytes), adding it when new. @return the index, or -1 when out of memory. */
long dcx_strmap_put(dcx_strmap_t *m, const char *s, size_t len);
/* Index of s, or -1 when absent. */
long dcx_strmap_get(const dcx_strmap_t *m, const char *s, size_t len);
void dcx_strmap_free(dcx_strmap_t *m);

#endif
