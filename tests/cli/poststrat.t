#!/bin/sh
# --post-stratify COL: the post-stratified estimate equals the gbstats re-implementation in
# tests/reference/gbstats_poststrat.py (mean and binary, with and without CUPED, and ratio,
# overall and per segment level, strata folded); what it means (a column that explains the outcome
# narrows the interval, an unrelated one leaves the estimate as it was); how the Bayesian and
# sequential methods use it; the views; what it refuses and why.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
REF=$DCX_ROOT/tests/reference/gbstats_poststrat.csv

t_pycheck "$T_PYANY" python3 "post-stratified diff, SE, p, lift, lift SE and relative p equal gbstats' definitions (1e-9), Fieller's lift_ci the quadratic's roots by numpy (1e-8)" \
    poststrat_check.py "$DCX"

# data where the stratum (country) explains most of the outcome's variance and `noise` none
"$T_PYANY" - "$D/u.csv" <<'PY'
import random, sys
rng = random.Random(7)
with open(sys.argv[1], "w") as f:
    f.write("variant,country,noise,spend,pre,conv\n")
    for i in range(4000):
        v = rng.choice(("control", "treatment"))
        c = rng.choices(("US", "DE", "FR", "BR"), (5, 3, 2, 1))[0]
        base = {"US": 10, "DE": 6, "FR": 4, "BR": 2}[c]
        pre = base + rng.gauss(0, 2)
        y = base + 0.5 * (pre - base) + rng.gauss(0, 2) + (0.3 if v == "treatment" else 0)
        conv = int(rng.random() < 0.1 + 0.02 * base / 10 + (0.01 if v == "treatment" else 0))
        f.write(f"{v},{'' if i % 97 == 0 else c},{rng.choice('abc')},{y:.4f},{pre:.4f},{conv}\n")
PY
t_run 0 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --metric conv:binary --format json
cp "$OUT" "$D/plain.json"
t_run 0 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --metric conv:binary --post-stratify country --format json
cp "$OUT" "$D/ps.json"
t_json 'd["post_stratify"] == {"column": "country", "strata": 5} and all(r["strata"] == 5 for r in d["results"])' \
    "the result names the column and its strata, an empty cell the stratum (missing)"
w() { echo "(r['diff_ci'][1] - r['diff_ci'][0])"; }
t_ok "'$T_PYANY' -c 'import json,sys; p=json.load(open(sys.argv[1]))[\"results\"][0]; s=json.load(open(sys.argv[2]))[\"results\"][0]; wp=p[\"diff_ci\"][1]-p[\"diff_ci\"][0]; ws=s[\"diff_ci\"][1]-s[\"diff_ci\"][0]; sys.exit(0 if ws < 0.7 * wp and s[\"variance_reduction\"] > 0.4 and abs(s[\"diff\"] - p[\"diff\"]) < wp / 2 else 1)' '$D/plain.json' '$D/ps.json'" \
    "a stratum that explains the outcome: the interval narrows (< 0.7 of the plain width), variance_reduction > 0.4"
t_run 0 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --metric conv:binary --post-stratify noise --format json
cp "$OUT" "$D/noise.json"
t_ok "'$T_PYANY' -c 'import json,sys; P=json.load(open(sys.argv[1]))[\"results\"]; S=json.load(open(sys.argv[2]))[\"results\"]; ok=all(abs(s[\"diff\"]-p[\"diff\"]) < 0.1*(p[\"diff_ci\"][1]-p[\"diff_ci\"][0]) and 0.97 < (s[\"diff_ci\"][1]-s[\"diff_ci\"][0])/(p[\"diff_ci\"][1]-p[\"diff_ci\"][0]) < 1.03 and s[\"strata\"] == 3 for p, s in zip(P, S)); sys.exit(0 if ok else 1)' '$D/plain.json' '$D/noise.json'" \
    "a column unrelated to the outcome: the estimate and interval nearly as without it"
t_run 0 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --post-stratify country --cuped spend=pre --format json
cp "$OUT" "$D/both.json"
# a ratio, revenue per session, whose level differs by country while sessions do not
"$T_PYANY" - "$D/r.csv" <<'PY'
import random, sys
rng = random.Random(8)
with open(sys.argv[1], "w") as f:
    f.write("variant,country,revenue,sessions\n")
    for i in range(4000):
        v = rng.choice(("control", "treatment"))
        c = rng.choices(("US", "DE", "FR", "BR"), (5, 3, 2, 1))[0]
        s = 1 + int(rng.random() * 4)
        rev = s * ({"US": 10, "DE": 6, "FR": 4, "BR": 2}[c] + (0.3 if v == "treatment" else 0)) + rng.gauss(0, 3)
        f.write(f"{v},{c},{rev:.4f},{s}\n")
PY
"$DCX" analyze --input "$D/r.csv" --metric r:ratio=revenue/sessions --format json >"$D/rplain.json"
t_run 0 "$DCX" analyze --input "$D/r.csv" --metric r:ratio=revenue/sessions --post-stratify country --format json
t_ok "'$T_PYANY' -c 'import json,sys; p=json.load(open(sys.argv[1]))[\"results\"][0]; s=json.load(open(sys.argv[2]))[\"results\"][0]; sys.exit(0 if s[\"strata\"] == 4 and s[\"test\"] == \"z\" and s[\"variance_reduction\"] > 0.4 and s[\"diff_ci\"][1]-s[\"diff_ci\"][0] < 0.8 * (p[\"diff_ci\"][1]-p[\"diff_ci\"][0]) else 1)' '$D/rplain.json' '$OUT'" \
    "a ratio (revenue per session) whose level the stratum explains: its interval narrows (< 0.8 of the plain width)"
t_ok "'$T_PYANY' -c 'import json,sys; s=json.load(open(sys.argv[1]))[\"results\"][0]; b=json.load(open(sys.argv[2]))[\"results\"][0]; sys.exit(0 if b[\"diff_ci\"][1]-b[\"diff_ci\"][0] < s[\"diff_ci\"][1]-s[\"diff_ci\"][0] and b[\"theta\"] is None and b[\"strata\"] == 5 else 1)' '$D/ps.json' '$D/both.json'" \
    "with CUPED in each stratum the interval narrows further; theta is null (one per stratum)"

# Bayesian: the normal posterior of the stratified difference (binary too); sequential: its mSPRT
t_run 0 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --metric conv:binary --post-stratify country --method bayesian --format json
cp "$OUT" "$D/bayes.json"
t_ok "'$T_PYANY' -c 'import json,sys,math; F=json.load(open(sys.argv[1]))[\"results\"]; B=json.load(open(sys.argv[2]))[\"results\"]; ok=all(b[\"test\"] == \"normal-posterior\" and abs(b[\"prob_beat_control\"] - 0.5*math.erfc(-f[\"diff\"]/((f[\"diff_ci\"][1]-f[\"diff_ci\"][0])/(2*1.959963984540054))/math.sqrt(2))) < 1e-9 and abs(b[\"credible_interval\"][0]-f[\"diff_ci\"][0]) < 1e-9 for f, b in zip(F, B)); sys.exit(0 if ok else 1)' '$D/ps.json' '$D/bayes.json'" \
    "bayesian: P(better) = Phi(diff/SE) of the stratified estimate, the credible interval its z interval"
t_run 0 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --post-stratify country --method sequential --format json
t_json 'd["results"][0]["test"] == "msprt" and d["results"][0]["strata"] == 5 and d["results"][0]["diff_ci"][0] < json.load(open(sys.argv[1].rsplit("/", 1)[0] + "/ps.json"))["results"][0]["diff_ci"][0]' \
    "sequential: the mSPRT of the stratified estimate, wider than the fixed-horizon interval"

# within segment levels; strata that cannot stand alone are folded, and said so
t_run 0 "$DCX" analyze --input "$REF" --where case=2 --metric conv:binary --post-stratify stratum --format json
t_has "strata without a variance in both arms were folded into the largest" "a folded stratum is noted on the row"
t_run 0 "$DCX" analyze --input "$REF" --where case=1 --metric y:mean --post-stratify stratum --segment seg --rows all --format json
t_json 'all(r["strata"] == 4 for r in d["results"]) and len(d["results"]) == 3 and len(d["heterogeneity"]) == 1' \
    "each segment level is stratified within itself; heterogeneity uses the stratified rows"
t_run 0 "$DCX" analyze --input "$REF" --where case=1 --metric y:mean --post-stratify case --format json
t_json 'd["results"][0]["strata"] is None and "only one stratum" in d["results"][0]["note"]' \
    "one stratum: the plain comparison, strata null, and the note says why"
cp "$OUT" "$D/one.json"
"$DCX" analyze --input "$REF" --where case=1 --metric y:mean --format json >"$D/one_plain.json"
t_ok "'$T_PYANY' -c 'import json,sys; a=json.load(open(sys.argv[1]))[\"results\"][0]; b=json.load(open(sys.argv[2]))[\"results\"][0]; sys.exit(0 if a[\"diff_ci\"] == b[\"diff_ci\"] and a[\"p_value\"] == b[\"p_value\"] else 1)' '$D/one.json' '$D/one_plain.json'" \
    "and its numbers are the plain ones"

# a large file is read in two halves on two threads, whose strata are merged: the same
# answers as one pass (standard input is never split)
awk 'BEGIN { srand(5); print "variant,country,plan,converted,revenue"
  for (i = 0; i < 400000; i++) { v = rand() < 0.5 ? "control" : "treatment"; c = rand() < 0.3 ? "US" : (rand() < 0.5 ? "DE" : "FR")
    p = i < 200000 ? (rand() < 0.5 ? "basic" : "pro") : (rand() < 0.5 ? "pro" : "team")
    k = rand() < 0.05 + (c == "US") * 0.03; printf "%s,%s,%s,%d,%.2f\n", v, c, p, k, (c == "US" ? 20 : 8) + rand() * 10 } }' >"$D/big.csv"
t_run 0 "$DCX" analyze --input "$D/big.csv" --metric converted:binary --metric revenue:mean --segment plan --post-stratify country --format csv
cp "$OUT" "$D/big_par.csv"
cat "$D/big.csv" | "$DCX" analyze --input - --metric converted:binary --metric revenue:mean --segment plan --post-stratify country --format csv >"$D/big_seq.csv"
t_ok "same_numbers '$D/big_seq.csv' '$D/big_par.csv' && [ \$(wc -l <'$D/big_par.csv') = 9 ] && grep -q ',3,z,' '$D/big_par.csv'" \
    "two threads (strata merged, a level only in the second half) give the one-pass results"

# the views say it
t_run 0 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --post-stratify country --format table
t_has "post-stratified on 'country' (5 strata)" "table: a line names the column stratified on"
t_has "5 strata, VR" "table: each row its strata and variance reduction"
t_run 0 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --post-stratify country --format csv
t_ok "head -1 '$OUT' | tr , '\n' | grep -qx strata && sed -n 2p '$OUT' | grep -q ',5,z,'" "csv: a strata column"
if [ -n "$T_PYANY" ] && "$T_PYANY" -c 'import sys' 2>/dev/null; then
    printf 'local r = assert(dcx.analyze{input = "%s", metric = {"spend:mean"}, post_stratify = "country"})\nassert(r.results[1].strata == 5 and r.post_stratify.column == "country")\nprint("lua ok")\n' "$D/u.csv" >"$D/ps.lua"
    t_run 0 "$DCX" run "$D/ps.lua"
    t_has "lua ok" "Lua: dcx.analyze{post_stratify = COL}"
fi

# the report says it, and a hostile column name reaches HTML only escaped
sed '1s/country/<b>c<\/b>/' "$D/u.csv" >"$D/hostile.csv"
"$DCX" analyze --input "$D/hostile.csv" --metric spend:mean --post-stratify '<b>c</b>' --format json >"$D/h.json"
t_run 0 "$DCX" report --input "$D/h.json" --output "$D/h.html"
t_ok "grep -qF 'Post-stratified on &#39;&lt;b&gt;c&lt;/b&gt;&#39; (5 strata' '$D/h.html' && ! grep -q '<b>c</b>' '$D/h.html'" \
    "report: a paragraph names the column stratified on, escaped"

# what it refuses, and why (usage errors, exit 2), and a missing column (exit 1)
printf 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross\nm,mean,all,all,control,10,10,20,,,\nm,mean,all,all,treatment,10,12,25,,,\n' >"$D/sum.csv"
t_run 2 "$DCX" analyze --summary "$D/sum.csv" --metric m:mean --post-stratify country
t_err "needs unit-level data" "--summary: refused, its cells are not split by stratum"
t_run 2 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --post-stratify country --time-column noise
t_err "does not stratify the timeline" "--time-column: refused"
t_run 2 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --post-stratify country --test welch
t_err "use --test auto or z" "--test welch: refused"
t_run 2 "$DCX" analyze --input "$D/u.csv" --metric conv:nps --post-stratify country
t_err "metric 'conv' is of type nps; post-stratification covers binary and mean metrics (with or without --cuped) and ratio metrics (without)" \
    "an NPS metric: refused, named, with what is covered"
t_run 2 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --post-stratify variant
t_err "is the variant column" "the variant column: refused"
t_run 1 "$DCX" analyze --input "$D/u.csv" --metric spend:mean --post-stratify nope
t_err "no stratum column 'nope' in the header" "a missing column: named, at the header"
awk 'BEGIN { print "variant,id,y"; for (i = 0; i < 1500; i++) printf "%s,%d,%d\n", (i % 2 ? "control" : "treatment"), i, i % 7 }' >"$D/many.csv"
t_run 1 "$DCX" analyze --input "$D/many.csv" --metric y:mean --post-stratify id
t_err "many.csv:1002:2: column 'id': '1000' is one value too many" "a column of more than 1,000 values (an id, a number): refused at the value, not a run out of memory"
# a row left plain (too few units for its strata) still warns of small arms, but names no test
# --post-stratify refuses (it said "try --test mann-whitney", "try --test fisher": exit 2)
printf 'variant,id,y,c,s\ncontrol,1,3,1,\ntreatment,2,4,0,\ncontrol,3,5,0,a\ntreatment,4,2,0,a\ncontrol,5,3,0,\ntreatment,6,4,1,a\n' >"$D/tiny.csv"
t_run 0 "$DCX" analyze --input "$D/tiny.csv" --metric y:mean --metric c:binary --post-stratify s --format json
t_ok "grep -q 'fewer than 30 units' '$ERR' && grep -q 'expected cell count is below 5' '$ERR' && ! grep -q 'try --test' '$ERR'" \
    "a plain row under --post-stratify: small-arm warnings without advice of refused tests"
# exactly 1,000 values, each on three rows: allowed (a value seen before was refused once the
# 1,000th had come, the lookup cache missing it); the 1,001st value refused at its own cell
awk 'BEGIN { print "variant,id,y,s"; for (i = 0; i < 3000; i++) printf "%s,%d,%d,%d\n", (i % 2 ? "control" : "treatment"), i, i % 7, int(i / 3) }' >"$D/k1000.csv"
t_run 0 "$DCX" analyze --input "$D/k1000.csv" --metric y:mean --post-stratify s --format json
t_json "d['post_stratify']['strata'] == 1000" "a column of exactly 1,000 values, each on several rows: 1,000 strata"
awk 'BEGIN { print "variant,id,y,s"; for (i = 0; i < 3003; i++) printf "%s,%d,%d,%d\n", (i % 2 ? "control" : "treatment"), i, i % 7, int(i / 3) }' >"$D/k1001.csv"
t_run 1 "$DCX" analyze --input "$D/k1001.csv" --metric y:mean --post-stratify s --format json
t_err "k1001.csv:3002:4: column 's': '1000' is one value too many" "the 1,001st value: refused at its first cell"
t_run 2 "$DCX" sql --dialect postgres --table t --metric spend:mean --post-stratify country
t_err "the summary CSV has no stratum column" "dcx sql: refused, saying why"
t_done
