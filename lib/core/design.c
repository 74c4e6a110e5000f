/* design.c — the stated design of an experiment. */
#include "design.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/assign.h"
#include "numparse.h"

void design_free(design_t *d)
{
    for (size_t i = 0; d->names && i < d->n; i++)
        free(d->names[i]);
    free(d->names);
    free(d->shares);
    memset(d, 0, sizeof *d);
}

long design_find(const design_t *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->names[i] && !strcmp(d->names[i], name))
            return (long)i;
    return -1;
}

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
        return -1;
    return 0;
}

static dcx_status_t alloc_design(design_t *d, size_t n, dcx_error_t *err)
{
    d->n = n;
    d->names = calloc(n + 1, sizeof *d->names);
    d->shares = malloc((n + 1) * sizeof *d->shares);
    if (!d->names || !d->shares)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        d->shares[i] = NAN;
    return DCX_OK;
}

dcx_status_t design_build(const char *config, const dcx_strlist_t *weights,
                          const dcx_strlist_t *variants, design_t *d, dcx_error_t *err)
{
    memset(d, 0, sizeof *d);
    dcx_strlist_t w = {0}, v = {0};
    dcx_status_t st;
    if ((st = split_commas(weights, &w, err)) || (st = split_commas(variants, &v, err)))
        goto done;
    if (config) {
        if (w.n || v.n) {
            st = dcx_error_set(err, DCX_EINVAL,
                               "--config states the variants and their weights: give no "
                               "--weights or --variants with it");
            goto done;
        }
        dcx_experiment_t *e;
        if ((st = dcx_experiment_load(config, &e, NULL, err)))
            goto done;
        if (!(st = alloc_design(d, dcx_experiment_variants(e), err))) {
            for (size_t i = 0; i < d->n && !st; i++) {
                if (!(d->names[i] = strdup(dcx_experiment_variant_name(e, i))))
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                d->shares[i] = dcx_experiment_weight(e, i);
            }
            d->from_config = 1;
        }
        dcx_experiment_free(e);
        goto done;
    }
    /* the shares: all name=share pairs, or all bare */
    size_t named = 0;
    double *val = calloc(w.n + 1, sizeof *val);
    char **who = calloc(w.n + 1, sizeof *who);
    if (!val || !who) {
        free(val);
        free(who);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < w.n && !st; i++) {
        if (parse_pair(w.v[i], &who[i], &val[i]))
            st = dcx_error_set(err, DCX_EINVAL, "--weights: '%s' is not a share (write NAME=SHARE or SHARE)",
                               w.v[i]);
        else if (!(val[i] > 0))
            st = dcx_error_set(err, DCX_EINVAL, "--weights: '%s': a share must be > 0", w.v[i]);
        named += who[i] != NULL;
    }
    if (!st && named && named != w.n)
        st = dcx_error_set(err, DCX_EINVAL, "--weights: give every share as NAME=SHARE, or none");
    if (!st && v.n) {
        if ((st = alloc_design(d, v.n, err)))
            goto free_pairs;
        for (size_t i = 0; i < v.n && !st; i++) {
            for (size_t j = 0; j < i; j++)
                if (!strcmp(v.v[i], v.v[j]))
                    st = dcx_error_set(err, DCX_EINVAL, "--variants: '%s' is listed twice", v.v[i]);
            if (!st && !(d->names[i] = strdup(v.v[i])))
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
        if (!st && w.n && !named) {
            if (w.n != v.n)
                st = dcx_error_set(err, DCX_EINVAL, "%zu --weights for %zu --variants", w.n, v.n);
            for (size_t i = 0; i < w.n && !st; i++)
                d->shares[i] = val[i];
        } else if (!st && named) {
            for (size_t i = 0; i < w.n && !st; i++) {
                long k = design_find(d, who[i]);
                if (k < 0)
                    st = dcx_error_set(err, DCX_EINVAL, "--weights: '%s' is not in --variants", who[i]);
                else
                    d->shares[k] = val[i];
            }
            for (size_t i = 0; i < d->n && !st; i++)
                if (isnan(d->shares[i]))
                    st = dcx_error_set(err, DCX_EINVAL, "--weights: no share for variant '%s'",
                                       d->names[i]);
        }
    } else if (!st && named) {
        if ((st = alloc_design(d, w.n, err)))
            goto free_pairs;
        for (size_t i = 0; i < w.n && !st; i++) {
            if (design_find(d, who[i]) >= 0)
                st = dcx_error_set(err, DCX_EINVAL, "--weights: '%s' is given twice", who[i]);
            d->names[i] = who[i];
            who[i] = NULL;
            d->shares[i] = val[i];
        }
    } else if (!st && w.n) {
        /* a bare list without names: only equal shares say nothing about order */
        for (size_t i = 1; i < w.n && !st; i++)
            if (fabs(val[i] - val[0]) > 1e-12)
                st = dcx_error_set(err, DCX_EINVAL,
                                   "--weights %s...: unequal shares need to say whose they are: "
                                   "write NAME=SHARE, or give --variants (or --config)",
                                   w.v[0]);
        if (!st && !(st = alloc_design(d, w.n, err))) {
            for (size_t i = 0; i < w.n; i++)
                d->shares[i] = val[i];
            d->equal_unnamed = 1;
        }
    }
free_pairs:
    for (size_t i = 0; i < w.n; i++)
        free(who[i]);
    free(who);
    free(val);
done:
    dcx_strlist_free(&w);
    dcx_strlist_free(&v);
    if (st)
        design_free(d);
    return st;
}
