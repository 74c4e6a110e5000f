#!/bin/sh
# dcx analyze / dcx aggregate from the command line: formats, summary round trip, the SRM
# gate, and malformed input (exit 1 with file:line:column, no partial output).
. "$(dirname "$0")/tap.sh"
D=$T_DIR
CK=$DCX_ROOT/examples/checkout_test.csv

t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --segment device --format json
t_has '"method": "frequentist",' "json: method"
t_has '"segment_value": "mobile",' "json: per-segment rows"
t_has '"srm_segments": [' "json: srm per segment level"
t_has '"heterogeneity": [' "json: heterogeneity"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --format csv
t_has 'metric,type,quantile,segment,segment_value,variant,control_n,control_missing,control_mean,control_sd,control_quantile,treatment_n' "csv header: fixed columns"
t_has 'diff_ci_lo,diff_ci_hi' "csv splits intervals"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --segment device --format table
t_has "device=mobile" "table: segment rows"
t_ok "grep 'device=mobile' '$OUT' | grep -q '\*\$'" "table: significant row marked"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --format markdown
t_has "| metric | role | variant |" "markdown table, with each row's role"
t_has "| converted | secondary | treatment |" "a metric is secondary unless named a goal or a guardrail"

# auto type: a 0/1 column is binary, a numeric one is a mean
t_run 0 "$DCX" analyze --input "$CK" --metric converted --metric sessions --format json
t_has '"type": "binary"' "auto: converted is binary"
t_has '"type": "mean"' "auto: sessions is a mean"

# aggregate -> analyze --summary gives the input's numbers (several files add up)
t_run 0 "$DCX" aggregate --input "$CK" --metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions --segment device --output "$D/s.csv"
t_ok "head -1 '$D/s.csv' | grep -qx 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross,capped_n,cap_lower,cap_upper,cap_ignore_zeros,quantile,quantile_lower,quantile_upper,rows_total'" "summary header as docs/formats.md gives it"
t_ok "grep -q '^converted,binary,all,all,control,14970,' '$D/s.csv'" "summary row"
"$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions --segment device --format csv >"$D/a.csv"
t_run 0 "$DCX" analyze --summary "$D/s.csv" --metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions --segment device --format csv
t_ok "same_numbers '$D/a.csv' '$OUT'" "summary and unit input: same means, diff, CI, lift, p (1e-9)"
t_run 1 "$DCX" analyze --summary "$D/s.csv" --metric converted:binary --test fisher
t_err "needs unit-level data" "fisher with a summary says why"
t_run 1 "$DCX" analyze --summary "$D/s.csv" --metric revenue:mean --test mann-whitney
t_err "needs unit-level data" "mann-whitney with a summary says why"
t_run 1 "$DCX" analyze --summary "$D/s.csv" --metric nosuch:mean
t_err "metric 'nosuch' is not in the summary" "unknown metric in a summary"
# four shards: the unit file split in four, each aggregated on its own "machine", merged
# with aggregate --merge: the same results as the whole file
head -1 "$CK" >"$D/hdr"
for k in 0 1 2 3; do cp "$D/hdr" "$D/shard$k.csv"; done
sed -n '2,$p' "$CK" | awk -v d="$D" '{ print >> (d "/shard" (NR % 4) ".csv") }'
for k in 0 1 2 3; do
    "$DCX" aggregate --input "$D/shard$k.csv" --metric converted:binary --metric revenue:mean \
        --metric ppv:ratio=pageviews/sessions --segment device --output "$D/agg$k.csv"
done
t_run 0 "$DCX" aggregate --merge "$D/agg0.csv" "$D/agg1.csv" "$D/agg2.csv" "$D/agg3.csv" --output "$D/merged.csv"
t_run 0 "$DCX" analyze --summary "$D/merged.csv" --metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions --segment device --format csv
t_ok "same_numbers '$D/a.csv' '$OUT'" "four shards merged give the whole file's results"
t_run 0 "$DCX" analyze --summary "$D/agg0.csv" "$D/agg1.csv" "$D/agg2.csv" "$D/agg3.csv" --metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions --segment device --format csv
t_ok "same_numbers '$D/a.csv' '$OUT'" "four summary files given together add up to the same results"
# merged shards hold the whole file's rows: the same keys, units and counts
t_ok "cut -d, -f1-6 '$D/merged.csv' | sort | cmp -s - \$(cut -d, -f1-6 '$D/s.csv' | sort >'$D/ss'; echo '$D/ss')" "aggregate --merge of the shards has the whole file's rows and counts"
t_run 0 "$DCX" aggregate --merge "$D/s.csv"
t_same "$D/s.csv" "aggregate --merge of one summary writes it back unchanged"

# the SRM of a summary counts the units assigned (its units rows), not the units with a value:
# with a fifth of control's revenue missing, the SRM is that of the units file
awk -F, 'BEGIN { OFS = "," } NR > 1 && $2 == "control" && NR % 5 == 0 { $7 = "" } { print }' "$CK" >"$D/miss.csv"
"$DCX" aggregate --input "$D/miss.csv" --metric revenue:mean --segment device --output "$D/miss_s.csv"
"$DCX" analyze --input "$D/miss.csv" --metric revenue:mean --segment device --format json >"$D/miss_in.json"
t_run 0 "$DCX" analyze --summary "$D/miss_s.csv" --metric revenue:mean --segment device --format json
t_ok "'$DCX' run tests/cli/same_result.lua '$D/miss_in.json' '$OUT'" "aggregate -> --summary equals --input, SRM and segment SRMs included"
t_ok "tr -d ' \\n' <'$OUT' | grep -q '\"srm\":{\"counts\":{\"control\":14970,\"treatment\":15030}'" "the summary's SRM counts the 14970 assigned control units, not the 11983 with revenue"
# a summary without units rows (an older dcx, or one written by hand) falls back to the units
# with a value, and says so
cut -d, -f1-11 "$D/miss_s.csv" | grep -v '^\*,units,' >"$D/legacy.csv"
t_run 0 "$DCX" analyze --summary "$D/legacy.csv" --metric revenue:mean --format json
t_ok "tr -d ' \\n' <'$OUT' | grep -q '\"srm\":{\"counts\":{\"control\":11983,'" "without units rows the SRM counts units with a value (11983)"
t_err "a summary without units rows: the SRM counts the units that have a value" "and warns"
t_err "a summary without rows_total" "a summary without rows_total is read, with a warning that it cannot be checked"
# a summary is complete or refused: cut short, a row dropped, two results in one file
total=$(awk -F, 'NR == 2 { print $NF }' "$D/miss_s.csv")
head -n 10 "$D/miss_s.csv" >"$D/cut.csv"
t_run 1 "$DCX" analyze --summary "$D/cut.csv" --metric revenue:mean --segment device
t_err "the summary has 9 of $total rows: was the export truncated?" "a summary cut short is refused, with the count"
awk -F, -v t="$total" 'BEGIN { OFS = "," } NR > 1 { $NF = t - 1 } !/^\*,units,device,mobile,treatment,/ { print }' "$D/miss_s.csv" >"$D/gap.csv"
t_run 1 "$DCX" analyze --summary "$D/gap.csv" --metric revenue:mean --segment device
t_err "the units has no row for variant 'treatment' at device=mobile" "a dropped units row is found though the count was fixed up"
(cat "$D/miss_s.csv"; sed 1d "$D/miss_s.csv") >"$D/twice.csv"
t_run 1 "$DCX" analyze --summary "$D/twice.csv" --metric revenue:mean --segment device
t_err "rows but says $total (rows_total): were two results put in one file?" "two results in one file are refused"
t_run 1 "$DCX" aggregate --merge "$D/cut.csv"
t_err "was the export truncated?" "aggregate --merge checks each summary it adds up"
# as warehouse clients write it: upper-case header, NULL cells, columns in another order
awk -F, 'BEGIN { OFS = "," } NR == 1 { $0 = toupper($0) } NR > 1 { for (i = 6; i <= NF; i++) if ($i == "") $i = "NULL" } { print $19, $5, $1, $2, $3, $4, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18 }' "$D/miss_s.csv" >"$D/upper.csv"
t_run 0 "$DCX" analyze --summary "$D/upper.csv" --metric revenue:mean --segment device --format json
t_ok "'$DCX' run tests/cli/same_result.lua '$D/miss_in.json' '$OUT'" "upper-case names, NULL cells and another column order read as meant"

# SRM gate: designed 30/70 but the data are 50/50
t_run 4 "$DCX" analyze --input "$CK" --metric converted:binary --weights control=0.3,treatment=0.7 --fail-on-srm --format json
t_has '"mismatch": true' "mismatch reported"
t_err "sample ratio mismatch" "gate explains itself"
t_run 0 "$DCX" analyze --input "$CK" --metric converted:binary --variants control,treatment,treatment_b --format json
t_has '"treatment_b": 0' "expected variant with no units counts as 0"
t_err "variant 'treatment_b' has no units" "and is warned about"

# malformed input: exit 1, file:line(:column), nothing on stdout
printf 'variant,converted\ncontrol,1\ntreatment,"0\n' >"$D/q.csv"
t_run 1 "$DCX" analyze --input "$D/q.csv" --metric converted:binary
t_err "q.csv:3: malformed CSV" "unbalanced quote"
t_ok "[ ! -s '$OUT' ]" "no output on error"
printf 'variant,converted\ncontrol,1\ntreatment\n' >"$D/r.csv"
t_run 1 "$DCX" analyze --input "$D/r.csv" --metric converted:binary
t_err "r.csv:3: row has 1 field, expected 2" "ragged row"
printf 'variant,revenue\ncontrol,12.5\ntreatment,abc\n' >"$D/t.csv"
t_run 1 "$DCX" analyze --input "$D/t.csv" --metric revenue:mean
t_err "t.csv:3:2: column 'revenue': 'abc' is not a number" "text in a numeric column"
printf 'variant,revenue\ncontrol,nan\ntreatment,1\n' >"$D/n.csv"
t_run 1 "$DCX" analyze --input "$D/n.csv" --metric revenue:mean
t_err "n.csv:2:2: column 'revenue': 'nan' is not a number" "nan refused"
printf 'variant,revenue\ncontrol,inf\ntreatment,1\n' >"$D/i.csv"
t_run 1 "$DCX" analyze --input "$D/i.csv" --metric revenue:mean
t_err "'inf' is not a number" "inf refused"
printf 'variant,converted\ncontrol,1\ntreatment,2\n' >"$D/b.csv"
t_run 1 "$DCX" analyze --input "$D/b.csv" --metric converted:binary
t_err "b.csv:3:2: column 'converted': '2' is not 0/1/true/false/yes/no" "non-0/1 in a binary column"
printf 'group,converted\ncontrol,1\n' >"$D/v.csv"
t_run 1 "$DCX" analyze --input "$D/v.csv" --metric converted:binary
t_err "v.csv:1: no variant column 'variant' in the header (columns: group, converted)" "missing variant column"
: >"$D/e.csv"
t_run 1 "$DCX" analyze --input "$D/e.csv" --metric converted:binary
t_err "empty file" "empty file"
printf 'variant,converted\n' >"$D/h.csv"
t_run 1 "$DCX" analyze --input "$D/h.csv" --metric converted:binary
t_err "no data rows" "header only"
printf 'variant,score\ncontrol,11\n' >"$D/s.csv"
t_run 1 "$DCX" analyze --input "$D/s.csv" --metric score:nps
t_err "is not a score from 0 to 10" "NPS score out of range"
printf 'variant,converted\n,1\n' >"$D/ev.csv"
t_run 1 "$DCX" analyze --input "$D/ev.csv" --metric converted:binary
t_err "no rows left to analyse; 1 with an empty variant" "the only row has an empty variant: nothing left, and why"
printf 'variant,converted\ncontrol,1\ncontrol,0\n' >"$D/one.csv"
t_run 1 "$DCX" analyze --input "$D/one.csv" --metric converted:binary
t_err "need at least two variants" "a single variant"
t_run 1 "$DCX" analyze --input "$D/nope.csv" --metric converted:binary
t_err "nope.csv: cannot open" "missing file"
t_run 1 "$DCX" analyze --input "$D/t.csv" --metric revenue:mean --output "$D/out.json"
t_ok "[ ! -e '$D/out.json' ]" "no partial --output file"
# BOM and CRLF are fine
printf '\357\273\277variant,converted\r\ncontrol,1\r\ncontrol,0\r\ntreatment,1\r\ntreatment,1\r\n' >"$D/bom.csv"
t_run 0 "$DCX" analyze --input "$D/bom.csv" --metric converted:binary --format json
t_has '"n": 2,' "BOM + CRLF accepted"
t_err "fewer than 30 units" "small-sample warning"

# --test names a test some metric types do not take: the run says which test their rows use,
# and the small-arm advice never suggests a test the metric cannot take
printf 'variant,c,x,n,d\n' >"$D/small.csv"
for i in 1 2 3 4 5 6 7 8; do
    printf 'control,%d,%d,%d,2\ntreatment,%d,%d,%d,3\n' $((i % 2)) $i $((i % 3)) $((i % 3 > 0)) $((i * 2)) $((i % 4)) >>"$D/small.csv"
done
t_run 0 "$DCX" analyze --input "$D/small.csv" --metric c:binary --metric x:mean --metric r:ratio=n/d --test mann-whitney --format csv
t_err "metric 'c': --test mann-whitney does not apply to binary metrics; its rows use the z test" "mann-whitney asked, binary metric: says z was used"
t_err "metric 'r': --test mann-whitney does not apply to ratio metrics; its rows use the z test" "mann-whitney asked, ratio metric: says z was used"
t_ok "! grep -q \"metric 'x': --test\" '$ERR'" "a mean metric takes mann-whitney: no such warning"
t_run 0 "$DCX" analyze --input "$D/small.csv" --metric r:ratio=n/d --metric x:mean --format csv
t_ok "grep \"metric 'r'\" '$ERR' | grep 'fewer than 30' | grep -qv 'try --test'" "a ratio's small-arm warning suggests no test it cannot take"
t_ok "grep \"metric 'x'\" '$ERR' | grep -q 'try --test mann-whitney'" "a mean's small-arm warning suggests mann-whitney"

# large files are read in two halves on two threads: same answers as one pass (stdin is
# never split), also when the split lands inside a quoted field, and errors in the second
# half keep their true line numbers
awk 'BEGIN { srand(3); print "variant,country,converted,revenue,note"
  for (i = 0; i < 420000; i++) { v = rand() < 0.5 ? "control" : "treatment"; c = rand() < 0.5 ? "US" : "DE"
    k = rand() < 0.04; printf "%s,%s,%d,%s,n%d\n", v, c, k, k ? sprintf("%.2f", 10 + rand() * 90) : "0", i } }' >"$D/big.csv"
t_run 0 "$DCX" analyze --input "$D/big.csv" --metric converted:binary --metric revenue:mean --segment country --format csv
cp "$OUT" "$D/big_par.csv"
cat "$D/big.csv" | "$DCX" analyze --input - --metric converted:binary --metric revenue:mean --segment country --format csv >"$D/big_seq.csv"
t_ok "same_numbers '$D/big_seq.csv' '$D/big_par.csv'" "two threads give the one-pass results"
lines=$(wc -l <"$D/big.csv")
half=$((lines / 2))
awk -v h="$half" 'NR == h { printf "control,US,0,0,\"a note\n"; for (i = 0; i < 60000; i++) printf "spanning line %d\n", i; print "end\"" ; next } { print }' "$D/big.csv" >"$D/quoted.csv"
cat "$D/quoted.csv" | "$DCX" analyze --input - --metric converted:binary --metric revenue:mean --segment country --format csv >"$D/q_seq.csv"
t_run 0 "$DCX" analyze --input "$D/quoted.csv" --metric converted:binary --metric revenue:mean --segment country --format csv
t_ok "same_numbers '$D/q_seq.csv' '$OUT'" "a quoted field across the split: still the one-pass results"
bad=$((lines - 1000))
awk -v b="$bad" 'NR == b { print "treatment,US,1,oops,x"; next } { print }' "$D/big.csv" >"$D/bad2.csv"
t_run 1 "$DCX" analyze --input "$D/bad2.csv" --metric converted:binary --metric revenue:mean
t_err "bad2.csv:$bad:4: column 'revenue': 'oops' is not a number" "an error in the second half has its true line"

# usage errors: exit 2
t_run 2 "$DCX" analyze --metric converted:binary
t_err "give --input UNITS.csv or --summary" "needs data"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:weird
t_err "unknown type 'weird'" "bad metric type"
t_run 2 "$DCX" analyze --input "$CK" --metric revenue:mean --cuped nope=pre
t_err "no --metric of that name" "CUPED for an unknown metric"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --method magic
t_err "one of frequentist, bayesian, sequential" "bad method"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --control nobody
t_err "--control 'nobody' is not a variant" "unknown control"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --weights 0.5,0.3,0.2
t_err "unequal shares need to say whose they are" "a bare list of unequal shares is not matched to variants by guesswork"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --weights 0.3,0.3,0.4 --variants control,treatment
t_err "3 --weights for 2 --variants" "weights count"
t_run 1 "$DCX" analyze --input "$CK" --metric nosuch:mean
t_err "no metric column 'nosuch'" "unknown metric column"
# a column with several uses (a metric that is also another metric's covariate) goes
# through the general per-field path; it must match the same data with each use in a
# column of its own, which goes through the one-use callbacks
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "pre_copy"; next } { print $0, $4 }' \
    examples/revenue_test.csv >"$D/dup.csv"
t_run 0 "$DCX" analyze --input examples/revenue_test.csv --metric revenue:mean --metric pre_revenue:mean \
    --cuped revenue=pre_revenue --segment plan --format csv
cp "$OUT" "$D/shared.csv"
t_has "revenue,mean,,plan,pro,treatment,318,0,109.705362835825" "CUPED on a shared column runs"
t_run 0 "$DCX" analyze --input "$D/dup.csv" --metric revenue:mean --metric pre_revenue:mean \
    --cuped revenue=pre_copy --segment plan --format csv
t_same "$D/shared.csv" "a column used twice gives the results of two separate columns"

# progress: on stderr only when asked (DCX_PROGRESS=always) or when stderr is a terminal and
# the work passes a second; never on a pipe; never mixed into the result
awk 'BEGIN { print "variant,converted"; for (i = 0; i < 200000; i++) print (i % 2 ? "control" : "treatment") "," (i % 7 == 0) }' >"$D/big.csv"
t_run 0 env DCX_PROGRESS=always "$DCX" analyze --input "$D/big.csv" --metric converted:binary --format json
t_err " rows, " "DCX_PROGRESS=always: rows read on stderr"
t_err " MB/s, " "with the throughput"
t_err "%" "and the share of the file"
t_lacks "MB/s" "never in the result"
t_run 0 env DCX_PROGRESS=always "$DCX" assign --config "$DCX_ROOT/examples/experiments/checkout-redesign.json" --input "$D/big.csv"
t_err " rows, " "assign shows progress too"
t_run 0 env DCX_PROGRESS=always "$DCX" aggregate --input "$D/big.csv" --metric converted:binary
t_err " rows, " "aggregate shows progress too"
t_run 0 env DCX_PROGRESS=always "$DCX" maturity score --assessment "$DCX_ROOT/assessments/dcx-maturity.json" --responses "$DCX_ROOT/examples/maturity_2026.csv" --format json
t_err " rows, " "maturity score shows progress too"
t_run 0 "$DCX" analyze --input "$D/big.csv" --metric converted:binary --format json
t_err_lacks "MB/s" "no progress when stderr is not a terminal"
t_run 0 env DCX_PROGRESS=never "$DCX" analyze --input "$D/big.csv" --metric converted:binary --format json
t_err_lacks "MB/s" "DCX_PROGRESS=never"
if command -v script >/dev/null 2>&1; then
    script -qec "'$DCX' analyze --input '$D/big.csv' --metric converted:binary --format json >/dev/null" /dev/null </dev/null >"$D/tty.err" 2>&1
    t_ok "! grep -q 'MB/s' '$D/tty.err'" "on a terminal, work shorter than a second shows nothing"
else
    t_skip "on a terminal, work shorter than a second shows nothing" "script(1) is not installed"
fi
# fields padded with spaces are trimmed in every row, the first 64 KiB chunk's too: the reader
# cuts a chunk at once, and trimming was turned on after the header, so the padded rows of the
# header's chunk kept their spaces ('  control  ' a third variant) and the later ones did not;
# the --unit-column pass likewise (a unit padded in one row and not in another)
awk 'BEGIN { print "id,variant,y"; for (i = 0; i < 12000; i++) { v = i % 2 ? "control" : "treatment"; if (i % 10 == 3) printf "  u%d  ,  %s  ,%d  \n", i, v, i % 5; else printf "u%d,%s,%d\n", i, v, i % 5 } }' >"$D/padded.csv"
t_run 0 "$DCX" analyze --input "$D/padded.csv" --metric y:mean --format json
t_json "len(d['results']) == 1 and d['results'][0]['control']['n'] == 6000 and d['results'][0]['treatment']['n'] == 6000" \
    "padded fields trimmed alike in the first chunk and after it (2 variants of 6,000)"
printf '  u3  ,  treatment  ,1\n' >>"$D/padded.csv"
t_run 0 "$DCX" analyze --input "$D/padded.csv" --metric y:mean --unit-column id --format json
t_json "d['health']['multiple_exposures']['units'] == 1 and d['results'][0]['control']['n'] == 5999" \
    "--unit-column: a unit padded in the first chunk and again at the end is the same unit"
t_done
