/* lrows.c — unit rows from a Lua table, for dcx.analyze{rows = ...}: an array of row tables
 * ({variant = "control", revenue = 12.5}, ...) or a table of column arrays ({variant =
 * {...}, revenue = {...}}). Each cell becomes the text a CSV file would hold (a number its
 * shortest exact text), so the library reads it exactly as it reads a file; nil and
 * dcx.null are empty cells (missing values). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldcx.h"

/* The table being built and the row of cells, owned by a userdata: an error frees them. */
typedef struct {
    dcx_rows_t *rows;
    const char **cells;
    size_t *lens;
    char *nums; /* 32 bytes per column for numbers as text */
    size_t width;
} rbox_t;

static int rbox_gc(lua_State *L)
{
    rbox_t *b = lua_touserdata(L, 1);
    dcx_rows_free(b->rows);
    b->rows = NULL;
    free(b->cells);
    free(b->lens);
    free(b->nums);
    b->cells = NULL, b->lens = NULL, b->nums = NULL;
    return 0;
}

/* The cell at idx as text into cells[c] (a pointer into a Lua string kept alive by the
 * caller's table, or into b->nums). */
static void cell(lua_State *L, rbox_t *b, int idx, size_t c, const char *fn, lua_Integer row)
{
    char *num = b->nums + 32 * c;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        b->cells[c] = NULL;
        return;
    case LUA_TSTRING:
        b->cells[c] = lua_tolstring(L, idx, &b->lens[c]);
        return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            snprintf(num, 32, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, idx));
        else
            snprintf(num, 32, "%.17g", (double)lua_tonumber(L, idx));
        b->cells[c] = num;
        b->lens[c] = strlen(num);
        return;
    case LUA_TBOOLEAN:
        b->cells[c] = lua_toboolean(L, idx) ? "true" : "false";
        b->lens[c] = strlen(b->cells[c]);
        return;
    case LUA_TLIGHTUSERDATA:
        if (ldcx_isnull(L, idx)) {
            b->cells[c] = NULL;
            return;
        }
        break;
    default:
        break;
    }
    luaL_error(L, "%s: rows: row %d, column '%s': a %s is not a value (write strings, numbers, "
                  "booleans, nil or dcx.null)",
               fn, (int)row, dcx_rows_name(b->rows, c), luaL_typename(L, idx));
}

static void add_column(lua_State *L, rbox_t *b, const char *name, const char *fn)
{
    dcx_error_t err;
    dcx_error_clear(&err);
    dcx_status_t st = dcx_rows_add_column(b->rows, name, &err);
    if (st == DCX_ENOMEM)
        ldcx_raise_nomem(L, fn);
    if (st)
        luaL_error(L, "%s: rows: %s", fn, err.message);
}

static void add_row(lua_State *L, rbox_t *b, const char *fn)
{
    dcx_error_t err;
    dcx_error_clear(&err);
    dcx_status_t st = dcx_rows_add(b->rows, b->cells, b->lens, &err);
    if (st == DCX_ENOMEM)
        ldcx_raise_nomem(L, fn);
    if (st)
        luaL_error(L, "%s: rows: %s", fn, err.message);
}

static void alloc_row(lua_State *L, rbox_t *b, const char *fn)
{
    b->width = dcx_rows_width(b->rows);
    size_t w = b->width ? b->width : 1;
    if (!(b->cells = calloc(w, sizeof *b->cells)) || !(b->lens = calloc(w, sizeof *b->lens))
        || !(b->nums = malloc(32 * w)))
        ldcx_raise_nomem(L, fn);
}

/* An array of row tables: the columns are every key any row has. */
static void from_row_tables(lua_State *L, rbox_t *b, int idx, lua_Integer n, const char *fn)
{
    lua_newtable(L); /* name -> true, for columns seen */
    int seen = lua_gettop(L);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, idx, i) != LUA_TTABLE)
            luaL_error(L, "%s: rows: row %d is a %s, not a table of column = value", fn, (int)i,
                       luaL_typename(L, -1));
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_error(L, "%s: rows: row %d has a %s key: keys are column names", fn, (int)i,
                           luaL_typename(L, -1));
            lua_pushvalue(L, -1);
            if (lua_rawget(L, seen) == LUA_TNIL) {
                add_column(L, b, lua_tostring(L, -2), fn);
                lua_pushvalue(L, -2);
                lua_pushboolean(L, 1);
                lua_rawset(L, seen);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    alloc_row(L, b, fn);
    luaL_checkstack(L, (int)b->width + 8, "rows: too many columns");
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        int row = lua_gettop(L);
        for (size_t c = 0; c < b->width; c++) {
            lua_pushstring(L, dcx_rows_name(b->rows, c));
            lua_rawget(L, row);
            cell(L, b, lua_gettop(L), c, fn, i); /* the string stays alive in the row */
        }
        add_row(L, b, fn);
        lua_settop(L, row - 1);
    }
    lua_pop(L, 1); /* seen */
}

/* A table of column arrays, all of one length. */
static void from_columns(lua_State *L, rbox_t *b, int idx, const char *fn)
{
    lua_newtable(L); /* the column arrays, in column order */
    int cols = lua_gettop(L);
    lua_Integer n = -1, k = 0;
    const char *first = NULL;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "%s: rows: a table of columns is keyed by column names (found a %s key)",
                       fn, luaL_typename(L, -2));
        if (lua_type(L, -1) != LUA_TTABLE)
            luaL_error(L, "%s: rows: column '%s' is a %s, not a list of values", fn,
                       lua_tostring(L, -2), luaL_typename(L, -1));
        lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
        if (n >= 0 && len != n)
            luaL_error(L, "%s: rows: column '%s' has %d values and column '%s' %d (write a missing "
                          "value as dcx.null: nil ends a list)",
                       fn, lua_tostring(L, -2), (int)len, first, (int)n);
        if (n < 0) {
            n = len;
            first = lua_tostring(L, -2); /* alive as a key of the table */
        }
        add_column(L, b, lua_tostring(L, -2), fn);
        lua_rawseti(L, cols, ++k);
    }
    alloc_row(L, b, fn);
    for (lua_Integer i = 1; i <= n; i++) {
        for (size_t c = 0; c < b->width; c++) {
            lua_rawgeti(L, cols, (lua_Integer)c + 1);
            lua_rawgeti(L, -1, i);
            cell(L, b, lua_gettop(L), c, fn, i);
            lua_pop(L, 1); /* the value; a string stays alive in its column */
            lua_pop(L, 1);
        }
        add_row(L, b, fn);
    }
    lua_pop(L, 1); /* cols */
}

dcx_rows_t *ldcx_check_rows(lua_State *L, int idx, const char *fn)
{
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    rbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    if (luaL_newmetatable(L, "dcx.rowsbox")) {
        lua_pushcfunction(L, rbox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    if (!(b->rows = dcx_rows_new()))
        ldcx_raise_nomem(L, fn);
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    if (n > 0)
        from_row_tables(L, b, idx, n, fn);
    else
        from_columns(L, b, idx, fn);
    if (dcx_rows_count(b->rows) == 0)
        luaL_error(L, "%s: rows: no rows (give a list of row tables, or a table of column lists)",
                   fn);
    dcx_rows_t *rows = b->rows;
    b->rows = NULL; /* the caller's now */
    lua_pop(L, 1);
    return rows;
}
