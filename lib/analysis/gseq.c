/* gseq.c — `--method group-sequential`: the timeline's periods are the looks of a design
 * planned with --looks K that spends alpha by --spending (Lan–DeMets); each look's
 * information fraction is its cumulative units over the last look's, scaled by P/K when only
 * P of the K looks have been taken (with more periods than planned looks, every period is a
 * look and the last holds the full information: Lan-DeMets spends by information, not by
 * count). A row's p-value is the repeated p-value of its path of z
 * statistics, its interval the running intersection of the looks' repeated confidence
 * intervals (estimate ± boundary·se), and boundary_crossed_at the first look at which the
 * path crossed the level-alpha boundary (Jennison and Turnbull 2000, ch. 9). A segment level
 * has no timeline of its own: its last-look statistic is judged against the last look's
 * boundary. */
#include "analyze_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc_util.h"

dcx_status_t gs_setup(run_t *x, dcx_error_t *err)
{
    const data_t *d = &x->d;
    size_t np = d->nperiods, k = (size_t)x->o->looks;
    x->gs_spend = x->o->spending && !strcmp(x->o->spending, "pocock") ? DCX_SPEND_POCOCK : DCX_SPEND_OBF;
    if (!np)
        return dcx_error_set(err, DCX_EDOM, "group-sequential: column '%s' has no periods",
                             x->o->time_column);
    if (np > GS_MAX_LOOKS)
        return dcx_error_set(err, DCX_EDOM,
                             "group-sequential: the timeline has %zu periods, more looks than a "
                             "design holds (%d): use a coarser --period",
                             np, GS_MAX_LOOKS);
    if (np > k) /* Lan-DeMets allows looks the plan did not foresee: alpha is spent by
                 * information, so every period is a look and the last has it all */
        run_warn(x, "group-sequential: the timeline has %zu periods, more than the %zu planned "
                    "looks: each period is taken as a look, spending alpha at its share of the "
                    "units (the last at all of them)",
                 np, k);
    size_t *po;
    dcx_status_t st = order_periods(x, &po, err);
    if (st)
        return st;
    if (!(x->gs_t = calloc(np + 1, sizeof *x->gs_t)) || !(x->gs_b = calloc(np + 1, sizeof *x->gs_b))) {
        free(po);
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    double cum = 0;
    for (size_t p = 0; p < np; p++) {
        const level_t *l = &d->periods[po[p]];
        for (size_t v = 0; v < d->variants.n; v++)
            cum += l->units[v];
        x->gs_t[p] = cum;
    }
    free(po);
    for (size_t p = 0; p < np; p++)
        x->gs_t[p] = np >= k ? (p + 1 == np ? 1.0 : x->gs_t[p] / cum)
                   : p + 1 == np ? (double)np / (double)k : x->gs_t[p] / cum * (double)np / (double)k;
    if (!(x->gs_t[0] > 0))
        return dcx_error_set(err, DCX_EDOM, "group-sequential: the first period has no units");
    x->gs_np = np;
    return dcx_gs_boundaries(x->gs_spend, gs_side(x, x->o->one_sided, x->o->alpha), x->gs_t, np,
                             x->gs_b, err);
}

double gs_side(const run_t *x, int one_sided, double a)
{
    (void)x;
    return one_sided ? a : a / 2;
}

/* The boundaries at one-sided level a into b (x->gs_np of them); 0 when they cannot be had
 * (out of memory: the run fails). */
static int bounds_at(const run_t *x, double a, double *b)
{
    if (a == gs_side(x, x->o->one_sided, x->o->alpha)) {
        memcpy(b, x->gs_b, x->gs_np * sizeof *b);
        return 1;
    }
    dcx_error_t err;
    if (dcx_gs_boundaries(x->gs_spend, a, x->gs_t, x->gs_np, b, &err)) {
        ((run_t *)x)->oom |= err.code == DCX_ENOMEM;
        return 0;
    }
    return 1;
}

void gs_interval(const run_t *x, const cmp_t *r, int lift, double alpha, double *lo, double *hi)
{
    double est = lift ? r->lift : r->diff, se = lift ? r->lift_se : r->se, b[GS_MAX_LOOKS + 1];
    if (!(alpha > 0 && alpha < 1) || !bounds_at(x, gs_side(x, r->one_sided, alpha), b))
        return;
    double l = -INFINITY, u = INFINITY;
    if (!r->nlooks) { /* the last look alone */
        double h = b[x->gs_np - 1] * se;
        l = est - h, u = est + h;
    }
    for (size_t k = 0; k < r->nlooks; k++) {
        const look_t *lk = &r->looks[k];
        double e = lift ? lk->lift : lk->diff, v = lift ? lk->lift_v : lk->v;
        if (!isfinite(e) || !(v > 0) || !isfinite(b[k]))
            continue;
        double h = b[k] * sqrt(v);
        l = fmax(l, e - h);
        u = fmin(u, e + h);
    }
    if (r->one_sided) {
        if (r->dir > 0)
            u = INFINITY;
        else
            l = -INFINITY;
    }
    if (l <= u) {
        *lo = isfinite(l) ? l : NAN;
        *hi = isfinite(u) ? u : NAN;
    }
}

/* The path of statistics s·(e_k + shift_k)/se_k over the row's looks (the last look alone
 * when it has none), its repeated p-values (one-sided in direction s) into pk (x->gs_np of
 * them, running) and the first look at which it reached the boundary b (0: none). */
static void path_p(run_t *x, const cmp_t *r, int rel, double s, double shift, const double *b,
                   double *pk, int *crossed)
{
    double z[GS_MAX_LOOKS + 1];
    size_t np = x->gs_np;
    for (size_t k = 0; k < np; k++)
        z[k] = pk[k] = NAN;
    if (r->nlooks) {
        for (size_t k = 0; k < r->nlooks && k < np; k++) {
            double e = rel ? r->looks[k].lift : r->looks[k].diff, v = rel ? r->looks[k].lift_v : r->looks[k].v;
            if (isfinite(e) && v > 0)
                z[k] = s * (e + shift) / sqrt(v);
        }
    } else {
        z[np - 1] = rel ? s * (r->lift + shift) / r->lift_se : s * (r->diff + shift) / r->se;
    }
    if (crossed) {
        *crossed = 0;
        for (size_t k = 0; k < np && !*crossed; k++)
            if (isfinite(z[k]) && z[k] >= b[k])
                *crossed = (int)k + 1;
    }
    dcx_error_t err;
    if (dcx_gs_repeated_p(x->gs_spend, x->gs_t, z, np, pk, &err)) {
        x->oom |= err.code == DCX_ENOMEM;
        for (size_t k = 0; k < np; k++)
            pk[k] = NAN;
    }
}

/* The row's p-values at each look into pk (two-sided: twice the one-sided p of the side
 * that is smaller, at most 1), its p-value (the last) and the look at which it crossed. */
static void judge(run_t *x, cmp_t *r, double *pk)
{
    size_t np = x->gs_np;
    if (r->one_sided) {
        path_p(x, r, x->relative, r->dir, 0, x->gs_b, pk, &r->crossed_at);
    } else {
        double pd[GS_MAX_LOOKS + 1];
        int up, down;
        path_p(x, r, x->relative, 1, 0, x->gs_b, pk, &up);
        path_p(x, r, x->relative, -1, 0, x->gs_b, pd, &down);
        for (size_t k = 0; k < np; k++)
            pk[k] = fmin(1, 2 * fmin(pk[k], pd[k]));
        r->crossed_at = up && down ? (up < down ? up : down) : up ? up : down;
    }
    r->p = pk[np - 1];
}

void gs_row(run_t *x, cmp_t *r)
{
    r->test = "group-sequential";
    r->df = NAN;
    r->crossed_at = 0;
    if (!isfinite(r->diff) || !(r->se > 0))
        return;
    const role_t *ro = &x->roles[r->m];
    r->dir = ro->dir;
    r->one_sided = x->o->one_sided && ro->kind != ROLE_GUARDRAIL;
    double pk[GS_MAX_LOOKS + 1];
    if (x->relative && !(isfinite(r->lift) && r->lift_se > 0)) {
        r->stat = r->p = NAN; /* noted by the relative test */
    } else {
        r->stat = x->relative ? r->lift / r->lift_se : r->diff / r->se;
        /* a timeline look's p-value, and an overall row's, is its path's (gs_path) */
        if (!x->quiet && x->d.levels[r->level].seg >= 0)
            judge(x, r, pk);
    }
    gs_interval(x, r, 0, x->o->alpha, &r->lo, &r->hi);
    gs_interval(x, r, 1, x->o->alpha, &r->lift_lo, &r->lift_hi);
}

void gs_path(run_t *x, cmp_t *r, double *pk)
{
    if (!isfinite(r->diff) || !(r->se > 0))
        return;
    if (!x->relative || (isfinite(r->lift) && r->lift_se > 0))
        judge(x, r, pk);
    gs_interval(x, r, 0, x->o->alpha, &r->lo, &r->hi);
    gs_interval(x, r, 1, x->o->alpha, &r->lift_lo, &r->lift_hi);
    if (r->role == ROLE_GUARDRAIL)
        gs_guardrail(x, r);
}

void gs_guardrail(run_t *x, cmp_t *r)
{
    if (!isfinite(r->margin) || !isfinite(r->diff) || !(r->se > 0))
        return;
    /* H0: s·diff ≤ −margin, tested one-sided on the path of s·diff + margin */
    double b[GS_MAX_LOOKS + 1];
    if (!bounds_at(x, x->o->alpha, b))
        return;
    double pk[GS_MAX_LOOKS + 1], shift = r->dir * r->margin;
    path_p(x, r, 0, r->dir, shift, b, pk, NULL);
    r->ni_p = pk[x->gs_np - 1];
    path_p(x, r, 0, -r->dir, shift, b, pk, NULL);
    r->inf_p = pk[x->gs_np - 1];
}

void gs_doc(const run_t *x, cJSON *doc)
{
    cJSON *g = doc_obj(doc, "group_sequential");
    doc_num(g, "looks", x->o->looks);
    doc_str(g, "spending", x->gs_spend == DCX_SPEND_POCOCK ? "pocock" : "obrien-fleming");
    cJSON *info = doc_arr(g, "information"), *bd = doc_arr(g, "boundaries");
    for (size_t k = 0; k < x->gs_np; k++) {
        doc_push(info, cJSON_CreateNumber(x->gs_t[k]));
        doc_push(bd, isfinite(x->gs_b[k]) ? cJSON_CreateNumber(x->gs_b[k]) : cJSON_CreateNull());
    }
}
