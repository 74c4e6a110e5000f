/* flatten.h — internal: the one naming rule by which every view turns a document's nested
 * members into named cells (the CSV view's columns, the table view's fields, the Excel
 * view's columns):
 *   - a nested object's members are named PARENT.KEY (people, Excel) or PARENT_KEY (CSV);
 *   - an interval, a list of two entries that are numbers (or null at an open end), is one
 *     cell, or the two cells NAME_lo and NAME_hi;
 *   - a list of scalars is one cell (its items joined by the view);
 *   - a list that holds objects or lists is a table of its own and is skipped here. */
#ifndef DCX_FLATTEN_H
#define DCX_FLATTEN_H

#include <cjson/cJSON.h>

typedef enum {
    FLAT_VALUE,    /* a number, string, boolean or null */
    FLAT_INTERVAL, /* an interval kept whole (v is the list) */
    FLAT_LO,       /* the lower end of a split interval (a number or null) */
    FLAT_HI,       /* its upper end */
    FLAT_LIST      /* a list of scalars (v is the list) */
} flat_kind_t;

/* Called for each cell in document order. @return 0 to go on, non-zero to stop. */
typedef int (*flat_fn)(void *ctx, const char *name, const cJSON *v, flat_kind_t kind);

/* Walks v under the name `prefix` ("" at the top): an object's members are walked in
 * order, every other value is one cell (or two, for a split interval). sep joins the
 * levels of a name ('.' or '_'). @return 0; 1 when fn stopped the walk; -1 when out of
 * memory (names are built in growing buffers, never cut short). */
int flat_walk(const char *prefix, const cJSON *v, char sep, int split_intervals, flat_fn fn,
              void *ctx);

/* a list of two entries, each a number or null */
int flat_is_interval(const cJSON *a);
/* a list that holds an object or a list (a table of its own) */
int flat_is_table(const cJSON *a);

#endif
