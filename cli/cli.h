/* cli.h — shared pieces of the dcx command-line front end. */
#ifndef DCX_CLI_H
#define DCX_CLI_H

#include <stdio.h>

#include "dcx/dcx.h"

/* Commands implemented in the front end itself (run: Lua; they take argv as given
 * after "dcx", with argv[0] the command name). */
typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command_t;

/* The NULL-name-terminated list of front-end commands. */
const cli_command_t *cli_extra_commands(void);

/* Prints "dcx: <formatted error>" to stderr; @return the exit code for err->code. */
int cli_fail(const dcx_error_t *err);

/* Exit code of a status: 0 ok, 2 usage (EINVAL), 3 missing program, 4 gate, else 1. */
int cli_exit_code(dcx_status_t st);

/* Parses argv (flags after the command name) into opts through cmd's option table;
 * non-flag words go to pos[0..*npos). @return 0, or the exit code after printing. */
int cli_parse(const dcx_command_t *cmd, void *opts, int argc, char **argv, int *npos,
              char ***pos);

/* Prints the usage and option help of cmd. */
void cli_print_usage(FILE *f, const dcx_command_t *cmd);

/* Whether s ends with tail, ignoring ASCII case (".xlsx", ".XLSX"). */
int cli_ends_with_ci(const char *s, const char *tail);

/* The format named by `given`, else table on a terminal, else `when_piped`. */
dcx_format_t cli_default_format(const char *given, dcx_format_t when_piped);

/* Output to a file written atomically (temporary name + rename) or to stdout. */
typedef struct {
    FILE *f;
    char *tmp;        /* temporary name while writing a regular file */
    const char *path;
    int direct;       /* writing straight to a device or pipe */
} cli_output_t;

/* Non-zero (the exit code, after printing) when output is the same file as one of the
 * options of the table in opts that name a file the command reads (DCX_OPTF_INPUT). */
int cli_output_is_input(const dcx_option_t *table, const void *opts, const char *output);

/* Opens path (NULL or "-" = stdout) for writing. @return 0, or -1 after printing. */
int cli_output_open(cli_output_t *o, const char *path);

/* Closes; on success renames into place, otherwise removes the temporary file.
 * @return 0, or 1 after printing an error. */
int cli_output_close(cli_output_t *o, int success);

/* The gnuplot program from the environment: $DCX_GNUPLOT when set, else NULL (the
 * library's default, gnuplot on PATH). */
const char *cli_gnuplot_env(void);

/* Prints each warning as "dcx: warning: ..." on stderr. @return 0, or -1 when one could
 * not be shown (out of memory). */
int cli_print_warnings(const dcx_strlist_t *w);

#endif
