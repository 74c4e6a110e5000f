/* numparse.c — strict number and boolean parsing for CSV cells.
 *
 * The fast path handles the common case, up to 15 significant digits and no exponent:
 * the digits form an exact integer below 2^53 and 10^k (k ≤ 22) is exact, so one
 * division is correctly rounded (Clinger 1990) and equals strtod's answer. Anything
 * else, once its syntax is checked, goes to strtod. */
#include "numparse.h"

#include <stdint.h>
#include <strings.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int dcx_is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

int dcx_is_na_word(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    static const char *const words[] = {"na", "n/a", "null"};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (len == strlen(words[k]) && !strncasecmp(s, words[k], len))
            return 1;
    return 0;
}

int dcx_parse_number(const char *s, size_t len, double *out)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (!len)
        return 0;
    size_t i = 0;
    int neg = 0;
    if (s[i] == '+' || s[i] == '-')
        neg = s[i++] == '-';
    uint64_t mant = 0;
    int digits = 0, frac = 0, any = 0, simple = 1;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (mant || s[i] != '0')
            digits++;
        mant = digits <= 18 ? mant * 10 + (uint64_t)(s[i] - '0') : mant;
        i++, any = 1;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (mant || s[i] != '0')
                digits++;
            mant = digits <= 18 ? mant * 10 + (uint64_t)(s[i] - '0') : mant;
            frac++, i++, any = 1;
        }
    }
    if (!any)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        simple = 0;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= len || !(s[i] >= '0' && s[i] <= '9'))
            return 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i != len)
        return 0;
    if (simple && digits <= 15 && frac <= 22) {
        double v = (double)mant / pow10_exact[frac];
        *out = neg ? -v : v;
        return 1;
    }
    /* the syntax is a plain decimal: strtod gives the correctly rounded value */
    char buf[512];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return 0;
    *out = v;
    return 1;
}

int dcx_parse_bool(const char *s, size_t len, double *out)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    static const char *const yes[] = {"1", "true", "yes"}, *const no[] = {"0", "false", "no"};
    for (int k = 0; k < 3; k++) {
        if (len == strlen(yes[k]) && !strncasecmp(s, yes[k], len)) {
            *out = 1;
            return 1;
        }
        if (len == strlen(no[k]) && !strncasecmp(s, no[k], len)) {
            *out = 0;
            return 1;
        }
    }
    return 0;
}
