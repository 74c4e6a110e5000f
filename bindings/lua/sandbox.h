/* sandbox.h — the policy for scripts run with `dcx run --sandbox`, in one place.
 *
 * The runner (run.c) parses the flags and hands them over; this module decides what they
 * mean: which libraries a script gets, which files dcx may read and write for it, which
 * options it may not give, and the limits it runs under. Every binding that touches a file
 * asks here (ldcx_sandbox_check_*) and does nothing else about it. The flag and the
 * allowed folders live in the Lua registry under fixed string keys, so every copy of the
 * module in a process (the one built into dcx, or a dcx.so loaded some other way) sees
 * them; a copy that finds the flag but no allowed folders allows nothing. */
#ifndef DCX_LUA_SANDBOX_H
#define DCX_LUA_SANDBOX_H

#include <stddef.h>

#include <lua.h>

#include "dcx/options.h"

/* Registry keys (strings, not addresses of statics: see above). */
#define LDCX_SANDBOX_KEY "dcx.sandbox"         /* true under --sandbox */
#define LDCX_POLICY_KEY "dcx.sandbox.policy"   /* {read = {DIR...}, write = {DIR...},
                                                  files = {[PATH] = true}, stdin = bool} */
#define LDCX_MEMLIMIT_KEY "dcx.lua_mem"        /* the --lua-mem value in MB, when given */

/* What `dcx run` was told: folders as given on the command line (resolved here), and the
 * script's arguments (those naming files become readable). */
typedef struct {
    const char *const *allow_read;
    size_t nread;
    const char *const *allow_write;
    size_t nwrite;
    const char *const *args;
    size_t nargs;
} ldcx_sandbox_cfg_t;

/* The limits of a sandboxed script when the flags give none. */
#define LDCX_SANDBOX_MEM_MB 1024.0
#define LDCX_SANDBOX_CPU_S 60.0

/* ldcx_sandbox_limits() : fills *mem_mb and *cpu_s where they are 0 (not given) with the
 * sandbox's defaults when sandboxed. @return the wall-clock limit in seconds: twice the
 * CPU limit whenever there is one (a script blocked on input uses no CPU), else 0. */
double ldcx_sandbox_limits(int sandboxed, double *mem_mb, double *cpu_s);

/* ldcx_sandbox_folder_problem() : NULL when dir names a folder that exists, else what is
 * wrong with it (a static string), for run.c's usage error. */
const char *ldcx_sandbox_folder_problem(const char *dir);

/* ldcx_sandbox_open() : a lua_CFunction, called in protected mode on a fresh state with a
 * light userdata pointing at a ldcx_sandbox_cfg_t: opens only base (with a text-only load),
 * coroutine, table, string (without string.dump), math and utf8; io, os, debug, dofile and
 * loadfile are stubs whose use raises "... is not available under --sandbox"; installs a
 * require that knows only the preloaded dcx module and these libraries (nothing is
 * searched for, whatever package.path or package.cpath say; package.loadlib does not
 * exist); records the flag and the resolved folders and argument files. */
int ldcx_sandbox_open(lua_State *L);

/* ldcx_sandboxed() : non-zero when the state runs under --sandbox. */
int ldcx_sandboxed(lua_State *L);

/* ldcx_sandbox_check_read() : returns when dcx may read path for the script: always
 * outside the sandbox; under it, a file named as a script argument or one under an
 * --allow-read folder, after resolving symbolic links and "..", and "-" (standard input)
 * only when "-" is a script argument. Otherwise raises "WHAT: 'PATH' is not readable under
 * --sandbox (...--allow-read DIR...)". */
void ldcx_sandbox_check_read(lua_State *L, const char *what, const char *path);

/* ldcx_sandbox_check_list() : as ldcx_sandbox_check_read() for listing a folder: it must
 * be an --allow-read folder or lie under one. */
void ldcx_sandbox_check_list(lua_State *L, const char *what, const char *dir);

/* ldcx_sandbox_check_write() : returns when dcx may create or replace path for the
 * script: always outside the sandbox; under it, "-" (standard output, like print) and
 * files whose folder lies under an --allow-write folder. Otherwise raises. (A command's
 * output option is checked by ldcx_sandbox_check_options, where "-" is a file name.) */
void ldcx_sandbox_check_write(lua_State *L, const char *what, const char *path);

/* ldcx_sandbox_check_options() : the checks above for every option of a command's table
 * that names a file (DCX_OPTF_INPUT: read; DCX_OPTF_WRITES: write), and a refusal of
 * options that name a program to run (DCX_OPTF_PROGRAM). `fn` names the function in
 * messages ("dcx.plot"). */
void ldcx_sandbox_check_options(lua_State *L, const char *fn, const dcx_option_t *table,
                                const void *opts);

/* ldcx_set_memlimit() : records the --lua-mem limit (MB) for error messages. */
void ldcx_set_memlimit(lua_State *L, double mb);

/* ldcx_raise_nomem() : raises "WHAT: out of memory", naming the --lua-mem limit when one
 * is set. Library calls that run out of memory end the script this way. */
int ldcx_raise_nomem(lua_State *L, const char *what);

#endif
