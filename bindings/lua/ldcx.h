/* ldcx.h — the dcx Lua module: shared pieces of the binding. */
#ifndef DCX_LDCX_H
#define DCX_LDCX_H

#include <lauxlib.h>
#include <lua.h>

#include "dcx/dcx.h"
#include "sandbox.h"

struct cJSON;

/* luaopen_dcx() : the module table (also the entry point of build/dcx.so). */
/* the one symbol the module exports: everything else is built with hidden visibility */
DCX_API int luaopen_dcx(lua_State *L);

/* Pushes a cJSON value as Lua (objects and arrays as tables, null as dcx.json.null). */
void ldcx_push_json(lua_State *L, const struct cJSON *v);

/* Converts the Lua value at idx to a new cJSON tree (caller deletes); raises on values
 * JSON cannot hold. */
struct cJSON *ldcx_to_json(lua_State *L, int idx);

/* Pushes the dcx.json.null sentinel. */
void ldcx_push_null(lua_State *L);

/* Registers the command functions (dcx.power, dcx.maturity.score, ...) into the table
 * at the top of the stack. */
void ldcx_open_commands(lua_State *L);
void ldcx_open_stats(lua_State *L);
void ldcx_open_csv(lua_State *L);
void ldcx_open_json(lua_State *L);

#endif
