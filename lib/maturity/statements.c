/* statements.c — the "items" of a score document: each statement's answers (how many, their
 * mean and spread on the scored scale, the distribution over the raw scale points, the share
 * agreeing) and how it hangs together with its dimension (psych::alpha's r.drop and
 * alpha.drop over the dimension's complete cases). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "doc_util.h"
#include "scoring.h"

int itemsums_make(const dcx_assessment_t *a, itemsums_t *is)
{
    double np = a->step > 0 ? floor((a->smax - a->smin) / a->step + 0.5) + 1 : 0;
    is->npoints = np >= 2 && np <= 101 ? (size_t)np : 0;
    is->q = calloc(IS_N * a->nq + 1, sizeof *is->q);
    is->t = calloc(3 * a->nd + 1, sizeof *is->t);
    is->count = calloc(a->nq * is->npoints + 1, sizeof *is->count);
    return is->q && is->t && is->count ? 0 : -1;
}

void itemsums_free(itemsums_t *is)
{
    free(is->q);
    free(is->t);
    free(is->count);
}

/* r_drop and alpha_if_dropped of every statement of dimension d into e[j]: the correlation
 * of the statement with the sum of the others, and the dimension's alpha without it, over
 * its complete cases (psych::alpha's r.drop and alpha.drop). */
static void drop_stats(cJSON **e, const dcx_assessment_t *a, const mresponses_t *rs, const itemsums_t *is,
                       size_t d)
{
    const mdimension_t *dm = &a->dims[d];
    double nc = is->t[3 * d], st = is->t[3 * d + 1], stt = is->t[3 * d + 2];
    size_t k = 0;
    double sv = 0, vt = nc >= 2 ? (stt - st * st / nc) / (nc - 1) : NAN;
    for (size_t j = 0; j < dm->nq; j++)
        if (!rs->present || rs->present[dm->q0 + j]) {
            const double *m = is->q + IS_N * (dm->q0 + j);
            k++;
            sv += (m[4] - m[3] * m[3] / nc) / (nc - 1);
        }
    for (size_t j = 0; j < dm->nq; j++) {
        const double *m = is->q + IS_N * (dm->q0 + j);
        double rd = NAN, ad = NAN;
        const char *why = NULL;
        if (rs->present && !rs->present[dm->q0 + j])
            why = "the statement has no column";
        else if (k < 2)
            why = "needs 2 statements with a column";
        else if (nc < 2)
            why = "needs 2 respondents who answered every statement of the dimension";
        else {
            double vi = (m[4] - m[3] * m[3] / nc) / (nc - 1), ci = (m[5] - m[3] * st / nc) / (nc - 1);
            double vrest = vt - 2 * ci + vi, crest = ci - vi;
            if (vi > 0 && vrest > 0)
                rd = crest / sqrt(vi * vrest);
            if (k >= 3 && vrest > 0)
                ad = (double)(k - 1) / (double)(k - 2) * (1 - (sv - vi) / vrest);
            if (isnan(rd))
                why = "the statement or the rest does not vary";
            else if (k < 3)
                why = "alpha without it needs 2 other statements";
        }
        doc_num(e[j], "r_drop", rd);
        doc_num(e[j], "alpha_if_dropped", ad);
        if (why)
            doc_note(e[j], why);
    }
}

void statements_doc(cJSON *doc, const dcx_assessment_t *a, const mresponses_t *rs, const itemsums_t *is)
{
    cJSON *items = doc_arr(doc, "items");
    size_t npoints = is->npoints;
    for (size_t d = 0; d < a->nd; d++) {
        const mdimension_t *dm = &a->dims[d];
        cJSON **e = calloc(dm->nq + 1, sizeof *e);
        if (!e) {
            doc_fail();
            break;
        }
        for (size_t j = 0; j < dm->nq; j++) {
            size_t q = dm->q0 + j;
            const double *m = is->q + IS_N * q;
            double n = m[0], mean = n ? m[IS_C] + m[1] / n : NAN,
                   var = n >= 2 ? (m[2] - m[1] * m[1] / n) / (n - 1) : NAN;
            cJSON *it = e[j] = cJSON_CreateObject();
            doc_str(it, "id", a->qs[q].id);
            doc_str(it, "dimension", dm->id);
            doc_str(it, "text", a->qs[q].text);
            doc_num(it, "n", n);
            doc_num(it, "missing", (double)rs->n - n);
            doc_num_or_null(it, "mean", mean + a->smin, n ? NULL : "no answers");
            doc_num(it, "sd", var >= 0 ? sqrt(var) : (n >= 2 ? 0 : NAN));
            if (npoints) {
                cJSON *dist = doc_obj(it, "distribution");
                double agree = 0;
                for (size_t p = 0; p < npoints; p++) {
                    char key[40];
                    snprintf(key, sizeof key, "%.15g", a->smin + (double)p * a->step);
                    doc_num_copykey(dist, key, (double)is->count[q * npoints + p]);
                    if (p + 2 >= npoints) /* the top two points of the raw scale */
                        agree += (double)is->count[q * npoints + p];
                }
                doc_num(it, "agree_share", n ? agree / n : NAN);
            } else {
                doc_null(it, "distribution");
                doc_null(it, "agree_share");
                doc_note(it, "the scale has no steps to count answers by");
            }
            if (a->qs[q].reverse)
                doc_bool(it, "reverse", 1);
        }
        drop_stats(e, a, rs, is, d);
        for (size_t j = 0; j < dm->nq; j++)
            doc_push(items, e[j]);
        free(e);
    }
}
