/* rounds.c — `dcx maturity compare`: two rounds of responses side by side. */
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

/* ---- one round ------------------------------------------------------------------------- */

/* A round's respondents with their dimension scores and oriented overall scores, computed
 * once; grp[i] is respondent i's group in the breakdown being compared (-1: none). */
typedef struct {
    const mresponses_t *rs;
    dimscores_t ds;
    double *overall; /* per respondent: weighted mean of their oriented dimension scores */
    long *grp;
    double min_answered;
} round_t;

static int round_make(const dcx_assessment_t *a, const mresponses_t *rs, double min_answered,
                      round_t *r)
{
    memset(r, 0, sizeof *r);
    r->rs = rs;
    r->min_answered = min_answered;
    r->overall = malloc((rs->n + 1) * sizeof *r->overall);
    r->grp = malloc((rs->n + 1) * sizeof *r->grp);
    if (dimscores_make(a, rs, min_answered, &r->ds) || !r->overall || !r->grp)
        return -1;
    for (size_t i = 0; i < rs->n; i++) {
        double w = 0, ws = 0;
        for (size_t k = 0; k < a->nd; k++) {
            double v = r->ds.score[i * a->nd + k];
            if (!isnan(v)) {
                w += a->dims[k].weight;
                ws += a->dims[k].weight * oriented(a, k, v);
            }
        }
        r->overall[i] = w > 0 ? ws / w : NAN;
        r->grp[i] = -1;
    }
    return 0;
}

static void round_free(round_t *r)
{
    dimscores_free(&r->ds);
    free(r->overall);
    free(r->grp);
}

/* Respondents' scores on dimension d (d < 0: overall) into mm, over group g (g < 0: all). */
static void round_moments(const round_t *r, long d, long g, dcx_moments_t *mm)
{
    dcx_moments_init(mm);
    for (size_t i = 0; i < r->rs->n; i++) {
        if (g >= 0 && r->grp[i] != g)
            continue;
        double s = d >= 0 ? r->ds.score[i * r->ds.nd + (size_t)d] : r->overall[i];
        if (!isnan(s))
            dcx_moments_add(mm, s);
    }
}

/* ---- entries ------------------------------------------------------------------------------ */

/* Where the rounds stand against the target, on the oriented scale (ob, oa, ot). */
static const char *target_status(double ob, double oa, double ot)
{
    if (isnan(ot) || isnan(ob) || isnan(oa))
        return NULL;
    int before = ob >= ot, after = oa >= ot;
    return before && after ? "met" : after ? "reached" : before ? "fell below" : "not met";
}

/* before, after, delta and its Welch interval and p-value over respondents' scores, the
 * levels, where the rounds stand against the target, and progress toward it:
 * (after − before)/(target − before) while the first round is short of it, else null.
 * d: the dimension, or -1 for overall (already on the oriented scale). */
static void compare_entry(cJSON *e, const dcx_assessment_t *a, long d, const dcx_moments_t *b,
                          const dcx_moments_t *f, double before, double after, double target)
{
    doc_num_or_null(e, "before", before, "no score in the first round");
    doc_num_or_null(e, "after", after, "no score in the second round");
    doc_num(e, "delta", after - before);
    dcx_arm_t at = {f->n, dcx_moments_mean_x(f), dcx_moments_var_x(f)},
              ab = {b->n, dcx_moments_mean_x(b), dcx_moments_var_x(b)};
    dcx_test_result_t r;
    dcx_error_t err;
    dcx_error_clear(&err);
    if (dcx_test_welch(&at, &ab, 0.05, &r, &err) == DCX_OK) {
        doc_interval(e, "delta_ci", r.ci_lo, r.ci_hi, "the change has no interval");
        doc_num(e, "p_value", r.p_value);
    } else {
        doc_null(e, "delta_ci");
        doc_num_or_null(e, "p_value", NAN, err.message);
    }
    /* levels and the target on the oriented scale (lower-is-better: min + max − score) */
    double ob = d >= 0 ? oriented(a, (size_t)d, before) : before,
           oa = d >= 0 ? oriented(a, (size_t)d, after) : after,
           ot = d >= 0 ? oriented(a, (size_t)d, target) : target;
    long lb = isnan(ob) ? -1 : assessment_level(a, ob), la = isnan(oa) ? -1 : assessment_level(a, oa);
    doc_num(e, "level_before", lb >= 0 ? a->levels[lb].level : NAN);
    doc_str(e, "level_name_before", lb >= 0 ? a->levels[lb].name : NULL);
    doc_num(e, "level_after", la >= 0 ? a->levels[la].level : NAN);
    doc_str(e, "level_name_after", la >= 0 ? a->levels[la].name : NULL);
    doc_num(e, "target", target);
    doc_str(e, "target_status", target_status(ob, oa, ot));
    double progress = NAN;
    if (!isnan(ot) && !isnan(ob)) {
        if (ob >= ot)
            doc_note(e, "target already met");
        else
            progress = (after - before) / (target - before);
    }
    doc_num(e, "progress", progress);
}

/* The same respondents in both rounds (--paired): match[i] is the second round's index of
 * the first round's respondent i, or -1. */
typedef struct {
    long *match;   /* per first-round respondent */
    char *matched; /* per second-round respondent: someone of the first round is they */
} pairing_t;

/* "paired" (t.test(after, before, paired = TRUE) over the respondents of group g in both
 * rounds with a score in both: n, delta, ci, p_value) and "panel" (returning, new, left). */
static void paired_fields(cJSON *e, const pairing_t *pr, const round_t *rb, const round_t *ra, long d,
                          long g)
{
    dcx_moments_t m;
    dcx_moments_init(&m);
    double returning = 0, left = 0, fresh = 0;
    for (size_t i = 0; i < rb->rs->n; i++) {
        if (g >= 0 && rb->grp[i] != g)
            continue;
        long j = pr->match[i];
        if (j < 0 || (g >= 0 && ra->grp[j] != g)) {
            left++;
            continue;
        }
        returning++;
        double x = d >= 0 ? rb->ds.score[i * rb->ds.nd + (size_t)d] : rb->overall[i],
               y = d >= 0 ? ra->ds.score[(size_t)j * ra->ds.nd + (size_t)d] : ra->overall[j];
        if (!isnan(x) && !isnan(y))
            dcx_moments_add(&m, y - x);
    }
    for (size_t j = 0; j < ra->rs->n; j++)
        if ((g < 0 || ra->grp[j] == g) && !pr->matched[j])
            fresh++;
    /* in a group, a returning respondent who moved to another group counts as left and new */
    if (g >= 0)
        for (size_t i = 0; i < rb->rs->n; i++) {
            long j = pr->match[i];
            if (j >= 0 && ra->grp[j] == g && rb->grp[i] != g)
                fresh++;
        }
    cJSON *p = doc_obj(e, "paired");
    doc_num(p, "n", m.n);
    double mean = dcx_moments_mean_x(&m), sd = m.n >= 2 ? sqrt(dcx_moments_var_x(&m)) : NAN;
    doc_num_or_null(p, "delta", mean, m.n ? NULL : "no respondent has a score in both rounds");
    if (m.n >= 2 && sd > 0) {
        double se = sd / sqrt(m.n), t = mean / se, q = dcx_dist_t_quantile(0.025, m.n - 1, 0);
        doc_interval(p, "ci", mean - q * se, mean + q * se, NULL);
        doc_num(p, "p_value", fmin(1, 2 * dcx_dist_t_cdf(-fabs(t), m.n - 1, 1)));
    } else {
        doc_null(p, "ci");
        doc_num_or_null(p, "p_value", NAN, m.n < 2 ? "a paired test needs 2 respondents in both rounds"
                                                    : "the changes do not vary");
    }
    cJSON *pn = doc_obj(e, "panel");
    doc_num(pn, "returning", returning);
    doc_num(pn, "new", fresh);
    doc_num(pn, "left", left);
}

/* "overall" and "dimensions" of a compare document, for group g (-1: everyone). */
static void compare_block(cJSON *parent, const dcx_assessment_t *a, const round_t *rb,
                          const round_t *ra, const double *target, long g, const pairing_t *pr)
{
    double wb = 0, swb = 0, wa = 0, swa = 0, wt = 0, swt = 0;
    cJSON *dims = cJSON_CreateArray();
    for (size_t d = 0; d < a->nd; d++) {
        dcx_moments_t mb, ma;
        round_moments(rb, (long)d, g, &mb);
        round_moments(ra, (long)d, g, &ma);
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
        compare_entry(e, a, (long)d, &mb, &ma, before, after, target[d]);
        if (pr)
            paired_fields(e, pr, rb, ra, (long)d, g);
        if (a->dims[d].lower)
            doc_str(e, "direction", "lower");
        doc_push(dims, e);
    }
    dcx_moments_t mb, ma;
    round_moments(rb, -1, g, &mb);
    round_moments(ra, -1, g, &ma);
    cJSON *ov = doc_obj(parent, "overall");
    compare_entry(ov, a, -1, &mb, &ma, wb > 0 ? swb / wb : NAN, wa > 0 ? swa / wa : NAN,
                  wt > 0 ? swt / wt : NAN);
    if (pr)
        paired_fields(ov, pr, rb, ra, -1, g);
    doc_note(ov, "before, after and delta are the weighted means of the dimension scores; delta_ci "
                 "and p_value are Welch's t test of respondents' overall scores (each the weighted "
                 "mean of their own dimension scores)");
    if (!dims || !cJSON_AddItemToObject(parent, "dimensions", dims)) {
        cJSON_Delete(dims);
        doc_fail();
    }
}

/* ---- the document ---------------------------------------------------------------------------- */

/* Matches the first round's respondents to the second's by id. @return 0 or -1. */
static int pairing_make(const mresponses_t *rb, const mresponses_t *ra, pairing_t *pr)
{
    dcx_strmap_t ids = {0};
    pr->match = malloc((rb->n + 1) * sizeof *pr->match);
    pr->matched = calloc(ra->n + 1, 1);
    long *at = malloc((ra->n + 1) * sizeof *at);
    int bad = !pr->match || !pr->matched || !at;
    for (size_t j = 0; !bad && j < ra->n; j++) {
        long k = dcx_strmap_put(&ids, ra->r[j].id, strlen(ra->r[j].id));
        bad = k < 0;
        if (!bad)
            at[k] = (long)j;
    }
    for (size_t i = 0; !bad && i < rb->n; i++) {
        long k = dcx_strmap_get(&ids, rb->r[i].id, strlen(rb->r[i].id));
        pr->match[i] = k < 0 ? -1 : at[k];
        if (k >= 0)
            pr->matched[at[k]] = 1;
    }
    free(at);
    dcx_strmap_free(&ids);
    return bad ? -1 : 0;
}

/* Each round's reading warnings and reliability warnings, labelled "before: " / "after: ". */
static int round_warnings(dcx_strlist_t *out, const char *label, const dcx_strlist_t *read,
                          const dcx_assessment_t *a, const round_t *r)
{
    for (size_t i = 0; i < read->n; i++)
        if (dcx_strlist_pushf(out, "%s%s", label, read->v[i]))
            return -1;
    size_t *idx = malloc((r->rs->n + 1) * sizeof *idx);
    if (!idx)
        return -1;
    for (size_t i = 0; i < r->rs->n; i++)
        idx[i] = i;
    int bad = 0;
    dimres_t *res = calloc(a->nd + 1, sizeof *res);
    if (!res) {
        free(idx);
        return -1;
    }
    score_all(a, r->rs, r->min_answered, idx, r->rs->n, res);
    for (size_t d = 0; d < a->nd && !bad; d++)
        bad = reliability_warnings(out, label, &a->dims[d], &res[d]);
    free(res);
    free(idx);
    return bad;
}

/* The group of every respondent of both rounds (the values of the group columns, in sort
 * order) into rb->grp and ra->grp; *vals (the sorted values) and *nv. @return 0 or -1. */
static int assign_groups(round_t *rb, long gb, round_t *ra, long ga, char ***vals, size_t *nv,
                         dcx_strmap_t *seen)
{
    dcx_strmap_free(seen);
    memset(seen, 0, sizeof *seen);
    for (size_t i = 0; i < rb->rs->n; i++)
        if (dcx_strmap_put(seen, rb->rs->r[i].attr[gb], strlen(rb->rs->r[i].attr[gb])) < 0)
            return -1;
    for (size_t i = 0; i < ra->rs->n; i++)
        if (dcx_strmap_put(seen, ra->rs->r[i].attr[ga], strlen(ra->rs->r[i].attr[ga])) < 0)
            return -1;
    char **v = malloc((seen->n + 1) * sizeof *v);
    long *rank = malloc((seen->n + 1) * sizeof *rank);
    if (!v || !rank) {
        free(v);
        free(rank);
        return -1;
    }
    for (size_t k = 0; k < seen->n; k++)
        v[k] = seen->keys[k];
    qsort(v, seen->n, sizeof *v, cmp_cstr);
    for (size_t k = 0; k < seen->n; k++)
        rank[dcx_strmap_get(seen, v[k], strlen(v[k]))] = (long)k;
    for (size_t i = 0; i < rb->rs->n; i++)
        rb->grp[i] = rank[dcx_strmap_get(seen, rb->rs->r[i].attr[gb], strlen(rb->rs->r[i].attr[gb]))];
    for (size_t i = 0; i < ra->rs->n; i++)
        ra->grp[i] = rank[dcx_strmap_get(seen, ra->rs->r[i].attr[ga], strlen(ra->rs->r[i].attr[ga]))];
    free(rank);
    *vals = v;
    *nv = seen->n;
    return 0;
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
    round_t wb, wa;
    memset(&wb, 0, sizeof wb);
    memset(&wa, 0, sizeof wa);
    dcx_strlist_t warnings = {0}, read_b = {0}, read_a = {0};
    double *target = NULL;
    char **vals = NULL;
    size_t nv = 0;
    dcx_strmap_t seen = {0};
    dcx_status_t st = load_both(o, o->before, &a, &rb, &read_b, err);
    if (!st)
        st = read_responses(o, a, o->after, o->lenient ? BAD_WARN : BAD_STOP, NULL, NULL, &ra, &read_a, err);
    if (!st && rb.empty_rows
        && dcx_strlist_pushf(&read_b, "%s: %zu row%s without a valid answer not counted as respondents",
                             o->before, rb.empty_rows, rb.empty_rows == 1 ? "" : "s"))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!st && ra.empty_rows
        && dcx_strlist_pushf(&read_a, "%s: %zu row%s without a valid answer not counted as respondents",
                             o->after, ra.empty_rows, ra.empty_rows == 1 ? "" : "s"))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (st)
        goto done;
    target = calloc(a->nd, sizeof *target);
    if (!target) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = read_targets(a, o, target, err)))
        goto done;
    for (size_t j = 0; j < o->group_by.n; j++) {
        const char *by = o->group_by.v[j];
        if (responses_attr(&rb, by) < 0) {
            st = dcx_error_at(err, DCX_EPARSE, o->before, 1, 0, "no column '%s' to group by", by);
            goto done;
        }
        if (responses_attr(&ra, by) < 0) {
            st = dcx_error_at(err, DCX_EPARSE, o->after, 1, 0, "no column '%s' to group by", by);
            goto done;
        }
    }
    pairing_t pr = {NULL, NULL};
    if (round_make(a, &rb, o->min_answered, &wb) || round_make(a, &ra, o->min_answered, &wa)
        || (o->paired && pairing_make(&rb, &ra, &pr))) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done_pr;
    }
    doc_begin(); /* from here an allocation that fails is recorded, and doc_oom() says so */
    if (round_warnings(&warnings, "before: ", &read_b, a, &wb)
        || round_warnings(&warnings, "after: ", &read_a, a, &wa))
        doc_fail();
    cJSON *doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    assessment_doc(doc, a);
    doc_num(doc, "respondents_before", (double)rb.n);
    doc_num(doc, "respondents_after", (double)ra.n);
    doc_num(doc, "min_group_size", (double)o->min_group_size);
    compare_block(doc, a, &wb, &wa, target, -1, o->paired ? &pr : NULL);
    cJSON *groups = doc_arr(doc, "groups");
    for (size_t j = 0; j < o->group_by.n; j++) {
        const char *by = o->group_by.v[j];
        free(vals);
        vals = NULL;
        if (assign_groups(&wb, responses_attr(&rb, by), &wa, responses_attr(&ra, by), &vals, &nv, &seen)) {
            doc_fail();
            break;
        }
        for (size_t k = 0; k < nv; k++) {
            size_t nb = 0, na = 0;
            for (size_t i = 0; i < rb.n; i++)
                nb += wb.grp[i] == (long)k;
            for (size_t i = 0; i < ra.n; i++)
                na += wa.grp[i] == (long)k;
            cJSON *g = cJSON_CreateObject();
            doc_str(g, "by", by);
            doc_str(g, "group", vals[k][0] ? vals[k] : "(missing)");
            doc_num(g, "respondents_before", (double)nb);
            doc_num(g, "respondents_after", (double)na);
            compare_block(g, a, &wb, &wa, target, (long)k, o->paired ? &pr : NULL);
            doc_push(groups, g);
        }
    }
    cJSON *w = doc_arr(doc, "warnings");
    for (size_t i = 0; i < warnings.n; i++)
        doc_push(w, cJSON_CreateString(warnings.v[i]));
    if (doc_oom(doc) || dcx_maturity_suppress(doc, o->min_group_size, err)) {
        cJSON_Delete(doc);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done_pr;
    }
    *out = doc;
done_pr:
    free(pr.match);
    free(pr.matched);
done:
    free(vals);
    dcx_strmap_free(&seen);
    round_free(&wb);
    round_free(&wa);
    free(target);
    responses_free(&rb, 0);
    responses_free(&ra, 0);
    dcx_assessment_free(a);
    dcx_strlist_free(&warnings);
    dcx_strlist_free(&read_b);
    dcx_strlist_free(&read_a);
    return st;
}
