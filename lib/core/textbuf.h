/* textbuf.h — internal: a growable string, and the one escaping function per output
 * language that every view and report uses for text that came from data: the terminal,
 * Markdown and HTML. (JSON strings are escaped by the JSON writer, CSV fields by
 * dcx_csv_quote, SQL in lib/sql, gnuplot labels in lib/plot.) */
#ifndef DCX_TEXTBUF_H
#define DCX_TEXTBUF_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "dcx/error.h"

typedef struct tbuf_s {
    char *s;     /* NUL-terminated while not oom; NULL until the first write */
    size_t len, cap;
    int oom;     /* an allocation failed: the text is incomplete */
    FILE *sink;  /* when set, the text goes there a megabyte at a time (tb_flush) */
    int ioerr;   /* writing to the sink failed */
} tbuf_t;

/* Writes what is buffered to the sink (when there is one). */
void tb_flush(tbuf_t *b);

void tb_putn_grow(tbuf_t *b, const char *s, size_t n);
/* Appends n bytes (a short write that fits is copied here, without a call: a document of
 * many rows is written a few bytes at a time). */
static inline void tb_putn(tbuf_t *b, const char *s, size_t n)
{
    if (!b->oom && b->len + n + 1 <= b->cap && (!b->sink || b->len + n <= ((size_t)1 << 20))) {
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = '\0';
        return;
    }
    tb_putn_grow(b, s, n);
}
static inline void tb_puts(tbuf_t *b, const char *s) { tb_putn(b, s, strlen(s)); }
void tb_printf(tbuf_t *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void tb_free(tbuf_t *b);
/* Frees `part`, a scratch buffer whose text went into b: b inherits its out-of-memory
 * state, so that text lost in the part is not lost silently. */
void tb_done(tbuf_t *b, tbuf_t *part);

/* Writes the text to out and frees it: the end of every view.
 * @return DCX_OK, DCX_ENOMEM (the text is incomplete) or DCX_EIO. */
dcx_status_t tb_emit(tbuf_t *b, FILE *out, dcx_error_t *err);

/* Text for a terminal: control characters, bidi controls and bytes that are not UTF-8
 * shown escaped (dcx_text_for_terminal). */
void tb_term(tbuf_t *b, const char *s);
/* Text for Markdown, inline: CR, LF and tabs become spaces, '<', '>' and '&' entities,
 * the characters Markdown gives a meaning (\ ` * _ { } [ ] | ~, and a list or heading
 * marker at the start) backslash-escaped, control characters shown escaped. */
void tb_md(tbuf_t *b, const char *s);
/* Text for HTML element content or a quoted attribute: & < > " ' as entities, control
 * characters other than tab and line feed as spaces, a bidirectional control shown as
 * \uNNNN (it would reorder the sentence around it), a byte that is not UTF-8 as U+FFFD. */
void tb_html(tbuf_t *b, const char *s);

/* Length of the valid UTF-8 sequence at s (1 to 4, its code point in *cp), or 0 when the
 * bytes there are not one (overlong, surrogate, beyond U+10FFFF, truncated). */
size_t tb_utf8_seq(const unsigned char *s, unsigned *cp);
/* Whether code point cp is a Unicode bidirectional control (U+061C, U+200E/F, U+202A-E,
 * U+2066-9), which would reorder the text around it. */
int tb_is_bidi_control(unsigned cp);

/* v (below threshold) as text with two decimals, or as many more as it takes to stay below
 * the threshold it is compared with (an rwg of 0.699 is "0.699", never "0.70"). */
const char *tb_below(double v, double threshold, char *buf, size_t len);

/* A p-value as every view prints it, with four decimals: "0.0312", "< 0.0001" for anything
 * smaller (never "0"), "–" when unknown. Writes into buf (at least 16 bytes); @return buf. */
const char *tb_p(double p, char *buf, size_t len);
/* The same in a sentence: "p = 0.0312", "p < 0.0001", "p –". */
const char *tb_p_is(double p, char *buf, size_t len);

/* Drops the minus sign of a number printed as zero ("-0.00%" -> "0.00%", "-0" -> "0"), in
 * place: a difference that rounds to nothing has no direction. @return s. */
char *tb_unneg(char *s);

/* Display width of UTF-8 text (code points; good enough for alignment). */
size_t tb_width(const char *s);

#endif
