/* env.h — process-wide settings a front end passes to the library. libdcx reads no
 * environment variable itself: the dcx binary and the Lua module read TMPDIR and hand it
 * over here. */
#ifndef DCX_ENV_H
#define DCX_ENV_H

#include "dcx/api.h"

/* dcx_set_temp_dir() : the folder where plots and workbooks make their temporary files
 * (gnuplot's script and picture, libxlsxwriter's workbook); NULL or "" = /tmp. The text
 * is copied (up to 1,023 bytes; a longer one is ignored). Not thread-safe: call it before
 * a run. */
DCX_API void dcx_set_temp_dir(const char *dir);

#endif
