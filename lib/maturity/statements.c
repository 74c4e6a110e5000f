/* statements.c — the "items" of a score document: each statement's answers (how many, their
 * mean and spread on the scored scale, the distribution over the raw scale points, the share
 * agreeing) and how it hangs together with its dimension (psych::alpha's r.drop and
 * alpha.drop over the dimension's complete cases). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "dcx/moments.h"
#include "doc_util.h"
#include "scoring.h"

/* Per statement of dimension d, over the respondents who answered every statement of it that
 * the file has: the item's moments with the total (x, T). */
static void complete_moments(const dcx_assessment_t *a, const mresponses_t *rs, size_t d, dcx_moments_t *m)
{
    const mdimension_t *dm = &a->dims[d];
    for (size_t j = 0; j < dm->nq; j++)
        dcx_moments_init(&m[j]);
    for (size_t i = 0; i < rs->n; i++) {
        const double *x = rs->r[i].ans + dm->q0;
        double total = 0;
        int all = 1;
        for (size_t j = 0; j < dm->nq && all; j++) {
            if (rs->present && !rs->present[dm->q0 + j])
                continue;
            if (isnan(x[j]))
                all = 0;
            else
                total += item_score(a, dm->q0 + j, x[j]);
        }
        if (!all)
            continue;
        for (size_t j = 0; j < dm->nq; j++)
            if (!rs->present || rs->present[dm->q0 + j])
                dcx_moments_add2(&m[j], item_score(a, dm->q0 + j, x[j]), total);
    }
}

/* r_drop and alpha_if_dropped of every statement of dimension d into e[j]. */
static void drop_stats(cJSON **e, const dcx_assessment_t *a, const mresponses_t *rs, size_t d)
{
    const mdimension_t *dm = &a->dims[d];
    dcx_moments_t *m = calloc(dm->nq, sizeof *m);
    if (!m) {
        doc_fail();
        return;
    }
    complete_moments(a, rs, d, m);
    size_t k = 0;
    double sv = 0, vt = NAN, nc = 0;
    for (size_t j = 0; j < dm->nq; j++)
        if (!rs->present || rs->present[dm->q0 + j]) {
            k++;
            sv += dcx_moments_var_x(&m[j]);
            vt = dcx_moments_var_y(&m[j]);
            nc = m[j].n;
        }
    for (size_t j = 0; j < dm->nq; j++) {
        double rd = NAN, ad = NAN;
        const char *why = NULL;
        if (rs->present && !rs->present[dm->q0 + j])
            why = "the statement has no column";
        else if (k < 2)
            why = "needs 2 statements with a column";
        else if (nc < 2)
            why = "needs 2 respondents who answered every statement of the dimension";
        else {
            double vi = dcx_moments_var_x(&m[j]), ci = dcx_moments_cov_xy(&m[j]);
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
    free(m);
}

void statements_doc(cJSON *doc, const dcx_assessment_t *a, const mresponses_t *rs)
{
    cJSON *items = doc_arr(doc, "items");
    /* the raw scale points a distribution counts (none when any value is an answer) */
    double np = a->step > 0 ? floor((a->smax - a->smin) / a->step + 0.5) + 1 : 0;
    size_t npoints = np >= 2 && np <= 101 ? (size_t)np : 0;
    size_t *count = calloc(npoints + 1, sizeof *count);
    if (!count) {
        doc_fail();
        return;
    }
    for (size_t d = 0; d < a->nd; d++) {
        const mdimension_t *dm = &a->dims[d];
        cJSON **e = calloc(dm->nq + 1, sizeof *e);
        if (!e) {
            doc_fail();
            break;
        }
        for (size_t j = 0; j < dm->nq; j++) {
            size_t q = dm->q0 + j;
            dcx_moments_t m;
            dcx_moments_init(&m);
            for (size_t p = 0; p < npoints; p++)
                count[p] = 0;
            double agree = 0;
            for (size_t i = 0; i < rs->n; i++) {
                double x = rs->r[i].ans[q];
                if (isnan(x))
                    continue;
                dcx_moments_add(&m, item_score(a, q, x));
                if (npoints) {
                    size_t p = (size_t)floor((x - a->smin) / a->step + 0.5);
                    if (p < npoints)
                        count[p]++;
                    agree += p + 2 >= npoints; /* the top two points of the raw scale */
                }
            }
            cJSON *it = e[j] = cJSON_CreateObject();
            doc_str(it, "id", a->qs[q].id);
            doc_str(it, "dimension", dm->id);
            doc_str(it, "text", a->qs[q].text);
            doc_num(it, "n", m.n);
            doc_num(it, "missing", (double)rs->n - m.n);
            doc_num_or_null(it, "mean", dcx_moments_mean_x(&m), m.n ? NULL : "no answers");
            doc_num(it, "sd", m.n >= 2 ? sqrt(dcx_moments_var_x(&m)) : NAN);
            if (npoints) {
                cJSON *dist = doc_obj(it, "distribution");
                for (size_t p = 0; p < npoints; p++) {
                    char key[40];
                    snprintf(key, sizeof key, "%.15g", a->smin + (double)p * a->step);
                    doc_num_copykey(dist, key, (double)count[p]);
                }
                doc_num(it, "agree_share", m.n ? agree / m.n : NAN);
            } else {
                doc_null(it, "distribution");
                doc_null(it, "agree_share");
                doc_note(it, "the scale has no steps to count answers by");
            }
            if (a->qs[q].reverse)
                doc_bool(it, "reverse", 1);
        }
        drop_stats(e, a, rs, d);
        for (size_t j = 0; j < dm->nq; j++)
            doc_push(items, e[j]);
        free(e);
    }
    free(count);
}
