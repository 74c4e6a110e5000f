/* analysis.h — experiment analysis (`dcx analyze`) and sufficient statistics
 * (`dcx aggregate`).
 *
 * Data flow: unit-level CSV rows (or summary CSV rows) are folded into cells of
 * mergeable moments, one per metric × segment level × variant (and per period for the
 * timeline), in one pass; memory grows with the number of cells, not rows (except
 * --test mann-whitney, which must keep each mean metric's values). Every comparison of
 * a treatment with control is then computed from two cells. */
#ifndef DCX_ANALYSIS_H
#define DCX_ANALYSIS_H

#include "dcx/api.h"

#include <stdio.h>

#include "dcx/doc.h"
#include "dcx/error.h"
#include "dcx/options.h"

struct cJSON;

typedef struct {
    dcx_common_opts_t common;
    char *input;              /* unit-level CSV */
    dcx_strlist_t summary;    /* summary CSV files (their rows add up) */
    dcx_strlist_t metric;     /* NAME[:binary|mean|ratio=NUM/DEN|nps|quantile=Q] */
    dcx_jsonarg_t metrics;    /* metric definitions: a JSON file, or (Lua) the list itself */
    char *variant_column;
    char *control;
    dcx_strlist_t segment;
    char *time_column;
    dcx_strlist_t cuped;      /* METRIC=COVARIATE */
    char *method;             /* frequentist | bayesian | sequential | group-sequential */
    double alpha;
    char *test;               /* auto | z | fisher | welch | mann-whitney */
    char *correction;         /* none | bonferroni | holm | hochberg | bh | by */
    double srm_threshold;
    int fail_on_srm;
    char *config;             /* the experiment config (§1) the assignment used */
    dcx_strlist_t weights;    /* designed shares: NAME=SHARE pairs, or a bare list */
    dcx_strlist_t variants;   /* expected variants, in order (comma lists allowed) */
    double tuning;            /* mSPRT N* */
    double tau;               /* mSPRT tau^2, overrides the tuning */
    char *plot;               /* plot file */
    char *rows;               /* table and Markdown views: flagged | overall | all segment rows */
    char *period;             /* day | week | month: how ISO dates in the time column group */
    char *delimiter;          /* of the input CSV: ",", ";", "\t", "|" */
    dcx_strlist_t goal;       /* METRIC: the goal metrics, which decide */
    dcx_strlist_t direction;  /* METRIC=increase|decrease: the good direction */
    dcx_strlist_t guardrail;  /* METRIC=MARGIN (absolute) or METRIC=MARGIN% (of |control|) */
    int one_sided;            /* goal and secondary metrics tested in their good direction only */
    dcx_strlist_t cap;        /* METRIC=VALUE | METRIC=pQ | METRIC=pL:pU */
    struct dcx_rows *units;   /* unit rows in memory (rows.h), instead of input: from Lua, as
                                 rows = TABLE (the option named like --rows, set by a table) */
    dcx_strlist_t cap_ignore_zeros; /* metrics whose percentile caps ignore zeros */
    dcx_strlist_t where;      /* COLUMN=V1,V2 | COLUMN!=V1,V2: rows that count */
    char *unit_column;        /* the unit id: multiple exposures, duplicates */
    double looks;             /* group-sequential: planned looks K (NaN: not given) */
    char *spending;           /* group-sequential: obrien-fleming | pocock */
    char *difference;         /* absolute | relative: the scale of the test and interval */
    char *lift_interval;      /* fieller | log | delta: the fixed-horizon lift_ci */
    dcx_strlist_t prior;      /* METRIC=MEAN,SD: normal prior on the relative effect (bayesian) */
    char *post_stratify;      /* a pre-exposure column: post-stratified estimates over its values */
} dcx_analyze_opts_t;

DCX_API extern const dcx_option_t dcx_analyze_options[];

/* What every view of an analysis (table, Markdown, report, workbook) says in place of a
 * decision when no metric is a goal: the document's "decisions" is then empty. */
#define DCX_NO_DECISION "no decision: name the goal metric(s) with --goal"

/* dcx_analyze() : runs the analysis described by o and returns its result document
 * (the JSON of docs/formats.md; free with cJSON_Delete). With --fail-on-srm and a mismatch, the
 * document is complete and the status is DCX_EGATE.
 * @return DCX_OK, DCX_EGATE, DCX_EINVAL (options), DCX_EPARSE (bad data, with
 * file:line:column), DCX_EIO, DCX_ENOTSUP (a test that needs unit-level data on a
 * summary), DCX_ENOMEM. */
DCX_API dcx_status_t dcx_analyze(const dcx_analyze_opts_t *o, struct cJSON **doc, dcx_error_t *err);

/* dcx_analyze_doc() : dcx_analyze() with the document's results and srm_segments made one
 * entry at a time when a view walks them (dcx/doc.h), so that a result with an entry per
 * level of a segment of many levels is never whole in memory; o must outlive *doc. Free
 * with dcx_doc_free(). @return as dcx_analyze(); doc->root is NULL unless DCX_OK or
 * DCX_EGATE. */
DCX_API dcx_status_t dcx_analyze_doc(const dcx_analyze_opts_t *o, dcx_doc_t *doc, dcx_error_t *err);

/* The metrics of a command that computes sums where the data are (dcx sql), from metric
 * definitions (a --metrics file, or from Lua the list) and the flags, folded as dcx analyze
 * folds them: the definitions' specs first, then the flags', a flag's cap winning over a
 * definition's. */
typedef struct {
    dcx_strlist_t metric;           /* NAME:TYPE, as --metric */
    dcx_strlist_t cap;              /* METRIC=CAP, as --cap */
    dcx_strlist_t cuped;            /* METRIC=COV, as --cuped */
    dcx_strlist_t cap_ignore_zeros; /* METRIC, as --cap-ignore-zeros */
    dcx_strlist_t columns;          /* NAME=COLUMN: a metric read from a column of another name */
} dcx_metric_lists_t;

/* dcx_metric_lists() : fills *out (free with dcx_metric_lists_free, also after an error)
 * from the definitions defs (none: path and doc NULL) and the flags' lists.
 * @return DCX_OK, DCX_EPARSE (a definitions file, at its line and column), DCX_EINVAL (a
 * table from Lua; a metric both defined and typed by a flag; no metric), DCX_EIO,
 * DCX_ENOMEM. */
DCX_API dcx_status_t dcx_metric_lists(const dcx_jsonarg_t *defs, const dcx_strlist_t *metric,
                                      const dcx_strlist_t *cap, const dcx_strlist_t *cuped,
                                      const dcx_strlist_t *cap_ignore_zeros,
                                      dcx_metric_lists_t *out, dcx_error_t *err);
DCX_API void dcx_metric_lists_free(dcx_metric_lists_t *l);

typedef struct {
    dcx_common_opts_t common;
    char *input;
    dcx_strlist_t metric;
    char *variant_column;
    dcx_strlist_t segment;
    dcx_strlist_t cuped;
    dcx_strlist_t merge;      /* summary CSV files to add up instead of --input */
    char *delimiter;          /* of the input CSV */
} dcx_aggregate_opts_t;

DCX_API extern const dcx_option_t dcx_aggregate_options[];

/* dcx_aggregate() : writes the summary CSV (docs/formats.md) of the unit-level input, or of
 * several summary files added up (--merge), to out.
 * @return as dcx_analyze(). */
DCX_API dcx_status_t dcx_aggregate(const dcx_aggregate_opts_t *o, FILE *out, dcx_error_t *err);

/* dcx_aggregate_run() : dcx_aggregate(), and what the reader should know appended to
 * warnings (rows left out for an empty variant cell); warnings may be NULL.
 * @return as dcx_aggregate(). */
DCX_API dcx_status_t dcx_aggregate_run(const dcx_aggregate_opts_t *o, FILE *out,
                                       dcx_strlist_t *warnings, dcx_error_t *err);

/* The options of `dcx srm`: observed counts checked against the design. */
typedef struct {
    dcx_common_opts_t common;
    dcx_strlist_t counts;  /* observed units: NAME=COUNT pairs, or a list in variant order */
    dcx_strlist_t weights; /* designed shares: NAME=SHARE pairs, or a list (default equal) */
    dcx_strlist_t names;   /* variant names (default v1, v2, ...) */
    char *config;          /* the experiment config: names, order and weights */
    double threshold;      /* mismatch when p < threshold */
    int fail_on_srm;
} dcx_srm_opts_t;

/* dcx_srm() : the sample-ratio-mismatch check of observed variant counts against the
 * design stated by --config, --weights or --variants (equal shares when none is): a chi-square
 * goodness-of-fit test (R chisq.test(counts, p = shares)); a variant counted but not in the
 * design is a mismatch of its own. Builds the srm document (docs/formats.md).
 * @return DCX_OK; DCX_EGATE with a complete document when fail_on_srm is set and there is a
 * mismatch; DCX_EINVAL (counts or design that do not fit together), DCX_EPARSE/DCX_EIO
 * (the config), DCX_EDOM (shares or counts the test cannot take), DCX_ENOMEM. */
DCX_API dcx_status_t dcx_srm(const dcx_srm_opts_t *o, struct cJSON **doc, dcx_error_t *err);

/* The options of `dcx bandit`: Thompson-sampling weights for the next period. */
typedef struct {
    dcx_common_opts_t common;
    char *input;        /* an analyze result (JSON) */
    char *metric;       /* the metric whose arms decide */
    int top_two;        /* top-two Thompson sampling (default: plain) */
    double min_weight;  /* each variant's weight at least this (default 0.01) */
    char *config;       /* the experiment config to update (its key, seed, ... kept) */
    char *key;          /* or the key of a new config */
} dcx_bandit_opts_t;

DCX_API extern const dcx_option_t dcx_bandit_options[];

/* dcx_bandit() : the experiment config (docs/formats.md) for the next period of a bandit: the
 * variants of metric o->metric's overall rows in the result o->input (control first), weighted
 * by Thompson sampling on their flat-prior normal posteriors N(mean, sd²/n) in the metric's
 * good direction (dcx_thompson_weights), with o->config's other members kept and a description
 * giving each variant's P(best).
 * @return DCX_OK, DCX_EINVAL (options), DCX_EIO/DCX_EPARSE (the files; not a result; no such
 * metric), DCX_EDOM (a variant with fewer than 100 units or no spread), DCX_ECONV, DCX_ENOMEM. */
DCX_API dcx_status_t dcx_bandit(const dcx_bandit_opts_t *o, struct cJSON **doc, dcx_error_t *err);

/* dcx_config_shares() : what planning needs of an experiment config (docs/formats.md): the number
 * of variants, the control's share (the variant named "control", else the first) and the
 * smallest treatment share, as fractions of the whole.
 * @return DCX_OK, DCX_EIO/DCX_EPARSE (the config), DCX_EINVAL (fewer than two variants),
 * DCX_ENOMEM. */
DCX_API dcx_status_t dcx_config_shares(const char *config, int *variants, double *control_share,
                                       double *min_treatment_share, dcx_error_t *err);

#endif
