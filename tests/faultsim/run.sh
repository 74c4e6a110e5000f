#!/bin/bash
# run.sh — SQLite's faultsim habit for dcx: every allocation of a run fails in turn.
#
# usage: tests/faultsim/run.sh DCX FAULTSIM.so [CASE-NAME-PATTERN]
#
# Each case below is one dcx command line on small inputs. A clean run, with faultsim.so
# loaded but failing nothing, counts the allocations and records the outputs; then runs
# N = 1 .. count each fail the N-th allocation. A run passes when it
#   - exits 1 with "out of memory" on stderr (or "Cannot allocate memory": libc's text when
#     the allocation that failed was inside a libc call that reports through errno) and
#     leaves no output file behind, not even a temporary one, or
#   - exits 0 with standard output, standard error and output file identical to the clean
#     run's (libc falls back silently when, say, a stdio buffer cannot be had).
# A signal, a sanitizer report, any other exit status or a different output is a failure.
# Every command is here except dcx run, whose allocations are the Lua interpreter's. To see
# where run N fails: the reproduce line printed with a failure, under gdb with
# `break faultsim_failing`.
#
# Environment:
#   FAULTSIM_STRIDE=K   test the first FAULTSIM_DENSE (default 500) allocations of a case,
#                       then only every K-th (default 1: every allocation)
#   FAULTSIM_JOBS=J     runs at a time (default: the number of processors)
#   FAULTSIM_GNUPLOT=P  the gnuplot dcx runs (default: fake_gnuplot.sh beside this script,
#                       which writes gnuplot's script and data as the picture)
#   FAULTSIM_PERSIST=1  fail every allocation from the N-th on, not only the N-th
#   FAULTSIM_KEEP=DIR   keep every failure in DIR/failures.txt, and each failing run's
#                       standard error as DIR/CASE-N.stderr
#   FAULTSIM_VERBOSE=1  also print a line per case
# Exit status 0 when every run passes, 1 otherwise.
set -u
if [ $# -lt 2 ]; then
    echo "usage: $0 DCX FAULTSIM.so [CASE-NAME-PATTERN]" >&2
    exit 2
fi
DCX=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SO=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
PATTERN=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STRIDE=${FAULTSIM_STRIDE:-1}
DENSE=${FAULTSIM_DENSE:-500}
JOBS=${FAULTSIM_JOBS:-$(nproc 2>/dev/null || echo 2)}
GNUPLOT=${FAULTSIM_GNUPLOT:-$HERE/fake_gnuplot.sh}
PERSIST=${FAULTSIM_PERSIST:-0}
KEEP=${FAULTSIM_KEEP:-}
W=$(mktemp -d "${TMPDIR:-/tmp}/dcx-faultsim.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
[ -n "$KEEP" ] && mkdir -p "$KEEP"

# the sanitizers: the shim goes in front of libasan, so ASan's link-order check is off;
# a report makes the run fail, and is recognised on stderr whatever the exit status
export ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"
export DCX_PROGRESS=never
export DCX_GNUPLOT=$GNUPLOT
unset DCX_FAULTSIM_N DCX_FAULTSIM_PERSIST DCX_FAULTSIM_REPORT DCX_FAULTSIM_SPARE
# libxlsxwriter dereferences the results of its own failed allocations (its author prefers
# a crash to a possibly corrupt workbook: jmcnamara/libxlsxwriter#345), so the allocations
# made by it and by the zip code under it are spared: the Excel cases fail every
# allocation dcx makes while building the workbook, none of the writer's.
SPARE=libxlsxwriter.so:libminizip.so:libz.so

# ---- inputs: the small shipped files, and results made by a clean dcx ----------------------
E=$ROOT/examples
T=$ROOT/tests/data
U=$HERE/units.csv
I=$W/in
mkdir -p "$I"
setup() {
    "$DCX" aggregate --input "$U" --metric converted:binary --metric revenue:mean --segment device \
        --cuped revenue=pre_revenue --output "$I/sum.csv" &&
    awk 'NR == 1 || NR % 2 == 0' "$U" >"$I/units_a.csv" && awk 'NR == 1 || NR % 2 == 1' "$U" >"$I/units_b.csv" &&
    "$DCX" aggregate --input "$I/units_a.csv" --metric converted:binary --metric revenue:mean --segment device \
        --cuped revenue=pre_revenue --output "$I/sum_a.csv" &&
    "$DCX" aggregate --input "$I/units_b.csv" --metric converted:binary --metric revenue:mean --segment device \
        --cuped revenue=pre_revenue --output "$I/sum_b.csv" &&
    "$DCX" aggregate --input "$U" --metric revenue:quantile=0.9 --segment device --output "$I/sum_q.csv" &&
    "$DCX" analyze --input "$U" --metric converted:binary --metric revenue:mean --segment device \
        --time-column day --correction holm --format json --output "$I/freq.json" &&
    "$DCX" analyze --input "$U" --metric converted:binary --method bayesian --format json \
        --output "$I/bayes.json" &&
    { cat "$U"; printf 'u001,rich,mobile,2026-03-05,1,10,5,1,7\n,,desktop,2026-03-05,0,0,1,1,5\n'; } >"$I/dirty.csv" &&
    "$DCX" analyze --input "$I/dirty.csv" --metric converted:binary --metric revenue:mean \
        --unit-column user_id --where device!=tablet --cap revenue=p90 --cap-ignore-zeros revenue \
        --format json --output "$I/health.json" &&
    "$DCX" analyze --input "$E/checkout_guardrails.csv" --metric converted:binary --format json \
        --output "$I/gd.json" &&
    "$DCX" power --baseline 0.1 --mde 0.02 --format json --output "$I/power.json" &&
    "$DCX" maturity score --assessment "$T/maturity_small.json" --responses "$T/maturity_long.csv" \
        --group-by team --targets "$T/maturity_targets.json" --format json --output "$I/score.json" &&
    "$DCX" maturity compare --assessment "$T/maturity_small.json" --before "$T/maturity_long.csv" \
        --after "$I/after.csv" --target 6 --format json --output "$I/compare.json" &&
    awk 'BEGIN { print "user_id"; for (i = 0; i < 300000; i++) printf "user-%08d-%04d@example.com\n", i, i % 9999 }' \
        >"$I/ids_9mb.csv" # over 8 MB: assign reads it in two halves at once
}
# a second round for compare: every answer one point higher where the scale allows
awk -F, 'BEGIN { OFS = "," } NR > 1 && $3 ~ /^[0-9]+$/ && $3 < 10 { $3 = $3 + 1 } { print }' \
    "$T/maturity_long.csv" >"$I/after.csv"
if ! setup 2>"$W/setup.err"; then
    echo "faultsim: making the inputs failed:" >&2
    cat "$W/setup.err" >&2
    exit 1
fi

# ---- the cases: COMMAND NAME ARGS... (@D@ is the run's own directory: the files a command
# writes are named out.* there) -----------------------------------------------------------------
NC=0
add() {
    C_CMD[NC]=$1
    C_NAME[NC]=$2
    shift 2
    local IFS=$'\x1f'
    C_ARGS[NC]="$*"
    NC=$((NC + 1))
}
add assign assign-one assign --config "$E/experiments/checkout-redesign.json" --id José --format json
add assign assign-file assign --config "$E/experiments/checkout-redesign.json" \
    --config "$E/experiments/express-pay.json" --input "$E/customer_ids.csv" --id-column user_id --output @D@/out.csv
add assign assign-halves assign --config "$E/experiments/checkout-redesign.json" --input "$I/ids_9mb.csv" \
    --output @D@/out.csv
add analyze analyze-segments analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --metric rps:ratio=revenue/sessions --segment device --correction holm --guardrail revenue=5% \
    --direction converted=increase --output @D@/out.json
add analyze analyze-time-cuped analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --time-column day --period week --cuped revenue=pre_revenue --cap revenue=p90 --format table
add analyze analyze-bayesian analyze --input "$U" --metric converted:binary --metric score:nps \
    --method bayesian --segment device --format markdown --output @D@/out.md
add analyze analyze-sequential analyze --input "$U" --metric revenue:mean --metric pre_revenue:quantile=0.5 \
    --method sequential --variants control,treatment,rich --weights 0.4,0.3,0.3 --format csv --output @D@/out.csv
add analyze analyze-exact analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --test fisher --control rich --one-sided --output @D@/out.json
add analyze analyze-exact-mw analyze --input "$U" --metric revenue:mean --test mann-whitney \
    --segment device --output @D@/out.json
add analyze analyze-summary analyze --summary "$I/sum_a.csv" "$I/sum_b.csv" --metric converted:binary \
    --metric revenue:mean --cuped revenue=pre_revenue --segment device --output @D@/out.json
add analyze analyze-config-plot analyze --input "$U" --metric converted:binary \
    --config "$E/experiments/onboarding.json" --variant-column variant --plot @D@/out.plot.svg --output @D@/out.json
add analyze analyze-health analyze --input "$I/dirty.csv" --metric converted:binary --metric revenue:mean \
    --metric rps:ratio=revenue/sessions --unit-column user_id --where device!=tablet --cap revenue=p90 \
    --cap rps=p80 --cap-ignore-zeros rps --format table
add analyze analyze-health-md analyze --input "$I/dirty.csv" --metric revenue:mean \
    --where device=mobile,desktop --unit-column user_id --cap revenue=p1:p99 --format markdown
add analyze analyze-xlsx analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --segment device --format xlsx --output @D@/out.xlsx
add analyze analyze-metrics-file analyze --input "$U" --metrics "$HERE/metrics.json" --goal rps \
    --segment device --format table
add analyze analyze-goals-sequential analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --goal converted --goal revenue --method sequential --time-column day --format table
add analyze analyze-bayes-guardrail analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --goal converted --guardrail revenue=5% --direction revenue=decrease --method bayesian --output @D@/out.json
add analyze analyze-group-sequential analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --goal converted --guardrail revenue=5% --direction revenue=increase --method group-sequential \
    --looks 6 --spending pocock --time-column day --period week --correction holm --output @D@/out.json
add analyze analyze-relative-prior analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --method bayesian --prior revenue=0,0.1 --difference relative --format table
add analyze analyze-post-stratify analyze --input "$U" --metric converted:binary --metric revenue:mean \
    --post-stratify device --cuped revenue=pre_revenue --segment score --format table
add analyze analyze-post-stratify-bayes analyze --input "$U" --metric revenue:mean \
    --metric rps:ratio=revenue/sessions --post-stratify score \
    --method bayesian --format json
add analyze analyze-sequential-one-sided analyze --input "$U" --metric revenue:mean --method sequential \
    --one-sided --difference relative --time-column day --output @D@/out.json
add aggregate aggregate-input aggregate --input "$U" --metric converted:binary --metric revenue:mean \
    --metric rps:ratio=revenue/sessions --segment device --cuped revenue=pre_revenue --output @D@/out.csv
add aggregate aggregate-merge aggregate --merge "$I/sum_a.csv" "$I/sum_b.csv" --output @D@/out.csv
add aggregate aggregate-quantile aggregate --input "$U" --metric revenue:quantile=0.9 --metric converted:binary \
    --segment device --output @D@/out.csv
add analyze analyze-summary-quantile analyze --summary "$I/sum_q.csv" --metric revenue:quantile=0.9 \
    --segment device --output @D@/out.json
add "maturity score" score-long maturity score --assessment "$T/maturity_small.json" \
    --responses "$T/maturity_long.csv" --group-by team --targets "$T/maturity_targets.json" --output @D@/out.json
add "maturity score" score-wide maturity score --assessment "$ROOT/assessments/dcx-pulse.json" \
    --responses "$T/pulse_wide.csv" --group-by role --target 3.5 --lenient --format table
add "maturity score" score-export maturity score --assessment "$ROOT/assessments/dcx-pulse.json" \
    --responses "$ROOT/tests/data/exports/qualtrics.csv" --respondent-column ResponseId --skip-rows 2 \
    --map "$ROOT/tests/data/exports/qualtrics_codebook.csv" --group-by Q2 --min-group-size 3 --na 98 --output @D@/out.json
add "maturity score" score-monkey maturity score --assessment "$ROOT/assessments/dcx-pulse.json" \
    --responses "$ROOT/tests/data/exports/surveymonkey.csv" --header-rows 2 --respondent-column "Respondent ID" \
    --encoding windows-1252 --format table
add "maturity score" score-depth maturity score --assessment "$ROOT/tests/data/depth.json" \
    --responses "$ROOT/tests/data/depth.csv" --group-by team --group-by region --weight-column w \
    --norms "$ROOT/tests/data/depth_norms.csv" --target 3.5 --items --format table
add "maturity score" score-depth-xlsx maturity score --assessment "$ROOT/tests/data/depth.json" \
    --responses "$ROOT/tests/data/depth.csv" --group-by team --group-by region --target 3.5 --output @D@/out.xlsx
add "maturity compare" compare-paired maturity compare --assessment "$ROOT/tests/data/depth.json" \
    --before "$ROOT/tests/data/depth.csv" --after "$ROOT/tests/data/depth_after.csv" --paired --group-by team --format table
add "maturity score" score-md maturity score --assessment "$T/maturity_small.json" \
    --responses "$T/maturity_long.csv" --target 6 --format markdown --output @D@/out.md
add "maturity score" score-csv maturity score --assessment "$T/maturity_small.json" \
    --responses "$T/maturity_long.csv" --group-by team --format csv --output @D@/out.csv
add "maturity score" score-xlsx maturity score --assessment "$T/maturity_small.json" \
    --responses "$T/maturity_long.csv" --group-by team --target 6 --format xlsx --output @D@/out.xlsx
add "maturity compare" compare-json maturity compare --assessment "$T/maturity_small.json" \
    --before "$T/maturity_long.csv" --after "$I/after.csv" --group-by team --target 6 --output @D@/out.json
add "maturity compare" compare-table maturity compare --assessment "$T/maturity_small.json" \
    --before "$T/maturity_long.csv" --after "$I/after.csv" --targets "$T/maturity_targets.json" --format table
add "maturity compare" compare-xlsx maturity compare --assessment "$T/maturity_small.json" \
    --before "$T/maturity_long.csv" --after "$I/after.csv" --target 6 --format xlsx --output @D@/out.xlsx
add bandit bandit-top-two bandit --input "$I/gd.json" --metric converted --top-two \
    --config "$E/experiments/checkout-redesign.json" --output @D@/out.json
add bandit bandit-key bandit --input "$I/gd.json" --metric converted --key next --min-weight 0.05
add report report-analysis-html report --input "$I/freq.json" --output @D@/out.html --title "Checkout <test>"
add report report-health-md report --input "$I/health.json" --output @D@/out.md
add report report-bayes-md report --input "$I/bayes.json" --output @D@/out.md
add report report-score-html report --input "$I/score.json" --output @D@/out.html
add report report-score-md report --input "$I/score.json" --output @D@/out.md
add report report-compare-html report --input "$I/compare.json" --output @D@/out.html
add plot plot-forest plot forest --input "$I/freq.json" --output @D@/out.svg --measure lift --title "Lift"
add plot plot-timeline plot timeline --input "$I/freq.json" --output @D@/out.png
add plot plot-posterior plot posterior --input "$I/bayes.json" --output @D@/out.pdf
add plot plot-power plot power --input "$I/power.json" --output @D@/out.svg
add plot plot-radar plot radar --input "$I/score.json" --output @D@/out.svg
add plot plot-radar-compare plot radar --input "$I/compare.json" --output @D@/out.png
add plot plot-gaps plot gaps --input "$I/score.json" --output @D@/out.svg
add power power-binary power --baseline 0.031 --mde 0.10 --relative --daily-units 12000 \
    --plot @D@/out.plot.svg --output @D@/out.json
add power power-mean power --mean 58.2 --sd 41.7 --mde 1.5 --ratio 2 --variants 3 --format table
add power power-solve power --baseline 0.1 --n 5000 --mde 0.02 --format csv
add power power-large-ncp power --mean 100 --sd 1 --mde 1 --n 100000 --format json
add power power-sequential power --baseline 0.1 --mde 0.01 --sequential --current-n 4000 \
    --config "$E/experiments/onboarding.json" --format json
add srm srm-config srm --counts control=3020,short=2950,guided=4030 \
    --config "$E/experiments/onboarding.json" --format table
add srm srm-weights srm --counts 5200,4800 --variants control,treatment --weights 0.5,0.5 \
    --output @D@/out.json
add "maturity validate" validate maturity validate --assessment "$T/maturity_small.json" \
    --responses "$T/maturity_long.csv" --output @D@/out.json
add "maturity template" template-long maturity template --assessment "$T/maturity_small.json" \
    --respondents 2 --attributes role,team --output @D@/out.csv
add "maturity template" template-md maturity template --assessment "$ROOT/assessments/dcx-pulse.json" \
    --format markdown
add sql sql-postgres sql --dialect postgres --table web.units --metric converted:binary \
    --metric revenue:mean --metric rps:ratio=revenue/sessions --segment device --cuped revenue=pre_revenue
add sql sql-bigquery sql --dialect bigquery --table p.d.units --metric revenue:mean --metric score:nps \
    --cap revenue=p1:p99 --segment device --output @D@/out.sql
add sql sql-spark sql --dialect spark --table units --metric revenue:mean --metric load:quantile=0.9 \
    --metric converted:binary --cap revenue=p99 --cap-ignore-zeros revenue --cap-approx --segment device \
    --segment country --output @D@/out.sql
add sql sql-metrics-file sql --dialect duckdb --table units --metrics "$HERE/metrics.json" \
    --metric sessions:mean --segment device --output @D@/out.sql
add sql sql-sqlite sql --dialect sqlite --table units --metric revenue:mean --metric load:quantile=0.5 \
    --cap revenue=p1:p99 --segment device --output @D@/out.sql

# ---- running and judging one run -----------------------------------------------------------
# (bash builtins where a run passes, so that the loop's time is dcx's time)

# run_one CASE N DIR: runs case CASE failing allocation N (0: none) with its files in DIR
run_one() {
    local c=$1 n=$2 d=$3 a
    local IFS=$'\x1f'
    local -a args=() old=("$d"/out.*)
    for a in ${C_ARGS[c]}; do
        args+=("${a//@D@/$d}")
    done
    [ -e "${old[0]}" ] && rm -f "${old[@]}"
    # TMPDIR is the run's directory, so a temporary file left behind is seen there
    TMPDIR=$d LD_PRELOAD=$SO DCX_FAULTSIM_N=$n DCX_FAULTSIM_PERSIST=$PERSIST DCX_FAULTSIM_REPORT=$d/report \
        DCX_FAULTSIM_SPARE=$SPARE "$DCX" "${args[@]}" >"$d/stdout" 2>"$d/stderr" </dev/null
}

# the same content: byte for byte, except a workbook's creation time (docProps/core.xml)
same_file() {
    cmp -s "$1" "$2" && return 0
    case $1 in
    *.xlsx) python3 - "$1" "$2" <<'EOF'
import sys, zipfile
def parts(p):
    with zipfile.ZipFile(p) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
sys.exit(0 if parts(sys.argv[1]) == parts(sys.argv[2]) else 1)
EOF
        ;;
    *) return 1 ;;
    esac
}

# judge CASE DIR REF RC: sets WHY to why the run failed, or to "" when it passed
judge() {
    local c=$1 d=$2 ref=$3 rc=$4 f err="" first
    local -a got=("$d"/*) want=("$ref"/*)
    IFS= read -r -d '' err <"$d/stderr"
    first=${err%%$'\n'*}
    WHY=
    if [[ $err == *"ERROR: AddressSanitizer"* || $err == *"ERROR: LeakSanitizer"* ||
          $err == *"runtime error:"* || $err == *"Sanitizer:DEADLYSIGNAL"* ]]; then
        WHY="sanitizer report: $(grep -m1 -E 'ERROR: |runtime error:' "$d/stderr")"
    elif [ "$rc" -ge 128 ]; then
        WHY="killed by signal $((rc - 128))"
    elif [ "$rc" = 0 ]; then
        if ! cmp -s "$d/stdout" "$ref/stdout"; then
            WHY="exit 0 with a different standard output"
        elif ! cmp -s "$d/stderr" "$ref/stderr"; then
            WHY="exit 0 with a different standard error: $(diff "$ref/stderr" "$d/stderr" | sed -n 2p)"
        elif [ "${got[*]##*/}" != "${want[*]##*/}" ]; then
            WHY="exit 0 with other files: ${got[*]##*/}"
        else
            for f in "$ref"/out.*; do
                if [ -e "$f" ] && ! same_file "$d/${f##*/}" "$f"; then
                    WHY="exit 0 with a different ${f##*/}"
                    break
                fi
            done
        fi
    elif [ "$rc" = 1 ]; then
        if [[ $err != *"out of memory"* && $err != *"Cannot allocate memory"* ]]; then
            WHY="exit 1 without 'out of memory': $first"
        elif [ "${got[*]##*/}" != "report stderr stdout" ]; then
            WHY="exit 1 leaving files behind: ${got[*]##*/}"
        fi
    else
        WHY="exit $rc: $first"
    fi
}

# worker CASE W TOTAL: runs every N of the case with N mod JOBS = W, one line per failure
worker() {
    local c=$1 w=$2 total=$3 ref=$W/c$1/ref d=$W/c$1/w$2 n rc
    mkdir -p "$d"
    n=$((w == 0 ? JOBS : w))
    while [ "$n" -le "$total" ]; do
        if [ "$n" -le "$DENSE" ] || [ $(((n - DENSE) % STRIDE)) = 0 ]; then
            run_one "$c" "$n" "$d"
            rc=$?
            judge "$c" "$d" "$ref" "$rc"
            echo "$n" >>"$W/c$c/runs.$w"
            if [ -n "$WHY" ]; then
                echo "$n $WHY" >>"$W/c$c/fail.$w"
                if [ -n "$KEEP" ]; then
                    cp "$d/stderr" "$KEEP/${C_NAME[c]}-$n.stderr"
                    echo "${C_NAME[c]} $n $WHY" >>"$KEEP/failures.txt"
                fi
            fi
        fi
        n=$((n + JOBS))
    done
}

declare -A RUNS FAILS SECS
ORDER=()
status=0
for ((c = 0; c < NC; c++)); do
    [ -n "$PATTERN" ] && [[ ${C_NAME[c]} != *$PATTERN* ]] && continue
    ref=$W/c$c/ref
    mkdir -p "$ref"
    start=$(date +%s)
    run_one "$c" 0 "$ref"
    rc=$?
    total=$(awk '{ print $2 }' "$ref/report" 2>/dev/null)
    if [ "$rc" != 0 ] || [ -z "$total" ]; then
        echo "faultsim: ${C_NAME[c]}: the clean run failed (exit $rc):" >&2
        head -n 5 "$ref/stderr" >&2
        status=1
        continue
    fi
    for ((w = 0; w < JOBS; w++)); do # (bash's own "Segmentation fault" lines to /dev/null)
        worker "$c" "$w" "$total" 2>/dev/null &
    done
    wait
    runs=$(cat "$W/c$c"/runs.* 2>/dev/null | wc -l)
    fails=$(cat "$W/c$c"/fail.* 2>/dev/null | wc -l)
    k=${C_CMD[c]}
    [ -z "${RUNS[$k]:-}" ] && ORDER+=("$k")
    RUNS[$k]=$((${RUNS[$k]:-0} + runs))
    FAILS[$k]=$((${FAILS[$k]:-0} + fails))
    SECS[$k]=$((${SECS[$k]:-0} + $(date +%s) - start))
    [ "${FAULTSIM_VERBOSE:-0}" = 1 ] &&
        echo "faultsim   ${C_NAME[c]}: $total allocations, $runs runs, $fails failures"
    if [ "$fails" -gt 0 ]; then
        status=1
        sort -n "$W/c$c"/fail.* | head -n 20 | while read -r n why; do
            echo "FAIL ${C_NAME[c]} N=$n: $why"
        done
        [ "$fails" -gt 20 ] && echo "FAIL ${C_NAME[c]}: ... $((fails - 20)) more"
        n=$(sort -n "$W/c$c"/fail.* | head -n 1 | cut -d' ' -f1)
        ( IFS=$'\x1f'; set -- ${C_ARGS[c]}
          printf '  reproduce (@D@: a directory): DCX_FAULTSIM_N=%s LD_PRELOAD=%s %s' "$n" "$SO" "$DCX"
          printf ' %q' "$@"; echo )
    fi
done
for k in "${ORDER[@]}"; do
    echo "faultsim $k: ${RUNS[$k]} runs, ${FAILS[$k]} failures (${SECS[$k]} s)"
done
exit $status
