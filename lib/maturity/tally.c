/* tally.c — what the statistics of a set of respondents need, gathered one respondent at a
 * time, so that no answer is kept: per question the answers' count and sums (rwg, the
 * statements) and the sums over the dimension's complete cases with the cross-product with
 * their total (Cronbach's alpha, r_drop, alpha_if_dropped); per dimension the scores' count,
 * sum and shifted sums of squares, weighted and unweighted (score, sd, se, the ICC's
 * within-group sum of squares), the answered weight (coverage) and the complete cases'
 * totals. A respondent's item and dimension scores are worked out once (tally_row_set) and
 * added to every tally they belong to (everyone, and their group in each breakdown).
 *
 * Numbers: every sum of squares or products is taken around a shift, so that a spread small
 * against the values' size does not cancel away: each item's answers around the first answer
 * the tally saw (on a scale of whole steps the sums are then exact below 2^53), a complete
 * case's total around the sum of those shifts (covariances do not change with a shift), a
 * dimension's scores around the first score, and the spread around the mean recovered as
 * Σ(s − c)² − 2δΣ(s − c) + δ²n with δ = mean − c (docs/methods.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/stats.h"
#include "doc_util.h"
#include "scoring.h"

/* the per-dimension sums of a tally, TD of them */
enum {
    T_AW,   /* answered item weight, over every respondent */
    T_SN,   /* respondents with a score */
    T_SS,   /* Σ s */
    T_TN,   /* complete cases */
    T_TS,   /* Σ T (T: a complete case's sum of shifted item scores) */
    T_TSS,  /* Σ T² */
    T_C,    /* the shift c: the tally's first score */
    T_S1,   /* Σ (s − c) */
    T_S2,   /* Σ (s − c)² */
    T_W,    /* weighted: Σ w */
    T_WS,   /* Σ w s */
    T_W1,   /* Σ w (s − c) */
    T_W2,   /* Σ w (s − c)² */
    T_V0,   /* Σ w² */
    T_V1,   /* Σ w² (s − c) */
    T_V2,   /* Σ w² (s − c)² */
    TD
};

/* Whether question q has a column in the file (or, in long form, an answer). */
static int present(const mresponses_t *rs, size_t q)
{
    return !rs->present || rs->present[q];
}

int tally_make(const dcx_assessment_t *a, tally_t *t)
{
    memset(t, 0, sizeof *t);
    t->item = calloc(IS_N * a->nq + 1, sizeof *t->item);
    t->dim = calloc(TD * a->nd + 1, sizeof *t->dim);
    return t->item && t->dim ? 0 : -1;
}

void tally_free(tally_t *t)
{
    if (!t)
        return;
    free(t->item);
    free(t->dim);
    t->item = t->dim = NULL;
}

int tally_row_make(const dcx_assessment_t *a, tally_row_t *x)
{
    memset(x, 0, sizeof *x);
    x->v = malloc((a->nq + 1) * sizeof *x->v);
    x->score = malloc((a->nd + 1) * sizeof *x->score);
    x->answered = malloc((a->nd + 1) * sizeof *x->answered);
    x->complete = malloc(a->nd + 1);
    return x->v && x->score && x->answered && x->complete ? 0 : -1;
}

void tally_row_free(tally_row_t *x)
{
    free(x->v);
    free(x->score);
    free(x->answered);
    free(x->complete);
}

/* The respondent's item scores (less the scale's minimum), dimension scores Σ w_q s_q / Σ w_q
 * over the answered statements (NaN below min_answered), answered weights, and per dimension
 * whether every statement with a column is answered (a complete case). */
void tally_row_set(const dcx_assessment_t *a, const mresponses_t *rs, const double *ans, double min_answered,
                   double w, tally_row_t *x)
{
    x->w = w;
    for (size_t d = 0; d < a->nd; d++) {
        const mdimension_t *dm = &a->dims[d];
        double sw = 0, sws = 0, total = 0;
        int all = 1;
        for (size_t q = dm->q0; q < dm->q0 + dm->nq; q++) {
            total += a->qs[q].weight;
            if (isnan(ans[q])) {
                x->v[q] = NAN;
                all &= !present(rs, q); /* an item without a column does not count */
                continue;
            }
            double s = item_score(a, q, ans[q]);
            sw += a->qs[q].weight;
            sws += a->qs[q].weight * s;
            x->v[q] = s - a->smin;
        }
        x->answered[d] = sw;
        x->score[d] = sw == 0 || sw / total < min_answered - 1e-12 ? NAN : sws / sw;
        x->complete[d] = (unsigned char)all;
    }
}

void tally_add(const dcx_assessment_t *a, tally_t *t, const tally_row_t *x, int weighted)
{
    double w = x->w;
    t->n++;
    t->wsum += w;
    for (size_t d = 0; d < a->nd; d++) {
        const mdimension_t *dm = &a->dims[d];
        double *D = t->dim + TD * d, s = x->score[d];
        D[T_AW] += x->answered[d];
        if (!isnan(s)) {
            if (D[T_SN] == 0)
                D[T_C] = s;
            double dv = s - D[T_C];
            D[T_SN]++;
            D[T_SS] += s;
            D[T_S1] += dv;
            D[T_S2] += dv * dv;
            if (weighted) {
                D[T_W] += w;
                D[T_WS] += w * s;
                D[T_W1] += w * dv;
                D[T_W2] += w * dv * dv;
                D[T_V0] += w * w;
                D[T_V1] += w * w * dv;
                D[T_V2] += w * w * dv * dv;
            }
        }
        double *it = t->item + IS_N * dm->q0;
        const double *v = x->v + dm->q0;
        for (size_t j = 0; j < dm->nq; j++)
            if (!isnan(v[j])) {
                double *m = it + IS_N * j;
                if (m[0] == 0)
                    m[IS_C] = v[j];
                double u = v[j] - m[IS_C];
                m[0]++;
                m[1] += u;
                m[2] += u * u;
            }
        if (x->complete[d]) { /* every answered item has its shift by now */
            double T = 0;
            for (size_t j = 0; j < dm->nq; j++)
                if (!isnan(v[j]))
                    T += v[j] - it[IS_N * j + IS_C];
            for (size_t j = 0; j < dm->nq; j++)
                if (!isnan(v[j])) {
                    double *m = it + IS_N * j, u = v[j] - m[IS_C];
                    m[3] += u;
                    m[4] += u * u;
                    m[5] += u * T;
                }
            D[T_TN]++;
            D[T_TS] += T;
            D[T_TSS] += T * T;
        }
    }
}

/* Σ (s − m)² from sums around c: n0 = Σ1 (or Σw), s1 = Σ(s − c), s2 = Σ(s − c)², m the mean
 * the spread is taken around. Never below 0. */
static double spread(double n0, double s1, double s2, double c, double m)
{
    double delta = m - c, v = s2 - 2 * delta * s1 + delta * delta * n0;
    return v > 0 ? v : 0;
}

double tally_sum(const tally_t *t, size_t d)
{
    return t->dim[TD * d + T_SS];
}

double tally_count(const tally_t *t, size_t d)
{
    return t->dim[TD * d + T_SN];
}

double tally_ss(const tally_t *t, size_t d)
{
    const double *D = t->dim + TD * d;
    return D[T_SN] > 0 ? spread(D[T_SN], D[T_S1], D[T_S2], D[T_C], D[T_SS] / D[T_SN]) : 0;
}

void tally_result(const dcx_assessment_t *a, const mresponses_t *rs, const tally_t *t, int weighted,
                  itemsums_t *is, dimres_t *res)
{
    double n = t->n;
    for (size_t d = 0; d < a->nd; d++) {
        const mdimension_t *dm = &a->dims[d];
        const double *D = t->dim + TD * d;
        dimres_t *out = &res[d];
        double sn = D[T_SN], tn = D[T_TN], ts = D[T_TS], tss = D[T_TSS];
        double qweight = 0;
        for (size_t q = dm->q0; q < dm->q0 + dm->nq; q++)
            qweight += a->qs[q].weight;
        if (is) {
            memcpy(is->q + IS_N * dm->q0, t->item + IS_N * dm->q0, IS_N * dm->nq * sizeof *t->item);
            is->t[3 * d] = tn;
            is->t[3 * d + 1] = ts;
            is->t[3 * d + 2] = tss;
        }
        out->n = sn;
        out->score = sn > 0 ? D[T_SS] / sn : NAN;
        out->sd = sn >= 2 ? sqrt(tally_ss(t, d) / (sn - 1)) : NAN;
        out->se = sn >= 2 ? out->sd / sqrt(sn) : NAN;
        if (weighted && sn > 0) {
            /* weighted: the mean Σ w s / Σ w, its standard error by linearisation as
             * survey::svymean with svydesign(ids = ~1, weights = ~w): √(n/(n−1) Σ w²(s − m)²)/Σ w;
             * sd the weighted sd √(Σ w (s − m)²/Σ w · n/(n−1)) */
            double sw = D[T_W], k = sn >= 2 ? sn / (sn - 1) : NAN, m = D[T_WS] / sw;
            out->score = m;
            out->sd = sqrt(spread(sw, D[T_W1], D[T_W2], D[T_C], m) / sw * k);
            out->se = sqrt(k * spread(D[T_V0], D[T_V1], D[T_V2], D[T_C], m)) / sw;
        }
        out->ci_lo = out->ci_hi = NAN;
        if (sn >= 2) {
            double tq = dcx_dist_t_quantile(0.025, sn - 1, 0), half = tq * out->se;
            out->ci_lo = out->score - half;
            out->ci_hi = out->score + half;
        }
        out->coverage = n > 0 ? D[T_AW] / (n * qweight) : NAN;
        const double *it = t->item + IS_N * dm->q0;
        /* Cronbach's alpha over respondents who answered every item present in the file */
        out->alpha = NAN;
        out->alpha_note = NULL;
        out->alpha_items[0] = '\0';
        size_t kp = 0;
        for (size_t j = 0; j < dm->nq; j++)
            kp += present(rs, dm->q0 + j);
        if (kp < 2) {
            out->alpha_note = dm->nq < 2 ? "alpha needs at least 2 items" : "alpha needs at least 2 items with a column";
        } else if (tn < 2) {
            out->alpha_note = "alpha needs 2 respondents who answered every item";
        } else {
            double sv = 0, k = (double)kp, vt = (tss - ts * ts / tn) / (tn - 1);
            for (size_t j = 0; j < dm->nq; j++)
                if (present(rs, dm->q0 + j))
                    sv += (it[IS_N * j + 4] - it[IS_N * j + 3] * it[IS_N * j + 3] / tn) / (tn - 1);
            if (vt > 1e-12 * (1 + ts * ts / (tn * tn)))
                out->alpha = k / (k - 1) * (1 - sv / vt);
            else
                out->alpha_note = "alpha is undefined: total scores do not vary";
            if (kp < dm->nq) { /* say which items it stands on */
                size_t len = (size_t)snprintf(out->alpha_items, sizeof out->alpha_items,
                                              "alpha is over the %zu statements with a column (without", kp);
                for (size_t j = 0; j < dm->nq && len < sizeof out->alpha_items; j++)
                    if (!present(rs, dm->q0 + j))
                        len += (size_t)snprintf(out->alpha_items + len, sizeof out->alpha_items - len, " %s",
                                                a->qs[dm->q0 + j].id);
                if (len < sizeof out->alpha_items)
                    snprintf(out->alpha_items + len, sizeof out->alpha_items - len, ")");
            }
        }
        /* rwg(J): mean item variance against the uniform null σ² = (A² − 1)/12 */
        out->rwg = NAN;
        out->rwg_note = NULL;
        double A = a->smax - a->smin + 1, sigma2 = (A * A - 1) / 12, sbar = 0;
        size_t J = 0;
        for (size_t j = 0; j < dm->nq; j++)
            if (it[IS_N * j] >= 2) {
                double nj = it[IS_N * j], v = (it[IS_N * j + 2] - it[IS_N * j + 1] * it[IS_N * j + 1] / nj) / (nj - 1);
                sbar += v > 0 ? v : 0;
                J++;
            }
        if (J == 0) {
            out->rwg_note = "rwg needs an item with at least 2 answers";
        } else {
            double ratio = sbar / (double)J / sigma2, Jd = (double)J;
            double v = ratio >= 1 ? 0 : Jd * (1 - ratio) / (Jd * (1 - ratio) + ratio);
            out->rwg = v < 0 ? 0 : (v > 1 ? 1 : v);
        }
    }
}

void tally_count_points(const dcx_assessment_t *a, itemsums_t *is, const double *ans)
{
    size_t npoints = is->npoints;
    if (!npoints)
        return;
    for (size_t q = 0; q < a->nq; q++)
        if (!isnan(ans[q])) {
            size_t p = (size_t)((ans[q] - a->smin) / a->step + 0.5);
            if (p < npoints)
                is->count[q * npoints + p]++;
        }
}
