/* analyze.c — `dcx analyze`, the run: options checked, the cells read (unit-level CSV or
 * summaries), variants and levels put in report order, every treatment compared with
 * control for every metric, overall and per segment level, the timeline, the correction
 * within each family (families.c), and one document (settings, SRM, results, heterogeneity, timeline,
 * decisions, warnings). analyze_internal.h names the file that holds each part. */
#include "dcx/analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analyze_internal.h"
#include "dcx/csv.h"
#include "dcx/stats.h"
#include "dcx/version.h"
#include "doc_util.h"
#include "dcx/doc.h"

/* The options that are not the cell store's: method, test, correction, and the checks
 * that tie options together. */
static dcx_status_t parse_options(run_t *x, const dcx_analyze_opts_t *given, dcx_error_t *err)
{
    const dcx_analyze_opts_t *o = x->o;
    if ((o->input != NULL) + (o->summary.n > 0) + (o->units != NULL) != 1)
        return dcx_error_set(err, DCX_EINVAL, o->units ? "give the units one way: rows (in memory), --input or --summary"
                                                      : "give --input UNITS.csv or --summary STATS.csv");
    if (!(o->alpha > 0 && o->alpha < 1))
        return dcx_error_set(err, DCX_EINVAL, "--alpha must be in (0, 1)");
    const char *m = o->method ? o->method : "frequentist";
    x->method = !strcmp(m, "bayesian")           ? M_BAYES
                : !strcmp(m, "sequential")       ? M_SEQ
                : !strcmp(m, "group-sequential") ? M_GSEQ
                                                 : M_FREQ;
    if (x->method == M_GSEQ) {
        if (!o->time_column)
            return dcx_error_set(err, DCX_EINVAL, "--method group-sequential needs --time-column: "
                                                  "its periods are the looks");
        if (!(o->looks >= 1 && o->looks <= GS_MAX_LOOKS) || o->looks != floor(o->looks))
            return dcx_error_set(err, DCX_EINVAL,
                                 "--method group-sequential needs --looks K, the planned looks "
                                 "(1 to %d)", GS_MAX_LOOKS);
    } else if (!isnan(o->looks)) {
        return dcx_error_set(err, DCX_EINVAL, "--looks goes with --method group-sequential");
    }
    const char *t = o->test ? o->test : "auto";
    x->test = !strcmp(t, "z")              ? T_Z
              : !strcmp(t, "fisher")       ? T_FISHER
              : !strcmp(t, "welch")        ? T_WELCH
              : !strcmp(t, "mann-whitney") ? T_MW
                                           : T_AUTO;
    if ((x->test == T_FISHER || x->test == T_MW) && o->summary.n)
        return dcx_error_set(err, DCX_ENOTSUP,
                             "--test %s needs unit-level data: use --input, not --summary", t);
    x->relative = o->difference && !strcmp(o->difference, "relative");
    x->lift_iv = !o->lift_interval || !strcmp(o->lift_interval, "fieller") ? LIFT_FIELLER
                 : !strcmp(o->lift_interval, "log")                        ? LIFT_LOG
                                                                           : LIFT_DELTA;
    if (x->relative && (x->test == T_FISHER || x->test == T_MW))
        return dcx_error_set(err, DCX_EINVAL,
                             "--difference relative tests the lift by the delta method: use --test "
                             "auto, z or welch");
    if (x->test != T_AUTO && x->method != M_FREQ)
        return dcx_error_set(err, DCX_EINVAL, "--test goes with --method frequentist");
    dcx_status_t st = dcx_adjust_parse(o->correction ? o->correction : "none", &x->adjust, err);
    if (st)
        return st;
    if (o->time_column && o->summary.n)
        return dcx_error_set(err, DCX_ENOTSUP,
                             "--time-column needs unit-level data: use --input, not --summary");
    if (!(o->srm_threshold > 0 && o->srm_threshold < 1))
        return dcx_error_set(err, DCX_EINVAL, "--srm-threshold must be in (0, 1)");
    if (!(o->tuning > 0))
        return dcx_error_set(err, DCX_EINVAL, "--tuning must be > 0");
    if (!isnan(o->tau) && !(o->tau > 0))
        return dcx_error_set(err, DCX_EINVAL, "--tau must be > 0");
    if (o->one_sided && x->method == M_BAYES)
        return dcx_error_set(err, DCX_EINVAL,
                             "--one-sided goes with --method frequentist, sequential or "
                             "group-sequential (bayesian states the chance to beat control)");
    if ((o->where.n || o->unit_column) && o->summary.n)
        return dcx_error_set(err, DCX_EINVAL,
                             "--%s needs the unit rows: use --input (a summary holds the sums of "
                             "rows already chosen)",
                             o->where.n ? "where" : "unit-column");
    /* a definition's cap is the summary's to show (its cap rows, checked in read_cells) */
    if (given->cap.n && o->summary.n)
        return dcx_error_set(err, DCX_EINVAL,
                             "--cap needs the unit values: use --input (a summary holds sums of "
                             "values already summed; dcx sql --cap caps in the warehouse)");
    if (!(x->delimiter = dcx_csv_delimiter_parse(o->delimiter)))
        return dcx_error_set(err, DCX_EINVAL, "--delimiter '%s': give one character, or \\t for a tab",
                             o->delimiter);
    const char *per = o->period ? o->period : "day";
    x->period = !strcmp(per, "week") ? PERIOD_WEEK : !strcmp(per, "month") ? PERIOD_MONTH : PERIOD_DAY;
    return ps_check_options(x, err);
}

/* The cells, from the unit-level CSV or the summary files. */
static dcx_status_t read_cells(run_t *x, dcx_error_t *err)
{
    const dcx_analyze_opts_t *o = x->o;
    dcx_status_t st;
    if (o->input)
        return data_read_units(&x->d, o->input, err);
    if (o->units)
        return data_read_rows(&x->d, o->units, err);
    for (size_t i = 0; i < o->summary.n; i++)
        if ((st = data_read_summary(&x->d, o->summary.v[i], err)))
            return st;
    if ((st = data_finish_summary(&x->d, err))
        || (st = data_summary_caps(&x->d, &o->cap, &x->defs.cap_ignore_zeros,
                                   o->summary.n == 1 ? o->summary.v[0] : "the summaries", err)))
        return st;
    if (x->d.summary_unchecked)
        run_warn(x, "a summary without rows_total (from an older dcx, or written by hand): "
                    "whether it holds every row cannot be checked");
    if (x->d.summary_no_units)
        run_warn(x, "a summary without units rows: the SRM counts the units that have a value, "
                    "not the units assigned");
    return DCX_OK;
}

/* "all units" or "SEGMENT=VALUE", for warnings */
static const char *level_label(const run_t *x, size_t level, char *buf, size_t len)
{
    const level_t *l = &x->d.levels[level];
    if (l->seg < 0)
        snprintf(buf, len, "all units");
    else
        snprintf(buf, len, "%s=%s", x->d.segs[l->seg], l->value);
    return buf;
}

/* Every comparison, metric × level × treatment in report order, with its role and family. */
static void compare_all(run_t *x, cmp_t *rows)
{
    for (size_t mi = 0; mi < x->d.nm; mi++)
        for (size_t li = 0; li < x->nlev; li++)
            for (size_t ti = 0; ti < x->ntreat; ti++) {
                size_t v = x->treat[ti];
                cmp_t *r = &rows[row_at(x, mi, li, ti)];
                r->m = mi, r->level = x->levels[li], r->t = v;
                const level_t *l = &x->d.levels[x->levels[li]];
                char where[300], lab[256];
                snprintf(where, sizeof where, "%s, %s vs %s",
                         level_label(x, x->levels[li], lab, sizeof lab), x->d.variants.keys[v],
                         x->d.variants.keys[x->control]);
                cell_t *cc = level_cell(&x->d, l, x->control, mi), *ct = level_cell(&x->d, l, v, mi);
                x->ps_level = x->d.strat_col ? l : NULL;
                cmp_cells(x, mi, cc, ct, r, where);
                x->ps_level = NULL;
                roles_apply(x, r, cc, ct);
            }
}

/* The document (docs/formats.md), key by key: the settings, the SRM checks (*gate: a
 * sample ratio mismatch somewhere), every result, heterogeneity, the timeline (which it
 * takes over: *timeline is NULL after), the decisions and the warnings. */
static dcx_status_t fill_doc(run_t *x, cJSON *doc, const cmp_t *rows, size_t nrows,
                             cJSON **timeline, int *gate, dcx_error_t *err)
{
    doc_str(doc, "dcx_version", dcx_version());
    doc_str(doc, "method", x->method == M_BAYES  ? "bayesian"
                           : x->method == M_SEQ  ? "sequential"
                           : x->method == M_GSEQ ? "group-sequential"
                                                 : "frequentist");
    doc_num(doc, "alpha", x->o->alpha);
    doc_str(doc, "correction", dcx_adjust_name(x->adjust));
    doc_str(doc, "control", x->d.variants.keys[x->control]);
    if (x->method == M_GSEQ)
        gs_doc(x, doc);
    ps_doc(x, doc);
    adoc_health(x, doc_obj(doc, "health"));
    *gate = adoc_srm_overall(x, doc_obj(doc, "srm"));
    doc_arr(doc, "results"); /* their entries are made when written (dcx/doc.h) */
    for (size_t i = 0; i < nrows; i++)
        x->oom |= rows[i].lost;
    *gate |= adoc_srm_segments(x);
    doc_arr(doc, "srm_segments");
    if (*gate && !x->o->config && !x->o->weights.n) /* the equal shares were assumed */
        run_warn(x, "sample ratio mismatch: tested against equal shares because no design was "
                    "given; if the split is intended, give --config");
    cJSON *het = doc_arr(doc, "heterogeneity");
    double *est = malloc((x->nlev + 1) * sizeof *est), *se = malloc((x->nlev + 1) * sizeof *se);
    if (!est || !se) {
        free(est);
        free(se);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    adoc_heterogeneity(x, het, rows, est, se);
    free(est);
    free(se);
    if (!cJSON_AddItemToObject(doc, "timeline", *timeline))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    *timeline = NULL;
    decisions_doc(x, doc_arr(doc, "decisions"), rows, *gate);
    run_warn_repeats_done(x);
    cJSON *w = doc_arr(doc, "warnings");
    for (size_t i = 0; i < x->warnings.n; i++)
        doc_push(w, cJSON_CreateString(x->warnings.v[i]));
    if (doc_oom(doc) || x->oom)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

static void run_free(run_t *x)
{
    free(x->levels);
    free(x->seg_lo);
    free(x->seg_hi);
    free(x->names);
    free(x->order);
    free(x->share);
    free(x->designed);
    free(x->treat);
    free(x->roles);
    free(x->looks);
    free(x->gs_t);
    free(x->gs_b);
    free(x->srm_lvl);
    free(x->srm_lvl_ok);
    free(x->ps_buf);
    design_free(&x->design);
    run_warn_free(x);
    data_free(&x->d);
    metric_defs_free(&x->defs);
}

/* ---- the run ------------------------------------------------------------------------- */

/* What the document's long arrays are made from: the run and its rows (the run in place,
 * since its options point into it). */
typedef struct {
    run_t x;
    cmp_t *rows;
    size_t nrows;
    dcx_doc_stream_t streams[2];
} made_t;

/* An item made since doc_begin(), or NULL (and nothing kept) when a part of it failed. */
static cJSON *item_or_null(cJSON *o)
{
    if (doc_oom(o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *result_item(void *ctx, size_t i)
{
    const made_t *m = ctx;
    doc_begin();
    return item_or_null(adoc_result(&m->x, &m->rows[i]));
}

static cJSON *srm_item(void *ctx, size_t i)
{
    const made_t *m = ctx;
    int mismatch, checked;
    dcx_srm_result_t sr;
    doc_begin();
    return item_or_null(adoc_srm_level(&m->x, i + 1, &sr, &mismatch, &checked));
}

static void made_free(void *ctx)
{
    made_t *m = ctx;
    if (!m)
        return;
    for (size_t i = 0; m->rows && i < m->nrows; i++)
        free(m->rows[i].note);
    free(m->rows);
    run_free(&m->x);
    free(m);
}

dcx_status_t dcx_analyze_doc(const dcx_analyze_opts_t *o, dcx_doc_t *out, dcx_error_t *err)
{
    memset(out, 0, sizeof *out);
    made_t *m = calloc(1, sizeof *m);
    if (!m)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    run_t *x = &m->x;
    x->o = o;
    cJSON *doc = NULL, *timeline = NULL;
    int gate = 0;
    dcx_status_t st;
    if ((st = metric_defs_merge(x, o, &x->defs, err)) || (st = parse_options(x, o, err)))
        goto done;
    o = x->o; /* the options with the definitions folded in */
    /* from a summary, the caps are its cap rows (a definition's are checked against them) */
    data_spec_t spec = {.metrics = &o->metric, .segments = &o->segment, .cuped = &o->cuped,
                        .caps = o->summary.n ? NULL : &o->cap,
                        .cap_ignore_zeros = o->summary.n ? NULL : &o->cap_ignore_zeros,
                        .columns = &x->defs.columns, .time_col = o->time_column,
                        .variant_col = o->variant_column, .mann_whitney = x->test == T_MW,
                        .period = x->period, .delimiter = x->delimiter, .where = &o->where,
                        .unit_col = o->unit_column, .strat_col = o->post_stratify};
    if ((st = data_init(&x->d, &spec, err)) || (st = roles_parse(x, err)) || (st = read_cells(x, err))
        || (st = order_variants(x, err)) || (st = order_levels(x, err))
        || (x->method == M_GSEQ && (st = gs_setup(x, err))) || (st = ps_setup(x, err)))
        goto done;
    m->nrows = x->d.nm * x->nlev * x->ntreat;
    if (!(m->rows = calloc(m->nrows + 1, sizeof *m->rows))) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    compare_all(x, m->rows);
    doc_begin();
    if (!(timeline = cJSON_CreateArray()) || (st = adoc_timeline(x, timeline, m->rows, err))) {
        if (!st)
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = families_correct(x, m->rows, m->nrows, err)))
        goto done;
    doc = cJSON_CreateObject();
    if ((st = fill_doc(x, doc, m->rows, m->nrows, &timeline, &gate, err)))
        goto done;
    if (gate && o->fail_on_srm) {
        st = dcx_error_set(err, DCX_EGATE, "sample ratio mismatch (--fail-on-srm)");
    } else if (o->fail_on_srm) { /* the gate cannot pass a check that could not be made */
        const cJSON *srm = cJSON_GetObjectItemCaseSensitive(doc, "srm");
        const cJSON *note = cJSON_GetObjectItemCaseSensitive(srm, "note");
        if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(srm, "mismatch"))) {
            st = dcx_error_set(err, DCX_EDOM, "--fail-on-srm: the sample ratio check could not be "
                                              "made (%s)",
                               cJSON_IsString(note) ? note->valuestring : "no result");
            goto done;
        }
    }
    m->streams[0] = (dcx_doc_stream_t){"results", m->nrows, result_item};
    m->streams[1] = (dcx_doc_stream_t){"srm_segments", x->nlev ? x->nlev - 1 : 0, srm_item};
    out->root = doc;
    out->streams = m->streams;
    out->nstreams = 2;
    out->ctx = m;
    out->ctx_free = made_free;
    return st;
done:
    cJSON_Delete(doc);
    cJSON_Delete(timeline);
    made_free(m);
    return st;
}

dcx_status_t dcx_analyze(const dcx_analyze_opts_t *o, cJSON **out, dcx_error_t *err)
{
    dcx_doc_t d;
    *out = NULL;
    dcx_status_t st = dcx_analyze_doc(o, &d, err);
    if (!d.root)
        return st;
    dcx_status_t ts = dcx_doc_take(&d, out, err);
    return ts ? ts : st;
}
