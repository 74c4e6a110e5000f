/* assign_cmd.c — `dcx assign`: stream ids through one or more experiments. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/assign.h"
#include "dcx/command.h"
#include "dcx/csv.h"

const dcx_option_t dcx_assign_options[] = {
    {"config", DCX_OPT_LIST, offsetof(dcx_assign_opts_t, config), NULL, "EXP.json", NULL,
     "experiment config (repeat for several experiments, one column each)"},
    {"id", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, id), NULL, "ID", NULL,
     "assign a single id"},
    {"input", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, input), NULL, "IDS.csv", NULL,
     "CSV file of ids with a header row ('-' for standard input)"},
    {"id-column", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, id_column), NULL, "NAME", NULL,
     "column of --input that holds the ids (default: the first column)"},
    {"output", DCX_OPT_STRING, offsetof(dcx_assign_opts_t, common.output), NULL, "FILE", NULL,
     "write to FILE (replaced only when the run succeeds) instead of standard output"},
    {"format", DCX_OPT_CHOICE, offsetof(dcx_assign_opts_t, common.format), "csv", "FMT",
     "csv|json", "output format: csv or json"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL}};

static void json_string(FILE *out, const char *s, size_t len)
{
    putc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
        } else if (c < 0x20) {
            fprintf(out, "\\u%04x", c);
        } else {
            putc(c, out);
        }
    }
    putc('"', out);
}

typedef struct {
    dcx_experiment_t **exps;
    size_t n;
    int json;
    size_t rows;
} assign_ctx_t;

static void write_one(FILE *out, assign_ctx_t *c, const char *id, size_t len)
{
    dcx_assignment_t a;
    char bucket[32];
    if (c->json) {
        fputs(c->rows++ ? ",\n  {\"id\": " : "  {\"id\": ", out);
        json_string(out, id, len);
        if (c->n > 1)
            fputs(", \"assignments\": {", out);
        for (size_t k = 0; k < c->n; k++) {
            dcx_assign(c->exps[k], id, len, &a);
            if (c->n > 1) {
                if (k)
                    fputs(", ", out);
                const char *key = dcx_experiment_key(c->exps[k]);
                json_string(out, key, strlen(key));
                fputs(": {", out);
            } else {
                fputs(", ", out);
            }
            fputs("\"variant\": ", out);
            if (a.variant >= 0) {
                const char *v = dcx_experiment_variant_name(c->exps[k], (size_t)a.variant);
                json_string(out, v, strlen(v));
            } else {
                fputs("null", out);
            }
            fputs(", \"bucket\": ", out);
            fputs(dcx_bucket_text(a.bucket, bucket) ? bucket : "null", out);
            if (c->n > 1)
                putc('}', out);
        }
        fputs(c->n > 1 ? "}}" : "}", out);
        return;
    }
    dcx_csv_quote(out, id, len);
    for (size_t k = 0; k < c->n; k++) {
        dcx_assign(c->exps[k], id, len, &a);
        putc(',', out);
        if (a.variant >= 0) {
            const char *v = dcx_experiment_variant_name(c->exps[k], (size_t)a.variant);
            dcx_csv_quote(out, v, strlen(v));
        }
        if (c->n == 1) {
            putc(',', out);
            fwrite(bucket, 1, dcx_bucket_text(a.bucket, bucket), out);
        }
    }
    putc('\n', out);
}

static void warn_overlaps(assign_ctx_t *c, dcx_strlist_t *warnings)
{
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = i + 1; j < c->n; j++) {
            const char *a, *b;
            double alo, ahi, blo, bhi;
            if (!dcx_experiment_namespace(c->exps[i], &a, &alo, &ahi)
                || !dcx_experiment_namespace(c->exps[j], &b, &blo, &bhi) || strcmp(a, b))
                continue;
            if (alo < bhi && blo < ahi && warnings)
                dcx_strlist_pushf(warnings,
                                  "experiments '%s' and '%s' overlap in namespace '%s' "
                                  "([%g, %g) and [%g, %g)): a unit can be in both",
                                  dcx_experiment_key(c->exps[i]), dcx_experiment_key(c->exps[j]),
                                  a, alo, ahi, blo, bhi);
        }
}

dcx_status_t dcx_assign_run(const dcx_assign_opts_t *o, FILE *out, dcx_strlist_t *warnings,
                            dcx_error_t *err)
{
    if (o->config.n == 0)
        return dcx_error_set(err, DCX_EINVAL, "missing --config EXP.json");
    if (!o->id == !o->input)
        return dcx_error_set(err, DCX_EINVAL, "give exactly one of --id ID and --input IDS.csv");
    if (o->id_column && !o->input)
        return dcx_error_set(err, DCX_EINVAL, "--id-column goes with --input");
    assign_ctx_t c = {calloc(o->config.n, sizeof *c.exps), o->config.n,
                      o->common.format && !strcmp(o->common.format, "json"), 0};
    dcx_csv_reader_t *r = NULL;
    dcx_status_t st = DCX_OK;
    if (!c.exps)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t k = 0; k < c.n; k++)
        if ((st = dcx_experiment_load(o->config.v[k], &c.exps[k], warnings, err)))
            goto done;
    for (size_t k = 0; k < c.n; k++)
        for (size_t j = 0; j < k; j++)
            if (!strcmp(dcx_experiment_key(c.exps[k]), dcx_experiment_key(c.exps[j]))) {
                st = dcx_error_set(err, DCX_EINVAL, "experiment key '%s' given twice",
                                   dcx_experiment_key(c.exps[k]));
                goto done;
            }
    warn_overlaps(&c, warnings);
    if (c.json) {
        fputs("[\n", out);
    } else {
        fputs("id", out);
        for (size_t k = 0; k < c.n && c.n > 1; k++) {
            putc(',', out);
            const char *key = dcx_experiment_key(c.exps[k]);
            dcx_csv_quote(out, key, strlen(key));
        }
        fputs(c.n == 1 ? ",variant,bucket\n" : "\n", out);
    }
    if (o->id) {
        write_one(out, &c, o->id, strlen(o->id));
    } else {
        if ((st = dcx_csv_open(o->input, &r, err)))
            goto done;
        dcx_csv_row_t row;
        int got = dcx_csv_next(r, &row, err);
        if (got < 0) {
            st = err->code;
            goto done;
        }
        if (got == 0) {
            st = dcx_error_at(err, DCX_EPARSE, dcx_csv_name(r), 0, 0,
                              "empty file: expected a header row naming the id column");
            goto done;
        }
        size_t col = 0;
        if (o->id_column) {
            for (col = 0; col < row.n && strcmp(row.fields[col], o->id_column); col++)
                ;
            if (col == row.n) {
                st = dcx_error_at(err, DCX_EPARSE, dcx_csv_name(r), row.line, 0,
                                  "no column '%s' in the header", o->id_column);
                goto done;
            }
        }
        dcx_csv_expect_width(r, row.n);
        while ((got = dcx_csv_next(r, &row, err)) > 0)
            write_one(out, &c, row.fields[col], row.lens[col]);
        if (got < 0) {
            st = err->code;
            goto done;
        }
    }
    if (c.json)
        fputs(c.rows ? "\n]\n" : "]\n", out);
    if (ferror(out))
        st = dcx_error_set(err, DCX_EIO, "write error");
done:
    dcx_csv_close(r);
    for (size_t k = 0; k < c.n; k++)
        dcx_experiment_free(c.exps[k]);
    free(c.exps);
    return st;
}

static dcx_status_t stream_assign(const void *o, FILE *out, dcx_strlist_t *w, dcx_error_t *err)
{
    return dcx_assign_run(o, out, w, err);
}

const dcx_command_t dcx_cmd_assign = {
    "assign", "assign units to experiment variants, as the GrowthBook SDKs do",
    "dcx assign --config EXP.json (--id ID | --input IDS.csv [--id-column COL])\n"
    "                  [--config EXP2.json ...] [--format csv|json] [--output FILE]",
    dcx_assign_options, sizeof(dcx_assign_opts_t), NULL, NULL, stream_assign};
