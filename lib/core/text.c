/* text.c — text every output shares. Text from data made safe for a terminal: control
 * characters, Unicode bidirectional controls and bytes that are not UTF-8 are shown
 * escaped, so a cell or a name cannot move the cursor, recolour the screen, ring the bell
 * or reorder what is printed after it. Numbers as result documents write them. And the
 * edit distance behind every "did you mean". */
#include "dcx/text.h"
#include "textbuf.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when it is not one. */
size_t tb_utf8_seq(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, *cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, *cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, *cp = c & 0x07, min = 0x10000;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n;
}

int tb_is_bidi_control(unsigned cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
           || (cp >= 0x2066 && cp <= 0x2069);
}

size_t dcx_text_for_terminal_into(const char *s, char *out, int keep_lines)
{
    size_t len = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        size_t n = tb_utf8_seq(p, &cp);
        char esc[12];
        const char *piece = (const char *)p;
        size_t plen = n;
        if (n == 0) {
            snprintf(esc, sizeof esc, "\\x%02x", *p);
            piece = esc, plen = 4, n = 1;
        } else if ((cp < 0x20 && !(keep_lines && (cp == '\n' || cp == '\t'))) || cp == 0x7F) {
            snprintf(esc, sizeof esc, "\\x%02x", cp);
            piece = esc, plen = 4;
        } else if ((cp >= 0x80 && cp <= 0x9F) || tb_is_bidi_control(cp)) {
            snprintf(esc, sizeof esc, "\\u%04x", cp);
            piece = esc, plen = 6;
        }
        if (out)
            memcpy(out + len, piece, plen);
        len += plen;
        p += n;
    }
    if (out)
        out[len] = '\0';
    return len;
}

static char *dup_safe(const char *s, int keep_lines)
{
    if (!s)
        s = "";
    char *out = malloc(dcx_text_for_terminal_into(s, NULL, keep_lines) + 1);
    if (out)
        dcx_text_for_terminal_into(s, out, keep_lines);
    return out;
}

char *dcx_text_for_terminal(const char *s) { return dup_safe(s, 0); }

char *dcx_text_for_terminal_lines(const char *s) { return dup_safe(s, 1); }

char *dcx_json_number_text(double v, char *buf)
{
    if (!isfinite(v)) {
        strcpy(buf, "null");
        return buf;
    }
    if (v == 0) {
        strcpy(buf, "0");
        return buf;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        /* a count: its digits, without printf (a result of many rows is mostly counts) */
        unsigned long long u = (unsigned long long)fabs(v);
        char tmp[24];
        size_t n = 0, k = 0;
        do
            tmp[n++] = (char)('0' + u % 10);
        while (u /= 10);
        if (v < 0)
            buf[k++] = '-';
        while (n)
            buf[k++] = tmp[--n];
        buf[k] = '\0';
        return buf;
    }
    /* 15 significant digits, the most a double holds through decimal and back: a value
     * that is a short decimal up to rounding (0.1 + 0.2, 0.031 * 0.1) prints as that
     * decimal, and every other keeps all of its meaningful digits */
    snprintf(buf, 32, "%.15g", v);
    return buf;
}

/* ---- edit distance ------------------------------------------------------------------- */

static int same_letter(char x, char y) { return tolower((unsigned char)x) == tolower((unsigned char)y); }

size_t dcx_edit_distance(const char *a, size_t la, const char *b, size_t lb, size_t limit)
{
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    /* three rows: the one before the previous serves transpositions of neighbours */
    size_t small[3][64], *prev2 = small[0], *prev = small[1], *cur = small[2], *heap = NULL;
    if (lb + 1 > 64) {
        if (!(heap = malloc(3 * (lb + 1) * sizeof *heap)))
            return SIZE_MAX;
        prev2 = heap, prev = heap + lb + 1, cur = heap + 2 * (lb + 1);
    }
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    size_t best = 0;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = best = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + !same_letter(a[i - 1], b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (i > 1 && j > 1 && same_letter(a[i - 1], b[j - 2]) && same_letter(a[i - 2], b[j - 1])
                && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1; /* "tpye" is one slip from "type" */
            if (cur[j] < best)
                best = cur[j];
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
        if (best > limit) /* every path is already too long (a row's least never falls) */
            break;
    }
    size_t d = best > limit ? limit + 1 : prev[lb];
    free(heap);
    return d > limit ? limit + 1 : d;
}
