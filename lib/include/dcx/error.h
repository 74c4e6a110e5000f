/* error.h — status codes and the error record every fallible libdcx call fills.
 *
 * libdcx never prints and never aborts. A function that can fail returns a
 * dcx_status_t and, when it fails and the caller passed a non-NULL dcx_error_t,
 * writes what went wrong there: a code, a message, and where known the file,
 * line and column of the offending input. */
#ifndef DCX_ERROR_H
#define DCX_ERROR_H

#include "dcx/api.h"

#include <stddef.h>

typedef enum {
    DCX_OK = 0,
    DCX_EINVAL,   /* invalid argument or option value (a usage error) */
    DCX_EDOM,     /* a statistic is undefined for these inputs (zero variance, n = 0, ...) */
    DCX_ENOMEM,   /* out of memory */
    DCX_EIO,      /* a file could not be opened, read or written */
    DCX_EPARSE,   /* malformed input data: CSV, JSON, a number, an answer */
    DCX_ECONV,    /* an iterative computation did not converge */
    DCX_ENOEXEC,  /* an external program (gnuplot) is missing */
    DCX_ENOTSUP,  /* valid request the given input cannot answer (e.g. exact test from a summary) */
    DCX_EGATE     /* the result is complete, but a gate the caller asked for tripped (--fail-on-srm) */
} dcx_status_t;

#define DCX_ERROR_MSG_MAX 512
#define DCX_ERROR_FILE_MAX 256

typedef struct {
    dcx_status_t code;
    char message[DCX_ERROR_MSG_MAX];
    char file[DCX_ERROR_FILE_MAX]; /* "" when no file is involved */
    long line;                     /* 1-based, 0 when unknown */
    long column;                   /* 1-based, 0 when unknown */
} dcx_error_t;

/* dcx_strerror() : a short constant description of a status code. */
DCX_API const char *dcx_strerror(dcx_status_t code);

/* dcx_error_clear() : resets err to DCX_OK with empty message (accepts NULL). */
DCX_API void dcx_error_clear(dcx_error_t *err);

/* dcx_error_set() : fills err (accepts NULL) with code and a printf-style message,
 * clearing any position. @return code, so callers can `return dcx_error_set(...)`. */
DCX_API dcx_status_t dcx_error_set(dcx_error_t *err, dcx_status_t code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* dcx_error_at() : like dcx_error_set() with a file position (line/column 0 = unknown). */
DCX_API dcx_status_t dcx_error_at(dcx_error_t *err, dcx_status_t code, const char *file, long line,
                          long column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* dcx_error_format() : writes "FILE:LINE:COLUMN: message", "FILE:LINE: message",
 * "FILE: message" or "message", depending on what is known, into buf of size len.
 * @return buf. */
DCX_API char *dcx_error_format(const dcx_error_t *err, char *buf, size_t len);

#endif
