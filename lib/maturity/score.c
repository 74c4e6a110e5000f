/* score.c — scoring maturity responses (docs/methods.md), comparing rounds, validating,
 * and blank worksheets. */
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
#include "model.h"
#include "optparse.h"
#include "responses.h"

/* ---- per-respondent dimension scores ------------------------------------------------- */

/* Item score: x, or min + max − x for a reverse-worded statement. */
static double item_score(const dcx_assessment_t *a, size_t q, double x)
{
    return a->qs[q].reverse ? a->smin + a->smax - x : x;
}

/* The oriented score o = min + max − x of a lower-is-better dimension (x itself otherwise):
 * what levels, recommendations, the index, priorities, the overall score and the progress
 * toward targets are judged on, so that "higher is better" holds for every o. */
static double oriented(const dcx_assessment_t *a, size_t d, double x)
{
    return a->dims[d].lower ? a->smin + a->smax - x : x;
}

/* The respondent's score on dimension d (NaN when the answered weight share is below
 * min_answered); *answered gets the answered weight. */
static double respondent_dim(const dcx_assessment_t *a, const mrespondent_t *r, size_t d,
                             double min_answered, double *answered)
{
    const mdimension_t *dm = &a->dims[d];
    double sw = 0, sws = 0, total = 0;
    for (size_t q = dm->q0; q < dm->q0 + dm->nq; q++) {
        total += a->qs[q].weight;
        if (isnan(r->ans[q]))
            continue;
        sw += a->qs[q].weight;
        sws += a->qs[q].weight * item_score(a, q, r->ans[q]);
    }
    *answered = sw;
    if (sw == 0 || sw / total < min_answered - 1e-12)
        return NAN;
    return sws / sw;
}

typedef struct {
    double score, sd, n, ci_lo, ci_hi, coverage, alpha, rwg;
    const char *alpha_note, *rwg_note;
} dimres_t;

/* Every respondent's dimension scores and answered weights, computed once. */
typedef struct {
    double *score;    /* [respondent][dimension], NaN when missing */
    double *answered; /* answered item weight */
    size_t nd;
} dimscores_t;

static int dimscores_make(const dcx_assessment_t *a, const mresponses_t *rs, double min_answered,
                          dimscores_t *ds)
{
    ds->nd = a->nd;
    ds->score = malloc((rs->n * a->nd + 1) * sizeof *ds->score);
    ds->answered = malloc((rs->n * a->nd + 1) * sizeof *ds->answered);
    if (!ds->score || !ds->answered)
        return -1;
    for (size_t i = 0; i < rs->n; i++)
        for (size_t d = 0; d < a->nd; d++)
            ds->score[i * a->nd + d] =
                respondent_dim(a, &rs->r[i], d, min_answered, &ds->answered[i * a->nd + d]);
    return 0;
}

static void dimscores_free(dimscores_t *ds)
{
    free(ds->score);
    free(ds->answered);
}

/* Scores dimension d over the respondents idx[0..n). */
static void score_dim(const dcx_assessment_t *a, const mresponses_t *rs, const dimscores_t *ds,
                      const size_t *idx, size_t n, size_t d, dimres_t *out)
{
    const mdimension_t *dm = &a->dims[d];
    dcx_moments_t sc, total;
    dcx_moments_init(&sc);
    dcx_moments_init(&total);
    dcx_moments_t *item = calloc(dm->nq, sizeof *item), *complete = calloc(dm->nq, sizeof *complete);
    if (!item || !complete)
        doc_fail(); /* alpha and rwg cannot be computed: the document is not given out */
    double answered_w = 0, qweight = 0;
    for (size_t q = dm->q0; q < dm->q0 + dm->nq; q++)
        qweight += a->qs[q].weight;
    for (size_t i = 0; i < n; i++) {
        const mrespondent_t *r = &rs->r[idx[i]];
        double s = ds->score[idx[i] * ds->nd + d];
        answered_w += ds->answered[idx[i] * ds->nd + d];
        if (!isnan(s))
            dcx_moments_add(&sc, s);
        int all = 1;
        double sum = 0;
        for (size_t j = 0; j < dm->nq; j++) {
            double x = r->ans[dm->q0 + j];
            if (isnan(x)) {
                all = 0;
                continue;
            }
            double v = item_score(a, dm->q0 + j, x);
            if (item)
                dcx_moments_add(&item[j], v);
            sum += v;
        }
        if (all && complete) {
            for (size_t j = 0; j < dm->nq; j++)
                dcx_moments_add(&complete[j], item_score(a, dm->q0 + j, r->ans[dm->q0 + j]));
            dcx_moments_add(&total, sum);
        }
    }
    out->n = sc.n;
    out->score = dcx_moments_mean_x(&sc);
    out->sd = dcx_moments_var_x(&sc) >= 0 ? sqrt(dcx_moments_var_x(&sc)) : NAN;
    out->ci_lo = out->ci_hi = NAN;
    if (sc.n >= 2) {
        double t = dcx_dist_t_quantile(0.025, sc.n - 1, 0), half = t * out->sd / sqrt(sc.n);
        out->ci_lo = out->score - half;
        out->ci_hi = out->score + half;
    }
    out->coverage = n ? answered_w / ((double)n * qweight) : NAN;
    /* Cronbach's alpha over respondents who answered every item */
    out->alpha = NAN;
    out->alpha_note = NULL;
    if (dm->nq < 2) {
        out->alpha_note = "alpha needs at least 2 items";
    } else if (total.n < 2) {
        out->alpha_note = "alpha needs 2 respondents who answered every item";
    } else {
        double sv = 0, k = (double)dm->nq, vt = dcx_moments_var_x(&total);
        for (size_t j = 0; j < dm->nq; j++)
            sv += dcx_moments_var_x(&complete[j]);
        if (vt > 0)
            out->alpha = k / (k - 1) * (1 - sv / vt);
        else
            out->alpha_note = "alpha is undefined: total scores do not vary";
    }
    /* rwg(J): mean item variance against the uniform null σ² = (A² − 1)/12 */
    out->rwg = NAN;
    out->rwg_note = NULL;
    double A = a->smax - a->smin + 1, sigma2 = (A * A - 1) / 12, sbar = 0;
    size_t J = 0;
    for (size_t j = 0; item && j < dm->nq; j++)
        if (item[j].n >= 2) {
            sbar += dcx_moments_var_x(&item[j]);
            J++;
        }
    if (J == 0) {
        out->rwg_note = "rwg needs an item with at least 2 answers";
    } else {
        double ratio = sbar / (double)J / sigma2, Jd = (double)J;
        double v = ratio >= 1 ? 0 : Jd * (1 - ratio) / (Jd * (1 - ratio) + ratio);
        out->rwg = v < 0 ? 0 : (v > 1 ? 1 : v);
    }
    free(item);
    free(complete);
}

/* ---- targets ------------------------------------------------------------------------- */

static dcx_status_t read_targets(const dcx_assessment_t *a, const dcx_maturity_opts_t *o,
                                 double *target, dcx_error_t *err)
{
    for (size_t d = 0; d < a->nd; d++)
        target[d] = o->target;
    if (!isnan(o->target) && (o->target < a->smin || o->target > a->smax))
        return dcx_error_set(err, DCX_EINVAL, "--target %g is outside the scale [%g, %g]",
                             o->target, a->smin, a->smax);
    if (!o->targets)
        return DCX_OK;
    if (!isnan(o->target))
        return dcx_error_set(err, DCX_EINVAL, "give --target or --targets, not both");
    cJSON *j;
    dcx_status_t rst = dcx_read_json_file(o->targets, (size_t)16 << 20, &j, err);
    if (rst)
        return rst;
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return dcx_error_at(err, DCX_EPARSE, o->targets, 0, 0,
                            "targets must be a JSON object {\"dimension_id\": score, ...}");
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, j)
    {
        size_t d = 0;
        while (d < a->nd && strcmp(a->dims[d].id, it->string))
            d++;
        if (d == a->nd) {
            dcx_status_t st = dcx_error_at(err, DCX_EPARSE, o->targets, 0, 0,
                                           "'%s' is not a dimension of %s", it->string, a->id);
            cJSON_Delete(j);
            return st;
        }
        if (!cJSON_IsNumber(it) || it->valuedouble < a->smin || it->valuedouble > a->smax) {
            dcx_status_t st = dcx_error_at(err, DCX_EPARSE, o->targets, 0, 0,
                                           "target of '%s' must be a number on the scale", it->string);
            cJSON_Delete(j);
            return st;
        }
        target[d] = it->valuedouble;
    }
    cJSON_Delete(j);
    return DCX_OK;
}

/* ---- the score document ---------------------------------------------------------------- */

static void level_fields(cJSON *o, const dcx_assessment_t *a, double score, long *lvl)
{
    long l = isnan(score) ? -1 : assessment_level(a, score);
    *lvl = l;
    if (l < 0) {
        doc_null(o, "level");
        doc_null(o, "level_name");
    } else {
        doc_num(o, "level", a->levels[l].level);
        doc_str(o, "level_name", a->levels[l].name);
    }
}

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
        if (warnings && !isnan(r->rwg) && r->rwg < 0.7) {
            char v[32];
            if (dcx_strlist_pushf(warnings, "respondents disagree on %s (rwg = %s, below 0.7)", dm->name,
                                  tb_below(r->rwg, 0.7, v, sizeof v)))
                doc_fail();
        }
        if (warnings && !isnan(r->alpha) && r->alpha < 0.5) {
            char v[32];
            if (dcx_strlist_pushf(warnings,
                                  "the statements of %s do not hang together (Cronbach's alpha = %s, "
                                  "below 0.5): check its reverse-worded items; a negative alpha is the "
                                  "classic sign of one scored the wrong way",
                                  dm->name, tb_below(r->alpha, 0.5, v, sizeof v)))
                doc_fail();
        }
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
static void assessment_doc(cJSON *doc, const dcx_assessment_t *a)
{
    cJSON *as = doc_obj(doc, "assessment");
    doc_str(as, "id", a->id);
    doc_str(as, "version", a->version);
    doc_str(as, "title", a->title);
    cJSON *sc = doc_obj(as, "scale");
    doc_num(sc, "min", a->smin);
    doc_num(sc, "max", a->smax);
    doc_num(sc, "step", a->step);
    cJSON *na = doc_arr(sc, "na");
    for (size_t i = 0; i < a->nna; i++)
        doc_push(na, cJSON_CreateString(a->na[i]));
    for (size_t i = 0; i < a->nna_num; i++)
        doc_push(na, cJSON_CreateNumber(a->na_num[i]));
    doc_num(as, "levels", (double)a->nlevels);
}

static int cmp_cstr(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static dcx_status_t load_both(const dcx_maturity_opts_t *o, const char *responses,
                              dcx_assessment_t **a, mresponses_t *rs, dcx_strlist_t *warnings,
                              dcx_error_t *err)
{
    if (!o->assessment)
        return dcx_error_set(err, DCX_EINVAL, "missing --assessment A.json");
    if (!responses)
        return dcx_error_set(err, DCX_EINVAL, "missing --responses R.csv");
    if (!(o->min_answered >= 0 && o->min_answered <= 1))
        return dcx_error_set(err, DCX_EINVAL, "--min-answered must be in [0, 1]");
    if (!dcx_csv_delimiter_parse(o->delimiter))
        return dcx_error_set(err, DCX_EINVAL, "--delimiter '%s': give one character, or \\t for a tab",
                             o->delimiter);
    dcx_status_t st = dcx_assessment_load(o->assessment, a, NULL, err);
    if (st)
        return st;
    resp_opts_t ro = {dcx_csv_delimiter_parse(o->delimiter), o->lenient ? BAD_WARN : BAD_STOP,
                      o->respondent_column};
    return responses_read(*a, responses, &ro, rs, warnings, err);
}

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
    if (doc_oom(doc)) {
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

/* ---- compare ------------------------------------------------------------------------------ */

/* Respondent scores for one dimension (d >= 0) or overall (d == -1) into mm, over the
 * respondents whose attribute gcol equals group (gcol < 0: all). */
static void round_moments(const dcx_assessment_t *a, const mresponses_t *rs, long d,
                          double min_answered, long gcol, const char *group, dcx_moments_t *mm)
{
    dcx_moments_init(mm);
    for (size_t i = 0; i < rs->n; i++) {
        if (gcol >= 0 && strcmp(rs->r[i].attr[gcol], group))
            continue;
        double aw, s;
        if (d >= 0) {
            s = respondent_dim(a, &rs->r[i], (size_t)d, min_answered, &aw);
        } else {
            /* a respondent's overall score: the weighted mean of their oriented scores */
            double w = 0, ws = 0;
            for (size_t k = 0; k < a->nd; k++) {
                double v = respondent_dim(a, &rs->r[i], k, min_answered, &aw);
                if (!isnan(v)) {
                    w += a->dims[k].weight;
                    ws += a->dims[k].weight * oriented(a, k, v);
                }
            }
            s = w > 0 ? ws / w : NAN;
        }
        if (!isnan(s))
            dcx_moments_add(mm, s);
    }
}

/* before, after, delta, the Welch p-value of respondents' scores, the levels, and progress
 * toward the target: (after − before)/(target − before) while the target is ahead; null
 * with "target already met" when the first round was already there. */
static void compare_entry(cJSON *e, const dcx_assessment_t *a, const dcx_moments_t *b,
                          const dcx_moments_t *f, double before, double after, double target,
                          int lower)
{
    doc_num_or_null(e, "before", before, "no score in the first round");
    doc_num_or_null(e, "after", after, "no score in the second round");
    doc_num(e, "delta", after - before);
    dcx_arm_t at = {f->n, dcx_moments_mean_x(f), dcx_moments_var_x(f)},
              ab = {b->n, dcx_moments_mean_x(b), dcx_moments_var_x(b)};
    dcx_test_result_t r;
    dcx_error_t err;
    dcx_error_clear(&err);
    if (dcx_test_welch(&at, &ab, 0.05, &r, &err) == DCX_OK)
        doc_num(e, "p_value", r.p_value);
    else
        doc_num_or_null(e, "p_value", NAN, err.message);
    /* levels on the oriented scores (lower-is-better dimensions: min + max − score) */
    double ob = lower ? a->smin + a->smax - before : before, oa = lower ? a->smin + a->smax - after : after;
    long lb = isnan(ob) ? -1 : assessment_level(a, ob), la = isnan(oa) ? -1 : assessment_level(a, oa);
    doc_num(e, "level_before", lb >= 0 ? a->levels[lb].level : NAN);
    doc_str(e, "level_name_before", lb >= 0 ? a->levels[lb].name : NULL);
    doc_num(e, "level_after", la >= 0 ? a->levels[la].level : NAN);
    doc_str(e, "level_name_after", la >= 0 ? a->levels[la].name : NULL);
    doc_num(e, "target", target);
    double progress = NAN;
    if (!isnan(target) && !isnan(before)) {
        int met = lower ? before <= target : before >= target;
        if (met)
            doc_note(e, "target already met");
        else
            progress = (after - before) / (target - before);
    }
    doc_num(e, "progress", progress);
}

/* "overall" and "dimensions" of a compare document, for the respondents of a group. */
static void compare_block(cJSON *parent, const dcx_assessment_t *a, const mresponses_t *rb,
                          const mresponses_t *ra, const double *target, double min_answered,
                          long gb, long ga, const char *group)
{
    double wb = 0, swb = 0, wa = 0, swa = 0, wt = 0, swt = 0;
    cJSON *dims = cJSON_CreateArray();
    for (size_t d = 0; d < a->nd; d++) {
        dcx_moments_t mb, ma;
        round_moments(a, rb, (long)d, min_answered, gb, group, &mb);
        round_moments(a, ra, (long)d, min_answered, ga, group, &ma);
        double before = dcx_moments_mean_x(&mb), after = dcx_moments_mean_x(&ma);
        double w = a->dims[d].weight;
        /* the overall score is the weighted mean of oriented dimension scores */
        if (!isnan(before))
            wb += w, swb += w * oriented(a, d, before);
        if (!isnan(after))
            wa += w, swa += w * oriented(a, d, after);
        if (!isnan(target[d]))
            wt += w, swt += w * oriented(a, d, target[d]);
        cJSON *e = cJSON_CreateObject();
        doc_str(e, "id", a->dims[d].id);
        doc_str(e, "name", a->dims[d].name);
        doc_num(e, "weight", w);
        compare_entry(e, a, &mb, &ma, before, after, target[d], a->dims[d].lower);
        if (a->dims[d].lower)
            doc_str(e, "direction", "lower");
        doc_push(dims, e);
    }
    dcx_moments_t mb, ma;
    round_moments(a, rb, -1, min_answered, gb, group, &mb);
    round_moments(a, ra, -1, min_answered, ga, group, &ma);
    cJSON *ov = doc_obj(parent, "overall");
    compare_entry(ov, a, &mb, &ma, wb > 0 ? swb / wb : NAN, wa > 0 ? swa / wa : NAN,
                  wt > 0 ? swt / wt : NAN, 0);
    if (!dims || !cJSON_AddItemToObject(parent, "dimensions", dims)) {
        cJSON_Delete(dims);
        doc_fail();
    }
}

dcx_status_t dcx_maturity_compare(const dcx_maturity_opts_t *o, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    if (!o->before || !o->after)
        return dcx_error_set(err, DCX_EINVAL, "give --before R1.csv and --after R2.csv");
    dcx_assessment_t *a = NULL;
    mresponses_t rb, ra;
    memset(&rb, 0, sizeof rb);
    memset(&ra, 0, sizeof ra);
    dcx_strlist_t warnings = {0};
    double *target = NULL;
    dcx_status_t st = load_both(o, o->before, &a, &rb, &warnings, err);
    if (!st) {
        resp_opts_t ro = {dcx_csv_delimiter_parse(o->delimiter), o->lenient ? BAD_WARN : BAD_STOP,
                          o->respondent_column};
        st = responses_read(a, o->after, &ro, &ra, &warnings, err);
    }
    if (st)
        goto done;
    target = calloc(a->nd, sizeof *target);
    if (!target) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = read_targets(a, o, target, err)))
        goto done;
    long gb = -1, ga = -1;
    if (o->group_by) {
        if ((gb = responses_attr(&rb, o->group_by)) < 0) {
            st = dcx_error_at(err, DCX_EPARSE, o->before, 1, 0, "no column '%s' to group by", o->group_by);
            goto done;
        }
        if ((ga = responses_attr(&ra, o->group_by)) < 0) {
            st = dcx_error_at(err, DCX_EPARSE, o->after, 1, 0, "no column '%s' to group by", o->group_by);
            goto done;
        }
    }
    doc_begin();
    cJSON *doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    assessment_doc(doc, a);
    doc_num(doc, "respondents_before", (double)rb.n);
    doc_num(doc, "respondents_after", (double)ra.n);
    compare_block(doc, a, &rb, &ra, target, o->min_answered, -1, -1, NULL);
    cJSON *groups = doc_arr(doc, "groups");
    if (gb >= 0) {
        /* the groups of either round, in sort order */
        dcx_strmap_t seen = {0};
        for (size_t i = 0; i < rb.n; i++)
            if (dcx_strmap_put(&seen, rb.r[i].attr[gb], strlen(rb.r[i].attr[gb])) < 0)
                doc_fail();
        for (size_t i = 0; i < ra.n; i++)
            if (dcx_strmap_put(&seen, ra.r[i].attr[ga], strlen(ra.r[i].attr[ga])) < 0)
                doc_fail();
        char **vals = malloc((seen.n + 1) * sizeof *vals);
        if (!vals)
            doc_fail();
        for (size_t k = 0; vals && k < seen.n; k++)
            vals[k] = seen.keys[k];
        if (vals)
            qsort(vals, seen.n, sizeof *vals, cmp_cstr);
        for (size_t k = 0; vals && k < seen.n; k++) {
            size_t nb = 0, na = 0;
            for (size_t i = 0; i < rb.n; i++)
                nb += !strcmp(rb.r[i].attr[gb], vals[k]);
            for (size_t i = 0; i < ra.n; i++)
                na += !strcmp(ra.r[i].attr[ga], vals[k]);
            cJSON *g = cJSON_CreateObject();
            doc_str(g, "group", vals[k][0] ? vals[k] : "(missing)");
            doc_num(g, "respondents_before", (double)nb);
            doc_num(g, "respondents_after", (double)na);
            compare_block(g, a, &rb, &ra, target, o->min_answered, gb, ga, vals[k]);
            doc_push(groups, g);
        }
        free(vals);
        dcx_strmap_free(&seen);
    }
    cJSON *w = doc_arr(doc, "warnings");
    for (size_t i = 0; i < warnings.n; i++)
        doc_push(w, cJSON_CreateString(warnings.v[i]));
    if (doc_oom(doc)) {
        cJSON_Delete(doc);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    *out = doc;
done:
    free(target);
    responses_free(&rb, 0);
    responses_free(&ra, 0);
    dcx_assessment_free(a);
    dcx_strlist_free(&warnings);
    return st;
}

/* ---- validate ------------------------------------------------------------------------------ */

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
        resp_opts_t ro = {dcx_csv_delimiter_parse(o->delimiter), BAD_COLLECT, o->respondent_column};
        dcx_status_t rst = responses_read(a, o->responses, &ro, &rs, &problems, &rerr);
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
    static const char *const reserved[] = {"question", "answer", "dimension", "statement", NULL};
    for (size_t k = 0; k < attrs.n && !st; k++) {
        if (assessment_question(a, attrs.v[k]) >= 0 || !strcmp(attrs.v[k], rcol))
            st = dcx_error_set(err, DCX_EINVAL, "--attributes: '%s' is a question id or the respondent column",
                               attrs.v[k]);
        for (int r = 0; reserved[r] && !st && !o->wide; r++)
            if (!strcmp(attrs.v[k], reserved[r]))
                st = dcx_error_set(err, DCX_EINVAL,
                                   "--attributes: '%s' is a column of the long-form template", attrs.v[k]);
        for (size_t j = 0; j < k && !st; j++)
            if (!strcmp(attrs.v[j], attrs.v[k]))
                st = dcx_error_set(err, DCX_EINVAL, "--attributes: '%s' is given twice", attrs.v[k]);
    }
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
