/* warnings.c — what a result row notes and what a run of `dcx analyze` warns about. A
 * note belongs to one comparison ("; "-separated, each said once); a warning to the run,
 * each text given once, and a kind that repeats per segment level shown a few times and
 * then counted. Text that cannot be stored for want of memory fails the run. */
#include "analyze_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void row_note(cmp_t *r, const char *fmt, const char *arg)
{
    char msg[300];
    if (snprintf(msg, sizeof msg, fmt, arg ? arg : "") < 0)
        return;
    if (r->note && strstr(r->note, msg))
        return;
    size_t len = r->note ? strlen(r->note) : 0, add = strlen(msg) + (len ? 2 : 0);
    char *p = realloc(r->note, len + add + 1);
    if (!p) {
        r->lost = 1; /* a result without its note would mislead: the run fails */
        return;
    }
    snprintf(p + len, add + 1, "%s%s", len ? "; " : "", msg);
    r->note = p;
}

/* A note from a failed computation; one that failed for want of memory fails the run. */
void row_note_err(cmp_t *r, const char *fmt, const dcx_error_t *e)
{
    if (e->code == DCX_ENOMEM)
        r->lost = 1;
    row_note(r, fmt, e->message);
}

/* adds the warning unless the same text was given before */
static void run_vwarn(run_t *x, const char *fmt, va_list ap)
{
    if (x->quiet)
        return;
    char buf[600];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t len = strlen(buf);
    long before = (long)x->warned.n, k = dcx_strmap_put(&x->warned, buf, len);
    if (k < 0 || (k == before && dcx_strlist_push(&x->warnings, buf)))
        x->oom = 1;
}

void run_warn(run_t *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    run_vwarn(x, fmt, ap);
    va_end(ap);
}

#define REPEATS_SHOWN 3

/* The first few of a kind are given in full, the rest counted and summed up in one line
 * at the end (run_warn_repeats_done), so that a segment with 200,000 levels gives a
 * readable list, in linear time. */
void run_warn_repeat(run_t *x, const char *kind, const char *what, const char *fmt, ...)
{
    if (x->quiet)
        return;
    long k = dcx_strmap_put(&x->kinds, kind, strlen(kind));
    if (k < 0) {
        x->oom = 1;
        return;
    }
    if ((size_t)k >= x->kind_cap) {
        size_t cap = x->kind_cap ? x->kind_cap * 2 : 8;
        size_t *n = realloc(x->kind_n, cap * sizeof *n);
        if (!n) {
            x->oom = 1;
            return;
        }
        for (size_t i = x->kind_cap; i < cap; i++)
            n[i] = 0;
        x->kind_n = n;
        char **w = realloc(x->kind_what, cap * sizeof *w);
        if (!w) {
            x->oom = 1;
            return;
        }
        for (size_t i = x->kind_cap; i < cap; i++)
            w[i] = NULL;
        x->kind_what = w;
        x->kind_cap = cap;
    }
    if (!x->kind_what[k] && !(x->kind_what[k] = strdup(what)))
        x->oom = 1;
    if (x->kind_n[k]++ >= REPEATS_SHOWN)
        return;
    va_list ap;
    va_start(ap, fmt);
    run_vwarn(x, fmt, ap);
    va_end(ap);
}

void run_warn_repeats_done(run_t *x)
{
    for (size_t k = 0; k < x->kinds.n && k < x->kind_cap; k++)
        if (x->kind_n[k] > REPEATS_SHOWN)
            run_warn(x, "... and %zu more comparisons where %s", x->kind_n[k] - REPEATS_SHOWN,
                     x->kind_what[k] ? x->kind_what[k] : "the same holds");
}

void run_warn_free(run_t *x)
{
    for (size_t k = 0; k < x->kinds.n && k < x->kind_cap; k++)
        free(x->kind_what[k]);
    free(x->kind_what);
    free(x->kind_n);
    dcx_strmap_free(&x->kinds);
    dcx_strmap_free(&x->warned);
    dcx_strlist_free(&x->warnings);
}
