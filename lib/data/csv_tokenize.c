/* csv_tokenize.c — the CSV reader's fast tokenizer: whole lines without a quote, cut at
 * their delimiters without libcsv.
 *
 * libcsv looks at one byte at a time through a state machine (some 40 instructions a
 * byte). Most lines of real files hold no quote, and such a line's fields are simply the
 * text between its delimiters (trimmed of spaces and tabs when the reader trims, as
 * libcsv's space rule does). csv_parse_chunk() hands the whole quote-free lines of a chunk
 * to the very callbacks libcsv calls, with the very fields, line ends and order it would
 * give them, so rows, line numbers and errors do not change; a line with a quote, a row
 * libcsv has begun and a chunk's unfinished last line go to libcsv. tests/unit/test_csv.c
 * and tests/fuzz/fuzz_csv.c read files both ways, at every chunk boundary, and compare. */
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "csv_reader_internal.h"

static int is_term(unsigned char c) { return c == '\n' || c == '\r'; }

/* The first delimiter or line end at or after p; there is one before end. */
static unsigned char *next_special(unsigned char *p, const unsigned char *end, unsigned char d)
{
#if defined(__SSE2__)
    const __m128i vd = _mm_set1_epi8((char)d), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vn)),
                                   _mm_cmpeq_epi8(x, vr));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
#else
    (void)end;
#endif
    while (*p != d && !is_term(*p))
        p++;
    return p;
}

/* The first line end at or after b[pos]; there is one before `last`. */
static size_t next_term(const unsigned char *b, size_t pos)
{
    while (!is_term(b[pos]))
        pos++;
    return pos;
}

/* [*a, *z) without the spaces and tabs at its ends: the blanks libcsv trims by default. */
static inline void trim_blanks(unsigned char **a, unsigned char **z)
{
    while (*a < *z && (**a == ' ' || **a == '\t'))
        ++*a;
    while (*z > *a && ((*z)[-1] == ' ' || (*z)[-1] == '\t'))
        --*z;
}

/* Whole lines [p, end) (end follows a line end) that hold no quote, cut at delimiters:
 * each field goes to fcb and each line end to rcb exactly as libcsv would report them in
 * its state ROW_NOT_BEGUN. Without a quote a line's fields are the text between its
 * delimiters; with trimming, spaces and tabs at their ends are dropped, and a line of
 * nothing else (no delimiter) is blank, like an empty one. Each field is NUL-terminated in
 * place (over the byte after it, already read) as libcsv's CSV_APPEND_NULL gives it. */
static void fast_lines(dcx_csv_reader_t *r, unsigned char *p, unsigned char *end, csv_field_cb fcb,
                       csv_row_cb rcb)
{
    const unsigned char d = r->p.delim_char;
    const int trim = r->trim;
    int more = 0; /* a delimiter seen on this line: it has fields even if they are empty */
    unsigned char *fs = p;
    while (p < end) {
        unsigned char *s = next_special(p, end, d), *a = fs, *z = s;
        unsigned char c = *s;
        if (trim)
            trim_blanks(&a, &z);
        if (c == d) {
            *z = '\0';
            fcb(a, (size_t)(z - a), r);
            more = 1;
        } else {
            if (more || z > a) {
                *z = '\0';
                fcb(a, (size_t)(z - a), r);
            }
            rcb(c, r);
            more = 0;
        }
        fs = p = s + 1;
    }
}

/* fast_lines() for push mode, with the push-mode field (csv_push_field_at) inlined in the
 * loop (a call less per field, and nothing done for a column no callback wants but the
 * length check): the same callbacks with the same fields, columns and lines. */
static void fast_push(dcx_csv_reader_t *r, unsigned char *p, unsigned char *end)
{
    const unsigned char d = r->p.delim_char;
    const int trim = r->trim;
    int more = 0;
    unsigned char *fs = p;
    while (p < end) {
        unsigned char *s = next_special(p, end, d), *a = fs, *z = s;
        unsigned char c = *s;
        if (trim)
            trim_blanks(&a, &z);
        if (c == d || more || z > a) {
            *z = '\0';
            csv_push_field_at(r, (const char *)a, (size_t)(z - a), 0);
        }
        if (c == d) {
            more = 1;
        } else {
            csv_push_row(c, r);
            more = 0;
        }
        fs = p = s + 1;
    }
}

int csv_parse_chunk(dcx_csv_reader_t *r, size_t start, size_t n, csv_field_cb fcb,
                    csv_row_cb rcb)
{
    unsigned char *b = r->buf;
    unsigned char d = r->p.delim_char;
    const unsigned char *q = memchr(b + start, '"', n - start);
    r->quotes = r->p.quoted || q != NULL;
    if (!r->fast || d == '"' || is_term(d))
        return csv_parse(&r->p, b + start, n - start, fcb, rcb, r) == n - start ? 0 : -1;
    size_t last = n; /* just after the chunk's last line end (start: none) */
    while (last > start && !is_term(b[last - 1]))
        last--;
    size_t pos = start;
    while (pos < last) {
        size_t e;
        if (r->p.pstate == 0) {
            if (q && q < b + pos)
                q = memchr(b + pos, '"', n - pos);
            size_t upto = last; /* whole lines before the next quote's line */
            if (q && q < b + last) {
                upto = (size_t)(q - b);
                while (upto > pos && !is_term(b[upto - 1]))
                    upto--;
            }
            if (upto > pos) {
                if (rcb == csv_push_row)
                    fast_push(r, b + pos, b + upto);
                else
                    fast_lines(r, b + pos, b + upto, fcb, rcb);
                pos = upto;
                continue;
            }
        }
        /* a line with a quote, or the rest of a row libcsv has begun: one line to libcsv */
        e = next_term(b, pos) + 1;
        if (csv_parse(&r->p, b + pos, e - pos, fcb, rcb, r) != e - pos)
            return -1;
        pos = e;
    }
    if (last < n && csv_parse(&r->p, b + last, n - last, fcb, rcb, r) != n - last)
        return -1;
    return 0;
}
