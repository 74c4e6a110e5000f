/* ldcx.c — the `dcx` Lua module: commands, dcx.stats, dcx.csv, dcx.json. Built into the
 * dcx binary (dcx run) and as build/dcx.so for `require "dcx"` in lua5.4. */
#include <stdlib.h>

#include "ldcx.h"

int luaopen_dcx(lua_State *L)
{
    dcx_set_temp_dir(getenv("TMPDIR"));
    lua_newtable(L);
    lua_pushstring(L, dcx_version());
    lua_setfield(L, -2, "version");
    ldcx_open_commands(L);
    ldcx_open_stats(L);
    ldcx_open_csv(L);
    ldcx_open_json(L);
    return 1;
}
