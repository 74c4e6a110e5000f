/* render.c — JSON, table, CSV and Markdown renderings of a result document (the CSV
 * writers in render_csv.c).
 *
 * A document is a cJSON object. Scalars print as they are; nested objects flatten
 * to dotted names (srm.p_value); an array of two numbers is an interval and prints
 * "[lo, hi]" (CSV: two columns NAME_lo, NAME_hi); an array of objects is a table of
 * rows; other arrays join their items with "; ". */
#include "dcx/text.h"
#include "dcx/view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "doc_rows.h"
#include "flatten.h"
#include "render_internal.h"
#include "textbuf.h"

dcx_status_t dcx_format_parse(const char *name, dcx_format_t *fmt, dcx_error_t *err)
{
    static const char *names[] = {"table", "json", "csv", "markdown", "xlsx"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, names[i])) {
            *fmt = (dcx_format_t)i;
            return DCX_OK;
        }
    return dcx_error_set(err, DCX_EINVAL, "unknown format '%s' (table, json, csv, markdown, xlsx)",
                         name);
}

static void sb_indent(tbuf_t *b, int depth)
{
    static const char spaces[] = "                                                                ";
    size_t n = 2 * (size_t)depth;
    for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
        tb_putn(b, spaces, sizeof spaces - 1);
    tb_putn(b, spaces, n);
}

/* A JSON string: runs of bytes that need no escape are copied whole (a document of many
 * rows is mostly such runs); the others escaped one by one. */
static void sb_json_string(tbuf_t *b, const char *s)
{
    tb_putn(b, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            tb_putn(b, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        char esc[8];
        switch (*p) {
        case '"': tb_putn(b, "\\\"", 2); break;
        case '\\': tb_putn(b, "\\\\", 2); break;
        case '\n': tb_putn(b, "\\n", 2); break;
        case '\r': tb_putn(b, "\\r", 2); break;
        case '\t': tb_putn(b, "\\t", 2); break;
        case '\b': tb_putn(b, "\\b", 2); break;
        case '\f': tb_putn(b, "\\f", 2); break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                tb_puts(b, esc);
            } else {
                /* JSON is UTF-8: a byte that is not (a Latin-1 export) becomes U+FFFD */
                unsigned cp;
                size_t n = tb_utf8_seq(p, &cp);
                if (n) {
                    tb_putn(b, (const char *)p, n);
                    p += n - 1;
                } else {
                    tb_puts(b, "\\ufffd");
                }
            }
        }
        p++;
    }
    tb_putn(b, "\"", 1);
}

/* ---- JSON ---------------------------------------------------------------------------- */

static int is_flat_array(const cJSON *a)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, a) if (cJSON_IsObject(c) || cJSON_IsArray(c)) return 0;
    return 1;
}

static void json_value(tbuf_t *b, const cJSON *v, int depth)
{
    char num[32];
    if (cJSON_IsNumber(v)) {
        tb_puts(b, dcx_json_number_text(v->valuedouble, num));
    } else if (cJSON_IsString(v)) {
        sb_json_string(b, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        tb_puts(b, cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNull(v)) {
        tb_puts(b, "null");
    } else if (cJSON_IsArray(v)) {
        const cJSON *c;
        if (!v->child) {
            tb_puts(b, "[]");
            return;
        }
        int flat = is_flat_array(v);
        tb_puts(b, "[");
        cJSON_ArrayForEach(c, v)
        {
            if (!flat) {
                tb_puts(b, "\n");
                sb_indent(b, depth + 1);
            }
            json_value(b, c, depth + 1);
            if (c->next)
                tb_puts(b, flat ? ", " : ",");
        }
        if (!flat) {
            tb_puts(b, "\n");
            sb_indent(b, depth);
        }
        tb_puts(b, "]");
    } else if (cJSON_IsObject(v)) {
        const cJSON *c;
        if (!v->child) {
            tb_puts(b, "{}");
            return;
        }
        tb_puts(b, "{");
        cJSON_ArrayForEach(c, v)
        {
            tb_puts(b, "\n");
            sb_indent(b, depth + 1);
            sb_json_string(b, c->string);
            tb_puts(b, ": ");
            json_value(b, c, depth + 1);
            if (c->next)
                tb_puts(b, ",");
        }
        tb_puts(b, "\n");
        sb_indent(b, depth);
        tb_puts(b, "}");
    } else {
        tb_puts(b, "null");
    }
}

/* The document with its streamed arrays: as json_value writes the whole document, each
 * item made, written and freed in turn. */
static void json_doc(tbuf_t *b, const dcx_doc_t *d)
{
    const cJSON *c, *v;
    if (!d->nstreams || !cJSON_IsObject(d->root) || !d->root->child) {
        json_value(b, d->root, 0);
        return;
    }
    tb_puts(b, "{");
    cJSON_ArrayForEach(c, d->root)
    {
        tb_puts(b, "\n");
        sb_indent(b, 1);
        sb_json_string(b, c->string);
        tb_puts(b, ": ");
        if (!doc_stream_of(d, c->string)) {
            json_value(b, c, 1);
        } else if (!dcx_doc_count(d, c->string)) {
            tb_puts(b, "[]");
        } else {
            doc_iter_t it;
            int first = 1;
            tb_puts(b, "[");
            DOC_EACH(it, d, c->string, v)
            {
                tb_puts(b, first ? "\n" : ",\n");
                first = 0;
                sb_indent(b, 2);
                json_value(b, v, 2);
            }
            if (it.oom)
                b->oom = 1;
            tb_puts(b, "\n");
            sb_indent(b, 1);
            tb_puts(b, "]");
        }
        if (c->next)
            tb_puts(b, ",");
    }
    tb_puts(b, "\n}");
}

char *dcx_view_json(const cJSON *doc)
{
    tbuf_t b = {0};
    json_value(&b, doc, 0);
    tb_puts(&b, "\n");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* ---- flattening to named cells --------------------------------------------------------- */

static void cells_add(cells_t *c, const char *name, const char *text)
{
    if (c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        char **n = realloc(c->names, cap * sizeof *n);
        if (!n) {
            c->oom = 1;
            return;
        }
        c->names = n;
        char **t = realloc(c->texts, cap * sizeof *t);
        if (!t) {
            c->oom = 1;
            return;
        }
        c->texts = t;
        c->cap = cap;
    }
    c->names[c->n] = strdup(name);
    c->texts[c->n] = strdup(text);
    if (!c->names[c->n] || !c->texts[c->n]) {
        free(c->names[c->n]);
        free(c->texts[c->n]);
        c->oom = 1;
        return;
    }
    c->n++;
}

void cells_free(cells_t *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->names[i]);
        free(c->texts[i]);
    }
    free(c->names);
    free(c->texts);
    memset(c, 0, sizeof *c);
}

/* Text of a scalar: full precision for CSV, 6 significant digits for people. */
static void scalar_text(const cJSON *v, int full, char *buf, size_t len)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (full || (d == floor(d) && fabs(d) < 1e15))
            dcx_json_number_text(d, buf);
        else if (!isfinite(d))
            snprintf(buf, len, "null");
        else
            snprintf(buf, len, "%.6g", d);
        if (!full && !strcmp(buf, "null"))
            snprintf(buf, len, "-");
    } else if (cJSON_IsString(v)) {
        snprintf(buf, len, "%s", v->valuestring);
    } else if (cJSON_IsBool(v)) {
        snprintf(buf, len, "%s", cJSON_IsTrue(v) ? "true" : "false");
    } else {
        snprintf(buf, len, "%s", full ? "" : "-");
    }
}

/* A cell of the flattened document: its text, as people read it or as CSV carries it. */
typedef struct {
    cells_t *c;
    int full;
} leaf_ctx_t;

static int leaf(void *ctx, const char *name, const cJSON *v, flat_kind_t kind)
{
    leaf_ctx_t *l = ctx;
    char text[1024], lo[64], hi[64];
    if (kind == FLAT_INTERVAL) {
        scalar_text(v->child, l->full, lo, sizeof lo);
        scalar_text(v->child->next, l->full, hi, sizeof hi);
        snprintf(text, sizeof text, "[%s, %s]", lo, hi);
    } else if (kind == FLAT_LIST) {
        size_t len = 0;
        const cJSON *it;
        text[0] = '\0';
        cJSON_ArrayForEach(it, v)
        {
            char one[256];
            scalar_text(it, l->full, one, sizeof one);
            len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0, "%s%s",
                                    len ? "; " : "", one);
            if (len >= sizeof text)
                break;
        }
    } else {
        scalar_text(v, l->full, text, sizeof text);
    }
    cells_add(l->c, name, text);
    return l->c->oom;
}

/* The scalar content of obj as cells, by the naming rule of flatten.h: CSV ('_' names,
 * intervals as _lo/_hi, full precision) or for people ('.' names, intervals "[lo, hi]"). */
void flatten(cells_t *c, const cJSON *obj, int full, int csv)
{
    leaf_ctx_t l = {c, full};
    if (flat_walk("", obj, csv ? '_' : '.', csv, leaf, &l) < 0)
        c->oom = 1;
}

/* a list of objects: a table of rows the human views show under its own heading */
static int is_table(const cJSON *a) { return cJSON_IsArray(a) && a->child && cJSON_IsObject(a->child); }

/* ---- writers ------------------------------------------------------------------------- */

void csv_field(tbuf_t *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        tb_puts(b, s);
        return;
    }
    tb_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"')
            tb_puts(b, "\"");
        tb_putn(b, s, 1);
    }
    tb_puts(b, "\"");
}

/* Collects the union of columns over the rows of a table array. */
void table_columns(const cJSON *arr, int full, int csv, cells_t *cols)
{
    const cJSON *row;
    cJSON_ArrayForEach(row, arr)
    {
        cells_t c = {0};
        flatten(&c, row, full, csv);
        for (size_t i = 0; i < c.n; i++) {
            size_t j = 0;
            while (j < cols->n && strcmp(cols->names[j], c.names[i]))
                j++;
            if (j == cols->n)
                cells_add(cols, c.names[i], "");
        }
        if (c.oom)
            cols->oom = 1;
        cells_free(&c);
    }
}

const char *cell_lookup(const cells_t *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->names[i], name))
            return c->texts[i];
    return NULL;
}

static void pad(tbuf_t *b, const char *s, size_t width, int right)
{
    size_t w = tb_width(s);
    if (right)
        for (size_t i = w; i < width; i++)
            tb_puts(b, " ");
    tb_puts(b, s);
    if (!right)
        for (size_t i = w; i < width; i++)
            tb_puts(b, " ");
}

/* Replaces every name and text by its terminal-safe form (before widths are measured). */
static void cells_for_terminal(cells_t *c)
{
    for (size_t i = 0; i < c->n && !c->oom; i++) {
        char *n = dcx_text_for_terminal(c->names[i]), *t = dcx_text_for_terminal(c->texts[i]);
        if (!n || !t) {
            free(n);
            free(t);
            c->oom = 1;
            return;
        }
        free(c->names[i]);
        free(c->texts[i]);
        c->names[i] = n;
        c->texts[i] = t;
    }
}

static int looks_numeric(const char *s)
{
    if (!*s || !strcmp(s, "-"))
        return 1;
    char *end;
    strtod(s, &end);
    return *end == '\0';
}

/* Renders one array of objects as an aligned (or Markdown) table. */
static void render_table(tbuf_t *b, const cJSON *arr, int markdown)
{
    cells_t cols = {0};
    table_columns(arr, 0, 0, &cols);
    size_t nrows = (size_t)cJSON_GetArraySize(arr), ncol = cols.n;
    cells_t *rows = calloc(nrows ? nrows : 1, sizeof *rows);
    size_t *width = calloc(ncol ? ncol : 1, sizeof *width);
    int *numeric = calloc(ncol ? ncol : 1, sizeof *numeric);
    if (!rows || !width || !numeric) {
        b->oom = 1;
        goto done;
    }
    size_t r = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, arr) flatten(&rows[r++], row, 0, 0);
    if (!markdown) {
        cells_for_terminal(&cols);
        for (r = 0; r < nrows; r++)
            cells_for_terminal(&rows[r]);
    }
    for (size_t j = 0; j < ncol; j++) {
        width[j] = tb_width(cols.names[j]);
        numeric[j] = 1;
        for (r = 0; r < nrows; r++) {
            const char *t = cell_lookup(&rows[r], cols.names[j]);
            t = t ? t : "";
            if (tb_width(t) > width[j])
                width[j] = tb_width(t);
            if (!looks_numeric(t))
                numeric[j] = 0;
        }
    }
    if (markdown) {
        tb_puts(b, "|");
        for (size_t j = 0; j < ncol; j++) {
            tb_puts(b, " ");
            tb_md(b, cols.names[j]);
            tb_puts(b, " |");
        }
        tb_puts(b, "\n|");
        for (size_t j = 0; j < ncol; j++)
            tb_puts(b, numeric[j] ? " ---: |" : " --- |");
        tb_puts(b, "\n");
        for (r = 0; r < nrows; r++) {
            tb_puts(b, "|");
            for (size_t j = 0; j < ncol; j++) {
                const char *t = cell_lookup(&rows[r], cols.names[j]);
                tb_puts(b, " ");
                tb_md(b, t ? t : "");
                tb_puts(b, " |");
            }
            tb_puts(b, "\n");
        }
    } else {
        for (size_t j = 0; j < ncol; j++) {
            if (j)
                tb_puts(b, "  ");
            pad(b, cols.names[j], width[j], numeric[j]);
        }
        tb_puts(b, "\n");
        for (r = 0; r < nrows; r++) {
            for (size_t j = 0; j < ncol; j++) {
                const char *t = cell_lookup(&rows[r], cols.names[j]);
                if (j)
                    tb_puts(b, "  ");
                pad(b, t ? t : "", width[j], numeric[j]);
            }
            tb_puts(b, "\n");
        }
    }
done:
    if (rows)
        for (r = 0; r < nrows; r++)
            cells_free(&rows[r]);
    free(rows);
    free(width);
    free(numeric);
    cells_free(&cols);
}

static void render_human(tbuf_t *b, const cJSON *doc, int markdown)
{
    const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(doc, "warnings"), *w;
    cJSON_ArrayForEach(w, warnings) if (cJSON_IsString(w))
    {
        tb_puts(b, markdown ? "> **warning:** " : "warning: ");
        if (markdown)
            tb_md(b, w->valuestring);
        else
            tb_term(b, w->valuestring);
        tb_puts(b, "\n");
    }
    if (warnings && warnings->child)
        tb_puts(b, "\n");
    cells_t top = {0};
    cJSON *copy = cJSON_Duplicate(doc, 1);
    if (!copy) {
        b->oom = 1;
        return;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(copy, "warnings");
    flatten(&top, copy, 0, 0);
    if (!markdown)
        cells_for_terminal(&top);
    size_t width = 0;
    for (size_t i = 0; i < top.n; i++)
        if (tb_width(top.names[i]) > width)
            width = tb_width(top.names[i]);
    if (markdown && top.n)
        tb_puts(b, "| field | value |\n| --- | ---: |\n");
    for (size_t i = 0; i < top.n; i++) {
        if (markdown) {
            tb_puts(b, "| ");
            tb_md(b, top.names[i]);
            tb_puts(b, " | ");
            tb_md(b, top.texts[i]);
            tb_puts(b, " |\n");
        } else {
            pad(b, top.names[i], width, 0);
            tb_puts(b, "  ");
            tb_puts(b, top.texts[i]);
            tb_puts(b, "\n");
        }
    }
    if (top.oom)
        b->oom = 1;
    cells_free(&top);
    /* every array of objects, at any depth of the top level, as its own table */
    const cJSON *v;
    cJSON_ArrayForEach(v, copy) if (is_table(v))
    {
        tb_puts(b, "\n");
        if (markdown) {
            tb_puts(b, "### ");
            tb_md(b, v->string);
            tb_puts(b, "\n\n");
        } else {
            tb_term(b, v->string);
            tb_puts(b, ":\n");
        }
        render_table(b, v, markdown);
    }
    cJSON_Delete(copy);
}

dcx_status_t dcx_view_write(FILE *out, const cJSON *doc, dcx_format_t fmt, const char *rows,
                            dcx_error_t *err)
{
    dcx_doc_t d = dcx_doc_whole(doc);
    return dcx_view_write_doc(out, &d, fmt, rows, err);
}

/* A copy of the document with its streamed arrays filled (for the views that lay out a
 * table whole), or NULL when out of memory. */
static cJSON *whole_copy(const dcx_doc_t *d)
{
    cJSON *copy = cJSON_Duplicate(d->root, 1);
    for (size_t k = 0; copy && k < d->nstreams; k++) {
        cJSON *a = cJSON_GetObjectItemCaseSensitive(copy, d->streams[k].key);
        const cJSON *v;
        doc_iter_t it;
        DOC_EACH(it, d, d->streams[k].key, v)
        {
            cJSON *dup = cJSON_Duplicate(v, 1);
            if (!dup || !cJSON_AddItemToArray(a, dup)) {
                cJSON_Delete(dup);
                it.oom = 1;
                doc_iter_end(&it);
                break;
            }
        }
        if (it.oom) {
            cJSON_Delete(copy);
            copy = NULL;
        }
    }
    return copy;
}

dcx_status_t dcx_view_write_doc(FILE *out, const dcx_doc_t *d, dcx_format_t fmt, const char *rows,
                                dcx_error_t *err)
{
    tbuf_t b = {0};
    const cJSON *doc = d->root;
    cJSON *whole = NULL;
    if (d->nstreams && (fmt == DCX_FORMAT_TABLE || fmt == DCX_FORMAT_MARKDOWN)) {
        if (!(whole = whole_copy(d)))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory rendering output");
        doc = whole;
    }
    switch (fmt) {
    case DCX_FORMAT_JSON: /* streamed: a large result is never held twice in memory */
        b.sink = out;
        json_doc(&b, d);
        tb_puts(&b, "\n");
        tb_flush(&b);
        if (b.ioerr) {
            tb_free(&b);
            return dcx_error_set(err, DCX_EIO, "write error");
        }
        break;
    case DCX_FORMAT_TABLE:
        render_human(&b, doc, 0);
        break;
    case DCX_FORMAT_MARKDOWN:
        render_human(&b, doc, 1);
        break;
    case DCX_FORMAT_CSV: /* streamed, row by row, as JSON */
        b.sink = out;
        render_csv(&b, d, rows);
        tb_flush(&b);
        if (b.ioerr) {
            tb_free(&b);
            return dcx_error_set(err, DCX_EIO, "write error");
        }
        break;
    case DCX_FORMAT_XLSX:
        return dcx_view_xlsx_doc(out, d, err);
    }
    cJSON_Delete(whole);
    if (b.oom) {
        free(b.s);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory rendering output");
    }
    size_t n = b.len ? fwrite(b.s, 1, b.len, out) : 0;
    free(b.s);
    if (n != b.len)
        return dcx_error_set(err, DCX_EIO, "write error");
    return DCX_OK;
}

/* ---- the power result for people --------------------------------------------------------
 * The JSON keeps its documented names; the table and Markdown say which arm is which. */
dcx_status_t dcx_power_view(FILE *out, const cJSON *doc, int format, dcx_error_t *err)
{
    if (format != DCX_FORMAT_TABLE && format != DCX_FORMAT_MARKDOWN)
        return dcx_view_write(out, doc, (dcx_format_t)format, NULL, err);
    const cJSON *ratio = cJSON_GetObjectItemCaseSensitive(doc, "ratio");
    int unequal = cJSON_IsNumber(ratio) && ratio->valuedouble != 1;
    cJSON *disp = cJSON_CreateObject();
    if (!disp)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    const cJSON *c;
    cJSON_ArrayForEach(c, doc)
    {
        const char *key = c->string;
        if (!strcmp(key, "n_per_variant"))
            key = unequal ? "n_per_variant (control arm)" : "n_per_variant (each arm)";
        else if (!strcmp(key, "n_treatment"))
            key = unequal ? "n_treatment (each treatment arm)" : "n_treatment (each arm)";
        cJSON *dup;
        if (!strcmp(key, "n_control_exact") && cJSON_IsNumber(c)) {
            char b[64]; /* the root before rounding: its decimals are the point */
            snprintf(b, sizeof b, "%.2f", c->valuedouble);
            dup = cJSON_CreateString(b);
        } else if (!strcmp(key, "power_achieved") && cJSON_IsNumber(c)) {
            char b[64];
            snprintf(b, sizeof b, "%.4f", c->valuedouble);
            dup = cJSON_CreateString(b);
        } else {
            dup = cJSON_Duplicate(c, 1);
        }
        if (!dup || !cJSON_AddItemToObject(disp, key, dup)) {
            cJSON_Delete(dup);
            cJSON_Delete(disp);
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
        }
    }
    dcx_status_t st = dcx_view_write(out, disp, (dcx_format_t)format, NULL, err);
    cJSON_Delete(disp);
    return st;
}
