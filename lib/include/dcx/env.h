/* env.h — process-wide settings a front end passes to the library. libdcx reads no
 * environment variable itself: the dcx binary and the Lua module read TMPDIR, and work out
 * where the shipped assessments are installed, and hand both over here. */
#ifndef DCX_ENV_H
#define DCX_ENV_H

#include "dcx/api.h"

/* dcx_set_temp_dir() : the folder where plots and workbooks make their temporary files
 * (gnuplot's script and picture, libxlsxwriter's workbook); NULL or "" = /tmp. The text
 * is copied (up to 1,023 bytes; a longer one is ignored). Not thread-safe: call it before
 * a run. */
DCX_API void dcx_set_temp_dir(const char *dir);

/* dcx_set_assessment_dir() : the folder of the installed assessment models
 * (PREFIX/share/dcx/assessments), where an --assessment given as a bare name is looked for
 * (dcx_assessment_path); NULL or "" = none. The text is copied (up to 1,023 bytes; a longer
 * one is ignored). The front ends work it out from where they are installed. Not
 * thread-safe: call it before a run. */
DCX_API void dcx_set_assessment_dir(const char *dir);

/* dcx_assessment_dir() : the folder set above, or NULL. */
DCX_API const char *dcx_assessment_dir(void);

#endif
