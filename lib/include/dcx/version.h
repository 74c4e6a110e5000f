/* version.h — the version of libdcx: the one this header came with (DCX_VERSION_*) and
 * the one a program runs against (dcx_version()). */
#ifndef DCX_VERSION_H
#define DCX_VERSION_H

#include "dcx/api.h"

#define DCX_VERSION_MAJOR 0
#define DCX_VERSION_MINOR 1
#define DCX_VERSION_PATCH 0
#define DCX_VERSION_STRING "0.1.0"

/* dcx_version() : the library's version, "X.Y.Z" (may differ from DCX_VERSION_STRING
 * when a program runs against a newer shared library). */
DCX_API const char *dcx_version(void);

#endif
