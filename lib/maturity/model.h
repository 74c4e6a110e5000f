/* model.h — internal: the parsed assessment definition. */
#ifndef DCX_MATURITY_MODEL_H
#define DCX_MATURITY_MODEL_H

#include <stddef.h>

#include "dcx/maturity.h"
#include "strmap.h"

typedef struct {
    char *id, *text;
    double weight;
    int reverse;
    size_t dim;
} mquestion_t;

typedef struct {
    char *id, *name;
    double weight;
    size_t q0, nq;  /* its questions: qs[q0 .. q0 + nq) */
    char **rec;     /* rec[level index] (NULL when absent), one per level */
    int lower;      /* "direction": "lower": lower scores are better (gap = score - target) */
} mdimension_t;

typedef struct {
    int level;
    char *name;
    double min;
} mlevel_t;

struct dcx_assessment {
    char *path;
    char *id, *version, *title;
    double smin, smax;
    char **labels;
    size_t nlabels;
    char **na;      /* answers that mean "no answer" (case-insensitive): N/A, NA, "" and more */
    size_t nna;
    double *na_num; /* numeric missing codes (-9, 99, ...) */
    size_t nna_num;
    double step;    /* answers are min + k·step (0: any value on the scale) */
    mlevel_t *levels;
    size_t nlevels;
    mdimension_t *dims;
    size_t nd;
    mquestion_t *qs;
    size_t nq;
    dcx_strmap_t qmap; /* question id -> index */
    dcx_strmap_t dmap; /* dimension id -> index */
};

/* index of the highest level whose min <= score, or -1 */
long assessment_level(const dcx_assessment_t *a, double score);
/* question index of id, or -1 */
long assessment_question(const dcx_assessment_t *a, const char *id);

/* An answer or code normalised for matching labels: lower case (ASCII), typographic quotes
 * as ' and ", no-break spaces as spaces, runs of spaces as one, none at either end. Writes
 * at most cap bytes (NUL included); @return the length. */
size_t label_norm(const char *s, size_t len, char *out, size_t cap);
/* Whether v is an answer of the scale (within it, and a step of it). */
int assessment_on_scale(const dcx_assessment_t *a, double v);
/* When the missing-answer code is also an answer (a point of the scale as a number, or one
 * of its labels), why in words (into why); else NULL. */
const char *assessment_na_clash(const dcx_assessment_t *a, const char *code, char *why, size_t n);
/* Levenshtein distance of a and b (case-insensitive), or limit + 1 when above limit;
 * SIZE_MAX when out of memory. */
size_t edit_distance(const char *a, size_t la, const char *b, size_t lb, size_t limit);

#endif
