/* responses.c — reading answers in wide or long form, as survey tools export them. */
#include "responses.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcx/csv.h"
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
        && dcx_parse_number(s, len, &v))
        return v >= a->smin && v <= a->smax ? (*out = v, 0) : -1;
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
    if (is->notes) {
        if (col > 0)
            dcx_strlist_pushf(is->notes, "%s:%ld:%ld: %s%s", file, line, col, msg,
                              is->policy == BAD_WARN ? " (skipped)" : "");
        else
            dcx_strlist_pushf(is->notes, "%s:%ld: %s%s", file, line, msg,
                              is->policy == BAD_WARN ? " (skipped)" : "");
    }
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

dcx_status_t responses_read(const dcx_assessment_t *a, const char *path, char delimiter,
                            bad_policy_t policy, mresponses_t *rs, dcx_strlist_t *notes,
                            dcx_error_t *err)
{
    memset(rs, 0, sizeof *rs);
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, delimiter);
    const char *file = dcx_csv_name(r);
    issue_t is = {policy, notes, err, 0};
    dcx_csv_row_t row;
    long *qcol = NULL, *acol = NULL;
    if ((st = dcx_csv_header(r, &row, "a header row", err))) {
        dcx_csv_close(r);
        return st;
    }
    long resp_c = -1, q_c = -1, ans_c = -1;
    for (size_t i = 0; i < row.n; i++) {
        if (!strcmp(row.fields[i], "respondent"))
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
                          "no 'respondent' column in the header (%s)", hint);
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
    for (size_t i = 0; i < ncols; i++) {
        qcol[i] = acol[i] = -1;
        if ((long)i == resp_c || (rs->long_form && ((long)i == q_c || (long)i == ans_c)))
            continue;
        long q = rs->long_form ? -1 : assessment_question(a, row.fields[i]);
        if (q >= 0) {
            qcol[i] = q;
        } else {
            acol[i] = (long)rs->nattr;
            rs->attr_names[rs->nattr++] = strdup(row.fields[i]);
        }
    }
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
            if (!found[q])
                dcx_strlist_pushf(notes, "%s: question '%s' has no column", file, a->qs[q].id);
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
            if (answer_value(a, row.fields[ans_c], row.lens[ans_c], &v)) {
                if (issue(&is, file, row.line, ans_c + 1,
                          "answer '%.60s' to '%s' is not on the scale (%g to %g, a label, or N/A)",
                          row.fields[ans_c], a->qs[q].id, a->smin, a->smax))
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
                    if (acol[i] >= 0)
                        resp->attr[acol[i]] = strdup(row.fields[i]);
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
                    resp->attr[acol[i]] = strdup(row.fields[i]);
                } else if (qcol[i] >= 0) {
                    double v;
                    if (answer_value(a, row.fields[i], row.lens[i], &v)) {
                        if (issue(&is, file, row.line, (long)i + 1,
                                  "answer '%.60s' to '%s' is not on the scale (%g to %g, a "
                                  "label, or N/A)",
                                  row.fields[i], a->qs[qcol[i]].id, a->smin, a->smax))
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
            if (!rs->r[i].attr[k])
                rs->r[i].attr[k] = strdup("");
    return st;
}
