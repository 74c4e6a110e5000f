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
    const dimscores_t *ds;
    const double *w;      /* respondent weights (--weight-column), or NULL */
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

/* Builds "overall" and "dimensions" for respondents idx[0..n) into parent. */
static void score_block(cJSON *parent, const sctx_t *cx, const size_t *idx, size_t n,
                        dcx_strlist_t *warnings, cJSON **order_out)
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
    score_all(a, cx->rs, cx->ds, idx, n, cx->w, order_out ? cx->is : NULL, res);
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

/* --weight-column: a weight > 0 per respondent, from its attribute cell. */
static dcx_status_t read_weights(const dcx_maturity_opts_t *o, const mresponses_t *rs, double **out,
                                 dcx_error_t *err)
{
    long k = responses_attr(rs, o->weight_column);
    if (k < 0)
        return dcx_error_at(err, DCX_EPARSE, o->responses, 1, 0, "no column '%s' for --weight-column",
                            o->weight_column);
    double *w = malloc((rs->n + 1) * sizeof *w);
    if (!w)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < rs->n; i++) {
        const char *s = rs->r[i].attr[k];
        char *end;
        double v = strtod(s, &end);
        while (*end == ' ')
            end++;
        if (!*s || *end || !(v > 0) || !isfinite(v)) {
            free(w);
            return dcx_error_at(err, DCX_EPARSE, o->responses, rs->r[i].line, rs->attr_col[k],
                                "weight '%.40s' of respondent '%.80s' is not a number > 0 (give every "
                                "respondent a weight, or leave --weight-column out)",
                                s, rs->r[i].id);
        }
        w[i] = v;
    }
    *out = w;
    return DCX_OK;
}

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

/* ---- breakdowns ---------------------------------------------------------------------------- */

/* One --group-by column: each respondent's group (in sort order of the values), and the
 * respondents of group g at idx[start[g] .. start[g + 1]). */
typedef struct {
    const char *by;
    long col;
    char **vals; /* sorted values (pointers into the responses) */
    size_t nv;
    long *grp;   /* per respondent */
    size_t *start, *idx;
} breakdown_t;

static void breakdown_free(breakdown_t *b)
{
    free(b->vals);
    free(b->grp);
    free(b->start);
    free(b->idx);
}

static int breakdown_make(const mresponses_t *rs, breakdown_t *b)
{
    dcx_strmap_t seen = {0};
    int bad = 0;
    b->grp = malloc((rs->n + 1) * sizeof *b->grp);
    b->idx = malloc((rs->n + 1) * sizeof *b->idx);
    for (size_t i = 0; b->grp && i < rs->n && !bad; i++)
        bad = dcx_strmap_put(&seen, rs->r[i].attr[b->col], strlen(rs->r[i].attr[b->col])) < 0;
    long *rank = malloc((seen.n + 1) * sizeof *rank);
    b->vals = malloc((seen.n + 1) * sizeof *b->vals);
    b->start = calloc(seen.n + 2, sizeof *b->start);
    if (bad || !b->grp || !b->idx || !rank || !b->vals || !b->start) {
        free(rank);
        dcx_strmap_free(&seen);
        return -1;
    }
    b->nv = seen.n;
    for (size_t k = 0; k < seen.n; k++)
        b->vals[k] = seen.keys[k];
    qsort(b->vals, b->nv, sizeof *b->vals, cmp_cstr);
    for (size_t k = 0; k < b->nv; k++)
        rank[dcx_strmap_get(&seen, b->vals[k], strlen(b->vals[k]))] = (long)k;
    for (size_t i = 0; i < rs->n; i++) {
        b->grp[i] = rank[dcx_strmap_get(&seen, rs->r[i].attr[b->col], strlen(rs->r[i].attr[b->col]))];
        b->start[b->grp[i] + 1]++;
    }
    for (size_t k = 0; k < b->nv; k++)
        b->start[k + 1] += b->start[k];
    size_t *fill = calloc(b->nv + 1, sizeof *fill);
    if (!fill) {
        free(rank);
        dcx_strmap_free(&seen);
        return -1;
    }
    for (size_t i = 0; i < rs->n; i++)
        b->idx[b->start[b->grp[i]] + fill[b->grp[i]]++] = i;
    free(fill);
    free(rank);
    /* the values point into the responses, not into the map about to be freed */
    for (size_t k = 0; k < b->nv; k++)
        b->vals[k] = rs->r[b->idx[b->start[k]]].attr[b->col];
    dcx_strmap_free(&seen);
    return 0;
}

/* ICC(1) and ICC(2) of respondents' scores on dimension d between the groups of a breakdown
 * that are shown (at least min_size respondents): one-way ANOVA as R's aov(score ~ group),
 * ICC(1) = (MSB − MSW)/(MSB + (N/G − 1)·MSW), ICC(2) = (MSB − MSW)/MSB (multilevel::ICC1,
 * ICC2), over the groups holding a score. Unweighted. */
static void icc_entry(cJSON *arr, const breakdown_t *b, const dimscores_t *ds, size_t d, const char *dim,
                      int min_size)
{
    double N = 0, G = 0, sum = 0;
    double *gs = calloc(b->nv + 1, sizeof *gs), *gn = calloc(b->nv + 1, sizeof *gn);
    if (!gs || !gn) {
        free(gs);
        free(gn);
        doc_fail();
        return;
    }
    for (size_t g = 0; g < b->nv; g++) {
        if (b->start[g + 1] - b->start[g] < (size_t)min_size)
            continue; /* suppressed: left out */
        for (size_t k = b->start[g]; k < b->start[g + 1]; k++) {
            double s = ds->score[b->idx[k] * ds->nd + d];
            if (!isnan(s))
                gs[g] += s, gn[g]++;
        }
        if (gn[g] > 0)
            G++, N += gn[g], sum += gs[g];
    }
    double mean = N > 0 ? sum / N : NAN, ssb = 0, ssw = 0;
    for (size_t g = 0; g < b->nv; g++) {
        if (!(gn[g] > 0))
            continue;
        double m = gs[g] / gn[g];
        ssb += gn[g] * (m - mean) * (m - mean);
        for (size_t k = b->start[g]; k < b->start[g + 1]; k++) {
            double s = ds->score[b->idx[k] * ds->nd + d];
            if (!isnan(s))
                ssw += (s - m) * (s - m);
        }
    }
    free(gs);
    free(gn);
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

dcx_status_t dcx_maturity_score(const dcx_maturity_opts_t *o, cJSON **out, dcx_error_t *err)
{
    *out = NULL;
    dcx_assessment_t *a = NULL;
    mresponses_t rs;
    memset(&rs, 0, sizeof rs);
    dcx_strlist_t warnings = {0};
    size_t *idx = NULL;
    double *target = NULL, *w = NULL, **norms = NULL;
    size_t *nnorm = NULL, nb = 0;
    breakdown_t *bd = NULL;
    dimscores_t ds;
    memset(&ds, 0, sizeof ds);
    dcx_status_t st = load_both(o, o->responses, &a, &rs, &warnings, err);
    if (st)
        goto done;
    if (rs.n == 0 && !rs.empty_rows) {
        st = dcx_error_at(err, DCX_EPARSE, o->responses, 0, 0, "no respondents");
        goto done;
    }

    target = calloc(a->nd, sizeof *target);
    idx = malloc(rs.n * sizeof *idx);
    bd = calloc(o->group_by.n + 1, sizeof *bd);
    if (!target || !idx || !bd) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = read_targets(a, o, target, err)))
        goto done;
    if (o->weight_column && (st = read_weights(o, &rs, &w, err)))
        goto done;
    if (o->norms && (st = read_norms(a, o->norms, dcx_csv_delimiter_parse(o->delimiter), &norms, &nnorm, err)))
        goto done;
    for (nb = 0; nb < o->group_by.n; nb++) {
        breakdown_t *b = &bd[nb];
        b->by = o->group_by.v[nb];
        for (size_t j = 0; j < nb; j++)
            if (!strcmp(bd[j].by, b->by)) {
                st = dcx_error_set(err, DCX_EINVAL, "--group-by %s is given twice", b->by);
                goto done;
            }
        if ((b->col = responses_attr(&rs, b->by)) < 0) {
            st = dcx_error_at(err, DCX_EPARSE, o->responses, 1, 0, "no column '%s' to group by", b->by);
            goto done;
        }
        if (breakdown_make(&rs, b)) {
            nb++;
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (dimscores_make(a, &rs, o->min_answered, &ds)) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < rs.n; i++)
        idx[i] = i;
    itemsums_t is = {0};
    if (itemsums_make(a, &is)) {
        itemsums_free(&is);
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    sctx_t cx = {a, &rs, &ds, w, target, norms, nnorm, &is};
    doc_begin();
    cJSON *doc = cJSON_CreateObject();
    doc_str(doc, "dcx_version", dcx_version());
    assessment_doc(doc, a);
    doc_num(doc, "respondents", (double)rs.n);
    doc_num(doc, "empty_rows", (double)rs.empty_rows);
    doc_num(doc, "min_group_size", (double)o->min_group_size);
    if (w) {
        double sw = 0;
        for (size_t i = 0; i < rs.n; i++)
            sw += w[i];
        cJSON *wt = doc_obj(doc, "weights");
        doc_str(wt, "column", o->weight_column);
        doc_num(wt, "sum", sw);
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
    score_block(doc, &cx, idx, rs.n, &dim_warnings, &order);
    /* documented order (docs/formats.md): ... "dimensions", "priority_order", "items",
     * "groups", "icc", "warnings" */
    if (!order || !cJSON_AddItemToObject(doc, "priority_order", order)) {
        cJSON_Delete(order);
        doc_fail();
    }
    statements_doc(doc, a, &rs, &is);
    itemsums_free(&is);
    cJSON *groups = doc_arr(doc, "groups");
    for (size_t j = 0; j < nb; j++) {
        const breakdown_t *b = &bd[j];
        for (size_t k = 0; k < b->nv; k++) {
            cJSON *g = cJSON_CreateObject();
            doc_str(g, "by", b->by);
            doc_str(g, "group", b->vals[k][0] ? b->vals[k] : "(missing)");
            doc_num(g, "respondents", (double)(b->start[k + 1] - b->start[k]));
            score_block(g, &cx, b->idx + b->start[k], b->start[k + 1] - b->start[k], NULL, NULL);
            doc_push(groups, g);
        }
    }
    cJSON *icc = doc_arr(doc, "icc");
    for (size_t j = 0; j < nb; j++)
        for (size_t d = 0; d < a->nd; d++)
            icc_entry(icc, &bd[j], &ds, d, a->dims[d].id, o->min_group_size);
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
    dimscores_free(&ds);
    for (size_t j = 0; bd && j < nb; j++)
        breakdown_free(&bd[j]);
    free(bd);
    for (size_t d = 0; norms && a && d < a->nd; d++)
        free(norms[d]);
    free(norms);
    free(nnorm);
    free(w);
    free(idx);
    free(target);
    responses_free(&rs, 0);
    dcx_assessment_free(a);
    dcx_strlist_free(&warnings);
    return st;
}
