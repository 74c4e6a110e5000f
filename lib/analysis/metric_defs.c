/* metric_defs.c — metric definitions that live in a file so they do not drift between runs
 * (GrowthBook's metric library): `--metrics FILE.json`, the experiment config's "metrics"
 * member (--config), or from Lua the same list as a table. They are read strictly (an
 * unknown key is an error at its line and column, with the key it probably meant) and
 * folded into the option lists the flags fill (--metric, --cap, --cuped, --goal,
 * --guardrail, --direction, --cap-ignore-zeros), the file's first, so that flags on the
 * command line add metrics and override a definition's role, direction, margin or cap. The
 * rest of the run sees one set of options, wherever a definition came from. */
#include "analyze_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/jsonio.h"
#include "fileio.h"
#include "json_locate.h"
#include "numparse.h"
#include "suggest.h"

/* The keys of one definition, and of a definitions file. */
static const char *const def_keys[] = {"name",     "type",        "column",     "role",
                                       "margin",   "direction",   "quantile",   "numerator",
                                       "denominator", "cap",      "cap_ignore_zeros", "cuped",
                                       "description"};
#define NDEF_KEYS (sizeof def_keys / sizeof *def_keys)
static const char *const file_keys[] = {"metrics", "description"};
static const char *const types[] = {"binary", "mean", "ratio", "nps", "quantile"};
static const char *const roles[] = {"goal", "guardrail", "secondary"};
static const char *const directions[] = {"increase", "decrease"};

/* Where the definitions come from: the text (for positions) and its name. */
typedef struct {
    const char *file;  /* the file, or NULL for a table handed over in memory */
    const char *text;  /* its text, or NULL */
    size_t len;
    const char *list_key; /* the member holding the list ("metrics"), or NULL for a bare list */
    dcx_error_t *err;
} src_t;

/* An error about definition i (and its member key, or the definition itself when NULL):
 * at the member's line and column in a file; "metrics[i]" names it either way. */
static dcx_status_t bad(const src_t *s, size_t i, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static dcx_status_t bad(const src_t *s, size_t i, const char *key, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_step_t path[3];
    size_t depth = 0;
    if (s->list_key)
        path[depth++] = (json_step_t){s->list_key, 0};
    path[depth++] = (json_step_t){NULL, i};
    if (key)
        path[depth++] = (json_step_t){key, 0};
    long line = 0, col = 0;
    if (s->text && !json_locate(s->text, s->len, path, depth, &line, &col) && key)
        json_locate(s->text, s->len, path, depth - 1, &line, &col);
    if (s->file)
        return dcx_error_at(s->err, DCX_EPARSE, s->file, line, col, "metrics[%zu]: %s", i, msg);
    return dcx_error_set(s->err, DCX_EINVAL, "metrics[%zu]: %s", i, msg);
}

/* ", did you mean 'W'?" for a word near one of words[0..n), else "" (into buf). */
static const char *maybe(const char *word, const char *const *words, size_t n, char *buf, size_t len)
{
    const char *w = dcx_nearest_word(word, words, n);
    if (w)
        snprintf(buf, len, " (did you mean '%s'?)", w);
    else
        buf[0] = '\0';
    return buf;
}

/* The word v holds out of words[0..n) (*out), or an error naming key and the choices. */
static dcx_status_t word_of(const src_t *s, size_t i, const cJSON *v, const char *key,
                            const char *const *words, size_t n, const char **out)
{
    char hint[96];
    if (!cJSON_IsString(v))
        return bad(s, i, key, "'%s' must be a string", key);
    for (size_t k = 0; k < n; k++)
        if (!strcmp(v->valuestring, words[k])) {
            *out = words[k];
            return DCX_OK;
        }
    if (!strcmp(key, "role") && !strcmp(v->valuestring, "success"))
        return bad(s, i, key, "role 'success' is retired: a metric is a 'goal' (it decides), a "
                              "'guardrail' or 'secondary'");
    char list[128] = "";
    for (size_t k = 0; k < n; k++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? (k + 1 == n ? " or " : ", ") : "",
                 words[k]);
    return bad(s, i, key, "%s '%.60s' is not %s%s", key, v->valuestring, list,
               maybe(v->valuestring, words, n, hint, sizeof hint));
}

/* A non-empty string member (*out), or an error. */
static dcx_status_t text_of(const src_t *s, size_t i, const cJSON *v, const char *key, const char **out)
{
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return bad(s, i, key, "'%s' must be a non-empty string", key);
    *out = v->valuestring;
    return DCX_OK;
}

/* One definition, read: every member checked, nothing yet folded in. */
typedef struct {
    const char *name, *type, *column, *role, *direction, *num, *den, *cuped;
    char margin[64], cap[64], quantile[40];
    int has_margin, has_cap, ignore_zeros;
} def_t;

static dcx_status_t read_def(const src_t *s, size_t i, const cJSON *e, def_t *d)
{
    memset(d, 0, sizeof *d);
    if (!cJSON_IsObject(e))
        return bad(s, i, NULL, "a metric definition is an object {\"name\": ..., \"type\": ...}");
    char hint[96];
    for (const cJSON *k = e->child; k; k = k->next) {
        int known = 0;
        for (size_t j = 0; j < NDEF_KEYS && !known; j++)
            known = !strcmp(k->string, def_keys[j]);
        if (!known)
            return bad(s, i, k->string, "unknown key '%.60s'%s", k->string,
                       maybe(k->string, def_keys, NDEF_KEYS, hint, sizeof hint));
    }
    dcx_status_t st;
    const cJSON *v;
    if ((st = text_of(s, i, cJSON_GetObjectItemCaseSensitive(e, "name"), "name", &d->name)))
        return st;
    if (strpbrk(d->name, ":=,"))
        return bad(s, i, "name", "metric name '%.60s': a name cannot hold ':', '=' or ','", d->name);
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "type"))
        && (st = word_of(s, i, v, "type", types, 5, &d->type)))
        return st;
    int ratio = d->type && !strcmp(d->type, "ratio"), quant = d->type && !strcmp(d->type, "quantile");
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "column")) && (st = text_of(s, i, v, "column", &d->column)))
        return st;
    if (ratio) {
        if (d->column)
            return bad(s, i, "column", "a ratio metric names its \"numerator\" and \"denominator\" "
                                       "columns, not a \"column\"");
        if ((st = text_of(s, i, cJSON_GetObjectItemCaseSensitive(e, "numerator"), "numerator", &d->num))
            || (st = text_of(s, i, cJSON_GetObjectItemCaseSensitive(e, "denominator"), "denominator",
                             &d->den)))
            return st;
        if (strchr(d->num, '/')) /* NAME:ratio=NUM/DEN splits at the first '/' */
            return bad(s, i, "numerator", "a ratio's numerator column '%.60s' cannot hold '/'", d->num);
    } else {
        const char *k = cJSON_GetObjectItemCaseSensitive(e, "numerator") ? "numerator"
                        : cJSON_GetObjectItemCaseSensitive(e, "denominator") ? "denominator"
                                                                             : NULL;
        if (k)
            return bad(s, i, k, "'%s' goes with \"type\": \"ratio\"", k);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "quantile");
    if (quant) {
        if (!cJSON_IsNumber(v) || !(v->valuedouble > 0 && v->valuedouble < 1))
            return bad(s, i, v ? "quantile" : NULL,
                       "a quantile metric needs \"quantile\": Q, a number with 0 < Q < 1 (e.g. 0.9)");
        snprintf(d->quantile, sizeof d->quantile, "%.17g", v->valuedouble);
    } else if (v) {
        return bad(s, i, "quantile", "'quantile' goes with \"type\": \"quantile\"");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "role")) && (st = word_of(s, i, v, "role", roles, 3, &d->role)))
        return st;
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "direction"))
        && (st = word_of(s, i, v, "direction", directions, 2, &d->direction)))
        return st;
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "margin"))) {
        double mg;
        const char *t = cJSON_IsString(v) ? v->valuestring : NULL;
        size_t tl = t ? strlen(t) : 0;
        int pct = tl > 1 && t[tl - 1] == '%';
        if (cJSON_IsNumber(v) && v->valuedouble >= 0 && isfinite(v->valuedouble))
            snprintf(d->margin, sizeof d->margin, "%.17g", v->valuedouble);
        else if (t && tl < sizeof d->margin && dcx_parse_number(t, pct ? tl - 1 : tl, &mg) && mg >= 0)
            snprintf(d->margin, sizeof d->margin, "%s", t);
        else
            return bad(s, i, "margin", "'margin' is a number >= 0, absolute (0.002), or a string "
                                       "relative to the control mean (\"2%%\")");
        d->has_margin = 1;
        if (!d->role || strcmp(d->role, "guardrail"))
            return bad(s, i, "margin", "'margin' goes with \"role\": \"guardrail\"");
    }
    if (d->role && !strcmp(d->role, "guardrail") && !d->has_margin)
        return bad(s, i, "role", "a guardrail needs a \"margin\": how much worse it may get "
                                 "(absolute, or \"2%%\" of control)");
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "cap"))) {
        if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) { /* as written, where 15 digits hold it */
            snprintf(d->cap, sizeof d->cap, "%.15g", v->valuedouble);
            if (strtod(d->cap, NULL) != v->valuedouble)
                snprintf(d->cap, sizeof d->cap, "%.17g", v->valuedouble);
        } else if (cJSON_IsString(v) && v->valuestring[0] && strlen(v->valuestring) < sizeof d->cap)
            snprintf(d->cap, sizeof d->cap, "%s", v->valuestring);
        else
            return bad(s, i, "cap", "'cap' is a value (500), a percentile (\"p99\") or two "
                                    "(\"p1:p99\")");
        double lo, hi, plo, phi;
        char buf[300];
        const char *why = cap_value_parse(d->name, strlen(d->name), d->cap, &lo, &hi, &plo, &phi,
                                          buf, sizeof buf);
        if (why)
            return bad(s, i, "cap", "cap '%s'%s", d->cap, why);
        if (d->type && strcmp(d->type, "mean") && !ratio)
            return bad(s, i, "cap", "'cap' applies to mean metrics and the numerator of ratio metrics");
        d->has_cap = 1;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "cap_ignore_zeros"))) {
        if (!cJSON_IsBool(v))
            return bad(s, i, "cap_ignore_zeros", "'cap_ignore_zeros' is true or false");
        d->ignore_zeros = cJSON_IsTrue(v);
        if (d->ignore_zeros && !d->has_cap)
            return bad(s, i, "cap_ignore_zeros", "'cap_ignore_zeros' goes with a \"cap\"");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "cuped")) && (st = text_of(s, i, v, "cuped", &d->cuped)))
        return st;
    if (d->cuped && d->type && strcmp(d->type, "binary") && strcmp(d->type, "mean") && !ratio)
        return bad(s, i, "cuped", "'cuped' applies to binary, mean and ratio metrics");
    if (d->cuped) { /* a ratio's is a pair COVNUM/COVDEN, split at the first '/' */
        const char *slash = strchr(d->cuped, '/');
        if (ratio && (!slash || slash == d->cuped || !slash[1]))
            return bad(s, i, "cuped", "a ratio metric's 'cuped' is its covariate pair, the pre-period "
                                      "numerator and denominator columns: \"COVNUM/COVDEN\"");
        if (!ratio && slash)
            return bad(s, i, "cuped", "'cuped' of a metric that reads one column is one covariate "
                                      "column; a \"COVNUM/COVDEN\" pair goes with \"type\": \"ratio\"");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(e, "description")) && !cJSON_IsString(v))
        return bad(s, i, "description", "'description' must be a string");
    return DCX_OK;
}

/* ---- the lists the flags fill, with the file's definitions first --------------------- */

/* The metrics the flags name, by flag, as sets (hash maps: a definitions file of thousands
 * of metrics and as many flags stay linear). */
typedef struct {
    dcx_strmap_t goal, guardrail, cap, typed, defs; /* typed: --metric NAME:TYPE; defs: the file's */
} names_t;

static void names_free(names_t *n)
{
    dcx_strmap_free(&n->goal);
    dcx_strmap_free(&n->guardrail);
    dcx_strmap_free(&n->cap);
    dcx_strmap_free(&n->typed);
    dcx_strmap_free(&n->defs);
}

/* Adds to set the name each spec of l is about: up to the first of `stops` (":" for
 * --metric, "=" for the NAME=VALUE flags, "" for --goal); with `only_typed`, only the specs
 * that have the stop. @return 0, or -1 when out of memory. */
static int add_names(dcx_strmap_t *set, const dcx_strlist_t *l, const char *stops, int only_typed)
{
    for (size_t k = 0; k < l->n; k++) {
        size_t n = strcspn(l->v[k], stops);
        if (only_typed && !l->v[k][n])
            continue;
        if (dcx_strmap_put(set, l->v[k], n) < 0)
            return -1;
    }
    return 0;
}

static int named(const dcx_strmap_t *set, const char *name)
{
    return dcx_strmap_get(set, name, strlen(name)) >= 0;
}

static dcx_status_t push(dcx_strlist_t *l, dcx_error_t *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static dcx_status_t push(dcx_strlist_t *l, dcx_error_t *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!buf)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    dcx_status_t st = dcx_strlist_push(l, buf);
    free(buf);
    return st ? dcx_error_set(err, DCX_ENOMEM, "out of memory") : DCX_OK;
}

/* Folds definition d into m's lists, unless a flag (named in f) overrides that part of it. */
static dcx_status_t fold(const names_t *f, const def_t *d, metric_defs_t *m, dcx_error_t *err)
{
    dcx_status_t st;
    const char *n = d->name;
    if (d->num)
        st = push(&m->metric, err, "%s:ratio=%s/%s", n, d->num, d->den);
    else if (d->type && !strcmp(d->type, "quantile"))
        st = push(&m->metric, err, "%s:quantile=%s", n, d->quantile);
    else if (d->type)
        st = push(&m->metric, err, "%s:%s", n, d->type);
    else
        st = push(&m->metric, err, "%s", n);
    if (st || (d->column && (st = push(&m->columns, err, "%s=%s", n, d->column))))
        return st;
    int cli_goal = named(&f->goal, n), cli_guard = named(&f->guardrail, n);
    if (d->role && !strcmp(d->role, "goal") && !cli_guard && (st = push(&m->goal, err, "%s", n)))
        return st;
    if (d->role && !strcmp(d->role, "guardrail") && !cli_goal && !cli_guard
        && (st = push(&m->guardrail, err, "%s=%s", n, d->margin)))
        return st;
    if (d->direction && (st = push(&m->direction, err, "%s=%s", n, d->direction)))
        return st;
    if (d->has_cap && !named(&f->cap, n)) {
        if ((st = push(&m->cap, err, "%s=%s", n, d->cap)))
            return st;
        if (d->ignore_zeros && (st = push(&m->cap_ignore_zeros, err, "%s", n)))
            return st;
    }
    if (d->cuped && (st = push(&m->cuped, err, "%s=%s", n, d->cuped)))
        return st;
    return DCX_OK;
}

/* Appends every spec of `from` to `to`. */
static dcx_status_t append_all(dcx_strlist_t *to, const dcx_strlist_t *from, dcx_error_t *err)
{
    for (size_t k = 0; k < from->n; k++)
        if (dcx_strlist_push(to, from->v[k]))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

/* The definitions' list out of root (a {"metrics": [...]} object, or for a table from Lua
 * also a bare list); file_level: root is a definitions file, whose keys are checked. */
static dcx_status_t list_of(const src_t *s, const cJSON *root, int file_level, const cJSON **list)
{
    char hint[96];
    *list = NULL;
    if (!s->file && cJSON_IsArray(root)) {
        *list = root;
        return DCX_OK;
    }
    if (!cJSON_IsObject(root))
        return s->file ? dcx_error_at(s->err, DCX_EPARSE, s->file, 1, 1,
                                      "metric definitions are an object {\"metrics\": [...]}")
                       : dcx_error_set(s->err, DCX_EINVAL,
                                       "metrics: give a list of definitions, or {metrics = {...}}");
    for (const cJSON *k = root->child; file_level && k; k = k->next) {
        if (!strcmp(k->string, file_keys[0]) || !strcmp(k->string, file_keys[1]))
            continue;
        long line = 0, col = 0;
        json_step_t p = {k->string, 0};
        if (s->text)
            json_locate(s->text, s->len, &p, 1, &line, &col);
        const char *w = maybe(k->string, file_keys, 2, hint, sizeof hint);
        return s->file ? dcx_error_at(s->err, DCX_EPARSE, s->file, line, col, "unknown key '%.60s'%s",
                                      k->string, w)
                       : dcx_error_set(s->err, DCX_EINVAL, "metrics: unknown key '%.60s'%s", k->string, w);
    }
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(root, "metrics");
    if (l && !cJSON_IsArray(l)) {
        long line = 0, col = 0;
        json_step_t p = {"metrics", 0};
        if (s->text)
            json_locate(s->text, s->len, &p, 1, &line, &col);
        return s->file ? dcx_error_at(s->err, DCX_EPARSE, s->file, line, col,
                                      "'metrics' must be a list of definitions")
                       : dcx_error_set(s->err, DCX_EINVAL, "metrics: 'metrics' must be a list");
    }
    if (!l && file_level)
        return s->file ? dcx_error_at(s->err, DCX_EPARSE, s->file, 1, 1,
                                      "no \"metrics\": [...] list of definitions")
                       : dcx_error_set(s->err, DCX_EINVAL, "metrics: no list of definitions");
    *list = l;
    return DCX_OK;
}

void metric_defs_free(metric_defs_t *m)
{
    dcx_strlist_t *lists[] = {&m->metric, &m->cap, &m->cuped, &m->goal, &m->guardrail,
                              &m->direction, &m->columns, &m->cap_ignore_zeros,
                              &m->ignore_zeros_all};
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++)
        dcx_strlist_free(lists[k]);
    memset(m, 0, sizeof *m);
}

dcx_status_t metric_defs_merge(run_t *x, const dcx_analyze_opts_t *o, metric_defs_t *m, dcx_error_t *err)
{
    memset(m, 0, sizeof *m);
    m->opts = *o;
    x->o = &m->opts;
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    const cJSON *list = NULL;
    src_t s = {NULL, NULL, 0, "metrics", err};
    dcx_status_t st = DCX_OK;
    if (o->metrics.doc) {
        st = list_of(&s, o->metrics.doc, 0, &list);
        s.list_key = list == o->metrics.doc ? NULL : "metrics";
    } else if (o->metrics.path || o->config) {
        const char *path = o->metrics.path ? o->metrics.path : o->config;
        if (!(st = dcx_slurp(path, (size_t)1 << 26, &text, &len, err))
            && !(st = dcx_json_parse(text, len, path, &root, err))) {
            s.file = path, s.text = text, s.len = len;
            st = list_of(&s, root, o->metrics.path != NULL, &list);
        }
    }
    if (!st && o->metrics.path && o->config) { /* the file replaces the config's list */
        cJSON *cfg = NULL;
        char *ctext = NULL;
        size_t clen;
        dcx_error_t cerr; /* a config that cannot be read is design_build's to report */
        dcx_status_t cs = dcx_slurp(o->config, (size_t)1 << 26, &ctext, &clen, &cerr);
        if (!cs)
            cs = dcx_json_parse(ctext, clen, o->config, &cfg, &cerr);
        if (cs == DCX_ENOMEM)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        else if (!cs && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cfg, "metrics")) > 0)
            run_warn(x, "the metrics of --config are replaced by those of --metrics");
        cJSON_Delete(cfg);
        free(ctext);
    }
    /* the definitions, then the --metric flags that are not one of them */
    names_t f;
    memset(&f, 0, sizeof f);
    if (!st && (add_names(&f.goal, &o->goal, "", 0) || add_names(&f.guardrail, &o->guardrail, "=", 0)
                || add_names(&f.cap, &o->cap, "=", 0) || add_names(&f.typed, &o->metric, ":", 1)))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    const cJSON *e = list ? list->child : NULL;
    for (size_t i = 0; !st && e; i++, e = e->next) {
        def_t d;
        if ((st = read_def(&s, i, e, &d)))
            break;
        long at = dcx_strmap_put(&f.defs, d.name, strlen(d.name));
        if (at < 0)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        else if ((size_t)at != i)
            st = bad(&s, i, "name", "metric '%.60s' is defined twice (also metrics[%ld])", d.name, at);
        else if (named(&f.typed, d.name))
            st = dcx_error_set(err, DCX_EINVAL,
                               "--metric %s:...: metric '%s' is defined in %s; change the definition "
                               "there, or give the metric another name",
                               d.name, d.name, s.file ? s.file : "the metrics table");
        if (!st)
            st = fold(&f, &d, m, err);
    }
    for (size_t k = 0; !st && k < o->metric.n; k++) {
        /* a bare --metric NAME of a defined metric only repeats it */
        if (!strchr(o->metric.v[k], ':') && named(&f.defs, o->metric.v[k]))
            continue;
        if (dcx_strlist_push(&m->metric, o->metric.v[k]))
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    names_free(&f);
    if (!st && !m->metric.n)
        st = dcx_error_set(err, DCX_EINVAL, "give --metric NAME[:TYPE] or --metrics FILE.json");
    /* the flags after the file's, so that they win */
    if (!st && !(st = append_all(&m->cap, &o->cap, err)) && !(st = append_all(&m->cuped, &o->cuped, err))
        && !(st = append_all(&m->goal, &o->goal, err)) && !(st = append_all(&m->guardrail, &o->guardrail, err))
        && !(st = append_all(&m->direction, &o->direction, err))
        && !(st = append_all(&m->ignore_zeros_all, &m->cap_ignore_zeros, err))
        && !(st = append_all(&m->ignore_zeros_all, &o->cap_ignore_zeros, err))) {
        m->opts.cap_ignore_zeros = m->ignore_zeros_all;
        m->opts.metric = m->metric;
        m->opts.cap = m->cap;
        m->opts.cuped = m->cuped;
        m->opts.goal = m->goal;
        m->opts.guardrail = m->guardrail;
        m->opts.direction = m->direction;
    }
    cJSON_Delete(root);
    free(text);
    return st;
}
