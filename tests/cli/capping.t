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

# ---- --cap NAME=0.99: GrowthBook's p99, or the value 0.99? Neither is assumed ---------------------
CK=$DCX_ROOT/examples/checkout_test.csv
GD=$DCX_ROOT/examples/checkout_guardrails.csv
t_run 2 "$DCX" analyze --input "$CK" --metric revenue:mean --cap revenue=0.99
t_err "--cap 'revenue=0.99' is ambiguous: write revenue=p99 for the 99th percentile" "a bare 0.99 is refused as ambiguous"
t_err "or revenue=0.99abs to cap at the value 0.99" "and both readings are spelled out"
t_run 0 "$DCX" analyze --input "$CK" --metric revenue:mean --cap revenue=0.99abs --format json
t_ok "[ \"\$(json '$OUT' 'd[\"results\"][0][\"cap\"][\"upper\"]')\" = 0.99 ]" "0.99abs caps at the value 0.99"
t_err "changes 100.0% of its non-zero values" "and says that it changes every purchase"
t_run 0 "$DCX" analyze --input "$CK" --metric revenue:mean --cap revenue=150 --format json
t_ok "[ \"\$(json '$OUT' 'd[\"results\"][0][\"cap\"][\"upper\"]')\" = 150 ]" "a value of 1 or more is a value, as before"

# ---- a cap that reshapes the metric is named; zeros can be left alone -------------------------------
t_run 0 "$DCX" analyze --input "$GD" --metric revenue:mean --cap revenue=p99 --format json
t_err "metric 'revenue': the cap (revenue=p99) changes 26.2% of its non-zero values (299 of 1141)" \
    "p99 over 96% zeros caps a quarter of the purchases, and the warning says so"
t_err "(--cap-ignore-zeros revenue)" "and names the flag that helps"
t_ok "[ \"\$(json '$OUT' '(d[\"results\"][0][\"cap\"][\"capped_n\"], d[\"results\"][0][\"cap\"][\"ignore_zeros\"])')\" = '(299, False)' ]" \
    "cap: the values changed, zeros not ignored"
t_run 0 "$DCX" analyze --input "$GD" --metric revenue:mean --cap revenue=p99 --cap-ignore-zeros revenue --format json
t_err_lacks "non-zero values" "the percentile of the purchases trims their tail: no warning"
t_ok "[ \"\$(json '$OUT' '(d[\"results\"][0][\"cap\"][\"capped_n\"], d[\"results\"][0][\"cap\"][\"ignore_zeros\"])')\" = '(12, True)' ]" \
    "12 of 1,141 purchases capped, zeros ignored"
t_run 2 "$DCX" analyze --input "$GD" --metric revenue:mean --cap-ignore-zeros revenue
t_err "--cap-ignore-zeros 'revenue': the metric has no --cap" "ignoring zeros needs a cap"
t_run 2 "$DCX" analyze --input "$GD" --metric revenue:mean --cap revenue=p99 --cap-ignore-zeros rev
t_err "--cap-ignore-zeros 'rev': no --metric of that name" "of a metric that exists"

# ---- the views show each threshold and share --------------------------------------------------------
t_run 0 "$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --cap revenue=p99 \
    --cap-ignore-zeros revenue --format table
t_has "capped (winsorized) metrics:" "table: a capping section"
t_has "revenue: at most 178.1 (percentiles of the non-zero values; zeros stay 0); 12 values changed (0.04% of the values)" \
    "table: the threshold, zeros left alone, the values changed and their share"
t_ok "! grep -q 'converted: at most' '$OUT'" "table: an uncapped metric has no line"
t_run 0 "$DCX" analyze --input "$GD" --metric revenue:mean --cap revenue=p1:p99 --format markdown
t_has '- revenue: kept within \[0, 82.97\]; 299 values changed (1.00% of the values)' \
    "markdown: both thresholds of a two-sided cap (escaped for Markdown)"
"$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --cap revenue=p99 \
    --cap-ignore-zeros revenue --format json --output "$D/capped.json" 2>/dev/null
t_run 0 "$DCX" report --input "$D/capped.json" --output "$D/capped.md"
t_ok "grep -q 'revenue: at most 178.114 (percentiles of the non-zero values; zeros stay 0); 12 values changed (0.04% of the values)' '$D/capped.md'" \
    "report: the method section lists each cap"
t_schema analyze.schema.json "capped result matches the schema" "$D/capped.json"
"$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --cap revenue=p99 \
    --cap-ignore-zeros revenue --output "$D/capped.xlsx" 2>/dev/null
t_xlsx "$D/capped.json" "$D/capped.xlsx" "workbook: the cap's fields, cell by cell"

# ---- two metrics over one column, each with its own cap ---------------------------------------------
t_run 0 "$DCX" analyze --input "$CK" --metric revenue:mean --metric rps:ratio=revenue/sessions \
    --cap revenue=p99 --cap rps=p95 --cap-ignore-zeros rps --format json
t_ok "[ \"\$(json '$OUT' '[(r[\"metric\"], r[\"cap\"][\"ignore_zeros\"]) for r in d[\"results\"]]')\" = \"[('revenue', False), ('rps', True)]\" ]" \
    "revenue and revenue/sessions are capped each by its own spec (was: 'the column has no values')"
t_ok "[ \"\$(json '$OUT' 'd[\"results\"][0][\"cap\"][\"upper\"] != d[\"results\"][1][\"cap\"][\"upper\"]')\" = True ]" \
    "with their own thresholds"
t_done
