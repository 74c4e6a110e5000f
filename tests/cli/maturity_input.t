#!/bin/sh
# dcx maturity reads what survey tools export, and refuses what it cannot read without a word:
# the four recipes of docs/formats.md on exports written in each tool's layout, and an error
# (file:line:column, what to do) for each silent failure the second round of outside use found.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
A=$DCX_ROOT/assessments/dcx-maturity.json
P=$DCX_ROOT/assessments/dcx-pulse.json
R1=$DCX_ROOT/examples/maturity_2026.csv
E=$DCX_ROOT/tests/data/exports

# ---- survey exports: the same six answers exported by four tools score the same ------------------
# (tests/data/exports/plain.csv holds them as numbers; R's scores of it are case E1 of
# tests/reference/maturity.R)
"$DCX" maturity score --assessment "$P" --responses "$E/plain.csv" --group-by team --min-group-size 3 \
    --format json >"$D/plain.json"
same_scores() { # same_scores NAME: dimension and group scores of $OUT equal plain.json's
    t_ok "$T_PYANY -c \"
import json, sys
a = json.load(open('$D/plain.json')); b = json.load(open('$OUT'))
def scores(d): return [(x['id'], x['score'], x['n']) for x in d['dimensions']] + [d['overall']['score'], d['respondents']]
assert scores(a) == scores(b), (scores(a), scores(b))
assert [scores(g) for g in a['groups']] == [scores(g) for g in b['groups']]
\"" "$1: the same scores as the plain answers"
}
t_run 0 "$DCX" maturity score --assessment "$P" --responses "$E/qualtrics.csv" --respondent-column ResponseId \
    --skip-rows 2 --map "$E/qualtrics_codebook.csv" --group-by Q2 --min-group-size 3 --format json
same_scores "Qualtrics (Q-codes, two more header rows, '4 - Agree', typographic 'Don’t know')"
t_run 0 "$DCX" maturity score --assessment "$P" --responses "$E/limesurvey.csv" --respondent-column id \
    --map "$E/limesurvey_codebook.csv" --na 99 --group-by G01Q02 --min-group-size 3 --format json
same_scores "LimeSurvey (G01Q01[SQ001] codes, 99 for don't know, a seed column)"
t_run 0 "$DCX" maturity score --assessment "$P" --responses "$E/surveymonkey.csv" --header-rows 2 \
    --respondent-column "Respondent ID" --group-by "Which team are you in?" --min-group-size 3 --format json
same_scores "SurveyMonkey (two header rows, statements in the second)"
t_run 0 "$DCX" maturity score --assessment "$P" --responses "$E/google_forms.csv" --respondent-column Timestamp \
    --group-by "Which team are you in?" --min-group-size 3 --format json
same_scores "Google Forms ('Section [statement]' headers, labels with curly quotes and no-break spaces)"
# Lua takes the same options by the same names
t_run 0 "$DCX" run -e "local r = dcx.maturity.score{assessment = '$P', responses = '$E/qualtrics.csv',
  respondent_column = 'ResponseId', skip_rows = 2, map = '$E/qualtrics_codebook.csv'}
local p = dcx.maturity.score{assessment = '$P', responses = '$E/plain.csv'}
print(r.respondents, r.overall.score == p.overall.score, r.empty_rows)"
t_has "6	true	0" "Lua: dcx.maturity.score reads the Qualtrics export like the CLI"
# without the recipe, each says what to do
t_run 1 "$DCX" maturity score --assessment "$P" --responses "$E/qualtrics.csv" --respondent-column ResponseId \
    --map "$E/qualtrics_codebook.csv"
t_err "qualtrics.csv:2:18: answer 'How much do you agree" "Qualtrics without --skip-rows 2: the second header row is a bad answer on line 2"
t_run 1 "$DCX" maturity score --assessment "$P" --responses "$E/qualtrics.csv" --respondent-column ResponseId
t_err "no column is a question of dcx-pulse" "Qualtrics without a codebook: no question column"
t_err "--map CODEBOOK.csv" "and the way out"
t_run 1 "$DCX" maturity score --assessment "$P" --responses "$E/limesurvey.csv" --respondent-column id \
    --map "$E/limesurvey_codebook.csv"
t_err "limesurvey.csv:5:12: answer '99' to 'p_per1' is not on the scale" "LimeSurvey without --na 99: 99 is off the scale"
t_run 1 "$DCX" maturity score --assessment "$P" --responses "$E/surveymonkey.csv" --respondent-column "Respondent ID"
t_err "column '' is repeated (columns 11 and 12)" "SurveyMonkey without --header-rows 2: blank names repeat"
t_err "give --header-rows 2" "and the way out"

# ---- answers as survey tools write them ------------------------------------------------------------
printf 'respondent,str1,str2,str3,str4,str5\nx1,4 - Agree,4. Agree,(4) Agree,4 – Agree,AGREE\nx2,Strongly\302\240agree,5,Don\342\200\231t know,1,3\n' >"$D/forms.csv"
printf 'respondent,str1,str2,str3,str4,str5\nx1,4,4,4,4,4\nx2,5,5,NA,1,3\n' >"$D/plain4.csv"
"$DCX" maturity score --assessment "$A" --responses "$D/plain4.csv" --format json >"$D/plain4.json"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/forms.csv" --format json
t_ok "$T_PYANY -c \"import json; a, b = (json.load(open(f)) for f in ('$D/plain4.json', '$OUT')); assert a['dimensions'][0] == b['dimensions'][0], (a['dimensions'][0], b['dimensions'][0])\"" "'4 - Agree', '4. Agree', '(4) Agree', '4 – Agree', AGREE, a no-break space and a curly apostrophe read as the plain answers"

# ---- errors instead of silence ------------------------------------------------------------------------
printf 'respondent,role,colour\nx1,exec,blue\n' >"$D/nocol.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/nocol.csv"
t_err "nocol.csv:1: no column is a question of dcx-maturity (columns: respondent, role, colour)" "no question column: an error listing the header"
printf 'respondent,str1,str2,str1\nx1,4,4,2\n' >"$D/rep.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/rep.csv"
t_err "rep.csv:1:4: column 'str1' is repeated (columns 2 and 4)" "a repeated column names both positions"
printf 'column,question\nA,str1\nB,str1\n' >"$D/map2.csv"
printf 'respondent,A,B\nx1,4,2\n' >"$D/ab.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/ab.csv" --map "$D/map2.csv"
t_err "ab.csv:1:3: columns 2 and 3 both hold question 'str1'" "two columns mapped to one question"
printf 'column,question\nA,nosuch\n' >"$D/mapbad.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/ab.csv" --map "$D/mapbad.csv"
t_err "mapbad.csv:2:2: 'nosuch' is not a question id" "a codebook naming an unknown question"
# missing codes that are answers
sed 's/"na": \[/"na": [3, /' "$A" >"$D/na3.json"
t_run 1 "$DCX" maturity validate --assessment "$D/na3.json" --format json
t_has "missing code 3 in 'na' is a point of the scale (1 to 5): every answer 3 would be lost" "scale.na: a number on the scale"
sed 's/"na": \[/"na": ["Agree", "3", /' "$A" >"$D/nalab.json"
t_run 1 "$DCX" maturity validate --assessment "$D/nalab.json" --format json
t_has "'Agree' is the label of scale point 4" "scale.na: a label"
t_has "'3' is a point of the scale" "scale.na: a number written as text"
t_run 2 "$DCX" maturity score --assessment "$A" --responses "$R1" --na 4
t_err "--na: '4' is a point of the scale (1 to 5): every answer 4 would be lost" "--na: a scale point is refused"
t_run 2 "$DCX" maturity score --assessment "$A" --responses "$R1" --na "strongly agree"
t_err "is the label of scale point 5" "--na: a label is refused"
# unknown keys, at any depth, with the key meant
sed 's/"reverse": true/"reversed": true/; s/"weight": 1.2/"wieght": 1.2/' "$A" >"$D/keys.json"
t_run 1 "$DCX" maturity validate --assessment "$D/keys.json" --format json
t_has "unknown key 'reversed'; did you mean 'reverse'?" "a misspelt question key"
t_has "unknown key 'wieght'; did you mean 'weight'?" "a misspelt dimension key"
sed 's/"title": "Digital customer experience maturity"/"title": "x", "levls": []/' "$A" >"$D/top.json"
t_run 1 "$DCX" maturity score --assessment "$D/top.json" --responses "$R1"
t_err "unknown key 'levls'; did you mean 'levels'?" "score refuses an assessment with an unknown key"
sed 's/"id": "tec1",/"id": "tec1", "description": "shown to nobody",/' "$A" >"$D/desc.json"
t_run 0 "$DCX" maturity validate --assessment "$D/desc.json" --format json
t_has '"valid": true' "description is allowed on a question"
# attribute columns are never misspelt questions; question-shaped columns still are
awk -F, -v OFS=, 'NR == 1 { print $0, "team", "region", "seed"; next } { print $0, "a", "north", "17" }' "$R1" >"$D/attrs.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/attrs.csv" --group-by team --format json
t_err_lacks "did you mean" "team, region, role and seed are attributes (tec1, ser1 are near but not of their shape)"
"$DCX" maturity template --assessment "$A" --wide --respondents 2 --attributes team | sed '2s/,$/,3/; 3s/,$/,4/' >"$D/tmpl.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/tmpl.csv" --format json
t_err_lacks "did you mean" "the template's own attribute column 'team' is accepted"
sed '1s/"str5"/"str_5"/' "$R1" >"$D/mis.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/mis.csv"
t_err "mis.csv:1:8: column 'str_5' is not a question id; did you mean 'str5'?" "a question-shaped misspelling is still an error"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/mis.csv" --attributes str_5 --format json
t_json 'd["respondents"] == 12' "--attributes names it an attribute"
# rows without an answer are not respondents
cp "$R1" "$D/empty.csv"
printf 'x-none,exec,retail%s\n,,%s\n' "$(printf ',N/A%.0s' $(seq 50))" "$(printf ',%.0s' $(seq 50))" >>"$D/empty.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/empty.csv" --format json
t_json 'd["respondents"] == 12 and d["empty_rows"] == 2' "empty rows are counted, not scored"
t_json 'any("2 rows without a valid answer are not counted as respondents" in w for w in d["warnings"])' "and said so"
# alpha over the statements present (R: case M4)
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$DCX_ROOT/tests/data/maturity_nostr5.csv" --format json
t_json 'dim(d, "strategy")["alpha"] is not None and "alpha is over the 4 statements with a column (without str5)" in dim(d, "strategy")["note"]' "a question without a column: alpha over the others, with a note"
# encodings
printf 'respondent,team,str1,str2\nx1,Op\351rations,4,3\nx2,Ventes,2,Don\222t know\n' >"$D/cp.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/cp.csv"
t_err "the file is not UTF-8: give --encoding windows-1252" "a windows-1252 answer fails with the way out"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/cp.csv" --encoding windows-1252 --group-by team --min-group-size 1 --format json
t_json 'grp("Opérations")["respondents"] == 1' "--encoding windows-1252 reads it (é, ’)"
printf 'respondent,team,str1,str2\nx1,Op\351rations,4,3\n' >"$D/l1.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/l1.csv" --format json
t_json 'sum("is not UTF-8" in w for w in d["warnings"]) == 1 and any("it looks like latin1" in w and "--encoding latin1" in w and "l1.csv:2:2" in w for w in d["warnings"])' "a latin1 file: one warning naming the encoding and the flag"
if [ -n "$T_PY" ]; then
    "$T_PY" -c "import openpyxl; wb = openpyxl.Workbook(); wb.active.append(['respondent', 'str1']); wb.save('$D/book.xlsx')"
    cp "$D/book.xlsx" "$D/book.csv"
    t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/book.csv"
    t_err "book.csv: this is an Excel workbook: save it as CSV UTF-8" "an Excel workbook given as CSV"
else
    t_run 1 "$DCX" maturity score --assessment "$A" --responses "$DCX_ROOT/tests/faultsim/units.csv"
    t_skip "an Excel workbook given as CSV" "openpyxl is not installed"
fi
t_done
