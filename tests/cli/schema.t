#!/bin/sh
# The JSON Schemas of docs/schema/ hold for every shipped example and for the JSON output of
# every command, over the shapes a result can take (methods, roles, groups, no levels, ...);
# and they are strict enough to reject a field that is not documented.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
A=assessments/dcx-maturity.json
R1=examples/maturity_2026.csv
R2=examples/maturity_2027.csv
CK=examples/checkout_test.csv
GD=examples/checkout_guardrails.csv

# inputs: what ships
t_schema experiment.schema.json "shipped experiment configs" examples/experiments/*.json
t_schema assessment.schema.json "shipped assessments" assessments/*.json
t_schema targets.schema.json "shipped targets" examples/maturity_targets.json

# outputs: each command, many shapes. run NAME CMD...: JSON of the command into $D/NAME.json
run() {
    name=$1
    shift
    if "$@" --format json >"$D/$name.json" 2>"$D/$name.err"; then
        t_report 1 "ran: $*"
    else
        t_report 0 "ran: $*" "$(head -5 "$D/$name.err")"
    fi
}
run as1 "$DCX" assign --config examples/experiments/checkout-redesign.json --input examples/customer_ids.csv --id-column user_id
run as2 "$DCX" assign --config examples/experiments/checkout-redesign.json --config examples/experiments/express-pay.json --input examples/customer_ids.csv --id-column user_id
t_schema assign.schema.json "assign: one and several experiments" "$D/as1.json" "$D/as2.json"

run pw1 "$DCX" power --baseline 0.031 --mde 0.10 --relative --daily-units 12000
run pw2 "$DCX" power --mean 58.2 --sd 41.7 --mde 1.5 --ratio 2 --variants 3
run pw3 "$DCX" power --baseline 0.1 --n 5000
run pw4 "$DCX" power --baseline 0.1 --mde 0.02 --n 3000
run pw5 "$DCX" power --baseline 0.1 --mde 0.01 --sequential --current-n 4000 --config examples/experiments/onboarding.json
run pw6 "$DCX" power --mean 58.2 --sd 41.7 --mde 1.5 --sequential --tuning 2000 --current-n 100000
t_schema power.schema.json "power: n, mde and power; binary and mean" "$D"/pw?.json

run sr1 "$DCX" srm --counts control=5012,treatment=4988
run sr2 "$DCX" srm --counts control=300,short=300,guided=400 --config examples/experiments/onboarding.json
run sr3 "$DCX" srm --counts 50,50,10 --variants a,b,c
t_schema srm.schema.json "srm" "$D"/sr?.json

run an1 "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --metric pages:ratio=pageviews/sessions --segment device --segment country --correction holm --time-column day
run an2 "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --method bayesian --time-column day --period week
run an3 "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --method sequential --segment device
run an4 "$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --metric load_ms:quantile=0.9 --guardrail revenue=2% --guardrail load_ms=50 --direction load_ms=decrease --cap revenue=p99 --segment device
run an5 "$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --one-sided --test fisher
run an6 "$DCX" analyze --input examples/nps_survey.csv --metric nps:nps --segment channel
run an7 "$DCX" analyze --input examples/revenue_test.csv --metric revenue:mean --test mann-whitney --segment plan
run an9 "$DCX" analyze --input examples/onboarding_test.csv --config examples/experiments/onboarding.json --metric activated:binary
"$DCX" aggregate --input examples/revenue_test.csv --metric revenue:mean --cuped revenue=pre_revenue --segment plan >"$D/sum.csv" 2>/dev/null
run an8 "$DCX" analyze --summary "$D/sum.csv" --metric revenue:mean --cuped revenue=pre_revenue --segment plan
run anb "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --goal converted --guardrail revenue=5% --direction revenue=increase --method group-sequential --looks 4 --time-column day --period week --segment device
run anc "$DCX" analyze --input "$CK" --metric converted:binary --method group-sequential --looks 3 --spending pocock --one-sided --time-column day --period week
run and "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --method bayesian --prior revenue=0,0.05 --difference relative --segment device
run ane "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --difference relative --one-sided --correction holm
run anf "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --post-stratify country --cuped revenue=sessions --segment device --method bayesian
t_schema analyze.schema.json "analyze: methods, metric types, roles, caps, quantiles, segments, timelines, summaries" "$D"/an?.json

run ms1 "$DCX" maturity score --assessment "$A" --responses "$R1" --target 3.5 --group-by role
# nothing scored: each respondent answered one statement, short of --min-answered 1
"$DCX" maturity template --assessment assessments/dcx-pulse.json --wide --respondents 2 | sed '2s/,$/,4/; 3s/,$/,2/' >"$D/pulse.csv"
run ms2 "$DCX" maturity score --assessment assessments/dcx-pulse.json --responses "$D/pulse.csv" --min-answered 1 --lenient
cat >"$D/inst.json" <<'JSON'
{"id": "bf", "version": "1", "title": "Two traits", "scale": {"min": 1, "max": 6, "na": [-9]},
 "dimensions": [{"id": "e", "name": "E", "questions": [{"id": "e1", "text": "a"}, {"id": "e2", "text": "b", "reverse": true}]},
                {"id": "n", "name": "N", "direction": "lower", "questions": [{"id": "n1", "text": "c"}]}]}
JSON
printf 'respondent,e1,e2,n1\na,1,6,2\nb,2,5,-9\nc,6,1,3\n' >"$D/inst.csv"
run ms3 "$DCX" maturity score --assessment "$A" --responses "$R1" --targets examples/maturity_targets.json
run ms4 "$DCX" maturity score --assessment "$D/inst.json" --responses "$D/inst.csv" --target 3
t_schema maturity-score.schema.json "maturity score: targets, groups, no levels, lower is better" "$D"/ms?.json
run mc1 "$DCX" maturity compare --assessment "$A" --before "$R1" --after "$R2" --target 3.5 --group-by role
run mc2 "$DCX" maturity compare --assessment "$D/inst.json" --before "$D/inst.csv" --after "$D/inst.csv"
t_schema maturity-compare.schema.json "maturity compare" "$D"/mc?.json
run mv1 "$DCX" maturity validate --assessment "$A" --responses "$R1"
t_schema maturity-validate.schema.json "maturity validate" "$D/mv1.json"

# strict enough to fail: an undocumented field, a wrong type
sed 's/"method": "frequentist"/"method": "frequentist", "surprise": 1/' "$D/an1.json" >"$D/bad1.json"
sed '0,/"n": 14970/s//"n": "many"/' "$D/an1.json" >"$D/bad2.json"
if [ -n "$T_PYJS" ]; then
    t_ok "! $T_PYJS tests/cli/schema_check.py docs/schema/analyze.schema.json '$D/bad1.json'" "an undocumented field is invalid"
    t_ok "! $T_PYJS tests/cli/schema_check.py docs/schema/analyze.schema.json '$D/bad2.json'" "a count that is text is invalid"
else
    t_skip "an undocumented field is invalid" "jsonschema is not installed"
    t_skip "a count that is text is invalid" "jsonschema is not installed"
fi
t_done
