/* periods.h — internal: time-column values as periods. ISO-8601 dates and timestamps are
 * grouped into days, ISO weeks or months (labels that sort chronologically as text);
 * anything else is left to the caller. */
#ifndef DCX_PERIODS_H
#define DCX_PERIODS_H

#include <stddef.h>

typedef enum { PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH } period_unit_t;

#define PERIOD_LABEL_MAX 16

/* If s[0..len) is an ISO-8601 date (2026-11-02) or timestamp (2026-11-02T14:05:00Z,
 * 2026-11-02 14:05, with seconds, fractions and a UTC offset optional; an offset moves
 * the time to UTC), writes its period label ("2026-11-02", "2026-W45", "2026-11") into out
 * and returns 1; returns -1 when the date, once in UTC, falls outside the years 0001-9999
 * (the caller's error); otherwise returns 0. */
int period_label(const char *s, size_t len, period_unit_t unit, char out[PERIOD_LABEL_MAX]);

#endif
