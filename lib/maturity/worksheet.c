/* worksheet.c — `dcx maturity validate` and `template`: checking an assessment and its
 * responses, and blank worksheets. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/csv.h"
#include "dcx/jsonio.h"
#include "dcx/maturity.h"
#include "dcx/moments.h"
#include "dcx/stats.h"
#include "dcx/version.h"
#include "doc_util.h"
#include "textbuf.h"
#include "optparse.h"
#include "scoring.h"

/* ---- validate ------------------------------------------------------------------------------ */

/* validate counts respondents and keeps none of their answers */
static int drop(void *ctx, const mresponses_t *rs, const mrespondent_t *r)
{
    (void)ctx;
    (void)rs;
    (void)r;
    return 0;
}

dcx_status_t dcx_maturity_validate(const dcx_maturity_opts_t *o, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    if (!o->assessment)
        return dcx_error_set(err, DCX_EINVAL, "missing --assessment A.json");
    dcx_strlist_t problems = {0}, notes = {0};
    dcx_assessment_t *a = NULL;
    dcx_error_t first;
    dcx_error_clear(&first);
    dcx_status_t st = dcx_assessment_load(o->assessment, &a, &problems, &first);
    if (st && st != DCX_EPARSE) {
        *err = first;
        dcx_strlist_free(&problems);
        return st;
    }
    size_t nresp = 0;
    if (a && o->responses) {
        mresponses_t rs;
        dcx_error_t rerr;
        dcx_error_clear(&rerr);
        dcx_status_t rst = read_responses(o, a, o->responses, BAD_COLLECT, drop, NULL, &rs, &problems, &rerr);
        if (rst && rst != DCX_EPARSE) {
            *err = rerr;
            responses_free(&rs, 0);
            dcx_strlist_free(&problems);
            dcx_assessment_free(a);
            return rst;
        }
        nresp = rs.n;
        responses_free(&rs, 0);
        char buf[1024];
        if (rst == DCX_EPARSE && !problems.n
            && dcx_strlist_push(&problems, dcx_error_format(&rerr, buf, sizeof buf))) {
            dcx_strlist_free(&problems);
            dcx_assessment_free(a);
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
    }
    doc_begin();
    cJSON *doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    doc_str(doc, "assessment", o->assessment);
    if (o->responses)
        doc_str(doc, "responses", o->responses);
    doc_bool(doc, "valid", problems.n == 0);
    if (a) {
        doc_num(doc, "dimensions", (double)a->nd);
        doc_num(doc, "questions", (double)a->nq);
    }
    if (o->responses)
        doc_num(doc, "respondents", (double)nresp);
    cJSON *p = doc_arr(doc, "problems");
    for (size_t i = 0; i < problems.n; i++)
        doc_push(p, cJSON_CreateString(problems.v[i]));
    doc_arr(doc, "warnings");
    if (doc_oom(doc)) {
        cJSON_Delete(doc);
        dcx_strlist_free(&problems);
        dcx_assessment_free(a);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    *out = doc;
    st = DCX_OK;
    if (problems.n)
        st = dcx_error_set(err, DCX_EPARSE, "%zu problem%s found", problems.n,
                           problems.n == 1 ? "" : "s");
    dcx_strlist_free(&problems);
    dcx_strlist_free(&notes);
    dcx_assessment_free(a);
    return st;
}

/* ---- template ------------------------------------------------------------------------------ */

/* Where a column of the template comes from, for a message naming both sides of a clash. */
static const char *column_source(const dcx_assessment_t *a, const char *name, int wide)
{
    static const char *const fixed[] = {"question", "answer", "dimension", "statement", NULL};
    if (assessment_question(a, name) >= 0)
        return wide ? "a question id of the assessment (a column of the wide template)"
                    : "a question id of the assessment (a column of the wide form)";
    for (int r = 0; fixed[r] && !wide; r++)
        if (!strcmp(name, fixed[r]))
            return "a column of the long-form template";
    return NULL;
}

/* Every column name the template writes comes from one flag: --respondent-column, then
 * --attributes, then the assessment's question ids (wide) or the long form's own columns.
 * Two of them with one name would make a file with a repeated column, which scoring refuses:
 * refused here first, naming both. A question id is refused in the long form too, so that a
 * worksheet turned from long to wide keeps its columns apart. An empty respondent column name
 * is refused (a header column without a name). */
static dcx_status_t template_columns(const dcx_assessment_t *a, const char *rcol, const dcx_strlist_t *attrs,
                                     int wide, dcx_error_t *err)
{
    if (!*rcol)
        return dcx_error_set(err, DCX_EINVAL, "--respondent-column: the name is empty");
    const char *src = column_source(a, rcol, wide);
    if (src)
        return dcx_error_set(err, DCX_EINVAL, "--respondent-column: '%s' is %s: choose another name", rcol, src);
    for (size_t k = 0; k < attrs->n; k++) {
        const char *at = attrs->v[k];
        if ((src = column_source(a, at, wide)))
            return dcx_error_set(err, DCX_EINVAL, "--attributes: '%s' is %s: choose another name", at, src);
        if (!strcmp(at, rcol))
            return dcx_error_set(err, DCX_EINVAL,
                                 "--attributes: '%s' is also the respondent column (--respondent-column%s)", at,
                                 strcmp(rcol, "respondent") ? "" : ", default 'respondent'");
        for (size_t j = 0; j < k; j++)
            if (!strcmp(attrs->v[j], at))
                return dcx_error_set(err, DCX_EINVAL, "--attributes: '%s' is given twice", at);
    }
    return DCX_OK;
}

dcx_status_t dcx_maturity_template(const dcx_maturity_opts_t *o, FILE *out, dcx_error_t *err)
{
    if (!o->assessment)
        return dcx_error_set(err, DCX_EINVAL, "missing --assessment A.json");
    if (o->respondents < 1 || o->respondents > 100000)
        return dcx_error_set(err, DCX_EINVAL, "--respondents must be between 1 and 100000");
    dcx_assessment_t *a;
    dcx_status_t st = dcx_assessment_load(o->assessment, &a, NULL, err);
    if (st)
        return st;
    dcx_strlist_t attrs = {0}, given = {0};
    if (o->attributes) {
        if (dcx_strlist_push(&given, o->attributes))
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        if (st || (st = split_commas(&given, &attrs, err))) {
            dcx_strlist_free(&given);
            dcx_strlist_free(&attrs);
            dcx_assessment_free(a);
            return st;
        }
    }
    dcx_strlist_free(&given);
    const char *rcol = o->respondent_column ? o->respondent_column : "respondent";
    if (!st)
        st = template_columns(a, rcol, &attrs, o->wide, err);
    int md = o->common.format && !strcmp(o->common.format, "markdown");
    int n = o->respondents;
    if (st) {
        /* nothing written */
    } else if (md) {
        fprintf(out, "# %s (version %s)\n\n", a->title, a->version);
        fputs("Respondent: ____________________\n", out);
        for (size_t k = 0; k < attrs.n; k++)
            fprintf(out, "%s: ____________________\n", attrs.v[k]);
        fprintf(out, "\nAnswer each statement from %g to %g", a->smin, a->smax);
        if (a->nlabels) {
            fputs(":", out);
            for (size_t i = 0; i < a->nlabels; i++)
                fprintf(out, "%s %g = %s", i ? ";" : "", a->smin + (double)i, a->labels[i]);
        }
        fputs(". Write N/A when a statement does not apply.\n", out);
        for (size_t d = 0; d < a->nd; d++) {
            fprintf(out, "\n## %s\n\n| # | Statement | Answer |\n| --- | --- | --- |\n", a->dims[d].name);
            for (size_t q = a->dims[d].q0; q < a->dims[d].q0 + a->dims[d].nq; q++)
                fprintf(out, "| %s | %s |  |\n", a->qs[q].id, a->qs[q].text);
        }
    } else if (o->wide) {
        /* one row per respondent, a column per statement */
        dcx_csv_quote(out, rcol, strlen(rcol));
        for (size_t k = 0; k < attrs.n; k++) {
            fputc(',', out);
            dcx_csv_quote(out, attrs.v[k], strlen(attrs.v[k]));
        }
        for (size_t q = 0; q < a->nq; q++) {
            fputc(',', out);
            dcx_csv_quote(out, a->qs[q].id, strlen(a->qs[q].id));
        }
        fputc('\n', out);
        for (int r = 1; r <= n; r++) {
            if (o->respondents > 1 || n > 1)
                fprintf(out, "r%03d", r);
            for (size_t k = 0; k < attrs.n + a->nq; k++)
                fputc(',', out);
            fputc('\n', out);
        }
    } else {
        /* long: a row per respondent and statement, with what the statement says */
        dcx_csv_quote(out, rcol, strlen(rcol));
        fputs(",question,answer", out);
        for (size_t k = 0; k < attrs.n; k++) {
            fputc(',', out);
            dcx_csv_quote(out, attrs.v[k], strlen(attrs.v[k]));
        }
        fputs(",dimension,statement\n", out);
        for (int r = 1; r <= n; r++)
            for (size_t q = 0; q < a->nq; q++) {
                if (n > 1)
                    fprintf(out, "r%03d", r);
                fputs(",", out);
                dcx_csv_quote(out, a->qs[q].id, strlen(a->qs[q].id));
                fputs(",", out);
                for (size_t k = 0; k < attrs.n; k++)
                    fputc(',', out);
                const char *dim = a->dims[a->qs[q].dim].id;
                fputs(",", out);
                dcx_csv_quote(out, dim, strlen(dim));
                fputs(",", out);
                dcx_csv_quote(out, a->qs[q].text, strlen(a->qs[q].text));
                fputs("\n", out);
            }
    }
    dcx_strlist_free(&attrs);
    dcx_assessment_free(a);
    if (st)
        return st;
    return ferror(out) ? dcx_error_set(err, DCX_EIO, "write error") : DCX_OK;
}
