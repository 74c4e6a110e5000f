/* sandbox.c — what a script under `dcx run --sandbox` may do, decided here and nowhere
 * else. Rather than removing dangerous pieces from a full state (and missing a copy kept
 * somewhere), the sandboxed state is built from the safe libraries only. */
#include "sandbox.h"

#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "ldcx.h"

int ldcx_sandboxed(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, LDCX_SANDBOX_KEY);
    int on = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return on;
}

void ldcx_sandbox_check_write(lua_State *L, const char *what)
{
    if (ldcx_sandboxed(L))
        luaL_error(L, "%s: file writes are not allowed in --sandbox", what);
}

void ldcx_set_memlimit(lua_State *L, double mb)
{
    lua_pushnumber(L, mb);
    lua_setfield(L, LUA_REGISTRYINDEX, LDCX_MEMLIMIT_KEY);
}

int ldcx_raise_nomem(lua_State *L, const char *what)
{
    lua_getfield(L, LUA_REGISTRYINDEX, LDCX_MEMLIMIT_KEY);
    int limited = lua_type(L, -1) == LUA_TNUMBER;
    char mb[32];
    snprintf(mb, sizeof mb, "%g", limited ? lua_tonumber(L, -1) : 0.0);
    lua_pop(L, 1);
    const char *tail = strstr(what, "out of memory") ? "" : ": out of memory";
    if (limited)
        return luaL_error(L, "%s%s (the script's limit is --lua-mem %s MB)", what, tail, mb);
    return luaL_error(L, "%s%s", what, tail);
}

/* load(chunk [, chunkname [, mode [, env]]]) with the mode forced to text: Lua does not
 * verify bytecode, so a crafted binary chunk could crash the process. */
static int safe_load(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checkany(L, 1);
    if (n < 3)
        lua_settop(L, 3); /* a nil chunk name keeps load's default */
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    /* an environment is passed on only when given: an explicit nil is an empty _ENV */
    int nargs = n < 3 ? 3 : n;
    lua_pushvalue(L, lua_upvalueindex(1)); /* the original load */
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L);
}

/* require(name): the preloaded dcx module, or one of the libraries already open. No
 * file is ever searched for. */
static int safe_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    static const char *const allowed[] = {"dcx",  "_G",  "coroutine", "table", "string",
                                          "math", "utf8", NULL};
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(name, allowed[i])) {
            lua_getfield(L, lua_upvalueindex(1), name);
            if (!lua_isnil(L, -1))
                return 1;
            lua_pop(L, 1);
        }
    return luaL_error(L, "module '%s' is not available in --sandbox (only 'dcx' and the "
                         "standard string, table, math, utf8 and coroutine libraries are)",
                      name);
}

int ldcx_sandbox_open(lua_State *L)
{
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},
                                    {LUA_COLIBNAME, luaopen_coroutine},
                                    {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8},
                                    {NULL, NULL}};
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, LDCX_SANDBOX_KEY);
    /* the modules a script may require, kept out of its reach */
    lua_newtable(L);
    int mods = lua_gettop(L);
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_setfield(L, mods, lib->name);
    }
    lua_pushnil(L);
    lua_setglobal(L, "dofile");
    lua_pushnil(L);
    lua_setglobal(L, "loadfile");
    lua_getglobal(L, "load");
    lua_pushcclosure(L, safe_load, 1);
    lua_setglobal(L, "load");
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    /* dcx itself */
    luaL_requiref(L, "dcx", luaopen_dcx, 1);
    lua_setfield(L, mods, "dcx");
    lua_pushvalue(L, mods);
    lua_pushcclosure(L, safe_require, 1);
    lua_setglobal(L, "require");
    /* `package` holds only what was loaded: no loadlib, no searchers, no paths */
    lua_newtable(L);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, mods)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_setfield(L, -2, "loaded");
    lua_setglobal(L, "package");
    lua_pop(L, 1);
    return 0;
}
