/* responses.h — internal: respondents' answers to an assessment. */
#ifndef DCX_MATURITY_RESPONSES_H
#define DCX_MATURITY_RESPONSES_H

#include "model.h"
#include "strmap.h"

typedef struct {
    char *id;
    long line;
    char **attr;   /* one value per attribute column ("" when absent) */
    double *ans;   /* one per question, NaN when unanswered or N/A */
} mrespondent_t;

typedef struct {
    mrespondent_t *r;
    size_t n, cap;
    double *answers;  /* n × nq answers in one block; r[i].ans points into it */
    size_t acap, nq;
    char **attr_names;
    size_t nattr;
    dcx_strmap_t ids;
    int long_form;
} mresponses_t;

/* How bad answers are handled: stop at the first (error), skip each with a warning
 * (lenient), or collect every one (validate). */
typedef enum { BAD_STOP, BAD_WARN, BAD_COLLECT } bad_policy_t;

typedef struct {
    char delimiter;                /* of the CSV (0 = ',') */
    bad_policy_t policy;
    const char *respondent_column; /* NULL = "respondent" */
} resp_opts_t;

/* Reads answers in wide or long form. Bad answers, unknown questions, duplicates, a
 * column that is a misspelt question id, a respondent whose attributes change between
 * rows: errors (file:line:column) by policy. */
dcx_status_t responses_read(const dcx_assessment_t *a, const char *path, const resp_opts_t *ro,
                            mresponses_t *out, dcx_strlist_t *notes, dcx_error_t *err);
void responses_free(mresponses_t *r, size_t nattr_unused);
/* index of an attribute column, or -1 */
long responses_attr(const mresponses_t *r, const char *name);

#endif
