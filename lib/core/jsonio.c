/* jsonio.c — strict reading of JSON documents. */
#include "dcx/jsonio.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fileio.h"

/* cJSON answers NULL both for malformed text and for a failed allocation. Its allocations
 * go through a hook that notes a failure, so that the two can be told apart. The hook is
 * malloc and free with that one side effect, installed once for the process. */
static _Thread_local int json_alloc_failed;

static void *json_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        json_alloc_failed = 1;
    return p;
}

static void json_hooks_install(void)
{
    cJSON_Hooks h = {json_malloc, free};
    cJSON_InitHooks(&h);
}

static pthread_once_t json_hooks_once = PTHREAD_ONCE_INIT;

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
