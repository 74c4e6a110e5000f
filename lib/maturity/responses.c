/* responses.c — reading answers in wide or long form, as survey tools export them. */
#include "responses.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcx/csv.h"
#include "dcx/text.h"
#include "numparse.h"

void responses_free(mresponses_t *rs, size_t unused)
{
    (void)unused;
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->r[i].id);
        for (size_t k = 0; k < rs->nattr; k++)
            free(rs->r[i].attr[k]);
        free(rs->r[i].attr);
    }
    free(rs->r);
    free(rs->answers);
    for (size_t k = 0; k < rs->nattr; k++)
        free(rs->attr_names[k]);
    free(rs->attr_names);
    dcx_strmap_free(&rs->ids);
    memset(rs, 0, sizeof *rs);
}

long responses_attr(const mresponses_t *r, const char *name)
{
    for (size_t k = 0; k < r->nattr; k++)
        if (!strcmp(r->attr_names[k], name))
            return (long)k;
    return -1;
}

/* The value of an answer: a number on the scale or a label; NaN for N/A or blank.
 * @return 0, or -1 when it is neither. */
static int answer_value(const dcx_assessment_t *a, const char *s, size_t len, double *out)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    double v;
    if (len && ((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.')
        && dcx_parse_number(s, len, &v)) {
        for (size_t i = 0; i < a->nna_num; i++) /* a numeric missing code */
            if (v == a->na_num[i]) {
                *out = NAN;
                return 0;
            }
        if (!(v >= a->smin && v <= a->smax))
            return -1;
        if (a->step > 0) { /* only min + k·step is an answer */
            double k = (v - a->smin) / a->step;
            if (fabs(k - nearbyint(k)) > 1e-9 * fmax(1, fabs(k)))
                return -2;
        }
        *out = v;
        return 0;
    }
    for (size_t i = 0; i < a->nna; i++)
        if (strlen(a->na[i]) == len && !strncasecmp(a->na[i], s, len)) {
            *out = NAN;
            return 0;
        }
    if (!len) {
        *out = NAN;
        return 0;
    }
    for (size_t i = 0; i < a->nlabels; i++)
        if (strlen(a->labels[i]) == len && !strncasecmp(a->labels[i], s, len)) {
            *out = a->smin + (double)i;
            return 0;
        }
    return -1;
}

typedef struct {
    bad_policy_t policy;
    dcx_strlist_t *notes;
    dcx_error_t *err;
    int bad;
    int oom; /* a note could not be stored: reading fails with DCX_ENOMEM */
} issue_t;

/* Reports a problem with the data; @return 1 when reading must stop. */
static int issue(issue_t *is, const char *file, long line, long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static int issue(issue_t *is, const char *file, long line, long col, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (is->bad++ == 0 || is->policy == BAD_STOP)
        dcx_error_at(is->err, DCX_EPARSE, file, line, col, "%s", msg);
    if (is->policy == BAD_STOP)
        return 1;
    if (is->notes && (col > 0 ? dcx_strlist_pushf(is->notes, "%s:%ld:%ld: %s%s", file, line, col, msg,
                                                  is->policy == BAD_WARN ? " (skipped)" : "")
                              : dcx_strlist_pushf(is->notes, "%s:%ld: %s%s", file, line, msg,
                                                  is->policy == BAD_WARN ? " (skipped)" : "")))
        is->oom = 1;
    return 0;
}

static mrespondent_t *new_respondent(mresponses_t *rs, size_t nq, const char *id, size_t len,
                                     long line)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        mrespondent_t *p = realloc(rs->r, cap * sizeof *p);
        if (!p)
            return NULL;
        rs->r = p;
        rs->cap = cap;
    }
    if ((rs->n + 1) * nq > rs->acap) {
        size_t cap = rs->acap ? rs->acap * 2 : 64 * (nq ? nq : 1);
        double *p = realloc(rs->answers, cap * sizeof *p);
        if (!p)
            return NULL;
        rs->answers = p;
        rs->acap = cap;
    }
    mrespondent_t *r = &rs->r[rs->n];
    memset(r, 0, sizeof *r);
    r->id = malloc(len + 1);
    r->ans = NULL; /* pointed into the block once reading is done (the block may move) */
    double *ans = rs->answers + rs->n * nq;
    r->attr = rs->nattr ? calloc(rs->nattr, sizeof *r->attr) : NULL;
    if (!r->id || (rs->nattr && !r->attr)) {
        free(r->id);
        free(r->attr);
        return NULL;
    }
    memcpy(r->id, id, len);
    r->id[len] = '\0';
    for (size_t q = 0; q < nq; q++)
        ans[q] = NAN;
    r->line = line;
    rs->n++;
    return r;
}

/* The question a header that is not a question id probably meant (within edit distance
 * 2, case and surrounding spaces ignored), or -1; -2 when out of memory. Comparisons are
 * bounded so that a header of many unknown columns cannot make this quadratic. */
static long probable_question(const dcx_assessment_t *a, const char *h, size_t *budget)
{
    while (*h == ' ' || *h == '\t')
        h++;
    size_t lh = strlen(h);
    while (lh && (h[lh - 1] == ' ' || h[lh - 1] == '\t'))
        lh--;
    if (!lh)
        return -1;
    long best = -1;
    size_t bestd = 3;
    for (size_t q = 0; q < a->nq && *budget; q++, (*budget)--) {
        size_t d = dcx_edit_distance(h, lh, a->qs[q].id, strlen(a->qs[q].id), 2);
        if (d == SIZE_MAX)
            return -2;
        if (d < bestd) {
            bestd = d;
            best = (long)q;
        }
    }
    return best;
}

static const char *why_not_answer(int code)
{
    return code == -2 ? "is not a step of the scale" : "is not on the scale";
}

dcx_status_t responses_read(const dcx_assessment_t *a, const char *path, const resp_opts_t *ro,
                            mresponses_t *rs, dcx_strlist_t *notes, dcx_error_t *err)
{
    char delimiter = ro->delimiter;
    bad_policy_t policy = ro->policy;
    const char *rcol = ro->respondent_column ? ro->respondent_column : "respondent";
    memset(rs, 0, sizeof *rs);
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, delimiter);
    const char *file = dcx_csv_name(r);
    issue_t is = {policy, notes, err, 0, 0};
    dcx_csv_row_t row;
    long *qcol = NULL, *acol = NULL;
    if ((st = dcx_csv_header(r, &row, "a header row", err))) {
        dcx_csv_close(r);
        return st;
    }
    long resp_c = -1, q_c = -1, ans_c = -1;
    for (size_t i = 0; i < row.n; i++) {
        if (!strcmp(row.fields[i], rcol))
            resp_c = (long)i;
        else if (!strcmp(row.fields[i], "question"))
            q_c = (long)i;
        else if (!strcmp(row.fields[i], "answer"))
            ans_c = (long)i;
    }
    if (resp_c < 0) {
        char hint[256];
        dcx_csv_header_hint(&row, hint, sizeof hint);
        st = dcx_error_at(err, DCX_EPARSE, file, row.line, 0,
                          "no '%s' column in the header (%s)%s", rcol, hint,
                          strcmp(rcol, "respondent") ? "" : "; name the id column with --respondent-column");
        dcx_csv_close(r); /* after: `file` is the reader's */
        return st;
    }
    rs->long_form = q_c >= 0 && ans_c >= 0;
    size_t ncols = row.n;
    qcol = malloc(ncols * sizeof *qcol);   /* wide: column -> question (or -1) */
    acol = malloc(ncols * sizeof *acol);   /* column -> attribute (or -1) */
    rs->attr_names = calloc(ncols, sizeof *rs->attr_names);
    if (!qcol || !acol || !rs->attr_names) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    size_t budget = 50000000; /* edit-distance comparisons for misspelt question columns */
    for (size_t i = 0; i < ncols; i++) {
        qcol[i] = acol[i] = -1;
        if ((long)i == resp_c || (rs->long_form && ((long)i == q_c || (long)i == ans_c)))
            continue;
        /* the worksheet's per-row descriptions (dcx maturity template) are no attributes */
        if (rs->long_form && (!strcmp(row.fields[i], "dimension") || !strcmp(row.fields[i], "statement")))
            continue;
        long q = rs->long_form ? -1 : assessment_question(a, row.fields[i]);
        if (q >= 0) {
            qcol[i] = q;
            continue;
        }
        /* a column that is almost a question id is a misspelt question, not an attribute:
         * taken as an attribute it would silently lose every answer in it */
        long near = rs->long_form ? -1 : probable_question(a, row.fields[i], &budget);
        if (near == -2) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        if (near >= 0) {
            if (policy == BAD_WARN) {
                if (notes && dcx_strlist_pushf(notes, "%s:%ld:%zu: column '%s' is not a question id; "
                                                      "did you mean '%s'? (taken as a respondent attribute)",
                                               file, row.line, i + 1, row.fields[i], a->qs[near].id))
                    is.oom = 1;
            } else if (issue(&is, file, row.line, (long)i + 1,
                             "column '%.80s' is not a question id; did you mean '%s'? (rename the "
                             "column, or give --lenient to keep it as an attribute)",
                             row.fields[i], a->qs[near].id)) {
                st = DCX_EPARSE;
                goto done;
            }
        }
        acol[i] = (long)rs->nattr;
        if (!(rs->attr_names[rs->nattr] = strdup(row.fields[i]))) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        rs->nattr++;
    }
    if (!rs->long_form && !budget && notes
        && dcx_strlist_pushf(notes, "%s: too many columns that are not question ids to check them "
                                    "all for misspellings",
                             file))
        is.oom = 1;
    if (!rs->long_form && notes) {
        unsigned char *found = calloc(a->nq + 1, 1);
        if (!found) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < ncols; i++)
            if (qcol[i] >= 0)
                found[qcol[i]] = 1;
        for (size_t q = 0; q < a->nq; q++)
            if (!found[q] && dcx_strlist_pushf(notes, "%s: question '%s' has no column", file, a->qs[q].id))
                is.oom = 1;
        free(found);
    }
    dcx_csv_expect_width(r, ncols);
    char *seen = NULL; /* long form: which (respondent, question) pairs are answered */
    size_t seen_cap = 0;
    int got;
    while ((got = dcx_csv_next(r, &row, err)) > 0) {
        const char *id = row.fields[resp_c];
        size_t idlen = row.lens[resp_c];
        if (dcx_is_blank(id, idlen)) {
            if (issue(&is, file, row.line, resp_c + 1, "empty respondent"))
                goto stop;
            continue;
        }
        long k = dcx_strmap_get(&rs->ids, id, idlen);
        mrespondent_t *resp;
        if (rs->long_form) {
            long q = assessment_question(a, row.fields[q_c]);
            if (q < 0) {
                if (issue(&is, file, row.line, q_c + 1, "unknown question id '%.80s'",
                          row.fields[q_c]))
                    goto stop;
                continue;
            }
            double v;
            int why = answer_value(a, row.fields[ans_c], row.lens[ans_c], &v);
            if (why) {
                if (issue(&is, file, row.line, ans_c + 1,
                          "answer '%.60s' to '%s' %s (%g to %g in steps of %g, a label, or a missing code)",
                          row.fields[ans_c], a->qs[q].id, why_not_answer(why), a->smin, a->smax, a->step))
                    goto stop;
                continue;
            }
            if (k < 0) {
                if (!(resp = new_respondent(rs, a->nq, id, idlen, row.line))
                    || dcx_strmap_put(&rs->ids, id, idlen) < 0) {
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                    goto done_seen;
                }
                k = (long)rs->n - 1;
                for (size_t i = 0; i < ncols; i++)
                    if (acol[i] >= 0 && !(resp->attr[acol[i]] = strdup(row.fields[i]))) {
                        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                        goto done_seen;
                    }
                size_t need = rs->n * a->nq;
                if (need > seen_cap) {
                    size_t cap = seen_cap ? seen_cap * 2 : 1024;
                    while (cap < need)
                        cap *= 2;
                    char *p = realloc(seen, cap);
                    if (!p) {
                        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                        goto done_seen;
                    }
                    memset(p + seen_cap, 0, cap - seen_cap);
                    seen = p;
                    seen_cap = cap;
                }
            } else {
                /* a respondent's attributes are the same on every row: a change would
                 * otherwise be ignored without a word */
                resp = &rs->r[k];
                int conflict = 0;
                for (size_t i = 0; i < ncols && !conflict; i++)
                    if (acol[i] >= 0 && resp->attr[acol[i]] && strcmp(resp->attr[acol[i]], row.fields[i])) {
                        conflict = 1;
                        if (issue(&is, file, row.line, (long)i + 1,
                                  "respondent '%s' has %s '%.60s' here but '%.60s' on line %ld",
                                  resp->id, rs->attr_names[acol[i]], row.fields[i], resp->attr[acol[i]],
                                  resp->line))
                            goto stop;
                    }
                if (conflict)
                    continue;
            }
            resp = &rs->r[k];
            if (seen[(size_t)k * a->nq + (size_t)q]) {
                if (issue(&is, file, row.line, q_c + 1,
                          "duplicate answer of respondent '%s' to '%s'", resp->id, a->qs[q].id))
                    goto stop;
                continue;
            }
            seen[(size_t)k * a->nq + (size_t)q] = 1;
            rs->answers[(size_t)k * a->nq + (size_t)q] = v;
        } else {
            if (k >= 0) {
                if (issue(&is, file, row.line, resp_c + 1,
                          "duplicate respondent '%s' (first on line %ld)", rs->r[k].id,
                          rs->r[k].line))
                    goto stop;
                continue;
            }
            if (!(resp = new_respondent(rs, a->nq, id, idlen, row.line))
                || dcx_strmap_put(&rs->ids, id, idlen) < 0) {
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                goto done_seen;
            }
            for (size_t i = 0; i < ncols; i++) {
                if (acol[i] >= 0) {
                    if (!(resp->attr[acol[i]] = strdup(row.fields[i]))) {
                        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                        goto done_seen;
                    }
                } else if (qcol[i] >= 0) {
                    double v;
                    int why = answer_value(a, row.fields[i], row.lens[i], &v);
                    if (why) {
                        if (issue(&is, file, row.line, (long)i + 1,
                                  "answer '%.60s' to '%s' %s (%g to %g in steps of %g, a label, "
                                  "or a missing code)",
                                  row.fields[i], a->qs[qcol[i]].id, why_not_answer(why), a->smin,
                                  a->smax, a->step))
                            goto stop;
                        v = NAN;
                    }
                    rs->answers[(rs->n - 1) * a->nq + (size_t)qcol[i]] = v;
                }
            }
        }
    }
    if (got < 0)
        st = err->code;
    else if (is.bad && policy != BAD_WARN)
        st = DCX_EPARSE;
    goto done_seen;
stop:
    st = DCX_EPARSE;
done_seen:
    free(seen);
done:
    free(qcol);
    free(acol);
    dcx_csv_close(r);
    /* answers: point every row into the final block; attributes never set read as "" */
    for (size_t i = 0; i < rs->n; i++)
        rs->r[i].ans = rs->answers + i * a->nq;
    for (size_t i = 0; i < rs->n; i++)
        for (size_t k = 0; k < rs->nattr; k++)
            if (!rs->r[i].attr[k] && !(rs->r[i].attr[k] = strdup("")))
                is.oom = 1;
    if (is.oom && (st == DCX_OK || st == DCX_EPARSE))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return st;
}
