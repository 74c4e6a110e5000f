/* result_check.c — a result document read back from a file (or handed over from Lua)
 * comes from someone we do not know: before any plot or report touches it, every field
 * they read is checked for its type, so that renderers may rely on what they find. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "doc_read.h"
#include "dcx/plot.h"

enum { T_NULL = 1, T_NUM = 2, T_STR = 4, T_BOOL = 8, T_ARR = 16, T_OBJ = 32 };

typedef struct {
    dcx_error_t *err;
    int bad;
    char where[160];
} chk_t;

static int type_of(const cJSON *v)
{
    if (cJSON_IsNull(v))
        return T_NULL;
    if (cJSON_IsNumber(v))
        return T_NUM;
    if (cJSON_IsString(v))
        return T_STR;
    if (cJSON_IsBool(v))
        return T_BOOL;
    if (cJSON_IsArray(v))
        return T_ARR;
    if (cJSON_IsObject(v))
        return T_OBJ;
    return 0;
}

static const char *type_words(int mask)
{
    switch (mask) {
    case T_NUM: return "a number";
    case T_NUM | T_NULL: return "a number or null";
    case T_STR: return "a string";
    case T_STR | T_NULL: return "a string or null";
    case T_BOOL | T_NULL: return "true, false or null";
    case T_BOOL: return "true or false";
    case T_ARR: return "a list";
    case T_ARR | T_NULL: return "a list or null";
    case T_OBJ: return "an object";
    default: return "of another type";
    }
}

static void fail(chk_t *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void fail(chk_t *c, const char *fmt, ...)
{
    if (c->bad++)
        return;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dcx_error_set(c->err, DCX_EPARSE, "not a dcx result: %s%s%s", c->where, *c->where ? ": " : "",
                  msg);
}

/* key in obj has one of the types in mask; absent is fine unless required */
static const cJSON *want(chk_t *c, const cJSON *obj, const char *key, int mask, int required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            fail(c, "'%s' is missing", key);
        return NULL;
    }
    if (!(type_of(v) & mask)) {
        fail(c, "'%s' must be %s", key, type_words(mask));
        return NULL;
    }
    return v;
}

/* a probability (a p-value): null or a number from 0 to 1 */
static void want_p(chk_t *c, const cJSON *obj, const char *key)
{
    const cJSON *v = want(c, obj, key, T_NUM | T_NULL, 0);
    if (cJSON_IsNumber(v) && !(v->valuedouble >= 0 && v->valuedouble <= 1))
        fail(c, "'%s' must be null or a number from 0 to 1", key);
}

/* a count (units, degrees of freedom): null or a whole number from 0 to 2^53 */
static void want_count(chk_t *c, const cJSON *obj, const char *key)
{
    const cJSON *v = want(c, obj, key, T_NUM | T_NULL, 0);
    if (cJSON_IsNumber(v)
        && !(v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0 && v->valuedouble == floor(v->valuedouble)))
        fail(c, "'%s' must be null or a whole number from 0 to 2^53", key);
}

/* a whole number from lo to hi (null too when nullable) */
static void want_whole(chk_t *c, const cJSON *obj, const char *key, double lo, double hi, int nullable,
                       int required)
{
    const cJSON *v = want(c, obj, key, nullable ? T_NUM | T_NULL : T_NUM, required);
    if (cJSON_IsNumber(v) && !(v->valuedouble >= lo && v->valuedouble <= hi && v->valuedouble == floor(v->valuedouble)))
        fail(c, "'%s' must be %sa whole number from %.0f to %.0f", key, nullable ? "null or " : "", lo, hi);
}

/* an interval: null, or a list of two entries that are numbers (or null: an open end) */
static void want_interval(chk_t *c, const cJSON *obj, const char *key)
{
    const cJSON *v = want(c, obj, key, T_ARR | T_NULL, 0), *e;
    if (!cJSON_IsArray(v))
        return;
    if (cJSON_GetArraySize(v) != 2)
        fail(c, "'%s' must be null or a list of two numbers", key);
    cJSON_ArrayForEach(e, v) if (!cJSON_IsNumber(e) && !cJSON_IsNull(e))
        fail(c, "'%s' must hold numbers", key);
}

/* key in obj, when present and not null, is one of the words of a closed set: what a
 * renderer writes of it comes from the table, and anything else is not a dcx result */
static void want_word(chk_t *c, const cJSON *obj, const char *key, doc_set_t set, int required)
{
    const cJSON *v = want(c, obj, key, required ? T_STR : T_STR | T_NULL, required);
    if (cJSON_IsString(v) && !doc_word(set, v->valuestring))
        fail(c, "'%s' must be %s", key, doc_words_text(set));
}

static void want_strings(chk_t *c, const cJSON *obj, const char *key, int required)
{
    const cJSON *v = want(c, obj, key, T_ARR, required), *e;
    cJSON_ArrayForEach(e, v) if (!cJSON_IsString(e)) fail(c, "'%s' must be a list of strings", key);
}

/* each element of obj[key] must be an object; calls each(c, element) */
static void each_object(chk_t *c, const cJSON *obj, const char *key, int required,
                        void (*each)(chk_t *, const cJSON *))
{
    const cJSON *v = want(c, obj, key, T_ARR, required), *e;
    int i = 0;
    cJSON_ArrayForEach(e, v)
    {
        char saved[sizeof c->where];
        memcpy(saved, c->where, sizeof saved);
        snprintf(c->where + strlen(c->where), sizeof c->where - strlen(c->where), "%s%s[%d]",
                 *saved ? "." : "", key, i++);
        if (!cJSON_IsObject(e))
            fail(c, "must be an object");
        else if (each)
            each(c, e);
        memcpy(c->where, saved, sizeof saved);
        if (c->bad)
            return;
    }
}

static void arm(chk_t *c, const cJSON *r, const char *key)
{
    const cJSON *a = want(c, r, key, T_OBJ, 1);
    if (a) {
        want_count(c, a, "n");
        want(c, a, "mean", T_NUM | T_NULL, 0);
        want(c, a, "sd", T_NUM | T_NULL, 0);
    }
}

static void result_row(chk_t *c, const cJSON *r)
{
    static const char *const strs[] = {"metric", "segment", "segment_value", "variant"};
    for (size_t i = 0; i < 4; i++)
        want(c, r, strs[i], T_STR, 1);
    want_word(c, r, "type", DOC_TYPE, 1);
    arm(c, r, "control");
    arm(c, r, "treatment");
    static const char *const nums[] = {"diff", "lift", "statistic", "expected_loss", "margin"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        want(c, r, nums[i], T_NUM | T_NULL, 0);
    static const char *const probs[] = {"p_value", "p_adjusted", "prob_beat_control", "ni_p_value"};
    for (size_t i = 0; i < sizeof probs / sizeof probs[0]; i++)
        want_p(c, r, probs[i]);
    static const char *const ivs[] = {"diff_ci", "lift_ci", "credible_interval", "diff_ci_adjusted",
                                      "lift_ci_adjusted"};
    for (size_t i = 0; i < sizeof ivs / sizeof ivs[0]; i++)
        want_interval(c, r, ivs[i]);
    want(c, r, "theta", T_NUM | T_NULL, 0);
    want(c, r, "variance_reduction", T_NUM | T_NULL, 0);
    want_whole(c, r, "strata", 2, 1000, 1, 0); /* --post-stratify: the strata estimated */
    want(c, r, "significant", T_BOOL | T_NULL, 0);
    want(c, r, "non_inferior", T_BOOL | T_NULL, 0);
    want_word(c, r, "role", DOC_ROLE, 0);
    want_word(c, r, "direction", DOC_DIRECTION, 0);
    want_word(c, r, "test", DOC_TEST, 0);
}

static void srm_row(chk_t *c, const cJSON *s)
{
    want(c, s, "segment", T_STR, 1);
    want(c, s, "segment_value", T_STR, 1);
    want(c, s, "chi2", T_NUM | T_NULL, 0);
    want_p(c, s, "p_value");
    want(c, s, "mismatch", T_BOOL | T_NULL, 0);
}

static void het_row(chk_t *c, const cJSON *h)
{
    want(c, h, "metric", T_STR, 1);
    want(c, h, "variant", T_STR, 1);
    want(c, h, "segment", T_STR, 1);
    want(c, h, "q", T_NUM | T_NULL, 0);
    want_count(c, h, "df");
    want_p(c, h, "p_value");
}

static void timeline_row(chk_t *c, const cJSON *t)
{
    want(c, t, "period", T_STR, 1);
    want(c, t, "metric", T_STR, 1);
    want(c, t, "variant", T_STR, 1);
    want_count(c, t, "n_control");
    want_count(c, t, "n_treatment");
    want(c, t, "diff", T_NUM | T_NULL, 0);
    want_interval(c, t, "diff_ci");
    want_p(c, t, "p_value");
}

static void decision_row(chk_t *c, const cJSON *d)
{
    want(c, d, "variant", T_STR, 1);
    want_word(c, d, "decision", DOC_DECISION, 1);
    want_strings(c, d, "reasons", 0);
}

static void dimension_row(chk_t *c, const cJSON *d)
{
    want(c, d, "id", T_STR, 1);
    want(c, d, "name", T_STR, 1);
    static const char *const nums[] = {"weight", "score", "index", "level", "sd",
                                       "coverage", "alpha", "rwg", "target", "gap", "priority",
                                       "before", "after", "delta", "progress",
                                       "level_before", "level_after"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        want(c, d, nums[i], T_NUM | T_NULL, 0);
    want_count(c, d, "n");
    want_p(c, d, "p_value");
    want(c, d, "level_name", T_STR | T_NULL, 0);
    want(c, d, "recommendation", T_STR | T_NULL, 0);
    want_word(c, d, "direction", DOC_DIM_DIRECTION, 0);
    want_interval(c, d, "ci");
}

static void overall(chk_t *c, const cJSON *doc)
{
    const cJSON *o = want(c, doc, "overall", T_OBJ, 0);
    if (!o)
        return;
    static const char *const nums[] = {"score", "index", "level", "target", "gap",
                                       "percent_to_target", "before", "after", "delta",
                                       "progress", "level_before", "level_after"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        want(c, o, nums[i], T_NUM | T_NULL, 0);
    want_p(c, o, "p_value");
    want(c, o, "level_name", T_STR | T_NULL, 0);
}

static void group_row(chk_t *c, const cJSON *g)
{
    want(c, g, "group", T_STR, 1);
    want(c, g, "respondents", T_NUM | T_NULL, 0);
    overall(c, g);
    each_object(c, g, "dimensions", 0, dimension_row);
}

dcx_status_t dcx_result_check(const cJSON *doc, dcx_error_t *err)
{
    chk_t c = {err, 0, ""};
    if (!cJSON_IsObject(doc))
        return dcx_error_set(err, DCX_EPARSE, "not a dcx result: the document must be a JSON object");
    want_strings(&c, doc, "warnings", 0);
    if (cJSON_GetObjectItemCaseSensitive(doc, "results")) { /* analyze */
        want_word(&c, doc, "method", DOC_METHOD, 0);
        want_word(&c, doc, "correction", DOC_CORRECTION, 0);
        want(&c, doc, "control", T_STR, 0);
        want(&c, doc, "alpha", T_NUM, 0);
        const cJSON *srm = want(&c, doc, "srm", T_OBJ, 0);
        if (srm) {
            want(&c, srm, "chi2", T_NUM | T_NULL, 0);
            want_p(&c, srm, "p_value");
            want(&c, srm, "mismatch", T_BOOL | T_NULL, 0);
        }
        const cJSON *ps = want(&c, doc, "post_stratify", T_OBJ, 0);
        if (ps) { /* the column named in the views, and its count of values (at most 1,000) */
            snprintf(c.where, sizeof c.where, "post_stratify");
            want(&c, ps, "column", T_STR, 1);
            want_whole(&c, ps, "strata", 0, 1000, 0, 1);
            c.where[0] = '\0';
        }
        each_object(&c, doc, "results", 1, result_row);
        each_object(&c, doc, "srm_segments", 0, srm_row);
        each_object(&c, doc, "heterogeneity", 0, het_row);
        each_object(&c, doc, "timeline", 0, timeline_row);
        each_object(&c, doc, "decisions", 0, decision_row);
    }
    if (cJSON_GetObjectItemCaseSensitive(doc, "dimensions")) { /* maturity score or compare */
        const cJSON *a = want(&c, doc, "assessment", T_OBJ, 0);
        if (a) {
            want(&c, a, "id", T_STR | T_NULL, 0);
            want(&c, a, "version", T_STR | T_NULL, 0);
            want(&c, a, "title", T_STR | T_NULL, 0);
        }
        want(&c, doc, "respondents", T_NUM | T_NULL, 0);
        overall(&c, doc);
        each_object(&c, doc, "dimensions", 1, dimension_row);
        want_strings(&c, doc, "priority_order", 0);
        each_object(&c, doc, "groups", 0, group_row);
    }
    static const char *const power_nums[] = {"n_per_variant", "n_total", "mde", "power", "alpha",
                                             "baseline", "mean", "sd", "variants", "ratio",
                                             "n_treatment"};
    for (size_t i = 0; i < sizeof power_nums / sizeof power_nums[0]; i++)
        if (!cJSON_GetObjectItemCaseSensitive(doc, "results")
            && !cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
            want(&c, doc, power_nums[i], T_NUM | T_NULL, 0);
    want(&c, doc, "metric", T_STR, 0);
    return c.bad ? DCX_EPARSE : DCX_OK;
}
