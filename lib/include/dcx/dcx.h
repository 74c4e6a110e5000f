/* dcx.h — libdcx, the statistics library behind the dcx toolkit for digital customer
 * experience teams: experiment assignment, planning and analysis, and maturity
 * assessment scoring. Include this one header; it pulls in every module. */
#ifndef DCX_DCX_H
#define DCX_DCX_H

#include "dcx/api.h"

#define DCX_VERSION_MAJOR 0
#define DCX_VERSION_MINOR 1
#define DCX_VERSION_PATCH 0
#define DCX_VERSION_STRING "0.1.0"

#include "dcx/error.h"
#include "dcx/moments.h"
#include "dcx/stats.h"
#include "dcx/options.h"
#include "dcx/command.h"
#include "dcx/view.h"
#include "dcx/planning.h"
#include "dcx/csv.h"
#include "dcx/progress.h"
#include "dcx/jsonio.h"
#include "dcx/assign.h"
#include "dcx/analysis.h"
#include "dcx/maturity.h"
#include "dcx/plot.h"
#include "dcx/sql.h"

/* dcx_version() : the library's version, "X.Y.Z" (may differ from DCX_VERSION_STRING
 * when a program runs against a newer shared library). */
DCX_API const char *dcx_version(void);

#endif
