/* render_csv.c — the CSV rendering of a result document: the fixed columns of the result
 * kinds whose rows have a known shape (analyze, maturity score and compare), written a row
 * at a time from a streamed document, and any other document flattened to named cells. */
#include "dcx/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "doc_rows.h"
#include "render_internal.h"
#include "textbuf.h"

/* ---- CSV with fixed columns ------------------------------------------------------------
 * A command's CSV has the same columns whatever the data: a column per field of its
 * rows, an interval as NAME_lo and NAME_hi even when it is null, nothing appended when a
 * later row has a field an earlier one did not. Paths: "control.n", "diff_ci[0]". */

static const char *const analyze_columns[] = {
    "metric", "type", "quantile", "segment", "segment_value", "variant", "control.n",
    "control.missing", "control.mean", "control.sd", "control.quantile", "treatment.n",
    "treatment.missing", "treatment.mean", "treatment.sd", "treatment.quantile", "diff",
    "diff_ci[0]", "diff_ci[1]", "lift", "lift_ci[0]", "lift_ci[1]", "statistic", "p_value",
    "p_adjusted", "significant", "prob_beat_control", "expected_loss", "risk_relative",
    "credible_interval[0]", "credible_interval[1]", "theta", "variance_reduction", "strata", "test",
    "role", "family", "direction", "margin", "ni_p_value", "ni_probability", "non_inferior", "cap.lower",
    "cap.upper", "cap.ignore_zeros", "cap.capped_n", "cap.capped_share",
    "diff_ci_adjusted[0]", "diff_ci_adjusted[1]", "lift_ci_adjusted[0]",
    "lift_ci_adjusted[1]", "boundary_crossed_at", "note", NULL};

static const char *const maturity_columns[] = {
    "id", "name", "weight", "score", "index", "level", "level_name", "n", "sd", "ci[0]", "ci[1]",
    "coverage", "alpha", "rwg", "target", "gap", "priority", "recommendation", "note", NULL};

static const char *const compare_columns[] = {
    "id", "name", "weight", "before", "after", "delta", "delta_ci[0]", "delta_ci[1]", "p_value",
    "level_before", "level_after", "target", "target_status", "progress", "note", NULL};

static const char *const strings_columns[] = {".", NULL};

static const char *const *fixed_columns(const cJSON *doc, const char *rows_name, const cJSON *arr)
{
    if (!strcmp(rows_name, "results"))
        return analyze_columns;
    if (!strcmp(rows_name, "dimensions"))
        return cJSON_GetObjectItemCaseSensitive(doc, "respondents_before") ? compare_columns
                                                                           : maturity_columns;
    if (arr && arr->child && cJSON_IsString(arr->child))
        return strings_columns;
    return NULL;
}

/* "diff_ci[0]" -> "diff_ci_lo", "control.n" -> "control_n", "." -> the rows' name */
static void column_header(tbuf_t *b, const char *path, const char *rows_name)
{
    if (!strcmp(path, ".")) {
        size_t n = strlen(rows_name);
        tb_putn(b, rows_name, n && rows_name[n - 1] == 's' ? n - 1 : n); /* problems -> problem */
        return;
    }
    for (const char *p = path; *p; p++) {
        if (*p == '.')
            tb_putn(b, "_", 1);
        else if (*p == '[') {
            tb_puts(b, p[1] == '0' ? "_lo" : "_hi");
            break;
        } else
            tb_putn(b, p, 1);
    }
}

/* member `key` of o, looked for from just after *hint on (columns come in the order of a
 * row's members, so each is usually the next), round to where it started; *hint is left
 * at the member found. (The rows are documents dcx made, whose keys are unique.) */
static const cJSON *member_from(const cJSON *o, const char *key, const cJSON **hint)
{
    const cJSON *start = *hint && (*hint)->next ? (*hint)->next : o->child;
    for (const cJSON *c = start; c; c = c->next)
        if (c->string && !strcmp(c->string, key))
            return *hint = c;
    for (const cJSON *c = o->child; c && c != start; c = c->next)
        if (c->string && !strcmp(c->string, key))
            return *hint = c;
    return NULL;
}

static const cJSON *column_value(const cJSON *row, const char *path, const cJSON **hint)
{
    if (!strcmp(path, "."))
        return row;
    char key[64];
    const cJSON *v = row;
    for (const char *p = path; v && *p;) {
        size_t n = strcspn(p, ".[");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        if (n)
            v = v == row && cJSON_IsObject(row) ? member_from(row, key, hint)
                                                : cJSON_GetObjectItemCaseSensitive(v, key);
        p += n;
        if (*p == '.') {
            p++;
        } else if (*p == '[') {
            v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, p[1] - '0') : NULL;
            p += 3;
        }
    }
    return v;
}

static void render_csv_fixed(tbuf_t *b, const dcx_doc_t *d, const char *const *cols,
                             const char *rows_name)
{
    for (size_t j = 0; cols[j]; j++) {
        tbuf_t h = {0};
        column_header(&h, cols[j], rows_name);
        if (j)
            tb_puts(b, ",");
        csv_field(b, h.s ? h.s : "");
        tb_done(b, &h);
    }
    tb_puts(b, "\n");
    const cJSON *row;
    doc_iter_t it;
    DOC_EACH(it, d, rows_name, row)
    {
        const cJSON *hint = NULL;
        for (size_t j = 0; cols[j]; j++) {
            const cJSON *v = column_value(row, cols[j], &hint);
            char num[32];
            if (j)
                tb_puts(b, ",");
            if (cJSON_IsNumber(v))
                tb_puts(b, dcx_json_number_text(v->valuedouble, num));
            else if (cJSON_IsString(v))
                csv_field(b, v->valuestring);
            else if (cJSON_IsBool(v))
                tb_puts(b, cJSON_IsTrue(v) ? "true" : "false");
        }
        tb_puts(b, "\n");
    }
    if (it.oom)
        b->oom = 1;
}

void render_csv(tbuf_t *b, const dcx_doc_t *d, const char *rows_name)
{
    const cJSON *doc = d->root;
    const cJSON *arr = rows_name ? cJSON_GetObjectItemCaseSensitive(doc, rows_name) : NULL;
    const char *const *cols = NULL;
    if (arr && cJSON_IsArray(arr)) {
        /* a streamed array's first item stands for the list (fixed_columns looks at it) */
        doc_iter_t it;
        const cJSON *first = doc_iter_first(&it, d, rows_name);
        cJSON *probe = cJSON_CreateArray();
        if (!probe || (first && !cJSON_AddItemReferenceToArray(probe, (cJSON *)first)) || it.oom) {
            cJSON_Delete(probe);
            doc_iter_end(&it);
            b->oom = 1;
            return;
        }
        cols = fixed_columns(doc, rows_name, doc_stream_of(d, rows_name) ? probe : arr);
        cJSON_Delete(probe);
        doc_iter_end(&it);
    }
    if (cols) {
        render_csv_fixed(b, d, cols, rows_name);
        return;
    }
    if (arr && cJSON_IsArray(arr)) {
        cells_t cols = {0};
        table_columns(arr, 1, 1, &cols);
        for (size_t j = 0; j < cols.n; j++) {
            if (j)
                tb_puts(b, ",");
            csv_field(b, cols.names[j]);
        }
        tb_puts(b, "\n");
        const cJSON *row;
        cJSON_ArrayForEach(row, arr)
        {
            cells_t c = {0};
            flatten(&c, row, 1, 1);
            for (size_t j = 0; j < cols.n; j++) {
                const char *t = cell_lookup(&c, cols.names[j]);
                if (j)
                    tb_puts(b, ",");
                csv_field(b, t ? t : "");
            }
            tb_puts(b, "\n");
            if (c.oom)
                b->oom = 1;
            cells_free(&c);
        }
        if (cols.oom)
            b->oom = 1;
        cells_free(&cols);
        return;
    }
    cells_t c = {0};
    flatten(&c, doc, 1, 1);
    for (size_t j = 0; j < c.n; j++) {
        if (j)
            tb_puts(b, ",");
        csv_field(b, c.names[j]);
    }
    tb_puts(b, "\n");
    for (size_t j = 0; j < c.n; j++) {
        if (j)
            tb_puts(b, ",");
        csv_field(b, c.texts[j]);
    }
    tb_puts(b, "\n");
    if (c.oom)
        b->oom = 1;
    cells_free(&c);
}
