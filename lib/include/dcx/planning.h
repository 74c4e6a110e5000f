/* planning.h — the planning commands: `dcx power` (sample size, MDE or power of a
 * test) and `dcx srm` (sample-ratio-mismatch check of observed variant counts). */
#ifndef DCX_PLANNING_H
#define DCX_PLANNING_H

#include "dcx/api.h"

#include <stdio.h>

#include "dcx/options.h"
#include "dcx/stats.h"
#include "dcx/analysis.h"

struct cJSON;

typedef struct {
    dcx_common_opts_t common;
    double baseline;    /* binary: control conversion rate */
    double mean;        /* continuous: control mean */
    double sd;          /* continuous: standard deviation */
    double mde;         /* minimum detectable effect (absolute unless relative) */
    int relative;       /* mde is relative to baseline/mean */
    double alpha;
    double power;
    int variants;
    double ratio;       /* treatment/control size */
    double n;           /* units per variant: solve for the MDE (or power with --mde) */
    double daily_units; /* total units per day entering the test */
    char *plot;         /* plot file (issue 7) */
    int sequential;     /* the power of the always-valid mSPRT */
    double tuning;      /* sequential: its tuning N* */
    double current_n;   /* units per variant so far: power_now, additional_n_per_variant */
    char *config;       /* the experiment config: variants and their shares */
} dcx_power_opts_t;

DCX_API extern const dcx_option_t dcx_power_options[];

/* dcx_power_spec_from_opts() : translates command options into a dcx_power_spec_t,
 * deciding what to solve for: n (default), the MDE (--n without --mde) or the power
 * (--n with --mde); --power with both --n and --mde is refused; --config sets the variants
 * and the ratio (smallest treatment share over the control's).
 * @return DCX_EINVAL when the options do not describe one design; the config's errors. */
DCX_API dcx_status_t dcx_power_spec_from_opts(const dcx_power_opts_t *o, dcx_power_spec_t *s,
                                      dcx_error_t *err);

/* the options of `dcx srm` (dcx_srm_opts_t: analysis.h) */
DCX_API extern const dcx_option_t dcx_srm_options[];

#endif
