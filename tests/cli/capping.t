#!/bin/sh
# Heavy tails made visible: what a cap changed (thresholds, values changed and their share,
# the warning when it changes too much, zeros left alone on request, two caps over one
# column, the ambiguous --cap X=0.99), and quantile metrics that refuse an interval they
# cannot estimate. The numbers themselves are checked against R in tests/reference.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
json() { # json FILE EXPR: EXPR of the document in FILE (Python), printed
    /usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"
}
QS=$DCX_ROOT/tests/data/quantile_small.csv

# ---- quantiles: too few units for an extreme quantile's standard error -------------------------
t_run 0 "$DCX" analyze --input "$QS" --metric load_ms:quantile=0.99 --format json
t_ok "[ \"\$(json '$OUT' '[d[\"results\"][0][k] for k in (\"diff_ci\", \"p_value\", \"lift_ci\", \"significant\")]')\" = '[None, None, None, None]' ]" \
    "30 units per arm, Q = 0.99: no interval, no p-value, no significance"
t_ok "json '$OUT' 'd[\"results\"][0][\"note\"]' | grep -q 'too few units for the 0.99 quantile'" \
    "the row's note says why"
t_err "metric 'load_ms' (all units, treatment vs control): too few units for the 0.99 quantile" \
    "and so does a warning"
t_run 0 "$DCX" analyze --input "$QS" --metric load_ms:quantile=0.5 --format json
t_ok "[ \"\$(json '$OUT' 'd[\"results\"][0][\"p_value\"] is not None')\" = True ]" \
    "the median of the same 30 units has its test"
# the SE describes the data: the p-value does not move with --alpha
"$DCX" analyze --input "$QS" --metric load_ms:quantile=0.5 --format json --alpha 0.01 >"$D/a01.json"
t_ok "[ \"\$(json '$OUT' 'd[\"results\"][0][\"p_value\"]')\" = \"\$(json '$D/a01.json' 'd[\"results\"][0][\"p_value\"]')\" ]" \
    "a quantile's p-value is the same at alpha 0.05 and 0.01"
t_done
