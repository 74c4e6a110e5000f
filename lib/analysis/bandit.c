/* bandit.c — `dcx bandit`: Thompson-sampling traffic weights for the next period of an
 * experiment, from an analyze result (each arm's mean, sd and units for one metric, overall),
 * written as an experiment config that `dcx assign` reads. */
#include "dcx/analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/jsonio.h"
#include "dcx/stats.h"
#include "doc_read.h"
#include "doc_util.h"

/* The arms of metric m in result doc: control first, then each treatment, as (name, n, mean,
 * sd); *dir the metric's good direction. @return DCX_OK, DCX_EPARSE (not an analyze result,
 * no such metric), DCX_ENOMEM. */
static dcx_status_t arms_of(const cJSON *doc, const char *path, const char *m, const char ***names,
                            double **n, double **mu, double **sd, size_t *k, int *dir,
                            dcx_error_t *err)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r;
    if (!cJSON_IsArray(rows))
        return dcx_error_set(err, DCX_EPARSE, "%s: not a dcx analyze result (no \"results\")", path);
    size_t cap = (size_t)cJSON_GetArraySize(rows) + 2;
    *names = calloc(cap, sizeof **names);
    *n = calloc(cap, sizeof **n), *mu = calloc(cap, sizeof **mu), *sd = calloc(cap, sizeof **sd);
    if (!*names || !*n || !*mu || !*sd)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    *k = 0;
    cJSON_ArrayForEach(r, rows)
    {
        if (strcmp(doc_get_str(r, "metric"), m) || strcmp(doc_get_str(r, "segment"), "all"))
            continue;
        for (int side = *k ? 1 : 0; side < 2; side++) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(r, side ? "treatment" : "control");
            (*names)[*k] = side ? doc_get_str(r, "variant") : doc_get_str(doc, "control");
            (*n)[*k] = doc_get_num(a, "n"), (*mu)[*k] = doc_get_num(a, "mean"), (*sd)[*k] = doc_get_num(a, "sd");
            ++*k;
        }
        *dir = !strcmp(doc_get_str(r, "direction"), "decrease") ? -1 : 1;
    }
    if (*k < 2)
        return dcx_error_set(err, DCX_EPARSE, "%s: no overall result for metric '%s'", path, m);
    return DCX_OK;
}

dcx_status_t dcx_bandit(const dcx_bandit_opts_t *o, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    if (!o->input || !o->metric)
        return dcx_error_set(err, DCX_EINVAL, "give --input RESULT.json and --metric M");
    if (!o->config && !o->key)
        return dcx_error_set(err, DCX_EINVAL,
                             "give --config EXP.json (the experiment to update) or --key NAME");
    if (!(o->min_weight >= 0 && o->min_weight < 0.5))
        return dcx_error_set(err, DCX_EINVAL, "--min-weight must be in [0, 0.5)");
    cJSON *doc = NULL, *cfg = NULL, *res = NULL;
    const char **names = NULL;
    double *n = NULL, *mu = NULL, *sd = NULL, *post = NULL, *pb = NULL, *w = NULL;
    size_t k = 0;
    int dir = 1;
    dcx_status_t st = dcx_read_json_file(o->input, 0, &doc, err);
    if (!st)
        st = arms_of(doc, o->input, o->metric, &names, &n, &mu, &sd, &k, &dir, err);
    if (!st && o->config)
        st = dcx_read_json_file(o->config, 0, &cfg, err);
    if (!st && !((post = calloc(k + 1, sizeof *post)) && (pb = calloc(k + 1, sizeof *pb))
                 && (w = calloc(k + 1, sizeof *w))))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < k && !st; i++) {
        if (!(n[i] >= 100))
            st = dcx_error_set(err, DCX_EDOM,
                               "variant '%s' has %g units: bandit weights need at least 100 per "
                               "variant",
                               names[i], n[i]);
        else if (!(sd[i] > 0) || !isfinite(mu[i]))
            st = dcx_error_set(err, DCX_EDOM, "variant '%s' has no spread in '%s': no posterior",
                               names[i], o->metric);
        /* the flat-prior posterior of the arm's mean: N(mean, sd²/n), in the good direction */
        mu[i] *= dir;
        post[i] = sd[i] / sqrt(n[i]);
    }
    if (!st)
        st = dcx_thompson_weights(mu, post, k, o->top_two, o->min_weight, pb, w, err);
    if (!st) {
        /* the experiment config: the given one with new weights, or a new one */
        doc_begin();
        res = cfg ? cJSON_Duplicate(cfg, 1) : cJSON_CreateObject();
        if (!res) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        } else {
            if (!cfg)
                doc_str(res, "key", o->key);
            cJSON_DeleteItemFromObjectCaseSensitive(res, "variants");
            cJSON *vs = doc_arr(res, "variants");
            for (size_t i = 0; i < k; i++) {
                cJSON *v = cJSON_CreateObject();
                doc_str(v, "name", names[i]);
                doc_num(v, "weight", w[i]);
                doc_push(vs, v);
            }
            /* what the weights come from, in the description a config may carry (P(best) of
             * each variant: the names are the user's, the text only data) */
            size_t dl = 256 + strlen(o->metric);
            for (size_t i = 0; i < k; i++)
                dl += strlen(names[i]) + 32;
            char *d = malloc(dl);
            if (!d) {
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            } else {
                int len = snprintf(d, dl, "Thompson-sampling weights (%s, minimum %g) for '%s' (%s "
                                          "is better); P(best):",
                                   o->top_two ? "top two" : "best arm", o->min_weight, o->metric,
                                   dir > 0 ? "higher" : "lower");
                for (size_t i = 0; i < k && len > 0 && (size_t)len < dl; i++)
                    len += snprintf(d + len, dl - (size_t)len, "%s %s %.4f", i ? "," : "", names[i], pb[i]);
                cJSON_DeleteItemFromObjectCaseSensitive(res, "description");
                doc_str(res, "description", d);
                free(d);
            }
            if (!st && doc_oom(res))
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
    }
    if (!st) {
        /* the config must name each variant once */
        for (size_t i = 0; i < k && !st; i++)
            for (size_t j = 0; j < i && !st; j++)
                if (!strcmp(names[i], names[j]))
                    st = dcx_error_set(err, DCX_EPARSE, "%s: variant '%s' appears twice", o->input,
                                       names[i]);
    }
    if (!st) {
        *out = res;
        res = NULL;
    }
    cJSON_Delete(res);
    cJSON_Delete(cfg);
    cJSON_Delete(doc);
    free(names);
    free(n);
    free(mu);
    free(sd);
    free(post);
    free(pb);
    free(w);
    return st;
}
