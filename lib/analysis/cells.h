/* cells.h — internal: the cell store behind analyze and aggregate. A cell holds the
 * moments of one metric for one variant within one segment level (or period). */
#ifndef DCX_CELLS_H
#define DCX_CELLS_H

#include <stddef.h>

#include "dcx/csv.h"
#include "dcx/error.h"
#include "dcx/moments.h"
#include "dcx/options.h"
#include "strmap.h"

typedef enum { MT_AUTO, MT_BINARY, MT_MEAN, MT_RATIO, MT_NPS } mtype_t;

typedef struct {
    char *name;       /* metric name (the column, for all but ratio) */
    mtype_t type;     /* declared type; MT_AUTO is resolved after reading */
    char *col, *den;  /* value column; denominator column for ratio */
    char *cov;        /* CUPED covariate column, or NULL */
    long col_i, den_i, cov_i;
    int not01;        /* saw a value other than 0 and 1 */
    int saw_word;     /* saw true/false/yes/no */
    int seen;         /* summary input: rows of this metric were found */
} metric_t;

typedef struct {
    dcx_moments_t m;  /* x: value (ratio: numerator); y: denominator or covariate */
    double missing;   /* units with an empty cell for this metric */
    double ones;      /* binary: units with 1; nps: promoters (9-10) */
    double neg;       /* nps: detractors (0-6) */
    int unresolved;   /* summary input: the sums cannot resolve the variance */
    double *vals;     /* values kept for rank tests */
    size_t nvals, capvals;
} cell_t;

typedef struct {
    long seg;         /* -1: all units; k: segment column k */
    char *value;      /* "all", or the segment value (or the period) */
    cell_t *cells;    /* [vcap][nm] */
    double *units;    /* [vcap] units per variant */
} level_t;

typedef struct {
    metric_t *metrics;
    size_t nm;
    char **segs;      /* segment column names */
    long *seg_i;
    size_t nseg;
    dcx_strmap_t *seg_values;  /* per segment column: value -> local index */
    size_t **seg_level;        /* per segment column: local index -> level */
    size_t *seg_cap;
    dcx_strmap_t variants;
    size_t vcap;
    level_t *levels;  /* levels[0] is "all" */
    size_t nlevels, caplevels;
    char *time_col;
    long time_i;
    dcx_strmap_t period_map;
    level_t *periods;
    size_t nperiods, capperiods;
    int keep_values;  /* keep unit values of mean metrics (Mann–Whitney) */
    int from_summary;
    char *variant_col;
    long variant_i;
} data_t;

/* Sets up the store for the given metric specs, segments, CUPED specs and time column.
 * @return DCX_OK, DCX_EINVAL (bad spec), DCX_ENOMEM. */
dcx_status_t data_init(data_t *d, const dcx_strlist_t *metrics, const dcx_strlist_t *segments,
                       const dcx_strlist_t *cuped, const char *time_col, const char *variant_col,
                       int keep_values, dcx_error_t *err);
void data_free(data_t *d);

/* Reads a unit-level CSV in one pass. Resolves MT_AUTO types at the end. */
dcx_status_t data_read_units(data_t *d, const char *path, dcx_error_t *err);

/* The summary CSV's columns, in the order `dcx aggregate` writes them. */
#define SUMMARY_NCOLS 11
extern const char *const summary_cols[SUMMARY_NCOLS];

/* Finds every summary column in a header row: ci[k] is summary_cols[k]'s index, or the
 * error names the missing column and lists the header's. */
dcx_status_t data_summary_columns(const char *file, const dcx_csv_row_t *header,
                                  long ci[SUMMARY_NCOLS], dcx_error_t *err);

/* Adds the rows of a summary CSV (several calls add up). */
dcx_status_t data_read_summary(data_t *d, const char *path, dcx_error_t *err);

/* Checks that every metric was found in the summaries and resolves types. */
dcx_status_t data_finish_summary(data_t *d, dcx_error_t *err);

static inline cell_t *level_cell(const data_t *d, const level_t *l, size_t v, size_t m)
{
    return &l->cells[v * d->nm + m];
}

/* Makes sure variant index v exists in every level (grows storage). */
dcx_status_t data_reserve_variant(data_t *d, size_t v, dcx_error_t *err);

const char *mtype_name(mtype_t t);

#endif
