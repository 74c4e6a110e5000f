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
t_err "module 'os' is not available in --sandbox" "require 'os' through package.cpath is refused"
t_ok "[ ! -e '$D/pwned1' ]" "no command ran"
t_run 1 "$DCX" run --sandbox -e "package.path = '$D/?.lua'; require 'evil'"
t_err "module 'evil' is not available in --sandbox" "require searches no Lua path either"
t_run 0 "$DCX" run --sandbox -e 'print(package.loadlib, package.searchers, package.cpath, dofile, loadfile, string.dump, io, os, debug)'
t_has "nil	nil	nil	nil	nil	nil	nil	nil	nil" "no loadlib, searchers, dofile, loadfile, string.dump, io, os, debug"
t_run 0 "$DCX" run --sandbox -e 'print(require("dcx") == dcx, require("string") == string)'
t_has "true	true" "require still gives dcx and the standard libraries"
# 2. a second copy of the module: the flag lives under a fixed registry key that every copy reads
if [ "$ASAN" = 1 ]; then
    t_report 1 "a second copy of dcx.so honours the sandbox flag # SKIP: an ASan module needs the ASan runtime preloaded"
elif command -v lua5.4 >/dev/null 2>&1; then
    t_run 1 env LUA_CPATH="$DCX_BUILD/?.so" lua5.4 -e "debug.getregistry()['dcx.sandbox'] = true; local d = require 'dcx'; d.csv.writer('$D/pwned2.csv', {'a'})"
    t_err "file writes are not allowed in --sandbox" "a second copy of dcx.so honours the sandbox flag"
    t_ok "[ ! -e '$D/pwned2.csv' ]" "and wrote nothing"
else
    t_report 1 "a second copy of dcx.so # SKIP lua5.4 not installed"
fi
# 3. precompiled chunks: Lua does not verify bytecode
t_run 0 "$DCX" run --sandbox -e 'print(load("\27Lua\84\0\25\147\13\10\26\10\4\8\8", "x", "b"))'
t_has "attempt to load a binary chunk" "load takes text only, whatever mode is asked for"
t_run 0 "$DCX" run --sandbox -e 'print(load("return 1 + x", "c", "t", {x = 41})())'
t_has "42" "text chunks with an environment still load"
# 4. CPU and memory limits
t_run 1 "$DCX" run --sandbox --lua-timeout 0.5 -e 'while true do end'
t_err "CPU time limit of 0.5 s exceeded (--lua-timeout)" "a runaway loop ends with a message"
t_run 1 "$DCX" run --sandbox --lua-timeout 0.5 -e 'while true do pcall(function() while true do end end) end'
t_err "CPU time limit" "pcall cannot swallow the limit"
t_run 1 "$DCX" run --sandbox --lua-timeout 0.5 -e 'coroutine.wrap(function() while true do end end)()'
t_err "CPU time limit exceeded" "a loop in a coroutine is ended too"
t_run 1 "$DCX" run --lua-timeout 0.5 -e 'string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40))'
t_err "CPU time limit exceeded" "a long C call (backtracking pattern) is ended"
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
t_run 0 "$DCX" run --sandbox -e "print(dcx.analyze{input = '$D/passwd', metric = {'x'}})"
t_lacks "root:x:0" "an error about a non-CSV file does not echo its first line"
t_has "does not look like a CSV header" "but says what is wrong"
t_run 1 "$DCX" analyze --input "$D/passwd" --metric x
t_err_lacks "root:x:0" "nor on the command line"

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
    t_ok "sed -n 2p '$D/s2.csv' | grep -q '^a\\\\b,mean,'" "SQLite: the label a\\b comes back as a\\b"
else
    t_report 1 "SQL round trips # SKIP sqlite3 not installed"
    t_report 1 "SQL round trips # SKIP sqlite3 not installed"
fi
t_run 0 "$DCX" sql --dialect bigquery --table units --metric 'x\:mean'
t_has '`x\\`' "BigQuery: a backslash at the end of a name is escaped, not an escape of the backtick"
t_has "'x\\\\'" "BigQuery: and doubled in its string literal"
t_run 0 "$DCX" sql --dialect postgres --table units --metric 'x\:mean'
t_has "'x\\'" "PostgreSQL: a backslash in a literal stays one backslash"
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
printf 'variant,x\ncontrol,1e308\ntreatment,-1e308\ncontrol,1\ntreatment,2\n' >"$D/huge.csv"
t_run 1 "$DCX" analyze --input "$D/huge.csv" --metric x:mean
t_err "huge.csv:2:2: column 'x': '1e308' is too large" "values near 1e308 are an error with their position"
printf 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross\nx,mean,all,all,control,2,1e200,1e300,,,\nx,mean,all,all,treatment,2,3,5,,,\n' >"$D/huge2.csv"
t_run 1 "$DCX" analyze --summary "$D/huge2.csv" --metric x:mean
t_err "huge2.csv:2:8: metric 'x': the sums are too large for a double" "summary sums whose squares overflow are an error, not 'no units'"

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
t_err "cuped.json:1:96: metrics[0]: 'cuped' applies to binary and mean metrics" "CUPED on a ratio, at its position"
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
