/* analyze_internal.h — internal: the parts of `dcx analyze` and what they share. The run
 * (analyze.c) reads the cells (cells.h), puts variants and levels in report order
 * (order.c), gives each metric its role (roles.c), fills one comparison row per metric ×
 * level × treatment (compare.c, with the arms and tests of each metric family in a
 * compare_*.c file of its own), corrects the family of p-values, and builds the
 * document (analysis_doc.c, decisions.c). Notes on a row and the run's warnings go
 * through warnings.c. */
#ifndef DCX_ANALYZE_INTERNAL_H
#define DCX_ANALYZE_INTERNAL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cells.h"
#include "dcx/analysis.h"
#include "dcx/stats.h"
#include "design.h"

/* --method */
typedef enum { M_FREQ, M_BAYES, M_SEQ, M_GSEQ } method_t;

/* --looks: at most this many planned looks */
#define GS_MAX_LOOKS 100

/* --lift-interval: the fixed-horizon interval of the lift */
enum { LIFT_FIELLER, LIFT_LOG, LIFT_DELTA };

/* --test */
typedef enum { T_AUTO, T_Z, T_FISHER, T_WELCH, T_MW } test_t;

/* A metric's role: a goal decides, a guardrail must not get worse than its margin, a
 * secondary metric informs and does not decide. */
typedef enum { ROLE_SECONDARY, ROLE_GOAL, ROLE_GUARDRAIL } role_kind_t;

/* The correction family of a row: goal, secondary or guardrail for the overall rows, and
 * for a segment level's row its metric × segment column (exploratory). */
typedef enum { FAM_GOAL, FAM_SECONDARY, FAM_GUARDRAIL, FAM_SEGMENT } family_t;

/* The looks of a sequential timeline at one overall row: per look the estimate, its
 * variance and mixture variance (of the difference, and of the lift), from which the
 * running intersection of the confidence sequences at any level is taken. */
typedef struct {
    double diff, v, tau2, lift, lift_v, tau2_lift;
} look_t;

/* One comparison: a metric in a segment level (or period), a treatment against control. */
typedef struct {
    size_t m, level, t;
    double n_c, n_t, miss_c, miss_t, mean_c, mean_t, sd_c, sd_t, q_c, q_t;
    double diff, se, df;        /* df: NaN for normal-theory (z) intervals */
    double lo, hi;              /* diff_ci; NaN at an open end */
    double lift, lift_se, lift_lo, lift_hi;
    double est_c, est_t, var_c, var_t; /* the arms' estimates and their variances (Fieller) */
    double tau2, tau2_lift;     /* sequential: mixture variances of diff and lift */
    double stat, p, padj;
    double lo_adj, hi_adj, lift_lo_adj, lift_hi_adj; /* intervals that match p_adjusted */
    int sig;                    /* 1, 0, or -1 when unknown */
    double pbc, loss, cr_lo, cr_hi, theta, vr;
    double risk_rel;            /* bayesian: expected loss / |control| */
    role_kind_t role;
    family_t family;            /* FAM_SEGMENT: of its metric and its level's column */
    int dir;                    /* the good direction: +1 increase, -1 decrease */
    double margin;              /* guardrails: the margin as an absolute difference */
    double ni_p, inf_p;         /* non-inferiority p; p of "worse than the margin" */
    double ni_prob;             /* bayesian guardrails: P(s·diff > −margin) */
    double p_bad;               /* one-sided p in the bad direction (goal and secondary) */
    int one_sided;              /* p and intervals are one-sided, in the good direction */
    int crossed_at;             /* group-sequential: first look (1-based) past the boundary, 0 none */
    double cov_ct;              /* covariance of the arms' estimates (post-stratified; else 0) */
    long strata;                /* --post-stratify: strata estimated; 0 not applied; -1 not asked */
    int no_se;                  /* the family cannot estimate the SE (its note says why) */
    const look_t *looks;        /* sequential with a timeline: the overall row's looks */
    size_t nlooks;
    const char *adjusted_by;    /* the correction its p_adjusted is by, when it is not the
                                   run's (the goal family under --correction none: Holm) */
    const char *test;
    char *note;      /* "; "-separated, malloc'd; NULL when nothing to say */
    int lost;        /* a note could not be stored (out of memory) */
} cmp_t;

/* A metric's role in the decision (--goal, --guardrail, --direction). */
typedef struct {
    role_kind_t kind;
    int dir;         /* +1 increase (default), -1 decrease */
    int dir_stated;  /* the direction was given, not assumed */
    double margin;   /* absolute, or a fraction of |control| when relative */
    int relative;
    int has_prior;   /* --prior: a normal prior on the relative effect */
    double prior_mean, prior_sd;
} role_t;

/* The options of a run with the metric definitions (--metrics, the config's "metrics", a
 * Lua table) folded into the lists the flags fill; the lists are owned here. */
typedef struct {
    dcx_analyze_opts_t opts;
    dcx_strlist_t metric, cap, cuped, goal, guardrail, direction, columns, cap_ignore_zeros;
    dcx_strlist_t ignore_zeros_all; /* the definitions' cap_ignore_zeros and the flags' */
} metric_defs_t;

/* A run of `dcx analyze`: its options, the cells, the report order and the warnings. */
typedef struct {
    const dcx_analyze_opts_t *o; /* the options as given, with the definitions folded in */
    metric_defs_t defs;          /* what o points to */
    data_t d;
    method_t method;
    test_t test;
    int relative;           /* --difference relative: tests and intervals on the lift */
    int lift_iv;            /* --lift-interval: LIFT_FIELLER, LIFT_LOG or LIFT_DELTA */
    dcx_adjust_t adjust;
    design_t design;        /* as stated by --config, --variants, --weights */
    size_t *order;          /* variants in report order */
    size_t nvar;            /* variants known (designed + observed) */
    char **names;           /* names of order[i] */
    double *share;          /* designed share of order[i] (NaN: not in the design) */
    unsigned char *designed;
    size_t control;
    size_t *treat, ntreat;  /* the treatments, in report order */
    size_t *levels, nlev;   /* levels in report order: all, then each segment's */
    size_t *seg_lo, *seg_hi;
    int quiet;              /* the timeline's comparisons give no warnings */
    role_t *roles;          /* per metric */
    size_t ngoals;          /* goal metrics */
    look_t *looks;          /* sequential timeline: [metric][treatment][period] */
    dcx_spending_t gs_spend;/* group-sequential: the spending function */
    double *gs_t, *gs_b;    /* its looks' information fractions and boundaries at alpha */
    size_t gs_np;           /* looks taken (the timeline's periods) */
    dcx_srm_result_t *srm_lvl; /* per level in report order: its SRM check, when */
    unsigned char *srm_lvl_ok; /* ... it could be made */
    const level_t *ps_level;/* --post-stratify: the level whose strata the row being compared
                               uses (NULL: no stratification, as in the timeline) */
    dcx_stratum_t *ps_buf;  /* scratch: one entry per stratum value */
    char delimiter;
    period_unit_t period;
    dcx_strlist_t warnings;
    dcx_strmap_t warned;    /* warnings already given (each is given once) */
    dcx_strmap_t kinds;     /* warnings that repeat per comparison: kind -> index */
    size_t *kind_n;         /* how many of each kind, of which the first few are shown */
    char **kind_what;       /* what they say, for the summary line */
    size_t kind_cap;
    int oom;                /* a warning or a reason could not be stored: no result */
} run_t;

/* Row index of metric mi, level position li, treatment ti: rows are laid out in report
 * order, so every lookup is arithmetic. */
static inline size_t row_at(const run_t *x, size_t mi, size_t li, size_t ti)
{
    return (mi * x->nlev + li) * x->ntreat + ti;
}

/* ---- warnings.c ---- */

/* Adds a note to the row (fmt with one %s for arg), unless the row already says it. A
 * note that cannot be stored sets r->lost: a result without its note would mislead. */
void row_note(cmp_t *r, const char *fmt, const char *arg);

/* A note from a failed computation (fmt's %s gets e's message); one that failed for want
 * of memory fails the run. */
void row_note_err(cmp_t *r, const char *fmt, const dcx_error_t *e);

/* Adds a warning to the run unless the same text was given before (none while x->quiet). */
void run_warn(run_t *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A warning that can repeat for every segment level, of the given kind (a key); `what`
 * says what they share, for the line that counts the ones not shown. */
void run_warn_repeat(run_t *x, const char *kind, const char *what, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Adds the lines that count the repeated warnings not shown. */
void run_warn_repeats_done(run_t *x);

/* Frees the run's warnings and their bookkeeping. */
void run_warn_free(run_t *x);

/* ---- order.c ---- */

/* The variants in report order (x->order, x->names) with their designed shares, control
 * and the treatments. The design is what the user states (--config, --variants,
 * --weights); without one, the observed variants in sort order with equal shares. A
 * variant in the data but not in the design is compared like any other, but is an SRM
 * mismatch of its own. @return DCX_OK, DCX_EINVAL (a design that does not fit the data),
 * DCX_EPARSE (fewer than two variants), DCX_ENOMEM. */
dcx_status_t order_variants(run_t *x, dcx_error_t *err);

/* The levels in report order (x->levels): all, then each segment column's levels in sort
 * order; seg_lo[s] .. seg_hi[s] are column s's positions. @return DCX_OK, DCX_ENOMEM. */
dcx_status_t order_levels(run_t *x, dcx_error_t *err);

/* The periods in timeline order, *po (malloc'd, one per period): ISO periods in time,
 * numbers as numbers, other text as first seen (with a warning). @return DCX_OK,
 * DCX_ENOMEM. */
dcx_status_t order_periods(run_t *x, size_t **po, dcx_error_t *err);

/* ---- compare.c ---- */

/* Fills row r with the comparison of treatment cell t against control cell c of metric
 * mi: both arms, the difference with its interval and test, the relative lift, and under
 * the Bayesian or sequential method their statistics; `where` names the comparison in
 * warnings. Roles are applied afterwards (roles_apply). */
void cmp_cells(run_t *x, size_t mi, const cell_t *c, const cell_t *t, cmp_t *r, const char *where);

/* The row's interval of the difference (lift = 0) or of the lift at level 1 − alpha, as
 * its method and sidedness make it: fixed-horizon (t or z), or the mSPRT sequence (with
 * looks, the intersection of every look's; NaN ends when they do not overlap). A
 * one-sided interval is open (NaN) at the end away from the good direction. */
void cmp_interval_at(const run_t *x, const cmp_t *r, int lift, double alpha, double *lo, double *hi);

/* One tail of the row's test statistic distribution (Student t with the row's Welch
 * degrees of freedom, or normal): P(S > s) (upper) or P(S < s). */
double cmp_tail(const cmp_t *r, double s, int upper);

/* One arm of a comparison as its family sees it (a[0] control, a[1] treatment). */
typedef struct {
    double n, mean, var; /* per-unit variance of the arm's estimate */
    double est_var;      /* variance of the arm's estimate (var / n, or delta method) */
} arm_t;

/* A metric family's part of a comparison: one compare_*.c file each. */
typedef struct {
    /* Fills both arms, and the arms as people read them (r's mean, sd and quantile of
     * each arm); notes what cannot be computed. */
    void (*arms)(const run_t *x, const metric_t *m, const cell_t *c, const cell_t *t, cmp_t *r,
                 arm_t a[2]);
    /* The frequentist test that --test (x->test) asks for, or the family's own when it
     * takes no such test: r->test, r->stat, r->p (and r->df, r->se where the test brings
     * its own). A status other than DCX_OK is noted on the row with err's message. */
    dcx_status_t (*test)(const run_t *x, const cell_t *c, const cell_t *t, const arm_t a[2],
                         cmp_t *r, dcx_error_t *err);
    /* Under --test auto (frequentist): warns where the normal approximation is rough. */
    void (*approx)(run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                   const arm_t a[2], const char *where);
    /* The posterior under --method bayesian, named posterior_name; NULL for the normal
     * posterior of the difference. */
    dcx_status_t (*posterior)(const cell_t *c, const cell_t *t, double alpha,
                              dcx_bayes_result_t *b, dcx_error_t *err);
    const char *posterior_name;
    int lift; /* the relative lift is defined */
} cmp_family_t;

extern const cmp_family_t cmp_binary;   /* compare_binary.c */
extern const cmp_family_t cmp_mean;     /* compare_mean.c */
extern const cmp_family_t cmp_cuped;    /* compare_mean.c: a binary or mean metric with a covariate */
extern const cmp_family_t cmp_ratio;    /* compare_ratio.c */
extern const cmp_family_t cmp_ratio_cuped; /* compare_ratio.c: a ratio with a covariate pair */
extern const cmp_family_t cmp_nps;      /* compare_ratio.c */
extern const cmp_family_t cmp_quantile; /* compare_quantile.c */

/* The z test of r->diff and r->se. */
dcx_status_t cmp_test_z(const run_t *x, cmp_t *r, dcx_error_t *err);

/* Welch's t test of the arms; `binary`: of 0/1 values, with their unbiased variance and
 * t.test's standard error. */
dcx_status_t cmp_test_welch(const run_t *x, const arm_t a[2], int binary, cmp_t *r,
                            dcx_error_t *err);

/* Warns when an arm has fewer than 30 units, suggesting --test try_test (none when NULL). */
void cmp_warn_small_arm(run_t *x, const metric_t *m, const arm_t a[2], const char *where,
                        const char *try_test);

/* The approx check of the families without a count test: small arms (try mann-whitney). */
void cmp_approx_rank(run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                     const arm_t a[2], const char *where);

/* The approx check of the families whose only test is z (ratio, NPS, quantile): small arms,
 * with no other test to suggest. */
void cmp_approx_plain(run_t *x, const metric_t *m, const cell_t *c, const cell_t *t,
                      const arm_t a[2], const char *where);

/* ---- poststrat_row.c ---- */

/* --post-stratify: the options it cannot go with, before anything is read. @return DCX_OK,
 * DCX_EINVAL or DCX_ENOTSUP with the reason. */
dcx_status_t ps_check_options(const run_t *x, dcx_error_t *err);

/* After reading: every metric is one it can stratify (binary or mean, with or without a
 * covariate), and the scratch space. @return DCX_OK, DCX_EINVAL, DCX_ENOMEM. */
dcx_status_t ps_setup(run_t *x, dcx_error_t *err);

/* Replaces row r's estimate (a filled, testable row of metric m, cells c and t of level
 * x->ps_level) with the post-stratified one: diff, se, the arms' estimates and their
 * covariance, lift and lift_se, variance_reduction. @return 1 when it did (the test is
 * then the z test), 0 when it noted why not (the row keeps the plain estimate). */
int ps_row(run_t *x, const metric_t *m, const cell_t *c, const cell_t *t, cmp_t *r);

/* The top-level "post_stratify" member. */
void ps_doc(const run_t *x, cJSON *doc);

/* ---- metric_defs.c ---- */

/* Reads the metric definitions (o->metrics: a file or a table; else the "metrics" member of
 * o->config, if any) and folds them with the flags into m->opts, which x->o then points to.
 * @return DCX_OK, DCX_EPARSE (a definitions file: file, line, column and the key it probably
 * meant), DCX_EINVAL (a table from Lua, or no metric at all), DCX_EIO, DCX_ENOMEM. */
dcx_status_t metric_defs_merge(run_t *x, const dcx_analyze_opts_t *o, metric_defs_t *m,
                               dcx_error_t *err);

/* Frees the lists m owns. */
void metric_defs_free(metric_defs_t *m);

/* ---- roles.c ---- */

/* The metrics' roles (x->roles, x->ngoals) from --goal, --guardrail and --direction: a
 * metric is secondary, and its good direction up, unless told otherwise; a guardrail
 * whose direction is assumed is warned about. @return DCX_OK, DCX_EINVAL (a bad spec, an
 * unknown metric, a metric both goal and guardrail, a relative margin for NPS),
 * DCX_ENOMEM. */
dcx_status_t roles_parse(run_t *x, dcx_error_t *err);

/* Applies the metric's role to a filled row of cells c (control) and t: direction, role
 * and family; a guardrail's non-inferiority p and its p of being worse than the margin
 * (under bayesian the normal posterior's probability of being within the margin); a
 * goal's or secondary metric's p in its bad direction, and under --one-sided its
 * one-sided p and intervals. */
void roles_apply(run_t *x, cmp_t *r, const cell_t *c, const cell_t *t);

/* ---- families.c ---- */

/* The correction of each family (goal, secondary, and per metric × segment column; the
 * goal family by Holm when --correction is none): each row's p_adjusted, its significance
 * and the intervals that match p_adjusted. Guardrails' overall rows are not corrected.
 * Under bayesian a row is significant when its credible interval excludes 0. @return
 * DCX_OK, DCX_ENOMEM. */
dcx_status_t families_correct(run_t *x, cmp_t *rows, size_t nrows, dcx_error_t *err);

/* The family's name as the document writes it ("goal", "segment:device"), into buf. */
const char *family_name(const run_t *x, const cmp_t *r, char *buf, size_t len);

/* ---- analysis_doc.c ---- */

/* The result document of row r (an allocation that fails is recorded for doc_oom; NULL
 * when out of memory). The row is left as it was: the same document each time. */
cJSON *adoc_result(const run_t *x, const cmp_t *r);

/* The SRM check of all units into object srm (counts, expected counts, chi2, p_value,
 * mismatch), with a warning on a mismatch. @return 1 on a sample ratio mismatch. */
int adoc_srm_overall(run_t *x, cJSON *srm);

/* The SRM check of the segment level x->levels[li] (li >= 1) as its srm_segments entry
 * (the check kept in x->srm_lvl is not made again); *sr is the check, *mismatch whether
 * the level's split is off, *checked whether the check could be made. @return the entry,
 * NULL when out of memory. */
cJSON *adoc_srm_level(const run_t *x, size_t li, dcx_srm_result_t *sr, int *mismatch, int *checked);

/* The SRM check of each segment level, kept in x->srm_lvl, with a warning (repeated per
 * level) on each mismatch; the entries themselves are made when written (adoc_srm_level).
 * @return 1 when some level's split is off. */
int adoc_srm_segments(run_t *x);

/* The cumulative timeline into array `timeline`: all units, one entry per metric ×
 * treatment × period. Under sequential the p-value is the running minimum and the
 * interval the running intersection of the looks' confidence sequences, both of which
 * also become the overall row's (whose looks are kept in x->looks for the intervals at
 * adjusted levels). @return DCX_OK, DCX_ENOMEM. */
dcx_status_t adoc_timeline(run_t *x, cJSON *timeline, cmp_t *rows, dcx_error_t *err);

/* The heterogeneity entries into array het; est and se are scratch space for x->nlev
 * values. */
void adoc_heterogeneity(const run_t *x, cJSON *het, const cmp_t *rows, double *est, double *se);

/* ---- gseq.c ---- */

/* The looks of --method group-sequential: information fractions (x->gs_t) from the periods'
 * cumulative units and the boundaries at alpha (x->gs_b). @return DCX_OK, DCX_EDOM (more
 * periods than planned looks, a first period without units), DCX_ENOMEM. */
dcx_status_t gs_setup(run_t *x, dcx_error_t *err);

/* The one-sided level of each side's boundary: a (one-sided) or a/2. */
double gs_side(const run_t *x, int one_sided, double a);

/* A row under group-sequential: z statistic, the p-value of its last look against the
 * design (skipped for a timeline look, x->quiet) and its intervals. */
void gs_row(run_t *x, cmp_t *r);

/* An overall row whose looks are set: the repeated p-value of its path (pk: at each look,
 * running), boundary_crossed_at, the running intersection of its repeated confidence
 * intervals, and a guardrail's non-inferiority p-values on its path. */
void gs_path(run_t *x, cmp_t *r, double *pk);

/* A guardrail's non-inferiority p and p of being worse than its margin, one-sided at alpha,
 * on its path (or its last look). */
void gs_guardrail(run_t *x, cmp_t *r);

/* The repeated confidence interval of the difference (lift = 0) or lift at level alpha: over
 * the row's looks, their intersection; without, the last look's. */
void gs_interval(const run_t *x, const cmp_t *r, int lift, double alpha, double *lo, double *hi);

/* The top-level "group_sequential" member. */
void gs_doc(const run_t *x, cJSON *doc);
/* The data's health into object health (members only for what was found: units under
 * several variants, rows without a variant, rows filtered out), with a warning for each
 * finding that was not asked for, and for a cap that changed more than 10% of a metric's
 * non-zero values. */
void adoc_health(run_t *x, cJSON *health);

/* ---- decisions.c ---- */

/* The decision entries into array arr, one per treatment from its overall rows;
 * srm_mismatch adds a caution to each. */
void decisions_doc(run_t *x, cJSON *arr, const cmp_t *rows, int srm_mismatch);

#endif
