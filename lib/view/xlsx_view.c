/* xlsx_view.c — a result document as an Excel workbook (libxlsxwriter).
 *
 * Like every view it only lays out what the document holds: a sheet per table of the
 * JSON, a row per object, a column per field. Nested objects flatten to names joined
 * by '_' (control_mean), an interval [lo, hi] to two columns NAME_lo and NAME_hi, a list of
 * strings to one cell joined with "; ". Column names are those of the CSV view
 * (control_n, diff_ci_lo). Numbers are stored as numbers (the full double;
 * the number format only sets how many digits show), booleans as booleans, null as an
 * empty cell, text as text (never a formula, whatever it starts with). Fields that are
 * not part of a table go to the "about" sheet as field/value pairs.
 *
 * Sheets, in order:
 *   maturity score    scores (overall, then each dimension), priorities, groups,
 *                     warnings, about, radar (chart of scores against target, with a
 *                     series per group)
 *   maturity compare  scores (overall, then each dimension), groups, warnings, about,
 *                     radar (before, after and target)
 *   analyze           decisions (or, with no goal metric, the sentence that says how to
 *                     get one), results, srm (overall, then per segment level),
 *                     heterogeneity, timeline, warnings, about
 *   anything else     a sheet per array of objects, warnings, about
 *
 * Every sheet is built in two passes over the same row generator: the first collects
 * the columns (in order of first sight) and their widths, the second writes. The
 * workbook is written to a temporary file (libxlsxwriter writes to a path) and copied to
 * the output stream, so a failure leaves nothing half-written behind. */
#include "dcx/text.h"
#include "dcx/analysis.h"
#include "dcx/view.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <xlsxwriter.h>

#include "doc_read.h"
#include "fileio.h"
#include "flatten.h"
#include "strmap.h"
#include "textbuf.h"

/* Excel holds at most 32,767 characters in a cell; longer text is cut at a character
 * boundary and ends in an ellipsis (the JSON view has the whole text). */
#define XL_CELL_CHARS 32000

enum { NF_GENERAL, NF_INT, NF_P, NF_PCT, NF_2, NF_3, NF_TEXT_WRAP, NF_COUNT };

typedef struct {
    lxw_workbook *wb;
    lxw_format *fmt[NF_COUNT];
    lxw_format *header;
    dcx_error_t *err;
    int failed;
    dcx_status_t status; /* of the first failure */
    /* the sheet being built */
    lxw_worksheet *ws;
    int writing;       /* 0: collect columns, 1: write */
    dcx_strmap_t cols; /* column names, in order of first sight */
    double *width;     /* per column */
    unsigned char *nf; /* per column: its number format (column_format), found once */
    size_t wcap;
    size_t row;        /* rows so far (data rows, not the header) */
    char path[16];     /* the name a flattened value goes under: "" or "value" */
    tbuf_t text;       /* scratch for joined lists and sanitised text */
} xl_t;

static void xl_fail(xl_t *x, dcx_status_t st, const char *what, lxw_error e)
{
    if (x->failed)
        return;
    x->failed = 1;
    x->status = st;
    if (e != LXW_NO_ERROR)
        dcx_error_set(x->err, st, "xlsx: %s: %s", what, lxw_strerror(e));
    else
        dcx_error_set(x->err, st, "xlsx: %s", what);
}

/* ---- text ------------------------------------------------------------------------------
 * XML 1.0, and so Excel, has no place for control characters other than tab, line feed
 * and carriage return, nor for U+FFFE/U+FFFF or bytes that are not UTF-8: each becomes
 * U+FFFD, so data can never make a workbook that Excel refuses to open. */
static const char *xl_clean(xl_t *x, const char *s)
{
    x->text.len = 0;
    tb_puts(&x->text, "");
    size_t chars = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (chars == XL_CELL_CHARS) {
            tb_puts(&x->text, "\xE2\x80\xA6");
            break;
        }
        unsigned cp;
        size_t n = tb_utf8_seq(p, &cp);
        if (n == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE
            || cp == 0xFFFF) {
            tb_puts(&x->text, "\xEF\xBF\xBD");
            p += n ? n : 1;
        } else {
            tb_putn(&x->text, (const char *)p, n);
            p += n;
        }
        chars++;
    }
    if (x->text.oom) {
        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
        return "";
    }
    return x->text.s;
}

/* ---- columns ------------------------------------------------------------------------ */

static const char *last_part(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcmp(s + n - t, tail);
}

/* The number format of a column, from its name: p-values with four decimals, shares as
 * percentages, scores with two decimals, agreement indices with three (so 0.699 never
 * shows as 0.70 next to a 0.7 threshold), counts as whole numbers. */
static int column_format(const char *name)
{
    char base[128];
    const char *b = last_part(name);
    snprintf(base, sizeof base, "%s", b);
    size_t n = strlen(base);
    if (n > 3 && (!strcmp(base + n - 3, "_lo") || !strcmp(base + n - 3, "_hi")))
        base[n - 3] = 0;
    if (ends_with(base, "p_value") || !strcmp(base, "p_adjusted"))
        return NF_P;
    if (!strncmp(base, "lift", 4) || !strcmp(base, "percent_to_target") || !strcmp(base, "progress")
        || !strcmp(base, "coverage") || !strcmp(base, "prob_beat_control")
        || !strcmp(base, "variance_reduction") || !strcmp(base, "risk_relative")
        || !strcmp(base, "ni_probability"))
        return NF_PCT;
    if (!strcmp(base, "rwg") || !strcmp(base, "priority") || !strcmp(base, "alpha"))
        return NF_3;
    if (!strcmp(base, "score") || !strcmp(base, "before") || !strcmp(base, "after")
        || !strcmp(base, "delta") || !strcmp(base, "target") || !strcmp(base, "gap")
        || !strcmp(base, "index") || !strcmp(base, "sd") || !strcmp(base, "ci"))
        return NF_2;
    if (!strcmp(base, "n") || !strcmp(base, "missing") || !strncmp(base, "respondents", 11)
        || !strncmp(name, "counts.", 7) || !strcmp(base, "rank") || !strcmp(base, "df")
        || !strncmp(base, "level", 5))
        return NF_INT;
    if (!strcmp(base, "reasons") || !strcmp(base, "recommendation") || !strcmp(base, "warning"))
        return NF_TEXT_WRAP;
    return NF_GENERAL;
}

/* The column of a field, by its dotted path, added when first seen. (Its header is the
 * path as the CSV view writes it: control.n is control_n. Keyed by the path itself, two
 * fields whose names differ only by '.' and '_' never share a cell.) */
static long column(xl_t *x, const char *name)
{
    long i = dcx_strmap_get(&x->cols, name, strlen(name));
    if (i >= 0 || x->writing)
        return i;
    if (x->cols.n >= LXW_COL_MAX) {
        xl_fail(x, DCX_EINVAL, "a table has more columns than an Excel sheet holds (16,384); "
                               "use --format csv", LXW_NO_ERROR);
        return -1;
    }
    i = dcx_strmap_put(&x->cols, name, strlen(name));
    if (i < 0) {
        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
        return -1;
    }
    if ((size_t)i >= x->wcap) {
        size_t cap = x->wcap ? 2 * x->wcap : 32;
        double *w = realloc(x->width, cap * sizeof *w);
        if (w)
            x->width = w;
        unsigned char *f = w ? realloc(x->nf, cap) : NULL;
        if (!f) {
            xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
            return -1;
        }
        x->nf = f;
        x->wcap = cap;
    }
    x->width[i] = (double)tb_width(name) + 2;
    x->nf[i] = (unsigned char)column_format(name);
    return i;
}

static void widen(xl_t *x, long c, double w)
{
    if (c >= 0 && !x->writing && w + 2 > x->width[c])
        x->width[c] = w + 2 > 60 ? 60 : w + 2;
}

static void check(xl_t *x, lxw_error e)
{
    if (e != LXW_NO_ERROR)
        xl_fail(x, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? DCX_ENOMEM : DCX_EIO, "cannot write a cell", e);
}

/* ---- cells -------------------------------------------------------------------------- */

static void cell_text(xl_t *x, const char *name, const char *s)
{
    long c = column(x, name);
    if (c < 0 || x->failed)
        return;
    if (!x->writing) {
        widen(x, c, (double)tb_width(s));
        return;
    }
    const char *t = xl_clean(x, s);
    int f = x->nf[c];
    check(x, worksheet_write_string(x->ws, (lxw_row_t)x->row, (lxw_col_t)c, t,
                                    f == NF_TEXT_WRAP ? x->fmt[f] : NULL));
}

static void cell_number(xl_t *x, const char *name, double v)
{
    long c = column(x, name);
    if (c < 0 || x->failed)
        return;
    if (!x->writing) {
        widen(x, c, 10);
        return;
    }
    if (!isfinite(v))
        return;
    int f = x->nf[c];
    check(x, worksheet_write_number(x->ws, (lxw_row_t)x->row, (lxw_col_t)c, v,
                                    f == NF_TEXT_WRAP ? NULL : x->fmt[f]));
}

/* A number in a format of its own rather than its column's: the summary sheet shows a rate
 * as a percentage and an amount as a number in the same column. */
static void cell_number_as(xl_t *x, const char *name, double v, int f)
{
    long c = column(x, name);
    if (c < 0 || x->failed)
        return;
    if (!x->writing) {
        widen(x, c, 10);
        return;
    }
    if (isfinite(v))
        check(x, worksheet_write_number(x->ws, (lxw_row_t)x->row, (lxw_col_t)c, v, x->fmt[f]));
}

static void cell_bool(xl_t *x, const char *name, int v)
{
    long c = column(x, name);
    if (c < 0 || x->failed)
        return;
    if (!x->writing) {
        widen(x, c, 5);
        return;
    }
    check(x, worksheet_write_boolean(x->ws, (lxw_row_t)x->row, (lxw_col_t)c, v, NULL));
}

/* One cell of a row, named by flatten.h's rule ('.' between levels, intervals as _lo/_hi). */
static int xl_leaf(void *ctx, const char *name, const cJSON *v, flat_kind_t kind)
{
    xl_t *x = ctx;
    const cJSON *c;
    if (kind == FLAT_LIST) {
        tbuf_t j = {0};
        char num[32];
        /* a list of sentences (a decision's reasons) one per line, else "; " between items */
        const char *sep = column_format(name) == NF_TEXT_WRAP ? "\n" : "; ";
        tb_puts(&j, "");
        cJSON_ArrayForEach(c, v)
        {
            if (c != v->child)
                tb_puts(&j, sep);
            if (cJSON_IsString(c))
                tb_puts(&j, c->valuestring);
            else if (cJSON_IsNumber(c))
                tb_puts(&j, dcx_json_number_text(c->valuedouble, num));
            else if (cJSON_IsBool(c))
                tb_puts(&j, cJSON_IsTrue(c) ? "true" : "false");
            else
                tb_puts(&j, "null");
        }
        if (j.oom)
            xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
        else
            cell_text(x, name, j.s);
        tb_free(&j);
    } else if (cJSON_IsNumber(v)) {
        cell_number(x, name, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        cell_text(x, name, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        cell_bool(x, name, cJSON_IsTrue(v));
    } else if (v) {
        column(x, name); /* null: the column, an empty cell */
    }
    return x->failed;
}

/* v under the name x->path ("" at a row's top level) */
static void flatten(xl_t *x, const cJSON *v)
{
    if (flat_walk(x->path, v, '.', 1, xl_leaf, x) < 0)
        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
}

/* the value v under the name x->path + "." + key */
static void flatten_member(xl_t *x, const char *key, const cJSON *v)
{
    tbuf_t name = {0};
    tb_puts(&name, x->path);
    if (*x->path)
        tb_puts(&name, ".");
    tb_puts(&name, key ? key : "");
    if (name.oom)
        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
    else if (flat_walk(name.s, v, '.', 1, xl_leaf, x) < 0)
        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
    tb_free(&name);
}

static void row_end(xl_t *x)
{
    x->row++;
    if (!x->writing && x->row >= LXW_ROW_MAX)
        xl_fail(x, DCX_EINVAL, "a table has more rows than an Excel sheet holds (1,048,575); "
                               "use --format csv", LXW_NO_ERROR);
}

/* ---- sheets ------------------------------------------------------------------------- */

typedef void (*rows_fn)(xl_t *x, const cJSON *doc, const void *arg);

/* Builds one sheet from its row generator: collects the columns, then writes the header
 * (bold, frozen) and the rows. keep: write the sheet even when it has no rows.
 * On return x->cols still holds the sheet's columns (for the chart). */
static lxw_worksheet *sheet(xl_t *x, const char *name, rows_fn rows, const cJSON *doc,
                            const void *arg, int keep)
{
    dcx_strmap_free(&x->cols);
    memset(&x->cols, 0, sizeof x->cols);
    x->writing = 0;
    x->row = 0;
    x->path[0] = 0;
    rows(x, doc, arg);
    if (x->failed || (!x->row && !keep))
        return NULL;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        xl_fail(x, DCX_ENOMEM, "cannot add a sheet", LXW_NO_ERROR);
        return NULL;
    }
    x->ws = ws;
    for (size_t c = 0; c < x->cols.n; c++) {
        check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, x->width[c], NULL));
        char *head = (char *)xl_clean(x, x->cols.keys[c]); /* scratch text, ours to change */
        for (char *p = head; *p; p++)
            if (*p == '.')
                *p = '_';
        check(x, worksheet_write_string(ws, 0, (lxw_col_t)c, head, x->header));
    }
    worksheet_freeze_panes(ws, 1, 0);
    x->writing = 1;
    x->row = 1;
    x->path[0] = 0;
    rows(x, doc, arg);
    return x->failed ? NULL : ws;
}

static void rows_objects(xl_t *x, const cJSON *doc, const void *arg)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, (const char *)arg))
    {
        if (x->failed)
            return;
        flatten(x, c);
        row_end(x);
    }
}

/* decisions: one row per treatment, or, with no goal metric, the sentence saying how to
 * get a decision */
static void rows_decisions(xl_t *x, const cJSON *doc, const void *arg)
{
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "decisions"))) {
        rows_objects(x, doc, arg);
        return;
    }
    column(x, "decision");
    cell_text(x, "decision", DCX_NO_DECISION);
    row_end(x);
}

/* The role order of the summary sheet: goal metrics, guardrails, secondary metrics. */
static int summary_rank(const cJSON *r)
{
    const char *w = doc_get_word(r, "role", DOC_ROLE);
    return !strcmp(w, "goal") ? 0 : !strcmp(w, "guardrail") ? 1 : 2;
}

/* What a row says, in the words the table uses: a guardrail holds or is not shown to; a
 * goal or secondary metric is significantly better, significantly worse (in its direction)
 * or not significant. */
static const char *summary_verdict(const cJSON *r)
{
    if (summary_rank(r) == 1)
        return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "non_inferior")) ? "holds"
                                                                                 : "not shown to hold";
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "significant")))
        return "not significant";
    int s = strcmp(doc_get_word(r, "direction", DOC_DIRECTION), "decrease") ? 1 : -1;
    return s * doc_get_num(r, "diff") > 0 ? "significantly better" : "significantly worse";
}

/* The sheet for stakeholders, first in the workbook: each treatment's decision, then its
 * overall rows (goal metrics, guardrails, secondary metrics), a rate as a percentage, a
 * guardrail's p its non-inferiority test, the verdict in words. */
static void rows_summary(xl_t *x, const cJSON *doc, const void *arg)
{
    (void)arg;
    int bayes = !strcmp(doc_get_word(doc, "method", DOC_METHOD), "bayesian");
    const char *pcol = bayes ? "chance to be better" : "p";
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "results"), *r, *d;
    const cJSON *decs = cJSON_GetObjectItemCaseSensitive(doc, "decisions");
    static const char *const cols[] = {"variant", "decision", "metric", "role", "control", "treatment",
                                       "change", "change low", "change high", "lift", "lift low",
                                       "lift high", NULL};
    for (int i = 0; cols[i]; i++)
        column(x, cols[i]);
    column(x, pcol);
    column(x, "verdict");
    for (int rank = 0; rank < 3; rank++)
        cJSON_ArrayForEach(r, rows)
        {
            if (x->failed)
                return;
            if (strcmp(doc_get_str(r, "segment"), "all") || summary_rank(r) != rank)
                continue;
            const char *variant = doc_get_str(r, "variant"), *decision = "no decision (no goal metric)";
            cJSON_ArrayForEach(d, decs) if (!strcmp(doc_get_str(d, "variant"), variant))
                decision = doc_get_word(d, "decision", DOC_DECISION);
            tbuf_t label = {0};
            doc_metric_label(&label, r);
            if (label.oom) {
                tb_free(&label);
                xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
                return;
            }
            int rate = !strcmp(doc_get_word(r, "type", DOC_TYPE), "binary") && !isfinite(doc_get_num(r, "theta"));
            int f = rate ? NF_PCT : NF_GENERAL;
            const char *field = !strcmp(doc_get_word(r, "type", DOC_TYPE), "quantile") ? "quantile" : "mean";
            const cJSON *dci = cJSON_GetObjectItemCaseSensitive(r, bayes ? "credible_interval" : "diff_ci"),
                        *lci = cJSON_GetObjectItemCaseSensitive(r, "lift_ci");
            cell_text(x, "variant", variant);
            cell_text(x, "decision", decision);
            cell_text(x, "metric", label.s);
            tb_free(&label);
            cell_text(x, "role", doc_get_word(r, "role", DOC_ROLE));
            cell_number_as(x, "control", doc_get_num(cJSON_GetObjectItemCaseSensitive(r, "control"), field), f);
            cell_number_as(x, "treatment", doc_get_num(cJSON_GetObjectItemCaseSensitive(r, "treatment"), field), f);
            cell_number_as(x, "change", doc_get_num(r, "diff"), f);
            cell_number_as(x, "change low", cJSON_IsNumber(cJSON_GetArrayItem(dci, 0)) ? cJSON_GetArrayItem(dci, 0)->valuedouble : NAN, f);
            cell_number_as(x, "change high", cJSON_IsNumber(cJSON_GetArrayItem(dci, 1)) ? cJSON_GetArrayItem(dci, 1)->valuedouble : NAN, f);
            cell_number_as(x, "lift", doc_get_num(r, "lift"), NF_PCT);
            cell_number_as(x, "lift low", cJSON_IsNumber(cJSON_GetArrayItem(lci, 0)) ? cJSON_GetArrayItem(lci, 0)->valuedouble : NAN, NF_PCT);
            cell_number_as(x, "lift high", cJSON_IsNumber(cJSON_GetArrayItem(lci, 1)) ? cJSON_GetArrayItem(lci, 1)->valuedouble : NAN, NF_PCT);
            if (bayes)
                cell_number_as(x, pcol, doc_get_num(r, rank == 1 ? "ni_probability" : "prob_beat_control"), NF_PCT);
            else
                cell_number_as(x, pcol, doc_get_num(r, rank == 1 ? "ni_p_value" : "p_value"), NF_P);
            cell_text(x, "verdict", summary_verdict(r));
            row_end(x);
        }
}

static void rows_warnings(xl_t *x, const cJSON *doc, const void *arg)
{
    (void)arg;
    const cJSON *c;
    column(x, "warning");
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "warnings"))
    {
        cell_text(x, "warning", cJSON_IsString(c) ? c->valuestring : "");
        row_end(x);
    }
}

/* scores: the overall row (id "overall"), then one row per dimension */
static void rows_scores(xl_t *x, const cJSON *doc, const void *arg)
{
    (void)arg;
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions");
    if (!x->writing && dims && dims->child)
        flatten(x, dims->child); /* columns in the order of a dimension's fields */
    cell_text(x, "id", "overall");
    cell_text(x, "name", "Overall");
    flatten(x, cJSON_GetObjectItemCaseSensitive(doc, "overall"));
    row_end(x);
    rows_objects(x, doc, "dimensions");
}

/* groups: per group its own fields (group, respondents), then its overall row and a row
 * per dimension */
static void rows_groups(xl_t *x, const cJSON *doc, const void *arg)
{
    (void)arg;
    const cJSON *g, *c, *d;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(doc, "groups"))
    {
        const cJSON *gd = cJSON_GetObjectItemCaseSensitive(g, "dimensions");
        if (!x->writing && gd && gd->child) { /* columns: the group's, then a dimension's */
            cJSON_ArrayForEach(c, g) if (!cJSON_IsObject(c) && !cJSON_IsArray(c))
                flatten_member(x, c->string, c);
            flatten(x, gd->child);
        }
        for (int part = 0; part < 2 && !x->failed; part++) {
            const cJSON *list = part ? cJSON_GetObjectItemCaseSensitive(g, "dimensions") : NULL;
            const cJSON *one = part ? NULL : cJSON_GetObjectItemCaseSensitive(g, "overall");
            const cJSON *item = part ? (list ? list->child : NULL) : one;
            for (; item && !x->failed; item = part ? item->next : NULL) {
                cJSON_ArrayForEach(c, g) if (!cJSON_IsObject(c) && !cJSON_IsArray(c))
                    flatten_member(x, c->string, c);
                if (!part) {
                    cell_text(x, "id", "overall");
                    cell_text(x, "name", "Overall");
                }
                cJSON_ArrayForEach(d, item) flatten_member(x, d->string, d);
                row_end(x);
            }
        }
    }
}

/* priorities: the dimensions in priority_order with what a reader acts on */
static void rows_priorities(xl_t *x, const cJSON *doc, const void *arg)
{
    (void)arg;
    static const char *const keep[] = {"id", "name", "priority", "gap", "score", "target",
                                       "level", "level_name", "recommendation", NULL};
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions"), *id, *d;
    double rank = 0;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(doc, "priority_order"))
    {
        if (!cJSON_IsString(id))
            continue;
        cJSON_ArrayForEach(d, dims)
        {
            const cJSON *did = cJSON_GetObjectItemCaseSensitive(d, "id");
            if (!cJSON_IsString(did) || strcmp(did->valuestring, id->valuestring))
                continue;
            cell_number(x, "rank", ++rank);
            for (int k = 0; keep[k]; k++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, keep[k]);
                if (v)
                    flatten_member(x, keep[k], v);
            }
            row_end(x);
            break;
        }
    }
}

/* srm: the overall test (segment "all"), then each segment level */
static void rows_srm(xl_t *x, const cJSON *doc, const void *arg)
{
    (void)arg;
    const cJSON *srm = cJSON_GetObjectItemCaseSensitive(doc, "srm");
    if (cJSON_IsObject(srm)) {
        cell_text(x, "segment", "all");
        cell_text(x, "segment_value", "all");
        flatten(x, srm);
        row_end(x);
    }
    rows_objects(x, doc, "srm_segments");
}

/* about: every field not shown in a table, as field/value pairs */
typedef struct {
    const char *const *skip; /* top-level keys shown elsewhere */
} about_t;

static void about_value(xl_t *x, const char *field, const cJSON *v);

static void about_walk(xl_t *x, const char *prefix, const cJSON *v)
{
    const cJSON *c;
    if (cJSON_IsObject(v)) {
        cJSON_ArrayForEach(c, v)
        {
            size_t n = strlen(prefix) + strlen(c->string) + 2;
            char *name = malloc(n);
            if (!name) {
                xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
                return;
            }
            snprintf(name, n, "%s%s%s", prefix, *prefix ? "." : "", c->string);
            about_walk(x, name, c);
            free(name);
        }
        return;
    }
    about_value(x, prefix, v);
}

static void about_value(xl_t *x, const char *field, const cJSON *v)
{
    cell_text(x, "field", field);
    x->path[0] = 0;
    if (cJSON_IsArray(v) && flat_is_interval(v)) {
        const cJSON *c;
        tbuf_t j = {0};
        char num[32];
        tb_puts(&j, "[");
        cJSON_ArrayForEach(c, v)
        {
            tb_puts(&j, dcx_json_number_text(cJSON_IsNumber(c) ? c->valuedouble : NAN, num));
            if (c->next)
                tb_puts(&j, ", ");
        }
        tb_puts(&j, "]");
        cell_text(x, "value", j.oom ? "" : j.s);
        tb_free(&j);
    } else {
        snprintf(x->path, sizeof x->path, "value");
        flatten(x, v);
        x->path[0] = 0;
        column(x, "value");
    }
    row_end(x);
}

static void rows_about(xl_t *x, const cJSON *doc, const void *arg)
{
    const about_t *a = arg;
    const cJSON *c;
    cJSON_ArrayForEach(c, doc)
    {
        int skip = 0;
        for (int i = 0; a->skip[i] && !skip; i++)
            skip = !strcmp(a->skip[i], c->string);
        if (skip)
            continue;
        /* tables of their own are never squeezed into a cell */
        if (cJSON_IsArray(c) && c->child && cJSON_IsObject(c->child))
            continue;
        about_walk(x, c->string, c);
        if (x->failed)
            return;
    }
}

/* ---- the radar chart ---------------------------------------------------------------- */

typedef struct {
    long name, a, b, target, group; /* columns, -1 when absent */
} chart_cols_t;

static long col_of(xl_t *x, const char *name)
{
    return dcx_strmap_get(&x->cols, name, strlen(name));
}

static int any_number(const cJSON *list, const char *key)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, list) if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, key))) return 1;
    return 0;
}

static void radar(xl_t *x, const cJSON *doc, int compare, const chart_cols_t *sc,
                  const chart_cols_t *gc)
{
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(doc, "dimensions");
    int nd = cJSON_GetArraySize(dims);
    if (nd < 1 || sc->name < 0)
        return;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "radar");
    lxw_chart *ch = ws ? workbook_add_chart(x->wb, LXW_CHART_RADAR_WITH_MARKERS) : NULL;
    if (!ch) {
        xl_fail(x, DCX_ENOMEM, "cannot add the chart", LXW_NO_ERROR);
        return;
    }
    lxw_row_t first = 2, last = (lxw_row_t)(1 + nd);
    const char *a = compare ? "before" : "score", *b = compare ? "after" : NULL;
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(doc, "groups");
    chart_title_set_name(ch, compare ? "Scores before and after, against target"
                                     : "Scores against target");
    struct {
        const char *label;
        long col;
        int want;
    } series[3] = {{compare ? "before" : "all respondents", sc->a, any_number(dims, a)},
                   {"after", sc->b, b && any_number(dims, b)},
                   {"target", sc->target, any_number(dims, "target")}};
    for (int s = 0; s < 3; s++) {
        if (!series[s].want || series[s].col < 0)
            continue;
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        if (!se)
            continue;
        chart_series_set_categories(se, "scores", first, (lxw_col_t)sc->name, last,
                                    (lxw_col_t)sc->name);
        chart_series_set_values(se, "scores", first, (lxw_col_t)series[s].col, last,
                                (lxw_col_t)series[s].col);
        chart_series_set_name(se, series[s].label);
    }
    /* score: a series per group, named from its cell (never from data as a formula) */
    if (!compare && gc && gc->a >= 0 && gc->group >= 0) {
        lxw_row_t row = 1;
        const cJSON *g;
        cJSON_ArrayForEach(g, groups)
        {
            int gd = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(g, "dimensions"));
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            if (se && gd == nd) {
                chart_series_set_categories(se, "scores", first, (lxw_col_t)sc->name, last,
                                            (lxw_col_t)sc->name);
                chart_series_set_values(se, "groups", row + 1, (lxw_col_t)gc->a,
                                        row + (lxw_row_t)gd, (lxw_col_t)gc->a);
                chart_series_set_name_range(se, "groups", row, (lxw_col_t)gc->group);
            }
            row += (lxw_row_t)gd + 1;
        }
    }
    const cJSON *scale = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "assessment"), "scale");
    const cJSON *mn = cJSON_GetObjectItemCaseSensitive(scale, "min"),
                *mx = cJSON_GetObjectItemCaseSensitive(scale, "max");
    if (cJSON_IsNumber(mn) && cJSON_IsNumber(mx) && mn->valuedouble < mx->valuedouble) {
        chart_axis_set_min(ch->y_axis, mn->valuedouble);
        chart_axis_set_max(ch->y_axis, mx->valuedouble);
    }
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options o = {.x_offset = 10, .y_offset = 10, .x_scale = 1.8, .y_scale = 2.2};
    check(x, worksheet_insert_chart_opt(ws, 1, 1, ch, &o));
}

/* ---- the workbook -------------------------------------------------------------------- */

static void add_formats(xl_t *x)
{
    static const char *const nf[NF_COUNT] = {NULL, "0", "0.0000", "0.00%", "0.00", "0.000", NULL};
    for (int i = 0; i < NF_COUNT; i++) {
        x->fmt[i] = workbook_add_format(x->wb);
        if (nf[i] && x->fmt[i])
            format_set_num_format(x->fmt[i], nf[i]);
    }
    if (x->fmt[NF_TEXT_WRAP]) {
        format_set_text_wrap(x->fmt[NF_TEXT_WRAP]);
        format_set_align(x->fmt[NF_TEXT_WRAP], LXW_ALIGN_VERTICAL_TOP);
    }
    x->header = workbook_add_format(x->wb);
    if (x->header) {
        format_set_bold(x->header);
        format_set_bottom(x->header, LXW_BORDER_THIN);
    }
    for (int i = 0; i < NF_COUNT; i++) /* cells without their format would look fine and be wrong */
        if (!x->fmt[i] || !x->header)
            xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
}

static void build(xl_t *x, const cJSON *doc)
{
    int maturity = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
                   && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "overall"));
    int compare = maturity && cJSON_GetObjectItemCaseSensitive(
                                  cJSON_GetObjectItemCaseSensitive(doc, "overall"), "before");
    int analysis = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "results"));
    chart_cols_t sc = {-1, -1, -1, -1, -1}, gc = {-1, -1, -1, -1, -1};
    static const char *const skip_maturity[] = {"overall", "dimensions", "groups", "priority_order",
                                                 "warnings", NULL};
    static const char *const skip_analysis[] = {"decisions", "results", "srm", "srm_segments",
                                                "warnings", NULL};
    static const char *const skip_none[] = {"warnings", NULL};
    about_t about = {maturity ? skip_maturity : analysis ? skip_analysis : skip_none};

    if (maturity) {
        if (sheet(x, "scores", rows_scores, doc, NULL, 1)) {
            sc.name = col_of(x, "name");
            sc.a = col_of(x, compare ? "before" : "score");
            sc.b = col_of(x, "after");
            sc.target = col_of(x, "target");
        }
        if (!compare && !x->failed)
            sheet(x, "priorities", rows_priorities, doc, NULL, 0);
        if (!x->failed && sheet(x, "groups", rows_groups, doc, NULL, 0)) {
            gc.a = col_of(x, compare ? "before" : "score");
            gc.group = col_of(x, "group");
        }
    } else if (analysis) {
        sheet(x, "summary", rows_summary, doc, NULL, 1);
        if (!x->failed)
            sheet(x, "decisions", rows_decisions, doc, "decisions", 0);
        if (!x->failed)
            sheet(x, "results", rows_objects, doc, "results", 1);
        if (!x->failed)
            sheet(x, "srm", rows_srm, doc, NULL, 0);
    }
    /* every other table of the document: a sheet of its own, named by its key */
    const cJSON *c;
    cJSON_ArrayForEach(c, doc)
    {
        if (x->failed)
            return;
        int skip = 0;
        for (int i = 0; about.skip[i] && !skip; i++)
            skip = !strcmp(about.skip[i], c->string);
        if (skip || !cJSON_IsArray(c) || !c->child || !cJSON_IsObject(c->child))
            continue;
        char name[LXW_SHEETNAME_MAX + 1];
        snprintf(name, sizeof name, "%s", c->string);
        for (char *p = name; *p; p++)
            if (strchr("[]:*?/\\'", *p))
                *p = '_';
        sheet(x, name, rows_objects, doc, c->string, 0);
    }
    if (!x->failed)
        sheet(x, "warnings", rows_warnings, doc, NULL, 1);
    if (!x->failed)
        sheet(x, "about", rows_about, doc, &about, 1);
    if (maturity && !x->failed)
        radar(x, doc, compare, &sc, &gc);
}

/* copies the finished workbook from path to out */
static dcx_status_t copy_out(const char *path, FILE *out, dcx_error_t *err)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return dcx_error_set(err, DCX_EIO, "xlsx: cannot read the workbook back: %s",
                             strerror(errno));
    char buf[1 << 16];
    size_t n;
    dcx_status_t st = DCX_OK;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            st = dcx_error_set(err, DCX_EIO, "xlsx: write error: %s", strerror(errno));
            break;
        }
    if (!st && ferror(in))
        st = dcx_error_set(err, DCX_EIO, "xlsx: cannot read the workbook back");
    fclose(in);
    return st;
}

dcx_status_t dcx_view_xlsx(FILE *out, const cJSON *doc, dcx_error_t *err)
{
    if (!cJSON_IsObject(doc))
        return dcx_error_set(err, DCX_EINVAL, "xlsx: the result is not a JSON object");
    const char *dir = file_temp_dir();
    size_t n = strlen(dir) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    snprintf(tmp, n, "%s/dcx-xlsx-XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        dcx_status_t st = dcx_error_set(err, DCX_EIO, "xlsx: cannot create a temporary file in %s: %s",
                                        dir, strerror(errno));
        free(tmp);
        return st;
    }
    close(fd);
    xl_t x = {0};
    x.err = err;
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    x.wb = workbook_new_opt(tmp, &o);
    if (!x.wb) {
        unlink(tmp);
        free(tmp);
        return dcx_error_set(err, DCX_ENOMEM, "xlsx: cannot start a workbook");
    }
    add_formats(&x);
    if (!x.failed)
        build(&x, doc);
    /* a workbook that failed is freed, not written: closing one whose sheet could not be
     * set up crashes inside libxlsxwriter */
    lxw_error e = LXW_NO_ERROR;
    if (x.failed)
        lxw_workbook_free(x.wb);
    else
        e = workbook_close(x.wb);
    if (e != LXW_NO_ERROR)
        xl_fail(&x, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? DCX_ENOMEM : DCX_EIO, "cannot write the workbook", e);
    dcx_status_t st = x.failed ? x.status : copy_out(tmp, out, err);
    unlink(tmp);
    free(tmp);
    dcx_strmap_free(&x.cols);
    free(x.width);
    free(x.nf);
    tb_free(&x.text);
    return st;
}
