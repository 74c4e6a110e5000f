/* score.c — `dcx maturity score`: the score document of docs/formats.md. */
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
#include "numparse.h"
#include "strmap.h"

/* ---- the score document ---------------------------------------------------------------- */

/* What every block of a score document is computed from. */
typedef struct {
    const dcx_assessment_t *a;
    const mresponses_t *rs;
    int weighted;         /* --weight-column */
    const double *target; /* per dimension, NaN: none */
    double **norms;       /* per dimension: earlier clients' oriented scores, sorted (--norms) */
    size_t *nnorm;
    itemsums_t *is;       /* gathered for the statements by the top-level block, else NULL */
} sctx_t;

/* "level_borderline": whether the score's 95% interval holds a level threshold, so that the
 * level could as well be the one below or above (null without an interval or levels). */
static void borderline(cJSON *e, const dcx_assessment_t *a, size_t d, const dimres_t *r)
{
    if (!a->nlevels || !isfinite(r->ci_lo) || !isfinite(r->ci_hi)) {
        doc_null(e, "level_borderline");
        return;
    }
    double lo = oriented(a, d, a->dims[d].lower ? r->ci_hi : r->ci_lo),
           hi = oriented(a, d, a->dims[d].lower ? r->ci_lo : r->ci_hi);
    int on = 0;
    for (size_t l = 1; l < a->nlevels && !on; l++) /* the first level's min is the floor */
        on = a->levels[l].min >= lo && a->levels[l].min <= hi;
    doc_bool(e, "level_borderline", on);
}

/* "percentile" among earlier clients' scores, (below + ½·equal)/N × 100 on the oriented
 * scale (so 90 means better than 90% of them whatever the direction), and "norm_n" = N. */
static void norm_fields(cJSON *e, const sctx_t *cx, size_t d, double score)
{
    size_t n = cx->nnorm[d];
    const double *v = cx->norms[d];
    double o = oriented(cx->a, d, score), below = 0, equal = 0;
    if (n && !isnan(o)) {
        size_t lo = 0, hi = n; /* first >= o */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (v[mid] < o)
                lo = mid + 1;
            else
                hi = mid;
        }
        below = (double)lo;
        while (hi < n && v[hi] == o)
            hi++, equal++;
        doc_num(e, "percentile", 100 * (below + equal / 2) / (double)n);
    } else {
        doc_num_or_null(e, "percentile", NAN, n ? "no score" : "no norm scores for this dimension");
    }
    doc_num(e, "norm_n", (double)n);
}

/* Builds "overall" and "dimensions" for the respondents tallied in t into parent. */
static void score_block(cJSON *parent, const sctx_t *cx, const tally_t *t, dcx_strlist_t *warnings,
                        cJSON **order_out)
{
    const dcx_assessment_t *a = cx->a;
    const double *target = cx->target;
    dimres_t *res = calloc(a->nd, sizeof *res);
    double *prio = calloc(a->nd, sizeof *prio);
    if (!res || !prio) {
        free(res);
        free(prio);
        doc_fail();
        return;
    }
    double wsum = 0, wscore = 0, wall = 0, wtarget = 0, wt = 0, gapw = 0, spanw = 0;
    tally_result(a, cx->rs, t, cx->weighted, order_out ? cx->is : NULL, res);
    for (size_t d = 0; d < a->nd; d++) {
        wall += a->dims[d].weight;
        if (!isnan(res[d].score)) {
            wsum += a->dims[d].weight;
            wscore += a->dims[d].weight * oriented(a, d, res[d].score);
        }
        if (!isnan(target[d])) {
            wt += a->dims[d].weight;
            wtarget += a->dims[d].weight * oriented(a, d, target[d]);
        }
    }
    double overall = wsum > 0 ? wscore / wsum : NAN;
    double otarget = wt > 0 ? wtarget / wt : NAN;
    cJSON *dims = cJSON_CreateArray();
    for (size_t d = 0; d < a->nd; d++) {
        const mdimension_t *dm = &a->dims[d];
        dimres_t *r = &res[d];
        cJSON *e = cJSON_CreateObject();
        doc_str(e, "id", dm->id);
        doc_str(e, "name", dm->name);
        doc_num(e, "weight", dm->weight);
        doc_num_or_null(e, "score", r->score, "no respondent answered enough of this dimension");
        /* judged on the oriented score; score, ci and target stay as measured */
        double o = oriented(a, d, r->score);
        doc_num(e, "index", 100 * (o - a->smin) / (a->smax - a->smin));
        long lvl;
        level_fields(e, a, o, &lvl);
        borderline(e, a, d, r);
        doc_num(e, "n", r->n);
        doc_num_or_null(e, "sd", r->sd, "sd needs 2 respondents");
        doc_num(e, "se", r->se);
        if (isfinite(r->ci_lo))
            doc_interval(e, "ci", r->ci_lo, r->ci_hi, NULL);
        else {
            doc_null(e, "ci");
            doc_note(e, "ci needs 2 respondents");
        }
        doc_num(e, "coverage", r->coverage);
        doc_num_or_null(e, "alpha", r->alpha, r->alpha_note);
        if (r->alpha_items[0])
            doc_note(e, r->alpha_items);
        doc_num_or_null(e, "rwg", r->rwg, r->rwg_note);
        double gap = NAN;
        prio[d] = NAN;
        if (!isnan(target[d]) && !isnan(r->score)) {
            /* on the oriented scale: where lower is better, how far the score is above target */
            double ot = oriented(a, d, target[d]);
            gap = fmax(0, ot - o);
            prio[d] = gap * dm->weight / wall;
            gapw += gap * dm->weight;
            spanw += fmax(0, ot - a->smin) * dm->weight;
        }
        doc_num(e, "target", target[d]);
        doc_num(e, "gap", gap);
        doc_num(e, "priority", prio[d]);
        if (cx->norms)
            norm_fields(e, cx, d, r->score);
        if (lvl >= 0 && (size_t)lvl + 1 < a->nlevels)
            doc_str(e, "recommendation", dm->rec[lvl + 1]);
        else {
            doc_null(e, "recommendation");
            doc_note(e, !a->nlevels ? "the assessment has no levels"
                        : lvl < 0    ? "no level"
                                     : "already at the highest level");
        }
        if (dm->lower)
            doc_str(e, "direction", "lower");
        if (warnings && reliability_warnings(warnings, "", dm, r))
            doc_fail();
        doc_push(dims, e);
    }
    cJSON *ov = doc_obj(parent, "overall");
    doc_num_or_null(ov, "score", overall, "no dimension has a score");
    doc_num(ov, "index", 100 * (overall - a->smin) / (a->smax - a->smin));
    long olvl;
    level_fields(ov, a, overall, &olvl);
    doc_num(ov, "target", otarget);
    doc_num(ov, "gap", isnan(otarget) ? NAN : fmax(0, otarget - overall));
    doc_num(ov, "percent_to_target", spanw > 0 ? 1 - gapw / spanw : NAN);
    if (!dims || !cJSON_AddItemToObject(parent, "dimensions", dims)) {
        cJSON_Delete(dims);
        doc_fail();
    }
    /* priority order: by priority, highest first; without targets, lowest score first */
    if (order_out) {
        size_t *ord = malloc(a->nd * sizeof *ord);
        if (!ord)
            doc_fail();
        for (size_t d = 0; ord && d < a->nd; d++)
            ord[d] = d;
        for (size_t i = 1; ord && i < a->nd; i++)
            for (size_t j = i; j > 0; j--) {
                size_t x = ord[j - 1], y = ord[j];
                double kx = !isnan(prio[x]) ? prio[x] : -oriented(a, x, res[x].score),
                       ky = !isnan(prio[y]) ? prio[y] : -oriented(a, y, res[y].score);
                if (isnan(kx))
                    kx = -INFINITY;
                if (isnan(ky))
                    ky = -INFINITY;
                if (ky > kx) {
                    ord[j - 1] = y;
                    ord[j] = x;
                } else {
                    break;
                }
            }
        cJSON *po = cJSON_CreateArray();
        for (size_t d = 0; ord && d < a->nd; d++) /* a dimension without a score has no place */
            if (!isnan(prio[ord[d]]) || !isnan(res[ord[d]].score))
                doc_push(po, cJSON_CreateString(a->dims[ord[d]].id));
        free(ord);
        *order_out = po;
    }
    free(res);
    free(prio);
}

/* "assessment": its id, version, title, and the scale answers were read on. */

/* ---- inputs beside the answers ------------------------------------------------------------ */

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* --norms NORMS.csv (dimension,score): each dimension's earlier scores, oriented and sorted. */
static dcx_status_t read_norms(const dcx_assessment_t *a, const char *path, char delimiter, double ***norms,
                               size_t **nnorm, dcx_error_t *err)
{
    *norms = calloc(a->nd + 1, sizeof **norms);
    *nnorm = calloc(a->nd + 1, sizeof **nnorm);
    size_t *cap = calloc(a->nd + 1, sizeof *cap);
    if (!*norms || !*nnorm || !cap) {
        free(cap);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st) {
        free(cap);
        return st;
    }
    dcx_csv_delimiter(r, delimiter);
    dcx_csv_trim(r, 1);
    const char *file = dcx_csv_name(r);
    dcx_csv_row_t row;
    if ((st = dcx_csv_header(r, &row, "a header row 'dimension,score'", err)))
        goto done;
    if (row.n != 2 || strcmp(row.fields[0], "dimension") || strcmp(row.fields[1], "score")) {
        st = dcx_error_at(err, DCX_EPARSE, file, row.line, 1,
                          "a norms file has the header 'dimension,score' (one row per earlier client "
                          "and dimension)");
        goto done;
    }
    dcx_csv_expect_width(r, 2);
    int got;
    while ((got = dcx_csv_next(r, &row, err)) > 0) {
        long d = dcx_strmap_get(&a->dmap, row.fields[0], row.lens[0]);
        if (d < 0) {
            st = dcx_error_at(err, DCX_EPARSE, file, row.line, 1, "'%.80s' is not a dimension of %s",
                              row.fields[0], a->id);
            goto done;
        }
        double v;
        if (!dcx_parse_number(row.fields[1], row.lens[1], &v) || v < a->smin || v > a->smax) {
            st = dcx_error_at(err, DCX_EPARSE, file, row.line, 2,
                              "score '%.40s' is not a number on the scale (%g to %g)", row.fields[1],
                              a->smin, a->smax);
            goto done;
        }
        if ((*nnorm)[d] == cap[d]) {
            size_t c = cap[d] ? 2 * cap[d] : 16;
            double *p = realloc((*norms)[d], c * sizeof *p);
            if (!p) {
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                goto done;
            }
            (*norms)[d] = p;
            cap[d] = c;
        }
        (*norms)[d][(*nnorm)[d]++] = oriented(a, (size_t)d, v);
    }
    if (got < 0)
        st = err->code;
    for (size_t d = 0; !st && d < a->nd; d++)
        if ((*nnorm)[d])
            qsort((*norms)[d], (*nnorm)[d], sizeof *(*norms)[d], cmp_double);
done:
    dcx_csv_close(r);
    free(cap);
    return st;
}

/* ---- the pass over the respondents -------------------------------------------------------- */

/* One --group-by column: each value seen, in order of first sight, with the tally of its
 * respondents. */
typedef struct {
    const char *by;
    long col;          /* its attribute (-1: no such column, said after reading) */
    dcx_strmap_t vals; /* value -> group */
    tally_t *t;        /* per group */
    size_t nt, cap;    /* tallies made, room for */
    size_t *order;     /* groups in sort order of their values (after reading) */
} breakdown_t;

static void breakdown_free(breakdown_t *b)
{
    for (size_t g = 0; g < b->nt; g++)
        tally_free(&b->t[g]);
    free(b->t);
    free(b->order);
    dcx_strmap_free(&b->vals);
}

/* What one pass over the respondents gathers: the tally of everyone, the answers at each
 * scale point (the statements), and each breakdown's groups; each respondent's weight read
 * from its cell on the way. */
typedef struct {
    const dcx_assessment_t *a;
    const dcx_maturity_opts_t *o;
    tally_t all;
    tally_row_t x;
    itemsums_t is;
    breakdown_t *bd;
    size_t nb;
    int resolved;     /* the columns below looked up (at the first respondent) */
    long wcol;        /* --weight-column's attribute (-1: none, or no such column) */
    int wbad;         /* a weight that is not a number > 0 (1) or outside 1e-100 .. 1e100 (2):
                       * the first one, said after reading */
    long wline, wcolno;
    char wtext[48], wid[96];
} pass_t;

/* b->order: the groups in sort order of their values. @return 0 or -1. */
static int breakdown_order(breakdown_t *b)
{
    size_t n = b->vals.n;
    char **keys = malloc((n + 1) * sizeof *keys);
    b->order = malloc((n + 1) * sizeof *b->order);
    if (!keys || !b->order) {
        free(keys);
        return -1;
    }
    if (n) /* an empty map has no keys array */
        memcpy(keys, b->vals.keys, n * sizeof *keys);
    qsort(keys, n, sizeof *keys, cmp_cstr);
    for (size_t k = 0; k < n; k++)
        b->order[k] = (size_t)dcx_strmap_get(&b->vals, keys[k], strlen(keys[k]));
    free(keys);
    return 0;
}

/* The respondent's weight from its cell (1 when unweighted or when the cell is bad, which is
 * remembered and makes the run fail once the file is read). */
static double pass_weight(pass_t *p, const mresponses_t *rs, const mrespondent_t *r)
{
    if (p->wcol < 0)
        return 1;
    const char *s = r->attr[p->wcol];
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    /* weights are relative, but their squares and products are summed: a weight whose
     * square overflows or leaves the normal doubles gave null scores or a zero standard
     * error, so the range is bounded (a scale factor brings any weights into it) */
    int bad = !(*s && !*end && v > 0 && isfinite(v)) ? 1 : !(v >= 1e-100 && v <= 1e100) ? 2 : 0;
    if (!bad)
        return v;
    if (!p->wbad) {
        p->wbad = bad;
        p->wline = r->line;
        p->wcolno = rs->attr_col[p->wcol];
        snprintf(p->wtext, sizeof p->wtext, "%.40s", s);
        snprintf(p->wid, sizeof p->wid, "%.80s", r->id);
    }
    return 1;
}

static int pass_sink(void *ctx, const mresponses_t *rs, const mrespondent_t *r)
{
    pass_t *p = ctx;
    const dcx_assessment_t *a = p->a;
    int weighted = p->o->weight_column != NULL;
    if (!p->resolved) {
        p->resolved = 1;
        p->wcol = weighted ? responses_attr(rs, p->o->weight_column) : -1;
        for (size_t j = 0; j < p->nb; j++)
            p->bd[j].col = responses_attr(rs, p->bd[j].by);
    }
    tally_row_set(a, rs, r->ans, p->o->min_answered, pass_weight(p, rs, r), &p->x);
    tally_add(a, &p->all, &p->x, weighted);
    tally_count_points(a, &p->is, r->ans);
    for (size_t j = 0; j < p->nb; j++) {
        breakdown_t *b = &p->bd[j];
        if (b->col < 0)
            continue;
        const char *v = r->attr[b->col];
        long before = (long)b->vals.n, g = dcx_strmap_put(&b->vals, v, strlen(v));
        if (g < 0)
            return -1;
        if (g == before) {
            if ((size_t)g == b->cap) {
                size_t cap = b->cap ? 2 * b->cap : 8;
                tally_t *t = realloc(b->t, cap * sizeof *t);
                if (!t)
                    return -1;
                b->t = t;
                b->cap = cap;
            }
            b->nt++;
            if (tally_make(a, &b->t[g]))
                return -1; /* the run fails */
        }
        tally_add(a, &b->t[g], &p->x, weighted);
    }
    return 0;
}

/* ICC(1) and ICC(2) of respondents' scores on dimension d between the groups of a breakdown
 * that are shown (at least min_size respondents): one-way ANOVA as R's aov(score ~ group),
 * ICC(1) = (MSB − MSW)/(MSB + (N/G − 1)·MSW), ICC(2) = (MSB − MSW)/MSB (multilevel::ICC1,
 * ICC2), over the groups holding a score. Unweighted: the within-group sum of squares is each
 * group's tally of Σ(s − group mean)². */
static void icc_entry(cJSON *arr, const breakdown_t *b, size_t d, const char *dim, int min_size)
{
    double N = 0, G = 0, sum = 0, ssb = 0, ssw = 0;
    for (size_t k = 0; k < b->vals.n; k++) {
        const tally_t *t = &b->t[b->order[k]];
        if (t->n < (double)min_size || !(tally_count(t, d) > 0))
            continue; /* suppressed, or no score: left out */
        G++, N += tally_count(t, d), sum += tally_sum(t, d);
    }
    double mean = N > 0 ? sum / N : NAN;
    for (size_t k = 0; k < b->vals.n; k++) {
        const tally_t *t = &b->t[b->order[k]];
        double gn = tally_count(t, d);
        if (t->n < (double)min_size || !(gn > 0))
            continue;
        double m = tally_sum(t, d) / gn;
        ssb += gn * (m - mean) * (m - mean);
        ssw += tally_ss(t, d);
    }
    cJSON *e = cJSON_CreateObject();
    doc_str(e, "by", b->by);
    doc_str(e, "dimension", dim);
    double icc1 = NAN, icc2 = NAN;
    const char *why = NULL;
    if (G < 2 || N <= G) {
        why = "ICC needs 2 groups shown and more respondents than groups";
    } else {
        double msb = ssb / (G - 1), msw = ssw / (N - G);
        if (msb > 0) {
            icc1 = (msb - msw) / (msb + (N / G - 1) * msw);
            icc2 = (msb - msw) / msb;
        } else {
            why = "ICC is undefined: the groups' means do not differ at all";
        }
    }
    doc_num_or_null(e, "icc1", icc1, why);
    doc_num_or_null(e, "icc2", icc2, NULL);
    doc_num(e, "groups", G);
    doc_push(arr, e);
}

/* ---- the document ---------------------------------------------------------------------------- */

static void pass_free(pass_t *p)
{
    tally_free(&p->all);
    tally_row_free(&p->x);
    itemsums_free(&p->is);
    for (size_t j = 0; p->bd && j < p->nb; j++)
        breakdown_free(&p->bd[j]);
    free(p->bd);
}

/* The pass's tallies for assessment a and options o. @return 0 or -1 (out of memory). */
static int pass_make(pass_t *p, const dcx_assessment_t *a, const dcx_maturity_opts_t *o)
{
    memset(p, 0, sizeof *p);
    p->a = a;
    p->o = o;
    p->wcol = -1;
    p->bd = calloc(o->group_by.n + 1, sizeof *p->bd);
    if (!p->bd)
        return -1;
    p->nb = o->group_by.n;
    for (size_t j = 0; j < p->nb; j++) {
        p->bd[j].by = o->group_by.v[j];
        p->bd[j].col = -1;
    }
    int bad = tally_make(a, &p->all);
    bad |= tally_row_make(a, &p->x);
    bad |= itemsums_make(a, &p->is);
    return bad ? -1 : 0;
}

/* One pass over the responses, row by row as they are read: no answer is kept (a long file
 * keeps its rows until the end, as their order is free); then the document from the tallies. */
dcx_status_t dcx_maturity_score(const dcx_maturity_opts_t *o, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    dcx_assessment_t *a = NULL;
    mresponses_t rs;
    memset(&rs, 0, sizeof rs);
    dcx_strlist_t warnings = {0};
    double *target = NULL, **norms = NULL;
    size_t *nnorm = NULL;
    pass_t p;
    memset(&p, 0, sizeof p);
    dcx_status_t st = load_assessment(o, o->responses, &a, err);
    if (st)
        goto done;
    if (pass_make(&p, a, o)) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = read_responses(o, a, o->responses, o->lenient ? BAD_WARN : BAD_STOP, pass_sink, &p, &rs,
                             &warnings, err)))
        goto done;
    if (rs.n == 0 && !rs.empty_rows) {
        st = dcx_error_at(err, DCX_EPARSE, o->responses, 0, 0, "no respondents");
        goto done;
    }

    target = calloc(a->nd, sizeof *target);
    if (!target) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = read_targets(a, o, target, err)))
        goto done;
    if (o->weight_column && responses_attr(&rs, o->weight_column) < 0) {
        st = dcx_error_at(err, DCX_EPARSE, o->responses, 1, 0, "no column '%s' for --weight-column",
                          o->weight_column);
        goto done;
    }
    if (p.wbad) {
        st = dcx_error_at(err, DCX_EPARSE, o->responses, p.wline, p.wcolno,
                          p.wbad == 2 ? "weight '%s' of respondent '%s' is outside 1e-100 .. 1e100 "
                                        "(weights are relative: scale them all by one factor)"
                                      : "weight '%s' of respondent '%s' is not a number > 0 (give "
                                        "every respondent a weight, or leave --weight-column out)",
                          p.wtext, p.wid);
        goto done;
    }
    if (o->norms && (st = read_norms(a, o->norms, dcx_csv_delimiter_parse(o->delimiter), &norms, &nnorm, err)))
        goto done;
    for (size_t j = 0; j < p.nb; j++) {
        breakdown_t *b = &p.bd[j];
        for (size_t i = 0; i < j; i++)
            if (!strcmp(p.bd[i].by, b->by)) {
                st = dcx_error_set(err, DCX_EINVAL, "--group-by %s is given twice", b->by);
                goto done;
            }
        if (responses_attr(&rs, b->by) < 0) {
            st = dcx_error_at(err, DCX_EPARSE, o->responses, 1, 0, "no column '%s' to group by", b->by);
            goto done;
        }
        if (breakdown_order(b)) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
    }
    sctx_t cx = {a, &rs, o->weight_column != NULL, target, norms, nnorm, &p.is};
    doc_begin();
    cJSON *doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    assessment_doc(doc, a);
    doc_num(doc, "respondents", (double)rs.n);
    doc_num(doc, "empty_rows", (double)rs.empty_rows);
    doc_num(doc, "min_group_size", (double)o->min_group_size);
    if (o->weight_column) {
        cJSON *wt = doc_obj(doc, "weights");
        doc_str(wt, "column", o->weight_column);
        doc_num(wt, "sum", p.all.wsum);
        if (dcx_strlist_pushf(&warnings, "scores are weighted by '%s'; Cronbach's alpha, rwg, the "
                                         "statements and the ICC are unweighted",
                              o->weight_column))
            doc_fail();
    }
    if (rs.empty_rows
        && dcx_strlist_pushf(&warnings, "%s: %zu row%s without a valid answer %s not counted as respondents%s",
                             o->responses, rs.empty_rows, rs.empty_rows == 1 ? "" : "s",
                             rs.empty_rows == 1 ? "is" : "are",
                             rs.n ? "" : ": there are none, so every score is null (a blank form?)"))
        doc_fail();
    cJSON *order = NULL;
    dcx_strlist_t dim_warnings = {0};
    score_block(doc, &cx, &p.all, &dim_warnings, &order);
    /* documented order (docs/formats.md): ... "dimensions", "priority_order", "items",
     * "groups", "icc", "warnings" */
    if (!order || !cJSON_AddItemToObject(doc, "priority_order", order)) {
        cJSON_Delete(order);
        doc_fail();
    }
    statements_doc(doc, a, &rs, &p.is);
    cJSON *groups = doc_arr(doc, "groups");
    for (size_t j = 0; j < p.nb; j++) {
        const breakdown_t *b = &p.bd[j];
        for (size_t k = 0; k < b->vals.n; k++) {
            size_t gi = b->order[k];
            const char *v = b->vals.keys[gi];
            cJSON *g = cJSON_CreateObject();
            doc_str(g, "by", b->by);
            doc_str(g, "group", v[0] ? v : "(missing)");
            doc_num(g, "respondents", b->t[gi].n);
            score_block(g, &cx, &b->t[gi], NULL, NULL);
            doc_push(groups, g);
        }
    }
    cJSON *icc = doc_arr(doc, "icc");
    for (size_t j = 0; j < p.nb; j++)
        for (size_t d = 0; d < a->nd; d++)
            icc_entry(icc, &p.bd[j], d, a->dims[d].id, o->min_group_size);
    cJSON *wa = doc_arr(doc, "warnings");
    for (size_t i = 0; i < warnings.n; i++)
        doc_push(wa, cJSON_CreateString(warnings.v[i]));
    for (size_t i = 0; i < dim_warnings.n; i++)
        doc_push(wa, cJSON_CreateString(dim_warnings.v[i]));
    dcx_strlist_free(&dim_warnings);
    if (doc_oom(doc) || dcx_maturity_suppress(doc, o->min_group_size, err)) {
        cJSON_Delete(doc);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    *out = doc;
done:
    pass_free(&p);
    for (size_t d = 0; norms && a && d < a->nd; d++)
        free(norms[d]);
    free(norms);
    free(nnorm);
    free(target);
    responses_free(&rs, 0);
    dcx_assessment_free(a);
    dcx_strlist_free(&warnings);
    return st;
}
