/* flatten.c — the one naming rule of nested document members (flatten.h). */
#include "flatten.h"

#include <string.h>

#include "textbuf.h"

int flat_is_interval(const cJSON *a)
{
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 2)
        return 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, a) if (!cJSON_IsNumber(c) && !cJSON_IsNull(c)) return 0;
    return 1;
}

int flat_is_table(const cJSON *a)
{
    const cJSON *c;
    if (!cJSON_IsArray(a))
        return 0;
    cJSON_ArrayForEach(c, a) if (cJSON_IsObject(c) || cJSON_IsArray(c)) return 1;
    return 0;
}

typedef struct {
    tbuf_t name;
    char sep;
    int split;
    flat_fn fn;
    void *ctx;
} walk_t;

static int walk(walk_t *w, const cJSON *v)
{
    if (w->name.oom)
        return -1;
    const char *name = w->name.s ? w->name.s : "";
    if (cJSON_IsObject(v)) {
        size_t keep = w->name.len;
        const cJSON *c;
        cJSON_ArrayForEach(c, v)
        {
            w->name.len = keep;
            tb_puts(&w->name, "");
            if (keep)
                tb_putn(&w->name, &w->sep, 1);
            tb_puts(&w->name, c->string ? c->string : "");
            int rc = walk(w, c);
            if (rc)
                return rc;
        }
        w->name.len = keep;
        tb_puts(&w->name, "");
        return w->name.oom ? -1 : 0;
    }
    if (flat_is_interval(v)) {
        if (!w->split)
            return w->fn(w->ctx, name, v, FLAT_INTERVAL) ? 1 : 0;
        size_t keep = w->name.len;
        tb_puts(&w->name, "_lo");
        int rc = w->name.oom ? -1 : w->fn(w->ctx, w->name.s, v->child, FLAT_LO) ? 1 : 0;
        w->name.len = keep;
        tb_puts(&w->name, "_hi");
        if (!rc)
            rc = w->name.oom ? -1 : w->fn(w->ctx, w->name.s, v->child->next, FLAT_HI) ? 1 : 0;
        w->name.len = keep;
        tb_puts(&w->name, "");
        return rc;
    }
    if (flat_is_table(v))
        return 0;
    return w->fn(w->ctx, name, v, cJSON_IsArray(v) ? FLAT_LIST : FLAT_VALUE) ? 1 : 0;
}

int flat_walk(const char *prefix, const cJSON *v, char sep, int split_intervals, flat_fn fn,
              void *ctx)
{
    walk_t w = {{0}, sep, split_intervals, fn, ctx};
    tb_puts(&w.name, prefix ? prefix : "");
    int rc = walk(&w, v);
    if (w.name.oom)
        rc = -1;
    tb_free(&w.name);
    return rc;
}
