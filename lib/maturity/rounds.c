/* rounds.c — `dcx maturity compare`: two rounds of responses side by side. */
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

/* ---- one round ------------------------------------------------------------------------- */

/* A round's groups in one --group-by column, in order of first sight: respondents and the
 * moments of their dimension scores and overall scores (nd + 1 per group, overall last). */
typedef struct {
    long col;          /* the attribute (-1: no such column, said after reading) */
    dcx_strmap_t vals;
    dcx_moments_t *m;
    double *n;
    size_t cap;
} rgroups_t;

/* One round, gathered in one pass as its respondents are read (no answer kept): the tally of
 * everyone (for the reliability warnings), the moments of everyone's dimension and overall
 * scores (oriented: the weighted mean of a respondent's oriented dimension scores), each
 * breakdown's groups; with --paired, each respondent's id, scores and groups. */
typedef struct {
    const dcx_assessment_t *a;
    const dcx_maturity_opts_t *o;
    tally_t all;
    tally_row_t x;
    dcx_moments_t *m;  /* nd + 1 */
    rgroups_t *bd;
    size_t nb;
    int resolved;
    int paired;
    dcx_strmap_t ids;  /* --paired, a long file: respondent i is ids.keys[i] (a wide file's
                          reader keeps them so, to find duplicates) */
    double *sc;        /* --paired: nd + 1 scores per respondent */
    long *grp;         /* --paired: nb groups per respondent */
    size_t cap;
} round_t;

static int round_make(round_t *r, const dcx_assessment_t *a, const dcx_maturity_opts_t *o)
{
    memset(r, 0, sizeof *r);
    r->a = a;
    r->o = o;
    r->paired = o->paired;
    r->nb = o->group_by.n;
    r->m = calloc(a->nd + 1, sizeof *r->m);
    r->bd = calloc(r->nb + 1, sizeof *r->bd);
    int bad = !r->m || !r->bd;
    for (size_t j = 0; !bad && j < r->nb; j++)
        r->bd[j].col = -1;
    bad |= tally_make(a, &r->all);
    bad |= tally_row_make(a, &r->x);
    return bad ? -1 : 0;
}

static void round_free(round_t *r)
{
    tally_free(&r->all);
    tally_row_free(&r->x);
    free(r->m);
    for (size_t j = 0; r->bd && j < r->nb; j++) {
        dcx_strmap_free(&r->bd[j].vals);
        free(r->bd[j].m);
        free(r->bd[j].n);
    }
    free(r->bd);
    dcx_strmap_free(&r->ids);
    free(r->sc);
    free(r->grp);
}

/* A group of breakdown b for value v: its index, new ones with empty moments. @return the
 * index, or -1 when out of memory. */
static long round_group(rgroups_t *b, size_t nm, const char *v)
{
    long before = (long)b->vals.n, g = dcx_strmap_put(&b->vals, v, strlen(v));
    if (g < 0 || g < before)
        return g;
    if ((size_t)g == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 8;
        dcx_moments_t *m = realloc(b->m, cap * nm * sizeof *m);
        if (m)
            b->m = m;
        double *n = realloc(b->n, cap * sizeof *n);
        if (n)
            b->n = n;
        if (!m || !n)
            return -1; /* the run fails */
        b->cap = cap;
    }
    memset(b->m + (size_t)g * nm, 0, nm * sizeof *b->m);
    b->n[g] = 0;
    return g;
}

static int round_sink(void *ctx, const mresponses_t *rs, const mrespondent_t *resp)
{
    round_t *r = ctx;
    const dcx_assessment_t *a = r->a;
    size_t nd = a->nd, nm = nd + 1;
    if (!r->resolved) {
        r->resolved = 1;
        for (size_t j = 0; j < r->nb; j++)
            r->bd[j].col = responses_attr(rs, r->o->group_by.v[j]);
    }
    tally_row_set(a, rs, resp->ans, r->o->min_answered, 1, &r->x);
    tally_add(a, &r->all, &r->x, 0);
    /* the respondent's overall score: the weighted mean of their oriented dimension scores */
    double w = 0, ws = 0;
    for (size_t d = 0; d < nd; d++) {
        double v = r->x.score[d];
        if (!isnan(v)) {
            w += a->dims[d].weight;
            ws += a->dims[d].weight * oriented(a, d, v);
        }
    }
    double overall = w > 0 ? ws / w : NAN;
    size_t i = r->all.n > 0 ? (size_t)r->all.n - 1 : 0;
    if (r->paired) {
        if (rs->long_form && dcx_strmap_put(&r->ids, resp->id, strlen(resp->id)) < 0)
            return -1;
        if (i >= r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 64;
            double *sc = realloc(r->sc, cap * nm * sizeof *sc);
            if (sc)
                r->sc = sc;
            long *grp = realloc(r->grp, (cap * r->nb + 1) * sizeof *grp);
            if (grp)
                r->grp = grp;
            if (!sc || !grp)
                return -1;
            r->cap = cap;
        }
        memcpy(r->sc + i * nm, r->x.score, nd * sizeof *r->sc);
        r->sc[i * nm + nd] = overall;
    }
    for (size_t d = 0; d <= nd; d++) {
        double v = d < nd ? r->x.score[d] : overall;
        if (!isnan(v))
            dcx_moments_add(&r->m[d], v);
    }
    for (size_t j = 0; j < r->nb; j++) {
        rgroups_t *b = &r->bd[j];
        long g = b->col < 0 ? -1 : round_group(b, nm, resp->attr[b->col]);
        if (b->col >= 0 && g < 0)
            return -1;
        if (r->paired)
            r->grp[i * r->nb + j] = g;
        if (g < 0)
            continue;
        b->n[g]++;
        for (size_t d = 0; d <= nd; d++) {
            double v = d < nd ? r->x.score[d] : overall;
            if (!isnan(v))
                dcx_moments_add(&b->m[(size_t)g * nm + d], v);
        }
    }
    return 0;
}

/* ---- entries ------------------------------------------------------------------------------ */

/* Where the rounds stand against the target, on the oriented scale (ob, oa, ot). */
static const char *target_status(double ob, double oa, double ot)
{
    if (isnan(ot) || isnan(ob) || isnan(oa))
        return NULL;
    int before = ob >= ot, after = oa >= ot;
    return before && after ? "met" : after ? "reached" : before ? "fell below" : "not met";
}

/* before, after, delta and its Welch interval and p-value over respondents' scores, the
 * levels, where the rounds stand against the target, and progress toward it:
 * (after − before)/(target − before) while the first round is short of it, else null.
 * d: the dimension, or -1 for overall (already on the oriented scale). */
static void compare_entry(cJSON *e, const dcx_assessment_t *a, long d, const dcx_moments_t *b,
                          const dcx_moments_t *f, double before, double after, double target)
{
    doc_num_or_null(e, "before", before, "no score in the first round");
    doc_num_or_null(e, "after", after, "no score in the second round");
    doc_num(e, "delta", after - before);
    dcx_arm_t at = {f->n, dcx_moments_mean_x(f), dcx_moments_var_x(f)},
              ab = {b->n, dcx_moments_mean_x(b), dcx_moments_var_x(b)};
    dcx_test_result_t r;
    dcx_error_t err;
    dcx_error_clear(&err);
    if (dcx_test_welch(&at, &ab, 0.05, &r, &err) == DCX_OK) {
        doc_interval(e, "delta_ci", r.ci_lo, r.ci_hi, "the change has no interval");
        doc_num(e, "p_value", r.p_value);
    } else {
        doc_null(e, "delta_ci");
        doc_num_or_null(e, "p_value", NAN, err.message);
    }
    /* levels and the target on the oriented scale (lower-is-better: min + max − score) */
    double ob = d >= 0 ? oriented(a, (size_t)d, before) : before,
           oa = d >= 0 ? oriented(a, (size_t)d, after) : after,
           ot = d >= 0 ? oriented(a, (size_t)d, target) : target;
    long lb = isnan(ob) ? -1 : assessment_level(a, ob), la = isnan(oa) ? -1 : assessment_level(a, oa);
    doc_num(e, "level_before", lb >= 0 ? a->levels[lb].level : NAN);
    doc_str(e, "level_name_before", lb >= 0 ? a->levels[lb].name : NULL);
    doc_num(e, "level_after", la >= 0 ? a->levels[la].level : NAN);
    doc_str(e, "level_name_after", la >= 0 ? a->levels[la].name : NULL);
    doc_num(e, "target", target);
    doc_str(e, "target_status", target_status(ob, oa, ot));
    double progress = NAN;
    if (!isnan(ot) && !isnan(ob)) {
        if (ob >= ot)
            doc_note(e, "target already met");
        else
            progress = (after - before) / (target - before);
    }
    doc_num(e, "progress", progress);
}

/* The paired changes of a set of respondents (everyone, or a group): the moments of after −
 * before over the respondents in both rounds (in the group in both) with a score in both,
 * per dimension and overall (nd + 1), and the panel: returning, new, left. */
typedef struct {
    dcx_moments_t *m;
    double returning, fresh, left;
} paired_t;

/* "paired" (t.test(after, before, paired = TRUE): n, delta, ci, p_value) and "panel"
 * (returning, new, left) of entry k (a dimension, or nd: overall). */
static void paired_fields(cJSON *e, const paired_t *pp, size_t k)
{
    const dcx_moments_t m = pp->m[k];
    cJSON *p = doc_obj(e, "paired");
    doc_num(p, "n", m.n);
    double mean = dcx_moments_mean_x(&m), sd = m.n >= 2 ? sqrt(dcx_moments_var_x(&m)) : NAN;
    doc_num_or_null(p, "delta", mean, m.n ? NULL : "no respondent has a score in both rounds");
    if (m.n >= 2 && sd > 0) {
        double se = sd / sqrt(m.n), t = mean / se, q = dcx_dist_t_quantile(0.025, m.n - 1, 0);
        doc_interval(p, "ci", mean - q * se, mean + q * se, NULL);
        doc_num(p, "p_value", fmin(1, 2 * dcx_dist_t_cdf(-fabs(t), m.n - 1, 1)));
    } else {
        doc_null(p, "ci");
        doc_num_or_null(p, "p_value", NAN, m.n < 2 ? "a paired test needs 2 respondents in both rounds"
                                                    : "the changes do not vary");
    }
    cJSON *pn = doc_obj(e, "panel");
    doc_num(pn, "returning", pp->returning);
    doc_num(pn, "new", pp->fresh);
    doc_num(pn, "left", pp->left);
}

/* "overall" and "dimensions" of a compare document from each round's moments of the
 * respondents' dimension and overall scores (mb, ma: nd + 1, overall last) and, with
 * --paired, their paired changes. */
static void compare_block(cJSON *parent, const dcx_assessment_t *a, const dcx_moments_t *mb,
                          const dcx_moments_t *ma, const double *target, const paired_t *pp)
{
    double wb = 0, swb = 0, wa = 0, swa = 0, wt = 0, swt = 0;
    cJSON *dims = cJSON_CreateArray();
    for (size_t d = 0; d < a->nd; d++) {
        double before = dcx_moments_mean_x(&mb[d]), after = dcx_moments_mean_x(&ma[d]);
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
        compare_entry(e, a, (long)d, &mb[d], &ma[d], before, after, target[d]);
        if (pp)
            paired_fields(e, pp, d);
        if (a->dims[d].lower)
            doc_str(e, "direction", "lower");
        doc_push(dims, e);
    }
    cJSON *ov = doc_obj(parent, "overall");
    compare_entry(ov, a, -1, &mb[a->nd], &ma[a->nd], wb > 0 ? swb / wb : NAN, wa > 0 ? swa / wa : NAN,
                  wt > 0 ? swt / wt : NAN);
    if (pp)
        paired_fields(ov, pp, a->nd);
    doc_note(ov, "before, after and delta are the weighted means of the dimension scores; delta_ci "
                 "and p_value are Welch's t test of respondents' overall scores (each the weighted "
                 "mean of their own dimension scores)");
    if (!dims || !cJSON_AddItemToObject(parent, "dimensions", dims)) {
        cJSON_Delete(dims);
        doc_fail();
    }
}

/* ---- the document ---------------------------------------------------------------------------- */

/* Each round's reading warnings and reliability warnings, labelled "before: " / "after: ". */
static int round_warnings(dcx_strlist_t *out, const char *label, const dcx_strlist_t *read,
                          const dcx_assessment_t *a, const round_t *r, const mresponses_t *rs)
{
    for (size_t i = 0; i < read->n; i++)
        if (dcx_strlist_pushf(out, "%s%s", label, read->v[i]))
            return -1;
    dimres_t *res = calloc(a->nd + 1, sizeof *res);
    if (!res)
        return -1;
    tally_result(a, rs, &r->all, 0, NULL, res);
    int bad = 0;
    for (size_t d = 0; d < a->nd && !bad; d++)
        bad = reliability_warnings(out, label, &a->dims[d], &res[d]);
    free(res);
    return bad;
}

/* One breakdown over both rounds: the values of either round in sort order, and each round's
 * group of every value (-1: none there). */
typedef struct {
    dcx_strmap_t vals;
    char **sorted;
    long *of_b, *of_a; /* per value (index in vals): the group in each round */
    size_t *rank;      /* per value: its place in sort order */
} union_t;

static void union_free(union_t *u)
{
    dcx_strmap_free(&u->vals);
    free(u->sorted);
    free(u->of_b);
    free(u->of_a);
    free(u->rank);
    memset(u, 0, sizeof *u);
}

static int union_make(union_t *u, const rgroups_t *gb, const rgroups_t *ga)
{
    memset(u, 0, sizeof *u);
    for (size_t g = 0; g < gb->vals.n; g++)
        if (dcx_strmap_put(&u->vals, gb->vals.keys[g], gb->vals.lens[g]) < 0)
            return -1;
    for (size_t g = 0; g < ga->vals.n; g++)
        if (dcx_strmap_put(&u->vals, ga->vals.keys[g], ga->vals.lens[g]) < 0)
            return -1;
    size_t n = u->vals.n;
    u->sorted = malloc((n + 1) * sizeof *u->sorted);
    u->of_b = malloc((n + 1) * sizeof *u->of_b);
    u->of_a = malloc((n + 1) * sizeof *u->of_a);
    u->rank = malloc((n + 1) * sizeof *u->rank);
    if (!u->sorted || !u->of_b || !u->of_a || !u->rank)
        return -1;
    if (n) /* an empty map has no keys array */
        memcpy(u->sorted, u->vals.keys, n * sizeof *u->sorted);
    qsort(u->sorted, n, sizeof *u->sorted, cmp_cstr);
    for (size_t k = 0; k < n; k++) {
        long v = dcx_strmap_get(&u->vals, u->sorted[k], strlen(u->sorted[k]));
        u->rank[v] = k;
        u->of_b[v] = dcx_strmap_get(&gb->vals, u->sorted[k], strlen(u->sorted[k]));
        u->of_a[v] = dcx_strmap_get(&ga->vals, u->sorted[k], strlen(u->sorted[k]));
    }
    return 0;
}

/* The paired changes over everyone (pp[0]) and, for breakdown j, over each value v of u
 * (pp[1 + v]), in one pass over the first round's respondents: a returning respondent who
 * moved to another group counts as left in the one and new in the other. */
static int paired_make(const round_t *rb, const dcx_strmap_t *ids_b, const round_t *ra, const dcx_strmap_t *ids_a,
                       long j, const union_t *u, paired_t *pp, size_t npp, size_t nm)
{
    /* the union index of each round's groups */
    size_t nb = j >= 0 ? rb->bd[j].vals.n : 0, na = j >= 0 ? ra->bd[j].vals.n : 0;
    long *ub = malloc((nb + 1) * sizeof *ub), *ua = malloc((na + 1) * sizeof *ua);
    char *matched = calloc((size_t)ra->all.n + 1, 1);
    if (!ub || !ua || !matched) {
        free(ub);
        free(ua);
        free(matched);
        return -1;
    }
    for (size_t g = 0; g < nb; g++)
        ub[g] = dcx_strmap_get(&u->vals, rb->bd[j].vals.keys[g], rb->bd[j].vals.lens[g]);
    for (size_t g = 0; g < na; g++)
        ua[g] = dcx_strmap_get(&u->vals, ra->bd[j].vals.keys[g], ra->bd[j].vals.lens[g]);
    for (size_t k = 0; k < npp; k++) {
        memset(pp[k].m, 0, nm * sizeof *pp[k].m);
        pp[k].returning = pp[k].fresh = pp[k].left = 0;
    }
    for (size_t i = 0; i < (size_t)rb->all.n; i++) {
        long jj = dcx_strmap_get(ids_a, ids_b->keys[i], ids_b->lens[i]);
        long gb = j >= 0 && rb->grp[i * rb->nb + (size_t)j] >= 0 ? ub[rb->grp[i * rb->nb + (size_t)j]] : -1;
        long ga = j >= 0 && jj >= 0 && ra->grp[(size_t)jj * ra->nb + (size_t)j] >= 0
                      ? ua[ra->grp[(size_t)jj * ra->nb + (size_t)j]]
                      : -1;
        if (jj >= 0)
            matched[jj] = 1;
        for (int pass = 0; pass < 2; pass++) {
            paired_t *p = pass == 0 ? &pp[0] : gb >= 0 ? &pp[1 + gb] : NULL;
            if (!p || (pass == 1 && j < 0))
                continue;
            if (jj < 0 || (pass == 1 && ga != gb)) {
                p->left++;
                if (pass == 1 && jj >= 0 && ga >= 0)
                    pp[1 + ga].fresh++;
                continue;
            }
            p->returning++;
            for (size_t d = 0; d < nm; d++) {
                double x = rb->sc[i * nm + d], y = ra->sc[(size_t)jj * nm + d];
                if (!isnan(x) && !isnan(y))
                    dcx_moments_add(&p->m[d], y - x);
            }
        }
    }
    for (size_t jj = 0; jj < (size_t)ra->all.n; jj++)
        if (!matched[jj]) {
            pp[0].fresh++;
            long g = j >= 0 ? ra->grp[jj * ra->nb + (size_t)j] : -1;
            if (g >= 0)
                pp[1 + ua[g]].fresh++;
        }
    free(ub);
    free(ua);
    free(matched);
    return 0;
}

/* Both rounds in one pass each (no answer kept; with --paired each respondent's scores and
 * groups), then the document from their moments. */
dcx_status_t dcx_maturity_compare(const dcx_maturity_opts_t *o, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    if (!o->before || !o->after)
        return dcx_error_set(err, DCX_EINVAL, "give --before R1.csv and --after R2.csv");
    dcx_assessment_t *a = NULL;
    mresponses_t rb, ra;
    memset(&rb, 0, sizeof rb);
    memset(&ra, 0, sizeof ra);
    round_t wb, wa;
    memset(&wb, 0, sizeof wb);
    memset(&wa, 0, sizeof wa);
    dcx_strlist_t warnings = {0}, read_b = {0}, read_a = {0};
    double *target = NULL;
    union_t u;
    memset(&u, 0, sizeof u);
    paired_t *pp = NULL;
    size_t npp = 0;
    dcx_moments_t *pm = NULL, *none = NULL;
    dcx_status_t st = load_assessment(o, o->before, &a, err);
    if (!st && (round_make(&wb, a, o) || round_make(&wa, a, o)))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    int policy = o->lenient ? BAD_WARN : BAD_STOP;
    if (!st)
        st = read_responses(o, a, o->before, policy, round_sink, &wb, &rb, &read_b, err);
    if (!st)
        st = read_responses(o, a, o->after, policy, round_sink, &wa, &ra, &read_a, err);
    if (!st && rb.empty_rows
        && dcx_strlist_pushf(&read_b, "%s: %zu row%s without a valid answer not counted as respondents",
                             o->before, rb.empty_rows, rb.empty_rows == 1 ? "" : "s"))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (!st && ra.empty_rows
        && dcx_strlist_pushf(&read_a, "%s: %zu row%s without a valid answer not counted as respondents",
                             o->after, ra.empty_rows, ra.empty_rows == 1 ? "" : "s"))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    if (st)
        goto done;
    target = calloc(a->nd, sizeof *target);
    if (!target) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = read_targets(a, o, target, err)))
        goto done;
    for (size_t j = 0; j < o->group_by.n; j++) {
        const char *by = o->group_by.v[j];
        if (responses_attr(&rb, by) < 0) {
            st = dcx_error_at(err, DCX_EPARSE, o->before, 1, 0, "no column '%s' to group by", by);
            goto done;
        }
        if (responses_attr(&ra, by) < 0) {
            st = dcx_error_at(err, DCX_EPARSE, o->after, 1, 0, "no column '%s' to group by", by);
            goto done;
        }
    }
    size_t nm = a->nd + 1;
    const dcx_strmap_t *ids_b = !rb.long_form ? &rb.ids : &wb.ids, *ids_a = !ra.long_form ? &ra.ids : &wa.ids;
    none = calloc(nm, sizeof *none); /* the moments of a group absent from a round */
    if (!none) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if (o->paired) { /* everyone's paired changes, and room for each breakdown's groups */
        size_t most = 0;
        for (size_t j = 0; j < wb.nb; j++)
            most = most > wb.bd[j].vals.n + wa.bd[j].vals.n ? most : wb.bd[j].vals.n + wa.bd[j].vals.n;
        npp = most + 1;
        pp = calloc(npp, sizeof *pp);
        pm = calloc(npp * nm, sizeof *pm);
        for (size_t k = 0; pp && pm && k < npp; k++)
            pp[k].m = pm + k * nm;
        if (!pp || !pm || paired_make(&wb, ids_b, &wa, ids_a, -1, NULL, pp, 1, nm)) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
    }
    doc_begin(); /* from here an allocation that fails is recorded, and doc_oom() says so */
    if (round_warnings(&warnings, "before: ", &read_b, a, &wb, &rb)
        || round_warnings(&warnings, "after: ", &read_a, a, &wa, &ra))
        doc_fail();
    cJSON *doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    assessment_doc(doc, a);
    doc_num(doc, "respondents_before", (double)rb.n);
    doc_num(doc, "respondents_after", (double)ra.n);
    doc_num(doc, "min_group_size", (double)o->min_group_size);
    compare_block(doc, a, wb.m, wa.m, target, o->paired ? &pp[0] : NULL);
    cJSON *groups = doc_arr(doc, "groups");
    for (size_t j = 0; j < o->group_by.n; j++) {
        const char *by = o->group_by.v[j];
        const rgroups_t *gb = &wb.bd[j], *ga = &wa.bd[j];
        union_free(&u);
        if (union_make(&u, gb, ga)
            || (o->paired && paired_make(&wb, ids_b, &wa, ids_a, (long)j, &u, pp, u.vals.n + 1, nm))) {
            doc_fail();
            break;
        }
        for (size_t k = 0; k < u.vals.n; k++) {
            long v = dcx_strmap_get(&u.vals, u.sorted[k], strlen(u.sorted[k]));
            long xb = u.of_b[v], xa = u.of_a[v];
            cJSON *g = cJSON_CreateObject();
            doc_str(g, "by", by);
            doc_str(g, "group", u.sorted[k][0] ? u.sorted[k] : "(missing)");
            doc_num(g, "respondents_before", xb >= 0 ? gb->n[xb] : 0);
            doc_num(g, "respondents_after", xa >= 0 ? ga->n[xa] : 0);
            compare_block(g, a, xb >= 0 ? gb->m + (size_t)xb * nm : none, xa >= 0 ? ga->m + (size_t)xa * nm : none,
                          target, o->paired ? &pp[1 + v] : NULL);
            doc_push(groups, g);
        }
    }
    cJSON *w = doc_arr(doc, "warnings");
    for (size_t i = 0; i < warnings.n; i++)
        doc_push(w, cJSON_CreateString(warnings.v[i]));
    if (doc_oom(doc) || dcx_maturity_suppress(doc, o->min_group_size, err)) {
        cJSON_Delete(doc);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    *out = doc;
done:
    free(pp);
    free(pm);
    free(none);
    union_free(&u);
    round_free(&wb);
    round_free(&wa);
    free(target);
    responses_free(&rb, 0);
    responses_free(&ra, 0);
    dcx_assessment_free(a);
    dcx_strlist_free(&warnings);
    dcx_strlist_free(&read_b);
    dcx_strlist_free(&read_a);
    return st;
}
