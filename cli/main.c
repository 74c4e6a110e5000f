/* main.c — the dcx command-line tool: dispatch to subcommands, flag parsing over the
 * library's option tables, output views and exit codes. No statistics here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "dcx/dcx.h"

static void print_overview(FILE *f)
{
    fprintf(f, "usage: dcx <command> [options]\n\n"
               "dcx analyses controlled experiments and scores DCX maturity assessments.\n\n"
               "commands:\n");
    for (const dcx_command_t *const *c = dcx_command_list(); *c; c++)
        fprintf(f, "  %-18s %s\n", (*c)->name, (*c)->summary);
    for (const cli_command_t *c = cli_extra_commands(); c && c->name; c++)
        fprintf(f, "  %-18s %s\n", c->name, c->summary);
    fprintf(f, "\n'dcx help COMMAND' or 'dcx COMMAND --help' shows a command's options.\n"
               "'dcx --version' prints the version.\n");
}

void cli_print_usage(FILE *f, const dcx_command_t *cmd)
{
    fprintf(f, "usage: %s\n\n%s.\n\noptions:\n", cmd->synopsis, cmd->summary);
    char *h = dcx_opts_help(cmd->options);
    if (h) {
        fputs(h, f);
        free(h);
    }
    int width = 0;
    for (const dcx_option_t *o = cmd->options; o && o->name; o++) {
        int w = (int)(strlen(o->name) + 2 + (o->metavar ? strlen(o->metavar) + 1 : 0));
        if (w > width)
            width = w;
    }
    fprintf(f, "  %-*s  show this help\n", width, "--help");
}

/* Messages carry text from data (a cell, a name): shown terminal-safe.
 * @return 0, or -1 when the message was lost (out of memory). */
static int print_safe(const char *prefix, const char *msg)
{
    char *safe = dcx_text_for_terminal(msg);
    fprintf(stderr, "%s%s\n", prefix, safe ? safe : "(message lost: out of memory)");
    free(safe);
    return safe ? 0 : -1;
}

int cli_fail(const dcx_error_t *err)
{
    char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
    print_safe("dcx: ", dcx_error_format(err, buf, sizeof buf));
    return cli_exit_code(err->code);
}

int cli_exit_code(dcx_status_t st)
{
    switch (st) {
    case DCX_OK: return 0;
    case DCX_EINVAL: return 2;
    case DCX_ENOEXEC: return 3;
    case DCX_EGATE: return 4;
    default: return 1;
    }
}

/* A usage error about `word` given to cmd: dcx takes long options only, and the option
 * the word probably meant. @return 2. */
static int long_options_only(const dcx_command_t *cmd, const char *what, const char *word)
{
    const dcx_option_t *near = dcx_opts_nearest(cmd->options, word);
    char *safe = dcx_text_for_terminal(word);
    fprintf(stderr, "dcx: %s: %s '%s': dcx takes long options (--name VALUE)", cmd->name, what,
            safe ? safe : "");
    if (near)
        fprintf(stderr, "; did you mean '--%s'? (see 'dcx %s --help')\n", near->name, cmd->name);
    else
        fprintf(stderr, "; see 'dcx %s --help'\n", cmd->name);
    free(safe);
    return 2;
}

int cli_parse(const dcx_command_t *cmd, void *opts, int argc, char **argv, int *npos,
              char ***pos)
{
    dcx_error_t err;
    dcx_error_clear(&err);
    *npos = 0;
    /* "--summary A.csv B.csv": words right after the command's list option join it */
    const dcx_option_t *po = cmd->positional ? dcx_opts_find(cmd->options, cmd->positional) : NULL;
    const dcx_option_t *last = NULL; /* the option given last, its value ending at last_end */
    int last_end = -1;
    int joins = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                (*pos)[(*npos)++] = argv[i];
            break;
        }
        if (a[0] == '-' && a[1] && a[1] != '-') /* "-o": a short option */
            return long_options_only(cmd, "unknown option", a);
        if (strncmp(a, "--", 2) || !a[2]) {
            if (joins) {
                if (dcx_opts_set(po, opts, a, &err))
                    return cli_fail(&err);
            } else if (po && po->type != DCX_OPT_LIST && !*npos) { /* `dcx plot forest` */
                (*pos)[(*npos)++] = argv[i];
            } else if (last && last->type == DCX_OPT_LIST && last_end == i - 1) {
                /* "--metric a b": each value needs its flag */
                char *safe = dcx_text_for_terminal(a);
                fprintf(stderr, "dcx: %s: unexpected argument '%s': dcx takes long options, one "
                                "value each; did you mean '--%s %s'? (see 'dcx %s --help')\n",
                        cmd->name, safe ? safe : "", last->name, safe ? safe : "", cmd->name);
                free(safe);
                return 2;
            } else {
                return long_options_only(cmd, "unexpected argument", a);
            }
            continue;
        }
        char name[128];
        const char *eq = strchr(a + 2, '='), *value = NULL;
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, a + 2, len);
        name[len] = '\0';
        const dcx_option_t *o = dcx_opts_find(cmd->options, name);
        if (!o || strchr(name, '_')) {
            const dcx_option_t *near = dcx_opts_nearest(cmd->options, name);
            char *safe = dcx_text_for_terminal(name);
            fprintf(stderr, "dcx: unknown option '--%s' for '%s'", safe ? safe : "", cmd->name);
            if (near)
                fprintf(stderr, "; did you mean '--%s'? (see 'dcx %s --help')\n", near->name, cmd->name);
            else
                fprintf(stderr, "; see 'dcx %s --help'\n", cmd->name);
            free(safe);
            return 2;
        }
        if (eq) {
            value = eq + 1;
        } else if (o->type != DCX_OPT_FLAG) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dcx: option '--%s' needs a value (%s)\n", name,
                        o->metavar ? o->metavar : "VALUE");
                return 2;
            }
            value = argv[++i];
        }
        if (dcx_opts_set(o, opts, value, &err))
            return cli_fail(&err);
        joins = o == po && po->type == DCX_OPT_LIST;
        last = o;
        last_end = i;
    }
    return 0;
}

static int wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            return 0;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    }
    return 0;
}

int cli_ends_with_ci(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcasecmp(s + n - t, tail);
}

dcx_format_t cli_default_format(const char *given, dcx_format_t when_piped)
{
    dcx_format_t f;
    if (given && !dcx_format_parse(given, &f, NULL))
        return f;
    return isatty(STDOUT_FILENO) ? DCX_FORMAT_TABLE : when_piped;
}

/* An output file written under a temporary name and renamed into place on success,
 * so a failed run never leaves a partial file behind. */
int cli_output_open(cli_output_t *o, const char *path)
{
    o->f = stdout;
    o->tmp = NULL;
    o->direct = 0;
    o->path = path;
    if (!path || !strcmp(path, "-")) {
        o->path = NULL;
        return 0;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        /* a device or a pipe (/dev/null, a FIFO): write to it directly, never rename */
        o->path = NULL;
        if (!(o->f = fopen(path, "w"))) {
            fprintf(stderr, "dcx: %s: cannot open for writing: %s\n", path, strerror(errno));
            return -1;
        }
        o->tmp = NULL;
        o->direct = 1;
        return 0;
    }
    size_t n = strlen(path) + 16;
    if (!(o->tmp = malloc(n))) {
        fprintf(stderr, "dcx: out of memory\n");
        return -1;
    }
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) { /* mkstemp makes 0600: give the file the mode a plain create would */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        fprintf(stderr, "dcx: %s: cannot create: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        o->f = NULL;
        return -1;
    }
    return 0;
}

int cli_output_close(cli_output_t *o, int success)
{
    int rc = 0;
    if (o->direct) {
        o->direct = 0;
        if (fclose(o->f) != 0 && success) {
            fprintf(stderr, "dcx: write error: %s\n", strerror(errno));
            return 1;
        }
        return 0;
    }
    if (!o->tmp)
        return 0;
    if (fclose(o->f) != 0 && success) {
        fprintf(stderr, "dcx: %s: write error: %s\n", o->path, strerror(errno));
        success = 0;
        rc = 1;
    }
    if (success && rename(o->tmp, o->path) != 0) {
        fprintf(stderr, "dcx: %s: cannot rename into place: %s\n", o->path, strerror(errno));
        rc = 1;
        success = 0;
    }
    if (!success)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}

int cli_print_warnings(const dcx_strlist_t *w)
{
    int rc = 0;
    for (size_t i = 0; i < w->n; i++)
        if (print_safe("dcx: warning: ", w->v[i]))
            rc = -1;
    return rc;
}

/* Whether --output names one of the command's input files (the same file, however it is
 * spelled: device and inode, not the name). Writing the result there would destroy the
 * data it was computed from. @return 0 or the exit code after printing. */
int cli_output_is_input(const dcx_option_t *table, const void *opts, const char *output)
{
    struct stat out, in;
    if (!output || !strcmp(output, "-") || stat(output, &out) != 0 || !S_ISREG(out.st_mode))
        return 0;
    for (const dcx_option_t *o = table; o && o->name; o++) {
        if (!(o->flags & DCX_OPTF_INPUT))
            continue;
        const char *one = NULL;
        const dcx_strlist_t *many = NULL;
        if (o->type == DCX_OPT_STRING)
            one = *(char *const *)((const char *)opts + o->offset);
        else if (o->type == DCX_OPT_JSON)
            one = ((const dcx_jsonarg_t *)((const char *)opts + o->offset))->path;
        else if (o->type == DCX_OPT_LIST)
            many = (const dcx_strlist_t *)((const char *)opts + o->offset);
        for (size_t k = 0; one || (many && k < many->n); k++) {
            const char *path = one ? one : many->v[k];
            if (path && stat(path, &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
                char *safe = dcx_text_for_terminal(output);
                fprintf(stderr, "dcx: --output %s is the --%s file: refusing to replace the input "
                                "with the result\n",
                        safe ? safe : "", o->name);
                free(safe);
                return 2;
            }
            if (one)
                break;
        }
    }
    return 0;
}

const char *cli_gnuplot_env(void)
{
    const char *env = getenv("DCX_GNUPLOT");
    return env && *env ? env : NULL;
}

/* ---- progress ---------------------------------------------------------------------------
 * Rows read, MB/s and the share of the input, on one line of standard error that is
 * redrawn at most four times a second, once the work has taken a second; only when
 * standard error is a terminal (DCX_PROGRESS=never: never; =always: from the start, even
 * to a file or pipe, which is how the tests see it). The line is erased at the end. */
typedef struct {
    struct timespec start, last;
    int always, tty, shown;
} cli_progress_t;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + 1e-9 * (double)(now.tv_nsec - t->tv_nsec);
}

static void thousands(char *b, size_t n, uint64_t v)
{
    char d[32];
    int len = snprintf(d, sizeof d, "%llu", (unsigned long long)v), k = 0;
    for (int i = 0; i < len && (size_t)k + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            b[k++] = ',';
        b[k++] = d[i];
    }
    b[k] = 0;
}

static void progress_hook(void *ctx, const dcx_progress_t *p)
{
    cli_progress_t *c = ctx;
    double el = seconds_since(&c->start);
    if ((!c->always && el < 1.0) || (c->shown && seconds_since(&c->last) < 0.25))
        return;
    clock_gettime(CLOCK_MONOTONIC, &c->last);
    char rows[40], line[160];
    thousands(rows, sizeof rows, p->rows);
    double mb = (double)p->bytes / 1e6;
    int n = snprintf(line, sizeof line, "dcx: %s rows, %.1f MB, %.0f MB/s", rows, mb,
                     el > 0 ? mb / el : 0.0);
    if (p->total_bytes && n > 0 && (size_t)n < sizeof line) {
        double pct = 100.0 * (double)p->bytes / (double)p->total_bytes;
        snprintf(line + n, sizeof line - (size_t)n, ", %.0f%%", pct > 100 ? 100 : pct);
    }
    fprintf(stderr, c->tty ? "\r%s\033[K" : "%s\n", line);
    c->shown = 1;
}

static void progress_start(cli_progress_t *c, int streams_to_terminal)
{
    const char *mode = getenv("DCX_PROGRESS");
    memset(c, 0, sizeof *c);
    c->tty = isatty(STDERR_FILENO);
    c->always = mode && !strcmp(mode, "always");
    /* a command that streams its output to the same terminal would tear the line */
    if ((mode && !strcmp(mode, "never")) || (!c->tty && !c->always) || (streams_to_terminal && !c->always))
        return;
    clock_gettime(CLOCK_MONOTONIC, &c->start);
    dcx_progress_set(progress_hook, c);
}

static void progress_end(cli_progress_t *c)
{
    dcx_progress_set(NULL, NULL);
    if (c->shown && c->tty)
        fputs("\r\033[K", stderr);
}

/* --plot FILE is drawn under a temporary name beside FILE with the same extension
 * (FILE.tmp.XXXXXX.svg), and renamed into place with the result: a run that fails after
 * drawing leaves neither. NULL (plot directly to FILE) when FILE has no plot extension,
 * so that the library's message names it; sets *oom when out of memory. */
static char *plot_temp(const char *plot, int *oom)
{
    static const char *const ext[] = {".png", ".svg", ".pdf"};
    *oom = 0;
    for (int i = 0; i < 3; i++) {
        if (!cli_ends_with_ci(plot, ext[i]))
            continue;
        size_t n = strlen(plot) + 16;
        char *t = malloc(n);
        if (!t) {
            *oom = 1;
            return NULL;
        }
        snprintf(t, n, "%s.tmp.XXXXXX%s", plot, plot + strlen(plot) - 4);
        int fd = mkstemps(t, 4);
        if (fd < 0) {
            free(t);
            return NULL; /* the library will say why it cannot write there */
        }
        close(fd);
        return t;
    }
    return NULL;
}

/* Runs a library command: parse flags, run, render, map the status to an exit code. */
static int run_lib_command(const dcx_command_t *cmd, int argc, char **argv)
{
    dcx_error_t err;
    dcx_error_clear(&err);
    if (wants_help(argc, argv)) {
        cli_print_usage(stdout, cmd);
        return 0;
    }
    void *opts = dcx_command_new_opts(cmd, &err);
    if (!opts)
        return cli_fail(&err);
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos = 0, rc = 0;
    dcx_strlist_t warnings = {0};
    cli_output_t out = {0};
    dcx_doc_t doc = {0};
    char *plot_tmp = NULL;
    const char *plot = NULL;
    if (!pos) {
        dcx_command_free_opts(cmd, opts);
        fprintf(stderr, "dcx: out of memory\n");
        return 1;
    }
    rc = cli_parse(cmd, opts, argc, argv, &npos, &pos);
    if (rc)
        goto done;
    const dcx_option_t *po = cmd->positional ? dcx_opts_find(cmd->options, cmd->positional) : NULL;
    if (npos == 1 && po && po->type != DCX_OPT_LIST) { /* `dcx plot forest`: the one word the command takes */
        if (dcx_opts_set(po, opts, pos[0], &err)) {
            rc = cli_fail(&err);
            goto done;
        }
        npos = 0;
    }
    if (npos) {
        rc = long_options_only(cmd, "unexpected argument",
                               pos[npos > 1 && po && po->type != DCX_OPT_LIST ? 1 : 0]);
        goto done;
    }
    dcx_common_opts_t *common = opts;
    if (!common->gnuplot && cli_gnuplot_env() && !(common->gnuplot = strdup(cli_gnuplot_env()))) {
        fprintf(stderr, "dcx: out of memory\n");
        rc = 1;
        goto done;
    }
    if ((rc = cli_output_is_input(cmd->options, opts, common->output)))
        goto done;
    if (cmd->write) { /* plot, report: the command writes its own file */
        dcx_status_t st = cmd->write(opts, &err);
        rc = st ? cli_fail(&err) : 0;
        goto done;
    }
    /* a workbook is binary: named by --format xlsx or by an --output ending in .xlsx, and
     * never written to a terminal */
    const dcx_option_t *fo = dcx_command_option(cmd, DCX_OPTF_FORMAT);
    int can_xlsx = (cmd->flags & DCX_CMD_XLSX) != 0;
    int to_xlsx = common->format && !strcmp(common->format, "xlsx");
    if (!common->format && common->output && cli_ends_with_ci(common->output, ".xlsx")) {
        if (!can_xlsx) {
            fprintf(stderr, "dcx: %s: no Excel output; choose --format %s\n", cmd->name,
                    fo && fo->choices ? fo->choices : "json");
            rc = 2;
            goto done;
        }
        to_xlsx = 1;
    }
    if (to_xlsx && (!common->output || !strcmp(common->output, "-")) && isatty(STDOUT_FILENO)) {
        fprintf(stderr, "dcx: %s: --format xlsx writes a binary workbook: give --output FILE.xlsx "
                        "(or redirect standard output)\n",
                cmd->name);
        rc = 2;
        goto done;
    }
    if (cli_output_open(&out, common->output)) {
        rc = 1;
        goto done;
    }
    dcx_status_t st;
    cli_progress_t progress;
    progress_start(&progress, cmd->stream && out.f == stdout && isatty(STDOUT_FILENO));
    if (cmd->stream) {
        st = dcx_command_stream(cmd, opts, out.f, &warnings, &err);
        progress_end(&progress);
    } else {
        /* --plot FILE: the command's plot is drawn before any output is written, under a
         * temporary name (the option is pointed there for the run) */
        const dcx_option_t *plo = dcx_command_option(cmd, DCX_OPTF_PLOT);
        char **plot_opt = plo ? (char **)((char *)opts + plo->offset) : NULL;
        if (plot_opt && *plot_opt) {
            int oom;
            plot = *plot_opt;
            if (!(plot_tmp = plot_temp(plot, &oom)) && oom) {
                progress_end(&progress);
                cli_output_close(&out, 0);
                fprintf(stderr, "dcx: out of memory\n");
                rc = 1;
                goto done;
            }
            if (plot_tmp)
                *plot_opt = plot_tmp;
        }
        st = dcx_command_run_doc(cmd, opts, &doc, &err);
        if (plot_tmp)
            *plot_opt = (char *)plot; /* the options own the name they were given */
        progress_end(&progress);
        if (!doc.root && st) {
            cli_output_close(&out, 0);
            rc = cli_fail(&err);
            goto done;
        }
        if (doc.root) {
            dcx_error_t werr;
            dcx_error_clear(&werr);
            dcx_format_t fmt = cli_default_format(common->format, DCX_FORMAT_JSON);
            if (out.path && !common->format)
                fmt = DCX_FORMAT_JSON;
            if (to_xlsx)
                fmt = DCX_FORMAT_XLSX;
            /* a command's long arrays are made and written one item at a time */
            dcx_status_t vs = dcx_command_view_doc(cmd, out.f, &doc, (int)fmt, &werr);
            if (vs) {
                cli_output_close(&out, 0);
                rc = cli_fail(&werr);
                goto done;
            }
            /* the table and markdown views show warnings; for json and csv they go to stderr */
            if (fmt == DCX_FORMAT_JSON || fmt == DCX_FORMAT_CSV) {
                const cJSON *w;
                cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(doc.root, "warnings"))
                    if (cJSON_IsString(w) && dcx_strlist_push(&warnings, w->valuestring)
                        && (st == DCX_OK || st == DCX_EGATE))
                        st = dcx_error_set(&err, DCX_ENOMEM, "out of memory");
            }
        }
    }
    /* a warning that cannot be shown fails the run: the result would go out without it */
    if (cli_print_warnings(&warnings) && (st == DCX_OK || st == DCX_EGATE))
        st = dcx_error_set(&err, DCX_ENOMEM, "out of memory");
    rc = st ? cli_fail(&err) : 0;
    if (cli_output_close(&out, st == DCX_OK || st == DCX_EGATE) && !rc)
        rc = 1;
    if (plot_tmp && (rc == 0 || (rc == 4 && st == DCX_EGATE))) {
        if (rename(plot_tmp, plot) != 0) {
            fprintf(stderr, "dcx: %s: cannot rename into place: %s\n", plot, strerror(errno));
            rc = 1;
        } else {
            free(plot_tmp);
            plot_tmp = NULL;
        }
    }
done:
    if (plot_tmp) {
        unlink(plot_tmp);
        free(plot_tmp);
    }
    dcx_doc_free(&doc);
    dcx_strlist_free(&warnings);
    free(pos);
    dcx_command_free_opts(cmd, opts);
    return rc;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("dcx %s\n", dcx_version());
        return 0;
    }
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        print_overview(stdout);
        return 0;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            print_overview(stdout);
            return 0;
        }
        char *hv[] = {"dcx", argv[2], argc > 3 ? argv[3] : "--help", argc > 3 ? "--help" : NULL,
                      NULL};
        return dispatch(argc > 3 ? 4 : 3, hv);
    }
    const dcx_command_t *cmd = dcx_command_find(name);
    if (cmd)
        return run_lib_command(cmd, argc - 2, argv + 2);
    for (const cli_command_t *c = cli_extra_commands(); c && c->name; c++)
        if (!strcmp(c->name, name))
            return c->run(argc - 1, argv + 1);
    /* two-word commands from the library ("maturity score") */
    if (argc >= 3) {
        char two[128];
        snprintf(two, sizeof two, "%s %s", name, argv[2]);
        if ((cmd = dcx_command_find(two)))
            return run_lib_command(cmd, argc - 3, argv + 3);
    }
    /* a command group ("dcx maturity"): list its subcommands */
    size_t nlen = strlen(name);
    int group = 0;
    for (const dcx_command_t *const *c = dcx_command_list(); *c; c++)
        if (!strncmp((*c)->name, name, nlen) && (*c)->name[nlen] == ' ')
            group = 1;
    if (group) {
        int help = argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"));
        FILE *f = help ? stdout : stderr;
        if (argc >= 3 && !help)
            fprintf(stderr, "dcx: '%s %s' is not a dcx command\n", name, argv[2]);
        fprintf(f, "usage: dcx %s <command> [options]\n\ncommands:\n", name);
        for (const dcx_command_t *const *c = dcx_command_list(); *c; c++)
            if (!strncmp((*c)->name, name, nlen) && (*c)->name[nlen] == ' ')
                fprintf(f, "  %-20s %s\n", (*c)->name, (*c)->summary);
        return help ? 0 : 2;
    }
    /* the command meant: the library's, or one of the front end's own */
    const char *near = dcx_command_nearest(name);
    size_t bestd = near ? dcx_edit_distance(name, strlen(name), near, strlen(near), 2) : 3;
    for (const cli_command_t *c = cli_extra_commands(); c && c->name; c++) {
        size_t d = dcx_edit_distance(name, strlen(name), c->name, strlen(c->name), 2);
        if (d < bestd)
            bestd = d, near = c->name;
    }
    char *safe = dcx_text_for_terminal(name);
    fprintf(stderr, "dcx: '%s' is not a dcx command", safe ? safe : "");
    if (near)
        fprintf(stderr, "; did you mean '%s'? (see 'dcx --help')\n", near);
    else
        fprintf(stderr, "; see 'dcx --help'\n");
    free(safe);
    return 2;
}

/* The installed assessments: an installed dcx is PREFIX/bin/dcx, and `make install` puts
 * the models in PREFIX/share/dcx/assessments (found from where the binary is, so a tree
 * installed anywhere, or moved, still finds its own). */
static void set_assessment_dir(void)
{
    char exe[4096], dir[4200];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = '\0'; /* PREFIX/bin */
    size_t len = strlen(exe);
    if (len < 4 || strcmp(exe + len - 4, "/bin"))
        return;
    exe[len - 4] = '\0';
    snprintf(dir, sizeof dir, "%s/share/dcx/assessments", exe);
    dcx_set_assessment_dir(dir);
}

int main(int argc, char **argv)
{
    static char outbuf[1 << 16];
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    dcx_set_temp_dir(getenv("TMPDIR"));
    set_assessment_dir();
    int rc = dispatch(argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (errno != EPIPE)
            fprintf(stderr, "dcx: error writing standard output: %s\n", strerror(errno));
        if (!rc)
            rc = 1;
    }
    return rc;
}
