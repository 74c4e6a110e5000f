/* maturity.h — DCX maturity assessment: assessment models (JSON), responses (wide or
 * long CSV), and the scoring of docs/methods.md: dimension scores, reliability (Cronbach's
 * alpha), agreement (rwg(J)), levels, gaps to target, priorities and recommendations. */
#ifndef DCX_MATURITY_H
#define DCX_MATURITY_H

#include "dcx/api.h"

#include <stdio.h>

#include "dcx/error.h"
#include "dcx/options.h"

struct cJSON;

typedef struct dcx_assessment dcx_assessment_t;

/* dcx_assessment_path() : the file an --assessment value names: the value itself when it
 * holds a '/' or names a file that exists; else, for a bare name such as "dcx-maturity",
 * NAME.json or NAME in the installed assessments folder (dcx_set_assessment_dir) when one
 * of them exists; else the value (whose opening then fails with its own name). Written into
 * buf (len bytes); @return buf, or name itself when the path does not fit. */
DCX_API const char *dcx_assessment_path(const char *name, char *buf, size_t len);

/* dcx_assessment_load() : reads and checks an assessment definition (path as
 * dcx_assessment_path() resolves it). Every problem
 * found is appended to `problems` (when non-NULL) as "FILE: where: what"; the first one
 * is also the error. @return DCX_OK, DCX_EPARSE (malformed or invalid), DCX_EIO, DCX_ENOMEM.
 * Free with dcx_assessment_free(). */
DCX_API dcx_status_t dcx_assessment_load(const char *path, dcx_assessment_t **out,
                                 dcx_strlist_t *problems, dcx_error_t *err);
DCX_API void dcx_assessment_free(dcx_assessment_t *a);

typedef struct {
    dcx_common_opts_t common;
    char *assessment;
    char *responses;
    double target;         /* one target score for every dimension */
    char *targets;         /* JSON {"dimension_id": score, ...} */
    dcx_strlist_t group_by; /* breakdowns: each column's groups, tagged "by" */
    double min_answered;
    int lenient;
    char *before, *after;  /* compare */
    char *plot;
    char *delimiter;       /* of the responses CSV */
    char *respondent_column; /* the id column (default "respondent") */
    int respondents;       /* template: blank rows per statement (long) or rows (wide) */
    char *attributes;      /* template: attribute columns, comma-separated */
    int wide;              /* template: one row per respondent, a column per statement */
    int min_group_size;    /* groups with fewer respondents (in either round) are suppressed */
    char *encoding;        /* of the responses: utf-8 (default), latin1, windows-1252 */
    char *map;             /* codebook CSV "column,question": export columns to question ids */
    int skip_rows;         /* rows after the header that hold no answers (Qualtrics: 2) */
    int header_rows;       /* 2: a second header row names the statements (SurveyMonkey) */
    char *na;              /* more missing-answer codes, comma-separated */
    char *weight_column;   /* respondent weights (a named attribute column) */
    char *norms;           /* CSV "dimension,score" of earlier clients: percentiles */
    int items;             /* table view: the statements table too */
    int paired;            /* compare: respondents matched by id across the rounds */
} dcx_maturity_opts_t;

DCX_API extern const dcx_option_t dcx_maturity_score_options[];
DCX_API extern const dcx_option_t dcx_maturity_validate_options[];
DCX_API extern const dcx_option_t dcx_maturity_template_options[];
DCX_API extern const dcx_option_t dcx_maturity_compare_options[];

/* dcx_maturity_score() : scores the responses; the document of docs/formats.md.
 * @return DCX_OK, DCX_EINVAL (options), DCX_EPARSE (bad assessment or responses, with
 * file:line:column, unless --lenient), DCX_EIO, DCX_ENOMEM. */
DCX_API dcx_status_t dcx_maturity_score(const dcx_maturity_opts_t *o, struct cJSON **doc, dcx_error_t *err);

/* dcx_maturity_validate() : checks an assessment (and responses, when given) and lists
 * every problem with its position. The document has "valid" and "problems"; the status
 * is DCX_EPARSE when there is any problem. */
DCX_API dcx_status_t dcx_maturity_validate(const dcx_maturity_opts_t *o, struct cJSON **doc,
                                   dcx_error_t *err);

/* dcx_maturity_template() : writes a blank worksheet: CSV in the long response format
 * (respondent,question,answer plus the dimension and statement) or a Markdown
 * questionnaire. */
DCX_API dcx_status_t dcx_maturity_template(const dcx_maturity_opts_t *o, FILE *out, dcx_error_t *err);

/* dcx_maturity_compare() : two rounds of responses: per dimension and overall the
 * before and after scores, their difference, the Welch t p-value of the respondents'
 * scores, and progress toward the target. */
DCX_API dcx_status_t dcx_maturity_compare(const dcx_maturity_opts_t *o, struct cJSON **doc,
                                  dcx_error_t *err);

/* dcx_maturity_suppress() : suppresses the small groups of a score or compare document in
 * place: a group with fewer than min_group_size respondents (in either round) keeps its
 * size and gets "suppressed": true; every number, interval, level and text computed from
 * its answers becomes null. A non-finite min_group_size means the document's own
 * min_group_size, else its settings', else 5. Reports and plots call it before drawing.
 * @return DCX_OK, DCX_EINVAL (not a whole number >= 1), DCX_ENOMEM. */
DCX_API dcx_status_t dcx_maturity_suppress(struct cJSON *doc, double min_group_size, dcx_error_t *err);

#endif
