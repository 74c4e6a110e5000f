/* lcsv.c — dcx.csv: a streaming, header-aware CSV reader (rows as tables, errors with
 * file:line) and a writer that replaces its file only when closed successfully. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ldcx.h"

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

static int raise_csv(lua_State *L, const dcx_error_t *err)
{
    char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
    dcx_error_format(err, buf, sizeof buf);
    if (err->code == DCX_ENOMEM)
        return ldcx_raise_nomem(L, buf);
    return luaL_error(L, "%s", buf);
}

static int reader_open(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    ldcx_sandbox_check_read(L, "dcx.csv", path);
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

/* dcx.csv.rows(path): for row, line in dcx.csv.rows("units.csv") do ... end */
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

typedef struct {
    FILE *f;
    char *path, *tmp;
    int header_ref;
    size_t ncols;
} lwriter_t;

static lwriter_t *check_writer(lua_State *L, int i) { return luaL_checkudata(L, i, "dcx.writer"); }

static void writer_discard(lua_State *L, lwriter_t *w)
{
    if (w->f) {
        fclose(w->f);
        unlink(w->tmp);
    }
    w->f = NULL;
    free(w->path);
    free(w->tmp);
    w->path = w->tmp = NULL;
    if (w->header_ref != LUA_NOREF) {
        luaL_unref(L, LUA_REGISTRYINDEX, w->header_ref);
        w->header_ref = LUA_NOREF;
    }
}

static int writer_gc(lua_State *L)
{
    writer_discard(L, check_writer(L, 1)); /* never closed: nothing replaces the target */
    return 0;
}

static int write_field(FILE *f, lua_State *L, int i)
{
    size_t len = 0;
    const char *s = "";
    if (lua_type(L, i) == LUA_TNUMBER && lua_isinteger(L, i)) {
        s = lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, i));
        len = strlen(s);
    } else if (lua_type(L, i) == LUA_TNUMBER) {
        char buf[32];
        lua_pushstring(L, dcx_json_number_text(lua_tonumber(L, i), buf));
        s = lua_tolstring(L, -1, &len);
    } else if (lua_type(L, i) == LUA_TSTRING) {
        s = lua_tolstring(L, i, &len);
        lua_pushvalue(L, i);
    } else if (lua_type(L, i) == LUA_TBOOLEAN) {
        s = lua_toboolean(L, i) ? "true" : "false";
        len = strlen(s);
        lua_pushnil(L);
    } else {
        lua_pushnil(L);
    }
    int rc = dcx_csv_quote(f, s, len);
    lua_pop(L, 1);
    return rc;
}

static int writer_open(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    ldcx_sandbox_check_write(L, "dcx.csv.writer", path);
    lwriter_t *w = lua_newuserdatauv(L, sizeof *w, 0);
    memset(w, 0, sizeof *w);
    w->header_ref = LUA_NOREF;
    luaL_setmetatable(L, "dcx.writer");
    size_t n = strlen(path) + 16;
    if (!(w->path = strdup(path)) || !(w->tmp = malloc(n)))
        return luaL_error(L, "out of memory");
    snprintf(w->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(w->tmp);
    if (fd >= 0) {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        lua_pushnil(L);
        lua_pushfstring(L, "%s: cannot create: %s", path, strerror(errno));
        return 2;
    }
    lua_pushvalue(L, 2);
    w->header_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    w->ncols = lua_rawlen(L, 2);
    for (size_t i = 1; i <= w->ncols; i++) {
        lua_rawgeti(L, 2, (lua_Integer)i);
        if (i > 1)
            fputc(',', w->f);
        write_field(w->f, L, lua_gettop(L));
        lua_pop(L, 1);
    }
    fputc('\n', w->f);
    return 1;
}

/* w:write(row): row keyed by header names, or a list in header order */
static int writer_write(lua_State *L)
{
    lwriter_t *w = check_writer(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (!w->f)
        return luaL_error(L, "dcx.csv: writer is closed");
    lua_rawgeti(L, LUA_REGISTRYINDEX, w->header_ref);
    int h = lua_gettop(L);
    int list = lua_rawlen(L, 2) > 0;
    for (size_t i = 1; i <= w->ncols; i++) {
        if (list)
            lua_rawgeti(L, 2, (lua_Integer)i);
        else {
            lua_rawgeti(L, h, (lua_Integer)i);
            lua_rawget(L, 2);
        }
        if (i > 1)
            fputc(',', w->f);
        write_field(w->f, L, lua_gettop(L));
        lua_pop(L, 1);
    }
    fputc('\n', w->f);
    lua_pop(L, 1);
    return 0;
}

static int writer_close(lua_State *L)
{
    lwriter_t *w = check_writer(L, 1);
    if (!w->f)
        return 0;
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
    static const luaL_Reg f[] = {{"open", reader_open}, {"rows", csv_rows},
                                 {"writer", writer_open}, {NULL, NULL}};
    luaL_newlib(L, f);
    lua_setfield(L, -2, "csv");
}
