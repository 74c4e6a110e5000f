/* error.c — status strings and the error record. */
#include "dcx/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *dcx_strerror(dcx_status_t code)
{
    switch (code) {
    case DCX_OK: return "success";
    case DCX_EINVAL: return "invalid argument";
    case DCX_EDOM: return "undefined for these inputs";
    case DCX_ENOMEM: return "out of memory";
    case DCX_EIO: return "input/output error";
    case DCX_EPARSE: return "malformed input";
    case DCX_ECONV: return "did not converge";
    case DCX_ENOEXEC: return "external program not found";
    case DCX_ENOTSUP: return "not supported for this input";
    case DCX_EGATE: return "a requested gate tripped";
    }
    return "unknown error";
}

void dcx_error_clear(dcx_error_t *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

static void set_position(dcx_error_t *err, const char *file, long line, long column)
{
    err->file[0] = '\0';
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    err->column = column;
}

dcx_status_t dcx_error_set(dcx_error_t *err, dcx_status_t code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->code = code;
    set_position(err, NULL, 0, 0);
    return code;
}

dcx_status_t dcx_error_at(dcx_error_t *err, dcx_status_t code, const char *file, long line,
                          long column, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->code = code;
    set_position(err, file, line, column);
    return code;
}

char *dcx_error_format(const dcx_error_t *err, char *buf, size_t len)
{
    if (!err->file[0])
        snprintf(buf, len, "%s", err->message);
    else if (err->line > 0 && err->column > 0)
        snprintf(buf, len, "%s:%ld:%ld: %s", err->file, err->line, err->column, err->message);
    else if (err->line > 0)
        snprintf(buf, len, "%s:%ld: %s", err->file, err->line, err->message);
    else
        snprintf(buf, len, "%s: %s", err->file, err->message);
    return buf;
}
