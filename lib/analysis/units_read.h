/* units_read.h — internal: what the two passes over a unit-level CSV share. When a --cap is
 * a percentile, cap_pass.c reads the capped columns first and fixes the thresholds; then
 * units_read.c folds every row into the cells. Both read a large file in two halves at
 * once, split at a line end. */
#ifndef DCX_UNITS_READ_H
#define DCX_UNITS_READ_H

#include "cells.h"

/* Values beyond this cannot be squared (and summed) in a double without overflow. */
#define DCX_VALUE_MAX 1e150
#define TOO_LARGE "is too large: its square overflows a double (at most 1e150)"

/* ---- cap_pass.c ---- */

/* Does some metric have a cap given as a percentile (so that the file is read twice)? */
int cap_needs_pass(const data_t *d);

/* The capping pass: when some cap is a percentile, reads `path` (a file, not standard
 * input) and sets those metrics' cap_lo / cap_hi from the pooled values. Memory: one
 * double per value of each such column. @return DCX_OK, DCX_EPARSE (a value that is not
 * a number, or a column without values), DCX_EIO, DCX_ENOMEM. */
dcx_status_t cap_thresholds(data_t *d, const char *path, dcx_error_t *err);

/* Type-7 quantile (R's default) of v[0..n), which it partially reorders; q in [0, 1]. */
double data_quantile7(double *v, size_t n, double q);

#endif
