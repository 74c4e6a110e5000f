/* lcsv.c — dcx.csv: a streaming, header-aware CSV reader (rows as tables, errors with
 * file:line), whole numeric columns at C speed, and a strict writer (a key the header does
 * not have, a value too many or a table as a value is an error, never a silent drop) that
 * replaces its file only when closed successfully, or writes to standard output ("-") or to
 * text (dcx.csv.format). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ldcx.h"

/* The settings dcx.csv's functions take, described like a command's options so that a
 * message naming a flag (--max-field-mb) names it as a script writes it (max_field_mb). */
static const dcx_option_t csv_settings[] = {
    {"delimiter", DCX_OPT_STRING, 0, ",", "C", NULL, "field separator", 0},
    {"max-field-mb", DCX_OPT_NUMBER, 0, NULL, "MB", NULL, "the longest field", 0},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}};

static int raise_csv(lua_State *L, const dcx_error_t *err)
{
    char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
    dcx_error_format(err, buf, sizeof buf);
    if (err->code == DCX_ENOMEM)
        return ldcx_raise_nomem(L, buf);
    luaL_where(L, 1);
    ldcx_push_lua_message(L, buf, csv_settings);
    lua_concat(L, 2);
    return lua_error(L);
}

/* The settings table at idx (or none): {delimiter = ";", max_field_mb = 200}. */
typedef struct {
    char delimiter;
    size_t max_field; /* bytes; 0 = the default */
} csv_settings_t;

static csv_settings_t check_settings(lua_State *L, int idx, const char *fn)
{
    csv_settings_t s = {',', 0};
    if (lua_isnoneornil(L, idx))
        return s;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
        if (!strcmp(key, "delimiter")) {
            const char *d = lua_tostring(L, -1);
            if (!d || !(s.delimiter = dcx_csv_delimiter_parse(d)))
                luaL_error(L, "%s: delimiter must be one character (',', ';', '|') or '\\t'", fn);
        } else if (!strcmp(key, "max_field_mb")) {
            lua_Number mb = lua_tonumber(L, -1);
            if (!lua_isnumber(L, -1) || !(mb > 0) || mb > 1048576)
                luaL_error(L, "%s: max_field_mb must be a number of mebibytes above 0", fn);
            s.max_field = (size_t)(mb * 1048576.0);
        } else if (!strcmp(key, "nulls")) {
            /* read by the caller that takes it */
        } else {
            luaL_error(L, "%s: unknown setting '%s' (delimiter, max_field_mb)", fn,
                       luaL_tolstring(L, -2, NULL));
        }
        lua_pop(L, 1);
    }
    return s;
}

/* ---- the reader --------------------------------------------------------------------------- */

typedef struct {
    dcx_csv_reader_t *r;
    int header_ref; /* registry ref of the header list, or LUA_NOREF */
} lreader_t;

static lreader_t *check_reader(lua_State *L, int i) { return luaL_checkudata(L, i, "dcx.reader"); }

static int reader_close(lua_State *L)
{
    lreader_t *r = check_reader(L, 1);
    dcx_csv_close(r->r);
    r->r = NULL;
    if (r->header_ref != LUA_NOREF) {
        luaL_unref(L, LUA_REGISTRYINDEX, r->header_ref);
        r->header_ref = LUA_NOREF;
    }
    return 0;
}

/* dcx.csv.open(path [, settings]): a reader, or nil and a message */
static int reader_open(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    csv_settings_t set = check_settings(L, 2, "dcx.csv.open");
    ldcx_sandbox_check_read(L, "dcx.csv", path);
    lua_settop(L, 1);
    lreader_t *r = lua_newuserdatauv(L, sizeof *r, 0);
    r->r = NULL;
    r->header_ref = LUA_NOREF;
    luaL_setmetatable(L, "dcx.reader");
    dcx_error_t err;
    dcx_error_clear(&err);
    if (dcx_csv_open(path, &r->r, &err)) {
        char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
        lua_pushnil(L);
        lua_pushstring(L, dcx_error_format(&err, buf, sizeof buf));
        return 2;
    }
    dcx_csv_delimiter(r->r, set.delimiter);
    dcx_csv_max_field(r->r, set.max_field);
    /* the header row */
    dcx_csv_row_t row;
    int got = dcx_csv_next(r->r, &row, &err);
    if (got < 0)
        return raise_csv(L, &err);
    lua_createtable(L, got > 0 ? (int)row.n : 0, 0);
    for (size_t i = 0; got > 0 && i < row.n; i++) {
        lua_pushlstring(L, row.fields[i], row.lens[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    r->header_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    if (got > 0)
        dcx_csv_expect_width(r->r, row.n);
    return 1;
}

static int reader_header(lua_State *L)
{
    lreader_t *r = check_reader(L, 1);
    if (r->header_ref == LUA_NOREF)
        return luaL_error(L, "dcx.csv: reader is closed");
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->header_ref);
    return 1;
}

/* iterator: returns row (keyed by header), line; nil at the end */
static int reader_next(lua_State *L)
{
    lreader_t *r = check_reader(L, 1);
    if (!r->r)
        return 0;
    dcx_csv_row_t row;
    dcx_error_t err;
    dcx_error_clear(&err);
    int got = dcx_csv_next(r->r, &row, &err);
    if (got < 0)
        return raise_csv(L, &err);
    if (got == 0)
        return 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->header_ref);
    int h = lua_gettop(L);
    lua_createtable(L, 0, (int)row.n);
    for (size_t i = 0; i < row.n; i++) {
        lua_rawgeti(L, h, (lua_Integer)i + 1);
        lua_pushlstring(L, row.fields[i], row.lens[i]);
        lua_rawset(L, -3);
    }
    lua_pushinteger(L, row.line);
    return 2;
}

static int reader_rows(lua_State *L)
{
    check_reader(L, 1);
    lua_pushcfunction(L, reader_next);
    lua_pushvalue(L, 1);
    return 2;
}

/* dcx.csv.rows(path [, settings]): for row, line in dcx.csv.rows("units.csv") do ... end */
static int csv_rows(lua_State *L)
{
    int n = reader_open(L);
    if (n == 2)
        return luaL_error(L, "%s", lua_tostring(L, -1));
    lua_pushcfunction(L, reader_next);
    lua_insert(L, -2);
    lua_pushnil(L);
    lua_pushvalue(L, -2); /* to-be-closed: the reader closes when the loop ends */
    return 4;
}

/* ---- whole columns ------------------------------------------------------------------------ */

typedef struct {
    double **cols;
    size_t n;
    const char **names;
} colbox_t;

static int colbox_gc(lua_State *L)
{
    colbox_t *b = lua_touserdata(L, 1);
    for (size_t k = 0; b->cols && k < b->n; k++)
        free(b->cols[k]);
    free(b->cols);
    b->cols = NULL;
    free(b->names);
    b->names = NULL;
    return 0;
}

/* dcx.csv.columns(path, {names} [, settings]) -> {name = {values...}}, empty cells as
 * dcx.null (or holes with nulls = "nil") */
static int csv_columns(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    csv_settings_t set = check_settings(L, 3, "dcx.csv.columns");
    int nulls_nil = 0;
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "nulls");
        nulls_nil = ldcx_nulls_option(L, -1, "dcx.csv.columns");
        lua_pop(L, 1);
    }
    ldcx_sandbox_check_read(L, "dcx.csv.columns", path);
    size_t n = (size_t)lua_rawlen(L, 2);
    if (n == 0)
        return luaL_error(L, "dcx.csv.columns: name the columns to read, e.g. {\"revenue\"}");
    colbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    luaL_setmetatable(L, "dcx.colbox");
    if (!(b->names = calloc(n, sizeof *b->names)))
        return ldcx_raise_nomem(L, "dcx.csv.columns");
    for (size_t k = 0; k < n; k++) {
        lua_rawgeti(L, 2, (lua_Integer)k + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "dcx.csv.columns: column names are strings (item %d)", (int)k + 1);
        b->names[k] = lua_tostring(L, -1); /* kept alive by the names table */
        lua_pop(L, 1);
    }
    dcx_error_t err;
    dcx_error_clear(&err);
    size_t rows = 0;
    if (set.max_field)
        dcx_csv_set_max_field(set.max_field);
    dcx_status_t st = dcx_csv_columns(path, b->names, n, set.delimiter, &b->cols, &rows, &err);
    dcx_csv_set_max_field(0);
    if (st == DCX_EIO) { /* cannot open: an expected failure */
        char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
        lua_pushnil(L);
        lua_pushstring(L, dcx_error_format(&err, buf, sizeof buf));
        return 2;
    }
    if (st)
        return raise_csv(L, &err);
    b->n = n;
    if (rows > (size_t)INT32_MAX)
        return luaL_error(L, "dcx.csv.columns: more rows than a Lua table holds");
    lua_createtable(L, 0, (int)n);
    for (size_t k = 0; k < n; k++) {
        lua_createtable(L, (int)rows, 0);
        const double *v = b->cols[k];
        for (size_t i = 0; i < rows; i++) {
            if (isnan(v[i])) {
                if (nulls_nil)
                    continue;
                ldcx_push_null(L);
            } else if (v[i] == floor(v[i]) && fabs(v[i]) < 9007199254740992.0) {
                lua_pushinteger(L, (lua_Integer)v[i]);
            } else {
                lua_pushnumber(L, v[i]);
            }
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, b->names[k]);
        free(b->cols[k]); /* as soon as its table holds it */
        b->cols[k] = NULL;
    }
    return 1;
}

/* ---- the writer --------------------------------------------------------------------------- */

enum { W_FILE, W_STDOUT, W_TEXT };

typedef struct {
    FILE *f;
    int kind;
    char *path, *tmp; /* W_FILE: the target and the temporary file */
    char *text;       /* W_TEXT: what open_memstream collects */
    size_t text_len;
    int header_ref;   /* the header list */
    int index_ref;    /* name -> column number */
    size_t ncols;
} lwriter_t;

static lwriter_t *check_writer(lua_State *L, int i) { return luaL_checkudata(L, i, "dcx.writer"); }

static void writer_discard(lua_State *L, lwriter_t *w)
{
    if (w->f && w->kind != W_STDOUT) {
        fclose(w->f);
        if (w->kind == W_FILE)
            unlink(w->tmp);
    }
    w->f = NULL;
    free(w->path);
    free(w->tmp);
    free(w->text);
    w->path = w->tmp = w->text = NULL;
    for (int *ref = &w->header_ref; ref <= &w->index_ref; ref++)
        if (*ref != LUA_NOREF) {
            luaL_unref(L, LUA_REGISTRYINDEX, *ref);
            *ref = LUA_NOREF;
        }
}

static int writer_gc(lua_State *L)
{
    writer_discard(L, check_writer(L, 1)); /* never closed: nothing replaces the target */
    return 0;
}

/* The text of a CSV value at idx, pushed (nil and dcx.null as an empty field); raises for
 * what a CSV cell cannot hold. */
static void push_field(lua_State *L, int idx, const char *fn, const char *column)
{
    char buf[32];
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        lua_pushliteral(L, "");
        return;
    case LUA_TSTRING:
        lua_pushvalue(L, idx);
        return;
    case LUA_TBOOLEAN:
        lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
        return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, idx));
            return;
        }
        if (!isfinite(lua_tonumber(L, idx)))
            luaL_error(L, "%s: column '%s': %s is not a value a CSV file can hold (use dcx.null "
                          "for a missing value)",
                       fn, column, lua_tostring(L, idx));
        lua_pushstring(L, dcx_json_number_text(lua_tonumber(L, idx), buf));
        return;
    case LUA_TLIGHTUSERDATA:
        if (ldcx_isnull(L, idx)) {
            lua_pushliteral(L, "");
            return;
        }
        break;
    default:
        break;
    }
    luaL_error(L, "%s: column '%s': a %s is not a CSV value (write strings, numbers, booleans "
                  "or dcx.null)",
               fn, column, luaL_typename(L, idx));
}

/* Checks the row at idx against the header and pushes its ncols field texts. A row is a
 * list in header order or a table keyed by header names, not both. */
static void row_fields(lua_State *L, lwriter_t *w, int idx, const char *fn)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, (int)w->ncols + 8, "dcx.csv: too many columns");
    lua_rawgeti(L, LUA_REGISTRYINDEX, w->header_ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, w->index_ref);
    int h = lua_gettop(L) - 1, index = h + 1;
    size_t by_pos = 0, by_name = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TNUMBER && lua_isinteger(L, -1)) {
            lua_Integer k = lua_tointeger(L, -1);
            if (k > (lua_Integer)w->ncols)
                luaL_error(L, "%s: the row has %d values for %d columns", fn,
                           (int)lua_rawlen(L, idx) > (int)k ? (int)lua_rawlen(L, idx) : (int)k,
                           (int)w->ncols);
            if (k < 1)
                luaL_error(L, "%s: a row is a list in header order or a table keyed by column "
                              "names (found the key %d)",
                           fn, (int)k);
            by_pos++;
        } else if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pushvalue(L, -1);
            if (lua_rawget(L, index) == LUA_TNIL)
                luaL_error(L, "%s: unknown column '%s' (not in the header, so it would be lost)",
                           fn, lua_tostring(L, -2));
            lua_pop(L, 1);
            by_name++;
        } else {
            luaL_error(L, "%s: a row is a list in header order or a table keyed by column names "
                          "(found a %s key)",
                       fn, luaL_typename(L, -1));
        }
    }
    if (by_pos && by_name)
        luaL_error(L, "%s: a row is a list in header order or a table keyed by column names, not "
                      "both",
                   fn);
    for (size_t i = 1; i <= w->ncols; i++) {
        lua_rawgeti(L, h, (lua_Integer)i); /* the column's name */
        if (by_pos) {
            lua_rawgeti(L, idx, (lua_Integer)i);
        } else {
            lua_pushvalue(L, -1);
            lua_rawget(L, idx);
        }
        push_field(L, lua_gettop(L), fn, lua_tostring(L, -2));
        lua_replace(L, -3); /* the text where the name was */
        lua_pop(L, 1);
    }
    lua_rotate(L, h, -2); /* header and index above the fields, then gone */
    lua_pop(L, 2);
}

static void write_fields(lua_State *L, lwriter_t *w, int first)
{
    for (size_t i = 0; i < w->ncols; i++) {
        size_t len;
        const char *s = lua_tolstring(L, first + (int)i, &len);
        if (i > 0)
            putc(',', w->f);
        dcx_csv_quote(w->f, s, len);
    }
    putc('\n', w->f);
}

/* A new writer for header (at idx) into f; pushes the userdata. */
static lwriter_t *writer_new(lua_State *L, int hidx, const char *fn)
{
    hidx = lua_absindex(L, hidx);
    luaL_checktype(L, hidx, LUA_TTABLE);
    size_t ncols = (size_t)lua_rawlen(L, hidx);
    if (ncols == 0)
        luaL_error(L, "%s: the header lists the column names, e.g. {\"id\", \"score\"}", fn);
    lwriter_t *w = lua_newuserdatauv(L, sizeof *w, 0);
    memset(w, 0, sizeof *w);
    w->header_ref = w->index_ref = LUA_NOREF;
    luaL_setmetatable(L, "dcx.writer");
    lua_createtable(L, (int)ncols, 0);
    lua_createtable(L, 0, (int)ncols);
    for (size_t i = 1; i <= ncols; i++) {
        lua_rawgeti(L, hidx, (lua_Integer)i);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: column names are strings (item %d is a %s)", fn, (int)i,
                       luaL_typename(L, -1));
        lua_pushvalue(L, -1);
        if (lua_rawget(L, -3) != LUA_TNIL)
            luaL_error(L, "%s: column '%s' is named twice", fn, lua_tostring(L, -2));
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushinteger(L, (lua_Integer)i);
        lua_rawset(L, -4);
        lua_rawseti(L, -3, (lua_Integer)i);
    }
    w->index_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    w->header_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    w->ncols = ncols;
    return w;
}

static void write_header(lua_State *L, lwriter_t *w)
{
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, w->header_ref);
    for (size_t i = 1; i <= w->ncols; i++)
        lua_rawgeti(L, top + 1, (lua_Integer)i);
    write_fields(L, w, top + 2);
    lua_settop(L, top);
}

/* dcx.csv.writer(path, header): "-" is standard output */
static int writer_open(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    ldcx_sandbox_check_write(L, "dcx.csv.writer", path);
    lwriter_t *w = writer_new(L, 2, "dcx.csv.writer");
    if (!strcmp(path, "-")) {
        w->kind = W_STDOUT;
        w->f = stdout;
        write_header(L, w);
        return 1;
    }
    size_t n = strlen(path) + 16;
    if (!(w->path = strdup(path)) || !(w->tmp = malloc(n)))
        return ldcx_raise_nomem(L, "dcx.csv.writer");
    snprintf(w->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(w->tmp);
    if (fd >= 0) {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
        if (fd >= 0) {
            close(fd);
            unlink(w->tmp);
        }
        lua_pushnil(L);
        lua_pushfstring(L, "%s: cannot create: %s", path, strerror(errno));
        return 2;
    }
    w->kind = W_FILE;
    write_header(L, w);
    return 1;
}

/* w:write(row): row keyed by header names, or a list in header order */
static int writer_write(lua_State *L)
{
    lwriter_t *w = check_writer(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (!w->f)
        return luaL_error(L, "dcx.csv: writer is closed");
    int first = lua_gettop(L) + 1;
    row_fields(L, w, 2, "dcx.csv.writer");
    write_fields(L, w, first);
    return 0;
}

static int writer_close(lua_State *L)
{
    lwriter_t *w = check_writer(L, 1);
    if (!w->f)
        return 0;
    if (w->kind == W_STDOUT) {
        int bad = fflush(stdout) != 0 || ferror(stdout);
        w->f = NULL;
        writer_discard(L, w);
        if (bad) {
            lua_pushnil(L);
            lua_pushstring(L, "standard output: write failed");
            return 2;
        }
        lua_pushboolean(L, 1);
        return 1;
    }
    int bad = ferror(w->f) | (fclose(w->f) != 0);
    w->f = NULL;
    if (!bad && rename(w->tmp, w->path) != 0)
        bad = 1;
    if (bad)
        unlink(w->tmp);
    lua_pushstring(L, w->path);
    writer_discard(L, w);
    if (bad) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: write failed", lua_tostring(L, -2));
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* dcx.csv.format(rows, header): the CSV text, with the writer's rules */
static int csv_format(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    lwriter_t *w = writer_new(L, 2, "dcx.csv.format");
    int wi = lua_gettop(L);
    w->kind = W_TEXT;
    if (!(w->f = open_memstream(&w->text, &w->text_len)))
        return ldcx_raise_nomem(L, "dcx.csv.format");
    write_header(L, w);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, 1, i) != LUA_TTABLE)
            return luaL_error(L, "dcx.csv.format: row %d is a %s, not a table", (int)i,
                              luaL_typename(L, -1));
        int first = lua_gettop(L) + 1;
        row_fields(L, w, -1, "dcx.csv.format");
        write_fields(L, w, first);
        lua_settop(L, wi);
    }
    int bad = fclose(w->f) != 0;
    w->f = NULL;
    if (bad)
        return ldcx_raise_nomem(L, "dcx.csv.format");
    lua_pushlstring(L, w->text, w->text_len);
    writer_discard(L, w);
    return 1;
}

void ldcx_open_csv(lua_State *L)
{
    static const luaL_Reg rm[] = {{"header", reader_header}, {"rows", reader_rows},
                                  {"close", reader_close}, {NULL, NULL}};
    if (luaL_newmetatable(L, "dcx.reader")) {
        luaL_newlib(L, rm);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, reader_close);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, reader_close);
        lua_setfield(L, -2, "__close");
    }
    lua_pop(L, 1);
    static const luaL_Reg wm[] = {{"write", writer_write}, {"close", writer_close}, {NULL, NULL}};
    if (luaL_newmetatable(L, "dcx.writer")) {
        luaL_newlib(L, wm);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, writer_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, writer_close);
        lua_setfield(L, -2, "__close");
    }
    lua_pop(L, 1);
    if (luaL_newmetatable(L, "dcx.colbox")) {
        lua_pushcfunction(L, colbox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    static const luaL_Reg f[] = {{"open", reader_open},       {"rows", csv_rows},
                                 {"columns", csv_columns},   {"writer", writer_open},
                                 {"format", csv_format},     {NULL, NULL}};
    luaL_newlib(L, f);
    lua_setfield(L, -2, "csv");
}
