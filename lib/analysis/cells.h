/* cells.h — internal: the cell store behind analyze and aggregate. A cell holds the
 * moments of one metric for one variant within one segment level (or period). The specs
 * of what to measure are parsed by metric_spec.c; the store itself is cells.c; it is
 * filled from a unit-level CSV by units_read.c (with cap_pass.c first for percentile
 * caps, units_read.h) or from summary CSVs by summary_read.c. */
#ifndef DCX_CELLS_H
#define DCX_CELLS_H

#include <stddef.h>

#include "dcx/csv.h"
#include "dcx/error.h"
#include "dcx/moments.h"
#include "dcx/options.h"
#include "strmap.h"

#include "periods.h"
#include "row_select.h"

typedef enum { MT_AUTO, MT_BINARY, MT_MEAN, MT_RATIO, MT_NPS, MT_QUANTILE } mtype_t;

typedef struct {
    char *name;       /* metric name (the column, for all but ratio) */
    mtype_t type;     /* declared type; MT_AUTO is resolved after reading */
    char *col, *den;  /* value column; denominator column for ratio */
    char *cov;        /* CUPED covariate column, or NULL */
    long col_i, den_i, cov_i;
    int not01;        /* saw a value other than 0 and 1 */
    int saw_word;     /* saw true/false/yes/no */
    int seen;         /* summary input: rows of this metric were found */
    double q;         /* MT_QUANTILE: the quantile, 0 < q < 1 */
    int keep;         /* keep each cell's values (quantile metrics, Mann–Whitney) */
    int cap_on;       /* values are capped (winsorized) before they are summed */
    double cap_lo, cap_hi;   /* the thresholds (-inf / +inf when that side is open) */
    double cap_plo, cap_phi; /* thresholds given as percentiles of the pooled values, or NaN */
    char *cap_spec;   /* as given, for messages */
    int cap_ignore_zeros;    /* percentiles of the non-zero values; zeros stay 0 */
    double capped_n;         /* values the cap changed (units that count, every arm) */
    double cap_values;       /* the values it was applied to (not missing) */
    double cap_nonzero;      /* of which not 0 before capping */
} metric_t;

typedef struct {
    dcx_moments_t m;  /* x: value (ratio: numerator); y: denominator or covariate */
    double missing;   /* units with an empty cell for this metric */
    double ones;      /* binary: units with 1; nps: promoters (9-10) */
    double neg;       /* nps: detractors (0-6) */
    int unresolved;   /* summary input: the sums cannot resolve the variance */
    double *vals;     /* values kept for rank tests */
    size_t nvals, capvals;
    double capped;    /* values changed by the cap (summary input: its capped_n) */
    int qset;         /* summary input, quantile metric: qv, qlo, qhi are set */
    double qv, qlo, qhi; /* the quantile and the order statistics at the ends of its rank
                            window (summary input) */
} cell_t;

typedef struct {
    long seg;         /* -1: all units; k: segment column k */
    char *value;      /* "all", or the segment value (or the period) */
    cell_t *cells;    /* [vcap][nm] */
    double *units;    /* [vcap] units per variant */
    size_t *sblk;     /* --post-stratify: stratum s's cells in this level are
                         d->strata[sblk[s] - 1] (0: none yet) */
    size_t nsblk;
} level_t;

typedef struct {
    metric_t *metrics;
    size_t nm;
    dcx_strmap_t metric_names; /* name -> index in metrics (the parsed store only) */
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
    int keep_values;  /* some metric keeps its values (no derived "all" level, one thread) */
    int from_summary;
    int summary_unchecked; /* a summary without rows_total: its completeness unknown */
    int summary_no_units;  /* a summary without units rows: units with a value stand in */
    char *variant_col;
    long variant_i;
    period_unit_t period;
    int period_iso, period_num, period_text; /* what kind of values the time column held */
    long period_first_text;                  /* line of the first value that is no date */
    char delimiter;
    const struct dcx_rows *rows; /* while data_read_rows runs: the units, in memory */
    rowsel_t sel;              /* which rows count (--where, --unit-column) */
    double no_variant;         /* rows left out: an empty variant cell */
    double filtered_out;       /* rows left out by --where */
    char *strat_col;           /* --post-stratify: the stratum column, or NULL */
    long strat_i;
    dcx_strmap_t strat_values; /* stratum value -> local index */
    level_t *strata;           /* the cells of a (level, stratum): seg is the level */
    size_t nstrata, capstrata;
} data_t;

/* What to read: the options of analyze and aggregate that shape the cell store. */
typedef struct {
    const dcx_strlist_t *metrics, *segments, *cuped, *caps;
    const dcx_strlist_t *cap_ignore_zeros; /* metrics whose percentile caps skip zeros */
    const dcx_strlist_t *columns; /* NAME=COLUMN: a metric read from a column of another name */
    const char *time_col, *variant_col;
    int mann_whitney;      /* keep the values of mean metrics for the rank test */
    period_unit_t period;  /* how ISO dates in the time column are grouped */
    char delimiter;        /* of unit-level and summary CSV input (0 = ',') */
    const dcx_strlist_t *where; /* --where conditions, or NULL */
    const char *unit_col;       /* --unit-column, or NULL */
    const char *strat_col;      /* --post-stratify, or NULL */
} data_spec_t;

/* The most distinct values of a --post-stratify column (each is a stratum in every level). */
#define DCX_MAX_STRATA 1000
#define DCX_MAX_STRATA_TEXT "1000"

/* The most periods a timeline may have. */
#define DCX_MAX_PERIODS 400

/* ---- metric_spec.c ---- */

/* Parses the --metric, --cap and --cuped specs of `spec` into d->metrics (d->nm counts the
 * metrics begun, so that data_free frees a partial table).
 * @return DCX_OK, DCX_EINVAL (bad or duplicate spec), DCX_ENOMEM. */
dcx_status_t metrics_parse(data_t *d, const data_spec_t *spec, dcx_error_t *err);

/* The type's name as specs and documents write it ("binary", "mean", ...). */
const char *mtype_name(mtype_t t);
/* The value v of metric name's cap (name: nlen bytes): VALUE or VALUEabs (*hi), pQ (*phi)
 * or pL:pU (*plo, *phi); the others -inf, inf or NaN. @return NULL, or why v is not one, to
 * follow "--cap 'SPEC'" in a message (a constant, or written into buf). */
const char *cap_value_parse(const char *name, size_t nlen, const char *v, double *lo, double *hi,
                            double *plo, double *phi, char *buf, size_t len);

/* The index of the metric named s[0..n), or -1 (a hash lookup: specs by the thousand from a
 * definitions file stay linear). */
long metric_index(const data_t *d, const char *s, size_t n);

/* ---- cells.c ---- */

/* Sets up the store for the metric specs, segments, CUPED and cap specs and time column.
 * @return DCX_OK, DCX_EINVAL (bad spec), DCX_ENOMEM. */
dcx_status_t data_init(data_t *d, const data_spec_t *spec, dcx_error_t *err);

/* Frees everything the store holds and leaves d zeroed. */
void data_free(data_t *d);

/* The cell of variant v and metric m in level (or period) l. */
static inline cell_t *level_cell(const data_t *d, const level_t *l, size_t v, size_t m)
{
    return &l->cells[v * d->nm + m];
}

/* Makes sure variant index v exists in every level (grows storage). */
dcx_status_t data_reserve_variant(data_t *d, size_t v, dcx_error_t *err);

/* The level index (*out) of value s[0..len) of segment column k, the level created on
 * first sight; an empty value is the level "(missing)". @return DCX_OK, DCX_ENOMEM. */
dcx_status_t data_segment_level(data_t *d, size_t k, const char *s, size_t len, size_t *out,
                                dcx_error_t *err);

/* The cells (*out) of stratum s (a local index of d->strat_values) within level `level`,
 * created on first sight. @return DCX_OK, DCX_ENOMEM. */
dcx_status_t data_stratum_cells(data_t *d, size_t level, size_t s, level_t **out,
                                dcx_error_t *err);

/* The period index (*idx) of time-column value value[0..len), created on first sight.
 * @return DCX_OK, DCX_EPARSE (more than DCX_MAX_PERIODS), DCX_ENOMEM. */
dcx_status_t data_add_period(data_t *d, const char *value, size_t len, size_t *idx,
                             dcx_error_t *err);

/* d2 gets d's metrics, columns and segment columns, and no data (the store the second half
 * of a large file is read into). @return DCX_OK, DCX_ENOMEM. */
dcx_status_t data_clone_layout(data_t *d2, const data_t *d, dcx_error_t *err);

/* Folds d2 (read with d's layout) into d, matching variants, levels and periods by name.
 * @return DCX_OK, DCX_EPARSE (the halves disagree on what the time column or a metric
 * holds), DCX_ENOMEM. */
dcx_status_t data_merge(data_t *d, const data_t *d2, dcx_error_t *err);

/* The index of column `name` in header row h, or -1. */
long data_find_column(const dcx_csv_row_t *h, const char *name);

/* The error for a missing `what` column `name`, at the header's line, listing the header.
 * @return DCX_EPARSE. */
dcx_status_t data_missing_column(const char *file, const dcx_csv_row_t *h, const char *what,
                                 const char *name, dcx_error_t *err);

/* A NUL-terminated copy of s[0..n), or NULL when out of memory. */
char *data_dupn(const char *s, size_t n);

/* ---- units_read.c ---- */

/* Reads a unit-level CSV ('-': standard input) in one pass (two when a cap is a
 * percentile). Resolves MT_AUTO types at the end. */
dcx_status_t data_read_units(data_t *d, const char *path, dcx_error_t *err);

/* Reads unit rows held in memory (rows.h) exactly as the same cells in a CSV file; errors
 * are named "rows:ROW: ..." (rows count from 1). */
dcx_status_t data_read_rows(data_t *d, const struct dcx_rows *rows, dcx_error_t *err);
/* ---- quantile_window.c ---- */

/* Sorts v[0..n) and gives its type-7 quantile q (*est) and the order statistics x(L)
 * (*lo) and x(U) (*hi), L = max(1, floor(nq - z sqrt(nq(1-q)))), U = min(n, ceil(nq +
 * z sqrt(nq(1-q)))); all NaN when n is 0. */
void data_quantile_window(double *v, size_t n, double q, double z, double *est, double *lo,
                          double *hi);

/* ---- summary_read.c ---- */

/* The summary CSV's columns, in the order `dcx aggregate` writes them: the first
 * SUMMARY_NCOLS are required, the others (capped_n, cap_lower, cap_upper,
 * cap_ignore_zeros, quantile, quantile_lower, quantile_upper, rows_total) optional. */
#define SUMMARY_NCOLS 11
#define SUMMARY_NALL 19
extern const char *const summary_cols[SUMMARY_NALL];

/* Finds the summary columns in a header row, in any case: ci[k] is summary_cols[k]'s
 * index (-1 for an optional column the header lacks), or the error names the missing
 * column and lists the header's. */
dcx_status_t data_summary_columns(const char *file, const dcx_csv_row_t *header,
                                  long ci[SUMMARY_NALL], dcx_error_t *err);

/* Is the summary cell s[0..len) empty: blank, or NULL/null as warehouse clients write it? */
int data_summary_blank(const char *s, size_t len);

/* Adds the rows of a summary CSV (several calls add up): units rows to the levels' units,
 * cap rows to the metrics' thresholds, metric rows to their cells. A file that carries
 * rows_total is refused when it has fewer rows, or when a metric (or the units) lacks a
 * row for a variant and level that another row shows. */
dcx_status_t data_read_summary(data_t *d, const char *path, dcx_error_t *err);

/* Checks that every metric was found in the summaries and that no variant has more units
 * with a value than assigned units; without units rows, the largest n of a variant and
 * level stands in for its units. */
dcx_status_t data_finish_summary(data_t *d, dcx_error_t *err);

/* Checks the summaries against the caps metric definitions ask for (caps: METRIC=CAP;
 * ignore_zeros: METRIC): each such metric has a cap row, at the threshold an absolute cap
 * states, and ignoring zeros as asked; a percentile cannot be checked (the row has its
 * value, not its rank). file names the summary for messages. */
dcx_status_t data_summary_caps(const data_t *d, const dcx_strlist_t *caps,
                               const dcx_strlist_t *ignore_zeros, const char *file,
                               dcx_error_t *err);

#endif
