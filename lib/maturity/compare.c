/* compare.c — `dcx maturity compare`: two rounds of responses side by side. */
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
