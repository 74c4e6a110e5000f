/* strmap.c — open-addressing map from strings to dense indices. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static long find(const dcx_strmap_t *m, const char *s, size_t len, size_t *slot)
{
    if (!m->nslots)
        return -1;
    size_t mask = m->nslots - 1, i = (size_t)hash(s, len) & mask;
    for (;;) {
        size_t v = m->slots[i];
        if (!v) {
            if (slot)
                *slot = i;
            return -1;
        }
        if (m->lens[v - 1] == len && !memcmp(m->keys[v - 1], s, len))
            return (long)(v - 1);
        i = (i + 1) & mask;
    }
}

static int grow(dcx_strmap_t *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : 16;
    size_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t k = 0; k < m->n; k++) {
        size_t i = (size_t)hash(m->keys[k], m->lens[k]) & (ns - 1);
        while (slots[i])
            i = (i + 1) & (ns - 1);
        slots[i] = k + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = ns;
    return 0;
}

/* Small maps (variants, most segment columns) are scanned: cheaper than hashing. */
#define SCAN_MAX 12

static long scan(const dcx_strmap_t *m, const char *s, size_t len)
{
    unsigned b = dcx_strmap_bucket_(s, len);
    unsigned c = m->cache[b];
    if (c && m->lens[c - 1] == len && dcx_strmap_same_(m->keys[c - 1], s, len))
        return (long)c - 1;
    for (size_t k = 0; k < m->n; k++) {
        if (m->lens[k] != len)
            continue;
        if (dcx_strmap_same_(m->keys[k], s, len)) {
            ((dcx_strmap_t *)m)->cache[b] = (unsigned char)(k + 1); /* a hint, not state */
            return (long)k;
        }
    }
    return -1;
}

long dcx_strmap_get(const dcx_strmap_t *m, const char *s, size_t len)
{
    return m->n <= SCAN_MAX ? scan(m, s, len) : find(m, s, len, NULL);
}

long dcx_strmap_put(dcx_strmap_t *m, const char *s, size_t len)
{
    size_t slot;
    long k;
    if (m->n <= SCAN_MAX && (k = scan(m, s, len)) >= 0)
        return k;
    k = find(m, s, len, &slot);
    if (k >= 0)
        return k;
    if ((m->n + 1) * 2 > m->nslots) {
        if (grow(m))
            return -1;
        find(m, s, len, &slot);
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        char **keys = realloc(m->keys, cap * sizeof *keys);
        if (!keys)
            return -1;
        m->keys = keys;
        size_t *lens = realloc(m->lens, cap * sizeof *lens);
        if (!lens)
            return -1;
        m->lens = lens;
        m->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    m->keys[m->n] = copy;
    m->lens[m->n] = len;
    m->slots[slot] = m->n + 1;
    return (long)m->n++;
}

void dcx_strmap_free(dcx_strmap_t *m)
{
    for (size_t k = 0; k < m->n; k++)
        free(m->keys[k]);
    free(m->keys);
    free(m->lens);
    free(m->slots);
    memset(m, 0, sizeof *m);
}
