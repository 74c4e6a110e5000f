/* options.h — one description per option, shared by every front end.
 *
 * Each command's options live in a plain struct; a table of dcx_option_t describes
 * every field once (name, type, default, help). The CLI flag parser, the generated
 * --help text and the Lua table reader all work from that table, so the two front
 * ends cannot drift apart. Option names are the long flag names ("daily-units");
 * lookups also accept '_' for '-' ("daily_units"), as Lua tables spell them. */
#ifndef DCX_OPTIONS_H
#define DCX_OPTIONS_H

#include "dcx/api.h"

#include <stddef.h>

#include "dcx/error.h"

struct cJSON;

typedef enum {
    DCX_OPT_NUMBER,  /* double; NaN when unset */
    DCX_OPT_INT,     /* int */
    DCX_OPT_FLAG,    /* int 0/1; takes no value on the command line */
    DCX_OPT_STRING,  /* char * (owned by the struct; NULL when unset) */
    DCX_OPT_CHOICE,  /* char *, one of `choices` ("a|b|c") */
    DCX_OPT_LIST,    /* dcx_strlist_t; the flag may repeat, each use appends */
    DCX_OPT_NUMBERS, /* dcx_numlist_t; "0.5,0.5" (commas) or, from Lua, a list */
    DCX_OPT_DOC,     /* struct cJSON * (owned): a document handed over in memory, from Lua;
                        the command line cannot set it (it reads a file instead) */
    DCX_OPT_JSON     /* dcx_jsonarg_t: a JSON file named on the command line, or from Lua
                        either its name or the document itself, as a table */
} dcx_opt_type_t;

/* What a front end needs to know of an option beyond its type (dcx_option_t.flags). */
enum {
    DCX_OPTF_INPUT = 1u << 0,  /* names a file the command reads: never the --output, and
                                  under a sandbox a read to allow */
    DCX_OPTF_WRITES = 1u << 1, /* names a file the command itself writes (a plot, a report) */
    DCX_OPTF_PLOT = 1u << 2,   /* the file to draw the command's plot into (dcx_command_t
                                  .plot_kind); also DCX_OPTF_WRITES */
    DCX_OPTF_OUTPUT = 1u << 3, /* where the front end writes the result (--output) */
    DCX_OPTF_FORMAT = 1u << 4  /* how the front end shows the result (--format) */
};

typedef struct {
    char **v;
    size_t n;
} dcx_strlist_t;

typedef struct {
    double *v;
    size_t n;
} dcx_numlist_t;

/* A DCX_OPT_JSON option's value: a file to read, or the document itself (at most one is
 * set; setting one clears the other). */
typedef struct {
    char *path;         /* the file as given, or NULL */
    struct cJSON *doc;  /* the document handed over in memory (owned), or NULL */
} dcx_jsonarg_t;

typedef struct {
    const char *name;    /* long name without "--"; NULL ends a table */
    dcx_opt_type_t type;
    size_t offset;       /* offsetof() of the field in the options struct */
    const char *def;     /* default, as command-line text; NULL = unset */
    const char *metavar; /* placeholder in help ("P", "FILE"); NULL for flags */
    const char *choices; /* DCX_OPT_CHOICE: "a|b|c" */
    const char *help;    /* one line */
    unsigned flags;      /* DCX_OPTF_* */
} dcx_option_t;

/* Options every reporting command shares; each options struct starts with one. */
typedef struct {
    char *format;  /* "table", "json", "csv", "markdown"; NULL = front end decides */
    char *output;  /* write here (atomically: temporary name, then rename); NULL = stdout */
    char *gnuplot; /* the gnuplot program for plots (a name on PATH or a path); NULL =
                      "gnuplot". Front ends fill it from $DCX_GNUPLOT; `dcx plot` and
                      `dcx report` also take it as --gnuplot */
} dcx_common_opts_t;

/* dcx_opts_init() : zeroes the struct of `size` bytes and applies the table's defaults.
 * @return DCX_OK, or DCX_ENOMEM / DCX_EINVAL (a bad default is a programming error). */
DCX_API dcx_status_t dcx_opts_init(const dcx_option_t *table, void *opts, dcx_error_t *err);

/* dcx_opts_free() : frees every string and list the struct owns (accepts NULL opts). */
DCX_API void dcx_opts_free(const dcx_option_t *table, void *opts);

/* dcx_opts_find() : the entry named `name` ('_' matches '-'), or NULL. */
DCX_API const dcx_option_t *dcx_opts_find(const dcx_option_t *table, const char *name);

/* dcx_opts_nearest() : the option a mistyped word probably meant, for "did you mean": a word
 * of one letter (a short option, "-o") names the option that starts with that letter (where
 * the result goes, its format and the input first, then table order); a longer word (leading
 * dashes ignored, '_' read as '-') the option within edit distance 2 (1 for words under 5
 * letters), or the one it begins. NULL when no option is near. */
DCX_API const dcx_option_t *dcx_opts_nearest(const dcx_option_t *table, const char *word);

/* dcx_opts_set() : sets one option from text as given on the command line. Flags take
 * "1"/"true"/"yes" or "0"/"false"/"no" (NULL means 1); lists append.
 * @return DCX_OK, DCX_EINVAL (the message names the option and the bad value), DCX_ENOMEM. */
DCX_API dcx_status_t dcx_opts_set(const dcx_option_t *opt, void *opts, const char *value,
                          dcx_error_t *err);

/* dcx_opts_set_number() : sets a NUMBER, INT, FLAG or NUMBERS option from a double
 * (NUMBERS appends one value). Integers must be whole. @return DCX_OK or DCX_EINVAL. */
DCX_API dcx_status_t dcx_opts_set_number(const dcx_option_t *opt, void *opts, double value,
                                 dcx_error_t *err);

/* dcx_opts_set_doc() : sets a DCX_OPT_DOC or DCX_OPT_JSON option to doc, which the struct then owns (freed
 * by dcx_opts_free, also on failure). @return DCX_OK or DCX_EINVAL (not a document option). */
DCX_API dcx_status_t dcx_opts_set_doc(const dcx_option_t *opt, void *opts, struct cJSON *doc,
                                      dcx_error_t *err);

/* dcx_strlist_push() : appends a copy of s to l. @return DCX_OK or DCX_ENOMEM. */
DCX_API dcx_status_t dcx_strlist_push(dcx_strlist_t *l, const char *s);

/* dcx_strlist_pushf() : appends a printf-formatted string. @return DCX_OK or DCX_ENOMEM. */
DCX_API dcx_status_t dcx_strlist_pushf(dcx_strlist_t *l, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* dcx_strlist_free() : frees the strings and the array; leaves l empty (accepts NULL). */
DCX_API void dcx_strlist_free(dcx_strlist_t *l);

struct cJSON;

/* dcx_opts_to_json() : the options that are set, as an object keyed by option name
 * (lists as arrays; where the result and plots go, its format, and documents in memory
 * left out): what a report records of the run. Keys point into the table (which must outlive the object). NULL when out of memory. */
DCX_API struct cJSON *dcx_opts_to_json(const dcx_option_t *table, const void *opts);

/* dcx_doc_add_settings() : appends "settings" (dcx_opts_to_json) to a result document, so
 * that reports can say what the numbers were computed from. Passes st through; on
 * failure to allocate frees *doc, sets it NULL and returns DCX_ENOMEM. */
DCX_API dcx_status_t dcx_doc_add_settings(dcx_status_t st, struct cJSON **doc, const dcx_option_t *table,
                                  const void *opts, dcx_error_t *err);

/* dcx_opts_help() : writes the option list (aligned "--name METAVAR  help [default]"
 * lines) into a malloc'd string the caller frees; NULL when out of memory. */
DCX_API char *dcx_opts_help(const dcx_option_t *table);

#endif
