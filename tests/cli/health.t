#!/bin/sh
# Data health in dcx analyze: each finding (units exposed to two variants, rows without a
# variant, rows filtered out, a split tested against equal shares for want of a design)
# and each default that reads the data for the user (percentages, NA spellings) is
# constructed here, and the output must say what was found or assumed.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
CK=$DCX_ROOT/examples/checkout_test.csv
json() { # json FILE EXPR: EXPR of the document in FILE (Python), printed
    /usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"
}

# ---- --weights as percentages -------------------------------------------------------------
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --weights control=40,treatment=60 --format json
t_ok "[ \"\$(json '$OUT' 'd[\"srm\"][\"expected\"][\"control\"]')\" = 12000 ]" \
    "weights summing to 100 are percentages: 40% of 30,000 units expected in control"
t_run 0 "$DCX" srm --counts control=400,treatment=600 --weights control=40,treatment=60 --format json
t_has '"mismatch": false' "dcx srm reads percentages too"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --weights control=40,treatment=40
t_err "sum to 80, not 1 (or 100 as percentages)" "shares that are neither are refused, naming both readings"

# ---- NA, N/A, NULL in a numeric cell are missing, like an empty cell ---------------------------
printf 'variant,revenue,bought,pages,sessions\ncontrol,1,1,4,2\ncontrol,NA,0,3,1\ncontrol,3,null,NULL,2\ncontrol,4,1,2,1\ntreatment, n/a ,N/A,6,2\ntreatment,5,1,5,1\ntreatment,6,0,4,Null\ntreatment,8,1,3,2\n' >"$D/na.csv"
t_run 0 "$DCX" analyze --input "$D/na.csv" --metric revenue:mean --metric bought:binary --metric ppv:ratio=pages/sessions --format json
t_ok "[ \"\$(json '$OUT' '[(r[\"control\"][\"missing\"], r[\"treatment\"][\"missing\"]) for r in d[\"results\"]]')\" = '[(1, 1), (1, 1), (1, 1)]' ]" \
    "NA, N/A, NULL, null in mean, binary, ratio numerator and denominator cells count as missing"
t_ok "[ \"\$(json '$OUT' 'abs(d[\"results\"][0][\"control\"][\"mean\"] - 8 / 3) < 1e-12')\" = True ]" \
    "and are left out of the mean (R: mean(c(1, 3, 4)))"
printf 'variant,revenue\ncontrol,1\ncontrol,nan\ntreatment,2\n' >"$D/nan.csv"
t_run 1 "$DCX" analyze --input "$D/nan.csv" --metric revenue:mean
t_err "nan.csv:3:2: column 'revenue': 'nan' is not a number" "nan stays an error: it is no way to write missing"
printf 'variant,revenue\ncontrol,1\ncontrol,NAN\ntreatment,2\ntreatment,3\n' >"$D/nan2.csv"
t_run 1 "$DCX" analyze --input "$D/nan2.csv" --metric revenue:mean --cap revenue=p90
t_err "nan2.csv:3:2: column 'revenue': 'NAN' is not a number" "the capping pass says the same"

# ---- --unit-column: units under two variants are left out and counted; a unit twice is an error ------
HC=$DCX_ROOT/tests/data/health_cases.csv
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --unit-column user_id --format json
t_ok "[ \"\$(json '$OUT' 'd[\"health\"][\"multiple_exposures\"][\"units\"]')\" = 6 ]" \
    "six users logged under both variants are found"
t_err "6 units (1% of 600) were found under more than one variant and are left out of every comparison (--unit-column user_id)" \
    "and a warning says they are left out"
t_ok "[ \"\$(json '$OUT' 'sum(d[\"srm\"][\"counts\"].values())')\" = 594 ]" \
    "the SRM counts the 594 units that count (610 rows: 600 units less the 6, their 6 second rows, 4 without a variant)"
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --format json
t_ok "[ \"\$(json '$OUT' '\"multiple_exposures\" in d[\"health\"]')\" = False ]" \
    "without --unit-column nobody looks for them"
printf 'user_id,variant,x\nu1,control,1\nu2,treatment,2\nu3,control,3\nu1,control,4\n' >"$D/dup.csv"
t_run 1 "$DCX" analyze --input "$D/dup.csv" --metric x:mean --unit-column user_id
t_err "dup.csv:5:1: column 'user_id': unit 'u1' is on line 2 and on line 5, both under variant 'control'" \
    "a unit twice under one variant is an error naming both lines"
t_ok "[ ! -s '$OUT' ]" "and nothing is written"
printf 'user_id,variant,x\nu1,control,1\nu2,treatment,2\nu1,treatment,3\nu1,control,4\n' >"$D/dup2.csv"
t_run 1 "$DCX" analyze --input "$D/dup2.csv" --metric x:mean --unit-column user_id
t_err "unit 'u1' is on line 2 and on line 5, both under variant 'control'" \
    "also when the unit was seen under another variant in between"
printf 'user_id,variant,x\nu1,control,1\n,treatment,2\n' >"$D/noid.csv"
t_run 1 "$DCX" analyze --input "$D/noid.csv" --metric x:mean --unit-column user_id
t_err "noid.csv:3:1: column 'user_id': empty unit id" "an empty unit id is an error"
t_run 1 "$DCX" analyze --input "$HC" --metric revenue:mean --unit-column customer
t_err "no unit column 'customer' in the header" "a unit column that is not there"

# ---- rows without a variant: left out and counted (no longer an error) ------------------------------
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --format json
t_ok "[ \"\$(json '$OUT' 'd[\"health\"][\"no_variant\"][\"rows\"]')\" = 4 ]" "4 rows without a variant"
t_err "4 rows with an empty 'variant' cell are left out" "a warning says so"
t_ok "[ \"\$(json '$OUT' 'sorted(d[\"srm\"][\"counts\"])')\" = \"['control', 'treatment']\" ]" \
    "and no empty variant appears"
t_run 0 "$DCX" aggregate --input "$HC" --metric revenue:mean
t_err "4 rows with an empty 'variant' cell are left out" "dcx aggregate says so too"
t_ok "! grep -q '^revenue,mean,all,all,,' '$OUT'" "and writes no row for an empty variant"

# ---- --where: rows are filtered before anything else ------------------------------------------------
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --where device!=tablet --format json
t_ok "[ \"\$(json '$OUT' 'd[\"health\"][\"filtered_out\"][\"rows\"]')\" = 82 ]" "device != tablet leaves out the 82 tablet rows"
t_ok "[ \"\$(json '$OUT' 'd[\"settings\"][\"where\"]')\" = \"['device!=tablet']\" ]" "the filter is recorded in settings"
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --where device=mobile,desktop --format json
t_ok "[ \"\$(json '$OUT' 'd[\"health\"][\"filtered_out\"][\"rows\"]')\" = 82 ]" "device=mobile,desktop keeps the same rows"
cp "$OUT" "$D/where_in.json"
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --where device!=tablet --where 'device != desktop' --format json
t_ok "[ \"\$(json '$OUT' 'd[\"health\"][\"filtered_out\"][\"rows\"]')\" = \$(grep -vc ',mobile,' '$HC' | awk '{ print \$1 - 1 }') ]" \
    "several --where must all hold: only the mobile rows are left"
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --segment device --where device=mobile,desktop --format json
t_ok "[ \"\$(json '$OUT' 'sorted(set(r[\"segment_value\"] for r in d[\"results\"]))')\" = \"['all', 'desktop', 'mobile']\" ]" \
    "a filtered-out level leaves no trace: no tablet segment row"
t_run 2 "$DCX" analyze --input "$HC" --metric revenue:mean --where device
t_err "--where 'device': write COLUMN=VALUE[,VALUE...] or COLUMN!=VALUE[,VALUE...]" "a condition without = is a usage error"
t_run 1 "$DCX" analyze --input "$HC" --metric revenue:mean --where plan=pro
t_err "no --where column 'plan' in the header" "a condition on a column that is not there"
t_run 1 "$DCX" analyze --input "$HC" --metric revenue:mean --where device=watch
t_err "no rows left to analyse; 610 filtered out by --where" "a filter that keeps nothing says so"
"$DCX" aggregate --input "$CK" --metric converted:binary --output "$D/agg.csv"
t_run 2 "$DCX" analyze --summary "$D/agg.csv" --metric converted:binary --where device=mobile
t_err "--where needs the unit rows" "a summary cannot be filtered"
# rows that do not count leave no trace, whatever the order of the columns: the deciding columns
# first (rows skipped where decided), or last (rows kept until their end, then replayed)
awk -F, 'BEGIN { OFS = "," } { print $5, $4, $3, $1, $2 }' "$HC" >"$D/hc_last.csv"
head -1 "$D/hc_last.csv" >"$D/hc_order"
"$DCX" analyze --input "$HC" --metric revenue:mean --metric rps:ratio=revenue/sessions --segment device \
    --unit-column user_id --where device!=tablet --cap revenue=p95 --format csv >"$D/first.csv" 2>/dev/null
t_run 0 "$DCX" analyze --input "$D/hc_last.csv" --metric revenue:mean --metric rps:ratio=revenue/sessions \
    --segment device --unit-column user_id --where device!=tablet --cap revenue=p95 --format csv
t_ok "cmp -s '$D/first.csv' '$OUT'" "the same result with the columns in the opposite order ($(cat "$D/hc_order"))"
# a file large enough to be read in two halves at once gives the same as one reader
awk -F, 'NR == 1 { print; next } { for (k = 0; k < 500; k++) { u = $1; if (u != "") u = u "-" k; print u "," $2 "," $3 "," $4 "," $5 } }' \
    "$HC" >"$D/big.csv"
"$DCX" analyze --input - --metric revenue:mean --where device!=tablet --segment device --format csv \
    <"$D/big.csv" >"$D/big1.csv" 2>/dev/null
t_run 0 "$DCX" analyze --input "$D/big.csv" --metric revenue:mean --where device!=tablet --segment device --format csv
t_ok "[ \$(wc -c <'$D/big.csv') -gt 8388608 ] && same_numbers '$D/big1.csv' '$OUT' && cut -d, -f1-7,11,12 '$D/big1.csv' | cmp -s - \$(cut -d, -f1-7,11,12 '$OUT' >'$D/big2c'; echo '$D/big2c')" \
    "a file read in two halves gives the one reader's result (counts exactly, numbers to 1e-9)"
t_run 0 "$DCX" analyze --input "$D/big.csv" --metric revenue:mean --where device!=tablet --unit-column user_id --format json
t_ok "[ \"\$(json '$OUT' 'd[\"health\"][\"multiple_exposures\"][\"units\"]')\" = 2500 ]" \
    "units under two variants found across both halves (5 not on a tablet, x 500)"

# ---- an SRM alarm with no design says what was assumed -------------------------------------------
awk -F, 'NR == 1 || $2 != "treatment" || NR % 3' "$CK" >"$D/skew.csv"
t_run 0 "$DCX" analyze --input "$D/skew.csv" --metric converted:binary --format json
t_err "tested against equal shares because no design was given; if the split is intended, give --config" \
    "a mismatch against assumed equal shares says so"
t_run 0 "$DCX" analyze --input "$D/skew.csv" --metric converted:binary --weights control=60,treatment=40 --format json
t_err_lacks "no design was given" "with a design given there is nothing to assume"

# ---- the views: health first when the rows were not clean, nothing when they were ----------------------
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --unit-column user_id --where device!=tablet --format table
t_ok "[ \"\$(head -1 '$OUT')\" = 'data health:' ]" "table: the data health block comes first"
t_has "5 units (0.963% of the units) were found under more than one variant: left out (unit column 'user_id')" \
    "table: units under two variants, and the unit column"
t_has "82 rows filtered out, keeping only rows where device!=tablet" "table: the filter, in its own words"
t_run 0 "$DCX" analyze --input "$HC" --metric revenue:mean --format markdown
t_ok "[ \"\$(head -1 '$OUT')\" = '### data health' ]" "markdown: first too"
t_has "- 4 rows with an empty variant cell: left out" "markdown: rows without a variant"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --format table
t_lacks "data health" "a clean file has no health block"
"$DCX" analyze --input "$HC" --metric revenue:mean --unit-column user_id --where device!=tablet \
    --format json --output "$D/health.json" 2>/dev/null
t_run 0 "$DCX" report --input "$D/health.json" --output "$D/health.html"
t_ok "grep -q 'Data health' '$D/health.html' && grep -q 'Only the rows where device!=tablet were analysed' '$D/health.html'" \
    "report: the health section, and the filter stated"
t_ok "[ \$(grep -n 'Data health' '$D/health.html' | cut -d: -f1 | head -1) -le \$(grep -n '<h2' '$D/health.html' | cut -d: -f1 | head -1) ]" \
    "report: health is the first section"
t_schema analyze.schema.json "a result with every health finding matches the schema" "$D/health.json" "$D/where_in.json"
"$DCX" analyze --input "$HC" --metric revenue:mean --unit-column user_id --where device!=tablet \
    --output "$D/health.xlsx" 2>/dev/null
t_xlsx "$D/health.json" "$D/health.xlsx" "workbook: the health findings, cell by cell"

# ---- Lua takes the same options --------------------------------------------------------------------
cat >"$D/health.lua" <<LUA
local r = dcx.analyze{input = '$HC', metric = {'revenue:mean'}, where = {device = 'mobile,desktop'},
                      unit_column = 'user_id', cap = {revenue = 'p95'}, cap_ignore_zeros = 'revenue'}
print(r.health.filtered_out.rows, r.health.multiple_exposures.units, r.results[1].cap.capped_n)
LUA
t_run 0 "$DCX" run "$D/health.lua"
t_has "$(printf '82\t5\t5')" "Lua: where, unit_column and cap_ignore_zeros as on the command line (R case HX)"
t_done
