/* progress.h — how far a long read has got, for front ends that show progress.
 *
 * libdcx never prints. Its CSV reader counts the bytes and rows it reads and, when a
 * front end has installed a hook, calls it after each chunk (64 KiB) with the totals so
 * far. The dcx binary installs one that draws a line on standard error when that is a
 * terminal and the work has taken more than a second. Without a hook the cost is one
 * atomic load per chunk. */
#ifndef DCX_PROGRESS_H
#define DCX_PROGRESS_H

#include "dcx/api.h"

#include <stdint.h>

typedef struct {
    uint64_t bytes;       /* read so far, over every file of the run */
    uint64_t total_bytes; /* the sizes of the regular files opened so far (0: unknown, a pipe) */
    uint64_t rows;        /* lines read so far */
} dcx_progress_t;

/* The hook: called from whichever thread read the chunk, never from two at once. */
typedef void (*dcx_progress_fn)(void *ctx, const dcx_progress_t *p);

/* dcx_progress_set() : installs fn (NULL: none) and resets the counters. Not thread-safe
 * against reads in flight: call it between runs. */
DCX_API void dcx_progress_set(dcx_progress_fn fn, void *ctx);

/* dcx_progress_total() : adds a file's size to the total (the CSV reader does this). */
DCX_API void dcx_progress_total(uint64_t bytes);

/* dcx_progress_add() : counts bytes and rows read and calls the hook (the CSV reader
 * does this after each chunk). */
DCX_API void dcx_progress_add(uint64_t bytes, uint64_t rows);

#endif
