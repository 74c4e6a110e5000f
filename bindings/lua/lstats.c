/* lstats.c — dcx.stats: the statistics core with Lua-friendly arguments. Distribution
 * functions take the R argument order and an optional `lower` (default true); tests
 * take counts, lists of values or arm tables {n=, mean=, var=} and return tables.
 * Misuse raises; a statistic that is undefined for the data returns nil, message. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ldcx.h"

static int lower_arg(lua_State *L, int i) { return lua_isnoneornil(L, i) ? 1 : lua_toboolean(L, i); }

static int push_value(lua_State *L, double v, const char *fn)
{
    if (isnan(v)) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: parameters outside the domain", fn);
        return 2;
    }
    lua_pushnumber(L, v);
    return 1;
}

#define D1(name, call)                                                                          \
    static int l_##name(lua_State *L)                                                           \
    {                                                                                           \
        double a = luaL_checknumber(L, 1);                                                      \
        (void)a;                                                                                \
        return push_value(L, call, #name);                                                      \
    }

D1(pnorm, dcx_dist_norm_cdf(a, lower_arg(L, 2)))
D1(qnorm, dcx_dist_norm_quantile(a, lower_arg(L, 2)))
D1(pt, dcx_dist_t_cdf(a, luaL_checknumber(L, 2), lower_arg(L, 3)))
D1(qt, dcx_dist_t_quantile(a, luaL_checknumber(L, 2), lower_arg(L, 3)))
D1(pnt, dcx_dist_nt_cdf(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3), lower_arg(L, 4)))
D1(pchisq, dcx_dist_chisq_cdf(a, luaL_checknumber(L, 2), lower_arg(L, 3)))
D1(qchisq, dcx_dist_chisq_quantile(a, luaL_checknumber(L, 2), lower_arg(L, 3)))
D1(pbeta, dcx_dist_beta_cdf(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3), lower_arg(L, 4)))
D1(qbeta, dcx_dist_beta_quantile(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3), lower_arg(L, 4)))
D1(dbeta, dcx_dist_beta_pdf(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3)))
D1(dbinom, dcx_dist_binom_pmf(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3)))
D1(pbinom, dcx_dist_binom_cdf(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3), lower_arg(L, 4)))
D1(qbinom, dcx_dist_binom_quantile(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3), lower_arg(L, 4)))
D1(dhyper, dcx_dist_hyper_pmf(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3), luaL_checknumber(L, 4)))
D1(phyper, dcx_dist_hyper_cdf(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3), luaL_checknumber(L, 4), lower_arg(L, 5)))
D1(qhyper, dcx_dist_hyper_quantile(a, luaL_checknumber(L, 2), luaL_checknumber(L, 3), luaL_checknumber(L, 4), lower_arg(L, 5)))

static void setnum(lua_State *L, const char *k, double v)
{
    if (isnan(v))
        ldcx_push_null(L);
    else
        lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void setpair(lua_State *L, const char *k, double a, double b)
{
    if (isnan(a) || isnan(b)) {
        ldcx_push_null(L);
    } else {
        lua_createtable(L, 2, 0);
        lua_pushnumber(L, a);
        lua_rawseti(L, -2, 1);
        lua_pushnumber(L, b);
        lua_rawseti(L, -2, 2);
    }
    lua_setfield(L, -2, k);
}

/* Pushes a test result; EINVAL raises, other failures return nil, message. */
static int push_test(lua_State *L, dcx_status_t st, const dcx_test_result_t *r,
                     const dcx_error_t *err, const char *fn)
{
    if (st == DCX_EINVAL)
        return luaL_error(L, "%s: %s", fn, err->message);
    if (st && st != DCX_EDOM) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: %s", fn, err->message);
        return 2;
    }
    lua_createtable(L, 0, 7);
    setnum(L, "estimate", r->estimate);
    setnum(L, "se", r->se);
    setpair(L, "ci", r->ci_lo, r->ci_hi);
    setnum(L, "statistic", r->statistic);
    setnum(L, "df", r->df);
    setnum(L, "p_value", r->p_value);
    if (st == DCX_EDOM) {
        lua_pushstring(L, err->message);
        lua_setfield(L, -2, "note");
    }
    return 1;
}

/* An arm: a list of values, or {n=, mean=, var=}. Values are accumulated stably. */
static dcx_arm_t check_arm(lua_State *L, int i, const char *fn)
{
    luaL_checktype(L, i, LUA_TTABLE);
    dcx_arm_t a;
    if (lua_getfield(L, i, "n") == LUA_TNUMBER) {
        a.n = lua_tonumber(L, -1);
        lua_getfield(L, i, "mean");
        lua_getfield(L, i, "var");
        if (!lua_isnumber(L, -2) || !lua_isnumber(L, -1))
            luaL_error(L, "%s: an arm table needs n, mean and var", fn);
        a.mean = lua_tonumber(L, -2);
        a.var = lua_tonumber(L, -1);
        lua_pop(L, 3);
        return a;
    }
    lua_pop(L, 1);
    dcx_moments_t m;
    dcx_moments_init(&m);
    lua_Integer n = (lua_Integer)lua_rawlen(L, i);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, i, k);
        if (lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "%s: values must be numbers (item %d)", fn, (int)k);
        dcx_moments_add(&m, lua_tonumber(L, -1));
        lua_pop(L, 1);
    }
    a.n = m.n;
    a.mean = dcx_moments_mean_x(&m);
    a.var = dcx_moments_var_x(&m);
    return a;
}

static double *numbers(lua_State *L, int i, size_t *n, const char *fn)
{
    luaL_checktype(L, i, LUA_TTABLE);
    size_t len = lua_rawlen(L, i);
    double *v = lua_newuserdatauv(L, (len ? len : 1) * sizeof *v, 0);
    for (size_t k = 0; k < len; k++) {
        lua_rawgeti(L, i, (lua_Integer)k + 1);
        if (lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "%s: item %d is not a number", fn, (int)k + 1);
        v[k] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    *n = len;
    return v; /* left on the stack: the caller's frame owns it */
}

static int l_prop_test(lua_State *L)
{
    dcx_test_result_t r;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_test_prop(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3),
                                    luaL_checknumber(L, 4), luaL_optnumber(L, 5, 0.05), &r, &e);
    return push_test(L, st, &r, &e, "dcx.stats.prop_test");
}

static int l_welch_test(lua_State *L)
{
    dcx_arm_t t = check_arm(L, 1, "dcx.stats.welch_test"), c = check_arm(L, 2, "dcx.stats.welch_test");
    dcx_test_result_t r;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_test_welch(&t, &c, luaL_optnumber(L, 3, 0.05), &r, &e);
    return push_test(L, st, &r, &e, "dcx.stats.welch_test");
}

static int l_z_test(lua_State *L)
{
    dcx_test_result_t r;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_test_z(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_optnumber(L, 3, 0.05), &r, &e);
    return push_test(L, st, &r, &e, "dcx.stats.z_test");
}

static int l_lift(lua_State *L)
{
    dcx_arm_t t = check_arm(L, 1, "dcx.stats.lift"), c = check_arm(L, 2, "dcx.stats.lift");
    dcx_test_result_t r;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_lift_delta(&t, &c, luaL_optnumber(L, 3, 0.05), &r, &e);
    return push_test(L, st, &r, &e, "dcx.stats.lift");
}

static int l_mann_whitney(lua_State *L)
{
    size_t nx, ny;
    double *x = numbers(L, 1, &nx, "dcx.stats.mann_whitney"), *y = numbers(L, 2, &ny, "dcx.stats.mann_whitney");
    dcx_test_result_t r;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_test_mann_whitney(x, nx, y, ny, &r, &e);
    return push_test(L, st, &r, &e, "dcx.stats.mann_whitney");
}

static int l_fisher_test(lua_State *L)
{
    double p, orr;
    dcx_error_t e;
    dcx_error_clear(&e);
    if (dcx_test_fisher(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3),
                        luaL_checknumber(L, 4), &p, &orr, &e))
        return luaL_error(L, "dcx.stats.fisher_test: %s", e.message);
    lua_createtable(L, 0, 2);
    setnum(L, "p_value", p);
    setnum(L, "odds_ratio", isfinite(orr) ? orr : NAN);
    return 1;
}

static int l_chisq_gof(lua_State *L)
{
    size_t n, np = 0;
    int has_p = !lua_isnoneornil(L, 2); /* before numbers() pushes onto the stack */
    if (!has_p)
        lua_settop(L, 1);
    double *c = numbers(L, 1, &n, "dcx.stats.chisq_gof"), *p = NULL;
    if (has_p) {
        p = numbers(L, 2, &np, "dcx.stats.chisq_gof");
        if (np != n)
            return luaL_error(L, "dcx.stats.chisq_gof: %d probabilities for %d counts", (int)np, (int)n);
    }
    double chi2, df, pv;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_test_chisq_gof(c, p, n, &chi2, &df, &pv, &e);
    if (st == DCX_EINVAL)
        return luaL_error(L, "dcx.stats.chisq_gof: %s", e.message);
    if (st) {
        lua_pushnil(L);
        lua_pushstring(L, e.message);
        return 2;
    }
    lua_createtable(L, 0, 3);
    setnum(L, "chi2", chi2);
    setnum(L, "df", df);
    setnum(L, "p_value", pv);
    return 1;
}

static int l_ratio(lua_State *L)
{
    double r, v;
    dcx_error_t e;
    dcx_error_clear(&e);
    if (dcx_ratio_delta(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3),
                        luaL_checknumber(L, 4), luaL_checknumber(L, 5), luaL_checknumber(L, 6), &r, &v, &e)) {
        lua_pushnil(L);
        lua_pushstring(L, e.message);
        return 2;
    }
    lua_createtable(L, 0, 2);
    setnum(L, "ratio", r);
    setnum(L, "var", v);
    return 1;
}

static int l_cochran_q(lua_State *L)
{
    size_t n, ns;
    double *est = numbers(L, 1, &n, "dcx.stats.cochran_q"), *se = numbers(L, 2, &ns, "dcx.stats.cochran_q");
    if (n != ns)
        return luaL_error(L, "dcx.stats.cochran_q: %d estimates but %d standard errors", (int)n, (int)ns);
    double q, df, p;
    dcx_error_t e;
    dcx_error_clear(&e);
    if (dcx_cochran_q(est, se, n, &q, &df, &p, &e)) {
        lua_pushnil(L);
        lua_pushstring(L, e.message);
        return 2;
    }
    lua_createtable(L, 0, 3);
    setnum(L, "q", q);
    setnum(L, "df", df);
    setnum(L, "p_value", p);
    return 1;
}

static int l_p_adjust(lua_State *L)
{
    size_t n;
    dcx_adjust_t m;
    dcx_error_t e;
    dcx_error_clear(&e);
    if (dcx_adjust_parse(luaL_optstring(L, 2, "none"), &m, &e)) /* before numbers() pushes */
        return luaL_error(L, "dcx.stats.p_adjust: %s", e.message);
    double *p = numbers(L, 1, &n, "dcx.stats.p_adjust");
    double *out = lua_newuserdatauv(L, (n ? n : 1) * sizeof *out, 0);
    if (dcx_p_adjust(p, n, m, out, &e))
        return luaL_error(L, "dcx.stats.p_adjust: %s", e.message);
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushnumber(L, out[k]);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    return 1;
}

static int push_bayes(lua_State *L, dcx_status_t st, const dcx_bayes_result_t *b, const dcx_error_t *e, const char *fn)
{
    if (st == DCX_EINVAL)
        return luaL_error(L, "%s: %s", fn, e->message);
    if (st) {
        lua_pushnil(L);
        lua_pushstring(L, e->message);
        return 2;
    }
    lua_createtable(L, 0, 3);
    setnum(L, "prob_beat_control", b->prob_beat_control);
    setnum(L, "expected_loss", b->expected_loss);
    setpair(L, "credible_interval", b->ci_lo, b->ci_hi);
    return 1;
}

static int l_bayes_beta(lua_State *L)
{
    dcx_bayes_result_t b;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_bayes_beta(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3),
                                     luaL_checknumber(L, 4), luaL_optnumber(L, 5, 0.05), &b, &e);
    return push_bayes(L, st, &b, &e, "dcx.stats.bayes_beta");
}

static int l_bayes_normal(lua_State *L)
{
    dcx_bayes_result_t b;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_bayes_normal(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_optnumber(L, 3, 0.05), &b, &e);
    return push_bayes(L, st, &b, &e, "dcx.stats.bayes_normal");
}

static int l_msprt(lua_State *L)
{
    double p, lo, hi;
    dcx_error_t e;
    dcx_error_clear(&e);
    dcx_status_t st = dcx_msprt(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3),
                                luaL_optnumber(L, 4, 0.05), &p, &lo, &hi, &e);
    if (st == DCX_EINVAL)
        return luaL_error(L, "dcx.stats.msprt: %s", e.message);
    if (st) {
        lua_pushnil(L);
        lua_pushstring(L, e.message);
        return 2;
    }
    lua_createtable(L, 0, 2);
    setnum(L, "p_value", p);
    setpair(L, "ci", lo, hi);
    return 1;
}

static int l_msprt_tau2(lua_State *L)
{
    lua_pushnumber(L, dcx_msprt_tau2_default(luaL_checknumber(L, 1), luaL_checknumber(L, 2),
                                             luaL_checknumber(L, 3), luaL_optnumber(L, 4, 5000)));
    return 1;
}

static int l_moments(lua_State *L)
{
    dcx_arm_t a = check_arm(L, 1, "dcx.stats.moments");
    lua_createtable(L, 0, 4);
    setnum(L, "n", a.n);
    setnum(L, "mean", a.mean);
    setnum(L, "var", a.var);
    setnum(L, "sd", sqrt(a.var));
    return 1;
}

/* ---- dcx.stats.accumulator(): streaming, mergeable moments ------------------------------------
 * The library's shifted sums (moments.h), so values near 1e9 keep their digits and two
 * accumulators (per file, per worker) merge exactly; min and max beside them. */

typedef struct {
    dcx_moments_t m;
    double count; /* observations with a weight above 0 */
    double min, max;
} acc_t;

static acc_t *check_acc(lua_State *L, int i) { return luaL_checkudata(L, i, "dcx.accumulator"); }

static int l_accumulator(lua_State *L)
{
    acc_t *a = lua_newuserdatauv(L, sizeof *a, 0);
    memset(a, 0, sizeof *a);
    a->min = INFINITY;
    a->max = -INFINITY;
    luaL_setmetatable(L, "dcx.accumulator");
    return 1;
}

/* acc:add(x [, weight]) -> acc */
static int acc_add(lua_State *L)
{
    acc_t *a = check_acc(L, 1);
    lua_Number x = luaL_checknumber(L, 2), w = luaL_optnumber(L, 3, 1);
    luaL_argcheck(L, isfinite(x), 2, "a finite number (use no value for a missing one)");
    luaL_argcheck(L, isfinite(w) && w >= 0, 3, "a weight is a finite number >= 0");
    if (w > 0) {
        dcx_moments_add_weighted(&a->m, x, w);
        a->count += 1;
        a->min = x < a->min ? x : a->min;
        a->max = x > a->max ? x : a->max;
    }
    lua_settop(L, 1);
    return 1;
}

/* acc:merge(other) -> acc: other's observations added to acc (other unchanged) */
static int acc_merge(lua_State *L)
{
    acc_t *a = check_acc(L, 1), *b = check_acc(L, 2);
    dcx_moments_t bm = b->m; /* (a may be b) */
    double bc = b->count, bmin = b->min, bmax = b->max;
    dcx_moments_merge(&a->m, &bm);
    a->count += bc;
    a->min = bmin < a->min ? bmin : a->min;
    a->max = bmax > a->max ? bmax : a->max;
    lua_settop(L, 1);
    return 1;
}

/* acc:result() -> {n, mean, sd, min, max, sum_weights} (dcx.null where undefined) */
static int acc_result(lua_State *L)
{
    acc_t *a = check_acc(L, 1);
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, (lua_Integer)a->count);
    lua_setfield(L, -2, "n");
    setnum(L, "mean", dcx_moments_mean_x(&a->m));
    setnum(L, "sd", sqrt(dcx_moments_var_x(&a->m)));
    setnum(L, "min", a->count > 0 ? a->min : NAN);
    setnum(L, "max", a->count > 0 ? a->max : NAN);
    setnum(L, "sum_weights", a->m.n);
    return 1;
}

static int acc_tostring(lua_State *L)
{
    acc_t *a = check_acc(L, 1);
    lua_pushfstring(L, "dcx.accumulator (n = %I)", (LUAI_UACINT)a->count);
    return 1;
}

void ldcx_open_stats(lua_State *L)
{
    static const luaL_Reg am[] = {{"add", acc_add}, {"merge", acc_merge}, {"result", acc_result},
                                  {NULL, NULL}};
    if (luaL_newmetatable(L, "dcx.accumulator")) {
        luaL_newlib(L, am);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, acc_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
    static const luaL_Reg f[] = {
        {"pnorm", l_pnorm},       {"qnorm", l_qnorm},         {"pt", l_pt},
        {"qt", l_qt},             {"pnt", l_pnt},             {"pchisq", l_pchisq},
        {"qchisq", l_qchisq},     {"pbeta", l_pbeta},         {"qbeta", l_qbeta},
        {"dbeta", l_dbeta},       {"dbinom", l_dbinom},       {"pbinom", l_pbinom},
        {"qbinom", l_qbinom},     {"dhyper", l_dhyper},       {"phyper", l_phyper},
        {"qhyper", l_qhyper},     {"prop_test", l_prop_test}, {"welch_test", l_welch_test},
        {"z_test", l_z_test},     {"lift", l_lift},           {"mann_whitney", l_mann_whitney},
        {"fisher_test", l_fisher_test}, {"chisq_gof", l_chisq_gof}, {"ratio", l_ratio},
        {"cochran_q", l_cochran_q}, {"p_adjust", l_p_adjust}, {"bayes_beta", l_bayes_beta},
        {"bayes_normal", l_bayes_normal}, {"msprt", l_msprt}, {"msprt_tau2", l_msprt_tau2},
        {"moments", l_moments},   {"accumulator", l_accumulator}, {NULL, NULL}};
    luaL_newlib(L, f);
    /* power and sample size: the same function as dcx.power */
    lua_getfield(L, -2, "power");
    lua_setfield(L, -2, "power");
    lua_setfield(L, -2, "stats");
}
