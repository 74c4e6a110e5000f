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

#include "dcx/doc.h"
#include "dcx/error.h"
#include "dcx/options.h"

struct cJSON;

/* What a front end needs to know of a command beyond its options (dcx_command_t.flags). */
enum {
    DCX_CMD_XLSX = 1u << 0,       /* its document can be written as an Excel workbook */
    DCX_CMD_JSON_STREAM = 1u << 1 /* a stream command whose json format is a document (assign):
                                     a front end that returns values returns it parsed */
};

typedef struct dcx_command {
    const char *name;            /* "power", "maturity score" */
    const char *summary;         /* one line for `dcx help` */
    const char *synopsis;        /* usage lines, without the leading "usage: " */
    const dcx_option_t *options; /* NULL-terminated */
    size_t opts_size;            /* sizeof the options struct (it starts with dcx_common_opts_t) */
    const char *csv_rows;        /* the document array the CSV view lists, or NULL */
    /* Builds the result document (caller frees with cJSON_Delete). May return
     * DCX_EGATE with a complete document when a requested gate trips. */
    dcx_status_t (*run)(const void *opts, struct cJSON **doc, dcx_error_t *err);
    /* Alternative for commands whose output is a stream (CSV of assignments, SQL):
     * writes to out and appends warnings (the caller shows them). */
    dcx_status_t (*stream)(const void *opts, FILE *out, dcx_strlist_t *warnings,
                           dcx_error_t *err);
    /* A view for table and markdown (NULL: the generic views); json and csv are generic. */
    dcx_status_t (*view)(FILE *out, const struct cJSON *doc, int format, dcx_error_t *err);
    /* The option that collects words given without a flag: a DCX_OPT_LIST ("--summary A B")
     * or a single word (`dcx plot forest`: the kind); NULL when the command takes none. */
    const char *positional;
    /* Alternative for commands that write a file of their own (plot, report: the option
     * flagged DCX_OPTF_WRITES names it). Exactly one of run, stream and write is set. */
    dcx_status_t (*write)(const void *opts, dcx_error_t *err);
    unsigned flags;              /* DCX_CMD_* */
    int plot_kind;               /* what its DCX_OPTF_PLOT option draws (dcx_plot_kind_t) */
    /* Optional beside run: the same document with its long arrays made one item at a
     * time when a view walks them (dcx/doc.h), for a front end that only writes it out. */
    dcx_status_t (*run_doc)(const void *opts, dcx_doc_t *doc, dcx_error_t *err);
    /* The view of such a document in every format (NULL: view, or the generic views). */
    dcx_status_t (*view_doc)(FILE *out, const dcx_doc_t *doc, int format, dcx_error_t *err);
} dcx_command_t;

/* dcx_command_find() : the command called `name` (or one of its other spellings: "analyse"
 * is analyze), or NULL. */
DCX_API const dcx_command_t *dcx_command_find(const char *name);

/* dcx_command_nearest() : the name of the command a mistyped word probably meant (edit
 * distance at most 2, or the command it begins), for "did you mean"; NULL when none is near.
 * A group's first word ("maturity") counts as a name. */
DCX_API const char *dcx_command_nearest(const char *word);

/* dcx_command_list() : the NULL-terminated list of all commands, in help order. */
DCX_API const dcx_command_t *const *dcx_command_list(void);

/* dcx_command_new_opts() : allocates and initialises the options struct of cmd.
 * @return NULL on failure (err says why); free with dcx_command_free_opts(). */
DCX_API void *dcx_command_new_opts(const dcx_command_t *cmd, dcx_error_t *err);

/* dcx_command_run() : runs a document command (with the settings its common options ask
 * for, as dcx_command_stream) and, when its DCX_OPTF_PLOT option names a
 * file, draws its plot there (with the common options' gnuplot) before returning, so that
 * no front end can forget the plot it was asked for. On a failed plot the document is
 * freed. @return what run() returns, or the plot's error. */
DCX_API dcx_status_t dcx_command_run(const dcx_command_t *cmd, const void *opts, struct cJSON **doc,
                                     dcx_error_t *err);

/* dcx_command_run_doc() : dcx_command_run() for a front end that writes the result out:
 * the command's run_doc when it has one and no plot is asked for (then the long arrays are
 * made as a view walks them), else run's whole document in doc->root. Free with
 * dcx_doc_free(); render with dcx_command_view_doc(). @return as dcx_command_run(). */
DCX_API dcx_status_t dcx_command_run_doc(const dcx_command_t *cmd, const void *opts, dcx_doc_t *doc,
                                         dcx_error_t *err);

/* dcx_command_view_doc() : writes doc in format (dcx_format_t) with the command's view:
 * view_doc, else view of the whole document, else the generic views (dcx_view_write_doc).
 * @return what the view returns. */
DCX_API dcx_status_t dcx_command_view_doc(const dcx_command_t *cmd, FILE *out, const dcx_doc_t *doc,
                                          int format, dcx_error_t *err);

/* dcx_command_stream() : runs a stream command (cmd->stream) with the settings its common
 * options ask for (--max-field-mb): what front ends call instead of cmd->stream.
 * @return what stream() returns, or DCX_EINVAL for a bad common option. */
DCX_API dcx_status_t dcx_command_stream(const dcx_command_t *cmd, const void *opts, FILE *out,
                                        dcx_strlist_t *warnings, dcx_error_t *err);

/* dcx_command_option() : the first option of cmd that carries all of `flags`, or NULL. */
DCX_API const dcx_option_t *dcx_command_option(const dcx_command_t *cmd, unsigned flags);

/* dcx_command_free_opts() : frees opts and what it owns (accepts NULL). */
DCX_API void dcx_command_free_opts(const dcx_command_t *cmd, void *opts);

#endif
