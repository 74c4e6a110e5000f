/* sql_text.c — the text `dcx sql` writes into a query: names (bare when plain, else
 * quoted), string and number literals, and the expressions that read a unit's value —
 * present or missing, a number, a binary 0/1, an NPS score — each of which stops the
 * query with a message when the value is not what the metric's type allows. Every piece
 * of text that came from the command line reaches the query through sql_ident,
 * sql_alias, sql_table or sql_literal. */
#include "sql_internal.h"

#include <stdlib.h>
#include <string.h>

#include "dcx/text.h"

/* Words that some dialect reserves (PostgreSQL, DuckDB, SQLite, BigQuery, Snowflake,
 * Spark's ANSI mode): such a name is quoted. Quoting a name that needs none is harmless
 * where quoted names keep their case and the name is lower case; Snowflake gets it in
 * upper case. Sorted for bsearch. */
static const char *const reserved[] = {
    "abort", "action", "add", "after", "all", "alter", "always", "analyse", "analyze", "and",
    "any", "array", "as", "asc", "assert_rows_modified", "asymmetric", "at", "attach",
    "authorization", "autoincrement", "before", "begin", "between", "binary", "both", "by",
    "cascade", "case", "cast", "check", "collate", "collation", "column", "commit",
    "concurrently", "conflict", "connect", "connection", "constraint", "contains", "create",
    "cross", "cube", "current", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "database",
    "default", "deferrable", "deferred", "define", "delete", "desc", "describe", "detach",
    "distinct", "do", "drop", "each", "else", "end", "enum", "escape", "except", "exclude",
    "exclusive", "exists", "explain", "extract", "fail", "false", "fetch", "filter",
    "following", "for", "foreign", "freeze", "from", "full", "glob", "grant", "group",
    "grouping", "groups", "gscluster", "hash", "having", "if", "ignore", "ilike", "immediate",
    "in", "increment", "index", "indexed", "initially", "inner", "insert", "instead",
    "intersect", "interval", "into", "is", "isnull", "issue", "join", "key", "lateral",
    "leading", "left", "like", "limit", "localtime", "localtimestamp", "lookup", "match",
    "materialized", "merge", "minus", "natural", "new", "no", "not", "nothing", "notnull",
    "null", "nulls", "of", "offset", "on", "only", "or", "order", "organization", "others",
    "outer", "over", "overlaps", "partition", "placing", "plan", "pragma", "preceding",
    "primary", "proto", "qualify", "query", "raise", "range", "recursive", "references",
    "regexp", "reindex", "release", "rename", "replace", "respect", "restrict", "returning",
    "revoke", "right", "rlike", "rollback", "rollup", "row", "rows", "sample", "savepoint",
    "schema", "select", "session_user", "set", "similar", "some", "start", "struct",
    "symmetric", "system_user", "table", "tablesample", "temp", "temporary", "then", "ties",
    "time", "to", "trailing", "transaction", "treat", "trigger", "true", "try_cast",
    "unbounded", "union", "unique", "unknown", "unnest", "update", "user", "using", "vacuum",
    "values", "variadic", "verbose", "view", "virtual", "when", "whenever", "where", "window",
    "with", "within", "without"};

static int cmp_word(const void *k, const void *e)
{
    return strcmp(k, *(const char *const *)e);
}

/* lower-case letters, digits and '_', not starting with a digit, no reserved word */
static int plain(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

static int is_reserved(const char *s)
{
    return bsearch(s, reserved, sizeof reserved / sizeof reserved[0], sizeof reserved[0],
                   cmp_word) != NULL;
}

/* s quoted: the quote character doubled, or (BigQuery) backslash-escaped along with the
 * backslash itself; upper-cased when `upper` */
static void quoted(tbuf_t *b, const dialect_t *d, const char *s, int upper)
{
    tb_putn(b, &d->quote, 1);
    for (; *s; s++) {
        char c = upper && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
        if (d->ident_backslash && (c == '\\' || c == d->quote)) {
            tb_putn(b, "\\", 1);
            tb_putn(b, &c, 1);
        } else if (c == d->quote) {
            tb_putn(b, &c, 1);
            tb_putn(b, &c, 1);
        } else {
            tb_putn(b, &c, 1);
        }
    }
    tb_putn(b, &d->quote, 1);
}

void sql_ident(tbuf_t *b, const dialect_t *d, const char *s)
{
    if (plain(s) && !is_reserved(s))
        tb_puts(b, s);
    else
        quoted(b, d, s, d->fold_upper && plain(s));
}

void sql_alias(tbuf_t *b, const dialect_t *d, const char *s)
{
    quoted(b, d, s, 0);
}

void sql_table(tbuf_t *b, const dialect_t *d, const char *s)
{
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        char *part = strndup(s, n);
        if (!part) {
            b->oom = 1;
            return;
        }
        sql_ident(b, d, part);
        free(part);
        if (!dot)
            break;
        tb_putn(b, ".", 1);
        s = dot + 1;
    }
}

void sql_literal(tbuf_t *b, const dialect_t *d, const char *s)
{
    tb_putn(b, "'", 1);
    for (; *s; s++) {
        if (d->literal_backslash && (*s == '\\' || *s == '\'')) {
            tb_putn(b, "\\", 1);
            tb_putn(b, s, 1);
        } else if (*s == '\'') {
            tb_puts(b, "''");
        } else {
            tb_putn(b, s, 1);
        }
    }
    tb_putn(b, "'", 1);
}

void sql_double(tbuf_t *b, const dialect_t *d, double v)
{
    char t[32];
    dcx_json_number_text(v, t);
    tb_printf(b, "CAST(%s AS %s)", t, d->dbl);
}

void sql_present(tbuf_t *b, const dialect_t *d, const char *col)
{
    tb_puts(b, "(");
    sql_ident(b, d, col);
    tb_puts(b, " IS NOT NULL AND CAST(");
    sql_ident(b, d, col);
    tb_printf(b, " AS %s) <> '')", d->text);
}

void sql_fail(tbuf_t *b, const dialect_t *d, const char *what, const char *value)
{
    tbuf_t msg = {0};
    tb_puts(&msg, "dcx: ");
    tb_puts(&msg, what);
    tbuf_t text = {0};
    sql_literal(&text, d, msg.s ? msg.s : "");
    if (value) {
        tb_puts(&text, " || ");
        tb_puts(&text, value);
    }
    tb_done(b, &msg);
    if (text.oom) {
        tb_done(b, &text);
        return;
    }
    switch (d->fail) {
    case FAIL_CAST:
        tb_printf(b, "CAST((%s) AS INTEGER)", text.s);
        break;
    case FAIL_CALL:
        tb_printf(b, "%s(%s)", d->fail_fn, text.s);
        break;
    case FAIL_JSON_PATH:
        tb_printf(b, "json_extract('{}', %s)", text.s);
        break;
    }
    tb_done(b, &text);
}

/* CAST(col AS text), for messages and spellings */
static void as_text(tbuf_t *b, const dialect_t *d, const char *col)
{
    tb_puts(b, "CAST(");
    sql_ident(b, d, col);
    tb_printf(b, " AS %s)", d->text);
}

/* "column NAME holds a value that is not WHAT: " as message text (no quotes of its own,
 * so that the message reads the same in every warehouse's error) */
static void what_text(tbuf_t *b, const char *col, const char *what)
{
    tb_puts(b, "column ");
    tb_puts(b, col);
    tb_printf(b, " holds a value that is not %s: ", what);
}

void sql_number(tbuf_t *b, const dialect_t *d, const char *col)
{
    tbuf_t cast = {0}, val = {0}, what = {0};
    tb_puts(&cast, "CAST(");
    sql_ident(&cast, d, col);
    tb_printf(&cast, " AS %s)", d->dbl);
    if (!d->numeric_check || cast.oom) {
        tb_puts(b, cast.s ? cast.s : "");
        tb_done(b, &cast);
        return;
    }
    as_text(&val, d, col);
    what_text(&what, col, "a number");
    if (val.oom || what.oom) {
        b->oom = 1;
    } else if (d->fail == FAIL_JSON_PATH) {
        /* SQLite: text is a number when numeric affinity turns it into one, so that it
         * compares equal to its own cast */
        tb_printf(b, "(CASE WHEN %s = ", cast.s);
        sql_ident(b, d, col);
        tb_printf(b, " THEN %s ELSE ", cast.s);
        sql_fail(b, d, what.s, val.s);
        tb_puts(b, " END)");
    } else {
        /* Spark outside ANSI mode: a cast that fails is NULL */
        tb_printf(b, "(CASE WHEN %s IS NULL THEN ", cast.s);
        sql_fail(b, d, what.s, val.s);
        tb_printf(b, " ELSE %s END)", cast.s);
    }
    tb_done(b, &cast);
    tb_done(b, &val);
    tb_done(b, &what);
}

void sql_binary(tbuf_t *b, const dialect_t *d, const char *col)
{
    tbuf_t val = {0}, what = {0};
    as_text(&val, d, col);
    what_text(&what, col, "0/1/true/false/yes/no");
    if (val.oom || what.oom) {
        b->oom = 1;
    } else {
        /* 0 and 1 first, as written: the common case costs no LOWER and TRIM */
        tb_printf(b, "(CASE %s WHEN '1' THEN 1 WHEN '0' THEN 0 ELSE CASE LOWER(TRIM(%s)) "
                     "WHEN '1' THEN 1 WHEN 'true' THEN 1 WHEN 'yes' THEN 1 WHEN '0' THEN 0 "
                     "WHEN 'false' THEN 0 WHEN 'no' THEN 0 ELSE ",
                  val.s, val.s);
        sql_fail(b, d, what.s, val.s);
        tb_puts(b, " END END)");
    }
    tb_done(b, &val);
    tb_done(b, &what);
}

void sql_nps(tbuf_t *b, const dialect_t *d, const char *col)
{
    tbuf_t num = {0}, val = {0}, what = {0};
    sql_number(&num, d, col);
    as_text(&val, d, col);
    what_text(&what, col, "a whole number from 0 to 10");
    if (num.oom || val.oom || what.oom) {
        b->oom = 1;
    } else {
        tb_printf(b, "(CASE %s WHEN 9 THEN 1 WHEN 10 THEN 1 WHEN 7 THEN 0 WHEN 8 THEN 0", num.s);
        for (int k = 0; k <= 6; k++)
            tb_printf(b, " WHEN %d THEN -1", k);
        tb_puts(b, " ELSE ");
        sql_fail(b, d, what.s, val.s);
        tb_puts(b, " END)");
    }
    tb_done(b, &num);
    tb_done(b, &val);
    tb_done(b, &what);
}
