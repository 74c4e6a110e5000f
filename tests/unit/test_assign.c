/* test_assign.c — assignment against the GrowthBook SDK: its published cases
 * (tests/reference/growthbook_cases.json) and 4,800 vectors generated with the real
 * SDK (tests/reference/growthbook_vectors.jsonl, see growthbook_vectors.mjs). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"
#include "tap.h"

static char *slurp(const char *name, size_t *len)
{
    const char *root = getenv("DCX_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/reference/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

static dcx_experiment_t *exp_from(const cJSON *config)
{
    char *text = cJSON_PrintUnformatted(config);
    dcx_experiment_t *e = NULL;
    dcx_error_t err;
    if (dcx_experiment_parse(text, strlen(text), "config", &e, NULL, &err) != DCX_OK)
        printf("# config rejected: %s\n", err.message);
    free(text);
    return e;
}

static void test_published(void)
{
    size_t len;
    char *text = slurp("growthbook_cases.json", &len);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    if (!ok(root != NULL, "read growthbook_cases.json"))
        return;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "hash"))
    {
        const char *value = cJSON_GetArrayItem(c, 0)->valuestring;
        double want = cJSON_GetArrayItem(c, 1)->valuedouble;
        int version = cJSON_GetArrayItem(c, 2)->valueint;
        const char *seed = cJSON_GetArrayItem(c, 3)->valuestring;
        is_rel(dcx_gb_hash(seed, value, version), want, 0, "published hash('%s', '%s', v%d)",
               seed, value, version);
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "getBucketRange"))
    {
        const char *name = cJSON_GetArrayItem(c, 0)->valuestring;
        int n = cJSON_GetArrayItem(c, 1)->valueint;
        double cov = cJSON_GetArrayItem(c, 2)->valuedouble;
        const cJSON *w = cJSON_GetArrayItem(c, 3), *want = cJSON_GetArrayItem(c, 4);
        cJSON *cfg = cJSON_CreateObject(), *vars = cJSON_AddArrayToObject(cfg, "variants");
        cJSON_AddStringToObject(cfg, "key", "k");
        cJSON_AddNumberToObject(cfg, "coverage", cov);
        for (int i = 0; i < n; i++) {
            cJSON *v = cJSON_CreateObject();
            char nm[16];
            snprintf(nm, sizeof nm, "v%d", i);
            cJSON_AddStringToObject(v, "name", nm);
            if (cJSON_IsArray(w))
                cJSON_AddNumberToObject(v, "weight", cJSON_GetArrayItem(w, i)->valuedouble);
            cJSON_AddItemToArray(vars, v);
        }
        dcx_experiment_t *e = exp_from(cfg);
        int good = e != NULL;
        for (int i = 0; e && i < n; i++) {
            double lo, hi;
            dcx_experiment_range(e, (size_t)i, &lo, &hi);
            const cJSON *r = cJSON_GetArrayItem(want, i);
            /* the published ranges are rounded decimals; the SDK's are running sums */
            good &= fabs(lo - cJSON_GetArrayItem(r, 0)->valuedouble) < 1e-12
                    && fabs(hi - cJSON_GetArrayItem(r, 1)->valuedouble) < 1e-12;
        }
        ok(good, "published getBucketRange: %s", name);
        dcx_experiment_free(e);
        cJSON_Delete(cfg);
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "inNamespace"))
    {
        const char *id = cJSON_GetArrayItem(c, 0)->valuestring;
        const cJSON *ns = cJSON_GetArrayItem(c, 1);
        int want = cJSON_IsTrue(cJSON_GetArrayItem(c, 2));
        char cfg[512];
        snprintf(cfg, sizeof cfg,
                 "{\"key\":\"k\",\"namespace\":{\"id\":\"%s\",\"range\":[%.17g,%.17g]},"
                 "\"variants\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
                 cJSON_GetArrayItem(ns, 0)->valuestring, cJSON_GetArrayItem(ns, 1)->valuedouble,
                 cJSON_GetArrayItem(ns, 2)->valuedouble);
        dcx_experiment_t *e = NULL;
        dcx_error_t err;
        dcx_experiment_parse(cfg, strlen(cfg), "ns", &e, NULL, &err);
        dcx_assignment_t a;
        if (e)
            dcx_assign(e, id, strlen(id), &a);
        ok(e && (a.reason != DCX_ASSIGN_NAMESPACE) == want, "published inNamespace: user %s, %s [%g,%g)",
           id, cJSON_GetArrayItem(ns, 0)->valuestring, cJSON_GetArrayItem(ns, 1)->valuedouble,
           cJSON_GetArrayItem(ns, 2)->valuedouble);
        dcx_experiment_free(e);
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "run"))
    {
        const char *name = cJSON_GetArrayItem(c, 0)->valuestring,
                   *id = cJSON_GetArrayItem(c, 1)->valuestring;
        int want_var = cJSON_GetArrayItem(c, 3)->valueint,
            want_in = cJSON_IsTrue(cJSON_GetArrayItem(c, 4));
        dcx_experiment_t *e = exp_from(cJSON_GetArrayItem(c, 2));
        dcx_assignment_t a = {-2, 0, 0};
        if (e)
            dcx_assign(e, id, strlen(id), &a);
        ok(e && (want_in ? a.variant == want_var : a.variant == -1), "published run: %s",
           name);
        dcx_experiment_free(e);
    }
    cJSON_Delete(root);
    free(text);
}

static void test_sdk_vectors(void)
{
    size_t len;
    char *text = slurp("growthbook_vectors.jsonl", &len);
    if (!ok(text != NULL, "read growthbook_vectors.jsonl"))
        return;
    int n = 0, bad_variant = 0, bad_bucket = 0;
    char *save = NULL;
    cJSON *prev_cfg = NULL;
    dcx_experiment_t *e = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *j = cJSON_Parse(line);
        const cJSON *cfg = cJSON_GetObjectItem(j, "config");
        if (!cfg) {
            cJSON_Delete(j);
            continue;
        }
        if (!prev_cfg || !cJSON_Compare(prev_cfg, cfg, 1)) {
            dcx_experiment_free(e);
            e = exp_from(cfg);
            cJSON_Delete(prev_cfg);
            prev_cfg = cJSON_Duplicate(cfg, 1);
        }
        const char *id = cJSON_GetObjectItem(j, "id")->valuestring;
        const cJSON *wv = cJSON_GetObjectItem(j, "variant"), *wb = cJSON_GetObjectItem(j, "bucket");
        dcx_assignment_t a;
        dcx_assign(e, id, strlen(id), &a);
        const char *got = a.variant >= 0 ? dcx_experiment_variant_name(e, (size_t)a.variant) : NULL;
        int vok = cJSON_IsNull(wv) ? got == NULL : (got && !strcmp(got, wv->valuestring));
        int bok = cJSON_IsNull(wb) ? isnan(a.bucket) : a.bucket == wb->valuedouble;
        if (!vok && bad_variant++ < 5)
            printf("# variant mismatch: key %s id '%s': got %s want %s\n",
                   dcx_experiment_key(e), id, got ? got : "none",
                   cJSON_IsNull(wv) ? "none" : wv->valuestring);
        if (!bok && bad_bucket++ < 5)
            printf("# bucket mismatch: key %s id '%s': got %.17g\n", dcx_experiment_key(e), id,
                   a.bucket);
        n++;
        cJSON_Delete(j);
    }
    dcx_experiment_free(e);
    cJSON_Delete(prev_cfg);
    free(text);
    ok(n > 4000, "read %d SDK vectors", n);
    is_int(bad_variant, 0, "every SDK vector gets the SDK's variant");
    is_int(bad_bucket, 0, "every SDK vector gets the SDK's bucket");
}

/* lib/assign/fnv.h, internal: FNV-1a of the decimal text of v, alone and four at once */
uint32_t dcx_fnv_decimal(uint32_t v);
void dcx_fnv_decimal4(uint32_t v0, uint32_t v1, uint32_t v2, uint32_t v3, uint32_t out[4]);

static void test_fnv_and_text(void)
{
    /* FNV-1a 32 of ASCII is the standard one: fnv1a32("a") = 0xe40c292c */
    is_int(dcx_fnv1a32("a", 1), 0xe40c292cu, "fnv1a32('a') = 0xe40c292c (FNV reference)");
    is_int(dcx_fnv1a32("", 0), 0x811c9dc5u, "fnv1a32('') is the offset basis");
    /* "é" is one UTF-16 unit 0xE9: (offset ^ 0xE9) * prime, not the two UTF-8 bytes */
    is_int(dcx_fnv1a32("\xC3\xA9", 2), (uint32_t)((0x811c9dc5u ^ 0xE9u) * 16777619u),
           "non-ASCII hashes its UTF-16 code unit");
    /* an invalid byte hashes as U+FFFD */
    is_int(dcx_fnv1a32("\xFF", 1), dcx_fnv1a32("\xEF\xBF\xBD", 3), "invalid UTF-8 is U+FFFD");
    ok(isnan(dcx_gb_hash("s", "v", 3)), "hash version 3 is NaN");
    char buf[32];
    dcx_bucket_text(0.0505, buf);
    ok(!strcmp(buf, "0.0505"), "bucket text 0.0505");
    dcx_bucket_text(0.5, buf);
    ok(!strcmp(buf, "0.5"), "bucket text 0.5");
    dcx_bucket_text(0, buf);
    ok(!strcmp(buf, "0"), "bucket text 0");
    dcx_bucket_text(0.011, buf);
    ok(!strcmp(buf, "0.011"), "bucket text 0.011");
    /* every bucket value k/10000 and k/1000 prints as JavaScript prints it: the shortest
     * decimal that reads back as the same double (found here by trying %.1g, %.2g, ...) */
    int bad = 0;
    for (int v = 0; v < 2; v++)
        for (long k = 0; k < (v ? 1000 : 10000); k++) {
            double b = (double)k / (v ? 1000 : 10000);
            char want[40];
            for (int p = 1; p <= 17; p++) {
                snprintf(want, sizeof want, "%.*g", p, b);
                if (strtod(want, NULL) == b)
                    break;
            }
            size_t n = dcx_bucket_text(b, buf);
            if (strcmp(buf, want) || n != strlen(want)) {
                if (!bad++)
                    printf("#   %.17g: got '%s', want '%s'\n", b, buf, want);
            }
        }
    ok(!bad, "bucket text of all 11,000 bucket values is the shortest decimal (%d differ)", bad);
    dcx_bucket_text(1, buf);
    ok(!strcmp(buf, "1"), "bucket text 1 (not a bucket): '%s'", buf);
    dcx_bucket_text(0.99995, buf);
    ok(strtod(buf, NULL) == 0.99995, "bucket text 0.99995 (not a bucket) reads back: '%s'", buf);
    dcx_bucket_text(-0.25, buf);
    ok(strtod(buf, NULL) == -0.25, "bucket text -0.25 (not a bucket) reads back: '%s'", buf);
    /* the hash of a hash's decimal text, for values of every length from 1 to 10 digits */
    bad = 0;
    for (uint32_t p = 1, i = 0; i < 10; i++, p *= 10)
        for (int d = -1; d <= 1; d++) {
            uint32_t v = (uint32_t)(p + (uint32_t)d);
            char t[16];
            int n = snprintf(t, sizeof t, "%u", (unsigned)v);
            bad += dcx_fnv_decimal(v) != dcx_fnv1a32(t, (size_t)n);
            uint32_t out[4], w[4] = {v, v / 7, 4294967295u - v, v * 2654435761u};
            dcx_fnv_decimal4(w[0], w[1], w[2], w[3], out);
            for (int l = 0; l < 4; l++) {
                n = snprintf(t, sizeof t, "%u", (unsigned)w[l]);
                bad += out[l] != dcx_fnv1a32(t, (size_t)n);
            }
        }
    ok(!bad, "FNV of the decimal text of 0 ... 4294967295 at every digit count (%d wrong)", bad);
}

static void test_config_errors(void)
{
    static const struct {
        const char *json, *why;
    } bad[] = {
        {"{\"variants\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "'key' is required"},
        {"{\"key\":\"k\"}", "'variants' is required"},
        {"{\"key\":\"k\",\"variants\":[{\"name\":\"a\"}]}", "at least 2"},
        {"{\"key\":\"k\",\"variants\":[{\"name\":\"a\",\"weight\":0.5},{\"name\":\"b\",\"weight\":0.6}]}",
         "sum to 1.1"},
        {"{\"key\":\"k\",\"variants\":[{\"name\":\"a\",\"weight\":0.5},{\"name\":\"b\"}]}",
         "every variant or for none"},
        {"{\"key\":\"k\",\"coverage\":1.5,\"variants\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
         "'coverage' must be"},
        {"{\"key\":\"k\",\"coverage\":-0.1,\"variants\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
         "'coverage' must be"},
        {"{\"key\":\"k\",\"hash_version\":3,\"variants\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
         "'hash_version' must be 1 or 2"},
        {"{\"key\":\"k\",\"variants\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", "duplicate"},
        {"{\"key\":\"k\",\"namespace\":{\"id\":\"n\",\"range\":[0.6,0.2]},\"variants\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
         "namespace range"},
        {"{\"key\":\"k\",\"holdout\":{\"seed\":\"h\",\"share\":2},\"variants\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
         "'holdout' must be"},
        {"[1,2]", "must be a JSON object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dcx_experiment_t *e = NULL;
        dcx_error_t err;
        dcx_error_clear(&err);
        dcx_status_t st = dcx_experiment_parse(bad[i].json, strlen(bad[i].json), "x.json", &e,
                                               NULL, &err);
        ok(st == DCX_EPARSE && !e && strstr(err.message, bad[i].why), "config error: %s (%s)",
           bad[i].why, err.message);
    }
    const char *syntax = "{\"key\": \"k\",\n  \"variants\": [oops]}";
    dcx_experiment_t *e = NULL;
    dcx_error_t err;
    dcx_status_t st = dcx_experiment_parse(syntax, strlen(syntax), "x.json", &e, NULL, &err);
    ok(st == DCX_EPARSE && err.line == 2 && err.column > 1,
       "malformed JSON names line 2 (got %ld:%ld)", err.line, err.column);
    dcx_strlist_t w = {0};
    const char *unknown = "{\"key\":\"k\",\"colour\":1,\"variants\":[{\"name\":\"a\"},{\"name\":\"b\"}]}";
    ok(dcx_experiment_parse(unknown, strlen(unknown), "x.json", &e, &w, &err) == DCX_OK
           && w.n == 1 && strstr(w.v[0], "unknown key 'colour'"),
       "unknown key is a warning");
    dcx_strlist_free(&w);
    dcx_experiment_free(e);
}

int main(void)
{
    test_fnv_and_text();
    test_published();
    test_sdk_vectors();
    test_config_errors();
    return done_testing();
}
