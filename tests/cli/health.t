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
t_done
