/* ljson.c — dcx.json: encode and decode through cJSON, and the conversion of result
 * documents to Lua tables. JSON null is the light userdata dcx.null (also dcx.json.null),
 * or, when asked with nulls = "nil", a member left out; dcx.isnull() tells either. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ldcx.h"

static char null_key;

void ldcx_push_null(lua_State *L) { lua_pushlightuserdata(L, &null_key); }

static void push_number(lua_State *L, double d)
{
    if (d == floor(d) && fabs(d) < 9007199254740992.0)
        lua_pushinteger(L, (lua_Integer)d);
    else
        lua_pushnumber(L, d);
}

int ldcx_isnull(lua_State *L, int idx)
{
    return lua_touserdata(L, idx) == &null_key && lua_type(L, idx) == LUA_TLIGHTUSERDATA;
}

int ldcx_nulls_option(lua_State *L, int idx, const char *fn)
{
    if (lua_isnoneornil(L, idx))
        return 0;
    const char *mode = lua_tostring(L, idx);
    if (lua_type(L, idx) != LUA_TSTRING || (strcmp(mode, "nil") && strcmp(mode, "null")))
        return luaL_error(L, "%s: nulls must be \"nil\" (leave null members out) or \"null\" "
                             "(dcx.null, the default)",
                          fn);
    return !strcmp(mode, "nil");
}

void ldcx_push_json_as(lua_State *L, const cJSON *v, int nulls_nil)
{
    luaL_checkstack(L, 4, "JSON nested too deeply");
    if (cJSON_IsNull(v) && nulls_nil) {
        lua_pushnil(L);
    } else if (cJSON_IsNumber(v)) {
        push_number(L, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        lua_pushstring(L, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        lua_pushboolean(L, cJSON_IsTrue(v));
    } else if (cJSON_IsArray(v)) {
        lua_createtable(L, cJSON_GetArraySize(v), 0);
        lua_Integer i = 1;
        const cJSON *c;
        cJSON_ArrayForEach(c, v)
        {
            ldcx_push_json_as(L, c, nulls_nil);
            lua_rawseti(L, -2, i++); /* (a nil leaves a hole: positions stay) */
        }
    } else if (cJSON_IsObject(v)) {
        lua_createtable(L, 0, cJSON_GetArraySize(v));
        const cJSON *c;
        cJSON_ArrayForEach(c, v)
        {
            if (nulls_nil && cJSON_IsNull(c))
                continue;
            ldcx_push_json_as(L, c, nulls_nil);
            lua_setfield(L, -2, c->string);
        }
    } else {
        ldcx_push_null(L);
    }
}

void ldcx_push_json(lua_State *L, const cJSON *v) { ldcx_push_json_as(L, v, 0); }

/* A cJSON tree under construction, owned by a userdata so that a Lua error while
 * converting (bad value, out of memory) frees it. */
typedef struct {
    cJSON *root;
} jbox_t;

static int jbox_gc(lua_State *L)
{
    jbox_t *b = lua_touserdata(L, 1);
    cJSON_Delete(b->root);
    b->root = NULL;
    return 0;
}

static int is_array(lua_State *L, int idx, lua_Integer *n)
{
    lua_Integer count = 0, max = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1) {
            lua_pop(L, 1);
            return 0;
        }
        lua_Integer k = lua_tointeger(L, -1);
        if (k > max)
            max = k;
        count++;
    }
    *n = count;
    return count == max;
}

#define JSON_MAX_DEPTH 1000

/* A string for JSON: cJSON keeps C strings, so a NUL byte inside would cut it short. */
static const char *json_text(lua_State *L, int idx, const char *what)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (memchr(s, '\0', len))
        luaL_error(L, "dcx.json.encode: %s holds a NUL byte, which dcx does not write", what);
    return s;
}

/* Object keys in byte order, so that output is the same from run to run. */
typedef struct {
    const char *s;
    size_t len;
} jkey_t;

static int cmp_key(const void *a, const void *b)
{
    const jkey_t *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Converts the value at idx. `seen` is the index of a table of the tables being
 * converted (a table met again below itself is a cycle). */
static cJSON *convert(lua_State *L, int idx, int depth, int seen)
{
    if (depth > JSON_MAX_DEPTH)
        luaL_error(L, "dcx.json.encode: nested deeper than %d levels", JSON_MAX_DEPTH);
    luaL_checkstack(L, 8, "dcx.json.encode: nested too deeply");
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return cJSON_CreateNull();
    case LUA_TBOOLEAN:
        return cJSON_CreateBool(lua_toboolean(L, idx));
    case LUA_TNUMBER: {
        double d = lua_tonumber(L, idx);
        if (!isfinite(d))
            luaL_error(L, "dcx.json.encode: %s cannot be written as JSON",
                       isnan(d) ? "nan" : d > 0 ? "inf" : "-inf");
        return cJSON_CreateNumber(d);
    }
    case LUA_TSTRING:
        return cJSON_CreateString(json_text(L, idx, "a string"));
    case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == &null_key)
            return cJSON_CreateNull();
        break;
    case LUA_TTABLE: {
        lua_pushvalue(L, idx);
        if (lua_rawget(L, seen) != LUA_TNIL)
            luaL_error(L, "dcx.json.encode: a table contains itself (a cycle cannot be "
                          "written as JSON)");
        lua_pop(L, 1);
        lua_pushvalue(L, idx);
        lua_pushboolean(L, 1);
        lua_rawset(L, seen);
        lua_Integer n;
        cJSON *out;
        if (is_array(L, idx, &n) && (n > 0 || lua_rawlen(L, idx) == 0)) {
            cJSON *a = cJSON_CreateArray();
            if (!a)
                luaL_error(L, "dcx.json.encode: out of memory");
            /* park it in a box so an error below frees it */
            jbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
            b->root = a;
            luaL_setmetatable(L, "dcx.jbox");
            for (lua_Integer i = 1; i <= n; i++) {
                lua_rawgeti(L, idx, i);
                cJSON *item = convert(L, -1, depth + 1, seen);
                if (!item || !cJSON_AddItemToArray(a, item)) {
                    cJSON_Delete(item);
                    luaL_error(L, "dcx.json.encode: out of memory");
                }
                lua_pop(L, 1);
            }
            b->root = NULL;
            lua_pop(L, 1);
            out = a;
        } else {
            cJSON *o = cJSON_CreateObject();
            if (!o)
                luaL_error(L, "dcx.json.encode: out of memory");
            jbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
            b->root = o;
            luaL_setmetatable(L, "dcx.jbox");
            size_t nkeys = 0;
            lua_pushnil(L);
            while (lua_next(L, idx)) {
                lua_pop(L, 1);
                if (lua_type(L, -1) != LUA_TSTRING)
                    luaL_error(L, "dcx.json.encode: object keys must be strings (a table "
                                  "mixes list and object keys)");
                nkeys++;
            }
            /* the key strings stay alive: the table holds them */
            jkey_t *keys = lua_newuserdatauv(L, (nkeys ? nkeys : 1) * sizeof *keys, 0);
            size_t k = 0;
            lua_pushnil(L);
            while (lua_next(L, idx) && k < nkeys) {
                lua_pop(L, 1);
                keys[k].s = lua_tolstring(L, -1, &keys[k].len);
                json_text(L, -1, "an object key");
                k++;
            }
            qsort(keys, k, sizeof *keys, cmp_key);
            for (size_t i = 0; i < k; i++) {
                lua_pushlstring(L, keys[i].s, keys[i].len);
                lua_rawget(L, idx);
                cJSON *item = convert(L, -1, depth + 1, seen);
                if (!item || !cJSON_AddItemToObject(o, keys[i].s, item)) {
                    cJSON_Delete(item);
                    luaL_error(L, "dcx.json.encode: out of memory");
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1); /* keys */
            b->root = NULL;
            lua_pop(L, 1);
            out = o;
        }
        lua_pushvalue(L, idx);
        lua_pushnil(L);
        lua_rawset(L, seen);
        return out;
    }
    default:
        break;
    }
    luaL_error(L, "dcx.json.encode: a %s cannot be written as JSON", luaL_typename(L, idx));
    return NULL;
}

cJSON *ldcx_to_json(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    int seen = lua_gettop(L);
    cJSON *j = convert(L, idx, 0, seen);
    lua_remove(L, seen);
    if (!j)
        luaL_error(L, "dcx.json.encode: out of memory");
    return j;
}

static int l_encode(lua_State *L)
{
    luaL_checkany(L, 1);
    cJSON *j = ldcx_to_json(L, 1);
    jbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->root = j;
    luaL_setmetatable(L, "dcx.jbox");
    char *s = dcx_view_json(j);
    if (!s)
        return luaL_error(L, "out of memory");
    size_t len = strlen(s);
    if (len && s[len - 1] == '\n')
        len--;
    lua_pushlstring(L, s, len);
    free(s);
    return 1;
}

/* dcx.json.decode(text [, {nulls = "nil"}]) */
static int l_decode(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int nulls_nil = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "nulls");
        nulls_nil = ldcx_nulls_option(L, -1, "dcx.json.decode");
        lua_pop(L, 1);
    }
    cJSON *j;
    dcx_error_t err;
    dcx_error_clear(&err);
    dcx_status_t st = dcx_json_parse(s, len, "", &j, &err);
    if (st == DCX_ENOMEM)
        return ldcx_raise_nomem(L, "dcx.json.decode");
    if (st) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s at line %d, column %d", err.message, (int)err.line, (int)err.column);
        return 2;
    }
    jbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->root = j;
    luaL_setmetatable(L, "dcx.jbox");
    ldcx_push_json_as(L, j, nulls_nil);
    return 1;
}

/* dcx.isnull(v): v is JSON null (dcx.null) or nil, whichever way the table was made */
static int l_isnull(lua_State *L)
{
    lua_pushboolean(L, lua_isnoneornil(L, 1) || ldcx_isnull(L, 1));
    return 1;
}

void ldcx_open_json(lua_State *L)
{
    if (luaL_newmetatable(L, "dcx.jbox")) {
        lua_pushcfunction(L, jbox_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, jbox_gc);
        lua_setfield(L, -2, "__close");
    }
    lua_pop(L, 1);
    static const luaL_Reg f[] = {{"encode", l_encode}, {"decode", l_decode}, {NULL, NULL}};
    luaL_newlib(L, f);
    ldcx_push_null(L);
    lua_setfield(L, -2, "null");
    lua_setfield(L, -2, "json");
    ldcx_push_null(L);
    lua_setfield(L, -2, "null");
    lua_pushcfunction(L, l_isnull);
    lua_setfield(L, -2, "isnull");
}
