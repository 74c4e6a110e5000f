#!/bin/sh
# Decision safety and the decision vocabulary: every number is right for its method and
# labelled for what it is (sequential lift intervals, t for means, |control|, checked
# summaries, the stated design, time as time, delimiters, outputs that would destroy
# inputs), and guardrails, one-sided tests, capping, quantiles and the ship decision.
# Exact values are checked against R in tests/unit/test_analysis.c; here the commands.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
CK=examples/checkout_test.csv
GD=examples/checkout_guardrails.csv
GUARDS="--metric converted:binary --metric revenue:mean --metric load_ms:quantile=0.9 --goal converted --guardrail revenue=2% --guardrail load_ms=50 --direction load_ms=decrease --direction revenue=increase"

# ---- 1-3: the lift's interval is right for its method --------------------------------------
cat >"$D/seq.lua" <<'EOF'
local r = dcx.analyze{input = "examples/checkout_test.csv", metric = {"converted:binary", "revenue:mean"}, method = "sequential"}
for _, x in ipairs(r.results) do
  local d0 = x.diff_ci[1] <= 0 and x.diff_ci[2] >= 0
  local l0 = x.lift_ci[1] <= 0 and x.lift_ci[2] >= 0
  print(x.metric, d0 == l0, x.lift_ci[2] - x.lift_ci[1] > 2.5 * (x.lift_ci[2] - x.lift) / 1.96)
end
EOF
t_run 0 "$DCX" run "$D/seq.lua"
t_has "converted	true	true" "sequential: the lift interval agrees with the diff interval about 0"
t_has "revenue	true	true" "and is an mSPRT interval (wider than the fixed-horizon one)"
t_run 0 "$DCX" analyze --input tests/data/tiny_mean.csv --metric y:mean --format json
t_has '"p_value": 0.0716' "four units per arm: the difference is not significant (R t.test)"
t_run 0 "$DCX" run -e 'local r = dcx.analyze{input = "tests/data/tiny_mean.csv", metric = {"y:mean"}}.results[1] print(r.lift_ci[1] < 0)'
t_has "true" "and neither is the lift: its interval uses the Welch t quantile, not z"
t_run 0 "$DCX" run -e 'local r = dcx.analyze{input = "tests/data/negative_mean.csv", metric = {"delta:mean"}}.results[1] print(r.control.mean < 0, r.diff > 0, r.lift > 0)'
t_has "true	true	true" "a negative baseline that rises is a positive lift (diff / |m_c|)"

# ---- 4: summary rows are checked ---------------------------------------------------------------
printf 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross\nx,mean,all,all,control,3,30,250,,,\nx,mean,all,all,treatment,3,33,400,,,\n' >"$D/bad_sums.csv"
t_run 1 "$DCX" analyze --summary "$D/bad_sums.csv" --metric x:mean
t_err "bad_sums.csv:2:8: metric 'x': sum_sq is smaller than sum^2/n" "an impossible summary row stops with file:line:column"
printf 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross\nx,binary,all,all,control,10,11,11,,,\nx,binary,all,all,treatment,10,3,3,,,\n' >"$D/bad_bin.csv"
t_run 1 "$DCX" analyze --summary "$D/bad_bin.csv" --metric x:binary
t_err "0 <= sum <= n" "binary sums above n are refused"
printf 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross\nr,ratio,all,all,control,3,6,14,3,5,99\nr,ratio,all,all,treatment,3,6,14,3,5,7\n' >"$D/bad_cross.csv"
t_run 1 "$DCX" analyze --summary "$D/bad_cross.csv" --metric r:ratio=a/b
t_err "bad_cross.csv:2:11: metric 'r': sum_cross is impossible" "a covariance beyond both spreads is refused"
awk 'BEGIN { print "variant,amount"; srand(2); for (i = 0; i < 2000; i++) printf "%s,%.6f\n", (i % 2 ? "control" : "treatment"), 1e9 + rand() + (i % 2 ? 0 : 0.05) }' >"$D/big.csv"
"$DCX" aggregate --input "$D/big.csv" --metric amount:mean >"$D/big_sums.csv"
t_run 0 "$DCX" analyze --summary "$D/big_sums.csv" --metric amount:mean --format json
t_has '"p_value": null' "sums that cannot resolve a variance near 1e9 give no p-value, not a wrong one"
t_has "cannot resolve" "and say why"

# ---- 5: the design is stated, not guessed -------------------------------------------------------
OB=examples/onboarding_test.csv
t_run 0 "$DCX" analyze --input "$OB" --metric activated:binary --config examples/experiments/onboarding.json --format json
t_has '"mismatch": false' "a healthy 30/30/40 split is healthy when the config states the design"
t_has '"guided": 8000' "expected counts follow the config's weights, by name"
t_run 0 "$DCX" analyze --input "$OB" --metric activated:binary --weights control=0.3,short=0.3,guided=0.4 --format json
t_has '"mismatch": false' "so do NAME=SHARE weights"
t_run 2 "$DCX" analyze --input "$OB" --metric activated:binary --weights 0.3,0.3,0.4
t_err "unequal shares need to say whose they are" "a bare list of unequal shares is a usage error"
t_run 0 "$DCX" analyze --input "$OB" --metric activated:binary --weights 0.3,0.3,0.4 --variants control,short,guided --format json
t_has '"mismatch": false' "a bare list is matched to --variants in the order given"
t_run 0 "$DCX" srm --counts control=5982,short=6023,guided=7995 --config examples/experiments/onboarding.json --format json
t_has '"mismatch": false' "srm --counts NAME=COUNT with --config"
printf 'variant,x\ncontrol,1\ncontrol,0\ntreatment,1\ntreatment,0\nstray,1\n' >"$D/stray.csv"
t_run 0 "$DCX" analyze --input "$D/stray.csv" --metric x --variants control,treatment --format json
t_has '"mismatch": true' "a variant in the data but not in the design is a mismatch"
t_err "variant 'stray' is in the data but not in the design" "and a warning"

# ---- 6: time is time ------------------------------------------------------------------------------
printf 'variant,day,x\ncontrol,2026-02-04,1\ntreatment,2026-02-04,0\ncontrol,2026-01-05,0\ntreatment,2026-01-05,1\n' >"$D/iso.csv"
t_run 0 "$DCX" analyze --input "$D/iso.csv" --metric x:binary --time-column day --format csv
t_run 0 "$DCX" run -e "local r = dcx.analyze{input = '$D/iso.csv', metric = {'x:binary'}, time_column = 'day'} print(r.timeline[1].period, r.timeline[2].period)"
t_has "2026-01-05	2026-02-04" "ISO dates are ordered chronologically"
awk 'BEGIN { print "variant,ts,x"; for (i = 0; i < 20000; i++) printf "%s,2026-10-%02dT%02d:%02d:00Z,%d\n", (i % 2 ? "control" : "treatment"), 1 + int(i / 700), int(i / 60) % 24, i % 60, i % 7 == 0 }' >"$D/ts.csv"
t_run 0 "$DCX" run -e "local r = dcx.analyze{input = '$D/ts.csv', metric = {'x:binary'}, time_column = 'ts'} print(#r.timeline, r.timeline[1].period)"
t_has "29	2026-10-01" "timestamps are grouped by day (29 days, not 20,000 periods)"
t_run 0 "$DCX" run -e "local r = dcx.analyze{input = '$D/ts.csv', metric = {'x:binary'}, time_column = 'ts', period = 'week'} print(#r.timeline, r.timeline[1].period)"
t_has "5	2026-W40" "--period week: ISO weeks"
t_run 0 "$DCX" run -e "local r = dcx.analyze{input = '$D/ts.csv', metric = {'x:binary'}, time_column = 'ts', period = 'month'} print(#r.timeline, r.timeline[1].period)"
t_has "1	2026-10" "--period month"
awk 'BEGIN { print "variant,t,x"; for (i = 0; i < 1000; i++) printf "%s,%d,%d\n", (i % 2 ? "control" : "treatment"), i, i % 3 == 0 }' >"$D/many.csv"
t_run 1 "$DCX" analyze --input "$D/many.csv" --metric x:binary --time-column t
t_err "more than 400 distinct values" "more than 400 periods is an error that explains"
printf 'variant,day,x\ncontrol,01/05/2026,1\ntreatment,01/05/2026,0\n' >"$D/us.csv"
t_run 0 "$DCX" analyze --input "$D/us.csv" --metric x:binary --time-column day --format json
t_err "not dates" "text periods keep their first-seen order, with a warning"
printf 'variant,day,x\ncontrol,2026-01-05,1\ntreatment,01/05/2026,0\n' >"$D/mixed.csv"
t_run 1 "$DCX" analyze --input "$D/mixed.csv" --metric x:binary --time-column day
t_err "mixed.csv:3:2" "dates mixed with other text: an error at the cell"

# ---- 8: European CSVs ---------------------------------------------------------------------------------
sed 's/,/;/g' "$CK" >"$D/semi.csv"
t_run 1 "$DCX" analyze --input "$D/semi.csv" --metric converted:binary
t_err "give --delimiter ';'" "a ';'-separated file gets an error that suggests --delimiter"
t_run 0 "$DCX" analyze --input "$D/semi.csv" --metric converted:binary --delimiter ';' --format csv
t_has "converted,binary,,all,all,treatment,14970" "--delimiter ';' reads it"
tr ',' '\t' <"$CK" >"$D/tab.tsv"
t_run 0 "$DCX" aggregate --input "$D/tab.tsv" --metric converted:binary --delimiter '\t'
t_has "converted,binary,all,all,control,14970,514,514" "--delimiter '\\t' reads tab-separated files"

# ---- 9: --output never replaces an input ------------------------------------------------------------------
cp "$CK" "$D/units.csv"
t_run 2 "$DCX" analyze --input "$D/units.csv" --metric converted:binary --output "$D/./units.csv"
t_err "is the --input file: refusing" "analyze --output naming its input is refused"
t_ok "cmp -s '$CK' '$D/units.csv'" "and the data are untouched"
ln -s "$D/units.csv" "$D/link.csv"
t_run 2 "$DCX" aggregate --input "$D/units.csv" --metric converted:binary --output "$D/link.csv"
t_err "refusing" "aggregate: the same file through a link (device and inode, not name)"
t_run 2 "$DCX" assign --config examples/experiments/checkout-redesign.json --input examples/customer_ids.csv --id-column user_id --output examples/customer_ids.csv
t_err "refusing" "assign too"

# ---- 10: labels ----------------------------------------------------------------------------------------------
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --segment device --format table
t_has "does the effect differ between segment levels?" "the terminal table shows heterogeneity"
t_has "* significant at alpha 0.05 within its family: secondary metrics (no correction), segment rows exploratory (not corrected" "and says when no correction was applied, and that segment rows are exploratory"
"$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --segment device --correction holm --format json >"$D/holm.json"
t_run 0 "$DCX" plot forest --input "$D/holm.json" --output "$D/f.svg" --title "Checkout forest title"
t_ok "grep -q 'Checkout forest title' '$D/f.svg'" "--title reaches the forest plot"
t_ok "grep -q 'adjusted for holm' '$D/f.svg'" "the forest plot says its intervals are the adjusted ones"
t_ok "grep -q '\"diff_ci_adjusted\": \\[' '$D/holm.json'" "and the result carries them"
"$DCX" analyze --input "$CK" --metric converted:binary --time-column day --format json >"$D/tl.json"
t_run 0 "$DCX" plot timeline --input "$D/tl.json" --output "$D/t.svg" --title "Timeline title here"
t_ok "grep -q 'Timeline title here' '$D/t.svg'" "--title reaches the timeline plot"
"$DCX" analyze --input "$CK" --metric converted:binary --format json >"$D/none.json"
t_run 0 "$DCX" report --input "$D/none.json" --output "$D/none.md"
t_ok "grep -q 'No correction for multiple comparisons was applied' '$D/none.md'" "the report says no correction was used, not that p-values are adjusted"
t_ok "! grep -q 'p-values are adjusted' '$D/none.md'" "and nothing else"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --format csv
cp "$OUT" "$D/c1.csv"
t_run 0 "$DCX" analyze --input tests/data/tiny_mean.csv --metric y:mean --method bayesian --format csv
t_ok "[ \"\$(head -1 '$D/c1.csv')\" = \"\$(head -1 '$OUT')\" ]" "CSV columns are the same whatever the method and data"

# ---- issue 14: guardrails, one-sided tests, decisions ------------------------------------------------------------
t_run 0 "$DCX" analyze --input "$GD" $GUARDS --format json
t_has '"role": "guardrail"' "guardrails carry their role"
t_has '"non_inferior": true' "and their non-inferiority"
t_has '"decision": "ship"' "express ships"
t_has '"decision": "no-ship"' "rich does not: its page is slower than the margin allows"
t_run 0 "$DCX" analyze --input "$GD" $GUARDS --format table
t_has "rich: no-ship" "the table ends with the decisions"
t_has "guardrail 'load_ms' (lower is better) fails" "with the reason in words"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --one-sided --format json
t_has '"note": "one-sided: p-value and intervals test an increase"' "one-sided rows say so"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --one-sided --method bayesian
t_err "--one-sided goes with --method frequentist" "one-sided is frequentist only"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --guardrail nosuch=1
t_err "no --metric of that name" "a guardrail names a metric"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --direction converted=sideways
t_err "increase or decrease" "a direction is increase or decrease"

# ---- capping and quantiles -------------------------------------------------------------------------------------------
t_run 0 "$DCX" analyze --input examples/revenue_test.csv --metric revenue:mean --cap revenue=p99 --format json
t_has '"cap": {' "capped rows carry their thresholds"
t_run 0 sh -c "'$DCX' analyze --input - --metric revenue:mean --cap revenue=p99 --format json < examples/revenue_test.csv"
t_has '"upper": 218.405' "standard input is read twice through a temporary copy, with the same thresholds"
printf 'variant,revenue\ncontrol,1\ntreatment,abc\n' >"$D/bad_revenue.csv"
t_run 1 sh -c "'$DCX' analyze --input - --metric revenue:mean --cap revenue=p99 < '$D/bad_revenue.csv'"
t_err "<stdin>:3:2: column 'revenue': 'abc' is not a number" "an error in standard input read twice names <stdin>, not the temporary copy"
t_run 1 sh -c "TMPDIR='$D/no-such-dir' '$DCX' analyze --input - --metric revenue:mean --cap revenue=p99 < examples/revenue_test.csv"
t_err "cannot create a temporary file for standard input" "the temporary copy of standard input goes to TMPDIR"
t_run 2 "$DCX" analyze --summary "$D/bad_sums.csv" --metric x:mean --cap x=p99
t_err "--cap needs the unit values" "--cap with --summary is a usage error"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --cap converted=p99
t_err "capping applies to mean metrics" "no cap on a binary metric"
# a summary carries a quantile metric: per arm the quantile and the order statistics of its
# rank window, so --summary gives what --input gives (the SRM on assigned units too)
t_run 0 "$DCX" aggregate --input "$GD" --metric load_ms:quantile=0.9 --metric converted:binary --segment device --output "$D/q.csv"
t_ok "grep -q '^load_ms,quantile=0.9,all,all,control,' '$D/q.csv'" "aggregate writes a quantile row per arm"
"$DCX" analyze --input "$GD" --metric load_ms:quantile=0.9 --metric converted:binary --segment device --format json >"$D/qi.json"
t_run 0 "$DCX" analyze --summary "$D/q.csv" --metric load_ms:quantile=0.9 --metric converted:binary --segment device --format json
t_ok "'$DCX' run tests/cli/same_result.lua '$D/qi.json' '$OUT'" "a quantile from the summary equals the quantile from the units"
t_run 0 "$DCX" analyze --summary "$D/q.csv" --metric load_ms --format json
t_has '"type": "quantile"' "a metric named without a type takes the summary's quantile=Q"
t_run 1 "$DCX" analyze --summary "$D/q.csv" --metric load_ms:quantile=0.5
t_err "is quantile=0.9 here but quantile=0.5 was asked for" "a summary of another quantile is refused"
t_run 1 "$DCX" aggregate --merge "$D/q.csv" "$D/q.csv"
t_err "the quantiles of several shards do not add up" "quantile rows of shards are not added up"
t_run 2 "$DCX" analyze --input "$GD" --metric load_ms:quantile=1.5
t_err "0 < Q < 1" "a quantile is between 0 and 1"

# ---- the Lua tables take the same options -------------------------------------------------------------------------------
cat >"$D/roles.lua" <<'EOF'
local r = dcx.analyze{input = "examples/checkout_guardrails.csv", metric = {"converted:binary", "revenue:mean", "load_ms:quantile=0.9"},
  goal = "converted", guardrail = {revenue = "2%", load_ms = 50}, direction = {load_ms = "decrease"}, cap = {revenue = "p99"}}
for _, d in ipairs(r.decisions) do print(d.variant, d.decision) end
print(r.results[3].cap.upper > 0, r.results[5].role)
EOF
t_run 0 "$DCX" run "$D/roles.lua"
t_has "express	ship" "dcx.analyze{guardrail = {...}}: the same decisions"
t_has "rich	no-ship" "for every treatment"
t_has "true	guardrail" "caps and roles from Lua tables"

# ---- the decision as a workbook --------------------------------------------------------------------
t_run 0 "$DCX" analyze --input "$GD" $GUARDS --segment device --cap revenue=p99 --format json
cp "$OUT" "$D/g.json"
t_run 0 "$DCX" analyze --input "$GD" $GUARDS --segment device --cap revenue=p99 --format xlsx --output "$D/g.xlsx"
t_xlsx "$D/g.json" "$D/g.xlsx" "analyze workbook: decisions, results, srm, heterogeneity, warnings, about — every cell equals the JSON"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --method bayesian --time-column day --format json
cp "$OUT" "$D/b.json"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --method bayesian --time-column day --output "$D/b.XLSX"
t_xlsx "$D/b.json" "$D/b.XLSX" "a Bayesian analysis with a timeline, as a workbook named .XLSX"

# ---- issue 20: roles, stated by the user ----------------------------------------------------------
NOGOAL="no decision: name the goal metric(s) with --goal"
t_run 0 "$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --format json
t_has '"decisions": []' "no goal metric, no decision"
t_has '"role": "secondary"' "a metric is secondary unless named"
t_lacks '"role": "success"' "the word success is retired"
cp "$OUT" "$D/nogoal.json"
t_run 0 "$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --format table
t_has "$NOGOAL" "the table says how to get a decision"
t_run 0 "$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --format markdown
t_has "$NOGOAL" "so does the Markdown view"
t_run 0 "$DCX" report --input "$D/nogoal.json" --output "$D/nogoal.md"
t_ok "grep -qF '$NOGOAL' '$D/nogoal.md'" "and the report"
t_run 0 "$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --output "$D/nogoal.xlsx"
t_xlsx "$D/nogoal.json" "$D/nogoal.xlsx" "and the workbook: its decisions sheet holds the sentence, cell by cell"
sed 's/"role": "secondary"/"role": "success"/' "$D/nogoal.json" >"$D/old.json"
t_run 0 "$DCX" report --input "$D/old.json" --output "$D/old.md"
t_ok "grep -q '| success |' '$D/old.md'" "a result written with the retired word success still reads"
t_run 0 "$DCX" analyze --input "$GD" --metric converted:binary --metric revenue:mean --goal converted --guardrail revenue=2% --format json
t_err "guardrail 'revenue' is taken as higher-is-better; state --direction" "a guardrail without a stated direction is warned about"
t_has "goal 'converted' (higher is better, assumed)" "every reason names the direction, and says when it was assumed"
t_has "guardrail 'revenue' (higher is better, assumed)" "guardrails too"
t_run 0 "$DCX" analyze --input "$GD" $GUARDS --format json
t_err_lacks "is taken as higher-is-better" "no warning when every guardrail's direction is stated"
t_has "guardrail 'load_ms' (lower is better) fails" "a lower-is-better guardrail says so"
t_run 2 "$DCX" analyze --input "$GD" --metric converted:binary --goal converted --guardrail converted=0.01
t_err "a metric is a goal or a guardrail, not both" "a metric is not both goal and guardrail"
t_run 2 "$DCX" analyze --input "$GD" --metric converted:binary --goal nosuch
t_err "--goal 'nosuch': no --metric of that name" "a goal names a metric"

# ---- the decision for each role combination (tests/data/role_cases.csv, built and decided in R:
# tests/reference/analysis.R, cases RC1-RC5) ------------------------------------------------------
RC=tests/data/role_cases.csv
verdicts() { # verdicts ARGS...: "variant decision", a line per treatment
    "$DCX" analyze --input "$RC" "$@" --format json >"$D/v.json"
    "$DCX" run -e 'for _, d in ipairs(dcx.json.decode(io.read("a")).decisions) do print(d.variant .. " " .. d.decision) end' <"$D/v.json"
}
t_run 0 "$DCX" analyze --input "$RC" --metric conv:binary --metric latency:mean --format table
t_has "$NOGOAL" "no goal: no decision, whatever moved"
verdicts --metric conv:binary --goal conv >"$OUT"
t_has "win ship" "one goal that rose significantly: ship"
t_has "side inconclusive" "a goal that did not move: inconclusive"
verdicts --metric conv:binary --metric latency:mean --goal conv --guardrail latency=5 --direction latency=decrease >"$OUT"
t_has "win ship" "goal up, guardrail within its margin: ship"
t_has "slow no-ship" "goal up, guardrail 20 ms worse against a margin of 5: no-ship"
verdicts --metric latency:mean --goal latency --direction latency=decrease >"$OUT"
t_has "faster ship" "a lower-is-better goal that fell: ship"
t_has "slow no-ship" "and one that rose: no-ship"
t_run 0 "$DCX" analyze --input "$RC" --metric latency:mean --goal latency --direction latency=decrease --format table
t_has "goal 'latency' (lower is better) fell, its good direction" "the reason says it fell, and that falling is good"
verdicts --metric g1:binary --metric g2:binary --metric g3:binary --goal g1 --goal g2 --goal g3 >"$OUT"
t_has "multi inconclusive" "three goals: a p of 0.036 alone does not ship after Holm over the goal family"
t_run 0 "$DCX" analyze --input "$RC" --metric g1:binary --metric g2:binary --metric g3:binary --goal g1 --goal g2 --goal g3 --format table
t_has "holm over 15 goal tests" "the reason says the goal family was corrected, by what, over how many tests"
t_run 0 "$DCX" analyze --input "$RC" --metric g1:binary --metric g2:binary --metric g3:binary --goal g1 --goal g2 --goal g3 --correction bonferroni --format table
t_has "bonferroni over 15 goal tests" "a --correction given is the goal family's correction"
"$DCX" analyze --input "$RC" --metric g1:binary --metric g2:binary --metric g3:binary --goal g1 --goal g2 --goal g3 --format json >"$D/goals.json"
t_run 0 "$DCX" plot forest --input "$D/goals.json" --output "$D/goals.svg"
t_ok "grep -q 'goal metrics adjusted for holm' '$D/goals.svg'" "the forest plot draws the goals' Holm-adjusted intervals, and says so"
verdicts --metric conv:binary --metric pages:mean --goal conv >"$OUT"
t_has "side inconclusive" "a secondary metric that moved does not make a ship"
t_run 0 "$DCX" analyze --input "$RC" --metric conv:binary --metric pages:mean --goal conv --format table
t_has "secondary 'pages' (higher is better, assumed) rose significantly, in its good direction" "the reason names it"
t_has "a secondary metric informs and does not decide" "and says it does not decide"

# ---- correction families: an overall result does not depend on the slicing -----------------------
cat >"$D/fam.lua" <<'LUA'
local function run(segs)
  return dcx.analyze{input = "examples/checkout_test.csv", metric = {"converted:binary", "revenue:mean"},
    goal = "converted", segment = segs, correction = "holm"}
end
local a, b, c = run(nil), run({"device"}), run({"device", "country"})
local function overall(doc, m)
  for _, r in ipairs(doc.results) do if r.metric == m and r.segment == "all" then return r end end
end
for _, m in ipairs({"converted", "revenue"}) do
  local r = overall(a, m)
  local function same(x) return math.abs(x - r.p_adjusted) <= 1e-12 * r.p_adjusted end -- sums in another order
  print(m, r.family, same(overall(b, m).p_adjusted), same(overall(c, m).p_adjusted))
end
for _, r in ipairs(c.results) do if r.segment == "country" then print("segment family", r.family) break end end
LUA
t_run 0 "$DCX" run "$D/fam.lua"
t_has "converted	goal	true	true" "the goal's p_adjusted is the same with 0, 1 or 2 segment columns"
t_has "revenue	secondary	true	true" "so is a secondary metric's"
t_has "segment family	segment:country" "segment rows carry a family of their own"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --segment device --format markdown --rows all
t_has "### segment levels (exploratory)" "segment rows are labelled exploratory"
t_has "| converted | device=mobile |" "under that heading"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --segment device --format json
t_has '"note": "exploratory: a segment level, corrected only within its metric and segment column"' "in the JSON (and so the CSV and the workbook) by their note"
cp "$OUT" "$D/segs.json"
t_run 0 "$DCX" plot forest --input "$D/segs.json" --output "$D/segs.svg"
t_ok "python3 tests/cli/svg_labels.py '$D/segs.svg' 'device=mobile, treatment (exploratory)' 'all units, treatment' >/dev/null" "and in the forest plot's labels (the overall row is not exploratory)"

# ---- sequential: the interval is the running intersection, so it agrees with the p-value ----------
# a novelty effect: +4 points for five days, none after; the running-minimum p-value is below
# alpha while the last look's own interval covers 0
awk 'BEGIN { print "variant,day,converted"; for (d = 1; d <= 20; d++) for (i = 0; i < 800; i++) {
  v = i % 2 ? "control" : "treatment"; r = (v == "treatment" && d <= 5) ? 14 : 10
  printf "%s,%d,%d\n", v, d, (int(i / 2) % 100) < r } }' >"$D/novelty.csv"
cat >"$D/seqci.lua" <<LUA
local r = dcx.analyze{input = "$D/novelty.csv", metric = {"converted:binary"}, goal = "converted",
  method = "sequential", time_column = "day"}
local ok, sig = true, 0
local function excl(ci) return ci[1] > 0 or ci[2] < 0 end
for _, x in ipairs(r.results) do
  ok = ok and excl(x.diff_ci) == (x.p_value < 0.05) and x.significant == excl(x.diff_ci)
  if x.significant then sig = sig + 1 end
end
for _, e in ipairs(r.timeline) do ok = ok and excl(e.diff_ci) == (e.p_value < 0.05) end
print("agree", ok, sig, r.decisions[1].decision)
LUA
t_run 0 "$DCX" run "$D/seqci.lua"
t_has "agree	true	1	ship" "the running-minimum p is significant, and so is the interval shown, in the row and every look"

# ---- Bayesian output in the metric's direction --------------------------------------------------
cat >"$D/bdir.lua" <<'LUA'
local r = dcx.analyze{input = "examples/checkout_guardrails.csv", metric = {"converted:binary", "load_ms:mean"},
  goal = "load_ms", direction = {load_ms = "decrease"}, method = "bayesian"}
for _, x in ipairs(r.results) do
  if x.metric == "load_ms" and x.variant == "rich" then
    print(x.prob_beat_control < 0.001, x.expected_loss > 150, x.risk_relative > 0.15)
  end
end
for _, d in ipairs(r.decisions) do print(d.variant, d.decision) end
LUA
t_run 0 "$DCX" run "$D/bdir.lua"
t_has "true	true	true" "a lower-is-better metric that got 215 ms slower: P(better) ~ 0, loss ~ 215 ms, risk ~ 22%"
t_has "rich	no-ship" "and the decision agrees"
t_run 0 "$DCX" analyze --input "$GD" --metric converted:binary --metric load_ms:mean --goal converted --guardrail load_ms=50 --direction load_ms=decrease --method bayesian --format json
t_has '"ni_p_value": null' "a Bayesian guardrail has no p-value"
t_has "probability < 0.01% that it is within the margin" "but the posterior probability of staying within its margin, in the reason"
t_run 0 "$DCX" analyze --input "$GD" --metric converted:binary --metric load_ms:mean --goal converted --guardrail load_ms=50 --direction load_ms=decrease --method bayesian --format table
t_has "P(better)" "the table says P(better)"
t_has "risk is loss / |control|" "and shows the risk, saying what it is"

# ---- metric definitions in a file ------------------------------------------------------------------
cat >"$D/defs.json" <<'JSON'
{"metrics": [
  {"name": "converted", "type": "binary", "role": "goal"},
  {"name": "revenue", "type": "mean", "role": "guardrail", "margin": "2%", "direction": "increase"},
  {"name": "load_ms", "type": "quantile", "quantile": 0.9, "direction": "decrease",
   "role": "guardrail", "margin": 50}
]}
JSON
cat >"$D/same.lua" <<LUA
local flags = dcx.analyze{input = "$GD", metric = {"converted:binary", "revenue:mean", "load_ms:quantile=0.9"},
  goal = "converted", guardrail = {revenue = "2%", load_ms = 50}, direction = {load_ms = "decrease", revenue = "increase"}}
local file = dcx.analyze{input = "$GD", metrics = "$D/defs.json"}
local f = io.open("$D/defs.json")
local tbl = dcx.analyze{input = "$GD", metrics = dcx.json.decode(f:read("a")).metrics}
f:close()
local e = dcx.json.encode
print("file", e(flags.results) == e(file.results), e(flags.decisions) == e(file.decisions))
print("table", e(flags.results) == e(tbl.results), e(flags.decisions) == e(tbl.decisions))
LUA
t_run 0 "$DCX" run "$D/same.lua"
t_has "file	true	true" "--metrics FILE gives the results and decisions of the same flags"
t_has "table	true	true" "so does a Lua table of the same definitions"
printf '{"key": "checkout", "variants": [{"name": "control"}, {"name": "express"}, {"name": "rich"}],\n "metrics": [{"name": "converted", "type": "binary", "role": "goal"}]}\n' >"$D/exp.json"
t_run 0 "$DCX" analyze --input "$GD" --config "$D/exp.json" --format json
t_has '"role": "goal"' "the experiment config's metrics are read with --config"
t_run 0 "$DCX" analyze --input "$GD" --config "$D/exp.json" --metrics "$D/defs.json" --format json
t_err "the metrics of --config are replaced by those of --metrics" "--metrics replaces the config's metrics, and says so"
t_has '"metric": "load_ms"' "the file's are the ones compared"
printf 'user_id\nu1\n' >"$D/ids.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/ids.csv"
t_err_lacks "unknown key 'metrics'" "and assign takes a config with metrics without a warning"
t_run 0 "$DCX" run -e "local r = dcx.analyze{input = '$GD', metrics = '$D/defs.json', goal = 'revenue'} for _, x in ipairs(r.results) do if x.metric == 'revenue' then print(x.role, x.family) break end end"
t_has "goal	goal" "a flag overrides a definition's role"
t_run 1 "$DCX" analyze --input "$GD" --metrics "$D/defs.json" --metric pages_extra
t_err "pages_extra" "--metric adds a metric to the file's"
printf '{"metrics": [\n  {"name": "converted", "type": "binary"},\n  {"name": "load_ms", "type": "mean",\n   "dirction": "decrease"}\n]}\n' >"$D/typo.json"
t_run 1 "$DCX" analyze --input "$GD" --metrics "$D/typo.json"
t_err "typo.json:4:4: metrics[1]: unknown key 'dirction' (did you mean 'direction'?)" "an unknown key: file, line, column and the key it probably meant"
printf '{"metrics": [{"name": "converted", "tpye": "binary"}]}' >"$D/typo2.json"
t_run 1 "$DCX" analyze --input "$GD" --metrics "$D/typo2.json"
t_err "unknown key 'tpye' (did you mean 'type'?)" "swapped letters are one slip"
printf '{"metrics": [{"name": "converted", "type": "binry"}]}' >"$D/typo3.json"
t_run 1 "$DCX" analyze --input "$GD" --metrics "$D/typo3.json"
t_err "type 'binry' is not binary, mean, ratio, nps or quantile (did you mean 'binary'?)" "a value out of its set"
printf '{"metrics": [{"name": "converted", "role": "success"}]}' >"$D/old_role.json"
t_run 1 "$DCX" analyze --input "$GD" --metrics "$D/old_role.json"
t_err "role 'success' is retired" "the retired role is named as such"
printf '{"metrics": [{"name": "revenue", "role": "guardrail"}]}' >"$D/nomargin.json"
t_run 1 "$DCX" analyze --input "$GD" --metrics "$D/nomargin.json"
t_err 'a guardrail needs a "margin"' "a guardrail needs its margin"
printf '{"metrics": [{"name": "converted", "type": "binary"},\n  {"name": "converted", "type": "mean"}]}' >"$D/twice.json"
t_run 1 "$DCX" analyze --input "$GD" --metrics "$D/twice.json"
t_err "twice.json:2:4: metrics[1]: metric 'converted' is defined twice (also metrics[0])" "a name defined twice"
printf '{"metric": []}' >"$D/top.json"
t_run 1 "$DCX" analyze --input "$GD" --metrics "$D/top.json"
t_err "unknown key 'metric' (did you mean 'metrics'?)" "the file's own keys are checked too"
t_run 2 "$DCX" analyze --input "$GD" --metrics "$D/defs.json" --metric converted:mean
t_err "metric 'converted' is defined in" "--metric does not define a file's metric a second time"
t_run 0 "$DCX" run -e "local ok, e = pcall(dcx.analyze, {input = '$GD', metrics = {{name = 'converted', tpye = 'binary'}}}) print(ok, e)"
t_has "metrics[0]: unknown key 'tpye' (did you mean 'type'?)" "a Lua table is read as strictly"
t_schema metrics.schema.json "the definitions file follows docs/schema/metrics.schema.json" "$D/defs.json" tests/data/metric_defs.json
t_schema experiment.schema.json "an experiment config with metrics follows its schema" "$D/exp.json"
# a definition's cap_ignore_zeros reaches the unit-level analysis, as the flag does
printf '{"metrics": [{"name": "revenue", "type": "mean", "cap": "p99", "cap_ignore_zeros": true}]}\n' >"$D/iz.json"
t_run 0 "$DCX" analyze --input "$GD" --metrics "$D/iz.json" --format json
cp "$OUT" "$D/iz_def.json"
t_run 0 "$DCX" analyze --input "$GD" --metric revenue:mean --cap revenue=p99 --cap-ignore-zeros revenue --format json
t_ok "python3 -c \"import json; a = json.load(open('$D/iz_def.json'))['results'][0]['cap']; b = json.load(open('$OUT'))['results'][0]['cap']; raise SystemExit(0 if a == b and a['ignore_zeros'] else 1)\"" \
    "cap_ignore_zeros in a definitions file gives the flag's thresholds (percentile of the non-zero values)"
t_done
