/* fuzz_result.c — result documents as `dcx plot` and `dcx report` read them from files
 * people pass around. Structure-aware: the custom mutator parses the input as JSON and
 * changes its shape (a value's type, a deleted or duplicated member, a wrapped value), so
 * that the renderers meet well-formed JSON of every wrong shape rather than mostly
 * malformed bytes. Every plot kind, both report formats and every view must give a
 * result or a clean error. gnuplot is not run (a dry run writes the script and data). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"

extern int plot_dry_run;

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static unsigned next(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* The k-th node in document order (the root is 0). */
static cJSON *nth(cJSON *node, unsigned *k)
{
    if ((*k)-- == 0)
        return node;
    for (cJSON *c = node->child; c; c = c->next) {
        cJSON *found = nth(c, k);
        if (found)
            return found;
    }
    return NULL;
}

static unsigned count(const cJSON *node)
{
    unsigned n = 1;
    for (const cJSON *c = node->child; c; c = c->next)
        n += count(c);
    return n;
}

static cJSON *random_value(unsigned *s)
{
    static const char *const strings[] = {"", "all", "control", "treatment", "binary", "mean",
                                          "<img src=x onerror=alert(1)>", "a\x1b[31mb", "x\ny",
                                          "\xe2\x80\xae" "evil", "guardrail", "decrease", "ship",
                                          /* gnuplot: a quote, a newline and a command */
                                          "holm' at screen 0.5, screen 0.5\nsystem 'touch PWNED'",
                                          "'", "\"", "x\nsystem 'id'", "`id`", "@x", "\\",
                                          "frequentist", "bayesian", "sequential", "holm", "none"};
    static const double numbers[] = {0, 1, -1, 0.5, 1e308, -1e308, 1e-308, 3, 1e9, 2.5, 100};
    switch (next(s) % 7) {
    case 0: return cJSON_CreateNull();
    case 1: return cJSON_CreateNumber(numbers[next(s) % (sizeof numbers / sizeof numbers[0])]);
    case 2: return cJSON_CreateString(strings[next(s) % (sizeof strings / sizeof strings[0])]);
    case 3: return cJSON_CreateBool(next(s) & 1);
    case 4: return cJSON_CreateArray();
    case 5: return cJSON_CreateObject();
    default: {
        cJSON *a = cJSON_CreateArray();
        cJSON_AddItemToArray(a, cJSON_CreateNumber(numbers[next(s) % 11]));
        cJSON_AddItemToArray(a, cJSON_CreateNumber(numbers[next(s) % 11]));
        return a;
    }
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    cJSON *root = cJSON_ParseWithLength((const char *)data, size);
    if (!root || next(&seed) % 8 == 0) {
        cJSON_Delete(root);
        return LLVMFuzzerMutate(data, size, max_size);
    }
    unsigned s = seed, n = count(root), k = n > 1 ? 1 + next(&s) % (n - 1) : 0;
    cJSON *target = nth(root, &k), *parent = NULL;
    /* find the parent by a second walk */
    if (target && target != root) {
        unsigned total = count(root);
        for (unsigned i = 0; i < total && !parent; i++) {
            unsigned j = i;
            cJSON *c = nth(root, &j);
            for (cJSON *ch = c ? c->child : NULL; ch; ch = ch->next)
                if (ch == target)
                    parent = c;
        }
    }
    if (parent) {
        switch (next(&s) % 4) {
        case 0: /* another value in its place */
            cJSON_ReplaceItemViaPointer(parent, target, random_value(&s));
            break;
        case 1: /* gone */
            cJSON_Delete(cJSON_DetachItemViaPointer(parent, target));
            break;
        case 2: { /* twice */
            cJSON *dup = cJSON_Duplicate(target, 1);
            if (cJSON_IsArray(parent))
                cJSON_AddItemToArray(parent, dup);
            else
                cJSON_AddItemToObject(parent, target->string ? target->string : "x", dup);
            break;
        }
        default: { /* wrapped in a list */
            cJSON *copy = cJSON_Duplicate(target, 1), *wrap = cJSON_CreateArray();
            cJSON_AddItemToArray(wrap, copy);
            cJSON_ReplaceItemViaPointer(parent, target, wrap);
            break;
        }
        }
    }
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text)
        return LLVMFuzzerMutate(data, size, max_size);
    size_t len = strlen(text);
    if (len > max_size) {
        free(text);
        return LLVMFuzzerMutate(data, size, max_size);
    }
    memcpy(data, text, len);
    free(text);
    return len;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    plot_dry_run = 1;
    cJSON *doc = NULL;
    dcx_error_t err;
    dcx_error_clear(&err);
    if (dcx_json_parse((const char *)data, size, "fuzz.json", &doc, &err) != DCX_OK)
        return 0;
    char out[64];
    static const char *const ext[] = {".svg", ".png", ".pdf"};
    static const char *const group_names[] = {"executive", "a title'\nsystem 'id'"};
    dcx_strlist_t groups = {(char **)group_names, (size_t)(size % 3)};
    for (int kind = DCX_PLOT_FOREST; kind <= DCX_PLOT_CHANGE; kind++) {
        snprintf(out, sizeof out, "/tmp/dcx-fuzz-%d%s", (int)getpid(), ext[kind % 3]);
        dcx_plot_style_t sty = {"gnuplot", kind % 2 ? "lift" : "diff", kind % 2 ? "a title'\nsystem 'id'" : NULL,
                                &groups, kind % 2};
        dcx_plot_render((dcx_plot_kind_t)kind, doc, out, &sty, &err);
        unlink(out);
    }
    dcx_plot_style_t client = {"gnuplot", NULL, "T", NULL, 1};
    snprintf(out, sizeof out, "/tmp/dcx-fuzz-%d.html", (int)getpid());
    dcx_report_render(doc, out, NULL, &err);
    unlink(out);
    snprintf(out, sizeof out, "/tmp/dcx-fuzz-%d.md", (int)getpid());
    dcx_report_render(doc, out, &client, &err);
    unlink(out);
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        for (int f = 0; f < 4; f++) {
            dcx_analysis_view(null, doc, f, &err);
            dcx_maturity_view(null, doc, f, &err);
            dcx_compare_view(null, doc, f, &err);
            dcx_view_write(null, doc, (dcx_format_t)f, "results", &err);
        }
        /* the workbook writes a file per run: every 8th input, to keep the pace */
        static unsigned runs;
        if (runs++ % 8 == 0)
            dcx_view_xlsx(null, doc, &err);
        fclose(null);
    }
    cJSON_Delete(doc);
    return 0;
}
