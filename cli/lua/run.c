/* run.c — `dcx run`: Lua 5.4 with the dcx module preloaded, as lua(1) runs scripts:
 * the script's arguments in `arg` and as `...`, errors with file:line and a traceback.
 * Limits: --lua-mem caps memory (Lua's allocator exactly, and the process's data segment
 * so that what dcx's C code allocates for the script is bounded too); --lua-timeout caps
 * CPU time, and twice it caps wall-clock time (a script blocked on input uses no CPU).
 * What --sandbox allows, and its default limits, are sandbox.c's; this file parses the
 * flags and enforces the limits. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <lualib.h>

#include "cli.h"
#include "ldcx.h"

#if defined(__SANITIZE_ADDRESS__)
#define DCX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DCX_ASAN 1
#endif
#endif

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

/* ---- the CPU time limit ------------------------------------------------------------------
 * ITIMER_PROF counts the process's CPU time. When it expires, a hook is set that raises
 * an error at the script's next Lua instruction (lua.c does the same for Ctrl-C). Code
 * that runs no Lua instructions (a coroutine created earlier, a long C call, a __gc loop)
 * is stopped by the second expiry, a grace period later, without unwinding. */

static lua_State *volatile g_L;
static volatile sig_atomic_t g_expired;
static double g_timeout;
#define GRACE_SECONDS 2

static void stop_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    char secs[32];
    snprintf(secs, sizeof secs, "%g", g_timeout);
    luaL_error(L, "CPU time limit of %s s exceeded (--lua-timeout)", secs);
}

static void arm(double seconds)
{
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_usec = (suseconds_t)((seconds - floor(seconds)) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    setitimer(ITIMER_PROF, &it, NULL);
}

static void on_cpu_limit(int sig)
{
    (void)sig;
    if (!g_expired) {
        g_expired = 1;
        if (g_L)
            lua_sethook(g_L, stop_hook, LUA_MASKCOUNT, 1);
        arm(GRACE_SECONDS);
        return;
    }
    static const char msg[] = "dcx: CPU time limit exceeded (--lua-timeout); the script "
                              "did not stop and was ended\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

static void start_timer(lua_State *L, double seconds)
{
    g_L = L;
    g_timeout = seconds;
    g_expired = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_cpu_limit;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGPROF, &sa, NULL);
    arm(seconds);
}

/* ---- the wall-clock limit -----------------------------------------------------------------
 * ITIMER_REAL, twice the CPU limit. SIGALRM is taken without SA_RESTART, so that a read
 * blocked on standard input returns (EINTR) and the script meets the hook at its next
 * instruction; what is still running after the grace period is ended without unwinding. */

static volatile sig_atomic_t g_wall_expired;
static double g_wall;

static void wall_message(char *buf, size_t len)
{
    snprintf(buf, len, "wall-clock time limit of %g s exceeded (twice --lua-timeout %g; "
                       "a script waiting for input is ended too)",
             g_wall, g_timeout);
}

static void wall_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    char msg[160];
    wall_message(msg, sizeof msg);
    luaL_error(L, "%s", msg);
}

static void arm_real(double seconds)
{
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_usec = (suseconds_t)((seconds - floor(seconds)) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &it, NULL);
}

static void on_wall_limit(int sig)
{
    (void)sig;
    if (!g_wall_expired) {
        g_wall_expired = 1;
        if (g_L)
            lua_sethook(g_L, wall_hook, LUA_MASKCOUNT, 1);
        arm_real(GRACE_SECONDS);
        return;
    }
    static const char msg[] = "dcx: wall-clock time limit exceeded (twice --lua-timeout); the "
                              "script did not stop and was ended\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

static void start_wall_timer(double seconds)
{
    g_wall = seconds;
    g_wall_expired = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_wall_limit;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns */
    sigaction(SIGALRM, &sa, NULL);
    arm_real(seconds);
}

static void stop_timers(void)
{
    struct itimerval off;
    memset(&off, 0, sizeof off);
    setitimer(ITIMER_PROF, &off, NULL);
    setitimer(ITIMER_REAL, &off, NULL);
    signal(SIGPROF, SIG_IGN);
    signal(SIGALRM, SIG_IGN);
    g_L = NULL;
}

/* ---- memory outside Lua's allocator ------------------------------------------------------
 * dcx's C code allocates for the script (CSV rows, JSON documents, analysis cells) with
 * malloc, outside the Lua allocator. RLIMIT_DATA bounds the process's private writable
 * memory: the current size plus the script's limit plus a little room for the C code's
 * own working set, so such allocations fail (and end the script) instead of growing
 * without bound. AddressSanitizer maps terabytes of shadow memory, so under it the limit
 * is not set. */
#define C_SLACK_BYTES ((rlim_t)16 << 20)

static void limit_data_segment(size_t lua_bytes)
{
#ifndef DCX_ASAN
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return;
    char line[256];
    unsigned long long kb = 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmData:", 7)) {
            kb = strtoull(line + 7, NULL, 10);
            break;
        }
    fclose(f);
    if (!kb)
        return;
    struct rlimit rl;
    if (getrlimit(RLIMIT_DATA, &rl) != 0)
        return;
    rlim_t want = (rlim_t)kb * 1024 + (rlim_t)lua_bytes + C_SLACK_BYTES;
    if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
        want = rl.rlim_max;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
        return;
    rl.rlim_cur = want;
    setrlimit(RLIMIT_DATA, &rl);
#else
    (void)lua_bytes;
#endif
}

/* ---- setting up the state ----------------------------------------------------------------- */

typedef struct {
    int sandboxed;
    double mem_mb;
    int argc, first;
    char **argv;
    const char *script;
    const ldcx_sandbox_cfg_t *cfg;
} setup_t;

/* Run in protected mode: with a small --lua-mem even opening the libraries can fail. */
static int setup(lua_State *L)
{
    const setup_t *s = lua_touserdata(L, 1);
    if (s->sandboxed) {
        lua_pushcfunction(L, ldcx_sandbox_open);
        lua_pushlightuserdata(L, (void *)s->cfg);
        lua_call(L, 1, 0);
    } else {
        luaL_openlibs(L);
        /* the dcx module: preloaded, and already in the global `dcx` */
        luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
        lua_pushcfunction(L, luaopen_dcx);
        lua_setfield(L, -2, "dcx");
        lua_pop(L, 1);
        luaL_requiref(L, "dcx", luaopen_dcx, 1);
        lua_pop(L, 1);
    }
    if (s->mem_mb > 0)
        ldcx_set_memlimit(L, s->mem_mb);
    /* arg, as lua(1) builds it */
    lua_createtable(L, s->argc - s->first, 1);
    lua_pushstring(L, s->script ? s->script : "-e");
    lua_rawseti(L, -2, 0);
    for (int k = s->first; k < s->argc; k++) {
        lua_pushstring(L, s->argv[k]);
        lua_rawseti(L, -2, k - s->first + 1);
    }
    lua_setglobal(L, "arg");
    return 0;
}

static int usage(FILE *f)
{
    fprintf(f, "usage: dcx run [--sandbox [--allow-read DIR] [--allow-write DIR]] [--lua-mem MB]\n"
               "               [--lua-timeout S] SCRIPT.lua [ARGS...]\n"
               "       dcx run [options] -e 'CHUNK' [ARGS...]\n\n"
               "Runs Lua 5.4 with the dcx module preloaded (the global `dcx`, or require \"dcx\").\n"
               "The arguments are in the table `arg` (arg[0] is the script) and in `...`.\n\n"
               "options:\n"
               "  --sandbox          for scripts you do not trust: only the base, string, table,\n"
               "                     math, utf8 and coroutine libraries (io, os, debug, dofile\n"
               "                     and loadfile say they are not available), load takes text\n"
               "                     only, require knows only dcx; dcx reads only the files named\n"
               "                     as the script's arguments and writes nothing\n"
               "  --allow-read DIR   with --sandbox: dcx may also read files under DIR (repeat)\n"
               "  --allow-write DIR  with --sandbox: dcx may write files under DIR (repeat)\n"
               "  --lua-mem MB       cap the script's memory: Lua's, and what dcx allocates for it\n"
               "                     [default: 1024 with --sandbox, none without]\n"
               "  --lua-timeout S    cap the script's CPU time in seconds, and its wall-clock time\n"
               "                     at twice that [default: 60 with --sandbox, none without]\n"
               "  -e CHUNK           run CHUNK instead of a script file\n");
    return f == stdout ? 0 : 2;
}

/* A positive, finite number given in full. */
static int positive_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v) || !(v > 0))
        return 0;
    *out = v;
    return 1;
}

static int run(int argc, char **argv, const char **folders);

int cli_run(int argc, char **argv)
{
    /* the --allow-read and --allow-write folders, in one array of argc entries */
    const char **folders = calloc((size_t)argc + 1, sizeof *folders);
    if (!folders) {
        fprintf(stderr, "dcx: run: out of memory\n");
        return 1;
    }
    int rc = run(argc, argv, folders);
    free(folders);
    return rc;
}

static int run(int argc, char **argv, const char **folders)
{
    int sandboxed = 0, i = 1;
    double mem_mb = 0, timeout = 0;
    const char *chunk = NULL, *script = NULL;
    size_t nread = 0, nwrite = 0;
    const char **writes = folders + argc; /* filled downwards */
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return usage(stdout);
        if (!strcmp(argv[i], "--sandbox")) {
            sandboxed = 1;
        } else if (!strcmp(argv[i], "--allow-read") || !strcmp(argv[i], "--allow-write")) {
            const char *why = i + 1 < argc ? ldcx_sandbox_folder_problem(argv[i + 1]) : "missing";
            if (why) {
                fprintf(stderr, "dcx: run: %s needs a folder (%s: '%s')\n", argv[i], why,
                        i + 1 < argc ? argv[i + 1] : "");
                return 2;
            }
            if (argv[i][8] == 'r')
                folders[nread++] = argv[++i];
            else
                *--writes = argv[++i], nwrite++;
        } else if (!strcmp(argv[i], "--lua-mem") || !strcmp(argv[i], "--lua-timeout")) {
            int mem = argv[i][6] == 'm';
            double v;
            if (i + 1 >= argc || !positive_number(argv[i + 1], &v)) {
                fprintf(stderr, "dcx: run: %s needs a positive number (%s), not '%s'\n", argv[i],
                        mem ? "megabytes" : "seconds", i + 1 < argc ? argv[i + 1] : "");
                return 2;
            }
            if (mem)
                mem_mb = v;
            else
                timeout = v;
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
    if (!sandboxed && (nread || nwrite)) {
        fprintf(stderr, "dcx: run: --allow-read and --allow-write go with --sandbox\n");
        return 2;
    }
    int mem_given = mem_mb > 0;
    double wall = ldcx_sandbox_limits(sandboxed, &mem_mb, &timeout);
    ldcx_sandbox_cfg_t cfg = {folders, nread, writes, nwrite, (const char *const *)argv + i,
                              (size_t)(argc - i)};
    memcap_t cap = {0, 0};
    if (mem_mb > 0) {
        double bytes = ceil(mem_mb * 1048576.0);
        cap.limit = bytes >= (double)(SIZE_MAX / 2) ? SIZE_MAX / 2 : (size_t)bytes;
        limit_data_segment(cap.limit);
    }
    lua_State *L = lua_newstate(capped_alloc, &cap);
    if (!L) {
        fprintf(stderr, "dcx: run: not enough memory to start Lua%s\n",
                mem_mb > 0 ? " (raise --lua-mem)" : "");
        return 1;
    }
    if (timeout > 0)
        start_timer(L, timeout);
    if (wall > 0)
        start_wall_timer(wall);
    setup_t s = {sandboxed, mem_mb, argc, i, argv, script, &cfg};
    int rc = 0;
    lua_pushcfunction(L, msghandler);
    lua_pushcfunction(L, setup);
    lua_pushlightuserdata(L, &s);
    int status = lua_pcall(L, 1, 0, 1);
    if (status == LUA_OK)
        status = chunk ? luaL_loadbufferx(L, chunk, strlen(chunk), "=(command line)", "t")
                       : luaL_loadfilex(L, script, "t");
    if (status == LUA_OK) {
        for (int k = i; k < argc; k++)
            lua_pushstring(L, argv[k]);
        status = lua_pcall(L, argc - i, 0, 1);
    }
    if (g_wall_expired) { /* whatever the script met on the way out (a read that failed) */
        char msg[160];
        wall_message(msg, sizeof msg);
        fprintf(stderr, "dcx: %s\n", msg);
        rc = 1;
    } else if (status == LUA_ERRMEM && mem_mb > 0) { /* Lua's own: no handler, no position */
        fprintf(stderr, "dcx: not enough memory: the script reached its limit of --lua-mem %g MB%s\n",
                mem_mb, mem_given ? "" : " (the default under --sandbox)");
        rc = 1;
    } else if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        char *safe = dcx_text_for_terminal_lines(msg ? msg : "(error object is not a string)");
        fprintf(stderr, "dcx: %s\n", safe ? safe : "(error message lost: out of memory)");
        free(safe);
        rc = 1;
    }
    fflush(stdout);
    g_L = NULL; /* the limits still end a __gc that never returns, without touching L */
    lua_close(L);
    if (timeout > 0 || wall > 0)
        stop_timers();
    return rc;
}
