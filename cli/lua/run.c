/* run.c — `dcx run`: Lua 5.4 with the dcx module preloaded, as lua(1) runs scripts:
 * the script's arguments in `arg` and as `...`, errors with file:line and a traceback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#include "cli.h"
#include "ldcx.h"

void ldcx_set_sandbox(lua_State *L);

typedef struct {
    size_t used, limit; /* bytes; limit 0 = none */
} memcap_t;

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    memcap_t *m = ud;
    if (!ptr)
        osize = 0;
    if (nsize == 0) {
        free(ptr);
        m->used -= osize;
        return NULL;
    }
    if (m->limit && nsize > osize && m->used + (nsize - osize) > m->limit)
        return NULL; /* Lua raises "not enough memory" */
    void *p = realloc(ptr, nsize);
    if (p)
        m->used = m->used - osize + nsize;
    return p;
}

/* lua.c's message handler: the message with a traceback */
static int msghandler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static void sandbox(lua_State *L)
{
    static const char *const drop[] = {"io", "os", "debug", NULL};
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "loaded");
    for (int i = 0; drop[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, drop[i]);
        lua_pushnil(L);
        lua_setfield(L, -2, drop[i]);
    }
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_setfield(L, -2, "loadlib");
    lua_pushstring(L, "");
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
    ldcx_set_sandbox(L);
}

static int usage(FILE *f)
{
    fprintf(f, "usage: dcx run [--sandbox] [--lua-mem MB] SCRIPT.lua [ARGS...]\n"
               "       dcx run [--sandbox] [--lua-mem MB] -e 'CHUNK' [ARGS...]\n\n"
               "Runs Lua 5.4 with the dcx module preloaded (the global `dcx`, or require \"dcx\").\n"
               "The arguments are in the table `arg` (arg[0] is the script) and in `...`.\n\n"
               "options:\n"
               "  --sandbox      no io, os or debug libraries, no C modules, no file writes\n"
               "                 through dcx\n"
               "  --lua-mem MB   cap the memory the script may use\n"
               "  -e CHUNK       run CHUNK instead of a script file\n");
    return f == stdout ? 0 : 2;
}

int cli_run(int argc, char **argv)
{
    int sandboxed = 0, i = 1;
    double mem_mb = 0;
    const char *chunk = NULL, *script = NULL;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return usage(stdout);
        if (!strcmp(argv[i], "--sandbox")) {
            sandboxed = 1;
        } else if (!strcmp(argv[i], "--lua-mem")) {
            char *end;
            if (i + 1 >= argc || (mem_mb = strtod(argv[i + 1], &end)) <= 0 || *end) {
                fprintf(stderr, "dcx: run: --lua-mem needs a size in MB\n");
                return 2;
            }
            i++;
        } else if (!strcmp(argv[i], "-e")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dcx: run: -e needs a chunk of Lua\n");
                return 2;
            }
            chunk = argv[++i];
            i++;
            break;
        } else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (!strncmp(argv[i], "--", 2)) {
            fprintf(stderr, "dcx: unknown option '%s' for 'run'; see 'dcx run --help'\n", argv[i]);
            return 2;
        } else {
            break;
        }
    }
    if (!chunk) {
        if (i >= argc)
            return usage(stderr);
        script = argv[i++];
    }
    memcap_t cap = {0, (size_t)(mem_mb * 1048576.0)};
    lua_State *L = lua_newstate(capped_alloc, &cap);
    if (!L) {
        fprintf(stderr, "dcx: run: cannot create a Lua state\n");
        return 1;
    }
    luaL_openlibs(L);
    if (sandboxed)
        sandbox(L);
    /* the dcx module: preloaded, and already in the global `dcx` */
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_dcx);
    lua_setfield(L, -2, "dcx");
    lua_pop(L, 1);
    luaL_requiref(L, "dcx", luaopen_dcx, 1);
    lua_pop(L, 1);
    /* arg, as lua(1) builds it */
    lua_createtable(L, argc - i, 1);
    lua_pushstring(L, script ? script : "-e");
    lua_rawseti(L, -2, 0);
    for (int k = i; k < argc; k++) {
        lua_pushstring(L, argv[k]);
        lua_rawseti(L, -2, k - i + 1);
    }
    lua_setglobal(L, "arg");
    lua_pushcfunction(L, msghandler);
    int status = chunk ? luaL_loadbuffer(L, chunk, strlen(chunk), "=(command line)")
                       : luaL_loadfile(L, script);
    int rc = 0;
    if (status == LUA_OK) {
        for (int k = i; k < argc; k++)
            lua_pushstring(L, argv[k]);
        status = lua_pcall(L, argc - i, 0, 1);
    }
    if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "dcx: %s\n", msg ? msg : "(error object is not a string)");
        rc = 1;
    }
    fflush(stdout);
    lua_close(L);
    return rc;
}
