/* scoring.h — internal: what score.c, rounds.c and worksheet.c share: item and
 * respondent scores, a dimension's statistics over a set of respondents, targets, and the
 * parts of every maturity document. */
#ifndef DCX_MATURITY_SCORING_H
#define DCX_MATURITY_SCORING_H

#include <cjson/cJSON.h>

#include "model.h"
#include "responses.h"

typedef struct {
    double score, sd, se, n, ci_lo, ci_hi, coverage, alpha, rwg;
    const char *alpha_note, *rwg_note;
    char alpha_items[200]; /* when alpha stands on fewer items than the dimension has: which */
} dimres_t;

/* Item sums over the answers of all respondents, gathered in the pass over them (tally.c), for
 * the statements: per question IS_N values (answers n, Σu, Σu², and over the dimension's
 * complete cases Σu, Σu², Σu·T, then the shift c; u = v − c with v the item score minus the
 * scale's minimum and c the first v seen, T the sum of a complete case's u), per dimension 3
 * (complete cases n, ΣT, ΣT²), and per question the answers at each raw scale point (npoints
 * of them; 0: the scale has no steps). */
enum { IS_C = 6, IS_N = 7 };
typedef struct {
    double *q, *t;
    size_t *count, npoints;
} itemsums_t;

/* Item score: x, or min + max − x for a reverse-worded statement. */
double item_score(const dcx_assessment_t *a, size_t q, double x);
/* The oriented score of dimension d: min + max − x where lower is better, else x. */
double oriented(const dcx_assessment_t *a, size_t d, double x);
/* What the statistics of a set of respondents need, gathered one respondent at a time
 * (tally.c): no answer is kept. */
typedef struct {
    double n;     /* respondents */
    double wsum;  /* Σ of their weights */
    double *item; /* per question IS_N sums (those of itemsums_t) */
    double *dim;  /* per dimension: counts and sums of scores, weighted and not */
} tally_t;

/* One respondent, worked out once and added to every tally they belong to. */
typedef struct {
    double *v;               /* per question: item score − scale minimum, NaN: unanswered */
    double *score;           /* per dimension, NaN when missing (below --min-answered) */
    double *answered;        /* per dimension: answered item weight */
    unsigned char *complete; /* per dimension: every statement with a column answered */
    double w;                /* the respondent's weight (1 unweighted) */
} tally_row_t;

/* @return 0, or -1 when out of memory (free anyway). */
int tally_make(const dcx_assessment_t *a, tally_t *t);
void tally_free(tally_t *t);
int tally_row_make(const dcx_assessment_t *a, tally_row_t *x);
void tally_row_free(tally_row_t *x);
/* x from one respondent's answers ans (one per question, NaN: unanswered) and weight w. */
void tally_row_set(const dcx_assessment_t *a, const mresponses_t *rs, const double *ans, double min_answered,
                   double w, tally_row_t *x);
/* Adds x to t (weighted: also the weighted sums). */
void tally_add(const dcx_assessment_t *a, tally_t *t, const tally_row_t *x, int weighted);
/* Dimension d's respondents with a score, the sum of their scores, and Σ(s − mean)²
 * (unweighted). */
double tally_count(const tally_t *t, size_t d);
double tally_sum(const tally_t *t, size_t d);
double tally_ss(const tally_t *t, size_t d);
/* Every dimension's statistics from t into res[0..nd) (weighted: scores, sd, se and ci
 * weighted; alpha, rwg and coverage are unweighted either way); the item sums into is when
 * given. */
void tally_result(const dcx_assessment_t *a, const mresponses_t *rs, const tally_t *t, int weighted,
                  itemsums_t *is, dimres_t *res);
/* The answers ans of one respondent counted at their raw scale points into is->count. */
void tally_count_points(const dcx_assessment_t *a, itemsums_t *is, const double *ans);
/* target[d] from --target / --targets (NaN: none). */
dcx_status_t read_targets(const dcx_assessment_t *a, const dcx_maturity_opts_t *o,
                          double *target, dcx_error_t *err);
/* "level" and "level_name" of score (null without); *lvl the level index or -1. */
void level_fields(cJSON *o, const dcx_assessment_t *a, double score, long *lvl);
/* "assessment": id, version, title, scale, levels. */
void assessment_doc(cJSON *doc, const dcx_assessment_t *a);
/* qsort comparison of C strings */
int cmp_cstr(const void *x, const void *y);
/* Checks the options (`responses` the file they name) and loads the assessment. */
dcx_status_t load_assessment(const dcx_maturity_opts_t *o, const char *responses, dcx_assessment_t **a,
                             dcx_error_t *err);

/* Reads one responses file with the reading options of o (encoding, codebook, extra header
 * and skipped rows, missing codes, attribute columns named by options) under policy (a
 * bad_policy_t), handing each respondent to sink(ctx, ...) (resp_opts_t.sink). */
dcx_status_t read_responses(const dcx_maturity_opts_t *o, const dcx_assessment_t *a, const char *path,
                            int policy, resp_sink_t sink, void *ctx, mresponses_t *rs, dcx_strlist_t *warnings,
                            dcx_error_t *err);
/* Appends the warnings of a dimension whose respondents disagree (rwg below 0.7) or whose
 * statements do not hang together (alpha below 0.5), each starting with prefix.
 * @return 0, or -1 when out of memory. */
int reliability_warnings(dcx_strlist_t *w, const char *prefix, const mdimension_t *dm,
                         const dimres_t *r);

/* The item sums' arrays for assessment a (statements.c); @return 0 or -1 (out of memory). */
int itemsums_make(const dcx_assessment_t *a, itemsums_t *is);
void itemsums_free(itemsums_t *is);
/* "items": one object per statement of the assessment, from the sums score_dim gathered over
 * every respondent (statements.c). */
void statements_doc(cJSON *doc, const dcx_assessment_t *a, const mresponses_t *rs, const itemsums_t *is);

#endif
