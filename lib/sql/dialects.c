/* dialects.c — the summary query, written for each warehouse's SQL.
 *
 * Each metric × segment (plus the all-units row) is one SELECT ... GROUP BY; the blocks
 * are joined with UNION ALL and the result has exactly the summary CSV's columns, so the
 * warehouse client's CSV output feeds `dcx analyze --summary` directly. */
#include "dcx/sql.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dcx/command.h"

typedef struct {
    const char *name;
    char open, close;       /* identifier quotes */
    const char *dbl, *text; /* type names for the casts */
} dialect_t;

static const dialect_t dialects[] = {
    {"postgres", '"', '"', "DOUBLE PRECISION", "TEXT"},
    {"sqlite", '"', '"', "REAL", "TEXT"},
    {"duckdb", '"', '"', "DOUBLE", "VARCHAR"},
    {"bigquery", '`', '`', "FLOAT64", "STRING"},
    {"snowflake", '"', '"', "DOUBLE", "VARCHAR"},
    {"spark", '`', '`', "DOUBLE", "STRING"},
};

/* an identifier, quoted; a quote character inside is doubled (BigQuery: escaped) */
static void ident(FILE *f, const dialect_t *d, const char *s)
{
    fputc(d->open, f);
    for (; *s; s++) {
        if (*s == d->close)
            fputs(d->close == '`' && !strcmp(d->name, "bigquery") ? "\\`" : (d->close == '`' ? "``" : "\"\""), f);
        else if ((unsigned char)*s >= 0x20)
            fputc(*s, f);
    }
    fputc(d->close, f);
}

/* a table name: each dot-separated part quoted */
static void table_name(FILE *f, const dialect_t *d, const char *s)
{
    char part[256];
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        snprintf(part, sizeof part, "%.*s", (int)n, s);
        ident(f, d, part);
        if (!dot)
            break;
        fputc('.', f);
        s = dot + 1;
    }
}

/* a string literal: single quotes doubled (BigQuery and Spark also take '' escapes) */
static void literal(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("''", f);
        else if (*s == '\\')
            fputs("\\\\", f);
        else if ((unsigned char)*s >= 0x20)
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* present(col): neither NULL nor an empty string (a CSV import's missing value) */
static void present(FILE *f, const dialect_t *d, const char *col)
{
    fputs("(", f);
    ident(f, d, col);
    fputs(" IS NOT NULL AND CAST(", f);
    ident(f, d, col);
    fprintf(f, " AS %s) <> '')", d->text);
}

static void num(FILE *f, const dialect_t *d, const char *col)
{
    fputs("CAST(", f);
    ident(f, d, col);
    fprintf(f, " AS %s)", d->dbl);
}

const dcx_option_t dcx_sql_options[] = {
    {"dialect", DCX_OPT_CHOICE, offsetof(dcx_sql_opts_t, dialect), NULL, "D",
     "postgres|sqlite|duckdb|bigquery|snowflake|spark", "the warehouse's SQL dialect"},
    {"table", DCX_OPT_STRING, offsetof(dcx_sql_opts_t, table), NULL, "T", NULL,
     "table (or view) of units, schema-qualified with dots if need be"},
    {"metric", DCX_OPT_LIST, offsetof(dcx_sql_opts_t, metric), NULL, "NAME:TYPE", NULL,
     "metric: NAME:binary, NAME:mean, NAME:ratio=NUM/DEN or NAME:nps (repeat)"},
    {"segment", DCX_OPT_LIST, offsetof(dcx_sql_opts_t, segment), NULL, "COL", NULL,
     "also summarise each level of COL (repeat)"},
    {"cuped", DCX_OPT_LIST, offsetof(dcx_sql_opts_t, cuped), NULL, "METRIC=COV", NULL,
     "carry covariate COV of METRIC in sum2, sum2_sq, sum_cross (repeat)"},
    {"variant-column", DCX_OPT_STRING, offsetof(dcx_sql_opts_t, variant_column), "variant", "COL",
     NULL, "column holding the variant"},
    {"output", DCX_OPT_STRING, offsetof(dcx_sql_opts_t, common.output), NULL, "FILE", NULL,
     "write the query to FILE instead of standard output"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL}};

dcx_status_t dcx_sql_query(const dcx_sql_opts_t *o, FILE *f, dcx_error_t *err)
{
    const dialect_t *d = NULL;
    for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++)
        if (o->dialect && !strcmp(o->dialect, dialects[i].name))
            d = &dialects[i];
    if (!d)
        return dcx_error_set(err, DCX_EINVAL,
                             "missing --dialect (postgres, sqlite, duckdb, bigquery, snowflake, spark)");
    if (!o->table || !*o->table)
        return dcx_error_set(err, DCX_EINVAL, "missing --table T");
    if (!o->metric.n)
        return dcx_error_set(err, DCX_EINVAL, "missing --metric NAME:TYPE");
    const char *vc = o->variant_column ? o->variant_column : "variant";
    int blocks = 0;
    fprintf(f, "-- dcx %s: the summary CSV of CONTRACT section 2 for dcx analyze --summary.\n"
               "-- Run it with the client's CSV output (psql --csv, sqlite3 -csv -header, ...).\n",
            d->name);
    for (size_t mi = 0; mi < o->metric.n; mi++) {
        const char *spec = o->metric.v[mi], *colon = strchr(spec, ':');
        if (!colon || colon == spec || !colon[1])
            return dcx_error_set(err, DCX_EINVAL,
                                 "--metric '%s': give a type (binary, mean, ratio=NUM/DEN, nps)", spec);
        char name[256], col[256] = "", den[256] = "";
        snprintf(name, sizeof name, "%.*s", (int)(colon - spec), spec);
        const char *type = colon + 1, *tname = type;
        if (!strncmp(type, "ratio=", 6)) {
            const char *slash = strchr(type + 6, '/');
            if (!slash || slash == type + 6 || !slash[1])
                return dcx_error_set(err, DCX_EINVAL, "--metric '%s': ratio=NUM/DEN", spec);
            snprintf(col, sizeof col, "%.*s", (int)(slash - type - 6), type + 6);
            snprintf(den, sizeof den, "%s", slash + 1);
            tname = "ratio";
        } else if (!strcmp(type, "binary") || !strcmp(type, "mean") || !strcmp(type, "nps")) {
            snprintf(col, sizeof col, "%s", name);
        } else {
            return dcx_error_set(err, DCX_EINVAL, "--metric '%s': unknown type '%s'", spec, type);
        }
        const char *cov = NULL;
        for (size_t k = 0; k < o->cuped.n; k++) {
            const char *eq = strchr(o->cuped.v[k], '=');
            if (eq && (size_t)(eq - o->cuped.v[k]) == strlen(name)
                && !strncmp(o->cuped.v[k], name, strlen(name)))
                cov = eq + 1;
        }
        if (cov && (!strcmp(tname, "ratio") || !strcmp(tname, "nps")))
            return dcx_error_set(err, DCX_EINVAL, "--cuped: CUPED applies to binary and mean metrics");
        for (size_t si = 0; si <= o->segment.n; si++) {
            const char *seg = si ? o->segment.v[si - 1] : NULL;
            fputs(blocks++ ? "UNION ALL\n" : "", f);
            fputs("SELECT ", f);
            literal(f, name);
            fputs(" AS metric, ", f);
            literal(f, tname);
            fputs(" AS type, ", f);
            literal(f, seg ? seg : "all");
            fputs(" AS segment, ", f);
            if (seg) {
                fputs("CASE WHEN ", f);
                ident(f, d, seg);
                fputs(" IS NULL OR CAST(", f);
                ident(f, d, seg);
                fprintf(f, " AS %s) = '' THEN '(missing)' ELSE CAST(", d->text);
                ident(f, d, seg);
                fprintf(f, " AS %s) END", d->text);
            } else {
                fputs("'all'", f);
            }
            fputs(" AS segment_value,\n       CAST(", f);
            ident(f, d, vc);
            fprintf(f, " AS %s) AS variant, COUNT(*) AS n,\n       ", d->text);
            /* the value as a double; NPS as its +1 / 0 / -1 score */
            char x[1024];
            {
                char *buf = NULL;
                size_t len = 0;
                FILE *m = open_memstream(&buf, &len);
                if (!m)
                    return dcx_error_set(err, DCX_ENOMEM, "out of memory");
                if (!strcmp(tname, "nps")) {
                    fputs("(CASE WHEN ", m);
                    num(m, d, col);
                    fputs(" >= 9 THEN 1.0 WHEN ", m);
                    num(m, d, col);
                    fputs(" >= 7 THEN 0.0 ELSE -1.0 END)", m);
                } else {
                    num(m, d, col);
                }
                fclose(m);
                snprintf(x, sizeof x, "%s", buf ? buf : "");
                free(buf);
            }
            fprintf(f, "SUM(%s) AS sum, SUM(%s * %s) AS sum_sq,\n       ", x, x, x);
            const char *second = den[0] ? den : cov;
            if (second) {
                char y[512];
                char *buf = NULL;
                size_t len = 0;
                FILE *m = open_memstream(&buf, &len);
                if (!m)
                    return dcx_error_set(err, DCX_ENOMEM, "out of memory");
                num(m, d, second);
                fclose(m);
                snprintf(y, sizeof y, "%s", buf ? buf : "");
                free(buf);
                fprintf(f, "SUM(%s) AS sum2, SUM(%s * %s) AS sum2_sq, SUM(%s * %s) AS sum_cross\n", y, y,
                        y, x, y);
            } else {
                fprintf(f, "CAST(NULL AS %s) AS sum2, CAST(NULL AS %s) AS sum2_sq, CAST(NULL AS %s) AS sum_cross\n",
                        d->dbl, d->dbl, d->dbl);
            }
            fputs("FROM ", f);
            table_name(f, d, o->table);
            fputs("\nWHERE ", f);
            present(f, d, col);
            if (second) {
                fputs(" AND ", f);
                present(f, d, second);
            }
            fputs(" AND ", f);
            present(f, d, vc);
            fputs("\nGROUP BY ", f);
            ident(f, d, vc);
            if (seg) {
                fputs(", ", f);
                ident(f, d, seg);
            }
            fputs("\n", f);
        }
    }
    fputs("ORDER BY 1, 3, 4, 5;\n", f);
    return ferror(f) ? dcx_error_set(err, DCX_EIO, "write error") : DCX_OK;
}

static dcx_status_t stream_sql(const void *o, FILE *out, dcx_strlist_t *w, dcx_error_t *err)
{
    (void)w;
    return dcx_sql_query(o, out, err);
}

const dcx_command_t dcx_cmd_sql = {
    "sql", "one SQL query computing the summary CSV inside a warehouse",
    "dcx sql --dialect postgres|sqlite|duckdb|bigquery|snowflake|spark --table T\n"
    "               --metric NAME:TYPE ... [--segment COL ...] [--cuped METRIC=COV ...]\n"
    "               [--variant-column variant]",
    dcx_sql_options, sizeof(dcx_sql_opts_t), NULL, NULL, stream_sql, NULL, NULL};
