/* fileio.h — internal: whole files, read into memory and written atomically. */
#ifndef DCX_FILEIO_H
#define DCX_FILEIO_H

#include <stddef.h>
#include <stdio.h>

#include "dcx/error.h"

/* Reads path into a malloc'd, NUL-terminated buffer (*len excludes the NUL). Files over
 * max bytes are refused (DCX_EPARSE). @return DCX_OK, DCX_EIO, DCX_EPARSE, DCX_ENOMEM. */
dcx_status_t dcx_slurp(const char *path, size_t max, char **buf, size_t *len, dcx_error_t *err);

/* Writes data to path atomically: a temporary file beside it (with the mode a plain
 * create would give), renamed over path only when every byte is written, so a failed run
 * never leaves a partial file. @return DCX_OK, DCX_EIO, DCX_ENOMEM. */
dcx_status_t file_replace(const char *path, const char *data, size_t len, dcx_error_t *err);

/* The folder for temporary files (dcx_set_temp_dir; /tmp by default). */
const char *file_temp_dir(void);

/* An anonymous temporary file in file_temp_dir(), open for writing and reading back,
 * gone when closed. @return the stream, or NULL with err set (DCX_EIO, DCX_ENOMEM). */
FILE *file_temp_stream(dcx_error_t *err);

/* The offset just past the first line end at or after byte `from` of the file at path,
 * or -1 (no line end after it, or the file cannot be read): where a second reader of a
 * large file can start. */
long long file_line_after(const char *path, long long from);

#endif
