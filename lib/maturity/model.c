/* model.c — reading and checking an assessment definition. */
#include "model.h"

#include "dcx/env.h"
#include "dcx/jsonio.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

void dcx_assessment_free(dcx_assessment_t *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nd; i++) {
        free(a->dims[i].id);
        free(a->dims[i].name);
        for (size_t l = 0; a->dims[i].rec && l < a->nlevels; l++)
            free(a->dims[i].rec[l]);
        free(a->dims[i].rec);
    }
    free(a->dims);
    for (size_t i = 0; i < a->nq; i++) {
        free(a->qs[i].id);
        free(a->qs[i].text);
    }
    free(a->qs);
    dcx_strmap_free(&a->qmap);
    dcx_strmap_free(&a->dmap);
    for (size_t i = 0; i < a->nlevels; i++)
        free(a->levels[i].name);
    free(a->levels);
    for (size_t i = 0; i < a->nlabels; i++)
        free(a->labels[i]);
    free(a->labels);
    for (size_t i = 0; i < a->nna; i++)
        free(a->na[i]);
    free(a->na);
    free(a->na_num);
    free(a->id);
    free(a->version);
    free(a->title);
    free(a->path);
    free(a);
}

long assessment_level(const dcx_assessment_t *a, double score)
{
    long best = -1;
    for (size_t i = 0; i < a->nlevels; i++)
        if (a->levels[i].min <= score)
            best = (long)i;
    return best;
}

/* Levenshtein distance of a and b (case-insensitive), or limit + 1 when above limit;
 * SIZE_MAX when out of memory. */
size_t edit_distance(const char *a, size_t la, const char *b, size_t lb, size_t limit)
{
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    size_t *prev = malloc((lb + 1) * sizeof *prev), *cur = malloc((lb + 1) * sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return SIZE_MAX;
    }
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    size_t best = 0;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (cur[j] < best)
                best = cur[j];
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
        if (best > limit) /* every path is already too long */
            break;
    }
    size_t d = best > limit ? limit + 1 : prev[lb];
    free(prev);
    free(cur);
    return d > limit ? limit + 1 : d;
}

long assessment_question(const dcx_assessment_t *a, const char *id)
{
    return dcx_strmap_get(&a->qmap, id, strlen(id));
}

typedef struct {
    const char *path;
    dcx_strlist_t *problems;
    dcx_error_t *err;
    int count;
    int oom; /* an allocation failed: the load fails with DCX_ENOMEM */
} checker_t;

static void problem(checker_t *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void problem(checker_t *c, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->count++ == 0)
        dcx_error_at(c->err, DCX_EPARSE, c->path, 0, 0, "%s", msg);
    if (c->problems && dcx_strlist_pushf(c->problems, "%s: %s", c->path, msg))
        c->oom = 1;
}

/* strdup that records a failure */
static char *dup(checker_t *c, const char *s)
{
    char *d = strdup(s);
    if (!d)
        c->oom = 1;
    return d;
}

/* calloc that records a failure */
static void *zalloc(checker_t *c, size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        c->oom = 1;
    return p;
}

static char *get_str(checker_t *c, const cJSON *o, const char *key, const char *where, int need)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v) && v->valuestring[0])
        return dup(c, v->valuestring);
    if (v || need)
        problem(c, "%s%s'%s' must be a non-empty string", where, *where ? ": " : "", key);
    return NULL;
}

static double get_weight(checker_t *c, const cJSON *o, const char *where)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "weight");
    if (!v)
        return 1.0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble > 0) || !isfinite(v->valuedouble)) {
        problem(c, "%s: 'weight' must be a number > 0", where);
        return 1.0;
    }
    return v->valuedouble;
}

const char *dcx_assessment_path(const char *name, char *buf, size_t len)
{
    struct stat sb;
    const char *dir = dcx_assessment_dir();
    if (!dir || !*name || strchr(name, '/') || stat(name, &sb) == 0)
        return name;
    static const char *const tails[] = {".json", ""};
    for (int k = 0; k < 2; k++) {
        int n = snprintf(buf, len, "%s/%s%s", dir, name, tails[k]);
        if (n > 0 && (size_t)n < len && stat(buf, &sb) == 0 && S_ISREG(sb.st_mode))
            return buf;
    }
    return name;
}

size_t label_norm(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    int space = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end && n + 2 < cap) {
        unsigned c = *p++;
        if (c >= 0x80) {
            /* the typographic forms survey tools and word processors write */
            if (c == 0xC2 && p < end && *p == 0xA0) { /* no-break space */
                c = ' ';
                p++;
            } else if (c == 0xE2 && p + 1 < end && p[0] == 0x80
                       && (p[1] == 0x98 || p[1] == 0x99 || p[1] == 0x9B || p[1] == 0xB2)) {
                c = '\'';
                p += 2;
            } else if (c == 0xE2 && p + 1 < end && p[0] == 0x80 && (p[1] == 0x9C || p[1] == 0x9D)) {
                c = '"';
                p += 2;
            } else if (c == 0xE2 && p + 1 < end && p[0] == 0x80 && (p[1] == 0xAF || p[1] == 0x87)) {
                c = ' '; /* narrow and figure no-break spaces */
                p += 2;
            }
        }
        if (c == ' ' || c == '\t') {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = 0;
        out[n++] = (char)tolower((int)c);
    }
    out[n] = '\0';
    return n;
}

/* The allowed key nearest to key (within edit distance 2), or NULL. */
static const char *nearest_key(const char *key, const char *const *allowed)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (int i = 0; allowed[i]; i++) {
        size_t d = edit_distance(key, strlen(key), allowed[i], strlen(allowed[i]), 2);
        if (d < bestd && d != SIZE_MAX) {
            bestd = d;
            best = allowed[i];
        }
    }
    return best;
}

/* Every key of o must be one of allowed: an unknown one (a misspelling such as "reversed"
 * or "wieght" would otherwise be ignored without a word) is a problem naming the key it
 * probably meant, or listing those that are allowed. */
static void check_keys(checker_t *c, const cJSON *o, const char *where, const char *const *allowed)
{
    const cJSON *k;
    if (!cJSON_IsObject(o))
        return;
    cJSON_ArrayForEach(k, o)
    {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++)
            ok = !strcmp(allowed[i], k->string);
        if (ok)
            continue;
        const char *near = nearest_key(k->string, allowed);
        if (near) {
            problem(c, "%s%sunknown key '%.80s'; did you mean '%s'?", where, *where ? ": " : "", k->string, near);
        } else {
            char list[300] = "";
            for (int i = 0; allowed[i]; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", allowed[i]);
            problem(c, "%s%sunknown key '%.80s' (known: %s)", where, *where ? ": " : "", k->string, list);
        }
    }
}

static const char *const root_keys[] = {"id", "version", "title", "description", "scale", "levels",
                                         "dimensions", NULL};
static const char *const scale_keys[] = {"min", "max", "step", "labels", "na", NULL};
static const char *const level_keys[] = {"level", "name", "min", "description", NULL};
static const char *const dim_keys[] = {"id", "name", "description", "weight", "direction", "questions",
                                       "recommendations", NULL};
static const char *const q_keys[] = {"id", "text", "description", "weight", "reverse", NULL};

int assessment_on_scale(const dcx_assessment_t *a, double v)
{
    if (!(v >= a->smin && v <= a->smax))
        return 0;
    if (a->step > 0) {
        double k = (v - a->smin) / a->step;
        return fabs(k - nearbyint(k)) <= 1e-9 * fmax(1, fabs(k));
    }
    return 1;
}

const char *assessment_na_clash(const dcx_assessment_t *a, const char *code, char *why, size_t n)
{
    char norm[256], lab[256];
    size_t len = strlen(code);
    label_norm(code, len, norm, sizeof norm);
    double v;
    char *end;
    errno = 0;
    v = strtod(norm, &end);
    if (*norm && !*end && end != norm && isfinite(v) && assessment_on_scale(a, v)) {
        snprintf(why, n, "'%s' is a point of the scale (%g to %g): every answer %g would be lost", code,
                 a->smin, a->smax, v);
        return why;
    }
    for (size_t i = 0; i < a->nlabels; i++) {
        if (!a->labels[i]) /* not copied: the load is failing for want of memory */
            continue;
        label_norm(a->labels[i], strlen(a->labels[i]), lab, sizeof lab);
        if (!strcmp(lab, norm)) {
            snprintf(why, n, "'%s' is the label of scale point %g: every such answer would be lost", code,
                     a->smin + (double)i);
            return why;
        }
    }
    return NULL;
}

dcx_status_t dcx_assessment_load(const char *path, dcx_assessment_t **out,
                                 dcx_strlist_t *problems, dcx_error_t *err)
{
    *out = NULL;
    char found[2048];
    path = dcx_assessment_path(path, found, sizeof found);
    cJSON *root;
    dcx_status_t rst = dcx_read_json_file(path, (size_t)64 << 20, &root, err);
    if (rst) {
        if (rst == DCX_EPARSE && problems) {
            char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
            if (dcx_strlist_push(problems, dcx_error_format(err, buf, sizeof buf)))
                return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
        return rst;
    }
    checker_t c = {path, problems, err, 0, 0};
    dcx_assessment_t *a = calloc(1, sizeof *a);
    if (!a) {
        cJSON_Delete(root);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    a->path = dup(&c, path);
    if (!cJSON_IsObject(root)) {
        problem(&c, "an assessment must be a JSON object");
        goto finish;
    }
    check_keys(&c, root, "", root_keys);
    a->id = get_str(&c, root, "id", "", 1);
    a->version = get_str(&c, root, "version", "", 1);
    a->title = get_str(&c, root, "title", "", 1);
    /* scale */
    const cJSON *scale = cJSON_GetObjectItemCaseSensitive(root, "scale");
    if (scale && !cJSON_IsObject(scale))
        problem(&c, "'scale' must be an object {\"min\", \"max\", ...}");
    check_keys(&c, scale, "scale", scale_keys);
    const cJSON *smin = cJSON_GetObjectItemCaseSensitive(scale, "min"),
                *smax = cJSON_GetObjectItemCaseSensitive(scale, "max");
    if (!cJSON_IsNumber(smin) || !cJSON_IsNumber(smax) || !(smin->valuedouble < smax->valuedouble)
        || fabs(smin->valuedouble) > 1e6 || fabs(smax->valuedouble) > 1e6) {
        problem(&c, "scale: 'min' and 'max' must be numbers with min < max (within +-1e6)");
        a->smin = 1, a->smax = 5;
    } else {
        a->smin = smin->valuedouble, a->smax = smax->valuedouble;
    }
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(scale, "labels"), *it;
    if (labels) {
        double span = a->smax - a->smin + 1;
        size_t want = span >= 1 && span <= 1000 ? (size_t)span : 0;
        if (!cJSON_IsArray(labels) || a->smin != floor(a->smin) || a->smax != floor(a->smax)
            || !want || (size_t)cJSON_GetArraySize(labels) != want)
            problem(&c, "scale: 'labels' must list one label per point of the scale (%zu)", want);
        else {
            a->labels = zalloc(&c, want, sizeof *a->labels);
            cJSON_ArrayForEach(it, labels)
            {
                if (!a->labels)
                    break;
                if (!cJSON_IsString(it)) {
                    problem(&c, "scale: labels must be strings");
                    break;
                }
                a->labels[a->nlabels++] = dup(&c, it->valuestring);
            }
        }
    }
    /* missing answers: "N/A", "NA" and the empty cell always; `na` adds strings and numeric
     * codes (survey exports write -9, 99 or 0 for "no answer") */
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(scale, "na");
    static const char *const default_na[] = {"N/A", "NA", ""};
    size_t nna = na && cJSON_IsArray(na) ? (size_t)cJSON_GetArraySize(na) : 0;
    a->na = zalloc(&c, nna + 4, sizeof *a->na);
    a->na_num = zalloc(&c, nna + 1, sizeof *a->na_num);
    for (size_t i = 0; a->na && i < 3; i++)
        a->na[a->nna++] = dup(&c, default_na[i]);
    if (na && !cJSON_IsArray(na))
        problem(&c, "scale: 'na' must be a list of strings and numbers (missing-answer codes)");
    if (na && cJSON_IsArray(na) && a->na && a->na_num) {
        cJSON_ArrayForEach(it, na)
        {
            if (cJSON_IsString(it)) {
                int seen = 0;
                for (size_t k = 0; k < a->nna && !seen; k++)
                    seen = a->na[k] && strcmp(a->na[k], it->valuestring) == 0;
                if (!seen)
                    a->na[a->nna++] = dup(&c, it->valuestring);
            }
            else if (cJSON_IsNumber(it) && isfinite(it->valuedouble))
                a->na_num[a->nna_num++] = it->valuedouble;
            else
                problem(&c, "scale: 'na' must hold strings and numbers");
        }
    }
    const cJSON *step = cJSON_GetObjectItemCaseSensitive(scale, "step");
    a->step = 1;
    if (step) {
        if (!cJSON_IsNumber(step) || !(step->valuedouble >= 0) || !isfinite(step->valuedouble)
            || step->valuedouble > a->smax - a->smin)
            problem(&c, "scale: 'step' must be a number >= 0 no larger than the scale (0: any value)");
        else
            a->step = step->valuedouble;
    }
    /* a missing-answer code that is also an answer would silently drop every such answer */
    for (size_t i = 0; i < a->nna_num; i++)
        if (assessment_on_scale(a, a->na_num[i]))
            problem(&c, "scale: missing code %g in 'na' is a point of the scale (%g to %g): every answer %g "
                        "would be lost; use a code off the scale (such as -9 or 99)",
                    a->na_num[i], a->smin, a->smax, a->na_num[i]);
    for (size_t i = 3; i < a->nna; i++) {
        char why[400];
        if (a->na[i] && assessment_na_clash(a, a->na[i], why, sizeof why))
            problem(&c, "scale: missing code %s; remove it from 'na'", why);
    }
    /* levels */
    const cJSON *levels = cJSON_GetObjectItemCaseSensitive(root, "levels");
    if (!levels) {
        /* optional: an instrument that is not a maturity model has none */
    } else if (!cJSON_IsArray(levels) || cJSON_GetArraySize(levels) < 1) {
        problem(&c, "'levels', when given, must be a non-empty list of {\"level\", \"name\", \"min\"}");
    } else {
        if (!(a->levels = zalloc(&c, (size_t)cJSON_GetArraySize(levels), sizeof *a->levels)))
            goto finish;
        size_t i = 0;
        cJSON_ArrayForEach(it, levels)
        {
            char where[64];
            snprintf(where, sizeof where, "levels[%zu]", i);
            check_keys(&c, it, where, level_keys);
            const cJSON *lv = cJSON_GetObjectItemCaseSensitive(it, "level"),
                        *mn = cJSON_GetObjectItemCaseSensitive(it, "min");
            mlevel_t *l = &a->levels[i];
            l->name = get_str(&c, it, "name", where, 1);
            if (!cJSON_IsNumber(lv) || lv->valuedouble != floor(lv->valuedouble)
                || fabs(lv->valuedouble) > 1e6)
                problem(&c, "%s: 'level' must be a whole number", where);
            else
                l->level = (int)lv->valuedouble;
            if (!cJSON_IsNumber(mn))
                problem(&c, "%s: 'min' must be a number", where);
            else
                l->min = mn->valuedouble;
            if (i > 0 && !(l->level > a->levels[i - 1].level))
                problem(&c, "%s: level numbers must increase", where);
            if (i > 0 && !(l->min > a->levels[i - 1].min))
                problem(&c, "%s: level thresholds ('min') must increase", where);
            if (l->min < a->smin || l->min > a->smax)
                problem(&c, "%s: 'min' %g is outside the scale [%g, %g]", where, l->min, a->smin,
                        a->smax);
            i++;
        }
        a->nlevels = i;
        if (i && a->levels[0].min > a->smin)
            problem(&c, "levels[0]: the first level starts at %g, above the scale minimum %g; "
                        "lower scores would have no level",
                    a->levels[0].min, a->smin);
    }
    /* dimensions and questions */
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(root, "dimensions");
    if (!cJSON_IsArray(dims) || cJSON_GetArraySize(dims) < 1) {
        problem(&c, "'dimensions' must be a non-empty list");
        goto finish;
    }
    size_t total_q = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, dims) total_q += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "questions"));
    a->dims = zalloc(&c, (size_t)cJSON_GetArraySize(dims), sizeof *a->dims);
    a->qs = zalloc(&c, total_q + 1, sizeof *a->qs);
    if (!a->dims || !a->qs)
        goto finish;
    size_t di = 0;
    cJSON_ArrayForEach(d, dims)
    {
        char where[300];
        mdimension_t *dm = &a->dims[di];
        snprintf(where, sizeof where, "dimensions[%zu]", di);
        dm->id = get_str(&c, d, "id", where, 1);
        if (dm->id)
            snprintf(where, sizeof where, "dimension '%s'", dm->id);
        check_keys(&c, d, where, dim_keys);
        dm->name = get_str(&c, d, "name", where, 1);
        dm->weight = get_weight(&c, d, where);
        const cJSON *dir = cJSON_GetObjectItemCaseSensitive(d, "direction");
        if (dir && !(cJSON_IsString(dir) && (!strcmp(dir->valuestring, "higher") || !strcmp(dir->valuestring, "lower"))))
            problem(&c, "%s: 'direction' must be \"higher\" or \"lower\" (which scores are better)", where);
        dm->lower = cJSON_IsString(dir) && !strcmp(dir->valuestring, "lower");
        if (dm->id) {
            long before = (long)a->dmap.n, at = dcx_strmap_put(&a->dmap, dm->id, strlen(dm->id));
            if (at < 0)
                c.oom = 1;
            else if (at < before)
                problem(&c, "%s: duplicate dimension id", where);
        }
        dm->q0 = a->nq;
        const cJSON *qs = cJSON_GetObjectItemCaseSensitive(d, "questions"), *q;
        if (!cJSON_IsArray(qs) || cJSON_GetArraySize(qs) < 1)
            problem(&c, "%s: 'questions' must be a non-empty list", where);
        size_t qi = 0;
        cJSON_ArrayForEach(q, qs)
        {
            char qwhere[400];
            snprintf(qwhere, sizeof qwhere, "%s: questions[%zu]", where, qi++);
            mquestion_t *mq = &a->qs[a->nq];
            mq->dim = di;
            mq->id = get_str(&c, q, "id", qwhere, 1);
            if (mq->id)
                snprintf(qwhere, sizeof qwhere, "question '%s'", mq->id);
            check_keys(&c, q, qwhere, q_keys);
            mq->text = get_str(&c, q, "text", qwhere, 1);
            mq->weight = get_weight(&c, q, qwhere);
            const cJSON *rev = cJSON_GetObjectItemCaseSensitive(q, "reverse");
            if (rev && !cJSON_IsBool(rev))
                problem(&c, "%s: 'reverse' must be true or false", qwhere);
            mq->reverse = cJSON_IsTrue(rev);
            if (mq->id) {
                long before = (long)a->qmap.n, at = dcx_strmap_put(&a->qmap, mq->id, strlen(mq->id));
                if (at < 0)
                    c.oom = 1;
                else if (at < before)
                    problem(&c, "%s: duplicate question id", qwhere);
                if (dcx_strmap_get(&a->dmap, mq->id, strlen(mq->id)) >= 0)
                    problem(&c, "%s: the id is also a dimension id", qwhere);
            }
            a->nq++;
        }
        dm->nq = a->nq - dm->q0;
        /* recommendations for every level above the first */
        const cJSON *recs = cJSON_GetObjectItemCaseSensitive(d, "recommendations");
        dm->rec = zalloc(&c, a->nlevels + 1, sizeof *dm->rec);
        const cJSON *rk, *recobj = cJSON_IsObject(recs) ? recs : NULL;
        if (recs && !recobj)
            problem(&c, "%s: 'recommendations' must be an object {\"level\": \"text\"}", where);
        cJSON_ArrayForEach(rk, recobj)
        {
            size_t l = 0;
            char key[16];
            for (; l < a->nlevels; l++) {
                snprintf(key, sizeof key, "%d", a->levels[l].level);
                if (!strcmp(key, rk->string))
                    break;
            }
            if (l == a->nlevels)
                problem(&c, "%s: recommendations: unknown key '%.40s': not a level number of 'levels'", where,
                        rk->string);
            else if (!cJSON_IsString(rk))
                problem(&c, "%s: recommendations: the text for level %s must be a string", where, rk->string);
        }
        for (size_t l = 0; dm->rec && l < a->nlevels; l++) {
            char key[16];
            snprintf(key, sizeof key, "%d", a->levels[l].level);
            const cJSON *r = cJSON_GetObjectItemCaseSensitive(recs, key);
            if (cJSON_IsString(r) && r->valuestring[0])
                dm->rec[l] = dup(&c, r->valuestring);
            else if (l > 0)
                problem(&c, "%s: no recommendation for level %s", where, key);
        }
        di++;
        a->nd = di;
    }
finish:
    cJSON_Delete(root);
    if (c.oom) {
        dcx_assessment_free(a);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    if (c.count) {
        dcx_assessment_free(a);
        return DCX_EPARSE;
    }
    *out = a;
    return DCX_OK;
}
