/* responses.h — internal: respondents' answers to an assessment, read from a CSV as survey
 * tools export it (wide or long form; codebooks, extra header rows, missing-answer codes,
 * "4 - Agree" answers, other encodings). */
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
    mrespondent_t *r; /* long form only: its respondents, kept until the file ends */
    size_t n, cap;    /* respondents (handed to the sink, in either form) */
    double *answers;  /* long form: n × nq answers in one block; r[i].ans points into it */
    size_t acap, nq;
    char **attr_names;
    long *attr_col;   /* each attribute's column in the file (1-based) */
    size_t nattr;
    dcx_strmap_t ids; /* every respondent's id (wide: respondent i is ids.keys[i]) */
    int long_form;
    unsigned char *present; /* per question: it has a column (wide) or an answer (long) */
    size_t empty_rows;      /* rows (wide) or respondents (long) without a valid answer */
    long *lines;            /* wide: the line of each id of `ids` (duplicates name it) */
} mresponses_t;

/* A consumer of respondents one at a time (see resp_opts_t.sink): r->ans, r->attr and r->id
 * are valid during the call only. @return 0, or -1 when out of memory. */
typedef int (*resp_sink_t)(void *ctx, const mresponses_t *rs, const mrespondent_t *r);

/* How bad answers are handled: stop at the first (error), skip each with a warning
 * (lenient), or collect every one (validate). */
typedef enum { BAD_STOP, BAD_WARN, BAD_COLLECT } bad_policy_t;

/* The text encoding of a responses file. */
typedef enum { ENC_UTF8, ENC_LATIN1, ENC_CP1252 } encoding_t;

typedef struct {
    char delimiter;                /* of the CSV (0 = ',') */
    bad_policy_t policy;
    const char *respondent_column; /* NULL = "respondent" */
    const char *const *named;      /* columns named as attributes by options (--group-by,
                                      --attributes, --weight-column): never misspelt questions */
    size_t nnamed;
    encoding_t encoding;
    const char *map;               /* codebook CSV "column,question" (NULL: none) */
    long skip_rows;                /* rows after the header that are not answers */
    int header_rows;               /* 1, or 2: a second header row names the statements */
    const dcx_strlist_t *na;       /* more missing-answer codes for this run (NULL: none) */
    resp_sink_t sink;              /* each respondent is handed to sink(sink_ctx, ...): a wide
                                      file's as its row is read (no answer is kept, only the ids,
                                      to find duplicates), a long file's once the whole file is
                                      read (its rows may come in any order), in order of first
                                      sight. What was handed over before an error is the
                                      caller's to drop. */
    void *sink_ctx;
} resp_opts_t;

/* Reads answers in wide or long form, handing each respondent to ro->sink. Bad answers, unknown questions, duplicates, a
 * column that is a misspelt question id, a repeated column, no question column at all, a
 * respondent whose attributes change between rows: errors (file:line:column) by policy. */
dcx_status_t responses_read(const dcx_assessment_t *a, const char *path, const resp_opts_t *ro,
                            mresponses_t *out, dcx_strlist_t *notes, dcx_error_t *err);
void responses_free(mresponses_t *r, size_t nattr_unused);
/* index of an attribute column, or -1 */
long responses_attr(const mresponses_t *r, const char *name);

#endif
