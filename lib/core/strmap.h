/* strmap.h — internal: strings to dense indices 0, 1, 2, ... in order of first sight
 * (open addressing). Used for variant names, segment levels and periods. */
#ifndef DCX_STRMAP_H
#define DCX_STRMAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* ---- the per-cell hot path, inline: a key seen before in its bucket is found
 * without a call. The bucket is a cheap fingerprint (length, first and last byte). */

static inline unsigned dcx_strmap_bucket_(const char *s, size_t len)
{
    return len ? ((unsigned)len * 7u + (unsigned char)s[0] * 31u + (unsigned char)s[len - 1]) & 63u
               : 0;
}

static inline uint64_t dcx_strmap_load64_(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t dcx_strmap_load32_(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Equality of two len-byte keys in word-sized loads (the last one overlapping) that
 * never read outside either key. */
static inline int dcx_strmap_same_(const char *a, const char *s, size_t len)
{
    if (len >= 8) {
        for (size_t i = 0; i + 8 < len; i += 8)
            if (dcx_strmap_load64_(a + i) != dcx_strmap_load64_(s + i))
                return 0;
        return dcx_strmap_load64_(a + len - 8) == dcx_strmap_load64_(s + len - 8);
    }
    if (len >= 4)
        return dcx_strmap_load32_(a) == dcx_strmap_load32_(s)
            && dcx_strmap_load32_(a + len - 4) == dcx_strmap_load32_(s + len - 4);
    for (size_t i = 0; i < len; i++)
        if (a[i] != s[i])
            return 0;
    return 1;
}

/* The cached index of s, or -1 (then ask dcx_strmap_get/put). Hints are always
 * verified, so a stale one costs a miss, never a wrong answer. */
static inline long dcx_strmap_cached(const dcx_strmap_t *m, const char *s, size_t len)
{
    unsigned c = m->cache[dcx_strmap_bucket_(s, len)];
    if (c && m->lens[c - 1] == len && dcx_strmap_same_(m->keys[c - 1], s, len))
        return (long)c - 1;
    return -1;
}

#endif
