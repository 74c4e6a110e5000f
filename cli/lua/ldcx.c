/* ldcx.c — the `dcx` Lua module: commands, dcx.stats, dcx.csv, dcx.json. Built into the
 * dcx binary (dcx run) and as build/dcx.so for `require "dcx"` in lua5.4. */
#include "ldcx.h"

static char sandbox_key;

int ldcx_sandboxed(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sandbox_key);
    int on = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return on;
}

void ldcx_set_sandbox(lua_State *L)
{
    lua_pushboolean(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &sandbox_key);
}

void ldcx_check_write(lua_State *L, const char *what)
{
    if (ldcx_sandboxed(L))
        luaL_error(L, "%s: file writes are not allowed in --sandbox", what);
}

int luaopen_dcx(lua_State *L)
{
    lua_newtable(L);
    lua_pushstring(L, dcx_version());
    lua_setfield(L, -2, "version");
    ldcx_open_commands(L);
    ldcx_open_stats(L);
    ldcx_open_csv(L);
    ldcx_open_json(L);
    ldcx_open_plot(L);
    return 1;
}
