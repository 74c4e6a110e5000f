#!/bin/sh
# dcx maturity from the command line: formats, bad responses (file:line:column, or
# warnings under --lenient), validate listing every problem, the template, compare.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
A=$DCX_ROOT/assessments/dcx-maturity.json
R1=$DCX_ROOT/examples/maturity_2026.csv
R2=$DCX_ROOT/examples/maturity_2027.csv

t_run 0 "$DCX" maturity score --assessment "$A" --responses "$R1" --target 3.4 --group-by role --format json
t_has '"level_name": "Defined",' "overall level name"
t_has '"priority_order": [' "priority order"
t_has '"group": "frontline",' "groups"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$R1" --target 3.4 --group-by role --format table
t_has "priorities and next steps:" "table: priorities with recommendations"
t_has "scores by group" "table: groups side by side"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$R1" --format csv
t_has "id,name,weight,score,index,level,level_name,n,sd,ci_lo,ci_hi,coverage,alpha,rwg" "csv: one row per dimension"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$R1" --format markdown
t_has "| dimension | score | 95% CI |" "markdown"

# the template is a long-form response file: fill it in and score it
t_run 0 "$DCX" maturity template --assessment "$A"
t_has "respondent,question,answer,dimension,statement" "csv template header"
t_ok "[ \$(wc -l <'$OUT') = 51 ]" "one row per statement"
awk -F, 'NR == 1 { print; next } { $1 = "me"; $3 = (NR % 5) + 1; print }' OFS=, "$OUT" >"$D/filled.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/filled.csv" --format json
t_has '"respondents": 1,' "a filled-in template scores"
t_run 0 "$DCX" maturity template --assessment "$A" --format markdown
t_has "## Omnichannel consistency" "markdown questionnaire"
t_has "1 = Strongly disagree" "with the scale's labels"

# answers as labels, any case, and N/A
printf 'respondent,role,omn1,omn2,omn3,omn4,omn5\nx1,a,agree,STRONGLY AGREE,n/a,Disagree,4\nx2,b,3,3,3,3,3\n' >"$D/lab.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/lab.csv" --format json
t_has '"respondents": 2,' "labels and N/A accepted"
t_err "question 'str1' has no column" "a question without a column is a warning"

# bad responses: errors with file:line:column
printf 'respondent,str1,str2\nx1,4,9\n' >"$D/off.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/off.csv"
t_err "off.csv:2:3: answer '9' to 'str2' is not on the scale (1 to 5 in steps of 1, a label, or a missing code)" "value off the scale"
printf 'respondent,str1\nx1,4\nx1,5\n' >"$D/dup.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/dup.csv"
t_err "dup.csv:3:1: duplicate respondent 'x1' (first on line 2)" "duplicate respondent"
printf 'respondent,question,answer\nx1,str1,4\nx1,nope,3\n' >"$D/unk.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/unk.csv"
t_err "unk.csv:3:2: unknown question id 'nope'" "long form: unknown question"
printf 'respondent,question,answer\nx1,str1,4\nx1,str1,3\n' >"$D/dupq.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/dupq.csv"
t_err "dupq.csv:3:2: duplicate answer of respondent 'x1' to 'str1'" "long form: duplicate answer"
printf 'respondent,str1\nx1,maybe\n' >"$D/word.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/word.csv"
t_err "word.csv:2:2: answer 'maybe'" "an unknown word"
printf 'id,str1\nx1,4\n' >"$D/nor.csv"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$D/nor.csv"
t_err "no 'respondent' column" "no respondent column"
# --lenient: the same problems become warnings and scoring goes on
printf 'respondent,question,answer\nx1,str1,4\nx1,nope,3\nx1,str2,9\nx2,str1,2\nx2,str1,3\n' >"$D/len.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/len.csv" --lenient --format json
t_has '"respondents": 2,' "lenient scores what is valid"
t_err "len.csv:3:2: unknown question id 'nope' (skipped)" "lenient: warning with position"
t_err "len.csv:4:3: answer '9'" "lenient: each bad answer warned"

# validate: every problem, with its position
t_run 0 "$DCX" maturity validate --assessment "$A" --responses "$R1" --format json
t_has '"valid": true,' "shipped model and example are valid"
cat >"$D/bad.json" <<'JSON'
{"id": "x", "version": "1", "title": "t", "scale": {"min": 1, "max": 5},
 "levels": [{"level": 1, "name": "A", "min": 1}, {"level": 2, "name": "B", "min": 0.5}],
 "dimensions": [{"id": "d", "name": "D", "weight": -1, "questions": [{"id": "q", "text": "x"}, {"id": "q", "text": "y"}]},
                {"id": "d", "name": "E", "questions": []}]}
JSON
t_run 1 "$DCX" maturity validate --assessment "$D/bad.json" --format json
t_has "level thresholds ('min') must increase" "levels must increase"
t_has "'weight' must be a number > 0" "weights > 0"
t_has "duplicate question id" "unique question ids"
t_has "duplicate dimension id" "unique dimension ids"
t_has "no recommendation for level 2" "recommendations present"
t_has "'questions' must be a non-empty list" "dimensions need questions"
t_err "problems found" "exit 1 with a count"
printf 'respondent,str1,str2\nx1,7,4\nx1,4,4\nx2,4,huh\n' >"$D/many.csv"
t_run 1 "$DCX" maturity validate --assessment "$A" --responses "$D/many.csv" --format json
t_has "many.csv:2:2: answer '7'" "first bad answer"
t_has "many.csv:3:1: duplicate respondent" "then the duplicate"
t_has "many.csv:4:3: answer 'huh'" "and the last: every problem, not the first"
printf '{"id": "x",\n  "scale": [oops' >"$D/syntax.json"
t_run 1 "$DCX" maturity validate --assessment "$D/syntax.json" --format json
t_has "syntax.json:2:" "malformed JSON with its line"

# targets from a file, compare between rounds
printf '{"omnichannel": 3.5, "data": 3.8}' >"$D/t.json"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$R1" --targets "$D/t.json" --format json
t_has '"target": 3.8,' "per-dimension target"
printf '{"nosuch": 3}' >"$D/tbad.json"
t_run 1 "$DCX" maturity score --assessment "$A" --responses "$R1" --targets "$D/tbad.json"
t_err "'nosuch' is not a dimension" "unknown dimension in targets"
t_run 0 "$DCX" maturity compare --assessment "$A" --before "$R1" --after "$R2" --target 3.4 --format json
t_has '"progress":' "compare reports progress"
t_has '"respondents_after": 12,' "both rounds read"
t_run 2 "$DCX" maturity score --assessment "$A"
t_err "missing --responses" "usage error"
t_run 2 "$DCX" maturity frobnicate
t_err "'maturity frobnicate' is not a dcx command" "unknown maturity subcommand"
t_done
