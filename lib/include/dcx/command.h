/* command.h — the registry of dcx commands: one entry per subcommand, naming its
 * options table and the library call that runs it. Front ends (the dcx binary, the
 * Lua module) look commands up here, fill the options struct from flags or a table,
 * and call run(). A command that reports results builds a document: a cJSON tree
 * whose keys are in the order docs/formats.md gives. That document is the result every view
 * renders (view.h), and the Lua module turns it into a table. */
#ifndef DCX_COMMAND_H
#define DCX_COMMAND_H

#include "dcx/api.h"

#include <stddef.h>
#include <stdio.h>

#include "dcx/error.h"
#include "dcx/options.h"

struct cJSON;

typedef struct dcx_command {
    const char *name;            /* "power", "maturity score" */
    const char *summary;         /* one line for `dcx help` */
    const char *synopsis;        /* usage lines, without the leading "usage: " */
    const dcx_option_t *options; /* NULL-terminated */
    size_t opts_size;            /* sizeof the options struct */
    const char *csv_rows;        /* the document array the CSV view lists, or NULL */
    /* Builds the result document (caller frees with cJSON_Delete). May return
     * DCX_EGATE with a complete document when a requested gate trips. */
    dcx_status_t (*run)(const void *opts, struct cJSON **doc, dcx_error_t *err);
    /* Alternative for commands whose output is a stream (CSV of assignments, SQL):
     * writes to out and appends warnings (the caller shows them). Exactly one of run
     * and stream is set. */
    dcx_status_t (*stream)(const void *opts, FILE *out, dcx_strlist_t *warnings,
                           dcx_error_t *err);
    /* A view for table and markdown (NULL: the generic views); json and csv are generic. */
    dcx_status_t (*view)(FILE *out, const struct cJSON *doc, int format, dcx_error_t *err);
    /* The DCX_OPT_LIST option that collects words given without a flag ("--summary A B"),
     * or NULL when the command takes none. */
    const char *positional;
} dcx_command_t;

/* dcx_command_find() : the command called `name`, or NULL. */
DCX_API const dcx_command_t *dcx_command_find(const char *name);

/* dcx_command_list() : the NULL-terminated list of all commands, in help order. */
DCX_API const dcx_command_t *const *dcx_command_list(void);

/* dcx_command_new_opts() : allocates and initialises the options struct of cmd.
 * @return NULL on failure (err says why); free with dcx_command_free_opts(). */
DCX_API void *dcx_command_new_opts(const dcx_command_t *cmd, dcx_error_t *err);

/* dcx_command_free_opts() : frees opts and what it owns (accepts NULL). */
DCX_API void dcx_command_free_opts(const dcx_command_t *cmd, void *opts);

#endif
