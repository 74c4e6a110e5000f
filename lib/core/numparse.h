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

#endif
