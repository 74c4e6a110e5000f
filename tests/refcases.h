/* refcases.h — the driver shared by the C tests that check whole commands against a
 * reference table (a .tsv under tests/reference/, written by the R scripts beside them).
 *
 * Each table row is  ID <tab> ARGS <tab> SELECTOR <tab> FIELD <tab> VALUE [<tab> HOW]:
 * ARGS are the command's options as on the command line ("--input x.csv --metric a"),
 * set through the same option table as the CLI; consecutive rows with the same ARGS share
 * one run. The test supplies the command to run for a row and how a SELECTOR picks an
 * object out of the result; FIELD is a dotted path in it ("lift_ci.0"). Include after
 * tap.h. */
#ifndef DCX_REFCASES_H
#define DCX_REFCASES_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"

/* Runs command `name` with `args`; the result document, or NULL (reported as a comment). */
static cJSON *refcase_run(const char *name, const char *args)
{
    const dcx_command_t *cmd = dcx_command_find(name);
    dcx_error_t err;
    void *opts = dcx_command_new_opts(cmd, &err);
    char *copy = strdup(args), *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        const dcx_option_t *o = dcx_opts_find(cmd->options, w + 2);
        if (!o) {
            printf("# unknown option %s\n", w);
            continue;
        }
        dcx_opts_set(o, opts, o->type == DCX_OPT_FLAG ? NULL : strtok_r(NULL, " ", &save), &err);
    }
    cJSON *doc = NULL;
    if (cmd->run(opts, &doc, &err))
        printf("# %s failed: %s\n", name, err.message);
    dcx_command_free_opts(cmd, opts);
    free(copy);
    return doc;
}

/* The value at dotted `path` below item (numeric parts index arrays; in an object they are
 * keys: "distribution.4"), or NULL. */
static const cJSON *refcase_item(const cJSON *item, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *v = item;
    for (char *save = NULL, *p = strtok_r(buf, ".", &save); p && v; p = strtok_r(NULL, ".", &save))
        v = (*p >= '0' && *p <= '9' && cJSON_IsArray(v)) ? cJSON_GetArrayItem(v, atoi(p))
                                                         : cJSON_GetObjectItemCaseSensitive(v, p);
    return v;
}

/* The number at dotted `path` below item, or NaN. */
static double refcase_field(const cJSON *item, const char *path)
{
    const cJSON *v = refcase_item(item, path);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Checks every row of `table` (relative tolerance tol), then that more than min_rows
 * were checked. command(id) names the command for a row; select(doc, sel) finds the
 * object a selector means. @return done_testing()'s status. */
static int refcases_check(const char *table, const char *(*command)(const char *id),
                          const cJSON *(*select)(const cJSON *doc, const char *sel), double tol,
                          int min_rows)
{
    const char *root = getenv("DCX_ROOT");
    if (root && chdir(root) != 0)
        return 1;
    FILE *f = fopen(table, "r");
    if (!ok(f != NULL, "open %s", table))
        return done_testing();
    char line[4096], current[1024] = "";
    cJSON *doc = NULL;
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *save = NULL, *id = strtok_r(line, "\t", &save), *args = strtok_r(NULL, "\t", &save),
             *sel = strtok_r(NULL, "\t", &save), *fld = strtok_r(NULL, "\t", &save),
             *want = strtok_r(NULL, "\t", &save), *how = strtok_r(NULL, "\t", &save);
        if (!id || !args || !sel || !fld || !want)
            continue;
        if (strcmp(args, current)) {
            cJSON_Delete(doc);
            const char *name = command(id);
            doc = refcase_run(name, args);
            ok(doc != NULL, "case %s runs: dcx %s %s", id, name, args);
            snprintf(current, sizeof current, "%s", args);
        }
        const cJSON *item = doc ? select(doc, sel) : NULL;
        char *end;
        double wv = strtod(want, &end);
        if (!strcmp(want, "null")) { /* an open end of a one-sided interval, a field with no value */
            const cJSON *v = item ? refcase_item(item, fld) : NULL;
            ok(v && cJSON_IsNull(v), "case %s %s %s is null (%s)", id, sel, fld, how ? how : "");
        } else if (end == want || *end) { /* text: a decision, a role */
            const cJSON *v = item ? refcase_item(item, fld) : NULL;
            const char *got = cJSON_IsString(v) ? v->valuestring : cJSON_IsTrue(v) ? "true"
                              : cJSON_IsFalse(v) ? "false" : "(none)";
            if (!ok(!strcmp(got, want), "case %s %s %s = %s (%s)", id, sel, fld, want, how ? how : ""))
                printf("#   got %s\n", got);
        } else {
            is_rel(item ? refcase_field(item, fld) : NAN, wv, tol, "case %s %s %s (%s)", id, sel,
                   fld, how ? how : "");
        }
        rows++;
    }
    cJSON_Delete(doc);
    fclose(f);
    ok(rows > min_rows, "%d reference values checked", rows);
    return done_testing();
}

#endif
