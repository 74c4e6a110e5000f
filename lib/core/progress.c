/* progress.c — counters of bytes and rows read, and the front end's hook (progress.h). */
#include "dcx/progress.h"

#include <stdatomic.h>
#include <stddef.h>

static _Atomic(dcx_progress_fn) hook;
static void *hook_ctx;
static _Atomic uint64_t done, total, rows;
static atomic_flag busy = ATOMIC_FLAG_INIT;

void dcx_progress_set(dcx_progress_fn fn, void *ctx)
{
    atomic_store(&done, 0);
    atomic_store(&total, 0);
    atomic_store(&rows, 0);
    hook_ctx = ctx;
    atomic_store(&hook, fn);
}

void dcx_progress_total(uint64_t bytes)
{
    if (atomic_load_explicit(&hook, memory_order_relaxed))
        atomic_fetch_add(&total, bytes);
}

void dcx_progress_add(uint64_t bytes, uint64_t nrows)
{
    dcx_progress_fn fn = atomic_load_explicit(&hook, memory_order_acquire);
    if (!fn)
        return;
    atomic_fetch_add(&done, bytes);
    atomic_fetch_add(&rows, nrows);
    /* one report at a time: a thread that finds another reporting skips its turn */
    if (atomic_flag_test_and_set(&busy))
        return;
    dcx_progress_t p = {atomic_load(&done), atomic_load(&total), atomic_load(&rows)};
    fn(hook_ctx, &p);
    atomic_flag_clear(&busy);
}
