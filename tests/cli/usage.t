#!/bin/sh
# Usage slips get a usage error (exit 2) that says what dcx takes and suggests what was
# probably meant: short options, stray words, misspelt options and commands; `analyse` is
# `analyze`; several summary files after --summary still join the list.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
CK=$DCX_ROOT/examples/checkout_test.csv

# a short option: dcx takes long options, and the nearest one is named
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary -o "$D/out.json"
t_err "unknown option '-o': dcx takes long options" "-o is refused as a short option"
t_err "did you mean '--output'?" "and --output is suggested"
t_ok "[ ! -e '$D/out.json' ] && [ ! -s '$OUT' ]" "nothing is written"
t_run 2 "$DCX" analyze --input "$CK" -f json --metric converted:binary
t_err "did you mean '--format'?" "-f suggests --format"
t_run 2 "$DCX" analyze -i "$CK" --metric converted:binary
t_err "did you mean '--input'?" "-i suggests --input"
t_run 2 "$DCX" power -5
t_err "unknown option '-5': dcx takes long options (--name VALUE); see 'dcx power --help'" \
    "a word with a dash and nothing near: no suggestion, the help named"

# a stray word: after a repeatable option it is that option's second value
t_run 2 "$DCX" analyze --input "$CK" --metric converted revenue
t_err "unexpected argument 'revenue': dcx takes long options, one value each; did you mean '--metric revenue'?" \
    "a second value without its flag: the flag is suggested with it"
t_run 2 "$DCX" analyze --input "$CK" --one-sided metric converted
t_err "unexpected argument 'metric'" "a stray word is named"
t_err "did you mean '--metric'?" "and the option it resembles"
t_run 2 "$DCX" plot forest extra --input x.json --output "$D/p.png"
t_err "unexpected argument 'extra'" "a command that takes one word refuses a second"

# a misspelt option or command
t_run 2 "$DCX" analyze --input "$CK" --metrc converted
t_err "unknown option '--metrc' for 'analyze'; did you mean '--metric'?" "misspelt option"
t_run 2 "$DCX" analyze --input "$CK" --metric converted --weight control=50,treatment=50
t_err "did you mean '--weights'?" "singular for plural"
t_run 2 "$DCX" analyze --input "$CK" --zzzzzz 1
t_err "unknown option '--zzzzzz' for 'analyze'; see 'dcx analyze --help'" "nothing near: no suggestion"
t_run 2 "$DCX" analize --input "$CK"
t_err "'analize' is not a dcx command; did you mean 'analyze'?" "misspelt command"
t_run 2 "$DCX" anlayze --input "$CK"
t_err "'anlayze' is not a dcx command; did you mean 'analyze'?" "two letters swapped are one slip (the distance every suggestion shares)"
t_run 2 "$DCX" analyze --input "$CK" --metric converted:binary --tset fisher
t_err "unknown option '--tset' for 'analyze'; did you mean '--test'?" \
    "a short option name with two letters swapped (one slip; two edits would be too many for 4 letters)"
t_run 2 "$DCX" maturty score
t_err "did you mean 'maturity'?" "a command group's word"
t_run 2 "$DCX" rn script.lua
t_err "did you mean 'run'?" "the front end's own commands too"
t_run 2 "$DCX" frobnicate
t_err "'frobnicate' is not a dcx command; see 'dcx --help'" "nothing near: no suggestion"
printf '\033[2Jx' >"$D/esc"
t_run 2 "$DCX" "$(cat "$D/esc")"
t_ok "! grep -q \"$(printf '\033')\" '$ERR'" "a command name from the terminal is shown escaped"

# analyse is analyze
"$DCX" analyze --input "$CK" --metric converted:binary --format json >"$D/a.json"
t_run 0 "$DCX" analyse --input "$CK" --metric converted:binary --format json
t_ok "cmp -s '$D/a.json' '$OUT'" "analyse gives analyze's result"
t_run 0 "$DCX" help analyse
t_has "usage: dcx analyze" "help analyse shows analyze's usage"

# words right after --summary join it, as before
"$DCX" aggregate --input "$CK" --metric converted:binary --output "$D/s.csv"
head -1 "$D/s.csv" >"$D/s1.csv"; head -1 "$D/s.csv" >"$D/s2.csv"
sed -n '2,$p' "$D/s.csv" | awk -F, -v a="$D/s1.csv" -v b="$D/s2.csv" '{ print >> (NR % 2 ? a : b) }'
t_run 0 "$DCX" analyze --summary "$D/s1.csv" "$D/s2.csv" --metric converted:binary --format json
t_has '"n": 14970' "two summary files after one --summary add up"
t_run 2 "$DCX" analyze --metric converted:binary "$D/s1.csv"
t_err "unexpected argument" "a file name elsewhere is a stray word, not a summary"
t_done
