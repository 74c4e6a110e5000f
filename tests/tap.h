/* tap.h — a minimal Test Anything Protocol harness for dcx's C tests.
 *
 *   ok(cond, "name %d", i)           one test point
 *   is_rel(got, want, tol, "name")   |got − want| ≤ tol·|want| (absolute near 0)
 *   is_int(got, want, "name")        exact equality of whole numbers
 *   done_testing()                   prints the plan; returns the exit status */
#ifndef DCX_TAP_H
#define DCX_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

#if defined(__GNUC__)
#define TAP_UNUSED __attribute__((unused))
#else
#define TAP_UNUSED
#endif

static void tap_vreport(int pass, const char *fmt, va_list ap)
{
    tap_n++;
    if (!pass)
        tap_failed++;
    printf("%sok %d - ", pass ? "" : "not ", tap_n);
    vprintf(fmt, ap);
    printf("\n");
}

TAP_UNUSED static int ok(int pass, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_vreport(pass, fmt, ap);
    va_end(ap);
    return pass;
}

TAP_UNUSED static int is_rel(double got, double want, double tol, const char *fmt, ...)
{
    int pass;
    if (isnan(want))
        pass = isnan(got);
    else if (isinf(want))
        pass = got == want;
    else if (want == 0)
        pass = fabs(got) <= tol;
    else
        pass = fabs(got - want) <= tol * fabs(want);
    va_list ap;
    va_start(ap, fmt);
    tap_vreport(pass, fmt, ap);
    va_end(ap);
    if (!pass)
        printf("#   got  %.17g\n#   want %.17g (rel. tol %g, rel. err %.3g)\n", got, want, tol,
               want != 0 ? fabs(got - want) / fabs(want) : fabs(got));
    return pass;
}

TAP_UNUSED static int is_int(double got, double want, const char *fmt, ...)
{
    int pass = got == want;
    va_list ap;
    va_start(ap, fmt);
    tap_vreport(pass, fmt, ap);
    va_end(ap);
    if (!pass)
        printf("#   got  %.17g\n#   want %.17g\n", got, want);
    return pass;
}

static int done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
