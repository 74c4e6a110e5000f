#!/bin/sh
# Inputs the fuzzers once broke dcx with (tests/fuzz/regressions/): each must now be a
# clean result or a clean error (exit 0 or 1), never a crash or a sanitizer report.
. "$(dirname "$0")/tap.sh"
cd "$DCX_ROOT" || exit 1
R=tests/fuzz/regressions
run_case() { # run_case NAME CMD...: exit 0 or 1 and no sanitizer report
    name=$1
    shift
    "$@" >"$OUT" 2>"$ERR"
    rc=$?
    if [ "$rc" -le 1 ] && ! grep -q "Sanitizer" "$ERR"; then t_report 1 "$name"; else t_report 0 "$name" "exit $rc: $(head -c 300 "$ERR")"; fi
}
for f in "$R"/units/*; do
    [ -f "$f" ] || continue
    run_case "units: $(basename "$f")" "$DCX" analyze --input "$f" --metric a --metric b:mean \
        --metric r:ratio=a/b --metric n:nps --metric c:binary --segment s --time-column t --cuped b=a --format json
done
for f in "$R"/summary/*; do
    [ -f "$f" ] || continue
    run_case "summary: $(basename "$f")" "$DCX" analyze --summary "$f" --metric m:binary --metric x:mean --format json
done
for f in "$R"/config/*; do
    [ -f "$f" ] || continue
    run_case "config: $(basename "$f")" "$DCX" assign --config "$f" --id someone
done
for f in "$R"/assessment/*; do
    [ -f "$f" ] || continue
    run_case "assessment: $(basename "$f")" "$DCX" maturity validate --assessment "$f" --format json
done
for f in "$R"/responses/*; do
    [ -f "$f" ] || continue
    run_case "responses: $(basename "$f")" "$DCX" maturity score --assessment tests/data/maturity_small.json --responses "$f" --lenient --format json
done
printf 'variant,x\ncontrol,1\n\000treatment,0\n' >"$T_DIR/nul.csv"
t_run 1 "$DCX" analyze --input "$T_DIR/nul.csv" --metric x
t_err "a NUL byte in the data" "a NUL byte is a clear error"
t_done
