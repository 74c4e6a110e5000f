/* assign.h — deterministic assignment of units to experiment variants, identical to
 * the GrowthBook JavaScript SDK.
 *
 * Hashing is FNV-1a 32-bit over the UTF-16 code units of a string (what JavaScript's
 * charCodeAt sees), so non-ASCII ids hash as they do in the SDK; text is given to
 * these functions as UTF-8 (invalid bytes count as U+FFFD, as a UTF-8 decoder reads
 * them). */
#ifndef DCX_ASSIGN_H
#define DCX_ASSIGN_H

#include "dcx/api.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dcx/error.h"
#include "dcx/options.h"

/* dcx_fnv1a32() : FNV-1a 32-bit over the UTF-16 code units of UTF-8 text s[0..len). */
DCX_API uint32_t dcx_fnv1a32(const char *s, size_t len);

/* dcx_gb_hash() : GrowthBook's hash(seed, value, version): version 1 is
 * (fnv(value + seed) mod 1000)/1000, version 2 is
 * (fnv(decimal(fnv(seed + value))) mod 10000)/10000. NaN for another version. */
DCX_API double dcx_gb_hash(const char *seed, const char *value, int version);

typedef struct dcx_experiment dcx_experiment_t;

/* dcx_experiment_parse() : an experiment from its JSON config (docs/formats.md): key,
 * seed, hash_version, coverage, variants [{name, weight}], namespace {id, range},
 * holdout {seed, share}. `name` is used in messages. Unknown keys are warnings
 * (appended to warnings when non-NULL). Weights must sum to 1 within ±0.01 (weights
 * may be left out entirely for equal shares), coverage lie in [0, 1].
 * @return DCX_OK; DCX_EPARSE with file:line:column for malformed JSON or with the
 * offending field for invalid values; DCX_ENOMEM. Free with dcx_experiment_free(). */
DCX_API dcx_status_t dcx_experiment_parse(const char *json, size_t len, const char *name,
                                  dcx_experiment_t **out, dcx_strlist_t *warnings,
                                  dcx_error_t *err);

/* dcx_experiment_load() : dcx_experiment_parse() of a file's contents.
 * @return as parse, or DCX_EIO when the file cannot be read. */
DCX_API dcx_status_t dcx_experiment_load(const char *path, dcx_experiment_t **out,
                                 dcx_strlist_t *warnings, dcx_error_t *err);

/* dcx_experiment_free() : accepts NULL. */
DCX_API void dcx_experiment_free(dcx_experiment_t *e);

DCX_API const char *dcx_experiment_key(const dcx_experiment_t *e);
DCX_API size_t dcx_experiment_variants(const dcx_experiment_t *e);
DCX_API const char *dcx_experiment_variant_name(const dcx_experiment_t *e, size_t i);
/* dcx_experiment_weight() : variant i's weight (its designed share of the units in the
 * experiment); NaN when i is out of range. */
DCX_API double dcx_experiment_weight(const dcx_experiment_t *e, size_t i);
/* dcx_experiment_range() : variant i's bucket range [lo, hi), built as the SDK's
 * getBucketRanges (start = running sum of earlier weights, length coverage · weight). */
DCX_API void dcx_experiment_range(const dcx_experiment_t *e, size_t i, double *lo, double *hi);
/* Namespace id and range; returns 0 when the experiment has no namespace. */
DCX_API int dcx_experiment_namespace(const dcx_experiment_t *e, const char **id, double *lo,
                             double *hi);

typedef enum {
    DCX_ASSIGN_IN = 0,        /* in the experiment: variant is set */
    DCX_ASSIGN_EMPTY_ID,      /* an empty id is in no experiment (as the SDK) */
    DCX_ASSIGN_HOLDOUT,       /* in the global holdout */
    DCX_ASSIGN_NAMESPACE,     /* outside the experiment's namespace range */
    DCX_ASSIGN_COVERAGE       /* hash outside every variant's range (coverage < 1) */
} dcx_assign_reason_t;

typedef struct {
    int variant;                /* index into the variants, or -1 */
    double bucket;              /* the experiment hash in [0, 1); NaN for an empty id */
    dcx_assign_reason_t reason;
} dcx_assignment_t;

/* dcx_assign() : the variant of unit `id` (UTF-8, len bytes). Never fails. */
DCX_API void dcx_assign(const dcx_experiment_t *e, const char *id, size_t len, dcx_assignment_t *out);

/* dcx_assign_many() : dcx_assign() of n ids at once (ids[i] of lens[i] bytes), results
 * in out[0..n). Same answers; faster, because the byte-serial FNV chains of
 * neighbouring ids are interleaved. */
DCX_API void dcx_assign_many(const dcx_experiment_t *e, const char *const *ids, const size_t *lens,
                     size_t n, dcx_assignment_t *out);

/* dcx_bucket_text() : writes the bucket as JavaScript prints it (shortest round-trip
 * decimal, e.g. "0.0505", "0") into buf (>= 32 bytes); "" for NaN. @return length. */
DCX_API size_t dcx_bucket_text(double bucket, char *buf);

/* Options of `dcx assign`. */
typedef struct {
    dcx_common_opts_t common;
    dcx_strlist_t config;  /* experiment config files (repeatable) */
    char *id;              /* a single id */
    char *input;           /* CSV of ids */
    char *id_column;
    char *delimiter;  /* of --input: ",", ";", "\t", "|" */       /* column holding the ids (default: the first) */
} dcx_assign_opts_t;

DCX_API extern const dcx_option_t dcx_assign_options[];

/* dcx_assign_run() : assigns every id (--id, or each row of --input) in every
 * experiment and streams CSV (`id,variant,bucket`; with several experiments `id` then
 * one column per experiment key) or JSON (an array) to out. Memory does not grow
 * with the number of ids. @return DCX_OK, DCX_EINVAL (usage), DCX_EPARSE (bad config
 * or CSV, with position), DCX_EIO, DCX_ENOMEM. */
DCX_API dcx_status_t dcx_assign_run(const dcx_assign_opts_t *o, FILE *out, dcx_strlist_t *warnings,
                            dcx_error_t *err);

#endif
