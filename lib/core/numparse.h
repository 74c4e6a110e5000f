/* numparse.h — internal: strict, fast parsing of CSV cells. */
#ifndef DCX_NUMPARSE_H
#define DCX_NUMPARSE_H

#include <stddef.h>

/* A finite decimal number in C-locale syntax ([+-]digits[.digits][e[+-]digits]),
 * surrounding spaces allowed; no nan, inf or hex. s must be NUL-terminated at len.
 * @return 1 and *out, or 0. */
int dcx_parse_number(const char *s, size_t len, double *out);

/* 0/1/true/false/yes/no (case-insensitive, surrounding spaces allowed). @return 1 or 0. */
int dcx_parse_bool(const char *s, size_t len, double *out);

/* Only spaces (or nothing): an empty cell, i.e. a missing value. */
int dcx_is_blank(const char *s, size_t len);

/* NA, N/A or NULL in any case (surrounding spaces allowed): how R, spreadsheets and SQL
 * exports write a missing number. A numeric cell holding one is missing, like an empty
 * one. Not on the hot path: asked only of a cell that is no number. @return 1 or 0. */
int dcx_is_na_word(const char *s, size_t len);

/* Inline front doors for per-cell loops: the common one-character and plainly
 * non-blank cells are decided here without a call, the rest by the functions above. */
static inline int dcx_is_blank_fast(const char *s, size_t len)
{
    if (len && s[0] != ' ' && s[0] != '\t')
        return 0;
    return dcx_is_blank(s, len);
}

static inline int dcx_parse_number_fast(const char *s, size_t len, double *out)
{
    if (len == 1 && (unsigned)(s[0] - '0') < 10u) {
        *out = s[0] - '0';
        return 1;
    }
    return dcx_parse_number(s, len, out);
}

static inline int dcx_parse_bool_fast(const char *s, size_t len, double *out)
{
    if (len == 1 && (s[0] == '0' || s[0] == '1')) {
        *out = s[0] - '0';
        return 1;
    }
    return dcx_parse_bool(s, len, out);
}

#endif
