#!/bin/sh
# dcx run: arguments, errors with tracebacks, the sandbox, the memory cap, the module in
# the stock lua5.4 interpreter, and the example scripts.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1

printf 'print(arg[0], arg[1], arg[2], select("#", ...))\n' >"$D/args.lua"
t_run 0 "$DCX" run "$D/args.lua" one two
t_has "$D/args.lua	one	two	2" "arg table and ... as in lua(1)"
t_run 0 "$DCX" run -e 'print(dcx.version, require("dcx") == dcx)'
t_has "0.1.0	true" "dcx is preloaded and global"
printf 'local x = 1\nlocal function f() error("boom") end\nf()\n' >"$D/fail.lua"
t_run 1 "$DCX" run "$D/fail.lua"
t_err "fail.lua:2: boom" "a Lua error names the script's file and line"
t_err "stack traceback:" "with a traceback"
printf 'dcx.power{baseline = 1.5, mde = 0.1}\n' >"$D/misuse.lua"
t_run 1 "$DCX" run "$D/misuse.lua"
t_err "misuse.lua:1: dcx.power: baseline rate must be in (0, 1)" "misuse of dcx raises at the caller's line"
printf 'this is not lua\n' >"$D/syntax.lua"
t_run 1 "$DCX" run "$D/syntax.lua"
t_err "syntax.lua:1:" "syntax errors name the line"
t_run 1 "$DCX" run "$D/missing.lua"
t_err "cannot open" "a missing script"
t_run 2 "$DCX" run --frobnicate x.lua
t_err "unknown option '--frobnicate'" "unknown run option"

# the sandbox: no io, os, debug, C modules, or file writes through dcx
t_run 0 "$DCX" run --sandbox -e 'print(pcall(function() return io.open end))'
t_has "false	(command line):1: io.open is not available under --sandbox" "io is a stub"
t_run 0 "$DCX" run --sandbox -e 'print(package.loadlib, pcall(require, "io"))'
t_has "nil	false" "no C modules, no require of io"
t_run 1 "$DCX" run --sandbox -e 'dcx.csv.writer("/tmp/x.csv", {"a"})'
t_err "writing '/tmp/x.csv' is not allowed under --sandbox" "no writes through dcx.csv"
t_run 1 "$DCX" run --sandbox -e 'dcx.analyze{input="examples/checkout_test.csv", metric={"converted"}, plot="/tmp/x.png"}' examples/checkout_test.csv
t_err "not allowed under --sandbox" "no plots either"
t_run 0 "$DCX" run --sandbox -e 'print(dcx.analyze{input=arg[1], metric={"converted"}}.results[1].metric)' examples/checkout_test.csv
t_has "converted" "reading the argument files and analysing still work"
t_run 0 "$DCX" run --sandbox --allow-read examples -e 'print(dcx.analyze{input="examples/checkout_test.csv", metric={"converted"}}.results[1].metric)'
t_has "converted" "and files under --allow-read"
t_run 1 "$DCX" run --lua-mem 2 -e 'local t = {} for i = 1, 1e7 do t[i] = i end'
t_err "not enough memory" "the memory cap stops a runaway script"
t_run 0 "$DCX" run --lua-mem 64 -e 'local t = {} for i = 1, 1e5 do t[i] = i end print(#t)'
t_has "100000" "within the cap all is well"

# the module in the stock interpreter
case "$DCX_BUILD" in
*sanitize*) t_report 1 "require 'dcx' from lua5.4 # SKIP: an ASan module needs the ASan runtime preloaded" ;;
*)
    if command -v lua5.4 >/dev/null 2>&1; then
        t_run 0 env LUA_CPATH="$DCX_BUILD/?.so" lua5.4 -e 'local dcx = require "dcx"; print(dcx.version, dcx.power{baseline=0.1, mde=0.02}.n_per_variant)'
        t_has "0.1.0	3841" "require 'dcx' from lua5.4"
    else
        t_report 1 "require 'dcx' from lua5.4 # SKIP lua5.4 not installed"
    fi ;;
esac

# the example scripts run as they are
t_run 0 "$DCX" run examples/segment_decision.lua
t_has "device=mobile        +34.7%  [ +11.6%,  +63.6%]  ship" "segment_decision.lua: ships mobile"
t_run 0 "$DCX" run examples/derived_metric.lua
t_has "average order value: control 63.34 (n=513), treatment 67.04 (n=569)" "derived_metric.lua"
t_has "Welch p = 0.1318" "derived_metric.lua: Welch's test of the two lists"
t_has "dcx.analyze, all converters   diff  +3.70, p = 0.1318" "and dcx.analyze of the same rows in memory agrees"
t_run 0 "$DCX" run examples/maturity_reweight.lua
t_has "client weights: 2.82 (Defined)" "maturity_reweight.lua"
t_run 0 "$DCX" run examples/multi_experiment.lua
t_has "Premium upsell       treatment            +1.694" "multi_experiment.lua"
# ... and as they are under the stock interpreter: each starts with local dcx = require "dcx"
for f in examples/*.lua; do
    t_ok "grep -q '^local dcx = require \"dcx\"' '$f'" "$f requires the module"
    case "$DCX_BUILD" in
    *sanitize*) t_skip "$f under lua5.4" "an ASan module needs the ASan runtime preloaded" ;;
    *)
        if command -v lua5.4 >/dev/null 2>&1; then
            "$DCX" run "$f" >"$D/run.out" 2>&1
            t_run 0 env LUA_CPATH="$DCX_BUILD/?.so" lua5.4 "$f"
            t_ok "cmp -s '$OUT' '$D/run.out'" "$f prints the same under lua5.4 as under dcx run"
        else
            t_skip "$f under lua5.4" "lua5.4 not installed"
        fi ;;
    esac
done
t_done
