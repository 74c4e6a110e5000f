/* version.c — the library's version. */
#include "dcx/version.h"

const char *dcx_version(void) { return DCX_VERSION_STRING; }
