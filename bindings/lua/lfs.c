/* lfs.c — dcx.fs: what a script needs of the file system to find its inputs, and nothing
 * more (under --sandbox, only within the folders it may read). */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "ldcx.h"

/* The folder and the names read so far, owned by a userdata: an error frees them. */
typedef struct {
    DIR *d;
    char **names;
    size_t n, cap;
} dirbox_t;

static int dirbox_gc(lua_State *L)
{
    dirbox_t *b = lua_touserdata(L, 1);
    if (b->d)
        closedir(b->d);
    b->d = NULL;
    for (size_t i = 0; i < b->n; i++)
        free(b->names[i]);
    free(b->names);
    b->names = NULL;
    b->n = b->cap = 0;
    return 0;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dcx.fs.list(dir [, pattern]): the names in dir (not "." or ".."; names starting with '.'
 * only when the pattern starts with '.'), matching the shell pattern (default "*"), sorted
 * byte by byte; nil and a message when dir cannot be read. */
static int fs_list(lua_State *L)
{
    const char *dir = luaL_checkstring(L, 1);
    const char *pattern = luaL_optstring(L, 2, "*");
    ldcx_sandbox_check_list(L, "dcx.fs.list", dir);
    dirbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    luaL_setmetatable(L, "dcx.dirbox");
    if (!(b->d = opendir(dir))) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: cannot list: %s", dir, strerror(errno));
        return 2;
    }
    struct dirent *e;
    errno = 0;
    while ((e = readdir(b->d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")
            || fnmatch(pattern, e->d_name, FNM_PERIOD) != 0)
            continue;
        if (b->n == b->cap) {
            size_t cap = b->cap ? 2 * b->cap : 64;
            char **v = realloc(b->names, cap * sizeof *v);
            if (!v)
                return ldcx_raise_nomem(L, "dcx.fs.list");
            b->names = v;
            b->cap = cap;
        }
        if (!(b->names[b->n] = strdup(e->d_name)))
            return ldcx_raise_nomem(L, "dcx.fs.list");
        b->n++;
        errno = 0;
    }
    if (errno != 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: cannot list: %s", dir, strerror(errno));
        return 2;
    }
    closedir(b->d);
    b->d = NULL;
    if (b->n)
        qsort(b->names, b->n, sizeof *b->names, by_bytes);
    lua_createtable(L, b->n < 1u << 30 ? (int)b->n : 0, 0);
    for (size_t i = 0; i < b->n; i++) {
        lua_pushstring(L, b->names[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

void ldcx_open_fs(lua_State *L)
{
    if (luaL_newmetatable(L, "dcx.dirbox")) {
        lua_pushcfunction(L, dirbox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    static const luaL_Reg f[] = {{"list", fs_list}, {NULL, NULL}};
    luaL_newlib(L, f);
    lua_setfield(L, -2, "fs");
}
