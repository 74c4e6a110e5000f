/* faultsim.c — an allocator that fails the N-th allocation of a run (SQLite's faultsim).
 *
 * Built as build/faultsim.so and loaded with LD_PRELOAD in front of dcx: it interposes
 * malloc, calloc, realloc, strdup and strndup (glibc routes its own allocations, fopen's
 * and asprintf's, through the interposed malloc), forwards each call to the next
 * definition (libc's, or AddressSanitizer's under `make sanitize`) and counts them.
 *
 *   DCX_FAULTSIM_N=N        fail the N-th call (0 or unset: never fail, only count)
 *   DCX_FAULTSIM_PERSIST=1  also fail every call after the N-th (SQLite's persistent mode)
 *   DCX_FAULTSIM_REPORT=F   at exit write "calls C failed K" to the file F
 *   DCX_FAULTSIM_SPARE=A:B  neither count nor fail calls made by the code of a loaded
 *                           library whose file name contains A or B (a dependency that is
 *                           known not to survive its own failed allocations)
 *
 * A thread's allocations before its start routine begins (the thread library's and
 * AddressSanitizer's) are neither counted nor failed (pthread_create below).
 *
 * The constructor reads these, then removes them and LD_PRELOAD from the environment, so
 * that a program dcx starts (gnuplot) runs with the ordinary allocator; a forked child
 * never fails an allocation either. strdup and strndup are defined here, rather than left
 * to libc, because AddressSanitizer intercepts them and would allocate behind our back.
 * In gdb, `break faultsim_failing` stops at the failing call with its caller on the stack. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

static atomic_ulong calls, failed;
static __thread int thread_running; /* set when a thread's start routine begins (below) */
static unsigned long fail_at;
static int persistent, armed;
static char report[4096];

/* the code of the spared libraries: [lo, hi) address ranges */
static struct {
    uintptr_t lo, hi;
} spared[32];
static int nspared;

/* dlsym may allocate (its error buffer) while the real functions are being looked up:
 * those few requests are served from here and never freed. */
static _Alignas(max_align_t) unsigned char boot[16384];
static size_t boot_used;
static int resolving;

static int from_boot(const void *p)
{
    return (const unsigned char *)p >= boot && (const unsigned char *)p < boot + sizeof boot;
}

static void *boot_alloc(size_t n)
{
    size_t a = _Alignof(max_align_t);
    n = (n + a - 1) / a * a;
    if (n > sizeof boot - boot_used)
        return NULL;
    void *p = boot + boot_used;
    boot_used += n;
    return p; /* static storage: already zero */
}

static void resolve(void)
{
    resolving = 1;
    /* POSIX's way to turn dlsym's object pointer into a function pointer */
    *(void **)&real_malloc = dlsym(RTLD_NEXT, "malloc");
    *(void **)&real_calloc = dlsym(RTLD_NEXT, "calloc");
    *(void **)&real_realloc = dlsym(RTLD_NEXT, "realloc");
    *(void **)&real_free = dlsym(RTLD_NEXT, "free");
    resolving = 0;
    if (!real_malloc || !real_calloc || !real_realloc || !real_free) {
        static const char msg[] = "faultsim: cannot find the real allocator\n";
        if (write(2, msg, sizeof msg - 1) < 0)
            _exit(125);
        _exit(125);
    }
}

/* Called for each allocation made to fail: `break faultsim_failing` in gdb stops there,
 * with the caller on the stack. */
__attribute__((noinline, visibility("default"))) void faultsim_failing(unsigned long n)
{
    __asm__ volatile("" : : "r"(n) : "memory");
}

/* Counts one allocation made from `caller`; @return whether it is to fail (with errno
 * ENOMEM, as the real allocator fails). */
static int fail_now(const void *caller)
{
    if (!armed || !thread_running)
        return 0;
    for (int i = 0; i < nspared; i++)
        if ((uintptr_t)caller >= spared[i].lo && (uintptr_t)caller < spared[i].hi)
            return 0;
    unsigned long n = atomic_fetch_add(&calls, 1) + 1;
    if (fail_at && (n == fail_at || (persistent && n > fail_at))) {
        atomic_fetch_add(&failed, 1);
        faultsim_failing(n);
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

static void *alloc(size_t n, const void *caller)
{
    if (!real_malloc) {
        if (resolving)
            return boot_alloc(n);
        resolve();
    }
    return fail_now(caller) ? NULL : real_malloc(n);
}

void *malloc(size_t n) { return alloc(n, __builtin_return_address(0)); }

void *calloc(size_t n, size_t size)
{
    if (!real_calloc) {
        if (resolving)
            return size && n > SIZE_MAX / size ? NULL : boot_alloc(n * size);
        resolve();
    }
    return fail_now(__builtin_return_address(0)) ? NULL : real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    if (!real_realloc)
        resolve();
    if (from_boot(p)) { /* never happens in practice; copy what the block can hold */
        void *q = alloc(n, __builtin_return_address(0));
        if (q) {
            size_t have = (size_t)(boot + sizeof boot - (unsigned char *)p);
            memcpy(q, p, have < n ? have : n);
        }
        return q;
    }
    return fail_now(__builtin_return_address(0)) ? NULL : real_realloc(p, n);
}

void free(void *p)
{
    if (!p || from_boot(p))
        return;
    if (!real_free)
        resolve();
    real_free(p);
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = alloc(n, __builtin_return_address(0));
    return d ? memcpy(d, s, n) : NULL;
}

char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *d = alloc(n + 1, __builtin_return_address(0));
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* dl_iterate_phdr callback: records the executable segments of the spared libraries */
static int find_spared(struct dl_phdr_info *info, size_t size, void *names)
{
    (void)size;
    const char *list = names;
    int match = 0;
    while (*list && !match) {
        size_t len = strcspn(list, ":");
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(len < 255 ? len : 255), list);
        match = len && info->dlpi_name && strstr(info->dlpi_name, name);
        list += len + (list[len] == ':');
    }
    for (int i = 0; match && i < info->dlpi_phnum && nspared < 32; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            spared[nspared].lo = info->dlpi_addr + ph->p_vaddr;
            spared[nspared].hi = spared[nspared].lo + ph->p_memsz;
            nspared++;
        }
    }
    return 0;
}

/* A thread's allocations before its start routine runs are the thread library's and the
 * sanitizer's, not dcx's: AddressSanitizer starts every thread by asking
 * pthread_getattr_np for its stack, and aborts when that allocation fails. pthread_create
 * is interposed to mark the moment the start routine begins; until then nothing is counted
 * or failed on that thread. (What pthread_create allocates in the calling thread still
 * fails in turn: dcx must survive a thread it cannot have.) */

typedef struct {
    void *(*fn)(void *);
    void *arg;
} start_t;

static void *started(void *p)
{
    start_t s = *(start_t *)p;
    real_free(p);
    thread_running = 1;
    return s.fn(s.arg);
}

int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static int (*real_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    if (!real_create)
        *(void **)&real_create = dlsym(RTLD_NEXT, "pthread_create");
    if (!real_malloc)
        resolve();
    start_t *s = real_create ? real_malloc(sizeof *s) : NULL;
    if (!s)
        return EAGAIN;
    s->fn = fn;
    s->arg = arg;
    int rc = real_create(th, attr, started, s);
    if (rc)
        real_free(s);
    return rc;
}

static void in_child(void) { armed = 0; }

__attribute__((constructor)) static void faultsim_init(void)
{
    const char *n = getenv("DCX_FAULTSIM_N"), *p = getenv("DCX_FAULTSIM_PERSIST"),
               *r = getenv("DCX_FAULTSIM_REPORT"), *s = getenv("DCX_FAULTSIM_SPARE");
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    persistent = p && *p && strcmp(p, "0");
    if (r)
        snprintf(report, sizeof report, "%s", r);
    if (s && *s)
        dl_iterate_phdr(find_spared, (void *)s);
    thread_running = 1; /* the main thread */
    unsetenv("DCX_FAULTSIM_N");
    unsetenv("DCX_FAULTSIM_PERSIST");
    unsetenv("DCX_FAULTSIM_REPORT");
    unsetenv("DCX_FAULTSIM_SPARE");
    unsetenv("LD_PRELOAD");
    pthread_atfork(NULL, NULL, in_child);
    armed = 1;
}

__attribute__((destructor)) static void faultsim_fini(void)
{
    armed = 0;
    if (!report[0])
        return;
    FILE *f = fopen(report, "w");
    if (!f)
        return;
    fprintf(f, "calls %lu failed %lu\n", (unsigned long)calls, (unsigned long)failed);
    fclose(f);
}
