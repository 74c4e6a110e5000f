/* options.c — setting options structs from text or numbers through their tables. */
#include "dcx/options.h"
#include "dcx/text.h"
#include "numparse.h"
#include "optparse.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define FIELD(opts, opt, type) ((type *)((char *)(opts) + (opt)->offset))

static int name_eq(const char *table_name, const char *name)
{
    for (; *table_name && *name; table_name++, name++) {
        char a = *table_name, b = *name;
        if (b == '_')
            b = '-';
        if (a != b)
            return 0;
    }
    return *table_name == *name;
}

const dcx_option_t *dcx_opts_find(const dcx_option_t *table, const char *name)
{
    for (const dcx_option_t *o = table; o && o->name; o++)
        if (name_eq(o->name, name))
            return o;
    return NULL;
}

const dcx_option_t *dcx_opts_nearest(const dcx_option_t *table, const char *word)
{
    while (*word == '-')
        word++;
    char w[128];
    size_t n = 0;
    for (; word[n] && n + 1 < sizeof w; n++)
        w[n] = word[n] == '_' ? '-' : word[n];
    w[n] = '\0';
    if (!n || word[n])
        return NULL;
    const dcx_option_t *best = NULL;
    if (n == 1) { /* a short option: the options that start with its letter */
        static const unsigned first[] = {DCX_OPTF_OUTPUT, DCX_OPTF_FORMAT, DCX_OPTF_INPUT, 0};
        for (size_t k = 0; k < sizeof first / sizeof *first && !best; k++)
            for (const dcx_option_t *o = table; o && o->name && !best; o++)
                if (o->name[0] == w[0] && o->type != DCX_OPT_DOC && (!first[k] || (o->flags & first[k])))
                    best = o;
        return best;
    }
    size_t limit = n < 5 ? 1 : 2, bestd = limit + 1;
    for (const dcx_option_t *o = table; o && o->name; o++) {
        if (o->type == DCX_OPT_DOC)
            continue;
        size_t d = dcx_edit_distance(w, n, o->name, strlen(o->name), limit);
        if (d < bestd)
            bestd = d, best = o;
    }
    for (const dcx_option_t *o = table; !best && o && o->name; o++)
        if (o->type != DCX_OPT_DOC && n >= 3 && !strncmp(o->name, w, n))
            best = o;
    return best;
}

/* Parses a whole C-locale number; rejects empty text, trailing junk, nan and inf. */
static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || !isfinite(v) || errno == ERANGE)
        return 0;
    *out = v;
    return 1;
}

static dcx_status_t bad_value(const dcx_option_t *opt, const char *value, const char *what,
                              dcx_error_t *err)
{
    return dcx_error_set(err, DCX_EINVAL, "option '--%s': '%s' is not %s", opt->name,
                         value ? value : "", what);
}

dcx_status_t dcx_strlist_push(dcx_strlist_t *l, const char *s)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return DCX_ENOMEM;
    l->v = v;
    if (!(v[l->n] = strdup(s)))
        return DCX_ENOMEM;
    l->n++;
    return DCX_OK;
}

dcx_status_t dcx_strlist_pushf(dcx_strlist_t *l, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return dcx_strlist_push(l, buf);
}

void dcx_strlist_free(dcx_strlist_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static dcx_status_t append_string(dcx_strlist_t *l, const char *value, dcx_error_t *err)
{
    if (dcx_strlist_push(l, value))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

static dcx_status_t append_number(dcx_numlist_t *l, double value, dcx_error_t *err)
{
    double *v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    l->v = v;
    v[l->n++] = value;
    return DCX_OK;
}

static int choice_ok(const char *choices, const char *value)
{
    size_t len = strlen(value);
    for (const char *p = choices; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && !strncmp(p, value, n))
            return 1;
        p = bar ? bar + 1 : p + n;
    }
    return 0;
}

dcx_status_t dcx_opts_set(const dcx_option_t *opt, void *opts, const char *value,
                          dcx_error_t *err)
{
    double v;
    switch (opt->type) {
    case DCX_OPT_NUMBER:
        if (!value || !parse_number(value, &v))
            return bad_value(opt, value, "a number", err);
        *FIELD(opts, opt, double) = v;
        return DCX_OK;
    case DCX_OPT_INT:
        if (!value || !parse_number(value, &v) || v != floor(v) || fabs(v) > 1e9)
            return bad_value(opt, value, "a whole number", err);
        *FIELD(opts, opt, int) = (int)v;
        return DCX_OK;
    case DCX_OPT_FLAG:
        if (!value || !strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes"))
            *FIELD(opts, opt, int) = 1;
        else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no"))
            *FIELD(opts, opt, int) = 0;
        else
            return bad_value(opt, value, "true or false", err);
        return DCX_OK;
    case DCX_OPT_CHOICE:
        if (!value || !choice_ok(opt->choices, value)) {
            char what[256];
            size_t n = (size_t)snprintf(what, sizeof what, "one of ");
            for (const char *p = opt->choices; *p && n + 3 < sizeof what; p++) {
                if (*p == '|') {
                    what[n++] = ',';
                    what[n++] = ' ';
                } else {
                    what[n++] = *p;
                }
            }
            what[n] = '\0';
            return bad_value(opt, value, what, err);
        }
        /* fall through */
    case DCX_OPT_STRING: {
        if (!value)
            return bad_value(opt, value, "a value", err);
        char **f = FIELD(opts, opt, char *), *dup = strdup(value);
        if (!dup)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        free(*f);
        *f = dup;
        return DCX_OK;
    }
    case DCX_OPT_LIST:
        if (!value)
            return bad_value(opt, value, "a value", err);
        return append_string(FIELD(opts, opt, dcx_strlist_t), value, err);
    case DCX_OPT_NUMBERS: {
        if (!value)
            return bad_value(opt, value, "a list of numbers", err);
        dcx_numlist_t *l = FIELD(opts, opt, dcx_numlist_t);
        l->n = 0; /* a comma list given as text replaces the previous one */
        char buf[64];
        for (const char *p = value;;) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            if (n >= sizeof buf)
                return bad_value(opt, value, "a comma-separated list of numbers", err);
            memcpy(buf, p, n);
            buf[n] = '\0';
            if (!parse_number(buf, &v))
                return bad_value(opt, value, "a comma-separated list of numbers", err);
            dcx_status_t st = append_number(l, v, err);
            if (st)
                return st;
            if (!comma)
                break;
            p = comma + 1;
        }
        return DCX_OK;
    }
    case DCX_OPT_DOC: /* a document in memory: a front end sets it with dcx_opts_set_doc */
        return dcx_error_set(err, DCX_EINVAL, "option '%s' takes a document, not text", opt->name);
    case DCX_OPT_JSON: { /* the file's name; a document given before is dropped */
        if (!value || !*value)
            return bad_value(opt, value, "a file name", err);
        dcx_jsonarg_t *j = FIELD(opts, opt, dcx_jsonarg_t);
        char *dup = strdup(value);
        if (!dup)
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        free(j->path);
        cJSON_Delete(j->doc);
        j->path = dup;
        j->doc = NULL;
        return DCX_OK;
    }
    }
    return dcx_error_set(err, DCX_EINVAL, "option '--%s' has an unknown type", opt->name);
}

dcx_status_t dcx_opts_set_number(const dcx_option_t *opt, void *opts, double value,
                                 dcx_error_t *err)
{
    if (!isfinite(value))
        return dcx_error_set(err, DCX_EINVAL, "option '%s': %g is not a finite number",
                             opt->name, value);
    switch (opt->type) {
    case DCX_OPT_NUMBER:
        *FIELD(opts, opt, double) = value;
        return DCX_OK;
    case DCX_OPT_INT:
    case DCX_OPT_FLAG:
        if (value != floor(value) || fabs(value) > 1e9)
            return dcx_error_set(err, DCX_EINVAL, "option '%s': %g is not a whole number",
                                 opt->name, value);
        *FIELD(opts, opt, int) = (int)value;
        return DCX_OK;
    case DCX_OPT_NUMBERS:
        return append_number(FIELD(opts, opt, dcx_numlist_t), value, err);
    default: {
        char buf[40];
        snprintf(buf, sizeof buf, "%.17g", value);
        return dcx_opts_set(opt, opts, buf, err);
    }
    }
}

dcx_status_t dcx_opts_set_doc(const dcx_option_t *opt, void *opts, struct cJSON *doc,
                              dcx_error_t *err)
{
    if (opt->type == DCX_OPT_JSON) {
        dcx_jsonarg_t *j = FIELD(opts, opt, dcx_jsonarg_t);
        free(j->path);
        cJSON_Delete(j->doc);
        j->path = NULL;
        j->doc = doc;
        return DCX_OK;
    }
    if (opt->type != DCX_OPT_DOC) {
        cJSON_Delete(doc);
        return dcx_error_set(err, DCX_EINVAL, "option '%s' does not take a document", opt->name);
    }
    cJSON **f = FIELD(opts, opt, cJSON *);
    cJSON_Delete(*f);
    *f = doc;
    return DCX_OK;
}

dcx_status_t dcx_opts_init(const dcx_option_t *table, void *opts, dcx_error_t *err)
{
    for (const dcx_option_t *o = table; o && o->name; o++) {
        if (o->type == DCX_OPT_NUMBER)
            *FIELD(opts, o, double) = NAN;
        if (o->def) {
            dcx_status_t st = dcx_opts_set(o, opts, o->def, err);
            if (st)
                return st;
        }
    }
    return DCX_OK;
}

void dcx_opts_free(const dcx_option_t *table, void *opts)
{
    if (!opts)
        return;
    for (const dcx_option_t *o = table; o && o->name; o++) {
        switch (o->type) {
        case DCX_OPT_STRING:
        case DCX_OPT_CHOICE: {
            char **f = FIELD(opts, o, char *);
            free(*f);
            *f = NULL;
            break;
        }
        case DCX_OPT_LIST:
            dcx_strlist_free(FIELD(opts, o, dcx_strlist_t));
            break;
        case DCX_OPT_NUMBERS: {
            dcx_numlist_t *l = FIELD(opts, o, dcx_numlist_t);
            free(l->v);
            l->v = NULL;
            l->n = 0;
            break;
        }
        case DCX_OPT_DOC: {
            cJSON **f = FIELD(opts, o, cJSON *);
            cJSON_Delete(*f);
            *f = NULL;
            break;
        }
        case DCX_OPT_JSON: {
            dcx_jsonarg_t *j = FIELD(opts, o, dcx_jsonarg_t);
            free(j->path);
            cJSON_Delete(j->doc);
            j->path = NULL;
            j->doc = NULL;
            break;
        }
        default:
            break;
        }
    }
}

char *dcx_opts_help(const dcx_option_t *table)
{
    size_t cap = 256, len = 0, width = 0;
    char left[160];
    for (const dcx_option_t *o = table; o && o->name; o++) {
        if (o->type == DCX_OPT_DOC)
            continue;
        size_t w = strlen(o->name) + 2 + (o->metavar ? strlen(o->metavar) + 1 : 0);
        if (w > width)
            width = w;
    }
    for (const dcx_option_t *o = table; o && o->name; o++)
        cap += width + 16 + strlen(o->help) + (o->def ? strlen(o->def) + 16 : 0)
               + (o->choices ? strlen(o->choices) + 4 : 0);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (const dcx_option_t *o = table; o && o->name; o++) {
        if (o->type == DCX_OPT_DOC)
            continue;
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
        len += (size_t)snprintf(out + len, cap - len, "  %-*s  %s", (int)width, left, o->help);
        /* an enumerated option lists its values, unless its help already names them all */
        if (o->type == DCX_OPT_CHOICE && o->choices) {
            int all = 1;
            char word[64];
            for (const char *c = o->choices; *c && all;) {
                size_t n = strcspn(c, "|");
                snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), c);
                all = strstr(o->help, word) != NULL;
                c += n + (c[n] == '|');
            }
            if (!all)
                len += (size_t)snprintf(out + len, cap - len, " (%s)", o->choices);
        }
        if (o->def && o->type != DCX_OPT_FLAG)
            len += (size_t)snprintf(out + len, cap - len, " [default: %s]", o->def);
        len += (size_t)snprintf(out + len, cap - len, "\n");
    }
    return out;
}

cJSON *dcx_opts_to_json(const dcx_option_t *table, const void *opts)
{
    cJSON *o = cJSON_CreateObject();
    for (const dcx_option_t *op = table; o && op && op->name; op++) {
        if (op->flags & (DCX_OPTF_OUTPUT | DCX_OPTF_FORMAT | DCX_OPTF_WRITES) || op->type == DCX_OPT_DOC)
            continue;
        cJSON *v = NULL;
        int set = 0; /* the option has a value, so v must be made */
        switch (op->type) {
        case DCX_OPT_NUMBER: {
            double d = *FIELD(opts, op, double);
            if ((set = isfinite(d)))
                v = cJSON_CreateNumber(d);
            break;
        }
        case DCX_OPT_INT:
            set = 1;
            v = cJSON_CreateNumber(*FIELD(opts, op, int));
            break;
        case DCX_OPT_FLAG:
            if ((set = *FIELD(opts, op, int) != 0))
                v = cJSON_CreateTrue();
            break;
        case DCX_OPT_STRING:
        case DCX_OPT_CHOICE: {
            const char *str = *FIELD(opts, op, char *);
            if ((set = str != NULL))
                v = cJSON_CreateString(str);
            break;
        }
        case DCX_OPT_LIST: {
            const dcx_strlist_t *l = FIELD(opts, op, dcx_strlist_t);
            if ((set = l->n != 0))
                v = cJSON_CreateArray();
            for (size_t i = 0; v && i < l->n; i++) {
                cJSON *e = cJSON_CreateString(l->v[i]);
                if (!e || !cJSON_AddItemToArray(v, e)) {
                    cJSON_Delete(e);
                    cJSON_Delete(v);
                    v = NULL;
                }
            }
            break;
        }
        case DCX_OPT_NUMBERS: {
            const dcx_numlist_t *l = FIELD(opts, op, dcx_numlist_t);
            if ((set = l->n != 0))
                v = cJSON_CreateDoubleArray(l->v, (int)l->n);
            break;
        }
        case DCX_OPT_JSON: { /* the file's name, or the document given in memory as text */
            const dcx_jsonarg_t *j = FIELD(opts, op, dcx_jsonarg_t);
            if (j->path) {
                set = 1;
                v = cJSON_CreateString(j->path);
            } else if (j->doc) {
                set = 1;
                char *text = cJSON_PrintUnformatted(j->doc);
                v = text ? cJSON_CreateString(text) : NULL;
                cJSON_free(text);
            }
            break;
        }
        case DCX_OPT_DOC: /* left out above */
            break;
        }
        if ((set && !v) || (v && !cJSON_AddItemToObjectCS(o, op->name, v))) {
            cJSON_Delete(v);
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

dcx_status_t dcx_doc_add_settings(dcx_status_t st, cJSON **doc, const dcx_option_t *table,
                                  const void *opts, dcx_error_t *err)
{
    if (!*doc)
        return st;
    cJSON *set = dcx_opts_to_json(table, opts);
    if (!set || !cJSON_AddItemToObjectCS(*doc, "settings", set)) {
        cJSON_Delete(set);
        cJSON_Delete(*doc);
        *doc = NULL;
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    return st;
}

/* ---- pieces of option values ----------------------------------------------------------- */

dcx_status_t split_commas(const dcx_strlist_t *in, dcx_strlist_t *out, dcx_error_t *err)
{
    for (size_t i = 0; in && i < in->n; i++)
        for (const char *p = in->v[i];;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            char *item = strndup(p, len);
            if (!item || (len && dcx_strlist_push(out, item))) {
                free(item);
                return dcx_error_set(err, DCX_ENOMEM, "out of memory");
            }
            free(item);
            if (!comma)
                break;
            p = comma + 1;
        }
    return DCX_OK;
}

int parse_pair(const char *s, char **name, double *value)
{
    const char *eq = strrchr(s, '=');
    *name = NULL;
    const char *v = eq ? eq + 1 : s;
    if (!dcx_parse_number(v, strlen(v), value))
        return -1;
    if (eq && !(*name = strndup(s, (size_t)(eq - s))))
        return -2;
    return 0;
}
