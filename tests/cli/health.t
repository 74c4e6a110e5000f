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
t_done
