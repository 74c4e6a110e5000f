#!/bin/sh
# run.sh — every benchmark, side by side with its reference tool, in one run.
# Usage: bench/run.sh BUILD_DIR. Figures are wall-clock seconds, best of 3 runs.
set -eu
B=${1:-build}
cd "$(dirname "$0")/.."
D=$B/bench-data
mkdir -p "$D" "$B/bench"
CFLAGS_B="-std=c11 -O2 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Ilib/include"
LIBS_B="$B/libdcx.a $(pkg-config --libs gsl libcjson) -lcsv -lm -pthread"

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", e - s }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

best3() { # best3 CMD... : prints the best wall time of 3 runs in seconds
    best=""
    for _ in 1 2 3; do
        s=$(now)
        "$@" >/dev/null 2>&1 || { echo "FAILED"; return; }
        t=$(elapsed "$s" "$(now)")
        if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
    done
    echo "$best"
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
peak() { # peak CMD... : peak resident memory in MB (GNU time)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'
    else echo "?"; fi
}
ARGS="--metric converted:binary --metric revenue:mean --segment country --format json"
t_an=$(best3 "$B/dcx" analyze --input "$U" $ARGS)
m_an=$(peak "$B/dcx" analyze --input "$U" $ARGS)
t_an1=$(best3 sh -c "'$B/dcx' analyze --input - $ARGS < '$U'")
t_parse=$(best3 "$B/bench/csv_parse" "$U")
echo "analyze, 2,000,000 units x 5 columns ($MB MB), 2 metrics, 1 segment"
echo "  dcx (2 threads):           $t_an s, peak $m_an MB (target < 16 MB)"
echo "  dcx (1 thread, stdin):     $t_an1 s"
echo "  bare libcsv parse:         $t_parse s  -> dcx reaches $(calc '%.0f' "100 * $t_parse / $t_an")% of its throughput (1 thread: $(calc '%.0f' "100 * $t_parse / $t_an1")%; target >= 60%)"
t_pr=$(best3 env DCX_PROGRESS=always "$B/dcx" analyze --input "$U" $ARGS)
echo "  dcx with progress shown:   $t_pr s ($(calc '%+.0f' "100 * ($t_pr - $t_an) / $t_an")% against $t_an s; progress is a hook called per 64 KiB chunk)"
t_cap=$(best3 "$B/dcx" analyze --input "$U" $ARGS --cap revenue=p99)
m_cap=$(peak "$B/dcx" analyze --input "$U" $ARGS --cap revenue=p99)
echo "  dcx --cap revenue=p99:     $t_cap s, peak $m_cap MB -> $(calc '%.1f' "$t_cap / $t_an")x the uncapped run (target: about 2x; a first pass collects the pooled values)"
if /usr/bin/python3 -c 'import pandas, scipy, statsmodels' 2>/dev/null; then
    s=$(now); /usr/bin/python3 bench/pandas_analyze.py "$U" >/dev/null; t_pd=$(elapsed "$s" "$(now)")
    m_pd=$(peak /usr/bin/python3 bench/pandas_analyze.py "$U")
    echo "  pandas + scipy:            $t_pd s, peak $m_pd MB -> dcx is $(calc '%.1f' "$t_pd / $t_an")x faster (target >= 15x)"
else
    echo "  pandas + scipy: skipped (apt-get install python3-pandas python3-scipy python3-statsmodels)"
fi
echo

# ---- assign: 1M ids from CSV to CSV ------------------------------------------------------
if [ ! -s "$D/ids_1m.csv" ]; then
    awk 'BEGIN { print "user_id"; srand(1);
                 for (i = 0; i < 1000000; i++) printf "user-%08d-%04x@example.com\n", i, int(rand() * 65536) }' >"$D/ids_1m.csv"
fi
printf '{"key":"checkout-redesign","variants":[{"name":"control","weight":0.5},{"name":"treatment","weight":0.5}]}' >"$D/exp.json"
t_dcx=$(best3 "$B/dcx" assign --config "$D/exp.json" --input "$D/ids_1m.csv" --output "$D/assign_dcx.csv")
node_line="node SDK: skipped (node or @growthbook/growthbook not available)"
t_node=""
if command -v node >/dev/null 2>&1; then
    NM=$B/bench-node
    if [ ! -d "$NM/node_modules/@growthbook/growthbook" ]; then
        mkdir -p "$NM" && (cd "$NM" && npm install --silent --no-audit --no-fund @growthbook/growthbook >/dev/null 2>&1) || true
    fi
    if [ -d "$NM/node_modules/@growthbook/growthbook" ]; then
        s=$(now)
        NODE_PATH="$PWD/$NM/node_modules" node bench/growthbook_assign.mjs "$D/ids_1m.csv" "$D/assign_node.csv"
        t_node=$(elapsed "$s" "$(now)")
        same=$(cmp -s "$D/assign_dcx.csv" "$D/assign_node.csv" && echo "identical output" || echo "OUTPUT DIFFERS")
        node_line="node SDK: $t_node s ($same)"
    fi
fi
echo "assign, 1,000,000 ids CSV -> CSV"
echo "  dcx:      $t_dcx s  ($(calc '%.0f' "1000000 / $t_dcx") ids/s)"
echo "  $node_line"
[ -n "$t_node" ] && echo "  speed-up: $(calc '%.1f' "$t_node / $t_dcx")x  (target >= 30x)"
cc $CFLAGS_B -o "$B/bench/bench_assign" bench/bench_assign.c $LIBS_B
"$B/bench/bench_assign" 1000000 | awk '{ printf "  library, in memory: dcx_assign() %.1f M/s, dcx_assign_many() %.1f M/s, %s (target >= 20 M/s)\n", $3 / 1e6, $4 / 1e6, $5 }'
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
t_mat=$(best3 "$B/dcx" maturity score --assessment "$D/maturity_60.json" --responses "$D/maturity_100k.csv" --target 3.4 --group-by role --format json)
m_mat=$(peak "$B/dcx" maturity score --assessment "$D/maturity_60.json" --responses "$D/maturity_100k.csv" --target 3.4 --group-by role --format json)
echo "maturity score, 100,000 respondents x 60 statements (12 dimensions, 3 groups)"
echo "  dcx: $t_mat s, peak $m_mat MB (target: well under 1 s)"
# the same answers with a second breakdown and respondent weights: statements, two breakdowns
# with their ICC, weighted scores
if [ ! -s "$D/maturity_100k_w.csv" ]; then
    awk -F, 'BEGIN { OFS = ","; srand(13); split("north south east west", g, " ") }
        NR == 1 { $2 = $2 OFS "region" OFS "w"; print; next }
        { $2 = $2 OFS g[1 + (NR % 4)] OFS sprintf("%.2f", 0.5 + 2.5 * rand()); print }' "$D/maturity_100k.csv" >"$D/maturity_100k_w.csv"
fi
MW="--assessment $D/maturity_60.json --responses $D/maturity_100k_w.csv --target 3.4 --items --group-by role --group-by region --weight-column w --format json"
# shellcheck disable=SC2086
t_matw=$(best3 "$B/dcx" maturity score $MW)
# shellcheck disable=SC2086
m_matw=$(peak "$B/dcx" maturity score $MW)
echo "  dcx --items, --group-by role --group-by region, --weight-column w: $t_matw s, peak $m_matw MB ($(calc '%.2f' "$t_matw / $t_mat")x the plain run; target <= 1.5x)"
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(psych); library(multilevel); library(survey)' >/dev/null 2>&1; then
    s=$(now); Rscript bench/maturity_r.R "$D/maturity_100k_w.csv" >/dev/null 2>&1; t_r=$(elapsed "$s" "$(now)")
    m_r=$(peak Rscript bench/maturity_r.R "$D/maturity_100k_w.csv")
    echo "  R (psych::alpha, multilevel::ICC1/ICC2, survey::svymean, the same statistics): $t_r s, peak $m_r MB -> dcx is $(calc '%.0f' "$t_r / $t_matw")x faster, $(calc '%.0f' "$m_r / $m_matw")x less memory"
else
    echo "  R: skipped (apt-get install r-cran-psych r-cran-multilevel r-cran-survey)"
fi
echo

# ---- scale in the number of levels and questions (time must grow linearly) --------------------
for k in 50 100 200; do # 2 units per level: k thousand levels
    if [ ! -s "$D/levels_${k}k.csv" ]; then
        awk -v N=$((k * 2000)) 'BEGIN { srand(5); print "variant,user_id,x";
          for (i = 0; i < N; i++) printf "%s,u%06d,%.3f\n", (rand() < 0.5 ? "control" : "treatment"), int(i / 2), 10 + 4 * rand() }' >"$D/levels_${k}k.csv"
    fi
done
LV="--metric x:mean --segment user_id"
t_lv=$(best3 "$B/dcx" analyze --input "$D/levels_200k.csv" $LV --format json)
m_lv=$(peak "$B/dcx" analyze --input "$D/levels_200k.csv" $LV --format json)
t_lv2=$(best3 "$B/dcx" analyze --input "$D/levels_200k.csv" $LV --format csv)
m_lv2=$(peak "$B/dcx" analyze --input "$D/levels_200k.csv" $LV --format csv)
t_lv3=$(best3 "$B/dcx" analyze --input "$D/levels_200k.csv" $LV --format table --rows all)
m_lv3=$(peak "$B/dcx" analyze --input "$D/levels_200k.csv" $LV --format table --rows all)
t_lv4=$(best3 "$B/dcx" analyze --input "$D/levels_200k.csv" $LV --output "$D/levels.xlsx")
m_lv4=$(peak "$B/dcx" analyze --input "$D/levels_200k.csv" $LV --output "$D/levels.xlsx")
m_lv50=$(peak "$B/dcx" analyze --input "$D/levels_50k.csv" $LV --format json)
m_lv100=$(peak "$B/dcx" analyze --input "$D/levels_100k.csv" $LV --format json)
echo "analyze, 400,000 units in 200,000 segment levels (--segment user_id), 1 metric; rows written as they are made"
echo "  dcx to JSON:  $t_lv s, peak $m_lv MB (target < 1.5 s and < 250 MB; was 2.8 s and 1.3 GB)"
echo "  to CSV: $t_lv2 s, $m_lv2 MB; table of every level: $t_lv3 s, $m_lv3 MB; Excel: $t_lv4 s, $m_lv4 MB"
r1=$(calc '%.2f' "$m_lv100 / $m_lv50")
r2=$(calc '%.2f' "$m_lv / $m_lv100")
lin=$(awk -v a="$r1" -v b="$r2" 'BEGIN { print (a < 2.5 && b < 2.5) ? "linear" : "NOT LINEAR" }')
echo "  peak at 50k / 100k / 200k levels: $m_lv50 / $m_lv100 / $m_lv MB: x$r1, x$r2 per doubling -> $lin (2x is linear, 4x quadratic; 200k is read by two threads)"
if [ ! -s "$D/questions_100k.csv" ]; then
    awk 'BEGIN { printf "{\"id\": \"wide\", \"version\": \"1\", \"title\": \"100k statements\", \"scale\": {\"min\": 1, \"max\": 5}, \"levels\": [{\"level\": 1, \"name\": \"all\", \"min\": 1}],\n \"dimensions\": [{\"id\": \"d1\", \"name\": \"One\", \"questions\": ["
        for (q = 1; q <= 100000; q++) printf "%s{\"id\": \"q%d\", \"text\": \"s\"}", (q > 1 ? ", " : ""), q
        print "]}, {\"id\": \"d2\", \"name\": \"Two\", \"questions\": [{\"id\": \"x1\", \"text\": \"s\"}, {\"id\": \"x2\", \"text\": \"s\"}]}]}" }' >"$D/questions_100k.json"
    awk 'BEGIN { srand(9); printf "respondent"; for (q = 1; q <= 100000; q++) printf ",q%d", q; print ",x1,x2"
        for (i = 0; i < 20; i++) { printf "r%d", i; for (q = 0; q < 100002; q++) printf ",%d", 1 + int(rand() * 5); print "" } }' >"$D/questions_100k.csv"
fi
t_q=$(best3 "$B/dcx" maturity score --assessment "$D/questions_100k.json" --responses "$D/questions_100k.csv" --format json)
echo "maturity score, one dimension of 100,000 statements x 20 respondents"
echo "  dcx: $t_q s (was quadratic: 43 s)"
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
t_loop=$(best3 "$B/dcx" run "$B/bench/lua_loop.lua" "$U1")
t_rows=$(best3 "$B/dcx" run "$B/bench/lua_rows.lua" "$U1")
t_cols=$(best3 "$B/dcx" run "$B/bench/lua_columns.lua" "$U1")
t_lan=$(best3 "$B/dcx" run "$B/bench/lua_analyze.lua" "$U1")
m_cols=$(peak "$B/dcx" run "$B/bench/lua_columns.lua" "$U1")
echo "Lua, 1,000,000 units: revenue per arm"
echo "  plain Lua loop over dcx.csv.rows:          $t_loop s"
echo "  dcx.csv.columns + dcx.stats.accumulator:   $t_cols s, peak $m_cols MB -> $(calc '%.1f' "$t_loop / $t_cols")x the loop"
echo "  dcx.analyze{input = ...} (C all the way):  $t_lan s"
echo "  dcx.analyze{rows = ...} from Lua tables:   $t_rows s (columns read, variants by a Lua loop, analysed from memory)"
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
        echo "  PostgreSQL $("$PGBIN/postgres" --version | awk "{ print \$3 }"): old $t_old s, today $t_new s -> $(calc '%.1f' "$t_old / $t_new")x; with --cap revenue=p99 (exact percentile_cont) $t_cap s"
        $AS "$PGBIN/pg_ctl" -D "$PGD/data" -m fast -w stop >/dev/null 2>&1
    else
        echo "  PostgreSQL: the server could not start ($(tail -1 "$PGD/init.log"))"
    fi
    rm -rf "$PGD"
else
    echo "  PostgreSQL: skipped (apt-get install postgresql)"
fi
NMD=$B/duckdb-node
if command -v node >/dev/null 2>&1 && [ ! -d "$NMD/node_modules/@duckdb/node-api" ]; then
    mkdir -p "$NMD" && (cd "$NMD" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1) || true
fi
if [ -d "$NMD/node_modules/@duckdb/node-api" ]; then
    cp bench/duckdb_time.mjs "$NMD/time.mjs"
    "$B/dcx" sql --dialect duckdb $SQLM >"$D/sql_new.sql"
    "$B/dcx" sql --dialect duckdb $SQLM --cap revenue=p99 >"$D/sql_cap.sql"
    "$B/dcx" sql --dialect duckdb $SQLM --cap revenue=p99 --cap-approx >"$D/sql_capa.sql"
    node "$NMD/time.mjs" "$D/units_sql_2m.csv" bench/sql_union_duckdb.sql "$D/sql_new.sql" "$D/sql_cap.sql" "$D/sql_capa.sql" >"$D/sql_duck.txt"
    set -- $(awk '{ print $1 }' "$D/sql_duck.txt")
    echo "  DuckDB $(node -e "console.log(require('$PWD/$NMD/node_modules/@duckdb/node-api/package.json').version)"): old $1 s, today $2 s -> $(calc '%.1f' "$1 / $2")x; with --cap revenue=p99 exact $3 s, --cap-approx $4 s"
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
# look) and experiments through dcx analyze (bench/inference_sim.c; SIM_EXPERIMENTS=N)
cc $CFLAGS_B -o "$B/bench/inference_sim" bench/inference_sim.c $B/libdcx.a $(pkg-config --libs gsl libcjson xlsxwriter) -lcsv -lm -pthread
s=$(now)
"$B/bench/inference_sim" "${SIM_EXPERIMENTS:-400}" "$D"
echo "  ($(elapsed "$s" "$(now)") s)"
echo
