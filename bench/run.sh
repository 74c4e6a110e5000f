#!/bin/sh
# run.sh — every benchmark, side by side with its reference tool, in one run, ending with a
# one-screen summary table of them all (dcx and reference figures, ratio, target, peak memory).
# Usage: bench/run.sh BUILD_DIR. Figures are wall-clock seconds, best of 3 runs (a slow reference
# tool runs once), with the peak resident memory of the runs (GNU time) and, in the detailed
# lines, their CPU time (user + sys). BENCH_QUICK=1 runs each line once and the simulations
# small, to try the script itself (its figures are not the benchmark's).
# shellcheck disable=SC2154 # measure VAR assigns VAR_t, VAR_cpu and VAR_m by eval
set -eu
B=${1:-build}
cd "$(dirname "$0")/.."
D=$B/bench-data
mkdir -p "$D" "$B/bench"
CFLAGS_B="-std=c11 -O2 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Ilib/include"
LIBS_B="$B/libdcx.a $(pkg-config --libs gsl libcjson) -lcsv -lm -pthread"
RUNS=3
if [ -n "${BENCH_QUICK:-}" ]; then
    RUNS=1
    : "${AA_EXPERIMENTS:=100}" "${LIFT_REPLICATES:=1000}" "${SIM_EXPERIMENTS:=40}"
fi

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", e - s }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
isnum() { awk -v x="$1" 'BEGIN { exit !(x ~ /^[0-9]+(\.[0-9]*)?$/ && x + 0 > 0) }'; }

# measure VAR CMD... : runs CMD $RUNS times (standard output discarded); VAR_t = the best wall
# time in seconds, VAR_cpu = that run's user + sys seconds, VAR_m = the largest peak resident
# memory in MB ("?" without GNU time); all three "FAILED" when a run fails
TM=$B/bench/time.out
measure() { _runs=$RUNS; _measure "$@"; }
measure1() { _runs=1; _measure "$@"; } # one run: a slow reference tool
_measure() {
    _v=$1; shift
    _best=""; _cpu="?"; _m="?"; _i=0
    while [ $_i -lt $_runs ]; do
        _i=$((_i + 1))
        _s=$(now)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f '%U %S %M' -o "$TM" "$@" >/dev/null 2>&1 || { _best=FAILED; break; }
        else
            "$@" >/dev/null 2>&1 || { _best=FAILED; break; }
        fi
        _t=$(elapsed "$_s" "$(now)")
        _c="?"
        if [ -x /usr/bin/time ]; then
            _c=$(awk 'END { printf "%.2f", $1 + $2 }' "$TM")
            _m=$(awk -v m="$_m" 'END { x = $3 / 1024; if (m == "?" || x > m) m = x; printf "%.1f", m }' "$TM")
        fi
        if [ -z "$_best" ] || awk -v t="$_t" -v b="$_best" 'BEGIN { exit !(t < b) }'; then _best=$_t; _cpu=$_c; fi
    done
    [ "$_best" = FAILED ] && { _cpu=FAILED; _m=FAILED; }
    eval "${_v}_t=\$_best ${_v}_cpu=\$_cpu ${_v}_m=\$_m"
}
best3() { measure _b3 "$@"; echo "$_b3_t"; } # the best wall time only

# the summary table: row LABEL DCX_S DCX_MB REFERENCE REF_S REF_MB RATIO TARGET VERDICT
# (a field not measured is "-"), printed at the end
TABLE=$B/bench/summary.tsv
: >"$TABLE"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$TABLE"; }
# ratio A B [FMT]: A / B when both are measured, else "-"
ratio() { if isnum "$1" && isnum "$2"; then calc "${3:-%.1f}x" "$1 / $2"; else echo "-"; fi; }
pct() { if isnum "$1" && isnum "$2"; then calc '%.0f%%' "100 * $1 / $2"; else echo "-"; fi; }
# verdict AWK-CONDITION VAR=VALUE... : "met", "NOT MET", or "-" when a value is not measured
verdict() {
    _c=$1; shift
    for _a in "$@"; do isnum "${_a#*=}" || { echo "-"; return; }; done
    # shellcheck disable=SC2046
    awk $(for _a in "$@"; do printf -- '-v %s ' "$_a"; done) "BEGIN { print (($_c) ? \"met\" : \"NOT MET\") }"
}

echo "dcx benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo

# ---- analyze: 2M units x 5 columns, two metrics, one segment ---------------------------------
if [ ! -s "$D/units_2m.csv" ]; then
    awk 'BEGIN { srand(7); print "user_id,variant,country,converted,revenue"; split("US DE FR UK ES", c, " ");
      for (i = 0; i < 2000000; i++) { v = rand() < 0.5 ? "control" : "treatment"; k = c[1 + int(rand() * 5)];
        conv = rand() < (v == "control" ? 0.031 : 0.034); rev = conv ? sprintf("%.2f", 20 + rand() * 80) : "0";
        printf "u%07d,%s,%s,%d,%s\n", i, v, k, conv, rev } }' >"$D/units_2m.csv"
fi
U=$D/units_2m.csv
MB=$(awk -v b="$(wc -c <"$U")" 'BEGIN { printf "%.1f", b / 1048576 }')
cc $CFLAGS_B -o "$B/bench/csv_parse" bench/csv_parse.c -lcsv
ARGS="--metric converted:binary --metric revenue:mean --segment country --format json"
# shellcheck disable=SC2086
measure an "$B/dcx" analyze --input "$U" $ARGS
measure an1 sh -c "'$B/dcx' analyze --input - $ARGS < '$U'"
measure parse "$B/bench/csv_parse" "$U"
echo "analyze, 2,000,000 units x 5 columns ($MB MB), 2 metrics, 1 segment"
echo "  dcx (2 threads):           $an_t s (cpu $an_cpu s), peak $an_m MB (target < 16 MB)"
echo "  dcx (1 thread, stdin):     $an1_t s (cpu $an1_cpu s), peak $an1_m MB"
echo "  bare libcsv parse:         $parse_t s  -> dcx reaches $(pct "$parse_t" "$an_t") of its throughput (1 thread: $(pct "$parse_t" "$an1_t"); target >= 60%)"
row "analyze 2M rows, 1 thread vs libcsv" "$an1_t" "$an1_m" "bare parse" "$parse_t" "-" \
    "$(pct "$parse_t" "$an1_t")" ">= 60% of parse" "$(verdict 'p / a >= 0.6' p="$parse_t" a="$an1_t")"
# shellcheck disable=SC2086
measure pr env DCX_PROGRESS=always "$B/dcx" analyze --input "$U" $ARGS
echo "  dcx with progress shown:   $pr_t s ($(if isnum "$pr_t" && isnum "$an_t"; then calc '%+.0f' "100 * ($pr_t - $an_t) / $an_t"; else echo "?"; fi)% against $an_t s; progress is a hook called per 64 KiB chunk)"
# shellcheck disable=SC2086
measure acap "$B/dcx" analyze --input "$U" $ARGS --cap revenue=p99
echo "  dcx --cap revenue=p99:     $acap_t s, peak $acap_m MB -> $(ratio "$acap_t" "$an_t") the uncapped run (target: about 2x; a first pass collects the pooled values)"
row "analyze 2M rows --cap revenue=p99" "$acap_t" "$acap_m" "uncapped" "$an_t" "$an_m" "$(ratio "$acap_t" "$an_t")" "about 2x" "$(verdict 'c / a <= 2.5' c="$acap_t" a="$an_t")"
# DuckDB through its node API: the CSV read and aggregated in one process (bench/duckdb_analyze.mjs)
NMD=$B/duckdb-node
if command -v node >/dev/null 2>&1 && [ ! -d "$NMD/node_modules/@duckdb/node-api" ]; then
    mkdir -p "$NMD" && (cd "$NMD" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1) || true
fi
if [ -d "$NMD/node_modules/@duckdb/node-api" ]; then
    cp bench/duckdb_analyze.mjs "$NMD/analyze.mjs"
    DUCK_V=$(node -e "console.log(require('$PWD/$NMD/node_modules/@duckdb/node-api/package.json').version)")
    measure dk node "$NMD/analyze.mjs" "$U"
    echo "  DuckDB $DUCK_V (node API, whole process): $dk_t s (cpu $dk_cpu s), peak $dk_m MB -> dcx is $(ratio "$dk_t" "$an_t") faster (target >= 5x)"
    row "analyze 2M rows, 2 metrics x country" "$an_t" "$an_m" "DuckDB $DUCK_V" "$dk_t" "$dk_m" "$(ratio "$dk_t" "$an_t")" ">= 5x, < 16 MB" \
        "$(verdict 'd / a >= 5 && m < 16' d="$dk_t" a="$an_t" m="$an_m")"
else
    echo "  DuckDB: skipped (node and npm install @duckdb/node-api)"
    row "analyze 2M rows, 2 metrics x country" "$an_t" "$an_m" "DuckDB" "skipped" "-" "-" ">= 5x, < 16 MB" "skipped"
fi
if /usr/bin/python3 -c 'import pandas, scipy, statsmodels' 2>/dev/null; then
    measure1 pd /usr/bin/python3 bench/pandas_analyze.py "$U"
    echo "  pandas + scipy:            $pd_t s (cpu $pd_cpu s), peak $pd_m MB -> dcx is $(ratio "$pd_t" "$an_t") faster (target >= 25x)"
    row "analyze 2M rows, 2 metrics x country" "$an_t" "$an_m" "pandas+scipy" "$pd_t" "$pd_m" "$(ratio "$pd_t" "$an_t")" ">= 25x" "$(verdict 'p / a >= 25' p="$pd_t" a="$an_t")"
else
    echo "  pandas + scipy: skipped (apt-get install python3-pandas python3-scipy python3-statsmodels)"
    row "analyze 2M rows, 2 metrics x country" "$an_t" "$an_m" "pandas+scipy" "skipped" "-" "-" ">= 25x" "skipped"
fi
echo

# ---- assign: 1M ids from CSV to CSV ------------------------------------------------------
if [ ! -s "$D/ids_1m.csv" ]; then
    awk 'BEGIN { print "user_id"; srand(1);
                 for (i = 0; i < 1000000; i++) printf "user-%08d-%04x@example.com\n", i, int(rand() * 65536) }' >"$D/ids_1m.csv"
fi
printf '{"key":"checkout-redesign","variants":[{"name":"control","weight":0.5},{"name":"treatment","weight":0.5}]}' >"$D/exp.json"
measure asg "$B/dcx" assign --config "$D/exp.json" --input "$D/ids_1m.csv" --output "$D/assign_dcx.csv"
node_line="node SDK: skipped (node or @growthbook/growthbook not available)"
sdk_t=skipped sdk_m=-
if command -v node >/dev/null 2>&1; then
    NM=$B/bench-node
    if [ ! -d "$NM/node_modules/@growthbook/growthbook" ]; then
        mkdir -p "$NM" && (cd "$NM" && npm install --silent --no-audit --no-fund @growthbook/growthbook >/dev/null 2>&1) || true
    fi
    if [ -d "$NM/node_modules/@growthbook/growthbook" ]; then
        measure1 sdk env NODE_PATH="$PWD/$NM/node_modules" node bench/growthbook_assign.mjs "$D/ids_1m.csv" "$D/assign_node.csv"
        same=$(cmp -s "$D/assign_dcx.csv" "$D/assign_node.csv" && echo "identical output" || echo "OUTPUT DIFFERS")
        node_line="node SDK: $sdk_t s (cpu $sdk_cpu s), peak $sdk_m MB ($same)"
    fi
fi
echo "assign, 1,000,000 ids CSV -> CSV"
echo "  dcx:      $asg_t s (cpu $asg_cpu s), peak $asg_m MB ($(if isnum "$asg_t"; then calc '%.0f' "1000000 / $asg_t"; else echo "?"; fi) ids/s)"
echo "  $node_line"
isnum "$sdk_t" && echo "  speed-up: $(ratio "$sdk_t" "$asg_t")  (target >= 50x)"
row "assign 1M ids CSV -> CSV" "$asg_t" "$asg_m" "GrowthBook SDK" "$sdk_t" "$sdk_m" "$(ratio "$sdk_t" "$asg_t")" ">= 50x" \
    "$(if [ "$sdk_t" = skipped ]; then echo skipped; else verdict 's / a >= 50' s="$sdk_t" a="$asg_t"; fi)"
cc $CFLAGS_B -o "$B/bench/bench_assign" bench/bench_assign.c $LIBS_B
"$B/bench/bench_assign" 1000000 >"$B/bench/assign_lib.txt"
awk '{ printf "  library, in memory: dcx_assign() %.1f M/s, dcx_assign_many() %.1f M/s, %s (target >= 20 M/s)\n", $3 / 1e6, $4 / 1e6, $5 }' "$B/bench/assign_lib.txt"
many=$(awk '{ printf "%.1f", $4 / 1e6 }' "$B/bench/assign_lib.txt")
row "dcx_assign_many(), in memory" "-" "-" "-" "-" "-" "$many M/s" ">= 20 M/s" "$(verdict 'm >= 20' m="$many")"
echo


# ---- maturity: 100,000 respondents x 60 statements ---------------------------------------------
if [ ! -s "$D/maturity_100k.csv" ]; then
    awk 'BEGIN {
        printf "{\"id\": \"bench\", \"version\": \"1\", \"title\": \"60 statements\", \"scale\": {\"min\": 1, \"max\": 5},\n"
        printf " \"levels\": [{\"level\": 1, \"name\": \"Ad hoc\", \"min\": 1}, {\"level\": 2, \"name\": \"Emerging\", \"min\": 1.8}, {\"level\": 3, \"name\": \"Defined\", \"min\": 2.6}, {\"level\": 4, \"name\": \"Managed\", \"min\": 3.4}, {\"level\": 5, \"name\": \"Embedded\", \"min\": 4.2}],\n \"dimensions\": ["
        for (d = 1; d <= 12; d++) {
            printf "%s{\"id\": \"d%d\", \"name\": \"Dimension %d\", \"questions\": [", (d > 1 ? ", " : ""), d, d
            for (q = 1; q <= 5; q++) printf "%s{\"id\": \"d%dq%d\", \"text\": \"s\", \"reverse\": %s}", (q > 1 ? ", " : ""), d, q, (q == 3 ? "true" : "false")
            printf "], \"recommendations\": {\"2\": \"a\", \"3\": \"b\", \"4\": \"c\", \"5\": \"d\"}}"
        }
        print "]}" }' >"$D/maturity_60.json"
    awk 'BEGIN { srand(11); printf "respondent,role"; for (d = 1; d <= 12; d++) for (q = 1; q <= 5; q++) printf ",d%dq%d", d, q; print ""
        split("executive manager frontline", r, " ")
        for (i = 0; i < 100000; i++) { printf "r%06d,%s", i, r[1 + i % 3]
            for (k = 0; k < 60; k++) { x = rand(); printf ",%s", x < 0.03 ? "N/A" : int(1 + x * 5) }
            print "" } }' >"$D/maturity_100k.csv"
fi
measure mat "$B/dcx" maturity score --assessment "$D/maturity_60.json" --responses "$D/maturity_100k.csv" --target 3.4 --group-by role --format json
echo "maturity score, 100,000 respondents x 60 statements (12 dimensions, 3 groups)"
echo "  dcx: $mat_t s (cpu $mat_cpu s), peak $mat_m MB (target: under 32 MB)"
row "maturity 100k x 60, 3 groups" "$mat_t" "$mat_m" "-" "-" "-" "-" "< 32 MB" "$(verdict 'm < 32' m="$mat_m")"
# the same answers with a second breakdown and respondent weights: statements, two breakdowns
# with their ICC, weighted scores
if [ ! -s "$D/maturity_100k_w.csv" ]; then
    awk -F, 'BEGIN { OFS = ","; srand(13); split("north south east west", g, " ") }
        NR == 1 { $2 = $2 OFS "region" OFS "w"; print; next }
        { $2 = $2 OFS g[1 + (NR % 4)] OFS sprintf("%.2f", 0.5 + 2.5 * rand()); print }' "$D/maturity_100k.csv" >"$D/maturity_100k_w.csv"
fi
MW="--assessment $D/maturity_60.json --responses $D/maturity_100k_w.csv --target 3.4 --items --group-by role --group-by region --weight-column w --format json"
# shellcheck disable=SC2086
measure matw "$B/dcx" maturity score $MW
echo "  dcx --items, --group-by role --group-by region, --weight-column w: $matw_t s (cpu $matw_cpu s), peak $matw_m MB ($(ratio "$matw_t" "$mat_t" '%.2f') the plain run; target <= 1.5x)"
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(psych); library(multilevel); library(survey)' >/dev/null 2>&1; then
    measure1 rr Rscript bench/maturity_r.R "$D/maturity_100k_w.csv"
    echo "  R (psych::alpha, multilevel::ICC1/ICC2, survey::svymean, the same statistics): $rr_t s (cpu $rr_cpu s), peak $rr_m MB -> dcx is $(ratio "$rr_t" "$matw_t" '%.0f') faster, $(ratio "$rr_m" "$matw_m" '%.0f') less memory"
    row "maturity, same + items, 2 by, weight" "$matw_t" "$matw_m" "R psych etc." "$rr_t" "$rr_m" "$(ratio "$rr_t" "$matw_t" '%.0f')" ">= 20x" "$(verdict 'r / d >= 20' r="$rr_t" d="$matw_t")"
else
    echo "  R: skipped (apt-get install r-cran-psych r-cran-multilevel r-cran-survey)"
    row "maturity, same + items, 2 by, weight" "$matw_t" "$matw_m" "R psych etc." "skipped" "-" "-" ">= 20x" "skipped"
fi
# two rounds: the second drops a tenth of the respondents and moves a fifth of the answers;
# --paired keeps each respondent's dimension scores (only they), the plain compare nothing
if [ ! -s "$D/maturity_100k_after.csv" ]; then
    awk -F, 'BEGIN { OFS = ","; srand(17) } NR == 1 { print; next } rand() < 0.1 { next }
        { for (k = 5; k <= NF; k++) if ($k != "N/A" && rand() < 0.2) $k = $k % 5 + 1; print }' \
        "$D/maturity_100k_w.csv" >"$D/maturity_100k_after.csv"
fi
MC="--assessment $D/maturity_60.json --before $D/maturity_100k_w.csv --after $D/maturity_100k_after.csv --target 3.4 --group-by role --group-by region --format json"
# shellcheck disable=SC2086
measure matc "$B/dcx" maturity compare $MC
# shellcheck disable=SC2086
measure matp "$B/dcx" maturity compare $MC --paired
echo "  dcx maturity compare, two rounds of 100,000 (90,000 returning), two --group-by: $matc_t s (cpu $matc_cpu s), peak $matc_m MB; --paired $matp_t s (cpu $matp_cpu s), peak $matp_m MB"
row "maturity compare 2 x 100k, 2 by" "$matc_t" "$matc_m" "-" "-" "-" "-" "< 32 MB" "$(verdict 'm < 32' m="$matc_m")"
row "maturity compare, same, --paired" "$matp_t" "$matp_m" "-" "-" "-" "-" "-" "-"
echo

# ---- scale in the number of levels and questions (time must grow linearly) --------------------
# --segment user_id with 50,000, 100,000 and 200,000 levels of two units each: time and peak
# memory must grow at most linearly (the 200,000-level file is the one earlier runs used)
for L in 50 100 200; do
    if [ ! -s "$D/levels_${L}k.csv" ]; then
        sd=$L; [ $L = 200 ] && sd=5
        awk -v n=$((L * 2000)) -v s=$sd 'BEGIN { srand(s); print "variant,user_id,x";
          for (i = 0; i < n; i++) printf "%s,u%06d,%.3f\n", (rand() < 0.5 ? "control" : "treatment"), int(i / 2), 10 + 4 * rand() }' >"$D/levels_${L}k.csv"
    fi
    measure "lv$L" "$B/dcx" analyze --input "$D/levels_${L}k.csv" --metric x:mean --segment user_id --format json
done
measure lvc "$B/dcx" analyze --input "$D/levels_200k.csv" --metric x:mean --segment user_id --format csv
# results are written as they are made: the table of every level and the workbook too
measure lvt "$B/dcx" analyze --input "$D/levels_200k.csv" --metric x:mean --segment user_id --format table --rows all
measure lvx "$B/dcx" analyze --input "$D/levels_200k.csv" --metric x:mean --segment user_id --output "$D/levels.xlsx"
echo "analyze, 2 units in each of 50,000 / 100,000 / 200,000 segment levels (--segment user_id), 1 metric, to JSON"
echo "  dcx: $lv50_t / $lv100_t / $lv200_t s, peak $lv50_m / $lv100_m / $lv200_m MB; 200,000 levels to CSV $lvc_t s, peak $lvc_m MB"
echo "  200,000 levels as a table of every level: $lvt_t s, peak $lvt_m MB; as an Excel workbook: $lvx_t s, peak $lvx_m MB"
echo "  200,000 against 50,000 levels: time $(ratio "$lv200_t" "$lv50_t"), memory $(ratio "$lv200_m" "$lv50_m") (linear: at most 4x; target at 200,000: under 1.5 s and 250 MB)"
row "analyze 50k segment levels, JSON" "$lv50_t" "$lv50_m" "-" "-" "-" "-" "-" "-"
row "analyze 100k segment levels, JSON" "$lv100_t" "$lv100_m" "-" "-" "-" "-" "-" "-"
row "analyze 200k segment levels, JSON" "$lv200_t" "$lv200_m" "-" "-" "-" "-" "< 1.5 s, < 250 MB" "$(verdict 't < 1.5 && m < 250' t="$lv200_t" m="$lv200_m")"
row "analyze 200k segment levels, CSV" "$lvc_t" "$lvc_m" "-" "-" "-" "-" "< 1.5 s, < 250 MB" "$(verdict 't < 1.5 && m < 250' t="$lvc_t" m="$lvc_m")"
row "analyze 200k segment levels, table" "$lvt_t" "$lvt_m" "-" "-" "-" "-" "< 250 MB" "$(verdict 'm < 250' m="$lvt_m")"
row "analyze 200k segment levels, Excel" "$lvx_t" "$lvx_m" "-" "-" "-" "-" "< 250 MB" "$(verdict 'm < 250' m="$lvx_m")"
row "200k against 50k levels: time, MB" "-" "-" "-" "-" "-" "$(ratio "$lv200_t" "$lv50_t"), $(ratio "$lv200_m" "$lv50_m")" "<= 4.4x (linear)" \
    "$(verdict 't2 / t1 <= 4.4 && m2 / m1 <= 4.4' t2="$lv200_t" t1="$lv50_t" m2="$lv200_m" m1="$lv50_m")"
if [ ! -s "$D/questions_100k.csv" ]; then
    awk 'BEGIN { printf "{\"id\": \"wide\", \"version\": \"1\", \"title\": \"100k statements\", \"scale\": {\"min\": 1, \"max\": 5}, \"levels\": [{\"level\": 1, \"name\": \"all\", \"min\": 1}],\n \"dimensions\": [{\"id\": \"d1\", \"name\": \"One\", \"questions\": ["
        for (q = 1; q <= 100000; q++) printf "%s{\"id\": \"q%d\", \"text\": \"s\"}", (q > 1 ? ", " : ""), q
        print "]}, {\"id\": \"d2\", \"name\": \"Two\", \"questions\": [{\"id\": \"x1\", \"text\": \"s\"}, {\"id\": \"x2\", \"text\": \"s\"}]}]}" }' >"$D/questions_100k.json"
    awk 'BEGIN { srand(9); printf "respondent"; for (q = 1; q <= 100000; q++) printf ",q%d", q; print ",x1,x2"
        for (i = 0; i < 20; i++) { printf "r%d", i; for (q = 0; q < 100002; q++) printf ",%d", 1 + int(rand() * 5); print "" } }' >"$D/questions_100k.csv"
fi
measure q "$B/dcx" maturity score --assessment "$D/questions_100k.json" --responses "$D/questions_100k.csv" --format json
echo "maturity score, one dimension of 100,000 statements x 20 respondents"
echo "  dcx: $q_t s, peak $q_m MB (was quadratic: 43 s)"
row "maturity 100k statements x 20" "$q_t" "$q_m" "-" "-" "-" "-" "linear (was 43 s)" "-"
echo

# ---- Lua: a derived metric over 1M rows ------------------------------------------------------
# The same sum of revenue per arm three ways: a plain Lua loop over dcx.csv.rows, whole columns
# from dcx.csv.columns, and dcx.analyze reading the file in C.
if [ ! -s "$D/units_1m.csv" ]; then
    head -n 1000001 "$U" >"$D/units_1m.csv"
fi
U1=$D/units_1m.csv
cat >"$B/bench/lua_loop.lua" <<'LUA'
local dcx = require "dcx"
local sum = {}
for row in dcx.csv.rows(arg[1]) do
  sum[row.variant] = (sum[row.variant] or 0) + tonumber(row.revenue)
end
LUA
cat >"$B/bench/lua_columns.lua" <<'LUA'
local dcx = require "dcx"
local c = assert(dcx.csv.columns(arg[1], {"revenue", "converted"}))
local acc = dcx.stats.accumulator()
for _, v in ipairs(c.revenue) do acc:add(v) end
LUA
cat >"$B/bench/lua_analyze.lua" <<'LUA'
local dcx = require "dcx"
assert(dcx.analyze{input = arg[1], metric = {"revenue:mean"}})
LUA
cat >"$B/bench/lua_rows.lua" <<'LUA'
local dcx = require "dcx"
local c = assert(dcx.csv.columns(arg[1], {"revenue"}))
c.variant = {}
for row in dcx.csv.rows(arg[1]) do c.variant[#c.variant + 1] = row.variant end
assert(dcx.analyze{rows = c, metric = {"revenue:mean"}})
LUA
measure loop "$B/dcx" run "$B/bench/lua_loop.lua" "$U1"
measure rows "$B/dcx" run "$B/bench/lua_rows.lua" "$U1"
measure cols "$B/dcx" run "$B/bench/lua_columns.lua" "$U1"
measure lan "$B/dcx" run "$B/bench/lua_analyze.lua" "$U1"
echo "Lua, 1,000,000 units: revenue per arm"
echo "  plain Lua loop over dcx.csv.rows:          $loop_t s, peak $loop_m MB"
echo "  dcx.csv.columns + dcx.stats.accumulator:   $cols_t s, peak $cols_m MB -> $(ratio "$loop_t" "$cols_t") the loop"
echo "  dcx.analyze{input = ...} (C all the way):  $lan_t s, peak $lan_m MB"
echo "  dcx.analyze{rows = ...} from Lua tables:   $rows_t s, peak $rows_m MB (columns read, variants by a Lua loop, analysed from memory)"
row "Lua: csv.columns + accumulator, 1M" "$cols_t" "$cols_m" "Lua row loop" "$loop_t" "$loop_m" "$(ratio "$loop_t" "$cols_t")" "-" "-"
# ---- sql: the warehouse query, 2M units, on PostgreSQL and DuckDB -------------------------------
# today's query (one pass over the table, GROUPING SETS) against the shape dcx sql wrote before
# (one GROUP BY per metric x segment set, UNION ALL: bench/sql_union_*.sql), and the cost of a
# percentile cap, exact and approximate
if [ ! -s "$D/units_sql_2m.csv" ]; then
    awk 'BEGIN { srand(11); print "user_id,variant,country,device,converted,revenue,sessions,pageviews"
      split("US DE FR UK ES", c, " "); split("desktop mobile tablet", dv, " ")
      for (i = 0; i < 2000000; i++) { v = rand() < 0.5 ? "control" : "treatment"; k = c[1 + int(rand() * 5)]; d = dv[1 + int(rand() * 3)]
        conv = rand() < (v == "control" ? 0.031 : 0.034); rev = conv ? sprintf("%.2f", 20 + rand() * 80) : "0"
        s = 1 + int(rand() * 6); p = s + int(rand() * 4 * s)
        printf "u%07d,%s,%s,%s,%d,%s,%d,%d\n", i, v, k, d, conv, rev, s, p } }' >"$D/units_sql_2m.csv"
fi
SQLM="--table units --metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions --segment country --segment device"
echo "sql, 2,000,000 units, 3 metrics, 2 segment columns: the old shape (9 passes, UNION ALL) against today's (one pass)"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
    PGD=$(mktemp -d /tmp/dcx-pgbench-XXXXXX)
    AS=""
    [ "$(id -u)" = 0 ] && chown postgres "$PGD" && AS="runuser -u postgres -- env -C $PGD"
    if $AS "$PGBIN/initdb" -D "$PGD/data" -A trust -U dcx >"$PGD/init.log" 2>&1 &&
       $AS "$PGBIN/pg_ctl" -D "$PGD/data" -o "-k $PGD -c listen_addresses= -p 54331" -l "$PGD/server.log" -w start >/dev/null 2>&1; then
        PSQL="$AS $PGBIN/psql -h $PGD -p 54331 -U dcx -d postgres -v ON_ERROR_STOP=1 -q"
        cp "$D/units_sql_2m.csv" "$PGD/units.csv"
        cp bench/sql_union_postgres.sql "$PGD/old.sql"
        "$B/dcx" sql --dialect postgres $SQLM >"$PGD/new.sql"
        "$B/dcx" sql --dialect postgres $SQLM --cap revenue=p99 >"$PGD/cap.sql"
        chmod 644 "$PGD"/*.sql "$PGD/units.csv"
        $PSQL -c "CREATE TABLE units (user_id text, variant text, country text, device text, converted integer, revenue double precision, sessions integer, pageviews integer)" \
              -c "\\copy units FROM '$PGD/units.csv' WITH (FORMAT csv, HEADER true)" -c "ANALYZE units" >/dev/null
        t_old=$(best3 $PSQL --csv -f "$PGD/old.sql")
        t_new=$(best3 $PSQL --csv -f "$PGD/new.sql")
        t_cap=$(best3 $PSQL --csv -f "$PGD/cap.sql")
        PG_V=$("$PGBIN/postgres" --version | awk "{ print \$3 }")
        echo "  PostgreSQL $PG_V: old $t_old s, today $t_new s -> $(ratio "$t_old" "$t_new"); with --cap revenue=p99 (exact percentile_cont) $t_cap s"
        row "sql 2M rows in PostgreSQL $PG_V" "$t_new" "-" "9-pass UNION" "$t_old" "-" "$(ratio "$t_old" "$t_new")" "-" "-"
        $AS "$PGBIN/pg_ctl" -D "$PGD/data" -m fast -w stop >/dev/null 2>&1
    else
        echo "  PostgreSQL: the server could not start ($(tail -1 "$PGD/init.log"))"
    fi
    rm -rf "$PGD"
else
    echo "  PostgreSQL: skipped (apt-get install postgresql)"
fi
if [ -d "$NMD/node_modules/@duckdb/node-api" ]; then
    cp bench/duckdb_time.mjs "$NMD/time.mjs"
    "$B/dcx" sql --dialect duckdb $SQLM >"$D/sql_new.sql"
    "$B/dcx" sql --dialect duckdb $SQLM --cap revenue=p99 >"$D/sql_cap.sql"
    "$B/dcx" sql --dialect duckdb $SQLM --cap revenue=p99 --cap-approx >"$D/sql_capa.sql"
    node "$NMD/time.mjs" "$D/units_sql_2m.csv" bench/sql_union_duckdb.sql "$D/sql_new.sql" "$D/sql_cap.sql" "$D/sql_capa.sql" >"$D/sql_duck.txt"
    set -- $(awk '{ print $1 }' "$D/sql_duck.txt")
    echo "  DuckDB $DUCK_V: old $1 s, today $2 s -> $(ratio "$1" "$2"); with --cap revenue=p99 exact $3 s, --cap-approx $4 s"
    row "sql 2M rows in DuckDB $DUCK_V" "$2" "-" "9-pass UNION" "$1" "-" "$(ratio "$1" "$2")" "-" "-"
else
    echo "  DuckDB: skipped (node and npm install @duckdb/node-api)"
fi
echo

# ---- A/A simulation: false-positive rates and the ship rate when nothing differs --------------
# 2,000 null experiments through the library per metric type, size and method (bench/aa_sim.c;
# AA_EXPERIMENTS=N for fewer or more); a rate outside [4%, 6%] is starred.
cc $CFLAGS_B -o "$B/bench/aa_sim" bench/aa_sim.c $B/libdcx.a $(pkg-config --libs gsl libcjson xlsxwriter) -lcsv -lm -pthread
s=$(now)
"$B/bench/aa_sim" "${AA_EXPERIMENTS:-2000}" "$D"
echo "  ($(elapsed "$s" "$(now)") s)"
echo

# ---- lift intervals: coverage of the delta, log and Fieller intervals ----------------------------
# revenue with 90% zeros at n = 1,000 per arm and conversions with 10-15 events per arm, A/A and
# planted effects (bench/lift_sim.c; LIFT_REPLICATES=N): why Fieller's is the default lift_ci
cc $CFLAGS_B -o "$B/bench/lift_sim" bench/lift_sim.c $B/libdcx.a $(pkg-config --libs gsl libcjson xlsxwriter) -lcsv -lm -pthread
s=$(now)
"$B/bench/lift_sim" "${LIFT_REPLICATES:-20000}"
echo "  ($(elapsed "$s" "$(now)") s)"
echo

# ---- issue 26's inference: A/A and planted effects ---------------------------------------------
# group-sequential: null Brownian paths against the boundaries (alpha held under peeking at every
# look) and experiments through dcx analyze (bench/inference_sim.c; SIM_EXPERIMENTS=N); relative
# and one-sided sequential tests; ratio CUPED beside the unadjusted ratio
cc $CFLAGS_B -o "$B/bench/inference_sim" bench/inference_sim.c $B/libdcx.a $(pkg-config --libs gsl libcjson xlsxwriter) -lcsv -lm -pthread
s=$(now)
"$B/bench/inference_sim" "${SIM_EXPERIMENTS:-400}" "$D" | tee "$B/bench/inference_sim.txt"
echo "  ($(elapsed "$s" "$(now)") s)"
echo
# its A/A checks: met when no more fail than chance explains (the 99th percentile of
# Binomial(checks, 0.05))
set -- $(awk '/^inference_sim: [0-9]+ checks/ { print $2, $4 }' "$B/bench/inference_sim.txt")
if [ $# = 2 ]; then
    row "inference A/A + planted simulations" "-" "-" "-" "-" "-" "$2 of $1 fail" "chance only" \
        "$(awk -v n="$1" -v f="$2" 'BEGIN { c = 0; p = 0.95 ^ n; for (k = 0; k <= n; k++) { c += p; if (c >= 0.99) break; p *= (n - k) / (k + 1) * 0.05 / 0.95 }
                                            print (f <= k ? "met" : "NOT MET") }')"
fi

# ---- the summary: every line above with its reference, from this run ---------------------------
echo "summary: wall seconds (best of $RUNS; references that take seconds run once), peak resident MB${BENCH_QUICK:+ (BENCH_QUICK: not the benchmark figures)}"
awk -F '\t' 'BEGIN { f = "%-36s %6s %6s  %-16s %6s %6s  %-12s %-17s %s\n"
                     printf f, "benchmark", "dcx s", "dcx MB", "reference", "ref s", "ref MB", "ratio", "target", "" }
              { printf f, $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$TABLE"
