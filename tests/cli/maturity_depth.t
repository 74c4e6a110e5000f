#!/bin/sh
# dcx maturity in depth, as a consultant delivers it: statements, several breakdowns with the
# ICC, respondent weights, norms, borderline levels, paired rounds, and the views, report and
# workbook that show them (the numbers themselves are checked against R in test_maturity:
# cases D1 and P1 of tests/reference/maturity.R).
. "$(dirname "$0")/tap.sh"
D=$T_DIR
J=$DCX_ROOT/tests/data/depth.json
R=$DCX_ROOT/tests/data/depth.csv
R2=$DCX_ROOT/tests/data/depth_after.csv
N=$DCX_ROOT/tests/data/depth_norms.csv
ARGS="--assessment $J --responses $R --group-by team --group-by region --weight-column w --norms $N --target 3.5"

# shellcheck disable=SC2086
t_run 0 "$DCX" maturity score $ARGS --format json
cp "$OUT" "$D/depth.json"
t_json '[g["by"] for g in d["groups"]] == ["team"] * 4 + ["region"] * 2' "--group-by repeats: each group tagged with its column"
t_json 'grp("delta")["suppressed"] is True and all(e["groups"] == 3 for e in d["icc"] if e["by"] == "team")' "the suppressed team is left out of the ICC"
t_json 'len(d["icc"]) == 6 and all(set(e) >= {"by", "dimension", "icc1", "icc2", "groups"} for e in d["icc"])' "an ICC per breakdown and dimension"
t_json 'd["weights"]["column"] == "w" and any("unweighted" in w for w in d["warnings"])' "weights stated, alpha and rwg said to be unweighted"
t_json 'len(d["items"]) == 10 and d["items"][3]["id"] == "v4" and d["items"][3]["reverse"] is True' "a statement per question, reversed ones marked"
t_json 'sum(d["items"][0]["distribution"].values()) == d["items"][0]["n"]' "a statement's distribution counts its answers"
t_json 'all(x["percentile"] is not None and x["norm_n"] == 9 for x in d["dimensions"])' "norms: a percentile of 9 earlier clients per dimension"
t_json 'all(isinstance(x["level_borderline"], bool) for x in d["dimensions"])' "borderline levels told"
t_schema maturity-score.schema.json "the depth score document" "$D/depth.json"
# shellcheck disable=SC2086
t_run 0 "$DCX" maturity score $ARGS --items --format table
t_has "weighted by w" "table: weighted scores said"
t_has "4 Managed ~" "table: a borderline level marked"
t_has "~ borderline: the 95% interval holds a level threshold" "table: and explained"
t_has "vs norms" "table: percentiles against norms"
t_has "team=alpha (n=30)" "table: groups of several breakdowns named by their column"
t_has "team=delta (n=3)" "table: the small team keeps its n"
t_has "between groups (ICC(1)" "table: the ICC"
t_has "v4 (r)" "table: --items lists the statements"
t_has "r drop" "table: with their item-rest correlation"
# shellcheck disable=SC2086
t_run 0 "$DCX" maturity score $ARGS --format table
t_lacks "r drop" "table: statements only with --items"
t_run 2 "$DCX" maturity score --assessment "$J" --responses "$R" --group-by team --group-by team
t_err "--group-by team is given twice" "a breakdown given twice"
sed '3s/,\([0-9.]*\),\([0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*\)$/,-1,\2/' "$R" >"$D/badw.csv"
t_run 1 "$DCX" maturity score --assessment "$J" --responses "$D/badw.csv" --weight-column w
t_err "badw.csv:3:4: weight '-1' of respondent 'p002' is not a number > 0" "a bad weight: file, line, column"
# weights are read as the rows go by, answers checked on the way: a bad answer further down
# is still the error (the file is read whole first), and --lenient does not skip a bad weight
sed '5s/,[0-9NA]*$/,9/' "$D/badw.csv" >"$D/badw2.csv"
t_run 1 "$DCX" maturity score --assessment "$J" --responses "$D/badw2.csv" --weight-column w
t_err "badw2.csv:5:14: answer '9' to 'e3' is not on the scale" "a bad answer after a bad weight is said first"
t_run 1 "$DCX" maturity score --assessment "$J" --responses "$D/badw2.csv" --weight-column w --lenient
t_err "badw2.csv:3:4: weight '-1' of respondent 'p002' is not a number > 0" "--lenient skips the answer, not the weight"
# weights are relative, but their squares are summed: every weight 1e160 (or 1e-200) gave a
# standard error of 0, every weight 1e308 null scores; outside 1e-100 .. 1e100 is an error, and
# weights of one size give the unweighted estimates however large or small that size
sed '3s/,\([0-9.]*\),\([0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*,[0-9NA]*\)$/,1e160,\2/' "$R" >"$D/hugew.csv"
t_run 1 "$DCX" maturity score --assessment "$J" --responses "$D/hugew.csv" --weight-column w
t_err "hugew.csv:3:4: weight '1e160' of respondent 'p002' is outside 1e-100 .. 1e100" "a weight whose square leaves the doubles: file, line, column"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $4 = 1 } { print }' "$R" >"$D/w1.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $4 = "1e100" } { print }' "$R" >"$D/wbig.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $4 = "1e-100" } { print }' "$R" >"$D/wsmall.csv"
"$DCX" maturity score --assessment "$J" --responses "$D/w1.csv" --weight-column w --format json >"$D/w1.json" 2>/dev/null
for w in wbig wsmall; do
    t_run 0 "$DCX" maturity score --assessment "$J" --responses "$D/$w.csv" --weight-column w --format json
    t_json "all(near(x['score'], y['score']) and near(x['se'], y['se']) and x['se'] > 0 for x, y in zip(d['dimensions'], json.load(open('$D/w1.json'))['dimensions']))" \
        "equal weights of 1e100 or 1e-100 ($w): the dimension scores and standard errors of weights 1"
done
printf 'dimension,score\nvoc,3\nnope,2\n' >"$D/norms.csv"
t_run 1 "$DCX" maturity score --assessment "$J" --responses "$R" --norms "$D/norms.csv"
t_err "norms.csv:3:1: 'nope' is not a dimension of depth" "a norms file naming an unknown dimension"
t_run 0 "$DCX" run -e "local r = dcx.maturity.score{assessment = '$J', responses = '$R', group_by = {'team', 'region'}, weight_column = 'w'}
print(#r.groups, #r.icc, r.weights.column)"
t_has "6	6	w" "Lua: several breakdowns and weights, by the same names"

# paired rounds
t_run 0 "$DCX" maturity compare --assessment "$J" --before "$R" --after "$R2" --paired --group-by team --format json
cp "$OUT" "$D/paired.json"
t_json 'd["overall"]["panel"] == {"returning": 70, "new": 4, "left": 10}' "panel: returning, new, left"
t_json 'd["overall"]["paired"]["n"] == 70 and d["overall"]["paired"]["p_value"] < d["overall"]["p_value"]' "the paired test sees the same people's change more sharply"
t_json 'all("paired" in x and "panel" in x for x in d["dimensions"])' "paired and panel in every entry"
t_schema maturity-compare.schema.json "the paired compare document" "$D/paired.json"
# the second round in long form (its rows shuffled): the same people matched, the same changes
echo "respondent,question,answer,team,region,w" >"$D/after_long.csv"
awk -F, 'NR == 1 { for (k = 5; k <= NF; k++) q[k] = $k; next }
    { for (k = 5; k <= NF; k++) print $1 "," q[k] "," $k "," $2 "," $3 "," $4 }' "$R2" | sort -t, -k2,2 -k1,1r >>"$D/after_long.csv"
t_run 0 "$DCX" maturity compare --assessment "$J" --before "$R" --after "$D/after_long.csv" --paired --group-by team --format json
t_json "d['overall']['panel'] == {'returning': 70, 'new': 4, 'left': 10} and d['overall']['paired'] == json.load(open('$D/paired.json'))['overall']['paired'] and [g['dimensions'][0]['paired'] for g in d['groups']] == [g['dimensions'][0]['paired'] for g in json.load(open('$D/paired.json'))['groups']]" "a long second round pairs the same respondents"
t_run 0 "$DCX" maturity compare --assessment "$J" --before "$R" --after "$R2" --paired --format table
t_has "paired change" "table: the paired change"
t_has "panel: 70 returning, 4 new, 10 left" "table: the panel"
t_run 0 "$DCX" maturity compare --assessment "$J" --before "$R" --after "$R2" --format json
t_json '"paired" not in d["overall"]' "without --paired, no paired test"

# reports
if command -v gnuplot >/dev/null 2>&1; then
    t_run 0 "$DCX" report --input "$D/depth.json" --output "$D/depth.html"
    t_ok "grep -q '<h2>Statements</h2>' '$D/depth.html'" "report: a statements section"
    t_ok "grep -q 'How much lies between groups' '$D/depth.html'" "report: the ICC"
    t_ok "grep -q 'Scores are weighted by w' '$D/depth.html'" "report: the weights stated"
    t_ok "grep -q '(borderline)' '$D/depth.html'" "report: borderline levels marked"
    t_ok "grep -q 'vs norms' '$D/depth.html' && grep -q '(of 9)' '$D/depth.html'" "report: norms shown"
    t_run 0 "$DCX" report --input "$D/paired.json" --output "$D/paired.html"
    t_ok "grep -q 'paired change' '$D/paired.html' && grep -q '70 answered both, 4 only the second and 10 only the first' '$D/paired.html'" "compare report: paired changes and the panel"
    t_ok "[ \$(grep -c '<svg' '$D/paired.html') -ge 2 ]" "compare report: the change plot beside the radar"
else
    for i in 1 2 3 4 5 6 7 8 9; do t_skip "maturity reports" "gnuplot is not installed"; done
fi

# the workbook: statements and matrix sheets, print set-up, row heights (xlsx_check.py), and
# LibreOffice's print of the dimensions sheet on one page wide
# shellcheck disable=SC2086
t_run 0 "$DCX" maturity score $ARGS --output "$D/depth.xlsx"
t_xlsx "$D/depth.json" "$D/depth.xlsx" "workbook: every cell, statements and matrix sheets, print set-up on every sheet"
t_pycheck "$T_PY" openpyxl "matrix: blue is better in every column, lower-is-better effort reversed" xlsx_matrix_colours.py "$D/depth.xlsx" "$D/depth.json"
if [ -n "$T_PY" ]; then
    "$DCX" maturity score --assessment "$DCX_ROOT/assessments/dcx-maturity.json" --responses "$DCX_ROOT/examples/maturity_2026.csv" \
        --target 3.5 --group-by role --min-group-size 4 --output "$D/m.xlsx"
    t_ok "$T_PY -c \"import openpyxl; ws = openpyxl.load_workbook('$D/m.xlsx')['priorities']; assert max(ws.row_dimensions[r].height or 15 for r in range(2, 12)) >= 30\"" "priorities: rows tall enough for their wrapped recommendations"
fi
t_pycheck "$T_PY" openpyxl "LibreOffice prints the dimensions sheet on one landscape page wide" xlsx_pdf.py "$D/m.xlsx" scores
t_done
