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
#include "dcx/options.h"
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
#include "doc_rows.h"
#include "flatten.h"
#include "strmap.h"
#include "textbuf.h"

/* Excel holds at most 32,767 characters in a cell, counted in UTF-16 code units (an emoji
 * is two); longer text is cut at a character boundary, ends in an ellipsis, and the notes
 * sheet says where (the JSON view has the whole text). */
#define XL_CELL_UNITS 32767
/* Excel's limits on names: a sheet's 31 characters, a chart series' 255. */
#define XL_SHEET_UNITS 31
#define XL_SERIES_UNITS 255
/* A radar draws at most this many series (the plots' rule): with more groups it shows the
 * overall scores and the target, and the groups sheet has them all. */
#define XL_RADAR_SERIES 6

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
    size_t *cuts;      /* per column: cells whose text was cut (for the notes sheet) */
    size_t wcap;
    size_t row;        /* rows so far (data rows, not the header) */
    double *lines;     /* per data row: the lines its longest wrapped text needs */
    size_t lcap;
    char path[16];     /* the name a flattened value goes under: "" or "value" */
    tbuf_t text;       /* scratch for joined lists and sanitised text */
    int cut;           /* xl_clean() cut the text it returned */
    dcx_strlist_t notes; /* what the workbook changed to fit Excel: the notes sheet */
    const dcx_doc_t *dd; /* the document, whose long arrays may be made item by item */
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

static void xl_note(xl_t *x, const char *fmt, const char *a, const char *b)
{
    if (dcx_strlist_pushf(&x->notes, fmt, a, b))
        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
}

/* ---- text ------------------------------------------------------------------------------
 * XML 1.0, and so Excel, has no place for control characters other than tab, line feed
 * and carriage return, nor for U+FFFE/U+FFFF or bytes that are not UTF-8: each becomes
 * U+FFFD, so data can never make a workbook that Excel refuses to open. Excel reads
 * "_xHHHH_" in text as the character U+HHHH; the underscore of such a run is written as
 * "_x005F_" (Excel's escape for '_'), so the text reads back as it was. */

/* Whether p starts "_xHHHH_" (hex digits, either case). */
static int excel_escape_at(const unsigned char *p)
{
    if (p[0] != '_' || p[1] != 'x')
        return 0;
    for (int i = 2; i < 6; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')
              || (p[i] >= 'A' && p[i] <= 'F')))
            return 0;
    return p[6] == '_';
}

/* The UTF-16 code units of one character (a byte that is not UTF-8 becomes U+FFFD, one). */
static size_t utf16_units(const unsigned char *p, size_t *len)
{
    unsigned cp;
    size_t n = tb_utf8_seq(p, &cp);
    *len = n ? n : 1;
    return n && cp >= 0x10000 ? 2 : 1;
}

/* s made safe for a cell of at most `units` UTF-16 code units: a longer text keeps what
 * fits before an ellipsis (x->cut says so). The text lives in x->text until the next call. */
static const char *xl_clean_max(xl_t *x, const char *s, size_t units)
{
    x->text.len = 0;
    x->cut = 0;
    tb_puts(&x->text, "");
    size_t total = 0, len;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += len)
        total += utf16_units(p, &len);
    size_t room = total > units ? units - 1 : units, used = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t u = utf16_units(p, &len);
        if (used + u > room) {
            tb_puts(&x->text, "\xE2\x80\xA6");
            x->cut = 1;
            break;
        }
        unsigned cp;
        size_t n = tb_utf8_seq(p, &cp);
        if (n == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE
            || cp == 0xFFFF) {
            tb_puts(&x->text, "\xEF\xBF\xBD");
        } else {
            if (excel_escape_at(p))
                tb_puts(&x->text, "_x005F");
            tb_putn(&x->text, (const char *)p, n);
        }
        p += len;
        used += u;
    }
    if (x->text.oom) {
        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
        return "";
    }
    return x->text.s;
}

static const char *xl_clean(xl_t *x, const char *s) { return xl_clean_max(x, s, XL_CELL_UNITS); }

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
        || !strcmp(base, "index") || !strcmp(base, "sd") || !strcmp(base, "ci")
        || !strcmp(base, "delta_ci"))
        return NF_2;
    if (!strcmp(base, "n") || !strcmp(base, "missing") || !strncmp(base, "respondents", 11)
        || !strncmp(name, "counts.", 7) || !strcmp(base, "rank") || !strcmp(base, "df")
        || !strncmp(base, "level", 5))
        return NF_INT;
    if (!strcmp(base, "reasons") || !strcmp(base, "recommendation") || !strcmp(base, "warning")
        || !strcmp(base, "text"))
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
        if (f)
            x->nf = f;
        size_t *k = f ? realloc(x->cuts, cap * sizeof *k) : NULL;
        if (!k) {
            xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
            return -1;
        }
        x->cuts = k;
        x->wcap = cap;
    }
    x->width[i] = (double)tb_width(name) + 2;
    x->nf[i] = (unsigned char)column_format(name);
    x->cuts[i] = 0;
    return i;
}

static void widen(xl_t *x, long c, double w)
{
    if (c >= 0 && !x->writing && w + 2 > x->width[c])
        x->width[c] = w + 2 > 60 ? 60 : w + 2;
}

static void check(xl_t *x, lxw_error e);

/* Wrapped text in a column at most 60 characters wide: the lines it takes, for the height of
 * its row (Excel does not grow a row for wrapped text written by a program). */
static void note_lines(xl_t *x, const char *s)
{
    if (x->row >= x->lcap) {
        size_t cap = x->lcap ? 2 * x->lcap : 64;
        while (cap <= x->row)
            cap *= 2;
        double *p = realloc(x->lines, cap * sizeof *p);
        if (!p) {
            xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
            return;
        }
        for (size_t i = x->lcap; i < cap; i++)
            p[i] = 1;
        x->lines = p;
        x->lcap = cap;
    }
    double lines = 0, w = 0;
    for (const char *p = s;; p++) { /* each paragraph wraps on its own */
        if (*p == '\n' || !*p) {
            lines += w > 58 ? ceil(w / 58) : 1;
            w = 0;
            if (!*p)
                break;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            w++;
        }
        if (lines > 400)
            break;
    }
    if (lines > x->lines[x->row])
        x->lines[x->row] = lines;
}

/* Before row r of the sheet being written: its height, when wrapped text needs more. */
static void row_height(xl_t *x, size_t data_row)
{
    if (data_row < x->lcap && x->lines[data_row] > 1) {
        double h = 15 * x->lines[data_row];
        check(x, worksheet_set_row(x->ws, (lxw_row_t)(data_row + 1), h > 409 ? 409 : h, NULL));
    }
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
        if (x->nf[c] == NF_TEXT_WRAP)
            note_lines(x, s);
        return;
    }
    const char *t = xl_clean(x, s);
    int f = x->nf[c];
    check(x, worksheet_write_string(x->ws, (lxw_row_t)x->row, (lxw_col_t)c, t,
                                    f == NF_TEXT_WRAP ? x->fmt[f] : NULL));
    x->cuts[c] += x->cut;
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
    if (x->writing)
        row_height(x, x->row - 1); /* x->row counts the header: the next data row is x->row - 1 */
    if (!x->writing && x->row >= LXW_ROW_MAX)
        xl_fail(x, DCX_EINVAL, "a table has more rows than an Excel sheet holds (1,048,575); "
                               "use --format csv", LXW_NO_ERROR);
}

/* ---- sheets ------------------------------------------------------------------------- */

typedef void (*rows_fn)(xl_t *x, const cJSON *doc, const void *arg);

/* Every sheet prints: landscape, one page wide (as many tall as it takes), the header row
 * repeated on each page. */
static void print_setup(xl_t *x, lxw_worksheet *ws, int header)
{
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
    if (header)
        check(x, worksheet_repeat_rows(ws, 0, 0));
}

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
    for (size_t i = 0; i < x->lcap; i++)
        x->lines[i] = 1;
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
        if (x->cut) { /* a header from data: counts_VARIANT of a very long variant name */
            char col[24];
            snprintf(col, sizeof col, "%zu", c + 1);
            xl_note(x, "sheet %s: the name of column %s cut at 32,767 characters, Excel's limit "
                       "for a cell (the JSON output holds the whole name)",
                    name, col);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    print_setup(x, ws, 1);
    x->writing = 1;
    x->row = 1;
    x->path[0] = 0;
    row_height(x, 0);
    rows(x, doc, arg);
    for (size_t c = 0; c < x->cols.n && !x->failed; c++)
        if (x->cuts[c]) {
            char what[160];
            snprintf(what, sizeof what, "%zu cell%s of column %s", x->cuts[c],
                     x->cuts[c] == 1 ? "" : "s", x->cols.keys[c]);
            for (char *p = strchr(what, ' '); p && *p; p++) /* the column as its header shows it */
                if (*p == '.')
                    *p = '_';
            xl_note(x, "sheet %s: %s cut at 32,767 characters, Excel's limit for a cell (the "
                       "JSON output holds the whole text)",
                    name, what);
        }
    return x->failed ? NULL : ws;
}

static void rows_objects(xl_t *x, const cJSON *doc, const void *arg)
{
    const cJSON *c;
    doc_iter_t it;
    dcx_doc_t whole = dcx_doc_whole(doc);
    DOC_EACH(it, doc == x->dd->root ? x->dd : &whole, (const char *)arg, c)
    {
        if (x->failed) {
            doc_iter_end(&it);
            return;
        }
        flatten(x, c);
        row_end(x);
    }
    if (it.oom)
        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
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

static int is_overall_row(const cJSON *r) { return !strcmp(doc_get_str(r, "segment"), "all"); }

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
    const cJSON *r, *d;
    doc_iter_t it;
    dcx_doc_t whole = dcx_doc_whole(doc);
    const cJSON *decs = cJSON_GetObjectItemCaseSensitive(doc, "decisions");
    static const char *const cols[] = {"variant", "decision", "metric", "role", "control", "treatment",
                                       "change", "change low", "change high", "lift", "lift low",
                                       "lift high", NULL};
    for (int i = 0; cols[i]; i++)
        column(x, cols[i]);
    column(x, pcol);
    column(x, "verdict");
    for (int rank = 0; rank < 3; rank++) {
        DOC_EACH(it, doc == x->dd->root ? x->dd : &whole, "results", r)
        {
            if (x->failed) {
                doc_iter_end(&it);
                return;
            }
            if (strcmp(doc_get_str(r, "segment"), "all") || summary_rank(r) != rank)
                continue;
            const char *variant = doc_get_str(r, "variant"), *decision = "no decision (no goal metric)";
            cJSON_ArrayForEach(d, decs) if (!strcmp(doc_get_str(d, "variant"), variant))
                decision = doc_get_word(d, "decision", DOC_DECISION);
            tbuf_t label = {0};
            doc_metric_label(&label, r);
            if (label.oom) {
                tb_free(&label);
                doc_iter_end(&it);
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
        if (it.oom) {
            xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
            return;
        }
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
                                       "level", "level_name", "recommendation", "direction", NULL};
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

static long col_of(xl_t *x, const char *name)
{
    return dcx_strmap_get(&x->cols, name, strlen(name));
}

/* matrix: a row per group (by, group, respondents), a column per dimension (its id) with the
 * group's score, and the overall score; a suppressed group's cells are empty */
static void rows_matrix(xl_t *x, const cJSON *doc, const void *arg)
{
    (void)arg;
    const cJSON *g, *d;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(doc, "groups"))
    {
        flatten_member(x, "by", cJSON_GetObjectItemCaseSensitive(g, "by"));
        flatten_member(x, "group", cJSON_GetObjectItemCaseSensitive(g, "group"));
        flatten_member(x, "respondents", cJSON_GetObjectItemCaseSensitive(g, "respondents"));
        flatten_member(x, "overall", cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g, "overall"), "score"));
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(g, "dimensions"))
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(d, "id");
            if (cJSON_IsString(id))
                flatten_member(x, id->valuestring, cJSON_GetObjectItemCaseSensitive(d, "score"));
        }
        row_end(x);
    }
}

/* The matrix's scores coloured from worse (vermillion) through the middle (white) to better
 * (blue), on the assessment's scale, so the weak spots of each group stand out. A column of a
 * dimension where lower is better runs the other way (its low scores blue); the overall
 * column is on the oriented scale already. */
static void colour_column(xl_t *x, lxw_worksheet *ws, long col, const cJSON *mn, const cJSON *mx, int lower)
{
    lxw_conditional_format cf = {0};
    cf.type = LXW_CONDITIONAL_3_COLOR_SCALE;
    cf.min_color = lower ? 0x0072B2 : 0xD55E00;
    cf.mid_color = 0xFFFFFF;
    cf.max_color = lower ? 0xD55E00 : 0x0072B2;
    if (cJSON_IsNumber(mn) && cJSON_IsNumber(mx) && mn->valuedouble < mx->valuedouble) {
        cf.min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
        cf.min_value = mn->valuedouble;
        cf.mid_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
        cf.mid_value = (mn->valuedouble + mx->valuedouble) / 2;
        cf.max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
        cf.max_value = mx->valuedouble;
    }
    check(x, worksheet_conditional_format_range(ws, 1, (lxw_col_t)col, (lxw_row_t)(x->row - 1), (lxw_col_t)col, &cf));
}

static void colour_scale(xl_t *x, lxw_worksheet *ws, const cJSON *doc)
{
    long first = col_of(x, "overall");
    if (first < 0 || x->row < 2)
        return;
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "assessment"), "scale");
    const cJSON *mn = cJSON_GetObjectItemCaseSensitive(sc, "min"), *mx = cJSON_GetObjectItemCaseSensitive(sc, "max");
    colour_column(x, ws, first, mn, mx, 0);
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "dimensions"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(d, "id"), *dir = cJSON_GetObjectItemCaseSensitive(d, "direction");
        long col = cJSON_IsString(id) ? col_of(x, id->valuestring) : -1;
        if (col > first && !x->failed)
            colour_column(x, ws, col, mn, mx, cJSON_IsString(dir) && !strcmp(dir->valuestring, "lower"));
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
    if (ws)
        print_setup(x, ws, 0);
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
    int nseries = 0;
    for (int s = 0; s < 3; s++)
        nseries += series[s].want && series[s].col >= 0;
    int with_groups = !compare && gc && gc->a >= 0 && gc->group >= 0;
    int ngroups = 0; /* the groups drawn: a suppressed group (too few respondents) never is */
    const cJSON *gr;
    if (with_groups)
        cJSON_ArrayForEach(gr, groups) ngroups += !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(gr, "suppressed"));
    if (nseries + ngroups > XL_RADAR_SERIES) {
        char n[32];
        snprintf(n, sizeof n, "%d", ngroups);
        xl_note(x, "radar: the chart shows the overall scores and the target only: %s groups "
                   "are more series than a radar can show apart (at most 6)%s",
                n, "; the groups sheet has every group's scores");
        with_groups = 0;
    }
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
    /* score: a series per group, named from its cell (never from data as a formula); a
     * name longer than a series name may be is given shortened, as text */
    if (with_groups) {
        lxw_row_t row = 1;
        const cJSON *g;
        cJSON_ArrayForEach(g, groups)
        {
            int gd = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(g, "dimensions"));
            /* a suppressed group (--min-group-size) has no series */
            int hide = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "suppressed"));
            lxw_chart_series *se = hide ? NULL : chart_add_series(ch, NULL, NULL);
            if (se && gd == nd) {
                chart_series_set_categories(se, "scores", first, (lxw_col_t)sc->name, last,
                                            (lxw_col_t)sc->name);
                chart_series_set_values(se, "groups", row + 1, (lxw_col_t)gc->a,
                                        row + (lxw_row_t)gd, (lxw_col_t)gc->a);
                const cJSON *gn = cJSON_GetObjectItemCaseSensitive(g, "group");
                const char *short_name = cJSON_IsString(gn)
                                             ? xl_clean_max(x, gn->valuestring, XL_SERIES_UNITS)
                                             : "";
                if (x->cut && !x->failed) {
                    /* as text: a leading '=' would make libxlsxwriter read a formula */
                    tbuf_t t = {0};
                    tb_puts(&t, short_name[0] == '=' ? "\xE2\x80\x8B" : "");
                    tb_puts(&t, short_name);
                    if (t.oom)
                        xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
                    else
                        chart_series_set_name(se, t.s);
                    tb_free(&t);
                    xl_note(x, "radar: the series of group '%s' is named by its first 254 "
                               "characters (Excel's limit for a series name is %s)",
                            short_name, "255");
                } else {
                    chart_series_set_name_range(se, "groups", row, (lxw_col_t)gc->group);
                }
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

/* A sheet named after a table of the document: Excel's forbidden characters become '_', a
 * name over 31 characters is cut (with a note), and one taken already gets a number. */
static void sheet_name(xl_t *x, const char *key, char *out, size_t len)
{
    char *clean = (char *)xl_clean_max(x, key, XL_SHEET_UNITS); /* scratch, ours to change */
    int cut = x->cut;
    for (char *p = clean; *p; p++)
        if (strchr("[]:*?/\\'", *p))
            *p = '_';
    if (cut) { /* the ellipsis counts: keep 30 characters and it */
        snprintf(out, len, "%s", clean);
        xl_note(x, "the table '%s' is on sheet '%s' (Excel's limit for a sheet name is 31 "
                   "characters)",
                key, out);
    } else {
        snprintf(out, len, "%s", *clean ? clean : "_");
    }
    for (int k = 2; workbook_get_worksheet_by_name(x->wb, out) && k < 1000; k++) {
        char tail[16];
        snprintf(tail, sizeof tail, "~%d", k);
        char *sc = (char *)xl_clean_max(x, key, XL_SHEET_UNITS - strlen(tail));
        for (char *p = sc; *p; p++)
            if (strchr("[]:*?/\\'", *p))
                *p = '_';
        snprintf(out, len, "%s%s", sc, tail);
    }
}

/* The notes sheet: what the workbook changed to fit Excel (cut cells, shortened names, a
 * radar without its groups), so that a reader is never misled by a silent change. */
static void rows_notes(xl_t *x, const cJSON *doc, const void *arg)
{
    (void)doc;
    (void)arg;
    column(x, "note");
    for (size_t i = 0; i < x->notes.n; i++) {
        cell_text(x, "note", x->notes.v[i]);
        row_end(x);
    }
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
                                                 "items", "warnings", NULL};
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
        if (!compare && !x->failed)
            sheet(x, "statements", rows_objects, doc, "items", 0);
        if (!x->failed && sheet(x, "groups", rows_groups, doc, NULL, 0)) {
            gc.a = col_of(x, compare ? "before" : "score");
            gc.group = col_of(x, "group");
        }
        if (!compare && !x->failed) {
            lxw_worksheet *ws = sheet(x, "matrix", rows_matrix, doc, NULL, 0);
            if (ws)
                colour_scale(x, ws, doc);
        }
    } else if (analysis) {
        /* the summary reads the overall rows only: gathered in one walk over the results */
        size_t nseg;
        cJSON *ov = doc_copy_where(x->dd, "results", is_overall_row, &nseg);
        if (!ov)
            xl_fail(x, DCX_ENOMEM, "out of memory", LXW_NO_ERROR);
        else
            sheet(x, "summary", rows_summary, ov, NULL, 1);
        cJSON_Delete(ov);
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
        char name[4 * XL_SHEET_UNITS + 4];
        sheet_name(x, c->string, name, sizeof name);
        if (!x->failed)
            sheet(x, name, rows_objects, doc, c->string, 0);
    }
    if (!x->failed)
        sheet(x, "warnings", rows_warnings, doc, NULL, 1);
    if (!x->failed)
        sheet(x, "about", rows_about, doc, &about, 1);
    if (maturity && !x->failed)
        radar(x, doc, compare, &sc, &gc);
    if (x->notes.n && !x->failed) {
        size_t n = x->notes.n;
        sheet(x, workbook_get_worksheet_by_name(x->wb, "notes") ? "dcx notes" : "notes",
              rows_notes, doc, NULL, 1);
        x->notes.n = n; /* (a note cut while writing the notes is not noted again) */
    }
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
    dcx_doc_t d = dcx_doc_whole(doc);
    return dcx_view_xlsx_doc(out, &d, err);
}

dcx_status_t dcx_view_xlsx_doc(FILE *out, const dcx_doc_t *dd, dcx_error_t *err)
{
    const cJSON *doc = dd->root;
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
    x.dd = dd;
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
    free(x.cuts);
    free(x.lines);
    tb_free(&x.text);
    dcx_strlist_free(&x.notes);
    return st;
}
