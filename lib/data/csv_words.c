/* csv_words.c — CSV text outside the reader: one field written as CSV, the words of an
 * error about a header row, the --delimiter option. */
#include <stdio.h>
#include <string.h>

#include "dcx/csv.h"

int dcx_csv_quote(FILE *f, const char *s, size_t len)
{
    int need = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') {
            need = 1;
            break;
        }
    if (!need)
        return len && fwrite(s, 1, len, f) != len ? EOF : 0;
    if (putc('"', f) == EOF)
        return EOF;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"' && putc('"', f) == EOF)
            return EOF;
        if (putc(s[i], f) == EOF)
            return EOF;
    }
    return putc('"', f) == EOF ? EOF : 0;
}

/* ---- words about a header for error messages -------------------------------------------- */

/* A field that reads as a column name: short, printable, no control characters. */
static int name_like(const char *s, size_t len, int strict)
{
    if (len == 0 || len > 64)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return 0;
        if (strict && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '_' || c == '-' || c == '.' || c == ' ' || c >= 0x80))
            return 0;
    }
    return 1;
}

void dcx_csv_header_hint(const dcx_csv_row_t *h, char *buf, size_t len)
{
    if (h->n == 1 && h->lens[0] > 0) {
        const char *f = h->fields[0];
        const char *alt = memchr(f, ';', h->lens[0])    ? "';'"
                          : memchr(f, '\t', h->lens[0]) ? "'\\t' (tab)"
                          : memchr(f, '|', h->lens[0])  ? "'|'"
                          : memchr(f, ',', h->lens[0])  ? "','"
                                                        : NULL;
        if (alt) {
            snprintf(buf, len, "the header is one column holding %s: if the file is separated "
                               "by %s, give --delimiter %s",
                     alt, alt, alt[1] == '\\' ? "'\\t'" : alt);
            return;
        }
    }
    int ok = h->n > 0;
    for (size_t i = 0; ok && i < h->n; i++)
        ok = name_like(h->fields[i], h->lens[i], h->n == 1);
    if (!ok) { /* not a CSV header: say so, without printing the line */
        snprintf(buf, len, "the first line has %zu field%s and does not look like a CSV header", h->n,
                 h->n == 1 ? "" : "s");
        return;
    }
    size_t used = (size_t)snprintf(buf, len, "columns: ");
    for (size_t i = 0; i < h->n && used + 8 < len; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", h->fields[i]);
        if (w < 0 || (size_t)w >= len - used) {
            snprintf(buf + (len > 5 ? len - 5 : 0), len > 5 ? 5 : len, "...");
            return;
        }
        used += (size_t)w;
    }
}

char dcx_csv_delimiter_parse(const char *t)
{
    if (!t)
        return ',';
    if (!strcmp(t, "\\t") || !strcmp(t, "tab") || !strcmp(t, "\t"))
        return '\t';
    if (strlen(t) == 1 && t[0] != '"' && t[0] != '\n' && t[0] != '\r')
        return t[0];
    return 0;
}
