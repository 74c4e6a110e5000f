/* json_locate.c — the position of a member of a well-formed JSON text. */
#include "json_locate.h"

#include <string.h>

typedef struct {
    const char *t;
    size_t len, i;
} scan_t;

static void ws(scan_t *s)
{
    while (s->i < s->len && strchr(" \t\r\n", s->t[s->i]) && s->t[s->i])
        s->i++;
}

/* Skips a string starting at its opening quote; s->i ends after the closing one. */
static void skip_string(scan_t *s)
{
    for (s->i++; s->i < s->len; s->i++) {
        if (s->t[s->i] == '\\')
            s->i++;
        else if (s->t[s->i] == '"') {
            s->i++;
            return;
        }
    }
}

/* Skips one value (strings, numbers, literals, and containers by counting brackets
 * outside strings: the text is well-formed, so depth alone tells where it ends). */
static void skip_value(scan_t *s)
{
    ws(s);
    if (s->i >= s->len)
        return;
    char c = s->t[s->i];
    if (c == '"') {
        skip_string(s);
        return;
    }
    if (c != '{' && c != '[') {
        while (s->i < s->len && !strchr(",]} \t\r\n", s->t[s->i]))
            s->i++;
        return;
    }
    size_t depth = 0;
    while (s->i < s->len) {
        c = s->t[s->i];
        if (c == '"') {
            skip_string(s);
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0) {
            s->i++;
            return;
        }
        s->i++;
    }
}

/* Is the string at s->i (its opening quote) exactly `key`? Escapes compare unequal,
 * which only costs a position in a message. */
static int key_is(const scan_t *s, const char *key)
{
    size_t n = strlen(key);
    return s->i + n + 1 < s->len && !memcmp(s->t + s->i + 1, key, n) && s->t[s->i + 1 + n] == '"';
}

int json_locate(const char *text, size_t len, const json_step_t *path, size_t depth, long *line,
                long *col)
{
    scan_t s = {text, len, 0};
    *line = *col = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        s.i = 3;
    size_t at = 0;
    for (size_t k = 0; k < depth; k++) {
        ws(&s);
        if (s.i >= len)
            return 0;
        int found = 0;
        if (path[k].key) {
            if (text[s.i] != '{')
                return 0;
            s.i++;
            for (;;) {
                ws(&s);
                if (s.i >= len || text[s.i] != '"')
                    return 0;
                size_t here = s.i;
                int match = key_is(&s, path[k].key);
                skip_string(&s);
                ws(&s);
                if (s.i >= len || text[s.i] != ':')
                    return 0;
                s.i++;
                if (match) {
                    at = here;
                    found = 1;
                    break;
                }
                skip_value(&s);
                ws(&s);
                if (s.i >= len || text[s.i] != ',')
                    return 0;
                s.i++;
            }
        } else {
            if (text[s.i] != '[')
                return 0;
            s.i++;
            for (size_t e = 0;; e++) {
                ws(&s);
                if (s.i >= len || text[s.i] == ']')
                    return 0;
                if (e == path[k].index) {
                    at = s.i;
                    found = 1;
                    break;
                }
                skip_value(&s);
                ws(&s);
                if (s.i >= len || text[s.i] != ',')
                    return 0;
                s.i++;
            }
        }
        if (!found)
            return 0;
    }
    long l = 1, c = 1;
    for (size_t i = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0; i < at; i++) {
        if (text[i] == '\n')
            l++, c = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80) /* columns count characters */
            c++;
    }
    *line = l, *col = c;
    return depth > 0;
}
