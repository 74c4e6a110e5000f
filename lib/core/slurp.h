/* slurp.h — internal: a whole file in memory. */
#ifndef DCX_SLURP_H
#define DCX_SLURP_H

#include <stddef.h>

#include "dcx/error.h"

/* Reads path into a malloc'd, NUL-terminated buffer (*len excludes the NUL). Files over
 * max bytes are refused (DCX_EPARSE). @return DCX_OK, DCX_EIO, DCX_EPARSE, DCX_ENOMEM. */
dcx_status_t dcx_slurp(const char *path, size_t max, char **buf, size_t *len, dcx_error_t *err);

#endif
