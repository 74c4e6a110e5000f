/* scoring.c — item, respondent and dimension scores (docs/methods.md), targets, and
 * the parts every maturity document shares. */
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

/* ---- per-respondent dimension scores ------------------------------------------------- */

/* Item score: x, or min + max − x for a reverse-worded statement. */
double item_score(const dcx_assessment_t *a, size_t q, double x)
{
    return a->qs[q].reverse ? a->smin + a->smax - x : x;
}

/* The oriented score o = min + max − x of a lower-is-better dimension (x itself otherwise):
 * what levels, recommendations, the index, priorities, the overall score and the progress
 * toward targets are judged on, so that "higher is better" holds for every o. */
double oriented(const dcx_assessment_t *a, size_t d, double x)
{
    return a->dims[d].lower ? a->smin + a->smax - x : x;
}

/* ---- targets ------------------------------------------------------------------------- */

dcx_status_t read_targets(const dcx_assessment_t *a, const dcx_maturity_opts_t *o,
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

/* ---- documents --------------------------------------------------------------------------- */

void level_fields(cJSON *o, const dcx_assessment_t *a, double score, long *lvl)
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

void assessment_doc(cJSON *doc, const dcx_assessment_t *a)
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

int cmp_cstr(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

dcx_status_t load_assessment(const dcx_maturity_opts_t *o, const char *responses, dcx_assessment_t **a,
                             dcx_error_t *err)
{
    if (!o->assessment)
        return dcx_error_set(err, DCX_EINVAL, "missing --assessment A.json");
    if (!responses)
        return dcx_error_set(err, DCX_EINVAL, "missing --responses R.csv");
    if (o->min_group_size < 1)
        return dcx_error_set(err, DCX_EINVAL, "--min-group-size must be 1 or more");
    if (!(o->min_answered >= 0 && o->min_answered <= 1))
        return dcx_error_set(err, DCX_EINVAL, "--min-answered must be in [0, 1]");
    if (!dcx_csv_delimiter_parse(o->delimiter))
        return dcx_error_set(err, DCX_EINVAL, "--delimiter '%s': give one character, or \\t for a tab",
                             o->delimiter);
    return dcx_assessment_load(o->assessment, a, NULL, err);
}

/* comma-separated text appended to l, each part trimmed */
static dcx_status_t push_commas(dcx_strlist_t *l, const char *text, dcx_error_t *err)
{
    if (!text)
        return DCX_OK;
    dcx_strlist_t in = {0};
    dcx_status_t st = dcx_strlist_push(&in, text) ? dcx_error_set(err, DCX_ENOMEM, "out of memory")
                                                  : split_commas(&in, l, err);
    dcx_strlist_free(&in);
    return st;
}

dcx_status_t read_responses(const dcx_maturity_opts_t *o, const dcx_assessment_t *a, const char *path,
                            int policy, resp_sink_t sink, void *ctx, mresponses_t *rs, dcx_strlist_t *warnings,
                            dcx_error_t *err)
{
    memset(rs, 0, sizeof *rs);
    resp_opts_t ro = {dcx_csv_delimiter_parse(o->delimiter), (bad_policy_t)policy, o->respondent_column,
                      NULL, 0, ENC_UTF8, o->map, o->skip_rows, o->header_rows ? o->header_rows : 1, NULL,
                      sink, ctx};
    if (o->skip_rows < 0 || o->skip_rows > 1000)
        return dcx_error_set(err, DCX_EINVAL, "--skip-rows must be between 0 and 1000");
    if (o->header_rows && o->header_rows != 1 && o->header_rows != 2)
        return dcx_error_set(err, DCX_EINVAL, "--header-rows is 1 or 2");
    if (o->encoding && (!strcmp(o->encoding, "latin1") || !strcmp(o->encoding, "iso-8859-1")))
        ro.encoding = ENC_LATIN1;
    else if (o->encoding && !strcmp(o->encoding, "windows-1252"))
        ro.encoding = ENC_CP1252;
    dcx_strlist_t named = {0}, na = {0};
    dcx_status_t st = push_commas(&named, o->attributes, err);
    for (size_t i = 0; !st && i < o->group_by.n; i++)
        if (dcx_strlist_push(&named, o->group_by.v[i]))
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!st && o->weight_column && dcx_strlist_push(&named, o->weight_column))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!st)
        st = push_commas(&na, o->na, err);
    if (!st) {
        ro.named = (const char *const *)named.v;
        ro.nnamed = named.n;
        ro.na = &na;
        st = responses_read(a, path, &ro, rs, warnings, err);
    }
    dcx_strlist_free(&named);
    dcx_strlist_free(&na);
    return st;
}

int reliability_warnings(dcx_strlist_t *w, const char *prefix, const mdimension_t *dm,
                         const dimres_t *r)
{
    char v[32];
    if (!isnan(r->rwg) && r->rwg < 0.7
        && dcx_strlist_pushf(w, "%srespondents disagree on %s (rwg = %s, below 0.7)", prefix, dm->name,
                             tb_below(r->rwg, 0.7, v, sizeof v)))
        return -1;
    if (!isnan(r->alpha) && r->alpha < 0.5
        && dcx_strlist_pushf(w,
                             "%sthe statements of %s do not hang together (Cronbach's alpha = %s, "
                             "below 0.5): check its reverse-worded items; a negative alpha is the "
                             "classic sign of one scored the wrong way",
                             prefix, dm->name, tb_below(r->alpha, 0.5, v, sizeof v)))
        return -1;
    return 0;
}
