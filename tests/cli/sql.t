#!/bin/sh
# dcx sql: the query for every dialect — one scan, names quoted only when they must be,
# values read as the CSV reader reads them or the query stops — and real round trips:
# every query shape run in SQLite, PostgreSQL and DuckDB, the exported summary analysed
# with --summary, and the whole result (every number, the SRM on assigned units, the cap)
# compared with what --input gives, to 1e-9. BigQuery, Snowflake and Spark text is parsed
# by a real SQL parser in its dialect.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
CK=examples/checkout_test.csv
GD=examples/checkout_guardrails.csv
NPS=examples/nps_survey.csv
RV=examples/revenue_test.csv
SS=examples/sessions_test.csv
RC="--metric ppv:ratio=pageviews/sessions --cuped ppv=pre_pageviews/pre_sessions"
METRICS="--metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions"
SAME="$DCX run tests/cli/same_result.lua"

# ---- the text of the query ------------------------------------------------------------------
for dialect in postgres sqlite duckdb bigquery snowflake spark; do
    t_run 0 "$DCX" sql --dialect "$dialect" --table analytics.units $METRICS --segment device --segment country --cuped revenue=sessions
    t_ok "[ \$(grep -c 'FROM analytics.units' '$OUT') = 1 ]" "$dialect: the table is read once"
    if [ "$dialect" = sqlite ]; then
        t_lacks "GROUPING SETS" "sqlite: one GROUP BY per set (no GROUPING SETS)"
    else
        t_has "GROUP BY GROUPING SETS ((dcx_v), (dcx_v, dcx_s1), (dcx_v, dcx_s2))" "$dialect: every level in one GROUPING SETS pass"
    fi
done
t_run 0 "$DCX" sql --dialect snowflake --table analytics.units --metric revenue:mean --metric Orders:mean --segment order --variant-column arm
t_has "CAST(revenue AS DOUBLE)" "snowflake: a plain name stays bare, so that it folds to upper case as the table's did"
t_has 'CAST("Orders" AS DOUBLE)' "snowflake: a name with upper-case letters is quoted as given"
t_has 'CAST("ORDER" AS VARCHAR)' "snowflake: a reserved word is quoted as the bare word would mean, in upper case"
t_has 'AS "metric"' "snowflake: output columns quoted, so that they come back in lower case"
t_has 'AS "rows_total"' "snowflake: rows_total quoted too"
t_run 0 "$DCX" sql --dialect bigquery --table my-project.analytics.units --metric 'we`ird:mean' --segment order
t_has '`my-project`.analytics.units' "bigquery: a project name with a hyphen is quoted, the rest bare"
t_has '`we\`ird`' "bigquery: a backtick in a name is escaped"
t_has 'AS `metric`' "bigquery: output columns quoted with backticks"
t_run 0 "$DCX" sql --dialect postgres --table 'my schema.units' --metric 'we"ird:mean' --segment "it's"
t_has '"we""ird"' "a quote in a column name is doubled"
t_has '"my schema".units' "schema-qualified table names quoted part by part, when needed"
t_has "'it''s'" "a quote in a literal is doubled"
t_run 2 "$DCX" sql --dialect oracle --table t --metric x:mean
t_err "one of postgres, sqlite, duckdb, bigquery, snowflake, spark" "unknown dialect"
t_run 2 "$DCX" sql --dialect sqlite --table t --metric x
t_err "give a type" "a metric needs a type in SQL"
t_run 2 "$DCX" sql --dialect sqlite --table t --metric x:mean --metric x:binary
t_err "given twice" "a metric named twice"
t_run 2 "$DCX" sql --dialect sqlite --table t --metric x:mean --segment d --segment d
t_err "--segment d: given twice" "a segment named twice (its rows would count twice)"
t_run 2 "$DCX" sql --dialect sqlite --table dcx_u --metric x:mean
t_err "qualify the table" "a table named like the query's own parts"
t_run 2 "$DCX" sql --dialect sqlite --table t --metric x:quantile=1
t_err "0 < Q < 1" "a quantile is between 0 and 1"

# a ratio metric's CUPED covariate pair: four columns read, nine more sums, columns only then
t_run 0 "$DCX" sql --dialect postgres --table units $RC --metric revenue:mean
t_has "AS dcx_u1" "ratio CUPED: the covariate numerator is read"
t_has "AS dcx_w1" "ratio CUPED: and the covariate denominator"
t_has 'AS "sum_cross34"' "ratio CUPED: the summary gains the pair's columns"
t_ok "grep 'AS dcx_x1' '$OUT' | grep -q 'pre_sessions IS NOT NULL'" "ratio CUPED: a unit missing a covariate is missing for the metric (as --input reads it)"
t_run 0 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cuped revenue=pre
t_lacks "sum3" "without a covariate pair the summary keeps its columns"
t_run 2 "$DCX" sql --dialect sqlite --table t $RC --cuped ppv=pre_pageviews
t_err "ratio metric 'ppv' is adjusted by a covariate pair" "ratio CUPED: one column is a usage error"
t_run 2 "$DCX" sql --dialect sqlite --table t --metric revenue:mean --cuped revenue=a/b
t_err "mean metric 'revenue' takes one covariate column" "a mean metric given a covariate pair is a usage error"
t_run 2 "$DCX" sql --dialect sqlite --table t $RC --cuped ppv=a/
t_err "METRIC=COVNUM/COVDEN" "a pair needs both columns"
t_run 2 "$DCX" sql --dialect sqlite --table t --metric s:nps --cuped s=pre
t_err "binary, mean and ratio metrics" "no CUPED for NPS"

# metric definitions (--metrics, as for dcx analyze) give the query their flags would give
for dialect in postgres sqlite duckdb bigquery snowflake spark; do
    "$DCX" sql --dialect "$dialect" --table units --metric converted:binary --metric revenue:mean --metric load_ms:quantile=0.9 --cap revenue=p99 --cap-ignore-zeros revenue --segment device >"$D/flags.sql"
    t_run 0 "$DCX" sql --dialect "$dialect" --table units --metrics examples/checkout_metrics.json --segment device
    t_ok "cmp -s '$D/flags.sql' '$OUT'" "$dialect: examples/checkout_metrics.json gives the query of its metrics and cap as flags"
done
cat >"$D/defs.json" <<'EOF'
{"metrics": [
  {"name": "converted", "type": "binary", "role": "goal"},
  {"name": "rev", "type": "mean", "column": "revenue", "role": "guardrail", "margin": "2%",
   "direction": "increase", "cap": "p1:p99", "cap_ignore_zeros": true},
  {"name": "load_p90", "type": "quantile", "column": "load_ms", "quantile": 0.9,
   "direction": "decrease", "role": "guardrail", "margin": 50}]}
EOF
t_run 0 "$DCX" sql --dialect snowflake --table units --metrics "$D/defs.json"
t_has "CAST(revenue AS DOUBLE)" "a definition's column is what the query reads"
t_has "'rev'" "and its name what the summary calls it"
t_has "WHEN dcx_x2 = 0 THEN dcx_x2" "a definition's cap_ignore_zeros leaves zeros alone"
t_run 0 "$DCX" sql --dialect snowflake --table units --metrics "$D/defs.json" --cap rev=500
t_has "WHEN dcx_x2 > CAST(500 AS DOUBLE)" "a --cap flag replaces the definition's cap"
t_lacks "percentile_cont" "(and its percentiles)"
t_run 2 "$DCX" sql --dialect sqlite --table units --metrics "$D/defs.json" --metric rev:mean
t_err "metric 'rev' is defined in" "a metric both defined and typed by a flag, as dcx analyze says"
printf '{"metrics": [{"name": "converted", "type": "binery"}]}\n' >"$D/baddefs.json"
t_run 1 "$DCX" sql --dialect sqlite --table units --metrics "$D/baddefs.json"
t_err "baddefs.json:1:" "a bad definition is found at its line"
t_err "did you mean 'binary'" "with the word it probably meant"
"$DCX" sql --dialect duckdb --table units --metric converted:binary --metric rev:mean --cap rev=p99 >"$D/flags.sql"
"$DCX" run -e 'io.write(dcx.sql{dialect = "duckdb", table = "units", metrics = {{name = "converted", type = "binary"}, {name = "rev", type = "mean", cap = "p99"}}})' >"$D/lua.sql"
t_ok "cmp -s '$D/flags.sql' '$D/lua.sql'" "Lua: dcx.sql{metrics = {...}} gives the query of the flags"
# (dcx analyze --input does not yet ignore zeros when capping: the round trips leave it out)
sed 's/, "cap_ignore_zeros": true//' "$D/defs.json" >"$D/defs_rt.json"

# caps: thresholds from the pooled values, in the dialect's exact percentile, or its
# approximate one with --cap-approx
for pair in "postgres:percentile_cont(0.99) WITHIN GROUP (ORDER BY" "duckdb:quantile_cont(" \
            "bigquery:PERCENTILE_CONT(" "snowflake:percentile_cont(0.99) WITHIN GROUP" "spark:percentile("; do
    dialect=${pair%%:*}
    t_run 0 "$DCX" sql --dialect "$dialect" --table units --metric revenue:mean --cap revenue=p99
    t_has "${pair#*:}" "$dialect: exact percentile ${pair#*:}"
done
for pair in "duckdb:approx_quantile(" "bigquery:APPROX_QUANTILES(" "snowflake:APPROX_PERCENTILE(" "spark:percentile_approx("; do
    dialect=${pair%%:*}
    t_run 0 "$DCX" sql --dialect "$dialect" --table units --metric revenue:mean --cap revenue=p99 --cap-approx
    t_has "${pair#*:}" "$dialect --cap-approx: ${pair#*:}"
done
t_run 0 "$DCX" sql --dialect bigquery --table units --metric revenue:mean --cap revenue=p99.9 --cap-approx
t_has "APPROX_QUANTILES(" "bigquery: p99.9 needs 1000 quantiles"
t_has ", 1000)[OFFSET(999)]" "bigquery: the 999th of 1000 boundaries"
t_run 0 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=p99 --cap-approx
t_has "postgres has no approximate percentile; the thresholds are exact" "postgres --cap-approx says it stays exact"
t_has "percentile_cont(0.99)" "and it does"
t_run 0 "$DCX" sql --dialect snowflake --table units --metric revenue:mean --cap revenue=500
t_has "WHEN dcx_x1 > CAST(500 AS DOUBLE) THEN CAST(500 AS DOUBLE)" "an absolute cap needs no percentile"
t_lacks "dcx_caps" "nor a pass for the thresholds"
t_run 2 "$DCX" sql --dialect postgres --table units --metric converted:binary --cap converted=p99
t_err "capping applies to mean metrics" "no cap on a binary metric"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=p99 --cap revenue=p95
t_err "is capped twice" "two caps for one metric are refused"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap-ignore-zeros revenue
t_err "--cap-ignore-zeros 'revenue': the metric has no percentile --cap (pQ or pL:pU)" "--cap-ignore-zeros goes with a percentile cap"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=500 --cap-ignore-zeros revenue
t_err "the metric has no percentile --cap" "(a value cap has no percentiles to take over the non-zero values)"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=0.99
t_err "--cap 'revenue=0.99' is ambiguous: write revenue=p99" "a bare 0.99 is refused as dcx analyze refuses it"
t_run 0 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=0.99abs
t_has "WHEN dcx_x1 > CAST(0.99 AS DOUBLE PRECISION)" "0.99abs caps at the value"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=p99 --cap-ignore-zeros rev
t_err "no --metric of that name" "--cap-ignore-zeros names a metric"

# ---- BigQuery, Snowflake and Spark: their text parsed by a real SQL parser ------------------
PN=$DCX_BUILD/sql-parser
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && [ ! -d "$PN/node_modules/@guanmingchiu/sqlparser-ts" ]; then
    mkdir -p "$PN" && (cd "$PN" && npm install --silent --no-audit --no-fund @guanmingchiu/sqlparser-ts >/dev/null 2>&1)
fi
if [ -d "$PN/node_modules/@guanmingchiu/sqlparser-ts" ]; then
    cp tests/cli/sql_parse.mjs "$PN/parse.mjs"
    ALL="--metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions --metric score:nps --metric load_ms:quantile=0.9 --segment device --segment order --cuped converted=pre --cuped ppv=pre_pv/pre_s"
    for dialect in bigquery snowflake spark postgres duckdb sqlite; do
        i=0
        for extra in "" "--cap revenue=p1:p99 --cap ppv=p95" "--cap revenue=p99 --cap-approx --cap-ignore-zeros revenue" "--cap revenue=p1:p99 --cap-ignore-zeros revenue --cap ppv=500"; do
            i=$((i + 1))
            "$DCX" sql --dialect "$dialect" --table my-project.analytics.units $ALL $extra >"$D/p_$dialect$i.sql"
            t_run 0 node "$PN/parse.mjs" "$dialect" "$D/p_$dialect$i.sql"
        done
    done
    sed 's/GROUP BY GROUPING SETS ((dcx_v)/GROUP BY GROUPING SETS ((dcx_v/' "$D/p_bigquery1.sql" >"$D/broken.sql"
    t_run 1 node "$PN/parse.mjs" bigquery "$D/broken.sql"
    t_has "Expected" "the parser finds a missing parenthesis (it is no rubber stamp)"
else
    t_skip "BigQuery, Snowflake and Spark text parsed" "node/npm or @guanmingchiu/sqlparser-ts not available (npm install @guanmingchiu/sqlparser-ts)"
fi

# ---- the engines ------------------------------------------------------------------------------
# Each runner loads a unit CSV as table units (text columns), runs SETUP (SQL, may be
# empty) and the query, and writes the result as CSV with a header; exit non-zero and the
# engine's message in $D/engine.err when the query fails.
ENGINES=""
if command -v sqlite3 >/dev/null 2>&1; then
    ENGINES="$ENGINES sqlite"
    run_sqlite() { # DATA QUERY OUT [SETUP]
        rm -f "$D/e.db"
        sqlite3 "$D/e.db" ".import --csv $1 units" && { [ -z "${4:-}" ] || sqlite3 "$D/e.db" <"$4"; } &&
            sqlite3 -csv -header "$D/e.db" <"$2" >"$3" 2>"$D/engine.err"
    }
else
    t_skip "sqlite round trips" "sqlite3 not installed (apt-get install sqlite3)"
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PGD=""
if [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
    PGD=$(mktemp -d /tmp/dcx-pg-XXXXXX)
    AS=""
    if [ "$(id -u)" = 0 ]; then
        # as root the server runs as postgres, from $PGD: that user may not enter the
        # repository (a clone under /root), and initdb and pg_ctl complain of the directory
        chown postgres "$PGD" && AS="runuser -u postgres -- env -C $PGD"
    fi
    if $AS "$PGBIN/initdb" -D "$PGD/data" -A trust -U dcx >"$PGD/init.log" 2>&1 &&
       $AS "$PGBIN/pg_ctl" -D "$PGD/data" -o "-k $PGD -c listen_addresses= -p 54329" -l "$PGD/server.log" -w start >/dev/null 2>&1; then
        ENGINES="$ENGINES postgres"
        PSQL="$AS $PGBIN/psql -h $PGD -p 54329 -U dcx -d postgres -v ON_ERROR_STOP=1 -q"
        run_postgres() { # DATA QUERY OUT [SETUP]: the table's columns all TEXT, as loaded
            cp "$1" "$PGD/data.csv"; cp "$2" "$PGD/q.sql"; chmod 644 "$PGD/data.csv" "$PGD/q.sql"
            cols=$(head -1 "$1" | tr -d '\r' | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\" text", (i > 1 ? ", " : ""), $i }')
            $PSQL -c "DROP TABLE IF EXISTS units" -c "CREATE TABLE units ($cols)" >/dev/null 2>&1 &&
                $PSQL -c "\\copy units FROM '$PGD/data.csv' WITH (FORMAT csv, HEADER true)" >/dev/null 2>&1 || return 1
            if [ -n "${4:-}" ]; then cp "$4" "$PGD/setup.sql"; chmod 644 "$PGD/setup.sql"; $PSQL -f "$PGD/setup.sql" >/dev/null 2>&1 || return 1; fi
            $PSQL --csv -f "$PGD/q.sql" >"$3" 2>"$D/engine.err"
        }
    else
        t_report 0 "postgres server could not start" "$(tail -5 "$PGD/init.log" "$PGD/server.log" 2>/dev/null)"
    fi
else
    t_skip "postgres round trips" "PostgreSQL is not installed (apt-get install postgresql)"
fi

NM=$DCX_BUILD/duckdb-node
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && [ ! -d "$NM/node_modules/@duckdb/node-api" ]; then
    mkdir -p "$NM" && (cd "$NM" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1)
fi
if [ -d "$NM/node_modules/@duckdb/node-api" ]; then
    ENGINES="$ENGINES duckdb"
    cp tests/cli/duckdb_run.mjs "$NM/run.mjs"
    run_duckdb() { node "$NM/run.mjs" "$1" "$2" ${4:+"$4"} >"$3" 2>"$D/engine.err"; }
else
    t_skip "duckdb round trips" "node/npm or @duckdb/node-api not available (npm install @duckdb/node-api)"
fi

# round_trip ENGINE NAME DATA "ARGS" ["CAPS"] [SETUP]: the query of ARGS CAPS run in ENGINE
# over DATA; its summary analysed with ARGS equals DATA analysed with ARGS CAPS
round_trip() {
    e=$1 name=$2 data=$3 args=$4 caps=${5:-} setup=${6:-}
    "$DCX" analyze --input "$data" $args $caps --format json >"$D/want.json" 2>/dev/null
    "$DCX" sql --dialect "$e" --table units $args $caps >"$D/q.sql"
    if "run_$e" "$data" "$D/q.sql" "$D/s_$e.csv" "$setup"; then
        t_run 0 "$DCX" analyze --summary "$D/s_$e.csv" $args --format json
        t_ok "$SAME '$D/want.json' '$OUT'" "$e, $name: the summary's analysis equals --input (1e-9)"
    else
        t_report 0 "$e, $name: the query runs" "$(head -c 600 "$D/engine.err")"
    fi
}

# data with missing values in one arm: the SRM counts assigned units, not units with a value
awk -F, 'BEGIN { OFS = "," } NR > 1 && $2 == "control" && NR % 5 == 0 { $7 = "" } { print }' "$CK" >"$D/missing.csv"
# binary values as words, in any case and with blanks, as the CSV reader takes them
awk -F, 'BEGIN { OFS = ","; split("true, Yes ,TRUE,1", y, ","); split("false,No, FALSE ,0", n, ",") }
         NR > 1 { $6 = ($6 == 1 ? y[NR % 4 + 1] : n[NR % 4 + 1]) } { print }' "$CK" >"$D/words.csv"

for e in $ENGINES; do
    round_trip "$e" "binary, mean, ratio, two segments" "$CK" "$METRICS --segment device --segment country"
    round_trip "$e" "percentile caps" "$CK" "$METRICS --segment device" "--cap revenue=p1:p99 --cap ppv=p95"
    round_trip "$e" "an absolute cap" "$CK" "--metric revenue:mean --segment device" "--cap revenue=50"
    round_trip "$e" "a cap over the non-zero values" "$CK" "--metric revenue:mean --segment device" "--cap revenue=p1:p99 --cap-ignore-zeros revenue"
    round_trip "$e" "quantile metrics" "$GD" "--metric load_ms:quantile=0.9 --metric revenue:quantile=0.95 --metric converted:binary --segment device"
    round_trip "$e" "a median" "$GD" "--metric load_ms:quantile=0.5 --segment device"
    round_trip "$e" "a quantile with no segment" "$GD" "--metric load_ms:quantile=0.9 --metric converted:binary"
    round_trip "$e" "nps" "$NPS" "--metric nps:nps --segment channel"
    round_trip "$e" "CUPED" "$RV" "--metric revenue:mean --cuped revenue=pre_revenue --segment plan"
    round_trip "$e" "ratio CUPED (a covariate pair, missing values)" "$SS" "$RC --segment device"
    round_trip "$e" "ratio CUPED with a capped numerator" "$SS" "$RC --segment device" "--cap ppv=p1:p99"
    round_trip "$e" "missing values (SRM on assigned units)" "$D/missing.csv" "--metric revenue:mean --metric converted:binary --segment device"
    round_trip "$e" "binary words" "$D/words.csv" "--metric converted:binary --segment device"
    round_trip "$e" "metric definitions (columns, roles, a cap, a quantile)" "$GD" "--metrics $D/defs_rt.json --segment device"
    round_trip "$e" "metric definitions, a --cap flag over the definition's" "$GD" "--metrics $D/defs_rt.json" "--cap rev=p95"
done

# ---- types: BOOLEAN columns, and values that stop the query ---------------------------------
printf 'ALTER TABLE units ALTER COLUMN converted TYPE BOOLEAN USING converted = %s;\nALTER TABLE units ALTER COLUMN revenue TYPE DOUBLE PRECISION USING revenue::double precision;\n' "'1'" >"$D/pg_bool.sql"
printf "ALTER TABLE units ALTER converted SET DATA TYPE BOOLEAN USING (converted = '1');\nALTER TABLE units ALTER revenue SET DATA TYPE DOUBLE USING (CAST(revenue AS DOUBLE));\n" >"$D/dd_bool.sql"
for e in $ENGINES; do
    case $e in
    postgres) round_trip "$e" "a BOOLEAN column" "$CK" "--metric converted:binary --metric revenue:mean --segment device" "" "$D/pg_bool.sql" ;;
    duckdb) round_trip "$e" "a BOOLEAN column" "$CK" "--metric converted:binary --metric revenue:mean --segment device" "" "$D/dd_bool.sql" ;;
    esac
    awk -F, 'BEGIN { OFS = "," } NR == 4000 { $6 = "maybe" } { print }' "$CK" >"$D/bad_bin.csv"
    "$DCX" sql --dialect "$e" --table units --metric converted:binary >"$D/q.sql"
    t_ok "! run_$e '$D/bad_bin.csv' '$D/q.sql' '$D/x.csv'" "$e: a binary value that is no 0/1/true/false/yes/no stops the query"
    t_ok "grep -q 'holds a value that is not 0/1/true/false/yes/no: maybe' '$D/engine.err'" "$e: and says which column and value"
    awk -F, 'BEGIN { OFS = "," } NR == 4000 { $7 = "12abc" } { print }' "$CK" >"$D/bad_num.csv"
    "$DCX" sql --dialect "$e" --table units --metric revenue:mean >"$D/q.sql"
    t_ok "! run_$e '$D/bad_num.csv' '$D/q.sql' '$D/x.csv'" "$e: a mean value that is no number stops the query (never a silent 0)"
    t_ok "grep -q '12abc' '$D/engine.err'" "$e: and shows the value"
    awk -F, 'BEGIN { OFS = "," } NR == 100 { $5 = "11" } { print }' "$NPS" >"$D/bad_nps.csv"
    "$DCX" sql --dialect "$e" --table units --metric nps:nps >"$D/q.sql"
    t_ok "! run_$e '$D/bad_nps.csv' '$D/q.sql' '$D/x.csv'" "$e: an NPS answer of 11 stops the query"
    t_ok "grep -q 'holds a value that is not a whole number from 0 to 10: 11' '$D/engine.err'" "$e: and says why"
done

# ---- names that must be quoted, on PostgreSQL -----------------------------------------------
if [ -n "$PGD" ] && [ -n "${PSQL:-}" ]; then
    sed '1s/.*/user_id,Variant,country,order,day,converted,Revenue,sessions,pageviews/' "$CK" >"$D/names.csv"
    printf 'ALTER TABLE units RENAME TO "Web Units";\n' >"$D/rename.sql"
    "$DCX" analyze --input "$D/names.csv" --variant-column Variant --metric Revenue:mean --segment order --format json >"$D/want.json"
    "$DCX" sql --dialect postgres --table 'Web Units' --variant-column Variant --metric Revenue:mean --segment order >"$D/q.sql"
    if run_postgres "$D/names.csv" "$D/q.sql" "$D/x.csv" "$D/rename.sql"; then
        t_report 1 "postgres: a table and columns named Web Units, Variant, Revenue and order are found"
    else
        t_report 0 "postgres: quoted names" "$(head -c 400 "$D/engine.err")"
    fi
    t_run 0 "$DCX" analyze --summary "$D/x.csv" --variant-column Variant --metric Revenue:mean --segment order --format json
    t_ok "$SAME '$D/want.json' '$OUT'" "postgres: and the summary of the quoted names equals --input"
fi

# ---- what --summary makes of an export: complete, case, NULL ---------------------------------
for e in $ENGINES; do
    "$DCX" sql --dialect "$e" --table units $METRICS --segment device --cap revenue=p99 >"$D/q.sql"
    "run_$e" "$CK" "$D/q.sql" "$D/full.csv" || continue
    "$DCX" analyze --input "$CK" $METRICS --segment device --cap revenue=p99 --format json >"$D/want.json"
    total=$(awk -F, 'NR == 2 { print $NF }' "$D/full.csv")
    t_ok "[ \$(sed 1d '$D/full.csv' | wc -l) = $total ]" "$e: every row says how many rows the result has ($total)"
    t_ok "grep -q '^revenue,cap,all,all,' '$D/full.csv'" "$e: the cap's thresholds come back as a row"
    nz=$(awk -F, 'NR > 1 && $2 != "" && $7 != "" && $7 != 0' "$CK" | wc -l)
    t_ok "awk -F, '\$1 == \"revenue\" && \$2 == \"cap\" && \$6 == $nz' '$D/full.csv' | grep -q ." "$e: the cap row counts the $nz values that were not 0"
    head -n $((total / 2 + 1)) "$D/full.csv" >"$D/cut.csv"
    t_run 1 "$DCX" analyze --summary "$D/cut.csv" $METRICS --segment device
    t_err "the summary has $((total / 2)) of $total rows: was the export truncated?" "$e: an export cut short (as bq cuts at 100 rows) is refused"
    awk -F, -v t="$total" 'BEGIN { OFS = "," } NR > 1 { $NF = t - 1 } !/^revenue,mean,device,tablet,treatment,/ { print }' "$D/full.csv" >"$D/gap.csv"
    t_run 1 "$DCX" analyze --summary "$D/gap.csv" $METRICS --segment device
    t_err "metric 'revenue' has no row for variant 'treatment' at device=tablet" "$e: a metric's missing row is found even when the count is fixed up"
    awk -F, 'BEGIN { OFS = "," } NR == 1 { $0 = toupper($0) } NR > 1 { for (i = 6; i <= NF; i++) if ($i == "") $i = (NR % 2 ? "NULL" : "null") } { print }' "$D/full.csv" >"$D/upper.csv"
    t_run 0 "$DCX" analyze --summary "$D/upper.csv" $METRICS --segment device --format json
    t_ok "$SAME '$D/want.json' '$OUT'" "$e: upper-case column names and NULL cells read as the export meant"
    t_has '"upper": ' "$e: the cap lands in results[].cap"
    # a definition's cap, checked against the summary's cap rows
    defs_cap() { # CAP FILE
        printf '{"metrics": [{"name": "converted", "type": "binary", "role": "goal"}, {"name": "revenue", "type": "mean", "cap": %s}, {"name": "ppv", "type": "ratio", "numerator": "pageviews", "denominator": "sessions"}]}\n' "$1" >"$2"
    }
    defs_cap '"p99"' "$D/cap_4.json"
    defs_cap 500 "$D/cap_3.json"
    defs_cap '"p99", "cap_ignore_zeros": true' "$D/cap_2.json"
    "$DCX" analyze --input "$CK" --metrics "$D/cap_4.json" --segment device --format json >"$D/want_defs.json"
    t_run 0 "$DCX" analyze --summary "$D/full.csv" --metrics "$D/cap_4.json" --segment device --format json
    t_ok "$SAME '$D/want_defs.json' '$OUT'" "$e: --metrics with a definition capped at p99 reads the summary made with that cap"
    t_run 1 "$DCX" analyze --summary "$D/full.csv" --metrics "$D/cap_3.json" --segment device
    t_err "metric 'revenue' is capped at 500 by its definition, but the summary was capped at 77.5" "$e: a definition's absolute cap is checked against the summary's"
    t_run 1 "$DCX" analyze --summary "$D/full.csv" --metrics "$D/cap_2.json" --segment device
    t_err "its definition ignores zeros when capping, but the summary's cap kept them" "$e: and so is its cap_ignore_zeros"
    "$DCX" sql --dialect "$e" --table units $METRICS --segment device >"$D/q.sql"
    "run_$e" "$CK" "$D/q.sql" "$D/nocap.csv"
    t_run 1 "$DCX" analyze --summary "$D/nocap.csv" --metrics "$D/cap_4.json" --segment device
    t_err "metric 'revenue' is capped (p99) by its definition, but the summary has no cap row for it" "$e: a summary summed uncapped is refused when the definition caps"
    t_run 2 "$DCX" analyze --summary "$D/full.csv" --metrics "$D/cap_4.json" --cap revenue=p95
    t_err "--cap needs the unit values" "$e: a --cap flag with --summary is still a usage error"
    break
done

# --cap-ignore-zeros: thresholds from the non-zero values (type 7, computed here with awk),
# zeros left as they are
for e in $ENGINES; do
    "$DCX" sql --dialect "$e" --table units --metric revenue:mean --segment device --cap revenue=p90 --cap-ignore-zeros revenue >"$D/q.sql"
    "run_$e" "$CK" "$D/q.sql" "$D/iz_$e.csv" || { t_report 0 "$e: --cap-ignore-zeros runs" "$(head -c 400 "$D/engine.err")"; continue; }
    want=$(awk -F, 'NR > 1 && $7 != "" && $7 != 0 { print $7 }' "$CK" | sort -g |
        awk '{ v[NR] = $1 } END { h = (NR - 1) * 0.9; k = int(h); printf "%.10g", v[k + 1] + (h - k) * (v[k + 2] - v[k + 1]) }')
    got=$(awk -F, '$1 == "revenue" && $2 == "cap" { print $14 }' "$D/iz_$e.csv")
    t_ok "awk -v a='$want' -v b='$got' 'BEGIN { d = a - b; exit !(d < 1e-9 * a && d > -1e-9 * a) }'" "$e --cap-ignore-zeros: p90 of the non-zero values ($got, awk $want)"
    t_ok "awk -F, '\$1 == \"revenue\" && \$2 == \"cap\" && \$15 == 1' '$D/iz_$e.csv' | grep -q ." "$e: the cap row says zeros were ignored"
    "$DCX" analyze --input "$CK" --metric revenue:mean --segment device --cap revenue=p90 --cap-ignore-zeros revenue --format json >"$D/want.json" 2>/dev/null
    t_run 0 "$DCX" analyze --summary "$D/iz_$e.csv" --metric revenue:mean --segment device --format json
    t_ok "$SAME '$D/want.json' '$OUT'" "$e: capped sums, capped_n and the cap equal dcx analyze --input --cap-ignore-zeros"
done

# --cap-approx runs where the dialect has an approximation (DuckDB here)
case " $ENGINES " in *" duckdb "*)
    "$DCX" sql --dialect duckdb --table units --metric revenue:mean --cap revenue=p99 --cap-approx >"$D/q.sql"
    if run_duckdb "$CK" "$D/q.sql" "$D/ap.csv"; then
        t_ok "awk -F, '\$1 == \"revenue\" && \$2 == \"cap\" && \$14 > 60 && \$14 < 95' '$D/ap.csv' | grep -q ." "duckdb --cap-approx: approx_quantile's p99 near the exact 77.56"
    else
        t_report 0 "duckdb --cap-approx runs" "$(head -c 400 "$D/engine.err")"
    fi
esac

if [ -n "$PGD" ]; then
    [ -n "${PSQL:-}" ] && $AS "$PGBIN/pg_ctl" -D "$PGD/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$PGD"
fi
t_done
