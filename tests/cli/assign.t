#!/bin/sh
# dcx assign: values cross-checked with the GrowthBook JS SDK 1.8.0 (run in node:
# new GrowthBook({attributes:{id}}).run({key, hashVersion: 2, variations, weights})).
. "$(dirname "$0")/tap.sh"
D=$T_DIR
printf '{"key":"checkout-redesign","variants":[{"name":"control","weight":0.5},{"name":"treatment","weight":0.5}]}' >"$D/exp.json"

# SDK: id "alice" -> treatment, bucket 0.6544 ; "user-00000000-cjbe@example.com" -> control, 0.0157
t_run 0 "$DCX" assign --config "$D/exp.json" --id alice
t_has "alice,treatment,0.6544" "single id, SDK variant and bucket"
t_run 0 "$DCX" assign --config "$D/exp.json" --id alice --format json
t_has '{"id": "alice", "variant": "treatment", "bucket": 0.6544}' "json output"

# CSV quirks: BOM, CRLF, quoted id with comma and quote, blank line, empty id
printf '\357\273\277user_id,x\r\n"a,b",1\r\n\r\n"say ""hi""",2\r\n,3\r\nuser-00000000-cjbe@example.com,4\r\n' >"$D/ids.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/ids.csv" --id-column user_id
t_has 'id,variant,bucket' "header"
t_has '"a,b",' "id with a comma is quoted in the output"
t_has '"say ""hi""",' "id with quotes is quoted"
t_has 'user-00000000-cjbe@example.com,control,0.0157' "CRLF + BOM input gives the SDK answer"
t_has ',,' "empty id: not in the experiment, no bucket"
t_ok "[ \$(wc -l <'$OUT') = 5 ]" "blank line skipped: 4 ids + header"

# several experiments: one column each; namespaces keep them exclusive
t_run 0 "$DCX" assign --config "$DCX_ROOT/examples/experiments/checkout-redesign.json" \
    --config "$DCX_ROOT/examples/experiments/express-pay.json" --input "$DCX_ROOT/examples/customer_ids.csv"
t_has 'id,checkout-redesign,express-pay' "one column per experiment"
t_ok "! awk -F, 'NR>1 && \$2!=\"\" && \$3!=\"\"' '$OUT' | grep -q ." "no unit is in both namespace halves"
cp "$OUT" "$D/multi.csv"
t_run 0 "$DCX" assign --config "$DCX_ROOT/examples/experiments/checkout-redesign.json" \
    --config "$DCX_ROOT/examples/experiments/express-pay.json" --input "$DCX_ROOT/examples/customer_ids.csv" --format json
t_has '"assignments": {"checkout-redesign": {"variant": ' "json with several experiments"

# overlapping namespaces are warned about
printf '{"key":"other","namespace":{"id":"checkout","range":[0.4,0.6]},"variants":[{"name":"a"},{"name":"b"}]}' >"$D/other.json"
t_run 0 "$DCX" assign --config "$DCX_ROOT/examples/experiments/express-pay.json" --config "$D/other.json" --id x
t_err "overlap in namespace 'checkout'" "overlapping namespace ranges warned"

# --output: written atomically; a failed run leaves nothing behind
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/ids.csv" --output "$D/out.csv"
t_ok "grep -q 'user-00000000-cjbe@example.com,control,0.0157' '$D/out.csv'" "--output written"
printf 'user_id\nok1\n"broken\n' >"$D/bad.csv"
t_run 1 "$DCX" assign --config "$D/exp.json" --input "$D/bad.csv" --output "$D/new.csv"
t_err "bad.csv:3: malformed CSV" "unbalanced quote named with file and line"
t_ok "[ ! -e '$D/new.csv' ] && ! ls '$D'/new.csv.tmp.* 2>/dev/null" "no partial output file"

# --output to a FIFO (or a device): written directly, never replaced by a regular file
mkfifo "$D/fifo"
cat "$D/fifo" >"$D/from_fifo" &
t_run 0 "$DCX" assign --config "$D/exp.json" --id alice --output "$D/fifo"
wait
t_ok "[ -p '$D/fifo' ] && grep -q 'alice,treatment,0.6544' '$D/from_fifo'" "a FIFO stays a FIFO and gets the output"

# errors
printf 'user_id,x\na,1\nb\n' >"$D/ragged.csv"
t_run 1 "$DCX" assign --config "$D/exp.json" --input "$D/ragged.csv"
t_err "ragged.csv:3: row has 1 field, expected 2" "ragged row"
t_run 1 "$DCX" assign --config "$D/exp.json" --input "$D/ids.csv" --id-column nope
t_err "no column 'nope'" "unknown id column"
: >"$D/empty.csv"
t_run 1 "$DCX" assign --config "$D/exp.json" --input "$D/empty.csv"
t_err "empty file" "empty file"
t_run 1 "$DCX" assign --config "$D/missing.json" --id a
t_err "missing.json: cannot open" "missing config"
printf '{"key":"k","variants":[{"name":"a","weight":0.7},{"name":"b","weight":0.7}]}' >"$D/w.json"
t_run 1 "$DCX" assign --config "$D/w.json" --id a
t_err "weights sum to 1.4" "weights must sum to 1"
printf '{"key":"k",\n "variants": [\n  {"name":"a"},,\n ]}' >"$D/syntax.json"
t_run 1 "$DCX" assign --config "$D/syntax.json" --id a
t_err "syntax.json:3:" "JSON syntax error with line and column"
t_run 2 "$DCX" assign --config "$D/exp.json"
t_err "exactly one of --id" "needs --id or --input"
t_run 2 "$DCX" assign --id a
t_err "missing --config" "needs --config"
printf '{"key":"k","color":"red","variants":[{"name":"a"},{"name":"b"}]}' >"$D/unk.json"
t_run 0 "$DCX" assign --config "$D/unk.json" --id a
t_err "warning: $D/unk.json: unknown key 'color' ignored" "unknown key warned"
# A file over 8 MB is read in two halves at once: the output is byte for byte the one
# reader's (standard input), a split inside a quoted field falls back to one reader, and an
# error in the second half names the line a single reader names.
awk 'BEGIN { print "user_id,plan"; for (i = 0; i < 400000; i++) printf "user-%08d@example.com,p%d\n", i, i % 3 }' >"$D/big.csv"
"$DCX" assign --config "$D/exp.json" --input - <"$D/big.csv" >"$D/big1.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/big.csv"
t_ok "cmp -s '$OUT' '$D/big1.csv'" "two halves write exactly what one reader writes ($(wc -c <"$D/big.csv") bytes)"
# one quoted id holding many lines across the middle of the file
awk 'BEGIN { print "user_id,plan"; for (i = 0; i < 225000; i++) printf "u%08d,p\n", i;
  printf "\"q"; for (j = 0; j < 450000; j++) printf "line %d\n", j; print "\",p";
  for (i = 0; i < 225000; i++) printf "v%08d,p\n", i }' >"$D/quoted.csv"
"$DCX" assign --config "$D/exp.json" --input - <"$D/quoted.csv" >"$D/quoted1.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/quoted.csv"
t_ok "[ \$(wc -c <'$D/quoted.csv') -gt 8388608 ]" "(the file is read in halves: over 8 MB)"
t_ok "cmp -s '$OUT' '$D/quoted1.csv'" "a split inside a quoted field: the same output as one reader"
awk 'BEGIN { print "user_id,plan"; for (i = 0; i < 400000; i++) if (i == 390000) print "short"; else printf "user-%08d@example.com,p\n", i }' >"$D/bad.csv"
"$DCX" assign --config "$D/exp.json" --input - <"$D/bad.csv" >/dev/null 2>"$D/bad1.err"
t_run 1 "$DCX" assign --config "$D/exp.json" --input "$D/bad.csv" --output "$D/bad.out"
t_err "bad.csv:390002: row has 1 field, expected 2" "an error in the second half names its line in the whole file"
t_ok "grep -q '<stdin>:390002: row has 1 field' '$D/bad1.err'" "the line a single reader names"
t_ok "[ ! -e '$D/bad.out' ]" "and no output file is left"

# The reader cuts lines without quotes itself and hands the rest to libcsv: each kind of
# line it meets, with ids whose SDK answers are known (alice: treatment 0.6544;
# user-00000000-cjbe@example.com: control 0.0157)
printf 'user_id,x\nalice,1\n"user-00000000-cjbe@example.com",2\n"a\nb",3\nalice,4\n,5\nalice,' >"$D/mixed.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/mixed.csv"
t_ok "[ \"\$(grep -c '^alice,treatment,0.6544\$' '$OUT')\" = 3 ]" "plain lines before, between and after quoted ones; a last line without a line end"
t_has 'user-00000000-cjbe@example.com,control,0.0157' "a quoted id mid-file gives the SDK answer"
t_has '"a
b",' "an id over two lines is quoted over two lines"
t_ok "[ \"\$(awk 'END { print NR }' '$OUT')\" = 8 ] && grep -q '^,,\$' '$OUT'" "an empty id (no variant, no bucket) and an empty last field: 6 rows in 7 lines, and the header"
printf 'user_id,x\r\nalice,1\r\n\r\n,\r\n' >"$D/crlf.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/crlf.csv"
t_has 'alice,treatment,0.6544' "CRLF: no CR left on the id"
t_ok "[ \"\$(sed -n 3p '$OUT')\" = ',,' ]" "CRLF: an empty id from a row of empty fields"
printf 'user_id,x\nalice,1\nbob,2,3\n' >"$D/wide.csv"
t_run 1 "$DCX" assign --config "$D/exp.json" --input "$D/wide.csv"
t_err "wide.csv:3: row has more than 2 fields, expected 2 like the header" "a row wider than the header"
printf 'user_id,x\nalice,1\nb\000b,2\n' >"$D/nul.csv"
t_run 1 "$DCX" assign --config "$D/exp.json" --input "$D/nul.csv"
t_err "nul.csv:3: a NUL byte in the data" "an embedded NUL byte, with its line"
# a field of exactly --max-field-mb is read, one byte more is refused (1/1024 MiB = 1024 bytes)
awk 'BEGIN { print "user_id"; print "alice"; s = ""; for (i = 0; i < 1024; i++) s = s "k"; print s; print "alice" }' >"$D/at.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/at.csv" --max-field-mb 0.0009765625
t_ok "grep -q '^kkkk*,[a-z]*,0\.[0-9]*\$' '$OUT' && [ \"\$(grep -c '^alice,treatment,0.6544\$' '$OUT')\" = 2 ]" "an id of exactly the field limit (1024 bytes) is assigned"
awk 'BEGIN { print "user_id"; print "alice"; s = ""; for (i = 0; i < 1025; i++) s = s "k"; print s }' >"$D/over.csv"
t_run 1 "$DCX" assign --config "$D/exp.json" --input "$D/over.csv" --max-field-mb 0.0009765625
t_err "over.csv:3:1: a field longer than 0.000976562 MiB" "one byte over the limit: refused with line and column"
# an id longer than a read chunk (100,000 bytes) between short ones, as one reader gives it
awk 'BEGIN { print "user_id"; print "alice"; s = "x"; while (length(s) < 100000) s = s s; print substr(s, 1, 100000); print "alice" }' >"$D/long.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/long.csv"
t_ok "awk -F, 'NR == 3 { exit !(length(\$1) == 100000 && \$2 != \"\") }' '$OUT' && [ \"\$(grep -c '^alice,treatment,0.6544\$' '$OUT')\" = 2 ]" "a 100,000-byte id is assigned, the ids around it too"
# two halves where the split falls in a row whose id is read before the limit and whose
# quoted note ends after it
awk 'BEGIN { print "user_id,note"; for (i = 0; i < 225000; i++) printf "u%08d,p\n", i;
  printf "alice,\"n"; for (j = 0; j < 450000; j++) printf "line %d\n", j; print "\"";
  for (i = 0; i < 225000; i++) printf "v%08d,p\n", i }' >"$D/split_note.csv"
"$DCX" assign --config "$D/exp.json" --input - <"$D/split_note.csv" >"$D/split_note1.csv"
t_run 0 "$DCX" assign --config "$D/exp.json" --input "$D/split_note.csv"
t_ok "cmp -s '$OUT' '$D/split_note1.csv' && grep -q '^alice,treatment,0.6544\$' '$OUT'" "an id read before the split, its row ended after it: the same output as one reader"

# long variant names (one with a comma), 40,000 bytes (a row fills most of the 64 KiB output
# buffer) and 70,000 (more than the buffer holds): written whole, quoted as CSV
printf 'user_id\nalice\nbob\ncarol\n' >"$D/three.csv"
for n in 40000 70000; do
    awk -v n=$n 'BEGIN { s = "v"; while (length(s) < n) s = s s; s = substr(s, 1, n);
      printf "{\"key\":\"k\",\"variants\":[{\"name\":\"%s\"},{\"name\":\"%s,x\"}]}", s, s }' >"$D/longnames.json"
    t_run 0 "$DCX" assign --config "$D/longnames.json" --input "$D/three.csv"
    t_ok "awk -F, -v n=$n 'NR > 1 && !((NF == 3 && length(\$2) == n) || (NF == 4 && length(\$2) == n + 1 && \$3 == \"x\\\"\")) { bad = 1 } END { exit bad || NR != 4 }' '$OUT'" "variant names of $n bytes: each row carries its whole name, quoted when it holds a comma"
done

# the C example program agrees with the CLI
t_run 0 "$DCX_BUILD/examples/assign_ids" "$DCX_ROOT/examples/experiments/checkout-redesign.json" José u1001
t_has "control      bucket 0.2094" "examples/assign_ids.c assigns like dcx assign"
t_run 0 "$DCX" assign --config "$DCX_ROOT/examples/experiments/checkout-redesign.json" --id José
t_has "José,control,0.2094" "dcx assign agrees"
t_run 0 "$DCX_BUILD/examples/power_curve" 0.1 0.02
t_has "n per variant for 80% power: 3841" "examples/power_curve.c matches dcx power"
t_done
