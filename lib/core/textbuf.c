/* textbuf.c — growable strings and the escaping of data for each output language. */
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/text.h"

void tb_flush(tbuf_t *b)
{
    if (b->sink && b->len) {
        if (fwrite(b->s, 1, b->len, b->sink) != b->len)
            b->ioerr = 1;
        b->len = 0;
        b->s[0] = '\0';
    }
}

void tb_putn_grow(tbuf_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->sink && b->len + n > ((size_t)1 << 20))
        tb_flush(b);
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}


void tb_printf(tbuf_t *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        tb_putn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tb_putn(b, big, (size_t)n);
    free(big);
}

void tb_free(tbuf_t *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void tb_done(tbuf_t *b, tbuf_t *part)
{
    if (part->oom)
        b->oom = 1;
    tb_free(part);
}

void tb_term(tbuf_t *b, const char *s)
{
    if (!s)
        return;
    size_t n = dcx_text_for_terminal_into(s, NULL, 0);
    char small[512], *t = n < sizeof small ? small : malloc(n + 1);
    if (!t) {
        b->oom = 1;
        return;
    }
    dcx_text_for_terminal_into(s, t, 0);
    tb_putn(b, t, n);
    if (t != small)
        free(t);
}

static int is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

void tb_md(tbuf_t *b, const char *s)
{
    if (!s)
        return;
    tbuf_t safe = {0};
    /* CR, LF and tab first become spaces, then control characters are escaped */
    char *flat = strdup(s);
    if (!flat) {
        b->oom = 1;
        return;
    }
    for (char *p = flat; *p; p++)
        if (*p == '\r' || *p == '\n' || *p == '\t')
            *p = ' ';
    tb_term(&safe, flat);
    free(flat);
    if (safe.oom) {
        b->oom = 1;
        tb_free(&safe);
        return;
    }
    const char *start = safe.s ? safe.s : "", *p = start;
    /* a list, heading or numbered-list marker at the start would take effect */
    if (*p == '#' || ((*p == '-' || *p == '+' || *p == '=') && (p[1] == ' ' || !p[1]))) {
        tb_putn(b, "\\", 1);
    } else {
        const char *d = p;
        while (*d >= '0' && *d <= '9')
            d++;
        if (d > p && (*d == '.' || *d == ')') && (d[1] == ' ' || !d[1])) {
            tb_putn(b, p, (size_t)(d - p));
            tb_putn(b, "\\", 1);
            p = d;
        }
    }
    for (; *p; p++) {
        switch (*p) {
        case '<': tb_puts(b, "&lt;"); break;
        case '>': tb_puts(b, "&gt;"); break;
        case '&': tb_puts(b, "&amp;"); break;
        case '_': {
            /* inside a word an underscore cannot open or close emphasis */
            int alnum_before = p > start && is_word((unsigned char)p[-1]),
                alnum_after = is_word((unsigned char)p[1]);
            if (!(alnum_before && alnum_after))
                tb_putn(b, "\\", 1);
            tb_putn(b, p, 1);
            break;
        }
        case '\\': case '`': case '*': case '{': case '}': case '[': case ']': case '|':
        case '~':
            tb_putn(b, "\\", 1);
            tb_putn(b, p, 1);
            break;
        default: tb_putn(b, p, 1);
        }
    }
    tb_free(&safe);
}

void tb_html(tbuf_t *b, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '&': tb_puts(b, "&amp;"); break;
        case '<': tb_puts(b, "&lt;"); break;
        case '>': tb_puts(b, "&gt;"); break;
        case '"': tb_puts(b, "&quot;"); break;
        case '\'': tb_puts(b, "&#39;"); break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
                tb_putn(b, " ", 1);
            } else if (c >= 0x80) { /* a bidi control would reorder the sentence around it:
                                       shown as the terminal shows it; a stray byte is U+FFFD */
                unsigned cp;
                size_t n = tb_utf8_seq((const unsigned char *)p, &cp);
                if (!n)
                    tb_puts(b, "\xEF\xBF\xBD");
                else if (tb_is_bidi_control(cp))
                    tb_printf(b, "\\u%04x", cp);
                else
                    tb_putn(b, p, n);
                p += n ? n - 1 : 0;
            } else {
                tb_putn(b, p, 1);
            }
        }
    }
}

size_t tb_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

dcx_status_t tb_emit(tbuf_t *b, FILE *out, dcx_error_t *err)
{
    dcx_status_t st = DCX_OK;
    if (b->oom)
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory rendering output");
    else if (b->ioerr || (b->len && fwrite(b->s, 1, b->len, out) != b->len))
        st = dcx_error_set(err, DCX_EIO, "write error");
    tb_free(b);
    return st;
}

const char *tb_below(double v, double threshold, char *buf, size_t len)
{
    for (int digits = 2; digits <= 17; digits++) {
        snprintf(buf, len, "%.*f", digits, v);
        if (strtod(buf, NULL) < threshold)
            return buf;
    }
    snprintf(buf, len, "%.17g", v);
    return buf;
}

const char *tb_p(double p, char *buf, size_t len)
{
    if (!(p >= 0 && p <= 1))
        snprintf(buf, len, "\xE2\x80\x93");
    else if (p < 0.00005)
        snprintf(buf, len, "< 0.0001");
    else
        snprintf(buf, len, "%.4f", p);
    return buf;
}

char *tb_unneg(char *s)
{
    if (s[0] != '-')
        return s;
    const char *q = s + 1;
    while (*q == '0' || *q == '.')
        q++;
    if (q == s + 1 || (*q >= '1' && *q <= '9') || *q == 'e' || *q == 'E')
        return s;
    memmove(s, s + 1, strlen(s));
    return s;
}

const char *tb_p_is(double p, char *buf, size_t len)
{
    char v[16];
    tb_p(p, v, sizeof v);
    snprintf(buf, len, "p %s%s", v[0] == '<' ? "" : "= ", v);
    return buf;
}
