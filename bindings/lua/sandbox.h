/* sandbox.h — the policy for scripts run with `dcx run --sandbox`, in one place.
 *
 * The runner (run.c) builds a restricted state with ldcx_sandbox_open() and records the
 * limits; every binding that could write a file asks ldcx_sandbox_check_write(). The
 * flag lives in the registry under a fixed string key, so every copy of the module in a
 * process (the one built into dcx, or a dcx.so loaded some other way) sees it. */
#ifndef DCX_LUA_SANDBOX_H
#define DCX_LUA_SANDBOX_H

#include <lua.h>

/* Registry keys (strings, not addresses of statics: see above). */
#define LDCX_SANDBOX_KEY "dcx.sandbox"   /* true under --sandbox */
#define LDCX_MEMLIMIT_KEY "dcx.lua_mem"  /* the --lua-mem value in MB, when given */

/* ldcx_sandbox_open() : a lua_CFunction, called in protected mode on a fresh state:
 * opens only base (without dofile and loadfile, with a text-only load), coroutine,
 * table, string (without string.dump), math and utf8; installs a require that knows
 * only the preloaded dcx module and these libraries (nothing is searched for, whatever
 * package.path or package.cpath say; package.loadlib does not exist); sets the flag. */
int ldcx_sandbox_open(lua_State *L);

/* ldcx_sandboxed() : non-zero when the state runs under --sandbox. */
int ldcx_sandboxed(lua_State *L);

/* ldcx_sandbox_check_write() : raises "WHAT: file writes are not allowed in --sandbox"
 * when sandboxed; returns otherwise. */
void ldcx_sandbox_check_write(lua_State *L, const char *what);

/* ldcx_set_memlimit() : records the --lua-mem limit (MB) for error messages. */
void ldcx_set_memlimit(lua_State *L, double mb);

/* ldcx_raise_nomem() : raises "WHAT: out of memory", naming the --lua-mem limit when one
 * is set. Library calls that run out of memory end the script this way. */
int ldcx_raise_nomem(lua_State *L, const char *what);

#endif
