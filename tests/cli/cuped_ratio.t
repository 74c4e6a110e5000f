#!/bin/sh
# CUPED for ratio metrics (--cuped METRIC=COVNUM/COVDEN): equal to the gbstats
# re-implementation in tests/reference/gbstats_cuped_ratio.py from units and from summaries;
# no adjustment where the covariates are zero, next to none where they are unrelated, a
# variance that drops where they correlate; every way in (definitions, Lua, shards, a large
# file read in two halves, the timeline); and the errors.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
SS=examples/sessions_test.csv
R="--metric ppv:ratio=pageviews/sessions"
C="--cuped ppv=pre_pageviews/pre_sessions"
SAME="$DCX run tests/cli/same_result.lua"

t_ok "python3 tests/cli/cuped_ratio_check.py '$DCX' '$D' >'$D/check.out' 2>&1 || { cat '$D/check.out' >&2; false; }" \
    "theta, adjusted arms, sd, diff, diff_ci, z, p, variance reduction, lift and its delta interval equal gbstats' (9 comparisons, 3 arms, segments; units and summaries; 1e-9)"

# ---- what the adjustment does --------------------------------------------------------------
"$DCX" analyze --input "$SS" $R --format json >"$D/plain.json"
t_run 0 "$DCX" analyze --input "$SS" $R $C --format json
cp "$OUT" "$D/adj.json"
t_ok "python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[\"results\"][0]; p=json.load(open(sys.argv[2]))[\"results\"][0]; w=lambda r: r[\"diff_ci\"][1] - r[\"diff_ci\"][0]; sys.exit(0 if a[\"variance_reduction\"] > 0.4 and w(a) < 0.7 * w(p) and a[\"p_value\"] < p[\"p_value\"] else 1)' '$D/adj.json' '$D/plain.json'" \
    "a covariate pair that correlates (a user's pages per session carry over): variance down by over 40%, a narrower interval"
# covariates that are all zero (new users only): the pre-period ratio is undefined, no adjustment
awk -F, 'BEGIN { OFS = "," } NR > 1 { $4 = 0; $5 = 0 } { print }' "$SS" >"$D/zero.csv"
t_run 0 "$DCX" analyze --input "$D/zero.csv" $R $C --format json
cp "$OUT" "$D/zero.json"
t_ok "python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[\"results\"]; p=json.load(open(sys.argv[2]))[\"results\"]; sys.exit(0 if all(x[\"theta\"] == 0 and x[\"variance_reduction\"] == 0 and abs(x[\"diff\"] - y[\"diff\"]) < 1e-12 and all(abs(u - v) < 1e-12 for u, v in zip(x[\"diff_ci\"], y[\"diff_ci\"])) and abs(x[\"p_value\"] - y[\"p_value\"]) < 1e-12 for x, y in zip(a, p)) else 1)' '$D/zero.json' '$D/plain.json'" \
    "covariates all zero: theta 0, and the result is the unadjusted ratio's (diff, interval, p)"
t_has "covariate denominator 'pre_sessions' has mean 0 in an arm: no CUPED adjustment" "and the row says why"
# a constant pre-period ratio: nothing to regress on
awk -F, 'BEGIN { OFS = "," } NR > 1 { $4 = 6; $5 = 2 } { print }' "$SS" >"$D/const.csv"
t_run 0 "$DCX" analyze --input "$D/const.csv" $R $C --format json
t_json "all(r['theta'] == 0 for r in d['results']) and 'has a constant ratio: no CUPED adjustment' in d['results'][0]['note']" \
    "a covariate pair with a constant ratio: theta 0, said so"
# covariates unrelated to the outcome (drawn independently): next to no change
awk -F, 'BEGIN { OFS = ","; srand(7) } NR > 1 { s = 1 + int(8 * rand()); $5 = s; $4 = s + int(20 * rand()) } { print }' "$SS" >"$D/noise.csv"
t_run 0 "$DCX" analyze --input "$D/noise.csv" $R $C --format json
cp "$OUT" "$D/noise.json"
t_ok "python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[\"results\"][0]; p=json.load(open(sys.argv[2]))[\"results\"][0]; se=(p[\"diff_ci\"][1] - p[\"diff_ci\"][0]) / 3.92; sys.exit(0 if abs(a[\"variance_reduction\"]) < 0.01 and abs(a[\"diff\"] - p[\"diff\"]) < 0.1 * se and a[\"theta\"] != 0 else 1)' '$D/noise.json' '$D/plain.json'" \
    "unrelated covariates: variance reduction under 1%, the difference within a tenth of its SE of the unadjusted one"

# ---- every way in ---------------------------------------------------------------------------
printf '{"metrics": [{"name": "ppv", "type": "ratio", "numerator": "pageviews", "denominator": "sessions",\n  "cuped": "pre_pageviews/pre_sessions", "role": "goal"}]}\n' >"$D/defs.json"
"$DCX" analyze --input "$SS" $R $C --goal ppv --segment device --format json >"$D/flags.json"
t_run 0 "$DCX" analyze --input "$SS" --metrics "$D/defs.json" --segment device --format json
t_ok "$SAME '$D/flags.json' '$OUT'" "a definition's \"cuped\": \"COVNUM/COVDEN\" gives what the flags give"
for dialect in postgres duckdb sqlite; do
    "$DCX" sql --dialect $dialect --table units $R $C >"$D/flags.sql"
    t_run 0 "$DCX" sql --dialect $dialect --table units --metrics "$D/defs.json"
    t_ok "cmp -s '$D/flags.sql' '$OUT'" "$dialect: dcx sql --metrics with a covariate pair writes the query of the flags"
done
t_schema metrics.schema.json "the definition with a covariate pair follows docs/schema/metrics.schema.json" "$D/defs.json"
t_run 0 "$DCX" run -e "io.write(dcx.json.encode(dcx.analyze{input = '$SS', metric = {'ppv:ratio=pageviews/sessions'}, cuped = {'ppv=pre_pageviews/pre_sessions'}, goal = {'ppv'}, segment = {'device'}}))"
t_ok "$SAME '$D/flags.json' '$OUT'" "Lua: cuped = {'ppv=COVNUM/COVDEN'} gives what the flags give"
t_run 0 "$DCX" run -e "io.write(dcx.json.encode(dcx.analyze{input = '$SS', metrics = {{name = 'ppv', type = 'ratio', numerator = 'pageviews', denominator = 'sessions', cuped = 'pre_pageviews/pre_sessions', role = 'goal'}}, segment = {'device'}}))"
t_ok "$SAME '$D/flags.json' '$OUT'" "Lua: a metric table's cuped pair too"
"$DCX" analyze --input "$SS" $R $C --format json >"$D/noseg.json"
t_ok "python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[\"results\"][0]; b=json.load(open(sys.argv[2]))[\"results\"][0]; sys.exit(0 if all(abs(a[k] - b[k]) <= 1e-12 * abs(b[k]) for k in (\"diff\", \"theta\", \"p_value\", \"variance_reduction\")) else 1)' '$D/noseg.json' '$D/flags.json'" \
    "all units read directly equal all units merged from the segment's levels"
# shards: two summaries added up (by --summary and by aggregate --merge) equal the whole
head -4001 "$SS" >"$D/a.csv"
{ head -1 "$SS"; tail -n +4002 "$SS"; } >"$D/b.csv"
"$DCX" aggregate --input "$D/a.csv" $R $C --segment device >"$D/sa.csv"
"$DCX" aggregate --input "$D/b.csv" $R $C --segment device >"$D/sb.csv"
t_ok "head -1 '$D/sa.csv' | grep -q ',sum3,sum3_sq,sum4,sum4_sq,sum_cross13,sum_cross14,sum_cross23,sum_cross24,sum_cross34,rows_total$'" \
    "the summary gains the covariate pair's nine sums, before rows_total"
"$DCX" analyze --input "$SS" $R $C --segment device --format json >"$D/whole.json"
t_run 0 "$DCX" analyze --summary "$D/sa.csv" --summary "$D/sb.csv" $R $C --segment device --format json
t_ok "$SAME '$D/whole.json' '$OUT'" "two shards' summaries add up to the whole (1e-9)"
t_run 0 "$DCX" aggregate --merge "$D/sa.csv" "$D/sb.csv"
cp "$OUT" "$D/merged.csv"
t_run 0 "$DCX" analyze --summary "$D/merged.csv" $R $C --segment device --format json
t_ok "$SAME '$D/whole.json' '$OUT'" "aggregate --merge keeps the pair's sums: the merged summary gives the whole"
"$DCX" aggregate --input "$D/b.csv" $R --segment device >"$D/sb0.csv"
t_run 1 "$DCX" aggregate --merge "$D/sa.csv" "$D/sb0.csv"
t_err "metric 'ppv': one summary carries the sums of a covariate pair (sum3 .. sum_cross34) and another not" \
    "aggregate --merge refuses to add a shard with the pair's sums to one without (the sums would not be of the same units)"
"$DCX" aggregate --input "$SS" $R --segment device >"$D/s0.csv"
t_ok "! head -1 '$D/s0.csv' | grep -q sum3" "without a covariate pair the summary keeps its columns"
t_run 0 "$DCX" analyze --summary "$D/sa.csv" $R --segment device --format json
t_json "d['results'][0]['theta'] is None" "a summary with the pair's sums, analysed without --cuped: the plain ratio"
# a file large enough to be read in two halves at once (8 MiB): equal to reading it in order
awk -F, 'NR == 1 { print; next } { for (k = 0; k < 40; k++) { $1 = $1 "_" k; print; sub(/_[0-9]+$/, "", $1) } }' OFS=, "$SS" >"$D/big.csv"
t_run 0 "$DCX" analyze --input "$D/big.csv" $R $C --segment device --format json
cp "$OUT" "$D/big_file.json"
t_run 0 sh -c "'$DCX' analyze --input - $R $C --segment device --format json <'$D/big.csv'"
t_ok "$SAME '$D/big_file.json' '$OUT'" "a large file read in two halves merges the covariate pairs exactly (as standard input, read in order)"
# the timeline adds up periods: its last look is the whole
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "day"; next } { print $0, sprintf("2026-05-%02d", 1 + NR % 7) }' "$SS" >"$D/days.csv"
t_run 0 "$DCX" analyze --input "$D/days.csv" $R $C --time-column day --method sequential --format json
t_json "near(d['timeline'][-1]['diff'], d['results'][0]['diff']) and d['timeline'][-1]['n_control'] == d['results'][0]['control']['n'] and d['timeline'][0]['n_control'] < d['timeline'][-1]['n_control']" \
    "sequential timeline: the periods' covariate pairs add up, the last look is the whole"
t_run 0 "$DCX" analyze --input "$SS" $R $C --method bayesian --format json
t_json "0.9 < d['results'][0]['prob_beat_control'] < 1 and d['results'][0]['theta'] > 0.5" "bayesian: the normal posterior of the adjusted difference"
t_run 0 "$DCX" analyze --input "$SS" $R $C --format table
t_has "theta 0.73, VR 57.44%" "the table names theta and the variance reduction"

# a covariate denominator near 0 for its numerator's size (1e-300): the pre-period ratio's
# delta-method variance overflows a double; no adjustment, said as that, and the plain ratio's
# test (it was "a constant ratio", "outcome has zero variance" and no test at all)
awk -F, 'BEGIN { OFS = "," } NR > 1 { $5 = (NR % 2 ? "1e-300" : "2e-300") } { print }' "$SS" >"$D/tinyden.csv"
t_run 0 "$DCX" analyze --input "$D/tinyden.csv" $R $C --format json
t_json "(r := d['results'][0]) and (p := json.load(open('$D/plain.json'))['results'][0]) and r['theta'] == 0 and abs(r['p_value'] - p['p_value']) < 1e-12 and 'its ratio\'s variance overflows a double' in r['note'] and 'constant' not in r['note'] and 'zero variance' not in r['note']" \
    "a covariate pair whose ratio's variance overflows: no adjustment, said so, the unadjusted test"
# the outcome's own denominator near 0: no test, said as an overflow, not as zero variance
awk -F, 'BEGIN { OFS = "," } NR > 1 { $7 = (NR % 2 ? "1e-300" : "2e-300") } { print }' "$SS" >"$D/tinyout.csv"
t_run 0 "$DCX" analyze --input "$D/tinyout.csv" $R $C --format json
t_json "(r := d['results'][0]) and r['p_value'] is None and 'the variance overflows a double' in r['note'] and 'zero variance' not in r['note'] and any('overflows' in w for w in d['warnings'])" \
    "an outcome ratio whose variance overflows: no test, said as an overflow"

# ---- errors ---------------------------------------------------------------------------------
t_run 1 "$DCX" analyze --input "$SS" $R --cuped ppv=pre_pv/pre_sessions
t_err "sessions_test.csv:1: no covariate numerator column 'pre_pv' in the header" "a missing covariate numerator column: file and line, exit 1"
t_run 1 "$DCX" analyze --input "$SS" $R --cuped ppv=pre_pageviews/pre_s
t_err "no covariate denominator column 'pre_s'" "a missing covariate denominator column"
t_run 2 "$DCX" analyze --input "$SS" $R --cuped ppv=pre_pageviews
t_err "ratio metric 'ppv' is adjusted by a covariate pair, its pre-period numerator and denominator: write ppv=COVNUM/COVDEN" "a ratio given one column: a usage error that shows the form"
t_run 2 "$DCX" analyze --input "$SS" --metric pageviews:mean --cuped pageviews=pre_pageviews/pre_sessions
t_err "mean metric 'pageviews' takes one covariate column; a COVNUM/COVDEN pair is for ratio metrics" "a mean metric given a pair"
t_run 2 "$DCX" analyze --input "$SS" --metric pageviews --cuped pageviews=pre_pageviews/pre_sessions
t_err "metric 'pageviews' reads one column and takes one covariate" "an untyped metric given a pair"
t_run 2 "$DCX" analyze --input "$SS" $R --cuped ppv=/pre_sessions
t_err "both columns named" "a pair with an empty half"
t_run 1 "$DCX" analyze --summary "$D/s0.csv" $R $C --segment device
t_err "s0.csv:8: metric 'ppv' is adjusted by a covariate pair (--cuped ppv=pre_pageviews/pre_sessions), but the summary has no column 'sum3'" \
    "a summary made without the pair: file and line, what to do"
t_run 2 "$DCX" analyze --summary "$D/sa.csv" --metric ppv --cuped ppv=pre_pageviews --segment device
t_err "sa.csv:8:2: --cuped 'ppv=pre_pageviews': metric 'ppv' is a ratio, adjusted by a covariate pair" \
    "an untyped metric the summary says is a ratio, given one covariate: at the row that says so"
awk -F, 'BEGIN { OFS = "," } NR == 8 { $22 = 1 } { print }' "$D/sa.csv" >"$D/badsum.csv"
t_run 1 "$DCX" analyze --summary "$D/badsum.csv" $R $C --segment device
t_err "badsum.csv:8:22: metric 'ppv': a covariate's sum of squares is smaller than its sum^2/n" "impossible covariate sums: file, line, column"
awk -F, 'BEGIN { OFS = "," } NR == 8 { $27 = 1e12 } { print }' "$D/sa.csv" >"$D/badx.csv"
t_run 1 "$DCX" analyze --summary "$D/badx.csv" $R $C --segment device
t_err "badx.csv:8:27: metric 'ppv': a cross sum is impossible for these sums" "an impossible cross sum: file, line, column"
# a row of no units whose cross sums are not 0 (they were taken without a word)
awk -F, 'BEGIN { OFS = "," } NR == 8 { for (k = 6; k <= 27; k++) if ($k != "") $k = 0; $23 = 7 } { print }' "$D/sa.csv" >"$D/zerox.csv"
t_run 1 "$DCX" analyze --summary "$D/zerox.csv" $R $C --segment device
t_err "zerox.csv:8:23: metric 'ppv': n is 0 but a cross sum is not" "n 0 with a covariate pair's cross sum: file, line, column"
awk -F, 'BEGIN { OFS = "," } NR == 8 { for (k = 6; k <= 27; k++) if ($k != "") $k = 0; $11 = 5 } { print }' "$D/sa.csv" >"$D/zerox2.csv"
t_run 1 "$DCX" analyze --summary "$D/zerox2.csv" $R $C --segment device
t_err "zerox2.csv:8:11: metric 'ppv': sum_cross is impossible for these sums" "and n 0 with the outcome's sum_cross"
t_run 2 "$DCX" analyze --input "$SS" --metric s:nps --cuped s=pre_sessions
t_err "CUPED applies to binary, mean and ratio metrics" "no CUPED for NPS"

# the report says the arms' means are adjusted and by how much, per metric; a hostile metric
# name reaches HTML only escaped
"$DCX" analyze --input "$SS" --metric ppv:ratio=pageviews/sessions --cuped ppv=pre_pageviews/pre_sessions --format json >"$D/rep.json"
t_run 0 "$DCX" report --input "$D/rep.json" --output "$D/rep.md"
t_ok "grep -q \"the arms' means shown are the adjusted ones\" '$D/rep.md'" "report: CUPED is said in the method section"
t_ok "grep -qE '^ppv: theta 0\.7[0-9]*, variance 57\.[0-9]% lower than unadjusted\.' '$D/rep.md'" "report: the ratio's theta and variance reduction"
"$DCX" analyze --input "$SS" --metric '<b>x&:ratio=pageviews/sessions' --cuped '<b>x&=pre_pageviews/pre_sessions' --format json >"$D/h.json"
t_run 0 "$DCX" report --input "$D/h.json" --output "$D/h.html"
t_ok "grep -qF '&lt;b&gt;x&amp;: theta' '$D/h.html' && ! grep -q '<b>x' '$D/h.html'" "report: a hostile metric name in the CUPED paragraph is escaped"

t_done
