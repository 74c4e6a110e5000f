#!/bin/sh
# --difference relative and --prior: the test, p-value and interval of the lift, and the
# Bayesian posterior of the relative effect with a normal prior, equal to the gbstats
# re-implementation in tests/reference/gbstats_relative.py; how they decide; their errors.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
CK=$DCX_ROOT/examples/checkout_test.csv

t_ok "python3 '$DCX_ROOT/tests/cli/relative_check.py' '$DCX' '$D' >'$D/rc.out' 2>&1 || { cat '$D/rc.out' >&2; false; }" \
    "relative t test, lift_ci, chance to win, loss and credible interval with and without a prior equal gbstats' (64 values, 1e-8)"

# the relative test decides by the lift: its p-value agrees with lift_ci, not diff_ci
t_run 0 "$DCX" analyze --input "$CK" --metric revenue:mean --metric converted:binary --difference relative --format json
cp "$OUT" "$D/rel.json"
t_ok "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all((r[\"p_value\"] < 0.05) == (r[\"lift_ci\"][0] > 0 or r[\"lift_ci\"][1] < 0) for r in d[\"results\"]) else 1)' '$D/rel.json'" \
    "relative: p < alpha exactly when lift_ci excludes 0"
t_has "relative: the statistic, p-value and significance test the lift" "relative: the rows say what is tested"
"$DCX" analyze --input "$CK" --metric revenue:mean --format json >"$D/abs.json"
t_ok "python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[\"results\"][0]; r=json.load(open(sys.argv[2]))[\"results\"][0]; sys.exit(0 if a[\"diff_ci\"] == r[\"diff_ci\"] and a[\"lift\"] == r[\"lift\"] and a[\"p_value\"] != r[\"p_value\"] else 1)' '$D/abs.json' '$D/rel.json'" \
    "the same estimates and diff_ci; another p-value"
t_run 0 "$DCX" analyze --input "$CK" --metric revenue:mean --difference relative --one-sided --format json
t_ok "python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))[\"results\"][0]; sys.exit(0 if r[\"lift_ci\"][1] is None and abs(r[\"p_value\"] - 0.5 * json.load(open(sys.argv[2]))[\"results\"][0][\"p_value\"]) < 1e-12 else 1)' '$OUT' '$D/rel.json'" \
    "relative and one-sided: half the two-sided p (lift up), interval open above"

# a prior pulls the posterior of the lift towards its mean
t_run 0 "$DCX" analyze --input "$CK" --metric revenue:mean --method bayesian --difference relative --format json
cp "$OUT" "$D/flat.json"
t_run 0 "$DCX" analyze --input "$CK" --metric revenue:mean --method bayesian --prior revenue=0,0.02 --format json
cp "$OUT" "$D/tight.json"
t_ok "python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))[\"results\"][0]; t=json.load(open(sys.argv[2]))[\"results\"][0]; sys.exit(0 if 0.5 < t[\"prob_beat_control\"] < f[\"prob_beat_control\"] and t[\"credible_interval\"][1] - t[\"credible_interval\"][0] < f[\"credible_interval\"][1] - f[\"credible_interval\"][0] and abs(f[\"credible_interval\"][0] - f[\"lift_ci\"][0]) < 0.01 else 1)' '$D/flat.json' '$D/tight.json'" \
    "a tight prior at 0 shrinks the chance to win towards 1/2 and narrows the interval; without one the interval is about the lift's"
t_has "bayesian with a prior on the relative effect" "the row says the posterior is of the lift"

# the posterior plot shows the prior beside the posterior of the lift
if command -v gnuplot >/dev/null 2>&1; then
    t_run 0 "$DCX" plot posterior --input "$D/tight.json" --output "$D/post.svg"
    t_ok "grep -q '<text>prior</text>' '$D/post.svg' && grep -q 'relative effect (lift)' '$D/post.svg'" "posterior plot: the prior is drawn, on the lift's axis"
    t_run 0 "$DCX" plot posterior --input "$D/flat.json" --output "$D/flat.svg"
    t_ok "! grep -q '<text>prior</text>' '$D/flat.svg'" "posterior plot without a prior: the arms, no prior"
else
    t_skip "posterior plot with a prior" "gnuplot is not installed"
fi
t_ok "python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))[\"results\"][0]; sys.exit(0 if r[\"prior\"] == {\"mean\": 0, \"sd\": 0.02} else 1)' '$D/tight.json'" "the row records its prior"

# lift_ci: Fieller's by default (checked against R in tests/reference/analysis.R, LF cases),
# the delta method on request and under --difference relative (where the test is the delta
# method's); an unbounded Fieller interval is null, with a note
"$DCX" analyze --input "$CK" --metric revenue:mean --format json >"$D/fi.json"
"$DCX" analyze --input "$CK" --metric revenue:mean --lift-interval delta --format json >"$D/de.json"
t_ok "python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))[\"results\"][0]; d=json.load(open(sys.argv[2]))[\"results\"][0]; r=json.load(open(sys.argv[3]))[\"results\"][0]; sys.exit(0 if f[\"lift_ci\"][1] > d[\"lift_ci\"][1] and f[\"lift_ci\"][0] > d[\"lift_ci\"][0] and r[\"lift_ci\"] == d[\"lift_ci\"] and f[\"diff_ci\"] == d[\"diff_ci\"] else 1)' '$D/fi.json' '$D/de.json' '$D/rel.json'" \
    "Fieller's lift interval leans right of the delta one (a ratio is skewed right); relative uses the delta one"
printf 'variant,x\ncontrol,0\ncontrol,0\ncontrol,0\ncontrol,1\ntreatment,1\ntreatment,0\ntreatment,2\ntreatment,1\n' >"$D/near0.csv"
t_run 0 "$DCX" analyze --input "$D/near0.csv" --metric x:mean --test welch --format json
t_has '"lift_ci": null' "a control mean within its noise of 0: Fieller's interval is unbounded, so null"
t_has "Fieller's interval is unbounded" "and the row says why"
t_run 0 "$DCX" analyze --input "$D/near0.csv" --metric x:mean --lift-interval delta --format json
t_lacks '"lift_ci": null' "the delta method gives an interval there"

# errors
t_run 2 "$DCX" analyze --input "$CK" --metric revenue:mean --prior revenue=0,0.1
t_err "--prior goes with --method bayesian" "--prior without bayesian: usage error"
t_run 2 "$DCX" analyze --input "$CK" --metric revenue:mean --method bayesian --prior revenue=0
t_err "write METRIC=MEAN,SD" "--prior without SD: usage error"
t_run 2 "$DCX" analyze --input "$CK" --metric revenue:mean --method bayesian --prior revenue=0,-1
t_err "SD > 0" "--prior with SD <= 0: usage error"
t_run 2 "$DCX" analyze --input "$CK" --metric revenue:mean --method bayesian --prior nosuch=0,0.1
t_err "no --metric of that name" "--prior of an unknown metric"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --difference relative --test fisher
t_err "use --test auto, z or welch" "--difference relative with fisher: usage error"
t_run 2 "$DCX" analyze --input "$CK" --metric revenue:mean --difference ratio
t_err "absolute" "--difference outside its set"
# a control mean of 0: no relative test, said so
printf 'variant,x\ncontrol,0\ncontrol,0\ncontrol,0\ntreatment,1\ntreatment,0\ntreatment,2\n' >"$D/zero.csv"
t_run 0 "$DCX" analyze --input "$D/zero.csv" --metric x:mean --difference relative --format json
t_has '"p_value": null' "control mean 0: no relative p-value"
t_has "relative: the lift or its standard error is undefined" "and the row says why"
t_done
