/* score.c — `dcx maturity score`: the score document of docs/formats.md. */
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

/* ---- the score document ---------------------------------------------------------------- */

/* Builds "overall" and "dimensions" for respondents idx[0..n) into parent. */
static void score_block(cJSON *parent, const dcx_assessment_t *a, const mresponses_t *rs,
                        const dimscores_t *ds, const size_t *idx, size_t n,
                        const double *target, dcx_strlist_t *warnings, cJSON **order_out)
{
    dimres_t *res = calloc(a->nd, sizeof *res);
    double *prio = calloc(a->nd, sizeof *prio);
    if (!res || !prio) {
        free(res);
        free(prio);
        doc_fail();
        return;
    }
    double wsum = 0, wscore = 0, wall = 0, wtarget = 0, wt = 0, gapw = 0, spanw = 0;
    for (size_t d = 0; d < a->nd; d++) {
        score_dim(a, rs, ds, idx, n, d, &res[d]);
        wall += a->dims[d].weight;
        if (!isnan(res[d].score)) {
            wsum += a->dims[d].weight;
            wscore += a->dims[d].weight * oriented(a, d, res[d].score);
        }
        if (!isnan(target[d])) {
            wt += a->dims[d].weight;
            wtarget += a->dims[d].weight * oriented(a, d, target[d]);
        }
    }
    double overall = wsum > 0 ? wscore / wsum : NAN;
    double otarget = wt > 0 ? wtarget / wt : NAN;
    cJSON *dims = cJSON_CreateArray();
    for (size_t d = 0; d < a->nd; d++) {
        const mdimension_t *dm = &a->dims[d];
        dimres_t *r = &res[d];
        cJSON *e = cJSON_CreateObject();
        doc_str(e, "id", dm->id);
        doc_str(e, "name", dm->name);
        doc_num(e, "weight", dm->weight);
        doc_num_or_null(e, "score", r->score, "no respondent answered enough of this dimension");
        /* judged on the oriented score; score, ci and target stay as measured */
        double o = oriented(a, d, r->score);
        doc_num(e, "index", 100 * (o - a->smin) / (a->smax - a->smin));
        long lvl;
        level_fields(e, a, o, &lvl);
        doc_num(e, "n", r->n);
        doc_num_or_null(e, "sd", r->sd, "sd needs 2 respondents");
        if (isfinite(r->ci_lo))
            doc_interval(e, "ci", r->ci_lo, r->ci_hi, NULL);
        else {
            doc_null(e, "ci");
            doc_note(e, "ci needs 2 respondents");
        }
        doc_num(e, "coverage", r->coverage);
        doc_num_or_null(e, "alpha", r->alpha, r->alpha_note);
        if (r->alpha_items[0])
            doc_note(e, r->alpha_items);
        doc_num_or_null(e, "rwg", r->rwg, r->rwg_note);
        double gap = NAN;
        prio[d] = NAN;
        if (!isnan(target[d]) && !isnan(r->score)) {
            /* on the oriented scale: where lower is better, how far the score is above target */
            double ot = oriented(a, d, target[d]);
            gap = fmax(0, ot - o);
            prio[d] = gap * dm->weight / wall;
            gapw += gap * dm->weight;
            spanw += fmax(0, ot - a->smin) * dm->weight;
        }
        doc_num(e, "target", target[d]);
        doc_num(e, "gap", gap);
        doc_num(e, "priority", prio[d]);
        if (lvl >= 0 && (size_t)lvl + 1 < a->nlevels)
            doc_str(e, "recommendation", dm->rec[lvl + 1]);
        else {
            doc_null(e, "recommendation");
            doc_note(e, !a->nlevels ? "the assessment has no levels"
                        : lvl < 0    ? "no level"
                                     : "already at the highest level");
        }
        if (dm->lower)
            doc_str(e, "direction", "lower");
        if (warnings && reliability_warnings(warnings, "", dm, r))
            doc_fail();
        doc_push(dims, e);
    }
    cJSON *ov = doc_obj(parent, "overall");
    doc_num_or_null(ov, "score", overall, "no dimension has a score");
    doc_num(ov, "index", 100 * (overall - a->smin) / (a->smax - a->smin));
    long olvl;
    level_fields(ov, a, overall, &olvl);
    doc_num(ov, "target", otarget);
    doc_num(ov, "gap", isnan(otarget) ? NAN : fmax(0, otarget - overall));
    doc_num(ov, "percent_to_target", spanw > 0 ? 1 - gapw / spanw : NAN);
    if (!dims || !cJSON_AddItemToObject(parent, "dimensions", dims)) {
        cJSON_Delete(dims);
        doc_fail();
    }
    /* priority order: by priority, highest first; without targets, lowest score first */
    if (order_out) {
        size_t *ord = malloc(a->nd * sizeof *ord);
        if (!ord)
            doc_fail();
        for (size_t d = 0; ord && d < a->nd; d++)
            ord[d] = d;
        for (size_t i = 1; ord && i < a->nd; i++)
            for (size_t j = i; j > 0; j--) {
                size_t x = ord[j - 1], y = ord[j];
                double kx = !isnan(prio[x]) ? prio[x] : -oriented(a, x, res[x].score),
                       ky = !isnan(prio[y]) ? prio[y] : -oriented(a, y, res[y].score);
                if (isnan(kx))
                    kx = -INFINITY;
                if (isnan(ky))
                    ky = -INFINITY;
                if (ky > kx) {
                    ord[j - 1] = y;
                    ord[j] = x;
                } else {
                    break;
                }
            }
        cJSON *po = cJSON_CreateArray();
        for (size_t d = 0; ord && d < a->nd; d++)
            doc_push(po, cJSON_CreateString(a->dims[ord[d]].id));
        free(ord);
        *order_out = po;
    }
    free(res);
    free(prio);
}

/* "assessment": its id, version, title, and the scale answers were read on. */

dcx_status_t dcx_maturity_score(const dcx_maturity_opts_t *o, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    dcx_assessment_t *a = NULL;
    mresponses_t rs;
    memset(&rs, 0, sizeof rs);
    dcx_strlist_t warnings = {0};
    size_t *idx = NULL;
    double *target = NULL;
    dcx_status_t st = load_both(o, o->responses, &a, &rs, &warnings, err);
    if (st)
        goto done;
    if (rs.n == 0) {
        st = dcx_error_at(err, DCX_EPARSE, o->responses, 0, 0, "no respondents");
        goto done;
    }
    target = calloc(a->nd, sizeof *target);
    idx = malloc(rs.n * sizeof *idx);
    if (!target || !idx) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = read_targets(a, o, target, err)))
        goto done;
    long gcol = -1;
    if (o->group_by && (gcol = responses_attr(&rs, o->group_by)) < 0) {
        st = dcx_error_at(err, DCX_EPARSE, o->responses, 1, 0, "no column '%s' to group by",
                          o->group_by);
        goto done;
    }
    for (size_t i = 0; i < rs.n; i++)
        idx[i] = i;
    doc_begin();
    cJSON *doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    assessment_doc(doc, a);
    doc_num(doc, "respondents", (double)rs.n);
    doc_num(doc, "empty_rows", (double)rs.empty_rows);
    doc_num(doc, "min_group_size", (double)o->min_group_size);
    if (rs.empty_rows
        && dcx_strlist_pushf(&warnings, "%s: %zu row%s without a valid answer %s not counted as respondents",
                             o->responses, rs.empty_rows, rs.empty_rows == 1 ? "" : "s",
                             rs.empty_rows == 1 ? "is" : "are"))
        doc_fail();
    cJSON *order = NULL;
    dcx_strlist_t dim_warnings = {0};
    dimscores_t ds;
    if (dimscores_make(a, &rs, o->min_answered, &ds)) {
        dimscores_free(&ds);
        cJSON_Delete(doc);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    score_block(doc, a, &rs, &ds, idx, rs.n, target, &dim_warnings, &order);
    /* documented order (docs/formats.md): ... "dimensions", "priority_order", "groups", "warnings" */
    if (!order || !cJSON_AddItemToObject(doc, "priority_order", order)) {
        cJSON_Delete(order);
        doc_fail();
    }
    cJSON *groups = doc_arr(doc, "groups");
    if (gcol >= 0) {
        char **vals = malloc(rs.n * sizeof *vals);
        if (!vals)
            doc_fail();
        size_t nv = 0;
        for (size_t i = 0; vals && i < rs.n; i++) {
            const char *g = rs.r[i].attr[gcol];
            size_t j = 0;
            while (j < nv && strcmp(vals[j], g))
                j++;
            if (j == nv)
                vals[nv++] = (char *)g;
        }
        if (vals)
            qsort(vals, nv, sizeof *vals, cmp_cstr);
        for (size_t k = 0; vals && k < nv; k++) {
            size_t n = 0;
            for (size_t i = 0; i < rs.n; i++)
                if (!strcmp(rs.r[i].attr[gcol], vals[k]))
                    idx[n++] = i;
            cJSON *g = cJSON_CreateObject();
            doc_str(g, "group", vals[k][0] ? vals[k] : "(missing)");
            doc_num(g, "respondents", (double)n);
            score_block(g, a, &rs, &ds, idx, n, target, NULL, NULL);
            doc_push(groups, g);
        }
        free(vals);
    }
    dimscores_free(&ds);
    cJSON *w = doc_arr(doc, "warnings");
    for (size_t i = 0; i < warnings.n; i++)
        doc_push(w, cJSON_CreateString(warnings.v[i]));
    for (size_t i = 0; i < dim_warnings.n; i++)
        doc_push(w, cJSON_CreateString(dim_warnings.v[i]));
    dcx_strlist_free(&dim_warnings);
    if (doc_oom(doc) || dcx_maturity_suppress(doc, o->min_group_size, err)) {
        cJSON_Delete(doc);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    *out = doc;
done:
    free(idx);
    free(target);
    responses_free(&rs, 0);
    dcx_assessment_free(a);
    dcx_strlist_free(&warnings);
    return st;
}
