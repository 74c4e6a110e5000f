#!/bin/sh
# dcx bandit: Thompson-sampling weights for the next period, written as an experiment config
# that dcx assign reads (the weights themselves are checked against a long simulation in
# tests/unit/test_reference.c).
. "$(dirname "$0")/tap.sh"
D=$T_DIR
GD=$DCX_ROOT/examples/checkout_guardrails.csv
"$DCX" analyze --input "$GD" --metric converted:binary --metric load_ms:mean --direction load_ms=decrease --format json >"$D/r.json"

t_run 0 "$DCX" bandit --input "$D/r.json" --metric converted --key checkout-bandit --output "$D/next.json"
t_schema experiment.schema.json "bandit: the output is an experiment config" "$D/next.json"
t_ok "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); w={v[\"name\"]: v[\"weight\"] for v in d[\"variants\"]}; sys.exit(0 if list(w) == [\"control\", \"express\", \"rich\"] and abs(sum(w.values()) - 1) < 1e-12 and w[\"rich\"] > w[\"express\"] > w[\"control\"] and d[\"key\"] == \"checkout-bandit\" else 1)' '$D/next.json'" \
    "the best converting variant gets most traffic; weights sum to 1, control first"
t_ok "grep -q 'P(best): control 0.0001, express 0.1710, rich 0.8290' '$D/next.json'" "the description gives each variant's chance of being best"
t_ok "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if min(v[\"weight\"] for v in d[\"variants\"]) > 0.0098 else 1)' '$D/next.json'" \
    "the minimum weight (0.01, then rescaled) keeps every variant in the test"
t_run 0 "$DCX" assign --config "$D/next.json" --input "$DCX_ROOT/examples/customer_ids.csv" --id-column user_id --output "$D/a.csv"
t_ok "[ \$(grep -c ',rich' '$D/a.csv') -gt \$(grep -c ',express' '$D/a.csv') ]" "dcx assign reads it: rich gets the most units"

# top two: the two best share the traffic; the config's other members are kept
t_run 0 "$DCX" bandit --input "$D/r.json" --metric converted --top-two --config "$DCX_ROOT/examples/experiments/checkout-redesign.json"
t_has '"namespace": {' "--config: the experiment's namespace is kept"
t_has '"key": "checkout-redesign"' "and its key"
t_ok "python3 -c 'import json,sys; w=[v[\"weight\"] for v in json.load(open(sys.argv[1]))[\"variants\"]]; sys.exit(0 if abs(w[1] - w[2]) < 0.05 and w[0] < 0.011 else 1)' '$OUT'" \
    "top two: express and rich nearly equal, control at its floor"
# lower is better: the fastest variant wins
t_run 0 "$DCX" bandit --input "$D/r.json" --metric load_ms --key speed
t_ok "python3 -c 'import json,sys; w={v[\"name\"]: v[\"weight\"] for v in json.load(open(sys.argv[1]))[\"variants\"]}; sys.exit(0 if w[\"rich\"] < 0.02 else 1)' '$OUT'" \
    "a metric whose good direction is decrease: the slow variant gets only its floor"
t_has "(lower is better)" "and the description says which way is better"

# errors
t_run 2 "$DCX" bandit --input "$D/r.json" --metric converted
t_err "give --config EXP.json" "neither --config nor --key: usage error"
t_run 2 "$DCX" bandit --input "$D/r.json" --metric converted --key k --min-weight 0.6
t_err "--min-weight must be in [0, 0.5)" "a floor too high: usage error"
t_run 1 "$DCX" bandit --input "$D/r.json" --metric nosuch --key k
t_err "no overall result for metric 'nosuch'" "an unknown metric"
head -c 200 "$GD" >"$D/small.csv"
"$DCX" analyze --input "$D/small.csv" --metric converted:binary --format json >"$D/small.json" 2>/dev/null
t_run 1 "$DCX" bandit --input "$D/small.json" --metric converted --key k
t_err "bandit weights need at least 100 per variant" "fewer than 100 units in a variant: refused, as GrowthBook does"
t_ok "[ ! -s '$OUT' ]" "with no output"
t_run 1 "$DCX" bandit --input "$DCX_ROOT/examples/experiments/onboarding.json" --metric converted --key k
t_err "not a dcx analyze result" "a file that is not a result"
t_done
