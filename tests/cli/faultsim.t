#!/bin/sh
# The failing allocator (tests/faultsim/faultsim.c) and its loop keep working: the
# allocator counts, fails the N-th call and only that one, leaves a program dcx starts
# alone; one small command goes through the loop. The loop over every command is
# make faultsim (run by make sanitize).
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
SO=$DCX_BUILD/faultsim.so
if [ ! -f "$SO" ]; then
    echo "1..0 # SKIP $SO not built (make $SO)"
    exit 0
fi
export ASAN_OPTIONS="verify_asan_link_order=0:${ASAN_OPTIONS:-}"
fs() { # fs N CMD...: CMD with the N-th allocation failing (0: none), the count in $D/report
    n=$1
    shift
    rm -f "$D/report"
    LD_PRELOAD=$SO DCX_FAULTSIM_N=$n DCX_FAULTSIM_REPORT=$D/report "$@"
}
SQL="--dialect sqlite --table t --metric x:mean"

t_run 0 fs 0 "$DCX" sql $SQL
t_ok "grep -Eq '^calls [1-9][0-9]* failed 0\$' '$D/report'" "a clean run counts its allocations"
calls=$(awk '{ print $2 }' "$D/report")
cp "$OUT" "$D/clean.sql"
t_run 1 fs 1 "$DCX" sql $SQL
t_err "out of memory" "the first allocation fails: 'out of memory'"
t_ok "grep -q 'failed 1\$' '$D/report'" "and only that one fails"
t_run 1 fs "$calls" "$DCX" sql $SQL
t_err "out of memory" "the last allocation fails: 'out of memory'"
t_run 0 fs $((calls + 1)) "$DCX" sql $SQL
t_same "$D/clean.sql" "past the last allocation nothing fails"

# gnuplot, started by dcx, runs without the allocator and its variables
"$DCX" power --baseline 0.1 --mde 0.02 --format json >"$D/p.json"
cat >"$D/gp.sh" <<'EOF'
#!/bin/sh
env | grep -E '^(LD_PRELOAD|DCX_FAULTSIM)' >"$GP_ENV"
echo '<svg/>' >out.svg
EOF
chmod +x "$D/gp.sh"
t_run 0 env GP_ENV="$D/env" DCX_GNUPLOT="$D/gp.sh" DCX_FAULTSIM_PERSIST=1 sh -c \
    "LD_PRELOAD='$SO' DCX_FAULTSIM_N=0 '$DCX' plot power --input '$D/p.json' --output '$D/p.svg'"
t_ok "[ -f '$D/env' ] && [ ! -s '$D/env' ]" "gnuplot sees neither LD_PRELOAD nor DCX_FAULTSIM_*"

# the loop itself, over one command
t_run 0 tests/faultsim/run.sh "$DCX" "$SO" sql-postgres
t_has "faultsim sql: " "the loop reports its runs"
t_has ", 0 failures" "and no failure"
t_done
