/* lplot.c — dcx.plot{kind=, input= or result=, output=, ...} and dcx.report{...}: a
 * result file or a result table (as dcx.analyze returns) rendered through gnuplot. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ldcx.h"

typedef struct {
    cJSON *doc;
} pbox_t;

static int pbox_gc(lua_State *L)
{
    pbox_t *b = lua_touserdata(L, 1);
    cJSON_Delete(b->doc);
    b->doc = NULL;
    return 0;
}

static const char *field(lua_State *L, const char *k, const char *fn, int need)
{
    lua_getfield(L, 1, k);
    const char *v = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the table still holds the string */
    if (need && !v)
        luaL_error(L, "%s: '%s' is required", fn, k);
    return v;
}

static int render(lua_State *L, int is_plot)
{
    const char *fn = is_plot ? "dcx.plot" : "dcx.report";
    luaL_checktype(L, 1, LUA_TTABLE);
    ldcx_sandbox_check_write(L, fn);
    const char *output = field(L, "output", fn, 1), *input = field(L, "input", fn, 0),
               *title = field(L, "title", fn, 0), *gnuplot = field(L, "gnuplot", fn, 0),
               *measure = field(L, "measure", fn, 0);
    if (!gnuplot || !*gnuplot) {
        const char *env = getenv("DCX_GNUPLOT");
        gnuplot = env && *env ? env : "gnuplot";
    }
    dcx_plot_kind_t kind = DCX_PLOT_FOREST;
    dcx_error_t err;
    dcx_error_clear(&err);
    if (is_plot && dcx_plot_kind_parse(field(L, "kind", fn, 1), &kind, &err))
        return luaL_error(L, "%s: %s", fn, err.message);
    pbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->doc = NULL;
    luaL_setmetatable(L, "dcx.pbox");
    if (lua_getfield(L, 1, "result") == LUA_TTABLE) {
        b->doc = ldcx_to_json(L, -1);
    } else if (input) {
        if (dcx_read_json_file(input, 0, &b->doc, &err)) {
            char buf[DCX_ERROR_MSG_MAX + DCX_ERROR_FILE_MAX + 64];
            lua_pushnil(L);
            lua_pushstring(L, dcx_error_format(&err, buf, sizeof buf));
            return 2;
        }
    } else {
        return luaL_error(L, "%s: give input = FILE.json or result = TABLE", fn);
    }
    lua_pop(L, 1);
    dcx_status_t st = is_plot ? dcx_plot_render(kind, b->doc, output, gnuplot, measure, title, &err)
                              : dcx_report_render(b->doc, output, gnuplot, title, &err);
    if (st == DCX_EINVAL)
        return luaL_error(L, "%s: %s", fn, err.message);
    if (st) {
        lua_pushnil(L);
        lua_pushstring(L, err.message);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int l_plot(lua_State *L) { return render(L, 1); }
static int l_report(lua_State *L) { return render(L, 0); }

void ldcx_open_plot(lua_State *L)
{
    if (luaL_newmetatable(L, "dcx.pbox")) {
        lua_pushcfunction(L, pbox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, l_plot);
    lua_setfield(L, -2, "plot");
    lua_pushcfunction(L, l_report);
    lua_setfield(L, -2, "report");
}
