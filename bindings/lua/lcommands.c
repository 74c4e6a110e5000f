/* lcommands.c — one Lua function per dcx command, driven by the command registry: the
 * options table fills the same options struct the CLI flags fill, the same library call
 * runs, and its result document becomes the returned table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ldcx.h"

/* The options struct lives in a userdata so that a Lua error while reading the table
 * (a bad option, out of memory) still frees it. */
typedef struct {
    const dcx_command_t *cmd;
    void *opts;
    cJSON *doc;
    char *buf;
} obox_t;

static int obox_gc(lua_State *L)
{
    obox_t *b = lua_touserdata(L, 1);
    if (b->opts)
        dcx_command_free_opts(b->cmd, b->opts);
    b->opts = NULL;
    cJSON_Delete(b->doc);
    b->doc = NULL;
    free(b->buf);
    b->buf = NULL;
    return 0;
}

/* "dcx.maturity.score" for messages */
static const char *fname(const dcx_command_t *cmd, char *buf, size_t len)
{
    snprintf(buf, len, "dcx.%s", cmd->name);
    for (char *p = buf; *p; p++)
        if (*p == ' ')
            *p = '.';
    return buf;
}

/* The text of a list item at idx (a number as its shortest exact text); pushes it. */
static const char *list_item(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TNUMBER && !lua_isinteger(L, idx)) {
        char buf[40];
        snprintf(buf, sizeof buf, "%.17g", lua_tonumber(L, idx));
        return lua_pushstring(L, buf);
    }
    lua_pushvalue(L, idx);
    return lua_tostring(L, -1);
}

static void set_option(lua_State *L, obox_t *b, const dcx_option_t *o, int vidx, const char *fn)
{
    dcx_error_t err;
    dcx_error_clear(&err);
    dcx_status_t st = DCX_OK;
    int t = lua_type(L, vidx);
    switch (o->type) {
    case DCX_OPT_NUMBER:
    case DCX_OPT_INT:
        if (t != LUA_TNUMBER)
            luaL_error(L, "%s: option '%s' must be a number, not a %s", fn, o->name,
                       lua_typename(L, t));
        st = dcx_opts_set_number(o, b->opts, lua_tonumber(L, vidx), &err);
        break;
    case DCX_OPT_FLAG:
        if (t != LUA_TBOOLEAN)
            luaL_error(L, "%s: option '%s' must be true or false", fn, o->name);
        st = dcx_opts_set_number(o, b->opts, lua_toboolean(L, vidx), &err);
        break;
    case DCX_OPT_STRING:
    case DCX_OPT_CHOICE:
        if (t != LUA_TSTRING && t != LUA_TNUMBER)
            luaL_error(L, "%s: option '%s' must be a string, not a %s", fn, o->name,
                       lua_typename(L, t));
        st = dcx_opts_set(o, b->opts, lua_tostring(L, vidx), &err);
        break;
    case DCX_OPT_LIST:
        if (t == LUA_TSTRING || t == LUA_TNUMBER) {
            st = dcx_opts_set(o, b->opts, list_item(L, vidx), &err);
            lua_pop(L, 1);
        } else if (t == LUA_TTABLE) {
            lua_Integer n = (lua_Integer)lua_rawlen(L, vidx);
            if (n > 0) {
                for (lua_Integer i = 1; i <= n && !st; i++) {
                    lua_rawgeti(L, vidx, i);
                    if (!lua_isstring(L, -1))
                        luaL_error(L, "%s: option '%s' must list strings", fn, o->name);
                    st = dcx_opts_set(o, b->opts, list_item(L, -1), &err);
                    lua_pop(L, 2);
                }
            } else {
                /* a map, {revenue = "2%", latency = 20}: NAME=VALUE items, in key order */
                lua_newtable(L);
                int keys = lua_gettop(L);
                lua_Integer nk = 0;
                lua_pushnil(L);
                while (lua_next(L, vidx)) {
                    lua_pop(L, 1);
                    if (lua_type(L, -1) != LUA_TSTRING)
                        luaL_error(L, "%s: option '%s' takes a list, or a table of NAME = VALUE",
                                   fn, o->name);
                    lua_pushvalue(L, -1);
                    lua_rawseti(L, keys, ++nk);
                }
                lua_getglobal(L, "table");
                lua_getfield(L, -1, "sort");
                lua_remove(L, -2);
                if (lua_isfunction(L, -1)) {
                    lua_pushvalue(L, keys);
                    lua_call(L, 1, 0);
                } else {
                    lua_pop(L, 1);
                }
                for (lua_Integer i = 1; i <= nk && !st; i++) {
                    lua_rawgeti(L, keys, i);
                    lua_pushvalue(L, -1);
                    lua_rawget(L, vidx);
                    if (!lua_isstring(L, -1))
                        luaL_error(L, "%s: option '%s': the value of '%s' must be a string or a number",
                                   fn, o->name, lua_tostring(L, -2));
                    const char *key = lua_tostring(L, -2), *val = list_item(L, -1);
                    const char *item = lua_pushfstring(L, "%s=%s", key, val);
                    st = dcx_opts_set(o, b->opts, item, &err);
                    lua_pop(L, 4);
                }
                lua_pop(L, 1);
            }
        } else {
            luaL_error(L, "%s: option '%s' must be a string or a list of strings", fn, o->name);
        }
        break;
    case DCX_OPT_NUMBERS:
        if (t == LUA_TNUMBER) {
            st = dcx_opts_set_number(o, b->opts, lua_tonumber(L, vidx), &err);
        } else if (t == LUA_TSTRING) {
            st = dcx_opts_set(o, b->opts, lua_tostring(L, vidx), &err);
        } else if (t == LUA_TTABLE) {
            lua_Integer n = (lua_Integer)lua_rawlen(L, vidx);
            for (lua_Integer i = 1; i <= n && !st; i++) {
                lua_rawgeti(L, vidx, i);
                if (lua_type(L, -1) != LUA_TNUMBER)
                    luaL_error(L, "%s: option '%s' must list numbers", fn, o->name);
                st = dcx_opts_set_number(o, b->opts, lua_tonumber(L, -1), &err);
                lua_pop(L, 1);
            }
        } else {
            luaL_error(L, "%s: option '%s' must be a list of numbers", fn, o->name);
        }
        break;
    case DCX_OPT_JSON: /* a file's name, or the document itself as a table */
        if (t == LUA_TSTRING)
            st = dcx_opts_set(o, b->opts, lua_tostring(L, vidx), &err);
        else if (t == LUA_TTABLE)
            st = dcx_opts_set_doc(o, b->opts, ldcx_to_json(L, vidx), &err);
        else
            luaL_error(L, "%s: option '%s' must be a file name or a table, not a %s", fn, o->name,
                       lua_typename(L, t));
        break;
    case DCX_OPT_DOC: /* a result table, as a command returned it */
        if (t != LUA_TTABLE)
            luaL_error(L, "%s: option '%s' must be a table, not a %s", fn, o->name, lua_typename(L, t));
        st = dcx_opts_set_doc(o, b->opts, ldcx_to_json(L, vidx), &err);
        break;
    }
    if (st)
        luaL_error(L, "%s: %s", fn, err.message);
}

static int push_failure(lua_State *L, const dcx_error_t *err, const char *fn)
{
    char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
    if (err->code == DCX_ENOMEM) /* the script's memory is gone: end it, clearly */
        return ldcx_raise_nomem(L, fn);
    lua_pushnil(L);
    lua_pushstring(L, dcx_error_format(err, buf, sizeof buf));
    return 2;
}

static int call_command(lua_State *L)
{
    const dcx_command_t *cmd = lua_touserdata(L, lua_upvalueindex(1));
    char fn[64];
    fname(cmd, fn, sizeof fn);
    if (lua_isnoneornil(L, 1))
        lua_newtable(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    obox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    b->cmd = cmd;
    luaL_setmetatable(L, "dcx.opts");
    dcx_error_t err;
    dcx_error_clear(&err);
    if (!(b->opts = dcx_command_new_opts(cmd, &err)))
        return luaL_error(L, "%s: %s", fn, err.message);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            return luaL_error(L, "%s: option names are strings (long flag names, '-' as '_')", fn);
        const char *key = lua_tostring(L, -2);
        const dcx_option_t *o = dcx_opts_find(cmd->options, key);
        if (!o || (o->flags & DCX_OPTF_OUTPUT))
            return luaL_error(L, "%s: unknown option '%s'%s", fn, key,
                              o ? " (write the returned table yourself, e.g. with dcx.json.encode)"
                                : "");
        if (o->flags & DCX_OPTF_WRITES) {
            char what[96];
            snprintf(what, sizeof what, "%s: the '%s' option", fn, o->name);
            ldcx_sandbox_check_write(L, what);
        }
        set_option(L, b, o, lua_gettop(L), fn);
        lua_pop(L, 1);
    }
    dcx_common_opts_t *common = b->opts;
    const char *gp = getenv("DCX_GNUPLOT");
    if (!common->gnuplot && gp && *gp && !(common->gnuplot = strdup(gp)))
        return luaL_error(L, "%s: out of memory", fn);
    dcx_status_t st;
    if (cmd->write) { /* plot, report: a file of its own; true, or nil and the message */
        st = cmd->write(b->opts, &err);
        if (st == DCX_EINVAL)
            return luaL_error(L, "%s: %s", fn, err.message);
        if (st)
            return push_failure(L, &err, fn);
        lua_pushboolean(L, 1);
        return 1;
    }
    if (cmd->run) {
        st = dcx_command_run(cmd, b->opts, &b->doc, &err);
        if (st == DCX_EINVAL)
            return luaL_error(L, "%s: %s", fn, err.message);
        if (!b->doc)
            return push_failure(L, &err, fn);
        ldcx_push_json(L, b->doc);
        if (st) { /* a complete result with a failure to report (a tripped gate, invalid) */
            char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
            lua_pushstring(L, dcx_error_format(&err, buf, sizeof buf));
            return 2;
        }
        return 1;
    }
    /* stream commands: those whose json is a document (assign) return it as a table; others
     * return their text */
    int as_json = (cmd->flags & DCX_CMD_JSON_STREAM) != 0;
    if (as_json) {
        int explicit_format = lua_getfield(L, 1, "format") != LUA_TNIL;
        lua_pop(L, 1);
        if (explicit_format && strcmp(common->format, "json")) {
            as_json = 0; /* format = "csv" asked for: return the text */
        } else {
            free(common->format);
            if (!(common->format = strdup("json")))
                return luaL_error(L, "%s: out of memory", fn);
        }
    }
    size_t size = 0;
    FILE *mem = open_memstream(&b->buf, &size);
    if (!mem)
        return luaL_error(L, "%s: out of memory", fn);
    dcx_strlist_t warnings = {0};
    st = cmd->stream(b->opts, mem, &warnings, &err);
    fclose(mem);
    dcx_strlist_free(&warnings);
    if (st == DCX_EINVAL)
        return luaL_error(L, "%s: %s", fn, err.message);
    if (st)
        return push_failure(L, &err, fn);
    if (as_json) {
        if (!(b->doc = cJSON_ParseWithLength(b->buf, size)))
            return luaL_error(L, "%s: internal error reading the result", fn);
        ldcx_push_json(L, b->doc);
    } else {
        lua_pushlstring(L, b->buf, size);
    }
    return 1;
}

void ldcx_open_commands(lua_State *L)
{
    if (luaL_newmetatable(L, "dcx.opts")) {
        lua_pushcfunction(L, obox_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, obox_gc);
        lua_setfield(L, -2, "__close");
    }
    lua_pop(L, 1);
    for (const dcx_command_t *const *c = dcx_command_list(); *c; c++) {
        const char *name = (*c)->name, *space = strchr(name, ' ');
        if (space) { /* "maturity score" -> dcx.maturity.score */
            char group[64];
            snprintf(group, sizeof group, "%.*s", (int)(space - name), name);
            if (lua_getfield(L, -1, group) != LUA_TTABLE) {
                lua_pop(L, 1);
                lua_newtable(L);
                lua_pushvalue(L, -1);
                lua_setfield(L, -3, group);
            }
            lua_pushlightuserdata(L, (void *)*c);
            lua_pushcclosure(L, call_command, 1);
            lua_setfield(L, -2, space + 1);
            lua_pop(L, 1);
        } else {
            lua_pushlightuserdata(L, (void *)*c);
            lua_pushcclosure(L, call_command, 1);
            lua_setfield(L, -2, name);
        }
    }
}
