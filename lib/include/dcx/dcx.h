/* dcx.h — libdcx, the statistics library behind the dcx toolkit for digital customer
 * experience teams: experiment assignment, planning and analysis, and maturity
 * assessment scoring. Include this one header; it pulls in every module. */
#ifndef DCX_DCX_H
#define DCX_DCX_H

#include "dcx/api.h"
#include "dcx/version.h"
#include "dcx/error.h"
#include "dcx/text.h"
#include "dcx/moments.h"
#include "dcx/stats.h"
#include "dcx/options.h"
#include "dcx/rows.h"
#include "dcx/command.h"
#include "dcx/view.h"
#include "dcx/planning.h"
#include "dcx/csv.h"
#include "dcx/progress.h"
#include "dcx/env.h"
#include "dcx/jsonio.h"
#include "dcx/doc.h"
#include "dcx/assign.h"
#include "dcx/analysis.h"
#include "dcx/maturity.h"
#include "dcx/plot.h"
#include "dcx/report.h"
#include "dcx/sql.h"

#endif
