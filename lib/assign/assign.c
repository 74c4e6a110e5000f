/* assign.c — experiment configs and GrowthBook-compatible assignment. */
#include "dcx/assign.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/jsonio.h"
#include "fnv.h"
#include "strmap.h"
#include "fileio.h"

struct dcx_experiment {
    char *key, *seed;
    int hash_version;
    double coverage;
    size_t nv;
    char **names;
    double *weights;
    double *lo, *hi;        /* bucket ranges [lo, hi) as the SDK builds them */
    int has_ns;
    char *ns_id;            /* "__" + namespace id, the v1 seed */
    double ns_lo, ns_hi;
    int has_holdout;
    char *holdout_seed;
    double holdout_share;
    uint32_t seed_state;    /* FNV state after the seed: v2 hashes seed + id */
    uint32_t holdout_state;
    size_t seed_len, ns_len;
};

void dcx_experiment_free(dcx_experiment_t *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nv && e->names; i++)
        free(e->names[i]);
    free(e->names);
    free(e->weights);
    free(e->lo);
    free(e->hi);
    free(e->key);
    free(e->seed);
    free(e->ns_id);
    free(e->holdout_seed);
    free(e);
}

const char *dcx_experiment_key(const dcx_experiment_t *e) { return e->key; }
size_t dcx_experiment_variants(const dcx_experiment_t *e) { return e->nv; }
const char *dcx_experiment_variant_name(const dcx_experiment_t *e, size_t i)
{
    return i < e->nv ? e->names[i] : NULL;
}

double dcx_experiment_weight(const dcx_experiment_t *e, size_t i)
{
    return i < e->nv ? e->weights[i] : NAN;
}

void dcx_experiment_range(const dcx_experiment_t *e, size_t i, double *lo, double *hi)
{
    *lo = i < e->nv ? e->lo[i] : NAN;
    *hi = i < e->nv ? e->hi[i] : NAN;
}

int dcx_experiment_namespace(const dcx_experiment_t *e, const char **id, double *lo, double *hi)
{
    if (!e->has_ns)
        return 0;
    if (id)
        *id = e->ns_id + 2;
    if (lo)
        *lo = e->ns_lo;
    if (hi)
        *hi = e->ns_hi;
    return 1;
}

static int is_number(const cJSON *v) { return cJSON_IsNumber(v) && isfinite(v->valuedouble); }

#define BAD(...) dcx_error_at(err, DCX_EPARSE, name, 0, 0, __VA_ARGS__)

static const char *const known_keys[] = {"key",       "seed",      "hash_version", "coverage",
                                         "variants",  "namespace", "holdout",      "name",
                                         "description", "metrics", NULL}; /* metrics: dcx analyze's */

dcx_status_t dcx_experiment_parse(const char *json, size_t len, const char *name,
                                  dcx_experiment_t **out, dcx_strlist_t *warnings,
                                  dcx_error_t *err)
{
    *out = NULL;
    cJSON *root;
    dcx_status_t pst = dcx_json_parse(json, len, name, &root, err);
    if (pst)
        return pst;
    dcx_status_t st = DCX_OK;
    dcx_strmap_t seen = {0}; /* variant names, to find duplicates in linear time */
    dcx_experiment_t *e = calloc(1, sizeof *e);
    if (!e) {
        cJSON_Delete(root);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    if (!cJSON_IsObject(root)) {
        st = BAD("an experiment config must be a JSON object");
        goto fail;
    }
    for (const cJSON *it = root->child; it; it = it->next) {
        int known = 0;
        for (int i = 0; known_keys[i]; i++)
            known |= !strcmp(it->string, known_keys[i]);
        if (!known && warnings)
            dcx_strlist_pushf(warnings, "%s: unknown key '%s' ignored", name, it->string);
    }
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(root, "key");
    if (!cJSON_IsString(key) || !key->valuestring[0]) {
        st = BAD("'key' is required and must be a non-empty string");
        goto fail;
    }
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(root, "seed");
    if (seed && !cJSON_IsString(seed)) {
        st = BAD("'seed' must be a string");
        goto fail;
    }
    e->key = strdup(key->valuestring);
    e->seed = strdup(seed ? seed->valuestring : key->valuestring);
    if (!e->key || !e->seed)
        goto oom;
    e->seed_len = strlen(e->seed);
    const cJSON *hv = cJSON_GetObjectItemCaseSensitive(root, "hash_version");
    e->hash_version = 2;
    if (hv) {
        if (!is_number(hv) || (hv->valuedouble != 1 && hv->valuedouble != 2)) {
            st = BAD("'hash_version' must be 1 or 2");
            goto fail;
        }
        e->hash_version = (int)hv->valuedouble;
    }
    const cJSON *cov = cJSON_GetObjectItemCaseSensitive(root, "coverage");
    e->coverage = 1;
    if (cov) {
        if (!is_number(cov) || cov->valuedouble < 0 || cov->valuedouble > 1) {
            st = BAD("'coverage' must be a number in [0, 1]");
            goto fail;
        }
        e->coverage = cov->valuedouble;
    }
    const cJSON *vars = cJSON_GetObjectItemCaseSensitive(root, "variants");
    if (!cJSON_IsArray(vars) || cJSON_GetArraySize(vars) < 2) {
        st = BAD("'variants' is required: an array of at least 2 {\"name\", \"weight\"}");
        goto fail;
    }
    e->nv = (size_t)cJSON_GetArraySize(vars);
    e->names = calloc(e->nv, sizeof *e->names);
    e->weights = calloc(e->nv, sizeof *e->weights);
    e->lo = calloc(e->nv, sizeof *e->lo);
    e->hi = calloc(e->nv, sizeof *e->hi);
    if (!e->names || !e->weights || !e->lo || !e->hi)
        goto oom;
    size_t i = 0, with_weight = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, vars)
    {
        const cJSON *vn = cJSON_GetObjectItemCaseSensitive(v, "name"),
                    *vw = cJSON_GetObjectItemCaseSensitive(v, "weight");
        if (!cJSON_IsObject(v) || !cJSON_IsString(vn) || !vn->valuestring[0]) {
            st = BAD("variants[%zu]: needs a non-empty \"name\"", i);
            goto fail;
        }
        long before = (long)seen.n, at = dcx_strmap_put(&seen, vn->valuestring, strlen(vn->valuestring));
        if (at < 0)
            goto oom;
        if (at < before) {
            st = BAD("variants[%zu]: duplicate variant name '%s'", i, vn->valuestring);
            goto fail;
        }
        if (!(e->names[i] = strdup(vn->valuestring)))
            goto oom;
        if (vw) {
            if (!is_number(vw) || vw->valuedouble < 0) {
                st = BAD("variants[%zu].weight must be a number >= 0", i);
                goto fail;
            }
            e->weights[i] = vw->valuedouble;
            with_weight++;
        }
        for (const cJSON *k = v->child; k && warnings; k = k->next)
            if (strcmp(k->string, "name") && strcmp(k->string, "weight"))
                dcx_strlist_pushf(warnings, "%s: variants[%zu]: unknown key '%s' ignored", name,
                                  i, k->string);
        i++;
    }
    if (with_weight != 0 && with_weight != e->nv) {
        st = BAD("give a weight for every variant or for none (%zu of %zu have one)",
                 with_weight, e->nv);
        goto fail;
    }
    if (with_weight == 0) {
        for (i = 0; i < e->nv; i++)
            e->weights[i] = 1.0 / (double)e->nv; /* the SDK's getEqualWeights */
    } else {
        double total = 0;
        for (i = 0; i < e->nv; i++)
            total += e->weights[i];
        if (total < 0.99 || total > 1.01) {
            st = BAD("variant weights sum to %.6g; they must sum to 1 (within 0.01)", total);
            goto fail;
        }
    }
    /* ranges exactly as the SDK's getBucketRanges: running sum in double */
    double cumulative = 0;
    for (i = 0; i < e->nv; i++) {
        double start = cumulative;
        cumulative += e->weights[i];
        e->lo[i] = start;
        e->hi[i] = start + e->coverage * e->weights[i];
    }
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(root, "namespace");
    if (ns) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(ns, "id"),
                    *range = cJSON_GetObjectItemCaseSensitive(ns, "range");
        if (!cJSON_IsObject(ns) || !cJSON_IsString(id) || !cJSON_IsArray(range)
            || cJSON_GetArraySize(range) != 2 || !is_number(range->child)
            || !is_number(range->child->next)) {
            st = BAD("'namespace' must be {\"id\": string, \"range\": [start, end]}");
            goto fail;
        }
        e->ns_lo = range->child->valuedouble;
        e->ns_hi = range->child->next->valuedouble;
        if (!(e->ns_lo >= 0 && e->ns_lo <= e->ns_hi && e->ns_hi <= 1)) {
            st = BAD("namespace range must satisfy 0 <= start <= end <= 1");
            goto fail;
        }
        size_t n = strlen(id->valuestring) + 3;
        if (!(e->ns_id = malloc(n)))
            goto oom;
        snprintf(e->ns_id, n, "__%s", id->valuestring);
        e->ns_len = n - 1;
        e->has_ns = 1;
    }
    const cJSON *ho = cJSON_GetObjectItemCaseSensitive(root, "holdout");
    if (ho) {
        const cJSON *hs = cJSON_GetObjectItemCaseSensitive(ho, "seed"),
                    *sh = cJSON_GetObjectItemCaseSensitive(ho, "share");
        if (!cJSON_IsObject(ho) || !cJSON_IsString(hs) || !is_number(sh) || sh->valuedouble < 0
            || sh->valuedouble > 1) {
            st = BAD("'holdout' must be {\"seed\": string, \"share\": number in [0, 1]}");
            goto fail;
        }
        if (!(e->holdout_seed = strdup(hs->valuestring)))
            goto oom;
        e->holdout_share = sh->valuedouble;
        e->holdout_state = dcx_fnv1a32(e->holdout_seed, strlen(e->holdout_seed));
        e->has_holdout = 1;
    }
    e->seed_state = dcx_fnv1a32(e->seed, e->seed_len);
    cJSON_Delete(root);
    dcx_strmap_free(&seen);
    *out = e;
    return DCX_OK;
oom:
    st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
fail:
    cJSON_Delete(root);
    dcx_strmap_free(&seen);
    dcx_experiment_free(e);
    return st;
}

dcx_status_t dcx_experiment_load(const char *path, dcx_experiment_t **out,
                                 dcx_strlist_t *warnings, dcx_error_t *err)
{
    *out = NULL;
    char *buf;
    size_t len;
    dcx_status_t st = dcx_slurp(path, (size_t)1 << 26, &buf, &len, err);
    if (st)
        return st;
    st = dcx_experiment_parse(buf, len, path, out, warnings, err);
    free(buf);
    return st;
}

/* v1 hash of id + seed_text */
static double hash_v1(const char *id, size_t len, const char *seed, size_t seed_len)
{
    uint32_t h = dcx_fnv_update(dcx_fnv_update(DCX_FNV_OFFSET, id, len), seed, seed_len);
    return (double)(h % 1000) / 1000;
}

/* v2 hash of seed + id, with the seed's state precomputed */
static double hash_v2(uint32_t seed_state, const char *id, size_t len)
{
    return (double)(dcx_fnv_decimal(dcx_fnv_update(seed_state, id, len)) % 10000) / 10000;
}

static void assign_finish(const dcx_experiment_t *e, const char *id, size_t len, double n,
                          dcx_assignment_t *out);

void dcx_assign(const dcx_experiment_t *e, const char *id, size_t len, dcx_assignment_t *out)
{
    out->variant = -1;
    if (len == 0) {
        out->bucket = NAN;
        out->reason = DCX_ASSIGN_EMPTY_ID;
        return;
    }
    double n = e->hash_version == 2 ? hash_v2(e->seed_state, id, len)
                                    : hash_v1(id, len, e->seed, e->seed_len);
    assign_finish(e, id, len, n, out);
}

/* The rest of dcx_assign() once the experiment hash n is known. */
static void assign_finish(const dcx_experiment_t *e, const char *id, size_t len, double n,
                          dcx_assignment_t *out)
{
    out->variant = -1;
    out->bucket = n;
    if (e->has_holdout && hash_v2(e->holdout_state, id, len) < e->holdout_share) {
        out->reason = DCX_ASSIGN_HOLDOUT;
        return;
    }
    if (e->has_ns) {
        double h = hash_v1(id, len, e->ns_id, e->ns_len);
        if (!(h >= e->ns_lo && h < e->ns_hi)) {
            out->reason = DCX_ASSIGN_NAMESPACE;
            return;
        }
    }
    /* the ranges are in increasing order and do not overlap: the last one starting at or
     * below n is the only one that can hold it (the SDK's first match, found by bisection) */
    size_t lo = 0, hi = e->nv;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->lo[mid] <= n)
            lo = mid;
        else
            hi = mid;
    }
    if (n >= e->lo[lo] && n < e->hi[lo]) {
        out->variant = (int)lo;
        out->reason = DCX_ASSIGN_IN;
        return;
    }
    out->reason = DCX_ASSIGN_COVERAGE;
}

/* Whether s holds only ASCII bytes: eight at a time (memcpy is one load). */
static int all_ascii(const char *s, size_t len)
{
    uint64_t acc = 0, w;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        acc |= w;
    }
    for (; i < len; i++)
        acc |= (unsigned char)s[i];
    return (acc & 0x8080808080808080u) == 0;
}

#define LANES 4

void dcx_assign_many(const dcx_experiment_t *e, const char *const *ids, const size_t *lens,
                     size_t n, dcx_assignment_t *out)
{
    size_t i = 0;
    if (e->hash_version == 2) {
        /* four ids at a time: their FNV multiply chains are independent, so the CPU
         * overlaps them; ids that are empty or not ASCII take the general path */
        for (; i + LANES <= n; i += LANES) {
            int simple = 1;
            for (int l = 0; l < LANES; l++)
                simple &= lens[i + l] > 0 && all_ascii(ids[i + l], lens[i + l]);
            if (!simple) {
                for (int l = 0; l < LANES; l++)
                    dcx_assign(e, ids[i + l], lens[i + l], &out[i + l]);
                continue;
            }
            /* four scalars, not an array, so the chains stay in registers */
            const unsigned char *p0 = (const unsigned char *)ids[i],
                                *p1 = (const unsigned char *)ids[i + 1],
                                *p2 = (const unsigned char *)ids[i + 2],
                                *p3 = (const unsigned char *)ids[i + 3];
            size_t common = lens[i];
            for (int l = 1; l < LANES; l++)
                if (lens[i + l] < common)
                    common = lens[i + l];
            uint32_t h0 = e->seed_state, h1 = h0, h2 = h0, h3 = h0;
            for (size_t j = 0; j < common; j++) {
                h0 = (h0 ^ p0[j]) * 16777619u;
                h1 = (h1 ^ p1[j]) * 16777619u;
                h2 = (h2 ^ p2[j]) * 16777619u;
                h3 = (h3 ^ p3[j]) * 16777619u;
            }
            h0 = dcx_fnv_update(h0, (const char *)p0 + common, lens[i] - common);
            h1 = dcx_fnv_update(h1, (const char *)p1 + common, lens[i + 1] - common);
            h2 = dcx_fnv_update(h2, (const char *)p2 + common, lens[i + 2] - common);
            h3 = dcx_fnv_update(h3, (const char *)p3 + common, lens[i + 3] - common);
            uint32_t h[LANES];
            dcx_fnv_decimal4(h0, h1, h2, h3, h);
            for (int l = 0; l < LANES; l++)
                assign_finish(e, ids[i + l], lens[i + l], (double)(h[l] % 10000) / 10000,
                              &out[i + l]);
        }
    }
    for (; i < n; i++)
        dcx_assign(e, ids[i], lens[i], &out[i]);
}

size_t dcx_bucket_text(double bucket, char *buf)
{
    if (isnan(bucket)) {
        buf[0] = '\0';
        return 0;
    }
    /* buckets are k/1000 or k/10000: the shortest decimal is "0." and the digits of
     * k without trailing zeros, which is also what JavaScript prints */
    if (bucket >= 0 && bucket < 1) {
        double x = bucket * 10000;
        long k = (long)x; /* rounded half up, as lround() (x - k is exact) */
        if (x - (double)k >= 0.5)
            k++;
        if ((double)k / 10000 == bucket) {
            if (k == 0) {
                strcpy(buf, "0");
                return 1;
            }
            static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
                                           "25262728293031323334353637383940414243444546474849"
                                           "50515253545556575859606162636465666768697071727374"
                                           "75767778798081828384858687888990919293949596979899";
            buf[0] = '0';
            buf[1] = '.';
            memcpy(buf + 2, pairs + 2 * (k / 100), 2);
            memcpy(buf + 4, pairs + 2 * (k % 100), 2);
            size_t n = 6;
            while (buf[n - 1] == '0')
                n--;
            buf[n] = '\0';
            return n;
        }
    }
    snprintf(buf, 32, "%.17g", bucket); /* not a bucket value: general formatting */
    return strlen(buf);
}
