/* row_select.h — internal: which rows of a unit-level CSV count. Before anything is
 * computed from it (cap thresholds, SRM, tests), a row is left out when it fails a
 * --where condition (counted as filtered out), when its variant cell is empty (counted
 * as without a variant), or when its --unit-column unit was found under more than one
 * variant (the unit is counted as a multiple exposure). The units are found by a pass of
 * their own over the file (row_select.c) before the others. */
#ifndef DCX_ROW_SELECT_H
#define DCX_ROW_SELECT_H

#include <stddef.h>

#include "dcx/csv.h"
#include "dcx/error.h"
#include "dcx/options.h"
#include "strmap.h"

/* --where COLUMN=V1,V2 (the row's value is one of them) or COLUMN!=V1,V2 (none of them). */
typedef struct {
    char *spec;          /* as given, for messages */
    char *col;
    long col_i;          /* in the header being read, or -1 */
    int negate;
    dcx_strmap_t values;
} where_t;

typedef struct {
    where_t *where;
    size_t nwhere;
    char *unit_col;      /* --unit-column, or NULL */
    long unit_i;
    dcx_strmap_t units;  /* every unit id seen (the unit pass) */
    unsigned char *excluded; /* per unit: found under more than one variant */
    double units_n, excluded_n;
} rowsel_t;

/* Why a row is left out (rowctx flags; a filter decides first, then the variant). */
enum { DROP_FILTER = 1, DROP_NOVARIANT = 2, DROP_UNIT = 4 };

/* Parses the --where specs and notes the unit column. @return DCX_OK, DCX_EINVAL (a spec
 * that is not COLUMN=V,... or COLUMN!=V,...), DCX_ENOMEM. */
dcx_status_t rowsel_parse(rowsel_t *s, const dcx_strlist_t *where, const char *unit_col,
                          dcx_error_t *err);

void rowsel_free(rowsel_t *s);

/* Finds the --where and --unit-column columns in a header row.
 * @return DCX_OK, DCX_EPARSE naming the first one missing. */
dcx_status_t rowsel_columns(rowsel_t *s, const char *file, const dcx_csv_row_t *header,
                            dcx_error_t *err);

/* Does value s[0..len) of a row satisfy condition w? */
static inline int where_holds(const where_t *w, const char *s, size_t len)
{
    return (dcx_strmap_get(&w->values, s, len) >= 0) != w->negate;
}

/* Is unit s[0..len) one found under more than one variant? */
static inline int unit_excluded(const rowsel_t *sel, const char *s, size_t len)
{
    long k = dcx_strmap_get(&sel->units, s, len);
    return k >= 0 && sel->excluded[k];
}

/* The unit pass (with --unit-column): reads the unit, variant and --where columns of
 * `path` (a file, not standard input) and marks the units found under more than one
 * variant among the rows that count. Memory: one entry per unit. @return DCX_OK,
 * DCX_EPARSE (a unit on two rows of the same variant, naming both lines; an empty unit
 * id), DCX_EIO, DCX_ENOMEM. */
dcx_status_t rowsel_unit_pass(rowsel_t *s, const char *path, const char *variant_col,
                              char delimiter, dcx_error_t *err);

#endif
