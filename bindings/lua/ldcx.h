/* ldcx.h — the dcx Lua module: shared pieces of the binding. */
#ifndef DCX_LDCX_H
#define DCX_LDCX_H

#include <lauxlib.h>
#include <lua.h>

#include "dcx/dcx.h"
#include "dcx/rows.h"
#include "sandbox.h"

struct cJSON;

/* luaopen_dcx() : the module table (also the entry point of build/dcx.so). */
/* the one symbol the module exports: everything else is built with hidden visibility */
DCX_API int luaopen_dcx(lua_State *L);

/* Pushes a cJSON value as Lua (objects and arrays as tables, null as dcx.null). */
void ldcx_push_json(lua_State *L, const struct cJSON *v);

/* ldcx_push_json() with nulls_nil: null members of objects are left out, null items of
 * arrays are holes, a null value is nil. */
void ldcx_push_json_as(lua_State *L, const struct cJSON *v, int nulls_nil);

/* The `nulls` setting at idx: nil or "null" (0: dcx.null), "nil" (1); raises otherwise. */
int ldcx_nulls_option(lua_State *L, int idx, const char *fn);

/* Whether the value at idx is dcx.null. */
int ldcx_isnull(lua_State *L, int idx);

/* Converts the Lua value at idx to a new cJSON tree (caller deletes); raises on values
 * JSON cannot hold. */
struct cJSON *ldcx_to_json(lua_State *L, int idx);

/* Pushes the dcx.json.null sentinel. */
void ldcx_push_null(lua_State *L);

/* Pushes msg with every "--NAME" that names an option of table written as Lua spells it
 * (NAME, '-' as '_'): messages raised into Lua use the names a script wrote. */
void ldcx_push_lua_message(lua_State *L, const char *msg, const dcx_option_t *table);

/* ldcx_check_rows() : the unit rows of the Lua table at idx (a list of row tables, or a
 * table of column lists) as a new table the caller owns; raises on anything else. */
dcx_rows_t *ldcx_check_rows(lua_State *L, int idx, const char *fn);

/* Registers the command functions (dcx.power, dcx.maturity.score, ...) into the table
 * at the top of the stack. */
void ldcx_open_commands(lua_State *L);
void ldcx_open_stats(lua_State *L);
void ldcx_open_csv(lua_State *L);
void ldcx_open_json(lua_State *L);
void ldcx_open_fs(lua_State *L);

#endif
