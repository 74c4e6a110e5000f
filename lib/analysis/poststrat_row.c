/* poststrat_row.c — `dcx analyze --post-stratify COL`: each comparison row's estimate
 * post-stratified over the values of a pre-exposure column (dcx_poststrat in lib/stats),
 * within the row's own level: the "all" row over every unit's stratum, a segment level's
 * row over the strata of its units. The cells of each (level, stratum) are filled by the
 * reader (units_read.c, cells.c); here they are gathered, the estimate replaced, and what
 * cannot be stratified refused before anything is computed. */
#include "analyze_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_util.h"

dcx_status_t ps_check_options(const run_t *x, dcx_error_t *err)
{
    const dcx_analyze_opts_t *o = x->o;
    const char *col = o->post_stratify;
    if (!col)
        return DCX_OK;
    if (!*col)
        return dcx_error_set(err, DCX_EINVAL, "--post-stratify needs a column name");
    if (o->summary.n)
        return dcx_error_set(err, DCX_EINVAL,
                             "--post-stratify needs unit-level data: use --input (a summary's "
                             "cells are not split by stratum)");
    if (o->time_column)
        return dcx_error_set(err, DCX_EINVAL,
                             "--post-stratify does not stratify the timeline's periods: leave out "
                             "--time-column (and so --method group-sequential, whose looks they are)");
    if (x->test != T_AUTO && x->test != T_Z)
        return dcx_error_set(err, DCX_EINVAL,
                             "--post-stratify tests the stratified estimate by the z test: use "
                             "--test auto or z");
    if (!strcmp(col, o->variant_column ? o->variant_column : "variant"))
        return dcx_error_set(err, DCX_EINVAL,
                             "--post-stratify '%s' is the variant column: stratify on a column "
                             "measured before exposure",
                             col);
    return DCX_OK;
}

dcx_status_t ps_setup(run_t *x, dcx_error_t *err)
{
    const data_t *d = &x->d;
    if (!d->strat_col)
        return DCX_OK;
    for (size_t i = 0; i < d->nm; i++) {
        const metric_t *m = &d->metrics[i];
        if (m->type != MT_BINARY && m->type != MT_MEAN && m->type != MT_RATIO)
            return dcx_error_set(err, DCX_EINVAL,
                                 "--post-stratify: metric '%s' is of type %s; post-stratification "
                                 "covers binary and mean metrics (with or without --cuped) and "
                                 "ratio metrics (without)",
                                 m->name, mtype_name(m->type));
        if (m->type == MT_RATIO && m->cov)
            return dcx_error_set(err, DCX_EINVAL,
                                 "--post-stratify: ratio metric '%s' has a covariate; "
                                 "post-stratification covers ratio metrics without --cuped",
                                 m->name);
    }
    if (!(x->ps_buf = malloc((d->strat_values.n + 1) * sizeof *x->ps_buf)))
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return DCX_OK;
}

/* The per-unit variance of an arm of metric m, as its plain comparison takes it (a ratio:
 * n times its delta-method variance). */
static double plain_var(const metric_t *m, const cell_t *c)
{
    if (m->type == MT_RATIO) {
        double r, v;
        dcx_error_t e;
        const dcx_moments_t *mm = &c->m;
        if (dcx_ratio_delta(mm->n, dcx_moments_mean_x(mm), dcx_moments_mean_y(mm), dcx_moments_var_x(mm),
                            dcx_moments_var_y(mm), dcx_moments_cov_xy(mm), &r, &v, &e))
            return NAN;
        return v * mm->n;
    }
    if (m->type == MT_BINARY && !m->cov) {
        double p = c->ones / c->m.n;
        return p * (1 - p);
    }
    return c->m.n > 1 ? dcx_moments_var_x(&c->m) : NAN;
}

int ps_row(run_t *x, const metric_t *m, const cell_t *c, const cell_t *t, cmp_t *r)
{
    const data_t *d = &x->d;
    const level_t *l = x->ps_level;
    size_t k = 0;
    for (size_t s = 0; s < l->nsblk; s++) {
        if (!l->sblk[s])
            continue;
        const level_t *b = &d->strata[l->sblk[s] - 1];
        x->ps_buf[k].c = level_cell(d, b, x->control, r->m)->m;
        x->ps_buf[k].t = level_cell(d, b, r->t, r->m)->m;
        k++;
    }
    unsigned flags = m->type == MT_RATIO ? DCX_PS_RATIO
                     : m->cov             ? DCX_PS_CUPED
                     : m->type == MT_BINARY ? DCX_PS_PROPORTION
                                            : 0;
    dcx_poststrat_t ps;
    dcx_error_t err;
    dcx_error_clear(&err);
    r->strata = 0;
    if (dcx_poststrat(x->ps_buf, k, flags, &ps, &err)) {
        row_note_err(r, "post-stratification not applied (%s): the estimate is the plain one", &err);
        return 0;
    }
    if (ps.strata < 2) {
        r->strata = 1;
        row_note(r, "post-stratification: only one stratum has a variance in both arms, so the "
                    "estimate is the plain one",
                 NULL);
        return 0;
    }
    r->strata = (long)ps.strata;
    if (ps.merged) {
        char n[32];
        snprintf(n, sizeof n, "%zu", ps.merged);
        row_note(r, "post-stratification: %s strata without a variance in both arms were folded "
                    "into the largest",
                 n);
    }
    double m0 = ps.control, m1 = ps.effect;
    double plain = plain_var(m, c) / c->m.n + plain_var(m, t) / t->m.n;
    r->diff = m1;
    r->se = sqrt(ps.v_effect);
    r->df = NAN; /* normal theory */
    r->mean_c = m0, r->mean_t = m0 + m1;
    r->est_c = m0, r->est_t = m0 + m1;
    r->var_c = ps.v_control;
    r->var_t = ps.v_control + 2 * ps.cov + ps.v_effect;
    r->cov_ct = ps.v_control + ps.cov;
    r->theta = NAN; /* one per stratum */
    r->vr = plain > 0 ? 1 - ps.v_effect / plain : NAN;
    r->lift = r->lift_se = NAN;
    if (m0 != 0) {
        /* lift = m1/|m0|, by the delta method on (m0, m1): ∇ = (−m1/m0², 1/m0) up to sign */
        double g0 = -m1 / (m0 * m0), g1 = 1 / m0;
        double lv = g0 * g0 * ps.v_control + 2 * g0 * g1 * ps.cov + g1 * g1 * ps.v_effect;
        r->lift = m1 / fabs(m0);
        r->lift_se = lv >= 0 && isfinite(lv) ? sqrt(lv) : NAN;
    }
    return 1;
}

void ps_doc(const run_t *x, cJSON *doc)
{
    if (!x->d.strat_col)
        return;
    cJSON *p = doc_obj(doc, "post_stratify");
    doc_str(p, "column", x->d.strat_col);
    doc_num(p, "strata", (double)x->d.strat_values.n);
}
