/* sandbox.c — what a script under `dcx run --sandbox` may do, decided here and nowhere
 * else. Rather than removing dangerous pieces from a full state (and missing a copy kept
 * somewhere), the sandboxed state is built from the safe libraries only. Files: a script
 * reads only what it was handed (its argument files, --allow-read folders) and writes only
 * where it was allowed to (--allow-write folders); paths are compared after resolving
 * symbolic links and "..", so neither a link nor a relative path leads out. */
#include "sandbox.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

double ldcx_sandbox_limits(int sandboxed, double *mem_mb, double *cpu_s)
{
    if (sandboxed && *mem_mb == 0)
        *mem_mb = LDCX_SANDBOX_MEM_MB;
    if (sandboxed && *cpu_s == 0)
        *cpu_s = LDCX_SANDBOX_CPU_S;
    return *cpu_s > 0 ? 2 * *cpu_s : 0;
}

const char *ldcx_sandbox_folder_problem(const char *dir)
{
    struct stat sb;
    if (!*dir || stat(dir, &sb) != 0)
        return "no such folder";
    if (!S_ISDIR(sb.st_mode))
        return "not a folder";
    return NULL;
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

/* ---- paths -------------------------------------------------------------------------------- */

/* The folder part of path and its last name, into dir and base (PATH_MAX each). A last
 * name of "." or ".." names no file of its own. @return 0 or -1. */
static int split_path(const char *path, char *dir, char *base)
{
    size_t len = strlen(path);
    if (len == 0 || len >= PATH_MAX)
        return -1;
    char tmp[PATH_MAX];
    memcpy(tmp, path, len + 1);
    while (len > 1 && tmp[len - 1] == '/')
        tmp[--len] = '\0';
    char *slash = strrchr(tmp, '/');
    if (!slash) {
        strcpy(dir, ".");
        strcpy(base, tmp);
    } else {
        strcpy(base, slash + 1);
        if (slash == tmp) {
            strcpy(dir, "/");
        } else {
            *slash = '\0';
            strcpy(dir, tmp);
        }
    }
    return !*base || !strcmp(base, ".") || !strcmp(base, "..") ? -1 : 0;
}

/* path with its folder resolved (links, "..") and its own name kept, into out (PATH_MAX):
 * where a file would be created or replaced. @return 0, or -1 when the folder does not
 * resolve. */
static int resolve_in_folder(const char *path, char *out)
{
    char dir[PATH_MAX], base[PATH_MAX], real[PATH_MAX];
    if (split_path(path, dir, base) || !realpath(dir, real))
        return -1;
    int n = snprintf(out, PATH_MAX, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
    return n > 0 && n < PATH_MAX ? 0 : -1;
}

/* path fully resolved into out (PATH_MAX): the file it leads to, or, when that does not
 * exist, where it would be. @return 1 (exists), 0 (its folder resolves), -1 (neither). */
static int resolve(const char *path, char *out)
{
    if (*path && realpath(path, out))
        return 1;
    return resolve_in_folder(path, out) ? -1 : 0;
}

/* Whether path lies in folder dir (both resolved) or is dir itself. */
static int inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return path[0] == '/';
    return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

/* Pushes the policy table; returns 0 (and pushes nil) when there is none. */
static int push_policy(lua_State *L)
{
    return lua_getfield(L, LUA_REGISTRYINDEX, LDCX_POLICY_KEY) == LUA_TTABLE;
}

/* Whether a resolved path lies in one of the folders of policy[list] (policy at top). */
static int in_folders(lua_State *L, const char *list, const char *resolved)
{
    int found = 0;
    if (lua_getfield(L, -1, list) == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= n && !found; i++) {
            lua_rawgeti(L, -1, i);
            const char *dir = lua_tostring(L, -1);
            found = dir && inside(resolved, dir);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return found;
}

/* Whether path may be read (the caller restores the stack). */
static int readable(lua_State *L, const char *path)
{
    if (!push_policy(L))
        return 0;
    if (!strcmp(path, "-")) {
        /* standard input; and since some readers take "-" as a file name, a file of that
         * name, if there is one, must be readable by the rules below as well */
        lua_getfield(L, -1, "stdin");
        int std_in = lua_toboolean(L, -1);
        lua_pop(L, 1);
        struct stat sb;
        if (!std_in || lstat("-", &sb) != 0)
            return std_in;
        path = "./-";
    }
    char real[PATH_MAX];
    int r = resolve(path, real);
    if (r < 0)
        return 0;
    if (in_folders(L, "read", real))
        return 1;
    if (r == 1 && lua_getfield(L, -1, "files") == LUA_TTABLE) {
        lua_getfield(L, -1, real);
        return lua_toboolean(L, -1);
    }
    return 0;
}

void ldcx_sandbox_check_read(lua_State *L, const char *what, const char *path)
{
    if (!ldcx_sandboxed(L))
        return;
    int top = lua_gettop(L);
    int ok = readable(L, path), std_in = 0;
    lua_settop(L, top);
    if (!ok && !strcmp(path, "-") && push_policy(L)) {
        lua_getfield(L, -1, "stdin");
        std_in = lua_toboolean(L, -1);
    }
    lua_settop(L, top);
    if (std_in) /* standard input was handed over, but a file named '-' is here too */
        path = "./-";
    else if (!ok && !strcmp(path, "-"))
        luaL_error(L, "%s: standard input ('-') is not readable under --sandbox unless '-' is "
                      "one of the script's arguments",
                   what);
    if (!ok)
        luaL_error(L, "%s: '%s' is not readable under --sandbox (name the file as an argument "
                      "of the script, or allow its folder with --allow-read DIR)",
                   what, path);
}

void ldcx_sandbox_check_list(lua_State *L, const char *what, const char *dir)
{
    if (!ldcx_sandboxed(L))
        return;
    int top = lua_gettop(L);
    char real[PATH_MAX];
    int ok = push_policy(L) && *dir && realpath(dir, real) && in_folders(L, "read", real);
    lua_settop(L, top);
    if (!ok)
        luaL_error(L, "%s: folder '%s' is not readable under --sandbox (allow it with "
                      "--allow-read DIR)",
                   what, dir);
}

/* The write check; "-" is standard output only where the caller says so (dcx.csv.writer): a
 * command's output option takes it as a file name. */
static void check_write(lua_State *L, const char *what, const char *path, int dash_is_stdout)
{
    if (!ldcx_sandboxed(L) || (dash_is_stdout && !strcmp(path, "-")))
        return;
    int top = lua_gettop(L);
    char real[PATH_MAX];
    int ok = push_policy(L) && resolve_in_folder(path, real) == 0 && in_folders(L, "write", real);
    lua_settop(L, top);
    if (!ok)
        luaL_error(L, "%s: writing '%s' is not allowed under --sandbox (allow its folder with "
                      "--allow-write DIR)",
                   what, path);
}

void ldcx_sandbox_check_write(lua_State *L, const char *what, const char *path)
{
    check_write(L, what, path, 1);
}

/* Whether a resolved path is a file in the folder of installed assessments. */
static int shipped_model(const char *path)
{
    char real[PATH_MAX], dir[PATH_MAX];
    const char *installed = dcx_assessment_dir();
    return installed && realpath(installed, dir) && realpath(path, real) && inside(real, dir);
}

void ldcx_sandbox_check_options(lua_State *L, const char *fn, const dcx_option_t *table,
                                const void *opts)
{
    if (!ldcx_sandboxed(L))
        return;
    for (const dcx_option_t *o = table; o && o->name; o++) {
        if (!(o->flags & (DCX_OPTF_INPUT | DCX_OPTF_WRITES | DCX_OPTF_PROGRAM)))
            continue;
        const char *one = NULL;
        const dcx_strlist_t *many = NULL;
        if (o->type == DCX_OPT_STRING)
            one = *(char *const *)((const char *)opts + o->offset);
        else if (o->type == DCX_OPT_JSON) /* a file's name; a document given as a table reads none */
            one = ((const dcx_jsonarg_t *)((const char *)opts + o->offset))->path;
        else if (o->type == DCX_OPT_LIST)
            many = (const dcx_strlist_t *)((const char *)opts + o->offset);
        size_t n = one ? 1 : many ? many->n : 0;
        for (size_t k = 0; k < n; k++) {
            const char *value = one ? one : many->v[k];
            luaL_gsub(L, o->name, "-", "_"); /* the name as the script wrote it */
            const char *what = lua_pushfstring(L, "%s: option '%s'", fn, lua_tostring(L, -1));
            if (o->flags & DCX_OPTF_PROGRAM)
                luaL_error(L, "%s names a program to run, which is not allowed under --sandbox",
                           what);
            if (o->flags & DCX_OPTF_WRITES)
                check_write(L, what, value, 0);
            char found[2048];
            const char *shipped = o->flags & DCX_OPTF_SHIPPED
                                      ? dcx_assessment_path(value, found, sizeof found)
                                      : value;
            if (shipped != value && shipped_model(shipped))
                ; /* a model installed with dcx is no secret */
            else if (o->flags & DCX_OPTF_INPUT)
                ldcx_sandbox_check_read(L, what, value);
            lua_pop(L, 2);
        }
    }
}

/* ---- the state ---------------------------------------------------------------------------- */

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
    return luaL_error(L, "module '%s' is not available under --sandbox (only 'dcx' and the "
                         "standard string, table, math, utf8 and coroutine libraries are)",
                      name);
}

/* The stubs: a function, or any member of a library, says what it is and that the
 * sandbox leaves it out (instead of "attempt to index a nil value"). */
static int stub_call(lua_State *L)
{
    return luaL_error(L, "%s is not available under --sandbox", lua_tostring(L, lua_upvalueindex(1)));
}

static int stub_index(lua_State *L)
{
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "%s.%s is not available under --sandbox", lib, lua_tostring(L, 2));
    return luaL_error(L, "%s is not available under --sandbox", lib);
}

static void stub_library(lua_State *L, const char *name)
{
    lua_newtable(L);
    lua_createtable(L, 0, 3);
    lua_pushstring(L, name);
    lua_pushcclosure(L, stub_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushcclosure(L, stub_index, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, name);
}

static void stub_function(lua_State *L, const char *name)
{
    lua_pushstring(L, name);
    lua_pushcclosure(L, stub_call, 1);
    lua_setglobal(L, name);
}

/* Records the folders and argument files (resolved) in the registry. */
static void record_policy(lua_State *L, const ldcx_sandbox_cfg_t *cfg)
{
    char real[PATH_MAX];
    lua_createtable(L, 0, 4);
    const char *const *lists[2] = {cfg ? cfg->allow_read : NULL, cfg ? cfg->allow_write : NULL};
    size_t ns[2] = {cfg ? cfg->nread : 0, cfg ? cfg->nwrite : 0};
    const char *names[2] = {"read", "write"};
    for (int k = 0; k < 2; k++) {
        lua_createtable(L, (int)ns[k], 0);
        lua_Integer at = 0;
        for (size_t i = 0; i < ns[k]; i++)
            if (realpath(lists[k][i], real)) { /* run.c checked that each is a folder */
                lua_pushstring(L, real);
                lua_rawseti(L, -2, ++at);
            }
        lua_setfield(L, -2, names[k]);
    }
    lua_newtable(L);
    int std_in = 0;
    for (size_t i = 0; cfg && i < cfg->nargs; i++) {
        struct stat sb;
        if (!strcmp(cfg->args[i], "-"))
            std_in = 1;
        else if (realpath(cfg->args[i], real) && stat(real, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, real);
        }
    }
    lua_setfield(L, -2, "files");
    lua_pushboolean(L, std_in);
    lua_setfield(L, -2, "stdin");
    lua_setfield(L, LUA_REGISTRYINDEX, LDCX_POLICY_KEY);
}

int ldcx_sandbox_open(lua_State *L)
{
    const ldcx_sandbox_cfg_t *cfg = lua_touserdata(L, 1);
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},
                                    {LUA_COLIBNAME, luaopen_coroutine},
                                    {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8},
                                    {NULL, NULL}};
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, LDCX_SANDBOX_KEY);
    record_policy(L, cfg);
    /* the modules a script may require, kept out of its reach */
    lua_newtable(L);
    int mods = lua_gettop(L);
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_setfield(L, mods, lib->name);
    }
    stub_function(L, "dofile");
    stub_function(L, "loadfile");
    stub_library(L, "io");
    stub_library(L, "os");
    stub_library(L, "debug");
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
