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

#endif
