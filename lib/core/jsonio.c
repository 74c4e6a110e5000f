/* jsonio.c — strict reading of JSON documents. */
#include "dcx/jsonio.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fileio.h"
#include "json_arena.h"

/* cJSON answers NULL both for malformed text and for a failed allocation. Its allocations
 * go through a hook that notes a failure, so that the two can be told apart. The hook is
 * malloc and free with that one side effect, installed once for the process. */
static _Thread_local int json_alloc_failed;

/* The arena of json_arena.h: blocks chained through their first word, the newest first;
 * `on` while an item is being made. */
#define ARENA_BLOCK ((size_t)64 * 1024)
typedef struct arena_block {
    struct arena_block *next;
    size_t size; /* bytes after the header */
} arena_block_t;
static _Thread_local arena_block_t *arena_head;
static _Thread_local size_t arena_used; /* in arena_head */
static _Thread_local int arena_on_now;

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ENABLED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ENABLED 0
#endif
#endif
#ifndef ARENA_ENABLED
#define ARENA_ENABLED 1
#endif

static void *arena_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!arena_head || arena_head->size - arena_used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        arena_block_t *b = malloc(sizeof(arena_block_t) + 16 + size);
        if (!b)
            return NULL;
        b->next = arena_head;
        b->size = size;
        arena_head = b;
        arena_used = 0;
    }
    char *base = (char *)(arena_head + 1);
    base += (16 - (uintptr_t)base % 16) % 16;
    void *p = base + arena_used;
    arena_used += n;
    return p;
}

static int arena_owns(const void *p)
{
    for (const arena_block_t *b = arena_head; b; b = b->next) {
        const char *lo = (const char *)(b + 1);
        if ((const char *)p >= lo && (const char *)p < lo + 16 + b->size)
            return 1;
    }
    return 0;
}

static void *json_malloc(size_t n)
{
    void *p = arena_on_now ? arena_alloc(n) : malloc(n);
    if (!p)
        json_alloc_failed = 1;
    return p;
}

static void json_free(void *p)
{
    if (p && arena_head && arena_owns(p))
        return;
    free(p);
}

static void json_hooks_install(void)
{
    cJSON_Hooks h = {json_malloc, json_free};
    cJSON_InitHooks(&h);
}

static pthread_once_t json_hooks_once = PTHREAD_ONCE_INIT;

void json_arena_on(void)
{
    pthread_once(&json_hooks_once, json_hooks_install);
    arena_on_now = ARENA_ENABLED;
}

void json_arena_off(void) { arena_on_now = 0; }

void json_arena_reset(void)
{
    if (!arena_head)
        return;
    arena_block_t *b = arena_head;
    while (b->next) { /* keep the oldest block: the first, of the usual size */
        arena_block_t *n = b->next;
        free(b);
        b = n;
    }
    arena_head = b;
    arena_used = 0;
}

void json_arena_release(void)
{
    while (arena_head) {
        arena_block_t *n = arena_head->next;
        free(arena_head);
        arena_head = n;
    }
    arena_used = 0;
    arena_on_now = 0;
}

static void position(const char *text, size_t off, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* The offset of a NUL byte, or of a \u0000 escape inside a string, or len when none. */
static size_t find_nul(const char *t, size_t len)
{
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (c == '\0')
            return i;
        if (!in_string) {
            if (c == '"')
                in_string = 1;
            continue;
        }
        if (c == '"') {
            in_string = 0;
        } else if (c == '\\' && i + 1 < len) {
            if (t[i + 1] == 'u' && i + 5 < len && !memcmp(t + i + 2, "0000", 4))
                return i;
            i++; /* the escaped character */
        }
    }
    return len;
}

dcx_status_t dcx_json_parse(const char *text, size_t len, const char *name, cJSON **out,
                            dcx_error_t *err)
{
    *out = NULL;
    const char *t = text;
    if (len >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3))
        t += 3, len -= 3;
    long line, col;
    size_t nul = find_nul(t, len);
    if (nul < len) {
        position(t, nul, &line, &col);
        return dcx_error_at(err, DCX_EPARSE, name, line, col,
                            t[nul] ? "a \\u0000 escape: text with a NUL character is refused"
                                   : "a NUL byte: this is not a JSON text file");
    }
    const char *end = NULL;
    pthread_once(&json_hooks_once, json_hooks_install);
    json_alloc_failed = 0;
    cJSON *root = cJSON_ParseWithLengthOpts(t, len, &end, 0);
    if (!root && json_alloc_failed)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory reading %s", name);
    if (!root) {
        size_t off = end && end >= t ? (size_t)(end - t) : 0;
        position(t, off > len ? len : off, &line, &col);
        return dcx_error_at(err, DCX_EPARSE, name, line, col,
                            "malformed JSON (or nested deeper than %d levels)", CJSON_NESTING_LIMIT);
    }
    for (const char *p = end; p && p < t + len; p++)
        if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') {
            position(t, (size_t)(p - t), &line, &col);
            cJSON_Delete(root);
            return dcx_error_at(err, DCX_EPARSE, name, line, col, "unexpected text after the JSON value");
        }
    *out = root;
    return DCX_OK;
}

dcx_status_t dcx_read_json_file(const char *path, size_t max, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    char *buf;
    size_t len;
    dcx_status_t st = dcx_slurp(path, max ? max : (size_t)1 << 30, &buf, &len, err);
    if (st)
        return st;
    st = dcx_json_parse(buf, len, path, out, err);
    free(buf);
    return st;
}
