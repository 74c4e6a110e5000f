/* sort_idx.h — internal: a stable merge sort of indices with a comparison that gets a
 * context (qsort has none, and a global would make the library unsafe in threads).
 * O(n log n) time, n extra indices of memory. */
#ifndef DCX_SORT_IDX_H
#define DCX_SORT_IDX_H

#include <stddef.h>

typedef int (*dcx_idx_cmp_fn)(const void *ctx, size_t a, size_t b);

/* Sorts idx[0..n) by cmp. @return 0, or -1 when out of memory (idx unchanged). */
int dcx_sort_idx(size_t *idx, size_t n, dcx_idx_cmp_fn cmp, const void *ctx);

#endif
