/* quantile_window.c — a quantile metric's numbers from an arm's values: the type-7
 * quantile and the order statistics at the ends of its rank window (Deng, Knoblich and Lu
 * 2018), which give its standard error; the same numbers a summary carries. */
#include "cells.h"

#include <math.h>
#include <stdlib.h>

static int cmp_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void data_quantile_window(double *v, size_t n, double q, double z, double *est, double *lo,
                          double *hi)
{
    *est = *lo = *hi = NAN;
    if (!n)
        return;
    qsort(v, n, sizeof *v, cmp_doubles);
    double h = (double)(n - 1) * q;
    size_t k = (size_t)floor(h);
    *est = k + 1 < n ? v[k] + (h - (double)k) * (v[k + 1] - v[k]) : v[n - 1];
    double nn = (double)n, w = z * sqrt(nn * q * (1 - q));
    double L = fmax(1, floor(nn * q - w)), U = fmin(nn, ceil(nn * q + w));
    *lo = v[(size_t)L - 1];
    *hi = v[(size_t)U - 1];
}
