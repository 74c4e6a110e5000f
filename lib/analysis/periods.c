/* periods.c — ISO-8601 dates and timestamps to day, week and month labels. */
#include "periods.h"

#include <stdio.h>
#include <string.h>

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* days since 1970-01-01 (proleptic Gregorian), and back */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int period_label(const char *s, size_t len, period_unit_t unit, char out[PERIOD_LABEL_MAX])
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    int y, mo, d;
    if (len < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo)
        || !digits(s + 8, 2, &d))
        return 0;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return 0;
    long minutes = 0; /* minutes into the day, UTC once an offset is applied */
    size_t i = 10;
    if (i < len) {
        if (s[i] != 'T' && s[i] != ' ')
            return 0;
        int hh, mm, ss = 0;
        if (len < i + 6 || !digits(s + i + 1, 2, &hh) || s[i + 3] != ':' || !digits(s + i + 4, 2, &mm)
            || hh > 23 || mm > 59)
            return 0;
        i += 6;
        if (i < len && s[i] == ':') {
            if (len < i + 3 || !digits(s + i + 1, 2, &ss) || ss > 60)
                return 0;
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                size_t j = i + 1;
                while (j < len && s[j] >= '0' && s[j] <= '9')
                    j++;
                if (j == i + 1)
                    return 0;
                i = j;
            }
        }
        minutes = hh * 60 + mm;
        if (i < len) {
            if (s[i] == 'Z' && i + 1 == len) {
                i++;
            } else if ((s[i] == '+' || s[i] == '-') && len == i + 6 && s[i + 3] == ':') {
                int oh, om;
                if (!digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
                    return 0;
                long off = oh * 60 + om;
                minutes -= s[i] == '+' ? off : -off; /* local time minus offset = UTC */
                i = len;
            } else {
                return 0;
            }
        }
    }
    long day = days_from_civil(y, mo, d);
    if (minutes < 0)
        day -= 1;
    else if (minutes >= 24 * 60)
        day += 1;
    civil_from_days(day, &y, &mo, &d);
    if (y < 1 || y > 9999) /* an offset moved it out of the years a label can hold */
        return -1;
    if (unit == PERIOD_MONTH) {
        snprintf(out, PERIOD_LABEL_MAX, "%04d-%02d", y, mo);
    } else if (unit == PERIOD_WEEK) {
        /* ISO week: Monday first; the week's year is that of its Thursday */
        long wd = ((day % 7) + 7 + 3) % 7; /* 0 = Monday (1970-01-01 was a Thursday) */
        long thursday = day - wd + 3;
        int ty, tm, td;
        civil_from_days(thursday, &ty, &tm, &td);
        long week = (thursday - days_from_civil(ty, 1, 1)) / 7 + 1;
        snprintf(out, PERIOD_LABEL_MAX, "%04d-W%02d", ty, (int)week);
    } else {
        snprintf(out, PERIOD_LABEL_MAX, "%04d-%02d-%02d", y, mo, d);
    }
    return 1;
}
