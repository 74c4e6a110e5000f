/* ldcx.c — the `dcx` Lua module: commands, dcx.stats, dcx.csv, dcx.json, dcx.fs. Built into the
 * dcx binary (dcx run) and as build/dcx.so for `require "dcx"` in lua5.4. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldcx.h"

/* The installed assessments, for the module loaded by a stock interpreter: `make install`
 * puts it in PREFIX/lib/lua/5.4/dcx.so and the models in PREFIX/share/dcx/assessments. (In
 * dcx run, the binary has set the folder already.) */
static const char module_anchor; /* an address inside this module, for dladdr */

static void set_assessment_dir(void)
{
    Dl_info info;
    char path[PATH_MAX], dir[PATH_MAX + 32];
    if (dcx_assessment_dir() || !dladdr(&module_anchor, &info) || !info.dli_fname
        || !realpath(info.dli_fname, path))
        return;
    char *slash = strrchr(path, '/');
    static const char tail[] = "/lib/lua/5.4";
    size_t t = sizeof tail - 1;
    if (!slash || (size_t)(slash - path) < t || strncmp(slash - t, tail, t))
        return;
    slash[-(long)t] = '\0';
    snprintf(dir, sizeof dir, "%s/share/dcx/assessments", path);
    dcx_set_assessment_dir(dir);
}

int luaopen_dcx(lua_State *L)
{
    dcx_set_temp_dir(getenv("TMPDIR"));
    set_assessment_dir();
    lua_newtable(L);
    lua_pushstring(L, dcx_version());
    lua_setfield(L, -2, "version");
    ldcx_open_commands(L);
    ldcx_open_stats(L);
    ldcx_open_csv(L);
    ldcx_open_json(L);
    ldcx_open_fs(L);
    return 1;
}
