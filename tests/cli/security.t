#!/bin/sh
# Hostile input, tried as an attacker would: each attack that once worked is kept here and
# must now fail cleanly. The Lua sandbox, the JSON encoder, reports, the terminal, SQL,
# result files, numbers that overflow, NUL bytes in JSON.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
CK=examples/checkout_test.csv
ASAN=0
case "$DCX_BUILD" in *sanitize*) ASAN=1 ;; esac
LIBLUA=$(ldd "$DCX" 2>/dev/null | sed -n 's/.*liblua5\.4\.so\.0 => \([^ ]*\).*/\1/p' | head -1)
[ -n "$LIBLUA" ] || LIBLUA=liblua5.4.so.0

# ---- the sandbox ---------------------------------------------------------------------------
# 1. cpath pointing at the Lua library dcx links, then require "os": the C searchers are gone
t_run 1 "$DCX" run --sandbox -e "package.cpath = '$LIBLUA'; local os = require 'os'; os.execute('touch $D/pwned1')"
t_err "module 'os' is not available under --sandbox" "require 'os' through package.cpath is refused"
t_ok "[ ! -e '$D/pwned1' ]" "no command ran"
t_run 1 "$DCX" run --sandbox -e "package.path = '$D/?.lua'; require 'evil'"
t_err "module 'evil' is not available under --sandbox" "require searches no Lua path either"
t_run 0 "$DCX" run --sandbox -e 'print(package.loadlib, package.searchers, package.cpath, string.dump)'
t_has "nil	nil	nil	nil" "no loadlib, searchers, cpath or string.dump"
for use in 'io.open("/etc/passwd")' 'io.read()' 'os.execute("touch '"$D"'/pwned0")' 'os.getenv("HOME")' \
           'dofile("/etc/passwd")' 'loadfile("/etc/passwd")' 'debug.getregistry()'; do
    t_run 1 "$DCX" run --sandbox -e "$use"
    t_err "is not available under --sandbox" "$use is a stub that says it is not available"
done
t_ok "[ ! -e '$D/pwned0' ]" "and os.execute ran nothing"
t_run 1 "$DCX" run --sandbox -e 'io.stdout:write("x")'
t_err "io.stdout is not available under --sandbox" "a stub names what was used"
t_run 0 "$DCX" run --sandbox -e 'print(require("dcx") == dcx, require("string") == string)'
t_has "true	true" "require still gives dcx and the standard libraries"
# 2. a second copy of the module: the flag lives under a fixed registry key that every copy reads
if [ "$ASAN" = 1 ]; then
    t_report 1 "a second copy of dcx.so honours the sandbox flag # SKIP: an ASan module needs the ASan runtime preloaded"
elif command -v lua5.4 >/dev/null 2>&1; then
    t_run 1 env LUA_CPATH="$DCX_BUILD/?.so" lua5.4 -e "debug.getregistry()['dcx.sandbox'] = true; local d = require 'dcx'; d.csv.writer('$D/pwned2.csv', {'a'})"
    t_err "is not allowed under --sandbox" "a second copy of dcx.so honours the sandbox flag"
    t_ok "[ ! -e '$D/pwned2.csv' ]" "and wrote nothing"
    t_run 1 env LUA_CPATH="$DCX_BUILD/?.so" lua5.4 -e "debug.getregistry()['dcx.sandbox'] = true; local d = require 'dcx'; for r in d.csv.rows('/etc/passwd') do print(next(r)) end"
    t_err "is not readable under --sandbox" "and, finding no allowed folders, reads nothing"
else
    t_report 1 "a second copy of dcx.so # SKIP lua5.4 not installed"
    t_report 1 "a second copy of dcx.so # SKIP lua5.4 not installed"
fi
# 3. precompiled chunks: Lua does not verify bytecode
t_run 0 "$DCX" run --sandbox -e 'print(load("\27Lua\84\0\25\147\13\10\26\10\4\8\8", "x", "b"))'
t_has "attempt to load a binary chunk" "load takes text only, whatever mode is asked for"
t_run 0 "$DCX" run --sandbox -e 'print(load("return 1 + x", "c", "t", {x = 41})())'
t_has "42" "text chunks with an environment still load"
# 4. CPU and memory limits
# (a busy machine gives the script less than the CPU it could use: then the wall-clock limit,
# twice the CPU limit, may come first; either one is the script ended with its message)
t_limit() { # t_limit NAME: the last run was ended by the CPU limit of 0.5 s or the wall clock
    if grep -qF "CPU time limit of 0.5 s exceeded (--lua-timeout)" "$ERR" \
        || grep -qF "wall-clock time limit of 1 s exceeded (twice --lua-timeout 0.5" "$ERR"; then
        t_report 1 "$1"
    else
        t_report 0 "$1" "stderr: $(head -c 300 "$ERR")"
    fi
}
t_run 1 "$DCX" run --sandbox --lua-timeout 0.5 -e 'while true do end'
t_limit "a runaway loop ends with a message"
t_run 1 "$DCX" run --sandbox --lua-timeout 0.5 -e 'while true do pcall(function() while true do end end) end'
t_limit "pcall cannot swallow the limit"
t_run 1 "$DCX" run --sandbox --lua-timeout 0.5 -e 'coroutine.wrap(function() while true do end end)()'
t_err "time limit exceeded" "a loop in a coroutine is ended too (by the CPU or, on a busy machine, the wall-clock limit)"
t_run 1 "$DCX" run --lua-timeout 0.5 -e 'string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40))'
t_err "time limit exceeded" "a long C call (backtracking pattern) is ended (by the CPU or, on a busy machine, the wall-clock limit)"
for bad in nan inf -1 0 x 1e999; do
    t_run 2 "$DCX" run --lua-mem "$bad" -e 'print(1)'
    t_err "needs a positive number" "--lua-mem $bad is refused"
done
t_run 2 "$DCX" run --lua-timeout nan -e 'print(1)'
t_err "needs a positive number" "--lua-timeout nan is refused"
t_run 1 "$DCX" run --lua-mem 1e-7 -e 'print(1)'
t_err "not enough memory to start Lua" "a tiny --lua-mem limits, it does not mean 'no limit'"
if [ "$ASAN" = 1 ]; then
    t_report 1 "C allocations count against --lua-mem # SKIP: AddressSanitizer needs the address space"
else
    awk 'BEGIN { printf "a,b\n"; s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
                 for (i = 0; i < 11; i++) s = s s; for (i = 0; i < 512; i++) printf "%s", s; printf ",1\n" }' >"$D/bigrow.csv"
    t_run 1 "$DCX" run --lua-mem 20 -e "for r in dcx.csv.rows('$D/bigrow.csv') do print(#r.a) end"
    t_err "out of memory reading a row (the script's limit is --lua-mem 20 MB)" "a 64 MB CSV row counts against --lua-mem 20"
fi
# 5. a message never prints a file that is not CSV
printf 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n' >"$D/passwd"
t_run 0 "$DCX" run --sandbox -e "print(dcx.analyze{input = '$D/passwd', metric = {'x'}})" "$D/passwd"
t_lacks "root:x:0" "an error about a non-CSV file does not echo its first line"
t_has "does not look like a CSV header" "but says what is wrong"
t_run 1 "$DCX" analyze --input "$D/passwd" --metric x
t_err_lacks "root:x:0" "nor on the command line"

# 6. reads: only the script's argument files and --allow-read folders, after resolving links
t_run 1 "$DCX" run --sandbox -e 'for row in dcx.csv.rows("/etc/passwd") do print(next(row)) break end'
t_err "'/etc/passwd' is not readable under --sandbox" "dcx.csv.rows of /etc/passwd is refused"
t_err "--allow-read DIR" "and the refusal names the flag that allows it"
t_lacks "root" "nothing of the file is printed"
mkdir -p "$D/sbx_secret" "$D/sbx_public" "$D/sbx_out"
printf 'user,password\nroot,hunter2\n' >"$D/sbx_secret/passwords.csv"
printf 'variant,x\ncontrol,1\ncontrol,0\ntreatment,1\ntreatment,1\n' >"$D/sbx_public/units.csv"
cp "$D/sbx_public/units.csv" "$D/sbx_secret/units.csv"
"$DCX" analyze --input "$D/sbx_public/units.csv" --metric x:binary --format json >"$D/sbx_secret/result.json"
ln -s "$D/sbx_secret/passwords.csv" "$D/sbx_public/link.csv"
ln -s "$D/sbx_secret" "$D/sbx_public/sub"
ln -s "$D/sbx_secret" "$D/sbx_out/escape"
t_run 1 "$DCX" run --sandbox -e "dcx.csv.open('$D/sbx_secret/passwords.csv')"
t_err "is not readable under --sandbox" "dcx.csv.open of a file nobody allowed is refused"
t_run 0 "$DCX" run --sandbox --allow-read "$D/sbx_public" -e "for r in dcx.csv.rows('$D/sbx_public/units.csv') do io = nil end print('read')"
t_has "read" "a file under --allow-read is read"
t_run 1 "$DCX" run --sandbox --allow-read "$D/sbx_public" -e "for r in dcx.csv.rows('$D/sbx_public/link.csv') do print(r.password) end"
t_err "is not readable under --sandbox" "a symbolic link out of an allowed folder is refused"
t_lacks "hunter2" "and the secret stays secret"
t_run 1 "$DCX" run --sandbox --allow-read "$D/sbx_public" -e "for r in dcx.csv.rows('$D/sbx_public/sub/passwords.csv') do print(r.password) end"
t_err "is not readable under --sandbox" "so is a linked folder inside an allowed one"
t_run 1 sh -c "cd '$D/sbx_public' && '$DCX' run --sandbox --allow-read . -e \"for r in dcx.csv.rows('../secret/passwords.csv') do print(r.password) end\""
t_err "is not readable under --sandbox" "a relative path with .. out of an allowed folder is refused"
t_run 1 "$DCX" run --sandbox --allow-read "$D/sbx_public" -e "for r in dcx.csv.rows('$D/sbx_public/../secret/passwords.csv') do print(r.password) end"
t_err "is not readable under --sandbox" "and so is an absolute one"
printf 'local n = 0 for r in dcx.csv.rows(arg[1]) do n = n + 1 end print(n, pcall(dcx.csv.open, arg[2]))\n' >"$D/count.lua"
t_run 0 "$DCX" run --sandbox "$D/count.lua" "$D/sbx_public/units.csv" "$D/sbx_secret/units.csv"
t_has "4	true" "files named as arguments are read, wherever they are"
t_run 0 "$DCX" run --sandbox "$D/count.lua" "$D/sbx_public/units.csv" "$D/sbx_public/link.csv"
t_has "4	true" "(a link named as an argument is the file it leads to: the caller handed it over)"
printf 'print(pcall(dcx.csv.open, arg[1]:gsub("units", "passwords")))\n' >"$D/sibling.lua"
t_run 0 "$DCX" run --sandbox "$D/sibling.lua" "$D/sbx_secret/units.csv"
t_has "false" "but not the file beside an argument file"
t_run 1 "$DCX" run --sandbox -e "dcx.analyze{input = '$D/sbx_secret/units.csv', metric = {'x:binary'}}" "$D/sbx_public/units.csv"
t_err "option 'input': '$D/sbx_secret/units.csv' is not readable under --sandbox" "dcx.analyze reads only what it was handed"
t_run 1 "$DCX" run --sandbox --allow-write "$D/sbx_out" -e "dcx.plot{kind = 'forest', input = '$D/sbx_secret/result.json', output = '$D/sbx_out/f.svg'}"
t_err "option 'input'" "dcx.plot{input = ...} of a secret file is refused"
t_run 1 "$DCX" run --sandbox --allow-write "$D/sbx_out" -e "dcx.plot{kind = 'forest', input = '/etc/passwd', output = '$D/sbx_out/f.svg'}"
t_err "is not readable under --sandbox" "dcx.plot of /etc/passwd too"
t_err_lacks "root:" "and no line of it is shown"
t_run 1 "$DCX" run --sandbox -e "dcx.maturity.score{assessment = '/etc/passwd', responses = 'examples/maturity_2026.csv'}" examples/maturity_2026.csv
t_err "option 'assessment': '/etc/passwd' is not readable under --sandbox" "dcx.maturity.score{assessment = \"/etc/...\"} is refused"
t_run 1 "$DCX" run --sandbox -e "dcx.analyze{summary = {'$D/sbx_public/units.csv', '$D/sbx_secret/units.csv'}, metric = {'x:binary'}}" "$D/sbx_public/units.csv"
t_err "option 'summary': '$D/sbx_secret/units.csv'" "every file of a list is checked"
t_run 1 "$DCX" run --sandbox -e "dcx.assign{config = '/etc/passwd', id = 'u1'}"
t_err "option 'config'" "an experiment config is a read too"
# --metrics is a JSON option (a file's name, or the definitions as a table): its file is a read
printf '{"metrics": [{"name": "x", "type": "binary", "hunter2": true}]}\n' >"$D/sbx_secret/defs.json"
t_run 1 "$DCX" run --sandbox -e "print(dcx.analyze{input = '$D/sbx_public/units.csv', metrics = '$D/sbx_secret/defs.json'})" "$D/sbx_public/units.csv"
t_err "option 'metrics': '$D/sbx_secret/defs.json' is not readable under --sandbox" "dcx.analyze{metrics = FILE} of a secret file is refused"
t_err_lacks "hunter2" "and no key of it is shown"
t_lacks "hunter2" "(nor printed)"
t_run 0 "$DCX" run --sandbox -e "print(dcx.analyze{input = '$D/sbx_public/units.csv', metrics = {{name = 'x', type = 'binary', role = 'goal'}}}.results[1].metric)" "$D/sbx_public/units.csv"
t_has "x" "definitions given as a table read no file and are allowed"
# standard input is read only when '-' is one of the script's arguments
t_run 1 "$DCX" run --sandbox -e 'for r in dcx.csv.rows("-") do print(r.user) end' <"$D/sbx_secret/passwords.csv"
t_err "standard input ('-') is not readable under --sandbox" "standard input is not read unless handed over"
t_lacks "root" "(nothing read)"
t_run 0 "$DCX" run --sandbox -e 'for r in dcx.csv.rows("-") do print(r.user) end' - <"$D/sbx_secret/passwords.csv"
t_has "root" "with '-' as an argument it is"
t_run 2 "$DCX" run --allow-read "$D/sbx_public" -e 'print(1)'
t_err "--allow-read and --allow-write go with --sandbox" "--allow-read without --sandbox is a usage error"
t_run 2 "$DCX" run --sandbox --allow-read "$D/nowhere" -e 'print(1)'
t_err "--allow-read needs a folder (no such folder" "a folder that does not exist is a usage error"
t_run 2 "$DCX" run --sandbox --allow-write "$D/sbx_public/units.csv" -e 'print(1)'
t_err "not a folder" "so is a file given as a folder"

# 7. writes: nowhere by default, under --allow-write DIR when given; never through a link
t_run 1 "$DCX" run --sandbox -e "dcx.csv.writer('$D/pwned3.csv', {'a'})"
t_err "writing '$D/pwned3.csv' is not allowed under --sandbox (allow its folder with --allow-write DIR)" "no write without --allow-write"
t_run 0 "$DCX" run --sandbox --allow-write "$D/sbx_out" -e "local w = dcx.csv.writer('$D/sbx_out/ok.csv', {'a'}) w:write{1} print(w:close())"
t_ok "[ \"\$(cat '$D/sbx_out/ok.csv')\" = \"\$(printf 'a\\n1')\" ]" "a write under --allow-write works"
t_run 1 "$DCX" run --sandbox --allow-write "$D/sbx_out" -e "dcx.csv.writer('$D/sbx_out/../pwned4.csv', {'a'})"
t_err "is not allowed under --sandbox" "a write out of the folder through .. is refused"
t_run 1 "$DCX" run --sandbox --allow-write "$D/sbx_out" -e "dcx.csv.writer('$D/sbx_out/escape/pwned5.csv', {'a'})"
t_err "is not allowed under --sandbox" "a write through a linked folder is refused"
t_ok "[ ! -e '$D/pwned4.csv' ] && [ ! -e '$D/sbx_secret/pwned5.csv' ]" "and nothing was written outside"
t_run 1 "$DCX" run --sandbox --allow-write "$D/sbx_out" -e "dcx.analyze{input = 'examples/checkout_test.csv', metric = {'converted'}, plot = '$D/sbx_secret/p.svg'}" examples/checkout_test.csv
t_err "option 'plot': writing" "a command's plot is a write too"
printf '#!/bin/sh\ntouch %s/pwned6\n' "$D" >"$D/sbx_out/fake-gnuplot"
chmod +x "$D/sbx_out/fake-gnuplot"
t_run 1 "$DCX" run --sandbox --allow-write "$D/sbx_out" -e "dcx.plot{kind = 'forest', result = {results = {}}, output = '$D/sbx_out/f.svg', gnuplot = '$D/sbx_out/fake-gnuplot'}"
t_err "option 'gnuplot' names a program to run, which is not allowed under --sandbox" "a script cannot choose the program a plot runs"
t_ok "[ ! -e '$D/pwned6' ]" "and nothing ran"

# "-" is standard output only for dcx.csv.writer: a command's output option takes it as a
# file name, so it is a write like any other; and a file named "-" is no way around the reads
t_run 1 sh -c "cd '$D/sbx_public' && '$DCX' run --sandbox -e 'dcx.report{result = dcx.power{baseline = 0.1, mde = 0.02}, output = \"-\"}'"
t_err "option 'output': writing '-' is not allowed under --sandbox" "a command's output '-' is a file name, refused"
t_ok "[ ! -e '$D/sbx_public/-' ]" "and no file '-' appears"
cp "$D/sbx_secret/passwords.csv" "$D/sbx_secret/-"
t_run 1 sh -c "cd '$D/sbx_secret' && '$DCX' run --sandbox -e 'print(dcx.assign{config = \"-\", id = \"x\"})' - </dev/null"
t_err "option 'config': './-' is not readable under --sandbox" "a file named '-' is read only by the rules of any file, '-' argument or not"
t_lacks "hunter2" "(nothing of it shown)"

# 8. limits: 1024 MB of memory by default, and twice --lua-timeout of wall-clock time
t_run 1 "$DCX" run --sandbox -e 'local t = {} for i = 1, 12 do t[i] = string.rep("x", 256 * 2^20) end'
t_err "reached its limit of --lua-mem 1024 MB (the default under --sandbox)" "a sandboxed script reaching for 3 GB stops at 1 GB"
mkfifo "$D/never"
exec 3<>"$D/never" # a writer that never writes: a read blocks
t_run 1 "$DCX" run --lua-timeout 0.5 -e 'print(io.read())' <"$D/never"
t_err "wall-clock time limit of 1 s exceeded (twice --lua-timeout 0.5" "a script blocked on io.read is ended"
t_run 1 "$DCX" run --sandbox --lua-timeout 0.5 -e 'for r in dcx.csv.rows("-") do end' - <"$D/never"
t_err "wall-clock time limit of 1 s exceeded" "so is a sandboxed script blocked on standard input"
t_run 1 "$DCX" run --sandbox --lua-timeout 0.5 -e 'dcx.analyze{input = "-", metric = {"x"}}' - <"$D/never"
t_err "wall-clock time limit" "and a command reading standard input"
exec 3>&-

# ---- CSV: a field or a row that never ends -------------------------------------------------------
# A 1 GiB line once took 5.2 GB of memory. A field over 64 MiB is an error naming its file, line
# and column, met before much more than the limit is held. The input is generated into a pipe,
# never stored; the address space is capped at 600 MB where the sanitizers allow it.
gen_field() { printf 'variant,x\ncontrol,1\ncontrol,'; head -c "$1" /dev/zero | tr '\0' y; printf ',\n'; }
capped() { if [ "$ASAN" = 1 ]; then "$@"; else (ulimit -v 600000 && exec "$@"); fi; }
exit_is() { # exit_is WANT GOT NAME
    if [ "$2" = "$1" ]; then t_report 1 "$3"; else t_report 0 "$3" "exit $2, not $1: $(head -c 300 "$ERR")"; fi
}
gen_field 1073741824 | capped "$DCX" analyze --input - --metric x >"$OUT" 2>"$ERR"
exit_is 1 $? "a CSV line of one 1 GiB field is refused (exit 1)"
t_err "dcx: <stdin>:3:2: a field longer than 64 MiB (--max-field-mb raises the limit)" "with file, line and column, in 600 MB of address space"
gen_field 1073741824 | capped "$DCX" run -e 'for r in dcx.csv.rows("-") do end' - >"$OUT" 2>"$ERR"
exit_is 1 $? "dcx.csv.rows of the same line: exit 1"
t_err "<stdin>:3:2: a field longer than 64 MiB" "the Lua reader stops at the limit too"
gen_field 2000000 | "$DCX" analyze --input - --metric x --max-field-mb 1 >"$OUT" 2>"$ERR"
exit_is 1 $? "--max-field-mb 1 and a 2 MB field: exit 1"
t_err "<stdin>:3:2: a field longer than 1 MiB" "--max-field-mb lowers the limit"
gen_field 70000000 | "$DCX" analyze --input - --metric x --max-field-mb 100 >"$OUT" 2>"$ERR"
exit_is 1 $? "--max-field-mb 100 and a 70 MB field: read, then refused as data"
t_err "<stdin>:3:2: column 'x': 'yyyy" "--max-field-mb raises the limit: the field is read (and is not a number)"
{ printf 'variant,x\ncontrol,1\ncontrol,"a\nb\nc'; head -c 2000000 /dev/zero | tr '\0' y; printf '"\n'; } |
    "$DCX" analyze --input - --metric x --max-field-mb 1 >"$OUT" 2>"$ERR"
t_err "<stdin>:3:2: a field longer than 1 MiB" "a quoted field over several lines is named by the line it starts on"
{ printf 'respondent,p_str1\nr1,'; head -c 2000000 /dev/zero | tr '\0' y; printf '\n'; } >"$D/long-resp.csv"
t_run 1 "$DCX" maturity score --assessment assessments/dcx-pulse.json --responses "$D/long-resp.csv" --max-field-mb 1
t_err "long-resp.csv:2:2: a field longer than 1 MiB" "maturity responses obey --max-field-mb"
t_run 1 "$DCX" assign --config examples/experiments/express-pay.json --input "$D/long-resp.csv" --max-field-mb 1 --output "$D/assigned.csv"
t_err "long-resp.csv:2:2: a field longer than 1 MiB" "and so does assign --input"
t_run 0 "$DCX" run -e "print(dcx.maturity.score{assessment = 'assessments/dcx-pulse.json', responses = '$D/long-resp.csv', max_field_mb = 1})"
t_has "a field longer than 1 MiB" "and the Lua functions of the commands"
for bad in 0 -1 1e300; do
    t_run 2 "$DCX" analyze --input examples/checkout_test.csv --metric converted --max-field-mb "$bad"
    t_err "--max-field-mb must be a number of mebibytes above 0" "--max-field-mb $bad is a usage error"
done
# a row of endless commas: the Lua reader stops once the row is wider than its header
{ printf 'a,b\n1,'; head -c 300000000 /dev/zero | tr '\0' ','; printf '\n'; } | capped "$DCX" run -e 'for r in dcx.csv.rows("-") do end' - >"$OUT" 2>"$ERR"
exit_is 1 $? "a row of 300 million fields: exit 1"
t_err "<stdin>:2: row has more than 2 fields, expected 2 like the header" "refused as soon as it is wider than the header"

# ---- Excel workbooks: text that Excel would read otherwise, or that does not fit ---------------
A=assessments/dcx-maturity.json
R1=examples/maturity_2026.csv
EMOJI=$(awk 'BEGIN { for (i = 0; i < 32000; i++) printf "\360\237\230\200" }')
LONG300=$(awk 'BEGIN { for (i = 0; i < 300; i++) printf "g" }')
awk -F, -v OFS=, -v e="$EMOJI" -v l="$LONG300" 'NR == 1 { print; next }
    { k = NR % 4; $2 = (k == 0) ? "_x0007_ and _x0041_" : (k == 1) ? e : (k == 2) ? l : "=" l; print }' "$R1" >"$D/xl.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/xl.csv" --group-by role --min-group-size 1 --format json
cp "$OUT" "$D/xl.json"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/xl.csv" --group-by role --min-group-size 1 --output "$D/xl.xlsx"
t_xlsx "$D/xl.json" "$D/xl.xlsx" "workbook: _x0007_ reads back as written, 32,000 emoji cut at 32,767 UTF-16 units, 300-character group names, each change on the notes sheet"
if [ -n "$T_PY" ]; then
    t_ok "$T_PY -c \"import openpyxl,sys; ws=openpyxl.load_workbook('$D/xl.xlsx')['notes']; t=' '.join(str(c.value) for c in ws['A']); sys.exit(0 if 'cut at 32,767 characters' in t and 'named by its first 254 characters' in t else 1)\"" "the notes sheet says which cells were cut and which series names shortened"
else
    t_skip "the notes sheet" "openpyxl is not installed"
fi
if command -v soffice >/dev/null 2>&1 && [ "$ASAN" = 0 ]; then
    mkdir -p "$D/lo"
    HOME="$D/lo" timeout 180 soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir "$D/lo" "$D/xl.xlsx" >/dev/null 2>&1
    t_ok "grep -q '^role,\"*_x0007_ and _x0041_' '$D/lo/xl-groups.csv'" "LibreOffice reads _x0007_ as the seven characters written, not as BEL"
else
    t_skip "LibreOffice reads _x0007_ as written" "LibreOffice is not installed (or a sanitizer build)"
fi
# more groups than a radar can show apart: overall and target, and a note
awk -F, -v OFS=, 'NR == 1 { print; next } { $2 = "team" (NR % 8); print }' "$R1" >"$D/xl8.csv"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/xl8.csv" --group-by role --target 3.4 --min-group-size 1 --format json
cp "$OUT" "$D/xl8.json"
t_run 0 "$DCX" maturity score --assessment "$A" --responses "$D/xl8.csv" --group-by role --target 3.4 --min-group-size 1 --output "$D/xl8.xlsx"
t_xlsx "$D/xl8.json" "$D/xl8.xlsx" "8 groups: the radar draws 2 series (overall, target), not 10, and the notes sheet says why"
# a 505-byte variant name once failed the workbook
V505=$(awk 'BEGIN { for (i = 0; i < 505; i++) printf "v" }')
awk -v v="$V505" 'BEGIN { print "variant,x"; for (i = 0; i < 60; i++) printf "%s,%d\n", (i % 2 ? "control" : v), i % 3 == 0 }' >"$D/v505.csv"
t_run 0 "$DCX" analyze --input "$D/v505.csv" --metric x --segment variant --format json
cp "$OUT" "$D/v505.json"
t_run 0 "$DCX" analyze --input "$D/v505.csv" --metric x --segment variant --output "$D/v505.xlsx"
t_xlsx "$D/v505.json" "$D/v505.xlsx" "a 505-byte variant name: the workbook is written, every cell equals the JSON"
# a variant name longer than a cell: cut in the summary, decisions and results cells, and in
# the headers of the srm sheet (counts_NAME), each change on the notes sheet
awk 'BEGIN { for (i = 0; i < 40000; i++) v = v "V"; print "variant,x"
    for (i = 0; i < 60; i++) printf "%s,%d\n", (i % 2 ? "control" : v), i % 3 == 0 }' >"$D/v40k.csv"
t_run 0 "$DCX" analyze --input "$D/v40k.csv" --metric x --goal x --format json
cp "$OUT" "$D/v40k.json"
t_run 0 "$DCX" analyze --input "$D/v40k.csv" --metric x --goal x --output "$D/v40k.xlsx"
t_xlsx "$D/v40k.json" "$D/v40k.xlsx" "a 40,000-character variant name: cells and srm headers cut at 32,767, each on the notes sheet"

# ---- dcx.json.encode ----------------------------------------------------------------------------
t_run 0 "$DCX" run -e 'local t = {} local c = t for i = 1, 12 do c.x = {} c = c.x end print(#dcx.json.encode(t) > 0)'
t_has "true" "12 levels deep encode (once a crash)"
t_run 1 "$DCX" run -e 'local t = {} t.self = t print(dcx.json.encode(t))'
t_err "a table contains itself" "a cycle is an error"
t_run 1 "$DCX" run -e 'local t = {} local c = t for i = 1, 1001 do c[1] = {} c = c[1] end print(dcx.json.encode(t))'
t_err "nested deeper than 1000 levels" "nesting deeper than 1000 is an error"
t_run 0 "$DCX" run -e 'local t = {} local c = t for i = 1, 999 do c[1] = {} c = c[1] end print(#dcx.json.encode(t) > 0)'
t_has "true" "999 levels are fine"
t_run 0 "$DCX" run -e 'print(dcx.json.encode{zeta = 1, alpha = {b = 2, a = 1}, mid = true})'
printf '{\n  "alpha": {\n    "a": 1,\n    "b": 2\n  },\n  "mid": true,\n  "zeta": 1\n}\n' >"$D/sorted.json"
t_same "$D/sorted.json" "object keys come out sorted"
t_run 1 "$DCX" run -e 'local t = {} t.self = t dcx.plot{kind = "radar", result = t, output = "x.png"}'
t_err "a table contains itself" "dcx.plot of a cyclic table is an error, not a crash"
t_run 1 "$DCX" run -e 'local t = {} t.self = t dcx.report{result = t, output = "x.html"}'
t_err "a table contains itself" "dcx.report likewise"

# ---- reports: nothing from data becomes markup ---------------------------------------------------
printf 'respondent,role,s1,s2,s3\n' >"$D/evil.csv"
i=0
for role in '<img src=x onerror=alert(1)>' '<script>alert(2)</script>' 'ok'; do
    for k in 1 2 3; do
        i=$((i + 1))
        printf 'r%d,"%s",%d,%d,%d\n' "$i" "$role" $((1 + (i % 5))) $((1 + (i * 2 % 5))) $((1 + (i * 3 % 5))) >>"$D/evil.csv"
    done
done
cat >"$D/evil.json" <<'EOF'
{"id": "x<b>y", "version": "1", "title": "<script>alert(3)</script>",
 "scale": {"min": 1, "max": 5},
 "levels": [{"level": 1, "name": "<i>low</i>", "min": 1}, {"level": 2, "name": "high", "min": 3}],
 "dimensions": [
  {"id": "a", "name": "A <img src=y onerror=alert(4)>", "questions": [{"id": "s1", "text": "t"}], "recommendations": {"2": "<a href=javascript:alert(5)>do</a>"}},
  {"id": "b", "name": "B\n# injected heading", "questions": [{"id": "s2", "text": "t"}], "recommendations": {"2": "r | s"}},
  {"id": "c", "name": "C | pipe", "questions": [{"id": "s3", "text": "t"}], "recommendations": {"2": "r"}}]}
EOF
t_run 0 "$DCX" maturity score --assessment "$D/evil.json" --responses "$D/evil.csv" --group-by role --target 4 --format json --output "$D/evil-result.json"
t_run 0 "$DCX" report --input "$D/evil-result.json" --output "$D/evil.html"
if command -v python3 >/dev/null 2>&1; then
    cat >"$D/tags.py" <<'EOF'
import sys
from html.parser import HTMLParser
bad = []
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        if tag in ("img", "script", "iframe", "a", "i", "b", "object", "embed"):
            bad.append(tag)
        for k, v in attrs:
            if k.startswith("on") or (v or "").strip().lower().startswith("javascript:"):
                bad.append(tag + "." + k)
P().feed(open(sys.argv[1], encoding="utf-8").read())
print("elements from data:", bad)
sys.exit(1 if bad else 0)
EOF
    t_ok "python3 '$D/tags.py' '$D/evil.html'" "the maturity HTML report has no element or handler that came from data"
else
    t_report 1 "HTML parsed for injected elements # SKIP python3 not installed"
fi
t_ok "grep -qF '&lt;img src=x onerror=alert(1)&gt;' '$D/evil.html'" "a group name is shown as text"
t_run 0 "$DCX" report --input "$D/evil-result.json" --output "$D/evil.md"
t_ok "! grep -qF '<script>' '$D/evil.md' && ! grep -qF '<img' '$D/evil.md'" "Markdown: no raw tags from data"
t_ok "! grep -q '^# injected heading' '$D/evil.md'" "Markdown: a newline in a name does not start a heading"
t_ok "grep -qF 'C \\| pipe' '$D/evil.md'" "Markdown: a pipe does not break a table"
t_run 0 "$DCX" maturity score --assessment "$D/evil.json" --responses "$D/evil.csv" --group-by role --format markdown
t_lacks "<script>" "the markdown view escapes markup too"

# ---- the terminal: control characters from data are shown, not obeyed ---------------------------
printf 'variant,x\ncontrol,1\ncontrol,0\ntreatment,1\n"tr\033[31meat\007\342\200\256",0\n' >"$D/esc.csv"
t_run 0 "$DCX" analyze --input "$D/esc.csv" --metric x:binary --format table
t_ok "! grep -q \"\$(printf '\\033')\" '$OUT'" "no raw ESC reaches the terminal"
t_has 'tr\x1b[31meat\x07\u202e' "ESC, BEL and a bidi override are shown escaped"
printf 'variant,x\ncontrol,1\ntreatment,"\033]0;pwn\007"\n' >"$D/esc2.csv"
t_run 1 "$DCX" analyze --input "$D/esc2.csv" --metric x:mean
t_ok "! grep -q \"\$(printf '\\033')\" '$ERR'" "nor through an error message"

# ---- SQL -------------------------------------------------------------------------------------------
LONG=$(awk 'BEGIN { for (i = 0; i < 500; i++) printf "c" }')
t_run 2 "$DCX" sql --dialect sqlite --table units --metric revenue:mean --cuped "revenue=${LONG}\"; DROP TABLE units; --"
t_err "at most 255" "a covariate name longer than any warehouse allows is refused, never cut"
NAME254=$(awk 'BEGIN { for (i = 0; i < 230; i++) printf "c" }')'"; DROP TABLE units; --'
if command -v sqlite3 >/dev/null 2>&1; then
    sqlite3 "$D/u.db" ".import --csv $CK units"
    "$DCX" sql --dialect sqlite --table units --metric revenue:mean --cuped "revenue=$NAME254" >"$D/q.sql"
    sqlite3 "$D/u.db" <"$D/q.sql" >/dev/null 2>&1
    t_ok "sqlite3 '$D/u.db' 'SELECT COUNT(*) FROM units' | grep -qx 30000" "a quote in a long name stays inside its identifier: no DROP TABLE"
    sqlite3 "$D/u.db" 'ALTER TABLE units ADD COLUMN "a\b" REAL; UPDATE units SET "a\b" = revenue'
    "$DCX" sql --dialect sqlite --table units --metric 'a\b:mean' >"$D/q2.sql"
    sqlite3 -csv -header "$D/u.db" <"$D/q2.sql" >"$D/s2.csv"
    t_ok "grep -q '^a\\\\b,mean,' '$D/s2.csv'" "SQLite: the label a\\b comes back as a\\b"
else
    t_report 1 "SQL round trips # SKIP sqlite3 not installed"
    t_report 1 "SQL round trips # SKIP sqlite3 not installed"
fi
t_run 0 "$DCX" sql --dialect bigquery --table units --metric 'x\:mean'
t_has '`x\\`' "BigQuery: a backslash at the end of a name is escaped, not an escape of the backtick"
t_has "'x\\\\'" "BigQuery: and doubled in its string literal"
t_run 0 "$DCX" sql --dialect postgres --table units --metric 'x\:mean'
t_has "'x\\'" "PostgreSQL: a backslash in a literal stays one backslash"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=100 --cap revenue=p99
t_err "--cap 'revenue=p99': metric 'revenue' is capped twice" "two --cap for one metric are refused, as analyze refuses them (they were merged)"
t_run 1 "$DCX" run -e 'dcx.sql{dialect = "sqlite", table = "u", metric = {"r:mean"}, cap = {"r=1", "r=2"}}'
t_err "capped twice" "in Lua too"
t_run 2 "$DCX" sql --dialect postgres --table units --metric x:mean --segment "$(printf 'se\tg')"
t_err "control character" "a control character in a name is refused, not dropped"

# ---- result files of every wrong shape ---------------------------------------------------------------
"$DCX" maturity score --assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv --target 3.4 --format json >"$D/m.json"
sed 's/"priority_order": \[/"priority_order": [1, null, /' "$D/m.json" >"$D/m-bad.json"
t_run 1 "$DCX" plot gaps --input "$D/m-bad.json" --output "$D/g.png"
t_err "'priority_order' must be a list of strings" "a non-string in priority_order is an error, not a crash"
sed 's/"warnings": \[\]/"warnings": [{"x": 1}]/' "$D/m.json" >"$D/m-bad2.json"
t_run 1 "$DCX" report --input "$D/m-bad2.json" --output "$D/r.html"
t_err "'warnings' must be a list of strings" "a non-string warning likewise"

# ---- result files cannot run commands through gnuplot -----------------------------------------------
# A closed-set value (here the correction, written into the forest plot's subtitle) that ends
# gnuplot's string and adds a `system` command: the file is refused, nothing runs.
"$DCX" analyze --input "$CK" --metric converted:binary --metric revenue:mean --segment device \
    --correction holm --format json >"$D/a.json"
python3 - "$D" <<'PY'
import json, sys
d = sys.argv[1]
doc = json.load(open(d + "/a.json"))
evil = "holm' at screen 0.5, screen 0.5\nsystem 'touch " + d + "/PWNED'\nset label 98 'x"
bad = dict(doc, correction=evil)
json.dump(bad, open(d + "/evil-correction.json", "w"))
bad = dict(doc, method="frequentist'\nsystem 'touch " + d + "/PWNED2'")
json.dump(bad, open(d + "/evil-method.json", "w"))
rows = [dict(r, role="guardrail'\nsystem 'touch " + d + "/PWNED3'") for r in doc["results"]]
json.dump(dict(doc, results=rows), open(d + "/evil-role.json", "w"))
doc["decisions"] = [{"variant": "treatment", "decision": "ship\n<script>x</script>", "reasons": []}]
json.dump(doc, open(d + "/evil-decision.json", "w"))
# text that is not a closed set (a metric name) reaches the script only quoted
rows = [dict(r, metric="m' at 0,0\nsystem 'touch " + d + "/PWNED4'\n#") for r in json.load(open(d + "/a.json"))["results"]]
json.dump(dict(json.load(open(d + "/a.json")), results=rows), open(d + "/evil-metric.json", "w"))
PY
t_run 1 "$DCX" plot forest --input "$D/evil-correction.json" --output "$D/f.svg"
t_err "'correction' must be none, bonferroni, holm, hochberg, bh or by" "a correction outside its set is not a dcx result"
t_run 1 "$DCX" report --input "$D/evil-correction.json" --output "$D/f.html"
t_err "'correction' must be" "the report refuses it too"
t_run 1 "$DCX" plot forest --input "$D/evil-method.json" --output "$D/f.svg"
t_err "'method' must be frequentist, bayesian, sequential or group-sequential" "so is a method outside its set"
t_run 1 "$DCX" plot forest --input "$D/evil-role.json" --output "$D/f.svg"
t_err "'role' must be" "and a role"
t_run 1 "$DCX" report --input "$D/evil-decision.json" --output "$D/f.html"
t_err "'decision' must be ship, no-ship or inconclusive" "and a decision"
t_run 0 "$DCX" plot forest --input "$D/evil-metric.json" --output "$D/f4.svg"
t_run 0 "$DCX" report --input "$D/evil-metric.json" --output "$D/f4.html"
t_ok "[ ! -e '$D/PWNED' ] && [ ! -e '$D/PWNED2' ] && [ ! -e '$D/PWNED3' ] && [ ! -e '$D/PWNED4' ]" "no command from a result file ran"
t_ok "grep -qF 'system' '$D/f4.svg'" "the metric's text is drawn as its text"

# numbers out of their range in a hand-edited result: a df of 1e300 was printed as 39 digits
python3 - "$D" <<'PY'
import json, sys
d = sys.argv[1]
doc = json.load(open(d + "/a.json"))
het = doc["heterogeneity"][0]
json.dump(dict(doc, heterogeneity=[dict(het, df=1e300)]), open(d + "/evil-df.json", "w"))
json.dump(dict(doc, heterogeneity=[dict(het, p_value=2)]), open(d + "/evil-hp.json", "w"))
json.dump(dict(doc, results=[dict(doc["results"][0], p_value=-0.5)] + doc["results"][1:]), open(d + "/evil-p.json", "w"))
r = doc["results"][0]
json.dump(dict(doc, results=[dict(r, control=dict(r["control"], n=2.5))] + doc["results"][1:]), open(d + "/evil-n.json", "w"))
PY
t_run 1 "$DCX" report --input "$D/evil-df.json" --output "$D/f5.md"
t_err "heterogeneity[0]: 'df' must be null or a whole number from 0 to 2^53" "a heterogeneity df of 1e300 is not a dcx result"
t_run 1 "$DCX" report --input "$D/evil-hp.json" --output "$D/f5.html"
t_err "heterogeneity[0]: 'p_value' must be null or a number from 0 to 1" "nor a p-value of 2"
t_run 1 "$DCX" plot forest --input "$D/evil-p.json" --output "$D/f5.svg"
t_err "results[0]: 'p_value' must be null or a number from 0 to 1" "nor a result row's p-value of -0.5"
t_run 1 "$DCX" report --input "$D/evil-n.json" --output "$D/f5.html"
t_err "results[0]: 'n' must be null or a whole number" "nor 2.5 units"
t_ok "[ ! -e '$D/f5.md' ] && [ ! -e '$D/f5.html' ] && [ ! -e '$D/f5.svg' ]" "and nothing is written"

# a hand-edited post-stratified result: the report printed "nan strata", "-1 strata", 309
# digits of strata and "Post-stratified on ''" from a strata that is text, negative or 1e308
# and a column that is null
printf 'variant,y,s\n' >"$D/ps.csv"
awk 'BEGIN { for (i = 0; i < 200; i++) printf "%s,%d,%s\n", (i % 2 ? "control" : "treatment"), i % 9, (i % 3 ? "a" : "b") }' >>"$D/ps.csv"
"$DCX" analyze --input "$D/ps.csv" --metric y:mean --post-stratify s --format json >"$D/ps.json"
python3 - "$D" <<'PY'
import json, sys
d = sys.argv[1]
doc = json.load(open(d + "/ps.json"))
ps, r = doc["post_stratify"], doc["results"][0]
json.dump(dict(doc, post_stratify=dict(ps, strata="many")), open(d + "/evil-ps1.json", "w"))
json.dump(dict(doc, post_stratify=dict(ps, strata=1e308)), open(d + "/evil-ps2.json", "w"))
json.dump(dict(doc, post_stratify=dict(ps, column=None)), open(d + "/evil-ps3.json", "w"))
json.dump(dict(doc, results=[dict(r, strata=-1)] + doc["results"][1:]), open(d + "/evil-ps4.json", "w"))
json.dump(dict(doc, results=[dict(r, variance_reduction="=1+1")] + doc["results"][1:]), open(d + "/evil-ps5.json", "w"))
PY
t_run 0 "$DCX" report --input "$D/ps.json" --output "$D/ps.md"
t_run 1 "$DCX" report --input "$D/evil-ps1.json" --output "$D/f6.md"
t_err "not a dcx result: post_stratify: 'strata' must be a number" "post_stratify.strata as text is not a dcx result"
t_run 1 "$DCX" report --input "$D/evil-ps2.json" --output "$D/f6.html"
t_err "post_stratify: 'strata' must be a whole number from 0 to 1000" "nor 1e308 strata"
t_run 1 "$DCX" report --input "$D/evil-ps3.json" --output "$D/f6.html"
t_err "post_stratify: 'column' must be a string" "nor a column that is null"
t_run 1 "$DCX" plot forest --input "$D/evil-ps4.json" --output "$D/f6.svg"
t_err "results[0]: 'strata' must be null or a whole number from 2 to 1000" "nor a row's -1 strata"
t_run 1 "$DCX" report --input "$D/evil-ps5.json" --output "$D/f6.html"
t_err "results[0]: 'variance_reduction' must be a number or null" "nor a variance reduction that is text"
t_ok "[ ! -e '$D/f6.md' ] && [ ! -e '$D/f6.html' ] && [ ! -e '$D/f6.svg' ]" "and nothing is written"

# ---- numbers -----------------------------------------------------------------------------------------
t_run 0 "$DCX" power --mean 10 --sd 1e-6 --mde 1 --format json
t_has '"n_per_variant": 2,' "huge effect size: the smallest design (R power.t.test gives n = 1.1)"
t_has '"power_achieved": 1,' "and its power is 1, not 6.8e-43"
t_run 0 "$DCX" run -e 'print(dcx.stats.pnt(2, 50, 1e6, false))'
t_has "1.0" "P(T > 2 | df 50, ncp 1e6) = 1 (R pt(2, 50, 1e6, lower.tail = FALSE))"
t_run 0 "$DCX" run -e 'print(dcx.stats.pnt(2, 50, 1e10, false))'
t_has "1.0" "beyond ncp 4e9: no overflow"
t_run 1 "$DCX" srm --counts 1e308,1e300
t_err "more than 2^53" "SRM counts that overflow are an error"
t_run 1 "$DCX" srm --counts 1e308,1e300 --fail-on-srm
t_err "more than 2^53" "and never a pass of the gate"
# a designed share so small that its expected count underflows, or the statistic overflows
t_run 1 "$DCX" srm --counts a=0,b=5000 --weights a=1e-320,b=1
t_err "variant 1's designed share 9.99989e-321 is too small to test: its expected count of 4.99994e-317 units underflows" "a share whose expected count underflows is an error (it once passed with p = 1)"
t_run 1 "$DCX" srm --counts a=0,b=5000 --weights a=1e-320,b=1 --fail-on-srm
t_err "too small to test" "and --fail-on-srm exits 1, not 0"
t_run 1 "$DCX" srm --counts a=5000,b=5000 --weights a=1e-310,b=1 --fail-on-srm
t_err "the chi-square statistic overflows: variant 1's designed share 1e-310 is too small to test" "a statistic that overflows is an error too"
t_run 4 "$DCX" srm --counts a=5000,b=5000 --weights a=1e-300,b=1 --fail-on-srm
t_err "sample ratio mismatch" "a tiny share that can be tested is tested (5,000 units where 5e-297 were expected)"
t_run 0 "$DCX" srm --counts a=0,b=5000 --weights a=1e-300,b=1 --format json
t_has '"mismatch": false' "(and none where none were expected is no mismatch)"
t_run 1 "$DCX" analyze --input "$CK" --metric converted --weights control=1e-320,treatment=1 --fail-on-srm --format json
t_err "--fail-on-srm: the sample ratio check could not be made (variant 1's designed share" "analyze --fail-on-srm with an SRM check that cannot be made exits 1, never 0"
t_ok "[ ! -s '$OUT' ]" "and prints no result"
t_run 0 "$DCX" analyze --input "$CK" --metric converted --weights control=1e-320,treatment=1 --format json
t_has '"mismatch": null' "without the gate the result says the check could not be made"
t_has "too small to test" "and why"
printf 'variant,x\ncontrol,1e308\ntreatment,-1e308\ncontrol,1\ntreatment,2\n' >"$D/huge.csv"
t_run 1 "$DCX" analyze --input "$D/huge.csv" --metric x:mean
t_err "huge.csv:2:2: column 'x': '1e308' is too large" "values near 1e308 are an error with their position"
printf 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross\nx,mean,all,all,control,2,1e200,1e300,,,\nx,mean,all,all,treatment,2,3,5,,,\n' >"$D/huge2.csv"
t_run 1 "$DCX" analyze --summary "$D/huge2.csv" --metric x:mean
t_err "huge2.csv:2:8: metric 'x': the sums are too large for a double" "summary sums whose squares overflow are an error, not 'no units'"

# ---- dates that an offset moves out of the years a label holds ----------------------------------
printf 'variant,x,t\ncontrol,1,9999-12-31T10:00:00Z\ncontrol,0,9999-12-31T23:30:00-01:00\ntreatment,1,9999-12-30\n' >"$D/y10000.csv"
t_run 1 "$DCX" analyze --input "$D/y10000.csv" --metric x --time-column t
t_err "y10000.csv:3:3: column 't': '9999-12-31T23:30:00-01:00' falls outside the years 0001-9999 in UTC" "a timestamp its offset pushes into year 10000 is an error (it was labelled year 0000)"
printf 'variant,x,t\ncontrol,1,0001-01-01T00:30:00+01:00\ntreatment,0,0001-01-02\n' >"$D/y0.csv"
t_run 1 "$DCX" analyze --input "$D/y0.csv" --metric x --time-column t --period month
t_err "y0.csv:2:3: column 't': '0001-01-01T00:30:00+01:00' falls outside" "and one pulled back into year 0"
printf 'variant,x,t\ncontrol,1,9999-12-31T22:30:00-01:00\ntreatment,0,0001-01-01T00:30:00-00:30\ncontrol,0,0001-01-01\ntreatment,1,9999-12-31\n' >"$D/yedge.csv"
t_run 0 "$DCX" analyze --input "$D/yedge.csv" --metric x --time-column t --format json
t_has '"period": "0001-01-01"' "the first day of year 1 in UTC is a period"
t_has '"period": "9999-12-31"' "and so is the last day of 9999"

# ---- NUL in JSON ---------------------------------------------------------------------------------------
printf '{"key": "checkout\\u0000-x", "variants": [{"name": "a"}, {"name": "b"}]}' >"$D/nul.json"
t_run 1 "$DCX" assign --config "$D/nul.json" --id u1
t_err "nul.json:1:18: a \\u0000 escape" "a \\u0000 escape is refused with its position"
printf '{"key": "check\000out", "variants": [{"name": "a"}, {"name": "b"}]}' >"$D/nul2.json"
t_run 1 "$DCX" assign --config "$D/nul2.json" --id u1
t_err "nul2.json:1:15: a NUL byte" "a raw NUL byte too"
t_run 0 "$DCX" run -e 'print(dcx.json.decode("[\"a\\u0000\"]"))'
t_has "a \\u0000 escape" "dcx.json.decode too"

# ---- metric definitions (--metrics FILE.json) -----------------------------------------------------
# a name that opens with a quote: gnuplot 5.4 reads '''x' as '' then 'x', which broke the plot
cat >"$D/quote-metrics.json" <<EOF
{"metrics": [{"name": "'; system(\"touch $D/PWNED5\"); '", "type": "binary", "column": "converted",
              "role": "guardrail", "margin": "2%", "direction": "increase"},
             {"name": "''.system('touch $D/PWNED6').''", "type": "binary", "column": "converted"},
             {"name": "\u202egnp.exe", "type": "binary", "column": "converted", "role": "goal"}]}
EOF
t_run 0 "$DCX" analyze --input "$CK" --metrics "$D/quote-metrics.json" --plot "$D/quote.svg" --format json --output "$D/quote.json"
t_ok "[ ! -e '$D/PWNED5' ] && [ ! -e '$D/PWNED6' ]" "no command from a metric name ran"
t_ok "grep -qF \"''.system('touch\" '$D/quote.svg' && grep -qF \"'; system(\" '$D/quote.svg'" \
    "names that open with quotes are drawn as their text"
t_run 0 "$DCX" report --input "$D/quote.json" --output "$D/quote.html"
RLO=$(printf '\342\200\256')
t_ok "sed '/<svg/,/<\/svg>/d' '$D/quote.html' | grep -qF '\\u202egnp.exe'" "a bidi override in a name is shown as \\u202e in the report's prose"
t_ok "! sed '/<svg/,/<\/svg>/d' '$D/quote.html' | grep -qF '$RLO'" "and never reorders the sentence around it"
# not a file of definitions: a directory, an endless device, nothing at all
t_run 1 "$DCX" analyze --input "$CK" --metrics "$D"
t_err "is a directory, not a file" "a directory is named as one"
t_run 1 "$DCX" analyze --input "$CK" --metrics /dev/zero
t_err "/dev/zero: file too large" "/dev/zero ends at the size limit"
: >"$D/empty.json"
t_run 1 "$DCX" analyze --input "$CK" --metrics "$D/empty.json"
t_err "empty.json:1:1: malformed JSON" "an empty file is malformed JSON at 1:1"
# a definition's cap, cuped and ratio columns are checked where they stand, not later as flags
for bad in '"cap": "p101"|pQ needs 0 < Q < 100' '"cap": "p1:p101"|pL:pU needs 0 < L < U < 100' \
    '"cap": "1e999"|not a number or a percentile' '"cap": "nan"|not a number or a percentile' \
    '"cap": 0.99|cap '\''0.99'\'' is ambiguous: write revenue=p99'; do
    printf '{"metrics": [{"name": "revenue", "type": "mean",\n  %s}]}\n' "${bad%%|*}" >"$D/cap.json"
    t_run 1 "$DCX" analyze --input "$CK" --metrics "$D/cap.json"
    t_err "cap.json:2:3: metrics[0]: cap" "a cap of ${bad%%|*} is bad data at its line and column"
    t_err "${bad#*|}" "and says why"
done
printf '{"metrics": [{"name": "c", "type": "binary", "column": "converted", "cap": "p99"}]}' >"$D/cap2.json"
t_run 1 "$DCX" analyze --input "$CK" --metrics "$D/cap2.json"
t_err "cap2.json:1:69: metrics[0]: 'cap' applies to mean metrics" "a cap on a binary metric, at its position"
printf '{"metrics": [{"name": "r", "type": "ratio", "numerator": "revenue", "denominator": "sessions", "cuped": "pageviews"}]}' >"$D/cuped.json"
t_run 1 "$DCX" analyze --input "$CK" --metrics "$D/cuped.json"
t_err "cuped.json:1:96: metrics[0]: a ratio metric's 'cuped' is its covariate pair" "CUPED on a ratio with one column, at its position"
printf '{"metrics": [{"name": "r", "type": "mean", "column": "revenue",\n "cuped": "pageviews/sessions"}]}' >"$D/cuped2.json"
t_run 1 "$DCX" analyze --input "$CK" --metrics "$D/cuped2.json"
t_err "cuped2.json:2:2: metrics[0]: 'cuped' of a metric that reads one column is one covariate column" "a covariate pair on a mean metric, at its position"
printf '{"metrics": [{"name": "s", "type": "nps", "cuped": "pre"}]}' >"$D/cuped3.json"
t_run 1 "$DCX" analyze --input "$CK" --metrics "$D/cuped3.json"
t_err "cuped3.json:1:43: metrics[0]: 'cuped' applies to binary, mean and ratio metrics" "CUPED on NPS, at its position"
printf '{"metrics": [{"name": "r", "type": "ratio", "numerator": "a/b", "denominator": "sessions"}]}' >"$D/slash.json"
t_run 1 "$DCX" analyze --input "$CK" --metrics "$D/slash.json"
t_err "slash.json:1:45: metrics[0]: a ratio's numerator column 'a/b' cannot hold '/'" \
    "a numerator with '/' is not split into other columns"

# ---- plots of data-sized things ----------------------------------------------------------------------
awk 'BEGIN { srand(3); printf "variant"; for (m = 1; m <= 10; m++) printf ",metric_with_a_long_name_%03d_%s", m, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; printf "\n";
             for (i = 0; i < 400; i++) { printf "%s", (i % 2 ? "control" : "treatment"); for (m = 1; m <= 10; m++) printf ",%.3f", rand() * m; printf "\n" } }' >"$D/wide.csv"
METRICS=$(head -1 "$D/wide.csv" | tr ',' '\n' | tail -n +2 | sed 's/^/--metric /; s/$/:mean/' | tr '\n' ' ')
# shellcheck disable=SC2086
"$DCX" analyze --input "$D/wide.csv" $METRICS --format json >"$D/wide.json"
t_run 0 "$DCX" plot forest --input "$D/wide.json" --output "$D/wide.svg"
t_ok "grep -c 'metric_with_a_long_name_010_x' '$D/wide.svg' | grep -qv '^0$'" "forest: 10 metrics with names over 128 bytes, all drawn"
awk 'BEGIN { srand(4); print "variant,seg,x"; for (i = 0; i < 12000; i++) printf "%s,s%d,%.3f\n", (i % 2 ? "control" : "treatment"), int(i / 4), rand() }' >"$D/rows.csv"
"$DCX" analyze --input "$D/rows.csv" --metric x:mean --segment seg --format json >"$D/rows.json" 2>/dev/null
t_run 0 "$DCX" plot forest --input "$D/rows.json" --output "$D/rows.png"
t_ok "[ -s '$D/rows.png' ]" "forest PNG with 3000 rows: thinner rows, within cairo's size limit"
t_done
