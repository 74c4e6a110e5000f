/* metric_lists.c — metric definitions for the commands that only compute sums (dcx sql):
 * the same folding as dcx analyze (metric_defs.c), so that a definitions file gives the
 * query the flags would, and the summary it returns carries the metrics dcx analyze
 * --metrics FILE expects. */
#include "analyze_internal.h"

#include <stdlib.h>
#include <string.h>

void dcx_metric_lists_free(dcx_metric_lists_t *l)
{
    dcx_strlist_free(&l->metric);
    dcx_strlist_free(&l->cap);
    dcx_strlist_free(&l->cuped);
    dcx_strlist_free(&l->cap_ignore_zeros);
    dcx_strlist_free(&l->columns);
}

/* moves list *from into *to */
static void take(dcx_strlist_t *to, dcx_strlist_t *from)
{
    *to = *from;
    memset(from, 0, sizeof *from);
}

dcx_status_t dcx_metric_lists(const dcx_jsonarg_t *defs, const dcx_strlist_t *metric,
                              const dcx_strlist_t *cap, const dcx_strlist_t *cuped,
                              const dcx_strlist_t *cap_ignore_zeros, dcx_metric_lists_t *out,
                              dcx_error_t *err)
{
    memset(out, 0, sizeof *out);
    run_t *x = calloc(1, sizeof *x); /* only for a warning it cannot give here */
    dcx_analyze_opts_t *o = calloc(1, sizeof *o);
    if (!x || !o) {
        free(x);
        free(o);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    o->metrics = *defs;
    o->metric = *metric;
    o->cap = *cap;
    o->cuped = *cuped;
    dcx_status_t st = metric_defs_merge(x, o, &x->defs, err);
    if (!st) {
        take(&out->metric, &x->defs.metric);
        take(&out->cap, &x->defs.cap);
        take(&out->cuped, &x->defs.cuped);
        take(&out->columns, &x->defs.columns);
        take(&out->cap_ignore_zeros, &x->defs.cap_ignore_zeros);
        for (size_t k = 0; k < cap_ignore_zeros->n; k++)
            if (dcx_strlist_push(&out->cap_ignore_zeros, cap_ignore_zeros->v[k])) {
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                break;
            }
    }
    metric_defs_free(&x->defs);
    run_warn_free(x);
    free(x);
    free(o);
    return st;
}
